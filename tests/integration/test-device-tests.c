/* The agent's device checks through DBus on a real agentphone: the test
 * chime (Devices.PlayTestTone) recorded from the chosen sink's monitor of a
 * private PulseAudio server and measured (frequencies, level, speaker
 * volume, which sink), and the live microphone meter
 * (Devices.StartMicrophoneMonitor, MicrophoneLevel) following a tone fed
 * into the chosen source; bad arguments and missing devices. */
#include <math.h>
#include <signal.h>
#include <string.h>

#include "ap-test-calls.h"
#include "ap-test-sound.h"
#include "ap-wav.h"

/* The chime: 440 Hz for 0.6 s, then 880 Hz for 0.9 s, peak 0.3. */
#define CHIME_RMS_DBFS -13.5 /* 20·log10 (0.3 / √2) */
#define CHIME_S 1.5
#define RECORD_MS 3400

static ApTestPhone *
start_phone (ApTestBus *bus, const char *const *env)
{
  g_autofree char *home = ap_test_make_dir ("phone");
  g_autofree char *config = g_build_filename (home, "config", "agentphone", NULL);
  g_autofree char *settings = g_build_filename (config, "settings.json", NULL);

  g_mkdir_with_parents (config, 0700);
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

static void
select_device (ApDbusDevices *devices, const char *kind, const char *id)
{
  g_autoptr (GError) error = NULL;

  ap_dbus_devices_call_select_sync (devices, kind, id, NULL, &error);
  g_assert_no_error (error);
}

/* ---- the test chime ---- */

typedef struct {
  ApTestSound *sound;
  char *monitor;
  char *wav;
} Recording;

static gpointer
record_thread (gpointer data)
{
  Recording *r = data;

  ap_test_sound_record (r->sound, r->monitor, RECORD_MS, r->wav);
  return NULL;
}

/* Plays @kind's chime while recording every sink's monitor (in
 * @sinks); the WAVs are <dir>/<sink>-<n>.wav. */
static GPtrArray *
play_and_record (ApTestSound *sound, ApDbusDevices *devices, const char *kind,
                 const char *const *sinks, const char *dir)
{
  static guint n;
  GPtrArray *wavs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) threads = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  Recording recordings[4];

  n++;
  g_assert_cmpuint (g_strv_length ((GStrv) sinks), <=, G_N_ELEMENTS (recordings));
  for (guint i = 0; sinks[i]; i++)
    {
      recordings[i] = (Recording){ sound, g_strdup_printf ("%s.monitor", sinks[i]),
                                   g_strdup_printf ("%s/%s-%u.wav", dir, sinks[i], n) };
      g_ptr_array_add (threads, g_thread_new ("record", record_thread, &recordings[i]));
    }
  ap_test_sleep (1000); /* the recorders are listening */
  ap_dbus_devices_call_play_test_tone_sync (devices, kind, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < threads->len; i++)
    {
      g_thread_join (g_ptr_array_index (threads, i));
      g_free (recordings[i].monitor);
      g_ptr_array_add (wavs, recordings[i].wav);
    }
  return wavs;
}

/* Where the chime starts in @wav: the first 10 ms louder than −45 dBFS. */
static double
onset (const ApWav *wav)
{
  for (double t = 0; t + 0.01 < ap_wav_duration_s (wav); t += 0.01)
    if (ap_wav_rms_dbfs (wav, 0, t, t + 0.01) > -45.0)
      return t;
  return -1.0;
}

/* How long it sounds from @start on, in 10 ms steps. */
static double
sounding (const ApWav *wav, double start)
{
  double t = start;

  while (t + 0.01 < ap_wav_duration_s (wav) && ap_wav_rms_dbfs (wav, 0, t, t + 0.01) > -45.0)
    t += 0.01;
  return t - start;
}

