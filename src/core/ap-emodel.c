/* ap-emodel.c: the ITU-T G.107 E-model, simplified as VoIP monitors do:
 * default values for everything but the codec (Ie, Bpl from G.113),
 * random packet loss (BurstR = 1) and the one-way delay, turned into a
 * mean opinion score (MOS-CQE). Pure functions, no state. */
#include "ap-emodel.h"

/* R0 - Is with G.107's default values; A (advantage) is 0. */
#define R_DEFAULT 93.2

typedef struct {
  const char *name;
  double ie;  /* equipment impairment, no loss */
  double bpl; /* robustness against packet loss */
} CodecImpairment;

/* G.711 and G.722: G.113 Appendix I without packet loss concealment (we
 * fill lost packets with silence, we do not conceal them). Opus has no
 * G.113 entry: a 32 kbit/s voice stream is transparent on the narrowband
 * scale (Ie 0), and PLC plus in-band FEC make it far more robust than
 * G.711 with concealment (Bpl 25.1); 30 is an estimate. */
static const CodecImpairment codecs[] = {
  { "pcma", 0.0, 4.3 },
  { "pcmu", 0.0, 4.3 },
  { "g722", 0.0, 4.3 },
  { "opus", 0.0, 30.0 },
};

static const CodecImpairment *
lookup (const char *codec)
{
  for (gsize i = 0; codec != NULL && i < G_N_ELEMENTS (codecs); i++)
    if (g_ascii_strcasecmp (codec, codecs[i].name) == 0)
      return &codecs[i];
  /* An unknown codec is judged like G.711 without concealment: the
   * pessimistic choice. */
  return &codecs[0];
}

/* Delay impairment Id for a one-way (mouth-to-ear) delay, in the usual
 * two-line approximation of G.107's curve (Cole and Rosenbluth). */
static double
delay_impairment (double delay_ms)
{
  double id = 0.024 * delay_ms;

  if (delay_ms > 177.3)
    id += 0.11 * (delay_ms - 177.3);
  return id;
}

/**
 * ap_emodel_r_factor:
 * @codec: (nullable): `opus`, `g722`, `pcma` or `pcmu`
 * @loss_percent: packets lost, 0 … 100
 * @one_way_delay_ms: mouth-to-ear delay
 *
 * Returns: the transmission rating R, 0 … 93.2
 */
double
ap_emodel_r_factor (const char *codec, double loss_percent, double one_way_delay_ms)
{
  const CodecImpairment *impairment = lookup (codec);
  double ppl = CLAMP (loss_percent, 0.0, 100.0);
  double delay = MAX (one_way_delay_ms, 0.0);
  double ie_eff = impairment->ie + (95.0 - impairment->ie) * ppl / (ppl + impairment->bpl);

  return CLAMP (R_DEFAULT - delay_impairment (delay) - ie_eff, 0.0, 100.0);
}

/**
 * ap_emodel_r_to_mos:
 * @r: a transmission rating
 *
 * Returns: the MOS of G.107 Annex B, 1 … 4.5
 */
double
ap_emodel_r_to_mos (double r)
{
  if (r <= 0.0)
    return 1.0;
  if (r >= 100.0)
    return 4.5;
  return 1.0 + 0.035 * r + r * (r - 60.0) * (100.0 - r) * 7e-6;
}

/**
 * ap_emodel_mos:
 *
 * Returns: the estimated MOS of a call with @codec, @loss_percent random
 * loss and @one_way_delay_ms delay: 4.4 at best, below 3.6 people notice,
 * below 3.1 many are dissatisfied.
 */
double
ap_emodel_mos (const char *codec, double loss_percent, double one_way_delay_ms)
{
  return ap_emodel_r_to_mos (ap_emodel_r_factor (codec, loss_percent, one_way_delay_ms));
}
