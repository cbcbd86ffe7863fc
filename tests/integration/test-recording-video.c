/* test-recording-video.c: recording a video call, with two real
 * instances on 127.0.0.1 driven over DBus. A (440 Hz, a bouncing ball)
 * records in stereo (agent left, far end right); B, the far end, sends
 * 880 Hz and the SMPTE bars. Each file is checked by gst-discoverer-1.0
 * (Matroska, Opus + VP8, duration) and decoded here with GStreamer: the
 * far end's tone measured per 20 ms, and every video frame's time and
 * picture (luma mean and deviation: the bars are far from blank). Also:
 * an H.264 call, auto-record, the audio/video offset, SIGKILL mid-recording, video dropped and
 * added mid-recording, and a full disk (a 300 KiB tmpfs mounted for the test). */
#define _GNU_SOURCE /* unshare() */
#include <errno.h>
#include <glib/gstdio.h>
#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <unistd.h>

#include "ap-test-calls.h"
#include "ap-wav.h"

#define WAIT_MS 15000
#define FAR_CHANNEL 1 /* stereo recording: the far end is on the right */
#define SMALL_DISK_BYTES (300 * 1024)
#define BLANK_DEVIATION 10.0 /* luma deviation below this: a flat picture */

typedef struct {
  ApTestBus *bus_a, *bus_b;
  ApTestPhone *a, *b;
  ApDbusCall *call_a, *call_b;
  char *dir;     /* A's recordings-dir */
  char *mounted; /* a tmpfs to unmount, or NULL */
} Fixture;

static ApTestPhone *
start_phone (ApTestBus *bus, guint freq, const char *pattern)
{
  g_autofree char *home = ap_test_make_dir ("recvideo-phone");
  g_autofree char *config = g_build_filename (home, "config", "agentphone", NULL);
  g_autofree char *settings = g_build_filename (config, "settings.json", NULL);
  g_autofree char *audio_in = g_strdup_printf (
    "AGENTPHONE_AUDIO_INPUT=audiotestsrc is-live=true freq=%u volume=0.5 samplesperbuffer=480",
    freq);
  g_autofree char *video_in
    = g_strdup_printf ("AGENTPHONE_VIDEO_INPUT=videotestsrc is-live=true pattern=%s", pattern);
  const char *env[] = { audio_in, video_in, "AGENTPHONE_AUDIO_OUTPUT=fakesink sync=true", NULL };

  g_mkdir_with_parents (config, 0700);
  g_assert_true (g_file_set_contents (settings, AP_TEST_TONE_SETTINGS, -1, NULL));
  return ap_test_phone_start (bus, home, env);
}

