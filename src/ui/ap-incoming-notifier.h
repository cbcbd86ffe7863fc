#pragma once

#include <adwaita.h>

#include "ap-phone.h"

G_BEGIN_DECLS

#define AP_TYPE_INCOMING_NOTIFIER (ap_incoming_notifier_get_type ())
G_DECLARE_FINAL_TYPE (ApIncomingNotifier, ap_incoming_notifier, AP, INCOMING_NOTIFIER, GObject)

ApIncomingNotifier *ap_incoming_notifier_new        (GtkApplication     *application,
                                                     GtkWindow          *window,
                                                     ApPhone            *phone);
guint               ap_incoming_notifier_get_shown  (ApIncomingNotifier *self);

G_END_DECLS
