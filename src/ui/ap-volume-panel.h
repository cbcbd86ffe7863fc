#pragma once

#include <adwaita.h>

#include "ap-phone.h"

G_BEGIN_DECLS

#define AP_TYPE_VOLUME_PANEL (ap_volume_panel_get_type ())
G_DECLARE_FINAL_TYPE (ApVolumePanel, ap_volume_panel, AP, VOLUME_PANEL, AdwBin)

GtkWidget *ap_volume_panel_new (ApPhone *phone);

G_END_DECLS
