#pragma once

#include "ap-test-calls.h"
#include "ap-test-rawsip.h"

G_BEGIN_DECLS

/* What the hostile-SIP suites share: one phone on 127.0.0.1, message
 * templates for ap_raw_sip_expand(), and the check made after every group
 * of hostile messages. */

#define AP_HOSTILE_INVITE_HEAD                                                                    \
  "INVITE sip:agent@$REMOTE SIP/2.0\r\n"                                                         \
  "Via: SIP/2.0/$TRANSPORT $LOCAL;branch=$IBRANCH;rport\r\n"                                     \
  "Max-Forwards: 70\r\n"                                                                          \
  "From: <sip:hostile@$LOCAL>;tag=h1\r\n"                                                         \
  "To: <sip:agent@$REMOTE>\r\n"                                                                   \
  "Call-ID: $CALLID\r\n"                                                                          \
  "CSeq: 1 INVITE\r\n"                                                                            \
  "Contact: <sip:hostile@$LOCAL;transport=$LTRANSPORT>\r\n"

/* An INVITE with every header right, a body of type application/sdp. */
#define AP_HOSTILE_INVITE                                                                         \
  AP_HOSTILE_INVITE_HEAD "Content-Type: application/sdp\r\n"                                      \
                         "Content-Length: $CLEN\r\n\r\n"

/* An offer the phone accepts: PCMA and telephone-events on loopback. */
#define AP_HOSTILE_GOOD_SDP                                                                       \
  "v=0\r\n"                                                                                       \
  "o=- 1 1 IN IP4 127.0.0.1\r\n"                                                                  \
  "s=-\r\n"                                                                                       \
  "c=IN IP4 127.0.0.1\r\n"                                                                        \
  "t=0 0\r\n"                                                                                     \
  "m=audio 40000 RTP/AVP 8 101\r\n"                                                               \
  "a=rtpmap:8 PCMA/8000\r\n"                                                                      \
  "a=rtpmap:101 telephone-event/8000\r\n"                                                         \
  "a=sendrecv\r\n"

typedef struct {
  ApTestBus *bus;
  ApTestPhone *phone;
  char *wav;
  guint port;
} ApHostile;

/* A dialog the raw peer set up with the phone (the phone answered). */
typedef struct {
  char *call_id;
  char *to;     /* the phone's To, with its tag */
  char *target; /* the phone's Contact URI */
  guint cseq;
  char *answer; /* the phone's 200, whole */
} ApHostileDialog;

void         ap_hostile_setup            (ApHostile        *h,
                                          gconstpointer     data);
void         ap_hostile_teardown         (ApHostile        *h,
                                          gconstpointer     data);
void         ap_hostile_set_answer_mode  (ApHostile        *h,
                                          const char       *mode);
guint        ap_hostile_count_calls      (ApHostile        *h);
void         ap_hostile_assert_healthy   (ApHostile        *h,
                                          const char       *group);
char        *ap_hostile_call_id          (const char       *name);
gboolean     ap_hostile_code_in          (guint             code,
                                          const guint      *allowed);
guint        ap_hostile_invite           (ApHostile        *h,
                                          ApRawSip         *raw,
                                          const char       *call_id,
                                          const char       *tmpl,
                                          const char       *body,
                                          guint             timeout_ms);
ApHostileDialog *ap_hostile_connect      (ApHostile        *h,
                                          ApRawSip         *raw,
                                          ApDbusCall      **call);
ApHostileDialog *ap_hostile_connect_sdp  (ApHostile        *h,
                                          ApRawSip         *raw,
                                          const char       *sdp,
                                          ApDbusCall      **call);
guint        ap_hostile_in_dialog        (ApRawSip         *raw,
                                          ApHostileDialog  *dialog,
                                          const char       *method,
                                          const char       *headers,
                                          const char       *body,
                                          guint             timeout_ms);
void         ap_hostile_dialog_free      (ApHostileDialog  *dialog);
gsize        ap_hostile_rss_kib          (ApHostile        *h);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ApHostileDialog, ap_hostile_dialog_free)

G_END_DECLS
