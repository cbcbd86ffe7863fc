/* ap-test-calls.c: call helpers shared by the call suites. */
#include "ap-test-calls.h"

#include "ap-wav.h"

#define CALL_TIMEOUT_MS 10000

/** ap_test_phone_start_with_tone: @freq Hz in, what it hears into *@wav */
ApTestPhone *
ap_test_phone_start_with_tone (ApTestBus *bus, guint freq, char **wav)
{
  g_autofree char *home = ap_test_make_dir ("phone");
  g_autofree char *input = g_strdup_printf ("AGENTPHONE_AUDIO_INPUT=audiotestsrc is-live=true "
                                            "freq=%u volume=0.5 samplesperbuffer=480",
                                            freq);
  g_autofree char *output = NULL;
  const char *env[3];

  g_autofree char *config = g_build_filename (home, "config", "agentphone", NULL);
  g_autofree char *settings = g_build_filename (config, "settings.json", NULL);

  /* Bound to loopback from the start, so ListenPort is final at once. */
  g_mkdir_with_parents (config, 0700);
  g_assert_true (g_file_set_contents (settings, AP_TEST_TONE_SETTINGS, -1, NULL));
  *wav = g_build_filename (home, "received.wav", NULL);
  output = g_strdup_printf ("AGENTPHONE_AUDIO_OUTPUT=wavenc ! filesink location=%s", *wav);
  env[0] = input;
  env[1] = output;
  env[2] = NULL;
  return ap_test_phone_start (bus, home, env);
}

/** ap_test_pair_start: A (440 Hz) and B (880 Hz), each on its own bus */
void
ap_test_pair_start (ApTestPair *pair)
{
  pair->bus_a = ap_test_bus_new ();
  pair->bus_b = ap_test_bus_new ();
  pair->a = ap_test_phone_start_with_tone (pair->bus_a, 440, &pair->wav_a);
  pair->b = ap_test_phone_start_with_tone (pair->bus_b, 880, &pair->wav_b);
}

/** ap_test_pair_clear: stops both and frees everything of @pair */
void
ap_test_pair_clear (ApTestPair *pair)
{
  g_clear_pointer (&pair->a, ap_test_phone_free);
  g_clear_pointer (&pair->b, ap_test_phone_free);
  g_clear_pointer (&pair->bus_a, ap_test_bus_free);
  g_clear_pointer (&pair->bus_b, ap_test_bus_free);
  g_clear_pointer (&pair->wav_a, g_free);
  g_clear_pointer (&pair->wav_b, g_free);
}

void
ap_test_phone_register (ApTestPhone *phone, ApTestKamailio *kamailio, const char *user)
{
  g_autofree char *server
    = g_strdup_printf ("{'server': <'127.0.0.1:%u'>}", ap_test_kamailio_get_port (kamailio));
  g_autofree char *uri = g_strdup_printf ("sip:%s@127.0.0.1", user);
  g_autofree char *password = g_strdup_printf ("pass%s", user);
  g_autoptr (GError) error = NULL;

  ap_test_phone_configure (phone, server);
  ap_dbus_phone_call_register_sync (ap_test_phone_get_proxy (phone), uri, "", password, NULL,
                                    &error);
  g_assert_no_error (error);
  g_assert_true (ap_test_phone_wait_registration (phone, "registered", 10000));
}

/**
 * ap_test_dial:
 *
 * @from dials @target; returns its call and, through @incoming, the call
 * that rings at @to.
 */
ApDbusCall *
ap_test_dial (ApTestPhone *from, ApTestPhone *to, const char *target, GVariant *options,
              ApDbusCall **incoming)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *b_path = NULL;
  g_autofree char *a_added = NULL;
  ApDbusCall *call;

  if (options == NULL)
    options = g_variant_new_parsed ("@a{sv} {}");
  ap_dbus_phone_call_dial_sync (ap_test_phone_get_proxy (from), target, options, &path, NULL,
                                &error);
  g_assert_no_error (error);
  a_added = ap_test_phone_wait_call_added (from, 2000);
  g_assert_cmpstr (a_added, ==, path);
  call = ap_test_phone_get_call (from, path);
  g_assert_cmpstr (ap_dbus_call_get_direction (call), ==, "outgoing");
  b_path = ap_test_phone_wait_call_added (to, CALL_TIMEOUT_MS);
  g_assert_nonnull (b_path);
  *incoming = ap_test_phone_get_call (to, b_path);
  g_assert_true (ap_test_call_wait_state (*incoming, "incoming", 2000));
  g_assert_cmpstr (ap_dbus_call_get_direction (*incoming), ==, "incoming");
  g_assert_true (ap_test_call_wait_state (call, "ringing-back", CALL_TIMEOUT_MS));
  return call;
}

static gboolean
not_remote_held (gpointer data)
{
  return !ap_dbus_call_get_remote_held (data);
}

/**
 * ap_test_connect_many:
 * @calls_from: (out caller-allocates) (array length=n): @from's calls
 * @calls_to: (out caller-allocates) (array length=n): the same calls at @to
 *
 * @from dials @to directly @n times; @to answers each, which holds the one
 * before (call waiting), then resumes them all. Returns with all @n calls
 * connected at once on both sides, none held, media flowing.
 */
