#pragma once

#include <adwaita.h>

#include "ap-phone.h"

G_BEGIN_DECLS

#define AP_TYPE_CALL_VIDEO_CONTROLS (ap_call_video_controls_get_type ())
G_DECLARE_FINAL_TYPE (ApCallVideoControls, ap_call_video_controls, AP, CALL_VIDEO_CONTROLS,
                      GtkBox)

GtkWidget *ap_call_video_controls_new           (ApCall     *call,
                                                 ApPhone    *phone);
char      *ap_call_video_controls_save_snapshot (GtkWidget  *toast_from,
                                                 ApPhone    *phone,
                                                 ApCall     *call);
void       ap_call_video_controls_toast         (GtkWidget  *from,
                                                 const char *text);

G_END_DECLS
