/* Hostile SIP messages against a real agentphone on 127.0.0.1, sent raw
 * over UDP and TCP: malformed start lines and headers, oversized headers and
 * bodies, bad Content-Length, broken and hostile SDP, unknown methods. Each
 * gets a refusal or is dropped, never a 2xx; after each group the phone is
 * up, has no call left and still connects a normal call. */
#include <signal.h>
#include <string.h>

#include "ap-test-hostile.h"

#define ANSWER_TIMEOUT_MS 2000
#define END G_MAXUINT

typedef struct {
  const char *name;
  const char *tmpl;
  const char *body;
  guint allowed[8]; /* final statuses allowed, 0 is "dropped", ended by END */
} Case;

static const char *const head_ok[] = { "Via", "Max-Forwards", "From", "To", "Call-ID", "CSeq" };

/* AP_HOSTILE_INVITE without the header line that starts with @name. */
static char *
invite_without (const char *name)
{
  g_auto (GStrv) lines = g_strsplit (AP_HOSTILE_INVITE, "\r\n", -1);
  g_autoptr (GString) out = g_string_new (NULL);

  for (guint i = 0; lines[i + 1]; i++)
    if (!g_str_has_prefix (lines[i], name))
      g_string_append_printf (out, "%s\r\n", lines[i]);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* AP_HOSTILE_INVITE with header @name's line replaced by @line. */
static char *
invite_with (const char *name, const char *line)
{
  g_autofree char *without = invite_without (name);
  g_autofree char *start = g_strndup (without, strstr (without, "Content-Type") - without);

  return g_strdup_printf ("%s%s\r\n%s", start, line, strstr (without, "Content-Type"));
}

static void
run_case (ApHostile *h, ApRawSip *raw, const Case *c, const char *tmpl)
{
  g_autofree char *call_id = ap_hostile_call_id ("hostile");
  guint code = ap_hostile_invite (h, raw, call_id, tmpl, c->body, ANSWER_TIMEOUT_MS);

  g_test_message ("%-28s over %s: %s%u", c->name, ap_raw_sip_get_transport (raw),
                  code ? "" : "dropped ", code);
  if (!ap_hostile_code_in (code, c->allowed))
    g_error ("%s over %s: answered %u, which is not allowed", c->name,
             ap_raw_sip_get_transport (raw), code);
  /* Nor was anything else on the socket a success (a response without the
   * Call-ID, say). */
  g_assert_false (ap_raw_sip_invite_accepted (raw));
  /* Whatever it was, no call came of it. */
  g_assert_cmpuint (ap_hostile_count_calls (h), ==, 0);
}

/* ---- malformed requests ------------------------------------------------ */

/* An INVITE that misses one of the headers every request needs: never a
 * call, never a 200 (sofia answers 400, or drops what it cannot answer). */
static void
test_missing_headers (ApHostile *h, gconstpointer data)
{
  gboolean tcp = GPOINTER_TO_INT (data);

  for (guint i = 0; i < G_N_ELEMENTS (head_ok); i++)
    {
      /* A fresh connection each: the phone may close one that carried
       * something it could not even answer. */
      g_autoptr (ApRawSip) raw = ap_raw_sip_new (tcp, h->port);
      g_autofree char *name = g_strdup_printf ("no %s", head_ok[i]);
      g_autofree char *tmpl = invite_without (head_ok[i]);
      Case c = { name, NULL, AP_HOSTILE_GOOD_SDP, { 0, 400, END } };

      /* Max-Forwards is optional (RFC 3261 8.1.1.6 says SHOULD). */
      if (g_str_equal (head_ok[i], "Max-Forwards"))
        c = (Case){ name, NULL, AP_HOSTILE_GOOD_SDP, { 487, END } };
      run_case (h, raw, &c, tmpl);
    }
  ap_hostile_assert_healthy (h, "missing headers");
}

static const Case malformed[] = {
  { "garbage", "\x01\x02\x03 hello\r\n\r\n", NULL, { 0, END } },
  { "empty lines", "\r\n\r\n\r\n\r\n", NULL, { 0, END } },
  { "no request URI", "INVITE SIP/2.0\r\nCall-ID: $CALLID\r\n\r\n", NULL, { 0, 400, END } },
  { "bad version",
    "INVITE sip:agent@$REMOTE SIP/7.0\r\n"
    "Via: SIP/7.0/$TRANSPORT $LOCAL;branch=$IBRANCH\r\n"
    "From: <sip:h@$LOCAL>;tag=1\r\nTo: <sip:a@$REMOTE>\r\nCall-ID: $CALLID\r\n"
    "CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n",
    NULL,
    { 0, 400, 505, END } },
  { "request URI garbage",
    "INVITE <<<%00>>> SIP/2.0\r\n"
    "Via: SIP/2.0/$TRANSPORT $LOCAL;branch=$IBRANCH\r\n"
    "From: <sip:h@$LOCAL>;tag=1\r\nTo: <sip:a@$REMOTE>\r\nCall-ID: $CALLID\r\n"
    "CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n",
    NULL,
    { 0, 400, 416, END } },
  { "CSeq method mismatch", NULL, AP_HOSTILE_GOOD_SDP, { 0, 400, END } },
  { "CSeq not a number", NULL, AP_HOSTILE_GOOD_SDP, { 0, 400, END } },
  { "CSeq too large", NULL, AP_HOSTILE_GOOD_SDP, { 0, 400, END } },
  { "From without a URI", NULL, AP_HOSTILE_GOOD_SDP, { 0, 400, END } },
  { "To without a URI", NULL, AP_HOSTILE_GOOD_SDP, { 0, 400, END } },
  { "Via garbage", NULL, AP_HOSTILE_GOOD_SDP, { 0, 400, END } },
  /* It has reached its destination: ringing (then cancelled) is right too. */
  { "Max-Forwards 0", NULL, AP_HOSTILE_GOOD_SDP, { 0, 483, 487, END } },
  { "unknown Require", NULL, AP_HOSTILE_GOOD_SDP, { 420, END } },
  { "Content-Length beyond body", NULL, AP_HOSTILE_GOOD_SDP, { 0, 400, END } },
  { "Content-Length negative", NULL, AP_HOSTILE_GOOD_SDP, { 0, 400, END } },
  { "Content-Length not a number", NULL, AP_HOSTILE_GOOD_SDP, { 0, 400, END } },
  { "Content-Type unknown", NULL, AP_HOSTILE_GOOD_SDP, { 415, 488, END } },
  { "SDP body of garbage", AP_HOSTILE_INVITE, "\x7f\x45\x4c\x46 binary\r\n", { 400, 488, END } },
  { "SDP body not UTF-8", AP_HOSTILE_INVITE, "v=0\r\ns=\xff\xfe\r\n", { 400, 488, END } },
};

/* Which header each table entry without a template replaces, and how. */
static const char *const malformed_lines[][2] = {
  { "CSeq", "CSeq: 1 BYE" },
  { "CSeq", "CSeq: one INVITE" },
  { "CSeq", "CSeq: 99999999999 INVITE" },
  { "From", "From: ;tag=1" },
  { "To", "To: <>" },
  { "Via", "Via: SIP/2.0/$TRANSPORT ;;;branch" },
  { "Max-Forwards", "Max-Forwards: 0" },
  { "Call-ID", "Call-ID: $CALLID\r\nRequire: teleportation" },
  { "Content-Length", "Content-Length: 9999" },
  { "Content-Length", "Content-Length: -5" },
  { "Content-Length", "Content-Length: lots" },
  { "Content-Type", "Content-Type: application/x-unheard-of" },
};

static void
test_malformed (ApHostile *h, gconstpointer data)
{
  gboolean tcp = GPOINTER_TO_INT (data);
  guint line = 0;

  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      /* A fresh connection each: after a broken Content-Length the stream
       * cannot be trusted, and the phone may close it. */
      g_autoptr (ApRawSip) raw = ap_raw_sip_new (tcp, h->port);
      g_autofree char *tmpl = NULL;
      const Case *c = &malformed[i];

      if (c->tmpl == NULL)
        {
          const char *name = malformed_lines[line][0];
          const char *with = malformed_lines[line++][1];

          /* Content-Length and -Type are not in the template's head. */
          if (g_str_has_prefix (name, "Content-"))
            {
              g_autofree char *base = invite_without (name);
              g_autofree char *start = g_strndup (base, strstr (base, "\r\n\r\n") + 2 - base);

              tmpl = g_strdup_printf ("%s%s\r\n\r\n", start, with);
            }
          else
            tmpl = invite_with (name, with);
        }
      /* Over TCP a Content-Length past the end waits for more: the phone
       * is right to wait, and the closed connection ends it. */
      if (tcp && g_str_has_prefix (c->name, "Content-Length beyond"))
        continue;
      run_case (h, raw, c, tmpl ? tmpl : c->tmpl);
    }
  g_assert_cmpuint (line, ==, G_N_ELEMENTS (malformed_lines));
  ap_hostile_assert_healthy (h, tcp ? "malformed over TCP" : "malformed over UDP");
}

