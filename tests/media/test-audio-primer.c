/* test-audio-primer.c: the first RTP packet leaves with the first capture
 * buffer (ap-audio-session-primer.c). Real encoder and payloader bins fed
 * 10 ms buffers one at a time: with the primer the first buffer already
 * makes a 20 ms packet, and every later packet still leaves with the buffer
 * that completes it; without it the first packet waits for the second. */
#include <gst/gst.h>
#include <gst/rtp/rtp.h>

#include "ap-audio-codec.h"
#include "ap-audio-session-private.h"

#define WAIT_US (2 * G_USEC_PER_SEC)
#define SETTLE_US (200 * 1000)

static void
test_primer_ms (void)
{
  static const struct {
    guint ptime;
    gint period_us;
    guint primer;
  } cases[] = {
    { 20, 10000, 10 }, { 20, 5000, 15 }, { 40, 10000, 30 }, { 60, 20000, 40 }, { 20, 20000, 0 },
    { 20, 40000, 0 },  { 10, 10000, 0 }, { 30, 20000, 0 },  { 20, 21333, 0 },  { 20, 10020, 10 },
    { 20, 10200, 0 },  { 20, 0, 0 },     { 20, -1, 0 },     { 0, 10000, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("ptime %u ms, period %d µs", cases[i].ptime, cases[i].period_us);
      g_assert_cmpuint (ap_audio_primer_ms (cases[i].ptime, cases[i].period_us), ==,
                        cases[i].primer);
    }
}

typedef struct {
  gint packets;
} Count;

static void
on_handoff (GstElement *sink, GstBuffer *buffer, GstPad *pad, gpointer user_data)
{
  Count *count = user_data;
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;

  /* Each one a real RTP packet with a payload. */
  g_assert_true (gst_rtp_buffer_map (buffer, GST_MAP_READ, &rtp));
  g_assert_cmpuint (gst_rtp_buffer_get_payload_len (&rtp), >, 0);
  gst_rtp_buffer_unmap (&rtp);
  g_atomic_int_inc (&count->packets);
}

/* Packets out once @count reached @expected or WAIT_US passed, then
 * SETTLE_US more to catch any packet too many. */
static gint
wait_packets (Count *count, gint expected)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_US;

  while (g_atomic_int_get (&count->packets) < expected && g_get_monotonic_time () < deadline)
    g_usleep (1000);
  g_usleep (SETTLE_US);
  return g_atomic_int_get (&count->packets);
}

static void
push_10ms (GstElement *source, const ApAudioCodec *codec, guint index)
{
  gsize frames = codec->audio_rate / 100;
  GstBuffer *buffer = gst_buffer_new_allocate (NULL, frames * 2, NULL);
  GstFlowReturn flow;

  gst_buffer_memset (buffer, 0, 0x10, frames * 2);
  GST_BUFFER_PTS (buffer) = index * 10 * GST_MSECOND;
  GST_BUFFER_DURATION (buffer) = 10 * GST_MSECOND;
  g_signal_emit_by_name (source, "push-buffer", buffer, &flow);
  gst_buffer_unref (buffer);
  g_assert_cmpint (flow, ==, GST_FLOW_OK);
}

/* Three 10 ms buffers: packets after each, with and without the primer. */
static void
test_first_packet (gconstpointer data)
{
  const char *name = data;
  gboolean primed = g_str_has_suffix (name, "/primed");
  g_autofree char *codec_name = g_strndup (name, strcspn (name, "/"));
  const ApAudioCodec *codec = ap_audio_codec_lookup (codec_name);
  g_autoptr (GstElement) pipeline = gst_pipeline_new (NULL);
  g_autoptr (GstCaps) caps = ap_audio_codec_raw_caps (codec);
  g_autoptr (GError) error = NULL;
  GstElement *source, *convert, *send, *sink;
  Count count = { 0 };
  /* primed: [silence + 1], [2 + 3]; not: [1 + 2], then 3 waits for 4 */
  const gint expected[2][3] = { { 0, 1, 1 }, { 1, 1, 2 } };

  g_assert_nonnull (codec);
  source = gst_element_factory_make ("appsrc", NULL);
  convert = gst_element_factory_make ("audioconvert", NULL);
  send = ap_audio_codec_make_send_bin (codec, 96, 1234, 20, NULL, &error);
  g_assert_no_error (error);
  sink = gst_element_factory_make ("fakesink", NULL);
  g_object_set (source, "caps", caps, "format", GST_FORMAT_TIME, NULL);
  g_object_set (sink, "signal-handoffs", TRUE, "sync", FALSE, "async", FALSE, NULL);
  g_signal_connect (sink, "handoff", G_CALLBACK (on_handoff), &count);
  gst_bin_add_many (GST_BIN (pipeline), source, convert, send, sink, NULL);
  g_assert_true (gst_element_link_many (source, convert, send, sink, NULL));
  if (primed)
    ap_audio_session_primer_add (convert, send, 20);
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=,
                   GST_STATE_CHANGE_FAILURE);

  for (guint i = 0; i < 3; i++)
    {
      gint packets;

      push_10ms (source, codec, i);
      packets = wait_packets (&count, expected[primed][i]);
      g_test_message ("%s: %d packet(s) after %u buffer(s)", name, packets, i + 1);
      g_assert_cmpint (packets, ==, expected[primed][i]);
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
}

int
main (int argc, char *argv[])
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/audio-primer/primer-ms", test_primer_ms);
  g_test_add_data_func ("/audio-primer/opus/primed", "opus/primed", test_first_packet);
  g_test_add_data_func ("/audio-primer/opus/plain", "opus/plain", test_first_packet);
  g_test_add_data_func ("/audio-primer/pcma/primed", "pcma/primed", test_first_packet);
  g_test_add_data_func ("/audio-primer/pcma/plain", "pcma/plain", test_first_packet);
  return g_test_run ();
}
