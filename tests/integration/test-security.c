/* Security checks against a real agentphone: no password or SRTP key in
 * any log (G_MESSAGES_DEBUG=all), the DBus interface refuses bad arguments
 * with contract errors and stays as it was, and the files it writes are
 * for the user alone. */
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#include "ap-test-hostile.h"

#define CALL_TIMEOUT_MS 10000
#define PHONE_PATH "/io/github/agentphone/Agentphone"
#define PHONE_IFACE "io.github.agentphone.Phone"
#define CALL_IFACE "io.github.agentphone.Call"
#define INVALID_ARGUMENT "io.github.agentphone.Error.InvalidArgument"
#define INVALID_ARGS "org.freedesktop.DBus.Error.InvalidArgs"

/* Our key for the far end's offer (30 bytes, base64). */
#define OUR_KEY "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz"

static const char srtp_offer[] = "v=0\r\n"
                                 "o=- 1 1 IN IP4 127.0.0.1\r\n"
                                 "s=-\r\n"
                                 "c=IN IP4 127.0.0.1\r\n"
                                 "t=0 0\r\n"
                                 "m=audio 40000 RTP/SAVP 8\r\n"
                                 "a=rtpmap:8 PCMA/8000\r\n"
                                 "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" OUR_KEY "\r\n"
                                 "a=sendrecv\r\n";

/* The forms a key could leak in: base64, and its bytes in hex. */
static void
add_key_forms (GPtrArray *secrets, const char *base64)
{
  gsize len = 0;
  g_autofree guchar *bytes = g_base64_decode (base64, &len);
  GString *lower = g_string_new (NULL);

  g_assert_cmpuint (len, ==, 30);
  for (gsize i = 0; i < len; i++)
    g_string_append_printf (lower, "%02x", bytes[i]);
  g_ptr_array_add (secrets, g_strdup (base64));
  g_ptr_array_add (secrets, g_ascii_strup (lower->str, -1));
  g_ptr_array_add (secrets, g_string_free (lower, FALSE));
  /* Just the key's first half, base64: a truncated print still leaks. */
  g_ptr_array_add (secrets, g_strndup (base64, 20));
}

/* A registration with a password and an SRTP call, all logged at debug
 * level: neither the password, nor the digest response, nor either SRTP
 * key appears anywhere in what the phone wrote. */
static void
test_no_secrets_in_logs (ApHostile *h, gconstpointer data)
{
  g_autoptr (ApTestKamailio) kamailio = ap_test_kamailio_new (FALSE);
  g_autoptr (ApRawSip) raw = ap_raw_sip_new (FALSE, h->port);
  g_autoptr (ApDbusCall) call = NULL;
  g_autoptr (ApHostileDialog) d = NULL;
  g_autoptr (GPtrArray) secrets = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *log = NULL;
  g_autofree char *their_key = NULL;
  const char *inline_key;
  gsize log_len = 0;

  ap_test_kamailio_start (kamailio);
  ap_test_phone_register (h->phone, kamailio, "1001");
  ap_hostile_set_answer_mode (h, "auto-answer");
  d = ap_hostile_connect_sdp (h, raw, srtp_offer, &call);
  inline_key = strstr (d->answer, "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:");
  g_assert_nonnull (inline_key);
  inline_key += strlen ("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:");
  their_key = g_strndup (inline_key, 40);
  /* The pipeline starts with both keys (no RTP comes from us). */
  ap_test_sleep (1500);
  g_assert_cmpuint (ap_hostile_in_dialog (raw, d, "BYE", NULL, NULL, 5000), ==, 200);
  g_assert_true (ap_test_call_wait_state (call, "ended", CALL_TIMEOUT_MS));

  g_ptr_array_add (secrets, g_strdup ("pass1001"));
  g_ptr_array_add (secrets, g_strdup ("response=\""));
  add_key_forms (secrets, OUR_KEY);
  add_key_forms (secrets, their_key);
  g_assert_true (g_file_get_contents (ap_test_phone_get_log (h->phone), &log, &log_len, NULL));
  /* It did log at debug level, SIP and media alike: the check is real. */
  g_assert_nonnull (strstr (log, "-DEBUG"));
  g_assert_nonnull (strstr (log, "Agentphone-sip"));
  g_assert_nonnull (strstr (log, "Agentphone-media"));
  g_test_message ("%zu bytes of log searched for %u secrets", log_len, secrets->len);
  for (guint i = 0; i < secrets->len; i++)
    if (strstr (log, secrets->pdata[i]))
      g_error ("“%s” is in the log %s", (char *) secrets->pdata[i],
               ap_test_phone_get_log (h->phone));
  /* Nor in any file under the phone's home (settings, history, caches). */
  for (guint i = 0; i < secrets->len; i++)
    {
      g_autofree char *where = NULL;

      if (g_str_has_prefix (secrets->pdata[i], "response="))
        continue;
      if (ap_test_tree_contains (ap_test_phone_get_home (h->phone), secrets->pdata[i], &where)
          && !g_str_has_suffix (where, ".log"))
        g_error ("“%s” is written in %s", (char *) secrets->pdata[i], where);
    }
}

