#include "ap-media-session.h"

#include <glib/gi18n.h>

#include "ap-error.h"

enum {
  SIGNAL_STARTED,
  SIGNAL_ACTIVE_CHANGED,
  SIGNAL_ERROR,
  SIGNAL_DTMF_RECEIVED,
  SIGNAL_STATS,
  SIGNAL_LEVELS,
  SIGNAL_RECORDING_FAILED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

G_DEFINE_INTERFACE (ApMediaSession, ap_media_session, G_TYPE_OBJECT)
G_DEFINE_INTERFACE (ApMediaFactory, ap_media_factory, G_TYPE_OBJECT)

static void
ap_media_session_default_init (ApMediaSessionInterface *iface)
{
  signals[SIGNAL_STARTED] = g_signal_new ("started", G_TYPE_FROM_INTERFACE (iface),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_ACTIVE_CHANGED]
    = g_signal_new ("active-changed", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0, NULL,
                    NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
  signals[SIGNAL_DTMF_RECEIVED]
    = g_signal_new ("dtmf-received", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0, NULL,
                    NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_ERROR] = g_signal_new ("error", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_STATS] = g_signal_new ("stats", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_VARIANT);
  signals[SIGNAL_LEVELS]
    = g_signal_new ("levels", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                    G_TYPE_NONE, 2, G_TYPE_DOUBLE, G_TYPE_DOUBLE);
  signals[SIGNAL_RECORDING_FAILED]
    = g_signal_new ("recording-failed", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0, NULL,
                    NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
ap_media_factory_default_init (ApMediaFactoryInterface *iface)
{
}

guint
ap_media_session_prepare (ApMediaSession *self, const char *local_address, GError **error)
{
  g_return_val_if_fail (AP_IS_MEDIA_SESSION (self), 0);
  return AP_MEDIA_SESSION_GET_IFACE (self)->prepare (self, local_address, error);
}

gboolean
ap_media_session_start (ApMediaSession *self, const ApMediaParams *params, GError **error)
{
  g_return_val_if_fail (AP_IS_MEDIA_SESSION (self), FALSE);
  g_return_val_if_fail (params != NULL, FALSE);
  return AP_MEDIA_SESSION_GET_IFACE (self)->start (self, params, error);
}

void
ap_media_session_stop (ApMediaSession *self)
{
  g_return_if_fail (AP_IS_MEDIA_SESSION (self));
  AP_MEDIA_SESSION_GET_IFACE (self)->stop (self);
}

void
ap_media_session_set_muted (ApMediaSession *self, gboolean muted)
{
  g_return_if_fail (AP_IS_MEDIA_SESSION (self));
  AP_MEDIA_SESSION_GET_IFACE (self)->set_muted (self, muted);
}

void
ap_media_session_emit_started (ApMediaSession *self)
{
  g_signal_emit (self, signals[SIGNAL_STARTED], 0);
}

void
ap_media_session_emit_active (ApMediaSession *self, gboolean active)
{
  g_signal_emit (self, signals[SIGNAL_ACTIVE_CHANGED], 0, active);
}

void
ap_media_session_emit_error (ApMediaSession *self, const char *message)
{
  g_signal_emit (self, signals[SIGNAL_ERROR], 0, message);
}

void
ap_media_session_emit_levels (ApMediaSession *self, double input_dbfs, double output_dbfs)
{
  g_signal_emit (self, signals[SIGNAL_LEVELS], 0, input_dbfs, output_dbfs);
}

/** ap_media_session_emit_stats: @facts: (transfer none) an a{sv}, may be floating */
void
ap_media_session_emit_stats (ApMediaSession *self, GVariant *facts)
{
  g_autoptr (GVariant) owned = g_variant_ref_sink (facts);

  g_signal_emit (self, signals[SIGNAL_STATS], 0, owned);
}

ApMediaSession *
ap_media_factory_create (ApMediaFactory *self)
{
  g_return_val_if_fail (AP_IS_MEDIA_FACTORY (self), NULL);
  return AP_MEDIA_FACTORY_GET_IFACE (self)->create (self);
}

/** ap_media_factory_create_reflector: (nullable): %NULL if the factory has none */
ApMediaSession *
ap_media_factory_create_reflector (ApMediaFactory *self, guint delay_ms)
{
  ApMediaFactoryInterface *iface;

  g_return_val_if_fail (AP_IS_MEDIA_FACTORY (self), NULL);
  iface = AP_MEDIA_FACTORY_GET_IFACE (self);
  return iface->create_reflector ? iface->create_reflector (self, delay_ms) : NULL;
}

gboolean
ap_media_session_send_dtmf (ApMediaSession *self, char digit, guint duration_ms, gboolean inband,
                            GError **error)
{
  ApMediaSessionInterface *iface;

  g_return_val_if_fail (AP_IS_MEDIA_SESSION (self), FALSE);
  iface = AP_MEDIA_SESSION_GET_IFACE (self);
  if (iface->send_dtmf == NULL)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_NOT_SUPPORTED,
                   _ ("This audio engine cannot send DTMF in the media"));
      return FALSE;
    }
  return iface->send_dtmf (self, digit, duration_ms, inband, error);
}

void
ap_media_session_emit_dtmf (ApMediaSession *self, const char *digit)
{
  g_signal_emit (self, signals[SIGNAL_DTMF_RECEIVED], 0, digit);
}

/** ap_media_session_play_ringback: the ringback tone into the call's output, or not */
void
ap_media_session_play_ringback (ApMediaSession *self, gboolean play)
{
  ApMediaSessionInterface *iface;

  g_return_if_fail (AP_IS_MEDIA_SESSION (self));
  iface = AP_MEDIA_SESSION_GET_IFACE (self);
  if (iface->play_ringback)
    iface->play_ringback (self, play);
}

/** ap_media_session_set_call_id: tell the media which call (ApCall:id) it serves */
void
ap_media_session_set_call_id (ApMediaSession *self, guint id)
{
  ApMediaSessionInterface *iface;

  g_return_if_fail (AP_IS_MEDIA_SESSION (self));
  iface = AP_MEDIA_SESSION_GET_IFACE (self);
  if (iface->set_call_id != NULL)
    iface->set_call_id (self, id);
}

/** ap_media_session_start_recording: see #ApMediaSessionInterface */
gboolean
ap_media_session_start_recording (ApMediaSession *self, const char *path, gboolean stereo,
                                  GError **error)
{
  ApMediaSessionInterface *iface;

  g_return_val_if_fail (AP_IS_MEDIA_SESSION (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  iface = AP_MEDIA_SESSION_GET_IFACE (self);
  if (iface->start_recording == NULL)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_NOT_SUPPORTED,
                   _ ("This audio engine cannot record calls"));
      return FALSE;
    }
  return iface->start_recording (self, path, stereo, error);
}

void
ap_media_session_stop_recording (ApMediaSession *self)
{
  ApMediaSessionInterface *iface;

  g_return_if_fail (AP_IS_MEDIA_SESSION (self));
  iface = AP_MEDIA_SESSION_GET_IFACE (self);
  if (iface->stop_recording != NULL)
    iface->stop_recording (self);
}

void
ap_media_session_pause_recording (ApMediaSession *self, gboolean paused)
{
  ApMediaSessionInterface *iface;

  g_return_if_fail (AP_IS_MEDIA_SESSION (self));
  iface = AP_MEDIA_SESSION_GET_IFACE (self);
  if (iface->pause_recording != NULL)
    iface->pause_recording (self, paused);
}

void
ap_media_session_emit_recording_failed (ApMediaSession *self, const char *message)
{
  g_signal_emit (self, signals[SIGNAL_RECORDING_FAILED], 0, message);
}
