/* test-history.c: ApHistory keeps finished calls newest first, bounded,
 * across runs, and survives a file it cannot use. */
#include <glib/gstdio.h>
#include <string.h>

#include "ap-call.h"
#include "ap-error.h"
#include "ap-history.h"
#include "ap-test-util.h"

#define DOMAIN "Agentphone-core"

/* The path the application uses, under this test's own XDG folders. */
static char *
history_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "agentphone", "history.json", NULL);
}

static void
append (ApHistory *history, const char *peer, gint64 start, gboolean answered, guint duration,
        guint code)
{
  ApHistoryEntry e = {
    .direction = (char *) (answered ? "outgoing" : "incoming"),
    .peer = (char *) peer,
    .peer_name = (char *) "",
    .start = start,
    .duration = duration,
    .answered = answered,
    .end_code = code,
    .end_reason = (char *) (code == 200 ? "OK" : "Busy Here"),
  };

  ap_history_append (history, &e);
}

typedef struct {
  guint writes;
  gboolean ok;
} Written;

static void
on_written (ApHistory *history, gboolean ok, Written *w)
{
  w->writes++;
  w->ok = ok;
}

static gboolean
was_written (gpointer data)
{
  return ((Written *) data)->writes > 0;
}

/* Saving happens off the main thread, shortly after a change: waits (at most
 * 5 s) for the next write to end, and returns whether it worked. */
static gboolean
wait_written (ApHistory *history)
{
  Written w = { 0 };
  gulong handler = g_signal_connect (history, "written", G_CALLBACK (on_written), &w);

  g_assert_true (ap_test_run_until (was_written, &w, 5000));
  g_signal_handler_disconnect (history, handler);
  return w.ok;
}

static GVariant *
entry_at (ApHistory *history, guint limit, gsize index)
{
  g_autoptr (GVariant) all = ap_history_dup_entries (history, limit);

  g_assert_cmpuint (index, <, g_variant_n_children (all));
  return g_variant_get_child_value (all, index);
}

static const char *
peer_of (GVariant *entry)
{
  const char *peer = NULL;

  g_assert_true (g_variant_lookup (entry, "peer", "&s", &peer));
  return peer;
}

static void
test_round_trip (void)
{
  g_autofree char *path = history_path ();
  g_autoptr (ApHistory) history = ap_history_new (path, 0);
  g_autoptr (ApHistory) again = ap_history_new (path, 0);
  g_autoptr (GVariant) first = NULL;
  g_autoptr (GVariant) reloaded = NULL;
  g_autoptr (GError) error = NULL;
  GStatBuf st;

  g_assert_true (ap_history_load (history, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ap_history_get_n_entries (history), ==, 0);
  append (history, "sip:1002@example.com", 1000000, TRUE, 42, 200);
  append (history, "sip:1003@example.com", 3000000, FALSE, 0, 486);
  append (history, "sip:1004@example.com", 2000000, TRUE, 7, 200);
  g_assert_true (wait_written (history));

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_assert_true (ap_history_load (again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ap_history_get_n_entries (again), ==, 3);
  first = ap_history_dup_entries (history, 0);
  reloaded = ap_history_dup_entries (again, 0);
  g_assert_true (g_variant_equal (first, reloaded));
  g_assert_cmpstr (g_variant_get_type_string (reloaded), ==, "aa{sv}");
}

static void
test_fields_and_order (void)
{
  g_autoptr (ApHistory) history = ap_history_new (NULL, 0);
  g_autoptr (GVariant) newest = NULL;
  g_autoptr (GVariant) oldest = NULL;
  const char *id = NULL, *direction = NULL, *reason = NULL, *recording = NULL;
  gint64 start = 0;
  guint duration = 0, code = 0;
  gboolean answered = TRUE;

  /* Appended in end order, listed by start: the long call that began
   * first is last. */
  append (history, "sip:a@x", 5000000, TRUE, 100, 200);
  append (history, "sip:b@x", 9000000, FALSE, 0, 486);
  append (history, "sip:c@x", 1000000, TRUE, 300, 200);
  newest = entry_at (history, 0, 0);
  oldest = entry_at (history, 0, 2);
  g_assert_cmpstr (peer_of (newest), ==, "sip:b@x");
  g_assert_cmpstr (peer_of (oldest), ==, "sip:c@x");

  g_assert_true (g_variant_lookup (newest, "id", "&s", &id));
  g_assert_cmpuint (strlen (id), ==, 36);
  g_assert_true (g_variant_lookup (newest, "direction", "&s", &direction));
  g_assert_cmpstr (direction, ==, "incoming");
  g_assert_true (g_variant_lookup (newest, "start", "x", &start));
  g_assert_cmpint (start, ==, 9000000);
  g_assert_true (g_variant_lookup (newest, "duration", "u", &duration));
  g_assert_cmpuint (duration, ==, 0);
  g_assert_true (g_variant_lookup (newest, "answered", "b", &answered));
  g_assert_false (answered);
  g_assert_true (g_variant_lookup (newest, "end-code", "u", &code));
  g_assert_cmpuint (code, ==, 486);
  g_assert_true (g_variant_lookup (newest, "end-reason", "&s", &reason));
  g_assert_cmpstr (reason, ==, "Busy Here");
  g_assert_true (g_variant_lookup (newest, "recording", "&s", &recording));
  g_assert_cmpstr (recording, ==, "");
  g_assert_true (g_variant_lookup (newest, "peer-name", "&s", &reason));
}

static void
test_limit (void)
{
  g_autoptr (ApHistory) history = ap_history_new (NULL, 0);
  g_autoptr (GVariant) two = NULL;
  g_autoptr (GVariant) many = NULL;
  g_autoptr (GVariant) second = NULL;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *peer = g_strdup_printf ("sip:%u@x", i);

      append (history, peer, (i + 1) * G_USEC_PER_SEC, TRUE, i, 200);
    }
  two = ap_history_dup_entries (history, 2);
  g_assert_cmpuint (g_variant_n_children (two), ==, 2);
  second = g_variant_get_child_value (two, 1);
  g_assert_cmpstr (peer_of (second), ==, "sip:3@x");
  many = ap_history_dup_entries (history, 1000);
  g_assert_cmpuint (g_variant_n_children (many), ==, 5);
}

static void
test_bound (void)
{
  g_autofree char *path = history_path ();
  g_autoptr (ApHistory) history = ap_history_new (path, 3);
  g_autoptr (ApHistory) bigger = ap_history_new (path, 2);
  g_autoptr (GVariant) oldest = NULL;

  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *peer = g_strdup_printf ("sip:%u@x", i);

      append (history, peer, (i + 1) * G_USEC_PER_SEC, TRUE, i, 200);
    }
  g_assert_cmpuint (ap_history_get_n_entries (history), ==, 3);
  oldest = entry_at (history, 0, 2);
  g_assert_cmpstr (peer_of (oldest), ==, "sip:7@x");
  g_assert_true (ap_history_flush (history, NULL));
  /* A smaller bound than the file's applies at load too. */
  g_assert_true (ap_history_load (bigger, NULL));
  g_assert_cmpuint (ap_history_get_n_entries (bigger), ==, 2);
}

