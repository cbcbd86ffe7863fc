/* test-video-session.c: two video sessions wired back to back on
 * 127.0.0.1, no SIP. One sends the moving ball, the other SMPTE bars
 * (AGENTPHONE_VIDEO_INPUT with the call id as the pattern). Proves frames
 * arrive decoded (VP8, H.264, VP8 over SRTP), a snapshot is a PNG of the
 * sender's picture at 640×480 and not blank, a clip starts with a
 * keyframe the receiver asked for (the sender counts the request), the
 * adaptation steps down and back up, and bad requests fail clearly. */
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <math.h>
#include <string.h>

#include "ap-error.h"
#include "ap-media-test.h"
#include "ap-video-preview.h"
#include "ap-video-session.h"

#define BALL 18 /* videotestsrc pattern numbers, used as call ids */
#define SMPTE 0

typedef struct {
  ApVideoSession *a;
  ApVideoSession *b;
  guint port_a;
  guint port_b;
} Pair;

static ApMediaParams *
video_params (const char *codec, guint port)
{
  ApMediaParams *video = ap_media_params_new ();

  video->remote_address = g_strdup ("127.0.0.1");
  video->remote_port = port;
  video->codec = g_strdup (codec);
  video->payload_type = g_str_equal (codec, "vp8") ? 96 : 97;
  video->clock_rate = 90000;
  video->direction = AP_MEDIA_DIRECTION_SENDRECV;
  return video;
}

/* A lossy path from a to b: a sends its video to the relay, which passes
 * RTCP on and drops a share of the RTP; b sends straight back to a. */
typedef struct {
  GSocket *rtp, *rtcp;
  guint port;
  guint to_port;
  double drop;
  GRand *rand;
  guint dropped, forwarded;
  GSource *sources[2];
} Relay;

static GSocket *
bind_local (guint port)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (lo, port);
  GSocket *socket
    = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, &error);

  g_assert_no_error (error);
  if (!g_socket_bind (socket, address, FALSE, NULL))
    g_clear_object (&socket);
  return socket;
}

