/* ap-call-row.c: one call in the window's call list.
 *
 * A view of one ApCall: who, what state, how long, how good the line is, the
 * caller data a CRM needs, and the controls that fit the state. Every button
 * calls the core function its DBus twin calls; the row keeps no state of its
 * own beyond its timer. */
#define G_LOG_DOMAIN "Agentphone-ui"

#include "config.h"

#include "ap-call-row.h"

#include "ap-call-record.h"

#include <glib/gi18n.h>

#include "ap-call-video-controls.h"

#define MOS_GOOD 4.0
#define MOS_FAIR 3.6

static const char *const keypad_digits = "123456789*0#";

/* Headers a CRM screen pop cares about, in the order shown; X- headers follow. */
static const char *const shown_headers[]
  = { "P-Asserted-Identity", "Remote-Party-ID", "Subject",
      "Organization",        "Diversion",       "User-to-User" };

struct _ApCallRow {
  GtkListBoxRow parent_instance;

  ApCall *call;
  ApPhone *phone;
  guint timer_id;

  GtkImage *direction_icon;
  GtkLabel *peer_label;
  GtkLabel *detail_label;
  GtkLabel *state_label;
  GtkLabel *timer_label;
  GtkLabel *quality_label;
  GtkLabel *headers_label;
  GtkWidget *answer_button;
  GtkWidget *reject_button;
  GtkWidget *hold_button;
  GtkWidget *mute_button;
  GtkWidget *dtmf_button;
  GtkGrid *dtmf_grid;
  GtkWidget *transfer_button;
  GtkPopover *transfer_popover;
  GtkEntry *transfer_entry;
  GtkWidget *attended_title;
  GtkBox *attended_box;
  GtkBox *extras_box;
  GtkWidget *hangup_button;
};

G_DEFINE_FINAL_TYPE (ApCallRow, ap_call_row, GTK_TYPE_LIST_BOX_ROW)

static void
show_error (ApCallRow *self, const GError *error)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (error->message));
  else
    g_warning ("%s", error->message);
}

static void
check (ApCallRow *self, gboolean ok, GError *error)
{
  if (!ok)
    {
      show_error (self, error);
      g_error_free (error);
    }
}

/* Icon-only buttons say in words what they do, for screen readers and tooltips. */
static void
set_icon_button (GtkWidget *button, const char *icon, const char *label)
{
  if (GTK_IS_MENU_BUTTON (button))
    gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), icon);
  else
    gtk_button_set_icon_name (GTK_BUTTON (button), icon);
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static const char *
state_text (ApCallState state)
{
  switch (state)
    {
    case AP_CALL_STATE_DIALING:
      return _ ("Dialing…");
    case AP_CALL_STATE_RINGING_BACK:
      return _ ("Ringing…");
    case AP_CALL_STATE_INCOMING:
      return _ ("Incoming call");
    case AP_CALL_STATE_CONNECTED:
      return _ ("Connected");
    case AP_CALL_STATE_HELD:
      return _ ("On hold");
    case AP_CALL_STATE_ENDED:
    default:
      return _ ("Ended");
    }
}

/**
 * ap_call_row_format_quality:
 * @stats: a call's `stats` (a{sv})
 * @grade: (out): 0 good, 1 fair, 2 poor, -1 nothing measured yet
 *
 * Returns: (transfer full) (nullable): the indicator's text, e.g. "Good 4.3"
 */
char *
ap_call_row_format_quality (GVariant *stats, int *grade)
{
  double mos = 0;

  *grade = -1;
  if (stats == NULL || !g_variant_lookup (stats, "mos", "d", &mos) || mos <= 0)
    return NULL;
  if (mos >= MOS_GOOD)
    {
      *grade = 0;
      /* TRANSLATORS: call quality with its MOS score (1 to 5) */
      return g_strdup_printf (_ ("Good %.1f"), mos);
    }
  if (mos >= MOS_FAIR)
    {
      *grade = 1;
      return g_strdup_printf (_ ("Fair %.1f"), mos);
    }
  *grade = 2;
  return g_strdup_printf (_ ("Poor %.1f"), mos);
}

