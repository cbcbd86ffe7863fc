/* test-audio-session.c: two (or three) audio sessions in one process talk
 * RTP over 127.0.0.1; each sends a tone and records what it receives, and
 * the recordings prove the audio arrived (frequency and level), went quiet
 * when it should, and were left valid; DTMF sent one way arrives once per
 * digit, as RFC 4733 events or as tones. Every wait is bounded. */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <math.h>
#include <string.h>

#include "ap-audio-session.h"
#include "ap-error.h"
#include "ap-media-engine.h"
#include "ap-media-test.h"
#include "ap-wav.h"

#define FREQUENCY_A 440
#define FREQUENCY_B 1000
#define FREQUENCY_C 2000
#define TOLERANCE_HZ 10.0
#define ACTIVE_WITHIN_MS 2000
#define MAX_DIGITS 16
/* How the call layer paces digits: 160 ms each, one every 240 ms. */
#define DIGIT_MS 160
#define DIGIT_EVERY_MS 240

typedef struct {
  const char *name;
  ApMediaSession *session;
  guint port;
  gboolean started;
  gboolean active;
  guint active_true;
  guint active_false;
  gint64 start_time;
  gint64 started_time;
  gint64 active_time;
  char *error;
  gboolean stop_on_error;
  char *wav_path;
  GString *digits;
  gint64 digit_times[MAX_DIGITS];
} Peer;

typedef struct {
  char *dir;
  Peer a, b, c;
} Fixture;

static void
on_started (ApMediaSession *session, Peer *peer)
{
  peer->started = TRUE;
  peer->started_time = g_get_monotonic_time ();
}

static void
on_active_changed (ApMediaSession *session, gboolean active, Peer *peer)
{
  g_test_message ("%s: active-changed %s", peer->name, active ? "TRUE" : "FALSE");
  peer->active = active;
  if (active)
    {
      peer->active_true++;
      if (peer->active_time == 0)
        peer->active_time = g_get_monotonic_time ();
    }
  else
    peer->active_false++;
}

static void
on_dtmf_received (ApMediaSession *session, const char *digit, Peer *peer)
{
  g_test_message ("%s: dtmf-received '%s'", peer->name, digit);
  if (peer->digits->len < MAX_DIGITS)
    peer->digit_times[peer->digits->len] = g_get_monotonic_time ();
  g_string_append (peer->digits, digit);
}

static void
on_error (ApMediaSession *session, const char *message, Peer *peer)
{
  g_test_message ("%s: error: %s", peer->name, message);
  g_free (peer->error);
  peer->error = g_strdup (message);
  /* What a call does: end, from inside the signal. */
  if (peer->stop_on_error)
    ap_media_session_stop (session);
}

/* A session sending a tone of @frequency Hz and recording to <name>.wav. */
static void
peer_init_on (Fixture *fixture, Peer *peer, const char *name, int frequency, const char *address)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *source = NULL;
  g_autofree char *sink = NULL;
  g_autofree char *file = g_strdup_printf ("%s.wav", name);
  ApAudioSession *session = ap_audio_session_new ();

  peer->name = name;
  peer->session = AP_MEDIA_SESSION (session);
  peer->wav_path = g_build_filename (fixture->dir, file, NULL);
  source = g_strdup_printf ("audiotestsrc is-live=true freq=%d samplesperbuffer=480", frequency);
  sink = g_strdup_printf ("wavenc ! filesink location=\"%s\"", peer->wav_path);
  ap_audio_session_set_source_description (session, source);
  ap_audio_session_set_sink_description (session, sink);
  g_signal_connect (session, "started", G_CALLBACK (on_started), peer);
  g_signal_connect (session, "active-changed", G_CALLBACK (on_active_changed), peer);
  g_signal_connect (session, "error", G_CALLBACK (on_error), peer);
  g_signal_connect (session, "dtmf-received", G_CALLBACK (on_dtmf_received), peer);
  peer->digits = g_string_new (NULL);

  peer->port = ap_media_session_prepare (peer->session, address, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (peer->port, >, 0);
  g_assert_cmpuint (peer->port % 2, ==, 0);
}

static void
peer_init (Fixture *fixture, Peer *peer, const char *name, int frequency)
{
  peer_init_on (fixture, peer, name, frequency, "127.0.0.1");
}

static void
peer_clear (Peer *peer)
{
  if (peer->session != NULL)
    {
      ap_media_session_stop (peer->session);
      g_signal_handlers_disconnect_by_data (peer->session, peer);
      g_clear_object (&peer->session);
    }
  g_clear_pointer (&peer->error, g_free);
  g_clear_pointer (&peer->wav_path, g_free);
  if (peer->digits != NULL)
    g_string_free (g_steal_pointer (&peer->digits), TRUE);
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  fixture->dir = ap_media_test_make_dir ("audio-session");
  peer_init (fixture, &fixture->a, "a", FREQUENCY_A);
  peer_init (fixture, &fixture->b, "b", FREQUENCY_B);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  peer_clear (&fixture->a);
  peer_clear (&fixture->b);
  peer_clear (&fixture->c);
  ap_media_test_remove_dir (fixture->dir);
}

/* Runs until @ms after @since (a monotonic time). */
static void
run_until_time (gint64 since, guint ms)
{
  gint64 left = since + (gint64) ms * 1000 - g_get_monotonic_time ();

  if (left > 0)
    ap_media_test_run_for ((guint) (left / 1000));
}

static gboolean
both_running (gpointer data)
{
  Fixture *fixture = data;

  return fixture->a.started && fixture->b.started && fixture->a.active && fixture->b.active;
}

static gboolean
has_error (gpointer data)
{
  return ((Peer *) data)->error != NULL;
}

static gboolean
is_inactive (gpointer data)
{
  return ((Peer *) data)->active_false > 0;
}

static const char *remote_address = "127.0.0.1";

static ApMediaParams *
params_for (const char *codec, guint remote_port, ApMediaDirection direction)
{
  return ap_media_test_params (codec, remote_address, remote_port, direction);
}

static void
start_peer_with (Peer *peer, const ApMediaParams *params)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (ap_media_session_start (peer->session, params, &error));
  g_assert_no_error (error);
  /* A live pipeline picks its base time while start() sets it playing:
   * this is where the peer's recording begins. */
  if (peer->start_time == 0)
    peer->start_time = g_get_monotonic_time ();
}

