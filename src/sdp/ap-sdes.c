/* ap-sdes.c: SDES crypto attributes. Keys come from the kernel's CSPRNG and
 * are never logged. */
#include "ap-sdes.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "ap-error.h"

static const char *const suite_names[] = {
  [AP_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80] = "AES_CM_128_HMAC_SHA1_80",
  [AP_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32] = "AES_CM_128_HMAC_SHA1_32",
};

const char *
ap_srtp_suite_name (ApSrtpSuite suite)
{
  g_return_val_if_fail (suite < G_N_ELEMENTS (suite_names), NULL);
  return suite_names[suite];
}

/** ap_sdes_generate: fills @crypto with a fresh random key and salt. */
gboolean
ap_sdes_generate (ApSdesCrypto *crypto, guint tag, ApSrtpSuite suite, GError **error)
{
  gsize done = 0;

  g_return_val_if_fail (crypto != NULL, FALSE);

  crypto->tag = tag;
  crypto->suite = suite;
  while (done < sizeof crypto->key_salt)
    {
      ssize_t n = getrandom (crypto->key_salt + done, sizeof crypto->key_salt - done, 0);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          g_set_error (error, AP_ERROR, AP_ERROR_FAILED, "No random numbers for SRTP keys: %s",
                       g_strerror (errno));
          return FALSE;
        }
      done += (gsize) n;
    }
  return TRUE;
}

/** ap_sdes_format: the value of an `a=crypto:` line, e.g. `1 AES_CM_… inline:…` */
char *
ap_sdes_format (const ApSdesCrypto *crypto)
{
  g_autofree char *b64 = g_base64_encode (crypto->key_salt, sizeof crypto->key_salt);

  return g_strdup_printf ("%u %s inline:%s", crypto->tag, ap_srtp_suite_name (crypto->suite), b64);
}

static gboolean
parse_error (GError **error, const char *why)
{
  g_set_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT, "Bad a=crypto attribute: %s", why);
  return FALSE;
}

static gboolean
decode_key (const char *b64, gsize len, guint8 *out)
{
  g_autofree char *text = g_strndup (b64, len);
  g_autofree guchar *raw = NULL;
  gsize raw_len = 0;

  for (const char *p = text; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/' && *p != '=')
      return FALSE;
  if (len % 4 != 0)
    return FALSE;
  raw = g_base64_decode (text, &raw_len);
  if (raw_len != AP_SDES_KEY_SALT_LEN)
    return FALSE;
  memcpy (out, raw, AP_SDES_KEY_SALT_LEN);
  memset (raw, 0, raw_len);
  return TRUE;
}

/**
 * ap_sdes_parse:
 * @value: what follows `a=crypto:`
 *
 * Accepts the two suites we support with one inline key; a lifetime or MKI
 * after the key is ignored. Session parameters are refused.
 */
gboolean
ap_sdes_parse (const char *value, ApSdesCrypto *crypto, GError **error)
{
  g_auto (GStrv) fields = NULL;
  const char *key;
  gsize key_len;
  guint64 tag;
  char *end = NULL;
  guint i;

  g_return_val_if_fail (value != NULL && crypto != NULL, FALSE);

  fields = g_strsplit_set (value, " \t", -1);
  if (g_strv_length (fields) < 3)
    return parse_error (error, "expected a tag, a suite and a key");
  if (g_strv_length (fields) > 3)
    return parse_error (error, "session parameters are not supported");
  tag = g_ascii_strtoull (fields[0], &end, 10);
  if (!g_ascii_isdigit (fields[0][0]) || *end != '\0' || tag == 0 || tag > 999999999)
    return parse_error (error, "the tag must be a number from 1 to 999999999");
  for (i = 0; i < G_N_ELEMENTS (suite_names); i++)
    if (g_str_equal (fields[1], suite_names[i]))
      break;
  if (i == G_N_ELEMENTS (suite_names))
    return parse_error (error, "unsupported crypto suite");
  if (!g_str_has_prefix (fields[2], "inline:"))
    return parse_error (error, "the key must be inline");
  key = fields[2] + strlen ("inline:");
  key_len = strcspn (key, "|");
  if (!decode_key (key, key_len, crypto->key_salt))
    return parse_error (error, "the key is not 30 bytes of base64");
  crypto->tag = (guint) tag;
  crypto->suite = (ApSrtpSuite) i;
  return TRUE;
}

/** ap_sdes_key_hex: the key and salt as the hex string srtpenc/srtpdec take */
char *
ap_sdes_key_hex (const ApSdesCrypto *crypto)
{
  GString *hex = g_string_sized_new (AP_SDES_KEY_SALT_LEN * 2);

  for (guint i = 0; i < AP_SDES_KEY_SALT_LEN; i++)
    g_string_append_printf (hex, "%02x", crypto->key_salt[i]);
  return g_string_free (hex, FALSE);
}
