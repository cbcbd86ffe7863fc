/* test-video-calls.c: video between two real instances over SIP on
 * 127.0.0.1, driven over DBus. A's camera is `videotestsrc pattern=ball`,
 * B's the SMPTE bars; each has a tone for audio. Checked: a video call
 * (VP8, H.264) shows the far end's picture in snapshots (PNG at 640×480,
 * not blank, moving between two snapshots), Snapshot to a path and to the
 * recordings dir, SnapshotBase64; an audio call upgraded to video and back
 * from either side, with VideoRequested and the audio going on; RecordClip
 * lasting what was asked (gst-discoverer-1.0); and the contract's errors
 * for an audio-only call and bad arguments. Set AP_VIDEO_KEEP=<dir> to keep
 * the far-side snapshots. */
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "ap-test-calls.h"

#define WAIT_MS 15000

typedef struct {
  ApTestBus *bus_a, *bus_b;
  ApTestPhone *a, *b;
  char *wav_a, *wav_b;
  ApDbusCall *call_a, *call_b;
} Fixture;

static ApTestPhone *
start_phone (ApTestBus *bus, guint freq, const char *pattern, char **wav)
{
  g_autofree char *home = ap_test_make_dir ("video-phone");
  g_autofree char *config = g_build_filename (home, "config", "agentphone", NULL);
  g_autofree char *settings = g_build_filename (config, "settings.json", NULL);
  g_autofree char *audio_in = g_strdup_printf (
    "AGENTPHONE_AUDIO_INPUT=audiotestsrc is-live=true freq=%u volume=0.5 samplesperbuffer=480",
    freq);
  g_autofree char *video_in
    = g_strdup_printf ("AGENTPHONE_VIDEO_INPUT=videotestsrc is-live=true pattern=%s", pattern);
  g_autofree char *audio_out = NULL;
  const char *env[4];

  g_mkdir_with_parents (config, 0700);
  g_assert_true (g_file_set_contents (settings, AP_TEST_TONE_SETTINGS, -1, NULL));
  *wav = g_build_filename (home, "received.wav", NULL);
  audio_out = g_strdup_printf ("AGENTPHONE_AUDIO_OUTPUT=wavenc ! filesink location=%s", *wav);
  env[0] = audio_in;
  env[1] = video_in;
  env[2] = audio_out;
  env[3] = NULL;
  return ap_test_phone_start (bus, home, env);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->bus_a = ap_test_bus_new ();
  f->bus_b = ap_test_bus_new ();
  f->a = start_phone (f->bus_a, 440, "ball", &f->wav_a);
  f->b = start_phone (f->bus_b, 880, "smpte", &f->wav_b);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->call_a);
  g_clear_object (&f->call_b);
  g_clear_pointer (&f->a, ap_test_phone_free);
  g_clear_pointer (&f->b, ap_test_phone_free);
  g_clear_pointer (&f->bus_a, ap_test_bus_free);
  g_clear_pointer (&f->bus_b, ap_test_bus_free);
  g_free (f->wav_a);
  g_free (f->wav_b);
}

static gboolean
has_video (gpointer data)
{
  return ap_dbus_call_get_video (data);
}

static gboolean
has_no_video (gpointer data)
{
  return !ap_dbus_call_get_video (data);
}

/* Call.Stats carries the video's counters while it runs. */
static gboolean
counts_frames (gpointer data)
{
  g_autoptr (GVariant) stats = ap_dbus_call_dup_stats (data);
  guint received = 0, sent = 0;

  if (stats == NULL || !g_variant_lookup (stats, "video-frames-received", "u", &received)
      || !g_variant_lookup (stats, "video-frames-sent", "u", &sent))
    return FALSE;
  g_test_message ("Stats: %u video frames received, %u sent", received, sent);
  return received > 10 && sent > 10;
}

static gboolean
has_camera (gpointer data)
{
  return ap_dbus_video_get_camera_open (data);
}

