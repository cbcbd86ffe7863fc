#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define AP_TYPE_SIDEBAR (ap_sidebar_get_type ())
G_DECLARE_FINAL_TYPE (ApSidebar, ap_sidebar, AP, SIDEBAR, GtkWidget)

GtkWidget *ap_sidebar_new       (void);
void       ap_sidebar_set_stack (ApSidebar  *self,
                                 GtkStack   *stack);
GtkStack  *ap_sidebar_get_stack (ApSidebar  *self);
void       ap_sidebar_set_badge (ApSidebar  *self,
                                 const char *page,
                                 guint       count,
                                 const char *description);
guint      ap_sidebar_get_badge (ApSidebar  *self,
                                 const char *page);

G_END_DECLS
