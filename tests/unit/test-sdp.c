/* test-sdp.c: SDP offer/answer against golden files in sdp/.
 *
 * The files keep plain LF line ends so they read well in an editor and
 * survive any checkout; they are turned into CRLF (what SIP carries) when
 * loaded, so our own output is still checked for CRLF. Run with
 * AP_UPDATE_GOLDEN=1 to rewrite the expected files from what the code
 * produces, then review the diff. */
#include <string.h>

#include "ap-error.h"
#include "ap-sdp.h"

static const char *const default_codecs[] = { "opus", "g722", "pcma", "pcmu", NULL };

/* The answering side in the golden answers. */
static ApSdpLocal
answerer (void)
{
  ApSdpLocal local = {
    .address = "192.0.2.10",
    .port = 40000,
    .codecs = default_codecs,
    .direction = AP_MEDIA_DIRECTION_SENDRECV,
    .session_id = 4242,
    .version = 1,
    .telephone_event = TRUE,
  };
  return local;
}

/* The offering side: what wrote sdp/agentphone.sdp. */
/* Our answer to @offer with the default settings, which must succeed. */
static ApMediaParams *
answer_offer (const char *offer, char **answer)
{
  ApSdpLocal local = answerer ();
  ApMediaParams *params = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (ap_sdp_answer (offer, &local, answer, &params, &error));
  g_assert_no_error (error);
  return params;
}

static ApSdpLocal
offerer (void)
{
  ApSdpLocal local = {
    .address = "198.51.100.7",
    .port = 50000,
    .codecs = default_codecs,
    .direction = AP_MEDIA_DIRECTION_SENDRECV,
    .session_id = 1001,
    .version = 1,
    .telephone_event = TRUE,
  };
  return local;
}

static char *
golden_path (const char *name)
{
  g_autofree char *file = g_strconcat (name, ".sdp", NULL);

  return g_test_build_filename (G_TEST_DIST, "sdp", file, NULL);
}

