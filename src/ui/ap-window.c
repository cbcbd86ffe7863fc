/* ap-window.c: the main window. For now: the echo test, the account panel
 * and a status line bound to the registration state. It only reads core properties and
 * calls core functions: the same ones the DBus face calls. */
#define G_LOG_DOMAIN "Agentphone-ui"

#include "config.h"

#include "ap-window.h"

#include <glib/gi18n.h>

#include "ap-uri.h"

static const char *const transports[] = { "udp", "tcp", "tls" };

struct _ApWindow {
  AdwApplicationWindow parent_instance;

  ApPhone *phone;

  AdwToastOverlay *toasts;
  AdwActionRow *status_row;
  GtkImage *status_icon;
  AdwEntryRow *uri_row;
  AdwEntryRow *server_row;
  AdwEntryRow *user_row;
  AdwEntryRow *password_row;
  AdwComboRow *transport_row;
  GtkButton *register_button;
  GtkButton *unregister_button;
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
  gtk_widget_set_sensitive (GTK_WIDGET (self->unregister_button),
                            state == AP_REGISTRATION_STATE_REGISTERED
                              || state == AP_REGISTRATION_STATE_REGISTERING
                              || state == AP_REGISTRATION_STATE_FAILED);
}

static gboolean
mark_row (AdwEntryRow *row, gboolean valid)
{
  if (valid)
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  return valid;
}

/* Inline validation: a wrong field turns red as it is typed, and Register
 * waits until the address is one the core will take. */
static void
validate_fields (ApWindow *self)
{
  const char *uri = gtk_editable_get_text (GTK_EDITABLE (self->uri_row));
  const char *server = gtk_editable_get_text (GTK_EDITABLE (self->server_row));
  gboolean uri_ok = mark_row (self->uri_row, *uri == '\0' || ap_uri_is_account (uri));
  gboolean server_ok
    = mark_row (self->server_row, *server == '\0' || ap_uri_parse_hostport (server, NULL, NULL));

  gtk_widget_set_sensitive (GTK_WIDGET (self->register_button),
                            *uri != '\0' && uri_ok && server_ok);
}

static void
on_account_changed (ApAccount *account, GParamSpec *pspec, ApWindow *self)
{
  update_status (self);
}

static void
on_register_clicked (ApWindow *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) settings = NULL;
  GVariantDict dict;
  guint transport = adw_combo_row_get_selected (self->transport_row);

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "server", "s",
                         gtk_editable_get_text (GTK_EDITABLE (self->server_row)));
  g_variant_dict_insert (&dict, "transport", "s",
                         transports[MIN (transport, G_N_ELEMENTS (transports) - 1)]);
  settings = g_variant_ref_sink (g_variant_dict_end (&dict));
  if (!ap_phone_configure (self->phone, settings, &error)
      || !ap_phone_register (self->phone, gtk_editable_get_text (GTK_EDITABLE (self->uri_row)),
                             gtk_editable_get_text (GTK_EDITABLE (self->user_row)),
                             gtk_editable_get_text (GTK_EDITABLE (self->password_row)), &error))
    {
      show_error (self, error);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
}

static void
on_unregister_clicked (ApWindow *self)
{
  g_autoptr (GError) error = NULL;

  if (!ap_phone_unregister (self->phone, &error))
    show_error (self, error);
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
fill_from_settings (ApWindow *self)
{
  ApSettings *settings = ap_phone_get_settings (self->phone);
  const char *transport = ap_settings_get_string (settings, "transport");

  gtk_editable_set_text (GTK_EDITABLE (self->uri_row), ap_settings_get_account_uri (settings));
  gtk_editable_set_text (GTK_EDITABLE (self->server_row),
                         ap_settings_get_string (settings, "server"));
  gtk_editable_set_text (GTK_EDITABLE (self->user_row), ap_settings_get_auth_user (settings));
  for (guint i = 0; i < G_N_ELEMENTS (transports); i++)
    if (g_str_equal (transport, transports[i]))
      adw_combo_row_set_selected (self->transport_row, i);
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
  gtk_widget_class_bind_template_child (widget_class, ApWindow, uri_row);
  gtk_widget_class_bind_template_child (widget_class, ApWindow, server_row);
  gtk_widget_class_bind_template_child (widget_class, ApWindow, user_row);
  gtk_widget_class_bind_template_child (widget_class, ApWindow, password_row);
  gtk_widget_class_bind_template_child (widget_class, ApWindow, transport_row);
  gtk_widget_class_bind_template_child (widget_class, ApWindow, register_button);
  gtk_widget_class_bind_template_child (widget_class, ApWindow, unregister_button);
  gtk_widget_class_bind_template_callback (widget_class, on_register_clicked);
  gtk_widget_class_bind_template_child (widget_class, ApWindow, echo_row);
  gtk_widget_class_bind_template_child (widget_class, ApWindow, echo_button);
  gtk_widget_class_bind_template_callback (widget_class, on_unregister_clicked);
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
  fill_from_settings (self);
  g_signal_connect_swapped (self->uri_row, "changed", G_CALLBACK (validate_fields), self);
  g_signal_connect_swapped (self->server_row, "changed", G_CALLBACK (validate_fields), self);
  validate_fields (self);
  update_status (self);
  return self;
}
