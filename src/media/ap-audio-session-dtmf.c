/* ap-audio-session-dtmf.c: DTMF of an ApAudioSession, both ways.
 *
 * Sending as RFC 4733 events, when telephone-event was agreed: rtpdtmfsrc
 * beside the audio payloader, both into an rtpdtmfmux in front of rtpbin.
 * The mux gives both one SSRC and one sequence. It also holds back audio
 * whose timestamps fall inside an event, but a source that delivers ahead
 * of the clock (audiotestsrc, in bursts) gets past that; so the audio is
 * held back by arrival time too, from an event's first packet to 100 ms
 * after its last (what rtpdtmfsrc asks for between digits).
 *
 *   payloader ─────────── sink_0 ┐
 *   rtpdtmfsrc ─── priority_sink_0 ┴ rtpdtmfmux → rtpbin
 *
 * Sending in-band: the digit's two tones replace the outgoing samples
 * by a probe in front of the encoder. Nothing else in the pipeline changes,
 * so while no digit plays the audio is untouched: no mixer, no added
 * latency, on every call.
 *
 * Receiving: rtpbin gives the telephone-event payload type its own pad; it
 * goes into rtpdtmfdepay (and a fakesink), and each "dtmf-event" message
 * that posts becomes one "dtmf-received" signal. A filter in front of the
 * depayloader keeps retransmitted packets and long events from counting as
 * new digits. When the far end can only send tones (no telephone-event) or
 * we are in in-band mode, the received audio also goes, through a tee and
 * a leaky queue, to spandsp's dtmfdetect, whose "dtmf-event" messages count
 * the same way:
 *
 *   mixer → caps → tee ─────────────────────────────────────────── output
 *                    └ queue → convert → resample → 8 kHz → dtmfdetect */
#define G_LOG_DOMAIN "Agentphone-media"

#include "ap-audio-session-private.h"

#include <gst/rtp/rtp.h>
#include <math.h>
#include <string.h>

#include "ap-error.h"

/* Events are sent at -10 dBm0, and each start and end packet three times
 * (RFC 4733 2.5.1.4), so one lost packet loses nothing. */
#define EVENT_VOLUME 10
#define EVENT_REDUNDANCY 3
#define MAX_DURATION_MS 5000
/* Each in-band tone peaks at -12 dBFS (the pair at -6 dBFS), with 3 ms
 * ramps so the edges do not splatter into other frequencies. */
#define TONE_AMPLITUDE 8192.0
#define TONE_RAMP_MS 3
/* How far a long event's next segment may start after the last one
 * (RFC 4733 2.5.1.3: a segment lasts at most 0xFFFF timestamp units). */
#define MAX_SEGMENT_GAP 0x20000u

typedef struct {
  char digit;
  int event;
  double low_hz;
  double high_hz;
} DtmfKey;

static const DtmfKey keys[] = {
  { '1', 1, 697, 1209 },  { '2', 2, 697, 1336 }, { '3', 3, 697, 1477 },  { 'A', 12, 697, 1633 },
  { '4', 4, 770, 1209 },  { '5', 5, 770, 1336 }, { '6', 6, 770, 1477 },  { 'B', 13, 770, 1633 },
  { '7', 7, 852, 1209 },  { '8', 8, 852, 1336 }, { '9', 9, 852, 1477 },  { 'C', 14, 852, 1633 },
  { '*', 10, 941, 1209 }, { '0', 0, 941, 1336 }, { '#', 11, 941, 1477 }, { 'D', 15, 941, 1633 },
};

/* RFC 4733 event numbers 0-15. */
static const char event_digits[] = "0123456789*#ABCD";

/* What the filter in front of a depayloader knows of the event it last let
 * through; streaming thread only. */
typedef struct {
  gboolean have_event;
  guint32 event_timestamp;   /* the one rtpdtmfdepay took as the start */
  guint32 segment_timestamp; /* the event's latest segment */
  guint8 number;
  gboolean ended;
} EventFilter;

static const DtmfKey *
find_key (char digit)
{
  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    if (keys[i].digit == g_ascii_toupper (digit))
      return &keys[i];
  return NULL;
}

