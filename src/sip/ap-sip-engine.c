/* ap-sip-engine.c: one sofia-sip NUA agent, run by the GLib main loop.
 *
 * The engine binds the transports the settings ask for and routes each NUA
 * event to the owner of its handle (see ApSipHandler). It restarts itself
 * when a setting that changes the binding changes; owners hear "stopping"
 * (their handles are about to vanish) and "started" (bound again). */
#define G_LOG_DOMAIN "Agentphone-sip"

#include "config.h"

#include "ap-sip-session-private.h"

#include "ap-sip-engine.h"

#include <glib/gi18n.h>
#include <sofia-sip/msg_addr.h>
#include <sofia-sip/su.h>
#include <arpa/inet.h>
#include <string.h>

#include "ap-error.h"
#include "ap-sip-checks.h"
#include "ap-sip-direct.h"
#include "ap-signaling.h"
#include "ap-uri.h"

enum { SIGNAL_STARTED, SIGNAL_STOPPING, SIGNAL_INCOMING, N_SIGNALS };
static guint signals[N_SIGNALS];

/* Settings whose change needs the transports bound anew. */
static const char *const binding_keys[] = {
  "local-port", "local-address", "transport", "tls-ca-file", "tls-verify", "user-agent", NULL,
};

struct _ApSipEngine {
  GObject parent_instance;

  ApSettings *settings;
  gulong settings_handler;
  su_home_t home[1];
  su_root_t *root;
  nua_t *nua;
  gboolean stopping;
  gboolean restart_pending;
  GTask *shutdown_task;
  guint shutdown_timeout_id;

  guint port;
  char *host;
  char *error;
  char *tls_dir;

  ApAccount *account;
  ApSipDirect *direct; /* accept-direct-calls */
  ApMediaFactory *media_factory;
  ApSipHandler message_handler;
  guint message_auth_rounds;
};

static void signaling_iface_init (ApSignalingInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ApSipEngine, ap_sip_engine, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (AP_TYPE_SIGNALING, signaling_iface_init))

static void destroy_nua (ApSipEngine *self);

nua_t *
ap_sip_engine_get_nua (ApSipEngine *self)
{
  return self->nua;
}

static void
set_error (ApSipEngine *self, const char *error)
{
  g_free (self->error);
  self->error = g_strdup (error);
}

static void
read_contact (ApSipEngine *self, tagi_t tags[])
{
  const sip_contact_t *contact = NULL;

  tl_gets (tags, NTATAG_CONTACT_REF (contact), TAG_END ());
  if (contact == NULL || contact->m_url->url_host == NULL)
    return;
  g_free (self->host);
  self->host = g_strdup (contact->m_url->url_host);
  self->port = contact->m_url->url_port ? (guint) atoi (contact->m_url->url_port) : 5060;
  g_debug ("Listening for SIP on %s:%u", self->host, self->port);
}

static void
finish_shutdown (ApSipEngine *self)
{
  g_clear_handle_id (&self->shutdown_timeout_id, g_source_remove);
  if (self->shutdown_task)
    {
      g_task_return_boolean (self->shutdown_task, TRUE);
      g_clear_object (&self->shutdown_task);
    }
}

static void
on_shutdown_answer (ApSipEngine *self, int status, const char *phrase)
{
  if (status < 200)
    return;
  if (status >= 300)
    g_warning ("SIP stack shutdown: %d %s", status, phrase);
  destroy_nua (self);
  self->stopping = FALSE;
  if (self->restart_pending && self->shutdown_task == NULL)
    {
      g_autoptr (GError) error = NULL;

      self->restart_pending = FALSE;
      if (!ap_sip_engine_start (self, &error))
        g_warning ("%s", error->message);
      return;
    }
  finish_shutdown (self);
}

static void
receive_message (ApSipEngine *self, const sip_t *sip)
{
  su_home_t home[1] = { SU_HOME_INIT (home) };
  g_autofree char *from = NULL;
  g_autofree char *text = NULL;

  if (sip == NULL || sip->sip_from == NULL)
    return;
  from = g_strdup (url_as_string (home, sip->sip_from->a_url));
  su_home_deinit (home);
  if (sip->sip_payload)
    text = g_strndup (sip->sip_payload->pl_data, sip->sip_payload->pl_len);
  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    {
      g_message ("Ignoring a MESSAGE from %s that is not UTF-8 text", from);
      return;
    }
  ap_signaling_emit_message (AP_SIGNALING (self), from, text);
}

