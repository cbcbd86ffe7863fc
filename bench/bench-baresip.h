#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* baresip (Debian's 1.0.0), the reference softphone the benchmarks compare
 * with: one instance on 127.0.0.1 sending a sine tone, driven through its
 * ctrl_tcp module (netstring-framed JSON). */
typedef struct _BenchBaresip BenchBaresip;

BenchBaresip *bench_baresip_start             (guint          freq,
                                               const char    *codec,
                                               gboolean       srtp,
                                               gboolean       auto_answer,
                                               GError       **error);
BenchBaresip *bench_baresip_start_registered  (guint          freq,
                                               const char    *codec,
                                               gboolean       srtp,
                                               gboolean       auto_answer,
                                               const char    *user,
                                               guint          registrar_port,
                                               GError       **error);
gboolean      bench_baresip_wait_event        (BenchBaresip  *baresip,
                                               const char    *type,
                                               guint          timeout_ms,
                                               GError       **error);
guint         bench_baresip_get_sip_port      (BenchBaresip  *baresip);
GPid          bench_baresip_get_pid           (BenchBaresip  *baresip);
char         *bench_baresip_get_uri           (BenchBaresip  *baresip);
gboolean      bench_baresip_command           (BenchBaresip  *baresip,
                                               const char    *command,
                                               const char    *params,
                                               char         **data,
                                               GError       **error);
guint         bench_baresip_count_established (BenchBaresip  *baresip);
void          bench_baresip_free              (BenchBaresip  *baresip);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BenchBaresip, bench_baresip_free)

G_END_DECLS
