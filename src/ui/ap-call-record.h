#pragma once

#include <adwaita.h>

#include "ap-phone.h"

G_BEGIN_DECLS

#define AP_TYPE_CALL_RECORD (ap_call_record_get_type ())
G_DECLARE_FINAL_TYPE (ApCallRecord, ap_call_record, AP, CALL_RECORD, GtkBox)

GtkWidget *ap_call_record_new (ApCall *call);

G_END_DECLS
