/* ap-call-video.c: the video of one call as the faces see it: whether the
 * call has video and with which codec, the far end asking for it, and
 * what can be done with it (ask for or drop video by re-INVITE, take a
 * snapshot, record a clip). The network side goes through the call's
 * ApCallBackend, the pictures through its ApMediaSession. */
#define G_LOG_DOMAIN "Agentphone-core"

#include "ap-call-video.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ap-call-private.h"
#include "ap-error.h"
#include "ap-media-session-video.h"

struct _ApCallVideo {
  GObject parent_instance;

  ApCall *call; /* owns us */
  gboolean active;
  char *codec;
  gboolean answer_with_video;
};

enum { PROP_0, PROP_ACTIVE, PROP_CODEC, N_PROPS };

static GParamSpec *props[N_PROPS];

enum { SIGNAL_REQUESTED, N_SIGNALS };

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (ApCallVideo, ap_call_video, G_TYPE_OBJECT)

static gboolean
no_video (GError **error)
{
  g_set_error (error, AP_ERROR, AP_ERROR_INVALID_STATE,
               _ ("This call has no video: ask for it with RequestVideo(true) first"));
  return FALSE;
}

static gboolean
is_up (ApCallVideo *self)
{
  ApCallState state = self->call->state;

  return state == AP_CALL_STATE_CONNECTED || state == AP_CALL_STATE_HELD;
}

/**
 * ap_call_video_request:
 * @enable: add video to the call, or drop it
 *
 * Asks the far end by re-INVITE; the outcome shows in #ApCallVideo:active
 * (the far end may refuse). Asking for what the call already has does
 * nothing.
 */
gboolean
ap_call_video_request (ApCallVideo *self, gboolean enable, GError **error)
{
  ApCallBackendInterface *iface;

  g_return_val_if_fail (AP_IS_CALL_VIDEO (self), FALSE);

  if (!is_up (self))
    return ap_call_invalid_state (self->call, error,
                                  enable ? _ ("Cannot add video: the call is “%s”")
                                         : _ ("Cannot drop video: the call is “%s”"));
  if (!ap_call_have_backend (self->call, error))
    return FALSE;
  if (!!enable == self->active)
    return TRUE;
  iface = AP_CALL_BACKEND_GET_IFACE (self->call->backend);
  if (iface->request_video == NULL)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_NOT_SUPPORTED,
                   _ ("This kind of call cannot carry video"));
      return FALSE;
    }
  return iface->request_video (self->call->backend, enable, error);
}

/**
 * ap_call_video_set_answer_with_video:
 *
 * Whether answering an incoming call takes the video it offers (Answer's
 * `video` argument); read by the backend when it answers.
 */
void
ap_call_video_set_answer_with_video (ApCallVideo *self, gboolean video)
{
  g_return_if_fail (AP_IS_CALL_VIDEO (self));
  self->answer_with_video = !!video;
}

gboolean
ap_call_video_get_answer_with_video (ApCallVideo *self)
{
  g_return_val_if_fail (AP_IS_CALL_VIDEO (self), FALSE);
  return self->answer_with_video;
}

/**
 * ap_call_video_snapshot:
 *
 * Returns: (transfer full): the far end's current picture as PNG, at the
 *   size it is sent in
 */
GBytes *
ap_call_video_snapshot (ApCallVideo *self, GError **error)
{
  g_return_val_if_fail (AP_IS_CALL_VIDEO (self), NULL);

  if (!self->active || self->call->media == NULL)
    {
      no_video (error);
      return NULL;
    }
  return ap_media_session_snapshot (self->call->media, NULL, NULL, error);
}

/* A new file for a snapshot in @directory (the recordings dir; empty: the
 * user's data dir). */
