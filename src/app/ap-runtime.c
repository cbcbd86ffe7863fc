/* ap-runtime.c: the composition root behind either application class.
 *
 * Builds the core, the engines and the DBus face, and ties their lifetimes
 * together; it knows every layer except the window, so that no other file
 * has to. The headless ApApplication and the window's ApWindowApplication
 * (in the UI module, loaded only when a window is wanted) forward their
 * GApplication vfuncs here: a headless phone never loads GTK. */
#define G_LOG_DOMAIN "Agentphone"

#include "config.h"

#include "ap-runtime.h"

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "ap-dbus-service.h"
#include "ap-libsecret-store.h"
#include "ap-media-engine.h"
#include "ap-sip-engine.h"
#include "ap-sip-library.h"
#include "ap-sip-registration.h"

#define SECRET_TIMEOUT_MS 3000
#define UNREGISTER_TIMEOUT_MS 4000
#define SIP_SHUTDOWN_TIMEOUT_MS 3000

struct _ApRuntime {
  GObject parent_instance;

  GApplication *application; /* weak: it owns us */
  gboolean held;
  gboolean quitting;
  ApSettings *settings;
  ApPhone *phone;
  ApDbusService *service;
  ApSipEngine *engine;
  ApRegistrationBackend *registration;
  ApMediaEngine *media;
  guint sigterm_id;
  guint sigint_id;
};

G_DEFINE_FINAL_TYPE (ApRuntime, ap_runtime, G_TYPE_OBJECT)

/* A history that cannot be read is set aside (or, failing that, started
 * empty): new calls are still recorded. */
static void
load_history (ApPhone *phone)
{
  g_autofree char *path
    = g_build_filename (g_get_user_data_dir (), "agentphone", "history.json", NULL);
  g_autoptr (ApHistory) history = ap_history_new (path, AP_HISTORY_DEFAULT_MAX);
  g_autoptr (GError) error = NULL;

  if (!ap_history_load (history, &error))
    g_warning ("%s", error->message);
  ap_phone_set_history (phone, history);
}

/* Cheap and without sockets: done in dbus_register, which also runs in a
 * process that turns out to be a second instance. */
static void
ensure_core (ApRuntime *self)
{
  g_autofree char *path = NULL;
  g_autoptr (ApSecretStore) secrets = NULL;
  g_autoptr (GError) error = NULL;

  if (self->phone)
    return;
  path = g_build_filename (g_get_user_config_dir (), "agentphone", "settings.json", NULL);
  self->settings = ap_settings_new (path);
  if (!ap_settings_load (self->settings, &error))
    g_warning ("%s", error->message);
  secrets = ap_libsecret_store_new (SECRET_TIMEOUT_MS);
  self->phone = ap_phone_new (self->settings, secrets);
  load_history (self->phone);
  self->service = ap_dbus_service_new (self->phone);
}

static void
on_engine_started (ApSipEngine *engine, ApRuntime *self)
{
  ap_phone_set_listen_port (self->phone, ap_sip_engine_get_port (engine));
}

static void
on_engine_stopping (ApSipEngine *engine, ApRuntime *self)
{
  ap_phone_set_listen_port (self->phone, 0);
}

static void
start_engines (ApRuntime *self)
{
  g_autoptr (GError) error = NULL;

  self->engine = ap_sip_engine_new (self->settings);
  g_signal_connect (self->engine, "started", G_CALLBACK (on_engine_started), self);
  g_signal_connect (self->engine, "stopping", G_CALLBACK (on_engine_stopping), self);
  self->registration = ap_sip_registration_new (self->engine);
  ap_account_set_backend (ap_phone_get_account (self->phone), self->registration);
  ap_sip_engine_set_account (self->engine, ap_phone_get_account (self->phone));
  ap_phone_set_signaling (self->phone, AP_SIGNALING (self->engine));
  /* The password lookup (the Secret Service, ~8 ms: the longest step to
   * REGISTER) runs on a thread while the SIP stack starts here; its answer
   * comes through the main loop, after we return. GStreamer and the device
   * monitor wait for their first use (see ap_devices_start()). */
  ap_phone_register_saved (self->phone);
  if (!ap_sip_engine_start (self->engine, &error))
    g_warning ("%s", error->message);
  self->media = ap_media_engine_new ();
  ap_media_engine_set_settings (self->media, self->settings);
  ap_phone_set_devices (self->phone, AP_DEVICE_BACKEND (ap_media_engine_get_devices (self->media)));
  ap_sip_engine_set_media_factory (self->engine, AP_MEDIA_FACTORY (self->media));
  ap_phone_set_media_factory (self->phone, AP_MEDIA_FACTORY (self->media));
}

static void
finish_quit (ApRuntime *self)
{
  if (self->held)
    {
      self->held = FALSE;
      g_application_release (self->application);
    }
  g_application_quit (self->application);
}

static void
on_engine_shut_down (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (ApRuntime) self = user_data;

  ap_sip_engine_shutdown_finish (AP_SIP_ENGINE (source), result, NULL);
  finish_quit (self);
}

static void
on_phone_shut_down (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (ApRuntime) self = user_data;

  ap_phone_shutdown_finish (AP_PHONE (source), result, NULL);
  if (self->engine == NULL)
    {
      finish_quit (self);
      return;
    }
  ap_sip_engine_shutdown_async (self->engine, SIP_SHUTDOWN_TIMEOUT_MS, on_engine_shut_down,
                                g_object_ref (self));
}

