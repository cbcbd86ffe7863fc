#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A bad network between two user agents, in user space (the kernel here has
 * no netem): a stateless SIP proxy that retargets each request to the callee
 * and rewrites both SDPs to its own media ports, and a UDP relay on those
 * ports that drops, delays (reordering like netem's jitter) or blocks RTP
 * and RTCP per direction before forwarding. The caller dials the proxy's
 * port; everything runs in a thread of its own, so a test that blocks on
 * DBus does not add jitter. One call at a time. */

typedef enum {
  AP_TEST_NETEM_TO_CALLER, /* what the caller receives */
  AP_TEST_NETEM_TO_CALLEE, /* what the callee receives */
} ApTestNetemDirection;

typedef struct {
  double loss_percent; /* random, seeded: RTP and RTCP alike */
  guint jitter_ms;     /* each packet delayed uniformly by 0 … jitter_ms */
  gboolean blocked;    /* an outage: nothing passes */
} ApTestImpairment;

typedef struct {
  guint64 rtp_in, rtp_dropped, rtp_blocked, rtp_sent;
  guint64 rtcp_in, rtcp_dropped, rtcp_blocked, rtcp_sent;
  guint64 reordered;   /* sent after a packet that arrived later */
  double max_delay_ms; /* the longest any packet was held */
} ApTestNetemCounts;

typedef struct _ApTestNetem ApTestNetem;

ApTestNetem *ap_test_netem_new          (guint                    callee_sip_port,
                                         guint32                  seed);
guint        ap_test_netem_get_sip_port (ApTestNetem             *netem);
void         ap_test_netem_set          (ApTestNetem             *netem,
                                         ApTestNetemDirection     direction,
                                         const ApTestImpairment  *impairment);
void         ap_test_netem_get_counts   (ApTestNetem             *netem,
                                         ApTestNetemDirection     direction,
                                         ApTestNetemCounts       *counts);
gboolean     ap_test_netem_has_media    (ApTestNetem             *netem);
void         ap_test_netem_free         (ApTestNetem             *netem);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ApTestNetem, ap_test_netem_free)

G_END_DECLS
