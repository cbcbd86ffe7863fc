/* ap-video-window.c: the detached video window. It opens when a call has
 * video and closes when none has, at the place and size the core's
 * SetWindow gave (the position is applied on X11; Wayland leaves it to the
 * compositor). Smaller than 480×360 it shows only video; bigger, a bar of
 * controls for the call: hang up, mute, camera, snapshot. */
#define G_LOG_DOMAIN "Agentphone-ui"

#include "config.h"

#include "ap-video-window.h"

#include <glib/gi18n.h>
#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#endif

#include "ap-call-video-controls.h"
#include "ap-video-view.h"
#include "ap-video.h"

struct _ApVideoWindow {
  GtkWindow parent_instance;

  ApVideoFeed *feed;
  ApVideo *video;
  GtkWidget *controls;
  GtkWidget *mute_button;
  GtkWidget *camera_button;
  guint controls_idle;
};

G_DEFINE_FINAL_TYPE (ApVideoWindow, ap_video_window, GTK_TYPE_WINDOW)

static GtkWidget *
control_button (ApVideoWindow *self, const char *name, const char *icon, const char *label,
                GCallback callback)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_name (button, name);
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  gtk_widget_add_css_class (button, "circular");
  g_signal_connect_swapped (button, "clicked", callback, self);
  gtk_box_append (GTK_BOX (self->controls), button);
  return button;
}

static void
report (ApVideoWindow *self, GError *error)
{
  ap_call_video_controls_toast (GTK_WIDGET (self), error->message);
  g_error_free (error);
}

static void
on_hangup (ApVideoWindow *self)
{
  ApCall *call = ap_video_feed_get_call (self->feed);
  GError *error = NULL;

  if (call != NULL && !ap_call_hangup (call, &error))
    report (self, error);
}

static void
on_mute (ApVideoWindow *self)
{
  ApCall *call = ap_video_feed_get_call (self->feed);
  GError *error = NULL;

  if (call != NULL && !ap_call_set_muted (call, !ap_call_get_muted (call), &error))
    report (self, error);
}

static void
on_camera (ApVideoWindow *self)
{
  GError *error = NULL;

  if (ap_video_get_camera_open (self->video))
    ap_video_close_camera (self->video);
  else if (!ap_video_open_camera (self->video, &error))
    report (self, error);
}

static void
on_snapshot (ApVideoWindow *self)
{
  ApCall *call = ap_video_feed_get_call (self->feed);

  if (call != NULL)
    ap_call_video_controls_save_snapshot (GTK_WIDGET (self), ap_video_feed_get_phone (self->feed),
                                          call);
}

static void
sync_buttons (ApVideoWindow *self)
{
  ApCall *call = ap_video_feed_get_call (self->feed);
  gboolean muted = call != NULL && ap_call_get_muted (call);
  gboolean camera = ap_video_get_camera_open (self->video);

  gtk_button_set_icon_name (GTK_BUTTON (self->mute_button),
                            muted ? "microphone-sensitivity-muted-symbolic"
                                  : "audio-input-microphone-symbolic");
  gtk_widget_set_tooltip_text (self->mute_button, muted ? _ ("Unmute") : _ ("Mute"));
  gtk_button_set_icon_name (GTK_BUTTON (self->camera_button),
                            camera ? "camera-video-symbolic" : "camera-disabled-symbolic");
  gtk_widget_set_tooltip_text (self->camera_button,
                               camera ? _ ("Turn the camera off") : _ ("Turn the camera on"));
}

/* Where the core says, on X11 (GTK 4 itself cannot place windows). */
static void
apply_position (ApVideoWindow *self)
{
#ifdef GDK_WINDOWING_X11
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (self));
  int x, y;
  guint width, height;

  if (surface == NULL || !GDK_IS_X11_SURFACE (surface))
    return;
  ap_video_get_window (self->video, &x, &y, &width, &height);
  XMoveResizeWindow (gdk_x11_display_get_xdisplay (gdk_surface_get_display (surface)),
                     gdk_x11_surface_get_xid (surface), x, y, width, height);
#endif
}

static void
apply_geometry (ApVideoWindow *self)
{
  guint width, height;

  ap_video_get_window (self->video, NULL, NULL, &width, &height);
  gtk_window_set_default_size (GTK_WINDOW (self), (int) width, (int) height);
  if (gtk_widget_get_realized (GTK_WIDGET (self)))
    apply_position (self);
}

static void
on_feed_call (ApVideoWindow *self)
{
  ApCall *call = ap_video_feed_get_call (self->feed);

  if (call != NULL)
    {
      g_signal_connect_object (call, "notify::muted", G_CALLBACK (sync_buttons), self,
                               G_CONNECT_SWAPPED);
      sync_buttons (self);
      if (!gtk_widget_get_visible (GTK_WIDGET (self)))
        {
          apply_geometry (self);
          gtk_window_present (GTK_WINDOW (self));
        }
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

static gboolean
update_controls (gpointer data)
{
  ApVideoWindow *self = data;
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));

  self->controls_idle = 0;
  gtk_widget_set_visible (self->controls, width >= AP_VIDEO_CONTROLS_MIN_WIDTH
                                            && height >= AP_VIDEO_CONTROLS_MIN_HEIGHT);
  return G_SOURCE_REMOVE;
}

