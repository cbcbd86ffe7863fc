/* ap-test-rawsip.c: a raw SIP sender and collector for hostile-input tests.
 * Templates name the peer and transport with placeholders:
 *   $LOCAL (our 127.0.0.1:port), $REMOTE (the phone's), $TRANSPORT (UDP or
 *   TCP), $LTRANSPORT (udp or tcp), $CALLID, $BRANCH (a fresh z9hG4bK
 *   branch), $IBRANCH (the same branch for every message of a Call-ID: an
 *   INVITE and its CANCEL), $CLEN (the body's length); the body follows the
 *   template as is. */
#include "ap-test-rawsip.h"

#include <string.h>

#include "ap-test-harness.h"

struct _ApRawSip {
  GSocket *socket;
  gboolean tcp;
  guint port;
  guint remote_port;
  GSocketAddress *remote;
  GString *stream; /* TCP bytes not yet split into messages */
  GPtrArray *received;
};

/* ---- parsing ----------------------------------------------------------- */

/**
 * ap_raw_sip_header:
 * Returns: (nullable): the value of header @name (or its compact form when
 *   @name is one letter long is not needed: pass either), trimmed.
 */
char *
ap_raw_sip_header (const char *message, const char *name)
{
  g_auto (GStrv) lines = g_strsplit (message, "\r\n", -1);
  gsize n = strlen (name);

  for (guint i = 1; lines[i] && lines[i][0]; i++)
    if (g_ascii_strncasecmp (lines[i], name, n) == 0)
      {
        const char *p = lines[i] + n;

        while (*p == ' ' || *p == '\t')
          p++;
        if (*p == ':')
          return g_strstrip (g_strdup (p + 1));
      }
  return NULL;
}

/** ap_raw_sip_status: a response's status code; 0 for a request */
guint
ap_raw_sip_status (const char *message)
{
  if (!g_str_has_prefix (message, "SIP/2.0 "))
    return 0;
  return (guint) g_ascii_strtoull (message + 8, NULL, 10);
}

/* Length of the first complete message in @buf, or 0 when incomplete. */
static gsize
message_length (const char *buf, gsize len)
{
  g_autofree char *head = NULL;
  g_autofree char *clen = NULL;
  const char *end = g_strstr_len (buf, len, "\r\n\r\n");
  gsize body = 0;

  if (end == NULL)
    return 0;
  head = g_strndup (buf, end - buf + 2);
  clen = ap_raw_sip_header (head, "Content-Length");
  if (clen == NULL)
    clen = ap_raw_sip_header (head, "l");
  if (clen)
    body = g_ascii_strtoull (clen, NULL, 10);
  if ((gsize) (end + 4 - buf) + body > len)
    return 0;
  return end + 4 - buf + body;
}

/* ---- sending and receiving --------------------------------------------- */

/** ap_raw_sip_reply: answers @request with @code, no body */
void
ap_raw_sip_reply (ApRawSip *raw, const char *request, guint code, const char *phrase)
{
  g_autoptr (GString) out = g_string_new (NULL);
  static const char *copy[] = { "Via", "From", "To", "Call-ID", "CSeq" };

  g_string_append_printf (out, "SIP/2.0 %u %s\r\n", code, phrase);
  for (guint i = 0; i < G_N_ELEMENTS (copy); i++)
    {
      g_autofree char *value = ap_raw_sip_header (request, copy[i]);

      if (value)
        g_string_append_printf (out, "%s: %s\r\n", copy[i], value);
    }
  g_string_append (out, "Content-Length: 0\r\n\r\n");
  ap_raw_sip_send (raw, out->str, out->len);
}

/* A final refusal of an INVITE is acknowledged in its transaction, as a
 * user agent would, so the phone stops retransmitting it. */
static void
ack_refusal (ApRawSip *raw, const char *response)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_autofree char *cseq = ap_raw_sip_header (response, "CSeq");
  static const char *copy[] = { "Via", "From", "To", "Call-ID" };

  g_string_append_printf (out, "ACK sip:agent@127.0.0.1:%u SIP/2.0\r\n", raw->remote_port);
  for (guint i = 0; i < G_N_ELEMENTS (copy); i++)
    {
      g_autofree char *value = ap_raw_sip_header (response, copy[i]);

      if (value)
        g_string_append_printf (out, "%s: %s\r\n", copy[i], value);
    }
  g_string_append_printf (out, "CSeq: %u ACK\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n",
                          (guint) g_ascii_strtoull (cseq, NULL, 10));
  ap_raw_sip_send (raw, out->str, out->len);
}

