#include "ap-uri.h"

#include <glib/gi18n.h>

#include "ap-error.h"

#include <string.h>

static gboolean
is_host_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '.' || c == '_';
}

static gboolean
valid_hostname (const char *host)
{
  if (*host == '\0' || strlen (host) > 253)
    return FALSE;
  for (const char *p = host; *p; p++)
    if (!is_host_char (*p))
      return FALSE;
  return host[0] != '.' && host[0] != '-';
}

/**
 * ap_uri_parse_hostport:
 * @text: `host`, `host:port`, `[v6]` or `[v6]:port`
 * @host: (out) (optional) (transfer full): the host, without brackets
 * @port: (out) (optional): the port, or 0 when none was given
 */
gboolean
ap_uri_parse_hostport (const char *text, char **host, guint *port)
{
  g_autofree char *h = NULL;
  const char *rest;
  guint64 p = 0;

  if (text == NULL || *text == '\0')
    return FALSE;
  if (text[0] == '[')
    {
      const char *end = strchr (text, ']');

      if (end == NULL)
        return FALSE;
      h = g_strndup (text + 1, end - text - 1);
      if (!g_hostname_is_ip_address (h) || strchr (h, ':') == NULL)
        return FALSE;
      rest = end + 1;
    }
  else
    {
      const char *colon = strchr (text, ':');

      h = colon ? g_strndup (text, colon - text) : g_strdup (text);
      if (!valid_hostname (h))
        return FALSE;
      rest = colon ? colon : text + strlen (text);
    }
  if (*rest == ':')
    {
      char *end = NULL;

      if (!g_ascii_isdigit (rest[1]))
        return FALSE;
      p = g_ascii_strtoull (rest + 1, &end, 10);
      if (*end != '\0' || p == 0 || p > 65535)
        return FALSE;
    }
  else if (*rest != '\0')
    return FALSE;
  if (host)
    *host = g_steal_pointer (&h);
  if (port)
    *port = (guint) p;
  return TRUE;
}

static const char *
after_scheme (const char *uri)
{
  if (g_ascii_strncasecmp (uri, "sip:", 4) == 0)
    return uri + 4;
  if (g_ascii_strncasecmp (uri, "sips:", 5) == 0)
    return uri + 5;
  return NULL;
}

/* Splits "user@host:port;params" into its user (may be empty) and hostport. */
static gboolean
split (const char *uri, char **user, char **hostport)
{
  const char *body = uri ? after_scheme (uri) : NULL;
  const char *at, *end;
  g_autofree char *hp = NULL;

  if (body == NULL)
    return FALSE;
  end = body + strcspn (body, ";?>");
  at = memchr (body, '@', end - body);
  hp = g_strndup (at ? at + 1 : body, end - (at ? at + 1 : body));
  if (!ap_uri_parse_hostport (hp, NULL, NULL))
    return FALSE;
  if (at)
    {
      for (const char *p = body; p < at; p++)
        if ((guchar) *p <= ' ' || *p == '<' || *p == '"')
          return FALSE;
    }
  if (user)
    *user = at ? g_strndup (body, at - body) : g_strdup ("");
  if (hostport)
    *hostport = g_steal_pointer (&hp);
  return TRUE;
}

/** ap_uri_is_sip: whether @uri is a well-formed `sip:` or `sips:` URI. */
gboolean
ap_uri_is_sip (const char *uri)
{
  return split (uri, NULL, NULL);
}

/** ap_uri_is_account: a `sip:`/`sips:` URI with a user part, as an account needs. */
gboolean
ap_uri_is_account (const char *uri)
{
  g_autofree char *user = NULL;

  return split (uri, &user, NULL) && *user != '\0';
}

char *
ap_uri_get_user (const char *uri)
{
  char *user = NULL;

  return split (uri, &user, NULL) ? user : NULL;
}

/** ap_uri_get_host: the host and port part (`host[:port]`) of @uri. */
char *
ap_uri_get_host (const char *uri)
{
  char *hp = NULL;

  return split (uri, NULL, &hp) ? hp : NULL;
}

static gboolean
valid_user (const char *user)
{
  if (*user == '\0')
    return FALSE;
  for (const char *p = user; *p; p++)
    if ((guchar) *p <= ' ' || strchr ("<>\"@;?:", *p))
      return FALSE;
  return TRUE;
}

/**
 * ap_uri_complete:
 * @target: what a person typed: a number or name, a `sip:`/`sips:` URI, or a
 *   `tel:` URI
 * @account: (nullable): the account's AoR, whose domain completes numbers
 *
 * Returns: (transfer full) (nullable): the URI to call
 */
char *
ap_uri_complete (const char *target, const char *account, GError **error)
{
  g_autofree char *domain = account && *account ? ap_uri_get_host (account) : NULL;
  g_autofree char *number = NULL;
  gboolean tel = g_ascii_strncasecmp (target, "tel:", 4) == 0;

  if (g_ascii_strncasecmp (target, "sip:", 4) == 0 || g_ascii_strncasecmp (target, "sips:", 5) == 0)
    {
      if (ap_uri_is_sip (target))
        return g_strdup (target);
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT,
                   _ ("“%s” is not a valid SIP address: use sip:user@host[:port]"), target);
      return NULL;
    }
  number = tel ? g_strndup (target + 4, strcspn (target + 4, ";")) : g_strstrip (g_strdup (target));
  if (!valid_user (number))
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT,
                   _ ("“%s” is not a number, a sip: address or a tel: address"), target);
      return NULL;
    }
  if (domain == NULL)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_NOT_REGISTERED,
                   _ ("Cannot complete “%s” without an account: dial a full sip:user@host "
                      "address, or register first"),
                   target);
      return NULL;
    }
  return g_strdup_printf (tel ? "sip:%s@%s;user=phone" : "sip:%s@%s", number, domain);
}
