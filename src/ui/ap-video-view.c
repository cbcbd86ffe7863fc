/* ap-video-view.c: the far end's picture large and the camera's beside
 * it, laid out as the core's `Layout` says: picture-in-picture (camera
 * small in the bottom right corner, over the far end) or side-by-side
 * (two halves). The panel and the detached window each have one. */
#define G_LOG_DOMAIN "Agentphone-ui"

#include "config.h"

#include "ap-video-view.h"

#include <glib/gi18n.h>

#include "ap-video.h"

#define PIP_FRACTION 4 /* the camera takes a quarter of each side */
#define PIP_MARGIN 12

struct _ApVideoView {
  GtkWidget parent_instance;

  ApVideoFeed *feed;
  GtkWidget *remote;
  GtkWidget *local;
  gboolean side_by_side;
};

G_DEFINE_FINAL_TYPE (ApVideoView, ap_video_view, GTK_TYPE_WIDGET)

static GtkWidget *
make_picture (ApVideoPaintable *paintable, const char *name, const char *label)
{
  GtkWidget *picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (paintable));

  /* The paintable fits the frame itself (letterbox or crop). */
  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_FILL);
  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_widget_set_name (picture, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (picture), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  return picture;
}

static void
on_layout (ApVideo *video, GParamSpec *pspec, ApVideoView *self)
{
  self->side_by_side = g_strcmp0 (ap_video_get_layout (video), "side-by-side") == 0;
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

static void
ap_video_view_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum,
                       int *natural, int *minimum_baseline, int *natural_baseline)
{
  /* Small enough for a small window; 4:3 at 640 px wide when there is room. */
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 64 : 48;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 640 : 480;
}

static void
ap_video_view_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  ApVideoView *self = AP_VIDEO_VIEW (widget);
  GtkAllocation remote = { 0, 0, width, height }, local;

  if (self->side_by_side)
    {
      remote.width = width / 2;
      local = (GtkAllocation){ width / 2, 0, width - width / 2, height };
    }
  else
    {
      int margin = MIN (PIP_MARGIN, MIN (width, height) / 16);

      local.width = MAX (width / PIP_FRACTION, 1);
      local.height = MAX (height / PIP_FRACTION, 1);
      local.x = width - local.width - margin;
      local.y = height - local.height - margin;
    }
  gtk_widget_size_allocate (self->remote, &remote, -1);
  gtk_widget_size_allocate (self->local, &local, -1);
}

static void
ap_video_view_dispose (GObject *object)
{
  ApVideoView *self = AP_VIDEO_VIEW (object);

  g_clear_pointer (&self->remote, gtk_widget_unparent);
  g_clear_pointer (&self->local, gtk_widget_unparent);
  g_clear_object (&self->feed);
  G_OBJECT_CLASS (ap_video_view_parent_class)->dispose (object);
}

static void
ap_video_view_class_init (ApVideoViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ap_video_view_dispose;
  widget_class->measure = ap_video_view_measure;
  widget_class->size_allocate = ap_video_view_size_allocate;
  gtk_widget_class_set_css_name (widget_class, "video-view");
}

static void
ap_video_view_init (ApVideoView *self)
{
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
}

/** ap_video_view_new: draws @feed's pictures in the core's layout */
GtkWidget *
ap_video_view_new (ApVideoFeed *feed)
{
  ApVideoView *self;
  ApVideo *video;

  g_return_val_if_fail (AP_IS_VIDEO_FEED (feed), NULL);

  self = g_object_new (AP_TYPE_VIDEO_VIEW, NULL);
  self->feed = g_object_ref (feed);
  /* Children draw in order: the camera goes over the far end. */
  self->remote
    = make_picture (ap_video_feed_get_remote (feed), "remote-video", _ ("The other side’s video"));
  self->local = make_picture (ap_video_feed_get_local (feed), "local-video", _ ("Your camera"));
  gtk_widget_set_parent (self->remote, GTK_WIDGET (self));
  gtk_widget_set_parent (self->local, GTK_WIDGET (self));
  video = ap_phone_get_video (ap_video_feed_get_phone (feed));
  g_signal_connect_object (video, "notify::layout", G_CALLBACK (on_layout), self, 0);
  on_layout (video, NULL, self);
  return GTK_WIDGET (self);
}
