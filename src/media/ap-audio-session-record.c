/* ap-audio-session-record.c: recording one call's audio into Matroska.
 *
 * The recording is a pipeline of its own, fed by pad probes on the call's
 * pipeline, so it lives through a new call pipeline (a codec change in a
 * re-INVITE) and its file is finished whatever happens to the call:
 *
 *   call: send-valve.src (what we send, after mute and in-band DTMF) ─┐ copies
 *         mix-caps.src (what we receive, before the speaker volume)  ─┤
 *   appsrc (agent)   → audioconvert → audioresample → [pan left]  ┐
 *   appsrc (far end) → audioconvert → audioresample → [pan right] ├ audiomixer
 *   audiotestsrc (silence, live) ─────────────────────────────────┘
 *     → caps (48 kHz, 1 or 2 channels) → opusenc → matroskamux → filesink
 *
 * Opus, not FLAC: a call centre keeps thousands of hours of speech; Opus
 * voice at 32 kbit/s per channel is ~15 MB an hour against ~150 for FLAC,
 * and every player reads it. The live silence source makes the mixer run
 * on the clock, so paused spans, hold and a far end that stopped sending
 * come out as silence and the file keeps real time. Crash safety: an
 * unbuffered filesink and clusters of at most half a second, so SIGKILL
 * loses no more than that (the muxer rewrites the duration and index only
 * at EOS).
 *
 * A recording started while the call has video gets a video track too:
 * the far end's picture (ap-recorder-video.c). Matroska fixes its tracks
 * when the first data is written, so that is decided when the recording
 * starts: video added to the call later is not in the file (the audio goes
 * on in the same file), video dropped later leaves the track black. */
#define G_LOG_DOMAIN "Agentphone-media"

#include "ap-audio-session-private.h"

#include <errno.h>
#include <fcntl.h>
#include <gst/app/gstappsrc.h>
#include <glib/gstdio.h>
#include <string.h>

#include "ap-error.h"
#include "ap-recorder-video.h"

#define RECORD_RATE 48000
#define RECORD_MIXER_LATENCY_MS 200
#define RECORD_CLUSTER_NS (500 * GST_MSECOND)
#define RECORD_BITRATE_PER_CHANNEL 32000
#define RECORD_FINISH_TIMEOUT (3 * GST_SECOND)
/* A feed more than this off its own continuous timeline starts anew there
 * (after a pause, a hold, or a new call pipeline). */
#define RECORD_RESYNC_NS (80 * GST_MSECOND)

typedef enum { FEED_AGENT, FEED_FAR_END, N_FEEDS } FeedKind;

/* One direction of the call, shared between the main context and the
 * call's streaming thread that runs the probe (hence the refcount: the
 * probe keeps its feed alive until GStreamer drops the probe). */
typedef struct {
  gatomicrefcount refs;
  GstElement *appsrc;
  GstClock *clock;
  GstClockTime base_time;
  gint paused;           /* atomic */
  GstClockTime next_pts; /* streaming thread only */
  guint rate;
  GstPad *tapped; /* main context: the call pipeline's pad, while attached */
  gulong probe_id;
} Feed;

struct _ApAudioRecorder {
  GstElement *pipeline;
  GstElement *silence;
  Feed *feeds[N_FEEDS];
  ApRecorderVideo *video; /* NULL: an audio-only recording */
  char *path;
  gboolean stereo;
};

static Feed *
feed_ref (Feed *feed)
{
  g_atomic_ref_count_inc (&feed->refs);
  return feed;
}

static void
feed_unref (gpointer data)
{
  Feed *feed = data;

  if (!g_atomic_ref_count_dec (&feed->refs))
    return;
  gst_clear_object (&feed->appsrc);
  gst_clear_object (&feed->clock);
  g_free (feed);
}

