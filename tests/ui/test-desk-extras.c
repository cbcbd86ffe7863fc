/* The desk's later additions under Xvfb, each proven by the core's state:
 * the call row's recording controls (REC timer, pause, stop, errors as
 * toasts), Quit (Ctrl+Q) asking only with calls up and otherwise asking the
 * core to quit, the sidebar's icons and missed-call badge, and an incoming
 * call while the window is shown but not focused (a notification, and the
 * ring measured on the ringer output). */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "ap-call-row.h"
#include "ap-media-engine.h"
#include "ap-memory-secret-store.h"
#include "ap-phone.h"
#include "ap-sidebar.h"
#include "ap-sip-engine.h"
#include "ap-test-calls.h"
#include "ap-test-harness.h"
#include "ap-ui-test.h"
#include "ap-window.h"

#define CALL_TIMEOUT_MS 10000
#define RING_HZ 880.0 /* the built-in ring */

static GtkApplication *app;
static ApTestBus *bus;
static ApFakeNotifications notifications;

typedef struct {
  char *dir;
  char *ring_wav;
  ApSettings *settings;
  ApSipEngine *engine;
  ApMediaEngine *media;
  ApPhone *phone;
  ApWindow *window;
  guint quits;
} Fixture;

static gboolean
window_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0;
}

static gboolean
engine_bound (gpointer data)
{
  return ap_sip_engine_get_port (data) != 0;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
on_quit_requested (ApPhone *phone, Fixture *f)
{
  f->quits++;
}

/* The phone as ApApplication wires it, with no account: calls come direct. */
static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL;
  g_autofree char *ringer = NULL;
  g_autoptr (ApSecretStore) secrets = ap_memory_secret_store_new ();
  g_autoptr (GError) error = NULL;

  f->dir = ap_test_make_dir ("desk-extras");
  f->ring_wav = g_build_filename (f->dir, "ring.wav", NULL);
  ringer = g_strdup_printf ("wavenc ! filesink location=%s", f->ring_wav);
  g_setenv ("AGENTPHONE_RINGER_OUTPUT", ringer, TRUE);
  path = g_build_filename (f->dir, "settings.json", NULL);
  f->settings = ap_settings_new (path);
  g_assert_true (ap_settings_merge (
    f->settings, g_variant_new_parsed ("{'local-address': <'127.0.0.1'>}"), &error));
  g_assert_no_error (error);
  f->engine = ap_sip_engine_new (f->settings);
  f->phone = ap_phone_new (f->settings, secrets);
  f->media = ap_media_engine_new ();
  ap_media_engine_set_settings (f->media, f->settings);
  ap_phone_set_devices (f->phone, AP_DEVICE_BACKEND (ap_media_engine_get_devices (f->media)));
  ap_sip_engine_set_media_factory (f->engine, AP_MEDIA_FACTORY (f->media));
  ap_phone_set_media_factory (f->phone, AP_MEDIA_FACTORY (f->media));
  ap_sip_engine_set_account (f->engine, ap_phone_get_account (f->phone));
  ap_phone_set_signaling (f->phone, AP_SIGNALING (f->engine));
  g_assert_true (ap_sip_engine_start (f->engine, &error));
  g_assert_true (ap_test_run_until (engine_bound, f->engine, 5000));
  ap_phone_set_listen_port (f->phone, ap_sip_engine_get_port (f->engine));
  g_signal_connect (f->phone, "quit-requested", G_CALLBACK (on_quit_requested), f);

  f->window = ap_window_new (app, f->phone);
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (ap_test_run_until (window_mapped, f->window, 5000));
  ap_test_sleep (300);
}

static void
engine_shut_down (GObject *source, GAsyncResult *result, gpointer data)
{
  *(gboolean *) data = ap_sip_engine_shutdown_finish (AP_SIP_ENGINE (source), result, NULL);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  gboolean done = FALSE;

  if (f->window)
    gtk_window_destroy (GTK_WINDOW (f->window));
  ap_sip_engine_shutdown_async (f->engine, 3000, engine_shut_down, &done);
  g_assert_true (ap_test_run_until (flag_set, &done, 5000));
  g_clear_object (&f->phone);
  g_clear_object (&f->media);
  g_clear_object (&f->engine);
  g_clear_object (&f->settings);
  g_unsetenv ("AGENTPHONE_RINGER_OUTPUT");
  g_free (f->ring_wav);
  g_free (f->dir);
}

static gboolean
call_connected (gpointer call)
{
  return ap_call_get_state (call) == AP_CALL_STATE_CONNECTED;
}

static gboolean
call_ended (gpointer call)
{
  return ap_call_get_state (call) == AP_CALL_STATE_ENDED;
}