static char *
new_snapshot_path (ApCallVideo *self, const char *directory, GError **error)
{
  g_autofree char *dir = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");

  if (directory != NULL && *directory != '\0')
    dir = g_strdup (directory);
  else
    dir = g_build_filename (g_get_user_data_dir (), "agentphone", "recordings", NULL);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, AP_ERROR, AP_ERROR_FAILED, _ ("Cannot create the folder %s: %s"), dir,
                   g_strerror (saved));
      return NULL;
    }
  for (guint n = 1; n < 1000; n++)
    {
      g_autofree char *name
        = n == 1 ? g_strdup_printf ("snapshot-call%u-%s.png", self->call->id, stamp)
                 : g_strdup_printf ("snapshot-call%u-%s-%u.png", self->call->id, stamp, n);
      char *path = g_build_filename (dir, name, NULL);

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        return path;
      g_free (path);
    }
  g_set_error (error, AP_ERROR, AP_ERROR_FAILED, _ ("Too many snapshots in %s this second"), dir);
  return NULL;
}

/**
 * ap_call_video_snapshot_to_file:
 * @path: where to write the PNG; empty: a new file in @directory
 * @directory: (nullable): the recordings dir
 *
 * Returns: (transfer full): the path written, or %NULL with @error set
 */
char *
ap_call_video_snapshot_to_file (ApCallVideo *self, const char *path, const char *directory,
                                GError **error)
{
  g_autoptr (GBytes) png = NULL;
  g_autofree char *target = NULL;
  g_autoptr (GError) write_error = NULL;
  gsize size;
  const char *data;

  g_return_val_if_fail (AP_IS_CALL_VIDEO (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if (*path != '\0' && !g_path_is_absolute (path))
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT,
                   _ ("The snapshot path “%s” is not absolute: give a full path, or an empty "
                      "one for a new file in the recordings folder"),
                   path);
      return NULL;
    }
  png = ap_call_video_snapshot (self, error);
  if (png == NULL)
    return NULL;
  target = *path != '\0' ? g_strdup (path) : new_snapshot_path (self, directory, error);
  if (target == NULL)
    return NULL;
  data = g_bytes_get_data (png, &size);
  if (!g_file_set_contents (target, data, (gssize) size, &write_error))
    {
      g_set_error (error, AP_ERROR, AP_ERROR_FAILED, _ ("Cannot save the snapshot: %s"),
                   write_error->message);
      return NULL;
    }
  return g_steal_pointer (&target);
}

/** ap_call_video_snapshot_base64: (transfer full): the snapshot's PNG in base64 */
char *
ap_call_video_snapshot_base64 (ApCallVideo *self, GError **error)
{
  g_autoptr (GBytes) png = ap_call_video_snapshot (self, error);
  gsize size;
  const guchar *data;

  if (png == NULL)
    return NULL;
  data = g_bytes_get_data (png, &size);
  return g_base64_encode (data, size);
}

static void
on_clip_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GBytes) clip = NULL;
  GError *error = NULL;
  gsize size;
  const guchar *data;

  clip = ap_media_session_record_clip_finish (AP_MEDIA_SESSION (source), result, &error);
  if (clip == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  data = g_bytes_get_data (clip, &size);
  g_task_return_pointer (task, g_base64_encode (data, size), g_free);
}

/**
 * ap_call_video_record_clip_async:
 * @seconds: 1 to 10
 *
 * Records the next @seconds of the far end's video (WebM for VP8, Matroska
 * for H.264); the result is the file in base64.
 */
void
ap_call_video_record_clip_async (ApCallVideo *self, guint seconds, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;

  g_return_if_fail (AP_IS_CALL_VIDEO (self));
  g_task_set_source_tag (task, ap_call_video_record_clip_async);
  if (seconds < 1 || seconds > 10)
    {
      g_task_return_new_error (task, AP_ERROR, AP_ERROR_INVALID_ARGUMENT,
                               _ ("A clip lasts 1 to 10 seconds, not %u"), seconds);
      return;
    }
  if (!self->active || self->call->media == NULL)
    {
      no_video (&error);
      g_task_return_error (task, error);
      return;
    }
  ap_media_session_record_clip_async (self->call->media, seconds, cancellable, on_clip_done,
                                      g_steal_pointer (&task));
}

