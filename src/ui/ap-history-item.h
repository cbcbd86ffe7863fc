#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define AP_TYPE_HISTORY_ITEM (ap_history_item_get_type ())
G_DECLARE_FINAL_TYPE (ApHistoryItem, ap_history_item, AP, HISTORY_ITEM, GObject)

ApHistoryItem *ap_history_item_new       (GVariant      *entry);
GVariant      *ap_history_item_get_entry (ApHistoryItem *self);

G_END_DECLS