static gboolean
on_relay (GSocket *socket, GIOCondition condition, gpointer data)
{
  Relay *relay = data;
  gboolean rtp = socket == relay->rtp;
  guint8 buffer[2048];
  gssize size;

  while ((size = g_socket_receive (socket, (char *) buffer, sizeof buffer, NULL, NULL)) > 0)
    {
      g_autoptr (GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
      g_autoptr (GSocketAddress) to
        = g_inet_socket_address_new (lo, relay->to_port + (rtp ? 0 : 1));

      if (rtp && g_rand_double (relay->rand) < relay->drop)
        {
          relay->dropped++;
          continue;
        }
      relay->forwarded += rtp;
      g_socket_send_to (socket, to, (char *) buffer, (gsize) size, NULL, NULL);
    }
  return G_SOURCE_CONTINUE;
}

static void
relay_start (Relay *relay, guint to_port, double drop)
{
  for (guint attempt = 0; attempt < 20 && relay->rtcp == NULL; attempt++)
    {
      g_clear_object (&relay->rtp);
      relay->rtp = bind_local (0);
      g_autoptr (GSocketAddress) address = g_socket_get_local_address (relay->rtp, NULL);
      relay->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
      if (relay->port % 2 == 0)
        relay->rtcp = bind_local (relay->port + 1);
    }
  g_assert_nonnull (relay->rtcp);
  g_socket_set_blocking (relay->rtp, FALSE);
  g_socket_set_blocking (relay->rtcp, FALSE);
  relay->to_port = to_port;
  relay->drop = drop;
  relay->rand = g_rand_new_with_seed (20261124);
  for (guint i = 0; i < 2; i++)
    {
      relay->sources[i] = g_socket_create_source (i ? relay->rtcp : relay->rtp, G_IO_IN, NULL);
      g_source_set_callback (relay->sources[i], (GSourceFunc) (void (*) (void)) on_relay, relay,
                             NULL);
      g_source_attach (relay->sources[i], NULL);
    }
}

static void
relay_clear (Relay *relay)
{
  for (guint i = 0; i < 2; i++)
    if (relay->sources[i] != NULL)
      {
        g_source_destroy (relay->sources[i]);
        g_source_unref (relay->sources[i]);
      }
  g_clear_object (&relay->rtp);
  g_clear_object (&relay->rtcp);
  g_clear_pointer (&relay->rand, g_rand_free);
}

static void pair_start_via (Pair *pair, const char *codec, gboolean srtp, Relay *relay,
                            double drop);

static void
pair_start (Pair *pair, const char *codec, gboolean srtp)
{
  pair_start_via (pair, codec, srtp, NULL, 0.0);
}

static void
pair_start_via (Pair *pair, const char *codec, gboolean srtp, Relay *relay, double drop)
{
  g_autoptr (ApMediaParams) to_b = NULL;
  g_autoptr (ApMediaParams) to_a = NULL;
  g_autoptr (GError) error = NULL;

  pair->a = ap_video_session_new (NULL);
  pair->b = ap_video_session_new (NULL);
  ap_video_session_set_call_id (pair->a, BALL);
  ap_video_session_set_call_id (pair->b, SMPTE);
  pair->port_a = ap_video_session_prepare (pair->a, "127.0.0.1", &error);
  g_assert_no_error (error);
  pair->port_b = ap_video_session_prepare (pair->b, "127.0.0.1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pair->port_a % 2, ==, 0);
  if (relay != NULL)
    relay_start (relay, pair->port_b, drop);
  to_b = video_params (codec, relay ? relay->port : pair->port_b);
  to_a = video_params (codec, pair->port_a);
  if (srtp)
    {
      to_b->srtp = to_a->srtp = AP_MEDIA_SRTP_AES_CM_128_HMAC_SHA1_80;
      for (guint i = 0; i < AP_MEDIA_SRTP_KEY_LEN; i++)
        {
          to_b->srtp_local_key[i] = to_a->srtp_remote_key[i] = (guint8) (i * 7 + 1);
          to_a->srtp_local_key[i] = to_b->srtp_remote_key[i] = (guint8) (i * 13 + 5);
        }
    }
  g_assert_true (ap_video_session_start (pair->a, to_b, &error));
  g_assert_no_error (error);
  g_assert_true (ap_video_session_start (pair->b, to_a, &error));
  g_assert_no_error (error);
}

static void
pair_stop (Pair *pair)
{
  ap_video_session_close (pair->a);
  ap_video_session_close (pair->b);
  g_clear_object (&pair->a);
  g_clear_object (&pair->b);
}

static guint
stat_u (ApVideoSession *session, const char *name)
{
  g_autoptr (GVariant) stats = g_variant_ref_sink (ap_video_session_get_stats (session));
  guint value = 0;

  g_assert_true (g_variant_lookup (stats, name, "u", &value));
  return value;
}

static gboolean
frames_both_ways (gpointer data)
{
  Pair *pair = data;

  return stat_u (pair->a, "frames-received") >= 10 && stat_u (pair->b, "frames-received") >= 10;
}

/* The PNG decodes at 640×480 and is far from one flat colour. */
static void
assert_picture (GBytes *png)
{
  g_autoptr (GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_type ("png", NULL);
  g_autoptr (GError) error = NULL;
  GdkPixbuf *pixbuf;
  const guint8 *pixels;
  int stride, channels;
  double sum = 0, sum_sq = 0, n = 0;

  g_assert_true (gdk_pixbuf_loader_write_bytes (loader, png, &error));
  g_assert_true (gdk_pixbuf_loader_close (loader, &error));
  g_assert_no_error (error);
  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 640);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, 480);
  pixels = gdk_pixbuf_read_pixels (pixbuf);
  stride = gdk_pixbuf_get_rowstride (pixbuf);
  channels = gdk_pixbuf_get_n_channels (pixbuf);
  for (int y = 0; y < 480; y += 4)
    for (int x = 0; x < 640; x += 4)
      for (int c = 0; c < 3; c++)
        {
          double v = pixels[y * stride + x * channels + c];

          sum += v;
          sum_sq += v * v;
          n++;
        }
  g_test_message ("snapshot: mean %.1f, standard deviation %.1f", sum / n,
                  sqrt (sum_sq / n - (sum / n) * (sum / n)));
  g_assert_cmpfloat (sqrt (sum_sq / n - (sum / n) * (sum / n)), >, 20.0);
}

static void
check_call (const char *codec, gboolean srtp)
{
  Pair pair = { 0 };
  g_autoptr (GBytes) png = NULL;
  g_autoptr (GError) error = NULL;
  guint width = 0, height = 0;

  pair_start (&pair, codec, srtp);
  g_assert_true (ap_media_test_run_until (frames_both_ways, &pair, 15000));
  /* a receives b's SMPTE bars: a picture with plenty of contrast. */
  png = ap_video_session_snapshot (pair.a, &width, &height, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (width, ==, 640);
  g_assert_cmpuint (height, ==, 480);
  g_assert_cmpmem (g_bytes_get_data (png, NULL), 8, "\x89PNG\r\n\x1a\n", 8);
  assert_picture (png);
  if (g_getenv ("AP_VIDEO_SNAPSHOT") != NULL)
    g_file_set_contents (g_getenv ("AP_VIDEO_SNAPSHOT"), g_bytes_get_data (png, NULL),
                         (gssize) g_bytes_get_size (png), NULL);
  g_test_message ("%s: %u frames sent, %u keyframes", codec, stat_u (pair.a, "frames-sent"),
                  stat_u (pair.a, "keyframes-sent"));
  pair_stop (&pair);
}

static void
test_vp8 (void)
{
  check_call ("vp8", FALSE);
}

static void
test_h264 (void)
{
  check_call ("h264", FALSE);
}

static void
test_vp8_srtp (void)
{
  check_call ("vp8", TRUE);
}

static void
on_clip (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GBytes **clip = user_data;
  g_autoptr (GError) error = NULL;

  *clip = ap_video_session_record_clip_finish (AP_VIDEO_SESSION (source), result, &error);
  g_assert_no_error (error);
}

static gboolean
is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

/* A clip asks the sender for a keyframe (PLI) and starts with it. */
static void
test_clip_and_keyframe_request (void)
{
  Pair pair = { 0 };
  g_autoptr (GBytes) clip = NULL;
  guint requests_before;

  pair_start (&pair, "vp8", FALSE);
  g_assert_true (ap_media_test_run_until (frames_both_ways, &pair, 15000));
  requests_before = stat_u (pair.a, "keyframe-requests");
  ap_video_session_record_clip_async (pair.b, 2, NULL, on_clip, &clip);
  g_assert_true (ap_media_test_run_until (is_set, &clip, 15000));
  /* WebM: an EBML header, and more than a few frames' worth. */
  g_assert_cmpmem (g_bytes_get_data (clip, NULL), 4, "\x1a\x45\xdf\xa3", 4);
  g_assert_cmpuint (g_bytes_get_size (clip), >, 10000);
  g_assert_cmpuint (stat_u (pair.a, "keyframe-requests"), >, requests_before);
  g_test_message ("clip: %" G_GSIZE_FORMAT " bytes; keyframe requests %u", g_bytes_get_size (clip),
                  stat_u (pair.a, "keyframe-requests"));
  pair_stop (&pair);
}

static double
stat_d (ApVideoSession *session, const char *name)
{
  g_autoptr (GVariant) stats = g_variant_ref_sink (ap_video_session_get_stats (session));
  double value = 0;

  g_assert_true (g_variant_lookup (stats, name, "d", &value));
  return value;
}

static gboolean
sender_adapted (gpointer data)
{
  Pair *pair = data;

  return stat_u (pair->a, "bitrate-kbps") < 500 && stat_d (pair->a, "loss-percent") > 5.0;
}

/* 15 % of a's RTP lost on the way: b's RTCP reports it and a sends less;
 * b asks for keyframes (PLI) to recover, a answers them; b keeps showing
 * pictures. */
static void
test_loss (void)
{
  Pair pair = { 0 };
  Relay relay = { 0 };
  guint received;

  pair_start_via (&pair, "vp8", FALSE, &relay, 0.15);
  g_assert_true (ap_media_test_run_until (frames_both_ways, &pair, 15000));
  g_assert_true (ap_media_test_run_until (sender_adapted, &pair, 30000));
  received = stat_u (pair.b, "frames-received");
  ap_media_test_run_for (2000);
  g_test_message ("loss: relay dropped %u of %u; a reports %.1f %% lost, sends %u kbit/s at "
                  "%ux%u; a answered %u keyframe requests with %u keyframes; b got %u frames",
                  relay.dropped, relay.dropped + relay.forwarded, stat_d (pair.a, "loss-percent"),
                  stat_u (pair.a, "bitrate-kbps"), stat_u (pair.a, "width"),
                  stat_u (pair.a, "height"), stat_u (pair.a, "keyframe-requests"),
                  stat_u (pair.a, "keyframes-sent"), stat_u (pair.b, "frames-received"));
  g_assert_cmpuint (stat_u (pair.a, "keyframe-requests"), >, 1);
  g_assert_cmpuint (stat_u (pair.a, "keyframes-sent"), >, 2);
  g_assert_cmpuint (stat_u (pair.b, "frames-received"), >, received);
  pair_stop (&pair);
  relay_clear (&relay);
}

static void
test_adaptation (void)
{
  g_autoptr (ApVideoSession) session = ap_video_session_new (NULL);

  for (guint i = 0; i < 10; i++)
    ap_video_session_adapt_to_loss (session, 20.0);
  g_assert_cmpuint (stat_u (session, "bitrate-kbps"), ==, 100);
  g_assert_cmpuint (stat_u (session, "width"), ==, 320);
  g_assert_cmpuint (stat_u (session, "height"), ==, 240);
  /* A little loss holds it there. */
  ap_video_session_adapt_to_loss (session, 3.0);
  g_assert_cmpuint (stat_u (session, "bitrate-kbps"), ==, 100);
  for (guint i = 0; i < 60; i++)
    ap_video_session_adapt_to_loss (session, 0.0);
  g_assert_cmpuint (stat_u (session, "bitrate-kbps"), ==, 500);
  g_assert_cmpuint (stat_u (session, "width"), ==, 640);
}

static void
test_errors (void)
{
  g_autoptr (ApVideoSession) session = ap_video_session_new (NULL);
  g_autoptr (ApMediaParams) video = video_params ("vp9", 5000);
  g_autoptr (GBytes) png = NULL;
  g_autoptr (GError) error = NULL;

  png = ap_video_session_snapshot (session, NULL, NULL, &error);
  g_assert_error (error, AP_ERROR, AP_ERROR_INVALID_STATE);
  g_assert_null (png);
  g_clear_error (&error);
  g_assert_false (ap_video_session_start (session, video, &error));
  g_assert_error (error, AP_ERROR, AP_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_cmpuint (ap_video_session_prepare (session, "not-an-address", &error), ==, 0);
  g_assert_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_cmpuint (ap_video_session_prepare (session, "127.0.0.1", &error), >, 0);
  g_assert_false (ap_video_session_start (session, video, &error));
  g_assert_error (error, AP_ERROR, AP_ERROR_NOT_SUPPORTED);
}

typedef struct {
  guint frames;
  guint width, height, stride;
  gsize size;
} PreviewSeen;

static void
on_preview_frame (GBytes *bgra, guint width, guint height, guint stride, gpointer user_data)
{
  PreviewSeen *seen = user_data;

  seen->frames++;
  seen->width = width;
  seen->height = height;
  seen->stride = stride;
  seen->size = g_bytes_get_size (bgra);
}

static gboolean
ten_frames (gpointer data)
{
  return ((PreviewSeen *) data)->frames >= 10;
}

/* The camera outside a call: BGRA frames at 640×480 to the callback. */
static void
test_preview (void)
{
  PreviewSeen seen = { 0 };
  g_autoptr (GError) error = NULL;
  ApVideoPreview *preview = ap_video_preview_start (NULL, on_preview_frame, &seen, &error);

  g_assert_no_error (error);
  g_assert_true (ap_media_test_run_until (ten_frames, &seen, 10000));
  ap_video_preview_stop (preview);
  g_assert_cmpuint (seen.width, ==, 640);
  g_assert_cmpuint (seen.height, ==, 480);
  g_assert_cmpuint (seen.stride, ==, 640 * 4);
  g_assert_cmpuint (seen.size, ==, 640 * 480 * 4);
}

int
main (int argc, char *argv[])
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_setenv ("AGENTPHONE_VIDEO_INPUT", "videotestsrc is-live=true pattern=%u", TRUE);
  g_test_add_func ("/video-session/vp8", test_vp8);
  g_test_add_func ("/video-session/h264", test_h264);
  g_test_add_func ("/video-session/vp8-srtp", test_vp8_srtp);
  g_test_add_func ("/video-session/clip-and-keyframe-request", test_clip_and_keyframe_request);
  g_test_add_func ("/video-session/adaptation", test_adaptation);
  g_test_add_func ("/video-session/loss", test_loss);
  g_test_add_func ("/video-session/errors", test_errors);
  g_test_add_func ("/video-session/preview", test_preview);
  return g_test_run ();
}
