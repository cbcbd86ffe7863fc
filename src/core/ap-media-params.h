#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  AP_MEDIA_DIRECTION_INACTIVE = 0,
  AP_MEDIA_DIRECTION_SENDONLY = 1,
  AP_MEDIA_DIRECTION_RECVONLY = 2,
  AP_MEDIA_DIRECTION_SENDRECV = 3,
} ApMediaDirection;

/* SRTP protection profiles (RFC 4568 suites); NONE is plain RTP. */
typedef enum {
  AP_MEDIA_SRTP_NONE = 0,
  AP_MEDIA_SRTP_AES_CM_128_HMAC_SHA1_80,
  AP_MEDIA_SRTP_AES_CM_128_HMAC_SHA1_32,
} ApMediaSrtp;

#define AP_MEDIA_SRTP_KEY_LEN 30 /* 16-byte AES-128 master key + 14-byte salt */

/**
 * ApMediaParams:
 * @remote_address: where to send RTP (the far end's `c=` address)
 * @remote_port: its RTP port (RTCP on @remote_port + 1)
 * @codec: `opus`, `g722`, `pcma` or `pcmu` (the settings' names)
 * @payload_type: the RTP payload type agreed for @codec (the same both ways)
 * @clock_rate: RTP clock rate of @codec (48000, 8000 …)
 * @channels: channels in the RTP stream (Opus: 2 per RFC 7587)
 * @fmtp: (nullable): the agreed format parameters, e.g. `useinbandfec=1`
 * @dtmf_payload_type: telephone-event payload type, or -1 when not agreed
 * @dtmf_clock_rate: the telephone-event clock rate (8000 or 48000)
 * @ptime: packet time in ms
 * @direction: what we do: send, receive, both or neither
 * @detect_inband_dtmf: listen for DTMF tones in the received audio (the far
 *   end sends digits in-band)
 * @srtp: the agreed SRTP suite, or %AP_MEDIA_SRTP_NONE for plain RTP
 * @srtp_local_key: (when @srtp is set) our master key and salt: we encrypt
 *   with it, and sent it in our `a=crypto`
 * @srtp_remote_key: the far end's master key and salt, to decrypt with
 * @video: (nullable): the agreed video stream, described by the same fields
 *   (@codec `vp8` or `h264`, @clock_rate 90000; no DTMF, no ptime); %NULL
 *   when the call has no video
 * @video_offered: the far end offered video that we did not take (we answered
 *   its video stream with port 0): it asks for video
 *
 * The outcome of an SDP offer/answer for one audio stream, as the media
 * engine needs it. Plain data: produced by the SDP layer, consumed by media.
 */
typedef struct _ApMediaParams {
  char *remote_address;
  guint remote_port;
  char *codec;
  guint payload_type;
  guint clock_rate;
  guint channels;
  char *fmtp;
  int dtmf_payload_type;
  guint dtmf_clock_rate;
  guint ptime;
  ApMediaDirection direction;
  gboolean detect_inband_dtmf;
  ApMediaSrtp srtp;
  guint8 srtp_local_key[AP_MEDIA_SRTP_KEY_LEN];
  guint8 srtp_remote_key[AP_MEDIA_SRTP_KEY_LEN];
  struct _ApMediaParams *video;
  gboolean video_offered;
} ApMediaParams;

ApMediaParams *ap_media_params_new   (void);
ApMediaParams *ap_media_params_copy  (const ApMediaParams *params);
void           ap_media_params_free  (ApMediaParams       *params);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ApMediaParams, ap_media_params_free)

G_END_DECLS
