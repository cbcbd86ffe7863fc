/* test-media-calls.c: what two real agentphone instances agree on for
 * their audio, proven on the wire and at the ears: each codec end to end,
 * whose codec priority wins, SRTP per the `srtp` setting (Encrypted, the
 * refusals and their reasons), a tcpdump capture showing no plain audio in
 * an SRTP call (against a plain control call) and no key in the logs, and
 * new keys on hold/resume keeping the audio. Direct calls on 127.0.0.1. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ap-test-calls.h"
#include "ap-test-capture.h"
#include "ap-wav.h"

#define CALL_TIMEOUT_MS 10000
#define PCMA_PT 8
#define PCMA_FRAME 160 /* 20 ms at 8 kHz */
#define WINDOW 8       /* bytes compared between captures */

typedef ApTestPair Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  ap_test_pair_start (f);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  ap_test_pair_clear (f);
}

static void
configure (ApTestPhone *phone, const char *srtp, const char *codecs)
{
  g_autofree char *text = g_strdup_printf ("{'srtp': <'%s'>, 'audio-codecs': <%s>}", srtp, codecs);

  ap_test_phone_configure (phone, text);
}

/* @from dials @to directly; @to answers; both connected with media.
 * Encrypted must already be @encrypted (unless -1) when State says
 * connected. */
static void
connect_call_full (ApTestPhone *from, ApTestPhone *to, int encrypted, ApDbusCall **call_from,
                   ApDbusCall **call_to)
{
  g_autofree char *target
    = g_strdup_printf ("sip:agent@127.0.0.1:%u", ap_test_phone_get_listen_port (to));

  *call_from = ap_test_dial (from, to, target, NULL, call_to);
  ap_test_call_answer (*call_to);
  g_assert_true (ap_test_call_wait_state (*call_to, "connected", CALL_TIMEOUT_MS));
  if (encrypted >= 0)
    g_assert_cmpint (ap_dbus_call_get_encrypted (*call_to), ==, encrypted);
  g_assert_true (ap_test_call_wait_state (*call_from, "connected", CALL_TIMEOUT_MS));
  if (encrypted >= 0)
    g_assert_cmpint (ap_dbus_call_get_encrypted (*call_from), ==, encrypted);
  g_assert_true (ap_test_call_wait_media_active (*call_from, 5000));
  g_assert_true (ap_test_call_wait_media_active (*call_to, 5000));
}

static void
connect_call (ApTestPhone *from, ApTestPhone *to, ApDbusCall **call_from, ApDbusCall **call_to)
{
  connect_call_full (from, to, -1, call_from, call_to);
}

static void
hang_up (ApDbusCall *call, ApDbusCall *other)
{
  ap_test_call_hangup (call);
  g_assert_true (ap_test_call_wait_state (call, "ended", CALL_TIMEOUT_MS));
  g_assert_true (ap_test_call_wait_state (other, "ended", CALL_TIMEOUT_MS));
}

static double
wav_duration (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ApWav) wav = NULL;

  g_assert_true (ap_wav_load (path, &wav, &error));
  g_assert_no_error (error);
  return ap_wav_duration_s (wav);
}

static guint
wav_rate (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ApWav) wav = NULL;

  g_assert_true (ap_wav_load (path, &wav, &error));
  g_assert_no_error (error);
  return wav->rate;
}

typedef struct {
  const char *codec;
  guint rate; /* what the decoder gives, so what the WAV holds */
} CodecCase;

static const CodecCase codec_cases[] = {
  { "opus", 48000 },
  { "g722", 16000 },
  { "pcma", 8000 },
  { "pcmu", 8000 },
};

/* Only @codec on both sides: it is agreed, reported on both sides, and
 * the tones arrive both ways (at that codec's sample rate). */
static void
test_codec (Fixture *f, gconstpointer data)
{
  const CodecCase *c = data;
  g_autofree char *list = g_strdup_printf ("['%s']", c->codec);
  g_autoptr (ApDbusCall) call_a = NULL;
  g_autoptr (ApDbusCall) call_b = NULL;

  configure (f->a, "optional", list);
  configure (f->b, "optional", list);
  connect_call (f->a, f->b, &call_a, &call_b);
  g_assert_cmpstr (ap_dbus_call_get_audio_codec (call_a), ==, c->codec);
  g_assert_cmpstr (ap_dbus_call_get_audio_codec (call_b), ==, c->codec);
  ap_test_sleep (2500);
  hang_up (call_a, call_b);
  ap_test_assert_tone (f->wav_b, 440, 0.5, -0.2);
  ap_test_assert_tone (f->wav_a, 880, 0.5, -0.2);
  g_assert_cmpuint (wav_rate (f->wav_b), ==, c->rate);
  g_assert_cmpuint (wav_rate (f->wav_a), ==, c->rate);
}

