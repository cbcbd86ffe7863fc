/* ap-video-session-pipeline.c: the GStreamer pipeline of an ApVideoSession.
 *
 *   camera (or AGENTPHONE_VIDEO_INPUT) → videoconvert → videoscale → videorate
 *     → caps (640×480@15, I420; lowered by adaptation) → queue (leaky)
 *     → valve (send? camera open?) → vp8enc | x264enc → payloader → rtpbin
 *     → udpsink (RTP socket), rtpbin → udpsink (RTCP socket)
 *   udpsrc (RTP socket, 4 MiB buffer) → rtpbin (jitter buffer, RTCP feedback)
 *     → per remote stream: depayloader → decoder → videoconvert → BGRA → appsink
 *   udpsrc (RTCP socket) → rtpbin
 *
 * The source is its own element at the head of the send chain, so another
 * source (a screen) can take its place. Keyframe requests: the far end's
 * PLI/FIR reach the encoder as force-key-unit events through rtpbin; a
 * depayloader that sees loss asks upstream, and rtpbin sends a PLI (FIR
 * when all headers are wanted). Built in the main context; streaming
 * threads only count, keep the newest frame and link a new remote stream. */
#define G_LOG_DOMAIN "Agentphone-media"

#include "ap-video-session-private.h"

#include <gst/app/gstappsink.h>
#include <gst/video/video.h>
#include <stdio.h>
#include <string.h>

#include "ap-error.h"
#include "ap-media-override.h"

#define JITTER_BUFFER_MS 100
#define SOCKET_BUFFER_BYTES 4194304 /* keyframe bursts overflow the default */
#define KEYFRAME_INTERVAL_FRAMES (AP_VIDEO_FPS * 10)

static GstElement *
add_element (GstElement *pipeline, const char *factory, const char *name, GError **error)
{
  GstElement *element = gst_element_factory_make (factory, name);

  if (element == NULL)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_NOT_SUPPORTED,
                   "The GStreamer element “%s” is missing: install the plugin that has it",
                   factory);
      return NULL;
    }
  gst_bin_add (GST_BIN (pipeline), element);
  return element;
}

static gboolean
link_chain (GstElement **chain, gsize length, GError **error)
{
  for (gsize i = 1; i < length; i++)
    if (!gst_element_link (chain[i - 1], chain[i]))
      {
        g_set_error (error, AP_ERROR, AP_ERROR_FAILED,
                     "Could not connect %s to %s in the video pipeline",
                     GST_OBJECT_NAME (chain[i - 1]), GST_OBJECT_NAME (chain[i]));
        return FALSE;
      }
  return TRUE;
}

static gboolean
is_h264 (const ApMediaParams *video)
{
  return g_strcmp0 (video->codec, "h264") == 0;
}

static gboolean
sends (const ApMediaParams *video)
{
  return video->direction & AP_MEDIA_DIRECTION_SENDONLY;
}

static gboolean
receives (const ApMediaParams *video)
{
  return video->direction & AP_MEDIA_DIRECTION_RECVONLY;
}

/* The shared screen, or the camera: the override, the chosen device, or a
 * black picture for a machine without one (the far end still gets a
 * stream to show). */