static ApCall *
start_echo (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  ApCall *call = ap_phone_start_echo_test (f->phone, &error);

  g_assert_no_error (error);
  g_assert_true (ap_test_run_until (call_connected, call, CALL_TIMEOUT_MS));
  ap_test_sleep (300);
  return g_object_ref (call);
}

static GtkWidget *
named (GtkWidget *root, const char *name)
{
  GtkWidget *widget = ap_ui_find_named (root, name);

  g_assert_nonnull (widget);
  return widget;
}

static void
click (GtkWidget *root, const char *name)
{
  GtkWidget *button = named (root, name);

  g_assert_true (gtk_widget_get_visible (button));
  g_assert_true (gtk_widget_activate (button));
  ap_test_sleep (400); /* a button acts once its activation has shown (250 ms) */
}

static const char *
text_of (GtkWidget *root, const char *name)
{
  return gtk_label_get_text (GTK_LABEL (named (root, name)));
}

/* A toast shows as a label somewhere in the overlay. */
static gboolean
has_label_containing (GtkWidget *root, const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child) && strstr (gtk_label_get_text (GTK_LABEL (child)), text))
        return TRUE;
      if (has_label_containing (child, text))
        return TRUE;
    }
  return FALSE;
}

typedef struct {
  GtkWidget *root;
  const char *text;
} ToastWait;

static gboolean
toast_shown (gpointer data)
{
  ToastWait *wait = data;

  return has_label_containing (wait->root, wait->text);
}

static void
assert_toast (GtkWidget *window, const char *text)
{
  ToastWait wait = { window, text };

  g_assert_true (ap_test_run_until (toast_shown, &wait, 3000));
}

typedef struct {
  GtkWidget *label;
  const char *text;
} LabelWait;

static gboolean
label_reads (gpointer data)
{
  LabelWait *wait = data;

  return g_strcmp0 (gtk_label_get_text (GTK_LABEL (wait->label)), wait->text) == 0;
}

static gboolean
ringing_call (gpointer data)
{
  GListModel *calls = ap_phone_get_calls (((Fixture *) data)->phone);

  return g_list_model_get_n_items (calls) > 0;
}

/* @far dials this phone directly (no registrar); returns our ringing call. */
static ApCall *
far_dials (Fixture *f, ApTestPhone *far, ApDbusCall **outgoing)
{
  g_autofree char *target
    = g_strdup_printf ("sip:1001@127.0.0.1:%u", ap_sip_engine_get_port (f->engine));
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;

  ap_dbus_phone_call_dial_sync (ap_test_phone_get_proxy (far), target,
                                g_variant_new_parsed ("@a{sv} {}"), &path, NULL, &error);
  g_assert_no_error (error);
  *outgoing = ap_test_phone_get_call (far, path);
  g_assert_true (ap_test_run_until (ringing_call, f, CALL_TIMEOUT_MS));
  return g_list_model_get_item (ap_phone_get_calls (f->phone), 0);
}

