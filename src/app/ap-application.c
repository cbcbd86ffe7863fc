/* ap-application.c: the headless application, a plain GApplication.
 *
 * `agentphone --headless` (and --version, --help) runs this: the DBus face
 * over the core and the engines, with no GTK loaded at all, so the service
 * starts fast, stays small and runs on machines with no display. The window
 * is ApWindowApplication, in the UI module (see ap-ui-module.c). */
#define G_LOG_DOMAIN "Agentphone"

#include "config.h"

#include "ap-application.h"

#include "ap-runtime.h"

struct _ApApplication {
  GApplication parent_instance;

  ApRuntime *runtime;
};

G_DEFINE_FINAL_TYPE (ApApplication, ap_application, G_TYPE_APPLICATION)

static gint
ap_application_handle_local_options (GApplication *app, GVariantDict *options)
{
  return ap_runtime_handle_local_options (AP_APPLICATION (app)->runtime, options);
}

static gboolean
ap_application_dbus_register (GApplication *app, GDBusConnection *connection,
                              const char *object_path, GError **error)
{
  if (!G_APPLICATION_CLASS (ap_application_parent_class)
         ->dbus_register (app, connection, object_path, error))
    return FALSE;
  return ap_runtime_dbus_register (AP_APPLICATION (app)->runtime, connection, error);
}

static void
ap_application_dbus_unregister (GApplication *app, GDBusConnection *connection,
                                const char *object_path)
{
  ap_runtime_dbus_unregister (AP_APPLICATION (app)->runtime);
  G_APPLICATION_CLASS (ap_application_parent_class)->dbus_unregister (app, connection, object_path);
}

static void
ap_application_startup (GApplication *app)
{
  G_APPLICATION_CLASS (ap_application_parent_class)->startup (app);
  ap_runtime_startup (AP_APPLICATION (app)->runtime);
}

/* No window: the service runs until Quit() or a signal. */
static void
ap_application_activate (GApplication *app)
{
  ap_runtime_hold (AP_APPLICATION (app)->runtime);
}

static void
ap_application_open (GApplication *app, GFile **files, int n_files, const char *hint)
{
  ap_application_activate (app);
  ap_runtime_open (AP_APPLICATION (app)->runtime, files, n_files);
}

static void
ap_application_shutdown (GApplication *app)
{
  ap_runtime_shutdown (AP_APPLICATION (app)->runtime);
  G_APPLICATION_CLASS (ap_application_parent_class)->shutdown (app);
}

static void
ap_application_dispose (GObject *object)
{
  g_clear_object (&AP_APPLICATION (object)->runtime);
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
  app_class->shutdown = ap_application_shutdown;
}

static void
ap_application_init (ApApplication *self)
{
  self->runtime = ap_runtime_new (G_APPLICATION (self));
  ap_runtime_add_options (G_APPLICATION (self));
}

ApApplication *
ap_application_new (void)
{
  return g_object_new (AP_TYPE_APPLICATION, "application-id", APP_ID, "flags",
                       G_APPLICATION_HANDLES_OPEN, NULL);
}