GstElement *
ap_video_session_make_source (ApVideoSession *self, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  GstElement *source;

  if ((source = ap_video_session_screen_source (self)) != NULL)
    return source;
  source = ap_media_override_make_for_call ("AGENTPHONE_VIDEO_INPUT", self->call_id, &local_error);
  if (local_error == NULL && source == NULL && self->devices != NULL)
    source = ap_devices_make_element (self->devices, AP_DEVICE_KIND_CAMERA, &local_error);
  if (local_error != NULL)
    {
      if (source != NULL)
        gst_object_unref (gst_object_ref_sink (source));
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (source == NULL)
    {
      g_message ("No camera chosen: sending a black picture");
      source
        = gst_parse_bin_from_description ("videotestsrc is-live=true pattern=black", TRUE, error);
    }
  return source;
}

static GstElement *
make_encoder (ApVideoSession *self, GstElement *pipeline, const ApMediaParams *video,
              GError **error)
{
  GstElement *encoder;

  if (is_h264 (video))
    {
      encoder = add_element (pipeline, "x264enc", "encoder", error);
      if (encoder == NULL)
        return NULL;
      gst_util_set_object_arg (G_OBJECT (encoder), "tune", "zerolatency");
      gst_util_set_object_arg (G_OBJECT (encoder), "speed-preset", "ultrafast");
      g_object_set (encoder, "threads", 1, "bitrate", self->bitrate_kbps, "key-int-max",
                    KEYFRAME_INTERVAL_FRAMES, NULL);
      return encoder;
    }
  encoder = add_element (pipeline, "vp8enc", "encoder", error);
  if (encoder == NULL)
    return NULL;
  /* Real time: the defaults cost ~28 % of a core and lag (media.md). */
  gst_util_set_object_arg (G_OBJECT (encoder), "end-usage", "cbr");
  g_object_set (encoder, "deadline", (gint64) 1, "cpu-used", 8, "lag-in-frames", 0, "threads", 1,
                "target-bitrate", (int) self->bitrate_kbps * 1000, "keyframe-max-dist",
                KEYFRAME_INTERVAL_FRAMES, NULL);
  return encoder;
}

static GstElement *
make_payloader (ApVideoSession *self, GstElement *pipeline, const ApMediaParams *video,
                GError **error)
{
  GstElement *pay
    = add_element (pipeline, is_h264 (video) ? "rtph264pay" : "rtpvp8pay", "payloader", error);

  if (pay == NULL)
    return NULL;
  g_object_set (pay, "pt", video->payload_type, "ssrc", self->ssrc, NULL);
  if (is_h264 (video))
    {
      /* SPS and PPS with every keyframe: a receiver joining late decodes. */
      g_object_set (pay, "config-interval", -1, NULL);
      gst_util_set_object_arg (G_OBJECT (pay), "aggregate-mode", "zero-latency");
    }
  else
    gst_util_set_object_arg (G_OBJECT (pay), "picture-id-mode", "15-bit");
  return pay;
}

static GstPadProbeReturn
on_encoded (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  ApVideoSession *self = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);

  g_atomic_int_inc (&self->frames_sent);
  if (!GST_BUFFER_FLAG_IS_SET (buffer, GST_BUFFER_FLAG_DELTA_UNIT))
    g_atomic_int_inc (&self->keyframes_sent);
  return GST_PAD_PROBE_OK;
}

/* A keyframe request reaching the encoder: the far end's PLI or FIR. */
static GstPadProbeReturn
on_encoder_event (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  ApVideoSession *self = user_data;

  if (gst_video_event_is_force_key_unit (GST_PAD_PROBE_INFO_EVENT (info)))
    g_atomic_int_inc (&self->keyframes_requested);
  return GST_PAD_PROBE_OK;
}

