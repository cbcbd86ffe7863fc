/* ap-history-model.c: the call history (GetHistory's aa{sv}, newest first)
 * as a GListModel of ApHistoryItem, for the history page's list view. The
 * view builds rows only for what is on screen, so a history at its cap
 * (10 000 calls) costs a screenful of widgets; and a new history is told
 * to the view as the rows that really changed (one call added, the oldest
 * dropped), so the list keeps its place instead of being rebuilt. */
#include "ap-history-model.h"

#include "ap-history-item.h"

struct _ApHistoryModel {
  GObject parent_instance;

  GVariant *entries; /* aa{sv}, newest first; NULL when empty */
  guint n_items;     /* shown from entries: fewer while the tail is cut */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ApHistoryModel, ap_history_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
get_item_type (GListModel *list)
{
  return AP_TYPE_HISTORY_ITEM;
}

static guint
get_n_items (GListModel *list)
{
  return AP_HISTORY_MODEL (list)->n_items;
}

static gpointer
get_item (GListModel *list, guint position)
{
  ApHistoryModel *self = AP_HISTORY_MODEL (list);

  if (position >= self->n_items)
    return NULL;
  return ap_history_item_new (g_variant_get_child_value (self->entries, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
ap_history_model_finalize (GObject *object)
{
  ApHistoryModel *self = AP_HISTORY_MODEL (object);

  g_clear_pointer (&self->entries, g_variant_unref);
  G_OBJECT_CLASS (ap_history_model_parent_class)->finalize (object);
}

static void
ap_history_model_class_init (ApHistoryModelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ap_history_model_finalize;
}

static void
ap_history_model_init (ApHistoryModel *self)
{
}

ApHistoryModel *
ap_history_model_new (void)
{
  return g_object_new (AP_TYPE_HISTORY_MODEL, NULL);
}

/* Entries are told apart by their id, which a history entry never changes. */
static gboolean
same_entry (GVariant *a, guint i, GVariant *b, guint j)
{
  g_autoptr (GVariant) x = g_variant_get_child_value (a, i);
  g_autoptr (GVariant) y = g_variant_get_child_value (b, j);
  const char *id_x = NULL, *id_y = NULL;

  return g_variant_lookup (x, "id", "&s", &id_x) && g_variant_lookup (y, "id", "&s", &id_y)
         && g_str_equal (id_x, id_y);
}

/* The oldest calls dropped beyond the cap: the shown tail is cut first, down
 * to the new list's oldest entry, and the caller sees what is left. */
static guint
cut_dropped_tail (ApHistoryModel *self, GVariant *entries, guint n)
{
  guint old_n = self->n_items;

  for (guint q = old_n; q > 0; q--)
    if (same_entry (self->entries, q - 1, entries, n - 1))
      {
        if (q < old_n)
          {
            self->n_items = q;
            g_list_model_items_changed (G_LIST_MODEL (self), q, old_n - q, 0);
          }
        return q;
      }
  return old_n; /* not a trimmed list: the stretch below covers it */
}

/**
 * ap_history_model_set_entries:
 * @entries: the whole history, an aa{sv} newest first (a floating one is sunk)
 *
 * Shows @entries, telling the view only what changed: the tail dropped
 * beyond the cap, then the one stretch where the lists differ.
 */
void
ap_history_model_set_entries (ApHistoryModel *self, GVariant *entries)
{
  g_autoptr (GVariant) old = NULL;
  guint n, old_n, p = 0, s = 0;

  g_return_if_fail (AP_IS_HISTORY_MODEL (self));
  g_return_if_fail (g_variant_is_of_type (entries, G_VARIANT_TYPE ("aa{sv}")));

  g_variant_ref_sink (entries);
  n = g_variant_n_children (entries);
  old_n = (self->entries && n > 0) ? cut_dropped_tail (self, entries, n) : self->n_items;
  while (p < old_n && p < n && same_entry (self->entries, p, entries, p))
    p++;
  while (s < old_n - p && s < n - p
         && same_entry (self->entries, old_n - 1 - s, entries, n - 1 - s))
    s++;
  old = g_steal_pointer (&self->entries);
  self->entries = entries;
  self->n_items = n;
  if (old_n - p - s > 0 || n - p - s > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), p, old_n - p - s, n - p - s);
}
