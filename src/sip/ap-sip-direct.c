/* ap-sip-direct.c: `accept-direct-calls`, the check on a new INVITE's source.
 *
 * With the setting off, a new INVITE is taken only when it really came (by
 * the packet's source address, not what its Via claims) from one of our
 * servers: the registrar and backup servers the account uses, and the
 * outbound proxy. Everything else is an agent's "ghost call" from a scanner.
 *
 * The check runs while sofia waits for our answer, so it must not block:
 * server names are resolved ahead of time (when the settings change and when
 * the account registers) and the check reads those results. A name not
 * resolved yet matches nothing: we refuse rather than let a scanner in, and
 * a refused INVITE starts no lookup (a scanner must not cause DNS traffic). */
#define G_LOG_DOMAIN "Agentphone-sip"

#include "config.h"

#include "ap-sip-direct.h"

#include <sofia-sip/msg_addr.h>
#include <arpa/inet.h>

#include "ap-uri.h"

struct _ApSipDirect {
  GObject parent_instance;

  ApSettings *settings;
  ApAccount *account;
  /* host name -> GList of GInetAddress; a key with a NULL value is being
   * resolved or did not resolve. Shared with the lookups in flight. */
  GHashTable *resolved;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (ApSipDirect, ap_sip_direct, G_TYPE_OBJECT)

static void
free_addresses (gpointer list)
{
  g_list_free_full (list, g_object_unref);
}

/* The host part of a server as configured: a URI or `host[:port]`. */
static char *
server_host (const char *server)
{
  g_autofree char *hostport = ap_uri_is_sip (server) ? ap_uri_get_host (server) : NULL;
  char *host = NULL;

  if (!ap_uri_parse_hostport (hostport ? hostport : server, &host, NULL))
    return NULL;
  return host;
}

static void
add_host (GPtrArray *hosts, const char *server)
{
  char *host = server_host (server);

  if (host)
    g_ptr_array_add (hosts, host);
}

/* Our servers' hosts: the account's registrars (primary, then backups; none
 * without an account) and the outbound proxy. */
static GStrv
server_hosts (ApSipDirect *self)
{
  g_autoptr (GPtrArray) hosts = g_ptr_array_new ();
  const char *proxy = ap_settings_get_string (self->settings, "outbound-proxy");
  g_auto (GStrv) servers = NULL;

  if (self->account && *ap_account_get_uri (self->account) != '\0')
    {
      servers = ap_account_build_servers (self->account);
      for (guint i = 0; servers[i]; i++)
        add_host (hosts, servers[i]);
      if (*proxy)
        add_host (hosts, proxy);
    }
  g_ptr_array_add (hosts, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&hosts), FALSE);
}

typedef struct {
  GHashTable *resolved;
  char *host;
} Lookup;

static void
on_resolved (GObject *source, GAsyncResult *result, gpointer data)
{
  Lookup *lookup = data;
  g_autoptr (GError) error = NULL;
  GList *addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (source), result, &error);

  if (addresses)
    g_hash_table_replace (lookup->resolved, g_strdup (lookup->host), addresses);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Tried again at the next registration or settings change. */
      g_message ("Cannot resolve server %s (%s): calls from it count as direct calls", lookup->host,
                 error->message);
      g_hash_table_remove (lookup->resolved, lookup->host);
    }
  g_hash_table_unref (lookup->resolved);
  g_free (lookup->host);
  g_free (lookup);
}

/* Starts resolving the server names not resolved yet (IP literals need
 * none). */
static void
resolve_servers (ApSipDirect *self)
{
  g_auto (GStrv) hosts = server_hosts (self);
  g_autoptr (GResolver) resolver = g_resolver_get_default ();

  for (guint i = 0; hosts[i]; i++)
    {
      Lookup *lookup;

      if (g_hostname_is_ip_address (hosts[i]) || g_hash_table_contains (self->resolved, hosts[i]))
        continue;
      g_hash_table_insert (self->resolved, g_strdup (hosts[i]), NULL);
      lookup = g_new0 (Lookup, 1);
      lookup->resolved = g_hash_table_ref (self->resolved);
      lookup->host = g_strdup (hosts[i]);
      g_resolver_lookup_by_name_async (resolver, hosts[i], self->cancellable, on_resolved, lookup);
    }
}

static void
on_settings_changed (ApSettings *settings, GStrv keys, ApSipDirect *self)
{
  /* Cheap when nothing new: names already known are not looked up again. */
  resolve_servers (self);
}

static void
on_registration_changed (ApAccount *account, int state, guint code, const char *reason,
                         ApSipDirect *self)
{
  resolve_servers (self);
}

