/* ap-call.c: one call and its state machine.
 *
 *   dialing → ringing-back → connected ⇄ held → ended
 *   incoming → connected
 *
 * Every state change carries the SIP code and reason that caused it. People
 * and scripts act through ap_call_answer() and friends, which refuse what
 * the state does not allow with AP_ERROR_INVALID_STATE; the backend reports
 * the network's side through ap_call_remote_ringing() and friends. */
#define G_LOG_DOMAIN "Agentphone-core"

#include "ap-call.h"
#include "ap-call-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ap-enums.h"
#include "ap-error.h"
#include "ap-uri.h"

enum {
  PROP_0,
  PROP_ID,
  PROP_DIRECTION,
  PROP_PEER,
  PROP_PEER_NUMBER,
  PROP_PEER_NAME,
  PROP_STATE,
  PROP_MUTED,
  PROP_HELD,
  PROP_REMOTE_HELD,
  PROP_MEDIA_ACTIVE,
  PROP_AUDIO_CODEC,
  PROP_START_TIME,
  PROP_END_CODE,
  PROP_END_REASON,
  PROP_HEADERS,
  PROP_ENCRYPTED,
  PROP_STATS,
  PROP_INPUT_LEVEL,
  PROP_OUTPUT_LEVEL,
  N_PROPS
};
static GParamSpec *props[N_PROPS];

enum {
  SIGNAL_STATE_CHANGED,
  SIGNAL_MEDIA_STARTED,
  SIGNAL_ANSWERING,
  SIGNAL_DTMF_RECEIVED,
  SIGNAL_TRANSFER_PROGRESS,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (ApCall, ap_call, G_TYPE_OBJECT)

static const char *
enum_nick (GType type, int value)
{
  g_autoptr (GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *v = g_enum_get_value (klass, value);

  return v ? v->value_nick : "unknown";
}

const char *
ap_call_state_to_string (ApCallState state)
{
  return enum_nick (AP_TYPE_CALL_STATE, state);
}

const char *
ap_call_direction_to_string (ApCallDirection direction)
{
  return enum_nick (AP_TYPE_CALL_DIRECTION, direction);
}

static void
set_state (ApCall *self, ApCallState state, guint code, const char *reason)
{
  if (self->state == state)
    return;
  g_debug ("Call %u: %s → %s (%u %s)", self->id, ap_call_state_to_string (self->state),
           ap_call_state_to_string (state), code, reason ? reason : "");
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATE]);
  g_signal_emit (self, signals[SIGNAL_STATE_CHANGED], 0, state, code, reason ? reason : "");
}

gboolean
ap_call_have_backend (ApCall *self, GError **error)
{
  if (self->backend)
    return TRUE;
  g_set_error (error, AP_ERROR, AP_ERROR_FAILED, _ ("The call has no connection to the network"));
  return FALSE;
}

static void
on_media_dtmf (ApMediaSession *media, const char *digit, ApCall *self)
{
  ap_call_dtmf_received (self, digit);
}

static void
on_media_started (ApMediaSession *media, ApCall *self)
{
  g_signal_emit (self, signals[SIGNAL_MEDIA_STARTED], 0);
}

static void
on_media_active (ApMediaSession *media, gboolean active, ApCall *self)
{
  if (self->media_active == active)
    return;
  self->media_active = active;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_MEDIA_ACTIVE]);
}

/* Dead air is worse than a dropped call: a media failure ends the call,
 * visibly, with the reason. */
static void
on_media_error (ApMediaSession *media, const char *message, ApCall *self)
{
  g_autofree char *reason = g_strdup_printf (_ ("Audio failed: %s"), message);

  g_warning ("Call %u: %s", self->id, reason);
  if (self->state == AP_CALL_STATE_ENDED)
    return;
  /* Ended first: the SIP backend ends a call it hangs up as "200 Hung up",
   * which would hide the reason. */
  g_object_ref (self);
  ap_call_ended (self, 500, reason);
  if (self->backend)
    ap_call_backend_hangup (self->backend, NULL);
  g_object_unref (self);
}

static void
on_media_levels (ApMediaSession *media, double input_dbfs, double output_dbfs, ApCall *self)
{
  self->input_level = CLAMP (input_dbfs, -100.0, 0.0);
  self->output_level = CLAMP (output_dbfs, -100.0, 0.0);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_INPUT_LEVEL]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_OUTPUT_LEVEL]);
}

