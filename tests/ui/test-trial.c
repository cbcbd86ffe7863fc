/* A keyboard-only trial of the real program, as a new agent would do it:
 * `agentphone` (with its window) under Xvfb on a private bus, driven by
 * real X key events from xdotool (Tab, arrows, Enter, shortcuts, typing):
 * fill in the account and register at Kamailio, take a call from a second
 * (headless) instance, answer, hold, resume, mute, hang up, quit. Each step
 * is checked through the program's own DBus face (the core's states), and a
 * screenshot of the screen is saved after it (AP_ARTEFACT_DIR/trial-*). Run
 * once in English and once with LANGUAGE=zh_CN. */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "ap-test-calls.h"
#include "ap-test-harness.h"

#define STEP_TIMEOUT_MS 10000

typedef struct {
  ApTestBus *bus;
  ApTestKamailio *kamailio;
  char *home;
  GSubprocess *app;
  ApDbusPhone *phone;
  char *window;
  const char *lang;
} Trial;

static void
run (const char *const *argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                               &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", argv[0], err);
}

/* Real key events, as from a keyboard, to the window with the focus. */
static void
keys (Trial *t, const char *combo)
{
  g_auto (GStrv) parts = g_strsplit (combo, " ", -1);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, "xdotool");
  g_ptr_array_add (argv, "key");
  g_ptr_array_add (argv, "--delay");
  g_ptr_array_add (argv, "120");
  for (guint i = 0; parts[i]; i++)
    g_ptr_array_add (argv, parts[i]);
  g_ptr_array_add (argv, NULL);
  run ((const char *const *) argv->pdata);
  ap_test_sleep (300);
}

static void
type (Trial *t, const char *text)
{
  const char *argv[] = { "xdotool", "type", "--delay", "40", text, NULL };

  run (argv);
  ap_test_sleep (200);
}

static void
screenshot (Trial *t, const char *step)
{
  g_autofree char *dir = g_strdup (g_getenv ("AP_ARTEFACT_DIR"));
  g_autofree char *path = NULL;
  g_autofree char *sink = NULL;
  const char *argv[] = { "gst-launch-1.0",
                         "-q",
                         "ximagesrc",
                         "num-buffers=1",
                         "use-damage=false",
                         "!",
                         "videoconvert",
                         "!",
                         "pngenc",
                         "!",
                         "filesink",
                         NULL,
                         NULL };

  if (dir == NULL)
    return;
  g_mkdir_with_parents (dir, 0755);
  path = g_strdup_printf ("%s/trial-%s-%s.png", dir, step, t->lang);
  sink = g_strdup_printf ("location=%s", path);
  argv[11] = sink;
  ap_test_sleep (300); /* let the last key's effect draw */
  run (argv);
  g_test_message ("screenshot: %s", path);
}

static gboolean
name_owned (gpointer data)
{
  return ap_test_bus_has_owner (data, "io.github.agentphone.Agentphone");
}