/* Streaming thread of the call pipeline: a copy of the call's audio, on
 * the recording's clock. Timestamps run on from the previous buffer so
 * the mixer sees a continuous stream; a feed that stopped (paused, held,
 * rebuilt) starts again at the current time. */
static GstPadProbeReturn
on_call_audio (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  Feed *feed = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  GstClockTime now, pts;
  gsize frames;

  if (g_atomic_int_get (&feed->paused) || feed->rate == 0)
    return GST_PAD_PROBE_OK;
  now = gst_clock_get_time (feed->clock) - feed->base_time;
  frames = gst_buffer_get_size (buffer) / sizeof (gint16);
  pts = feed->next_pts;
  if (!GST_CLOCK_TIME_IS_VALID (pts)
      || GST_CLOCK_DIFF (pts, now) > (GstClockTimeDiff) RECORD_RESYNC_NS
      || GST_CLOCK_DIFF (now, pts) > (GstClockTimeDiff) RECORD_RESYNC_NS)
    pts = now;
  buffer = gst_buffer_copy (buffer);
  GST_BUFFER_PTS (buffer) = pts;
  GST_BUFFER_DTS (buffer) = GST_CLOCK_TIME_NONE;
  GST_BUFFER_DURATION (buffer) = gst_util_uint64_scale_int (frames, GST_SECOND, feed->rate);
  feed->next_pts = pts + GST_BUFFER_DURATION (buffer);
  /* Never blocks: a full queue (a stuck disk) drops, the call goes on. */
  gst_app_src_push_buffer (GST_APP_SRC (feed->appsrc), buffer);
  return GST_PAD_PROBE_OK;
}

static GstElement *
add (GstElement *pipeline, const char *factory, GError **error)
{
  GstElement *element = ap_audio_make_element (factory, NULL, error);

  if (element != NULL)
    gst_bin_add (GST_BIN (pipeline), element);
  return element;
}

static GstCaps *
record_caps (gboolean stereo)
{
  return gst_caps_new_simple ("audio/x-raw", "format", G_TYPE_STRING, "S16LE", "layout",
                              G_TYPE_STRING, "interleaved", "rate", G_TYPE_INT, RECORD_RATE,
                              "channels", G_TYPE_INT, stereo ? 2 : 1, NULL);
}

/* appsrc → convert → resample [→ pan] → mixer */
static gboolean
build_feed (ApAudioRecorder *rec, FeedKind kind, GstElement *mixer, GError **error)
{
  GstElement *src, *convert, *resample, *pan = NULL;
  Feed *feed;

  if ((src = add (rec->pipeline, "appsrc", error)) == NULL
      || (convert = add (rec->pipeline, "audioconvert", error)) == NULL
      || (resample = add (rec->pipeline, "audioresample", error)) == NULL
      || (rec->stereo && (pan = add (rec->pipeline, "audiopanorama", error)) == NULL))
    return FALSE;
  g_object_set (src, "is-live", TRUE, "format", GST_FORMAT_TIME, "min-latency", (gint64) 0,
                "max-bytes", (guint64) 0, "max-buffers", (guint64) 0, "max-time",
                (guint64) 2 * GST_SECOND, "block", FALSE, NULL);
  gst_util_set_object_arg (G_OBJECT (src), "leaky-type", "downstream");
  if (pan != NULL)
    {
      /* Simple panning: the other channel gets nothing of this one. */
      gst_util_set_object_arg (G_OBJECT (pan), "method", "simple");
      g_object_set (pan, "panorama", kind == FEED_AGENT ? -1.0f : 1.0f, NULL);
    }
  if (!gst_element_link_many (src, convert, resample, NULL)
      || (pan != NULL && !gst_element_link (resample, pan))
      || !gst_element_link (pan != NULL ? pan : resample, mixer))
    {
      g_set_error (error, AP_ERROR, AP_ERROR_FAILED, "Could not build the recording pipeline");
      return FALSE;
    }
  feed = g_new0 (Feed, 1);
  g_atomic_ref_count_init (&feed->refs);
  feed->appsrc = gst_object_ref (src);
  feed->next_pts = GST_CLOCK_TIME_NONE;
  rec->feeds[kind] = feed;
  return TRUE;
}

