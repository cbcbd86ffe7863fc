/* ap-phone-device-tests.c: the checks an agent runs before a shift: a test
 * chime on the speaker or the ringer, and a live microphone meter.
 *
 * The meter shares the microphone with calls rather than refusing while one
 * is up: sound servers (PulseAudio, PipeWire) let any number of streams
 * capture one source, and the call's own stream is left untouched, so an
 * agent may watch the meter during a call as well. */
#define G_LOG_DOMAIN "Agentphone-core"

#include "ap-phone-private.h"

#include <glib/gi18n.h>

#include "ap-error.h"

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
 * override) until ap_phone_stop_microphone_monitor(); the devices'
 * "microphone-level" follows it about ten times a second. Shares the
 * microphone with calls. Starting it again changes nothing.
 *
 * Returns: whether it runs; %AP_ERROR_NO_SUCH_DEVICE when no microphone
 * could be opened.
 */
gboolean
ap_phone_start_microphone_monitor (ApPhone *self, GError **error)
{
  ApDeviceBackend *devices;

  g_return_val_if_fail (AP_IS_PHONE (self), FALSE);

  if ((devices = devices_or_error (self, error)) == NULL)
    return FALSE;
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
