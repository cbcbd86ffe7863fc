/* test-recording.c: call recording through DBus, with two real instances
 * (A sends 440 Hz, B 880 Hz) in a direct call on 127.0.0.1. Each file is
 * checked by gst-discoverer-1.0 (container, stream, duration) and decoded
 * to a WAV whose tones and silences are measured. */
#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "ap-test-calls.h"
#include "ap-wav.h"

#define CALL_TIMEOUT_MS 10000

typedef struct {
  ApTestPair pair;
  ApDbusCall *call_a, *call_b;
  char *dir_a, *dir_b; /* recordings-dir of each */
} Fixture;

static void
configure_dir (ApTestPhone *phone, const char *dir)
{
  g_autofree char *text = g_strdup_printf ("{'recordings-dir': <'%s'>}", dir);

  ap_test_phone_configure (phone, text);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autofree char *base = ap_test_make_dir ("recordings");

  ap_test_pair_start (&f->pair);
  /* Folders that do not exist yet: the phone makes them, owner-only. */
  f->dir_a = g_build_filename (base, "a", "calls", NULL);
  f->dir_b = g_build_filename (base, "b", NULL);
  configure_dir (f->pair.a, f->dir_a);
  configure_dir (f->pair.b, f->dir_b);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->call_a);
  g_clear_object (&f->call_b);
  ap_test_pair_clear (&f->pair);
  g_free (f->dir_a);
  g_free (f->dir_b);
}

/* A dials B directly, B answers; both connected with media. */
static void
connect_call (Fixture *f)
{
  g_autofree char *target
    = g_strdup_printf ("sip:1002@127.0.0.1:%u", ap_test_phone_get_listen_port (f->pair.b));

  f->call_a = ap_test_dial (f->pair.a, f->pair.b, target, NULL, &f->call_b);
  ap_test_call_answer (f->call_b);
  g_assert_true (ap_test_call_wait_state (f->call_b, "connected", CALL_TIMEOUT_MS));
  g_assert_true (ap_test_call_wait_state (f->call_a, "connected", CALL_TIMEOUT_MS));
  g_assert_true (ap_test_call_wait_media_active (f->call_a, 5000));
  g_assert_true (ap_test_call_wait_media_active (f->call_b, 5000));
}

static char *
start_recording (ApDbusCall *call, const char *path)
{
  g_autoptr (GError) error = NULL;
  char *out = NULL;

  ap_dbus_call_call_start_recording_sync (call, path, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (out);
  return out;
}

static char *
stop_recording (ApDbusCall *call)
{
  g_autoptr (GError) error = NULL;
  char *out = NULL;

  ap_dbus_call_call_stop_recording_sync (call, &out, NULL, &error);
  g_assert_no_error (error);
  return out;
}

static gboolean
is_recording (gpointer data)
{
  return ap_dbus_call_get_recording (data);
}

static gboolean
not_recording (gpointer data)
{
  return !ap_dbus_call_get_recording (data);
}

static gboolean
is_paused (gpointer data)
{
  return ap_dbus_call_get_recording_paused (data);
}

/* gst-discoverer-1.0's view: the duration in seconds; asserts one Opus
 * audio stream in Matroska. */
static double
discover (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *argv[] = { "gst-discoverer-1.0", path, NULL };
  const char *duration;
  int status = -1, h = 0, m = 0;
  double s = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                               &err, &status, &error));
  g_assert_no_error (error);
  g_test_message ("gst-discoverer-1.0 %s:\n%s%s", path, out, err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (out, "container #0: Matroska"));
  g_assert_nonnull (strstr (out, "audio #1: Opus"));
  g_assert_null (strstr (out, "audio #2"));
  duration = strstr (out, "Duration: ");
  g_assert_nonnull (duration);
  g_assert_cmpint (sscanf (duration, "Duration: %d:%d:%lf", &h, &m, &s), ==, 3);
  return h * 3600 + m * 60 + s;
}