static void
take (ApRawSip *raw, char *message)
{
  g_autofree char *cseq = ap_raw_sip_header (message, "CSeq");

  if (ap_raw_sip_status (message) >= 300 && cseq && g_str_has_suffix (cseq, " INVITE"))
    ack_refusal (raw, message);
  /* The phone's own requests that need no decision (NOTIFY after a REFER,
   * a BYE) are answered, so they do not stay in retransmission. */
  if (g_str_has_prefix (message, "NOTIFY ") || g_str_has_prefix (message, "BYE "))
    ap_raw_sip_reply (raw, message, 200, "OK");
  g_ptr_array_add (raw->received, message);
}

/* Reads whatever has arrived, without blocking. */
static void
pump (ApRawSip *raw)
{
  char buf[70000];

  for (;;)
    {
      gssize n
        = g_socket_receive_with_blocking (raw->socket, buf, sizeof buf - 1, FALSE, NULL, NULL);
      gsize len;

      if (n <= 0)
        return;
      if (!raw->tcp)
        {
          take (raw, g_strndup (buf, n));
          continue;
        }
      g_string_append_len (raw->stream, buf, n);
      while ((len = message_length (raw->stream->str, raw->stream->len)) > 0)
        {
          take (raw, g_strndup (raw->stream->str, len));
          g_string_erase (raw->stream, 0, len);
        }
    }
}

/**
 * ap_raw_sip_new:
 * @tcp: TCP (connected at once) rather than UDP
 * @remote_port: the phone's SIP port on 127.0.0.1
 */
