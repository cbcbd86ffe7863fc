/* test-net-faults.c: calls over a bad network. A (440 Hz) dials B (880 Hz)
 * through the impairment relay (ap-test-netem.h: a SIP proxy that puts a
 * UDP relay in both SDPs), which drops, delays or blocks what each side
 * receives. Measured per receiving side: the call stays up (rtp-timeout 3 s
 * armed), Stats' loss against what the relay dropped, jitter-ms against the
 * jitter applied, MOS against the clean direction of the same call, and
 * the tone in the WAV it heard: its frequency, level, the share of time it
 * is audible and the longest gap. An outage shorter than rtp-timeout is
 * survived and the audio comes back; a longer one ends the call with the
 * rtp-timeout reason (after RTP had flowed, unlike test-quality's far end
 * that never sends any). */
#include <math.h>
#include <string.h>

#include "ap-test-calls.h"
#include "ap-test-netem.h"
#include "ap-wav.h"

#define CALL_TIMEOUT_MS 10000
#define TALK_MS 6000
#define RTP_TIMEOUT_S 3
#define WINDOW_S 0.02
#define AUDIBLE_DBFS -25.0 /* the tone is sent at -9 dBFS */
#define SILENT_DBFS -40.0
#define SEED 3550

typedef struct {
  const char *codec;
  ApTestImpairment to_a; /* what A hears goes through this */
  ApTestImpairment to_b;
  double min_audible; /* share of the time A hears the tone */
  double max_gap_s;   /* longest silence A hears */
} Case;

typedef struct {
  ApTestPair pair;
  ApTestNetem *netem;
  ApDbusCall *call_a, *call_b;
} Fixture;

/* What one side received, at the end of its call. */
typedef struct {
  const char *who;
  double loss, jitter, mos, jitter_buffer;
  guint64 received, lost;
  ApTestNetemCounts relay;
  double audible, gap;
} Measure;

/* Like ap_test_phone_start_with_tone(), with the tone's rate pinned: left
 * free, audiotestsrc takes a G.711 call's 8 kHz and its 480 samples become
 * 60 ms buffers, sent as bursts of three packets (26 ms of jitter before
 * the network adds any). 10 ms, as a sound card's period. */
static ApTestPhone *
start_phone (ApTestBus *bus, guint freq, char **wav)
{
  g_autofree char *home = ap_test_make_dir ("phone");
  g_autofree char *config = g_build_filename (home, "config", "agentphone", NULL);
  g_autofree char *settings = g_build_filename (config, "settings.json", NULL);
  g_autofree char *input
    = g_strdup_printf ("AGENTPHONE_AUDIO_INPUT=audiotestsrc is-live=true freq=%u volume=0.5 "
                       "samplesperbuffer=480 ! capsfilter caps=audio/x-raw,rate=48000",
                       freq);
  g_autofree char *output = NULL;
  const char *env[3] = { NULL };

  g_mkdir_with_parents (config, 0700);
  g_assert_true (g_file_set_contents (settings, AP_TEST_TONE_SETTINGS, -1, NULL));
  *wav = g_build_filename (home, "received.wav", NULL);
  output = g_strdup_printf ("AGENTPHONE_AUDIO_OUTPUT=wavenc ! filesink location=%s", *wav);
  env[0] = input;
  env[1] = output;
  return ap_test_phone_start (bus, home, env);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->pair.bus_a = ap_test_bus_new ();
  f->pair.bus_b = ap_test_bus_new ();
  f->pair.a = start_phone (f->pair.bus_a, 440, &f->pair.wav_a);
  f->pair.b = start_phone (f->pair.bus_b, 880, &f->pair.wav_b);
  f->netem = ap_test_netem_new (ap_test_phone_get_listen_port (f->pair.b), SEED);
  ap_test_phone_configure (f->pair.a, "{'rtp-timeout': <uint32 3>}");
  ap_test_phone_configure (f->pair.b, "{'rtp-timeout': <uint32 3>}");
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->call_a);
  g_clear_object (&f->call_b);
  ap_test_pair_clear (&f->pair);
  g_clear_pointer (&f->netem, ap_test_netem_free);
}

