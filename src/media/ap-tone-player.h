#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/**
 * ApTone:
 * @AP_TONE_RING: the built-in ringtone: 880 Hz, 0.4 s on, 0.2 s off,
 *   0.4 s on, 2 s off
 * @AP_TONE_RINGBACK: the ringback tone (ETSI): 425 Hz, 1 s on, 4 s off
 */
typedef enum {
  AP_TONE_RING,
  AP_TONE_RINGBACK,
} ApTone;

#define AP_TYPE_TONE_PLAYER (ap_tone_player_get_type ())
G_DECLARE_FINAL_TYPE (ApTonePlayer, ap_tone_player, AP, TONE_PLAYER, GObject)

ApTonePlayer *ap_tone_player_new        (void);
gboolean      ap_tone_player_start      (ApTonePlayer  *self,
                                         ApTone         tone,
                                         const char    *file,
                                         GstElement    *sink,
                                         GError       **error);
void          ap_tone_player_stop       (ApTonePlayer  *self);
void          ap_tone_player_stop_now   (ApTonePlayer  *self);
gboolean      ap_tone_player_is_playing (ApTonePlayer  *self);
double        ap_tone_frequency         (ApTone         tone);

G_END_DECLS
