/* ap-video-session-local.c: what the call sends, for the window's camera
 * picture during a call (the preview pipeline only runs outside calls, and
 * a camera opens once). A probe after the send caps (so it shows the
 * camera or whatever replaced it) scales the frames to half size in BGRA,
 * keeps the newest, and hands it to the hook in the main context. Costs
 * nothing while no hook is set. */
#define G_LOG_DOMAIN "Agentphone-media"

#include "ap-video-session-private.h"

#include <gst/video/video.h>

typedef struct {
  GMutex lock;
  ApVideoFrameFunc func;
  gpointer data;
  GstVideoInfo in_info;
  GstVideoInfo out_info;
  GstVideoConverter *converter; /* streaming thread only */
  GBytes *pending;              /* the newest frame, not yet delivered */
  gboolean idle_queued;
} ApVideoLocal;

#define LOCAL_KEY "ap-video-local"

static void
local_free (gpointer data)
{
  ApVideoLocal *local = data;

  g_clear_pointer (&local->converter, gst_video_converter_free);
  g_clear_pointer (&local->pending, g_bytes_unref);
  g_mutex_clear (&local->lock);
  g_free (local);
}

static ApVideoLocal *
get_local (ApVideoSession *self)
{
  ApVideoLocal *local = g_object_get_data (G_OBJECT (self), LOCAL_KEY);

  if (local == NULL)
    {
      local = g_new0 (ApVideoLocal, 1);
      g_mutex_init (&local->lock);
      g_object_set_data_full (G_OBJECT (self), LOCAL_KEY, local, local_free);
    }
  return local;
}

/* Main context. */
static gboolean
deliver (gpointer data)
{
  ApVideoSession *self = data;
  ApVideoLocal *local = get_local (self);
  g_autoptr (GBytes) bytes = NULL;
  ApVideoFrameFunc func;
  gpointer func_data;
  guint width, height, stride;

  g_mutex_lock (&local->lock);
  bytes = g_steal_pointer (&local->pending);
  local->idle_queued = FALSE;
  func = local->func;
  func_data = local->data;
  width = GST_VIDEO_INFO_WIDTH (&local->out_info);
  height = GST_VIDEO_INFO_HEIGHT (&local->out_info);
  stride = GST_VIDEO_INFO_PLANE_STRIDE (&local->out_info, 0);
  g_mutex_unlock (&local->lock);
  if (bytes != NULL && func != NULL)
    func (bytes, width, height, stride, func_data);
  return G_SOURCE_REMOVE;
}

/* Streaming thread: @info's frame to half size BGRA (under the lock). */
static GBytes *
convert (ApVideoLocal *local, const GstVideoInfo *info, GstBuffer *buffer)
{
  GstVideoFrame in_frame, out_frame;
  GstBuffer *out;
  GBytes *bytes = NULL;
  GstMapInfo map;

  if (local->converter == NULL || !gst_video_info_is_equal (info, &local->in_info))
    {
      g_clear_pointer (&local->converter, gst_video_converter_free);
      local->in_info = *info;
      gst_video_info_set_format (&local->out_info, GST_VIDEO_FORMAT_BGRA,
                                 MAX (GST_VIDEO_INFO_WIDTH (info) / 2, 1),
                                 MAX (GST_VIDEO_INFO_HEIGHT (info) / 2, 1));
      /* The converter scales; it does not change the rate or pixel shape. */
      GST_VIDEO_INFO_FPS_N (&local->out_info) = GST_VIDEO_INFO_FPS_N (info);
      GST_VIDEO_INFO_FPS_D (&local->out_info) = GST_VIDEO_INFO_FPS_D (info);
      GST_VIDEO_INFO_PAR_N (&local->out_info) = GST_VIDEO_INFO_PAR_N (info);
      GST_VIDEO_INFO_PAR_D (&local->out_info) = GST_VIDEO_INFO_PAR_D (info);
      local->converter = gst_video_converter_new (&local->in_info, &local->out_info, NULL);
    }
  out = gst_buffer_new_allocate (NULL, GST_VIDEO_INFO_SIZE (&local->out_info), NULL);
  if (gst_video_frame_map (&in_frame, &local->in_info, buffer, GST_MAP_READ))
    {
      if (gst_video_frame_map (&out_frame, &local->out_info, out, GST_MAP_WRITE))
        {
          gst_video_converter_frame (local->converter, &in_frame, &out_frame);
          gst_video_frame_unmap (&out_frame);
          if (gst_buffer_map (out, &map, GST_MAP_READ))
            {
              bytes = g_bytes_new (map.data, map.size);
              gst_buffer_unmap (out, &map);
            }
        }
      gst_video_frame_unmap (&in_frame);
    }
  gst_buffer_unref (out);
  return bytes;
}

static GstPadProbeReturn
on_sent_frame (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  ApVideoSession *self = user_data;
  ApVideoLocal *local = get_local (self);
  g_autoptr (GstCaps) caps = NULL;
  GstVideoInfo video_info;
  GBytes *bytes;
  gboolean queue;

  /* Racy reads are fine here: at worst one frame more or less. A closed
   * camera sends nothing, so the window shows nothing of it either. */
  if (local->func == NULL || !self->camera_open)
    return GST_PAD_PROBE_OK;
  caps = gst_pad_get_current_caps (pad);
  if (caps == NULL || !gst_video_info_from_caps (&video_info, caps))
    return GST_PAD_PROBE_OK;
  g_mutex_lock (&local->lock);
  bytes = convert (local, &video_info, GST_PAD_PROBE_INFO_BUFFER (info));
  if (bytes != NULL)
    {
      g_clear_pointer (&local->pending, g_bytes_unref);
      local->pending = bytes;
    }
  queue = bytes != NULL && !local->idle_queued;
  local->idle_queued |= queue;
  g_mutex_unlock (&local->lock);
  if (queue)
    {
      GSource *source = g_idle_source_new ();

      g_source_set_callback (source, deliver, g_object_ref (self), g_object_unref);
      g_source_set_static_name (source, "[agentphone] sent video frame");
      g_source_attach (source, self->context);
      g_source_unref (source);
    }
  return GST_PAD_PROBE_OK;
}

/** ap_video_session_local_attach: watch what a newly built pipeline sends */
void
ap_video_session_local_attach (ApVideoSession *self)
{
  g_autoptr (GstPad) pad = NULL;

  if (self->send_caps == NULL)
    return;
  get_local (self);
  pad = gst_element_get_static_pad (self->send_caps, "src");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, on_sent_frame, self, NULL);
}

/**
 * ap_video_session_set_local_frame_func:
 * @func: (nullable): called with the newest frame sent (half size, BGRA)
 *
 * The hook a window shows the agent's own picture through during a call.
 */
void
ap_video_session_set_local_frame_func (ApVideoSession *self, ApVideoFrameFunc func,
                                       gpointer user_data)
{
  ApVideoLocal *local;

  g_return_if_fail (AP_IS_VIDEO_SESSION (self));
  local = get_local (self);
  g_mutex_lock (&local->lock);
  local->func = func;
  local->data = user_data;
  g_mutex_unlock (&local->lock);
}
