/* ap-video-session-clip.c: RecordClip: the next n seconds of the remote
 * video as a WebM (VP8) or Matroska (H.264) file, kept in memory.
 *
 * The encoded frames are copied as they leave the depayloader (no second
 * encoding), from a keyframe on: we ask the far end for one (PLI) so the
 * clip starts at once. When n seconds are in, a small pipeline muxes them
 * (appsrc → [h264parse] → webmmux/matroskamux → a temporary file, seekable
 * so the duration is written) and the file's bytes are the result. Every
 * step is bounded: a far end that sends nothing fails the clip. */
#define G_LOG_DOMAIN "Agentphone-media"

#include "ap-video-session-private.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <gst/app/gstappsrc.h>
#include <gst/video/video.h>
#include <unistd.h>

#include "ap-error.h"

#define EXTRA_WAIT_S 5 /* for the first keyframe, on top of the clip's length */
#define MUX_TIMEOUT_S 10

struct _ApVideoClip {
  GTask *task;
  GstClockTime length;
  GPtrArray *buffers; /* GstBuffer, from the first keyframe on */
  GstClockTime first_pts;
  GstCaps *caps; /* the encoded frames' caps */
  gboolean full;
  GSource *timeout;
  /* Muxing. */
  GstElement *mux_pipeline;
  char *path;
  GSource *mux_timeout;
};

static void
clip_free (ApVideoClip *clip)
{
  if (clip->timeout != NULL)
    g_source_destroy (clip->timeout);
  g_clear_pointer (&clip->timeout, g_source_unref);
  if (clip->mux_timeout != NULL)
    g_source_destroy (clip->mux_timeout);
  g_clear_pointer (&clip->mux_timeout, g_source_unref);
  if (clip->mux_pipeline != NULL)
    {
      g_autoptr (GstBus) bus = gst_pipeline_get_bus (GST_PIPELINE (clip->mux_pipeline));

      gst_bus_remove_watch (bus);
      gst_element_set_state (clip->mux_pipeline, GST_STATE_NULL);
      gst_object_unref (clip->mux_pipeline);
    }
  if (clip->path != NULL)
    g_unlink (clip->path);
  g_free (clip->path);
  g_ptr_array_unref (clip->buffers);
  gst_clear_caps (&clip->caps);
  g_clear_object (&clip->task);
  g_free (clip);
}

/* Takes the clip from the session (main context): it is ours to finish. */
static ApVideoClip *
take_clip (ApVideoSession *self)
{
  ApVideoClip *clip;

  g_mutex_lock (&self->lock);
  clip = g_steal_pointer (&self->clip);
  g_mutex_unlock (&self->lock);
  return clip;
}

static void
fail (ApVideoClip *clip, GError *error)
{
  g_task_return_error (clip->task, error);
  clip_free (clip);
}

static void
finish_with_file (ApVideoClip *clip)
{
  g_autoptr (GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (clip->path, &contents, &length, &error))
    {
      fail (clip, g_error_new (AP_ERROR, AP_ERROR_FAILED, "Could not read the clip back: %s",
                               error->message));
      return;
    }
  g_debug ("Clip: %u frames, %" G_GSIZE_FORMAT " bytes", clip->buffers->len, length);
  g_task_return_pointer (clip->task, g_bytes_new_take (contents, length),
                         (GDestroyNotify) g_bytes_unref);
  clip_free (clip);
}

static gboolean
on_mux_message (GstBus *bus, GstMessage *message, gpointer user_data)
{
  ApVideoClip *clip = user_data;
  g_autoptr (GError) error = NULL;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_EOS:
      gst_element_set_state (clip->mux_pipeline, GST_STATE_NULL);
      finish_with_file (clip);
      return G_SOURCE_REMOVE;
    case GST_MESSAGE_ERROR:
      gst_message_parse_error (message, &error, NULL);
      fail (clip, g_error_new (AP_ERROR, AP_ERROR_FAILED, "Could not write the clip: %s",
                               error->message));
      return G_SOURCE_REMOVE;
    default:
      return G_SOURCE_CONTINUE;
    }
}

