#pragma once

#include <glib-object.h>

#include "ap-call.h"

G_BEGIN_DECLS

/**
 * ApDialOptions:
 * @anonymous: hide our identity (anonymous From, `Privacy: id`)
 * @headers: (nullable): extra headers for the INVITE (`X-…`, `Subject`)
 * @video: offer video as well as audio
 */
typedef struct {
  gboolean anonymous;
  GHashTable *headers;
  gboolean video;
} ApDialOptions;

#define AP_TYPE_SIGNALING (ap_signaling_get_type ())
G_DECLARE_INTERFACE (ApSignaling, ap_signaling, AP, SIGNALING, GObject)

/**
 * ApSignalingInterface:
 * @dial: place a call to @target (a complete `sip:`/`sips:` URI) and return
 *   it in the `dialing` state
 *
 * The SIP engine as the phone sees it. New incoming calls arrive as the
 * "incoming-call" signal (#ApCall, already ringing at the far end), text
 * messages as "message-received" (from, text), and calls the engine places
 * by itself (a transfer the far end asked for) as "outgoing-call".
 */
struct _ApSignalingInterface {
  GTypeInterface parent_iface;

  ApCall  *(*dial)         (ApSignaling          *self,
                             const char           *target,
                             const ApDialOptions  *options,
                             GError              **error);
  gboolean (*send_message) (ApSignaling          *self,
                             const char           *target,
                             const char           *text,
                             GError              **error);
};

ApCall *ap_signaling_dial               (ApSignaling          *self,
                                         const char           *target,
                                         const ApDialOptions  *options,
                                         GError              **error);
gboolean ap_signaling_send_message       (ApSignaling          *self,
                                           const char           *target,
                                           const char           *text,
                                           GError              **error);
void    ap_signaling_emit_incoming_call (ApSignaling          *self,
                                         ApCall               *call);
void    ap_signaling_emit_outgoing_call (ApSignaling          *self,
                                         ApCall               *call);
void    ap_signaling_emit_message       (ApSignaling          *self,
                                         const char           *from,
                                         const char           *text);

G_END_DECLS
