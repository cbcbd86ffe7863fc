/* ap-screen-x11.c: the screens and top-level windows of the X display,
 * for screen sharing. Windows come from the window manager's
 * _NET_CLIENT_LIST; with no window manager (a bare Xvfb), from the root's
 * mapped children that have a title. A window may vanish while we look:
 * X errors are trapped for the listing, never fatal. */
#define G_LOG_DOMAIN "Agentphone-media"

#include "ap-screen-capture.h"

#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <glib-unix.h>
#include <glib/gi18n.h>

#include "ap-error.h"

static int
ignore_x_error (Display *display, XErrorEvent *event)
{
  g_debug ("X error %d while listing windows (ignored)", event->error_code);
  return 0;
}

static char *
utf8_name (Display *display, Window window)
{
  Atom net_wm_name = XInternAtom (display, "_NET_WM_NAME", False);
  Atom utf8 = XInternAtom (display, "UTF8_STRING", False);
  Atom type = None;
  int format = 0;
  unsigned long count = 0, after = 0;
  unsigned char *data = NULL;
  char *name = NULL;

  if (XGetWindowProperty (display, window, net_wm_name, 0, 1024, False, utf8, &type, &format,
                          &count, &after, &data)
        == Success
      && type == utf8 && format == 8 && count > 0)
    name = g_utf8_make_valid ((const char *) data, (gssize) count);
  if (data != NULL)
    XFree (data);
  return name;
}

/* _NET_WM_NAME (UTF-8), else WM_NAME; NULL if it has none. */
static char *
window_title (Display *display, Window window)
{
  XTextProperty property = { 0 };
  char **list = NULL;
  int count = 0;
  char *title = utf8_name (display, window);

  if (title != NULL)
    return title;
  if (!XGetWMName (display, window, &property) || property.value == NULL)
    return NULL;
  if (Xutf8TextPropertyToTextList (display, &property, &list, &count) >= Success && count > 0)
    title = g_utf8_make_valid (list[0], -1);
  if (list != NULL)
    XFreeStringList (list);
  XFree (property.value);
  return title;
}

static gboolean
client_list (Display *display, Window root, Window **windows, unsigned long *count)
{
  Atom atom = XInternAtom (display, "_NET_CLIENT_LIST", True);
  Atom type = None;
  int format = 0;
  unsigned long after = 0;
  unsigned char *data = NULL;

  if (atom == None
      || XGetWindowProperty (display, root, atom, 0, 65536, False, XA_WINDOW, &type, &format, count,
                             &after, &data)
           != Success
      || type != XA_WINDOW || format != 32)
    {
      if (data != NULL)
        XFree (data);
      return FALSE;
    }
  *windows = (Window *) data;
  return TRUE;
}

static void
add_window (GPtrArray *sources, Display *display, Window window, gboolean managed)
{
  XWindowAttributes attributes;
  g_autofree char *title = NULL;

  if (!XGetWindowAttributes (display, window, &attributes))
    return;
  /* Unmanaged: only what a person could see and name. */
  if (!managed
      && (attributes.map_state != IsViewable || attributes.override_redirect || attributes.width < 2
          || attributes.height < 2))
    return;
  title = window_title (display, window);
  if (title == NULL && !managed)
    return;
  if (title == NULL)
    title = g_strdup_printf (_ ("Untitled window 0x%lx"), (unsigned long) window);
  g_ptr_array_add (sources, ap_screen_source_new ((guint64) window, "window", title));
}

static void
add_windows (GPtrArray *sources, Display *display, Window root)
{
  Window *windows = NULL, parent, root_return;
  unsigned long count = 0;
  unsigned int children = 0;

  if (client_list (display, root, &windows, &count))
    {
      for (unsigned long i = 0; i < count; i++)
        add_window (sources, display, windows[i], TRUE);
      XFree (windows);
      return;
    }
  if (!XQueryTree (display, root, &root_return, &parent, &windows, &children))
    return;
  for (unsigned int i = 0; i < children; i++)
    add_window (sources, display, windows[i], FALSE);
  if (windows != NULL)
    XFree (windows);
}

/**
 * ap_screen_x11_list:
 *
 * Returns: (transfer full) (element-type ApScreenSource): each screen of
 *   the display, then its windows (front last, as X stacks them)
 */
GPtrArray *
ap_screen_x11_list (GError **error)
{
  g_autoptr (GPtrArray) sources
    = g_ptr_array_new_with_free_func ((GDestroyNotify) ap_screen_source_free);
  int (*old_handler) (Display *, XErrorEvent *);
  Display *display = XOpenDisplay (NULL);

  if (display == NULL)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_NOT_SUPPORTED,
                   _ ("Cannot open the X display “%s” to list screens and windows"),
                   g_getenv ("DISPLAY") ? g_getenv ("DISPLAY") : "");
      return NULL;
    }
  old_handler = XSetErrorHandler (ignore_x_error);
  for (int screen = 0; screen < ScreenCount (display); screen++)
    {
      g_autofree char *title
        = g_strdup_printf (_ ("Screen %d (%d×%d)"), screen + 1, DisplayWidth (display, screen),
                           DisplayHeight (display, screen));

      g_ptr_array_add (sources, ap_screen_source_new (AP_SCREEN_SOURCE_SCREEN + (guint64) screen,
                                                      "screen", title));
    }
  for (int screen = 0; screen < ScreenCount (display); screen++)
    add_windows (sources, display, RootWindow (display, screen));
  XSync (display, False);
  XSetErrorHandler (old_handler);
  XCloseDisplay (display);
  return g_steal_pointer (&sources);
}

