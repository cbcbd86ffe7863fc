#pragma once

#include <adwaita.h>

#include "ap-incoming-notifier.h"
#include "ap-phone.h"

G_BEGIN_DECLS

#define AP_TYPE_WINDOW (ap_window_get_type ())
G_DECLARE_FINAL_TYPE (ApWindow, ap_window, AP, WINDOW, AdwApplicationWindow)

ApWindow *ap_window_new (GtkApplication *application,
                         ApPhone        *phone);
ApIncomingNotifier *ap_window_get_notifier (ApWindow *self);

G_END_DECLS
