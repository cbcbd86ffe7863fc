/* ap-audio-codec.c: the audio codecs the engine speaks, and the small bins
 * that turn raw audio into RTP for each and back. */
#define G_LOG_DOMAIN "Agentphone-media"

#include "ap-audio-codec.h"

#include <string.h>

#include "ap-error.h"

/* Opus: 32 kbit/s is plenty for wideband voice; in-band FEC only costs bits
 * when the encoder expects loss, so tell it to expect a little. */
#define OPUS_BITRATE 32000
#define OPUS_MIN_BITRATE 6000
#define OPUS_EXPECTED_LOSS 5

static const ApAudioCodec codecs[] = {
  { "opus", "OPUS", 48000, 48000, "opusenc", "rtpopuspay", "rtpopusdepay", "opusdec" },
  { "g722", "G722", 16000, 8000, "avenc_g722", "rtpg722pay", "rtpg722depay", "avdec_g722" },
  { "pcma", "PCMA", 8000, 8000, "alawenc", "rtppcmapay", "rtppcmadepay", "alawdec" },
  { "pcmu", "PCMU", 8000, 8000, "mulawenc", "rtppcmupay", "rtppcmudepay", "mulawdec" },
};

static gboolean
is_opus (const ApAudioCodec *codec)
{
  return g_str_equal (codec->name, "opus");
}

/* Opus only knows a few frame sizes: take the largest not above the
 * negotiated packet time. */
static const char *
opus_frame_size (guint ptime)
{
  if (ptime >= 60)
    return "60";
  if (ptime >= 40)
    return "40";
  if (ptime >= 20 || ptime == 0)
    return "20";
  if (ptime >= 10)
    return "10";
  return "5";
}

static gboolean
add_ghost_pad (GstElement *bin, GstElement *element, const char *pad_name, const char *ghost_name)
{
  g_autoptr (GstPad) target = gst_element_get_static_pad (element, pad_name);

  g_assert (target != NULL);
  return gst_element_add_pad (bin, gst_ghost_pad_new (ghost_name, target));
}

/* Bins are built holding a real reference (so error paths can drop them)
 * and handed out floating, like any new element. */
static GstElement *
give_floating (GstElement *element)
{
  g_object_force_floating (G_OBJECT (element));
  return element;
}

/**
 * ap_audio_make_element:
 * @factory: an element factory name
 * @name: (nullable): the element's name
 *
 * Returns: (transfer floating) (nullable): the element, or %NULL with an
 * error that names the missing element.
 */
GstElement *
ap_audio_make_element (const char *factory, const char *name, GError **error)
{
  GstElement *element = gst_element_factory_make (factory, name);

  if (element == NULL)
    g_set_error (error, AP_ERROR, AP_ERROR_NOT_SUPPORTED,
                 "The GStreamer element “%s” is missing: install the GStreamer plugin that "
                 "provides it",
                 factory);
  return element;
}

/**
 * ap_audio_codec_fmtp_get:
 * @fmtp: (nullable): format parameters, e.g. `useinbandfec=1;stereo=1`
 * @name: a parameter name (matched without regard to case)
 *
 * Returns: (transfer full) (nullable): its value, or %NULL when absent
 */
char *
ap_audio_codec_fmtp_get (const char *fmtp, const char *name)
{
  g_auto (GStrv) pairs = NULL;

  if (fmtp == NULL)
    return NULL;
  pairs = g_strsplit (fmtp, ";", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      char *pair = g_strstrip (pairs[i]);
      char *equals = strchr (pair, '=');

      if (equals == NULL)
        continue;
      *equals = '\0';
      if (g_ascii_strcasecmp (g_strstrip (pair), name) == 0)
        return g_strdup (g_strstrip (equals + 1));
    }
  return NULL;
}

static gboolean
fmtp_is (const char *fmtp, const char *name, const char *value)
{
  g_autofree char *found = ap_audio_codec_fmtp_get (fmtp, name);

  return g_strcmp0 (found, value) == 0;
}

/**
 * ap_audio_codec_lookup:
 * @name: a codec name of the settings, e.g. `pcma`
 *
 * Returns: (nullable): the codec, or %NULL when the engine does not know it
 */
const ApAudioCodec *
ap_audio_codec_lookup (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (codecs); i++)
    if (g_ascii_strcasecmp (codecs[i].name, name) == 0)
      return &codecs[i];
  return NULL;
}

/**
 * ap_audio_codec_rtp_caps:
 * @fmtp: (nullable): the far end's format parameters
 *
 * Returns: (transfer full): the caps of the RTP stream of @codec with
 * @payload_type that the far end sends, as `rtpbin` wants them for its
 * `request-pt-map`.
 */