static void
assert_codec (ApTestPhone *from, ApTestPhone *to, const char *expected)
{
  g_autoptr (ApDbusCall) call_from = NULL;
  g_autoptr (ApDbusCall) call_to = NULL;

  connect_call (from, to, &call_from, &call_to);
  g_test_message ("agreed on %s", ap_dbus_call_get_audio_codec (call_from));
  g_assert_cmpstr (ap_dbus_call_get_audio_codec (call_from), ==, expected);
  g_assert_cmpstr (ap_dbus_call_get_audio_codec (call_to), ==, expected);
  hang_up (call_from, call_to);
}

/* A prefers PCMU, B G.722, both take both: the answerer's priority wins
 * (the offer's order is only the caller's wish). */
static void
test_codec_priority (Fixture *f, gconstpointer data)
{
  configure (f->a, "optional", "['pcmu', 'g722']");
  configure (f->b, "optional", "['g722', 'pcmu']");
  assert_codec (f->a, f->b, "g722");
  assert_codec (f->b, f->a, "pcmu");
}

typedef struct {
  const char *caller, *callee;
  gboolean encrypted;
} ModeCase;

/* Every pair of `srtp` settings that can talk: Encrypted tells the truth on
 * both sides, already when the call is connected. */
static void
test_srtp_modes (Fixture *f, gconstpointer data)
{
  static const ModeCase cases[] = {
    { "optional", "optional", TRUE },  { "optional", "mandatory", TRUE },
    { "mandatory", "optional", TRUE }, { "mandatory", "mandatory", TRUE },
    { "optional", "off", FALSE },      { "off", "optional", FALSE },
    { "off", "off", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (ApDbusCall) call_a = NULL;
      g_autoptr (ApDbusCall) call_b = NULL;

      g_test_message ("caller %s, callee %s", cases[i].caller, cases[i].callee);
      configure (f->a, cases[i].caller, "['pcma']");
      configure (f->b, cases[i].callee, "['pcma']");
      connect_call_full (f->a, f->b, cases[i].encrypted, &call_a, &call_b);
      hang_up (call_b, call_a);
    }
}

static gboolean
log_contains (ApTestPhone *phone, const char *needle)
{
  g_autofree char *text = NULL;

  g_file_get_contents (ap_test_phone_get_log (phone), &text, NULL, NULL);
  return text != NULL && strstr (text, needle) != NULL;
}

/* @from dials @to, which refuses with 488 before ringing: @from's call ends
 * with a reason that names encryption; @to logs why. */
static void
assert_refused (ApTestPhone *from, ApTestPhone *to, const char *reason_part, const char *log_part)
{
  g_autofree char *target
    = g_strdup_printf ("sip:agent@127.0.0.1:%u", ap_test_phone_get_listen_port (to));
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *added = NULL;
  g_autoptr (ApDbusCall) call = NULL;

  ap_dbus_phone_call_dial_sync (ap_test_phone_get_proxy (from), target,
                                g_variant_new_parsed ("@a{sv} {}"), &path, NULL, &error);
  g_assert_no_error (error);
  added = ap_test_phone_wait_call_added (from, 2000);
  call = ap_test_phone_get_call (from, path);
  g_assert_true (ap_test_call_wait_state (call, "ended", CALL_TIMEOUT_MS));
  g_test_message ("end reason: %s", ap_dbus_call_get_end_reason (call));
  g_assert_cmpuint (ap_dbus_call_get_end_code (call), ==, 488);
  g_assert_nonnull (strstr (ap_dbus_call_get_end_reason (call), reason_part));
  g_assert_null (ap_test_phone_wait_call_added (to, 300));
  g_assert_true (log_contains (to, log_part));
}

static void
test_srtp_refused (Fixture *f, gconstpointer data)
{
  configure (f->a, "mandatory", "['pcma']");
  configure (f->b, "off", "['pcma']");
  assert_refused (f->a, f->b, "media encryption (SRTP) is off",
                  "Refusing a call: 488 Not Acceptable Here (The offer asks for encrypted audio");
  assert_refused (f->b, f->a, "media encryption (SRTP) is mandatory",
                  "Refusing a call: 488 Not Acceptable Here (The offer's audio is not encrypted");
}

/* A mandatory caller whose callee (sipp) answers plain RTP: the call ends
 * at once, with a BYE and a reason. */
static void
test_srtp_plain_answer (Fixture *f, gconstpointer data)
{
  guint port = ap_test_free_port ();
  g_autofree char *target = g_strdup_printf ("sip:plain@127.0.0.1:%u", port);
  g_autoptr (ApTestSipp) sipp = ap_test_sipp_start ("uas-answer.xml", port, NULL, 20);
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr (ApDbusCall) call = NULL;
  int status = -1;

  configure (f->a, "mandatory", "['pcma']");
  ap_dbus_phone_call_dial_sync (ap_test_phone_get_proxy (f->a), target,
                                g_variant_new_parsed ("@a{sv} {}"), &path, NULL, &error);
  g_assert_no_error (error);
  g_free (ap_test_phone_wait_call_added (f->a, 2000));
  call = ap_test_phone_get_call (f->a, path);
  g_assert_true (ap_test_call_wait_state (call, "ended", CALL_TIMEOUT_MS));
  g_test_message ("end reason: %s", ap_dbus_call_get_end_reason (call));
  g_assert_cmpuint (ap_dbus_call_get_end_code (call), ==, 488);
  g_assert_nonnull (strstr (ap_dbus_call_get_end_reason (call),
                            "unencrypted audio, but media encryption (SRTP) is mandatory"));
  g_assert_false (ap_dbus_call_get_encrypted (call));
  /* sipp got its BYE. */
  g_assert_true (ap_test_sipp_wait (sipp, 15000, &status));
  g_assert_cmpint (status, ==, 0);
}

static gboolean
codec_is_pcma (gpointer data)
{
  return g_strcmp0 (ap_dbus_call_get_audio_codec (data), "pcma") == 0;
}

/* sipp calls with PCMU only, then re-INVITEs with PCMA only and plays PCMA
 * audio: the running call takes the new codec, AudioCodec follows, and
 * the audio after the change is heard. */
static void
test_reinvite_codec (Fixture *f, gconstpointer data)
{
  g_autofree char *remote = g_strdup_printf ("127.0.0.1:%u", ap_test_phone_get_listen_port (f->b));
  g_autoptr (ApTestSipp) sipp = NULL;
  g_autoptr (ApDbusCall) call = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (ApWav) wav = NULL;
  g_autofree char *path = NULL;
  double level;
  int status = -1;

  configure (f->b, "optional", "['opus', 'pcmu', 'pcma']");
  sipp = ap_test_sipp_start ("uac-reinvite-codec.xml", ap_test_free_port (), remote, 20);
  path = ap_test_phone_wait_call_added (f->b, CALL_TIMEOUT_MS);
  g_assert_nonnull (path);
  call = ap_test_phone_get_call (f->b, path);
  ap_test_call_answer (call);
  g_assert_true (ap_test_call_wait_state (call, "connected", CALL_TIMEOUT_MS));
  g_assert_cmpstr (ap_dbus_call_get_audio_codec (call), ==, "pcmu");
  g_assert_true (ap_test_run_until (codec_is_pcma, call, 5000));
  g_assert_cmpstr (ap_dbus_call_get_state (call), ==, "connected");
  g_assert_true (ap_test_call_wait_state (call, "ended", CALL_TIMEOUT_MS));
  g_assert_true (ap_test_sipp_wait (sipp, 15000, &status));
  g_assert_cmpint (status, ==, 0);
  /* The output is made anew with the new codec's pipeline: it holds what
   * sipp played after the change. */
  g_assert_true (ap_wav_load (f->wav_b, &wav, &error));
  g_assert_no_error (error);
  level = ap_wav_rms_dbfs (wav, 0, 0.3, ap_wav_duration_s (wav) - 0.1);
  g_test_message ("after the change: %.1f s at %.1f dBFS", ap_wav_duration_s (wav), level);
  g_assert_cmpfloat (ap_wav_duration_s (wav), >, 1.5);
  g_assert_cmpfloat (level, >, -40.0);
}

/* ---- the capture --------------------------------------------------------- */

static gint16
alaw_decode (guint8 byte)
{
  int value = byte ^ 0x55;
  int exponent = (value & 0x70) >> 4;
  int mantissa = value & 0x0f;
  int sample = exponent == 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);

  return (gint16) ((value & 0x80) ? sample : -sample);
}

