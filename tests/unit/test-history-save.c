/* test-history-save.c: the call history is written off the main thread,
 * bursts of calls make one write, and no entry is ever lost: not at a flush,
 * not when the phone goes away, not after a write that failed. */
#include <glib/gstdio.h>
#include <string.h>

#include "ap-history.h"
#include "ap-memory-secret-store.h"
#include "ap-phone.h"
#include "ap-test-util.h"

#define DOMAIN "Agentphone-core"

typedef struct {
  guint writes;
  guint failed;
} Written;

static char *
history_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "agentphone", "history.json", NULL);
}

static void
append (ApHistory *history, guint i)
{
  g_autofree char *peer = g_strdup_printf ("sip:%u@example.com", i);
  ApHistoryEntry e = {
    .direction = (char *) "incoming",
    .peer = peer,
    .start = (gint64) (i + 1) * G_USEC_PER_SEC,
    .duration = i,
    .answered = TRUE,
    .end_code = 200,
    .end_reason = (char *) "OK",
  };

  ap_history_append (history, &e);
}

static void
on_written (ApHistory *history, gboolean ok, Written *w)
{
  w->writes++;
  w->failed += !ok;
}

static Written *
count_writes (ApHistory *history)
{
  Written *w = g_new0 (Written, 1);

  g_signal_connect_data (history, "written", G_CALLBACK (on_written), w,
                         (GClosureNotify) (void (*) (void)) g_free, 0);
  return w;
}

static gboolean
n_writes_reached (gpointer data)
{
  return ((Written *) data)->writes >= 1;
}

/* What a new phone would read from the file now. */
static GVariant *
on_disk (const char *path)
{
  g_autoptr (ApHistory) reader = ap_history_new (path, 0);
  g_autoptr (GError) error = NULL;

  g_assert_true (ap_history_load (reader, &error));
  g_assert_no_error (error);
  return ap_history_dup_entries (reader, 0);
}

static void
assert_on_disk (ApHistory *history, const char *path)
{
  g_autoptr (GVariant) file = on_disk (path);
  g_autoptr (GVariant) memory = ap_history_dup_entries (history, 0);

  g_assert_cmpuint (g_variant_n_children (file), ==, g_variant_n_children (memory));
  g_assert_true (g_variant_equal (file, memory));
}

/* Five calls ending together: one write, with all five. */
static void
test_burst_coalesced (void)
{
  g_autofree char *path = history_path ();
  g_autoptr (ApHistory) history = ap_history_new (path, 0);
  Written *w = count_writes (history);

  for (guint i = 0; i < 5; i++)
    append (history, i);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS)); /* not on the main thread */
  g_assert_true (ap_test_run_until (n_writes_reached, w, 5000));
  ap_test_run_for (300); /* no second write follows */
  g_assert_cmpuint (w->writes, ==, 1);
  g_assert_cmpuint (w->failed, ==, 0);
  assert_on_disk (history, path);
  g_assert_cmpuint (ap_history_get_n_entries (history), ==, 5);

  /* Nothing changed: a flush writes nothing. */
  g_assert_true (ap_history_flush (history, NULL));
  ap_test_run_for (100);
  g_assert_cmpuint (w->writes, ==, 1);
}

/* A flush puts the last state on disk at once, and a write still running
 * on a worker (an older state) never replaces it afterwards. */
static void
test_flush (void)
{
  g_autofree char *path = history_path ();
  g_autoptr (ApHistory) history = ap_history_new (path, 0);
  g_autoptr (GError) error = NULL;

  /* Big enough that the first write takes a while. */
  for (guint i = 0; i < 3000; i++)
    append (history, i);
  g_assert_true (ap_history_flush (history, &error));
  g_assert_no_error (error);
  assert_on_disk (history, path);

  for (guint round = 0; round < 5; round++)
    {
      append (history, 10000 + round);
      /* Around the moment the worker starts writing. */
      ap_test_run_for (40 + round * 5);
      append (history, 20000 + round);
      g_assert_true (ap_history_flush (history, &error));
      g_assert_no_error (error);
      assert_on_disk (history, path);
      ap_test_run_for (300); /* any late worker has finished */
      assert_on_disk (history, path);
    }
}

/* The phone going away (quit, SIGTERM) takes the history with it: what was
 * not written yet is written then, without a main loop to run. */
static void
test_dispose_writes (void)
{
  g_autofree char *path = history_path ();
  g_autofree char *settings_path
    = g_build_filename (g_get_user_config_dir (), "agentphone", "settings.json", NULL);
  g_autoptr (ApSettings) settings = ap_settings_new (settings_path);
  g_autoptr (ApSecretStore) secrets = ap_memory_secret_store_new ();
  g_autoptr (ApPhone) phone = ap_phone_new (settings, secrets);
  g_autoptr (ApHistory) history = ap_history_new (path, 0);
  g_autoptr (GVariant) expected = NULL;
  g_autoptr (GVariant) file = NULL;
  ApHistory *store;

  ap_phone_set_history (phone, history);
  g_clear_object (&history);
  store = ap_phone_get_history_store (phone);
  append (store, 1);
  ap_test_run_for (100); /* written by a worker */
  append (store, 2);
  append (store, 3); /* not yet */
  expected = ap_history_dup_entries (store, 0);
  g_clear_object (&phone);

  file = on_disk (path);
  g_assert_cmpuint (g_variant_n_children (file), ==, 3);
  g_assert_true (g_variant_equal (file, expected));
}

