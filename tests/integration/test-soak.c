/* Soak: call cycles between two instances through Kamailio. AP_SOAK_CYCLES
 * sets the count (60 by default, to stay inside the suite's time budget;
 * tools/run-soak runs 500 against an AddressSanitizer build). Memory stays
 * flat, every call reaches the history, no call is left, and the phones exit
 * cleanly with no sanitizer report in their logs. */
#include <string.h>

#include "ap-test-calls.h"

#define CALL_TIMEOUT_MS 20000
/* What one call may leave behind on average over the second half of the
 * cycles. The heap still settles early on (40 to 100 KiB a cycle from cycle
 * 20 to 40 under load, 13 from 40 to 80, 10 from 150 to 300, measured); a
 * call that leaked its pipeline would leave megabytes. Leaks as such are
 * LeakSanitizer's job (tools/run-soak). */
#define RSS_PER_CYCLE_LIMIT_KIB 100

static gsize
rss_kib (ApTestPhone *phone)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", ap_test_phone_get_pid (phone));
  g_autofree char *text = NULL;
  const char *line;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  line = strstr (text, "VmRSS:");
  g_assert_nonnull (line);
  return g_ascii_strtoull (line + strlen ("VmRSS:"), NULL, 10);
}

static guint
count_calls (ApTestPhone *phone)
{
  g_auto (GStrv) calls = NULL;
  g_autoptr (GError) error = NULL;

  ap_dbus_phone_call_list_calls_sync (ap_test_phone_get_proxy (phone), &calls, NULL, &error);
  g_assert_no_error (error);
  return g_strv_length (calls);
}

static gboolean
both_idle (gpointer data)
{
  ApTestPair *pair = data;

  return count_calls (pair->a) == 0 && count_calls (pair->b) == 0;
}

static void
one_cycle (ApTestPair *pair, guint i)
{
  g_autoptr (ApDbusCall) call_a = NULL;
  g_autoptr (ApDbusCall) call_b = NULL;

  call_a = ap_test_dial (pair->a, pair->b, "1002", NULL, &call_b);
  ap_test_call_answer (call_b);
  g_assert_true (ap_test_call_wait_state (call_a, "connected", CALL_TIMEOUT_MS));
  g_assert_true (ap_test_call_wait_state (call_b, "connected", CALL_TIMEOUT_MS));
  ap_test_sleep (200);
  /* Each side hangs up in turn. */
  ap_test_call_hangup (i % 2 ? call_b : call_a);
  g_assert_true (ap_test_call_wait_state (call_a, "ended", CALL_TIMEOUT_MS));
  g_assert_true (ap_test_call_wait_state (call_b, "ended", CALL_TIMEOUT_MS));
  if (!ap_test_run_until (both_idle, pair, CALL_TIMEOUT_MS))
    g_error ("cycle %u: calls left over", i);
}

static guint
history_entries (ApTestPhone *phone)
{
  g_autoptr (GVariant) entries = NULL;
  g_autoptr (GError) error = NULL;

  ap_dbus_phone_call_get_history_sync (ap_test_phone_get_proxy (phone), 0, &entries, NULL, &error);
  g_assert_no_error (error);
  return (guint) g_variant_n_children (entries);
}

/* Quit, a clean exit, and no sanitizer report in what the phone wrote. */
static void
assert_clean_exit (ApTestPhone *phone)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *log = NULL;
  int status = -1;

  ap_dbus_phone_call_quit_sync (ap_test_phone_get_proxy (phone), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ap_test_phone_wait_exit (phone, 30000, &status));
  g_assert_true (g_file_get_contents (ap_test_phone_get_log (phone), &log, NULL, NULL));
  if (strstr (log, "Sanitizer") || strstr (log, "runtime error:"))
    g_error ("sanitizer report in %s", ap_test_phone_get_log (phone));
  g_assert_cmpint (status, ==, 0);
}

static void
test_soak (void)
{
  const char *env = g_getenv ("AP_SOAK_CYCLES");
  guint cycles = env ? (guint) g_ascii_strtoull (env, NULL, 10) : 60;
  guint warm_cycles = cycles / 2;
  g_autoptr (ApTestKamailio) kamailio = ap_test_kamailio_new (FALSE);
  ApTestPair pair = { 0 };
  gsize warm_a = 0, warm_b = 0, end_a, end_b;
  double per_cycle_a, per_cycle_b;
  gint64 start = g_get_monotonic_time ();

  g_assert_cmpuint (cycles, >=, 4);
  ap_test_kamailio_start (kamailio);
  ap_test_pair_start (&pair);
  ap_test_phone_register (pair.a, kamailio, "1001");
  ap_test_phone_register (pair.b, kamailio, "1002");
  for (guint i = 0; i < cycles; i++)
    {
      one_cycle (&pair, i);
      if (i + 1 == warm_cycles)
        {
          warm_a = rss_kib (pair.a);
          warm_b = rss_kib (pair.b);
        }
      if ((i + 1) % 20 == 0)
        g_test_message ("%u cycles, RSS A %zu KiB, B %zu KiB", i + 1, rss_kib (pair.a),
                        rss_kib (pair.b));
    }
  end_a = rss_kib (pair.a);
  end_b = rss_kib (pair.b);
  per_cycle_a = ((double) end_a - warm_a) / (cycles - warm_cycles);
  per_cycle_b = ((double) end_b - warm_b) / (cycles - warm_cycles);
  g_test_message ("%u call cycles in %.0f s; RSS A %zu -> %zu KiB (%.1f KiB/cycle), B %zu -> %zu "
                  "KiB (%.1f KiB/cycle)",
                  cycles, (g_get_monotonic_time () - start) / 1e6, warm_a, end_a, per_cycle_a,
                  warm_b, end_b, per_cycle_b);
  /* Under AddressSanitizer freed memory waits in quarantine: RSS says
   * nothing there, LeakSanitizer does (at exit, below). */
  if (g_getenv ("AP_SOAK_SANITIZED") == NULL)
    {
      g_assert_cmpfloat (per_cycle_a, <, RSS_PER_CYCLE_LIMIT_KIB);
      g_assert_cmpfloat (per_cycle_b, <, RSS_PER_CYCLE_LIMIT_KIB);
    }
  g_assert_cmpuint (history_entries (pair.a), ==, cycles);
  g_assert_cmpuint (history_entries (pair.b), ==, cycles);
  assert_clean_exit (pair.a);
  assert_clean_exit (pair.b);
  ap_test_pair_clear (&pair);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/soak/call-cycles", test_soak);
  return g_test_run ();
}
