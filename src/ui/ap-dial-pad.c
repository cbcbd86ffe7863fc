/* ap-dial-pad.c: the number entry, twelve digit keys, redial and call.
 *
 * Digits type into the entry while no call is connected, and are sent as
 * DTMF to the connected call otherwise: an agent's hand goes to the same
 * keys for both. Dialling calls ap_phone_dial(), the function behind DBus
 * Dial(). */
#define G_LOG_DOMAIN "Agentphone-ui"

#include "config.h"

#include "ap-dial-pad.h"

#include <glib/gi18n.h>

static const char *const digits = "123456789*0#";
/* A space where there are no letters keeps every digit on the same line. */
static const char *const letters[]
  = { " ", "ABC", "DEF", "GHI", "JKL", "MNO", "PQRS", "TUV", "WXYZ", " ", "+", " " };

struct _ApDialPad {
  GtkBox parent_instance;

  ApPhone *phone;
  char *last_target; /* dialled in this run; history covers earlier runs */

  GtkEntry *entry;
  GtkGrid *grid;
  GtkWidget *redial_button;
  GtkWidget *call_button;
};

G_DEFINE_FINAL_TYPE (ApDialPad, ap_dial_pad, GTK_TYPE_BOX)

static void
show_error (ApDialPad *self, const GError *error)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (error->message));
  else
    g_warning ("%s", error->message);
}

/* The connected call digits go to, or NULL. */
static ApCall *
connected_call (ApDialPad *self)
{
  GListModel *calls = self->phone ? ap_phone_get_calls (self->phone) : NULL;

  for (guint i = 0; calls && i < g_list_model_get_n_items (calls); i++)
    {
      g_autoptr (ApCall) call = g_list_model_get_item (calls, i);

      if (ap_call_get_state (call) == AP_CALL_STATE_CONNECTED)
        return call; /* the model keeps it alive */
    }
  return NULL;
}

/**
 * ap_dial_pad_get_redial:
 *
 * Returns: (nullable): what redial dials: the last target dialled in this
 *   run, else the newest outgoing call in the history
 */
const char *
ap_dial_pad_get_redial (ApDialPad *self)
{
  g_autoptr (GVariant) history = NULL;
  GVariantIter iter;
  GVariant *entry;

  g_return_val_if_fail (AP_IS_DIAL_PAD (self), NULL);
  if (self->last_target || self->phone == NULL || ap_phone_get_history_store (self->phone) == NULL)
    return self->last_target;
  history = ap_phone_get_history (self->phone, 50);
  g_variant_iter_init (&iter, history);
  while ((entry = g_variant_iter_next_value (&iter)))
    {
      g_autoptr (GVariant) owned = entry;
      const char *direction = NULL, *peer = NULL;

      if (g_variant_lookup (entry, "direction", "&s", &direction)
          && g_str_equal (direction, "outgoing") && g_variant_lookup (entry, "peer", "&s", &peer)
          && *peer)
        {
          self->last_target = g_strdup (peer);
          break;
        }
    }
  return self->last_target;
}

static void
update_buttons (ApDialPad *self)
{
  const char *redial = ap_dial_pad_get_redial (self);
  g_autofree char *tooltip = NULL;

  gtk_widget_set_sensitive (self->call_button,
                            *gtk_editable_get_text (GTK_EDITABLE (self->entry)) != '\0');
  gtk_widget_set_sensitive (self->redial_button, redial != NULL);
  tooltip = redial ? g_strdup_printf (_ ("Redial %s"), redial) : g_strdup (_ ("Redial"));
  gtk_widget_set_tooltip_text (self->redial_button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->redial_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
}

/**
 * ap_dial_pad_normalize:
 * @text: what was typed or pasted
 *
 * Pasted numbers come with spaces, dashes, dots and brackets ("+1 (555)
 * 010-9999", "tel:+1-555-010-9999"): those go, so the core sees a number.
 * sip: and sips: addresses are only trimmed.
 *
 * Returns: (transfer full): the target to dial
 */
char *
ap_dial_pad_normalize (const char *text)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text));
  GString *out;
  const char *p = trimmed;
  gboolean params = FALSE;

  if (g_ascii_strncasecmp (trimmed, "sip:", 4) == 0
      || g_ascii_strncasecmp (trimmed, "sips:", 5) == 0)
    return g_steal_pointer (&trimmed);
  out = g_string_new (NULL);
  if (g_ascii_strncasecmp (trimmed, "tel:", 4) == 0)
    {
      g_string_append (out, "tel:");
      p += 4;
    }
  for (; *p; p++)
    {
      params |= *p == ';';
      if (params || !strchr (" \t-.()/", *p))
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/**
 * ap_dial_pad_dial:
 *
 * Dials what the entry holds, through ap_phone_dial().
 *
 * Returns: (transfer none) (nullable): the new call
 */
ApCall *
ap_dial_pad_dial (ApDialPad *self, GError **error)
{
  g_autofree char *target = NULL;
  ApCall *call;

  g_return_val_if_fail (AP_IS_DIAL_PAD (self), NULL);
  target = ap_dial_pad_normalize (gtk_editable_get_text (GTK_EDITABLE (self->entry)));
  if (*target == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _ ("Type a number or a sip: address to call"));
      return NULL;
    }
  call = ap_phone_dial (self->phone, target, NULL, error);
  if (call == NULL)
    return NULL;
  g_free (self->last_target);
  self->last_target = g_steal_pointer (&target);
  gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
  update_buttons (self);
  return call;
}

