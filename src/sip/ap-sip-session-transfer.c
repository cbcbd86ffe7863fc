/* ap-sip-session-transfer.c: blind and attended transfer (REFER with
 * NOTIFY sipfrag progress, Replaces), both ways. */
#define G_LOG_DOMAIN "Agentphone-sip"

#include "ap-sip-session-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ap-error.h"
#include "ap-uri.h"

/* "SIP/2.0 180 Ringing" → 180 and "Ringing". */
static guint
parse_sipfrag (const char *body, char **phrase)
{
  guint code = 0;

  if (body && g_str_has_prefix (body, "SIP/2.0 ") && g_ascii_isdigit (body[8]))
    {
      code = (guint) g_ascii_strtoull (body + 8, NULL, 10);
      if (phrase)
        {
          const char *p = body + 8 + strspn (body + 8, "0123456789 ");

          *phrase = g_strndup (p, strcspn (p, "\r\n"));
        }
    }
  return code >= 100 && code < 700 ? code : 0;
}

/* Progress of our REFER, from the far end's NOTIFYs. Success ends our side
 * of the call: the far end now talks to the transfer target. */
void
ap_sip_session_on_notify (ApSipSession *self, const sip_t *sip)
{
  g_autofree char *body = ap_sip_session_payload_text (sip);
  g_autofree char *phrase = NULL;
  guint code;

  if (!self->transferring)
    return;
  code = parse_sipfrag (body, &phrase);
  if (code == 0)
    return;
  ap_call_transfer_progress (self->call, code, phrase);
  if (code < 200)
    return;
  self->transferring = FALSE;
  if (code < 300)
    {
      nua_bye (self->nh, TAG_END ());
      ap_sip_session_end_call (self, 200, _ ("Transferred"));
    }
}

void
ap_sip_session_on_refer_answer (ApSipSession *self, int status, const char *phrase,
                                const sip_t *sip)
{
  if (status < 200)
    return;
  if ((status == 401 || status == 407) && ap_sip_session_authenticate (self, sip))
    return;
  if (status >= 300)
    {
      self->transferring = FALSE;
      ap_call_transfer_progress (self->call, (guint) status, phrase);
    }
}

static void
notify_referrer (ApSipSession *self, guint code, const char *phrase, gboolean final)
{
  g_autofree char *frag = g_strdup_printf ("SIP/2.0 %u %s", code, phrase ? phrase : "");

  if (self->nh == NULL || self->refer_event == NULL)
    return;
  nua_notify (self->nh, NUTAG_SUBSTATE (final ? nua_substate_terminated : nua_substate_active),
              SIPTAG_CONTENT_TYPE_STR ("message/sipfrag"), SIPTAG_PAYLOAD_STR (frag),
              SIPTAG_EVENT_STR (self->refer_event), TAG_END ());
}

static void
on_referred_state (ApCall *call, ApCallState state, guint code, const char *reason,
                   ApSipSession *self)
{
  if (state == AP_CALL_STATE_RINGING_BACK)
    notify_referrer (self, code ? code : 180, reason, FALSE);
  else if (state == AP_CALL_STATE_CONNECTED)
    notify_referrer (self, 200, "OK", TRUE);
  else if (state == AP_CALL_STATE_ENDED)
    /* sofia's own failures (900 and up) are not SIP statuses: a 500 for the referrer. */
    notify_referrer (self, code >= 700 ? 500 : code >= 300 ? code : 487, reason, TRUE);
  if (state == AP_CALL_STATE_CONNECTED || state == AP_CALL_STATE_ENDED)
    {
      g_signal_handlers_disconnect_by_data (call, self);
      g_clear_object (&self->referred_call);
    }
}

/* "Replaces=abc%40host%3Bto-tag%3D1%3Bfrom-tag%3D2&X=y" → "abc@host;to-tag=1;from-tag=2" */
static char *
replaces_of (const char *headers)
{
  g_auto (GStrv) fields = NULL;

  if (headers == NULL)
    return NULL;
  fields = g_strsplit (headers, "&", 16);
  for (guint i = 0; fields[i]; i++)
    if (g_ascii_strncasecmp (fields[i], "Replaces=", 9) == 0)
      return g_uri_unescape_string (fields[i] + 9, NULL);
  return NULL;
}

/* The far end asks us to call someone else (blind transfer): we do, and
 * tell it how that goes. It then ends our call with it. */
