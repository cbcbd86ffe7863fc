/* ap-sdp.c: SDP offer/answer (RFC 3264) for one audio stream over RTP/AVP,
 * or RTP/SAVP with SDES keys (ap-sdp-crypto.c). Sofia's parser reads what
 * the other side sends (ap-sdp-parse.c); what we send is written here line
 * by line, stable enough to compare with golden files. */
#define G_LOG_DOMAIN "Agentphone-sdp"

#include "ap-sdp-private.h"

#include <string.h>

#include "ap-error.h"

typedef struct {
  const char *name;     /* our name: the settings' and ApMediaParams.codec */
  const char *encoding; /* in a=rtpmap */
  guint clock_rate;     /* RTP clock rate, as in a=rtpmap */
  guint channels;
  guint payload_type; /* the type we offer */
  const char *fmtp;   /* what we ask the far end to send, or NULL */
} Codec;

static const Codec codecs[] = {
  /* RFC 7587: always opus/48000/2, whatever is really sent. We send and
   * prefer mono (one microphone, one earpiece), and say so. */
  { "opus", "opus", 48000, 2, 111, "minptime=10;useinbandfec=1;usedtx=1;stereo=0;sprop-stereo=0" },
  /* G.722 samples at 16 kHz, but RFC 3551 (section 4.5.2) fixed its RTP clock
   * rate at 8000 and every implementation kept that quirk: the rtpmap says
   * G722/8000 and RTP timestamps advance 8000 a second, so the media engine
   * must be given 8000 too. */
  { "g722", "G722", 8000, 1, 9, NULL },
  { "pcma", "PCMA", 8000, 1, 8, NULL },
  { "pcmu", "PCMU", 8000, 1, 0, NULL },
};

#define DTMF_ENCODING "telephone-event"
#define DTMF_EVENTS "0-16" /* RFC 4733: digits, '*', '#', A-D and flash */
#define DTMF_PT_8000 101
#define DTMF_PT_48000 110
#define DEFAULT_PTIME 20

typedef ApSdpFormat Format;

typedef struct {
  const Codec *list[G_N_ELEMENTS (codecs)];
  guint n;
} CodecList;

static gboolean
local_is_valid (const ApSdpLocal *local)
{
  return local != NULL && local->address != NULL && *local->address != '\0' && local->port > 0
         && local->port <= 65535 && local->direction <= AP_MEDIA_DIRECTION_SENDRECV
         && local->srtp <= AP_SDP_SRTP_MANDATORY
         && (local->srtp == AP_SDP_SRTP_OFF || local->keys != NULL);
}

static const Codec *
codec_by_name (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (codecs); i++)
    if (g_ascii_strcasecmp (codecs[i].name, name) == 0)
      return &codecs[i];
  return NULL;
}

/* The codecs we use, in the order of the settings. */
static void
local_codecs (const ApSdpLocal *local, CodecList *ours)
{
  ours->n = 0;
  for (guint i = 0; local->codecs != NULL && local->codecs[i] != NULL; i++)
    {
      const Codec *codec = codec_by_name (local->codecs[i]);
      gboolean seen = FALSE;

      if (codec == NULL)
        {
          g_debug ("Skipping unknown codec “%s” in the settings", local->codecs[i]);
          continue;
        }
      for (guint j = 0; j < ours->n; j++)
        seen = seen || ours->list[j] == codec;
      if (!seen)
        ours->list[ours->n++] = codec;
    }
  /* An offer without a codec is useless: fall back to all of them. */
  if (ours->n == 0)
    for (guint i = 0; i < G_N_ELEMENTS (codecs); i++)
      ours->list[ours->n++] = &codecs[i];
}

static char *
describe_codecs (const CodecList *ours)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < ours->n; i++)
    g_string_append_printf (text, "%s%s", i ? ", " : "", ours->list[i]->name);
  return g_string_free (text, FALSE);
}