static void
start_peer (Peer *peer, const char *codec, guint remote_port, ApMediaDirection direction)
{
  g_autoptr (ApMediaParams) params = params_for (codec, remote_port, direction);

  start_peer_with (peer, params);
}

static ApWav *
load_wav (Peer *peer)
{
  g_autoptr (GError) error = NULL;
  ApWav *wav = NULL;

  g_assert_true (ap_wav_load (peer->wav_path, &wav, &error));
  g_assert_no_error (error);
  g_test_message ("%s.wav: %.2f s at %u Hz", peer->name, ap_wav_duration_s (wav), wav->rate);
  return wav;
}

static void
assert_tone (const char *what, const ApWav *wav, double start_s, double end_s, double frequency)
{
  double level = ap_wav_rms_dbfs (wav, 0, start_s, end_s);
  double measured = ap_wav_dominant_frequency (wav, 0, start_s, end_s);

  g_test_message ("%s, %.2f-%.2f s: %.1f Hz at %.1f dBFS (expect %.0f Hz)", what, start_s, end_s,
                  measured, level, frequency);
  g_assert_cmpfloat (end_s - start_s, >=, 0.3);
  g_assert_cmpfloat (level, >, -30.0);
  g_assert_cmpfloat_with_epsilon (measured, frequency, TOLERANCE_HZ);
}

static void
assert_silence (const char *what, const ApWav *wav, double start_s, double end_s)
{
  double level = ap_wav_rms_dbfs (wav, 0, start_s, end_s);

  g_test_message ("%s, %.2f-%.2f s: %.1f dBFS (expect silence)", what, start_s, end_s, level);
  g_assert_cmpfloat (end_s - start_s, >=, 0.3);
  g_assert_cmpfloat (level, <, -60.0);
}

static double
seconds_between (gint64 from, gint64 to)
{
  return (double) (to - from) / G_USEC_PER_SEC;
}

static void
stop_twice (Peer *peer)
{
  ap_media_session_stop (peer->session);
  ap_media_session_stop (peer->session);
}

/* Tones both ways for 3 s with @codec. */
static void
test_codec (Fixture *fixture, gconstpointer data)
{
  const char *codec = data;
  g_autoptr (ApWav) wav_a = NULL;
  g_autoptr (ApWav) wav_b = NULL;
  gint64 start;
  double duration;

  start = g_get_monotonic_time ();
  start_peer (&fixture->a, codec, fixture->b.port, AP_MEDIA_DIRECTION_SENDRECV);
  start_peer (&fixture->b, codec, fixture->a.port, AP_MEDIA_DIRECTION_SENDRECV);
  g_assert_true (ap_media_test_run_until (both_running, fixture, ACTIVE_WITHIN_MS));
  g_test_message ("%s: started after %.0f ms, active after %.0f / %.0f ms", codec,
                  seconds_between (start, fixture->a.started_time) * 1000,
                  seconds_between (start, fixture->a.active_time) * 1000,
                  seconds_between (start, fixture->b.active_time) * 1000);

  run_until_time (start, 3000);
  g_assert_true (fixture->a.active && fixture->b.active);
  g_assert_cmpuint (fixture->a.active_false + fixture->b.active_false, ==, 0);
  g_assert_null (fixture->a.error);
  g_assert_null (fixture->b.error);
  stop_twice (&fixture->a);
  stop_twice (&fixture->b);

  wav_b = load_wav (&fixture->b);
  wav_a = load_wav (&fixture->a);
  duration = ap_wav_duration_s (wav_b);
  g_assert_cmpfloat (duration, >, 2.5);
  assert_tone ("B hears A", wav_b, 0.5, duration - 0.1, FREQUENCY_A);
  duration = ap_wav_duration_s (wav_a);
  g_assert_cmpfloat (duration, >, 2.5);
  assert_tone ("A hears B", wav_a, 0.5, duration - 0.1, FREQUENCY_B);
}

/* Where the received tone ends in @wav: the end of the last 5 ms window
 * above -40 dBFS. */
static double
tone_end (const ApWav *wav)
{
  double last = 0.0;

  for (double t = 0.0; t + 0.005 <= ap_wav_duration_s (wav); t += 0.005)
    if (ap_wav_rms_dbfs (wav, 0, t, t + 0.005) > -40.0)
      last = t + 0.005;
  return last;
}

/* Muting A sends silence: B hears nothing, yet RTP keeps flowing (with
 * Opus, through DTX) and nobody goes inactive. */
static void
test_mute (Fixture *fixture, gconstpointer data)
{
  const char *codec = data;
  g_autoptr (ApWav) wav_b = NULL;
  gint64 start, muted_at;
  double mute_in_b, end;

  start = g_get_monotonic_time ();
  start_peer (&fixture->a, codec, fixture->b.port, AP_MEDIA_DIRECTION_SENDRECV);
  start_peer (&fixture->b, codec, fixture->a.port, AP_MEDIA_DIRECTION_SENDRECV);
  g_assert_true (ap_media_test_run_until (both_running, fixture, ACTIVE_WITHIN_MS));
  run_until_time (start, 1500);
  ap_media_session_set_muted (fixture->a.session, TRUE);
  muted_at = g_get_monotonic_time ();
  run_until_time (start, 3000);
  g_assert_true (fixture->a.active && fixture->b.active);
  g_assert_cmpuint (fixture->a.active_false + fixture->b.active_false, ==, 0);
  stop_twice (&fixture->a);
  stop_twice (&fixture->b);

  wav_b = load_wav (&fixture->b);
  mute_in_b = seconds_between (fixture->b.start_time, muted_at);
  end = ap_wav_duration_s (wav_b);
  assert_tone ("B hears A", wav_b, 0.5, mute_in_b - 0.2, FREQUENCY_A);
  assert_silence ("B hears A muted", wav_b, mute_in_b + 0.3, end - 0.05);
  g_test_message ("%s: the tone stops in B's recording %.0f ms after the mute (capture to "
                  "recording, before the playout latency)",
                  codec, (tone_end (wav_b) - mute_in_b) * 1000);
}

typedef struct {
  guint count;
  double input;
  double output;
} Levels;

static void
on_levels (ApMediaSession *session, double input, double output, Levels *levels)
{
  levels->count++;
  levels->input = input;
  levels->output = output;
}

/* The meters: A's microphone level is its tone's, its speaker's is B's
 * tone's (PCMA keeps levels), ten reports a second; muted, the microphone
 * meter falls to the floor. */
