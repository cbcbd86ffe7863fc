/* ap-sip-session-incoming.c: a new INVITE becomes a call (or is refused
 * with a reason), including one that replaces a call of ours (RFC 3891). */
#define G_LOG_DOMAIN "Agentphone-sip"

#include "ap-sip-session-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ap-sip-checks.h"
#include "ap-sdp.h"

static char *
display_name (const sip_t *sip)
{
  const char *d = sip->sip_from ? sip->sip_from->a_display : NULL;
  gsize len;

  if (d == NULL)
    return NULL;
  len = strlen (d);
  if (len >= 2 && d[0] == '"' && d[len - 1] == '"')
    return g_strndup (d + 1, len - 2);
  return g_strdup (d);
}

static void
refuse (nua_handle_t *nh, int status, const char *phrase, const char *why)
{
  g_autofree char *warning = g_strdup_printf ("399 agentphone \"%s\"", why);

  g_message ("Refusing a call: %d %s (%s)", status, phrase, why);
  nua_respond (nh, status, phrase, SIPTAG_WARNING_STR (warning), TAG_END ());
}

/* The established call of ours that an INVITE's Replaces names, if any. */
static ApSipSession *
find_replaced (ApSipEngine *engine, const sip_t *sip)
{
  nua_handle_t *nh;
  ApSipHandler *handler;

  if (sip->sip_replaces == NULL)
    return NULL;
  nh = nua_handle_by_replaces (ap_sip_engine_get_nua (engine), sip->sip_replaces);
  if (nh == NULL)
    return NULL;
  handler = nua_handle_magic (nh);
  nua_handle_unref (nh); /* by_replaces gave us a reference; the session keeps its own */
  if (handler == NULL || handler->func != ap_sip_session_on_event)
    return NULL;
  return AP_SIP_SESSION (handler->owner)->call ? AP_SIP_SESSION (handler->owner) : NULL;
}

/**
 * ap_sip_session_incoming:
 *
 * A new INVITE: check its offer (488 when we cannot take it), ring, and
 * hand the call to the phone. Until then nothing is visible.
 */
void
ap_sip_session_incoming (ApSipEngine *engine, nua_handle_t *nh, const sip_t *sip)
{
  su_home_t home[1] = { SU_HOME_INIT (home) };
  g_autofree char *peer = NULL;
  g_autofree char *name = display_name (sip);
  g_autofree char *offer = ap_sip_session_payload_text (sip);
  g_autoptr (ApCall) call = NULL;
  g_autoptr (GError) error = NULL;
  ApSipSession *self;
  ApSipSession *replaced;
  ApSdpLocal local;

  if (ap_sip_engine_refuse_direct (engine, nh))
    return; /* a ghost call: no call object, so no ringing, no history */
  if (!ap_sip_offer_type_ok (sip))
    {
      /* Not an offer we can read: no call at all (RFC 3261 8.2.3). */
      g_message ("Refusing a call: 415 (body of type %s, not application/sdp)",
                 sip->sip_content_type ? sip->sip_content_type->c_type : "unknown");
      nua_respond (nh, SIP_415_UNSUPPORTED_MEDIA, SIPTAG_ACCEPT_STR ("application/sdp"),
                   TAG_END ());
      return;
    }
  peer = g_strdup (sip->sip_from ? url_as_string (home, sip->sip_from->a_url) : "");
  su_home_deinit (home);
  call = ap_call_new (AP_CALL_DIRECTION_INCOMING, peer, name);
  self = ap_sip_session_new (engine, call, &error);
  if (self == NULL)
    {
      refuse (nh, SIP_500_INTERNAL_SERVER_ERROR, error->message);
      return;
    }
  self->nh = nh;
  local = ap_sip_session_local_sdp (self, AP_MEDIA_DIRECTION_SENDRECV);
  if (offer == NULL)
    {
      /* Offerless INVITE: our offer goes in the 200, the answer in the ACK. */
      self->answer = ap_sip_session_make_offer (self, &local);
      self->offer_pending = TRUE;
    }
  else if (!ap_sdp_answer (offer, &local, &self->answer, &self->params, &error))
    {
      refuse (nh, SIP_488_NOT_ACCEPTABLE, error->message);
      ap_call_ended (call, 488, error->message);
      self->nh = NULL;
      g_clear_object (&self->call);
      g_object_unref (self);
      return;
    }
  if (self->params == NULL)
    self->params = ap_media_params_new ();
  self->remote_offer = g_strdup (offer);
  ap_sip_session_collect_headers (self, sip);
  ap_call_set_answer_after (call, ap_sip_engine_trusted_answer_after (engine, sip));
  replaced = find_replaced (engine, sip);
  nua_handle_bind (nh, &self->handler);
  nua_respond (nh, SIP_180_RINGING, TAG_END ());
  if (replaced)
    {
      /* An attended transfer to us (RFC 3891): the new caller takes the
       * place of a call we already have; it is answered at once. */
      g_message ("Call from %s replaces our call with %s", peer, ap_call_get_peer (replaced->call));
      nua_bye (replaced->nh, TAG_END ());
      ap_sip_session_end_call (replaced, 200, _ ("Replaced by a transfer"));
    }
  ap_signaling_emit_incoming_call (AP_SIGNALING (engine), call);
  if (replaced && ap_call_get_state (call) == AP_CALL_STATE_INCOMING)
    ap_call_answer (call, NULL);
}
