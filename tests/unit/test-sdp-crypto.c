/* test-sdp-crypto.c: SRTP with SDES (RFC 4568) in offers and answers, per
 * the `srtp` mode: golden files (sdp/srtp-*.sdp) for what we write, the
 * suite we choose, the keys that reach ApMediaParams, what is refused and
 * why, broken a=crypto lines (passed over or refused, never a crash), and
 * no key in any log message. Run with AP_UPDATE_GOLDEN=1 to rewrite the
 * golden files, then review the diff. */
#include <string.h>

#include "ap-error.h"
#include "ap-sdp.h"

/* Fixed keys, so the SDP is stable: ours, and the far end's. */
#define OUR_KEY_80 "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd"
#define OUR_KEY_32 "ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CB"
#define THEIR_KEY_80 "yMnKy8zNzs/Q0dLT1NXW19jZ2tvc3d7f4OHi4+Tl"
#define THEIR_KEY_32 "MjM0NTY3ODk6Ozw9Pj9AQUJDREVGR0hJSktMTU5P"

static ApSdesCrypto our_keys[AP_SRTP_N_SUITES];
static GString *log_text;

static const char head[] = "v=0\r\n"
                           "o=- 1 1 IN IP4 192.0.2.1\r\n"
                           "s=-\r\n"
                           "c=IN IP4 192.0.2.1\r\n"
                           "t=0 0\r\n";

static const char *const g711[] = { "pcma", "pcmu", NULL };

static ApSdpLocal
local_with (ApSdpSrtp srtp)
{
  ApSdpLocal local = {
    .address = "192.0.2.10",
    .port = 40000,
    .codecs = g711,
    .direction = AP_MEDIA_DIRECTION_SENDRECV,
    .session_id = 4242,
    .version = 1,
    .telephone_event = TRUE,
    .srtp = srtp,
    .keys = our_keys,
  };
  return local;
}

static void
decode (const char *b64, guint8 *out)
{
  gsize len = 0;
  g_autofree guchar *raw = g_base64_decode (b64, &len);

  g_assert_cmpuint (len, ==, AP_MEDIA_SRTP_KEY_LEN);
  memcpy (out, raw, len);
}

static char *
golden_path (const char *name)
{
  g_autofree char *file = g_strconcat (name, ".sdp", NULL);

  return g_test_build_filename (G_TEST_DIST, "sdp", file, NULL);
}

static char *
load_golden (const char *name)
{
  g_autofree char *path = golden_path (name);
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) crlf = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  crlf = g_string_new (text);
  g_string_replace (crlf, "\r\n", "\n", 0);
  g_string_replace (crlf, "\n", "\r\n", 0);
  return g_string_free (g_steal_pointer (&crlf), FALSE);
}

static void
assert_golden (const char *name, const char *actual)
{
  g_autofree char *expected = NULL;

  if (g_getenv ("AP_UPDATE_GOLDEN") != NULL)
    {
      g_autofree char *path = golden_path (name);
      g_autoptr (GString) lf = g_string_new (actual);

      g_string_replace (lf, "\r\n", "\n", 0);
      g_assert_true (g_file_set_contents (path, lf->str, -1, NULL));
    }
  expected = load_golden (name);
  g_assert_cmpstr (actual, ==, expected);
}

static gboolean
answer (const char *media, ApSdpSrtp srtp, char **text, ApMediaParams **params, GError **error)
{
  ApSdpLocal local = local_with (srtp);
  g_autofree char *offer = g_strconcat (head, media, NULL);

  return ap_sdp_answer (offer, &local, text, params, error);
}

static void
assert_keys (const ApMediaParams *params, ApMediaSrtp srtp, const char *ours, const char *theirs)
{
  guint8 expected[AP_MEDIA_SRTP_KEY_LEN];

  g_assert_cmpint (params->srtp, ==, srtp);
  decode (ours, expected);
  g_assert_cmpmem (params->srtp_local_key, AP_MEDIA_SRTP_KEY_LEN, expected, sizeof expected);
  decode (theirs, expected);
  g_assert_cmpmem (params->srtp_remote_key, AP_MEDIA_SRTP_KEY_LEN, expected, sizeof expected);
}