/* The recording decoded into 16-bit PCM. */
static ApWav *
decode (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *wav_path = g_strconcat (path, ".wav", NULL);
  g_autofree char *src = g_strdup_printf ("location=%s", path);
  g_autofree char *dst = g_strdup_printf ("location=%s", wav_path);
  const char *argv[] = { "gst-launch-1.0",
                         "-q",
                         "filesrc",
                         src,
                         "!",
                         "decodebin",
                         "!",
                         "audioconvert",
                         "!",
                         "audio/x-raw,format=S16LE",
                         "!",
                         "wavenc",
                         "!",
                         "filesink",
                         dst,
                         NULL };
  int status = -1;
  ApWav *wav = NULL;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                               NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (ap_wav_load (wav_path, &wav, &error));
  g_assert_no_error (error);
  g_test_message ("%s: %.2f s, %u channels at %u Hz", path, ap_wav_duration_s (wav), wav->channels,
                  wav->rate);
  return wav;
}

static void
assert_mode (const char *path, guint mode)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0777, ==, mode);
}

static void
assert_both_tones (const ApWav *wav, guint channel, double start, double end)
{
  double t440 = ap_wav_tone_dbfs (wav, channel, start, end, 440);
  double t880 = ap_wav_tone_dbfs (wav, channel, start, end, 880);

  g_test_message ("channel %u [%.1f, %.1f s]: 440 Hz %.1f dBFS, 880 Hz %.1f dBFS", channel, start,
                  end, t440, t880);
  g_assert_cmpfloat (t440, >, -30.0);
  g_assert_cmpfloat (t880, >, -30.0);
}

/* Start, 5 s, stop: a 5 s file in the recordings folder with both tones. */
static void
test_mixed (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL;
  g_autofree char *stopped = NULL;
  g_autofree char *name = NULL;
  g_autofree char *expected_part = NULL;
  g_autoptr (ApWav) wav = NULL;
  double duration;
  gint64 stop_began;

  connect_call (f);
  g_assert_false (ap_dbus_call_get_recording (f->call_a));
  path = start_recording (f->call_a, "");
  g_assert_true (g_str_has_prefix (path, f->dir_a));
  g_assert_true (ap_test_run_until (is_recording, f->call_a, 2000));
  g_assert_cmpstr (ap_dbus_call_get_recording_path (f->call_a), ==, path);
  /* Named so a person finds it: date, peer, call id. */
  name = g_path_get_basename (path);
  expected_part = g_strdup_printf ("_1002_call-%u.mkv", ap_dbus_call_get_id (f->call_a));
  g_assert_true (g_str_has_suffix (name, expected_part));
  g_assert_true (g_ascii_isdigit (name[0]) && name[4] == '-');
  ap_test_sleep (5000);
  stop_began = g_get_monotonic_time ();
  stopped = stop_recording (f->call_a);
  g_test_message ("StopRecording took %.0f ms",
                  (double) (g_get_monotonic_time () - stop_began) / 1000);
  g_assert_cmpstr (stopped, ==, path);
  g_assert_true (ap_test_run_until (not_recording, f->call_a, 2000));
  g_assert_cmpstr (ap_dbus_call_get_state (f->call_a), ==, "connected");

  assert_mode (f->dir_a, 0700);
  assert_mode (path, 0600);
  duration = discover (path);
  g_test_message ("duration %.2f s", duration);
  g_assert_cmpfloat (fabs (duration - 5.0), <=, 0.5);
  wav = decode (path);
  g_assert_cmpuint (wav->channels, ==, 1);
  g_assert_cmpfloat (fabs (ap_wav_duration_s (wav) - 5.0), <=, 0.5);
  assert_both_tones (wav, 0, 1.0, 4.5);
  ap_test_call_hangup (f->call_a);
  g_assert_true (ap_test_call_wait_state (f->call_a, "ended", CALL_TIMEOUT_MS));
}

/* 1.5 s, pause 2 s, 1.5 s: the paused span is silent, the rest is not,
 * and the file keeps real time. */
