#pragma once

#include <adwaita.h>

#include "ap-phone.h"

G_BEGIN_DECLS

guint ap_window_quit_count_calls (ApPhone   *phone);
void  ap_window_quit_guard       (GtkWindow *window,
                                  ApPhone   *phone);

G_END_DECLS
