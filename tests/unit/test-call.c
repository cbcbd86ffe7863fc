/* The call state machine over a fake backend and a fake media session. */
#include <glib/gstdio.h>
#include <string.h>

#include "ap-call.h"
#include "ap-enums.h"
#include "ap-error.h"

/* ---- fakes ------------------------------------------------------------ */

#define FAKE_TYPE_CALL_BACKEND (fake_call_backend_get_type ())
G_DECLARE_FINAL_TYPE (FakeCallBackend, fake_call_backend, FAKE, CALL_BACKEND, GObject)

struct _FakeCallBackend {
  GObject parent_instance;
  guint answers, hangups, rejects;
  guint reject_code;
};

static gboolean
fake_answer (ApCallBackend *backend, GError **error)
{
  FAKE_CALL_BACKEND (backend)->answers++;
  return TRUE;
}

static gboolean
fake_hangup (ApCallBackend *backend, GError **error)
{
  FAKE_CALL_BACKEND (backend)->hangups++;
  return TRUE;
}

static gboolean
fake_reject (ApCallBackend *backend, guint code, GError **error)
{
  FAKE_CALL_BACKEND (backend)->rejects++;
  FAKE_CALL_BACKEND (backend)->reject_code = code;
  return TRUE;
}

static void
fake_backend_iface_init (ApCallBackendInterface *iface)
{
  iface->answer = fake_answer;
  iface->hangup = fake_hangup;
  iface->reject = fake_reject;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (FakeCallBackend, fake_call_backend, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (AP_TYPE_CALL_BACKEND,
                                                      fake_backend_iface_init))

static void
fake_call_backend_class_init (FakeCallBackendClass *klass)
{
}

static void
fake_call_backend_init (FakeCallBackend *self)
{
}

#define FAKE_TYPE_MEDIA (fake_media_get_type ())
G_DECLARE_FINAL_TYPE (FakeMedia, fake_media, FAKE, MEDIA, GObject)

struct _FakeMedia {
  GObject parent_instance;
  guint stops;
  gboolean muted;
  char *recording; /* the file being recorded, or NULL */
  gboolean stereo;
  gboolean recording_paused;
  guint recording_stops;
  guint stops_while_recording; /* stop() before the recording was finished */
};

static guint
fake_prepare (ApMediaSession *media, const char *address, GError **error)
{
  return 40000;
}

static gboolean
fake_start (ApMediaSession *media, const ApMediaParams *params, GError **error)
{
  return TRUE;
}

static void
fake_stop (ApMediaSession *media)
{
  FAKE_MEDIA (media)->stops++;
  if (FAKE_MEDIA (media)->recording != NULL)
    FAKE_MEDIA (media)->stops_while_recording++;
}

static gboolean
fake_start_recording (ApMediaSession *media, const char *path, gboolean stereo, GError **error)
{
  FakeMedia *self = FAKE_MEDIA (media);

  g_assert_null (self->recording);
  self->recording = g_strdup (path);
  self->stereo = stereo;
  return TRUE;
}

static void
fake_stop_recording (ApMediaSession *media)
{
  FakeMedia *self = FAKE_MEDIA (media);

  g_clear_pointer (&self->recording, g_free);
  self->recording_paused = FALSE;
  self->recording_stops++;
}

static void
fake_pause_recording (ApMediaSession *media, gboolean paused)
{
  FAKE_MEDIA (media)->recording_paused = paused;
}

static void
fake_set_muted (ApMediaSession *media, gboolean muted)
{
  FAKE_MEDIA (media)->muted = muted;
}

static void
fake_media_iface_init (ApMediaSessionInterface *iface)
{
  iface->prepare = fake_prepare;
  iface->start = fake_start;
  iface->stop = fake_stop;
  iface->set_muted = fake_set_muted;
  iface->start_recording = fake_start_recording;
  iface->stop_recording = fake_stop_recording;
  iface->pause_recording = fake_pause_recording;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (FakeMedia, fake_media, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (AP_TYPE_MEDIA_SESSION, fake_media_iface_init))

static void
fake_media_finalize (GObject *object)
{
  g_free (FAKE_MEDIA (object)->recording);
  G_OBJECT_CLASS (fake_media_parent_class)->finalize (object);
}

static void
fake_media_class_init (FakeMediaClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fake_media_finalize;
}

static void
fake_media_init (FakeMedia *self)
{
}

/* ---- fixture ---------------------------------------------------------- */

typedef struct {
  ApCall *call;
  FakeCallBackend *backend;
  FakeMedia *media;
  GPtrArray *states; /* "state code reason" */
} Fixture;

static void
on_state (ApCall *call, ApCallState state, guint code, const char *reason, Fixture *f)
{
  g_ptr_array_add (f->states,
                   g_strdup_printf ("%s %u %s", ap_call_state_to_string (state), code, reason));
}

static void
setup (Fixture *f, ApCallDirection direction)
{
  f->call = ap_call_new (direction, "sip:1002@example.com;transport=tcp", "Bob");
  f->backend = g_object_new (FAKE_TYPE_CALL_BACKEND, NULL);
  f->media = g_object_new (FAKE_TYPE_MEDIA, NULL);
  f->states = g_ptr_array_new_with_free_func (g_free);
  ap_call_set_backend (f->call, AP_CALL_BACKEND (f->backend));
  ap_call_set_media (f->call, AP_MEDIA_SESSION (f->media));
  g_signal_connect (f->call, "state-changed", G_CALLBACK (on_state), f);
}

static void
setup_outgoing (Fixture *f, gconstpointer data)
{
  setup (f, AP_CALL_DIRECTION_OUTGOING);
}

static void
setup_incoming (Fixture *f, gconstpointer data)
{
  setup (f, AP_CALL_DIRECTION_INCOMING);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_object_unref (f->call);
  g_object_unref (f->backend);
  g_object_unref (f->media);
  g_ptr_array_unref (f->states);
}

static void
assert_states (Fixture *f, const char *const *expected)
{
  g_assert_cmpuint (f->states->len, ==, g_strv_length ((GStrv) expected));
  for (guint i = 0; expected[i]; i++)
    g_assert_cmpstr (f->states->pdata[i], ==, expected[i]);
}

/* ---- tests ------------------------------------------------------------ */

static void
test_identity (Fixture *f, gconstpointer data)
{
  g_assert_cmpint (ap_call_get_state (f->call), ==, AP_CALL_STATE_DIALING);
  g_assert_cmpstr (ap_call_get_peer (f->call), ==, "sip:1002@example.com;transport=tcp");
  g_assert_cmpstr (ap_call_get_peer_number (f->call), ==, "1002");
  g_assert_cmpstr (ap_call_get_peer_name (f->call), ==, "Bob");
  g_assert_cmpuint (ap_call_get_id (f->call), >, 0);
  g_assert_cmpint (ap_call_get_start_time (f->call), ==, 0);
}

static void
test_outgoing_answered (Fixture *f, gconstpointer data)
{
  const char *const expected[]
    = { "ringing-back 180 Ringing", "connected 200 OK", "ended 200 Hung up", NULL };

  ap_call_remote_ringing (f->call, 180, "Ringing");
  ap_call_remote_ringing (f->call, 183, "Session Progress"); /* no second change */
  ap_call_connected (f->call, 200, "OK");
  g_assert_cmpint (ap_call_get_start_time (f->call), >, 0);
  g_assert_true (ap_call_hangup (f->call, NULL));
  g_assert_cmpuint (f->backend->hangups, ==, 1);
  ap_call_ended (f->call, 200, "Hung up");
  ap_call_ended (f->call, 500, "late"); /* ignored */
  assert_states (f, expected);
  g_assert_cmpuint (ap_call_get_end_code (f->call), ==, 200);
  g_assert_cmpuint (f->media->stops, >=, 1);
}

static void
test_outgoing_refused (Fixture *f, gconstpointer data)
{
  const char *const expected[] = { "ended 486 Busy (486 Busy Here)", NULL };

  ap_call_ended (f->call, 486, "Busy (486 Busy Here)");
  assert_states (f, expected);
  g_assert_cmpstr (ap_call_get_end_reason (f->call), ==, "Busy (486 Busy Here)");
  /* Late network events change nothing. */
  ap_call_connected (f->call, 200, "OK");
  g_assert_cmpint (ap_call_get_state (f->call), ==, AP_CALL_STATE_ENDED);
}

static void
test_illegal_operations (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (ap_call_answer (f->call, &error));
  g_assert_error (error, AP_ERROR, AP_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_false (ap_call_reject (f->call, 486, &error));
  g_assert_error (error, AP_ERROR, AP_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_cmpuint (f->backend->answers + f->backend->rejects, ==, 0);
  ap_call_ended (f->call, 487, "Cancelled");
  g_assert_false (ap_call_hangup (f->call, &error));
  g_assert_error (error, AP_ERROR, AP_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_false (ap_call_set_muted (f->call, TRUE, &error));
  g_assert_error (error, AP_ERROR, AP_ERROR_INVALID_STATE);
}

static void
test_incoming_answer (Fixture *f, gconstpointer data)
{
  const char *const expected[] = { "connected 200 Answered", NULL };

  g_assert_cmpint (ap_call_get_state (f->call), ==, AP_CALL_STATE_INCOMING);
  g_assert_true (ap_call_answer (f->call, NULL));
  g_assert_cmpuint (f->backend->answers, ==, 1);
  ap_call_connected (f->call, 200, "Answered");
  assert_states (f, expected);
}

static void
test_incoming_reject (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (ap_call_reject (f->call, 200, &error));
  g_assert_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT);
  g_assert_false (ap_call_reject (f->call, 700, NULL));
  g_assert_cmpuint (f->backend->rejects, ==, 0);
  g_assert_true (ap_call_reject (f->call, 603, NULL));
  g_assert_cmpuint (f->backend->reject_code, ==, 603);
}

static void
test_mute (Fixture *f, gconstpointer data)
{
  ap_call_connected (f->call, 200, "OK");
  g_assert_true (ap_call_set_muted (f->call, TRUE, NULL));
  g_assert_true (ap_call_get_muted (f->call));
  g_assert_true (f->media->muted);
  g_assert_true (ap_call_set_muted (f->call, FALSE, NULL));
  g_assert_false (f->media->muted);
}

static void
test_media_signals (Fixture *f, gconstpointer data)
{
  const char *const expected[] = { "connected 200 OK", "ended 500 Audio failed: no device", NULL };

  ap_call_connected (f->call, 200, "OK");
  ap_media_session_emit_active (AP_MEDIA_SESSION (f->media), TRUE);
  g_assert_true (ap_call_get_media_active (f->call));
  /* A media failure ends the call instead of leaving dead air. */
  g_test_expect_message ("Agentphone-core", G_LOG_LEVEL_WARNING, "*Audio failed*");
  ap_media_session_emit_error (AP_MEDIA_SESSION (f->media), "no device");
  g_test_assert_expected_messages ();
  assert_states (f, expected);
  g_assert_cmpuint (f->backend->hangups, ==, 1);
  g_assert_false (ap_call_get_media_active (f->call));
}

static void
test_tel_peer (void)
{
  g_autoptr (ApCall) call
    = ap_call_new (AP_CALL_DIRECTION_INCOMING, "tel:+4930123;phone-context=x", NULL);

  g_assert_cmpstr (ap_call_get_peer_number (call), ==, "+4930123");
  g_assert_cmpstr (ap_call_get_peer_name (call), ==, "");
}

/* ---- quality (ap-call-quality.c) -------------------------------------- */

static void
emit_stats (Fixture *f, double loss, guint64 received)
{
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "loss-percent", "d", loss);
  g_variant_dict_insert (&dict, "delay-ms", "d", 100.0);
  g_variant_dict_insert (&dict, "packets-received", "t", received);
  ap_media_session_emit_stats (AP_MEDIA_SESSION (f->media), g_variant_dict_end (&dict));
}

static void
count_notify (GObject *object, GParamSpec *pspec, guint *count)
{
  (*count)++;
}

static double
call_stat (Fixture *f, const char *key)
{
  double value = -1.0;

  g_assert_true (g_variant_lookup (ap_call_get_stats (f->call), key, "d", &value));
  return value;
}

/* The media's facts become the call's stats, with the E-model's MOS. */
static void
test_stats (Fixture *f, gconstpointer data)
{
  guint notified = 0;

  g_assert_cmpuint (g_variant_n_children (ap_call_get_stats (f->call)), ==, 0);
  g_signal_connect (f->call, "notify::stats", G_CALLBACK (count_notify), &notified);
  ap_call_set_audio_codec (f->call, "pcma");
  ap_call_connected (f->call, 200, "OK");
  /* Nothing received yet: no score. */
  emit_stats (f, 0.0, 0);
  g_assert_cmpfloat (call_stat (f, "mos"), ==, 0.0);
  emit_stats (f, 0.0, 50);
  g_assert_cmpuint (notified, ==, 2);
  g_assert_cmpfloat_with_epsilon (call_stat (f, "mos"), 4.36, 0.01);
  g_assert_cmpfloat_with_epsilon (call_stat (f, "loss-percent"), 0.0, 1e-9);
  emit_stats (f, 10.0, 100);
  g_assert_cmpuint (notified, ==, 3);
  g_assert_cmpfloat (call_stat (f, "mos"), <, 2.0);
  /* Kept after the end; nothing more is taken. */
  ap_call_ended (f->call, 200, "Hung up");
  emit_stats (f, 0.0, 150);
  g_assert_cmpuint (notified, ==, 3);
  g_assert_cmpfloat (call_stat (f, "mos"), <, 2.0);
}

static gboolean
on_quit (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static void
run_for (guint ms)
{
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  g_timeout_add (ms, on_quit, loop);
  g_main_loop_run (loop);
}

typedef struct {
  Fixture *f;
  guint64 received;
} Feeder;

static gboolean
on_feed (gpointer data)
{
  Feeder *feeder = data;

  emit_stats (feeder->f, 0.0, feeder->received += 10);
  return G_SOURCE_CONTINUE;
}

/* No RTP for rtp-timeout seconds: the call ends with 408 and a BYE; RTP
 * that keeps coming, or a hold, keeps it. */
static void
test_rtp_timeout (Fixture *f, gconstpointer data)
{
  Feeder feeder = { f, 0 };
  guint feed;

  ap_call_set_rtp_timeout (f->call, 1);
  ap_call_connected (f->call, 200, "OK");
  feed = g_timeout_add (300, on_feed, &feeder);
  run_for (2200);
  g_source_remove (feed);
  g_assert_cmpint (ap_call_get_state (f->call), ==, AP_CALL_STATE_CONNECTED);

  ap_call_hold_changed (f->call, TRUE, 200, "OK");
  run_for (2200);
  g_assert_cmpint (ap_call_get_state (f->call), ==, AP_CALL_STATE_HELD);
  ap_call_hold_changed (f->call, FALSE, 200, "OK");
  run_for (2500);
  g_assert_cmpint (ap_call_get_state (f->call), ==, AP_CALL_STATE_ENDED);
  g_assert_cmpuint (ap_call_get_end_code (f->call), ==, 408);
  g_assert_nonnull (strstr (ap_call_get_end_reason (f->call), "rtp-timeout"));
  g_assert_cmpuint (f->backend->hangups, ==, 1);
  g_assert_cmpuint (f->media->stops, >=, 1);
}

static void
test_rtp_timeout_never (Fixture *f, gconstpointer data)
{
  ap_call_set_rtp_timeout (f->call, 0);
  ap_call_connected (f->call, 200, "OK");
  run_for (2500);
  g_assert_cmpint (ap_call_get_state (f->call), ==, AP_CALL_STATE_CONNECTED);
  g_assert_cmpuint (f->backend->hangups, ==, 0);
}

/* Settings in memory with @text merged, recording into a fresh folder
 * (*@dir, not created yet). */
static ApSettings *
recording_settings (const char *text, char **dir)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *base = g_dir_make_tmp ("ap-test-call-XXXXXX", &error);
  g_autofree char *file = NULL;
  g_autoptr (GVariant) values = NULL;
  ApSettings *settings;

  g_assert_no_error (error);
  file = g_build_filename (base, "settings.json", NULL);
  *dir = g_build_filename (base, "rec", NULL);
  settings = ap_settings_new (file);
  values = g_variant_ref_sink (g_variant_new_parsed (text, *dir));
  g_assert_true (ap_settings_merge (settings, values, &error));
  g_assert_no_error (error);
  return settings;
}

static void
remove_recording_dir (const char *dir)
{
  g_autofree char *base = g_path_get_dirname (dir);
  g_autofree char *file = g_build_filename (base, "settings.json", NULL);

  g_rmdir (dir);
  g_unlink (file);
  g_rmdir (base);
}

static void
test_recording (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *stopped = NULL;
  g_autoptr (ApSettings) settings
    = recording_settings ("{'recordings-dir': <%s>, 'recording-channels': <'stereo'>}", &dir);
  GStatBuf st;

  ap_call_set_settings (f->call, settings);
  /* Not before the call is in progress. */
  g_assert_null (ap_call_start_recording (f->call, NULL, &error));
  g_assert_error (error, AP_ERROR, AP_ERROR_INVALID_STATE);
  g_clear_error (&error);
  ap_call_connected (f->call, 200, "OK");

  g_assert_false (ap_call_pause_recording (f->call, &error));
  g_assert_error (error, AP_ERROR, AP_ERROR_INVALID_STATE);
  g_clear_error (&error);
  path = ap_call_start_recording (f->call, "", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (path, dir));
  g_assert_nonnull (strstr (path, "_1002_call-"));
  g_assert_true (g_str_has_suffix (path, ".mkv"));
  g_assert_cmpstr (f->media->recording, ==, path);
  g_assert_true (f->media->stereo);
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0777, ==, 0700);
  g_assert_true (ap_call_get_recording (f->call));
  g_assert_cmpstr (ap_call_get_recording_path (f->call), ==, path);

  g_assert_null (ap_call_start_recording (f->call, NULL, &error));
  g_assert_error (error, AP_ERROR, AP_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_true (ap_call_pause_recording (f->call, &error));
  g_assert_true (f->media->recording_paused);
  g_assert_true (ap_call_get_recording_paused (f->call));
  g_assert_false (ap_call_pause_recording (f->call, &error));
  g_assert_error (error, AP_ERROR, AP_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_true (ap_call_resume_recording (f->call, &error));
  g_assert_false (f->media->recording_paused);
  g_assert_false (ap_call_resume_recording (f->call, &error));
  g_assert_error (error, AP_ERROR, AP_ERROR_INVALID_STATE);
  g_clear_error (&error);

  stopped = ap_call_stop_recording (f->call, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stopped, ==, path);
  g_assert_false (ap_call_get_recording (f->call));
  g_assert_cmpstr (ap_call_get_recording_path (f->call), ==, path);
  g_assert_null (ap_call_stop_recording (f->call, &error));
  g_assert_error (error, AP_ERROR, AP_ERROR_INVALID_STATE);
  g_clear_error (&error);

  g_assert_null (ap_call_start_recording (f->call, "relative.mkv", &error));
  g_assert_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (ap_call_start_recording (f->call, "/nonexistent-folder/a.mkv", &error));
  g_assert_error (error, AP_ERROR, AP_ERROR_FAILED);
  g_clear_error (&error);
  remove_recording_dir (dir);
}

/* The call ends: the recording is finished before the media stops and
 * before anyone sees `ended`; auto-record started it at connect. */
static void
on_state_check_recording (ApCall *call, ApCallState state, guint code, const char *reason,
                          gpointer data)
{
  if (state == AP_CALL_STATE_ENDED)
    g_assert_false (ap_call_get_recording (call));
}

static void
test_recording_auto_and_end (Fixture *f, gconstpointer data)
{
  g_autofree char *dir = NULL;
  g_autoptr (ApSettings) settings
    = recording_settings ("{'recordings-dir': <%s>, 'auto-record': <true>}", &dir);

  ap_call_set_settings (f->call, settings);
  g_signal_connect (f->call, "state-changed", G_CALLBACK (on_state_check_recording), NULL);
  ap_call_connected (f->call, 200, "OK");
  g_assert_true (ap_call_get_recording (f->call));
  g_assert_nonnull (f->media->recording);
  g_assert_false (f->media->stereo);
  ap_call_ended (f->call, 200, "Hung up");
  g_assert_cmpuint (f->media->recording_stops, ==, 1);
  g_assert_cmpuint (f->media->stops_while_recording, ==, 0);
  g_assert_false (ap_call_get_recording (f->call));
  g_assert_true (g_str_has_prefix (ap_call_get_recording_path (f->call), dir));
  remove_recording_dir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, setup, fn) g_test_add ("/call/" path, Fixture, NULL, setup, fn, teardown)
  ADD ("identity", setup_outgoing, test_identity);
  ADD ("outgoing-answered", setup_outgoing, test_outgoing_answered);
  ADD ("outgoing-refused", setup_outgoing, test_outgoing_refused);
  ADD ("illegal-operations", setup_outgoing, test_illegal_operations);
  ADD ("incoming-answer", setup_incoming, test_incoming_answer);
  ADD ("incoming-reject", setup_incoming, test_incoming_reject);
  ADD ("mute", setup_outgoing, test_mute);
  ADD ("media-signals", setup_outgoing, test_media_signals);
  ADD ("stats", setup_outgoing, test_stats);
  ADD ("rtp-timeout", setup_outgoing, test_rtp_timeout);
  ADD ("rtp-timeout-never", setup_outgoing, test_rtp_timeout_never);
  ADD ("recording", setup_outgoing, test_recording);
  ADD ("recording-auto-and-end", setup_outgoing, test_recording_auto_and_end);
#undef ADD
  g_test_add_func ("/call/tel-peer", test_tel_peer);
  return g_test_run ();
}
