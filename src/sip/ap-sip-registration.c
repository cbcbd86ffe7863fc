/* ap-sip-registration.c: REGISTER over sofia-sip for one account.
 *
 * Answers digest challenges, lets NUA refresh the binding, and reports every
 * final answer to the account, which decides what to do next. NUA never
 * refreshes a registration that failed, so each retry sends a new REGISTER;
 * it reuses the handle (and so the Call-ID, as RFC 3261 asks) while the
 * account and registrar stay the same. A start() towards another registrar
 * un-registers the older binding in the background. */
#define G_LOG_DOMAIN "Agentphone-sip"

#include "ap-sip-private.h"

#include "ap-sip-registration.h"
#include "ap-tls-probe.h"

#include <stdlib.h>
#include <string.h>

#define MAX_AUTH_ROUNDS 2

struct _ApSipRegistration {
  GObject parent_instance;

  ApSipHandler handler;
  ApSipEngine *engine;
  gulong started_handler;
  gulong stopping_handler;

  nua_handle_t *nh;
  GPtrArray *retiring; /* older handles being un-registered */
  GPtrArray *probes;   /* OPTIONS handles */
  gboolean unregistering;
  gboolean restart_on_start; /* re-send the request once the engine is back */
  guint auth_rounds;

  char *aor;
  char *auth_user;
  char *password;
  char *registrar;
  char *outbound_proxy;
  guint expires;

  GCancellable *tls_probe; /* finding out why TLS to the registrar failed */
  int tls_status;
};

static void backend_iface_init (ApRegistrationBackendInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ApSipRegistration, ap_sip_registration, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (AP_TYPE_REGISTRATION_BACKEND,
                                                      backend_iface_init))

/* Sofia hands us answers it made up itself (timeouts, refused connections)
 * looking just like real ones, To tag included, so "no answer" is judged by
 * the status: a timeout, or a 503 with no Retry-After, means the server is not
 * there for us. */
static gboolean
is_no_answer (int status, const sip_t *sip)
{
  return sip == NULL || status == 408 || (status == 503 && sip->sip_retry_after == NULL);
}

static void
emit (ApSipRegistration *self, ApRegistrationEventKind kind, int status, const char *phrase,
      const sip_t *sip)
{
  ApRegistrationEvent ev = {
    .kind = kind,
    .code = (guint) status,
    .phrase = phrase,
    .no_response = is_no_answer (status, sip),
  };

  if (sip && sip->sip_retry_after)
    ev.retry_after = (guint) sip->sip_retry_after->af_delta;
  if (sip && sip->sip_min_expires)
    ev.min_expires = (guint) sip->sip_min_expires->me_delta;
  if (sip && sip->sip_expires)
    ev.expires = (guint) sip->sip_expires->ex_delta;
  ap_registration_backend_emit_event (AP_REGISTRATION_BACKEND (self), &ev);
}

static void
wipe_password (ApSipRegistration *self)
{
  if (self->password)
    memset (self->password, 0, strlen (self->password));
  g_clear_pointer (&self->password, g_free);
}

/* Answers a 401/407 with our credentials. Returns FALSE when we already did
 * and the server still refuses (a wrong password), unless the nonce was
 * only stale. */
static gboolean
authenticate (ApSipRegistration *self, nua_handle_t *nh, const sip_t *sip)
{
  const msg_auth_t *challenge = NULL;
  const char *realm;
  const char *stale;
  g_autofree char *credentials = NULL;

  if (sip)
    challenge = sip->sip_www_authenticate ? sip->sip_www_authenticate : sip->sip_proxy_authenticate;
  if (challenge == NULL || self->password == NULL)
    return FALSE;
  realm = msg_params_find (challenge->au_params, "realm=");
  stale = msg_params_find (challenge->au_params, "stale=");
  if (realm == NULL)
    return FALSE;
  if (self->auth_rounds >= MAX_AUTH_ROUNDS && !(stale && g_ascii_strcasecmp (stale, "true") == 0))
    return FALSE;
  self->auth_rounds++;
  /* The realm keeps its quotes: sofia matches it as written in the challenge. */
  credentials
    = g_strdup_printf ("%s:%s:%s:%s", challenge->au_scheme, realm, self->auth_user, self->password);
  nua_authenticate (nh, NUTAG_AUTH (credentials), TAG_END ());
  memset (credentials, 0, strlen (credentials));
  return TRUE;
}

