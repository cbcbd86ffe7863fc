/* ap-audio-session.c: one call's audio. The session owns the RTP and RTCP
 * sockets (bound by prepare() before the SDP is written, and shared by the
 * pipeline's udpsrc and udpsink: symmetric RTP), applies the negotiated
 * parameters to its pipeline (ap-audio-session-pipeline.c) and reports
 * facts as signals, always from the main context: streaming threads only
 * count packets. */
#define G_LOG_DOMAIN "Agentphone-media"

#include "ap-audio-session-private.h"

#include "ap-error.h"

#define ACTIVITY_CHECK_MS 100
#define INACTIVE_AFTER_US (3 * G_USEC_PER_SEC)
#define BIND_ATTEMPTS 16

static void ap_audio_session_media_init (ApMediaSessionInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ApAudioSession, ap_audio_session, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (AP_TYPE_MEDIA_SESSION,
                                                      ap_audio_session_media_init))

static GSocket *
bind_udp (GInetAddress *address, guint port, GError **error)
{
  g_autoptr (GSocket) socket = NULL;
  g_autoptr (GSocketAddress) socket_address = NULL;

  socket = g_socket_new (g_inet_address_get_family (address), G_SOCKET_TYPE_DATAGRAM,
                         G_SOCKET_PROTOCOL_UDP, error);
  if (socket == NULL)
    return NULL;
  socket_address = g_inet_socket_address_new (address, port);
  /* No address reuse: two calls must never share a port. */
  if (!g_socket_bind (socket, socket_address, FALSE, error))
    return NULL;
  return g_steal_pointer (&socket);
}

static guint
socket_port (GSocket *socket)
{
  g_autoptr (GSocketAddress) address = g_socket_get_local_address (socket, NULL);

  if (address == NULL)
    return 0;
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
}

static void
report_error (ApAudioSession *self, GstMessage *message)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *debug = NULL;
  g_autofree char *text = NULL;
  GstObject *origin = GST_MESSAGE_SRC (message);
  const char *what = "Media";

  gst_message_parse_error (message, &error, &debug);
  g_debug ("Pipeline error from %s: %s (%s)", GST_OBJECT_NAME (origin), error->message,
           debug ? debug : "");
  if (self->failed || ap_audio_session_error_is_stale (self, origin))
    return;
  self->failed = TRUE;

  if (self->source != NULL
      && (origin == GST_OBJECT (self->source)
          || gst_object_has_as_ancestor (origin, GST_OBJECT (self->source))))
    what = "Audio input";
  else if (self->sink != NULL
           && (origin == GST_OBJECT (self->sink)
               || gst_object_has_as_ancestor (origin, GST_OBJECT (self->sink))))
    what = "Audio output";
  text = g_strdup_printf ("%s failed: %s", what, error->message);
  ap_media_session_emit_error (AP_MEDIA_SESSION (self), text);
}

static void
log_warning (GstMessage *message)
{
  g_autoptr (GError) error = NULL;

  gst_message_parse_warning (message, &error, NULL);
  g_debug ("Pipeline warning from %s: %s", GST_OBJECT_NAME (GST_MESSAGE_SRC (message)),
           error->message);
}

