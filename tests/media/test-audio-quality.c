/* test-audio-quality.c: audio sessions on 127.0.0.1 under bad networks.
 *
 * A UDP relay in the test (two port pairs, one per side) stands between
 * two sessions and drops or delays A's RTP towards B, seeded so a run is
 * repeatable. The recordings prove the audio stays continuous (longest
 * silent stretch inside the tone) and keeps wall-clock time; the "stats"
 * signal must tell the loss, jitter and round trip the test caused. Also:
 * symmetric RTP against a far end whose SDP port is wrong and a stray
 * sender, and the RTCP BYE on the wire when a session stops. */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <math.h>
#include <string.h>

#include "ap-audio-session.h"
#include "ap-emodel.h"
#include "ap-media-test.h"
#include "ap-wav.h"

#define FREQUENCY_A 440
#define FREQUENCY_B 1000
#define SILENT_DBFS -40.0
#define WINDOW_S 0.005

typedef struct {
  const char *name;
  ApMediaSession *session;
  guint port;
  char *wav_path;
  gint64 start_time;
  gboolean active;
  char *error;
  GVariant *stats; /* the latest report */
  guint n_stats;
  gint64 first_stats_time;
  guint64 last_sent, last_received;
  gboolean counts_grew;
  double max_jitter_buffer;
} Peer;

/* One direction pair of sockets on the relay: RTP and RTCP. */
typedef struct {
  GSocket *rtp;
  GSocket *rtcp;
  guint port;
} Pair;

typedef struct {
  Pair left;  /* A sends here */
  Pair right; /* B sends here */
  guint a_port, b_port;
  double drop;        /* A→B RTP loss probability */
  guint max_delay_ms; /* A→B RTP random extra delay */
  GRand *rand;
  guint forwarded, dropped;
  GSList *sources;
} Relay;

typedef struct {
  char *dir;
  Peer a, b;
  Relay relay;
} Fixture;

/* ---- helpers ------------------------------------------------------------ */

static GSocket *
bind_udp (guint port, GError **error)
{
  g_autoptr (GSocket) socket
    = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, error);
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, port);

  if (socket == NULL || !g_socket_bind (socket, address, FALSE, error))
    return NULL;
  g_socket_set_blocking (socket, FALSE);
  return g_steal_pointer (&socket);
}

static guint
local_port (GSocket *socket)
{
  g_autoptr (GSocketAddress) address = g_socket_get_local_address (socket, NULL);

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
}

/* An even port for RTP and the next one for RTCP, like a real peer. */
static void
pair_bind (Pair *pair)
{
  for (int attempt = 0; attempt < 32; attempt++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GSocket) first = bind_udp (0, &error);
      g_autoptr (GSocket) second = NULL;
      guint port;

      g_assert_no_error (error);
      port = local_port (first);
      if (port % 2 != 0 || (second = bind_udp (port + 1, NULL)) == NULL)
        continue;
      pair->rtp = g_steal_pointer (&first);
      pair->rtcp = g_steal_pointer (&second);
      pair->port = port;
      return;
    }
  g_assert_not_reached ();
}

static void
pair_clear (Pair *pair)
{
  g_clear_object (&pair->rtp);
  g_clear_object (&pair->rtcp);
}

static void
send_to (GSocket *socket, guint port, const guint8 *data, gsize size)
{
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, port);

  g_socket_send_to (socket, address, (const char *) data, size, NULL, NULL);
}

/* ---- the relay ---------------------------------------------------------- */

typedef struct {
  GSocket *from;
  guint port;
  GBytes *bytes;
} Delayed;

static gboolean
on_delayed (gpointer data)
{
  Delayed *delayed = data;
  gsize size;
  const guint8 *bytes = g_bytes_get_data (delayed->bytes, &size);

  send_to (delayed->from, delayed->port, bytes, size);
  return G_SOURCE_REMOVE;
}