GstCaps *
ap_audio_codec_rtp_caps (const ApAudioCodec *codec, guint payload_type, const char *fmtp)
{
  GstCaps *caps
    = gst_caps_new_simple ("application/x-rtp", "media", G_TYPE_STRING, "audio", "clock-rate",
                           G_TYPE_INT, (int) codec->clock_rate, "encoding-name", G_TYPE_STRING,
                           codec->encoding_name, "payload", G_TYPE_INT, (int) payload_type, NULL);

  /* RFC 7587: Opus is always announced as two channels; whether it really
   * sends two is its sprop-stereo (0 unless said). Decoding what it
   * declared: a stereo stream downmixed, a mono one not upmixed first. */
  if (is_opus (codec))
    gst_caps_set_simple (caps, "encoding-params", G_TYPE_STRING, "2", "sprop-stereo", G_TYPE_STRING,
                         fmtp_is (fmtp, "sprop-stereo", "1") ? "1" : "0", NULL);
  return caps;
}

/**
 * ap_audio_codec_decoder_delay_ms:
 * @ptime: the negotiated packet time in ms
 *
 * Returns: how long the receive bin of @codec holds audio back: one packet
 * for Opus (in-band FEC rebuilds a lost packet from the next one), none for
 * the sample-based codecs.
 */
guint
ap_audio_codec_decoder_delay_ms (const ApAudioCodec *codec, guint ptime)
{
  return is_opus (codec) ? (ptime > 0 ? ptime : 20) : 0;
}

/**
 * ap_audio_codec_raw_caps:
 *
 * Returns: (transfer full): mono 16-bit audio at the rate @codec encodes
 */
GstCaps *
ap_audio_codec_raw_caps (const ApAudioCodec *codec)
{
  return gst_caps_new_simple ("audio/x-raw", "format", G_TYPE_STRING, "S16LE", "layout",
                              G_TYPE_STRING, "interleaved", "rate", G_TYPE_INT,
                              (int) codec->audio_rate, "channels", G_TYPE_INT, 1, NULL);
}

/* Opus as the far end's fmtp (what it wants to receive) allows: at most
 * its maxaveragebitrate, constant bit rate if it asks (cbr=1). We always
 * send mono, which RFC 7587 allows whatever its `stereo`, and which our
 * SDP declares (sprop-stereo=0): a headset microphone has one channel. */
static void
configure_opus (GstElement *encoder, const char *fmtp)
{
  g_autofree char *max = ap_audio_codec_fmtp_get (fmtp, "maxaveragebitrate");
  guint64 bitrate = OPUS_BITRATE;

  if (max != NULL && g_ascii_isdigit (*max))
    bitrate = CLAMP (g_ascii_strtoull (max, NULL, 10), OPUS_MIN_BITRATE, OPUS_BITRATE);
  g_object_set (encoder, "bitrate", (int) bitrate, "inband-fec", TRUE, "dtx", TRUE,
                "packet-loss-percentage", OPUS_EXPECTED_LOSS, NULL);
  if (fmtp_is (fmtp, "cbr", "1"))
    gst_util_set_object_arg (G_OBJECT (encoder), "bitrate-type", "cbr");
  gst_util_set_object_arg (G_OBJECT (encoder), "audio-type", "voice");
  g_debug ("Opus: sending mono at %u bit/s%s (the far end prefers %s)", (guint) bitrate,
           fmtp_is (fmtp, "cbr", "1") ? ", constant" : "",
           fmtp_is (fmtp, "stereo", "1") ? "stereo" : "mono");
}

/**
 * ap_audio_codec_make_send_bin:
 * @payload_type: the negotiated payload type
 * @ssrc: our synchronisation source, fixed for the whole call
 * @ptime: the negotiated packet time in ms
 * @fmtp: (nullable): the far end's format parameters
 *
 * Returns: (transfer floating) (nullable): a bin taking raw audio of
 * ap_audio_codec_raw_caps() on "sink" and giving RTP on "src".
 */