/* @path holds the whole chime at @rms_dbfs (±1.5 dB), then silence. */
static void
assert_chime (const char *path, double rms_dbfs)
{
  g_autoptr (ApWav) wav = NULL;
  g_autoptr (GError) error = NULL;
  double start, length, low, high, level, after;

  g_assert_true (ap_wav_load (path, &wav, &error));
  g_assert_no_error (error);
  start = onset (wav);
  length = sounding (wav, start);
  g_test_message ("%s: chime at %.2f s for %.2f s", path, start, length);
  g_assert_cmpfloat (start, >=, 0.0);
  /* All of it: a null sink's monitor may deliver nothing before it. */
  g_assert_cmpfloat_with_epsilon (length, CHIME_S, 0.06);
  g_assert_cmpfloat (ap_wav_duration_s (wav), >=, start + CHIME_S + 0.3);
  low = ap_wav_dominant_frequency (wav, 0, start + 0.05, start + 0.55);
  high = ap_wav_dominant_frequency (wav, 0, start + 0.65, start + 1.45);
  level = ap_wav_rms_dbfs (wav, 0, start + 0.05, start + 1.45);
  after = ap_wav_rms_dbfs (wav, 0, start + CHIME_S + 0.05, start + CHIME_S + 0.3);
  g_test_message ("%s: %.1f Hz then %.1f Hz, %.1f dBFS RMS, then %.1f dBFS", path, low, high, level,
                  after);
  g_assert_cmpfloat_with_epsilon (low, 440.0, 10.0);
  g_assert_cmpfloat_with_epsilon (high, 880.0, 10.0);
  g_assert_cmpfloat_with_epsilon (level, rms_dbfs, 1.5);
  g_assert_cmpfloat (after, <, -60.0);
}

static void
assert_quiet (const char *path)
{
  g_autoptr (ApWav) wav = NULL;
  g_autoptr (GError) error = NULL;
  double level;

  g_assert_true (ap_wav_load (path, &wav, &error));
  g_assert_no_error (error);
  level = ap_wav_rms_dbfs (wav, 0, 0, ap_wav_duration_s (wav));
  g_test_message ("%s: %.1f dBFS", path, level);
  g_assert_cmpfloat (level, <, -60.0);
}

static void
set_speaker_volume (ApTestBus *bus, guint volume)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) result = g_dbus_connection_call_sync (
    ap_test_bus_get_connection (bus), "io.github.agentphone.Agentphone",
    "/io/github/agentphone/Agentphone", "org.freedesktop.DBus.Properties", "Set",
    g_variant_new ("(ssv)", "io.github.agentphone.Devices", "SpeakerVolume",
                   g_variant_new_uint32 (volume)),
    NULL, G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &error);

  g_assert_no_error (error);
}

static void
assert_invalid_kind (ApDbusDevices *devices, const char *kind)
{
  g_autoptr (GError) error = NULL;

  ap_dbus_devices_call_play_test_tone_sync (devices, kind, NULL, &error);
  g_assert_true (ap_test_dbus_error_is (error, "io.github.agentphone.Error.InvalidArgument"));
  g_test_message ("PlayTestTone(“%s”): %s", kind, error->message);
}

/* The chime plays on the chosen speaker (not the default one) at the
 * speaker volume, and on the chosen ringer for "ringer"; other kinds are
 * refused. */
static void
test_tone_on_chosen_sinks (void)
{
  g_autoptr (ApTestSound) sound = ap_test_sound_new ();
  g_autoptr (ApTestBus) bus = ap_test_bus_new ();
  const char *env[] = { ap_test_sound_env (sound), NULL };
  const char *sinks[] = { "spk1", "spk2", "spk3", NULL };
  g_autoptr (ApTestPhone) phone = NULL;
  g_autoptr (ApDbusDevices) devices = NULL;
  g_autoptr (GPtrArray) wavs = NULL;
  const char *dir;

  for (guint i = 0; sinks[i]; i++)
    {
      g_autofree char *load
        = g_strdup_printf ("load-module module-null-sink sink_name=%s", sinks[i]);

      g_free (ap_test_sound_pactl (sound, load));
    }
  g_free (ap_test_sound_pactl (sound, "set-default-sink spk1"));
  phone = start_phone (bus, env);
  dir = ap_test_phone_get_home (phone);
  devices = devices_proxy (bus);
  select_device (devices, "speaker", "spk2");
  select_device (devices, "ringer", "spk3");

  wavs = play_and_record (sound, devices, "speaker", sinks, dir);
  assert_quiet (g_ptr_array_index (wavs, 0));
  assert_chime (g_ptr_array_index (wavs, 1), CHIME_RMS_DBFS);
  assert_quiet (g_ptr_array_index (wavs, 2));
  g_clear_pointer (&wavs, g_ptr_array_unref);

  /* Speaker volume 50 is −18 dB (cubic); the ringer has no volume. */
  set_speaker_volume (bus, 50);
  wavs = play_and_record (sound, devices, "speaker", sinks, dir);
  assert_chime (g_ptr_array_index (wavs, 1), CHIME_RMS_DBFS - 18.06);
  g_clear_pointer (&wavs, g_ptr_array_unref);

  wavs = play_and_record (sound, devices, "ringer", sinks, dir);
  assert_quiet (g_ptr_array_index (wavs, 0));
  assert_quiet (g_ptr_array_index (wavs, 1));
  assert_chime (g_ptr_array_index (wavs, 2), CHIME_RMS_DBFS);

  assert_invalid_kind (devices, "toaster");
  assert_invalid_kind (devices, "");
  assert_invalid_kind (devices, "microphone");
  assert_invalid_kind (devices, "camera");
}