static char *
to_crlf (const char *text)
{
  g_auto (GStrv) lines = NULL;
  g_autofree char *bare = NULL;
  GString *out = g_string_new (NULL);

  bare = g_strdup (text);
  g_strdelimit (bare, "\r", '\n');
  lines = g_strsplit (bare, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0')
      g_string_append_printf (out, "%s\r\n", lines[i]);
  return g_string_free (out, FALSE);
}

/* A golden file as SIP would carry it: CRLF line ends. */
static char *
load_golden (const char *name)
{
  g_autofree char *path = golden_path (name);
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return to_crlf (text);
}

static void
assert_golden (const char *name, const char *actual)
{
  g_autofree char *expected = NULL;

  g_assert_nonnull (actual);
  if (g_getenv ("AP_UPDATE_GOLDEN") != NULL)
    {
      g_autofree char *path = golden_path (name);
      g_autoptr (GString) lf = g_string_new (actual);
      g_autoptr (GError) error = NULL;

      g_string_replace (lf, "\r\n", "\n", 0);
      g_file_set_contents (path, lf->str, -1, &error);
      g_assert_no_error (error);
      g_test_message ("rewrote %s", path);
    }
  expected = load_golden (name);
  g_assert_cmpstr (actual, ==, expected);
  /* Every line of ours ends in CRLF, and nothing else does. */
  for (const char *p = actual; *p; p++)
    {
      if (*p == '\n')
        g_assert_true (p > actual && p[-1] == '\r');
      if (*p == '\r')
        g_assert_true (p[1] == '\n');
    }
}

typedef struct {
  const char *offer; /* sdp/<offer>.sdp, answered in sdp/<offer>.answer.sdp */
  const char *local_address;
  const char *codec;
  guint payload_type;
  guint clock_rate;
  guint channels;
  const char *fmtp;
  int dtmf_payload_type;
  ApMediaDirection direction;
  const char *remote_address;
  guint remote_port;
  guint ptime;
} AnswerCase;

static const AnswerCase answer_cases[] = {
  /* Our own offer (default settings): Opus with Opus-rate DTMF. */
  { "agentphone", NULL, "opus", 111, 48000, 2,
    "minptime=10;useinbandfec=1;usedtx=1;stereo=0;sprop-stereo=0", 110, AP_MEDIA_DIRECTION_SENDRECV,
    "198.51.100.7", 50000, 20 },
  /* Opus with only telephone-event/8000 beside it: we take the 8000 one. */
  { "baresip", NULL, "opus", 96, 48000, 2, "stereo=1;sprop-stereo=1", 101,
    AP_MEDIA_DIRECTION_SENDRECV, "192.168.1.20", 10000, 20 },
  /* A static payload type without a=rtpmap. */
  { "sipp", NULL, "pcmu", 0, 8000, 1, NULL, -1, AP_MEDIA_DIRECTION_SENDRECV, "127.0.0.1", 6000,
    20 },
  /* G.722: RTP clock 8000 although it samples at 16 kHz. */
  { "gnome-calls", NULL, "g722", 9, 8000, 1, NULL, -1, AP_MEDIA_DIRECTION_SENDRECV, "192.168.1.42",
    28000, 20 },
  /* PCMU first in the offer, PCMA first in our settings: PCMA. */
  { "asterisk", NULL, "pcma", 8, 8000, 1, NULL, 101, AP_MEDIA_DIRECTION_SENDRECV, "10.0.0.5", 16384,
    20 },
  { "audio-video", NULL, "opus", 96, 48000, 2, "useinbandfec=1", 101, AP_MEDIA_DIRECTION_SENDRECV,
    "192.168.1.30", 7078, 20 },
  /* IPv6, media-level c=, RTP/AVPF, and the audio in the middle. */
  { "video-first", "2001:db8::10", "pcma", 8, 8000, 1, NULL, -1, AP_MEDIA_DIRECTION_SENDRECV,
    "2001:db8::31", 7078, 20 },
  { "hold-sendonly", NULL, "pcma", 8, 8000, 1, NULL, 101, AP_MEDIA_DIRECTION_RECVONLY, "10.0.0.5",
    16384, 20 },
  /* Session-level a=inactive. */
  { "hold-inactive", NULL, "opus", 96, 48000, 2, NULL, 101, AP_MEDIA_DIRECTION_INACTIVE,
    "192.168.1.20", 10000, 20 },
  /* Old-style hold: the offerer sends at most, so we receive only. */
  { "hold-c0000", NULL, "pcmu", 0, 8000, 1, NULL, -1, AP_MEDIA_DIRECTION_RECVONLY, "0.0.0.0", 49170,
    20 },
};

static void
assert_params (const ApMediaParams *params, const AnswerCase *c)
{
  g_assert_nonnull (params);
  g_assert_cmpstr (params->codec, ==, c->codec);
  g_assert_cmpuint (params->payload_type, ==, c->payload_type);
  g_assert_cmpuint (params->clock_rate, ==, c->clock_rate);
  g_assert_cmpuint (params->channels, ==, c->channels);
  g_assert_cmpstr (params->fmtp, ==, c->fmtp);
  g_assert_cmpint (params->dtmf_payload_type, ==, c->dtmf_payload_type);
  g_assert_cmpint (params->direction, ==, c->direction);
  g_assert_cmpstr (params->remote_address, ==, c->remote_address);
  g_assert_cmpuint (params->remote_port, ==, c->remote_port);
  g_assert_cmpuint (params->ptime, ==, c->ptime);
}

static void
test_answer_case (gconstpointer data)
{
  const AnswerCase *c = data;
  ApSdpLocal local = answerer ();
  g_autofree char *offer = load_golden (c->offer);
  g_autofree char *answer_name = g_strconcat (c->offer, ".answer", NULL);
  g_autofree char *answer = NULL;
  g_autoptr (ApMediaParams) params = NULL;
  g_autoptr (GError) error = NULL;

  if (c->local_address != NULL)
    local.address = c->local_address;
  g_assert_true (ap_sdp_answer (offer, &local, &answer, &params, &error));
  g_assert_no_error (error);
  assert_params (params, c);
  assert_golden (answer_name, answer);
}

typedef struct {
  const char *offer;
  const char *message; /* a part of the error message */
} RejectCase;

static const RejectCase reject_cases[] = {
  { "garbage", "not a valid session description (SDP): bad SDP message" },
  { "no-media", "no media stream (no m= line)" },
  { "only-video", "no audio stream, only video" },
  { "audio-port0", "disables its audio stream (port 0)" },
  { "g729-only", "the offer has G729/8000 (18), iLBC/8000 (96); we accept opus, g722, pcma, pcmu" },
  { "savp", "(RTP/SAVP), but media encryption (SRTP) is off here" },
  { "no-connection", "no connection address (c= line)" },
  { "port-too-big", "70000 as its audio port" },
  /* Would make Debian's sofia-sip allocate until memory runs out. */
  { "bad-media-line", "a malformed m= line" },
};

static void
test_reject_case (gconstpointer data)
{
  const RejectCase *c = data;
  ApSdpLocal local = answerer ();
  g_autofree char *offer = load_golden (c->offer);
  char *answer = NULL;
  ApMediaParams *params = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_false (ap_sdp_answer (offer, &local, &answer, &params, &error));
  g_assert_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT);
  g_test_message ("%s: %s", c->offer, error->message);
  g_assert_nonnull (strstr (error->message, c->message));
  g_assert_null (answer);
  g_assert_null (params);
}

