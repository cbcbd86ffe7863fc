/* ap-media-override.c: the AGENTPHONE_*_INPUT/OUTPUT variables of the DBus
 * contract. Each holds a GStreamer bin description used instead of a device,
 * which is how machines without a sound card, and the tests, feed and catch
 * media. In AGENTPHONE_AUDIO_INPUT/OUTPUT, `%u` stands for the call's Id, so
 * each of several calls can have a file of its own. */
#define G_LOG_DOMAIN "Agentphone-media"

#include "ap-media-override.h"

#include "ap-error.h"

/**
 * ap_media_override_make_for_call:
 * @variable: e.g. `AGENTPHONE_AUDIO_OUTPUT`
 * @call_id: what each `%u` in the description becomes (0: no call)
 *
 * Returns: (transfer floating) (nullable): a bin with ghost pads made from the
 * variable's description, or %NULL with no error when the variable is unset.
 */
GstElement *
ap_media_override_make_for_call (const char *variable, guint call_id, GError **error)
{
  const char *value = g_getenv (variable);
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GString) description = NULL;
  g_autofree char *id = NULL;
  GstElement *bin;

  if (value == NULL || *value == '\0')
    return NULL;
  description = g_string_new (value);
  id = g_strdup_printf ("%u", call_id);
  g_string_replace (description, "%u", id, 0);
  bin = gst_parse_bin_from_description (description->str, TRUE, &local_error);
  if (bin == NULL)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT, "%s is not a usable pipeline: %s",
                   variable, local_error->message);
      return NULL;
    }
  return bin;
}

/** ap_media_override_make: like ap_media_override_make_for_call(), outside a call */
GstElement *
ap_media_override_make (const char *variable, GError **error)
{
  return ap_media_override_make_for_call (variable, 0, error);
}
