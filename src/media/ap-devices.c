/* ap-devices.c: the audio and video devices, over GstDeviceMonitor.
 *
 * A device's id is the sound server's own name for it (PulseAudio's
 * "internal-name", PipeWire's node.name), which stays the same across
 * replugs and restarts; the display name is only for people. For each kind
 * the person's choice is kept (and persisted) apart from the device in use:
 * when the chosen one is unplugged the default takes over and "device-error"
 * says so; when it returns it is used again. Running calls follow through
 * the "switched" signal. Volumes are 0 … 100 on a cubic scale (as sound
 * servers do): 100 is unity gain, 50 is 1/8 (−18 dB), 0 is silence. */
#define G_LOG_DOMAIN "Agentphone-media"

#include "ap-devices-private.h"

#include <glib/gi18n.h>
#include <gst/audio/audio.h>

#include "ap-error.h"
#include "ap-media-override.h"

enum {
  PROP_0,
  PROP_MICROPHONE,
  PROP_SPEAKER,
  PROP_RINGER,
  PROP_CAMERA,
  PROP_MICROPHONE_VOLUME,
  PROP_SPEAKER_VOLUME,
  PROP_MICROPHONE_MONITORING,
  PROP_MICROPHONE_LEVEL,
  N_PROPS
};

enum { SIGNAL_SWITCHED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const char *const device_classes[AP_DEVICE_KIND_COUNT]
  = { "Audio/Source", "Audio/Sink", "Audio/Sink", "Video/Source" };

static void ap_devices_backend_init (ApDeviceBackendInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ApDevices, ap_devices, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (AP_TYPE_DEVICE_BACKEND,
                                                      ap_devices_backend_init))

static GParamSpec *
kind_pspec (ApDevices *self, ApDeviceKind kind)
{
  return g_object_class_find_property (G_OBJECT_GET_CLASS (self),
                                       ap_device_backend_property_name (kind));
}

/* The stable id: the sound server's name for the device. */
static char *
device_id (GstDevice *device)
{
  g_autoptr (GstStructure) props = gst_device_get_properties (device);
  const char *keys[] = { "node.name", "device.name", "api.v4l2.path", "device.path" };
  char *id = NULL;

  if (g_object_class_find_property (G_OBJECT_GET_CLASS (device), "internal-name"))
    g_object_get (device, "internal-name", &id, NULL);
  for (guint i = 0; props && (id == NULL || *id == '\0') && i < G_N_ELEMENTS (keys); i++)
    if (gst_structure_has_field_typed (props, keys[i], G_TYPE_STRING))
      {
        g_free (id);
        id = g_strdup (gst_structure_get_string (props, keys[i]));
      }
  if (id == NULL || *id == '\0')
    {
      g_free (id);
      id = gst_device_get_display_name (device);
    }
  return id;
}

static gboolean
device_is_kind (GstDevice *device, ApDeviceKind kind)
{
  g_autoptr (GstStructure) props = NULL;
  const char *device_class;

  if (!gst_device_has_classes (device, device_classes[kind]))
    return FALSE;
  if (kind != AP_DEVICE_KIND_MICROPHONE)
    return TRUE;
  /* A sink's monitor is a source too, but nobody speaks into it. */
  props = gst_device_get_properties (device);
  device_class = props ? gst_structure_get_string (props, "device.class") : NULL;
  return g_strcmp0 (device_class, "monitor") != 0;
}

static gboolean
device_is_default (GstDevice *device)
{
  g_autoptr (GstStructure) props = gst_device_get_properties (device);
  gboolean is_default = FALSE;

  return props && gst_structure_get_boolean (props, "is-default", &is_default) && is_default;
}

/**
 * ap_devices_find: (transfer full) (nullable): the present device of @kind with @id
 */
GstDevice *
ap_devices_find (ApDevices *self, ApDeviceKind kind, const char *id)
{
  GList *devices;
  GstDevice *found = NULL;

  ap_devices_start (self);
  if (id == NULL || *id == '\0' || !self->monitoring)
    return NULL;
  devices = gst_device_monitor_get_devices (self->monitor);
  for (GList *l = devices; l && !found; l = l->next)
    {
      g_autofree char *this_id = device_id (l->data);

      if (device_is_kind (l->data, kind) && g_str_equal (this_id, id))
        found = g_object_ref (l->data);
    }
  g_list_free_full (devices, gst_object_unref);
  return found;
}

static void restart_ringing (ApDevices *self);

/* Puts @id in use for @kind (no checks), tells running calls. */
static void
set_current (ApDevices *self, ApDeviceKind kind, const char *id)
{
  if (g_strcmp0 (self->current[kind], id) == 0)
    return;
  g_free (self->current[kind]);
  self->current[kind] = g_strdup (id);
  g_debug ("Using %s “%s”", ap_device_kind_to_string (kind), *id ? id : "(system default)");
  g_object_notify_by_pspec (G_OBJECT (self), kind_pspec (self, kind));
  g_signal_emit (self, signals[SIGNAL_SWITCHED], 0, (guint) kind);
  if (kind == AP_DEVICE_KIND_RINGER)
    restart_ringing (self);
  if (kind == AP_DEVICE_KIND_MICROPHONE)
    ap_devices_follow_microphone (self);
}

/* After a plug or unplug (@gone: an id just removed): the chosen device
 * where present, else the default, saying so when the choice went away. */
static void
refresh (ApDevices *self, const char *gone)
{
  /* Not watching yet: the choices are applied when watching starts. */
  if (!self->started)
    return;
  for (guint k = 0; k < AP_DEVICE_KIND_COUNT; k++)
    {
      const char *chosen = self->chosen[k];
      g_autoptr (GstDevice) device = NULL;
      gboolean present = *chosen == '\0';

      if (!present && g_strcmp0 (gone, chosen) != 0)
        present = (device = ap_devices_find (self, k, chosen)) != NULL;
      if (present)
        set_current (self, k, chosen);
      else if (*self->current[k] != '\0')
        {
          g_autofree char *message
            = g_strdup_printf (_ ("The %s “%s” is gone; using the default one until it is back"),
                               ap_device_kind_to_string (k), chosen);

          g_message ("%s", message);
          set_current (self, k, "");
          ap_device_backend_emit_device_error (AP_DEVICE_BACKEND (self), k, message);
        }
    }
}

static gboolean
on_monitor_message (GstBus *bus, GstMessage *message, gpointer user_data)
{
  ApDevices *self = user_data;
  g_autoptr (GstDevice) device = NULL;
  g_autofree char *id = NULL;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_DEVICE_ADDED:
      gst_message_parse_device_added (message, &device);
      id = device_id (device);
      g_debug ("Device added: %s", id);
      refresh (self, NULL);
      break;
    case GST_MESSAGE_DEVICE_REMOVED:
      gst_message_parse_device_removed (message, &device);
      id = device_id (device);
      g_debug ("Device removed: %s", id);
      refresh (self, id);
      break;
    default:
      return G_SOURCE_CONTINUE;
    }
  ap_device_backend_emit_devices_changed (AP_DEVICE_BACKEND (self));
  return G_SOURCE_CONTINUE;
}

