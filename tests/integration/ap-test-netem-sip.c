/* ap-test-netem-sip.c: the SIP half of the impairment relay, a stateless
 * proxy in front of the callee.
 *
 * A request (the INVITE, and a CANCEL or ACK of it) is retargeted to the
 * callee and gets our Via on top, so its responses come back here; a
 * response loses our Via and goes to the next one. No Record-Route: ACK of
 * a 200, BYE and re-INVITEs go straight between the two, which is all the
 * impairment needs. The caller's offer and the callee's answer are
 * rewritten to the relay's ports (c= and m=audio, Content-Length fixed),
 * and where each side really wants its media is handed to the relay. */
#include "ap-test-netem-private.h"

#include <string.h>

#define MAX_MESSAGE 8192
#define VIA_BRANCH "z9hG4bKnetem"

static gboolean
header_is (const char *line, const char *name, const char *compact)
{
  gsize len = strlen (name);
  const char *rest;

  if (g_ascii_strncasecmp (line, name, len) == 0)
    rest = line + len;
  else if (g_ascii_strncasecmp (line, compact, 1) == 0)
    rest = line + 1;
  else
    return FALSE;
  while (*rest == ' ' || *rest == '\t')
    rest++;
  return *rest == ':';
}

static const char *
header_value (const char *line)
{
  const char *value = strchr (line, ':') + 1;

  while (*value == ' ' || *value == '\t')
    value++;
  return value;
}

/* "SIP/2.0/UDP host:port;received=…;rport=…" → where to send a response. */
static gboolean
via_destination (const char *via, char **host, guint *port)
{
  g_auto (GStrv) params = NULL;
  const char *sent_by = strchr (via, ' ');
  const char *colon;

  if (sent_by == NULL)
    return FALSE;
  params = g_strsplit (sent_by + 1, ";", -1);
  colon = strchr (params[0], ':');
  *host = colon != NULL ? g_strndup (params[0], colon - params[0]) : g_strdup (params[0]);
  *port = colon != NULL ? (guint) g_ascii_strtoull (colon + 1, NULL, 10) : 5060;
  for (guint i = 1; params[i] != NULL; i++)
    {
      g_strstrip (params[i]);
      if (g_str_has_prefix (params[i], "received="))
        {
          g_free (*host);
          *host = g_strdup (params[i] + strlen ("received="));
        }
      else if (g_str_has_prefix (params[i], "rport=") && params[i][6] != '\0')
        *port = (guint) g_ascii_strtoull (params[i] + 6, NULL, 10);
    }
  return *port > 0 && *port < 65536;
}

/* Replaces the audio address and port of @sdp with the relay's @port;
 * returns the new body and, through @host and @old_port, what it said. */
static char *
rewrite_sdp (const char *sdp, guint port, char **host, guint *old_port)
{
  g_auto (GStrv) lines = g_strsplit (sdp, "\r\n", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      if (g_str_has_prefix (line, "c=IN IP4 "))
        {
          g_free (*host);
          *host = g_strdup (line + strlen ("c=IN IP4 "));
          g_string_append (out, "c=IN IP4 127.0.0.1");
        }
      else if (g_str_has_prefix (line, "m=audio ") && *old_port == 0)
        {
          char *end = NULL;

          *old_port = (guint) g_ascii_strtoull (line + strlen ("m=audio "), &end, 10);
          g_string_append_printf (out, "m=audio %u%s", port, end);
        }
      else
        g_string_append (out, line);
      if (lines[i + 1] != NULL)
        g_string_append (out, "\r\n");
    }
  return g_string_free (out, FALSE);
}

/* Rebuilds @head + @body with Content-Length fixed for @body. */
static GString *
assemble (GPtrArray *head, const char *body)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < head->len; i++)
    {
      const char *line = g_ptr_array_index (head, i);

      if (header_is (line, "Content-Length", "l"))
        g_string_append_printf (out, "Content-Length: %zu\r\n", strlen (body));
      else
        g_string_append_printf (out, "%s\r\n", line);
    }
  g_string_append_printf (out, "\r\n%s", body);
  return out;
}

/* An SDP passing from @side: the relay learns its media address, and the
 * other side is told to use the relay's leg for the other direction. */
static char *
relay_sdp (ApTestNetem *netem, ApTestNetemDirection side, const char *body)
{
  g_autoptr (GSocketAddress) local = NULL;
  g_autofree char *host = NULL;
  guint old_port = 0;
  char *rewritten;

  if (strstr (body, "m=audio ") == NULL)
    return g_strdup (body);
  local = g_socket_get_local_address (netem->legs[1 - side].rtp, NULL);
  rewritten = rewrite_sdp (body, g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)),
                           &host, &old_port);
  g_assert_nonnull (host);
  g_assert_cmpuint (old_port, >, 0);
  ap_test_netem_learn_peer (netem, side, host, old_port);
  return rewritten;
}

