/* Calls between one real agentphone and sipp peers playing the far end:
 * early media, redirects, a callee that never answers, re-INVITE without
 * SDP, UPDATE, stray BYEs and CANCEL races. No registrar: every call is
 * direct, on 127.0.0.1. */
#define _GNU_SOURCE
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "ap-test-calls.h"
#include "ap-wav.h"

#define CALL_TIMEOUT_MS 10000
#define SIPP_TIMEOUT_S 40
#define G711A_PCAP "/usr/share/sip-tester/g711a.pcap"

/* ---- sipp with extra arguments ---------------------------------------- */

/* Like ap_test_sipp_start(), plus extra arguments (`-set var value`) and a
 * message trace that is printed when sipp fails. */
typedef struct {
  char *dir;
  GSubprocess *process;
  gboolean exited;
  int status;
} Sipp;

static void
sipp_on_exit (GObject *source, GAsyncResult *result, gpointer data)
{
  Sipp *sipp = data;
  GSubprocess *process = G_SUBPROCESS (source);

  g_subprocess_wait_finish (process, result, NULL);
  sipp->status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process)
                                                      : 128 + g_subprocess_get_term_sig (process);
  sipp->exited = TRUE;
}

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/**
 * sipp_start:
 * @remote: (nullable): `host:port` to call (UAC scenarios)
 * @extra: (nullable): more arguments for sipp
 */
static Sipp *
sipp_start (const char *scenario, guint port, const char *remote, const char *const *extra)
{
  Sipp *sipp = g_new0 (Sipp, 1);
  g_autoptr (GSubprocessLauncher) launcher
    = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autofree char *sf = g_build_filename (ap_test_source_dir (), "tests", "sipp", scenario, NULL);
  g_autofree char *p = g_strdup_printf ("%u", port);
  g_autofree char *timeout = g_strdup_printf ("%us", SIPP_TIMEOUT_S);
  g_autofree char *errors = NULL;
  g_autofree char *messages = NULL;
  g_autofree char *log = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  const char *const base[]
    = { "sipp",     "-sf",        sf,          "-i",       "127.0.0.1", "-p",
        p,          "-m",         "1",         "-timeout", timeout,     "-timeout_error",
        "-nostdin", "-trace_err", "-trace_msg" };

  sipp->dir = ap_test_make_dir ("sipp");
  errors = g_build_filename (sipp->dir, "errors.log", NULL);
  messages = g_build_filename (sipp->dir, "messages.log", NULL);
  log = g_build_filename (sipp->dir, "sipp.log", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (base); i++)
    g_ptr_array_add (argv, (gpointer) base[i]);
  g_ptr_array_add (argv, "-error_file");
  g_ptr_array_add (argv, errors);
  g_ptr_array_add (argv, "-message_file");
  g_ptr_array_add (argv, messages);
  for (guint i = 0; extra && extra[i]; i++)
    g_ptr_array_add (argv, (gpointer) extra[i]);
  if (remote)
    g_ptr_array_add (argv, (gpointer) remote);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  g_subprocess_launcher_set_cwd (launcher, sipp->dir);
  g_subprocess_launcher_set_stdout_file_path (launcher, log);
  sipp->process
    = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_wait_async (sipp->process, NULL, sipp_on_exit, sipp);
  g_test_message ("sipp %s on port %u%s%s: %s", scenario, port, remote ? " calling " : "",
                  remote ? remote : "", sipp->dir);
  /* sipp binds its port before anything else: give it a moment. */
  ap_test_sleep (300);
  return sipp;
}

static gboolean
sipp_exited (gpointer data)
{
  return ((Sipp *) data)->exited;
}

static void
print_file (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *text = NULL;

  if (g_file_get_contents (path, &text, NULL, NULL))
    g_test_message ("sipp %s:\n%s", name, text);
}

/* Whether sipp ended in @timeout_ms; its exit status in *@status. */
static gboolean
sipp_wait (Sipp *sipp, guint timeout_ms, int *status)
{
  if (!ap_test_run_until (sipp_exited, sipp, timeout_ms))
    {
      g_test_message ("sipp (%s) still running after %u ms", sipp->dir, timeout_ms);
      print_file (sipp->dir, "messages.log");
      return FALSE;
    }
  *status = sipp->status;
  if (sipp->status != 0)
    {
      print_file (sipp->dir, "errors.log");
      print_file (sipp->dir, "messages.log");
      print_file (sipp->dir, "sipp.log");
    }
  return TRUE;
}

