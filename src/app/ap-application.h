#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define AP_TYPE_APPLICATION (ap_application_get_type ())
G_DECLARE_FINAL_TYPE (ApApplication, ap_application, AP, APPLICATION, GApplication)

ApApplication *ap_application_new (void);

G_END_DECLS
