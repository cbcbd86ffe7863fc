/* ap-libsecret-store.c: account passwords in the Secret Service.
 *
 * Nothing here may block or prompt: a headless agent phone has nobody to
 * answer a prompt. Every call carries a timeout, locked collections and items
 * are reported as errors instead of being unlocked, and the caller falls back
 * to memory.
 *
 * Inside a Flatpak sandbox the simple password API is used instead: there
 * libsecret keeps the password in a keyring file of the app's own, encrypted
 * with a key from the Secret portal, so the sandbox needs no access to the
 * Secret Service's bus name. */
#define G_LOG_DOMAIN "Agentphone-core"

#include "ap-libsecret-store.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "ap-error.h"

struct _ApLibsecretStore {
  GObject parent_instance;

  guint timeout_ms;
};

static void secret_store_iface_init (ApSecretStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ApLibsecretStore, ap_libsecret_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (AP_TYPE_SECRET_STORE,
                                                      secret_store_iface_init))

static const SecretSchema *
account_schema (void)
{
  static const SecretSchema schema = {
    "io.github.agentphone.Account",
    SECRET_SCHEMA_NONE,
    {
      { "uri", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };
  return &schema;
}

typedef struct {
  char *uri;
  char *user;
  char *password;
  guint timeout_id;
  GCancellable *cancellable;
} Request;

static void
request_free (Request *req)
{
  g_clear_handle_id (&req->timeout_id, g_source_remove);
  g_free (req->uri);
  g_free (req->user);
  if (req->password)
    secret_password_free (req->password); /* wipes, then frees */
  g_clear_object (&req->cancellable);
  g_free (req);
}

static gboolean
on_timeout (gpointer data)
{
  Request *req = data;

  req->timeout_id = 0;
  g_cancellable_cancel (req->cancellable);
  return G_SOURCE_REMOVE;
}

/* Each task gets a cancellable of its own that fires after the timeout and
 * follows the caller's. */
static GTask *
start_task (ApLibsecretStore *self, gpointer tag, const char *uri, const char *user,
            const char *password, GCancellable *cancellable, GAsyncReadyCallback callback,
            gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Request *req = g_new0 (Request, 1);

  g_task_set_source_tag (task, tag);
  req->uri = g_strdup (uri);
  req->user = g_strdup (user);
  req->password = g_strdup (password);
  req->cancellable = g_cancellable_new ();
  if (cancellable)
    g_signal_connect_object (cancellable, "cancelled", G_CALLBACK (g_cancellable_cancel),
                             req->cancellable, G_CONNECT_SWAPPED);
  req->timeout_id = g_timeout_add (self->timeout_ms, on_timeout, req);
  g_task_set_task_data (task, req, (GDestroyNotify) request_free);
  return task;
}

static void
return_error (GTask *task, GError *error)
{
  Request *req = g_task_get_task_data (task);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && req->timeout_id == 0)
    g_task_return_new_error (task, AP_ERROR, AP_ERROR_FAILED,
                             _ ("The Secret Service did not answer in time"));
  else
    g_task_return_new_error (task, AP_ERROR, AP_ERROR_FAILED, _ ("Secret Service: %s"),
                             error->message);
  g_error_free (error);
}

static void
on_stored (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_default_collection (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  Request *req = g_task_get_task_data (task);
  g_autoptr (SecretCollection) collection = NULL;
  g_autofree char *label = NULL;
  GError *error = NULL;

  collection = secret_collection_for_alias_finish (result, &error);
  if (error)
    return return_error (task, error);
  if (collection == NULL)
    return g_task_return_new_error (task, AP_ERROR, AP_ERROR_FAILED,
                                    _ ("The Secret Service has no default keyring"));
  if (secret_collection_get_locked (collection))
    return g_task_return_new_error (task, AP_ERROR, AP_ERROR_FAILED,
                                    _ ("The default keyring is locked"));
  label = g_strdup_printf (_ ("Agentphone account %s"), req->uri);
  secret_password_store (account_schema (), SECRET_COLLECTION_DEFAULT, label, req->password,
                         req->cancellable, on_stored, g_steal_pointer (&task), "uri", req->uri,
                         "user", req->user, NULL);
}

static void
on_service_for_store (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  Request *req = g_task_get_task_data (task);
  g_autoptr (SecretService) service = NULL;
  GError *error = NULL;

  service = secret_service_get_finish (result, &error);
  if (service == NULL)
    return return_error (task, error);
  secret_collection_for_alias (service, SECRET_COLLECTION_DEFAULT, SECRET_COLLECTION_NONE,
                               req->cancellable, on_default_collection, g_steal_pointer (&task));
}

/* Flatpak puts this file at the root of every sandbox. */
static gboolean
in_sandbox (void)
{
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS);
}

static void
store_in_sandbox (GTask *task)
{
  Request *req = g_task_get_task_data (task);
  g_autofree char *label = g_strdup_printf (_ ("Agentphone account %s"), req->uri);

  secret_password_store (account_schema (), SECRET_COLLECTION_DEFAULT, label, req->password,
                         req->cancellable, on_stored, task, "uri", req->uri, "user", req->user,
                         NULL);
}

static void
libsecret_store_async (ApSecretStore *store, const char *uri, const char *user,
                       const char *password, GCancellable *cancellable,
                       GAsyncReadyCallback callback, gpointer user_data)
{
  ApLibsecretStore *self = AP_LIBSECRET_STORE (store);
  GTask *task = start_task (self, libsecret_store_async, uri, user, password, cancellable, callback,
                            user_data);
  Request *req = g_task_get_task_data (task);

  if (in_sandbox ())
    return store_in_sandbox (task);
  secret_service_get (SECRET_SERVICE_OPEN_SESSION, req->cancellable, on_service_for_store, task);
}

static gboolean
libsecret_store_finish (ApSecretStore *store, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The first readable item's password, NULL when there is none. */
static void
return_items (GTask *task, GList *items)
{
  for (GList *l = items; l; l = l->next)
    {
      SecretValue *value = secret_item_get_secret (l->data);

      if (value)
        {
          char *password = g_strdup (secret_value_get_text (value));

          secret_value_unref (value);
          return g_task_return_pointer (task, password, (GDestroyNotify) secret_password_free);
        }
    }
  if (items)
    return g_task_return_new_error (task, AP_ERROR, AP_ERROR_FAILED,
                                    _ ("The stored password is in a locked keyring"));
  g_task_return_pointer (task, NULL, NULL);
}

/* On a worker thread: the lookup is a dozen bus round trips (session key
 * exchange, search, secrets), which at start can then run while the main
 * thread brings GStreamer and the devices up instead of after. */
static void
lookup_in_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *unused)
{
  Request *req = task_data;
  g_autoptr (SecretService) service = NULL;
  g_autoptr (GHashTable) attributes = NULL;
  g_autolist (SecretItem) items = NULL;
  GError *error = NULL;

  service = secret_service_get_sync (SECRET_SERVICE_OPEN_SESSION, req->cancellable, &error);
  if (service == NULL)
    return return_error (task, error);
  attributes
    = secret_attributes_build (account_schema (), "uri", req->uri, "user", req->user, NULL);
  /* No SECRET_SEARCH_UNLOCK: a locked item must not raise a prompt. */
  items = secret_service_search_sync (service, account_schema (), attributes,
                                      SECRET_SEARCH_LOAD_SECRETS | SECRET_SEARCH_ALL,
                                      req->cancellable, &error);
  if (error)
    return return_error (task, error);
  return_items (task, items);
}

static void
on_looked_up (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  GError *error = NULL;
  char *password = secret_password_lookup_finish (result, &error);

  if (error)
    return return_error (task, error);
  g_task_return_pointer (task, password, (GDestroyNotify) secret_password_free);
}

static void
libsecret_lookup_async (ApSecretStore *store, const char *uri, const char *user,
                        GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  ApLibsecretStore *self = AP_LIBSECRET_STORE (store);
  g_autoptr (GTask) task
    = start_task (self, libsecret_lookup_async, uri, user, NULL, cancellable, callback, user_data);

  if (in_sandbox ())
    {
      Request *req = g_task_get_task_data (task);

      return secret_password_lookup (account_schema (), req->cancellable, on_looked_up,
                                     g_steal_pointer (&task), "uri", req->uri, "user", req->user,
                                     NULL);
    }
  g_task_run_in_thread (task, lookup_in_thread);
}

static char *
libsecret_lookup_finish (ApSecretStore *store, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
secret_store_iface_init (ApSecretStoreInterface *iface)
{
  iface->store_async = libsecret_store_async;
  iface->store_finish = libsecret_store_finish;
  iface->lookup_async = libsecret_lookup_async;
  iface->lookup_finish = libsecret_lookup_finish;
}

static void
ap_libsecret_store_class_init (ApLibsecretStoreClass *klass)
{
}

static void
ap_libsecret_store_init (ApLibsecretStore *self)
{
}

/**
 * ap_libsecret_store_new:
 * @timeout_ms: how long any one operation may take before it fails
 */
ApSecretStore *
ap_libsecret_store_new (guint timeout_ms)
{
  ApLibsecretStore *self = g_object_new (AP_TYPE_LIBSECRET_STORE, NULL);

  self->timeout_ms = timeout_ms;
  return AP_SECRET_STORE (self);
}
