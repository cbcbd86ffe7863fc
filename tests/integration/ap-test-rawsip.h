#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A deliberately dumb SIP peer for hostile-input tests: it sends whatever
 * bytes it is given (over UDP or TCP, from 127.0.0.1) and collects what
 * comes back, split into messages. It never fixes anything up, so it can
 * send what no real user agent would. */

typedef struct _ApRawSip ApRawSip;

ApRawSip   *ap_raw_sip_new           (gboolean     tcp,
                                      guint        remote_port);
guint       ap_raw_sip_get_port      (ApRawSip    *raw);
const char *ap_raw_sip_get_transport (ApRawSip    *raw);
char       *ap_raw_sip_expand        (ApRawSip    *raw,
                                      const char  *tmpl,
                                      const char  *call_id,
                                      const char  *body);
gboolean    ap_raw_sip_send          (ApRawSip    *raw,
                                      const char  *data,
                                      gsize        len);
void        ap_raw_sip_reply         (ApRawSip    *raw,
                                      const char  *request,
                                      guint        code,
                                      const char  *phrase);
void        ap_raw_sip_send_text     (ApRawSip    *raw,
                                      const char  *tmpl,
                                      const char  *call_id,
                                      const char  *body);
guint       ap_raw_sip_wait_final    (ApRawSip    *raw,
                                      const char  *call_id,
                                      const char  *method,
                                      guint        timeout_ms,
                                      char       **response);
char       *ap_raw_sip_wait_request  (ApRawSip    *raw,
                                      const char  *method,
                                      guint        timeout_ms);
guint       ap_raw_sip_count_received(ApRawSip    *raw);
gboolean    ap_raw_sip_invite_accepted (ApRawSip    *raw);
void        ap_raw_sip_free          (ApRawSip    *raw);

char       *ap_raw_sip_header        (const char  *message,
                                      const char  *name);
guint       ap_raw_sip_status        (const char  *message);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ApRawSip, ap_raw_sip_free)

G_END_DECLS
