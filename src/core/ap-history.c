/* ap-history.c: the calls this phone had, newest first, kept across runs.
 *
 * Versioned JSON under XDG, rewritten atomically after calls end, off the
 * main thread (ap-history-save.c): a crash never leaves half a file. A file
 * we cannot parse is set aside, never overwritten. */
#define G_LOG_DOMAIN "Agentphone-core"

#include "ap-history-private.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ap-error.h"

#define HISTORY_VERSION 1

guint ap_history_signals[AP_HISTORY_N_SIGNALS];

G_DEFINE_FINAL_TYPE (ApHistory, ap_history, G_TYPE_OBJECT)

static void
entry_clear_strings (ApHistoryEntry *entry)
{
  g_free (entry->id);
  g_free (entry->direction);
  g_free (entry->peer);
  g_free (entry->peer_name);
  g_free (entry->end_reason);
  g_free (entry->recording);
}

/* A listed entry: immutable, so its GetHistory form is made once (on the
 * main thread; writer threads never touch it). */
typedef struct {
  ApHistoryEntry entry; /* first: a Listed is used as its entry */
  GVariant *variant;    /* NULL until first listed */
} Listed;

static void
listed_clear (Listed *listed)
{
  g_clear_pointer (&listed->variant, g_variant_unref);
  entry_clear_strings (&listed->entry);
}

/** ap_history_entry_free: frees an entry a caller allocated with g_new0() */
void
ap_history_entry_free (ApHistoryEntry *entry)
{
  if (entry == NULL)
    return;
  entry_clear_strings (entry);
  g_free (entry);
}

/* The list's entries are shared with writer threads: never changed once in
 * the list, and freed by whoever lets go last. */
ApHistoryEntry *
ap_history_entry_acquire (ApHistoryEntry *entry)
{
  return g_atomic_rc_box_acquire (entry);
}

void
ap_history_entry_release (ApHistoryEntry *entry)
{
  g_atomic_rc_box_release_full (entry, (GDestroyNotify) listed_clear);
}

static ApHistoryEntry *
entry_copy (const ApHistoryEntry *src)
{
  ApHistoryEntry *entry = &g_atomic_rc_box_new0 (Listed)->entry;

  *entry = *src;
  entry->id = g_strdup (src->id && *src->id ? src->id : NULL);
  if (entry->id == NULL)
    entry->id = g_uuid_string_random ();
  entry->direction = g_strdup (src->direction ? src->direction : "outgoing");
  entry->peer = g_strdup (src->peer ? src->peer : "");
  entry->peer_name = g_strdup (src->peer_name ? src->peer_name : "");
  entry->end_reason = g_strdup (src->end_reason ? src->end_reason : "");
  entry->recording = g_strdup (src->recording ? src->recording : "");
  return entry;
}

/* Keeps the array sorted by start; calls end in any order, so a long call
 * that began first goes before the short ones that ended before it. */
static void
insert_sorted (ApHistory *self, ApHistoryEntry *entry)
{
  guint i = self->entries->len;

  while (i > 0 && ((ApHistoryEntry *) self->entries->pdata[i - 1])->start > entry->start)
    i--;
  g_ptr_array_insert (self->entries, i, entry);
}

static void
trim (ApHistory *self)
{
  if (self->entries->len > self->max_entries)
    g_ptr_array_remove_range (self->entries, 0, self->entries->len - self->max_entries);
}

static gint
compare_start (gconstpointer a, gconstpointer b)
{
  gint64 sa = (*(ApHistoryEntry *const *) a)->start;
  gint64 sb = (*(ApHistoryEntry *const *) b)->start;

  return sa < sb ? -1 : sa > sb;
}

/* ---- JSON ---- */