static char *
describe_formats (GArray *formats)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < formats->len; i++)
    {
      const Format *f = &g_array_index (formats, Format, i);

      if (i > 0)
        g_string_append (text, ", ");
      if (*f->encoding == '\0')
        g_string_append_printf (text, "payload type %u without a=rtpmap", f->pt);
      else
        g_string_append_printf (text, "%s/%lu (%u)", f->encoding, f->rate, f->pt);
    }
  if (formats->len == 0)
    g_string_append (text, "nothing");
  return g_string_free (text, FALSE);
}

/* The rest of `a=<name>:<pt> <rest>` in the media's attributes, or NULL. */
static const char *
find_mapped (const sdp_media_t *m, const char *name, guint pt)
{
  for (const sdp_attribute_t *a = m->m_attributes; a != NULL; a = a->a_next)
    {
      char *end = NULL;
      guint64 value;

      if (a->a_value == NULL || g_ascii_strcasecmp (a->a_name, name) != 0
          || !g_ascii_isdigit (a->a_value[0]))
        continue;
      value = g_ascii_strtoull (a->a_value, &end, 10);
      if (value == pt && (*end == ' ' || *end == '\t'))
        return end + strspn (end, " \t");
    }
  return NULL;
}

/* Sofia knows the payload types of RTP/AVP and RTP/SAVP only (Debian's
 * 1.12.11): for other RTP profiles such as RTP/AVPF it keeps the format list
 * as text and a=rtpmap and a=fmtp as plain attributes, so read those here. */
static void
formats_from_attributes (const sdp_media_t *m, su_home_t *home, GArray *formats)
{
  for (const sdp_list_t *l = m->m_format; l != NULL; l = l->l_next)
    {
      Format f = { 0, "", 0, NULL };
      const char *map;
      char *end = NULL;
      guint64 pt;

      if (!g_ascii_isdigit (l->l_text[0]))
        continue;
      pt = g_ascii_strtoull (l->l_text, &end, 10);
      if (*end != '\0' || pt > 127)
        continue;
      f.pt = (guint) pt;
      map = find_mapped (m, "rtpmap", f.pt);
      if (map != NULL)
        {
          const char *slash = strchr (map, '/');

          if (slash != NULL)
            {
              f.encoding = su_strndup (home, map, slash - map);
              f.rate = (gulong) g_ascii_strtoull (slash + 1, NULL, 10);
            }
        }
      else if (sdp_rtpmap_well_known[pt] != NULL)
        {
          f.encoding = sdp_rtpmap_well_known[pt]->rm_encoding;
          f.rate = sdp_rtpmap_well_known[pt]->rm_rate;
        }
      f.fmtp = find_mapped (m, "fmtp", f.pt);
      g_array_append_val (formats, f);
    }
}

GArray *
ap_sdp_media_formats (const sdp_media_t *m, su_home_t *home)
{
  GArray *formats = g_array_new (FALSE, TRUE, sizeof (Format));

  if (!sdp_media_has_rtp (m))
    {
      formats_from_attributes (m, home, formats);
      return formats;
    }
  /* Static types without a=rtpmap come with their RFC 3551 names here. */
  for (const sdp_rtpmap_t *rm = m->m_rtpmaps; rm != NULL; rm = rm->rm_next)
    {
      Format f = { rm->rm_pt, rm->rm_encoding ? rm->rm_encoding : "", rm->rm_rate, rm->rm_fmtp };

      g_array_append_val (formats, f);
    }
  return formats;
}

static gboolean
format_is (const Format *f, const char *encoding, gulong rate)
{
  return g_ascii_strcasecmp (f->encoding, encoding) == 0 && f->rate == rate;
}

static const Format *
find_codec (GArray *formats, const Codec *codec)
{
  for (guint i = 0; i < formats->len; i++)
    {
      const Format *f = &g_array_index (formats, Format, i);

      if (format_is (f, codec->encoding, codec->clock_rate))
        return f;
    }
  return NULL;
}

/* RFC 4733 wants telephone-event at the audio's clock rate, but many peers
 * offer only telephone-event/8000 beside Opus: we take that when there is
 * nothing better. */
