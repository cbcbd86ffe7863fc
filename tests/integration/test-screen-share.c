/* test-screen-share.c: screen sharing between two real instances, under
 * Xvfb (1280×720). The test paints the X screen itself: an orange window
 * over the whole screen and a green one (uniquely titled) over its top-left
 * quarter. A shares (its camera is the SMPTE bars); B's snapshots, decoded
 * and sampled, show what is on A's screen, then the green window alone,
 * then the bars again. Also: ListSources (the screen, the window with its
 * title), the contract's errors, the share switch (Enabled) before and
 * during a call, a shared window closing, and the CPU cost of sharing a
 * still screen. Set AP_VIDEO_KEEP=<dir> to keep the far-side snapshots. */
#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ap-test-calls.h"

#define WAIT_MS 15000
#define SCREEN_W 1280
#define SCREEN_H 720
#define ORANGE 0xff8000
#define GREEN 0x00c000
#define WINDOW_TITLE "Agentphone share test 窗口 7f3a"

typedef struct {
  Display *display;
  Window backdrop, window;
  ApTestBus *bus_a, *bus_b;
  ApTestPhone *a, *b;
  char *wav_a, *wav_b;
  ApDbusScreenShare *share;
  ApDbusCall *call_a, *call_b;
} Fixture;

static Window
open_window (Display *display, int x, int y, int w, int h, unsigned long colour, const char *title)
{
  Window window = XCreateSimpleWindow (display, DefaultRootWindow (display), x, y, (unsigned) w,
                                       (unsigned) h, 0, 0, colour);
  Atom utf8 = XInternAtom (display, "UTF8_STRING", False);

  XStoreName (display, window, "share-test");
  XChangeProperty (display, window, XInternAtom (display, "_NET_WM_NAME", False), utf8, 8,
                   PropModeReplace, (const unsigned char *) title, (int) strlen (title));
  XMapWindow (display, window);
  XSync (display, False);
  return window;
}

static ApTestPhone *
start_phone (ApTestBus *bus, guint freq, gboolean with_display, char **wav)
{
  g_autofree char *home = ap_test_make_dir ("share-phone");
  g_autofree char *config = g_build_filename (home, "config", "agentphone", NULL);
  g_autofree char *settings = g_build_filename (config, "settings.json", NULL);
  g_autofree char *audio_in = g_strdup_printf (
    "AGENTPHONE_AUDIO_INPUT=audiotestsrc is-live=true freq=%u volume=0.5 samplesperbuffer=480",
    freq);
  g_autofree char *audio_out = NULL;
  g_autofree char *display = g_strdup_printf ("DISPLAY=%s", g_getenv ("DISPLAY"));
  g_autofree char *xauthority
    = g_strdup_printf ("XAUTHORITY=%s", g_getenv ("XAUTHORITY") ? g_getenv ("XAUTHORITY") : "");
  const char *env[6] = { 0 };

  g_mkdir_with_parents (config, 0700);
  g_assert_true (g_file_set_contents (settings, AP_TEST_TONE_SETTINGS, -1, NULL));
  *wav = g_build_filename (home, "received.wav", NULL);
  audio_out = g_strdup_printf ("AGENTPHONE_AUDIO_OUTPUT=wavenc ! filesink location=%s", *wav);
  env[0] = audio_in;
  env[1] = audio_out;
  env[2] = "AGENTPHONE_VIDEO_INPUT=videotestsrc is-live=true pattern=smpte";
  if (with_display)
    {
      env[3] = display;
      env[4] = xauthority;
    }
  return ap_test_phone_start (bus, home, env);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->display = XOpenDisplay (NULL);
  g_assert_nonnull (f->display); /* run under xvfb-run */
  g_assert_cmpint (DisplayWidth (f->display, 0), ==, SCREEN_W);
  g_assert_cmpint (DisplayHeight (f->display, 0), ==, SCREEN_H);
  f->backdrop = open_window (f->display, 0, 0, SCREEN_W, SCREEN_H, ORANGE, "backdrop");
  f->window = open_window (f->display, 0, 0, SCREEN_W / 2, SCREEN_H / 2, GREEN, WINDOW_TITLE);
  f->bus_a = ap_test_bus_new ();
  f->bus_b = ap_test_bus_new ();
  f->a = start_phone (f->bus_a, 440, TRUE, &f->wav_a);
  f->b = start_phone (f->bus_b, 880, FALSE, &f->wav_b);
  f->share = ap_dbus_screen_share_proxy_new_sync (
    ap_test_bus_get_connection (f->bus_a), G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START,
    "io.github.agentphone.Agentphone", "/io/github/agentphone/Agentphone", NULL, &error);
  g_assert_no_error (error);
  g_dbus_proxy_set_default_timeout (G_DBUS_PROXY (f->share), 10000);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->call_a);
  g_clear_object (&f->call_b);
  g_clear_object (&f->share);
  g_clear_pointer (&f->a, ap_test_phone_free);
  g_clear_pointer (&f->b, ap_test_phone_free);
  g_clear_pointer (&f->bus_a, ap_test_bus_free);
  g_clear_pointer (&f->bus_b, ap_test_bus_free);
  g_free (f->wav_a);
  g_free (f->wav_b);
  XCloseDisplay (f->display);
}

