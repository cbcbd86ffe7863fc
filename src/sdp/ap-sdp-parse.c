/* ap-sdp-parse.c: reading SDP with sofia's parser, guarded against what
 * makes Debian's sofia-sip misbehave. Private to src/sdp. */
#define G_LOG_DOMAIN "Agentphone-sdp"

#include "ap-sdp-private.h"

#include <stdarg.h>
#include <string.h>

#include "ap-error.h"

void
ap_sdp_parsed_clear (ApSdpParsed *parsed)
{
  /* The parser's memory is a child of @home: free it first. */
  g_clear_pointer (&parsed->parser, sdp_parser_free);
  g_clear_pointer (&parsed->home, su_home_unref);
  parsed->sdp = NULL;
}

gboolean
ap_sdp_fail (GError **error, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT, message);
  return FALSE;
}

#define TOKEN_CHARS                                                                                \
  "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-!#$%&'*+.^_`{|}~"

/* One field of an m= line: <media> <port>[/<count>] <proto> <fmt> ... */
static gboolean
media_field_is_valid (const char *field, gsize len, guint index)
{
  gsize n;

  switch (index)
    {
    case 0:
      return strspn (field, TOKEN_CHARS) >= len;
    case 1:
      n = strspn (field, "0123456789");
      if (n > 0 && n < len && field[n] == '/')
        n += 1 + strspn (field + n + 1, "0123456789");
      return n > 0 && n >= len && field[len - 1] != '/';
    case 2:
      return strspn (field, TOKEN_CHARS "/") >= len;
    default:
      return strspn (field, TOKEN_CHARS) >= len;
    }
}

/* Debian's sofia-sip (1.12.11) loops, allocating without end, on an m= line
 * of a transport it does not know whose format list holds anything but
 * tokens (`m=audio 4000 FOO 0 ;`): one such offer would eat all memory. So
 * every m= line is checked against RFC 4566's grammar before sofia sees it. */
static gboolean
media_lines_are_valid (const char *text)
{
  for (const char *line = text; *line != '\0';)
    {
      gsize len = strcspn (line, "\r\n");
      const char *end = line + len;
      const char *p = line + strspn (line, " \t");

      if (p + 1 < end && p[0] == 'm' && p[1] == '=')
        {
          guint index = 0;

          p += 2;
          for (p += strspn (p, " \t"); p < end; p += strspn (p, " \t"))
            {
              gsize field = strcspn (p, " \t\r\n");

              if (!media_field_is_valid (p, field, index++))
                return FALSE;
              p += field;
            }
        }
      line = end + strspn (end, "\r\n");
    }
  return TRUE;
}

/* The same sofia loop also starts on blanks after an unknown transport with
 * no format at all (`m=video 9 FOO<TAB>`): its format reader skips the tab,
 * finds no token and never moves on. Blanks at the end of a line mean
 * nothing in SDP, so they are cut before sofia reads the text. */
static char *
strip_line_end_blanks (const char *text)
{
  GString *out = g_string_sized_new (strlen (text));

  for (const char *line = text; *line != '\0';)
    {
      gsize len = strcspn (line, "\r\n");
      gsize keep = len;
      gsize breaks;

      while (keep > 0 && (line[keep - 1] == ' ' || line[keep - 1] == '\t'))
        keep--;
      g_string_append_len (out, line, keep);
      breaks = strspn (line + len, "\r\n");
      g_string_append_len (out, line + len, breaks);
      line += len + breaks;
    }
  return g_string_free (out, FALSE);
}

gboolean
ap_sdp_parse (ApSdpParsed *parsed, const char *text, const char *what, GError **error)
{
  g_autofree char *clean = NULL;
  const char *why;

  if (!media_lines_are_valid (text))
    return ap_sdp_fail (
      error, "The %s is not a valid session description (SDP): a malformed m= line", what);
  parsed->home = su_home_new (sizeof (su_home_t));
  if (parsed->home == NULL)
    g_error ("Out of memory for an SDP parser");
  /* Not sdp_f_strict: phones in the field send small faults (a missing t=,
   * stray spaces) that cost nothing to accept. Not the parser's check for c=
   * either: only the stream we use needs one, and our message is clearer. */
  clean = strip_line_end_blanks (text);
  parsed->parser = sdp_parse (parsed->home, clean, (issize_t) strlen (clean), sdp_f_c_missing);
  parsed->sdp = sdp_session (parsed->parser);
  if (parsed->sdp != NULL)
    return TRUE;
  why = sdp_parsing_error (parsed->parser);
  return ap_sdp_fail (error, "The %s is not a valid session description (SDP): %s", what,
                      why ? why : "unknown error");
}

ApSdpProto
ap_sdp_media_proto (const sdp_media_t *m)
{
  const char *name = m->m_proto_name ? m->m_proto_name : "";
  g_autofree char *upper = g_ascii_strup (name, -1);

  if (m->m_proto == sdp_proto_rtp || g_str_equal (upper, "RTP/AVP")
      || g_str_equal (upper, "RTP/AVPF"))
    return AP_SDP_PROTO_RTP;
  /* UDP/TLS/RTP/SAVP(F) is DTLS-SRTP, which we do not speak: only SDES. */
  if (m->m_proto == sdp_proto_srtp || g_str_equal (upper, "RTP/SAVP")
      || g_str_equal (upper, "RTP/SAVPF"))
    return AP_SDP_PROTO_SRTP;
  return AP_SDP_PROTO_OTHER;
}
