/* ap-video-feed.c: where the window's video comes from. It follows the
 * phone's calls and picks the newest one with video; that call's remote
 * frames go to the remote paintable, the camera's (ApVideo's preview
 * hook) to the local one, and both are drawn letterboxed or cropped as
 * the core's display mode says. The panel and the detached video window
 * draw the same two paintables. */
#define G_LOG_DOMAIN "Agentphone-ui"

#include "config.h"

#include "ap-video-feed.h"

#include "ap-call-video.h"
#include "ap-video.h"

struct _ApVideoFeed {
  GObject parent_instance;

  ApPhone *phone;
  ApCall *call; /* the call whose video is shown, or NULL */
  ApVideoPaintable *remote;
  ApVideoPaintable *local;
  GPtrArray *watched; /* ApCallVideo we listen to */
};

enum { PROP_0, PROP_CALL, N_PROPS };

static GParamSpec *props[N_PROPS];

G_DEFINE_FINAL_TYPE (ApVideoFeed, ap_video_feed, G_TYPE_OBJECT)

/* The newest call that has video (calls are listed oldest first). */
static ApCall *
newest_video_call (ApVideoFeed *self)
{
  GListModel *calls = ap_phone_get_calls (self->phone);

  for (guint i = g_list_model_get_n_items (calls); i > 0; i--)
    {
      g_autoptr (ApCall) call = g_list_model_get_item (calls, i - 1);

      if (ap_call_get_state (call) != AP_CALL_STATE_ENDED
          && ap_call_video_get_active (ap_call_get_video (call)))
        return call; /* the model keeps it */
    }
  return NULL;
}

static void
unhook (ApCall *call)
{
  ap_call_video_set_frame_func (ap_call_get_video (call), NULL, NULL);
  ap_call_video_set_local_frame_func (ap_call_get_video (call), NULL, NULL);
}

static void
update_call (ApVideoFeed *self)
{
  ApCall *call = newest_video_call (self);

  if (call == self->call)
    return;
  if (self->call != NULL)
    unhook (self->call);
  g_set_object (&self->call, call);
  ap_video_paintable_clear (self->remote);
  if (!ap_video_get_previewing (ap_phone_get_video (self->phone)))
    ap_video_paintable_clear (self->local);
  if (call != NULL)
    {
      ApCallVideo *video = ap_call_get_video (call);

      ap_call_video_set_frame_func (video, ap_video_paintable_frame_func, self->remote);
      ap_call_video_set_local_frame_func (video, ap_video_paintable_frame_func, self->local);
    }
  g_debug ("The window shows the video of call %u", call ? ap_call_get_id (call) : 0);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CALL]);
}

static void
on_video_changed (gpointer object, GParamSpec *pspec, ApVideoFeed *self)
{
  update_call (self);
}

static void
on_calls_changed (GListModel *calls, guint position, guint removed, guint added, ApVideoFeed *self)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr (ApCall) call = g_list_model_get_item (calls, i);
      ApCallVideo *video = ap_call_get_video (call);

      if (g_ptr_array_find (self->watched, video, NULL))
        continue;
      g_ptr_array_add (self->watched, g_object_ref (video));
      g_signal_connect_object (video, "notify::active", G_CALLBACK (on_video_changed), self, 0);
      g_signal_connect_object (call, "notify::state", G_CALLBACK (on_video_changed), self, 0);
    }
  /* Forget the video of calls that left the list. */
  for (guint i = self->watched->len; i > 0; i--)
    {
      ApCallVideo *video = g_ptr_array_index (self->watched, i - 1);

      if (!ap_call_video_get_active (video))
        {
          gboolean listed = FALSE;

          for (guint j = 0; j < g_list_model_get_n_items (calls) && !listed; j++)
            {
              g_autoptr (ApCall) call = g_list_model_get_item (calls, j);

              listed = ap_call_get_video (call) == video;
            }
          if (!listed)
            {
              g_signal_handlers_disconnect_by_data (video, self);
              g_ptr_array_remove_index (self->watched, i - 1);
            }
        }
    }
  update_call (self);
}

