#pragma once

#include "ap-window.h"

G_BEGIN_DECLS

void ap_window_add_panels (ApWindow *window,
                           GtkStack *stack,
                           ApPhone  *phone);

G_END_DECLS
