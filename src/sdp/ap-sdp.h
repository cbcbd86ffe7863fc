#pragma once

#include <glib.h>

#include "ap-media-params.h"
#include "ap-sdes.h"

G_BEGIN_DECLS

/**
 * ApSdpSrtp:
 * @AP_SDP_SRTP_OFF: plain RTP only: offers carry no keys, an offer that
 *   only comes encrypted (RTP/SAVP) is refused
 * @AP_SDP_SRTP_OPTIONAL: offer RTP/AVP with keys (best effort); answer
 *   encrypted when the offer has keys, plain when not
 * @AP_SDP_SRTP_MANDATORY: offer RTP/SAVP; refuse plain offers and answers
 *
 * The `srtp` setting: how much we insist on SRTP with SDES keys (RFC 4568).
 */
typedef enum {
  AP_SDP_SRTP_OFF = 0,
  AP_SDP_SRTP_OPTIONAL,
  AP_SDP_SRTP_MANDATORY,
} ApSdpSrtp;

/**
 * ApSdpLocal:
 * @address: our media address for `c=` and `o=` (an IPv4 or IPv6 literal)
 * @port: our RTP port (RTCP on @port + 1)
 * @codecs: (nullable): codec names in priority order, as in the settings:
 *   `opus`, `g722`, `pcma`, `pcmu`; unknown names are skipped, and %NULL or a
 *   list without a known name means all four in that order
 * @direction: what we want: sendrecv normally, sendonly while we hold
 * @session_id: the `o=` session id, stable for the call
 * @version: the `o=` version, one more on each offer or answer we send
 * @telephone_event: offer, or accept, RFC 4733 DTMF events
 * @srtp: whether we offer, accept or require SRTP
 * @keys: (array fixed-size=2) (nullable): our SDES keys, one for each
 *   #ApSrtpSuite (indexed by suite, tags 1 and 2); needed unless @srtp is
 *   off. What we offer, and what we encrypt with when we answer.
 * @video_port: our video RTP port (RTCP on + 1) when we want video; 0: no
 *   video (offers then carry no m=video, or one with port 0 after
 *   @video_line; offered video is answered with port 0)
 * @video_line: an earlier offer or answer of this session had an m=video,
 *   which RFC 3264 wants kept in later offers (port 0 to drop it)
 * @video_codecs: (nullable): `vp8`, `h264` in priority order (the
 *   `video-codecs` setting); %NULL: both in that order
 *
 * Our side of an offer/answer exchange: one audio stream and, when wanted,
 * one video stream (encrypted like the audio, with the same keys).
 */
typedef struct {
  const char *address;
  guint port;
  const char *const *codecs;
  ApMediaDirection direction;
  guint64 session_id;
  guint64 version;
  gboolean telephone_event;
  ApSdpSrtp srtp;
  const ApSdesCrypto *keys;
  guint video_port;
  gboolean video_line;
  const char *const *video_codecs;
} ApSdpLocal;

ApSdpSrtp ap_sdp_srtp_from_string (const char *setting);

char     *ap_sdp_make_offer   (const ApSdpLocal  *local);
gboolean  ap_sdp_answer       (const char        *remote_offer,
                               const ApSdpLocal  *local,
                               char             **answer,
                               ApMediaParams    **params,
                               GError           **error);
gboolean  ap_sdp_read_answer  (const char        *remote_answer,
                               const ApSdpLocal  *local,
                               ApMediaParams    **params,
                               GError           **error);

G_END_DECLS