static void
test_offers (void)
{
  ApSdpLocal mandatory = local_with (AP_SDP_SRTP_MANDATORY);
  ApSdpLocal optional = local_with (AP_SDP_SRTP_OPTIONAL);
  ApSdpLocal off = local_with (AP_SDP_SRTP_OFF);
  g_autofree char *savp = ap_sdp_make_offer (&mandatory);
  g_autofree char *best_effort = ap_sdp_make_offer (&optional);
  g_autofree char *plain = ap_sdp_make_offer (&off);

  assert_golden ("srtp-offer-mandatory", savp);
  /* Optional: the same keys, but over RTP/AVP, so anyone can answer. */
  g_assert_nonnull (strstr (best_effort, "\r\nm=audio 40000 RTP/AVP 8 0 101\r\n"));
  g_assert_nonnull (strstr (best_effort,
                            "\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" OUR_KEY_80
                            "\r\na=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:" OUR_KEY_32 "\r\n"));
  g_assert_nonnull (strstr (plain, "\r\nm=audio 40000 RTP/AVP 8 0 101\r\n"));
  g_assert_null (strstr (plain, "crypto"));
}

/* A peer's RTP/SAVP offer, _32 listed first: we take _80 (its longer tag)
 * under the peer's tag, with our own _80 key. */
static void
test_answer_savp (void)
{
  ApSdpLocal local = local_with (AP_SDP_SRTP_OPTIONAL);
  g_autofree char *offer = load_golden ("srtp-savp");
  g_autofree char *text = NULL;
  g_autoptr (ApMediaParams) params = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (ap_sdp_answer (offer, &local, &text, &params, &error));
  g_assert_no_error (error);
  assert_golden ("srtp-savp.answer", text);
  assert_keys (params, AP_MEDIA_SRTP_AES_CM_128_HMAC_SHA1_80, OUR_KEY_80, THEIR_KEY_80);
  g_assert_cmpstr (params->codec, ==, "pcma");
}

