/* ap-sip-library.h: process-wide care of the sofia-sip library. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void ap_sip_library_prepare (void);

G_END_DECLS
