/* Registrars that misbehave, vanish and come back: agentphone must recover
 * by itself, without hammering anyone. */
#include <string.h>

#include "ap-test-harness.h"

typedef struct {
  ApTestBus *bus;
  ApTestPhone *phone;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->bus = ap_test_bus_new ();
  f->phone = ap_test_phone_start (f->bus, NULL, NULL);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  ap_test_phone_free (f->phone);
  ap_test_bus_free (f->bus);
}

static void
register_to (Fixture *f, guint port, const char *extra)
{
  g_autofree char *text = g_strdup_printf ("{'local-address': <'127.0.0.1'>, "
                                           "'server': <'127.0.0.1:%u'>, 'transport': <'udp'>%s}",
                                           port, extra ? extra : "");
  g_autoptr (GError) error = NULL;

  ap_test_phone_configure (f->phone, text);
  ap_dbus_phone_call_register_sync (ap_test_phone_get_proxy (f->phone), "sip:1001@127.0.0.1", "",
                                    "pass1001", NULL, &error);
  g_assert_no_error (error);
}

static const ApTestRegistrationEvent *
find_event (Fixture *f, const char *state, guint code)
{
  GPtrArray *events = ap_test_phone_get_events (f->phone);

  for (guint i = 0; i < events->len; i++)
    {
      const ApTestRegistrationEvent *ev = events->pdata[i];

      if (g_str_equal (ev->state, state) && (code == 0 || ev->code == code))
        return ev;
    }
  return NULL;
}

/* The registrar dies while we are registered and comes back on the same
 * port: the state leaves `registered`, then returns to it unaided. */
static void
test_registrar_restart (Fixture *f, gconstpointer data)
{
  g_autoptr (ApTestKamailio) kam = ap_test_kamailio_new (FALSE);
  ApDbusPhone *proxy = ap_test_phone_get_proxy (f->phone);

  ap_test_kamailio_start (kam);
  register_to (f, ap_test_kamailio_get_port (kam), ", 'register-expires': <uint32 10>");
  g_assert_true (ap_test_phone_wait_registration (f->phone, "registered", 10000));

  ap_test_kamailio_stop (kam);
  /* UDP notices at the next refresh, within 3/4 of 10 s. */
  g_assert_true (ap_test_phone_wait_registration (f->phone, "failed", 15000));
  g_assert_cmpuint (ap_dbus_phone_get_registration_code (proxy), >=, 400);

  ap_test_kamailio_start_on (kam, ap_test_kamailio_get_port (kam));
  g_assert_true (ap_test_phone_wait_registration (f->phone, "registered", 30000));
  g_assert_true (ap_test_kamailio_wait_contacts (kam, "1001", 1, 5000));
}

typedef struct {
  ApDbusPhone *proxy;
  const char *reason;
} ReasonWait;

static gboolean
reason_is (gpointer data)
{
  ReasonWait *w = data;

  return g_strcmp0 (ap_dbus_phone_get_registration_reason (w->proxy), w->reason) == 0;
}

/* The primary does not answer: the backup takes us; when the primary comes
 * back, we move back to it and leave the backup. */
static void
test_failover_and_back (Fixture *f, gconstpointer data)
{
  g_autoptr (ApTestKamailio) backup = ap_test_kamailio_new (FALSE);
  g_autoptr (ApTestKamailio) primary = ap_test_kamailio_new (FALSE);
  guint primary_port = ap_test_free_port ();
  g_autofree char *extra = NULL;
  g_autofree char *expected = NULL;
  ApDbusPhone *proxy = ap_test_phone_get_proxy (f->phone);

  ap_test_kamailio_start (backup);
  extra = g_strdup_printf (", 'backup-servers': <['127.0.0.1:%u']>, "
                           "'failback-interval': <uint32 2>",
                           ap_test_kamailio_get_port (backup));
  register_to (f, primary_port, extra);
  g_assert_true (ap_test_phone_wait_registration (f->phone, "registered", 10000));
  g_assert_nonnull (strstr (ap_dbus_phone_get_registration_reason (proxy), "backup"));
  g_assert_true (ap_test_kamailio_wait_contacts (backup, "1001", 1, 5000));

  ap_test_kamailio_start_on (primary, primary_port);
  g_assert_true (ap_test_kamailio_wait_contacts (primary, "1001", 1, 15000));
  expected = g_strdup_printf ("Registered with 127.0.0.1:%u", primary_port);
  {
    ReasonWait w = { proxy, expected };

    g_assert_true (ap_test_run_until (reason_is, &w, 5000));
  }
  g_assert_cmpstr (ap_dbus_phone_get_registration_state (proxy), ==, "registered");
  /* The binding on the backup was removed, not left to expire. */
  g_assert_true (ap_test_kamailio_wait_contacts (backup, "1001", 0, 5000));
}

