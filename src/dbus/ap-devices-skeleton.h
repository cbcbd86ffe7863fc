#pragma once

#include "ap-dbus-generated.h"

G_BEGIN_DECLS

#define AP_TYPE_DEVICES_SKELETON (ap_devices_skeleton_get_type ())
G_DECLARE_FINAL_TYPE (ApDevicesSkeleton, ap_devices_skeleton, AP, DEVICES_SKELETON,
                      ApDbusDevicesSkeleton)

ApDbusDevices *ap_devices_skeleton_new (void);

G_END_DECLS
