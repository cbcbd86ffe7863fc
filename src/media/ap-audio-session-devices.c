/* ap-audio-session-devices.c: a call's audio and the devices. The call
 * follows the microphone and speaker in use (ApDevices::switched): the
 * source or sink is replaced in the running pipeline and the call goes on.
 * Volumes apply live. Overrides (AGENTPHONE_AUDIO_*, or a session's own
 * descriptions) are never replaced. Also the ringback tone, which plays
 * into the call's output while there is no pipeline yet. */
#define G_LOG_DOMAIN "Agentphone-media"

#include "ap-audio-session-private.h"

#define RINGBACK_DELAY_MS 30

typedef struct {
  ApAudioSession *self;
  GstElement *pipeline; /* the pipeline the swap was asked for */
  gint scheduled;
} Swap;

static Swap *
swap_new (ApAudioSession *self)
{
  Swap *swap = g_new0 (Swap, 1);

  swap->self = g_object_ref (self);
  swap->pipeline = gst_object_ref (self->pipeline);
  return swap;
}

static void
swap_free (Swap *swap)
{
  g_object_unref (swap->self);
  gst_object_unref (swap->pipeline);
  g_free (swap);
}

void
ap_audio_session_set_switchable (ApAudioSession *self, gboolean input, gboolean switchable)
{
  if (input)
    self->input_switchable = switchable;
  else
    self->output_switchable = switchable;
}

/* (transfer floating) (nullable): the device in use, NULL for the default */
GstElement *
ap_audio_session_make_device (ApAudioSession *self, gboolean input, GError **error)
{
  GstElement *element;

  if (self->devices == NULL)
    return NULL;
  element = ap_devices_make_element (
    self->devices, input ? AP_DEVICE_KIND_MICROPHONE : AP_DEVICE_KIND_SPEAKER, error);
  return element;
}

void
ap_audio_session_apply_volumes (ApAudioSession *self)
{
  if (self->devices == NULL)
    return;
  if (self->volume != NULL)
    g_object_set (self->volume, "volume",
                  ap_devices_gain (self->devices, AP_DEVICE_KIND_MICROPHONE), NULL);
  if (self->output_volume != NULL)
    g_object_set (self->output_volume, "volume",
                  ap_devices_gain (self->devices, AP_DEVICE_KIND_SPEAKER), NULL);
}

/* Takes @old out of the pipeline and puts @next where it was. */
static gboolean
replace (ApAudioSession *self, GstElement *old, GstElement *next, GstElement *peer, gboolean input,
         const char *name)
{
  gst_element_set_locked_state (old, TRUE);
  gst_element_set_state (old, GST_STATE_NULL);
  if (input)
    gst_element_unlink (old, peer);
  else
    gst_element_unlink (peer, old);
  gst_bin_remove (GST_BIN (self->pipeline), old);
  gst_object_set_name (GST_OBJECT (next), name);
  gst_bin_add (GST_BIN (self->pipeline), next);
  if (!(input ? gst_element_link (next, peer) : gst_element_link (peer, next))
      || !gst_element_sync_state_with_parent (next))
    return FALSE;
  gst_element_post_message (next, gst_message_new_latency (GST_OBJECT (next)));
  return TRUE;
}

static void
report_switch_failure (ApAudioSession *self, gboolean input, const char *why)
{
  g_autofree char *message = g_strdup_printf ("Audio %s failed: could not switch device: %s",
                                              input ? "input" : "output", why);

  self->failed = TRUE;
  ap_media_session_emit_error (AP_MEDIA_SESSION (self), message);
}

/* The live source is stopped first: nothing downstream waits on it. */
static void
switch_input (ApAudioSession *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GstElement) peer = gst_bin_get_by_name (GST_BIN (self->pipeline), "input-convert");
  GstElement *next = ap_audio_session_make_endpoint (self, TRUE, &error);
  GstElement *old = self->source;

  if (next == NULL)
    {
      report_switch_failure (self, TRUE, error->message);
      return;
    }
  self->source = next;
  if (!replace (self, old, next, peer, TRUE, "audio-input"))
    report_switch_failure (self, TRUE, "the new microphone does not connect");
  else
    g_debug ("Audio input switched");
}

/* Main context, the pipeline still the session's, with the sink's input
 * blocked by the probe. */
static void
swap_output (ApAudioSession *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GstElement) peer = NULL;
  g_autoptr (GstPad) pad = NULL;
  GstElement *next, *old = self->sink;

  if (self->output_probe == 0)
    return;
  peer = gst_bin_get_by_name (GST_BIN (self->pipeline), "output-resample");
  pad = gst_element_get_static_pad (peer, "src");
  next = ap_audio_session_make_endpoint (self, FALSE, &error);
  if (next == NULL)
    report_switch_failure (self, FALSE, error->message);
  else
    {
      /* A sink joining a running pipeline must not preroll: its state
       * change would take the whole pipeline out of PLAYING. */
      if (g_object_class_find_property (G_OBJECT_GET_CLASS (next), "async"))
        g_object_set (next, "async", FALSE, NULL);
      else if (g_object_class_find_property (G_OBJECT_GET_CLASS (next), "async-handling"))
        g_object_set (next, "async-handling", TRUE, NULL);
      self->sink = next;
      if (!replace (self, old, next, peer, FALSE, "audio-output"))
        report_switch_failure (self, FALSE, "the new output does not connect");
      else
        g_debug ("Audio output switched");
    }
  gst_pad_remove_probe (pad, self->output_probe);
  self->output_probe = 0;
}