static void
test_pause (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *stopped = NULL;
  g_autoptr (ApWav) wav = NULL;
  double quiet;

  connect_call (f);
  ap_dbus_call_call_pause_recording_sync (f->call_a, NULL, &error);
  g_assert_true (ap_test_dbus_error_is (error, "io.github.agentphone.Error.InvalidState"));
  g_clear_error (&error);
  path = start_recording (f->call_a, "");
  ap_dbus_call_call_resume_recording_sync (f->call_a, NULL, &error);
  g_assert_true (ap_test_dbus_error_is (error, "io.github.agentphone.Error.InvalidState"));
  g_clear_error (&error);
  ap_test_sleep (1500);
  ap_dbus_call_call_pause_recording_sync (f->call_a, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ap_test_run_until (is_paused, f->call_a, 2000));
  g_assert_true (ap_dbus_call_get_recording (f->call_a));
  /* Keys pressed while paused never reach the file either. */
  ap_dbus_call_call_send_dtmf_sync (f->call_a, "1234", NULL, &error);
  g_assert_no_error (error);
  ap_test_sleep (2000);
  ap_dbus_call_call_resume_recording_sync (f->call_a, NULL, &error);
  g_assert_no_error (error);
  ap_test_sleep (1500);
  stopped = stop_recording (f->call_a);
  g_assert_cmpstr (stopped, ==, path);

  g_assert_cmpfloat (fabs (discover (path) - 5.0), <=, 0.5);
  wav = decode (path);
  assert_both_tones (wav, 0, 0.3, 1.3);
  quiet = ap_wav_rms_dbfs (wav, 0, 1.8, 3.2);
  g_test_message ("paused span [1.8, 3.2 s]: %.1f dBFS", quiet);
  g_assert_cmpfloat (quiet, <, -60.0);
  assert_both_tones (wav, 0, 3.8, 4.8);
}

/* Agent left (440 Hz from A), far end right (880 Hz from B). */
static void
test_stereo (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL;
  g_autofree char *stopped = NULL;
  g_autoptr (ApWav) wav = NULL;
  double l440, l880, r440, r880;

  ap_test_phone_configure (f->pair.a, "{'recording-channels': <'stereo'>}");
  connect_call (f);
  path = start_recording (f->call_a, "");
  ap_test_sleep (4000);
  stopped = stop_recording (f->call_a);
  g_assert_cmpfloat (fabs (discover (path) - 4.0), <=, 0.5);
  wav = decode (path);
  g_assert_cmpuint (wav->channels, ==, 2);
  l440 = ap_wav_tone_dbfs (wav, 0, 0.5, 3.5, 440);
  l880 = ap_wav_tone_dbfs (wav, 0, 0.5, 3.5, 880);
  r440 = ap_wav_tone_dbfs (wav, 1, 0.5, 3.5, 440);
  r880 = ap_wav_tone_dbfs (wav, 1, 0.5, 3.5, 880);
  g_test_message ("left: 440 Hz %.1f, 880 Hz %.1f dBFS; right: 440 Hz %.1f, 880 Hz %.1f dBFS", l440,
                  l880, r440, r880);
  g_assert_cmpfloat (l440, >, -30.0);
  g_assert_cmpfloat (r880, >, -30.0);
  g_assert_cmpfloat (l880, <, l440 - 40.0);
  g_assert_cmpfloat (r440, <, r880 - 40.0);
}

/* SIGKILL 4 s into a recording: the file still decodes to within 1 s. */
static void
test_killed (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL;
  g_autoptr (ApWav) wav = NULL;
  gint64 started, killed;

  connect_call (f);
  path = start_recording (f->call_a, "");
  started = g_get_monotonic_time ();
  ap_test_sleep (4000);
  killed = g_get_monotonic_time ();
  ap_test_phone_signal (f->pair.a, SIGKILL);
  g_assert_true (ap_test_phone_wait_exit (f->pair.a, 5000, NULL));
  wav = decode (path);
  g_test_message ("killed after %.2f s; %.2f s decode",
                  (double) (killed - started) / G_USEC_PER_SEC, ap_wav_duration_s (wav));
  g_assert_cmpfloat (ap_wav_duration_s (wav), >=,
                     (double) (killed - started) / G_USEC_PER_SEC - 1.0);
  assert_both_tones (wav, 0, 0.5, ap_wav_duration_s (wav) - 0.2);
}