static gboolean
build_recorder (ApAudioRecorder *rec, gboolean with_video, GError **error)
{
  g_autoptr (GstCaps) caps = record_caps (rec->stereo);
  GstElement *mixer, *filter, *encoder, *mux, *sink;

  rec->pipeline = gst_object_ref_sink (gst_pipeline_new ("recording"));
  if ((rec->silence = add (rec->pipeline, "audiotestsrc", error)) == NULL
      || (mixer = add (rec->pipeline, "audiomixer", error)) == NULL
      || (filter = add (rec->pipeline, "capsfilter", error)) == NULL
      || (encoder = add (rec->pipeline, "opusenc", error)) == NULL
      || (mux = add (rec->pipeline, "matroskamux", error)) == NULL
      || (sink = add (rec->pipeline, "filesink", error)) == NULL)
    return FALSE;
  gst_util_set_object_arg (G_OBJECT (rec->silence), "wave", "silence");
  g_object_set (rec->silence, "is-live", TRUE, "samplesperbuffer", RECORD_RATE / 50, NULL);
  /* Room for the call's streaming threads to be late by a scheduling
   * hiccup before the mixer gives up on them. */
  g_object_set (mixer, "latency", (guint64) RECORD_MIXER_LATENCY_MS * GST_MSECOND, NULL);
  g_object_set (filter, "caps", caps, NULL);
  gst_util_set_object_arg (G_OBJECT (encoder), "audio-type", "voice");
  g_object_set (encoder, "bitrate", RECORD_BITRATE_PER_CHANNEL * (rec->stereo ? 2 : 1), NULL);
  g_object_set (mux, "max-cluster-duration", (gint64) RECORD_CLUSTER_NS, "min-cluster-duration",
                (gint64) RECORD_CLUSTER_NS, NULL);
  gst_util_set_object_arg (G_OBJECT (sink), "buffer-mode", "unbuffered");
  g_object_set (sink, "location", rec->path, "async", FALSE, NULL);
  if (!gst_element_link_filtered (rec->silence, mixer, caps)
      || !gst_element_link_many (mixer, filter, encoder, mux, sink, NULL))
    {
      g_set_error (error, AP_ERROR, AP_ERROR_FAILED, "Could not build the recording pipeline");
      return FALSE;
    }
  return build_feed (rec, FEED_AGENT, mixer, error) && build_feed (rec, FEED_FAR_END, mixer, error)
         && (!with_video || (rec->video = ap_recorder_video_build (rec->pipeline, mux, error)));
}

static void
detach_feed (Feed *feed)
{
  if (feed == NULL || feed->tapped == NULL)
    return;
  gst_pad_remove_probe (feed->tapped, feed->probe_id);
  gst_clear_object (&feed->tapped);
  feed->probe_id = 0;
}

static void
attach_feed (Feed *feed, GstElement *element, const GstCaps *caps)
{
  GstStructure *s = gst_caps_get_structure (caps, 0);
  int rate = 0;

  detach_feed (feed);
  if (element == NULL)
    return;
  gst_structure_get_int (s, "rate", &rate);
  feed->rate = (guint) rate;
  feed->next_pts = GST_CLOCK_TIME_NONE;
  gst_app_src_set_caps (GST_APP_SRC (feed->appsrc), caps);
  feed->tapped = gst_element_get_static_pad (element, "src");
  feed->probe_id = gst_pad_add_probe (feed->tapped, GST_PAD_PROBE_TYPE_BUFFER, on_call_audio,
                                      feed_ref (feed), feed_unref);
}

/* Ends the file: EOS through the muxer (it writes the duration and the
 * index), bounded so a stuck disk cannot hang the call. */
