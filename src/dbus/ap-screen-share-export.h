#pragma once

#include <gio/gio.h>

#include "ap-phone.h"

G_BEGIN_DECLS

#define AP_TYPE_SCREEN_SHARE_EXPORT (ap_screen_share_export_get_type ())
G_DECLARE_FINAL_TYPE (ApScreenShareExport, ap_screen_share_export, AP, SCREEN_SHARE_EXPORT,
                      GObject)

ApScreenShareExport *ap_screen_share_export_new      (ApPhone              *phone);
gboolean             ap_screen_share_export_export   (ApScreenShareExport  *self,
                                                      GDBusConnection      *connection,
                                                      const char           *path,
                                                      GError              **error);
void                 ap_screen_share_export_unexport (ApScreenShareExport  *self);

G_END_DECLS
