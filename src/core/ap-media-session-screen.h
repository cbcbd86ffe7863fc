#pragma once

/* ap-media-session-screen.h: screen sharing through the media engine. The
 * factory lists what can be shared; a call's media session sends a chosen
 * source in place of its camera. Ids are opaque to the core, except that 0
 * is "no source" (the camera). */

#include "ap-media-session.h"

G_BEGIN_DECLS

/* Ids the media engine hands out: an X11 window is its XID (below 2^32);
 * a screen is AP_SCREEN_SOURCE_SCREEN + its number; the portal's choice
 * (made by the person in the system's dialog) is AP_SCREEN_SOURCE_PORTAL. */
#define AP_SCREEN_SOURCE_SCREEN (G_GUINT64_CONSTANT (1) << 32)
#define AP_SCREEN_SOURCE_PORTAL (G_GUINT64_CONSTANT (2) << 32)

/**
 * ApScreenSource:
 * @id: what ScreenShare.SetSource takes
 * @kind: `screen` or `window`
 * @title: what a person recognises it by
 */
typedef struct {
  guint64 id;
  char *kind;
  char *title;
} ApScreenSource;

ApScreenSource *ap_screen_source_new  (guint64         id,
                                       const char     *kind,
                                       const char     *title);
void            ap_screen_source_free (ApScreenSource *source);

GPtrArray *ap_media_factory_list_screen_sources (ApMediaFactory    *self,
                                                 GError           **error);
gboolean   ap_media_session_set_screen_source   (ApMediaSession    *self,
                                                 guint64            id,
                                                 ApScreenEndedFunc  ended,
                                                 gpointer           user_data,
                                                 GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ApScreenSource, ap_screen_source_free)

G_END_DECLS
