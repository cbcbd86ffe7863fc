/* ap-video-panel.c: the "video" page: the far end's picture and the
 * camera's as the detached window shows them, the layout and fit (the
 * core's Video.Layout and Video.DisplayMode), the camera switch (preview
 * outside calls), and the detached window's place and size (SetWindow).
 * It owns the window's video feed and the detached video window. */
#define G_LOG_DOMAIN "Agentphone-ui"

#include "config.h"

#include "ap-video-panel.h"

#include <glib/gi18n.h>

#include "ap-video-feed.h"
#include "ap-video-view.h"
#include "ap-video-window.h"
#include "ap-video.h"
#include "ap-window-panels.h"

static const char *const layouts[] = { "picture-in-picture", "side-by-side" };
static const char *const modes[] = { "letterbox", "crop" };

struct _ApVideoPanel {
  AdwBin parent_instance;

  ApPhone *phone;
  ApVideo *video;
  ApVideoFeed *feed;
  GtkWidget *video_window;
  gboolean syncing; /* widgets follow the core: not a user's change */

  GtkFrame *view_frame;
  GtkLabel *status_label;
  AdwComboRow *layout_row;
  AdwComboRow *mode_row;
  GtkSwitch *camera_switch;
  GtkSpinButton *x_spin;
  GtkSpinButton *y_spin;
  GtkSpinButton *width_spin;
  GtkSpinButton *height_spin;
};

G_DEFINE_FINAL_TYPE (ApVideoPanel, ap_video_panel, ADW_TYPE_BIN)

static guint
choice_index (const char *const *choices, guint n, const char *value)
{
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (choices[i], value) == 0)
      return i;
  return 0;
}

static void
show_error (ApVideoPanel *self, const GError *error)
{
  ap_panel_toast (GTK_WIDGET (self), error->message);
}

static void
sync_camera (ApVideoPanel *self)
{
  gboolean on
    = ap_video_get_camera_open (self->video)
      && (ap_video_get_previewing (self->video) || ap_video_feed_get_call (self->feed) != NULL);

  self->syncing = TRUE;
  gtk_switch_set_active (self->camera_switch, on);
  gtk_switch_set_state (self->camera_switch, on);
  self->syncing = FALSE;
}

static void
sync_status (ApVideoPanel *self)
{
  ApCall *call = ap_video_feed_get_call (self->feed);
  g_autofree char *text = NULL;

  if (call != NULL)
    /* TRANSLATORS: %s is the other side of a video call */
    text = g_strdup_printf (_ ("Video with %s"), ap_call_get_peer (call));
  else if (ap_video_get_previewing (self->video))
    text = g_strdup (_ ("No video call: this is your camera’s preview"));
  else
    text = g_strdup (_ ("No video call. Turn the camera on to see your preview."));
  gtk_label_set_text (self->status_label, text);
}

static void
sync_choices (ApVideoPanel *self)
{
  self->syncing = TRUE;
  adw_combo_row_set_selected (self->layout_row, choice_index (layouts, G_N_ELEMENTS (layouts),
                                                              ap_video_get_layout (self->video)));
  adw_combo_row_set_selected (
    self->mode_row,
    choice_index (modes, G_N_ELEMENTS (modes), ap_video_get_display_mode (self->video)));
  self->syncing = FALSE;
}

static void
sync_window (ApVideoPanel *self)
{
  int x, y;
  guint width, height;

  ap_video_get_window (self->video, &x, &y, &width, &height);
  gtk_spin_button_set_value (self->x_spin, x);
  gtk_spin_button_set_value (self->y_spin, y);
  gtk_spin_button_set_value (self->width_spin, width);
  gtk_spin_button_set_value (self->height_spin, height);
}

static void
on_layout_selected (ApVideoPanel *self)
{
  guint i = adw_combo_row_get_selected (self->layout_row);
  g_autoptr (GError) error = NULL;

  if (self->syncing || i >= G_N_ELEMENTS (layouts))
    return;
  if (!ap_video_set_layout (self->video, layouts[i], &error))
    {
      show_error (self, error);
      sync_choices (self);
    }
}

static void
on_mode_selected (ApVideoPanel *self)
{
  guint i = adw_combo_row_get_selected (self->mode_row);
  g_autoptr (GError) error = NULL;

  if (self->syncing || i >= G_N_ELEMENTS (modes))
    return;
  if (!ap_video_set_display_mode (self->video, modes[i], &error))
    {
      show_error (self, error);
      sync_choices (self);
    }
}

