/* ap-media-override.c: the AGENTPHONE_*_INPUT/OUTPUT variables of the DBus
 * contract. Each holds a GStreamer bin description used instead of a device,
 * which is how machines without a sound card, and the tests, feed and catch
 * media. */
#define G_LOG_DOMAIN "Agentphone-media"

#include "ap-media-override.h"

#include "ap-error.h"

/**
 * ap_media_override_make:
 * @variable: e.g. `AGENTPHONE_AUDIO_INPUT`
 *
 * Returns: (transfer floating) (nullable): a bin with ghost pads made from the
 * variable's description, or %NULL with no error when the variable is unset.
 */
GstElement *
ap_media_override_make (const char *variable, GError **error)
{
  const char *description = g_getenv (variable);
  g_autoptr (GError) local_error = NULL;
  GstElement *bin;

  if (description == NULL || *description == '\0')
    return NULL;
  bin = gst_parse_bin_from_description (description, TRUE, &local_error);
  if (bin == NULL)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT, "%s is not a usable pipeline: %s",
                   variable, local_error->message);
      return NULL;
    }
  return bin;
}
