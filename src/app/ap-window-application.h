#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define AP_TYPE_WINDOW_APPLICATION (ap_window_application_get_type ())
G_DECLARE_FINAL_TYPE (ApWindowApplication, ap_window_application, AP, WINDOW_APPLICATION,
                      AdwApplication)

GApplication *ap_window_application_new (void);

G_END_DECLS