static gboolean
has_no_camera (gpointer data)
{
  return !ap_dbus_video_get_camera_open (data);
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

/* A dials B (with video or not), B answers (taking video or not). */
static void
connect (Fixture *f, gboolean offer_video, gboolean answer_video)
{
  g_autofree char *target
    = g_strdup_printf ("sip:agent@127.0.0.1:%u", ap_test_phone_get_listen_port (f->b));
  g_autoptr (GError) error = NULL;
  GVariant *options = g_variant_new_parsed ("{'video': <%b>}", offer_video);

  f->call_a = ap_test_dial (f->a, f->b, target, options, &f->call_b);
  ap_dbus_call_call_answer_sync (f->call_b, answer_video, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ap_test_call_wait_state (f->call_a, "connected", WAIT_MS));
  g_assert_true (ap_test_call_wait_state (f->call_b, "connected", WAIT_MS));
  g_assert_true (ap_test_call_wait_media_active (f->call_a, WAIT_MS));
}

/* The far end's picture, once one has arrived (bounded). */
static GBytes *
snapshot (ApDbusCall *call)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * 1000;

  while (TRUE)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *b64 = NULL;
      gsize len = 0;
      guchar *png;

      if (ap_dbus_call_call_snapshot_base64_sync (call, &b64, NULL, &error))
        {
          png = g_base64_decode (b64, &len);
          return g_bytes_new_take (png, len);
        }
      g_assert_true (ap_test_dbus_error_is (error, "io.github.agentphone.Error.InvalidState"));
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      ap_test_sleep (200);
    }
}

typedef struct {
  int width, height;
  double mean, deviation, max;
  GdkPixbuf *pixbuf;
} Picture;

