/* Call history through DBus: two real instances, real calls through a real
 * Kamailio, GetHistory on both sides, and the history still there after a
 * restart. */
#include <glib/gstdio.h>
#include <string.h>

#include "ap-test-calls.h"

#define CALL_TIMEOUT_MS 10000

static ApTestKamailio *kamailio;

typedef struct {
  ApTestBus *bus_a, *bus_b;
  ApTestPhone *a, *b;
  char *wav_a, *wav_b;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->bus_a = ap_test_bus_new ();
  f->bus_b = ap_test_bus_new ();
  f->a = ap_test_phone_start_with_tone (f->bus_a, 440, &f->wav_a);
  f->b = ap_test_phone_start_with_tone (f->bus_b, 880, &f->wav_b);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  ap_test_phone_free (f->a);
  ap_test_phone_free (f->b);
  ap_test_bus_free (f->bus_a);
  ap_test_bus_free (f->bus_b);
  g_free (f->wav_a);
  g_free (f->wav_b);
}

static GVariant *
get_history (ApTestPhone *phone, guint limit)
{
  g_autoptr (GError) error = NULL;
  GVariant *entries = NULL;

  ap_dbus_phone_call_get_history_sync (ap_test_phone_get_proxy (phone), limit, &entries, NULL,
                                       &error);
  g_assert_no_error (error);
  g_assert_nonnull (entries);
  g_assert_cmpstr (g_variant_get_type_string (entries), ==, "aa{sv}");
  return entries;
}

/* Checks one entry; @duration is G_MAXUINT for "never connected" (0). */
static void
assert_entry (GVariant *entries, gsize index, const char *direction, const char *peer,
              gboolean answered, guint duration, guint end_code)
{
  g_autoptr (GVariant) e = g_variant_get_child_value (entries, index);
  const char *s = NULL;
  gboolean b = !answered;
  guint u = 0;
  gint64 start = 0;

  g_assert_true (g_variant_lookup (e, "id", "&s", &s));
  g_assert_cmpstr (s, !=, "");
  g_assert_true (g_variant_lookup (e, "direction", "&s", &s));
  g_assert_cmpstr (s, ==, direction);
  g_assert_true (g_variant_lookup (e, "peer", "&s", &s));
  g_assert_cmpstr (s, ==, peer);
  g_assert_true (g_variant_lookup (e, "peer-name", "&s", &s));
  g_assert_true (g_variant_lookup (e, "answered", "b", &b));
  g_assert_cmpint (b, ==, answered);
  g_assert_true (g_variant_lookup (e, "duration", "u", &u));
  if (answered)
    {
      g_assert_cmpuint (u + 1, >=, duration);
      g_assert_cmpuint (u, <=, duration + 1);
    }
  else
    g_assert_cmpuint (u, ==, 0);
  g_assert_true (g_variant_lookup (e, "end-code", "u", &u));
  g_assert_cmpuint (u, ==, end_code);
  g_assert_true (g_variant_lookup (e, "end-reason", "&s", &s));
  g_assert_cmpstr (s, !=, "");
  g_assert_true (g_variant_lookup (e, "recording", "&s", &s));
  g_assert_cmpstr (s, ==, "");
  g_assert_true (g_variant_lookup (e, "start", "x", &start));
  /* Within the last five minutes: a real clock, in microseconds. */
  g_assert_cmpint (start, <=, g_get_real_time ());
  g_assert_cmpint (start, >, g_get_real_time () - 300 * G_USEC_PER_SEC);
}

/* The echo test is not a call with anyone: never in the history. */
static void
echo_test (ApTestPhone *phone)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ApDbusCall) call = NULL;
  g_autofree char *path = NULL;
  g_autofree char *added = NULL;

  ap_dbus_phone_call_start_echo_test_sync (ap_test_phone_get_proxy (phone), &path, NULL, &error);
  g_assert_no_error (error);
  added = ap_test_phone_wait_call_added (phone, 2000);
  g_assert_cmpstr (added, ==, path);
  call = ap_test_phone_get_call (phone, path);
  g_assert_true (ap_test_call_wait_state (call, "connected", CALL_TIMEOUT_MS));
  ap_test_call_hangup (call);
  g_assert_true (ap_test_call_wait_state (call, "ended", CALL_TIMEOUT_MS));
}