static gboolean
build_send_path (ApVideoSession *self, GstElement *pipeline, const ApMediaParams *video,
                 GError **error)
{
  g_autoptr (GstPad) encoder_src = NULL;
  GstElement *chain[10], *queue, *pay;
  gsize n = 0;

  self->source = ap_video_session_make_source (self, error);
  if (self->source == NULL)
    return FALSE;
  gst_object_set_name (GST_OBJECT (self->source), "video-input");
  gst_bin_add (GST_BIN (pipeline), self->source);
  chain[n++] = self->source;
  if ((chain[n++] = add_element (pipeline, "videoconvert", "input-convert", error)) == NULL
      || (chain[n++] = add_element (pipeline, "videoscale", "input-scale", error)) == NULL
      || (chain[n++] = add_element (pipeline, "videorate", "input-rate", error)) == NULL
      || (self->send_caps = chain[n++] = add_element (pipeline, "capsfilter", "send-caps", error))
           == NULL
      || (queue = chain[n++] = add_element (pipeline, "queue", "send-queue", error)) == NULL
      || (self->send_valve = chain[n++] = add_element (pipeline, "valve", "send-valve", error))
           == NULL
      || (self->encoder = chain[n++] = make_encoder (self, pipeline, video, error)) == NULL)
    return FALSE;
  if (is_h264 (video))
    {
      GstElement *profile = add_element (pipeline, "capsfilter", "h264-profile", error);
      g_autoptr (GstCaps) caps = gst_caps_from_string (
        "video/x-h264,profile=constrained-baseline,stream-format=byte-stream");

      if (profile == NULL)
        return FALSE;
      g_object_set (profile, "caps", caps, NULL);
      chain[n++] = profile;
    }
  if ((pay = chain[n++] = make_payloader (self, pipeline, video, error)) == NULL)
    return FALSE;
  /* A slow encoder drops camera frames instead of delaying them. */
  gst_util_set_object_arg (G_OBJECT (queue), "leaky", "downstream");
  g_object_set (queue, "max-size-buffers", 2, "max-size-bytes", 0, "max-size-time", (guint64) 0,
                NULL);
  gst_util_set_object_arg (G_OBJECT (self->send_valve), "drop-mode", "forward-sticky-events");
  g_object_set (self->send_valve, "drop", !sends (video) || !ap_video_session_sends_picture (self),
                NULL);
  ap_video_session_apply_send_size (self);
  if (!link_chain (chain, n, error))
    return FALSE;
  encoder_src = gst_element_get_static_pad (self->encoder, "src");
  gst_pad_add_probe (encoder_src, GST_PAD_PROBE_TYPE_BUFFER, on_encoded, self, NULL);
  gst_pad_add_probe (encoder_src, GST_PAD_PROBE_TYPE_EVENT_UPSTREAM, on_encoder_event, self, NULL);
  return gst_element_link_pads (pay, "src", self->rtpbin, "send_rtp_sink_0")
         && gst_element_link_pads (self->rtpbin, "send_rtp_src_0", self->rtp_udpsink, "sink")
         && gst_element_link_pads (self->rtpbin, "send_rtcp_src_0", self->rtcp_udpsink, "sink");
}

/* Streaming thread: the newest decoded frame, for snapshots and a window. */
static gboolean deliver_frame (gpointer user_data);

static GstFlowReturn
on_new_sample (GstAppSink *sink, gpointer user_data)
{
  ApVideoSession *self = user_data;
  GstSample *sample = gst_app_sink_pull_sample (sink);
  gboolean notify;

  if (sample == NULL)
    return GST_FLOW_OK;
  g_atomic_int_inc (&self->frames_received);
  g_mutex_lock (&self->lock);
  if (self->last_sample != NULL)
    gst_sample_unref (self->last_sample);
  self->last_sample = sample;
  notify = self->frame_func != NULL && !self->frame_pending;
  if (notify)
    self->frame_pending = TRUE;
  g_mutex_unlock (&self->lock);
  if (notify)
    {
      GSource *source = g_idle_source_new ();

      g_source_set_callback (source, deliver_frame, g_object_ref (self), g_object_unref);
      g_source_set_static_name (source, "[agentphone] video frame");
      g_source_attach (source, self->context);
      g_source_unref (source);
    }
  return GST_FLOW_OK;
}

