/* ap-window.c: the agent's desk.
 *
 * A header bar with the registration status and the agent-state switcher, a
 * sidebar of pages, and the phone page: the dial pad, the headset test and
 * the call list. It only shows core properties and calls core functions: the
 * same ones the DBus face calls. Keyboard shortcuts live in
 * ap-window-keys.c, the other panels (account, devices …) in
 * ap-window-panels.c. */
#define G_LOG_DOMAIN "Agentphone-ui"

#include "config.h"

#include "ap-window.h"

#include <glib/gi18n.h>

#include "ap-call-row.h"
#include "ap-window-panels.h"
#include "ap-window-private.h"

static const char *const status_classes[]
  = { "success", "warning", "error", "accent", "dim-label" };

G_DEFINE_FINAL_TYPE (ApWindow, ap_window, ADW_TYPE_APPLICATION_WINDOW)

void
ap_window_show_error (ApWindow *self, const GError *error)
{
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (error->message));
}

/**
 * ap_window_find_call:
 *
 * Returns: (transfer none) (nullable): the oldest call in state @first, else
 *   the oldest in state @second
 */
ApCall *
ap_window_find_call (ApWindow *self, ApCallState first, ApCallState second)
{
  GListModel *calls = ap_phone_get_calls (self->phone);
  ApCall *found = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (calls); i++)
    {
      g_autoptr (ApCall) call = g_list_model_get_item (calls, i);
      ApCallState state = ap_call_get_state (call);

      if (state == first)
        return call; /* the model keeps it alive */
      if (state == second && found == NULL)
        found = call;
    }
  return found;
}

static void
set_dot (GtkLabel *dot, const char *css_class)
{
  for (guint i = 0; i < G_N_ELEMENTS (status_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (dot), status_classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (dot), css_class);
}

static void
update_status (ApWindow *self)
{
  ApAccount *account = ap_phone_get_account (self->phone);
  const char *reason = ap_account_get_reason (account);
  const char *uri = ap_account_get_uri (account);
  g_autofree char *label = NULL;
  g_autofree char *tooltip = NULL;
  const char *dot = "dim-label";

  switch (ap_account_get_state (account))
    {
    case AP_REGISTRATION_STATE_REGISTERED:
      label = g_strdup (_ ("Registered"));
      dot = "success";
      break;
    case AP_REGISTRATION_STATE_REGISTERING:
      label = g_strdup (_ ("Registering…"));
      dot = "warning";
      break;
    case AP_REGISTRATION_STATE_UNREGISTERING:
      label = g_strdup (_ ("Unregistering…"));
      break;
    case AP_REGISTRATION_STATE_FAILED:
      label = ap_account_get_code (account) != 0
                ? g_strdup_printf (_ ("Failed: %u"), ap_account_get_code (account))
                : g_strdup (_ ("Failed"));
      dot = "error";
      break;
    case AP_REGISTRATION_STATE_UNREGISTERED:
    default:
      label = g_strdup (_ ("Not registered"));
      break;
    }
  set_dot (self->status_dot, dot);
  gtk_label_set_text (self->status_label, label);
  /* The reason says what the label cannot: which server, which error. */
  adw_window_title_set_subtitle (self->window_title,
                                 g_strcmp0 (reason, label) == 0 || reason == NULL ? "" : reason);
  tooltip = g_strdup_printf ("%s\n%s", uri && *uri ? uri : _ ("No account"), reason ? reason : "");
  gtk_widget_set_tooltip_text (self->status_box, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_box), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  label, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, reason ? reason : "",
                                  -1);
}

