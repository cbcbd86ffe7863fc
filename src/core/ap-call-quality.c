/* ap-call-quality.c: what a call knows about its audio quality.
 *
 * The media reports facts (loss, jitter, round trip, packet counts) about
 * once a second; the call adds the estimated MOS (ap-emodel.c) and keeps
 * them as its "stats" property. The same facts drive the rtp-timeout: a
 * connected call that receives no RTP for that long is ended, with a reason
 * that says so, instead of leaving an agent on dead air. */
#define G_LOG_DOMAIN "Agentphone-core"

#include "ap-call.h"
#include "ap-call-private.h"

#include <glib/gi18n.h>

#include "ap-emodel.h"

#define TIMEOUT_CHECK_MS 1000
#define RTP_TIMEOUT_CODE 408

static double
lookup_double (GVariantDict *dict, const char *key)
{
  double value = 0.0;

  g_variant_dict_lookup (dict, key, "d", &value);
  return value;
}

static void
on_media_stats (ApMediaSession *media, GVariant *facts, ApCall *self)
{
  g_auto (GVariantDict) dict = G_VARIANT_DICT_INIT (facts);
  guint64 received = 0;
  double mos;

  if (self->state == AP_CALL_STATE_ENDED)
    return;
  if (g_variant_dict_lookup (&dict, "packets-received", "t", &received)
      && received != self->packets_received)
    {
      self->packets_received = received;
      self->last_rtp_time = g_get_monotonic_time ();
    }
  /* Nothing heard yet: no score (0) rather than a perfect one. */
  mos = received == 0 ? 0.0
                      : ap_emodel_mos (self->audio_codec, lookup_double (&dict, "loss-percent"),
                                       lookup_double (&dict, "delay-ms"));
  g_variant_dict_insert (&dict, "mos", "d", mos);

  g_clear_pointer (&self->stats, g_variant_unref);
  self->stats = g_variant_ref_sink (g_variant_dict_end (&dict));
  ap_call_notify_stats (self);
}

/* Only a call that should be receiving audio can time out: on hold either
 * way the far end may rightly send nothing. */
static gboolean
expects_rtp (ApCall *self)
{
  return self->state == AP_CALL_STATE_CONNECTED && !self->held && !self->remote_held
         && !self->hold_pending;
}

static gboolean
on_timeout_check (gpointer user_data)
{
  ApCall *self = user_data;
  gint64 now = g_get_monotonic_time ();
  g_autofree char *reason = NULL;

  if (self->rtp_timeout == 0 || !expects_rtp (self))
    {
      self->last_rtp_time = now;
      return G_SOURCE_CONTINUE;
    }
  if (now - self->last_rtp_time < (gint64) self->rtp_timeout * G_USEC_PER_SEC)
    return G_SOURCE_CONTINUE;

  reason
    = g_strdup_printf (_ ("No audio from the far end for %u s (rtp-timeout)"), self->rtp_timeout);
  g_message ("Call %u: %s", self->id, reason);
  self->quality_id = 0;
  g_object_ref (self);
  /* Ended first, so the reason is ours and not the BYE's. */
  ap_call_ended (self, RTP_TIMEOUT_CODE, reason);
  if (self->backend)
    ap_call_backend_hangup (self->backend, NULL);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

/* ap-call.c: the media was set. */
void
ap_call_quality_watch (ApCall *self)
{
  g_signal_connect (self->media, "stats", G_CALLBACK (on_media_stats), self);
}

/* ap-call.c: the call is connected; RTP should come from now on. */
void
ap_call_quality_start (ApCall *self)
{
  self->last_rtp_time = g_get_monotonic_time ();
  if (self->quality_id == 0 && self->media != NULL)
    self->quality_id = g_timeout_add (TIMEOUT_CHECK_MS, on_timeout_check, self);
}

/* ap-call.c: the call ended or goes away. */
void
ap_call_quality_stop (ApCall *self)
{
  g_clear_handle_id (&self->quality_id, g_source_remove);
}

/**
 * ap_call_set_rtp_timeout:
 * @seconds: end the connected call after this long without RTP; 0: never
 *
 * The `rtp-timeout` setting, given by the phone to each call.
 */
void
ap_call_set_rtp_timeout (ApCall *self, guint seconds)
{
  g_return_if_fail (AP_IS_CALL (self));
  self->rtp_timeout = seconds;
}

/**
 * ap_call_get_stats:
 *
 * Returns: (transfer none): the latest quality facts as `a{sv}`:
 * `jitter-ms`, `loss-percent`, `rtt-ms`, `mos`, `bitrate-kbps` (d),
 * `packets-sent`, `packets-received` (t) and what else the media reports;
 * empty before the media has reported.
 */
GVariant *
ap_call_get_stats (ApCall *self)
{
  g_return_val_if_fail (AP_IS_CALL (self), NULL);
  return self->stats;
}