/* Main context: hand the newest frame to the window's hook. */
static gboolean
deliver_frame (gpointer user_data)
{
  ApVideoSession *self = user_data;
  g_autoptr (GstSample) sample = NULL;
  GstVideoInfo info;
  GstMapInfo map;
  GstBuffer *buffer;

  g_mutex_lock (&self->lock);
  self->frame_pending = FALSE;
  sample = self->last_sample ? gst_sample_ref (self->last_sample) : NULL;
  g_mutex_unlock (&self->lock);
  if (sample == NULL || self->frame_func == NULL
      || !gst_video_info_from_caps (&info, gst_sample_get_caps (sample)))
    return G_SOURCE_REMOVE;
  buffer = gst_sample_get_buffer (sample);
  if (gst_buffer_map (buffer, &map, GST_MAP_READ))
    {
      g_autoptr (GBytes) bytes = g_bytes_new (map.data, map.size);

      gst_buffer_unmap (buffer, &map);
      self->frame_func (bytes, (guint) GST_VIDEO_INFO_WIDTH (&info),
                        (guint) GST_VIDEO_INFO_HEIGHT (&info),
                        (guint) GST_VIDEO_INFO_PLANE_STRIDE (&info, 0), self->frame_data);
    }
  return G_SOURCE_REMOVE;
}

static GstPadProbeReturn
on_depayloaded (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  ap_video_session_clip_buffer (user_data, GST_PAD_PROBE_INFO_BUFFER (info));
  return GST_PAD_PROBE_OK;
}

/* Streaming thread: a decoded remote frame, for a recording. */
static GstPadProbeReturn
on_decoded (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  ap_video_session_record_frame (user_data, pad, GST_PAD_PROBE_INFO_BUFFER (info));
  return GST_PAD_PROBE_OK;
}

static GstElement *
make_receive_bin (ApVideoSession *self, GError **error)
{
  g_autofree char *description = NULL;
  g_autoptr (GstElement) depay = NULL;
  g_autoptr (GstElement) decoder = NULL;
  g_autoptr (GstPad) decoded = NULL;
  g_autoptr (GstElement) sink = NULL;
  GstAppSinkCallbacks callbacks = { .new_sample = on_new_sample };
  GstElement *bin;

  /* After loss: wait for a keyframe rather than show garbage, and ask for
   * one (rtpbin turns the request into a PLI). */
  description = g_strdup_printf (
    "%s name=depay request-keyframe=true wait-for-keyframe=true ! %s name=decoder ! videoconvert "
    "! video/x-raw,format=BGRA ! appsink name=frames sync=false max-buffers=1 drop=true",
    self->h264 ? "rtph264depay" : "rtpvp8depay", self->h264 ? "avdec_h264" : "vp8dec");
  bin = gst_parse_bin_from_description (description, TRUE, error);
  if (bin == NULL)
    return NULL;
  depay = gst_bin_get_by_name (GST_BIN (bin), "depay");
  sink = gst_bin_get_by_name (GST_BIN (bin), "frames");
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, self, NULL);
  decoder = gst_bin_get_by_name (GST_BIN (bin), "decoder");
  decoded = gst_element_get_static_pad (decoder, "src");
  gst_pad_add_probe (decoded, GST_PAD_PROBE_TYPE_BUFFER, on_decoded, self, NULL);
  g_mutex_lock (&self->lock);
  gst_clear_object (&self->depay_src);
  self->depay_src = gst_element_get_static_pad (depay, "src");
  gst_pad_add_probe (self->depay_src, GST_PAD_PROBE_TYPE_BUFFER, on_depayloaded, self, NULL);
  g_mutex_unlock (&self->lock);
  return bin;
}

/* Streaming thread: a new remote stream (SSRC) gets its own decoder. */
static void
on_rtpbin_pad_added (GstElement *rtpbin, GstPad *pad, gpointer user_data)
{
  ApVideoSession *self = user_data;
  g_autofree char *name = gst_pad_get_name (pad);
  g_autoptr (GError) error = NULL;
  g_autoptr (GstPad) sink_pad = NULL;
  GstElement *branch;
  guint session, ssrc, pt;

  if (sscanf (name, "recv_rtp_src_%u_%u_%u", &session, &ssrc, &pt) != 3)
    return;
  g_debug ("New remote video stream on %s", name);
  branch = make_receive_bin (self, &error);
  if (branch == NULL)
    {
      gst_element_post_message (rtpbin,
                                gst_message_new_error (GST_OBJECT (rtpbin), error, error->message));
      return;
    }
  gst_bin_add (GST_BIN (self->pipeline), branch);
  sink_pad = gst_element_get_static_pad (branch, "sink");
  gst_element_sync_state_with_parent (branch);
  if (gst_pad_link (pad, sink_pad) != GST_PAD_LINK_OK)
    g_warning ("Could not connect the received video to its decoder");
}