static void
sipp_free (Sipp *sipp)
{
  if (sipp == NULL)
    return;
  if (!sipp->exited)
    {
      g_subprocess_send_signal (sipp->process, SIGTERM);
      if (!ap_test_run_until (sipp_exited, sipp, 10000))
        {
          g_subprocess_force_exit (sipp->process);
          ap_test_run_until (sipp_exited, sipp, 10000);
        }
    }
  g_clear_object (&sipp->process);
  g_free (sipp->dir);
  g_free (sipp);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Sipp, sipp_free)

static void
assert_sipp_passed (Sipp *sipp, guint timeout_ms)
{
  int status = -1;

  g_assert_true (sipp_wait (sipp, timeout_ms, &status));
  /* 0: every message the scenario expected came, as expected. */
  g_assert_cmpint (status, ==, 0);
}

/* ---- fixture ---------------------------------------------------------- */

typedef struct {
  ApTestBus *bus;
  ApTestPhone *phone;
  char *wav;
  /* CallAdded, as "path direction" */
  GPtrArray *added;
  /* Every State and EndCode the bus carried for any call, as "path state"
   * and "path code N" */
  GPtrArray *call_events;
  guint subscription;
} Fixture;

static void
on_call_added (ApDbusPhone *proxy, const char *path, const char *direction, const char *peer,
               Fixture *f)
{
  g_ptr_array_add (f->added, g_strdup_printf ("%s %s", path, direction));
}

/* Straight off the bus, so a call that ends and goes before a proxy for it
 * exists is still seen. */
static void
on_call_properties_changed (GDBusConnection *connection, const char *sender, const char *path,
                            const char *interface, const char *signal, GVariant *parameters,
                            gpointer data)
{
  Fixture *f = data;
  g_autoptr (GVariant) changed = NULL;
  const char *state = NULL;
  guint code = 0;

  g_variant_get (parameters, "(&s@a{sv}@as)", NULL, &changed, NULL);
  if (g_variant_lookup (changed, "State", "&s", &state))
    g_ptr_array_add (f->call_events, g_strdup_printf ("%s %s", path, state));
  if (g_variant_lookup (changed, "EndCode", "u", &code))
    g_ptr_array_add (f->call_events, g_strdup_printf ("%s code %u", path, code));
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->bus = ap_test_bus_new ();
  f->added = g_ptr_array_new_with_free_func (g_free);
  f->call_events = g_ptr_array_new_with_free_func (g_free);
  f->subscription = g_dbus_connection_signal_subscribe (
    ap_test_bus_get_connection (f->bus), NULL, "org.freedesktop.DBus.Properties",
    "PropertiesChanged", NULL, "io.github.agentphone.Call", G_DBUS_SIGNAL_FLAGS_NONE,
    on_call_properties_changed, f, NULL);
  f->phone = ap_test_phone_start_with_tone (f->bus, 440, &f->wav);
  g_signal_connect (ap_test_phone_get_proxy (f->phone), "call-added", G_CALLBACK (on_call_added),
                    f);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_dbus_connection_signal_unsubscribe (ap_test_bus_get_connection (f->bus), f->subscription);
  ap_test_phone_free (f->phone);
  ap_test_bus_free (f->bus);
  g_ptr_array_unref (f->added);
  g_ptr_array_unref (f->call_events);
  g_free (f->wav);
}

/* ---- helpers ---------------------------------------------------------- */

static ApDbusCall *
dial (Fixture *f, guint port)
{
  g_autofree char *target = g_strdup_printf ("sip:service@127.0.0.1:%u", port);
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *added = NULL;
  ApDbusCall *call;

  ap_dbus_phone_call_dial_sync (ap_test_phone_get_proxy (f->phone), target,
                                g_variant_new_parsed ("@a{sv} {}"), &path, NULL, &error);
  g_assert_no_error (error);
  added = ap_test_phone_wait_call_added (f->phone, 2000);
  g_assert_cmpstr (added, ==, path);
  call = ap_test_phone_get_call (f->phone, path);
  g_assert_cmpstr (ap_dbus_call_get_direction (call), ==, "outgoing");
  return call;
}

static void
set_answer_mode (Fixture *f, const char *mode, guint delay)
{
  g_autoptr (GError) error = NULL;

  ap_dbus_phone_call_set_answer_mode_sync (ap_test_phone_get_proxy (f->phone), mode, delay, NULL,
                                           &error);
  g_assert_no_error (error);
}

static char *
phone_address (Fixture *f)
{
  return g_strdup_printf ("127.0.0.1:%u", ap_test_phone_get_listen_port (f->phone));
}

