/* ap-account-panel.c: the "account" page: the SIP account, its server and
 * media settings. Every field is checked as it is typed by the same core
 * validation Configure() uses, so the window never accepts what DBus would
 * refuse (or the other way round). */
#define G_LOG_DOMAIN "Agentphone-ui"

#include "config.h"

#include "ap-account-panel.h"

#include <glib/gi18n.h>

#include "ap-uri.h"
#include "ap-window-panels.h"

/* In the order of the combo rows' items. */
static const char *const transports[] = { "udp", "tcp", "tls" };
static const char *const srtp_modes[] = { "off", "optional", "mandatory" };
static const char *const dtmf_modes[] = { "rfc4733", "info", "inband", "auto" };

struct _ApAccountPanel {
  AdwBin parent_instance;

  ApPhone *phone;

  AdwEntryRow *uri_row;
  AdwEntryRow *user_row;
  AdwEntryRow *password_row;
  AdwEntryRow *server_row;
  AdwEntryRow *port_row;
  AdwComboRow *transport_row;
  AdwComboRow *srtp_row;
  AdwEntryRow *codecs_row;
  AdwComboRow *dtmf_row;
  AdwPreferencesGroup *error_group;
  GtkLabel *error_label;
  GtkButton *save_button;
  GtkButton *register_button;
  GtkButton *unregister_button;
};

G_DEFINE_FINAL_TYPE (ApAccountPanel, ap_account_panel, ADW_TYPE_BIN)

static const char *
row_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static const char *
choice (AdwComboRow *row, const char *const *choices, guint n)
{
  return choices[MIN (adw_combo_row_get_selected (row), n - 1)];
}

static void
select_choice (AdwComboRow *row, const char *const *choices, guint n, const char *value)
{
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (value, choices[i]) == 0)
      adw_combo_row_set_selected (row, i);
}

/* "opus, PCMA" or "opus pcma" -> ['opus', 'pcma']; empty words dropped. */
static GVariant *
parse_codecs (const char *text)
{
  g_autofree char *lower = g_ascii_strdown (text, -1);
  g_auto (GStrv) words = g_strsplit_set (lower, ", ", -1);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) codecs = NULL;

  for (guint i = 0; words[i]; i++)
    if (*words[i] != '\0')
      g_strv_builder_add (builder, words[i]);
  codecs = g_strv_builder_end (builder);
  return g_variant_new_strv ((const char *const *) codecs, -1);
}

/* The port as a GVariant, or NULL with @error when it is not a number. */
static GVariant *
parse_port (const char *text, GError **error)
{
  guint64 port = 0;

  if (*text == '\0')
    return g_variant_new_uint32 (0);
  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT32, &port, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _ ("Port: “%s” is not a number"),
                   text);
      return NULL;
    }
  return g_variant_new_uint32 ((guint32) port);
}

/* Marks @row red when @value (consumed) is not valid for @key; keeps the
 * first message for the label under the form. */
static gboolean
check_row (AdwEntryRow *row, const char *key, GVariant *value, GError *parse_error,
           GString *message)
{
  g_autoptr (GError) error = parse_error;
  gboolean valid = error == NULL && ap_settings_check (key, value, &error);

  if (valid)
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      if (message->len == 0)
        g_string_append (message, error->message);
    }
  return valid;
}

static gboolean
check_uri (ApAccountPanel *self, GString *message)
{
  const char *uri = row_text (self->uri_row);
  gboolean valid = *uri == '\0' || ap_uri_is_account (uri);

  if (valid)
    gtk_widget_remove_css_class (GTK_WIDGET (self->uri_row), "error");
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->uri_row), "error");
      if (message->len == 0)
        g_string_append_printf (message, _ ("“%s” is not an account address: use sip:user@domain"),
                                uri);
    }
  return valid;
}

/* Inline validation: a wrong field turns red as it is typed, its reason is
 * shown above the form (where it is seen without scrolling), and Save and Register wait until all
 * is valid. */
static void
validate (ApAccountPanel *self)
{
  g_autoptr (GString) message = g_string_new (NULL);
  GError *port_error = NULL;
  GVariant *port = parse_port (row_text (self->port_row), &port_error);
  gboolean valid = TRUE;

  valid &= check_uri (self, message);
  valid &= check_row (self->server_row, "server",
                      g_variant_new_string (row_text (self->server_row)), NULL, message);
  valid &= check_row (self->port_row, "port", port, port_error, message);
  valid &= check_row (self->codecs_row, "audio-codecs", parse_codecs (row_text (self->codecs_row)),
                      NULL, message);
  gtk_label_set_text (self->error_label, message->str);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), !valid);
  gtk_widget_set_visible (GTK_WIDGET (self->error_group), !valid);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), valid);
  gtk_widget_set_sensitive (GTK_WIDGET (self->register_button),
                            valid && *row_text (self->uri_row) != '\0');
}

static void
update_unregister (ApAccountPanel *self)
{
  ApRegistrationState state = ap_account_get_state (ap_phone_get_account (self->phone));

  gtk_widget_set_sensitive (GTK_WIDGET (self->unregister_button),
                            state == AP_REGISTRATION_STATE_REGISTERED
                              || state == AP_REGISTRATION_STATE_REGISTERING
                              || state == AP_REGISTRATION_STATE_FAILED);
}

