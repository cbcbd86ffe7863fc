#pragma once

#include <gio/gio.h>

#include "ap-phone.h"

G_BEGIN_DECLS

#define AP_TYPE_VIDEO_EXPORT (ap_video_export_get_type ())
G_DECLARE_FINAL_TYPE (ApVideoExport, ap_video_export, AP, VIDEO_EXPORT, GObject)

ApVideoExport *ap_video_export_new      (ApPhone          *phone);
gboolean       ap_video_export_export   (ApVideoExport    *self,
                                         GDBusConnection  *connection,
                                         const char       *path,
                                         GError          **error);
void           ap_video_export_unexport (ApVideoExport    *self);

G_END_DECLS
