/* ap-video-session.c: one call's video, beside its audio. The session owns
 * its RTP and RTCP sockets (bound before the SDP is written, shared by the
 * pipeline's udpsrc and udpsink: symmetric RTP), runs the pipeline of
 * ap-video-session-pipeline.c while the SDP agrees on video, and keeps the
 * newest remote frame for snapshots and a window. Video trouble is logged
 * and never ends the call. */
#define G_LOG_DOMAIN "Agentphone-media"

#include "ap-video-session-private.h"

#include <gst/video/video.h>

#include "ap-error.h"

#define BIND_ATTEMPTS 16
#define SNAPSHOT_TIMEOUT (2 * GST_SECOND)

G_DEFINE_FINAL_TYPE (ApVideoSession, ap_video_session, G_TYPE_OBJECT)

static GSocket *
bind_udp (GInetAddress *address, guint port, GError **error)
{
  g_autoptr (GSocket) socket = NULL;
  g_autoptr (GSocketAddress) socket_address = NULL;

  socket = g_socket_new (g_inet_address_get_family (address), G_SOCKET_TYPE_DATAGRAM,
                         G_SOCKET_PROTOCOL_UDP, error);
  if (socket == NULL)
    return NULL;
  socket_address = g_inet_socket_address_new (address, port);
  if (!g_socket_bind (socket, socket_address, FALSE, error))
    return NULL;
  return g_steal_pointer (&socket);
}

static guint
socket_port (GSocket *socket)
{
  g_autoptr (GSocketAddress) address = g_socket_get_local_address (socket, NULL);

  return address ? g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)) : 0;
}

/**
 * ap_video_session_prepare:
 * @local_address: an IP literal to bind to
 *
 * Binds the video RTP socket (even port) and RTCP (the port above).
 * Idempotent.
 *
 * Returns: the RTP port, or 0 with @error set
 */
guint
ap_video_session_prepare (ApVideoSession *self, const char *local_address, GError **error)
{
  g_autoptr (GInetAddress) address = NULL;
  g_autoptr (GError) last_error = NULL;

  g_return_val_if_fail (AP_IS_VIDEO_SESSION (self), 0);
  if (self->rtp_socket != NULL)
    return self->local_port;
  address = g_inet_address_new_from_string (local_address);
  if (address == NULL)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT,
                   "The local media address “%s” is not an IP address", local_address);
      return 0;
    }
  for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++)
    {
      g_autoptr (GSocket) first = NULL;
      g_autoptr (GSocket) second = NULL;
      guint port;

      g_clear_error (&last_error);
      first = bind_udp (address, 0, &last_error);
      if (first == NULL)
        break;
      port = socket_port (first);
      second = bind_udp (address, port % 2 == 0 ? port + 1 : port - 1, &last_error);
      if (second == NULL)
        continue;
      self->rtp_socket = port % 2 == 0 ? g_steal_pointer (&first) : g_steal_pointer (&second);
      self->rtcp_socket = first ? g_steal_pointer (&first) : g_steal_pointer (&second);
      self->local_port = port % 2 == 0 ? port : port - 1;
      g_debug ("Video on %s port %u (RTCP %u)", local_address, self->local_port,
               self->local_port + 1);
      return self->local_port;
    }
  g_set_error (error, AP_ERROR, AP_ERROR_FAILED,
               "Could not reserve two adjacent UDP ports for video on %s: %s", local_address,
               last_error ? last_error->message : "no free pair");
  return 0;
}

static char *
remote_host_for (ApVideoSession *self, const ApMediaParams *video, GError **error)
{
  g_autoptr (GInetAddress) remote = NULL;

  if (video->remote_address == NULL
      || (remote = g_inet_address_new_from_string (video->remote_address)) == NULL
      || video->remote_port == 0 || video->remote_port > 65534)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT,
                   "The far end's video address “%s” port %u is not usable",
                   video->remote_address ? video->remote_address : "", video->remote_port);
      return NULL;
    }
  if (g_inet_address_get_family (remote) == g_socket_get_family (self->rtp_socket))
    return g_strdup (video->remote_address);
  if (g_socket_get_family (self->rtp_socket) == G_SOCKET_FAMILY_IPV6)
    return g_strdup_printf ("::ffff:%s", video->remote_address);
  g_set_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT,
               "Cannot send video to the IPv6 address %s from an IPv4 address",
               video->remote_address);
  return NULL;
}

/**
 * ap_video_session_start:
 * @video: the negotiated video stream (see #ApMediaParams)
 *
 * Runs the video as negotiated; called again after each offer/answer. A
 * new codec, payload type or SRTP suite builds a new pipeline; anything
 * else changes live.
 */
