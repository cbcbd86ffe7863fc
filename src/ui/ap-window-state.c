/* ap-window-state.c: the window remembers its size and the page it showed
 * last, in $XDG_CONFIG_HOME/agentphone/window-state.ini. A missing or broken
 * file just means the defaults. */
#define G_LOG_DOMAIN "Agentphone-ui"

#include "config.h"

#include "ap-window-state.h"

#include <errno.h>
#include <glib/gi18n.h>

#define GROUP "window"
#define MIN_SIZE 200

char *
ap_window_state_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "agentphone", "window-state.ini", NULL);
}

/** ap_window_state_restore: size, maximized and page as last saved, where still valid */
void
ap_window_state_restore (GtkWindow *window, GtkStack *stack)
{
  g_autofree char *path = ap_window_state_path ();
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *page = NULL;
  int width, height;

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &error))
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_debug ("Window state not restored: %s", error->message);
      return;
    }
  width = g_key_file_get_integer (file, GROUP, "width", NULL);
  height = g_key_file_get_integer (file, GROUP, "height", NULL);
  if (width >= MIN_SIZE && height >= MIN_SIZE)
    gtk_window_set_default_size (window, width, height);
  if (g_key_file_get_boolean (file, GROUP, "maximized", NULL))
    gtk_window_maximize (window);
  page = g_key_file_get_string (file, GROUP, "page", NULL);
  if (page && gtk_stack_get_child_by_name (stack, page))
    gtk_stack_set_visible_child_name (stack, page);
}

/** ap_window_state_save: writes the size (unmaximized) and the visible page */
gboolean
ap_window_state_save (GtkWindow *window, GtkStack *stack, GError **error)
{
  g_autofree char *path = ap_window_state_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr (GKeyFile) file = g_key_file_new ();
  const char *page = gtk_stack_get_visible_child_name (stack);
  int width = 0, height = 0;

  gtk_window_get_default_size (window, &width, &height);
  g_key_file_set_integer (file, GROUP, "width", width);
  g_key_file_set_integer (file, GROUP, "height", height);
  g_key_file_set_boolean (file, GROUP, "maximized", gtk_window_is_maximized (window));
  g_key_file_set_string (file, GROUP, "page", page ? page : "");
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _ ("Cannot create the folder %s for the window state: %s"), dir,
                   g_strerror (saved));
      return FALSE;
    }
  return g_key_file_save_to_file (file, path, error);
}