/* Streaming thread. The caps never change while the pipeline exists. */
static GstCaps *
on_request_pt_map (GstElement *rtpbin, guint session, guint pt, gpointer user_data)
{
  ApVideoSession *self = user_data;

  if (pt == self->payload_type)
    return gst_caps_ref (self->rtp_caps);
  g_debug ("Ignoring video payload type %u (expecting %u)", pt, self->payload_type);
  return NULL;
}

static GstCaps *
make_rtp_caps (const ApMediaParams *video)
{
  /* The rtcp-fb fields let rtpbin send PLI and FIR for this stream. */
  return gst_caps_new_simple ("application/x-rtp", "media", G_TYPE_STRING, "video", "clock-rate",
                              G_TYPE_INT, 90000, "encoding-name", G_TYPE_STRING,
                              is_h264 (video) ? "H264" : "VP8", "payload", G_TYPE_INT,
                              (int) video->payload_type, "rtcp-fb-nack-pli", G_TYPE_BOOLEAN, TRUE,
                              "rtcp-fb-ccm-fir", G_TYPE_BOOLEAN, TRUE, NULL);
}

/* ---- SRTP (SDES keys, as for the audio) -------------------------------- */

static const char *
rtp_auth (ApMediaSrtp srtp)
{
  return srtp == AP_MEDIA_SRTP_AES_CM_128_HMAC_SHA1_32 ? "hmac-sha1-32" : "hmac-sha1-80";
}

static GstCaps *
on_request_key (GstElement *srtpdec, guint ssrc, gpointer user_data)
{
  ApVideoSession *self = user_data;
  GstCaps *caps;

  g_mutex_lock (&self->lock);
  caps = gst_caps_new_simple (
    "application/x-srtp", "srtp-key", GST_TYPE_BUFFER, self->srtp_remote_key, "srtp-cipher",
    G_TYPE_STRING, "aes-128-icm", "srtp-auth", G_TYPE_STRING, rtp_auth (self->srtp), "srtcp-cipher",
    G_TYPE_STRING, "aes-128-icm", "srtcp-auth", G_TYPE_STRING, "hmac-sha1-80", NULL);
  g_mutex_unlock (&self->lock);
  return caps;
}

static GstElement *
on_request_encoder (GstElement *rtpbin, guint session, gpointer user_data)
{
  ApVideoSession *self = user_data;

  return session == 0 ? gst_object_ref (self->srtpenc) : NULL;
}

static GstElement *
on_request_decoder (GstElement *rtpbin, guint session, gpointer user_data)
{
  ApVideoSession *self = user_data;

  return session == 0 ? gst_object_ref (self->srtpdec) : NULL;
}

static void
set_srtp_keys (ApVideoSession *self, const ApMediaParams *video)
{
  g_autoptr (GstBuffer) local_key
    = gst_buffer_new_memdup (video->srtp_local_key, AP_MEDIA_SRTP_KEY_LEN);

  g_object_set (self->srtpenc, "key", local_key, NULL);
  g_mutex_lock (&self->lock);
  gst_clear_buffer (&self->srtp_remote_key);
  self->srtp_remote_key = gst_buffer_new_memdup (video->srtp_remote_key, AP_MEDIA_SRTP_KEY_LEN);
  g_mutex_unlock (&self->lock);
}

