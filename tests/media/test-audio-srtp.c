/* test-audio-srtp.c: two audio sessions in one process talk SRTP over
 * 127.0.0.1 with keys as SDES would give them. The recordings prove the
 * audio decrypts (frequency and level); a wrong key lets nothing through
 * (silence, no activity); a new key given live keeps the audio going on the
 * same pipeline. Every wait is bounded. */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <string.h>

#include "ap-audio-session.h"
#include "ap-media-test.h"
#include "ap-wav.h"

#define FREQUENCY_A 440
#define FREQUENCY_B 1000
#define TOLERANCE_HZ 10.0

typedef struct {
  ApMediaSession *session;
  guint port;
  gboolean active;
  guint active_false;
  char *error;
  char *wav_path;
} Peer;

typedef struct {
  char *dir;
  Peer a, b;
} Fixture;

static void
on_active_changed (ApMediaSession *session, gboolean active, Peer *peer)
{
  peer->active = active;
  if (!active)
    peer->active_false++;
}

static void
on_error (ApMediaSession *session, const char *message, Peer *peer)
{
  g_test_message ("error: %s", message);
  g_free (peer->error);
  peer->error = g_strdup (message);
}

static void
peer_init (Fixture *fixture, Peer *peer, const char *name, int frequency)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *file = g_strdup_printf ("%s.wav", name);
  g_autofree char *source = NULL;
  g_autofree char *sink = NULL;
  ApAudioSession *session = ap_audio_session_new ();

  peer->session = AP_MEDIA_SESSION (session);
  peer->wav_path = g_build_filename (fixture->dir, file, NULL);
  source = g_strdup_printf ("audiotestsrc is-live=true freq=%d samplesperbuffer=480", frequency);
  sink = g_strdup_printf ("wavenc ! filesink location=\"%s\"", peer->wav_path);
  ap_audio_session_set_source_description (session, source);
  ap_audio_session_set_sink_description (session, sink);
  g_signal_connect (session, "active-changed", G_CALLBACK (on_active_changed), peer);
  g_signal_connect (session, "error", G_CALLBACK (on_error), peer);
  peer->port = ap_media_session_prepare (peer->session, "127.0.0.1", &error);
  g_assert_no_error (error);
}

static void
peer_clear (Peer *peer)
{
  ap_media_session_stop (peer->session);
  g_signal_handlers_disconnect_by_data (peer->session, peer);
  g_clear_object (&peer->session);
  g_clear_pointer (&peer->error, g_free);
  g_remove (peer->wav_path);
  g_clear_pointer (&peer->wav_path, g_free);
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  fixture->dir = ap_media_test_make_dir ("audio-srtp");
  peer_init (fixture, &fixture->a, "a", FREQUENCY_A);
  peer_init (fixture, &fixture->b, "b", FREQUENCY_B);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  peer_clear (&fixture->a);
  peer_clear (&fixture->b);
  ap_media_test_remove_dir (fixture->dir);
}

static void
fill_key (guint8 *key, guint8 seed)
{
  for (guint i = 0; i < AP_MEDIA_SRTP_KEY_LEN; i++)
    key[i] = (guint8) (seed + i * 7);
}

/* PCMA (or Opus) towards @port, encrypting with key @ours, decrypting with @theirs. */
static ApMediaParams *
params_for (const char *codec, guint port, ApMediaSrtp srtp, guint8 ours, guint8 theirs)
{
  ApMediaParams *params
    = ap_media_test_params (codec, "127.0.0.1", port, AP_MEDIA_DIRECTION_SENDRECV);

  params->srtp = srtp;
  fill_key (params->srtp_local_key, ours);
  fill_key (params->srtp_remote_key, theirs);
  return params;
}

static void
start (Peer *peer, ApMediaParams *params)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ApMediaParams) owned = params;

  g_assert_true (ap_media_session_start (peer->session, params, &error));
  g_assert_no_error (error);
}

static ApWav *
load_wav (Peer *peer)
{
  g_autoptr (GError) error = NULL;
  ApWav *wav = NULL;

  g_assert_true (ap_wav_load (peer->wav_path, &wav, &error));
  g_assert_no_error (error);
  return wav;
}

