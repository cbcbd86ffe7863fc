/* ap-audio-session-silence.c: what starts the output mixer of an
 * ApAudioSession.
 *
 *   audiotestsrc (silence, live, one buffer) → caps ┐
 *   remote streams (later) ──────────────────────── audiomixer (forced live) → …
 *
 * The mixer waits for a first buffer before it runs (its
 * "start-time-selection" is "first", see ap-audio-session-pipeline.c):
 * one buffer of silence from a live source, which sends it only once the
 * pipeline plays. Once the mixer has made its first output the source and
 * its mixer pad go away: forced live, the mixer makes silence on its own
 * while no stream has audio (before the first packet, on hold, after the
 * far end stops), and mixes a remote stream as soon as its audio arrives.
 *
 * Why not keep the source for the whole call: it cost a thread waking
 * every 10 ms. Why not keep its pad without data: the mixer then waits on
 * it until its timeout (the jitter buffer's latency) before each output, so
 * the echo canceller's probe got the played audio too late to use it
 * (ERLE 5–9 dB instead of 27–42 in test-echo-cancel). */
#define G_LOG_DOMAIN "Agentphone-media"

#include "ap-audio-session-private.h"

#include <gst/base/gstaggregator.h>

#include "ap-error.h"

#define SOURCE_NAME "silence"
#define FILTER_NAME "silence-caps"

/* Streaming thread: the source's end must not reach the mixer, where an
 * input at its end with no other input would end the output. */
static GstPadProbeReturn
drop_eos (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) == GST_EVENT_EOS)
    return GST_PAD_PROBE_DROP;
  return GST_PAD_PROBE_OK;
}

/* Main context, the pipeline still the session's: the mixer runs; take
 * the source out. */
static void
remove_source (ApAudioSession *self)
{
  GstElement *mixer = self->mixer;
  g_autoptr (GstElement) source = NULL;
  g_autoptr (GstElement) filter = NULL;
  g_autoptr (GstPad) filter_src = NULL;
  g_autoptr (GstPad) mixer_pad = NULL;

  if (mixer == NULL)
    return;
  source = gst_bin_get_by_name (GST_BIN (self->pipeline), SOURCE_NAME);
  filter = gst_bin_get_by_name (GST_BIN (self->pipeline), FILTER_NAME);
  if (source == NULL || filter == NULL)
    return;
  /* Locked first: the pipeline may still be finishing its own change to
   * PLAYING on a thread of its own, and would set them back. */
  gst_element_set_locked_state (source, TRUE);
  gst_element_set_locked_state (filter, TRUE);
  gst_element_set_state (source, GST_STATE_NULL);
  gst_element_set_state (filter, GST_STATE_NULL);
  filter_src = gst_element_get_static_pad (filter, "src");
  mixer_pad = gst_pad_get_peer (filter_src);
  if (mixer_pad != NULL)
    {
      gst_pad_unlink (filter_src, mixer_pad);
      gst_element_release_request_pad (mixer, mixer_pad);
    }
  gst_bin_remove_many (GST_BIN (self->pipeline), source, filter, NULL);
  g_debug ("The output mixer runs; its starting silence is gone");
}

/* Streaming thread: the mixer's first output; the rest is for the main
 * context. */
static GstPadProbeReturn
on_first_mix (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  ApAudioSession *self = user_data;
  g_autoptr (GstElement) mixer = gst_pad_get_parent_element (pad);
  g_autoptr (GstObject) pipeline = mixer ? gst_object_get_parent (GST_OBJECT (mixer)) : NULL;

  if (pipeline != NULL)
    ap_audio_session_run_in_context (self, GST_ELEMENT (pipeline), remove_source);
  return GST_PAD_PROBE_REMOVE;
}

/**
 * ap_audio_session_silence_build:
 * @mixer: the output mixer, in @pipeline
 * @caps: the mixer's raw caps
 *
 * Gives @mixer the one buffer of silence that starts it, and forces it
 * live so it goes on without.
 *
 * Returns: %FALSE on error
 */
gboolean
ap_audio_session_silence_build (ApAudioSession *self, GstElement *pipeline, GstElement *mixer,
                                GstCaps *caps, GError **error)
{
  g_autoptr (GstPad) filter_src = NULL;
  g_autoptr (GstPad) mixer_src = NULL;
  GstElement *source, *filter;

  if ((source = ap_audio_make_element ("audiotestsrc", SOURCE_NAME, error)) == NULL)
    return FALSE;
  gst_bin_add (GST_BIN (pipeline), source);
  if ((filter = ap_audio_make_element ("capsfilter", FILTER_NAME, error)) == NULL)
    return FALSE;
  gst_bin_add (GST_BIN (pipeline), filter);
  gst_util_set_object_arg (G_OBJECT (source), "wave", "silence");
  g_object_set (source, "is-live", TRUE, "num-buffers", 1, "samplesperbuffer",
                (int) (self->codec->audio_rate / 100), NULL);
  g_object_set (filter, "caps", caps, NULL);
  /* A construct-only property; the setter is meant for subclasses, but
   * until the mixer runs it only records the choice. */
  gst_aggregator_set_force_live (GST_AGGREGATOR (mixer), TRUE);
  if (!gst_element_link (source, filter)
      || !gst_element_link_pads (filter, "src", mixer, "sink_%u"))
    {
      g_set_error (error, AP_ERROR, AP_ERROR_FAILED,
                   "Could not connect the silence that starts the audio output");
      return FALSE;
    }
  filter_src = gst_element_get_static_pad (filter, "src");
  gst_pad_add_probe (filter_src, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, drop_eos, NULL, NULL);
  mixer_src = gst_element_get_static_pad (mixer, "src");
  gst_pad_add_probe (mixer_src, GST_PAD_PROBE_TYPE_BUFFER, on_first_mix, self, NULL);
  return TRUE;
}
