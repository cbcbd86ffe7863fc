#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define AP_TYPE_VIDEO_PAINTABLE (ap_video_paintable_get_type ())
G_DECLARE_FINAL_TYPE (ApVideoPaintable, ap_video_paintable, AP, VIDEO_PAINTABLE, GObject)

ApVideoPaintable *ap_video_paintable_new        (void);
void              ap_video_paintable_push_frame (ApVideoPaintable *self,
                                                 GBytes           *bgra,
                                                 guint             width,
                                                 guint             height,
                                                 guint             stride);
void              ap_video_paintable_frame_func (GBytes           *bgra,
                                                 guint             width,
                                                 guint             height,
                                                 guint             stride,
                                                 gpointer          paintable);
void              ap_video_paintable_clear      (ApVideoPaintable *self);
void              ap_video_paintable_set_crop   (ApVideoPaintable *self,
                                                 gboolean          crop);
gboolean          ap_video_paintable_get_crop   (ApVideoPaintable *self);
gboolean          ap_video_paintable_has_frame  (ApVideoPaintable *self);
guint             ap_video_paintable_get_frames (ApVideoPaintable *self);

G_END_DECLS
