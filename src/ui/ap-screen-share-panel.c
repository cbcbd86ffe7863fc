/* ap-screen-share-panel.c: the "screen-share" page: the share switch, Start
 * and Stop for the video call in progress, and the screens and windows to
 * choose from (listed again on Refresh and each time the page shows). It
 * calls the core's ApScreenShare, as the ScreenShare DBus interface does,
 * and shows the core's errors as they are. */
#define G_LOG_DOMAIN "Agentphone-ui"

#include "config.h"

#include "ap-screen-share-panel.h"

#include <glib/gi18n.h>

#include "ap-screen-share.h"

struct _ApScreenSharePanel {
  AdwBin parent_instance;

  ApScreenShare *share;
  gboolean filling; /* the list is being rebuilt: radio toggles are ours */

  AdwActionRow *switch_row;
  GtkSwitch *share_switch;
  GtkButton *start_button;
  GtkButton *stop_button;
  GtkLabel *error_label;
  GtkButton *refresh_button;
  GtkListBox *source_list;
};

G_DEFINE_FINAL_TYPE (ApScreenSharePanel, ap_screen_share_panel, ADW_TYPE_BIN)

static void
show_error (ApScreenSharePanel *self, const GError *error)
{
  gtk_label_set_text (self->error_label, error ? error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);
}

static void
update_state (ApScreenSharePanel *self)
{
  gboolean active = ap_screen_share_get_active (self->share);
  gboolean enabled = ap_screen_share_get_enabled (self->share);

  adw_action_row_set_subtitle (self->switch_row, active ? _ ("Sharing now")
                                                 : enabled
                                                   ? _ ("Starts with the next video call")
                                                   : _ ("Off: the far end sees your camera"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->stop_button), enabled || active);
}

static void
on_start_clicked (ApScreenSharePanel *self)
{
  g_autoptr (GError) error = NULL;

  ap_screen_share_start (self->share, &error);
  show_error (self, error);
}

static void
on_stop_clicked (ApScreenSharePanel *self)
{
  ap_screen_share_stop (self->share);
  show_error (self, NULL);
}

static void
on_source_toggled (GtkCheckButton *check, ApScreenSharePanel *self)
{
  g_autoptr (GError) error = NULL;
  guint64 *id = g_object_get_data (G_OBJECT (check), "source-id");

  if (self->filling || !gtk_check_button_get_active (check))
    return;
  if (!ap_screen_share_set_source (self->share, *id, &error))
    {
      show_error (self, error);
      ap_screen_share_panel_refresh (self); /* it may have closed */
      return;
    }
  show_error (self, NULL);
}

/* How a source's kind (`screen` or `window`) reads on the page. */
static const char *
kind_label (const char *kind)
{
  static const char *screen_kind = "screen";

  return g_str_equal (kind, screen_kind) ? _ ("Whole screen") : _ ("Window");
}

static GtkWidget *
source_row (ApScreenSharePanel *self, const ApScreenSource *source, GtkCheckButton **group)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();
  guint64 *id = g_new (guint64, 1);

  *id = source->id;
  g_object_set_data_full (G_OBJECT (check), "source-id", id, g_free);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), source->title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), kind_label (source->kind));
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  source->title, -1);
  if (*group != NULL)
    gtk_check_button_set_group (GTK_CHECK_BUTTON (check), *group);
  else
    *group = GTK_CHECK_BUTTON (check);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                               source->id == ap_screen_share_get_source (self->share));
  g_signal_connect (check, "toggled", G_CALLBACK (on_source_toggled), self);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  return row;
}

static GtkWidget *
message_row (const char *text)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  return row;
}

/** ap_screen_share_panel_refresh: lists the screens and windows again */
void
ap_screen_share_panel_refresh (ApScreenSharePanel *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) sources = ap_screen_share_list_sources (self->share, &error);
  GtkCheckButton *group = NULL;
  GtkWidget *child;

  g_return_if_fail (AP_IS_SCREEN_SHARE_PANEL (self));

  self->filling = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->source_list))) != NULL)
    gtk_list_box_remove (self->source_list, child);
  if (sources == NULL)
    gtk_list_box_append (self->source_list, message_row (error->message));
  else if (sources->len == 0)
    gtk_list_box_append (self->source_list, message_row (_ ("No screens or windows found")));
  for (guint i = 0; sources != NULL && i < sources->len; i++)
    gtk_list_box_append (self->source_list,
                         source_row (self, g_ptr_array_index (sources, i), &group));
  self->filling = FALSE;
}

static void
ap_screen_share_panel_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (ap_screen_share_panel_parent_class)->map (widget);
  ap_screen_share_panel_refresh (AP_SCREEN_SHARE_PANEL (widget));
}

static void
ap_screen_share_panel_dispose (GObject *object)
{
  ApScreenSharePanel *self = AP_SCREEN_SHARE_PANEL (object);

  if (self->share != NULL)
    g_signal_handlers_disconnect_by_data (self->share, self);
  g_clear_object (&self->share);
  gtk_widget_dispose_template (GTK_WIDGET (object), AP_TYPE_SCREEN_SHARE_PANEL);
  G_OBJECT_CLASS (ap_screen_share_panel_parent_class)->dispose (object);
}

static void
ap_screen_share_panel_class_init (ApScreenSharePanelClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ap_screen_share_panel_dispose;
  widget_class->map = ap_screen_share_panel_map;
  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/agentphone/Agentphone/ap-screen-share-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, ApScreenSharePanel, switch_row);
  gtk_widget_class_bind_template_child (widget_class, ApScreenSharePanel, share_switch);
  gtk_widget_class_bind_template_child (widget_class, ApScreenSharePanel, start_button);
  gtk_widget_class_bind_template_child (widget_class, ApScreenSharePanel, stop_button);
  gtk_widget_class_bind_template_child (widget_class, ApScreenSharePanel, error_label);
  gtk_widget_class_bind_template_child (widget_class, ApScreenSharePanel, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, ApScreenSharePanel, source_list);
}

static void
ap_screen_share_panel_init (ApScreenSharePanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/** ap_screen_share_panel_new: the screen-share page, over @phone's screen sharing */
GtkWidget *
ap_screen_share_panel_new (ApPhone *phone)
{
  ApScreenSharePanel *self = g_object_new (AP_TYPE_SCREEN_SHARE_PANEL, NULL);

  g_return_val_if_fail (AP_IS_PHONE (phone), NULL);
  self->share = g_object_ref (ap_phone_get_screen_share (phone));
  g_object_bind_property (self->share, "enabled", self->share_switch, "active",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  g_signal_connect_object (self->share, "notify::enabled", G_CALLBACK (update_state), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->share, "notify::active", G_CALLBACK (update_state), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_swapped (self->start_button, "clicked", G_CALLBACK (on_start_clicked), self);
  g_signal_connect_swapped (self->stop_button, "clicked", G_CALLBACK (on_stop_clicked), self);
  g_signal_connect_swapped (self->refresh_button, "clicked",
                            G_CALLBACK (ap_screen_share_panel_refresh), self);
  update_state (self);
  return GTK_WIDGET (self);
}
