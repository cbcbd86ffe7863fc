/* test-quality.c: Call.Stats and the rtp-timeout of real agentphone
 * instances, over DBus: reports within 2 s of connect, counts that grow, a
 * round trip once RTCP went both ways, a MOS that tells a clean call from
 * one losing 10 % of its packets (AGENTPHONE_TEST_RTP_LOSS on one side),
 * audio without gaps despite the loss, and a call whose far end (sipp)
 * sends no RTP ended after rtp-timeout with a reason that says so. */
#include <math.h>
#include <string.h>

#include "ap-test-calls.h"
#include "ap-wav.h"

#define CALL_TIMEOUT_MS 10000
#define SILENT_DBFS -40.0
#define WINDOW_S 0.005

static ApTestKamailio *kamailio;

typedef ApTestPair Fixture;

typedef struct {
  ApDbusCall *call;
  guint changes; /* PropertiesChanged carrying Stats */
  gint64 first_time;
} StatsWatch;

/* Like ap_test_phone_start_with_tone(), plus @extra in the environment. */
static ApTestPhone *
start_phone (ApTestBus *bus, guint freq, const char *extra, char **wav)
{
  g_autofree char *home = ap_test_make_dir ("phone");
  g_autofree char *config = g_build_filename (home, "config", "agentphone", NULL);
  g_autofree char *settings = g_build_filename (config, "settings.json", NULL);
  /* 20 ms buffers like a sound card (the default 60 ms would send bursts). */
  g_autofree char *input = g_strdup_printf ("AGENTPHONE_AUDIO_INPUT=audiotestsrc is-live=true "
                                            "freq=%u volume=0.5 samplesperbuffer=960",
                                            freq);
  g_autofree char *output = NULL;
  const char *env[4] = { NULL };

  g_mkdir_with_parents (config, 0700);
  g_assert_true (g_file_set_contents (
    settings, "{\"version\": 1, \"settings\": {\"local-address\": \"127.0.0.1\"}}", -1, NULL));
  *wav = g_build_filename (home, "received.wav", NULL);
  output = g_strdup_printf ("AGENTPHONE_AUDIO_OUTPUT=wavenc ! filesink location=%s", *wav);
  env[0] = input;
  env[1] = output;
  env[2] = extra;
  return ap_test_phone_start (bus, home, env);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->bus_a = ap_test_bus_new ();
  f->bus_b = ap_test_bus_new ();
  f->a = start_phone (f->bus_a, 440, data, &f->wav_a);
  f->b = start_phone (f->bus_b, 880, NULL, &f->wav_b);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  ap_test_pair_clear (f);
}

static void
on_properties_changed (GDBusProxy *proxy, GVariant *changed, GStrv invalidated, StatsWatch *watch)
{
  if (!g_variant_lookup_value (changed, "Stats", G_VARIANT_TYPE_VARDICT))
    return;
  if (watch->changes++ == 0)
    watch->first_time = g_get_monotonic_time ();
}

static gboolean
has_stats (gpointer data)
{
  g_autoptr (GVariant) stats = ap_dbus_call_dup_stats (data);

  return stats != NULL && g_variant_n_children (stats) > 0;
}

static gboolean
has_rtt (gpointer data)
{
  return has_stats (data) && ap_test_call_stat_double (data, "rtt-ms") > 0.0;
}

static void
log_stats (const char *who, ApDbusCall *call)
{
  g_autoptr (GVariant) stats = ap_dbus_call_dup_stats (call);
  g_autofree char *text = g_variant_print (stats, FALSE);

  g_test_message ("%s (%s): %s", who, ap_dbus_call_get_audio_codec (call), text);
}

static double
longest_gap (const ApWav *wav, double start_s, double end_s)
{
  double longest = 0.0, run = 0.0;

  for (double t = start_s; t + WINDOW_S <= end_s; t += WINDOW_S)
    {
      run = ap_wav_rms_dbfs (wav, 0, t, t + WINDOW_S) < SILENT_DBFS ? run + WINDOW_S : 0.0;
      longest = MAX (longest, run);
    }
  return longest;
}

/* A calls B through Kamailio and both talk for a while; with
 * AGENTPHONE_TEST_RTP_LOSS=10 (the fixture's data) A drops a tenth of
 * what it receives. */