static void
update_quality (ApCallRow *self)
{
  static const char *const classes[] = { "success", "warning", "error" };
  GVariant *stats = ap_call_get_stats (self->call);
  ApCallState state = ap_call_get_state (self->call);
  GtkWidget *label = GTK_WIDGET (self->quality_label);
  double loss = 0, jitter = 0, rtt = 0;
  g_autofree char *text = NULL;
  g_autofree char *tooltip = NULL;
  int grade;

  text = ap_call_row_format_quality (stats, &grade);
  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (label, classes[i]);
  gtk_widget_set_visible (
    label, text != NULL && (state == AP_CALL_STATE_CONNECTED || state == AP_CALL_STATE_HELD));
  if (text == NULL)
    return;
  gtk_widget_add_css_class (label, classes[grade]);
  gtk_label_set_text (self->quality_label, text);
  g_variant_lookup (stats, "loss-percent", "d", &loss);
  g_variant_lookup (stats, "jitter-ms", "d", &jitter);
  g_variant_lookup (stats, "rtt-ms", "d", &rtt);
  tooltip = g_strdup_printf (_ ("Call quality (MOS, 1 to 5). Loss %.1f %%, jitter %.1f ms, "
                                "round trip %.0f ms"),
                             loss, jitter, rtt);
  gtk_widget_set_tooltip_text (label, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  tooltip, -1);
}

static void
append_header (GString *text, const char *name, const char *value)
{
  if (text->len > 0)
    g_string_append_c (text, '\n');
  g_string_append_printf (text, "%s: %s", name, value);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return g_ascii_strcasecmp (*(const char *const *) a, *(const char *const *) b);
}

/* The caller data, as a CRM agent reads it: identity and subject first,
 * then every X- header in a stable order. */
static void
update_headers (ApCallRow *self)
{
  GHashTable *headers = ap_call_get_headers (self->call);
  g_autoptr (GString) text = g_string_new (NULL);
  g_autofree const char **names = NULL;
  guint n = 0;

  if (headers != NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (shown_headers); i++)
        {
          const char *value = g_hash_table_lookup (headers, shown_headers[i]);

          if (value && *value)
            append_header (text, shown_headers[i], value);
        }
      names = (const char **) g_hash_table_get_keys_as_array (headers, &n);
      qsort (names, n, sizeof (char *), compare_names);
      for (guint i = 0; i < n; i++)
        if (g_ascii_strncasecmp (names[i], "X-", 2) == 0)
          append_header (text, names[i], g_hash_table_lookup (headers, names[i]));
    }
  gtk_label_set_text (self->headers_label, text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->headers_label), text->len > 0);
}

static void
update_timer (ApCallRow *self)
{
  gint64 start = ap_call_get_start_time (self->call);
  gint64 seconds;
  g_autofree char *text = NULL;

  if (start <= 0)
    {
      gtk_label_set_text (self->timer_label, "");
      return;
    }
  seconds = MAX (0, (g_get_real_time () - start) / G_USEC_PER_SEC);
  if (seconds >= 3600)
    text = g_strdup_printf ("%" G_GINT64_FORMAT ":%02d:%02d", seconds / 3600,
                            (int) (seconds / 60 % 60), (int) (seconds % 60));
  else
    text = g_strdup_printf ("%d:%02d", (int) (seconds / 60), (int) (seconds % 60));
  gtk_label_set_text (self->timer_label, text);
}

static gboolean
on_timer_tick (gpointer data)
{
  update_timer (AP_CALL_ROW (data));
  return G_SOURCE_CONTINUE;
}

static void
update_peer (ApCallRow *self)
{
  const char *name = ap_call_get_peer_name (self->call);
  const char *number = ap_call_get_peer_number (self->call);
  const char *peer = ap_call_get_peer (self->call);
  gboolean has_name = name && *name;
  gboolean has_number = number && *number;

  gtk_label_set_text (self->peer_label, has_name ? name : has_number ? number : peer);
  gtk_label_set_text (self->detail_label, has_name && has_number ? number : peer);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->peer_label), peer);
}

