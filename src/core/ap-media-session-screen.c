/* ap-media-session-screen.c: the optional screen-sharing methods of
 * ApMediaFactory and ApMediaSession. */
#include "ap-media-session-screen.h"

#include <glib/gi18n.h>

#include "ap-error.h"

/** ap_screen_source_new: (transfer full): one shareable screen or window */
ApScreenSource *
ap_screen_source_new (guint64 id, const char *kind, const char *title)
{
  ApScreenSource *source = g_new0 (ApScreenSource, 1);

  source->id = id;
  source->kind = g_strdup (kind);
  source->title = g_strdup (title ? title : "");
  return source;
}

void
ap_screen_source_free (ApScreenSource *source)
{
  if (source == NULL)
    return;
  g_free (source->kind);
  g_free (source->title);
  g_free (source);
}

/**
 * ap_media_factory_list_screen_sources:
 *
 * Returns: (transfer full) (element-type ApScreenSource): the screens and
 *   windows that can be shared now, or %NULL with @error set
 */
GPtrArray *
ap_media_factory_list_screen_sources (ApMediaFactory *self, GError **error)
{
  ApMediaFactoryInterface *iface;

  g_return_val_if_fail (AP_IS_MEDIA_FACTORY (self), NULL);
  iface = AP_MEDIA_FACTORY_GET_IFACE (self);
  if (iface->list_screen_sources == NULL)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_NOT_SUPPORTED,
                   _ ("This media engine cannot share the screen"));
      return NULL;
    }
  return iface->list_screen_sources (self, error);
}

/**
 * ap_media_session_set_screen_source:
 * @id: a source from the listing, or 0 for the camera again
 * @ended: (nullable): told if the share ends on its own
 *
 * Sends the source's picture instead of the camera's, in this call's
 * video (now, or when its video starts). On failure the call keeps what
 * it was sending.
 */
gboolean
ap_media_session_set_screen_source (ApMediaSession *self, guint64 id, ApScreenEndedFunc ended,
                                    gpointer user_data, GError **error)
{
  ApMediaSessionInterface *iface;

  g_return_val_if_fail (AP_IS_MEDIA_SESSION (self), FALSE);
  iface = AP_MEDIA_SESSION_GET_IFACE (self);
  if (iface->set_screen_source == NULL)
    {
      if (id == 0)
        return TRUE;
      g_set_error (error, AP_ERROR, AP_ERROR_NOT_SUPPORTED,
                   _ ("This call's media cannot share the screen"));
      return FALSE;
    }
  return iface->set_screen_source (self, id, ended, user_data, error);
}
