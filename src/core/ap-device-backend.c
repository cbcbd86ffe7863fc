/* ap-device-backend.c: the devices interface the core sees (the media
 * engine implements it), and the kind names of the DBus contract. */
#define G_LOG_DOMAIN "Agentphone-core"

#include "ap-device-backend.h"

#include <glib/gi18n.h>

#include "ap-error.h"

enum { SIGNAL_DEVICES_CHANGED, SIGNAL_DEVICE_ERROR, N_SIGNALS };
static guint signals[N_SIGNALS];

static const char *const kind_names[AP_DEVICE_KIND_COUNT]
  = { "microphone", "speaker", "ringer", "camera" };

G_DEFINE_INTERFACE (ApDeviceBackend, ap_device_backend, G_TYPE_OBJECT)

static void
ap_device_backend_default_init (ApDeviceBackendInterface *iface)
{
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  for (guint i = 0; i < AP_DEVICE_KIND_COUNT; i++)
    g_object_interface_install_property (iface,
                                         g_param_spec_string (kind_names[i], NULL, NULL, "", ro));
  g_object_interface_install_property (
    iface, g_param_spec_uint ("microphone-volume", NULL, NULL, 0, 100, 100, rw));
  g_object_interface_install_property (
    iface, g_param_spec_uint ("speaker-volume", NULL, NULL, 0, 100, 100, rw));
  g_object_interface_install_property (
    iface, g_param_spec_boolean ("microphone-monitoring", NULL, NULL, FALSE, ro));
  g_object_interface_install_property (iface, g_param_spec_double ("microphone-level", NULL, NULL,
                                                                   AP_DEVICE_LEVEL_FLOOR_DBFS, 0.0,
                                                                   AP_DEVICE_LEVEL_FLOOR_DBFS, ro));

  /** ApDeviceBackend::devices-changed: a device was plugged in or out */
  signals[SIGNAL_DEVICES_CHANGED]
    = g_signal_new ("devices-changed", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0, NULL,
                    NULL, NULL, G_TYPE_NONE, 0);
  /** ApDeviceBackend::device-error: (kind as its contract string, message) */
  signals[SIGNAL_DEVICE_ERROR]
    = g_signal_new ("device-error", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

ApDeviceInfo *
ap_device_info_new (const char *id, const char *name, gboolean is_default)
{
  ApDeviceInfo *info = g_new0 (ApDeviceInfo, 1);

  info->id = g_strdup (id);
  info->name = g_strdup (name);
  info->is_default = is_default;
  return info;
}

void
ap_device_info_free (ApDeviceInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->id);
  g_free (info->name);
  g_free (info);
}

const char *
ap_device_kind_to_string (ApDeviceKind kind)
{
  g_return_val_if_fail (kind < AP_DEVICE_KIND_COUNT, "");
  return kind_names[kind];
}

/** ap_device_kind_from_string: a contract kind name; %AP_ERROR_INVALID_ARGUMENT otherwise */
gboolean
ap_device_kind_from_string (const char *text, ApDeviceKind *kind, GError **error)
{
  for (guint i = 0; i < AP_DEVICE_KIND_COUNT; i++)
    if (g_strcmp0 (text, kind_names[i]) == 0)
      {
        *kind = (ApDeviceKind) i;
        return TRUE;
      }
  g_set_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT,
               _ ("Unknown device kind “%s”: use microphone, speaker, ringer or camera"),
               text ? text : "");
  return FALSE;
}

/** ap_device_backend_property_name: the property holding the device in use for @kind */
const char *
ap_device_backend_property_name (ApDeviceKind kind)
{
  return ap_device_kind_to_string (kind);
}

/** ap_device_backend_volume_property_name: (nullable): only microphone and speaker have one */
const char *
ap_device_backend_volume_property_name (ApDeviceKind kind)
{
  if (kind == AP_DEVICE_KIND_MICROPHONE)
    return "microphone-volume";
  if (kind == AP_DEVICE_KIND_SPEAKER)
    return "speaker-volume";
  return NULL;
}

/** ap_device_backend_list: (transfer container): #ApDeviceInfo of @kind, present now */
GPtrArray *
ap_device_backend_list (ApDeviceBackend *self, ApDeviceKind kind)
{
  g_return_val_if_fail (AP_IS_DEVICE_BACKEND (self), NULL);
  g_return_val_if_fail (kind < AP_DEVICE_KIND_COUNT, NULL);
  return AP_DEVICE_BACKEND_GET_IFACE (self)->list (self, kind);
}

gboolean
ap_device_backend_select (ApDeviceBackend *self, ApDeviceKind kind, const char *id, GError **error)
{
  g_return_val_if_fail (AP_IS_DEVICE_BACKEND (self), FALSE);
  g_return_val_if_fail (kind < AP_DEVICE_KIND_COUNT, FALSE);
  return AP_DEVICE_BACKEND_GET_IFACE (self)->select (self, kind, id ? id : "", error);
}

/** ap_device_backend_dup_selected: (transfer full): the id in use, "" for the default */
char *
ap_device_backend_dup_selected (ApDeviceBackend *self, ApDeviceKind kind)
{
  char *id = NULL;

  g_return_val_if_fail (AP_IS_DEVICE_BACKEND (self), NULL);
  g_object_get (self, ap_device_backend_property_name (kind), &id, NULL);
  return id ? id : g_strdup ("");
}

