/* ap-audio-session-probe.c: how far ahead of the speaker webrtcechoprobe
 * hands played audio to the echo canceller.
 *
 * When the pipeline's latency L is set (the LATENCY event), the probe asks
 * what is upstream of it (the jitter buffer, the decoder, the mixer: U, 90
 * ms with Opus) and uses U as the canceller's stream delay: for a capture
 * at running time R it hands over the played sample the speaker plays at
 * R + U, i.e. the sample timestamped R + U − L. Played audio reaches the
 * probe about U + 10 ms after its timestamp (the live mixer releases it
 * when the clock says so), L − U − 10 ms before it plays. With a device
 * (pulsesink: L ≈ 220 ms) that is long before R + U: fine. With an output
 * that adds little latency of its own (fakesink or udpsink with sync, L ≈
 * 110 ms) the wanted sample never is there yet: the probe handed the
 * canceller silence and, flushing only what it copies, kept every played
 * buffer up to its 1 MiB cap (~2 MB of RSS per call, measured in
 * bench-calls).
 *
 * The pairing of capture and played audio stays exact with any delay D the
 * audio can meet (the probe tells the canceller D), so the probe's own
 * latency query is answered with D = L − U − MARGIN_MS, at least
 * MIN_DELAY_MS and never more than U: unchanged with a device, small where
 * the output is quick. The sink's latency query, which sets L, goes through
 * the same pad and is left alone: only the query the probe makes while it
 * handles the LATENCY event is changed. */
#define G_LOG_DOMAIN "Agentphone-media"

#include "ap-audio-session-private.h"

/* How late played audio may reach the probe after the mixer's period (one
 * period) plus the capture's processing (another). */
#define MARGIN_MS 20
#define MIN_DELAY_MS 10

typedef struct {
  gint armed;
  GstClockTime latency; /* L, from the LATENCY event */
} ProbeDelay;

/* The LATENCY event reaching the probe; its handler queries next, on this
 * thread. */
static GstPadProbeReturn
on_latency_event (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  ProbeDelay *state = user_data;
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);

  if (GST_EVENT_TYPE (event) != GST_EVENT_LATENCY)
    return GST_PAD_PROBE_OK;
  gst_event_parse_latency (event, &state->latency);
  g_atomic_int_set (&state->armed, 1);
  return GST_PAD_PROBE_OK;
}

/* The answer to a latency query through the probe's source pad: only the
 * probe's own (armed by the event) is changed. */
static GstPadProbeReturn
on_latency_answer (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  ProbeDelay *state = user_data;
  GstQuery *query = GST_PAD_PROBE_INFO_QUERY (info);
  GstClockTime upstream, max_latency, delay;
  gboolean live;

  if (GST_QUERY_TYPE (query) != GST_QUERY_LATENCY
      || !g_atomic_int_compare_and_exchange (&state->armed, 1, 0))
    return GST_PAD_PROBE_OK;
  gst_query_parse_latency (query, &live, &upstream, &max_latency);
  if (!GST_CLOCK_TIME_IS_VALID (upstream) || !GST_CLOCK_TIME_IS_VALID (state->latency))
    return GST_PAD_PROBE_OK;
  /* A latency below what is upstream of the probe is not the output's yet
   * (a device sink's first LATENCY event can say 0): trusting it put the
   * delay at 10 ms against a 220 ms output and the canceller at 1.7 dB. */
  if (state->latency <= upstream)
    return GST_PAD_PROBE_OK;
  delay = state->latency > upstream + MARGIN_MS * GST_MSECOND
            ? state->latency - upstream - MARGIN_MS * GST_MSECOND
            : 0;
  delay = MAX (delay, MIN_DELAY_MS * GST_MSECOND);
  if (delay >= upstream)
    return GST_PAD_PROBE_OK;
  g_debug ("Echo canceller's delay %.1f ms (output latency %.1f ms, %.1f ms upstream of the probe)",
           (double) delay / GST_MSECOND, (double) state->latency / GST_MSECOND,
           (double) upstream / GST_MSECOND);
  gst_query_set_latency (query, live, delay, max_latency);
  return GST_PAD_PROBE_OK;
}

/**
 * ap_audio_session_probe_tune:
 * @probe: a webrtcechoprobe, not yet started
 *
 * Makes @probe ask for played audio only as early as the output lets it
 * arrive (see above).
 */
void
ap_audio_session_probe_tune (GstElement *probe)
{
  g_autoptr (GstPad) pad = gst_element_get_static_pad (probe, "src");
  ProbeDelay *state = g_new0 (ProbeDelay, 1);

  state->latency = GST_CLOCK_TIME_NONE;
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_EVENT_UPSTREAM, on_latency_event, state, NULL);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_QUERY_UPSTREAM | GST_PAD_PROBE_TYPE_PULL,
                     on_latency_answer, state, g_free);
}
