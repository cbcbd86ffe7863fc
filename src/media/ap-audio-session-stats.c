/* ap-audio-session-stats.c: what RTCP and the jitter buffer tell about a
 * call's audio, and what we do about it.
 *
 * Once a second, in the main context, the session reads rtpbin's session
 * statistics (our source: packets and octets sent; the far end's source:
 * received, lost, interarrival jitter, and the round trip from its receiver
 * reports on our sender reports) and the jitter buffers' late packets, and
 * emits them as the "stats" signal. The same figures size the jitter
 * buffer: it grows at once when packets come too late or the jitter rises,
 * and shrinks back slowly, never below the latency the pipeline was built
 * with nor above JITTER_BUFFER_MAX_MS. When the session stops, an RTCP BYE
 * tells the far end we are gone. */
#define G_LOG_DOMAIN "Agentphone-media"

#include "ap-audio-session-private.h"

#include <gst/rtp/gstrtcpbuffer.h>

#define STATS_INTERVAL_MS 1000
/* Loss and bitrate are judged over the last few reports: one second of
 * 50 packets is too few to tell 10 % from 6 %. */
#define WINDOW 5
/* One-way delay above 150 ms is where G.114 says conversation suffers: the
 * jitter buffer alone must stay well below. */
#define JITTER_BUFFER_MAX_MS 200
#define JITTER_BUFFER_STEP_MS 20
/* The jitter buffer shrinks one step after this many calm reports. */
#define CALM_REPORTS 10
#define BYE_TIMEOUT_US (300 * G_TIME_SPAN_MILLISECOND)

typedef struct {
  guint64 received;
  gint64 lost;
  guint64 octets;
  gint64 time;
} Sample;

struct _ApAudioStats {
  Sample samples[WINDOW + 1];
  guint n_samples;
  /* Counts of earlier pipelines of this call (a codec change builds a new
   * one, whose rtpbin counts from zero). */
  guint64 sent_base, received_base, lost_base;
  guint64 sent, received, lost;
  guint64 late;
  guint floor_ms;
  guint latency_ms;
  guint calm;
};

/* The far end's source with the most packets (a far end that restarted
 * its stream has an old, silent one), and ours. */
typedef struct {
  GstStructure *remote;
  guint64 remote_received;
  guint64 sent;
} Sources;

