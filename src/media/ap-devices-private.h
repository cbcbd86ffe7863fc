#pragma once

/* Shared by ap-devices.c (the device monitor, choices, volumes, ringing) and
 * ap-devices-check.c (the microphone check). Private to src/media. */

#include "ap-devices.h"
#include "ap-tone-player.h"

G_BEGIN_DECLS

struct _ApDevices {
  GObject parent_instance;

  ApSettings *settings; /* nullable: nothing persists */
  GstDeviceMonitor *monitor;
  gboolean monitoring;
  char *chosen[AP_DEVICE_KIND_COUNT];  /* what the person chose ("" = default) */
  char *current[AP_DEVICE_KIND_COUNT]; /* what is in use: chosen if present, else "" */
  guint volume[AP_DEVICE_KIND_COUNT];
  ApTonePlayer *ringer;
};

GstDevice *ap_devices_find (ApDevices    *self,
                            ApDeviceKind  kind,
                            const char   *id);

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