static gboolean
file_is_wav (gpointer data)
{
  g_autoptr (ApWav) wav = NULL;

  return ap_wav_load (data, &wav, NULL) && ap_wav_duration_s (wav) >= CHIME_S;
}

/* AGENTPHONE_AUDIO_OUTPUT and AGENTPHONE_RINGER_OUTPUT win, as in calls. */
static void
test_tone_overrides (void)
{
  g_autoptr (ApTestBus) bus = ap_test_bus_new ();
  g_autofree char *dir = ap_test_make_dir ("overrides");
  g_autofree char *speaker_wav = g_build_filename (dir, "speaker.wav", NULL);
  g_autofree char *ringer_wav = g_build_filename (dir, "ringer.wav", NULL);
  g_autofree char *output
    = g_strdup_printf ("AGENTPHONE_AUDIO_OUTPUT=wavenc ! filesink location=%s", speaker_wav);
  g_autofree char *ringer
    = g_strdup_printf ("AGENTPHONE_RINGER_OUTPUT=wavenc ! filesink location=%s", ringer_wav);
  g_autofree char *no_server = g_strdup_printf ("PULSE_SERVER=unix:%s/none", dir);
  const char *env[] = { output, ringer, no_server, NULL };
  g_autoptr (ApTestPhone) phone = start_phone (bus, env);
  g_autoptr (ApDbusDevices) devices = devices_proxy (bus);
  g_autoptr (GError) error = NULL;

  ap_dbus_devices_call_play_test_tone_sync (devices, "speaker", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ap_test_run_until (file_is_wav, speaker_wav, 5000));
  ap_test_assert_tone (speaker_wav, 440, 0.05, 0.55);
  ap_test_assert_tone (speaker_wav, 880, 0.65, 1.45);

  ap_dbus_devices_call_play_test_tone_sync (devices, "ringer", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ap_test_run_until (file_is_wav, ringer_wav, 5000));
  ap_test_assert_tone (ringer_wav, 440, 0.05, 0.55);
  ap_test_assert_tone (ringer_wav, 880, 0.65, 1.45);
}

/* Nothing to play on: a clear NoSuchDevice, never a silent success; a
 * broken override: InvalidArgument naming it. */
static void
test_tone_no_device (void)
{
  g_autoptr (ApTestBus) bus = ap_test_bus_new ();
  g_autofree char *dir = ap_test_make_dir ("nodevice");
  g_autofree char *no_server = g_strdup_printf ("PULSE_SERVER=unix:%s/none", dir);
  const char *env[] = { no_server, "AGENTPHONE_RINGER_OUTPUT=no_such_element_anywhere", NULL };
  g_autoptr (ApTestPhone) phone = start_phone (bus, env);
  g_autoptr (ApDbusDevices) devices = devices_proxy (bus);
  g_autoptr (GError) error = NULL;

  ap_dbus_devices_call_play_test_tone_sync (devices, "speaker", NULL, &error);
  g_assert_true (ap_test_dbus_error_is (error, "io.github.agentphone.Error.NoSuchDevice"));
  g_test_message ("speaker: %s", error->message);
  g_assert_nonnull (strstr (error->message, "speaker"));
  g_clear_error (&error);
  ap_dbus_devices_call_play_test_tone_sync (devices, "ringer", NULL, &error);
  g_assert_true (ap_test_dbus_error_is (error, "io.github.agentphone.Error.InvalidArgument"));
  g_test_message ("ringer: %s", error->message);
  g_assert_nonnull (strstr (error->message, "AGENTPHONE_RINGER_OUTPUT"));
}

