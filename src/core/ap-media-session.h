#pragma once

#include <gio/gio.h>

#include "ap-media-params.h"

G_BEGIN_DECLS

/**
 * ApVideoFrameFunc:
 * @bgra: the frame's pixels, 4 bytes each (B, G, R, A), rows of @stride bytes
 *
 * Called in the main context with the newest decoded remote video frame
 * (older ones not yet delivered are skipped): the hook a window draws
 * remote video through, free of GStreamer and GTK.
 */
typedef void (*ApVideoFrameFunc) (GBytes   *bgra,
                                  guint     width,
                                  guint     height,
                                  guint     stride,
                                  gpointer  user_data);

/**
 * ApScreenEndedFunc:
 * @message: why a screen share ended (the window closed, the portal
 *   session ended, capture failed)
 *
 * Called in the main context when a share ends on its own; the camera is
 * back by then.
 */
typedef void (*ApScreenEndedFunc) (const char *message,
                                   gpointer    user_data);

#define AP_TYPE_MEDIA_SESSION (ap_media_session_get_type ())
G_DECLARE_INTERFACE (ApMediaSession, ap_media_session, AP, MEDIA_SESSION, GObject)

/**
 * ApMediaSessionInterface:
 * @prepare: bind the RTP (even port) and RTCP (port + 1) sockets on
 *   @local_address and return the RTP port, for our SDP. Sends nothing yet.
 * @start: run the media with the negotiated @params; called again with new
 *   params after a re-INVITE (hold, codec change) and applies them.
 * @stop: stop and release everything; a recording or WAV output is finished
 *   (valid) when this returns. Idempotent.
 * @set_muted: stop sending audio (silence is sent) without renegotiating.
 * @send_dtmf: play one DTMF @digit for @duration_ms: as RFC 4733 events on
 *   the negotiated telephone-event payload type, or (@inband) as tones mixed
 *   into the audio.
 * @play_ringback: (optional): play the ringback tone into the call's output
 *   (the far end rings and sends no media), or stop it at once; starting
 *   the media stops it too.
 * @set_call_id: (optional): the Id of the call this media belongs to, which
 *   per-call outputs are named after.
 * @start_recording: (optional): record both directions into a new file
 *   at @path (created owner-only; an existing file is an error), mixed or
 *   @stereo (agent left, far end right), until @stop_recording or @stop.
 *   Works before the media runs (silence until it does). While the call
 *   has video, the far end's video is recorded too (a track fixed at the
 *   start: black while the video is gone; not added if video comes later).
 * @stop_recording: (optional): finish the file (complete and playable when
 *   this returns). Idempotent.
 * @pause_recording: (optional): record silence instead of the call while
 *   @paused, keeping the file's time.
 * @prepare_video, @snapshot, @record_clip_async, @record_clip_finish,
 *   @set_camera, @set_frame_func, @get_video_stats, @set_local_frame_func
 *   (what the call sends, for the window): (optional): video, see
 *   ap-media-session-video.h; @start runs it when the params carry video.
 * @set_screen_source: (optional): send a screen or window instead of the
 *   camera (ap-media-session-screen.h).
 *
 * One call's media, made by an #ApMediaFactory. It reports facts through
 * signals, always from the main context:
 * - "started": media is running;
 * - "active-changed" (gboolean): RTP is flowing both ways, or not any more;
 * - "error" (const char *message): the media failed; the call must end;
 * - "dtmf-received" (const char *digit): an RFC 4733 event began (once per digit);
 * - "stats" (GVariant *facts, a{sv}): about once a second while running:
 *   `jitter-ms`, `loss-percent`, `rtt-ms`, `delay-ms` (estimated one-way),
 *   `bitrate-kbps`, `jitter-buffer-ms` (d), `packets-sent`,
 *   `packets-received` (t); the call adds its MOS;
 * - "recording-failed" (const char *message): the recording stopped on an
 *   error (e.g. a full disk); what was written stays playable;
 * - "levels" (double input_dbfs, double output_dbfs): ten times a second
 *   while running: the RMS level of what the microphone sends (after its
 *   volume and mute) and of what the speaker plays, for level meters.
 */
struct _ApMediaSessionInterface {
  GTypeInterface parent_iface;

