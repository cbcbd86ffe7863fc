/* The devices page's checks under Xvfb, driven through its widgets: "Test
 * microphone" runs the core's live meter and the level bar follows a
 * −6 dBFS tone (screenshot while it does); "Play test sound" plays the
 * chime on the speaker and on the ringer (their WAV overrides, measured).
 * The core's own state is the proof of every step. */
#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "config.h"

#include "ap-media-engine.h"
#include "ap-memory-secret-store.h"
#include "ap-phone.h"
#include "ap-test-calls.h"
#include "ap-ui-test.h"
#include "ap-wav.h"
#include "ap-window.h"
#include "ap-window-state.h"

static GtkApplication *app;
static char *out_dir; /* where the speaker and ringer overrides write */

typedef struct {
  char *dir;
  ApSettings *settings;
  ApMediaEngine *media;
  ApPhone *phone;
  ApWindow *window;
} Fixture;

static gboolean
window_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autofree char *state = ap_window_state_path ();
  g_autofree char *settings_path = NULL;
  g_autoptr (ApSecretStore) secrets = ap_memory_secret_store_new ();
  g_autoptr (GError) error = NULL;

  g_remove (state);
  f->dir = ap_test_make_dir ("devices-panel");
  settings_path = g_build_filename (f->dir, "settings.json", NULL);
  f->settings = ap_settings_new (settings_path);
  g_assert_true (ap_settings_load (f->settings, &error));
  g_assert_no_error (error);
  f->phone = ap_phone_new (f->settings, secrets);
  f->media = ap_media_engine_new ();
  ap_media_engine_set_settings (f->media, f->settings);
  ap_phone_set_devices (f->phone, AP_DEVICE_BACKEND (ap_media_engine_get_devices (f->media)));
  f->window = ap_window_new (app, f->phone);
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (ap_test_run_until (window_mapped, f->window, 5000));
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  if (f->window)
    gtk_window_destroy (GTK_WINDOW (f->window));
  ap_test_sleep (100);
  g_clear_object (&f->phone);
  g_clear_object (&f->media);
  g_clear_object (&f->settings);
  g_free (f->dir);
}

static GtkWidget *
show_devices (Fixture *f)
{
  GtkStack *stack = ap_ui_test_main_stack (GTK_WIDGET (f->window));
  GtkWidget *page = gtk_stack_get_child_by_name (stack, "devices");

  g_assert_nonnull (page);
  gtk_stack_set_visible_child_name (stack, "devices");
  ap_test_sleep (400);
  return page;
}

static GtkWidget *
find (GtkWidget *root, GType type, const char *title)
{
  GtkWidget *widget = ap_ui_test_find (root, type, title);

  g_assert_nonnull (widget);
  return widget;
}

/* As a click does; a button acts once its activation has shown (250 ms). */
static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_get_sensitive (button));
  g_assert_true (gtk_widget_activate (button));
  ap_test_sleep (400);
}

static gboolean
bar_above (gpointer data)
{
  gpointer *args = data;

  return gtk_level_bar_get_value (args[0]) > *(double *) args[1];
}

