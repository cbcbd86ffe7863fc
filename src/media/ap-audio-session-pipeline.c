/* ap-audio-session-pipeline.c: the GStreamer pipeline of an ApAudioSession.
 *
 *   source → audioconvert → audioresample → caps → [webrtcdsp] → volume (mute) → level
 *     → valve (send?)
 *     → encoder → payloader → [rtpdtmfmux] → rtpbin → udpsink (RTP socket)
 *                                             rtpbin → udpsink (RTCP socket)
 *   udpsrc (RTP socket) → valve (receive?) → rtpbin (jitter buffer)
 *     → per remote stream: depayloader → decoder → convert → resample ┐
 *   audiotestsrc (silence, one buffer) ─────────────────────────────── audiomixer
 *     → caps → [tee → in-band DTMF detector] → volume (speaker) → level → [webrtcechoprobe]
 *     → audioconvert
 *     → audioresample → sink
 *     → its telephone-events: rtpdtmfdepay → fakesink
 *   udpsrc (RTCP socket) → rtpbin
 *
 * With SRTP, rtpbin holds an srtpenc before its senders and an srtpdec
 * after its receivers (ap-audio-session-srtp.c).
 * DTMF (the mux, the events, in-band tones) is ap-audio-session-dtmf.c.
 * The mixer, started by one buffer of silence and forced live from then on
 * (ap-audio-session-silence.c), keeps the sink fed before the first packet,
 * on hold and after the far end stops, so a device never starves and a
 * recording keeps wall-clock time. Built and changed in the main context;
 * streaming threads only count packets (atomics) and link the decoder of a
 * new remote stream. */
#define G_LOG_DOMAIN "Agentphone-media"

#include "ap-audio-session-private.h"

#include <stdio.h>

#include "ap-error.h"
#include "ap-media-override.h"

#define JITTER_BUFFER_MS 60
#define MIX_PERIOD_MS 10
#define FINISH_TIMEOUT_US (2 * G_USEC_PER_SEC)

/* Finishing the output: EOS sent into the sink from a helper thread, so a
 * sink stuck on a device cannot hang the main loop. */
typedef struct {
  gatomicrefcount refs;
  GMutex lock;
  GCond cond;
  gboolean done;
  GstPad *pad;
} FinishJob;

static void
finish_job_unref (FinishJob *job)
{
  if (!g_atomic_ref_count_dec (&job->refs))
    return;
  gst_object_unref (job->pad);
  g_mutex_clear (&job->lock);
  g_cond_clear (&job->cond);
  g_free (job);
}

static gpointer
finish_job_run (gpointer data)
{
  FinishJob *job = data;

  /* Serialized: returns once the sink has handled it (wavenc rewrites its
   * header here). */
  gst_pad_send_event (job->pad, gst_event_new_eos ());
  g_mutex_lock (&job->lock);
  job->done = TRUE;
  g_cond_signal (&job->cond);
  g_mutex_unlock (&job->lock);
  finish_job_unref (job);
  return NULL;
}

static GstPadProbeReturn
drop_data (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  return GST_PAD_PROBE_DROP;
}

static gboolean
direction_receives (ApMediaDirection direction)
{
  return direction == AP_MEDIA_DIRECTION_RECVONLY || direction == AP_MEDIA_DIRECTION_SENDRECV;
}

/* A source or sink: the AGENTPHONE_AUDIO_* override, else the session's own
 * description, else the chosen device (ap-audio-session-devices.c), else
 * the default device. */