/* How much of the 20 ms of PCMA in @payload is a @freq Hz tone (0 … 1). */
static double
tone_share (const guint8 *payload, double freq)
{
  double re = 0, im = 0, total = 0;

  for (guint n = 0; n < PCMA_FRAME; n++)
    {
      double x = alaw_decode (payload[n]);

      re += x * cos (2 * G_PI * freq * n / 8000);
      im -= x * sin (2 * G_PI * freq * n / 8000);
      total += x * x;
    }
  /* A sine of amplitude A: |DFT|^2 = (A N / 2)^2, energy = A^2 N / 2. */
  return total > 0 ? (re * re + im * im) * 2 / (PCMA_FRAME * total) : 0;
}

typedef struct {
  GHashTable *rtp_ports; /* the m=audio ports of the call's SDP */
  GPtrArray *keys;       /* the inline keys of its a=crypto lines */
  GPtrArray *to_b;       /* the call's PCMA payloads, both ways */
} Wire;

static void
wire_clear (Wire *wire)
{
  g_clear_pointer (&wire->rtp_ports, g_hash_table_unref);
  g_clear_pointer (&wire->keys, g_ptr_array_unref);
  g_clear_pointer (&wire->to_b, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Wire, wire_clear)

static void
read_sdp (Wire *wire, const char *text)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      const char *key;
      guint port;

      if (sscanf (line, "m=audio %u ", &port) == 1)
        g_hash_table_add (wire->rtp_ports, GUINT_TO_POINTER (port));
      if (g_str_has_prefix (line, "a=crypto:") && (key = strstr (line, "inline:")) != NULL)
        g_ptr_array_add (wire->keys, g_strndup (key + 7, strcspn (key + 7, "| ")));
    }
}