static gboolean
build_srtp (ApVideoSession *self, const ApMediaParams *video, GError **error)
{
  g_autoptr (GstPad) rtp = NULL;
  g_autoptr (GstPad) rtcp = NULL;

  self->srtp = video->srtp;
  if (video->srtp == AP_MEDIA_SRTP_NONE)
    return TRUE;
  self->srtpenc = gst_element_factory_make ("srtpenc", "srtp-encoder");
  self->srtpdec = gst_element_factory_make ("srtpdec", "srtp-decoder");
  if (self->srtpenc == NULL || self->srtpdec == NULL)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_NOT_SUPPORTED,
                   "Encrypted video needs srtpenc and srtpdec (gstreamer1.0-plugins-bad)");
      return FALSE;
    }
  gst_object_ref_sink (self->srtpenc);
  gst_object_ref_sink (self->srtpdec);
  rtp = gst_element_request_pad_simple (self->srtpenc, "rtp_sink_0");
  rtcp = gst_element_request_pad_simple (self->srtpenc, "rtcp_sink_0");
  gst_util_set_object_arg (G_OBJECT (self->srtpenc), "rtp-cipher", "aes-128-icm");
  gst_util_set_object_arg (G_OBJECT (self->srtpenc), "rtp-auth", rtp_auth (video->srtp));
  gst_util_set_object_arg (G_OBJECT (self->srtpenc), "rtcp-cipher", "aes-128-icm");
  gst_util_set_object_arg (G_OBJECT (self->srtpenc), "rtcp-auth", "hmac-sha1-80");
  set_srtp_keys (self, video);
  g_signal_connect (self->srtpdec, "request-key", G_CALLBACK (on_request_key), self);
  g_signal_connect (self->srtpdec, "soft-limit", G_CALLBACK (on_request_key), self);
  g_signal_connect (self->srtpdec, "hard-limit", G_CALLBACK (on_request_key), self);
  g_signal_connect (self->rtpbin, "request-rtp-encoder", G_CALLBACK (on_request_encoder), self);
  g_signal_connect (self->rtpbin, "request-rtcp-encoder", G_CALLBACK (on_request_encoder), self);
  g_signal_connect (self->rtpbin, "request-rtp-decoder", G_CALLBACK (on_request_decoder), self);
  g_signal_connect (self->rtpbin, "request-rtcp-decoder", G_CALLBACK (on_request_decoder), self);
  return TRUE;
}

/* ---- the pipeline ------------------------------------------------------ */

static GstElement *
add_udp (GstElement *pipeline, gboolean sink, GSocket *socket, const char *name, GError **error)
{
  GstElement *element = add_element (pipeline, sink ? "udpsink" : "udpsrc", name, error);

  if (element == NULL)
    return NULL;
  g_object_set (element, "socket", socket, "close-socket", FALSE, NULL);
  if (sink)
    g_object_set (element, "sync", FALSE, "async", FALSE, NULL);
  else
    g_object_set (element, "buffer-size", SOCKET_BUFFER_BYTES, NULL);
  return element;
}

static gboolean
build_receive_path (ApVideoSession *self, GstElement *pipeline, GError **error)
{
  g_autoptr (GstCaps) rtp_caps = gst_caps_copy (self->rtp_caps);
  g_autoptr (GstCaps) rtcp_caps
    = gst_caps_new_empty_simple (self->srtp ? "application/x-srtcp" : "application/x-rtcp");
  GstElement *rtp_src = add_udp (pipeline, FALSE, self->rtp_socket, "rtp-in", error);
  GstElement *rtcp_src
    = rtp_src ? add_udp (pipeline, FALSE, self->rtcp_socket, "rtcp-in", error) : NULL;

  if (rtcp_src == NULL)
    return FALSE;
  if (self->srtp)
    gst_structure_set_name (gst_caps_get_structure (rtp_caps, 0), "application/x-srtp");
  g_object_set (rtp_src, "caps", rtp_caps, NULL);
  g_object_set (rtcp_src, "caps", rtcp_caps, NULL);
  if (!gst_element_link_pads (rtp_src, "src", self->rtpbin, "recv_rtp_sink_0")
      || !gst_element_link_pads (rtcp_src, "src", self->rtpbin, "recv_rtcp_sink_0"))
    {
      g_set_error (error, AP_ERROR, AP_ERROR_FAILED, "Could not connect the video sockets");
      return FALSE;
    }
  return TRUE;
}