/* ---- TLS --------------------------------------------------------------- */

static void
register_1002 (ApHostile *h)
{
  g_autoptr (GError) error = NULL;

  ap_dbus_phone_call_register_sync (ap_test_phone_get_proxy (h->phone), "sip:1002@127.0.0.1",
                                    "1002", "pass1002", NULL, &error);
  g_assert_no_error (error);
}

static void
run_in (const char *dir, const char *const *argv)
{
  g_autoptr (GError) error = NULL;
  int status = -1;

  g_spawn_sync (dir, (char **) argv, NULL,
                G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

/* Certificates in @dir: ca.crt signing wrong.crt (CN=wrong.example.com),
 * and self.crt (CN=127.0.0.1, self-signed). */
static void
make_certificates (const char *dir)
{
  const char *ca[] = { "openssl", "req",    "-x509", "-newkey", "rsa:2048",
                       "-nodes",  "-days",  "2",     "-subj",   "/CN=Agentphone Wrong-Host CA",
                       "-keyout", "ca.key", "-out",  "ca.crt",  NULL };
  const char *csr[]
    = { "openssl", "req",       "-newkey", "rsa:2048",  "-nodes", "-subj", "/CN=wrong.example.com",
        "-keyout", "wrong.key", "-out",    "wrong.csr", NULL };
  const char *sign[] = { "openssl", "x509",   "-req",   "-in",       "wrong.csr",
                         "-CA",     "ca.crt", "-CAkey", "ca.key",    "-CAcreateserial",
                         "-days",   "2",      "-out",   "wrong.crt", NULL };
  const char *self[]
    = { "openssl", "req",           "-x509",   "-newkey",  "rsa:2048", "-nodes",   "-days", "2",
        "-subj",   "/CN=127.0.0.1", "-keyout", "self.key", "-out",     "self.crt", NULL };

  run_in (dir, ca);
  run_in (dir, csr);
  run_in (dir, sign);
  run_in (dir, self);
}

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* A TLS server with certificate @name on 127.0.0.1:@port (it speaks no
 * SIP: what matters is whether the phone gets past the handshake). */
static GSubprocess *
tls_server (const char *dir, const char *name, guint port, char **log)
{
  g_autoptr (GSubprocessLauncher) launcher
    /* s_server quits at the end of its input: keep it open. */
    = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_MERGE | G_SUBPROCESS_FLAGS_STDIN_PIPE);
  g_autofree char *accept = g_strdup_printf ("127.0.0.1:%u", port);
  g_autofree char *cert = g_strdup_printf ("%s.crt", name);
  g_autofree char *key = g_strdup_printf ("%s.key", name);
  g_autoptr (GError) error = NULL;
  GSubprocess *server;

  *log = g_build_filename (dir, "s_server.log", NULL);
  g_subprocess_launcher_set_cwd (launcher, dir);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  g_subprocess_launcher_set_stdout_file_path (launcher, *log);
  server = g_subprocess_launcher_spawn (launcher, &error, "openssl", "s_server", "-accept", accept,
                                        "-cert", cert, "-key", key, NULL);
  g_assert_no_error (error);
  ap_test_sleep (500);
  return server;
}

/* The phone connected and went again. */
static gboolean
log_has_connection (gpointer path)
{
  g_autofree char *text = NULL;

  return g_file_get_contents (path, &text, NULL, NULL)
         && (strstr (text, "alert") != NULL || strstr (text, "CONNECTION CLOSED") != NULL);
}

/* Verification is on by default. A server whose certificate our CA signed
 * but for another name (wrong host), and one that signed its own
 * (self-signed, no CA file: the system's CAs), are refused: not one SIP
 * byte goes to them, and registration fails with a reason that says what
 * is wrong with the certificate. Kamailio with the right name
 * registers (tls-right-host), so it is the name and the signer. */
static void
test_tls_refused (ApHostile *h, gconstpointer data)
{
  gboolean wrong_host = GPOINTER_TO_INT (data);
  g_autofree char *dir = ap_test_make_dir ("tls");
  g_autofree char *ca = g_build_filename (dir, "ca.crt", NULL);
  g_autofree char *log = NULL;
  g_autofree char *text = NULL;
  g_autofree char *server_log = NULL;
  g_autoptr (GSubprocess) server = NULL;
  guint port = ap_test_free_port ();
  const char *reason;

  make_certificates (dir);
  server = tls_server (dir, wrong_host ? "wrong" : "self", port, &log);
  text = g_strdup_printf ("{'server': <'127.0.0.1:%u'>, 'transport': <'tls'>%s%s%s}", port,
                          wrong_host ? ", 'tls-ca-file': <'" : "", wrong_host ? ca : "",
                          wrong_host ? "'>" : "");
  ap_test_phone_configure (h->phone, text);
  register_1002 (h);
  g_assert_true (ap_test_phone_wait_registration (h->phone, "failed", 45000));
  reason = ap_dbus_phone_get_registration_reason (ap_test_phone_get_proxy (h->phone));
  g_test_message ("%s: %s", wrong_host ? "wrong host" : "self-signed", reason);
  g_assert_nonnull (strstr (reason, "TLS certificate was refused"));
  /* And it says which fault it was. */
  g_assert_nonnull (strstr (reason, wrong_host ? "another host name" : "trusted authority"));
  g_assert_true (ap_test_run_until (log_has_connection, log, 5000));
  g_assert_true (g_file_get_contents (log, &server_log, NULL, NULL));
  /* s_server prints what it receives: no SIP went over the connection
   * (sofia checks the name after the handshake and closes, or the
   * handshake fails with an alert). */
  if (strstr (server_log, "REGISTER"))
    g_error ("the phone sent SIP to an unverified server:\n%s", server_log);
  g_test_message ("the server saw %s", strstr (server_log, "alert")
                                         ? "an alert"
                                         : "the phone close the connection unused");
  g_subprocess_force_exit (server);
}

/* The same server reached by the name in its certificate registers: the
 * refusal above was the name, nothing else. */
static void
test_tls_right_host (ApHostile *h, gconstpointer data)
{
  g_autoptr (ApTestKamailio) kam = ap_test_kamailio_new (TRUE);
  g_autofree char *text = NULL;

  ap_test_kamailio_start (kam);
  text = g_strdup_printf ("{'server': <'127.0.0.1:%u'>, 'transport': <'tls'>, "
                          "'tls-ca-file': <'%s'>}",
                          ap_test_kamailio_get_tls_port (kam), ap_test_kamailio_get_ca_file (kam));
  ap_test_phone_configure (h->phone, text);
  register_1002 (h);
  g_assert_true (ap_test_phone_wait_registration (h->phone, "registered", 20000));
  g_assert_true (ap_test_kamailio_wait_contacts (kam, "1002", 1, 5000));
}

/* ---- DBus arguments ---------------------------------------------------- */

typedef struct {
  const char *iface;
  const char *method;
  const char *args; /* GVariant text */
  const char *error;
} BadCall;

/* Values of the right type that make no sense, and wrong types (which the
 * bus layer refuses as InvalidArgs before the phone sees them). */
static const BadCall phone_calls[] = {
  { PHONE_IFACE, "Dial", "('', @a{sv} {})", INVALID_ARGUMENT },
  { PHONE_IFACE, "Dial", "('not a sip address', @a{sv} {})", INVALID_ARGUMENT },
  { PHONE_IFACE, "Dial", "('sip:', @a{sv} {})", INVALID_ARGUMENT },
  { PHONE_IFACE, "Dial", "('sip:a@127.0.0.1\\r\\nX-Injected: 1', @a{sv} {})", INVALID_ARGUMENT },
  { PHONE_IFACE, "Dial", "('sip:a@127.0.0.1', {'anonymous': <'yes'>})", INVALID_ARGUMENT },
  { PHONE_IFACE, "Dial", "('sip:a@127.0.0.1', {'no-such-option': <1>})", INVALID_ARGUMENT },
  { PHONE_IFACE, "Dial", "('sip:a@127.0.0.1', {'headers': <{'Via': 'x'}>})", INVALID_ARGUMENT },
  { PHONE_IFACE, "Dial", "(uint32 5, @a{sv} {})", INVALID_ARGS },
  { PHONE_IFACE, "Dial", "('sip:a@127.0.0.1',)", INVALID_ARGS },
  { PHONE_IFACE, "SetAnswerMode", "('sometimes', uint32 0)", INVALID_ARGUMENT },
  { PHONE_IFACE, "SetAnswerMode", "('auto-answer', uint32 100000)", INVALID_ARGUMENT },
  { PHONE_IFACE, "SetAnswerMode", "('auto-answer', -1)", INVALID_ARGS },
  { PHONE_IFACE, "SetAgentState", "('asleep', uint32 0)", INVALID_ARGUMENT },
  { PHONE_IFACE, "SetAgentState", "('', uint32 0)", INVALID_ARGUMENT },
  { PHONE_IFACE, "SetAgentState", "(true, uint32 0)", INVALID_ARGS },
  { PHONE_IFACE, "Register", "('not a uri', '1001', 'pass')", INVALID_ARGUMENT },
  { PHONE_IFACE, "Register", "('sip:127.0.0.1', '', 'pass')", INVALID_ARGUMENT },
  { PHONE_IFACE, "Register", "('sip:1001@127.0.0.1',)", INVALID_ARGS },
  /* A bare name needs an account to complete it: NotRegistered. */
  { PHONE_IFACE, "SendMessage", "('nobody', 'hello')", "io.github.agentphone.Error.NotRegistered" },
  { PHONE_IFACE, "SendMessage", "('sip:a@127.0.0.1', '')", INVALID_ARGUMENT },
  { PHONE_IFACE, "Configure", "({'port': <'5060'>},)", INVALID_ARGUMENT },
  { PHONE_IFACE, "Configure", "({'local-port': <uint32 99999>},)", INVALID_ARGUMENT },
  { PHONE_IFACE, "Configure", "({'user-agent': <'a\\r\\nb'>},)", INVALID_ARGUMENT },
  { PHONE_IFACE, "Configure", "({'recordings-dir': <uint32 1>},)", INVALID_ARGUMENT },
  { PHONE_IFACE, "Configure", "('port',)", INVALID_ARGS },
  { PHONE_IFACE, "GetHistory", "('ten',)", INVALID_ARGS },
  { PHONE_IFACE, "NoSuchMethod", "()", "org.freedesktop.DBus.Error.UnknownMethod" },
};

/* On a ringing incoming call. */
static const BadCall call_calls[] = {
  { CALL_IFACE, "Reject", "(uint32 200,)", INVALID_ARGUMENT },
  { CALL_IFACE, "Reject", "(uint32 99,)", INVALID_ARGUMENT },
  { CALL_IFACE, "Reject", "(uint32 700,)", INVALID_ARGUMENT },
  { CALL_IFACE, "Reject", "('busy',)", INVALID_ARGS },
  { CALL_IFACE, "SendDtmf", "('hello',)", INVALID_ARGUMENT },
  { CALL_IFACE, "Transfer", "('',)", INVALID_ARGUMENT },
  { CALL_IFACE, "TransferToCall", "(objectpath '/no/such/call',)", NULL },
  { CALL_IFACE, "Answer", "(uint32 1,)", INVALID_ARGS },
  { CALL_IFACE, "SetMuted", "('yes',)", INVALID_ARGS },
};

static void
assert_refused (GDBusConnection *bus, const char *path, const BadCall *c)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GVariant) args = g_variant_ref_sink (g_variant_new_parsed (c->args));
  g_autofree char *name = NULL;

  reply = g_dbus_connection_call_sync (bus, "io.github.agentphone.Agentphone", path, c->iface,
                                       c->method, args, NULL, G_DBUS_CALL_FLAGS_NONE, 5000, NULL,
                                       &error);
  if (reply)
    g_error ("%s%s was accepted", c->method, c->args);
  name = g_dbus_error_get_remote_error (error);
  g_test_message ("%s%s: %s", c->method, c->args, error->message);
  if (c->error)
    g_assert_cmpstr (name, ==, c->error);
  else
    g_assert_true (g_str_has_prefix (name, "io.github.agentphone.Error."));
  /* A contract error says what was wrong, not just that something was. */
  g_dbus_error_strip_remote_error (error);
  g_assert_cmpuint (strlen (error->message), >, 10);
}

