/* ap-dbus-service.c: the DBus face of the phone.
 *
 * Thin by design: each method checks what the signature cannot, calls the
 * one core function the window calls too, and turns its GError into the
 * contract's DBus error. Properties are bound to core objects, so
 * PropertiesChanged follows every change. */
#define G_LOG_DOMAIN "Agentphone-dbus"

#include "ap-dbus-service.h"

#include <glib/gi18n.h>

#include "ap-call-export.h"
#include "ap-dbus-generated.h"
#include "ap-devices-export.h"
#include "ap-video-export.h"
#include "ap-screen-share-export.h"
#include "ap-enums.h"
#include "ap-error.h"

struct _ApDbusService {
  GObject parent_instance;

  ApPhone *phone;
  ApDbusPhone *skeleton;
  GDBusObjectManagerServer *manager;
  GSignalGroup *account_signals;
  GHashTable *exports; /* call id -> ApCallExport */
  ApDevicesExport *devices;
  ApVideoExport *video;
  ApScreenShareExport *screen_share;
};

G_DEFINE_FINAL_TYPE (ApDbusService, ap_dbus_service, G_TYPE_OBJECT)

/**
 * ap_dbus_enum_to_nick:
 *
 * A #GBindingTransformFunc: an enum property to its nick, which is the
 * contract's string for it.
 */
gboolean
ap_dbus_enum_to_nick (GBinding *binding, const GValue *from, GValue *to, gpointer user_data)
{
  GEnumClass *klass = g_type_class_peek (G_VALUE_TYPE (from));
  GEnumValue *value = g_enum_get_value (klass, g_value_get_enum (from));

  g_value_set_string (to, value ? value->value_nick : "");
  return TRUE;
}

