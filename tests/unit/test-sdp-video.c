/* test-sdp-video.c: the video stream in offers and answers: what we offer
 * (golden files sdp/video-*.sdp), the codec chosen by the `video-codecs`
 * order, H.264 only in packetization mode 1 and baseline profile, RTCP
 * feedback lines, port 0 to drop video, a far end asking for video we do
 * not want (video_offered), and SRTP keys on video like on audio. Run with
 * AP_UPDATE_GOLDEN=1 to rewrite the golden files, then review the diff. */
#include <string.h>

#include "ap-error.h"
#include "ap-sdp.h"

static const char *const g711[] = { "pcma", "pcmu", NULL };
static const char *const vp8_first[] = { "vp8", "h264", NULL };
static const char *const h264_first[] = { "h264", "vp8", NULL };
static ApSdesCrypto keys[AP_SRTP_N_SUITES];

static const char head[] = "v=0\r\n"
                           "o=- 1 1 IN IP4 192.0.2.1\r\n"
                           "s=-\r\n"
                           "c=IN IP4 192.0.2.1\r\n"
                           "t=0 0\r\n"
                           "m=audio 7000 RTP/AVP 8\r\n"
                           "a=rtpmap:8 PCMA/8000\r\n";

static ApSdpLocal
local_video (guint video_port)
{
  ApSdpLocal local = {
    .address = "192.0.2.10",
    .port = 40000,
    .codecs = g711,
    .direction = AP_MEDIA_DIRECTION_SENDRECV,
    .session_id = 4242,
    .version = 1,
    .telephone_event = FALSE,
    .srtp = AP_SDP_SRTP_OFF,
    .keys = keys,
    .video_port = video_port,
    .video_codecs = vp8_first,
  };
  return local;
}

static char *
golden_path (const char *name)
{
  g_autofree char *file = g_strconcat (name, ".sdp", NULL);

  return g_test_build_filename (G_TEST_DIST, "sdp", file, NULL);
}

static void
assert_golden (const char *name, const char *actual)
{
  g_autofree char *path = golden_path (name);
  g_autofree char *expected = NULL;
  g_autoptr (GString) lf = g_string_new (actual);
  g_autoptr (GError) error = NULL;

  g_string_replace (lf, "\r\n", "\n", 0);
  if (g_getenv ("AP_UPDATE_GOLDEN") != NULL)
    {
      g_file_set_contents (path, lf->str, -1, &error);
      g_assert_no_error (error);
    }
  g_file_get_contents (path, &expected, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lf->str, ==, expected);
}

static ApMediaParams *
answer (const char *offer_media, const ApSdpLocal *local, char **text)
{
  g_autofree char *offer = g_strconcat (head, offer_media, NULL);
  ApMediaParams *params = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (ap_sdp_answer (offer, local, text, &params, &error));
  g_assert_no_error (error);
  return params;
}

static void
test_offer (void)
{
  ApSdpLocal local = local_video (40002);
  g_autofree char *offer = ap_sdp_make_offer (&local);

  assert_golden ("video-offer", offer);
  g_assert_nonnull (strstr (offer, "a=rtcp-fb:96 nack pli\r\n"));
  g_assert_nonnull (strstr (offer, "a=rtcp-fb:97 ccm fir\r\n"));
  g_assert_nonnull (strstr (offer, "a=fmtp:97 profile-level-id=42e01f;packetization-mode=1\r\n"));
}

static void
test_offer_codec_order (void)
{
  ApSdpLocal local = local_video (40002);
  g_autofree char *offer = NULL;

  local.video_codecs = h264_first;
  offer = ap_sdp_make_offer (&local);
  g_assert_nonnull (strstr (offer, "m=video 40002 RTP/AVP 97 96\r\n"));
}

/* No video wanted: no m=video at first, port 0 once there was one. */
static void
test_offer_without_video (void)
{
  ApSdpLocal local = local_video (0);
  g_autofree char *first = ap_sdp_make_offer (&local);
  g_autofree char *dropped = NULL;

  g_assert_null (strstr (first, "m=video"));
  local.video_line = TRUE;
  dropped = ap_sdp_make_offer (&local);
  assert_golden ("video-drop-offer", dropped);
  g_assert_null (strstr (dropped, "rtpmap:96"));
}