static void
delayed_free (gpointer data)
{
  Delayed *delayed = data;

  g_object_unref (delayed->from);
  g_bytes_unref (delayed->bytes);
  g_free (delayed);
}

typedef struct {
  Relay *relay;
  GSocket *in;
  GSocket *out;
  guint *port;  /* where to, read when a packet arrives */
  guint offset; /* 0 RTP, 1 RTCP */
  gboolean impaired;
} Leg;

static gboolean
on_relay_packet (GSocket *socket, GIOCondition condition, gpointer data)
{
  Leg *leg = data;
  Relay *relay = leg->relay;
  guint8 buffer[2048];
  gssize size;

  while ((size = g_socket_receive (leg->in, (char *) buffer, sizeof buffer, NULL, NULL)) > 0)
    {
      guint port = *leg->port + leg->offset;
      Delayed *delayed;

      if (!leg->impaired)
        {
          send_to (leg->out, port, buffer, size);
          continue;
        }
      if (g_rand_double (relay->rand) < relay->drop)
        {
          relay->dropped++;
          continue;
        }
      relay->forwarded++;
      if (relay->max_delay_ms == 0)
        {
          send_to (leg->out, port, buffer, size);
          continue;
        }
      delayed = g_new0 (Delayed, 1);
      delayed->from = g_object_ref (leg->out);
      delayed->port = port;
      delayed->bytes = g_bytes_new (buffer, size);
      g_timeout_add_full (G_PRIORITY_HIGH, g_rand_int_range (relay->rand, 0, relay->max_delay_ms),
                          on_delayed, delayed, delayed_free);
    }
  return G_SOURCE_CONTINUE;
}

static void
relay_watch (Relay *relay, GSocket *in, GSocket *out, guint *port, guint offset, gboolean impaired)
{
  GSource *source = g_socket_create_source (in, G_IO_IN, NULL);
  Leg *leg = g_new0 (Leg, 1);

  leg->relay = relay;
  leg->in = in;
  leg->out = out;
  leg->port = port;
  leg->offset = offset;
  leg->impaired = impaired;
  g_source_set_callback (source, (GSourceFunc) (void (*) (void)) on_relay_packet, leg, g_free);
  g_source_set_priority (source, G_PRIORITY_HIGH);
  g_source_attach (source, NULL);
  relay->sources = g_slist_prepend (relay->sources, source);
}

/* A sends to relay.left, B to relay.right; only A's RTP is impaired. */
static void
relay_start (Relay *relay, guint a_port, guint b_port, double drop, guint max_delay_ms)
{
  pair_bind (&relay->left);
  pair_bind (&relay->right);
  relay->a_port = a_port;
  relay->b_port = b_port;
  relay->drop = drop;
  relay->max_delay_ms = max_delay_ms;
  relay->rand = g_rand_new_with_seed (20261123);
  relay_watch (relay, relay->left.rtp, relay->right.rtp, &relay->b_port, 0, TRUE);
  relay_watch (relay, relay->left.rtcp, relay->right.rtcp, &relay->b_port, 1, FALSE);
  relay_watch (relay, relay->right.rtp, relay->left.rtp, &relay->a_port, 0, FALSE);
  relay_watch (relay, relay->right.rtcp, relay->left.rtcp, &relay->a_port, 1, FALSE);
}

static void
relay_clear (Relay *relay)
{
  for (GSList *l = relay->sources; l != NULL; l = l->next)
    {
      g_source_destroy (l->data);
      g_source_unref (l->data);
    }
  g_clear_pointer (&relay->sources, g_slist_free);
  pair_clear (&relay->left);
  pair_clear (&relay->right);
  g_clear_pointer (&relay->rand, g_rand_free);
}

/* ---- peers -------------------------------------------------------------- */

static guint64
stat_uint (GVariant *stats, const char *key)
{
  guint64 value = 0;

  g_assert_true (g_variant_lookup (stats, key, "t", &value));
  return value;
}

