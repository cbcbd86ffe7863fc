#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define AP_TYPE_SCREEN_SHARE_PANEL (ap_screen_share_panel_get_type ())
G_DECLARE_FINAL_TYPE (ApScreenSharePanel, ap_screen_share_panel, AP, SCREEN_SHARE_PANEL, AdwBin)

GtkWidget *ap_screen_share_panel_new (void);

G_END_DECLS