static const Format *
find_dtmf (GArray *formats, const Codec *codec)
{
  const Format *at_8000 = NULL;

  for (guint i = 0; i < formats->len; i++)
    {
      const Format *f = &g_array_index (formats, Format, i);

      if (format_is (f, DTMF_ENCODING, codec->clock_rate))
        return f;
      if (at_8000 == NULL && format_is (f, DTMF_ENCODING, 8000))
        at_8000 = f;
    }
  return at_8000;
}

static gboolean
is_hold_address (const char *address)
{
  return g_str_equal (address, "0.0.0.0") || g_str_equal (address, "::");
}

/* What we do, from what the far end says it does: the complement of its
 * a=sendonly/recvonly/inactive/sendrecv, limited to what we want. */
ApMediaDirection
ap_sdp_our_direction (const sdp_media_t *m, const sdp_connection_t *c, ApMediaDirection wanted)
{
  guint theirs = m->m_mode;
  guint ours = 0;

  /* c=0.0.0.0 is the old way to hold (RFC 2543, see RFC 3264 section 8.4):
   * the far end cannot receive, so at most it sends. We then receive only
   * (recvonly rather than inactive), so its music on hold still plays. */
  if (is_hold_address (c->c_address))
    theirs &= ~(guint) sdp_recvonly;
  if (theirs & sdp_sendonly)
    ours |= AP_MEDIA_DIRECTION_RECVONLY;
  if (theirs & sdp_recvonly)
    ours |= AP_MEDIA_DIRECTION_SENDONLY;
  return (ApMediaDirection) (ours & wanted);
}

static guint
remote_ptime (const sdp_media_t *m)
{
  const sdp_attribute_t *a;
  char *end = NULL;
  guint64 ptime;

  a = sdp_attribute_find2 (m->m_attributes, m->m_session ? m->m_session->sdp_attributes : NULL,
                           "ptime");
  if (a == NULL || a->a_value == NULL || !g_ascii_isdigit (a->a_value[0]))
    return DEFAULT_PTIME;
  ptime = g_ascii_strtoull (a->a_value, &end, 10);
  /* RFC 3551 frames are 10–120 ms long; anything else is a typo. */
  if (ptime < 10 || ptime > 120)
    return DEFAULT_PTIME;
  return (guint) ptime;
}

static const sdp_connection_t *
audio_connection (const sdp_media_t *m, const char *what, GError **error)
{
  const sdp_connection_t *c = sdp_media_connections (m);

  if (c == NULL || c->c_address == NULL || *c->c_address == '\0')
    {
      ap_sdp_fail (error,
                   "The %s has no connection address (c= line) for its audio stream, so there is "
                   "nowhere to send audio",
                   what);
      return NULL;
    }
  /* Media sends to a literal address; a host name here is never resolved. */
  if (!g_hostname_is_ip_address (c->c_address))
    {
      ap_sdp_fail (error,
                   "The %s gives “%s” as its audio connection address, which is not an IP "
                   "address",
                   what, c->c_address);
      return NULL;
    }
  return c;
}

static gboolean
check_port (const sdp_media_t *m, const char *what, GError **error)
{
  if (m->m_port > 65535)
    return ap_sdp_fail (error, "The %s gives %lu as its audio port, which is not a port (1–65535)",
                        what, m->m_port);
  return TRUE;
}

static ApMediaParams *
make_params (const sdp_media_t *m, const sdp_connection_t *c, const Codec *codec,
             const Format *chosen, const Format *dtmf, ApMediaDirection direction)
{
  ApMediaParams *params = ap_media_params_new ();

  params->remote_address = g_strdup (c->c_address);
  params->remote_port = (guint) m->m_port;
  params->codec = g_strdup (codec->name);
  params->payload_type = chosen->pt;
  params->clock_rate = codec->clock_rate;
  params->channels = codec->channels;
  params->fmtp = g_strdup (chosen->fmtp);
  params->dtmf_payload_type = dtmf ? (int) dtmf->pt : -1;
  params->dtmf_clock_rate = dtmf ? (guint) dtmf->rate : 0;
  params->ptime = remote_ptime (m);
  params->direction = direction;
  g_debug ("Audio: %s as payload type %u, DTMF %d, %s:%u, direction %d", params->codec,
           params->payload_type, params->dtmf_payload_type, params->remote_address,
           params->remote_port, params->direction);
  return params;
}

