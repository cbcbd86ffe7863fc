/* ap-audio-session-video.c: a call's video rides beside its audio. The
 * audio session (the call's ApMediaSession) owns an ApVideoSession, binds
 * its sockets when asked for a video port, runs it whenever the params
 * carry video and stops it when they do not. Video trouble is logged and
 * leaves the audio alone. */
#define G_LOG_DOMAIN "Agentphone-media"

#include "ap-audio-session-private.h"

#include "ap-error.h"
#include "ap-video-session.h"

static guint
prepare_video (ApMediaSession *session, const char *local_address, GError **error)
{
  ApAudioSession *self = AP_AUDIO_SESSION (session);

  if (self->echo_delay_ms > 0)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_NOT_SUPPORTED, "An echo test has no video");
      return 0;
    }
  if (self->video == NULL)
    {
      self->video = ap_video_session_new (self->devices);
      ap_video_session_set_call_id (self->video, self->call_id);
      ap_video_session_set_camera (self->video, self->camera_open);
    }
  return ap_video_session_prepare (self->video, local_address, error);
}

static GBytes *
snapshot (ApMediaSession *session, guint *width, guint *height, GError **error)
{
  ApAudioSession *self = AP_AUDIO_SESSION (session);

  if (self->video == NULL || !ap_video_session_is_running (self->video))
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_STATE, "This call has no video");
      return NULL;
    }
  return ap_video_session_snapshot (self->video, width, height, error);
}

static void
on_clip_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;
  GBytes *clip = ap_video_session_record_clip_finish (AP_VIDEO_SESSION (source), result, &error);

  if (clip == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, clip, (GDestroyNotify) g_bytes_unref);
}

static void
record_clip_async (ApMediaSession *session, guint seconds, GCancellable *cancellable,
                   GAsyncReadyCallback callback, gpointer user_data)
{
  ApAudioSession *self = AP_AUDIO_SESSION (session);
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  if (self->video == NULL)
    {
      g_task_return_new_error (task, AP_ERROR, AP_ERROR_INVALID_STATE, "This call has no video");
      return;
    }
  ap_video_session_record_clip_async (self->video, seconds, cancellable, on_clip_done,
                                      g_steal_pointer (&task));
}

static GBytes *
record_clip_finish (ApMediaSession *session, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
set_camera (ApMediaSession *session, gboolean open)
{
  ApAudioSession *self = AP_AUDIO_SESSION (session);

  self->camera_open = !!open;
  if (self->video != NULL)
    ap_video_session_set_camera (self->video, open);
}

static void
set_frame_func (ApMediaSession *session, ApVideoFrameFunc func, gpointer user_data)
{
  ApAudioSession *self = AP_AUDIO_SESSION (session);

  if (self->video != NULL)
    ap_video_session_set_frame_func (self->video, func, user_data);
}

static void
set_local_frame_func (ApMediaSession *session, ApVideoFrameFunc func, gpointer user_data)
{
  ApAudioSession *self = AP_AUDIO_SESSION (session);

  if (self->video != NULL)
    ap_video_session_set_local_frame_func (self->video, func, user_data);
}

static GVariant *
get_video_stats (ApMediaSession *session)
{
  ApAudioSession *self = AP_AUDIO_SESSION (session);

  if (self->video == NULL || !ap_video_session_is_running (self->video))
    return NULL;
  return ap_video_session_get_stats (self->video);
}

static gboolean
set_screen_source (ApMediaSession *session, guint64 id, ApScreenEndedFunc ended, gpointer user_data,
                   GError **error)
{
  ApAudioSession *self = AP_AUDIO_SESSION (session);

  if (self->video == NULL)
    {
      if (id == 0)
        return TRUE;
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_STATE, "This call has no video to share in");
      return FALSE;
    }
  return ap_video_session_set_screen (self->video, id, ended, user_data, error);
}

void
ap_audio_session_video_iface_init (ApMediaSessionInterface *iface)
{
  iface->set_screen_source = set_screen_source;
  iface->prepare_video = prepare_video;
  iface->snapshot = snapshot;
  iface->record_clip_async = record_clip_async;
  iface->record_clip_finish = record_clip_finish;
  iface->set_camera = set_camera;
  iface->set_frame_func = set_frame_func;
  iface->set_local_frame_func = set_local_frame_func;
  iface->get_video_stats = get_video_stats;
}

/**
 * ap_audio_session_video_apply:
 *
 * After the audio took new params: run the video they carry, or stop it.
 */
void
ap_audio_session_video_apply (ApAudioSession *self, const ApMediaParams *params)
{
  g_autoptr (GError) error = NULL;

  if (self->video == NULL)
    return;
  if (params->video == NULL)
    {
      ap_video_session_stop (self->video);
      return;
    }
  ap_video_session_set_call_id (self->video, self->call_id);
  if (!ap_video_session_start (self->video, params->video, &error))
    g_warning ("The call goes on without video: %s", error->message);
}

/**
 * ap_audio_session_video_add_stats:
 *
 * The call's stats get the video's, as `video-<name>`, while it runs.
 */
void
ap_audio_session_video_add_stats (ApAudioSession *self, GVariantDict *dict)
{
  g_autoptr (GVariant) stats = NULL;
  GVariantIter iter;
  const char *name;
  GVariant *value;

  if (self->video == NULL || !ap_video_session_is_running (self->video))
    return;
  stats = g_variant_ref_sink (ap_video_session_get_stats (self->video));
  g_variant_iter_init (&iter, stats);
  while (g_variant_iter_next (&iter, "{&sv}", &name, &value))
    {
      g_autofree char *key = g_strconcat ("video-", name, NULL);

      g_variant_dict_insert_value (dict, key, value);
      g_variant_unref (value);
    }
}

void
ap_audio_session_video_close (ApAudioSession *self)
{
  if (self->video != NULL)
    ap_video_session_close (self->video);
}

void
ap_audio_session_video_dispose (ApAudioSession *self)
{
  ap_audio_session_video_close (self);
  g_clear_object (&self->video);
}
