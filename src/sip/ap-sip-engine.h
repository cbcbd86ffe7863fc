#pragma once

#include <gio/gio.h>

#include "ap-account.h"
#include "ap-media-session.h"
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
char        *ap_sip_engine_dup_tls_ca_file (ApSipEngine        *self);
void         ap_sip_engine_shutdown_async (ApSipEngine          *self,
                                           guint                 timeout_ms,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean     ap_sip_engine_shutdown_finish (ApSipEngine         *self,
                                            GAsyncResult        *result,
                                            GError             **error);
void         ap_sip_engine_set_account    (ApSipEngine          *self,
                                           ApAccount            *account);
void         ap_sip_engine_set_media_factory (ApSipEngine       *self,
                                              ApMediaFactory    *factory);

/* For the engine's sessions. */
ApMediaSession *ap_sip_engine_create_media       (ApSipEngine   *self,
                                                  GError       **error);
const char     *ap_sip_engine_get_media_address  (ApSipEngine   *self);
GStrv           ap_sip_engine_get_audio_codecs   (ApSipEngine   *self);
GStrv           ap_sip_engine_get_video_codecs   (ApSipEngine   *self);
const char     *ap_sip_engine_get_srtp           (ApSipEngine   *self);
char           *ap_sip_engine_dup_dtmf_mode      (ApSipEngine   *self);
guint           ap_sip_engine_get_ring_timeout   (ApSipEngine   *self);
char           *ap_sip_engine_dup_from           (ApSipEngine   *self);
char           *ap_sip_engine_dup_route          (ApSipEngine   *self);
char           *ap_sip_engine_make_credentials   (ApSipEngine   *self,
                                                  const char    *scheme,
                                                  const char    *realm);

G_END_DECLS