/** ap_call_video_record_clip_finish: (transfer full): the clip in base64 */
char *
ap_call_video_record_clip_finish (ApCallVideo *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ap_call_video_set_frame_func:
 * @func: (nullable): receives each newest decoded remote frame (BGRA)
 *
 * The hook a window draws the far end's video through.
 */
void
ap_call_video_set_frame_func (ApCallVideo *self, ApVideoFrameFunc func, gpointer user_data)
{
  g_return_if_fail (AP_IS_CALL_VIDEO (self));
  if (self->call->media != NULL)
    ap_media_session_set_frame_func (self->call->media, func, user_data);
}

/**
 * ap_call_video_set_local_frame_func:
 * @func: (nullable): receives each newest frame the call sends (BGRA, half
 *   size): the camera's picture during the call
 */
void
ap_call_video_set_local_frame_func (ApCallVideo *self, ApVideoFrameFunc func, gpointer user_data)
{
  g_return_if_fail (AP_IS_CALL_VIDEO (self));
  if (self->call->media != NULL)
    ap_media_session_set_local_frame_func (self->call->media, func, user_data);
}

/** ap_call_video_set_active: for backends: the call now has video (with @codec), or not */
void
ap_call_video_set_active (ApCallVideo *self, gboolean active, const char *codec)
{
  g_return_if_fail (AP_IS_CALL_VIDEO (self));

  if (!active)
    codec = "";
  if (g_strcmp0 (codec, self->codec) != 0)
    {
      g_free (self->codec);
      self->codec = g_strdup (codec ? codec : "");
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CODEC]);
    }
  if (!!active != self->active)
    {
      self->active = !!active;
      g_message ("Call %u %s video", self->call->id, active ? "has" : "no longer has");
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ACTIVE]);
    }
}

/** ap_call_video_requested: for backends: the far end offers video we did not take */
void
ap_call_video_requested (ApCallVideo *self)
{
  g_return_if_fail (AP_IS_CALL_VIDEO (self));
  g_signal_emit (self, signals[SIGNAL_REQUESTED], 0);
}

gboolean
ap_call_video_get_active (ApCallVideo *self)
{
  g_return_val_if_fail (AP_IS_CALL_VIDEO (self), FALSE);
  return self->active;
}

const char *
ap_call_video_get_codec (ApCallVideo *self)
{
  g_return_val_if_fail (AP_IS_CALL_VIDEO (self), "");
  return self->codec;
}

/* An ended call has no video any more (its media stopped). */
static void
on_state_changed (ApCall *call, ApCallState state, guint code, const char *reason,
                  ApCallVideo *self)
{
  if (state == AP_CALL_STATE_ENDED)
    ap_call_video_set_active (self, FALSE, NULL);
}

/**
 * ap_call_get_video:
 *
 * Returns: (transfer none): the call's video, made on first use
 */
ApCallVideo *
ap_call_get_video (ApCall *call)
{
  g_return_val_if_fail (AP_IS_CALL (call), NULL);

  if (call->video == NULL)
    {
      call->video = g_object_new (AP_TYPE_CALL_VIDEO, NULL);
      call->video->call = call;
      g_signal_connect_object (call, "state-changed", G_CALLBACK (on_state_changed), call->video,
                               0);
    }
  return call->video;
}

static void
ap_call_video_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  ApCallVideo *self = AP_CALL_VIDEO (object);

  switch (prop_id)
    {
    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;
    case PROP_CODEC:
      g_value_set_string (value, self->codec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ap_call_video_finalize (GObject *object)
{
  g_free (AP_CALL_VIDEO (object)->codec);
  G_OBJECT_CLASS (ap_call_video_parent_class)->finalize (object);
}

static void
ap_call_video_class_init (ApCallVideoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->get_property = ap_call_video_get_property;
  object_class->finalize = ap_call_video_finalize;
  /** ApCallVideo:active: the call has video (Call.Video) */
  props[PROP_ACTIVE] = g_param_spec_boolean ("active", NULL, NULL, FALSE, flags);
  /** ApCallVideo:codec: `vp8`, `h264`, or empty without video (Call.VideoCodec) */
  props[PROP_CODEC] = g_param_spec_string ("codec", NULL, NULL, "", flags);
  g_object_class_install_properties (object_class, N_PROPS, props);
  /** ApCallVideo::requested: the far end offers video (Call.VideoRequested) */
  signals[SIGNAL_REQUESTED] = g_signal_new ("requested", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
ap_call_video_init (ApCallVideo *self)
{
  self->codec = g_strdup ("");
}
