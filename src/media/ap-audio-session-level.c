/* ap-audio-session-level.c: level meters of an ApAudioSession. A `level`
 * element after the microphone's volume (what the far end gets, muted or
 * not) and one after the speaker's volume (what the agent hears) post their
 * RMS ten times a second; each speaker report becomes one "levels" signal
 * with the latest of both, for the window's VU meters. */
#define G_LOG_DOMAIN "Agentphone-media"

#include "ap-audio-session-private.h"

#include <math.h>

#define LEVEL_INTERVAL (100 * GST_MSECOND)
#define FLOOR_DBFS -100.0

/** ap_audio_session_level_add: (transfer none): a level meter added to @pipeline */
GstElement *
ap_audio_session_level_add (ApAudioSession *self, GstElement *pipeline, gboolean input,
                            GError **error)
{
  GstElement *level
    = ap_audio_make_element ("level", input ? "input-level" : "output-level", error);

  if (level == NULL)
    return NULL;
  g_object_set (level, "interval", (guint64) LEVEL_INTERVAL, "post-messages", TRUE, NULL);
  gst_bin_add (GST_BIN (pipeline), level);
  if (input)
    self->input_level = FLOOR_DBFS;
  else
    self->output_level = FLOOR_DBFS;
  return level;
}

/* The loudest channel's RMS in a "level" message, at least FLOOR_DBFS. */
static double
loudest_rms (const GstStructure *structure)
{
  const GValue *list = gst_structure_get_value (structure, "rms");
  double loudest = FLOOR_DBFS;
  GValueArray *array;

  /* level (1.22) posts a GValueArray of doubles, one per channel. */
  if (list == NULL || !G_VALUE_HOLDS_BOXED (list))
    return loudest;
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  array = g_value_get_boxed (list);
  for (guint i = 0; array != NULL && i < array->n_values; i++)
    {
      const GValue *value = g_value_array_get_nth (array, i);
      double rms = G_VALUE_HOLDS_DOUBLE (value) ? g_value_get_double (value) : -INFINITY;

      if (isfinite (rms) && rms > loudest)
        loudest = rms;
    }
  G_GNUC_END_IGNORE_DEPRECATIONS
  return loudest;
}

/* From the bus watch: whether @message was a level report (then handled). */
gboolean
ap_audio_session_level_message (ApAudioSession *self, GstMessage *message)
{
  const GstStructure *structure = gst_message_get_structure (message);
  const char *name;

  if (structure == NULL || !gst_structure_has_name (structure, "level"))
    return FALSE;
  name = GST_OBJECT_NAME (GST_MESSAGE_SRC (message));
  if (g_strcmp0 (name, "input-level") == 0)
    self->input_level = loudest_rms (structure);
  else if (g_strcmp0 (name, "output-level") == 0)
    {
      self->output_level = loudest_rms (structure);
      ap_media_session_emit_levels (AP_MEDIA_SESSION (self), self->input_level, self->output_level);
    }
  return TRUE;
}