static void
test_interval_too_brief (Fixture *f, gconstpointer data)
{
  guint port = ap_test_free_port ();
  g_autoptr (ApTestSipp) sipp = ap_test_sipp_start ("registrar-423.xml", port, NULL, 30);
  int status = -1;

  register_to (f, port, ", 'register-expires': <uint32 60>");
  g_assert_true (ap_test_phone_wait_registration (f->phone, "registered", 10000));
  /* sipp checked that the second REGISTER asked for Min-Expires. */
  g_assert_true (ap_test_sipp_wait (sipp, 10000, &status));
  g_assert_cmpint (status, ==, 0);
}

static void
test_retry_after (Fixture *f, gconstpointer data)
{
  guint port = ap_test_free_port ();
  g_autoptr (ApTestSipp) sipp = ap_test_sipp_start ("registrar-503.xml", port, NULL, 30);
  const ApTestRegistrationEvent *first, *registered;
  int status = -1;

  register_to (f, port, NULL);
  g_assert_true (ap_test_phone_wait_registration (f->phone, "registered", 15000));
  /* sofia-sip waits out a Retry-After itself: the 503 never reaches the
   * account, so the wait is measured from the first REGISTER. */
  first = find_event (f, "registering", 0);
  registered = find_event (f, "registered", 200);
  g_assert_nonnull (first);
  g_assert_nonnull (registered);
  /* Retry-After: 3 is honoured, not undercut. */
  g_assert_cmpint (registered->time_us - first->time_us, >=, 2900 * 1000);
  g_assert_cmpint (registered->time_us - first->time_us, <, 8000 * 1000);
  g_assert_true (ap_test_sipp_wait (sipp, 10000, &status));
  g_assert_cmpint (status, ==, 0);
}

static void
test_forced (Fixture *f, gconstpointer data)
{
  const char *scenario = data;
  guint port = ap_test_free_port ();
  g_autoptr (ApTestSipp) sipp = ap_test_sipp_start (scenario, port, NULL, 40);
  GPtrArray *forced = ap_test_phone_get_forced (f->phone);

  register_to (f, port, ", 'register-expires': <uint32 10>");
  g_assert_true (ap_test_phone_wait_registration (f->phone, "registered", 10000));
  g_assert_cmpuint (forced->len, ==, 0);
  g_assert_true (ap_test_phone_wait_registration (f->phone, "failed", 15000));
  g_assert_cmpuint (forced->len, ==, 1);
  if (g_str_equal (scenario, "registrar-refuse-refresh.xml"))
    g_assert_cmpuint (((ApTestRegistrationEvent *) forced->pdata[0])->code, ==, 403);
  g_assert_cmpstr (((ApTestRegistrationEvent *) forced->pdata[0])->reason, !=, "");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/registrar/restart", Fixture, NULL, fixture_setup, test_registrar_restart,
              fixture_teardown);
  g_test_add ("/registrar/failover-and-back", Fixture, NULL, fixture_setup, test_failover_and_back,
              fixture_teardown);
  g_test_add ("/registrar/423-interval-too-brief", Fixture, NULL, fixture_setup,
              test_interval_too_brief, fixture_teardown);
  g_test_add ("/registrar/503-retry-after", Fixture, NULL, fixture_setup, test_retry_after,
              fixture_teardown);
  g_test_add ("/registrar/refresh-refused", Fixture, "registrar-refuse-refresh.xml", fixture_setup,
              test_forced, fixture_teardown);
  g_test_add ("/registrar/binding-dropped", Fixture, "registrar-drop-binding.xml", fixture_setup,
              test_forced, fixture_teardown);
  return g_test_run ();
}
