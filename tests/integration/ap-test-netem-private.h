#pragma once

#include "ap-test-netem.h"

G_BEGIN_DECLS

/* Shared by the media relay (ap-test-netem.c) and the SIP proxy
 * (ap-test-netem-sip.c). Legs are indexed by direction: the leg
 * AP_TEST_NETEM_TO_CALLER is the pair of relay ports the caller talks to. */

typedef struct {
  GSocket *rtp, *rtcp;      /* adjacent ports, RTCP = RTP + 1 */
  GInetSocketAddress *peer; /* that side's RTP address, from its SDP */
} ApTestNetemLeg;

struct _ApTestNetem {
  GThread *thread;
  GMainContext *context;
  GMainLoop *loop;
  GMutex lock; /* the fields below: the relay thread and the test's */
  GRand *rand;
  ApTestNetemLeg legs[2];
  ApTestImpairment impairment[2];
  ApTestNetemCounts counts[2];
  guint64 arrived[2], newest_sent[2]; /* arrival order, to count reordering */
  GQueue pending;                     /* delayed packets, soonest first */
  GSource *timer;
  /* Relay thread only. */
  GSocket *sip;
  guint sip_port;
  guint callee_port;
};

GSocket *ap_test_netem_bind_udp (guint port, GError **error);
void     ap_test_netem_learn_peer (ApTestNetem *netem, ApTestNetemDirection side,
                                   const char *host, guint port);
void     ap_test_netem_sip_start (ApTestNetem *netem);
void     ap_test_netem_sip_stop  (ApTestNetem *netem);

G_END_DECLS