/* A dials B through the relay, B answers: connected, RTP both ways. */
static void
connect_call (Fixture *f, const char *codec)
{
  g_autofree char *codecs = g_strdup_printf ("{'audio-codecs': <['%s']>}", codec);
  g_autofree char *target
    = g_strdup_printf ("sip:agent@127.0.0.1:%u", ap_test_netem_get_sip_port (f->netem));

  ap_test_phone_configure (f->pair.a, codecs);
  ap_test_phone_configure (f->pair.b, codecs);
  f->call_a = ap_test_dial (f->pair.a, f->pair.b, target, NULL, &f->call_b);
  ap_test_call_answer (f->call_b);
  g_assert_true (ap_test_call_wait_state (f->call_a, "connected", CALL_TIMEOUT_MS));
  g_assert_true (ap_test_call_wait_media_active (f->call_a, CALL_TIMEOUT_MS));
  g_assert_true (ap_test_call_wait_media_active (f->call_b, CALL_TIMEOUT_MS));
  g_assert_true (ap_test_netem_has_media (f->netem));
  g_assert_cmpstr (ap_dbus_call_get_audio_codec (f->call_a), ==, codec);
}

/* The share of @wav's windows in [start, end) where @freq is audible, and
 * the longest run of silent ones. */
static void
measure_wav (const char *path, double freq, double start_s, double end_s, double *audible,
             double *gap)
{
  g_autoptr (ApWav) wav = NULL;
  g_autoptr (GError) error = NULL;
  guint windows = 0, heard = 0;
  double run = 0.0;

  g_assert_true (ap_wav_load (path, &wav, &error));
  g_assert_no_error (error);
  if (end_s < 0)
    end_s += ap_wav_duration_s (wav);
  *gap = 0.0;
  for (double t = start_s; t + WINDOW_S <= end_s; t += WINDOW_S)
    {
      windows++;
      if (ap_wav_tone_dbfs (wav, 0, t, t + WINDOW_S, freq) > AUDIBLE_DBFS)
        heard++;
      run = ap_wav_rms_dbfs (wav, 0, t, t + WINDOW_S) < SILENT_DBFS ? run + WINDOW_S : 0.0;
      *gap = MAX (*gap, run);
    }
  g_assert_cmpuint (windows, >, 0);
  *audible = (double) heard / windows;
}

static void
read_stats (Fixture *f, ApDbusCall *call, ApTestNetemDirection direction, Measure *m)
{
  g_autoptr (GVariant) stats = ap_dbus_call_dup_stats (call);
  g_autofree char *text = g_variant_print (stats, FALSE);

  ap_test_netem_get_counts (f->netem, direction, &m->relay);
  m->loss = ap_test_call_stat_double (call, "loss-percent");
  m->jitter = ap_test_call_stat_double (call, "jitter-ms");
  m->mos = ap_test_call_stat_double (call, "mos");
  m->jitter_buffer = ap_test_call_stat_double (call, "jitter-buffer-ms");
  m->received = ap_test_call_stat_uint (call, "packets-received");
  m->lost = ap_test_call_stat_uint (call, "packets-lost");
  g_test_message ("%s Stats: %s", m->who, text);
  /* All there after 5 s of RTP and RTCP both ways (-1: missing). */
  g_assert_cmpfloat (m->loss, >=, 0.0);
  g_assert_cmpfloat (m->jitter, >=, 0.0);
  g_assert_cmpfloat (m->mos, >=, 1.0);
  g_assert_cmpfloat (m->jitter_buffer, >, 0.0);
}