static void
test_levels (Fixture *fixture, gconstpointer data)
{
  Levels levels = { 0, 0.0, 0.0 };
  gint64 start = g_get_monotonic_time ();
  guint before;

  g_signal_connect (fixture->a.session, "levels", G_CALLBACK (on_levels), &levels);
  start_peer (&fixture->a, "pcma", fixture->b.port, AP_MEDIA_DIRECTION_SENDRECV);
  start_peer (&fixture->b, "pcma", fixture->a.port, AP_MEDIA_DIRECTION_SENDRECV);
  g_assert_true (ap_media_test_run_until (both_running, fixture, ACTIVE_WITHIN_MS));
  run_until_time (start, 1500);
  g_test_message ("after 1.5 s: %u reports, microphone %.1f dBFS, speaker %.1f dBFS", levels.count,
                  levels.input, levels.output);
  g_assert_cmpuint (levels.count, >=, 8);
  g_assert_cmpfloat_with_epsilon (levels.input, -4.9, 1.0);
  g_assert_cmpfloat_with_epsilon (levels.output, -4.9, 1.5);

  ap_media_session_set_muted (fixture->a.session, TRUE);
  before = levels.count;
  run_until_time (start, 2500);
  g_test_message ("muted: microphone %.1f dBFS, speaker %.1f dBFS", levels.input, levels.output);
  g_assert_cmpuint (levels.count - before, >=, 6);
  g_assert_cmpfloat (levels.input, <=, -90.0);
  g_assert_cmpfloat_with_epsilon (levels.output, -4.9, 1.5);
  g_signal_handlers_disconnect_by_func (fixture->a.session, on_levels, &levels);
}

/* A only receives: B hears nothing, A hears B. */
static void
test_recvonly (Fixture *fixture, gconstpointer data)
{
  g_autoptr (ApWav) wav_a = NULL;
  g_autoptr (ApWav) wav_b = NULL;
  gint64 start = g_get_monotonic_time ();

  start_peer (&fixture->a, "pcma", fixture->b.port, AP_MEDIA_DIRECTION_RECVONLY);
  start_peer (&fixture->b, "pcma", fixture->a.port, AP_MEDIA_DIRECTION_SENDRECV);
  run_until_time (start, 2500);
  /* Active needs RTP both ways. */
  g_assert_cmpuint (fixture->a.active_true + fixture->b.active_true, ==, 0);
  stop_twice (&fixture->a);
  stop_twice (&fixture->b);

  wav_b = load_wav (&fixture->b);
  wav_a = load_wav (&fixture->a);
  assert_silence ("B hears recvonly A", wav_b, 0.0, ap_wav_duration_s (wav_b));
  assert_tone ("recvonly A hears B", wav_a, 0.5, ap_wav_duration_s (wav_a) - 0.1, FREQUENCY_B);
}

/* Re-INVITEs applied live on A: sendrecv to B, then recvonly, then
 * sendrecv to another peer C; B hears A only in the first phase, C only
 * in the last. */
static void
test_reinvite (Fixture *fixture, gconstpointer data)
{
  g_autoptr (ApWav) wav_b = NULL;
  g_autoptr (ApWav) wav_c = NULL;
  gint64 start, recvonly_at, moved_at;
  double in_b, in_c;

  peer_init (fixture, &fixture->c, "c", FREQUENCY_C);
  start = g_get_monotonic_time ();
  start_peer (&fixture->a, "pcmu", fixture->b.port, AP_MEDIA_DIRECTION_SENDRECV);
  start_peer (&fixture->b, "pcmu", fixture->a.port, AP_MEDIA_DIRECTION_SENDRECV);
  start_peer (&fixture->c, "pcmu", fixture->a.port, AP_MEDIA_DIRECTION_RECVONLY);
  g_assert_true (ap_media_test_run_until (both_running, fixture, ACTIVE_WITHIN_MS));

  run_until_time (start, 1200);
  start_peer (&fixture->a, "pcmu", fixture->b.port, AP_MEDIA_DIRECTION_RECVONLY);
  recvonly_at = g_get_monotonic_time ();
  run_until_time (start, 2400);
  start_peer (&fixture->a, "pcmu", fixture->c.port, AP_MEDIA_DIRECTION_SENDRECV);
  moved_at = g_get_monotonic_time ();
  run_until_time (start, 3600);
  g_assert_null (fixture->a.error);
  stop_twice (&fixture->a);
  stop_twice (&fixture->b);
  stop_twice (&fixture->c);

  wav_b = load_wav (&fixture->b);
  wav_c = load_wav (&fixture->c);
  in_b = seconds_between (fixture->b.start_time, recvonly_at);
  assert_tone ("B hears A", wav_b, 0.4, in_b - 0.2, FREQUENCY_A);
  assert_silence ("B after A went recvonly", wav_b, in_b + 0.3, ap_wav_duration_s (wav_b) - 0.05);
  in_c = seconds_between (fixture->c.start_time, moved_at);
  assert_silence ("C before A moved", wav_c, 0.0, in_c);
  assert_tone ("C hears A after it moved", wav_c, in_c + 0.3, ap_wav_duration_s (wav_c) - 0.1,
               FREQUENCY_A);
}

/* A new codec in a re-INVITE rebuilds the pipeline; audio keeps coming. */
static void
test_codec_change (Fixture *fixture, gconstpointer data)
{
  g_autoptr (ApWav) wav_a = NULL;
  g_autoptr (ApWav) wav_b = NULL;
  gint64 start = g_get_monotonic_time (), changed;

  start_peer (&fixture->a, "opus", fixture->b.port, AP_MEDIA_DIRECTION_SENDRECV);
  start_peer (&fixture->b, "opus", fixture->a.port, AP_MEDIA_DIRECTION_SENDRECV);
  g_assert_true (ap_media_test_run_until (both_running, fixture, ACTIVE_WITHIN_MS));
  run_until_time (start, 1000);
  start_peer (&fixture->a, "g722", fixture->b.port, AP_MEDIA_DIRECTION_SENDRECV);
  start_peer (&fixture->b, "g722", fixture->a.port, AP_MEDIA_DIRECTION_SENDRECV);
  changed = g_get_monotonic_time ();
  run_until_time (changed, 1500);
  g_assert_true (fixture->a.active && fixture->b.active);
  g_assert_cmpuint (fixture->a.active_false + fixture->b.active_false, ==, 0);
  g_assert_null (fixture->a.error);
  g_assert_null (fixture->b.error);
  stop_twice (&fixture->a);
  stop_twice (&fixture->b);

  /* The recordings hold the audio since the change (the output is made
   * anew with the pipeline). */
  wav_b = load_wav (&fixture->b);
  wav_a = load_wav (&fixture->a);
  g_assert_cmpuint (wav_b->rate, ==, 16000);
  assert_tone ("B hears A (G.722)", wav_b, 0.3, ap_wav_duration_s (wav_b) - 0.1, FREQUENCY_A);
  assert_tone ("A hears B (G.722)", wav_a, 0.3, ap_wav_duration_s (wav_a) - 0.1, FREQUENCY_B);
}

