/* Hostile SIP in and around dialogs, raw over UDP against a real agentphone:
 * requests for dialogs that do not exist (481), CANCEL/BYE/ACK races,
 * re-INVITE glare (491), REFER to weird targets, a NOTIFY flood, INFO with
 * bad DTMF bodies, and the phone's memory over repeated batches. After each
 * group the phone is up, has no call left and still connects a call. */
#include <signal.h>
#include <string.h>

#include "ap-test-hostile.h"

#define ANSWER_TIMEOUT_MS 2000
#define CALL_TIMEOUT_MS 10000

static gboolean
no_calls (gpointer data)
{
  return ap_hostile_count_calls (data) == 0;
}

static gboolean
has_calls (gpointer data)
{
  return ap_hostile_count_calls (data) > 0;
}

/* A dialog that never was: a Call-ID and tags nobody knows. */
static ApHostileDialog *
phantom_dialog (ApHostile *h)
{
  ApHostileDialog *d = g_new0 (ApHostileDialog, 1);

  d->call_id = ap_hostile_call_id ("phantom");
  d->to = g_strdup_printf ("<sip:agent@127.0.0.1:%u>;tag=never-was", h->port);
  d->target = g_strdup_printf ("sip:agent@127.0.0.1:%u", h->port);
  d->cseq = 10;
  return d;
}

/* ---- unknown dialogs --------------------------------------------------- */

/* BYE, re-INVITE, INFO, UPDATE, REFER, NOTIFY, PRACK and CANCEL for a dialog
 * the phone never had: 481 Call/Transaction Does Not Exist (NOTIFY may get
 * 489 Bad Event); an ACK gets nothing. */
