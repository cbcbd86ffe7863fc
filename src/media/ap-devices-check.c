/* ap-devices-check.c: CheckMicrophone. Listens one second on the microphone
 * in use (the AGENTPHONE_AUDIO_INPUT override wins, as in calls):
 *
 *   source → audioconvert → level (100 ms) → fakesink
 *
 * and judges the loudest peak, before the microphone volume (it is the
 * microphone that is checked, not the volume):
 * - "no microphone": nothing could be opened, or it failed;
 * - "silent": peak below SILENT_DBFS;
 * - "clipping": peak at or above CLIPPING_DBFS. */
#define G_LOG_DOMAIN "Agentphone-media"

#include "ap-devices-private.h"

#include "ap-error.h"
#include "ap-media-override.h"

#define LISTEN_MS 1000
#define START_TIMEOUT_MS 3000
#define SILENT_DBFS -60.0
#define CLIPPING_DBFS -0.5
#define FLOOR_DBFS -120.0

typedef struct {
  GstElement *pipeline;
  guint timeout_id;
  gboolean listening;
  gboolean done;
  double peak;
  char *failure;
} Check;

/* Stops listening; the bus watch and timers drop their task references. */
static void
check_stop (Check *check)
{
  g_autoptr (GstBus) bus = NULL;

  g_clear_handle_id (&check->timeout_id, g_source_remove);
  if (check->pipeline == NULL)
    return;
  bus = gst_pipeline_get_bus (GST_PIPELINE (check->pipeline));
  gst_bus_remove_watch (bus);
  gst_element_set_state (check->pipeline, GST_STATE_NULL);
  gst_clear_object (&check->pipeline);
}

static void
check_free (Check *check)
{
  check_stop (check);
  g_free (check->failure);
  g_free (check);
}

static void
finish (GTask *task)
{
  g_autoptr (GTask) hold = g_object_ref (task);
  Check *check = g_task_get_task_data (task);
  const char *problem = "";

  if (g_task_get_completed (task) || check->done)
    return;
  check->done = TRUE;
  check_stop (check);
  if (check->failure != NULL || !check->listening)
    {
      g_debug ("Microphone check: no microphone (%s)",
               check->failure ? check->failure : "it did not start");
      problem = "no microphone";
      check->peak = FLOOR_DBFS;
    }
  else if (check->peak < SILENT_DBFS)
    problem = "silent";
  else if (check->peak >= CLIPPING_DBFS)
    problem = "clipping";
  g_debug ("Microphone check: peak %.1f dBFS, %s", check->peak, *problem ? problem : "fine");
  g_task_return_pointer (task, g_strdup (problem), g_free);
}

static gboolean
on_timeout (gpointer user_data)
{
  GTask *task = user_data;
  Check *check = g_task_get_task_data (task);

  check->timeout_id = 0;
  finish (task);
  return G_SOURCE_REMOVE;
}

/* level still reports a GValueArray in 1.22. */
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
static void
take_level (Check *check, const GstStructure *s)
{
  const GValue *peaks = gst_structure_get_value (s, "peak");
  GValueArray *array;

  if (peaks == NULL || !G_VALUE_HOLDS (peaks, g_value_array_get_type ()))
    return;
  array = g_value_get_boxed (peaks);
  for (guint i = 0; i < array->n_values; i++)
    check->peak
      = MAX (check->peak, MAX (g_value_get_double (g_value_array_get_nth (array, i)), FLOOR_DBFS));
}
G_GNUC_END_IGNORE_DEPRECATIONS