static void
test_answer_vp8 (void)
{
  ApSdpLocal local = local_video (40002);
  g_autofree char *text = NULL;
  g_autoptr (ApMediaParams) params
    = answer ("m=video 9000 RTP/AVPF 100 101\r\n"
              "a=rtpmap:100 H264/90000\r\n"
              "a=fmtp:100 profile-level-id=42e01f;packetization-mode=1\r\n"
              "a=rtpmap:101 VP8/90000\r\n"
              "a=rtcp-fb:* nack pli\r\n",
              &local, &text);

  assert_golden ("video-answer", text);
  g_assert_nonnull (params->video);
  g_assert_cmpstr (params->video->codec, ==, "vp8");
  g_assert_cmpuint (params->video->payload_type, ==, 101);
  g_assert_cmpuint (params->video->clock_rate, ==, 90000);
  g_assert_cmpuint (params->video->remote_port, ==, 9000);
  g_assert_cmpstr (params->video->remote_address, ==, "192.0.2.1");
  g_assert_cmpint (params->video->direction, ==, AP_MEDIA_DIRECTION_SENDRECV);
  g_assert_cmpint (params->video->srtp, ==, AP_MEDIA_SRTP_NONE);
  g_assert_false (params->video_offered);
}

static void
test_answer_h264_preferred (void)
{
  ApSdpLocal local = local_video (40002);
  g_autofree char *text = NULL;
  g_autoptr (ApMediaParams) params = NULL;

  local.video_codecs = h264_first;
  params = answer ("m=video 9000 RTP/AVP 101 100\r\n"
                   "c=IN IP4 192.0.2.99\r\n"
                   "a=rtpmap:100 H264/90000\r\n"
                   "a=fmtp:100 profile-level-id=42E01F; packetization-mode=1\r\n"
                   "a=rtpmap:101 VP8/90000\r\n"
                   "a=recvonly\r\n",
                   &local, &text);
  g_assert_nonnull (params->video);
  g_assert_cmpstr (params->video->codec, ==, "h264");
  g_assert_cmpuint (params->video->payload_type, ==, 100);
  g_assert_cmpstr (params->video->remote_address, ==, "192.0.2.99");
  g_assert_cmpint (params->video->direction, ==, AP_MEDIA_DIRECTION_SENDONLY);
  g_assert_nonnull (strstr (text, "m=video 40002 RTP/AVP 100\r\n"));
  g_assert_nonnull (strstr (text, "a=sendonly\r\n"));
}

/* H.264 we cannot send or receive (mode 0, High profile) and unknown
 * codecs: the video is refused, the audio stays. */
static void
test_answer_no_common_video (void)
{
  ApSdpLocal local = local_video (40002);
  g_autofree char *text = NULL;
  g_autoptr (ApMediaParams) params
    = answer ("m=video 9000 RTP/AVP 100 102 103\r\n"
              "a=rtpmap:100 H264/90000\r\n"
              "a=fmtp:100 profile-level-id=42e01f\r\n"
              "a=rtpmap:102 H264/90000\r\n"
              "a=fmtp:102 profile-level-id=640028;packetization-mode=1\r\n"
              "a=rtpmap:103 VP9/90000\r\n",
              &local, &text);

  g_assert_null (params->video);
  g_assert_false (params->video_offered);
  g_assert_cmpstr (params->codec, ==, "pcma");
  g_assert_nonnull (strstr (text, "m=video 0 RTP/AVP 100 102 103\r\n"));
}

/* The far end offers video while we want none: refused, but reported. */
static void
test_answer_video_not_wanted (void)
{
  ApSdpLocal local = local_video (0);
  g_autofree char *text = NULL;
  g_autoptr (ApMediaParams) params
    = answer ("m=video 9000 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\n", &local, &text);

  g_assert_null (params->video);
  g_assert_true (params->video_offered);
  g_assert_nonnull (strstr (text, "m=video 0 RTP/AVP 96\r\n"));
}

/* The far end drops video (port 0) while we still want it. */
static void
test_answer_video_dropped (void)
{
  ApSdpLocal local = local_video (40002);
  g_autofree char *text = NULL;
  g_autoptr (ApMediaParams) params
    = answer ("m=video 0 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\n", &local, &text);

  g_assert_null (params->video);
  g_assert_false (params->video_offered);
  g_assert_nonnull (strstr (text, "m=video 0 RTP/AVP 96\r\n"));
}

