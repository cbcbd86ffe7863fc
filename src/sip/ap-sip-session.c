/* ap-sip-session.c: one call over SIP (INVITE dialog), as ApCallBackend.
 *
 * NUA runs with media disabled: we make and read the SDP ourselves (src/sdp)
 * and hand the outcome to the call's media session. The session reports
 * every step to its ApCall; the call decides what is legal. */
#define G_LOG_DOMAIN "Agentphone-sip"

#include "ap-sip-session-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ap-error.h"
#include "ap-sip-checks.h"
#include "ap-sdp.h"
#include "ap-uri.h"

#define MAX_AUTH_ROUNDS 2

static void backend_iface_init (ApCallBackendInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ApSipSession, ap_sip_session, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (AP_TYPE_CALL_BACKEND, backend_iface_init))

/* Header names a CRM may want from the INVITE or the 200, besides X-*. */
static const char *const screen_pop_headers[] = {
  "P-Asserted-Identity", "Remote-Party-ID", "Diversion",    "History-Info", "Call-Info",
  "Alert-Info",          "Subject",         "Organization", "User-to-User", NULL,
};

ApSdpLocal
ap_sip_session_local_sdp (ApSipSession *self, ApMediaDirection direction)
{
  ApSdpLocal local = {
    .address = self->local_address,
    .port = self->local_port,
    .codecs = (const char *const *) self->codecs,
    .direction = direction,
    .session_id = self->sdp_id,
    .version = ++self->sdp_version,
    .telephone_event = TRUE,
    .srtp = self->srtp,
    .keys = self->keys,
  };

  ap_sip_session_video_local (self, &local);
  return local;
}

static ApMediaDirection
our_direction (ApSipSession *self)
{
  return self->local_hold ? AP_MEDIA_DIRECTION_SENDONLY : AP_MEDIA_DIRECTION_SENDRECV;
}

char *
ap_sip_session_payload_text (const sip_t *sip)
{
  if (sip == NULL || sip->sip_payload == NULL || sip->sip_payload->pl_len == 0)
    return NULL;
  return g_strndup (sip->sip_payload->pl_data, sip->sip_payload->pl_len);
}

void
ap_sip_session_collect_headers (ApSipSession *self, const sip_t *sip)
{
  g_autoptr (GHashTable) headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  su_home_t home[1] = { SU_HOME_INIT (home) };
  /* Parsed by sofia (the others stay in sip_unknown, Alert-Info among them). */
  const sip_header_t *known[] = {
    (const sip_header_t *) sip->sip_call_info,
    (const sip_header_t *) sip->sip_subject,
    (const sip_header_t *) sip->sip_organization,
  };
  const char *known_names[] = { "Call-Info", "Subject", "Organization" };

  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    if (known[i])
      {
        char *text = sip_header_as_string (home, known[i]);

        if (text)
          g_hash_table_insert (headers, g_strdup (known_names[i]), g_strdup (text));
      }
  for (const sip_unknown_t *u = sip->sip_unknown; u; u = u->un_next)
    {
      gboolean wanted = g_ascii_strncasecmp (u->un_name, "X-", 2) == 0;

      for (guint i = 0; !wanted && screen_pop_headers[i]; i++)
        wanted = g_ascii_strcasecmp (u->un_name, screen_pop_headers[i]) == 0;
      if (wanted && u->un_value)
        g_hash_table_insert (headers, g_strdup (u->un_name), g_strdup (u->un_value));
    }
  su_home_deinit (home);
  if (g_hash_table_size (headers) > 0)
    ap_call_set_headers (self->call, headers);
}

void
ap_sip_session_end_call (ApSipSession *self, guint code, const char *reason)
{
  if (self->call)
    ap_call_ended (self->call, code, reason);
}

gboolean
ap_sip_session_start_media (ApSipSession *self, ApMediaParams *params)
{
  ApMediaSession *media = ap_call_get_media (self->call);
  g_autofree char *mode = ap_sip_engine_dup_dtmf_mode (self->engine);
  g_autoptr (GError) error = NULL;

  g_clear_pointer (&self->params, ap_media_params_free);
  self->params = params;
  /* Without telephone-events a far end can only send tones; in inband mode
   * it is most likely set up like us. */
  params->detect_inband_dtmf = params->dtmf_payload_type < 0 || g_str_equal (mode, "inband");
  ap_call_set_audio_codec (self->call, params->codec);
  ap_call_set_encrypted (self->call, params->srtp != AP_MEDIA_SRTP_NONE);
  ap_sip_session_video_took (self, params);
  if (!ap_media_session_start (media, params, &error))
    {
      g_autofree char *reason = g_strdup_printf (_ ("Audio failed: %s"), error->message);

      g_warning ("%s", reason);
      nua_bye (self->nh, TAG_END ());
      ap_sip_session_end_call (self, 500, reason);
      return FALSE;
    }
  return TRUE;
}