/* The controls follow the real size (SetWindow's, or the user's resizing);
 * changed after the allocation, not during it. */
static void
ap_video_window_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  ApVideoWindow *self = AP_VIDEO_WINDOW (widget);
  gboolean wanted = width >= AP_VIDEO_CONTROLS_MIN_WIDTH && height >= AP_VIDEO_CONTROLS_MIN_HEIGHT;

  GTK_WIDGET_CLASS (ap_video_window_parent_class)->size_allocate (widget, width, height, baseline);
  if (wanted != gtk_widget_get_visible (self->controls) && self->controls_idle == 0)
    self->controls_idle = g_idle_add (update_controls, self);
}

static void
ap_video_window_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (ap_video_window_parent_class)->map (widget);
  apply_position (AP_VIDEO_WINDOW (widget));
}

static gboolean
ap_video_window_close_request (GtkWindow *window)
{
  /* Closed by the user: hidden until the next video call. */
  gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
  return TRUE;
}

/** ap_video_window_get_controls_shown: whether the control bar shows (big enough) */
gboolean
ap_video_window_get_controls_shown (ApVideoWindow *self)
{
  g_return_val_if_fail (AP_IS_VIDEO_WINDOW (self), FALSE);
  return gtk_widget_get_visible (self->controls);
}

static void
ap_video_window_dispose (GObject *object)
{
  ApVideoWindow *self = AP_VIDEO_WINDOW (object);

  g_clear_handle_id (&self->controls_idle, g_source_remove);
  g_clear_object (&self->feed);
  G_OBJECT_CLASS (ap_video_window_parent_class)->dispose (object);
}

static void
ap_video_window_class_init (ApVideoWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ap_video_window_dispose;
  widget_class->size_allocate = ap_video_window_size_allocate;
  widget_class->map = ap_video_window_map;
  GTK_WINDOW_CLASS (klass)->close_request = ap_video_window_close_request;
}

static void
ap_video_window_init (ApVideoWindow *self)
{
  gtk_window_set_title (GTK_WINDOW (self), _ ("Video call"));
  gtk_widget_set_name (GTK_WIDGET (self), "video-window");
}

/** ap_video_window_new: a window that shows @feed's video while a call has it */
GtkWidget *
ap_video_window_new (ApVideoFeed *feed)
{
  ApVideoWindow *self;
  GtkWidget *overlay, *toasts;

  g_return_val_if_fail (AP_IS_VIDEO_FEED (feed), NULL);

  self = g_object_new (AP_TYPE_VIDEO_WINDOW, NULL);
  self->feed = g_object_ref (feed);
  self->video = ap_phone_get_video (ap_video_feed_get_phone (feed));
  overlay = gtk_overlay_new ();
  gtk_overlay_set_child (GTK_OVERLAY (overlay), ap_video_view_new (feed));
  self->controls = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_name (self->controls, "video-controls");
  gtk_widget_set_halign (self->controls, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (self->controls, GTK_ALIGN_END);
  gtk_widget_set_margin_bottom (self->controls, 18);
  gtk_widget_add_css_class (self->controls, "osd");
  gtk_widget_add_css_class (self->controls, "toolbar");
  control_button (self, "video-hangup", "call-stop-symbolic", _ ("Hang up"),
                  G_CALLBACK (on_hangup));
  gtk_widget_add_css_class (gtk_widget_get_last_child (self->controls), "destructive-action");
  self->mute_button = control_button (self, "video-mute", "audio-input-microphone-symbolic",
                                      _ ("Mute"), G_CALLBACK (on_mute));
  self->camera_button = control_button (self, "video-camera", "camera-video-symbolic",
                                        _ ("Turn the camera off"), G_CALLBACK (on_camera));
  control_button (self, "video-snapshot", "camera-photo-symbolic",
                  _ ("Save a snapshot of the other side’s video"), G_CALLBACK (on_snapshot));
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), self->controls);
  toasts = adw_toast_overlay_new ();
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (toasts), overlay);
  gtk_window_set_child (GTK_WINDOW (self), toasts);

  g_signal_connect_object (self->video, "window-changed", G_CALLBACK (apply_geometry), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->video, "notify::camera-open", G_CALLBACK (sync_buttons), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (feed, "notify::call", G_CALLBACK (on_feed_call), self,
                           G_CONNECT_SWAPPED);
  apply_geometry (self);
  sync_buttons (self);
  on_feed_call (self);
  return GTK_WIDGET (self);
}
