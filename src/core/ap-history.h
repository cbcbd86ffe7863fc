#pragma once

#include <glib-object.h>

#include "ap-call.h"

G_BEGIN_DECLS

#define AP_HISTORY_DEFAULT_MAX 10000

/* One finished call, as GetHistory shows it. */
typedef struct {
  char *id;          /* unique across runs */
  char *direction;   /* "incoming" | "outgoing" */
  char *peer;
  char *peer_name;
  gint64 start;      /* µs since the epoch: answered, or began if never answered */
  guint duration;    /* seconds connected, 0 if never */
  gboolean answered;
  guint end_code;
  char *end_reason;
  char *recording;   /* path, or "" */
} ApHistoryEntry;

void ap_history_entry_free (ApHistoryEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ApHistoryEntry, ap_history_entry_free)

#define AP_TYPE_HISTORY (ap_history_get_type ())
G_DECLARE_FINAL_TYPE (ApHistory, ap_history, AP, HISTORY, GObject)

ApHistory  *ap_history_new            (const char            *path,
                                       guint                  max_entries);
const char *ap_history_get_path       (ApHistory             *self);
gboolean    ap_history_load           (ApHistory             *self,
                                       GError               **error);
gboolean    ap_history_save           (ApHistory             *self,
                                       GError               **error);
gboolean    ap_history_flush          (ApHistory             *self,
                                       GError               **error);
void        ap_history_append         (ApHistory             *self,
                                       const ApHistoryEntry  *entry);
guint       ap_history_get_n_entries  (ApHistory             *self);
GVariant   *ap_history_dup_entries    (ApHistory             *self,
                                       guint                  limit);
void        ap_history_track_call     (ApHistory             *self,
                                       ApCall                *call);

G_END_DECLS
