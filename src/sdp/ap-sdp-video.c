/* ap-sdp-video.c: the video stream of our offers and answers: VP8 and
 * H.264 (constrained baseline, packetization-mode 1) at 90 kHz, with
 * RTCP feedback (PLI, FIR) so that keyframes can be asked for, and
 * SDES keys like the audio's. A video stream that cannot be agreed never
 * fails the call: the audio goes on and the video is answered with port 0. */
#define G_LOG_DOMAIN "Agentphone-sdp"

#include "ap-sdp-private.h"

#include <string.h>

#define VIDEO_CLOCK_RATE 90000
#define H264_FMTP "profile-level-id=42e01f;packetization-mode=1"

typedef struct {
  const char *name;     /* the `video-codecs` setting's name */
  const char *encoding; /* in a=rtpmap */
  guint payload_type;   /* the type we offer */
  const char *fmtp;
} VideoCodec;

static const VideoCodec video_codecs[] = {
  { "vp8", "VP8", 96, NULL },
  { "h264", "H264", 97, H264_FMTP },
};

typedef struct {
  const VideoCodec *list[G_N_ELEMENTS (video_codecs)];
  guint n;
} VideoCodecList;

static void
local_video_codecs (const ApSdpLocal *local, VideoCodecList *ours)
{
  ours->n = 0;
  for (guint i = 0; local->video_codecs != NULL && local->video_codecs[i] != NULL; i++)
    for (guint j = 0; j < G_N_ELEMENTS (video_codecs); j++)
      {
        gboolean seen = FALSE;

        if (g_ascii_strcasecmp (video_codecs[j].name, local->video_codecs[i]) != 0)
          continue;
        for (guint k = 0; k < ours->n; k++)
          seen = seen || ours->list[k] == &video_codecs[j];
        if (!seen)
          ours->list[ours->n++] = &video_codecs[j];
      }
  if (ours->n == 0)
    for (guint j = 0; j < G_N_ELEMENTS (video_codecs); j++)
      ours->list[ours->n++] = &video_codecs[j];
}

/* The value of `name=` in an a=fmtp parameter list, or NULL. */
static char *
fmtp_value (const char *fmtp, const char *name)
{
  g_auto (GStrv) parts = NULL;

  if (fmtp == NULL)
    return NULL;
  parts = g_strsplit (fmtp, ";", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *part = g_strstrip (parts[i]);
      gsize len = strlen (name);

      if (g_ascii_strncasecmp (part, name, len) == 0 && part[len] == '=')
        return g_strdup (part + len + 1);
    }
  return NULL;
}

/* H.264 only as we send it: baseline profile (profile_idc 0x42, which
 * covers constrained baseline) in non-interleaved mode (RFC 6184 mode 1). */
static gboolean
h264_fits (const char *fmtp)
{
  g_autofree char *profile = fmtp_value (fmtp, "profile-level-id");
  g_autofree char *mode = fmtp_value (fmtp, "packetization-mode");

  return profile != NULL && strlen (profile) == 6 && g_ascii_strncasecmp (profile, "42", 2) == 0
         && g_strcmp0 (mode, "1") == 0;
}

static gboolean
format_fits (const ApSdpFormat *f, const VideoCodec *codec)
{
  if (g_ascii_strcasecmp (f->encoding, codec->encoding) != 0 || f->rate != VIDEO_CLOCK_RATE)
    return FALSE;
  return !g_str_equal (codec->name, "h264") || h264_fits (f->fmtp);
}

static void
append_codec (GString *text, guint pt, const VideoCodec *codec)
{
  g_string_append_printf (text, "a=rtpmap:%u %s/%u\r\n", pt, codec->encoding, VIDEO_CLOCK_RATE);
  if (codec->fmtp != NULL)
    g_string_append_printf (text, "a=fmtp:%u %s\r\n", pt, codec->fmtp);
  /* Keyframe requests (RFC 4585 PLI, RFC 5104 FIR); no generic NACK: we
   * do not retransmit. */
  g_string_append_printf (text, "a=rtcp-fb:%u nack pli\r\na=rtcp-fb:%u ccm fir\r\n", pt, pt);
}