/* Our binding is in a 200 when one of its Contacts has our port and host. */
static gboolean
lists_our_contact (ApSipRegistration *self, const sip_t *sip, guint *expires)
{
  const char *host = ap_sip_engine_get_host (self->engine);
  guint port = ap_sip_engine_get_port (self->engine);

  if (sip == NULL || sip->sip_contact == NULL || host == NULL)
    return TRUE;
  for (const sip_contact_t *m = sip->sip_contact; m; m = m->m_next)
    {
      const url_t *url = m->m_url;
      guint m_port = url->url_port ? (guint) atoi (url->url_port) : 5060;

      if (m_port == port && url->url_host && g_ascii_strcasecmp (url->url_host, host) == 0)
        {
          if (m->m_expires)
            *expires = (guint) strtoul (m->m_expires, NULL, 10);
          return TRUE;
        }
    }
  return FALSE;
}

static void
forget_handle (ApSipRegistration *self)
{
  if (self->nh)
    {
      nua_handle_bind (self->nh, NULL);
      nua_handle_destroy (self->nh);
      self->nh = NULL;
    }
}

static void
on_tls_probed (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (ApSipRegistration) self = data;
  g_autofree char *why = ap_tls_probe_finish (result);
  ApRegistrationEvent ev = { .kind = AP_REGISTRATION_EVENT_FAILED,
                             .code = (guint) self->tls_status,
                             .phrase = sip_status_phrase (self->tls_status),
                             .no_response = TRUE,
                             .detail = why };

  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;
  g_clear_object (&self->tls_probe);
  ap_registration_backend_emit_event (AP_REGISTRATION_BACKEND (self), &ev);
}

/* sofia gives up on a TLS server whose certificate it refuses without
 * saying so (it looks like a timeout): find out why before reporting. */
static gboolean
probe_tls (ApSipRegistration *self, int status)
{
  g_autofree char *ca = ap_sip_engine_dup_tls_ca_file (self->engine);
  su_home_t home[1] = { SU_HOME_INIT (home) };
  url_t *url = ca ? url_make (home, self->registrar) : NULL;
  gboolean tls = url && url->url_host
                 && (url->url_type == url_sips
                     || (url->url_params && strstr (url->url_params, "transport=tls")));

  if (tls)
    {
      g_cancellable_cancel (self->tls_probe);
      g_clear_object (&self->tls_probe);
      self->tls_probe = g_cancellable_new ();
      self->tls_status = status;
      ap_tls_probe_async (url->url_host, url->url_port ? (guint) atoi (url->url_port) : 5061, ca,
                          self->tls_probe, on_tls_probed, g_object_ref (self));
    }
  su_home_deinit (home);
  return tls;
}

static void
cancel_tls_probe (ApSipRegistration *self)
{
  g_cancellable_cancel (self->tls_probe);
  g_clear_object (&self->tls_probe);
}

static void
on_register_answer (ApSipRegistration *self, int status, const char *phrase, nua_handle_t *nh,
                    const sip_t *sip)
{
  guint expires = 0;

  if (status < 200)
    return;
  if ((status == 401 || status == 407) && authenticate (self, nh, sip))
    return;
  self->auth_rounds = 0;
  if (status >= 300)
    {
      if (is_no_answer (status, sip) && probe_tls (self, status))
        return;
      emit (self, AP_REGISTRATION_EVENT_FAILED, status, phrase, sip);
      return;
    }
  if (!lists_our_contact (self, sip, &expires))
    {
      emit (self, AP_REGISTRATION_EVENT_DROPPED, status, phrase, sip);
      forget_handle (self);
      return;
    }
  {
    ApRegistrationEvent ev = { .kind = AP_REGISTRATION_EVENT_REGISTERED,
                               .code = (guint) status,
                               .phrase = phrase,
                               .expires = expires };

    if (!ev.expires && sip && sip->sip_expires)
      ev.expires = (guint) sip->sip_expires->ex_delta;
    ap_registration_backend_emit_event (AP_REGISTRATION_BACKEND (self), &ev);
  }
}

static void
on_unregister_answer (ApSipRegistration *self, int status, const char *phrase, nua_handle_t *nh,
                      const sip_t *sip)
{
  if (status < 200)
    return;
  if ((status == 401 || status == 407) && authenticate (self, nh, sip))
    return;
  self->auth_rounds = 0;
  if (g_ptr_array_remove (self->retiring, nh))
    {
      nua_handle_destroy (nh);
      return;
    }
  if (nh != self->nh)
    return;
  /* NUA also un-registers by itself after a failed refresh; that failure has
   * already been reported, so only our own request is answered. */
  if (self->unregistering)
    {
      self->unregistering = FALSE;
      forget_handle (self);
      emit (self, AP_REGISTRATION_EVENT_UNREGISTERED, status, phrase, sip);
    }
}

