/* test-echo-cancel.c: how much echo the call's echo canceller removes.
 *
 * B plays a far-end voice (speech synthesised by espeak-ng) to A. A's
 * speaker output does not go to a device: it travels over a UDP loop on
 * 127.0.0.1 (with a playout delay, like a room between speaker and
 * microphone) and comes back, attenuated, as A's microphone input. What A
 * then sends is what B records: the residual echo. A also records what its
 * speaker played, so
 *
 *   ERLE = level of the echo entering A's microphone − level of the residual
 *        = (speaker level + echo gain) − residual level
 *
 * measured once the canceller has converged. With cancellation off the
 * residual is the echo itself (≈ 0 dB); on, it must be ≥ 20 dB lower. */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <math.h>

#include "ap-audio-session.h"
#include "ap-media-test.h"
#include "ap-wav.h"

#define RUN_MS 16000
/* The canceller adapts in the first seconds; judge the last ones. */
#define MEASURE_S 6.0
/* Echo path: the speaker-to-microphone delay a headset or desk adds (beside
 * the pipeline's own output latency), and the echo's attenuation. */
#define ECHO_DELAY_MS 40
#define ECHO_GAIN 0.5

typedef struct {
  char *dir;
} Fixture;

typedef struct {
  gboolean echo_cancellation;
  guint noise_suppression;
  gboolean auto_gain;
  double min_erle_db;
  double max_erle_db;
} Case;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->dir = ap_media_test_make_dir ("aec");
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  ap_media_test_remove_dir (f->dir);
}

/* A UDP port free on 127.0.0.1 right now, for the echo loop. */
static guint
free_udp_port (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocket) socket
    = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, &error);
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, any, FALSE, &error));
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static ApMediaParams *
opus_params (guint remote_port)
{
  ApMediaParams *params
    = ap_media_test_params ("opus", "127.0.0.1", remote_port, AP_MEDIA_DIRECTION_SENDRECV);

  params->fmtp = g_strdup ("minptime=10;useinbandfec=1");
  return params;
}

static void
on_error (ApMediaSession *session, const char *message, gpointer user_data)
{
  g_error ("Media failed: %s", message);
}

static ApAudioSession *
session_new (const char *source, const char *sink, guint *port)
{
  g_autoptr (GError) error = NULL;
  ApAudioSession *session = ap_audio_session_new ();

  ap_audio_session_set_source_description (session, source);
  ap_audio_session_set_sink_description (session, sink);
  g_signal_connect (session, "error", G_CALLBACK (on_error), NULL);
  *port = ap_media_session_prepare (AP_MEDIA_SESSION (session), "127.0.0.1", &error);
  g_assert_no_error (error);
  return session;
}

/* 16 s of a call-centre agent's words, as the far end's voice. */
static char *
make_voice (Fixture *f)
{
  g_autofree char *path = g_build_filename (f->dir, "voice.wav", NULL);
  const char *argv[]
    = { "espeak-ng",
        "-s",
        "150",
        "-w",
        path,
        "Good morning, thank you for calling. My name is Anna and I will be helping you today. "
        "Could you please tell me your customer number and the reason for your call? I can see "
        "your last order was shipped on Monday. Is there anything else I can do for you?",
        NULL };
  g_autoptr (GError) error = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                     &status, &error))
    g_error ("Cannot run espeak-ng to make the far end's voice (install espeak-ng): %s",
             error->message);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_steal_pointer (&path);
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static double
tail_level (const char *path)
{
  g_autoptr (GError) error = NULL;
  ApWav *wav = NULL;
  double duration, level;

  g_assert_true (ap_wav_load (path, &wav, &error));
  g_assert_no_error (error);
  duration = ap_wav_duration_s (wav);
  g_assert_cmpfloat (duration, >, MEASURE_S + 2.0);
  level = ap_wav_rms_dbfs (wav, 0, duration - MEASURE_S - 0.2, duration - 0.2);
  ap_wav_free (wav);
  return level;
}

