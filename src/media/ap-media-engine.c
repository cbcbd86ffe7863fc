/* ap-media-engine.c: the GStreamer media engine as the core sees it, an
 * ApMediaFactory that makes one ApAudioSession per call. */
#define G_LOG_DOMAIN "Agentphone-media"

#include "ap-media-engine.h"

#include "ap-screen-capture.h"

#include <gst/gst.h>

#include "ap-audio-session.h"
#include "ap-media-preload.h"
#include "ap-video-preview.h"

struct _ApMediaEngine {
  GObject parent_instance;

  ApSettings *settings; /* nullable: no audio processing without */
  ApDevices *devices;
  ApVideoPreview *preview; /* the camera outside a call */
};

static void ap_media_engine_factory_init (ApMediaFactoryInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ApMediaEngine, ap_media_engine, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (AP_TYPE_MEDIA_FACTORY,
                                                      ap_media_engine_factory_init))

/* GStreamer starts with the first call, echo test or preview, not with the
 * phone: registering and idling need none of it (~7 ms and its registry). */
static void
ensure_gstreamer (void)
{
  if (!gst_is_initialized ())
    gst_init (NULL, NULL);
}

static ApMediaSession *
ap_media_engine_create (ApMediaFactory *factory)
{
  ApMediaEngine *self = AP_MEDIA_ENGINE (factory);
  ApAudioSession *session;

  ensure_gstreamer ();
  ap_media_preload_start ();
  session = ap_audio_session_new ();

  if (self->settings != NULL)
    ap_audio_session_set_processing (session,
                                     ap_settings_get_boolean (self->settings, "echo-cancellation"),
                                     ap_settings_get_uint (self->settings, "noise-suppression"),
                                     ap_settings_get_boolean (self->settings, "auto-gain"));
  ap_audio_session_set_devices (session, self->devices);
  return AP_MEDIA_SESSION (session);
}

/* The far end of an echo test: no devices, no processing, no overrides. */
static ApMediaSession *
ap_media_engine_create_reflector (ApMediaFactory *factory, guint delay_ms)
{
  ApAudioSession *session;

  ensure_gstreamer ();
  session = ap_audio_session_new ();

  ap_audio_session_set_echo_delay (session, delay_ms);
  return AP_MEDIA_SESSION (session);
}

static gboolean
ap_media_engine_open_preview (ApMediaFactory *factory, ApVideoFrameFunc func, gpointer user_data,
                              GError **error)
{
  ApMediaEngine *self = AP_MEDIA_ENGINE (factory);

  ensure_gstreamer ();
  g_clear_pointer (&self->preview, ap_video_preview_stop);
  self->preview = ap_video_preview_start (self->devices, func, user_data, error);
  return self->preview != NULL;
}

static void
ap_media_engine_close_preview (ApMediaFactory *factory)
{
  g_clear_pointer (&AP_MEDIA_ENGINE (factory)->preview, ap_video_preview_stop);
}

static GPtrArray *
ap_media_engine_list_screen_sources (ApMediaFactory *factory, GError **error)
{
  ensure_gstreamer ();
  return ap_screen_capture_list (error);
}

static void
ap_media_engine_factory_init (ApMediaFactoryInterface *iface)
{
  iface->list_screen_sources = ap_media_engine_list_screen_sources;
  iface->create = ap_media_engine_create;
  iface->create_reflector = ap_media_engine_create_reflector;
  iface->open_preview = ap_media_engine_open_preview;
  iface->close_preview = ap_media_engine_close_preview;
}

static void
ap_media_engine_dispose (GObject *object)
{
  ApMediaEngine *self = AP_MEDIA_ENGINE (object);

  g_clear_pointer (&self->preview, ap_video_preview_stop);
  g_clear_object (&self->settings);
  g_clear_object (&self->devices);
  G_OBJECT_CLASS (ap_media_engine_parent_class)->dispose (object);
}

static void
ap_media_engine_class_init (ApMediaEngineClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ap_media_engine_dispose;
}

static void
ap_media_engine_init (ApMediaEngine *self)
{
}

/**
 * ap_media_engine_new:
 *
 * Returns: (transfer full): the media engine; hand it to the core as its
 * #ApMediaFactory. GStreamer is initialised on first use, if nobody has yet.
 */
ApMediaEngine *
ap_media_engine_new (void)
{
  return g_object_new (AP_TYPE_MEDIA_ENGINE, NULL);
}

/**
 * ap_media_engine_set_settings:
 *
 * Where each new call's audio processing (`echo-cancellation`,
 * `noise-suppression`, `auto-gain`) comes from, read when the call starts;
 * also starts watching the devices, with the choices and volumes kept in
 * @settings: calls made from now on follow them.
 */
void
ap_media_engine_set_settings (ApMediaEngine *self, ApSettings *settings)
{
  g_return_if_fail (AP_IS_MEDIA_ENGINE (self));
  g_set_object (&self->settings, settings);

  g_clear_object (&self->devices);
  self->devices = ap_devices_new (settings);
}

/** ap_media_engine_get_devices: (transfer none) (nullable): the devices, once settings are set */
ApDevices *
ap_media_engine_get_devices (ApMediaEngine *self)
{
  g_return_val_if_fail (AP_IS_MEDIA_ENGINE (self), NULL);
  return self->devices;
}