static char *
find_aside (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle && (name = g_dir_read_name (handle)))
    if (g_str_has_prefix (name, "history.json.corrupt-"))
      return g_build_filename (dir, name, NULL);
  return NULL;
}

static void
check_corrupt (const char *text)
{
  g_autofree char *path = history_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr (ApHistory) history = ap_history_new (path, 0);
  g_autoptr (ApHistory) again = ap_history_new (path, 0);
  g_autoptr (GError) error = NULL;
  g_autofree char *aside = NULL;
  g_autofree char *kept = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  g_test_expect_message (DOMAIN, G_LOG_LEVEL_WARNING, "*unreadable*moved it to*corrupt-*");
  g_assert_true (ap_history_load (history, &error));
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_cmpuint (ap_history_get_n_entries (history), ==, 0);

  aside = find_aside (path);
  g_assert_nonnull (aside);
  g_assert_true (g_file_get_contents (aside, &kept, NULL, NULL));
  g_assert_cmpstr (kept, ==, text);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  append (history, "sip:after@x", G_USEC_PER_SEC, TRUE, 3, 200);
  g_assert_true (wait_written (history));
  g_assert_true (ap_history_load (again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ap_history_get_n_entries (again), ==, 1);
  ap_test_remove_dir (dir);
}

static void
test_corrupt (void)
{
  check_corrupt ("{\"version\": 1, \"entries\": [ {\"id\": ");
}

static void
test_not_an_object (void)
{
  check_corrupt ("[1, 2, 3]");
}

static void
test_newer_version (void)
{
  check_corrupt ("{\"version\": 99, \"entries\": []}");
}

static void
test_malformed_entries_skipped (void)
{
  g_autofree char *path = history_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr (ApHistory) history = ap_history_new (path, 0);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (
    path,
    "{\"version\": 1, \"entries\": [42, {\"id\": \"x\", \"direction\": \"sideways\"},"
    " {\"id\": \"good\", \"direction\": \"incoming\", \"peer\": \"sip:1@x\", \"start\": 5}]}",
    -1, NULL));
  g_assert_true (ap_history_load (history, NULL));
  g_assert_cmpuint (ap_history_get_n_entries (history), ==, 1);
}

/* The data folder is a file: nothing can be read, moved or written there
 * (true even for root, unlike a chmod). */
