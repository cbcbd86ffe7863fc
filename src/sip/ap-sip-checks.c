/* ap-sip-checks.c: headers and bodies read out of requests (answer-after,
 * DTMF INFO bodies, the offer's Content-Type). */
#define G_LOG_DOMAIN "Agentphone-sip"

#include "ap-sip-checks.h"

#include <sofia-sip/msg_header.h>
#include <sofia-sip/sip_header.h>
#include <string.h>

/**
 * ap_sip_offer_type_ok:
 *
 * Whether the request's body, if it has one, is something we can read as
 * an offer: application/sdp (RFC 3261 8.2.3 asks for 415 otherwise).
 */
gboolean
ap_sip_offer_type_ok (const sip_t *sip)
{
  const char *type;

  if (sip == NULL || sip->sip_payload == NULL || sip->sip_payload->pl_len == 0)
    return TRUE;
  type = sip->sip_content_type ? sip->sip_content_type->c_type : NULL;
  return type != NULL && g_ascii_strcasecmp (type, "application/sdp") == 0;
}

/* A signal as sent: "5", "*", "10" (*) or "11" (#); 0 for anything else. */
static char
digit_of_signal (const char *signal)
{
  if (g_str_equal (signal, "10"))
    return '*';
  if (g_str_equal (signal, "11"))
    return '#';
  if (strlen (signal) == 1 && strchr ("0123456789*#ABCDabcd", signal[0]))
    return g_ascii_toupper (signal[0]);
  return 0;
}

/**
 * ap_sip_dtmf_digit:
 * @content_type: (nullable): the INFO's Content-Type
 * @body: (nullable): its body, as text
 *
 * The digit of an RFC 2833-style SIP INFO: application/dtmf-relay
 * ("Signal=5") or application/dtmf ("5"). Events 10 and 11 are * and #.
 * Returns: the digit (0-9, *, #, A-D), or 0 when there is none
 */
char
ap_sip_dtmf_digit (const char *content_type, const char *body)
{
  g_autofree char *copy = NULL;
  g_auto (GStrv) lines = NULL;
  const char *signal = NULL;

  if (body == NULL || content_type == NULL)
    return 0;
  copy = g_strdup (body);
  if (g_ascii_strcasecmp (content_type, "application/dtmf") == 0)
    signal = g_strstrip (copy);
  else if (g_ascii_strcasecmp (content_type, "application/dtmf-relay") == 0)
    {
      lines = g_strsplit (copy, "\n", 16);
      for (guint i = 0; lines[i] && !signal; i++)
        {
          char *line = g_strstrip (lines[i]);

          if (g_ascii_strncasecmp (line, "Signal", 6) == 0 && strchr (line, '='))
            signal = g_strstrip (strchr (line, '=') + 1);
        }
    }
  return signal ? digit_of_signal (signal) : 0;
}

/**
 * ap_sip_answer_after:
 *
 * answer-after=N in Call-Info (RFC 5373 style) or Alert-Info (also
 * info=alert-autoanswer[;delay=N]), at most an hour.
 * Returns: seconds, or -1 without one
 */
int
ap_sip_answer_after (const sip_t *sip)
{
  const char *value = NULL;

  for (const sip_call_info_t *ci = sip->sip_call_info; ci && !value; ci = ci->ci_next)
    value = msg_params_find (ci->ci_params, "answer-after=");
  for (const sip_unknown_t *u = sip->sip_unknown; u && !value; u = u->un_next)
    {
      const char *p;

      if (u->un_name == NULL || g_ascii_strcasecmp (u->un_name, "Alert-Info") != 0
          || u->un_value == NULL)
        continue;
      if ((p = strstr (u->un_value, "answer-after=")))
        value = p + strlen ("answer-after=");
      else if (strstr (u->un_value, "alert-autoanswer"))
        value = (p = strstr (u->un_value, "delay=")) ? p + strlen ("delay=") : "0";
    }
  if (value == NULL || !g_ascii_isdigit (value[0]))
    return -1;
  return (int) MIN (g_ascii_strtoull (value, NULL, 10), 3600);
}
