#pragma once

/* ap-audio-session-private.h: what ap-audio-session.c (the session: sockets,
 * signals, the call's life), ap-audio-session-pipeline.c (the GStreamer
 * pipeline it runs) and ap-audio-session-dtmf.c (DTMF both ways) share.
 * Private to src/media. */

#include <gio/gio.h>
#include <gst/gst.h>

#include "ap-audio-codec.h"
#include "ap-audio-session.h"
#include "ap-devices.h"
#include "ap-tone-player.h"

G_BEGIN_DECLS

typedef struct _ApAudioStats ApAudioStats;
typedef struct _ApRtpLatch ApRtpLatch;
typedef struct _ApAudioRecorder ApAudioRecorder;
typedef struct _ApVideoSession ApVideoSession;

/* An in-band DTMF digit being added to the outgoing audio: written in the
 * main context, read by the sending streaming thread, under dtmf_lock. */
typedef struct {
  double low_hz;
  double high_hz;
  guint64 position; /* samples played so far */
  guint64 length;   /* samples in the whole digit; 0: no digit */
} ApDtmfTone;

struct _ApAudioSession {
  GObject parent_instance;

  GMainContext *context;
  guint call_id; /* the `%u` of the AGENTPHONE_AUDIO_* overrides */
  char *source_description;
  char *sink_description;

  GSocket *rtp_socket;
  GSocket *rtcp_socket;
  guint local_port;

  ApMediaParams *params;
  char *remote_host;
  const ApAudioCodec *codec;
  guint32 ssrc;
  gboolean muted;

  /* Audio processing (ap-audio-session-dsp.c), from the settings. */
  gboolean echo_cancellation;
  guint noise_suppression;
  gboolean auto_gain;
  char *probe_name;

  /* Level meters (ap-audio-session-level.c): the latest RMS levels. */
  double input_level;
  double output_level;

  /* An echo test's far end: what is received goes back out this much later,
   * through one queue that is both the input and the output; 0: a call. */
  guint echo_delay_ms;
  GstElement *echo_queue;

  /* The running pipeline; these pointers do not change while it exists, so
   * streaming threads may read them. */
  GstElement *pipeline;
  GstElement *source;
  GstElement *sink;
  GstElement *volume;
  GstElement *output_volume;
  GstElement *send_valve;
  GstElement *receive_valve;
  GstElement *rtp_udpsink;
  GstElement *rtcp_udpsink;
  GstElement *mixer;
  GstCaps *rtp_caps;
  guint payload_type;
  guint ptime;
  GstClockTime latency;

  /* SRTP (ap-audio-session-srtp.c), when the params encrypt. The suite
   * does not change while the pipeline exists; the far end's key may, so
   * request-key (a streaming thread) reads it under srtp_lock. */
  ApMediaSrtp srtp;
  GstElement *srtpenc;
  GstElement *srtpdec;
  GMutex srtp_lock;
  GstBuffer *srtp_remote_key;

  /* DTMF. The RFC 4733 sender and the receive mapping exist only when
   * telephone-event was agreed (dtmf_payload_type >= 0); a change of it
   * builds a new pipeline, so streaming threads may read these too. */
  GstElement *dtmf_source;
  GstCaps *dtmf_caps;
  int dtmf_payload_type;
  guint dtmf_timestamp_scale;
  GSource *dtmf_stop_source;
  /* Shared with the sending streaming threads: */
  GMutex dtmf_lock;
  GstClockTime event_end; /* the audio waits until then (running time) */
  ApDtmfTone tone;
  guint tone_rate;

  /* Activity: counted on streaming threads, judged in the main context. */
  int packets_sent;
  int packets_received;
  int rtcp_received;
  int last_received;
  gint64 last_received_time;
  GSource *activity_source;
  gboolean active;
  gboolean started;
  gboolean failed;

  /* Devices (ap-audio-session-devices.c): main context only. */
  ApDevices *devices;
  gboolean input_switchable;  /* the input is a device, not an override */
  gboolean output_switchable;
  gulong output_probe;
  ApTonePlayer *ringback;
  guint ringback_id; /* the ringback's start, a moment after the 180 */
  /* Quality (ap-audio-session-stats.c, main context) and symmetric RTP
   * (ap-audio-session-latch.c, shared with the receiving threads). */
  GstElement *rtpbin;
  GSource *stats_source;
  ApAudioStats *stats;
  ApRtpLatch *latch;
  /* Recording (ap-audio-session-record.c), main context; NULL: none. */
  ApAudioRecorder *recorder;
  /* Video beside the audio (ap-audio-session-video.c). */
  ApVideoSession *video;
  gboolean camera_open;
};

void     ap_audio_session_wake_activity   (ApAudioSession       *self);
gboolean ap_audio_session_pipeline_start  (ApAudioSession       *self,
                                           const ApMediaParams  *params,
                                           GError              **error);
void     ap_audio_session_pipeline_update (ApAudioSession       *self,
                                           const ApMediaParams  *params,
                                           const char           *remote_host);
void     ap_audio_session_pipeline_stop   (ApAudioSession       *self);
void     ap_audio_session_log_latency     (ApAudioSession       *self);
gboolean ap_audio_session_on_bus_message  (GstBus               *bus,
                                           GstMessage           *message,
                                           gpointer              user_data);

/* ap-audio-session-level.c */
GstElement *ap_audio_session_level_add     (ApAudioSession  *self,
                                            GstElement      *pipeline,
                                            gboolean         input,
                                            GError         **error);
gboolean    ap_audio_session_level_message (ApAudioSession  *self,
                                            GstMessage      *message);

/* ap-audio-session-dsp.c */
gboolean ap_audio_session_dsp_build_capture  (ApAudioSession  *self,
                                              GstElement      *pipeline,
                                              GstElement     **element,
                                              GError         **error);
