/* bench-figures-calls.c: call setup through Kamailio, memory in a call,
 * control round trips and mouth-to-ear latency, for bench-figures. */
#include <string.h>
#include <unistd.h>

#include "ap-test-calls.h"
#include "ap-test-capture.h"
#include "bench-baresip.h"
#include "bench-figures.h"
#include "bench-latency.h"
#include "bench-proc.h"

#define CALL_TIMEOUT_MS 10000
#define IN_CALL_MS 2000
#define BETWEEN_CALLS_MS 300
#define CALL_SETTINGS ", \"audio-codecs\": [\"opus\"], \"srtp\": \"optional\""

/* ---- Agentphone -------------------------------------------------------- */

/* One Dial until MediaActive (RTP both ways) at the caller; hung up after. */
static double
ours_one_call (ApTestPhone *a, ApTestPhone *b, GArray *rss)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ApDbusCall) call = NULL;
  g_autofree char *path = NULL, *a_path = NULL, *b_path = NULL;
  gint64 t0 = g_get_monotonic_time ();
  double ms;

  ap_dbus_phone_call_dial_sync (ap_test_phone_get_proxy (a), "1004",
                                g_variant_new_parsed ("@a{sv} {}"), &path, NULL, &error);
  g_assert_no_error (error);
  call = ap_test_phone_get_call (a, path);
  if (!ap_test_call_wait_media_active (call, CALL_TIMEOUT_MS))
    g_error ("agentphone: no media %d ms after Dial; see %s and %s", CALL_TIMEOUT_MS,
             ap_test_phone_get_log (a), ap_test_phone_get_log (b));
  ms = (g_get_monotonic_time () - t0) / 1000.0;
  a_path = ap_test_phone_wait_call_added (a, 1000);
  b_path = ap_test_phone_wait_call_added (b, 1000);
  g_assert_nonnull (b_path);
  if (rss != NULL)
    {
      ap_test_sleep (IN_CALL_MS);
      bench_append (rss, bench_rss_mb (ap_test_phone_get_pid (a)));
    }
  ap_test_call_hangup (call);
  g_assert_true (ap_test_phone_wait_call_removed (b, b_path, CALL_TIMEOUT_MS));
  ap_test_sleep (BETWEEN_CALLS_MS);
  return ms;
}

/* A message and its reply on the bus, as a client sees it. */
static void
dbus_round_trips (GDBusConnection *bus, const char *interface, const char *method, GVariant *params,
                  guint n, GArray *values)
{
  if (params != NULL)
    g_variant_ref_sink (params);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GVariant) reply = NULL;
      gint64 t0 = g_get_monotonic_time ();

      reply = g_dbus_connection_call_sync (
        bus, "io.github.agentphone.Agentphone", "/io/github/agentphone/Agentphone", interface,
        method, params, NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START, 5000, NULL, &error);
      g_assert_no_error (error);
      bench_append (values, (g_get_monotonic_time () - t0) / 1000.0);
    }
  g_clear_pointer (&params, g_variant_unref);
}

static void
ours_round_trips (ApTestBus *bus, guint n, JsonBuilder *builder)
{
  GDBusConnection *connection = ap_test_bus_get_connection (bus);
  g_autoptr (GArray) get = bench_doubles (), settings = bench_doubles ();

  dbus_round_trips (connection, "org.freedesktop.DBus.Properties", "Get",
                    g_variant_new ("(ss)", "io.github.agentphone.Phone", "RegistrationState"), n,
                    get);
  dbus_round_trips (connection, "io.github.agentphone.Phone", "GetSettings", NULL, n, settings);
  bench_figure_add (builder, "control_read_ms", get, "ms");
  bench_figure_add (builder, "control_settings_ms", settings, "ms");
}

/* A fresh home holding @warm_home's GStreamer registry: what an agent's
 * machine has cached since the last GStreamer upgrade. */
