/* ap-video-session-screen.c: a screen or window sent instead of the camera.
 * The source at the head of the send chain is swapped while the pipeline
 * runs: the old one is stopped and removed, the new one linked to the
 * chain's videoconvert (whose videoscale fits it into the call's size, with
 * borders) and started; the encoder is asked for a keyframe so the far
 * end shows the new picture at once. A rebuilt pipeline (new codec) starts
 * with the share. If the capture fails (a shared window closed, the portal
 * session ended), the camera comes back and the owner is told. Main
 * context only. */
#define G_LOG_DOMAIN "Agentphone-media"

#include "ap-video-session-private.h"

#include <gst/video/video.h>

#include "ap-error.h"
#include "ap-screen-capture.h"

static void
update_valve (ApVideoSession *self)
{
  gboolean sends = self->params != NULL && (self->params->direction & AP_MEDIA_DIRECTION_SENDONLY);

  if (self->send_valve != NULL)
    g_object_set (self->send_valve, "drop", !sends || !ap_video_session_sends_picture (self), NULL);
}

/* Takes @source (floating or a reference). */
static gboolean
swap_source (ApVideoSession *self, GstElement *source, GError **error)
{
  g_autoptr (GstElement) convert = gst_bin_get_by_name (GST_BIN (self->pipeline), "input-convert");
  g_autoptr (GstPad) encoder_src = NULL;
  GstElement *old = self->source;

  gst_object_ref_sink (source);
  /* Stopped first, so its thread never pushes into an unlinked pad. */
  gst_element_set_state (old, GST_STATE_NULL);
  gst_element_unlink (old, convert);
  gst_bin_remove (GST_BIN (self->pipeline), old);
  gst_object_set_name (GST_OBJECT (source), "video-input");
  gst_bin_add (GST_BIN (self->pipeline), source);
  self->source = source;
  gst_object_unref (source);
  if (!gst_element_link (source, convert))
    {
      g_set_error (error, AP_ERROR, AP_ERROR_FAILED,
                   "Could not connect the new picture source to the video");
      return FALSE;
    }
  if (!gst_element_sync_state_with_parent (source))
    {
      g_set_error (error, AP_ERROR, AP_ERROR_FAILED, "The new picture source did not start");
      return FALSE;
    }
  gst_bin_recalculate_latency (GST_BIN (self->pipeline));
  update_valve (self);
  encoder_src = gst_element_get_static_pad (self->encoder, "src");
  gst_pad_send_event (encoder_src,
                      gst_video_event_new_upstream_force_key_unit (GST_CLOCK_TIME_NONE, TRUE, 0));
  return TRUE;
}

/* The camera again, in a running pipeline. */
static void
restore_camera (ApVideoSession *self)
{
  g_autoptr (GError) error = NULL;
  GstElement *camera;

  if (self->pipeline == NULL)
    return;
  camera = ap_video_session_make_source (self, &error);
  if (camera == NULL || !swap_source (self, camera, &error))
    g_warning ("The camera did not come back after the screen share: %s", error->message);
}

static void
forget_share (ApVideoSession *self)
{
  g_cancellable_cancel (self->portal_cancellable);
  g_clear_object (&self->portal_cancellable);
  gst_clear_object (&self->portal_source);
  self->screen_id = 0;
  self->screen_ended = NULL;
  self->screen_data = NULL;
}

static void
end_share (ApVideoSession *self, const char *message)
{
  ApScreenEndedFunc ended = self->screen_ended;
  gpointer data = self->screen_data;

  forget_share (self);
  restore_camera (self);
  if (ended != NULL)
    ended (message, data);
}

static void
on_portal_ready (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  GstElement *source = ap_screen_portal_open_finish (result, &error);
  ApVideoSession *self;

  if (source == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = AP_VIDEO_SESSION (user_data);
  g_clear_object (&self->portal_cancellable);
  if (source == NULL)
    {
      end_share (self, error->message);
      return;
    }
  self->portal_source = source;
  if (self->pipeline != NULL && !swap_source (self, gst_object_ref (source), &error))
    end_share (self, error->message);
}

/**
 * ap_video_session_set_screen:
 * @id: a source from ap_screen_capture_list(), or 0 for the camera
 * @ended: (nullable): told when the share ends on its own
 *
 * Sends the source instead of the camera (now, or when the video starts).
 * Through the portal the camera goes on until the person has chosen in
 * the system's dialog. On failure nothing changes.
 */
gboolean
ap_video_session_set_screen (ApVideoSession *self, guint64 id, ApScreenEndedFunc ended,
                             gpointer user_data, GError **error)
{
  g_autoptr (GstElement) source = NULL;

  g_return_val_if_fail (AP_IS_VIDEO_SESSION (self), FALSE);

  if (id == 0)
    {
      if (self->screen_id != 0)
        {
          forget_share (self);
          restore_camera (self);
        }
      return TRUE;
    }
  if (id == AP_SCREEN_SOURCE_PORTAL && ap_screen_capture_uses_portal ())
    {
      if (self->screen_id == id)
        return TRUE;
      forget_share (self);
      restore_camera (self);
      self->portal_cancellable = g_cancellable_new ();
      ap_screen_portal_open_async (self->portal_cancellable, on_portal_ready, self);
    }
  else
    {
      source = ap_screen_capture_make (id, self->call_id, error);
      if (source == NULL)
        return FALSE;
      gst_object_ref_sink (source);
      if (self->pipeline != NULL && !swap_source (self, g_steal_pointer (&source), error))
        {
          forget_share (self);
          restore_camera (self);
          return FALSE;
        }
      forget_share (self);
    }
  self->screen_id = id;
  self->screen_ended = ended;
  self->screen_data = user_data;
  update_valve (self);
  return TRUE;
}

/**
 * ap_video_session_screen_source:
 *
 * For a new pipeline: the capture of the source being shared, or %NULL
 * for the camera (also when the capture cannot be made: the share ends).
 *
 * Returns: (transfer floating) (nullable): the source element
 */
GstElement *
ap_video_session_screen_source (ApVideoSession *self)
{
  g_autoptr (GError) error = NULL;
  GstElement *source;

  if (self->screen_id == 0)
    return NULL;
  if (self->screen_id == AP_SCREEN_SOURCE_PORTAL && ap_screen_capture_uses_portal ())
    return self->portal_source ? gst_object_ref (self->portal_source) : NULL;
  source = ap_screen_capture_make (self->screen_id, self->call_id, &error);
  if (source == NULL)
    {
      ApScreenEndedFunc ended = self->screen_ended;
      gpointer data = self->screen_data;

      forget_share (self);
      if (ended != NULL)
        ended (error->message, data);
    }
  return source;
}

/** ap_video_session_sends_picture: the camera is open, or a screen is shared */
gboolean
ap_video_session_sends_picture (ApVideoSession *self)
{
  return self->camera_open || self->screen_id != 0;
}

/**
 * ap_video_session_screen_check_error:
 *
 * From the bus watch: if the failing @element is the shared source's, the
 * share ends and the camera comes back. Returns whether it was.
 */
gboolean
ap_video_session_screen_check_error (ApVideoSession *self, GstObject *element, const char *message)
{
  if (self->screen_id == 0 || self->source == NULL
      || (element != GST_OBJECT (self->source)
          && !gst_object_has_as_ancestor (element, GST_OBJECT (self->source))))
    return FALSE;
  end_share (self, message);
  return TRUE;
}

/** ap_video_session_screen_clear: the session closes; no more callbacks */
void
ap_video_session_screen_clear (ApVideoSession *self)
{
  forget_share (self);
}