/* Requests nobody owns yet: a new INVITE becomes a session; the rest is
 * answered by NUA and passed on. */
static void
handle_unowned (ApSipEngine *self, nua_event_t event, nua_handle_t *nh, const sip_t *sip,
                tagi_t tags[])
{
  int callstate = -1;

  switch (event)
    {
    case nua_i_invite:
      ap_sip_session_incoming (self, nh, sip);
      break;
    case nua_i_state:
      tl_gets (tags, NUTAG_CALLSTATE_REF (callstate), TAG_END ());
      if (callstate == nua_callstate_terminated)
        nua_handle_destroy (nh);
      break;
    case nua_i_message:
      receive_message (self, sip);
      nua_handle_destroy (nh);
      break;
    case nua_i_info:
      /* INFO belongs in a call we have (RFC 6086 section 4.2.2). */
      nua_respond (nh, 481, "Call Does Not Exist", NUTAG_WITH_THIS (self->nua), TAG_END ());
      nua_handle_destroy (nh);
      break;
    case nua_i_refer:
      nua_respond (nh, SIP_403_FORBIDDEN, NUTAG_WITH_THIS (self->nua),
                   SIPTAG_WARNING_STR ("399 agentphone \"Only calls we have can be transferred\""),
                   TAG_END ());
      g_signal_emit (self, signals[SIGNAL_INCOMING], 0, (int) event, (gpointer) sip);
      nua_handle_destroy (nh);
      break;
    case nua_i_options:
    case nua_i_notify:
    case nua_i_subscribe:
    case nua_i_publish:
      g_signal_emit (self, signals[SIGNAL_INCOMING], 0, (int) event, (gpointer) sip);
      nua_handle_destroy (nh);
      break;
    default:
      break;
    }
}

static void
on_nua_event (nua_event_t event, int status, const char *phrase, nua_t *nua, ApSipEngine *self,
              nua_handle_t *nh, ApSipHandler *handler, const sip_t *sip, tagi_t tags[])
{
  g_debug ("NUA %s %d %s", nua_event_name (event), status, phrase ? phrase : "");

  if (handler && handler->func)
    {
      handler->func (handler->owner, event, status, phrase, nh, sip, tags);
      return;
    }
  switch (event)
    {
    case nua_r_get_params:
      read_contact (self, tags);
      g_signal_emit (self, signals[SIGNAL_STARTED], 0);
      break;
    case nua_r_shutdown:
      on_shutdown_answer (self, status, phrase);
      break;
    default:
      if (nh)
        handle_unowned (self, event, nh, sip, tags);
      break;
    }
}

static void
destroy_nua (ApSipEngine *self)
{
  if (self->nua == NULL)
    return;
  nua_destroy (self->nua);
  self->nua = NULL;
  self->port = 0;
}

/**
 * ap_sip_engine_dup_tls_ca_file:
 * Returns: (nullable): the CA bundle sofia verifies TLS servers with, or
 *   %NULL when TLS is off or not verified
 */
char *
ap_sip_engine_dup_tls_ca_file (ApSipEngine *self)
{
  if (self->tls_dir == NULL || !ap_settings_get_boolean (self->settings, "tls-verify"))
    return NULL;
  return g_build_filename (self->tls_dir, "cafile.pem", NULL);
}

static char *
bind_url (const char *scheme, const char *address, guint port)
{
  const char *host = *address ? address : "0.0.0.0";

  if (strchr (host, ':'))
    return g_strdup_printf ("%s:[%s]:%u", scheme, host, port);
  return g_strdup_printf ("%s:%s:%u", scheme, host, port);
}

/**
 * ap_sip_engine_start:
 *
 * Binds UDP and TCP on `local-address`:`local-port` (and TLS next to them when
 * the transport is `tls`). "started" follows once the port is known.
 */
