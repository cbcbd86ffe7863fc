/* ap-dbus-service.c: the DBus face of the phone.
 *
 * Thin by design: each method checks what the signature cannot, calls the
 * one core function the window calls too, and turns its GError into the
 * contract's DBus error. Properties are bound to core objects, so
 * PropertiesChanged follows every change. */
#define G_LOG_DOMAIN "Agentphone-dbus"

#include "ap-dbus-service.h"

#include <glib/gi18n.h>

#include "ap-dbus-generated.h"
#include "ap-enums.h"
#include "ap-error.h"

struct _ApDbusService {
  GObject parent_instance;

  ApPhone *phone;
  ApDbusPhone *skeleton;
  GDBusObjectManagerServer *manager;
  GSignalGroup *account_signals;
};

G_DEFINE_FINAL_TYPE (ApDbusService, ap_dbus_service, G_TYPE_OBJECT)

static gboolean
enum_to_nick (GBinding *binding, const GValue *from, GValue *to, gpointer user_data)
{
  GEnumClass *klass = g_type_class_peek (G_VALUE_TYPE (from));
  GEnumValue *value = g_enum_get_value (klass, g_value_get_enum (from));

  g_value_set_string (to, value ? value->value_nick : "");
  return TRUE;
}

static gboolean
state_to_seat (GBinding *binding, const GValue *from, GValue *to, gpointer user_data)
{
  /* Without calls (a later step), the seat is idle when registered. */
  g_value_set_string (to, g_value_get_enum (from) == AP_REGISTRATION_STATE_REGISTERED ? "idle"
                                                                                      : "offline");
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
not_yet (GDBusMethodInvocation *invocation, gpointer self)
{
  const char *method = g_dbus_method_invocation_get_method_name (invocation);

  g_dbus_method_invocation_return_error (invocation, AP_ERROR, AP_ERROR_NOT_SUPPORTED,
                                         _ ("%s is not available in this version of Agentphone"),
                                         method);
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

static gboolean
on_list_calls (ApDbusPhone *skeleton, GDBusMethodInvocation *invocation, ApDbusService *self)
{
  const char *const none[] = { NULL };

  /* Calls come in a later step; until then there are none to list. */
  ap_dbus_phone_complete_list_calls (skeleton, invocation, none);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
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
                               enum_to_nick, NULL, NULL, NULL);
  g_object_bind_property_full (account, "state", self->skeleton, "seat-state", flags, state_to_seat,
                               NULL, NULL, NULL);
  g_object_bind_property (account, "code", self->skeleton, "registration-code", flags);
  g_object_bind_property (account, "reason", self->skeleton, "registration-reason", flags);
  g_object_bind_property (account, "uri", self->skeleton, "account-uri", flags);
  g_object_bind_property_full (self->phone, "password-storage", self->skeleton, "password-storage",
                               flags, enum_to_nick, NULL, NULL, NULL);
  g_object_bind_property (self->phone, "listen-port", self->skeleton, "listen-port", flags);
  ap_dbus_phone_set_version (self->skeleton, ap_phone_get_version (self->phone));
  ap_dbus_phone_set_agent_state (self->skeleton, "available");
  ap_dbus_phone_set_answer_mode (self->skeleton, "manual");
  ap_dbus_phone_set_answer_delay (self->skeleton, 0);
}

static void
connect_methods (ApDbusService *self)
{
  static const char *const later[] = {
    "handle-dial",         "handle-set-answer-mode",  "handle-set-agent-state",
    "handle-send-message", "handle-check-microphone", "handle-start-echo-test",
    "handle-get-history",
  };

  g_signal_connect (self->skeleton, "handle-configure", G_CALLBACK (on_configure), self);
  g_signal_connect (self->skeleton, "handle-get-settings", G_CALLBACK (on_get_settings), self);
  g_signal_connect (self->skeleton, "handle-register", G_CALLBACK (on_register), self);
  g_signal_connect (self->skeleton, "handle-unregister", G_CALLBACK (on_unregister), self);
  g_signal_connect (self->skeleton, "handle-list-calls", G_CALLBACK (on_list_calls), self);
  g_signal_connect (self->skeleton, "handle-quit", G_CALLBACK (on_quit), self);
  for (guint i = 0; i < G_N_ELEMENTS (later); i++)
    g_signal_connect_swapped (self->skeleton, later[i], G_CALLBACK (not_yet), self);
}

static void
ap_dbus_service_dispose (GObject *object)
{
  ApDbusService *self = AP_DBUS_SERVICE (object);

  ap_dbus_service_unexport (self);
  g_clear_object (&self->account_signals);
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
  bind_properties (self);
  connect_methods (self);
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
                                         AP_DBUS_PATH, error))
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
  if (self->manager)
    g_dbus_object_manager_server_set_connection (self->manager, NULL);
}