static double
stat_double (GVariant *stats, const char *key)
{
  double value = -1.0;

  g_assert_true (g_variant_lookup (stats, key, "d", &value));
  return value;
}

static void
on_stats (ApMediaSession *session, GVariant *stats, Peer *peer)
{
  guint64 sent = stat_uint (stats, "packets-sent");
  guint64 received = stat_uint (stats, "packets-received");

  if (peer->n_stats++ == 0)
    peer->first_stats_time = g_get_monotonic_time ();
  else if (sent > peer->last_sent && received > peer->last_received)
    peer->counts_grew = TRUE;
  peer->last_sent = sent;
  peer->last_received = received;
  peer->max_jitter_buffer = MAX (peer->max_jitter_buffer, stat_double (stats, "jitter-buffer-ms"));
  g_clear_pointer (&peer->stats, g_variant_unref);
  peer->stats = g_variant_ref (stats);
}

static void
on_active_changed (ApMediaSession *session, gboolean active, Peer *peer)
{
  peer->active = active;
}

static void
on_error (ApMediaSession *session, const char *message, Peer *peer)
{
  g_test_message ("%s: error: %s", peer->name, message);
  g_free (peer->error);
  peer->error = g_strdup (message);
}

static void
peer_init (Fixture *fixture, Peer *peer, const char *name, int frequency)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *file = g_strdup_printf ("%s.wav", name);
  g_autofree char *source = NULL;
  g_autofree char *sink = NULL;
  ApAudioSession *session = ap_audio_session_new ();

  peer->name = name;
  peer->session = AP_MEDIA_SESSION (session);
  peer->wav_path = g_build_filename (fixture->dir, file, NULL);
  /* 20 ms buffers, as a sound card period: no bursts on the wire. */
  source = g_strdup_printf ("audiotestsrc is-live=true freq=%d samplesperbuffer=160 ! "
                            "capsfilter caps=audio/x-raw,rate=8000",
                            frequency);
  sink = g_strdup_printf ("wavenc ! filesink location=\"%s\"", peer->wav_path);
  ap_audio_session_set_source_description (session, source);
  ap_audio_session_set_sink_description (session, sink);
  g_signal_connect (session, "stats", G_CALLBACK (on_stats), peer);
  g_signal_connect (session, "active-changed", G_CALLBACK (on_active_changed), peer);
  g_signal_connect (session, "error", G_CALLBACK (on_error), peer);
  peer->port = ap_media_session_prepare (peer->session, "127.0.0.1", &error);
  g_assert_no_error (error);
}

static void
peer_clear (Peer *peer)
{
  if (peer->session != NULL)
    {
      ap_media_session_stop (peer->session);
      g_signal_handlers_disconnect_by_data (peer->session, peer);
      g_clear_object (&peer->session);
    }
  g_clear_pointer (&peer->stats, g_variant_unref);
  g_clear_pointer (&peer->error, g_free);
  g_clear_pointer (&peer->wav_path, g_free);
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  fixture->dir = ap_media_test_make_dir ("audio-quality");
  peer_init (fixture, &fixture->a, "a", FREQUENCY_A);
  peer_init (fixture, &fixture->b, "b", FREQUENCY_B);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  peer_clear (&fixture->a);
  peer_clear (&fixture->b);
  relay_clear (&fixture->relay);
  ap_media_test_remove_dir (fixture->dir);
}

