/* ap-call-export.c: one call on the bus, at …/calls/<id>.
 *
 * Mirrors an ApCall: its properties are bound (PropertiesChanged follows
 * each change), its methods call the same core functions as the window. */
#define G_LOG_DOMAIN "Agentphone-dbus"

#include "ap-call-export.h"

#include "ap-call-export-video.h"
#include "ap-call-video.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ap-dbus-generated.h"
#include "ap-dbus-service.h"
#include "ap-enums.h"
#include "ap-error.h"

struct _ApCallExport {
  GObject parent_instance;

  ApPhone *phone;
  ApCall *call;
  char *path;
  ApDbusObjectSkeleton *object;
  ApDbusCallSkeleton *skeleton;
};

G_DEFINE_FINAL_TYPE (ApCallExport, ap_call_export, G_TYPE_OBJECT)

static gboolean
headers_to_variant (GBinding *binding, const GValue *from, GValue *to, gpointer user_data)
{
  GHashTable *headers = g_value_get_boxed (from);
  GVariantBuilder builder;
  GHashTableIter iter;
  gpointer key, value;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  if (headers)
    {
      g_hash_table_iter_init (&iter, headers);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_variant_builder_add (&builder, "{ss}", key, value);
    }
  g_value_set_variant (to, g_variant_builder_end (&builder));
  return TRUE;
}