static void
ap_call_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  ApCall *self = AP_CALL (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_uint (value, self->id);
      break;
    case PROP_DIRECTION:
      g_value_set_enum (value, self->direction);
      break;
    case PROP_PEER:
      g_value_set_string (value, self->peer);
      break;
    case PROP_PEER_NUMBER:
      g_value_set_string (value, self->peer_number);
      break;
    case PROP_PEER_NAME:
      g_value_set_string (value, self->peer_name);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_MUTED:
      g_value_set_boolean (value, self->muted);
      break;
    case PROP_HELD:
      g_value_set_boolean (value, self->held);
      break;
    case PROP_REMOTE_HELD:
      g_value_set_boolean (value, self->remote_held);
      break;
    case PROP_MEDIA_ACTIVE:
      g_value_set_boolean (value, self->media_active);
      break;
    case PROP_AUDIO_CODEC:
      g_value_set_string (value, self->audio_codec);
      break;
    case PROP_ENCRYPTED:
      g_value_set_boolean (value, self->encrypted);
      break;
    case PROP_START_TIME:
      g_value_set_int64 (value, self->start_time);
      break;
    case PROP_END_CODE:
      g_value_set_uint (value, self->end_code);
      break;
    case PROP_END_REASON:
      g_value_set_string (value, self->end_reason);
      break;
    case PROP_HEADERS:
      g_value_set_boxed (value, self->headers);
      break;
    case PROP_STATS:
      g_value_set_variant (value, self->stats);
      break;
    case PROP_INPUT_LEVEL:
      g_value_set_double (value, self->input_level);
      break;
    case PROP_OUTPUT_LEVEL:
      g_value_set_double (value, self->output_level);
      break;
    default:
      if (!ap_call_recording_get_property (self, prop_id, value))
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ap_call_dispose (GObject *object)
{
  ApCall *self = AP_CALL (object);

  g_clear_handle_id (&self->dtmf_id, g_source_remove);
  ap_call_quality_stop (self);
  if (self->media)
    {
      g_signal_handlers_disconnect_by_data (self->media, self);
      ap_media_session_stop (self->media);
    }
  g_clear_object (&self->media);
  g_clear_object (&self->backend);
  G_OBJECT_CLASS (ap_call_parent_class)->dispose (object);
}

static void
ap_call_finalize (GObject *object)
{
  ApCall *self = AP_CALL (object);

  g_free (self->peer);
  g_free (self->peer_number);
  g_free (self->peer_name);
  g_free (self->audio_codec);
  g_free (self->end_reason);
  g_hash_table_unref (self->headers);
  g_string_free (self->dtmf_queue, TRUE);
  g_variant_unref (self->stats);
  ap_call_recording_clear (self);
  g_clear_object (&self->video);
  G_OBJECT_CLASS (ap_call_parent_class)->finalize (object);
}

static GParamSpec *
string_prop (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, "",
                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
}

static GParamSpec *
bool_prop (const char *name)
{
  return g_param_spec_boolean (name, NULL, NULL, FALSE,
                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
}

static void
ap_call_class_init (ApCallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->get_property = ap_call_get_property;
  object_class->dispose = ap_call_dispose;
  object_class->finalize = ap_call_finalize;

  props[PROP_ID] = g_param_spec_uint ("id", NULL, NULL, 0, G_MAXUINT, 0, flags);
  props[PROP_DIRECTION] = g_param_spec_enum ("direction", NULL, NULL, AP_TYPE_CALL_DIRECTION,
                                             AP_CALL_DIRECTION_OUTGOING, flags);
  props[PROP_PEER] = string_prop ("peer");
  props[PROP_PEER_NUMBER] = string_prop ("peer-number");
  props[PROP_PEER_NAME] = string_prop ("peer-name");
  props[PROP_STATE]
    = g_param_spec_enum ("state", NULL, NULL, AP_TYPE_CALL_STATE, AP_CALL_STATE_DIALING, flags);
  props[PROP_MUTED] = bool_prop ("muted");
  /** ApCall:held: we put the far end on hold */
  props[PROP_HELD] = bool_prop ("held");
  /** ApCall:remote-held: the far end put us on hold */
  props[PROP_REMOTE_HELD] = bool_prop ("remote-held");
  /** ApCall:media-active: RTP flows both ways */
  props[PROP_MEDIA_ACTIVE] = bool_prop ("media-active");
  props[PROP_AUDIO_CODEC] = string_prop ("audio-codec");
  /** ApCall:encrypted: the audio goes as SRTP; final once connected */
  props[PROP_ENCRYPTED] = bool_prop ("encrypted");
  /** ApCall:start-time: µs since the epoch when connected, 0 before */
  props[PROP_START_TIME] = g_param_spec_int64 ("start-time", NULL, NULL, 0, G_MAXINT64, 0, flags);
  props[PROP_END_CODE] = g_param_spec_uint ("end-code", NULL, NULL, 0, 699, 0, flags);
  props[PROP_END_REASON] = string_prop ("end-reason");
  /** ApCall:headers: (type GHashTable(utf8,utf8)): screen-pop headers */
  props[PROP_HEADERS] = g_param_spec_boxed ("headers", NULL, NULL, G_TYPE_HASH_TABLE, flags);
  /** ApCall:stats: (type GVariant) audio quality, a{sv}: see ap_call_get_stats() */
  props[PROP_STATS]
    = g_param_spec_variant ("stats", NULL, NULL, G_VARIANT_TYPE_VARDICT, NULL, flags);
  /** ApCall:input-level: RMS dBFS of what the microphone sends (-100 … 0), for meters */
  props[PROP_INPUT_LEVEL]
    = g_param_spec_double ("input-level", NULL, NULL, -100.0, 0.0, -100.0, flags);
  /** ApCall:output-level: RMS dBFS of what the speaker plays (-100 … 0), for meters */
  props[PROP_OUTPUT_LEVEL]
    = g_param_spec_double ("output-level", NULL, NULL, -100.0, 0.0, -100.0, flags);
  g_object_class_install_properties (object_class, N_PROPS, props);
  ap_call_recording_class_init (object_class, N_PROPS);

  /** ApCall::state-changed: the new state, and the SIP code and reason behind it */
  signals[SIGNAL_STATE_CHANGED]
    = g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 3, AP_TYPE_CALL_STATE, G_TYPE_UINT, G_TYPE_STRING);
  /** ApCall::answering: about to answer; the phone holds other calls (call waiting) */
  signals[SIGNAL_ANSWERING] = g_signal_new ("answering", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /** ApCall::dtmf-received: one digit from the far end (RFC 4733 or SIP INFO) */
  signals[SIGNAL_DTMF_RECEIVED]
    = g_signal_new ("dtmf-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /** ApCall::transfer-progress: the far end's report on our transfer (code, reason) */
  signals[SIGNAL_TRANSFER_PROGRESS]
    = g_signal_new ("transfer-progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                    NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
  /** ApCall::media-started: the media of the call is running */
  signals[SIGNAL_MEDIA_STARTED]
    = g_signal_new ("media-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 0);
}

static void
ap_call_init (ApCall *self)
{
  static guint next_id = 1;

  self->id = next_id++;
  self->input_level = self->output_level = -100.0;
  self->audio_codec = g_strdup ("");
  self->end_reason = g_strdup ("");
  self->headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->dtmf_queue = g_string_new (NULL);
  self->answer_after = -1;
  self->stats = g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0));
}

/* The number a person would read: the user part of a SIP URI, the number of
 * a tel: URI. */
static char *
number_of (const char *peer)
{
  if (g_ascii_strncasecmp (peer, "tel:", 4) == 0)
    return g_strndup (peer + 4, strcspn (peer + 4, ";"));
  return ap_uri_get_user (peer);
}

/**
 * ap_call_new:
 * @peer: the far end's URI
 * @peer_name: (nullable): its display name
 */
ApCall *
ap_call_new (ApCallDirection direction, const char *peer, const char *peer_name)
{
  ApCall *self = g_object_new (AP_TYPE_CALL, NULL);

  self->direction = direction;
  self->state
    = direction == AP_CALL_DIRECTION_INCOMING ? AP_CALL_STATE_INCOMING : AP_CALL_STATE_DIALING;
  self->peer = g_strdup (peer);
  self->peer_number = number_of (peer);
  if (self->peer_number == NULL)
    self->peer_number = g_strdup ("");
  self->peer_name = g_strdup (peer_name ? peer_name : "");
  return self;
}

void
ap_call_set_backend (ApCall *self, ApCallBackend *backend)
{
  g_return_if_fail (AP_IS_CALL (self));
  g_set_object (&self->backend, backend);
}

/** ap_call_set_media: the call's media; the call stops it when it ends */
void
ap_call_set_media (ApCall *self, ApMediaSession *media)
{
  g_return_if_fail (AP_IS_CALL (self));
  g_return_if_fail (self->media == NULL);

  self->media = g_object_ref (media);
  ap_media_session_set_call_id (media, self->id);
  g_signal_connect (media, "started", G_CALLBACK (on_media_started), self);
  g_signal_connect (media, "active-changed", G_CALLBACK (on_media_active), self);
  g_signal_connect (media, "error", G_CALLBACK (on_media_error), self);
  g_signal_connect (media, "dtmf-received", G_CALLBACK (on_media_dtmf), self);
  g_signal_connect (media, "levels", G_CALLBACK (on_media_levels), self);
  ap_call_recording_media_set (self);
  ap_call_quality_watch (self);
}

ApMediaSession *
ap_call_get_media (ApCall *self)
{
  g_return_val_if_fail (AP_IS_CALL (self), NULL);
  return self->media;
}

/** ap_call_answer: accept an incoming call */
gboolean
ap_call_answer (ApCall *self, GError **error)
{
  g_return_val_if_fail (AP_IS_CALL (self), FALSE);

  if (self->state != AP_CALL_STATE_INCOMING)
    return ap_call_invalid_state (self, error, _ ("Cannot answer the call: it is “%s”"));
  if (!ap_call_have_backend (self, error))
    return FALSE;
  g_signal_emit (self, signals[SIGNAL_ANSWERING], 0);
  return ap_call_backend_answer (self->backend, error);
}

/** ap_call_hangup: cancel, decline or end the call, as fits its state */
gboolean
ap_call_hangup (ApCall *self, GError **error)
{
  g_return_val_if_fail (AP_IS_CALL (self), FALSE);

  if (self->state == AP_CALL_STATE_ENDED)
    return ap_call_invalid_state (self, error, _ ("Cannot hang up the call: it is already “%s”"));
  return ap_call_have_backend (self, error) && ap_call_backend_hangup (self->backend, error);
}

/** ap_call_reject: refuse an incoming call with a SIP status (400…699) */
gboolean
ap_call_reject (ApCall *self, guint code, GError **error)
{
  g_return_val_if_fail (AP_IS_CALL (self), FALSE);

  if (code < 400 || code > 699)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT,
                   _ ("%u is not a refusal: use a SIP status from 400 to 699, e.g. 486 or 603"),
                   code);
      return FALSE;
    }
  if (self->state != AP_CALL_STATE_INCOMING)
    return ap_call_invalid_state (
      self, error,
      _ ("Cannot reject the call: it is “%s”; only a ringing incoming call can be rejected"));
  return ap_call_have_backend (self, error) && ap_call_backend_reject (self->backend, code, error);
}

/** ap_call_set_muted: stop sending our audio, without renegotiating */
gboolean
ap_call_set_muted (ApCall *self, gboolean muted, GError **error)
{
  g_return_val_if_fail (AP_IS_CALL (self), FALSE);

  if (self->state == AP_CALL_STATE_ENDED)
    return ap_call_invalid_state (self, error, _ ("Cannot mute the call: it is “%s”"));
  /* While we hold, the far end hears nothing of us whatever the mute. */
  if (self->media && !self->held)
    ap_media_session_set_muted (self->media, muted);
  if (self->muted != !!muted)
    {
      self->muted = !!muted;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_MUTED]);
    }
  return TRUE;
}