/* The call between @f's phones in @datagrams: its SIP (to or from their SIP
 * ports) gives its RTP ports and keys, and so its RTP. */
static void
read_wire (Fixture *f, GPtrArray *datagrams, Wire *wire)
{
  guint sip_a = ap_test_phone_get_listen_port (f->a);
  guint sip_b = ap_test_phone_get_listen_port (f->b);

  wire->rtp_ports = g_hash_table_new (NULL, NULL);
  wire->keys = g_ptr_array_new_with_free_func (g_free);
  wire->to_b = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  for (guint i = 0; i < datagrams->len; i++)
    {
      ApTestDatagram *d = datagrams->pdata[i];
      gsize len;
      const char *data = g_bytes_get_data (d->payload, &len);
      g_autofree char *text = NULL;

      if (d->src_port != sip_a && d->src_port != sip_b && d->dst_port != sip_a
          && d->dst_port != sip_b)
        continue;
      text = g_strndup (data, len);
      if (strstr (text, "\r\n\r\nv=0") != NULL)
        read_sdp (wire, strstr (text, "\r\n\r\nv=0"));
    }
  g_assert_cmpuint (g_hash_table_size (wire->rtp_ports), ==, 2);

  for (guint i = 0; i < datagrams->len; i++)
    {
      ApTestDatagram *d = datagrams->pdata[i];
      gsize len;
      const guint8 *rtp = g_bytes_get_data (d->payload, &len);

      /* RTP version 2 without CSRCs or extension, PCMA, to one of the
       * call's ports: either way (A sends 440 Hz, B 880 Hz). */
      if (!g_hash_table_contains (wire->rtp_ports, GUINT_TO_POINTER (d->dst_port)) || len < 12
          || rtp[0] != 0x80 || (rtp[1] & 0x7f) != PCMA_PT || len < 12 + PCMA_FRAME)
        continue;
      g_ptr_array_add (wire->to_b, g_bytes_new (rtp + 12, PCMA_FRAME));
    }
}

/* Sorts @wire's packets by their tone (A sends 440 Hz, B 880 Hz): plain
 * audio shows it; encrypted audio shows neither. */
static void
count_tones (Wire *wire, guint *at_440, guint *at_880)
{
  *at_440 = *at_880 = 0;
  for (guint i = 0; i < wire->to_b->len; i++)
    {
      const guint8 *p = g_bytes_get_data (wire->to_b->pdata[i], NULL);

      *at_440 += tone_share (p, 440) > 0.8;
      *at_880 += tone_share (p, 880) > 0.8;
    }
}

