#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The contract's device kinds; the strings are ap_device_kind_to_string(). */
typedef enum {
  AP_DEVICE_KIND_MICROPHONE,
  AP_DEVICE_KIND_SPEAKER,
  AP_DEVICE_KIND_RINGER,
  AP_DEVICE_KIND_CAMERA,
} ApDeviceKind;

#define AP_DEVICE_KIND_COUNT 4

/**
 * ApDeviceInfo:
 * @id: stable id (the sound server's device name), what Select() takes
 * @name: what people read
 * @is_default: the system's default for its kind
 */
typedef struct {
  char *id;
  char *name;
  gboolean is_default;
} ApDeviceInfo;

ApDeviceInfo *ap_device_info_new  (const char    *id,
                                   const char    *name,
                                   gboolean       is_default);
void          ap_device_info_free (ApDeviceInfo  *info);

const char *ap_device_kind_to_string   (ApDeviceKind   kind);
gboolean    ap_device_kind_from_string (const char    *text,
                                        ApDeviceKind  *kind,
                                        GError       **error);

#define AP_TYPE_DEVICE_BACKEND (ap_device_backend_get_type ())
G_DECLARE_INTERFACE (ApDeviceBackend, ap_device_backend, AP, DEVICE_BACKEND, GObject)

/**
 * ApDeviceBackendInterface:
 * @list: the devices of @kind present now (a #GPtrArray of #ApDeviceInfo)
 * @select: use device @id for @kind from now on, in running calls too, and
 *   remember it; "" follows the system default. An id not present now fails
 *   with %AP_ERROR_NO_SUCH_DEVICE and changes nothing.
 * @check_microphone_async: listen one second on the microphone in use
 * @check_microphone_finish: @peak_dbfs and a plain @problem ("" if none)
 * @set_ringing: play the ringtone on the ringer device, or stop it at once
 * @play_test_tone: play the short test chime on @kind (speaker or ringer);
 *   returns once it plays, it stops by itself
 * @start_microphone_monitor: capture from the microphone in use and keep
 *   "microphone-level" up to date until stopped; idempotent
 * @stop_microphone_monitor: stop that capture; idempotent
 *
 * The audio and video devices as the phone sees them, implemented by the
 * media engine. Properties: "microphone", "speaker", "ringer", "camera"
 * (the id in use, "" for the system default) and "microphone-volume",
 * "speaker-volume" (0 … 100, 100 = unity gain). Signals: "devices-changed"
 * (a device was plugged in or out) and "device-error" (kind, message), e.g.
 * when the chosen device went away and the default took over. While the
 * microphone monitor runs, "microphone-monitoring" is TRUE and
 * "microphone-level" (peak dBFS, −120 … 0, about ten times a second)
 * follows it; otherwise the level rests at −120.
 */
struct _ApDeviceBackendInterface {
  GTypeInterface parent_iface;

  GPtrArray *(*list)                    (ApDeviceBackend      *self,
                                         ApDeviceKind          kind);
  gboolean   (*select)                  (ApDeviceBackend      *self,
                                         ApDeviceKind          kind,
                                         const char           *id,
                                         GError              **error);
  void       (*check_microphone_async)  (ApDeviceBackend      *self,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
  gboolean   (*check_microphone_finish) (ApDeviceBackend      *self,
                                         GAsyncResult         *result,
                                         double               *peak_dbfs,
                                         char                **problem,
                                         GError              **error);
  void       (*set_ringing)             (ApDeviceBackend      *self,
                                         gboolean              ringing);
  gboolean   (*play_test_tone)          (ApDeviceBackend      *self,
                                         ApDeviceKind          kind,
                                         GError              **error);
  gboolean   (*start_microphone_monitor) (ApDeviceBackend     *self,
                                          GError             **error);
  void       (*stop_microphone_monitor)  (ApDeviceBackend     *self);
  void       (*watch)                    (ApDeviceBackend     *self);
};

#define AP_DEVICE_LEVEL_FLOOR_DBFS -120.0

GPtrArray  *ap_device_backend_list                    (ApDeviceBackend      *self,
                                                       ApDeviceKind          kind);
gboolean    ap_device_backend_select                  (ApDeviceBackend      *self,
                                                       ApDeviceKind          kind,
                                                       const char           *id,
                                                       GError              **error);
char       *ap_device_backend_dup_selected            (ApDeviceBackend      *self,
                                                       ApDeviceKind          kind);
guint       ap_device_backend_get_volume              (ApDeviceBackend      *self,
                                                       ApDeviceKind          kind);
void        ap_device_backend_set_volume              (ApDeviceBackend      *self,
                                                       ApDeviceKind          kind,
                                                       guint                 volume);
void        ap_device_backend_check_microphone_async  (ApDeviceBackend      *self,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean    ap_device_backend_check_microphone_finish (ApDeviceBackend      *self,
                                                       GAsyncResult         *result,
                                                       double               *peak_dbfs,
                                                       char                **problem,
                                                       GError              **error);
void        ap_device_backend_set_ringing             (ApDeviceBackend      *self,
                                                       gboolean              ringing);
gboolean    ap_device_backend_play_test_tone          (ApDeviceBackend      *self,
                                                       ApDeviceKind          kind,
                                                       GError              **error);
gboolean    ap_device_backend_start_microphone_monitor (ApDeviceBackend     *self,
                                                        GError             **error);
void        ap_device_backend_stop_microphone_monitor (ApDeviceBackend      *self);
void        ap_device_backend_watch                   (ApDeviceBackend      *self);
gboolean    ap_device_backend_get_microphone_monitoring (ApDeviceBackend    *self);
double      ap_device_backend_get_microphone_level    (ApDeviceBackend      *self);
void        ap_device_backend_emit_devices_changed    (ApDeviceBackend      *self);
void        ap_device_backend_emit_device_error       (ApDeviceBackend      *self,
                                                       ApDeviceKind          kind,
                                                       const char           *message);
const char *ap_device_backend_property_name           (ApDeviceKind          kind);
const char *ap_device_backend_volume_property_name    (ApDeviceKind          kind);

G_END_DECLS