void
ap_call_emit_dtmf_received (ApCall *self, const char *digit)
{
  g_signal_emit (self, signals[SIGNAL_DTMF_RECEIVED], 0, digit);
}

void
ap_call_notify_stats (ApCall *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATS]);
}

void
ap_call_emit_transfer_progress (ApCall *self, guint code, const char *reason)
{
  g_signal_emit (self, signals[SIGNAL_TRANSFER_PROGRESS], 0, code, reason);
}

/** ap_call_hold: put the far end on hold (re-INVITE sendonly) */
gboolean
ap_call_hold (ApCall *self, GError **error)
{
  g_return_val_if_fail (AP_IS_CALL (self), FALSE);

  if (self->state != AP_CALL_STATE_CONNECTED || self->hold_pending)
    return ap_call_invalid_state (self, error, _ ("Cannot put the call on hold: it is “%s”"));
  if (!ap_call_have_backend (self, error) || !ap_call_backend_hold (self->backend, TRUE, error))
    return FALSE;
  self->hold_pending = TRUE;
  return TRUE;
}

/** ap_call_resume: take the far end off hold (re-INVITE sendrecv) */
gboolean
ap_call_resume (ApCall *self, GError **error)
{
  g_return_val_if_fail (AP_IS_CALL (self), FALSE);

  if (self->state != AP_CALL_STATE_HELD || self->hold_pending)
    return ap_call_invalid_state (self, error, _ ("Cannot resume the call: it is “%s”, not held"));
  if (!ap_call_have_backend (self, error) || !ap_call_backend_hold (self->backend, FALSE, error))
    return FALSE;
  self->hold_pending = TRUE;
  return TRUE;
}