static gboolean
on_mux_timeout (gpointer user_data)
{
  ApVideoClip *clip = user_data;

  g_clear_pointer (&clip->mux_timeout, g_source_unref);
  fail (clip, g_error_new (AP_ERROR, AP_ERROR_FAILED, "Writing the clip took more than %d s",
                           MUX_TIMEOUT_S));
  return G_SOURCE_REMOVE;
}

static gboolean
start_mux (ApVideoClip *clip, GError **error)
{
  gboolean h264 = g_str_has_prefix (gst_structure_get_name (gst_caps_get_structure (clip->caps, 0)),
                                    "video/x-h264");
  g_autofree char *description = NULL;
  g_autoptr (GstElement) source = NULL;
  g_autoptr (GstBus) bus = NULL;
  int fd;

  fd = g_file_open_tmp ("agentphone-clip-XXXXXX.mkv", &clip->path, error);
  if (fd < 0)
    return FALSE;
  close (fd);
  description = g_strdup_printf ("appsrc name=frames format=time ! %s ! filesink location=\"%s\"",
                                 h264 ? "h264parse ! matroskamux" : "webmmux", clip->path);
  clip->mux_pipeline = gst_parse_launch (description, error);
  if (clip->mux_pipeline == NULL)
    return FALSE;
  gst_object_ref_sink (clip->mux_pipeline);
  source = gst_bin_get_by_name (GST_BIN (clip->mux_pipeline), "frames");
  g_object_set (source, "caps", clip->caps, NULL);
  bus = gst_pipeline_get_bus (GST_PIPELINE (clip->mux_pipeline));
  gst_bus_add_watch (bus, on_mux_message, clip);
  if (gst_element_set_state (clip->mux_pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_FAILED, "The clip writer could not start");
      return FALSE;
    }
  for (guint i = 0; i < clip->buffers->len; i++)
    {
      GstBuffer *buffer = gst_buffer_copy (g_ptr_array_index (clip->buffers, i));

      GST_BUFFER_PTS (buffer) -= clip->first_pts;
      GST_BUFFER_DTS (buffer) = GST_BUFFER_PTS (buffer);
      gst_app_src_push_buffer (GST_APP_SRC (source), buffer);
    }
  gst_app_src_end_of_stream (GST_APP_SRC (source));
  clip->mux_timeout = g_timeout_source_new_seconds (MUX_TIMEOUT_S);
  g_source_set_callback (clip->mux_timeout, on_mux_timeout, clip, NULL);
  g_source_attach (clip->mux_timeout, g_main_context_get_thread_default ());
  return TRUE;
}

/* Main context: the clip is full, or its time is up. */
static gboolean
on_clip_done (gpointer user_data)
{
  ApVideoSession *self = user_data;
  ApVideoClip *clip = take_clip (self);
  GError *error = NULL;

  if (clip == NULL)
    return G_SOURCE_REMOVE;
  if (clip->timeout != NULL)
    g_source_destroy (clip->timeout);
  g_clear_pointer (&clip->timeout, g_source_unref);
  if (clip->buffers->len == 0 || clip->caps == NULL)
    {
      fail (clip, g_error_new (AP_ERROR, AP_ERROR_FAILED,
                               "No video arrived from the far end to make a clip of"));
      return G_SOURCE_REMOVE;
    }
  if (!start_mux (clip, &error))
    fail (clip, error);
  return G_SOURCE_REMOVE;
}

/* The encoded frames' caps, with the picture's size from the decoded
 * frames (the muxers want it; the VP8 depayloader does not give it). */
static GstCaps *
clip_caps (ApVideoSession *self, GstPad *pad)
{
  GstCaps *caps = gst_pad_get_current_caps (pad);
  GstVideoInfo info;

  if (caps == NULL)
    return NULL;
  caps = gst_caps_make_writable (caps);
  if (self->last_sample != NULL
      && gst_video_info_from_caps (&info, gst_sample_get_caps (self->last_sample)))
    gst_caps_set_simple (caps, "width", G_TYPE_INT, GST_VIDEO_INFO_WIDTH (&info), "height",
                         G_TYPE_INT, GST_VIDEO_INFO_HEIGHT (&info), NULL);
  return caps;
}

