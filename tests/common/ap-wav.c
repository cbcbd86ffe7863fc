/* ap-wav.c: just enough WAV for media tests: load 16-bit PCM strictly (a
 * file whose writer never finished must fail), measure level and pitch. */
#include "ap-wav.h"

#include <math.h>
#include <string.h>

#define SEGMENT_S 0.1
#define SCAN_LOW_HZ 100.0
#define SCAN_HIGH_HZ 4000.0
#define SCAN_STEP_HZ 10.0
#define REFINE_STEP_HZ 1.0

G_DEFINE_QUARK (ap - wav - error - quark, ap_wav_error)

static guint32
read_u32 (const guint8 *p)
{
  return (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
}

static guint16
read_u16 (const guint8 *p)
{
  return (guint16) (p[0] | p[1] << 8);
}

static void
put_u32 (guint8 *p, guint32 value)
{
  p[0] = value & 0xff;
  p[1] = (value >> 8) & 0xff;
  p[2] = (value >> 16) & 0xff;
  p[3] = (value >> 24) & 0xff;
}

static void
put_u16 (guint8 *p, guint16 value)
{
  p[0] = value & 0xff;
  p[1] = (value >> 8) & 0xff;
}

static gboolean
invalid (GError **error, const char *path, const char *why)
{
  g_set_error (error, AP_WAV_ERROR, AP_WAV_ERROR_INVALID, "%s is not a complete WAV file: %s", path,
               why);
  return FALSE;
}

static gboolean
parse_fmt (const guint8 *chunk, guint32 size, const char *path, guint *rate, guint *channels,
           GError **error)
{
  guint16 format, bits, block_align;
  guint32 byte_rate;

  if (size < 16)
    return invalid (error, path, "the fmt chunk is too short");
  format = read_u16 (chunk);
  *channels = read_u16 (chunk + 2);
  *rate = read_u32 (chunk + 4);
  byte_rate = read_u32 (chunk + 8);
  block_align = read_u16 (chunk + 12);
  bits = read_u16 (chunk + 14);

  /* WAVE_FORMAT_EXTENSIBLE: the real format is the sub-format GUID's first
   * two bytes. */
  if (format == 0xfffe && size >= 40)
    format = read_u16 (chunk + 24);
  if (format != 1 || bits != 16)
    {
      g_set_error (error, AP_WAV_ERROR, AP_WAV_ERROR_UNSUPPORTED,
                   "%s is not 16-bit PCM (format %u, %u bits)", path, format, bits);
      return FALSE;
    }
  if (*channels < 1 || *channels > 2)
    {
      g_set_error (error, AP_WAV_ERROR, AP_WAV_ERROR_UNSUPPORTED,
                   "%s has %u channels; only mono and stereo are supported", path, *channels);
      return FALSE;
    }
  if (*rate == 0 || block_align != *channels * 2 || byte_rate != *rate * block_align)
    return invalid (error, path, "the fmt chunk is inconsistent");
  return TRUE;
}

/**
 * ap_wav_load:
 * @path: a WAV file
 * @wav: (out): the audio
 *
 * Loads a 16-bit PCM WAV, mono or stereo, any rate. The RIFF size must match
 * the file, every chunk must fit, and there must be exactly one fmt chunk
 * before exactly one data chunk: a file still being written (or abandoned by
 * its writer) does not load.
 */
gboolean
ap_wav_load (const char *path, ApWav **wav, GError **error)
{
  g_autofree guint8 *contents = NULL;
  gsize length;
  gsize offset = 12;
  gboolean have_fmt = FALSE;
  const guint8 *data = NULL;
  guint32 data_size = 0;
  guint rate = 0, channels = 0;
  ApWav *result;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (wav != NULL, FALSE);

  if (!g_file_get_contents (path, (char **) &contents, &length, error))
    return FALSE;
  if (length < 12 || memcmp (contents, "RIFF", 4) != 0 || memcmp (contents + 8, "WAVE", 4) != 0)
    return invalid (error, path, "no RIFF/WAVE header");
  if ((gsize) read_u32 (contents + 4) + 8 != length)
    return invalid (error, path, "the RIFF size does not match the file size");

  while (offset < length)
    {
      const guint8 *chunk = contents + offset;
      guint32 size;

      if (length - offset < 8)
        return invalid (error, path, "a chunk header is cut off");
      size = read_u32 (chunk + 4);
      if (size > length - offset - 8)
        return invalid (error, path, "a chunk runs past the end of the file");

      if (memcmp (chunk, "fmt ", 4) == 0)
        {
          if (have_fmt)
            return invalid (error, path, "more than one fmt chunk");
          if (!parse_fmt (chunk + 8, size, path, &rate, &channels, error))
            return FALSE;
          have_fmt = TRUE;
        }
      else if (memcmp (chunk, "data", 4) == 0)
        {
          if (!have_fmt)
            return invalid (error, path, "the data chunk comes before the fmt chunk");
          if (data != NULL)
            return invalid (error, path, "more than one data chunk");
          if (size % (channels * 2) != 0)
            return invalid (error, path, "the data chunk ends inside a sample");
          data = chunk + 8;
          data_size = size;
        }
      /* Chunks are padded to an even size. */
      offset += 8 + (gsize) size + (size & 1);
    }
  if (offset != length)
    return invalid (error, path, "the last chunk is missing its padding byte");
  if (data == NULL)
    return invalid (error, path, "no data chunk");

  result = g_new0 (ApWav, 1);
  result->rate = rate;
  result->channels = channels;
  result->n_frames = data_size / (channels * 2);
  result->samples = g_new (gint16, (gsize) data_size / 2 + 1);
  for (gsize i = 0; i < data_size / 2; i++)
    result->samples[i] = (gint16) read_u16 (data + 2 * i);
  *wav = result;
  return TRUE;
}

/**
 * ap_wav_save:
 *
 * Writes @wav as a canonical 44-byte-header PCM WAV file.
 */
gboolean
ap_wav_save (const ApWav *wav, const char *path, GError **error)
{
  gsize data_size = wav->n_frames * wav->channels * 2;
  g_autofree guint8 *contents = g_malloc (44 + data_size);
  guint8 *p = contents;

  g_return_val_if_fail (wav->channels == 1 || wav->channels == 2, FALSE);
  g_return_val_if_fail (data_size <= G_MAXUINT32 - 36, FALSE);

  memcpy (p, "RIFF", 4);
  put_u32 (p + 4, (guint32) (36 + data_size));
  memcpy (p + 8, "WAVEfmt ", 8);
  put_u32 (p + 16, 16);
  put_u16 (p + 20, 1);
  put_u16 (p + 22, (guint16) wav->channels);
  put_u32 (p + 24, wav->rate);
  put_u32 (p + 28, wav->rate * wav->channels * 2);
  put_u16 (p + 32, (guint16) (wav->channels * 2));
  put_u16 (p + 34, 16);
  memcpy (p + 36, "data", 4);
  put_u32 (p + 40, (guint32) data_size);
  for (gsize i = 0; i < wav->n_frames * wav->channels; i++)
    put_u16 (p + 44 + 2 * i, (guint16) wav->samples[i]);
  return g_file_set_contents (path, (const char *) contents, (gssize) (44 + data_size), error);
}

/**
 * ap_wav_duration_s:
 *
 * Returns: the length of @wav in seconds
 */
double
ap_wav_duration_s (const ApWav *wav)
{
  g_return_val_if_fail (wav != NULL, 0.0);
  return (double) wav->n_frames / wav->rate;
}

/* The frames [*first, *first + *count) that [start_s, end_s) covers. */
static void
frame_range (const ApWav *wav, double start_s, double end_s, gsize *first, gsize *count)
{
  double duration = ap_wav_duration_s (wav);
  gsize end;

  start_s = CLAMP (start_s, 0.0, duration);
  end_s = CLAMP (end_s, start_s, duration);
  *first = (gsize) (start_s * wav->rate);
  end = MIN ((gsize) (end_s * wav->rate), wav->n_frames);
  *count = end > *first ? end - *first : 0;
}

/**
 * ap_wav_rms_dbfs:
 * @channel: 0 (left or mono) or 1
 * @start_s: where to start, in seconds
 * @end_s: where to stop, in seconds (clamped to the file)
 *
 * Returns: the RMS level of that stretch in dB relative to full scale (a
 * full-scale square wave is 0 dBFS, a full-scale sine −3 dBFS); -INFINITY
 * for digital silence or an empty stretch.
 */
double
ap_wav_rms_dbfs (const ApWav *wav, guint channel, double start_s, double end_s)
{
  gsize first, count;
  double sum = 0.0;

  g_return_val_if_fail (wav != NULL, -INFINITY);
  g_return_val_if_fail (channel < wav->channels, -INFINITY);

  frame_range (wav, start_s, end_s, &first, &count);
  if (count == 0)
    return -INFINITY;
  for (gsize i = first; i < first + count; i++)
    {
      double sample = wav->samples[i * wav->channels + channel] / 32768.0;

      sum += sample * sample;
    }
  if (sum == 0.0)
    return -INFINITY;
  return 10.0 * log10 (sum / (double) count);
}

/* Goertzel: the power of one frequency in one (windowed) segment. */
static double
goertzel (const double *x, gsize n, double frequency, guint rate)
{
  double coefficient = 2.0 * cos (2.0 * G_PI * frequency / rate);
  double s1 = 0.0, s2 = 0.0;

  for (gsize i = 0; i < n; i++)
    {
      double s0 = x[i] + coefficient * s1 - s2;

      s2 = s1;
      s1 = s0;
    }
  return s1 * s1 + s2 * s2 - coefficient * s1 * s2;
}

/* Power of @frequency summed over the segments (Welch style: robust to the
 * phase jumps of concealed or lost packets). */
static double
averaged_power (const double *x, gsize n_segments, gsize segment, double frequency, guint rate)
{
  double total = 0.0;

  for (gsize s = 0; s < n_segments; s++)
    total += goertzel (x + s * segment, segment, frequency, rate);
  return total;
}

/* Refines a peak sampled at f - step, f, f + step with a parabola through
 * the log powers. */
static double
interpolate_peak (double frequency, double step, double below, double at, double above)
{
  double a = log (below + 1e-30), b = log (at + 1e-30), c = log (above + 1e-30);
  double denominator = a - 2.0 * b + c;

  if (denominator >= 0.0)
    return frequency;
  return frequency + step * 0.5 * (a - c) / denominator;
}

/**
 * ap_wav_tone_dbfs:
 *
 * The level of the component at @frequency in a stretch of one channel, as
 * the RMS level in dBFS a pure tone of that frequency would have (Goertzel
 * over Hann-windowed 100 ms segments, coherent gain corrected). Beside
 * ap_wav_rms_dbfs() it tells a pure tone (the two agree) from speech or
 * noise that merely has some energy there.
 *
 * Returns: the level, or -INFINITY for an empty or silent stretch
 */
double
ap_wav_tone_dbfs (const ApWav *wav, guint channel, double start_s, double end_s, double frequency)
{
  g_autofree double *x = NULL;
  gsize first, count, segment, n_segments;
  double power, amplitude;

  g_return_val_if_fail (wav != NULL, -INFINITY);
  g_return_val_if_fail (channel < wav->channels, -INFINITY);

  frame_range (wav, start_s, end_s, &first, &count);
  segment = MIN (count, (gsize) (SEGMENT_S * wav->rate));
  if (segment < 16)
    return -INFINITY;
  n_segments = count / segment;
  x = g_new (double, n_segments *segment);
  for (gsize s = 0; s < n_segments; s++)
    for (gsize i = 0; i < segment; i++)
      {
        double hann = 0.5 - 0.5 * cos (2.0 * G_PI * i / (segment - 1));

        x[s * segment + i]
          = hann * wav->samples[(first + s * segment + i) * wav->channels + channel];
      }
  power = averaged_power (x, n_segments, segment, frequency, wav->rate) / n_segments;
  if (power <= 0.0)
    return -INFINITY;
  /* A sine of amplitude A gives |X| = A N / 4 through a Hann window. */
  amplitude = 4.0 * sqrt (power) / segment / 32768.0;
  return 20.0 * log10 (amplitude / G_SQRT2);
}

/**
 * ap_wav_dominant_frequency:
 *
 * Finds the strongest frequency between 100 and 4000 Hz in a stretch of one
 * channel: a 10 Hz Goertzel scan over Hann-windowed 100 ms segments, then a
 * 1 Hz scan around the peak and parabolic interpolation. A pure tone comes
 * out within about 1 Hz.
 *
 * Returns: the frequency in Hz, or 0 for an empty or silent stretch
 */
double
ap_wav_dominant_frequency (const ApWav *wav, guint channel, double start_s, double end_s)
{
  g_autofree double *x = NULL;
  gsize first, count, segment, n_segments;
  double best_frequency = 0.0, best_power = 0.0;
  double low, high;

  g_return_val_if_fail (wav != NULL, 0.0);
  g_return_val_if_fail (channel < wav->channels, 0.0);

  frame_range (wav, start_s, end_s, &first, &count);
  segment = MIN (count, (gsize) (SEGMENT_S * wav->rate));
  if (segment < 16)
    return 0.0;
  n_segments = count / segment;
  x = g_new (double, n_segments *segment);
  for (gsize s = 0; s < n_segments; s++)
    for (gsize i = 0; i < segment; i++)
      {
        double hann = 0.5 - 0.5 * cos (2.0 * G_PI * i / (segment - 1));
        gsize frame = first + s * segment + i;

        x[s * segment + i] = hann * wav->samples[frame * wav->channels + channel];
      }

  high = MIN (SCAN_HIGH_HZ, wav->rate / 2.0 - SCAN_STEP_HZ);
  for (double f = SCAN_LOW_HZ; f <= high; f += SCAN_STEP_HZ)
    {
      double power = averaged_power (x, n_segments, segment, f, wav->rate);

      if (power > best_power)
        {
          best_power = power;
          best_frequency = f;
        }
    }
  if (best_power <= 0.0)
    return 0.0;

  low = best_frequency - SCAN_STEP_HZ;
  high = best_frequency + SCAN_STEP_HZ;
  best_power = 0.0;
  for (double f = low; f <= high + 1e-9; f += REFINE_STEP_HZ)
    {
      double power = averaged_power (x, n_segments, segment, f, wav->rate);

      if (power > best_power)
        {
          best_power = power;
          best_frequency = f;
        }
    }
  return interpolate_peak (
    best_frequency, REFINE_STEP_HZ,
    averaged_power (x, n_segments, segment, best_frequency - REFINE_STEP_HZ, wav->rate), best_power,
    averaged_power (x, n_segments, segment, best_frequency + REFINE_STEP_HZ, wav->rate));
}

/**
 * ap_wav_free:
 */
void
ap_wav_free (ApWav *wav)
{
  if (wav == NULL)
    return;
  g_free (wav->samples);
  g_free (wav);
}