static void
test_make_offer (void)
{
  ApSdpLocal local = offerer ();
  g_autofree char *offer = ap_sdp_make_offer (&local);

  assert_golden ("agentphone", offer);
}

/* G.711 only, IPv6, on hold: no Opus, so no telephone-event/48000. */
static void
test_make_offer_ipv6_hold (void)
{
  static const char *const g711[] = { "pcma", "pcmu", NULL };
  ApSdpLocal local = offerer ();
  g_autofree char *offer = NULL;

  local.address = "2001:db8::7";
  local.codecs = g711;
  local.direction = AP_MEDIA_DIRECTION_SENDONLY;
  local.version = 2;
  offer = ap_sdp_make_offer (&local);
  assert_golden ("agentphone-ipv6-hold", offer);
}

static void
test_make_offer_codec_lists (void)
{
  static const char *const unknown[] = { "g729", "PCMU", "speex", "pcmu", NULL };
  static const char *const none[] = { "g729", NULL };
  ApSdpLocal local = offerer ();
  g_autofree char *pcmu = NULL;
  g_autofree char *fallback = NULL;
  g_autofree char *no_dtmf = NULL;

  /* Unknown names are skipped, duplicates dropped. */
  local.codecs = unknown;
  pcmu = ap_sdp_make_offer (&local);
  g_assert_nonnull (strstr (pcmu, "\r\nm=audio 50000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"));
  g_assert_null (strstr (pcmu, "48000"));

  /* Nothing usable: all four rather than an empty offer. */
  local.codecs = none;
  fallback = ap_sdp_make_offer (&local);
  g_assert_nonnull (strstr (fallback, "\r\nm=audio 50000 RTP/AVP 111 9 8 0 101 110\r\n"));

  local.codecs = NULL;
  local.telephone_event = FALSE;
  no_dtmf = ap_sdp_make_offer (&local);
  g_assert_nonnull (strstr (no_dtmf, "\r\nm=audio 50000 RTP/AVP 111 9 8 0\r\n"));
  g_assert_null (strstr (no_dtmf, "telephone-event"));
}

