/* ap-devices-tone.c: the test chime an agent plays to check a speaker or
 * the ringer before taking calls:
 *
 *   appsrc (the chime, made once) → audioconvert → audioresample → volume
 *     → speaker or ringer (or their AGENTPHONE_*_OUTPUT override)
 *
 * 440 Hz for 0.6 s, then 880 Hz for 0.9 s, at −10.5 dBFS peak with short
 * fades (no clicks). The speaker plays it at the speaker volume, as a call
 * would sound; the ringer has no volume of its own, as for the ringtone.
 * It ends by itself (EOS, so a file override is a complete WAV); playing
 * again while it plays starts it over. */
#define G_LOG_DOMAIN "Agentphone-media"

#include "ap-devices-private.h"

#include <gst/app/gstappsrc.h>
#include <glib/gi18n.h>
#include <math.h>

#include "ap-error.h"
#include "ap-media-override.h"

#define CHIME_RATE 48000
#define CHIME_LOW_HZ 440.0
#define CHIME_HIGH_HZ 880.0
#define CHIME_LOW_MS 600
#define CHIME_MS 1500
#define CHIME_FADE_MS 10
#define CHIME_AMPLITUDE 0.3 /* −10.5 dBFS: clearly heard, never startling */

/* Fade-in and fade-out of a part that runs from @start to @end (samples). */
static double
envelope (guint i, guint start, guint end)
{
  guint fade = CHIME_RATE * CHIME_FADE_MS / 1000;

  if (i - start < fade)
    return (double) (i - start) / fade;
  if (end - i < fade)
    return (double) (end - i) / fade;
  return 1.0;
}

static GstBuffer *
make_chime (void)
{
  guint n = CHIME_RATE * CHIME_MS / 1000, split = CHIME_RATE * CHIME_LOW_MS / 1000;
  GstBuffer *buffer = gst_buffer_new_allocate (NULL, n * sizeof (gint16), NULL);
  GstMapInfo map;

  gst_buffer_map (buffer, &map, GST_MAP_WRITE);
  for (guint i = 0; i < n; i++)
    {
      gboolean low = i < split;
      double freq = low ? CHIME_LOW_HZ : CHIME_HIGH_HZ;
      double gain = CHIME_AMPLITUDE * envelope (i, low ? 0 : split, low ? split : n);

      ((gint16 *) map.data)[i]
        = (gint16) lround (32767.0 * gain * sin (2.0 * G_PI * freq * i / CHIME_RATE));
    }
  gst_buffer_unmap (buffer, &map);
  GST_BUFFER_PTS (buffer) = 0;
  GST_BUFFER_DURATION (buffer) = (GstClockTime) CHIME_MS * GST_MSECOND;
  return buffer;
}

/* autoaudiosink settles for a fake sink when no sound server or card
 * answers: the chime would "play" and nobody would hear it. */
static gboolean
plays_nowhere (GstElement *sink)
{
  GstElementFactory *factory = gst_element_get_factory (sink);
  g_autoptr (GstIterator) it = NULL;
  GValue item = G_VALUE_INIT;
  gboolean fake = FALSE;

  if (factory == NULL || !g_str_equal (GST_OBJECT_NAME (factory), "autoaudiosink"))
    return FALSE;
  it = gst_bin_iterate_elements (GST_BIN (sink));
  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK)
    {
      GstElementFactory *child = gst_element_get_factory (g_value_get_object (&item));

      fake = fake || (child && g_str_equal (GST_OBJECT_NAME (child), "fakesink"));
      g_value_reset (&item);
    }
  g_value_unset (&item);
  return fake;
}

static GstElement *
make_output (ApDevices *self, ApDeviceKind kind, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  GstElement *sink;

  if (kind == AP_DEVICE_KIND_RINGER)
    return ap_devices_make_ringer_sink (self, error);
  sink = ap_media_override_make ("AGENTPHONE_AUDIO_OUTPUT", &local_error);
  if (sink == NULL && local_error == NULL)
    sink = ap_devices_make_element (self, kind, &local_error);
  if (sink == NULL && local_error == NULL)
    sink = gst_element_factory_make ("autoaudiosink", NULL);
  if (sink == NULL && local_error == NULL)
    g_set_error (&local_error, AP_ERROR, AP_ERROR_NO_SUCH_DEVICE,
                 _ ("No audio output can play the test sound"));
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return sink;
}