static void
find_sources (GstStructure *session_stats, guint32 our_ssrc, Sources *sources)
{
  const GValue *value = gst_structure_get_value (session_stats, "source-stats");
  GValueArray *array;

  /* rtpbin still hands out a GValueArray. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (value == NULL || !G_VALUE_HOLDS (value, g_value_array_get_type ()))
    return;
  array = g_value_get_boxed (value);
  for (guint i = 0; array != NULL && i < array->n_values; i++)
    {
      GstStructure *source = g_value_get_boxed (g_value_array_get_nth (array, i));
      gboolean internal = FALSE;
      guint ssrc = 0;
      guint64 count = 0;

      gst_structure_get_boolean (source, "internal", &internal);
      gst_structure_get_uint (source, "ssrc", &ssrc);
      if (internal && ssrc == our_ssrc)
        gst_structure_get_uint64 (source, "packets-sent", &sources->sent);
      else if (!internal && gst_structure_get_uint64 (source, "packets-received", &count)
               && (sources->remote == NULL || count > sources->remote_received))
        {
          sources->remote = source;
          sources->remote_received = count;
        }
    }
  G_GNUC_END_IGNORE_DEPRECATIONS
}

/* Packets the jitter buffers gave up on because they came too late. */
static guint64
count_late (GstElement *rtpbin)
{
  g_autoptr (GstIterator) iter = gst_bin_iterate_recurse (GST_BIN (rtpbin));
  GValue item = G_VALUE_INIT;
  guint64 late = 0;

  while (gst_iterator_next (iter, &item) == GST_ITERATOR_OK)
    {
      GstElement *element = g_value_get_object (&item);
      GstElementFactory *factory = gst_element_get_factory (element);
      GstStructure *stats = NULL;
      guint64 count = 0;

      if (factory != NULL
          && g_str_equal (gst_plugin_feature_get_name (GST_PLUGIN_FEATURE (factory)),
                          "rtpjitterbuffer"))
        {
          g_object_get (element, "stats", &stats, NULL);
          if (stats != NULL && gst_structure_get_uint64 (stats, "num-late", &count))
            late += count;
          g_clear_pointer (&stats, gst_structure_free);
        }
      g_value_reset (&item);
    }
  g_value_unset (&item);
  return late;
}

static guint
round_up (double ms, guint step)
{
  return (guint) ((ms + step - 1) / step) * step;
}

/* The playout delay grows one step as soon as packets came too late for
 * it (the jitter buffer had already played them as lost): that is the
 * evidence it is too short, where the mean jitter is not (a source that
 * sends bursts has a high mean jitter, but its packets are early, not
 * late). It shrinks a step after a calm spell, when one packet plus three
 * times the mean jitter (RFC 3550's estimate smooths peaks away) fits in
 * less. Each change is heard as a short glitch, hence the hysteresis. */
static void
adapt_jitter_buffer (ApAudioSession *self, double jitter_ms, guint64 late)
{
  ApAudioStats *stats = self->stats;
  guint needed = round_up (self->ptime + 3.0 * jitter_ms, JITTER_BUFFER_STEP_MS);
  guint latency = stats->latency_ms;

  if (late > stats->late)
    {
      latency = MIN (latency + JITTER_BUFFER_STEP_MS, JITTER_BUFFER_MAX_MS);
      stats->calm = 0;
    }
  else if (needed < latency && ++stats->calm >= CALM_REPORTS)
    latency = MAX (MAX (needed, latency - JITTER_BUFFER_STEP_MS), stats->floor_ms);
  else if (needed >= latency)
    stats->calm = 0;
  stats->late = late;
  if (latency == stats->latency_ms)
    return;
  stats->calm = 0;
  g_debug ("Jitter buffer %u → %u ms (jitter %.1f ms, %" G_GUINT64_FORMAT " late packets)",
           stats->latency_ms, latency, jitter_ms, late);
  stats->latency_ms = latency;
  /* rtpbin passes it on to its jitter buffers, which post a latency
   * message: the bus watch then re-times the output. */
  g_object_set (self->rtpbin, "latency", latency, NULL);
}

static void
push_sample (ApAudioStats *stats, const Sample *sample)
{
  if (stats->n_samples == G_N_ELEMENTS (stats->samples))
    {
      memmove (stats->samples, stats->samples + 1, sizeof (Sample) * (stats->n_samples - 1));
      stats->n_samples--;
    }
  stats->samples[stats->n_samples++] = *sample;
}

static gboolean
on_stats_tick (gpointer user_data)
{
  ApAudioSession *self = user_data;
  g_autoptr (ApAudioSession) hold = g_object_ref (self);
  ApAudioStats *stats = self->stats;
  g_autoptr (GObject) session = NULL;
  g_autoptr (GstStructure) session_stats = NULL;
  g_auto (GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);
  Sources sources = { NULL, 0, 0 };
  Sample now = { 0, 0, 0, g_get_monotonic_time () };
  const Sample *oldest;
  double jitter_ms = 0.0, loss = 0.0, rtt_ms = 0.0, kbps = 0.0, delay_ms;
  guint jitter = 0, round_trip = 0;
  int clock_rate = 0, lost = 0;
  gboolean have_rb = FALSE;

  if (self->rtpbin == NULL)
    return G_SOURCE_CONTINUE;
  g_signal_emit_by_name (self->rtpbin, "get-internal-session", 0, &session);
  if (session == NULL)
    return G_SOURCE_CONTINUE;
  g_object_get (session, "stats", &session_stats, NULL);
  if (session_stats != NULL)
    find_sources (session_stats, self->ssrc, &sources);
  stats->sent = sources.sent;

  if (sources.remote != NULL)
    {
      GstStructure *remote = sources.remote;

      now.received = sources.remote_received;
      gst_structure_get_int (remote, "packets-lost", &lost);
      gst_structure_get_uint64 (remote, "octets-received", &now.octets);
      gst_structure_get_uint (remote, "jitter", &jitter);
      gst_structure_get_int (remote, "clock-rate", &clock_rate);
      gst_structure_get_boolean (remote, "have-rb", &have_rb);
      gst_structure_get_uint (remote, "rb-round-trip", &round_trip);
      now.lost = lost;
      stats->received = now.received;
      stats->lost = MAX (lost, 0);
      if (clock_rate > 0)
        jitter_ms = jitter * 1000.0 / clock_rate;
      /* The round trip is 16.16 fixed-point seconds, and only known once
       * our SR went out and the far end's RR about it came back. */
      if (have_rb && round_trip > 0)
        rtt_ms = round_trip * 1000.0 / 65536.0;
    }
  push_sample (stats, &now);
  oldest = &stats->samples[0];
  if (now.received >= oldest->received && now.time > oldest->time)
    {
      guint64 received = now.received - oldest->received;
      gint64 missing = MAX (now.lost - oldest->lost, 0);

      if (received + missing > 0)
        loss = 100.0 * missing / (received + missing);
      kbps = (now.octets - oldest->octets) * 8.0 / 1000.0
             / ((double) (now.time - oldest->time) / G_USEC_PER_SEC);
    }

  adapt_jitter_buffer (self, jitter_ms, count_late (self->rtpbin));
  /* Mouth to ear: half the round trip, one packet of capture, and what
   * the receiving pipeline holds back (jitter buffer, decoder, mixer). */
  delay_ms = rtt_ms / 2.0 + self->ptime
             + MAX ((double) self->latency / GST_MSECOND, (double) stats->latency_ms);

  g_variant_dict_insert (&dict, "jitter-ms", "d", jitter_ms);
  g_variant_dict_insert (&dict, "loss-percent", "d", loss);
  g_variant_dict_insert (&dict, "rtt-ms", "d", rtt_ms);
  g_variant_dict_insert (&dict, "delay-ms", "d", delay_ms);
  g_variant_dict_insert (&dict, "bitrate-kbps", "d", kbps);
  g_variant_dict_insert (&dict, "jitter-buffer-ms", "d", (double) stats->latency_ms);
  g_variant_dict_insert (&dict, "packets-sent", "t", stats->sent_base + stats->sent);
  g_variant_dict_insert (&dict, "packets-received", "t", stats->received_base + stats->received);
  /* Never arrived (by sequence number): what a network monitor compares. */
  g_variant_dict_insert (&dict, "packets-lost", "t", stats->lost_base + stats->lost);
  g_variant_dict_insert (&dict, "rtcp-received", "t",
                         (guint64) g_atomic_int_get (&self->rtcp_received));
  ap_audio_session_video_add_stats (self, &dict);
  ap_media_session_emit_stats (AP_MEDIA_SESSION (self), g_variant_dict_end (&dict));
  return G_SOURCE_CONTINUE;
}

/**
 * ap_audio_session_stats_start:
 *
 * A pipeline was built around self->rtpbin: report its statistics from
 * now on, and adapt its jitter buffer starting from the latency it has.
 */
void
ap_audio_session_stats_start (ApAudioSession *self)
{
  if (self->stats == NULL)
    self->stats = g_new0 (ApAudioStats, 1);
  self->stats->n_samples = 0;
  self->stats->late = 0;
  self->stats->calm = 0;
  g_object_get (self->rtpbin, "latency", &self->stats->floor_ms, NULL);
  self->stats->latency_ms = self->stats->floor_ms;
  if (self->stats_source == NULL)
    {
      self->stats_source = g_timeout_source_new (STATS_INTERVAL_MS);
      g_source_set_callback (self->stats_source, on_stats_tick, self, NULL);
      g_source_set_static_name (self->stats_source, "[agentphone] audio stats");
      g_source_attach (self->stats_source, self->context);
    }
}

/* The pipeline goes: keep its counts for the next one. */
void
ap_audio_session_stats_pipeline_stopped (ApAudioSession *self)
{
  if (self->stats == NULL)
    return;
  self->stats->sent_base += self->stats->sent;
  self->stats->received_base += self->stats->received;
  self->stats->lost_base += self->stats->lost;
  self->stats->sent = 0;
  self->stats->received = 0;
  self->stats->lost = 0;
}

/* The session stops: no more reports. */
void
ap_audio_session_stats_stop (ApAudioSession *self)
{
  if (self->stats_source != NULL)
    {
      g_source_destroy (self->stats_source);
      g_clear_pointer (&self->stats_source, g_source_unref);
    }
  g_clear_pointer (&self->stats, g_free);
}

/* Shared with the RTCP thread, which may still run the probe after it is
 * removed: reference counted. */
typedef struct {
  GMutex lock;
  GCond cond;
  gboolean done;
} ByeWait;

static void
bye_wait_clear (gpointer data)
{
  ByeWait *wait = data;

  g_mutex_clear (&wait->lock);
  g_cond_clear (&wait->cond);
}

static void
bye_wait_release (gpointer data)
{
  g_atomic_rc_box_release_full (data, bye_wait_clear);
}

static gboolean
holds_bye (GstBuffer *buffer)
{
  GstRTCPBuffer rtcp = GST_RTCP_BUFFER_INIT;
  GstRTCPPacket packet;
  gboolean bye = FALSE;

  if (!gst_rtcp_buffer_map (buffer, GST_MAP_READ, &rtcp))
    return FALSE;
  for (gboolean more = gst_rtcp_buffer_get_first_packet (&rtcp, &packet); more && !bye;
       more = gst_rtcp_packet_move_to_next (&packet))
    bye = gst_rtcp_packet_get_type (&packet) == GST_RTCP_TYPE_BYE;
  gst_rtcp_buffer_unmap (&rtcp);
  return bye;
}

/* RTCP thread: the BYE went out (or the stream ended without one). */
static GstPadProbeReturn
on_rtcp_out (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  ByeWait *wait = user_data;

  if ((info->type & GST_PAD_PROBE_TYPE_BUFFER) != 0)
    {
      if (!holds_bye (GST_PAD_PROBE_INFO_BUFFER (info)))
        return GST_PAD_PROBE_OK;
    }
  else if ((info->type & GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM) == 0
           || GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) != GST_EVENT_EOS)
    return GST_PAD_PROBE_OK;
  g_mutex_lock (&wait->lock);
  wait->done = TRUE;
  g_cond_signal (&wait->cond);
  g_mutex_unlock (&wait->lock);
  return GST_PAD_PROBE_OK;
}

