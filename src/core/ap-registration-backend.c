#include "ap-registration-backend.h"

enum { SIGNAL_EVENT, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_INTERFACE (ApRegistrationBackend, ap_registration_backend, G_TYPE_OBJECT)

static void
ap_registration_backend_default_init (ApRegistrationBackendInterface *iface)
{
  /**
   * ApRegistrationBackend::event:
   * @event: (type gpointer): the #ApRegistrationEvent, valid during emission
   */
  signals[SIGNAL_EVENT] = g_signal_new ("event", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
}

void
ap_registration_backend_start (ApRegistrationBackend *self, const ApRegistrationRequest *request)
{
  g_return_if_fail (AP_IS_REGISTRATION_BACKEND (self));
  g_return_if_fail (request != NULL);
  AP_REGISTRATION_BACKEND_GET_IFACE (self)->start (self, request);
}

void
ap_registration_backend_stop (ApRegistrationBackend *self)
{
  g_return_if_fail (AP_IS_REGISTRATION_BACKEND (self));
  AP_REGISTRATION_BACKEND_GET_IFACE (self)->stop (self);
}

void
ap_registration_backend_abort (ApRegistrationBackend *self)
{
  g_return_if_fail (AP_IS_REGISTRATION_BACKEND (self));
  AP_REGISTRATION_BACKEND_GET_IFACE (self)->abort (self);
}

void
ap_registration_backend_probe (ApRegistrationBackend *self, const char *server)
{
  g_return_if_fail (AP_IS_REGISTRATION_BACKEND (self));
  AP_REGISTRATION_BACKEND_GET_IFACE (self)->probe (self, server);
}

/** ap_registration_backend_emit_event: for implementations: report @event. */
void
ap_registration_backend_emit_event (ApRegistrationBackend *self, const ApRegistrationEvent *event)
{
  g_return_if_fail (AP_IS_REGISTRATION_BACKEND (self));
  g_signal_emit (self, signals[SIGNAL_EVENT], 0, event);
}