gboolean
ap_sip_engine_start (ApSipEngine *self, GError **error)
{
  const char *address = ap_settings_get_string (self->settings, "local-address");
  guint port = ap_settings_get_uint (self->settings, "local-port");
  gboolean tls = g_str_equal (ap_settings_get_string (self->settings, "transport"), "tls");
  const char *ua = ap_settings_get_string (self->settings, "user-agent");
  g_autofree char *url = bind_url ("sip", address, port);
  g_autofree char *sips_url = bind_url ("sips", address, port ? port + 1 : 0);
  g_autofree char *user_agent = g_strdup (*ua ? ua : "Agentphone/" PACKAGE_VERSION);
  gboolean verify = ap_settings_get_boolean (self->settings, "tls-verify");

  g_return_val_if_fail (AP_IS_SIP_ENGINE (self), FALSE);
  g_return_val_if_fail (self->nua == NULL, FALSE);

  if (tls
      && !ap_sip_tls_dir_prepare (&self->tls_dir,
                                  ap_settings_get_string (self->settings, "tls-ca-file"), error))
    {
      set_error (self, (*error)->message);
      return FALSE;
    }
  self->nua = nua_create (
    self->root, on_nua_event, self, NUTAG_URL (url), TAG_IF (tls, NUTAG_SIPS_URL (sips_url)),
    TAG_IF (tls, TPTAG_CERTIFICATE (self->tls_dir)),
    TAG_IF (tls, TPTAG_TLS_VERIFY_POLICY (verify ? TPTLS_VERIFY_SUBJECTS_OUT : TPTLS_VERIFY_NONE)),
    NUTAG_USER_AGENT (user_agent), NUTAG_ALLOW ("INFO"), NUTAG_APPL_METHOD ("UPDATE"),
    /* INFO and REFER are ours to answer: sofia would take an INFO for any
     * dialog, and a REFER without Refer-To, with 2xx. */
    NUTAG_APPL_METHOD ("INFO"), NUTAG_APPL_METHOD ("REFER"), NUTAG_OUTBOUND ("no-validate"),
    NUTAG_MEDIA_ENABLE (0), NUTAG_AUTOALERT (0), NUTAG_AUTOANSWER (0), TAG_END ());
  if (self->nua == NULL)
    {
      g_autofree char *msg = g_strdup_printf (
        tls ? _ ("Cannot listen for SIP on %s (and TLS next to it): the address is not on this "
                 "machine or the port is in use")
            : _ ("Cannot listen for SIP on %s: the address is not on this machine or the port "
                 "is in use"),
        url + 4);

      set_error (self, msg);
      g_set_error_literal (error, AP_ERROR, AP_ERROR_FAILED, msg);
      return FALSE;
    }
  set_error (self, NULL);
  nua_get_params (self->nua, TAG_ANY (), TAG_END ());
  return TRUE;
}

gboolean
ap_sip_engine_is_running (ApSipEngine *self)
{
  g_return_val_if_fail (AP_IS_SIP_ENGINE (self), FALSE);
  return self->nua != NULL && !self->stopping;
}

/** ap_sip_engine_get_port: the bound UDP/TCP port, 0 until "started" */
guint
ap_sip_engine_get_port (ApSipEngine *self)
{
  g_return_val_if_fail (AP_IS_SIP_ENGINE (self), 0);
  return self->port;
}

const char *
ap_sip_engine_get_host (ApSipEngine *self)
{
  g_return_val_if_fail (AP_IS_SIP_ENGINE (self), NULL);
  return self->host;
}

/** ap_sip_engine_get_error: why the engine is not running, or %NULL */
const char *
ap_sip_engine_get_error (ApSipEngine *self)
{
  g_return_val_if_fail (AP_IS_SIP_ENGINE (self), NULL);
  return self->error;
}

static void
begin_stop (ApSipEngine *self)
{
  if (self->stopping || self->nua == NULL)
    return;
  self->stopping = TRUE;
  g_signal_emit (self, signals[SIGNAL_STOPPING], 0);
  nua_shutdown (self->nua);
}

static void
on_settings_changed (ApSettings *settings, GStrv keys, ApSipEngine *self)
{
  gboolean rebind = FALSE;

  for (guint i = 0; keys[i]; i++)
    rebind |= g_strv_contains (binding_keys, keys[i]);
  if (!rebind || self->shutdown_task)
    return;
  if (self->nua == NULL && !self->stopping)
    {
      g_autoptr (GError) error = NULL;

      if (!ap_sip_engine_start (self, &error))
        g_warning ("%s", error->message);
      return;
    }
  g_debug ("Transport settings changed: binding again");
  self->restart_pending = TRUE;
  begin_stop (self);
}

