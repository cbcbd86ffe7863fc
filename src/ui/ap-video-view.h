#pragma once

#include "ap-video-feed.h"

G_BEGIN_DECLS

#define AP_TYPE_VIDEO_VIEW (ap_video_view_get_type ())
G_DECLARE_FINAL_TYPE (ApVideoView, ap_video_view, AP, VIDEO_VIEW, GtkWidget)

GtkWidget *ap_video_view_new (ApVideoFeed *feed);

G_END_DECLS