static GVariant *
snapshot (ApHostile *h)
{
  g_autoptr (GVariant) settings = NULL;
  g_auto (GStrv) calls = NULL;
  ApDbusPhone *proxy = ap_test_phone_get_proxy (h->phone);
  g_autoptr (GError) error = NULL;

  ap_dbus_phone_call_get_settings_sync (proxy, &settings, NULL, &error);
  g_assert_no_error (error);
  ap_dbus_phone_call_list_calls_sync (proxy, &calls, NULL, &error);
  g_assert_no_error (error);
  return g_variant_ref_sink (g_variant_new (
    "(@a{sv}^asss)", settings, calls, ap_dbus_phone_get_agent_state (proxy),
    ap_dbus_phone_get_answer_mode (proxy), ap_dbus_phone_get_registration_state (proxy)));
}

/* Every bad call is refused with a contract error (or InvalidArgs for a
 * wrong type), the phone stays up, and its settings, calls, agent state,
 * answer mode and registration are as they were. */
static void
test_dbus_bad_arguments (ApHostile *h, gconstpointer data)
{
  GDBusConnection *bus = ap_test_bus_get_connection (h->bus);
  g_autoptr (ApRawSip) raw = ap_raw_sip_new (FALSE, h->port);
  g_autoptr (GVariant) before = snapshot (h);
  g_autoptr (GVariant) after = NULL;
  g_autoptr (GVariant) ringing_before = NULL;
  g_autoptr (GVariant) ringing_after = NULL;
  g_autofree char *call_id = ap_hostile_call_id ("dbus");
  g_autofree char *path = NULL;
  g_autoptr (ApDbusCall) call = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (phone_calls); i++)
    assert_refused (bus, PHONE_PATH, &phone_calls[i]);
  after = snapshot (h);
  g_assert_true (g_variant_equal (before, after));

  /* A call that rings, for the Call methods. */
  ap_raw_sip_send_text (raw, AP_HOSTILE_INVITE, call_id, AP_HOSTILE_GOOD_SDP);
  path = ap_test_phone_wait_call_added (h->phone, CALL_TIMEOUT_MS);
  g_assert_nonnull (path);
  call = ap_test_phone_get_call (h->phone, path);
  g_assert_true (ap_test_call_wait_state (call, "incoming", CALL_TIMEOUT_MS));
  ringing_before = snapshot (h);
  for (guint i = 0; i < G_N_ELEMENTS (call_calls); i++)
    assert_refused (bus, path, &call_calls[i]);
  ringing_after = snapshot (h);
  g_assert_true (g_variant_equal (ringing_before, ringing_after));
  g_assert_cmpstr (ap_dbus_call_get_state (call), ==, "incoming");
  /* A call that is not there. */
  {
    const BadCall gone = { CALL_IFACE, "Hangup", "()", NULL };
    g_autoptr (GError) error = NULL;
    g_autoptr (GVariant) reply = g_dbus_connection_call_sync (
      bus, "io.github.agentphone.Agentphone", PHONE_PATH "/calls/999999", gone.iface, gone.method,
      NULL, NULL, G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &error);

    g_assert_null (reply);
    g_test_message ("Hangup on a call that is not there: %s", error->message);
    g_assert_true (g_dbus_error_is_remote_error (error));
  }
  ap_test_call_hangup (call);
  g_assert_true (ap_test_call_wait_state (call, "ended", CALL_TIMEOUT_MS));
  g_assert_cmpint (kill (ap_test_phone_get_pid (h->phone), 0), ==, 0);
}

