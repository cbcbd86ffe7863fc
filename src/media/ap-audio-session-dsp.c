/* ap-audio-session-dsp.c: echo cancellation, noise suppression and gain of
 * an ApAudioSession, with webrtcdsp on the captured audio and its
 * webrtcechoprobe on the audio we play:
 *
 *   input → convert → resample → caps → webrtcdsp → mute → …  (to the far end)
 *   … mixer → caps → webrtcechoprobe → convert → resample → output
 *
 * The canceller learns the echo from what the probe saw played, so the
 * probe sits on the very samples that go to the speaker, after everything
 * that changes them. webrtcdsp finds its probe by name in the whole process:
 * each pipeline gives its own a unique one, or two calls would share. */
#define G_LOG_DOMAIN "Agentphone-media"

#include "ap-audio-session-private.h"

#include "ap-error.h"

/* webrtcdsp's noise-suppression-level, for settings 1 … 4. */
static const char *const noise_levels[] = { "low", "moderate", "high", "very-high" };

/**
 * ap_audio_session_set_echo_delay:
 * @delay_ms: how long after it arrives the received audio is sent back;
 *   0 (the default) for an ordinary call with an input and an output
 *
 * Makes the session the far end of an echo test, with no device at all.
 * Applies to the next pipeline the session builds.
 */
void
ap_audio_session_set_echo_delay (ApAudioSession *self, guint delay_ms)
{
  g_return_if_fail (AP_IS_AUDIO_SESSION (self));
  self->echo_delay_ms = delay_ms;
}

/**
 * ap_audio_session_set_processing:
 * @echo_cancellation: cancel the echo of what we play from the microphone
 * @noise_suppression: 0 (off) … 4 (strongest)
 * @auto_gain: level the microphone automatically
 *
 * Applies to the next pipeline the session builds (the next call, or the
 * next codec change).
 */
void
ap_audio_session_set_processing (ApAudioSession *self, gboolean echo_cancellation,
                                 guint noise_suppression, gboolean auto_gain)
{
  g_return_if_fail (AP_IS_AUDIO_SESSION (self));

  self->echo_cancellation = echo_cancellation;
  self->noise_suppression = MIN (noise_suppression, G_N_ELEMENTS (noise_levels));
  self->auto_gain = auto_gain;
}

static gboolean
processing_wanted (ApAudioSession *self)
{
  return self->echo_cancellation || self->noise_suppression > 0 || self->auto_gain;
}

/* A new name for each pipeline: the probe of the pipeline being replaced
 * may still exist while the new one starts. */
static void
next_probe_name (ApAudioSession *self)
{
  static gint counter;

  g_free (self->probe_name);
  self->probe_name = g_strdup_printf ("agentphone-echo-probe-%d", g_atomic_int_add (&counter, 1));
}

/* Whether @factory exists; a missing plugin is a clear error, never a call
 * that silently goes out without the processing the settings ask for. */
static GstElement *
make (const char *factory, const char *name, GError **error)
{
  GstElement *element = gst_element_factory_make (factory, name);

  if (element == NULL)
    g_set_error (error, AP_ERROR, AP_ERROR_FAILED,
                 "The GStreamer element “%s” is missing (gstreamer1.0-plugins-bad): turn off "
                 "echo-cancellation, noise-suppression and auto-gain, or install it",
                 factory);
  return element;
}

/**
 * ap_audio_session_dsp_build_capture:
 * @element: (out) (transfer none): the webrtcdsp added to @pipeline, or
 *   %NULL when the settings ask for no processing
 *
 * Returns: %FALSE on error
 */