/* The pipeline's bus watch, in the main context. */
gboolean
ap_audio_session_on_bus_message (GstBus *bus, GstMessage *message, gpointer user_data)
{
  ApAudioSession *self = user_data;
  g_autoptr (ApAudioSession) hold = g_object_ref (self);

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ERROR:
      report_error (self, message);
      break;
    case GST_MESSAGE_WARNING:
      log_warning (message);
      break;
    case GST_MESSAGE_ELEMENT:
      if (!ap_audio_session_level_message (self, message))
        ap_audio_session_dtmf_message (self, message);
      break;
    case GST_MESSAGE_LATENCY:
      if (self->pipeline != NULL)
        {
          gst_bin_recalculate_latency (GST_BIN (self->pipeline));
          ap_audio_session_log_latency (self);
        }
      break;
    case GST_MESSAGE_STATE_CHANGED:
      if (self->pipeline != NULL && GST_MESSAGE_SRC (message) == GST_OBJECT (self->pipeline))
        {
          GstState new_state;

          gst_message_parse_state_changed (message, NULL, &new_state, NULL);
          if (new_state == GST_STATE_PLAYING && !self->started)
            {
              self->started = TRUE;
              ap_audio_session_log_latency (self);
              ap_media_session_emit_started (AP_MEDIA_SESSION (self));
            }
        }
      break;
    default:
      break;
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
on_activity_check (gpointer user_data)
{
  ApAudioSession *self = user_data;
  g_autoptr (ApAudioSession) hold = g_object_ref (self);
  int received = g_atomic_int_get (&self->packets_received);
  gint64 now = g_get_monotonic_time ();
  gboolean active;

  if (received != self->last_received)
    {
      self->last_received = received;
      self->last_received_time = now;
    }
  active = g_atomic_int_get (&self->packets_sent) > 0 && self->last_received_time != 0
           && now - self->last_received_time < INACTIVE_AFTER_US;
  if (active != self->active)
    {
      self->active = active;
      g_debug ("Audio %s", active ? "flows both ways" : "stopped arriving");
      ap_media_session_emit_active (AP_MEDIA_SESSION (self), active);
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
on_activity_wake (gpointer user_data)
{
  ApAudioSession *self = user_data;

  if (self->activity_source != NULL)
    on_activity_check (self);
  return G_SOURCE_REMOVE;
}

/**
 * ap_audio_session_wake_activity:
 *
 * From a streaming thread, on the first packet each way: judges activity
 * now rather than at the next periodic check, which made MediaActive (and
 * so every call's set-up as a client sees it) up to 100 ms late.
 */
void
ap_audio_session_wake_activity (ApAudioSession *self)
{
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, on_activity_wake,
                              g_object_ref (self), g_object_unref);
}

/* Checks @params and works out where to send to. */
static char *
remote_host_for (ApAudioSession *self, const ApMediaParams *params, GError **error)
{
  g_autoptr (GInetAddress) remote = NULL;
  GSocketFamily local_family = g_socket_get_family (self->rtp_socket);

  if (params->remote_address == NULL
      || (remote = g_inet_address_new_from_string (params->remote_address)) == NULL)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT,
                   "The far end's media address “%s” is not an IP address",
                   params->remote_address ? params->remote_address : "");
      return NULL;
    }
  if (params->remote_port == 0 || params->remote_port > 65534)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT,
                   "The far end's media port %u is not usable", params->remote_port);
      return NULL;
    }
  if (g_inet_address_get_family (remote) == local_family)
    return g_strdup (params->remote_address);
  if (local_family == G_SOCKET_FAMILY_IPV6)
    /* Our dual-stack IPv6 socket reaches IPv4 peers through mapped addresses. */
    return g_strdup_printf ("::ffff:%s", params->remote_address);
  g_set_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT,
               "Cannot send audio to the IPv6 address %s from an IPv4 address",
               params->remote_address);
  return NULL;
}

static guint
ap_audio_session_prepare (ApMediaSession *session, const char *local_address, GError **error)
{
  ApAudioSession *self = AP_AUDIO_SESSION (session);
  g_autoptr (GInetAddress) address = NULL;
  g_autoptr (GError) last_error = NULL;

  g_return_val_if_fail (local_address != NULL, 0);

  if (self->rtp_socket != NULL)
    return self->local_port;
  address = g_inet_address_new_from_string (local_address);
  if (address == NULL)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT,
                   "The local media address “%s” is not an IP address", local_address);
      return 0;
    }

  for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++)
    {
      g_autoptr (GSocket) first = NULL;
      g_autoptr (GSocket) second = NULL;
      guint port;

      g_clear_error (&last_error);
      first = bind_udp (address, 0, &last_error);
      if (first == NULL)
        break;
      port = socket_port (first);
      /* RTP on an even port, RTCP right above it: whichever of the pair the
       * system gave us, try to get the other one. */
      if (port % 2 == 0)
        second = bind_udp (address, port + 1, &last_error);
      else
        second = bind_udp (address, port - 1, &last_error);
      if (second == NULL)
        continue;
      if (port % 2 == 0)
        {
          self->rtp_socket = g_steal_pointer (&first);
          self->rtcp_socket = g_steal_pointer (&second);
        }
      else
        {
          self->rtp_socket = g_steal_pointer (&second);
          self->rtcp_socket = g_steal_pointer (&first);
          port--;
        }
      self->local_port = port;
      g_debug ("Audio on %s port %u (RTCP %u)", local_address, port, port + 1);
      return port;
    }
  g_set_error (error, AP_ERROR, AP_ERROR_FAILED,
               "Could not reserve two adjacent UDP ports for audio on %s: %s", local_address,
               last_error ? last_error->message : "no free pair");
  return 0;
}