/* Event packets as often as audio packets, and exactly as agreed. */
static GstCaps *
event_caps_for (ApAudioSession *self, GstCaps *filter)
{
  g_autoptr (GstCaps) ours = gst_caps_copy (self->dtmf_caps);

  gst_caps_set_simple (ours, "ptime", G_TYPE_UINT, self->ptime, NULL);
  if (filter == NULL)
    return g_steal_pointer (&ours);
  return gst_caps_intersect_full (filter, ours, GST_CAPS_INTERSECT_FIRST);
}

/* Streaming thread: the priority pad takes exactly the telephone-event
 * caps. rtpmux would otherwise only offer rtpdtmfsrc the audio's clock
 * rate, and rtpdtmfsrc takes whatever rate it is offered. */
static GstPadProbeReturn
on_event_caps_query (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  ApAudioSession *self = user_data;
  GstQuery *query = GST_PAD_PROBE_INFO_QUERY (info);
  g_autoptr (GstCaps) result = NULL;
  GstCaps *caps;

  switch (GST_QUERY_TYPE (query))
    {
    case GST_QUERY_CAPS:
      gst_query_parse_caps (query, &caps);
      result = event_caps_for (self, caps);
      gst_query_set_caps_result (query, result);
      return GST_PAD_PROBE_HANDLED;
    case GST_QUERY_ACCEPT_CAPS:
      gst_query_parse_accept_caps (query, &caps);
      gst_query_set_accept_caps_result (query, gst_caps_is_subset (caps, self->dtmf_caps));
      return GST_PAD_PROBE_HANDLED;
    default:
      return GST_PAD_PROBE_OK;
    }
}

/* Streaming thread: telephone-event/8000 beside 48 kHz audio. rtpdtmfsrc
 * counts the durations in 8 kHz units, as agreed, but the timestamps on
 * the audio's SSRC must follow the audio's clock (as WebRTC does), or the
 * far end's jitter buffer sees time jump at each digit. */
static GstPadProbeReturn
on_event_packet_sent (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  ApAudioSession *self = user_data;
  GstBuffer *buffer = gst_buffer_make_writable (GST_PAD_PROBE_INFO_BUFFER (info));
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;

  GST_PAD_PROBE_INFO_DATA (info) = buffer;
  if (gst_rtp_buffer_map (buffer, GST_MAP_READWRITE, &rtp))
    {
      /* rtpdtmfsrc starts its timestamps at 0, so this wraps just as the
       * audio's do. */
      gst_rtp_buffer_set_timestamp (&rtp, gst_rtp_buffer_get_timestamp (&rtp)
                                            * self->dtmf_timestamp_scale);
      gst_rtp_buffer_unmap (&rtp);
    }
  return GST_PAD_PROBE_OK;
}

static GstClockTime
running_time_now (GstElement *element)
{
  g_autoptr (GstClock) clock = gst_element_get_clock (element);

  if (clock == NULL)
    return GST_CLOCK_TIME_NONE;
  return gst_clock_get_time (clock) - gst_element_get_base_time (element);
}

/* Streaming thread: an event packet on its way to the mux; the audio waits
 * until it has played (the last one of an event lasts 100 ms longer). */
static GstPadProbeReturn
on_event_packet_muxed (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  ApAudioSession *self = user_data;
  g_autoptr (GstElement) mux = gst_pad_get_parent_element (pad);
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  GstClockTime now = mux ? running_time_now (mux) : GST_CLOCK_TIME_NONE;
  GstClockTime duration = GST_BUFFER_DURATION (buffer);

  if (!GST_CLOCK_TIME_IS_VALID (now))
    return GST_PAD_PROBE_OK;
  if (!GST_CLOCK_TIME_IS_VALID (duration))
    duration = self->ptime * GST_MSECOND;
  g_mutex_lock (&self->dtmf_lock);
  if (!GST_CLOCK_TIME_IS_VALID (self->event_end) || now + duration > self->event_end)
    self->event_end = now + duration;
  g_mutex_unlock (&self->dtmf_lock);
  return GST_PAD_PROBE_OK;
}