/* Every WINDOW-byte run of the plain tone packets. */
static GHashTable *
tone_windows (Wire *plain)
{
  GHashTable *windows
    = g_hash_table_new_full (g_bytes_hash, g_bytes_equal, (GDestroyNotify) g_bytes_unref, NULL);

  for (guint i = 0; i < plain->to_b->len; i++)
    {
      const guint8 *p = g_bytes_get_data (plain->to_b->pdata[i], NULL);

      if (tone_share (p, 440) <= 0.8)
        continue;
      for (guint at = 0; at + WINDOW <= PCMA_FRAME; at++)
        g_hash_table_add (windows, g_bytes_new (p + at, WINDOW));
    }
  return windows;
}

static guint
packets_with_windows (Wire *wire, GHashTable *windows)
{
  guint found = 0;

  for (guint i = 0; i < wire->to_b->len; i++)
    {
      const guint8 *p = g_bytes_get_data (wire->to_b->pdata[i], NULL);
      gboolean hit = FALSE;

      for (guint at = 0; !hit && at + WINDOW <= PCMA_FRAME; at++)
        {
          g_autoptr (GBytes) window = g_bytes_new_static (p + at, WINDOW);

          hit = g_hash_table_contains (windows, window);
        }
      found += hit;
    }
  return found;
}

/* One PCMA call under capture, with the given `srtp` settings. */
static GPtrArray *
captured_call (Fixture *f, const char *name, const char *srtp, gboolean encrypted)
{
  g_autoptr (ApTestCapture) capture = ap_test_capture_start (name);
  g_autoptr (ApDbusCall) call_a = NULL;
  g_autoptr (ApDbusCall) call_b = NULL;
  GPtrArray *datagrams;

  configure (f->a, srtp, "['pcma']");
  configure (f->b, srtp, "['pcma']");
  connect_call_full (f->a, f->b, encrypted, &call_a, &call_b);
  ap_test_sleep (2000);
  hang_up (call_a, call_b);
  datagrams = ap_test_capture_stop (capture);
  /* The audio arrived all the same. */
  ap_test_assert_tone (f->wav_b, 440, 0.5, -0.2);
  ap_test_assert_tone (f->wav_a, 880, 0.5, -0.2);
  return datagrams;
}

static gboolean
key_in_log (ApTestPhone *phone, const char *b64)
{
  g_autofree guchar *raw = NULL;
  gsize len = 0;
  g_autoptr (GString) hex = g_string_new (NULL);

  raw = g_base64_decode (b64, &len);
  for (gsize i = 0; i < len; i++)
    g_string_append_printf (hex, "%02x", raw[i]);
  return log_contains (phone, b64) || (len > 0 && log_contains (phone, hex->str));
}

static void
test_srtp_capture (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) plain_datagrams = NULL;
  g_autoptr (GPtrArray) srtp_datagrams = NULL;
  g_autoptr (GHashTable) windows = NULL;
  g_auto (Wire) plain = { 0 };
  g_auto (Wire) srtp = { 0 };
  guint at_440, at_880, with_tone_bytes;

  /* The control: a plain call, captured the same way. */
  plain_datagrams = captured_call (f, "plain", "off", FALSE);
  read_wire (f, plain_datagrams, &plain);
  count_tones (&plain, &at_440, &at_880);
  windows = tone_windows (&plain);
  with_tone_bytes = packets_with_windows (&plain, windows);
  g_test_message ("plain: %u PCMA packets, %u of 440 Hz, %u of 880 Hz, %u with tone bytes, "
                  "%u distinct %u-byte runs",
                  plain.to_b->len, at_440, at_880, with_tone_bytes, g_hash_table_size (windows),
                  WINDOW);
  g_assert_cmpuint (plain.keys->len, ==, 0);
  g_assert_cmpuint (plain.to_b->len, >, 150);
  g_assert_cmpuint (at_440 + at_880, >, plain.to_b->len * 9 / 10);
  g_assert_cmpuint (at_440, >, 50);
  g_assert_cmpuint (with_tone_bytes, >=, at_440);

  srtp_datagrams = captured_call (f, "srtp", "mandatory", TRUE);
  read_wire (f, srtp_datagrams, &srtp);
  count_tones (&srtp, &at_440, &at_880);
  with_tone_bytes = packets_with_windows (&srtp, windows);
  g_test_message ("SRTP: %u PCMA packets, %u of 440 Hz, %u of 880 Hz, %u with tone bytes, "
                  "%u keys in the SDP",
                  srtp.to_b->len, at_440, at_880, with_tone_bytes, srtp.keys->len);
  g_assert_cmpuint (srtp.to_b->len, >, 150);
  g_assert_cmpuint (at_440 + at_880, ==, 0);
  g_assert_cmpuint (with_tone_bytes, ==, 0);

  /* Offer (two suites) and answer: three keys went over SIP, none into a
   * log (as base64 or as the hex srtpenc takes). The logs are debug logs
   * that did see the call's encryption. */
  g_assert_cmpuint (srtp.keys->len, >=, 3);
  g_assert_true (log_contains (f->a, "Audio encrypted with AES_CM_128_HMAC_SHA1_80"));
  for (guint i = 0; i < srtp.keys->len; i++)
    {
      g_assert_false (key_in_log (f->a, srtp.keys->pdata[i]));
      g_assert_false (key_in_log (f->b, srtp.keys->pdata[i]));
    }
}

