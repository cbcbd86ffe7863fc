/* ap-test-netem.c: the media half of the impairment relay.
 *
 * Each side of the call talks to a pair of relay ports (RTP, RTCP = RTP + 1)
 * as if they were the other side's, since the SIP proxy put them in both
 * SDPs; a packet that arrives on one side's leg leaves from the other
 * side's leg (so each side sees the packets come from the address its SDP
 * named, and symmetric RTP has nothing to correct). On the way a packet may
 * be dropped (random, seeded: RTP and RTCP alike), held for a uniform
 * random 0 … jitter ms (so later packets may overtake it, as with netem's
 * jitter), or blocked outright (an outage). */
#include "ap-test-netem-private.h"

#define MAX_DATAGRAM 8192
#define BIND_ATTEMPTS 50

typedef struct {
  guint64 order; /* arrival order in its direction */
  gint64 due;    /* monotonic µs */
  gint64 arrived;
  ApTestNetemDirection direction;
  gboolean rtcp;
  GBytes *data;
} Pending;

static void
pending_free (Pending *pending)
{
  g_bytes_unref (pending->data);
  g_free (pending);
}

GSocket *
ap_test_netem_bind_udp (guint port, GError **error)
{
  g_autoptr (GSocket) socket = NULL;
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, port);

  socket
    = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, error);
  if (socket == NULL || !g_socket_bind (socket, address, FALSE, error))
    return NULL;
  g_socket_set_blocking (socket, FALSE);
  return g_steal_pointer (&socket);
}

static guint
local_port (GSocket *socket)
{
  g_autoptr (GSocketAddress) address = g_socket_get_local_address (socket, NULL);

  g_assert_nonnull (address);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
}

/* An RTP port with its RTCP port right above it, both free. */
static void
bind_leg (ApTestNetemLeg *leg)
{
  for (guint attempt = 0; attempt < BIND_ATTEMPTS; attempt++)
    {
      g_autoptr (GSocket) rtp = ap_test_netem_bind_udp (0, NULL);
      guint port;

      g_assert_nonnull (rtp);
      port = local_port (rtp);
      if (port % 2 != 0 || port >= 65535)
        continue;
      leg->rtcp = ap_test_netem_bind_udp (port + 1, NULL);
      if (leg->rtcp != NULL)
        {
          leg->rtp = g_steal_pointer (&rtp);
          return;
        }
    }
  g_error ("No two adjacent free UDP ports on 127.0.0.1 for the impairment relay");
}

/* Called with the lock held. */
static void
send_now (ApTestNetem *netem, Pending *pending)
{
  ApTestNetemLeg *leg = &netem->legs[pending->direction];
  ApTestNetemCounts *counts = &netem->counts[pending->direction];
  g_autoptr (GSocketAddress) to = NULL;
  double held_ms = (g_get_monotonic_time () - pending->arrived) / 1000.0;

  if (leg->peer == NULL)
    return; /* its SDP has not been seen yet: nowhere to send */
  to = g_inet_socket_address_new (g_inet_socket_address_get_address (leg->peer),
                                  g_inet_socket_address_get_port (leg->peer)
                                    + (pending->rtcp ? 1 : 0));
  /* Errors (e.g. the far end's port already closed at hang-up) are the
   * network's business, not the test's. */
  g_socket_send_to (pending->rtcp ? leg->rtcp : leg->rtp, to,
                    g_bytes_get_data (pending->data, NULL), g_bytes_get_size (pending->data), NULL,
                    NULL);
  if (pending->rtcp)
    counts->rtcp_sent++;
  else
    counts->rtp_sent++;
  if (pending->order < netem->newest_sent[pending->direction])
    counts->reordered++;
  else
    netem->newest_sent[pending->direction] = pending->order;
  counts->max_delay_ms = MAX (counts->max_delay_ms, held_ms);
}

/* Called with the lock held: wake up for the soonest pending packet. */
static void
rearm (ApTestNetem *netem)
{
  Pending *head = g_queue_peek_head (&netem->pending);

  g_source_set_ready_time (netem->timer, head != NULL ? head->due : -1);
}

static gboolean
dispatch_timer (GSource *source, GSourceFunc callback, gpointer data)
{
  return callback (data);
}