static void
test_answer_suite_32 (void)
{
  g_autofree char *text = NULL;
  g_autoptr (ApMediaParams) params = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (answer ("m=audio 4000 RTP/SAVP 8\r\n"
                         "a=crypto:7 AES_CM_128_HMAC_SHA1_32 inline:" THEIR_KEY_32 "\r\n",
                         AP_SDP_SRTP_MANDATORY, &text, &params, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (text, "\r\nm=audio 40000 RTP/SAVP 8\r\n"));
  g_assert_nonnull (
    strstr (text, "\r\na=crypto:7 AES_CM_128_HMAC_SHA1_32 inline:" OUR_KEY_32 "\r\n"));
  assert_keys (params, AP_MEDIA_SRTP_AES_CM_128_HMAC_SHA1_32, OUR_KEY_32, THEIR_KEY_32);
}

typedef struct {
  const char *media;
  ApSdpSrtp srtp;
  gboolean accepted;
  gboolean encrypted;
  const char *proto; /* of the answer */
  const char *message;
} ModeCase;

#define PLAIN "m=audio 4000 RTP/AVP 8\r\n"
#define SAVP                                                                                       \
  "m=audio 4000 RTP/SAVP 8\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" THEIR_KEY_80 "\r\n"
#define BEST_EFFORT                                                                                \
  "m=audio 4000 RTP/AVP 8\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" THEIR_KEY_80 "\r\n"

static const ModeCase mode_cases[] = {
  { PLAIN, AP_SDP_SRTP_OFF, TRUE, FALSE, "RTP/AVP", NULL },
  { PLAIN, AP_SDP_SRTP_OPTIONAL, TRUE, FALSE, "RTP/AVP", NULL },
  { PLAIN, AP_SDP_SRTP_MANDATORY, FALSE, FALSE, NULL,
    "not encrypted, but media encryption (SRTP) is mandatory here" },
  { SAVP, AP_SDP_SRTP_OFF, FALSE, FALSE, NULL,
    "asks for encrypted audio (RTP/SAVP), but media encryption (SRTP) is off here" },
  { SAVP, AP_SDP_SRTP_OPTIONAL, TRUE, TRUE, "RTP/SAVP", NULL },
  { SAVP, AP_SDP_SRTP_MANDATORY, TRUE, TRUE, "RTP/SAVP", NULL },
  /* Best effort (keys over RTP/AVP): encrypted unless we are off. */
  { BEST_EFFORT, AP_SDP_SRTP_OFF, TRUE, FALSE, "RTP/AVP", NULL },
  { BEST_EFFORT, AP_SDP_SRTP_OPTIONAL, TRUE, TRUE, "RTP/AVP", NULL },
  { BEST_EFFORT, AP_SDP_SRTP_MANDATORY, TRUE, TRUE, "RTP/AVP", NULL },
  /* DTLS-SRTP is not SDES. */
  { "m=audio 4000 UDP/TLS/RTP/SAVP 8\r\na=fingerprint:sha-256 AB:CD\r\n", AP_SDP_SRTP_OPTIONAL,
    FALSE, FALSE, NULL, "uses the UDP/TLS/RTP/SAVP transport" },
};

static void
test_modes (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (mode_cases); i++)
    {
      const ModeCase *c = &mode_cases[i];
      g_autofree char *text = NULL;
      g_autofree char *m_line = NULL;
      g_autoptr (ApMediaParams) params = NULL;
      g_autoptr (GError) error = NULL;
      gboolean ok = answer (c->media, c->srtp, &text, &params, &error);

      g_test_message ("case %u: %s", i, error ? error->message : "accepted");
      g_assert_cmpint (ok, ==, c->accepted);
      if (!ok)
        {
          g_assert_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT);
          g_assert_nonnull (strstr (error->message, c->message));
          g_assert_null (text);
          continue;
        }
      m_line = g_strdup_printf ("\r\nm=audio 40000 %s 8\r\n", c->proto);
      g_assert_nonnull (strstr (text, m_line));
      g_assert_cmpint (params->srtp != AP_MEDIA_SRTP_NONE, ==, c->encrypted);
      g_assert_cmpint (strstr (text, "a=crypto:") != NULL, ==, c->encrypted);
    }
}

/* An encrypted stream beside a plain one: the encrypted one is answered
 * unless we are off. */
static void
test_two_streams (void)
{
  static const char media[] = PLAIN SAVP;
  ApSdpSrtp modes[] = { AP_SDP_SRTP_OFF, AP_SDP_SRTP_OPTIONAL };

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autofree char *text = NULL;
      g_autoptr (ApMediaParams) params = NULL;
      g_autoptr (GError) error = NULL;

      g_assert_true (answer (media, modes[i], &text, &params, &error));
      g_assert_no_error (error);
      if (modes[i] == AP_SDP_SRTP_OFF)
        g_assert_nonnull (strstr (text, "m=audio 40000 RTP/AVP 8\r\n"
                                        "a=rtpmap:8 PCMA/8000\r\na=ptime:20\r\na=sendrecv\r\n"
                                        "m=audio 0 RTP/SAVP 8\r\n"));
      else
        g_assert_nonnull (strstr (text, "m=audio 0 RTP/AVP 8\r\nm=audio 40000 RTP/SAVP 8\r\n"));
      g_assert_cmpint (params->srtp != AP_MEDIA_SRTP_NONE, ==, modes[i] != AP_SDP_SRTP_OFF);
    }
}

