/* ap-echo-test.c: the echo test, a call with no server and no network.
 *
 * The agent's side is an ordinary call's media session, with the selected
 * microphone and speaker, volumes and echo cancellation; its far end is a
 * reflector session from the same media factory that sends back what it
 * receives one second later. The two talk real RTP over 127.0.0.1, so what
 * the agent hears is what a customer would: codec, jitter buffer and all.
 * ApEchoTest is the call's backend: it starts both sides and ends them. */
#define G_LOG_DOMAIN "Agentphone-core"

#include "ap-echo-test.h"

#include <glib/gi18n.h>

#include "ap-call-backend.h"
#include "ap-error.h"

#define ECHO_DELAY_MS 1000
#define ECHO_TEST_URI "sip:echo-test@localhost"

struct _ApEchoTest {
  GObject parent_instance;

  ApCall *call; /* weak: the call owns its backend */
  ApMediaSession *reflector;
  char *codec;
  guint call_port;
  guint reflector_port;
  guint start_id;
};

static void ap_echo_test_backend_init (ApCallBackendInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ApEchoTest, ap_echo_test, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (AP_TYPE_CALL_BACKEND,
                                                      ap_echo_test_backend_init))

/* The RTP side of each codec of the settings, as an SDP answer would give. */
static const struct {
  const char *name;
  guint payload_type;
  guint clock_rate;
  guint channels;
  const char *fmtp;
} codecs[] = {
  { "opus", 111, 48000, 2, "minptime=10;useinbandfec=1;stereo=0;sprop-stereo=0" },
  { "g722", 9, 8000, 1, NULL },
  { "pcma", 8, 8000, 1, NULL },
  { "pcmu", 0, 8000, 1, NULL },
};

static ApMediaParams *
params_towards (const char *codec, guint port)
{
  ApMediaParams *params = ap_media_params_new ();

  for (gsize i = 0; i < G_N_ELEMENTS (codecs); i++)
    if (g_str_equal (codecs[i].name, codec))
      {
        params->codec = g_strdup (codec);
        params->payload_type = codecs[i].payload_type;
        params->clock_rate = codecs[i].clock_rate;
        params->channels = codecs[i].channels;
        params->fmtp = g_strdup (codecs[i].fmtp);
      }
  params->remote_address = g_strdup ("127.0.0.1");
  params->remote_port = port;
  params->dtmf_payload_type = -1;
  params->ptime = 20;
  params->direction = AP_MEDIA_DIRECTION_SENDRECV;
  /* Keypad tones that come back are the agent's own, not received digits. */
  params->detect_inband_dtmf = FALSE;
  return params;
}

static void
stop_reflector (ApEchoTest *self)
{
  g_clear_handle_id (&self->start_id, g_source_remove);
  if (self->reflector != NULL)
    ap_media_session_stop (self->reflector);
}

static void
on_call_state (ApCall *call, ApCallState state, guint code, const char *reason, ApEchoTest *self)
{
  if (state == AP_CALL_STATE_ENDED)
    stop_reflector (self);
}

static void
on_reflector_error (ApMediaSession *reflector, const char *message, ApEchoTest *self)
{
  g_autofree char *reason = g_strdup_printf (_ ("The echo test failed: %s"), message);

  g_warning ("%s", reason);
  stop_reflector (self);
  if (self->call != NULL)
    ap_call_ended (self->call, 500, reason);
}

static gboolean
start_both (gpointer user_data)
{
  ApEchoTest *self = user_data;
  g_autoptr (ApMediaParams) to_reflector = params_towards (self->codec, self->reflector_port);
  g_autoptr (ApMediaParams) to_call = params_towards (self->codec, self->call_port);
  g_autoptr (GError) error = NULL;

  self->start_id = 0;
  if (self->call == NULL || ap_call_get_state (self->call) == AP_CALL_STATE_ENDED)
    return G_SOURCE_REMOVE;
  if (!ap_media_session_start (self->reflector, to_call, &error)
      || !ap_media_session_start (ap_call_get_media (self->call), to_reflector, &error))
    {
      g_autofree char *reason = g_strdup_printf (_ ("The echo test failed: %s"), error->message);

      g_warning ("%s", reason);
      stop_reflector (self);
      ap_call_ended (self->call, 500, reason);
      return G_SOURCE_REMOVE;
    }
  ap_call_set_audio_codec (self->call, self->codec);
  ap_call_connected (self->call, 200, _ ("Echo test: you hear yourself one second later"));
  return G_SOURCE_REMOVE;
}

static gboolean
ap_echo_test_hangup (ApCallBackend *backend, GError **error)
{
  ApEchoTest *self = AP_ECHO_TEST (backend);

  stop_reflector (self);
  if (self->call != NULL)
    ap_call_ended (self->call, 200, _ ("Echo test ended"));
  return TRUE;
}

static gboolean
not_in_echo_test (GError **error, const char *what)
{
  g_set_error (error, AP_ERROR, AP_ERROR_NOT_SUPPORTED, "%s", what);
  return FALSE;
}

static gboolean
ap_echo_test_answer (ApCallBackend *backend, GError **error)
{
  return not_in_echo_test (error, _ ("An echo test has nobody to answer"));
}

