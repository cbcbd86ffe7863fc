#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * ApRegistrationRequest:
 * @aor: address of record, e.g. `sip:1001@example.com`
 * @auth_user: digest user name (the AoR's user when empty)
 * @password: digest password
 * @registrar: where to send REGISTER, e.g. `sip:10.0.0.1:5060;transport=tcp`
 * @outbound_proxy: (nullable): route every request through it
 * @expires: requested binding lifetime in seconds
 */
typedef struct {
  const char *aor;
  const char *auth_user;
  const char *password;
  const char *registrar;
  const char *outbound_proxy;
  guint expires;
} ApRegistrationRequest;

typedef enum {
  AP_REGISTRATION_EVENT_REGISTERED,     /* 200 to a REGISTER or a refresh */
  AP_REGISTRATION_EVENT_FAILED,         /* final error to a REGISTER or a refresh */
  AP_REGISTRATION_EVENT_UNREGISTERED,   /* answer (or timeout) to our un-REGISTER */
  AP_REGISTRATION_EVENT_DROPPED,        /* the registrar no longer lists our binding */
  AP_REGISTRATION_EVENT_PROBE_ANSWERED, /* a probed server answered: it is alive */
} ApRegistrationEventKind;

/**
 * ApRegistrationEvent:
 * @no_response: the server was not there for us: a timeout, nothing listening,
 *   or a 503 without Retry-After
 * @retry_after: the server's Retry-After in seconds, 0 when absent
 * @min_expires: the server's Min-Expires (with 423), 0 when absent
 * @expires: the lifetime the registrar granted (with 200)
 * @detail: (nullable): why, when the engine found out more than the status
 *   says (a TLS certificate it refused), for a person
 */
typedef struct {
  ApRegistrationEventKind kind;
  guint code;
  const char *phrase;
  gboolean no_response;
  guint retry_after;
  guint min_expires;
  guint expires;
  const char *detail;
} ApRegistrationEvent;

#define AP_TYPE_REGISTRATION_BACKEND (ap_registration_backend_get_type ())
G_DECLARE_INTERFACE (ApRegistrationBackend, ap_registration_backend, AP, REGISTRATION_BACKEND,
                     GObject)

/**
 * ApRegistrationBackendInterface:
 * @start: register (replacing any earlier binding, which is un-registered in
 *   the background) and keep the binding refreshed
 * @stop: un-register; answers with an UNREGISTERED event
 * @abort: forget the registration without sending anything
 * @probe: ask @server whether it is alive; answers with PROBE_ANSWERED
 *
 * The network side of an #ApAccount. Results come back as the
 * #ApRegistrationBackend::event signal, always from the main loop.
 */
struct _ApRegistrationBackendInterface {
  GTypeInterface parent_iface;

  void (*start) (ApRegistrationBackend       *self,
                 const ApRegistrationRequest *request);
  void (*stop)  (ApRegistrationBackend       *self);
  void (*abort) (ApRegistrationBackend       *self);
  void (*probe) (ApRegistrationBackend       *self,
                 const char                  *server);
};

void ap_registration_backend_start      (ApRegistrationBackend       *self,
                                         const ApRegistrationRequest *request);
void ap_registration_backend_stop       (ApRegistrationBackend       *self);
void ap_registration_backend_abort      (ApRegistrationBackend       *self);
void ap_registration_backend_probe      (ApRegistrationBackend       *self,
                                         const char                  *server);
void ap_registration_backend_emit_event (ApRegistrationBackend       *self,
                                         const ApRegistrationEvent   *event);

G_END_DECLS
