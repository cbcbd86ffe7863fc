#pragma once

/* ap-video-session-private.h: what ap-video-session.c (sockets, the
 * session's life, snapshots, frames for a window), ap-video-session-pipeline.c
 * (the GStreamer pipeline), ap-video-session-clip.c (RecordClip) and
 * ap-video-session-adapt.c (sending less when the far end loses packets)
 * share. Private to src/media. */

#include <gst/gst.h>

#include "ap-video-session.h"

G_BEGIN_DECLS

#define AP_VIDEO_WIDTH 640
#define AP_VIDEO_HEIGHT 480
#define AP_VIDEO_FPS 15
#define AP_VIDEO_BITRATE_KBPS 500
#define AP_VIDEO_MIN_BITRATE_KBPS 100

typedef struct _ApVideoClip ApVideoClip;

struct _ApVideoSession {
  GObject parent_instance;

  GMainContext *context;
  ApDevices *devices; /* nullable */
  guint call_id;
  gboolean camera_open;

  GSocket *rtp_socket;
  GSocket *rtcp_socket;
  guint local_port;

  ApMediaParams *params; /* the running video's, or NULL */
  char *remote_host;
  guint32 ssrc;

  /* The running pipeline; these pointers do not change while it exists, so
   * streaming threads may read them. */
  GstElement *pipeline;
  GstElement *rtpbin;
  GstElement *source;
  GstElement *send_caps; /* size and rate sent, lowered by adaptation */
  GstElement *send_valve;
  GstElement *encoder;
  GstElement *rtp_udpsink;
  GstElement *rtcp_udpsink;
  GstElement *srtpenc;
  GstElement *srtpdec;
  GstCaps *rtp_caps;
  gboolean h264;
  guint payload_type;
  GstPad *depay_src; /* the current remote stream's encoded frames */
  ApMediaSrtp srtp;

  /* Shared with streaming threads, under lock. */
  GMutex lock;
  GstSample *last_sample;   /* the newest decoded remote frame (BGRA) */
  GstBuffer *srtp_remote_key;
  ApVideoClip *clip;        /* a RecordClip in progress */
  gboolean frame_pending;   /* a frame is on its way to frame_func */
  /* Counters (atomics). */
  gint frames_received;
  gint frames_sent;
  gint keyframes_sent;
  gint keyframes_requested; /* PLI/FIR from the far end */

  ApVideoFrameFunc frame_func;
  gpointer frame_data;
  /* A recording's feed (ap-video-session-record.c), under lock. */
  ApVideoRecordFunc record_func;
  gpointer record_data;

  /* Adaptation (ap-video-session-adapt.c), main context. */
  GSource *adapt_source;
  guint bitrate_kbps;
  guint width;
  guint height;
  double loss_percent;
  guint clean_rounds;

  /* Screen sharing (ap-video-session-screen.c), main context. */
  guint64 screen_id; /* 0: the camera */
  ApScreenEndedFunc screen_ended;
  gpointer screen_data;
  GstElement *portal_source; /* the portal's capture, once chosen */
  GCancellable *portal_cancellable;
};

/* ap-video-session-pipeline.c */
gboolean ap_video_session_pipeline_start  (ApVideoSession       *self,
                                           const ApMediaParams  *video,
                                           GError              **error);
void     ap_video_session_pipeline_update (ApVideoSession       *self,
                                           const ApMediaParams  *video,
                                           const char           *remote_host);
void     ap_video_session_pipeline_stop   (ApVideoSession       *self);
void     ap_video_session_apply_send_size (ApVideoSession       *self);
void     ap_video_session_request_keyframe (ApVideoSession      *self);
GstElement *ap_video_session_make_source (ApVideoSession     *self,
                                          GError            **error);

/* ap-video-session-screen.c */
GstElement *ap_video_session_screen_source      (ApVideoSession    *self);
gboolean    ap_video_session_sends_picture      (ApVideoSession    *self);
gboolean    ap_video_session_screen_check_error (ApVideoSession    *self,
                                                 GstObject         *element,
                                                 const char        *message);
void        ap_video_session_screen_clear       (ApVideoSession    *self);

/* ap-video-session-clip.c */
void     ap_video_session_clip_buffer     (ApVideoSession       *self,
                                           GstBuffer            *buffer);
void     ap_video_session_clip_cancel     (ApVideoSession       *self,
                                           const char           *why);

/* ap-video-session-local.c */
void     ap_video_session_local_attach    (ApVideoSession       *self);
/* ap-video-session-record.c */
void     ap_video_session_record_frame    (ApVideoSession       *self,
                                           GstPad               *pad,
                                           GstBuffer            *buffer);
void     ap_video_session_record_end      (ApVideoSession       *self);

/* ap-video-session-adapt.c */
void     ap_video_session_adapt_start     (ApVideoSession       *self);
void     ap_video_session_adapt_stop      (ApVideoSession       *self);

G_END_DECLS
