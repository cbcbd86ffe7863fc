/* ap-video-session-adapt.c: sending less video while the far end loses
 * packets. Every two seconds the far end's latest RTCP receiver report
 * about our stream (its fraction lost) decides: above 5 % the bitrate drops
 * by 30 % (not under 100 kbit/s), and once it is down to 200 kbit/s the
 * picture halves to 320×240; after three clean reports (under 1 %) it
 * climbs back by 15 % a step, and to 640×480 from 300 kbit/s. */
#define G_LOG_DOMAIN "Agentphone-media"

#include "ap-video-session-private.h"

#define ADAPT_INTERVAL_S 2
#define LOSSY_PERCENT 5.0
#define CLEAN_PERCENT 1.0
#define CLEAN_ROUNDS 3
#define SMALL_BELOW_KBPS 200
#define LARGE_FROM_KBPS 300

/* The far end's report on our stream: its fraction lost, as a percentage;
 * negative when there is no report yet. */
static double
reported_loss (ApVideoSession *self)
{
  g_autoptr (GObject) session = NULL;
  g_autoptr (GstStructure) stats = NULL;
  const GValue *value;
  GValueArray *array;
  double loss = -1.0;

  g_signal_emit_by_name (self->rtpbin, "get-internal-session", 0, &session);
  if (session == NULL)
    return -1.0;
  g_object_get (session, "stats", &stats, NULL);
  value = stats ? gst_structure_get_value (stats, "source-stats") : NULL;
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (value == NULL || !G_VALUE_HOLDS (value, g_value_array_get_type ()))
    return -1.0;
  array = g_value_get_boxed (value);
  for (guint i = 0; array != NULL && i < array->n_values; i++)
    {
      GstStructure *source = g_value_get_boxed (g_value_array_get_nth (array, i));
      gboolean internal = TRUE, have_rb = FALSE;
      guint rb_ssrc = 0, fraction = 0;

      gst_structure_get_boolean (source, "internal", &internal);
      gst_structure_get_boolean (source, "have-rb", &have_rb);
      gst_structure_get_uint (source, "rb-ssrc", &rb_ssrc);
      gst_structure_get_uint (source, "rb-fractionlost", &fraction);
      if (!internal && have_rb && rb_ssrc == self->ssrc)
        loss = fraction * 100.0 / 256.0;
    }
  G_GNUC_END_IGNORE_DEPRECATIONS
  return loss;
}

static void
apply_bitrate (ApVideoSession *self)
{
  if (self->encoder == NULL)
    return;
  if (self->h264)
    g_object_set (self->encoder, "bitrate", self->bitrate_kbps, NULL);
  else
    g_object_set (self->encoder, "target-bitrate", (int) self->bitrate_kbps * 1000, NULL);
}

/**
 * ap_video_session_adapt_to_loss:
 * @loss_percent: what the far end reports losing of our stream
 *
 * One step of the adaptation (see the file's comment). Public to the
 * media layer so tests can drive it with a given loss.
 */
void
ap_video_session_adapt_to_loss (ApVideoSession *self, double loss_percent)
{
  guint old_bitrate = self->bitrate_kbps;
  guint old_width = self->width;

  self->loss_percent = loss_percent;
  if (loss_percent > LOSSY_PERCENT)
    {
      self->clean_rounds = 0;
      self->bitrate_kbps = MAX (AP_VIDEO_MIN_BITRATE_KBPS, self->bitrate_kbps * 7 / 10);
      if (self->bitrate_kbps <= SMALL_BELOW_KBPS)
        {
          self->width = AP_VIDEO_WIDTH / 2;
          self->height = AP_VIDEO_HEIGHT / 2;
        }
    }
  else if (loss_percent < CLEAN_PERCENT && ++self->clean_rounds >= CLEAN_ROUNDS)
    {
      self->bitrate_kbps = MIN (AP_VIDEO_BITRATE_KBPS, self->bitrate_kbps * 115 / 100);
      if (self->bitrate_kbps >= LARGE_FROM_KBPS)
        {
          self->width = AP_VIDEO_WIDTH;
          self->height = AP_VIDEO_HEIGHT;
        }
    }
  if (self->bitrate_kbps != old_bitrate)
    {
      g_debug ("Video: %.1f %% lost at the far end, sending %u kbit/s at %u×%u", loss_percent,
               self->bitrate_kbps, self->width, self->height);
      apply_bitrate (self);
    }
  if (self->width != old_width)
    ap_video_session_apply_send_size (self);
}

static gboolean
on_adapt (gpointer user_data)
{
  ApVideoSession *self = user_data;
  double loss;

  if (self->rtpbin == NULL)
    return G_SOURCE_CONTINUE;
  loss = reported_loss (self);
  if (loss >= 0.0)
    ap_video_session_adapt_to_loss (self, loss);
  return G_SOURCE_CONTINUE;
}

void
ap_video_session_adapt_start (ApVideoSession *self)
{
  if (self->adapt_source != NULL)
    return;
  self->adapt_source = g_timeout_source_new_seconds (ADAPT_INTERVAL_S);
  g_source_set_callback (self->adapt_source, on_adapt, self, NULL);
  g_source_set_static_name (self->adapt_source, "[agentphone] video adaptation");
  g_source_attach (self->adapt_source, self->context);
}

void
ap_video_session_adapt_stop (ApVideoSession *self)
{
  if (self->adapt_source == NULL)
    return;
  g_source_destroy (self->adapt_source);
  g_clear_pointer (&self->adapt_source, g_source_unref);
  self->bitrate_kbps = AP_VIDEO_BITRATE_KBPS;
  self->width = AP_VIDEO_WIDTH;
  self->height = AP_VIDEO_HEIGHT;
  self->clean_rounds = 0;
  self->loss_percent = 0.0;
}
