/* Controls during a call: hold and resume (SDP direction and what is heard),
 * mute, call waiting. Real instances through a real Kamailio. */
#include "ap-test-calls.h"

#define CALL_TIMEOUT_MS 10000

static ApTestKamailio *kamailio;

typedef struct {
  ApTestBus *bus[3];
  ApTestPhone *phone[3]; /* 1001 (440 Hz), 1002 (880 Hz), 1003 (660 Hz) */
  char *wav[3];
} Fixture;

static void
setup_phones (Fixture *f, guint n)
{
  const guint freq[] = { 440, 880, 660 };
  const char *user[] = { "1001", "1002", "1003" };

  for (guint i = 0; i < n; i++)
    {
      f->bus[i] = ap_test_bus_new ();
      f->phone[i] = ap_test_phone_start_with_tone (f->bus[i], freq[i], &f->wav[i]);
      ap_test_phone_register (f->phone[i], kamailio, user[i]);
    }
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  setup_phones (f, 2);
}

static void
fixture_setup_three (Fixture *f, gconstpointer data)
{
  setup_phones (f, 3);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  for (guint i = 0; i < 3; i++)
    {
      ap_test_phone_free (f->phone[i]);
      ap_test_bus_free (f->bus[i]);
      g_free (f->wav[i]);
    }
}

static gboolean
is_held (gpointer call)
{
  return ap_dbus_call_get_held (call);
}

static gboolean
is_remote_held (gpointer call)
{
  return ap_dbus_call_get_remote_held (call);
}

static gboolean
is_not_remote_held (gpointer call)
{
  return !ap_dbus_call_get_remote_held (call);
}

static gboolean
seat_is_held (gpointer phone)
{
  return g_strcmp0 (ap_dbus_phone_get_seat_state (phone), "held") == 0;
}

static gboolean
is_muted (gpointer call)
{
  return ap_dbus_call_get_muted (call);
}

/* Seconds since @t0 (monotonic µs): where we are in the far end's WAV,
 * which starts when its call connected. */
static double
since (gint64 t0)
{
  return (g_get_monotonic_time () - t0) / 1e6;
}

static void
test_hold_resume (Fixture *f, gconstpointer data)
{
  g_autoptr (ApDbusCall) call_b = NULL;
  g_autoptr (ApDbusCall) call_a = NULL;
  g_autoptr (GError) error = NULL;
  double hold_at, resume_at, end_at;
  gint64 t0;

  call_a = ap_test_dial (f->phone[0], f->phone[1], "1002", NULL, &call_b);
  ap_test_call_answer (call_b);
  g_assert_true (ap_test_call_wait_state (call_a, "connected", CALL_TIMEOUT_MS));
  t0 = g_get_monotonic_time ();
  g_assert_true (ap_test_call_wait_media_active (call_a, 5000));
  ap_test_sleep (2000);

  hold_at = since (t0);
  ap_dbus_call_call_hold_sync (call_a, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ap_test_call_wait_state (call_a, "held", CALL_TIMEOUT_MS));
  g_assert_true (ap_test_run_until (is_held, call_a, 2000));
  /* The far end sees itself held (our SDP said sendonly) but stays connected. */
  g_assert_true (ap_test_run_until (is_remote_held, call_b, 5000));
  g_assert_cmpstr (ap_dbus_call_get_state (call_b), ==, "connected");
  g_assert_false (ap_dbus_call_get_held (call_b));
  g_assert_true (ap_test_run_until (seat_is_held, ap_test_phone_get_proxy (f->phone[0]), 2000));
  /* Holding twice is refused. */
  ap_dbus_call_call_hold_sync (call_a, NULL, &error);
  g_assert_true (ap_test_dbus_error_is (error, "io.github.agentphone.Error.InvalidState"));
  g_clear_error (&error);
  ap_test_sleep (2500);

  resume_at = since (t0);
  ap_dbus_call_call_resume_sync (call_a, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ap_test_call_wait_state (call_a, "connected", CALL_TIMEOUT_MS));
  g_assert_true (ap_test_run_until (is_not_remote_held, call_b, 5000));
  ap_test_sleep (2500);
  end_at = since (t0);
  ap_test_call_hangup (call_a);
  g_assert_true (ap_test_call_wait_state (call_b, "ended", CALL_TIMEOUT_MS));

  /* What 1002 heard: 1001's tone, nothing while held, the tone again. */
  ap_test_assert_tone (f->wav[1], 440, 0.6, hold_at - 0.2);
  ap_test_assert_silence (f->wav[1], hold_at + 1.0, resume_at - 0.3);
  ap_test_assert_tone (f->wav[1], 440, resume_at + 1.0, end_at - 0.5);
}