/* The real program, its window shown, on its own bus and XDG dirs. */
static void
start_app (Trial *t)
{
  g_autoptr (GSubprocessLauncher) launcher
    = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autofree char *log = g_build_filename (t->home, "agentphone.log", NULL);
  const char *dirs[][2] = { { "XDG_CONFIG_HOME", "config" },
                            { "XDG_DATA_HOME", "data" },
                            { "XDG_CACHE_HOME", "cache" },
                            { "XDG_STATE_HOME", "state" } };
  const char *argv[] = { g_getenv ("AGENTPHONE_BIN"), NULL };
  const char *search[] = { "xdotool", "search", "--sync", "--onlyvisible", "--pid", NULL, NULL };
  g_autofree char *pid = NULL;
  g_autofree char *out = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (argv[0]);
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *dir = g_build_filename (t->home, dirs[i][1], NULL);

      g_mkdir_with_parents (dir, 0700);
      g_subprocess_launcher_setenv (launcher, dirs[i][0], dir, TRUE);
    }
  g_subprocess_launcher_setenv (launcher, "HOME", t->home, TRUE);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS",
                                ap_test_bus_get_address (t->bus), TRUE);
  g_subprocess_launcher_setenv (launcher, "GSK_RENDERER", "cairo", TRUE);
  g_subprocess_launcher_setenv (launcher, "AGENTPHONE_LOCALEDIR", g_getenv ("AP_LOCALE_DIR"), TRUE);
  g_subprocess_launcher_setenv (launcher, "AGENTPHONE_AUDIO_INPUT",
                                "audiotestsrc is-live=true freq=440 volume=0.5", TRUE);
  g_subprocess_launcher_setenv (launcher, "AGENTPHONE_AUDIO_OUTPUT", "fakesink sync=true", TRUE);
  g_subprocess_launcher_setenv (launcher, "AGENTPHONE_RINGER_OUTPUT", "fakesink sync=true", TRUE);
  g_subprocess_launcher_set_stdout_file_path (launcher, log);
  t->app = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_assert_true (ap_test_run_until (name_owned, t->bus, STEP_TIMEOUT_MS));
  t->phone = ap_dbus_phone_proxy_new_sync (
    ap_test_bus_get_connection (t->bus), G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START,
    "io.github.agentphone.Agentphone", "/io/github/agentphone/Agentphone", NULL, &error);
  g_assert_no_error (error);

  pid = g_strdup (g_subprocess_get_identifier (t->app));
  search[5] = pid;
  g_assert_true (g_spawn_sync (NULL, (char **) search, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                               NULL, NULL, &error));
  g_assert_no_error (error);
  g_strstrip (out);
  g_assert_cmpstr (out, !=, "");
  t->window = g_strdup (strrchr (out, '\n') ? strrchr (out, '\n') + 1 : out);
  {
    const char *focus[] = { "xdotool", "windowactivate", "--sync", t->window, NULL };
    const char *raise[] = { "xdotool", "windowfocus", "--sync", t->window, NULL };

    /* No window manager under Xvfb: focus it as one would. */
    if (!g_spawn_sync (NULL, (char **) focus, NULL,
                       G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL,
                       NULL, NULL))
      g_test_message ("windowactivate failed");
    run (raise);
  }
  ap_test_sleep (800);
}

static gboolean
registration_is (gpointer data)
{
  Trial *t = data;

  return g_strcmp0 (ap_dbus_phone_get_registration_state (t->phone), "registered") == 0;
}

typedef struct {
  Trial *t;
  char *path;
} CallWait;

static gboolean
has_call (gpointer data)
{
  CallWait *wait = data;
  g_auto (GStrv) calls = NULL;

  if (!ap_dbus_phone_call_list_calls_sync (wait->t->phone, &calls, NULL, NULL) || !calls[0])
    return FALSE;
  wait->path = g_strdup (calls[0]);
  return TRUE;
}

typedef struct {
  ApDbusCall *call;
  gboolean muted;
} MuteWait;

static gboolean
muted_is (gpointer data)
{
  MuteWait *wait = data;

  return ap_dbus_call_get_muted (wait->call) == wait->muted;
}

static gboolean
app_exited (gpointer data)
{
  return g_subprocess_get_if_exited (data);
}

static void
on_app_exited (GObject *source, GAsyncResult *result, gpointer data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
}

