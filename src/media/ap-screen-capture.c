/* ap-screen-capture.c: which way screens are listed and captured here (the
 * test override, X11 or the ScreenCast portal), and the capture element
 * for a source. */
#define G_LOG_DOMAIN "Agentphone-media"

#include "ap-screen-capture.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ap-error.h"
#include "ap-media-override.h"

#define OVERRIDE "AGENTPHONE_SCREEN_INPUT"

static gboolean
has_override (void)
{
  const char *value = g_getenv (OVERRIDE);

  return value != NULL && *value != '\0';
}

/**
 * ap_screen_capture_uses_portal:
 *
 * Wayland (no X display) and Flatpak (no access to other X clients'
 * windows) go through the ScreenCast portal.
 */
gboolean
ap_screen_capture_uses_portal (void)
{
  const char *display = g_getenv ("DISPLAY");

  return !has_override () && (display == NULL || *display == '\0' || g_getenv ("FLATPAK_ID"));
}

/**
 * ap_screen_capture_list:
 *
 * Returns: (transfer full) (element-type ApScreenSource): what can be
 *   shared; through the portal, one entry whose picture the person
 *   chooses in the system's dialog when the share starts
 */
GPtrArray *
ap_screen_capture_list (GError **error)
{
  GPtrArray *sources;

  if (!has_override () && !ap_screen_capture_uses_portal ())
    return ap_screen_x11_list (error);
  sources = g_ptr_array_new_with_free_func ((GDestroyNotify) ap_screen_source_free);
  if (has_override ())
    g_ptr_array_add (sources, ap_screen_source_new (AP_SCREEN_SOURCE_SCREEN, "screen",
                                                    _ ("Test picture (AGENTPHONE_SCREEN_INPUT)")));
  else
    g_ptr_array_add (sources,
                     ap_screen_source_new (AP_SCREEN_SOURCE_PORTAL, "screen",
                                           _ ("A screen or window chosen in the system dialog")));
  return sources;
}

/* ximagesrc takes a screen as part of the display's name: `:0.1`. */
static char *
screen_display (guint screen)
{
  g_autofree char *display = g_strdup (g_getenv ("DISPLAY"));
  char *colon = display ? strrchr (display, ':') : NULL;
  char *dot = colon ? strchr (colon, '.') : NULL;

  if (dot != NULL)
    *dot = '\0';
  return g_strdup_printf ("%s.%u", display ? display : "", screen);
}

/* ximagesrc (a window, or a whole screen) → the capture rate, as a bin. */
static GstElement *
make_ximagesrc (const char *display, guint64 window, GError **error)
{
  g_autoptr (GstCaps) caps
    = gst_caps_new_simple ("video/x-raw", "framerate", GST_TYPE_FRACTION, AP_SCREEN_FPS, 1, NULL);
  GstElement *bin, *source = gst_element_factory_make ("ximagesrc", NULL);
  GstElement *rate = gst_element_factory_make ("capsfilter", NULL);
  g_autoptr (GstPad) pad = NULL;

  if (source == NULL || rate == NULL)
    {
      if (source != NULL)
        gst_object_unref (gst_object_ref_sink (source));
      if (rate != NULL)
        gst_object_unref (gst_object_ref_sink (rate));
      g_set_error (error, AP_ERROR, AP_ERROR_NOT_SUPPORTED,
                   "Cannot capture the screen: install gstreamer1.0-plugins-good (ximagesrc)");
      return NULL;
    }
  /* Damage tracking costs more than it saves with motion (media.md). */
  g_object_set (source, "use-damage", FALSE, NULL);
  if (display != NULL)
    g_object_set (source, "display-name", display, NULL);
  if (window != 0)
    g_object_set (source, "xid", (gulong) window, NULL);
  g_object_set (rate, "caps", caps, NULL);
  bin = gst_bin_new (NULL);
  gst_bin_add_many (GST_BIN (bin), source, rate, NULL);
  gst_element_link (source, rate);
  pad = gst_element_get_static_pad (rate, "src");
  gst_element_add_pad (bin, gst_ghost_pad_new ("src", pad));
  return bin;
}

static GstElement *
make_x11 (guint64 id, GError **error)
{
  g_autofree char *display = NULL;
  GstElement *bin;

  if (id >= AP_SCREEN_SOURCE_SCREEN && id < AP_SCREEN_SOURCE_PORTAL)
    {
      display = screen_display ((guint) (id - AP_SCREEN_SOURCE_SCREEN));
      return make_ximagesrc (display, 0, error);
    }
  if (id == 0 || id >= AP_SCREEN_SOURCE_SCREEN)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_NO_SUCH_DEVICE,
                   "%" G_GUINT64_FORMAT " is not an X11 screen or window", id);
      return NULL;
    }
  bin = make_ximagesrc (NULL, id, error);
  if (bin != NULL && !ap_screen_x11_watch_window (bin, id, error))
    {
      gst_object_unref (gst_object_ref_sink (bin));
      return NULL;
    }
  return bin;
}

/**
 * ap_screen_capture_make:
 * @id: a source from ap_screen_capture_list(), not the portal's
 *
 * Returns: (transfer floating): the capture, a bin with one video pad
 */
GstElement *
ap_screen_capture_make (guint64 id, guint call_id, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  GstElement *override = ap_media_override_make_for_call (OVERRIDE, call_id, &local_error);

  if (override != NULL || local_error != NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return override;
    }
  return make_x11 (id, error);
}
