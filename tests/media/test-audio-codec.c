/* test-audio-codec.c: the codec bins honour what the SDP agreed. Opus goes
 * out mono (as our sprop-stereo=0 says) even to a far end that prefers
 * stereo, within its maxaveragebitrate, constant when it asks (cbr=1); what
 * the far end declares it sends (sprop-stereo) is what we decode. Real
 * GStreamer pipelines; the TOC byte of each Opus packet shows its channels. */
#include <gst/gst.h>
#include <gst/rtp/rtp.h>

#include "ap-audio-codec.h"

static void
test_fmtp_get (void)
{
  static const char fmtp[] = "minptime=10; useinbandfec=1;STEREO = 1;cbr;maxaveragebitrate=20000";
  g_autofree char *stereo = ap_audio_codec_fmtp_get (fmtp, "stereo");
  g_autofree char *rate = ap_audio_codec_fmtp_get (fmtp, "MaxAverageBitrate");
  g_autofree char *cbr = ap_audio_codec_fmtp_get (fmtp, "cbr");
  g_autofree char *none = ap_audio_codec_fmtp_get (NULL, "stereo");
  g_autofree char *empty = ap_audio_codec_fmtp_get ("", "stereo");

  g_assert_cmpstr (stereo, ==, "1");
  g_assert_cmpstr (rate, ==, "20000");
  g_assert_null (cbr);
  g_assert_null (none);
  g_assert_null (empty);
}

static void
test_rtp_caps (void)
{
  const ApAudioCodec *opus = ap_audio_codec_lookup ("opus");
  g_autoptr (GstCaps) stereo = ap_audio_codec_rtp_caps (opus, 96, "stereo=1;sprop-stereo=1");
  g_autoptr (GstCaps) mono = ap_audio_codec_rtp_caps (opus, 96, "stereo=1");
  g_autoptr (GstCaps) unsaid = ap_audio_codec_rtp_caps (opus, 96, NULL);
  GstStructure *s = gst_caps_get_structure (stereo, 0);

  g_assert_cmpstr (gst_structure_get_string (s, "encoding-params"), ==, "2");
  g_assert_cmpstr (gst_structure_get_string (s, "sprop-stereo"), ==, "1");
  g_assert_cmpstr (gst_structure_get_string (gst_caps_get_structure (mono, 0), "sprop-stereo"), ==,
                   "0");
  g_assert_cmpstr (gst_structure_get_string (gst_caps_get_structure (unsaid, 0), "sprop-stereo"),
                   ==, "0");
}

typedef struct {
  guint packets;
  guint stereo_packets;
} TocCount;

static GstPadProbeReturn
count_toc (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  TocCount *count = user_data;
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;

  if (gst_rtp_buffer_map (GST_PAD_PROBE_INFO_BUFFER (info), GST_MAP_READ, &rtp))
    {
      const guint8 *payload = gst_rtp_buffer_get_payload (&rtp);

      /* RFC 6716 3.1: the TOC byte's bit 2 is the stereo flag. */
      if (gst_rtp_buffer_get_payload_len (&rtp) > 2)
        {
          count->packets++;
          count->stereo_packets += (payload[0] & 0x04) != 0;
        }
      gst_rtp_buffer_unmap (&rtp);
    }
  return GST_PAD_PROBE_OK;
}

/* One second of a tone through the send bin of Opus, with the far end's
 * @fmtp: what leaves the payloader. */
static void
run_send_bin (const char *fmtp, GstCaps **out_caps, TocCount *count, int *bitrate,
              char **bitrate_type)
{
  const ApAudioCodec *opus = ap_audio_codec_lookup ("opus");
  g_autoptr (GstElement) pipeline = gst_pipeline_new (NULL);
  g_autoptr (GstCaps) raw = ap_audio_codec_raw_caps (opus);
  g_autoptr (GError) error = NULL;
  g_autoptr (GstBus) bus = gst_pipeline_get_bus (GST_PIPELINE (pipeline));
  g_autoptr (GstMessage) message = NULL;
  g_autoptr (GstPad) src = NULL;
  g_autoptr (GstElement) encoder = NULL;
  GstElement *source = gst_element_factory_make ("audiotestsrc", NULL);
  GstElement *filter = gst_element_factory_make ("capsfilter", NULL);
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);
  GstElement *bin = ap_audio_codec_make_send_bin (opus, 96, 1234, 20, fmtp, &error);

  g_assert_no_error (error);
  g_object_set (source, "num-buffers", 50, "samplesperbuffer", 960, NULL);
  g_object_set (filter, "caps", raw, NULL);
  gst_bin_add_many (GST_BIN (pipeline), source, filter, bin, sink, NULL);
  g_assert_true (gst_element_link_many (source, filter, bin, sink, NULL));
  src = gst_element_get_static_pad (bin, "src");
  gst_pad_add_probe (src, GST_PAD_PROBE_TYPE_BUFFER, count_toc, count, NULL);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  message = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (message);
  g_assert_cmpint (GST_MESSAGE_TYPE (message), ==, GST_MESSAGE_EOS);
  *out_caps = gst_pad_get_current_caps (src);
  encoder = gst_bin_get_by_name (GST_BIN (bin), "encoder");
  g_object_get (encoder, "bitrate", bitrate, NULL);
  {
    GValue value = G_VALUE_INIT;

    g_value_init (&value, g_type_from_name ("GstOpusEncBitrateType"));
    g_object_get_property (G_OBJECT (encoder), "bitrate-type", &value);
    *bitrate_type = g_strdup (
      g_enum_get_value (g_type_class_peek (G_VALUE_TYPE (&value)), g_value_get_enum (&value))
        ->value_nick);
    g_value_unset (&value);
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
}