/* Streaming thread: audio packets on their way to the mux, dropped while
 * an event plays. */
static GstPadProbeReturn
on_audio_packet_muxed (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  ApAudioSession *self = user_data;
  g_autoptr (GstElement) mux = gst_pad_get_parent_element (pad);
  GstClockTime now = mux ? running_time_now (mux) : GST_CLOCK_TIME_NONE;
  gboolean held;

  g_mutex_lock (&self->dtmf_lock);
  held = GST_CLOCK_TIME_IS_VALID (now) && GST_CLOCK_TIME_IS_VALID (self->event_end)
         && now < self->event_end;
  g_mutex_unlock (&self->dtmf_lock);
  return held ? GST_PAD_PROBE_DROP : GST_PAD_PROBE_OK;
}

static gboolean
send_event (ApAudioSession *self, const DtmfKey *key)
{
  g_autoptr (GstPad) pad = gst_element_get_static_pad (self->dtmf_source, "src");
  GstStructure *structure;

  /* To the source pad: sent to the element, the event goes nowhere. */
  if (key != NULL)
    structure
      = gst_structure_new ("dtmf-event", "type", G_TYPE_INT, 1, "number", G_TYPE_INT, key->event,
                           "volume", G_TYPE_INT, EVENT_VOLUME, "start", G_TYPE_BOOLEAN, TRUE, NULL);
  else
    structure = gst_structure_new ("dtmf-event", "type", G_TYPE_INT, 1, "start", G_TYPE_BOOLEAN,
                                   FALSE, NULL);
  return gst_pad_send_event (pad, gst_event_new_custom (GST_EVENT_CUSTOM_UPSTREAM, structure));
}

/* Ends the RFC 4733 event in progress, if any. */
static void
stop_event (ApAudioSession *self)
{
  if (self->dtmf_stop_source == NULL)
    return;
  g_source_destroy (self->dtmf_stop_source);
  g_clear_pointer (&self->dtmf_stop_source, g_source_unref);
  if (self->dtmf_source != NULL && !send_event (self, NULL))
    g_debug ("The end of a DTMF event was not accepted");
}

static gboolean
on_event_done (gpointer user_data)
{
  ApAudioSession *self = user_data;

  stop_event (self);
  return G_SOURCE_REMOVE;
}

/* Streaming thread: puts the in-band digit, if one is playing, in place of
 * the outgoing samples (mono S16 at tone_rate, as the input caps say),
 * cross-faded over the ramps. Replaced, not mixed: like a desk phone's
 * keypad, since a detector at the far end wants the two tones to carry
 * nearly all the energy, and speech or music under them defeats it. */
static GstPadProbeReturn
on_outgoing_audio (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  ApAudioSession *self = user_data;
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->dtmf_lock);
  ApDtmfTone *tone = &self->tone;
  guint64 ramp = (guint64) self->tone_rate * TONE_RAMP_MS / 1000;
  GstBuffer *buffer;
  GstMapInfo map;
  gint16 *samples;
  gsize n_samples;

  if (tone->position >= tone->length)
    return GST_PAD_PROBE_OK;
  buffer = gst_buffer_make_writable (GST_PAD_PROBE_INFO_BUFFER (info));
  GST_PAD_PROBE_INFO_DATA (info) = buffer;
  if (!gst_buffer_map (buffer, &map, GST_MAP_READWRITE))
    return GST_PAD_PROBE_OK;
  samples = (gint16 *) map.data;
  n_samples = map.size / sizeof (gint16);
  for (gsize i = 0; i < n_samples && tone->position < tone->length; i++, tone->position++)
    {
      double t = (double) tone->position / self->tone_rate;
      double gain = MIN (1.0, (double) MIN (tone->position + 1, tone->length - tone->position)
                                / (double) MAX (ramp, 1));
      double value = (1.0 - gain) * samples[i]
                     + gain * TONE_AMPLITUDE
                         * (sin (2 * G_PI * tone->low_hz * t) + sin (2 * G_PI * tone->high_hz * t));

      samples[i] = (gint16) CLAMP (lrint (value), G_MININT16, G_MAXINT16);
    }
  gst_buffer_unmap (buffer, &map);
  /* Silence (a muted or silent input) comes flagged as a gap, which an
   * encoder may skip: this buffer is not silent any more. */
  GST_BUFFER_FLAG_UNSET (buffer, GST_BUFFER_FLAG_GAP);
  return GST_PAD_PROBE_OK;
}