static void
update_state (ApCallRow *self)
{
  ApCallState state = ap_call_get_state (self->call);
  gboolean live = state == AP_CALL_STATE_CONNECTED || state == AP_CALL_STATE_HELD;
  gboolean held = ap_call_get_held (self->call);
  gboolean muted = ap_call_get_muted (self->call);
  g_autofree char *state_label = NULL;

  if (state == AP_CALL_STATE_ENDED && ap_call_get_end_code (self->call) != 0)
    state_label
      = g_strdup_printf ("%s: %s", state_text (state), ap_call_get_end_reason (self->call));
  else if (state == AP_CALL_STATE_CONNECTED && ap_call_get_remote_held (self->call))
    state_label = g_strdup (_ ("Held by the other side"));
  gtk_label_set_text (self->state_label, state_label ? state_label : state_text (state));

  gtk_widget_set_visible (self->answer_button, state == AP_CALL_STATE_INCOMING);
  gtk_widget_set_visible (self->reject_button, state == AP_CALL_STATE_INCOMING);
  gtk_widget_set_visible (self->hold_button, live);
  gtk_widget_set_visible (self->mute_button, live);
  gtk_widget_set_visible (self->dtmf_button, state == AP_CALL_STATE_CONNECTED);
  gtk_widget_set_visible (self->transfer_button, live);
  /* Ringing, Reject is the way to end it: one red button, not two. */
  gtk_widget_set_visible (self->hangup_button,
                          state != AP_CALL_STATE_ENDED && state != AP_CALL_STATE_INCOMING);
  gtk_widget_set_visible (GTK_WIDGET (self->extras_box), live);
  set_icon_button (self->hold_button,
                   held ? "media-playback-start-symbolic" : "media-playback-pause-symbolic",
                   held ? _ ("Resume (Ctrl+Shift+H)") : _ ("Hold (Ctrl+Shift+H)"));
  set_icon_button (self->mute_button,
                   muted ? "microphone-sensitivity-muted-symbolic"
                         : "audio-input-microphone-symbolic",
                   muted ? _ ("Unmute (Ctrl+M)") : _ ("Mute (Ctrl+M)"));
  if (muted)
    gtk_widget_add_css_class (self->mute_button, "error");
  else
    gtk_widget_remove_css_class (self->mute_button, "error");
  gtk_image_set_from_icon_name (self->direction_icon,
                                ap_call_get_direction (self->call) == AP_CALL_DIRECTION_INCOMING
                                  ? "call-incoming-symbolic"
                                  : "call-outgoing-symbolic");

  if (live && self->timer_id == 0)
    self->timer_id = g_timeout_add_seconds (1, on_timer_tick, self);
  else if (!live)
    g_clear_handle_id (&self->timer_id, g_source_remove);
  update_timer (self);
  update_quality (self);
}

static void
on_call_notify (ApCall *call, GParamSpec *pspec, ApCallRow *self)
{
  if (g_str_equal (pspec->name, "stats"))
    update_quality (self);
  else if (g_str_equal (pspec->name, "headers"))
    update_headers (self);
  else if (g_str_has_prefix (pspec->name, "peer"))
    update_peer (self);
  else if (!g_str_has_suffix (pspec->name, "-level"))
    update_state (self);
}

static void
on_answer_clicked (ApCallRow *self)
{
  GError *error = NULL;

  check (self, ap_call_answer (self->call, &error), error);
}

static void
on_reject_clicked (ApCallRow *self)
{
  GError *error = NULL;

  check (self, ap_call_reject (self->call, 486, &error), error);
}

static void
on_hangup_clicked (ApCallRow *self)
{
  GError *error = NULL;

  check (self, ap_call_hangup (self->call, &error), error);
}

static void
on_hold_clicked (ApCallRow *self)
{
  GError *error = NULL;
  gboolean ok = ap_call_get_held (self->call) ? ap_call_resume (self->call, &error)
                                              : ap_call_hold (self->call, &error);

  check (self, ok, error);
}

