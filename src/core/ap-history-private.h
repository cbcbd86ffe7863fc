#pragma once

#include "ap-history.h"

G_BEGIN_DECLS

/* Shared by ap-history.c (the list, JSON) and ap-history-save.c (writing it
 * off the main thread). */

typedef struct _ApHistoryDisk ApHistoryDisk;

struct _ApHistory {
  GObject parent_instance;

  char *path; /* NULL: kept in memory only */
  guint max_entries;
  GPtrArray *entries; /* ApHistoryEntry in atomic rc boxes, immutable, oldest first by start */

  /* ap-history-save.c: generations count changes; the file holds one of them. */
  ApHistoryDisk *disk; /* shared with writer threads */
  guint64 generation;  /* bumped by every change */
  guint64 saved;       /* the newest generation known to be on disk */
  guint64 writing;     /* the generation a writer thread is writing, 0: none */
  guint save_source;   /* a write is due */
};

enum { AP_HISTORY_SIGNAL_CHANGED, AP_HISTORY_SIGNAL_WRITTEN, AP_HISTORY_N_SIGNALS };
extern guint ap_history_signals[AP_HISTORY_N_SIGNALS];

/* ap-history.c */
ApHistoryEntry *ap_history_entry_acquire (ApHistoryEntry *entry);
void            ap_history_entry_release (ApHistoryEntry *entry);
char           *ap_history_entries_to_json (GPtrArray *entries);

/* ap-history-save.c */
void ap_history_save_init     (ApHistory *self);
void ap_history_save_changed  (ApHistory *self);
void ap_history_save_loaded   (ApHistory *self);
void ap_history_save_dispose  (ApHistory *self);

G_END_DECLS
