/* ap-tone-player.c: a small player for the ringtone and the ringback tone.
 *
 *   audiotestsrc (live) → caps → [cadence: samples zeroed while "off"]
 *     → audioconvert → audioresample → sink
 *   or, for a ringtone file:
 *   filesrc → decodebin → audioconvert → audioresample → sink (looped)
 *
 * The sink is handed in (a device, or an AGENTPHONE_*_OUTPUT override), so
 * the same player rings the ringer and plays ringback into a call's output.
 * Stopping sends EOS first so a file output (WAV) is finished, bounded. */
#define G_LOG_DOMAIN "Agentphone-media"

#include "ap-tone-player.h"

#include "ap-error.h"

#define TONE_RATE 48000
#define STOP_TIMEOUT (1 * GST_SECOND)
#define PREROLL_TIMEOUT (2 * GST_SECOND)

/* A cadence: alternating on/off durations in ms, starting with "on". */
typedef struct {
  double frequency;
  double volume;
  guint steps[4];
} ApCadence;

static const ApCadence cadences[] = {
  [AP_TONE_RING] = { 880.0, 0.5, { 400, 200, 400, 2000 } },
  [AP_TONE_RINGBACK] = { 425.0, 0.3, { 1000, 4000, 0, 0 } },
};

struct _ApTonePlayer {
  GObject parent_instance;

  GstElement *pipeline;
  GstElement *convert;
  const ApCadence *cadence;
  gboolean looping;
  /* A looping file, on its streaming thread: each pass starts again at 0,
   * in a segment that wavparse does not move on; the passes are laid end
   * to end instead, in the first segment, so a sink that keeps to the
   * clock plays them in time rather than all at once. */
  gboolean have_segment;
  GstClockTime offset;   /* added to this pass's timestamps */
  GstClockTime last_end; /* end of the latest buffer, offset included */
};

G_DEFINE_FINAL_TYPE (ApTonePlayer, ap_tone_player, G_TYPE_OBJECT)

/* Whether sample @n of the cadence sounds. */
static gboolean
cadence_on (const ApCadence *cadence, guint64 n)
{
  guint64 period = 0, at;
  gboolean on = TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (cadence->steps); i++)
    period += cadence->steps[i];
  at = (n * 1000 / TONE_RATE) % period;
  for (guint i = 0; i < G_N_ELEMENTS (cadence->steps); i++, on = !on)
    {
      if (at < cadence->steps[i])
        return on;
      at -= cadence->steps[i];
    }
  return FALSE;
}

/* Streaming thread: silence the "off" parts. audiotestsrc numbers its
 * buffers by sample (the buffer offset), so the cadence needs no clock. */
static GstPadProbeReturn
on_tone_buffer (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  const ApCadence *cadence = user_data;
  GstBuffer *buffer = gst_buffer_make_writable (GST_PAD_PROBE_INFO_BUFFER (info));
  GstMapInfo map;
  guint64 first = GST_BUFFER_OFFSET (buffer);

  GST_PAD_PROBE_INFO_DATA (info) = buffer;
  if (first == GST_BUFFER_OFFSET_NONE || !gst_buffer_map (buffer, &map, GST_MAP_READWRITE))
    return GST_PAD_PROBE_OK;
  for (gsize i = 0; i < map.size / sizeof (gint16); i++)
    if (!cadence_on (cadence, first + i))
      ((gint16 *) map.data)[i] = 0;
  gst_buffer_unmap (buffer, &map);
  return GST_PAD_PROBE_OK;
}

/* Streaming thread: lays the passes of a looping file end to end. */
static GstPadProbeReturn
on_file_data (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  ApTonePlayer *self = user_data;
  GstBuffer *buffer;

  if (info->type & GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM)
    {
      GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);

      if (GST_EVENT_TYPE (event) != GST_EVENT_SEGMENT)
        return GST_PAD_PROBE_OK;
      if (self->have_segment)
        return GST_PAD_PROBE_DROP;
      self->have_segment = TRUE;
      return GST_PAD_PROBE_OK;
    }
  buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  if (!GST_BUFFER_PTS_IS_VALID (buffer))
    return GST_PAD_PROBE_OK;
  buffer = gst_buffer_make_writable (buffer);
  GST_PAD_PROBE_INFO_DATA (info) = buffer;
  if (GST_BUFFER_PTS (buffer) + self->offset < self->last_end)
    /* A new pass: it follows the previous one. */
    self->offset = self->last_end - GST_BUFFER_PTS (buffer);
  GST_BUFFER_PTS (buffer) += self->offset;
  GST_BUFFER_DTS (buffer) = GST_CLOCK_TIME_NONE;
  self->last_end = GST_BUFFER_PTS (buffer)
                   + (GST_BUFFER_DURATION_IS_VALID (buffer) ? GST_BUFFER_DURATION (buffer) : 0);
  return GST_PAD_PROBE_OK;
}

