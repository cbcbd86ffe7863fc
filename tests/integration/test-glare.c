/* Re-INVITE glare (RFC 3261 14.1): a re-INVITE of ours answered 491
 * Request Pending is sent again after a random wait, 2.1 to 4 s when we
 * own the Call-ID and 0 to 2 s otherwise. Against sipp, which meets the
 * phone's hold with 491 once (the retry's timing and SDP checked), and
 * between two real instances through Kamailio that hold, resume and ask
 * for video at the same moment: both calls end in the same, consistent
 * state. */
#include <string.h>

#include "ap-test-calls.h"

#define CALL_TIMEOUT_MS 10000
#define SIPP_TIMEOUT_S 40
/* What the retry may take beyond the RFC's window: sipp's answer, the
 * DBus round trips, a loaded machine. */
#define SLACK_S 0.7

static gboolean
is_held (gpointer data)
{
  return ap_dbus_call_get_held (data);
}

static void
assert_sipp_passed (ApTestSipp *sipp)
{
  int status = -1;

  g_assert_true (ap_test_sipp_wait (sipp, 20000, &status));
  g_assert_cmpint (status, ==, 0);
}

/* Hold, and how long the call took to be held, in seconds. */
static double
hold_and_time (ApDbusCall *call)
{
  g_autoptr (GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  double took;

  ap_dbus_call_call_hold_sync (call, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ap_test_run_until (is_held, call, 8000));
  took = (g_get_monotonic_time () - start) / 1e6;
  g_test_message ("held after %.2f s (one 491 on the way)", took);
  g_assert_cmpstr (ap_dbus_call_get_state (call), ==, "held");
  return took;
}

/* We dialled, so the Call-ID is ours: the retry comes 2.1 to 4 s after
 * the 491. */
static void
test_sipp_owner (void)
{
  g_autoptr (ApTestBus) bus = ap_test_bus_new ();
  g_autofree char *wav = NULL;
  g_autoptr (ApTestPhone) phone = ap_test_phone_start_with_tone (bus, 440, &wav);
  guint port = ap_test_free_port ();
  g_autoptr (ApTestSipp) sipp
    = ap_test_sipp_start ("uas-reinvite-491.xml", port, NULL, SIPP_TIMEOUT_S);
  g_autofree char *target = g_strdup_printf ("sip:service@127.0.0.1:%u", port);
  g_autofree char *path = NULL;
  g_autoptr (ApDbusCall) call = NULL;
  g_autoptr (GError) error = NULL;
  double took;

  ap_dbus_phone_call_dial_sync (ap_test_phone_get_proxy (phone), target,
                                g_variant_new_parsed ("@a{sv} {}"), &path, NULL, &error);
  g_assert_no_error (error);
  call = ap_test_phone_get_call (phone, path);
  g_assert_true (ap_test_call_wait_state (call, "connected", CALL_TIMEOUT_MS));
  took = hold_and_time (call);
  g_assert_cmpfloat (took, >=, 2.1);
  g_assert_cmpfloat (took, <=, 4.0 + SLACK_S);
  ap_test_call_hangup (call);
  g_assert_true (ap_test_call_wait_state (call, "ended", CALL_TIMEOUT_MS));
  assert_sipp_passed (sipp);
}

/* sipp called us: the retry comes within 2 s of the 491. */
static void
test_sipp_not_owner (void)
{
  g_autoptr (ApTestBus) bus = ap_test_bus_new ();
  g_autofree char *wav = NULL;
  g_autoptr (ApTestPhone) phone = ap_test_phone_start_with_tone (bus, 440, &wav);
  g_autofree char *remote = g_strdup_printf ("127.0.0.1:%u", ap_test_phone_get_listen_port (phone));
  g_autoptr (ApTestSipp) sipp = NULL;
  g_autoptr (ApDbusCall) call = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;

  ap_dbus_phone_call_set_answer_mode_sync (ap_test_phone_get_proxy (phone), "auto-answer", 0, NULL,
                                           &error);
  g_assert_no_error (error);
  sipp = ap_test_sipp_start ("uac-reinvite-491.xml", ap_test_free_port (), remote, SIPP_TIMEOUT_S);
  path = ap_test_phone_wait_call_added (phone, CALL_TIMEOUT_MS);
  g_assert_nonnull (path);
  call = ap_test_phone_get_call (phone, path);
  g_assert_true (ap_test_call_wait_state (call, "connected", CALL_TIMEOUT_MS));
  g_assert_cmpfloat (hold_and_time (call), <=, 2.0 + SLACK_S);
  /* sipp hangs up 3 s after the retry's ACK. */
  g_assert_true (ap_test_call_wait_state (call, "ended", 15000));
  assert_sipp_passed (sipp);
}

/* ---- two instances ---------------------------------------------------- */

typedef struct {
  ApDbusCall *a, *b;
} Both;

static guint
count_glare (ApTestPhone *phone)
{
  g_autofree char *log = NULL;
  guint n = 0;

  g_assert_true (g_file_get_contents (ap_test_phone_get_log (phone), &log, NULL, NULL));
  for (const char *p = log; (p = strstr (p, "Re-INVITE glare (491")) != NULL; p++)
    n++;
  return n;
}

static gboolean
both_in (Both *both, const char *state, gboolean flag)
{
  return g_str_equal (ap_dbus_call_get_state (both->a), state)
         && g_str_equal (ap_dbus_call_get_state (both->b), state)
         && ap_dbus_call_get_held (both->a) == flag && ap_dbus_call_get_held (both->b) == flag
         && ap_dbus_call_get_remote_held (both->a) == flag
         && ap_dbus_call_get_remote_held (both->b) == flag;
}

static gboolean
both_held (gpointer data)
{
  return both_in (data, "held", TRUE);
}

static gboolean
both_connected (gpointer data)
{
  return both_in (data, "connected", FALSE);
}

static gboolean
both_video (gpointer data)
{
  Both *both = data;

  return ap_dbus_call_get_video (both->a) && ap_dbus_call_get_video (both->b);
}

typedef struct {
  guint done;
  GError *errors[2];
} Pending;

static void
on_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Pending *pending = data;
  g_autoptr (GVariant) reply
    = g_dbus_proxy_call_finish (G_DBUS_PROXY (source), result, &pending->errors[pending->done]);

  pending->done++;
}

