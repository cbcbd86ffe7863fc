/* test-audio-start.c: a session whose pipeline is slow to reach PLAYING
 * still records in real time and hears the far end.
 *
 * A loaded machine can stall the thread that sets a pipeline to PLAYING
 * after the clock is handed out and before the mixer gets its base time.
 * GStreamer 1.22's aggregator then waited against a base time of 0, every
 * wait returned at once, and the mixer ran seconds ahead: a recording
 * much longer than the call and silent, the far end dropped as late. Here
 * an element in the output whose PAUSED→PLAYING takes SLOW_START_MS holds
 * the pipeline in that state, so the race is hit on every run. */
#include <glib/gstdio.h>
#include <gst/gst.h>

#include "ap-audio-session.h"
#include "ap-media-engine.h"
#include "ap-media-test.h"
#include "ap-wav.h"

#define SLOW_START_MS 150
#define SESSION_MS 2500
#define ACTIVE_WITHIN_MS 2000
#define FREQUENCY_A 440
#define FREQUENCY_B 1000
#define TOLERANCE_HZ 10.0
/* A recording may be a little longer than the wall-clock time its
 * session ran (the last mixer period, scheduling), never seconds. */
#define EXTRA_S 0.25

static GstElementClass *identity_class;

static GstStateChangeReturn
slow_start_change_state (GstElement *element, GstStateChange transition)
{
  if (transition == GST_STATE_CHANGE_PAUSED_TO_PLAYING)
    g_usleep (SLOW_START_MS * 1000);
  return identity_class->change_state (element, transition);
}

static void
slow_start_class_init (gpointer klass, gpointer data)
{
  identity_class = g_type_class_peek_parent (klass);
  GST_ELEMENT_CLASS (klass)->change_state = slow_start_change_state;
}

/* "aptestslowstart": identity, but slow to go from PAUSED to PLAYING. */
static void
register_slow_start (void)
{
  g_autoptr (GstElementFactory) factory = gst_element_factory_find ("identity");
  g_autoptr (GstPluginFeature) loaded = NULL;
  GType parent, type;
  GTypeQuery query;

  g_assert_nonnull (factory);
  loaded = gst_plugin_feature_load (GST_PLUGIN_FEATURE (factory));
  g_assert_nonnull (loaded);
  parent = gst_element_factory_get_element_type (GST_ELEMENT_FACTORY (loaded));
  g_type_query (parent, &query);
  type = g_type_register_static_simple (parent, "ApTestSlowStart", query.class_size,
                                        slow_start_class_init, query.instance_size, NULL, 0);
  g_assert_true (gst_element_register (NULL, "aptestslowstart", GST_RANK_NONE, type));
}

typedef struct {
  ApMediaSession *session;
  char *wav_path;
  guint port;
  gboolean active;
} Peer;

static void
on_active_changed (ApMediaSession *session, gboolean active, Peer *peer)
{
  peer->active = active;
}

static void
peer_init (Peer *peer, const char *dir, const char *name, int frequency, const char *output)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *file = g_strdup_printf ("%s.wav", name);
  g_autofree char *source = NULL;
  g_autofree char *sink = NULL;
  ApAudioSession *session = ap_audio_session_new ();

  peer->session = AP_MEDIA_SESSION (session);
  peer->wav_path = g_build_filename (dir, file, NULL);
  source = g_strdup_printf ("audiotestsrc is-live=true freq=%d samplesperbuffer=480", frequency);
  /* async=false: the output changes state with the rest of the pipeline,
   * on the thread that sets it to PLAYING, not later on its own. */
  sink
    = g_strdup_printf ("%swavenc ! filesink async=false location=\"%s\"", output, peer->wav_path);
  ap_audio_session_set_source_description (session, source);
  ap_audio_session_set_sink_description (session, sink);
  g_signal_connect (session, "active-changed", G_CALLBACK (on_active_changed), peer);
  peer->port = ap_media_session_prepare (peer->session, "127.0.0.1", &error);
  g_assert_no_error (error);
}

