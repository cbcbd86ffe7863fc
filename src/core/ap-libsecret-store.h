#pragma once

#include "ap-secret-store.h"

G_BEGIN_DECLS

#define AP_TYPE_LIBSECRET_STORE (ap_libsecret_store_get_type ())
G_DECLARE_FINAL_TYPE (ApLibsecretStore, ap_libsecret_store, AP, LIBSECRET_STORE, GObject)

ApSecretStore *ap_libsecret_store_new (guint timeout_ms);

G_END_DECLS
