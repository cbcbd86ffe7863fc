/* ap-test-sound.c: a private PulseAudio daemon for device tests. */
#define _GNU_SOURCE
#include "ap-test-sound.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#define START_TIMEOUT_MS 10000

struct _ApTestSound {
  char *dir;
  char *env; /* PULSE_SERVER=… for clients */
  GSubprocess *daemon;
};

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static GSubprocessLauncher *
client_launcher (ApTestSound *sound)
{
  GSubprocessLauncher *launcher
    = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);

  g_subprocess_launcher_setenv (launcher, "PULSE_SERVER", sound->env + strlen ("PULSE_SERVER="),
                                TRUE);
  g_subprocess_launcher_setenv (launcher, "HOME", sound->dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", sound->dir, TRUE);
  return launcher;
}

static gboolean
server_answers (gpointer data)
{
  ApTestSound *sound = data;
  g_autoptr (GSubprocessLauncher) launcher = client_launcher (sound);
  g_autoptr (GSubprocess) pactl
    = g_subprocess_launcher_spawn (launcher, NULL, "pactl", "info", NULL);

  return pactl && g_subprocess_wait_check (pactl, NULL, NULL);
}

/** ap_test_sound_new: the server, answering; with no devices yet */
ApTestSound *
ap_test_sound_new (void)
{
  ApTestSound *sound = g_new0 (ApTestSound, 1);
  g_autoptr (GSubprocessLauncher) launcher
    = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autofree char *socket = NULL;
  g_autofree char *native = NULL;
  g_autoptr (GError) error = NULL;

  sound->dir = ap_test_make_dir ("pulse");
  socket = g_build_filename (sound->dir, "native", NULL);
  sound->env = g_strdup_printf ("PULSE_SERVER=unix:%s", socket);
  native = g_strdup_printf ("module-native-protocol-unix socket=%s auth-anonymous=1", socket);
  g_subprocess_launcher_setenv (launcher, "HOME", sound->dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", sound->dir, TRUE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  /* Like a desktop's server: streams of an unplugged device move to the
   * default (module-rescue-streams), and an unused device is suspended
   * (module-suspend-on-idle), here at once. Without that an idle null sink
   * renders 2 s of silence ahead at a time and can take back only one
   * block of it when a stream joins: measured, a call's stream started
   * with the sink's latency at up to 1.9 s, falling in real time, and
   * played nothing until it reached its 90 ms, 0.2-1.9 s after every call
   * start and device switch (the speaker then resynchronised with a gap,
   * and the echo reached the canceller at a different delay in each call).
   * A sound card takes back everything it has queued; a suspended null
   * sink resumes with nothing queued: both play a new stream at once. */
  sound->daemon = g_subprocess_launcher_spawn (
    launcher, &error, "pulseaudio", "--daemonize=no", "-n", "--exit-idle-time=-1",
    "--disallow-exit", "--use-pid-file=no", "--disable-shm", "--load", native, "--load",
    "module-rescue-streams", "--load", "module-suspend-on-idle timeout=0", NULL);
  g_assert_no_error (error);
  if (!ap_test_run_until (server_answers, sound, START_TIMEOUT_MS))
    g_error ("pulseaudio did not start within %d ms", START_TIMEOUT_MS);
  return sound;
}

/** ap_test_sound_env: `PULSE_SERVER=…` for agentphone's environment */
const char *
ap_test_sound_env (ApTestSound *sound)
{
  return sound->env;
}

/** ap_test_sound_pactl: runs `pactl @args` (split on spaces); its output */
char *
ap_test_sound_pactl (ApTestSound *sound, const char *args)
{
  g_autoptr (GSubprocessLauncher) launcher = client_launcher (sound);
  g_auto (GStrv) parts = g_strsplit (args, " ", -1);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GSubprocess) pactl = NULL;
  g_autoptr (GError) error = NULL;
  char *out = NULL;

  g_ptr_array_add (argv, "pactl");
  for (guint i = 0; parts[i]; i++)
    g_ptr_array_add (argv, parts[i]);
  g_ptr_array_add (argv, NULL);
  pactl = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (pactl, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (pactl) || g_subprocess_get_exit_status (pactl) != 0)
    g_error ("pactl %s failed: %s", args, out);
  g_strstrip (out);
  return out;
}

/** ap_test_sound_record: @ms of @source (e.g. `spk.monitor`) into @wav, mono 48 kHz */
void
ap_test_sound_record (ApTestSound *sound, const char *source, guint ms, const char *wav)
{
  g_autoptr (GSubprocessLauncher) launcher = client_launcher (sound);
  g_autofree char *device = g_strdup_printf ("device=%s", source);
  g_autofree char *buffers = g_strdup_printf ("num-buffers=%u", ms / 10);
  g_autofree char *location = g_strdup_printf ("location=%s", wav);
  g_autoptr (GSubprocess) gst = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;

  /* 10 ms buffers: num-buffers gives the length, and EOS a valid WAV. */
  gst = g_subprocess_launcher_spawn (launcher, &error, "timeout", "20", "gst-launch-1.0", "-q",
                                     "pulsesrc", device, buffers, "latency-time=10000", "!",
                                     "audio/x-raw,format=S16LE,rate=48000,channels=1", "!",
                                     "wavenc", "!", "filesink", location, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (gst, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (gst) || g_subprocess_get_exit_status (gst) != 0)
    g_error ("Recording %s failed: %s", source, out);
}

/**
 * ap_test_sound_play:
 * @sink: the sink to play into (e.g. a null sink whose monitor a remapped
 *   source turns into a "microphone")
 *
 * Returns: (transfer full): a player of a @freq Hz tone into @sink until
 * killed; it dies with the test (SIGTERM from the caller, or PDEATHSIG).
 */
GSubprocess *
ap_test_sound_play (ApTestSound *sound, const char *sink, guint freq)
{
  g_autoptr (GSubprocessLauncher) launcher = client_launcher (sound);
  g_autofree char *device = g_strdup_printf ("device=%s", sink);
  g_autofree char *tone = g_strdup_printf ("freq=%u", freq);
  g_autoptr (GError) error = NULL;
  GSubprocess *player;

  player = g_subprocess_launcher_spawn (launcher, &error, "timeout", "120", "gst-launch-1.0", "-q",
                                        "audiotestsrc", "is-live=true", tone, "volume=0.5", "!",
                                        "pulsesink", device, NULL);
  g_assert_no_error (error);
  return player;
}

void
ap_test_sound_free (ApTestSound *sound)
{
  if (sound->daemon)
    {
      g_subprocess_send_signal (sound->daemon, SIGTERM);
      g_subprocess_wait (sound->daemon, NULL, NULL);
      g_object_unref (sound->daemon);
    }
  g_free (sound->env);
  g_free (sound->dir);
  g_free (sound);
}