/* The far end's SDP answer to our offer. A bad one ends the call: talking
 * with no audio is worse than a clear failure. */
gboolean
ap_sip_session_take_answer (ApSipSession *self, const sip_t *sip)
{
  g_autofree char *text = ap_sip_session_payload_text (sip);
  ApSdpLocal local = ap_sip_session_local_sdp (self, our_direction (self));
  ApMediaParams *params = NULL;
  g_autoptr (GError) error = NULL;

  self->sdp_version--; /* reading does not change our session version */
  if (text == NULL)
    return FALSE;
  if (!ap_sdp_read_answer (text, &local, &params, &error))
    {
      g_autofree char *reason
        = g_strdup_printf (_ ("Unusable answer from the far end: %s"), error->message);

      g_warning ("%s", reason);
      nua_bye (self->nh, TAG_END ());
      ap_sip_session_end_call (self, 488, reason);
      return FALSE;
    }
  return ap_sip_session_start_media (self, params);
}

gboolean
ap_sip_session_authenticate (ApSipSession *self, const sip_t *sip)
{
  const msg_auth_t *challenge
    = sip ? (sip->sip_proxy_authenticate ? sip->sip_proxy_authenticate : sip->sip_www_authenticate)
          : NULL;
  g_autofree char *credentials = NULL;
  const char *realm;

  if (challenge == NULL || self->auth_rounds >= MAX_AUTH_ROUNDS)
    return FALSE;
  realm = msg_params_find (challenge->au_params, "realm=");
  credentials = ap_sip_engine_make_credentials (self->engine, challenge->au_scheme, realm);
  if (credentials == NULL)
    return FALSE;
  self->auth_rounds++;
  nua_authenticate (self->nh, NUTAG_AUTH (credentials), TAG_END ());
  memset (credentials, 0, strlen (credentials));
  return TRUE;
}

static void send_invite (ApSipSession *self, const char *target);

static void
on_invite_answer (ApSipSession *self, int status, const char *phrase, const sip_t *sip)
{
  if (status < 180)
    return;
  if (status < 200)
    {
      /* 183 with SDP: early media (announcements, real ringback) plays. */
      if (sip && sip->sip_payload && self->params == NULL)
        ap_sip_session_take_answer (self, sip);
      ap_call_set_early_media (self->call, self->params != NULL);
      ap_call_remote_ringing (self->call, (guint) status, phrase);
      return;
    }
  if ((status == 401 || status == 407) && ap_sip_session_authenticate (self, sip))
    return;
  g_clear_handle_id (&self->ring_timeout_id, g_source_remove);
  if (status >= 300)
    {
      g_autofree char *reason = ap_sip_session_describe_end (status, phrase, sip);

      ap_sip_session_end_call (self, (guint) status, reason);
      return;
    }
  self->answered = TRUE;
  ap_sip_session_collect_headers (self, sip);
  if (self->params == NULL || (sip && sip->sip_payload))
    {
      if (sip == NULL || sip->sip_payload == NULL)
        {
          nua_bye (self->nh, TAG_END ());
          ap_sip_session_end_call (self, 488, _ ("The far end answered without audio (no SDP)"));
          return;
        }
      if (!ap_sip_session_take_answer (self, sip))
        return;
    }
  ap_call_connected (self->call, (guint) status, phrase);
}