/* Methods nobody implements: 501 (or 405 with an Allow), never 200. */
static void
test_unknown_method (ApHostile *h, gconstpointer data)
{
  g_autoptr (ApRawSip) raw = ap_raw_sip_new (FALSE, h->port);
  const char *methods[] = { "FROBNICATE", "invite", "INVITE2", "X" };

  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    {
      g_autofree char *call_id = ap_hostile_call_id ("method");
      g_autofree char *tmpl = g_strdup_printf ("%s sip:agent@$REMOTE SIP/2.0\r\n"
                                               "Via: SIP/2.0/$TRANSPORT $LOCAL;branch=$BRANCH\r\n"
                                               "Max-Forwards: 70\r\n"
                                               "From: <sip:hostile@$LOCAL>;tag=h1\r\n"
                                               "To: <sip:agent@$REMOTE>\r\n"
                                               "Call-ID: $CALLID\r\n"
                                               "CSeq: 1 %s\r\n"
                                               "Content-Length: 0\r\n\r\n",
                                               methods[i], methods[i]);
      guint code;

      ap_raw_sip_send_text (raw, tmpl, call_id, NULL);
      code = ap_raw_sip_wait_final (raw, call_id, NULL, ANSWER_TIMEOUT_MS, NULL);
      g_test_message ("method %s: %u", methods[i], code);
      g_assert_true (code == 501 || code == 405);
    }
  ap_hostile_assert_healthy (h, "unknown methods");
}