/* The far end goes away: "active-changed" FALSE after 3 s of nothing. */
static void
test_inactive (Fixture *fixture, gconstpointer data)
{
  gint64 gone;
  double after;

  start_peer (&fixture->a, "pcma", fixture->b.port, AP_MEDIA_DIRECTION_SENDRECV);
  start_peer (&fixture->b, "pcma", fixture->a.port, AP_MEDIA_DIRECTION_SENDRECV);
  g_assert_true (ap_media_test_run_until (both_running, fixture, ACTIVE_WITHIN_MS));
  ap_media_test_run_for (300);
  ap_media_session_stop (fixture->b.session);
  gone = g_get_monotonic_time ();
  g_assert_true (ap_media_test_run_until (is_inactive, &fixture->a, 5000));
  after = seconds_between (gone, g_get_monotonic_time ());
  g_test_message ("A went inactive %.2f s after B stopped", after);
  g_assert_cmpfloat (after, >=, 2.9);
  g_assert_cmpfloat (after, <, 3.6);
  g_assert_false (fixture->a.active);
}

/* Broken inputs and outputs: a readable error from start() or the "error"
 * signal, nothing crashes, stop() works after. */
static void
test_bad_override (Fixture *fixture, gconstpointer data)
{
  ApAudioSession *a = AP_AUDIO_SESSION (fixture->a.session);
  g_autoptr (ApMediaParams) params
    = params_for ("pcma", fixture->b.port, AP_MEDIA_DIRECTION_SENDRECV);
  g_autoptr (GError) error = NULL;

  /* Not a pipeline at all. */
  ap_audio_session_set_source_description (a, "nosuchelement ! alsosuchnot");
  g_assert_false (ap_media_session_start (fixture->a.session, params, &error));
  g_assert_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT);
  g_test_message ("bad source: %s", error->message);
  g_assert_nonnull (strstr (error->message, "nosuchelement"));
  g_clear_error (&error);

  /* Half a pipeline. */
  ap_audio_session_set_source_description (a, "audiotestsrc is-live=true no-such-property=1");
  g_assert_false (ap_media_session_start (fixture->a.session, params, &error));
  g_assert_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* An output that cannot open: start() fails, or "error" comes. */
  ap_audio_session_set_source_description (a, "audiotestsrc is-live=true");
  ap_audio_session_set_sink_description (a, "wavenc ! filesink location=/nonexistent/dir/x.wav");
  if (ap_media_session_start (fixture->a.session, params, &error))
    {
      g_assert_true (ap_media_test_run_until (has_error, &fixture->a, 2000));
      g_test_message ("bad sink: error signal: %s", fixture->a.error);
    }
  else
    {
      g_test_message ("bad sink: start() failed: %s", error->message);
      g_assert_nonnull (strstr (error->message, "/nonexistent/dir/x.wav"));
      g_clear_error (&error);
    }
  stop_twice (&fixture->a);
  g_clear_pointer (&fixture->a.error, g_free);

  /* An input that fails while running: the "error" signal says so. */
  g_assert_cmpuint (ap_media_session_prepare (fixture->a.session, "127.0.0.1", &error), >, 0);
  g_assert_no_error (error);
  ap_audio_session_set_source_description (a, "audiotestsrc is-live=true ! identity error-after=5");
  ap_audio_session_set_sink_description (a, "fakesink");
  fixture->a.stop_on_error = TRUE;
  g_assert_true (ap_media_session_start (fixture->a.session, params, &error));
  g_assert_no_error (error);
  g_assert_true (ap_media_test_run_until (has_error, &fixture->a, 2000));
  g_test_message ("failing source: %s", fixture->a.error);
  g_assert_true (g_str_has_prefix (fixture->a.error, "Audio input failed: "));
  /* Stopped from the handler already; the loop goes on without trouble. */
  ap_media_test_run_for (200);
  stop_twice (&fixture->a);

  /* Start without prepare, and an unknown codec. */
  g_assert_false (ap_media_session_start (fixture->a.session, params, &error));
  g_assert_error (error, AP_ERROR, AP_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_cmpuint (ap_media_session_prepare (fixture->a.session, "127.0.0.1", &error), >, 0);
  g_free (params->codec);
  params->codec = g_strdup ("g729");
  g_assert_false (ap_media_session_start (fixture->a.session, params, &error));
  g_assert_error (error, AP_ERROR, AP_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
}

/* Dropping a running session finishes its recording too. */
static void
test_dispose_running (Fixture *fixture, gconstpointer data)
{
  g_autoptr (ApWav) wav_a = NULL;
  gint64 start = g_get_monotonic_time ();

  start_peer (&fixture->a, "pcmu", fixture->b.port, AP_MEDIA_DIRECTION_SENDRECV);
  start_peer (&fixture->b, "pcmu", fixture->a.port, AP_MEDIA_DIRECTION_SENDRECV);
  g_assert_true (ap_media_test_run_until (both_running, fixture, ACTIVE_WITHIN_MS));
  run_until_time (start, 1200);
  g_signal_handlers_disconnect_by_data (fixture->a.session, &fixture->a);
  g_clear_object (&fixture->a.session);

  wav_a = load_wav (&fixture->a);
  assert_tone ("A hears B", wav_a, 0.4, ap_wav_duration_s (wav_a) - 0.1, FREQUENCY_B);
}

/* The same over IPv6 loopback, when the machine has it. */
static void
test_ipv6 (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GSocket) probe
    = g_socket_new (G_SOCKET_FAMILY_IPV6, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, NULL);
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV6);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr (ApWav) wav_a = NULL;
  g_autoptr (ApWav) wav_b = NULL;
  gint64 start;

  if (probe == NULL || !g_socket_bind (probe, address, FALSE, NULL))
    {
      g_test_skip ("no IPv6 loopback here");
      return;
    }
  peer_clear (&fixture->a);
  peer_clear (&fixture->b);
  peer_init_on (fixture, &fixture->a, "a6", FREQUENCY_A, "::1");
  peer_init_on (fixture, &fixture->b, "b6", FREQUENCY_B, "::1");
  remote_address = "::1";
  start = g_get_monotonic_time ();
  start_peer (&fixture->a, "pcmu", fixture->b.port, AP_MEDIA_DIRECTION_SENDRECV);
  start_peer (&fixture->b, "pcmu", fixture->a.port, AP_MEDIA_DIRECTION_SENDRECV);
  remote_address = "127.0.0.1";
  g_assert_true (ap_media_test_run_until (both_running, fixture, ACTIVE_WITHIN_MS));
  run_until_time (start, 1500);
  stop_twice (&fixture->a);
  stop_twice (&fixture->b);

  wav_b = load_wav (&fixture->b);
  wav_a = load_wav (&fixture->a);
  assert_tone ("B hears A over IPv6", wav_b, 0.4, ap_wav_duration_s (wav_b) - 0.1, FREQUENCY_A);
  assert_tone ("A hears B over IPv6", wav_a, 0.4, ap_wav_duration_s (wav_a) - 0.1, FREQUENCY_B);
}