static void
on_options_answer (ApSipRegistration *self, int status, const char *phrase, nua_handle_t *nh,
                   const sip_t *sip)
{
  if (status < 200)
    return;
  if (g_ptr_array_remove (self->probes, nh))
    nua_handle_destroy (nh);
  /* Any answer from the server itself, even an error, proves it is alive. */
  if (!is_no_answer (status, sip))
    emit (self, AP_REGISTRATION_EVENT_PROBE_ANSWERED, status, phrase, sip);
}

static void
on_event (gpointer owner, nua_event_t event, int status, const char *phrase, nua_handle_t *nh,
          const sip_t *sip, tagi_t tags[])
{
  ApSipRegistration *self = owner;

  switch (event)
    {
    case nua_r_register:
      if (nh == self->nh)
        on_register_answer (self, status, phrase, nh, sip);
      break;
    case nua_r_unregister:
      on_unregister_answer (self, status, phrase, nh, sip);
      break;
    case nua_r_options:
      on_options_answer (self, status, phrase, nh, sip);
      break;
    default:
      break;
    }
}

static void
send_register (ApSipRegistration *self)
{
  nua_t *nua = ap_sip_engine_get_nua (self->engine);
  g_autofree char *expires = g_strdup_printf ("%u", self->expires);
  g_autofree char *user = NULL;

  if (nua == NULL || !ap_sip_engine_is_running (self->engine)
      || ap_sip_engine_get_port (self->engine) == 0)
    {
      const char *why = ap_sip_engine_get_error (self->engine);

      /* Not bound yet (or binding failed): wait for "started", or say why. */
      self->restart_on_start = TRUE;
      if (why)
        {
          ApRegistrationEvent ev = {
            .kind = AP_REGISTRATION_EVENT_FAILED, .code = 503, .phrase = why, .no_response = TRUE
          };

          ap_registration_backend_emit_event (AP_REGISTRATION_BACKEND (self), &ev);
        }
      return;
    }
  user = g_strdup (self->auth_user);
  self->auth_rounds = 0;
  self->restart_on_start = FALSE;
  if (self->nh == NULL)
    {
      self->nh = nua_handle (nua, &self->handler, SIPTAG_TO_STR (self->aor),
                             SIPTAG_FROM_STR (self->aor), TAG_END ());
      if (self->outbound_proxy)
        nua_set_hparams (self->nh, NUTAG_PROXY (self->outbound_proxy), TAG_END ());
    }
  nua_register (self->nh, NUTAG_REGISTRAR (self->registrar), SIPTAG_EXPIRES_STR (expires),
                NUTAG_M_USERNAME (user), NUTAG_OUTBOUND ("no-validate"), TAG_END ());
}

static void
retire_handle (ApSipRegistration *self)
{
  if (self->nh == NULL)
    return;
  g_ptr_array_add (self->retiring, self->nh);
  nua_unregister (self->nh, TAG_END ());
  self->nh = NULL;
}

static void
registration_start (ApRegistrationBackend *backend, const ApRegistrationRequest *req)
{
  ApSipRegistration *self = AP_SIP_REGISTRATION (backend);

  cancel_tls_probe (self);
  if (self->nh
      && (g_strcmp0 (self->aor, req->aor) != 0 || g_strcmp0 (self->registrar, req->registrar) != 0))
    retire_handle (self);
  self->unregistering = FALSE;
  g_free (self->aor);
  self->aor = g_strdup (req->aor);
  g_free (self->auth_user);
  self->auth_user = g_strdup (req->auth_user);
  wipe_password (self);
  self->password = g_strdup (req->password);
  g_free (self->registrar);
  self->registrar = g_strdup (req->registrar);
  g_free (self->outbound_proxy);
  self->outbound_proxy = g_strdup (req->outbound_proxy);
  self->expires = req->expires;
  send_register (self);
}

static gboolean
emit_unregistered_idle (gpointer data)
{
  ApSipRegistration *self = data;
  ApRegistrationEvent ev = { .kind = AP_REGISTRATION_EVENT_UNREGISTERED, .code = 0, .phrase = "" };

  ap_registration_backend_emit_event (AP_REGISTRATION_BACKEND (self), &ev);
  return G_SOURCE_REMOVE;
}