static ApHistoryEntry *
entry_from_json (JsonNode *node)
{
  JsonObject *o;
  ApHistoryEntry e = { 0 };
  const char *id, *direction;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  o = json_node_get_object (node);
  id = json_object_get_string_member_with_default (o, "id", NULL);
  direction = json_object_get_string_member_with_default (o, "direction", NULL);
  if (id == NULL || *id == '\0' || direction == NULL
      || (!g_str_equal (direction, "incoming") && !g_str_equal (direction, "outgoing")))
    return NULL;
  e.id = (char *) id;
  e.direction = (char *) direction;
  e.peer = (char *) json_object_get_string_member_with_default (o, "peer", "");
  e.peer_name = (char *) json_object_get_string_member_with_default (o, "peer-name", "");
  e.start = json_object_get_int_member_with_default (o, "start", 0);
  e.duration
    = (guint) CLAMP (json_object_get_int_member_with_default (o, "duration", 0), 0, G_MAXUINT32);
  e.answered = json_object_get_boolean_member_with_default (o, "answered", FALSE);
  e.end_code = (guint) CLAMP (json_object_get_int_member_with_default (o, "end-code", 0), 0, 999);
  e.end_reason = (char *) json_object_get_string_member_with_default (o, "end-reason", "");
  e.recording = (char *) json_object_get_string_member_with_default (o, "recording", "");
  return entry_copy (&e);
}

static void
entry_to_json (JsonBuilder *b, const ApHistoryEntry *e)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, e->id);
  json_builder_set_member_name (b, "direction");
  json_builder_add_string_value (b, e->direction);
  json_builder_set_member_name (b, "peer");
  json_builder_add_string_value (b, e->peer);
  json_builder_set_member_name (b, "peer-name");
  json_builder_add_string_value (b, e->peer_name);
  json_builder_set_member_name (b, "start");
  json_builder_add_int_value (b, e->start);
  json_builder_set_member_name (b, "duration");
  json_builder_add_int_value (b, e->duration);
  json_builder_set_member_name (b, "answered");
  json_builder_add_boolean_value (b, e->answered);
  json_builder_set_member_name (b, "end-code");
  json_builder_add_int_value (b, e->end_code);
  json_builder_set_member_name (b, "end-reason");
  json_builder_add_string_value (b, e->end_reason);
  json_builder_set_member_name (b, "recording");
  json_builder_add_string_value (b, e->recording);
  json_builder_end_object (b);
}

/* Newest first, as GetHistory answers, so the file reads the same way.
 * Touches only @entries: writer threads call it on a snapshot. */
char *
ap_history_entries_to_json (GPtrArray *entries)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, HISTORY_VERSION);
  json_builder_set_member_name (b, "entries");
  json_builder_begin_array (b);
  for (guint i = entries->len; i > 0; i--)
    entry_to_json (b, entries->pdata[i - 1]);
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}

/* A file we cannot use is moved aside rather than overwritten, so a person
 * can still recover what was in it. */
static gboolean
set_aside (ApHistory *self, const char *why, GError **error)
{
  g_autofree char *aside = g_strdup_printf ("%s.corrupt-%" G_GINT64_FORMAT, self->path,
                                            g_get_real_time () / G_USEC_PER_SEC);

  if (g_rename (self->path, aside) != 0)
    {
      int saved = errno;

      g_set_error (error, AP_ERROR, AP_ERROR_FAILED,
                   _ ("The call history %s cannot be used (%s) nor moved aside (%s); starting "
                      "with an empty history"),
                   self->path, why, g_strerror (saved));
      return FALSE;
    }
  g_warning ("Call history %s is unreadable (%s); moved it to %s and started an empty history",
             self->path, why, aside);
  return TRUE;
}

static gboolean
parse_text (ApHistory *self, const char *text, gsize length, char **why)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonObject *object;
  JsonArray *array;
  gint64 version;
  guint skipped = 0;

  if (!json_parser_load_from_data (parser, text, length, &error))
    {
      *why = g_strdup (error->message);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      *why = g_strdup ("not a JSON object");
      return FALSE;
    }
  object = json_node_get_object (json_parser_get_root (parser));
  version = json_object_get_int_member_with_default (object, "version", 0);
  if (version < 1 || version > HISTORY_VERSION)
    {
      *why = g_strdup_printf ("version %" G_GINT64_FORMAT ", this Agentphone reads version %d",
                              version, HISTORY_VERSION);
      return FALSE;
    }
  if (!json_object_has_member (object, "entries")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "entries")))
    {
      *why = g_strdup ("no \"entries\" array");
      return FALSE;
    }
  array = json_object_get_array_member (object, "entries");
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      ApHistoryEntry *entry = entry_from_json (json_array_get_element (array, i));

      if (entry)
        g_ptr_array_add (self->entries, entry);
      else
        skipped++;
    }
  if (skipped)
    g_message ("Call history %s: skipped %u malformed entries", self->path, skipped);
  g_ptr_array_sort (self->entries, compare_start);
  trim (self);
  return TRUE;
}

