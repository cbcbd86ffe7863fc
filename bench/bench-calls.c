/* bench-calls.c: what simultaneous calls cost. Two Agentphone instances
 * (A calls, B answers) hold N calls for S seconds; the CPU and memory of
 * each process are sampled from /proc before the calls (idle) and during
 * them, and reported per call as medians. The same is measured with audio
 * processing off (the DSP's share), and for two baresip instances making
 * the same calls with the same codec (and SRTP, as Agentphone offers it by
 * default), printed beside as a ratio Agentphone/baresip. "Idle" is after
 * one warm-up call, so that what a first call loads once (GStreamer
 * plugins, codec tables) is not counted as every call's.
 *
 *   meson test -C b --benchmark -v calls-opus
 *   AGENTPHONE_BIN=b/src/agentphone AP_SOURCE_DIR=. b/bench/bench-calls --codec pcma
 */
#include <json-glib/json-glib.h>
#include <string.h>

#include "ap-test-calls.h"
#include "bench-baresip.h"
#include "bench-proc.h"

#define IDLE_SECONDS 3
#define SETTLE_MS 2000
#define CONNECT_TIMEOUT_MS 20000

static int n_calls = 8;
static int seconds = 30;
static int interval_ms = 1000;
static char *codec = NULL;
static char *modes = NULL;
static gboolean plain_rtp = FALSE;
static char *json_path = NULL;

static const GOptionEntry options[] = {
  { "calls", 'n', 0, G_OPTION_ARG_INT, &n_calls, "Simultaneous calls (8)", "N" },
  { "seconds", 's', 0, G_OPTION_ARG_INT, &seconds, "How long they are measured (30)", "S" },
  { "interval", 'i', 0, G_OPTION_ARG_INT, &interval_ms, "Sampling interval (1000)", "MS" },
  { "codec", 'c', 0, G_OPTION_ARG_STRING, &codec, "opus (default) or pcma", "CODEC" },
  { "modes", 'm', 0, G_OPTION_ARG_STRING, &modes,
    "Comma-separated, of default, dsp-off, baresip (all three)", "LIST" },
  { "plain-rtp", 0, 0, G_OPTION_ARG_NONE, &plain_rtp, "No SRTP on either phone", NULL },
  { "json", 0, 0, G_OPTION_ARG_FILENAME, &json_path, "Also write the figures as JSON", "FILE" },
  { NULL },
};

/* One pair of processes (A calls B), idle and in calls. */
typedef struct {
  const char *name;
  BenchProcFigures idle[2];
  BenchProcFigures busy[2];
} BenchResult;

/* ---- Agentphone ------------------------------------------------------- */

static ApTestPhone *
agentphone_start (ApTestBus *bus, guint freq, gboolean dsp)
{
  g_autofree char *home = ap_test_make_dir ("bench");
  g_autofree char *config = g_build_filename (home, "config", "agentphone", NULL);
  g_autofree char *path = g_build_filename (config, "settings.json", NULL);
  g_autofree char *settings = g_strdup_printf (
    "{\"version\": 1, \"settings\": {\"local-address\": \"127.0.0.1\", "
    "\"audio-codecs\": [\"%s\"], \"srtp\": \"%s\"%s}}",
    codec, plain_rtp ? "off" : "optional",
    dsp ? "" : ", \"echo-cancellation\": false, \"noise-suppression\": 0, \"auto-gain\": false");
  g_autofree char *input = g_strdup_printf ("AGENTPHONE_AUDIO_INPUT=audiotestsrc is-live=true "
                                            "freq=%u volume=0.5 samplesperbuffer=480",
                                            freq);
  /* A speaker that plays nowhere but at the pace of one; no debug log,
   * which agents do not run with either. */
  const char *env[]
    = { input, "AGENTPHONE_AUDIO_OUTPUT=fakesink sync=true", "G_MESSAGES_DEBUG=", NULL };

  g_mkdir_with_parents (config, 0700);
  g_assert_true (g_file_set_contents (path, settings, -1, NULL));
  return ap_test_phone_start (bus, home, env);
}