static gboolean
on_shutdown_timeout (gpointer data)
{
  ApSipEngine *self = data;

  self->shutdown_timeout_id = 0;
  g_warning ("The SIP stack did not shut down in time");
  finish_shutdown (self);
  return G_SOURCE_REMOVE;
}

/**
 * ap_sip_engine_shutdown_async:
 * @timeout_ms: the longest to wait
 *
 * Ends every SIP usage (NUA un-registers what is left) and releases the
 * transports. Bounded by @timeout_ms.
 */
void
ap_sip_engine_shutdown_async (ApSipEngine *self, guint timeout_ms, GAsyncReadyCallback callback,
                              gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, NULL, callback, user_data);

  g_return_if_fail (AP_IS_SIP_ENGINE (self));

  self->restart_pending = FALSE;
  if (self->nua == NULL || self->shutdown_task)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  self->shutdown_task = g_steal_pointer (&task);
  self->shutdown_timeout_id = g_timeout_add (timeout_ms, on_shutdown_timeout, self);
  if (!self->stopping)
    begin_stop (self);
}

gboolean
ap_sip_engine_shutdown_finish (ApSipEngine *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
ap_sip_engine_dispose (GObject *object)
{
  ApSipEngine *self = AP_SIP_ENGINE (object);

  if (self->settings)
    g_clear_signal_handler (&self->settings_handler, self->settings);
  g_clear_object (&self->settings);
  g_clear_object (&self->account);
  g_clear_object (&self->media_factory);
  G_OBJECT_CLASS (ap_sip_engine_parent_class)->dispose (object);
}

static void
ap_sip_engine_finalize (GObject *object)
{
  ApSipEngine *self = AP_SIP_ENGINE (object);

  g_clear_handle_id (&self->shutdown_timeout_id, g_source_remove);
  /* nua_destroy() before the final shutdown answer aborts the process: an
   * engine that never shut down is left to the exiting process instead. */
  if (self->nua == NULL && self->root)
    {
      su_root_destroy (self->root);
      su_home_deinit (self->home);
    }
  ap_sip_tls_dir_remove (&self->tls_dir);
  g_clear_object (&self->direct);
  g_free (self->host);
  g_free (self->error);
  G_OBJECT_CLASS (ap_sip_engine_parent_class)->finalize (object);
}

static void
ap_sip_engine_class_init (ApSipEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ap_sip_engine_dispose;
  object_class->finalize = ap_sip_engine_finalize;

  /** ApSipEngine::started: the transports are bound and the port is known */
  signals[SIGNAL_STARTED] = g_signal_new ("started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /** ApSipEngine::stopping: every handle is about to be released by the stack */
  signals[SIGNAL_STOPPING] = g_signal_new ("stopping", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /** ApSipEngine::incoming: an out-of-dialog request nobody owns (event, sip_t*) */
  signals[SIGNAL_INCOMING]
    = g_signal_new ("incoming", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                    G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_POINTER);
}

static void
ap_sip_engine_init (ApSipEngine *self)
{
  static gsize su_initialised = 0;

  if (g_once_init_enter (&su_initialised))
    {
      /* su_glib prints a line on every root unless told to be quiet. The
       * program says so in ap_sip_library_prepare(), before any thread
       * starts; this is for tests that make an engine without it (a no-op
       * once set). */
      g_setenv ("SU_DEBUG", "0", FALSE);
      su_init ();
      g_once_init_leave (&su_initialised, 1);
    }
  su_home_init (self->home);
  self->root = su_glib_root_create (self);
  g_source_attach (su_glib_root_gsource (self->root), NULL);
  /* One thread: the stack runs inside this main loop, never beside it. */
  su_root_threading (self->root, 0);
}

ApSipEngine *
ap_sip_engine_new (ApSettings *settings)
{
  ApSipEngine *self = g_object_new (AP_TYPE_SIP_ENGINE, NULL);

  self->settings = g_object_ref (settings);
  self->settings_handler
    = g_signal_connect (settings, "changed", G_CALLBACK (on_settings_changed), self);
  self->direct = ap_sip_direct_new (settings);
  return self;
}

/* ---- calls ------------------------------------------------------------ */

static ApCall *
engine_dial (ApSignaling *signaling, const char *target, const ApDialOptions *options,
             GError **error)
{
  return ap_sip_session_dial (AP_SIP_ENGINE (signaling), target, options, error);
}

static void
on_message_event (gpointer owner, nua_event_t event, int status, const char *phrase,
                  nua_handle_t *nh, const sip_t *sip, tagi_t tags[])
{
  ApSipEngine *self = owner;
  const msg_auth_t *challenge
    = sip ? (sip->sip_proxy_authenticate ? sip->sip_proxy_authenticate : sip->sip_www_authenticate)
          : NULL;

  if (event != nua_r_message || status < 200)
    return;
  if ((status == 401 || status == 407) && challenge && self->message_auth_rounds < 2)
    {
      g_autofree char *credentials = ap_sip_engine_make_credentials (
        self, challenge->au_scheme, msg_params_find (challenge->au_params, "realm="));

      if (credentials)
        {
          self->message_auth_rounds++;
          nua_authenticate (nh, NUTAG_AUTH (credentials), TAG_END ());
          return;
        }
    }
  self->message_auth_rounds = 0;
  if (status >= 300)
    g_warning ("A text message was not delivered: %d %s", status, phrase);
  nua_handle_destroy (nh);
}

static gboolean
engine_send_message (ApSignaling *signaling, const char *target, const char *text, GError **error)
{
  ApSipEngine *self = AP_SIP_ENGINE (signaling);
  g_autofree char *from = ap_sip_engine_dup_from (self);
  g_autofree char *route = ap_sip_engine_dup_route (self);
  nua_handle_t *nh;

  if (self->nua == NULL || self->stopping)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_FAILED, _ ("The SIP engine is not running"));
      return FALSE;
    }
  self->message_handler.func = on_message_event;
  self->message_handler.owner = self;
  nh = nua_handle (self->nua, &self->message_handler, SIPTAG_TO_STR (target),
                   TAG_IF (from, SIPTAG_FROM_STR (from)), TAG_END ());
  if (route)
    nua_set_hparams (nh, NUTAG_PROXY (route), TAG_END ());
  nua_message (nh, SIPTAG_CONTENT_TYPE_STR ("text/plain;charset=UTF-8"), SIPTAG_PAYLOAD_STR (text),
               TAG_END ());
  return TRUE;
}

static void
signaling_iface_init (ApSignalingInterface *iface)
{
  iface->dial = engine_dial;
  iface->send_message = engine_send_message;
}

/** ap_sip_engine_set_account: the account whose identity and credentials calls use */
void
ap_sip_engine_set_account (ApSipEngine *self, ApAccount *account)
{
  g_return_if_fail (AP_IS_SIP_ENGINE (self));
  g_set_object (&self->account, account);
  ap_sip_direct_set_account (self->direct, account);
}

/** ap_sip_engine_set_media_factory: where each call's media comes from */
void
ap_sip_engine_set_media_factory (ApSipEngine *self, ApMediaFactory *factory)
{
  g_return_if_fail (AP_IS_SIP_ENGINE (self));
  g_set_object (&self->media_factory, factory);
}

ApMediaSession *
ap_sip_engine_create_media (ApSipEngine *self, GError **error)
{
  if (self->media_factory == NULL)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_FAILED, _ ("No audio engine is available"));
      return NULL;
    }
  return ap_media_factory_create (self->media_factory);
}