static void
send_message (ApTestNetem *netem, GString *message, const char *host, guint port)
{
  g_autoptr (GInetAddress) address = g_inet_address_new_from_string (host);
  g_autoptr (GSocketAddress) to = NULL;

  if (address == NULL)
    {
      g_test_message ("netem proxy: cannot send to “%s”", host);
      return;
    }
  to = g_inet_socket_address_new (address, port);
  g_socket_send_to (netem->sip, to, message->str, message->len, NULL, NULL);
}

/* A request: ours on top of the Via, on to the callee. */
static void
forward_request (ApTestNetem *netem, GPtrArray *head, const char *body)
{
  g_auto (GStrv) request_line = g_strsplit (g_ptr_array_index (head, 0), " ", 3);
  g_autofree char *new_body = NULL;
  g_autofree char *user = NULL; /* with its '@' */
  const char *at;
  guint via = 0;
  g_autoptr (GString) message = NULL;

  g_assert_cmpuint (g_strv_length (request_line), ==, 3);
  at = strchr (request_line[1], '@');
  for (guint i = 1; i < head->len && via == 0; i++)
    if (header_is (g_ptr_array_index (head, i), "Via", "v"))
      via = i;
  g_assert_cmpuint (via, >, 0);
  /* Retargeted as a registrar's proxy would: the callee takes only what is
   * addressed to it. */
  if (g_str_has_prefix (request_line[1], "sip:") && at != NULL)
    user = g_strndup (request_line[1] + 4, at + 1 - (request_line[1] + 4));
  g_free (g_ptr_array_index (head, 0));
  head->pdata[0] = g_strdup_printf ("%s sip:%s127.0.0.1:%u %s", request_line[0],
                                    user != NULL ? user : "", netem->callee_port, request_line[2]);
  /* One branch per incoming branch, so a CANCEL matches its INVITE. */
  g_ptr_array_insert (head, 1,
                      g_strdup_printf ("Via: SIP/2.0/UDP 127.0.0.1:%u;branch=" VIA_BRANCH "%08x",
                                       netem->sip_port,
                                       g_str_hash (header_value (g_ptr_array_index (head, via)))));
  new_body = relay_sdp (netem, AP_TEST_NETEM_TO_CALLER, body);
  message = assemble (head, new_body);
  send_message (netem, message, "127.0.0.1", netem->callee_port);
}

/* A response: our Via off, on to the next one. */
static void
forward_response (ApTestNetem *netem, GPtrArray *head, const char *body)
{
  g_autofree char *host = NULL;
  g_autofree char *new_body = NULL;
  g_autoptr (GString) message = NULL;
  guint port = 0;
  gboolean ours = FALSE;

  for (guint i = 1; i < head->len; i++)
    {
      const char *line = g_ptr_array_index (head, i);

      if (!header_is (line, "Via", "v"))
        continue;
      if (!ours)
        {
          if (strstr (line, VIA_BRANCH) == NULL)
            return; /* not through us: not ours to route */
          g_ptr_array_remove_index (head, i--);
          ours = TRUE;
          continue;
        }
      if (!via_destination (header_value (line), &host, &port))
        return;
      break;
    }
  if (host == NULL)
    return;
  new_body = relay_sdp (netem, AP_TEST_NETEM_TO_CALLEE, body);
  message = assemble (head, new_body);
  send_message (netem, message, host, port);
}

static void
handle_message (ApTestNetem *netem, const char *text)
{
  const char *split = strstr (text, "\r\n\r\n");
  g_autofree char *head_text = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GPtrArray) head = g_ptr_array_new_with_free_func (g_free);

  if (split == NULL)
    return; /* keep-alive or garbage */
  head_text = g_strndup (text, split - text);
  lines = g_strsplit (head_text, "\r\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    g_ptr_array_add (head, g_strdup (lines[i]));
  if (g_str_has_prefix (text, "SIP/2.0 "))
    forward_response (netem, head, split + 4);
  else
    forward_request (netem, head, split + 4);
}

static gboolean
on_sip_readable (GSocket *socket, GIOCondition condition, gpointer data)
{
  char buffer[MAX_MESSAGE + 1];
  gssize size;

  while ((size = g_socket_receive_from (socket, NULL, buffer, MAX_MESSAGE, NULL, NULL)) >= 0)
    {
      buffer[size] = '\0';
      handle_message (data, buffer);
    }
  return G_SOURCE_CONTINUE;
}

/* Before the relay thread starts. */
void
ap_test_netem_sip_start (ApTestNetem *netem)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSource) source = NULL;
  g_autoptr (GSocketAddress) local = NULL;

  netem->sip = ap_test_netem_bind_udp (0, &error);
  g_assert_no_error (error);
  local = g_socket_get_local_address (netem->sip, &error);
  g_assert_no_error (error);
  netem->sip_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  source = g_socket_create_source (netem->sip, G_IO_IN, NULL);
  g_source_set_callback (source, G_SOURCE_FUNC (on_sip_readable), netem, NULL);
  g_source_attach (source, netem->context);
}

/* After the relay thread ended. */
void
ap_test_netem_sip_stop (ApTestNetem *netem)
{
  g_clear_object (&netem->sip);
}
