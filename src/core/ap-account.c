/* ap-account.c: one SIP account and its registration state machine.
 *
 * The account decides; its #ApRegistrationBackend only talks to the network.
 * Rules:
 * - a server that does not answer (timeout, nothing listening, 503) makes us
 *   try the next of `backup-servers` at once; after the last one we back off
 *   (2 s doubling to 5 min, ±20 %, or the server's Retry-After) and start
 *   again from the primary;
 * - 423 is answered once by asking for the registrar's Min-Expires;
 * - a refusal (401/403/404 …) is final: retrying a wrong password only gets
 *   the account locked; if it refused a refresh it is also reported as a
 *   forced unregistration;
 * - while registered on a backup, the primary is probed every
 *   `failback-interval` seconds and we move back as soon as it answers. */
#define G_LOG_DOMAIN "Agentphone-core"

#include "ap-account.h"

#include <glib/gi18n.h>

#include "ap-enums.h"
#include "ap-error.h"
#include "ap-uri.h"

#define MAX_BACKOFF_MS (300 * 1000)
#define MAX_423_RETRIES 2

enum { PROP_0, PROP_URI, PROP_STATE, PROP_CODE, PROP_REASON, N_PROPS };
static GParamSpec *props[N_PROPS];

enum { SIGNAL_REGISTRATION_CHANGED, SIGNAL_FORCED_UNREGISTRATION, N_SIGNALS };
static guint signals[N_SIGNALS];

struct _ApAccount {
  GObject parent_instance;

  ApSettings *settings;
  ApRegistrationBackend *backend;
  gulong event_handler;

  char *uri;
  char *auth_user;
  char *password;

  ApRegistrationState state;
  guint code;
  char *reason;

  GStrv servers; /* registrar URIs: the primary, then the backups */
  guint server_index;
  guint attempt; /* failed rounds in a row, for back-off */
  guint expires;
  guint n_423;
  gboolean registered_once; /* since the last register(): failures are then refusals of refreshes */
  guint retry_id;
  guint probe_id;
};

G_DEFINE_FINAL_TYPE (ApAccount, ap_account, G_TYPE_OBJECT)

const char *
ap_registration_state_to_string (ApRegistrationState state)
{
  g_autoptr (GEnumClass) klass = g_type_class_ref (AP_TYPE_REGISTRATION_STATE);
  GEnumValue *value = g_enum_get_value (klass, state);

  return value ? value->value_nick : "unknown";
}

/**
 * ap_account_retry_delay_ms:
 * @attempt: failed rounds so far (1 for the first)
 * @retry_after: the server's Retry-After in seconds, or 0
 * @jitter: a factor in [0.8, 1.2) that spreads agents restarting together
 *
 * Returns: how long to wait before registering again.
 */
guint
ap_account_retry_delay_ms (guint attempt, guint retry_after, double jitter)
{
  guint64 delay;

  if (retry_after > 0)
    return MIN (retry_after, 3600) * 1000;
  delay = 2000 * (G_GUINT64_CONSTANT (1) << MIN (MAX (attempt, 1) - 1, 16));
  delay = MIN (delay, MAX_BACKOFF_MS);
  return (guint) (delay * CLAMP (jitter, 0.8, 1.2));
}

static void
set_state (ApAccount *self, ApRegistrationState state, guint code, const char *reason)
{
  gboolean changed
    = self->state != state || self->code != code || g_strcmp0 (self->reason, reason) != 0;

  if (!changed)
    return;
  g_object_freeze_notify (G_OBJECT (self));
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATE]);
    }
  if (self->code != code)
    {
      self->code = code;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CODE]);
    }
  if (g_strcmp0 (self->reason, reason) != 0)
    {
      g_free (self->reason);
      self->reason = g_strdup (reason);
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_REASON]);
    }
  g_object_thaw_notify (G_OBJECT (self));
  g_debug ("Registration %s (%u %s)", ap_registration_state_to_string (state), code, reason);
  g_signal_emit (self, signals[SIGNAL_REGISTRATION_CHANGED], 0, state, code, self->reason);
}