const char *
ap_sdp_direction_attribute (ApMediaDirection direction)
{
  switch (direction)
    {
    case AP_MEDIA_DIRECTION_INACTIVE:
      return "inactive";
    case AP_MEDIA_DIRECTION_SENDONLY:
      return "sendonly";
    case AP_MEDIA_DIRECTION_RECVONLY:
      return "recvonly";
    case AP_MEDIA_DIRECTION_SENDRECV:
    default:
      return "sendrecv";
    }
}

static void
append_session (GString *text, const ApSdpLocal *local)
{
  const char *type = strchr (local->address, ':') ? "IP6" : "IP4";

  g_string_append_printf (text,
                          "v=0\r\n"
                          "o=- %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " IN %s %s\r\n"
                          "s=Agentphone\r\n"
                          "c=IN %s %s\r\n"
                          "t=0 0\r\n",
                          local->session_id, local->version, type, local->address, type,
                          local->address);
}

static void
append_codec (GString *text, guint pt, const Codec *codec)
{
  g_string_append_printf (text, "a=rtpmap:%u %s/%u%s\r\n", pt, codec->encoding, codec->clock_rate,
                          codec->channels > 1 ? "/2" : "");
  if (codec->fmtp != NULL)
    g_string_append_printf (text, "a=fmtp:%u %s\r\n", pt, codec->fmtp);
}

static void
append_dtmf (GString *text, guint pt, gulong rate)
{
  g_string_append_printf (text, "a=rtpmap:%u " DTMF_ENCODING "/%lu\r\n", pt, rate);
  g_string_append_printf (text, "a=fmtp:%u " DTMF_EVENTS "\r\n", pt);
}

static void
append_tail (GString *text, ApMediaDirection direction)
{
  g_string_append_printf (text, "a=ptime:%u\r\na=%s\r\n", DEFAULT_PTIME,
                          ap_sdp_direction_attribute (direction));
}

/* RFC 3264 section 6: one answer m= line for each offered one, a refused
 * stream with port 0 and its formats as offered. */
void
ap_sdp_append_rejected (GString *text, const sdp_media_t *m)
{
  g_string_append_printf (text, "m=%s 0 %s", m->m_type_name ? m->m_type_name : "unknown",
                          m->m_proto_name ? m->m_proto_name : "RTP/AVP");
  if (sdp_media_has_rtp (m))
    for (const sdp_rtpmap_t *rm = m->m_rtpmaps; rm != NULL; rm = rm->rm_next)
      g_string_append_printf (text, " %u", rm->rm_pt);
  else
    for (const sdp_list_t *l = m->m_format; l != NULL; l = l->l_next)
      g_string_append_printf (text, " %s", l->l_text);
  g_string_append (text, "\r\n");
}

/* The offered audio stream we answer, and the far end's key when we
 * encrypt it. */
typedef struct {
  const sdp_media_t *m;
  gboolean encrypted;
  ApSdesCrypto theirs;
} Offered;

