#pragma once

/* ap-media-test.h: what the media tests share: bounded main-loop runs,
 * a scratch folder for recordings, and the parameters an SDP answer would
 * give for each codec. */

#include <glib.h>

#include "ap-media-params.h"

G_BEGIN_DECLS

typedef gboolean (*ApMediaTestPredicate) (gpointer data);

gboolean       ap_media_test_run_until  (ApMediaTestPredicate  predicate,
                                         gpointer              data,
                                         guint                 timeout_ms);
void           ap_media_test_run_for    (guint                 ms);
char          *ap_media_test_make_dir   (const char           *name);
void           ap_media_test_remove_dir (char                 *dir);
ApMediaParams *ap_media_test_params     (const char           *codec,
                                         const char           *address,
                                         guint                 port,
                                         ApMediaDirection      direction);

G_END_DECLS