static void
assert_tone (const char *what, const ApWav *wav, double start_s, double end_s, double frequency)
{
  double level = ap_wav_rms_dbfs (wav, 0, start_s, end_s);
  double measured = ap_wav_dominant_frequency (wav, 0, start_s, end_s);

  g_test_message ("%s, %.2f-%.2f s: %.1f Hz at %.1f dBFS", what, start_s, end_s, measured, level);
  g_assert_cmpfloat (level, >, -30.0);
  g_assert_cmpfloat_with_epsilon (measured, frequency, TOLERANCE_HZ);
}

typedef struct {
  const char *codec;
  ApMediaSrtp srtp;
} Case;

static const Case pcma_80 = { "pcma", AP_MEDIA_SRTP_AES_CM_128_HMAC_SHA1_80 };
static const Case opus_32 = { "opus", AP_MEDIA_SRTP_AES_CM_128_HMAC_SHA1_32 };

/* Matching keys: tones both ways, both sides active. */
static void
test_both_ways (Fixture *f, gconstpointer data)
{
  const Case *c = data;
  g_autoptr (ApWav) wav_a = NULL;
  g_autoptr (ApWav) wav_b = NULL;

  start (&f->a, params_for (c->codec, f->b.port, c->srtp, 1, 2));
  start (&f->b, params_for (c->codec, f->a.port, c->srtp, 2, 1));
  ap_media_test_run_for (2500);
  g_assert_true (f->a.active && f->b.active);
  g_assert_null (f->a.error);
  g_assert_null (f->b.error);
  ap_media_session_stop (f->a.session);
  ap_media_session_stop (f->b.session);
  wav_a = load_wav (&f->a);
  wav_b = load_wav (&f->b);
  assert_tone ("B hears A", wav_b, 0.5, ap_wav_duration_s (wav_b) - 0.1, FREQUENCY_A);
  assert_tone ("A hears B", wav_a, 0.5, ap_wav_duration_s (wav_a) - 0.1, FREQUENCY_B);
}

/* How long stopping @peer takes, in ms. */
static double
time_stop (Peer *peer)
{
  gint64 start = g_get_monotonic_time ();

  ap_media_session_stop (peer->session);
  return (g_get_monotonic_time () - start) / 1000.0;
}

/* Hanging up sends an RTCP BYE and waits until it is out (at most 300 ms):
 * the encrypted BYE must be seen leaving, by the side that stops first
 * (whose far end still sends) as by the second. Neither waits out the
 * timeout, which held the main loop and the SIP BYE, and left the far end
 * hearing 300 ms more silence. (It did in about half the hang-ups: three
 * calls.) */
static void
test_hang_up (Fixture *f, gconstpointer data)
{
  for (guint call = 0; call < 3; call++)
    {
      double first, second;

      start (&f->a, params_for ("opus", f->b.port, AP_MEDIA_SRTP_AES_CM_128_HMAC_SHA1_80, 1, 2));
      start (&f->b, params_for ("opus", f->a.port, AP_MEDIA_SRTP_AES_CM_128_HMAC_SHA1_80, 2, 1));
      ap_media_test_run_for (1500);
      g_assert_true (f->a.active && f->b.active);
      first = time_stop (&f->a);
      ap_media_test_run_for (100);
      second = time_stop (&f->b);
      g_test_message ("call %u: stopping took %.1f ms (first side), %.1f ms (second)", call + 1,
                      first, second);
      g_assert_cmpfloat (first, <, 150.0);
      g_assert_cmpfloat (second, <, 150.0);
      /* A stopped session is done: the next call has new ones. */
      peer_clear (&f->a);
      peer_clear (&f->b);
      peer_init (f, &f->a, "a", FREQUENCY_A);
      peer_init (f, &f->b, "b", FREQUENCY_B);
    }
}

/* B has the wrong key for A: nothing A sends gets through, and B does not
 * call that activity; A, with the right key for B, hears B. */
