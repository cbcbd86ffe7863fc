/* ap-sip-session-answer.c: what follows our 200 for an incoming call.
 *
 * nua_respond() only queues the 200: sofia sends it when the main loop next
 * runs its source. Building the call's pipeline first (about 5 ms) held the
 * 200 back by that much, so the pipeline is built, and the call connected,
 * just after, from an idle source, which runs behind sofia's. */
#define G_LOG_DOMAIN "Agentphone-sip"

#include "ap-sip-session-private.h"

#include <glib/gi18n.h>

/* Hung up (or ended by the far end) before the idle source ran. */
static gboolean
still_answering (ApSipSession *self)
{
  self->connect_id = 0;
  return self->call != NULL && ap_call_get_state (self->call) == AP_CALL_STATE_INCOMING;
}

static gboolean
on_connect (gpointer data)
{
  ApSipSession *self = data;

  if (still_answering (self))
    ap_call_connected (self->call, 200, _ ("Answered"));
  return G_SOURCE_REMOVE;
}

static gboolean
on_connect_with_media (gpointer data)
{
  ApSipSession *self = data;

  if (still_answering (self) && ap_sip_session_start_media (self, g_steal_pointer (&self->params)))
    ap_call_connected (self->call, 200, _ ("Answered"));
  return G_SOURCE_REMOVE;
}

/* Called right after the 200 is queued; the session's finalize removes the
 * source if it has not run. With an offer of ours in the 200, media starts
 * with the ACK's answer instead (which may come before the source runs). */
void
ap_sip_session_connect_soon (ApSipSession *self)
{
  g_clear_handle_id (&self->connect_id, g_source_remove);
  self->connect_id = g_idle_add_full (
    G_PRIORITY_HIGH_IDLE, self->offer_pending ? on_connect : on_connect_with_media, self, NULL);
}
