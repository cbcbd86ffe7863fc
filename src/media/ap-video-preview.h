#pragma once

#include "ap-devices.h"
#include "ap-media-session.h"

G_BEGIN_DECLS

typedef struct _ApVideoPreview ApVideoPreview;

ApVideoPreview *ap_video_preview_start (ApDevices         *devices,
                                        ApVideoFrameFunc   func,
                                        gpointer           user_data,
                                        GError           **error);
void            ap_video_preview_stop  (ApVideoPreview    *preview);

G_END_DECLS