static gboolean
has_video (gpointer data)
{
  return ap_dbus_call_get_video (data);
}

static gboolean
is_active (gpointer data)
{
  return ap_dbus_screen_share_get_active (data);
}

static gboolean
is_inactive (gpointer data)
{
  return !ap_dbus_screen_share_get_active (data);
}

static gboolean
is_enabled (gpointer data)
{
  return ap_dbus_screen_share_get_enabled (data);
}

static gboolean
is_disabled (gpointer data)
{
  return !ap_dbus_screen_share_get_enabled (data);
}

static gboolean
source_is_window (gpointer data)
{
  Fixture *f = data;

  return ap_dbus_screen_share_get_source (f->share) == f->window;
}

static gboolean
source_is_screen (gpointer data)
{
  return ap_dbus_screen_share_get_source (data) == G_GUINT64_CONSTANT (1) << 32;
}

/* A dials B with video and B answers with video. */
static void
connect_video (Fixture *f)
{
  g_autofree char *target
    = g_strdup_printf ("sip:agent@127.0.0.1:%u", ap_test_phone_get_listen_port (f->b));
  g_autoptr (GError) error = NULL;

  f->call_a
    = ap_test_dial (f->a, f->b, target, g_variant_new_parsed ("{'video': <true>}"), &f->call_b);
  ap_dbus_call_call_answer_sync (f->call_b, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ap_test_call_wait_state (f->call_a, "connected", WAIT_MS));
  g_assert_true (ap_test_run_until (has_video, f->call_a, WAIT_MS));
  g_assert_true (ap_test_run_until (has_video, f->call_b, WAIT_MS));
}

/* ---- pictures ---------------------------------------------------------- */

typedef struct {
  int x, y;
  guint32 rgb;
} Sample;

/* B's view of A's video: 640×480, a 16:9 picture letterboxed into it. */
static const Sample screen_samples[] = {
  { 160, 150, GREEN },  /* the green window: top-left quarter of the screen */
  { 480, 300, ORANGE }, /* the rest of the screen */
  { 100, 230, GREEN },    { 560, 100, ORANGE }, { 320, 20, 0x000000 }, /* border */
  { 320, 460, 0x000000 },
};
static const Sample window_samples[] = {
  { 320, 240, GREEN },
  { 40, 80, GREEN },
  { 600, 400, GREEN },
  { 320, 20, 0x000000 },
};
static const Sample camera_samples[] = {
  { 40, 100, 0xffffff }, /* SMPTE bars: white, yellow, cyan, green … blue */
  { 130, 100, 0xffff00 },
  { 220, 100, 0x00ffff },
  { 600, 100, 0x0000ff },
};