static gboolean
on_camera_state_set (ApVideoPanel *self, gboolean on)
{
  g_autoptr (GError) error = NULL;

  if (self->syncing)
    return FALSE;
  if (!on)
    ap_video_close_camera (self->video);
  else if (!ap_video_open_camera (self->video, &error))
    show_error (self, error);
  sync_camera (self);
  sync_status (self);
  return TRUE;
}

static void
on_apply_window (ApVideoPanel *self)
{
  g_autoptr (GError) error = NULL;

  if (!ap_video_set_window (self->video, gtk_spin_button_get_value_as_int (self->x_spin),
                            gtk_spin_button_get_value_as_int (self->y_spin),
                            (guint) gtk_spin_button_get_value_as_int (self->width_spin),
                            (guint) gtk_spin_button_get_value_as_int (self->height_spin), &error))
    show_error (self, error);
}

static void
on_feed_call (ApVideoPanel *self)
{
  sync_camera (self);
  sync_status (self);
}

static void
ap_video_panel_dispose (GObject *object)
{
  ApVideoPanel *self = AP_VIDEO_PANEL (object);

  if (self->video_window != NULL)
    gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&self->video_window)));
  g_clear_object (&self->feed);
  g_clear_object (&self->phone);
  self->video = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), AP_TYPE_VIDEO_PANEL);
  G_OBJECT_CLASS (ap_video_panel_parent_class)->dispose (object);
}

static void
ap_video_panel_class_init (ApVideoPanelClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ap_video_panel_dispose;
  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/agentphone/Agentphone/ap-video-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, ApVideoPanel, view_frame);
  gtk_widget_class_bind_template_child (widget_class, ApVideoPanel, status_label);
  gtk_widget_class_bind_template_child (widget_class, ApVideoPanel, layout_row);
  gtk_widget_class_bind_template_child (widget_class, ApVideoPanel, mode_row);
  gtk_widget_class_bind_template_child (widget_class, ApVideoPanel, camera_switch);
  gtk_widget_class_bind_template_child (widget_class, ApVideoPanel, x_spin);
  gtk_widget_class_bind_template_child (widget_class, ApVideoPanel, y_spin);
  gtk_widget_class_bind_template_child (widget_class, ApVideoPanel, width_spin);
  gtk_widget_class_bind_template_child (widget_class, ApVideoPanel, height_spin);
  gtk_widget_class_bind_template_callback (widget_class, on_apply_window);
}

static void
ap_video_panel_init (ApVideoPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/** ap_video_panel_new: the video page for @phone, and its detached video window */
GtkWidget *
ap_video_panel_new (ApPhone *phone)
{
  ApVideoPanel *self;

  g_return_val_if_fail (AP_IS_PHONE (phone), NULL);

  self = g_object_new (AP_TYPE_VIDEO_PANEL, NULL);
  self->phone = g_object_ref (phone);
  self->video = ap_phone_get_video (phone);
  self->feed = ap_video_feed_new (phone);
  gtk_frame_set_child (self->view_frame, ap_video_view_new (self->feed));
  self->video_window = ap_video_window_new (self->feed);

  g_signal_connect_object (self->video, "notify::layout", G_CALLBACK (sync_choices), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->video, "notify::display-mode", G_CALLBACK (sync_choices), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->video, "notify::camera-open", G_CALLBACK (on_feed_call), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->video, "window-changed", G_CALLBACK (sync_window), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->feed, "notify::call", G_CALLBACK (on_feed_call), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_swapped (self->layout_row, "notify::selected", G_CALLBACK (on_layout_selected),
                            self);
  g_signal_connect_swapped (self->mode_row, "notify::selected", G_CALLBACK (on_mode_selected),
                            self);
  g_signal_connect_swapped (self->camera_switch, "state-set", G_CALLBACK (on_camera_state_set),
                            self);
  sync_choices (self);
  sync_window (self);
  on_feed_call (self);
  return GTK_WIDGET (self);
}

/** ap_video_panel_get_video_window: (transfer none): the detached video window */
GtkWidget *
ap_video_panel_get_video_window (ApVideoPanel *self)
{
  g_return_val_if_fail (AP_IS_VIDEO_PANEL (self), NULL);
  return self->video_window;
}
