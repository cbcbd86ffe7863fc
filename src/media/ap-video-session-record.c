/* ap-video-session-record.c: the remote video's decoded frames, handed to
 * a recording (ap-recorder-video.c). The hook belongs to the session, not
 * to its pipeline, so it lives through a new pipeline (a codec change) and
 * through spans without video. */
#define G_LOG_DOMAIN "Agentphone-media"

#include "ap-video-session-private.h"

/**
 * ap_video_session_set_record_func:
 * @func: (nullable): called with each decoded remote frame; %NULL: none
 *
 * When this returns, @func with its previous data is no longer running
 * nor will it be called again: the caller may free that data.
 */
void
ap_video_session_set_record_func (ApVideoSession *self, ApVideoRecordFunc func, gpointer user_data)
{
  g_return_if_fail (AP_IS_VIDEO_SESSION (self));

  g_mutex_lock (&self->lock);
  self->record_func = func;
  self->record_data = user_data;
  g_mutex_unlock (&self->lock);
}

/**
 * ap_video_session_record_end:
 *
 * Main context: the video stopped (its pipeline is gone).
 */
void
ap_video_session_record_end (ApVideoSession *self)
{
  g_mutex_lock (&self->lock);
  if (self->record_func != NULL)
    self->record_func (NULL, NULL, self->record_data);
  g_mutex_unlock (&self->lock);
}

/**
 * ap_video_session_record_frame:
 *
 * Streaming thread: one decoded frame leaving @pad.
 */
void
ap_video_session_record_frame (ApVideoSession *self, GstPad *pad, GstBuffer *buffer)
{
  g_autoptr (GstCaps) caps = NULL;

  g_mutex_lock (&self->lock);
  if (self->record_func != NULL && (caps = gst_pad_get_current_caps (pad)) != NULL)
    self->record_func (buffer, caps, self->record_data);
  g_mutex_unlock (&self->lock);
}