/* A source that only wakes at its ready time (set by rearm()), to the µs. */
static GSourceFuncs timer_funcs = { NULL, NULL, dispatch_timer, NULL, NULL, NULL };

static gboolean
on_timer (gpointer data)
{
  ApTestNetem *netem = data;
  gint64 now = g_get_monotonic_time ();
  Pending *head;

  g_mutex_lock (&netem->lock);
  while ((head = g_queue_peek_head (&netem->pending)) != NULL && head->due <= now)
    {
      g_queue_pop_head (&netem->pending);
      send_now (netem, head);
      pending_free (head);
    }
  rearm (netem);
  g_mutex_unlock (&netem->lock);
  return G_SOURCE_CONTINUE;
}

static gint
by_due (gconstpointer a, gconstpointer b, gpointer data)
{
  const Pending *x = a, *y = b;

  return x->due < y->due ? -1 : x->due > y->due ? 1 : 0;
}

/* Called with the lock held: one packet arrived from the side opposite
 * @direction; judge it. */
static void
impair (ApTestNetem *netem, ApTestNetemDirection direction, gboolean rtcp, GBytes *data)
{
  ApTestImpairment *impairment = &netem->impairment[direction];
  ApTestNetemCounts *counts = &netem->counts[direction];
  Pending *pending;

  /* Drawn for every packet whatever the settings, so one seed gives the
   * same sequence of fates in every run. */
  double loss_draw = g_rand_double (netem->rand) * 100.0;
  double delay_draw = g_rand_double (netem->rand);

  if (rtcp)
    counts->rtcp_in++;
  else
    counts->rtp_in++;
  netem->arrived[direction]++;
  if (impairment->blocked)
    {
      if (rtcp)
        counts->rtcp_blocked++;
      else
        counts->rtp_blocked++;
      return;
    }
  if (loss_draw < impairment->loss_percent)
    {
      if (rtcp)
        counts->rtcp_dropped++;
      else
        counts->rtp_dropped++;
      return;
    }
  pending = g_new0 (Pending, 1);
  pending->order = netem->arrived[direction];
  pending->arrived = g_get_monotonic_time ();
  pending->due = pending->arrived + (gint64) (delay_draw * impairment->jitter_ms * 1000.0);
  pending->direction = direction;
  pending->rtcp = rtcp;
  pending->data = g_bytes_ref (data);
  if (impairment->jitter_ms == 0)
    {
      send_now (netem, pending);
      pending_free (pending);
      return;
    }
  g_queue_insert_sorted (&netem->pending, pending, by_due, NULL);
  rearm (netem);
}

/* A leg's socket is readable: what arrives there goes to the other side. */
static gboolean
on_leg_readable (GSocket *socket, GIOCondition condition, gpointer data)
{
  ApTestNetem *netem = data;
  guint8 buffer[MAX_DATAGRAM];
  gssize size;

  while ((size = g_socket_receive_from (socket, NULL, (char *) buffer, sizeof buffer, NULL, NULL))
         >= 0)
    {
      g_autoptr (GBytes) bytes = g_bytes_new (buffer, size);

      g_mutex_lock (&netem->lock);
      for (guint side = 0; side < 2; side++)
        {
          ApTestNetemLeg *leg = &netem->legs[side];

          if (socket == leg->rtp || socket == leg->rtcp)
            impair (netem, 1 - side, socket == leg->rtcp, bytes);
        }
      g_mutex_unlock (&netem->lock);
    }
  return G_SOURCE_CONTINUE;
}

static void
watch (ApTestNetem *netem, GSocket *socket)
{
  g_autoptr (GSource) source = g_socket_create_source (socket, G_IO_IN, NULL);

  g_source_set_callback (source, G_SOURCE_FUNC (on_leg_readable), netem, NULL);
  g_source_attach (source, netem->context);
}

