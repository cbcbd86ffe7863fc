/* ap-window-keys.c: the window's keyboard shortcuts and the actions behind
 * them. Each action calls the same core function as its button (and its
 * DBus twin). Chosen not to clash with text entry: Ctrl combinations for
 * call control, bare digits only when the focus is not in a text field. */
#define G_LOG_DOMAIN "Agentphone-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "ap-call-row.h"
#include "ap-window-private.h"

/* Documented in ap-shortcuts-window.ui; keep the two in step. */
static const struct {
  const char *trigger;
  const char *action;
} call_keys[] = {
  { "<Control>Return|<Control>KP_Enter", "win.answer" },
  { "<Control>h", "win.hangup" },
  { "<Control><Shift>h", "win.hold" },
  { "<Control>m", "win.mute" },
  { "<Control>l", "win.dial" },
  { "<Control>t", "win.transfer" },
  { "<Control>question|<Control>slash", "win.show-help-overlay" },
};

static const char *const digit_keys = "0123456789";

static void
report (ApWindow *self, gboolean ok, GError *error)
{
  if (!ok)
    {
      ap_window_show_error (self, error);
      g_error_free (error);
    }
}

static void
say_no_call (ApWindow *self, const char *message)
{
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (message));
}

static void
on_answer (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  ApWindow *self = data;
  ApCall *call = ap_window_find_call (self, AP_CALL_STATE_INCOMING, AP_CALL_STATE_INCOMING);
  GError *error = NULL;

  if (call == NULL)
    {
      say_no_call (self, _ ("No call is ringing"));
      return;
    }
  report (self, ap_call_answer (call, &error), error);
}

/* The call an agent means by "hang up": the one they talk in, else the one
 * they are dialling, else one on hold, else the one ringing (declined). */
static ApCall *
call_to_end (ApWindow *self)
{
  ApCall *call = ap_window_find_call (self, AP_CALL_STATE_CONNECTED, AP_CALL_STATE_RINGING_BACK);

  if (call == NULL)
    call = ap_window_find_call (self, AP_CALL_STATE_DIALING, AP_CALL_STATE_HELD);
  if (call == NULL)
    call = ap_window_find_call (self, AP_CALL_STATE_INCOMING, AP_CALL_STATE_INCOMING);
  return call;
}

static void
on_hangup (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  ApWindow *self = data;
  ApCall *call = call_to_end (self);
  GError *error = NULL;

  if (call == NULL)
    {
      say_no_call (self, _ ("There is no call to hang up"));
      return;
    }
  report (self, ap_call_hangup (call, &error), error);
}

static void
on_hold (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  ApWindow *self = data;
  ApCall *call = ap_window_find_call (self, AP_CALL_STATE_CONNECTED, AP_CALL_STATE_HELD);
  GError *error = NULL;

  if (call == NULL)
    {
      say_no_call (self, _ ("There is no call to hold or resume"));
      return;
    }
  if (ap_call_get_state (call) == AP_CALL_STATE_HELD)
    report (self, ap_call_resume (call, &error), error);
  else
    report (self, ap_call_hold (call, &error), error);
}

static void
on_mute (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  ApWindow *self = data;
  ApCall *call = ap_window_find_call (self, AP_CALL_STATE_CONNECTED, AP_CALL_STATE_HELD);
  GError *error = NULL;

  if (call == NULL)
    {
      say_no_call (self, _ ("There is no call to mute"));
      return;
    }
  report (self, ap_call_set_muted (call, !ap_call_get_muted (call), &error), error);
}

static void
on_dial (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  ApWindow *self = data;

  gtk_stack_set_visible_child_name (self->stack, "phone");
  ap_dial_pad_focus_entry (self->dial_pad);
}

static void
on_transfer (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  ApWindow *self = data;
  ApCall *call = ap_window_find_call (self, AP_CALL_STATE_CONNECTED, AP_CALL_STATE_HELD);

  if (call == NULL)
    {
      say_no_call (self, _ ("There is no call to transfer"));
      return;
    }
  gtk_stack_set_visible_child_name (self->stack, "phone");
  for (int i = 0;; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->call_list, i);

      if (row == NULL)
        break;
      if (ap_call_row_get_call (AP_CALL_ROW (row)) == call)
        {
          ap_call_row_open_transfer (AP_CALL_ROW (row));
          break;
        }
    }
}

static void
on_digit (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  ApWindow *self = data;
  const char *digit = g_variant_get_string (parameter, NULL);

  if (*digit)
    ap_dial_pad_press_digit (self->dial_pad, *digit);
}

static void
add_shortcut (GtkShortcutController *controller, const char *trigger, const char *action,
              GVariant *argument)
{
  GtkShortcut *shortcut
    = gtk_shortcut_new (gtk_shortcut_trigger_parse_string (trigger), gtk_named_action_new (action));

  if (argument)
    gtk_shortcut_set_arguments (shortcut, argument);
  gtk_shortcut_controller_add_shortcut (controller, shortcut);
}

static GtkEventController *
digit_controller (void)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();

  /* Bubble: a focused text field takes its digits first. */
  gtk_event_controller_set_name (controller, "ap-digit-keys");
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_BUBBLE);
  for (guint i = 0; digit_keys[i]; i++)
    {
      char digit[2] = { digit_keys[i], '\0' };
      g_autofree char *trigger = g_strdup_printf ("%c|KP_%c", digit_keys[i], digit_keys[i]);

      add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), trigger, "win.digit",
                    g_variant_new_string (digit));
    }
  add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), "asterisk|KP_Multiply|<Shift>asterisk",
                "win.digit", g_variant_new_string ("*"));
  add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), "numbersign|<Shift>numbersign", "win.digit",
                g_variant_new_string ("#"));
  return controller;
}

void
ap_window_keys_init (ApWindow *self)
{
  const GActionEntry actions[] = {
    { .name = "answer", .activate = on_answer },
    { .name = "hangup", .activate = on_hangup },
    { .name = "hold", .activate = on_hold },
    { .name = "mute", .activate = on_mute },
    { .name = "dial", .activate = on_dial },
    { .name = "transfer", .activate = on_transfer },
    { .name = "digit", .activate = on_digit, .parameter_type = "s" },
  };
  GtkEventController *controller = gtk_shortcut_controller_new ();
  g_autoptr (GtkBuilder) builder
    = gtk_builder_new_from_resource ("/io/github/agentphone/Agentphone/ap-shortcuts-window.ui");

  g_action_map_add_action_entries (G_ACTION_MAP (self), actions, G_N_ELEMENTS (actions), self);
  gtk_application_window_set_help_overlay (
    GTK_APPLICATION_WINDOW (self), GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help")));

  /* Capture: call control works wherever the focus is, text fields included
   * (none of these combinations edits text). */
  gtk_event_controller_set_name (controller, "ap-call-keys");
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (controller),
                                     GTK_SHORTCUT_SCOPE_LOCAL);
  for (guint i = 0; i < G_N_ELEMENTS (call_keys); i++)
    add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), call_keys[i].trigger, call_keys[i].action,
                  NULL);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
  gtk_widget_add_controller (GTK_WIDGET (self), digit_controller ());
}