static void
read_picture (GBytes *png, Picture *picture)
{
  g_autoptr (GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_type ("png", NULL);
  g_autoptr (GError) error = NULL;
  const guint8 *pixels;
  int stride, channels;
  double sum = 0, sum_sq = 0, n = 0;

  g_assert_cmpmem (g_bytes_get_data (png, NULL), 8, "\x89PNG\r\n\x1a\n", 8);
  g_assert_true (gdk_pixbuf_loader_write_bytes (loader, png, &error));
  g_assert_true (gdk_pixbuf_loader_close (loader, &error));
  g_assert_no_error (error);
  picture->pixbuf = g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
  picture->width = gdk_pixbuf_get_width (picture->pixbuf);
  picture->height = gdk_pixbuf_get_height (picture->pixbuf);
  pixels = gdk_pixbuf_read_pixels (picture->pixbuf);
  stride = gdk_pixbuf_get_rowstride (picture->pixbuf);
  channels = gdk_pixbuf_get_n_channels (picture->pixbuf);
  for (int y = 0; y < picture->height; y += 2)
    for (int x = 0; x < picture->width; x += 2)
      for (int c = 0; c < 3; c++)
        {
          double v = pixels[y * stride + x * channels + c];

          sum += v;
          sum_sq += v * v;
          picture->max = MAX (picture->max, v);
          n++;
        }
  picture->mean = sum / n;
  picture->deviation = sqrt (MAX (0.0, sum_sq / n - picture->mean * picture->mean));
}

static void
keep (GBytes *png, const char *name)
{
  const char *dir = g_getenv ("AP_VIDEO_KEEP");
  g_autofree char *path = NULL;

  if (dir == NULL)
    return;
  path = g_build_filename (dir, name, NULL);
  g_file_set_contents (path, g_bytes_get_data (png, NULL), (gssize) g_bytes_get_size (png), NULL);
}

/* B sees A's ball (a white disc moving on black); A sees B's bars. */
static void
assert_far_pictures (Fixture *f, const char *tag)
{
  g_autoptr (GBytes) ball = snapshot (f->call_b);
  g_autoptr (GBytes) bars = snapshot (f->call_a);
  g_autoptr (GBytes) ball_later = NULL;
  g_autofree char *ball_name = g_strdup_printf ("%s-ball.png", tag);
  g_autofree char *bars_name = g_strdup_printf ("%s-bars.png", tag);
  Picture p = { 0 }, q = { 0 }, r = { 0 };

  read_picture (ball, &p);
  read_picture (bars, &q);
  g_test_message ("%s: ball %dx%d mean %.1f sd %.1f; bars %dx%d mean %.1f sd %.1f", tag, p.width,
                  p.height, p.mean, p.deviation, q.width, q.height, q.mean, q.deviation);
  g_assert_cmpint (p.width, ==, 640);
  g_assert_cmpint (p.height, ==, 480);
  g_assert_cmpint (q.width, ==, 640);
  g_assert_cmpint (q.height, ==, 480);
  /* Not blank: the ball is a small bright disc, the bars are all contrast. */
  g_assert_cmpfloat (p.max, >, 200.0);
  g_assert_cmpfloat (p.deviation, >, 5.0);
  g_assert_cmpfloat (q.deviation, >, 50.0);
  /* The picture moves: frames keep arriving. */
  ap_test_sleep (700);
  ball_later = snapshot (f->call_b);
  read_picture (ball_later, &r);
  g_assert_false (g_bytes_equal (ball, ball_later));
  keep (ball, ball_name);
  keep (bars, bars_name);
  g_object_unref (p.pixbuf);
  g_object_unref (q.pixbuf);
  g_object_unref (r.pixbuf);
}

static void
test_vp8_call (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *wanted = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  connect (f, TRUE, TRUE);
  g_assert_true (ap_test_run_until (has_video, f->call_a, WAIT_MS));
  g_assert_true (ap_test_run_until (has_video, f->call_b, WAIT_MS));
  g_assert_cmpstr (ap_dbus_call_get_video_codec (f->call_a), ==, "vp8");
  g_assert_cmpstr (ap_dbus_call_get_video_codec (f->call_b), ==, "vp8");
  assert_far_pictures (f, "vp8");
  g_assert_true (ap_test_run_until (counts_frames, f->call_b, WAIT_MS));

  /* To a path, and to a new file in the recordings dir. */
  wanted = g_build_filename (ap_test_phone_get_home (f->b), "far.png", NULL);
  ap_dbus_call_call_snapshot_sync (f->call_b, wanted, &saved, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (saved, ==, wanted);
  g_assert_true (g_file_get_contents (saved, &contents, &length, NULL));
  g_assert_cmpmem (contents, 8, "\x89PNG\r\n\x1a\n", 8);
  g_clear_pointer (&saved, g_free);
  ap_test_phone_configure (f->b, "{'recordings-dir': <'/tmp'>}");
  ap_dbus_call_call_snapshot_sync (f->call_b, "", &saved, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (saved, "/tmp/snapshot-call"));
  g_assert_true (g_str_has_suffix (saved, ".png"));
  g_assert_true (g_file_test (saved, G_FILE_TEST_IS_REGULAR));
  g_unlink (saved);
  g_clear_pointer (&saved, g_free);
  ap_dbus_call_call_snapshot_sync (f->call_b, "relative.png", &saved, NULL, &error);
  g_assert_true (ap_test_dbus_error_is (error, "io.github.agentphone.Error.InvalidArgument"));
  g_test_message ("relative path: %s", error->message);
  ap_test_call_hangup (f->call_a);
  /* An ended call has no video any more. */
  g_assert_true (ap_test_call_wait_state (f->call_b, "ended", WAIT_MS));
  g_assert_true (ap_test_run_until (has_no_video, f->call_b, WAIT_MS));
  g_assert_true (ap_test_run_until (has_no_video, f->call_a, WAIT_MS));
}

static double clip_duration (const char *path);

static void
test_h264_call (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *b64 = NULL;
  g_autofree guchar *clip = NULL;
  g_autofree char *path = NULL;
  gsize length = 0;

  ap_test_phone_configure (f->a, "{'video-codecs': <['h264', 'vp8']>}");
  ap_test_phone_configure (f->b, "{'video-codecs': <['h264', 'vp8']>}");
  connect (f, TRUE, TRUE);
  g_assert_true (ap_test_run_until (has_video, f->call_a, WAIT_MS));
  g_assert_cmpstr (ap_dbus_call_get_video_codec (f->call_a), ==, "h264");
  g_assert_cmpstr (ap_dbus_call_get_video_codec (f->call_b), ==, "h264");
  assert_far_pictures (f, "h264");
  /* Matroska for H.264. */
  ap_dbus_call_call_record_clip_sync (f->call_a, 2, &b64, NULL, &error);
  g_assert_no_error (error);
  clip = g_base64_decode (b64, &length);
  g_assert_cmpmem (clip, 4, "\x1a\x45\xdf\xa3", 4);
  path = g_build_filename (ap_test_phone_get_home (f->a), "clip.mkv", NULL);
  g_assert_true (g_file_set_contents (path, (char *) clip, (gssize) length, NULL));
  g_assert_cmpfloat_with_epsilon (clip_duration (path), 2.0, 0.5);
  ap_test_call_hangup (f->call_a);
}

/* A video offer answered with Answer(false): an audio call. */
static void
test_answer_without_video (Fixture *f, gconstpointer data)
{
  connect (f, TRUE, FALSE);
  ap_test_sleep (500);
  g_assert_false (ap_dbus_call_get_video (f->call_a));
  g_assert_false (ap_dbus_call_get_video (f->call_b));
  g_assert_cmpstr (ap_dbus_call_get_video_codec (f->call_b), ==, "");
  ap_test_call_hangup (f->call_a);
}

static void
on_video_requested (ApDbusCall *call, gboolean *flag)
{
  *flag = TRUE;
}

/* @from asks for video: @to hears VideoRequested and, until it agrees,
 * neither side has video; then both do. */
static void
upgrade (ApDbusCall *from, ApDbusCall *to)
{
  g_autoptr (GError) error = NULL;
  gboolean requested = FALSE;
  gulong id = g_signal_connect (to, "video-requested", G_CALLBACK (on_video_requested), &requested);

  ap_dbus_call_call_request_video_sync (from, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ap_test_run_until (is_true, &requested, WAIT_MS));
  g_signal_handler_disconnect (to, id);
  g_assert_false (ap_dbus_call_get_video (from));
  g_assert_false (ap_dbus_call_get_video (to));
  g_assert_cmpstr (ap_dbus_call_get_state (to), ==, "connected");
  ap_dbus_call_call_request_video_sync (to, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ap_test_run_until (has_video, from, WAIT_MS));
  g_assert_true (ap_test_run_until (has_video, to, WAIT_MS));
}

static void
downgrade (ApDbusCall *from, ApDbusCall *to)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *b64 = NULL;

  ap_dbus_call_call_request_video_sync (from, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ap_test_run_until (has_no_video, from, WAIT_MS));
  g_assert_true (ap_test_run_until (has_no_video, to, WAIT_MS));
  ap_dbus_call_call_snapshot_base64_sync (to, &b64, NULL, &error);
  g_assert_true (ap_test_dbus_error_is (error, "io.github.agentphone.Error.InvalidState"));
}

static void
test_upgrade_and_back (Fixture *f, gconstpointer data)
{
  connect (f, FALSE, FALSE);
  g_assert_false (ap_dbus_call_get_video (f->call_a));

  upgrade (f->call_a, f->call_b);
  assert_far_pictures (f, "upgrade-a");
  downgrade (f->call_a, f->call_b);
  upgrade (f->call_b, f->call_a);
  assert_far_pictures (f, "upgrade-b");
  downgrade (f->call_b, f->call_a);
  g_assert_true (ap_dbus_call_get_media_active (f->call_a));
  ap_test_sleep (1000);
  ap_test_call_hangup (f->call_a);
  g_assert_true (ap_test_call_wait_state (f->call_b, "ended", WAIT_MS));
  /* The audio went on through all of it. */
  ap_test_assert_tone (f->wav_b, 440, 0.5, -0.2);
  ap_test_assert_tone (f->wav_a, 880, 0.5, -0.2);
}

/* The clip's length as gst-discoverer-1.0 reads it, in seconds. */
static double
clip_duration (const char *path)
{
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  const char *argv[] = { "gst-discoverer-1.0", uri, NULL };
  g_autofree char *out = NULL;
  g_autoptr (GError) error = NULL;
  int h = 0, m = 0;
  double s = -1;
  const char *line;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                               NULL, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("%s", out);
  line = strstr (out, "Duration: ");
  g_assert_nonnull (line);
  g_assert_cmpint (sscanf (line, "Duration: %d:%d:%lf", &h, &m, &s), ==, 3);
  g_assert_nonnull (strstr (out, "video"));
  return h * 3600 + m * 60 + s;
}

static void
test_record_clip (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *b64 = NULL;
  g_autofree char *path = NULL;
  g_autofree guchar *clip = NULL;
  gsize length = 0;
  double duration;

  connect (f, TRUE, TRUE);
  g_autoptr (GBytes) first = snapshot (f->call_b);
  ap_dbus_call_call_record_clip_sync (f->call_b, 3, &b64, NULL, &error);
  g_assert_no_error (error);
  clip = g_base64_decode (b64, &length);
  g_assert_cmpmem (clip, 4, "\x1a\x45\xdf\xa3", 4);
  path = g_build_filename (ap_test_phone_get_home (f->b), "clip.webm", NULL);
  g_assert_true (g_file_set_contents (path, (char *) clip, (gssize) length, NULL));
  duration = clip_duration (path);
  g_test_message ("RecordClip(3): %" G_GSIZE_FORMAT " bytes, %.2f s", length, duration);
  g_assert_cmpfloat_with_epsilon (duration, 3.0, 0.5);

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *none = NULL;
      g_autoptr (GError) bad = NULL;

      ap_dbus_call_call_record_clip_sync (f->call_b, i == 0 ? 0 : 11, &none, NULL, &bad);
      g_assert_true (ap_test_dbus_error_is (bad, "io.github.agentphone.Error.InvalidArgument"));
    }
  ap_test_call_hangup (f->call_a);
}

