#pragma once

#include <adwaita.h>

#include "ap-phone.h"

G_BEGIN_DECLS

#define AP_TYPE_SCREEN_SHARE_PANEL (ap_screen_share_panel_get_type ())
G_DECLARE_FINAL_TYPE (ApScreenSharePanel, ap_screen_share_panel, AP, SCREEN_SHARE_PANEL, AdwBin)

GtkWidget *ap_screen_share_panel_new     (ApPhone            *phone);
void       ap_screen_share_panel_refresh (ApScreenSharePanel *self);

G_END_DECLS
