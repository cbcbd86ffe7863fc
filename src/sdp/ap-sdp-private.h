#pragma once

/* ap-sdp-private.h: what ap-sdp.c (offer/answer), ap-sdp-parse.c (reading
 * SDP safely) and ap-sdp-crypto.c (SDES a=crypto negotiation) share.
 * Private to src/sdp: sofia's types may appear here, never in ap-sdp.h. */

#include <sofia-sip/sdp.h>

#include "ap-sdp.h"

G_BEGIN_DECLS

typedef enum {
  AP_SDP_PROTO_RTP,  /* RTP/AVP or RTP/AVPF */
  AP_SDP_PROTO_SRTP, /* RTP/SAVP or RTP/SAVPF: keys by SDES (a=crypto) */
  AP_SDP_PROTO_OTHER,
} ApSdpProto;

/* A parsed description; everything in it lives in @home. */
typedef struct {
  su_home_t *home;
  sdp_parser_t *parser;
  sdp_session_t *sdp;
} ApSdpParsed;

/* One entry of an m= line's format list, whatever sofia made of it. */
typedef struct {
  guint pt;
  const char *encoding; /* "" for a dynamic type without a=rtpmap */
  gulong rate;
  const char *fmtp; /* NULL without a=fmtp */
} ApSdpFormat;

void        ap_sdp_parsed_clear (ApSdpParsed        *parsed);
gboolean    ap_sdp_fail         (GError            **error,
                                 const char         *format,
                                 ...) G_GNUC_PRINTF (2, 3);
gboolean    ap_sdp_parse        (ApSdpParsed        *parsed,
                                 const char         *text,
                                 const char         *what,
                                 GError            **error);
ApSdpProto  ap_sdp_media_proto  (const sdp_media_t  *m);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ApSdpParsed, ap_sdp_parsed_clear)

/* ap-sdp.c, shared with ap-sdp-video.c */
GArray          *ap_sdp_media_formats       (const sdp_media_t       *m,
                                             su_home_t               *home);
ApMediaDirection ap_sdp_our_direction       (const sdp_media_t       *m,
                                             const sdp_connection_t  *c,
                                             ApMediaDirection         wanted);
const char      *ap_sdp_direction_attribute (ApMediaDirection         direction);
void             ap_sdp_append_rejected     (GString                 *text,
                                             const sdp_media_t       *m);

/* ap-sdp-video.c */
void           ap_sdp_video_append_offer (GString             *text,
                                          const ApSdpLocal    *local);
gboolean       ap_sdp_video_answer       (GString             *text,
                                          const sdp_media_t   *m,
                                          const ApSdpLocal    *local,
                                          ApMediaParams      **video,
                                          gboolean            *offered);
ApMediaParams *ap_sdp_video_read_answer  (const sdp_session_t *sdp,
                                          const ApSdpLocal    *local);

/* ap-sdp-crypto.c */
gboolean    ap_sdp_crypto_find         (const sdp_media_t   *m,
                                        ApSdesCrypto        *theirs);
gboolean    ap_sdp_crypto_has_lines    (const sdp_media_t   *m);
void        ap_sdp_crypto_append_offer (GString             *text,
                                        const ApSdpLocal    *local);
void        ap_sdp_crypto_append       (GString             *text,
                                        guint                tag,
                                        const ApSdesCrypto  *ours);
void        ap_sdp_crypto_set_params   (ApMediaParams       *params,
                                        const ApSdesCrypto  *ours,
                                        const ApSdesCrypto  *theirs);
gboolean    ap_sdp_crypto_read_answer  (const sdp_media_t   *m,
                                        const ApSdpLocal    *local,
                                        ApMediaParams       *params,
                                        GError             **error);

G_END_DECLS