static gboolean
save (ApAccountPanel *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) port_error = NULL;
  GVariantDict dict;
  GVariant *port = parse_port (row_text (self->port_row), &port_error);

  if (port == NULL)
    {
      ap_panel_toast (GTK_WIDGET (self), port_error->message);
      return FALSE;
    }
  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "server", "s", row_text (self->server_row));
  g_variant_dict_insert_value (&dict, "port", port);
  g_variant_dict_insert (&dict, "transport", "s",
                         choice (self->transport_row, transports, G_N_ELEMENTS (transports)));
  g_variant_dict_insert (&dict, "srtp", "s",
                         choice (self->srtp_row, srtp_modes, G_N_ELEMENTS (srtp_modes)));
  g_variant_dict_insert_value (&dict, "audio-codecs", parse_codecs (row_text (self->codecs_row)));
  g_variant_dict_insert (&dict, "dtmf-mode", "s",
                         choice (self->dtmf_row, dtmf_modes, G_N_ELEMENTS (dtmf_modes)));
  if (!ap_phone_configure (self->phone, g_variant_dict_end (&dict), &error))
    {
      ap_panel_toast (GTK_WIDGET (self), error->message);
      return FALSE;
    }
  return TRUE;
}

static void
on_save_clicked (ApAccountPanel *self)
{
  if (save (self))
    ap_panel_toast (GTK_WIDGET (self), _ ("Settings saved"));
}

static void
on_register_clicked (ApAccountPanel *self)
{
  g_autoptr (GError) error = NULL;

  if (!save (self))
    return;
  if (!ap_phone_register (self->phone, row_text (self->uri_row), row_text (self->user_row),
                          row_text (self->password_row), &error))
    {
      ap_panel_toast (GTK_WIDGET (self), error->message);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
}

static void
on_unregister_clicked (ApAccountPanel *self)
{
  g_autoptr (GError) error = NULL;

  if (!ap_phone_unregister (self->phone, &error))
    ap_panel_toast (GTK_WIDGET (self), error->message);
}

static void
fill_from_settings (ApAccountPanel *self)
{
  ApSettings *settings = ap_phone_get_settings (self->phone);
  g_auto (GStrv) codecs = ap_settings_get_strv (settings, "audio-codecs");
  g_autofree char *codec_text = g_strjoinv (", ", codecs);
  g_autofree char *port = g_strdup_printf ("%u", ap_settings_get_uint (settings, "port"));

  gtk_editable_set_text (GTK_EDITABLE (self->uri_row), ap_settings_get_account_uri (settings));
  gtk_editable_set_text (GTK_EDITABLE (self->user_row), ap_settings_get_auth_user (settings));
  gtk_editable_set_text (GTK_EDITABLE (self->server_row),
                         ap_settings_get_string (settings, "server"));
  gtk_editable_set_text (GTK_EDITABLE (self->port_row), port);
  gtk_editable_set_text (GTK_EDITABLE (self->codecs_row), codec_text);
  select_choice (self->transport_row, transports, G_N_ELEMENTS (transports),
                 ap_settings_get_string (settings, "transport"));
  select_choice (self->srtp_row, srtp_modes, G_N_ELEMENTS (srtp_modes),
                 ap_settings_get_string (settings, "srtp"));
  select_choice (self->dtmf_row, dtmf_modes, G_N_ELEMENTS (dtmf_modes),
                 ap_settings_get_string (settings, "dtmf-mode"));
}

static void
ap_account_panel_dispose (GObject *object)
{
  ApAccountPanel *self = AP_ACCOUNT_PANEL (object);

  if (self->phone)
    g_signal_handlers_disconnect_by_data (ap_phone_get_account (self->phone), self);
  g_clear_object (&self->phone);
  gtk_widget_dispose_template (GTK_WIDGET (self), AP_TYPE_ACCOUNT_PANEL);
  G_OBJECT_CLASS (ap_account_panel_parent_class)->dispose (object);
}

static void
ap_account_panel_class_init (ApAccountPanelClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ap_account_panel_dispose;
  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/agentphone/Agentphone/ap-account-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, ApAccountPanel, uri_row);
  gtk_widget_class_bind_template_child (widget_class, ApAccountPanel, user_row);
  gtk_widget_class_bind_template_child (widget_class, ApAccountPanel, password_row);
  gtk_widget_class_bind_template_child (widget_class, ApAccountPanel, server_row);
  gtk_widget_class_bind_template_child (widget_class, ApAccountPanel, port_row);
  gtk_widget_class_bind_template_child (widget_class, ApAccountPanel, transport_row);
  gtk_widget_class_bind_template_child (widget_class, ApAccountPanel, srtp_row);
  gtk_widget_class_bind_template_child (widget_class, ApAccountPanel, codecs_row);
  gtk_widget_class_bind_template_child (widget_class, ApAccountPanel, dtmf_row);
  gtk_widget_class_bind_template_child (widget_class, ApAccountPanel, error_group);
  gtk_widget_class_bind_template_child (widget_class, ApAccountPanel, error_label);
  gtk_widget_class_bind_template_child (widget_class, ApAccountPanel, save_button);
  gtk_widget_class_bind_template_child (widget_class, ApAccountPanel, register_button);
  gtk_widget_class_bind_template_child (widget_class, ApAccountPanel, unregister_button);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_register_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_unregister_clicked);
}

static void
ap_account_panel_init (ApAccountPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/** ap_account_panel_new: the account page, a view of @phone's account and settings */
GtkWidget *
ap_account_panel_new (ApPhone *phone)
{
  ApAccountPanel *self = g_object_new (AP_TYPE_ACCOUNT_PANEL, NULL);
  AdwEntryRow *validated[] = { self->uri_row, self->server_row, self->port_row, self->codecs_row };

  self->phone = g_object_ref (phone);
  fill_from_settings (self);
  for (guint i = 0; i < G_N_ELEMENTS (validated); i++)
    g_signal_connect_swapped (validated[i], "changed", G_CALLBACK (validate), self);
  g_signal_connect_swapped (ap_phone_get_account (phone), "notify::state",
                            G_CALLBACK (update_unregister), self);
  validate (self);
  update_unregister (self);
  return GTK_WIDGET (self);
}
