#pragma once

#include <glib.h>
#include <sofia-sip/sip.h>

G_BEGIN_DECLS

/* What the SIP layer reads out of a request's headers and bodies, as pure
 * functions of the parsed message, so fuzz targets and unit tests can drive
 * them without a NUA stack. */

gboolean ap_sip_offer_type_ok  (const sip_t  *sip);
char     ap_sip_dtmf_digit     (const char   *content_type,
                                const char   *body);
int      ap_sip_answer_after   (const sip_t  *sip);

G_END_DECLS
