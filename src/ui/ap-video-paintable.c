/* ap-video-paintable.c: video frames as a GdkPaintable. Debian 12 has no
 * gtk4paintablesink, so the core's frame hook (BGRA, newest only, already
 * in the main context) feeds this: each frame becomes a GdkMemoryTexture,
 * drawn to fill whatever size it is given, either whole with black bars
 * (letterbox) or filling and cutting the edges (crop). It reports no
 * intrinsic size, so the widget that shows it decides how big video is. */
#define G_LOG_DOMAIN "Agentphone-ui"

#include "config.h"

#include "ap-video-paintable.h"

struct _ApVideoPaintable {
  GObject parent_instance;

  GdkTexture *texture; /* the newest frame, or NULL */
  gboolean crop;
  guint frames;
};

enum { PROP_0, PROP_CROP, N_PROPS };

static GParamSpec *props[N_PROPS];

static void ap_video_paintable_iface_init (GdkPaintableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ApVideoPaintable, ap_video_paintable, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GDK_TYPE_PAINTABLE,
                                                      ap_video_paintable_iface_init))

/* Where a @fw×@fh frame goes in @w×@h: fitted inside, or covering it. */
static graphene_rect_t
frame_rect (double w, double h, double fw, double fh, gboolean cover)
{
  double sx = w / fw, sy = h / fh;
  double scale = cover ? MAX (sx, sy) : MIN (sx, sy);
  double dw = fw * scale, dh = fh * scale;

  return GRAPHENE_RECT_INIT ((w - dw) / 2, (h - dh) / 2, dw, dh);
}

static void
ap_video_paintable_snapshot (GdkPaintable *paintable, GdkSnapshot *gdk_snapshot, double width,
                             double height)
{
  ApVideoPaintable *self = AP_VIDEO_PAINTABLE (paintable);
  GtkSnapshot *snapshot = GTK_SNAPSHOT (gdk_snapshot);
  graphene_rect_t area = GRAPHENE_RECT_INIT (0, 0, width, height);
  graphene_rect_t rect;

  gtk_snapshot_append_color (snapshot, &(GdkRGBA){ 0, 0, 0, 1 }, &area);
  if (self->texture == NULL || width <= 0 || height <= 0)
    return;
  rect = frame_rect (width, height, gdk_texture_get_width (self->texture),
                     gdk_texture_get_height (self->texture), self->crop);
  gtk_snapshot_push_clip (snapshot, &area);
  gtk_snapshot_append_texture (snapshot, self->texture, &rect);
  gtk_snapshot_pop (snapshot);
}

static GdkPaintable *
ap_video_paintable_get_current_image (GdkPaintable *paintable)
{
  ApVideoPaintable *self = AP_VIDEO_PAINTABLE (paintable);

  if (self->texture != NULL)
    return GDK_PAINTABLE (g_object_ref (self->texture));
  return gdk_paintable_new_empty (0, 0);
}

static void
ap_video_paintable_iface_init (GdkPaintableInterface *iface)
{
  iface->snapshot = ap_video_paintable_snapshot;
  iface->get_current_image = ap_video_paintable_get_current_image;
}

/**
 * ap_video_paintable_push_frame:
 * @bgra: pixels, 4 bytes each (B, G, R, A), rows of @stride bytes
 *
 * Shows this frame from now on (call in the main context).
 */
void
ap_video_paintable_push_frame (ApVideoPaintable *self, GBytes *bgra, guint width, guint height,
                               guint stride)
{
  g_return_if_fail (AP_IS_VIDEO_PAINTABLE (self));
  g_return_if_fail (bgra != NULL);

  if (width == 0 || height == 0 || stride < width * 4
      || g_bytes_get_size (bgra) < (gsize) stride * (height - 1) + width * 4)
    {
      g_warning ("A video frame of %u×%u (stride %u) with %zu bytes cannot be shown", width, height,
                 stride, g_bytes_get_size (bgra));
      return;
    }
  g_clear_object (&self->texture);
  /* GTK 4.8 has no BGRx format; decoders give opaque alpha. */
  self->texture
    = gdk_memory_texture_new ((int) width, (int) height, GDK_MEMORY_B8G8R8A8, bgra, stride);
  self->frames++;
  gdk_paintable_invalidate_contents (GDK_PAINTABLE (self));
}

/** ap_video_paintable_frame_func: an #ApVideoFrameFunc whose user data is the paintable */
void
ap_video_paintable_frame_func (GBytes *bgra, guint width, guint height, guint stride,
                               gpointer paintable)
{
  ap_video_paintable_push_frame (paintable, bgra, width, height, stride);
}

/** ap_video_paintable_clear: shows black until the next frame */
void
ap_video_paintable_clear (ApVideoPaintable *self)
{
  g_return_if_fail (AP_IS_VIDEO_PAINTABLE (self));
  if (self->texture == NULL)
    return;
  g_clear_object (&self->texture);
  gdk_paintable_invalidate_contents (GDK_PAINTABLE (self));
}

/** ap_video_paintable_set_crop: fill and cut the edges (%TRUE), or letterbox */
void
ap_video_paintable_set_crop (ApVideoPaintable *self, gboolean crop)
{
  g_return_if_fail (AP_IS_VIDEO_PAINTABLE (self));
  if (!!crop == self->crop)
    return;
  self->crop = !!crop;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CROP]);
  gdk_paintable_invalidate_contents (GDK_PAINTABLE (self));
}

gboolean
ap_video_paintable_get_crop (ApVideoPaintable *self)
{
  g_return_val_if_fail (AP_IS_VIDEO_PAINTABLE (self), FALSE);
  return self->crop;
}

gboolean
ap_video_paintable_has_frame (ApVideoPaintable *self)
{
  g_return_val_if_fail (AP_IS_VIDEO_PAINTABLE (self), FALSE);
  return self->texture != NULL;
}

/** ap_video_paintable_get_frames: frames shown since it was made */
guint
ap_video_paintable_get_frames (ApVideoPaintable *self)
{
  g_return_val_if_fail (AP_IS_VIDEO_PAINTABLE (self), 0);
  return self->frames;
}

static void
ap_video_paintable_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_CROP:
      g_value_set_boolean (value, AP_VIDEO_PAINTABLE (object)->crop);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ap_video_paintable_set_property (GObject *object, guint prop_id, const GValue *value,
                                 GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_CROP:
      ap_video_paintable_set_crop (AP_VIDEO_PAINTABLE (object), g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ap_video_paintable_finalize (GObject *object)
{
  g_clear_object (&AP_VIDEO_PAINTABLE (object)->texture);
  G_OBJECT_CLASS (ap_video_paintable_parent_class)->finalize (object);
}

static void
ap_video_paintable_class_init (ApVideoPaintableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = ap_video_paintable_get_property;
  object_class->set_property = ap_video_paintable_set_property;
  object_class->finalize = ap_video_paintable_finalize;
  /** ApVideoPaintable:crop: fill the area and cut the edges, instead of black bars */
  props[PROP_CROP]
    = g_param_spec_boolean ("crop", NULL, NULL, FALSE,
                            G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
ap_video_paintable_init (ApVideoPaintable *self)
{
}

/** ap_video_paintable_new: a paintable showing black until its first frame */
ApVideoPaintable *
ap_video_paintable_new (void)
{
  return g_object_new (AP_TYPE_VIDEO_PAINTABLE, NULL);
}