/* A re-INVITE (hold, resume, address or codec change) from the far end. */
static void
on_reinvite (ApSipSession *self, const sip_t *sip)
{
  g_autofree char *offer = ap_sip_session_payload_text (sip);
  ApSdpLocal local = ap_sip_session_local_sdp (self, our_direction (self));
  g_autofree char *answer = NULL;
  ApMediaParams *params = NULL;
  g_autoptr (GError) error = NULL;

  if (!ap_sip_offer_type_ok (sip))
    {
      nua_respond (self->nh, SIP_415_UNSUPPORTED_MEDIA, SIPTAG_ACCEPT_STR ("application/sdp"),
                   TAG_END ());
      return;
    }
  if (offer == NULL)
    {
      /* No offer: we make one in the 200 and read the answer in the ACK. */
      g_autofree char *our_offer = ap_sip_session_make_offer (self, &local);

      self->offer_pending = TRUE;
      nua_respond (self->nh, SIP_200_OK, SIPTAG_CONTENT_TYPE_STR ("application/sdp"),
                   SIPTAG_PAYLOAD_STR (our_offer), TAG_END ());
      return;
    }
  if (!ap_sdp_answer (offer, &local, &answer, &params, &error))
    {
      g_message ("Refusing a re-INVITE: %s", error->message);
      nua_respond (self->nh, SIP_488_NOT_ACCEPTABLE, TAG_END ());
      return;
    }
  nua_respond (self->nh, SIP_200_OK, SIPTAG_CONTENT_TYPE_STR ("application/sdp"),
               SIPTAG_PAYLOAD_STR (answer), TAG_END ());
  /* Not allowed to send, and not by our own choice: the far end holds us. */
  ap_call_set_remote_held (self->call, !(params->direction & AP_MEDIA_DIRECTION_SENDONLY));
  ap_sip_session_start_media (self, params);
}

/* An UPDATE with an offer changes the session like a re-INVITE (RFC 3311);
 * one without is a session refresh and is simply accepted. */
static void
on_update (ApSipSession *self, const sip_t *sip)
{
  g_autofree char *offer = ap_sip_session_payload_text (sip);
  ApSdpLocal local = ap_sip_session_local_sdp (self, our_direction (self));
  g_autofree char *answer = NULL;
  ApMediaParams *params = NULL;
  g_autoptr (GError) error = NULL;
  /* The INVITE's server transaction may still be on the handle: answer this
   * request, not that one. */
  nua_t *nua = ap_sip_engine_get_nua (self->engine);

  if (offer == NULL)
    {
      nua_respond (self->nh, SIP_200_OK, NUTAG_WITH_THIS (nua), TAG_END ());
      return;
    }
  if (ap_sip_session_glare_refuse_update (self))
    return;
  if (!ap_sdp_answer (offer, &local, &answer, &params, &error))
    {
      g_message ("Refusing an UPDATE: %s", error->message);
      nua_respond (self->nh, SIP_488_NOT_ACCEPTABLE, NUTAG_WITH_THIS (nua), TAG_END ());
      return;
    }
  nua_respond (self->nh, SIP_200_OK, NUTAG_WITH_THIS (nua),
               SIPTAG_CONTENT_TYPE_STR ("application/sdp"), SIPTAG_PAYLOAD_STR (answer),
               TAG_END ());
  ap_call_set_remote_held (self->call, !(params->direction & AP_MEDIA_DIRECTION_SENDONLY));
  ap_sip_session_start_media (self, params);
}

/* The answer to our own re-INVITE (hold or resume). A refusal leaves the
 * call as it was. */
static void
on_reinvite_answer (ApSipSession *self, int status, const char *phrase, const sip_t *sip)
{
  if (status < 200)
    return;
  if ((status == 401 || status == 407) && ap_sip_session_authenticate (self, sip))
    return;
  self->auth_rounds = 0;
  if (ap_sip_session_glare_retry (self, status))
    return;
  self->reinvite_pending = FALSE;
  if (status >= 300)
    {
      g_message ("The far end refused to %s: %d %s", self->hold_target ? "hold" : "resume", status,
                 phrase);
      ap_call_hold_changed (self->call, self->local_hold, (guint) status, phrase);
      return;
    }
  self->local_hold = self->hold_target;
  if (!ap_sip_session_take_answer (self, sip))
    return;
  ap_call_hold_changed (self->call, self->local_hold, (guint) status,
                        self->local_hold ? _ ("On hold") : _ ("Resumed"));
}

static void
on_ack (ApSipSession *self, const sip_t *sip)
{
  if (!self->offer_pending)
    return;
  self->offer_pending = FALSE;
  ap_sip_session_take_answer (self, sip);
}

