#pragma once

#include <glib-object.h>

#include "ap-media-session-screen.h"
#include "ap-phone.h"

G_BEGIN_DECLS

#define AP_TYPE_SCREEN_SHARE (ap_screen_share_get_type ())
G_DECLARE_FINAL_TYPE (ApScreenShare, ap_screen_share, AP, SCREEN_SHARE, GObject)

ApScreenShare *ap_phone_get_screen_share      (ApPhone        *phone);

GPtrArray     *ap_screen_share_list_sources   (ApScreenShare  *self,
                                               GError        **error);
gboolean       ap_screen_share_set_source     (ApScreenShare  *self,
                                               guint64         id,
                                               GError        **error);
guint64        ap_screen_share_get_source     (ApScreenShare  *self);
gboolean       ap_screen_share_start          (ApScreenShare  *self,
                                               GError        **error);
void           ap_screen_share_stop           (ApScreenShare  *self);
void           ap_screen_share_set_enabled    (ApScreenShare  *self,
                                               gboolean        enabled);
gboolean       ap_screen_share_get_enabled    (ApScreenShare  *self);
gboolean       ap_screen_share_get_active     (ApScreenShare  *self);

G_END_DECLS
