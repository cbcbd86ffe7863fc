/* main.c: runs the application; everything else lives in ApApplication. */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <signal.h>

#include "ap-application.h"

int
main (int argc, char **argv)
{
  g_autoptr (ApApplication) app = NULL;

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

  app = ap_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
