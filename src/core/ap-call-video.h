#pragma once

#include <gio/gio.h>

#include "ap-media-session.h"

G_BEGIN_DECLS

typedef struct _ApCall ApCall;

#define AP_TYPE_CALL_VIDEO (ap_call_video_get_type ())
G_DECLARE_FINAL_TYPE (ApCallVideo, ap_call_video, AP, CALL_VIDEO, GObject)

ApCallVideo *ap_call_get_video                   (ApCall              *call);

/* What people and scripts do. */
gboolean     ap_call_video_request               (ApCallVideo         *self,
                                                  gboolean             enable,
                                                  GError             **error);
void         ap_call_video_set_answer_with_video (ApCallVideo         *self,
                                                  gboolean             video);
gboolean     ap_call_video_get_answer_with_video (ApCallVideo         *self);
GBytes      *ap_call_video_snapshot              (ApCallVideo         *self,
                                                  GError             **error);
char        *ap_call_video_snapshot_to_file      (ApCallVideo         *self,
                                                  const char          *path,
                                                  const char          *directory,
                                                  GError             **error);
char        *ap_call_video_snapshot_base64       (ApCallVideo         *self,
                                                  GError             **error);
void         ap_call_video_record_clip_async     (ApCallVideo         *self,
                                                  guint                seconds,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
char        *ap_call_video_record_clip_finish    (ApCallVideo         *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
void         ap_call_video_set_frame_func        (ApCallVideo         *self,
                                                  ApVideoFrameFunc     func,
                                                  gpointer             user_data);
void         ap_call_video_set_local_frame_func  (ApCallVideo         *self,
                                                  ApVideoFrameFunc     func,
                                                  gpointer             user_data);

/* What the network reports (for backends). */
void         ap_call_video_set_active            (ApCallVideo         *self,
                                                  gboolean             active,
                                                  const char          *codec);
void         ap_call_video_requested             (ApCallVideo         *self);

gboolean     ap_call_video_get_active            (ApCallVideo         *self);
const char  *ap_call_video_get_codec             (ApCallVideo         *self);

G_END_DECLS