static void
on_terminated (ApSipSession *self, int status, const char *phrase)
{
  nua_handle_t *nh = self->nh;

  if (self->call && ap_call_get_state (self->call) != AP_CALL_STATE_ENDED)
    {
      g_autofree char *reason = ap_sip_session_describe_end (status, phrase, NULL);

      ap_sip_session_end_call (self, status >= 300 ? (guint) status : 200, reason);
    }
  self->nh = NULL;
  g_clear_handle_id (&self->ring_timeout_id, g_source_remove);
  ap_sip_session_glare_clear (self);
  if (nh)
    {
      nua_handle_bind (nh, NULL);
      nua_handle_destroy (nh);
    }
  /* The call keeps us as its backend; we let go of it to break the cycle. */
  g_clear_object (&self->call);
  g_object_unref (self); /* the reference the handle held */
}

void
ap_sip_session_on_event (gpointer owner, nua_event_t event, int status, const char *phrase,
                         nua_handle_t *nh, const sip_t *sip, tagi_t tags[])
{
  ApSipSession *self = owner;
  int callstate = -1;

  if (self->call == NULL)
    return;
  switch (event)
    {
    case nua_r_invite:
      if (self->video_reinvite)
        ap_sip_session_on_video_answer (self, status, phrase, sip);
      else if (self->reinvite_pending)
        on_reinvite_answer (self, status, phrase, sip);
      else if (self->outgoing && !self->answered)
        on_invite_answer (self, status, phrase, sip);
      break;
    case nua_i_invite:
      on_reinvite (self, sip);
      break;
    case nua_i_update:
      on_update (self, sip);
      break;
    case nua_i_ack:
      on_ack (self, sip);
      break;
    case nua_i_info:
      ap_sip_session_on_info (self, sip);
      break;
    case nua_r_refer:
      ap_sip_session_on_refer_answer (self, status, phrase, sip);
      break;
    case nua_i_notify:
      ap_sip_session_on_notify (self, sip);
      break;
    case nua_i_refer:
      ap_sip_session_on_refer (self, sip, tags);
      break;
    case nua_i_bye:
      ap_sip_session_end_call (self, 200, _ ("The far end hung up"));
      break;
    case nua_i_cancel:
      ap_sip_session_end_call (self, 487, _ ("The caller hung up before the call was answered"));
      break;
    case nua_i_state:
      tl_gets (tags, NUTAG_CALLSTATE_REF (callstate), TAG_END ());
      if (callstate == nua_callstate_terminated)
        on_terminated (self, status, phrase);
      break;
    default:
      break;
    }
}

/* ---- ApCallBackend ---------------------------------------------------- */

gboolean
ap_sip_session_no_dialog (GError **error)
{
  g_set_error (error, AP_ERROR, AP_ERROR_INVALID_STATE, _ ("The call is already over"));
  return FALSE;
}

static gboolean
session_answer (ApCallBackend *backend, GError **error)
{
  ApSipSession *self = AP_SIP_SESSION (backend);

  if (self->nh == NULL || self->answer == NULL)
    return ap_sip_session_no_dialog (error);
  if (self->connect_id != 0)
    return TRUE; /* answered already: connecting */
  ap_sip_session_video_before_answer (self);
  nua_respond (self->nh, SIP_200_OK, SIPTAG_CONTENT_TYPE_STR ("application/sdp"),
               SIPTAG_PAYLOAD_STR (self->answer), TAG_END ());
  self->answered = TRUE;
  ap_sip_session_connect_soon (self);
  return TRUE;
}

static gboolean
session_reject (ApCallBackend *backend, guint code, GError **error)
{
  ApSipSession *self = AP_SIP_SESSION (backend);
  g_autofree char *reason = NULL;

  if (self->nh == NULL)
    return ap_sip_session_no_dialog (error);
  nua_respond (self->nh, (int) code, sip_status_phrase ((int) code), TAG_END ());
  reason = ap_sip_session_describe_end ((int) code, sip_status_phrase ((int) code), NULL);
  ap_sip_session_end_call (self, code, reason);
  return TRUE;
}

static gboolean
session_hangup (ApCallBackend *backend, GError **error)
{
  ApSipSession *self = AP_SIP_SESSION (backend);

  if (self->nh == NULL)
    return ap_sip_session_no_dialog (error);
  if (self->outgoing && !self->answered)
    {
      nua_cancel (self->nh, TAG_END ());
      ap_sip_session_end_call (self, 487, _ ("Cancelled"));
    }
  else if (!self->outgoing && !self->answered)
    {
      nua_respond (self->nh, SIP_603_DECLINE, TAG_END ());
      ap_sip_session_end_call (self, 603, _ ("Declined"));
    }
  else
    {
      nua_bye (self->nh, TAG_END ());
      ap_sip_session_end_call (self, 200, _ ("Hung up"));
    }
  return TRUE;
}

