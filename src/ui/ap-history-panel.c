/* ap-history-panel.c: the "history" page: the core's call history, the very
 * list GetHistory returns, newest first. Missed calls are marked and
 * counted; one click calls the peer back through the core. A list view over
 * ApHistoryModel: rows are built for what is on screen only and reused as
 * the list scrolls, so thousands of calls cost a screenful of widgets. */
#define G_LOG_DOMAIN "Agentphone-ui"

#include "config.h"

#include "ap-history-panel.h"

#include <glib/gi18n.h>

#include "ap-history-item.h"
#include "ap-history-model.h"
#include "ap-window-panels.h"

enum { PROP_0, PROP_UNSEEN_MISSED, N_PROPS };
static GParamSpec *props[N_PROPS];

struct _ApHistoryPanel {
  AdwBin parent_instance;

  ApPhone *phone;
  gint64 seen_until; /* µs: missed calls that started later are "new" */
  guint unseen_missed;

  ApHistoryModel *model;
  GtkStack *views;
  GtkLabel *summary;
  GtkListView *list;
};

G_DEFINE_FINAL_TYPE (ApHistoryPanel, ap_history_panel, ADW_TYPE_BIN)

static gboolean
entry_missed (GVariantDict *entry)
{
  const char *direction = "";
  gboolean answered = TRUE;

  g_variant_dict_lookup (entry, "direction", "&s", &direction);
  g_variant_dict_lookup (entry, "answered", "b", &answered);
  return g_str_equal (direction, "incoming") && !answered;
}

static char *
describe (GVariantDict *entry, gboolean missed)
{
  gint64 start = 0;
  guint duration = 0;
  gboolean answered = FALSE;
  const char *reason = "";
  g_autoptr (GDateTime) time = NULL;
  g_autofree char *when = NULL;
  g_autofree char *result = NULL;

  g_variant_dict_lookup (entry, "start", "x", &start);
  g_variant_dict_lookup (entry, "duration", "u", &duration);
  g_variant_dict_lookup (entry, "answered", "b", &answered);
  g_variant_dict_lookup (entry, "end-reason", "&s", &reason);
  time = g_date_time_new_from_unix_local (start / G_USEC_PER_SEC);
  when = time ? g_date_time_format (time, "%Y-%m-%d %H:%M") : g_strdup ("?");
  if (missed)
    result = g_strdup (_ ("Missed"));
  else if (answered)
    result = g_strdup_printf (_ ("Talked %u:%02u"), duration / 60, duration % 60);
  else
    result = g_strdup_printf (_ ("Not answered: %s"), reason);
  return g_strdup_printf ("%s · %s", when, result);
}

static void
on_call_back (GtkButton *button, ApHistoryPanel *self)
{
  const char *peer = g_object_get_data (G_OBJECT (button), "peer");
  g_autoptr (GError) error = NULL;
  GtkWidget *stack;

  if (ap_phone_dial (self->phone, peer, NULL, &error) == NULL)
    {
      ap_panel_toast (GTK_WIDGET (self), error->message);
      return;
    }
  /* The call is followed where calls are: on the phone page. */
  stack = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_STACK);
  if (stack && gtk_stack_get_child_by_name (GTK_STACK (stack), "phone"))
    gtk_stack_set_visible_child_name (GTK_STACK (stack), "phone");
}

/* A row's parts, made once and filled again as the list scrolls. */
static void
setup_row (GtkSignalListItemFactory *factory, GtkListItem *item, ApHistoryPanel *self)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *button = gtk_button_new_from_icon_name ("call-start-symbolic");
  GtkWidget *box;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _ ("Call back"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Call back"), -1);
  g_signal_connect (button, "clicked", G_CALLBACK (on_call_back), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  g_object_set_data (G_OBJECT (row), "icon", icon);
  g_object_set_data (G_OBJECT (row), "button", button);
  /* A row needs a list box of its own (its focus and activation go through
   * one); the list view around them keeps only what is on screen. */
  box = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (box), GTK_SELECTION_NONE);
  gtk_list_box_append (GTK_LIST_BOX (box), row);
  g_object_set_data (G_OBJECT (box), "row", row);
  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_child (item, box);
}

static void
bind_row (GtkSignalListItemFactory *factory, GtkListItem *item, ApHistoryPanel *self)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (gtk_list_item_get_child (item)), "row");
  GtkWidget *icon = g_object_get_data (G_OBJECT (row), "icon");
  GtkWidget *button = g_object_get_data (G_OBJECT (row), "button");
  g_auto (GVariantDict) entry;
  const char *direction = "", *peer = "", *name = "";
  g_autofree char *subtitle = NULL;
  gboolean missed, incoming;
  const char *what;

  g_variant_dict_init (&entry, ap_history_item_get_entry (gtk_list_item_get_item (item)));
  missed = entry_missed (&entry);
  subtitle = describe (&entry, missed);
  g_variant_dict_lookup (&entry, "direction", "&s", &direction);
  g_variant_dict_lookup (&entry, "peer", "&s", &peer);
  g_variant_dict_lookup (&entry, "peer-name", "&s", &name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), *name ? name : peer);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  incoming = g_str_equal (direction, "incoming");
  gtk_image_set_from_icon_name (GTK_IMAGE (icon), missed     ? "call-missed-symbolic"
                                                  : incoming ? "call-incoming-symbolic"
                                                             : "call-outgoing-symbolic");
  what = missed ? _ ("Missed call") : incoming ? _ ("Incoming call") : _ ("Outgoing call");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, what, -1);
  if (missed)
    {
      gtk_widget_add_css_class (icon, "error");
      gtk_widget_add_css_class (row, "missed");
    }
  else
    {
      gtk_widget_remove_css_class (icon, "error");
      gtk_widget_remove_css_class (row, "missed");
    }
  g_object_set_data_full (G_OBJECT (button), "peer", g_strdup (peer), g_free);
}

