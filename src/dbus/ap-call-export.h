#pragma once

#include <gio/gio.h>

#include "ap-phone.h"

G_BEGIN_DECLS

#define AP_TYPE_CALL_EXPORT (ap_call_export_get_type ())
G_DECLARE_FINAL_TYPE (ApCallExport, ap_call_export, AP, CALL_EXPORT, GObject)

ApCallExport     *ap_call_export_new        (ApPhone     *phone,
                                           ApCall      *call,
                                           const char  *object_path);
GDBusObjectSkeleton *ap_call_export_get_object (ApCallExport *self);
ApCall           *ap_call_export_get_call   (ApCallExport *self);
ApPhone          *ap_call_export_get_phone  (ApCallExport *self);
const char       *ap_call_export_get_path   (ApCallExport *self);

G_END_DECLS