void
ap_test_connect_many (ApTestPhone *from, ApTestPhone *to, guint n, ApDbusCall **calls_from,
                      ApDbusCall **calls_to)
{
  g_autofree char *target
    = g_strdup_printf ("sip:agent@127.0.0.1:%u", ap_test_phone_get_listen_port (to));

  for (guint i = 0; i < n; i++)
    {
      calls_from[i] = ap_test_dial (from, to, target, NULL, &calls_to[i]);
      ap_test_call_answer (calls_to[i]);
      g_assert_true (ap_test_call_wait_state (calls_to[i], "connected", CALL_TIMEOUT_MS));
      g_assert_true (ap_test_call_wait_state (calls_from[i], "connected", CALL_TIMEOUT_MS));
      if (i > 0)
        g_assert_true (ap_test_call_wait_state (calls_to[i - 1], "held", CALL_TIMEOUT_MS));
    }
  for (guint i = 0; i + 1 < n; i++)
    {
      g_autoptr (GError) error = NULL;

      ap_dbus_call_call_resume_sync (calls_to[i], NULL, &error);
      g_assert_no_error (error);
      g_assert_true (ap_test_call_wait_state (calls_to[i], "connected", CALL_TIMEOUT_MS));
    }
  for (guint i = 0; i < n; i++)
    {
      g_assert_true (ap_test_run_until (not_remote_held, calls_from[i], CALL_TIMEOUT_MS));
      g_assert_true (ap_test_call_wait_media_active (calls_from[i], 5000));
      g_assert_true (ap_test_call_wait_media_active (calls_to[i], 5000));
    }
}

void
ap_test_call_answer (ApDbusCall *call)
{
  g_autoptr (GError) error = NULL;

  ap_dbus_call_call_answer_sync (call, FALSE, NULL, &error);
  g_assert_no_error (error);
}

void
ap_test_call_hangup (ApDbusCall *call)
{
  g_autoptr (GError) error = NULL;

  ap_dbus_call_call_hangup_sync (call, NULL, &error);
  g_assert_no_error (error);
}

/** ap_test_call_stat_double: a floating figure of @call's Stats, -1 while
 * it has none (a round trip before RTCP went both ways). */
double
ap_test_call_stat_double (ApDbusCall *call, const char *key)
{
  g_autoptr (GVariant) stats = ap_dbus_call_dup_stats (call);
  double value = -1.0;

  g_assert_nonnull (stats);
  if (!g_variant_lookup (stats, key, "d", &value))
    return -1.0;
  return value;
}

/** ap_test_call_stat_uint: a count of @call's Stats, which must be there. */
guint64
ap_test_call_stat_uint (ApDbusCall *call, const char *key)
{
  g_autoptr (GVariant) stats = ap_dbus_call_dup_stats (call);
  guint64 value = 0;

  g_assert_nonnull (stats);
  g_assert_true (g_variant_lookup (stats, key, "t", &value));
  return value;
}

/** ap_test_assert_tone: @wav holds @freq Hz, loud, from @start_s to @end_s (<0: from the end) */
void
ap_test_assert_tone (const char *path, double freq, double start_s, double end_s)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ApWav) wav = NULL;
  double found, level;

  /* Loading checks the header: an unfinished WAV fails here. */
  g_assert_true (ap_wav_load (path, &wav, &error));
  g_assert_no_error (error);
  if (end_s < 0)
    end_s = ap_wav_duration_s (wav) + end_s;
  g_assert_cmpfloat (ap_wav_duration_s (wav), >=, end_s);
  found = ap_wav_dominant_frequency (wav, 0, start_s, end_s);
  level = ap_wav_rms_dbfs (wav, 0, start_s, end_s);
  g_test_message ("%s [%.1f, %.1f s]: %.1f Hz at %.1f dBFS", path, start_s, end_s, found, level);
  g_assert_cmpfloat_with_epsilon (found, freq, 10.0);
  g_assert_cmpfloat (level, >, -30.0);
}

/** ap_test_assert_silence: @wav is silent (below -50 dBFS) from @start_s to @end_s */
void
ap_test_assert_silence (const char *path, double start_s, double end_s)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ApWav) wav = NULL;
  double level;

  g_assert_true (ap_wav_load (path, &wav, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (ap_wav_duration_s (wav), >=, end_s);
  level = ap_wav_rms_dbfs (wav, 0, start_s, end_s);
  g_test_message ("%s [%.1f, %.1f s]: %.1f dBFS", path, start_s, end_s, level);
  g_assert_cmpfloat (level, <, -50.0);
}

gboolean
ap_test_dbus_error_is (const GError *error, const char *name)
{
  g_autofree char *remote = error ? g_dbus_error_get_remote_error (error) : NULL;

  if (g_strcmp0 (remote, name) != 0)
    g_test_message ("expected %s, got %s", name, error ? error->message : "no error");
  return g_strcmp0 (remote, name) == 0;
}
