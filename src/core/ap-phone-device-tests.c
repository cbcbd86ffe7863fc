/* ap-phone-device-tests.c: the checks an agent runs before a shift: a test
 * chime on the speaker or the ringer, and a live microphone meter.
 *
 * The meter never runs beside a call: it is refused while one is up, and a
 * call that starts stops it. Sound servers would let both capture the
 * microphone, but measured with PulseAudio, a second capture of the same
 * source in our process now and then starved the call's own (the far end
 * heard the voice fade away by 30 dB until the meter stopped); during a
 * call the volume page's meters show the microphone instead. */
#define G_LOG_DOMAIN "Agentphone-core"

#include "ap-phone-private.h"

#include <glib/gi18n.h>

#include "ap-error.h"

static gboolean
call_is_up (ApPhone *self)
{
  GListModel *calls = G_LIST_MODEL (self->calls);

  for (guint i = 0; i < g_list_model_get_n_items (calls); i++)
    {
      g_autoptr (ApCall) call = g_list_model_get_item (calls, i);

      if (ap_call_get_state (call) != AP_CALL_STATE_ENDED)
        return TRUE;
    }
  return FALSE;
}

static ApDeviceBackend *
devices_or_error (ApPhone *self, GError **error)
{
  if (self->devices == NULL)
    g_set_error (error, AP_ERROR, AP_ERROR_NOT_SUPPORTED,
                 _ ("No audio engine is running, so there are no devices to test"));
  return self->devices;
}

/**
 * ap_phone_play_test_tone:
 * @kind: %AP_DEVICE_KIND_SPEAKER or %AP_DEVICE_KIND_RINGER
 *
 * Plays a short chime (440 Hz, then 880 Hz; 1.5 s) on the speaker (at the
 * speaker volume) or the ringer in use, or their `AGENTPHONE_AUDIO_OUTPUT`
 * / `AGENTPHONE_RINGER_OUTPUT` overrides. Returns as it starts.
 *
 * Returns: whether it plays; %AP_ERROR_INVALID_ARGUMENT for another kind,
 * %AP_ERROR_NO_SUCH_DEVICE when no output could play it.
 */
gboolean
ap_phone_play_test_tone (ApPhone *self, ApDeviceKind kind, GError **error)
{
  ApDeviceBackend *devices;

  g_return_val_if_fail (AP_IS_PHONE (self), FALSE);

  if (kind != AP_DEVICE_KIND_SPEAKER && kind != AP_DEVICE_KIND_RINGER)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT,
                   _ ("A test sound plays on the speaker or the ringer, not on the %s"),
                   kind < AP_DEVICE_KIND_COUNT ? ap_device_kind_to_string (kind) : "?");
      return FALSE;
    }
  if ((devices = devices_or_error (self, error)) == NULL)
    return FALSE;
  return ap_device_backend_play_test_tone (devices, kind, error);
}

/**
 * ap_phone_start_microphone_monitor:
 *
 * Captures from the microphone in use (or the `AGENTPHONE_AUDIO_INPUT`
 * override) until ap_phone_stop_microphone_monitor() or a call starts;
 * the devices' "microphone-level" follows it about ten times a second.
 * Starting it again changes nothing.
 *
 * Returns: whether it runs; %AP_ERROR_INVALID_STATE while a call is up,
 * %AP_ERROR_NO_SUCH_DEVICE when no microphone could be opened.
 */
gboolean
ap_phone_start_microphone_monitor (ApPhone *self, GError **error)
{
  ApDeviceBackend *devices;

  g_return_val_if_fail (AP_IS_PHONE (self), FALSE);

  if ((devices = devices_or_error (self, error)) == NULL)
    return FALSE;
  if (call_is_up (self))
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_STATE,
                   _ ("The microphone is in a call: test it when no call is up (during a call "
                      "the volume page shows its level)"));
      return FALSE;
    }
  return ap_device_backend_start_microphone_monitor (devices, error);
}

/** ap_phone_stop_microphone_monitor: idempotent */
void
ap_phone_stop_microphone_monitor (ApPhone *self)
{
  g_return_if_fail (AP_IS_PHONE (self));

  if (self->devices)
    ap_device_backend_stop_microphone_monitor (self->devices);
}
