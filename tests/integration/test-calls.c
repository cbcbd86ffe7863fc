/* Calls between two real agentphone instances (own buses, own XDG dirs),
 * through a real Kamailio or direct, with real audio checked at the far end. */
#include <string.h>

#include "ap-test-calls.h"

#define CALL_TIMEOUT_MS 10000

static ApTestKamailio *kamailio;

typedef ApTestPair Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  ap_test_pair_start (f);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  ap_test_pair_clear (f);
}

static void
register_both (Fixture *f)
{
  ap_test_phone_register (f->a, kamailio, "1001");
  ap_test_phone_register (f->b, kamailio, "1002");
}

/* Dials from A; returns A's call and, through @incoming, B's. */

static void
talk_and_hang_up (Fixture *f, ApDbusCall *call_a, ApDbusCall *call_b, gboolean a_hangs_up)
{
  g_assert_true (ap_test_call_wait_state (call_b, "connected", CALL_TIMEOUT_MS));
  g_assert_true (ap_test_call_wait_state (call_a, "connected", CALL_TIMEOUT_MS));
  g_assert_true (ap_test_call_wait_media_active (call_a, 5000));
  g_assert_true (ap_test_call_wait_media_active (call_b, 5000));
  g_assert_cmpint (ap_dbus_call_get_start_time (call_a), >, 0);
  g_assert_cmpstr (ap_dbus_call_get_audio_codec (call_a), ==,
                   ap_dbus_call_get_audio_codec (call_b));
  ap_test_sleep (3000);
  ap_test_call_hangup (a_hangs_up ? call_a : call_b);
  g_assert_true (ap_test_call_wait_state (call_a, "ended", CALL_TIMEOUT_MS));
  g_assert_true (ap_test_call_wait_state (call_b, "ended", CALL_TIMEOUT_MS));
  g_assert_cmpuint (ap_dbus_call_get_end_code (call_a), ==, 200);
  g_assert_cmpuint (ap_dbus_call_get_end_code (call_b), ==, 200);
  /* Ended calls leave the list, and CallRemoved says so, within a second. */
  g_assert_true (ap_test_phone_wait_call_removed (
    f->a, g_dbus_proxy_get_object_path (G_DBUS_PROXY (call_a)), 1000));
  g_assert_true (ap_test_phone_wait_call_removed (
    f->b, g_dbus_proxy_get_object_path (G_DBUS_PROXY (call_b)), 1000));
  /* Audio went both ways: each side's WAV holds the other's tone. */
  ap_test_assert_tone (f->wav_b, 440, 0.5, -0.2);
  ap_test_assert_tone (f->wav_a, 880, 0.5, -0.2);
}

static void
test_call_through_registrar (Fixture *f, gconstpointer data)
{
  g_autoptr (ApDbusCall) call_b = NULL;
  g_autoptr (ApDbusCall) call_a = NULL;

  register_both (f);
  call_a = ap_test_dial (f->a, f->b, "1002", NULL, &call_b);
  g_assert_cmpstr (ap_dbus_call_get_peer (call_a), ==, "sip:1002@127.0.0.1");
  g_assert_cmpstr (ap_dbus_call_get_peer_number (call_b), ==, "1001");
  g_assert_cmpstr (ap_dbus_phone_get_seat_state (ap_test_phone_get_proxy (f->b)), ==, "ringing");
  ap_test_call_answer (call_b);
  talk_and_hang_up (f, call_a, call_b, GPOINTER_TO_INT (data));
}

static void
test_direct_call (Fixture *f, gconstpointer data)
{
  g_autofree char *target
    = g_strdup_printf ("sip:agent@127.0.0.1:%u", ap_test_phone_get_listen_port (f->b));
  g_autoptr (ApDbusCall) call_b = NULL;
  g_autoptr (ApDbusCall) call_a = NULL;

  call_a = ap_test_dial (f->a, f->b, target, NULL, &call_b);
  ap_test_call_answer (call_b);
  talk_and_hang_up (f, call_a, call_b, FALSE);
}

static void
test_reject (Fixture *f, gconstpointer data)
{
  guint code = GPOINTER_TO_UINT (data);
  g_autoptr (ApDbusCall) call_b = NULL;
  g_autoptr (ApDbusCall) call_a = NULL;
  g_autoptr (GError) error = NULL;

  register_both (f);
  call_a = ap_test_dial (f->a, f->b, "sip:1002@127.0.0.1", NULL, &call_b);
  ap_dbus_call_call_reject_sync (call_b, code, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ap_test_call_wait_state (call_a, "ended", CALL_TIMEOUT_MS));
  g_assert_true (ap_test_call_wait_state (call_b, "ended", CALL_TIMEOUT_MS));
  g_assert_cmpuint (ap_dbus_call_get_end_code (call_a), ==, code);
  g_assert_cmpuint (ap_dbus_call_get_end_code (call_b), ==, code);
  g_assert_cmpstr (ap_dbus_call_get_end_reason (call_a), !=, "");
}

