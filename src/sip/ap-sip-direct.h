#pragma once

#include "ap-sip-private.h"

#include <gio/gio.h>

#include "ap-account.h"
#include "ap-settings.h"

G_BEGIN_DECLS

/* `accept-direct-calls`: whether a new INVITE may come from anyone, or only
 * from our servers (registrar, backup servers, outbound proxy). */
#define AP_TYPE_SIP_DIRECT (ap_sip_direct_get_type ())
G_DECLARE_FINAL_TYPE (ApSipDirect, ap_sip_direct, AP, SIP_DIRECT, GObject)

ApSipDirect *ap_sip_direct_new         (ApSettings  *settings);
void         ap_sip_direct_set_account (ApSipDirect *self,
                                        ApAccount   *account);
gboolean     ap_sip_direct_allows      (ApSipDirect *self,
                                        const char  *source);
char        *ap_sip_direct_request_source (nua_t     *nua);
void         ap_sip_direct_refuse      (nua_handle_t *nh);

G_END_DECLS
