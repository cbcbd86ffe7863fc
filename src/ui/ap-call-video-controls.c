/* ap-call-video-controls.c: a call row's video buttons: video on/off
 * (RequestVideo by re-INVITE; the button follows what the core confirms,
 * since the far end may refuse), a snapshot of the far end's picture (a PNG
 * in the recordings folder, its path in a toast), and "Add video" when the
 * far end asks for it (VideoRequested). */
#define G_LOG_DOMAIN "Agentphone-ui"

#include "config.h"

#include "ap-call-video-controls.h"

#include <glib/gi18n.h>

#include "ap-call-video.h"

struct _ApCallVideoControls {
  GtkBox parent_instance;

  ApCall *call;
  ApPhone *phone;
  ApCallVideo *video;
  GtkWidget *video_button;
  GtkWidget *snapshot_button;
  GtkWidget *requested_button;
};

G_DEFINE_FINAL_TYPE (ApCallVideoControls, ap_call_video_controls, GTK_TYPE_BOX)

/** ap_call_video_controls_toast: @text in the toast overlay around @from (else logged) */
void
ap_call_video_controls_toast (GtkWidget *from, const char *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (from, ADW_TYPE_TOAST_OVERLAY);

  if (overlay == NULL && GTK_IS_WINDOW (from))
    overlay = gtk_window_get_child (GTK_WINDOW (from));
  if (overlay == NULL || !ADW_IS_TOAST_OVERLAY (overlay))
    {
      g_warning ("%s", text);
      return;
    }
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
}

/**
 * ap_call_video_controls_save_snapshot:
 *
 * Saves the far end's picture as a new PNG in the recordings folder, as
 * DBus Snapshot("") does, and says where in a toast (or why not).
 *
 * Returns: (transfer full) (nullable): the path written
 */
char *
ap_call_video_controls_save_snapshot (GtkWidget *toast_from, ApPhone *phone, ApCall *call)
{
  ApSettings *settings = ap_phone_get_settings (phone);
  const char *dir = settings ? ap_settings_get_string (settings, "recordings-dir") : NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;

  path = ap_call_video_snapshot_to_file (ap_call_get_video (call), "", dir, &error);
  if (path == NULL)
    {
      g_message ("No snapshot: %s", error->message);
      ap_call_video_controls_toast (toast_from, error->message);
      return NULL;
    }
  /* TRANSLATORS: %s is the path of a PNG file */
  text = g_strdup_printf (_ ("Snapshot saved to %s"), path);
  ap_call_video_controls_toast (toast_from, text);
  return g_steal_pointer (&path);
}

static void
set_button (GtkWidget *button, const char *label)
{
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static void
sync_video (ApCallVideoControls *self)
{
  gboolean active = ap_call_video_get_active (self->video);

  gtk_button_set_icon_name (GTK_BUTTON (self->video_button),
                            active ? "camera-disabled-symbolic" : "camera-video-symbolic");
  set_button (self->video_button, active ? _ ("Stop video") : _ ("Add video"));
  gtk_widget_set_visible (self->snapshot_button, active);
  if (active)
    gtk_widget_set_visible (self->requested_button, FALSE);
}

static void
request (ApCallVideoControls *self, gboolean enable)
{
  g_autoptr (GError) error = NULL;

  if (!ap_call_video_request (self->video, enable, &error))
    ap_call_video_controls_toast (GTK_WIDGET (self), error->message);
}

static void
on_video_clicked (ApCallVideoControls *self)
{
  request (self, !ap_call_video_get_active (self->video));
}

static void
on_requested_clicked (ApCallVideoControls *self)
{
  gtk_widget_set_visible (self->requested_button, FALSE);
  request (self, TRUE);
}

static void
on_snapshot_clicked (ApCallVideoControls *self)
{
  g_free (ap_call_video_controls_save_snapshot (GTK_WIDGET (self), self->phone, self->call));
}

static void
on_requested (ApCallVideo *video, ApCallVideoControls *self)
{
  if (ap_call_video_get_active (video))
    return;
  gtk_widget_set_visible (self->requested_button, TRUE);
  ap_call_video_controls_toast (GTK_WIDGET (self), _ ("The other side asks for video"));
}

static void
ap_call_video_controls_dispose (GObject *object)
{
  ApCallVideoControls *self = AP_CALL_VIDEO_CONTROLS (object);

  g_clear_object (&self->call);
  g_clear_object (&self->phone);
  self->video = NULL;
  G_OBJECT_CLASS (ap_call_video_controls_parent_class)->dispose (object);
}

static void
ap_call_video_controls_class_init (ApCallVideoControlsClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ap_call_video_controls_dispose;
}

static void
ap_call_video_controls_init (ApCallVideoControls *self)
{
  gtk_box_set_spacing (GTK_BOX (self), 6);
  self->requested_button = gtk_button_new_with_label (_ ("Add video"));
  gtk_widget_set_name (self->requested_button, "video-requested");
  gtk_widget_add_css_class (self->requested_button, "suggested-action");
  set_button (self->requested_button, _ ("The other side asks for video: add it"));
  gtk_widget_set_visible (self->requested_button, FALSE);
  self->video_button = gtk_button_new_from_icon_name ("camera-video-symbolic");
  gtk_widget_set_name (self->video_button, "video");
  self->snapshot_button = gtk_button_new_from_icon_name ("camera-photo-symbolic");
  gtk_widget_set_name (self->snapshot_button, "snapshot");
  set_button (self->snapshot_button, _ ("Save a snapshot of the other side’s video"));
  gtk_box_append (GTK_BOX (self), self->requested_button);
  gtk_box_append (GTK_BOX (self), self->video_button);
  gtk_box_append (GTK_BOX (self), self->snapshot_button);
  g_signal_connect_swapped (self->video_button, "clicked", G_CALLBACK (on_video_clicked), self);
  g_signal_connect_swapped (self->requested_button, "clicked", G_CALLBACK (on_requested_clicked),
                            self);
  g_signal_connect_swapped (self->snapshot_button, "clicked", G_CALLBACK (on_snapshot_clicked),
                            self);
}

/** ap_call_video_controls_new: video buttons for @call (a call row's extras) */
GtkWidget *
ap_call_video_controls_new (ApCall *call, ApPhone *phone)
{
  ApCallVideoControls *self;

  g_return_val_if_fail (AP_IS_CALL (call), NULL);
  g_return_val_if_fail (AP_IS_PHONE (phone), NULL);

  self = g_object_new (AP_TYPE_CALL_VIDEO_CONTROLS, NULL);
  gtk_widget_set_name (GTK_WIDGET (self), "video-controls");
  self->call = g_object_ref (call);
  self->phone = g_object_ref (phone);
  self->video = ap_call_get_video (call);
  g_signal_connect_object (self->video, "notify::active", G_CALLBACK (sync_video), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->video, "requested", G_CALLBACK (on_requested), self, 0);
  sync_video (self);
  return GTK_WIDGET (self);
}