static const char *
volume_key (ApDeviceKind kind)
{
  return ap_device_backend_volume_property_name (kind);
}

static void
persist (ApDevices *self, const char *key, GVariant *value)
{
  g_autoptr (GError) error = NULL;
  g_auto (GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);

  g_variant_ref_sink (value);
  if (self->settings == NULL)
    {
      g_variant_unref (value);
      return;
    }
  g_variant_builder_add (&builder, "{sv}", key, value);
  g_variant_unref (value);
  if (!ap_settings_merge (self->settings, g_variant_builder_end (&builder), &error))
    g_warning ("Could not remember the %s: %s", key, error->message);
}

static void
apply_volume (ApDevices *self, ApDeviceKind kind, guint volume)
{
  const char *key = volume_key (kind);

  volume = MIN (volume, 100u);
  if (self->volume[kind] == volume)
    return;
  self->volume[kind] = volume;
  g_debug ("%s %u", key, volume);
  g_object_notify (G_OBJECT (self), key);
}

static void
apply_choice (ApDevices *self, ApDeviceKind kind, const char *id)
{
  if (g_strcmp0 (self->chosen[kind], id) == 0)
    return;
  g_free (self->chosen[kind]);
  self->chosen[kind] = g_strdup (id);
  refresh (self, NULL);
}

