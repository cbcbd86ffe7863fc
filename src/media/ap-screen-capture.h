#pragma once

/* ap-screen-capture.h: what can be shared and how it is captured (private
 * to src/media). On X11 (DISPLAY set, outside Flatpak) screens and windows
 * are listed with Xlib and captured by ximagesrc; on Wayland or in Flatpak
 * the ScreenCast portal asks the person what to share and pipewiresrc
 * captures it; AGENTPHONE_SCREEN_INPUT replaces both. */

#include <gio/gio.h>
#include <gst/gst.h>

#include "ap-media-session-screen.h"

G_BEGIN_DECLS

/* Frames a second taken from the screen; the send chain repeats them up to
 * the call's rate, which costs the encoder little on a still picture. */
#define AP_SCREEN_FPS 10

gboolean    ap_screen_capture_uses_portal  (void);
GPtrArray  *ap_screen_capture_list         (GError              **error);
GstElement *ap_screen_capture_make         (guint64               id,
                                            guint                 call_id,
                                            GError              **error);

/* ap-screen-x11.c */
GPtrArray  *ap_screen_x11_list             (GError              **error);
gboolean    ap_screen_x11_watch_window     (GstElement           *element,
                                            guint64               window,
                                            GError              **error);

/* ap-screen-portal.c */
void        ap_screen_portal_open_async    (GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
GstElement *ap_screen_portal_open_finish   (GAsyncResult         *result,
                                            GError              **error);

G_END_DECLS
