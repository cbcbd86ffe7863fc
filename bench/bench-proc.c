/* bench-proc.c: CPU and memory of running processes, sampled from /proc
 * while the main context keeps running (the benchmark's DBus proxies stay
 * up to date), reduced to medians so that a neighbour's burst on a shared
 * machine does not decide the figure. */
#include "bench-proc.h"

#include <string.h>
#include <unistd.h>

#include "ap-test-harness.h"

/* utime and stime: fields 14 and 15, counted after the ")" that ends the
 * command name (which may itself hold spaces). */
static gboolean
read_ticks (GPid pid, guint64 *ticks, GError **error)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *text = NULL;
  g_auto (GStrv) fields = NULL;
  const char *rest;

  if (!g_file_get_contents (path, &text, NULL, error))
    return FALSE;
  rest = strrchr (text, ')');
  if (rest == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s cannot be parsed", path);
      return FALSE;
    }
  /* After ")": field 3 (state) is fields[0], so utime (14) is fields[11]. */
  fields = g_strsplit (g_strstrip ((char *) rest + 1), " ", 14);
  if (g_strv_length (fields) < 14)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s has too few fields", path);
      return FALSE;
    }
  *ticks = g_ascii_strtoull (fields[11], NULL, 10) + g_ascii_strtoull (fields[12], NULL, 10);
  return TRUE;
}

static double
smaps_mb (const char *text, const char *key)
{
  const char *line = strstr (text, key);

  if (line == NULL)
    return 0;
  return g_ascii_strtod (line + strlen (key), NULL) / 1024.0;
}

/** bench_proc_read: one sample of @pid's CPU time and memory */
gboolean
bench_proc_read (GPid pid, BenchProcSample *sample, GError **error)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/smaps_rollup", (int) pid);
  g_autofree char *text = NULL;

  if (!read_ticks (pid, &sample->cpu_ticks, error)
      || !g_file_get_contents (path, &text, NULL, error))
    return FALSE;
  sample->rss_mb = smaps_mb (text, "\nRss:");
  sample->pss_mb = smaps_mb (text, "\nPss:");
  return TRUE;
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/** bench_median: the median of @values (sorts them); 0 when empty */
double
bench_median (GArray *values)
{
  guint n = values->len;

  if (n == 0)
    return 0;
  g_array_sort (values, compare_doubles);
  if (n % 2)
    return g_array_index (values, double, n / 2);
  return (g_array_index (values, double, n / 2 - 1) + g_array_index (values, double, n / 2)) / 2;
}

static BenchProcSample
read_or_die (GPid pid)
{
  g_autoptr (GError) error = NULL;
  BenchProcSample sample;

  if (!bench_proc_read (pid, &sample, &error))
    g_error ("Cannot measure process %d (did it exit?): %s", (int) pid, error->message);
  return sample;
}

/**
 * bench_proc_measure:
 * @figures: (out caller-allocates) (array length=n_pids)
 *
 * Samples every process each @interval_ms for @seconds: CPU as a share of
 * one core per interval, memory at each sample; medians per process.
 */
void
bench_proc_measure (const GPid *pids, guint n_pids, guint seconds, guint interval_ms,
                    BenchProcFigures *figures)
{
  double ticks_per_s = (double) sysconf (_SC_CLK_TCK);
  guint n_intervals = MAX (1, seconds * 1000 / interval_ms);
  g_autofree BenchProcSample *first = g_new0 (BenchProcSample, n_pids);
  g_autofree BenchProcSample *last = g_new0 (BenchProcSample, n_pids);
  g_autofree gint64 *last_time = g_new0 (gint64, n_pids);
  g_autoptr (GPtrArray) cpu = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_autoptr (GPtrArray) rss = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_autoptr (GPtrArray) pss = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);

  for (guint p = 0; p < n_pids; p++)
    {
      g_ptr_array_add (cpu, g_array_new (FALSE, FALSE, sizeof (double)));
      g_ptr_array_add (rss, g_array_new (FALSE, FALSE, sizeof (double)));
      g_ptr_array_add (pss, g_array_new (FALSE, FALSE, sizeof (double)));
      first[p] = last[p] = read_or_die (pids[p]);
      last_time[p] = g_get_monotonic_time ();
    }
  for (guint i = 0; i < n_intervals; i++)
    {
      ap_test_sleep (interval_ms);
      for (guint p = 0; p < n_pids; p++)
        {
          BenchProcSample now = read_or_die (pids[p]);
          gint64 time = g_get_monotonic_time ();
          double busy_s = (double) (now.cpu_ticks - last[p].cpu_ticks) / ticks_per_s;
          double percent = 100.0 * busy_s / ((double) (time - last_time[p]) / G_USEC_PER_SEC);

          g_array_append_val (cpu->pdata[p], percent);
          g_array_append_val (rss->pdata[p], now.rss_mb);
          g_array_append_val (pss->pdata[p], now.pss_mb);
          last[p] = now;
          last_time[p] = time;
        }
    }
  for (guint p = 0; p < n_pids; p++)
    {
      figures[p].cpu_seconds = (double) (last[p].cpu_ticks - first[p].cpu_ticks) / ticks_per_s;
      figures[p].rss_drift_mb = last[p].rss_mb - first[p].rss_mb;
      figures[p].n_samples = n_intervals;
      figures[p].cpu_percent = bench_median (cpu->pdata[p]);
      figures[p].rss_mb = bench_median (rss->pdata[p]);
      figures[p].pss_mb = bench_median (pss->pdata[p]);
    }
}
