/* ap-audio-session-latch.c: symmetric RTP (RFC 4961 style "latching").
 *
 * A far end behind NAT announces a private address in its SDP, but its
 * packets arrive from the NAT's public address and port: send there, or it
 * never hears us. The receiving thread looks at the sender of each RTP
 * packet:
 * - from the address and port of the SDP: latched to it at once;
 * - from elsewhere: latched after LATCH_PACKETS consecutive valid packets
 *   (RTP version 2, the negotiated payload type, one SSRC) from that same
 *   address, so a stray packet cannot redirect the call;
 * - once latched, RTP from any other address is dropped (it would play as a
 *   second voice), except from the SDP's address, which always wins;
 * - an address a re-INVITE moved us away from never pulls us back (the old
 *   far end may keep sending for a while).
 * RTCP follows: to the port the far end's RTCP comes from on the latched
 * host, else the RTP port + 1. The destination changes in the main
 * context; a re-INVITE with a new address starts over. */
#define G_LOG_DOMAIN "Agentphone-media"

#include "ap-audio-session-private.h"

#include <gio/gio.h>
#include <gst/net/gstnetaddressmeta.h>
#include <gst/rtp/gstrtpbuffer.h>

#define LATCH_PACKETS 3

struct _ApRtpLatch {
  GMutex lock;
  guint generation; /* bumped by each reset: late main-context jobs see it */
  GInetSocketAddress *expected;
  GInetSocketAddress *latched;
  GInetSocketAddress *candidate;
  guint32 candidate_ssrc;
  guint candidate_count;
  GInetSocketAddress *rtcp;
  GInetSocketAddress *abandoned; /* the SDP's address before a re-INVITE */
  guint dropped;
  /* Tests only: AGENTPHONE_TEST_RTP_LOSS=<percent> drops that share of the
   * received RTP at random (repeatably), to prove concealment and the
   * statistics between real instances. Receiving thread only. */
  double test_loss;
  GRand *test_rand;
};

typedef struct {
  ApAudioSession *self;
  guint generation;
  gboolean rtcp;
  GInetSocketAddress *address;
} LatchJob;

static void
latch_job_free (gpointer data)
{
  LatchJob *job = data;

  g_object_unref (job->self);
  g_object_unref (job->address);
  g_free (job);
}

static gboolean
same_address (GInetSocketAddress *a, GInetSocketAddress *b)
{
  return a != NULL && b != NULL
         && g_inet_socket_address_get_port (a) == g_inet_socket_address_get_port (b)
         && g_inet_address_equal (g_inet_socket_address_get_address (a),
                                  g_inet_socket_address_get_address (b));
}

static gboolean
same_host (GInetSocketAddress *a, GInetSocketAddress *b)
{
  return a != NULL && b != NULL
         && g_inet_address_equal (g_inet_socket_address_get_address (a),
                                  g_inet_socket_address_get_address (b));
}

/* Main context: point a udpsink at where the far end really is. */
static gboolean
apply_latch (gpointer data)
{
  LatchJob *job = data;
  ApAudioSession *self = job->self;
  GstElement *sink = job->rtcp ? self->rtcp_udpsink : self->rtp_udpsink;
  g_autofree char *host = NULL;
  guint port = g_inet_socket_address_get_port (job->address);
  guint generation;
  gboolean rtcp_known;

  g_mutex_lock (&self->latch->lock);
  generation = self->latch->generation;
  rtcp_known = self->latch->rtcp != NULL;
  g_mutex_unlock (&self->latch->lock);
  if (sink == NULL || generation != job->generation)
    return G_SOURCE_REMOVE;
  host = g_inet_address_to_string (g_inet_socket_address_get_address (job->address));
  g_debug ("Symmetric RTP: sending %s to %s port %u, where the far end's packets come from",
           job->rtcp ? "RTCP" : "RTP", host, port);
  g_object_set (sink, "host", host, "port", (int) port, NULL);
  if (!job->rtcp && !rtcp_known)
    g_object_set (self->rtcp_udpsink, "host", host, "port", (int) port + 1, NULL);
  return G_SOURCE_REMOVE;
}