GstElement *
ap_audio_session_make_endpoint (ApAudioSession *self, gboolean input, GError **error)
{
  const char *variable = input ? "AGENTPHONE_AUDIO_INPUT" : "AGENTPHONE_AUDIO_OUTPUT";
  const char *description = input ? self->source_description : self->sink_description;
  g_autoptr (GError) local_error = NULL;
  GstElement *element;

  ap_audio_session_set_switchable (self, input, FALSE);
  element = ap_media_override_make_for_call (variable, self->call_id, &local_error);
  if (local_error != NULL)
    {
      if (element != NULL)
        gst_object_unref (gst_object_ref_sink (element));
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (element != NULL)
    return element;

  if (description != NULL)
    {
      /* Fatal errors only: a half-built bin would fail later, less clearly. */
      element = gst_parse_bin_from_description_full (description, TRUE, NULL,
                                                     GST_PARSE_FLAG_FATAL_ERRORS, &local_error);
      if (element == NULL || local_error != NULL)
        {
          if (element != NULL)
            gst_object_unref (gst_object_ref_sink (element));
          g_set_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT,
                       "The audio %s “%s” is not a usable pipeline: %s", input ? "input" : "output",
                       description, local_error ? local_error->message : "unknown error");
          return NULL;
        }
      return element;
    }

  ap_audio_session_set_switchable (self, input, TRUE);
  element = ap_audio_session_make_device (self, input, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (element != NULL)
    return element;
  element = gst_element_factory_make (input ? "autoaudiosrc" : "autoaudiosink", NULL);
  if (element == NULL)
    g_set_error (error, AP_ERROR, AP_ERROR_NO_SUCH_DEVICE,
                 "No audio %s is available: the GStreamer element “%s” is missing",
                 input ? "input" : "output", input ? "autoaudiosrc" : "autoaudiosink");
  return element;
}

static GstPadProbeReturn
on_rtp_received (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  ApAudioSession *self = user_data;

  if (g_atomic_int_add (&self->packets_received, 1) == 0)
    ap_audio_session_wake_activity (self);
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
on_rtcp_received (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  ApAudioSession *self = user_data;

  g_atomic_int_inc (&self->rtcp_received);
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
on_rtp_sent (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  ApAudioSession *self = user_data;
  int before;

  if (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST)
    before = g_atomic_int_add (
      &self->packets_sent, (int) gst_buffer_list_length (GST_PAD_PROBE_INFO_BUFFER_LIST (info)));
  else
    before = g_atomic_int_add (&self->packets_sent, 1);
  if (before == 0)
    ap_audio_session_wake_activity (self);
  return GST_PAD_PROBE_OK;
}

static void
count_packets (GstElement *element, const char *pad_name, GstPadProbeCallback callback,
               ApAudioSession *self)
{
  g_autoptr (GstPad) pad = gst_element_get_static_pad (element, pad_name);

  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST, callback,
                     self, NULL);
}

/* Streaming thread. The caps never change while the pipeline exists. */
static GstCaps *
on_request_pt_map (GstElement *rtpbin, guint session, guint pt, gpointer user_data)
{
  ApAudioSession *self = user_data;

  if (pt == self->payload_type)
    return gst_caps_ref (self->rtp_caps);
  if ((int) pt == self->dtmf_payload_type)
    return gst_caps_ref (self->dtmf_caps);
  g_debug ("Ignoring RTP payload type %u (expecting %u)", pt, self->payload_type);
  return NULL;
}

/* Streaming thread: audio reaching the mixer before it is PLAYING (a far
 * end already sending while the pipeline starts) would start its clock
 * waits before it has a base time (see start-time-selection below). */
static GstPadProbeReturn
drop_until_mixer_plays (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  GstElement *mixer = user_data;
  gboolean playing;

  GST_OBJECT_LOCK (mixer);
  playing = GST_STATE (mixer) == GST_STATE_PLAYING;
  GST_OBJECT_UNLOCK (mixer);
  return playing ? GST_PAD_PROBE_REMOVE : GST_PAD_PROBE_DROP;
}

static void
post_error (GstElement *element, GError *error)
{
  gst_element_post_message (element,
                            gst_message_new_error (GST_OBJECT (element), error, error->message));
}

/* Streaming thread: a new remote stream (SSRC) appeared; give it its own
 * decoder into the mixer. A far end that restarts its stream after a
 * re-INVITE gets a new branch; the old one just goes quiet. */
static void
on_rtpbin_pad_added (GstElement *rtpbin, GstPad *pad, gpointer user_data)
{
  ApAudioSession *self = user_data;
  g_autofree char *name = gst_pad_get_name (pad);
  g_autoptr (GError) error = NULL;
  g_autoptr (GstPad) branch_sink = NULL;
  g_autoptr (GstPad) branch_src = NULL;
  g_autoptr (GstPad) mixer_sink = NULL;
  GstElement *branch;
  guint session, ssrc, pt;

  if (!g_str_has_prefix (name, "recv_rtp_src_"))
    return;
  /* rtpbin gives each payload type of a stream its own pad. */
  if (sscanf (name, "recv_rtp_src_%u_%u_%u", &session, &ssrc, &pt) == 3
      && (int) pt == self->dtmf_payload_type)
    {
      if (!ap_audio_session_dtmf_receive (self, pad, &error))
        post_error (rtpbin, error);
      return;
    }
  g_debug ("New remote audio stream on %s", name);

  branch = ap_audio_codec_make_receive_bin (self->codec, self->ptime, &error);
  if (branch == NULL)
    {
      post_error (rtpbin, error);
      return;
    }
  gst_bin_add (GST_BIN (self->pipeline), branch);
  branch_sink = gst_element_get_static_pad (branch, "sink");
  branch_src = gst_element_get_static_pad (branch, "src");
  mixer_sink = gst_element_request_pad_simple (self->mixer, "sink_%u");
  gst_pad_add_probe (mixer_sink, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST,
                     drop_until_mixer_plays, self->mixer, NULL);
  if (gst_pad_link (branch_src, mixer_sink) != GST_PAD_LINK_OK
      || !gst_element_sync_state_with_parent (branch)
      || gst_pad_link (pad, branch_sink) != GST_PAD_LINK_OK)
    {
      g_set_error (&error, AP_ERROR, AP_ERROR_FAILED,
                   "Could not connect the received audio to the output");
      post_error (rtpbin, error);
      return;
    }
  /* The decoder adds latency the mixer did not know about when it started. */
  gst_element_post_message (self->mixer, gst_message_new_latency (GST_OBJECT (self->mixer)));
}

/* Leave the sink's output finished (a WAV gets its real header) before the
 * pipeline is torn down; bounded by FINISH_TIMEOUT_US. */
static void
finish_output (ApAudioSession *self)
{
  g_autoptr (GstPad) sink_pad = NULL;
  g_autoptr (GstPad) peer = NULL;
  g_autoptr (GError) error = NULL;
  FinishJob *job;
  GThread *thread;
  gint64 deadline;
  gboolean done;

  if (self->sink == NULL)
    return;
  sink_pad = gst_element_get_static_pad (self->sink, "sink");
  /* Nothing ever reached the sink: there is nothing to finish. */
  if (sink_pad == NULL || !gst_pad_has_current_caps (sink_pad))
    return;
  peer = gst_pad_get_peer (sink_pad);
  if (peer != NULL)
    gst_pad_add_probe (peer, GST_PAD_PROBE_TYPE_DATA_DOWNSTREAM, drop_data, NULL, NULL);

  job = g_new0 (FinishJob, 1);
  g_atomic_ref_count_init (&job->refs);
  g_atomic_ref_count_inc (&job->refs);
  g_mutex_init (&job->lock);
  g_cond_init (&job->cond);
  job->pad = g_steal_pointer (&sink_pad);
  thread = g_thread_try_new ("ap-audio-finish", finish_job_run, job, &error);
  if (thread == NULL)
    {
      g_warning ("Could not finish the audio output: %s", error->message);
      finish_job_unref (job);
      finish_job_unref (job);
      return;
    }

  deadline = g_get_monotonic_time () + FINISH_TIMEOUT_US;
  g_mutex_lock (&job->lock);
  while (!job->done)
    if (!g_cond_wait_until (&job->cond, &job->lock, deadline))
      break;
  done = job->done;
  g_mutex_unlock (&job->lock);

  if (done)
    g_thread_join (thread);
  else
    {
      /* Setting the pipeline to NULL next unblocks the sink; the thread
       * then ends on its own. */
      g_warning ("The audio output did not finish within %d s; it may be incomplete",
                 (int) (FINISH_TIMEOUT_US / G_USEC_PER_SEC));
      g_thread_unref (thread);
    }
  finish_job_unref (job);
}

static void
clear_pipeline_pointers (ApAudioSession *self)
{
  self->source = NULL;
  self->sink = NULL;
  self->echo_queue = NULL;
  self->volume = NULL;
  self->output_volume = NULL;
  self->send_valve = NULL;
  self->receive_valve = NULL;
  self->rtp_udpsink = NULL;
  self->rtcp_udpsink = NULL;
  self->mixer = NULL;
  self->rtpbin = NULL;
  self->dtmf_source = NULL;
  gst_clear_caps (&self->rtp_caps);
  gst_clear_caps (&self->dtmf_caps);
  self->dtmf_payload_type = -1;
  self->latency = 0;
  ap_audio_session_srtp_clear (self);
}

/* Adds a new element to the pipeline; NULL (with @error) if it is missing. */
static GstElement *
add_element (GstElement *pipeline, const char *factory, const char *name, GError **error)
{
  GstElement *element = ap_audio_make_element (factory, name, error);

  if (element != NULL)
    gst_bin_add (GST_BIN (pipeline), element);
  return element;
}

static gboolean
link_pads (GstElement *src, const char *src_pad, GstElement *sink, const char *sink_pad,
           GError **error)
{
  if (gst_element_link_pads (src, src_pad, sink, sink_pad))
    return TRUE;
  g_set_error (error, AP_ERROR, AP_ERROR_FAILED, "Could not connect %s to %s in the audio pipeline",
               GST_OBJECT_NAME (src), GST_OBJECT_NAME (sink));
  return FALSE;
}

static gboolean
link_chain (GstElement **chain, gsize length, GError **error)
{
  for (gsize i = 1; i < length; i++)
    if (!link_pads (chain[i - 1], NULL, chain[i], NULL, error))
      return FALSE;
  return TRUE;
}

static GstElement *
add_udp (ApAudioSession *self, GstElement *pipeline, gboolean sink, GSocket *socket,
         const char *name, GError **error)
{
  GstElement *element = add_element (pipeline, sink ? "udpsink" : "udpsrc", name, error);

  if (element == NULL)
    return NULL;
  g_object_set (element, "socket", socket, "close-socket", FALSE, NULL);
  if (sink)
    /* Sending and receiving share the pipeline: a syncing or prerolling
     * udpsink would hold our packets back by the receive latency. */
    g_object_set (element, "sync", FALSE, "async", FALSE, NULL);
  return element;
}

/* An echo test's far end: what was received waits echo_delay_ms in a
 * queue, then goes through an internal audio channel (interaudiosink to
 * interaudiosrc) to be sent back. The channel, not a link, closes the
 * circle, so the pipeline's graph has no loop. Returns the channel's
 * source, the send path's input; the queue is self->echo_queue. */
static GstElement *
add_echo_loop (ApAudioSession *self, GstElement *pipeline, GError **error)
{
  static gint counter;
  g_autofree char *channel = g_strdup_printf ("agentphone-echo-%d", g_atomic_int_add (&counter, 1));
  GstElement *queue, *sink, *source;

  if ((queue = add_element (pipeline, "queue", "echo-delay", error)) == NULL
      || (sink = add_element (pipeline, "interaudiosink", "echo-out", error)) == NULL
      || (source = add_element (pipeline, "interaudiosrc", "echo-in", error)) == NULL
      || !link_pads (queue, "src", sink, "sink", error))
    return NULL;
  g_object_set (queue, "min-threshold-time", (guint64) self->echo_delay_ms * GST_MSECOND,
                "max-size-time", (guint64) (self->echo_delay_ms + 2000) * GST_MSECOND,
                "max-size-buffers", 0, "max-size-bytes", 0, NULL);
  /* Late by design: the queue made it so. */
  g_object_set (sink, "channel", channel, "sync", FALSE, NULL);
  g_object_set (source, "channel", channel, NULL);
  self->echo_queue = queue;
  return source;
}

static gboolean
build_send_path (ApAudioSession *self, GstElement *pipeline, GstElement *rtpbin,
                 const ApMediaParams *params, GError **error)
{
  g_autoptr (GstCaps) raw_caps = ap_audio_codec_raw_caps (self->codec);
  GstElement *chain[10];
  GstElement *dsp;
  gsize n = 0;

  if (self->echo_delay_ms > 0)
    {
      if ((chain[n] = add_echo_loop (self, pipeline, error)) == NULL)
        return FALSE;
      n++;
    }
  else
    {
      self->source = ap_audio_session_make_endpoint (self, TRUE, error);
      if (self->source == NULL)
        return FALSE;
      gst_object_set_name (GST_OBJECT (self->source), "audio-input");
      gst_bin_add (GST_BIN (pipeline), self->source);
      chain[n++] = self->source;
    }
  if ((chain[n++] = add_element (pipeline, "audioconvert", "input-convert", error)) == NULL
      || (chain[n++] = add_element (pipeline, "audioresample", "input-resample", error)) == NULL
      || (chain[n++] = add_element (pipeline, "capsfilter", "input-caps", error)) == NULL
      || !ap_audio_session_dsp_build_capture (self, pipeline, &dsp, error))
    return FALSE;
  if (dsp != NULL)
    chain[n++] = dsp;
  if ((self->volume = chain[n++] = add_element (pipeline, "volume", "mute", error)) == NULL
      || (chain[n++] = ap_audio_session_level_add (self, pipeline, TRUE, error)) == NULL
      || (self->send_valve = chain[n++] = add_element (pipeline, "valve", "send-valve", error))
           == NULL)
    return FALSE;
  g_object_set (chain[3], "caps", raw_caps, NULL);
  g_object_set (self->volume, "mute", self->muted, NULL);
  ap_audio_session_apply_volumes (self);
  /* Sticky events pass a closed valve, so the encoder is ready when it opens. */
  gst_util_set_object_arg (G_OBJECT (self->send_valve), "drop-mode", "forward-sticky-events");
  g_object_set (self->send_valve, "drop", !ap_audio_direction_sends (params->direction), NULL);

  /* In-band DTMF joins here: after the mute, so an IVR hears the keys of a
   * muted caller. */
  ap_audio_session_dtmf_add_tone (self, self->send_valve);

  chain[n] = ap_audio_codec_make_send_bin (self->codec, params->payload_type, self->ssrc,
                                           params->ptime, params->fmtp, error);
  if (chain[n] == NULL)
    return FALSE;
  gst_bin_add (GST_BIN (pipeline), chain[n++]);
  if (!link_chain (chain, n, error))
    return FALSE;
  ap_audio_session_primer_add (chain[1], chain[n - 1], self->ptime);

  self->rtp_udpsink = add_udp (self, pipeline, TRUE, self->rtp_socket, "rtp-out", error);
  self->rtcp_udpsink = add_udp (self, pipeline, TRUE, self->rtcp_socket, "rtcp-out", error);
  if (self->rtp_udpsink == NULL || self->rtcp_udpsink == NULL)
    return FALSE;
  g_object_set (self->rtp_udpsink, "host", self->remote_host, "port", (int) params->remote_port,
                NULL);
  g_object_set (self->rtcp_udpsink, "host", self->remote_host, "port",
                (int) params->remote_port + 1, NULL);
  count_packets (self->rtp_udpsink, "sink", on_rtp_sent, self);

  if (self->dtmf_payload_type >= 0)
    {
      if (!ap_audio_session_dtmf_build_send (self, pipeline, chain[n - 1], rtpbin, error))
        return FALSE;
    }
  else if (!link_pads (chain[n - 1], "src", rtpbin, "send_rtp_sink_0", error))
    return FALSE;
  return link_pads (rtpbin, "send_rtp_src_0", self->rtp_udpsink, "sink", error)
         && link_pads (rtpbin, "send_rtcp_src_0", self->rtcp_udpsink, "sink", error);
}

static gboolean
build_receive_path (ApAudioSession *self, GstElement *pipeline, GstElement *rtpbin,
                    const ApMediaParams *params, GError **error)
{
  g_autoptr (GstCaps) rtp_caps = ap_audio_session_srtp_receive_caps (self, self->rtp_caps, FALSE);
  g_autoptr (GstCaps) rtcp_caps = ap_audio_session_srtp_receive_caps (self, NULL, TRUE);
  g_autoptr (GstCaps) mix_caps = ap_audio_codec_raw_caps (self->codec);
  GstElement *rtp_udpsrc, *rtcp_udpsrc, *mix_filter, *probe, *output;
  GstElement *chain[10];
  gsize n = 0;

  rtp_udpsrc = add_udp (self, pipeline, FALSE, self->rtp_socket, "rtp-in", error);
  rtcp_udpsrc = add_udp (self, pipeline, FALSE, self->rtcp_socket, "rtcp-in", error);
  self->receive_valve = add_element (pipeline, "valve", "receive-valve", error);
  if (rtp_udpsrc == NULL || rtcp_udpsrc == NULL || self->receive_valve == NULL)
    return FALSE;
  g_object_set (rtp_udpsrc, "caps", rtp_caps, NULL);
  g_object_set (rtcp_udpsrc, "caps", rtcp_caps, NULL);
  g_object_set (self->receive_valve, "drop", !direction_receives (params->direction), NULL);
  ap_audio_session_latch_watch (self, rtp_udpsrc, rtcp_udpsrc);
  /* With SRTP, only what decrypts counts as received. */
  if (self->srtpdec != NULL)
    count_packets (self->srtpdec, "rtp_src", on_rtp_received, self);
  else
    count_packets (rtp_udpsrc, "src", on_rtp_received, self);
  count_packets (rtcp_udpsrc, "src", on_rtcp_received, self);
  if (!link_pads (rtp_udpsrc, "src", self->receive_valve, "sink", error)
      || !link_pads (self->receive_valve, "src", rtpbin, "recv_rtp_sink_0", error)
      || !link_pads (rtcp_udpsrc, "src", rtpbin, "recv_rtcp_sink_0", error))
    return FALSE;

  /* The output first: whether it is a device decides the echo probe. An
   * echo test's far end sends the output back in as the input. */
  if (self->echo_queue != NULL)
    output = self->echo_queue;
  else
    {
      if ((self->sink = ap_audio_session_make_endpoint (self, FALSE, error)) == NULL)
        return FALSE;
      gst_object_set_name (GST_OBJECT (self->sink), "audio-output");
      gst_bin_add (GST_BIN (pipeline), self->sink);
      output = self->sink;
    }
  if ((self->mixer = chain[n++] = add_element (pipeline, "audiomixer", "mixer", error)) == NULL
      || (chain[n++] = mix_filter = add_element (pipeline, "capsfilter", "mix-caps", error)) == NULL
      || (params->detect_inband_dtmf
          && (chain[n++] = ap_audio_session_dtmf_build_detector (self, pipeline, error)) == NULL)
      || (self->output_volume = chain[n++]
          = add_element (pipeline, "volume", "speaker-volume", error))
           == NULL
      || (chain[n++] = ap_audio_session_level_add (self, pipeline, FALSE, error)) == NULL
      || !ap_audio_session_dsp_build_playback (self, pipeline, output, &probe, error))
    return FALSE;
  /* The probe hears exactly what the speaker plays: after the volume. */
  if (probe != NULL)
    chain[n++] = probe;
  if ((chain[n++] = add_element (pipeline, "audioconvert", "output-convert", error)) == NULL
      || (chain[n++] = add_element (pipeline, "audioresample", "output-resample", error)) == NULL)
    return FALSE;
  g_object_set (mix_filter, "caps", mix_caps, NULL);
  g_object_set (self->mixer, "output-buffer-duration", (guint64) MIX_PERIOD_MS * GST_MSECOND, NULL);
  /* Remote streams join later with the jitter buffer's latency (and Opus
   * FEC holds one packet back): tell the mixer up front instead of losing
   * their first packets or re-timing the output when they arrive. */
  g_object_set (
    self->mixer, "min-upstream-latency",
    (guint64) (JITTER_BUFFER_MS + ap_audio_codec_decoder_delay_ms (self->codec, self->ptime))
      * GST_MSECOND,
    NULL);
  /* GStreamer 1.22's aggregator (fixed in 1.27) already waits on the clock
   * in PAUSED once upstream answers the latency query, against a base time
   * of 0: every wait returns at once, so a pipeline slow to reach PLAYING
   * let the mixer run seconds ahead and then drop all remote audio as
   * late. "first" makes it wait for a first buffer instead, which the live
   * silence source only sends once the mixer is PLAYING
   * (ap-audio-session-silence.c). */
  gst_util_set_object_arg (G_OBJECT (self->mixer), "start-time-selection", "first");
  if (!ap_audio_session_silence_build (self, pipeline, self->mixer, mix_caps, error))
    return FALSE;

  chain[n++] = output;
  ap_audio_session_apply_volumes (self);
  return link_chain (chain, n, error);
}

/* rtpsession holds back a new sender's packets until two arrive in
 * sequence ("probation"). Over a network that reorders (jitter), that can
 * take seconds, all of it unheard. The far end is already vouched for by
 * the latch (and by SRTP's authentication when on): play its first packet. */
static void
accept_source_at_once (GstElement *rtpbin)
{
  g_autoptr (GstElement) session = NULL;

  g_signal_emit_by_name (rtpbin, "get-session", 0, &session);
  if (session != NULL)
    g_object_set (session, "probation", 0, NULL);
}

static gboolean
build_pipeline (ApAudioSession *self, const ApMediaParams *params, GError **error)
{
  g_autoptr (GstElement) pipeline = gst_object_ref_sink (gst_pipeline_new ("audio-session"));
  g_autoptr (GstBus) bus = NULL;
  GstElement *rtpbin;

  self->payload_type = params->payload_type;
  self->ptime = params->ptime > 0 ? params->ptime : 20;
  self->rtp_caps = ap_audio_codec_rtp_caps (self->codec, params->payload_type, params->fmtp);
  ap_audio_session_dtmf_configure (self, params);
  rtpbin = self->rtpbin = add_element (pipeline, "rtpbin", "rtpbin", error);
  if (rtpbin == NULL)
    return FALSE;
  g_object_set (rtpbin, "latency", JITTER_BUFFER_MS, "do-lost", TRUE, NULL);
  g_signal_connect (rtpbin, "request-pt-map", G_CALLBACK (on_request_pt_map), self);
  g_signal_connect (rtpbin, "pad-added", G_CALLBACK (on_rtpbin_pad_added), self);
  if (!ap_audio_session_srtp_build (self, rtpbin, params, error))
    return FALSE;

  if (!build_send_path (self, pipeline, rtpbin, params, error)
      || !build_receive_path (self, pipeline, rtpbin, params, error))
    return FALSE;
  accept_source_at_once (rtpbin);

  bus = gst_pipeline_get_bus (GST_PIPELINE (pipeline));
  gst_bus_add_watch (bus, ap_audio_session_on_bus_message, self);
  self->pipeline = g_steal_pointer (&pipeline);
  return TRUE;
}

typedef struct {
  ApAudioSession *self;
  GstElement *pipeline;
  ApAudioSessionJob func;
} PipelineJob;

static gboolean
run_pipeline_job (gpointer data)
{
  PipelineJob *job = data;

  if (job->self->pipeline == job->pipeline)
    job->func (job->self);
  return G_SOURCE_REMOVE;
}

static void
pipeline_job_free (gpointer data)
{
  PipelineJob *job = data;

  g_object_unref (job->self);
  gst_object_unref (job->pipeline);
  g_free (job);
}

/**
 * ap_audio_session_run_in_context:
 * @pipeline: the pipeline the work is for
 * @func: the work
 *
 * Any thread (a streaming thread's pad probe, typically): runs @func in the
 * session's main context, never on the calling thread, unless @pipeline is
 * no longer the session's by then (stopped, or replaced on a codec change).
 */
void
ap_audio_session_run_in_context (ApAudioSession *self, GstElement *pipeline, ApAudioSessionJob func)
{
  PipelineJob *job = g_new0 (PipelineJob, 1);
  GSource *source = g_idle_source_new ();

  job->self = g_object_ref (self);
  job->pipeline = gst_object_ref (pipeline);
  job->func = func;
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, run_pipeline_job, job, pipeline_job_free);
  g_source_set_static_name (source, "[agentphone] audio pipeline job");
  g_source_attach (source, self->context);
  g_source_unref (source);
}

/* The error a failed state change left on the bus, as a GError. */
static void
take_bus_error (GstElement *pipeline, GError **error)
{
  g_autoptr (GstBus) bus = gst_pipeline_get_bus (GST_PIPELINE (pipeline));
  g_autoptr (GstMessage) message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  g_autoptr (GError) gst_error = NULL;

  if (message == NULL)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_FAILED, "The audio pipeline could not start");
      return;
    }
  gst_message_parse_error (message, &gst_error, NULL);
  g_set_error (error, AP_ERROR, AP_ERROR_FAILED, "The audio pipeline could not start: %s",
               gst_error->message);
}

