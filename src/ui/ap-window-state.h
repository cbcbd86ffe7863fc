#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The window's size and last page, kept in a small key file under the
 * user's config folder (no GSettings schema to install). */
char    *ap_window_state_path    (void);
void     ap_window_state_restore (GtkWindow *window,
                                  GtkStack  *stack);
gboolean ap_window_state_save    (GtkWindow *window,
                                  GtkStack  *stack,
                                  GError   **error);

G_END_DECLS