/* Numbers nobody has (404 from the registrar) and a far end that is not
 * there (503, made up locally) end the call with their codes and words. */
static void
test_unreachable (Fixture *f, gconstpointer data)
{
  const char *target = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *added = NULL;
  g_autoptr (ApDbusCall) call = NULL;
  gboolean direct = g_str_has_prefix (target, "sip:");
  guint expected = direct ? 503 : 404;

  if (!direct)
    ap_test_phone_register (f->a, kamailio, "1001");
  ap_dbus_phone_call_dial_sync (ap_test_phone_get_proxy (f->a), target,
                                g_variant_new_parsed ("@a{sv} {}"), &path, NULL, &error);
  g_assert_no_error (error);
  added = ap_test_phone_wait_call_added (f->a, 2000);
  call = ap_test_phone_get_call (f->a, path);
  g_assert_true (ap_test_call_wait_state (call, "ended", CALL_TIMEOUT_MS));
  g_assert_cmpuint (ap_dbus_call_get_end_code (call), ==, expected);
  g_assert_cmpstr (ap_dbus_call_get_end_reason (call), !=, "");
  g_assert_true (ap_test_phone_wait_call_removed (f->a, path, 1000));
}

static void
test_cancel (Fixture *f, gconstpointer data)
{
  g_autoptr (ApDbusCall) call_b = NULL;
  g_autoptr (ApDbusCall) call_a = NULL;

  register_both (f);
  call_a = ap_test_dial (f->a, f->b, "1002", NULL, &call_b);
  ap_test_call_hangup (call_a);
  g_assert_true (ap_test_call_wait_state (call_a, "ended", CALL_TIMEOUT_MS));
  g_assert_true (ap_test_call_wait_state (call_b, "ended", CALL_TIMEOUT_MS));
  g_assert_cmpuint (ap_dbus_call_get_end_code (call_a), ==, 487);
  g_assert_cmpuint (ap_dbus_call_get_end_code (call_b), ==, 487);
}

static void
test_headers_and_anonymous (Fixture *f, gconstpointer data)
{
  g_autoptr (ApDbusCall) call_b = NULL;
  g_autoptr (ApDbusCall) call_a = NULL;
  g_autoptr (GVariant) headers = NULL;
  const char *value = NULL;

  register_both (f);
  call_a
    = ap_test_dial (f->a, f->b, "1002",
                    g_variant_new_parsed ("{'anonymous': <true>, 'headers': <{'X-Business-Id': "
                                          "'CRM-42', 'Subject': 'Billing question'}>}"),
                    &call_b);
  headers = ap_dbus_call_dup_headers (call_b);
  g_assert_true (g_variant_lookup (headers, "X-Business-Id", "&s", &value));
  g_assert_cmpstr (value, ==, "CRM-42");
  g_assert_true (g_variant_lookup (headers, "Subject", "&s", &value));
  g_assert_cmpstr (value, ==, "Billing question");
  g_assert_cmpstr (ap_dbus_call_get_peer (call_b), ==, "sip:anonymous@anonymous.invalid");
  g_assert_cmpstr (ap_dbus_call_get_peer_name (call_b), ==, "Anonymous");
  ap_test_call_hangup (call_a);
  g_assert_true (ap_test_call_wait_state (call_b, "ended", CALL_TIMEOUT_MS));
}

static void
test_bad_dial_arguments (Fixture *f, gconstpointer data)
{
  ApDbusPhone *proxy = ap_test_phone_get_proxy (f->a);
  const struct {
    const char *target;
    const char *options;
    const char *error;
  } cases[] = {
    { "sip:", "@a{sv} {}", "io.github.agentphone.Error.InvalidArgument" },
    { "not a number", "@a{sv} {}", "io.github.agentphone.Error.InvalidArgument" },
    { "1002", "@a{sv} {}", "io.github.agentphone.Error.NotRegistered" },
    { "sip:x@127.0.0.1", "{'headers': <{'Via': 'SIP/2.0/UDP evil'}>}",
      "io.github.agentphone.Error.InvalidArgument" },
    { "sip:x@127.0.0.1", "{'headers': <{'X-Ok': 'a\r\nVia: evil'}>}",
      "io.github.agentphone.Error.InvalidArgument" },
    { "sip:x@127.0.0.1", "{'colour': <'red'>}", "io.github.agentphone.Error.InvalidArgument" },
    { "sip:x@127.0.0.1", "{'anonymous': <'yes'>}", "io.github.agentphone.Error.InvalidArgument" },
  };
  g_auto (GStrv) calls = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *path = NULL;

      ap_dbus_phone_call_dial_sync (proxy, cases[i].target, g_variant_new_parsed (cases[i].options),
                                    &path, NULL, &error);
      g_assert_true (ap_test_dbus_error_is (error, cases[i].error));
    }
  g_assert_true (ap_dbus_phone_call_list_calls_sync (proxy, &calls, NULL, NULL));
  g_assert_cmpuint (g_strv_length (calls), ==, 0);
}

