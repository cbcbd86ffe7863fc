/* The real window under Xvfb, driven through its own widgets against a real
 * Kamailio; a screenshot of each step is saved as a CI artefact. */
#include <adwaita.h>

#include "ap-media-engine.h"
#include "ap-memory-secret-store.h"
#include "ap-phone.h"
#include "ap-sip-engine.h"
#include "ap-sip-registration.h"
#include "ap-test-harness.h"
#include "ap-ui-test.h"
#include "ap-wav.h"
#include "ap-window.h"

static GtkApplication *app; /* one per process: GApplication registers once */

typedef struct {
  ApTestKamailio *kamailio;
  ApSettings *settings;
  ApSipEngine *engine;
  ApRegistrationBackend *registration;
  ApPhone *phone;
  ApMediaEngine *media;
  ApWindow *window;
  char *dir;
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

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL;
  g_autoptr (ApSecretStore) secrets = ap_memory_secret_store_new ();
  g_autoptr (GError) error = NULL;

  f->kamailio = ap_test_kamailio_new (FALSE);
  ap_test_kamailio_start (f->kamailio);
  f->dir = ap_test_make_dir ("ui");
  path = g_build_filename (f->dir, "settings.json", NULL);
  f->settings = ap_settings_new (path);
  g_assert_true (ap_settings_merge (
    f->settings, g_variant_new_parsed ("{'local-address': <'127.0.0.1'>}"), &error));
  g_assert_no_error (error);
  f->engine = ap_sip_engine_new (f->settings);
  g_assert_true (ap_sip_engine_start (f->engine, &error));
  g_assert_true (ap_test_run_until (engine_bound, f->engine, 5000));
  f->registration = ap_sip_registration_new (f->engine);
  f->phone = ap_phone_new (f->settings, secrets);
  ap_account_set_backend (ap_phone_get_account (f->phone), f->registration);
  f->media = ap_media_engine_new ();
  ap_phone_set_media_factory (f->phone, AP_MEDIA_FACTORY (f->media));

  f->window = ap_window_new (app, f->phone);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (ap_test_run_until (window_mapped, f->window, 5000));
  ap_test_sleep (300);
}

static void
engine_shut_down (GObject *source, GAsyncResult *result, gpointer data)
{
  *(gboolean *) data = ap_sip_engine_shutdown_finish (AP_SIP_ENGINE (source), result, NULL);
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  gboolean done = FALSE;

  gtk_window_destroy (GTK_WINDOW (f->window));
  ap_sip_engine_shutdown_async (f->engine, 3000, engine_shut_down, &done);
  g_assert_true (ap_test_run_until (flag_set, &done, 5000));
  g_clear_object (&f->phone);
  g_clear_object (&f->media);
  g_clear_object (&f->registration);
  g_clear_object (&f->engine);
  g_clear_object (&f->settings);
  ap_test_kamailio_free (f->kamailio);
  g_free (f->dir);
}

/* Depth-first search for a widget by its type and, for rows, its title. */
static GtkWidget *
find_widget (GtkWidget *root, GType type, const char *title)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type)
          && (title == NULL
              || (ADW_IS_PREFERENCES_ROW (child)
                  && g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)),
                                       title))
              || (GTK_IS_BUTTON (child)
                  && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (child)), title) == 0)))
        return child;
      found = find_widget (child, type, title);
      if (found)
        return found;
    }
  return NULL;
}

/* Shows the stack page holding @widget, as a person would before using it. */
static GtkWidget *
reveal (GtkWidget *widget)
{
  for (GtkWidget *w = widget; w && gtk_widget_get_parent (w); w = gtk_widget_get_parent (w))
    if (GTK_IS_STACK (gtk_widget_get_parent (w)))
      gtk_stack_set_visible_child (GTK_STACK (gtk_widget_get_parent (w)), w);
  return widget;
}

/* As a click in the sidebar does: a widget on a hidden page is not realized
 * and its buttons do not activate. */
static GtkStack *
show_page (Fixture *f, const char *name)
{
  GtkStack *stack = ap_ui_test_main_stack (GTK_WIDGET (f->window));

  g_assert_nonnull (gtk_stack_get_child_by_name (stack, name));
  gtk_stack_set_visible_child_name (stack, name);
  ap_test_sleep (300);
  return stack;
}