static gboolean
on_tone_message (GstBus *bus, GstMessage *message, gpointer user_data)
{
  ApDevices *self = user_data;
  g_autoptr (GError) error = NULL;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_EOS:
      g_debug ("The test sound has played");
      ap_devices_stop_test_tone (self);
      return G_SOURCE_REMOVE;
    case GST_MESSAGE_ERROR:
      gst_message_parse_error (message, &error, NULL);
      g_warning ("The test sound stopped: %s", error->message);
      ap_devices_stop_test_tone (self);
      return G_SOURCE_REMOVE;
    default:
      return G_SOURCE_CONTINUE;
    }
}

static GstElement *
build (GstElement *sink, double gain, GError **error)
{
  g_autoptr (GstCaps) caps = gst_caps_new_simple (
    "audio/x-raw", "format", G_TYPE_STRING, "S16LE", "rate", G_TYPE_INT, CHIME_RATE, "channels",
    G_TYPE_INT, 1, "layout", G_TYPE_STRING, "interleaved", NULL);
  GstElement *pipeline = gst_object_ref_sink (gst_pipeline_new ("test-tone"));
  GstElement *source = gst_element_factory_make ("appsrc", NULL);
  GstElement *convert = gst_element_factory_make ("audioconvert", NULL);
  GstElement *resample = gst_element_factory_make ("audioresample", NULL);
  GstElement *volume = gst_element_factory_make ("volume", NULL);

  gst_bin_add (GST_BIN (pipeline), sink);
  if (source == NULL || convert == NULL || resample == NULL || volume == NULL)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_FAILED,
                   _ ("GStreamer elements are missing; install the GStreamer base plugins"));
      gst_object_unref (pipeline);
      return NULL;
    }
  gst_bin_add_many (GST_BIN (pipeline), source, convert, resample, volume, NULL);
  g_object_set (source, "caps", caps, "format", GST_FORMAT_TIME, NULL);
  g_object_set (volume, "volume", gain, NULL);
  if (!gst_element_link_many (source, convert, resample, volume, sink, NULL))
    {
      g_set_error (error, AP_ERROR, AP_ERROR_FAILED,
                   _ ("The audio output does not take the test sound"));
      gst_object_unref (pipeline);
      return NULL;
    }
  gst_app_src_push_buffer (GST_APP_SRC (source), make_chime ());
  gst_app_src_end_of_stream (GST_APP_SRC (source));
  return pipeline;
}

/* The person reads which output failed and why. */
static void
set_unplayable (GError **error, ApDeviceKind kind, const char *why)
{
  g_set_error (error, AP_ERROR, AP_ERROR_NO_SUCH_DEVICE,
               kind == AP_DEVICE_KIND_RINGER ? _ ("The ringer cannot play the test sound: %s")
                                             : _ ("The speaker cannot play the test sound: %s"),
               why);
}

gboolean
ap_devices_play_test_tone (ApDeviceBackend *backend, ApDeviceKind kind, GError **error)
{
  ApDevices *self = AP_DEVICES (backend);
  double gain = kind == AP_DEVICE_KIND_SPEAKER ? ap_devices_gain (self, kind) : 1.0;
  g_autoptr (GstBus) bus = NULL;
  GstElement *sink;

  ap_devices_start (self);
  ap_devices_stop_test_tone (self);
  if ((sink = make_output (self, kind, error)) == NULL)
    return FALSE;
  if ((self->test_tone = build (sink, gain, error)) == NULL)
    return FALSE;
  if (gst_element_set_state (self->test_tone, GST_STATE_READY) == GST_STATE_CHANGE_FAILURE
      || plays_nowhere (sink))
    {
      set_unplayable (error, kind, _ ("no sound server or sound card answers"));
      ap_devices_stop_test_tone (self);
      return FALSE;
    }
  bus = gst_pipeline_get_bus (GST_PIPELINE (self->test_tone));
  gst_bus_add_watch (bus, on_tone_message, self);
  if (gst_element_set_state (self->test_tone, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      set_unplayable (error, kind, _ ("the device did not start"));
      ap_devices_stop_test_tone (self);
      return FALSE;
    }
  g_debug ("Playing the test sound on the %s", ap_device_kind_to_string (kind));
  return TRUE;
}

/** ap_devices_stop_test_tone: stops the chime at once, if it plays */
void
ap_devices_stop_test_tone (ApDevices *self)
{
  g_autoptr (GstBus) bus = NULL;

  if (self->test_tone == NULL)
    return;
  bus = gst_pipeline_get_bus (GST_PIPELINE (self->test_tone));
  gst_bus_remove_watch (bus);
  gst_element_set_state (self->test_tone, GST_STATE_NULL);
  gst_clear_object (&self->test_tone);
}
