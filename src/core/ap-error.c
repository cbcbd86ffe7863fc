#include "ap-error.h"

#include <gio/gio.h>

static const GDBusErrorEntry ap_error_entries[] = {
  { AP_ERROR_INVALID_ARGUMENT, "io.github.agentphone.Error.InvalidArgument" },
  { AP_ERROR_INVALID_STATE, "io.github.agentphone.Error.InvalidState" },
  { AP_ERROR_NOT_REGISTERED, "io.github.agentphone.Error.NotRegistered" },
  { AP_ERROR_NO_SUCH_CALL, "io.github.agentphone.Error.NoSuchCall" },
  { AP_ERROR_NO_SUCH_DEVICE, "io.github.agentphone.Error.NoSuchDevice" },
  { AP_ERROR_NOT_SUPPORTED, "io.github.agentphone.Error.NotSupported" },
  { AP_ERROR_FAILED, "io.github.agentphone.Error.Failed" },
};

/* Registering the domain with GDBus makes GErrors cross the bus under the
 * contract's names, in both directions. */
GQuark
ap_error_quark (void)
{
  static gsize quark = 0;

  g_dbus_error_register_error_domain ("ap-error-quark", &quark, ap_error_entries,
                                      G_N_ELEMENTS (ap_error_entries));
  return (GQuark) quark;
}
