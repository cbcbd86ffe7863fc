#pragma once

#include "ap-phone.h"
#include "ap-video-paintable.h"

G_BEGIN_DECLS

#define AP_TYPE_VIDEO_FEED (ap_video_feed_get_type ())
G_DECLARE_FINAL_TYPE (ApVideoFeed, ap_video_feed, AP, VIDEO_FEED, GObject)

ApVideoFeed      *ap_video_feed_new        (ApPhone     *phone);
ApPhone          *ap_video_feed_get_phone  (ApVideoFeed *self);
ApCall           *ap_video_feed_get_call   (ApVideoFeed *self);
ApVideoPaintable *ap_video_feed_get_remote (ApVideoFeed *self);
ApVideoPaintable *ap_video_feed_get_local  (ApVideoFeed *self);

G_END_DECLS