static char *
server_name (const char *registrar)
{
  g_autofree char *host = ap_uri_get_host (registrar);

  return host ? g_steal_pointer (&host) : g_strdup (registrar);
}

/* Words for the person at the desk; the code and phrase follow for support. */
static char *
describe_failure (const char *registrar, const ApRegistrationEvent *ev)
{
  g_autofree char *server = server_name (registrar);
  const char *why;

  if (ev->detail)
    why = ev->detail;
  else if (ev->no_response && g_str_has_prefix (registrar, "sips:"))
    why = _ ("the server did not answer over TLS (unreachable, or its certificate is not "
             "trusted)");
  else if (ev->no_response)
    why = ev->code == 408 ? _ ("the server did not answer")
                          : _ ("the server cannot be reached or is unavailable");
  else if (ev->code == 401 || ev->code == 407 || ev->code == 403)
    why = _ ("wrong user name or password, or the account is not allowed");
  else if (ev->code == 404)
    why = _ ("the server does not know this account");
  else if (ev->code == 408)
    why = _ ("the request timed out");
  else if (ev->code == 423)
    why = _ ("the server wants a longer registration interval");
  else if (ev->code >= 500 && ev->code < 600)
    why = _ ("the server is unavailable or overloaded");
  else
    why = _ ("the server refused the registration");
  return g_strdup_printf (_ ("Registration with %s failed: %s (%u %s)"), server, why, ev->code,
                          ev->phrase ? ev->phrase : "");
}

static gboolean
is_unreachable (const ApRegistrationEvent *ev)
{
  return ev->no_response || ev->code == 408 || ev->code == 503;
}

static gboolean
is_transient (const ApRegistrationEvent *ev)
{
  return is_unreachable (ev) || ev->code == 480 || ev->code == 429
         || (ev->code >= 500 && ev->code < 600);
}

static void
clear_timers (ApAccount *self)
{
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_handle_id (&self->probe_id, g_source_remove);
}

static void
send_register (ApAccount *self)
{
  g_autofree char *proxy = g_strdup (ap_settings_get_string (self->settings, "outbound-proxy"));
  ApRegistrationRequest req = {
    .aor = self->uri,
    .auth_user = self->auth_user,
    .password = self->password ? self->password : "",
    .registrar = self->servers[self->server_index],
    .outbound_proxy = *proxy ? proxy : NULL,
    .expires = self->expires,
  };
  g_autofree char *server = server_name (req.registrar);
  g_autofree char *reason = g_strdup_printf (_ ("Registering with %s"), server);

  set_state (self, AP_REGISTRATION_STATE_REGISTERING, self->code, reason);
  ap_registration_backend_start (self->backend, &req);
}