static gboolean
ap_echo_test_reject (ApCallBackend *backend, guint code, GError **error)
{
  return not_in_echo_test (error, _ ("An echo test has nobody to answer"));
}

static gboolean
ap_echo_test_hold (ApCallBackend *backend, gboolean hold, GError **error)
{
  return not_in_echo_test (error, _ ("An echo test cannot be held: hang it up instead"));
}

/* Digits are played into the audio, so the agent hears the keypad come
 * back with their voice. */
static gboolean
ap_echo_test_send_dtmf (ApCallBackend *backend, char digit, guint duration_ms, GError **error)
{
  ApEchoTest *self = AP_ECHO_TEST (backend);

  if (self->call == NULL)
    return not_in_echo_test (error, _ ("The echo test has ended"));
  return ap_media_session_send_dtmf (ap_call_get_media (self->call), digit, duration_ms, TRUE,
                                     error);
}

static gboolean
ap_echo_test_transfer (ApCallBackend *backend, const char *target, GError **error)
{
  return not_in_echo_test (error, _ ("An echo test cannot be transferred"));
}

static gboolean
ap_echo_test_transfer_to (ApCallBackend *backend, ApCallBackend *other, GError **error)
{
  return not_in_echo_test (error, _ ("An echo test cannot be transferred"));
}

static void
ap_echo_test_backend_init (ApCallBackendInterface *iface)
{
  iface->answer = ap_echo_test_answer;
  iface->hangup = ap_echo_test_hangup;
  iface->reject = ap_echo_test_reject;
  iface->hold = ap_echo_test_hold;
  iface->send_dtmf = ap_echo_test_send_dtmf;
  iface->transfer = ap_echo_test_transfer;
  iface->transfer_to = ap_echo_test_transfer_to;
}

static void
ap_echo_test_dispose (GObject *object)
{
  ApEchoTest *self = AP_ECHO_TEST (object);

  stop_reflector (self);
  if (self->reflector != NULL)
    g_signal_handlers_disconnect_by_data (self->reflector, self);
  g_clear_object (&self->reflector);
  g_clear_weak_pointer (&self->call);
  G_OBJECT_CLASS (ap_echo_test_parent_class)->dispose (object);
}

static void
ap_echo_test_finalize (GObject *object)
{
  g_free (AP_ECHO_TEST (object)->codec);
  G_OBJECT_CLASS (ap_echo_test_parent_class)->finalize (object);
}

static void
ap_echo_test_class_init (ApEchoTestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ap_echo_test_dispose;
  object_class->finalize = ap_echo_test_finalize;
}

static void
ap_echo_test_init (ApEchoTest *self)
{
}

static const char *
first_known_codec (const char *const *preferred)
{
  for (gsize i = 0; preferred != NULL && preferred[i] != NULL; i++)
    for (gsize j = 0; j < G_N_ELEMENTS (codecs); j++)
      if (g_str_equal (preferred[i], codecs[j].name))
        return codecs[j].name;
  return codecs[0].name;
}

/**
 * ap_echo_test_new_call:
 * @factory: where both sides' media come from
 * @audio_codecs: (nullable): the `audio-codecs` setting; the first is used
 *
 * Returns: (transfer full) (nullable): a new outgoing call in `dialing`,
 * with its media bound to 127.0.0.1; it connects from the main loop (so
 * whoever adds it sees every state change), or ends with the reason.
 */
ApCall *
ap_echo_test_new_call (ApMediaFactory *factory, const char *const *audio_codecs, GError **error)
{
  g_autoptr (ApEchoTest) self = g_object_new (AP_TYPE_ECHO_TEST, NULL);
  g_autoptr (ApMediaSession) media = NULL;
  g_autoptr (ApCall) call = NULL;

  g_return_val_if_fail (AP_IS_MEDIA_FACTORY (factory), NULL);

  self->reflector = ap_media_factory_create_reflector (factory, ECHO_DELAY_MS);
  if (self->reflector == NULL)
    {
      not_in_echo_test (error, _ ("This media engine cannot run an echo test"));
      return NULL;
    }
  media = ap_media_factory_create (factory);
  self->call_port = ap_media_session_prepare (media, "127.0.0.1", error);
  if (self->call_port == 0)
    return NULL;
  self->reflector_port = ap_media_session_prepare (self->reflector, "127.0.0.1", error);
  if (self->reflector_port == 0)
    return NULL;
  self->codec = g_strdup (first_known_codec (audio_codecs));
  g_signal_connect (self->reflector, "error", G_CALLBACK (on_reflector_error), self);

  call = ap_call_new (AP_CALL_DIRECTION_OUTGOING, ECHO_TEST_URI, _ ("Echo test"));
  ap_call_set_media (call, media);
  ap_call_set_backend (call, AP_CALL_BACKEND (self));
  g_set_weak_pointer (&self->call, call);
  g_signal_connect_object (call, "state-changed", G_CALLBACK (on_call_state), self, 0);
  self->start_id = g_idle_add (start_both, self);
  return g_steal_pointer (&call);
}