/**
 * ap_sdp_video_append_offer:
 *
 * Our m=video line after the audio: live when @local wants video, port 0
 * when it wants none but an earlier exchange had one (RFC 3264 8.2), and
 * nothing at all otherwise.
 */
void
ap_sdp_video_append_offer (GString *text, const ApSdpLocal *local)
{
  VideoCodecList ours;
  const char *proto = local->srtp == AP_SDP_SRTP_MANDATORY ? "RTP/SAVP" : "RTP/AVP";

  if (local->video_port == 0 && !local->video_line)
    return;
  local_video_codecs (local, &ours);
  g_string_append_printf (text, "m=video %u %s", local->video_port, proto);
  for (guint i = 0; i < ours.n; i++)
    g_string_append_printf (text, " %u", ours.list[i]->payload_type);
  g_string_append (text, "\r\n");
  if (local->video_port == 0)
    return;
  for (guint i = 0; i < ours.n; i++)
    append_codec (text, ours.list[i]->payload_type, ours.list[i]);
  if (local->srtp != AP_SDP_SRTP_OFF)
    ap_sdp_crypto_append_offer (text, local);
  g_string_append_printf (text, "a=%s\r\n", ap_sdp_direction_attribute (local->direction));
}

static ApMediaParams *
make_video_params (const sdp_media_t *m, const sdp_connection_t *c, const VideoCodec *codec,
                   const ApSdpFormat *chosen, ApMediaDirection direction)
{
  ApMediaParams *video = ap_media_params_new ();

  video->remote_address = g_strdup (c->c_address);
  video->remote_port = (guint) m->m_port;
  video->codec = g_strdup (codec->name);
  video->payload_type = chosen->pt;
  video->clock_rate = VIDEO_CLOCK_RATE;
  video->channels = 0;
  video->fmtp = g_strdup (chosen->fmtp);
  video->ptime = 0;
  video->direction = direction;
  g_debug ("Video: %s as payload type %u, %s:%u, direction %d", video->codec, video->payload_type,
           video->remote_address, video->remote_port, video->direction);
  return video;
}

/* The format of @m we take: the first of ours (answering) or the first of
 * theirs (reading an answer) that fits. */
static const ApSdpFormat *
choose (GArray *formats, const VideoCodecList *ours, gboolean ours_first, const VideoCodec **codec)
{
  guint outer = ours_first ? ours->n : formats->len;
  guint inner = ours_first ? formats->len : ours->n;

  for (guint i = 0; i < outer; i++)
    for (guint j = 0; j < inner; j++)
      {
        const ApSdpFormat *f = &g_array_index (formats, ApSdpFormat, ours_first ? j : i);
        const VideoCodec *c = ours->list[ours_first ? i : j];

        if (format_fits (f, c))
          {
            *codec = c;
            return f;
          }
      }
  return NULL;
}

static gboolean
is_live_video (const sdp_media_t *m)
{
  return m->m_type == sdp_media_video && m->m_port != 0 && !m->m_rejected && m->m_port <= 65535;
}

/**
 * ap_sdp_video_answer:
 * @m: one offered stream other than the audio we took
 * @video: (out): set to what was agreed when we take @m
 * @offered: (out): set when @m is live video we do not take because
 *   @local wants none (the far end asks for video)
 *
 * Answers an offered video stream when @local wants video and we have a
 * codec and a transport in common; appends nothing otherwise, and the
 * caller refuses the stream (port 0).
 *
 * Returns: %TRUE when the stream was answered (and @video set)
 */
