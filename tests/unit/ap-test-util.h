#pragma once

#include <glib.h>

#include "ap-settings.h"

G_BEGIN_DECLS

/* Helpers shared by the unit tests: every wait is bounded. */
typedef gboolean (*ApTestPredicate) (gpointer data);

gboolean  ap_test_run_until   (ApTestPredicate  predicate,
                               gpointer         data,
                               guint            timeout_ms);
void      ap_test_run_for     (guint            ms);
char     *ap_test_make_dir    (void);
void      ap_test_remove_dir  (const char      *dir);
char     *ap_test_read_file   (const char      *path);
void      ap_test_block_dir   (const char      *dir);
void      ap_test_merge       (ApSettings      *settings,
                               const char      *text);

G_END_DECLS