/* The −6 dBFS tone fills 90 % of the meter (−60 … 0 dBFS). */
static void
test_meter (Fixture *f, gconstpointer data)
{
  GtkWidget *page = show_devices (f);
  GtkWidget *button = find (page, GTK_TYPE_TOGGLE_BUTTON, _ ("_Test"));
  GtkLevelBar *bar = GTK_LEVEL_BAR (find (page, GTK_TYPE_LEVEL_BAR, NULL));
  ApDeviceBackend *devices = ap_phone_get_devices (f->phone);
  double threshold = 0.8;
  gpointer args[] = { bar, &threshold };
  double low = 1.0, high = 0.0;
  guint changes = 0;
  double last = -1.0;

  g_assert_cmpfloat (gtk_level_bar_get_value (bar), ==, 0.0);
  g_assert_false (ap_device_backend_get_microphone_monitoring (devices));
  click (button);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button)));
  g_assert_true (ap_device_backend_get_microphone_monitoring (devices));
  g_assert_true (ap_test_run_until (bar_above, args, 3000));
  /* A second of it, read every 50 ms. */
  for (guint i = 0; i < 20; i++)
    {
      double value = gtk_level_bar_get_value (bar);

      changes += value != last;
      last = value;
      low = MIN (low, value);
      high = MAX (high, value);
      ap_test_sleep (50);
    }
  g_test_message ("meter %.3f … %.3f, %u changes, core %.2f dBFS", low, high, changes,
                  ap_device_backend_get_microphone_level (devices));
  g_assert_cmpfloat (low, >, 0.85);
  g_assert_cmpfloat (high, <, 0.95);
  g_assert_cmpfloat_with_epsilon (ap_device_backend_get_microphone_level (devices), -6.02, 1.0);
  ap_ui_test_screenshot (GTK_WIDGET (f->window), "devices-microphone-meter");

  click (button);
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button)));
  g_assert_false (ap_device_backend_get_microphone_monitoring (devices));
  g_assert_cmpfloat (gtk_level_bar_get_value (bar), ==, 0.0);

  /* Started elsewhere (DBus): the toggle follows; leaving the page does
   * not stop what the page did not start. */
  g_assert_true (ap_phone_start_microphone_monitor (f->phone, NULL));
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button)));
  ap_phone_stop_microphone_monitor (f->phone);
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button)));

  /* Started here and the page left: it stops listening. */
  click (button);
  g_assert_true (ap_device_backend_get_microphone_monitoring (devices));
  gtk_stack_set_visible_child_name (ap_ui_test_main_stack (GTK_WIDGET (f->window)), "phone");
  ap_test_sleep (300);
  g_assert_false (ap_device_backend_get_microphone_monitoring (devices));
}

static gboolean
wav_complete (gpointer data)
{
  g_autoptr (ApWav) wav = NULL;

  return ap_wav_load (data, &wav, NULL) && ap_wav_duration_s (wav) >= 1.45;
}

static void
click_and_measure (GtkWidget *page, const char *label, const char *name)
{
  g_autofree char *wav = g_strdup_printf ("%s/%s.wav", out_dir, name);

  g_remove (wav);
  click (find (page, GTK_TYPE_BUTTON, label));
  g_assert_true (ap_test_run_until (wav_complete, wav, 5000));
  ap_test_assert_tone (wav, 440, 0.05, 0.55);
  ap_test_assert_tone (wav, 880, 0.65, 1.45);
}

static void
test_sound_buttons (Fixture *f, gconstpointer data)
{
  GtkWidget *page = show_devices (f);

  click_and_measure (page, _ ("_Speaker"), "speaker");
  click_and_measure (page, _ ("_Ringer"), "ringer");
  ap_ui_test_screenshot (GTK_WIDGET (f->window), "devices-test-sound");
}

int
main (int argc, char **argv)
{
  g_autofree char *home = g_dir_make_tmp ("agentphone-devices-panel-XXXXXX", NULL);
  g_autofree char *config = g_build_filename (home, "config", NULL);
  g_autofree char *no_server = g_strdup_printf ("unix:%s/none", home);
  g_autofree char *speaker = NULL;
  g_autofree char *ringer = NULL;
  int result;

  out_dir = home;
  speaker = g_strdup_printf ("wavenc ! filesink location=%s/speaker.wav", home);
  ringer = g_strdup_printf ("wavenc ! filesink location=%s/ringer.wav", home);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("PULSE_SERVER", no_server, TRUE); /* the overrides are the devices */
  g_setenv ("AGENTPHONE_AUDIO_INPUT",
            "audiotestsrc is-live=true freq=997 volume=0.5 samplesperbuffer=480", TRUE);
  g_setenv ("AGENTPHONE_AUDIO_OUTPUT", speaker, TRUE);
  g_setenv ("AGENTPHONE_RINGER_OUTPUT", ringer, TRUE);
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("AP_LOCALE_DIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  app = GTK_APPLICATION (
    adw_application_new ("io.github.agentphone.AgentphoneDevicesPanel", G_APPLICATION_NON_UNIQUE));
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  g_test_add ("/devices-panel/meter", Fixture, NULL, fixture_setup, test_meter, fixture_teardown);
  g_test_add ("/devices-panel/sound-buttons", Fixture, NULL, fixture_setup, test_sound_buttons,
              fixture_teardown);
  result = g_test_run ();
  g_object_unref (app);
  return result;
}
