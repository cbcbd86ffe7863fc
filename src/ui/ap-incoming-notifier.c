/* ap-incoming-notifier.c: a desktop notification for each ringing call.
 *
 * When the window is not the active one, a ringing call shows a
 * GNotification with Answer and Reject buttons. They are the application's
 * actions `app.answer-call` and `app.reject-call` (parameter: the call id),
 * which call the same core functions as DBus Answer() and Reject(); answering
 * also raises the window. The notification goes when the call stops ringing. */
#define G_LOG_DOMAIN "Agentphone-ui"

#include "config.h"

#include "ap-incoming-notifier.h"

#include <glib/gi18n.h>

struct _ApIncomingNotifier {
  GObject parent_instance;

  GtkApplication *application; /* weak: owns the window that owns us */
  GtkWindow *window;           /* weak */
  ApPhone *phone;
  GHashTable *shown; /* call id → TRUE while its notification is up */
};

G_DEFINE_FINAL_TYPE (ApIncomingNotifier, ap_incoming_notifier, G_TYPE_OBJECT)

static char *
notification_id (guint call_id)
{
  return g_strdup_printf ("incoming-call-%u", call_id);
}

static void
withdraw (ApIncomingNotifier *self, guint call_id)
{
  g_autofree char *id = notification_id (call_id);

  if (g_hash_table_remove (self->shown, GUINT_TO_POINTER (call_id)) && self->application)
    g_application_withdraw_notification (G_APPLICATION (self->application), id);
}

static void
notify_call (ApIncomingNotifier *self, ApCall *call)
{
  const char *name = ap_call_get_peer_name (call);
  const char *number = ap_call_get_peer_number (call);
  const char *who = name && *name ? name : number && *number ? number : ap_call_get_peer (call);
  g_autoptr (GNotification) notification = g_notification_new (_ ("Incoming call"));
  g_autoptr (GIcon) icon = g_themed_icon_new ("call-incoming-symbolic");
  g_autofree char *id = notification_id (ap_call_get_id (call));
  GVariant *target = g_variant_new_uint32 (ap_call_get_id (call));
  GHashTable *headers = ap_call_get_headers (call);
  const char *subject = headers ? g_hash_table_lookup (headers, "Subject") : NULL;
  g_autofree char *body
    = subject && *subject ? g_strdup_printf ("%s\n%s", who, subject) : g_strdup (who);

  g_notification_set_body (notification, body);
  g_notification_set_icon (notification, icon);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_URGENT);
  g_notification_set_category (notification, "call.incoming");
  g_notification_add_button_with_target_value (notification, _ ("Answer"), "app.answer-call",
                                               target);
  g_notification_add_button_with_target_value (notification, _ ("Reject"), "app.reject-call",
                                               target);
  g_application_send_notification (G_APPLICATION (self->application), id, notification);
  g_hash_table_add (self->shown, GUINT_TO_POINTER (ap_call_get_id (call)));
}

static void
on_call_state (ApCall *call, GParamSpec *pspec, ApIncomingNotifier *self)
{
  if (ap_call_get_state (call) == AP_CALL_STATE_INCOMING)
    return;
  withdraw (self, ap_call_get_id (call));
  g_signal_handlers_disconnect_by_data (call, self);
}

/* Whether the agent sees the window now: shown, not minimised, focused. */
static gboolean
window_in_view (GtkWindow *window)
{
  GdkSurface *surface;

  if (window == NULL || !gtk_widget_get_mapped (GTK_WIDGET (window))
      || !gtk_window_is_active (window))
    return FALSE;
  surface = gtk_native_get_surface (GTK_NATIVE (window));
  return !(GDK_IS_TOPLEVEL (surface)
           && (gdk_toplevel_get_state (GDK_TOPLEVEL (surface)) & GDK_TOPLEVEL_STATE_MINIMIZED));
}

static void
on_call_added (ApPhone *phone, ApCall *call, ApIncomingNotifier *self)
{
  if (ap_call_get_state (call) != AP_CALL_STATE_INCOMING || self->application == NULL)
    return;
  g_signal_connect_object (call, "notify::state", G_CALLBACK (on_call_state), self, 0);
  /* An agent looking at the window sees the row ring; a notification would
   * only cover it. */
  if (window_in_view (self->window))
    return;
  notify_call (self, call);
}

static ApCall *
find_call (ApIncomingNotifier *self, GVariant *parameter)
{
  return ap_phone_find_call (self->phone, g_variant_get_uint32 (parameter));
}

static void
on_answer_call (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  ApIncomingNotifier *self = data;
  ApCall *call = find_call (self, parameter);
  g_autoptr (GError) error = NULL;

  if (self->window)
    gtk_window_present (self->window);
  if (call == NULL)
    {
      g_warning ("Cannot answer call %u: it has ended", g_variant_get_uint32 (parameter));
      return;
    }
  if (!ap_call_answer (call, &error))
    g_warning ("%s", error->message);
}

static void
on_reject_call (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  ApIncomingNotifier *self = data;
  ApCall *call = find_call (self, parameter);
  g_autoptr (GError) error = NULL;

  if (call != NULL && !ap_call_reject (call, 486, &error))
    g_warning ("%s", error->message);
}

static void
ap_incoming_notifier_dispose (GObject *object)
{
  ApIncomingNotifier *self = AP_INCOMING_NOTIFIER (object);

  if (self->application)
    {
      g_action_map_remove_action (G_ACTION_MAP (self->application), "answer-call");
      g_action_map_remove_action (G_ACTION_MAP (self->application), "reject-call");
    }
  g_clear_weak_pointer (&self->application);
  g_clear_weak_pointer (&self->window);
  if (self->phone)
    g_signal_handlers_disconnect_by_data (self->phone, self);
  g_clear_object (&self->phone);
  g_clear_pointer (&self->shown, g_hash_table_unref);
  G_OBJECT_CLASS (ap_incoming_notifier_parent_class)->dispose (object);
}

static void
ap_incoming_notifier_class_init (ApIncomingNotifierClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ap_incoming_notifier_dispose;
}

static void
ap_incoming_notifier_init (ApIncomingNotifier *self)
{
  self->shown = g_hash_table_new (NULL, NULL);
}

/**
 * ap_incoming_notifier_new:
 *
 * Notifies ringing calls of @phone while @window is not active, and installs
 * `app.answer-call(u)` and `app.reject-call(u)` on @application.
 */
ApIncomingNotifier *
ap_incoming_notifier_new (GtkApplication *application, GtkWindow *window, ApPhone *phone)
{
  ApIncomingNotifier *self = g_object_new (AP_TYPE_INCOMING_NOTIFIER, NULL);
  const GActionEntry actions[] = {
    { .name = "answer-call", .activate = on_answer_call, .parameter_type = "u" },
    { .name = "reject-call", .activate = on_reject_call, .parameter_type = "u" },
  };

  g_set_weak_pointer (&self->application, application);
  g_set_weak_pointer (&self->window, window);
  self->phone = g_object_ref (phone);
  if (application)
    g_action_map_add_action_entries (G_ACTION_MAP (application), actions, G_N_ELEMENTS (actions),
                                     self);
  g_signal_connect (phone, "call-added", G_CALLBACK (on_call_added), self);
  return self;
}

/** ap_incoming_notifier_get_shown: how many ringing-call notifications are up */
guint
ap_incoming_notifier_get_shown (ApIncomingNotifier *self)
{
  g_return_val_if_fail (AP_IS_INCOMING_NOTIFIER (self), 0);
  return g_hash_table_size (self->shown);
}
