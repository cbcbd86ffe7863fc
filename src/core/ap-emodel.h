#pragma once

#include <glib.h>

G_BEGIN_DECLS

double ap_emodel_r_factor (const char *codec,
                           double      loss_percent,
                           double      one_way_delay_ms);
double ap_emodel_mos      (const char *codec,
                           double      loss_percent,
                           double      one_way_delay_ms);
double ap_emodel_r_to_mos (double      r);

G_END_DECLS
