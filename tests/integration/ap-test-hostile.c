/* ap-test-hostile.c: the fixture and checks the hostile-SIP suites share. */
#include "ap-test-hostile.h"

#include <signal.h>
#include <string.h>

#define CALL_TIMEOUT_MS 10000

void
ap_hostile_setup (ApHostile *h, gconstpointer data)
{
  h->bus = ap_test_bus_new ();
  h->phone = ap_test_phone_start_with_tone (h->bus, 440, &h->wav);
  h->port = ap_test_phone_get_listen_port (h->phone);
  g_assert_cmpuint (h->port, >, 0);
}

void
ap_hostile_teardown (ApHostile *h, gconstpointer data)
{
  ap_test_phone_free (h->phone);
  ap_test_bus_free (h->bus);
  g_free (h->wav);
}

void
ap_hostile_set_answer_mode (ApHostile *h, const char *mode)
{
  g_autoptr (GError) error = NULL;

  ap_dbus_phone_call_set_answer_mode_sync (ap_test_phone_get_proxy (h->phone), mode, 0, NULL,
                                           &error);
  g_assert_no_error (error);
}

guint
ap_hostile_count_calls (ApHostile *h)
{
  g_auto (GStrv) calls = NULL;
  g_autoptr (GError) error = NULL;

  ap_dbus_phone_call_list_calls_sync (ap_test_phone_get_proxy (h->phone), &calls, NULL, &error);
  g_assert_no_error (error);
  return g_strv_length (calls);
}

static gboolean
no_calls (gpointer data)
{
  return ap_hostile_count_calls (data) == 0;
}

/** ap_hostile_call_id: a Call-ID unique to this run, for case @name */
char *
ap_hostile_call_id (const char *name)
{
  static guint n;

  return g_strdup_printf ("%s-%u-%08x", name, ++n, g_random_int ());
}

/** ap_hostile_code_in: whether @code is in @allowed (ended by G_MAXUINT) */
gboolean
ap_hostile_code_in (guint code, const guint *allowed)
{
  for (guint i = 0; allowed[i] != G_MAXUINT; i++)
    if (allowed[i] == code)
      return TRUE;
  return FALSE;
}

/**
 * ap_hostile_invite:
 *
 * Sends an INVITE made from @tmpl and @body and returns its final status
 * (0: none in @timeout_ms, that is dropped). One that only rang is
 * cancelled, so it never stays: then the 487 is returned.
 */
guint
ap_hostile_invite (ApHostile *h, ApRawSip *raw, const char *call_id, const char *tmpl,
                   const char *body, guint timeout_ms)
{
  guint code;

  ap_raw_sip_send_text (raw, tmpl, call_id, body);
  code = ap_raw_sip_wait_final (raw, call_id, NULL, timeout_ms, NULL);

  if (code == 0 && ap_hostile_count_calls (h) > 0)
    {
      ap_raw_sip_send_text (raw,
                            "CANCEL sip:agent@$REMOTE SIP/2.0\r\n"
                            "Via: SIP/2.0/$TRANSPORT $LOCAL;branch=$IBRANCH;rport\r\n"
                            "Max-Forwards: 70\r\n"
                            "From: <sip:hostile@$LOCAL>;tag=h1\r\n"
                            "To: <sip:agent@$REMOTE>\r\n"
                            "Call-ID: $CALLID\r\n"
                            "CSeq: 1 CANCEL\r\n"
                            "Content-Length: 0\r\n\r\n",
                            call_id, NULL);
      code = ap_raw_sip_wait_final (raw, call_id, "INVITE", 5000, NULL);
    }
  return code;
}

/* A plain call from a fresh raw peer: auto-answered, acknowledged, hung up
 * by us with BYE. */
static void
assert_call_connects (ApHostile *h)
{
  g_autoptr (ApRawSip) raw = ap_raw_sip_new (FALSE, h->port);
  g_autoptr (ApDbusCall) call = NULL;
  g_autoptr (ApHostileDialog) dialog = NULL;

  ap_hostile_set_answer_mode (h, "auto-answer");
  dialog = ap_hostile_connect (h, raw, &call);
  g_assert_cmpuint (ap_hostile_in_dialog (raw, dialog, "BYE", NULL, NULL, 5000), ==, 200);
  g_assert_true (ap_test_call_wait_state (call, "ended", CALL_TIMEOUT_MS));
  g_assert_true (ap_test_run_until (no_calls, h, 5000));
  ap_hostile_set_answer_mode (h, "manual");
}

/**
 * ap_hostile_assert_healthy:
 *
 * After a group of hostile messages: the process is up, no call is left
 * (none stuck in `incoming`), and a normal call still connects.
 */
void
ap_hostile_assert_healthy (ApHostile *h, const char *group)
{
  g_assert_cmpint (kill (ap_test_phone_get_pid (h->phone), 0), ==, 0);
  if (!ap_test_run_until (no_calls, h, 5000))
    g_error ("%s: %u calls left over", group, ap_hostile_count_calls (h));
  assert_call_connects (h);
  g_test_message ("%s: phone up, no call left, a normal call connects", group);
}