static guint
count_calls (Fixture *f)
{
  g_auto (GStrv) calls = NULL;
  g_autoptr (GError) error = NULL;

  ap_dbus_phone_call_list_calls_sync (ap_test_phone_get_proxy (f->phone), &calls, NULL, &error);
  g_assert_no_error (error);
  return g_strv_length (calls);
}

static gboolean
no_calls (gpointer data)
{
  return count_calls (data) == 0;
}

/* States the call went through, in order, as one string ("a b c"). A
 * PropertiesChanged can repeat the state the proxy already read (it was
 * queued before the proxy's GetAll was answered): not a transition. */
static void
on_state_notify (ApDbusCall *call, GParamSpec *pspec, GString *states)
{
  const char *state = ap_dbus_call_get_state (call);
  const char *last = strrchr (states->str, ' ');

  last = last ? last + 1 : states->str;
  if (states->len && g_str_equal (last, state))
    return;
  g_string_append_printf (states, "%s%s", states->len ? " " : "", state);
}

static gboolean
remote_held (gpointer data)
{
  return ap_dbus_call_get_remote_held (data);
}

/* ---- tests ------------------------------------------------------------ */

/* 183 with SDP and an announcement, 200 three seconds later: what arrives
 * before the 200 is heard, not dropped. */
static void
test_early_media (Fixture *f, gconstpointer data)
{
  guint port = ap_test_free_port ();
  g_autoptr (Sipp) sipp = sipp_start ("uas-early-media.xml", port, NULL, NULL);
  g_autoptr (ApDbusCall) call = dial (f, port);
  g_autoptr (ApWav) wav = NULL;
  g_autoptr (GError) error = NULL;
  gint64 ringing, connected;
  double early_s, level;

  g_assert_true (ap_test_call_wait_state (call, "ringing-back", CALL_TIMEOUT_MS));
  ringing = g_get_monotonic_time ();
  g_assert_true (ap_test_call_wait_state (call, "connected", CALL_TIMEOUT_MS));
  connected = g_get_monotonic_time ();
  early_s = (connected - ringing) / (double) G_USEC_PER_SEC;
  g_test_message ("ringing back for %.2f s before the 200", early_s);
  /* sipp pauses 3 s between its 183 and its 200. */
  g_assert_cmpfloat (early_s, >=, 2.0);
  ap_test_sleep (1000);
  ap_test_call_hangup (call);
  g_assert_true (ap_test_call_wait_state (call, "ended", CALL_TIMEOUT_MS));
  g_assert_cmpuint (ap_dbus_call_get_end_code (call), ==, 200);
  assert_sipp_passed (sipp, 15000);

  /* The WAV starts with the media, at the 183: its first seconds are the
   * early media, well before the 200. Were media started only at the 200,
   * the WAV would hold just the last second or so, and the duration check
   * fails. */
  g_assert_true (ap_wav_load (f->wav, &wav, &error));
  g_assert_no_error (error);
  g_test_message ("%s: %.2f s", f->wav, ap_wav_duration_s (wav));
  g_assert_cmpfloat (ap_wav_duration_s (wav), >=, early_s);
  level = ap_wav_rms_dbfs (wav, 0, 0.5, early_s - 0.3);
  g_test_message ("early media [0.5, %.2f s]: %.1f dBFS", early_s - 0.3, level);
  g_assert_cmpfloat (level, >, -45.0);
}

/* 302 to a second sipp: the same call follows the Contact and connects
 * there. */
static void
test_redirect (Fixture *f, gconstpointer data)
{
  guint port = ap_test_free_port ();
  guint moved_port = ap_test_free_port ();
  g_autofree char *moved = NULL;
  g_autoptr (Sipp) answering = NULL;
  g_autoptr (Sipp) redirecting = NULL;
  g_autoptr (ApDbusCall) call = NULL;

  while (moved_port == port)
    moved_port = ap_test_free_port ();
  moved = g_strdup_printf ("%u", moved_port);
  answering = sipp_start ("uas-answer.xml", moved_port, NULL, NULL);
  redirecting = sipp_start ("uas-redirect-302.xml", port, NULL,
                            (const char *const[]){ "-set", "target_port", moved, NULL });
  call = dial (f, port);
  g_assert_true (ap_test_call_wait_state (call, "connected", CALL_TIMEOUT_MS));
  /* The first sipp got its ACK for the 302 and is done. */
  assert_sipp_passed (redirecting, 10000);
  /* Followed by the same call: no second one appeared. */
  g_assert_null (ap_test_phone_wait_call_added (f->phone, 300));
  g_assert_cmpuint (count_calls (f), ==, 1);
  ap_test_sleep (500);
  ap_test_call_hangup (call);
  g_assert_true (ap_test_call_wait_state (call, "ended", CALL_TIMEOUT_MS));
  g_assert_cmpuint (ap_dbus_call_get_end_code (call), ==, 200);
  assert_sipp_passed (answering, 15000);
}

