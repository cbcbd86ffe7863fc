#pragma once

#include <gio/gio.h>

#include "ap-phone.h"

G_BEGIN_DECLS

#define AP_TYPE_RUNTIME (ap_runtime_get_type ())
G_DECLARE_FINAL_TYPE (ApRuntime, ap_runtime, AP, RUNTIME, GObject)

ApRuntime *ap_runtime_new                  (GApplication     *application);
void       ap_runtime_add_options          (GApplication     *application);
int        ap_runtime_handle_local_options (ApRuntime        *self,
                                            GVariantDict     *options);
gboolean   ap_runtime_dbus_register        (ApRuntime        *self,
                                            GDBusConnection  *connection,
                                            GError          **error);
void       ap_runtime_dbus_unregister      (ApRuntime        *self);
void       ap_runtime_startup              (ApRuntime        *self);
void       ap_runtime_hold                 (ApRuntime        *self);
void       ap_runtime_open                 (ApRuntime        *self,
                                            GFile           **files,
                                            int               n_files);
void       ap_runtime_shutdown             (ApRuntime        *self);
ApPhone   *ap_runtime_get_phone            (ApRuntime        *self);

G_END_DECLS