static char *
home_with_registry (const char *warm_home)
{
  g_autofree char *home = bench_make_home (CALL_SETTINGS);
  g_autofree char *from = g_build_filename (warm_home, "cache", "gstreamer-1.0", NULL);
  g_autofree char *to = g_build_filename (home, "cache", "gstreamer-1.0", NULL);
  g_autoptr (GDir) dir = g_dir_open (from, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  g_mkdir_with_parents (to, 0700);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *source = g_build_filename (from, name, NULL);
      g_autofree char *target = g_build_filename (to, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      g_assert_true (g_file_get_contents (source, &contents, &length, NULL));
      g_assert_true (g_file_set_contents (target, contents, (gssize) length, NULL));
    }
  return g_steal_pointer (&home);
}

/* 2: the first call of a new process (an agent's first call of the day),
 * 1002 to the warm 1004, the GStreamer registry already cached. */
static void
ours_first_calls (ApTestKamailio *kam, ApTestPhone *b, const char *warm_home, guint runs,
                  JsonBuilder *builder)
{
  g_autoptr (GArray) first = bench_doubles ();

  for (guint i = 0; i < runs; i++)
    {
      g_autoptr (ApTestBus) bus = ap_test_bus_new ();
      g_autofree char *home = home_with_registry (warm_home);
      ApTestPhone *phone = bench_phone_start (bus, home, NULL, NULL);

      ap_test_phone_register (phone, kam, "1002");
      bench_append (first, ours_one_call (phone, b, NULL));
      bench_quit_phone (phone);
      ap_test_phone_free (phone);
    }
  bench_figure_add (builder, "first_call_setup_ms", first, "ms");
}

/* 2, 5 and 6: 1003 dials 1004 (auto-answer) through Kamailio. */
void
bench_ours_calls (ApTestKamailio *kam, guint runs, guint round_trips, JsonBuilder *builder)
{
  g_autoptr (ApTestBus) bus_a = ap_test_bus_new ();
  g_autoptr (ApTestBus) bus_b = ap_test_bus_new ();
  g_autofree char *home_a = bench_make_home (CALL_SETTINGS);
  g_autofree char *home_b = bench_make_home (CALL_SETTINGS);
  g_autoptr (ApTestPhone) a = bench_phone_start (bus_a, home_a, NULL, NULL);
  g_autoptr (ApTestPhone) b = bench_phone_start (bus_b, home_b, NULL, NULL);
  g_autoptr (GArray) setup = bench_doubles (), wire = bench_doubles (), rss = bench_doubles ();
  g_autoptr (ApTestCapture) capture = NULL;
  g_autoptr (GPtrArray) datagrams = NULL;
  g_autoptr (GArray) cold = bench_doubles ();
  g_autoptr (GError) error = NULL;

  ap_test_phone_register (a, kam, "1003");
  ap_test_phone_register (b, kam, "1004");
  ap_dbus_phone_call_set_answer_mode_sync (ap_test_phone_get_proxy (b), "auto-answer", 0, NULL,
                                           &error);
  g_assert_no_error (error);
  /* warm-up: what a first call loads once (here with no GStreamer registry
   * cached yet, as after an upgrade) */
  bench_append (cold, ours_one_call (a, b, NULL));
  bench_figure_add (builder, "first_call_no_registry_ms", cold, "ms");
  capture = ap_test_capture_start ("calls-ours");
  for (guint i = 0; i < runs; i++)
    bench_append (setup, ours_one_call (a, b, rss));
  datagrams = ap_test_capture_stop (capture);
  bench_wire_invite_to_ok (datagrams, ap_test_phone_get_listen_port (b), wire);
  bench_figure_add (builder, "call_setup_ms", setup, "ms");
  bench_figure_add (builder, "invite_to_200_ms", wire, "ms");
  bench_figure_add (builder, "rss_one_call_mb", rss, "MB");
  ours_first_calls (kam, b, home_a, runs, builder);
  ours_round_trips (bus_a, round_trips, builder);
  bench_quit_phone (a);
  bench_quit_phone (b);
}

/* ---- baresip ----------------------------------------------------------- */

static void
check (GError *error)
{
  g_assert_no_error (error);
}

static double
baresip_one_call (BenchBaresip *a, BenchBaresip *b, GArray *rss)
{
  GError *error = NULL;
  gint64 t0 = g_get_monotonic_time ();
  double ms;

  bench_baresip_command (a, "dial", "sip:1005@127.0.0.1", NULL, &error);
  check (error);
  /* RTP established: the first packet received, its nearest to MediaActive */
  bench_baresip_wait_event (a, "CALL_RTPESTAB", CALL_TIMEOUT_MS, &error);
  check (error);
  ms = (g_get_monotonic_time () - t0) / 1000.0;
  if (rss != NULL)
    {
      ap_test_sleep (IN_CALL_MS);
      bench_append (rss, bench_rss_mb (bench_baresip_get_pid (a)));
    }
  bench_baresip_command (a, "hangup", NULL, NULL, &error);
  check (error);
  bench_baresip_wait_event (b, "CALL_CLOSED", CALL_TIMEOUT_MS, &error);
  check (error);
  ap_test_sleep (BETWEEN_CALLS_MS);
  return ms;
}

/* ctrl_tcp's netstring JSON: baresip's nearest to a DBus call. */
static void
baresip_round_trips (BenchBaresip *a, const char *command, guint n, GArray *values)
{
  for (guint i = 0; i < n; i++)
    {
      GError *error = NULL;
      g_autofree char *data = NULL;
      gint64 t0 = g_get_monotonic_time ();

      bench_baresip_command (a, command, NULL, &data, &error);
      check (error);
      bench_append (values, (g_get_monotonic_time () - t0) / 1000.0);
    }
}

void
bench_baresip_calls (ApTestKamailio *kam, guint runs, guint round_trips, JsonBuilder *builder)
{
  GError *error = NULL;
  guint port = ap_test_kamailio_get_port (kam);
  g_autoptr (BenchBaresip) a
    = bench_baresip_start_registered (440, "opus", TRUE, FALSE, "1002", port, &error);
  g_autoptr (BenchBaresip) b = NULL;
  g_autoptr (GArray) setup = bench_doubles (), wire = bench_doubles (), rss = bench_doubles ();
  g_autoptr (GArray) get = bench_doubles (), about = bench_doubles ();
  g_autoptr (ApTestCapture) capture = NULL;
  g_autoptr (GPtrArray) datagrams = NULL;

  check (error);
  b = bench_baresip_start_registered (880, "opus", TRUE, TRUE, "1005", port, &error);
  check (error);
  g_assert_true (ap_test_kamailio_wait_contacts (kam, "1002", 1, CALL_TIMEOUT_MS));
  g_assert_true (ap_test_kamailio_wait_contacts (kam, "1005", 1, CALL_TIMEOUT_MS));
  baresip_one_call (a, b, NULL);
  capture = ap_test_capture_start ("calls-baresip");
  for (guint i = 0; i < runs; i++)
    bench_append (setup, baresip_one_call (a, b, rss));
  datagrams = ap_test_capture_stop (capture);
  bench_wire_invite_to_ok (datagrams, bench_baresip_get_sip_port (b), wire);
  bench_figure_add (builder, "call_setup_ms", setup, "ms");
  bench_figure_add (builder, "invite_to_200_ms", wire, "ms");
  bench_figure_add (builder, "rss_one_call_mb", rss, "MB");
  baresip_round_trips (a, "reginfo", round_trips, get);
  baresip_round_trips (a, "about", round_trips, about);
  bench_figure_add (builder, "control_read_ms", get, "ms");
  bench_figure_add (builder, "control_settings_ms", about, "ms");
}

/* ---- mouth-to-ear ------------------------------------------------------ */

static gpointer
latency_thread (gpointer data)
{
  BenchLatency *run = data;
  g_autoptr (GError) error = NULL;

  if (!bench_latency_run (run->socket, run->input_port, run->seconds, run, &error))
    g_error ("%s", error->message);
  return NULL;
}

static void
ours_latency_codec (const char *codec, guint seconds, JsonBuilder *builder)
{
  g_autoptr (ApTestBus) bus_a = ap_test_bus_new ();
  g_autoptr (ApTestBus) bus_b = ap_test_bus_new ();
  /* No noise suppression or gain, made to change a click; the canceller
   * stays on (it adds no delay). */
  g_autofree char *extra = g_strdup_printf (
    ", \"audio-codecs\": [\"%s\"], \"noise-suppression\": 0, \"auto-gain\": false", codec);
  g_autofree char *home_a = bench_make_home (extra);
  g_autofree char *home_b = bench_make_home (extra);
  g_autoptr (GError) error = NULL;
  BenchLatency run = { 0 };
  guint out_port = ap_test_free_port ();
  g_autofree char *input = NULL, *output = bench_latency_output (out_port);
  g_autofree char *name = g_strdup_printf ("latency_%s_ms", codec);
  g_autofree char *floor_name = g_strdup_printf ("latency_%s_floor_ms", codec);
  g_autoptr (ApTestPhone) a = NULL;
  g_autoptr (ApTestPhone) b = NULL;
  ApDbusCall *call_a = NULL, *call_b = NULL;
  g_autoptr (GArray) floor = bench_doubles ();
  GThread *thread;

  run.input_port = ap_test_free_port ();
  run.seconds = seconds + 10; /* the call is set up meanwhile */
  run.latencies_ms = bench_doubles ();
  input = bench_latency_input (run.input_port);
  run.socket = bench_latency_bind (out_port, &error);
  g_assert_no_error (error);
  a = bench_phone_start (bus_a, home_a, input, NULL);
  b = bench_phone_start (bus_b, home_b,
                         "audiotestsrc is-live=true wave=silence samplesperbuffer=480", output);
  thread = g_thread_new ("clicks", latency_thread, &run);
  ap_test_connect_many (a, b, 1, &call_a, &call_b);
  ap_test_sleep (2000);
  g_atomic_int_set (&run.measuring, 1);
  g_thread_join (thread);
  close (run.socket);
  if (run.latencies_ms->len < run.sent / 2)
    g_error ("Only %u of %u clicks were heard (%s); see %s and %s", run.latencies_ms->len, run.sent,
             codec, ap_test_phone_get_log (a), ap_test_phone_get_log (b));
  bench_figure_add (builder, name, run.latencies_ms, "ms");
  /* frame + look-ahead + jitter buffer (60 ms by default) */
  bench_append (floor, 20 + (g_str_equal (codec, "opus") ? 6.5 : 0) + 60);
  bench_figure_add (builder, floor_name, floor, "ms");
  ap_test_call_hangup (call_a);
  g_object_unref (call_a);
  g_object_unref (call_b);
  g_array_unref (run.latencies_ms);
  bench_quit_phone (a);
  bench_quit_phone (b);
}

/* 3: mouth-to-ear on loopback, Opus and PCMA, direct calls. */
void
bench_ours_latency (guint seconds, JsonBuilder *builder)
{
  ours_latency_codec ("opus", seconds, builder);
  ours_latency_codec ("pcma", seconds, builder);
}