/* ---- oversized messages ------------------------------------------------ */

static char *
filler (gsize len)
{
  char *s = g_malloc (len + 1);

  memset (s, 'a', len);
  s[len] = '\0';
  return s;
}

/* 64 KiB and more in one header, in many headers and in the body. Over UDP
 * one datagram holds at most 65507 bytes: that is what is sent. */
static void
test_oversized (ApHostile *h, gconstpointer data)
{
  gboolean tcp = GPOINTER_TO_INT (data);
  gsize big = tcp ? 70 * 1024 : 63 * 1024;
  g_autofree char *pad = filler (big);
  g_autofree char *one_base = invite_with ("Call-ID", "Call-ID: $CALLID\r\nX-Pad: ");
  g_autofree char *many_base = invite_without ("Content-Length");
  g_autofree char *one_header = NULL;
  g_autofree char *many_headers = NULL;
  g_autoptr (GString) many = g_string_new (NULL);
  g_autoptr (GString) body = g_string_new (AP_HOSTILE_GOOD_SDP);

  one_header = g_strdup_printf ("%.*s%s%s", (int) (strstr (one_base, "X-Pad: ") + 7 - one_base),
                                one_base, pad, strstr (one_base, "X-Pad: ") + 7);
  for (guint i = 0; many->len < big; i++)
    g_string_append_printf (many, "X-Header-%u: %u\r\n", i, i);
  many_headers = g_strdup_printf ("%.*s%sContent-Length: $CLEN\r\n\r\n",
                                  (int) (strstr (many_base, "\r\n\r\n") + 2 - many_base), many_base,
                                  many->str);
  while (body->len < big)
    g_string_append (body,
                     "a=x-padding:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n");
  {
    /* A huge message may be refused (413, 513, 400), dropped, or taken
     * (then it rings and is cancelled: 487). Never a call left, never 200. */
    const Case cases[] = {
      { "one 64 KiB header", one_header, AP_HOSTILE_GOOD_SDP, { 0, 400, 413, 487, 513, END } },
      { "64 KiB of headers", many_headers, AP_HOSTILE_GOOD_SDP, { 0, 400, 413, 487, 513, END } },
      { "64 KiB SDP body", AP_HOSTILE_INVITE, body->str, { 0, 400, 413, 487, 488, 513, END } },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autoptr (ApRawSip) raw = ap_raw_sip_new (tcp, h->port);

        run_case (h, raw, &cases[i], cases[i].tmpl);
      }
  }
  ap_hostile_assert_healthy (h, tcp ? "oversized over TCP" : "oversized over UDP");
}

