/* ap-history-item.c: one call of the history, as the history page's list
 * model hands it to a row: the a{sv} entry GetHistory returns. */
#include "ap-history-item.h"

struct _ApHistoryItem {
  GObject parent_instance;

  GVariant *entry;
};

G_DEFINE_FINAL_TYPE (ApHistoryItem, ap_history_item, G_TYPE_OBJECT)

static void
ap_history_item_finalize (GObject *object)
{
  ApHistoryItem *self = AP_HISTORY_ITEM (object);

  g_clear_pointer (&self->entry, g_variant_unref);
  G_OBJECT_CLASS (ap_history_item_parent_class)->finalize (object);
}

static void
ap_history_item_class_init (ApHistoryItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ap_history_item_finalize;
}

static void
ap_history_item_init (ApHistoryItem *self)
{
}

/** ap_history_item_new: @entry: an a{sv} history entry (a floating one is sunk) */
ApHistoryItem *
ap_history_item_new (GVariant *entry)
{
  ApHistoryItem *self = g_object_new (AP_TYPE_HISTORY_ITEM, NULL);

  g_return_val_if_fail (g_variant_is_of_type (entry, G_VARIANT_TYPE_VARDICT), self);
  self->entry = g_variant_ref_sink (entry);
  return self;
}

/** ap_history_item_get_entry: (transfer none): the entry, an a{sv} */
GVariant *
ap_history_item_get_entry (ApHistoryItem *self)
{
  g_return_val_if_fail (AP_IS_HISTORY_ITEM (self), NULL);
  return self->entry;
}
