/* ap-recorder-video.c: the far end's video in a call recording.
 *
 *   ApVideoSession decoder.src (decoded remote frames) ─┐ copies, restamped
 *   appsrc → videoconvert → videoscale (borders) → 640×480 ┐
 *   videotestsrc (black, live) ─────────────────────────────┴ compositor
 *     → 640×480@15 I420 → vp8enc (real time) → matroskamux (beside the audio)
 *
 * Decoded and encoded again rather than muxed as received, because the
 * Matroska muxer of GStreamer 1.22 (collect pads) writes nothing until
 * every track has data: a far end that closes its camera, holds, or drops
 * the video would stall the audio too, and a codec or size change in a
 * re-INVITE would need a new track. Like the audio mixer's silence, the
 * live black source makes the compositor run on the clock, so the track is
 * continuous whatever the far end does. It shows what the agent saw: the
 * far end's picture; its last picture while it sends none (camera closed,
 * hold); black while the call has no video (dropped by a re-INVITE), and
 * the picture again when video returns. The cost is one VP8 encoder
 * (~7 % of a core) while a video call records.
 *
 * Our own camera is not recorded: what the customer showed is the record
 * a call centre keeps; the agent's face would double the file for little
 * evidence, and players show one picture of a file anyway. */
#define G_LOG_DOMAIN "Agentphone-media"

#include "ap-recorder-video.h"

#include <gst/app/gstappsrc.h>
#include <string.h>

#include "ap-error.h"

#define RECORD_VIDEO_CAPS "video/x-raw,format=I420,width=640,height=480,pixel-aspect-ratio=1/1"
#define RECORD_VIDEO_FPS 15
#define RECORD_VIDEO_KBPS 400
#define RECORD_VIDEO_WIDTH 640
#define RECORD_VIDEO_HEIGHT 480
#define RECORD_VIDEO_LATENCY (200 * GST_MSECOND)

struct _ApRecorderVideo {
  GMutex lock;            /* frames come from two threads (see on_frame) */
  GstElement *feed;       /* appsrc */
  GstElement *background; /* videotestsrc */
  GstClock *clock;
  GstClockTime base_time;
  gint paused;           /* atomic */
  GstCaps *caps;         /* streaming thread: the feed's current caps */
  ApVideoSession *video; /* main context: the session feeding us */
};

/* One black I420 frame, in place of the far end's picture. */
static void
black_frame (GstBuffer **frame, GstCaps **caps)
{
  gsize luma = RECORD_VIDEO_WIDTH * RECORD_VIDEO_HEIGHT;
  GstMapInfo map;

  *caps = gst_caps_from_string (RECORD_VIDEO_CAPS);
  gst_caps_set_simple (*caps, "width", G_TYPE_INT, RECORD_VIDEO_WIDTH, "height", G_TYPE_INT,
                       RECORD_VIDEO_HEIGHT, "framerate", GST_TYPE_FRACTION, 0, 1, NULL);
  *frame = gst_buffer_new_allocate (NULL, luma * 3 / 2, NULL);
  gst_buffer_map (*frame, &map, GST_MAP_WRITE);
  memset (map.data, 16, luma);
  memset (map.data + luma, 128, luma / 2);
  gst_buffer_unmap (*frame, &map);
}

/* Streaming thread of the video session, under its lock; or the main
 * context with no frame: the video stopped, the picture goes black. */
static void
on_frame (GstBuffer *frame, GstCaps *caps, gpointer user_data)
{
  ApRecorderVideo *self = user_data;
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr (GstBuffer) black = NULL;
  g_autoptr (GstCaps) black_caps = NULL;
  GstBuffer *copy;

  if (self->clock == NULL)
    return;
  if (frame == NULL || g_atomic_int_get (&self->paused))
    {
      black_frame (&black, &black_caps);
      frame = black;
      caps = black_caps;
    }
  if (self->caps == NULL || !gst_caps_is_equal (caps, self->caps))
    {
      gst_caps_replace (&self->caps, caps);
      gst_app_src_set_caps (GST_APP_SRC (self->feed), caps);
    }
  /* A shallow copy: the pixels are shared, only the times are ours. */
  copy = gst_buffer_copy (frame);
  GST_BUFFER_PTS (copy) = gst_clock_get_time (self->clock) - self->base_time;
  GST_BUFFER_DTS (copy) = GST_CLOCK_TIME_NONE;
  /* Shown until the next one. */
  GST_BUFFER_DURATION (copy) = GST_CLOCK_TIME_NONE;
  gst_app_src_push_buffer (GST_APP_SRC (self->feed), copy);
}

