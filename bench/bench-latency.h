#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Mouth-to-ear latency of one Agentphone call on loopback. The benchmark
 * is the mouth and the ear: it feeds A's input override (udpsrc) with
 * 10 ms frames of silence at a real microphone's pace, a 2 ms click every
 * 500 ms, and takes B's output override (udpsink sync=true, which releases
 * each buffer when a speaker would play it) to find each click. */
typedef struct {
  int socket;           /* where the far end's audio arrives */
  guint input_port;     /* the near end's input */
  guint seconds;
  int measuring;        /* atomic: clicks before it is set are not counted */
  GArray *latencies_ms; /* double: one per click heard */
  guint sent;           /* clicks sent */
} BenchLatency;

/* The override descriptions for the two ends, on these ports. */
char    *bench_latency_input    (guint          port);
char    *bench_latency_output   (guint          port);

/* Sends clicks to 127.0.0.1:@input_port for @seconds and listens on
 * @output_port (bound before the call starts: pass its socket). */
int      bench_latency_bind     (guint          port,
                                 GError       **error);
gboolean bench_latency_run      (int            output_socket,
                                 guint          input_port,
                                 guint          seconds,
                                 BenchLatency  *result,
                                 GError       **error);

G_END_DECLS