static void
test_unknown_dialog (ApHostile *h, gconstpointer data)
{
  g_autoptr (ApRawSip) raw = ap_raw_sip_new (FALSE, h->port);
  const struct {
    const char *method, *headers, *body;
  } requests[] = {
    { "BYE", NULL, NULL },
    { "INVITE", "Content-Type: application/sdp\r\n", AP_HOSTILE_GOOD_SDP },
    { "INFO", "Content-Type: application/dtmf-relay\r\n", "Signal=5\r\nDuration=100\r\n" },
    { "UPDATE", NULL, NULL },
    { "REFER", "Refer-To: <sip:someone@127.0.0.1:1>\r\n", NULL },
    { "NOTIFY", "Event: refer\r\nSubscription-State: active\r\nContent-Type: message/sipfrag\r\n",
      "SIP/2.0 200 OK\r\n" },
    { "PRACK", "RAck: 1 1 INVITE\r\n", NULL },
    { "CANCEL", NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
    {
      g_autoptr (ApHostileDialog) d = phantom_dialog (h);
      guint code = ap_hostile_in_dialog (raw, d, requests[i].method, requests[i].headers,
                                         requests[i].body, ANSWER_TIMEOUT_MS);

      g_test_message ("%s in an unknown dialog: %u", requests[i].method, code);
      if (g_str_equal (requests[i].method, "NOTIFY"))
        g_assert_true (code == 481 || code == 489);
      else
        g_assert_cmpuint (code, ==, 481);
    }
  {
    g_autoptr (ApHostileDialog) d = phantom_dialog (h);

    ap_hostile_in_dialog (raw, d, "ACK", NULL, NULL, 0);
    ap_test_sleep (500);
    g_assert_cmpuint (ap_raw_sip_count_received (raw), ==, 0);
  }
  g_assert_cmpuint (ap_hostile_count_calls (h), ==, 0);
  ap_hostile_assert_healthy (h, "unknown dialogs");
}

/* ---- races ------------------------------------------------------------- */

static const char cancel_tmpl[] = "CANCEL sip:agent@$REMOTE SIP/2.0\r\n"
                                  "Via: SIP/2.0/$TRANSPORT $LOCAL;branch=$IBRANCH;rport\r\n"
                                  "Max-Forwards: 70\r\n"
                                  "From: <sip:hostile@$LOCAL>;tag=h1\r\n"
                                  "To: <sip:agent@$REMOTE>\r\n"
                                  "Call-ID: $CALLID\r\n"
                                  "CSeq: 1 CANCEL\r\n"
                                  "Content-Length: 0\r\n\r\n";

/* CANCEL in the same breath as the INVITE, a CANCEL twice, a BYE on the
 * early dialog, requests after the BYE: each answered, no call left. */
static void
test_races (ApHostile *h, gconstpointer data)
{
  g_autoptr (ApRawSip) raw = ap_raw_sip_new (FALSE, h->port);

  for (guint round = 0; round < 5; round++)
    {
      g_autofree char *call_id = ap_hostile_call_id ("race");

      ap_raw_sip_send_text (raw, AP_HOSTILE_INVITE, call_id, AP_HOSTILE_GOOD_SDP);
      ap_raw_sip_send_text (raw, cancel_tmpl, call_id, NULL);
      /* The second CANCEL is a retransmission: answered the same. */
      ap_raw_sip_send_text (raw, cancel_tmpl, call_id, NULL);
      g_assert_cmpuint (ap_raw_sip_wait_final (raw, call_id, "CANCEL", 5000, NULL), ==, 200);
      g_assert_cmpuint (ap_raw_sip_wait_final (raw, call_id, "INVITE", 5000, NULL), ==, 487);
    }
  g_assert_true (ap_test_run_until (no_calls, h, 5000));

  /* BYE on the early dialog (the 180's To tag): ends the INVITE too. */
  {
    g_autofree char *call_id = ap_hostile_call_id ("early-bye");
    g_autofree char *ringing = NULL;
    g_autoptr (ApHostileDialog) d = g_new0 (ApHostileDialog, 1);
    guint bye, invite;

    ap_raw_sip_send_text (raw, AP_HOSTILE_INVITE, call_id, AP_HOSTILE_GOOD_SDP);
    g_assert_true (ap_test_run_until (has_calls, h, 5000));
    ap_test_sleep (200);
    d->call_id = g_strdup (call_id);
    d->to = g_strdup_printf ("<sip:agent@127.0.0.1:%u>;tag=%s", h->port, "no-such-tag");
    d->target = g_strdup_printf ("sip:agent@127.0.0.1:%u", h->port);
    d->cseq = 1;
    bye = ap_hostile_in_dialog (raw, d, "BYE", NULL, NULL, ANSWER_TIMEOUT_MS);
    g_test_message ("BYE with a wrong tag on a ringing call: %u", bye);
    g_assert_cmpuint (bye, ==, 481);
    ap_raw_sip_send_text (raw, cancel_tmpl, call_id, NULL);
    invite = ap_raw_sip_wait_final (raw, call_id, "INVITE", 5000, NULL);
    g_assert_cmpuint (invite, ==, 487);
  }
  g_assert_true (ap_test_run_until (no_calls, h, 5000));

  /* A connected call: BYE twice, then INFO and re-INVITE after it. */
  {
    g_autoptr (ApDbusCall) call = NULL;
    g_autoptr (ApHostileDialog) d = NULL;
    guint again;

    ap_hostile_set_answer_mode (h, "auto-answer");
    d = ap_hostile_connect (h, raw, &call);
    g_assert_cmpuint (ap_hostile_in_dialog (raw, d, "BYE", NULL, NULL, 5000), ==, 200);
    again = ap_hostile_in_dialog (raw, d, "BYE", NULL, NULL, ANSWER_TIMEOUT_MS);
    g_test_message ("second BYE: %u", again);
    g_assert_cmpuint (again, ==, 481);
    g_assert_cmpuint (ap_hostile_in_dialog (raw, d, "INFO", NULL, NULL, ANSWER_TIMEOUT_MS), ==,
                      481);
    /* A late ACK for the finished dialog is swallowed. */
    ap_hostile_in_dialog (raw, d, "ACK", NULL, NULL, 0);
    g_assert_true (ap_test_call_wait_state (call, "ended", CALL_TIMEOUT_MS));
    ap_hostile_set_answer_mode (h, "manual");
  }
  ap_hostile_assert_healthy (h, "races");
}

/* ---- glare ------------------------------------------------------------- */

/* Both ends send a re-INVITE at once: the phone holds (its re-INVITE is
 * pending, unanswered by us) and gets ours: 491 Request Pending. */
static void
test_glare (ApHostile *h, gconstpointer data)
{
  g_autoptr (ApRawSip) raw = ap_raw_sip_new (FALSE, h->port);
  g_autoptr (ApDbusCall) call = NULL;
  g_autoptr (ApHostileDialog) d = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *theirs = NULL;
  guint ours;

  ap_hostile_set_answer_mode (h, "auto-answer");
  d = ap_hostile_connect (h, raw, &call);
  ap_dbus_call_call_hold (call, NULL, NULL, NULL);
  theirs = ap_raw_sip_wait_request (raw, "INVITE", 5000);
  g_assert_nonnull (theirs);
  ours = ap_hostile_in_dialog (raw, d, "INVITE", "Content-Type: application/sdp\r\n",
                               AP_HOSTILE_GOOD_SDP, ANSWER_TIMEOUT_MS);
  g_test_message ("our re-INVITE during the phone's: %u", ours);
  g_assert_cmpuint (ours, ==, 491);
  /* And theirs gets the same from us; the call goes on. */
  ap_raw_sip_reply (raw, theirs, 491, "Request Pending");
  ap_test_sleep (500);
  g_assert_cmpstr (ap_dbus_call_get_state (call), !=, "ended");
  g_assert_cmpuint (ap_hostile_in_dialog (raw, d, "BYE", NULL, NULL, 5000), ==, 200);
  g_assert_true (ap_test_call_wait_state (call, "ended", CALL_TIMEOUT_MS));
  ap_hostile_set_answer_mode (h, "manual");
  ap_hostile_assert_healthy (h, "glare");
}

/* The final answer to our request with CSeq number @cseq (the phone may
 * still be repeating its 200 to an earlier one). */
static guint
final_for (ApRawSip *raw, ApHostileDialog *d, const char *method, guint cseq, char **final)
{
  g_autofree char *want = g_strdup_printf ("%u %s", cseq, method);

  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *response = NULL;
      g_autofree char *got = NULL;
      guint code = ap_raw_sip_wait_final (raw, d->call_id, method, ANSWER_TIMEOUT_MS, &response);

      if (code == 0)
        return 0;
      got = ap_raw_sip_header (response, "CSeq");
      if (g_strcmp0 (got, want) == 0)
        {
          *final = g_steal_pointer (&response);
          return code;
        }
    }
  return 0;
}

/* While the phone answers a re-INVITE of ours (its offer went in the 200
 * of our offerless re-INVITE, the ACK with our answer has not come), a new
 * re-INVITE crosses it: 491, or 500 with Retry-After (RFC 3261 14.2, what
 * sofia answers while the first INVITE's transaction is open); either tells
 * a peer to try again. An UPDATE gets 491 an UPDATE with an offer while the phone's
 * own hold re-INVITE waits for our answer (RFC 3311 5.2). The call goes on
 * and ends with BYE. */
static void
test_glare_answering (ApHostile *h, gconstpointer data)
{
  g_autoptr (ApRawSip) raw = ap_raw_sip_new (FALSE, h->port);
  g_autoptr (ApDbusCall) call = NULL;
  g_autoptr (ApHostileDialog) d = NULL;
  g_autofree char *theirs = NULL;
  g_autofree char *response = NULL;
  g_autofree char *retry_after = NULL;
  g_autofree char *ack = NULL;
  g_autofree char *reinvite = NULL;
  guint offerless, crossing, update;

  ap_hostile_set_answer_mode (h, "auto-answer");
  d = ap_hostile_connect (h, raw, &call);
  offerless = ap_hostile_in_dialog (raw, d, "INVITE", NULL, NULL, ANSWER_TIMEOUT_MS);
  g_assert_cmpuint (offerless, ==, 200);
  /* Sent by hand: ap_hostile_in_dialog() would take the first final answer,
   * maybe the 200 to the offerless one repeated. */
  reinvite = g_strdup_printf ("INVITE %s SIP/2.0\r\n"
                              "Via: SIP/2.0/$TRANSPORT $LOCAL;branch=$BRANCH;rport\r\n"
                              "Max-Forwards: 70\r\n"
                              "From: <sip:hostile@$LOCAL>;tag=h1\r\n"
                              "To: %s\r\n"
                              "Call-ID: $CALLID\r\n"
                              "CSeq: %u INVITE\r\n"
                              "Contact: <sip:hostile@$LOCAL;transport=$LTRANSPORT>\r\n"
                              "Content-Type: application/sdp\r\n"
                              "Content-Length: $CLEN\r\n\r\n",
                              d->target, d->to, ++d->cseq);
  ap_raw_sip_send_text (raw, reinvite, d->call_id, AP_HOSTILE_GOOD_SDP);
  crossing = final_for (raw, d, "INVITE", d->cseq, &response);
  retry_after = response ? ap_raw_sip_header (response, "Retry-After") : NULL;
  g_test_message ("a re-INVITE while the phone's offer awaits its answer (ACK): %u, Retry-After %s",
                  crossing, retry_after);
  g_assert_true (crossing == 491 || (crossing == 500 && retry_after != NULL));
  g_assert_cmpstr (ap_dbus_call_get_state (call), ==, "connected");
  /* Our answer, in the ACK of the offerless re-INVITE (CSeq 2). */
  ack = g_strdup_printf ("ACK %s SIP/2.0\r\n"
                         "Via: SIP/2.0/$TRANSPORT $LOCAL;branch=$BRANCH;rport\r\n"
                         "Max-Forwards: 70\r\n"
                         "From: <sip:hostile@$LOCAL>;tag=h1\r\n"
                         "To: %s\r\n"
                         "Call-ID: $CALLID\r\n"
                         "CSeq: %u ACK\r\n"
                         "Content-Type: application/sdp\r\n"
                         "Content-Length: $CLEN\r\n\r\n",
                         d->target, d->to, d->cseq - 1);
  ap_raw_sip_send_text (raw, ack, d->call_id, AP_HOSTILE_GOOD_SDP);
  ap_test_sleep (300);

  /* The phone holds; we do not answer yet and send an UPDATE with an offer. */
  ap_dbus_call_call_hold (call, NULL, NULL, NULL);
  theirs = ap_raw_sip_wait_request (raw, "INVITE", 5000);
  g_assert_nonnull (theirs);
  update = ap_hostile_in_dialog (raw, d, "UPDATE", "Content-Type: application/sdp\r\n",
                                 AP_HOSTILE_GOOD_SDP, ANSWER_TIMEOUT_MS);
  g_test_message ("an UPDATE offer while the phone's re-INVITE is pending: %u", update);
  g_assert_cmpuint (update, ==, 491);
  g_assert_false (ap_dbus_call_get_remote_held (call));
  ap_raw_sip_reply (raw, theirs, 491, "Request Pending");
  g_assert_cmpuint (ap_hostile_in_dialog (raw, d, "BYE", NULL, NULL, 5000), ==, 200);
  g_assert_true (ap_test_call_wait_state (call, "ended", CALL_TIMEOUT_MS));
  ap_hostile_set_answer_mode (h, "manual");
  ap_hostile_assert_healthy (h, "glare while answering");
}

/* ---- REFER ------------------------------------------------------------- */

/* REFER to targets that are not callable, or not even addresses: refused,
 * or accepted and then failed (reported by NOTIFY); the call it came in
 * ends cleanly, and no call is left behind. */
static void
test_refer_targets (ApHostile *h, gconstpointer data)
{
  /* The REFER's answer, and for a 202 the final sipfrag status the
   * NOTIFYs report (0: any failure). */
  const struct {
    const char *refer_to;
    guint code, notified;
  } cases[] = {
    { NULL, 400, 0 }, /* no Refer-To at all */
    { "Refer-To: this is not a URI <<<\r\n", 400, 0 },
    /* sofia keeps the first of two; that one is unreachable. */
    { "Refer-To: <sip:a@b.invalid>\r\nRefer-To: <sip:c@d.invalid>\r\n", 202, 0 },
    { "Refer-To: <mailto:agent@example.com>\r\n", 202, 400 },
    { "Refer-To: <tel:+15550100>\r\n", 202, 400 },
    { "Refer-To: <sip:nobody@127.0.0.1:1>\r\n", 202, 0 },
    { "Refer-To: <sip:nobody@127.0.0.1:1?Replaces=garbage%3B%3B>\r\n", 202, 0 },
    { "Refer-To: <sip:%00%01@127.0.0.1:1>\r\n", 202, 0 },
  };

  ap_hostile_set_answer_mode (h, "auto-answer");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (ApRawSip) raw = ap_raw_sip_new (FALSE, h->port);
      g_autoptr (ApDbusCall) call = NULL;
      g_autoptr (ApHostileDialog) d = ap_hostile_connect (h, raw, &call);
      guint code
        = ap_hostile_in_dialog (raw, d, "REFER", cases[i].refer_to, NULL, ANSWER_TIMEOUT_MS);
      guint final = 0;

      while (code == 202 && final < 200)
        {
          /* NOTIFYs until the terminated one (the raw peer answers them). */
          g_autofree char *notify = ap_raw_sip_wait_request (raw, "NOTIFY", 35000);
          const char *frag = notify ? strstr (notify, "\r\n\r\nSIP/2.0 ") : NULL;

          g_assert_nonnull (frag);
          final = (guint) g_ascii_strtoull (frag + strlen ("\r\n\r\nSIP/2.0 "), NULL, 10);
        }
      g_test_message ("REFER with %s  -> %u, transfer ended %u",
                      cases[i].refer_to ? cases[i].refer_to : "none\n", code, final);
      g_assert_cmpuint (code, ==, cases[i].code);
      if (code == 202)
        {
          g_assert_cmpuint (final, >=, 300);
          if (cases[i].notified)
            g_assert_cmpuint (final, ==, cases[i].notified);
        }
      ap_hostile_in_dialog (raw, d, "BYE", NULL, NULL, 5000);
      g_assert_true (ap_test_call_wait_state (call, "ended", CALL_TIMEOUT_MS));
      /* Whatever the transfer attempt did, it is over in bounded time. */
      g_assert_true (ap_test_run_until (no_calls, h, 40000));
    }
  ap_hostile_set_answer_mode (h, "manual");
  ap_hostile_assert_healthy (h, "REFER targets");
}