static gboolean
finish (GDBusMethodInvocation *invocation, gboolean ok, GError *error)
{
  if (ok)
    g_dbus_method_invocation_return_value (invocation, NULL);
  else
    {
      g_dbus_method_invocation_return_gerror (invocation, error);
      g_error_free (error);
    }
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_answer (ApCallExport *self, GDBusMethodInvocation *invocation, gboolean video)
{
  GError *error = NULL;

  ap_call_video_set_answer_with_video (ap_call_get_video (self->call), video);
  gboolean ok = ap_call_answer (self->call, &error);

  return finish (invocation, ok, error);
}

static gboolean
on_hangup (ApCallExport *self, GDBusMethodInvocation *invocation)
{
  GError *error = NULL;

  gboolean ok = ap_call_hangup (self->call, &error);

  return finish (invocation, ok, error);
}

static gboolean
on_reject (ApCallExport *self, GDBusMethodInvocation *invocation, guint code)
{
  GError *error = NULL;

  gboolean ok = ap_call_reject (self->call, code, &error);

  return finish (invocation, ok, error);
}

static gboolean
on_set_muted (ApCallExport *self, GDBusMethodInvocation *invocation, gboolean muted)
{
  GError *error = NULL;

  gboolean ok = ap_call_set_muted (self->call, muted, &error);

  return finish (invocation, ok, error);
}

static gboolean
on_hold (ApCallExport *self, GDBusMethodInvocation *invocation)
{
  GError *error = NULL;
  gboolean ok = ap_call_hold (self->call, &error);

  return finish (invocation, ok, error);
}

static gboolean
on_resume (ApCallExport *self, GDBusMethodInvocation *invocation)
{
  GError *error = NULL;
  gboolean ok = ap_call_resume (self->call, &error);

  return finish (invocation, ok, error);
}

static gboolean
on_send_dtmf (ApCallExport *self, GDBusMethodInvocation *invocation, const char *digits)
{
  GError *error = NULL;
  gboolean ok = ap_call_send_dtmf (self->call, digits, &error);

  return finish (invocation, ok, error);
}

static void
on_dtmf_received (ApCall *call, const char *digit, ApCallExport *self)
{
  ap_dbus_call_emit_dtmf_received (AP_DBUS_CALL (self->skeleton), digit);
}

static gboolean
on_transfer (ApCallExport *self, GDBusMethodInvocation *invocation, const char *target)
{
  GError *error = NULL;
  gboolean ok = ap_phone_transfer (self->phone, self->call, target, &error);

  return finish (invocation, ok, error);
}

static gboolean
on_transfer_to_call (ApCallExport *self, GDBusMethodInvocation *invocation, const char *other_path)
{
  GError *error = NULL;
  g_autofree char *prefix = g_strdup_printf ("%s/calls/", AP_DBUS_PATH);
  ApCall *other = NULL;
  gboolean ok;

  if (g_str_has_prefix (other_path, prefix))
    {
      char *end = NULL;
      guint64 id = g_ascii_strtoull (other_path + strlen (prefix), &end, 10);

      if (end && *end == '\0')
        other = ap_phone_find_call (self->phone, (guint) id);
    }
  if (other == NULL)
    {
      g_set_error (&error, AP_ERROR, AP_ERROR_NO_SUCH_CALL, _ ("There is no call %s"), other_path);
      return finish (invocation, FALSE, error);
    }
  ok = ap_call_transfer_to_call (self->call, other, &error);
  return finish (invocation, ok, error);
}

static void
on_transfer_progress (ApCall *call, guint code, const char *reason, ApCallExport *self)
{
  ap_dbus_call_emit_transfer_progress (AP_DBUS_CALL (self->skeleton), code, reason);
}

static void
on_recording_failed (ApCall *call, const char *message, ApCallExport *self)
{
  ap_dbus_call_emit_recording_failed (AP_DBUS_CALL (self->skeleton), message);
}

static gboolean
finish_path (GDBusMethodInvocation *invocation, char *path, GError *error)
{
  if (path != NULL)
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(s)", path));
  else
    g_dbus_method_invocation_return_gerror (invocation, error);
  g_free (path);
  g_clear_error (&error);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_start_recording (ApCallExport *self, GDBusMethodInvocation *invocation, const char *path)
{
  GError *error = NULL;
  char *file = ap_call_start_recording (self->call, path, &error);

  return finish_path (invocation, file, error);
}

static gboolean
on_stop_recording (ApCallExport *self, GDBusMethodInvocation *invocation)
{
  GError *error = NULL;
  char *file = ap_call_stop_recording (self->call, &error);

  return finish_path (invocation, file, error);
}

static gboolean
on_pause_recording (ApCallExport *self, GDBusMethodInvocation *invocation)
{
  GError *error = NULL;
  gboolean ok = ap_call_pause_recording (self->call, &error);

  return finish (invocation, ok, error);
}

static gboolean
on_resume_recording (ApCallExport *self, GDBusMethodInvocation *invocation)
{
  GError *error = NULL;
  gboolean ok = ap_call_resume_recording (self->call, &error);

  return finish (invocation, ok, error);
}

static void
on_state_changed (ApCall *call, ApCallState state, guint code, const char *reason,
                  ApCallExport *self)
{
  ap_dbus_call_emit_state_changed (AP_DBUS_CALL (self->skeleton), ap_call_state_to_string (state),
                                   code, reason);
}

static void
on_media_started (ApCall *call, ApCallExport *self)
{
  ap_dbus_call_emit_media_started (AP_DBUS_CALL (self->skeleton));
}

static void
bind_properties (ApCallExport *self)
{
  GBindingFlags flags = G_BINDING_SYNC_CREATE;
  const char *same[][2] = {
    { "id", "id" },
    { "peer", "peer" },
    { "peer-number", "peer-number" },
    { "peer-name", "peer-name" },
    { "muted", "muted" },
    { "held", "held" },
    { "remote-held", "remote-held" },
    { "media-active", "media-active" },
    { "audio-codec", "audio-codec" },
    { "encrypted", "encrypted" },
    { "start-time", "start-time" },
    { "end-code", "end-code" },
    { "end-reason", "end-reason" },
    { "stats", "stats" },
    { "recording", "recording" },
    { "recording-paused", "recording-paused" },
    { "recording-path", "recording-path" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (same); i++)
    g_object_bind_property (self->call, same[i][0], self->skeleton, same[i][1], flags);
  g_object_bind_property_full (self->call, "state", self->skeleton, "state", flags,
                               ap_dbus_enum_to_nick, NULL, NULL, NULL);
  g_object_bind_property_full (self->call, "direction", self->skeleton, "direction", flags,
                               ap_dbus_enum_to_nick, NULL, NULL, NULL);
  g_object_bind_property_full (self->call, "headers", self->skeleton, "headers", flags,
                               headers_to_variant, NULL, NULL, NULL);
}

static void
connect_methods (ApCallExport *self)
{
  g_signal_connect_swapped (self->skeleton, "handle-answer", G_CALLBACK (on_answer), self);
  g_signal_connect_swapped (self->skeleton, "handle-hangup", G_CALLBACK (on_hangup), self);
  g_signal_connect_swapped (self->skeleton, "handle-reject", G_CALLBACK (on_reject), self);
  g_signal_connect_swapped (self->skeleton, "handle-set-muted", G_CALLBACK (on_set_muted), self);
  g_signal_connect_swapped (self->skeleton, "handle-hold", G_CALLBACK (on_hold), self);
  g_signal_connect_swapped (self->skeleton, "handle-send-dtmf", G_CALLBACK (on_send_dtmf), self);
  g_signal_connect_swapped (self->skeleton, "handle-transfer", G_CALLBACK (on_transfer), self);
  g_signal_connect_swapped (self->skeleton, "handle-transfer-to-call",
                            G_CALLBACK (on_transfer_to_call), self);
  g_signal_connect_swapped (self->skeleton, "handle-resume", G_CALLBACK (on_resume), self);
  g_signal_connect_swapped (self->skeleton, "handle-start-recording",
                            G_CALLBACK (on_start_recording), self);
  g_signal_connect_swapped (self->skeleton, "handle-stop-recording", G_CALLBACK (on_stop_recording),
                            self);
  g_signal_connect_swapped (self->skeleton, "handle-pause-recording",
                            G_CALLBACK (on_pause_recording), self);
  g_signal_connect_swapped (self->skeleton, "handle-resume-recording",
                            G_CALLBACK (on_resume_recording), self);
  ap_call_export_video_connect (self, AP_DBUS_CALL (self->skeleton));
}

static void
ap_call_export_dispose (GObject *object)
{
  ApCallExport *self = AP_CALL_EXPORT (object);

  if (self->call)
    g_signal_handlers_disconnect_by_data (self->call, self);
  if (self->skeleton)
    g_signal_handlers_disconnect_by_data (self->skeleton, self);
  g_clear_object (&self->call);
  g_clear_object (&self->phone);
  g_clear_object (&self->skeleton);
  g_clear_object (&self->object);
  G_OBJECT_CLASS (ap_call_export_parent_class)->dispose (object);
}

static void
ap_call_export_finalize (GObject *object)
{
  g_free (AP_CALL_EXPORT (object)->path);
  G_OBJECT_CLASS (ap_call_export_parent_class)->finalize (object);
}

static void
ap_call_export_class_init (ApCallExportClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ap_call_export_dispose;
  G_OBJECT_CLASS (klass)->finalize = ap_call_export_finalize;
}

static void
ap_call_export_init (ApCallExport *self)
{
}

ApCallExport *
ap_call_export_new (ApPhone *phone, ApCall *call, const char *object_path)
{
  ApCallExport *self = g_object_new (AP_TYPE_CALL_EXPORT, NULL);

  self->phone = g_object_ref (phone);
  self->call = g_object_ref (call);
  self->path = g_strdup (object_path);
  self->object = ap_dbus_object_skeleton_new (object_path);
  self->skeleton = AP_DBUS_CALL_SKELETON (ap_dbus_call_skeleton_new ());
  bind_properties (self);
  connect_methods (self);
  ap_dbus_object_skeleton_set_call (self->object, AP_DBUS_CALL (self->skeleton));
  g_signal_connect (call, "state-changed", G_CALLBACK (on_state_changed), self);
  g_signal_connect (call, "media-started", G_CALLBACK (on_media_started), self);
  g_signal_connect (call, "dtmf-received", G_CALLBACK (on_dtmf_received), self);
  g_signal_connect (call, "transfer-progress", G_CALLBACK (on_transfer_progress), self);
  g_signal_connect (call, "recording-failed", G_CALLBACK (on_recording_failed), self);
  return self;
}

GDBusObjectSkeleton *
ap_call_export_get_object (ApCallExport *self)
{
  return G_DBUS_OBJECT_SKELETON (self->object);
}

ApPhone *
ap_call_export_get_phone (ApCallExport *self)
{
  return self->phone;
}

ApCall *
ap_call_export_get_call (ApCallExport *self)
{
  return self->call;
}

const char *
ap_call_export_get_path (ApCallExport *self)
{
  return self->path;
}