static void
set_unseen (ApHistoryPanel *self, guint unseen)
{
  if (self->unseen_missed == unseen)
    return;
  self->unseen_missed = unseen;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_UNSEEN_MISSED]);
}

/* The core's list again after each change: the model tells the view the
 * rows that changed (a history changes once a call). */
static void
reload (ApHistoryPanel *self)
{
  g_autoptr (GVariant) entries = ap_phone_get_history (self->phone, 0);
  g_autofree char *summary = NULL;
  guint n = g_variant_n_children (entries), missed = 0, unseen = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GVariant) item = g_variant_get_child_value (entries, i);
      g_auto (GVariantDict) entry;
      gint64 start = 0;

      g_variant_dict_init (&entry, item);
      g_variant_dict_lookup (&entry, "start", "x", &start);
      if (entry_missed (&entry))
        {
          missed++;
          unseen += start > self->seen_until;
        }
    }
  ap_history_model_set_entries (self->model, entries);
  /* TRANSLATORS: the history's summary, e.g. "12 calls, 3 missed" */
  summary = g_strdup_printf (_ ("%u calls, %u missed"), n, missed);
  gtk_label_set_text (self->summary, summary);
  gtk_stack_set_visible_child_name (self->views, n > 0 ? "list" : "empty");
  set_unseen (self, unseen);
}

static void
ap_history_panel_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  ApHistoryPanel *self = AP_HISTORY_PANEL (object);

  switch (prop_id)
    {
    case PROP_UNSEEN_MISSED:
      g_value_set_uint (value, self->unseen_missed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ap_history_panel_dispose (GObject *object)
{
  ApHistoryPanel *self = AP_HISTORY_PANEL (object);

  if (self->phone)
    g_signal_handlers_disconnect_by_data (ap_phone_get_history_store (self->phone), self);
  g_clear_object (&self->phone);
  g_clear_object (&self->model);
  gtk_widget_dispose_template (GTK_WIDGET (self), AP_TYPE_HISTORY_PANEL);
  G_OBJECT_CLASS (ap_history_panel_parent_class)->dispose (object);
}

static void
ap_history_panel_class_init (ApHistoryPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = ap_history_panel_get_property;
  object_class->dispose = ap_history_panel_dispose;

  /** ApHistoryPanel:unseen-missed: missed calls since the page was last looked at */
  props[PROP_UNSEEN_MISSED]
    = g_param_spec_uint ("unseen-missed", NULL, NULL, 0, G_MAXUINT, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/agentphone/Agentphone/ap-history-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, ApHistoryPanel, summary);
  gtk_widget_class_bind_template_child (widget_class, ApHistoryPanel, list);
}

static void
ap_history_panel_init (ApHistoryPanel *self)
{
  g_autoptr (GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr (GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->model = ap_history_model_new ();
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), self);
  gtk_list_view_set_factory (self->list, factory);
  gtk_list_view_set_model (self->list, GTK_SELECTION_MODEL (selection));
  /* The bin's own child, so not a bound template child: both would unparent it. */
  self->views = GTK_STACK (adw_bin_get_child (ADW_BIN (self)));
}

/** ap_history_panel_new: the history page, following @phone's history as it grows */
GtkWidget *
ap_history_panel_new (ApPhone *phone)
{
  ApHistoryPanel *self = g_object_new (AP_TYPE_HISTORY_PANEL, NULL);

  self->phone = g_object_ref (phone);
  /* Calls missed before the window opened were seen in a previous run. */
  self->seen_until = g_get_real_time ();
  g_signal_connect_swapped (ap_phone_get_history_store (phone), "changed", G_CALLBACK (reload),
                            self);
  reload (self);
  return GTK_WIDGET (self);
}

/** ap_history_panel_get_unseen_missed: missed calls not looked at yet, for a badge */
guint
ap_history_panel_get_unseen_missed (ApHistoryPanel *self)
{
  g_return_val_if_fail (AP_IS_HISTORY_PANEL (self), 0);
  return self->unseen_missed;
}

/** ap_history_panel_mark_seen: the agent has looked at the list */
void
ap_history_panel_mark_seen (ApHistoryPanel *self)
{
  g_return_if_fail (AP_IS_HISTORY_PANEL (self));
  self->seen_until = g_get_real_time ();
  set_unseen (self, 0);
}