gboolean
ap_video_session_start (ApVideoSession *self, const ApMediaParams *video, GError **error)
{
  g_autofree char *remote_host = NULL;

  g_return_val_if_fail (AP_IS_VIDEO_SESSION (self), FALSE);
  g_return_val_if_fail (video != NULL, FALSE);

  if (self->rtp_socket == NULL)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_STATE,
                   "The video session must be prepared before it starts");
      return FALSE;
    }
  if (g_strcmp0 (video->codec, "vp8") != 0 && g_strcmp0 (video->codec, "h264") != 0)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_NOT_SUPPORTED, "The video codec “%s” is not supported",
                   video->codec ? video->codec : "");
      return FALSE;
    }
  remote_host = remote_host_for (self, video, error);
  if (remote_host == NULL)
    return FALSE;
  if (self->pipeline != NULL && g_str_equal (video->codec, self->params->codec)
      && video->payload_type == self->params->payload_type && video->srtp == self->params->srtp)
    ap_video_session_pipeline_update (self, video, remote_host);
  else
    {
      ap_video_session_pipeline_stop (self);
      g_free (self->remote_host);
      self->remote_host = g_strdup (remote_host);
      if (!ap_video_session_pipeline_start (self, video, error))
        return FALSE;
      ap_video_session_adapt_start (self);
    }
  g_free (self->remote_host);
  self->remote_host = g_steal_pointer (&remote_host);
  g_clear_pointer (&self->params, ap_media_params_free);
  self->params = ap_media_params_copy (video);
  return TRUE;
}

/**
 * ap_video_session_stop:
 *
 * Stops the video (the SDP dropped it, or the call ends); the sockets stay
 * for a later offer. The newest frame goes too.
 */
void
ap_video_session_stop (ApVideoSession *self)
{
  g_return_if_fail (AP_IS_VIDEO_SESSION (self));

  ap_video_session_clip_cancel (self, "The video stopped");
  ap_video_session_adapt_stop (self);
  ap_video_session_pipeline_stop (self);
  ap_video_session_record_end (self);
  g_clear_pointer (&self->params, ap_media_params_free);
  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->last_sample, gst_sample_unref);
  g_mutex_unlock (&self->lock);
}

/** ap_video_session_close: stop, and release the sockets */
void
ap_video_session_close (ApVideoSession *self)
{
  g_return_if_fail (AP_IS_VIDEO_SESSION (self));

  ap_video_session_screen_clear (self);
  ap_video_session_stop (self);
  if (self->rtp_socket != NULL)
    g_socket_close (self->rtp_socket, NULL);
  if (self->rtcp_socket != NULL)
    g_socket_close (self->rtcp_socket, NULL);
  g_clear_object (&self->rtp_socket);
  g_clear_object (&self->rtcp_socket);
  self->local_port = 0;
}

gboolean
ap_video_session_is_running (ApVideoSession *self)
{
  g_return_val_if_fail (AP_IS_VIDEO_SESSION (self), FALSE);
  return self->pipeline != NULL;
}

/**
 * ap_video_session_set_camera:
 * @open: whether the camera's picture is sent
 *
 * A closed camera sends nothing (the far end keeps its last picture);
 * opening it asks the encoder for a keyframe so the far end recovers.
 */
void
ap_video_session_set_camera (ApVideoSession *self, gboolean open)
{
  g_return_if_fail (AP_IS_VIDEO_SESSION (self));

  self->camera_open = !!open;
  if (self->send_valve == NULL || self->params == NULL)
    return;
  g_object_set (self->send_valve, "drop",
                !ap_video_session_sends_picture (self)
                  || !(self->params->direction & AP_MEDIA_DIRECTION_SENDONLY),
                NULL);
  if (open && self->encoder != NULL)
    {
      g_autoptr (GstPad) pad = gst_element_get_static_pad (self->encoder, "src");

      gst_pad_send_event (
        pad, gst_video_event_new_upstream_force_key_unit (GST_CLOCK_TIME_NONE, TRUE, 0));
    }
}

/**
 * ap_video_session_set_frame_func:
 * @func: (nullable): called with each newest remote frame; %NULL: none
 *
 * The hook a window draws remote video through (GTK-free: plain BGRA).
 */
void
ap_video_session_set_frame_func (ApVideoSession *self, ApVideoFrameFunc func, gpointer user_data)
{
  g_return_if_fail (AP_IS_VIDEO_SESSION (self));

  g_mutex_lock (&self->lock);
  self->frame_func = func;
  self->frame_data = user_data;
  g_mutex_unlock (&self->lock);
}

/**
 * ap_video_session_snapshot:
 * @width: (out) (optional): the picture's width
 * @height: (out) (optional): its height
 *
 * The newest remote frame as PNG, at the size it was received.
 *
 * Returns: (transfer full): the PNG, or %NULL with @error set
 */