/* Why no offered audio stream suits us, in words for the 488. */
static void
explain_no_audio (const sdp_session_t *sdp, const ApSdpLocal *local, const sdp_media_t *plain,
                  const sdp_media_t *unkeyed, const sdp_media_t *other, GError **error)
{
  g_autoptr (GString) others = g_string_new (NULL);
  gboolean any_audio = FALSE;

  for (const sdp_media_t *m = sdp->sdp_media; m != NULL; m = m->m_next)
    if (m->m_type == sdp_media_audio)
      any_audio = TRUE;
    else
      g_string_append_printf (others, "%s%s", others->len ? ", " : "",
                              m->m_type_name ? m->m_type_name : "unknown");

  if (sdp->sdp_media == NULL)
    ap_sdp_fail (error, "The offer has no media stream (no m= line)");
  else if (!any_audio)
    ap_sdp_fail (error, "The offer has no audio stream, only %s", others->str);
  else if (plain != NULL)
    ap_sdp_fail (error,
                 "The offer's audio is not encrypted, but media encryption (SRTP) is mandatory "
                 "here: turn on SRTP (SDES keys) on the other side or its server");
  else if (unkeyed != NULL && local->srtp == AP_SDP_SRTP_OFF)
    ap_sdp_fail (error,
                 "The offer asks for encrypted audio (%s), but media encryption (SRTP) is off "
                 "here: turn it on in Agentphone, or off on the other side or its server",
                 unkeyed->m_proto_name);
  else if (unkeyed != NULL)
    ap_sdp_fail (error,
                 "The offer's encrypted audio (%s) has no key we can use: we support inline "
                 "AES_CM_128_HMAC_SHA1_80 and AES_CM_128_HMAC_SHA1_32 keys (a=crypto)",
                 unkeyed->m_proto_name);
  else if (other != NULL)
    ap_sdp_fail (error,
                 "The offer's audio uses the %s transport; Agentphone supports only RTP/AVP and "
                 "RTP/SAVP",
                 other->m_proto_name ? other->m_proto_name : "unknown");
  else
    ap_sdp_fail (error, "The offer disables its audio stream (port 0)");
}

/* The first live audio stream that fits the `srtp` mode: with keys we can
 * use when we encrypt (preferred unless SRTP is off), plain RTP/AVP when we
 * may go without. */
static gboolean
find_offered_audio (const sdp_session_t *sdp, const ApSdpLocal *local, Offered *out, GError **error)
{
  const sdp_media_t *keyed = NULL, *plain = NULL, *unkeyed = NULL, *other = NULL;
  ApSdesCrypto theirs;

  for (const sdp_media_t *m = sdp->sdp_media; m != NULL; m = m->m_next)
    {
      ApSdpProto proto;

      if (m->m_type != sdp_media_audio || m->m_port == 0 || m->m_rejected)
        continue;
      proto = ap_sdp_media_proto (m);
      if (proto == AP_SDP_PROTO_OTHER)
        other = other ? other : m;
      else if (keyed == NULL && local->srtp != AP_SDP_SRTP_OFF && ap_sdp_crypto_find (m, &theirs))
        {
          keyed = m;
          out->theirs = theirs;
        }
      else if (proto == AP_SDP_PROTO_RTP)
        plain = plain ? plain : m;
      else
        unkeyed = unkeyed ? unkeyed : m;
    }
  explicit_bzero (&theirs, sizeof theirs);

  out->encrypted = keyed != NULL;
  out->m = keyed ? keyed : (local->srtp == AP_SDP_SRTP_MANDATORY ? NULL : plain);
  if (out->m != NULL)
    return TRUE;
  explain_no_audio (sdp, local, plain, unkeyed, other, error);
  return FALSE;
}

/**
 * ap_sdp_make_offer:
 * @local: our address, port, codecs and direction
 *
 * Writes our SDP offer: one audio stream with our codecs in the order of
 * @local's settings, and RFC 4733 events when asked for; over RTP/AVP, or
 * RTP/SAVP when SRTP is mandatory, with our keys unless SRTP is off.
 *
 * Returns: (transfer full): the offer, with CRLF line ends
 */