static void
start_peer (Peer *peer, const char *codec, guint remote_port)
{
  g_autoptr (ApMediaParams) params
    = ap_media_test_params (codec, "127.0.0.1", remote_port, AP_MEDIA_DIRECTION_SENDRECV);
  g_autoptr (GError) error = NULL;
  gboolean ok = ap_media_session_start (peer->session, params, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
  peer->start_time = g_get_monotonic_time ();
}

static ApWav *
load_wav (Peer *peer)
{
  g_autoptr (GError) error = NULL;
  ApWav *wav = NULL;

  g_assert_true (ap_wav_load (peer->wav_path, &wav, &error));
  g_assert_no_error (error);
  return wav;
}

/* The longest stretch of 5 ms windows below SILENT_DBFS in [start_s, end_s]. */
static double
longest_gap (const ApWav *wav, double start_s, double end_s)
{
  double longest = 0.0, run = 0.0;

  for (double t = start_s; t + WINDOW_S <= end_s; t += WINDOW_S)
    {
      if (ap_wav_rms_dbfs (wav, 0, t, t + WINDOW_S) < SILENT_DBFS)
        run += WINDOW_S;
      else
        run = 0.0;
      longest = MAX (longest, run);
    }
  return longest;
}

static void
log_stats (Peer *peer, const char *codec)
{
  double loss = stat_double (peer->stats, "loss-percent");
  double delay = stat_double (peer->stats, "delay-ms");

  g_test_message (
    "%s (%s): jitter %.2f ms, loss %.1f %%, rtt %.2f ms, delay %.0f ms, "
    "%.1f kbit/s, jitter buffer %.0f ms (max %.0f), %" G_GUINT64_FORMAT " sent, %" G_GUINT64_FORMAT
    " received, %" G_GUINT64_FORMAT " RTCP received, MOS %.2f",
    peer->name, codec, stat_double (peer->stats, "jitter-ms"), loss,
    stat_double (peer->stats, "rtt-ms"), delay, stat_double (peer->stats, "bitrate-kbps"),
    stat_double (peer->stats, "jitter-buffer-ms"), peer->max_jitter_buffer,
    stat_uint (peer->stats, "packets-sent"), stat_uint (peer->stats, "packets-received"),
    stat_uint (peer->stats, "rtcp-received"), ap_emodel_mos (codec, loss, delay));
}

static gboolean
both_have_rtt (gpointer data)
{
  Fixture *fixture = data;

  return fixture->a.stats != NULL && fixture->b.stats != NULL
         && stat_double (fixture->a.stats, "rtt-ms") > 0.0
         && stat_double (fixture->b.stats, "rtt-ms") > 0.0;
}

/* ---- tests -------------------------------------------------------------- */

/* A clean network: reports within 2 s, growing counts, no loss, a small
 * round trip once RTCP went both ways, a MOS above 4. */
static void
test_stats (Fixture *fixture, gconstpointer data)
{
  const char *codec = data;
  Peer *peers[] = { &fixture->a, &fixture->b };

  start_peer (&fixture->a, codec, fixture->b.port);
  start_peer (&fixture->b, codec, fixture->a.port);
  /* RTCP goes out every 5 s or so (RFC 3550's minimum), randomised. */
  g_assert_true (ap_media_test_run_until (both_have_rtt, fixture, 20000));
  ap_media_test_run_for (1100);

  for (guint i = 0; i < G_N_ELEMENTS (peers); i++)
    {
      Peer *peer = peers[i];
      double loss = stat_double (peer->stats, "loss-percent");
      double delay = stat_double (peer->stats, "delay-ms");

      log_stats (peer, codec);
      g_test_message ("%s: first report %.0f ms after start", peer->name,
                      (peer->first_stats_time - peer->start_time) / 1000.0);
      g_assert_cmpint (peer->first_stats_time - peer->start_time, <=, 2 * G_USEC_PER_SEC);
      g_assert_true (peer->counts_grew);
      g_assert_cmpfloat (loss, <, 1.0);
      g_assert_cmpfloat (stat_double (peer->stats, "jitter-ms"), <, 20.0);
      g_assert_cmpfloat (stat_double (peer->stats, "rtt-ms"), >, 0.0);
      g_assert_cmpfloat (stat_double (peer->stats, "rtt-ms"), <, 50.0);
      g_assert_cmpfloat (stat_double (peer->stats, "bitrate-kbps"), >, 5.0);
      g_assert_cmpfloat (stat_double (peer->stats, "bitrate-kbps"), <, 100.0);
      g_assert_cmpuint (stat_uint (peer->stats, "rtcp-received"), >, 0);
      g_assert_cmpfloat (stat_double (peer->stats, "jitter-buffer-ms"), ==, 60.0);
      g_assert_cmpfloat (ap_emodel_mos (codec, loss, delay), >=, 4.0);
    }
}

/* 10 % of A's packets lost: B's audio has no gap and keeps wall-clock
 * time, B reports about 10 % loss, and the MOS drops. */
static void
test_loss (Fixture *fixture, gconstpointer data)
{
  const char *codec = data;
  Relay *relay = &fixture->relay;
  g_autoptr (ApWav) wav = NULL;
  double loss, delay, elapsed, gap, duration;

  relay_start (relay, fixture->a.port, fixture->b.port, 0.10, 0);
  start_peer (&fixture->a, codec, relay->left.port);
  start_peer (&fixture->b, codec, relay->right.port);
  ap_media_test_run_for (10000);
  g_assert_nonnull (fixture->b.stats);
  log_stats (&fixture->b, codec);
  loss = stat_double (fixture->b.stats, "loss-percent");
  delay = stat_double (fixture->b.stats, "delay-ms");
  g_test_message ("relay: %u of A's packets forwarded, %u dropped (%.1f %%)", relay->forwarded,
                  relay->dropped, 100.0 * relay->dropped / (relay->dropped + relay->forwarded));
  g_assert_null (fixture->a.error);
  g_assert_null (fixture->b.error);
  /* B's recording runs from its start to its stop. */
  elapsed = (g_get_monotonic_time () - fixture->b.start_time) / (double) G_USEC_PER_SEC;
  ap_media_session_stop (fixture->a.session);
  ap_media_session_stop (fixture->b.session);

  g_assert_cmpfloat (loss, >=, 5.0);
  g_assert_cmpfloat (loss, <=, 15.0);
  g_assert_cmpfloat (ap_emodel_mos (codec, loss, delay), <,
                     ap_emodel_mos (codec, 0.0, delay) - 0.3);

  wav = load_wav (&fixture->b);
  duration = ap_wav_duration_s (wav);
  gap = longest_gap (wav, 0.5, duration - 0.2);
  g_test_message ("B's recording: %.2f s for %.2f s of call; longest gap in the tone %.0f ms; "
                  "%.1f Hz at %.1f dBFS",
                  duration, elapsed, gap * 1000,
                  ap_wav_dominant_frequency (wav, 0, 0.5, duration - 0.2),
                  ap_wav_rms_dbfs (wav, 0, 0.5, duration - 0.2));
  g_assert_cmpfloat (fabs (duration - elapsed), <, 0.3);
  g_assert_cmpfloat_with_epsilon (ap_wav_dominant_frequency (wav, 0, 0.5, duration - 0.2),
                                  FREQUENCY_A, 10.0);
  /* Opus conceals every loss; G.711 and G.722 have silence where packets
   * are lost (never more than a few in a row at 10 %). */
  if (g_str_equal (codec, "opus"))
    g_assert_cmpfloat (gap, <, 0.015);
  else
    g_assert_cmpfloat (gap, <, 0.1);
}

/* A's packets delayed by 0-100 ms at random (and so reordered): the jitter
 * buffer grows past its 60 ms, but no further than its bound, and the audio
 * stays continuous once it has. */
static void
test_jitter (Fixture *fixture, gconstpointer data)
{
  Relay *relay = &fixture->relay;
  g_autoptr (ApWav) wav = NULL;
  double duration, gap;

  relay_start (relay, fixture->a.port, fixture->b.port, 0.0, 100);
  start_peer (&fixture->a, "pcma", relay->left.port);
  start_peer (&fixture->b, "pcma", relay->right.port);
  ap_media_test_run_for (12000);
  g_assert_nonnull (fixture->b.stats);
  log_stats (&fixture->b, "pcma");
  g_assert_null (fixture->b.error);
  ap_media_session_stop (fixture->a.session);
  ap_media_session_stop (fixture->b.session);

  g_assert_cmpfloat (stat_double (fixture->b.stats, "jitter-ms"), >, 10.0);
  g_assert_cmpfloat (fixture->b.max_jitter_buffer, >, 60.0);
  g_assert_cmpfloat (fixture->b.max_jitter_buffer, <=, 200.0);
  wav = load_wav (&fixture->b);
  duration = ap_wav_duration_s (wav);
  gap = longest_gap (wav, duration - 4.0, duration - 0.2);
  g_test_message ("B's recording: %.2f s; longest gap in its last 4 s %.0f ms (whole call %.0f ms)",
                  duration, gap * 1000, longest_gap (wav, 0.5, duration - 0.2) * 1000);
  g_assert_cmpfloat (gap, <, 0.045);
}

static GBytes *
rtp_packet (guint8 pt, guint16 seq, guint32 ssrc, guint8 fill, gboolean noise)
{
  guint8 packet[12 + 160];

  packet[0] = 0x80;
  packet[1] = pt;
  packet[2] = seq >> 8;
  packet[3] = seq & 0xff;
  for (int i = 0; i < 4; i++)
    packet[4 + i] = ((seq * 160) >> (24 - 8 * i)) & 0xff;
  for (int i = 0; i < 4; i++)
    packet[8 + i] = (ssrc >> (24 - 8 * i)) & 0xff;
  for (gsize i = 12; i < sizeof packet; i++)
    packet[i] = noise ? (guint8) g_random_int () : fill;
  return g_bytes_new (packet, sizeof packet);
}

static void
send_packets (GSocket *socket, guint port, guint8 pt, guint count, gboolean noise)
{
  guint32 ssrc = g_random_int ();

  for (guint i = 0; i < count; i++)
    {
      g_autoptr (GBytes) packet = rtp_packet (pt, i, ssrc, 0xd5, noise);
      gsize size;
      const guint8 *data = g_bytes_get_data (packet, &size);

      send_to (socket, port, data, size);
      if (noise)
        ap_media_test_run_for (10);
    }
}

static guint
drain (GSocket *socket)
{
  guint8 buffer[2048];
  guint count = 0;

  while (g_socket_receive (socket, (char *) buffer, sizeof buffer, NULL, NULL) > 0)
    count++;
  return count;
}

/* B's SDP gives A a port nobody listens on; B sends from its real port.
 * Two stray packets from elsewhere first, and a stream of noise from a
 * third port later, must not steer A: B hears A, A hears B. */
static void
test_symmetric (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocket) wrong = bind_udp (0, &error);
  g_autoptr (GSocket) stray = bind_udp (0, &error);
  g_autoptr (GSocket) stray2 = bind_udp (0, &error);
  g_autoptr (ApWav) wav_a = NULL;
  g_autoptr (ApWav) wav_b = NULL;
  gint64 noise_start, noise_end;
  double from, to, end;
  guint wrong_packets;

  g_assert_no_error (error);
  start_peer (&fixture->a, "pcma", local_port (wrong));
  ap_media_test_run_for (300);
  /* Valid PCMA packets, but too few to latch on. */
  send_packets (stray, fixture->a.port, 8, 2, FALSE);
  ap_media_test_run_for (200);
  start_peer (&fixture->b, "pcma", fixture->a.port);
  ap_media_test_run_for (1500);
  wrong_packets = drain (wrong);
  g_test_message ("%u packets went to the SDP's wrong port before A latched", wrong_packets);
  g_assert_cmpuint (wrong_packets, >, 0);

  noise_start = g_get_monotonic_time ();
  send_packets (stray2, fixture->a.port, 8, 100, TRUE);
  noise_end = g_get_monotonic_time ();
  ap_media_test_run_for (1000);
  g_assert_cmpuint (drain (wrong), ==, 0);
  g_assert_cmpuint (drain (stray), ==, 0);
  g_assert_cmpuint (drain (stray2), ==, 0);
  ap_media_session_stop (fixture->a.session);
  ap_media_session_stop (fixture->b.session);

  wav_b = load_wav (&fixture->b);
  end = ap_wav_duration_s (wav_b);
  g_test_message ("B hears %.1f Hz at %.1f dBFS",
                  ap_wav_dominant_frequency (wav_b, 0, 0.5, end - 0.1),
                  ap_wav_rms_dbfs (wav_b, 0, 0.5, end - 0.1));
  g_assert_cmpfloat_with_epsilon (ap_wav_dominant_frequency (wav_b, 0, 0.5, end - 0.1), FREQUENCY_A,
                                  10.0);
  g_assert_cmpfloat (longest_gap (wav_b, 0.5, end - 0.1), <, 0.03);

  /* While the noise came, A's output is B's clean tone. */
  wav_a = load_wav (&fixture->a);
  from = (noise_start - fixture->a.start_time) / (double) G_USEC_PER_SEC;
  to = (noise_end - fixture->a.start_time) / (double) G_USEC_PER_SEC + 0.2;
  g_test_message ("A during the noise (%.2f-%.2f s): %.1f Hz at %.1f dBFS", from, to,
                  ap_wav_dominant_frequency (wav_a, 0, from, to),
                  ap_wav_rms_dbfs (wav_a, 0, from, to));
  g_assert_cmpfloat_with_epsilon (ap_wav_dominant_frequency (wav_a, 0, from, to), FREQUENCY_B,
                                  10.0);
  g_assert_cmpfloat (longest_gap (wav_a, from, to), <, 0.03);
}

