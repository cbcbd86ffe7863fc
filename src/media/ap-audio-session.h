#pragma once

#include <glib-object.h>

#include "ap-devices.h"
#include "ap-media-session.h"

G_BEGIN_DECLS

#define AP_TYPE_AUDIO_SESSION (ap_audio_session_get_type ())
G_DECLARE_FINAL_TYPE (ApAudioSession, ap_audio_session, AP, AUDIO_SESSION, GObject)

ApAudioSession *ap_audio_session_new                     (void);
void            ap_audio_session_set_source_description (ApAudioSession *self,
                                                          const char     *description);
void            ap_audio_session_set_sink_description   (ApAudioSession *self,
                                                          const char     *description);
void            ap_audio_session_set_echo_delay         (ApAudioSession *self,
                                                          guint           delay_ms);
void            ap_audio_session_set_processing         (ApAudioSession *self,
                                                          gboolean        echo_cancellation,
                                                          guint           noise_suppression,
                                                          gboolean        auto_gain);
void            ap_audio_session_set_devices            (ApAudioSession *self,
                                                          ApDevices      *devices);

G_END_DECLS