static void
test_opus_send (void)
{
  static const struct {
    const char *fmtp;
    int bitrate;
    const char *type;
  } cases[] = {
    { NULL, 32000, "constrained-vbr" },
    { "stereo=1;sprop-stereo=1", 32000, "constrained-vbr" },
    { "maxaveragebitrate=16000;cbr=1;stereo=1", 16000, "cbr" },
    { "maxaveragebitrate=1000", 6000, "constrained-vbr" },
    { "maxaveragebitrate=510000", 32000, "constrained-vbr" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GstCaps) caps = NULL;
      g_autofree char *type = NULL;
      TocCount count = { 0 };
      int bitrate = 0;

      run_send_bin (cases[i].fmtp, &caps, &count, &bitrate, &type);
      g_test_message ("fmtp %s: %u packets, %u stereo, %d bit/s %s", cases[i].fmtp, count.packets,
                      count.stereo_packets, bitrate, type);
      g_assert_cmpuint (count.packets, >=, 40);
      g_assert_cmpuint (count.stereo_packets, ==, 0);
      g_assert_cmpstr (gst_structure_get_string (gst_caps_get_structure (caps, 0), "sprop-stereo"),
                       ==, "0");
      g_assert_cmpint (bitrate, ==, cases[i].bitrate);
      g_assert_cmpstr (type, ==, cases[i].type);
    }
}

/* A far end sending stereo (sprop-stereo=1), a left 440 Hz and a right
 * 440 Hz tone: the receive bin decodes two channels and gives audio. */
static void
test_opus_receive (gconstpointer data)
{
  const char *fmtp = data;
  gboolean stereo = g_str_has_prefix (fmtp, "sprop-stereo=1");
  const ApAudioCodec *opus = ap_audio_codec_lookup ("opus");
  g_autoptr (GstCaps) rtp_caps = ap_audio_codec_rtp_caps (opus, 96, fmtp);
  g_autoptr (GError) error = NULL;
  g_autofree char *description = g_strdup_printf (
    "audiotestsrc num-buffers=50 samplesperbuffer=960 freq=440 ! "
    "audio/x-raw,rate=48000,channels=%d ! opusenc ! rtpopuspay pt=96 ! capsfilter name=rtp",
    stereo ? 2 : 1);
  g_autoptr (GstElement) pipeline = gst_parse_launch (description, &error);
  g_autoptr (GstElement) filter = NULL;
  g_autoptr (GstBus) bus = NULL;
  g_autoptr (GstMessage) message = NULL;
  g_autoptr (GstPad) decoded = NULL;
  g_autoptr (GstCaps) decoded_caps = NULL;
  GstElement *bin = ap_audio_codec_make_receive_bin (opus, 20, &error);
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);
  GstElement *decoder = NULL;
  int channels = 0;

  g_assert_no_error (error);
  filter = gst_bin_get_by_name (GST_BIN (pipeline), "rtp");
  g_object_set (filter, "caps", rtp_caps, NULL);
  gst_bin_add_many (GST_BIN (pipeline), bin, sink, NULL);
  g_assert_true (gst_element_link_many (filter, bin, sink, NULL));
  for (GList *l = GST_BIN (bin)->children; l != NULL; l = l->next)
    if (g_str_has_prefix (G_OBJECT_TYPE_NAME (l->data), "GstOpusDec"))
      decoder = l->data;
  g_assert_nonnull (decoder);
  decoded = gst_element_get_static_pad (decoder, "src");
  bus = gst_pipeline_get_bus (GST_PIPELINE (pipeline));
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  message = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (message);
  g_assert_cmpint (GST_MESSAGE_TYPE (message), ==, GST_MESSAGE_EOS);
  decoded_caps = gst_pad_get_current_caps (decoded);
  g_assert_nonnull (decoded_caps);
  gst_structure_get_int (gst_caps_get_structure (decoded_caps, 0), "channels", &channels);
  g_test_message ("%s: decoded to %d channel(s)", fmtp, channels);
  g_assert_cmpint (channels, ==, stereo ? 2 : 1);
  gst_element_set_state (pipeline, GST_STATE_NULL);
}

int
main (int argc, char *argv[])
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/audio-codec/fmtp-get", test_fmtp_get);
  g_test_add_func ("/audio-codec/opus-rtp-caps", test_rtp_caps);
  g_test_add_func ("/audio-codec/opus-send", test_opus_send);
  g_test_add_data_func ("/audio-codec/opus-receive/stereo", "sprop-stereo=1;stereo=1",
                        test_opus_receive);
  g_test_add_data_func ("/audio-codec/opus-receive/mono", "stereo=1", test_opus_receive);
  return g_test_run ();
}