static void
test_mute (Fixture *f, gconstpointer data)
{
  g_autoptr (ApDbusCall) call_b = NULL;
  g_autoptr (ApDbusCall) call_a = NULL;
  g_autoptr (GError) error = NULL;
  double mute_at, unmute_at, end_at;
  gint64 t0;

  call_a = ap_test_dial (f->phone[0], f->phone[1], "1002", NULL, &call_b);
  ap_test_call_answer (call_b);
  g_assert_true (ap_test_call_wait_state (call_b, "connected", CALL_TIMEOUT_MS));
  t0 = g_get_monotonic_time ();
  g_assert_true (ap_test_call_wait_media_active (call_b, 5000));
  ap_test_sleep (1500);
  mute_at = since (t0);
  ap_dbus_call_call_set_muted_sync (call_a, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ap_test_run_until (is_muted, call_a, 2000));
  ap_test_sleep (2000);
  unmute_at = since (t0);
  ap_dbus_call_call_set_muted_sync (call_a, FALSE, NULL, &error);
  g_assert_no_error (error);
  ap_test_sleep (2000);
  end_at = since (t0);
  /* Mute renegotiates nothing: the call never left `connected`. */
  g_assert_cmpstr (ap_dbus_call_get_state (call_a), ==, "connected");
  g_assert_false (ap_dbus_call_get_remote_held (call_b));
  ap_test_call_hangup (call_b);
  g_assert_true (ap_test_call_wait_state (call_a, "ended", CALL_TIMEOUT_MS));

  ap_test_assert_tone (f->wav[1], 440, 0.6, mute_at - 0.2);
  ap_test_assert_silence (f->wav[1], mute_at + 0.5, unmute_at - 0.2);
  ap_test_assert_tone (f->wav[1], 440, unmute_at + 0.5, end_at - 0.5);
  /* The other direction was never muted. */
  ap_test_assert_tone (f->wav[0], 880, mute_at + 0.5, unmute_at - 0.2);
}

/* 1001 talks to 1002; 1003 calls 1002, whose second call rings; answering
 * it puts 1001 on hold. */
static void
test_call_waiting (Fixture *f, gconstpointer data)
{
  g_autoptr (ApDbusCall) first_b = NULL;
  g_autoptr (ApDbusCall) first_a = NULL;
  g_autoptr (ApDbusCall) second_b = NULL;
  g_autoptr (ApDbusCall) second_c = NULL;
  g_auto (GStrv) calls = NULL;

  first_a = ap_test_dial (f->phone[0], f->phone[1], "1002", NULL, &first_b);
  ap_test_call_answer (first_b);
  g_assert_true (ap_test_call_wait_state (first_a, "connected", CALL_TIMEOUT_MS));

  second_c = ap_test_dial (f->phone[2], f->phone[1], "1002", NULL, &second_b);
  g_assert_cmpstr (ap_dbus_call_get_state (second_b), ==, "incoming");
  g_assert_cmpstr (ap_dbus_call_get_state (first_b), ==, "connected");
  g_assert_true (
    ap_dbus_phone_call_list_calls_sync (ap_test_phone_get_proxy (f->phone[1]), &calls, NULL, NULL));
  g_assert_cmpuint (g_strv_length (calls), ==, 2);

  ap_test_call_answer (second_b);
  g_assert_true (ap_test_call_wait_state (second_c, "connected", CALL_TIMEOUT_MS));
  g_assert_true (ap_test_call_wait_state (first_b, "held", CALL_TIMEOUT_MS));
  g_assert_true (ap_test_run_until (is_remote_held, first_a, 5000));
  g_assert_true (ap_test_call_wait_media_active (second_b, 5000));

  ap_test_call_hangup (second_c);
  g_assert_true (ap_test_call_wait_state (second_b, "ended", CALL_TIMEOUT_MS));
  ap_test_call_hangup (first_a);
  g_assert_true (ap_test_call_wait_state (first_b, "ended", CALL_TIMEOUT_MS));
}