/* Broken or foreign a=crypto lines: passed over, never a crash. Alone in
 * an RTP/SAVP offer they leave nothing to answer (488); beside a good
 * line the good one is taken. */
static void
test_bad_crypto_lines (void)
{
  static const char *const bad[] = {
    "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxw=", /* 29 */
    "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
    "a=crypto:1 AES_256_CM_HMAC_SHA1_80 inline:" THEIR_KEY_80,
    "a=crypto:1 F8_128_HMAC_SHA1_80 inline:" THEIR_KEY_80,
    "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:!!!!!!!!AAECAwQFBgcICQoLDA0ODxAREhMUFRYX",
    "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxw",
    "a=crypto:1 AES_CM_128_HMAC_SHA1_80 " THEIR_KEY_80,
    "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:",
    "a=crypto:0 AES_CM_128_HMAC_SHA1_80 inline:" THEIR_KEY_80,
    "a=crypto:x AES_CM_128_HMAC_SHA1_80 inline:" THEIR_KEY_80,
    "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" THEIR_KEY_80 " UNENCRYPTED_SRTP",
    "a=crypto:1 AES_CM_128_HMAC_SHA1_80",
    "a=crypto:",
    "a=crypto:99999999999999999999 AES_CM_128_HMAC_SHA1_80 inline:" THEIR_KEY_80,
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *alone = g_strdup_printf ("m=audio 4000 RTP/SAVP 8\r\n%s\r\n", bad[i]);
      g_autofree char *beside = g_strdup_printf (
        "m=audio 4000 RTP/SAVP 8\r\n%s\r\na=crypto:9 AES_CM_128_HMAC_SHA1_32 inline:" THEIR_KEY_32
        "\r\n",
        bad[i]);
      g_autofree char *best_effort = g_strdup_printf ("m=audio 4000 RTP/AVP 8\r\n%s\r\n", bad[i]);
      g_autofree char *text = NULL;
      g_autofree char *text2 = NULL;
      g_autofree char *text3 = NULL;
      g_autoptr (ApMediaParams) params = NULL;
      g_autoptr (ApMediaParams) params2 = NULL;
      g_autoptr (GError) error = NULL;

      g_test_message ("%s", bad[i]);
      g_assert_false (answer (alone, AP_SDP_SRTP_OPTIONAL, &text, &params, &error));
      g_assert_nonnull (strstr (error->message, "has no key we can use"));
      g_clear_error (&error);
      g_assert_true (answer (beside, AP_SDP_SRTP_MANDATORY, &text2, &params, &error));
      g_assert_no_error (error);
      assert_keys (params, AP_MEDIA_SRTP_AES_CM_128_HMAC_SHA1_32, OUR_KEY_32, THEIR_KEY_32);
      g_assert_nonnull (strstr (text2, "\r\na=crypto:9 AES_CM_128_HMAC_SHA1_32 inline:"));
      /* A best-effort offer with nothing usable is a plain one. */
      g_assert_true (answer (best_effort, AP_SDP_SRTP_OPTIONAL, &text3, &params2, &error));
      g_assert_cmpint (params2->srtp, ==, AP_MEDIA_SRTP_NONE);
      g_assert_null (strstr (text3, "crypto"));
    }
}

static gboolean
read_answer (const char *media, ApSdpSrtp srtp, ApMediaParams **params, GError **error)
{
  ApSdpLocal local = local_with (srtp);
  g_autofree char *text = g_strconcat (head, media, NULL);

  return ap_sdp_read_answer (text, &local, params, error);
}

