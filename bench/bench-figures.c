/* bench-figures.c: the figures of bench/run that need timing precision,
 * for Agentphone and for baresip in the same run, written as JSON:
 * start to registered, call setup, mouth-to-ear latency, memory idle and
 * in a call, and control round trips (DBus for us, ctrl_tcp for baresip).
 * CPU per call comes from bench-calls; the window's memory from bench/run.
 *
 *   AGENTPHONE_BIN=b/src/agentphone AP_SOURCE_DIR=. b/bench/bench-figures --out f.json
 */
#include <json-glib/json-glib.h>
#include <string.h>

#include "ap-test-calls.h"
#include "ap-test-capture.h"
#include "bench-baresip.h"
#include "bench-figures.h"
#include "bench-latency.h"
#include "bench-proc.h"

static int runs = 5;
static int round_trips = 1000;
static int latency_seconds = 10;
static char *out_path = NULL;
static char *parts = NULL;
static char *phones = NULL;

static const GOptionEntry options[] = {
  { "runs", 'r', 0, G_OPTION_ARG_INT, &runs, "Repeats of each start and call (5)", "N" },
  { "round-trips", 0, 0, G_OPTION_ARG_INT, &round_trips, "Control round trips (1000)", "N" },
  { "latency-seconds", 0, 0, G_OPTION_ARG_INT, &latency_seconds,
    "Clicks sent per codec, 2 a second (10)", "S" },
  { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out_path, "JSON file to write (stdout)", "FILE" },
  { "parts", 0, 0, G_OPTION_ARG_STRING, &parts, "Of start,calls,latency (all)", "LIST" },
  { "phones", 0, 0, G_OPTION_ARG_STRING, &phones, "Of ours,baresip (both)", "LIST" },
  { NULL },
};

/* ---- figures as JSON --------------------------------------------------- */

static double
percentile (GArray *values, double p)
{
  g_autoptr (GArray) sorted = g_array_copy (values);
  guint at;

  if (values->len == 0)
    return -1;
  g_array_sort (sorted, (GCompareFunc) bench_compare_doubles);
  at = (guint) MIN (sorted->len - 1, (guint) (p * (sorted->len - 1) + 0.5));
  return g_array_index (sorted, double, at);
}

/* {"median": …, "p99": …, "n": …, "unit": …} into @builder's open object */
void
bench_figure_add (JsonBuilder *builder, const char *name, GArray *values, const char *unit)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "median");
  json_builder_add_double_value (builder, percentile (values, 0.5));
  json_builder_set_member_name (builder, "p99");
  json_builder_add_double_value (builder, percentile (values, 0.99));
  json_builder_set_member_name (builder, "n");
  json_builder_add_int_value (builder, values->len);
  json_builder_set_member_name (builder, "unit");
  json_builder_add_string_value (builder, unit);
  json_builder_end_object (builder);
}

int
bench_compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

void
bench_append (GArray *values, double value)
{
  g_array_append_val (values, value);
}

GArray *
bench_doubles (void)
{
  return g_array_new (FALSE, FALSE, sizeof (double));
}

/* ---- the wire ---------------------------------------------------------- */

static gboolean
payload_starts (const ApTestDatagram *d, const char *prefix)
{
  gsize len;
  const char *text = g_bytes_get_data (d->payload, &len);

  return len >= strlen (prefix) && memcmp (text, prefix, strlen (prefix)) == 0;
}

/* A SIP message's CSeq method is @method. */
static gboolean
cseq_is (const ApTestDatagram *d, const char *method)
{
  gsize len;
  const char *text = g_bytes_get_data (d->payload, &len);
  g_autofree char *copy = g_strndup (text, len);
  g_autofree char *want = g_strdup_printf (" %s\r\n", method);
  char *cseq = strstr (copy, "\nCSeq:");
  char *eol;

  if (cseq == NULL || (eol = strchr (cseq + 1, '\n')) == NULL)
    return FALSE;
  eol[1] = '\0';
  return g_str_has_suffix (cseq, want);
}

/**
 * bench_wire_first_ok: the time of the first "200" for @method sent from
 * @src_port (0: any) to @dst_port (0: any) at or after @after_us, or -1
 */
gint64
bench_wire_first_ok (GPtrArray *datagrams, guint src_port, guint dst_port, const char *method,
                     gint64 after_us)
{
  for (guint i = 0; i < datagrams->len; i++)
    {
      ApTestDatagram *d = datagrams->pdata[i];

      if (d->time_us >= after_us && (src_port == 0 || d->src_port == src_port)
          && (dst_port == 0 || d->dst_port == dst_port) && payload_starts (d, "SIP/2.0 200")
          && cseq_is (d, method))
        return d->time_us;
    }
  return -1;
}

