#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A real packet capture on the loopback interface (tcpdump), read back as
 * UDP datagrams, to check what went over the wire. */

typedef struct {
  guint src_port;
  guint dst_port;
  GBytes *payload;
  gint64 time_us; /* when captured, wall clock (g_get_real_time) */
} ApTestDatagram;

typedef struct _ApTestCapture ApTestCapture;

ApTestCapture *ap_test_capture_start (const char    *name);
GPtrArray     *ap_test_capture_stop  (ApTestCapture *capture);
void           ap_test_capture_free  (ApTestCapture *capture);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ApTestCapture, ap_test_capture_free)

G_END_DECLS