gboolean
ap_audio_session_dsp_build_capture (ApAudioSession *self, GstElement *pipeline,
                                    GstElement **element, GError **error)
{
  GstElement *dsp;

  *element = NULL;
  if (!processing_wanted (self))
    return TRUE;
  if ((dsp = make ("webrtcdsp", "audio-processing", error)) == NULL)
    return FALSE;
  g_object_set (dsp, "echo-cancel", self->echo_cancellation, "noise-suppression",
                self->noise_suppression > 0, "gain-control", self->auto_gain,
                /* Voice activity detection only feeds statistics we do not use. */
                "voice-detection", FALSE, NULL);
  if (self->noise_suppression > 0)
    gst_util_set_object_arg (G_OBJECT (dsp), "noise-suppression-level",
                             noise_levels[self->noise_suppression - 1]);
  /* A customer hearing their own voice back is the complaint that matters
   * most; "high" removed 29-34 dB of a synthetic voice's echo where the
   * default "moderate" removed 14-40 dB, often barely 20 (test-echo-cancel).
   * It costs some double-talk, rare with headsets. */
  gst_util_set_object_arg (G_OBJECT (dsp), "echo-suppression-level", "high");
  if (self->echo_cancellation)
    {
      next_probe_name (self);
      g_object_set (dsp, "probe", self->probe_name, NULL);
    }
  gst_bin_add (GST_BIN (pipeline), dsp);
  *element = dsp;
  g_debug ("Audio processing: echo cancellation %s, noise suppression %u, auto gain %s",
           self->echo_cancellation ? "on" : "off", self->noise_suppression,
           self->auto_gain ? "on" : "off");
  return TRUE;
}

/* A sink that waits for each buffer's time (GstBaseSink's "sync"). */
static gboolean
syncs (GstElement *sink)
{
  gboolean sync = FALSE;

  if (!GST_OBJECT_FLAG_IS_SET (sink, GST_ELEMENT_FLAG_SINK)
      || g_object_class_find_property (G_OBJECT_GET_CLASS (sink), "sync") == NULL)
    return FALSE;
  g_object_get (sink, "sync", &sync, NULL);
  return sync;
}

/* Whether @output plays at the pace of the clock, as a speaker does: a
 * device, or a description with a sink that syncs. A file or an echo
 * test's loop takes the audio as fast as it comes. */
static gboolean
plays_in_real_time (ApAudioSession *self, GstElement *output)
{
  g_autoptr (GstIterator) sinks = NULL;
  GValue item = G_VALUE_INIT;
  gboolean found = FALSE;

  /* A device (autoaudiosink only gets its real sink when it starts). */
  if (self->output_switchable)
    return TRUE;
  if (!GST_IS_BIN (output))
    return syncs (output);
  sinks = gst_bin_iterate_sinks (GST_BIN (output));
  while (!found && gst_iterator_next (sinks, &item) == GST_ITERATOR_OK)
    {
      found = syncs (g_value_get_object (&item));
      g_value_reset (&item);
    }
  g_value_unset (&item);
  return found;
}

/* Echo cancellation needs an output that plays in real time: the probe
 * hands the canceller only audio that reaches it before it plays (by the
 * pipeline's latency), and an output that does not wait lets it come too
 * late, so the probe hands over nothing and keeps up to 1 MiB of it
 * (GStreamer's cap) while the canceller works on silence. */
static void
drop_echo_cancellation (GstElement *pipeline)
{
  g_autoptr (GstElement) dsp = gst_bin_get_by_name (GST_BIN (pipeline), "audio-processing");

  g_debug ("The audio output is no device: no echo cancellation");
  if (dsp != NULL)
    g_object_set (dsp, "echo-cancel", FALSE, NULL);
}

/**
 * ap_audio_session_dsp_build_playback:
 * @output: the element the played audio goes to
 * @element: (out) (transfer none): the webrtcechoprobe added to @pipeline,
 *   or %NULL when echo cancellation is off
 *
 * Returns: %FALSE on error
 */
gboolean
ap_audio_session_dsp_build_playback (ApAudioSession *self, GstElement *pipeline, GstElement *output,
                                     GstElement **element, GError **error)
{
  GstElement *probe;

  *element = NULL;
  /* The capture side, built first, named it. */
  if (!self->echo_cancellation || self->probe_name == NULL)
    return TRUE;
  if (!plays_in_real_time (self, output))
    {
      drop_echo_cancellation (pipeline);
      return TRUE;
    }
  if ((probe = make ("webrtcechoprobe", self->probe_name, error)) == NULL)
    return FALSE;
  ap_audio_session_probe_tune (probe);
  gst_bin_add (GST_BIN (pipeline), probe);
  *element = probe;
  return TRUE;
}