/**
 * ap_call_hold_changed:
 * @held: whether the far end is now on hold; unchanged when the re-INVITE failed
 *
 * For backends: the outcome of a hold or resume.
 */
void
ap_call_hold_changed (ApCall *self, gboolean held, guint code, const char *reason)
{
  g_return_if_fail (AP_IS_CALL (self));

  self->hold_pending = FALSE;
  if (self->state != AP_CALL_STATE_CONNECTED && self->state != AP_CALL_STATE_HELD)
    return;
  if (self->media)
    ap_media_session_set_muted (self->media, held || self->muted);
  if (self->held != !!held)
    {
      self->held = !!held;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_HELD]);
    }
  set_state (self, held ? AP_CALL_STATE_HELD : AP_CALL_STATE_CONNECTED, code, reason);
}

/** ap_call_set_remote_held: the far end's latest SDP holds us, or not any more */
void
ap_call_set_remote_held (ApCall *self, gboolean remote_held)
{
  g_return_if_fail (AP_IS_CALL (self));

  if (self->remote_held == !!remote_held)
    return;
  self->remote_held = !!remote_held;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_REMOTE_HELD]);
}

/** ap_call_remote_ringing: the far end rings (180, or 183 with early media) */
void
ap_call_remote_ringing (ApCall *self, guint code, const char *reason)
{
  g_return_if_fail (AP_IS_CALL (self));

  if (self->state == AP_CALL_STATE_DIALING)
    set_state (self, AP_CALL_STATE_RINGING_BACK, code, reason);
}