/**
 * ap_audio_session_stats_send_bye:
 *
 * Ends our RTP stream for good: rtpbin answers the end of its send stream
 * with an RTCP BYE. Waits for it, at most BYE_TIMEOUT_US, so the BYE
 * leaves before the pipeline is torn down. Only when the session stops: a
 * new pipeline (codec change) keeps our SSRC, which a far end would ignore
 * after a BYE.
 *
 * The BYE is looked for where rtpbin's session makes it, before any SRTP
 * encryption (an SRTCP packet hides it), and the session ends its RTCP
 * stream only once every source, the far end's too, said BYE: watched at
 * the UDP sink, every first side to hang up waited the whole timeout, and
 * its far end heard 300 ms more silence before the SIP BYE.
 */
void
ap_audio_session_stats_send_bye (ApAudioSession *self)
{
  g_autoptr (GstPad) rtp_sink = NULL;
  g_autoptr (GstPad) rtcp_out = NULL;
  g_autoptr (GObject) session = NULL;
  g_autoptr (GstElement) session_element = NULL;
  ByeWait *wait;
  gboolean done;
  gint64 start = g_get_monotonic_time ();
  gulong probe;
  gint64 deadline;

  /* Who never sent has nothing to say goodbye for (RFC 3550 6.3.7). */
  if (self->rtpbin == NULL || g_atomic_int_get (&self->packets_sent) == 0
      || (rtp_sink = gst_element_get_static_pad (self->rtpbin, "send_rtp_sink_0")) == NULL)
    return;
  g_signal_emit_by_name (self->rtpbin, "get-session", 0, &session_element);
  if (session_element == NULL
      || (rtcp_out = gst_element_get_static_pad (session_element, "send_rtcp_src")) == NULL)
    return;
  wait = g_atomic_rc_box_new0 (ByeWait);
  g_mutex_init (&wait->lock);
  g_cond_init (&wait->cond);
  probe
    = gst_pad_add_probe (rtcp_out, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
                         on_rtcp_out, g_atomic_rc_box_acquire (wait), bye_wait_release);
  /* A session that has not sent its first report yet would wait for its
   * RTCP interval: ask for the report now. Before the end of the stream:
   * asked after the BYE went out, it brought our source back to life and
   * sent a receiver report for it. */
  g_signal_emit_by_name (self->rtpbin, "get-internal-session", 0, &session);
  if (session != NULL)
    g_signal_emit_by_name (session, "send-rtcp", (guint64) 0);
  gst_pad_send_event (rtp_sink, gst_event_new_eos ());

  deadline = g_get_monotonic_time () + BYE_TIMEOUT_US;
  g_mutex_lock (&wait->lock);
  while (!wait->done)
    if (!g_cond_wait_until (&wait->cond, &wait->lock, deadline))
      break;
  done = wait->done;
  g_mutex_unlock (&wait->lock);
  gst_pad_remove_probe (rtcp_out, probe);
  bye_wait_release (wait);
  g_debug ("RTCP BYE %s after %.1f ms", done ? "sent" : "not confirmed",
           (g_get_monotonic_time () - start) / 1000.0);
}
