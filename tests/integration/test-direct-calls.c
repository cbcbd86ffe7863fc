/* `accept-direct-calls` off: a new INVITE that does not come from our
 * registrar (Kamailio on 127.0.0.1) gets 403 and never becomes a call; calls
 * through the registrar still ring and connect. The direct caller is a second
 * instance bound to 127.0.0.2, so its packets really come from elsewhere. */
#include "ap-test-calls.h"

#define DIRECT_SETTINGS                                                                            \
  "{\"version\": 1, \"settings\": {\"local-address\": \"127.0.0.2\", "                             \
  "\"noise-suppression\": 0, \"auto-gain\": false}}"

typedef struct {
  ApTestKamailio *kamailio;
  ApTestBus *bus_a, *bus_b;
  ApTestPhone *a; /* the agent, on 127.0.0.1 */
  ApTestPhone *b; /* the caller, on 127.0.0.2 */
  char *wav_a;
} Fixture;

/* An instance bound to 127.0.0.2 with an 880 Hz tone in. */
static ApTestPhone *
start_direct_caller (ApTestBus *bus)
{
  g_autofree char *home = ap_test_make_dir ("direct");
  g_autofree char *config = g_build_filename (home, "config", "agentphone", NULL);
  g_autofree char *settings = g_build_filename (config, "settings.json", NULL);
  const char *env[] = {
    "AGENTPHONE_AUDIO_INPUT=audiotestsrc is-live=true freq=880 volume=0.5 samplesperbuffer=480",
    "AGENTPHONE_AUDIO_OUTPUT=fakesink",
    NULL,
  };

  g_mkdir_with_parents (config, 0700);
  g_assert_true (g_file_set_contents (settings, DIRECT_SETTINGS, -1, NULL));
  return ap_test_phone_start (bus, home, env);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->kamailio = ap_test_kamailio_new (FALSE);
  ap_test_kamailio_start (f->kamailio);
  f->bus_a = ap_test_bus_new ();
  f->bus_b = ap_test_bus_new ();
  f->a = ap_test_phone_start_with_tone (f->bus_a, 440, &f->wav_a);
  f->b = start_direct_caller (f->bus_b);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  ap_test_phone_free (f->a);
  ap_test_phone_free (f->b);
  ap_test_bus_free (f->bus_a);
  ap_test_bus_free (f->bus_b);
  ap_test_kamailio_free (f->kamailio);
  g_free (f->wav_a);
}

/* B dials A's own port directly, bypassing the registrar. */
static ApDbusCall *
dial_direct (Fixture *f)
{
  g_autofree char *target
    = g_strdup_printf ("sip:1001@127.0.0.1:%u", ap_test_phone_get_listen_port (f->a));
  g_autofree char *path = NULL;
  g_autofree char *added = NULL;
  g_autoptr (GError) error = NULL;

  ap_test_phone_get_listen_port (f->b); /* bound to 127.0.0.2 before dialling */
  ap_dbus_phone_call_dial_sync (ap_test_phone_get_proxy (f->b), target,
                                g_variant_new_parsed ("@a{sv} {}"), &path, NULL, &error);
  g_assert_no_error (error);
  added = ap_test_phone_wait_call_added (f->b, 2000); /* B's own, so later dials match theirs */
  g_assert_cmpstr (added, ==, path);
  return ap_test_phone_get_call (f->b, path);
}

static void
assert_refused (Fixture *f)
{
  g_autoptr (ApDbusCall) call = dial_direct (f);
  g_auto (GStrv) calls = NULL;
  g_autofree char *log = NULL;
  g_autofree char *added = NULL;

  g_assert_true (ap_test_call_wait_state (call, "ended", 10000));
  g_assert_cmpuint (ap_dbus_call_get_end_code (call), ==, 403);
  /* Nothing reached the agent: no CallAdded, no call listed. */
  added = ap_test_phone_wait_call_added (f->a, 1000);
  g_assert_null (added);
  g_assert_true (
    ap_dbus_phone_call_list_calls_sync (ap_test_phone_get_proxy (f->a), &calls, NULL, NULL));
  g_assert_cmpuint (g_strv_length (calls), ==, 0);
  g_assert_true (g_file_get_contents (ap_test_phone_get_log (f->a), &log, NULL, NULL));
  g_assert_nonnull (strstr (log, "Refusing a direct call from 127.0.0.2"));
}

static void
test_refused_registrar_rings (Fixture *f, gconstpointer data)
{
  g_autoptr (ApDbusCall) b_call = NULL;
  g_autoptr (ApDbusCall) a_call = NULL;

  ap_test_phone_register (f->a, f->kamailio, "1001");
  ap_test_phone_configure (f->a, "{'accept-direct-calls': <false>}");
  assert_refused (f);

  /* Through the registrar: it rings, connects and carries B's tone. */
  ap_test_phone_register (f->b, f->kamailio, "1002");
  b_call = ap_test_dial (f->b, f->a, "1001", NULL, &a_call);
  ap_test_call_answer (a_call);
  g_assert_true (ap_test_call_wait_state (b_call, "connected", 10000));
  g_assert_true (ap_test_call_wait_media_active (a_call, 10000));
  ap_test_sleep (2000);
  ap_test_call_hangup (b_call);
  g_assert_true (ap_test_call_wait_state (a_call, "ended", 10000));
  ap_test_assert_tone (f->wav_a, 880, 0.5, 1.5);
}

static void
test_no_account_refuses_all (Fixture *f, gconstpointer data)
{
  ap_test_phone_configure (f->a, "{'accept-direct-calls': <false>}");
  assert_refused (f);
}

static void
test_default_rings (Fixture *f, gconstpointer data)
{
  g_autoptr (ApDbusCall) b_call = NULL;
  g_autoptr (ApDbusCall) a_call = NULL;
  g_autofree char *target = NULL;

  ap_test_phone_register (f->a, f->kamailio, "1001");
  ap_test_phone_get_listen_port (f->b);
  target = g_strdup_printf ("sip:1001@127.0.0.1:%u", ap_test_phone_get_listen_port (f->a));
  b_call = ap_test_dial (f->b, f->a, target, NULL, &a_call);
  ap_test_call_hangup (b_call);
  g_assert_true (ap_test_call_wait_state (a_call, "ended", 10000));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/direct-calls/refused-but-registrar-rings", Fixture, NULL, fixture_setup,
              test_refused_registrar_rings, fixture_teardown);
  g_test_add ("/direct-calls/no-account-refuses-all", Fixture, NULL, fixture_setup,
              test_no_account_refuses_all, fixture_teardown);
  g_test_add ("/direct-calls/default-rings", Fixture, NULL, fixture_setup, test_default_rings,
              fixture_teardown);
  return g_test_run ();
}
