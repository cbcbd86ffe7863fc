/* Opening a sip:/tel: link (`agentphone sip:1002@host`, what the desktop
 * runs for x-scheme-handler/sip) dials it in the instance already running:
 * a second process only forwards the link over DBus. */
#include <string.h>

#include "ap-test-calls.h"

#define CALL_TIMEOUT_MS 10000

static ApTestKamailio *kamailio;

typedef struct {
  ApTestBus *bus_a, *bus_b;
  ApTestPhone *a, *b;
  char *wav_a, *wav_b;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->bus_a = ap_test_bus_new ();
  f->bus_b = ap_test_bus_new ();
  f->a = ap_test_phone_start_with_tone (f->bus_a, 440, &f->wav_a);
  f->b = ap_test_phone_start_with_tone (f->bus_b, 880, &f->wav_b);
  /* The registrar only routes calls from its own users. */
  ap_test_phone_register (f->a, kamailio, "1001");
  ap_test_phone_register (f->b, kamailio, "1002");
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  ap_test_phone_free (f->a);
  ap_test_phone_free (f->b);
  ap_test_bus_free (f->bus_a);
  ap_test_bus_free (f->bus_b);
  g_free (f->wav_a);
  g_free (f->wav_b);
}

/* `agentphone ARGS…` as a second process on A's bus, with its own XDG
 * folders (it must not touch the running one's); returns its exit status. */
static int
run_second_instance (Fixture *f, const char *const *args)
{
  g_autoptr (GSubprocessLauncher) launcher
    = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *home = ap_test_make_dir ("second");
  g_autoptr (GCancellable) timeout = g_cancellable_new ();
  guint timeout_id;

  g_ptr_array_add (argv, (char *) g_getenv ("AGENTPHONE_BIN"));
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS",
                                ap_test_bus_get_address (f->bus_a), TRUE);
  g_subprocess_launcher_setenv (launcher, "HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", home, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  /* Bounded: a second instance that hangs fails the test. */
  timeout_id = g_timeout_add_once (10000, (GSourceOnceFunc) g_cancellable_cancel, timeout);
  g_subprocess_wait (process, timeout, &error);
  g_source_remove (timeout_id);
  g_assert_no_error (error);
  return g_subprocess_get_exit_status (process);
}

static ApDbusCall *
wait_call (ApTestPhone *phone)
{
  g_autofree char *path = ap_test_phone_wait_call_added (phone, CALL_TIMEOUT_MS);

  g_assert_nonnull (path);
  return ap_test_phone_get_call (phone, path);
}

/* A sip: link dials exactly that address from the running instance. */
static void
test_open_sip (Fixture *f, gconstpointer data)
{
  g_autofree char *uri
    = g_strdup_printf ("sip:1002@127.0.0.1:%u", ap_test_kamailio_get_port (kamailio));
  const char *args[] = { uri, NULL };
  g_autoptr (ApDbusCall) outgoing = NULL;
  g_autoptr (ApDbusCall) incoming = NULL;

  g_assert_cmpint (run_second_instance (f, args), ==, 0);
  outgoing = wait_call (f->a);
  g_assert_cmpstr (ap_dbus_call_get_direction (outgoing), ==, "outgoing");
  g_assert_true (g_str_has_prefix (ap_dbus_call_get_peer (outgoing), "sip:1002@127.0.0.1"));
  /* It is a real call: it rings at 1002, and connects once answered. */
  incoming = wait_call (f->b);
  ap_test_call_answer (incoming);
  g_assert_true (ap_test_call_wait_state (outgoing, "connected", CALL_TIMEOUT_MS));
  ap_test_call_hangup (outgoing);
  g_assert_true (ap_test_call_wait_state (incoming, "ended", CALL_TIMEOUT_MS));
}

/* A tel: link is completed with the running instance's account domain. */
static void
test_open_tel (Fixture *f, gconstpointer data)
{
  const char *args[] = { "tel:1002", NULL };
  g_autoptr (ApDbusCall) outgoing = NULL;
  g_autoptr (ApDbusCall) incoming = NULL;

  g_assert_cmpint (run_second_instance (f, args), ==, 0);
  outgoing = wait_call (f->a);
  g_assert_true (g_str_has_prefix (ap_dbus_call_get_peer (outgoing), "sip:1002@127.0.0.1"));
  incoming = wait_call (f->b);
  ap_test_call_hangup (outgoing);
  g_assert_true (ap_test_call_wait_state (incoming, "ended", CALL_TIMEOUT_MS));
}

static gboolean
log_says (gpointer data)
{
  Fixture *f = data;
  g_autofree char *text = NULL;

  return g_file_get_contents (ap_test_phone_get_log (f->a), &text, NULL, NULL)
         && strstr (text, "Cannot dial “sip:”") != NULL
         && strstr (text, "not a valid SIP address") != NULL;
}

/* A broken link dials nothing and says why in the running instance's log. */
static void
test_open_bad_link (Fixture *f, gconstpointer data)
{
  const char *args[] = { "sip:", NULL };
  g_autofree char *path = NULL;

  g_assert_cmpint (run_second_instance (f, args), ==, 0);
  g_assert_true (ap_test_run_until (log_says, f, 5000));
  path = ap_test_phone_wait_call_added (f->a, 500);
  g_assert_null (path);
}

int
main (int argc, char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);
  kamailio = ap_test_kamailio_new (FALSE);
  ap_test_kamailio_start (kamailio);
  g_test_add ("/open-uri/sip", Fixture, NULL, fixture_setup, test_open_sip, fixture_teardown);
  g_test_add ("/open-uri/tel", Fixture, NULL, fixture_setup, test_open_tel, fixture_teardown);
  g_test_add ("/open-uri/bad-link", Fixture, NULL, fixture_setup, test_open_bad_link,
              fixture_teardown);
  result = g_test_run ();
  ap_test_kamailio_free (kamailio);
  return result;
}