/* Streaming thread: the mixer's output is held here until the main context
 * has put the new sink in place. */
static GstPadProbeReturn
on_output_blocked (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  Swap *swap = user_data;

  if (g_atomic_int_compare_and_exchange (&swap->scheduled, 0, 1))
    ap_audio_session_run_in_context (swap->self, swap->pipeline, swap_output);
  return GST_PAD_PROBE_OK;
}

static void
switch_output (ApAudioSession *self)
{
  g_autoptr (GstElement) peer = gst_bin_get_by_name (GST_BIN (self->pipeline), "output-resample");
  g_autoptr (GstPad) pad = gst_element_get_static_pad (peer, "src");

  if (self->output_probe != 0)
    return; /* a swap is on its way; it makes the sink afresh */
  /* The mixer is live and pushes every few ms: the pad blocks at once, and
   * the swap itself runs in the main context. */
  self->output_probe
    = gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BLOCK_DOWNSTREAM, on_output_blocked,
                         swap_new (self), (GDestroyNotify) swap_free);
}

static void
on_switched (ApDevices *devices, guint kind, ApAudioSession *self)
{
  g_autoptr (ApAudioSession) hold = g_object_ref (self);

  if (self->pipeline == NULL || self->failed)
    return;
  if (kind == AP_DEVICE_KIND_MICROPHONE && self->input_switchable)
    switch_input (self);
  else if (kind == AP_DEVICE_KIND_SPEAKER && self->output_switchable)
    switch_output (self);
}

static void
on_volume (ApDevices *devices, GParamSpec *pspec, ApAudioSession *self)
{
  ap_audio_session_apply_volumes (self);
}

/**
 * ap_audio_session_set_devices:
 * @devices: (nullable): the devices this call follows
 *
 * Without devices (tests), the session uses its descriptions or the system
 * defaults, at unity gain.
 */
void
ap_audio_session_set_devices (ApAudioSession *self, ApDevices *devices)
{
  g_return_if_fail (AP_IS_AUDIO_SESSION (self));

  ap_audio_session_devices_dispose (self);
  if (devices == NULL)
    return;
  self->devices = g_object_ref (devices);
  g_signal_connect (devices, "switched", G_CALLBACK (on_switched), self);
  g_signal_connect (devices, "notify::microphone-volume", G_CALLBACK (on_volume), self);
  g_signal_connect (devices, "notify::speaker-volume", G_CALLBACK (on_volume), self);
  ap_audio_session_apply_volumes (self);
}

/* An error posted by an element no longer in the pipeline (a replaced
 * device) is not the call's. */
gboolean
ap_audio_session_error_is_stale (ApAudioSession *self, GstObject *origin)
{
  return self->pipeline != NULL
         && !gst_object_has_as_ancestor (origin, GST_OBJECT (self->pipeline));
}

void
ap_audio_session_stop_ringback (ApAudioSession *self)
{
  g_clear_handle_id (&self->ringback_id, g_source_remove);
  if (self->ringback != NULL)
    ap_tone_player_stop (self->ringback);
}

static gboolean
start_ringback (gpointer data)
{
  ApAudioSession *self = data;
  g_autoptr (GError) error = NULL;
  GstElement *sink;

  self->ringback_id = 0;
  /* Answered (or early media came) meanwhile: the call's own audio plays. */
  if (self->pipeline != NULL)
    return G_SOURCE_REMOVE;
  if (self->ringback == NULL)
    self->ringback = ap_tone_player_new ();
  sink = ap_audio_session_make_endpoint (self, FALSE, &error);
  if (sink == NULL || !ap_tone_player_start (self->ringback, AP_TONE_RINGBACK, NULL, sink, &error))
    g_warning ("No ringback tone: %s", error ? error->message : "no output");
  return G_SOURCE_REMOVE;
}

/* The ringback starts RINGBACK_DELAY_MS after the 180, which nobody can
 * hear as late: a far end that answers at once (an auto-answering agent
 * or an IVR, whose 200 follows its 180 within a millisecond or two) then
 * gets no ringback at all, instead of one built, started and torn down on
 * the main thread while its 200 waits (~1 ms, and an output opened twice). */
void
ap_audio_session_play_ringback (ApMediaSession *session, gboolean play)
{
  ApAudioSession *self = AP_AUDIO_SESSION (session);

  if (!play)
    {
      ap_audio_session_stop_ringback (self);
      return;
    }
  /* Early media plays already, or the ringback does or is about to. */
  if (self->pipeline != NULL || self->ringback_id != 0
      || (self->ringback && ap_tone_player_is_playing (self->ringback)))
    return;
  self->ringback_id = g_timeout_add (RINGBACK_DELAY_MS, start_ringback, self);
}

void
ap_audio_session_devices_dispose (ApAudioSession *self)
{
  if (self->devices)
    g_signal_handlers_disconnect_by_data (self->devices, self);
  g_clear_object (&self->devices);
  g_clear_handle_id (&self->ringback_id, g_source_remove);
  g_clear_object (&self->ringback);
}