static void
on_display_mode (ApVideo *video, GParamSpec *pspec, ApVideoFeed *self)
{
  gboolean crop = g_strcmp0 (ap_video_get_display_mode (video), "crop") == 0;

  ap_video_paintable_set_crop (self->remote, crop);
  ap_video_paintable_set_crop (self->local, crop);
}

static void
on_camera_open (ApVideo *video, GParamSpec *pspec, ApVideoFeed *self)
{
  if (!ap_video_get_camera_open (video))
    ap_video_paintable_clear (self->local);
}

/** ap_video_feed_new: follows @phone's calls and camera */
ApVideoFeed *
ap_video_feed_new (ApPhone *phone)
{
  ApVideoFeed *self;
  ApVideo *video;
  GListModel *calls;

  g_return_val_if_fail (AP_IS_PHONE (phone), NULL);

  self = g_object_new (AP_TYPE_VIDEO_FEED, NULL);
  self->phone = g_object_ref (phone);
  video = ap_phone_get_video (phone);
  ap_video_set_preview_func (video, ap_video_paintable_frame_func, self->local);
  g_signal_connect_object (video, "notify::display-mode", G_CALLBACK (on_display_mode), self, 0);
  g_signal_connect_object (video, "notify::camera-open", G_CALLBACK (on_camera_open), self, 0);
  on_display_mode (video, NULL, self);
  calls = ap_phone_get_calls (phone);
  g_signal_connect_object (calls, "items-changed", G_CALLBACK (on_calls_changed), self, 0);
  on_calls_changed (calls, 0, 0, g_list_model_get_n_items (calls), self);
  return self;
}

ApPhone *
ap_video_feed_get_phone (ApVideoFeed *self)
{
  g_return_val_if_fail (AP_IS_VIDEO_FEED (self), NULL);
  return self->phone;
}

/** ap_video_feed_get_call: (transfer none) (nullable): the call whose video is shown */
ApCall *
ap_video_feed_get_call (ApVideoFeed *self)
{
  g_return_val_if_fail (AP_IS_VIDEO_FEED (self), NULL);
  return self->call;
}

/** ap_video_feed_get_remote: (transfer none): the far end's picture */
ApVideoPaintable *
ap_video_feed_get_remote (ApVideoFeed *self)
{
  g_return_val_if_fail (AP_IS_VIDEO_FEED (self), NULL);
  return self->remote;
}

/** ap_video_feed_get_local: (transfer none): the camera's picture */
ApVideoPaintable *
ap_video_feed_get_local (ApVideoFeed *self)
{
  g_return_val_if_fail (AP_IS_VIDEO_FEED (self), NULL);
  return self->local;
}

static void
ap_video_feed_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_CALL:
      g_value_set_object (value, AP_VIDEO_FEED (object)->call);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ap_video_feed_dispose (GObject *object)
{
  ApVideoFeed *self = AP_VIDEO_FEED (object);

  if (self->call != NULL)
    unhook (self->call);
  g_clear_object (&self->call);
  if (self->phone != NULL)
    ap_video_set_preview_func (ap_phone_get_video (self->phone), NULL, NULL);
  g_clear_object (&self->phone);
  if (self->watched != NULL)
    for (guint i = 0; i < self->watched->len; i++)
      g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->watched, i), self);
  g_clear_pointer (&self->watched, g_ptr_array_unref);
  G_OBJECT_CLASS (ap_video_feed_parent_class)->dispose (object);
}

static void
ap_video_feed_finalize (GObject *object)
{
  ApVideoFeed *self = AP_VIDEO_FEED (object);

  g_clear_object (&self->remote);
  g_clear_object (&self->local);
  G_OBJECT_CLASS (ap_video_feed_parent_class)->finalize (object);
}

static void
ap_video_feed_class_init (ApVideoFeedClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = ap_video_feed_get_property;
  object_class->dispose = ap_video_feed_dispose;
  object_class->finalize = ap_video_feed_finalize;
  /** ApVideoFeed:call: the call whose video is shown, or %NULL */
  props[PROP_CALL]
    = g_param_spec_object ("call", NULL, NULL, AP_TYPE_CALL,
                           G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
ap_video_feed_init (ApVideoFeed *self)
{
  self->remote = ap_video_paintable_new ();
  self->local = ap_video_paintable_new ();
  self->watched = g_ptr_array_new_with_free_func (g_object_unref);
}
