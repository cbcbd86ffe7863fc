#pragma once

#include <adwaita.h>

#include "ap-phone.h"

G_BEGIN_DECLS

#define AP_TYPE_ACCOUNT_PANEL (ap_account_panel_get_type ())
G_DECLARE_FINAL_TYPE (ApAccountPanel, ap_account_panel, AP, ACCOUNT_PANEL, AdwBin)

GtkWidget *ap_account_panel_new (ApPhone *phone);

G_END_DECLS