static void
check_calls (ApDbusCall **calls, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpstr (ap_dbus_call_get_state (calls[i]), ==, "connected");
      g_assert_true (ap_dbus_call_get_media_active (calls[i]));
      g_assert_cmpstr (ap_dbus_call_get_audio_codec (calls[i]), ==, codec);
      g_assert_cmpint (ap_dbus_call_get_encrypted (calls[i]), ==, !plain_rtp);
    }
}

static void
agentphone_warm_up (ApTestPhone *a, ApTestPhone *b)
{
  g_autoptr (ApDbusCall) call_a = NULL;
  g_autoptr (ApDbusCall) call_b = NULL;

  ap_test_connect_many (a, b, 1, &call_a, &call_b);
  ap_test_call_hangup (call_a);
  g_assert_true (ap_test_call_wait_state (call_b, "ended", 10000));
}

static void
run_agentphone (BenchResult *result, gboolean dsp)
{
  g_autoptr (ApTestBus) bus_a = ap_test_bus_new ();
  g_autoptr (ApTestBus) bus_b = ap_test_bus_new ();
  g_autoptr (ApTestPhone) a = agentphone_start (bus_a, 440, dsp);
  g_autoptr (ApTestPhone) b = agentphone_start (bus_b, 880, dsp);
  g_autofree ApDbusCall **calls_a = g_new0 (ApDbusCall *, n_calls);
  g_autofree ApDbusCall **calls_b = g_new0 (ApDbusCall *, n_calls);
  GPid pids[2];

  result->name = dsp ? "agentphone default" : "agentphone dsp-off";
  ap_test_phone_get_listen_port (a);
  ap_test_phone_get_listen_port (b);
  pids[0] = ap_test_phone_get_pid (a);
  pids[1] = ap_test_phone_get_pid (b);
  agentphone_warm_up (a, b);
  ap_test_sleep (SETTLE_MS);
  bench_proc_measure (pids, 2, IDLE_SECONDS, interval_ms, result->idle);

  ap_test_connect_many (a, b, n_calls, calls_a, calls_b);
  check_calls (calls_a, n_calls);
  check_calls (calls_b, n_calls);
  ap_test_sleep (SETTLE_MS);
  bench_proc_measure (pids, 2, seconds, interval_ms, result->busy);
  check_calls (calls_a, n_calls);
  check_calls (calls_b, n_calls);

  for (int i = 0; i < n_calls; i++)
    {
      ap_test_call_hangup (calls_a[i]);
      g_assert_true (ap_test_call_wait_state (calls_b[i], "ended", 10000));
      g_object_unref (calls_a[i]);
      g_object_unref (calls_b[i]);
    }
}

/* ---- baresip ---------------------------------------------------------- */

typedef struct {
  BenchBaresip *a, *b;
  guint n; /* calls expected */
} BaresipPair;

static gboolean
all_established (gpointer data)
{
  BaresipPair *pair = data;

  return bench_baresip_count_established (pair->a) == pair->n
         && bench_baresip_count_established (pair->b) == pair->n;
}

/* A dials B pair->n times (B answers by itself); all established. */
static void
baresip_connect (BaresipPair *pair, const char *uri)
{
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < pair->n; i++)
    {
      bench_baresip_command (pair->a, "dial", uri, NULL, &error);
      g_assert_no_error (error);
    }
  if (!ap_test_run_until (all_established, pair, CONNECT_TIMEOUT_MS))
    g_error ("baresip: %u and %u of %u calls established",
             bench_baresip_count_established (pair->a), bench_baresip_count_established (pair->b),
             pair->n);
}