/* INVITE received on @port to the 200 sent from it, per call, in ms. */
void
bench_wire_invite_to_ok (GPtrArray *datagrams, guint port, GArray *values)
{
  for (guint i = 0; i < datagrams->len; i++)
    {
      ApTestDatagram *d = datagrams->pdata[i];
      gint64 ok;

      if (d->dst_port != port || !payload_starts (d, "INVITE "))
        continue;
      ok = bench_wire_first_ok (datagrams, port, 0, "INVITE", d->time_us);
      if (ok >= 0)
        bench_append (values, (ok - d->time_us) / 1000.0);
    }
}

/* ---- Agentphone -------------------------------------------------------- */

/* A home whose settings hold @extra (JSON members, may be empty). */
char *
bench_make_home (const char *extra)
{
  g_autofree char *home = ap_test_make_dir ("bench");
  g_autofree char *config = g_build_filename (home, "config", "agentphone", NULL);
  g_autofree char *path = g_build_filename (config, "settings.json", NULL);
  g_autofree char *settings = g_strdup_printf (
    "{\"version\": 1, \"settings\": {\"local-address\": \"127.0.0.1\"%s}}", extra);

  g_mkdir_with_parents (config, 0700);
  g_assert_true (g_file_set_contents (path, settings, -1, NULL));
  return g_steal_pointer (&home);
}

/* As agents run it: no debug log; tone in, a speaker that plays nowhere. */
ApTestPhone *
bench_phone_start (ApTestBus *bus, const char *home, const char *input, const char *output)
{
  g_autofree char *in = g_strdup_printf (
    "AGENTPHONE_AUDIO_INPUT=%s",
    input ? input : "audiotestsrc is-live=true freq=440 volume=0.5 samplesperbuffer=480");
  g_autofree char *out
    = g_strdup_printf ("AGENTPHONE_AUDIO_OUTPUT=%s", output ? output : "fakesink sync=true");
  /* BENCH_PHONE_DEBUG=1: their debug log, to see where time goes. */
  const char *env[]
    = { in, out,
        g_getenv ("BENCH_PHONE_DEBUG") ? "G_MESSAGES_DEBUG=all" : "G_MESSAGES_DEBUG=", NULL };

  return ap_test_phone_start (bus, home, env);
}

void
bench_quit_phone (ApTestPhone *phone)
{
  g_autoptr (GError) error = NULL;

  ap_dbus_phone_call_quit_sync (ap_test_phone_get_proxy (phone), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ap_test_phone_wait_exit (phone, 10000, NULL));
}

static gboolean
password_saved (gpointer data)
{
  return g_strcmp0 (ap_dbus_phone_get_password_storage (data), "secret-service") == 0;
}

double
bench_rss_mb (GPid pid)
{
  BenchProcSample sample;
  g_autoptr (GError) error = NULL;

  if (!bench_proc_read (pid, &sample, &error))
    g_error ("%s", error->message);
  return sample.rss_mb;
}

/* 1 and 5: a saved account (password in the Secret Service) registers by
 * itself at start; process start to the registrar's 200 on the wire, and
 * to RegistrationChanged(registered) seen by a client; RSS idle after. */
static void
ours_start (ApTestKamailio *kam, JsonBuilder *builder)
{
  g_autoptr (ApTestBus) bus = ap_test_bus_new ();
  g_autoptr (ApTestKeyring) keyring = ap_test_keyring_new (bus);
  g_autofree char *home = bench_make_home ("");
  g_autoptr (GArray) wire = bench_doubles (), seen = bench_doubles (), rss = bench_doubles ();
  g_autoptr (GArray) starts = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (ApTestCapture) capture = NULL;
  g_autoptr (GPtrArray) datagrams = NULL;
  ApTestPhone *phone = bench_phone_start (bus, home, NULL, NULL);

  ap_test_phone_register (phone, kam, "1001");
  g_assert_true (ap_test_run_until (password_saved, ap_test_phone_get_proxy (phone), 5000));
  bench_quit_phone (phone);
  ap_test_phone_free (phone);
  g_assert_true (ap_test_kamailio_wait_contacts (kam, "1001", 0, 5000));
  capture = ap_test_capture_start ("start-ours");
  for (int i = 0; i < runs; i++)
    {
      gint64 real = g_get_real_time (), mono = g_get_monotonic_time ();

      g_array_append_val (starts, real);
      phone = bench_phone_start (bus, home, NULL, NULL);
      if (!ap_test_phone_wait_registration (phone, "registered", 10000))
        g_error ("agentphone did not register by itself at start; see %s",
                 ap_test_phone_get_log (phone));
      bench_append (seen, (g_get_monotonic_time () - mono) / 1000.0);
      ap_test_sleep (2000);
      bench_append (rss, bench_rss_mb (ap_test_phone_get_pid (phone)));
      bench_quit_phone (phone);
      ap_test_phone_free (phone);
      g_assert_true (ap_test_kamailio_wait_contacts (kam, "1001", 0, 5000));
    }
  datagrams = ap_test_capture_stop (capture);
  for (guint i = 0; i < starts->len; i++)
    {
      gint64 t0 = g_array_index (starts, gint64, i);
      gint64 ok
        = bench_wire_first_ok (datagrams, ap_test_kamailio_get_port (kam), 0, "REGISTER", t0);

      g_assert_cmpint (ok, >, 0);
      bench_append (wire, (ok - t0) / 1000.0);
    }
  bench_figure_add (builder, "start_registered_wire_ms", wire, "ms");
  bench_figure_add (builder, "start_registered_client_ms", seen, "ms");
  bench_figure_add (builder, "rss_idle_registered_mb", rss, "MB");
}

