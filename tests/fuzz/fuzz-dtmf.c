/* SIP INFO DTMF bodies: the first line of the input is the Content-Type,
 * the rest the body. A digit found is one the phone can show. */
#include <string.h>

#include "ap-fuzz.h"
#include "ap-sip-checks.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = ap_fuzz_text (data, size);
  char *body = strchr (text, '\n');
  char digit;

  ap_fuzz_quiet ();
  if (body)
    *body++ = '\0';
  digit = ap_sip_dtmf_digit (text, body ? body : "");
  g_assert (digit == 0 || strchr ("0123456789*#ABCD", digit) != NULL);
  return 0;
}