/* ---- the microphone meter ---- */

/* A voice into @sink until killed: a 997 Hz tone at half scale (−6.02 dBFS
 * peak) over faint noise (−46 dBFS), as a real microphone always has, so
 * that the peak moves a little from one reading to the next. */
static GSubprocess *
play_voice (ApTestSound *sound, const char *sink)
{
  g_autoptr (GSubprocessLauncher) launcher
    = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_auto (GStrv) server = g_strsplit (ap_test_sound_env (sound), "=", 2);
  g_autofree char *home = ap_test_make_dir ("voice");
  g_autofree char *device = g_strdup_printf ("device=%s", sink);
  g_autoptr (GError) error = NULL;
  GSubprocess *player;

  g_subprocess_launcher_setenv (launcher, server[0], server[1], TRUE);
  g_subprocess_launcher_setenv (launcher, "HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", home, TRUE);
  player = g_subprocess_launcher_spawn (
    launcher, &error, "timeout", "120", "gst-launch-1.0", "-q", "audiomixer", "name=mix", "!",
    "pulsesink", device, "audiotestsrc", "is-live=true", "freq=997", "volume=0.5", "!", "mix.",
    "audiotestsrc", "is-live=true", "wave=gaussian-noise", "volume=0.005", "!", "mix.", NULL);
  g_assert_no_error (error);
  return player;
}

typedef struct {
  GArray *times; /* µs, monotonic */
  GArray *levels;
  GPtrArray *errors;
} LevelLog;

static void
on_properties_changed (GDBusProxy *proxy, GVariant *changed, GStrv invalidated, LevelLog *log)
{
  double level;

  if (!g_variant_lookup (changed, "MicrophoneLevel", "d", &level))
    return;
  gint64 now = g_get_monotonic_time ();
  g_array_append_val (log->times, now);
  g_array_append_val (log->levels, level);
}

static void
on_device_error (ApDbusDevices *proxy, const char *kind, const char *message, LevelLog *log)
{
  g_test_message ("DeviceError %s: %s", kind, message);
  g_ptr_array_add (log->errors, g_strdup_printf ("%s: %s", kind, message));
}

static guint
updates_since (LevelLog *log, gint64 since)
{
  guint count = 0;

  for (guint i = 0; i < log->times->len; i++)
    count += g_array_index (log->times, gint64, i) >= since;
  return count;
}

/* The updates since @since: between 5 and 12 a second, each within 2 dB of
 * @dbfs. */
static void
assert_levels (LevelLog *log, gint64 since, double dbfs)
{
  double seconds = (g_get_monotonic_time () - since) / 1e6;
  guint count = updates_since (log, since);

  g_test_message ("%u updates in %.2f s (%.1f/s)", count, seconds, count / seconds);
  g_assert_cmpfloat (count / seconds, >=, 5.0);
  g_assert_cmpfloat (count / seconds, <=, 12.0);
  for (guint i = 0; i < log->times->len; i++)
    if (g_array_index (log->times, gint64, i) >= since)
      g_test_message ("  %+.3f s: %.2f dBFS", (g_array_index (log->times, gint64, i) - since) / 1e6,
                      g_array_index (log->levels, double, i));
  for (guint i = 0; i < log->times->len; i++)
    if (g_array_index (log->times, gint64, i) >= since)
      g_assert_cmpfloat_with_epsilon (g_array_index (log->levels, double, i), dbfs, 2.0);
}

typedef struct {
  ApDbusDevices *proxy;
  gboolean below;
  double dbfs;
} LevelWait;

static gboolean
level_crosses (gpointer data)
{
  LevelWait *w = data;
  double level = ap_dbus_devices_get_microphone_level (w->proxy);

  return w->below ? level < w->dbfs : level > w->dbfs;
}

static gboolean
monitoring_is (gpointer data)
{
  gpointer *args = data;

  return ap_dbus_devices_get_microphone_monitoring (args[0]) == GPOINTER_TO_INT (args[1]);
}

static void
wait_monitoring (ApDbusDevices *devices, gboolean monitoring)
{
  gpointer args[] = { devices, GINT_TO_POINTER (monitoring) };

  g_assert_true (ap_test_run_until (monitoring_is, args, 3000));
}