/* Called with the lock held. */
static void
schedule_apply (ApAudioSession *self, GInetSocketAddress *address, gboolean rtcp)
{
  LatchJob *job = g_new0 (LatchJob, 1);
  GSource *source;

  job->self = g_object_ref (self);
  job->generation = self->latch->generation;
  job->rtcp = rtcp;
  job->address = g_object_ref (address);
  /* Always deferred (g_main_context_invoke() might run it right here,
   * under the lock). */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, apply_latch, job, latch_job_free);
  g_source_set_static_name (source, "[agentphone] symmetric RTP");
  g_source_attach (source, self->context);
  g_source_unref (source);
}

static GInetSocketAddress *
sender_of (GstBuffer *buffer)
{
  GstNetAddressMeta *meta = gst_buffer_get_net_address_meta (buffer);

  if (meta == NULL || !G_IS_INET_SOCKET_ADDRESS (meta->addr))
    return NULL;
  return G_INET_SOCKET_ADDRESS (meta->addr);
}

/* Called with the lock held. Whether @buffer from @from may pass. */
static gboolean
judge_rtp (ApAudioSession *self, GstBuffer *buffer, GInetSocketAddress *from)
{
  ApRtpLatch *latch = self->latch;
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  guint pt;
  guint32 ssrc;

  if (same_address (from, latch->latched))
    return TRUE;
  if (!gst_rtp_buffer_map (buffer, GST_MAP_READ, &rtp))
    return FALSE;
  pt = gst_rtp_buffer_get_payload_type (&rtp);
  ssrc = gst_rtp_buffer_get_ssrc (&rtp);
  gst_rtp_buffer_unmap (&rtp);
  if (pt != self->payload_type && (int) pt != self->dtmf_payload_type)
    return FALSE;

  if (same_address (from, latch->expected))
    {
      /* What the SDP said: nothing to change, unless we had latched
       * elsewhere before. */
      if (latch->latched != NULL)
        schedule_apply (self, from, FALSE);
      g_set_object (&latch->latched, from);
      return TRUE;
    }
  if (latch->latched != NULL)
    return FALSE;
  if (same_address (from, latch->abandoned))
    return TRUE;

  if (same_address (from, latch->candidate) && ssrc == latch->candidate_ssrc)
    latch->candidate_count++;
  else
    {
      g_set_object (&latch->candidate, from);
      latch->candidate_ssrc = ssrc;
      latch->candidate_count = 1;
    }
  if (latch->candidate_count >= LATCH_PACKETS)
    {
      g_set_object (&latch->latched, from);
      schedule_apply (self, from, FALSE);
    }
  return TRUE;
}

/* RTP receiving thread. */
static GstPadProbeReturn
on_rtp_in (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  ApAudioSession *self = user_data;
  GInetSocketAddress *from = sender_of (GST_PAD_PROBE_INFO_BUFFER (info));
  gboolean pass;

  if (self->latch->test_loss > 0.0
      && g_rand_double (self->latch->test_rand) * 100.0 < self->latch->test_loss)
    return GST_PAD_PROBE_DROP;
  if (from == NULL)
    return GST_PAD_PROBE_OK;
  g_mutex_lock (&self->latch->lock);
  pass = judge_rtp (self, GST_PAD_PROBE_INFO_BUFFER (info), from);
  if (!pass && self->latch->dropped++ % 100 == 0)
    g_debug ("Dropping RTP from an unexpected sender (%u so far)", self->latch->dropped);
  g_mutex_unlock (&self->latch->lock);
  return pass ? GST_PAD_PROBE_OK : GST_PAD_PROBE_DROP;
}

/* RTCP receiving thread: RTCP goes back to where the far end's comes from,
 * once we know that host is the far end. */