static gboolean
on_retry (gpointer data)
{
  ApAccount *self = data;

  self->retry_id = 0;
  self->server_index = 0;
  send_register (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_retry (ApAccount *self, guint retry_after)
{
  guint delay;

  self->attempt++;
  delay = ap_account_retry_delay_ms (self->attempt, retry_after, g_random_double_range (0.8, 1.2));
  g_debug ("Registering again in %u ms (attempt %u)", delay, self->attempt);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  self->retry_id = g_timeout_add (delay, on_retry, self);
}

static gboolean
on_probe (gpointer data)
{
  ApAccount *self = data;

  ap_registration_backend_probe (self->backend, self->servers[0]);
  return G_SOURCE_CONTINUE;
}

static void
handle_registered (ApAccount *self, const ApRegistrationEvent *ev)
{
  g_autofree char *server = server_name (self->servers[self->server_index]);
  g_autofree char *reason = NULL;

  self->attempt = 0;
  self->n_423 = 0;
  self->registered_once = TRUE;
  if (self->server_index > 0)
    reason = g_strdup_printf (_ ("Registered with backup server %s"), server);
  else
    reason = g_strdup_printf (_ ("Registered with %s"), server);
  set_state (self, AP_REGISTRATION_STATE_REGISTERED, ev->code, reason);
  if (self->server_index > 0 && self->probe_id == 0)
    self->probe_id = g_timeout_add_seconds (
      ap_settings_get_uint (self->settings, "failback-interval"), on_probe, self);
  else if (self->server_index == 0)
    g_clear_handle_id (&self->probe_id, g_source_remove);
}

static void
handle_failed (ApAccount *self, const ApRegistrationEvent *ev)
{
  g_autofree char *reason = describe_failure (self->servers[self->server_index], ev);
  gboolean was_registered = self->registered_once;

  self->registered_once = FALSE;

  if (ev->code == 423 && ev->min_expires > self->expires && self->n_423 < MAX_423_RETRIES)
    {
      self->n_423++;
      self->expires = ev->min_expires;
      send_register (self);
      return;
    }

  g_clear_handle_id (&self->probe_id, g_source_remove);
  set_state (self, AP_REGISTRATION_STATE_FAILED, ev->code, reason);

  if (!is_transient (ev))
    {
      ap_registration_backend_abort (self->backend);
      if (was_registered)
        g_signal_emit (self, signals[SIGNAL_FORCED_UNREGISTRATION], 0, ev->code, reason);
      return;
    }
  if (is_unreachable (ev) && ev->retry_after == 0
      && self->server_index + 1 < g_strv_length (self->servers))
    {
      self->server_index++;
      send_register (self);
      return;
    }
  schedule_retry (self, ev->retry_after);
}

static void
handle_dropped (ApAccount *self, const ApRegistrationEvent *ev)
{
  g_autofree char *server = server_name (self->servers[self->server_index]);
  g_autofree char *reason
    = g_strdup_printf (_ ("The registrar %s removed our registration"), server);

  self->registered_once = FALSE;
  set_state (self, AP_REGISTRATION_STATE_FAILED, ev->code, reason);
  g_signal_emit (self, signals[SIGNAL_FORCED_UNREGISTRATION], 0, ev->code, reason);
  schedule_retry (self, 0);
}

static void
handle_unregistered (ApAccount *self, const ApRegistrationEvent *ev)
{
  g_autofree char *reason = NULL;

  if (ev->no_response)
    reason = g_strdup_printf (_ ("Unregistered; the server did not confirm (%u %s)"), ev->code,
                              ev->phrase ? ev->phrase : "");
  else if (ev->code >= 300)
    reason = g_strdup_printf (_ ("Unregistered; the server answered %u %s"), ev->code,
                              ev->phrase ? ev->phrase : "");
  else
    reason = g_strdup (_ ("Unregistered"));
  set_state (self, AP_REGISTRATION_STATE_UNREGISTERED, ev->code, reason);
}

static void
on_backend_event (ApRegistrationBackend *backend, const ApRegistrationEvent *ev, ApAccount *self)
{
  if (ev->kind == AP_REGISTRATION_EVENT_UNREGISTERED)
    {
      if (self->state == AP_REGISTRATION_STATE_UNREGISTERING)
        handle_unregistered (self, ev);
      return;
    }
  /* Anything else is stale once the user has asked us to stop. */
  if (self->state == AP_REGISTRATION_STATE_UNREGISTERING
      || self->state == AP_REGISTRATION_STATE_UNREGISTERED)
    return;

  switch (ev->kind)
    {
    case AP_REGISTRATION_EVENT_REGISTERED:
      handle_registered (self, ev);
      break;
    case AP_REGISTRATION_EVENT_FAILED:
      handle_failed (self, ev);
      break;
    case AP_REGISTRATION_EVENT_DROPPED:
      handle_dropped (self, ev);
      break;
    case AP_REGISTRATION_EVENT_PROBE_ANSWERED:
      if (self->server_index > 0 && self->state == AP_REGISTRATION_STATE_REGISTERED)
        {
          g_debug ("Primary server answers again; moving back to it");
          g_clear_handle_id (&self->probe_id, g_source_remove);
          self->server_index = 0;
          send_register (self);
        }
      break;
    case AP_REGISTRATION_EVENT_UNREGISTERED:
    default:
      g_assert_not_reached ();
    }
}

static void
ap_account_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  ApAccount *self = AP_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_URI:
      g_value_set_string (value, self->uri);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_CODE:
      g_value_set_uint (value, self->code);
      break;
    case PROP_REASON:
      g_value_set_string (value, self->reason);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ap_account_dispose (GObject *object)
{
  ApAccount *self = AP_ACCOUNT (object);

  clear_timers (self);
  if (self->backend)
    g_clear_signal_handler (&self->event_handler, self->backend);
  g_clear_object (&self->backend);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (ap_account_parent_class)->dispose (object);
}

static void
ap_account_finalize (GObject *object)
{
  ApAccount *self = AP_ACCOUNT (object);

  g_free (self->uri);
  g_free (self->auth_user);
  if (self->password)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  g_free (self->reason);
  g_strfreev (self->servers);
  G_OBJECT_CLASS (ap_account_parent_class)->finalize (object);
}

static void
ap_account_class_init (ApAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = ap_account_get_property;
  object_class->dispose = ap_account_dispose;
  object_class->finalize = ap_account_finalize;

  /** ApAccount:uri: the address of record, or "" before one is set */
  props[PROP_URI] = g_param_spec_string (
    "uri", NULL, NULL, "", G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /** ApAccount:state: the registration state */
  props[PROP_STATE] = g_param_spec_enum (
    "state", NULL, NULL, AP_TYPE_REGISTRATION_STATE, AP_REGISTRATION_STATE_UNREGISTERED,
    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /** ApAccount:code: the last SIP status that changed the state, 0 if none */
  props[PROP_CODE]
    = g_param_spec_uint ("code", NULL, NULL, 0, 699, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /** ApAccount:reason: why the state is what it is, for people */
  props[PROP_REASON] = g_param_spec_string (
    "reason", NULL, NULL, "", G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /** ApAccount::registration-changed: state, code and reason, after each change */
  signals[SIGNAL_REGISTRATION_CHANGED] = g_signal_new (
    "registration-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
    G_TYPE_NONE, 3, AP_TYPE_REGISTRATION_STATE, G_TYPE_UINT, G_TYPE_STRING);
  /** ApAccount::forced-unregistration: the registrar dropped or refused our binding */
  signals[SIGNAL_FORCED_UNREGISTRATION]
    = g_signal_new ("forced-unregistration", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                    NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
}

static void
ap_account_init (ApAccount *self)
{
  self->uri = g_strdup ("");
  self->auth_user = g_strdup ("");
  self->reason = g_strdup (_ ("Not registered"));
}

ApAccount *
ap_account_new (ApSettings *settings)
{
  ApAccount *self = g_object_new (AP_TYPE_ACCOUNT, NULL);

  self->settings = g_object_ref (settings);
  g_free (self->uri);
  self->uri = g_strdup (ap_settings_get_account_uri (settings));
  g_free (self->auth_user);
  self->auth_user = g_strdup (ap_settings_get_auth_user (settings));
  return self;
}

/** ap_account_set_backend: hand the account the network side it drives. */
void
ap_account_set_backend (ApAccount *self, ApRegistrationBackend *backend)
{
  g_return_if_fail (AP_IS_ACCOUNT (self));
  g_return_if_fail (backend == NULL || AP_IS_REGISTRATION_BACKEND (backend));

  if (self->backend)
    g_clear_signal_handler (&self->event_handler, self->backend);
  g_set_object (&self->backend, backend);
  if (backend)
    self->event_handler = g_signal_connect (backend, "event", G_CALLBACK (on_backend_event), self);
}

ApRegistrationBackend *
ap_account_get_backend (ApAccount *self)
{
  g_return_val_if_fail (AP_IS_ACCOUNT (self), NULL);
  return self->backend;
}

/**
 * ap_account_set_credentials:
 * @uri: the address of record, `sip:user@domain`
 * @auth_user: (nullable): the digest user; empty means the AoR's user
 * @password: (nullable): the password, kept in memory only
 */
gboolean
ap_account_set_credentials (ApAccount *self, const char *uri, const char *auth_user,
                            const char *password, GError **error)
{
  char *user;
  char *secret;

  g_return_val_if_fail (AP_IS_ACCOUNT (self), FALSE);

  if (uri == NULL || !ap_uri_is_account (uri))
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT,
                   _ ("“%s” is not an account address: use sip:user@domain"), uri ? uri : "");
      return FALSE;
    }
  if (g_strcmp0 (self->uri, uri) != 0)
    {
      g_free (self->uri);
      self->uri = g_strdup (uri);
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_URI]);
    }
  /* The arguments may be our own strings: copy before freeing. */
  user = (auth_user && *auth_user) ? g_strdup (auth_user) : ap_uri_get_user (uri);
  secret = g_strdup (password);
  g_free (self->auth_user);
  self->auth_user = user;
  if (self->password)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  self->password = secret;
  return TRUE;
}

gboolean
ap_account_has_password (ApAccount *self)
{
  g_return_val_if_fail (AP_IS_ACCOUNT (self), FALSE);
  return self->password != NULL && *self->password != '\0';
}

static char *
build_registrar (const char *hostport, ApTransport transport, guint default_port)
{
  g_autofree char *host = NULL;
  guint port = 0;

  if (!ap_uri_parse_hostport (hostport, &host, &port))
    return NULL;
  if (port == 0)
    port = default_port;
  {
    /* IPv6 literals need brackets inside a URI. */
    g_autofree char *h = strchr (host, ':') ? g_strdup_printf ("[%s]", host) : g_strdup (host);

    switch (transport)
      {
      case AP_TRANSPORT_TLS:
        return g_strdup_printf ("sips:%s:%u", h, port ? port : 5061);
      case AP_TRANSPORT_TCP:
        return g_strdup_printf ("sip:%s:%u;transport=tcp", h, port ? port : 5060);
      case AP_TRANSPORT_UDP:
      default:
        return g_strdup_printf ("sip:%s:%u;transport=udp", h, port ? port : 5060);
      }
  }
}

static GStrv
build_servers (ApAccount *self)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) backups = ap_settings_get_strv (self->settings, "backup-servers");
  const char *server = ap_settings_get_string (self->settings, "server");
  const char *transport_name = ap_settings_get_string (self->settings, "transport");
  ApTransport transport = g_str_equal (transport_name, "tls")   ? AP_TRANSPORT_TLS
                          : g_str_equal (transport_name, "tcp") ? AP_TRANSPORT_TCP
                                                                : AP_TRANSPORT_UDP;
  guint port = ap_settings_get_uint (self->settings, "port");
  g_autofree char *domain = NULL;
  g_autofree char *primary = NULL;

  if (*server == '\0')
    server = domain = ap_uri_get_host (self->uri);
  if (server == NULL)
    return g_strv_builder_end (builder);
  /* `port` applies to the primary when `server` carries none. */
  primary = build_registrar (server, transport, port);
  if (primary)
    g_strv_builder_add (builder, primary);
  for (guint i = 0; backups[i]; i++)
    {
      g_autofree char *backup = build_registrar (backups[i], transport, 0);

      if (backup)
        g_strv_builder_add (builder, backup);
    }
  return g_strv_builder_end (builder);
}

/**
 * ap_account_build_servers:
 *
 * Returns: (transfer full): the registrar URIs to try, the primary first:
 * `server` (or the account's domain) and `port`, then each of
 * `backup-servers`, all over `transport`.
 */
GStrv
ap_account_build_servers (ApAccount *self)
{
  g_return_val_if_fail (AP_IS_ACCOUNT (self), NULL);
  return build_servers (self);
}

/**
 * ap_account_register:
 *
 * Starts registering with the primary server; progress arrives as
 * #ApAccount::registration-changed.
 */
void
ap_account_register (ApAccount *self)
{
  g_return_if_fail (AP_IS_ACCOUNT (self));
  g_return_if_fail (self->backend != NULL);

  clear_timers (self);
  g_strfreev (self->servers);
  self->servers = ap_account_build_servers (self);
  if (self->servers[0] == NULL)
    {
      set_state (self, AP_REGISTRATION_STATE_FAILED, 0,
                 _ ("No registrar: set a server or use an address with a domain"));
      return;
    }
  self->server_index = 0;
  self->attempt = 0;
  self->n_423 = 0;
  self->registered_once = FALSE;
  self->expires = ap_settings_get_uint (self->settings, "register-expires");
  send_register (self);
}

/**
 * ap_account_unregister:
 *
 * Removes the binding. `unregistered` is reported once the registrar has
 * answered (or the request timed out); at once when nothing was registered.
 */
void
ap_account_unregister (ApAccount *self)
{
  g_return_if_fail (AP_IS_ACCOUNT (self));

  clear_timers (self);
  switch (self->state)
    {
    case AP_REGISTRATION_STATE_REGISTERED:
    case AP_REGISTRATION_STATE_REGISTERING:
      set_state (self, AP_REGISTRATION_STATE_UNREGISTERING, self->code, _ ("Unregistering"));
      ap_registration_backend_stop (self->backend);
      break;
    case AP_REGISTRATION_STATE_FAILED:
      if (self->backend)
        ap_registration_backend_abort (self->backend);
      set_state (self, AP_REGISTRATION_STATE_UNREGISTERED, self->code, _ ("Not registered"));
      break;
    case AP_REGISTRATION_STATE_UNREGISTERING:
    case AP_REGISTRATION_STATE_UNREGISTERED:
    default:
      break;
    }
}

const char *
ap_account_get_uri (ApAccount *self)
{
  g_return_val_if_fail (AP_IS_ACCOUNT (self), NULL);
  return self->uri;
}

const char *
ap_account_get_auth_user (ApAccount *self)
{
  g_return_val_if_fail (AP_IS_ACCOUNT (self), NULL);
  return self->auth_user;
}

/**
 * ap_account_get_password:
 *
 * For the SIP engine's answers to digest challenges on calls and messages;
 * never shown, logged or saved.
 */
const char *
ap_account_get_password (ApAccount *self)
{
  g_return_val_if_fail (AP_IS_ACCOUNT (self), NULL);
  return self->password;
}

ApRegistrationState
ap_account_get_state (ApAccount *self)
{
  g_return_val_if_fail (AP_IS_ACCOUNT (self), AP_REGISTRATION_STATE_UNREGISTERED);
  return self->state;
}

guint
ap_account_get_code (ApAccount *self)
{
  g_return_val_if_fail (AP_IS_ACCOUNT (self), 0);
  return self->code;
}

const char *
ap_account_get_reason (ApAccount *self)
{
  g_return_val_if_fail (AP_IS_ACCOUNT (self), NULL);
  return self->reason;
}

/** ap_account_get_registrar: the registrar URI in use, or %NULL */
const char *
ap_account_get_registrar (ApAccount *self)
{
  g_return_val_if_fail (AP_IS_ACCOUNT (self), NULL);
  if (self->servers == NULL || self->servers[0] == NULL)
    return NULL;
  return self->servers[self->server_index];
}
