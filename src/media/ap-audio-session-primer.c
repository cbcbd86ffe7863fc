/* ap-audio-session-primer.c: the first RTP packet leaves one capture
 * period after the pipeline starts, not one packet time.
 *
 * An encoder (or a payloader) sends a packet once it holds a packet's worth
 * of audio: with 20 ms packets and a source that delivers every 10 ms, the
 * first packet waits for the second capture buffer, and a call's set-up
 * (MediaActive needs a packet each way) waits with it. Silence as long as
 * the packet time minus one capture period, put before the first buffer,
 * lets the first packet leave with the first buffer. It costs no latency:
 * every later packet still leaves with the capture buffer that completes it
 * (the silence is a whole number of periods), it just holds audio one
 * period earlier. A source whose period does not divide the packet time
 * gets no silence, since then it would hold audio back. */
#define G_LOG_DOMAIN "Agentphone-media"

#include "ap-audio-session-private.h"

#include <gst/audio/audio.h>

typedef struct {
  guint ptime_ms;
  gint period_us; /* the source's first buffer; 0 until seen, -1 if unknown */
} Primer;

/**
 * ap_audio_primer_ms:
 * @ptime_ms: the packet time
 * @period_us: how much audio one capture buffer holds, in µs
 *
 * Returns: the silence to put before the first capture buffer, in ms: the
 *   packet time less one period when the period divides it, else 0
 */
guint
ap_audio_primer_ms (guint ptime_ms, gint period_us)
{
  gint period_ms = (period_us + 500) / 1000;

  /* A period off a whole ms (e.g. 1024 samples) cannot divide a packet. */
  if (period_ms <= 0 || ABS (period_us - period_ms * 1000) > 50 || (guint) period_ms >= ptime_ms
      || ptime_ms % (guint) period_ms != 0)
    return 0;
  return ptime_ms - (guint) period_ms;
}

static gint
buffer_duration_us (GstPad *pad, GstBuffer *buffer)
{
  g_autoptr (GstCaps) caps = NULL;
  GstAudioInfo info;

  if (GST_BUFFER_DURATION_IS_VALID (buffer))
    return (gint) MIN (GST_BUFFER_DURATION (buffer) / GST_USECOND, G_MAXINT);
  caps = gst_pad_get_current_caps (pad);
  if (caps == NULL || !gst_audio_info_from_caps (&info, caps) || info.bpf == 0)
    return -1;
  return (gint) MIN (gst_util_uint64_scale (gst_buffer_get_size (buffer) / info.bpf, G_USEC_PER_SEC,
                                            (guint64) info.rate),
                     G_MAXINT);
}

/* Source thread: what the source delivers at a time. */
static GstPadProbeReturn
on_capture_buffer (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  Primer *primer = user_data;
  g_atomic_int_set (&primer->period_us, buffer_duration_us (pad, GST_PAD_PROBE_INFO_BUFFER (info)));
  return GST_PAD_PROBE_REMOVE;
}

/* @buffer with @ms of silence before it, in the format of @info. */
static GstBuffer *
with_silence_before (GstBuffer *buffer, const GstAudioInfo *info, guint ms)
{
  gsize frames = (gsize) info->rate * ms / 1000;
  gsize size = frames * (gsize) info->bpf;
  GstBuffer *primed = gst_buffer_new_allocate (NULL, size, NULL);
  GstMapInfo map;

  if (gst_buffer_map (primed, &map, GST_MAP_WRITE))
    {
      gst_audio_format_info_fill_silence (info->finfo, map.data, map.size);
      gst_buffer_unmap (primed, &map);
    }
  /* Same start time, longer: the encoder counts samples from the first
   * buffer's time, so later buffers keep their place within its tolerance. */
  gst_buffer_copy_into (primed, buffer, GST_BUFFER_COPY_FLAGS | GST_BUFFER_COPY_TIMESTAMPS, 0, 0);
  if (GST_BUFFER_DURATION_IS_VALID (buffer))
    GST_BUFFER_DURATION (primed) = GST_BUFFER_DURATION (buffer) + ms * GST_MSECOND;
  return gst_buffer_append (primed, gst_buffer_ref (buffer));
}

/* Source thread: the first buffer reaching the encoder. */
static GstPadProbeReturn
on_first_to_encoder (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  Primer *primer = user_data;
  guint ms = ap_audio_primer_ms (primer->ptime_ms, g_atomic_int_get (&primer->period_us));
  g_autoptr (GstCaps) caps = gst_pad_get_current_caps (pad);
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  GstAudioInfo audio;

  if (ms == 0 || caps == NULL || !gst_audio_info_from_caps (&audio, caps))
    return GST_PAD_PROBE_REMOVE;
  GST_PAD_PROBE_INFO_DATA (info) = with_silence_before (buffer, &audio, ms);
  gst_buffer_unref (buffer);
  g_debug ("The first packet leaves with the first capture buffer (%u ms of silence before it)",
           ms);
  return GST_PAD_PROBE_REMOVE;
}

/**
 * ap_audio_session_primer_add:
 * @capture: the first element after the source (sees its buffers as made)
 * @encoder: the send bin, whose "sink" takes raw audio
 * @ptime_ms: the packet time
 *
 * Lets the first packet leave with the first capture buffer.
 */
void
ap_audio_session_primer_add (GstElement *capture, GstElement *encoder, guint ptime_ms)
{
  g_autoptr (GstPad) capture_pad = gst_element_get_static_pad (capture, "sink");
  g_autoptr (GstPad) encoder_pad = gst_element_get_static_pad (encoder, "sink");
  Primer *primer = g_rc_box_new0 (Primer);

  g_assert (capture_pad != NULL && encoder_pad != NULL);
  primer->ptime_ms = ptime_ms;
  gst_pad_add_probe (capture_pad, GST_PAD_PROBE_TYPE_BUFFER, on_capture_buffer,
                     g_rc_box_acquire (primer), g_rc_box_release);
  gst_pad_add_probe (encoder_pad, GST_PAD_PROBE_TYPE_BUFFER, on_first_to_encoder, primer,
                     g_rc_box_release);
}
