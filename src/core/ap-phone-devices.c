/* ap-phone-devices.c: the phone's devices (an #ApDeviceBackend from the
 * media engine) and when tones play. The core decides when; media plays:
 * - the ringtone, on the ringer, while a call that rings (not one answered
 *   at once) is incoming;
 * - the ringback tone, into the call's own output, while the far end rings
 *   and sends no early media of its own (a 183 with SDP plays instead). */
#define G_LOG_DOMAIN "Agentphone-core"

#include "ap-phone-private.h"

#include <glib/gi18n.h>

#include "ap-error.h"

static void
update_ringing (ApPhone *self)
{
  gboolean ringing = FALSE;
  GHashTableIter iter;
  gpointer call;

  g_hash_table_iter_init (&iter, self->ringing_calls);
  while (g_hash_table_iter_next (&iter, &call, NULL))
    if (ap_call_get_state (call) == AP_CALL_STATE_INCOMING)
      ringing = TRUE;
    else
      g_hash_table_iter_remove (&iter);
  if (ringing == self->ringing)
    return;
  self->ringing = ringing;
  g_debug ("Ringtone %s", ringing ? "on" : "off");
  if (self->devices)
    ap_device_backend_set_ringing (self->devices, ringing);
}

static void
on_call_state (ApCall *call, ApCallState state, guint code, const char *reason, ApPhone *self)
{
  ApMediaSession *media = ap_call_get_media (call);
  gboolean ringback = state == AP_CALL_STATE_RINGING_BACK && !ap_call_get_early_media (call);

  if (media)
    ap_media_session_play_ringback (media, ringback);
  update_ringing (self);
  if (state == AP_CALL_STATE_ENDED)
    g_signal_handlers_disconnect_by_func (call, on_call_state, self);
}

/** ap_phone_devices_track: follow @call's state for the tones it needs */
void
ap_phone_devices_track (ApPhone *self, ApCall *call)
{
  g_signal_connect (call, "state-changed", G_CALLBACK (on_call_state), self);
  /* The call needs the microphone: the meter gives it up (see
   * ap-phone-device-tests.c). */
  ap_phone_stop_microphone_monitor (self);
}

/** ap_phone_devices_ring: @call rings here until it leaves the incoming state */
void
ap_phone_devices_ring (ApPhone *self, ApCall *call)
{
  g_hash_table_add (self->ringing_calls, g_object_ref (call));
  update_ringing (self);
}

void
ap_phone_devices_init (ApPhone *self)
{
  self->ringing_calls = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
}

void
ap_phone_devices_dispose (ApPhone *self)
{
  if (self->ringing_calls)
    {
      GHashTableIter iter;
      gpointer call;

      g_hash_table_iter_init (&iter, self->ringing_calls);
      while (g_hash_table_iter_next (&iter, &call, NULL))
        g_signal_handlers_disconnect_by_func (call, on_call_state, self);
    }
  if (self->devices && self->ringing)
    ap_device_backend_set_ringing (self->devices, FALSE);
  g_clear_pointer (&self->ringing_calls, g_hash_table_unref);
  g_clear_object (&self->devices);
}

/** ap_phone_set_devices: hand the phone the media engine's devices */
void
ap_phone_set_devices (ApPhone *self, ApDeviceBackend *devices)
{
  g_return_if_fail (AP_IS_PHONE (self));

  if (!g_set_object (&self->devices, devices))
    return;
  ap_phone_notify_devices (self);
  if (devices && self->ringing)
    ap_device_backend_set_ringing (devices, TRUE);
}

/** ap_phone_get_devices: (transfer none) (nullable): the devices, if a media engine gave them */
ApDeviceBackend *
ap_phone_get_devices (ApPhone *self)
{
  g_return_val_if_fail (AP_IS_PHONE (self), NULL);
  return self->devices;
}

static void
on_check_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *problem = NULL;
  double peak = -120.0;

  if (!ap_device_backend_check_microphone_finish (AP_DEVICE_BACKEND (source), result, &peak,
                                                  &problem, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (
    task, g_variant_ref_sink (g_variant_new ("(bds)", *problem == '\0', peak, problem)),
    (GDestroyNotify) g_variant_unref);
}

/**
 * ap_phone_check_microphone_async:
 *
 * Listens one second on the microphone in use (or the
 * `AGENTPHONE_AUDIO_INPUT` override) and reports its peak and a problem.
 */
void
ap_phone_check_microphone_async (ApPhone *self, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_return_if_fail (AP_IS_PHONE (self));

  g_task_set_source_tag (task, ap_phone_check_microphone_async);
  if (self->devices == NULL)
    {
      g_task_return_new_error (task, AP_ERROR, AP_ERROR_NOT_SUPPORTED,
                               _ ("No audio engine is running to check the microphone"));
      return;
    }
  ap_device_backend_check_microphone_async (self->devices, cancellable, on_check_done,
                                            g_steal_pointer (&task));
}

/**
 * ap_phone_check_microphone_finish:
 * @problem: (out) (transfer full): "" when fine; else "no microphone",
 *   "silent" or "clipping"
 *
 * Returns: whether the microphone is fine; FALSE with @error only when the
 * check itself could not run.
 */
gboolean
ap_phone_check_microphone_finish (ApPhone *self, GAsyncResult *result, double *peak_dbfs,
                                  char **problem, GError **error)
{
  g_autoptr (GVariant) outcome = g_task_propagate_pointer (G_TASK (result), error);
  gboolean ok = FALSE;

  *problem = NULL;
  *peak_dbfs = -120.0;
  if (outcome == NULL)
    return FALSE;
  g_variant_get (outcome, "(bds)", &ok, peak_dbfs, problem);
  return ok;
}
