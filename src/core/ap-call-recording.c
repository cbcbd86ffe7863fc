/* ap-call-recording.c: recording a call, as the core sees it.
 *
 * The call decides when a recording may start and where its file goes
 * (`recordings-dir`, or $XDG_DATA_HOME/agentphone/recordings, in a folder
 * only its owner can open); the media writes it. A recording ends with the
 * call, before the call reports `ended`, so the history entry can point at
 * a finished file. */
#define G_LOG_DOMAIN "Agentphone-core"

#include "ap-call-private.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "ap-error.h"

enum { REC_PROP_RECORDING, REC_PROP_PAUSED, REC_PROP_PATH, N_REC_PROPS };
static GParamSpec *rec_props[N_REC_PROPS];
static guint first_prop_id;
static guint recording_failed_signal;

static void
set_recording (ApCall *self, gboolean recording, gboolean paused)
{
  if (self->recording != recording)
    {
      self->recording = recording;
      g_object_notify_by_pspec (G_OBJECT (self), rec_props[REC_PROP_RECORDING]);
    }
  if (self->recording_paused != paused)
    {
      self->recording_paused = paused;
      g_object_notify_by_pspec (G_OBJECT (self), rec_props[REC_PROP_PAUSED]);
    }
}

static void
on_recording_failed (ApMediaSession *media, const char *message, ApCall *self)
{
  g_warning ("Call %u: %s", self->id, message);
  set_recording (self, FALSE, FALSE);
  g_signal_emit (self, recording_failed_signal, 0, message);
}

static char *
recordings_dir (ApCall *self)
{
  const char *dir = self->settings ? ap_settings_get_string (self->settings, "recordings-dir") : "";

  if (dir != NULL && *dir != '\0')
    return g_strdup (dir);
  return g_build_filename (g_get_user_data_dir (), "agentphone", "recordings", NULL);
}

/* What a person looks for: when, with whom, which call. */
static char *
default_name (ApCall *self)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *when = g_date_time_format (now, "%Y-%m-%d_%H-%M-%S");
  g_autofree char *peer = g_strdup (*self->peer_number ? self->peer_number : "unknown");

  g_strcanon (peer, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+-_.", '_');
  return g_strdup_printf ("%s_%s_call-%u.mkv", when, peer, self->id);
}

/* A new file in the recordings folder; a second recording of the same
 * call in the same second gets a number. */
static char *
choose_path (ApCall *self, GError **error)
{
  g_autofree char *dir = recordings_dir (self);
  g_autofree char *name = default_name (self);
  char *path = g_build_filename (dir, name, NULL);

  if (!g_path_is_absolute (dir))
    {
      g_set_error (error, AP_ERROR, AP_ERROR_FAILED,
                   _ ("The recordings folder “%s” is not an absolute path: set recordings-dir "
                      "to one, or to \"\" for the default"),
                   dir);
      g_free (path);
      return NULL;
    }
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, AP_ERROR, AP_ERROR_FAILED,
                   _ ("Cannot create the recordings folder “%s”: %s; choose a folder you can "
                      "write to (setting recordings-dir)"),
                   dir, g_strerror (saved));
      g_free (path);
      return NULL;
    }
  for (guint n = 2; g_file_test (path, G_FILE_TEST_EXISTS) && n < 100; n++)
    {
      g_autofree char *numbered = g_strdup_printf ("%.*s-%u.mkv", (int) strlen (name) - 4, name, n);

      g_free (path);
      path = g_build_filename (dir, numbered, NULL);
    }
  return path;
}

static char *
check_path (const char *path, GError **error)
{
  g_autofree char *dir = NULL;

  if (!g_path_is_absolute (path))
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT,
                   _ ("The recording path “%s” must be absolute (or empty for a new file in the "
                      "recordings folder)"),
                   path);
      return NULL;
    }
  dir = g_path_get_dirname (path);
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, AP_ERROR, AP_ERROR_FAILED,
                   _ ("Cannot record to “%s”: the folder “%s” does not exist"), path, dir);
      return NULL;
    }
  return g_strdup (path);
}