/* ---- file modes -------------------------------------------------------- */

static void
assert_private (const char *path, guint mode)
{
  struct stat st;

  g_assert_cmpint (stat (path, &st), ==, 0);
  g_test_message ("%s: %o", path, st.st_mode & 0777);
  if ((st.st_mode & 0777) != mode)
    g_error ("%s has mode %o, not %o", path, st.st_mode & 0777, mode);
}

/* Settings and history, and the folders they are in: the user's alone,
 * whatever the umask. */
static void
test_file_modes (ApHostile *h, gconstpointer data)
{
  const char *home = ap_test_phone_get_home (h->phone);
  g_autofree char *config_dir = g_build_filename (home, "config", "agentphone", NULL);
  g_autofree char *settings = g_build_filename (config_dir, "settings.json", NULL);
  g_autofree char *data_dir = g_build_filename (home, "data", "agentphone", NULL);
  g_autofree char *history = g_build_filename (data_dir, "history.json", NULL);
  g_autoptr (ApRawSip) raw = ap_raw_sip_new (FALSE, h->port);
  g_autoptr (ApDbusCall) call = NULL;
  g_autoptr (ApHostileDialog) d = NULL;

  /* A settings change and a finished call make the phone write both. */
  ap_test_phone_configure (h->phone, "{'ring-timeout': <uint32 30>}");
  ap_hostile_set_answer_mode (h, "auto-answer");
  d = ap_hostile_connect (h, raw, &call);
  g_assert_cmpuint (ap_hostile_in_dialog (raw, d, "BYE", NULL, NULL, 5000), ==, 200);
  g_assert_true (ap_test_call_wait_state (call, "ended", CALL_TIMEOUT_MS));
  g_assert_true (ap_test_run_until (ap_test_file_exists, history, 5000));
  assert_private (settings, 0600);
  assert_private (config_dir, 0700);
  assert_private (history, 0600);
  assert_private (data_dir, 0700);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  signal (SIGPIPE, SIG_IGN);
  /* The phones inherit it: modes must come from the phone, not the umask. */
  umask (0);

  g_test_add ("/security/no-secrets-in-logs", ApHostile, NULL, ap_hostile_setup,
              test_no_secrets_in_logs, ap_hostile_teardown);
  g_test_add ("/security/dbus-bad-arguments", ApHostile, NULL, ap_hostile_setup,
              test_dbus_bad_arguments, ap_hostile_teardown);
  g_test_add ("/security/tls-wrong-host-refused", ApHostile, GINT_TO_POINTER (TRUE),
              ap_hostile_setup, test_tls_refused, ap_hostile_teardown);
  g_test_add ("/security/tls-self-signed-refused", ApHostile, GINT_TO_POINTER (FALSE),
              ap_hostile_setup, test_tls_refused, ap_hostile_teardown);
  g_test_add ("/security/tls-right-host", ApHostile, NULL, ap_hostile_setup, test_tls_right_host,
              ap_hostile_teardown);
  g_test_add ("/security/file-modes", ApHostile, NULL, ap_hostile_setup, test_file_modes,
              ap_hostile_teardown);
  return g_test_run ();
}