static void
on_dtmf (ApDbusCall *call, const char *digit, GString *received)
{
  g_string_append (received, digit);
}

static gboolean
has_digits (gpointer data)
{
  return ((GString *) data)->len >= 6;
}

/* Digits sent in each mode arrive in order, pauses included. */
static void
test_dtmf (Fixture *f, gconstpointer data)
{
  const char *mode = data;
  g_autoptr (ApDbusCall) call_b = NULL;
  g_autoptr (ApDbusCall) call_a = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) received = g_string_new (NULL);
  g_autofree char *settings = g_strdup_printf ("{'dtmf-mode': <'%s'>}", mode);

  ap_test_phone_configure (f->phone[0], settings);
  /* In-band digits are only listened for when the receiver expects them. */
  if (g_str_equal (mode, "inband"))
    ap_test_phone_configure (f->phone[1], settings);
  call_a = ap_test_dial (f->phone[0], f->phone[1], "1002", NULL, &call_b);
  g_signal_connect (call_b, "dtmf-received", G_CALLBACK (on_dtmf), received);
  ap_test_call_answer (call_b);
  g_assert_true (ap_test_call_wait_state (call_a, "connected", CALL_TIMEOUT_MS));
  g_assert_true (ap_test_call_wait_media_active (call_a, 5000));

  ap_dbus_call_call_send_dtmf_sync (call_a, "12,#*A9", NULL, &error);
  g_assert_no_error (error);
  if (!ap_test_run_until (has_digits, received, 10000))
    g_test_message ("Digits received: '%s'; receiver's log: %s", received->str,
                    ap_test_phone_get_log (f->phone[1]));
  g_assert_true (has_digits (received));
  ap_test_sleep (500); /* nothing more, nothing twice */
  g_assert_cmpstr (received->str, ==, "12#*A9");

  ap_dbus_call_call_send_dtmf_sync (call_a, "12x", NULL, &error);
  g_assert_true (ap_test_dbus_error_is (error, "io.github.agentphone.Error.InvalidArgument"));
  ap_test_call_hangup (call_a);
  g_assert_true (ap_test_call_wait_state (call_b, "ended", CALL_TIMEOUT_MS));
}

static void
on_transfer_progress (ApDbusCall *call, guint code, const char *reason, GArray *codes)
{
  g_array_append_val (codes, code);
}

static gboolean
transfer_succeeded (gpointer data)
{
  GArray *codes = data;

  return codes->len > 0 && g_array_index (codes, guint, codes->len - 1) == 200;
}

/* 1001 calls agent 1002, who transfers the caller to 1003 (REFER): 1001
 * calls 1003 by itself, 1002 drops out once 1001 reports success. */