static void
log_measure (const Measure *m)
{
  const ApTestNetemCounts *r = &m->relay;

  g_test_message ("%s: relay RTP in %" G_GUINT64_FORMAT " dropped %" G_GUINT64_FORMAT
                  " (%.1f %%) blocked %" G_GUINT64_FORMAT " sent %" G_GUINT64_FORMAT
                  " reordered %" G_GUINT64_FORMAT " max delay %.1f ms; RTCP in %" G_GUINT64_FORMAT
                  " dropped %" G_GUINT64_FORMAT,
                  m->who, r->rtp_in, r->rtp_dropped, 100.0 * r->rtp_dropped / MAX (r->rtp_in, 1),
                  r->rtp_blocked, r->rtp_sent, r->reordered, r->max_delay_ms, r->rtcp_in,
                  r->rtcp_dropped);
  g_test_message ("%s: received %" G_GUINT64_FORMAT " lost %" G_GUINT64_FORMAT
                  ", loss %.1f %% (last 5 s), jitter %.1f ms, jitter buffer %.0f ms, MOS %.2f; "
                  "tone audible %.1f %% of the time, longest gap %.0f ms",
                  m->who, m->received, m->lost, m->loss, m->jitter, m->jitter_buffer, m->mos,
                  100.0 * m->audible, 1000.0 * m->gap);
}

/* The receiver counted what the relay let through and what it dropped
 * (the relay's figures run ahead by what arrived since the last report,
 * about a second). */
static void
assert_counts (const Measure *m, const ApTestImpairment *impairment)
{
  const ApTestNetemCounts *r = &m->relay;
  double dropped_share = 100.0 * r->rtp_dropped / MAX (r->rtp_in, 1);

  g_assert_cmpuint (r->rtp_blocked, ==, 0);
  g_assert_cmpuint (m->received, <=, r->rtp_sent);
  g_assert_cmpuint (m->received + 120, >=, r->rtp_sent);
  /* Held packets that later ones overtook count as lost until they come. */
  g_assert_cmpuint (m->lost, <=, r->rtp_dropped + impairment->jitter_ms / 20);
  g_assert_cmpuint (m->lost + 10 + r->rtp_dropped / 10, >=, r->rtp_dropped);
  /* The relay drew what it was told to. */
  g_assert_cmpfloat (fabs (dropped_share - impairment->loss_percent), <=,
                     3.0 + impairment->loss_percent / 4.0);
  /* Stats' window is the last 5 s only: binomial spread of ~250 packets. */
  g_assert_cmpfloat (fabs (m->loss - dropped_share), <=, 3.0 + dropped_share / 3.0);
  if (impairment->jitter_ms > 0)
    {
      /* Uniform 0 … J delays: |D| of RFC 3550 averages J / 3. */
      g_assert_cmpuint (r->reordered, >, 0);
      g_assert_cmpfloat (m->jitter, >=, impairment->jitter_ms / 6.0);
      g_assert_cmpfloat (m->jitter, <=, impairment->jitter_ms * 0.6);
    }
  else
    g_assert_cmpfloat (m->jitter, <, 10.0);
}

