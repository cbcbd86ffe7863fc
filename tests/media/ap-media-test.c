/* ap-media-test.c: helpers shared by the media tests. */
#include "ap-media-test.h"

#include <glib/gstdio.h>

static gboolean
on_tick (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/**
 * ap_media_test_run_until:
 *
 * Runs the default main context until @predicate holds or @timeout_ms
 * pass; a 5 ms tick keeps it checking while nothing else happens.
 *
 * Returns: whether @predicate held
 */
gboolean
ap_media_test_run_until (ApMediaTestPredicate predicate, gpointer data, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  GSource *tick = g_timeout_source_new (5);
  gboolean result;

  g_source_set_callback (tick, on_tick, NULL, NULL);
  g_source_attach (tick, NULL);
  while (!(result = predicate != NULL && predicate (data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_destroy (tick);
  g_source_unref (tick);
  return result;
}

/** ap_media_test_run_for: runs the default main context for @ms */
void
ap_media_test_run_for (guint ms)
{
  ap_media_test_run_until (NULL, NULL, ms);
}

/** ap_media_test_make_dir: (transfer full): a new scratch folder */
char *
ap_media_test_make_dir (const char *name)
{
  g_autofree char *template = g_strdup_printf ("agentphone-%s-XXXXXX", name);
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp (template, &error);

  g_assert_no_error (error);
  return dir;
}

/**
 * ap_media_test_remove_dir: (skip)
 * @dir: (transfer full): a folder from ap_media_test_make_dir()
 *
 * Removes the files in @dir and @dir, unless AP_TEST_KEEP_WAVS is set
 * (then it says where they are), and frees @dir.
 */
void
ap_media_test_remove_dir (char *dir)
{
  g_autoptr (GDir) listing = NULL;
  const char *name;

  if (g_getenv ("AP_TEST_KEEP_WAVS") != NULL)
    {
      g_test_message ("recordings kept in %s", dir);
      g_free (dir);
      return;
    }
  listing = g_dir_open (dir, 0, NULL);
  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_remove (path);
    }
  g_rmdir (dir);
  g_free (dir);
}

/**
 * ap_media_test_params:
 *
 * Returns: (transfer full): the parameters an SDP answer gives for @codec
 * (`opus`, `g722`, `pcma`, `pcmu`) with its static or usual payload type,
 * 20 ms packets and no telephone-event, towards @address:@port
 */
ApMediaParams *
ap_media_test_params (const char *codec, const char *address, guint port,
                      ApMediaDirection direction)
{
  ApMediaParams *params = ap_media_params_new ();

  params->codec = g_strdup (codec);
  params->remote_address = g_strdup (address);
  params->remote_port = port;
  params->direction = direction;
  if (g_str_equal (codec, "opus"))
    {
      params->payload_type = 111;
      params->clock_rate = 48000;
      params->channels = 2;
    }
  else
    {
      params->payload_type = g_str_equal (codec, "pcmu") ? 0 : g_str_equal (codec, "pcma") ? 8 : 9;
      params->clock_rate = 8000;
    }
  return params;
}
