#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define AP_TYPE_HISTORY_MODEL (ap_history_model_get_type ())
G_DECLARE_FINAL_TYPE (ApHistoryModel, ap_history_model, AP, HISTORY_MODEL, GObject)

ApHistoryModel *ap_history_model_new         (void);
void            ap_history_model_set_entries (ApHistoryModel *self,
                                              GVariant       *entries);

G_END_DECLS
