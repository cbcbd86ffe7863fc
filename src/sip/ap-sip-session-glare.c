/* ap-sip-session-glare.c: re-INVITE glare (RFC 3261 14.1).
 *
 * When both ends send a re-INVITE at once, each answers the other's with
 * 491 Request Pending. The request is not lost: it is sent again after a
 * random wait, 2.1 to 4 s when we own the Call-ID (we sent the initial
 * INVITE), 0 to 2 s otherwise, so the two ends take turns instead of
 * colliding again. While the retry waits, the session stays "renegotiating"
 * (as the call stays hold-pending), the far end's own re-INVITE is answered
 * as usual, and the retry is dropped when it has become moot: the call
 * ended, or its video already is what we wanted. */
#define G_LOG_DOMAIN "Agentphone-sip"

#include "ap-sip-session-private.h"

#include <glib/gi18n.h>

#include "ap-call-video.h"

/* After this many 491s in a row for one request we give up and report it
 * refused: a far end that always says 491 is broken, not busy. */
#define MAX_GLARE_ROUNDS 4

/* The RFC's windows, in its units of 10 ms. */
static guint
glare_delay_ms (ApSipSession *self)
{
  if (self->outgoing)
    return 10 * (guint) g_random_int_range (210, 401);
  return 10 * (guint) g_random_int_range (0, 201);
}

static gboolean
call_running (ApSipSession *self)
{
  ApCallState state;

  if (self->nh == NULL || self->call == NULL)
    return FALSE;
  state = ap_call_get_state (self->call);
  return state == AP_CALL_STATE_CONNECTED || state == AP_CALL_STATE_HELD;
}

static gboolean
video_moot (ApSipSession *self)
{
  return self->video_target == ap_call_video_get_active (ap_call_get_video (self->call));
}

/* The pending request will not be sent again: say how it ended. */
static void
glare_give_up (ApSipSession *self)
{
  gboolean video = self->video_reinvite;

  self->reinvite_pending = FALSE;
  self->video_reinvite = FALSE;
  self->glare_rounds = 0;
  if (self->call == NULL)
    return;
  if (video)
    self->video_wanted = ap_call_video_get_active (ap_call_get_video (self->call));
  else
    ap_call_hold_changed (self->call, self->local_hold, 491,
                          _ ("Hold not retried: the call changed meanwhile"));
}

static void schedule (ApSipSession *self);

static gboolean
on_glare_timeout (gpointer data)
{
  ApSipSession *self = data;
  ApMediaDirection direction;

  self->glare_id = 0;
  if (!call_running (self) || (self->video_reinvite && video_moot (self)))
    {
      g_debug ("The re-INVITE that met 491 is moot now: not sent again");
      glare_give_up (self);
      return G_SOURCE_REMOVE;
    }
  if (self->offer_pending)
    {
      /* The far end's offerless re-INVITE got our offer; its ACK comes first. */
      schedule (self);
      return G_SOURCE_REMOVE;
    }
  if (self->video_reinvite)
    {
      self->video_wanted = self->video_target;
      direction = self->local_hold ? AP_MEDIA_DIRECTION_SENDONLY : AP_MEDIA_DIRECTION_SENDRECV;
    }
  else
    direction = self->hold_target ? AP_MEDIA_DIRECTION_SENDONLY : AP_MEDIA_DIRECTION_SENDRECV;
  g_message ("Sending the re-INVITE that met 491 again (round %u)", self->glare_rounds);
  ap_sip_session_send_reinvite (self, direction);
  return G_SOURCE_REMOVE;
}

static void
schedule (ApSipSession *self)
{
  guint delay = glare_delay_ms (self);

  g_clear_handle_id (&self->glare_id, g_source_remove);
  g_message ("Re-INVITE glare (491 Request Pending): trying again in %u ms", delay);
  self->glare_id = g_timeout_add (delay, on_glare_timeout, self);
}

/**
 * ap_sip_session_glare_retry:
 * @status: the final answer to our re-INVITE
 *
 * Returns: %TRUE when @status is a 491 and the re-INVITE will be sent again;
 *   %FALSE when the answer is to be taken as it is (a refusal for 491 when
 *   retrying has become moot or has gone on too long)
 */
gboolean
ap_sip_session_glare_retry (ApSipSession *self, int status)
{
  if (status != 491)
    {
      self->glare_rounds = 0;
      return FALSE;
    }
  if (!call_running (self) || (self->video_reinvite && video_moot (self)))
    return FALSE;
  if (++self->glare_rounds > MAX_GLARE_ROUNDS)
    {
      g_message ("Re-INVITE glare: %u times 491 in a row, giving up", MAX_GLARE_ROUNDS);
      self->glare_rounds = 0;
      return FALSE;
    }
  schedule (self);
  return TRUE;
}

/**
 * ap_sip_session_glare_waiting:
 *
 * Returns: whether a re-INVITE that met 491 waits to be sent again
 */
gboolean
ap_sip_session_glare_waiting (ApSipSession *self)
{
  return self->glare_id != 0;
}

/**
 * ap_sip_session_glare_drop_video:
 *
 * The user asks for video again while a video re-INVITE waits after a 491:
 * the new wish replaces the old one, which is not sent.
 */
void
ap_sip_session_glare_drop_video (ApSipSession *self)
{
  if (self->glare_id == 0 || !self->video_reinvite)
    return;
  g_clear_handle_id (&self->glare_id, g_source_remove);
  glare_give_up (self);
}

/**
 * ap_sip_session_glare_drop_moot:
 *
 * Before a new request: a video re-INVITE waiting after a 491 whose video
 * the far end has given us meanwhile would only stand in its way.
 */
void
ap_sip_session_glare_drop_moot (ApSipSession *self)
{
  if (self->glare_id != 0 && self->video_reinvite && self->call && video_moot (self))
    {
      g_clear_handle_id (&self->glare_id, g_source_remove);
      glare_give_up (self);
    }
}

/**
 * ap_sip_session_glare_refuse_update:
 *
 * An UPDATE with an offer (RFC 3311 5.2) while an offer of ours waits for
 * its answer gets 491; while the far end's own offer (the INVITE we have
 * not answered yet) waits for ours, 500 with Retry-After. Sofia does this
 * for re-INVITEs; UPDATE is ours to answer.
 *
 * Returns: whether the UPDATE was answered so
 */
gboolean
ap_sip_session_glare_refuse_update (ApSipSession *self)
{
  nua_t *nua = ap_sip_engine_get_nua (self->engine);
  gboolean ours_pending = (self->reinvite_pending && self->glare_id == 0) || self->offer_pending
                          || (self->outgoing && !self->answered && self->params == NULL);

  if (ours_pending)
    {
      g_message ("Refusing an UPDATE offer: ours is pending (491)");
      nua_respond (self->nh, SIP_491_REQUEST_PENDING, NUTAG_WITH_THIS (nua), TAG_END ());
      return TRUE;
    }
  if (!self->outgoing && !self->answered)
    {
      g_message ("Refusing an UPDATE offer: the INVITE's is not answered yet (500)");
      nua_respond (self->nh, SIP_500_INTERNAL_SERVER_ERROR, NUTAG_WITH_THIS (nua),
                   SIPTAG_RETRY_AFTER_STR ("1"), TAG_END ());
      return TRUE;
    }
  return FALSE;
}

/** ap_sip_session_glare_clear: for finalize and the end of the dialog */
void
ap_sip_session_glare_clear (ApSipSession *self)
{
  g_clear_handle_id (&self->glare_id, g_source_remove);
}