static void
on_entry_activate (ApDialPad *self)
{
  g_autoptr (GError) error = NULL;

  if (ap_dial_pad_dial (self, &error) == NULL)
    show_error (self, error);
}

static void
on_redial_clicked (ApDialPad *self)
{
  const char *target = ap_dial_pad_get_redial (self);

  if (target == NULL)
    return;
  gtk_editable_set_text (GTK_EDITABLE (self->entry), target);
  on_entry_activate (self);
}

static void
on_clear (ApDialPad *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
}

static void
on_digit_clicked (GtkButton *button, ApDialPad *self)
{
  const char *digit = g_object_get_data (G_OBJECT (button), "ap-digit");

  ap_dial_pad_press_digit (self, digit[0]);
}

static GtkWidget *
digit_button (guint index)
{
  g_autofree char *markup = g_strdup_printf (
    "<span size='x-large'>%c</span>\n<span size='small'>%s</span>", digits[index], letters[index]);
  char digit[2] = { digits[index], '\0' };
  GtkWidget *button = gtk_button_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_markup (GTK_LABEL (label), markup);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
  gtk_button_set_child (GTK_BUTTON (button), label);
  gtk_widget_set_size_request (button, 68, 56);
  g_object_set_data_full (G_OBJECT (button), "ap-digit", g_strdup (digit), g_free);
  gtk_widget_set_name (button, digit);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, digit,
                                  -1);
  return button;
}

static void
ap_dial_pad_dispose (GObject *object)
{
  ApDialPad *self = AP_DIAL_PAD (object);

  g_clear_object (&self->phone);
  g_clear_pointer (&self->last_target, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), AP_TYPE_DIAL_PAD);
  G_OBJECT_CLASS (ap_dial_pad_parent_class)->dispose (object);
}

static void
ap_dial_pad_class_init (ApDialPadClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ap_dial_pad_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/agentphone/Agentphone/ap-dial-pad.ui");
  gtk_widget_class_bind_template_child (widget_class, ApDialPad, entry);
  gtk_widget_class_bind_template_child (widget_class, ApDialPad, grid);
  gtk_widget_class_bind_template_child (widget_class, ApDialPad, redial_button);
  gtk_widget_class_bind_template_child (widget_class, ApDialPad, call_button);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activate);
  gtk_widget_class_bind_template_callback (widget_class, update_buttons);
  gtk_widget_class_bind_template_callback (widget_class, on_redial_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_clear);
}

static void
ap_dial_pad_init (ApDialPad *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  for (guint i = 0; digits[i]; i++)
    {
      GtkWidget *button = digit_button (i);

      g_signal_connect (button, "clicked", G_CALLBACK (on_digit_clicked), self);
      gtk_grid_attach (self->grid, button, i % 3, i / 3, 1, 1);
    }
}

/** ap_dial_pad_set_phone: the phone this pad dials with (once) */
void
ap_dial_pad_set_phone (ApDialPad *self, ApPhone *phone)
{
  g_return_if_fail (AP_IS_DIAL_PAD (self));
  g_set_object (&self->phone, phone);
  update_buttons (self);
}

/** ap_dial_pad_focus_entry: puts the keyboard in the number entry */
void
ap_dial_pad_focus_entry (ApDialPad *self)
{
  g_return_if_fail (AP_IS_DIAL_PAD (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
  gtk_editable_select_region (GTK_EDITABLE (self->entry), 0, -1);
}

/**
 * ap_dial_pad_press_digit:
 * @digit: `0-9`, `*` or `#`
 *
 * Sends @digit as DTMF to the connected call, or types it into the entry
 * when no call is connected.
 */
void
ap_dial_pad_press_digit (ApDialPad *self, char digit)
{
  char text[2] = { digit, '\0' };
  ApCall *call;
  int position;

  g_return_if_fail (AP_IS_DIAL_PAD (self));
  call = connected_call (self);
  if (call != NULL)
    {
      g_autoptr (GError) error = NULL;

      if (!ap_call_send_dtmf (call, text, &error))
        show_error (self, error);
      return;
    }
  position = gtk_editable_get_position (GTK_EDITABLE (self->entry));
  gtk_editable_insert_text (GTK_EDITABLE (self->entry), text, 1, &position);
  gtk_editable_set_position (GTK_EDITABLE (self->entry), position);
}
