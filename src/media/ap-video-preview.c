/* ap-video-preview.c: the camera outside a call (Video.OpenCamera), its
 * frames as BGRA to a callback in the main context, newest only: the same
 * source as a call's (AGENTPHONE_VIDEO_INPUT, else the chosen camera), at
 * the size a call sends. */
#define G_LOG_DOMAIN "Agentphone-media"

#include "ap-video-preview.h"

#include <gst/app/gstappsink.h>
#include <gst/video/video.h>

#include "ap-error.h"
#include "ap-media-override.h"

struct _ApVideoPreview {
  GstElement *pipeline;
  GMainContext *context;
  ApVideoFrameFunc func;
  gpointer user_data;
  GMutex lock;
  GstSample *sample; /* newest, not yet delivered */
  GSource *idle;
};

static gboolean
deliver (gpointer data)
{
  ApVideoPreview *self = data;
  g_autoptr (GstSample) sample = NULL;
  GstVideoInfo info;
  GstMapInfo map;
  GstBuffer *buffer;

  g_mutex_lock (&self->lock);
  sample = g_steal_pointer (&self->sample);
  g_clear_pointer (&self->idle, g_source_unref);
  g_mutex_unlock (&self->lock);
  if (sample == NULL || !gst_video_info_from_caps (&info, gst_sample_get_caps (sample)))
    return G_SOURCE_REMOVE;
  buffer = gst_sample_get_buffer (sample);
  if (gst_buffer_map (buffer, &map, GST_MAP_READ))
    {
      g_autoptr (GBytes) bytes = g_bytes_new (map.data, map.size);

      gst_buffer_unmap (buffer, &map);
      self->func (bytes, (guint) GST_VIDEO_INFO_WIDTH (&info),
                  (guint) GST_VIDEO_INFO_HEIGHT (&info),
                  (guint) GST_VIDEO_INFO_PLANE_STRIDE (&info, 0), self->user_data);
    }
  return G_SOURCE_REMOVE;
}

/* Streaming thread. */
static GstFlowReturn
on_new_sample (GstAppSink *sink, gpointer data)
{
  ApVideoPreview *self = data;
  GstSample *sample = gst_app_sink_pull_sample (sink);

  if (sample == NULL)
    return GST_FLOW_OK;
  g_mutex_lock (&self->lock);
  if (self->sample != NULL)
    gst_sample_unref (self->sample);
  self->sample = sample;
  if (self->idle == NULL)
    {
      self->idle = g_idle_source_new ();
      g_source_set_callback (self->idle, deliver, self, NULL);
      g_source_set_static_name (self->idle, "[agentphone] camera preview");
      g_source_attach (self->idle, self->context);
    }
  g_mutex_unlock (&self->lock);
  return GST_FLOW_OK;
}

static GstElement *
make_source (ApDevices *devices, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  GstElement *source = ap_media_override_make ("AGENTPHONE_VIDEO_INPUT", &local_error);

  if (local_error == NULL && source == NULL && devices != NULL)
    source = ap_devices_make_element (devices, AP_DEVICE_KIND_CAMERA, &local_error);
  if (local_error == NULL && source == NULL)
    source = gst_element_factory_make ("autovideosrc", NULL);
  if (local_error != NULL)
    {
      if (source != NULL)
        gst_object_unref (gst_object_ref_sink (source));
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (source == NULL)
    g_set_error (error, AP_ERROR, AP_ERROR_NO_SUCH_DEVICE, "No camera is available");
  return source;
}

/**
 * ap_video_preview_start:
 * @devices: (nullable): where the chosen camera comes from
 *
 * Returns: (transfer full): the running preview, or %NULL with @error set
 */
ApVideoPreview *
ap_video_preview_start (ApDevices *devices, ApVideoFrameFunc func, gpointer user_data,
                        GError **error)
{
  g_autoptr (GstElement) pipeline = gst_object_ref_sink (gst_pipeline_new ("camera-preview"));
  g_autoptr (GstElement) sink = NULL;
  GstAppSinkCallbacks callbacks = { .new_sample = on_new_sample };
  GstElement *source, *rest;
  ApVideoPreview *self;

  source = make_source (devices, error);
  if (source == NULL)
    return NULL;
  rest = gst_parse_bin_from_description (
    "videoconvert ! videoscale ! video/x-raw,format=BGRA,width=640,height=480,"
    "pixel-aspect-ratio=1/1 ! appsink name=frames sync=false max-buffers=1 drop=true",
    TRUE, error);
  if (rest == NULL)
    {
      gst_object_unref (gst_object_ref_sink (source));
      return NULL;
    }
  gst_bin_add_many (GST_BIN (pipeline), source, rest, NULL);
  if (!gst_element_link (source, rest))
    {
      g_set_error (error, AP_ERROR, AP_ERROR_FAILED, "The camera gives no picture we can show");
      return NULL;
    }
  self = g_new0 (ApVideoPreview, 1);
  self->context = g_main_context_ref_thread_default ();
  self->func = func;
  self->user_data = user_data;
  g_mutex_init (&self->lock);
  sink = gst_bin_get_by_name (GST_BIN (rest), "frames");
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, self, NULL);
  self->pipeline = g_steal_pointer (&pipeline);
  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_FAILED,
                   "The camera could not start (is it in use by another program?)");
      ap_video_preview_stop (self);
      return NULL;
    }
  g_debug ("Camera preview started");
  return self;
}

/** ap_video_preview_stop: stops and frees @preview; no frame is delivered after */
void
ap_video_preview_stop (ApVideoPreview *self)
{
  if (self == NULL)
    return;
  gst_element_set_state (self->pipeline, GST_STATE_NULL);
  gst_object_unref (self->pipeline);
  if (self->idle != NULL)
    g_source_destroy (self->idle);
  g_clear_pointer (&self->idle, g_source_unref);
  if (self->sample != NULL)
    gst_sample_unref (self->sample);
  g_mutex_clear (&self->lock);
  g_main_context_unref (self->context);
  g_free (self);
}