static void
run_baresip (BenchResult *result)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BenchBaresip) a = bench_baresip_start (440, codec, !plain_rtp, FALSE, &error);
  g_autoptr (BenchBaresip) b = NULL;
  g_autofree char *uri = NULL;
  BaresipPair pair;
  GPid pids[2];

  g_assert_no_error (error);
  b = bench_baresip_start (880, codec, !plain_rtp, TRUE, &error);
  g_assert_no_error (error);
  result->name = "baresip";
  pids[0] = bench_baresip_get_pid (a);
  pids[1] = bench_baresip_get_pid (b);
  uri = bench_baresip_get_uri (b);
  pair = (BaresipPair){ a, b, 1 };
  baresip_connect (&pair, uri);
  bench_baresip_command (a, "hangup", NULL, NULL, &error);
  g_assert_no_error (error);
  pair.n = 0;
  if (!ap_test_run_until (all_established, &pair, CONNECT_TIMEOUT_MS))
    g_error ("baresip did not end its warm-up call");
  ap_test_sleep (SETTLE_MS);
  bench_proc_measure (pids, 2, IDLE_SECONDS, interval_ms, result->idle);

  pair.n = n_calls;
  baresip_connect (&pair, uri);
  ap_test_sleep (SETTLE_MS);
  bench_proc_measure (pids, 2, seconds, interval_ms, result->busy);
  g_assert_true (all_established (&pair));
}

/* ---- report ----------------------------------------------------------- */

static double
per_call (double busy, double idle)
{
  return (busy - idle) / n_calls;
}

static void
print_result (const BenchResult *r)
{
  static const char *const roles[] = { "A (calls)", "B (answers)" };

  for (guint p = 0; p < 2; p++)
    {
      const BenchProcFigures *idle = &r->idle[p], *busy = &r->busy[p];

      g_print ("%-19s %-11s %6.2f %8.1f %6.1f %8.2f %6.2f %7.1f %7.1f %7.2f %7.1f %6.2f\n", r->name,
               roles[p], per_call (busy->cpu_percent, idle->cpu_percent), busy->cpu_percent,
               idle->cpu_percent, busy->cpu_seconds, per_call (busy->rss_mb, idle->rss_mb),
               busy->rss_mb, idle->rss_mb, per_call (busy->pss_mb, idle->pss_mb), busy->pss_mb,
               busy->rss_drift_mb);
    }
}

static void
print_ratio (const BenchResult *r, const BenchResult *reference)
{
  static const char *const roles[] = { "A", "B" };

  for (guint p = 0; p < 2; p++)
    {
      double cpu = per_call (r->busy[p].cpu_percent, r->idle[p].cpu_percent);
      double ref_cpu = per_call (reference->busy[p].cpu_percent, reference->idle[p].cpu_percent);
      double rss = per_call (r->busy[p].rss_mb, r->idle[p].rss_mb);
      double ref_rss = per_call (reference->busy[p].rss_mb, reference->idle[p].rss_mb);
      double pss = per_call (r->busy[p].pss_mb, r->idle[p].pss_mb);
      double ref_pss = per_call (reference->busy[p].pss_mb, reference->idle[p].pss_mb);

      g_print ("%s/%s %s: CPU per call %.2fx, RSS per call %.2fx, PSS per call %.2fx, "
               "process RSS in calls %.2fx\n",
               r->name, reference->name, roles[p], ref_cpu > 0 ? cpu / ref_cpu : 0,
               ref_rss > 0 ? rss / ref_rss : 0, ref_pss > 0 ? pss / ref_pss : 0,
               r->busy[p].rss_mb / reference->busy[p].rss_mb);
    }
}

static void
print_report (const BenchResult *results, guint n)
{
  const BenchResult *reference = NULL;

  g_print ("\n%d simultaneous calls, %s, %s, measured %d s after a %d ms settle; "
           "medians of %u samples every %d ms; per call = (in calls - idle) / %d\n",
           n_calls, codec, plain_rtp ? "plain RTP" : "SRTP", seconds, SETTLE_MS,
           results[0].busy[0].n_samples, interval_ms, n_calls);
  g_print ("%-19s %-11s %6s %8s %6s %8s %6s %7s %7s %7s %7s %6s\n", "", "", "CPU%/", "CPU%", "CPU%",
           "user+sys", "RSS MB", "RSS MB", "RSS MB", "PSS MB", "PSS MB", "RSS MB");
  g_print ("%-19s %-11s %6s %8s %6s %8s %6s %7s %7s %7s %7s %6s\n", "", "instance", "call",
           "in calls", "idle", "s", "/call", "calls", "idle", "/call", "calls", "drift");
  for (guint i = 0; i < n; i++)
    {
      print_result (&results[i]);
      if (g_str_equal (results[i].name, "baresip"))
        reference = &results[i];
    }
  if (reference == NULL)
    return;
  g_print ("\n");
  for (guint i = 0; i < n; i++)
    if (&results[i] != reference)
      print_ratio (&results[i], reference);
}