/* What the output will add on top of the network: the jitter buffer, the
 * decoder and the mixer, as the sink will be told. For the logs. */
void
ap_audio_session_log_latency (ApAudioSession *self)
{
  g_autoptr (GstQuery) query = gst_query_new_latency ();
  g_autoptr (GstPad) sink_pad = NULL;
  GstClockTime min_latency, max_latency;
  gboolean live;

  if (self->sink == NULL || (sink_pad = gst_element_get_static_pad (self->sink, "sink")) == NULL
      || !gst_pad_peer_query (sink_pad, query))
    return;
  gst_query_parse_latency (query, &live, &min_latency, &max_latency);
  if (min_latency == self->latency)
    return;
  self->latency = min_latency;
  g_debug ("Received audio reaches the output with %.1f ms latency",
           (double) min_latency / GST_MSECOND);
}

void
ap_audio_session_pipeline_stop (ApAudioSession *self)
{
  g_autoptr (GstBus) bus = NULL;

  if (self->pipeline == NULL)
    return;
  ap_audio_session_dtmf_cancel (self, TRUE);
  ap_audio_session_stats_pipeline_stopped (self);
  ap_audio_session_record_detach (self);
  finish_output (self);
  gst_element_set_state (self->pipeline, GST_STATE_NULL);
  g_debug ("Audio stopped: %d RTP packets sent, %d received, %d RTCP packets received",
           g_atomic_int_get (&self->packets_sent), g_atomic_int_get (&self->packets_received),
           g_atomic_int_get (&self->rtcp_received));
  bus = gst_pipeline_get_bus (GST_PIPELINE (self->pipeline));
  gst_bus_remove_watch (bus);
  clear_pipeline_pointers (self);
  gst_clear_object (&self->pipeline);
}

