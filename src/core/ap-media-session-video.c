/* ap-media-session-video.c: the optional video methods of ApMediaSession. */
#include "ap-media-session-video.h"

#include <glib/gi18n.h>

#include "ap-error.h"

static gboolean
no_video (GError **error)
{
  g_set_error (error, AP_ERROR, AP_ERROR_NOT_SUPPORTED, _ ("This call's media has no video"));
  return FALSE;
}

/** ap_media_session_prepare_video: binds the video sockets; returns the RTP port, or 0 */
guint
ap_media_session_prepare_video (ApMediaSession *self, const char *local_address, GError **error)
{
  ApMediaSessionInterface *iface;

  g_return_val_if_fail (AP_IS_MEDIA_SESSION (self), 0);
  iface = AP_MEDIA_SESSION_GET_IFACE (self);
  if (iface->prepare_video == NULL)
    return no_video (error);
  return iface->prepare_video (self, local_address, error);
}

/**
 * ap_media_session_snapshot:
 *
 * Returns: (transfer full): the remote video's newest frame as PNG, at the
 *   size it was received
 */
GBytes *
ap_media_session_snapshot (ApMediaSession *self, guint *width, guint *height, GError **error)
{
  ApMediaSessionInterface *iface;

  g_return_val_if_fail (AP_IS_MEDIA_SESSION (self), NULL);
  iface = AP_MEDIA_SESSION_GET_IFACE (self);
  if (iface->snapshot == NULL)
    {
      no_video (error);
      return NULL;
    }
  return iface->snapshot (self, width, height, error);
}

/** ap_media_session_record_clip_async: the next @seconds (1–10) of remote video */
void
ap_media_session_record_clip_async (ApMediaSession *self, guint seconds, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data)
{
  ApMediaSessionInterface *iface;

  g_return_if_fail (AP_IS_MEDIA_SESSION (self));
  iface = AP_MEDIA_SESSION_GET_IFACE (self);
  if (iface->record_clip_async == NULL)
    {
      g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

      g_task_return_new_error (task, AP_ERROR, AP_ERROR_NOT_SUPPORTED, "%s",
                               _ ("This call's media has no video"));
      return;
    }
  iface->record_clip_async (self, seconds, cancellable, callback, user_data);
}

/** ap_media_session_record_clip_finish: (transfer full): the clip (WebM or Matroska) */
GBytes *
ap_media_session_record_clip_finish (ApMediaSession *self, GAsyncResult *result, GError **error)
{
  ApMediaSessionInterface *iface;

  g_return_val_if_fail (AP_IS_MEDIA_SESSION (self), NULL);
  iface = AP_MEDIA_SESSION_GET_IFACE (self);
  if (iface->record_clip_finish == NULL || !iface->record_clip_async)
    return g_task_propagate_pointer (G_TASK (result), error);
  return iface->record_clip_finish (self, result, error);
}

/** ap_media_session_set_camera: send the camera's picture, or stop sending it */
void
ap_media_session_set_camera (ApMediaSession *self, gboolean open)
{
  g_return_if_fail (AP_IS_MEDIA_SESSION (self));
  if (AP_MEDIA_SESSION_GET_IFACE (self)->set_camera != NULL)
    AP_MEDIA_SESSION_GET_IFACE (self)->set_camera (self, open);
}

/** ap_media_session_set_frame_func: (nullable) @func: where decoded remote frames go */
void
ap_media_session_set_frame_func (ApMediaSession *self, ApVideoFrameFunc func, gpointer user_data)
{
  g_return_if_fail (AP_IS_MEDIA_SESSION (self));
  if (AP_MEDIA_SESSION_GET_IFACE (self)->set_frame_func != NULL)
    AP_MEDIA_SESSION_GET_IFACE (self)->set_frame_func (self, func, user_data);
}

/** ap_media_session_set_local_frame_func: (nullable) @func: where the frames sent go */
void
ap_media_session_set_local_frame_func (ApMediaSession *self, ApVideoFrameFunc func,
                                       gpointer user_data)
{
  g_return_if_fail (AP_IS_MEDIA_SESSION (self));
  if (AP_MEDIA_SESSION_GET_IFACE (self)->set_local_frame_func != NULL)
    AP_MEDIA_SESSION_GET_IFACE (self)->set_local_frame_func (self, func, user_data);
}

/** ap_media_session_get_video_stats: (transfer floating) (nullable): a{sv} video counters */
GVariant *
ap_media_session_get_video_stats (ApMediaSession *self)
{
  g_return_val_if_fail (AP_IS_MEDIA_SESSION (self), NULL);
  if (AP_MEDIA_SESSION_GET_IFACE (self)->get_video_stats == NULL)
    return NULL;
  return AP_MEDIA_SESSION_GET_IFACE (self)->get_video_stats (self);
}

/** ap_media_factory_open_preview: the camera outside a call, frames to @func */
gboolean
ap_media_factory_open_preview (ApMediaFactory *self, ApVideoFrameFunc func, gpointer user_data,
                               GError **error)
{
  g_return_val_if_fail (AP_IS_MEDIA_FACTORY (self), FALSE);
  if (AP_MEDIA_FACTORY_GET_IFACE (self)->open_preview == NULL)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_NOT_SUPPORTED, _ ("This media engine has no camera"));
      return FALSE;
    }
  return AP_MEDIA_FACTORY_GET_IFACE (self)->open_preview (self, func, user_data, error);
}

/** ap_media_factory_close_preview: stops the camera preview, if any */
void
ap_media_factory_close_preview (ApMediaFactory *self)
{
  g_return_if_fail (AP_IS_MEDIA_FACTORY (self));
  if (AP_MEDIA_FACTORY_GET_IFACE (self)->close_preview != NULL)
    AP_MEDIA_FACTORY_GET_IFACE (self)->close_preview (self);
}