/* 180 and then nothing: after `ring-timeout` seconds the phone gives up by
 * itself, with 408. */
static void
test_ring_timeout (Fixture *f, gconstpointer data)
{
  guint port = ap_test_free_port ();
  g_autoptr (Sipp) sipp = NULL;
  g_autoptr (ApDbusCall) call = NULL;
  gint64 dialled;
  double rang_s;

  ap_test_phone_configure (f->phone, "{'ring-timeout': <uint32 3>}");
  sipp = sipp_start ("uas-never-answers.xml", port, NULL, NULL);
  dialled = g_get_monotonic_time ();
  call = dial (f, port);
  g_assert_true (ap_test_call_wait_state (call, "ringing-back", CALL_TIMEOUT_MS));
  g_assert_true (ap_test_call_wait_state (call, "ended", 15000));
  rang_s = (g_get_monotonic_time () - dialled) / (double) G_USEC_PER_SEC;
  g_test_message ("ended after %.2f s: %u %s", rang_s, ap_dbus_call_get_end_code (call),
                  ap_dbus_call_get_end_reason (call));
  g_assert_cmpfloat (rang_s, >=, 2.5);
  g_assert_cmpfloat (rang_s, <=, 8.0);
  g_assert_cmpuint (ap_dbus_call_get_end_code (call), ==, 408);
  g_assert_cmpstr (ap_dbus_call_get_end_reason (call), !=, "");
  /* sipp saw the CANCEL, answered 487 and got the ACK. */
  assert_sipp_passed (sipp, 15000);
}

/* Auto-answer for the UAC scenarios; returns the incoming call, with its
 * states from now on recorded into @states. */
static ApDbusCall *
wait_incoming (Fixture *f, GString *states)
{
  g_autofree char *path = ap_test_phone_wait_call_added (f->phone, CALL_TIMEOUT_MS);
  ApDbusCall *call;

  g_assert_nonnull (path);
  call = ap_test_phone_get_call (f->phone, path);
  if (states)
    {
      g_string_append (states, ap_dbus_call_get_state (call));
      g_signal_connect (call, "notify::state", G_CALLBACK (on_state_notify), states);
    }
  g_assert_cmpstr (ap_dbus_call_get_direction (call), ==, "incoming");
  return call;
}

/* A re-INVITE with no SDP: the phone offers in the 200, takes sipp's answer
 * from the ACK, and the call goes on until sipp's BYE. */
static void
test_reinvite_without_sdp (Fixture *f, gconstpointer data)
{
  g_autofree char *remote = phone_address (f);
  g_autoptr (GString) states = g_string_new (NULL);
  g_autoptr (Sipp) sipp = NULL;
  g_autoptr (ApDbusCall) call = NULL;
  const char *after;

  set_answer_mode (f, "auto-answer", 0);
  sipp = sipp_start ("uac-reinvite-no-sdp.xml", ap_test_free_port (), remote, NULL);
  call = wait_incoming (f, states);
  g_assert_true (ap_test_call_wait_state (call, "connected", CALL_TIMEOUT_MS));
  g_assert_true (ap_test_call_wait_state (call, "ended", 15000));
  g_test_message ("states: %s", states->str);
  /* Nothing between connected and ended: the re-INVITE did not disturb it. */
  after = strstr (states->str, "connected");
  g_assert_nonnull (after);
  g_assert_cmpstr (after, ==, "connected ended");
  g_assert_cmpuint (ap_dbus_call_get_end_code (call), ==, 200);
  assert_sipp_passed (sipp, 15000);
}

