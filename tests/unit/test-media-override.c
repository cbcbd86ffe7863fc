/* test-media-override.c: AGENTPHONE_*_INPUT/OUTPUT descriptions become bins. */
#include <gst/gst.h>
#include <string.h>

#include "ap-error.h"
#include "ap-media-override.h"

#define VARIABLE "AGENTPHONE_TEST_AUDIO_INPUT"

static void
test_unset (void)
{
  g_autoptr (GError) error = NULL;

  g_unsetenv (VARIABLE);
  g_assert_null (ap_media_override_make (VARIABLE, &error));
  g_assert_no_error (error);
  g_setenv (VARIABLE, "", TRUE);
  g_assert_null (ap_media_override_make (VARIABLE, &error));
  g_assert_no_error (error);
  g_unsetenv (VARIABLE);
}

static GstElement *
make_from (const char *description)
{
  g_autoptr (GError) error = NULL;
  GstElement *element;

  g_setenv (VARIABLE, description, TRUE);
  element = ap_media_override_make (VARIABLE, &error);
  g_unsetenv (VARIABLE);
  g_assert_no_error (error);
  g_assert_nonnull (element);
  return gst_object_ref_sink (element);
}

static void
assert_single_pad (GstElement *bin, const char *name, GstPadDirection direction)
{
  g_autoptr (GstPad) pad = gst_element_get_static_pad (bin, name);

  g_assert_nonnull (pad);
  g_assert_true (GST_IS_GHOST_PAD (pad));
  g_assert_cmpint (gst_pad_get_direction (pad), ==, direction);
  g_assert_cmpuint (bin->numpads, ==, 1);
}

static void
test_source (void)
{
  g_autoptr (GstElement) bin = make_from ("audiotestsrc is-live=true");

  g_assert_true (GST_IS_BIN (bin));
  assert_single_pad (bin, "src", GST_PAD_SRC);
}

static void
test_sink (void)
{
  g_autoptr (GstElement) bin = make_from ("audioconvert ! fakesink");

  g_assert_true (GST_IS_BIN (bin));
  assert_single_pad (bin, "sink", GST_PAD_SINK);
}

static void
test_source_runs (void)
{
  g_autoptr (GstElement) bin = make_from ("audiotestsrc num-buffers=3");
  g_autoptr (GstElement) pipeline = gst_pipeline_new (NULL);
  g_autoptr (GstElement) sink = gst_element_factory_make ("fakesink", NULL);
  g_autoptr (GstBus) bus = NULL;
  g_autoptr (GstMessage) message = NULL;

  g_assert_nonnull (sink);
  gst_object_ref_sink (sink);
  gst_bin_add_many (GST_BIN (pipeline), bin, sink, NULL);
  g_assert_true (gst_element_link (bin, sink));
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=,
                   GST_STATE_CHANGE_FAILURE);
  bus = gst_element_get_bus (pipeline);
  message = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (message);
  g_assert_cmpint (GST_MESSAGE_TYPE (message), ==, GST_MESSAGE_EOS);
  gst_element_set_state (pipeline, GST_STATE_NULL);
}

static void
assert_refused (const char *description)
{
  g_autoptr (GError) error = NULL;
  GstElement *element;

  g_test_message ("refuse: %s", description);
  g_setenv (VARIABLE, description, TRUE);
  element = ap_media_override_make (VARIABLE, &error);
  g_unsetenv (VARIABLE);
  g_assert_null (element);
  g_assert_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, VARIABLE));
}

static void
test_garbage (void)
{
  assert_refused ("nosuchelement");
  assert_refused ("audiotestsrc ! ! fakesink");
}

static void
test_partly_broken (void)
{
  /* GStreamer can build part of these and report a "recoverable" error;
   * the override must still be refused rather than half-used. */
  assert_refused ("audiotestsrc ! nosuchelement");
  assert_refused ("audiotestsrc no-such-property=1");
}

int
main (int argc, char *argv[])
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/media-override/unset", test_unset);
  g_test_add_func ("/media-override/source", test_source);
  g_test_add_func ("/media-override/sink", test_sink);
  g_test_add_func ("/media-override/source-runs", test_source_runs);
  g_test_add_func ("/media-override/garbage", test_garbage);
  g_test_add_func ("/media-override/partly-broken", test_partly_broken);
  return g_test_run ();
}