static gboolean
ap_audio_session_start (ApMediaSession *session, const ApMediaParams *params, GError **error)
{
  ApAudioSession *self = AP_AUDIO_SESSION (session);
  g_autofree char *remote_host = NULL;
  const ApAudioCodec *codec;

  if (self->rtp_socket == NULL)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_STATE,
                   "The audio session must be prepared before it starts");
      return FALSE;
    }
  codec = params->codec ? ap_audio_codec_lookup (params->codec) : NULL;
  if (codec == NULL)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_NOT_SUPPORTED, "The audio codec “%s” is not supported",
                   params->codec ? params->codec : "");
      return FALSE;
    }
  if (params->payload_type > 127)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT,
                   "The RTP payload type %u is out of range", params->payload_type);
      return FALSE;
    }
  if (params->dtmf_payload_type > 127
      || (params->dtmf_payload_type >= 0
          && (guint) params->dtmf_payload_type == params->payload_type))
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT,
                   "The telephone-event payload type %d is out of range or taken by the audio",
                   params->dtmf_payload_type);
      return FALSE;
    }
  remote_host = remote_host_for (self, params, error);
  if (remote_host == NULL)
    return FALSE;

  /* What the pipeline is built around must stay; the rest changes live. */
  if (self->pipeline != NULL && codec == self->codec
      && params->payload_type == self->params->payload_type && params->ptime == self->params->ptime
      && params->dtmf_payload_type == self->params->dtmf_payload_type
      && params->dtmf_clock_rate == self->params->dtmf_clock_rate
      && params->detect_inband_dtmf == self->params->detect_inband_dtmf
      && params->srtp == self->params->srtp && g_strcmp0 (params->fmtp, self->params->fmtp) == 0)
    {
      ap_audio_session_pipeline_update (self, params, remote_host);
      ap_audio_session_srtp_update (self, params);
      g_free (self->remote_host);
      self->remote_host = g_steal_pointer (&remote_host);
    }
  else
    {
      /* A new codec (or telephone-event, or SRTP suite): a new pipeline,
       * on the same sockets and SSRC. */
      ap_audio_session_pipeline_stop (self);
      self->failed = FALSE;
      self->codec = codec;
      g_free (self->remote_host);
      self->remote_host = g_steal_pointer (&remote_host);
      g_debug ("Starting %s audio (pt %u, %u ms) towards port %u", codec->name,
               params->payload_type, params->ptime, params->remote_port);
      if (!ap_audio_session_pipeline_start (self, params, error))
        return FALSE;
    }

  g_clear_pointer (&self->params, ap_media_params_free);
  self->params = ap_media_params_copy (params);
  ap_audio_session_video_apply (self, params);

  if (self->activity_source == NULL)
    {
      self->activity_source = g_timeout_source_new (ACTIVITY_CHECK_MS);
      g_source_set_callback (self->activity_source, on_activity_check, self, NULL);
      g_source_set_static_name (self->activity_source, "[agentphone] audio activity");
      g_source_attach (self->activity_source, self->context);
    }
  return TRUE;
}

static void
ap_audio_session_stop (ApMediaSession *session)
{
  ApAudioSession *self = AP_AUDIO_SESSION (session);

  ap_audio_session_stop_ringback (self);
  ap_audio_session_stats_send_bye (self);
  ap_audio_session_record_stop (session);
  ap_audio_session_pipeline_stop (self);
  ap_audio_session_video_close (self);
  ap_audio_session_stats_stop (self);
  if (self->activity_source != NULL)
    {
      g_source_destroy (self->activity_source);
      g_clear_pointer (&self->activity_source, g_source_unref);
    }
  if (self->rtp_socket != NULL)
    g_socket_close (self->rtp_socket, NULL);
  if (self->rtcp_socket != NULL)
    g_socket_close (self->rtcp_socket, NULL);
  g_clear_object (&self->rtp_socket);
  g_clear_object (&self->rtcp_socket);
  g_clear_pointer (&self->params, ap_media_params_free);
  g_clear_pointer (&self->remote_host, g_free);
  self->local_port = 0;
  self->codec = NULL;
  self->active = FALSE;
  self->started = FALSE;
  self->failed = FALSE;
  self->packets_sent = 0;
  self->packets_received = 0;
  self->rtcp_received = 0;
  self->last_received = 0;
  self->last_received_time = 0;
}