static gpointer
run (gpointer data)
{
  ApTestNetem *netem = data;

  g_main_context_push_thread_default (netem->context);
  g_main_loop_run (netem->loop);
  g_main_context_pop_thread_default (netem->context);
  return NULL;
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/* Relay thread (the proxy): @side's SDP says its RTP is at @host:@port. */
void
ap_test_netem_learn_peer (ApTestNetem *netem, ApTestNetemDirection side, const char *host,
                          guint port)
{
  g_autoptr (GInetAddress) address = g_inet_address_new_from_string (host);

  g_assert_nonnull (address);
  g_mutex_lock (&netem->lock);
  g_clear_object (&netem->legs[side].peer);
  netem->legs[side].peer = G_INET_SOCKET_ADDRESS (g_inet_socket_address_new (address, port));
  g_mutex_unlock (&netem->lock);
}

/**
 * ap_test_netem_new:
 * @callee_sip_port: where the callee listens for SIP on 127.0.0.1
 * @seed: for the random losses and delays, so a run can be repeated
 *
 * Starts the proxy and the relay, passing everything unharmed until told
 * otherwise with ap_test_netem_set().
 */
ApTestNetem *
ap_test_netem_new (guint callee_sip_port, guint32 seed)
{
  ApTestNetem *netem = g_new0 (ApTestNetem, 1);

  g_mutex_init (&netem->lock);
  g_queue_init (&netem->pending);
  netem->rand = g_rand_new_with_seed (seed);
  netem->callee_port = callee_sip_port;
  netem->context = g_main_context_new ();
  netem->loop = g_main_loop_new (netem->context, FALSE);
  for (guint side = 0; side < 2; side++)
    {
      bind_leg (&netem->legs[side]);
      watch (netem, netem->legs[side].rtp);
      watch (netem, netem->legs[side].rtcp);
    }
  netem->timer = g_source_new (&timer_funcs, sizeof (GSource));
  g_source_set_ready_time (netem->timer, -1);
  g_source_set_callback (netem->timer, on_timer, netem, NULL);
  g_source_attach (netem->timer, netem->context);
  ap_test_netem_sip_start (netem);
  netem->thread = g_thread_new ("netem", run, netem);
  return netem;
}

/** ap_test_netem_get_sip_port: the port the caller dials instead of the callee's */
guint
ap_test_netem_get_sip_port (ApTestNetem *netem)
{
  return netem->sip_port;
}

/** ap_test_netem_set: from now on, packets going @direction meet @impairment */
void
ap_test_netem_set (ApTestNetem *netem, ApTestNetemDirection direction,
                   const ApTestImpairment *impairment)
{
  g_assert_cmpfloat (impairment->loss_percent, >=, 0.0);
  g_assert_cmpfloat (impairment->loss_percent, <=, 100.0);
  g_mutex_lock (&netem->lock);
  netem->impairment[direction] = *impairment;
  g_mutex_unlock (&netem->lock);
}

/** ap_test_netem_get_counts: what happened so far to packets going @direction */
void
ap_test_netem_get_counts (ApTestNetem *netem, ApTestNetemDirection direction,
                          ApTestNetemCounts *counts)
{
  g_mutex_lock (&netem->lock);
  *counts = netem->counts[direction];
  g_mutex_unlock (&netem->lock);
}

/** ap_test_netem_has_media: both SDPs were seen, so the relay knows where to send */
gboolean
ap_test_netem_has_media (ApTestNetem *netem)
{
  gboolean known;

  g_mutex_lock (&netem->lock);
  known = netem->legs[0].peer != NULL && netem->legs[1].peer != NULL;
  g_mutex_unlock (&netem->lock);
  return known;
}

void
ap_test_netem_free (ApTestNetem *netem)
{
  g_main_context_invoke (netem->context, quit_loop, netem->loop);
  g_thread_join (netem->thread);
  ap_test_netem_sip_stop (netem);
  g_source_destroy (netem->timer);
  g_source_unref (netem->timer);
  for (guint side = 0; side < 2; side++)
    {
      g_clear_object (&netem->legs[side].rtp);
      g_clear_object (&netem->legs[side].rtcp);
      g_clear_object (&netem->legs[side].peer);
    }
  g_queue_clear_full (&netem->pending, (GDestroyNotify) pending_free);
  g_main_loop_unref (netem->loop);
  g_main_context_unref (netem->context);
  g_rand_free (netem->rand);
  g_mutex_clear (&netem->lock);
  g_free (netem);
}