/* Answer on an outgoing call, Reject with a non-refusal: contract errors,
 * and the call goes on. */
static void
test_bad_call_operations (Fixture *f, gconstpointer data)
{
  g_autoptr (ApDbusCall) call_b = NULL;
  g_autoptr (ApDbusCall) call_a = NULL;
  g_autoptr (GError) error = NULL;

  register_both (f);
  call_a = ap_test_dial (f->a, f->b, "1002", NULL, &call_b);
  ap_dbus_call_call_answer_sync (call_a, FALSE, NULL, &error);
  g_assert_true (ap_test_dbus_error_is (error, "io.github.agentphone.Error.InvalidState"));
  g_clear_error (&error);
  ap_dbus_call_call_reject_sync (call_b, 200, NULL, &error);
  g_assert_true (ap_test_dbus_error_is (error, "io.github.agentphone.Error.InvalidArgument"));
  g_clear_error (&error);
  g_assert_cmpstr (ap_dbus_call_get_state (call_b), ==, "incoming");
  ap_test_call_answer (call_b);
  g_assert_true (ap_test_call_wait_state (call_a, "connected", CALL_TIMEOUT_MS));
  ap_dbus_call_call_answer_sync (call_b, FALSE, NULL, &error);
  g_assert_true (ap_test_dbus_error_is (error, "io.github.agentphone.Error.InvalidState"));
  ap_test_call_hangup (call_b);
  g_assert_true (ap_test_call_wait_state (call_a, "ended", CALL_TIMEOUT_MS));
}

static void
test_unacceptable_sdp (Fixture *f, gconstpointer data)
{
  g_autofree char *remote = g_strdup_printf ("127.0.0.1:%u", ap_test_phone_get_listen_port (f->b));
  g_autoptr (ApTestSipp) sipp
    = ap_test_sipp_start ("uac-unacceptable-sdp.xml", ap_test_free_port (), remote, 20);
  int status = -1;
  g_auto (GStrv) calls = NULL;

  g_assert_true (ap_test_sipp_wait (sipp, 20000, &status));
  /* sipp exits 0 only when the answer was 488. */
  g_assert_cmpint (status, ==, 0);
  g_assert_true (
    ap_dbus_phone_call_list_calls_sync (ap_test_phone_get_proxy (f->b), &calls, NULL, NULL));
  g_assert_cmpuint (g_strv_length (calls), ==, 0);
  /* It never rang: no call was ever announced. */
  g_assert_null (ap_test_phone_wait_call_added (f->b, 500));
}

static void
set_answer_mode (ApTestPhone *phone, const char *mode, guint delay)
{
  g_autoptr (GError) error = NULL;

  ap_dbus_phone_call_set_answer_mode_sync (ap_test_phone_get_proxy (phone), mode, delay, NULL,
                                           &error);
  g_assert_no_error (error);
}

static void
set_agent_state (ApTestPhone *phone, const char *state, guint seconds)
{
  g_autoptr (GError) error = NULL;

  ap_dbus_phone_call_set_agent_state_sync (ap_test_phone_get_proxy (phone), state, seconds, NULL,
                                           &error);
  g_assert_no_error (error);
}

/* A calls B, who refuses at once without ringing; returns A's end code. */
static guint
call_refused (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *added = NULL;
  g_autoptr (ApDbusCall) call = NULL;

  ap_dbus_phone_call_dial_sync (ap_test_phone_get_proxy (f->a), "1002",
                                g_variant_new_parsed ("@a{sv} {}"), &path, NULL, &error);
  g_assert_no_error (error);
  added = ap_test_phone_wait_call_added (f->a, 2000);
  g_assert_cmpstr (added, ==, path);
  call = ap_test_phone_get_call (f->a, path);
  g_assert_true (ap_test_call_wait_state (call, "ended", CALL_TIMEOUT_MS));
  /* B never showed a call. */
  g_assert_null (ap_test_phone_wait_call_added (f->b, 300));
  return ap_dbus_call_get_end_code (call);
}

