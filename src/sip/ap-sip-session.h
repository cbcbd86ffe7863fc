#pragma once

#include "ap-call.h"
#include "ap-signaling.h"
#include "ap-sip-engine.h"

G_BEGIN_DECLS

#define AP_TYPE_SIP_SESSION (ap_sip_session_get_type ())
G_DECLARE_FINAL_TYPE (ApSipSession, ap_sip_session, AP, SIP_SESSION, GObject)

ApCall *ap_sip_session_dial (ApSipEngine          *engine,
                             const char           *target,
                             const ApDialOptions  *options,
                             GError              **error);

G_END_DECLS
