/* SDP offer/answer: the input is the far end's offer, and then its answer
 * to ours. The first byte picks the srtp setting and our direction. */
#include <string.h>

#include "ap-fuzz.h"
#include "ap-sdp.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static ApSdesCrypto keys[AP_SRTP_N_SUITES];
  static const char *const codecs[] = { "opus", "g722", "pcma", "pcmu", NULL };
  g_autofree char *text = NULL;
  g_autofree char *answer = NULL;
  g_autoptr (GError) error = NULL;
  ApMediaParams *params = NULL;
  ApSdpLocal local = { "127.0.0.1",          40000, codecs, AP_MEDIA_DIRECTION_SENDRECV, 1, 1, TRUE,
                       AP_SDP_SRTP_OPTIONAL, keys };

  ap_fuzz_quiet ();
  if (keys[0].tag == 0)
    for (guint i = 0; i < AP_SRTP_N_SUITES; i++)
      {
        keys[i].tag = i + 1;
        keys[i].suite = i;
        memset (keys[i].key_salt, 0x41 + i, sizeof keys[i].key_salt);
      }
  if (size < 1)
    return 0;
  local.srtp = data[0] % 3;
  local.direction = (data[0] >> 2) & 1 ? AP_MEDIA_DIRECTION_SENDONLY : AP_MEDIA_DIRECTION_SENDRECV;
  local.telephone_event = (data[0] >> 3) & 1;
  text = ap_fuzz_text (data + 1, size - 1);
  if (ap_sdp_answer (text, &local, &answer, &params, &error))
    {
      g_assert (answer != NULL && params != NULL);
      ap_media_params_free (g_steal_pointer (&params));
    }
  g_clear_error (&error);
  if (ap_sdp_read_answer (text, &local, &params, &error))
    ap_media_params_free (params);
  return 0;
}