guint
ap_device_backend_get_volume (ApDeviceBackend *self, ApDeviceKind kind)
{
  const char *name = ap_device_backend_volume_property_name (kind);
  guint volume = 100;

  g_return_val_if_fail (AP_IS_DEVICE_BACKEND (self), 100);
  g_return_val_if_fail (name != NULL, 100);
  g_object_get (self, name, &volume, NULL);
  return volume;
}

/** ap_device_backend_set_volume: 0 … 100 (more is taken as 100) */
void
ap_device_backend_set_volume (ApDeviceBackend *self, ApDeviceKind kind, guint volume)
{
  const char *name = ap_device_backend_volume_property_name (kind);

  g_return_if_fail (AP_IS_DEVICE_BACKEND (self));
  g_return_if_fail (name != NULL);
  g_object_set (self, name, MIN (volume, 100u), NULL);
}

void
ap_device_backend_check_microphone_async (ApDeviceBackend *self, GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (AP_IS_DEVICE_BACKEND (self));
  AP_DEVICE_BACKEND_GET_IFACE (self)->check_microphone_async (self, cancellable, callback,
                                                              user_data);
}

gboolean
ap_device_backend_check_microphone_finish (ApDeviceBackend *self, GAsyncResult *result,
                                           double *peak_dbfs, char **problem, GError **error)
{
  g_return_val_if_fail (AP_IS_DEVICE_BACKEND (self), FALSE);
  return AP_DEVICE_BACKEND_GET_IFACE (self)->check_microphone_finish (self, result, peak_dbfs,
                                                                      problem, error);
}

void
ap_device_backend_set_ringing (ApDeviceBackend *self, gboolean ringing)
{
  g_return_if_fail (AP_IS_DEVICE_BACKEND (self));
  AP_DEVICE_BACKEND_GET_IFACE (self)->set_ringing (self, ringing);
}

/**
 * ap_device_backend_play_test_tone:
 * @kind: %AP_DEVICE_KIND_SPEAKER or %AP_DEVICE_KIND_RINGER
 *
 * Returns: whether the chime started; %AP_ERROR_NO_SUCH_DEVICE when no
 * output could play it.
 */
gboolean
ap_device_backend_play_test_tone (ApDeviceBackend *self, ApDeviceKind kind, GError **error)
{
  g_return_val_if_fail (AP_IS_DEVICE_BACKEND (self), FALSE);
  g_return_val_if_fail (kind == AP_DEVICE_KIND_SPEAKER || kind == AP_DEVICE_KIND_RINGER, FALSE);
  return AP_DEVICE_BACKEND_GET_IFACE (self)->play_test_tone (self, kind, error);
}

gboolean
ap_device_backend_start_microphone_monitor (ApDeviceBackend *self, GError **error)
{
  g_return_val_if_fail (AP_IS_DEVICE_BACKEND (self), FALSE);
  return AP_DEVICE_BACKEND_GET_IFACE (self)->start_microphone_monitor (self, error);
}

void
ap_device_backend_stop_microphone_monitor (ApDeviceBackend *self)
{
  g_return_if_fail (AP_IS_DEVICE_BACKEND (self));
  AP_DEVICE_BACKEND_GET_IFACE (self)->stop_microphone_monitor (self);
}

/**
 * ap_device_backend_watch:
 *
 * Starts watching the devices if nothing has yet. A backend may wait for the
 * first use (a list, a call, ringing) to do so, which keeps the sound server
 * off a phone's start; a reader of the device properties calls this first,
 * so that what it reads is what is plugged in. Optional for backends.
 */
void
ap_device_backend_watch (ApDeviceBackend *self)
{
  g_return_if_fail (AP_IS_DEVICE_BACKEND (self));
  if (AP_DEVICE_BACKEND_GET_IFACE (self)->watch)
    AP_DEVICE_BACKEND_GET_IFACE (self)->watch (self);
}

gboolean
ap_device_backend_get_microphone_monitoring (ApDeviceBackend *self)
{
  gboolean monitoring = FALSE;

  g_return_val_if_fail (AP_IS_DEVICE_BACKEND (self), FALSE);
  g_object_get (self, "microphone-monitoring", &monitoring, NULL);
  return monitoring;
}

/** ap_device_backend_get_microphone_level: the monitor's latest peak, in dBFS */
double
ap_device_backend_get_microphone_level (ApDeviceBackend *self)
{
  double level = AP_DEVICE_LEVEL_FLOOR_DBFS;

  g_return_val_if_fail (AP_IS_DEVICE_BACKEND (self), AP_DEVICE_LEVEL_FLOOR_DBFS);
  g_object_get (self, "microphone-level", &level, NULL);
  return level;
}

void
ap_device_backend_emit_devices_changed (ApDeviceBackend *self)
{
  g_signal_emit (self, signals[SIGNAL_DEVICES_CHANGED], 0);
}

void
ap_device_backend_emit_device_error (ApDeviceBackend *self, ApDeviceKind kind, const char *message)
{
  g_signal_emit (self, signals[SIGNAL_DEVICE_ERROR], 0, ap_device_kind_to_string (kind), message);
}