static void
configure_dir (Fixture *f, const char *dir)
{
  g_autofree char *text
    = g_strdup_printf ("{'recordings-dir': <'%s'>, 'recording-channels': <'stereo'>}", dir);

  g_free (f->dir);
  f->dir = g_strdup (dir);
  ap_test_phone_configure (f->a, text);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autofree char *dir = ap_test_make_dir ("recvideo-files");

  /* A 300 KiB disk: a few seconds of a video call's recording. It is
   * mounted in a mount namespace of this test's own (the phones started
   * next share it), so it goes away with the test even if it fails.
   * Where mounting is not allowed (no CAP_SYS_ADMIN, or
   * AP_TEST_NO_MOUNT=1), A gets a 300 KiB file size limit instead. */
  if (data != NULL && g_getenv ("AP_TEST_NO_MOUNT") == NULL && unshare (CLONE_NEWNS) == 0
      && mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0
      && mount ("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, "size=300k,mode=0700") == 0)
    f->mounted = g_strdup (dir);
  else if (data != NULL)
    g_test_message ("No tmpfs (%s): a file size limit instead",
                    g_getenv ("AP_TEST_NO_MOUNT") ? "AP_TEST_NO_MOUNT" : g_strerror (errno));
  f->bus_a = ap_test_bus_new ();
  f->bus_b = ap_test_bus_new ();
  f->a = start_phone (f->bus_a, 440, "ball");
  if (data != NULL && f->mounted == NULL)
    {
      struct rlimit limit = { SMALL_DISK_BYTES, SMALL_DISK_BYTES };

      g_assert_cmpint (prlimit (ap_test_phone_get_pid (f->a), RLIMIT_FSIZE, &limit, NULL), ==, 0);
    }
  f->b = start_phone (f->bus_b, 880, "smpte");
  configure_dir (f, dir);
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
  if (f->mounted != NULL && umount2 (f->mounted, MNT_DETACH) != 0)
    g_warning ("Could not unmount %s: %s", f->mounted, g_strerror (errno));
  g_free (f->mounted);
  g_free (f->dir);
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

static gboolean
is_recording (gpointer data)
{
  return ap_dbus_call_get_recording (data);
}

static gboolean
not_recording (gpointer data)
{
  return !ap_dbus_call_get_recording (data);
}

/* The far end's frames are decoded at A (Call.Stats). */
static gboolean
receives_frames (gpointer data)
{
  g_autoptr (GVariant) stats = ap_dbus_call_dup_stats (data);
  guint received = 0;

  return stats != NULL && g_variant_lookup (stats, "video-frames-received", "u", &received)
         && received > 15;
}

/* A dials B (with video or not), B answers alike; media flowing. */
static void
connect (Fixture *f, gboolean video)
{
  g_autofree char *target
    = g_strdup_printf ("sip:agent@127.0.0.1:%u", ap_test_phone_get_listen_port (f->b));
  g_autoptr (GError) error = NULL;

  f->call_a = ap_test_dial (f->a, f->b, target, g_variant_new_parsed ("{'video': <%b>}", video),
                            &f->call_b);
  ap_dbus_call_call_answer_sync (f->call_b, video, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ap_test_call_wait_state (f->call_a, "connected", WAIT_MS));
  g_assert_true (ap_test_call_wait_state (f->call_b, "connected", WAIT_MS));
  g_assert_true (ap_test_call_wait_media_active (f->call_a, WAIT_MS));
  if (video)
    {
      g_assert_true (ap_test_run_until (has_video, f->call_a, WAIT_MS));
      g_assert_true (ap_test_run_until (receives_frames, f->call_a, WAIT_MS));
    }
}

static char *
start_recording (ApDbusCall *call)
{
  g_autoptr (GError) error = NULL;
  char *out = NULL;

  ap_dbus_call_call_start_recording_sync (call, "", &out, NULL, &error);
  g_assert_no_error (error);
  return out;
}

static void
stop_recording (ApDbusCall *call, const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;

  ap_dbus_call_call_stop_recording_sync (call, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, path);
}

/* gst-discoverer-1.0's view: the duration in seconds; asserts Matroska
 * with one Opus track and one VP8 track, or (@video false) no video. */
static double
discover (const char *path, gboolean video)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *argv[] = { "gst-discoverer-1.0", path, NULL };
  const char *duration;
  int status = -1, h = 0, m = 0;
  double s = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                               &err, &status, &error));
  g_assert_no_error (error);
  g_test_message ("gst-discoverer-1.0 %s:\n%s%s", path, out, err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (out, "container #0: Matroska"));
  g_assert_nonnull (strstr (out, "audio #"));
  g_assert_nonnull (strstr (out, ": Opus"));
  if (video)
    g_assert_nonnull (strstr (out, ": VP8"));
  else
    g_assert_null (strstr (out, "video #"));
  duration = strstr (out, "Duration: ");
  g_assert_nonnull (duration);
  g_assert_cmpint (sscanf (duration, "Duration: %d:%d:%lf", &h, &m, &s), ==, 3);
  return h * 3600 + m * 60 + s;
}

/* Runs a gst-launch description to its end (bounded). */
static void
run_pipeline (GstElement *pipeline)
{
  g_autoptr (GstBus) bus = gst_element_get_bus (pipeline);
  g_autoptr (GstMessage) message = NULL;

  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=,
                   GST_STATE_CHANGE_FAILURE);
  message = gst_bus_timed_pop_filtered (bus, 30 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (message);
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autoptr (GError) error = NULL;

      gst_message_parse_error (message, &error, NULL);
      g_error ("Decoding failed: %s", error->message);
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
}

