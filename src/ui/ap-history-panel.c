/* ap-history-panel.c: the "history" page: the core's call history, the very
 * list GetHistory returns, newest first. Missed calls are marked and
 * counted; one click calls the peer back through the core. */
#define G_LOG_DOMAIN "Agentphone-ui"

#include "config.h"

#include "ap-history-panel.h"

#include <glib/gi18n.h>

#include "ap-window-panels.h"

enum { PROP_0, PROP_UNSEEN_MISSED, N_PROPS };
static GParamSpec *props[N_PROPS];

struct _ApHistoryPanel {
  AdwBin parent_instance;

  ApPhone *phone;
  gint64 seen_until; /* µs: missed calls that started later are "new" */
  guint unseen_missed;

  GtkStack *views;
  AdwPreferencesGroup *group;
  GtkListBox *list;
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

static GtkWidget *
make_row (ApHistoryPanel *self, GVariantDict *entry)
{
  const char *direction = "", *peer = "", *name = "";
  gboolean missed = entry_missed (entry);
  g_autofree char *subtitle = describe (entry, missed);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon, *button;
  const char *what;
  gboolean incoming;

  g_variant_dict_lookup (entry, "direction", "&s", &direction);
  g_variant_dict_lookup (entry, "peer", "&s", &peer);
  g_variant_dict_lookup (entry, "peer-name", "&s", &name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), *name ? name : peer);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  incoming = g_str_equal (direction, "incoming");
  icon = gtk_image_new_from_icon_name (missed     ? "call-missed-symbolic"
                                       : incoming ? "call-incoming-symbolic"
                                                  : "call-outgoing-symbolic");
  what = missed ? _ ("Missed call") : incoming ? _ ("Incoming call") : _ ("Outgoing call");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, what, -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  if (missed)
    {
      gtk_widget_add_css_class (icon, "error");
      gtk_widget_add_css_class (row, "missed");
    }

  button = gtk_button_new_from_icon_name ("call-start-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _ ("Call back"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Call back"), -1);
  g_object_set_data_full (G_OBJECT (button), "peer", g_strdup (peer), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (on_call_back), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

static void
set_unseen (ApHistoryPanel *self, guint unseen)
{
  if (self->unseen_missed == unseen)
    return;
  self->unseen_missed = unseen;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_UNSEEN_MISSED]);
}

/* Rebuilt from the core's list each time: a history changes once a call. */
static void
reload (ApHistoryPanel *self)
{
  g_autoptr (GVariant) entries = ap_phone_get_history (self->phone, 0);
  g_autofree char *summary = NULL;
  GtkWidget *child;
  guint n = g_variant_n_children (entries), missed = 0, unseen = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))))
    gtk_list_box_remove (self->list, child);
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
      gtk_list_box_append (self->list, make_row (self, &entry));
    }
  /* TRANSLATORS: the history's summary, e.g. "12 calls, 3 missed" */
  summary = g_strdup_printf (_ ("%u calls, %u missed"), n, missed);
  adw_preferences_group_set_description (self->group, summary);
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
  gtk_widget_class_bind_template_child (widget_class, ApHistoryPanel, group);
  gtk_widget_class_bind_template_child (widget_class, ApHistoryPanel, list);
}

static void
ap_history_panel_init (ApHistoryPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
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
