/* test-emodel.c: the simplified G.107 E-model against values worked out by
 * hand from the standard's formulas (R0 - Is = 93.2, Id two-line
 * approximation, Ie,eff with BurstR = 1, MOS of Annex B). */
#include <glib.h>

#include "ap-emodel.h"

#define EPSILON 0.1

static void
test_mos_from_r (void)
{
  /* G.107 Annex B: the end points and the default-values connection. */
  g_assert_cmpfloat_with_epsilon (ap_emodel_r_to_mos (-5.0), 1.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (ap_emodel_r_to_mos (0.0), 1.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (ap_emodel_r_to_mos (100.0), 4.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (ap_emodel_r_to_mos (120.0), 4.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (ap_emodel_r_to_mos (93.2), 4.41, 0.01);
  g_assert_cmpfloat_with_epsilon (ap_emodel_r_to_mos (50.0), 2.58, 0.01);
}

static void
test_known_calls (void)
{
  /* G.711, perfect network, no delay: R 93.2, MOS 4.41. */
  g_assert_cmpfloat_with_epsilon (ap_emodel_r_factor ("pcma", 0.0, 0.0), 93.2, 1e-9);
  g_assert_cmpfloat_with_epsilon (ap_emodel_mos ("pcma", 0.0, 0.0), 4.41, EPSILON);
  /* 100 ms one way: Id 2.4, R 90.8, MOS 4.36. */
  g_assert_cmpfloat_with_epsilon (ap_emodel_r_factor ("pcmu", 0.0, 100.0), 90.8, 1e-9);
  g_assert_cmpfloat_with_epsilon (ap_emodel_mos ("pcmu", 0.0, 100.0), 4.36, EPSILON);
  /* 300 ms: Id 7.2 + 0.11 × 122.7 = 20.7, R 72.5, MOS 3.70. */
  g_assert_cmpfloat_with_epsilon (ap_emodel_r_factor ("pcma", 0.0, 300.0), 72.503, 0.001);
  g_assert_cmpfloat_with_epsilon (ap_emodel_mos ("pcma", 0.0, 300.0), 3.70, EPSILON);
  /* G.711 without concealment (Bpl 4.3), 2 % loss: Ie,eff 30.16, R 63.04,
   * MOS 3.26. */
  g_assert_cmpfloat_with_epsilon (ap_emodel_mos ("pcma", 2.0, 0.0), 3.26, EPSILON);
  /* 10 % loss: Ie,eff 66.4, R 26.8, MOS 1.48. */
  g_assert_cmpfloat_with_epsilon (ap_emodel_mos ("pcmu", 10.0, 0.0), 1.48, EPSILON);
  /* Opus (Bpl 30), 10 % loss, 100 ms: Ie,eff 23.75, R 67.05, MOS 3.46. */
  g_assert_cmpfloat_with_epsilon (ap_emodel_mos ("opus", 10.0, 100.0), 3.46, EPSILON);
  /* Opus on a clean network with our playout delay: above 4. */
  g_assert_cmpfloat (ap_emodel_mos ("opus", 0.0, 110.0), >=, 4.0);
}

static void
test_order (void)
{
  /* More loss or more delay never scores better; Opus stands loss better
   * than G.711; an unknown codec is judged like G.711. */
  for (double loss = 0.0; loss < 30.0; loss += 1.0)
    {
      g_assert_cmpfloat (ap_emodel_mos ("opus", loss + 1.0, 80.0), <=,
                         ap_emodel_mos ("opus", loss, 80.0));
      g_assert_cmpfloat (ap_emodel_mos ("pcma", loss + 1.0, 80.0), <=,
                         ap_emodel_mos ("opus", loss + 1.0, 80.0));
    }
  for (double delay = 0.0; delay < 600.0; delay += 25.0)
    g_assert_cmpfloat (ap_emodel_mos ("g722", 1.0, delay + 25.0), <=,
                       ap_emodel_mos ("g722", 1.0, delay));
  g_assert_cmpfloat_with_epsilon (ap_emodel_mos ("speex", 3.0, 50.0),
                                  ap_emodel_mos ("pcma", 3.0, 50.0), 1e-9);
  g_assert_cmpfloat_with_epsilon (ap_emodel_mos (NULL, 3.0, 50.0),
                                  ap_emodel_mos ("PCMA", 3.0, 50.0), 1e-9);
  /* Out-of-range inputs are clamped, never NaN. */
  g_assert_cmpfloat_with_epsilon (ap_emodel_mos ("opus", 150.0, -20.0),
                                  ap_emodel_mos ("opus", 100.0, 0.0), 1e-9);
  g_assert_cmpfloat (ap_emodel_mos ("pcma", 100.0, 5000.0), ==, 1.0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/emodel/mos-from-r", test_mos_from_r);
  g_test_add_func ("/emodel/known-calls", test_known_calls);
  g_test_add_func ("/emodel/order", test_order);
  return g_test_run ();
}
