/* ap-fuzz.c: what every fuzz target needs. */
#include "ap-fuzz.h"

#include <glib/gstdio.h>
#include <string.h>

static void
drop_log (const char *domain, GLogLevelFlags level, const char *message, gpointer data)
{
}

/** ap_fuzz_quiet: messages and warnings are expected; only crashes count */
void
ap_fuzz_quiet (void)
{
  static gboolean done;

  if (done)
    return;
  done = TRUE;
  g_log_set_default_handler (drop_log, NULL);
  g_log_set_writer_func (g_log_writer_default, NULL, NULL);
  g_log_set_handler (NULL, G_LOG_LEVEL_MASK & ~G_LOG_LEVEL_ERROR, drop_log, NULL);
  g_setenv ("G_MESSAGES_DEBUG", "", TRUE);
}

/** ap_fuzz_text: the input as a NUL-terminated string (it may hold NULs) */
char *
ap_fuzz_text (const uint8_t *data, size_t size)
{
  char *text = g_malloc (size + 1);

  memcpy (text, data, size);
  text[size] = '\0';
  return text;
}

/* Loaders set corrupt files aside under new names: clear them away, or
 * the folder grows by one file per input. */
static void
empty_dir (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
}

/**
 * ap_fuzz_write_file:
 *
 * Writes the input to @name in a folder of this process (made once), for
 * loaders that read files. Returns: its path
 */
char *
ap_fuzz_write_file (const char *name, const uint8_t *data, size_t size)
{
  static char *dir;
  char *path;

  if (dir == NULL)
    dir = g_dir_make_tmp ("ap-fuzz-XXXXXX", NULL);
  g_assert (dir != NULL);
  empty_dir (dir);
  path = g_build_filename (dir, name, NULL);
  g_assert (g_file_set_contents (path, (const char *) data, (gssize) size, NULL));
  return path;
}