GBytes *
ap_video_session_snapshot (ApVideoSession *self, guint *width, guint *height, GError **error)
{
  g_autoptr (GstSample) sample = NULL;
  g_autoptr (GstSample) png = NULL;
  g_autoptr (GstCaps) caps = gst_caps_new_empty_simple ("image/png");
  g_autoptr (GError) convert_error = NULL;
  GstVideoInfo info;
  GstMapInfo map;
  GstBuffer *buffer;
  GBytes *bytes;

  g_return_val_if_fail (AP_IS_VIDEO_SESSION (self), NULL);

  g_mutex_lock (&self->lock);
  sample = self->last_sample ? gst_sample_ref (self->last_sample) : NULL;
  g_mutex_unlock (&self->lock);
  if (sample == NULL)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_STATE,
                   self->pipeline ? "No video has arrived from the far end yet; try again when "
                                    "its picture shows"
                                  : "This call has no video");
      return NULL;
    }
  png = gst_video_convert_sample (sample, caps, SNAPSHOT_TIMEOUT, &convert_error);
  if (png == NULL)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_FAILED, "Could not encode the picture as PNG: %s",
                   convert_error ? convert_error->message : "unknown error");
      return NULL;
    }
  if (gst_video_info_from_caps (&info, gst_sample_get_caps (sample)))
    {
      if (width)
        *width = (guint) GST_VIDEO_INFO_WIDTH (&info);
      if (height)
        *height = (guint) GST_VIDEO_INFO_HEIGHT (&info);
    }
  buffer = gst_sample_get_buffer (png);
  if (!gst_buffer_map (buffer, &map, GST_MAP_READ))
    {
      g_set_error (error, AP_ERROR, AP_ERROR_FAILED, "Could not read the encoded picture");
      return NULL;
    }
  bytes = g_bytes_new (map.data, map.size);
  gst_buffer_unmap (buffer, &map);
  return bytes;
}

/**
 * ap_video_session_get_stats:
 *
 * Returns: (transfer floating): a{sv} with `frames-received`,
 *   `frames-sent`, `keyframes-sent`, `keyframe-requests` (u),
 *   `bitrate-kbps`, `width`, `height` (u) and `loss-percent` (d)
 */
GVariant *
ap_video_session_get_stats (ApVideoSession *self)
{
  GVariantBuilder builder;

  g_return_val_if_fail (AP_IS_VIDEO_SESSION (self), NULL);
  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (
    &builder, "{sv}", "frames-received",
    g_variant_new_uint32 ((guint32) g_atomic_int_get (&self->frames_received)));
  g_variant_builder_add (&builder, "{sv}", "frames-sent",
                         g_variant_new_uint32 ((guint32) g_atomic_int_get (&self->frames_sent)));
  g_variant_builder_add (&builder, "{sv}", "keyframes-sent",
                         g_variant_new_uint32 ((guint32) g_atomic_int_get (&self->keyframes_sent)));
  g_variant_builder_add (
    &builder, "{sv}", "keyframe-requests",
    g_variant_new_uint32 ((guint32) g_atomic_int_get (&self->keyframes_requested)));
  g_variant_builder_add (&builder, "{sv}", "bitrate-kbps",
                         g_variant_new_uint32 (self->bitrate_kbps));
  g_variant_builder_add (&builder, "{sv}", "width", g_variant_new_uint32 (self->width));
  g_variant_builder_add (&builder, "{sv}", "height", g_variant_new_uint32 (self->height));
  g_variant_builder_add (&builder, "{sv}", "loss-percent",
                         g_variant_new_double (self->loss_percent));
  return g_variant_builder_end (&builder);
}

void
ap_video_session_set_call_id (ApVideoSession *self, guint call_id)
{
  g_return_if_fail (AP_IS_VIDEO_SESSION (self));
  self->call_id = call_id;
}

static void
ap_video_session_dispose (GObject *object)
{
  ApVideoSession *self = AP_VIDEO_SESSION (object);

  ap_video_session_close (self);
  g_clear_object (&self->devices);
  G_OBJECT_CLASS (ap_video_session_parent_class)->dispose (object);
}

static void
ap_video_session_finalize (GObject *object)
{
  ApVideoSession *self = AP_VIDEO_SESSION (object);

  g_free (self->remote_host);
  g_mutex_clear (&self->lock);
  g_main_context_unref (self->context);
  G_OBJECT_CLASS (ap_video_session_parent_class)->finalize (object);
}

static void
ap_video_session_class_init (ApVideoSessionClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ap_video_session_dispose;
  G_OBJECT_CLASS (klass)->finalize = ap_video_session_finalize;
}

static void
ap_video_session_init (ApVideoSession *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->ssrc = g_random_int ();
  self->camera_open = TRUE;
  self->bitrate_kbps = AP_VIDEO_BITRATE_KBPS;
  self->width = AP_VIDEO_WIDTH;
  self->height = AP_VIDEO_HEIGHT;
  g_mutex_init (&self->lock);
}

/**
 * ap_video_session_new:
 * @devices: (nullable): where the chosen camera comes from
 *
 * Returns: (transfer full): an unprepared video session; its callbacks run
 * in the caller's thread-default main context
 */
ApVideoSession *
ap_video_session_new (ApDevices *devices)
{
  ApVideoSession *self = g_object_new (AP_TYPE_VIDEO_SESSION, NULL);

  self->devices = devices ? g_object_ref (devices) : NULL;
  return self;
}