static void
on_mute_clicked (ApCallRow *self)
{
  GError *error = NULL;

  check (self, ap_call_set_muted (self->call, !ap_call_get_muted (self->call), &error), error);
}

static void
on_digit_clicked (GtkButton *button, ApCallRow *self)
{
  GError *error = NULL;

  check (self, ap_call_send_dtmf (self->call, gtk_button_get_label (button), &error), error);
}

static void
on_blind_transfer (ApCallRow *self)
{
  GError *error = NULL;
  const char *target = gtk_editable_get_text (GTK_EDITABLE (self->transfer_entry));

  if (!ap_phone_transfer (self->phone, self->call, target, &error))
    {
      check (self, FALSE, error);
      return;
    }
  gtk_popover_popdown (self->transfer_popover);
}

static void
on_attended_clicked (GtkButton *button, ApCallRow *self)
{
  GError *error = NULL;
  guint id = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "ap-call-id"));
  ApCall *other = ap_phone_find_call (self->phone, id);

  if (other == NULL)
    {
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _ ("That call has ended: pick another one"));
      check (self, FALSE, error);
      return;
    }
  if (ap_call_transfer_to_call (self->call, other, &error))
    gtk_popover_popdown (self->transfer_popover);
  else
    check (self, FALSE, error);
}

/* Attended transfer: one button per other live call, built when the popover
 * opens so the list is current. */
static void
on_transfer_shown (ApCallRow *self)
{
  GListModel *calls = ap_phone_get_calls (self->phone);
  GtkWidget *child;
  guint shown = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->attended_box))))
    gtk_box_remove (self->attended_box, child);
  for (guint i = 0; i < g_list_model_get_n_items (calls); i++)
    {
      g_autoptr (ApCall) other = g_list_model_get_item (calls, i);
      ApCallState state = ap_call_get_state (other);
      g_autofree char *label = NULL;
      GtkWidget *button;

      if (other == self->call || (state != AP_CALL_STATE_CONNECTED && state != AP_CALL_STATE_HELD))
        continue;
      label = g_strdup_printf (_ ("Connect with %s"), ap_call_get_peer_number (other)[0]
                                                        ? ap_call_get_peer_number (other)
                                                        : ap_call_get_peer (other));
      button = gtk_button_new_with_label (label);
      gtk_widget_set_name (button, "attended-transfer");
      g_object_set_data (G_OBJECT (button), "ap-call-id",
                         GUINT_TO_POINTER (ap_call_get_id (other)));
      g_signal_connect (button, "clicked", G_CALLBACK (on_attended_clicked), self);
      gtk_box_append (self->attended_box, button);
      shown++;
    }
  gtk_widget_set_visible (self->attended_title, shown > 0);
  gtk_widget_grab_focus (GTK_WIDGET (self->transfer_entry));
}

static void
build_keypad (ApCallRow *self)
{
  for (guint i = 0; keypad_digits[i]; i++)
    {
      char digit[2] = { keypad_digits[i], '\0' };
      GtkWidget *button = gtk_button_new_with_label (digit);

      gtk_widget_set_size_request (button, 48, 40);
      g_signal_connect (button, "clicked", G_CALLBACK (on_digit_clicked), self);
      gtk_grid_attach (self->dtmf_grid, button, i % 3, i / 3, 1, 1);
    }
}

static void
ap_call_row_dispose (GObject *object)
{
  ApCallRow *self = AP_CALL_ROW (object);

  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (self->call)
    g_signal_handlers_disconnect_by_data (self->call, self);
  g_clear_object (&self->call);
  g_clear_object (&self->phone);
  gtk_widget_dispose_template (GTK_WIDGET (self), AP_TYPE_CALL_ROW);
  G_OBJECT_CLASS (ap_call_row_parent_class)->dispose (object);
}

