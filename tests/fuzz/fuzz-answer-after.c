/* Alert-Info / Call-Info answer-after: the input is a whole SIP request,
 * parsed by sofia as the engine gets it, then read for answer-after. */
#include <sofia-sip/msg.h>
#include <sofia-sip/sip.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_parser.h>

#include "ap-fuzz.h"
#include "ap-sip-checks.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  msg_t *msg;
  sip_t *sip;
  int seconds;

  ap_fuzz_quiet ();
  msg = msg_make (sip_default_mclass (), 0, data, (isize_t) size);
  if (msg == NULL)
    return 0;
  sip = sip_object (msg);
  if (sip && sip->sip_request)
    {
      seconds = ap_sip_answer_after (sip);
      g_assert (seconds >= -1 && seconds <= 3600);
      (void) ap_sip_offer_type_ok (sip);
    }
  msg_destroy (msg);
  return 0;
}
