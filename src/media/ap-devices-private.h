#pragma once

/* Shared by ap-devices.c (the device monitor, choices, volumes, ringing),
 * ap-devices-check.c (the microphone check), ap-devices-tone.c (the test
 * chime) and ap-devices-monitor.c (the live microphone meter). Private to
 * src/media. */

#include "ap-devices.h"
#include "ap-tone-player.h"

G_BEGIN_DECLS

struct _ApDevices {
  GObject parent_instance;

  ApSettings *settings; /* nullable: nothing persists */
  GstDeviceMonitor *monitor; /* made on first use: see ap_devices_start() */
  gboolean started;
  gboolean monitoring;
  char *chosen[AP_DEVICE_KIND_COUNT];  /* what the person chose ("" = default) */
  char *current[AP_DEVICE_KIND_COUNT]; /* what is in use: chosen if present, else "" */
  guint volume[AP_DEVICE_KIND_COUNT];
  ApTonePlayer *ringer;
  GstElement *test_tone;   /* the chime playing now, if any */
  GstElement *mic_monitor; /* the microphone meter's pipeline, if running */
  double mic_level;        /* its latest peak, dBFS */
};

void       ap_devices_start (ApDevices    *self);
GstDevice *ap_devices_find  (ApDevices    *self,
                             ApDeviceKind  kind,
                             const char   *id);

GstElement *ap_devices_make_microphone  (ApDevices    *self,
                                         GError      **error);
GstElement *ap_devices_make_ringer_sink (ApDevices    *self,
                                         GError      **error);

gboolean   ap_devices_play_test_tone           (ApDeviceBackend  *backend,
                                                ApDeviceKind      kind,
                                                GError          **error);
void       ap_devices_stop_test_tone           (ApDevices        *self);
gboolean   ap_devices_start_microphone_monitor (ApDeviceBackend  *backend,
                                                GError          **error);
void       ap_devices_stop_microphone_monitor  (ApDeviceBackend  *backend);
void       ap_devices_follow_microphone        (ApDevices        *self);

void       ap_devices_check_microphone_async  (ApDeviceBackend      *backend,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean   ap_devices_check_microphone_finish (ApDeviceBackend      *backend,
                                               GAsyncResult         *result,
                                               double               *peak_dbfs,
                                               char                **problem,
                                               GError              **error);

G_END_DECLS
