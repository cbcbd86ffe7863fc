/* ap-sip-tls-dir.c: the folder sofia reads trusted CAs from.
 *
 * sofia reads trusted CAs from <dir>/cafile.pem only, so the configured file
 * (or the system bundle) is copied into a private folder of ours: one fixed
 * folder in the user's runtime folder, so that a process that never
 * finalises its engine (or is killed) leaves no new folder behind each time. */
#define G_LOG_DOMAIN "Agentphone-sip"

#include "config.h"

#include "ap-sip-private.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ap-error.h"

#define SYSTEM_CA_BUNDLE "/etc/ssl/certs/ca-certificates.crt"

/* Makes *@dir (once) and copies @ca_file ("": the system bundle) into it. */
gboolean
ap_sip_tls_dir_prepare (char **dir, const char *ca_file, GError **error)
{
  const char *ca = *ca_file != '\0' ? ca_file : SYSTEM_CA_BUNDLE;
  g_autofree char *contents = NULL;
  g_autofree char *target = NULL;
  gsize len = 0;
  g_autoptr (GError) local_error = NULL;

  if (*dir == NULL)
    {
      g_autofree char *path
        = g_build_filename (g_get_user_runtime_dir (), "agentphone", "tls", NULL);

      if (g_mkdir_with_parents (path, 0700) != 0)
        {
          int saved = errno;

          g_set_error (error, AP_ERROR, AP_ERROR_FAILED, _ ("Cannot prepare TLS: %s"),
                       g_strerror (saved));
          return FALSE;
        }
      *dir = g_steal_pointer (&path);
    }
  target = g_build_filename (*dir, "cafile.pem", NULL);
  if (!g_file_get_contents (ca, &contents, &len, &local_error)
      || !g_file_set_contents_full (target, contents, len, G_FILE_SET_CONTENTS_NONE, 0600,
                                    &local_error))
    {
      g_set_error (error, AP_ERROR, AP_ERROR_FAILED, _ ("Cannot read the TLS CA file %s: %s"), ca,
                   local_error->message);
      return FALSE;
    }
  return TRUE;
}

void
ap_sip_tls_dir_remove (char **dir)
{
  g_autofree char *ca = NULL;

  if (*dir == NULL)
    return;
  ca = g_build_filename (*dir, "cafile.pem", NULL);
  g_unlink (ca);
  g_rmdir (*dir);
  g_clear_pointer (dir, g_free);
}