static void
on_shut_down (GObject *source, GAsyncResult *result, gpointer data)
{
  *(gboolean *) data = ap_phone_shutdown_finish (AP_PHONE (source), result, NULL);
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

/* Quitting puts every call so far on disk, while the phone still lives (the
 * window may hold it until the process ends). */
static void
test_shutdown_writes (void)
{
  g_autofree char *path = history_path ();
  g_autofree char *settings_path
    = g_build_filename (g_get_user_config_dir (), "agentphone", "settings.json", NULL);
  g_autoptr (ApSettings) settings = ap_settings_new (settings_path);
  g_autoptr (ApSecretStore) secrets = ap_memory_secret_store_new ();
  g_autoptr (ApPhone) phone = ap_phone_new (settings, secrets);
  g_autoptr (ApHistory) history = ap_history_new (path, 0);
  gboolean done = FALSE;

  ap_phone_set_history (phone, history);
  append (history, 1);
  append (history, 2);
  ap_phone_shutdown_async (phone, 1000, on_shut_down, &done);
  /* Before the write the timer would start: the shutdown flushed. */
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  assert_on_disk (history, path);
  g_assert_true (ap_test_run_until (flag_set, &done, 5000));
}

/* A write that fails says why, is not retried in a loop, and the entries it
 * missed go out with the next write that works. */
static void
test_failure_retried (void)
{
  g_autofree char *path = history_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr (ApHistory) history = ap_history_new (path, 0);
  Written *w = count_writes (history);

  /* The data folder is a file: the write cannot make it. */
  ap_test_block_dir (dir);
  g_test_expect_message (DOMAIN, G_LOG_LEVEL_WARNING,
                         "*Cannot create the folder*call history*will try again*");
  append (history, 1);
  g_assert_true (ap_test_run_until (n_writes_reached, w, 5000));
  g_test_assert_expected_messages ();
  g_assert_cmpuint (w->failed, ==, 1);
  ap_test_run_for (300);
  g_assert_cmpuint (w->writes, ==, 1); /* waits for the next change */
  g_assert_cmpuint (ap_history_get_n_entries (history), ==, 1);

  g_assert_cmpint (g_unlink (dir), ==, 0);
  append (history, 2);
  w->writes = 0;
  g_assert_true (ap_test_run_until (n_writes_reached, w, 5000));
  g_assert_cmpuint (w->failed, ==, 1);
  assert_on_disk (history, path);
  g_assert_cmpuint (ap_history_get_n_entries (history), ==, 2);
}

/* A flush that fails reports it to the caller, and the state is still
 * written by the next flush that can. */
static void
test_flush_failure (void)
{
  g_autofree char *path = history_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr (ApHistory) history = ap_history_new (path, 0);
  g_autoptr (GError) error = NULL;

  ap_test_block_dir (dir);
  append (history, 1);
  g_assert_false (ap_history_flush (history, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, dir));
  g_clear_error (&error);

  g_assert_cmpint (g_unlink (dir), ==, 0);
  g_assert_true (ap_history_flush (history, &error));
  g_assert_no_error (error);
  assert_on_disk (history, path);
}

/* GetHistory's entries are made once per entry and kept: a second listing
 * is the first plus what was added, field for field. */
static void
test_list_kept (void)
{
  g_autoptr (ApHistory) history = ap_history_new (NULL, 3);
  g_autoptr (GVariant) first = NULL;
  g_autoptr (GVariant) second = NULL;
  g_autoptr (GVariant) newest = NULL;
  const char *peer = NULL;
  guint duration = 0;

  for (guint i = 0; i < 3; i++)
    append (history, i);
  first = ap_history_dup_entries (history, 0);
  append (history, 7);
  second = ap_history_dup_entries (history, 0);
  g_assert_cmpstr (g_variant_get_type_string (second), ==, "aa{sv}");
  g_assert_cmpuint (g_variant_n_children (second), ==, 3); /* the bound */
  newest = g_variant_get_child_value (second, 0);
  g_assert_true (g_variant_lookup (newest, "peer", "&s", &peer));
  g_assert_cmpstr (peer, ==, "sip:7@example.com");
  g_assert_true (g_variant_lookup (newest, "duration", "u", &duration));
  g_assert_cmpuint (duration, ==, 7);
  for (gsize i = 1; i < 3; i++)
    {
      g_autoptr (GVariant) was = g_variant_get_child_value (first, i - 1);
      g_autoptr (GVariant) is = g_variant_get_child_value (second, i);

      g_assert_true (g_variant_equal (was, is));
    }
}

/* Calls ending at random moments, writes running meanwhile: every entry
 * is in the file at the end, in far fewer writes than calls. */
static void
test_never_lost (void)
{
  g_autofree char *path = history_path ();
  g_autoptr (ApHistory) history = ap_history_new (path, 0);
  Written *w = count_writes (history);
  const guint calls = 150;

  for (guint i = 0; i < calls; i++)
    {
      append (history, i);
      if (g_test_rand_int_range (0, 3) == 0)
        ap_test_run_for ((guint) g_test_rand_int_range (0, 60));
    }
  g_assert_true (ap_history_flush (history, NULL));
  ap_test_run_for (300);
  g_assert_cmpuint (ap_history_get_n_entries (history), ==, calls);
  assert_on_disk (history, path);
  g_assert_cmpuint (w->failed, ==, 0);
  g_assert_cmpuint (w->writes, <, calls / 3);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/history-save/burst-coalesced", test_burst_coalesced);
  g_test_add_func ("/history-save/flush", test_flush);
  g_test_add_func ("/history-save/dispose-writes", test_dispose_writes);
  g_test_add_func ("/history-save/shutdown-writes", test_shutdown_writes);
  g_test_add_func ("/history-save/failure-retried", test_failure_retried);
  g_test_add_func ("/history-save/flush-failure", test_flush_failure);
  g_test_add_func ("/history-save/never-lost", test_never_lost);
  g_test_add_func ("/history-save/list-kept", test_list_kept);
  return g_test_run ();
}
