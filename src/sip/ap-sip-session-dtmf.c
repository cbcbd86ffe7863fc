/* ap-sip-session-dtmf.c: DTMF over SIP INFO, and the choice of how each
 * digit is sent (dtmf-mode). */
#define G_LOG_DOMAIN "Agentphone-sip"

#include "ap-sip-session-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ap-error.h"
#include "ap-sip-checks.h"

/* RFC 2833-style SIP INFO bodies (ap_sip_dtmf_digit()); anything else is
 * ignored (and answered 200). */
void
ap_sip_session_on_info (ApSipSession *self, const sip_t *sip)
{
  g_autofree char *body = ap_sip_session_payload_text (sip);
  const char *type = sip && sip->sip_content_type ? sip->sip_content_type->c_type : NULL;
  char digit[2] = { 0, 0 };

  nua_respond (self->nh, SIP_200_OK, NUTAG_WITH_THIS (ap_sip_engine_get_nua (self->engine)),
               TAG_END ());
  if (body == NULL || type == NULL)
    return;
  digit[0] = ap_sip_dtmf_digit (type, body);
  if (digit[0])
    ap_call_dtmf_received (self->call, digit);
  else
    g_message ("Ignoring a DTMF INFO (%s) without a digit we know", type);
}

static gboolean
send_info_dtmf (ApSipSession *self, char digit, guint duration_ms)
{
  g_autofree char *body = g_strdup_printf ("Signal=%c\r\nDuration=%u\r\n", digit, duration_ms);

  nua_info (self->nh, SIPTAG_CONTENT_TYPE_STR ("application/dtmf-relay"), SIPTAG_PAYLOAD_STR (body),
            TAG_END ());
  return TRUE;
}

/* dtmf-mode: rfc4733, info, inband, or auto (RFC 4733 when negotiated,
 * otherwise SIP INFO). */
gboolean
ap_sip_session_send_dtmf (ApCallBackend *backend, char digit, guint duration_ms, GError **error)
{
  ApSipSession *self = AP_SIP_SESSION (backend);
  g_autofree char *mode = ap_sip_engine_dup_dtmf_mode (self->engine);
  gboolean negotiated = self->params && self->params->dtmf_payload_type >= 0;
  ApMediaSession *media = ap_call_get_media (self->call);

  if (self->nh == NULL)
    return ap_sip_session_no_dialog (error);
  if (g_str_equal (mode, "info") || (g_str_equal (mode, "auto") && !negotiated))
    return send_info_dtmf (self, digit, duration_ms);
  if (g_str_equal (mode, "inband"))
    return ap_media_session_send_dtmf (media, digit, duration_ms, TRUE, error);
  if (!negotiated)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_NOT_SUPPORTED,
                   _ ("The far end did not accept RFC 4733 telephone-events; set dtmf-mode to "
                      "auto, info or inband"));
      return FALSE;
    }
  return ap_media_session_send_dtmf (media, digit, duration_ms, FALSE, error);
}