static void
peer_clear (Peer *peer)
{
  ap_media_session_stop (peer->session);
  g_signal_handlers_disconnect_by_data (peer->session, peer);
  g_clear_object (&peer->session);
  g_remove (peer->wav_path);
  g_free (peer->wav_path);
}

static void
peer_start (Peer *peer, const char *codec, guint remote_port)
{
  g_autoptr (ApMediaParams) params
    = ap_media_test_params (codec, "127.0.0.1", remote_port, AP_MEDIA_DIRECTION_SENDRECV);
  g_autoptr (GError) error = NULL;

  g_assert_true (ap_media_session_start (peer->session, params, &error));
  g_assert_no_error (error);
}

static gboolean
on_tick (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main context until @deadline (monotonic µs). */
static void
run_until (gint64 deadline, gboolean *done)
{
  GSource *tick = g_timeout_source_new (5);

  g_source_set_callback (tick, on_tick, NULL, NULL);
  g_source_attach (tick, NULL);
  while ((done == NULL || !*done) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_destroy (tick);
  g_source_unref (tick);
}

/* B starts normally; A's output is slow to start. A must still record
 * no more than the time its session ran, and hear B's tone. */
static void
test_slow_output_start (gconstpointer data)
{
  const char *codec = data;
  g_autoptr (GError) error = NULL;
  char *dir = ap_media_test_make_dir ("audio-start");
  g_autoptr (ApWav) wav = NULL;
  Peer a = { 0 }, b = { 0 };
  gint64 started, stopped;
  double ran_s, duration, level, frequency;

  peer_init (&a, dir, "a", FREQUENCY_A, "aptestslowstart ! ");
  peer_init (&b, dir, "b", FREQUENCY_B, "");
  peer_start (&b, codec, a.port);
  /* The recording starts at the base time, before the slow element. */
  started = g_get_monotonic_time ();
  peer_start (&a, codec, b.port);
  g_test_message ("%s: starting A took %.0f ms", codec,
                  (double) (g_get_monotonic_time () - started) / 1000);
  run_until (started + ACTIVE_WITHIN_MS * 1000, &a.active);
  g_assert_true (a.active);
  run_until (started + SESSION_MS * 1000, NULL);
  ap_media_session_stop (a.session);
  stopped = g_get_monotonic_time ();

  g_assert_true (ap_wav_load (a.wav_path, &wav, &error));
  g_assert_no_error (error);
  ran_s = (double) (stopped - started) / G_USEC_PER_SEC;
  duration = ap_wav_duration_s (wav);
  level = ap_wav_rms_dbfs (wav, 0, 0.5, duration - 0.1);
  frequency = ap_wav_dominant_frequency (wav, 0, 0.5, duration - 0.1);
  g_test_message ("%s: A ran %.2f s and recorded %.2f s; 0.50-%.2f s: %.1f Hz at %.1f dBFS", codec,
                  ran_s, duration, duration - 0.1, frequency, level);
  g_assert_cmpfloat (duration, <=, ran_s + EXTRA_S);
  /* It starts when the output does, after the slow element. */
  g_assert_cmpfloat (duration, >=, ran_s - SLOW_START_MS / 1000.0 - 0.3);
  g_assert_cmpfloat (level, >, -30.0);
  g_assert_cmpfloat_with_epsilon (frequency, FREQUENCY_B, TOLERANCE_HZ);

  peer_clear (&a);
  peer_clear (&b);
  ap_media_test_remove_dir (dir);
}

int
main (int argc, char *argv[])
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_unsetenv ("AGENTPHONE_AUDIO_INPUT");
  g_unsetenv ("AGENTPHONE_AUDIO_OUTPUT");
  register_slow_start ();

  g_test_add_data_func ("/audio-start/slow-output/pcma", "pcma", test_slow_output_start);
  g_test_add_data_func ("/audio-start/slow-output/g722", "g722", test_slow_output_start);
  g_test_add_data_func ("/audio-start/slow-output/opus", "opus", test_slow_output_start);
  return g_test_run ();
}