/* ---- floods ------------------------------------------------------------ */

/* Sends @n copies of @tmpl, each with its own Call-ID; returns how many
 * final answers came back within @timeout_ms, all of them in @allowed. */
static guint
flood (ApHostile *h, ApRawSip *raw, const char *tmpl, const char *body, guint n,
       const guint *allowed, guint timeout_ms)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  gint64 end = g_get_monotonic_time () + timeout_ms * (gint64) 1000;
  guint answered = 0;

  for (guint i = 0; i < n; i++)
    {
      g_ptr_array_add (ids, ap_hostile_call_id ("flood"));
      ap_raw_sip_send_text (raw, tmpl, ids->pdata[i], body);
      /* Read answers as they come: a socket's buffer holds only about 160
       * datagrams, ours and the phone's. Bursts of 25 then keep a flood
       * of some 2000 messages a second, not a loss test. */
      ap_raw_sip_count_received (raw);
      if (i % 25 == 24)
        ap_test_sleep (10);
    }
  for (guint i = 0; i < n; i++)
    {
      gint64 left = MAX (end - g_get_monotonic_time (), 0) / 1000;
      guint code = ap_raw_sip_wait_final (raw, ids->pdata[i], NULL, (guint) left, NULL);

      if (code == 0)
        continue;
      answered++;
      if (!ap_hostile_code_in (code, allowed))
        g_error ("flood message %u answered %u", i, code);
    }
  return answered;
}