static gboolean
both_done (gpointer data)
{
  return ((Pending *) data)->done == 2;
}

/* @method on both calls in the same breath; neither may fail. */
static void
call_both (Both *both, const char *method, GVariant *args)
{
  Pending pending = { 0 };
  GVariant *ref = args ? g_variant_ref_sink (args) : NULL;

  g_dbus_proxy_call (G_DBUS_PROXY (both->a), method, ref, G_DBUS_CALL_FLAGS_NONE, 5000, NULL,
                     on_done, &pending);
  g_dbus_proxy_call (G_DBUS_PROXY (both->b), method, ref, G_DBUS_CALL_FLAGS_NONE, 5000, NULL,
                     on_done, &pending);
  g_clear_pointer (&ref, g_variant_unref);
  g_assert_true (ap_test_run_until (both_done, &pending, 6000));
  g_assert_no_error (pending.errors[0]);
  g_assert_no_error (pending.errors[1]);
}

/* Each side holds the other at the same moment, then resumes at the same
 * moment, then asks for video at the same moment, then holds again:
 * whatever crossed, every request is carried out and both sides agree. */
static void
test_two_instances (void)
{
  g_autoptr (ApTestKamailio) kamailio = ap_test_kamailio_new (FALSE);
  ApTestPair pair = { 0 };
  g_autoptr (ApDbusCall) call_a = NULL;
  g_autoptr (ApDbusCall) call_b = NULL;
  Both both;
  guint glare;

  ap_test_kamailio_start (kamailio);
  ap_test_pair_start (&pair);
  ap_test_phone_register (pair.a, kamailio, "1001");
  ap_test_phone_register (pair.b, kamailio, "1002");
  call_a = ap_test_dial (pair.a, pair.b, "1002", NULL, &call_b);
  ap_test_call_answer (call_b);
  g_assert_true (ap_test_call_wait_state (call_a, "connected", CALL_TIMEOUT_MS));
  g_assert_true (ap_test_call_wait_state (call_b, "connected", CALL_TIMEOUT_MS));
  both = (Both){ call_a, call_b };

  call_both (&both, "Hold", NULL);
  /* Up to 4 s for A's retry after B's (at most 2 s), plus the exchanges. */
  g_assert_true (ap_test_run_until (both_held, &both, 9000));
  call_both (&both, "Resume", NULL);
  g_assert_true (ap_test_run_until (both_connected, &both, 9000));
  call_both (&both, "RequestVideo", g_variant_new ("(b)", TRUE));
  g_assert_true (ap_test_run_until (both_video, &both, 9000));
  g_assert_true (both_connected (&both));
  /* The side whose video request became moot (the other's brought the
   * video) has dropped it: both can hold at once again, video kept. */
  call_both (&both, "Hold", NULL);
  g_assert_true (ap_test_run_until (both_held, &both, 9000));
  g_assert_true (both_video (&both));

  glare = count_glare (pair.a) + count_glare (pair.b);
  g_test_message ("491s met and retried: A %u, B %u", count_glare (pair.a), count_glare (pair.b));
  /* Three crossings: without a single 491 this test tested nothing. */
  g_assert_cmpuint (glare, >=, 1);
  ap_test_call_hangup (call_a);
  g_assert_true (ap_test_call_wait_state (call_a, "ended", CALL_TIMEOUT_MS));
  g_assert_true (ap_test_call_wait_state (call_b, "ended", CALL_TIMEOUT_MS));
  ap_test_pair_clear (&pair);
}

int
main (int argc, char **argv)
{
  /* The phones inherit it: a camera for the video step. */
  g_setenv ("AGENTPHONE_VIDEO_INPUT", "videotestsrc is-live=true", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/glare/sipp-owner", test_sipp_owner);
  g_test_add_func ("/glare/sipp-not-owner", test_sipp_not_owner);
  g_test_add_func ("/glare/two-instances", test_two_instances);
  return g_test_run ();
}