/** ap_call_connected: the call was answered (by us or by the far end) */
void
ap_call_connected (ApCall *self, guint code, const char *reason)
{
  g_return_if_fail (AP_IS_CALL (self));

  if (self->state != AP_CALL_STATE_DIALING && self->state != AP_CALL_STATE_RINGING_BACK
      && self->state != AP_CALL_STATE_INCOMING)
    return;
  self->start_time = g_get_real_time ();
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_START_TIME]);
  ap_call_quality_start (self);
  set_state (self, AP_CALL_STATE_CONNECTED, code, reason);
}

/** ap_call_ended: the call is over; its media is stopped at once */
void
ap_call_ended (ApCall *self, guint code, const char *reason)
{
  g_return_if_fail (AP_IS_CALL (self));

  if (self->state == AP_CALL_STATE_ENDED)
    return;
  ap_call_quality_stop (self);
  ap_call_recording_finish (self);
  if (self->media)
    ap_media_session_stop (self->media);
  self->end_code = code;
  g_free (self->end_reason);
  self->end_reason = g_strdup (reason ? reason : "");
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_END_CODE]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_END_REASON]);
  on_media_active (self->media, FALSE, self);
  set_state (self, AP_CALL_STATE_ENDED, code, reason);
}

void
ap_call_set_audio_codec (ApCall *self, const char *codec)
{
  g_return_if_fail (AP_IS_CALL (self));

  if (g_strcmp0 (self->audio_codec, codec) == 0)
    return;
  g_free (self->audio_codec);
  self->audio_codec = g_strdup (codec ? codec : "");
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_AUDIO_CODEC]);
}