static gboolean
answer_mode_is_dnd (gpointer data)
{
  return g_strcmp0 (ap_dbus_phone_get_answer_mode (data), "do-not-disturb") == 0;
}

static void
test_do_not_disturb (Fixture *f, gconstpointer data)
{
  register_both (f);
  set_answer_mode (f->b, "do-not-disturb", 0);
  /* The property follows (PropertiesChanged). */
  g_assert_true (ap_test_run_until (answer_mode_is_dnd, ap_test_phone_get_proxy (f->b), 2000));
  g_assert_cmpuint (call_refused (f), ==, 486);
}

static gboolean
seat_is_busy (gpointer data)
{
  return g_strcmp0 (ap_dbus_phone_get_seat_state (data), "busy") == 0;
}

static gboolean
agent_in_wrap_up (gpointer data)
{
  return g_strcmp0 (ap_dbus_phone_get_agent_state (data), "wrap-up") == 0;
}

static void
test_agent_states (Fixture *f, gconstpointer data)
{
  ApDbusPhone *b = ap_test_phone_get_proxy (f->b);
  g_autoptr (ApDbusCall) call_b = NULL;
  g_autoptr (ApDbusCall) call_a = NULL;

  register_both (f);
  set_agent_state (f->b, "away", 0);
  g_assert_true (ap_test_run_until (seat_is_busy, b, 2000));
  g_assert_cmpuint (call_refused (f), ==, 480);
  set_agent_state (f->b, "resting", 0);
  g_assert_cmpuint (call_refused (f), ==, 486);
  /* Wrap-up for 2 s, then available again by itself, and calls ring. */
  set_agent_state (f->b, "wrap-up", 2);
  g_assert_true (ap_test_run_until (agent_in_wrap_up, b, 1000));
  g_assert_cmpuint (call_refused (f), ==, 486);
  ap_test_sleep (3000);
  g_assert_cmpstr (ap_dbus_phone_get_agent_state (b), ==, "available");
  g_assert_cmpstr (ap_dbus_phone_get_seat_state (b), ==, "idle");
  call_a = ap_test_dial (f->a, f->b, "1002", NULL, &call_b);
  ap_test_call_hangup (call_a);
  g_assert_true (ap_test_call_wait_state (call_b, "ended", CALL_TIMEOUT_MS));
}

static void
test_auto_answer (Fixture *f, gconstpointer data)
{
  g_autoptr (ApDbusCall) call_b = NULL;
  g_autoptr (ApDbusCall) call_a = NULL;
  gint64 rang;

  register_both (f);
  set_answer_mode (f->b, "auto-answer", 1);
  call_a = ap_test_dial (f->a, f->b, "1002", NULL, &call_b);
  rang = g_get_monotonic_time ();
  g_assert_true (ap_test_call_wait_state (call_b, "connected", 5000));
  /* After the delay, not before. */
  g_assert_cmpint (g_get_monotonic_time () - rang, >=, 700 * 1000);
  g_assert_true (ap_test_call_wait_state (call_a, "connected", CALL_TIMEOUT_MS));
  ap_test_call_hangup (call_b);
  g_assert_true (ap_test_call_wait_state (call_a, "ended", CALL_TIMEOUT_MS));
}

static void
test_auto_reject (Fixture *f, gconstpointer data)
{
  g_autoptr (ApDbusCall) call_b = NULL;
  g_autoptr (ApDbusCall) call_a = NULL;

  register_both (f);
  set_answer_mode (f->b, "auto-reject", 1);
  call_a = ap_test_dial (f->a, f->b, "1002", NULL, &call_b);
  g_assert_true (ap_test_call_wait_state (call_a, "ended", 5000));
  g_assert_cmpuint (ap_dbus_call_get_end_code (call_a), ==, 486);
}

static void
test_bad_agent_arguments (Fixture *f, gconstpointer data)
{
  ApDbusPhone *b = ap_test_phone_get_proxy (f->b);
  g_autoptr (GError) error = NULL;

  ap_dbus_phone_call_set_answer_mode_sync (b, "sometimes", 0, NULL, &error);
  g_assert_true (ap_test_dbus_error_is (error, "io.github.agentphone.Error.InvalidArgument"));
  g_clear_error (&error);
  ap_dbus_phone_call_set_agent_state_sync (b, "sleeping", 0, NULL, &error);
  g_assert_true (ap_test_dbus_error_is (error, "io.github.agentphone.Error.InvalidArgument"));
  g_clear_error (&error);
  ap_dbus_phone_call_send_message_sync (b, "sip:x@127.0.0.1", "", NULL, &error);
  g_assert_true (ap_test_dbus_error_is (error, "io.github.agentphone.Error.InvalidArgument"));
  g_assert_cmpstr (ap_dbus_phone_get_agent_state (b), ==, "available");
  g_assert_cmpstr (ap_dbus_phone_get_answer_mode (b), ==, "manual");
}