static gboolean
port_is_free (guint port)
{
  g_autoptr (GSocket) socket
    = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, NULL);
  g_autoptr (GInetAddress) any = g_inet_address_new_any (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (any, (guint16) port);

  return g_socket_bind (socket, address, FALSE, NULL);
}

/* Port pairs: even RTP port, RTCP above, IPv4 and IPv6, and the factory. */
static void
test_prepare (Fixture *fixture, gconstpointer data)
{
  g_autoptr (ApMediaEngine) engine = ap_media_engine_new ();
  g_autoptr (ApMediaSession) session = ap_media_factory_create (AP_MEDIA_FACTORY (engine));
  g_autoptr (ApMediaSession) v6 = ap_media_factory_create (AP_MEDIA_FACTORY (engine));
  g_autoptr (ApMediaSession) bad = ap_media_factory_create (AP_MEDIA_FACTORY (engine));
  g_autoptr (GError) error = NULL;
  guint port, port6;

  g_assert_true (AP_IS_AUDIO_SESSION (session));
  port = ap_media_session_prepare (session, "0.0.0.0", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (port, >, 0);
  g_assert_cmpuint (port % 2, ==, 0);
  /* Both ports of the pair are taken. */
  g_assert_false (port_is_free (port));
  g_assert_false (port_is_free (port + 1));
  /* Prepared twice: the same port. */
  g_assert_cmpuint (ap_media_session_prepare (session, "0.0.0.0", &error), ==, port);
  g_assert_cmpuint (port, !=, fixture->a.port);

  port6 = ap_media_session_prepare (v6, "::1", &error);
  if (error != NULL && g_error_matches (error, AP_ERROR, AP_ERROR_FAILED))
    g_test_message ("no IPv6 here: %s", error->message);
  else
    {
      g_assert_no_error (error);
      g_assert_cmpuint (port6 % 2, ==, 0);
    }
  g_clear_error (&error);

  g_assert_cmpuint (ap_media_session_prepare (bad, "not-an-address", &error), ==, 0);
  g_assert_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  ap_media_session_stop (session);
  ap_media_session_stop (session);
  /* stop() released them. */
  g_assert_true (port_is_free (port));
  g_assert_true (port_is_free (port + 1));
}

/* DTMF. */

typedef struct {
  const char *codec;
  int payload_type;
  guint clock_rate;
} DtmfCase;

static const DtmfCase dtmf_pcma = { "pcma", 101, 8000 };
static const DtmfCase dtmf_opus = { "opus", 110, 48000 };
/* What many peers offer beside Opus: telephone-event at 8 kHz only. */
static const DtmfCase dtmf_opus_8000 = { "opus", 101, 8000 };

static ApMediaParams *
params_with_dtmf (const DtmfCase *dtmf, guint remote_port, ApMediaDirection direction)
{
  ApMediaParams *params = params_for (dtmf->codec, remote_port, direction);

  params->dtmf_payload_type = dtmf->payload_type;
  params->dtmf_clock_rate = dtmf->clock_rate;
  return params;
}

static void
start_with_dtmf (Peer *peer, const DtmfCase *dtmf, guint remote_port, ApMediaDirection direction)
{
  g_autoptr (ApMediaParams) params = params_with_dtmf (dtmf, remote_port, direction);

  start_peer_with (peer, params);
}

typedef struct {
  Peer *peer;
  gsize count;
} DigitCount;

static gboolean
has_digits (gpointer data)
{
  DigitCount *wanted = data;

  return wanted->peer->digits->len >= wanted->count;
}

static void
send_digit (Peer *peer, char digit, guint duration_ms, gboolean inband)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (ap_media_session_send_dtmf (peer->session, digit, duration_ms, inband, &error));
  g_assert_no_error (error);
}

/* Sends @digits from A paced like the call layer; returns when they were
 * sent (monotonic), in @sent_at. */
static void
send_digits (Peer *peer, const char *digits, gint64 *sent_at)
{
  gint64 first = g_get_monotonic_time ();

  for (gsize i = 0; digits[i] != '\0'; i++)
    {
      run_until_time (first, (guint) i * DIGIT_EVERY_MS);
      sent_at[i] = g_get_monotonic_time ();
      send_digit (peer, digits[i], DIGIT_MS, FALSE);
    }
}

/* The audio is held while events play. Sent every DIGIT_EVERY_MS, the
 * events follow each other closely enough that nothing is heard from the
 * second to the last. A loaded machine can delay this test's own timer
 * that sends them: then the gaps may carry audio, as they should, and each
 * event is checked on its own. */