/* Streaming thread: decides whether rtpdtmfdepay may see a received
 * event packet. It posts a digit for every packet with the marker bit or
 * a new timestamp; let through only those that really start a digit. */
static GstPadProbeReturn
on_event_packet_received (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  EventFilter *filter = user_data;
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  guint32 timestamp;
  gboolean marker, ended;
  guint8 number;
  gboolean drop = FALSE;

  if (!gst_rtp_buffer_map (GST_PAD_PROBE_INFO_BUFFER (info), GST_MAP_READ, &rtp))
    return GST_PAD_PROBE_DROP;
  if (gst_rtp_buffer_get_payload_len (&rtp) != 4)
    {
      /* rtpdtmfdepay warns about it. */
      gst_rtp_buffer_unmap (&rtp);
      return GST_PAD_PROBE_OK;
    }
  number = ((guint8 *) gst_rtp_buffer_get_payload (&rtp))[0];
  ended = (((guint8 *) gst_rtp_buffer_get_payload (&rtp))[1] & 0x80) != 0;
  timestamp = gst_rtp_buffer_get_timestamp (&rtp);
  marker = gst_rtp_buffer_get_marker (&rtp);
  gst_rtp_buffer_unmap (&rtp);

  if (filter->have_event
      && (timestamp == filter->event_timestamp || timestamp == filter->segment_timestamp))
    /* The same event: a retransmitted start (marked again by some senders)
     * or end packet, or the next packet of a later segment. */
    drop = marker || timestamp != filter->event_timestamp;
  else if (filter->have_event && !marker && !filter->ended && number == filter->number
           && timestamp - filter->segment_timestamp <= MAX_SEGMENT_GAP)
    {
      /* A long event going on in a new segment. */
      filter->segment_timestamp = timestamp;
      drop = TRUE;
    }
  else
    {
      filter->have_event = TRUE;
      filter->event_timestamp = filter->segment_timestamp = timestamp;
      filter->number = number;
      filter->ended = FALSE;
    }
  if (ended && timestamp == filter->segment_timestamp)
    filter->ended = TRUE;
  return drop ? GST_PAD_PROBE_DROP : GST_PAD_PROBE_OK;
}

/* Called by build_pipeline() before anything else: what the pipeline will
 * need to send and receive telephone-events. */
void
ap_audio_session_dtmf_configure (ApAudioSession *self, const ApMediaParams *params)
{
  guint audio_rate = self->codec->clock_rate;
  guint rate;

  gst_clear_caps (&self->dtmf_caps);
  self->dtmf_payload_type = params->dtmf_payload_type;
  self->dtmf_timestamp_scale = 1;
  self->tone_rate = self->codec->audio_rate;
  self->event_end = GST_CLOCK_TIME_NONE;
  if (self->dtmf_payload_type < 0)
    return;
  rate = params->dtmf_clock_rate > 0 ? params->dtmf_clock_rate : audio_rate;
  self->dtmf_caps
    = gst_caps_new_simple ("application/x-rtp", "media", G_TYPE_STRING, "audio", "clock-rate",
                           G_TYPE_INT, (int) rate, "encoding-name", G_TYPE_STRING,
                           "TELEPHONE-EVENT", "payload", G_TYPE_INT, self->dtmf_payload_type, NULL);
  if (audio_rate > rate && audio_rate % rate == 0)
    self->dtmf_timestamp_scale = audio_rate / rate;
}

/* Links @payloader (the send codec bin) to @rtpbin through an rtpdtmfmux
 * that also takes the RFC 4733 events. */