static void
test_trial (void)
{
  Trial t = { 0 };
  g_autoptr (ApTestBus) far_bus = ap_test_bus_new ();
  g_autofree char *far_wav = NULL;
  g_autoptr (ApTestPhone) far = NULL;
  g_autofree char *server = NULL;
  g_autofree char *far_path = NULL;
  g_autoptr (ApDbusCall) outgoing = NULL;
  g_autoptr (ApDbusCall) call = NULL;
  g_autoptr (GError) error = NULL;
  CallWait wait = { &t, NULL };
  MuteWait mute;

  t.lang = g_strcmp0 (g_getenv ("LANGUAGE"), "zh_CN") == 0 ? "zh_CN" : "en";
  t.bus = ap_test_bus_new ();
  t.kamailio = ap_test_kamailio_new (FALSE);
  ap_test_kamailio_start (t.kamailio);
  t.home = ap_test_make_dir ("trial");
  far = ap_test_phone_start_with_tone (far_bus, 880, &far_wav);
  ap_test_phone_register (far, t.kamailio, "1002");
  start_app (&t);
  screenshot (&t, "1-start");

  /* The number field has the focus; Shift+Tab reaches the page list, Down
   * picks Account, Tab goes into its form. Enter in a field registers. */
  keys (&t, "shift+Tab Down");
  keys (&t, "Tab");
  type (&t, "sip:1001@127.0.0.1");
  keys (&t, "Tab Tab");
  type (&t, "pass1001");
  keys (&t, "Tab Tab");
  server = g_strdup_printf ("127.0.0.1:%u", ap_test_kamailio_get_port (t.kamailio));
  type (&t, server);
  screenshot (&t, "2-account-filled");
  keys (&t, "Return");
  g_assert_true (ap_test_run_until (registration_is, &t, STEP_TIMEOUT_MS));
  g_assert_true (ap_test_kamailio_wait_contacts (t.kamailio, "1001", 1, STEP_TIMEOUT_MS));
  screenshot (&t, "3-registered");

  /* Ctrl+L: back to the phone page, in the number field. */
  keys (&t, "ctrl+l");
  ap_dbus_phone_call_dial_sync (ap_test_phone_get_proxy (far), "1001",
                                g_variant_new_parsed ("{'headers': <{'Subject': 'Refund'}>}"),
                                &far_path, NULL, &error);
  g_assert_no_error (error);
  outgoing = ap_test_phone_get_call (far, far_path);
  g_assert_true (ap_test_run_until (has_call, &wait, STEP_TIMEOUT_MS));
  call = ap_dbus_call_proxy_new_sync (ap_test_bus_get_connection (t.bus),
                                      G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START,
                                      "io.github.agentphone.Agentphone", wait.path, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ap_test_call_wait_state (call, "incoming", STEP_TIMEOUT_MS));
  screenshot (&t, "4-ringing");

  keys (&t, "ctrl+Return");
  g_assert_true (ap_test_call_wait_state (call, "connected", STEP_TIMEOUT_MS));
  g_assert_true (ap_test_call_wait_state (outgoing, "connected", STEP_TIMEOUT_MS));
  ap_test_sleep (1500);
  screenshot (&t, "5-answered");

  keys (&t, "ctrl+shift+h");
  g_assert_true (ap_test_call_wait_state (call, "held", STEP_TIMEOUT_MS));
  screenshot (&t, "6-held");
  keys (&t, "ctrl+shift+h");
  g_assert_true (ap_test_call_wait_state (call, "connected", STEP_TIMEOUT_MS));
  screenshot (&t, "7-resumed");

  keys (&t, "ctrl+m");
  mute = (MuteWait){ call, TRUE };
  g_assert_true (ap_test_run_until (muted_is, &mute, STEP_TIMEOUT_MS));
  screenshot (&t, "8-muted");

  keys (&t, "ctrl+h");
  g_assert_true (ap_test_call_wait_state (call, "ended", STEP_TIMEOUT_MS));
  g_assert_true (ap_test_call_wait_state (outgoing, "ended", STEP_TIMEOUT_MS));
  ap_test_sleep (1500);
  screenshot (&t, "9-hung-up");

  /* Ctrl+Q with no calls: the program un-registers and ends. */
  g_subprocess_wait_async (t.app, NULL, on_app_exited, NULL);
  keys (&t, "ctrl+q");
  g_assert_true (ap_test_run_until (app_exited, t.app, STEP_TIMEOUT_MS));
  g_assert_cmpint (g_subprocess_get_exit_status (t.app), ==, 0);
  g_assert_cmpuint (ap_test_kamailio_count_contacts (t.kamailio, "1001"), ==, 0);

  g_free (wait.path);
  g_free (t.window);
  g_clear_object (&t.phone);
  g_clear_object (&t.app);
  ap_test_kamailio_free (t.kamailio);
  ap_test_bus_free (t.bus);
  g_free (t.home);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/trial/keyboard-only", test_trial);
  return g_test_run ();
}
