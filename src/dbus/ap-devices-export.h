#pragma once

#include <gio/gio.h>

#include "ap-phone.h"

G_BEGIN_DECLS

#define AP_TYPE_DEVICES_EXPORT (ap_devices_export_get_type ())
G_DECLARE_FINAL_TYPE (ApDevicesExport, ap_devices_export, AP, DEVICES_EXPORT, GObject)

ApDevicesExport *ap_devices_export_new      (ApPhone          *phone);
gboolean         ap_devices_export_export   (ApDevicesExport  *self,
                                             GDBusConnection  *connection,
                                             const char       *path,
                                             GError          **error);
void             ap_devices_export_unexport (ApDevicesExport  *self);

G_END_DECLS
