#pragma once

#include <adwaita.h>

#include "ap-video-feed.h"

G_BEGIN_DECLS

#define AP_TYPE_VIDEO_WINDOW (ap_video_window_get_type ())
G_DECLARE_FINAL_TYPE (ApVideoWindow, ap_video_window, AP, VIDEO_WINDOW, GtkWindow)

GtkWidget *ap_video_window_new                 (ApVideoFeed   *feed);
gboolean   ap_video_window_get_controls_shown  (ApVideoWindow *self);

G_END_DECLS
