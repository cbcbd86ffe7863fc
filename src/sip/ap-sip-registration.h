#pragma once

#include "ap-registration-backend.h"
#include "ap-sip-engine.h"

G_BEGIN_DECLS

#define AP_TYPE_SIP_REGISTRATION (ap_sip_registration_get_type ())
G_DECLARE_FINAL_TYPE (ApSipRegistration, ap_sip_registration, AP, SIP_REGISTRATION, GObject)

ApRegistrationBackend *ap_sip_registration_new (ApSipEngine *engine);

G_END_DECLS