static gboolean
return_error (GDBusMethodInvocation *invocation, GError *error)
{
  g_dbus_method_invocation_return_gerror (invocation, error);
  g_error_free (error);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_configure (ApDbusPhone *skeleton, GDBusMethodInvocation *invocation, GVariant *settings,
              ApDbusService *self)
{
  GError *error = NULL;

  if (!ap_phone_configure (self->phone, settings, &error))
    return return_error (invocation, error);
  ap_dbus_phone_complete_configure (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_get_settings (ApDbusPhone *skeleton, GDBusMethodInvocation *invocation, ApDbusService *self)
{
  g_autoptr (GVariant) settings = ap_phone_dup_settings (self->phone);

  ap_dbus_phone_complete_get_settings (skeleton, invocation, settings);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_register (ApDbusPhone *skeleton, GDBusMethodInvocation *invocation, const char *uri,
             const char *auth_user, const char *password, ApDbusService *self)
{
  GError *error = NULL;

  if (!ap_phone_register (self->phone, uri, auth_user, password, &error))
    return return_error (invocation, error);
  ap_dbus_phone_complete_register (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_unregister (ApDbusPhone *skeleton, GDBusMethodInvocation *invocation, ApDbusService *self)
{
  GError *error = NULL;

  if (!ap_phone_unregister (self->phone, &error))
    return return_error (invocation, error);
  ap_dbus_phone_complete_unregister (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static char *
call_path (ApCall *call)
{
  return g_strdup_printf ("%s/calls/%u", AP_DBUS_PATH, ap_call_get_id (call));
}

static gboolean
on_dial (ApDbusPhone *skeleton, GDBusMethodInvocation *invocation, const char *target,
         GVariant *options, ApDbusService *self)
{
  GError *error = NULL;
  ApCall *call = ap_phone_dial (self->phone, target, options, &error);
  g_autofree char *path = NULL;

  if (call == NULL)
    return return_error (invocation, error);
  path = call_path (call);
  ap_dbus_phone_complete_dial (skeleton, invocation, path);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_start_echo_test (ApDbusPhone *skeleton, GDBusMethodInvocation *invocation, ApDbusService *self)
{
  GError *error = NULL;
  ApCall *call = ap_phone_start_echo_test (self->phone, &error);
  g_autofree char *path = NULL;

  if (call == NULL)
    return return_error (invocation, error);
  path = call_path (call);
  ap_dbus_phone_complete_start_echo_test (skeleton, invocation, path);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_list_calls (ApDbusPhone *skeleton, GDBusMethodInvocation *invocation, ApDbusService *self)
{
  GListModel *calls = ap_phone_get_calls (self->phone);
  g_autoptr (GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < g_list_model_get_n_items (calls); i++)
    {
      g_autoptr (ApCall) call = g_list_model_get_item (calls, i);

      /* An ended call is on its way out; the contract lists live calls. */
      if (ap_call_get_state (call) != AP_CALL_STATE_ENDED)
        g_ptr_array_add (paths, call_path (call));
    }
  g_ptr_array_add (paths, NULL);
  ap_dbus_phone_complete_list_calls (skeleton, invocation, (const char *const *) paths->pdata);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_get_history (ApDbusPhone *skeleton, GDBusMethodInvocation *invocation, guint limit,
                ApDbusService *self)
{
  g_autoptr (GVariant) entries = ap_phone_get_history (self->phone, limit);

  ap_dbus_phone_complete_get_history (skeleton, invocation, entries);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_set_answer_mode (ApDbusPhone *skeleton, GDBusMethodInvocation *invocation, const char *mode,
                    guint delay, ApDbusService *self)
{
  GError *error = NULL;

  if (!ap_agent_set_answer_mode (ap_phone_get_agent (self->phone), mode, delay, &error))
    return return_error (invocation, error);
  ap_dbus_phone_complete_set_answer_mode (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_set_agent_state (ApDbusPhone *skeleton, GDBusMethodInvocation *invocation, const char *state,
                    guint seconds, ApDbusService *self)
{
  GError *error = NULL;

  if (!ap_agent_set_state (ap_phone_get_agent (self->phone), state, seconds, &error))
    return return_error (invocation, error);
  ap_dbus_phone_complete_set_agent_state (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_send_message (ApDbusPhone *skeleton, GDBusMethodInvocation *invocation, const char *target,
                 const char *text, ApDbusService *self)
{
  GError *error = NULL;

  if (!ap_phone_send_message (self->phone, target, text, &error))
    return return_error (invocation, error);
  ap_dbus_phone_complete_send_message (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
on_microphone_checked (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GDBusMethodInvocation) invocation = user_data;
  g_autofree char *problem = NULL;
  GError *error = NULL;
  double peak = 0;
  gboolean ok
    = ap_phone_check_microphone_finish (AP_PHONE (source), result, &peak, &problem, &error);

  if (error != NULL)
    {
      return_error (invocation, error);
      return;
    }
  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(bds)", ok, peak, problem));
}

static gboolean
on_check_microphone (ApDbusPhone *skeleton, GDBusMethodInvocation *invocation, ApDbusService *self)
{
  ap_phone_check_microphone_async (self->phone, NULL, on_microphone_checked,
                                   g_object_ref (invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
on_message_received (ApPhone *phone, const char *from, const char *text, ApDbusService *self)
{
  ap_dbus_phone_emit_message_received (self->skeleton, from, text);
}

static void
on_call_added (ApPhone *phone, ApCall *call, ApDbusService *self)
{
  g_autofree char *path = call_path (call);
  ApCallExport *export = ap_call_export_new (self->phone, call, path);

  g_hash_table_insert (self->exports, GUINT_TO_POINTER (ap_call_get_id (call)), export);
  g_dbus_object_manager_server_export (self->manager, ap_call_export_get_object (export));
  ap_dbus_phone_emit_call_added (self->skeleton, path,
                                 ap_call_direction_to_string (ap_call_get_direction (call)),
                                 ap_call_get_peer (call));
}

static void
on_call_removed (ApPhone *phone, ApCall *call, ApDbusService *self)
{
  g_autofree char *path = call_path (call);

  g_dbus_object_manager_server_unexport (self->manager, path);
  g_hash_table_remove (self->exports, GUINT_TO_POINTER (ap_call_get_id (call)));
  ap_dbus_phone_emit_call_removed (self->skeleton, path);
}

static gboolean
on_quit (ApDbusPhone *skeleton, GDBusMethodInvocation *invocation, ApDbusService *self)
{
  ap_dbus_phone_complete_quit (skeleton, invocation);
  ap_phone_quit (self->phone);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
on_registration_changed (ApAccount *account, ApRegistrationState state, guint code,
                         const char *reason, ApDbusService *self)
{
  ap_dbus_phone_emit_registration_changed (self->skeleton, ap_registration_state_to_string (state),
                                           code, reason);
}

static void
on_forced_unregistration (ApAccount *account, guint code, const char *reason, ApDbusService *self)
{
  ap_dbus_phone_emit_forced_unregistration (self->skeleton, code, reason);
}

static void
bind_properties (ApDbusService *self)
{
  ApAccount *account = ap_phone_get_account (self->phone);
  GBindingFlags flags = G_BINDING_SYNC_CREATE;

  g_object_bind_property_full (account, "state", self->skeleton, "registration-state", flags,
                               ap_dbus_enum_to_nick, NULL, NULL, NULL);
  g_object_bind_property_full (self->phone, "seat-state", self->skeleton, "seat-state", flags,
                               ap_dbus_enum_to_nick, NULL, NULL, NULL);
  g_object_bind_property (account, "code", self->skeleton, "registration-code", flags);
  g_object_bind_property (account, "reason", self->skeleton, "registration-reason", flags);
  g_object_bind_property (account, "uri", self->skeleton, "account-uri", flags);
  g_object_bind_property_full (self->phone, "password-storage", self->skeleton, "password-storage",
                               flags, ap_dbus_enum_to_nick, NULL, NULL, NULL);
  g_object_bind_property (self->phone, "listen-port", self->skeleton, "listen-port", flags);
  ap_dbus_phone_set_version (self->skeleton, ap_phone_get_version (self->phone));
  g_object_bind_property_full (ap_phone_get_agent (self->phone), "state", self->skeleton,
                               "agent-state", flags, ap_dbus_enum_to_nick, NULL, NULL, NULL);
  g_object_bind_property_full (ap_phone_get_agent (self->phone), "answer-mode", self->skeleton,
                               "answer-mode", flags, ap_dbus_enum_to_nick, NULL, NULL, NULL);
  g_object_bind_property (ap_phone_get_agent (self->phone), "answer-delay", self->skeleton,
                          "answer-delay", flags);
}

static void
connect_methods (ApDbusService *self)
{
  g_signal_connect (self->skeleton, "handle-configure", G_CALLBACK (on_configure), self);
  g_signal_connect (self->skeleton, "handle-get-settings", G_CALLBACK (on_get_settings), self);
  g_signal_connect (self->skeleton, "handle-register", G_CALLBACK (on_register), self);
  g_signal_connect (self->skeleton, "handle-unregister", G_CALLBACK (on_unregister), self);
  g_signal_connect (self->skeleton, "handle-dial", G_CALLBACK (on_dial), self);
  g_signal_connect (self->skeleton, "handle-start-echo-test", G_CALLBACK (on_start_echo_test),
                    self);
  g_signal_connect (self->skeleton, "handle-send-message", G_CALLBACK (on_send_message), self);
  g_signal_connect (self->skeleton, "handle-set-answer-mode", G_CALLBACK (on_set_answer_mode),
                    self);
  g_signal_connect (self->skeleton, "handle-set-agent-state", G_CALLBACK (on_set_agent_state),
                    self);
  g_signal_connect (self->skeleton, "handle-list-calls", G_CALLBACK (on_list_calls), self);
  g_signal_connect (self->skeleton, "handle-get-history", G_CALLBACK (on_get_history), self);
  g_signal_connect (self->skeleton, "handle-check-microphone", G_CALLBACK (on_check_microphone),
                    self);
  g_signal_connect (self->skeleton, "handle-quit", G_CALLBACK (on_quit), self);
}

static void
ap_dbus_service_dispose (GObject *object)
{
  ApDbusService *self = AP_DBUS_SERVICE (object);

  ap_dbus_service_unexport (self);
  if (self->phone)
    g_signal_handlers_disconnect_by_data (self->phone, self);
  g_clear_pointer (&self->exports, g_hash_table_unref);
  g_clear_object (&self->account_signals);
  g_clear_object (&self->devices);
  g_clear_object (&self->video);
  g_clear_object (&self->screen_share);
  g_clear_object (&self->skeleton);
  g_clear_object (&self->manager);
  g_clear_object (&self->phone);
  G_OBJECT_CLASS (ap_dbus_service_parent_class)->dispose (object);
}

static void
ap_dbus_service_class_init (ApDbusServiceClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ap_dbus_service_dispose;
}

static void
ap_dbus_service_init (ApDbusService *self)
{
}

ApDbusService *
ap_dbus_service_new (ApPhone *phone)
{
  ApDbusService *self = g_object_new (AP_TYPE_DBUS_SERVICE, NULL);

  self->phone = g_object_ref (phone);
  self->skeleton = ap_dbus_phone_skeleton_new ();
  self->manager = g_dbus_object_manager_server_new (AP_DBUS_PATH);
  self->exports = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  g_signal_connect (phone, "call-added", G_CALLBACK (on_call_added), self);
  g_signal_connect (phone, "call-removed", G_CALLBACK (on_call_removed), self);
  g_signal_connect (phone, "message-received", G_CALLBACK (on_message_received), self);
  bind_properties (self);
  connect_methods (self);
  self->devices = ap_devices_export_new (phone);
  self->video = ap_video_export_new (phone);
  self->screen_share = ap_screen_share_export_new (phone);
  self->account_signals = g_signal_group_new (AP_TYPE_ACCOUNT);
  g_signal_group_connect (self->account_signals, "registration-changed",
                          G_CALLBACK (on_registration_changed), self);
  g_signal_group_connect (self->account_signals, "forced-unregistration",
                          G_CALLBACK (on_forced_unregistration), self);
  g_signal_group_set_target (self->account_signals, ap_phone_get_account (phone));
  return self;
}

/** ap_dbus_service_export: serve the phone at AP_DBUS_PATH on @connection. */
gboolean
ap_dbus_service_export (ApDbusService *self, GDBusConnection *connection, GError **error)
{
  g_return_val_if_fail (AP_IS_DBUS_SERVICE (self), FALSE);

  if (!g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (self->skeleton), connection,
                                         AP_DBUS_PATH, error)
      || !ap_devices_export_export (self->devices, connection, AP_DBUS_PATH, error)
      || !ap_video_export_export (self->video, connection, AP_DBUS_PATH, error)
      || !ap_screen_share_export_export (self->screen_share, connection, AP_DBUS_PATH, error))
    return FALSE;
  g_dbus_object_manager_server_set_connection (self->manager, connection);
  return TRUE;
}

void
ap_dbus_service_unexport (ApDbusService *self)
{
  g_return_if_fail (AP_IS_DBUS_SERVICE (self));

  if (self->skeleton
      && g_dbus_interface_skeleton_get_connection (G_DBUS_INTERFACE_SKELETON (self->skeleton)))
    g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self->skeleton));
  if (self->devices)
    ap_devices_export_unexport (self->devices);
  if (self->video)
    ap_video_export_unexport (self->video);
  if (self->screen_share)
    ap_screen_share_export_unexport (self->screen_share);
  if (self->manager)
    g_dbus_object_manager_server_set_connection (self->manager, NULL);
}