/* Returns the seconds the call was connected, as seen from outside. */
static double
answered_call (Fixture *f)
{
  g_autoptr (ApDbusCall) call_b = NULL;
  g_autoptr (ApDbusCall) call_a = NULL;
  gint64 connected, ended;

  call_a = ap_test_dial (f->a, f->b, "1002", NULL, &call_b);
  ap_test_call_answer (call_b);
  g_assert_true (ap_test_call_wait_state (call_b, "connected", CALL_TIMEOUT_MS));
  g_assert_true (ap_test_call_wait_state (call_a, "connected", CALL_TIMEOUT_MS));
  connected = g_get_monotonic_time ();
  ap_test_sleep (3000);
  ap_test_call_hangup (call_a);
  g_assert_true (ap_test_call_wait_state (call_a, "ended", CALL_TIMEOUT_MS));
  g_assert_true (ap_test_call_wait_state (call_b, "ended", CALL_TIMEOUT_MS));
  ended = g_get_monotonic_time ();
  return (double) (ended - connected) / G_USEC_PER_SEC;
}

static void
rejected_call (Fixture *f)
{
  g_autoptr (ApDbusCall) call_b = NULL;
  g_autoptr (ApDbusCall) call_a = NULL;
  g_autoptr (GError) error = NULL;

  call_a = ap_test_dial (f->a, f->b, "1002", NULL, &call_b);
  ap_dbus_call_call_reject_sync (call_b, 486, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ap_test_call_wait_state (call_a, "ended", CALL_TIMEOUT_MS));
  g_assert_true (ap_test_call_wait_state (call_b, "ended", CALL_TIMEOUT_MS));
}

/* The caller gives up while B rings: a missed call on B. */
static void
missed_call (Fixture *f)
{
  g_autoptr (ApDbusCall) call_b = NULL;
  g_autoptr (ApDbusCall) call_a = NULL;

  call_a = ap_test_dial (f->a, f->b, "1002", NULL, &call_b);
  ap_test_call_hangup (call_a);
  g_assert_true (ap_test_call_wait_state (call_a, "ended", CALL_TIMEOUT_MS));
  g_assert_true (ap_test_call_wait_state (call_b, "ended", CALL_TIMEOUT_MS));
}

static void
restart (ApTestPhone **phone, ApTestBus *bus)
{
  g_autofree char *home = g_strdup (ap_test_phone_get_home (*phone));
  g_autoptr (GError) error = NULL;

  ap_dbus_phone_call_quit_sync (ap_test_phone_get_proxy (*phone), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ap_test_phone_wait_exit (*phone, 10000, NULL));
  ap_test_phone_free (*phone);
  *phone = ap_test_phone_start (bus, home, NULL);
}