static const char notify_tmpl[] = "NOTIFY sip:agent@$REMOTE SIP/2.0\r\n"
                                  "Via: SIP/2.0/$TRANSPORT $LOCAL;branch=$BRANCH;rport\r\n"
                                  "Max-Forwards: 70\r\n"
                                  "From: <sip:hostile@$LOCAL>;tag=h1\r\n"
                                  "To: <sip:agent@$REMOTE>\r\n"
                                  "Call-ID: $CALLID\r\n"
                                  "CSeq: 1 NOTIFY\r\n"
                                  "Event: message-summary\r\n"
                                  "Subscription-State: active\r\n"
                                  "Contact: <sip:hostile@$LOCAL>\r\n"
                                  "Content-Type: application/simple-message-summary\r\n"
                                  "Content-Length: $CLEN\r\n\r\n";

/* 500 unsolicited NOTIFYs in a burst: each refused (481/489) or dropped,
 * the phone answers at least most of them in bounded time and stays up. */
static void
test_notify_flood (ApHostile *h, gconstpointer data)
{
  g_autoptr (ApRawSip) raw = ap_raw_sip_new (FALSE, h->port);
  const guint allowed[] = { 481, 489, G_MAXUINT };
  gint64 start = g_get_monotonic_time ();
  guint answered = flood (h, raw, notify_tmpl, "Messages-Waiting: yes\r\n", 500, allowed, 20000);

  g_test_message ("NOTIFY flood: %u of 500 answered in %.1f s", answered,
                  (g_get_monotonic_time () - start) / 1e6);
  g_assert_cmpuint (answered, >=, 450);
  ap_hostile_assert_healthy (h, "NOTIFY flood");
}