static ApRecorderVideo *
build_error (GError **error, GError *cause)
{
  g_set_error (error, AP_ERROR, AP_ERROR_FAILED, "Could not build the recording's video: %s",
               cause != NULL ? cause->message : "the elements do not connect");
  g_clear_error (&cause);
  return NULL;
}

/* The branch's encoded end, as a new video track of @mux. */
static gboolean
link_to_mux (GstElement *bin, GstElement *mux)
{
  g_autoptr (GstElement) encoded = gst_bin_get_by_name (GST_BIN (bin), "encoded");
  g_autoptr (GstPad) src = gst_element_get_static_pad (encoded, "src");
  GstPad *ghost = gst_ghost_pad_new ("src", src);
  g_autoptr (GstPad) sink = NULL;

  gst_element_add_pad (bin, ghost); /* takes the floating reference */
  sink = gst_element_request_pad_simple (mux, "video_%u");
  return sink != NULL && gst_pad_link (ghost, sink) == GST_PAD_LINK_OK;
}

/**
 * ap_recorder_video_build:
 * @mux: the recording's matroskamux, to which a video track is added
 *
 * Returns: (transfer full) (nullable): the video branch, in @pipeline
 */
ApRecorderVideo *
ap_recorder_video_build (GstElement *pipeline, GstElement *mux, GError **error)
{
  g_autofree char *description = g_strdup_printf (
    "compositor name=compositor background=black latency=%" G_GUINT64_FORMAT " ! " RECORD_VIDEO_CAPS
    ",framerate=%d/1"
    " ! vp8enc deadline=1 cpu-used=8 end-usage=cbr target-bitrate=%d lag-in-frames=0 threads=1"
    " keyframe-max-dist=%d ! queue name=encoded "
    "videotestsrc name=background is-live=true pattern=black ! " RECORD_VIDEO_CAPS
    ",framerate=%d/1 ! compositor.sink_0 "
    "appsrc name=feed is-live=true format=time min-latency=0 max-bytes=0 max-buffers=0"
    " max-time=%" G_GUINT64_FORMAT " block=false leaky-type=downstream"
    " ! videoconvert ! videoscale add-borders=true ! " RECORD_VIDEO_CAPS " ! compositor.sink_1",
    (guint64) RECORD_VIDEO_LATENCY, RECORD_VIDEO_FPS, RECORD_VIDEO_KBPS * 1000,
    RECORD_VIDEO_FPS * 2, RECORD_VIDEO_FPS, (guint64) 2 * GST_SECOND);
  GError *cause = NULL;
  GstElement *bin;
  ApRecorderVideo *self;

  bin = gst_parse_bin_from_description (description, FALSE, &cause);
  if (bin == NULL)
    return build_error (error, cause);
  gst_bin_add (GST_BIN (pipeline), bin);
  if (!link_to_mux (bin, mux))
    return build_error (error, NULL);
  self = g_new0 (ApRecorderVideo, 1);
  g_mutex_init (&self->lock);
  self->feed = gst_bin_get_by_name (GST_BIN (bin), "feed");
  self->background = gst_bin_get_by_name (GST_BIN (bin), "background");
  return self;
}

/** ap_recorder_video_start: the recording runs; frames get its times */
void
ap_recorder_video_start (ApRecorderVideo *self, GstClock *clock, GstClockTime base_time)
{
  self->base_time = base_time;
  self->clock = gst_object_ref (clock);
}

/** ap_recorder_video_attach: take the remote frames of @video */
void
ap_recorder_video_attach (ApRecorderVideo *self, ApVideoSession *video)
{
  ap_recorder_video_detach (self);
  self->video = g_object_ref (video);
  ap_video_session_set_record_func (video, on_frame, self);
}

void
ap_recorder_video_detach (ApRecorderVideo *self)
{
  if (self->video == NULL)
    return;
  ap_video_session_set_record_func (self->video, NULL, NULL);
  g_clear_object (&self->video);
}

/** ap_recorder_video_set_paused: black instead of the far end's picture */
void
ap_recorder_video_set_paused (ApRecorderVideo *self, gboolean paused)
{
  g_atomic_int_set (&self->paused, !!paused);
  if (paused)
    on_frame (NULL, NULL, self);
}

/** ap_recorder_video_end: no more frames; the track ends (EOS) */
void
ap_recorder_video_end (ApRecorderVideo *self)
{
  ap_recorder_video_detach (self);
  gst_app_src_end_of_stream (GST_APP_SRC (self->feed));
  gst_element_send_event (self->background, gst_event_new_eos ());
}

void
ap_recorder_video_free (ApRecorderVideo *self)
{
  ap_recorder_video_detach (self);
  gst_clear_object (&self->feed);
  gst_clear_object (&self->background);
  gst_clear_object (&self->clock);
  gst_clear_caps (&self->caps);
  g_mutex_clear (&self->lock);
  g_free (self);
}
