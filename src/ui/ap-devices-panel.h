#pragma once

#include <adwaita.h>

#include "ap-phone.h"

G_BEGIN_DECLS

#define AP_TYPE_DEVICES_PANEL (ap_devices_panel_get_type ())
G_DECLARE_FINAL_TYPE (ApDevicesPanel, ap_devices_panel, AP, DEVICES_PANEL, AdwBin)

GtkWidget *ap_devices_panel_new (ApPhone *phone);

G_END_DECLS
