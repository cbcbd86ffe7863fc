#pragma once

#include "ap-sip-private.h"

#include "ap-sip-session.h"

#include "ap-sdp.h"

/* One INVITE dialog. Split over ap-sip-session.c (the dialog and its
 * media), ap-sip-session-transfer.c (REFER, NOTIFY, Replaces) and
 * ap-sip-session-dtmf.c (SIP INFO digits). */
struct _ApSipSession {
  GObject parent_instance;

  ApSipHandler handler;
  ApSipEngine *engine;
  nua_handle_t *nh;
  ApCall *call;
  gboolean outgoing;
  gboolean answered;
  gboolean offer_pending; /* we sent an offer in a 200 and await the ACK's answer */
  gboolean local_hold;    /* we hold the far end (our offers say sendonly) */
  gboolean reinvite_pending;
  gboolean hold_target; /* what the pending re-INVITE asks for */
  guint auth_rounds;
  gboolean transferring; /* we sent a REFER and follow its NOTIFYs */

  /* When the far end asked us to call someone (incoming REFER): the call we
   * placed, and the Event to report its progress under. */
  ApCall *referred_call;
  char *refer_event;

  /* For outgoing calls: what the INVITE carries. (sofia follows 3xx
   * redirects by itself, with the same handle.) */
  char *offer;
  char *from;
  char *route;
  gboolean anonymous;
  char *headers;
  guint ring_timeout_id;
  guint connect_id; /* answered: media and the connected state follow the 200 */
  char *replaces; /* Replaces header for an attended transfer we were asked to do */

  char *local_address;
  guint local_port;
  guint64 sdp_id; /* o= session id, the same for the whole call */
  guint64 sdp_version;
  GStrv codecs;
  char *answer; /* our SDP answer to an incoming offer, sent with the 200 */
  ApMediaParams *params;
  ApSdpSrtp srtp;                        /* the `srtp` setting when the call began */
  ApSdesCrypto keys[AP_SRTP_N_SUITES];  /* ours, for our latest offer or answer */

  /* Video (ap-sip-session-video.c). */
  guint video_port;      /* 0: this call's media has no video */
  GStrv video_codecs;
  gboolean video_wanted; /* our next offer or answer takes video */
  gboolean video_line;   /* an m=video was in an exchange: keep it (port 0 to drop) */
  gboolean video_reinvite; /* the pending re-INVITE adds or drops video */
  char *remote_offer;    /* an incoming INVITE's offer, answered again with video */
  gboolean video_target; /* what the pending video re-INVITE asks for */

  /* Glare (ap-sip-session-glare.c). */
  guint glare_id;     /* a re-INVITE of ours met 491: sent again when this fires */
  guint glare_rounds; /* 491s in a row for the same request */
};

/* Shared by the session files. */
ApSipSession *ap_sip_session_new         (ApSipEngine          *engine,
                                          ApCall               *call,
                                          GError              **error);
void      ap_sip_session_on_event        (gpointer              owner,
                                          nua_event_t           event,
                                          int                   status,
                                          const char           *phrase,
                                          nua_handle_t         *nh,
                                          const sip_t          *sip,
                                          tagi_t                tags[]);
void      ap_sip_session_collect_headers (ApSipSession         *self,
                                          const sip_t          *sip);
char     *ap_sip_session_payload_text    (const sip_t          *sip);
void      ap_sip_session_end_call        (ApSipSession         *self,
                                          guint                 code,
                                          const char           *reason);
gboolean  ap_sip_session_authenticate    (ApSipSession         *self,
                                          const sip_t          *sip);
gboolean  ap_sip_session_no_dialog       (GError              **error);
ApCall   *ap_sip_session_dial_full       (ApSipEngine          *engine,
                                          const char           *target,
                                          const ApDialOptions  *options,
                                          const char           *replaces,
                                          GError              **error);

gboolean  ap_sip_session_start_media     (ApSipSession         *self,
                                          ApMediaParams        *params);
void      ap_sip_session_send_reinvite   (ApSipSession         *self,
                                          ApMediaDirection      direction);

/* ap-sip-session-glare.c */
gboolean  ap_sip_session_glare_retry     (ApSipSession         *self,
                                          int                   status);
gboolean  ap_sip_session_glare_waiting   (ApSipSession         *self);
void      ap_sip_session_glare_drop_video (ApSipSession        *self);
void      ap_sip_session_glare_drop_moot (ApSipSession         *self);
void      ap_sip_session_glare_clear     (ApSipSession         *self);
gboolean  ap_sip_session_glare_refuse_update (ApSipSession     *self);

/* ap-sip-session-answer.c */
void      ap_sip_session_connect_soon    (ApSipSession         *self);

/* ap-sip-session-media.c */
gboolean  ap_sip_session_init_srtp       (ApSipSession         *self,
                                          GError              **error);
char     *ap_sip_session_make_offer      (ApSipSession         *self,
                                          const ApSdpLocal     *local);
void      ap_sip_session_clear_keys      (ApSipSession         *self);
char     *ap_sip_session_describe_end    (int                   status,
                                          const char           *phrase,
                                          const sip_t          *sip);

ApSdpLocal ap_sip_session_local_sdp      (ApSipSession         *self,
                                          ApMediaDirection      direction);
gboolean  ap_sip_session_take_answer     (ApSipSession         *self,
                                          const sip_t          *sip);

/* ap-sip-session-video.c */
void      ap_sip_session_video_init      (ApSipSession         *self,
                                          ApMediaSession       *media);
void      ap_sip_session_video_local     (ApSipSession         *self,
                                          ApSdpLocal           *local);
void      ap_sip_session_video_took      (ApSipSession         *self,
                                          const ApMediaParams  *params);
void      ap_sip_session_video_before_answer (ApSipSession     *self);
void      ap_sip_session_on_video_answer (ApSipSession         *self,
                                          int                   status,
                                          const char           *phrase,
                                          const sip_t          *sip);
gboolean  ap_sip_session_request_video   (ApCallBackend        *backend,
                                          gboolean              enable,
                                          GError              **error);

/* ap-sip-session-transfer.c */
void      ap_sip_session_on_notify       (ApSipSession         *self,
                                          const sip_t          *sip);
void      ap_sip_session_on_refer_answer (ApSipSession         *self,
                                          int                   status,
                                          const char           *phrase,
                                          const sip_t          *sip);
void      ap_sip_session_on_refer        (ApSipSession         *self,
                                          const sip_t          *sip,
                                          tagi_t                tags[]);
gboolean  ap_sip_session_transfer        (ApCallBackend        *backend,
                                          const char           *target,
                                          GError              **error);
gboolean  ap_sip_session_transfer_to     (ApCallBackend        *backend,
                                          ApCallBackend        *other,
                                          GError              **error);

/* ap-sip-session-dtmf.c */
void      ap_sip_session_on_info         (ApSipSession         *self,
                                          const sip_t          *sip);
gboolean  ap_sip_session_send_dtmf       (ApCallBackend        *backend,
                                          char                  digit,
                                          guint                 duration_ms,
                                          GError              **error);

/* For the engine: an INVITE that no session owns yet. */
void ap_sip_session_incoming (ApSipEngine  *engine,
                              nua_handle_t *nh,
                              const sip_t  *sip);

int  ap_sip_engine_trusted_answer_after (ApSipEngine  *engine,
                                         const sip_t  *sip);
gboolean ap_sip_engine_refuse_direct  (ApSipEngine  *engine,
                                       nua_handle_t *nh);
