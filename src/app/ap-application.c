/* ap-application.c: the composition root.
 *
 * Builds the core, the engines and the two faces, and ties their lifetimes
 * together; it knows every layer so that no other file has to. With
 * --headless no GTK is initialised at all, so the service runs on machines
 * with no display. */
#define G_LOG_DOMAIN "Agentphone"

#include "config.h"

#include "ap-application.h"

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "ap-dbus-service.h"
#include "ap-libsecret-store.h"
#include "ap-media-engine.h"
#include "ap-phone.h"
#include "ap-sip-engine.h"
#include "ap-sip-library.h"
#include "ap-sip-registration.h"
#include "ap-window.h"

#define SECRET_TIMEOUT_MS 3000
#define UNREGISTER_TIMEOUT_MS 4000
#define SIP_SHUTDOWN_TIMEOUT_MS 3000

struct _ApApplication {
  AdwApplication parent_instance;

  gboolean headless;
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

G_DEFINE_FINAL_TYPE (ApApplication, ap_application, ADW_TYPE_APPLICATION)

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
ensure_core (ApApplication *self)
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
on_engine_started (ApSipEngine *engine, ApApplication *self)
{
  ap_phone_set_listen_port (self->phone, ap_sip_engine_get_port (engine));
}

static void
on_engine_stopping (ApSipEngine *engine, ApApplication *self)
{
  ap_phone_set_listen_port (self->phone, 0);
}

static void
start_engines (ApApplication *self)
{
  g_autoptr (GError) error = NULL;

  self->engine = ap_sip_engine_new (self->settings);
  g_signal_connect (self->engine, "started", G_CALLBACK (on_engine_started), self);
  g_signal_connect (self->engine, "stopping", G_CALLBACK (on_engine_stopping), self);
  self->registration = ap_sip_registration_new (self->engine);
  ap_account_set_backend (ap_phone_get_account (self->phone), self->registration);
  ap_sip_engine_set_account (self->engine, ap_phone_get_account (self->phone));
  ap_phone_set_signaling (self->phone, AP_SIGNALING (self->engine));
  if (!ap_sip_engine_start (self->engine, &error))
    g_warning ("%s", error->message);
  /* The password lookup runs on a thread while GStreamer and the device
   * monitor start here; no call or request is served before we return. */
  ap_phone_register_saved (self->phone);
  self->media = ap_media_engine_new ();
  ap_media_engine_set_settings (self->media, self->settings);
  ap_phone_set_devices (self->phone, AP_DEVICE_BACKEND (ap_media_engine_get_devices (self->media)));
  ap_sip_engine_set_media_factory (self->engine, AP_MEDIA_FACTORY (self->media));
  ap_phone_set_media_factory (self->phone, AP_MEDIA_FACTORY (self->media));
}

static void
finish_quit (ApApplication *self)
{
  if (self->held)
    {
      self->held = FALSE;
      g_application_release (G_APPLICATION (self));
    }
  g_application_quit (G_APPLICATION (self));
}

static void
on_engine_shut_down (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (ApApplication) self = user_data;

  ap_sip_engine_shutdown_finish (AP_SIP_ENGINE (source), result, NULL);
  finish_quit (self);
}

static void
on_phone_shut_down (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (ApApplication) self = user_data;

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
begin_quit (ApApplication *self)
{
  if (self->quitting)
    return;
  self->quitting = TRUE;
  g_debug ("Quitting");
  /* Closing the window quits too: keep running until un-registered. */
  if (!self->held)
    {
      self->held = TRUE;
      g_application_hold (G_APPLICATION (self));
    }
  ap_phone_shutdown_async (self->phone, UNREGISTER_TIMEOUT_MS, on_phone_shut_down,
                           g_object_ref (self));
}

static gboolean
on_unix_signal (gpointer user_data)
{
  begin_quit (AP_APPLICATION (user_data));
  return G_SOURCE_CONTINUE;
}

static gint
ap_application_handle_local_options (GApplication *app, GVariantDict *options)
{
  ApApplication *self = AP_APPLICATION (app);

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("Agentphone %s\n", PACKAGE_VERSION);
      return 0;
    }
  self->headless = g_variant_dict_contains (options, "headless");
  return -1;
}

static gboolean
ap_application_dbus_register (GApplication *app, GDBusConnection *connection,
                              const char *object_path, GError **error)
{
  ApApplication *self = AP_APPLICATION (app);

  if (!G_APPLICATION_CLASS (ap_application_parent_class)
         ->dbus_register (app, connection, object_path, error))
    return FALSE;
  ensure_core (self);
  return ap_dbus_service_export (self->service, connection, error);
}

static void
ap_application_dbus_unregister (GApplication *app, GDBusConnection *connection,
                                const char *object_path)
{
  ApApplication *self = AP_APPLICATION (app);

  if (self->service)
    ap_dbus_service_unexport (self->service);
  G_APPLICATION_CLASS (ap_application_parent_class)->dbus_unregister (app, connection, object_path);
}

/* Headless, GtkApplication's own vfuncs must not run: they open a display.
 * GApplication's are the ones underneath them. */
static GApplicationClass *
base_class (ApApplication *self)
{
  if (self->headless)
    return g_type_class_peek (G_TYPE_APPLICATION);
  return G_APPLICATION_CLASS (ap_application_parent_class);
}

static void
ap_application_startup (GApplication *app)
{
  ApApplication *self = AP_APPLICATION (app);

  base_class (self)->startup (app);
  ensure_core (self);
  g_signal_connect_swapped (self->phone, "quit-requested", G_CALLBACK (begin_quit), self);
  self->sigterm_id = g_unix_signal_add (SIGTERM, on_unix_signal, self);
  self->sigint_id = g_unix_signal_add (SIGINT, on_unix_signal, self);
  start_engines (self);
}

static void
ap_application_activate (GApplication *app)
{
  ApApplication *self = AP_APPLICATION (app);
  GtkWindow *window;

  if (self->headless)
    {
      if (!self->held)
        {
          self->held = TRUE;
          g_application_hold (app);
        }
      return;
    }
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL)
    window = GTK_WINDOW (ap_window_new (GTK_APPLICATION (app), self->phone));
  gtk_window_present (window);
}