static gboolean
near (const guint8 *pixel, guint32 rgb)
{
  int want[3] = { (rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff };

  for (int c = 0; c < 3; c++)
    if (ABS ((int) pixel[c] - want[c]) > 48)
      return FALSE;
  return TRUE;
}

static gboolean
matches (GdkPixbuf *pixbuf, const Sample *samples, gsize n, GString *why)
{
  const guint8 *pixels = gdk_pixbuf_read_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  int channels = gdk_pixbuf_get_n_channels (pixbuf);
  gboolean all = TRUE;

  g_string_truncate (why, 0);
  for (gsize i = 0; i < n; i++)
    {
      const guint8 *p = pixels + samples[i].y * stride + samples[i].x * channels;

      g_string_append_printf (why, " (%d,%d)=#%02x%02x%02x want #%06x;", samples[i].x, samples[i].y,
                              p[0], p[1], p[2], samples[i].rgb);
      all &= near (p, samples[i].rgb);
    }
  return all;
}

static GdkPixbuf *
decode (const char *b64)
{
  g_autoptr (GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_type ("png", NULL);
  g_autoptr (GError) error = NULL;
  gsize len = 0;
  g_autofree guchar *png = g_base64_decode (b64, &len);

  g_assert_cmpmem (png, 8, "\x89PNG\r\n\x1a\n", 8);
  g_assert_true (gdk_pixbuf_loader_write (loader, png, len, &error));
  g_assert_true (gdk_pixbuf_loader_close (loader, &error));
  g_assert_no_error (error);
  return g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
}

static void
keep (GdkPixbuf *pixbuf, const char *name)
{
  const char *dir = g_getenv ("AP_VIDEO_KEEP");
  g_autofree char *path = NULL;

  if (dir == NULL)
    return;
  path = g_build_filename (dir, name, NULL);
  gdk_pixbuf_save (pixbuf, path, "png", NULL, NULL);
}

/* Bounded: B's snapshot comes to show the expected picture. */
static void
assert_far_picture (Fixture *f, const Sample *samples, gsize n, const char *name)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * 1000;
  g_autoptr (GString) why = g_string_new ("no snapshot");

  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *b64 = NULL;
      g_autoptr (GdkPixbuf) pixbuf = NULL;

      if (!ap_dbus_call_call_snapshot_base64_sync (f->call_b, &b64, NULL, &error))
        {
          g_assert_true (ap_test_dbus_error_is (error, "io.github.agentphone.Error.InvalidState"));
          ap_test_sleep (200);
          continue;
        }
      pixbuf = decode (b64);
      g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 640);
      g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, 480);
      if (matches (pixbuf, samples, n, why))
        {
          g_test_message ("%s:%s", name, why->str);
          keep (pixbuf, name);
          return;
        }
      keep (pixbuf, name);
      ap_test_sleep (300);
    }
  g_error ("B's picture is not %s after %d ms:%s", name, WAIT_MS, why->str);
}

/* ---- CPU ---------------------------------------------------------------- */

static double
cpu_seconds (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *text = NULL;
  unsigned long utime = 0, stime = 0;
  const char *after;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  after = strrchr (text, ')'); /* the command may hold spaces */
  g_assert_nonnull (after);
  g_assert_cmpint (
    sscanf (after + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime), ==,
    2);
  return (double) (utime + stime) / (double) sysconf (_SC_CLK_TCK);
}

/* Percent of one core A uses over @seconds. */
static double
measure_cpu (Fixture *f, guint seconds)
{
  GPid pid = ap_test_phone_get_pid (f->a);
  double before = cpu_seconds (pid);
  gint64 start = g_get_monotonic_time ();

  ap_test_sleep (seconds * 1000);
  return 100.0 * (cpu_seconds (pid) - before) / ((g_get_monotonic_time () - start) / 1e6);
}

/* ---- tests -------------------------------------------------------------- */

static void
test_list_and_errors (Fixture *f, gconstpointer data)
{
  g_autoptr (GVariant) sources = NULL;
  g_autoptr (GError) error = NULL;
  gboolean saw_screen = FALSE, saw_window = FALSE;
  GVariantIter iter;
  guint64 id;
  const char *kind, *title;

  ap_dbus_screen_share_call_list_sources_sync (f->share, &sources, NULL, &error);
  g_assert_no_error (error);
  g_variant_iter_init (&iter, sources);
  while (g_variant_iter_next (&iter, "(t&s&s)", &id, &kind, &title))
    {
      g_test_message ("source %" G_GUINT64_FORMAT " %s “%s”", id, kind, title);
      g_assert_true (g_str_equal (kind, "screen") || g_str_equal (kind, "window"));
      if (g_str_equal (kind, "screen") && strstr (title, "1280×720") != NULL)
        saw_screen = TRUE;
      if (g_str_equal (kind, "window") && g_str_equal (title, WINDOW_TITLE))
        {
          g_assert_cmpuint (id, ==, f->window);
          saw_window = TRUE;
        }
    }
  g_assert_true (saw_screen);
  g_assert_true (saw_window);

  /* Bad ids change nothing. */
  ap_dbus_screen_share_call_set_source_sync (f->share, 12345, NULL, &error);
  g_assert_true (ap_test_dbus_error_is (error, "io.github.agentphone.Error.NoSuchDevice"));
  g_clear_error (&error);
  ap_dbus_screen_share_call_set_source_sync (f->share, 0, NULL, &error);
  g_assert_true (ap_test_dbus_error_is (error, "io.github.agentphone.Error.InvalidArgument"));
  g_clear_error (&error);
  g_assert_cmpuint (ap_dbus_screen_share_get_source (f->share), ==, 0);

  /* No call: Start refuses, the switch stays off. */
  ap_dbus_screen_share_call_start_sync (f->share, NULL, &error);
  g_assert_true (ap_test_dbus_error_is (error, "io.github.agentphone.Error.InvalidState"));
  g_assert_nonnull (strstr (error->message, "video call"));
  g_clear_error (&error);
  g_assert_false (ap_dbus_screen_share_get_enabled (f->share));
  g_assert_false (ap_dbus_screen_share_get_active (f->share));
  ap_dbus_screen_share_call_stop_sync (f->share, NULL, &error);
  g_assert_no_error (error);

  /* A good id is kept. */
  ap_dbus_screen_share_call_set_source_sync (f->share, f->window, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ap_test_run_until (source_is_window, f, WAIT_MS));
}

