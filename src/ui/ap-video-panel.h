#pragma once

#include <adwaita.h>

#include "ap-phone.h"

G_BEGIN_DECLS

#define AP_TYPE_VIDEO_PANEL (ap_video_panel_get_type ())
G_DECLARE_FINAL_TYPE (ApVideoPanel, ap_video_panel, AP, VIDEO_PANEL, AdwBin)

GtkWidget *ap_video_panel_new              (ApPhone      *phone);
GtkWidget *ap_video_panel_get_video_window (ApVideoPanel *self);

G_END_DECLS
