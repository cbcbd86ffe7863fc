#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define AP_ERROR (ap_error_quark ())

/**
 * ApError:
 * One code per error of the DBus contract; the DBus name of each is
 * `io.github.agentphone.Error.<Name>`.
 */
typedef enum {
  AP_ERROR_INVALID_ARGUMENT,
  AP_ERROR_INVALID_STATE,
  AP_ERROR_NOT_REGISTERED,
  AP_ERROR_NO_SUCH_CALL,
  AP_ERROR_NO_SUCH_DEVICE,
  AP_ERROR_NOT_SUPPORTED,
  AP_ERROR_FAILED,
} ApError;

GQuark ap_error_quark (void);

G_END_DECLS
