/* Devices, volumes and the microphone check, through DBus on real
 * agentphone instances. Device tests run a real PulseAudio server whose
 * null sinks and sources are the devices; what a device plays is recorded
 * from its monitor and measured. */
#include <math.h>
#include <signal.h>
#include <string.h>

#include "ap-test-calls.h"
#include "ap-test-sound.h"
#include "ap-wav.h"

#define CALL_TIMEOUT_MS 10000
#define TONE_A "audiotestsrc is-live=true freq=440 volume=0.5 samplesperbuffer=480"

typedef struct {
  GPtrArray *errors; /* "kind: message" */
  guint changed;
} DeviceEvents;

static void
on_device_error (ApDbusDevices *proxy, const char *kind, const char *message, DeviceEvents *ev)
{
  g_test_message ("DeviceError %s: %s", kind, message);
  g_ptr_array_add (ev->errors, g_strdup_printf ("%s: %s", kind, message));
}

static void
on_devices_changed (ApDbusDevices *proxy, DeviceEvents *ev)
{
  ev->changed++;
}

/* An instance with a settings file bound to loopback and @env. */
static ApTestPhone *
start_phone (ApTestBus *bus, const char *home, const char *const *env)
{
  g_autofree char *config = g_build_filename (home, "config", "agentphone", NULL);
  g_autofree char *settings = g_build_filename (config, "settings.json", NULL);

  g_mkdir_with_parents (config, 0700);
  if (!g_file_test (settings, G_FILE_TEST_EXISTS))
    g_assert_true (g_file_set_contents (settings, AP_TEST_TONE_SETTINGS, -1, NULL));
  return ap_test_phone_start (bus, home, env);
}

static ApDbusDevices *
devices_proxy (ApTestBus *bus)
{
  g_autoptr (GError) error = NULL;
  ApDbusDevices *proxy = ap_dbus_devices_proxy_new_sync (
    ap_test_bus_get_connection (bus), G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START,
    "io.github.agentphone.Agentphone", "/io/github/agentphone/Agentphone", NULL, &error);

  g_assert_no_error (error);
  return proxy;
}

static GVariant *
list (ApDbusDevices *proxy, const char *kind)
{
  g_autoptr (GError) error = NULL;
  GVariant *devices = NULL;

  ap_dbus_devices_call_list_sync (proxy, kind, &devices, NULL, &error);
  g_assert_no_error (error);
  return devices;
}

static gboolean
listed (GVariant *devices, const char *id, gboolean *is_default)
{
  GVariantIter iter;
  const char *this_id, *name;
  gboolean def;

  g_variant_iter_init (&iter, devices);
  while (g_variant_iter_next (&iter, "(&s&sb)", &this_id, &name, &def))
    if (g_str_equal (this_id, id))
      {
        if (is_default)
          *is_default = def;
        return TRUE;
      }
  return FALSE;
}

typedef struct {
  ApDbusDevices *proxy;
  const char *property;
  const char *value;
} PropWait;

static gboolean
property_is (gpointer data)
{
  PropWait *w = data;
  g_autofree char *value = NULL;

  g_object_get (w->proxy, w->property, &value, NULL);
  return g_strcmp0 (value, w->value) == 0;
}

static void
assert_heard (ApTestSound *sound, const char *monitor, double freq, const char *dir)
{
  g_autofree char *wav = g_strdup_printf ("%s/%s.wav", dir, monitor);

  ap_test_sound_record (sound, monitor, 1000, wav);
  ap_test_assert_tone (wav, freq, 0.2, 0.9);
}

static void
assert_quiet (ApTestSound *sound, const char *monitor, const char *dir)
{
  g_autofree char *wav = g_strdup_printf ("%s/%s-quiet.wav", dir, monitor);

  ap_test_sound_record (sound, monitor, 600, wav);
  ap_test_assert_silence (wav, 0.1, 0.5);
}

/* List, bad kinds and ids; Select during a call moves the far end's audio
 * to the new speaker; unplugging it falls back to the default and says so;
 * plugging it back restores it; the choice survives a restart. */