static void
test_blind_transfer (Fixture *f, gconstpointer data)
{
  g_autoptr (ApDbusCall) caller = NULL;
  g_autoptr (ApDbusCall) agent = NULL;
  g_autoptr (ApDbusCall) new_call = NULL;
  g_autoptr (ApDbusCall) target = NULL;
  g_autoptr (GArray) codes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (GError) error = NULL;
  g_autofree char *new_path = NULL;
  g_autofree char *target_path = NULL;

  caller = ap_test_dial (f->phone[0], f->phone[1], "1002", NULL, &agent);
  ap_test_call_answer (agent);
  g_assert_true (ap_test_call_wait_state (caller, "connected", CALL_TIMEOUT_MS));
  g_signal_connect (agent, "transfer-progress", G_CALLBACK (on_transfer_progress), codes);

  ap_dbus_call_call_transfer_sync (agent, "not a target", NULL, &error);
  g_assert_true (ap_test_dbus_error_is (error, "io.github.agentphone.Error.InvalidArgument"));
  g_clear_error (&error);
  ap_dbus_call_call_transfer_sync (agent, "1003", NULL, &error);
  g_assert_no_error (error);

  /* The caller places the new call itself; it rings at 1003. */
  new_path = ap_test_phone_wait_call_added (f->phone[0], CALL_TIMEOUT_MS);
  g_assert_nonnull (new_path);
  new_call = ap_test_phone_get_call (f->phone[0], new_path);
  g_assert_cmpstr (ap_dbus_call_get_peer (new_call), ==, "sip:1003@127.0.0.1");
  target_path = ap_test_phone_wait_call_added (f->phone[2], CALL_TIMEOUT_MS);
  g_assert_nonnull (target_path);
  target = ap_test_phone_get_call (f->phone[2], target_path);
  g_assert_cmpstr (ap_dbus_call_get_peer_number (target), ==, "1001");
  ap_test_call_answer (target);

  g_assert_true (ap_test_run_until (transfer_succeeded, codes, CALL_TIMEOUT_MS));
  g_assert_true (ap_test_call_wait_state (agent, "ended", CALL_TIMEOUT_MS));
  g_assert_cmpstr (ap_dbus_call_get_end_reason (agent), ==, "Transferred");
  g_assert_true (ap_test_call_wait_state (caller, "ended", CALL_TIMEOUT_MS));
  g_assert_true (ap_test_call_wait_state (new_call, "connected", CALL_TIMEOUT_MS));
  g_assert_true (ap_test_call_wait_media_active (target, 5000));
  ap_test_call_hangup (target);
  g_assert_true (ap_test_call_wait_state (new_call, "ended", CALL_TIMEOUT_MS));
}

/* Agent 1002 has the caller 1001 on hold and a consultation call with
 * 1003; TransferToCall puts 1001 through to 1003 (REFER with Replaces):
 * 1003's consultation call is replaced, answered by itself, and 1002 ends
 * up with no calls. */
