/* ap-screen-portal.c: screen capture through the ScreenCast portal (Wayland,
 * Flatpak), with libportal: the person picks a monitor or window in the
 * system's dialog, the portal hands us a PipeWire remote and a stream node,
 * and pipewiresrc captures it. The portal session lives as long as the
 * capture element. Not exercised by the tests (they have no PipeWire
 * daemon or portal); X11 capture is. */
#define G_LOG_DOMAIN "Agentphone-media"

#include "ap-screen-capture.h"

#include <glib/gi18n.h>

#include "ap-error.h"

#ifdef AP_HAVE_LIBPORTAL

#include <libportal/portal.h>
#include <unistd.h>

typedef struct {
  XdpPortal *portal;
  XdpSession *session;
  int fd;
} PortalCapture;

static void
portal_capture_free (PortalCapture *capture)
{
  if (capture->fd >= 0)
    close (capture->fd);
  if (capture->session != NULL)
    xdp_session_close (capture->session);
  g_clear_object (&capture->session);
  g_clear_object (&capture->portal);
  g_free (capture);
}

static gboolean
first_node (XdpSession *session, guint32 *node)
{
  g_autoptr (GVariant) streams = xdp_session_get_streams (session);
  g_autoptr (GVariant) properties = NULL;

  if (streams == NULL || g_variant_n_children (streams) == 0)
    return FALSE;
  g_variant_get_child (streams, 0, "(u@a{sv})", node, &properties);
  return TRUE;
}

static GstElement *
make_source (PortalCapture *capture, GError **error)
{
  g_autofree char *description = NULL;
  g_autoptr (GError) parse_error = NULL;
  GstElement *bin;
  guint32 node = 0;

  if (!first_node (capture->session, &node))
    {
      g_set_error (error, AP_ERROR, AP_ERROR_FAILED, _ ("The system shared no screen or window"));
      return NULL;
    }
  capture->fd = xdp_session_open_pipewire_remote (capture->session);
  if (capture->fd < 0)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_FAILED,
                   _ ("Cannot reach the screen the system shared (PipeWire refused)"));
      return NULL;
    }
  /* pipewiresrc takes its own copy of the fd. */
  description = g_strdup_printf ("pipewiresrc fd=%d path=%u always-copy=true ! videorate "
                                 "! video/x-raw,framerate=%d/1",
                                 capture->fd, node, AP_SCREEN_FPS);
  bin = gst_parse_bin_from_description (description, TRUE, &parse_error);
  if (bin == NULL)
    g_set_error (error, AP_ERROR, AP_ERROR_NOT_SUPPORTED,
                 "Cannot capture the shared screen (%s): install gstreamer1.0-pipewire",
                 parse_error->message);
  return bin;
}

static void
on_started (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  PortalCapture *capture = g_task_get_task_data (task);
  GError *error = NULL;
  GstElement *source;

  if (!xdp_session_start_finish (XDP_SESSION (object), result, &error))
    {
      g_task_return_new_error (task, AP_ERROR, AP_ERROR_FAILED,
                               _ ("Screen sharing was not allowed in the system dialog: %s"),
                               error->message);
      g_error_free (error);
      return;
    }
  source = make_source (capture, &error);
  if (source == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* The element keeps the session (and fd) alive, and closes it when it goes. */
  g_object_set_data_full (G_OBJECT (source), "ap-portal-capture", g_task_get_task_data (task),
                          (GDestroyNotify) portal_capture_free);
  g_task_set_task_data (task, NULL, NULL);
  g_task_return_pointer (task, gst_object_ref_sink (source), gst_object_unref);
}

static void
on_session_created (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  PortalCapture *capture = g_task_get_task_data (task);
  GError *error = NULL;

  capture->session
    = xdp_portal_create_screencast_session_finish (XDP_PORTAL (object), result, &error);
  if (capture->session == NULL)
    {
      g_task_return_new_error (task, AP_ERROR, AP_ERROR_NOT_SUPPORTED,
                               _ ("The system's screen-sharing portal is not available: %s"),
                               error->message);
      g_error_free (error);
      return;
    }
  xdp_session_start (capture->session, NULL, g_task_get_cancellable (task), on_started,
                     g_object_ref (task));
}

void
ap_screen_portal_open_async (GCancellable *cancellable, GAsyncReadyCallback callback,
                             gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  PortalCapture *capture = g_new0 (PortalCapture, 1);

  capture->fd = -1;
  capture->portal = xdp_portal_new ();
  g_task_set_task_data (task, capture, (GDestroyNotify) portal_capture_free);
  xdp_portal_create_screencast_session (capture->portal, XDP_OUTPUT_MONITOR | XDP_OUTPUT_WINDOW,
                                        XDP_SCREENCAST_FLAG_NONE, XDP_CURSOR_MODE_EMBEDDED,
                                        XDP_PERSIST_MODE_NONE, NULL, cancellable,
                                        on_session_created, g_object_ref (task));
}

#else /* !AP_HAVE_LIBPORTAL */

void
ap_screen_portal_open_async (GCancellable *cancellable, GAsyncReadyCallback callback,
                             gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_return_new_error (task, AP_ERROR, AP_ERROR_NOT_SUPPORTED,
                           _ ("This build cannot share the screen on Wayland (no libportal)"));
}

#endif

/**
 * ap_screen_portal_open_finish:
 *
 * Returns: (transfer full): the capture element (a bin), or %NULL with
 *   @error set (no portal, the person said no, no PipeWire)
 */
GstElement *
ap_screen_portal_open_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