static gboolean
build_pipeline (ApVideoSession *self, const ApMediaParams *video, GError **error)
{
  g_autoptr (GstElement) pipeline = gst_object_ref_sink (gst_pipeline_new ("video-session"));

  self->rtp_caps = make_rtp_caps (video);
  self->h264 = is_h264 (video);
  self->payload_type = video->payload_type;
  self->rtpbin = add_element (pipeline, "rtpbin", "rtpbin", error);
  if (self->rtpbin == NULL)
    return FALSE;
  /* AVPF: feedback (PLI, FIR) goes out at once, not with the next report. */
  gst_util_set_object_arg (G_OBJECT (self->rtpbin), "rtp-profile", "avpf");
  g_object_set (self->rtpbin, "latency", JITTER_BUFFER_MS, "do-lost", TRUE, NULL);
  g_signal_connect (self->rtpbin, "request-pt-map", G_CALLBACK (on_request_pt_map), self);
  g_signal_connect (self->rtpbin, "pad-added", G_CALLBACK (on_rtpbin_pad_added), self);
  if (!build_srtp (self, video, error))
    return FALSE;
  self->rtp_udpsink = add_udp (pipeline, TRUE, self->rtp_socket, "rtp-out", error);
  self->rtcp_udpsink = add_udp (pipeline, TRUE, self->rtcp_socket, "rtcp-out", error);
  if (self->rtp_udpsink == NULL || self->rtcp_udpsink == NULL)
    return FALSE;
  g_object_set (self->rtp_udpsink, "host", self->remote_host, "port", (int) video->remote_port,
                NULL);
  g_object_set (self->rtcp_udpsink, "host", self->remote_host, "port", (int) video->remote_port + 1,
                NULL);
  self->pipeline = g_steal_pointer (&pipeline);
  return build_send_path (self, self->pipeline, video, error)
         && build_receive_path (self, self->pipeline, error);
}

static void
clear_pointers (ApVideoSession *self)
{
  self->rtpbin = NULL;
  self->source = NULL;
  self->send_caps = NULL;
  self->send_valve = NULL;
  self->encoder = NULL;
  self->rtp_udpsink = NULL;
  self->rtcp_udpsink = NULL;
  gst_clear_caps (&self->rtp_caps);
  gst_clear_object (&self->srtpenc);
  gst_clear_object (&self->srtpdec);
  g_mutex_lock (&self->lock);
  gst_clear_object (&self->depay_src);
  gst_clear_buffer (&self->srtp_remote_key);
  g_mutex_unlock (&self->lock);
  self->srtp = AP_MEDIA_SRTP_NONE;
}

static gboolean
on_bus_message (GstBus *bus, GstMessage *message, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *debug = NULL;

  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      gst_message_parse_error (message, &error, &debug);
      if (ap_video_session_screen_check_error (user_data, GST_MESSAGE_SRC (message),
                                               error->message))
        return G_SOURCE_CONTINUE;
      /* Video trouble never ends the call: the audio goes on. */
      g_warning ("Video failed (%s): %s", GST_OBJECT_NAME (GST_MESSAGE_SRC (message)),
                 error->message);
      g_debug ("%s", debug ? debug : "");
    }
  else if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_WARNING)
    {
      gst_message_parse_warning (message, &error, NULL);
      g_debug ("Video warning from %s: %s", GST_OBJECT_NAME (GST_MESSAGE_SRC (message)),
               error->message);
    }
  return G_SOURCE_CONTINUE;
}

