#pragma once

#include <gio/gio.h>

#include "ap-account.h"
#include "ap-agent.h"
#include "ap-call.h"
#include "ap-device-backend.h"
#include "ap-history.h"
#include "ap-signaling.h"
#include "ap-secret-store.h"
#include "ap-settings.h"
#include "ap-types.h"

G_BEGIN_DECLS

#define AP_TYPE_PHONE (ap_phone_get_type ())
G_DECLARE_FINAL_TYPE (ApPhone, ap_phone, AP, PHONE, GObject)

ApPhone           *ap_phone_new                  (ApSettings           *settings,
                                                  ApSecretStore        *secret_store);
ApSettings        *ap_phone_get_settings         (ApPhone              *self);
ApAccount         *ap_phone_get_account          (ApPhone              *self);
ApPasswordStorage  ap_phone_get_password_storage (ApPhone              *self);
const char        *ap_phone_get_version          (ApPhone              *self);
void               ap_phone_set_listen_port      (ApPhone              *self,
                                                  guint                 port);
gboolean           ap_phone_configure            (ApPhone              *self,
                                                  GVariant             *settings,
                                                  GError              **error);
GVariant          *ap_phone_dup_settings         (ApPhone              *self);
gboolean           ap_phone_register             (ApPhone              *self,
                                                  const char           *uri,
                                                  const char           *auth_user,
                                                  const char           *password,
                                                  GError              **error);
gboolean           ap_phone_unregister           (ApPhone              *self,
                                                  GError              **error);
void               ap_phone_register_saved       (ApPhone              *self);
void               ap_phone_quit                 (ApPhone              *self);
void               ap_phone_set_signaling        (ApPhone              *self,
                                                  ApSignaling          *signaling);
void               ap_phone_set_media_factory    (ApPhone              *self,
                                                  ApMediaFactory       *factory);
ApCall            *ap_phone_start_echo_test      (ApPhone              *self,
                                                  GError              **error);
ApCall            *ap_phone_dial                 (ApPhone              *self,
                                                  const char           *target,
                                                  GVariant             *options,
                                                  GError              **error);
GListModel        *ap_phone_get_calls            (ApPhone              *self);
ApCall            *ap_phone_find_call            (ApPhone              *self,
                                                  guint                 id);
ApSeatState        ap_phone_get_seat_state       (ApPhone              *self);
ApAgent           *ap_phone_get_agent            (ApPhone              *self);
gboolean           ap_phone_transfer             (ApPhone              *self,
                                                  ApCall               *call,
                                                  const char           *target,
                                                  GError              **error);
gboolean           ap_phone_send_message         (ApPhone              *self,
                                                  const char           *target,
                                                  const char           *text,
                                                  GError              **error);
void               ap_phone_shutdown_async       (ApPhone              *self,
                                                  guint                 timeout_ms,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean           ap_phone_shutdown_finish      (ApPhone              *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);
void               ap_phone_set_devices          (ApPhone              *self,
                                                  ApDeviceBackend      *devices);
ApDeviceBackend   *ap_phone_get_devices          (ApPhone              *self);
void               ap_phone_check_microphone_async  (ApPhone              *self,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean           ap_phone_check_microphone_finish (ApPhone              *self,
                                                     GAsyncResult         *result,
                                                     double               *peak_dbfs,
                                                     char                **problem,
                                                     GError              **error);
gboolean           ap_phone_play_test_tone       (ApPhone              *self,
                                                  ApDeviceKind          kind,
                                                  GError              **error);
gboolean           ap_phone_start_microphone_monitor (ApPhone          *self,
                                                      GError          **error);
void               ap_phone_stop_microphone_monitor  (ApPhone          *self);
void               ap_phone_set_history          (ApPhone              *self,
                                                  ApHistory            *history);
ApHistory         *ap_phone_get_history_store    (ApPhone              *self);
GVariant          *ap_phone_get_history          (ApPhone              *self,
                                                  guint                 limit);

G_END_DECLS