GstElement *
ap_audio_codec_make_send_bin (const ApAudioCodec *codec, guint payload_type, guint32 ssrc,
                              guint ptime, const char *fmtp, GError **error)
{
  g_autoptr (GstElement) bin = gst_object_ref_sink (gst_bin_new ("send-codec"));
  GstElement *encoder;
  GstElement *payloader;

  encoder = ap_audio_make_element (codec->encoder, "encoder", error);
  if (encoder == NULL)
    return NULL;
  gst_bin_add (GST_BIN (bin), encoder);
  payloader = ap_audio_make_element (codec->payloader, "payloader", error);
  if (payloader == NULL)
    return NULL;
  gst_bin_add (GST_BIN (bin), payloader);

  g_object_set (payloader, "pt", payload_type, "ssrc", ssrc, NULL);
  if (is_opus (codec))
    {
      configure_opus (encoder, fmtp);
      gst_util_set_object_arg (G_OBJECT (encoder), "frame-size", opus_frame_size (ptime));
    }
  else if (ptime > 0)
    {
      /* Sample-based codecs: the payloader, not the encoder, sets the
       * packet time; pin it so a source's buffer size does not leak onto
       * the wire. */
      gint64 duration = (gint64) ptime * GST_MSECOND;

      g_object_set (payloader, "min-ptime", duration, "max-ptime", duration, NULL);
    }

  if (!gst_element_link (encoder, payloader))
    {
      g_set_error (error, AP_ERROR, AP_ERROR_FAILED, "Could not connect %s to %s", codec->encoder,
                   codec->payloader);
      return NULL;
    }
  add_ghost_pad (bin, encoder, "sink", "sink");
  add_ghost_pad (bin, payloader, "src", "src");
  return give_floating (g_steal_pointer (&bin));
}

/* opusdec with in-band FEC holds one packet back (to rebuild a lost one
 * from the next), but reports the longest possible Opus packet, 120 ms, as
 * its latency: every call would play 100 ms later than needed. Report one
 * packet instead. */
static GstPadProbeReturn
on_opus_latency (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  GstQuery *query = GST_PAD_PROBE_INFO_QUERY (info);
  GstClockTime frame = GPOINTER_TO_UINT (user_data) * GST_MSECOND;
  g_autoptr (GstQuery) upstream = NULL;
  g_autoptr (GstPad) sink_pad = NULL;
  GstClockTime min_latency, max_latency, upstream_min, upstream_max;
  gboolean live, upstream_live;

  if (GST_QUERY_TYPE (query) != GST_QUERY_LATENCY)
    return GST_PAD_PROBE_OK;
  gst_query_parse_latency (query, &live, &min_latency, &max_latency);
  upstream = gst_query_new_latency ();
  sink_pad = gst_element_get_static_pad (GST_ELEMENT (GST_PAD_PARENT (pad)), "sink");
  if (sink_pad == NULL || !gst_pad_peer_query (sink_pad, upstream))
    return GST_PAD_PROBE_OK;
  gst_query_parse_latency (upstream, &upstream_live, &upstream_min, &upstream_max);
  if (min_latency > upstream_min + frame)
    {
      GST_DEBUG_OBJECT (pad, "reporting latency %" GST_TIME_FORMAT " instead of %" GST_TIME_FORMAT,
                        GST_TIME_ARGS (upstream_min + frame), GST_TIME_ARGS (min_latency));
      gst_query_set_latency (query, live, upstream_min + frame, max_latency);
    }
  return GST_PAD_PROBE_OK;
}

/**
 * ap_audio_codec_make_receive_bin:
 * @ptime: the negotiated packet time in ms
 *
 * Returns: (transfer floating) (nullable): a bin taking the RTP of @codec on
 * "sink" and giving raw audio (any format: convert and resample follow) on
 * "src".
 */
GstElement *
ap_audio_codec_make_receive_bin (const ApAudioCodec *codec, guint ptime, GError **error)
{
  g_autoptr (GstElement) bin = gst_object_ref_sink (gst_bin_new (NULL));
  const char *factories[] = { codec->depayloader, codec->decoder, "audioconvert", "audioresample" };
  GstElement *elements[G_N_ELEMENTS (factories)];

  for (gsize i = 0; i < G_N_ELEMENTS (factories); i++)
    {
      elements[i] = ap_audio_make_element (factories[i], NULL, error);
      if (elements[i] == NULL)
        return NULL;
      gst_bin_add (GST_BIN (bin), elements[i]);
      if (i > 0 && !gst_element_link (elements[i - 1], elements[i]))
        {
          g_set_error (error, AP_ERROR, AP_ERROR_FAILED, "Could not connect %s to %s",
                       factories[i - 1], factories[i]);
          return NULL;
        }
    }
  /* Concealment needs both rtpbin's do-lost and the decoder's plc. */
  if (is_opus (codec))
    {
      g_autoptr (GstPad) decoder_src = gst_element_get_static_pad (elements[1], "src");

      g_object_set (elements[1], "plc", TRUE, "use-inband-fec", TRUE, NULL);
      gst_pad_add_probe (decoder_src, GST_PAD_PROBE_TYPE_QUERY_UPSTREAM | GST_PAD_PROBE_TYPE_PULL,
                         on_opus_latency,
                         GUINT_TO_POINTER (ap_audio_codec_decoder_delay_ms (codec, ptime)), NULL);
    }

  add_ghost_pad (bin, elements[0], "sink", "sink");
  add_ghost_pad (bin, elements[G_N_ELEMENTS (elements) - 1], "src", "src");
  return give_floating (g_steal_pointer (&bin));
}