static void
test_wrong_key (Fixture *f, gconstpointer data)
{
  g_autoptr (ApWav) wav_a = NULL;
  g_autoptr (ApWav) wav_b = NULL;
  double level;

  start (&f->a, params_for ("pcma", f->b.port, AP_MEDIA_SRTP_AES_CM_128_HMAC_SHA1_80, 1, 2));
  start (&f->b, params_for ("pcma", f->a.port, AP_MEDIA_SRTP_AES_CM_128_HMAC_SHA1_80, 2, 9));
  ap_media_test_run_for (2500);
  /* A sends and gets B's audio; B gets nothing it can decrypt. */
  g_assert_true (f->a.active);
  g_assert_false (f->b.active);
  ap_media_session_stop (f->a.session);
  ap_media_session_stop (f->b.session);
  wav_a = load_wav (&f->a);
  wav_b = load_wav (&f->b);
  level = ap_wav_rms_dbfs (wav_b, 0, 0.0, ap_wav_duration_s (wav_b));
  g_test_message ("B with the wrong key: %.1f dBFS", level);
  g_assert_cmpfloat (level, <, -60.0);
  assert_tone ("A hears B", wav_a, 0.5, ap_wav_duration_s (wav_a) - 0.1, FREQUENCY_B);
}

/* A re-INVITE with new keys both ways, applied live: the recordings (one
 * pipeline each, so one file) hold the tone after the change too, and the
 * gap at the change is short. */
static void
test_rekey (Fixture *f, gconstpointer data)
{
  g_autoptr (ApWav) wav_a = NULL;
  g_autoptr (ApWav) wav_b = NULL;
  double duration, quiet = 0.0;

  start (&f->a, params_for ("pcma", f->b.port, AP_MEDIA_SRTP_AES_CM_128_HMAC_SHA1_80, 1, 2));
  start (&f->b, params_for ("pcma", f->a.port, AP_MEDIA_SRTP_AES_CM_128_HMAC_SHA1_80, 2, 1));
  ap_media_test_run_for (1500);
  g_assert_true (f->a.active && f->b.active);
  /* The answerer takes the offer's new key first, as in SIP. */
  start (&f->b, params_for ("pcma", f->a.port, AP_MEDIA_SRTP_AES_CM_128_HMAC_SHA1_80, 4, 3));
  start (&f->a, params_for ("pcma", f->b.port, AP_MEDIA_SRTP_AES_CM_128_HMAC_SHA1_80, 3, 4));
  ap_media_test_run_for (1500);
  g_assert_true (f->a.active && f->b.active);
  g_assert_cmpuint (f->a.active_false + f->b.active_false, ==, 0);
  ap_media_session_stop (f->a.session);
  ap_media_session_stop (f->b.session);
  wav_a = load_wav (&f->a);
  wav_b = load_wav (&f->b);
  duration = ap_wav_duration_s (wav_b);
  g_assert_cmpfloat (duration, >, 2.6);
  assert_tone ("B hears A after the new keys", wav_b, duration - 1.0, duration - 0.1, FREQUENCY_A);
  assert_tone ("A hears B after the new keys", wav_a, ap_wav_duration_s (wav_a) - 1.0,
               ap_wav_duration_s (wav_a) - 0.1, FREQUENCY_B);
  for (double t = 0.5; t + 0.01 < duration - 0.1; t += 0.01)
    if (ap_wav_rms_dbfs (wav_b, 0, t, t + 0.01) < -40.0)
      quiet += 0.01;
  g_test_message ("B's recording is quiet for %.0f ms around the key change", quiet * 1000);
  g_assert_cmpfloat (quiet, <, 0.2);
}

int
main (int argc, char *argv[])
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_unsetenv ("AGENTPHONE_AUDIO_INPUT");
  g_unsetenv ("AGENTPHONE_AUDIO_OUTPUT");

  g_test_add ("/audio-srtp/pcma-80", Fixture, &pcma_80, fixture_set_up, test_both_ways,
              fixture_tear_down);
  g_test_add ("/audio-srtp/opus-32", Fixture, &opus_32, fixture_set_up, test_both_ways,
              fixture_tear_down);
  g_test_add ("/audio-srtp/wrong-key", Fixture, NULL, fixture_set_up, test_wrong_key,
              fixture_tear_down);
  g_test_add ("/audio-srtp/rekey", Fixture, NULL, fixture_set_up, test_rekey, fixture_tear_down);
  g_test_add ("/audio-srtp/hang-up", Fixture, NULL, fixture_set_up, test_hang_up,
              fixture_tear_down);
  return g_test_run ();
}
