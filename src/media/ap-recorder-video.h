#pragma once

/* ap-recorder-video.h: the video track of a call recording (see
 * ap-recorder-video.c). Private to src/media. */

#include <gst/gst.h>

#include "ap-video-session.h"

G_BEGIN_DECLS

typedef struct _ApRecorderVideo ApRecorderVideo;

ApRecorderVideo *ap_recorder_video_build  (GstElement      *pipeline,
                                           GstElement      *mux,
                                           GError         **error);
void             ap_recorder_video_start  (ApRecorderVideo *self,
                                           GstClock        *clock,
                                           GstClockTime     base_time);
void             ap_recorder_video_attach (ApRecorderVideo *self,
                                           ApVideoSession  *video);
void             ap_recorder_video_detach (ApRecorderVideo *self);
void             ap_recorder_video_set_paused (ApRecorderVideo *self,
                                               gboolean         paused);
void             ap_recorder_video_end    (ApRecorderVideo *self);
void             ap_recorder_video_free   (ApRecorderVideo *self);

G_END_DECLS