static void
test_history (Fixture *f, gconstpointer data)
{
  g_autoptr (GVariant) history_a = NULL;
  g_autoptr (GVariant) history_b = NULL;
  g_autoptr (GVariant) after = NULL;
  g_autoptr (GVariant) one = NULL;
  g_autoptr (GVariant) many = NULL;
  g_autofree char *file = NULL;
  GStatBuf st;
  double seconds;

  echo_test (f->a);
  ap_test_phone_register (f->a, kamailio, "1001");
  ap_test_phone_register (f->b, kamailio, "1002");
  seconds = answered_call (f);
  g_test_message ("connected for %.2f s as seen from outside", seconds);
  rejected_call (f);
  missed_call (f);

  /* Newest first; the caller sees the URI it dialled, the callee the caller. */
  history_a = get_history (f->a, 0);
  g_assert_cmpuint (g_variant_n_children (history_a), ==, 3);
  assert_entry (history_a, 0, "outgoing", "sip:1002@127.0.0.1", FALSE, 0, 487);
  assert_entry (history_a, 1, "outgoing", "sip:1002@127.0.0.1", FALSE, 0, 486);
  assert_entry (history_a, 2, "outgoing", "sip:1002@127.0.0.1", TRUE, (guint) (seconds + 0.5), 200);
  history_b = get_history (f->b, 0);
  g_assert_cmpuint (g_variant_n_children (history_b), ==, 3);
  assert_entry (history_b, 0, "incoming", "sip:1001@127.0.0.1", FALSE, 0, 487);
  assert_entry (history_b, 1, "incoming", "sip:1001@127.0.0.1", FALSE, 0, 486);
  assert_entry (history_b, 2, "incoming", "sip:1001@127.0.0.1", TRUE, (guint) (seconds + 0.5), 200);

  /* limit: the newest n; more than there are is all of them. */
  one = get_history (f->b, 1);
  g_assert_cmpuint (g_variant_n_children (one), ==, 1);
  assert_entry (one, 0, "incoming", "sip:1001@127.0.0.1", FALSE, 0, 487);
  many = get_history (f->b, 1000);
  g_assert_true (g_variant_equal (many, history_b));

  /* Kept in the user's data folder, for the user only, and across runs.
   * Written off the main loop, calls ending together in one write: on disk
   * shortly after the last call (and at once at quit). */
  file
    = g_build_filename (ap_test_phone_get_home (f->b), "data", "agentphone", "history.json", NULL);
  g_assert_true (ap_test_run_until (ap_test_file_exists, file, 5000));
  g_assert_cmpint (g_stat (file, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  restart (&f->b, f->bus_b);
  after = get_history (f->b, 0);
  g_assert_true (g_variant_equal (after, history_b));
}

/* A history file that is not JSON: set aside, the phone starts, and new
 * calls are recorded and kept. */
static void
test_corrupt_file (Fixture *f, gconstpointer data)
{
  g_autofree char *dir
    = g_build_filename (ap_test_phone_get_home (f->b), "data", "agentphone", NULL);
  g_autofree char *file = g_build_filename (dir, "history.json", NULL);
  g_autoptr (GVariant) empty = NULL;
  g_autoptr (GVariant) history = NULL;
  g_autoptr (GVariant) after = NULL;
  g_autoptr (GDir) handle = NULL;
  g_autofree char *log = NULL;
  const char *name;
  gboolean aside = FALSE;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (file, "{\"version\": 1, \"entries\": [", -1, NULL));
  restart (&f->b, f->bus_b);
  empty = get_history (f->b, 0);
  g_assert_cmpuint (g_variant_n_children (empty), ==, 0);
  handle = g_dir_open (dir, 0, NULL);
  while (handle && (name = g_dir_read_name (handle)))
    aside |= g_str_has_prefix (name, "history.json.corrupt-");
  g_assert_true (aside);
  g_assert_true (g_file_get_contents (ap_test_phone_get_log (f->b), &log, NULL, NULL));
  g_assert_nonnull (strstr (log, "moved it to"));

  ap_test_phone_register (f->a, kamailio, "1001");
  ap_test_phone_register (f->b, kamailio, "1002");
  rejected_call (f);
  history = get_history (f->b, 0);
  g_assert_cmpuint (g_variant_n_children (history), ==, 1);
  assert_entry (history, 0, "incoming", "sip:1001@127.0.0.1", FALSE, 0, 486);
  restart (&f->b, f->bus_b);
  after = get_history (f->b, 0);
  g_assert_true (g_variant_equal (after, history));
}

int
main (int argc, char *argv[])
{
  int result;

  g_test_init (&argc, &argv, NULL);
  kamailio = ap_test_kamailio_new (FALSE);
  ap_test_kamailio_start (kamailio);

  g_test_add ("/history/answered-rejected-missed", Fixture, NULL, fixture_setup, test_history,
              fixture_teardown);
  g_test_add ("/history/corrupt-file", Fixture, NULL, fixture_setup, test_corrupt_file,
              fixture_teardown);
  result = g_test_run ();
  ap_test_kamailio_free (kamailio);
  return result;
}
