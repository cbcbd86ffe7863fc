/* ap-audio-session-srtp.c: SRTP for an ApAudioSession (SDES keys from the
 * negotiated params). rtpbin asks for an encoder and a decoder through its
 * request signals; it gets one srtpenc (for RTP and RTCP) and one srtpdec,
 * which takes its key by answering "request-key". A new key from a
 * re-INVITE is applied live: srtpenc takes the new "key", srtpdec forgets
 * its keys and asks again, so the call keeps its pipeline and its audio.
 * Keys are never logged. */
#define G_LOG_DOMAIN "Agentphone-media"

#include "ap-audio-session-private.h"

#include <string.h>

#include "ap-error.h"

static const char *
rtp_auth (ApMediaSrtp srtp)
{
  return srtp == AP_MEDIA_SRTP_AES_CM_128_HMAC_SHA1_32 ? "hmac-sha1-32" : "hmac-sha1-80";
}

static GstBuffer *
key_buffer (const guint8 *key)
{
  return gst_buffer_new_memdup (key, AP_MEDIA_SRTP_KEY_LEN);
}

/* Streaming thread: the far end's key for its stream. (RFC 4568: SRTCP
 * keeps an 80-bit tag with both suites.) */
static GstCaps *
on_request_key (GstElement *srtpdec, guint ssrc, gpointer user_data)
{
  ApAudioSession *self = user_data;
  GstCaps *caps;

  g_mutex_lock (&self->srtp_lock);
  caps = gst_caps_new_simple (
    "application/x-srtp", "srtp-key", GST_TYPE_BUFFER, self->srtp_remote_key, "srtp-cipher",
    G_TYPE_STRING, "aes-128-icm", "srtp-auth", G_TYPE_STRING, rtp_auth (self->srtp), "srtcp-cipher",
    G_TYPE_STRING, "aes-128-icm", "srtcp-auth", G_TYPE_STRING, "hmac-sha1-80", NULL);
  g_mutex_unlock (&self->srtp_lock);
  return caps;
}

/* Streaming thread (rtpbin): each request takes its own reference. */
static GstElement *
on_request_encoder (GstElement *rtpbin, guint session, gpointer user_data)
{
  ApAudioSession *self = user_data;

  return session == 0 ? gst_object_ref (self->srtpenc) : NULL;
}

static GstElement *
on_request_decoder (GstElement *rtpbin, guint session, gpointer user_data)
{
  ApAudioSession *self = user_data;

  return session == 0 ? gst_object_ref (self->srtpdec) : NULL;
}

static void
set_remote_key (ApAudioSession *self, const guint8 *key)
{
  g_autoptr (GstBuffer) old = NULL;

  g_mutex_lock (&self->srtp_lock);
  old = g_steal_pointer (&self->srtp_remote_key);
  self->srtp_remote_key = key_buffer (key);
  g_mutex_unlock (&self->srtp_lock);
}

static gboolean
request_pad (GstElement *element, const char *name, GError **error)
{
  g_autoptr (GstPad) pad = gst_element_request_pad_simple (element, name);

  if (pad == NULL)
    g_set_error (error, AP_ERROR, AP_ERROR_FAILED, "The SRTP encoder has no pad %s", name);
  return pad != NULL;
}

/**
 * ap_audio_session_srtp_build:
 *
 * When @params encrypt, makes the SRTP elements and hands them to @rtpbin
 * (before anything links to it). Plain RTP: nothing to do.
 */