  guint    (*prepare)   (ApMediaSession       *self,
                         const char           *local_address,
                         GError              **error);
  gboolean (*start)     (ApMediaSession       *self,
                         const ApMediaParams  *params,
                         GError              **error);
  void     (*stop)      (ApMediaSession       *self);
  void     (*set_muted) (ApMediaSession       *self,
                         gboolean              muted);
  gboolean (*send_dtmf) (ApMediaSession       *self,
                         char                  digit,
                         guint                 duration_ms,
                         gboolean              inband,
                         GError              **error);
  void     (*play_ringback) (ApMediaSession   *self,
                             gboolean          play);
  void     (*set_call_id)   (ApMediaSession   *self,
                             guint             id);
  gboolean (*start_recording) (ApMediaSession *self,
                               const char     *path,
                               gboolean        stereo,
                               GError        **error);
  void     (*stop_recording)  (ApMediaSession *self);
  void     (*pause_recording) (ApMediaSession *self,
                               gboolean        paused);
  /* Video (ap-media-session-video.h). */
  guint    (*prepare_video)      (ApMediaSession       *self,
                                  const char           *local_address,
                                  GError              **error);
  GBytes  *(*snapshot)           (ApMediaSession       *self,
                                  guint                *width,
                                  guint                *height,
                                  GError              **error);
  void     (*record_clip_async)  (ApMediaSession       *self,
                                  guint                 seconds,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data);
  GBytes  *(*record_clip_finish) (ApMediaSession       *self,
                                  GAsyncResult         *result,
                                  GError              **error);
  void     (*set_camera)         (ApMediaSession       *self,
                                  gboolean              open);
  void     (*set_frame_func)     (ApMediaSession       *self,
                                  ApVideoFrameFunc      func,
                                  gpointer              user_data);
  GVariant *(*get_video_stats)   (ApMediaSession       *self);
  void     (*set_local_frame_func) (ApMediaSession     *self,
                                    ApVideoFrameFunc    func,
                                    gpointer            user_data);
  /* Screen sharing (ap-media-session-screen.h). */
  gboolean (*set_screen_source)  (ApMediaSession       *self,
                                  guint64               id,
                                  ApScreenEndedFunc     ended_func,
                                  gpointer              user_data,
                                  GError              **error);
};

guint    ap_media_session_prepare          (ApMediaSession       *self,
                                            const char           *local_address,
                                            GError              **error);
gboolean ap_media_session_start            (ApMediaSession       *self,
                                            const ApMediaParams  *params,
                                            GError              **error);
void     ap_media_session_stop             (ApMediaSession       *self);
void     ap_media_session_set_muted        (ApMediaSession       *self,
                                            gboolean              muted);
gboolean ap_media_session_send_dtmf        (ApMediaSession       *self,
                                            char                  digit,
                                            guint                 duration_ms,
                                            gboolean              inband,
                                            GError              **error);
void     ap_media_session_play_ringback    (ApMediaSession       *self,
                                            gboolean              play);
void     ap_media_session_set_call_id      (ApMediaSession       *self,
                                            guint                 id);
gboolean ap_media_session_start_recording (ApMediaSession       *self,
                                            const char           *path,
                                            gboolean              stereo,
                                            GError              **error);
void     ap_media_session_stop_recording   (ApMediaSession       *self);
void     ap_media_session_pause_recording  (ApMediaSession       *self,
                                            gboolean              paused);
void     ap_media_session_emit_recording_failed (ApMediaSession  *self,
                                                 const char      *message);
void     ap_media_session_emit_dtmf        (ApMediaSession       *self,
                                            const char           *digit);
void     ap_media_session_emit_started     (ApMediaSession       *self);
void     ap_media_session_emit_active      (ApMediaSession       *self,
                                            gboolean              active);
void     ap_media_session_emit_error       (ApMediaSession       *self,
                                            const char           *message);
void     ap_media_session_emit_levels      (ApMediaSession       *self,
                                            double                input_dbfs,
                                            double                output_dbfs);
void     ap_media_session_emit_stats       (ApMediaSession       *self,
                                            GVariant             *facts);

#define AP_TYPE_MEDIA_FACTORY (ap_media_factory_get_type ())
G_DECLARE_INTERFACE (ApMediaFactory, ap_media_factory, AP, MEDIA_FACTORY, GObject)

/**
 * ApMediaFactoryInterface:
 * @create: a new, unprepared media session for one call
 * @create_reflector: a media session that plays the far end of an echo
 *   test: what it receives, it sends back @delay_ms later; it uses no
 *   device
 * @open_preview: (optional): run the camera outside a call, its frames to
 *   @func (see ap-media-session-video.h); @close_preview stops it
 * @list_screen_sources: (optional): the screens and windows that can be
 *   shared (see ap-media-session-screen.h)
 */
struct _ApMediaFactoryInterface {
  GTypeInterface parent_iface;

  ApMediaSession *(*create) (ApMediaFactory *self);
  ApMediaSession *(*create_reflector) (ApMediaFactory *self,
                                       guint           delay_ms);
  gboolean        (*open_preview)     (ApMediaFactory   *self,
                                       ApVideoFrameFunc  func,
                                       gpointer          user_data,
                                       GError          **error);
  void            (*close_preview)    (ApMediaFactory   *self);
  /* Screen sharing (ap-media-session-screen.h). */
  GPtrArray      *(*list_screen_sources) (ApMediaFactory *self,
                                          GError        **error);
};

ApMediaSession *ap_media_factory_create           (ApMediaFactory *self);
ApMediaSession *ap_media_factory_create_reflector (ApMediaFactory *self,
                                                   guint           delay_ms);

G_END_DECLS