/* Configure() (or our own Select) changed the settings. */
static void
on_settings_changed (ApSettings *settings, GStrv keys, ApDevices *self)
{
  for (guint k = 0; k < AP_DEVICE_KIND_COUNT; k++)
    {
      const char *vkey = volume_key (k);

      if (g_strv_contains ((const char *const *) keys, ap_device_kind_to_string (k)))
        apply_choice (self, k, ap_settings_get_string (settings, ap_device_kind_to_string (k)));
      if (vkey && g_strv_contains ((const char *const *) keys, vkey))
        apply_volume (self, k, ap_settings_get_uint (settings, vkey));
    }
  if (g_strv_contains ((const char *const *) keys, "ringtone"))
    restart_ringing (self);
}

static GPtrArray *
ap_devices_list (ApDeviceBackend *backend, ApDeviceKind kind)
{
  ApDevices *self = AP_DEVICES (backend);
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) ap_device_info_free);
  GList *devices;

  ap_devices_start (self);
  if (!self->monitoring)
    return list;
  devices = gst_device_monitor_get_devices (self->monitor);
  for (GList *l = devices; l; l = l->next)
    {
      g_autofree char *id = NULL;
      g_autofree char *name = NULL;

      if (!device_is_kind (l->data, kind))
        continue;
      id = device_id (l->data);
      name = gst_device_get_display_name (l->data);
      g_ptr_array_add (list, ap_device_info_new (id, name, device_is_default (l->data)));
    }
  g_list_free_full (devices, gst_object_unref);
  return list;
}

static gboolean
ap_devices_select (ApDeviceBackend *backend, ApDeviceKind kind, const char *id, GError **error)
{
  ApDevices *self = AP_DEVICES (backend);
  g_autoptr (GstDevice) device = NULL;

  ap_devices_start (self);
  if (*id != '\0' && (device = ap_devices_find (self, kind, id)) == NULL)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_NO_SUCH_DEVICE,
                   _ ("There is no %s “%s”; List(“%s”) shows the ones present"),
                   ap_device_kind_to_string (kind), id, ap_device_kind_to_string (kind));
      return FALSE;
    }
  persist (self, ap_device_kind_to_string (kind), g_variant_new_string (id));
  apply_choice (self, kind, id);
  return TRUE;
}

/* The ringer: the ringtone setting (a file) or the built-in ring, on the
 * AGENTPHONE_RINGER_OUTPUT override, else the ringer device. */