/** ap_sip_engine_get_media_address: the address our SDP offers for media */
const char *
ap_sip_engine_get_media_address (ApSipEngine *self)
{
  const char *address = ap_settings_get_string (self->settings, "local-address");

  if (*address)
    return address;
  return self->host ? self->host : "127.0.0.1";
}

guint
ap_sip_engine_get_ring_timeout (ApSipEngine *self)
{
  return ap_settings_get_uint (self->settings, "ring-timeout");
}

char *
ap_sip_engine_dup_dtmf_mode (ApSipEngine *self)
{
  return g_strdup (ap_settings_get_string (self->settings, "dtmf-mode"));
}

GStrv
ap_sip_engine_get_audio_codecs (ApSipEngine *self)
{
  return ap_settings_get_strv (self->settings, "audio-codecs");
}

GStrv
ap_sip_engine_get_video_codecs (ApSipEngine *self)
{
  return ap_settings_get_strv (self->settings, "video-codecs");
}

/** ap_sip_engine_get_srtp: the `srtp` setting: off, optional or mandatory */
const char *
ap_sip_engine_get_srtp (ApSipEngine *self)
{
  return ap_settings_get_string (self->settings, "srtp");
}

static gboolean
account_registered (ApSipEngine *self)
{
  return self->account && ap_account_get_state (self->account) == AP_REGISTRATION_STATE_REGISTERED;
}

