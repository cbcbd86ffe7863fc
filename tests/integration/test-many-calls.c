/* test-many-calls.c: eight simultaneous calls between two real agentphone
 * instances, all connected at once for 30 s, with every call's audio
 * measured in both directions: A sends 440 Hz, B 880 Hz, and each call
 * writes what it hears to a WAV of its own (`%u` in AGENTPHONE_AUDIO_OUTPUT
 * is the call's Id). B answers each call over DBus; answering holds the
 * call in progress (call waiting), so B then resumes them all. Direct calls
 * on 127.0.0.1, default audio processing (echo cancellation on). */
#include <math.h>

#include "ap-test-calls.h"
#include "ap-wav.h"

#define N_CALLS 8
#define CONNECTED_S 30
#define CALL_TIMEOUT_MS 10000
#define SEGMENT_S 5.0      /* the tone is measured in each such piece */
#define GAP_WINDOW_S 0.010 /* gaps are counted in such windows */
#define GAP_LEVEL_DBFS -40.0
#define MAX_GAP_S 0.1 /* longest silence allowed inside the tone */

typedef struct {
  ApTestPhone *phone;
  char *wav_pattern; /* with a %u for the call's Id */
} Side;

typedef struct {
  ApTestBus *bus_a, *bus_b;
  Side a, b;
  ApDbusCall *calls_a[N_CALLS]; /* A's side of each call */
  ApDbusCall *calls_b[N_CALLS]; /* the same call at B */
} Fixture;

static void
side_start (Side *side, ApTestBus *bus, guint freq)
{
  g_autofree char *home = ap_test_make_dir ("phone");
  g_autofree char *config = g_build_filename (home, "config", "agentphone", NULL);
  g_autofree char *settings = g_build_filename (config, "settings.json", NULL);
  g_autofree char *input = g_strdup_printf ("AGENTPHONE_AUDIO_INPUT=audiotestsrc is-live=true "
                                            "freq=%u volume=0.5 samplesperbuffer=480",
                                            freq);
  g_autofree char *output = NULL;
  const char *env[3];

  g_mkdir_with_parents (config, 0700);
  g_assert_true (g_file_set_contents (settings, AP_TEST_TONE_SETTINGS, -1, NULL));
  side->wav_pattern = g_build_filename (home, "received-%u.wav", NULL);
  output
    = g_strdup_printf ("AGENTPHONE_AUDIO_OUTPUT=wavenc ! filesink location=%s", side->wav_pattern);
  env[0] = input;
  env[1] = output;
  env[2] = NULL;
  side->phone = ap_test_phone_start (bus, home, env);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->bus_a = ap_test_bus_new ();
  f->bus_b = ap_test_bus_new ();
  side_start (&f->a, f->bus_a, 440);
  side_start (&f->b, f->bus_b, 880);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  for (guint i = 0; i < N_CALLS; i++)
    {
      g_clear_object (&f->calls_a[i]);
      g_clear_object (&f->calls_b[i]);
    }
  ap_test_phone_free (f->a.phone);
  ap_test_phone_free (f->b.phone);
  ap_test_bus_free (f->bus_a);
  ap_test_bus_free (f->bus_b);
  g_free (f->a.wav_pattern);
  g_free (f->b.wav_pattern);
}

static char *
wav_of (const Side *side, ApDbusCall *call)
{
  g_autofree char *id = g_strdup_printf ("%u", ap_dbus_call_get_id (call));
  g_autoptr (GString) path = g_string_new (side->wav_pattern);

  g_string_replace (path, "%u", id, 0);
  return g_string_free (g_steal_pointer (&path), FALSE);
}

/* The longest run of quiet windows (below GAP_LEVEL_DBFS) in [start, end]. */
static double
longest_gap_s (const ApWav *wav, double start_s, double end_s, guint *quiet_windows)
{
  double longest = 0, run = 0;

  *quiet_windows = 0;
  for (double t = start_s; t + GAP_WINDOW_S <= end_s; t += GAP_WINDOW_S)
    {
      if (ap_wav_rms_dbfs (wav, 0, t, t + GAP_WINDOW_S) < GAP_LEVEL_DBFS)
        {
          run += GAP_WINDOW_S;
          (*quiet_windows)++;
          longest = MAX (longest, run);
        }
      else
        run = 0;
    }
  return longest;
}

/* The last CONNECTED_S seconds of @path (all calls connected then) hold
 * @freq in every segment, loud, with no gap. */
static void
assert_tone_intact (const char *path, double freq)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ApWav) wav = NULL;
  double end_s, start_s, gap;
  guint quiet;

  g_assert_true (ap_wav_load (path, &wav, &error));
  g_assert_no_error (error);
  /* Half a second at the end is the hangup. */
  end_s = ap_wav_duration_s (wav) - 0.5;
  start_s = end_s - CONNECTED_S;
  g_assert_cmpfloat (start_s, >, 0);
  for (double t = start_s; t + SEGMENT_S <= end_s + 0.001; t += SEGMENT_S)
    {
      double found = ap_wav_dominant_frequency (wav, 0, t, t + SEGMENT_S);
      double level = ap_wav_rms_dbfs (wav, 0, t, t + SEGMENT_S);

      if (fabs (found - freq) > 10.0 || level <= -30.0)
        g_test_message ("%s [%.1f, %.1f s]: %.1f Hz at %.1f dBFS", path, t, t + SEGMENT_S, found,
                        level);
      g_assert_cmpfloat_with_epsilon (found, freq, 10.0);
      g_assert_cmpfloat (level, >, -30.0);
    }
  gap = longest_gap_s (wav, start_s, end_s, &quiet);
  g_test_message ("%s [%.1f, %.1f s]: %.0f Hz, longest gap %.0f ms, %u quiet 10 ms windows", path,
                  start_s, end_s, freq, gap * 1000, quiet);
  g_assert_cmpfloat (gap, <=, MAX_GAP_S);
}

static void
test_eight_calls (Fixture *f, gconstpointer data)
{
  ap_test_connect_many (f->a.phone, f->b.phone, N_CALLS, f->calls_a, f->calls_b);
  /* All connected at once; the margin covers the hangups' half second. */
  ap_test_sleep (CONNECTED_S * 1000 + 1000);
  for (guint i = 0; i < N_CALLS; i++)
    {
      g_assert_cmpstr (ap_dbus_call_get_state (f->calls_a[i]), ==, "connected");
      g_assert_cmpstr (ap_dbus_call_get_state (f->calls_b[i]), ==, "connected");
      g_assert_true (ap_dbus_call_get_media_active (f->calls_a[i]));
      g_assert_true (ap_dbus_call_get_media_active (f->calls_b[i]));
    }
  for (guint i = 0; i < N_CALLS; i++)
    {
      ap_test_call_hangup (f->calls_a[i]);
      g_assert_true (ap_test_call_wait_state (f->calls_a[i], "ended", CALL_TIMEOUT_MS));
      g_assert_true (ap_test_call_wait_state (f->calls_b[i], "ended", CALL_TIMEOUT_MS));
    }

  /* Every call's own file, in both directions. */
  for (guint i = 0; i < N_CALLS; i++)
    {
      g_autofree char *heard_by_a = wav_of (&f->a, f->calls_a[i]);
      g_autofree char *heard_by_b = wav_of (&f->b, f->calls_b[i]);

      assert_tone_intact (heard_by_a, 880);
      assert_tone_intact (heard_by_b, 440);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/many-calls/eight-for-30-s", Fixture, NULL, fixture_setup, test_eight_calls,
              fixture_teardown);
  return g_test_run ();
}
