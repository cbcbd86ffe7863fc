#pragma once

/* ap-media-session-video.h: the video side of an ApMediaSession. Every
 * function fails cleanly (NotSupported) on a media session without video,
 * such as an echo test's. */

#include "ap-media-session.h"

G_BEGIN_DECLS

guint     ap_media_session_prepare_video      (ApMediaSession       *self,
                                               const char           *local_address,
                                               GError              **error);
GBytes   *ap_media_session_snapshot           (ApMediaSession       *self,
                                               guint                *width,
                                               guint                *height,
                                               GError              **error);
void      ap_media_session_record_clip_async  (ApMediaSession       *self,
                                               guint                 seconds,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
GBytes   *ap_media_session_record_clip_finish (ApMediaSession       *self,
                                               GAsyncResult         *result,
                                               GError              **error);
void      ap_media_session_set_camera         (ApMediaSession       *self,
                                               gboolean              open);
void      ap_media_session_set_frame_func     (ApMediaSession       *self,
                                               ApVideoFrameFunc      func,
                                               gpointer              user_data);
void      ap_media_session_set_local_frame_func (ApMediaSession     *self,
                                                 ApVideoFrameFunc    func,
                                                 gpointer            user_data);
GVariant *ap_media_session_get_video_stats    (ApMediaSession       *self);

gboolean  ap_media_factory_open_preview       (ApMediaFactory       *self,
                                               ApVideoFrameFunc      func,
                                               gpointer              user_data,
                                               GError              **error);
void      ap_media_factory_close_preview      (ApMediaFactory       *self);

G_END_DECLS
