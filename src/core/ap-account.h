#pragma once

#include <glib-object.h>

#include "ap-registration-backend.h"
#include "ap-settings.h"
#include "ap-types.h"

G_BEGIN_DECLS

#define AP_TYPE_ACCOUNT (ap_account_get_type ())
G_DECLARE_FINAL_TYPE (ApAccount, ap_account, AP, ACCOUNT, GObject)

ApAccount           *ap_account_new                 (ApSettings            *settings);
void                 ap_account_set_backend         (ApAccount             *self,
                                                     ApRegistrationBackend *backend);
ApRegistrationBackend *ap_account_get_backend       (ApAccount             *self);
gboolean             ap_account_set_credentials     (ApAccount             *self,
                                                     const char            *uri,
                                                     const char            *auth_user,
                                                     const char            *password,
                                                     GError               **error);
gboolean             ap_account_has_password        (ApAccount             *self);
void                 ap_account_register            (ApAccount             *self);
void                 ap_account_unregister          (ApAccount             *self);
const char          *ap_account_get_uri             (ApAccount             *self);
const char          *ap_account_get_auth_user       (ApAccount             *self);
const char          *ap_account_get_password        (ApAccount             *self);
ApRegistrationState  ap_account_get_state           (ApAccount             *self);
guint                ap_account_get_code            (ApAccount             *self);
const char          *ap_account_get_reason          (ApAccount             *self);
const char          *ap_account_get_registrar       (ApAccount             *self);
GStrv                ap_account_build_servers       (ApAccount             *self);
guint                ap_account_retry_delay_ms      (guint                  attempt,
                                                     guint                  retry_after,
                                                     double                 jitter);
const char          *ap_registration_state_to_string (ApRegistrationState  state);

G_END_DECLS