ApRawSip *
ap_raw_sip_new (gboolean tcp, guint remote_port)
{
  ApRawSip *raw = g_new0 (ApRawSip, 1);
  g_autoptr (GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autoptr (GError) error = NULL;

  raw->tcp = tcp;
  raw->remote_port = remote_port;
  raw->remote = g_inet_socket_address_new (lo, remote_port);
  raw->stream = g_string_new (NULL);
  raw->received = g_ptr_array_new_with_free_func (g_free);
  raw->socket
    = g_socket_new (G_SOCKET_FAMILY_IPV4, tcp ? G_SOCKET_TYPE_STREAM : G_SOCKET_TYPE_DATAGRAM,
                    tcp ? G_SOCKET_PROTOCOL_TCP : G_SOCKET_PROTOCOL_UDP, &error);
  g_assert_no_error (error);
  g_socket_bind (raw->socket, any, FALSE, &error);
  g_assert_no_error (error);
  if (tcp)
    {
      g_socket_connect (raw->socket, raw->remote, NULL, &error);
      g_assert_no_error (error);
    }
  bound = g_socket_get_local_address (raw->socket, &error);
  g_assert_no_error (error);
  raw->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  return raw;
}

guint
ap_raw_sip_get_port (ApRawSip *raw)
{
  return raw->port;
}

const char *
ap_raw_sip_get_transport (ApRawSip *raw)
{
  return raw->tcp ? "TCP" : "UDP";
}

/** ap_raw_sip_expand: @tmpl with its placeholders filled, then @body */
char *
ap_raw_sip_expand (ApRawSip *raw, const char *tmpl, const char *call_id, const char *body)
{
  g_autoptr (GString) out = g_string_new (tmpl);
  g_autofree char *local = g_strdup_printf ("127.0.0.1:%u", raw->port);
  g_autofree char *remote = g_strdup_printf ("127.0.0.1:%u", raw->remote_port);
  g_autofree char *branch = g_strdup_printf ("z9hG4bK%08x", g_random_int ());
  g_autofree char *ibranch = g_strdup_printf ("z9hG4bKi%s", call_id ? call_id : "");
  g_autofree char *clen = g_strdup_printf ("%zu", body ? strlen (body) : 0);

  g_string_replace (out, "$LOCAL", local, 0);
  g_string_replace (out, "$REMOTE", remote, 0);
  g_string_replace (out, "$LTRANSPORT", raw->tcp ? "tcp" : "udp", 0);
  g_string_replace (out, "$TRANSPORT", ap_raw_sip_get_transport (raw), 0);
  g_string_replace (out, "$IBRANCH", ibranch, 0);
  g_string_replace (out, "$CALLID", call_id ? call_id : "", 0);
  g_string_replace (out, "$BRANCH", branch, 0);
  g_string_replace (out, "$CLEN", clen, 0);
  if (body)
    g_string_append (out, body);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/** ap_raw_sip_send: sends @len bytes as they are; whether all went out */
gboolean
ap_raw_sip_send (ApRawSip *raw, const char *data, gsize len)
{
  g_autoptr (GError) error = NULL;
  gsize sent = 0;

  while (sent < len)
    {
      gssize n = raw->tcp ? g_socket_send (raw->socket, data + sent, len - sent, NULL, &error)
                          : g_socket_send_to (raw->socket, raw->remote, data, len, NULL, &error);

      if (n < 0)
        {
          g_test_message ("raw send of %zu bytes: %s", len, error->message);
          return FALSE;
        }
      sent += n;
    }
  return TRUE;
}

void
ap_raw_sip_send_text (ApRawSip *raw, const char *tmpl, const char *call_id, const char *body)
{
  g_autofree char *text = ap_raw_sip_expand (raw, tmpl, call_id, body);

  g_assert_true (ap_raw_sip_send (raw, text, strlen (text)));
}

typedef struct {
  ApRawSip *raw;
  const char *call_id;
  const char *method;
  gboolean want_request;
  char *found;
} Wait;

static gboolean
matches (Wait *w, const char *message)
{
  g_autofree char *call_id = ap_raw_sip_header (message, "Call-ID");
  g_autofree char *cseq = NULL;
  guint status = ap_raw_sip_status (message);

  if (call_id == NULL)
    call_id = ap_raw_sip_header (message, "i");
  if (w->want_request)
    return status == 0 && g_str_has_prefix (message, w->method)
           && message[strlen (w->method)] == ' ';
  if (status < 200 || g_strcmp0 (call_id, w->call_id) != 0)
    return FALSE;
  if (w->method == NULL)
    return TRUE;
  cseq = ap_raw_sip_header (message, "CSeq");
  return cseq && g_str_has_suffix (cseq, w->method);
}

static gboolean
found (gpointer data)
{
  Wait *w = data;

  pump (w->raw);
  for (guint i = 0; i < w->raw->received->len; i++)
    if (matches (w, w->raw->received->pdata[i]))
      {
        w->found = g_strdup (w->raw->received->pdata[i]);
        /* An answered request's other messages stay for later waits. */
        g_free (g_ptr_array_steal_index (w->raw->received, i));
        return TRUE;
      }
  return FALSE;
}

/**
 * ap_raw_sip_wait_final:
 * @method: (nullable): the CSeq method the response must be for
 * @response: (out) (optional): the whole response
 *
 * Waits for a final response (200..699) for @call_id.
 * Returns: its status, or 0 when none came in @timeout_ms (dropped)
 */
guint
ap_raw_sip_wait_final (ApRawSip *raw, const char *call_id, const char *method, guint timeout_ms,
                       char **response)
{
  Wait w = { raw, call_id, method, FALSE, NULL };
  guint status;

  if (!ap_test_run_until (found, &w, timeout_ms))
    return 0;
  status = ap_raw_sip_status (w.found);
  if (response)
    *response = w.found;
  else
    g_free (w.found);
  return status;
}

/** ap_raw_sip_wait_request: the next request @method the phone sends us, or %NULL */
char *
ap_raw_sip_wait_request (ApRawSip *raw, const char *method, guint timeout_ms)
{
  Wait w = { raw, NULL, method, TRUE, NULL };

  if (!ap_test_run_until (found, &w, timeout_ms))
    return NULL;
  return w.found;
}

/** ap_raw_sip_invite_accepted: whether a 2xx to an INVITE is among the messages not taken */
gboolean
ap_raw_sip_invite_accepted (ApRawSip *raw)
{
  pump (raw);
  for (guint i = 0; i < raw->received->len; i++)
    {
      g_autofree char *cseq = ap_raw_sip_header (raw->received->pdata[i], "CSeq");

      if (ap_raw_sip_status (raw->received->pdata[i]) / 100 == 2 && cseq
          && g_str_has_suffix (cseq, "INVITE"))
        return TRUE;
    }
  return FALSE;
}

/** ap_raw_sip_count_received: messages received and not taken by a wait */
guint
ap_raw_sip_count_received (ApRawSip *raw)
{
  pump (raw);
  return raw->received->len;
}

void
ap_raw_sip_free (ApRawSip *raw)
{
  if (raw == NULL)
    return;
  g_socket_close (raw->socket, NULL);
  g_object_unref (raw->socket);
  g_object_unref (raw->remote);
  g_string_free (raw->stream, TRUE);
  g_ptr_array_unref (raw->received);
  g_free (raw);
}