static void
ap_call_row_class_init (ApCallRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ap_call_row_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/agentphone/Agentphone/ap-call-row.ui");
  gtk_widget_class_bind_template_child (widget_class, ApCallRow, direction_icon);
  gtk_widget_class_bind_template_child (widget_class, ApCallRow, peer_label);
  gtk_widget_class_bind_template_child (widget_class, ApCallRow, detail_label);
  gtk_widget_class_bind_template_child (widget_class, ApCallRow, state_label);
  gtk_widget_class_bind_template_child (widget_class, ApCallRow, timer_label);
  gtk_widget_class_bind_template_child (widget_class, ApCallRow, quality_label);
  gtk_widget_class_bind_template_child (widget_class, ApCallRow, headers_label);
  gtk_widget_class_bind_template_child (widget_class, ApCallRow, answer_button);
  gtk_widget_class_bind_template_child (widget_class, ApCallRow, reject_button);
  gtk_widget_class_bind_template_child (widget_class, ApCallRow, hold_button);
  gtk_widget_class_bind_template_child (widget_class, ApCallRow, mute_button);
  gtk_widget_class_bind_template_child (widget_class, ApCallRow, dtmf_button);
  gtk_widget_class_bind_template_child (widget_class, ApCallRow, dtmf_grid);
  gtk_widget_class_bind_template_child (widget_class, ApCallRow, transfer_button);
  gtk_widget_class_bind_template_child (widget_class, ApCallRow, transfer_popover);
  gtk_widget_class_bind_template_child (widget_class, ApCallRow, transfer_entry);
  gtk_widget_class_bind_template_child (widget_class, ApCallRow, attended_title);
  gtk_widget_class_bind_template_child (widget_class, ApCallRow, attended_box);
  gtk_widget_class_bind_template_child (widget_class, ApCallRow, extras_box);
  gtk_widget_class_bind_template_child (widget_class, ApCallRow, hangup_button);
  gtk_widget_class_bind_template_callback (widget_class, on_answer_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_reject_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_hangup_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_hold_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_mute_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_blind_transfer);
  gtk_widget_class_bind_template_callback (widget_class, on_transfer_shown);
}

static void
ap_call_row_init (ApCallRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  build_keypad (self);
  set_icon_button (self->dtmf_button, "input-dialpad-symbolic", _ ("Keypad: send tones"));
  set_icon_button (self->transfer_button, "send-to-symbolic", _ ("Transfer (Ctrl+T)"));
}

/** ap_call_row_new: a row showing @call; its controls act through @phone */
GtkWidget *
ap_call_row_new (ApCall *call, ApPhone *phone)
{
  ApCallRow *self = g_object_new (AP_TYPE_CALL_ROW, NULL);
  g_autofree char *name = g_strdup_printf ("call-%u", ap_call_get_id (call));

  self->call = g_object_ref (call);
  self->phone = g_object_ref (phone);
  gtk_widget_set_name (GTK_WIDGET (self), name);
  g_signal_connect (call, "notify", G_CALLBACK (on_call_notify), self);
  gtk_box_append (self->extras_box, ap_call_record_new (call));
  gtk_box_append (self->extras_box, ap_call_video_controls_new (call, phone));
  update_peer (self);
  update_headers (self);
  update_state (self);
  return GTK_WIDGET (self);
}

/** ap_call_row_get_call: the call this row shows */
ApCall *
ap_call_row_get_call (ApCallRow *self)
{
  g_return_val_if_fail (AP_IS_CALL_ROW (self), NULL);
  return self->call;
}

/** ap_call_row_get_extras: where feature branches add per-call buttons (record, video) */
GtkBox *
ap_call_row_get_extras (ApCallRow *self)
{
  g_return_val_if_fail (AP_IS_CALL_ROW (self), NULL);
  return self->extras_box;
}

/** ap_call_row_open_transfer: opens the transfer popover, focus in its entry */
void
ap_call_row_open_transfer (ApCallRow *self)
{
  g_return_if_fail (AP_IS_CALL_ROW (self));
  if (gtk_widget_get_visible (self->transfer_button))
    gtk_menu_button_popup (GTK_MENU_BUTTON (self->transfer_button));
}
