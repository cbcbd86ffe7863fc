/* ap-phone-history.c: the phone's call history.
 *
 * Every call the phone has (dialled, incoming, refused, started by a
 * transfer) is recorded when it ends; the echo test is not a call with
 * anyone, so it never gets here. */
#define G_LOG_DOMAIN "Agentphone-core"

#include "ap-phone-private.h"

void
ap_phone_history_track (ApPhone *self, ApCall *call)
{
  ap_history_track_call (self->history, call);
  /* Calls with someone (not the echo test) follow the recording settings. */
  ap_call_set_settings (call, self->settings);
}

/**
 * ap_phone_set_history:
 * @history: a loaded history (kept in a file); replaces the in-memory one
 */
void
ap_phone_set_history (ApPhone *self, ApHistory *history)
{
  g_return_if_fail (AP_IS_PHONE (self));
  g_return_if_fail (AP_IS_HISTORY (history));
  g_set_object (&self->history, history);
}

/** ap_phone_get_history_store: (transfer none): the history, for views (its "changed" signal) */
ApHistory *
ap_phone_get_history_store (ApPhone *self)
{
  g_return_val_if_fail (AP_IS_PHONE (self), NULL);
  return self->history;
}

/**
 * ap_phone_get_history:
 * @limit: the most entries, 0 for all
 *
 * Returns: (transfer full): `aa{sv}`, newest first, as GetHistory answers
 */
GVariant *
ap_phone_get_history (ApPhone *self, guint limit)
{
  g_return_val_if_fail (AP_IS_PHONE (self), NULL);
  return ap_history_dup_entries (self->history, limit);
}