/* An audio call has no picture: the contract's InvalidState, said clearly. */
static void
test_audio_only_errors (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;

  connect (f, FALSE, FALSE);
  ap_dbus_call_call_snapshot_base64_sync (f->call_a, &out, NULL, &error);
  g_assert_true (ap_test_dbus_error_is (error, "io.github.agentphone.Error.InvalidState"));
  g_assert_nonnull (strstr (error->message, "no video"));
  g_clear_error (&error);
  ap_dbus_call_call_snapshot_sync (f->call_a, "", &out, NULL, &error);
  g_assert_true (ap_test_dbus_error_is (error, "io.github.agentphone.Error.InvalidState"));
  g_clear_error (&error);
  ap_dbus_call_call_record_clip_sync (f->call_a, 3, &out, NULL, &error);
  g_assert_true (ap_test_dbus_error_is (error, "io.github.agentphone.Error.InvalidState"));
  g_clear_error (&error);
  /* Dropping video that is not there: nothing to do. */
  ap_dbus_call_call_request_video_sync (f->call_a, FALSE, NULL, &error);
  g_assert_no_error (error);
  ap_test_call_hangup (f->call_a);
  g_assert_true (ap_test_call_wait_state (f->call_a, "ended", WAIT_MS));
  ap_dbus_call_call_request_video_sync (f->call_a, TRUE, NULL, &error);
  g_assert_nonnull (error);
}