/* The file's audio track as 16-bit PCM. */
static ApWav *
decode_audio (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = ap_test_make_dir ("recvideo-decoded"); /* never on the full disk */
  g_autofree char *wav_path = g_build_filename (dir, "audio.wav", NULL);
  g_autofree char *description = g_strdup_printf (
    "filesrc location=\"%s\" ! matroskademux name=d d.audio_0 ! queue ! opusdec ! audioconvert "
    "! audio/x-raw,format=S16LE ! wavenc ! filesink location=\"%s\"",
    path, wav_path);
  g_autoptr (GstElement) pipeline = gst_parse_launch (description, &error);
  ApWav *wav = NULL;

  g_assert_no_error (error);
  run_pipeline (pipeline);
  g_assert_true (ap_wav_load (wav_path, &wav, &error));
  g_assert_no_error (error);
  g_test_message ("audio: %.2f s, %u channels", ap_wav_duration_s (wav), wav->channels);
  return wav;
}

typedef struct {
  double pts;       /* seconds */
  double mean;      /* luma, 0–255 */
  double deviation; /* luma */
  double change;    /* mean absolute luma difference from the frame before */
} Frame;

static void
measure (GstSample *sample, Frame *frame, guint8 *previous)
{
  GstBuffer *buffer = gst_sample_get_buffer (sample);
  GstMapInfo map;
  double sum = 0, sum_sq = 0;

  frame->pts = (double) GST_BUFFER_PTS (buffer) / GST_SECOND;
  g_assert_true (gst_buffer_map (buffer, &map, GST_MAP_READ));
  /* 160×120 GRAY8: rows are 160 bytes, no padding. */
  g_assert_cmpuint (map.size, ==, 160 * 120);
  frame->change = 0;
  for (gsize i = 0; i < map.size; i++)
    {
      sum += map.data[i];
      sum_sq += (double) map.data[i] * map.data[i];
      frame->change += abs ((int) map.data[i] - (int) previous[i]);
      previous[i] = map.data[i];
    }
  frame->change /= map.size;
  frame->mean = sum / map.size;
  frame->deviation = sqrt (MAX (0.0, sum_sq / map.size - frame->mean * frame->mean));
  gst_buffer_unmap (buffer, &map);
}

/* Every frame of the file's video track, decoded. */
static GArray *
decode_video (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *description = g_strdup_printf (
    "filesrc location=\"%s\" ! matroskademux name=d d.video_0 ! queue ! vp8dec ! videoconvert "
    "! videoscale ! video/x-raw,format=GRAY8,width=160,height=120 "
    "! appsink name=frames sync=false",
    path);
  g_autoptr (GstElement) pipeline = gst_parse_launch (description, &error);
  g_autoptr (GstElement) sink = NULL;
  GArray *frames = g_array_new (FALSE, TRUE, sizeof (Frame));
  g_autofree guint8 *previous = g_malloc0 (160 * 120);
  GstSample *sample;

  g_assert_no_error (error);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "frames");
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=,
                   GST_STATE_CHANGE_FAILURE);
  while ((sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), 10 * GST_SECOND)) != NULL)
    {
      Frame frame;

      measure (sample, &frame, previous);
      g_array_append_val (frames, frame);
      gst_sample_unref (sample);
    }
  g_assert_true (gst_app_sink_is_eos (GST_APP_SINK (sink)));
  gst_element_set_state (pipeline, GST_STATE_NULL);
  g_test_message ("video: %u frames, %.2f to %.2f s", frames->len,
                  frames->len ? g_array_index (frames, Frame, 0).pts : 0.0,
                  frames->len ? g_array_index (frames, Frame, frames->len - 1).pts : 0.0);
  return frames;
}

static gboolean
is_picture (const Frame *frame)
{
  return frame->deviation > BLANK_DEVIATION;
}

/* Of the frames in [start, end): how many show a picture, of how many. */
static void
count_pictures (GArray *frames, double start, double end, guint *pictures, guint *total)
{
  *pictures = *total = 0;
  for (guint i = 0; i < frames->len; i++)
    {
      const Frame *frame = &g_array_index (frames, Frame, i);

      if (frame->pts < start || frame->pts >= end)
        continue;
      (*total)++;
      *pictures += is_picture (frame);
    }
  g_test_message ("[%.1f, %.1f s): %u of %u frames show a picture", start, end, *pictures, *total);
}

