/* ap-volume-panel.c: the "volume" page: microphone and speaker volumes (the
 * core's 0 … 100, 100 = unity gain) and two meters bound to the call in
 * progress: what its microphone sends and what its speaker plays. */
#define G_LOG_DOMAIN "Agentphone-ui"

#include "config.h"

#include "ap-volume-panel.h"

#include <glib/gi18n.h>

#define METER_FLOOR_DBFS -60.0

struct _ApVolumePanel {
  AdwBin parent_instance;

  ApPhone *phone;
  ApCall *call; /* the call the meters show, or NULL */
  GBinding *input_binding;
  GBinding *output_binding;

  AdwPreferencesGroup *volume_group;
  GtkScale *microphone_scale;
  GtkScale *speaker_scale;
  GtkLevelBar *input_meter;
  GtkLevelBar *output_meter;
};

G_DEFINE_FINAL_TYPE (ApVolumePanel, ap_volume_panel, ADW_TYPE_BIN)

/* dBFS (-100 … 0) to a meter's 0 … 1, the bottom 40 dB being silence. */
static gboolean
dbfs_to_fraction (GBinding *binding, const GValue *from, GValue *to, gpointer data)
{
  double dbfs = g_value_get_double (from);

  g_value_set_double (to, CLAMP ((dbfs - METER_FLOOR_DBFS) / -METER_FLOOR_DBFS, 0.0, 1.0));
  return TRUE;
}

static void
unbind_call (ApVolumePanel *self)
{
  g_clear_pointer (&self->input_binding, g_binding_unbind);
  g_clear_pointer (&self->output_binding, g_binding_unbind);
  if (self->call)
    g_signal_handlers_disconnect_by_data (self->call, self);
  g_clear_object (&self->call);
  gtk_level_bar_set_value (self->input_meter, 0.0);
  gtk_level_bar_set_value (self->output_meter, 0.0);
}

static void follow_calls (ApVolumePanel *self);

/* The meters follow the connected call (there is one at a time: the others
 * are held). */
static void
follow_calls (ApVolumePanel *self)
{
  GListModel *calls = ap_phone_get_calls (self->phone);
  g_autoptr (ApCall) active = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (calls) && active == NULL; i++)
    {
      g_autoptr (ApCall) call = g_list_model_get_item (calls, i);

      if (ap_call_get_state (call) == AP_CALL_STATE_CONNECTED)
        active = g_steal_pointer (&call);
    }
  for (guint i = 0; i < g_list_model_get_n_items (calls); i++)
    {
      g_autoptr (ApCall) call = g_list_model_get_item (calls, i);

      g_signal_handlers_disconnect_by_func (call, follow_calls, self);
      g_signal_connect_swapped (call, "notify::state", G_CALLBACK (follow_calls), self);
    }
  if (active == self->call)
    return;
  unbind_call (self);
  if (active == NULL)
    return;
  self->call = g_object_ref (active);
  self->input_binding
    = g_object_bind_property_full (active, "input-level", self->input_meter, "value",
                                   G_BINDING_SYNC_CREATE, dbfs_to_fraction, NULL, NULL, NULL);
  self->output_binding
    = g_object_bind_property_full (active, "output-level", self->output_meter, "value",
                                   G_BINDING_SYNC_CREATE, dbfs_to_fraction, NULL, NULL, NULL);
}

static void
on_calls_changed (GListModel *calls, guint position, guint removed, guint added,
                  ApVolumePanel *self)
{
  follow_calls (self);
}

static void
ap_volume_panel_dispose (GObject *object)
{
  ApVolumePanel *self = AP_VOLUME_PANEL (object);

  unbind_call (self);
  if (self->phone)
    {
      GListModel *calls = ap_phone_get_calls (self->phone);

      g_signal_handlers_disconnect_by_data (calls, self);
      for (guint i = 0; i < g_list_model_get_n_items (calls); i++)
        {
          g_autoptr (ApCall) call = g_list_model_get_item (calls, i);

          g_signal_handlers_disconnect_by_data (call, self);
        }
    }
  g_clear_object (&self->phone);
  gtk_widget_dispose_template (GTK_WIDGET (self), AP_TYPE_VOLUME_PANEL);
  G_OBJECT_CLASS (ap_volume_panel_parent_class)->dispose (object);
}

static void
ap_volume_panel_class_init (ApVolumePanelClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ap_volume_panel_dispose;
  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/agentphone/Agentphone/ap-volume-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, ApVolumePanel, volume_group);
  gtk_widget_class_bind_template_child (widget_class, ApVolumePanel, microphone_scale);
  gtk_widget_class_bind_template_child (widget_class, ApVolumePanel, speaker_scale);
  gtk_widget_class_bind_template_child (widget_class, ApVolumePanel, input_meter);
  gtk_widget_class_bind_template_child (widget_class, ApVolumePanel, output_meter);
}

static void
ap_volume_panel_init (ApVolumePanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/** ap_volume_panel_new: the volume page: @phone's device volumes and its call's levels */
GtkWidget *
ap_volume_panel_new (ApPhone *phone)
{
  ApVolumePanel *self = g_object_new (AP_TYPE_VOLUME_PANEL, NULL);
  ApDeviceBackend *devices = ap_phone_get_devices (phone);

  self->phone = g_object_ref (phone);
  g_signal_connect (ap_phone_get_calls (phone), "items-changed", G_CALLBACK (on_calls_changed),
                    self);
  follow_calls (self);
  if (devices == NULL)
    {
      adw_preferences_group_set_description (
        self->volume_group, _ ("No audio engine is running: volumes cannot be set"));
      gtk_widget_set_sensitive (GTK_WIDGET (self->microphone_scale), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->speaker_scale), FALSE);
      return GTK_WIDGET (self);
    }
  /* GValue turns the adjustment's double into the core's guint and back. */
  g_object_bind_property (devices, "microphone-volume",
                          gtk_range_get_adjustment (GTK_RANGE (self->microphone_scale)), "value",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (devices, "speaker-volume",
                          gtk_range_get_adjustment (GTK_RANGE (self->speaker_scale)), "value",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  return GTK_WIDGET (self);
}