static void
test_read_answer (void)
{
  static const struct {
    const char *media;
    ApSdpSrtp srtp;
    ApMediaSrtp expected;
    const char *message;
  } cases[] = {
    { SAVP, AP_SDP_SRTP_MANDATORY, AP_MEDIA_SRTP_AES_CM_128_HMAC_SHA1_80, NULL },
    { "m=audio 4000 RTP/AVP 8\r\na=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:" THEIR_KEY_32 "\r\n",
      AP_SDP_SRTP_OPTIONAL, AP_MEDIA_SRTP_AES_CM_128_HMAC_SHA1_32, NULL },
    { PLAIN, AP_SDP_SRTP_OPTIONAL, AP_MEDIA_SRTP_NONE, NULL },
    { BEST_EFFORT, AP_SDP_SRTP_OFF, AP_MEDIA_SRTP_NONE, NULL },
    { PLAIN, AP_SDP_SRTP_MANDATORY, AP_MEDIA_SRTP_NONE,
      "answered with unencrypted audio, but media encryption (SRTP) is mandatory here" },
    { "m=audio 4000 RTP/SAVP 8\r\n", AP_SDP_SRTP_MANDATORY, AP_MEDIA_SRTP_NONE,
      "encrypted (RTP/SAVP) but gives no key" },
    { SAVP, AP_SDP_SRTP_OFF, AP_MEDIA_SRTP_NONE, "uses RTP/SAVP, but we offered plain RTP/AVP" },
    /* Tag 1 is our _80 line: a _32 key under it is not what we offered. */
    { "m=audio 4000 RTP/SAVP 8\r\na=crypto:1 AES_CM_128_HMAC_SHA1_32 inline:" THEIR_KEY_32 "\r\n",
      AP_SDP_SRTP_MANDATORY, AP_MEDIA_SRTP_NONE,
      "(tag 1, AES_CM_128_HMAC_SHA1_32) does not match" },
    { "m=audio 4000 RTP/SAVP 8\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:short\r\n",
      AP_SDP_SRTP_MANDATORY, AP_MEDIA_SRTP_NONE, "encryption key is unusable" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      ApMediaParams *params = NULL;
      g_autoptr (GError) error = NULL;
      gboolean ok = read_answer (cases[i].media, cases[i].srtp, &params, &error);

      g_test_message ("case %u: %s", i, error ? error->message : "accepted");
      if (cases[i].message != NULL)
        {
          g_assert_false (ok);
          g_assert_null (params);
          g_assert_nonnull (strstr (error->message, cases[i].message));
          continue;
        }
      g_assert_true (ok);
      g_assert_cmpint (params->srtp, ==, cases[i].expected);
      if (cases[i].expected == AP_MEDIA_SRTP_AES_CM_128_HMAC_SHA1_80)
        assert_keys (params, cases[i].expected, OUR_KEY_80, THEIR_KEY_80);
      else if (cases[i].expected == AP_MEDIA_SRTP_AES_CM_128_HMAC_SHA1_32)
        assert_keys (params, cases[i].expected, OUR_KEY_32, THEIR_KEY_32);
      ap_media_params_free (params);
    }
}

/* Our mandatory offer answered by an optional peer (fresh keys each):
 * each side decrypts with what the other encrypts with. */
static void
test_round_trip (void)
{
  ApSdesCrypto peer_keys[AP_SRTP_N_SUITES];
  ApSdpLocal us = local_with (AP_SDP_SRTP_MANDATORY);
  ApSdpLocal peer = local_with (AP_SDP_SRTP_OPTIONAL);
  g_autofree char *offer = NULL;
  g_autofree char *text = NULL;
  g_autoptr (ApMediaParams) theirs = NULL;
  g_autoptr (ApMediaParams) ours = NULL;
  g_autoptr (GError) error = NULL;

  for (guint s = 0; s < AP_SRTP_N_SUITES; s++)
    g_assert_true (ap_sdes_generate (&peer_keys[s], s + 1, s, NULL));
  peer.keys = peer_keys;
  peer.port = 50000;
  offer = ap_sdp_make_offer (&us);
  g_assert_true (ap_sdp_answer (offer, &peer, &text, &theirs, &error));
  g_assert_no_error (error);
  g_assert_true (ap_sdp_read_answer (text, &us, &ours, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ours->srtp, ==, AP_MEDIA_SRTP_AES_CM_128_HMAC_SHA1_80);
  g_assert_cmpint (theirs->srtp, ==, ours->srtp);
  g_assert_cmpmem (ours->srtp_local_key, AP_MEDIA_SRTP_KEY_LEN, theirs->srtp_remote_key,
                   AP_MEDIA_SRTP_KEY_LEN);
  g_assert_cmpmem (ours->srtp_remote_key, AP_MEDIA_SRTP_KEY_LEN, theirs->srtp_local_key,
                   AP_MEDIA_SRTP_KEY_LEN);
  g_assert_cmpmem (ours->srtp_remote_key, AP_MEDIA_SRTP_KEY_LEN, peer_keys[0].key_salt,
                   AP_MEDIA_SRTP_KEY_LEN);
}

static GLogWriterOutput
collect_log (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE"))
      g_string_append_printf (log_text, "%s\n", (const char *) fields[i].value);
  return G_LOG_WRITER_HANDLED;
}

/* An offer/answer with good and bad lines, logged at debug level: suites
 * and reasons, never a key (base64 as on the wire, or hex). */
static void
test_no_keys_logged (void)
{
  const char *keys[] = { OUR_KEY_80, OUR_KEY_32, THEIR_KEY_80, THEIR_KEY_32 };
  g_autofree char *text = NULL;
  g_autoptr (ApMediaParams) params = NULL;
  g_autoptr (ApMediaParams) read = NULL;
  g_autoptr (GError) error = NULL;

  g_string_truncate (log_text, 0);
  g_assert_true (answer (SAVP "a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:" THEIR_KEY_32 "x\r\n",
                         AP_SDP_SRTP_OPTIONAL, &text, &params, &error));
  g_assert_true (read_answer (SAVP, AP_SDP_SRTP_MANDATORY, &read, &error));
  g_assert_no_error (error);

  g_assert_nonnull (strstr (log_text->str, "Audio encrypted with AES_CM_128_HMAC_SHA1_80"));
  g_assert_nonnull (strstr (log_text->str, "Passing over an a=crypto line"));
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      guint8 raw[AP_MEDIA_SRTP_KEY_LEN];
      g_autoptr (GString) hex = g_string_new (NULL);

      decode (keys[i], raw);
      for (guint j = 0; j < sizeof raw; j++)
        g_string_append_printf (hex, "%02x", raw[j]);
      g_assert_null (strstr (log_text->str, keys[i]));
      g_assert_null (strstr (log_text->str, hex->str));
    }
}

int
main (int argc, char *argv[])
{
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_test_init (&argc, &argv, NULL);
  log_text = g_string_new (NULL);
  g_log_set_writer_func (collect_log, NULL, NULL);
  our_keys[0].tag = 1;
  our_keys[0].suite = AP_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80;
  decode (OUR_KEY_80, our_keys[0].key_salt);
  our_keys[1].tag = 2;
  our_keys[1].suite = AP_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32;
  decode (OUR_KEY_32, our_keys[1].key_salt);

  g_test_add_func ("/sdp-crypto/offers", test_offers);
  g_test_add_func ("/sdp-crypto/answer/savp", test_answer_savp);
  g_test_add_func ("/sdp-crypto/answer/suite-32", test_answer_suite_32);
  g_test_add_func ("/sdp-crypto/answer/modes", test_modes);
  g_test_add_func ("/sdp-crypto/answer/two-streams", test_two_streams);
  g_test_add_func ("/sdp-crypto/answer/bad-crypto-lines", test_bad_crypto_lines);
  g_test_add_func ("/sdp-crypto/read-answer", test_read_answer);
  g_test_add_func ("/sdp-crypto/round-trip", test_round_trip);
  g_test_add_func ("/sdp-crypto/no-keys-logged", test_no_keys_logged);
  return g_test_run ();
}