static double
far_tone (const ApWav *wav, double start, double end)
{
  double level = ap_wav_tone_dbfs (wav, FAR_CHANNEL, start, end, 880);

  g_test_message ("far end [%.1f, %.1f s]: 880 Hz %.1f dBFS", start, end, level);
  return level;
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

/* A's CPU use over @ms, in % of a core. */
static double
cpu_percent (Fixture *f, guint ms)
{
  guint64 before = cpu_ticks (ap_test_phone_get_pid (f->a));

  ap_test_sleep (ms);
  return 100.0 * (double) (cpu_ticks (ap_test_phone_get_pid (f->a)) - before)
         / sysconf (_SC_CLK_TCK) / (ms / 1000.0);
}

/* A video call recorded 5 s: audio and video, 5 ± 0.5 s, the far end's
 * picture (not blank, ~15 frames/s) and tone all along. */
static void
test_video_call (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL;
  g_autoptr (ApWav) wav = NULL;
  g_autoptr (GArray) frames = NULL;
  guint pictures, total;
  double duration;
  gint64 started, stopping;
  double before, during;

  connect (f, TRUE);
  before = cpu_percent (f, 2000);
  path = start_recording (f->call_a);
  started = g_get_monotonic_time ();
  ap_test_sleep (1000);
  during = cpu_percent (f, 4000);
  g_test_message ("CPU of the recording phone: %.1f %% of a core before, %.1f %% while recording",
                  before, during);
  stopping = g_get_monotonic_time ();
  stop_recording (f->call_a, path);
  g_test_message ("StopRecording took %.0f ms",
                  (double) (g_get_monotonic_time () - stopping) / 1000);
  g_assert_cmpstr (ap_dbus_call_get_state (f->call_a), ==, "connected");

  duration = discover (path, TRUE);
  g_test_message ("duration %.2f s (%.2f s from StartRecording's reply to StopRecording's call)",
                  duration, (double) (stopping - started) / G_USEC_PER_SEC);
  g_assert_cmpfloat (fabs (duration - 5.0), <=, 0.5);
  wav = decode_audio (path);
  g_assert_cmpuint (wav->channels, ==, 2);
  g_assert_cmpfloat (fabs (ap_wav_duration_s (wav) - 5.0), <=, 0.5);
  g_assert_cmpfloat (far_tone (wav, 0.5, 4.5), >, -30.0);
  frames = decode_video (path);
  count_pictures (frames, 0.5, 4.5, &pictures, &total);
  /* 15 frames/s, and the far end's picture in (nearly) every one. */
  g_assert_cmpuint (total, >=, 55);
  g_assert_cmpuint (pictures, >=, total - 2);
  g_test_message ("a frame at %.2f s: luma mean %.1f, deviation %.1f",
                  g_array_index (frames, Frame, total / 2).pts,
                  g_array_index (frames, Frame, total / 2).mean,
                  g_array_index (frames, Frame, total / 2).deviation);
  g_assert_cmpfloat (g_array_index (frames, Frame, total / 2).deviation, >, 40.0);
}

/* An H.264 call is recorded the same way (decoded, VP8 in the file). */
static void
test_h264_call (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL;
  g_autoptr (GArray) frames = NULL;
  guint pictures, total;

  ap_test_phone_configure (f->a, "{'video-codecs': <['h264', 'vp8']>}");
  ap_test_phone_configure (f->b, "{'video-codecs': <['h264', 'vp8']>}");
  connect (f, TRUE);
  g_assert_cmpstr (ap_dbus_call_get_video_codec (f->call_a), ==, "h264");
  path = start_recording (f->call_a);
  ap_test_sleep (3000);
  stop_recording (f->call_a, path);
  g_assert_cmpfloat (fabs (discover (path, TRUE) - 3.0), <=, 0.5);
  frames = decode_video (path);
  count_pictures (frames, 0.5, 2.5, &pictures, &total);
  g_assert_cmpuint (total, >=, 25);
  g_assert_cmpuint (pictures, >=, total - 2);
}

/* auto-record on a video call: recording from the moment it connects,
 * before the first frame has arrived, with the video; finished when the
 * far end hangs up. */
static void
test_auto_record (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL;
  g_autoptr (GArray) frames = NULL;
  guint pictures, total;

  ap_test_phone_configure (f->a, "{'auto-record': <true>}");
  connect (f, TRUE);
  g_assert_true (ap_test_run_until (is_recording, f->call_a, WAIT_MS));
  path = g_strdup (ap_dbus_call_get_recording_path (f->call_a));
  ap_test_sleep (3000);
  ap_test_call_hangup (f->call_b);
  g_assert_true (ap_test_call_wait_state (f->call_a, "ended", WAIT_MS));
  g_assert_cmpfloat (discover (path, TRUE), >=, 3.0);
  frames = decode_video (path);
  count_pictures (frames, 1.0, 3.0, &pictures, &total);
  g_assert_cmpuint (total, >=, 25);
  g_assert_cmpuint (pictures, >=, total - 2);
}

/* The first 20 ms window from @after on where the far end's tone is gone. */
static double
audio_stops (const ApWav *wav, double after)
{
  for (double t = after; t + 0.02 <= ap_wav_duration_s (wav); t += 0.01)
    if (ap_wav_rms_dbfs (wav, FAR_CHANNEL, t, t + 0.02) < -50.0)
      return t;
  g_assert_not_reached ();
}

/* The first frame from @after on that stands still: the bars' noise
 * strip changes every frame (by ~3 luma levels on average) while the far
 * end sends; a repeated picture changes by less than 0.6. */
static double
video_stops (GArray *frames, double after)
{
  for (guint i = 0; i < frames->len; i++)
    {
      const Frame *frame = &g_array_index (frames, Frame, i);

      if (frame->pts >= after && frame->change < 0.6)
        return frame->pts;
      g_assert_true (frame->pts < after || frame->change > 1.5);
    }
  g_assert_not_reached ();
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

/* Audio/video offset: the far end mutes and closes its camera at one
 * moment (two DBus calls, a few ms apart); in the file its tone stops at
 * t_a and its picture stands still from t_v. t_v - t_a is how much later
 * the far end's video comes out than its audio, to within a frame. */
static void
test_av_sync (Fixture *f, gconstpointer data)
{
  g_autoptr (ApDbusVideo) camera_b = video_proxy (f->b);
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr (ApWav) wav = NULL;
  g_autoptr (GArray) frames = NULL;
  double t_audio, t_video, offset;

  connect (f, TRUE);
  path = start_recording (f->call_a);
  ap_test_sleep (2500);
  ap_dbus_call_call_set_muted_sync (f->call_b, TRUE, NULL, &error);
  g_assert_no_error (error);
  ap_dbus_video_call_close_camera_sync (camera_b, NULL, &error);
  g_assert_no_error (error);
  ap_test_sleep (2000);
  stop_recording (f->call_a, path);

  wav = decode_audio (path);
  frames = decode_video (path);
  g_assert_cmpfloat (far_tone (wav, 0.5, 2.0), >, -30.0);
  t_audio = audio_stops (wav, 1.0);
  t_video = video_stops (frames, 1.0);
  offset = t_video - t_audio;
  g_test_message ("far end's tone stops at %.3f s, its picture at %.3f s: video %+.0f ms against "
                  "audio",
                  t_audio, t_video, offset * 1000);
  g_assert_cmpfloat (t_audio, >, 1.5);
  /* Roughly in sync: within four frames (measured -110 to -170 ms: the
   * video comes out ahead; one frame, 67 ms, is the resolution here). */
  g_assert_cmpfloat (fabs (offset), <, 0.25);
}

/* SIGKILL 4 s in: the file still plays, audio and video, to within 1 s. */
static void
test_killed (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL;
  g_autoptr (ApWav) wav = NULL;
  g_autoptr (GArray) frames = NULL;
  gint64 started;
  double elapsed, last_frame;
  guint pictures, total;

  connect (f, TRUE);
  path = start_recording (f->call_a);
  started = g_get_monotonic_time ();
  ap_test_sleep (4000);
  elapsed = (double) (g_get_monotonic_time () - started) / G_USEC_PER_SEC;
  ap_test_phone_signal (f->a, SIGKILL);
  g_assert_true (ap_test_phone_wait_exit (f->a, 5000, NULL));
  g_clear_pointer (&f->a, ap_test_phone_free);

  wav = decode_audio (path);
  frames = decode_video (path);
  g_assert_cmpuint (frames->len, >, 0);
  last_frame = g_array_index (frames, Frame, frames->len - 1).pts;
  g_test_message ("killed after %.2f s: audio plays %.2f s, video to %.2f s", elapsed,
                  ap_wav_duration_s (wav), last_frame);
  g_assert_cmpfloat (ap_wav_duration_s (wav), >=, elapsed - 1.0);
  g_assert_cmpfloat (last_frame, >=, elapsed - 1.0);
  g_assert_cmpfloat (far_tone (wav, 0.5, ap_wav_duration_s (wav) - 0.2), >, -30.0);
  count_pictures (frames, 0.5, last_frame, &pictures, &total);
  g_assert_cmpuint (pictures, >=, total - 2);
}

/* Video dropped mid-recording: the same file goes on, the audio as
 * before, the video track black from half a second after the drop. */
static void
test_video_dropped (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr (ApWav) wav = NULL;
  g_autoptr (GArray) frames = NULL;
  double dropped, total_s;
  guint pictures, total;
  gint64 started;

  connect (f, TRUE);
  path = start_recording (f->call_a);
  started = g_get_monotonic_time ();
  ap_test_sleep (2000);
  ap_dbus_call_call_request_video_sync (f->call_a, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ap_test_run_until (has_no_video, f->call_a, WAIT_MS));
  dropped = (double) (g_get_monotonic_time () - started) / G_USEC_PER_SEC;
  g_assert_true (ap_dbus_call_get_recording (f->call_a));
  ap_test_sleep (2000);
  stop_recording (f->call_a, path);
  total_s = (double) (g_get_monotonic_time () - started) / G_USEC_PER_SEC;

  g_test_message ("video dropped %.2f s into a %.2f s recording", dropped, total_s);
  g_assert_cmpfloat (fabs (discover (path, TRUE) - total_s), <=, 0.5);
  wav = decode_audio (path);
  g_assert_cmpfloat (far_tone (wav, 0.5, 1.8), >, -30.0);
  g_assert_cmpfloat (far_tone (wav, dropped + 0.3, total_s - 0.3), >, -30.0);
  frames = decode_video (path);
  count_pictures (frames, 0.5, 1.8, &pictures, &total);
  g_assert_cmpuint (pictures, >=, total - 2);
  count_pictures (frames, dropped + 0.2, total_s - 0.2, &pictures, &total);
  g_assert_cmpuint (total, >=, 15);
  g_assert_cmpuint (pictures, ==, 0);
}

static void
on_video_requested (ApDbusCall *call, gboolean *flag)
{
  *flag = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

/* Video added mid-recording: the recording stays one audio-only file (its
 * tracks were fixed when it started) and keeps running through the
 * re-INVITE; a new recording of the call has the video. */
static void
test_video_added (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *second = NULL;
  g_autoptr (ApWav) wav = NULL;
  gboolean requested = FALSE;
  gint64 started;
  double total_s;

  connect (f, FALSE);
  path = start_recording (f->call_a);
  started = g_get_monotonic_time ();
  ap_test_sleep (1500);
  g_signal_connect (f->call_b, "video-requested", G_CALLBACK (on_video_requested), &requested);
  ap_dbus_call_call_request_video_sync (f->call_a, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ap_test_run_until (is_true, &requested, WAIT_MS));
  ap_dbus_call_call_request_video_sync (f->call_b, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ap_test_run_until (has_video, f->call_a, WAIT_MS));
  g_assert_true (ap_dbus_call_get_recording (f->call_a));
  ap_test_sleep (2000);
  stop_recording (f->call_a, path);
  total_s = (double) (g_get_monotonic_time () - started) / G_USEC_PER_SEC;

  g_assert_cmpfloat (fabs (discover (path, FALSE) - total_s), <=, 0.5);
  wav = decode_audio (path);
  g_assert_cmpfloat (far_tone (wav, 0.3, 1.3), >, -30.0);
  g_assert_cmpfloat (far_tone (wav, total_s - 1.5, total_s - 0.3), >, -30.0);

  g_assert_true (ap_test_run_until (receives_frames, f->call_a, WAIT_MS));
  second = start_recording (f->call_a);
  g_assert_cmpstr (second, !=, path);
  ap_test_sleep (1500);
  stop_recording (f->call_a, second);
  g_assert_cmpfloat (fabs (discover (second, TRUE) - 1.5), <=, 0.5);
}

static void
on_recording_failed (ApDbusCall *call, const char *reason, char **out)
{
  g_free (*out);
  *out = g_strdup (reason);
}

static gboolean
is_set (gpointer data)
{
  return *(char **) data != NULL;
}

/* A full disk (or a file size limit): the recording stops with
 * RecordingFailed saying so, the call goes on, and what was written plays
 * (audio and video). */
static void
test_full_disk (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL;
  g_autofree char *reason = NULL;
  g_autoptr (ApWav) wav = NULL;
  g_autoptr (GArray) frames = NULL;
  gint64 started;
  GStatBuf st;

  connect (f, TRUE);
  g_signal_connect (f->call_a, "recording-failed", G_CALLBACK (on_recording_failed), &reason);
  path = start_recording (f->call_a);
  g_assert_true (g_str_has_prefix (path, f->dir));
  g_assert_true (ap_test_run_until (is_recording, f->call_a, WAIT_MS));
  started = g_get_monotonic_time ();
  g_assert_true (ap_test_run_until (not_recording, f->call_a, 30000));
  g_test_message ("the disk was full after %.1f s",
                  (double) (g_get_monotonic_time () - started) / G_USEC_PER_SEC);
  g_assert_true (ap_test_run_until (is_set, &reason, 2000));
  g_test_message ("RecordingFailed: %s", reason);
  g_assert_true (strstr (reason, f->mounted ? "disk is full" : "File too large") != NULL);
  g_assert_nonnull (strstr (reason, path));
  g_assert_cmpstr (ap_dbus_call_get_state (f->call_a), ==, "connected");
  g_assert_cmpstr (ap_dbus_call_get_recording_path (f->call_a), ==, path);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_test_message ("%s: %" G_GINT64_FORMAT " bytes", path, (gint64) st.st_size);
  g_assert_cmpint (st.st_size, >, SMALL_DISK_BYTES * 2 / 3);
  g_assert_cmpint (st.st_size, <=, SMALL_DISK_BYTES);

  wav = decode_audio (path);
  frames = decode_video (path);
  g_assert_cmpfloat (ap_wav_duration_s (wav), >=, 1.0);
  g_assert_cmpuint (frames->len, >=, 10);
  g_assert_cmpfloat (far_tone (wav, 0.3, ap_wav_duration_s (wav) - 0.3), >, -30.0);
  g_unlink (path);
  ap_test_call_hangup (f->call_a);
  g_assert_true (ap_test_call_wait_state (f->call_a, "ended", WAIT_MS));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

  g_test_add ("/recording-video/video-call", Fixture, NULL, fixture_setup, test_video_call,
              fixture_teardown);
  g_test_add ("/recording-video/h264", Fixture, NULL, fixture_setup, test_h264_call,
              fixture_teardown);
  g_test_add ("/recording-video/auto-record", Fixture, NULL, fixture_setup, test_auto_record,
              fixture_teardown);
  g_test_add ("/recording-video/av-sync", Fixture, NULL, fixture_setup, test_av_sync,
              fixture_teardown);
  g_test_add ("/recording-video/killed", Fixture, NULL, fixture_setup, test_killed,
              fixture_teardown);
  g_test_add ("/recording-video/video-dropped", Fixture, NULL, fixture_setup, test_video_dropped,
              fixture_teardown);
  g_test_add ("/recording-video/video-added", Fixture, NULL, fixture_setup, test_video_added,
              fixture_teardown);
  g_test_add ("/recording-video/full-disk", Fixture, "small disk", fixture_setup, test_full_disk,
              fixture_teardown);
  return g_test_run ();
}
