/* ap-devices-export.c: io.github.agentphone.Devices on the main object, over
 * the phone's devices (an #ApDeviceBackend). Properties follow the backend
 * through bindings; the writable volumes go back through the core, which
 * clamps them to 0 … 100. */
#define G_LOG_DOMAIN "Agentphone-dbus"

#include "ap-devices-export.h"

#include <glib/gi18n.h>

#include "ap-dbus-generated.h"
#include "ap-devices-skeleton.h"
#include "ap-error.h"

struct _ApDevicesExport {
  GObject parent_instance;

  ApPhone *phone;
  ApDbusDevices *skeleton;
  GBindingGroup *bindings;
  GSignalGroup *signals;
};

G_DEFINE_FINAL_TYPE (ApDevicesExport, ap_devices_export, G_TYPE_OBJECT)

static ApDeviceBackend *
backend_or_error (ApDevicesExport *self, GDBusMethodInvocation *invocation)
{
  ApDeviceBackend *devices = ap_phone_get_devices (self->phone);

  if (devices == NULL)
    g_dbus_method_invocation_return_error (invocation, AP_ERROR, AP_ERROR_NOT_SUPPORTED,
                                           _ ("No media engine is running, so there are no "
                                              "devices"));
  return devices;
}

static gboolean
on_list (ApDbusDevices *skeleton, GDBusMethodInvocation *invocation, const char *kind_name,
         ApDevicesExport *self)
{
  ApDeviceBackend *devices = backend_or_error (self, invocation);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = NULL;
  GVariantBuilder builder;
  ApDeviceKind kind;

  if (devices == NULL)
    return G_DBUS_METHOD_INVOCATION_HANDLED;
  if (!ap_device_kind_from_string (kind_name, &kind, &error))
    {
      g_dbus_method_invocation_return_gerror (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  list = ap_device_backend_list (devices, kind);
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(ssb)"));
  for (guint i = 0; i < list->len; i++)
    {
      ApDeviceInfo *info = g_ptr_array_index (list, i);

      g_variant_builder_add (&builder, "(ssb)", info->id, info->name, info->is_default);
    }
  ap_dbus_devices_complete_list (skeleton, invocation, g_variant_builder_end (&builder));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_select (ApDbusDevices *skeleton, GDBusMethodInvocation *invocation, const char *kind_name,
           const char *id, ApDevicesExport *self)
{
  ApDeviceBackend *devices = backend_or_error (self, invocation);
  g_autoptr (GError) error = NULL;
  ApDeviceKind kind;

  if (devices == NULL)
    return G_DBUS_METHOD_INVOCATION_HANDLED;
  if (!ap_device_kind_from_string (kind_name, &kind, &error)
      || !ap_device_backend_select (devices, kind, id, &error))
    {
      g_dbus_method_invocation_return_gerror (invocation, error);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  ap_dbus_devices_complete_select (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_play_test_tone (ApDbusDevices *skeleton, GDBusMethodInvocation *invocation,
                   const char *kind_name, ApDevicesExport *self)
{
  g_autoptr (GError) error = NULL;
  ApDeviceKind kind;

  if (!ap_device_kind_from_string (kind_name, &kind, NULL))
    g_dbus_method_invocation_return_error (
      invocation, AP_ERROR, AP_ERROR_INVALID_ARGUMENT,
      _ ("Unknown kind “%s” for a test sound: use speaker or ringer"), kind_name);
  else if (!ap_phone_play_test_tone (self->phone, kind, &error))
    g_dbus_method_invocation_return_gerror (invocation, error);
  else
    ap_dbus_devices_complete_play_test_tone (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_start_microphone_monitor (ApDbusDevices *skeleton, GDBusMethodInvocation *invocation,
                             ApDevicesExport *self)
{
  g_autoptr (GError) error = NULL;

  if (!ap_phone_start_microphone_monitor (self->phone, &error))
    g_dbus_method_invocation_return_gerror (invocation, error);
  else
    ap_dbus_devices_complete_start_microphone_monitor (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_stop_microphone_monitor (ApDbusDevices *skeleton, GDBusMethodInvocation *invocation,
                            ApDevicesExport *self)
{
  ap_phone_stop_microphone_monitor (self->phone);
  ap_dbus_devices_complete_stop_microphone_monitor (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* A volume written over DBus: into the core, and back as the core took it. */
static void
on_volume_written (ApDbusDevices *skeleton, GParamSpec *pspec, ApDevicesExport *self)
{
  ApDeviceBackend *devices = ap_phone_get_devices (self->phone);
  ApDeviceKind kind = g_str_equal (pspec->name, "microphone-volume") ? AP_DEVICE_KIND_MICROPHONE
                                                                     : AP_DEVICE_KIND_SPEAKER;
  guint wanted = 0;

  g_object_get (skeleton, pspec->name, &wanted, NULL);
  if (devices == NULL)
    return;
  if (wanted != ap_device_backend_get_volume (devices, kind))
    ap_device_backend_set_volume (devices, kind, wanted);
  if (wanted != ap_device_backend_get_volume (devices, kind))
    g_object_set (skeleton, pspec->name, ap_device_backend_get_volume (devices, kind), NULL);
}

static void
on_devices_changed (ApDeviceBackend *devices, ApDevicesExport *self)
{
  ap_dbus_devices_emit_devices_changed (self->skeleton);
}

static void
on_device_error (ApDeviceBackend *devices, const char *kind, const char *message,
                 ApDevicesExport *self)
{
  ap_dbus_devices_emit_device_error (self->skeleton, kind, message);
}

/* The devices are watched from their first use: a read is one. */
static void
on_reading (ApDbusDevices *skeleton, ApDevicesExport *self)
{
  ApDeviceBackend *devices = ap_phone_get_devices (self->phone);

  if (devices != NULL)
    ap_device_backend_watch (devices);
}

static void
ap_devices_export_dispose (GObject *object)
{
  ApDevicesExport *self = AP_DEVICES_EXPORT (object);

  ap_devices_export_unexport (self);
  if (self->skeleton)
    g_signal_handlers_disconnect_by_data (self->skeleton, self);
  g_clear_object (&self->bindings);
  g_clear_object (&self->signals);
  g_clear_object (&self->skeleton);
  g_clear_object (&self->phone);
  G_OBJECT_CLASS (ap_devices_export_parent_class)->dispose (object);
}

static void
ap_devices_export_class_init (ApDevicesExportClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ap_devices_export_dispose;
}

static void
ap_devices_export_init (ApDevicesExport *self)
{
}

ApDevicesExport *
ap_devices_export_new (ApPhone *phone)
{
  ApDevicesExport *self = g_object_new (AP_TYPE_DEVICES_EXPORT, NULL);
  const char *properties[]
    = { "microphone",        "speaker",        "ringer",           "camera",
        "microphone-volume", "speaker-volume", "microphone-level", "microphone-monitoring" };

  self->phone = g_object_ref (phone);
  self->skeleton = ap_devices_skeleton_new ();
  g_signal_connect (self->skeleton, "reading", G_CALLBACK (on_reading), self);
  g_signal_connect (self->skeleton, "handle-list", G_CALLBACK (on_list), self);
  g_signal_connect (self->skeleton, "handle-select", G_CALLBACK (on_select), self);
  g_signal_connect (self->skeleton, "handle-play-test-tone", G_CALLBACK (on_play_test_tone), self);
  g_signal_connect (self->skeleton, "handle-start-microphone-monitor",
                    G_CALLBACK (on_start_microphone_monitor), self);
  g_signal_connect (self->skeleton, "handle-stop-microphone-monitor",
                    G_CALLBACK (on_stop_microphone_monitor), self);
  g_signal_connect (self->skeleton, "notify::microphone-volume", G_CALLBACK (on_volume_written),
                    self);
  g_signal_connect (self->skeleton, "notify::speaker-volume", G_CALLBACK (on_volume_written), self);
  /* The devices arrive when the engines start, after the bus is served. */
  self->bindings = g_binding_group_new ();
  for (guint i = 0; i < G_N_ELEMENTS (properties); i++)
    g_binding_group_bind (self->bindings, properties[i], self->skeleton, properties[i],
                          G_BINDING_SYNC_CREATE);
  self->signals = g_signal_group_new (AP_TYPE_DEVICE_BACKEND);
  g_signal_group_connect (self->signals, "devices-changed", G_CALLBACK (on_devices_changed), self);
  g_signal_group_connect (self->signals, "device-error", G_CALLBACK (on_device_error), self);
  g_object_bind_property (phone, "devices", self->bindings, "source", G_BINDING_SYNC_CREATE);
  g_object_bind_property (phone, "devices", self->signals, "target", G_BINDING_SYNC_CREATE);
  return self;
}

gboolean
ap_devices_export_export (ApDevicesExport *self, GDBusConnection *connection, const char *path,
                          GError **error)
{
  g_return_val_if_fail (AP_IS_DEVICES_EXPORT (self), FALSE);
  return g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (self->skeleton), connection,
                                           path, error);
}

void
ap_devices_export_unexport (ApDevicesExport *self)
{
  g_return_if_fail (AP_IS_DEVICES_EXPORT (self));

  if (self->skeleton
      && g_dbus_interface_skeleton_get_connection (G_DBUS_INTERFACE_SKELETON (self->skeleton)))
    g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self->skeleton));
}