/* ---- hostile SDP ----------------------------------------------------- */

#define SDP_HEAD "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
#define SAVP_LINE "m=audio 40000 RTP/SAVP 8\r\na=rtpmap:8 PCMA/8000\r\n"

static const Case sdp_cases[] = {
  { "no media", NULL, SDP_HEAD, { 488, END } },
  { "only video",
    NULL,
    SDP_HEAD "m=video 40000 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n",
    { 488, END } },
  { "audio port 0", NULL, SDP_HEAD "m=audio 0 RTP/AVP 8\r\n", { 488, END } },
  { "audio port 70000", NULL, SDP_HEAD "m=audio 70000 RTP/AVP 8\r\n", { 400, 488, END } },
  { "audio port -1", NULL, SDP_HEAD "m=audio -1 RTP/AVP 8\r\n", { 400, 488, END } },
  { "audio port text", NULL, SDP_HEAD "m=audio http RTP/AVP 8\r\n", { 400, 488, END } },
  { "no common codec",
    NULL,
    SDP_HEAD "m=audio 40000 RTP/AVP 18 98\r\na=rtpmap:98 iLBC/8000\r\n",
    { 488, END } },
  { "payload type 300",
    NULL,
    SDP_HEAD "m=audio 40000 RTP/AVP 300\r\na=rtpmap:300 PCMA/8000\r\n",
    { 400, 488, END } },
  { "no connection address",
    NULL,
    "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 40000 RTP/AVP 8\r\n",
    { 400, 488, END } },
  { "connection address garbage",
    NULL,
    "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 not..an..address\r\nt=0 0\r\n"
    "m=audio 40000 RTP/AVP 8\r\n",
    { 400, 488, END } },
  { "unknown crypto suites",
    NULL,
    SDP_HEAD SAVP_LINE "a=crypto:1 AES_256_CM_HMAC_SHA1_80 "
                       "inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\r\n"
                       "a=crypto:2 NULL_CIPHER_HMAC_SHA1_80 inline:AAAA\r\n",
    { 488, END } },
  { "crypto key not base64",
    NULL,
    SDP_HEAD SAVP_LINE "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:!!!!not*base64!!!!\r\n",
    { 488, END } },
  { "crypto key too short",
    NULL,
    SDP_HEAD SAVP_LINE "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:QUJD\r\n",
    { 488, END } },
  { "crypto key too long",
    NULL,
    SDP_HEAD SAVP_LINE
    "a=crypto:1 AES_CM_128_HMAC_SHA1_80 "
    "inline:QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5eg==\r\n",
    { 488, END } },
  { "crypto without key",
    NULL,
    SDP_HEAD SAVP_LINE "a=crypto:1 AES_CM_128_HMAC_SHA1_80\r\n",
    { 488, END } },
  { "SAVP without crypto", NULL, SDP_HEAD SAVP_LINE, { 488, END } },
  { "version 1",
    NULL,
    "v=1\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
    "m=audio 40000 RTP/AVP 8\r\n",
    { 400, 488, END } },
};

