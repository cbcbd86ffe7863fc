/* ap-fake-backend.c: an ApRegistrationBackend that only records what it is
 * asked to do; the test plays the network by emitting events. */
#include "ap-fake-backend.h"

struct _ApFakeBackend {
  GObject parent_instance;

  GPtrArray *calls; /* ApFakeCall */
};

static void registration_backend_iface_init (ApRegistrationBackendInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ApFakeBackend, ap_fake_backend, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (AP_TYPE_REGISTRATION_BACKEND,
                                                      registration_backend_iface_init))

static void
fake_call_free (ApFakeCall *call)
{
  g_free (call->aor);
  g_free (call->auth_user);
  g_free (call->password);
  g_free (call->registrar);
  g_free (call->server);
  g_free (call);
}

static ApFakeCall *
record (ApFakeBackend *self, ApFakeCallKind kind)
{
  ApFakeCall *call = g_new0 (ApFakeCall, 1);

  call->kind = kind;
  call->time = g_get_monotonic_time ();
  g_ptr_array_add (self->calls, call);
  return call;
}

static void
fake_start (ApRegistrationBackend *backend, const ApRegistrationRequest *request)
{
  ApFakeCall *call = record (AP_FAKE_BACKEND (backend), AP_FAKE_CALL_START);

  call->aor = g_strdup (request->aor);
  call->auth_user = g_strdup (request->auth_user);
  call->password = g_strdup (request->password);
  call->registrar = g_strdup (request->registrar);
  call->expires = request->expires;
}

static void
fake_stop (ApRegistrationBackend *backend)
{
  record (AP_FAKE_BACKEND (backend), AP_FAKE_CALL_STOP);
}

static void
fake_abort (ApRegistrationBackend *backend)
{
  record (AP_FAKE_BACKEND (backend), AP_FAKE_CALL_ABORT);
}

static void
fake_probe (ApRegistrationBackend *backend, const char *server)
{
  record (AP_FAKE_BACKEND (backend), AP_FAKE_CALL_PROBE)->server = g_strdup (server);
}

static void
registration_backend_iface_init (ApRegistrationBackendInterface *iface)
{
  iface->start = fake_start;
  iface->stop = fake_stop;
  iface->abort = fake_abort;
  iface->probe = fake_probe;
}

static void
ap_fake_backend_finalize (GObject *object)
{
  ApFakeBackend *self = AP_FAKE_BACKEND (object);

  g_ptr_array_unref (self->calls);
  G_OBJECT_CLASS (ap_fake_backend_parent_class)->finalize (object);
}

static void
ap_fake_backend_class_init (ApFakeBackendClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ap_fake_backend_finalize;
}

static void
ap_fake_backend_init (ApFakeBackend *self)
{
  self->calls = g_ptr_array_new_with_free_func ((GDestroyNotify) fake_call_free);
}

ApFakeBackend *
ap_fake_backend_new (void)
{
  return g_object_new (AP_TYPE_FAKE_BACKEND, NULL);
}

/** ap_fake_backend_count: how many calls of @kind were made so far */
guint
ap_fake_backend_count (ApFakeBackend *self, ApFakeCallKind kind)
{
  guint n = 0;

  for (guint i = 0; i < self->calls->len; i++)
    if (((ApFakeCall *) g_ptr_array_index (self->calls, i))->kind == kind)
      n++;
  return n;
}

/** ap_fake_backend_last: (nullable): the latest call of @kind */
const ApFakeCall *
ap_fake_backend_last (ApFakeBackend *self, ApFakeCallKind kind)
{
  for (guint i = self->calls->len; i > 0; i--)
    {
      ApFakeCall *call = g_ptr_array_index (self->calls, i - 1);

      if (call->kind == kind)
        return call;
    }
  return NULL;
}

/** ap_fake_backend_emit: reports a plain event; build an ApRegistrationEvent for the rest. */
void
ap_fake_backend_emit (ApFakeBackend *self, ApRegistrationEventKind kind, guint code,
                      gboolean no_response)
{
  ApRegistrationEvent event = {
    .kind = kind,
    .code = code,
    .phrase = code == 200 ? "OK" : "Test",
    .no_response = no_response,
  };

  ap_registration_backend_emit_event (AP_REGISTRATION_BACKEND (self), &event);
}