gboolean
ap_audio_session_dtmf_build_send (ApAudioSession *self, GstElement *pipeline, GstElement *payloader,
                                  GstElement *rtpbin, GError **error)
{
  g_autoptr (GstPad) source_pad = NULL;
  g_autoptr (GstPad) priority_pad = NULL;
  g_autoptr (GstPad) audio_pad = NULL;
  g_autoptr (GstPad) payloader_pad = NULL;
  GstElement *mux, *source;
  int rate = 0;

  g_assert (self->dtmf_caps != NULL);
  gst_structure_get_int (gst_caps_get_structure (self->dtmf_caps, 0), "clock-rate", &rate);
  if ((mux = ap_audio_make_element ("rtpdtmfmux", "dtmf-mux", error)) == NULL)
    return FALSE;
  gst_bin_add (GST_BIN (pipeline), mux);
  if ((source = ap_audio_make_element ("rtpdtmfsrc", "dtmf-source", error)) == NULL)
    return FALSE;
  gst_bin_add (GST_BIN (pipeline), source);

  g_object_set (mux, "ssrc", self->ssrc, NULL);
  g_object_set (source, "ssrc", self->ssrc, "pt", (guint) self->dtmf_payload_type, "clock-rate",
                (guint) rate, "packet-redundancy", EVENT_REDUNDANCY, "timestamp-offset", 0, NULL);

  source_pad = gst_element_get_static_pad (source, "src");
  priority_pad = gst_element_request_pad_simple (mux, "priority_sink_%u");
  payloader_pad = gst_element_get_static_pad (payloader, "src");
  audio_pad = gst_element_request_pad_simple (mux, "sink_%u");
  gst_pad_add_probe (priority_pad, GST_PAD_PROBE_TYPE_QUERY_DOWNSTREAM, on_event_caps_query, self,
                     NULL);
  gst_pad_add_probe (priority_pad, GST_PAD_PROBE_TYPE_BUFFER, on_event_packet_muxed, self, NULL);
  gst_pad_add_probe (audio_pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST,
                     on_audio_packet_muxed, self, NULL);
  if (self->dtmf_timestamp_scale > 1)
    gst_pad_add_probe (source_pad, GST_PAD_PROBE_TYPE_BUFFER, on_event_packet_sent, self, NULL);

  if (gst_pad_link (source_pad, priority_pad) != GST_PAD_LINK_OK
      || gst_pad_link (payloader_pad, audio_pad) != GST_PAD_LINK_OK
      || !gst_element_link_pads (mux, "src", rtpbin, "send_rtp_sink_0"))
    {
      g_set_error (error, AP_ERROR, AP_ERROR_FAILED,
                   "Could not connect the DTMF sender to the audio pipeline");
      return FALSE;
    }
  self->dtmf_source = source;
  return TRUE;
}

/* In-band digits are added to what @element receives. */
void
ap_audio_session_dtmf_add_tone (ApAudioSession *self, GstElement *element)
{
  g_autoptr (GstPad) pad = gst_element_get_static_pad (element, "sink");

  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, on_outgoing_audio, self, NULL);
}

/* Streaming thread: @pad is rtpbin's new pad for the telephone-events of
 * one remote stream; give it a depayloader. */
gboolean
ap_audio_session_dtmf_receive (ApAudioSession *self, GstPad *pad, GError **error)
{
  g_autoptr (GstPad) depay_pad = NULL;
  GstElement *depay, *sink;

  g_debug ("Remote telephone-events on %s", GST_PAD_NAME (pad));
  if ((depay = ap_audio_make_element ("rtpdtmfdepay", NULL, error)) == NULL)
    return FALSE;
  if ((sink = ap_audio_make_element ("fakesink", NULL, error)) == NULL)
    {
      gst_object_unref (gst_object_ref_sink (depay));
      return FALSE;
    }
  g_object_set (sink, "sync", FALSE, "async", FALSE, NULL);
  gst_bin_add_many (GST_BIN (self->pipeline), depay, sink, NULL);
  depay_pad = gst_element_get_static_pad (depay, "sink");
  gst_pad_add_probe (depay_pad, GST_PAD_PROBE_TYPE_BUFFER, on_event_packet_received,
                     g_new0 (EventFilter, 1), g_free);
  if (!gst_element_link (depay, sink) || !gst_element_sync_state_with_parent (sink)
      || !gst_element_sync_state_with_parent (depay)
      || gst_pad_link (pad, depay_pad) != GST_PAD_LINK_OK)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_FAILED,
                   "Could not connect the received DTMF events to their decoder");
      return FALSE;
    }
  return TRUE;
}

