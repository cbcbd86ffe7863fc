/* StartEchoTest: with no account and no server, the agent hears their own
 * microphone one second later. The instance's microphone is a 440 Hz tone
 * and its speaker a WAV: the tone must arrive there, after about a second
 * of silence, and stop coming back once muted. */
#include <math.h>

#include "ap-test-calls.h"
#include "ap-wav.h"

#define CALL_TIMEOUT_MS 10000
#define TONE_HZ 440.0

static ApWav *
load (const char *path)
{
  g_autoptr (GError) error = NULL;
  ApWav *wav = NULL;

  g_assert_true (ap_wav_load (path, &wav, &error));
  g_assert_no_error (error);
  return wav;
}

/* When the tone starts in @path: the start of the first 10 ms above -40 dBFS. */
static double
onset_s (const char *path)
{
  g_autoptr (ApWav) wav = load (path);
  double duration = ap_wav_duration_s (wav);

  for (double t = 0.0; t + 0.01 <= duration; t += 0.01)
    if (ap_wav_rms_dbfs (wav, 0, t, t + 0.01) > -40.0)
      return t;
  return -1.0;
}

static void
test_echo_test (void)
{
  g_autoptr (ApTestBus) bus = ap_test_bus_new ();
  g_autofree char *wav = NULL;
  g_autoptr (ApTestPhone) phone = ap_test_phone_start_with_tone (bus, (guint) TONE_HZ, &wav);
  g_autoptr (ApDbusCall) call = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *added = NULL;
  g_autoptr (ApWav) recording = NULL;
  double onset, duration;

  /* No account at all: nothing is registered and nothing needs to be. */
  g_assert_cmpstr (ap_dbus_phone_get_registration_state (ap_test_phone_get_proxy (phone)), ==,
                   "unregistered");
  ap_dbus_phone_call_start_echo_test_sync (ap_test_phone_get_proxy (phone), &path, NULL, &error);
  g_assert_no_error (error);
  added = ap_test_phone_wait_call_added (phone, 2000);
  g_assert_cmpstr (added, ==, path);
  call = ap_test_phone_get_call (phone, path);
  g_assert_true (ap_test_call_wait_state (call, "connected", CALL_TIMEOUT_MS));
  g_assert_cmpstr (ap_dbus_call_get_direction (call), ==, "outgoing");
  g_assert_cmpstr (ap_dbus_call_get_audio_codec (call), ==, "opus");
  g_assert_true (ap_test_call_wait_media_active (call, 5000));

  /* What an echo test cannot do is said, not ignored. */
  ap_dbus_call_call_hold_sync (call, NULL, &error);
  g_assert_true (ap_test_dbus_error_is (error, "io.github.agentphone.Error.NotSupported"));
  g_clear_error (&error);

  ap_test_sleep (4000);
  ap_dbus_call_call_set_muted_sync (call, TRUE, NULL, &error);
  g_assert_no_error (error);
  /* What was said before the mute is still on its way back for a second. */
  ap_test_sleep (3000);
  ap_test_call_hangup (call);
  g_assert_true (ap_test_call_wait_state (call, "ended", CALL_TIMEOUT_MS));
  g_assert_cmpuint (ap_dbus_call_get_end_code (call), ==, 200);
  g_assert_true (ap_test_phone_wait_call_removed (phone, path, 2000));

  onset = onset_s (wav);
  g_test_message ("The microphone came back after %.2f s", onset);
  g_assert_cmpfloat (onset, >=, 0.9);
  g_assert_cmpfloat (onset, <=, 1.6);
  ap_test_assert_silence (wav, 0.05, 0.85);
  ap_test_assert_tone (wav, TONE_HZ, onset + 0.2, onset + 2.5);
  /* Hung up 3 s after the mute, which comes back a second after it was
   * made: the recording ends in silence. */
  recording = load (wav);
  duration = ap_wav_duration_s (recording);
  ap_test_assert_silence (wav, duration - 1.5, duration - 0.1);
  ap_test_assert_tone (wav, TONE_HZ, duration - 4.0, duration - 3.3);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/echo-test/hear-yourself", test_echo_test);
  return g_test_run ();
}