static gboolean
has_message (gpointer data)
{
  return ((GPtrArray *) data)->len > 0;
}

static void
test_messages (Fixture *f, gconstpointer data)
{
  GPtrArray *to_b = ap_test_phone_get_messages (f->b);
  GPtrArray *to_a = ap_test_phone_get_messages (f->a);
  g_autoptr (GError) error = NULL;

  register_both (f);
  ap_dbus_phone_call_send_message_sync (ap_test_phone_get_proxy (f->a), "1002",
                                        "Customer 42 is on line 2 — 你好", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ap_test_run_until (has_message, to_b, CALL_TIMEOUT_MS));
  g_assert_cmpstr (to_b->pdata[0], ==, "sip:1001@127.0.0.1\nCustomer 42 is on line 2 — 你好");
  ap_dbus_phone_call_send_message_sync (ap_test_phone_get_proxy (f->b), "sip:1001@127.0.0.1", "ok",
                                        NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ap_test_run_until (has_message, to_a, CALL_TIMEOUT_MS));
  g_assert_cmpstr (to_a->pdata[0], ==, "sip:1002@127.0.0.1\nok");
}

int
main (int argc, char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);
  kamailio = ap_test_kamailio_new (FALSE);
  ap_test_kamailio_start (kamailio);

  g_test_add ("/calls/registrar/caller-hangs-up", Fixture, GINT_TO_POINTER (TRUE), fixture_setup,
              test_call_through_registrar, fixture_teardown);
  g_test_add ("/calls/registrar/callee-hangs-up", Fixture, GINT_TO_POINTER (FALSE), fixture_setup,
              test_call_through_registrar, fixture_teardown);
  g_test_add ("/calls/direct-no-account", Fixture, NULL, fixture_setup, test_direct_call,
              fixture_teardown);
  g_test_add ("/calls/reject-486", Fixture, GUINT_TO_POINTER (486), fixture_setup, test_reject,
              fixture_teardown);
  g_test_add ("/calls/reject-603", Fixture, GUINT_TO_POINTER (603), fixture_setup, test_reject,
              fixture_teardown);
  g_test_add ("/calls/cancel", Fixture, NULL, fixture_setup, test_cancel, fixture_teardown);
  g_test_add ("/calls/unknown-number-404", Fixture, "1009", fixture_setup, test_unreachable,
              fixture_teardown);
  /* Port 9 (discard) on loopback: nothing listens, the ICMP refusal is a 503. */
  g_test_add ("/calls/nobody-there-503", Fixture, "sip:nobody@127.0.0.1:9", fixture_setup,
              test_unreachable, fixture_teardown);
  g_test_add ("/calls/headers-and-anonymous", Fixture, NULL, fixture_setup,
              test_headers_and_anonymous, fixture_teardown);
  g_test_add ("/calls/bad-dial-arguments", Fixture, NULL, fixture_setup, test_bad_dial_arguments,
              fixture_teardown);
  g_test_add ("/calls/bad-call-operations", Fixture, NULL, fixture_setup, test_bad_call_operations,
              fixture_teardown);
  g_test_add ("/calls/unacceptable-sdp-488", Fixture, NULL, fixture_setup, test_unacceptable_sdp,
              fixture_teardown);
  g_test_add ("/calls/do-not-disturb", Fixture, NULL, fixture_setup, test_do_not_disturb,
              fixture_teardown);
  g_test_add ("/calls/agent-states", Fixture, NULL, fixture_setup, test_agent_states,
              fixture_teardown);
  g_test_add ("/calls/auto-answer", Fixture, NULL, fixture_setup, test_auto_answer,
              fixture_teardown);
  g_test_add ("/calls/auto-reject", Fixture, NULL, fixture_setup, test_auto_reject,
              fixture_teardown);
  g_test_add ("/calls/bad-agent-arguments", Fixture, NULL, fixture_setup, test_bad_agent_arguments,
              fixture_teardown);
  g_test_add ("/calls/messages", Fixture, NULL, fixture_setup, test_messages, fixture_teardown);
  result = g_test_run ();
  ap_test_kamailio_free (kamailio);
  return result;
}
