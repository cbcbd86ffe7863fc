/* ap-sip-session-video.c: video in an ApSipSession's offers and answers.
 *
 * Each call's media binds a video port up front, so any offer or answer
 * can carry video. Whether it does follows `video_wanted`: set by Dial's
 * `video` option, by Answer(true), by RequestVideo (a re-INVITE of ours),
 * and after every exchange by what was agreed (a far end that drops video
 * drops it for our later offers too). A far end that offers video we do
 * not want gets port 0 and the call hears VideoRequested; the audio goes
 * on untouched. */
#define G_LOG_DOMAIN "Agentphone-sip"

#include "ap-sip-session-private.h"

#include <glib/gi18n.h>

#include "ap-call-video.h"
#include "ap-error.h"
#include "ap-media-session-video.h"

/**
 * ap_sip_session_video_init:
 *
 * Binds the call's video port; without one (an echo test, no video
 * support) the call is audio only.
 */
void
ap_sip_session_video_init (ApSipSession *self, ApMediaSession *media)
{
  g_autoptr (GError) error = NULL;

  self->video_codecs = ap_sip_engine_get_video_codecs (self->engine);
  self->video_port = ap_media_session_prepare_video (media, self->local_address, &error);
  if (self->video_port == 0)
    g_debug ("This call cannot have video: %s", error ? error->message : "no video port");
}

void
ap_sip_session_video_local (ApSipSession *self, ApSdpLocal *local)
{
  local->video_port = self->video_wanted ? self->video_port : 0;
  local->video_line = self->video_line;
  local->video_codecs = (const char *const *) self->video_codecs;
}

/**
 * ap_sip_session_video_took:
 * @params: what an exchange agreed, as the media is about to get it
 */
void
ap_sip_session_video_took (ApSipSession *self, const ApMediaParams *params)
{
  ApCallVideo *video = ap_call_get_video (self->call);
  ApCallState state = ap_call_get_state (self->call);

  if (params->video != NULL || params->video_offered || self->video_wanted)
    self->video_line = TRUE;
  self->video_wanted = params->video != NULL;
  ap_call_video_set_active (video, params->video != NULL,
                            params->video ? params->video->codec : NULL);
  /* Only in a running call: an incoming call's offer is Answer's choice. */
  if (params->video_offered && (state == AP_CALL_STATE_CONNECTED || state == AP_CALL_STATE_HELD))
    ap_call_video_requested (video);
}

/**
 * ap_sip_session_video_before_answer:
 *
 * Answer(true) to an INVITE that offers video: answer it again, this time
 * taking the video. Should that fail, the audio-only answer stands.
 */
void
ap_sip_session_video_before_answer (ApSipSession *self)
{
  g_autofree char *answer = NULL;
  g_autoptr (GError) error = NULL;
  ApMediaParams *params = NULL;
  ApSdpLocal local;

  if (!ap_call_video_get_answer_with_video (ap_call_get_video (self->call))
      || self->remote_offer == NULL || self->video_port == 0 || self->offer_pending)
    return;
  self->video_wanted = TRUE;
  local = ap_sip_session_local_sdp (self, AP_MEDIA_DIRECTION_SENDRECV);
  if (!ap_sdp_answer (self->remote_offer, &local, &answer, &params, &error))
    {
      g_message ("Answering without video: %s", error->message);
      self->video_wanted = FALSE;
      return;
    }
  g_free (self->answer);
  self->answer = g_steal_pointer (&answer);
  g_clear_pointer (&self->params, ap_media_params_free);
  self->params = params;
}

/* The far end's answer to our re-INVITE for video. A refusal leaves the
 * call as it was. Video we asked for but did not get yet stays wanted: the
 * far end saw VideoRequested, and its own offer of video is then taken. */
void
ap_sip_session_on_video_answer (ApSipSession *self, int status, const char *phrase,
                                const sip_t *sip)
{
  gboolean asked = self->video_wanted;

  if (status < 200)
    return;
  if ((status == 401 || status == 407) && ap_sip_session_authenticate (self, sip))
    return;
  self->auth_rounds = 0;
  if (ap_sip_session_glare_retry (self, status))
    return;
  self->reinvite_pending = FALSE;
  self->video_reinvite = FALSE;
  if (status >= 300)
    {
      g_message ("The far end refused to change the video: %d %s", status, phrase);
      self->video_wanted = ap_call_video_get_active (ap_call_get_video (self->call));
      return;
    }
  if (ap_sip_session_take_answer (self, sip) && asked
      && !ap_call_video_get_active (ap_call_get_video (self->call)))
    self->video_wanted = TRUE;
}

/* ApCallBackend.request_video: a re-INVITE with or without video. */
gboolean
ap_sip_session_request_video (ApCallBackend *backend, gboolean enable, GError **error)
{
  ApSipSession *self = AP_SIP_SESSION (backend);

  if (self->nh == NULL)
    return ap_sip_session_no_dialog (error);
  /* A video re-INVITE waiting after a 491: this wish replaces it. */
  ap_sip_session_glare_drop_video (self);
  if (self->reinvite_pending || self->offer_pending)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_STATE,
                   _ ("The call is still being renegotiated; try again in a moment"));
      return FALSE;
    }
  if (enable && self->video_port == 0)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_NOT_SUPPORTED, _ ("This call cannot carry video"));
      return FALSE;
    }
  self->video_wanted = !!enable;
  self->video_target = !!enable;
  self->video_reinvite = TRUE;
  self->glare_rounds = 0;
  ap_sip_session_send_reinvite (self, self->local_hold ? AP_MEDIA_DIRECTION_SENDONLY
                                                       : AP_MEDIA_DIRECTION_SENDRECV);
  return TRUE;
}
