/* ap-devices-panel.c: the "devices" page: which microphone, speaker, ringer
 * and camera the phone uses, through the core's ApDeviceBackend (the media
 * engine behind it is never seen here). The lists are rebuilt when devices
 * come and go; "Test microphone" runs the core's live microphone meter
 * (its level, ten times a second, on a level bar) and "Play test sound"
 * plays the core's chime on the speaker or the ringer. */
#define G_LOG_DOMAIN "Agentphone-ui"

#include "config.h"

#include "ap-devices-panel.h"

#include <glib/gi18n.h>

#include "ap-window-panels.h"

#define METER_FLOOR_DBFS -60.0

struct _ApDevicesPanel {
  AdwBin parent_instance;

  ApPhone *phone;
  ApDeviceBackend *devices;             /* NULL when no media engine runs */
  GPtrArray *ids[AP_DEVICE_KIND_COUNT]; /* the rows' device ids, item by item */
  gboolean filling;
  gboolean monitor_started; /* by this page: it stops it when it goes */

  AdwPreferencesGroup *devices_group;
  AdwComboRow *microphone_row;
  AdwComboRow *speaker_row;
  AdwComboRow *ringer_row;
  AdwComboRow *camera_row;
  AdwActionRow *mic_test_row;
  GtkLevelBar *mic_level;
  GtkToggleButton *mic_test_button;
  AdwActionRow *sound_test_row;
};

G_DEFINE_FINAL_TYPE (ApDevicesPanel, ap_devices_panel, ADW_TYPE_BIN)

static AdwComboRow *
row_for (ApDevicesPanel *self, ApDeviceKind kind)
{
  AdwComboRow *rows[]
    = { self->microphone_row, self->speaker_row, self->ringer_row, self->camera_row };

  return rows[kind];
}

/* One kind's row: "System default" first, then the devices present now,
 * with the one in use selected. */
static void
fill_kind (ApDevicesPanel *self, ApDeviceKind kind)
{
  g_autoptr (GPtrArray) list = ap_device_backend_list (self->devices, kind);
  g_autofree char *selected = ap_device_backend_dup_selected (self->devices, kind);
  g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);
  GPtrArray *ids = self->ids[kind];
  guint position = 0;

  g_ptr_array_set_size (ids, 0);
  gtk_string_list_append (names, _ ("System default"));
  g_ptr_array_add (ids, g_strdup (""));
  for (guint i = 0; list && i < list->len; i++)
    {
      ApDeviceInfo *info = g_ptr_array_index (list, i);

      if (g_strcmp0 (info->id, selected) == 0)
        position = ids->len;
      gtk_string_list_append (names, info->name);
      g_ptr_array_add (ids, g_strdup (info->id));
    }
  adw_combo_row_set_model (row_for (self, kind), G_LIST_MODEL (names));
  adw_combo_row_set_selected (row_for (self, kind), position);
}

static void
fill (ApDevicesPanel *self)
{
  self->filling = TRUE;
  for (guint kind = 0; kind < AP_DEVICE_KIND_COUNT; kind++)
    fill_kind (self, kind);
  self->filling = FALSE;
}

/* Only moves the selection: rebuilding the model here would free the
 * selection model whose change (a choice in this very row) got us here. */
static void
sync_selected (ApDevicesPanel *self)
{
  self->filling = TRUE;
  for (guint kind = 0; kind < AP_DEVICE_KIND_COUNT; kind++)
    {
      g_autofree char *selected = ap_device_backend_dup_selected (self->devices, kind);
      guint position;

      if (selected
          && g_ptr_array_find_with_equal_func (self->ids[kind], selected, g_str_equal, &position))
        adw_combo_row_set_selected (row_for (self, kind), position);
    }
  self->filling = FALSE;
}

static void
on_selected (AdwComboRow *row, GParamSpec *pspec, ApDevicesPanel *self)
{
  g_autoptr (GError) error = NULL;
  guint position = adw_combo_row_get_selected (row);

  if (self->filling)
    return;
  for (guint kind = 0; kind < AP_DEVICE_KIND_COUNT; kind++)
    if (row_for (self, kind) == row && position < self->ids[kind]->len
        && !ap_device_backend_select (self->devices, kind,
                                      g_ptr_array_index (self->ids[kind], position), &error))
      {
        ap_panel_toast (GTK_WIDGET (self), error->message);
        sync_selected (self); /* back to the device still in use */
      }
}

/* The meter: −60 dBFS and below is empty, 0 dBFS full. */
static void
show_level (ApDevicesPanel *self)
{
  double level = ap_device_backend_get_microphone_level (self->devices);

  gtk_level_bar_set_value (self->mic_level,
                           CLAMP ((level - METER_FLOOR_DBFS) / -METER_FLOOR_DBFS, 0.0, 1.0));
}

/* The toggle follows the core: the meter also stops when the microphone
 * fails, or starts from DBus. */
static void
show_monitoring (ApDevicesPanel *self)
{
  gboolean on = ap_device_backend_get_microphone_monitoring (self->devices);

  if (gtk_toggle_button_get_active (self->mic_test_button) != on)
    gtk_toggle_button_set_active (self->mic_test_button, on);
  show_level (self);
}

static void
on_mic_test_toggled (ApDevicesPanel *self)
{
  g_autoptr (GError) error = NULL;
  gboolean on = gtk_toggle_button_get_active (self->mic_test_button);

  if (self->devices == NULL || on == ap_device_backend_get_microphone_monitoring (self->devices))
    return;
  self->monitor_started = on;
  if (!on)
    ap_phone_stop_microphone_monitor (self->phone);
  else if (!ap_phone_start_microphone_monitor (self->phone, &error))
    {
      self->monitor_started = FALSE;
      gtk_toggle_button_set_active (self->mic_test_button, FALSE);
      ap_panel_toast (GTK_WIDGET (self), error->message);
    }
}

