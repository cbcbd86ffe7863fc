#pragma once

#include <gio/gio.h>

#include "ap-phone.h"

G_BEGIN_DECLS

#define AP_DBUS_PATH "/io/github/agentphone/Agentphone"

#define AP_TYPE_DBUS_SERVICE (ap_dbus_service_get_type ())
G_DECLARE_FINAL_TYPE (ApDbusService, ap_dbus_service, AP, DBUS_SERVICE, GObject)

ApDbusService *ap_dbus_service_new      (ApPhone          *phone);
gboolean       ap_dbus_service_export   (ApDbusService    *self,
                                         GDBusConnection  *connection,
                                         GError          **error);
void           ap_dbus_service_unexport (ApDbusService    *self);
gboolean       ap_dbus_enum_to_nick     (GBinding         *binding,
                                         const GValue     *from,
                                         GValue           *to,
                                         gpointer          user_data);

G_END_DECLS
