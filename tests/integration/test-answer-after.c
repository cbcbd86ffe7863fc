/* Auto-answer asked for by the INVITE (Call-Info answer-after) happens only
 * when `auto-answer-header` is on and the request really comes from a
 * trusted host; anyone else who reaches our port only makes it ring. */
#include "ap-test-calls.h"

typedef struct {
  ApTestBus *bus;
  ApTestPhone *phone;
  char *wav;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->bus = ap_test_bus_new ();
  f->phone = ap_test_phone_start_with_tone (f->bus, 440, &f->wav);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  ap_test_phone_free (f->phone);
  ap_test_bus_free (f->bus);
  g_free (f->wav);
}

typedef struct {
  const char *settings;
  const char *scenario;
} Case;

static void
test_answer_after (Fixture *f, gconstpointer data)
{
  const Case *c = data;
  g_autofree char *remote = NULL;
  g_autoptr (ApTestSipp) sipp = NULL;
  g_autofree char *path = NULL;
  g_autoptr (ApDbusCall) call = NULL;
  int status = -1;

  ap_test_phone_configure (f->phone, c->settings);
  remote = g_strdup_printf ("127.0.0.1:%u", ap_test_phone_get_listen_port (f->phone));
  sipp = ap_test_sipp_start (c->scenario, ap_test_free_port (), remote, 20);
  path = ap_test_phone_wait_call_added (f->phone, 5000);
  g_assert_nonnull (path);
  call = ap_test_phone_get_call (f->phone, path);
  g_assert_true (ap_test_sipp_wait (sipp, 20000, &status));
  /* sipp checked what happened: answered, or only rang and was cancelled. */
  g_assert_cmpint (status, ==, 0);
  g_assert_true (ap_test_call_wait_state (call, "ended", 5000));
}

int
main (int argc, char **argv)
{
  static const Case trusted = {
    "{'auto-answer-header': <true>, 'auto-answer-trusted': <['127.0.0.1']>}",
    "uac-answer-after-answered.xml",
  };
  static const Case untrusted = {
    "{'auto-answer-header': <true>, 'auto-answer-trusted': <['127.0.0.9']>}",
    "uac-answer-after-ignored.xml",
  };
  static const Case registrar_only = {
    /* Empty list: only the registrar, and we are not registered. */
    "{'auto-answer-header': <true>}",
    "uac-answer-after-ignored.xml",
  };
  static const Case header_off = {
    "{'auto-answer-header': <false>, 'auto-answer-trusted': <['127.0.0.1']>}",
    "uac-answer-after-ignored.xml",
  };

  g_test_init (&argc, &argv, NULL);
  g_test_add ("/answer-after/trusted", Fixture, &trusted, fixture_setup, test_answer_after,
              fixture_teardown);
  g_test_add ("/answer-after/untrusted-host", Fixture, &untrusted, fixture_setup, test_answer_after,
              fixture_teardown);
  g_test_add ("/answer-after/not-the-registrar", Fixture, &registrar_only, fixture_setup,
              test_answer_after, fixture_teardown);
  g_test_add ("/answer-after/setting-off", Fixture, &header_off, fixture_setup, test_answer_after,
              fixture_teardown);
  return g_test_run ();
}