/* Our priority wins over the offer's order. */
static void
test_answer_priority (void)
{
  static const char *const pcma_opus[] = { "pcma", "opus", NULL };
  static const char offer[] = "v=0\r\n"
                              "o=- 1 1 IN IP4 192.0.2.1\r\n"
                              "s=-\r\n"
                              "c=IN IP4 192.0.2.1\r\n"
                              "t=0 0\r\n"
                              "m=audio 4000 RTP/AVP 0 8 111\r\n"
                              "a=rtpmap:111 opus/48000/2\r\n";
  ApSdpLocal local = answerer ();
  g_autofree char *answer = NULL;
  g_autoptr (ApMediaParams) params = NULL;
  g_autoptr (GError) error = NULL;

  local.codecs = pcma_opus;
  g_assert_true (ap_sdp_answer (offer, &local, &answer, &params, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (params->codec, ==, "pcma");
  g_assert_cmpuint (params->payload_type, ==, 8);
  g_assert_cmpint (params->dtmf_payload_type, ==, -1);
  g_assert_nonnull (strstr (answer, "\r\nm=audio 40000 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n"));
}

/* Names match without regard to case; the clock rate must match too. */
static void
test_answer_matching (void)
{
  static const char offer[] = "v=0\r\n"
                              "o=- 1 1 IN IP4 192.0.2.1\r\n"
                              "s=-\r\n"
                              "c=IN IP4 192.0.2.1\r\n"
                              "t=0 0\r\n"
                              "m=audio 4000 RTP/AVP 97 98 99 100 101\r\n"
                              "a=rtpmap:97 OPUS/16000/2\r\n"
                              "a=rtpmap:98 g722/16000\r\n"
                              "a=rtpmap:99 pcmu/8000\r\n"
                              "a=rtpmap:100 TELEPHONE-EVENT/16000\r\n"
                              "a=rtpmap:101 Telephone-Event/8000\r\n"
                              "a=ptime:30\r\n";
  g_autofree char *answer = NULL;
  g_autoptr (ApMediaParams) params = answer_offer (offer, &answer);

  g_assert_cmpstr (params->codec, ==, "pcmu");
  g_assert_cmpuint (params->payload_type, ==, 99);
  g_assert_cmpint (params->dtmf_payload_type, ==, 101);
  g_assert_cmpuint (params->ptime, ==, 30);
  g_assert_nonnull (strstr (answer, "\r\nm=audio 40000 RTP/AVP 99 101\r\n"));
}

/* Holding ourselves (local sendonly) against an offer that holds us. */
static void
test_answer_local_direction (void)
{
  ApSdpLocal local = answerer ();
  g_autofree char *offer = load_golden ("hold-sendonly");
  g_autofree char *sendrecv = load_golden ("asterisk");
  g_autofree char *answer = NULL;
  g_autofree char *answer2 = NULL;
  g_autoptr (ApMediaParams) params = NULL;
  g_autoptr (ApMediaParams) params2 = NULL;
  g_autoptr (GError) error = NULL;

  local.direction = AP_MEDIA_DIRECTION_SENDONLY;
  g_assert_true (ap_sdp_answer (offer, &local, &answer, &params, &error));
  g_assert_cmpint (params->direction, ==, AP_MEDIA_DIRECTION_INACTIVE);
  g_assert_nonnull (strstr (answer, "\r\na=inactive\r\n"));
  g_assert_true (ap_sdp_answer (sendrecv, &local, &answer2, &params2, &error));
  g_assert_cmpint (params2->direction, ==, AP_MEDIA_DIRECTION_SENDONLY);
  g_assert_nonnull (strstr (answer2, "\r\na=sendonly\r\n"));
}

static void
test_answer_no_dtmf (void)
{
  ApSdpLocal local = answerer ();
  g_autofree char *offer = load_golden ("asterisk");
  g_autofree char *answer = NULL;
  g_autoptr (ApMediaParams) params = NULL;
  g_autoptr (GError) error = NULL;

  local.telephone_event = FALSE;
  g_assert_true (ap_sdp_answer (offer, &local, &answer, &params, &error));
  g_assert_cmpint (params->dtmf_payload_type, ==, -1);
  g_assert_null (strstr (answer, "telephone-event"));
  g_assert_nonnull (strstr (answer, "\r\nm=audio 40000 RTP/AVP 8\r\n"));
}

/* Bare LF line ends, as some stacks send them. */
static void
test_answer_lf_only (void)
{
  static const char offer[] = "v=0\n"
                              "o=- 1 1 IN IP4 192.0.2.1\n"
                              "s=-\n"
                              "c=IN IP4 192.0.2.1\n"
                              "t=0 0\n"
                              "m=audio 4000 RTP/AVP 8\n";
  g_autofree char *answer = NULL;
  g_autoptr (ApMediaParams) params = answer_offer (offer, &answer);

  g_assert_cmpstr (params->codec, ==, "pcma");
  g_assert_cmpuint (params->remote_port, ==, 4000);
}

/* Blanks after an unknown transport with no format made Debian's sofia-sip
 * allocate until memory ran out (found by the SDP fuzzer): the offer is
 * answered, its audio used and the unknown stream refused. */
static void
test_answer_trailing_blanks (void)
{
  static const char offer[] = "v=0\r\n"
                              "o=- 1 1 IN IP4 192.0.2.1 \t\r\n"
                              "s=-\r\n"
                              "c=IN IP4 192.0.2.1\r\n"
                              "t=0 0\r\n"
                              "m=audio 4000 RTP/AVP 8\t \r\n"
                              "m=video 9078 R\t\t\t\r\n"
                              "m=text 9080 FOO \t\r\n";
  g_autofree char *answer = NULL;
  g_autoptr (ApMediaParams) params = answer_offer (offer, &answer);

  g_assert_cmpstr (params->codec, ==, "pcma");
  g_assert_cmpuint (params->remote_port, ==, 4000);
  g_assert_nonnull (strstr (answer, "m=video 0 "));
  g_assert_nonnull (strstr (answer, "m=text 0 "));
}

/* An RTP/SAVP stream beside a plain one: the plain one is answered. */
static void
test_answer_skips_srtp_stream (void)
{
  static const char offer[] = "v=0\r\n"
                              "o=- 1 1 IN IP4 192.0.2.1\r\n"
                              "s=-\r\n"
                              "c=IN IP4 192.0.2.1\r\n"
                              "t=0 0\r\n"
                              "m=audio 4000 RTP/SAVP 0\r\n"
                              "a=crypto:1 AES_CM_128_HMAC_SHA1_80 "
                              "inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd\r\n"
                              "m=audio 4002 RTP/AVP 0\r\n";
  g_autofree char *answer = NULL;
  g_autoptr (ApMediaParams) params = answer_offer (offer, &answer);

  g_assert_cmpuint (params->remote_port, ==, 4002);
  g_assert_nonnull (strstr (answer, "\r\nm=audio 0 RTP/SAVP 0\r\nm=audio 40000 RTP/AVP 0\r\n"));
}

static void
round_trip (const char *const *peer_codecs, const char *codec, guint pt, int dtmf)
{
  ApSdpLocal us = offerer ();
  ApSdpLocal peer = answerer ();
  g_autofree char *offer = NULL;
  g_autofree char *answer = NULL;
  g_autoptr (ApMediaParams) theirs = NULL;
  g_autoptr (ApMediaParams) ours = NULL;
  g_autoptr (GError) error = NULL;

  peer.codecs = peer_codecs;
  offer = ap_sdp_make_offer (&us);
  g_assert_true (ap_sdp_answer (offer, &peer, &answer, &theirs, &error));
  g_assert_no_error (error);
  g_assert_true (ap_sdp_read_answer (answer, &us, &ours, &error));
  g_assert_no_error (error);

  g_assert_cmpstr (theirs->codec, ==, codec);
  g_assert_cmpstr (ours->codec, ==, codec);
  g_assert_cmpuint (theirs->payload_type, ==, pt);
  g_assert_cmpuint (ours->payload_type, ==, pt);
  g_assert_cmpuint (theirs->clock_rate, ==, ours->clock_rate);
  g_assert_cmpuint (theirs->channels, ==, ours->channels);
  g_assert_cmpint (theirs->dtmf_payload_type, ==, dtmf);
  g_assert_cmpint (ours->dtmf_payload_type, ==, dtmf);
  g_assert_cmpstr (theirs->remote_address, ==, us.address);
  g_assert_cmpuint (theirs->remote_port, ==, us.port);
  g_assert_cmpstr (ours->remote_address, ==, peer.address);
  g_assert_cmpuint (ours->remote_port, ==, peer.port);
  g_assert_cmpint (theirs->direction, ==, AP_MEDIA_DIRECTION_SENDRECV);
  g_assert_cmpint (ours->direction, ==, AP_MEDIA_DIRECTION_SENDRECV);
}

static void
test_round_trip (void)
{
  static const char *const g722_pcmu[] = { "g722", "pcmu", NULL };
  static const char *const pcmu_opus[] = { "pcmu", "opus", NULL };
  static const char *const opus[] = { "opus", NULL };

  round_trip (g722_pcmu, "g722", 9, 101);
  round_trip (pcmu_opus, "pcmu", 0, 101);
  round_trip (opus, "opus", 111, 110);
}

/* We hold: our sendonly offer, their recvonly answer. */
static void
test_round_trip_hold (void)
{
  ApSdpLocal us = offerer ();
  ApSdpLocal peer = answerer ();
  g_autofree char *offer = NULL;
  g_autofree char *answer = NULL;
  g_autoptr (ApMediaParams) theirs = NULL;
  g_autoptr (ApMediaParams) ours = NULL;
  g_autoptr (GError) error = NULL;

  us.direction = AP_MEDIA_DIRECTION_SENDONLY;
  offer = ap_sdp_make_offer (&us);
  g_assert_true (ap_sdp_answer (offer, &peer, &answer, &theirs, &error));
  g_assert_nonnull (strstr (answer, "\r\na=recvonly\r\n"));
  g_assert_cmpint (theirs->direction, ==, AP_MEDIA_DIRECTION_RECVONLY);
  g_assert_true (ap_sdp_read_answer (answer, &us, &ours, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ours->direction, ==, AP_MEDIA_DIRECTION_SENDONLY);
}

static const char answer_head[] = "v=0\r\n"
                                  "o=- 9 9 IN IP4 203.0.113.5\r\n"
                                  "s=-\r\n"
                                  "c=IN IP4 203.0.113.5\r\n"
                                  "t=0 0\r\n";

static gboolean
read_answer (const char *media, const char *const *codecs, ApMediaParams **params, GError **error)
{
  ApSdpLocal us = offerer ();
  g_autofree char *text = g_strconcat (answer_head, media, NULL);

  if (codecs != NULL)
    us.codecs = codecs;
  return ap_sdp_read_answer (text, &us, params, error);
}

static void
test_read_answer (void)
{
  g_autoptr (ApMediaParams) params = NULL;
  g_autoptr (GError) error = NULL;

  /* A different type number for Opus than ours, CN we did not offer first:
   * the answer's type wins and CN is passed over. */
  g_assert_true (read_answer ("m=audio 6000 RTP/AVP 13 96 101\r\n"
                              "a=rtpmap:96 opus/48000/2\r\n"
                              "a=fmtp:96 useinbandfec=1\r\n"
                              "a=rtpmap:101 telephone-event/8000\r\n"
                              "a=ptime:40\r\n"
                              "a=sendrecv\r\n",
                              NULL, &params, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (params->codec, ==, "opus");
  g_assert_cmpuint (params->payload_type, ==, 96);
  g_assert_cmpuint (params->clock_rate, ==, 48000);
  g_assert_cmpuint (params->channels, ==, 2);
  g_assert_cmpstr (params->fmtp, ==, "useinbandfec=1");
  g_assert_cmpint (params->dtmf_payload_type, ==, 101);
  g_assert_cmpuint (params->ptime, ==, 40);
  g_assert_cmpstr (params->remote_address, ==, "203.0.113.5");
  g_assert_cmpuint (params->remote_port, ==, 6000);
  g_assert_cmpint (params->direction, ==, AP_MEDIA_DIRECTION_SENDRECV);
}

static void
test_read_answer_directions (void)
{
  static const struct {
    const char *mode;
    ApMediaDirection expected;
  } cases[] = {
    { "a=sendonly\r\n", AP_MEDIA_DIRECTION_RECVONLY },
    { "a=recvonly\r\n", AP_MEDIA_DIRECTION_SENDONLY },
    { "a=inactive\r\n", AP_MEDIA_DIRECTION_INACTIVE },
    { "", AP_MEDIA_DIRECTION_SENDRECV },
    { "c=IN IP4 0.0.0.0\r\n", AP_MEDIA_DIRECTION_RECVONLY },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (ApMediaParams) params = NULL;
      g_autoptr (GError) error = NULL;
      g_autofree char *media = g_strconcat ("m=audio 6000 RTP/AVP 8\r\n", cases[i].mode, NULL);

      g_assert_true (read_answer (media, NULL, &params, &error));
      g_assert_no_error (error);
      g_assert_cmpint (params->direction, ==, cases[i].expected);
      g_assert_cmpint (params->dtmf_payload_type, ==, -1);
    }
}

static void
test_read_answer_rejects (void)
{
  static const char *const pcma[] = { "pcma", NULL };
  static const struct {
    const char *text; /* after answer_head, or a whole SDP when it starts with "!" */
    const char *const *codecs;
    const char *message;
  } cases[] = {
    { "m=audio 6000 RTP/AVP 0\r\n", pcma,
      "picks no codec we offered: it has PCMU/8000 (0); we "
      "offered pcma" },
    { "m=audio 6000 RTP/AVP 18\r\n", NULL, "picks no codec we offered: it has G729/8000 (18)" },
    { "m=audio 0 RTP/AVP 0\r\n", NULL, "refused our audio stream" },
    { "m=video 6000 RTP/AVP 96\r\n", NULL, "has no audio stream" },
    { "m=audio 6000 RTP/SAVP 0\r\n", NULL, "uses RTP/SAVP, but we offered plain RTP/AVP" },
    { "m=audio 65536 RTP/AVP 0\r\n", NULL, "65536 as its audio port" },
    { "!garbage", NULL, "The answer is not a valid session description (SDP)" },
    { "m=audio 6000 RTP/AVP 0\r\nm=image 6002 udptl t38 (\r\n", NULL, "a malformed m= line" },
    { "!v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n", NULL,
      "The answer has no connection address" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      ApSdpLocal us = offerer ();
      ApMediaParams *params = NULL;
      g_autoptr (GError) error = NULL;
      g_autofree char *text = NULL;

      if (cases[i].codecs != NULL)
        us.codecs = cases[i].codecs;
      if (cases[i].text[0] == '!')
        text = g_strdup (cases[i].text + 1);
      else
        text = g_strconcat (answer_head, cases[i].text, NULL);
      g_assert_false (ap_sdp_read_answer (text, &us, &params, &error));
      g_assert_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, cases[i].message));
      g_assert_null (params);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sdp/offer/golden", test_make_offer);
  g_test_add_func ("/sdp/offer/ipv6-hold", test_make_offer_ipv6_hold);
  g_test_add_func ("/sdp/offer/codec-lists", test_make_offer_codec_lists);
  for (guint i = 0; i < G_N_ELEMENTS (answer_cases); i++)
    {
      g_autofree char *path = g_strconcat ("/sdp/answer/", answer_cases[i].offer, NULL);

      g_test_add_data_func (path, &answer_cases[i], test_answer_case);
    }
  for (guint i = 0; i < G_N_ELEMENTS (reject_cases); i++)
    {
      g_autofree char *path = g_strconcat ("/sdp/reject/", reject_cases[i].offer, NULL);

      g_test_add_data_func (path, &reject_cases[i], test_reject_case);
    }
  g_test_add_func ("/sdp/answer/priority", test_answer_priority);
  g_test_add_func ("/sdp/answer/matching", test_answer_matching);
  g_test_add_func ("/sdp/answer/local-direction", test_answer_local_direction);
  g_test_add_func ("/sdp/answer/no-dtmf", test_answer_no_dtmf);
  g_test_add_func ("/sdp/answer/lf-only", test_answer_lf_only);
  g_test_add_func ("/sdp/answer/trailing-blanks", test_answer_trailing_blanks);
  g_test_add_func ("/sdp/answer/skips-srtp-stream", test_answer_skips_srtp_stream);
  g_test_add_func ("/sdp/round-trip/codecs", test_round_trip);
  g_test_add_func ("/sdp/round-trip/hold", test_round_trip_hold);
  g_test_add_func ("/sdp/read-answer/opus", test_read_answer);
  g_test_add_func ("/sdp/read-answer/directions", test_read_answer_directions);
  g_test_add_func ("/sdp/read-answer/rejects", test_read_answer_rejects);
  return g_test_run ();
}
