/* test-wav.c: the WAV reader and meters that media tests rely on, checked
 * against tones generated here. */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "ap-media-test.h"
#include "ap-wav.h"

typedef struct {
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  fixture->dir = ap_media_test_make_dir ("wav");
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  ap_media_test_remove_dir (fixture->dir);
}

/* A WAV of @seconds with, per channel, a sine of frequencies[c] Hz at
 * amplitudes[c] of full scale (0 Hz: silence). */
static ApWav *
make_tone (guint rate, guint channels, double seconds, const double *frequencies,
           const double *amplitudes)
{
  ApWav *wav = g_new0 (ApWav, 1);

  wav->rate = rate;
  wav->channels = channels;
  wav->n_frames = (gsize) (seconds * rate);
  wav->samples = g_new0 (gint16, wav->n_frames * channels);
  for (gsize i = 0; i < wav->n_frames; i++)
    for (guint c = 0; c < channels; c++)
      wav->samples[i * channels + c]
        = (gint16) lrint (32767.0 * amplitudes[c] * sin (2.0 * G_PI * frequencies[c] * i / rate));
  return wav;
}

static char *
save (Fixture *fixture, const ApWav *wav, const char *name)
{
  g_autoptr (GError) error = NULL;
  char *path = g_build_filename (fixture->dir, name, NULL);

  g_assert_true (ap_wav_save (wav, path, &error));
  g_assert_no_error (error);
  return path;
}

static ApWav *
load (const char *path)
{
  g_autoptr (GError) error = NULL;
  ApWav *wav = NULL;

  g_assert_true (ap_wav_load (path, &wav, &error));
  g_assert_no_error (error);
  g_assert_nonnull (wav);
  return wav;
}

static void
test_mono_tone (Fixture *fixture, gconstpointer data)
{
  const double frequency[] = { 440.0 }, amplitude[] = { 0.5 };
  g_autoptr (ApWav) tone = make_tone (8000, 1, 2.0, frequency, amplitude);
  g_autofree char *path = save (fixture, tone, "mono.wav");
  g_autoptr (ApWav) wav = load (path);

  g_assert_cmpuint (wav->rate, ==, 8000);
  g_assert_cmpuint (wav->channels, ==, 1);
  g_assert_cmpuint (wav->n_frames, ==, 16000);
  g_assert_cmpfloat_with_epsilon (ap_wav_duration_s (wav), 2.0, 1e-9);
  /* A sine at half scale: 20·log10 (0.5 / √2) = −9.03 dBFS. */
  g_assert_cmpfloat_with_epsilon (ap_wav_rms_dbfs (wav, 0, 0, 2), -9.03, 0.05);
  g_assert_cmpfloat_with_epsilon (ap_wav_dominant_frequency (wav, 0, 0, 2), 440.0, 1.0);
  /* A stretch, and one clamped to the file. */
  g_assert_cmpfloat_with_epsilon (ap_wav_dominant_frequency (wav, 0, 0.5, 0.8), 440.0, 1.0);
  g_assert_cmpfloat_with_epsilon (ap_wav_rms_dbfs (wav, 0, 1.5, 10), -9.03, 0.05);
}

static void
test_stereo_tones (Fixture *fixture, gconstpointer data)
{
  const double frequencies[] = { 1000.0, 3150.5 }, amplitudes[] = { 0.9, 0.01 };
  g_autoptr (ApWav) tone = make_tone (48000, 2, 1.0, frequencies, amplitudes);
  g_autofree char *path = save (fixture, tone, "stereo.wav");
  g_autoptr (ApWav) wav = load (path);

  g_assert_cmpuint (wav->rate, ==, 48000);
  g_assert_cmpuint (wav->channels, ==, 2);
  g_assert_cmpfloat_with_epsilon (ap_wav_dominant_frequency (wav, 0, 0, 1), 1000.0, 1.0);
  g_assert_cmpfloat_with_epsilon (ap_wav_dominant_frequency (wav, 1, 0, 1), 3150.5, 1.0);
  g_assert_cmpfloat_with_epsilon (ap_wav_rms_dbfs (wav, 0, 0, 1), -3.92, 0.05);
  g_assert_cmpfloat_with_epsilon (ap_wav_rms_dbfs (wav, 1, 0, 1), -43.01, 0.05);
}