/* The tee that splits the received audio to the output and to an in-band
 * DTMF detector; the caller links the tee into the output chain. */
GstElement *
ap_audio_session_dtmf_build_detector (ApAudioSession *self, GstElement *pipeline, GError **error)
{
  g_autoptr (GstCaps) caps = gst_caps_from_string ("audio/x-raw,format=S16LE,rate=8000,channels=1");
  const char *factories[]
    = { "tee", "queue", "audioconvert", "audioresample", "capsfilter", "dtmfdetect", "fakesink" };
  GstElement *elements[G_N_ELEMENTS (factories)];

  for (gsize i = 0; i < G_N_ELEMENTS (factories); i++)
    {
      elements[i] = ap_audio_make_element (factories[i], NULL, error);
      if (elements[i] == NULL)
        {
          for (gsize j = 0; j < i; j++)
            gst_object_unref (gst_object_ref_sink (elements[j]));
          return NULL;
        }
      gst_bin_add (GST_BIN (pipeline), elements[i]);
    }
  /* The detector must never hold up what the agent hears. */
  g_object_set (elements[0], "allow-not-linked", TRUE, NULL);
  gst_util_set_object_arg (G_OBJECT (elements[1]), "leaky", "downstream");
  g_object_set (elements[1], "max-size-time", (guint64) 200 * GST_MSECOND, NULL);
  g_object_set (elements[4], "caps", caps, NULL);
  g_object_set (elements[6], "sync", FALSE, "async", FALSE, NULL);
  for (gsize i = 0; i + 1 < G_N_ELEMENTS (elements); i++)
    if (!gst_element_link (elements[i], elements[i + 1]))
      {
        g_set_error (error, AP_ERROR, AP_ERROR_FAILED,
                     "Could not build the in-band DTMF detector (%s to %s)", factories[i],
                     factories[i + 1]);
        return NULL;
      }
  g_debug ("Listening for in-band DTMF in the received audio");
  return elements[0];
}

/* From the bus watch: rtpdtmfdepay's (or dtmfdetect's) "dtmf-event"
 * message is a received digit. Returns whether @message was about DTMF. */
gboolean
ap_audio_session_dtmf_message (ApAudioSession *self, GstMessage *message)
{
  const GstStructure *structure = gst_message_get_structure (message);
  GstElementFactory *factory;
  char digit[2] = { 0 };
  int number;

  if (structure == NULL || !GST_IS_ELEMENT (GST_MESSAGE_SRC (message)))
    return FALSE;
  if (gst_structure_has_name (structure, "dtmf-event-dropped"))
    {
      g_debug ("A DTMF event was dropped before it was sent");
      return TRUE;
    }
  factory = gst_element_get_factory (GST_ELEMENT (GST_MESSAGE_SRC (message)));
  if (!gst_structure_has_name (structure, "dtmf-event") || factory == NULL
      || (!g_str_equal (gst_plugin_feature_get_name (GST_PLUGIN_FEATURE (factory)), "rtpdtmfdepay")
          && !g_str_equal (gst_plugin_feature_get_name (GST_PLUGIN_FEATURE (factory)),
                           "dtmfdetect")))
    return FALSE;
  if (!gst_structure_get_int (structure, "number", &number) || number < 0
      || number >= (int) strlen (event_digits))
    return TRUE;
  /* The digit itself stays out of the log: it may be a PIN. */
  g_debug ("DTMF digit received");
  digit[0] = event_digits[number];
  ap_media_session_emit_dtmf (AP_MEDIA_SESSION (self), digit);
  return TRUE;
}

