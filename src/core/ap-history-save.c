/* ap-history-save.c: writing the call history without stalling the phone.
 *
 * At the cap (10000 entries, ~3 MB of JSON) one write costs ~45 ms, most of it
 * serialising and fsync, and it used to happen on the main thread after every
 * call. Now a change only schedules a write: shortly after, the main thread
 * hands an immutable snapshot (the list's shared entries, a pointer copy) to a
 * worker thread that serialises it and replaces the file atomically. Changes
 * made while a write is due or running are coalesced into the next one, which
 * carries the newest state.
 *
 * Every change bumps a generation. Writes of one file are serialised by a
 * lock and never replace a newer generation with an older one, so a flush
 * (on the main thread, at quit and dispose) and a late worker cannot undo
 * each other. A failed write is logged and tried again at the next change or
 * flush; the entries stay in memory meanwhile. */
#define G_LOG_DOMAIN "Agentphone-core"

#include "ap-history-private.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ap-error.h"

/* Long enough to take several calls ending together (a phone hanging up all
 * its calls at quit) into one write, short enough to be on disk at once. */
#define SAVE_DELAY_MS 50

struct _ApHistoryDisk {
  GMutex lock;
  char *path;
  guint64 written; /* under lock: the generation in the file, 0: unknown */
};

typedef struct {
  ApHistoryDisk *disk; /* a reference */
  GPtrArray *snapshot; /* shared entries, oldest first */
  guint64 generation;
  GWeakRef owner; /* the ApHistory, gone if it was disposed (and flushed) first */
} Job;

static void
disk_clear (ApHistoryDisk *disk)
{
  g_mutex_clear (&disk->lock);
  g_free (disk->path);
}

static void
disk_unref (ApHistoryDisk *disk)
{
  g_atomic_rc_box_release_full (disk, (GDestroyNotify) disk_clear);
}

static void
job_free (Job *job)
{
  disk_unref (job->disk);
  g_ptr_array_unref (job->snapshot);
  g_weak_ref_clear (&job->owner);
  g_free (job);
}

static GPtrArray *
snapshot (ApHistory *self)
{
  GPtrArray *copy
    = g_ptr_array_new_full (self->entries->len, (GDestroyNotify) ap_history_entry_release);

  for (guint i = 0; i < self->entries->len; i++)
    g_ptr_array_add (copy, ap_history_entry_acquire (self->entries->pdata[i]));
  return copy;
}

/* Any thread. Skips a state older than the one already in the file. */
static gboolean
disk_write (ApHistoryDisk *disk, GPtrArray *entries, guint64 generation, GError **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&disk->lock);
  g_autofree char *dir = g_path_get_dirname (disk->path);
  g_autofree char *text = NULL;
  g_autoptr (GError) local_error = NULL;

  if (generation < disk->written)
    return TRUE;
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, AP_ERROR, AP_ERROR_FAILED,
                   _ ("Cannot create the folder %s for the call history: %s"), dir,
                   g_strerror (saved));
      return FALSE;
    }
  text = ap_history_entries_to_json (entries);
  if (!g_file_set_contents_full (disk->path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                 &local_error))
    {
      g_set_error (error, AP_ERROR, AP_ERROR_FAILED, _ ("Cannot save the call history: %s"),
                   local_error->message);
      return FALSE;
    }
  disk->written = generation;
  return TRUE;
}

static void
write_in_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Job *job = data;
  GError *error = NULL;

  if (disk_write (job->disk, job->snapshot, job->generation, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void schedule (ApHistory *self);

static void
on_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr (ApHistory) self = g_weak_ref_get (&job->owner);
  g_autoptr (GError) error = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (result), &error);

  if (self == NULL)
    return; /* disposed: its flush wrote the last state (or said why not) */
  self->writing = 0;
  if (ok)
    self->saved = MAX (self->saved, job->generation);
  else
    g_warning ("%s (will try again after the next call)", error->message);
  /* Changes made meanwhile and not flushed (a failed write waits for one). */
  if (self->generation > job->generation && self->generation > self->saved)
    schedule (self);
  g_signal_emit (self, ap_history_signals[AP_HISTORY_SIGNAL_WRITTEN], 0, ok);
}

static void
start_write (ApHistory *self)
{
  g_autoptr (GTask) task = g_task_new (NULL, NULL, on_written, NULL);
  Job *job = g_new0 (Job, 1);

  job->disk = g_atomic_rc_box_acquire (self->disk);
  job->snapshot = snapshot (self);
  job->generation = self->generation;
  g_weak_ref_init (&job->owner, self);
  self->writing = self->generation;
  g_task_set_source_tag (task, start_write);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, write_in_thread);
}

static gboolean
on_save_due (gpointer user_data)
{
  ApHistory *self = user_data;

  self->save_source = 0;
  start_write (self);
  return G_SOURCE_REMOVE;
}

/* One write at a time: a change during a write is saved when it ends. */
static void
schedule (ApHistory *self)
{
  if (self->disk == NULL || self->save_source != 0 || self->writing != 0)
    return;
  self->save_source = g_timeout_add (SAVE_DELAY_MS, on_save_due, self);
}

void
ap_history_save_init (ApHistory *self)
{
  if (self->path == NULL)
    return;
  self->disk = g_atomic_rc_box_new0 (ApHistoryDisk);
  g_mutex_init (&self->disk->lock);
  self->disk->path = g_strdup (self->path);
}

void
ap_history_save_changed (ApHistory *self)
{
  self->generation++;
  schedule (self);
}

/* What was just read is what the file holds: nothing to write, and a write
 * still running from before must not replace it. */
void
ap_history_save_loaded (ApHistory *self)
{
  g_clear_handle_id (&self->save_source, g_source_remove);
  self->generation++;
  self->saved = self->generation;
  if (self->disk)
    {
      g_mutex_lock (&self->disk->lock);
      self->disk->written = self->generation;
      g_mutex_unlock (&self->disk->lock);
    }
}

void
ap_history_save_dispose (ApHistory *self)
{
  g_autoptr (GError) error = NULL;

  if (self->disk == NULL)
    return;
  if (!ap_history_flush (self, &error))
    g_warning ("%s", error->message);
  g_clear_pointer (&self->disk, disk_unref);
}

/**
 * ap_history_save:
 *
 * Writes the file now, on this thread, atomically and readable by the user
 * only; waits for a write running on a worker thread first.
 */
gboolean
ap_history_save (ApHistory *self, GError **error)
{
  g_autoptr (GPtrArray) entries = NULL;

  g_return_val_if_fail (AP_IS_HISTORY (self), FALSE);

  if (self->disk == NULL)
    return TRUE;
  g_clear_handle_id (&self->save_source, g_source_remove);
  entries = snapshot (self);
  if (!disk_write (self->disk, entries, self->generation, error))
    return FALSE;
  self->saved = self->generation;
  return TRUE;
}

/**
 * ap_history_flush:
 *
 * Makes sure the file holds every entry: writes now if a change is not yet
 * on disk (at quit, and before the history goes away). Blocks for one write
 * at most; a no-op when nothing changed.
 */
gboolean
ap_history_flush (ApHistory *self, GError **error)
{
  g_return_val_if_fail (AP_IS_HISTORY (self), FALSE);

  if (self->disk == NULL || self->generation <= self->saved)
    return TRUE;
  return ap_history_save (self, error);
}