static void
ap_audio_session_set_muted (ApMediaSession *session, gboolean muted)
{
  ApAudioSession *self = AP_AUDIO_SESSION (session);

  self->muted = !!muted;
  /* Silence keeps flowing: no renegotiation, the far end's jitter buffer
   * and our activity check see no difference. */
  if (self->volume != NULL)
    g_object_set (self->volume, "mute", self->muted, NULL);
}

static void
ap_audio_session_set_call_id (ApMediaSession *session, guint id)
{
  AP_AUDIO_SESSION (session)->call_id = id;
}

static void
ap_audio_session_media_init (ApMediaSessionInterface *iface)
{
  iface->prepare = ap_audio_session_prepare;
  iface->start = ap_audio_session_start;
  iface->stop = ap_audio_session_stop;
  iface->set_muted = ap_audio_session_set_muted;
  iface->send_dtmf = ap_audio_session_send_dtmf;
  iface->play_ringback = ap_audio_session_play_ringback;
  iface->set_call_id = ap_audio_session_set_call_id;
  iface->start_recording = ap_audio_session_record_start;
  iface->stop_recording = ap_audio_session_record_stop;
  iface->pause_recording = ap_audio_session_record_set_paused;
  ap_audio_session_video_iface_init (iface);
}

static void
ap_audio_session_dispose (GObject *object)
{
  ap_audio_session_stop (AP_MEDIA_SESSION (object));
  ap_audio_session_devices_dispose (AP_AUDIO_SESSION (object));
  ap_audio_session_video_dispose (AP_AUDIO_SESSION (object));
  G_OBJECT_CLASS (ap_audio_session_parent_class)->dispose (object);
}

static void
ap_audio_session_finalize (GObject *object)
{
  ApAudioSession *self = AP_AUDIO_SESSION (object);

  g_free (self->source_description);
  g_free (self->sink_description);
  g_free (self->probe_name);
  g_mutex_clear (&self->dtmf_lock);
  g_mutex_clear (&self->srtp_lock);
  ap_audio_session_latch_free (self);
  g_main_context_unref (self->context);
  G_OBJECT_CLASS (ap_audio_session_parent_class)->finalize (object);
}

static void
ap_audio_session_class_init (ApAudioSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ap_audio_session_dispose;
  object_class->finalize = ap_audio_session_finalize;
}

static void
ap_audio_session_init (ApAudioSession *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->ssrc = g_random_int ();
  self->dtmf_payload_type = -1;
  self->camera_open = TRUE;
  g_mutex_init (&self->dtmf_lock);
  g_mutex_init (&self->srtp_lock);
}

/**
 * ap_audio_session_new:
 *
 * Returns: (transfer full): a new, unprepared audio session. Its signals
 * are emitted in the thread-default main context of the caller.
 */
ApAudioSession *
ap_audio_session_new (void)
{
  return g_object_new (AP_TYPE_AUDIO_SESSION, NULL);
}

/**
 * ap_audio_session_set_source_description:
 * @description: (nullable): a GStreamer bin description with one unlinked
 *   source pad, e.g. `audiotestsrc is-live=true freq=440`, or %NULL for
 *   the default input device
 *
 * Sets where this session's outgoing audio comes from when the
 * `AGENTPHONE_AUDIO_INPUT` variable is unset (the variable wins). This is
 * the hook for tests that run several sessions in one process, and for the
 * echo test. Takes effect at the next start() that builds a pipeline.
 */
void
ap_audio_session_set_source_description (ApAudioSession *self, const char *description)
{
  g_return_if_fail (AP_IS_AUDIO_SESSION (self));

  g_free (self->source_description);
  self->source_description = g_strdup (description);
}

/**
 * ap_audio_session_set_sink_description:
 * @description: (nullable): a GStreamer bin description with one unlinked
 *   sink pad, e.g. `wavenc ! filesink location=/tmp/b.wav`, or %NULL for
 *   the default output device
 *
 * Like ap_audio_session_set_source_description(), for where the received
 * audio goes when `AGENTPHONE_AUDIO_OUTPUT` is unset. The sink is made anew
 * for each pipeline, and finished (a WAV gets its final header) by stop().
 */
void
ap_audio_session_set_sink_description (ApAudioSession *self, const char *description)
{
  g_return_if_fail (AP_IS_AUDIO_SESSION (self));

  g_free (self->sink_description);
  self->sink_description = g_strdup (description);
}
