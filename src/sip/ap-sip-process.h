#pragma once

#include <glib.h>

G_BEGIN_DECLS

void ap_sip_process_init (void);

G_END_DECLS