static gboolean
session_hold (ApCallBackend *backend, gboolean hold, GError **error)
{
  ApSipSession *self = AP_SIP_SESSION (backend);

  if (self->nh == NULL)
    return ap_sip_session_no_dialog (error);
  ap_sip_session_glare_drop_moot (self);
  if (self->reinvite_pending || self->offer_pending)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_STATE,
                   _ ("The call is still being renegotiated; try again in a moment"));
      return FALSE;
    }
  self->hold_target = hold;
  self->glare_rounds = 0;
  ap_sip_session_send_reinvite (self,
                                hold ? AP_MEDIA_DIRECTION_SENDONLY : AP_MEDIA_DIRECTION_SENDRECV);
  return TRUE;
}

/* Our re-INVITE with an offer in @direction (and video as `video_wanted`
 * says); its answer comes as nua_r_invite. */
void
ap_sip_session_send_reinvite (ApSipSession *self, ApMediaDirection direction)
{
  ApSdpLocal local = ap_sip_session_local_sdp (self, direction);
  g_autofree char *offer = ap_sip_session_make_offer (self, &local);

  self->reinvite_pending = TRUE;
  self->auth_rounds = 0;
  nua_invite (self->nh, SIPTAG_CONTENT_TYPE_STR ("application/sdp"), SIPTAG_PAYLOAD_STR (offer),
              TAG_END ());
}

static void
backend_iface_init (ApCallBackendInterface *iface)
{
  iface->answer = session_answer;
  iface->hangup = session_hangup;
  iface->reject = session_reject;
  iface->hold = session_hold;
  iface->send_dtmf = ap_sip_session_send_dtmf;
  iface->transfer = ap_sip_session_transfer;
  iface->transfer_to = ap_sip_session_transfer_to;
  iface->request_video = ap_sip_session_request_video;
}

/* ---- object ----------------------------------------------------------- */

static void
ap_sip_session_finalize (GObject *object)
{
  ApSipSession *self = AP_SIP_SESSION (object);

  if (self->referred_call)
    g_signal_handlers_disconnect_by_data (self->referred_call, self);
  g_clear_object (&self->referred_call);
  g_free (self->refer_event);
  g_clear_handle_id (&self->ring_timeout_id, g_source_remove);
  g_clear_handle_id (&self->connect_id, g_source_remove);
  ap_sip_session_glare_clear (self);
  g_free (self->offer);
  g_free (self->from);
  g_free (self->route);
  g_free (self->headers);
  g_free (self->replaces);
  g_clear_object (&self->engine);
  g_free (self->local_address);
  g_strfreev (self->codecs);
  g_free (self->answer);
  g_free (self->remote_offer);
  g_strfreev (self->video_codecs);
  g_clear_pointer (&self->params, ap_media_params_free);
  ap_sip_session_clear_keys (self);
  G_OBJECT_CLASS (ap_sip_session_parent_class)->finalize (object);
}

static void
ap_sip_session_class_init (ApSipSessionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ap_sip_session_finalize;
}

static void
ap_sip_session_init (ApSipSession *self)
{
  self->handler.func = ap_sip_session_on_event;
  self->handler.owner = self;
}

/* A session with its media prepared (sockets bound), ready to offer or
 * answer. */
ApSipSession *
ap_sip_session_new (ApSipEngine *engine, ApCall *call, GError **error)
{
  g_autoptr (ApSipSession) self = g_object_new (AP_TYPE_SIP_SESSION, NULL);
  g_autoptr (ApMediaSession) media = ap_sip_engine_create_media (engine, error);

  if (media == NULL)
    return NULL;
  self->engine = g_object_ref (engine);
  self->sdp_id = (guint64) g_get_real_time () / G_USEC_PER_SEC + g_random_int_range (0, 1 << 20);
  self->local_address = g_strdup (ap_sip_engine_get_media_address (engine));
  self->codecs = ap_sip_engine_get_audio_codecs (engine);
  if (!ap_sip_session_init_srtp (self, error))
    return NULL;
  self->local_port = ap_media_session_prepare (media, self->local_address, error);
  if (self->local_port == 0)
    return NULL;
  ap_sip_session_video_init (self, media);
  self->call = g_object_ref (call);
  ap_call_set_media (call, media);
  ap_call_set_backend (call, AP_CALL_BACKEND (self));
  return g_steal_pointer (&self);
}

