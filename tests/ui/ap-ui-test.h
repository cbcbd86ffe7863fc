#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

void       ap_ui_test_screenshot   (GtkWidget  *widget,
                                    const char *name);
GtkWidget *ap_ui_test_find         (GtkWidget  *root,
                                    GType       type,
                                    const char *title);
void       ap_ui_test_collect_rows (GtkWidget  *root,
                                    GPtrArray  *rows);

G_END_DECLS