static void
test_devices_in_a_call (void)
{
  g_autoptr (ApTestSound) sound = ap_test_sound_new ();
  g_autoptr (ApTestBus) bus_a = ap_test_bus_new ();
  g_autoptr (ApTestBus) bus_b = ap_test_bus_new ();
  g_autofree char *home = ap_test_make_dir ("phone");
  g_autofree char *input = g_strdup_printf ("AGENTPHONE_AUDIO_INPUT=%s", TONE_A);
  const char *env[] = { input, ap_test_sound_env (sound), NULL };
  g_autofree char *wav_b = NULL;
  g_autoptr (ApTestPhone) b = ap_test_phone_start_with_tone (bus_b, 880, &wav_b);
  g_autoptr (ApTestPhone) a = NULL;
  g_autoptr (ApDbusDevices) devices = NULL;
  g_autoptr (GVariant) speakers = NULL;
  g_autoptr (GVariant) microphones = NULL;
  g_autoptr (ApDbusCall) call_a = NULL;
  g_autoptr (ApDbusCall) call_b = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *module = NULL;
  g_autofree char *target = NULL;
  DeviceEvents ev = { g_ptr_array_new_with_free_func (g_free), 0 };
  PropWait wait;
  gboolean is_default = FALSE;

  g_free (ap_test_sound_pactl (sound, "load-module module-null-sink sink_name=spk1 "
                                      "sink_properties=device.description=Headset"));
  g_free (ap_test_sound_pactl (sound, "load-module module-null-sink sink_name=feed"));
  g_free (ap_test_sound_pactl (sound,
                               "load-module module-remap-source source_name=mic1 "
                               "master=feed.monitor source_properties=device.description=Mic"));
  g_free (ap_test_sound_pactl (sound, "set-default-sink spk1"));
  module = ap_test_sound_pactl (sound, "load-module module-null-sink sink_name=spk2 "
                                       "sink_properties=device.description=Speakers");
  a = start_phone (bus_a, home, env);
  devices = devices_proxy (bus_a);
  g_signal_connect (devices, "device-error", G_CALLBACK (on_device_error), &ev);
  g_signal_connect (devices, "devices-changed", G_CALLBACK (on_devices_changed), &ev);

  /* Stable ids (the server's names), the default marked; monitors are no
   * microphones. */
  speakers = list (devices, "speaker");
  g_test_message ("speakers: %s", g_variant_print (speakers, FALSE));
  g_assert_true (listed (speakers, "spk1", &is_default));
  g_assert_true (is_default);
  g_assert_true (listed (speakers, "spk2", &is_default));
  g_assert_false (is_default);
  g_assert_true (listed (list (devices, "ringer"), "spk2", NULL));
  microphones = list (devices, "microphone");
  g_test_message ("microphones: %s", g_variant_print (microphones, FALSE));
  g_assert_true (listed (microphones, "mic1", NULL));
  g_assert_false (listed (microphones, "spk1.monitor", NULL));

  /* Bad kind, unknown id: clear errors, nothing changes. */
  ap_dbus_devices_call_list_sync (devices, "toaster", NULL, NULL, &error);
  g_assert_true (ap_test_dbus_error_is (error, "io.github.agentphone.Error.InvalidArgument"));
  g_clear_error (&error);
  ap_dbus_devices_call_select_sync (devices, "speaker", "no-such-speaker", NULL, &error);
  g_assert_true (ap_test_dbus_error_is (error, "io.github.agentphone.Error.NoSuchDevice"));
  g_clear_error (&error);
  ap_dbus_devices_call_select_sync (devices, "microphone", "spk2", NULL, &error);
  g_assert_true (ap_test_dbus_error_is (error, "io.github.agentphone.Error.NoSuchDevice"));
  g_clear_error (&error);
  g_assert_cmpstr (ap_dbus_devices_get_speaker (devices), ==, "");
  g_assert_cmpstr (ap_dbus_devices_get_microphone (devices), ==, "");

  /* A call on the default speaker. */
  target = g_strdup_printf ("sip:agent@127.0.0.1:%u", ap_test_phone_get_listen_port (b));
  call_a = ap_test_dial (a, b, target, NULL, &call_b);
  ap_test_call_answer (call_b);
  g_assert_true (ap_test_call_wait_state (call_a, "connected", CALL_TIMEOUT_MS));
  g_assert_true (ap_test_call_wait_media_active (call_a, 5000));
  ap_test_sleep (500);
  assert_heard (sound, "spk1.monitor", 880, ap_test_phone_get_home (a));

  /* Select during the call: the audio moves, the call goes on. */
  ap_dbus_devices_call_select_sync (devices, "speaker", "spk2", NULL, &error);
  g_assert_no_error (error);
  wait = (PropWait){ devices, "speaker", "spk2" };
  g_assert_true (ap_test_run_until (property_is, &wait, 2000));
  ap_test_sleep (300);
  assert_heard (sound, "spk2.monitor", 880, ap_test_phone_get_home (a));
  assert_quiet (sound, "spk1.monitor", ap_test_phone_get_home (a));
  g_assert_cmpstr (ap_dbus_call_get_state (call_a), ==, "connected");

  /* Unplugged: the default takes over, and the phone says so. */
  ev.changed = 0;
  {
    g_autofree char *unload = g_strdup_printf ("unload-module %s", module);

    g_free (ap_test_sound_pactl (sound, unload));
  }
  wait = (PropWait){ devices, "speaker", "" };
  g_assert_true (ap_test_run_until (property_is, &wait, 3000));
  ap_test_sleep (300);
  g_assert_cmpuint (ev.errors->len, >=, 1);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (ev.errors, 0), "speaker: "));
  g_assert_cmpuint (ev.changed, >=, 1);
  assert_heard (sound, "spk1.monitor", 880, ap_test_phone_get_home (a));
  g_assert_cmpstr (ap_dbus_call_get_state (call_a), ==, "connected");

  /* Plugged back in: the choice comes back. */
  g_free (module);
  module = ap_test_sound_pactl (sound, "load-module module-null-sink sink_name=spk2 "
                                       "sink_properties=device.description=Speakers");
  wait = (PropWait){ devices, "speaker", "spk2" };
  g_assert_true (ap_test_run_until (property_is, &wait, 3000));
  ap_test_sleep (300);
  assert_heard (sound, "spk2.monitor", 880, ap_test_phone_get_home (a));
  g_assert_cmpstr (ap_dbus_call_get_state (call_a), ==, "connected");

  ap_test_call_hangup (call_a);
  g_assert_true (ap_test_call_wait_state (call_b, "ended", CALL_TIMEOUT_MS));
  /* B heard A the whole time: the call never dropped. */
  ap_test_assert_tone (wav_b, 440, 0.5, -0.2);

  /* The choice persists across a restart. */
  ap_dbus_phone_call_quit_sync (ap_test_phone_get_proxy (a), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ap_test_phone_wait_exit (a, 10000, NULL));
  g_clear_pointer (&a, ap_test_phone_free);
  g_clear_object (&devices);
  a = start_phone (bus_a, home, env);
  devices = devices_proxy (bus_a);
  wait = (PropWait){ devices, "speaker", "spk2" };
  g_assert_true (ap_test_run_until (property_is, &wait, 3000));
  g_ptr_array_unref (ev.errors);
}

