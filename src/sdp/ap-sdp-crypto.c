/* ap-sdp-crypto.c: SDES (RFC 4568) in offers and answers: the a=crypto
 * lines we offer, which of the far end's we take, and the keys that end up
 * in ApMediaParams. Keys never reach a log: only suites and tags do. */
#define G_LOG_DOMAIN "Agentphone-sdp"

#include "ap-sdp-private.h"

#include <string.h>

#include "ap-error.h"

/**
 * ap_sdp_srtp_from_string:
 * @setting: (nullable): the `srtp` setting: `off`, `optional` or `mandatory`
 *
 * Returns: the mode; anything unknown counts as `optional`, the default
 */
ApSdpSrtp
ap_sdp_srtp_from_string (const char *setting)
{
  if (g_strcmp0 (setting, "off") == 0)
    return AP_SDP_SRTP_OFF;
  if (g_strcmp0 (setting, "mandatory") == 0)
    return AP_SDP_SRTP_MANDATORY;
  return AP_SDP_SRTP_OPTIONAL;
}

static gboolean
is_crypto (const sdp_attribute_t *a)
{
  return a->a_name != NULL && a->a_value != NULL && g_ascii_strcasecmp (a->a_name, "crypto") == 0;
}

gboolean
ap_sdp_crypto_has_lines (const sdp_media_t *m)
{
  for (const sdp_attribute_t *a = m->m_attributes; a != NULL; a = a->a_next)
    if (is_crypto (a))
      return TRUE;
  return FALSE;
}

/* The best a=crypto of @m we can use: AES_CM_128_HMAC_SHA1_80 before _32
 * (the longer tag), whatever the offer's order. Lines we cannot use (other
 * suites, bad keys, session parameters) are passed over, as RFC 4568 asks. */
gboolean
ap_sdp_crypto_find (const sdp_media_t *m, ApSdesCrypto *theirs)
{
  gboolean found = FALSE;

  for (const sdp_attribute_t *a = m->m_attributes; a != NULL; a = a->a_next)
    {
      g_autoptr (GError) error = NULL;
      ApSdesCrypto crypto;

      if (!is_crypto (a))
        continue;
      if (!ap_sdes_parse (a->a_value, &crypto, &error))
        {
          g_debug ("Passing over an a=crypto line: %s", error->message);
          continue;
        }
      if (!found || crypto.suite < theirs->suite)
        *theirs = crypto;
      found = TRUE;
      explicit_bzero (&crypto, sizeof crypto);
    }
  return found;
}

void
ap_sdp_crypto_append (GString *text, guint tag, const ApSdesCrypto *ours)
{
  ApSdesCrypto crypto = *ours;
  g_autofree char *value = NULL;

  crypto.tag = tag;
  value = ap_sdes_format (&crypto);
  g_string_append_printf (text, "a=crypto:%s\r\n", value);
  explicit_bzero (&crypto, sizeof crypto);
  explicit_bzero (value, strlen (value));
}

/* One line per suite, the preferred first. */
void
ap_sdp_crypto_append_offer (GString *text, const ApSdpLocal *local)
{
  for (guint suite = 0; suite < AP_SRTP_N_SUITES; suite++)
    ap_sdp_crypto_append (text, local->keys[suite].tag, &local->keys[suite]);
}

void
ap_sdp_crypto_set_params (ApMediaParams *params, const ApSdesCrypto *ours,
                          const ApSdesCrypto *theirs)
{
  G_STATIC_ASSERT (AP_MEDIA_SRTP_KEY_LEN == AP_SDES_KEY_SALT_LEN);

  params->srtp = theirs->suite == AP_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80
                   ? AP_MEDIA_SRTP_AES_CM_128_HMAC_SHA1_80
                   : AP_MEDIA_SRTP_AES_CM_128_HMAC_SHA1_32;
  memcpy (params->srtp_local_key, ours->key_salt, AP_MEDIA_SRTP_KEY_LEN);
  memcpy (params->srtp_remote_key, theirs->key_salt, AP_MEDIA_SRTP_KEY_LEN);
  g_debug ("Audio encrypted with %s (keys not logged)", ap_srtp_suite_name (theirs->suite));
}

/* The answer's one a=crypto must take up one of ours: same tag, same suite. */
static gboolean
take_answer_crypto (const sdp_media_t *m, const ApSdpLocal *local, ApMediaParams *params,
                    GError **error)
{
  g_autoptr (GError) parse_error = NULL;
  const sdp_attribute_t *a = m->m_attributes;
  ApSdesCrypto theirs;

  while (!is_crypto (a))
    a = a->a_next;
  if (!ap_sdes_parse (a->a_value, &theirs, &parse_error))
    return ap_sdp_fail (error, "The answer's encryption key is unusable (%s)",
                        parse_error->message);
  if (local->keys[theirs.suite].tag != theirs.tag)
    {
      guint tag = theirs.tag;
      ApSrtpSuite suite = theirs.suite;

      explicit_bzero (&theirs, sizeof theirs);
      return ap_sdp_fail (error, "The answer's a=crypto (tag %u, %s) does not match one we offered",
                          tag, ap_srtp_suite_name (suite));
    }
  ap_sdp_crypto_set_params (params, &local->keys[theirs.suite], &theirs);
  explicit_bzero (&theirs, sizeof theirs);
  return TRUE;
}

/**
 * ap_sdp_crypto_read_answer:
 *
 * Whether the answer to our offer encrypts, and with which keys: sets
 * @params' SRTP fields, or fails when the answer does not give what
 * @local's mode needs.
 */
gboolean
ap_sdp_crypto_read_answer (const sdp_media_t *m, const ApSdpLocal *local, ApMediaParams *params,
                           GError **error)
{
  gboolean savp = ap_sdp_media_proto (m) == AP_SDP_PROTO_SRTP;

  if (local->srtp == AP_SDP_SRTP_OFF)
    {
      if (savp)
        return ap_sdp_fail (error, "The answer's audio uses %s, but we offered plain RTP/AVP",
                            m->m_proto_name);
      return TRUE;
    }
  if (ap_sdp_crypto_has_lines (m))
    return take_answer_crypto (m, local, params, error);
  if (savp)
    return ap_sdp_fail (error, "The answer's audio is encrypted (%s) but gives no key (a=crypto)",
                        m->m_proto_name);
  if (local->srtp == AP_SDP_SRTP_MANDATORY)
    return ap_sdp_fail (error, "The far end answered with unencrypted audio, but media "
                               "encryption (SRTP) is mandatory here");
  return TRUE;
}
