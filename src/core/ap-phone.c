/* ap-phone.c: the phone as agents and scripts see it.
 *
 * Both faces (window and DBus) call these functions and nothing below them,
 * so one operation has one code path. */
#define G_LOG_DOMAIN "Agentphone-core"

#include "config.h"

#include "ap-phone.h"
#include "ap-phone-private.h"

#include <glib/gi18n.h>

#include "ap-enums.h"
#include "ap-error.h"
#include "ap-memory-secret-store.h"
#include "ap-uri.h"

enum { PROP_0, PROP_PASSWORD_STORAGE, PROP_LISTEN_PORT, PROP_SEAT_STATE, PROP_DEVICES, N_PROPS };
static GParamSpec *props[N_PROPS];

enum {
  SIGNAL_QUIT_REQUESTED,
  SIGNAL_CALL_ADDED,
  SIGNAL_CALL_REMOVED,
  SIGNAL_MESSAGE_RECEIVED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (ApPhone, ap_phone, G_TYPE_OBJECT)

static void
set_password_storage (ApPhone *self, ApPasswordStorage storage)
{
  if (self->password_storage == storage)
    return;
  self->password_storage = storage;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PASSWORD_STORAGE]);
}

typedef struct {
  ApPhone *self;
  char *uri;
  char *user;
  guint serial;
} RegisterData;

static void
register_data_free (RegisterData *data)
{
  g_object_unref (data->self);
  g_free (data->uri);
  g_free (data->user);
  g_free (data);
}

static void
on_password_stored (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (ApPhone) self = user_data;
  g_autoptr (GError) error = NULL;

  if (ap_secret_store_store_finish (AP_SECRET_STORE (source), result, &error))
    {
      set_password_storage (self, AP_PASSWORD_STORAGE_SECRET_SERVICE);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Said aloud, as agreed: the password lives only as long as this process. */
  g_warning ("Could not save the password in the Secret Service (%s); it is kept in memory "
             "for this run only and must be given again after a restart",
             error->message);
  set_password_storage (self, AP_PASSWORD_STORAGE_MEMORY);
}

static void
store_password (ApPhone *self, const char *uri, const char *user, const char *password)
{
  ap_secret_store_store_async (self->memory_store, uri, user, password, NULL, NULL, NULL);
  if (self->secret_store == NULL)
    {
      g_warning ("No Secret Service: the password is kept in memory for this run only");
      set_password_storage (self, AP_PASSWORD_STORAGE_MEMORY);
      return;
    }
  ap_secret_store_store_async (self->secret_store, uri, user, password, self->cancellable,
                               on_password_stored, g_object_ref (self));
}

static void
register_with_password (ApPhone *self, const char *password)
{
  g_autoptr (GError) error = NULL;
  ApAccount *account = self->account;

  if (!ap_account_set_credentials (account, ap_account_get_uri (account),
                                   ap_account_get_auth_user (account), password, &error))
    {
      g_warning ("%s", error->message);
      return;
    }
  ap_account_register (account);
}

static void
on_lookup_memory (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RegisterData *data = user_data;
  g_autofree char *password = NULL;

  password = ap_secret_store_lookup_finish (AP_SECRET_STORE (source), result, NULL);
  if (data->serial == data->self->register_serial)
    {
      if (password)
        register_with_password (data->self, password);
      else
        g_message ("No stored password for %s: give it with Register() to register", data->uri);
    }
  register_data_free (data);
}

static void
on_lookup_secret (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RegisterData *data = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *password = NULL;

  password = ap_secret_store_lookup_finish (AP_SECRET_STORE (source), result, &error);
  if (data->serial != data->self->register_serial)
    {
      register_data_free (data);
      return;
    }
  if (password)
    {
      set_password_storage (data->self, AP_PASSWORD_STORAGE_SECRET_SERVICE);
      register_with_password (data->self, password);
      register_data_free (data);
      return;
    }
  if (error)
    g_warning ("Could not read the stored password: %s", error->message);
  ap_secret_store_lookup_async (data->self->memory_store, data->uri, data->user, NULL,
                                on_lookup_memory, data);
}

/* Registers with the password kept for the account: the Secret Service
 * first, then this run's memory. */
static void
register_with_stored_password (ApPhone *self)
{
  RegisterData *data = g_new0 (RegisterData, 1);

  data->self = g_object_ref (self);
  data->uri = g_strdup (ap_account_get_uri (self->account));
  data->user = g_strdup (ap_account_get_auth_user (self->account));
  data->serial = ++self->register_serial;
  if (self->secret_store)
    ap_secret_store_lookup_async (self->secret_store, data->uri, data->user, self->cancellable,
                                  on_lookup_secret, data);
  else
    ap_secret_store_lookup_async (self->memory_store, data->uri, data->user, NULL, on_lookup_memory,
                                  data);
}

static void
ap_phone_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  ApPhone *self = AP_PHONE (object);

  switch (prop_id)
    {
    case PROP_PASSWORD_STORAGE:
      g_value_set_enum (value, self->password_storage);
      break;
    case PROP_LISTEN_PORT:
      g_value_set_uint (value, self->listen_port);
      break;
    case PROP_SEAT_STATE:
      g_value_set_enum (value, self->seat_state);
      break;
    case PROP_DEVICES:
      g_value_set_object (value, self->devices);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

void
ap_phone_notify_devices (ApPhone *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_DEVICES]);
}

