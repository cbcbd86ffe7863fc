#pragma once

#include <glib-object.h>

#include "ap-call.h"
#include "ap-media-session.h"

G_BEGIN_DECLS

#define AP_TYPE_ECHO_TEST (ap_echo_test_get_type ())
G_DECLARE_FINAL_TYPE (ApEchoTest, ap_echo_test, AP, ECHO_TEST, GObject)

ApCall *ap_echo_test_new_call (ApMediaFactory     *factory,
                               const char *const  *audio_codecs,
                               GError            **error);

G_END_DECLS