/* An UPDATE with a sendonly offer: the far end holds us. */
static void
test_update_hold (Fixture *f, gconstpointer data)
{
  g_autofree char *remote = phone_address (f);
  g_autoptr (Sipp) sipp = NULL;
  g_autoptr (ApDbusCall) call = NULL;

  set_answer_mode (f, "auto-answer", 0);
  sipp = sipp_start ("uac-update.xml", ap_test_free_port (), remote, NULL);
  call = wait_incoming (f, NULL);
  g_assert_true (ap_test_call_wait_state (call, "connected", CALL_TIMEOUT_MS));
  g_assert_false (ap_dbus_call_get_remote_held (call));
  /* sipp sends the UPDATE 1 s after its ACK and hangs up 3 s after the 200. */
  g_assert_true (ap_test_run_until (remote_held, call, 8000));
  g_assert_cmpstr (ap_dbus_call_get_state (call), ==, "connected");
  g_assert_true (ap_test_call_wait_state (call, "ended", 15000));
  g_assert_cmpuint (ap_dbus_call_get_end_code (call), ==, 200);
  assert_sipp_passed (sipp, 15000);
}

/* A BYE for a dialog that never was: 481, no call, no harm. */
static void
test_bye_unknown_dialog (Fixture *f, gconstpointer data)
{
  g_autofree char *remote = phone_address (f);
  g_autoptr (Sipp) sipp
    = sipp_start ("uac-bye-unknown-dialog.xml", ap_test_free_port (), remote, NULL);
  g_autoptr (GVariant) settings = NULL;
  g_autoptr (GError) error = NULL;

  assert_sipp_passed (sipp, 15000);
  g_assert_cmpuint (count_calls (f), ==, 0);
  g_assert_null (ap_test_phone_wait_call_added (f->phone, 500));
  /* Still up and answering. */
  ap_dbus_phone_call_get_settings_sync (ap_test_phone_get_proxy (f->phone), &settings, NULL,
                                        &error);
  g_assert_no_error (error);
  g_assert_nonnull (settings);
}

typedef struct {
  Fixture *f;
  const char *event;
} EventWait;

static gboolean
has_event (gpointer data)
{
  EventWait *w = data;

  for (guint i = 0; i < w->f->call_events->len; i++)
    if (g_str_equal (w->f->call_events->pdata[i], w->event))
      return TRUE;
  return FALSE;
}

/* CANCEL right after the 180: the incoming call shows, then ends with 487,
 * and leaves the list. */
static void
test_cancel_race (Fixture *f, gconstpointer data)
{
  g_autofree char *remote = phone_address (f);
  g_autoptr (Sipp) sipp = sipp_start ("uac-cancel-race.xml", ap_test_free_port (), remote, NULL);
  g_autofree char *path = ap_test_phone_wait_call_added (f->phone, CALL_TIMEOUT_MS);
  g_autofree char *added = NULL;
  g_autofree char *ended = NULL;
  g_autofree char *code = NULL;
  EventWait w = { f, NULL }, c = { f, NULL };

  g_assert_nonnull (path);
  added = g_strdup_printf ("%s incoming", path);
  g_assert_cmpuint (f->added->len, ==, 1);
  g_assert_cmpstr (f->added->pdata[0], ==, added);
  ended = g_strdup_printf ("%s ended", path);
  code = g_strdup_printf ("%s code 487", path);
  w.event = ended;
  c.event = code;
  if (!ap_test_run_until (has_event, &w, CALL_TIMEOUT_MS)
      || !ap_test_run_until (has_event, &c, 1000))
    {
      for (guint i = 0; i < f->call_events->len; i++)
        g_test_message ("call event: %s", (char *) f->call_events->pdata[i]);
      g_assert_not_reached ();
    }
  assert_sipp_passed (sipp, 15000);
  g_assert_true (ap_test_run_until (no_calls, f, 3000));
  g_assert_true (ap_test_phone_wait_call_removed (f->phone, path, 3000));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sipp-calls/early-media", Fixture, NULL, fixture_setup, test_early_media,
              fixture_teardown);
  g_test_add ("/sipp-calls/redirect-302", Fixture, NULL, fixture_setup, test_redirect,
              fixture_teardown);
  g_test_add ("/sipp-calls/ring-timeout", Fixture, NULL, fixture_setup, test_ring_timeout,
              fixture_teardown);
  g_test_add ("/sipp-calls/reinvite-without-sdp", Fixture, NULL, fixture_setup,
              test_reinvite_without_sdp, fixture_teardown);
  g_test_add ("/sipp-calls/update-hold", Fixture, NULL, fixture_setup, test_update_hold,
              fixture_teardown);
  g_test_add ("/sipp-calls/bye-unknown-dialog", Fixture, NULL, fixture_setup,
              test_bye_unknown_dialog, fixture_teardown);
  g_test_add ("/sipp-calls/cancel-race", Fixture, NULL, fixture_setup, test_cancel_race,
              fixture_teardown);
  return g_test_run ();
}