char *
ap_sdp_make_offer (const ApSdpLocal *local)
{
  GString *text;
  CodecList ours;
  gboolean opus = FALSE;

  g_return_val_if_fail (local_is_valid (local), NULL);

  local_codecs (local, &ours);
  text = g_string_new (NULL);
  append_session (text, local);
  g_string_append_printf (text, "m=audio %u %s", local->port,
                          local->srtp == AP_SDP_SRTP_MANDATORY ? "RTP/SAVP" : "RTP/AVP");
  for (guint i = 0; i < ours.n; i++)
    {
      g_string_append_printf (text, " %u", ours.list[i]->payload_type);
      opus = opus || ours.list[i]->clock_rate == 48000;
    }
  if (local->telephone_event)
    {
      g_string_append_printf (text, " %u", DTMF_PT_8000);
      if (opus)
        g_string_append_printf (text, " %u", DTMF_PT_48000);
    }
  g_string_append (text, "\r\n");
  for (guint i = 0; i < ours.n; i++)
    append_codec (text, ours.list[i]->payload_type, ours.list[i]);
  if (local->telephone_event)
    {
      append_dtmf (text, DTMF_PT_8000, 8000);
      if (opus)
        append_dtmf (text, DTMF_PT_48000, 48000);
    }
  if (local->srtp != AP_SDP_SRTP_OFF)
    ap_sdp_crypto_append_offer (text, local);
  append_tail (text, local->direction);
  ap_sdp_video_append_offer (text, local);
  return g_string_free (text, FALSE);
}

/**
 * ap_sdp_answer:
 * @remote_offer: the SDP the other side offered
 * @local: our address, port, codecs and direction
 * @answer: (out) (transfer full): our SDP answer, set on success
 * @params: (out) (transfer full): what was agreed, set on success
 * @error: why the offer cannot be accepted (the SIP layer answers 488)
 *
 * Answers an offer: the first audio stream that suits @local's `srtp` mode
 * (see #ApSdpSrtp) with the codec we like best among those offered, under
 * the offerer's payload type numbers; the first video stream when @local
 * wants video (ap-sdp-video.c); every other stream is refused with port 0.
 *
 * Returns: %TRUE when the offer was accepted
 */
gboolean
ap_sdp_answer (const char *remote_offer, const ApSdpLocal *local, char **answer,
               ApMediaParams **params, GError **error)
{
  g_auto (ApSdpParsed) offer = { 0 };
  g_autoptr (GArray) formats = NULL;
  const sdp_media_t *audio;
  const sdp_connection_t *c;
  const Codec *codec = NULL;
  const Format *chosen = NULL;
  const Format *dtmf = NULL;
  ApMediaDirection direction;
  CodecList ours;
  Offered offered = { 0 };
  ApMediaParams *video = NULL;
  gboolean video_offered = FALSE;
  GString *text;

  g_return_val_if_fail (remote_offer != NULL, FALSE);
  g_return_val_if_fail (local_is_valid (local), FALSE);
  g_return_val_if_fail (answer != NULL && params != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!ap_sdp_parse (&offer, remote_offer, "offer", error))
    return FALSE;
  if (!find_offered_audio (offer.sdp, local, &offered, error))
    return FALSE;
  audio = offered.m;
  if (!check_port (audio, "offer", error))
    return FALSE;
  c = audio_connection (audio, "offer", error);
  if (c == NULL)
    return FALSE;

  local_codecs (local, &ours);
  formats = ap_sdp_media_formats (audio, offer.home);
  for (guint i = 0; i < ours.n && chosen == NULL; i++)
    {
      codec = ours.list[i];
      chosen = find_codec (formats, codec);
    }
  if (chosen == NULL)
    {
      g_autofree char *formats_text = describe_formats (formats);
      g_autofree char *supported = describe_codecs (&ours);

      return ap_sdp_fail (error, "No audio codec in common: the offer has %s; we accept %s",
                          formats_text, supported);
    }
  if (local->telephone_event)
    dtmf = find_dtmf (formats, codec);
  direction = ap_sdp_our_direction (audio, c, local->direction);

  text = g_string_new (NULL);
  append_session (text, local);
  for (const sdp_media_t *m = offer.sdp->sdp_media; m != NULL; m = m->m_next)
    {
      if (m != audio)
        {
          if (video != NULL || !ap_sdp_video_answer (text, m, local, &video, &video_offered))
            ap_sdp_append_rejected (text, m);
          continue;
        }
      g_string_append_printf (text, "m=audio %u %s %u", local->port, m->m_proto_name, chosen->pt);
      if (dtmf != NULL)
        g_string_append_printf (text, " %u", dtmf->pt);
      g_string_append (text, "\r\n");
      append_codec (text, chosen->pt, codec);
      if (dtmf != NULL)
        append_dtmf (text, dtmf->pt, dtmf->rate);
      if (offered.encrypted)
        ap_sdp_crypto_append (text, offered.theirs.tag, &local->keys[offered.theirs.suite]);
      append_tail (text, direction);
    }

  *params = make_params (audio, c, codec, chosen, dtmf, direction);
  (*params)->video = video;
  (*params)->video_offered = video_offered;
  if (offered.encrypted)
    ap_sdp_crypto_set_params (*params, &local->keys[offered.theirs.suite], &offered.theirs);
  explicit_bzero (&offered, sizeof offered);
  *answer = g_string_free (text, FALSE);
  return TRUE;
}

