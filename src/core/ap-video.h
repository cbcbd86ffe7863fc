#pragma once

#include <glib-object.h>

#include "ap-media-session.h"
#include "ap-phone.h"

G_BEGIN_DECLS

#define AP_TYPE_VIDEO (ap_video_get_type ())
G_DECLARE_FINAL_TYPE (ApVideo, ap_video, AP, VIDEO, GObject)

ApVideo    *ap_phone_get_video         (ApPhone          *phone);

/* Smaller than this, the detached video window shows video only. */
#define AP_VIDEO_CONTROLS_MIN_WIDTH 480
#define AP_VIDEO_CONTROLS_MIN_HEIGHT 360

gboolean    ap_video_set_layout        (ApVideo          *self,
                                        const char       *layout,
                                        GError          **error);
const char *ap_video_get_layout        (ApVideo          *self);
gboolean    ap_video_set_display_mode  (ApVideo          *self,
                                        const char       *mode,
                                        GError          **error);
const char *ap_video_get_display_mode  (ApVideo          *self);
gboolean    ap_video_set_window        (ApVideo          *self,
                                        int               x,
                                        int               y,
                                        guint             width,
                                        guint             height,
                                        GError          **error);
void        ap_video_get_window        (ApVideo          *self,
                                        int              *x,
                                        int              *y,
                                        guint            *width,
                                        guint            *height);
gboolean    ap_video_get_controls_visible (ApVideo       *self);
gboolean    ap_video_open_camera       (ApVideo          *self,
                                        GError          **error);
void        ap_video_close_camera      (ApVideo          *self);
gboolean    ap_video_get_camera_open   (ApVideo          *self);
gboolean    ap_video_get_previewing    (ApVideo          *self);
void        ap_video_set_preview_func  (ApVideo          *self,
                                        ApVideoFrameFunc  func,
                                        gpointer          user_data);
guint       ap_video_get_preview_frames (ApVideo         *self);

G_END_DECLS
