#pragma once

#include <gst/gst.h>

#include "ap-device-backend.h"
#include "ap-settings.h"

G_BEGIN_DECLS

#define AP_TYPE_DEVICES (ap_devices_get_type ())
G_DECLARE_FINAL_TYPE (ApDevices, ap_devices, AP, DEVICES, GObject)

ApDevices  *ap_devices_new          (ApSettings    *settings);
GstElement *ap_devices_make_element (ApDevices     *self,
                                     ApDeviceKind   kind,
                                     GError       **error);
double      ap_devices_gain         (ApDevices     *self,
                                     ApDeviceKind   kind);
double      ap_devices_volume_gain  (guint          volume);

G_END_DECLS
