#pragma once

#include <gio/gio.h>
#include <gst/gst.h>

#include "ap-devices.h"
#include "ap-media-session.h"

G_BEGIN_DECLS

#define AP_TYPE_VIDEO_SESSION (ap_video_session_get_type ())
G_DECLARE_FINAL_TYPE (ApVideoSession, ap_video_session, AP, VIDEO_SESSION, GObject)

/**
 * ApVideoRecordFunc:
 * @frame: (nullable): a decoded remote frame, as the decoder made it (not
 *   writable); %NULL: the video stopped (no more frames until it restarts)
 * @caps: (nullable): its caps
 *
 * Called on a streaming thread, under the session's lock (so it must not
 * block nor call back into the session): a recording's feed.
 */
typedef void (*ApVideoRecordFunc) (GstBuffer *frame,
                                   GstCaps   *caps,
                                   gpointer   user_data);

ApVideoSession *ap_video_session_new            (ApDevices            *devices);
void            ap_video_session_set_call_id    (ApVideoSession       *self,
                                                 guint                 call_id);
guint           ap_video_session_prepare        (ApVideoSession       *self,
                                                 const char           *local_address,
                                                 GError              **error);
gboolean        ap_video_session_start          (ApVideoSession       *self,
                                                 const ApMediaParams  *video,
                                                 GError              **error);
void            ap_video_session_stop           (ApVideoSession       *self);
void            ap_video_session_close          (ApVideoSession       *self);
gboolean        ap_video_session_is_running     (ApVideoSession       *self);
void            ap_video_session_set_camera     (ApVideoSession       *self,
                                                 gboolean              open);
void            ap_video_session_set_frame_func (ApVideoSession       *self,
                                                 ApVideoFrameFunc      func,
                                                 gpointer              user_data);
void            ap_video_session_set_local_frame_func (ApVideoSession   *self,
                                                       ApVideoFrameFunc  func,
                                                       gpointer          user_data);
GBytes         *ap_video_session_snapshot       (ApVideoSession       *self,
                                                 guint                *width,
                                                 guint                *height,
                                                 GError              **error);
void            ap_video_session_record_clip_async  (ApVideoSession      *self,
                                                     guint                seconds,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
GBytes         *ap_video_session_record_clip_finish (ApVideoSession      *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
GVariant       *ap_video_session_get_stats      (ApVideoSession       *self);
void            ap_video_session_set_record_func (ApVideoSession      *self,
                                                  ApVideoRecordFunc    func,
                                                  gpointer             user_data);
void            ap_video_session_adapt_to_loss  (ApVideoSession       *self,
                                                 double                loss_percent);
gboolean        ap_video_session_set_screen     (ApVideoSession       *self,
                                                 guint64               id,
                                                 ApScreenEndedFunc     ended,
                                                 gpointer              user_data,
                                                 GError              **error);

G_END_DECLS