static void
stop_player (GSubprocess *player)
{
  g_subprocess_send_signal (player, SIGTERM);
  g_subprocess_wait (player, NULL, NULL);
  g_object_unref (player);
}

/* A's microphones are sound-server sources, each carrying its own tone:
 * Select during a call changes what B hears without dropping the call;
 * unplugging the chosen one falls back to the default and says so. */
static void
test_microphone_switch (void)
{
  g_autoptr (ApTestSound) sound = ap_test_sound_new ();
  g_autoptr (ApTestBus) bus_a = ap_test_bus_new ();
  g_autoptr (ApTestBus) bus_b = ap_test_bus_new ();
  g_autofree char *home = ap_test_make_dir ("phone");
  g_autofree char *output
    = g_strdup_printf ("AGENTPHONE_AUDIO_OUTPUT=wavenc ! filesink location=%s/a.wav", home);
  const char *env[] = { output, ap_test_sound_env (sound), NULL };
  g_autofree char *wav_b = NULL;
  g_autoptr (ApTestPhone) b = ap_test_phone_start_with_tone (bus_b, 880, &wav_b);
  g_autoptr (ApTestPhone) a = NULL;
  g_autoptr (ApDbusDevices) devices = NULL;
  g_autoptr (ApDbusCall) call_a = NULL;
  g_autoptr (ApDbusCall) call_b = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *module = NULL;
  g_autofree char *unload = NULL;
  g_autofree char *target = NULL;
  GSubprocess *voice1, *voice2;
  DeviceEvents ev = { g_ptr_array_new_with_free_func (g_free), 0 };
  PropWait wait;
  gint64 start, switched, unplugged, ended;

  g_free (ap_test_sound_pactl (sound, "load-module module-null-sink sink_name=feed1"));
  g_free (ap_test_sound_pactl (sound, "load-module module-null-sink sink_name=feed2"));
  g_free (ap_test_sound_pactl (sound, "load-module module-remap-source source_name=mic1 "
                                      "master=feed1.monitor"));
  module = ap_test_sound_pactl (sound, "load-module module-remap-source source_name=mic2 "
                                       "master=feed2.monitor");
  g_free (ap_test_sound_pactl (sound, "set-default-source mic1"));
  voice1 = ap_test_sound_play (sound, "feed1", 500);
  voice2 = ap_test_sound_play (sound, "feed2", 700);
  a = start_phone (bus_a, home, env);
  devices = devices_proxy (bus_a);
  g_signal_connect (devices, "device-error", G_CALLBACK (on_device_error), &ev);

  target = g_strdup_printf ("sip:agent@127.0.0.1:%u", ap_test_phone_get_listen_port (b));
  call_a = ap_test_dial (a, b, target, NULL, &call_b);
  ap_test_call_answer (call_b);
  g_assert_true (ap_test_call_wait_state (call_a, "connected", CALL_TIMEOUT_MS));
  g_assert_true (ap_test_call_wait_media_active (call_b, 5000));
  start = g_get_monotonic_time ();
  ap_test_sleep (2000);

  ap_dbus_devices_call_select_sync (devices, "microphone", "mic2", NULL, &error);
  g_assert_no_error (error);
  wait = (PropWait){ devices, "microphone", "mic2" };
  g_assert_true (ap_test_run_until (property_is, &wait, 2000));
  switched = g_get_monotonic_time ();
  ap_test_sleep (2000);

  unload = g_strdup_printf ("unload-module %s", module);
  g_free (ap_test_sound_pactl (sound, unload));
  wait = (PropWait){ devices, "microphone", "" };
  g_assert_true (ap_test_run_until (property_is, &wait, 3000));
  unplugged = g_get_monotonic_time ();
  ap_test_sleep (2000);
  g_assert_cmpstr (ap_dbus_call_get_state (call_a), ==, "connected");
  g_assert_cmpuint (ev.errors->len, >=, 1);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (ev.errors, 0), "microphone: "));

  ap_test_call_hangup (call_a);
  g_assert_true (ap_test_call_wait_state (call_b, "ended", CALL_TIMEOUT_MS));
  ended = g_get_monotonic_time ();
  stop_player (voice1);
  stop_player (voice2);
  {
    /* B's recording starts when B's audio does, which can be a second
     * before MediaActive (that waits for packets both ways); it ends at the
     * hang-up, so its length places the test's clock on the file's. */
    g_autoptr (ApWav) wav = NULL;
    double offset, t_switch, t_unplug;

    g_assert_true (ap_wav_load (wav_b, &wav, &error));
    g_assert_no_error (error);
    offset = ap_wav_duration_s (wav) - (ended - start) / 1e6;
    g_test_message ("B's recording began %.2f s before MediaActive", offset);
    t_switch = offset + (switched - start) / 1e6;
    t_unplug = offset + (unplugged - start) / 1e6;
    ap_test_assert_tone (wav_b, 500, offset + 0.8, t_switch - 0.2);
    ap_test_assert_tone (wav_b, 700, t_switch + 0.6, t_unplug - 0.2);
    ap_test_assert_tone (wav_b, 500, t_unplug + 0.8, t_unplug + 1.8);
  }
  g_ptr_array_unref (ev.errors);
}

