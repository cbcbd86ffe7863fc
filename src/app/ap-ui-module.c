/* ap-ui-module.c: the window lives in a module, loaded only when wanted.
 *
 * Linking GTK and libadwaita into the one binary cost every headless start
 * ~20 ms of dynamic loading (91 libraries) and ~4 MB of RSS. The binary now
 * links no GTK; the window application and its widgets are agentphone-ui.so,
 * loaded here before the application is made. The binary exports its own
 * symbols (core, engines) for the module to use. */
#define G_LOG_DOMAIN "Agentphone"

#include "config.h"

#include "ap-ui-module.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <gmodule.h>

#define UI_MODULE_NAME "agentphone-ui.so"
#define UI_MODULE_ENTRY "ap_window_application_new"

typedef GApplication *(*ApWindowApplicationNew) (void);

/**
 * ap_ui_module_wanted:
 *
 * Whether this command line opens a window: not with --headless, and not
 * for the options that exit at once (--version, --help).
 */
gboolean
ap_ui_module_wanted (int argc, char **argv)
{
  for (int i = 1; i < argc && !g_str_equal (argv[i], "--"); i++)
    if (g_str_equal (argv[i], "--headless") || g_str_equal (argv[i], "--version")
        || g_str_equal (argv[i], "-h") || g_str_has_prefix (argv[i], "--help"))
      return FALSE;
  return TRUE;
}

/* Where the executable runs from: beside it in the build tree, else at
 * <prefix>/<libdir>/agentphone relative to <prefix>/<bindir>, so an install
 * under DESTDIR or a relocated prefix finds its own module. */
static GPtrArray *
candidate_paths (void)
{
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = exe ? g_path_get_dirname (exe) : NULL;

  if (dir != NULL)
    {
      g_ptr_array_add (paths, g_build_filename (dir, UI_MODULE_NAME, NULL));
      if (g_str_has_suffix (dir, "/" AP_BINDIR))
        {
          g_autofree char *prefix = g_strndup (dir, strlen (dir) - strlen ("/" AP_BINDIR));

          g_ptr_array_add (
            paths, g_build_filename (prefix, AP_LIBDIR, "agentphone", UI_MODULE_NAME, NULL));
        }
    }
  g_ptr_array_add (paths, g_build_filename (AP_MODULEDIR, UI_MODULE_NAME, NULL));
  return paths;
}

static GModule *
open_module (GError **error)
{
  g_autoptr (GPtrArray) paths = candidate_paths ();

  for (guint i = 0; i < paths->len; i++)
    {
      GModule *module;

      if (!g_file_test (paths->pdata[i], G_FILE_TEST_EXISTS))
        continue;
      module = g_module_open (paths->pdata[i], G_MODULE_BIND_LOCAL);
      if (module == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       _ ("The window cannot be opened: %s (reinstall Agentphone, or run "
                          "“agentphone --headless” for the DBus service alone)"),
                       g_module_error ());
          return NULL;
        }
      return module;
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
               _ ("The window cannot be opened: %s is not installed (reinstall Agentphone, or "
                  "run “agentphone --headless” for the DBus service alone)"),
               (const char *) paths->pdata[paths->len - 1]);
  return NULL;
}

/**
 * ap_ui_module_new_application:
 *
 * Loads the UI module (GTK, libadwaita and the window) for good.
 *
 * Returns: (transfer full) (nullable): the application that opens the window
 */
GApplication *
ap_ui_module_new_application (GError **error)
{
  GModule *module = open_module (error);
  ApWindowApplicationNew new_application = NULL;

  if (module == NULL)
    return NULL;
  if (!g_module_symbol (module, UI_MODULE_ENTRY, (gpointer *) &new_application))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _ ("The window cannot be opened: %s (reinstall Agentphone, or run "
                      "“agentphone --headless” for the DBus service alone)"),
                   g_module_error ());
      g_module_close (module);
      return NULL;
    }
  /* Its types stay registered with GObject: it can never be unloaded. */
  g_module_make_resident (module);
  return new_application ();
}