static void
baresip_start (ApTestKamailio *kam, JsonBuilder *builder)
{
  g_autoptr (GArray) wire = bench_doubles (), rss = bench_doubles ();
  g_autoptr (GArray) starts = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (ApTestCapture) capture = ap_test_capture_start ("start-baresip");
  g_autoptr (GPtrArray) datagrams = NULL;

  for (int i = 0; i < runs; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (BenchBaresip) baresip = NULL;
      gint64 real = g_get_real_time ();

      g_array_append_val (starts, real);
      baresip = bench_baresip_start_registered (440, "opus", TRUE, FALSE, "1002",
                                                ap_test_kamailio_get_port (kam), &error);
      g_assert_no_error (error);
      /* Its REGISTER_OK event may go out before its control port is open:
       * only the wire is timed. */
      g_assert_true (ap_test_kamailio_wait_contacts (kam, "1002", 1, 10000));
      ap_test_sleep (2000);
      bench_append (rss, bench_rss_mb (bench_baresip_get_pid (baresip)));
      g_clear_pointer (&baresip, bench_baresip_free);
      g_assert_true (ap_test_kamailio_wait_contacts (kam, "1002", 0, 5000));
    }
  datagrams = ap_test_capture_stop (capture);
  for (guint i = 0; i < starts->len; i++)
    {
      gint64 t0 = g_array_index (starts, gint64, i);
      gint64 ok
        = bench_wire_first_ok (datagrams, ap_test_kamailio_get_port (kam), 0, "REGISTER", t0);

      g_assert_cmpint (ok, >, 0);
      bench_append (wire, (ok - t0) / 1000.0);
    }
  bench_figure_add (builder, "start_registered_wire_ms", wire, "ms");
  bench_figure_add (builder, "rss_idle_registered_mb", rss, "MB");
}

/* ---- main -------------------------------------------------------------- */

static gboolean
check_options (GError **error)
{
  if (runs < 1 || runs > 100 || round_trips < 10 || latency_seconds < 2)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--runs must be 1–100, --round-trips at least 10, --latency-seconds at "
                   "least 2");
      return FALSE;
    }
  if (g_getenv ("AGENTPHONE_BIN") == NULL || g_getenv ("AP_SOURCE_DIR") == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   "Set AGENTPHONE_BIN (the agentphone binary) and AP_SOURCE_DIR (the source "
                   "tree), or run bench/run");
      return FALSE;
    }
  return TRUE;
}

static gboolean
listed (const char *list, const char *name)
{
  g_auto (GStrv) names = g_strsplit (list, ",", -1);

  return g_strv_contains ((const char *const *) names, name);
}

static void
measure (const char *who, JsonBuilder *builder, ApTestKamailio *kam)
{
  gboolean ours = g_str_equal (who, "ours");

  if (phones != NULL && !listed (phones, who))
    return;
  json_builder_set_member_name (builder, who);
  json_builder_begin_object (builder);
  if (parts == NULL || listed (parts, "start"))
    {
      g_printerr ("bench-figures: %s: start to registered ...\n", who);
      (ours ? ours_start : baresip_start) (kam, builder);
    }
  if (parts == NULL || listed (parts, "calls"))
    {
      g_printerr ("bench-figures: %s: call setup ...\n", who);
      (ours ? bench_ours_calls : bench_baresip_calls) (kam, runs, round_trips, builder);
    }
  if (ours && (parts == NULL || listed (parts, "latency")))
    {
      g_printerr ("bench-figures: %s: mouth-to-ear latency ...\n", who);
      bench_ours_latency (latency_seconds, builder);
    }
  json_builder_end_object (builder);
}

int
main (int argc, char **argv)
{
  g_autoptr (GOptionContext) context
    = g_option_context_new ("- start, call setup, latency, memory and control round trips");
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (ApTestKamailio) kam = NULL;

  g_option_context_add_main_entries (context, options, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || !check_options (&error))
    {
      g_printerr ("bench-figures: %s\n", error->message);
      return 2;
    }
  kam = ap_test_kamailio_new (FALSE);
  ap_test_kamailio_start (kam);
  json_builder_begin_object (builder);
  measure ("ours", builder, kam);
  measure ("baresip", builder, kam);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  if (out_path == NULL)
    {
      g_autofree char *text = json_generator_to_data (generator, NULL);

      g_print ("%s\n", text);
    }
  else if (!json_generator_to_file (generator, out_path, &error))
    {
      g_printerr ("bench-figures: cannot write %s: %s\n", out_path, error->message);
      return 1;
    }
  return 0;
}