/* Quitting is asynchronous and bounded: un-register (the registrar must see
 * Expires: 0), shut the SIP stack down, then leave the main loop. */
static void
begin_quit (ApRuntime *self)
{
  if (self->quitting)
    return;
  self->quitting = TRUE;
  g_debug ("Quitting");
  /* Closing the window quits too: keep running until un-registered. */
  ap_runtime_hold (self);
  ap_phone_shutdown_async (self->phone, UNREGISTER_TIMEOUT_MS, on_phone_shut_down,
                           g_object_ref (self));
}

static gboolean
on_unix_signal (gpointer user_data)
{
  begin_quit (AP_RUNTIME (user_data));
  return G_SOURCE_CONTINUE;
}

static void
ap_runtime_dispose (GObject *object)
{
  ApRuntime *self = AP_RUNTIME (object);

  g_clear_handle_id (&self->sigterm_id, g_source_remove);
  g_clear_handle_id (&self->sigint_id, g_source_remove);
  g_clear_object (&self->service);
  g_clear_object (&self->registration);
  g_clear_object (&self->phone);
  g_clear_object (&self->engine);
  g_clear_object (&self->media);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (ap_runtime_parent_class)->dispose (object);
}

static void
ap_runtime_class_init (ApRuntimeClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ap_runtime_dispose;
}

static void
ap_runtime_init (ApRuntime *self)
{
  ap_sip_library_prepare ();
}

/** ap_runtime_new: the phone behind @application (not owned: it owns us) */
ApRuntime *
ap_runtime_new (GApplication *application)
{
  ApRuntime *self = g_object_new (AP_TYPE_RUNTIME, NULL);

  self->application = application;
  return self;
}

/** ap_runtime_add_options: the command line both application classes take */
void
ap_runtime_add_options (GApplication *application)
{
  const GOptionEntry entries[] = {
    { "headless", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_ ("Serve the DBus interface without opening a window"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_ ("Print the version and exit"), NULL },
    { NULL },
  };

  g_application_add_main_option_entries (application, entries);
}

/** ap_runtime_handle_local_options: GApplication::handle-local-options */
int
ap_runtime_handle_local_options (ApRuntime *self, GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("Agentphone %s\n", PACKAGE_VERSION);
      return 0;
    }
  return -1;
}

/** ap_runtime_dbus_register: serves the DBus face on @connection */
gboolean
ap_runtime_dbus_register (ApRuntime *self, GDBusConnection *connection, GError **error)
{
  g_return_val_if_fail (AP_IS_RUNTIME (self), FALSE);
  ensure_core (self);
  return ap_dbus_service_export (self->service, connection, error);
}

/** ap_runtime_dbus_unregister: stops serving the DBus face */
void
ap_runtime_dbus_unregister (ApRuntime *self)
{
  g_return_if_fail (AP_IS_RUNTIME (self));
  if (self->service)
    ap_dbus_service_unexport (self->service);
}

/** ap_runtime_startup: the primary instance starts its engines (and registers) */
void
ap_runtime_startup (ApRuntime *self)
{
  g_return_if_fail (AP_IS_RUNTIME (self));
  ensure_core (self);
  g_signal_connect_swapped (self->phone, "quit-requested", G_CALLBACK (begin_quit), self);
  self->sigterm_id = g_unix_signal_add (SIGTERM, on_unix_signal, self);
  self->sigint_id = g_unix_signal_add (SIGINT, on_unix_signal, self);
  start_engines (self);
}

/** ap_runtime_hold: keeps the application running with no window (once) */
void
ap_runtime_hold (ApRuntime *self)
{
  g_return_if_fail (AP_IS_RUNTIME (self));
  if (self->held)
    return;
  self->held = TRUE;
  g_application_hold (self->application);
}

/* `agentphone sip:1002@host` (or a sip:, sips:, tel: link opened from the
 * desktop) reaches the running instance here and is dialled like Dial(). */
void
ap_runtime_open (ApRuntime *self, GFile **files, int n_files)
{
  g_return_if_fail (AP_IS_RUNTIME (self));
  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *uri = g_file_get_uri (files[i]);
      g_autoptr (GError) error = NULL;

      if (ap_phone_dial (self->phone, uri, NULL, &error) == NULL)
        g_warning (_ ("Cannot dial “%s”: %s"), uri, error->message);
    }
}

/** ap_runtime_shutdown: GApplication::shutdown: no more signal handling */
void
ap_runtime_shutdown (ApRuntime *self)
{
  g_autoptr (GError) error = NULL;

  g_return_if_fail (AP_IS_RUNTIME (self));
  g_clear_handle_id (&self->sigterm_id, g_source_remove);
  g_clear_handle_id (&self->sigint_id, g_source_remove);
  /* Calls that ended while quitting may not be on disk yet. */
  if (self->phone && !ap_history_flush (ap_phone_get_history_store (self->phone), &error))
    g_warning ("%s", error->message);
}

/** ap_runtime_get_phone: (transfer none) (nullable): the phone, once registered on the bus */
ApPhone *
ap_runtime_get_phone (ApRuntime *self)
{
  g_return_val_if_fail (AP_IS_RUNTIME (self), NULL);
  return self->phone;
}