gboolean
ap_audio_session_srtp_build (ApAudioSession *self, GstElement *rtpbin, const ApMediaParams *params,
                             GError **error)
{
  g_autoptr (GstBuffer) local_key = NULL;

  self->srtp = params->srtp;
  if (params->srtp == AP_MEDIA_SRTP_NONE)
    return TRUE;
  self->srtpenc = ap_audio_make_element ("srtpenc", "srtp-encoder", error);
  if (self->srtpenc == NULL)
    return FALSE;
  gst_object_ref_sink (self->srtpenc);
  /* rtpbin looks for the encoder's pads of session 0 (the sink pads ask
   * srtpenc to make the source pads) rather than asking for them. */
  if (!request_pad (self->srtpenc, "rtp_sink_0", error)
      || !request_pad (self->srtpenc, "rtcp_sink_0", error))
    return FALSE;
  self->srtpdec = ap_audio_make_element ("srtpdec", "srtp-decoder", error);
  if (self->srtpdec == NULL)
    return FALSE;
  gst_object_ref_sink (self->srtpdec);

  local_key = key_buffer (params->srtp_local_key);
  g_object_set (self->srtpenc, "key", local_key, NULL);
  gst_util_set_object_arg (G_OBJECT (self->srtpenc), "rtp-cipher", "aes-128-icm");
  gst_util_set_object_arg (G_OBJECT (self->srtpenc), "rtp-auth", rtp_auth (params->srtp));
  gst_util_set_object_arg (G_OBJECT (self->srtpenc), "rtcp-cipher", "aes-128-icm");
  gst_util_set_object_arg (G_OBJECT (self->srtpenc), "rtcp-auth", "hmac-sha1-80");
  set_remote_key (self, params->srtp_remote_key);
  g_signal_connect (self->srtpdec, "request-key", G_CALLBACK (on_request_key), self);
  /* Past 2^48 packets libsrtp wants a new key; a call never gets there,
   * and the same key beats dropping the audio. */
  g_signal_connect (self->srtpdec, "hard-limit", G_CALLBACK (on_request_key), self);
  g_signal_connect (self->srtpdec, "soft-limit", G_CALLBACK (on_request_key), self);

  g_signal_connect (rtpbin, "request-rtp-encoder", G_CALLBACK (on_request_encoder), self);
  g_signal_connect (rtpbin, "request-rtcp-encoder", G_CALLBACK (on_request_encoder), self);
  g_signal_connect (rtpbin, "request-rtp-decoder", G_CALLBACK (on_request_decoder), self);
  g_signal_connect (rtpbin, "request-rtcp-decoder", G_CALLBACK (on_request_decoder), self);
  g_debug ("Audio is encrypted (SRTP, %s)", params->srtp == AP_MEDIA_SRTP_AES_CM_128_HMAC_SHA1_32
                                              ? "AES_CM_128_HMAC_SHA1_32"
                                              : "AES_CM_128_HMAC_SHA1_80");
  return TRUE;
}

/* The caps of what the sockets receive: SRTP(C) needs its own media types
 * before srtpdec. */
GstCaps *
ap_audio_session_srtp_receive_caps (ApAudioSession *self, const GstCaps *rtp_caps, gboolean rtcp)
{
  GstCaps *caps;

  if (rtcp)
    return gst_caps_new_empty_simple (self->srtp ? "application/x-srtcp" : "application/x-rtcp");
  caps = gst_caps_copy (rtp_caps);
  if (self->srtp)
    gst_structure_set_name (gst_caps_get_structure (caps, 0), "application/x-srtp");
  return caps;
}

/**
 * ap_audio_session_srtp_update:
 *
 * A re-INVITE kept the suite but may bring new keys: apply them live.
 */
void
ap_audio_session_srtp_update (ApAudioSession *self, const ApMediaParams *params)
{
  g_assert (params->srtp == self->srtp);

  if (self->srtp == AP_MEDIA_SRTP_NONE)
    return;
  if (memcmp (params->srtp_local_key, self->params->srtp_local_key, AP_MEDIA_SRTP_KEY_LEN) != 0)
    {
      g_autoptr (GstBuffer) key = key_buffer (params->srtp_local_key);

      g_debug ("Encrypting with a new key");
      g_object_set (self->srtpenc, "key", key, NULL);
    }
  if (memcmp (params->srtp_remote_key, self->params->srtp_remote_key, AP_MEDIA_SRTP_KEY_LEN) != 0)
    {
      g_debug ("Decrypting with a new key");
      set_remote_key (self, params->srtp_remote_key);
      g_signal_emit_by_name (self->srtpdec, "clear-keys");
    }
}

/* When the pipeline goes. */
void
ap_audio_session_srtp_clear (ApAudioSession *self)
{
  gst_clear_object (&self->srtpenc);
  gst_clear_object (&self->srtpdec);
  g_mutex_lock (&self->srtp_lock);
  gst_clear_buffer (&self->srtp_remote_key);
  g_mutex_unlock (&self->srtp_lock);
  self->srtp = AP_MEDIA_SRTP_NONE;
}