static void
assert_held_during_digits (Fixture *fixture, const ApWav *wav, const gint64 *sent_at,
                           gsize n_digits)
{
  const gint64 *heard = fixture->b.digit_times;
  gint64 slip = 0;

  for (gsize i = 1; i < n_digits; i++)
    slip = MAX (slip, sent_at[i] - sent_at[i - 1] - (gint64) DIGIT_EVERY_MS * 1000);
  if (slip <= 60 * 1000)
    {
      assert_silence ("B while the digits play", wav,
                      seconds_between (fixture->b.start_time, heard[1]),
                      seconds_between (fixture->b.start_time, heard[n_digits - 1]));
      return;
    }
  g_test_message ("this test sent a digit %.0f ms late: each event checked on its own",
                  slip / 1000.0);
  for (gsize i = 1; i < n_digits; i++)
    {
      double at = seconds_between (fixture->b.start_time, heard[i]);
      double level = ap_wav_rms_dbfs (wav, 0, at, at + (DIGIT_MS - 40) / 1000.0);

      g_test_message ("B during digit %zu: %.1f dBFS", i, level);
      g_assert_cmpfloat (level, <, -60.0);
    }
}

/* A sends "15#D" as RFC 4733 events: B reports each digit once, in order;
 * A's tone is heard before and after, and held back while they play. */
static void
test_dtmf (Fixture *fixture, gconstpointer data)
{
  const DtmfCase *dtmf = data;
  const char *digits = "15#D";
  DigitCount all = { &fixture->b, strlen (digits) };
  g_autoptr (ApWav) wav_b = NULL;
  gint64 start, sent_at[MAX_DIGITS], last;
  double first_in_b, last_in_b;

  start = g_get_monotonic_time ();
  start_with_dtmf (&fixture->a, dtmf, fixture->b.port, AP_MEDIA_DIRECTION_SENDRECV);
  start_with_dtmf (&fixture->b, dtmf, fixture->a.port, AP_MEDIA_DIRECTION_SENDRECV);
  g_assert_true (ap_media_test_run_until (both_running, fixture, ACTIVE_WITHIN_MS));
  run_until_time (start, 1200);

  send_digits (&fixture->a, digits, sent_at);
  g_assert_true (ap_media_test_run_until (has_digits, &all, 3000));
  last = g_get_monotonic_time ();
  /* Long enough for a doubled digit to show, and for audio after. */
  ap_media_test_run_for (1500);
  g_assert_cmpstr (fixture->b.digits->str, ==, digits);
  g_assert_cmpstr (fixture->a.digits->str, ==, "");
  for (gsize i = 0; digits[i] != '\0'; i++)
    g_test_message ("%s: '%c' detected %.0f ms after it was sent", dtmf->codec, digits[i],
                    (double) (fixture->b.digit_times[i] - sent_at[i]) / 1000);
  g_assert_true (fixture->a.active && fixture->b.active);
  g_assert_null (fixture->a.error);
  g_assert_null (fixture->b.error);
  stop_twice (&fixture->a);
  stop_twice (&fixture->b);

  wav_b = load_wav (&fixture->b);
  first_in_b = seconds_between (fixture->b.start_time, sent_at[0]);
  last_in_b = seconds_between (fixture->b.start_time, last);
  assert_tone ("B hears A before the digits", wav_b, 0.5, first_in_b - 0.05, FREQUENCY_A);
  assert_held_during_digits (fixture, wav_b, sent_at, strlen (digits));
  /* The last event lasts at least 250 ms, and the audio waits 100 ms more. */
  assert_tone ("B hears A after the digits", wav_b, last_in_b + 0.6,
               ap_wav_duration_s (wav_b) - 0.1, FREQUENCY_A);
}

static void
assert_send_fails (Peer *peer, char digit, gboolean inband, int code)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (ap_media_session_send_dtmf (peer->session, digit, DIGIT_MS, inband, &error));
  g_assert_error (error, AP_ERROR, code);
  g_test_message ("send_dtmf ('%c', %s): %s", g_ascii_isgraph (digit) ? digit : '?',
                  inband ? "in-band" : "RFC 4733", error->message);
}

/* What cannot be sent fails with a reason. */
static void
test_dtmf_errors (Fixture *fixture, gconstpointer data)
{
  g_autoptr (ApMediaParams) params
    = params_for ("pcma", fixture->b.port, AP_MEDIA_DIRECTION_SENDRECV);
  g_autoptr (GError) error = NULL;

  /* No audio yet. */
  assert_send_fails (&fixture->a, '1', FALSE, AP_ERROR_INVALID_STATE);
  assert_send_fails (&fixture->a, '1', TRUE, AP_ERROR_INVALID_STATE);

  /* No telephone-event agreed: only in-band works. */
  g_assert_cmpint (params->dtmf_payload_type, ==, -1);
  start_peer_with (&fixture->a, params);
  assert_send_fails (&fixture->a, '1', FALSE, AP_ERROR_NOT_SUPPORTED);
  send_digit (&fixture->a, '1', DIGIT_MS, TRUE);
  assert_send_fails (&fixture->a, 'x', TRUE, AP_ERROR_INVALID_ARGUMENT);
  assert_send_fails (&fixture->a, '\0', FALSE, AP_ERROR_INVALID_ARGUMENT);
  g_assert_false (ap_media_session_send_dtmf (fixture->a.session, '1', 0, FALSE, &error));
  g_assert_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* Receive-only (on hold by the far end): nothing is sent. */
  params->dtmf_payload_type = 101;
  params->dtmf_clock_rate = 8000;
  params->direction = AP_MEDIA_DIRECTION_RECVONLY;
  start_peer_with (&fixture->a, params);
  assert_send_fails (&fixture->a, '1', FALSE, AP_ERROR_INVALID_STATE);
  assert_send_fails (&fixture->a, '1', TRUE, AP_ERROR_INVALID_STATE);

  /* A telephone-event payload type that cannot be. */
  params->dtmf_payload_type = 8;
  g_assert_false (ap_media_session_start (fixture->a.session, params, &error));
  g_assert_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (fixture->a.error);
}

/* Re-INVITEs: the same codec again (applied live), then a new codec (a new
 * pipeline): DTMF still goes through each time. */
