#pragma once

#include <gio/gio.h>

#include "ap-settings.h"

G_BEGIN_DECLS

#define AP_TYPE_SIP_ENGINE (ap_sip_engine_get_type ())
G_DECLARE_FINAL_TYPE (ApSipEngine, ap_sip_engine, AP, SIP_ENGINE, GObject)

ApSipEngine *ap_sip_engine_new            (ApSettings           *settings);
gboolean     ap_sip_engine_start          (ApSipEngine          *self,
                                           GError              **error);
gboolean     ap_sip_engine_is_running     (ApSipEngine          *self);
guint        ap_sip_engine_get_port       (ApSipEngine          *self);
const char  *ap_sip_engine_get_host       (ApSipEngine          *self);
const char  *ap_sip_engine_get_error      (ApSipEngine          *self);
void         ap_sip_engine_shutdown_async (ApSipEngine          *self,
                                           guint                 timeout_ms,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean     ap_sip_engine_shutdown_finish (ApSipEngine         *self,
                                            GAsyncResult        *result,
                                            GError             **error);

G_END_DECLS