/* Two instances of ours: offer, answer, read answer, with SRTP. */
static void
test_round_trip_srtp (void)
{
  ApSdesCrypto their_keys[AP_SRTP_N_SUITES];
  ApSdpLocal offerer = local_video (50002);
  ApSdpLocal answerer = local_video (40002);
  g_autofree char *offer = NULL;
  g_autofree char *text = NULL;
  g_autoptr (ApMediaParams) answered = NULL;
  g_autoptr (ApMediaParams) read = NULL;
  g_autoptr (GError) error = NULL;

  for (guint suite = 0; suite < AP_SRTP_N_SUITES; suite++)
    {
      g_assert_true (ap_sdes_generate (&keys[suite], suite + 1, suite, &error));
      g_assert_true (ap_sdes_generate (&their_keys[suite], suite + 1, suite, &error));
    }
  offerer.srtp = AP_SDP_SRTP_MANDATORY;
  answerer.srtp = AP_SDP_SRTP_OPTIONAL;
  answerer.keys = their_keys;
  offer = ap_sdp_make_offer (&offerer);
  g_assert_nonnull (strstr (offer, "m=video 50002 RTP/SAVP 96 97\r\n"));
  g_assert_true (ap_sdp_answer (offer, &answerer, &text, &answered, &error));
  g_assert_no_error (error);
  g_assert_true (ap_sdp_read_answer (text, &offerer, &read, &error));
  g_assert_no_error (error);

  g_assert_nonnull (answered->video);
  g_assert_nonnull (read->video);
  g_assert_cmpstr (read->video->codec, ==, "vp8");
  g_assert_cmpuint (read->video->remote_port, ==, 40002);
  g_assert_cmpuint (answered->video->remote_port, ==, 50002);
  g_assert_cmpint (read->video->srtp, ==, AP_MEDIA_SRTP_AES_CM_128_HMAC_SHA1_80);
  g_assert_cmpint (answered->video->srtp, ==, AP_MEDIA_SRTP_AES_CM_128_HMAC_SHA1_80);
  /* What one side encrypts with, the other decrypts with. */
  g_assert_cmpmem (read->video->srtp_local_key, AP_MEDIA_SRTP_KEY_LEN,
                   answered->video->srtp_remote_key, AP_MEDIA_SRTP_KEY_LEN);
  g_assert_cmpmem (read->video->srtp_remote_key, AP_MEDIA_SRTP_KEY_LEN,
                   answered->video->srtp_local_key, AP_MEDIA_SRTP_KEY_LEN);
}

/* Answers to our video offer: refused (port 0), missing, or unusable: the
 * call keeps its audio without video. */
static void
test_read_answer_without_video (void)
{
  static const char *const answers[] = {
    "m=video 0 RTP/AVP 96\r\n",
    "",
    "m=video 9000 RTP/AVP 98\r\na=rtpmap:98 VP9/90000\r\n",
  };
  ApSdpLocal local = local_video (40002);

  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      g_autofree char *text = g_strconcat (head, answers[i], NULL);
      g_autoptr (ApMediaParams) params = NULL;
      g_autoptr (GError) error = NULL;

      g_assert_true (ap_sdp_read_answer (text, &local, &params, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (params->codec, ==, "pcma");
      g_assert_null (params->video);
    }
}

static void
test_params_copy (void)
{
  g_autoptr (ApMediaParams) params = ap_media_params_new ();
  g_autoptr (ApMediaParams) copy = NULL;

  params->video = ap_media_params_new ();
  params->video->codec = g_strdup ("vp8");
  copy = ap_media_params_copy (params);
  g_assert_true (copy->video != params->video);
  g_assert_cmpstr (copy->video->codec, ==, "vp8");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sdp-video/offer", test_offer);
  g_test_add_func ("/sdp-video/offer-codec-order", test_offer_codec_order);
  g_test_add_func ("/sdp-video/offer-without-video", test_offer_without_video);
  g_test_add_func ("/sdp-video/answer-vp8", test_answer_vp8);
  g_test_add_func ("/sdp-video/answer-h264-preferred", test_answer_h264_preferred);
  g_test_add_func ("/sdp-video/answer-no-common-video", test_answer_no_common_video);
  g_test_add_func ("/sdp-video/answer-video-not-wanted", test_answer_video_not_wanted);
  g_test_add_func ("/sdp-video/answer-video-dropped", test_answer_video_dropped);
  g_test_add_func ("/sdp-video/round-trip-srtp", test_round_trip_srtp);
  g_test_add_func ("/sdp-video/read-answer-without-video", test_read_answer_without_video);
  g_test_add_func ("/sdp-video/params-copy", test_params_copy);
  return g_test_run ();
}