/* ---- INFO -------------------------------------------------------------- */

static void
on_dtmf (ApDbusCall *call, const char *digit, GString *digits)
{
  g_string_append (digits, digit);
}

static gboolean
got_digit (gpointer data)
{
  return ((GString *) data)->len > 0;
}

/* INFO bodies that carry no digit we know are answered and ignored; the
 * good one after them arrives as DtmfReceived, alone. */
static void
test_info_dtmf (ApHostile *h, gconstpointer data)
{
  g_autoptr (ApRawSip) raw = ap_raw_sip_new (FALSE, h->port);
  g_autoptr (ApDbusCall) call = NULL;
  g_autoptr (ApHostileDialog) d = NULL;
  g_autoptr (GString) digits = g_string_new (NULL);
  g_autoptr (GString) long_body = g_string_new (NULL);
  const char *relay = "Content-Type: application/dtmf-relay\r\n";
  const char *plain = "Content-Type: application/dtmf\r\n";
  const struct {
    const char *headers, *body;
  } bad[] = {
    { relay, "" },
    { relay, "Signal=\r\n" },
    { relay, "Signal=999\r\n" },
    { relay, "Signal=-1\r\n" },
    { relay, "Signal=55\r\n" },
    { relay, "Signal=\xff\xfe\r\n" },
    { relay, "Duration=100\r\n" },
    { relay, "Signal\r\n" },
    { relay, "=====\r\n" },
    { plain, "12" },
    { plain, "\x01" },
    { plain, "   " },
    { NULL, "Signal=5\r\n" },
    { "Content-Type: application/x-dtmf-nonsense\r\n", "Signal=5\r\n" },
    { relay, NULL },
  };

  while (long_body->len < 20000)
    g_string_append (long_body, "Signal==\r\n");
  ap_hostile_set_answer_mode (h, "auto-answer");
  d = ap_hostile_connect (h, raw, &call);
  g_signal_connect (call, "dtmf-received", G_CALLBACK (on_dtmf), digits);
  for (guint i = 0; i < G_N_ELEMENTS (bad) + 1; i++)
    {
      const char *headers = i < G_N_ELEMENTS (bad) ? bad[i].headers : relay;
      const char *body = i < G_N_ELEMENTS (bad) ? bad[i].body : long_body->str;
      guint code = ap_hostile_in_dialog (raw, d, "INFO", headers, body, ANSWER_TIMEOUT_MS);

      /* NUA accepts INFO as such (200) or refuses an unknown type (415). */
      g_assert_true (code == 200 || code == 415);
    }
  ap_test_sleep (500);
  g_assert_cmpstr (digits->str, ==, "");
  g_assert_cmpuint (ap_hostile_in_dialog (raw, d, "INFO", relay, "Signal=11\r\nDuration=160\r\n",
                                          ANSWER_TIMEOUT_MS),
                    ==, 200);
  g_assert_true (ap_test_run_until (got_digit, digits, 3000));
  g_assert_cmpstr (digits->str, ==, "#");
  g_assert_cmpuint (ap_hostile_in_dialog (raw, d, "BYE", NULL, NULL, 5000), ==, 200);
  g_assert_true (ap_test_call_wait_state (call, "ended", CALL_TIMEOUT_MS));
  ap_hostile_set_answer_mode (h, "manual");
  ap_hostile_assert_healthy (h, "INFO bodies");
}

