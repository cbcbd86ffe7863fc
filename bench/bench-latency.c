/* bench-latency.c: clicks into a phone's input, heard at the far end's
 * output, timed on CLOCK_MONOTONIC by one process (no clocks to align). */
#include "bench-latency.h"

#include <arpa/inet.h>
#include <errno.h>
#include <gio/gio.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define RATE 48000
#define FRAME_SAMPLES 480 /* 10 ms, like a capture period */
#define CLICK_PERIOD_FRAMES 50
#define CLICK_SAMPLES 96 /* 2 ms of 1 kHz, loud */
#define THRESHOLD 4000   /* of 32767: silence elsewhere is 0 */
#define CAPS "audio/x-raw,format=S16LE,rate=48000,channels=1,layout=interleaved"

char *
bench_latency_input (guint port)
{
  return g_strdup_printf ("udpsrc address=127.0.0.1 port=%u caps=\"" CAPS "\"", port);
}

char *
bench_latency_output (guint port)
{
  return g_strdup_printf (
    "audioconvert ! audioresample ! " CAPS " ! udpsink host=127.0.0.1 port=%u sync=true", port);
}

static gint64
now_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/** bench_latency_bind: a UDP socket on 127.0.0.1:@port, or -1 with @error */
int
bench_latency_bind (guint port, GError **error)
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons (port) };
  int fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (fd < 0 || bind (fd, (struct sockaddr *) &addr, sizeof addr) < 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                   "Cannot listen on 127.0.0.1:%u for the far end's audio: %s", port,
                   g_strerror (errno));
      if (fd >= 0)
        close (fd);
      return -1;
    }
  return fd;
}

static void
make_frames (gint16 *silence, gint16 *click)
{
  memset (silence, 0, FRAME_SAMPLES * sizeof (gint16));
  memset (click, 0, FRAME_SAMPLES * sizeof (gint16));
  for (guint i = 0; i < CLICK_SAMPLES; i++)
    click[i] = (gint16) (24000 * sin (2 * G_PI * 1000 * i / RATE));
}

/* The first loud sample of a datagram, or -1. */
static int
find_click (const gint16 *samples, gsize n)
{
  for (gsize i = 0; i < n; i++)
    if (ABS (samples[i]) > THRESHOLD)
      return (int) i;
  return -1;
}

typedef struct {
  gint64 sent_us[256];
  guint n_sent;
  gint64 last_heard_us;
} Clicks;

/* A datagram of played audio: a click in it is the newest click sent
 * (they are 500 ms apart, far more than any latency we expect). */
static void
on_played (Clicks *clicks, const gint16 *samples, gsize n, gint64 arrived_us, BenchLatency *result)
{
  int at = find_click (samples, n);
  gint64 heard_us;
  double ms;

  if (at < 0 || clicks->n_sent == 0 || !g_atomic_int_get (&result->measuring))
    return;
  heard_us = arrived_us + (gint64) at * G_USEC_PER_SEC / RATE;
  if (heard_us - clicks->last_heard_us < 200000)
    return; /* the rest of the same click */
  clicks->last_heard_us = heard_us;
  ms = (heard_us - clicks->sent_us[clicks->n_sent - 1]) / 1000.0;
  g_array_append_val (result->latencies_ms, ms);
}

/**
 * bench_latency_run:
 *
 * Paces 10 ms frames with absolute deadlines; between them, waits for
 * played audio with poll(), so each datagram's arrival is stamped to
 * within a few microseconds.
 */
gboolean
bench_latency_run (int output_socket, guint input_port, guint seconds, BenchLatency *result,
                   GError **error)
{
  struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons (input_port) };
  int out = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  gint16 silence[FRAME_SAMPLES], click[FRAME_SAMPLES], played[8192];
  guint n_frames = seconds * 100;
  gint64 start = now_us ();
  Clicks clicks = { { 0 } };

  to.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  make_frames (silence, click);
  for (guint frame = 0; frame < n_frames;)
    {
      gint64 due = start + (gint64) frame * 10000, now = now_us ();
      struct pollfd pfd = { .fd = output_socket, .events = POLLIN };

      if (now >= due)
        {
          gboolean is_click = frame % CLICK_PERIOD_FRAMES == CLICK_PERIOD_FRAMES - 1
                              && clicks.n_sent < G_N_ELEMENTS (clicks.sent_us)
                              && g_atomic_int_get (&result->measuring);

          if (sendto (out, is_click ? click : silence, sizeof silence, 0, (struct sockaddr *) &to,
                      sizeof to)
              < 0)
            {
              g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                           "Cannot send audio to the phone's input: %s", g_strerror (errno));
              close (out);
              return FALSE;
            }
          if (is_click)
            clicks.sent_us[clicks.n_sent++] = now_us ();
          frame++;
          continue;
        }
      if (poll (&pfd, 1, (int) MAX (1, (due - now) / 1000)) > 0)
        {
          gssize got = recv (output_socket, played, sizeof played, 0);
          gint64 arrived = now_us ();

          if (got > 0)
            on_played (&clicks, played, got / sizeof (gint16), arrived, result);
        }
    }
  close (out);
  result->sent = clicks.n_sent;
  return TRUE;
}
