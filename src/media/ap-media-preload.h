#pragma once

#include <glib.h>

G_BEGIN_DECLS

void ap_media_preload_start (void);

G_END_DECLS