static void
test_impaired_call (Fixture *f, gconstpointer data)
{
  const Case *c = data;
  Measure a = { .who = "A" }, b = { .who = "B" };

  ap_test_netem_set (f->netem, AP_TEST_NETEM_TO_CALLER, &c->to_a);
  ap_test_netem_set (f->netem, AP_TEST_NETEM_TO_CALLEE, &c->to_b);
  connect_call (f, c->codec);
  ap_test_sleep (TALK_MS);

  /* Up all along: rtp-timeout (3 s) found no silence to end it for. */
  g_assert_cmpstr (ap_dbus_call_get_state (f->call_a), ==, "connected");
  g_assert_cmpstr (ap_dbus_call_get_state (f->call_b), ==, "connected");
  read_stats (f, f->call_a, AP_TEST_NETEM_TO_CALLER, &a);
  read_stats (f, f->call_b, AP_TEST_NETEM_TO_CALLEE, &b);
  ap_test_call_hangup (f->call_a);
  g_assert_true (ap_test_call_wait_state (f->call_a, "ended", CALL_TIMEOUT_MS));
  g_assert_true (ap_test_call_wait_state (f->call_b, "ended", CALL_TIMEOUT_MS));
  g_assert_cmpuint (ap_dbus_call_get_end_code (f->call_b), ==, 200);

  /* From 1 s in: the jitter buffer's first adjustments are its business. */
  measure_wav (f->pair.wav_a, 880, 1.0, -0.3, &a.audible, &a.gap);
  measure_wav (f->pair.wav_b, 440, 1.0, -0.3, &b.audible, &b.gap);
  log_measure (&a);
  log_measure (&b);
  ap_test_assert_tone (f->pair.wav_a, 880, 1.0, -0.3);
  ap_test_assert_tone (f->pair.wav_b, 440, 1.0, -0.3);

  assert_counts (&a, &c->to_a);
  assert_counts (&b, &c->to_b);
  g_assert_cmpfloat (a.audible, >=, c->min_audible);
  g_assert_cmpfloat (a.gap, <=, c->max_gap_s);
  /* B's direction is clean in every case: the relay itself harms nothing. */
  g_assert_cmpfloat (b.audible, >=, 0.97);
  g_assert_cmpfloat (b.mos, >=, 4.0);
  /* A's MOS is lower by what the E-model charges for its loss. Jitter
   * alone costs only the delay of a grown jitter buffer, which the E-model
   * barely charges below 150 ms: the call must stay good. */
  if (c->to_a.loss_percent >= 5.0)
    g_assert_cmpfloat (a.mos, <, b.mos - 0.2);
  else
    g_assert_cmpfloat (a.mos, >=, 4.0);
}

/* An outage in @direction starts (@blocked) or ends. */
static void
outage (Fixture *f, ApTestNetemDirection direction, gboolean blocked)
{
  ApTestImpairment impairment = { .blocked = blocked };

  ap_test_netem_set (f->netem, direction, &impairment);
}

/* The silent stretches longer than @min_s in A's WAV, as (start, length)
 * pairs. */
static GArray *
find_gaps (const char *path, double min_s)
{
  g_autoptr (ApWav) wav = NULL;
  g_autoptr (GError) error = NULL;
  GArray *gaps = g_array_new (FALSE, FALSE, sizeof (double));
  double run = 0.0, end;

  g_assert_true (ap_wav_load (path, &wav, &error));
  g_assert_no_error (error);
  end = ap_wav_duration_s (wav);
  for (double t = 0.5; t + WINDOW_S <= end; t += WINDOW_S)
    {
      gboolean silent = ap_wav_rms_dbfs (wav, 0, t, t + WINDOW_S) < SILENT_DBFS;

      if (silent)
        run += WINDOW_S;
      if ((!silent || t + 2 * WINDOW_S > end) && run >= min_s)
        {
          double start = t - run + (silent ? WINDOW_S : 0.0);

          g_array_append_val (gaps, start);
          g_array_append_val (gaps, run);
        }
      if (!silent)
        run = 0.0;
    }
  return gaps;
}

/* Both directions blocked for 2 s (under rtp-timeout 3 s): the call stays,
 * the tone comes back. Then only A's direction, for good: A ends the call
 * with the rtp-timeout reason, and B gets the BYE. */
