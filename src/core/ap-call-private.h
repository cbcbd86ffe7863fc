#pragma once

/* Shared by ap-call.c (state machine) and ap-call-actions.c (DTMF,
 * transfers). */

#include "ap-call-video.h"
#include "ap-call.h"
#include "ap-settings.h"

struct _ApCall {
  GObject parent_instance;

  guint id;
  ApCallDirection direction;
  char *peer;
  char *peer_number;
  char *peer_name;
  ApCallState state;
  gboolean muted;
  gboolean held;
  gboolean remote_held;
  gboolean hold_pending;
  gboolean media_active;
  gboolean early_media; /* the far end plays its own ringback (183 with SDP) */
  char *audio_codec;
  gboolean encrypted;
  gint64 start_time;
  guint end_code;
  char *end_reason;
  GHashTable *headers;

  ApCallBackend *backend;
  ApMediaSession *media;

  int answer_after;    /* seconds, from a trusted Call-Info/Alert-Info; -1 if none */
  GString *dtmf_queue; /* digits still to send, paced by dtmf_id */
  guint dtmf_id;

  /* ap-call-quality.c */
  double input_level;  /* dBFS, for meters */
  double output_level;
  GVariant *stats;         /* a{sv}, never NULL */
  guint rtp_timeout;       /* seconds; 0: never */
  guint quality_id;        /* the rtp-timeout check */
  guint64 packets_received;
  gint64 last_rtp_time;    /* monotonic µs */

  /* ap-call-recording.c */
  ApSettings *settings; /* recordings-dir, recording-channels, auto-record; or NULL */
  gboolean recording;
  gboolean recording_paused;
  char *recording_path; /* the latest recording's file, or NULL */
  ApCallVideo *video;      /* ap-call-video.c, made on first use */
};

gboolean ap_call_invalid_state          (ApCall      *self,
                                         GError     **error,
                                         const char  *format);
gboolean ap_call_have_backend           (ApCall      *self,
                                         GError     **error);
void     ap_call_emit_dtmf_received     (ApCall      *self,
                                         const char  *digit);
void     ap_call_emit_transfer_progress (ApCall      *self,
                                         guint        code,
                                         const char  *reason);
void     ap_call_notify_stats           (ApCall      *self);

/* ap-call-quality.c */
void     ap_call_quality_watch          (ApCall      *self);
void     ap_call_quality_start          (ApCall      *self);
void     ap_call_quality_stop           (ApCall      *self);

/* ap-call-recording.c */
void     ap_call_recording_class_init   (GObjectClass *object_class,
                                         guint         first_id);
gboolean ap_call_recording_get_property (ApCall       *self,
                                         guint         prop_id,
                                         GValue       *value);
void     ap_call_recording_media_set    (ApCall       *self);
void     ap_call_recording_finish       (ApCall       *self);
void     ap_call_recording_clear        (ApCall       *self);