static void
test_dtmf_renegotiate (Fixture *fixture, gconstpointer data)
{
  DigitCount one = { &fixture->b, 1 }, two = { &fixture->b, 2 }, three = { &fixture->b, 3 };

  start_with_dtmf (&fixture->a, &dtmf_pcma, fixture->b.port, AP_MEDIA_DIRECTION_SENDRECV);
  start_with_dtmf (&fixture->b, &dtmf_pcma, fixture->a.port, AP_MEDIA_DIRECTION_SENDRECV);
  g_assert_true (ap_media_test_run_until (both_running, fixture, ACTIVE_WITHIN_MS));
  ap_media_test_run_for (300);
  send_digit (&fixture->a, '1', DIGIT_MS, FALSE);
  g_assert_true (ap_media_test_run_until (has_digits, &one, 2000));

  /* Hold and back, same codec. */
  start_with_dtmf (&fixture->a, &dtmf_pcma, fixture->b.port, AP_MEDIA_DIRECTION_RECVONLY);
  assert_send_fails (&fixture->a, '9', FALSE, AP_ERROR_INVALID_STATE);
  start_with_dtmf (&fixture->a, &dtmf_pcma, fixture->b.port, AP_MEDIA_DIRECTION_SENDRECV);
  ap_media_test_run_for (300);
  send_digit (&fixture->a, '2', DIGIT_MS, FALSE);
  g_assert_true (ap_media_test_run_until (has_digits, &two, 2000));

  /* A new codec on both sides, and a digit right away. */
  start_with_dtmf (&fixture->a, &dtmf_opus, fixture->b.port, AP_MEDIA_DIRECTION_SENDRECV);
  start_with_dtmf (&fixture->b, &dtmf_opus, fixture->a.port, AP_MEDIA_DIRECTION_SENDRECV);
  ap_media_test_run_for (300);
  send_digit (&fixture->a, '3', DIGIT_MS, FALSE);
  g_assert_true (ap_media_test_run_until (has_digits, &three, 2000));
  ap_media_test_run_for (700);
  g_assert_cmpstr (fixture->b.digits->str, ==, "123");
  g_assert_null (fixture->a.error);
  g_assert_null (fixture->b.error);
}

typedef struct {
  GSocket *socket;
  GSocketAddress *to;
  guint16 seq;
} EventSender;

/* Sends one RFC 4733 packet (payload type 101) from @sender. */
static void
send_event_packet (EventSender *sender, guint32 timestamp, gboolean marker, guint8 event,
                   gboolean end, guint16 duration)
{
  g_autoptr (GError) error = NULL;
  guint8 packet[16] = { 0x80, (guint8) ((marker ? 0x80 : 0) | 101) };

  packet[2] = sender->seq >> 8;
  packet[3] = sender->seq & 0xff;
  sender->seq++;
  for (int i = 0; i < 4; i++)
    {
      packet[4 + i] = (timestamp >> (24 - 8 * i)) & 0xff;
      packet[8 + i] = (0x5eed1e55u >> (24 - 8 * i)) & 0xff;
    }
  packet[12] = event;
  packet[13] = (end ? 0x80 : 0) | 10;
  packet[14] = duration >> 8;
  packet[15] = duration & 0xff;
  g_assert_cmpint (g_socket_send_to (sender->socket, sender->to, (const char *) packet,
                                     sizeof packet, NULL, &error),
                   ==, sizeof packet);
  g_assert_no_error (error);
  ap_media_test_run_for (5);
}

/* One event the way some senders do it: start packets @starts times (each
 * marked when @mark_all), then growing durations, then the end packet
 * three times. */
static void
send_event_packets (EventSender *sender, guint32 timestamp, guint8 event, guint starts,
                    gboolean mark_all, guint16 last_duration)
{
  for (guint i = 0; i < starts; i++)
    send_event_packet (sender, timestamp, i == 0 || mark_all, event, FALSE, 160);
  for (guint duration = 320; duration < last_duration; duration += 160)
    send_event_packet (sender, timestamp, FALSE, event, FALSE, (guint16) duration);
  for (int i = 0; i < 3; i++)
    send_event_packet (sender, timestamp, FALSE, event, TRUE, last_duration);
}

/* Packets from other senders: retransmitted starts all marked, a lost
 * start, a long event in two segments, an event heard only by its end:
 * each is one digit. */
static void
test_dtmf_receive_filter (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GError) error = NULL;
  EventSender sender = { NULL, NULL, 4000 };
  DigitCount four = { &fixture->b, 4 };
  guint32 ts = 80000;

  sender.socket
    = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (sender.socket, any, FALSE, &error));
  sender.to = g_inet_socket_address_new (loopback, (guint16) fixture->b.port);
  start_with_dtmf (&fixture->b, &dtmf_pcma, fixture->a.port, AP_MEDIA_DIRECTION_SENDRECV);
  ap_media_test_run_for (200);

  /* '7', every start packet marked. */
  send_event_packets (&sender, ts, 7, 3, TRUE, 1600);
  /* '7' again, its first packets lost: no marker at all. */
  ts += 1600 + 800;
  send_event_packets (&sender, ts, 7, 0, FALSE, 1600);
  /* '0' held for longer than one packet can say: a second segment starts
   * at the first one's end, unmarked (RFC 4733 2.5.1.3). */
  ts += 1600 + 800;
  send_event_packet (&sender, ts, TRUE, 0, FALSE, 160);
  send_event_packet (&sender, ts, FALSE, 0, FALSE, 0xFFFF);
  ts += 0xFFFF;
  send_event_packet (&sender, ts, FALSE, 0, FALSE, 160);
  send_event_packets (&sender, ts, 0, 0, FALSE, 800);
  /* '#', of which only the end arrives. */
  ts += 800 + 800;
  for (int i = 0; i < 3; i++)
    send_event_packet (&sender, ts, FALSE, 11, TRUE, 1280);

  g_assert_true (ap_media_test_run_until (has_digits, &four, 2000));
  ap_media_test_run_for (300);
  g_assert_cmpstr (fixture->b.digits->str, ==, "770#");
  g_assert_null (fixture->b.error);
  g_clear_object (&sender.to);
  g_clear_object (&sender.socket);
}

/* The level of @frequency in @wav between @start_s and @end_s, in dBFS of
 * a sine's amplitude (Goertzel, Hann window). */
static double
tone_dbfs (const ApWav *wav, double start_s, double end_s, double frequency)
{
  gsize first = (gsize) (start_s * wav->rate), last = (gsize) (end_s * wav->rate);
  double coefficient = 2 * cos (2 * G_PI * frequency / wav->rate);
  double previous = 0, before = 0, power, amplitude;
  gsize n;

  last = MIN (last, wav->n_frames);
  g_assert_cmpuint (last, >, first + 1);
  n = last - first;
  for (gsize i = 0; i < n; i++)
    {
      double window = 0.5 - 0.5 * cos (2 * G_PI * (double) i / (double) (n - 1));
      double x = window * wav->samples[(first + i) * wav->channels] / 32768.0;
      double current = x + coefficient * previous - before;

      before = previous;
      previous = current;
    }
  power = previous * previous + before * before - coefficient * previous * before;
  /* A sine of amplitude A gives |X| = A N / 4 under a Hann window. */
  amplitude = 4 * sqrt (MAX (power, 0)) / (double) n;
  return 20 * log10 (amplitude + 1e-9);
}

