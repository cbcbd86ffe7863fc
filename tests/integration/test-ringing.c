/* Ringing: the ringtone on the ringer (caught by AGENTPHONE_RINGER_OUTPUT)
 * while a call rings, and the ringback tone in the caller's output while
 * the far end rings without early media. Frequencies and timing measured. */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "ap-test-calls.h"
#include "ap-wav.h"

#define CALL_TIMEOUT_MS 10000
#define RING_HZ 880.0
#define RINGBACK_HZ 425.0

/* An instance like ap_test_phone_start_with_tone(), with its ringer caught
 * in *@ring. */
static ApTestPhone *
start_ringing_phone (ApTestBus *bus, char **wav, char **ring)
{
  g_autofree char *home = ap_test_make_dir ("phone");
  g_autofree char *config = g_build_filename (home, "config", "agentphone", NULL);
  g_autofree char *settings = g_build_filename (config, "settings.json", NULL);
  g_autofree char *output = NULL;
  g_autofree char *ringer = NULL;
  const char *env[4];

  g_mkdir_with_parents (config, 0700);
  g_assert_true (g_file_set_contents (settings, AP_TEST_TONE_SETTINGS, -1, NULL));
  *wav = g_build_filename (home, "received.wav", NULL);
  *ring = g_build_filename (home, "ring.wav", NULL);
  output = g_strdup_printf ("AGENTPHONE_AUDIO_OUTPUT=wavenc ! filesink location=%s", *wav);
  ringer = g_strdup_printf ("AGENTPHONE_RINGER_OUTPUT=wavenc ! filesink location=%s", *ring);
  env[0] = "AGENTPHONE_AUDIO_INPUT=audiotestsrc is-live=true freq=880 volume=0.5 "
           "samplesperbuffer=480";
  env[1] = output;
  env[2] = ringer;
  env[3] = NULL;
  return ap_test_phone_start (bus, home, env);
}

static double
wav_duration (const char *path)
{
  g_autoptr (ApWav) wav = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (ap_wav_load (path, &wav, &error));
  g_assert_no_error (error);
  return ap_wav_duration_s (wav);
}

/* Rings while incoming; stops at once on answer. */
static void
test_ringtone (void)
{
  g_autoptr (ApTestBus) bus_a = ap_test_bus_new ();
  g_autoptr (ApTestBus) bus_b = ap_test_bus_new ();
  g_autofree char *wav_a = NULL;
  g_autofree char *wav_b = NULL;
  g_autofree char *ring = NULL;
  g_autoptr (ApTestPhone) a = ap_test_phone_start_with_tone (bus_a, 440, &wav_a);
  g_autoptr (ApTestPhone) b = start_ringing_phone (bus_b, &wav_b, &ring);
  g_autofree char *target
    = g_strdup_printf ("sip:agent@127.0.0.1:%u", ap_test_phone_get_listen_port (b));
  g_autoptr (ApDbusCall) call_a = NULL;
  g_autoptr (ApDbusCall) call_b = NULL;
  gint64 rang, answered;
  double duration, rang_s;

  call_a = ap_test_dial (a, b, target, NULL, &call_b);
  rang = g_get_monotonic_time ();
  ap_test_sleep (1500);
  ap_test_call_answer (call_b);
  answered = g_get_monotonic_time ();
  g_assert_true (ap_test_call_wait_state (call_b, "connected", CALL_TIMEOUT_MS));
  ap_test_sleep (1000);
  /* Finished (EOS) when the ring stopped, long before now. */
  duration = wav_duration (ring);
  rang_s = (answered - rang) / (double) G_USEC_PER_SEC;
  g_test_message ("rang %.2f s of %.2f s before the answer", duration, rang_s);
  ap_test_assert_tone (ring, RING_HZ, 0.05, 0.35);
  /* The cadence: the 0.2 s pause after the first 0.4 s burst. */
  ap_test_assert_silence (ring, 0.45, 0.55);
  g_assert_cmpfloat (duration, >, rang_s - 0.5);
  /* No ring later than 200 ms after the answer. */
  g_assert_cmpfloat (duration, <, rang_s + 0.2);
  ap_test_call_hangup (call_a);
  g_assert_true (ap_test_call_wait_state (call_b, "ended", CALL_TIMEOUT_MS));
}

/* A 0.5 s tone of @freq Hz as a WAV file, for the ringtone setting. */
static char *
make_ringtone (const char *dir, double freq)
{
  g_autofree gint16 *samples = g_new (gint16, 8000);
  ApWav wav = { 16000, 1, 8000, NULL };
  g_autoptr (GError) error = NULL;
  char *path = g_build_filename (dir, "ringtone.wav", NULL);

  for (guint i = 0; i < 8000; i++)
    samples[i] = (gint16) (16000 * sin (2 * G_PI * freq * i / 16000.0));
  wav.samples = samples;
  g_assert_true (ap_wav_save (&wav, path, &error));
  g_assert_no_error (error);
  return path;
}