static void
test_erle (Fixture *f, gconstpointer data)
{
  const Case *c = data;
  guint loop_port = free_udp_port ();
  g_autofree char *speaker_path = g_build_filename (f->dir, "a-speaker.wav", NULL);
  g_autofree char *residual_path = g_build_filename (f->dir, "b-hears-a.wav", NULL);
  const char *rtp_caps
    = "application/x-rtp,media=audio,clock-rate=48000,encoding-name=L16,channels=1,payload=96";
  /* A's speaker, recorded as the reference (no queue on that branch, so
   * the WAV is finished when the session's stop returns), then into the
   * room at a device's pace. */
  g_autofree char *a_sink = g_strdup_printf (
    "tee name=t ! wavenc ! filesink location=\"%s\" t. ! queue ! audioconvert ! "
    "audioresample ! audio/x-raw,format=S16BE,rate=48000,channels=1 ! rtpL16pay pt=96 ! "
    "udpsink host=127.0.0.1 port=%u sync=true async=false",
    speaker_path, loop_port);
  /* A's microphone: the room's echo. */
  g_autofree char *a_source = g_strdup_printf (
    "udpsrc address=127.0.0.1 port=%u caps=\"%s\" ! rtpjitterbuffer latency=%d ! rtpL16depay ! "
    "audioconvert ! volume volume=%f",
    loop_port, rtp_caps, ECHO_DELAY_MS, ECHO_GAIN);
  g_autofree char *voice_path = make_voice (f);
  /* The far end speaks at the pace of the clock, like a microphone. */
  g_autofree char *b_source = g_strdup_printf (
    "filesrc location=\"%s\" ! wavparse ! audioconvert ! audioresample ! identity sync=true",
    voice_path);
  g_autofree char *b_sink = g_strdup_printf ("wavenc ! filesink location=\"%s\"", residual_path);
  g_autoptr (ApAudioSession) a = NULL;
  g_autoptr (ApAudioSession) b = NULL;
  g_autoptr (ApMediaParams) params_a = NULL;
  g_autoptr (ApMediaParams) params_b = NULL;
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (GError) error = NULL;
  guint port_a, port_b;
  double echo, residual, erle;

  a = session_new (a_source, a_sink, &port_a);
  b = session_new (b_source, b_sink, &port_b);
  ap_audio_session_set_processing (a, c->echo_cancellation, c->noise_suppression, c->auto_gain);
  params_a = opus_params (port_b);
  params_b = opus_params (port_a);
  g_assert_true (ap_media_session_start (AP_MEDIA_SESSION (a), params_a, &error));
  g_assert_no_error (error);
  g_assert_true (ap_media_session_start (AP_MEDIA_SESSION (b), params_b, &error));
  g_assert_no_error (error);

  g_timeout_add (RUN_MS, quit_loop, loop);
  g_main_loop_run (loop);
  ap_media_session_stop (AP_MEDIA_SESSION (a));
  ap_media_session_stop (AP_MEDIA_SESSION (b));

  echo = tail_level (speaker_path) + 20.0 * log10 (ECHO_GAIN);
  residual = tail_level (residual_path);
  erle = echo - residual;
  g_test_message ("echo cancellation %s, noise suppression %u, auto gain %s: echo into the "
                  "microphone %.1f dBFS, sent on %.1f dBFS, ERLE %.1f dB",
                  c->echo_cancellation ? "on" : "off", c->noise_suppression,
                  c->auto_gain ? "on" : "off", echo, residual, erle);
  /* The far end really was heard, loudly enough to need cancelling. */
  g_assert_cmpfloat (echo, >, -40.0);
  g_assert_cmpfloat (erle, >=, c->min_erle_db);
  g_assert_cmpfloat (erle, <=, c->max_erle_db);
}

int
main (int argc, char **argv)
{
  /* Off: the residual is the echo, give or take what Opus does to it. */
  static const Case off = { FALSE, 0, FALSE, -3.0, 3.0 };
  static const Case on = { TRUE, 0, FALSE, 20.0, 200.0 };
  /* Noise suppression after the canceller must not undo it. (Automatic
   * gain is left out: with no near-end speech it raises the residual
   * towards its target level, which is its job, and no measure of the
   * canceller.) */
  static const Case with_noise_suppression = { TRUE, 2, FALSE, 20.0, 200.0 };

  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);
  g_test_add ("/echo-cancel/off", Fixture, &off, fixture_setup, test_erle, fixture_teardown);
  g_test_add ("/echo-cancel/on", Fixture, &on, fixture_setup, test_erle, fixture_teardown);
  g_test_add ("/echo-cancel/noise-suppression", Fixture, &with_noise_suppression, fixture_setup,
              test_erle, fixture_teardown);
  return g_test_run ();
}
