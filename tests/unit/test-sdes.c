/* test-sdes.c: SDES keys (RFC 4568) for SRTP. */
#include <string.h>

#include "ap-error.h"
#include "ap-sdes.h"

/* 30 bytes 0x00..0x1d, base64-encoded. */
#define KEY_0_29 "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd"

static void
test_generate (void)
{
  ApSdesCrypto a, b;
  g_autoptr (GError) error = NULL;
  static const guint8 zeros[AP_SDES_KEY_SALT_LEN] = { 0 };

  g_assert_cmpuint (sizeof a.key_salt, ==, 30);
  memset (&a, 0, sizeof a);
  memset (&b, 0, sizeof b);
  g_assert_true (ap_sdes_generate (&a, 1, AP_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80, &error));
  g_assert_no_error (error);
  g_assert_true (ap_sdes_generate (&b, 2, AP_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (a.tag, ==, 1);
  g_assert_cmpint (a.suite, ==, AP_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80);
  g_assert_cmpuint (b.tag, ==, 2);
  g_assert_cmpint (b.suite, ==, AP_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32);
  g_assert_true (memcmp (a.key_salt, zeros, sizeof zeros) != 0);
  g_assert_true (memcmp (a.key_salt, b.key_salt, sizeof a.key_salt) != 0);
}

static void
test_format (void)
{
  ApSdesCrypto crypto = { .tag = 1, .suite = AP_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80 };
  g_autofree char *text = NULL;

  for (guint i = 0; i < AP_SDES_KEY_SALT_LEN; i++)
    crypto.key_salt[i] = i;
  text = ap_sdes_format (&crypto);
  g_assert_cmpstr (text, ==, "1 AES_CM_128_HMAC_SHA1_80 inline:" KEY_0_29);
  g_assert_cmpstr (ap_srtp_suite_name (AP_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32), ==,
                   "AES_CM_128_HMAC_SHA1_32");
}

static void
test_round_trip (void)
{
  for (ApSrtpSuite suite = AP_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80;
       suite <= AP_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32; suite++)
    {
      ApSdesCrypto out, in;
      g_autoptr (GError) error = NULL;
      g_autofree char *text = NULL;

      memset (&in, 0xa5, sizeof in);
      g_assert_true (ap_sdes_generate (&out, 7 + suite, suite, &error));
      text = ap_sdes_format (&out);
      g_assert_true (ap_sdes_parse (text, &in, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (in.tag, ==, out.tag);
      g_assert_cmpint (in.suite, ==, out.suite);
      g_assert_cmpmem (in.key_salt, sizeof in.key_salt, out.key_salt, sizeof out.key_salt);
    }
}

static void
test_parse_rejects (void)
{
  static const char *const cases[] = {
    "",
    "1",
    "1 AES_CM_128_HMAC_SHA1_80",
    "1 AES_CM_128_HMAC_SHA1_80 inline:" KEY_0_29 " KDR=1",
    "1 AES_CM_128_HMAC_SHA1_80 inline:" KEY_0_29 " UNENCRYPTED_SRTP",
    "0 AES_CM_128_HMAC_SHA1_80 inline:" KEY_0_29,
    "1000000000 AES_CM_128_HMAC_SHA1_80 inline:" KEY_0_29,
    "1a AES_CM_128_HMAC_SHA1_80 inline:" KEY_0_29,
    "-1 AES_CM_128_HMAC_SHA1_80 inline:" KEY_0_29,
    "1 F8_128_HMAC_SHA1_80 inline:" KEY_0_29,
    "1 aes_cm_128_hmac_sha1_80 inline:" KEY_0_29,
    "1 AES_CM_128_HMAC_SHA1_80 uri:" KEY_0_29,
    "1 AES_CM_128_HMAC_SHA1_80 " KEY_0_29,
    "1 AES_CM_128_HMAC_SHA1_80 inline:",
    "1 AES_CM_128_HMAC_SHA1_80 inline:AAECAwQF*gcICQoLDA0ODxAREhMUFRYXGBkaGxwd",
    "1 AES_CM_128_HMAC_SHA1_80 inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxw",
    /* 20 bytes: a valid base64 string of the wrong length. */
    "1 AES_CM_128_HMAC_SHA1_80 inline:AAECAwQFBgcICQoLDA0ODxAREhM=",
    /* 33 bytes */
    "1 AES_CM_128_HMAC_SHA1_80 inline:" KEY_0_29 "Hh8g",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      ApSdesCrypto crypto;
      ApSdesCrypto untouched;
      g_autoptr (GError) error = NULL;

      g_test_message ("reject: “%s”", cases[i]);
      memset (&crypto, 0x5a, sizeof crypto);
      untouched = crypto;
      g_assert_false (ap_sdes_parse (cases[i], &crypto, &error));
      g_assert_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT);
      g_assert_cmpmem (&crypto, sizeof crypto, &untouched, sizeof untouched);
    }
}

static void
test_parse_lifetime_and_mki (void)
{
  static const char *const cases[] = {
    "3 AES_CM_128_HMAC_SHA1_32 inline:" KEY_0_29 "|2^31",
    "3 AES_CM_128_HMAC_SHA1_32 inline:" KEY_0_29 "|2^31|1:4",
    "3 AES_CM_128_HMAC_SHA1_32 inline:" KEY_0_29 "|1:4",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      ApSdesCrypto crypto = { 0 };
      g_autoptr (GError) error = NULL;

      g_assert_true (ap_sdes_parse (cases[i], &crypto, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (crypto.tag, ==, 3);
      g_assert_cmpint (crypto.suite, ==, AP_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32);
      for (guint j = 0; j < AP_SDES_KEY_SALT_LEN; j++)
        g_assert_cmpuint (crypto.key_salt[j], ==, j);
    }
}

static void
test_key_hex (void)
{
  ApSdesCrypto crypto = { .tag = 1 };
  g_autofree char *hex = NULL;
  g_autofree char *random_hex = NULL;
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < AP_SDES_KEY_SALT_LEN; i++)
    crypto.key_salt[i] = (guint8) (i * 9);
  hex = ap_sdes_key_hex (&crypto);
  g_assert_cmpstr (hex, ==, "0009121b242d363f48515a636c757e879099a2abb4bdc6cfd8e1eaf3fc05");

  g_assert_true (ap_sdes_generate (&crypto, 1, AP_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80, &error));
  random_hex = ap_sdes_key_hex (&crypto);
  g_assert_cmpuint (strlen (random_hex), ==, 60);
  for (const char *p = random_hex; *p; p++)
    g_assert_true (g_ascii_isdigit (*p) || (*p >= 'a' && *p <= 'f'));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sdes/generate", test_generate);
  g_test_add_func ("/sdes/format", test_format);
  g_test_add_func ("/sdes/round-trip", test_round_trip);
  g_test_add_func ("/sdes/parse/rejects", test_parse_rejects);
  g_test_add_func ("/sdes/parse/lifetime-and-mki", test_parse_lifetime_and_mki);
  g_test_add_func ("/sdes/key-hex", test_key_hex);
  return g_test_run ();
}