/* ---- memory ------------------------------------------------------------ */

#define BATCH 200
#define RSS_GROWTH_LIMIT_KIB 2048

/* One batch of @BATCH hostile messages: unknown-dialog BYEs, NOTIFYs, bad
 * offers and malformed INVITEs, round robin. */
static void
hostile_batch (ApHostile *h, ApRawSip *raw)
{
  const guint any[] = { 0, 400, 481, 488, 489, G_MAXUINT };
  const char *bad_sdp
    = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 0 RTP/AVP 8\r\n";
  g_autofree char *no_cseq = NULL;
  const char *bye = "BYE sip:agent@$REMOTE SIP/2.0\r\n"
                    "Via: SIP/2.0/$TRANSPORT $LOCAL;branch=$BRANCH;rport\r\n"
                    "From: <sip:hostile@$LOCAL>;tag=h1\r\n"
                    "To: <sip:agent@$REMOTE>;tag=never\r\n"
                    "Call-ID: $CALLID\r\nCSeq: 5 BYE\r\nContent-Length: 0\r\n\r\n";

  {
    g_autoptr (GString) s = g_string_new (AP_HOSTILE_INVITE);

    g_assert_cmpuint (g_string_replace (s, "CSeq: 1 INVITE\r\n", "", 1), ==, 1);
    no_cseq = g_string_free (g_steal_pointer (&s), FALSE);
  }
  flood (h, raw, bye, NULL, BATCH / 4, any, 10000);
  flood (h, raw, notify_tmpl, "x", BATCH / 4, any, 10000);
  flood (h, raw, AP_HOSTILE_INVITE, bad_sdp, BATCH / 4, any, 10000);
  flood (h, raw, no_cseq, AP_HOSTILE_GOOD_SDP, BATCH / 4, any, 3000);
}