gboolean
ap_audio_session_pipeline_start (ApAudioSession *self, const ApMediaParams *params, GError **error)
{
  /* The call's own audio (early media, or answered) replaces the ringback,
   * and may need the same output, which it makes anew: no need to finish it. */
  if (self->ringback != NULL)
    ap_tone_player_stop_now (self->ringback);
  if (!build_pipeline (self, params, error))
    {
      clear_pipeline_pointers (self);
      return FALSE;
    }
  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      take_bus_error (self->pipeline, error);
      ap_audio_session_pipeline_stop (self);
      return FALSE;
    }
  ap_audio_session_latch_reset (self, self->remote_host, params->remote_port);
  ap_audio_session_stats_start (self);
  ap_audio_session_record_attach (self);
  return TRUE;
}

/* A re-INVITE that keeps the codec: change direction and destination live. */
void
ap_audio_session_pipeline_update (ApAudioSession *self, const ApMediaParams *params,
                                  const char *remote_host)
{
  /* The new destination first: a valve opened before it would send the
   * first packets to the old far end. */
  if (g_strcmp0 (remote_host, self->remote_host) != 0
      || params->remote_port != self->params->remote_port)
    {
      g_debug ("Sending audio to a new address");
      ap_audio_session_latch_reset (self, remote_host, params->remote_port);
      g_object_set (self->rtp_udpsink, "host", remote_host, "port", (int) params->remote_port,
                    NULL);
      g_object_set (self->rtcp_udpsink, "host", remote_host, "port", (int) params->remote_port + 1,
                    NULL);
    }
  g_object_set (self->send_valve, "drop", !ap_audio_direction_sends (params->direction), NULL);
  if (!ap_audio_direction_sends (params->direction))
    ap_audio_session_dtmf_cancel (self, FALSE);
  g_object_set (self->receive_valve, "drop", !direction_receives (params->direction), NULL);
}
