#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

GstElement *ap_media_override_make (const char  *variable,
                                    GError     **error);

G_END_DECLS
