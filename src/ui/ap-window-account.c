/* ap-window-account.c: the old account form, kept as a page of its own until
 * the panels branch's account panel replaces it (then it is hidden, and can
 * be deleted). */
#define G_LOG_DOMAIN "Agentphone-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "ap-uri.h"
#include "ap-window-private.h"

static const char *const transports[] = { "udp", "tcp", "tls" };

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
update_unregister (ApWindow *self)
{
  ApRegistrationState state = ap_account_get_state (ap_phone_get_account (self->phone));

  gtk_widget_set_sensitive (GTK_WIDGET (self->unregister_button),
                            state == AP_REGISTRATION_STATE_REGISTERED
                              || state == AP_REGISTRATION_STATE_REGISTERING
                              || state == AP_REGISTRATION_STATE_FAILED);
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
      ap_window_show_error (self, error);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
}

static void
on_unregister_clicked (ApWindow *self)
{
  g_autoptr (GError) error = NULL;

  if (!ap_phone_unregister (self->phone, &error))
    ap_window_show_error (self, error);
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

void
ap_window_account_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, ApWindow, legacy_account_page);
  gtk_widget_class_bind_template_child (widget_class, ApWindow, uri_row);
  gtk_widget_class_bind_template_child (widget_class, ApWindow, server_row);
  gtk_widget_class_bind_template_child (widget_class, ApWindow, user_row);
  gtk_widget_class_bind_template_child (widget_class, ApWindow, password_row);
  gtk_widget_class_bind_template_child (widget_class, ApWindow, transport_row);
  gtk_widget_class_bind_template_child (widget_class, ApWindow, register_button);
  gtk_widget_class_bind_template_child (widget_class, ApWindow, unregister_button);
  gtk_widget_class_bind_template_callback (widget_class, on_register_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_unregister_clicked);
}

/* After ap_window_add_panels(): a real account panel makes this one redundant. */
void
ap_window_account_init (ApWindow *self)
{
  if (gtk_stack_get_child_by_name (self->stack, "account") != NULL)
    gtk_stack_page_set_visible (self->legacy_account_page, FALSE);
  fill_from_settings (self);
  g_signal_connect_swapped (self->uri_row, "changed", G_CALLBACK (validate_fields), self);
  g_signal_connect_swapped (self->server_row, "changed", G_CALLBACK (validate_fields), self);
  g_signal_connect_object (ap_phone_get_account (self->phone), "notify::state",
                           G_CALLBACK (update_unregister), self, G_CONNECT_SWAPPED);
  validate_fields (self);
  update_unregister (self);
}