static GVariant *
newest_history_entry (ApTestPhone *phone)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) entries = NULL;

  ap_dbus_phone_call_get_history_sync (ap_test_phone_get_proxy (phone), 1, &entries, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_variant_n_children (entries), ==, 1);
  return g_variant_get_child_value (entries, 0);
}

/* The far end hangs up: the file is finished and the history points at it. */
static void
test_peer_hangs_up (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL;
  g_autoptr (GVariant) entry = NULL;
  const char *recording = NULL;

  connect_call (f);
  path = start_recording (f->call_a, "");
  ap_test_sleep (3000);
  ap_test_call_hangup (f->call_b);
  g_assert_true (ap_test_call_wait_state (f->call_a, "ended", CALL_TIMEOUT_MS));
  g_assert_true (ap_test_run_until (not_recording, f->call_a, 2000));
  g_assert_cmpfloat (fabs (discover (path) - 3.0), <=, 0.5);
  entry = newest_history_entry (f->pair.a);
  g_assert_true (g_variant_lookup (entry, "recording", "&s", &recording));
  g_assert_cmpstr (recording, ==, path);
}

/* SIGTERM ends the program cleanly: the file is finished. */
static void
test_sigterm (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL;
  int status = -1;

  connect_call (f);
  path = start_recording (f->call_a, "");
  ap_test_sleep (3000);
  ap_test_phone_signal (f->pair.a, SIGTERM);
  g_assert_true (ap_test_phone_wait_exit (f->pair.a, 10000, &status));
  g_assert_cmpfloat (fabs (discover (path) - 3.0), <=, 0.5);
}

/* auto-record: B records the call from connect, without StartRecording. */
static void
test_auto_record (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL;
  g_autoptr (GVariant) entry = NULL;
  const char *recording = NULL;

  ap_test_phone_configure (f->pair.b, "{'auto-record': <true>}");
  connect_call (f);
  g_assert_true (ap_test_run_until (is_recording, f->call_b, 2000));
  g_assert_false (ap_dbus_call_get_recording (f->call_a));
  path = g_strdup (ap_dbus_call_get_recording_path (f->call_b));
  g_assert_true (g_str_has_prefix (path, f->dir_b));
  ap_test_sleep (3000);
  ap_test_call_hangup (f->call_a);
  g_assert_true (ap_test_call_wait_state (f->call_b, "ended", CALL_TIMEOUT_MS));
  g_assert_cmpfloat (discover (path), >=, 2.5);
  entry = newest_history_entry (f->pair.b);
  g_assert_true (g_variant_lookup (entry, "recording", "&s", &recording));
  g_assert_cmpstr (recording, ==, path);
}

static void
assert_start_fails (ApDbusCall *call, const char *path, const char *error_name)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;

  ap_dbus_call_call_start_recording_sync (call, path, &out, NULL, &error);
  g_assert_true (ap_test_dbus_error_is (error, error_name));
  g_test_message ("StartRecording(“%s”): %s", path, error->message);
  g_assert_null (out);
}

