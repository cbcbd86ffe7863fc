/* What the SIP layer reads out of requests: DTMF INFO bodies, answer-after
 * headers, the offer's Content-Type; and the TLS refusal in words. */
#include <sofia-sip/msg.h>
#include <sofia-sip/sip_parser.h>
#include <string.h>

#include "ap-sip-checks.h"
#include "ap-tls-probe.h"

static void
test_dtmf_digit (void)
{
  const struct {
    const char *type, *body;
    char digit;
  } cases[] = {
    { "application/dtmf-relay", "Signal=5\r\nDuration=160\r\n", '5' },
    { "Application/DTMF-Relay", "signal= 10\r\n", '*' },
    { "application/dtmf-relay", "Duration=100\r\nSignal=11\r\n", '#' },
    { "application/dtmf-relay", "Signal=a\r\n", 'A' },
    { "application/dtmf", " 7 ", '7' },
    { "application/dtmf-relay", "Signal=\r\n", 0 },
    { "application/dtmf-relay", "Signal=55\r\n", 0 },
    { "application/dtmf-relay", "Signal=-1\r\n", 0 },
    { "application/dtmf-relay", "Signal=\xff\r\n", 0 },
    { "application/dtmf-relay", "Signal\r\n", 0 },
    { "application/dtmf-relay", "", 0 },
    { "application/dtmf", "12", 0 },
    { "text/plain", "Signal=5", 0 },
    { NULL, "Signal=5", 0 },
    { "application/dtmf-relay", NULL, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (ap_sip_dtmf_digit (cases[i].type, cases[i].body), ==, cases[i].digit);
}

static msg_t *
parse (const char *headers, const char *body)
{
  g_autofree char *text = g_strdup_printf ("INVITE sip:a@127.0.0.1 SIP/2.0\r\n"
                                           "Via: SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK1\r\n"
                                           "From: <sip:b@127.0.0.1>;tag=1\r\n"
                                           "To: <sip:a@127.0.0.1>\r\n"
                                           "Call-ID: c1\r\nCSeq: 1 INVITE\r\n%s"
                                           "Content-Length: %zu\r\n\r\n%s",
                                           headers, strlen (body), body);
  msg_t *msg = msg_make (sip_default_mclass (), 0, text, strlen (text));

  g_assert_nonnull (msg);
  g_assert_nonnull (sip_object (msg));
  return msg;
}

static void
test_answer_after (void)
{
  const struct {
    const char *headers;
    int seconds;
  } cases[] = {
    { "", -1 },
    { "Call-Info: <sip:127.0.0.1>;answer-after=3\r\n", 3 },
    { "Call-Info: <sip:127.0.0.1>;answer-after=0\r\n", 0 },
    { "Call-Info: <sip:127.0.0.1>;answer-after=99999999999\r\n", 3600 },
    { "Call-Info: <sip:127.0.0.1>;answer-after=-1\r\n", -1 },
    { "Call-Info: <sip:127.0.0.1>;answer-after=\r\n", -1 },
    { "Alert-Info: <http://x>;info=alert-autoanswer\r\n", 0 },
    { "Alert-Info: <http://x>;info=alert-autoanswer;delay=4\r\n", 4 },
    { "Alert-Info: <http://x>;answer-after=2\r\n", 2 },
    { "Alert-Info: <http://x>;info=alert-autoanswer;delay=x\r\n", -1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      msg_t *msg = parse (cases[i].headers, "");

      g_assert_cmpint (ap_sip_answer_after (sip_object (msg)), ==, cases[i].seconds);
      msg_destroy (msg);
    }
}

static void
test_offer_type (void)
{
  msg_t *none = parse ("", "");
  msg_t *sdp = parse ("Content-Type: application/sdp\r\n", "v=0\r\n");
  msg_t *upper = parse ("Content-Type: Application/SDP\r\n", "v=0\r\n");
  msg_t *other = parse ("Content-Type: application/x-unheard-of\r\n", "v=0\r\n");
  msg_t *untyped = parse ("", "v=0\r\n");

  g_assert_true (ap_sip_offer_type_ok (sip_object (none)));
  g_assert_true (ap_sip_offer_type_ok (sip_object (sdp)));
  g_assert_true (ap_sip_offer_type_ok (sip_object (upper)));
  g_assert_false (ap_sip_offer_type_ok (sip_object (other)));
  g_assert_false (ap_sip_offer_type_ok (sip_object (untyped)));
  msg_destroy (none);
  msg_destroy (sdp);
  msg_destroy (upper);
  msg_destroy (other);
  msg_destroy (untyped);
}

static void
test_tls_describe (void)
{
  g_autofree char *ca = ap_tls_probe_describe (G_TLS_CERTIFICATE_UNKNOWN_CA);
  g_autofree char *two
    = ap_tls_probe_describe (G_TLS_CERTIFICATE_BAD_IDENTITY | G_TLS_CERTIFICATE_EXPIRED);

  g_assert_null (ap_tls_probe_describe (0));
  g_assert_nonnull (strstr (ca, "tls-ca-file"));
  g_assert_nonnull (strstr (two, "another host name"));
  g_assert_nonnull (strstr (two, "expired"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sip-checks/dtmf-digit", test_dtmf_digit);
  g_test_add_func ("/sip-checks/answer-after", test_answer_after);
  g_test_add_func ("/sip-checks/offer-type", test_offer_type);
  g_test_add_func ("/sip-checks/tls-describe", test_tls_describe);
  return g_test_run ();
}