/* sofia keeps every transaction (about 7 KiB with its messages) for 32 s
 * (timers H and J) before it frees it: memory rises by some 1.5 MiB per
 * batch, then stays flat once the first transactions have gone. So: six
 * batches, a wait past the timers, then six more, which grow the resident
 * set by less than RSS_GROWTH_LIMIT_KIB. */
static void
test_memory (ApHostile *h, gconstpointer data)
{
  g_autoptr (ApRawSip) raw = ap_raw_sip_new (FALSE, h->port);
  gsize start, before, after;

  start = ap_hostile_rss_kib (h);
  for (guint i = 0; i < 6; i++)
    hostile_batch (h, raw);
  ap_test_sleep (34000);
  before = ap_hostile_rss_kib (h);
  for (guint i = 0; i < 6; i++)
    hostile_batch (h, raw);
  after = ap_hostile_rss_kib (h);
  g_test_message ("RSS: %zu KiB at start, %zu KiB after %u hostile messages and 34 s, %zu KiB "
                  "after %u more (%+ld KiB)",
                  start, before, 6 * BATCH, after, 6 * BATCH, (long) after - (long) before);
  g_assert_cmpint ((long) after - (long) before, <, RSS_GROWTH_LIMIT_KIB);
  ap_hostile_assert_healthy (h, "memory");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  signal (SIGPIPE, SIG_IGN);

  g_test_add ("/hostile-dialog/unknown-dialog", ApHostile, NULL, ap_hostile_setup,
              test_unknown_dialog, ap_hostile_teardown);
  g_test_add ("/hostile-dialog/races", ApHostile, NULL, ap_hostile_setup, test_races,
              ap_hostile_teardown);
  g_test_add ("/hostile-dialog/glare", ApHostile, NULL, ap_hostile_setup, test_glare,
              ap_hostile_teardown);
  g_test_add ("/hostile-dialog/glare-answering", ApHostile, NULL, ap_hostile_setup,
              test_glare_answering, ap_hostile_teardown);
  g_test_add ("/hostile-dialog/refer-targets", ApHostile, NULL, ap_hostile_setup,
              test_refer_targets, ap_hostile_teardown);
  g_test_add ("/hostile-dialog/notify-flood", ApHostile, NULL, ap_hostile_setup, test_notify_flood,
              ap_hostile_teardown);
  g_test_add ("/hostile-dialog/info-dtmf", ApHostile, NULL, ap_hostile_setup, test_info_dtmf,
              ap_hostile_teardown);
  g_test_add ("/hostile-dialog/memory", ApHostile, NULL, ap_hostile_setup, test_memory,
              ap_hostile_teardown);
  return g_test_run ();
}