/** ap_call_set_encrypted: whether the negotiated audio uses SRTP */
void
ap_call_set_encrypted (ApCall *self, gboolean encrypted)
{
  g_return_if_fail (AP_IS_CALL (self));

  if (self->encrypted == !!encrypted)
    return;
  self->encrypted = !!encrypted;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ENCRYPTED]);
}

gboolean
ap_call_get_encrypted (ApCall *self)
{
  g_return_val_if_fail (AP_IS_CALL (self), FALSE);

  return self->encrypted;
}

/** ap_call_set_headers: (transfer none) the screen-pop headers of the call */
void
ap_call_set_headers (ApCall *self, GHashTable *headers)
{
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (AP_IS_CALL (self));

  g_hash_table_remove_all (self->headers);
  g_hash_table_iter_init (&iter, headers);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (self->headers, g_strdup (key), g_strdup (value));
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_HEADERS]);
}

guint
ap_call_get_id (ApCall *self)
{
  g_return_val_if_fail (AP_IS_CALL (self), 0);
  return self->id;
}

ApCallDirection
ap_call_get_direction (ApCall *self)
{
  g_return_val_if_fail (AP_IS_CALL (self), AP_CALL_DIRECTION_OUTGOING);
  return self->direction;
}

ApCallState
ap_call_get_state (ApCall *self)
{
  g_return_val_if_fail (AP_IS_CALL (self), AP_CALL_STATE_ENDED);
  return self->state;
}

const char *
ap_call_get_peer (ApCall *self)
{
  g_return_val_if_fail (AP_IS_CALL (self), NULL);
  return self->peer;
}

const char *
ap_call_get_peer_number (ApCall *self)
{
  g_return_val_if_fail (AP_IS_CALL (self), NULL);
  return self->peer_number;
}

const char *
ap_call_get_peer_name (ApCall *self)
{
  g_return_val_if_fail (AP_IS_CALL (self), NULL);
  return self->peer_name;
}

gboolean
ap_call_get_muted (ApCall *self)
{
  g_return_val_if_fail (AP_IS_CALL (self), FALSE);
  return self->muted;
}

gboolean
ap_call_get_held (ApCall *self)
{
  g_return_val_if_fail (AP_IS_CALL (self), FALSE);
  return self->held;
}

gboolean
ap_call_get_remote_held (ApCall *self)
{
  g_return_val_if_fail (AP_IS_CALL (self), FALSE);
  return self->remote_held;
}

gboolean
ap_call_get_media_active (ApCall *self)
{
  g_return_val_if_fail (AP_IS_CALL (self), FALSE);
  return self->media_active;
}

const char *
ap_call_get_audio_codec (ApCall *self)
{
  g_return_val_if_fail (AP_IS_CALL (self), NULL);
  return self->audio_codec;
}

gint64
ap_call_get_start_time (ApCall *self)
{
  g_return_val_if_fail (AP_IS_CALL (self), 0);
  return self->start_time;
}

guint
ap_call_get_end_code (ApCall *self)
{
  g_return_val_if_fail (AP_IS_CALL (self), 0);
  return self->end_code;
}

const char *
ap_call_get_end_reason (ApCall *self)
{
  g_return_val_if_fail (AP_IS_CALL (self), NULL);
  return self->end_reason;
}

GHashTable *
ap_call_get_headers (ApCall *self)
{
  g_return_val_if_fail (AP_IS_CALL (self), NULL);
  return self->headers;
}

/**
 * ap_call_set_answer_after:
 * @seconds: the trusted `answer-after` of the INVITE, or -1
 *
 * For backends, which decide whether the request may be trusted.
 */
void
ap_call_set_answer_after (ApCall *self, int seconds)
{
  g_return_if_fail (AP_IS_CALL (self));
  self->answer_after = seconds;
}

int
ap_call_get_answer_after (ApCall *self)
{
  g_return_val_if_fail (AP_IS_CALL (self), -1);
  return self->answer_after;
}

/**
 * ap_call_set_early_media: the far end sends media before answering (a 180
 * or 183 with SDP); the phone then plays no ringback of its own
 */
void
ap_call_set_early_media (ApCall *self, gboolean early_media)
{
  g_return_if_fail (AP_IS_CALL (self));
  self->early_media = !!early_media;
}

gboolean
ap_call_get_early_media (ApCall *self)
{
  g_return_val_if_fail (AP_IS_CALL (self), FALSE);
  return self->early_media;
}