/* Video cannot be asked for before the call is up. */
static void
test_request_video_while_ringing (Fixture *f, gconstpointer data)
{
  g_autofree char *target
    = g_strdup_printf ("sip:agent@127.0.0.1:%u", ap_test_phone_get_listen_port (f->b));
  g_autoptr (GError) error = NULL;

  f->call_a = ap_test_dial (f->a, f->b, target, NULL, &f->call_b);
  ap_dbus_call_call_request_video_sync (f->call_b, TRUE, NULL, &error);
  g_assert_true (ap_test_dbus_error_is (error, "io.github.agentphone.Error.InvalidState"));
  g_test_message ("%s", error->message);
  ap_test_call_hangup (f->call_a);
}

static ApDbusVideo *
video_proxy (ApTestPhone *phone)
{
  GDBusProxy *proxy = G_DBUS_PROXY (ap_test_phone_get_proxy (phone));
  g_autoptr (GError) error = NULL;
  ApDbusVideo *video = ap_dbus_video_proxy_new_sync (
    g_dbus_proxy_get_connection (proxy), G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START,
    g_dbus_proxy_get_name (proxy), g_dbus_proxy_get_object_path (proxy), NULL, &error);

  g_assert_no_error (error);
  return video;
}

/* A property write through org.freedesktop.DBus.Properties.Set. */
static gboolean
set_property (ApDbusVideo *video, const char *name, const char *value, GError **error)
{
  GDBusProxy *proxy = G_DBUS_PROXY (video);
  g_autoptr (GVariant) reply = g_dbus_connection_call_sync (
    g_dbus_proxy_get_connection (proxy), g_dbus_proxy_get_name (proxy),
    g_dbus_proxy_get_object_path (proxy), "org.freedesktop.DBus.Properties", "Set",
    g_variant_new ("(ssv)", "io.github.agentphone.Video", name, g_variant_new_string (value)), NULL,
    G_DBUS_CALL_FLAGS_NONE, 5000, NULL, error);

  return reply != NULL;
}