/* Rings one incoming call from A to B for about 2 s, then answers. */
static void
ring_once (ApTestPhone *a, ApTestPhone *b)
{
  g_autofree char *target
    = g_strdup_printf ("sip:agent@127.0.0.1:%u", ap_test_phone_get_listen_port (b));
  g_autoptr (ApDbusCall) call_a = NULL;
  g_autoptr (ApDbusCall) call_b = NULL;

  call_a = ap_test_dial (a, b, target, NULL, &call_b);
  ap_test_sleep (2000);
  ap_test_call_answer (call_b);
  g_assert_true (ap_test_call_wait_state (call_b, "connected", CALL_TIMEOUT_MS));
  ap_test_call_hangup (call_a);
  g_assert_true (ap_test_call_wait_state (call_b, "ended", CALL_TIMEOUT_MS));
  ap_test_sleep (300);
}

/* The ringtone setting: a sound file rings, looped; a missing one is
 * refused; one that does not play falls back to the built-in ring. */
static void
test_ringtone_file (void)
{
  g_autoptr (ApTestBus) bus_a = ap_test_bus_new ();
  g_autoptr (ApTestBus) bus_b = ap_test_bus_new ();
  g_autofree char *wav_a = NULL;
  g_autofree char *wav_b = NULL;
  g_autofree char *ring = NULL;
  g_autoptr (ApTestPhone) a = ap_test_phone_start_with_tone (bus_a, 440, &wav_a);
  g_autoptr (ApTestPhone) b = start_ringing_phone (bus_b, &wav_b, &ring);
  g_autofree char *tone = make_ringtone (ap_test_phone_get_home (b), 660.0);
  g_autofree char *junk = g_build_filename (ap_test_phone_get_home (b), "junk.wav", NULL);
  g_autofree char *settings = g_strdup_printf ("{'ringtone': <'%s'>}", tone);
  g_autoptr (GError) error = NULL;

  ap_test_phone_configure (b, settings);
  ring_once (a, b);
  /* 0.5 s of file, looped: its tone before and after the first loop. */
  ap_test_assert_tone (ring, 660.0, 0.05, 0.45);
  ap_test_assert_tone (ring, 660.0, 0.6, 1.4);

  ap_dbus_phone_call_configure_sync (ap_test_phone_get_proxy (b),
                                     g_variant_new_parsed ("{'ringtone': <'/no/such/ring.wav'>}"),
                                     NULL, &error);
  g_assert_true (ap_test_dbus_error_is (error, "io.github.agentphone.Error.InvalidArgument"));

  g_assert_true (g_file_set_contents (junk, "not a sound", -1, NULL));
  g_free (settings);
  settings = g_strdup_printf ("{'ringtone': <'%s'>}", junk);
  ap_test_phone_configure (b, settings);
  g_unlink (ring);
  ring_once (a, b);
  ap_test_assert_tone (ring, RING_HZ, 0.05, 0.35);
}

/* A call answered at once does not ring at all. */
static void
test_no_ring_when_auto_answered (void)
{
  g_autoptr (ApTestBus) bus_a = ap_test_bus_new ();
  g_autoptr (ApTestBus) bus_b = ap_test_bus_new ();
  g_autofree char *wav_a = NULL;
  g_autofree char *wav_b = NULL;
  g_autofree char *ring = NULL;
  g_autoptr (ApTestPhone) a = ap_test_phone_start_with_tone (bus_a, 440, &wav_a);
  g_autoptr (ApTestPhone) b = start_ringing_phone (bus_b, &wav_b, &ring);
  g_autofree char *target
    = g_strdup_printf ("sip:agent@127.0.0.1:%u", ap_test_phone_get_listen_port (b));
  g_autoptr (ApDbusCall) call_a = NULL;
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;

  ap_dbus_phone_call_set_answer_mode_sync (ap_test_phone_get_proxy (b), "auto-answer", 0, NULL,
                                           &error);
  g_assert_no_error (error);
  ap_dbus_phone_call_dial_sync (ap_test_phone_get_proxy (a), target,
                                g_variant_new_parsed ("@a{sv} {}"), &path, NULL, &error);
  g_assert_no_error (error);
  call_a = ap_test_phone_get_call (a, path);
  g_assert_true (ap_test_call_wait_state (call_a, "connected", CALL_TIMEOUT_MS));
  ap_test_sleep (500);
  g_assert_false (g_file_test (ring, G_FILE_TEST_EXISTS));
  ap_test_call_hangup (call_a);
  g_assert_true (ap_test_call_wait_state (call_a, "ended", CALL_TIMEOUT_MS));
}

