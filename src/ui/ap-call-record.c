/* ap-call-record.c: a call row's recording controls.
 *
 * Record/stop, pause/resume, and what is happening in red: "REC 0:12" while
 * recording, "Paused" while paused. The buttons call the core's recording
 * functions (the same as the DBus StartRecording …); the core's `recording`
 * and `recording-paused` properties drive what is shown. The elapsed time
 * counts recorded time only, so it is the only state kept here. */
#define G_LOG_DOMAIN "Agentphone-ui"

#include "config.h"

#include "ap-call-record.h"

#include <glib/gi18n.h>

struct _ApCallRecord {
  GtkBox parent_instance;

  ApCall *call;
  GtkWidget *record_button;
  GtkWidget *pause_button;
  GtkWidget *status_label;
  guint timer_id;
  gint64 recorded_us;   /* recorded time before the current stretch */
  gint64 stretch_start; /* monotonic start of the current stretch, 0 if none */
};

G_DEFINE_FINAL_TYPE (ApCallRecord, ap_call_record, GTK_TYPE_BOX)

static void
toast (ApCallRecord *self, const char *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
  else
    g_warning ("%s", text);
}

static void
set_button (GtkWidget *button, const char *icon, const char *label)
{
  gtk_button_set_icon_name (GTK_BUTTON (button), icon);
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static gint64
recorded_seconds (ApCallRecord *self)
{
  gint64 us = self->recorded_us;

  if (self->stretch_start != 0)
    us += g_get_monotonic_time () - self->stretch_start;
  return us / G_USEC_PER_SEC;
}

static void
update_label (ApCallRecord *self)
{
  g_autofree char *text = NULL;
  gint64 s = recorded_seconds (self);

  if (ap_call_get_recording_paused (self->call))
    text = g_strdup (_ ("Paused"));
  else
    /* TRANSLATORS: a call is being recorded, for minutes:seconds */
    text = g_strdup_printf (_ ("REC %d:%02d"), (int) (s / 60), (int) (s % 60));
  gtk_label_set_text (GTK_LABEL (self->status_label), text);
}

static gboolean
on_tick (gpointer data)
{
  update_label (data);
  return G_SOURCE_CONTINUE;
}

/* Follows the core: a recording may also start (auto-record, DBus) or end
 * (the call ended, the disk filled) without these buttons. */
static void
update (ApCallRecord *self)
{
  gboolean recording = ap_call_get_recording (self->call);
  gboolean paused = ap_call_get_recording_paused (self->call);
  gboolean running = recording && !paused;

  if (!recording)
    self->recorded_us = 0;
  if (running && self->stretch_start == 0)
    self->stretch_start = g_get_monotonic_time ();
  else if (!running && self->stretch_start != 0)
    {
      self->recorded_us += g_get_monotonic_time () - self->stretch_start;
      self->stretch_start = 0;
    }
  if (recording && self->timer_id == 0)
    self->timer_id = g_timeout_add_seconds (1, on_tick, self);
  else if (!recording)
    g_clear_handle_id (&self->timer_id, g_source_remove);

  set_button (self->record_button,
              recording ? "media-playback-stop-symbolic" : "media-record-symbolic",
              recording ? _ ("Stop recording") : _ ("Record the call"));
  set_button (self->pause_button,
              paused ? "media-record-symbolic" : "media-playback-pause-symbolic",
              paused ? _ ("Resume recording")
                     : _ ("Pause recording (e.g. while a card "
                          "number is read)"));
  gtk_widget_set_visible (self->pause_button, recording);
  gtk_widget_set_visible (self->status_label, recording);
  if (recording)
    update_label (self);
}

static void
on_record_clicked (ApCallRecord *self)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;

  if (ap_call_get_recording (self->call))
    {
      path = ap_call_stop_recording (self->call, &error);
      if (path != NULL)
        {
          g_autofree char *text = g_strdup_printf (_ ("Recording saved: %s"), path);

          toast (self, text);
        }
    }
  else
    path = ap_call_start_recording (self->call, NULL, &error);
  if (error != NULL)
    toast (self, error->message);
}

static void
on_pause_clicked (ApCallRecord *self)
{
  g_autoptr (GError) error = NULL;
  gboolean ok = ap_call_get_recording_paused (self->call)
                  ? ap_call_resume_recording (self->call, &error)
                  : ap_call_pause_recording (self->call, &error);

  if (!ok)
    toast (self, error->message);
}

static void
ap_call_record_dispose (GObject *object)
{
  ApCallRecord *self = AP_CALL_RECORD (object);

  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (self->call)
    g_signal_handlers_disconnect_by_data (self->call, self);
  g_clear_object (&self->call);
  G_OBJECT_CLASS (ap_call_record_parent_class)->dispose (object);
}

static void
ap_call_record_class_init (ApCallRecordClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ap_call_record_dispose;
}

static GtkWidget *
add_button (ApCallRecord *self, const char *name, GCallback callback)
{
  GtkWidget *button = gtk_button_new ();

  gtk_widget_set_name (button, name);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  g_signal_connect_swapped (button, "clicked", callback, self);
  gtk_box_append (GTK_BOX (self), button);
  return button;
}

static void
ap_call_record_init (ApCallRecord *self)
{
  gtk_box_set_spacing (GTK_BOX (self), 6);
  self->status_label = gtk_label_new (NULL);
  gtk_widget_set_name (self->status_label, "record-status");
  gtk_widget_add_css_class (self->status_label, "error");
  gtk_widget_add_css_class (self->status_label, "numeric");
  gtk_widget_add_css_class (self->status_label, "heading");
  gtk_box_append (GTK_BOX (self), self->status_label);
  self->record_button = add_button (self, "record", G_CALLBACK (on_record_clicked));
  self->pause_button = add_button (self, "record-pause", G_CALLBACK (on_pause_clicked));
}

/** ap_call_record_new: recording controls for @call */
GtkWidget *
ap_call_record_new (ApCall *call)
{
  ApCallRecord *self = g_object_new (AP_TYPE_CALL_RECORD, NULL);

  self->call = g_object_ref (call);
  g_signal_connect_swapped (call, "notify::recording", G_CALLBACK (update), self);
  g_signal_connect_swapped (call, "notify::recording-paused", G_CALLBACK (update), self);
  update (self);
  return GTK_WIDGET (self);
}
