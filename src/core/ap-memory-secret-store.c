/* ap-memory-secret-store.c: passwords kept for this run only, for tests and
 * for machines with no usable Secret Service. */
#include "ap-memory-secret-store.h"

#include <string.h>

struct _ApMemorySecretStore {
  GObject parent_instance;

  GHashTable *secrets; /* "uri\nuser" -> password */
};

static void secret_store_iface_init (ApSecretStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ApMemorySecretStore, ap_memory_secret_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (AP_TYPE_SECRET_STORE,
                                                      secret_store_iface_init))

static char *
make_key (const char *uri, const char *user)
{
  return g_strconcat (uri, "\n", user, NULL);
}

/* Overwrite before freeing so the password does not linger in freed memory. */
static void
wipe_free (gpointer data)
{
  char *text = data;

  if (text)
    memset (text, 0, strlen (text));
  g_free (text);
}

static void
memory_store_async (ApSecretStore *store, const char *uri, const char *user, const char *password,
                    GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  ApMemorySecretStore *self = AP_MEMORY_SECRET_STORE (store);
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, memory_store_async);
  g_hash_table_replace (self->secrets, make_key (uri, user), g_strdup (password));
  g_task_return_boolean (task, TRUE);
}

static gboolean
memory_store_finish (ApSecretStore *store, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
memory_lookup_async (ApSecretStore *store, const char *uri, const char *user,
                     GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  ApMemorySecretStore *self = AP_MEMORY_SECRET_STORE (store);
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *key = make_key (uri, user);

  g_task_set_source_tag (task, memory_lookup_async);
  g_task_return_pointer (task, g_strdup (g_hash_table_lookup (self->secrets, key)), wipe_free);
}

static char *
memory_lookup_finish (ApSecretStore *store, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
secret_store_iface_init (ApSecretStoreInterface *iface)
{
  iface->store_async = memory_store_async;
  iface->store_finish = memory_store_finish;
  iface->lookup_async = memory_lookup_async;
  iface->lookup_finish = memory_lookup_finish;
}

static void
ap_memory_secret_store_finalize (GObject *object)
{
  ApMemorySecretStore *self = AP_MEMORY_SECRET_STORE (object);

  g_hash_table_unref (self->secrets);
  G_OBJECT_CLASS (ap_memory_secret_store_parent_class)->finalize (object);
}

static void
ap_memory_secret_store_class_init (ApMemorySecretStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ap_memory_secret_store_finalize;
}

static void
ap_memory_secret_store_init (ApMemorySecretStore *self)
{
  self->secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, wipe_free);
}

ApSecretStore *
ap_memory_secret_store_new (void)
{
  return g_object_new (AP_TYPE_MEMORY_SECRET_STORE, NULL);
}