static void
type_into (Fixture *f, const char *title, const char *text)
{
  GtkWidget *row = find_widget (GTK_WIDGET (f->window), ADW_TYPE_ENTRY_ROW, title);

  g_assert_nonnull (row);
  reveal (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static gboolean
account_is (gpointer data)
{
  Fixture *f = data;

  return ap_account_get_state (ap_phone_get_account (f->phone)) == AP_REGISTRATION_STATE_REGISTERED;
}

static gboolean
account_unregistered (gpointer data)
{
  Fixture *f = data;

  return ap_account_get_state (ap_phone_get_account (f->phone))
         == AP_REGISTRATION_STATE_UNREGISTERED;
}

static void
test_register_from_window (Fixture *f, gconstpointer data)
{
  g_autofree char *server
    = g_strdup_printf ("127.0.0.1:%u", ap_test_kamailio_get_port (f->kamailio));
  GtkWidget *register_button, *unregister_button, *status;

  ap_ui_save_screenshot (GTK_WIDGET (f->window), "window-start");
  status = ap_ui_find_named (GTK_WIDGET (f->window), "registration-label");
  g_assert_nonnull (status);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (status)), ==, "Not registered");

  show_page (f, "account");
  type_into (f, "SIP address", "sip:1001@127.0.0.1");
  type_into (f, "Server", server);
  type_into (f, "Password", "pass1001");
  register_button = find_widget (GTK_WIDGET (f->window), GTK_TYPE_BUTTON, "_Register");
  g_assert_nonnull (register_button);
  g_assert_true (gtk_widget_activate (reveal (register_button)));

  /* The same core the DBus face drives: its state is the proof. */
  g_assert_true (ap_test_run_until (account_is, f, 10000));
  g_assert_true (ap_test_kamailio_wait_contacts (f->kamailio, "1001", 1, 5000));
  ap_test_sleep (200);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (status)), ==, "Registered");
  g_assert_true (gtk_widget_has_css_class (gtk_widget_get_prev_sibling (status), "success"));
  /* The password field is cleared once handed to the core. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (
                     find_widget (GTK_WIDGET (f->window), ADW_TYPE_ENTRY_ROW, "Password"))),
                   ==, "");
  ap_ui_save_screenshot (GTK_WIDGET (f->window), "window-registered");

  show_page (f, "account");
  unregister_button = find_widget (GTK_WIDGET (f->window), GTK_TYPE_BUTTON, "_Unregister");
  g_assert_true (gtk_widget_activate (unregister_button));
  g_assert_true (ap_test_run_until (account_unregistered, f, 10000));
  g_assert_true (ap_test_kamailio_wait_contacts (f->kamailio, "1001", 0, 5000));
}

static void
test_bad_address_shows_error (Fixture *f, gconstpointer data)
{
  GtkWidget *register_button = find_widget (GTK_WIDGET (f->window), GTK_TYPE_BUTTON, "_Register");
  GtkWidget *uri_row = find_widget (GTK_WIDGET (f->window), ADW_TYPE_ENTRY_ROW, "SIP address");
  GtkWidget *server_row = find_widget (GTK_WIDGET (f->window), ADW_TYPE_ENTRY_ROW, "Server");

  /* Nothing typed yet: nothing to register, nothing marked wrong. */
  g_assert_false (gtk_widget_get_sensitive (register_button));
  g_assert_false (gtk_widget_has_css_class (uri_row, "error"));

  type_into (f, "SIP address", "not an address");
  type_into (f, "Server", "bad host:99999");
  ap_test_sleep (200);
  g_assert_true (gtk_widget_has_css_class (uri_row, "error"));
  g_assert_true (gtk_widget_has_css_class (server_row, "error"));
  g_assert_false (gtk_widget_get_sensitive (register_button));
  g_assert_cmpint (ap_account_get_state (ap_phone_get_account (f->phone)), ==,
                   AP_REGISTRATION_STATE_UNREGISTERED);
  ap_ui_save_screenshot (GTK_WIDGET (f->window), "window-bad-address");

  type_into (f, "SIP address", "sip:1002@127.0.0.1");
  type_into (f, "Server", "");
  g_assert_false (gtk_widget_has_css_class (uri_row, "error"));
  g_assert_false (gtk_widget_has_css_class (server_row, "error"));
  g_assert_true (gtk_widget_get_sensitive (register_button));
}