static void
update_agent (ApWindow *self)
{
  ApAgent *agent = ap_phone_get_agent (self->phone);
  ApAgentState state = ap_agent_get_state (agent);
  guint left = ap_agent_get_wrap_up_left (agent);
  static const char *const nicks[] = { "available", "busy", "resting", "away", "wrap-up" };
  g_autofree char *label = NULL;
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "agent-state");
  const char *dot = "dim-label";

  switch (state)
    {
    case AP_AGENT_STATE_AVAILABLE:
      label = g_strdup (_ ("Available"));
      dot = "success";
      break;
    case AP_AGENT_STATE_BUSY:
      label = g_strdup (_ ("Busy"));
      dot = "error";
      break;
    case AP_AGENT_STATE_RESTING:
      label = g_strdup (_ ("Resting"));
      dot = "warning";
      break;
    case AP_AGENT_STATE_AWAY:
      label = g_strdup (_ ("Away"));
      break;
    case AP_AGENT_STATE_WRAP_UP:
    default:
      /* TRANSLATORS: wrap-up with its countdown, minutes:seconds */
      label = left > 0 ? g_strdup_printf (_ ("Wrap-up %u:%02u"), left / 60, left % 60)
                       : g_strdup (_ ("Wrap-up"));
      dot = "accent";
      break;
    }
  set_dot (self->agent_dot, dot);
  gtk_label_set_text (self->agent_label, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->agent_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  if (state < G_N_ELEMENTS (nicks))
    g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_string (nicks[state]));
}

static void
on_agent_state (GSimpleAction *action, GVariant *value, gpointer data)
{
  ApWindow *self = data;
  g_autoptr (GError) error = NULL;

  if (!ap_agent_set_state (ap_phone_get_agent (self->phone), g_variant_get_string (value, NULL), 0,
                           &error))
    ap_window_show_error (self, error);
}

static void
on_wrap_up (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  ApWindow *self = data;
  g_autoptr (GError) error = NULL;

  if (!ap_agent_set_state (ap_phone_get_agent (self->phone), "wrap-up",
                           g_variant_get_uint32 (parameter), &error))
    ap_window_show_error (self, error);
}

static GtkWidget *
create_call_row (gpointer item, gpointer data)
{
  ApWindow *self = data;

  return ap_call_row_new (AP_CALL (item), self->phone);
}

static void
on_echo_state (ApCall *call, ApCallState state, guint code, const char *reason, ApWindow *self)
{
  if (state != AP_CALL_STATE_ENDED)
    return;
  /* A test that ended by itself failed: say why, where it was asked for. */
  if (code != 200)
    adw_toast_overlay_add_toast (self->toasts, adw_toast_new (reason));
  g_signal_handlers_disconnect_by_data (call, self);
  g_clear_object (&self->echo_call);
  adw_button_content_set_label (self->echo_content, _ ("_Test Headset"));
  gtk_widget_remove_css_class (GTK_WIDGET (self->echo_button), "destructive-action");
}

static void
on_echo_clicked (ApWindow *self)
{
  g_autoptr (GError) error = NULL;
  ApCall *call;

  if (self->echo_call != NULL)
    {
      if (!ap_call_hangup (self->echo_call, &error))
        ap_window_show_error (self, error);
      return;
    }
  call = ap_phone_start_echo_test (self->phone, &error);
  if (call == NULL)
    {
      ap_window_show_error (self, error);
      return;
    }
  self->echo_call = g_object_ref (call);
  g_signal_connect (call, "state-changed", G_CALLBACK (on_echo_state), self);
  adw_button_content_set_label (self->echo_content, _ ("_Stop Headset Test"));
  gtk_widget_add_css_class (GTK_WIDGET (self->echo_button), "destructive-action");
}

static void
ap_window_dispose (GObject *object)
{
  ApWindow *self = AP_WINDOW (object);

  if (self->phone)
    {
      g_signal_handlers_disconnect_by_data (ap_phone_get_account (self->phone), self);
      g_signal_handlers_disconnect_by_data (ap_phone_get_agent (self->phone), self);
    }
  if (self->call_list)
    gtk_list_box_bind_model (self->call_list, NULL, NULL, NULL, NULL);
  g_clear_object (&self->notifier);
  if (self->echo_call)
    g_signal_handlers_disconnect_by_data (self->echo_call, self);
  g_clear_object (&self->echo_call);
  gtk_widget_dispose_template (GTK_WIDGET (self), AP_TYPE_WINDOW);
  g_clear_object (&self->phone);
  G_OBJECT_CLASS (ap_window_parent_class)->dispose (object);
}