static void
test_share (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  double camera_cpu, share_cpu;

  connect_video (f);
  assert_far_picture (f, camera_samples, G_N_ELEMENTS (camera_samples), "camera.png");
  camera_cpu = measure_cpu (f, 10);

  /* No source chosen: the whole screen. */
  ap_dbus_screen_share_call_start_sync (f->share, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ap_test_run_until (is_active, f->share, WAIT_MS));
  g_assert_true (ap_dbus_screen_share_get_enabled (f->share));
  g_assert_true (ap_test_run_until (source_is_screen, f->share, WAIT_MS));
  assert_far_picture (f, screen_samples, G_N_ELEMENTS (screen_samples), "screen.png");
  share_cpu = measure_cpu (f, 10);
  g_test_message ("CPU of A (one core = 100 %%): camera %.1f %%, sharing a still %dx%d screen "
                  "%.1f %%",
                  camera_cpu, SCREEN_W, SCREEN_H, share_cpu);
  g_printerr ("# CPU: camera %.1f %%, screen share %.1f %%\n", camera_cpu, share_cpu);
  g_assert_cmpfloat (share_cpu, <, 60.0);

  /* Switching source while sharing: the window alone. */
  ap_dbus_screen_share_call_set_source_sync (f->share, f->window, NULL, &error);
  g_assert_no_error (error);
  assert_far_picture (f, window_samples, G_N_ELEMENTS (window_samples), "window.png");

  /* Stop: the camera again. */
  ap_dbus_screen_share_call_stop_sync (f->share, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ap_test_run_until (is_inactive, f->share, WAIT_MS));
  g_assert_false (ap_dbus_screen_share_get_enabled (f->share));
  assert_far_picture (f, camera_samples, G_N_ELEMENTS (camera_samples), "camera-again.png");

  /* The switch during the call shares the chosen window again … */
  ap_dbus_screen_share_set_enabled (f->share, TRUE);
  g_assert_true (ap_test_run_until (is_active, f->share, WAIT_MS));
  assert_far_picture (f, window_samples, G_N_ELEMENTS (window_samples), "window-again.png");

  /* … until the window closes: the camera comes back, the switch is off. */
  XDestroyWindow (f->display, f->window);
  XSync (f->display, False);
  g_assert_true (ap_test_run_until (is_inactive, f->share, WAIT_MS));
  g_assert_true (ap_test_run_until (is_disabled, f->share, WAIT_MS));
  assert_far_picture (f, camera_samples, G_N_ELEMENTS (camera_samples), "camera-after-close.png");
  g_assert_true (ap_test_call_wait_state (f->call_a, "connected", 100));
  ap_test_call_hangup (f->call_a);
}

static void
test_switch_before_call (Fixture *f, gconstpointer data)
{
  /* Armed with no call: on, but nothing shared yet. */
  ap_dbus_screen_share_set_enabled (f->share, TRUE);
  g_assert_true (ap_test_run_until (is_enabled, f->share, WAIT_MS));
  ap_test_sleep (300);
  g_assert_false (ap_dbus_screen_share_get_active (f->share));

  /* The video call shares from the start. */
  connect_video (f);
  g_assert_true (ap_test_run_until (is_active, f->share, WAIT_MS));
  assert_far_picture (f, screen_samples, G_N_ELEMENTS (screen_samples), "screen-armed.png");

  /* The call ends: so does the share, and the switch turns off. */
  ap_test_call_hangup (f->call_a);
  g_assert_true (ap_test_call_wait_state (f->call_a, "ended", WAIT_MS));
  g_assert_true (ap_test_run_until (is_inactive, f->share, WAIT_MS));
  g_assert_true (ap_test_run_until (is_disabled, f->share, WAIT_MS));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/screen-share/list-and-errors", Fixture, NULL, fixture_setup, test_list_and_errors,
              fixture_teardown);
  g_test_add ("/screen-share/share", Fixture, NULL, fixture_setup, test_share, fixture_teardown);
  g_test_add ("/screen-share/switch-before-call", Fixture, NULL, fixture_setup,
              test_switch_before_call, fixture_teardown);
  return g_test_run ();
}