static gboolean
host_is (const char *host, GHashTable *resolved, GInetAddress *source)
{
  if (g_hostname_is_ip_address (host))
    {
      g_autoptr (GInetAddress) address = g_inet_address_new_from_string (host);

      return address && g_inet_address_equal (address, source);
    }
  for (GList *l = g_hash_table_lookup (resolved, host); l; l = l->next)
    if (g_inet_address_equal (l->data, source))
      return TRUE;
  return FALSE;
}

/**
 * ap_sip_direct_allows:
 * @source: (nullable): the address the INVITE came from, as text
 *
 * Whether a new INVITE from @source may ring. With `accept-direct-calls`
 * off, only our servers' addresses may; a refusal is logged with its source.
 */
gboolean
ap_sip_direct_allows (ApSipDirect *self, const char *source)
{
  g_autoptr (GInetAddress) address = source ? g_inet_address_new_from_string (source) : NULL;
  g_auto (GStrv) hosts = NULL;

  g_return_val_if_fail (AP_IS_SIP_DIRECT (self), FALSE);

  if (ap_settings_get_boolean (self->settings, "accept-direct-calls"))
    return TRUE;
  hosts = server_hosts (self);
  for (guint i = 0; address && hosts[i]; i++)
    if (host_is (hosts[i], self->resolved, address))
      return TRUE;
  if (hosts[0] == NULL)
    g_message ("Refusing a direct call from %s: accept-direct-calls is off and no account is "
               "configured, so every call is refused",
               source ? source : "an unknown address");
  else
    g_message ("Refusing a direct call from %s: accept-direct-calls is off and it is not our "
               "registrar or outbound proxy",
               source ? source : "an unknown address");
  return FALSE;
}

/**
 * ap_sip_direct_request_source:
 *
 * The address the request @nua is handling really came from (the packet's
 * source, not what its Via claims), as text; %NULL when unknown.
 */
char *
ap_sip_direct_request_source (nua_t *nua)
{
  msg_t *msg = nua ? nua_current_request (nua) : NULL;
  su_addrinfo_t *ai = msg ? msg_addrinfo (msg) : NULL;
  char text[INET6_ADDRSTRLEN] = "";
  const su_sockaddr_t *su;

  if (ai == NULL || ai->ai_addr == NULL)
    return NULL;
  su = (const su_sockaddr_t *) ai->ai_addr;
  if (su->su_family == AF_INET)
    inet_ntop (AF_INET, &su->su_sin.sin_addr, text, sizeof text);
  else if (su->su_family == AF_INET6)
    inet_ntop (AF_INET6, &su->su_sin6.sin6_addr, text, sizeof text);
  return *text ? g_strdup (text) : NULL;
}

/** ap_sip_direct_refuse: answers a refused INVITE (the unowned handle then ends) */
void
ap_sip_direct_refuse (nua_handle_t *nh)
{
  nua_respond (nh, 403, "Forbidden - Direct Calls Not Accepted",
               SIPTAG_WARNING_STR ("399 agentphone \"Calls are taken only through the registrar "
                                   "or outbound proxy\""),
               TAG_END ());
}

/** ap_sip_direct_set_account: the account whose registrars are ours */
void
ap_sip_direct_set_account (ApSipDirect *self, ApAccount *account)
{
  g_return_if_fail (AP_IS_SIP_DIRECT (self));

  if (self->account)
    g_signal_handlers_disconnect_by_data (self->account, self);
  g_set_object (&self->account, account);
  if (account)
    g_signal_connect_object (account, "registration-changed", G_CALLBACK (on_registration_changed),
                             self, 0);
  resolve_servers (self);
}

static void
ap_sip_direct_dispose (GObject *object)
{
  ApSipDirect *self = AP_SIP_DIRECT (object);

  g_cancellable_cancel (self->cancellable);
  if (self->account)
    g_signal_handlers_disconnect_by_data (self->account, self);
  g_clear_object (&self->account);
  if (self->settings)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (ap_sip_direct_parent_class)->dispose (object);
}

static void
ap_sip_direct_finalize (GObject *object)
{
  ApSipDirect *self = AP_SIP_DIRECT (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->resolved, g_hash_table_unref);
  G_OBJECT_CLASS (ap_sip_direct_parent_class)->finalize (object);
}

static void
ap_sip_direct_class_init (ApSipDirectClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ap_sip_direct_dispose;
  G_OBJECT_CLASS (klass)->finalize = ap_sip_direct_finalize;
}

static void
ap_sip_direct_init (ApSipDirect *self)
{
  self->resolved = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, free_addresses);
  self->cancellable = g_cancellable_new ();
}

ApSipDirect *
ap_sip_direct_new (ApSettings *settings)
{
  ApSipDirect *self = g_object_new (AP_TYPE_SIP_DIRECT, NULL);

  self->settings = g_object_ref (settings);
  g_signal_connect (settings, "changed", G_CALLBACK (on_settings_changed), self);
  return self;
}
