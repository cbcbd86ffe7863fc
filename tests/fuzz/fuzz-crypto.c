/* One a=crypto value (RFC 4568): what ap_sdes_parse() reads. A key that
 * parses formats back to a value that parses to the same key. */
#include <string.h>

#include "ap-fuzz.h"
#include "ap-sdes.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = ap_fuzz_text (data, size);
  g_autofree char *again = NULL;
  ApSdesCrypto crypto = { 0 }, round = { 0 };

  ap_fuzz_quiet ();
  if (!ap_sdes_parse (text, &crypto, NULL))
    return 0;
  again = ap_sdes_format (&crypto);
  g_assert (ap_sdes_parse (again, &round, NULL));
  g_assert (round.tag == crypto.tag && round.suite == crypto.suite);
  g_assert (memcmp (round.key_salt, crypto.key_salt, sizeof crypto.key_salt) == 0);
  return 0;
}