/* Hold and resume from each side with SRTP: every offer brings new keys,
 * the audio goes on both ways after. */
static void
test_srtp_hold_resume (Fixture *f, gconstpointer data)
{
  g_autoptr (ApDbusCall) call_a = NULL;
  g_autoptr (ApDbusCall) call_b = NULL;
  ApDbusCall *calls[2];
  gint64 t0;
  double resumed;

  configure (f->a, "mandatory", "['opus', 'pcma']");
  configure (f->b, "mandatory", "['opus', 'pcma']");
  connect_call_full (f->a, f->b, TRUE, &call_a, &call_b);
  t0 = g_get_monotonic_time ();
  calls[0] = call_a;
  calls[1] = call_b;
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (GError) error = NULL;

      ap_test_sleep (700);
      ap_dbus_call_call_hold_sync (calls[i], NULL, &error);
      g_assert_no_error (error);
      g_assert_true (ap_test_call_wait_state (calls[i], "held", CALL_TIMEOUT_MS));
      ap_test_sleep (700);
      ap_dbus_call_call_resume_sync (calls[i], NULL, &error);
      g_assert_no_error (error);
      g_assert_true (ap_test_call_wait_state (calls[i], "connected", CALL_TIMEOUT_MS));
    }
  resumed = (g_get_monotonic_time () - t0) / 1e6;
  g_assert_true (ap_dbus_call_get_encrypted (call_a));
  g_assert_true (ap_dbus_call_get_encrypted (call_b));
  g_assert_true (ap_test_call_wait_media_active (call_a, 5000));
  g_assert_true (ap_test_call_wait_media_active (call_b, 5000));
  ap_test_sleep (2500);
  hang_up (call_a, call_b);
  g_assert_true (log_contains (f->a, "Decrypting with a new key"));
  g_assert_true (log_contains (f->b, "Decrypting with a new key"));
  /* The last 2 s: both tones, after both sides re-keyed. */
  g_test_message ("resumed %.1f s into the call", resumed);
  ap_test_assert_tone (f->wav_b, 440, wav_duration (f->wav_b) - 2.2, -0.2);
  ap_test_assert_tone (f->wav_a, 880, wav_duration (f->wav_a) - 2.2, -0.2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (codec_cases); i++)
    {
      g_autofree char *path = g_strconcat ("/media-calls/codec/", codec_cases[i].codec, NULL);

      g_test_add (path, Fixture, &codec_cases[i], fixture_setup, test_codec, fixture_teardown);
    }
  g_test_add ("/media-calls/codec-priority", Fixture, NULL, fixture_setup, test_codec_priority,
              fixture_teardown);
  g_test_add ("/media-calls/reinvite-codec", Fixture, NULL, fixture_setup, test_reinvite_codec,
              fixture_teardown);
  g_test_add ("/media-calls/srtp/modes", Fixture, NULL, fixture_setup, test_srtp_modes,
              fixture_teardown);
  g_test_add ("/media-calls/srtp/refused", Fixture, NULL, fixture_setup, test_srtp_refused,
              fixture_teardown);
  g_test_add ("/media-calls/srtp/plain-answer", Fixture, NULL, fixture_setup,
              test_srtp_plain_answer, fixture_teardown);
  g_test_add ("/media-calls/srtp/capture", Fixture, NULL, fixture_setup, test_srtp_capture,
              fixture_teardown);
  g_test_add ("/media-calls/srtp/hold-resume", Fixture, NULL, fixture_setup, test_srtp_hold_resume,
              fixture_teardown);
  return g_test_run ();
}