static void
finish_recorder (ApAudioRecorder *rec)
{
  g_autoptr (GstBus) bus = gst_pipeline_get_bus (GST_PIPELINE (rec->pipeline));
  g_autoptr (GstMessage) message = NULL;

  for (guint i = 0; i < N_FEEDS; i++)
    {
      detach_feed (rec->feeds[i]);
      gst_app_src_end_of_stream (GST_APP_SRC (rec->feeds[i]->appsrc));
    }
  gst_element_send_event (rec->silence, gst_event_new_eos ());
  if (rec->video != NULL)
    ap_recorder_video_end (rec->video);
  message
    = gst_bus_timed_pop_filtered (bus, RECORD_FINISH_TIMEOUT, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  if (message == NULL)
    g_warning ("The recording %s did not finish within %d s; it plays but may lack its duration",
               rec->path, (int) (RECORD_FINISH_TIMEOUT / GST_SECOND));
  else if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autoptr (GError) error = NULL;

      gst_message_parse_error (message, &error, NULL);
      g_warning ("The recording %s could not be finished: %s", rec->path, error->message);
    }
}

static void
recorder_free (ApAudioRecorder *rec)
{
  if (rec->pipeline != NULL)
    {
      g_autoptr (GstBus) bus = gst_pipeline_get_bus (GST_PIPELINE (rec->pipeline));

      gst_bus_remove_watch (bus);
      gst_element_set_state (rec->pipeline, GST_STATE_NULL);
    }
  for (guint i = 0; i < N_FEEDS; i++)
    if (rec->feeds[i] != NULL)
      {
        detach_feed (rec->feeds[i]);
        feed_unref (rec->feeds[i]);
      }
  g_clear_pointer (&rec->video, ap_recorder_video_free);
  gst_clear_object (&rec->pipeline);
  g_free (rec->path);
  g_free (rec);
}

/* Main context: a recording that fails (a full disk) ends; the call goes on. */
static gboolean
on_recorder_bus (GstBus *bus, GstMessage *message, gpointer user_data)
{
  ApAudioSession *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *debug = NULL;
  g_autofree char *text = NULL;
  const char *cause;

  if (GST_MESSAGE_TYPE (message) != GST_MESSAGE_ERROR || self->recorder == NULL)
    return G_SOURCE_CONTINUE;
  gst_message_parse_error (message, &error, &debug);
  /* The system's reason (e.g. “File too large”) ends the debug text. */
  cause = debug != NULL && strrchr (debug, '\n') != NULL ? strrchr (debug, '\n') + 1 : "";
  if (g_error_matches (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NO_SPACE_LEFT))
    text = g_strdup_printf ("Recording to %s stopped: the disk is full (what was written plays); "
                            "free some space or set recordings-dir to another disk",
                            self->recorder->path);
  else if (g_error_matches (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_WRITE) && *cause != '\0')
    text = g_strdup_printf ("Recording to %s stopped: it cannot be written: %s (what was written "
                            "plays)",
                            self->recorder->path, cause);
  else
    text = g_strdup_printf ("Recording to %s failed: %s", self->recorder->path, error->message);
  g_warning ("%s", text);
  g_clear_pointer (&self->recorder, recorder_free);
  ap_media_session_emit_recording_failed (AP_MEDIA_SESSION (self), text);
  return G_SOURCE_REMOVE;
}

/* Creates @path itself: owner-only, and never over an existing file. */
static gboolean
create_file (const char *path, GError **error)
{
  int fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  int saved = errno;

  if (fd < 0)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_FAILED, "Cannot create the recording “%s”: %s%s", path,
                   g_strerror (saved),
                   saved == EEXIST ? " (choose another name)"
                                   : "; choose a folder you can write to (setting recordings-dir)");
      return FALSE;
    }
  g_close (fd, NULL);
  return TRUE;
}

