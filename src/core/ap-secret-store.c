#include "ap-secret-store.h"

G_DEFINE_INTERFACE (ApSecretStore, ap_secret_store, G_TYPE_OBJECT)

static void
ap_secret_store_default_init (ApSecretStoreInterface *iface)
{
}

void
ap_secret_store_store_async (ApSecretStore *self, const char *uri, const char *user,
                             const char *password, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (AP_IS_SECRET_STORE (self));
  AP_SECRET_STORE_GET_IFACE (self)->store_async (self, uri, user, password, cancellable, callback,
                                                 user_data);
}

gboolean
ap_secret_store_store_finish (ApSecretStore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (AP_IS_SECRET_STORE (self), FALSE);
  return AP_SECRET_STORE_GET_IFACE (self)->store_finish (self, result, error);
}

void
ap_secret_store_lookup_async (ApSecretStore *self, const char *uri, const char *user,
                              GCancellable *cancellable, GAsyncReadyCallback callback,
                              gpointer user_data)
{
  g_return_if_fail (AP_IS_SECRET_STORE (self));
  AP_SECRET_STORE_GET_IFACE (self)->lookup_async (self, uri, user, cancellable, callback,
                                                  user_data);
}

char *
ap_secret_store_lookup_finish (ApSecretStore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (AP_IS_SECRET_STORE (self), NULL);
  return AP_SECRET_STORE_GET_IFACE (self)->lookup_finish (self, result, error);
}
