/* ap-window-quit.c: closing the window, or Quit (Ctrl+Q, the main menu),
 * with calls up asks first. Agreeing, or closing with no calls, asks the
 * core to quit (ap_phone_quit()), which hangs every call up and un-registers
 * before the program ends: the same path as a DBus Quit(). Closing the
 * window is quitting: one path, so the registrar never keeps a stale
 * binding for an agent who has left. */
#define G_LOG_DOMAIN "Agentphone-ui"

#include "config.h"

#include "ap-window-quit.h"

#include <glib/gi18n.h>

/** ap_window_quit_count_calls: calls that quitting would end */
guint
ap_window_quit_count_calls (ApPhone *phone)
{
  GListModel *calls = ap_phone_get_calls (phone);
  guint up = 0;

  for (guint i = 0; i < g_list_model_get_n_items (calls); i++)
    {
      g_autoptr (ApCall) call = g_list_model_get_item (calls, i);

      up += ap_call_get_state (call) != AP_CALL_STATE_ENDED;
    }
  return up;
}

static void
on_response (AdwMessageDialog *dialog, const char *response, ApPhone *phone)
{
  if (g_str_equal (response, "quit"))
    ap_phone_quit (phone);
}

static gboolean
on_close_request (GtkWindow *window, ApPhone *phone)
{
  guint up = ap_window_quit_count_calls (phone);
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (up == 0)
    {
      ap_phone_quit (phone);
      return FALSE;
    }
  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "A call is still up. Quitting hangs it up.",
                                       "%u calls are still up. Quitting hangs them all up.", up),
                          up);
  dialog = adw_message_dialog_new (window, _ ("Hang up and quit?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _ ("_Cancel"), "quit",
                                    _ ("_Hang Up and Quit"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "quit",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_response), phone, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

static void
on_quit (GSimpleAction *action, GVariant *parameter, gpointer window)
{
  gtk_window_close (window);
}

/**
 * ap_window_quit_guard:
 *
 * Makes closing @window quit the program, asking first with calls up, and
 * adds the `win.quit` action (Ctrl+Q) that does the same.
 */
void
ap_window_quit_guard (GtkWindow *window, ApPhone *phone)
{
  const GActionEntry actions[] = { { .name = "quit", .activate = on_quit } };
  GtkEventController *keys = gtk_shortcut_controller_new ();

  g_action_map_add_action_entries (G_ACTION_MAP (window), actions, G_N_ELEMENTS (actions), window);
  gtk_event_controller_set_name (keys, "ap-quit-key");
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (keys), GTK_SHORTCUT_SCOPE_MANAGED);
  gtk_shortcut_controller_add_shortcut (
    GTK_SHORTCUT_CONTROLLER (keys),
    gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("<Control>q"),
                      gtk_named_action_new ("win.quit")));
  gtk_widget_add_controller (GTK_WIDGET (window), keys);
  g_signal_connect_object (window, "close-request", G_CALLBACK (on_close_request), phone, 0);
}
