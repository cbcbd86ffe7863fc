#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define AP_WAV_ERROR (ap_wav_error_quark ())

typedef enum {
  AP_WAV_ERROR_INVALID,
  AP_WAV_ERROR_UNSUPPORTED,
} ApWavError;

/**
 * ApWav:
 * @rate: samples per second
 * @channels: 1 or 2
 * @n_frames: samples per channel
 * @samples: @n_frames × @channels interleaved signed 16-bit samples
 *
 * A 16-bit PCM WAV file in memory, for tests that measure audio.
 */
typedef struct {
  guint   rate;
  guint   channels;
  gsize   n_frames;
  gint16 *samples;
} ApWav;

GQuark   ap_wav_error_quark         (void);
gboolean ap_wav_load                (const char   *path,
                                     ApWav       **wav,
                                     GError      **error);
gboolean ap_wav_save                (const ApWav  *wav,
                                     const char   *path,
                                     GError      **error);
double   ap_wav_duration_s          (const ApWav  *wav);
double   ap_wav_rms_dbfs            (const ApWav  *wav,
                                     guint         channel,
                                     double        start_s,
                                     double        end_s);
double   ap_wav_dominant_frequency  (const ApWav  *wav,
                                     guint         channel,
                                     double        start_s,
                                     double        end_s);
double   ap_wav_tone_dbfs           (const ApWav  *wav,
                                     guint         channel,
                                     double        start_s,
                                     double        end_s,
                                     double        frequency);
void     ap_wav_free                (ApWav        *wav);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ApWav, ap_wav_free)

G_END_DECLS