static gboolean
can_record (ApCall *self, GError **error)
{
  if (self->state != AP_CALL_STATE_CONNECTED && self->state != AP_CALL_STATE_HELD)
    return ap_call_invalid_state (
      self, error,
      _ ("Cannot record the call: it is “%s”; only a call in progress can be recorded"));
  if (self->recording)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_STATE,
                   _ ("The call is already being recorded to “%s”; stop that recording first"),
                   self->recording_path);
      return FALSE;
    }
  if (self->media == NULL)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_FAILED, _ ("The call has no audio to record"));
      return FALSE;
    }
  return TRUE;
}

/**
 * ap_call_start_recording:
 * @path: (nullable): the file to create, or %NULL/"" for a new one in the
 *   recordings folder
 *
 * Records both directions of the call until ap_call_stop_recording() or
 * the end of the call; `recording-channels` (mixed or stereo) applies.
 *
 * Returns: (transfer full) (nullable): the file's path
 */
char *
ap_call_start_recording (ApCall *self, const char *path, GError **error)
{
  g_autofree char *file = NULL;
  gboolean stereo;

  g_return_val_if_fail (AP_IS_CALL (self), NULL);

  if (!can_record (self, error))
    return NULL;
  file = (path == NULL || *path == '\0') ? choose_path (self, error) : check_path (path, error);
  if (file == NULL)
    return NULL;
  stereo
    = self->settings != NULL
      && g_strcmp0 (ap_settings_get_string (self->settings, "recording-channels"), "stereo") == 0;
  if (!ap_media_session_start_recording (self->media, file, stereo, error))
    return NULL;
  g_message ("Call %u: recording to %s", self->id, file);
  if (g_strcmp0 (self->recording_path, file) != 0)
    {
      g_free (self->recording_path);
      self->recording_path = g_strdup (file);
      g_object_notify_by_pspec (G_OBJECT (self), rec_props[REC_PROP_PATH]);
    }
  set_recording (self, TRUE, FALSE);
  return g_steal_pointer (&file);
}

static gboolean
not_recording (ApCall *self, GError **error, const char *message)
{
  if (self->recording)
    return FALSE;
  g_set_error_literal (error, AP_ERROR, AP_ERROR_INVALID_STATE, message);
  return TRUE;
}

/**
 * ap_call_stop_recording:
 *
 * Finishes the file: complete and playable when this returns.
 *
 * Returns: (transfer full) (nullable): its path
 */
char *
ap_call_stop_recording (ApCall *self, GError **error)
{
  g_return_val_if_fail (AP_IS_CALL (self), NULL);

  if (not_recording (self, error, _ ("Cannot stop recording: the call is not being recorded")))
    return NULL;
  ap_call_recording_finish (self);
  return g_strdup (self->recording_path);
}

/** ap_call_pause_recording: record silence until resumed (e.g. while a card number is read) */
gboolean
ap_call_pause_recording (ApCall *self, GError **error)
{
  g_return_val_if_fail (AP_IS_CALL (self), FALSE);

  if (not_recording (self, error, _ ("Cannot pause the recording: the call is not being recorded")))
    return FALSE;
  if (self->recording_paused)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_STATE, _ ("The recording is already paused"));
      return FALSE;
    }
  ap_media_session_pause_recording (self->media, TRUE);
  set_recording (self, TRUE, TRUE);
  return TRUE;
}

gboolean
ap_call_resume_recording (ApCall *self, GError **error)
{
  g_return_val_if_fail (AP_IS_CALL (self), FALSE);

  if (not_recording (self, error,
                     _ ("Cannot resume the recording: the call is not being recorded")))
    return FALSE;
  if (!self->recording_paused)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_STATE, _ ("The recording is not paused"));
      return FALSE;
    }
  ap_media_session_pause_recording (self->media, FALSE);
  set_recording (self, TRUE, FALSE);
  return TRUE;
}

