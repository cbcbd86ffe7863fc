/* ap-window.c: the main window. For now: the echo test and a status line
 * bound to the registration state; the panels (ap-window-panels.c) fill the
 * rest of its stack. It only reads core properties and
 * calls core functions: the same ones the DBus face calls. */
#define G_LOG_DOMAIN "Agentphone-ui"

#include "config.h"

#include "ap-window.h"

#include <glib/gi18n.h>

#include "ap-window-panels.h"

struct _ApWindow {
  AdwApplicationWindow parent_instance;

  ApPhone *phone;

  AdwToastOverlay *toasts;
  AdwActionRow *status_row;
  GtkImage *status_icon;
  GtkStack *stack;
  AdwActionRow *echo_row;
  GtkButton *echo_button;

  ApCall *echo_call; /* the running echo test, or NULL */
};

G_DEFINE_FINAL_TYPE (ApWindow, ap_window, ADW_TYPE_APPLICATION_WINDOW)

static void
show_error (ApWindow *self, const GError *error)
{
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (error->message));
}

static void
update_status (ApWindow *self)
{
  ApAccount *account = ap_phone_get_account (self->phone);
  ApRegistrationState state = ap_account_get_state (account);
  GtkWidget *row = GTK_WIDGET (self->status_row);
  const char *icon = "network-offline-symbolic";
  const char *title = _ ("Not registered");

  gtk_widget_remove_css_class (row, "success");
  gtk_widget_remove_css_class (row, "error");
  gtk_widget_remove_css_class (row, "warning");
  switch (state)
    {
    case AP_REGISTRATION_STATE_REGISTERED:
      icon = "emblem-ok-symbolic";
      title = _ ("Registered");
      gtk_widget_add_css_class (row, "success");
      break;
    case AP_REGISTRATION_STATE_REGISTERING:
      icon = "network-transmit-receive-symbolic";
      title = _ ("Registering…");
      gtk_widget_add_css_class (row, "warning");
      break;
    case AP_REGISTRATION_STATE_UNREGISTERING:
      icon = "network-transmit-receive-symbolic";
      title = _ ("Unregistering…");
      break;
    case AP_REGISTRATION_STATE_FAILED:
      icon = "dialog-error-symbolic";
      title = _ ("Registration failed");
      gtk_widget_add_css_class (row, "error");
      break;
    case AP_REGISTRATION_STATE_UNREGISTERED:
    default:
      break;
    }
  gtk_image_set_from_icon_name (self->status_icon, icon);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->status_row), title);
  /* The reason adds what the title does not say: the server, the code. */
  adw_action_row_set_subtitle (
    self->status_row,
    g_strcmp0 (ap_account_get_reason (account), title) == 0 ? "" : ap_account_get_reason (account));
}

static void
on_account_changed (ApAccount *account, GParamSpec *pspec, ApWindow *self)
{
  update_status (self);
}

static void
on_echo_state (ApCall *call, ApCallState state, guint code, const char *reason, ApWindow *self)
{
  if (state != AP_CALL_STATE_ENDED)
    {
      adw_action_row_set_subtitle (self->echo_row, reason);
      return;
    }
  /* A test that ended by itself failed: say why, where it was asked for. */
  if (code != 200)
    adw_toast_overlay_add_toast (self->toasts, adw_toast_new (reason));
  g_signal_handlers_disconnect_by_data (call, self);
  g_clear_object (&self->echo_call);
  adw_action_row_set_subtitle (self->echo_row,
                               _ ("Speak, and hear yourself one second later: no account needed"));
  gtk_button_set_label (self->echo_button, _ ("_Start"));
  gtk_widget_remove_css_class (GTK_WIDGET (self->echo_button), "destructive-action");
}

static void
on_echo_clicked (ApWindow *self)
{
  g_autoptr (GError) error = NULL;
  ApCall *call;

  if (self->echo_call != NULL)
    {
      if (!ap_call_hangup (self->echo_call, &error))
        show_error (self, error);
      return;
    }
  call = ap_phone_start_echo_test (self->phone, &error);
  if (call == NULL)
    {
      show_error (self, error);
      return;
    }
  self->echo_call = g_object_ref (call);
  g_signal_connect (call, "state-changed", G_CALLBACK (on_echo_state), self);
  gtk_button_set_label (self->echo_button, _ ("_Stop"));
  gtk_widget_add_css_class (GTK_WIDGET (self->echo_button), "destructive-action");
}

static void
ap_window_dispose (GObject *object)
{
  ApWindow *self = AP_WINDOW (object);

  if (self->phone)
    g_signal_handlers_disconnect_by_data (ap_phone_get_account (self->phone), self);
  g_clear_object (&self->phone);
  if (self->echo_call)
    g_signal_handlers_disconnect_by_data (self->echo_call, self);
  g_clear_object (&self->echo_call);
  gtk_widget_dispose_template (GTK_WIDGET (self), AP_TYPE_WINDOW);
  G_OBJECT_CLASS (ap_window_parent_class)->dispose (object);
}

static void
ap_window_class_init (ApWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ap_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/agentphone/Agentphone/ap-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ApWindow, toasts);
  gtk_widget_class_bind_template_child (widget_class, ApWindow, status_row);
  gtk_widget_class_bind_template_child (widget_class, ApWindow, status_icon);
  gtk_widget_class_bind_template_child (widget_class, ApWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, ApWindow, echo_row);
  gtk_widget_class_bind_template_child (widget_class, ApWindow, echo_button);
  gtk_widget_class_bind_template_callback (widget_class, on_echo_clicked);
}

static void
ap_window_init (ApWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/** ap_window_new: the main window, a view of @phone */
ApWindow *
ap_window_new (GtkApplication *application, ApPhone *phone)
{
  ApWindow *self = g_object_new (AP_TYPE_WINDOW, "application", application, NULL);
  ApAccount *account = ap_phone_get_account (phone);

  self->phone = g_object_ref (phone);
  g_signal_connect (account, "notify::state", G_CALLBACK (on_account_changed), self);
  g_signal_connect (account, "notify::reason", G_CALLBACK (on_account_changed), self);
  update_status (self);
  ap_window_add_panels (self, self->stack, phone);
  return self;
}