static void
play_test_tone (ApDevicesPanel *self, ApDeviceKind kind)
{
  g_autoptr (GError) error = NULL;

  if (!ap_phone_play_test_tone (self->phone, kind, &error))
    ap_panel_toast (GTK_WIDGET (self), error->message);
}

static void
on_speaker_test_clicked (ApDevicesPanel *self)
{
  play_test_tone (self, AP_DEVICE_KIND_SPEAKER);
}

static void
on_ringer_test_clicked (ApDevicesPanel *self)
{
  play_test_tone (self, AP_DEVICE_KIND_RINGER);
}

static void
on_device_error (ApDeviceBackend *devices, const char *kind, const char *message,
                 ApDevicesPanel *self)
{
  if (g_str_equal (kind, "microphone") && gtk_widget_get_mapped (GTK_WIDGET (self)))
    ap_panel_toast (GTK_WIDGET (self), message);
}

/* Leaving the page (or closing the window) stops listening. */
static void
on_unmap (ApDevicesPanel *self)
{
  if (self->monitor_started)
    ap_phone_stop_microphone_monitor (self->phone);
  self->monitor_started = FALSE;
}

static void
ap_devices_panel_dispose (GObject *object)
{
  ApDevicesPanel *self = AP_DEVICES_PANEL (object);

  if (self->devices)
    g_signal_handlers_disconnect_by_data (self->devices, self);
  g_clear_object (&self->devices);
  g_clear_object (&self->phone);
  gtk_widget_dispose_template (GTK_WIDGET (self), AP_TYPE_DEVICES_PANEL);
  G_OBJECT_CLASS (ap_devices_panel_parent_class)->dispose (object);
}

static void
ap_devices_panel_finalize (GObject *object)
{
  ApDevicesPanel *self = AP_DEVICES_PANEL (object);

  for (guint kind = 0; kind < AP_DEVICE_KIND_COUNT; kind++)
    g_ptr_array_unref (self->ids[kind]);
  G_OBJECT_CLASS (ap_devices_panel_parent_class)->finalize (object);
}

static void
ap_devices_panel_class_init (ApDevicesPanelClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ap_devices_panel_dispose;
  G_OBJECT_CLASS (klass)->finalize = ap_devices_panel_finalize;
  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/agentphone/Agentphone/ap-devices-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, ApDevicesPanel, devices_group);
  gtk_widget_class_bind_template_child (widget_class, ApDevicesPanel, microphone_row);
  gtk_widget_class_bind_template_child (widget_class, ApDevicesPanel, speaker_row);
  gtk_widget_class_bind_template_child (widget_class, ApDevicesPanel, ringer_row);
  gtk_widget_class_bind_template_child (widget_class, ApDevicesPanel, camera_row);
  gtk_widget_class_bind_template_child (widget_class, ApDevicesPanel, mic_test_row);
  gtk_widget_class_bind_template_child (widget_class, ApDevicesPanel, mic_level);
  gtk_widget_class_bind_template_child (widget_class, ApDevicesPanel, mic_test_button);
  gtk_widget_class_bind_template_child (widget_class, ApDevicesPanel, sound_test_row);
  gtk_widget_class_bind_template_callback (widget_class, on_mic_test_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_speaker_test_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_ringer_test_clicked);
}

static void
ap_devices_panel_init (ApDevicesPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  for (guint kind = 0; kind < AP_DEVICE_KIND_COUNT; kind++)
    self->ids[kind] = g_ptr_array_new_with_free_func (g_free);
}

/** ap_devices_panel_new: the devices page, following @phone's devices */
GtkWidget *
ap_devices_panel_new (ApPhone *phone)
{
  ApDevicesPanel *self = g_object_new (AP_TYPE_DEVICES_PANEL, NULL);
  ApDeviceBackend *devices = ap_phone_get_devices (phone);

  self->phone = g_object_ref (phone);
  if (devices == NULL)
    {
      adw_preferences_group_set_description (
        self->devices_group, _ ("No audio engine is running: devices cannot be chosen"));
      gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
      return GTK_WIDGET (self);
    }
  self->devices = g_object_ref (devices);
  fill (self);
  g_signal_connect_swapped (devices, "devices-changed", G_CALLBACK (fill), self);
  g_signal_connect_swapped (devices, "notify::microphone-level", G_CALLBACK (show_level), self);
  g_signal_connect_swapped (devices, "notify::microphone-monitoring", G_CALLBACK (show_monitoring),
                            self);
  g_signal_connect (devices, "device-error", G_CALLBACK (on_device_error), self);
  g_signal_connect (self, "unmap", G_CALLBACK (on_unmap), NULL);
  show_monitoring (self);
  for (guint kind = 0; kind < AP_DEVICE_KIND_COUNT; kind++)
    {
      /* A choice made elsewhere (Devices.Select() over DBus) shows here too. */
      g_autofree char *signal
        = g_strdup_printf ("notify::%s", ap_device_backend_property_name (kind));

      g_signal_connect_swapped (devices, signal, G_CALLBACK (sync_selected), self);
      g_signal_connect (row_for (self, kind), "notify::selected", G_CALLBACK (on_selected), self);
    }
  return GTK_WIDGET (self);
}