/* The caller hears 425 Hz, 1 s on, 4 s off, while B rings; cancelling
 * stops it and leaves a finished WAV. */
static void
test_ringback (void)
{
  g_autoptr (ApTestBus) bus_a = ap_test_bus_new ();
  g_autoptr (ApTestBus) bus_b = ap_test_bus_new ();
  g_autofree char *wav_a = NULL;
  g_autofree char *wav_b = NULL;
  g_autoptr (ApTestPhone) a = ap_test_phone_start_with_tone (bus_a, 440, &wav_a);
  g_autoptr (ApTestPhone) b = ap_test_phone_start_with_tone (bus_b, 880, &wav_b);
  g_autofree char *target
    = g_strdup_printf ("sip:agent@127.0.0.1:%u", ap_test_phone_get_listen_port (b));
  g_autoptr (ApDbusCall) call_a = NULL;
  g_autoptr (ApDbusCall) call_b = NULL;

  call_a = ap_test_dial (a, b, target, NULL, &call_b);
  ap_test_sleep (2500);
  ap_test_call_hangup (call_a);
  g_assert_true (ap_test_call_wait_state (call_a, "ended", CALL_TIMEOUT_MS));
  g_assert_true (ap_test_call_wait_state (call_b, "ended", CALL_TIMEOUT_MS));
  ap_test_assert_tone (wav_a, RINGBACK_HZ, 0.1, 0.9);
  ap_test_assert_silence (wav_a, 1.2, 2.2);
  g_assert_cmpfloat (wav_duration (wav_a), <, 2.5 + 0.5);
}

/* A 183 with SDP: the network's audio plays, no ringback of ours. */
static void
test_no_ringback_with_early_media (void)
{
  g_autoptr (ApTestBus) bus = ap_test_bus_new ();
  g_autofree char *wav = NULL;
  g_autoptr (ApTestPhone) a = ap_test_phone_start_with_tone (bus, 440, &wav);
  guint port = ap_test_free_port ();
  g_autoptr (ApTestSipp) sipp = ap_test_sipp_start ("uas-early-media.xml", port, NULL, 40);
  g_autofree char *target = g_strdup_printf ("sip:service@127.0.0.1:%u", port);
  g_autofree char *path = NULL;
  g_autofree char *log = NULL;
  g_autoptr (ApDbusCall) call = NULL;
  g_autoptr (ApWav) heard = NULL;
  g_autoptr (GError) error = NULL;
  int status = -1;

  ap_dbus_phone_call_dial_sync (ap_test_phone_get_proxy (a), target,
                                g_variant_new_parsed ("@a{sv} {}"), &path, NULL, &error);
  g_assert_no_error (error);
  call = ap_test_phone_get_call (a, path);
  g_assert_true (ap_test_call_wait_state (call, "ringing-back", CALL_TIMEOUT_MS));
  g_assert_true (ap_test_call_wait_state (call, "connected", CALL_TIMEOUT_MS));
  ap_test_call_hangup (call);
  g_assert_true (ap_test_call_wait_state (call, "ended", CALL_TIMEOUT_MS));
  g_assert_true (ap_test_sipp_wait (sipp, 15000, &status));
  g_assert_cmpint (status, ==, 0);
  g_assert_true (ap_wav_load (wav, &heard, &error));
  g_assert_no_error (error);
  {
    /* The announcement may have energy near 425 Hz (it is speech); a
     * ringback would be all of it, within half a decibel. */
    double total = ap_wav_rms_dbfs (heard, 0, 0.3, 2.0);
    double ringback = ap_wav_tone_dbfs (heard, 0, 0.3, 2.0, RINGBACK_HZ);

    g_test_message ("early media %.1f dBFS, of it at %.0f Hz %.1f dBFS", total, RINGBACK_HZ,
                    ringback);
    g_assert_cmpfloat (total, >, -40.0);
    g_assert_cmpfloat (ringback, <, total - 3.0);
  }
  g_assert_true (g_file_get_contents (ap_test_phone_get_log (a), &log, NULL, NULL));
  g_assert_null (strstr (log, "Playing the ringback"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ringing/ringtone", test_ringtone);
  g_test_add_func ("/ringing/ringtone-file", test_ringtone_file);
  g_test_add_func ("/ringing/no-ring-when-auto-answered", test_no_ring_when_auto_answered);
  g_test_add_func ("/ringing/ringback", test_ringback);
  g_test_add_func ("/ringing/no-ringback-with-early-media", test_no_ringback_with_early_media);
  return g_test_run ();
}
