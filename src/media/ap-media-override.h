#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

GstElement *ap_media_override_make          (const char  *variable,
                                             GError     **error);
GstElement *ap_media_override_make_for_call (const char  *variable,
                                             guint        call_id,
                                             GError     **error);

G_END_DECLS
