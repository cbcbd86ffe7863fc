#pragma once

#include <glib-object.h>

#include "ap-devices.h"
#include "ap-media-session.h"
#include "ap-settings.h"

G_BEGIN_DECLS

#define AP_TYPE_MEDIA_ENGINE (ap_media_engine_get_type ())
G_DECLARE_FINAL_TYPE (ApMediaEngine, ap_media_engine, AP, MEDIA_ENGINE, GObject)

ApMediaEngine *ap_media_engine_new          (void);
void           ap_media_engine_set_settings (ApMediaEngine *self,
                                             ApSettings    *settings);
ApDevices     *ap_media_engine_get_devices  (ApMediaEngine *self);

G_END_DECLS