gboolean ap_audio_session_dsp_build_playback (ApAudioSession  *self,
                                              GstElement      *pipeline,
                                              GstElement      *output,
                                              GstElement     **element,
                                              GError         **error);
void     ap_audio_session_probe_tune         (GstElement      *probe);

typedef void (*ApAudioSessionJob) (ApAudioSession *self);
void     ap_audio_session_run_in_context     (ApAudioSession  *self,
                                              GstElement      *pipeline,
                                              ApAudioSessionJob func);
GstElement *ap_audio_session_make_endpoint (ApAudioSession  *self,
                                            gboolean         input,
                                            GError         **error);

/* ap-audio-session-silence.c */
gboolean ap_audio_session_silence_build      (ApAudioSession  *self,
                                              GstElement      *pipeline,
                                              GstElement      *mixer,
                                              GstCaps         *caps,
                                              GError         **error);

/* ap-audio-session-devices.c */
void        ap_audio_session_set_switchable  (ApAudioSession  *self,
                                              gboolean         input,
                                              gboolean         switchable);
GstElement *ap_audio_session_make_device     (ApAudioSession  *self,
                                              gboolean         input,
                                              GError         **error);
void        ap_audio_session_apply_volumes   (ApAudioSession  *self);
void        ap_audio_session_stop_ringback   (ApAudioSession  *self);
void        ap_audio_session_play_ringback   (ApMediaSession  *session,
                                              gboolean         play);
gboolean    ap_audio_session_error_is_stale  (ApAudioSession  *self,
                                              GstObject       *origin);
void        ap_audio_session_devices_dispose (ApAudioSession  *self);
/* ap-audio-session-srtp.c */
gboolean ap_audio_session_srtp_build      (ApAudioSession       *self,
                                           GstElement           *rtpbin,
                                           const ApMediaParams  *params,
                                           GError              **error);
GstCaps *ap_audio_session_srtp_receive_caps (ApAudioSession     *self,
                                             const GstCaps      *rtp_caps,
                                             gboolean            rtcp);
void     ap_audio_session_srtp_update     (ApAudioSession       *self,
                                           const ApMediaParams  *params);
void     ap_audio_session_srtp_clear      (ApAudioSession       *self);

/* ap-audio-session-dtmf.c */
void     ap_audio_session_dtmf_configure  (ApAudioSession       *self,
                                           const ApMediaParams  *params);
gboolean ap_audio_session_dtmf_build_send (ApAudioSession       *self,
                                           GstElement           *pipeline,
                                           GstElement           *payloader,
                                           GstElement           *rtpbin,
                                           GError              **error);
void     ap_audio_session_dtmf_add_tone   (ApAudioSession       *self,
                                           GstElement           *element);
gboolean ap_audio_session_dtmf_receive    (ApAudioSession       *self,
                                           GstPad               *pad,
                                           GError              **error);
GstElement *ap_audio_session_dtmf_build_detector (ApAudioSession *self,
                                                 GstElement     *pipeline,
                                                 GError        **error);
gboolean ap_audio_session_dtmf_message    (ApAudioSession       *self,
                                           GstMessage           *message);
void     ap_audio_session_dtmf_cancel     (ApAudioSession       *self,
                                           gboolean              closing);
gboolean ap_audio_session_send_dtmf       (ApMediaSession       *session,
                                           char                  digit,
                                           guint                 duration_ms,
                                           gboolean              inband,
                                           GError              **error);

/* ap-audio-session-stats.c */
guint    ap_audio_primer_ms          (guint       ptime_ms,
                                      gint        period_us);
void     ap_audio_session_primer_add (GstElement *capture,
                                      GstElement *encoder,
                                      guint       ptime_ms);

void     ap_audio_session_stats_start            (ApAudioSession *self);
void     ap_audio_session_stats_pipeline_stopped (ApAudioSession *self);
void     ap_audio_session_stats_stop             (ApAudioSession *self);
void     ap_audio_session_stats_send_bye         (ApAudioSession *self);

/* ap-audio-session-latch.c */
void     ap_audio_session_latch_watch            (ApAudioSession *self,
                                                  GstElement     *rtp_udpsrc,
                                                  GstElement     *rtcp_udpsrc);
void     ap_audio_session_latch_reset            (ApAudioSession *self,
                                                  const char     *remote_host,
                                                  guint           remote_port);
void     ap_audio_session_latch_free             (ApAudioSession *self);

/* ap-audio-session-record.c */
gboolean ap_audio_session_record_start      (ApMediaSession *session,
                                             const char     *path,
                                             gboolean        stereo,
                                             GError        **error);
void     ap_audio_session_record_stop       (ApMediaSession *session);
void     ap_audio_session_record_set_paused (ApMediaSession *session,
                                             gboolean        paused);
void     ap_audio_session_record_attach     (ApAudioSession *self);
void     ap_audio_session_record_detach     (ApAudioSession *self);
/* ap-audio-session-video.c */
void     ap_audio_session_video_iface_init (ApMediaSessionInterface *iface);
void     ap_audio_session_video_apply      (ApAudioSession          *self,
                                            const ApMediaParams     *params);
void     ap_audio_session_video_close      (ApAudioSession          *self);
void     ap_audio_session_video_dispose    (ApAudioSession          *self);
void     ap_audio_session_video_add_stats  (ApAudioSession          *self,
                                            GVariantDict            *dict);

static inline gboolean
ap_audio_direction_sends (ApMediaDirection direction)
{
  return direction == AP_MEDIA_DIRECTION_SENDONLY || direction == AP_MEDIA_DIRECTION_SENDRECV;
}

G_END_DECLS
