/* ap-devices-skeleton.c: the Devices skeleton, saying when it is read.
 *
 * The media engine starts GStreamer and the device monitor on first use,
 * not with the phone. A client that reads the Devices properties (Get,
 * GetAll, GetManagedObjects) before any use must still read what is plugged
 * in: "reading" is emitted before each read, and the export starts the
 * watch from it (ap_device_backend_watch()), which updates the properties
 * in time for the read itself. */
#define G_LOG_DOMAIN "Agentphone-dbus"

#include "ap-devices-skeleton.h"

enum { SIGNAL_READING, N_SIGNALS };
static guint signals[N_SIGNALS];

struct _ApDevicesSkeleton {
  ApDbusDevicesSkeleton parent_instance;
};

G_DEFINE_FINAL_TYPE (ApDevicesSkeleton, ap_devices_skeleton, AP_DBUS_TYPE_DEVICES_SKELETON)

static GDBusInterfaceVTable vtable; /* the generated one, with our get_property */
static GDBusInterfaceGetPropertyFunc parent_get_property;

static GVariant *
get_property (GDBusConnection *connection, const char *sender, const char *object_path,
              const char *interface_name, const char *property_name, GError **error,
              gpointer user_data)
{
  g_signal_emit (user_data, signals[SIGNAL_READING], 0);
  return parent_get_property (connection, sender, object_path, interface_name, property_name, error,
                              user_data);
}

static GDBusInterfaceVTable *
ap_devices_skeleton_get_vtable (GDBusInterfaceSkeleton *skeleton)
{
  if (parent_get_property == NULL)
    {
      vtable = *G_DBUS_INTERFACE_SKELETON_CLASS (ap_devices_skeleton_parent_class)
                  ->get_vtable (skeleton);
      parent_get_property = vtable.get_property;
      vtable.get_property = get_property;
    }
  return &vtable;
}

static GVariant *
ap_devices_skeleton_get_properties (GDBusInterfaceSkeleton *skeleton)
{
  g_signal_emit (skeleton, signals[SIGNAL_READING], 0);
  return G_DBUS_INTERFACE_SKELETON_CLASS (ap_devices_skeleton_parent_class)
    ->get_properties (skeleton);
}

static void
ap_devices_skeleton_class_init (ApDevicesSkeletonClass *klass)
{
  GDBusInterfaceSkeletonClass *skeleton_class = G_DBUS_INTERFACE_SKELETON_CLASS (klass);

  skeleton_class->get_vtable = ap_devices_skeleton_get_vtable;
  skeleton_class->get_properties = ap_devices_skeleton_get_properties;

  /**
   * ApDevicesSkeleton::reading:
   *
   * A client is about to read the properties: they must be current.
   */
  signals[SIGNAL_READING] = g_signal_new ("reading", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
ap_devices_skeleton_init (ApDevicesSkeleton *self)
{
}

/** ap_devices_skeleton_new: (transfer full): the Devices skeleton to export */
ApDbusDevices *
ap_devices_skeleton_new (void)
{
  return g_object_new (AP_TYPE_DEVICES_SKELETON, NULL);
}