static gboolean
on_bus_message (GstBus *bus, GstMessage *message, gpointer user_data)
{
  GTask *task = user_data;
  Check *check = g_task_get_task_data (task);
  const GstStructure *s = gst_message_get_structure (message);
  g_autoptr (GError) error = NULL;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ERROR:
      gst_message_parse_error (message, &error, NULL);
      g_free (check->failure);
      check->failure = g_strdup (error->message);
      finish (task);
      break;
    case GST_MESSAGE_ELEMENT:
      if (s && gst_structure_has_name (s, "level"))
        take_level (check, s);
      break;
    case GST_MESSAGE_STATE_CHANGED:
      if (GST_MESSAGE_SRC (message) == GST_OBJECT (check->pipeline) && !check->listening)
        {
          GstState state;

          gst_message_parse_state_changed (message, NULL, &state, NULL);
          if (state != GST_STATE_PLAYING)
            break;
          /* Listening starts now: the one second is the device's, not setup. */
          check->listening = TRUE;
          g_clear_handle_id (&check->timeout_id, g_source_remove);
          check->timeout_id = g_timeout_add_full (G_PRIORITY_DEFAULT, LISTEN_MS, on_timeout,
                                                  g_object_ref (task), g_object_unref);
        }
      break;
    default:
      break;
    }
  return G_SOURCE_CONTINUE;
}

/**
 * ap_devices_make_microphone: (transfer floating) (nullable):
 *
 * The AGENTPHONE_AUDIO_INPUT override, else the microphone in use, else the
 * system default; %NULL with @error for a broken override.
 */
GstElement *
ap_devices_make_microphone (ApDevices *self, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  GstElement *source;

  ap_devices_start (self);
  source = ap_media_override_make ("AGENTPHONE_AUDIO_INPUT", &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (source == NULL)
    source = ap_devices_make_element (self, AP_DEVICE_KIND_MICROPHONE, &local_error);
  if (source == NULL && local_error == NULL)
    source = gst_element_factory_make ("autoaudiosrc", NULL);
  return source;
}

static gboolean
build (ApDevices *self, Check *check, GstElement *source)
{
  GstElement *convert = gst_element_factory_make ("audioconvert", NULL);
  GstElement *level = gst_element_factory_make ("level", NULL);
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);

  check->pipeline = gst_object_ref_sink (gst_pipeline_new ("microphone-check"));
  if (convert == NULL || level == NULL || sink == NULL)
    {
      check->failure = g_strdup ("GStreamer elements are missing");
      return FALSE;
    }
  gst_bin_add_many (GST_BIN (check->pipeline), source, convert, level, sink, NULL);
  g_object_set (level, "interval", (guint64) 100 * GST_MSECOND, "post-messages", TRUE, NULL);
  g_object_set (sink, "sync", FALSE, NULL);
  if (!gst_element_link_many (source, convert, level, sink, NULL))
    {
      check->failure = g_strdup ("the input does not connect");
      return FALSE;
    }
  return TRUE;
}

void
ap_devices_check_microphone_async (ApDeviceBackend *backend, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  ApDevices *self = AP_DEVICES (backend);
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (GError) error = NULL;
  g_autoptr (GstBus) bus = NULL;
  Check *check = g_new0 (Check, 1);
  GstElement *source;

  check->peak = FLOOR_DBFS;
  g_task_set_task_data (task, check, (GDestroyNotify) check_free);
  source = ap_devices_make_microphone (self, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (source == NULL)
    {
      check->failure = g_strdup ("no audio input element");
      finish (task);
      return;
    }
  if (!build (self, check, source))
    {
      finish (task);
      return;
    }
  bus = gst_pipeline_get_bus (GST_PIPELINE (check->pipeline));
  /* The watch and timers hold the task until it completes. */
  gst_bus_add_watch_full (bus, G_PRIORITY_DEFAULT, on_bus_message, g_object_ref (task),
                          g_object_unref);
  check->timeout_id = g_timeout_add_full (G_PRIORITY_DEFAULT, START_TIMEOUT_MS, on_timeout,
                                          g_object_ref (task), g_object_unref);
  if (gst_element_set_state (check->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      if (check->failure == NULL)
        check->failure = g_strdup ("the input did not start");
      finish (task);
    }
}

gboolean
ap_devices_check_microphone_finish (ApDeviceBackend *backend, GAsyncResult *result,
                                    double *peak_dbfs, char **problem, GError **error)
{
  Check *check = g_task_get_task_data (G_TASK (result));
  char *outcome = g_task_propagate_pointer (G_TASK (result), error);

  if (outcome == NULL)
    return FALSE;
  *peak_dbfs = check->peak;
  *problem = outcome;
  return TRUE;
}
