/* ap-video-export.c: io.github.agentphone.Video on the main object, over
 * the phone's ApVideo. Layout and DisplayMode are writable: a write goes
 * through the core, which refuses a value outside the contract with
 * InvalidArgument (the skeleton's property writes are checked here, in a
 * small subclass, since a plain skeleton would take any string). */
#define G_LOG_DOMAIN "Agentphone-dbus"

#include "ap-video-export.h"

#include "ap-dbus-generated.h"
#include "ap-error.h"
#include "ap-video.h"

/* ---- a skeleton whose property writes the core checks ------------------ */

#define AP_TYPE_VIDEO_SKELETON (ap_video_skeleton_get_type ())
G_DECLARE_FINAL_TYPE (ApVideoSkeleton, ap_video_skeleton, AP, VIDEO_SKELETON, ApDbusVideoSkeleton)

struct _ApVideoSkeleton {
  ApDbusVideoSkeleton parent_instance;

  ApVideo *video;
};

G_DEFINE_FINAL_TYPE (ApVideoSkeleton, ap_video_skeleton, AP_DBUS_TYPE_VIDEO_SKELETON)

static GDBusInterfaceVTable checked_vtable;

static gboolean
set_property_checked (GDBusConnection *connection, const char *sender, const char *object_path,
                      const char *interface_name, const char *property_name, GVariant *value,
                      GError **error, gpointer user_data)
{
  ApVideoSkeleton *self = AP_VIDEO_SKELETON (user_data);
  const char *text = g_variant_is_of_type (value, G_VARIANT_TYPE_STRING)
                       ? g_variant_get_string (value, NULL)
                       : NULL;

  /* The core's notify comes back to the skeleton through the bindings. */
  if (g_str_equal (property_name, "Layout"))
    return ap_video_set_layout (self->video, text, error);
  if (g_str_equal (property_name, "DisplayMode"))
    return ap_video_set_display_mode (self->video, text, error);
  g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_PROPERTY_READ_ONLY, "%s is read-only",
               property_name);
  return FALSE;
}

static GDBusInterfaceVTable *
get_vtable (GDBusInterfaceSkeleton *skeleton)
{
  GDBusInterfaceVTable *parent
    = G_DBUS_INTERFACE_SKELETON_CLASS (ap_video_skeleton_parent_class)->get_vtable (skeleton);

  checked_vtable = *parent;
  checked_vtable.set_property = set_property_checked;
  return &checked_vtable;
}

static void
ap_video_skeleton_class_init (ApVideoSkeletonClass *klass)
{
  G_DBUS_INTERFACE_SKELETON_CLASS (klass)->get_vtable = get_vtable;
}

static void
ap_video_skeleton_init (ApVideoSkeleton *self)
{
}

/* ---- the export -------------------------------------------------------- */

struct _ApVideoExport {
  GObject parent_instance;

  ApPhone *phone;
  ApVideoSkeleton *skeleton;
};

G_DEFINE_FINAL_TYPE (ApVideoExport, ap_video_export, G_TYPE_OBJECT)

static gboolean
on_set_window (ApDbusVideo *skeleton, GDBusMethodInvocation *invocation, int x, int y, guint width,
               guint height, ApVideoExport *self)
{
  g_autoptr (GError) error = NULL;

  if (!ap_video_set_window (ap_phone_get_video (self->phone), x, y, width, height, &error))
    g_dbus_method_invocation_return_gerror (invocation, error);
  else
    ap_dbus_video_complete_set_window (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_open_camera (ApDbusVideo *skeleton, GDBusMethodInvocation *invocation, ApVideoExport *self)
{
  g_autoptr (GError) error = NULL;

  if (!ap_video_open_camera (ap_phone_get_video (self->phone), &error))
    g_dbus_method_invocation_return_gerror (invocation, error);
  else
    ap_dbus_video_complete_open_camera (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_close_camera (ApDbusVideo *skeleton, GDBusMethodInvocation *invocation, ApVideoExport *self)
{
  ap_video_close_camera (ap_phone_get_video (self->phone));
  ap_dbus_video_complete_close_camera (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
ap_video_export_dispose (GObject *object)
{
  ApVideoExport *self = AP_VIDEO_EXPORT (object);

  if (self->skeleton != NULL)
    {
      ap_video_export_unexport (self);
      g_signal_handlers_disconnect_by_data (self->skeleton, self);
    }
  g_clear_object (&self->skeleton);
  g_clear_object (&self->phone);
  G_OBJECT_CLASS (ap_video_export_parent_class)->dispose (object);
}

static void
ap_video_export_class_init (ApVideoExportClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ap_video_export_dispose;
}

static void
ap_video_export_init (ApVideoExport *self)
{
}

ApVideoExport *
ap_video_export_new (ApPhone *phone)
{
  ApVideoExport *self = g_object_new (AP_TYPE_VIDEO_EXPORT, NULL);
  ApVideo *video = ap_phone_get_video (phone);
  const char *properties[] = { "layout", "display-mode", "camera-open" };

  self->phone = g_object_ref (phone);
  self->skeleton = g_object_new (AP_TYPE_VIDEO_SKELETON, NULL);
  self->skeleton->video = video;
  g_signal_connect (self->skeleton, "handle-set-window", G_CALLBACK (on_set_window), self);
  g_signal_connect (self->skeleton, "handle-open-camera", G_CALLBACK (on_open_camera), self);
  g_signal_connect (self->skeleton, "handle-close-camera", G_CALLBACK (on_close_camera), self);
  for (guint i = 0; i < G_N_ELEMENTS (properties); i++)
    g_object_bind_property (video, properties[i], self->skeleton, properties[i],
                            G_BINDING_SYNC_CREATE);
  return self;
}

gboolean
ap_video_export_export (ApVideoExport *self, GDBusConnection *connection, const char *path,
                        GError **error)
{
  g_return_val_if_fail (AP_IS_VIDEO_EXPORT (self), FALSE);
  return g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (self->skeleton), connection,
                                           path, error);
}

void
ap_video_export_unexport (ApVideoExport *self)
{
  g_return_if_fail (AP_IS_VIDEO_EXPORT (self));

  if (g_dbus_interface_skeleton_get_connection (G_DBUS_INTERFACE_SKELETON (self->skeleton)))
    g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self->skeleton));
}