static void
registration_stop (ApRegistrationBackend *backend)
{
  ApSipRegistration *self = AP_SIP_REGISTRATION (backend);

  cancel_tls_probe (self);
  self->restart_on_start = FALSE;
  if (self->nh == NULL)
    {
      g_idle_add_full (G_PRIORITY_DEFAULT, emit_unregistered_idle, g_object_ref (self),
                       g_object_unref);
      return;
    }
  self->unregistering = TRUE;
  nua_unregister (self->nh, TAG_END ());
}

static void
registration_abort (ApRegistrationBackend *backend)
{
  ApSipRegistration *self = AP_SIP_REGISTRATION (backend);

  cancel_tls_probe (self);
  self->restart_on_start = FALSE;
  self->unregistering = FALSE;
  forget_handle (self);
}

static void
registration_probe (ApRegistrationBackend *backend, const char *server)
{
  ApSipRegistration *self = AP_SIP_REGISTRATION (backend);
  nua_t *nua = ap_sip_engine_get_nua (self->engine);
  nua_handle_t *nh;

  if (nua == NULL || !ap_sip_engine_is_running (self->engine))
    return;
  nh = nua_handle (nua, &self->handler, SIPTAG_TO_STR (self->aor), SIPTAG_FROM_STR (self->aor),
                   TAG_END ());
  g_ptr_array_add (self->probes, nh);
  nua_options (nh, NUTAG_URL (server), TAG_END ());
}

static void
backend_iface_init (ApRegistrationBackendInterface *iface)
{
  iface->start = registration_start;
  iface->stop = registration_stop;
  iface->abort = registration_abort;
  iface->probe = registration_probe;
}

/* The stack is going away with every handle: forget them without touching
 * them, and send the registration again once the engine is back. */
static void
on_engine_stopping (ApSipEngine *engine, ApSipRegistration *self)
{
  self->restart_on_start = self->nh != NULL && !self->unregistering;
  self->nh = NULL;
  g_ptr_array_set_size (self->retiring, 0);
  g_ptr_array_set_size (self->probes, 0);
  if (self->unregistering)
    {
      self->unregistering = FALSE;
      g_idle_add_full (G_PRIORITY_DEFAULT, emit_unregistered_idle, g_object_ref (self),
                       g_object_unref);
    }
}

static void
on_engine_started (ApSipEngine *engine, ApSipRegistration *self)
{
  if (self->restart_on_start && self->registrar)
    send_register (self);
}

static void
ap_sip_registration_dispose (GObject *object)
{
  ApSipRegistration *self = AP_SIP_REGISTRATION (object);

  cancel_tls_probe (self);
  if (self->engine)
    {
      g_clear_signal_handler (&self->started_handler, self->engine);
      g_clear_signal_handler (&self->stopping_handler, self->engine);
      if (ap_sip_engine_get_nua (self->engine))
        {
          forget_handle (self);
          for (guint i = 0; i < self->retiring->len; i++)
            nua_handle_bind (self->retiring->pdata[i], NULL);
          for (guint i = 0; i < self->probes->len; i++)
            nua_handle_bind (self->probes->pdata[i], NULL);
        }
    }
  g_clear_object (&self->engine);
  G_OBJECT_CLASS (ap_sip_registration_parent_class)->dispose (object);
}

static void
ap_sip_registration_finalize (GObject *object)
{
  ApSipRegistration *self = AP_SIP_REGISTRATION (object);

  g_ptr_array_unref (self->retiring);
  g_ptr_array_unref (self->probes);
  wipe_password (self);
  g_free (self->aor);
  g_free (self->auth_user);
  g_free (self->registrar);
  g_free (self->outbound_proxy);
  G_OBJECT_CLASS (ap_sip_registration_parent_class)->finalize (object);
}

static void
ap_sip_registration_class_init (ApSipRegistrationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ap_sip_registration_dispose;
  object_class->finalize = ap_sip_registration_finalize;
}

static void
ap_sip_registration_init (ApSipRegistration *self)
{
  self->handler.func = on_event;
  self->handler.owner = self;
  self->retiring = g_ptr_array_new ();
  self->probes = g_ptr_array_new ();
}

ApRegistrationBackend *
ap_sip_registration_new (ApSipEngine *engine)
{
  ApSipRegistration *self = g_object_new (AP_TYPE_SIP_REGISTRATION, NULL);

  self->engine = g_object_ref (engine);
  self->started_handler
    = g_signal_connect (engine, "started", G_CALLBACK (on_engine_started), self);
  self->stopping_handler
    = g_signal_connect (engine, "stopping", G_CALLBACK (on_engine_stopping), self);
  return AP_REGISTRATION_BACKEND (self);
}