/* The body of an offer with @n media lines of @line each. */
static char *
many_media (guint n, const char *line)
{
  g_autoptr (GString) sdp = g_string_new (SDP_HEAD);

  for (guint i = 0; i < n; i++)
    g_string_append (sdp, line);
  return g_string_free (g_steal_pointer (&sdp), FALSE);
}

/* Broken and hostile offers: 488 Not Acceptable Here (or 400 when the SDP
 * does not even parse), and no call. 1000 media lines are answered in a
 * bounded time: refused, or the first audio taken (and then cancelled). */
static void
test_hostile_sdp (ApHostile *h, gconstpointer data)
{
  g_autoptr (ApRawSip) raw = ap_raw_sip_new (TRUE, h->port);
  g_autofree char *video = many_media (1000, "m=video 40000 RTP/AVP 96\r\n");
  g_autofree char *audio = many_media (1000, "m=audio 40000 RTP/AVP 8\r\n");
  const Case big[] = {
    { "1000 video lines", AP_HOSTILE_INVITE, video, { 488, END } },
    { "1000 audio lines", AP_HOSTILE_INVITE, audio, { 487, 488, END } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (sdp_cases); i++)
    run_case (h, raw, &sdp_cases[i], AP_HOSTILE_INVITE);
  for (guint i = 0; i < G_N_ELEMENTS (big); i++)
    run_case (h, raw, &big[i], big[i].tmpl);
  ap_hostile_assert_healthy (h, "hostile SDP");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* The phone may close a TCP connection we are still writing to. */
  signal (SIGPIPE, SIG_IGN);

  g_test_add ("/hostile-sip/missing-headers/udp", ApHostile, GINT_TO_POINTER (FALSE),
              ap_hostile_setup, test_missing_headers, ap_hostile_teardown);
  g_test_add ("/hostile-sip/missing-headers/tcp", ApHostile, GINT_TO_POINTER (TRUE),
              ap_hostile_setup, test_missing_headers, ap_hostile_teardown);
  g_test_add ("/hostile-sip/malformed/udp", ApHostile, GINT_TO_POINTER (FALSE), ap_hostile_setup,
              test_malformed, ap_hostile_teardown);
  g_test_add ("/hostile-sip/malformed/tcp", ApHostile, GINT_TO_POINTER (TRUE), ap_hostile_setup,
              test_malformed, ap_hostile_teardown);
  g_test_add ("/hostile-sip/unknown-method", ApHostile, NULL, ap_hostile_setup, test_unknown_method,
              ap_hostile_teardown);
  g_test_add ("/hostile-sip/oversized/udp", ApHostile, GINT_TO_POINTER (FALSE), ap_hostile_setup,
              test_oversized, ap_hostile_teardown);
  g_test_add ("/hostile-sip/oversized/tcp", ApHostile, GINT_TO_POINTER (TRUE), ap_hostile_setup,
              test_oversized, ap_hostile_teardown);
  g_test_add ("/hostile-sip/sdp", ApHostile, NULL, ap_hostile_setup, test_hostile_sdp,
              ap_hostile_teardown);
  return g_test_run ();
}
