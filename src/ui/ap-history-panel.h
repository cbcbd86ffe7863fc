#pragma once

#include <adwaita.h>

#include "ap-phone.h"

G_BEGIN_DECLS

#define AP_TYPE_HISTORY_PANEL (ap_history_panel_get_type ())
G_DECLARE_FINAL_TYPE (ApHistoryPanel, ap_history_panel, AP, HISTORY_PANEL, AdwBin)

GtkWidget *ap_history_panel_new               (ApPhone        *phone);
guint      ap_history_panel_get_unseen_missed (ApHistoryPanel *self);
void       ap_history_panel_mark_seen         (ApHistoryPanel *self);

G_END_DECLS