GstElement *
ap_devices_make_ringer_sink (ApDevices *self, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  GstElement *sink;

  ap_devices_start (self);
  sink = ap_media_override_make ("AGENTPHONE_RINGER_OUTPUT", &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (sink == NULL)
    sink = ap_devices_make_element (self, AP_DEVICE_KIND_RINGER, error);
  if (sink == NULL && (error == NULL || *error == NULL))
    sink = gst_element_factory_make ("autoaudiosink", NULL);
  if (sink == NULL && (error == NULL || *error == NULL))
    g_set_error (error, AP_ERROR, AP_ERROR_NO_SUCH_DEVICE, "No audio output can ring");
  return sink;
}

static void
start_ringing (ApDevices *self)
{
  const char *file = self->settings ? ap_settings_get_string (self->settings, "ringtone") : "";
  g_autoptr (GError) error = NULL;
  GstElement *sink = ap_devices_make_ringer_sink (self, &error);

  if (sink != NULL && ap_tone_player_start (self->ringer, AP_TONE_RING, file, sink, &error))
    return;
  if (sink != NULL && *file != '\0')
    {
      /* A broken ringtone file must not make a silent phone. */
      g_warning ("%s; ringing with the built-in tone", error->message);
      g_clear_error (&error);
      sink = ap_devices_make_ringer_sink (self, &error);
      if (sink != NULL && ap_tone_player_start (self->ringer, AP_TONE_RING, NULL, sink, &error))
        return;
    }
  g_warning ("Cannot ring: %s", error->message);
  ap_device_backend_emit_device_error (AP_DEVICE_BACKEND (self), AP_DEVICE_KIND_RINGER,
                                       error->message);
}

static void
restart_ringing (ApDevices *self)
{
  if (self->ringer && ap_tone_player_is_playing (self->ringer))
    start_ringing (self);
}

static void
ap_devices_set_ringing (ApDeviceBackend *backend, gboolean ringing)
{
  ApDevices *self = AP_DEVICES (backend);

  if (ringing && !ap_tone_player_is_playing (self->ringer))
    start_ringing (self);
  else if (!ringing)
    ap_tone_player_stop (self->ringer);
}

static void
ap_devices_watch (ApDeviceBackend *backend)
{
  ap_devices_start (AP_DEVICES (backend));
}

static void
ap_devices_backend_init (ApDeviceBackendInterface *iface)
{
  iface->list = ap_devices_list;
  iface->select = ap_devices_select;
  iface->check_microphone_async = ap_devices_check_microphone_async;
  iface->check_microphone_finish = ap_devices_check_microphone_finish;
  iface->set_ringing = ap_devices_set_ringing;
  iface->play_test_tone = ap_devices_play_test_tone;
  iface->start_microphone_monitor = ap_devices_start_microphone_monitor;
  iface->stop_microphone_monitor = ap_devices_stop_microphone_monitor;
  iface->watch = ap_devices_watch;
}

static void
ap_devices_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  ApDevices *self = AP_DEVICES (object);

  switch (prop_id)
    {
    case PROP_MICROPHONE:
    case PROP_SPEAKER:
    case PROP_RINGER:
    case PROP_CAMERA:
      g_value_set_string (value, self->current[prop_id - PROP_MICROPHONE]);
      break;
    case PROP_MICROPHONE_VOLUME:
      g_value_set_uint (value, self->volume[AP_DEVICE_KIND_MICROPHONE]);
      break;
    case PROP_SPEAKER_VOLUME:
      g_value_set_uint (value, self->volume[AP_DEVICE_KIND_SPEAKER]);
      break;
    case PROP_MICROPHONE_MONITORING:
      g_value_set_boolean (value, self->mic_monitor != NULL);
      break;
    case PROP_MICROPHONE_LEVEL:
      g_value_set_double (value, self->mic_level);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ap_devices_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  ApDevices *self = AP_DEVICES (object);
  ApDeviceKind kind
    = prop_id == PROP_MICROPHONE_VOLUME ? AP_DEVICE_KIND_MICROPHONE : AP_DEVICE_KIND_SPEAKER;

  switch (prop_id)
    {
    case PROP_MICROPHONE_VOLUME:
    case PROP_SPEAKER_VOLUME:
      if (self->volume[kind] == g_value_get_uint (value))
        return;
      persist (self, volume_key (kind), g_variant_new_uint32 (g_value_get_uint (value)));
      apply_volume (self, kind, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ap_devices_dispose (GObject *object)
{
  ApDevices *self = AP_DEVICES (object);

  if (self->monitor)
    {
      g_autoptr (GstBus) bus = gst_device_monitor_get_bus (self->monitor);

      gst_bus_remove_watch (bus);
      if (self->monitoring)
        gst_device_monitor_stop (self->monitor);
      self->monitoring = FALSE;
    }
  gst_clear_object (&self->monitor);
  if (self->settings)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  g_clear_object (&self->ringer);
  ap_devices_stop_test_tone (self);
  ap_devices_stop_microphone_monitor (AP_DEVICE_BACKEND (self));
  G_OBJECT_CLASS (ap_devices_parent_class)->dispose (object);
}

static void
ap_devices_finalize (GObject *object)
{
  ApDevices *self = AP_DEVICES (object);

  for (guint k = 0; k < AP_DEVICE_KIND_COUNT; k++)
    {
      g_free (self->chosen[k]);
      g_free (self->current[k]);
    }
  G_OBJECT_CLASS (ap_devices_parent_class)->finalize (object);
}

static void
ap_devices_class_init (ApDevicesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = ap_devices_get_property;
  object_class->set_property = ap_devices_set_property;
  object_class->dispose = ap_devices_dispose;
  object_class->finalize = ap_devices_finalize;
  g_object_class_override_property (object_class, PROP_MICROPHONE, "microphone");
  g_object_class_override_property (object_class, PROP_SPEAKER, "speaker");
  g_object_class_override_property (object_class, PROP_RINGER, "ringer");
  g_object_class_override_property (object_class, PROP_CAMERA, "camera");
  g_object_class_override_property (object_class, PROP_MICROPHONE_VOLUME, "microphone-volume");
  g_object_class_override_property (object_class, PROP_SPEAKER_VOLUME, "speaker-volume");
  g_object_class_override_property (object_class, PROP_MICROPHONE_MONITORING,
                                    "microphone-monitoring");
  g_object_class_override_property (object_class, PROP_MICROPHONE_LEVEL, "microphone-level");

  /**
   * ApDevices::switched:
   * @kind: the #ApDeviceKind whose device in use changed
   *
   * Running calls rebuild that end of their pipeline.
   */
  signals[SIGNAL_SWITCHED] = g_signal_new ("switched", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
ap_devices_init (ApDevices *self)
{
  for (guint k = 0; k < AP_DEVICE_KIND_COUNT; k++)
    {
      self->chosen[k] = g_strdup ("");
      self->current[k] = g_strdup ("");
      self->volume[k] = 100;
    }
  self->mic_level = AP_DEVICE_LEVEL_FLOOR_DBFS;
  self->ringer = ap_tone_player_new ();
}

/**
 * ap_devices_new:
 * @settings: (nullable): where choices and volumes are kept
 */
ApDevices *
ap_devices_new (ApSettings *settings)
{
  ApDevices *self = g_object_new (AP_TYPE_DEVICES, NULL);

  if (settings == NULL)
    return self;
  self->settings = g_object_ref (settings);
  g_signal_connect (settings, "changed", G_CALLBACK (on_settings_changed), self);
  for (guint k = 0; k < AP_DEVICE_KIND_COUNT; k++)
    {
      const char *vkey = volume_key (k);

      g_free (self->chosen[k]);
      self->chosen[k] = g_strdup (ap_settings_get_string (settings, ap_device_kind_to_string (k)));
      if (vkey)
        self->volume[k] = ap_settings_get_uint (settings, vkey);
    }
  refresh (self, NULL);
  return self;
}

/**
 * ap_devices_start:
 *
 * Initialises GStreamer and starts the device monitor, once, on the first
 * use (a list, a call, ringing, a test) or when a DBus client reads the
 * device properties (ap_device_backend_watch()): ~13 ms and the sound
 * server's client libraries a phone needs neither to register nor to idle.
 */
void
ap_devices_start (ApDevices *self)
{
  g_autoptr (GstBus) bus = NULL;

  g_return_if_fail (AP_IS_DEVICES (self));
  if (self->started)
    return;
  self->started = TRUE;
  if (!gst_is_initialized ())
    gst_init (NULL, NULL);
  self->monitor = gst_device_monitor_new ();
  for (guint k = 0; k < AP_DEVICE_KIND_COUNT; k++)
    if (k != AP_DEVICE_KIND_RINGER)
      gst_device_monitor_add_filter (self->monitor, device_classes[k], NULL);
  bus = gst_device_monitor_get_bus (self->monitor);
  gst_bus_add_watch (bus, on_monitor_message, self);
  /* No sound server, no cameras: no devices, and the defaults still work. */
  self->monitoring = gst_device_monitor_start (self->monitor);
  if (!self->monitoring)
    g_message ("No device monitor could start: only the default devices are available");
  refresh (self, NULL);
}

/**
 * ap_devices_make_element:
 *
 * Returns: (transfer floating) (nullable): a source or sink for the device
 * of @kind in use, or %NULL without error for the system default.
 */
GstElement *
ap_devices_make_element (ApDevices *self, ApDeviceKind kind, GError **error)
{
  g_autoptr (GstDevice) device = NULL;
  GstElement *element;

  g_return_val_if_fail (AP_IS_DEVICES (self), NULL);

  ap_devices_start (self);
  if (*self->current[kind] == '\0')
    return NULL;
  device = ap_devices_find (self, kind, self->current[kind]);
  if (device == NULL)
    return NULL; /* gone this instant: the monitor's message follows */
  element = gst_device_create_element (device, NULL);
  if (element == NULL)
    g_set_error (error, AP_ERROR, AP_ERROR_NO_SUCH_DEVICE, _ ("The %s “%s” cannot be opened"),
                 ap_device_kind_to_string (kind), self->current[kind]);
  return element;
}

/** ap_devices_volume_gain: the linear gain of a 0 … 100 volume (cubic) */
double
ap_devices_volume_gain (guint volume)
{
  return gst_stream_volume_convert_volume (
    GST_STREAM_VOLUME_FORMAT_CUBIC, GST_STREAM_VOLUME_FORMAT_LINEAR, MIN (volume, 100u) / 100.0);
}

/** ap_devices_gain: the linear gain for @kind's volume (microphone or speaker) */
double
ap_devices_gain (ApDevices *self, ApDeviceKind kind)
{
  g_return_val_if_fail (AP_IS_DEVICES (self), 1.0);
  return ap_devices_volume_gain (self->volume[kind]);
}
