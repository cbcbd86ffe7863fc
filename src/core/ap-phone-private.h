#pragma once

/* Shared by ap-phone.c (accounts, settings, lifetime) and ap-phone-calls.c
 * (calls and the seat). */

#include "ap-phone.h"
#include "ap-agent.h"
#include "ap-history.h"
#include "ap-signaling.h"
#include "ap-video.h"
#include "ap-screen-share.h"

struct _ApPhone {
  GObject parent_instance;

  ApSettings *settings;
  ApSecretStore *secret_store; /* the Secret Service, or NULL */
  ApSecretStore *memory_store; /* this run only: the fallback */
  ApAccount *account;
  ApPasswordStorage password_storage;
  GCancellable *cancellable;
  guint register_serial; /* newer Register() calls win over older lookups */
  guint listen_port;

  ApSignaling *signaling;
  ApMediaFactory *media_factory; /* for the echo test, or NULL */
  GListStore *calls;
  ApSeatState seat_state;
  ApAgent *agent;

  ApDeviceBackend *devices; /* from the media engine, or NULL */
  GHashTable *ringing_calls; /* ApCall set: incoming calls that ring */
  gboolean ringing;

  ApHistory *history; /* never NULL: in memory until the app gives a file */
  ApVideo *video;     /* ap-video.c, made on first use */
  ApScreenShare *screen_share; /* ap-screen-share.c, made on first use */
};


void ap_phone_calls_init    (ApPhone *self);
void ap_phone_calls_dispose (ApPhone *self);
void ap_phone_update_seat   (ApPhone *self);
void ap_phone_hangup_all    (ApPhone *self);
void ap_phone_notify_seat       (ApPhone *self);
void ap_phone_notify_devices    (ApPhone *self);
void ap_phone_emit_call_added   (ApPhone *self,
                                 ApCall  *call);
void ap_phone_emit_call_removed (ApPhone *self,
                                 ApCall  *call);
void ap_phone_emit_message      (ApPhone    *self,
                                 const char *from,
                                 const char *text);

/* ap-phone-history.c */
void ap_phone_history_track (ApPhone *self,
                             ApCall  *call);

/* ap-phone-devices.c */
void ap_phone_devices_init    (ApPhone *self);
void ap_phone_devices_dispose (ApPhone *self);
void ap_phone_devices_track   (ApPhone *self,
                               ApCall  *call);
void ap_phone_devices_ring    (ApPhone *self,
                               ApCall  *call);