void
ap_phone_notify_seat (ApPhone *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SEAT_STATE]);
}

void
ap_phone_emit_call_added (ApPhone *self, ApCall *call)
{
  g_signal_emit (self, signals[SIGNAL_CALL_ADDED], 0, call);
}

void
ap_phone_emit_call_removed (ApPhone *self, ApCall *call)
{
  g_signal_emit (self, signals[SIGNAL_CALL_REMOVED], 0, call);
}

void
ap_phone_emit_message (ApPhone *self, const char *from, const char *text)
{
  g_signal_emit (self, signals[SIGNAL_MESSAGE_RECEIVED], 0, from, text);
}

static void
ap_phone_dispose (GObject *object)
{
  ApPhone *self = AP_PHONE (object);

  g_clear_object (&self->video); /* first: it may close the camera preview */
  g_clear_object (&self->screen_share);
  ap_phone_calls_dispose (self);
  ap_phone_devices_dispose (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->account);
  g_clear_object (&self->secret_store);
  g_clear_object (&self->memory_store);
  g_clear_object (&self->settings);
  g_clear_object (&self->history);
  G_OBJECT_CLASS (ap_phone_parent_class)->dispose (object);
}

static void
ap_phone_class_init (ApPhoneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = ap_phone_get_property;
  object_class->dispose = ap_phone_dispose;

  /** ApPhone:password-storage: where the account's password is kept */
  props[PROP_PASSWORD_STORAGE] = g_param_spec_enum (
    "password-storage", NULL, NULL, AP_TYPE_PASSWORD_STORAGE, AP_PASSWORD_STORAGE_NONE,
    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /** ApPhone:listen-port: the port SIP listens on, 0 while not listening */
  props[PROP_LISTEN_PORT]
    = g_param_spec_uint ("listen-port", NULL, NULL, 0, 65535, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /** ApPhone:seat-state: what the seat is doing, from registration and calls */
  props[PROP_SEAT_STATE]
    = g_param_spec_enum ("seat-state", NULL, NULL, AP_TYPE_SEAT_STATE, AP_SEAT_STATE_OFFLINE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /** ApPhone:devices: (nullable): the audio and video devices, once a media engine gave them */
  props[PROP_DEVICES]
    = g_param_spec_object ("devices", NULL, NULL, AP_TYPE_DEVICE_BACKEND,
                           G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /** ApPhone::call-added: a call appeared (dialled, or incoming) */
  signals[SIGNAL_CALL_ADDED]
    = g_signal_new ("call-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                    G_TYPE_NONE, 1, AP_TYPE_CALL);
  /** ApPhone::message-received: a SIP MESSAGE (from, text) */
  signals[SIGNAL_MESSAGE_RECEIVED]
    = g_signal_new ("message-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  /** ApPhone::call-removed: an ended call left the list */
  signals[SIGNAL_CALL_REMOVED]
    = g_signal_new ("call-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 1, AP_TYPE_CALL);

  /** ApPhone::quit-requested: a face asked the program to end */
  signals[SIGNAL_QUIT_REQUESTED]
    = g_signal_new ("quit-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 0);
}

static void
ap_phone_init (ApPhone *self)
{
  self->cancellable = g_cancellable_new ();
  self->memory_store = ap_memory_secret_store_new ();
  ap_phone_calls_init (self);
  ap_phone_devices_init (self);
  self->history = ap_history_new (NULL, 0);
}

/**
 * ap_phone_new:
 * @settings: loaded settings
 * @secret_store: (nullable): the Secret Service, or %NULL to keep passwords in memory
 */
ApPhone *
ap_phone_new (ApSettings *settings, ApSecretStore *secret_store)
{
  ApPhone *self = g_object_new (AP_TYPE_PHONE, NULL);

  self->settings = g_object_ref (settings);
  self->secret_store = secret_store ? g_object_ref (secret_store) : NULL;
  self->account = ap_account_new (settings);
  g_signal_connect_swapped (self->account, "notify::state", G_CALLBACK (ap_phone_update_seat),
                            self);
  return self;
}

ApSettings *
ap_phone_get_settings (ApPhone *self)
{
  g_return_val_if_fail (AP_IS_PHONE (self), NULL);
  return self->settings;
}

ApAccount *
ap_phone_get_account (ApPhone *self)
{
  g_return_val_if_fail (AP_IS_PHONE (self), NULL);
  return self->account;
}

ApPasswordStorage
ap_phone_get_password_storage (ApPhone *self)
{
  g_return_val_if_fail (AP_IS_PHONE (self), AP_PASSWORD_STORAGE_NONE);
  return self->password_storage;
}

const char *
ap_phone_get_version (ApPhone *self)
{
  return PACKAGE_VERSION;
}

/** ap_phone_set_listen_port: for the composition root, once the engine is bound */
void
ap_phone_set_listen_port (ApPhone *self, guint port)
{
  g_return_if_fail (AP_IS_PHONE (self));

  if (self->listen_port == port)
    return;
  self->listen_port = port;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LISTEN_PORT]);
}

/** ap_phone_configure: merge and persist contract settings; all or nothing. */
gboolean
ap_phone_configure (ApPhone *self, GVariant *settings, GError **error)
{
  g_return_val_if_fail (AP_IS_PHONE (self), FALSE);
  return ap_settings_merge (self->settings, settings, error);
}

/** ap_phone_dup_settings: (transfer full): every setting, never a password */
GVariant *
ap_phone_dup_settings (ApPhone *self)
{
  g_return_val_if_fail (AP_IS_PHONE (self), NULL);
  return ap_settings_to_variant (self->settings);
}

/**
 * ap_phone_register:
 * @uri: `sip:user@domain`
 * @auth_user: digest user, or "" for the user part of @uri
 * @password: the password, or "" to use the stored one
 *
 * Checks the arguments and returns; progress is reported by the account.
 */
gboolean
ap_phone_register (ApPhone *self, const char *uri, const char *auth_user, const char *password,
                   GError **error)
{
  g_autofree char *user = NULL;

  g_return_val_if_fail (AP_IS_PHONE (self), FALSE);

  if (ap_account_get_backend (self->account) == NULL)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_FAILED, _ ("The SIP engine is not running"));
      return FALSE;
    }
  if (uri == NULL || !ap_uri_is_account (uri))
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT,
                   _ ("“%s” is not an account address: use sip:user@domain"), uri ? uri : "");
      return FALSE;
    }
  /* Saved first: a Register() that fails leaves the account as it was. */
  user = (auth_user && *auth_user) ? g_strdup (auth_user) : ap_uri_get_user (uri);
  if (!ap_settings_set_account (self->settings, uri, user, error)
      || !ap_account_set_credentials (self->account, uri, user, password, error))
    return FALSE;

  self->register_serial++;
  if (password && *password)
    {
      store_password (self, uri, ap_account_get_auth_user (self->account), password);
      ap_account_register (self->account);
    }
  else
    register_with_stored_password (self);
  return TRUE;
}

/** ap_phone_unregister: remove the binding; fails when nothing is registered. */
gboolean
ap_phone_unregister (ApPhone *self, GError **error)
{
  ApRegistrationState state;

  g_return_val_if_fail (AP_IS_PHONE (self), FALSE);

  self->register_serial++;
  state = ap_account_get_state (self->account);
  if (state == AP_REGISTRATION_STATE_UNREGISTERED || state == AP_REGISTRATION_STATE_UNREGISTERING)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_NOT_REGISTERED, _ ("The account is not registered"));
      return FALSE;
    }
  ap_account_unregister (self->account);
  return TRUE;
}