static void
test_record (Fixture *f, gconstpointer data)
{
  g_autofree char *far_wav = NULL;
  g_autoptr (ApTestPhone) far = ap_test_phone_start_with_tone (bus, 880, &far_wav);
  g_autoptr (ApDbusCall) outgoing = NULL;
  g_autoptr (ApCall) call = far_dials (f, far, &outgoing);
  g_autofree char *row_name = g_strdup_printf ("call-%u", ap_call_get_id (call));
  g_autofree char *recordings = g_build_filename (f->dir, "recordings", NULL);
  g_autofree char *dir_setting = NULL;
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;
  GtkWidget *row;
  LabelWait wait;

  g_assert_true (ap_call_answer (call, &error));
  g_assert_true (ap_test_run_until (call_connected, call, CALL_TIMEOUT_MS));
  ap_test_sleep (300);
  row = named (GTK_WIDGET (f->window), row_name);
  wait.label = named (row, "record-status");
  wait.text = "REC 0:02";

  /* A folder that cannot be used: the reason shows as a toast, nothing records. */
  g_assert_true (ap_settings_merge (
    f->settings, g_variant_new_parsed ("{'recordings-dir': <'relative/dir'>}"), &error));
  g_assert_false (gtk_widget_get_visible (wait.label));
  g_assert_false (gtk_widget_get_visible (named (row, "record-pause")));
  click (row, "record");
  g_assert_false (ap_call_get_recording (call));
  assert_toast (GTK_WIDGET (f->window), "not an absolute path");
  ap_ui_test_screenshot (GTK_WIDGET (f->window), "record-error");

  dir_setting = g_strdup_printf ("{'recordings-dir': <'%s'>}", recordings);
  g_assert_true (ap_settings_merge (f->settings, g_variant_new_parsed (dir_setting), &error));
  g_assert_no_error (error);
  click (row, "record");
  g_assert_true (ap_call_get_recording (call));
  g_assert_true (gtk_widget_get_visible (wait.label));
  g_assert_true (g_str_has_prefix (text_of (row, "record-status"), "REC 0:0"));
  g_assert_true (gtk_widget_has_css_class (wait.label, "error")); /* red */
  g_assert_true (ap_test_run_until (label_reads, &wait, 4000));
  ap_ui_test_screenshot (GTK_WIDGET (f->window), "record-running");

  /* Paused: the core writes silence; the row says so and the clock stops. */
  click (row, "record-pause");
  g_assert_true (ap_call_get_recording_paused (call));
  g_assert_cmpstr (text_of (row, "record-status"), ==, "Paused");
  ap_ui_test_screenshot (GTK_WIDGET (f->window), "record-paused");
  ap_test_sleep (2100);
  click (row, "record-pause");
  g_assert_false (ap_call_get_recording_paused (call));
  /* 2 s recorded, ~0.8 s of clicks, and not the 2.1 s paused. */
  g_assert_true (g_str_equal (text_of (row, "record-status"), "REC 0:02")
                 || g_str_equal (text_of (row, "record-status"), "REC 0:03"));

  /* Stopped: the file is finished and the toast says where. */
  path = g_strdup (ap_call_get_recording_path (call));
  click (row, "record");
  g_assert_false (ap_call_get_recording (call));
  g_assert_false (gtk_widget_get_visible (wait.label));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_str_has_prefix (path, recordings));
  assert_toast (GTK_WIDGET (f->window), "Recording saved");

  /* Recording started elsewhere (DBus, auto-record) shows as well. */
  g_free (ap_call_start_recording (call, NULL, &error));
  g_assert_no_error (error);
  ap_test_sleep (100);
  g_assert_true (gtk_widget_get_visible (wait.label));
  g_assert_true (ap_call_hangup (call, &error));
  g_assert_true (ap_test_run_until (call_ended, call, CALL_TIMEOUT_MS));
  g_assert_true (ap_test_call_wait_state (outgoing, "ended", 5000));
}

static AdwMessageDialog *
find_dialog (void)
{
  g_autoptr (GList) windows = gtk_window_list_toplevels ();

  for (GList *l = windows; l; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static gboolean
window_gone (gpointer data)
{
  return ((Fixture *) data)->window == NULL;
}

static gboolean
menu_has_action (GMenuModel *menu, const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *name = NULL;
      GMenuModel *section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &name)
          && g_str_equal (name, action))
        return TRUE;
      if (section && menu_has_action (section, action))
        {
          g_object_unref (section);
          return TRUE;
        }
      g_clear_object (&section);
    }
  return FALSE;
}

/* Ctrl+Q with a call up asks (and Cancel keeps everything); with none it
 * asks the core to quit, which un-registers, and the window goes. */
static void
test_quit_key (Fixture *f, gconstpointer data)
{
  g_autoptr (ApCall) call = start_echo (f);
  g_autoptr (GError) error = NULL;
  AdwMessageDialog *dialog;
  GMenuModel *menu;

  /* The primary menu offers it too. */
  menu = gtk_menu_button_get_menu_model (
    GTK_MENU_BUTTON (named (GTK_WIDGET (f->window), "primary-menu")));
  g_assert_true (menu_has_action (menu, "win.quit"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (f->window), "quit"));

  ap_ui_press (GTK_WIDGET (f->window), "<Control>q");
  ap_test_sleep (400);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Hang up and quit?");
  adw_message_dialog_response (dialog, "cancel");
  ap_test_sleep (300);
  g_assert_cmpuint (f->quits, ==, 0);
  g_assert_nonnull (f->window);
  g_assert_cmpint (ap_call_get_state (call), ==, AP_CALL_STATE_CONNECTED);
  g_assert_true (ap_call_hangup (call, &error));
  g_assert_true (ap_test_run_until (call_ended, call, CALL_TIMEOUT_MS));
  ap_test_sleep (1200); /* the ended call leaves the list */

  ap_ui_press (GTK_WIDGET (f->window), "<Control>q");
  g_assert_true (ap_test_run_until (window_gone, f, 3000));
  g_assert_null (find_dialog ());
  g_assert_cmpuint (f->quits, ==, 1);
}

/* Every page has its icon in the sidebar; a row picked shows its page and
 * a page shown elsewhere selects its row. */