/**
 * ap_sdp_read_answer:
 * @remote_answer: the SDP the other side answered our offer with
 * @local: what we offered (as given to ap_sdp_make_offer())
 * @params: (out) (transfer full): what was agreed, set on success
 * @error: why the answer cannot be used (the call should then end)
 *
 * Reads the answer to our offer: its first audio stream, the first codec in
 * it that we offered, under the answer's payload type.
 *
 * Returns: %TRUE when the answer gives us audio we can use
 */
gboolean
ap_sdp_read_answer (const char *remote_answer, const ApSdpLocal *local, ApMediaParams **params,
                    GError **error)
{
  g_auto (ApSdpParsed) answer = { 0 };
  g_autoptr (GArray) formats = NULL;
  const sdp_media_t *audio = NULL;
  const sdp_connection_t *c;
  const Codec *codec = NULL;
  const Format *chosen = NULL;
  const Format *dtmf = NULL;
  CodecList ours;
  g_autoptr (ApMediaParams) agreed = NULL;

  g_return_val_if_fail (remote_answer != NULL, FALSE);
  g_return_val_if_fail (local_is_valid (local), FALSE);
  g_return_val_if_fail (params != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!ap_sdp_parse (&answer, remote_answer, "answer", error))
    return FALSE;
  for (const sdp_media_t *m = answer.sdp->sdp_media; m != NULL && audio == NULL; m = m->m_next)
    if (m->m_type == sdp_media_audio)
      audio = m;
  if (audio == NULL)
    return ap_sdp_fail (error, "The answer has no audio stream");
  if (audio->m_port == 0 || audio->m_rejected)
    return ap_sdp_fail (error, "The other side refused our audio stream (port 0 in its answer)");
  if (ap_sdp_media_proto (audio) == AP_SDP_PROTO_OTHER)
    return ap_sdp_fail (error, "The answer's audio uses %s, which we did not offer",
                        audio->m_proto_name ? audio->m_proto_name : "an unknown transport");
  if (!check_port (audio, "answer", error))
    return FALSE;
  c = audio_connection (audio, "answer", error);
  if (c == NULL)
    return FALSE;

  local_codecs (local, &ours);
  formats = ap_sdp_media_formats (audio, answer.home);
  for (guint i = 0; i < formats->len && chosen == NULL; i++)
    {
      const Format *f = &g_array_index (formats, Format, i);

      for (guint j = 0; j < ours.n && chosen == NULL; j++)
        if (format_is (f, ours.list[j]->encoding, ours.list[j]->clock_rate))
          {
            codec = ours.list[j];
            chosen = f;
          }
    }
  if (chosen == NULL)
    {
      g_autofree char *answered = describe_formats (formats);
      g_autofree char *offered = describe_codecs (&ours);

      return ap_sdp_fail (error, "The answer picks no codec we offered: it has %s; we offered %s",
                          answered, offered);
    }
  if (local->telephone_event)
    dtmf = find_dtmf (formats, codec);

  agreed = make_params (audio, c, codec, chosen, dtmf,
                        ap_sdp_our_direction (audio, c, local->direction));
  if (!ap_sdp_crypto_read_answer (audio, local, agreed, error))
    return FALSE;
  agreed->video = ap_sdp_video_read_answer (answer.sdp, local);
  *params = g_steal_pointer (&agreed);
  return TRUE;
}