/**
 * ap_video_session_clip_buffer:
 *
 * Streaming thread: one encoded remote frame, for a clip in progress.
 */
void
ap_video_session_clip_buffer (ApVideoSession *self, GstBuffer *buffer)
{
  ApVideoClip *clip;
  gboolean done = FALSE;

  g_mutex_lock (&self->lock);
  clip = self->clip;
  if (clip != NULL && !clip->full && GST_BUFFER_PTS_IS_VALID (buffer))
    {
      if (clip->buffers->len == 0 && !GST_BUFFER_FLAG_IS_SET (buffer, GST_BUFFER_FLAG_DELTA_UNIT)
          && self->depay_src != NULL)
        {
          clip->first_pts = GST_BUFFER_PTS (buffer);
          clip->caps = clip_caps (self, self->depay_src);
        }
      if (clip->caps != NULL && GST_BUFFER_PTS (buffer) >= clip->first_pts)
        {
          if (GST_BUFFER_PTS (buffer) - clip->first_pts >= clip->length)
            done = clip->full = TRUE;
          else
            g_ptr_array_add (clip->buffers, gst_buffer_ref (buffer));
        }
    }
  g_mutex_unlock (&self->lock);
  if (done)
    {
      GSource *source = g_idle_source_new ();

      g_source_set_callback (source, on_clip_done, g_object_ref (self), g_object_unref);
      g_source_attach (source, self->context);
      g_source_unref (source);
    }
}

/**
 * ap_video_session_clip_cancel:
 *
 * Main context: fails a clip in progress (the video stopped).
 */
void
ap_video_session_clip_cancel (ApVideoSession *self, const char *why)
{
  ApVideoClip *clip = take_clip (self);

  if (clip != NULL)
    fail (clip,
          g_error_new (AP_ERROR, AP_ERROR_INVALID_STATE, "%s before the clip was complete", why));
}

static gboolean
on_clip_timeout (gpointer user_data)
{
  return on_clip_done (user_data);
}

/**
 * ap_video_session_record_clip_async:
 * @seconds: 1 to 10
 *
 * Records the next @seconds of the remote video; see the file's comment.
 */
void
ap_video_session_record_clip_async (ApVideoSession *self, guint seconds, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  ApVideoClip *clip;

  g_return_if_fail (AP_IS_VIDEO_SESSION (self));
  g_task_set_source_tag (task, ap_video_session_record_clip_async);
  if (seconds < 1 || seconds > 10)
    {
      g_task_return_new_error (task, AP_ERROR, AP_ERROR_INVALID_ARGUMENT,
                               "A clip lasts 1 to 10 seconds, not %u", seconds);
      return;
    }
  if (self->pipeline == NULL)
    {
      g_task_return_new_error (task, AP_ERROR, AP_ERROR_INVALID_STATE, "This call has no video");
      return;
    }
  if (self->clip != NULL)
    {
      g_task_return_new_error (task, AP_ERROR, AP_ERROR_INVALID_STATE,
                               "A clip is already being recorded; wait for it to finish");
      return;
    }
  clip = g_new0 (ApVideoClip, 1);
  clip->task = g_steal_pointer (&task);
  clip->length = seconds * GST_SECOND;
  clip->buffers = g_ptr_array_new_with_free_func ((GDestroyNotify) gst_buffer_unref);
  clip->timeout = g_timeout_source_new_seconds (seconds + EXTRA_WAIT_S);
  g_source_set_callback (clip->timeout, on_clip_timeout, g_object_ref (self), g_object_unref);
  g_source_attach (clip->timeout, self->context);
  g_mutex_lock (&self->lock);
  self->clip = clip;
  g_mutex_unlock (&self->lock);
  ap_video_session_request_keyframe (self);
}

/**
 * ap_video_session_record_clip_finish:
 *
 * Returns: (transfer full): the clip file's bytes (WebM or Matroska)
 */
GBytes *
ap_video_session_record_clip_finish (ApVideoSession *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
