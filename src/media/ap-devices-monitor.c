/* ap-devices-monitor.c: the live microphone meter.
 *
 *   microphone (or AGENTPHONE_AUDIO_INPUT) → audioconvert
 *     → level (100 ms) → fakesink
 *
 * Each level message (ten a second, so "microphone-level" changes at most
 * ten times a second) sets the peak in dBFS, before the microphone volume:
 * it is the microphone that is watched, as in the check. The meter opens a
 * stream of its own, so it shares the microphone with calls. It follows the
 * microphone in use when another is chosen or it is unplugged; a microphone
 * that fails says so with "device-error" and the meter stops. */
#define G_LOG_DOMAIN "Agentphone-media"

#include "ap-devices-private.h"

#include <glib/gi18n.h>

#include "ap-error.h"

#define INTERVAL_MS 100

static void
set_level (ApDevices *self, double level)
{
  level = CLAMP (level, AP_DEVICE_LEVEL_FLOOR_DBFS, 0.0);
  if (self->mic_level == level)
    return;
  self->mic_level = level;
  g_object_notify (G_OBJECT (self), "microphone-level");
}

/* level still reports a GValueArray in 1.22. */
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
static double
loudest_peak (const GstStructure *s)
{
  const GValue *peaks = gst_structure_get_value (s, "peak");
  double loudest = AP_DEVICE_LEVEL_FLOOR_DBFS;
  GValueArray *array;

  if (peaks == NULL || !G_VALUE_HOLDS (peaks, g_value_array_get_type ()))
    return loudest;
  array = g_value_get_boxed (peaks);
  for (guint i = 0; i < array->n_values; i++)
    loudest = MAX (loudest, g_value_get_double (g_value_array_get_nth (array, i)));
  return loudest;
}
G_GNUC_END_IGNORE_DEPRECATIONS

static gboolean
on_monitor_message (GstBus *bus, GstMessage *message, gpointer user_data)
{
  ApDevices *self = user_data;
  const GstStructure *s = gst_message_get_structure (message);
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ELEMENT:
      if (s && gst_structure_has_name (s, "level"))
        set_level (self, loudest_peak (s));
      return G_SOURCE_CONTINUE;
    case GST_MESSAGE_ERROR:
    case GST_MESSAGE_EOS:
      if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
        gst_message_parse_error (message, &error, NULL);
      text = g_strdup_printf (_ ("The microphone stopped, so the meter stopped: %s"),
                              error ? error->message : _ ("it sent no more sound"));
      g_message ("%s", text);
      ap_devices_stop_microphone_monitor (AP_DEVICE_BACKEND (self));
      ap_device_backend_emit_device_error (AP_DEVICE_BACKEND (self), AP_DEVICE_KIND_MICROPHONE,
                                           text);
      return G_SOURCE_REMOVE;
    default:
      return G_SOURCE_CONTINUE;
    }
}

static GstElement *
build (GstElement *source, GError **error)
{
  GstElement *pipeline = gst_object_ref_sink (gst_pipeline_new ("microphone-monitor"));
  GstElement *convert = gst_element_factory_make ("audioconvert", NULL);
  GstElement *level = gst_element_factory_make ("level", NULL);
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);

  gst_bin_add (GST_BIN (pipeline), source);
  if (convert == NULL || level == NULL || sink == NULL)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_FAILED,
                   _ ("GStreamer elements are missing; install the GStreamer good plugins"));
      gst_object_unref (pipeline);
      return NULL;
    }
  gst_bin_add_many (GST_BIN (pipeline), convert, level, sink, NULL);
  g_object_set (level, "interval", (guint64) INTERVAL_MS * GST_MSECOND, "post-messages", TRUE,
                NULL);
  g_object_set (sink, "sync", FALSE, NULL);
  if (!gst_element_link_many (source, convert, level, sink, NULL))
    {
      g_set_error (error, AP_ERROR, AP_ERROR_NO_SUCH_DEVICE,
                   _ ("The microphone gives no sound the meter can read"));
      gst_object_unref (pipeline);
      return NULL;
    }
  return pipeline;
}

gboolean
ap_devices_start_microphone_monitor (ApDeviceBackend *backend, GError **error)
{
  ApDevices *self = AP_DEVICES (backend);
  g_autoptr (GstBus) bus = NULL;
  GstElement *source;

  if (self->mic_monitor != NULL)
    return TRUE;
  if ((source = ap_devices_make_microphone (self, error)) == NULL)
    {
      if (error && *error == NULL)
        g_set_error (error, AP_ERROR, AP_ERROR_NO_SUCH_DEVICE,
                     _ ("No microphone can be opened for the meter"));
      return FALSE;
    }
  if ((self->mic_monitor = build (source, error)) == NULL)
    return FALSE;
  bus = gst_pipeline_get_bus (GST_PIPELINE (self->mic_monitor));
  gst_bus_add_watch (bus, on_monitor_message, self);
  if (gst_element_set_state (self->mic_monitor, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      ap_devices_stop_microphone_monitor (backend);
      g_set_error (error, AP_ERROR, AP_ERROR_NO_SUCH_DEVICE,
                   _ ("The microphone cannot be opened for the meter: no sound server or sound "
                      "card answers"));
      return FALSE;
    }
  g_debug ("Microphone meter on");
  g_object_notify (G_OBJECT (self), "microphone-monitoring");
  return TRUE;
}

void
ap_devices_stop_microphone_monitor (ApDeviceBackend *backend)
{
  ApDevices *self = AP_DEVICES (backend);
  g_autoptr (GstBus) bus = NULL;

  if (self->mic_monitor == NULL)
    return;
  bus = gst_pipeline_get_bus (GST_PIPELINE (self->mic_monitor));
  gst_bus_remove_watch (bus);
  gst_element_set_state (self->mic_monitor, GST_STATE_NULL);
  gst_clear_object (&self->mic_monitor);
  g_debug ("Microphone meter off");
  g_object_notify (G_OBJECT (self), "microphone-monitoring");
  set_level (self, AP_DEVICE_LEVEL_FLOOR_DBFS);
}

/** ap_devices_follow_microphone: the microphone in use changed: listen to it */
void
ap_devices_follow_microphone (ApDevices *self)
{
  g_autoptr (GError) error = NULL;

  if (self->mic_monitor == NULL)
    return;
  ap_devices_stop_microphone_monitor (AP_DEVICE_BACKEND (self));
  if (!ap_devices_start_microphone_monitor (AP_DEVICE_BACKEND (self), &error))
    ap_device_backend_emit_device_error (AP_DEVICE_BACKEND (self), AP_DEVICE_KIND_MICROPHONE,
                                         error->message);
}