/** ap_sip_engine_dup_from: our From for new requests: the account, when registered */
char *
ap_sip_engine_dup_from (ApSipEngine *self)
{
  if (!account_registered (self))
    return NULL;
  return g_strdup (ap_account_get_uri (self->account));
}

/**
 * ap_sip_engine_dup_route:
 *
 * Where new requests go first: the outbound proxy when one is set, else the
 * registrar we are registered with (it knows where everyone is), else
 * straight to the target.
 */
char *
ap_sip_engine_dup_route (ApSipEngine *self)
{
  const char *proxy = ap_settings_get_string (self->settings, "outbound-proxy");

  if (*proxy)
    return ap_uri_is_sip (proxy) ? g_strdup (proxy) : g_strdup_printf ("sip:%s", proxy);
  if (account_registered (self) && ap_account_get_registrar (self->account))
    return g_strdup (ap_account_get_registrar (self->account));
  return NULL;
}

/** ap_sip_engine_make_credentials: the NUTAG_AUTH text for a challenge, or %NULL */
char *
ap_sip_engine_make_credentials (ApSipEngine *self, const char *scheme, const char *realm)
{
  const char *password;

  if (self->account == NULL || realm == NULL || scheme == NULL)
    return NULL;
  password = ap_account_get_password (self->account);
  if (password == NULL || *password == '\0')
    return NULL;
  return g_strdup_printf ("%s:%s:%s:%s", scheme, realm, ap_account_get_auth_user (self->account),
                          password);
}

/** ap_sip_engine_refuse_direct: 403 to the new INVITE on @nh when `accept-direct-calls` says so */
gboolean
ap_sip_engine_refuse_direct (ApSipEngine *self, nua_handle_t *nh)
{
  g_autofree char *source = ap_sip_direct_request_source (self->nua);

  if (ap_sip_direct_allows (self->direct, source))
    return FALSE;
  ap_sip_direct_refuse (nh);
  return TRUE;
}

static gboolean
host_trusted (ApSipEngine *self, const char *source)
{
  g_auto (GStrv) trusted = ap_settings_get_strv (self->settings, "auto-answer-trusted");
  const char *registrar = self->account ? ap_account_get_registrar (self->account) : NULL;

  /* Empty list: only the registrar we are registered with. */
  if (trusted[0] == NULL)
    {
      g_autofree char *hostport = NULL;
      g_autofree char *host = NULL;

      if (!account_registered (self) || registrar == NULL)
        return FALSE;
      hostport = ap_uri_get_host (registrar);
      return hostport && ap_uri_parse_hostport (hostport, &host, NULL)
             && g_ascii_strcasecmp (host, source) == 0;
    }
  for (guint i = 0; trusted[i]; i++)
    {
      g_autofree char *host = NULL;

      if (ap_uri_parse_hostport (trusted[i], &host, NULL) && g_ascii_strcasecmp (host, source) == 0)
        return TRUE;
    }
  return FALSE;
}

/**
 * ap_sip_engine_trusted_answer_after:
 *
 * The INVITE's answer-after, when `auto-answer-header` is on and the request
 * came from a trusted host (`auto-answer-trusted`, or the registrar);
 * otherwise -1. Never trusts anyone who merely reaches our port.
 */
int
ap_sip_engine_trusted_answer_after (ApSipEngine *self, const sip_t *sip)
{
  int seconds = ap_sip_answer_after (sip);
  g_autofree char *source = NULL;

  if (seconds < 0 || !ap_settings_get_boolean (self->settings, "auto-answer-header"))
    return -1;
  source = ap_sip_direct_request_source (self->nua);
  if (source == NULL || !host_trusted (self, source))
    {
      g_message ("Ignoring answer-after from untrusted %s", source ? source : "an unknown host");
      return -1;
    }
  return seconds;
}