/* Every refusal gives its contract error and the call goes on. */
static void
test_errors (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *target
    = g_strdup_printf ("sip:1002@127.0.0.1:%u", ap_test_phone_get_listen_port (f->pair.b));
  g_autofree char *base = g_path_get_dirname (f->dir_b);
  g_autofree char *own = g_build_filename (base, "mine.mkv", NULL);
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *held = NULL;

  /* Ringing is not a call in progress. */
  f->call_a = ap_test_dial (f->pair.a, f->pair.b, target, NULL, &f->call_b);
  assert_start_fails (f->call_b, "", "io.github.agentphone.Error.InvalidState");
  ap_test_call_answer (f->call_b);
  g_assert_true (ap_test_call_wait_state (f->call_a, "connected", CALL_TIMEOUT_MS));
  g_assert_true (ap_test_call_wait_media_active (f->call_a, 5000));

  ap_dbus_call_call_stop_recording_sync (f->call_a, &out, NULL, &error);
  g_assert_true (ap_test_dbus_error_is (error, "io.github.agentphone.Error.InvalidState"));
  g_clear_error (&error);
  assert_start_fails (f->call_a, "relative.mkv", "io.github.agentphone.Error.InvalidArgument");
  assert_start_fails (f->call_a, "/nonexistent-folder/x.mkv", "io.github.agentphone.Error.Failed");
  /* Unwritable even for root. */
  assert_start_fails (f->call_a, "/proc/recording.mkv", "io.github.agentphone.Error.Failed");
  ap_test_phone_configure (f->pair.a, "{'recordings-dir': <'relative/folder'>}");
  assert_start_fails (f->call_a, "", "io.github.agentphone.Error.Failed");
  ap_test_phone_configure (f->pair.a, "{'recordings-dir': <'/dev/null/recordings'>}");
  assert_start_fails (f->call_a, "", "io.github.agentphone.Error.Failed");
  g_assert_false (ap_dbus_call_get_recording (f->call_a));
  g_assert_cmpstr (ap_dbus_call_get_state (f->call_a), ==, "connected");

  /* A path of our own works, once; never over an existing file. */
  path = start_recording (f->call_a, own);
  g_assert_cmpstr (path, ==, own);
  assert_start_fails (f->call_a, "", "io.github.agentphone.Error.InvalidState");
  ap_test_sleep (1000);
  g_free (stop_recording (f->call_a));
  assert_start_fails (f->call_a, own, "io.github.agentphone.Error.Failed");
  assert_mode (own, 0600);
  g_assert_cmpfloat (discover (own), >=, 0.5);
  g_assert_cmpstr (ap_dbus_call_get_state (f->call_a), ==, "connected");

  /* A held call can be recorded, and the recording goes on after resume. */
  ap_test_phone_configure (f->pair.a, "{'recordings-dir': <''>}");
  ap_dbus_call_call_hold_sync (f->call_a, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ap_test_call_wait_state (f->call_a, "held", CALL_TIMEOUT_MS));
  held = start_recording (f->call_a, "");
  g_assert_true (g_str_has_prefix (held, ap_test_phone_get_home (f->pair.a)));
  ap_dbus_call_call_resume_sync (f->call_a, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ap_test_call_wait_state (f->call_a, "connected", CALL_TIMEOUT_MS));
  g_assert_true (ap_dbus_call_get_recording (f->call_a));
  ap_test_sleep (1000);
  g_free (stop_recording (f->call_a));
  g_assert_cmpfloat (discover (held), >=, 1.0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/recording/mixed", Fixture, NULL, fixture_setup, test_mixed, fixture_teardown);
  g_test_add ("/recording/pause", Fixture, NULL, fixture_setup, test_pause, fixture_teardown);
  g_test_add ("/recording/stereo", Fixture, NULL, fixture_setup, test_stereo, fixture_teardown);
  g_test_add ("/recording/killed", Fixture, NULL, fixture_setup, test_killed, fixture_teardown);
  g_test_add ("/recording/peer-hangs-up", Fixture, NULL, fixture_setup, test_peer_hangs_up,
              fixture_teardown);
  g_test_add ("/recording/sigterm", Fixture, NULL, fixture_setup, test_sigterm, fixture_teardown);
  g_test_add ("/recording/auto-record", Fixture, NULL, fixture_setup, test_auto_record,
              fixture_teardown);
  g_test_add ("/recording/errors", Fixture, NULL, fixture_setup, test_errors, fixture_teardown);
  return g_test_run ();
}
