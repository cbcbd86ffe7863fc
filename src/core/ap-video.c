/* ap-video.c: the phone's video controls (the Video interface): how the
 * window lays out and fits video (`video-layout`, `video-display-mode`,
 * kept in the settings), where the detached video window goes, and the
 * camera: open or closed for every call's video, and shown as a preview
 * when opened outside a video call. The window reads all of this; it
 * never keeps its own copy. */
#define G_LOG_DOMAIN "Agentphone-core"

#include "ap-video.h"

#include <glib/gi18n.h>

#include "ap-call-private.h"
#include "ap-error.h"
#include "ap-media-session-video.h"
#include "ap-phone-private.h"

struct _ApVideo {
  GObject parent_instance;

  ApPhone *phone; /* owns us */
  gboolean camera_open;
  gboolean previewing;
  guint preview_frames;
  ApVideoFrameFunc preview_func;
  gpointer preview_data;
  int x, y;
  guint width, height;
};

enum { PROP_0, PROP_LAYOUT, PROP_DISPLAY_MODE, PROP_CAMERA_OPEN, PROP_CONTROLS_VISIBLE, N_PROPS };

static GParamSpec *props[N_PROPS];

enum { SIGNAL_WINDOW_CHANGED, N_SIGNALS };

static guint signals[N_SIGNALS];

static const char *const layouts[] = { "picture-in-picture", "side-by-side", NULL };
static const char *const display_modes[] = { "letterbox", "crop", NULL };

G_DEFINE_FINAL_TYPE (ApVideo, ap_video, G_TYPE_OBJECT)

static gboolean
set_choice (ApVideo *self, const char *key, const char *value, const char *const *choices,
            const char *what, GError **error)
{
  g_autofree char *allowed = g_strjoinv (", ", (char **) choices);

  if (value == NULL || !g_strv_contains (choices, value))
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT, _ ("Unknown %s “%s”: use %s"), what,
                   value ? value : "", allowed);
      return FALSE;
    }
  return ap_settings_merge (self->phone->settings, g_variant_new_parsed ("{%s: <%s>}", key, value),
                            error);
}

/** ap_video_set_layout: `picture-in-picture` or `side-by-side` (kept in the settings) */
gboolean
ap_video_set_layout (ApVideo *self, const char *layout, GError **error)
{
  g_return_val_if_fail (AP_IS_VIDEO (self), FALSE);
  return set_choice (self, "video-layout", layout, layouts, _ ("video layout"), error);
}

const char *
ap_video_get_layout (ApVideo *self)
{
  g_return_val_if_fail (AP_IS_VIDEO (self), NULL);
  return ap_settings_get_string (self->phone->settings, "video-layout");
}

/** ap_video_set_display_mode: `letterbox` or `crop` (kept in the settings) */
gboolean
ap_video_set_display_mode (ApVideo *self, const char *mode, GError **error)
{
  g_return_val_if_fail (AP_IS_VIDEO (self), FALSE);
  return set_choice (self, "video-display-mode", mode, display_modes, _ ("display mode"), error);
}

const char *
ap_video_get_display_mode (ApVideo *self)
{
  g_return_val_if_fail (AP_IS_VIDEO (self), NULL);
  return ap_settings_get_string (self->phone->settings, "video-display-mode");
}

/**
 * ap_video_set_window:
 *
 * The detached video window's place and size, for the window to follow;
 * below 480×360 it shows video without controls.
 */
gboolean
ap_video_set_window (ApVideo *self, int x, int y, guint width, guint height, GError **error)
{
  gboolean visible;

  g_return_val_if_fail (AP_IS_VIDEO (self), FALSE);
  if (width < 16 || height < 16 || width > 16384 || height > 16384)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT,
                   _ ("A video window of %u×%u cannot be shown: use 16 to 16384 pixels each way"),
                   width, height);
      return FALSE;
    }
  visible = ap_video_get_controls_visible (self);
  self->x = x;
  self->y = y;
  self->width = width;
  self->height = height;
  if (visible != ap_video_get_controls_visible (self))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CONTROLS_VISIBLE]);
  g_signal_emit (self, signals[SIGNAL_WINDOW_CHANGED], 0);
  return TRUE;
}

void
ap_video_get_window (ApVideo *self, int *x, int *y, guint *width, guint *height)
{
  g_return_if_fail (AP_IS_VIDEO (self));
  if (x)
    *x = self->x;
  if (y)
    *y = self->y;
  if (width)
    *width = self->width;
  if (height)
    *height = self->height;
}

gboolean
ap_video_get_controls_visible (ApVideo *self)
{
  g_return_val_if_fail (AP_IS_VIDEO (self), TRUE);
  return self->width >= AP_VIDEO_CONTROLS_MIN_WIDTH && self->height >= AP_VIDEO_CONTROLS_MIN_HEIGHT;
}

static gboolean
any_video_call (ApVideo *self)
{
  GListModel *calls = G_LIST_MODEL (self->phone->calls);

  for (guint i = 0; i < g_list_model_get_n_items (calls); i++)
    {
      g_autoptr (ApCall) call = g_list_model_get_item (calls, i);

      if (call->video != NULL && ap_call_video_get_active (call->video))
        return TRUE;
    }
  return FALSE;
}

static void
apply_to_calls (ApVideo *self)
{
  GListModel *calls = G_LIST_MODEL (self->phone->calls);

  for (guint i = 0; i < g_list_model_get_n_items (calls); i++)
    {
      g_autoptr (ApCall) call = g_list_model_get_item (calls, i);

      if (call->media != NULL)
        ap_media_session_set_camera (call->media, self->camera_open);
    }
}

