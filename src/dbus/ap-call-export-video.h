#pragma once

#include "ap-call-export.h"
#include "ap-dbus-generated.h"

G_BEGIN_DECLS

void ap_call_export_video_connect (ApCallExport *self,
                                   ApDbusCall   *skeleton);

G_END_DECLS
