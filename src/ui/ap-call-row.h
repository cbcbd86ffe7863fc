#pragma once

#include <adwaita.h>

#include "ap-phone.h"

G_BEGIN_DECLS

#define AP_TYPE_CALL_ROW (ap_call_row_get_type ())
G_DECLARE_FINAL_TYPE (ApCallRow, ap_call_row, AP, CALL_ROW, GtkListBoxRow)

GtkWidget *ap_call_row_new           (ApCall    *call,
                                      ApPhone   *phone);
ApCall    *ap_call_row_get_call      (ApCallRow *self);
GtkBox    *ap_call_row_get_extras    (ApCallRow *self);
void       ap_call_row_open_transfer (ApCallRow *self);
char      *ap_call_row_format_quality (GVariant *stats,
                                       int      *grade);

G_END_DECLS