static void
on_decoded_pad (GstElement *decodebin, GstPad *pad, gpointer user_data)
{
  ApTonePlayer *self = user_data;
  g_autoptr (GstPad) sink_pad = gst_element_get_static_pad (self->convert, "sink");
  g_autoptr (GstCaps) caps = gst_pad_query_caps (pad, NULL);

  if (gst_pad_is_linked (sink_pad) || caps == NULL
      || !g_str_has_prefix (gst_structure_get_name (gst_caps_get_structure (caps, 0)), "audio/"))
    return;
  gst_pad_add_probe (sink_pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
                     on_file_data, self, NULL);
  if (gst_pad_link (pad, sink_pad) != GST_PAD_LINK_OK)
    g_warning ("Could not play the ringtone file: its audio does not connect");
}

static gboolean
on_bus_message (GstBus *bus, GstMessage *message, gpointer user_data)
{
  ApTonePlayer *self = user_data;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_SEGMENT_DONE:
      /* A file rings in a loop: a segment seek back to the start, gapless. */
      gst_element_seek_simple (self->pipeline, GST_FORMAT_TIME, GST_SEEK_FLAG_SEGMENT, 0);
      break;
      case GST_MESSAGE_ERROR: {
        g_autoptr (GError) error = NULL;

        gst_message_parse_error (message, &error, NULL);
        g_warning ("The %s stopped: %s", self->cadence ? "tone" : "ringtone", error->message);
        break;
      }
    default:
      break;
    }
  return G_SOURCE_CONTINUE;
}

static GstElement *
make (const char *factory, GError **error)
{
  GstElement *element = gst_element_factory_make (factory, NULL);

  if (element == NULL)
    g_set_error (error, AP_ERROR, AP_ERROR_FAILED,
                 "The GStreamer element “%s” is missing; install the GStreamer plugins", factory);
  return element;
}

static GstElement *
build_tone_source (ApTonePlayer *self, ApTone tone, GError **error)
{
  g_autoptr (GstCaps) caps = gst_caps_new_simple (
    "audio/x-raw", "format", G_TYPE_STRING, "S16LE", "rate", G_TYPE_INT, TONE_RATE, "channels",
    G_TYPE_INT, 1, "layout", G_TYPE_STRING, "interleaved", NULL);
  GstElement *source, *filter;
  g_autoptr (GstPad) pad = NULL;

  if ((source = make ("audiotestsrc", error)) == NULL)
    return NULL;
  gst_bin_add (GST_BIN (self->pipeline), source);
  if ((filter = make ("capsfilter", error)) == NULL)
    return NULL;
  gst_bin_add (GST_BIN (self->pipeline), filter);
  self->cadence = &cadences[tone];
  g_object_set (source, "is-live", TRUE, "freq", self->cadence->frequency, "volume",
                self->cadence->volume, "samplesperbuffer", TONE_RATE / 100, NULL);
  g_object_set (filter, "caps", caps, NULL);
  pad = gst_element_get_static_pad (filter, "src");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, on_tone_buffer, (gpointer) self->cadence,
                     NULL);
  if (!gst_element_link (source, filter) || !gst_element_link (filter, self->convert))
    {
      g_set_error (error, AP_ERROR, AP_ERROR_FAILED, "Could not build the tone player");
      return NULL;
    }
  return source;
}