static gboolean
echo_connected (gpointer data)
{
  ApCall *call = data;

  return ap_call_get_state (call) == AP_CALL_STATE_CONNECTED && ap_call_get_media_active (call);
}

static gboolean
has_call (gpointer data)
{
  Fixture *f = data;

  return g_list_model_get_n_items (ap_phone_get_calls (f->phone)) == 1;
}

static gboolean
no_calls (gpointer data)
{
  Fixture *f = data;
  GListModel *calls = ap_phone_get_calls (f->phone);
  g_autoptr (ApCall) call = NULL;

  if (g_list_model_get_n_items (calls) == 0)
    return TRUE;
  call = g_list_model_get_item (calls, 0);
  return ap_call_get_state (call) == AP_CALL_STATE_ENDED;
}

/* The first thing a newcomer can do, with no account: the echo test,
 * started and stopped from its button; the tone "microphone" comes back. */
static void
test_echo_test_button (Fixture *f, gconstpointer data)
{
  GtkWidget *button = ap_ui_find_named (GTK_WIDGET (f->window), "echo-test");
  GtkWidget *content = find_widget (button, ADW_TYPE_BUTTON_CONTENT, NULL);
  g_autoptr (ApCall) call = NULL;
  g_autoptr (ApWav) wav = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *heard = g_build_filename (f->dir, "heard.wav", NULL);
  g_autofree char *output = g_strdup_printf ("wavenc ! filesink location=%s", heard);

  g_setenv ("AGENTPHONE_AUDIO_INPUT", "audiotestsrc is-live=true freq=440 volume=0.5", TRUE);
  g_setenv ("AGENTPHONE_AUDIO_OUTPUT", output, TRUE);
  g_assert_nonnull (button);
  /* A button clicks once its activation has shown (250 ms). */
  g_assert_true (gtk_widget_activate (button));
  g_assert_true (ap_test_run_until (has_call, f, 2000));
  call = g_list_model_get_item (ap_phone_get_calls (f->phone), 0);
  g_assert_true (ap_test_run_until (echo_connected, call, 10000));
  g_assert_cmpstr (adw_button_content_get_label (ADW_BUTTON_CONTENT (content)), ==,
                   "_Stop Headset Test");
  ap_test_sleep (2500);
  ap_ui_save_screenshot (GTK_WIDGET (f->window), "window-echo-test");

  g_assert_true (gtk_widget_activate (button));
  g_assert_true (ap_test_run_until (no_calls, f, 5000));
  g_assert_cmpuint (ap_call_get_end_code (call), ==, 200);
  g_assert_cmpstr (adw_button_content_get_label (ADW_BUTTON_CONTENT (content)), ==,
                   "_Test Headset");
  g_unsetenv ("AGENTPHONE_AUDIO_INPUT");
  g_unsetenv ("AGENTPHONE_AUDIO_OUTPUT");

  g_assert_true (ap_wav_load (heard, &wav, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (ap_wav_rms_dbfs (wav, 0, 0.1, 0.8), <, -60.0);
  g_assert_cmpfloat (ap_wav_rms_dbfs (wav, 0, 1.6, ap_wav_duration_s (wav) - 0.1), >, -20.0);
  g_assert_cmpfloat_with_epsilon (
    ap_wav_dominant_frequency (wav, 0, 1.6, ap_wav_duration_s (wav) - 0.1), 440.0, 10.0);
}

int
main (int argc, char **argv)
{
  int result;

  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  app = GTK_APPLICATION (
    adw_application_new ("io.github.agentphone.AgentphoneTest", G_APPLICATION_NON_UNIQUE));
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));

  g_test_add ("/window/register", Fixture, NULL, fixture_setup, test_register_from_window,
              fixture_teardown);
  g_test_add ("/window/bad-address", Fixture, NULL, fixture_setup, test_bad_address_shows_error,
              fixture_teardown);
  g_test_add ("/window/echo-test", Fixture, NULL, fixture_setup, test_echo_test_button,
              fixture_teardown);
  result = g_test_run ();
  g_object_unref (app);
  return result;
}