static void
add_figures (JsonBuilder *builder, const char *name, const BenchProcFigures *f)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "cpu_seconds");
  json_builder_add_double_value (builder, f->cpu_seconds);
  json_builder_set_member_name (builder, "cpu_percent");
  json_builder_add_double_value (builder, f->cpu_percent);
  json_builder_set_member_name (builder, "rss_mb");
  json_builder_add_double_value (builder, f->rss_mb);
  json_builder_set_member_name (builder, "pss_mb");
  json_builder_add_double_value (builder, f->pss_mb);
  json_builder_set_member_name (builder, "rss_drift_mb");
  json_builder_add_double_value (builder, f->rss_drift_mb);
  json_builder_end_object (builder);
}

/* {"calls", "seconds", "codec", "modes": {name: [{idle, busy} per process]}} */
static gboolean
write_json (const BenchResult *results, guint n, GError **error)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "calls");
  json_builder_add_int_value (builder, n_calls);
  json_builder_set_member_name (builder, "seconds");
  json_builder_add_int_value (builder, seconds);
  json_builder_set_member_name (builder, "codec");
  json_builder_add_string_value (builder, codec);
  json_builder_set_member_name (builder, "modes");
  json_builder_begin_object (builder);
  for (guint i = 0; i < n; i++)
    {
      json_builder_set_member_name (builder, results[i].name);
      json_builder_begin_array (builder);
      for (guint p = 0; p < 2; p++)
        {
          json_builder_begin_object (builder);
          add_figures (builder, "idle", &results[i].idle[p]);
          add_figures (builder, "busy", &results[i].busy[p]);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_file (generator, json_path, error);
}

static gboolean
check_options (GError **error)
{
  if (codec == NULL)
    codec = g_strdup ("opus");
  if (modes == NULL)
    modes = g_strdup ("default,dsp-off,baresip");
  if (!g_str_equal (codec, "opus") && !g_str_equal (codec, "pcma"))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--codec must be opus or pcma, not “%s”", codec);
      return FALSE;
    }
  if (n_calls < 1 || n_calls > 64 || seconds < 1 || interval_ms < 100)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--calls must be 1–64, --seconds at least 1, --interval at least 100 ms");
      return FALSE;
    }
  if (g_getenv ("AGENTPHONE_BIN") == NULL || g_getenv ("AP_SOURCE_DIR") == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   "Set AGENTPHONE_BIN (the agentphone binary) and AP_SOURCE_DIR (the source "
                   "tree), or run it through “meson test --benchmark”");
      return FALSE;
    }
  return TRUE;
}

int
main (int argc, char **argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new ("- what simultaneous calls cost");
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) results = g_array_new (FALSE, TRUE, sizeof (BenchResult));
  g_auto (GStrv) list = NULL;

  g_option_context_add_main_entries (context, options, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || !check_options (&error))
    {
      g_printerr ("bench-calls: %s\n", error->message);
      return 2;
    }
  list = g_strsplit (modes, ",", -1);
  for (guint i = 0; list[i]; i++)
    {
      BenchResult result = { NULL };

      g_print ("Measuring %s: %d calls, %s, %d s ...\n", list[i], n_calls, codec, seconds);
      if (g_str_equal (list[i], "default"))
        run_agentphone (&result, TRUE);
      else if (g_str_equal (list[i], "dsp-off"))
        run_agentphone (&result, FALSE);
      else if (g_str_equal (list[i], "baresip"))
        run_baresip (&result);
      else
        {
          g_printerr ("bench-calls: unknown mode “%s” (default, dsp-off, baresip)\n", list[i]);
          return 2;
        }
      g_array_append_val (results, result);
    }
  print_report ((BenchResult *) results->data, results->len);
  if (json_path != NULL && !write_json ((BenchResult *) results->data, results->len, &error))
    {
      g_printerr ("bench-calls: cannot write %s: %s\n", json_path, error->message);
      return 1;
    }
  return 0;
}
