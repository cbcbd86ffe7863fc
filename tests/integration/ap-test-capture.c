/* ap-test-capture.c: tcpdump on lo into a pcap file, and a small reader
 * for what it wrote (Ethernet, IPv4, UDP: what loopback carries here). */
#include "ap-test-capture.h"

#include <signal.h>
#include <string.h>

#include "ap-test-harness.h"

#define PCAP_MAGIC 0xa1b2c3d4u
#define LINKTYPE_ETHERNET 1

struct _ApTestCapture {
  GSubprocess *process;
  char *dir;
  char *path;
};

static void
free_datagram (gpointer data)
{
  ApTestDatagram *datagram = data;

  g_bytes_unref (datagram->payload);
  g_free (datagram);
}

static gboolean
capture_is_listening (gpointer data)
{
  g_autofree char *text = NULL;

  g_file_get_contents (data, &text, NULL, NULL);
  return text != NULL && strstr (text, "listening on") != NULL;
}

/**
 * ap_test_capture_start: every UDP datagram on lo from now on
 *
 * Fails the test when tcpdump is missing or cannot capture (it needs root
 * or CAP_NET_RAW).
 */
ApTestCapture *
ap_test_capture_start (const char *name)
{
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr (GError) error = NULL;
  g_autofree char *log = NULL;
  ApTestCapture *capture = g_new0 (ApTestCapture, 1);

  capture->dir = ap_test_make_dir ("capture");
  capture->path = g_strdup_printf ("%s/%s.pcap", capture->dir, name);
  log = g_strdup_printf ("%s/%s.log", capture->dir, name);
  g_subprocess_launcher_set_stderr_file_path (launcher, log);
  g_subprocess_launcher_set_stdout_file_path (launcher, "/dev/null");
  /* --immediate-mode: libpcap hands each packet over at once instead of in
   * blocks of up to a second, which a stop right after a call cut off (the
   * last 0.6 s of RTP went missing); -U: each packet reaches the file at
   * once; -Z root: stay able to write the file in our (root-owned) folder. */
  capture->process
    = g_subprocess_launcher_spawn (launcher, &error, "tcpdump", "-i", "lo", "--immediate-mode",
                                   "-U", "-n", "-Z", "root", "-w", capture->path, "udp", NULL);
  g_assert_no_error (error);
  if (!ap_test_run_until (capture_is_listening, log, 5000))
    {
      g_autofree char *text = NULL;

      g_file_get_contents (log, &text, NULL, NULL);
      g_error ("tcpdump did not start capturing: %s", text ? text : "(no output)");
    }
  return capture;
}

static guint32
read_u32 (const guint8 *p, gboolean swap)
{
  guint32 value;

  memcpy (&value, p, 4);
  return swap ? GUINT32_SWAP_LE_BE (value) : value;
}

/* One Ethernet frame: its UDP datagram over IPv4, or NULL. */
static ApTestDatagram *
parse_frame (const guint8 *frame, gsize len)
{
  const guint8 *ip = frame + 14;
  ApTestDatagram *datagram;
  gsize ip_len, header_len, udp_len;

  if (len < 14 + 20 + 8 || frame[12] != 0x08 || frame[13] != 0x00 || (ip[0] >> 4) != 4
      || ip[9] != 17)
    return NULL;
  header_len = (ip[0] & 0x0f) * 4u;
  ip_len = ((gsize) ip[2] << 8) | ip[3];
  if (ip_len > len - 14 || header_len + 8 > ip_len)
    return NULL;
  udp_len = ((gsize) ip[header_len + 4] << 8) | ip[header_len + 5];
  if (udp_len < 8 || header_len + udp_len > ip_len)
    return NULL;
  datagram = g_new0 (ApTestDatagram, 1);
  datagram->src_port = ((guint) ip[header_len] << 8) | ip[header_len + 1];
  datagram->dst_port = ((guint) ip[header_len + 2] << 8) | ip[header_len + 3];
  datagram->payload = g_bytes_new (ip + header_len + 8, udp_len - 8);
  return datagram;
}

static GPtrArray *
read_pcap (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autofree guint8 *data = NULL;
  GPtrArray *datagrams = g_ptr_array_new_with_free_func (free_datagram);
  gsize len = 0, at = 24;
  gboolean swap;

  g_file_get_contents (path, (char **) &data, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (len, >=, 24);
  swap = read_u32 (data, FALSE) != PCAP_MAGIC;
  g_assert_cmpuint (read_u32 (data, swap), ==, PCAP_MAGIC);
  g_assert_cmpuint (read_u32 (data + 20, swap), ==, LINKTYPE_ETHERNET);
  while (at + 16 <= len)
    {
      gsize captured = read_u32 (data + at + 8, swap);
      ApTestDatagram *datagram;

      at += 16;
      if (captured > len - at)
        break; /* the last record was cut short */
      datagram = parse_frame (data + at, captured);
      if (datagram != NULL)
        {
          datagram->time_us = (gint64) read_u32 (data + at - 16, swap) * G_USEC_PER_SEC
                              + read_u32 (data + at - 12, swap);
          g_ptr_array_add (datagrams, datagram);
        }
      at += captured;
    }
  return datagrams;
}

/**
 * ap_test_capture_stop:
 *
 * Returns: (transfer full) (element-type ApTestDatagram): what was captured
 */
GPtrArray *
ap_test_capture_stop (ApTestCapture *capture)
{
  g_autoptr (GError) error = NULL;

  g_subprocess_send_signal (capture->process, SIGTERM);
  g_subprocess_wait (capture->process, NULL, &error);
  g_assert_no_error (error);
  return read_pcap (capture->path);
}

void
ap_test_capture_free (ApTestCapture *capture)
{
  if (capture->process != NULL && g_subprocess_get_identifier (capture->process) != NULL)
    {
      g_subprocess_send_signal (capture->process, SIGTERM);
      g_subprocess_wait (capture->process, NULL, NULL);
    }
  g_clear_object (&capture->process);
  g_free (capture->path);
  g_free (capture->dir);
  g_free (capture);
}
