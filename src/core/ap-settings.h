#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define AP_TYPE_SETTINGS (ap_settings_get_type ())
G_DECLARE_FINAL_TYPE (ApSettings, ap_settings, AP, SETTINGS, GObject)

ApSettings  *ap_settings_new             (const char  *path);
const char  *ap_settings_get_path        (ApSettings  *self);
gboolean     ap_settings_load            (ApSettings  *self,
                                          GError     **error);
gboolean     ap_settings_save            (ApSettings  *self,
                                          GError     **error);
gboolean     ap_settings_merge           (ApSettings  *self,
                                          GVariant    *settings,
                                          GError     **error);
GVariant    *ap_settings_to_variant      (ApSettings  *self);
GVariant    *ap_settings_get_value       (ApSettings  *self,
                                          const char  *key);
const char  *ap_settings_get_string      (ApSettings  *self,
                                          const char  *key);
guint        ap_settings_get_uint        (ApSettings  *self,
                                          const char  *key);
gboolean     ap_settings_get_boolean     (ApSettings  *self,
                                          const char  *key);
GStrv        ap_settings_get_strv        (ApSettings  *self,
                                          const char  *key);
const char  *ap_settings_get_account_uri (ApSettings  *self);
const char  *ap_settings_get_auth_user   (ApSettings  *self);
gboolean     ap_settings_set_account     (ApSettings  *self,
                                          const char  *uri,
                                          const char  *auth_user,
                                          GError     **error);
gboolean     ap_settings_is_known_key    (const char  *key);
gboolean     ap_settings_check           (const char  *key,
                                          GVariant    *value,
                                          GError     **error);

G_END_DECLS