static void
test_attended_transfer (Fixture *f, gconstpointer data)
{
  g_autoptr (ApDbusCall) caller = NULL;
  g_autoptr (ApDbusCall) agent_to_caller = NULL;
  g_autoptr (ApDbusCall) agent_to_target = NULL;
  g_autoptr (ApDbusCall) target_from_agent = NULL;
  g_autoptr (ApDbusCall) caller_new = NULL;
  g_autoptr (ApDbusCall) target_new = NULL;
  g_autoptr (GArray) codes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (GError) error = NULL;
  g_autofree char *caller_new_path = NULL;
  g_autofree char *target_new_path = NULL;
  g_auto (GStrv) left = NULL;

  caller = ap_test_dial (f->phone[0], f->phone[1], "1002", NULL, &agent_to_caller);
  ap_test_call_answer (agent_to_caller);
  g_assert_true (ap_test_call_wait_state (caller, "connected", CALL_TIMEOUT_MS));
  ap_dbus_call_call_hold_sync (agent_to_caller, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ap_test_call_wait_state (agent_to_caller, "held", CALL_TIMEOUT_MS));

  agent_to_target = ap_test_dial (f->phone[1], f->phone[2], "1003", NULL, &target_from_agent);
  ap_test_call_answer (target_from_agent);
  g_assert_true (ap_test_call_wait_state (agent_to_target, "connected", CALL_TIMEOUT_MS));

  /* A path that is not one of our calls is refused. */
  ap_dbus_call_call_transfer_to_call_sync (
    agent_to_caller, "/io/github/agentphone/Agentphone/calls/999", NULL, &error);
  g_assert_true (ap_test_dbus_error_is (error, "io.github.agentphone.Error.NoSuchCall"));
  g_clear_error (&error);

  g_signal_connect (agent_to_caller, "transfer-progress", G_CALLBACK (on_transfer_progress), codes);
  ap_dbus_call_call_transfer_to_call_sync (
    agent_to_caller, g_dbus_proxy_get_object_path (G_DBUS_PROXY (agent_to_target)), NULL, &error);
  g_assert_no_error (error);

  caller_new_path = ap_test_phone_wait_call_added (f->phone[0], CALL_TIMEOUT_MS);
  g_assert_nonnull (caller_new_path);
  caller_new = ap_test_phone_get_call (f->phone[0], caller_new_path);
  target_new_path = ap_test_phone_wait_call_added (f->phone[2], CALL_TIMEOUT_MS);
  g_assert_nonnull (target_new_path);
  target_new = ap_test_phone_get_call (f->phone[2], target_new_path);

  /* 1003 answers the replacing call itself and drops the consultation. */
  g_assert_true (ap_test_call_wait_state (target_new, "connected", CALL_TIMEOUT_MS));
  g_assert_true (ap_test_call_wait_state (target_from_agent, "ended", CALL_TIMEOUT_MS));
  g_assert_true (ap_test_call_wait_state (caller_new, "connected", CALL_TIMEOUT_MS));
  g_assert_true (ap_test_run_until (transfer_succeeded, codes, CALL_TIMEOUT_MS));
  g_assert_true (ap_test_call_wait_state (agent_to_caller, "ended", CALL_TIMEOUT_MS));
  g_assert_cmpstr (ap_dbus_call_get_end_reason (agent_to_caller), ==, "Transferred");
  g_assert_true (ap_test_call_wait_state (agent_to_target, "ended", CALL_TIMEOUT_MS));
  g_assert_true (ap_test_call_wait_state (caller, "ended", CALL_TIMEOUT_MS));
  g_assert_true (ap_test_call_wait_media_active (target_new, 5000));
  ap_test_sleep (1200);
  g_assert_true (
    ap_dbus_phone_call_list_calls_sync (ap_test_phone_get_proxy (f->phone[1]), &left, NULL, NULL));
  g_assert_cmpuint (g_strv_length (left), ==, 0);
  ap_test_call_hangup (caller_new);
  g_assert_true (ap_test_call_wait_state (target_new, "ended", CALL_TIMEOUT_MS));
}

int
main (int argc, char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);
  kamailio = ap_test_kamailio_new (FALSE);
  ap_test_kamailio_start (kamailio);
  g_test_add ("/call-control/hold-resume", Fixture, NULL, fixture_setup, test_hold_resume,
              fixture_teardown);
  g_test_add ("/call-control/mute", Fixture, NULL, fixture_setup, test_mute, fixture_teardown);
  g_test_add ("/call-control/call-waiting", Fixture, NULL, fixture_setup_three, test_call_waiting,
              fixture_teardown);
  g_test_add ("/call-control/dtmf-info", Fixture, "info", fixture_setup, test_dtmf,
              fixture_teardown);
  g_test_add ("/call-control/dtmf-rfc4733", Fixture, "rfc4733", fixture_setup, test_dtmf,
              fixture_teardown);
  /* Tones in the audio (over the 440 Hz the caller's microphone plays),
   * found by the receiver's detector. */
  g_test_add ("/call-control/dtmf-inband", Fixture, "inband", fixture_setup, test_dtmf,
              fixture_teardown);
  /* auto: RFC 4733, since both ends negotiate telephone-event. */
  g_test_add ("/call-control/dtmf-auto", Fixture, "auto", fixture_setup, test_dtmf,
              fixture_teardown);
  g_test_add ("/call-control/blind-transfer", Fixture, NULL, fixture_setup_three,
              test_blind_transfer, fixture_teardown);
  g_test_add ("/call-control/attended-transfer", Fixture, NULL, fixture_setup_three,
              test_attended_transfer, fixture_teardown);
  result = g_test_run ();
  ap_test_kamailio_free (kamailio);
  return result;
}
