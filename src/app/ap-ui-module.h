#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

gboolean      ap_ui_module_wanted           (int      argc,
                                             char   **argv);
GApplication *ap_ui_module_new_application  (GError **error);

G_END_DECLS
