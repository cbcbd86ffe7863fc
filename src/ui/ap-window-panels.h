#pragma once

#include <gtk/gtk.h>

#include "ap-phone.h"
#include "ap-window.h"

G_BEGIN_DECLS

void ap_window_add_panels (ApWindow *window,
                           GtkStack *stack,
                           ApPhone  *phone);
void ap_panel_toast       (GtkWidget  *panel,
                           const char *text);

G_END_DECLS
