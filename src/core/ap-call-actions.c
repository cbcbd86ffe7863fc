/* ap-call-actions.c: the longer things a call does: DTMF (queued and
 * paced) and transfers. The state machine itself is in ap-call.c. */
#define G_LOG_DOMAIN "Agentphone-core"

#include "ap-call.h"
#include "ap-call-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ap-error.h"

/* @format: a whole translated sentence with one %s, the state's contract
 * name (whole sentences, so translators never assemble fragments). */
gboolean
ap_call_invalid_state (ApCall *self, GError **error, const char *format)
{
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  g_set_error (error, AP_ERROR, AP_ERROR_INVALID_STATE, format,
               ap_call_state_to_string (self->state));
#pragma GCC diagnostic pop
  return FALSE;
}

#define DTMF_TONE_MS 160
#define DTMF_GAP_MS 80
#define DTMF_PAUSE_MS 500

/* Sends the queue one digit at a time, each followed by a gap; a comma is
 * a pause. A digit that cannot be sent stops the rest, and is logged. */
static gboolean
on_dtmf_tick (gpointer data)
{
  ApCall *self = data;
  g_autoptr (GError) error = NULL;
  char digit;

  self->dtmf_id = 0;
  if (self->dtmf_queue->len == 0 || self->state == AP_CALL_STATE_ENDED)
    return G_SOURCE_REMOVE;
  digit = self->dtmf_queue->str[0];
  g_string_erase (self->dtmf_queue, 0, 1);
  if (digit == ',')
    {
      self->dtmf_id = g_timeout_add (DTMF_PAUSE_MS, on_dtmf_tick, self);
      return G_SOURCE_REMOVE;
    }
  if (!ap_call_backend_send_dtmf (self->backend, digit, DTMF_TONE_MS, &error))
    {
      g_warning ("Call %u: DTMF “%c” not sent: %s", self->id, digit, error->message);
      g_string_truncate (self->dtmf_queue, 0);
      return G_SOURCE_REMOVE;
    }
  self->dtmf_id = g_timeout_add (DTMF_TONE_MS + DTMF_GAP_MS, on_dtmf_tick, self);
  return G_SOURCE_REMOVE;
}

/**
 * ap_call_send_dtmf:
 * @digits: `0-9 * # A-D`; `,` is a 500 ms pause
 *
 * Queues the digits; they go out one by one as `dtmf-mode` says.
 */
gboolean
ap_call_send_dtmf (ApCall *self, const char *digits, GError **error)
{
  g_return_val_if_fail (AP_IS_CALL (self), FALSE);

  if (digits == NULL || *digits == '\0' || strlen (digits) > 256
      || strspn (digits, "0123456789*#ABCDabcd,") != strlen (digits))
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT,
                   _ ("“%s” is not DTMF: use 0-9, *, #, A-D and “,” for a pause"),
                   digits ? digits : "");
      return FALSE;
    }
  if (self->state != AP_CALL_STATE_CONNECTED)
    return ap_call_invalid_state (self, error, _ ("Cannot send DTMF: the call is “%s”"));
  if (!ap_call_have_backend (self, error))
    return FALSE;
  for (const char *p = digits; *p; p++)
    g_string_append_c (self->dtmf_queue, g_ascii_toupper (*p));
  if (self->dtmf_id == 0)
    on_dtmf_tick (self);
  return TRUE;
}

/** ap_call_dtmf_received: for backends and media: one digit from the far end */
void
ap_call_dtmf_received (ApCall *self, const char *digit)
{
  g_return_if_fail (AP_IS_CALL (self));
  g_debug ("Call %u: DTMF %s received", self->id, digit);
  ap_call_emit_dtmf_received (self, digit);
}

/**
 * ap_call_transfer:
 * @target: a complete sip:/sips: URI
 *
 * Blind transfer: asks the far end to call @target (REFER). The call ends
 * once the far end reports success.
 */
gboolean
ap_call_transfer (ApCall *self, const char *target, GError **error)
{
  g_return_val_if_fail (AP_IS_CALL (self), FALSE);

  if (self->state != AP_CALL_STATE_CONNECTED && self->state != AP_CALL_STATE_HELD)
    return ap_call_invalid_state (self, error, _ ("Cannot transfer the call: it is “%s”"));
  return ap_call_have_backend (self, error)
         && ap_call_backend_transfer (self->backend, target, error);
}

/**
 * ap_call_transfer_to_call:
 * @other: another call of ours, in progress
 *
 * Attended transfer: the far end of this call is put through to the far end
 * of @other. Both of our calls end once that has happened.
 */
gboolean
ap_call_transfer_to_call (ApCall *self, ApCall *other, GError **error)
{
  g_return_val_if_fail (AP_IS_CALL (self), FALSE);
  g_return_val_if_fail (AP_IS_CALL (other), FALSE);

  if (self->state != AP_CALL_STATE_CONNECTED && self->state != AP_CALL_STATE_HELD)
    return ap_call_invalid_state (self, error, _ ("Cannot transfer the call: it is “%s”"));
  if (other == self
      || (other->state != AP_CALL_STATE_CONNECTED && other->state != AP_CALL_STATE_HELD))
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_STATE,
                   _ ("The call to transfer to must be another call in progress"));
      return FALSE;
    }
  if (!ap_call_have_backend (self, error) || !ap_call_have_backend (other, error))
    return FALSE;
  return ap_call_backend_transfer_to (self->backend, other->backend, error);
}

/** ap_call_transfer_progress: for backends: the far end's report (NOTIFY sipfrag) */
void
ap_call_transfer_progress (ApCall *self, guint code, const char *reason)
{
  g_return_if_fail (AP_IS_CALL (self));
  g_debug ("Call %u: transfer %u %s", self->id, code, reason);
  ap_call_emit_transfer_progress (self, code, reason);
}
