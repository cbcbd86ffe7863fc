/* ap-media-preload.c: the plugins a call needs, loaded on a worker thread
 * as soon as a call begins.
 *
 * GStreamer starts with a process's first call (ap-media-engine.c), and
 * that call's pipeline then loaded each element's plugin on the main
 * thread (SRTP, webrtcdsp, Opus, rtpbin, the DTMF and RTP plugins): 24 ms
 * instead of 3 to build it, after the 200, on the set-up's path. Started
 * when the call's session is made (Dial, or an INVITE arriving), the loads
 * run while the INVITE waits for its answer. GStreamer serialises plugin
 * loading, so a pipeline built meanwhile only waits for what is loading. */
#define G_LOG_DOMAIN "Agentphone-media"

#include "ap-media-preload.h"

#include <gst/gst.h>

/* What every call's pipeline makes (ap-audio-session-pipeline.c and its
 * parts), and the codecs' elements; a missing one is simply skipped. */
static const char *const call_elements[] = {
  "rtpbin",     "srtpenc",      "srtpdec",      "webrtcdsp",     "webrtcechoprobe",
  "opusenc",    "opusdec",      "rtpopuspay",   "rtpopusdepay",  "alawenc",
  "alawdec",    "rtppcmapay",   "rtppcmadepay", "mulawenc",      "mulawdec",
  "rtppcmupay", "rtppcmudepay", "rtpdtmfmux",   "rtpdtmfsrc",    "rtpdtmfdepay",
  "audiomixer", "audiotestsrc", "audioconvert", "audioresample", "volume",
  "level",      "valve",        "udpsrc",       "udpsink",       "pulsesrc",
  "pulsesink",
};

static gpointer
preload_run (gpointer data)
{
  GstRegistry *registry = gst_registry_get ();
  gint64 start = g_get_monotonic_time ();
  guint loaded = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (call_elements); i++)
    {
      g_autoptr (GstPluginFeature) feature
        = gst_registry_find_feature (registry, call_elements[i], GST_TYPE_ELEMENT_FACTORY);
      g_autoptr (GstPluginFeature) ready = NULL;

      if (feature != NULL && (ready = gst_plugin_feature_load (feature)) != NULL)
        loaded++;
    }
  g_debug ("Loaded %u of the call's %u elements in %.1f ms", loaded,
           (guint) G_N_ELEMENTS (call_elements), (g_get_monotonic_time () - start) / 1000.0);
  return NULL;
}

/**
 * ap_media_preload_start:
 *
 * Once per process, after gst_init(): loads the plugins of a call's
 * pipeline on a worker thread. Returns at once.
 */
void
ap_media_preload_start (void)
{
  static gsize started;
  g_autoptr (GError) error = NULL;
  GThread *thread;

  if (!g_once_init_enter (&started))
    return;
  thread = g_thread_try_new ("ap-media-preload", preload_run, NULL, &error);
  if (thread == NULL)
    /* Only slower: the pipeline loads what it needs itself. */
    g_debug ("Could not load the call's plugins ahead: %s", error->message);
  else
    g_thread_unref (thread);
  g_once_init_leave (&started, 1);
}
