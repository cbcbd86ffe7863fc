#pragma once

#include "ap-registration-backend.h"

G_BEGIN_DECLS

typedef enum {
  AP_FAKE_CALL_START,
  AP_FAKE_CALL_STOP,
  AP_FAKE_CALL_ABORT,
  AP_FAKE_CALL_PROBE,
} ApFakeCallKind;

/**
 * ApFakeCall:
 * @time: g_get_monotonic_time() when the call was made
 * @aor, @auth_user, @password, @registrar, @expires: copied from a start() request
 * @server: the server of a probe()
 */
typedef struct {
  ApFakeCallKind kind;
  gint64 time;
  char *aor;
  char *auth_user;
  char *password;
  char *registrar;
  guint expires;
  char *server;
} ApFakeCall;

#define AP_TYPE_FAKE_BACKEND (ap_fake_backend_get_type ())
G_DECLARE_FINAL_TYPE (ApFakeBackend, ap_fake_backend, AP, FAKE_BACKEND, GObject)

ApFakeBackend     *ap_fake_backend_new   (void);
guint              ap_fake_backend_count (ApFakeBackend   *self,
                                          ApFakeCallKind   kind);
const ApFakeCall  *ap_fake_backend_last  (ApFakeBackend   *self,
                                          ApFakeCallKind   kind);
void               ap_fake_backend_emit  (ApFakeBackend   *self,
                                          ApRegistrationEventKind kind,
                                          guint            code,
                                          gboolean         no_response);

G_END_DECLS