static void
ap_window_class_init (ApWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ap_window_dispose;
  g_type_ensure (AP_TYPE_DIAL_PAD);
  g_type_ensure (AP_TYPE_SIDEBAR);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/agentphone/Agentphone/ap-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ApWindow, toasts);
  gtk_widget_class_bind_template_child (widget_class, ApWindow, status_box);
  gtk_widget_class_bind_template_child (widget_class, ApWindow, status_dot);
  gtk_widget_class_bind_template_child (widget_class, ApWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, ApWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, ApWindow, agent_button);
  gtk_widget_class_bind_template_child (widget_class, ApWindow, agent_dot);
  gtk_widget_class_bind_template_child (widget_class, ApWindow, agent_label);
  gtk_widget_class_bind_template_child (widget_class, ApWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, ApWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, ApWindow, dial_pad);
  gtk_widget_class_bind_template_child (widget_class, ApWindow, call_list);
  gtk_widget_class_bind_template_child (widget_class, ApWindow, echo_button);
  gtk_widget_class_bind_template_child (widget_class, ApWindow, echo_content);
  gtk_widget_class_bind_template_callback (widget_class, on_echo_clicked);
}

static void
ap_window_init (ApWindow *self)
{
  const GActionEntry actions[] = {
    { .name = "agent-state",
      .parameter_type = "s",
      .state = "'available'",
      .change_state = on_agent_state },
    { .name = "wrap-up", .activate = on_wrap_up, .parameter_type = "u" },
  };
  GtkWidget *placeholder;

  gtk_widget_init_template (GTK_WIDGET (self));
  g_action_map_add_action_entries (G_ACTION_MAP (self), actions, G_N_ELEMENTS (actions), self);
  placeholder = gtk_label_new (_ ("No calls. Dial a number, or wait for one to ring."));
  gtk_widget_set_name (placeholder, "no-calls");
  gtk_label_set_wrap (GTK_LABEL (placeholder), TRUE);
  gtk_widget_set_margin_top (placeholder, 24);
  gtk_widget_set_margin_bottom (placeholder, 24);
  gtk_widget_set_margin_start (placeholder, 12);
  gtk_widget_set_margin_end (placeholder, 12);
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_list_box_set_placeholder (self->call_list, placeholder);
}

/** ap_window_new: the main window, a view of @phone */
ApWindow *
ap_window_new (GtkApplication *application, ApPhone *phone)
{
  ApWindow *self = g_object_new (AP_TYPE_WINDOW, "application", application, NULL);
  ApAccount *account = ap_phone_get_account (phone);
  ApAgent *agent = ap_phone_get_agent (phone);

  self->phone = g_object_ref (phone);
  g_signal_connect_swapped (account, "notify::state", G_CALLBACK (update_status), self);
  g_signal_connect_swapped (account, "notify::reason", G_CALLBACK (update_status), self);
  g_signal_connect_swapped (agent, "notify::state", G_CALLBACK (update_agent), self);
  g_signal_connect_swapped (agent, "notify::wrap-up-left", G_CALLBACK (update_agent), self);
  ap_dial_pad_set_phone (self->dial_pad, phone);
  gtk_list_box_bind_model (self->call_list, ap_phone_get_calls (phone), create_call_row, self,
                           NULL);
  self->notifier = ap_incoming_notifier_new (application, GTK_WINDOW (self), phone);
  /* The phone page first; the panels then restore the page the agent left open. */
  gtk_stack_set_visible_child_name (self->stack, "phone");
  ap_window_add_panels (self, self->stack, phone);
  ap_window_keys_init (self);
  update_status (self);
  update_agent (self);
  /* A new agent starts typing a number: no Tab needed to find the field. */
  if (g_str_equal (gtk_stack_get_visible_child_name (self->stack), "phone"))
    ap_dial_pad_focus_entry (self->dial_pad);
  return self;
}

/** ap_window_get_notifier: the ringing-call notifier (for tests) */
ApIncomingNotifier *
ap_window_get_notifier (ApWindow *self)
{
  g_return_val_if_fail (AP_IS_WINDOW (self), NULL);
  return self->notifier;
}