void
ap_sip_session_on_refer (ApSipSession *self, const sip_t *sip, tagi_t tags[])
{
  su_home_t home[1] = { SU_HOME_INIT (home) };
  const sip_event_t *event = NULL;
  g_autofree char *target = NULL;
  g_autofree char *replaces = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (ApCall) call = NULL;

  nua_t *nua = ap_sip_engine_get_nua (self->engine);

  if (sip == NULL || sip->sip_refer_to == NULL || sip->sip_refer_to->r_url->url_type == url_invalid)
    {
      /* RFC 3515 section 2.4.2: a REFER needs exactly one Refer-To. */
      nua_respond (self->nh, SIP_400_BAD_REQUEST, NUTAG_WITH_THIS (nua),
                   SIPTAG_WARNING_STR ("399 agentphone \"No usable Refer-To\""), TAG_END ());
      return;
    }
  if (self->referred_call)
    {
      nua_respond (self->nh, SIP_491_REQUEST_PENDING, NUTAG_WITH_THIS (nua), TAG_END ());
      return;
    }
  nua_respond (self->nh, SIP_202_ACCEPTED, NUTAG_WITH_THIS (nua), TAG_END ());
  tl_gets (tags, NUTAG_REFER_EVENT_REF (event), TAG_END ());
  {
    /* An attended transfer carries ?Replaces=… in the Refer-To URI: it
     * becomes a header of our INVITE, not part of its Request-URI. */
    url_t *url = url_hdup (home, sip->sip_refer_to->r_url);

    replaces = replaces_of (url->url_headers);
    url->url_headers = NULL;
    target = g_strdup (url_as_string (home, url));
  }
  g_free (self->refer_event);
  self->refer_event = event ? g_strdup (sip_header_as_string (home, (const sip_header_t *) event))
                            : g_strdup ("refer");
  su_home_deinit (home);
  if (!ap_uri_is_sip (target))
    {
      g_message ("Refusing a transfer to “%s”: not a SIP address", target);
      notify_referrer (self, 400, "Bad Refer-To", TRUE);
      return;
    }
  g_message ("The far end transfers us to %s", target);
  notify_referrer (self, 100, "Trying", FALSE);
  call = ap_sip_session_dial_full (self->engine, target, NULL, replaces, &error);
  if (call == NULL)
    {
      g_warning ("Could not follow the transfer to %s: %s", target, error->message);
      notify_referrer (self, 503, "Service Unavailable", TRUE);
      return;
    }
  self->referred_call = g_object_ref (call);
  g_signal_connect (call, "state-changed", G_CALLBACK (on_referred_state), self);
  ap_signaling_emit_outgoing_call (AP_SIGNALING (self->engine), call);
}

gboolean
ap_sip_session_transfer (ApCallBackend *backend, const char *target, GError **error)
{
  ApSipSession *self = AP_SIP_SESSION (backend);

  if (self->nh == NULL)
    return ap_sip_session_no_dialog (error);
  if (self->transferring)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_STATE,
                   _ ("A transfer of this call is already under way"));
      return FALSE;
    }
  self->transferring = TRUE;
  self->auth_rounds = 0;
  nua_refer (self->nh, SIPTAG_REFER_TO_STR (target), TAG_END ());
  return TRUE;
}

gboolean
ap_sip_session_transfer_to (ApCallBackend *backend, ApCallBackend *other_backend, GError **error)
{
  ApSipSession *self = AP_SIP_SESSION (backend);
  ApSipSession *other;
  su_home_t home[1] = { SU_HOME_INIT (home) };
  sip_replaces_t *replaces;
  g_autofree char *escaped = NULL;
  g_autofree char *refer_to = NULL;

  if (!AP_IS_SIP_SESSION (other_backend))
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT, _ ("Not a SIP call"));
      return FALSE;
    }
  other = AP_SIP_SESSION (other_backend);
  if (self->nh == NULL || other->nh == NULL || other->call == NULL)
    return ap_sip_session_no_dialog (error);
  replaces = nua_handle_make_replaces (other->nh, home, 0);
  if (replaces == NULL)
    {
      su_home_deinit (home);
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_STATE,
                   _ ("The other call is not established yet"));
      return FALSE;
    }
  escaped = g_uri_escape_string (sip_header_as_string (home, (const sip_header_t *) replaces), NULL,
                                 FALSE);
  su_home_deinit (home);
  refer_to = g_strdup_printf ("<%s?Replaces=%s>", ap_call_get_peer (other->call), escaped);
  self->transferring = TRUE;
  self->auth_rounds = 0;
  nua_refer (self->nh, SIPTAG_REFER_TO_STR (refer_to), TAG_END ());
  return TRUE;
}
