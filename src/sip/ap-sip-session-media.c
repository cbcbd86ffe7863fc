/* ap-sip-session-media.c: what an ApSipSession puts into its SDP besides
 * codecs, and how it words a call's end. SRTP keys (SDES) are the call's
 * own: made from the CSPRNG for the first offer or answer, and made anew
 * for each offer we send, so a re-INVITE (hold, resume) re-keys our
 * direction; they never reach a log. */
#define G_LOG_DOMAIN "Agentphone-sip"

#include "ap-sip-session-private.h"

#include <glib/gi18n.h>
#include <string.h>

#define MAX_WARNING_CHARS 300

static gboolean
generate_keys (ApSdesCrypto *keys, GError **error)
{
  for (guint suite = 0; suite < AP_SRTP_N_SUITES; suite++)
    if (!ap_sdes_generate (&keys[suite], suite + 1, (ApSrtpSuite) suite, error))
      return FALSE;
  return TRUE;
}

/**
 * ap_sip_session_init_srtp:
 *
 * Reads the `srtp` setting for this call and, unless it is off, makes the
 * keys its first offer or answer carries.
 */
gboolean
ap_sip_session_init_srtp (ApSipSession *self, GError **error)
{
  self->srtp = ap_sdp_srtp_from_string (ap_sip_engine_get_srtp (self->engine));
  if (self->srtp == AP_SDP_SRTP_OFF)
    return TRUE;
  return generate_keys (self->keys, error);
}

/**
 * ap_sip_session_make_offer:
 * @local: from local_sdp(), pointing at our keys
 *
 * Our SDP offer, with fresh keys when we encrypt. Should the system have
 * no random numbers left, the call keeps its current keys.
 */
char *
ap_sip_session_make_offer (ApSipSession *self, const ApSdpLocal *local)
{
  g_autoptr (GError) error = NULL;
  ApSdesCrypto fresh[AP_SRTP_N_SUITES];

  if (self->srtp != AP_SDP_SRTP_OFF)
    {
      if (generate_keys (fresh, &error))
        memcpy (self->keys, fresh, sizeof fresh);
      else
        g_warning ("Keeping the call's SRTP keys: %s", error->message);
      explicit_bzero (fresh, sizeof fresh);
    }
  return ap_sdp_make_offer (local);
}

void
ap_sip_session_clear_keys (ApSipSession *self)
{
  explicit_bzero (self->keys, sizeof self->keys);
}

/* The far end's Warning (RFC 3261 20.43), when it explains a refusal. */
static char *
warning_text (const sip_t *sip)
{
  const char *text;
  g_autofree char *valid = NULL;
  gsize len;

  if (sip == NULL || sip->sip_warning == NULL || sip->sip_warning->w_text == NULL)
    return NULL;
  text = sip->sip_warning->w_text;
  len = strlen (text);
  if (len >= 2 && text[0] == '"' && text[len - 1] == '"')
    {
      text++;
      len -= 2;
    }
  if (len == 0)
    return NULL;
  valid = g_utf8_make_valid (text, (gssize) MIN (len, MAX_WARNING_CHARS));
  return g_strdup (valid);
}

/**
 * ap_sip_session_describe_end:
 * @sip: (nullable): the final response, for its Warning
 *
 * Words for the end of a call, with the SIP status kept for support. When
 * the far end gave its reason in a Warning header, that reason is shown.
 */
char *
ap_sip_session_describe_end (int status, const char *phrase, const sip_t *sip)
{
  g_autofree char *warning = status >= 300 ? warning_text (sip) : NULL;
  const char *why;

  if (phrase == NULL)
    phrase = "";
  if (warning != NULL)
    return g_strdup_printf (_ ("The far end refused: %s (%d %s)"), warning, status, phrase);
  switch (status)
    {
    case 404:
      why = _ ("Number not found");
      break;
    case 408:
      why = _ ("No answer");
      break;
    case 480:
      why = _ ("Not available");
      break;
    case 486:
    case 600:
      why = _ ("Busy");
      break;
    case 487:
      why = _ ("Cancelled");
      break;
    case 488:
      why = _ ("No common audio format");
      break;
    case 503:
      why = _ ("Service unavailable");
      break;
    case 603:
      why = _ ("Declined");
      break;
    default:
      return g_strdup_printf ("%d %s", status, phrase);
    }
  return g_strdup_printf ("%s (%d %s)", why, status, phrase);
}
