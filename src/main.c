/* main.c: runs the application, headless or (from the UI module) with a
 * window; everything else lives in ApRuntime. */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <signal.h>

#include "ap-application.h"
#include "ap-ui-module.h"

int
main (int argc, char **argv)
{
  g_autoptr (GApplication) app = NULL;
  g_autoptr (GError) error = NULL;

  /* A file size limit (RLIMIT_FSIZE) fails the write, which stops a
   * recording with a reason, instead of killing the phone mid-call. */
  signal (SIGXFSZ, SIG_IGN);
  setlocale (LC_ALL, "");
  /* AGENTPHONE_LOCALEDIR: the build tree's translations, for the UI trials. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("AGENTPHONE_LOCALEDIR")
                                     ? g_getenv ("AGENTPHONE_LOCALEDIR")
                                     : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* GTK is loaded only for a window: a headless phone starts without it. */
  if (ap_ui_module_wanted (argc, argv))
    app = ap_ui_module_new_application (&error);
  else
    app = G_APPLICATION (ap_application_new ());
  if (app == NULL)
    {
      g_printerr ("agentphone: %s\n", error->message);
      return 1;
    }
  return g_application_run (app, argc, argv);
}
