/* bench-history.c: what the call history costs the main loop over a long
 * shift, at 100, 1000 and 10000 entries (the cap).
 *
 * For each size: the load at start; one ap_history_append() (a call ending:
 * the time the main thread is busy); one explicit ap_history_save(); and the
 * longest the main loop went without running a 1 ms ticker while calls ended
 * one every 20 ms (what an agent's window and the SIP stack feel). Medians over
 * the runs; nothing here passes or fails. */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>

#include "ap-history.h"

#define RUNS 7
#define BURST 20
#define BURST_GAP_MS 20

/* A file of @n entries as the phone writes it (~325 bytes each), written
 * directly: appending 10000 calls one by one would itself take minutes. */
static void
write_history_file (const char *path, guint n)
{
  g_autoptr (GString) s = g_string_new ("{\n  \"version\" : 1,\n  \"entries\" : [\n");

  for (guint i = n; i > 0; i--)
    {
      g_autofree char *id = g_uuid_string_random ();

      g_string_append_printf (
        s,
        "    {\n      \"id\" : \"%s\",\n      \"direction\" : \"%s\",\n"
        "      \"peer\" : \"sip:%u@pbx.example.com\",\n      \"peer-name\" : \"Customer %u\",\n"
        "      \"start\" : %" G_GINT64_FORMAT ",\n      \"duration\" : %u,\n"
        "      \"answered\" : %s,\n      \"end-code\" : %u,\n"
        "      \"end-reason\" : \"%s\",\n      \"recording\" : \"\"\n    }%s\n",
        id, i % 3 ? "incoming" : "outgoing", 1000 + i % 4000, i, (gint64) i * G_USEC_PER_SEC,
        i % 5 ? 95 + i % 300 : 0, i % 5 ? "true" : "false", i % 5 ? 200 : 486,
        i % 5 ? "OK" : "Busy Here", i > 1 ? "," : "");
    }
  g_string_append (s, "  ]\n}\n");
  g_assert_true (g_file_set_contents (path, s->str, (gssize) s->len, NULL));
}

static void
append_one (ApHistory *history, guint i)
{
  ApHistoryEntry e = {
    .direction = (char *) "incoming",
    .peer = (char *) "sip:1234@pbx.example.com",
    .peer_name = (char *) "Customer",
    .start = g_get_real_time () + i,
    .duration = 120,
    .answered = TRUE,
    .end_code = 200,
    .end_reason = (char *) "OK",
  };

  ap_history_append (history, &e);
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *v, guint n)
{
  qsort (v, n, sizeof *v, compare_double);
  return v[n / 2];
}

/* ---- the main loop while calls end ---- */

typedef struct {
  GMainLoop *loop;
  ApHistory *history;
  gint64 last_tick;
  gint64 max_gap;
  guint appended;
  guint writes;
} Stall;

static gboolean
on_tick (gpointer data)
{
  Stall *s = data;
  gint64 now = g_get_monotonic_time ();

  if (s->last_tick && now - s->last_tick > s->max_gap)
    s->max_gap = now - s->last_tick;
  s->last_tick = now;
  return G_SOURCE_CONTINUE;
}

static gboolean
on_call_ends (gpointer data)
{
  Stall *s = data;

  append_one (s->history, s->appended++);
  return s->appended < BURST ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static gboolean
on_done (gpointer data)
{
  g_main_loop_quit (((Stall *) data)->loop);
  return G_SOURCE_REMOVE;
}

static void
on_written (ApHistory *history, gboolean ok, Stall *s)
{
  s->writes++;
}

/* The longest gap between 1 ms ticks, minus the tick itself, in ms. */
static double
measure_stall (ApHistory *history, guint *writes)
{
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Stall s = { .loop = loop, .history = history };
  guint tick = g_timeout_add (1, on_tick, &s);
  gulong handler = g_signal_connect (history, "written", G_CALLBACK (on_written), &s);

  g_timeout_add (BURST_GAP_MS, on_call_ends, &s);
  /* Long enough after the last call for any write it started to end. */
  g_timeout_add (BURST * BURST_GAP_MS + 1500, on_done, &s);
  g_main_loop_run (loop);
  g_source_remove (tick);
  g_signal_handler_disconnect (history, handler);
  *writes = s.writes;
  return (s.max_gap - 1000) / 1000.0;
}

static void
bench_size (const char *dir, guint n)
{
  g_autofree char *path = g_build_filename (dir, "history.json", NULL);
  double load[RUNS], append[RUNS], save[RUNS], stall[RUNS], writes[RUNS], list[RUNS];
  GStatBuf st = { 0 };

  write_history_file (path, n);
  g_stat (path, &st);
  for (guint r = 0; r < RUNS; r++)
    {
      g_autoptr (ApHistory) history = ap_history_new (path, n);
      gint64 t0 = g_get_monotonic_time ();

      g_assert_true (ap_history_load (history, NULL));
      load[r] = (g_get_monotonic_time () - t0) / 1000.0;
      g_assert_cmpuint (ap_history_get_n_entries (history), ==, n);

      t0 = g_get_monotonic_time ();
      append_one (history, r);
      append[r] = (g_get_monotonic_time () - t0) / 1000.0;

      t0 = g_get_monotonic_time ();
      g_assert_true (ap_history_save (history, NULL));
      save[r] = (g_get_monotonic_time () - t0) / 1000.0;

      g_variant_unref (ap_history_dup_entries (history, 0)); /* the first since the load */
      t0 = g_get_monotonic_time ();
      g_variant_unref (ap_history_dup_entries (history, 0));
      list[r] = (g_get_monotonic_time () - t0) / 1000.0;

      {
        guint n_writes = 0;

        stall[r] = measure_stall (history, &n_writes);
        writes[r] = n_writes;
      }
    }
  g_print (
    "%u entries (%.0f kB)\n"
    "  load at start                  %8.2f ms\n"
    "  append (a call ends)           %8.2f ms on the main thread\n"
    "  save (now, as a flush does)    %8.2f ms\n"
    "  the whole list (GetHistory 0)  %8.2f ms (not the first since the load)\n"
    "  longest main-loop stall        %8.2f ms while %u calls end %u ms apart (%.0f writes)\n",
    n, st.st_size / 1024.0, median (load, RUNS), median (append, RUNS), median (save, RUNS),
    median (list, RUNS), median (stall, RUNS), BURST, BURST_GAP_MS, median (writes, RUNS));
  g_unlink (path);
}

int
main (int argc, char *argv[])
{
  g_autofree char *dir = g_dir_make_tmp ("bench-history-XXXXXX", NULL);
  const guint sizes[] = { 100, 1000, 10000 };

  g_assert_nonnull (dir);
  g_print ("Call history, medians of %d runs\n", RUNS);
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    bench_size (dir, sizes[i]);
  g_rmdir (dir);
  return 0;
}