static GstPadProbeReturn
on_rtcp_in (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  ApAudioSession *self = user_data;
  ApRtpLatch *latch = self->latch;
  GInetSocketAddress *from = sender_of (GST_PAD_PROBE_INFO_BUFFER (info));

  if (from == NULL)
    return GST_PAD_PROBE_OK;
  g_mutex_lock (&latch->lock);
  if (same_host (from, latch->latched) && !same_address (from, latch->rtcp))
    {
      GInetSocketAddress *expected_rtcp = NULL;
      gboolean as_announced;

      if (latch->expected != NULL)
        expected_rtcp = G_INET_SOCKET_ADDRESS (
          g_inet_socket_address_new (g_inet_socket_address_get_address (latch->expected),
                                     g_inet_socket_address_get_port (latch->expected) + 1));
      as_announced = same_address (from, expected_rtcp);
      g_set_object (&latch->rtcp, from);
      if (!as_announced)
        schedule_apply (self, from, TRUE);
      g_clear_object (&expected_rtcp);
    }
  g_mutex_unlock (&latch->lock);
  return GST_PAD_PROBE_OK;
}

/**
 * ap_audio_session_latch_watch:
 *
 * Judges every packet the two udpsrcs receive, before anything else sees
 * it. Call when building a pipeline, then ap_audio_session_latch_reset().
 */
void
ap_audio_session_latch_watch (ApAudioSession *self, GstElement *rtp_udpsrc, GstElement *rtcp_udpsrc)
{
  g_autoptr (GstPad) rtp_pad = gst_element_get_static_pad (rtp_udpsrc, "src");
  g_autoptr (GstPad) rtcp_pad = gst_element_get_static_pad (rtcp_udpsrc, "src");

  if (self->latch == NULL)
    {
      const char *loss = g_getenv ("AGENTPHONE_TEST_RTP_LOSS");

      self->latch = g_new0 (ApRtpLatch, 1);
      g_mutex_init (&self->latch->lock);
      if (loss != NULL && (self->latch->test_loss = g_ascii_strtod (loss, NULL)) > 0.0)
        {
          g_message ("Dropping %.1f %% of the received RTP (AGENTPHONE_TEST_RTP_LOSS)",
                     self->latch->test_loss);
          self->latch->test_rand = g_rand_new_with_seed (4961);
        }
    }
  gst_pad_add_probe (rtp_pad, GST_PAD_PROBE_TYPE_BUFFER, on_rtp_in, self, NULL);
  gst_pad_add_probe (rtcp_pad, GST_PAD_PROBE_TYPE_BUFFER, on_rtcp_in, self, NULL);
}

/**
 * ap_audio_session_latch_reset:
 * @remote_host: the SDP's address, as the udpsinks take it
 * @remote_port: the SDP's RTP port
 *
 * Forgets where packets came from: the SDP's address is where we send
 * until the far end's packets say otherwise.
 */
void
ap_audio_session_latch_reset (ApAudioSession *self, const char *remote_host, guint remote_port)
{
  ApRtpLatch *latch = self->latch;
  g_autoptr (GInetAddress) address = g_inet_address_new_from_string (remote_host);
  GInetSocketAddress *expected = NULL;

  if (latch == NULL)
    return;
  if (address != NULL)
    expected = G_INET_SOCKET_ADDRESS (g_inet_socket_address_new (address, remote_port));
  g_mutex_lock (&latch->lock);
  latch->generation++;
  /* A new pipeline for the same far end is not a move. */
  if (latch->expected != NULL && !same_address (expected, latch->expected))
    g_set_object (&latch->abandoned, latch->expected);
  g_clear_object (&latch->expected);
  latch->expected = expected;
  g_clear_object (&latch->latched);
  g_clear_object (&latch->candidate);
  g_clear_object (&latch->rtcp);
  latch->candidate_count = 0;
  latch->dropped = 0;
  g_mutex_unlock (&latch->lock);
}

void
ap_audio_session_latch_free (ApAudioSession *self)
{
  ApRtpLatch *latch = g_steal_pointer (&self->latch);

  if (latch == NULL)
    return;
  g_clear_object (&latch->expected);
  g_clear_object (&latch->latched);
  g_clear_object (&latch->candidate);
  g_clear_object (&latch->rtcp);
  g_clear_object (&latch->abandoned);
  g_clear_pointer (&latch->test_rand, g_rand_free);
  g_mutex_clear (&latch->lock);
  g_free (latch);
}