static gboolean
layout_is_side_by_side (gpointer data)
{
  return g_strcmp0 (ap_dbus_video_get_layout (data), "side-by-side") == 0;
}

/* Layout and DisplayMode: validated, kept in the settings; SetWindow
 * validated; the camera opened as a preview outside a call. */
static void
test_controls (Fixture *f, gconstpointer data)
{
  g_autoptr (ApDbusVideo) video = video_proxy (f->a);
  g_autoptr (GVariant) settings = NULL;
  g_autoptr (GError) error = NULL;
  const char *value = NULL;

  g_assert_cmpstr (ap_dbus_video_get_layout (video), ==, "picture-in-picture");
  g_assert_cmpstr (ap_dbus_video_get_display_mode (video), ==, "letterbox");
  g_assert_true (set_property (video, "Layout", "side-by-side", &error));
  g_assert_no_error (error);
  g_assert_true (ap_test_run_until (layout_is_side_by_side, video, WAIT_MS));
  g_assert_true (set_property (video, "DisplayMode", "crop", &error));
  g_assert_no_error (error);
  g_assert_false (set_property (video, "Layout", "diagonal", &error));
  g_assert_true (ap_test_dbus_error_is (error, "io.github.agentphone.Error.InvalidArgument"));
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_false (set_property (video, "DisplayMode", "stretch", &error));
  g_assert_true (ap_test_dbus_error_is (error, "io.github.agentphone.Error.InvalidArgument"));
  g_clear_error (&error);
  g_assert_false (set_property (video, "CameraOpen", "yes", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  /* Kept in the settings. */
  ap_dbus_phone_call_get_settings_sync (ap_test_phone_get_proxy (f->a), &settings, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_variant_lookup (settings, "video-layout", "&s", &value));
  g_assert_cmpstr (value, ==, "side-by-side");
  g_assert_true (g_variant_lookup (settings, "video-display-mode", "&s", &value));
  g_assert_cmpstr (value, ==, "crop");

  ap_dbus_video_call_set_window_sync (video, 10, 20, 320, 240, NULL, &error);
  g_assert_no_error (error);
  ap_dbus_video_call_set_window_sync (video, 0, 0, 0, 0, NULL, &error);
  g_assert_true (ap_test_dbus_error_is (error, "io.github.agentphone.Error.InvalidArgument"));
  g_clear_error (&error);

  g_assert_true (ap_dbus_video_get_camera_open (video));
  ap_dbus_video_call_close_camera_sync (video, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ap_test_run_until (has_no_camera, video, WAIT_MS));
  ap_dbus_video_call_open_camera_sync (video, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ap_test_run_until (has_camera, video, WAIT_MS));
  ap_test_sleep (500);
  ap_dbus_video_call_close_camera_sync (video, NULL, &error);
  g_assert_no_error (error);
}

static gboolean
picture_frozen (ApDbusCall *call)
{
  g_autoptr (GBytes) before = snapshot (call);
  g_autoptr (GBytes) after = NULL;

  ap_test_sleep (800);
  after = snapshot (call);
  return g_bytes_equal (before, after);
}

/* A closed camera sends nothing: the far end's picture stands still until
 * the camera opens again. */
static void
test_camera_in_call (Fixture *f, gconstpointer data)
{
  g_autoptr (ApDbusVideo) video = video_proxy (f->a);
  g_autoptr (GError) error = NULL;

  connect (f, TRUE, TRUE);
  g_assert_true (ap_test_run_until (has_video, f->call_b, WAIT_MS));
  g_assert_false (picture_frozen (f->call_b));
  ap_dbus_video_call_close_camera_sync (video, NULL, &error);
  g_assert_no_error (error);
  ap_test_sleep (500);
  g_assert_true (picture_frozen (f->call_b));
  ap_dbus_video_call_open_camera_sync (video, NULL, &error);
  g_assert_no_error (error);
  ap_test_sleep (1000);
  g_assert_false (picture_frozen (f->call_b));
  ap_test_call_hangup (f->call_a);
}

/* Hold keeps the video in the call (sendonly, like the audio); after
 * Resume the far end's picture moves again. */
static void
test_hold_keeps_video (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  connect (f, TRUE, TRUE);
  g_assert_true (ap_test_run_until (has_video, f->call_b, WAIT_MS));
  g_assert_false (picture_frozen (f->call_b));
  ap_dbus_call_call_hold_sync (f->call_a, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ap_test_call_wait_state (f->call_a, "held", WAIT_MS));
  g_assert_true (ap_dbus_call_get_video (f->call_a));
  g_assert_true (ap_dbus_call_get_video (f->call_b));
  ap_dbus_call_call_resume_sync (f->call_a, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ap_test_call_wait_state (f->call_a, "connected", WAIT_MS));
  g_assert_true (ap_dbus_call_get_video (f->call_a));
  ap_test_sleep (500);
  g_assert_false (picture_frozen (f->call_b));
  g_assert_false (picture_frozen (f->call_a));
  ap_test_call_hangup (f->call_a);
}

/* CPU time (user + system, all threads) of a process, in clock ticks. */
static guint64
cpu_ticks (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *text = NULL;
  g_auto (GStrv) fields = NULL;
  const char *after;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  after = strrchr (text, ')'); /* the command name may hold spaces */
  g_assert_nonnull (after);
  fields = g_strsplit (after + 2, " ", -1);
  /* Fields 14 and 15 of stat (utime, stime), counted from the state (3). */
  return g_ascii_strtoull (fields[11], NULL, 10) + g_ascii_strtoull (fields[12], NULL, 10);
}

/* Percent of one core each instance used over @seconds. */
static void
measure_cpu (Fixture *f, guint seconds, double *a, double *b)
{
  GPid pid_a = ap_test_phone_get_pid (f->a), pid_b = ap_test_phone_get_pid (f->b);
  guint64 a0 = cpu_ticks (pid_a), b0 = cpu_ticks (pid_b);
  gint64 t0 = g_get_monotonic_time ();
  double elapsed, hz = (double) sysconf (_SC_CLK_TCK);

  ap_test_sleep (seconds * 1000);
  elapsed = (g_get_monotonic_time () - t0) / (double) G_USEC_PER_SEC;
  *a = 100.0 * (cpu_ticks (pid_a) - a0) / hz / elapsed;
  *b = 100.0 * (cpu_ticks (pid_b) - b0) / hz / elapsed;
}

/* What one 640×480@15 VP8 call costs each instance, beside an audio call
 * (Opus with echo cancellation). Figures for the record; the bound only
 * catches a runaway (an encoder with real-time settings lost). */
static void
test_cpu (Fixture *f, gconstpointer data)
{
  double audio_a, audio_b, video_a, video_b;

  connect (f, FALSE, FALSE);
  ap_test_sleep (2000);
  measure_cpu (f, 8, &audio_a, &audio_b);
  ap_test_call_hangup (f->call_a);
  g_assert_true (ap_test_call_wait_state (f->call_b, "ended", WAIT_MS));
  g_clear_object (&f->call_a);
  g_clear_object (&f->call_b);
  ap_test_sleep (1000);

  connect (f, TRUE, TRUE);
  g_assert_true (ap_test_run_until (has_video, f->call_a, WAIT_MS));
  g_autoptr (GBytes) first = snapshot (f->call_a);
  ap_test_sleep (2000);
  measure_cpu (f, 15, &video_a, &video_b);
  g_test_message ("CPU, %% of one core: audio call A %.1f B %.1f; VP8 640x480@15 video call "
                  "A %.1f B %.1f (video adds %.1f / %.1f)",
                  audio_a, audio_b, video_a, video_b, video_a - audio_a, video_b - audio_b);
  g_assert_cmpfloat (video_a, <, 80.0);
  g_assert_cmpfloat (video_b, <, 80.0);
  ap_test_call_hangup (f->call_a);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(name, func)                                                                            \
  g_test_add ("/video-calls/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("vp8", test_vp8_call);
  ADD ("h264", test_h264_call);
  ADD ("answer-without-video", test_answer_without_video);
  ADD ("upgrade-and-back", test_upgrade_and_back);
  ADD ("record-clip", test_record_clip);
  ADD ("audio-only-errors", test_audio_only_errors);
  ADD ("request-video-while-ringing", test_request_video_while_ringing);
  ADD ("controls", test_controls);
  ADD ("camera-in-call", test_camera_in_call);
  ADD ("hold-keeps-video", test_hold_keeps_video);
  ADD ("cpu", test_cpu);
#undef ADD
  return g_test_run ();
}