/* RTCP on the wire: sender reports while A runs, a BYE when it stops. */
static void
test_bye (Fixture *fixture, gconstpointer data)
{
  Pair far = { 0 };
  guint8 buffer[2048];
  gboolean sender_report = FALSE, bye = FALSE;
  gssize size;

  pair_bind (&far);
  start_peer (&fixture->a, "pcma", far.port);
  ap_media_test_run_for (7000);
  ap_media_session_stop (fixture->a.session);
  /* (the socket buffer holds only a few hundred of them) */
  g_assert_cmpuint (drain (far.rtp), >, 100);
  while ((size = g_socket_receive (far.rtcp, (char *) buffer, sizeof buffer, NULL, NULL)) > 0)
    /* Walk the compound packet: version 2, type, length in words - 1. */
    for (gssize offset = 0; offset + 4 <= size;
         offset += 4 * (((buffer[offset + 2] << 8) | buffer[offset + 3]) + 1))
      {
        g_assert_cmpuint (buffer[offset] >> 6, ==, 2);
        sender_report |= buffer[offset + 1] == 200;
        bye |= buffer[offset + 1] == 203;
      }
  pair_clear (&far);
  g_assert_true (sender_report);
  g_assert_true (bye);
}

int
main (int argc, char *argv[])
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_unsetenv ("AGENTPHONE_AUDIO_INPUT");
  g_unsetenv ("AGENTPHONE_AUDIO_OUTPUT");

#define ADD(path, data, func)                                                                      \
  g_test_add ("/audio-quality/" path, Fixture, data, fixture_set_up, func, fixture_tear_down)
  ADD ("stats/opus", "opus", test_stats);
  ADD ("stats/pcma", "pcma", test_stats);
  ADD ("loss/opus", "opus", test_loss);
  ADD ("loss/pcma", "pcma", test_loss);
  ADD ("loss/g722", "g722", test_loss);
  ADD ("jitter", NULL, test_jitter);
  ADD ("symmetric", NULL, test_symmetric);
  ADD ("bye", NULL, test_bye);
#undef ADD
  return g_test_run ();
}