/* The call ends (or a person stopped the recording): finish the file. */
void
ap_call_recording_finish (ApCall *self)
{
  if (!self->recording)
    return;
  if (self->media != NULL)
    ap_media_session_stop_recording (self->media);
  g_message ("Call %u: recording %s finished", self->id, self->recording_path);
  set_recording (self, FALSE, FALSE);
}

static void
on_state_for_auto_record (ApCall *self, ApCallState state, guint code, const char *reason,
                          gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;

  if (state != AP_CALL_STATE_CONNECTED || self->recording || self->recording_path != NULL
      || self->settings == NULL || !ap_settings_get_boolean (self->settings, "auto-record"))
    return;
  path = ap_call_start_recording (self, NULL, &error);
  if (path == NULL)
    g_warning ("Call %u: could not record it (auto-record): %s", self->id, error->message);
}

/**
 * ap_call_set_settings:
 *
 * Where the call's recordings go (`recordings-dir`), how
 * (`recording-channels`), and whether it records from the moment it
 * connects (`auto-record`); read when a recording starts.
 */
void
ap_call_set_settings (ApCall *self, ApSettings *settings)
{
  g_return_if_fail (AP_IS_CALL (self));

  if (self->settings == NULL)
    g_signal_connect (self, "state-changed", G_CALLBACK (on_state_for_auto_record), NULL);
  g_set_object (&self->settings, settings);
}

void
ap_call_recording_media_set (ApCall *self)
{
  g_signal_connect (self->media, "recording-failed", G_CALLBACK (on_recording_failed), self);
}

void
ap_call_recording_clear (ApCall *self)
{
  g_clear_object (&self->settings);
  g_clear_pointer (&self->recording_path, g_free);
}

gboolean
ap_call_get_recording (ApCall *self)
{
  g_return_val_if_fail (AP_IS_CALL (self), FALSE);
  return self->recording;
}

gboolean
ap_call_get_recording_paused (ApCall *self)
{
  g_return_val_if_fail (AP_IS_CALL (self), FALSE);
  return self->recording_paused;
}

/** ap_call_get_recording_path: the file of the latest recording, "" if none */
const char *
ap_call_get_recording_path (ApCall *self)
{
  g_return_val_if_fail (AP_IS_CALL (self), NULL);
  return self->recording_path ? self->recording_path : "";
}

gboolean
ap_call_recording_get_property (ApCall *self, guint prop_id, GValue *value)
{
  switch (prop_id - first_prop_id)
    {
    case REC_PROP_RECORDING:
      g_value_set_boolean (value, self->recording);
      return TRUE;
    case REC_PROP_PAUSED:
      g_value_set_boolean (value, self->recording_paused);
      return TRUE;
    case REC_PROP_PATH:
      g_value_set_string (value, ap_call_get_recording_path (self));
      return TRUE;
    default:
      return FALSE;
    }
}

/* Installs the recording properties with ids from @first_id on. */
void
ap_call_recording_class_init (GObjectClass *object_class, guint first_id)
{
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  first_prop_id = first_id;
  /** ApCall:recording: a recording is being written */
  rec_props[REC_PROP_RECORDING] = g_param_spec_boolean ("recording", NULL, NULL, FALSE, flags);
  /** ApCall:recording-paused: the recording writes silence for now */
  rec_props[REC_PROP_PAUSED] = g_param_spec_boolean ("recording-paused", NULL, NULL, FALSE, flags);
  /** ApCall:recording-path: the file of the latest recording, "" if none */
  rec_props[REC_PROP_PATH] = g_param_spec_string ("recording-path", NULL, NULL, "", flags);
  for (guint i = 0; i < N_REC_PROPS; i++)
    g_object_class_install_property (object_class, first_id + i, rec_props[i]);
  /**
   * ApCall::recording-failed:
   * @message: what went wrong, for a person (e.g. the disk is full)
   *
   * The recording stopped on its own (`recording` is already false); what
   * was written stays playable.
   */
  recording_failed_signal
    = g_signal_new ("recording-failed", G_OBJECT_CLASS_TYPE (object_class), G_SIGNAL_RUN_LAST, 0,
                    NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}