static char *
extra_headers (const ApDialOptions *options)
{
  GString *text = g_string_new (NULL);
  GHashTableIter iter;
  gpointer name, value;

  if (options && options->headers)
    {
      g_hash_table_iter_init (&iter, options->headers);
      while (g_hash_table_iter_next (&iter, &name, &value))
        g_string_append_printf (text, "%s%s: %s", text->len ? "\r\n" : "", (char *) name,
                                (char *) value);
    }
  return g_string_free (text, text->len == 0);
}

static void
send_invite (ApSipSession *self, const char *target)
{
  nua_t *nua = ap_sip_engine_get_nua (self->engine);

  self->nh = nua_handle (nua, &self->handler, SIPTAG_TO_STR (target),
                         TAG_IF (self->from, SIPTAG_FROM_STR (self->from)), TAG_END ());
  /* The outbound proxy is a handle parameter, set before the request. */
  if (self->route)
    nua_set_hparams (self->nh, NUTAG_PROXY (self->route), TAG_END ());
  nua_invite (self->nh, SIPTAG_CONTENT_TYPE_STR ("application/sdp"),
              SIPTAG_PAYLOAD_STR (self->offer), TAG_IF (self->anonymous, SIPTAG_PRIVACY_STR ("id")),
              TAG_IF (self->headers, SIPTAG_HEADER_STR (self->headers)),
              TAG_IF (self->replaces, SIPTAG_REPLACES_STR (self->replaces)), TAG_END ());
}

/* Nobody answered in `ring-timeout` seconds: give up like a person would. */
static gboolean
on_ring_timeout (gpointer data)
{
  ApSipSession *self = data;

  self->ring_timeout_id = 0;
  if (self->nh && !self->answered && self->call)
    {
      nua_cancel (self->nh, TAG_END ());
      ap_sip_session_end_call (self, 408, _ ("No answer"));
    }
  return G_SOURCE_REMOVE;
}

/**
 * ap_sip_session_dial:
 * @target: a complete sip:/sips: URI
 *
 * Returns: (transfer full): the call, `dialing`; the INVITE is on its way
 */
ApCall *
ap_sip_session_dial (ApSipEngine *engine, const char *target, const ApDialOptions *options,
                     GError **error)
{
  return ap_sip_session_dial_full (engine, target, options, NULL, error);
}

ApCall *
ap_sip_session_dial_full (ApSipEngine *engine, const char *target, const ApDialOptions *options,
                          const char *replaces, GError **error)
{
  g_autoptr (ApCall) call = ap_call_new (AP_CALL_DIRECTION_OUTGOING, target, NULL);
  ApSipSession *self = NULL;
  nua_t *nua = ap_sip_engine_get_nua (engine);
  gboolean anonymous = options && options->anonymous;
  ApSdpLocal local;

  if (nua == NULL || !ap_sip_engine_is_running (engine))
    {
      g_set_error (error, AP_ERROR, AP_ERROR_FAILED, _ ("The SIP engine is not running"));
      return NULL;
    }
  self = ap_sip_session_new (engine, call, error);
  if (self == NULL)
    return NULL;
  self->outgoing = TRUE;
  self->video_wanted = options && options->video && self->video_port != 0;
  local = ap_sip_session_local_sdp (self, AP_MEDIA_DIRECTION_SENDRECV);
  self->offer = ap_sip_session_make_offer (self, &local);
  self->anonymous = anonymous;
  self->from = anonymous ? g_strdup ("\"Anonymous\" <sip:anonymous@anonymous.invalid>")
                         : ap_sip_engine_dup_from (engine);
  self->route = ap_sip_engine_dup_route (engine);
  self->headers = extra_headers (options);
  self->replaces = g_strdup (replaces);
  send_invite (self, target);
  self->ring_timeout_id
    = g_timeout_add_seconds (ap_sip_engine_get_ring_timeout (engine), on_ring_timeout, self);
  /* The handle keeps the session alive until the dialog terminates. */
  return g_steal_pointer (&call);
}