gboolean
ap_sdp_video_answer (GString *text, const sdp_media_t *m, const ApSdpLocal *local,
                     ApMediaParams **video, gboolean *offered)
{
  su_home_t home[1] = { SU_HOME_INIT (home) };
  g_autoptr (GArray) formats = NULL;
  const sdp_connection_t *c = sdp_media_connections (m);
  const VideoCodec *codec = NULL;
  const ApSdpFormat *chosen;
  ApSdpProto proto = ap_sdp_media_proto (m);
  ApSdesCrypto theirs = { 0 };
  gboolean encrypted = FALSE;
  ApMediaDirection direction;
  VideoCodecList ours;

  if (!is_live_video (m) || c == NULL || c->c_address == NULL)
    return FALSE;
  if (local->video_port == 0)
    {
      *offered = TRUE;
      return FALSE;
    }
  if (proto == AP_SDP_PROTO_OTHER)
    return FALSE;
  if (local->srtp != AP_SDP_SRTP_OFF && ap_sdp_crypto_find (m, &theirs))
    encrypted = TRUE;
  else if (proto != AP_SDP_PROTO_RTP || local->srtp == AP_SDP_SRTP_MANDATORY)
    {
      g_debug ("Refusing offered video: its encryption does not fit the srtp setting");
      return FALSE;
    }
  local_video_codecs (local, &ours);
  formats = ap_sdp_media_formats (m, home);
  chosen = choose (formats, &ours, TRUE, &codec);
  if (chosen == NULL)
    {
      g_debug ("Refusing offered video: no video codec in common");
      su_home_deinit (home);
      explicit_bzero (&theirs, sizeof theirs);
      return FALSE;
    }
  direction = ap_sdp_our_direction (m, c, local->direction);
  g_string_append_printf (text, "m=video %u %s %u\r\n", local->video_port, m->m_proto_name,
                          chosen->pt);
  append_codec (text, chosen->pt, codec);
  if (encrypted)
    ap_sdp_crypto_append (text, theirs.tag, &local->keys[theirs.suite]);
  g_string_append_printf (text, "a=%s\r\n", ap_sdp_direction_attribute (direction));
  *video = make_video_params (m, c, codec, chosen, direction);
  if (encrypted)
    ap_sdp_crypto_set_params (*video, &local->keys[theirs.suite], &theirs);
  explicit_bzero (&theirs, sizeof theirs);
  su_home_deinit (home);
  return TRUE;
}

/**
 * ap_sdp_video_read_answer:
 * @sdp: the far end's answer to our offer
 * @local: what we offered
 *
 * Returns: (transfer full) (nullable): the video agreed, or %NULL when we
 *   offered none, the answer refuses it, or it cannot be used (the call
 *   then goes on without video)
 */
ApMediaParams *
ap_sdp_video_read_answer (const sdp_session_t *sdp, const ApSdpLocal *local)
{
  su_home_t home[1] = { SU_HOME_INIT (home) };
  g_autoptr (GArray) formats = NULL;
  g_autoptr (ApMediaParams) video = NULL;
  g_autoptr (GError) error = NULL;
  const sdp_media_t *m = NULL;
  const sdp_connection_t *c;
  const VideoCodec *codec = NULL;
  const ApSdpFormat *chosen;
  VideoCodecList ours;

  if (local->video_port == 0)
    return NULL;
  for (const sdp_media_t *i = sdp->sdp_media; i != NULL && m == NULL; i = i->m_next)
    if (i->m_type == sdp_media_video)
      m = i;
  if (m == NULL || !is_live_video (m) || ap_sdp_media_proto (m) == AP_SDP_PROTO_OTHER)
    return NULL;
  c = sdp_media_connections (m);
  if (c == NULL || c->c_address == NULL)
    return NULL;
  local_video_codecs (local, &ours);
  formats = ap_sdp_media_formats (m, home);
  chosen = choose (formats, &ours, FALSE, &codec);
  if (chosen != NULL)
    video = make_video_params (m, c, codec, chosen, ap_sdp_our_direction (m, c, local->direction));
  su_home_deinit (home);
  if (video == NULL)
    {
      g_message ("The answer's video has no codec we offered; going on without video");
      return NULL;
    }
  if (!ap_sdp_crypto_read_answer (m, local, video, &error))
    {
      g_message ("Going on without video: %s", error->message);
      return NULL;
    }
  return g_steal_pointer (&video);
}