static GstElement *
build_file_source (ApTonePlayer *self, const char *file, GError **error)
{
  GstElement *source, *decoder;

  if ((source = make ("filesrc", error)) == NULL)
    return NULL;
  gst_bin_add (GST_BIN (self->pipeline), source);
  if ((decoder = make ("decodebin", error)) == NULL)
    return NULL;
  gst_bin_add (GST_BIN (self->pipeline), decoder);
  g_object_set (source, "location", file, NULL);
  g_signal_connect (decoder, "pad-added", G_CALLBACK (on_decoded_pad), self);
  if (!gst_element_link (source, decoder))
    {
      g_set_error (error, AP_ERROR, AP_ERROR_FAILED, "Could not read the ringtone file %s", file);
      return NULL;
    }
  self->looping = TRUE;
  self->have_segment = FALSE;
  self->offset = self->last_end = 0;
  return source;
}

/* A file plays from a segment seek, so that its end loops back instead of
 * ending the stream. */
static gboolean
start_file (ApTonePlayer *self, const char *file, GError **error)
{
  if (gst_element_set_state (self->pipeline, GST_STATE_PAUSED) == GST_STATE_CHANGE_FAILURE
      || gst_element_get_state (self->pipeline, NULL, NULL, PREROLL_TIMEOUT)
           == GST_STATE_CHANGE_FAILURE)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_FAILED,
                   "The ringtone %s cannot be played: is it a sound file?", file);
      return FALSE;
    }
  gst_element_seek_simple (self->pipeline, GST_FORMAT_TIME,
                           GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_SEGMENT, 0);
  return TRUE;
}

/* A file decodes faster than it plays: only a sink that keeps to the clock,
 * as a sound device does, paces it. A file output (a test's WAV) does not
 * by default, and a looped ringtone would fill the disk: make it. */
static void
sync_to_clock (GstElement *sink)
{
  if (GST_IS_BIN (sink))
    {
      g_autoptr (GstIterator) it = gst_bin_iterate_sinks (GST_BIN (sink));
      GValue item = G_VALUE_INIT;

      while (gst_iterator_next (it, &item) == GST_ITERATOR_OK)
        {
          sync_to_clock (g_value_get_object (&item));
          g_value_reset (&item);
        }
      g_value_unset (&item);
    }
  else if (g_object_class_find_property (G_OBJECT_GET_CLASS (sink), "sync"))
    g_object_set (sink, "sync", TRUE, NULL);
}

/**
 * ap_tone_player_start:
 * @file: (nullable): a sound file played in a loop instead of the tone
 * @sink: (transfer floating): where it plays
 *
 * Plays @tone (or @file) until ap_tone_player_stop(); a player that plays
 * already is stopped first.
 */
gboolean
ap_tone_player_start (ApTonePlayer *self, ApTone tone, const char *file, GstElement *sink,
                      GError **error)
{
  GstElement *resample;
  g_autoptr (GstBus) bus = NULL;

  g_return_val_if_fail (AP_IS_TONE_PLAYER (self), FALSE);
  g_return_val_if_fail (GST_IS_ELEMENT (sink), FALSE);

  ap_tone_player_stop (self);
  self->pipeline = gst_object_ref_sink (gst_pipeline_new ("tone-player"));
  sync_to_clock (sink);
  gst_bin_add (GST_BIN (self->pipeline), sink);
  if ((self->convert = make ("audioconvert", error)) == NULL
      || !gst_bin_add (GST_BIN (self->pipeline), self->convert)
      || (resample = make ("audioresample", error)) == NULL
      || !gst_bin_add (GST_BIN (self->pipeline), resample)
      || !gst_element_link_many (self->convert, resample, sink, NULL)
      || (file && *file ? build_file_source (self, file, error)
                        : build_tone_source (self, tone, error))
           == NULL)
    {
      if (error && *error == NULL)
        g_set_error (error, AP_ERROR, AP_ERROR_FAILED, "Could not build the tone player");
      ap_tone_player_stop (self);
      return FALSE;
    }
  bus = gst_pipeline_get_bus (GST_PIPELINE (self->pipeline));
  gst_bus_add_watch (bus, on_bus_message, self);
  if ((self->looping && !start_file (self, file, error))
      || gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      if (error && *error == NULL)
        g_set_error (error, AP_ERROR, AP_ERROR_FAILED, "The %s cannot play on this output",
                     file ? "ringtone" : "tone");
      ap_tone_player_stop (self);
      return FALSE;
    }
  g_debug ("Playing the %s", file && *file ? file : tone == AP_TONE_RING ? "ring" : "ringback");
  return TRUE;
}