static void
test_stats (Fixture *f, gconstpointer data)
{
  gboolean lossy = data != NULL;
  g_autoptr (ApDbusCall) call_b = NULL;
  g_autoptr (ApDbusCall) call_a = NULL;
  g_autoptr (ApWav) wav = NULL;
  g_autoptr (GError) error = NULL;
  StatsWatch watch_a = { 0 }, watch_b = { 0 };
  gint64 connected;
  guint64 sent, received;
  double duration, gap, mos_a, mos_b, loss_a;

  ap_test_phone_register (f->a, kamailio, "1001");
  ap_test_phone_register (f->b, kamailio, "1002");
  call_a = ap_test_dial (f->a, f->b, "1002", NULL, &call_b);
  g_signal_connect (call_a, "g-properties-changed", G_CALLBACK (on_properties_changed), &watch_a);
  g_signal_connect (call_b, "g-properties-changed", G_CALLBACK (on_properties_changed), &watch_b);
  g_assert_false (has_stats (call_a));
  ap_test_call_answer (call_b);
  g_assert_true (ap_test_call_wait_state (call_a, "connected", CALL_TIMEOUT_MS));
  connected = g_get_monotonic_time ();

  /* Within 2 s of connect, on both sides, announced by PropertiesChanged. */
  g_assert_true (ap_test_run_until (has_stats, call_a, 2000));
  g_assert_true (ap_test_run_until (has_stats, call_b, 2000));
  g_test_message ("first Stats %.0f ms after connect",
                  (MAX (watch_a.first_time, watch_b.first_time) - connected) / 1000.0);
  g_assert_cmpint (watch_a.first_time - connected, <=, 2 * G_USEC_PER_SEC);
  g_assert_cmpint (watch_b.first_time - connected, <=, 2 * G_USEC_PER_SEC);
  sent = ap_test_call_stat_uint (call_a, "packets-sent");
  received = ap_test_call_stat_uint (call_a, "packets-received");

  /* RTCP both ways (every ~5 s, randomised): the round trip is known. */
  g_assert_true (ap_test_run_until (has_rtt, call_a, 20000));
  g_assert_true (ap_test_run_until (has_rtt, call_b, 20000));
  ap_test_sleep (2500);
  log_stats ("A", call_a);
  log_stats ("B", call_b);
  g_assert_cmpuint (watch_a.changes, >=, 5);
  g_assert_cmpuint (ap_test_call_stat_uint (call_a, "packets-sent"), >, sent);
  g_assert_cmpuint (ap_test_call_stat_uint (call_a, "packets-received"), >, received);
  for (guint i = 0; i < 2; i++)
    {
      ApDbusCall *call = i == 0 ? call_a : call_b;

      g_assert_cmpfloat (ap_test_call_stat_double (call, "rtt-ms"), >, 0.0);
      g_assert_cmpfloat (ap_test_call_stat_double (call, "rtt-ms"), <, 50.0);
      g_assert_cmpfloat (ap_test_call_stat_double (call, "jitter-ms"), >=, 0.0);
      g_assert_cmpfloat (ap_test_call_stat_double (call, "jitter-ms"), <, 20.0);
      g_assert_cmpfloat (ap_test_call_stat_double (call, "bitrate-kbps"), >, 5.0);
    }
  loss_a = ap_test_call_stat_double (call_a, "loss-percent");
  mos_a = ap_test_call_stat_double (call_a, "mos");
  mos_b = ap_test_call_stat_double (call_b, "mos");
  g_assert_cmpfloat (ap_test_call_stat_double (call_b, "loss-percent"), <, 1.0);
  g_assert_cmpfloat (mos_b, >=, 4.0);
  if (lossy)
    {
      g_assert_cmpfloat (loss_a, >=, 5.0);
      g_assert_cmpfloat (loss_a, <=, 15.0);
      g_assert_cmpfloat (mos_a, <, mos_b - 0.3);
    }
  else
    {
      g_assert_cmpfloat (loss_a, <, 1.0);
      g_assert_cmpfloat (mos_a, >=, 4.0);
    }

  ap_test_call_hangup (call_a);
  g_assert_true (ap_test_call_wait_state (call_a, "ended", CALL_TIMEOUT_MS));
  g_assert_true (ap_test_call_wait_state (call_b, "ended", CALL_TIMEOUT_MS));

  /* What A heard: B's tone, without a gap, for as long as the call. */
  g_assert_true (ap_wav_load (f->wav_a, &wav, &error));
  g_assert_no_error (error);
  duration = ap_wav_duration_s (wav);
  gap = longest_gap (wav, 0.5, duration - 0.2);
  g_test_message ("A's recording: %.2f s, longest gap %.0f ms", duration, gap * 1000);
  ap_test_assert_tone (f->wav_a, 880, 0.5, -0.2);
  g_assert_cmpfloat (gap, <, 0.015);
}

