#pragma once

#include <json-glib/json-glib.h>

#include "ap-test-harness.h"

G_BEGIN_DECLS

/* Shared by the parts of bench-figures. */
GArray      *bench_doubles            (void);
void         bench_append             (GArray          *values,
                                       double           value);
int          bench_compare_doubles    (gconstpointer    a,
                                       gconstpointer    b);
void         bench_figure_add         (JsonBuilder     *builder,
                                       const char      *name,
                                       GArray          *values,
                                       const char      *unit);
gint64       bench_wire_first_ok      (GPtrArray       *datagrams,
                                       guint            src_port,
                                       guint            dst_port,
                                       const char      *method,
                                       gint64           after_us);
void         bench_wire_invite_to_ok  (GPtrArray       *datagrams,
                                       guint            port,
                                       GArray          *values);
char        *bench_make_home          (const char      *extra);
ApTestPhone *bench_phone_start        (ApTestBus       *bus,
                                       const char      *home,
                                       const char      *input,
                                       const char      *output);
void         bench_quit_phone         (ApTestPhone     *phone);
double       bench_rss_mb             (GPid             pid);

/* bench-figures-calls.c */
void         bench_ours_calls         (ApTestKamailio  *kam,
                                       guint            runs,
                                       guint            round_trips,
                                       JsonBuilder     *builder);
void         bench_baresip_calls      (ApTestKamailio  *kam,
                                       guint            runs,
                                       guint            round_trips,
                                       JsonBuilder     *builder);
void         bench_ours_latency       (guint            seconds,
                                       JsonBuilder     *builder);

G_END_DECLS