/* Ends whatever digit is being sent, at once: we stopped sending, or
 * (@closing) the pipeline is about to stop. */
void
ap_audio_session_dtmf_cancel (ApAudioSession *self, gboolean closing)
{
  /* rtpdtmfsrc (1.22) leaks an event stopped by a state change while it
   * still owes retransmissions of its last packet: owe none. */
  if (closing && self->dtmf_source != NULL)
    g_object_set (self->dtmf_source, "packet-redundancy", 1, NULL);
  stop_event (self);
  g_mutex_lock (&self->dtmf_lock);
  self->tone.length = 0;
  self->tone.position = 0;
  g_mutex_unlock (&self->dtmf_lock);
}

/* ApMediaSession.send_dtmf */
gboolean
ap_audio_session_send_dtmf (ApMediaSession *session, char digit, guint duration_ms, gboolean inband,
                            GError **error)
{
  ApAudioSession *self = AP_AUDIO_SESSION (session);
  const DtmfKey *key = find_key (digit);
  guint max_ms;
  int rate;

  if (key == NULL)
    {
      if (g_ascii_isgraph (digit))
        g_set_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT,
                     "“%c” is not a DTMF digit: use 0-9, *, # or A-D", digit);
      else
        g_set_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT,
                     "Character 0x%02x is not a DTMF digit: use 0-9, *, # or A-D",
                     (guint) (guchar) digit);
      return FALSE;
    }
  if (duration_ms == 0 || duration_ms > MAX_DURATION_MS)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT,
                   "A DTMF digit lasts 1 to %d ms, not %u ms", MAX_DURATION_MS, duration_ms);
      return FALSE;
    }
  if (self->pipeline == NULL || self->params == NULL)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_STATE,
                   "The call has no audio running yet: DTMF can be sent once it is connected");
      return FALSE;
    }
  if (self->failed)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_STATE,
                   "The call's audio has failed: DTMF cannot be sent in it");
      return FALSE;
    }
  if (!ap_audio_direction_sends (self->params->direction))
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_STATE,
                   "The call is on hold or receive-only: DTMF can be sent once audio flows to "
                   "the far end again");
      return FALSE;
    }

  if (inband)
    {
      g_mutex_lock (&self->dtmf_lock);
      self->tone.low_hz = key->low_hz;
      self->tone.high_hz = key->high_hz;
      self->tone.position = 0;
      self->tone.length = (guint64) self->tone_rate * duration_ms / 1000;
      g_mutex_unlock (&self->dtmf_lock);
      g_debug ("Playing a DTMF digit in-band for %u ms", duration_ms);
      return TRUE;
    }

  if (self->dtmf_source == NULL)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_NOT_SUPPORTED,
                   "The far end did not accept RFC 4733 telephone-events for this call: send "
                   "the digits in-band or by SIP INFO instead");
      return FALSE;
    }
  /* One event's duration field holds at most 0xFFFF clock ticks. */
  gst_structure_get_int (gst_caps_get_structure (self->dtmf_caps, 0), "clock-rate", &rate);
  max_ms = (guint) (0xFFFFu * 1000u / (guint) rate) - 2 * self->ptime;
  if (duration_ms > max_ms)
    {
      g_debug ("DTMF event shortened from %u to %u ms", duration_ms, max_ms);
      duration_ms = max_ms;
    }

  /* A digit still playing ends first; the source plays them in order. */
  stop_event (self);
  if (!send_event (self, key))
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_STATE,
                   "The call's audio is still starting: DTMF can be sent in a moment");
      return FALSE;
    }
  g_debug ("Sending a DTMF event for %u ms", duration_ms);
  self->dtmf_stop_source = g_timeout_source_new (duration_ms);
  g_source_set_callback (self->dtmf_stop_source, on_event_done, self, NULL);
  g_source_set_static_name (self->dtmf_stop_source, "[agentphone] DTMF event end");
  g_source_attach (self->dtmf_stop_source, self->context);
  return TRUE;
}