/**
 * ap_hostile_connect:
 * @call: (out): the phone's side of it
 *
 * A call from @raw that the phone answers: by itself in auto-answer, by
 * Answer() in manual mode.
 */
ApHostileDialog *
ap_hostile_connect (ApHostile *h, ApRawSip *raw, ApDbusCall **call)
{
  return ap_hostile_connect_sdp (h, raw, AP_HOSTILE_GOOD_SDP, call);
}

/** ap_hostile_connect_sdp: ap_hostile_connect() with @sdp as the offer */
ApHostileDialog *
ap_hostile_connect_sdp (ApHostile *h, ApRawSip *raw, const char *sdp, ApDbusCall **call)
{
  ApHostileDialog *dialog = g_new0 (ApHostileDialog, 1);
  g_autofree char *ok = NULL;
  g_autofree char *contact = NULL;
  g_autofree char *path = NULL;
  guint code;

  /* Calls the hostile messages made and that went again are not this one. */
  for (char *old; (old = ap_test_phone_wait_call_added (h->phone, 0));)
    g_free (old);
  dialog->call_id = ap_hostile_call_id ("dialog");
  dialog->cseq = 1;
  ap_raw_sip_send_text (raw, AP_HOSTILE_INVITE, dialog->call_id, sdp);
  path = ap_test_phone_wait_call_added (h->phone, CALL_TIMEOUT_MS);
  g_assert_nonnull (path);
  *call = ap_test_phone_get_call (h->phone, path);
  /* In manual mode the test answers, as an agent would. */
  if (g_str_equal (ap_dbus_phone_get_answer_mode (ap_test_phone_get_proxy (h->phone)), "manual"))
    {
      g_assert_true (ap_test_call_wait_state (*call, "incoming", CALL_TIMEOUT_MS));
      ap_test_call_answer (*call);
    }
  code = ap_raw_sip_wait_final (raw, dialog->call_id, "INVITE", CALL_TIMEOUT_MS, &ok);
  g_assert_cmpuint (code, ==, 200);
  dialog->answer = g_strdup (ok);
  dialog->to = ap_raw_sip_header (ok, "To");
  contact = ap_raw_sip_header (ok, "Contact");
  g_assert_nonnull (dialog->to);
  g_assert_nonnull (contact);
  dialog->target = g_strndup (strchr (contact, '<') + 1, strcspn (strchr (contact, '<') + 1, ">"));
  /* The ACK is not answered: send it and move on. */
  ap_hostile_in_dialog (raw, dialog, "ACK", NULL, NULL, 0);
  g_assert_true (ap_test_call_wait_state (*call, "connected", CALL_TIMEOUT_MS));
  return dialog;
}

/**
 * ap_hostile_in_dialog:
 * @headers: (nullable): more header lines, each ending in CRLF
 * @body: (nullable): the body (@headers then names its Content-Type)
 *
 * Sends @method in @dialog; returns its final status, 0 when none came in
 * @timeout_ms (and at once for ACK).
 */
guint
ap_hostile_in_dialog (ApRawSip *raw, ApHostileDialog *dialog, const char *method,
                      const char *headers, const char *body, guint timeout_ms)
{
  gboolean ack = g_str_equal (method, "ACK");
  g_autofree char *tmpl = g_strdup_printf (
    "%s %s SIP/2.0\r\n"
    "Via: SIP/2.0/$TRANSPORT $LOCAL;branch=$BRANCH;rport\r\n"
    "Max-Forwards: 70\r\n"
    "From: <sip:hostile@$LOCAL>;tag=h1\r\n"
    "To: %s\r\n"
    "Call-ID: $CALLID\r\n"
    "CSeq: %u %s\r\n"
    "Contact: <sip:hostile@$LOCAL;transport=$LTRANSPORT>\r\n"
    "%s"
    "Content-Length: $CLEN\r\n\r\n",
    method, dialog->target, dialog->to, ack ? 1 : ++dialog->cseq, method, headers ? headers : "");

  ap_raw_sip_send_text (raw, tmpl, dialog->call_id, body);
  if (ack)
    return 0;
  return ap_raw_sip_wait_final (raw, dialog->call_id, method, timeout_ms, NULL);
}

void
ap_hostile_dialog_free (ApHostileDialog *dialog)
{
  if (dialog == NULL)
    return;
  g_free (dialog->call_id);
  g_free (dialog->to);
  g_free (dialog->target);
  g_free (dialog->answer);
  g_free (dialog);
}

/** ap_hostile_rss_kib: the phone's resident set size (VmRSS), in KiB */
gsize
ap_hostile_rss_kib (ApHostile *h)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", ap_test_phone_get_pid (h->phone));
  g_autofree char *text = NULL;
  const char *line;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  line = strstr (text, "VmRSS:");
  g_assert_nonnull (line);
  return g_ascii_strtoull (line + strlen ("VmRSS:"), NULL, 10);
}