static void
test_unusable_folder (void)
{
  g_autofree char *path = history_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr (ApHistory) history = ap_history_new (path, 0);
  g_autoptr (GError) error = NULL;

  ap_test_block_dir (dir);

  /* Reading fails with an error naming the file (the caller logs it); the
   * history is empty and still takes calls. */
  g_assert_false (ap_history_load (history, &error));
  g_assert_error (error, AP_ERROR, AP_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "empty history"));
  g_assert_cmpuint (ap_history_get_n_entries (history), ==, 0);
  g_clear_error (&error);

  g_test_expect_message (DOMAIN, G_LOG_LEVEL_WARNING, "*Cannot create the folder*call history*");
  append (history, "sip:kept@x", G_USEC_PER_SEC, TRUE, 3, 200);
  g_assert_false (wait_written (history));
  g_test_assert_expected_messages ();
  g_assert_cmpuint (ap_history_get_n_entries (history), ==, 1);

  g_assert_false (ap_history_save (history, &error));
  g_assert_error (error, AP_ERROR, AP_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, dir));
  g_unlink (dir);
}

/* A file that exists but cannot be read nor moved: clear error, empty history. */
static void
test_unreadable_file (void)
{
  g_autofree char *path = history_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr (ApHistory) history = ap_history_new (path, 0);
  g_autoptr (GError) error = NULL;

  /* A folder where the file should be: reading fails, renaming works. */
  g_assert_cmpint (g_mkdir_with_parents (path, 0700), ==, 0);
  g_test_expect_message (DOMAIN, G_LOG_LEVEL_WARNING, "*unreadable*moved it to*corrupt-*");
  g_assert_true (ap_history_load (history, &error));
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  append (history, "sip:new@x", G_USEC_PER_SEC, TRUE, 3, 200);
  g_assert_true (wait_written (history));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  ap_test_remove_dir (dir);
}

static gboolean
n_entries_is (gpointer data)
{
  return ap_history_get_n_entries (data) >= 2;
}

/* Real ApCalls: an answered call lasts as long as it was connected, a
 * missed one has no duration and starts when it rang. */
static void
test_track_calls (void)
{
  g_autoptr (ApHistory) history = ap_history_new (NULL, 0);
  g_autoptr (ApCall) answered = ap_call_new (AP_CALL_DIRECTION_INCOMING, "sip:1002@x", "Bob");
  g_autoptr (ApCall) missed = ap_call_new (AP_CALL_DIRECTION_INCOMING, "sip:1003@x", "");
  g_autoptr (GVariant) newest = NULL;
  g_autoptr (GVariant) oldest = NULL;
  gint64 before = g_get_real_time ();
  gint64 start = 0;
  guint duration = 99, code = 0;
  gboolean was_answered = FALSE;
  const char *name = NULL;

  ap_history_track_call (history, answered);
  ap_history_track_call (history, missed);
  ap_test_run_for (300);
  ap_call_connected (answered, 200, "OK");
  ap_test_run_for (1200);
  ap_call_ended (missed, 487, "Request Terminated");
  ap_call_ended (answered, 200, "OK");
  g_assert_true (ap_test_run_until (n_entries_is, history, 1000));

  newest = entry_at (history, 0, 0);
  oldest = entry_at (history, 0, 1);
  g_assert_cmpstr (peer_of (newest), ==, "sip:1002@x");
  g_assert_true (g_variant_lookup (newest, "answered", "b", &was_answered));
  g_assert_true (was_answered);
  g_assert_true (g_variant_lookup (newest, "duration", "u", &duration));
  g_assert_cmpuint (duration, ==, 1);
  g_assert_true (g_variant_lookup (newest, "peer-name", "&s", &name));
  g_assert_cmpstr (name, ==, "Bob");
  g_assert_true (g_variant_lookup (newest, "start", "x", &start));
  g_assert_cmpint (start, >=, before + 250000);

  g_assert_cmpstr (peer_of (oldest), ==, "sip:1003@x");
  g_assert_true (g_variant_lookup (oldest, "answered", "b", &was_answered));
  g_assert_false (was_answered);
  g_assert_true (g_variant_lookup (oldest, "duration", "u", &duration));
  g_assert_cmpuint (duration, ==, 0);
  g_assert_true (g_variant_lookup (oldest, "end-code", "u", &code));
  g_assert_cmpuint (code, ==, 487);
  g_assert_true (g_variant_lookup (oldest, "start", "x", &start));
  g_assert_cmpint (start, >=, before);
  g_assert_cmpint (start, <, before + 250000);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/history/round-trip", test_round_trip);
  g_test_add_func ("/history/fields-and-order", test_fields_and_order);
  g_test_add_func ("/history/limit", test_limit);
  g_test_add_func ("/history/bound", test_bound);
  g_test_add_func ("/history/corrupt", test_corrupt);
  g_test_add_func ("/history/not-an-object", test_not_an_object);
  g_test_add_func ("/history/newer-version", test_newer_version);
  g_test_add_func ("/history/malformed-entries-skipped", test_malformed_entries_skipped);
  g_test_add_func ("/history/unusable-folder", test_unusable_folder);
  g_test_add_func ("/history/unreadable-file", test_unreadable_file);
  g_test_add_func ("/history/track-calls", test_track_calls);
  return g_test_run ();
}