/* Levels of a WAV window, for the volume test. */
static double
level_at (const char *path, double start_s, double end_s)
{
  g_autoptr (ApWav) wav = NULL;
  g_autoptr (GError) error = NULL;
  double level;

  g_assert_true (ap_wav_load (path, &wav, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (ap_wav_duration_s (wav), >=, end_s);
  level = ap_wav_rms_dbfs (wav, 0, start_s, end_s);
  g_test_message ("%s [%.1f, %.1f s]: %.1f dBFS", path, start_s, end_s, level);
  return level;
}

static void
set_volume (ApTestPhone *phone, ApTestBus *bus, const char *property, guint volume)
{
  g_autoptr (ApDbusDevices) devices = devices_proxy (bus);
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) result = g_dbus_connection_call_sync (
    ap_test_bus_get_connection (bus), "io.github.agentphone.Agentphone",
    "/io/github/agentphone/Agentphone", "org.freedesktop.DBus.Properties", "Set",
    g_variant_new ("(ssv)", "io.github.agentphone.Devices", property,
                   g_variant_new_uint32 (volume)),
    NULL, G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &error);

  g_assert_no_error (error);
}

/* Volumes apply live: B's microphone at 100, 50, then 0 while A listens;
 * A's speaker at 50. 100 is unity gain, 50 is −18 dB (cubic), 0 silence.
 * PCMA keeps levels exact. Both persist across a restart. */
static void
test_volumes (void)
{
  g_autoptr (ApTestBus) bus_a = ap_test_bus_new ();
  g_autoptr (ApTestBus) bus_b = ap_test_bus_new ();
  g_autofree char *wav_a = NULL;
  g_autofree char *wav_b = NULL;
  g_autoptr (ApTestPhone) a = ap_test_phone_start_with_tone (bus_a, 440, &wav_a);
  g_autoptr (ApTestPhone) b = ap_test_phone_start_with_tone (bus_b, 880, &wav_b);
  g_autoptr (ApDbusCall) call_a = NULL;
  g_autoptr (ApDbusCall) call_b = NULL;
  g_autoptr (ApDbusDevices) devices = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *target = NULL;
  g_autofree char *home = g_strdup (ap_test_phone_get_home (b));
  /* The test tone: a sine at half scale, −9.03 dBFS RMS. */
  const double unity = -9.03;
  double at100, at50, at0, speaker50;

  ap_test_phone_configure (a, "{'audio-codecs': <['pcma']>}");
  ap_test_phone_configure (b, "{'audio-codecs': <['pcma']>}");
  set_volume (a, bus_a, "SpeakerVolume", 50);
  target = g_strdup_printf ("sip:agent@127.0.0.1:%u", ap_test_phone_get_listen_port (b));
  call_a = ap_test_dial (a, b, target, NULL, &call_b);
  ap_test_call_answer (call_b);
  g_assert_true (ap_test_call_wait_state (call_a, "connected", CALL_TIMEOUT_MS));
  ap_test_sleep (2000);
  set_volume (b, bus_b, "MicrophoneVolume", 50);
  ap_test_sleep (2000);
  set_volume (b, bus_b, "MicrophoneVolume", 0);
  ap_test_sleep (2000);
  ap_test_call_hangup (call_a);
  g_assert_true (ap_test_call_wait_state (call_a, "ended", CALL_TIMEOUT_MS));
  g_assert_true (ap_test_call_wait_state (call_b, "ended", CALL_TIMEOUT_MS));

  /* A's WAV: what B's microphone sent, after A's speaker volume (50). B's
   * WAV: A's microphone at 100, B's speaker at 100. */
  at100 = level_at (wav_b, 0.8, 5.5);
  g_assert_cmpfloat (fabs (at100 - unity), <, 1.0);
  speaker50 = level_at (wav_a, 0.8, 1.8);
  g_assert_cmpfloat (fabs (speaker50 - (unity - 18.06)), <, 1.5);
  at50 = level_at (wav_a, 2.8, 3.8);
  g_assert_cmpfloat (fabs (at50 - (unity - 36.12)), <, 2.0);
  at0 = level_at (wav_a, 4.8, 5.6);
  g_assert_cmpfloat (at0, <, -70.0);

  /* Persisted: B restarts with microphone volume 0. */
  ap_dbus_phone_call_quit_sync (ap_test_phone_get_proxy (b), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ap_test_phone_wait_exit (b, 10000, NULL));
  g_clear_pointer (&b, ap_test_phone_free);
  b = start_phone (bus_b, home, NULL);
  devices = devices_proxy (bus_b);
  g_assert_cmpuint (ap_dbus_devices_get_microphone_volume (devices), ==, 0);
  g_assert_cmpuint (ap_dbus_devices_get_speaker_volume (devices), ==, 100);
  /* More than 100 is taken as 100. */
  set_volume (b, bus_b, "SpeakerVolume", 250);
  ap_test_sleep (200);
  g_clear_object (&devices);
  devices = devices_proxy (bus_b);
  g_assert_cmpuint (ap_dbus_devices_get_speaker_volume (devices), ==, 100);
}

static void
check (const char *input, gboolean *ok, double *peak, char **problem, GError **error)
{
  g_autoptr (ApTestBus) bus = ap_test_bus_new ();
  g_autofree char *home = ap_test_make_dir ("phone");
  g_autofree char *variable = g_strdup_printf ("AGENTPHONE_AUDIO_INPUT=%s", input ? input : "");
  /* No sound server at all for the "no microphone" case. */
  g_autofree char *no_server = g_strdup_printf ("PULSE_SERVER=unix:%s/none", home);
  const char *env[] = { variable, no_server, NULL };
  g_autoptr (ApTestPhone) phone = start_phone (bus, home, env);

  ap_dbus_phone_call_check_microphone_sync (ap_test_phone_get_proxy (phone), ok, peak, problem,
                                            NULL, error);
  if (*error == NULL)
    g_test_message ("%s: ok %d, peak %.2f dBFS, problem “%s”", input ? input : "(none)", *ok, *peak,
                    *problem);
}

static void
test_check_microphone (void)
{
  gboolean ok = FALSE;
  double peak = 0;
  g_autofree char *problem = NULL;
  g_autoptr (GError) error = NULL;

  check (TONE_A, &ok, &peak, &problem, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpstr (problem, ==, "");
  g_assert_cmpfloat (fabs (peak - -6.02), <, 0.5);
  g_clear_pointer (&problem, g_free);

  check ("audiotestsrc is-live=true wave=silence", &ok, &peak, &problem, &error);
  g_assert_no_error (error);
  g_assert_false (ok);
  g_assert_cmpstr (problem, ==, "silent");
  g_clear_pointer (&problem, g_free);

  check ("audiotestsrc is-live=true freq=440 volume=1.0", &ok, &peak, &problem, &error);
  g_assert_no_error (error);
  g_assert_false (ok);
  g_assert_cmpstr (problem, ==, "clipping");
  g_assert_cmpfloat (peak, >, -0.5);
  g_clear_pointer (&problem, g_free);

  check (NULL, &ok, &peak, &problem, &error);
  g_assert_no_error (error);
  g_assert_false (ok);
  g_assert_cmpstr (problem, ==, "no microphone");
  g_clear_pointer (&problem, g_free);

  check ("no_such_element_anywhere", &ok, &peak, &problem, &error);
  g_assert_true (ap_test_dbus_error_is (error, "io.github.agentphone.Error.InvalidArgument"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/devices/in-a-call", test_devices_in_a_call);
  g_test_add_func ("/devices/microphone-switch", test_microphone_switch);
  g_test_add_func ("/devices/volumes", test_volumes);
  g_test_add_func ("/devices/check-microphone", test_check_microphone);
  return g_test_run ();
}