/* ---- tracking calls ---- */

typedef struct {
  ApHistory *history;
  gint64 began;       /* real time */
  gint64 answered_at; /* real time, 0 if never */
  gint64 answered_mono;
} Tracker;

static void
tracker_free (gpointer data, GClosure *closure)
{
  Tracker *t = data;

  g_object_unref (t->history);
  g_free (t);
}

static void
on_tracked_state (ApCall *call, ApCallState state, guint code, const char *reason, Tracker *t)
{
  ApHistoryEntry entry = { 0 };

  if (state == AP_CALL_STATE_CONNECTED && t->answered_at == 0)
    {
      t->answered_at = g_get_real_time ();
      t->answered_mono = g_get_monotonic_time ();
    }
  if (state != AP_CALL_STATE_ENDED)
    return;
  entry.direction = (char *) ap_call_direction_to_string (ap_call_get_direction (call));
  entry.peer = (char *) ap_call_get_peer (call);
  entry.peer_name = (char *) ap_call_get_peer_name (call);
  entry.answered = t->answered_at != 0;
  entry.start = entry.answered ? t->answered_at : t->began;
  if (entry.answered)
    entry.duration = (guint) ((g_get_monotonic_time () - t->answered_mono + G_USEC_PER_SEC / 2)
                              / G_USEC_PER_SEC);
  entry.end_code = code;
  entry.end_reason = (char *) reason;
  entry.recording = (char *) ap_call_get_recording_path (call);
  /* Last use of t: disconnecting frees it. */
  ap_history_append (t->history, &entry);
  g_signal_handlers_disconnect_by_func (call, on_tracked_state, t);
}

/* ---- GObject ---- */

static void
ap_history_dispose (GObject *object)
{
  ap_history_save_dispose (AP_HISTORY (object));
  G_OBJECT_CLASS (ap_history_parent_class)->dispose (object);
}

static void
ap_history_finalize (GObject *object)
{
  ApHistory *self = AP_HISTORY (object);

  g_free (self->path);
  g_ptr_array_unref (self->entries);
  G_OBJECT_CLASS (ap_history_parent_class)->finalize (object);
}