/* A −6 dBFS tone fed into the chosen source reads −6 ± 2 dB at 5–12
 * updates a second; silence reads below −60; choosing another microphone
 * moves the meter to it; stopping rests it at −120. */
static void
test_microphone_monitor (void)
{
  g_autoptr (ApTestSound) sound = ap_test_sound_new ();
  g_autoptr (ApTestBus) bus = ap_test_bus_new ();
  const char *env[] = { ap_test_sound_env (sound), NULL };
  g_autoptr (ApTestPhone) phone = NULL;
  g_autoptr (ApDbusDevices) devices = NULL;
  g_autoptr (GError) error = NULL;
  LevelLog log
    = { g_array_new (FALSE, FALSE, sizeof (gint64)), g_array_new (FALSE, FALSE, sizeof (double)),
        g_ptr_array_new_with_free_func (g_free) };
  GSubprocess *voice;
  LevelWait wait;
  gint64 since;

  g_free (ap_test_sound_pactl (sound, "load-module module-null-sink sink_name=feed1"));
  g_free (ap_test_sound_pactl (sound, "load-module module-null-sink sink_name=feed2"));
  g_free (ap_test_sound_pactl (sound, "load-module module-remap-source source_name=mic1 "
                                      "master=feed1.monitor"));
  g_free (ap_test_sound_pactl (sound, "load-module module-remap-source source_name=mic2 "
                                      "master=feed2.monitor"));
  g_free (ap_test_sound_pactl (sound, "set-default-source mic1"));
  voice = play_voice (sound, "feed1");
  phone = start_phone (bus, env);
  devices = devices_proxy (bus);
  g_signal_connect (devices, "g-properties-changed", G_CALLBACK (on_properties_changed), &log);
  g_signal_connect (devices, "device-error", G_CALLBACK (on_device_error), &log);
  g_assert_false (ap_dbus_devices_get_microphone_monitoring (devices));
  g_assert_cmpfloat (ap_dbus_devices_get_microphone_level (devices), ==, -120.0);

  ap_dbus_devices_call_start_microphone_monitor_sync (devices, NULL, &error);
  g_assert_no_error (error);
  wait_monitoring (devices, TRUE);
  /* Again: no harm, the same meter. */
  ap_dbus_devices_call_start_microphone_monitor_sync (devices, NULL, &error);
  g_assert_no_error (error);
  wait = (LevelWait){ devices, FALSE, -10.0 };
  g_assert_true (ap_test_run_until (level_crosses, &wait, 3000));
  /* The sound server's stream settles in its first half second. */
  ap_test_sleep (1000);
  since = g_get_monotonic_time ();
  ap_test_sleep (2000);
  assert_levels (&log, since, -6.02);

  /* Silence: the player stops. */
  g_subprocess_send_signal (voice, SIGTERM);
  g_subprocess_wait (voice, NULL, NULL);
  g_object_unref (voice);
  wait = (LevelWait){ devices, TRUE, -60.0 };
  g_assert_true (ap_test_run_until (&level_crosses, &wait, 3000));
  ap_test_sleep (500);
  g_assert_cmpfloat (ap_dbus_devices_get_microphone_level (devices), <, -60.0);

  /* The meter follows another microphone, here with a tone of its own. */
  voice = play_voice (sound, "feed2");
  select_device (devices, "microphone", "mic2");
  wait = (LevelWait){ devices, FALSE, -10.0 };
  g_assert_true (ap_test_run_until (level_crosses, &wait, 3000));
  wait_monitoring (devices, TRUE);
  ap_test_sleep (1000);
  since = g_get_monotonic_time ();
  ap_test_sleep (1500);
  assert_levels (&log, since, -6.02);

  ap_dbus_devices_call_stop_microphone_monitor_sync (devices, NULL, &error);
  g_assert_no_error (error);
  wait_monitoring (devices, FALSE);
  ap_test_sleep (300);
  g_assert_cmpfloat (ap_dbus_devices_get_microphone_level (devices), ==, -120.0);
  since = g_get_monotonic_time ();
  ap_test_sleep (500);
  g_assert_cmpuint (updates_since (&log, since), ==, 0);
  /* Stopping again is harmless. */
  ap_dbus_devices_call_stop_microphone_monitor_sync (devices, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (log.errors->len, ==, 0);

  g_subprocess_send_signal (voice, SIGTERM);
  g_subprocess_wait (voice, NULL, NULL);
  g_object_unref (voice);
  g_array_unref (log.times);
  g_array_unref (log.levels);
  g_ptr_array_unref (log.errors);
}

/* B's recording of A's voice from @start_s to @end_s: 997 Hz, steady at
 * its −9.03 dBFS RMS (a −6.02 dBFS peak sine), so no fade or gap. */
static void
assert_voice_steady (const char *path, double start_s, double end_s)
{
  g_autoptr (ApWav) wav = NULL;
  g_autoptr (GError) error = NULL;

  ap_test_assert_tone (path, 997, start_s, end_s);
  g_assert_true (ap_wav_load (path, &wav, &error));
  for (double t = start_s; t + 0.25 <= end_s; t += 0.25)
    g_assert_cmpfloat_with_epsilon (ap_wav_rms_dbfs (wav, 0, t, t + 0.25), -9.03, 2.0);
}

/* The meter never runs beside a call: a call that starts stops it, and it
 * is refused while one is up (InvalidState); the call's microphone stays
 * steady; once the call is over it starts again. */
static void
test_microphone_monitor_and_calls (void)
{
  g_autoptr (ApTestSound) sound = ap_test_sound_new ();
  g_autoptr (ApTestBus) bus_a = ap_test_bus_new ();
  g_autoptr (ApTestBus) bus_b = ap_test_bus_new ();
  const char *env[] = { ap_test_sound_env (sound), NULL };
  g_autofree char *wav_b = NULL;
  g_autoptr (ApTestPhone) b = ap_test_phone_start_with_tone (bus_b, 880, &wav_b);
  g_autoptr (ApTestPhone) a = NULL;
  g_autoptr (ApDbusDevices) devices = NULL;
  g_autoptr (ApDbusCall) call_a = NULL;
  g_autoptr (ApDbusCall) call_b = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *target = NULL;
  GPtrArray *errors = g_ptr_array_new_with_free_func (g_free);
  LevelLog log = { NULL, NULL, errors };
  GSubprocess *voice;
  LevelWait wait;
  gint64 start;
  double t_refused;

  g_free (ap_test_sound_pactl (sound, "load-module module-null-sink sink_name=spk"));
  g_free (ap_test_sound_pactl (sound, "load-module module-null-sink sink_name=feed"));
  g_free (ap_test_sound_pactl (sound, "load-module module-remap-source source_name=mic "
                                      "master=feed.monitor"));
  g_free (ap_test_sound_pactl (sound, "set-default-source mic"));
  voice = play_voice (sound, "feed");
  a = start_phone (bus_a, env);
  devices = devices_proxy (bus_a);
  g_signal_connect (devices, "device-error", G_CALLBACK (on_device_error), &log);

  ap_dbus_devices_call_start_microphone_monitor_sync (devices, NULL, &error);
  g_assert_no_error (error);
  wait = (LevelWait){ devices, FALSE, -10.0 };
  g_assert_true (ap_test_run_until (level_crosses, &wait, 3000));

  /* A call starts: the meter stops. */
  target = g_strdup_printf ("sip:agent@127.0.0.1:%u", ap_test_phone_get_listen_port (b));
  call_a = ap_test_dial (a, b, target, NULL, &call_b);
  wait_monitoring (devices, FALSE);
  g_assert_cmpfloat (ap_dbus_devices_get_microphone_level (devices), ==, -120.0);
  ap_test_call_answer (call_b);
  g_assert_true (ap_test_call_wait_state (call_a, "connected", 10000));
  g_assert_true (ap_test_call_wait_media_active (call_b, 5000));
  start = g_get_monotonic_time ();
  ap_test_sleep (1500);

  /* Refused while the call is up; the call goes on. */
  ap_dbus_devices_call_start_microphone_monitor_sync (devices, NULL, &error);
  t_refused = (g_get_monotonic_time () - start) / 1e6;
  g_assert_true (ap_test_dbus_error_is (error, "io.github.agentphone.Error.InvalidState"));
  g_test_message ("during a call: %s", error->message);
  g_clear_error (&error);
  ap_test_sleep (2000);
  g_assert_false (ap_dbus_devices_get_microphone_monitoring (devices));
  g_assert_cmpstr (ap_dbus_call_get_state (call_a), ==, "connected");
  ap_test_call_hangup (call_a);
  g_assert_true (ap_test_call_wait_state (call_a, "ended", 10000));
  g_assert_true (ap_test_call_wait_state (call_b, "ended", 10000));
  /* From 1 s on: A's audio starts a little after B's media is active. */
  assert_voice_steady (wav_b, 1.0, t_refused + 1.5);

  /* The call is over: the meter starts again. */
  ap_dbus_devices_call_start_microphone_monitor_sync (devices, NULL, &error);
  g_assert_no_error (error);
  wait = (LevelWait){ devices, FALSE, -10.0 };
  g_assert_true (ap_test_run_until (level_crosses, &wait, 3000));
  g_assert_cmpuint (errors->len, ==, 0);

  g_subprocess_send_signal (voice, SIGTERM);
  g_subprocess_wait (voice, NULL, NULL);
  g_object_unref (voice);
  g_ptr_array_unref (errors);
}

static gboolean
has_error (gpointer data)
{
  return ((GPtrArray *) data)->len > 0;
}

/* No sound server: the meter says so, now (NoSuchDevice) or as soon as
 * the microphone fails (DeviceError, MicrophoneMonitoring false); a broken
 * AGENTPHONE_AUDIO_INPUT is InvalidArgument. */
static void
test_microphone_monitor_errors (void)
{
  g_autoptr (ApTestBus) bus = ap_test_bus_new ();
  g_autofree char *dir = ap_test_make_dir ("nomic");
  g_autofree char *no_server = g_strdup_printf ("PULSE_SERVER=unix:%s/none", dir);
  const char *env[] = { no_server, NULL };
  const char *broken[] = { no_server, "AGENTPHONE_AUDIO_INPUT=no_such_element_anywhere", NULL };
  g_autoptr (ApTestPhone) phone = start_phone (bus, env);
  g_autoptr (ApDbusDevices) devices = devices_proxy (bus);
  g_autoptr (GError) error = NULL;
  LevelLog log = { NULL, NULL, g_ptr_array_new_with_free_func (g_free) };

  g_signal_connect (devices, "device-error", G_CALLBACK (on_device_error), &log);
  ap_dbus_devices_call_start_microphone_monitor_sync (devices, NULL, &error);
  if (error != NULL)
    {
      g_test_message ("StartMicrophoneMonitor: %s", error->message);
      g_assert_true (ap_test_dbus_error_is (error, "io.github.agentphone.Error.NoSuchDevice"));
      g_clear_error (&error);
    }
  else
    {
      g_assert_true (ap_test_run_until (has_error, log.errors, 3000));
      wait_monitoring (devices, FALSE);
      g_assert_cmpuint (log.errors->len, ==, 1);
      g_assert_true (g_str_has_prefix (g_ptr_array_index (log.errors, 0), "microphone: "));
    }
  g_assert_false (ap_dbus_devices_get_microphone_monitoring (devices));
  g_clear_object (&devices);
  g_clear_pointer (&phone, ap_test_phone_free);

  phone = start_phone (bus, broken);
  devices = devices_proxy (bus);
  ap_dbus_devices_call_start_microphone_monitor_sync (devices, NULL, &error);
  g_assert_true (ap_test_dbus_error_is (error, "io.github.agentphone.Error.InvalidArgument"));
  g_assert_nonnull (strstr (error->message, "AGENTPHONE_AUDIO_INPUT"));
  g_assert_false (ap_dbus_devices_get_microphone_monitoring (devices));
  g_ptr_array_unref (log.errors);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/device-tests/tone-on-chosen-sinks", test_tone_on_chosen_sinks);
  g_test_add_func ("/device-tests/tone-overrides", test_tone_overrides);
  g_test_add_func ("/device-tests/tone-no-device", test_tone_no_device);
  g_test_add_func ("/device-tests/microphone-monitor", test_microphone_monitor);
  g_test_add_func ("/device-tests/microphone-monitor-and-calls", test_microphone_monitor_and_calls);
  g_test_add_func ("/device-tests/microphone-monitor-errors", test_microphone_monitor_errors);
  return g_test_run ();
}
