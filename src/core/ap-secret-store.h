#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define AP_TYPE_SECRET_STORE (ap_secret_store_get_type ())
G_DECLARE_INTERFACE (ApSecretStore, ap_secret_store, AP, SECRET_STORE, GObject)

/**
 * ApSecretStoreInterface:
 * @store_async: keep @password for (@uri, @user)
 * @lookup_async: find it again; finishes with %NULL and no error when none is stored
 *
 * Where account passwords live. Implementations must never block, never
 * prompt, and never write a password to disk in the clear.
 */
struct _ApSecretStoreInterface {
  GTypeInterface parent_iface;

  void      (*store_async)   (ApSecretStore       *self,
                              const char          *uri,
                              const char          *user,
                              const char          *password,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data);
  gboolean  (*store_finish)  (ApSecretStore       *self,
                              GAsyncResult        *result,
                              GError             **error);
  void      (*lookup_async)  (ApSecretStore       *self,
                              const char          *uri,
                              const char          *user,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data);
  char     *(*lookup_finish) (ApSecretStore       *self,
                              GAsyncResult        *result,
                              GError             **error);
};

void      ap_secret_store_store_async   (ApSecretStore       *self,
                                         const char          *uri,
                                         const char          *user,
                                         const char          *password,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean  ap_secret_store_store_finish  (ApSecretStore       *self,
                                         GAsyncResult        *result,
                                         GError             **error);
void      ap_secret_store_lookup_async  (ApSecretStore       *self,
                                         const char          *uri,
                                         const char          *user,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
char     *ap_secret_store_lookup_finish (ApSecretStore       *self,
                                         GAsyncResult        *result,
                                         GError             **error);

G_END_DECLS