gboolean
ap_video_session_pipeline_start (ApVideoSession *self, const ApMediaParams *video, GError **error)
{
  g_autoptr (GstBus) bus = NULL;

  if (!build_pipeline (self, video, error))
    {
      ap_video_session_pipeline_stop (self);
      return FALSE;
    }
  ap_video_session_local_attach (self);
  bus = gst_pipeline_get_bus (GST_PIPELINE (self->pipeline));
  gst_bus_add_watch (bus, on_bus_message, self);
  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_FAILED,
                   "The video pipeline could not start (is the camera in use?)");
      ap_video_session_pipeline_stop (self);
      return FALSE;
    }
  g_debug ("Video (%s, pt %u) towards %s:%u", video->codec, video->payload_type, self->remote_host,
           video->remote_port);
  return TRUE;
}

void
ap_video_session_pipeline_stop (ApVideoSession *self)
{
  g_autoptr (GstBus) bus = NULL;

  if (self->pipeline == NULL)
    return;
  gst_element_set_state (self->pipeline, GST_STATE_NULL);
  g_debug ("Video stopped: %d frames sent (%d keyframes), %d received, %d keyframe requests",
           g_atomic_int_get (&self->frames_sent), g_atomic_int_get (&self->keyframes_sent),
           g_atomic_int_get (&self->frames_received),
           g_atomic_int_get (&self->keyframes_requested));
  bus = gst_pipeline_get_bus (GST_PIPELINE (self->pipeline));
  gst_bus_remove_watch (bus);
  clear_pointers (self);
  gst_clear_object (&self->pipeline);
}

/* A re-INVITE that keeps the codec: direction, destination and keys live. */
void
ap_video_session_pipeline_update (ApVideoSession *self, const ApMediaParams *video,
                                  const char *remote_host)
{
  g_object_set (self->rtp_udpsink, "host", remote_host, "port", (int) video->remote_port, NULL);
  g_object_set (self->rtcp_udpsink, "host", remote_host, "port", (int) video->remote_port + 1,
                NULL);
  g_object_set (self->send_valve, "drop", !sends (video) || !ap_video_session_sends_picture (self),
                NULL);
  if (self->srtp != AP_MEDIA_SRTP_NONE
      && (memcmp (video->srtp_local_key, self->params->srtp_local_key, AP_MEDIA_SRTP_KEY_LEN) != 0
          || memcmp (video->srtp_remote_key, self->params->srtp_remote_key, AP_MEDIA_SRTP_KEY_LEN)
               != 0))
    {
      set_srtp_keys (self, video);
      g_signal_emit_by_name (self->srtpdec, "clear-keys");
    }
  if (!receives (video))
    g_debug ("The far end sends no video now");
}

/* The size and rate we send: 640×480@15, or less while the far end loses
 * packets. */
void
ap_video_session_apply_send_size (ApVideoSession *self)
{
  g_autoptr (GstCaps) caps = NULL;

  if (self->send_caps == NULL)
    return;
  caps = gst_caps_new_simple ("video/x-raw", "format", G_TYPE_STRING, "I420", "width", G_TYPE_INT,
                              (int) self->width, "height", G_TYPE_INT, (int) self->height,
                              "framerate", GST_TYPE_FRACTION, AP_VIDEO_FPS, 1, "pixel-aspect-ratio",
                              GST_TYPE_FRACTION, 1, 1, NULL);
  g_object_set (self->send_caps, "caps", caps, NULL);
}

/* Ask the far end for a keyframe (a PLI through rtpbin), e.g. to start a
 * clip with one. */
void
ap_video_session_request_keyframe (ApVideoSession *self)
{
  GstPad *pad;

  g_mutex_lock (&self->lock);
  pad = self->depay_src ? gst_object_ref (self->depay_src) : NULL;
  g_mutex_unlock (&self->lock);
  if (pad == NULL)
    return;
  gst_pad_send_event (pad,
                      gst_video_event_new_upstream_force_key_unit (GST_CLOCK_TIME_NONE, FALSE, 0));
  gst_object_unref (pad);
}