/* ---- a shared window's life ------------------------------------------- */

/* ximagesrc's X calls fail once its window is gone, and Xlib's default
 * handler would end the program. While windows are shared, errors about
 * them (and extension errors, which follow) are ignored; others go to the
 * handler there was (Xlib's or GDK's). */
G_LOCK_DEFINE_STATIC (watched);
static GArray *watched; /* Window */
static int (*previous_handler) (Display *, XErrorEvent *);

static gboolean
is_watched (XID resource, gboolean any)
{
  gboolean found = FALSE;

  G_LOCK (watched);
  for (guint i = 0; watched != NULL && i < watched->len && !found; i++)
    found = any || g_array_index (watched, Window, i) == resource;
  G_UNLOCK (watched);
  return found;
}

static int
on_x_error (Display *display, XErrorEvent *event)
{
  if (is_watched (event->resourceid, event->error_code >= 128))
    return 0;
  return previous_handler != NULL ? previous_handler (display, event) : 0;
}

static void
watch_add (Window window)
{
  G_LOCK (watched);
  if (watched == NULL)
    {
      watched = g_array_new (FALSE, FALSE, sizeof (Window));
      previous_handler = XSetErrorHandler (on_x_error);
    }
  g_array_append_val (watched, window);
  G_UNLOCK (watched);
}

static void
watch_remove (Window window)
{
  G_LOCK (watched);
  for (guint i = 0; i < watched->len; i++)
    if (g_array_index (watched, Window, i) == window)
      {
        g_array_remove_index_fast (watched, i);
        break;
      }
  G_UNLOCK (watched);
}

typedef struct {
  Display *display;
  Window window;
  guint source_id;
  GstElement *element; /* owns us */
} WindowWatch;

static void
window_watch_free (WindowWatch *watch)
{
  g_source_remove (watch->source_id);
  XCloseDisplay (watch->display);
  watch_remove (watch->window);
  g_free (watch);
}

static gboolean
on_x_events (int fd, GIOCondition condition, gpointer user_data)
{
  WindowWatch *watch = user_data;
  gboolean gone = FALSE;

  while (XPending (watch->display) > 0)
    {
      XEvent event;

      XNextEvent (watch->display, &event);
      gone |= (event.type == DestroyNotify && event.xdestroywindow.window == watch->window)
              || (event.type == UnmapNotify && event.xunmap.window == watch->window);
    }
  if (gone)
    {
      g_autoptr (GError) error = g_error_new (AP_ERROR, AP_ERROR_FAILED, "%s",
                                              _ ("The shared window was closed or hidden"));

      /* Through the pipeline's bus, like any capture failure. */
      gst_element_post_message (watch->element,
                                gst_message_new_error (GST_OBJECT (watch->element), error, NULL));
      return G_SOURCE_CONTINUE;
    }
  return G_SOURCE_CONTINUE;
}

/**
 * ap_screen_x11_watch_window:
 * @element: the window's capture, which the watch lives with
 *
 * Makes the window's end an error on @element (so the share ends) instead
 * of a fatal X error.
 */
gboolean
ap_screen_x11_watch_window (GstElement *element, guint64 window, GError **error)
{
  WindowWatch *watch;
  XWindowAttributes attributes;
  Display *display = XOpenDisplay (NULL);

  if (display == NULL)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_NOT_SUPPORTED,
                   _ ("Cannot open the X display “%s” to share a window"),
                   g_getenv ("DISPLAY") ? g_getenv ("DISPLAY") : "");
      return FALSE;
    }
  watch_add ((Window) window);
  XSelectInput (display, (Window) window, StructureNotifyMask);
  if (!XGetWindowAttributes (display, (Window) window, &attributes)
      || attributes.map_state != IsViewable)
    {
      XCloseDisplay (display);
      watch_remove ((Window) window);
      g_set_error (error, AP_ERROR, AP_ERROR_NO_SUCH_DEVICE,
                   _ ("The window 0x%lx is closed or hidden: choose another one"),
                   (unsigned long) window);
      return FALSE;
    }
  watch = g_new0 (WindowWatch, 1);
  watch->display = display;
  watch->window = (Window) window;
  watch->element = element;
  watch->source_id = g_unix_fd_add (ConnectionNumber (display), G_IO_IN, on_x_events, watch);
  g_object_set_data_full (G_OBJECT (element), "ap-window-watch", watch,
                          (GDestroyNotify) window_watch_free);
  return TRUE;
}
