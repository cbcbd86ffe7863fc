/* ap-window-application.c: the application with a window.
 *
 * Built into the UI module (agentphone-ui.so), which ap-ui-module.c loads
 * only when a window is wanted: the GTK stack is then loaded, and a headless
 * phone never pays for it. Everything but the window is the same ApRuntime
 * the headless ApApplication runs. */
#define G_LOG_DOMAIN "Agentphone"

#include "config.h"

#include "ap-window-application.h"

#include "ap-runtime.h"
#include "ap-window.h"

struct _ApWindowApplication {
  AdwApplication parent_instance;

  ApRuntime *runtime;
};

G_DEFINE_FINAL_TYPE (ApWindowApplication, ap_window_application, ADW_TYPE_APPLICATION)

static gint
ap_window_application_handle_local_options (GApplication *app, GVariantDict *options)
{
  return ap_runtime_handle_local_options (AP_WINDOW_APPLICATION (app)->runtime, options);
}

static gboolean
ap_window_application_dbus_register (GApplication *app, GDBusConnection *connection,
                                     const char *object_path, GError **error)
{
  if (!G_APPLICATION_CLASS (ap_window_application_parent_class)
         ->dbus_register (app, connection, object_path, error))
    return FALSE;
  return ap_runtime_dbus_register (AP_WINDOW_APPLICATION (app)->runtime, connection, error);
}

static void
ap_window_application_dbus_unregister (GApplication *app, GDBusConnection *connection,
                                       const char *object_path)
{
  ap_runtime_dbus_unregister (AP_WINDOW_APPLICATION (app)->runtime);
  G_APPLICATION_CLASS (ap_window_application_parent_class)
    ->dbus_unregister (app, connection, object_path);
}

static void
ap_window_application_startup (GApplication *app)
{
  G_APPLICATION_CLASS (ap_window_application_parent_class)->startup (app);
  ap_runtime_startup (AP_WINDOW_APPLICATION (app)->runtime);
}

static void
ap_window_application_activate (GApplication *app)
{
  ApWindowApplication *self = AP_WINDOW_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window
      = GTK_WINDOW (ap_window_new (GTK_APPLICATION (app), ap_runtime_get_phone (self->runtime)));
  gtk_window_present (window);
}

static void
ap_window_application_open (GApplication *app, GFile **files, int n_files, const char *hint)
{
  ap_window_application_activate (app);
  ap_runtime_open (AP_WINDOW_APPLICATION (app)->runtime, files, n_files);
}

static void
ap_window_application_shutdown (GApplication *app)
{
  ap_runtime_shutdown (AP_WINDOW_APPLICATION (app)->runtime);
  G_APPLICATION_CLASS (ap_window_application_parent_class)->shutdown (app);
}

static void
ap_window_application_dispose (GObject *object)
{
  g_clear_object (&AP_WINDOW_APPLICATION (object)->runtime);
  G_OBJECT_CLASS (ap_window_application_parent_class)->dispose (object);
}

static void
ap_window_application_class_init (ApWindowApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = ap_window_application_dispose;
  app_class->handle_local_options = ap_window_application_handle_local_options;
  app_class->dbus_register = ap_window_application_dbus_register;
  app_class->dbus_unregister = ap_window_application_dbus_unregister;
  app_class->startup = ap_window_application_startup;
  app_class->activate = ap_window_application_activate;
  app_class->open = ap_window_application_open;
  app_class->shutdown = ap_window_application_shutdown;
}

static void
ap_window_application_init (ApWindowApplication *self)
{
  self->runtime = ap_runtime_new (G_APPLICATION (self));
  ap_runtime_add_options (G_APPLICATION (self));
}

/**
 * ap_window_application_new:
 *
 * The UI module's entry point, looked up by name by ap-ui-module.c.
 *
 * Returns: (transfer full): the application that opens the window
 */
GApplication *
ap_window_application_new (void)
{
  return g_object_new (AP_TYPE_WINDOW_APPLICATION, "application-id", APP_ID, "flags",
                       G_APPLICATION_HANDLES_OPEN, NULL);
}