/* Where sound starts and ends in @wav after @from_s: 5 ms windows above
 * -40 dBFS. */
static void
find_sound (const ApWav *wav, double from_s, double *start_s, double *end_s)
{
  *start_s = *end_s = -1;
  for (double t = from_s; t + 0.005 <= ap_wav_duration_s (wav); t += 0.005)
    if (ap_wav_rms_dbfs (wav, 0, t, t + 0.005) > -40.0)
      {
        if (*start_s < 0)
          *start_s = t;
        *end_s = t + 0.005;
      }
}

/* A, silent, sends '5' in-band for 400 ms: B hears 770 Hz and 1336 Hz for
 * that long, and silence around it. */
static void
test_dtmf_inband (Fixture *fixture, gconstpointer data)
{
  const char *codec = data;
  const double others[] = { 697, 852, 941, 1000, 1209, 1477, 1633 };
  g_autoptr (ApWav) wav_b = NULL;
  gint64 start, sent_at;
  double sent_in_b, tone_start, tone_end, low, high;

  ap_audio_session_set_source_description (AP_AUDIO_SESSION (fixture->a.session),
                                           "audiotestsrc is-live=true wave=silence "
                                           "samplesperbuffer=480");
  start = g_get_monotonic_time ();
  start_peer (&fixture->a, codec, fixture->b.port, AP_MEDIA_DIRECTION_SENDRECV);
  start_peer (&fixture->b, codec, fixture->a.port, AP_MEDIA_DIRECTION_SENDRECV);
  g_assert_true (ap_media_test_run_until (both_running, fixture, ACTIVE_WITHIN_MS));
  run_until_time (start, 1200);
  sent_at = g_get_monotonic_time ();
  send_digit (&fixture->a, '5', 400, TRUE);
  run_until_time (sent_at, 1500);
  g_assert_cmpstr (fixture->b.digits->str, ==, "");
  g_assert_null (fixture->a.error);
  stop_twice (&fixture->a);
  stop_twice (&fixture->b);

  wav_b = load_wav (&fixture->b);
  sent_in_b = seconds_between (fixture->b.start_time, sent_at);
  find_sound (wav_b, 0.3, &tone_start, &tone_end);
  g_test_message ("%s: the digit plays in B's recording %.0f ms after it was sent, for %.0f ms",
                  codec, (tone_start - sent_in_b) * 1000, (tone_end - tone_start) * 1000);
  /* Timestamps come from two clocks: allow them 10 ms of disagreement. */
  g_assert_cmpfloat (tone_start, >=, sent_in_b - 0.01);
  g_assert_cmpfloat (tone_start, <, sent_in_b + 0.3);
  g_assert_cmpfloat_with_epsilon (tone_end - tone_start, 0.4, 0.03);

  low = tone_dbfs (wav_b, tone_start + 0.05, tone_end - 0.05, 770);
  high = tone_dbfs (wav_b, tone_start + 0.05, tone_end - 0.05, 1336);
  g_test_message ("770 Hz at %.1f dBFS, 1336 Hz at %.1f dBFS", low, high);
  g_assert_cmpfloat (low, >, -20.0);
  g_assert_cmpfloat (high, >, -20.0);
  /* The other DTMF frequencies and 1000 Hz: well below the pair (typically
   * 35-70 dB; Opus concealment in a slow sanitizer build brings some to
   * 25 dB). */
  for (gsize i = 0; i < G_N_ELEMENTS (others); i++)
    {
      double other = tone_dbfs (wav_b, tone_start + 0.05, tone_end - 0.05, others[i]);

      g_test_message ("%.0f Hz at %.1f dBFS", others[i], other);
      g_assert_cmpfloat (other, <, MIN (low, high) - 20.0);
    }
  assert_silence ("B before the digit", wav_b, 0.3, tone_start - 0.01);
  assert_silence ("B after the digit", wav_b, tone_end + 0.01, ap_wav_duration_s (wav_b) - 0.05);
}

int
main (int argc, char *argv[])
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  /* The sessions here get their input and output from their own
   * descriptions; the process-wide overrides would win over them. */
  g_unsetenv ("AGENTPHONE_AUDIO_INPUT");
  g_unsetenv ("AGENTPHONE_AUDIO_OUTPUT");

#define ADD(path, data, func)                                                                      \
  g_test_add ("/audio-session/" path, Fixture, data, fixture_set_up, func, fixture_tear_down)
  ADD ("prepare", NULL, test_prepare);
  ADD ("opus", "opus", test_codec);
  ADD ("pcma", "pcma", test_codec);
  ADD ("pcmu", "pcmu", test_codec);
  ADD ("g722", "g722", test_codec);
  ADD ("mute/opus", "opus", test_mute);
  ADD ("mute/pcma", "pcma", test_mute);
  ADD ("recvonly", NULL, test_recvonly);
  ADD ("levels", NULL, test_levels);
  ADD ("reinvite", NULL, test_reinvite);
  ADD ("codec-change", NULL, test_codec_change);
  ADD ("inactive", NULL, test_inactive);
  ADD ("bad-override", NULL, test_bad_override);
  ADD ("dispose-running", NULL, test_dispose_running);
  ADD ("ipv6", NULL, test_ipv6);
  ADD ("dtmf/pcma", &dtmf_pcma, test_dtmf);
  ADD ("dtmf/opus", &dtmf_opus, test_dtmf);
  ADD ("dtmf/opus-8000", &dtmf_opus_8000, test_dtmf);
  ADD ("dtmf/errors", NULL, test_dtmf_errors);
  ADD ("dtmf/renegotiate", NULL, test_dtmf_renegotiate);
  ADD ("dtmf/receive-filter", NULL, test_dtmf_receive_filter);
  ADD ("dtmf/inband/pcma", "pcma", test_dtmf_inband);
  ADD ("dtmf/inband/opus", "opus", test_dtmf_inband);
#undef ADD
  return g_test_run ();
}