/* The far end (sipp) answers and never sends RTP: with rtp-timeout 3 the
 * call ends by itself after 3 s, with a BYE and a reason that says why. */
static void
test_rtp_timeout (Fixture *f, gconstpointer data)
{
  guint port = ap_test_free_port ();
  g_autoptr (ApTestSipp) sipp = ap_test_sipp_start ("uas-answer.xml", port, NULL, 30);
  g_autofree char *target = g_strdup_printf ("sip:silent@127.0.0.1:%u", port);
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr (ApDbusCall) call = NULL;
  gint64 connected;
  double after;
  int status = -1;

  ap_test_phone_configure (f->a, "{'rtp-timeout': <uint32 3>}");
  ap_dbus_phone_call_dial_sync (ap_test_phone_get_proxy (f->a), target,
                                g_variant_new_parsed ("@a{sv} {}"), &path, NULL, &error);
  g_assert_no_error (error);
  call = ap_test_phone_get_call (f->a, path);
  g_assert_true (ap_test_call_wait_state (call, "connected", CALL_TIMEOUT_MS));
  connected = g_get_monotonic_time ();
  g_assert_true (ap_test_call_wait_state (call, "ended", 8000));
  after = (g_get_monotonic_time () - connected) / (double) G_USEC_PER_SEC;
  g_test_message ("ended %.2f s after connect: %u %s", after, ap_dbus_call_get_end_code (call),
                  ap_dbus_call_get_end_reason (call));
  g_assert_cmpfloat (after, >=, 2.9);
  g_assert_cmpfloat (after, <, 5.0);
  g_assert_cmpuint (ap_dbus_call_get_end_code (call), ==, 408);
  g_assert_nonnull (strstr (ap_dbus_call_get_end_reason (call), "rtp-timeout"));
  /* sipp got its BYE and finished its scenario. */
  g_assert_true (ap_test_sipp_wait (sipp, 5000, &status));
  g_assert_cmpint (status, ==, 0);
}

/* rtp-timeout 0 means never; out of range is refused. */
static void
test_rtp_timeout_values (Fixture *f, gconstpointer data)
{
  guint port = ap_test_free_port ();
  g_autoptr (ApTestSipp) sipp = ap_test_sipp_start ("uas-answer.xml", port, NULL, 30);
  g_autofree char *target = g_strdup_printf ("sip:silent@127.0.0.1:%u", port);
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr (ApDbusCall) call = NULL;
  int status = -1;

  ap_dbus_phone_call_configure_sync (ap_test_phone_get_proxy (f->a),
                                     g_variant_new_parsed ("{'rtp-timeout': <uint32 3601>}"), NULL,
                                     &error);
  g_assert_true (ap_test_dbus_error_is (error, "io.github.agentphone.Error.InvalidArgument"));
  g_clear_error (&error);
  ap_test_phone_configure (f->a, "{'rtp-timeout': <uint32 0>}");
  ap_dbus_phone_call_dial_sync (ap_test_phone_get_proxy (f->a), target,
                                g_variant_new_parsed ("@a{sv} {}"), &path, NULL, &error);
  g_assert_no_error (error);
  call = ap_test_phone_get_call (f->a, path);
  g_assert_true (ap_test_call_wait_state (call, "connected", CALL_TIMEOUT_MS));
  ap_test_sleep (5000);
  g_assert_cmpstr (ap_dbus_call_get_state (call), ==, "connected");
  ap_test_call_hangup (call);
  g_assert_true (ap_test_call_wait_state (call, "ended", CALL_TIMEOUT_MS));
  g_assert_cmpuint (ap_dbus_call_get_end_code (call), ==, 200);
  g_assert_true (ap_test_sipp_wait (sipp, 5000, &status));
  g_assert_cmpint (status, ==, 0);
}

int
main (int argc, char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);
  kamailio = ap_test_kamailio_new (FALSE);
  ap_test_kamailio_start (kamailio);

  g_test_add ("/quality/stats/clean", Fixture, NULL, fixture_setup, test_stats, fixture_teardown);
  g_test_add ("/quality/stats/loss-10", Fixture, "AGENTPHONE_TEST_RTP_LOSS=10", fixture_setup,
              test_stats, fixture_teardown);
  g_test_add ("/quality/rtp-timeout", Fixture, NULL, fixture_setup, test_rtp_timeout,
              fixture_teardown);
  g_test_add ("/quality/rtp-timeout-values", Fixture, NULL, fixture_setup, test_rtp_timeout_values,
              fixture_teardown);

  result = g_test_run ();
  ap_test_kamailio_free (kamailio);
  return result;
}