/* Off-grid tones across the whole scan range, at several rates. */
static void
test_frequency_accuracy (Fixture *fixture, gconstpointer data)
{
  const double tests[][2] = {
    { 8000, 101.3 },   { 8000, 447.0 },   { 8000, 1234.5 }, { 8000, 3333.3 },  { 16000, 999.0 },
    { 16000, 2005.0 }, { 16000, 3995.0 }, { 44100, 555.5 }, { 48000, 1000.0 }, { 48000, 3499.9 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (tests); i++)
    {
      const double amplitude[] = { 0.3 };
      g_autoptr (ApWav) tone = make_tone ((guint) tests[i][0], 1, 0.5, &tests[i][1], amplitude);
      double measured = ap_wav_dominant_frequency (tone, 0, 0, 0.5);

      g_test_message ("%.0f Hz rate: %.1f Hz tone measured as %.2f Hz", tests[i][0], tests[i][1],
                      measured);
      g_assert_cmpfloat_with_epsilon (measured, tests[i][1], 1.0);
    }
}

/* The louder of two tones wins, whatever the quieter one does. */
static void
test_two_tones (Fixture *fixture, gconstpointer data)
{
  ApWav *wav = g_new0 (ApWav, 1);
  g_autoptr (ApWav) owned = wav;

  wav->rate = 16000;
  wav->channels = 1;
  wav->n_frames = 16000;
  wav->samples = g_new0 (gint16, wav->n_frames);
  for (gsize i = 0; i < wav->n_frames; i++)
    wav->samples[i] = (gint16) lrint (8000.0 * sin (2.0 * G_PI * 440.0 * i / 16000)
                                      + 2000.0 * sin (2.0 * G_PI * 1000.0 * i / 16000));
  g_assert_cmpfloat_with_epsilon (ap_wav_dominant_frequency (wav, 0, 0, 1), 440.0, 1.0);
}

static void
test_silence (Fixture *fixture, gconstpointer data)
{
  const double frequencies[] = { 0.0 }, amplitudes[] = { 0.0 };
  g_autoptr (ApWav) wav = make_tone (8000, 1, 1.0, frequencies, amplitudes);

  g_assert_true (isinf (ap_wav_rms_dbfs (wav, 0, 0, 1)));
  g_assert_cmpfloat (ap_wav_rms_dbfs (wav, 0, 0, 1), <, -200);
  g_assert_cmpfloat (ap_wav_dominant_frequency (wav, 0, 0, 1), ==, 0.0);
  /* Empty stretches. */
  g_assert_true (isinf (ap_wav_rms_dbfs (wav, 0, 0.5, 0.5)));
  g_assert_cmpfloat (ap_wav_dominant_frequency (wav, 0, 2, 3), ==, 0.0);
}

static char *
write_bytes (Fixture *fixture, const char *name, const guint8 *bytes, gsize length)
{
  g_autoptr (GError) error = NULL;
  char *path = g_build_filename (fixture->dir, name, NULL);

  g_assert_true (g_file_set_contents (path, (const char *) bytes, (gssize) length, &error));
  g_assert_no_error (error);
  return path;
}

static void
set_u32 (guint8 *p, guint32 value)
{
  p[0] = value & 0xff;
  p[1] = (value >> 8) & 0xff;
  p[2] = (value >> 16) & 0xff;
  p[3] = (value >> 24) & 0xff;
}

static void
assert_refused (Fixture *fixture, const char *name, const guint8 *bytes, gsize length, int code)
{
  g_autofree char *path = write_bytes (fixture, name, bytes, length);
  g_autoptr (GError) error = NULL;
  ApWav *wav = NULL;

  g_assert_false (ap_wav_load (path, &wav, &error));
  g_assert_null (wav);
  g_assert_error (error, AP_WAV_ERROR, code);
  g_test_message ("%s: %s", name, error->message);
}

/* Broken headers, starting from a good file. */
static void
test_invalid (Fixture *fixture, gconstpointer data)
{
  const double frequency[] = { 440.0 }, amplitude[] = { 0.5 };
  g_autoptr (ApWav) tone = make_tone (8000, 1, 0.1, frequency, amplitude);
  g_autofree char *path = save (fixture, tone, "good.wav");
  g_autofree guint8 *good = NULL;
  g_autofree guint8 *bad = NULL;
  gsize length;
  g_autoptr (GError) error = NULL;
  ApWav *wav = NULL;

  g_assert_true (g_file_get_contents (path, (char **) &good, &length, NULL));
  g_assert_cmpuint (length, ==, 44 + 1600);
  bad = g_memdup2 (good, length);

  /* What a writer leaves when it never finishes: a placeholder size. */
  set_u32 (bad + 4, 0x7fff0000);
  set_u32 (bad + 40, 0x7fff0000 - 36);
  assert_refused (fixture, "unfinished.wav", bad, length, AP_WAV_ERROR_INVALID);
  memcpy (bad, good, length);
  set_u32 (bad + 40, 0);
  set_u32 (bad + 4, 36);
  assert_refused (fixture, "size-zero-but-data.wav", bad, length, AP_WAV_ERROR_INVALID);
  /* Cut short. */
  assert_refused (fixture, "truncated.wav", good, length - 100, AP_WAV_ERROR_INVALID);
  assert_refused (fixture, "header-only.wav", good, 20, AP_WAV_ERROR_INVALID);
  assert_refused (fixture, "empty.wav", good, 0, AP_WAV_ERROR_INVALID);
  /* Not RIFF/WAVE. */
  memcpy (bad, good, length);
  memcpy (bad + 8, "AVI ", 4);
  assert_refused (fixture, "avi.wav", bad, length, AP_WAV_ERROR_INVALID);
  /* Data chunk size past the end (RIFF size right). */
  memcpy (bad, good, length);
  set_u32 (bad + 40, 1602);
  assert_refused (fixture, "data-too-long.wav", bad, length, AP_WAV_ERROR_INVALID);
  /* Odd data size: half a sample. */
  memcpy (bad, good, length);
  set_u32 (bad + 40, 1599);
  set_u32 (bad + 4, 36 + 1599 + 1);
  assert_refused (fixture, "half-sample.wav", bad, length, AP_WAV_ERROR_INVALID);
  /* Inconsistent fmt: byte rate. */
  memcpy (bad, good, length);
  set_u32 (bad + 28, 12345);
  assert_refused (fixture, "byte-rate.wav", bad, length, AP_WAV_ERROR_INVALID);
  /* 8-bit, or not PCM: supported files only. */
  memcpy (bad, good, length);
  bad[34] = 8;
  assert_refused (fixture, "8-bit.wav", bad, length, AP_WAV_ERROR_UNSUPPORTED);
  memcpy (bad, good, length);
  bad[20] = 3;
  assert_refused (fixture, "float.wav", bad, length, AP_WAV_ERROR_UNSUPPORTED);
  /* Data before fmt. */
  memcpy (bad, good, 12);
  memcpy (bad + 12, good + 36, 8 + 1600);
  memcpy (bad + 12 + 8 + 1600, good + 12, 24);
  assert_refused (fixture, "data-first.wav", bad, length, AP_WAV_ERROR_INVALID);

  /* A missing file is a file error. */
  g_assert_false (ap_wav_load ("/nonexistent/nothing.wav", &wav, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_null (wav);
}

/* Other chunks (odd-sized, padded) around the data are fine. */
static void
test_extra_chunks (Fixture *fixture, gconstpointer data)
{
  const double frequency[] = { 1000.0 }, amplitude[] = { 0.25 };
  g_autoptr (ApWav) tone = make_tone (16000, 1, 0.5, frequency, amplitude);
  g_autofree char *path = save (fixture, tone, "plain.wav");
  g_autofree guint8 *plain = NULL;
  g_autofree guint8 *rich = NULL;
  g_autofree char *rich_path = NULL;
  g_autoptr (ApWav) wav = NULL;
  const guint8 info[] = { 'L', 'I', 'S', 'T', 5, 0, 0, 0, 'a', 'b', 'c', 'd', 'e', 0 };
  gsize length, rich_length;

  g_assert_true (g_file_get_contents (path, (char **) &plain, &length, NULL));
  rich_length = length + 2 * sizeof info;
  rich = g_malloc (rich_length);
  /* RIFF header and fmt, LIST, data, LIST. */
  memcpy (rich, plain, 36);
  memcpy (rich + 36, info, sizeof info);
  memcpy (rich + 36 + sizeof info, plain + 36, length - 36);
  memcpy (rich + length + sizeof info, info, sizeof info);
  set_u32 (rich + 4, (guint32) (rich_length - 8));
  rich_path = write_bytes (fixture, "rich.wav", rich, rich_length);

  wav = load (rich_path);
  g_assert_cmpuint (wav->n_frames, ==, 8000);
  g_assert_cmpfloat_with_epsilon (ap_wav_dominant_frequency (wav, 0, 0, 0.5), 1000.0, 1.0);
  g_assert_cmpfloat_with_epsilon (ap_wav_rms_dbfs (wav, 0, 0, 0.5), -15.05, 0.05);

  /* The same without the last padding byte. */
  set_u32 (rich + 4, (guint32) (rich_length - 9));
  assert_refused (fixture, "unpadded.wav", rich, rich_length - 1, AP_WAV_ERROR_INVALID);
}

/* A tone's own component is its whole level; a neighbour's is far below. */
static void
test_tone_level (Fixture *fixture, gconstpointer data)
{
  const double frequency[] = { 425.0 }, amplitude[] = { 0.5 };
  g_autoptr (ApWav) wav = make_tone (8000, 1, 2.0, frequency, amplitude);
  double rms = ap_wav_rms_dbfs (wav, 0, 0.2, 1.8);
  double at = ap_wav_tone_dbfs (wav, 0, 0.2, 1.8, 425.0);
  double beside = ap_wav_tone_dbfs (wav, 0, 0.2, 1.8, 700.0);

  g_test_message ("rms %.2f, at 425 Hz %.2f, at 700 Hz %.2f dBFS", rms, at, beside);
  g_assert_cmpfloat_with_epsilon (at, rms, 0.5);
  g_assert_cmpfloat (beside, <, rms - 40.0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func)                                                                            \
  g_test_add ("/wav/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("mono-tone", test_mono_tone);
  ADD ("stereo-tones", test_stereo_tones);
  ADD ("frequency-accuracy", test_frequency_accuracy);
  ADD ("two-tones", test_two_tones);
  ADD ("tone-level", test_tone_level);
  ADD ("silence", test_silence);
  ADD ("invalid", test_invalid);
  ADD ("extra-chunks", test_extra_chunks);
#undef ADD
  return g_test_run ();
}
