#pragma once

#include "ap-secret-store.h"

G_BEGIN_DECLS

#define AP_TYPE_MEMORY_SECRET_STORE (ap_memory_secret_store_get_type ())
G_DECLARE_FINAL_TYPE (ApMemorySecretStore, ap_memory_secret_store, AP, MEMORY_SECRET_STORE,
                      GObject)

ApSecretStore *ap_memory_secret_store_new (void);

G_END_DECLS
