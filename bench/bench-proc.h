#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What one process costs, from /proc: CPU time (user + system, all its
 * threads) and memory (RSS and PSS from smaps_rollup). */
typedef struct {
  guint64 cpu_ticks;
  double rss_mb;
  double pss_mb;
} BenchProcSample;

/* Medians over the samples of one window. */
typedef struct {
  double cpu_percent; /* of one core */
  double cpu_seconds; /* user + system over the whole window */
  double rss_mb;
  double pss_mb;
  double rss_drift_mb; /* last sample minus first: a leak shows here */
  guint n_samples;
} BenchProcFigures;

gboolean bench_proc_read    (GPid               pid,
                             BenchProcSample   *sample,
                             GError           **error);
void     bench_proc_measure (const GPid        *pids,
                             guint              n_pids,
                             guint              seconds,
                             guint              interval_ms,
                             BenchProcFigures  *figures);
double   bench_median       (GArray            *values);

G_END_DECLS
