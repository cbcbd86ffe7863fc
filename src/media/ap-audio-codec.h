#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/**
 * ApAudioCodec:
 * @name: the settings' (and #ApMediaParams') name: `opus`, `pcma` …
 * @encoding_name: the RTP encoding name, as in `a=rtpmap`
 * @audio_rate: the sample rate the encoder takes and the decoder gives
 * @clock_rate: the RTP clock rate (G.722 keeps 8000 for 16 kHz audio)
 *
 * What the media engine knows about one audio codec: which elements encode,
 * packetise, depacketise and decode it. Private to src/media.
 */
typedef struct {
  const char *name;
  const char *encoding_name;
  guint       audio_rate;
  guint       clock_rate;
  const char *encoder;
  const char *payloader;
  const char *depayloader;
  const char *decoder;
} ApAudioCodec;

const ApAudioCodec *ap_audio_codec_lookup            (const char          *name);
GstCaps            *ap_audio_codec_rtp_caps          (const ApAudioCodec  *codec,
                                                      guint                payload_type,
                                                      const char          *fmtp);
GstCaps            *ap_audio_codec_raw_caps          (const ApAudioCodec  *codec);
guint               ap_audio_codec_decoder_delay_ms  (const ApAudioCodec  *codec,
                                                      guint                ptime);
GstElement         *ap_audio_codec_make_send_bin     (const ApAudioCodec  *codec,
                                                      guint                payload_type,
                                                      guint32              ssrc,
                                                      guint                ptime,
                                                      const char          *fmtp,
                                                      GError             **error);
char               *ap_audio_codec_fmtp_get          (const char          *fmtp,
                                                      const char          *name);
GstElement         *ap_audio_codec_make_receive_bin  (const ApAudioCodec  *codec,
                                                      guint                ptime,
                                                      GError             **error);
GstElement         *ap_audio_make_element            (const char          *factory,
                                                      const char          *name,
                                                      GError             **error);

G_END_DECLS
