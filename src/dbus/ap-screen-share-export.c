/* ap-screen-share-export.c: io.github.agentphone.ScreenShare on the main
 * object, over the phone's ApScreenShare. Enabled (the share switch) is
 * bound both ways: a write goes to the core, which may turn it off again
 * (e.g. when the shared call ends). */
#define G_LOG_DOMAIN "Agentphone-dbus"

#include "ap-screen-share-export.h"

#include "ap-dbus-generated.h"
#include "ap-screen-share.h"

struct _ApScreenShareExport {
  GObject parent_instance;

  ApPhone *phone;
  ApDbusScreenShare *skeleton;
};

G_DEFINE_FINAL_TYPE (ApScreenShareExport, ap_screen_share_export, G_TYPE_OBJECT)

static ApScreenShare *
share (ApScreenShareExport *self)
{
  return ap_phone_get_screen_share (self->phone);
}

static gboolean
on_list_sources (ApDbusScreenShare *skeleton, GDBusMethodInvocation *invocation,
                 ApScreenShareExport *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) sources = ap_screen_share_list_sources (share (self), &error);
  GVariantBuilder builder;

  if (sources == NULL)
    {
      g_dbus_method_invocation_return_gerror (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(tss)"));
  for (guint i = 0; i < sources->len; i++)
    {
      ApScreenSource *source = g_ptr_array_index (sources, i);

      g_variant_builder_add (&builder, "(tss)", source->id, source->kind, source->title);
    }
  ap_dbus_screen_share_complete_list_sources (skeleton, invocation,
                                              g_variant_builder_end (&builder));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_set_source (ApDbusScreenShare *skeleton, GDBusMethodInvocation *invocation, guint64 id,
               ApScreenShareExport *self)
{
  g_autoptr (GError) error = NULL;

  if (!ap_screen_share_set_source (share (self), id, &error))
    g_dbus_method_invocation_return_gerror (invocation, error);
  else
    ap_dbus_screen_share_complete_set_source (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_start (ApDbusScreenShare *skeleton, GDBusMethodInvocation *invocation, ApScreenShareExport *self)
{
  g_autoptr (GError) error = NULL;

  if (!ap_screen_share_start (share (self), &error))
    g_dbus_method_invocation_return_gerror (invocation, error);
  else
    ap_dbus_screen_share_complete_start (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_stop (ApDbusScreenShare *skeleton, GDBusMethodInvocation *invocation, ApScreenShareExport *self)
{
  ap_screen_share_stop (share (self));
  ap_dbus_screen_share_complete_stop (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
ap_screen_share_export_dispose (GObject *object)
{
  ApScreenShareExport *self = AP_SCREEN_SHARE_EXPORT (object);

  if (self->skeleton != NULL)
    {
      ap_screen_share_export_unexport (self);
      g_signal_handlers_disconnect_by_data (self->skeleton, self);
    }
  g_clear_object (&self->skeleton);
  g_clear_object (&self->phone);
  G_OBJECT_CLASS (ap_screen_share_export_parent_class)->dispose (object);
}

static void
ap_screen_share_export_class_init (ApScreenShareExportClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ap_screen_share_export_dispose;
}

static void
ap_screen_share_export_init (ApScreenShareExport *self)
{
}

ApScreenShareExport *
ap_screen_share_export_new (ApPhone *phone)
{
  ApScreenShareExport *self = g_object_new (AP_TYPE_SCREEN_SHARE_EXPORT, NULL);
  ApScreenShare *screen_share = ap_phone_get_screen_share (phone);

  self->phone = g_object_ref (phone);
  self->skeleton = ap_dbus_screen_share_skeleton_new ();
  g_signal_connect (self->skeleton, "handle-list-sources", G_CALLBACK (on_list_sources), self);
  g_signal_connect (self->skeleton, "handle-set-source", G_CALLBACK (on_set_source), self);
  g_signal_connect (self->skeleton, "handle-start", G_CALLBACK (on_start), self);
  g_signal_connect (self->skeleton, "handle-stop", G_CALLBACK (on_stop), self);
  g_object_bind_property (screen_share, "enabled", self->skeleton, "enabled",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  g_object_bind_property (screen_share, "active", self->skeleton, "active", G_BINDING_SYNC_CREATE);
  g_object_bind_property (screen_share, "source", self->skeleton, "source", G_BINDING_SYNC_CREATE);
  return self;
}

gboolean
ap_screen_share_export_export (ApScreenShareExport *self, GDBusConnection *connection,
                               const char *path, GError **error)
{
  g_return_val_if_fail (AP_IS_SCREEN_SHARE_EXPORT (self), FALSE);
  return g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (self->skeleton), connection,
                                           path, error);
}

void
ap_screen_share_export_unexport (ApScreenShareExport *self)
{
  g_return_if_fail (AP_IS_SCREEN_SHARE_EXPORT (self));

  if (g_dbus_interface_skeleton_get_connection (G_DBUS_INTERFACE_SKELETON (self->skeleton)))
    g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self->skeleton));
}