static void
ap_history_class_init (ApHistoryClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ap_history_dispose;
  G_OBJECT_CLASS (klass)->finalize = ap_history_finalize;

  /** ApHistory::changed: an entry was added (or the history loaded) */
  ap_history_signals[AP_HISTORY_SIGNAL_CHANGED] = g_signal_new (
    "changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * ApHistory::written:
   * @ok: whether the file now holds the history as it was when the write began
   *
   * A write off the main thread has ended (a failure is also logged).
   */
  ap_history_signals[AP_HISTORY_SIGNAL_WRITTEN]
    = g_signal_new ("written", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                    G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
ap_history_init (ApHistory *self)
{
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) ap_history_entry_release);
  self->max_entries = AP_HISTORY_DEFAULT_MAX;
}

/* ---- public API ---- */

/**
 * ap_history_new:
 * @path: (nullable): the JSON file, or %NULL to keep the history in memory
 * @max_entries: how many of the newest entries to keep (0: the default)
 */
ApHistory *
ap_history_new (const char *path, guint max_entries)
{
  ApHistory *self = g_object_new (AP_TYPE_HISTORY, NULL);

  self->path = g_strdup (path);
  ap_history_save_init (self);
  if (max_entries > 0)
    self->max_entries = max_entries;
  return self;
}

const char *
ap_history_get_path (ApHistory *self)
{
  g_return_val_if_fail (AP_IS_HISTORY (self), NULL);
  return self->path;
}

/**
 * ap_history_load:
 *
 * Reads the file. A missing file is an empty history; a corrupt one is set
 * aside with a warning. Fails only when the file can be neither read nor
 * moved aside; the history is then empty and still usable.
 */
gboolean
ap_history_load (ApHistory *self, GError **error)
{
  g_autofree char *text = NULL;
  g_autofree char *why = NULL;
  g_autoptr (GError) local_error = NULL;
  gsize length;

  g_return_val_if_fail (AP_IS_HISTORY (self), FALSE);

  g_ptr_array_set_size (self->entries, 0);
  if (self->path == NULL)
    return TRUE;
  if (!g_file_get_contents (self->path, &text, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      why = g_strdup (local_error->message);
    }
  else if (!parse_text (self, text, length, &why))
    g_ptr_array_set_size (self->entries, 0);
  ap_history_save_loaded (self);
  g_signal_emit (self, ap_history_signals[AP_HISTORY_SIGNAL_CHANGED], 0);
  return why == NULL || set_aside (self, why, error);
}

/**
 * ap_history_append:
 * @entry: copied; an empty id gets a fresh one
 *
 * Adds a finished call, drops the oldest beyond the bound, and has the
 * file saved shortly, off the main thread (see ap_history_flush()); a failed
 * save is logged and tried again at the next change or flush.
 */
void
ap_history_append (ApHistory *self, const ApHistoryEntry *entry)
{
  g_return_if_fail (AP_IS_HISTORY (self));
  g_return_if_fail (entry != NULL);

  insert_sorted (self, entry_copy (entry));
  trim (self);
  ap_history_save_changed (self);
  g_signal_emit (self, ap_history_signals[AP_HISTORY_SIGNAL_CHANGED], 0);
}

guint
ap_history_get_n_entries (ApHistory *self)
{
  g_return_val_if_fail (AP_IS_HISTORY (self), 0);
  return self->entries->len;
}

static GVariant *
entry_to_variant (const ApHistoryEntry *e)
{
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "id", "s", e->id);
  g_variant_dict_insert (&dict, "direction", "s", e->direction);
  g_variant_dict_insert (&dict, "peer", "s", e->peer);
  g_variant_dict_insert (&dict, "peer-name", "s", e->peer_name);
  g_variant_dict_insert (&dict, "start", "x", e->start);
  g_variant_dict_insert (&dict, "duration", "u", e->duration);
  g_variant_dict_insert (&dict, "answered", "b", e->answered);
  g_variant_dict_insert (&dict, "end-code", "u", e->end_code);
  g_variant_dict_insert (&dict, "end-reason", "s", e->end_reason);
  g_variant_dict_insert (&dict, "recording", "s", e->recording);
  return g_variant_dict_end (&dict);
}

static GVariant *
listed_variant (Listed *listed)
{
  /* Serialised: one small buffer per entry, not a tree of ~30 values. */
  if (listed->variant == NULL)
    {
      g_autoptr (GVariant) tree = g_variant_ref_sink (entry_to_variant (&listed->entry));

      g_autoptr (GBytes) bytes = g_variant_get_data_as_bytes (tree);

      listed->variant
        = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE_VARDICT, bytes, TRUE));
    }
  return listed->variant;
}

/**
 * ap_history_dup_entries:
 * @limit: the most entries to return, 0 for all
 *
 * Returns: (transfer full): an `aa{sv}`, newest first, floating reference sunk
 */
GVariant *
ap_history_dup_entries (ApHistory *self, guint limit)
{
  GVariantBuilder builder;
  guint n;

  g_return_val_if_fail (AP_IS_HISTORY (self), NULL);

  n = (limit == 0 || limit > self->entries->len) ? self->entries->len : limit;
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < n; i++)
    g_variant_builder_add_value (&builder,
                                 listed_variant (self->entries->pdata[self->entries->len - 1 - i]));
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

/**
 * ap_history_track_call:
 *
 * Records @call when it ends: answered or not, and for how long.
 */
void
ap_history_track_call (ApHistory *self, ApCall *call)
{
  Tracker *t;

  g_return_if_fail (AP_IS_HISTORY (self));
  g_return_if_fail (AP_IS_CALL (call));

  t = g_new0 (Tracker, 1);
  t->history = g_object_ref (self);
  t->began = g_get_real_time ();
  if (ap_call_get_state (call) == AP_CALL_STATE_CONNECTED)
    {
      t->answered_at = t->began;
      t->answered_mono = g_get_monotonic_time ();
    }
  g_signal_connect_data (call, "state-changed", G_CALLBACK (on_tracked_state), t, tracker_free, 0);
}