/* The end of what plays, so a file output is finished. A looping file is
 * read in pull mode, whose source ignores an EOS sent to the pipeline (it
 * goes to the sources): then it goes in where the decoded audio does. */
static gboolean
send_eos (ApTonePlayer *self)
{
  g_autoptr (GstPad) pad = NULL;

  if (!self->looping)
    return gst_element_send_event (self->pipeline, gst_event_new_eos ());
  pad = gst_element_get_static_pad (self->convert, "sink");
  return gst_pad_send_event (pad, gst_event_new_eos ());
}

/* A sink that plays in time holds the EOS until what it has queued has
 * played (~40 ms of tone), and the call's audio waited that long to start
 * (bench/run, call set-up): a tone being stopped need not finish. */
static void
stop_waiting_for_clock (GstElement *pipeline)
{
  g_autoptr (GstIterator) it = gst_bin_iterate_recurse (GST_BIN (pipeline));
  GValue item = G_VALUE_INIT;

  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK)
    {
      GstElement *element = g_value_get_object (&item);

      if (GST_OBJECT_FLAG_IS_SET (element, GST_ELEMENT_FLAG_SINK)
          && g_object_class_find_property (G_OBJECT_GET_CLASS (element), "sync") != NULL)
        g_object_set (element, "sync", FALSE, NULL);
      g_value_reset (&item);
    }
  g_value_unset (&item);
}

/* finish: EOS first, so that a file output is complete */
static void
stop (ApTonePlayer *self, gboolean finish)
{
  g_autoptr (GstBus) bus = NULL;
  g_autoptr (GstMessage) message = NULL;
  GstState state = GST_STATE_NULL;
  GstStateChangeReturn change;

  g_return_if_fail (AP_IS_TONE_PLAYER (self));

  if (self->pipeline == NULL)
    return;
  bus = gst_pipeline_get_bus (GST_PIPELINE (self->pipeline));
  gst_bus_remove_watch (bus);
  /* Only once it plays: an EOS sent while the sink still prerolls waits for
   * the source, which waits for PLAYING, which waits for the state lock the
   * EOS holds (a call answered as its ringtone starts froze the app). */
  change = gst_element_get_state (self->pipeline, &state, NULL, 0);
  if (finish && (change == GST_STATE_CHANGE_SUCCESS || change == GST_STATE_CHANGE_NO_PREROLL)
      && state == GST_STATE_PLAYING)
    {
      stop_waiting_for_clock (self->pipeline);
      if (send_eos (self))
        message
          = gst_bus_timed_pop_filtered (bus, STOP_TIMEOUT, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
    }
  gst_element_set_state (self->pipeline, GST_STATE_NULL);
  gst_clear_object (&self->pipeline);
  self->convert = NULL;
  self->cadence = NULL;
  self->looping = FALSE;
}

/**
 * ap_tone_player_stop:
 *
 * Stops at once; a file output is finished (EOS, within a second) first.
 * Idempotent.
 */
void
ap_tone_player_stop (ApTonePlayer *self)
{
  stop (self, TRUE);
}

/**
 * ap_tone_player_stop_now:
 *
 * Stops without finishing the output (no EOS): for when that output is
 * about to be made anew for the call's own audio, which rewrites a file
 * output from the start. Finishing took 20-30 ms, all of which the call's
 * audio waited. Idempotent.
 */
void
ap_tone_player_stop_now (ApTonePlayer *self)
{
  stop (self, FALSE);
}

gboolean
ap_tone_player_is_playing (ApTonePlayer *self)
{
  g_return_val_if_fail (AP_IS_TONE_PLAYER (self), FALSE);
  return self->pipeline != NULL;
}

/** ap_tone_frequency: the frequency of a built-in tone, in Hz */
double
ap_tone_frequency (ApTone tone)
{
  return cadences[tone].frequency;
}

static void
ap_tone_player_dispose (GObject *object)
{
  ap_tone_player_stop (AP_TONE_PLAYER (object));
  G_OBJECT_CLASS (ap_tone_player_parent_class)->dispose (object);
}

static void
ap_tone_player_class_init (ApTonePlayerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ap_tone_player_dispose;
}

static void
ap_tone_player_init (ApTonePlayer *self)
{
}

ApTonePlayer *
ap_tone_player_new (void)
{
  return g_object_new (AP_TYPE_TONE_PLAYER, NULL);
}