/** ap_audio_session_record_attach: feed the recording from the (new) call pipeline */
void
ap_audio_session_record_attach (ApAudioSession *self)
{
  g_autoptr (GstCaps) caps = NULL;
  GstElement *mix;

  if (self->recorder == NULL || self->pipeline == NULL)
    return;
  caps = ap_audio_codec_raw_caps (self->codec);
  mix = gst_bin_get_by_name (GST_BIN (self->pipeline), "mix-caps");
  attach_feed (self->recorder->feeds[FEED_AGENT], self->send_valve, caps);
  attach_feed (self->recorder->feeds[FEED_FAR_END], mix, caps);
  gst_clear_object (&mix);
}

/** ap_audio_session_record_detach: the call pipeline is going away; the recording stays */
void
ap_audio_session_record_detach (ApAudioSession *self)
{
  if (self->recorder == NULL)
    return;
  for (guint i = 0; i < N_FEEDS; i++)
    detach_feed (self->recorder->feeds[i]);
}

gboolean
ap_audio_session_record_start (ApMediaSession *session, const char *path, gboolean stereo,
                               GError **error)
{
  ApAudioSession *self = AP_AUDIO_SESSION (session);
  g_autoptr (GstBus) bus = NULL;
  ApAudioRecorder *rec;

  if (self->recorder != NULL)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_STATE, "Already recording to %s",
                   self->recorder->path);
      return FALSE;
    }
  if (!create_file (path, error))
    return FALSE;
  rec = g_new0 (ApAudioRecorder, 1);
  rec->path = g_strdup (path);
  rec->stereo = stereo;
  if (!build_recorder (rec, self->video != NULL && ap_video_session_is_running (self->video), error)
      || gst_element_set_state (rec->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, AP_ERROR, AP_ERROR_FAILED, "The recording to %s could not start", path);
      recorder_free (rec);
      g_unlink (path);
      return FALSE;
    }
  /* A live pipeline has its clock and base time once PLAYING is set. */
  for (guint i = 0; i < N_FEEDS; i++)
    {
      rec->feeds[i]->clock = gst_element_get_clock (rec->pipeline);
      rec->feeds[i]->base_time = gst_element_get_base_time (rec->pipeline);
      if (rec->feeds[i]->clock == NULL)
        {
          g_set_error (error, AP_ERROR, AP_ERROR_FAILED,
                       "The recording to %s could not start: it has no clock", path);
          recorder_free (rec);
          g_unlink (path);
          return FALSE;
        }
    }
  if (rec->video != NULL)
    {
      ap_recorder_video_start (rec->video, rec->feeds[0]->clock, rec->feeds[0]->base_time);
      ap_recorder_video_attach (rec->video, self->video);
    }
  bus = gst_pipeline_get_bus (GST_PIPELINE (rec->pipeline));
  gst_bus_add_watch (bus, on_recorder_bus, self);
  self->recorder = rec;
  ap_audio_session_record_attach (self);
  g_debug ("Recording %s audio%s to %s", stereo ? "stereo" : "mixed",
           rec->video != NULL ? " and the far end's video" : "", path);
  return TRUE;
}

void
ap_audio_session_record_stop (ApMediaSession *session)
{
  ApAudioSession *self = AP_AUDIO_SESSION (session);
  ApAudioRecorder *rec = g_steal_pointer (&self->recorder);

  if (rec == NULL)
    return;
  finish_recorder (rec);
  g_debug ("Recording %s finished", rec->path);
  recorder_free (rec);
}

void
ap_audio_session_record_set_paused (ApMediaSession *session, gboolean paused)
{
  ApAudioSession *self = AP_AUDIO_SESSION (session);

  if (self->recorder == NULL)
    return;
  for (guint i = 0; i < N_FEEDS; i++)
    g_atomic_int_set (&self->recorder->feeds[i]->paused, !!paused);
  if (self->recorder->video != NULL)
    ap_recorder_video_set_paused (self->recorder->video, paused);
}