static void
test_outage (Fixture *f, gconstpointer data)
{
  g_autoptr (GArray) gaps = NULL;
  gint64 blocked_at;
  double after, first_gap, resumed;

  connect_call (f, "opus");
  ap_test_sleep (2000);
  outage (f, AP_TEST_NETEM_TO_CALLER, TRUE);
  outage (f, AP_TEST_NETEM_TO_CALLEE, TRUE);
  ap_test_sleep (2000);
  outage (f, AP_TEST_NETEM_TO_CALLER, FALSE);
  outage (f, AP_TEST_NETEM_TO_CALLEE, FALSE);
  ap_test_sleep (2500);
  g_assert_cmpstr (ap_dbus_call_get_state (f->call_a), ==, "connected");
  g_assert_cmpstr (ap_dbus_call_get_state (f->call_b), ==, "connected");

  outage (f, AP_TEST_NETEM_TO_CALLER, TRUE);
  blocked_at = g_get_monotonic_time ();
  g_assert_true (ap_test_call_wait_state (f->call_a, "ended", 8000));
  after = (g_get_monotonic_time () - blocked_at) / (double) G_USEC_PER_SEC;
  g_test_message ("A ended %.2f s into the outage: %u %s", after,
                  ap_dbus_call_get_end_code (f->call_a), ap_dbus_call_get_end_reason (f->call_a));
  g_assert_cmpuint (ap_dbus_call_get_end_code (f->call_a), ==, 408);
  g_assert_nonnull (strstr (ap_dbus_call_get_end_reason (f->call_a), "rtp-timeout"));
  g_assert_cmpfloat (after, >=, RTP_TIMEOUT_S - 0.1);
  g_assert_cmpfloat (after, <, RTP_TIMEOUT_S + 2.5);
  g_assert_true (ap_test_call_wait_state (f->call_b, "ended", CALL_TIMEOUT_MS));

  /* A heard: tone, ~2 s of silence, tone again, silence to the end. */
  gaps = find_gaps (f->pair.wav_a, 0.5);
  for (guint i = 0; i + 1 < gaps->len; i += 2)
    g_test_message ("A's WAV: silent from %.2f s for %.2f s", g_array_index (gaps, double, i),
                    g_array_index (gaps, double, i + 1));
  g_assert_cmpuint (gaps->len, ==, 4);
  first_gap = g_array_index (gaps, double, 1);
  resumed = g_array_index (gaps, double, 0) + first_gap;
  g_assert_cmpfloat (first_gap, >=, 1.7);
  g_assert_cmpfloat (first_gap, <=, 2.4);
  g_assert_cmpfloat (g_array_index (gaps, double, 3), >=, RTP_TIMEOUT_S - 0.5);
  ap_test_assert_tone (f->pair.wav_a, 880, 1.0, g_array_index (gaps, double, 0) - 0.1);
  ap_test_assert_tone (f->pair.wav_a, 880, resumed + 0.2, g_array_index (gaps, double, 2) - 0.1);
}

/* Opus conceals every loss (PLC, in-band FEC): no gap is heard. G.711
 * plays silence for a lost packet, so 20 % loss leaves runs of 20-60 ms.
 * The bounds leave room for one ~100 ms hiccup of a loaded machine. */
static const Case loss_5 = { "opus", { 5.0, 0, FALSE }, { 0 }, 0.95, 0.11 };
static const Case loss_20 = { "opus", { 20.0, 0, FALSE }, { 0 }, 0.90, 0.11 };
/* 100 ms of jitter reorders about 40 % of the packets. These caught
 * rtpsession's probation (two packets in sequence before a new sender is
 * heard) holding back the far end's audio for up to 1.7 s in one run of
 * three, and longer gaps after; the jitter buffer must grow instead. */
static const Case jitter_100 = { "opus", { 0.0, 100, FALSE }, { 0 }, 0.93, 0.11 };
static const Case jitter_loss = { "opus", { 5.0, 100, FALSE }, { 0 }, 0.90, 0.11 };
static const Case pcma_loss_20 = { "pcma", { 20.0, 0, FALSE }, { 0 }, 0.65, 0.2 };

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/net-faults/opus/loss-5", Fixture, &loss_5, fixture_setup, test_impaired_call,
              fixture_teardown);
  g_test_add ("/net-faults/opus/loss-20", Fixture, &loss_20, fixture_setup, test_impaired_call,
              fixture_teardown);
  g_test_add ("/net-faults/opus/jitter-100", Fixture, &jitter_100, fixture_setup,
              test_impaired_call, fixture_teardown);
  g_test_add ("/net-faults/opus/jitter-100-loss-5", Fixture, &jitter_loss, fixture_setup,
              test_impaired_call, fixture_teardown);
  g_test_add ("/net-faults/pcma/loss-20", Fixture, &pcma_loss_20, fixture_setup, test_impaired_call,
              fixture_teardown);
  g_test_add ("/net-faults/outage", Fixture, NULL, fixture_setup, test_outage, fixture_teardown);
  return g_test_run ();
}