/**
 * ap_phone_register_saved:
 *
 * At start: registers the saved account when a password is stored for it.
 */
void
ap_phone_register_saved (ApPhone *self)
{
  g_return_if_fail (AP_IS_PHONE (self));

  if (*ap_account_get_uri (self->account) == '\0' || ap_account_get_backend (self->account) == NULL)
    return;
  register_with_stored_password (self);
}

/** ap_phone_quit: ask the program to end (cleanly: see ap_phone_shutdown_async()). */
void
ap_phone_quit (ApPhone *self)
{
  g_return_if_fail (AP_IS_PHONE (self));
  g_signal_emit (self, signals[SIGNAL_QUIT_REQUESTED], 0);
}

typedef struct {
  ApAccount *account;
  gulong handler;
  guint timeout_id;
} ShutdownData;

static void
shutdown_data_free (ShutdownData *data)
{
  g_clear_signal_handler (&data->handler, data->account);
  g_clear_handle_id (&data->timeout_id, g_source_remove);
  g_object_unref (data->account);
  g_free (data);
}

/* Finishes once, whichever comes first: the registrar's answer or the timeout. */
static void
shutdown_done (GTask *task)
{
  ShutdownData *data = g_task_get_task_data (task);
  ApPhone *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;

  g_clear_signal_handler (&data->handler, data->account);
  g_clear_handle_id (&data->timeout_id, g_source_remove);
  /* History is saved off the main thread, shortly after each call: the
   * calls that ended until now are on disk before the program ends. */
  if (!ap_history_flush (self->history, &error))
    g_warning ("%s", error->message);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static gboolean
on_shutdown_timeout (gpointer user_data)
{
  GTask *task = user_data;
  ShutdownData *data = g_task_get_task_data (task);

  data->timeout_id = 0;
  g_warning ("The registrar did not confirm the un-REGISTER in time; quitting anyway");
  shutdown_done (task);
  return G_SOURCE_REMOVE;
}

static void
on_shutdown_state (ApAccount *account, GParamSpec *pspec, GTask *task)
{
  ApRegistrationState state = ap_account_get_state (account);

  if (state == AP_REGISTRATION_STATE_UNREGISTERED || state == AP_REGISTRATION_STATE_FAILED)
    shutdown_done (task);
}

/**
 * ap_phone_shutdown_async:
 * @timeout_ms: the longest to wait for the registrar
 *
 * Ends every call, un-registers, and finishes once the registrar has
 * answered, or after @timeout_ms. Never blocks.
 */
void
ap_phone_shutdown_async (ApPhone *self, guint timeout_ms, GAsyncReadyCallback callback,
                         gpointer user_data)
{
  GTask *task;
  ShutdownData *data;
  ApRegistrationState state;

  g_return_if_fail (AP_IS_PHONE (self));

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, ap_phone_shutdown_async);
  data = g_new0 (ShutdownData, 1);
  data->account = g_object_ref (self->account);
  g_task_set_task_data (task, data, (GDestroyNotify) shutdown_data_free);
  g_cancellable_cancel (self->cancellable);
  self->register_serial++;
  ap_phone_hangup_all (self);

  state = ap_account_get_state (self->account);
  if (state != AP_REGISTRATION_STATE_REGISTERED && state != AP_REGISTRATION_STATE_REGISTERING
      && state != AP_REGISTRATION_STATE_UNREGISTERING)
    {
      ap_account_unregister (self->account);
      shutdown_done (task);
      return;
    }
  data->handler
    = g_signal_connect (self->account, "notify::state", G_CALLBACK (on_shutdown_state), task);
  data->timeout_id = g_timeout_add (timeout_ms, on_shutdown_timeout, task);
  if (state != AP_REGISTRATION_STATE_UNREGISTERING)
    ap_account_unregister (self->account);
}

gboolean
ap_phone_shutdown_finish (ApPhone *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