static void
on_preview_frame (GBytes *bgra, guint width, guint height, guint stride, gpointer user_data)
{
  ApVideo *self = user_data;

  self->preview_frames++;
  if (self->preview_func != NULL)
    self->preview_func (bgra, width, height, stride, self->preview_data);
}

/**
 * ap_video_open_camera:
 *
 * Video calls send the camera's picture again; outside a video call the
 * camera runs as a preview (for the window).
 */
gboolean
ap_video_open_camera (ApVideo *self, GError **error)
{
  g_return_val_if_fail (AP_IS_VIDEO (self), FALSE);

  if (!any_video_call (self) && !self->previewing)
    {
      if (self->phone->media_factory == NULL)
        {
          g_set_error (error, AP_ERROR, AP_ERROR_NOT_SUPPORTED,
                       _ ("There is no media engine to run the camera"));
          return FALSE;
        }
      if (!ap_media_factory_open_preview (self->phone->media_factory, on_preview_frame, self,
                                          error))
        return FALSE;
      self->previewing = TRUE;
      self->preview_frames = 0;
    }
  if (!self->camera_open)
    {
      self->camera_open = TRUE;
      apply_to_calls (self);
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CAMERA_OPEN]);
    }
  return TRUE;
}

/** ap_video_close_camera: no camera picture goes out, and the preview stops */
void
ap_video_close_camera (ApVideo *self)
{
  g_return_if_fail (AP_IS_VIDEO (self));

  if (self->previewing && self->phone->media_factory != NULL)
    ap_media_factory_close_preview (self->phone->media_factory);
  self->previewing = FALSE;
  if (self->camera_open)
    {
      self->camera_open = FALSE;
      apply_to_calls (self);
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CAMERA_OPEN]);
    }
}

gboolean
ap_video_get_camera_open (ApVideo *self)
{
  g_return_val_if_fail (AP_IS_VIDEO (self), FALSE);
  return self->camera_open;
}

gboolean
ap_video_get_previewing (ApVideo *self)
{
  g_return_val_if_fail (AP_IS_VIDEO (self), FALSE);
  return self->previewing;
}

/** ap_video_get_preview_frames: frames the preview delivered since it opened */
guint
ap_video_get_preview_frames (ApVideo *self)
{
  g_return_val_if_fail (AP_IS_VIDEO (self), 0);
  return self->preview_frames;
}

/** ap_video_set_preview_func: (nullable) @func: where the preview's frames go */
void
ap_video_set_preview_func (ApVideo *self, ApVideoFrameFunc func, gpointer user_data)
{
  g_return_if_fail (AP_IS_VIDEO (self));
  self->preview_func = func;
  self->preview_data = user_data;
}

static void
on_settings_changed (ApSettings *settings, const char *const *keys, ApVideo *self)
{
  if (g_strv_contains (keys, "video-layout"))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LAYOUT]);
  if (g_strv_contains (keys, "video-display-mode"))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_DISPLAY_MODE]);
}

/**
 * ap_phone_get_video:
 *
 * Returns: (transfer none): the phone's video controls, made on first use
 */
ApVideo *
ap_phone_get_video (ApPhone *phone)
{
  g_return_val_if_fail (AP_IS_PHONE (phone), NULL);

  if (phone->video == NULL)
    {
      phone->video = g_object_new (AP_TYPE_VIDEO, NULL);
      phone->video->phone = phone;
      g_signal_connect_object (phone->settings, "changed", G_CALLBACK (on_settings_changed),
                               phone->video, 0);
    }
  return phone->video;
}

static void
ap_video_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  ApVideo *self = AP_VIDEO (object);

  switch (prop_id)
    {
    case PROP_LAYOUT:
      g_value_set_string (value, ap_video_get_layout (self));
      break;
    case PROP_DISPLAY_MODE:
      g_value_set_string (value, ap_video_get_display_mode (self));
      break;
    case PROP_CAMERA_OPEN:
      g_value_set_boolean (value, self->camera_open);
      break;
    case PROP_CONTROLS_VISIBLE:
      g_value_set_boolean (value, ap_video_get_controls_visible (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ap_video_dispose (GObject *object)
{
  ApVideo *self = AP_VIDEO (object);

  if (self->previewing && self->phone != NULL && self->phone->media_factory != NULL)
    ap_media_factory_close_preview (self->phone->media_factory);
  self->previewing = FALSE;
  G_OBJECT_CLASS (ap_video_parent_class)->dispose (object);
}

static void
ap_video_class_init (ApVideoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->get_property = ap_video_get_property;
  object_class->dispose = ap_video_dispose;
  /** ApVideo:layout: `picture-in-picture` or `side-by-side` */
  props[PROP_LAYOUT] = g_param_spec_string ("layout", NULL, NULL, NULL, flags);
  /** ApVideo:display-mode: `letterbox` (whole frame) or `crop` (fills) */
  props[PROP_DISPLAY_MODE] = g_param_spec_string ("display-mode", NULL, NULL, NULL, flags);
  /** ApVideo:camera-open: the camera's picture goes out (and previews) */
  props[PROP_CAMERA_OPEN] = g_param_spec_boolean ("camera-open", NULL, NULL, TRUE, flags);
  /** ApVideo:controls-visible: the detached window is big enough for controls */
  props[PROP_CONTROLS_VISIBLE] = g_param_spec_boolean ("controls-visible", NULL, NULL, TRUE, flags);
  g_object_class_install_properties (object_class, N_PROPS, props);
  /** ApVideo::window-changed: SetWindow gave the detached window a new place or size */
  signals[SIGNAL_WINDOW_CHANGED]
    = g_signal_new ("window-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 0);
}

static void
ap_video_init (ApVideo *self)
{
  self->camera_open = TRUE;
  self->width = 640;
  self->height = 480;
}
