#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* SDES (RFC 4568) keys for SRTP: what goes into and comes out of `a=crypto`. */

#define AP_SDES_KEY_SALT_LEN 30 /* 16-byte AES-128 key + 14-byte salt */

typedef enum {
  AP_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80,
  AP_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32,
  AP_SRTP_N_SUITES,
} ApSrtpSuite;

typedef struct {
  guint tag;
  ApSrtpSuite suite;
  guint8 key_salt[AP_SDES_KEY_SALT_LEN];
} ApSdesCrypto;

gboolean     ap_sdes_generate     (ApSdesCrypto        *crypto,
                                   guint                tag,
                                   ApSrtpSuite          suite,
                                   GError             **error);
char        *ap_sdes_format       (const ApSdesCrypto  *crypto);
gboolean     ap_sdes_parse        (const char          *value,
                                   ApSdesCrypto        *crypto,
                                   GError             **error);
char        *ap_sdes_key_hex      (const ApSdesCrypto  *crypto);
const char  *ap_srtp_suite_name   (ApSrtpSuite          suite);

G_END_DECLS
