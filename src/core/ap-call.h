#pragma once

#include <glib-object.h>

#include "ap-call-backend.h"
#include "ap-media-session.h"
#include "ap-settings.h"
#include "ap-types.h"

G_BEGIN_DECLS

#define AP_TYPE_CALL (ap_call_get_type ())
G_DECLARE_FINAL_TYPE (ApCall, ap_call, AP, CALL, GObject)

ApCall          *ap_call_new               (ApCallDirection   direction,
                                            const char       *peer,
                                            const char       *peer_name);
void             ap_call_set_backend       (ApCall           *self,
                                            ApCallBackend    *backend);
void             ap_call_set_media         (ApCall           *self,
                                            ApMediaSession   *media);
ApMediaSession  *ap_call_get_media         (ApCall           *self);

/* What people and scripts do. */
gboolean         ap_call_answer            (ApCall           *self,
                                            GError          **error);
gboolean         ap_call_hangup            (ApCall           *self,
                                            GError          **error);
gboolean         ap_call_reject            (ApCall           *self,
                                            guint             code,
                                            GError          **error);
gboolean         ap_call_set_muted         (ApCall           *self,
                                            gboolean          muted,
                                            GError          **error);
gboolean         ap_call_hold              (ApCall           *self,
                                            GError          **error);
gboolean         ap_call_send_dtmf         (ApCall           *self,
                                            const char       *digits,
                                            GError          **error);
void             ap_call_dtmf_received     (ApCall           *self,
                                            const char       *digit);
gboolean         ap_call_transfer          (ApCall           *self,
                                            const char       *target,
                                            GError          **error);
gboolean         ap_call_transfer_to_call  (ApCall           *self,
                                            ApCall           *other,
                                            GError          **error);
void             ap_call_transfer_progress (ApCall           *self,
                                            guint             code,
                                            const char       *reason);
gboolean         ap_call_resume            (ApCall           *self,
                                            GError          **error);

/* What the network reports (for backends). */
void             ap_call_remote_ringing    (ApCall           *self,
                                            guint             code,
                                            const char       *reason);
void             ap_call_connected         (ApCall           *self,
                                            guint             code,
                                            const char       *reason);
void             ap_call_ended             (ApCall           *self,
                                            guint             code,
                                            const char       *reason);
void             ap_call_hold_changed      (ApCall           *self,
                                            gboolean          held,
                                            guint             code,
                                            const char       *reason);
void             ap_call_set_remote_held   (ApCall           *self,
                                            gboolean          remote_held);
void             ap_call_set_audio_codec   (ApCall           *self,
                                            const char       *codec);
void             ap_call_set_encrypted     (ApCall           *self,
                                            gboolean          encrypted);
gboolean         ap_call_get_encrypted     (ApCall           *self);
void             ap_call_set_headers       (ApCall           *self,
                                            GHashTable       *headers);
void             ap_call_set_answer_after  (ApCall           *self,
                                            int               seconds);
int              ap_call_get_answer_after  (ApCall           *self);
void             ap_call_set_early_media   (ApCall           *self,
                                            gboolean          early_media);
gboolean         ap_call_get_early_media   (ApCall           *self);
void             ap_call_set_rtp_timeout   (ApCall           *self,
                                            guint             seconds);
GVariant        *ap_call_get_stats         (ApCall           *self);

/* Recording (ap-call-recording.c). */
void             ap_call_set_settings         (ApCall        *self,
                                               ApSettings    *settings);
char            *ap_call_start_recording      (ApCall        *self,
                                               const char    *path,
                                               GError       **error);
char            *ap_call_stop_recording       (ApCall        *self,
                                               GError       **error);
gboolean         ap_call_pause_recording      (ApCall        *self,
                                               GError       **error);
gboolean         ap_call_resume_recording     (ApCall        *self,
                                               GError       **error);
gboolean         ap_call_get_recording        (ApCall        *self);
gboolean         ap_call_get_recording_paused (ApCall        *self);
const char      *ap_call_get_recording_path   (ApCall        *self);

guint            ap_call_get_id            (ApCall           *self);
ApCallDirection  ap_call_get_direction     (ApCall           *self);
ApCallState      ap_call_get_state         (ApCall           *self);
const char      *ap_call_get_peer          (ApCall           *self);
const char      *ap_call_get_peer_number   (ApCall           *self);
const char      *ap_call_get_peer_name     (ApCall           *self);
gboolean         ap_call_get_muted         (ApCall           *self);
gboolean         ap_call_get_held          (ApCall           *self);
gboolean         ap_call_get_remote_held   (ApCall           *self);
gboolean         ap_call_get_media_active  (ApCall           *self);
const char      *ap_call_get_audio_codec   (ApCall           *self);
gint64           ap_call_get_start_time    (ApCall           *self);
guint            ap_call_get_end_code      (ApCall           *self);
const char      *ap_call_get_end_reason    (ApCall           *self);
GHashTable      *ap_call_get_headers       (ApCall           *self);
const char      *ap_call_state_to_string   (ApCallState       state);
const char      *ap_call_direction_to_string (ApCallDirection direction);

G_END_DECLS