static void
test_sidebar (Fixture *f, gconstpointer data)
{
  ApSidebar *sidebar = AP_SIDEBAR (ap_ui_test_find (GTK_WIDGET (f->window), AP_TYPE_SIDEBAR, NULL));
  GtkStack *stack = ap_sidebar_get_stack (sidebar);
  GtkListBox *list = GTK_LIST_BOX (named (GTK_WIDGET (sidebar), "sidebar"));
  const char *pages[] = { "phone", "account", "devices", "volume", "history" };

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *row_name = g_strdup_printf ("page-%s", pages[i]);
      GtkWidget *row = named (GTK_WIDGET (sidebar), row_name);
      GtkWidget *icon = ap_ui_test_find (row, GTK_TYPE_IMAGE, NULL);

      g_assert_nonnull (icon);
      g_assert_nonnull (gtk_image_get_icon_name (GTK_IMAGE (icon)));
      g_assert_true (gtk_widget_get_focusable (row));
      gtk_widget_activate (row);
      gtk_list_box_select_row (list, GTK_LIST_BOX_ROW (row));
      g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, pages[i]);
    }
  gtk_stack_set_visible_child_name (stack, "devices");
  g_assert_cmpstr (gtk_widget_get_name (GTK_WIDGET (gtk_list_box_get_selected_row (list))), ==,
                   "page-devices");
  g_assert_cmpuint (ap_sidebar_get_badge (sidebar, "history"), ==, 0);
  ap_sidebar_set_badge (sidebar, "history", 3, "3 new missed calls");
  g_assert_cmpuint (ap_sidebar_get_badge (sidebar, "history"), ==, 3);
  ap_ui_test_screenshot (GTK_WIDGET (f->window), "sidebar-badge");
}

static gboolean
window_inactive (gpointer data)
{
  return !gtk_window_is_active (data);
}

static gboolean
notified (gpointer data)
{
  return notifications.last_summary != NULL;
}

/* Shown but not focused (the agent works in the CRM beside it): the call
 * gets a notification, and the ringtone plays on the ringer output. */
static void
test_unfocused (Fixture *f, gconstpointer data)
{
  g_autofree char *far_wav = NULL;
  g_autoptr (ApTestPhone) far = ap_test_phone_start_with_tone (bus, 880, &far_wav);
  g_autoptr (ApDbusCall) outgoing = NULL;
  GtkWidget *crm = gtk_window_new ();
  g_autoptr (ApCall) call = NULL;

  gtk_window_set_title (GTK_WINDOW (crm), "CRM");
  gtk_window_present (GTK_WINDOW (crm));
  g_assert_true (ap_test_run_until (window_inactive, f->window, 5000));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (f->window)));
  g_clear_pointer (&notifications.last_summary, g_free);

  call = far_dials (f, far, &outgoing);
  g_assert_true (ap_test_run_until (notified, NULL, 5000));
  g_assert_cmpstr (notifications.last_summary, ==, "Incoming call");
  g_assert_cmpuint (ap_incoming_notifier_get_shown (ap_window_get_notifier (f->window)), ==, 1);
  ap_test_sleep (1200);

  ap_fake_notifications_press (&notifications, "Answer");
  g_assert_true (ap_test_run_until (call_connected, call, CALL_TIMEOUT_MS));
  g_assert_true (ap_test_call_wait_state (outgoing, "connected", 5000));
  ap_test_sleep (500);
  /* The ring stopped at the answer: its file is complete. */
  ap_test_assert_tone (f->ring_wav, RING_HZ, 0.05, 0.35);
  ap_test_call_hangup (outgoing);
  g_assert_true (ap_test_run_until (call_ended, call, CALL_TIMEOUT_MS));
  gtk_window_destroy (GTK_WINDOW (crm));
}

int
main (int argc, char **argv)
{
  int result;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("AP_LOCALE_DIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_setenv ("AGENTPHONE_AUDIO_INPUT", "audiotestsrc is-live=true freq=440 volume=0.5", TRUE);
  g_setenv ("AGENTPHONE_AUDIO_OUTPUT", "fakesink sync=true", TRUE);
  bus = ap_test_bus_new ();
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", ap_test_bus_get_address (bus), TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  ap_fake_notifications_start (&notifications, ap_test_bus_get_address (bus));
  app = GTK_APPLICATION (
    adw_application_new ("io.github.agentphone.AgentphoneExtras", G_APPLICATION_NON_UNIQUE));
  g_application_set_resource_base_path (G_APPLICATION (app), "/io/github/agentphone/Agentphone");
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  g_application_hold (G_APPLICATION (app));

  g_test_add ("/desk-extras/record", Fixture, NULL, fixture_setup, test_record, fixture_teardown);
  g_test_add ("/desk-extras/quit-key", Fixture, NULL, fixture_setup, test_quit_key,
              fixture_teardown);
  g_test_add ("/desk-extras/sidebar", Fixture, NULL, fixture_setup, test_sidebar, fixture_teardown);
  g_test_add ("/desk-extras/unfocused", Fixture, NULL, fixture_setup, test_unfocused,
              fixture_teardown);
  result = g_test_run ();
  g_application_release (G_APPLICATION (app));
  g_object_unref (app);
  return result;
}