/* `agentphone sip:1002@host` (or a sip:, sips:, tel: link opened from the
 * desktop) reaches the running instance here and is dialled like Dial(). */
static void
ap_application_open (GApplication *app, GFile **files, int n_files, const char *hint)
{
  ApApplication *self = AP_APPLICATION (app);

  ap_application_activate (app);
  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *uri = g_file_get_uri (files[i]);
      g_autoptr (GError) error = NULL;

      if (ap_phone_dial (self->phone, uri, NULL, &error) == NULL)
        g_warning (_ ("Cannot dial “%s”: %s"), uri, error->message);
    }
}

static void
ap_application_before_emit (GApplication *app, GVariant *platform_data)
{
  base_class (AP_APPLICATION (app))->before_emit (app, platform_data);
}

static void
ap_application_after_emit (GApplication *app, GVariant *platform_data)
{
  base_class (AP_APPLICATION (app))->after_emit (app, platform_data);
}

static void
ap_application_shutdown (GApplication *app)
{
  ApApplication *self = AP_APPLICATION (app);

  g_clear_handle_id (&self->sigterm_id, g_source_remove);
  g_clear_handle_id (&self->sigint_id, g_source_remove);
  base_class (self)->shutdown (app);
}

static void
ap_application_dispose (GObject *object)
{
  ApApplication *self = AP_APPLICATION (object);

  g_clear_object (&self->service);
  g_clear_object (&self->registration);
  g_clear_object (&self->phone);
  g_clear_object (&self->engine);
  g_clear_object (&self->media);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (ap_application_parent_class)->dispose (object);
}

static void
ap_application_class_init (ApApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = ap_application_dispose;
  app_class->handle_local_options = ap_application_handle_local_options;
  app_class->dbus_register = ap_application_dbus_register;
  app_class->dbus_unregister = ap_application_dbus_unregister;
  app_class->startup = ap_application_startup;
  app_class->activate = ap_application_activate;
  app_class->open = ap_application_open;
  app_class->before_emit = ap_application_before_emit;
  app_class->after_emit = ap_application_after_emit;
  app_class->shutdown = ap_application_shutdown;
}

static void
ap_application_init (ApApplication *self)
{
  const GOptionEntry entries[] = {
    { "headless", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_ ("Serve the DBus interface without opening a window"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_ ("Print the version and exit"), NULL },
    { NULL },
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  ap_sip_library_prepare ();
}

ApApplication *
ap_application_new (void)
{
  return g_object_new (AP_TYPE_APPLICATION, "application-id", APP_ID, "flags",
                       G_APPLICATION_HANDLES_OPEN, NULL);
}
