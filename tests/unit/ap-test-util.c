/* ap-test-util.c: bounded main-loop waits and scratch folders for the unit tests. */
#include "ap-test-util.h"

#include <glib/gstdio.h>

static gboolean
on_deadline (gpointer data)
{
  gboolean *expired = data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

/**
 * ap_test_run_until:
 * @predicate: checked before each iteration of the default main context
 * @timeout_ms: the longest to wait
 *
 * Returns: whether @predicate became true in time.
 */
gboolean
ap_test_run_until (ApTestPredicate predicate, gpointer data, guint timeout_ms)
{
  gboolean expired = FALSE;
  guint deadline_id = g_timeout_add (timeout_ms, on_deadline, &expired);

  while (!predicate (data) && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (deadline_id);
  return predicate (data);
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

/** ap_test_run_for: lets the main loop run for @ms, e.g. to see that nothing happens. */
void
ap_test_run_for (guint ms)
{
  ap_test_run_until (never, NULL, ms);
}

/** ap_test_make_dir: (transfer full): a new private folder under the temp dir */
char *
ap_test_make_dir (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("agentphone-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

/** ap_test_remove_dir: removes @dir and everything in it. */
void
ap_test_remove_dir (const char *dir)
{
  g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  if (handle == NULL)
    return;
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        ap_test_remove_dir (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

/**
 * ap_test_block_dir:
 *
 * Puts a file where the folder @dir should be: nothing can be read, made or
 * written there (true even for root, unlike a chmod).
 */
void
ap_test_block_dir (const char *dir)
{
  g_autofree char *parent = g_path_get_dirname (dir);

  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  g_assert_true (g_file_set_contents (dir, "not a folder", -1, NULL));
}

/** ap_test_read_file: (transfer full) (nullable): the contents of @path, %NULL if absent */
char *
ap_test_read_file (const char *path)
{
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  return text;
}

/** ap_test_merge: merges @text, an `a{sv}` in GVariant text format, and asserts it worked. */
void
ap_test_merge (ApSettings *settings, const char *text)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) value = g_variant_parse (G_VARIANT_TYPE_VARDICT, text, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (ap_settings_merge (settings, value, &error));
  g_assert_no_error (error);
}
