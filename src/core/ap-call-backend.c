#include "ap-call-backend.h"

G_DEFINE_INTERFACE (ApCallBackend, ap_call_backend, G_TYPE_OBJECT)

static void
ap_call_backend_default_init (ApCallBackendInterface *iface)
{
}

gboolean
ap_call_backend_answer (ApCallBackend *self, GError **error)
{
  g_return_val_if_fail (AP_IS_CALL_BACKEND (self), FALSE);
  return AP_CALL_BACKEND_GET_IFACE (self)->answer (self, error);
}

gboolean
ap_call_backend_hangup (ApCallBackend *self, GError **error)
{
  g_return_val_if_fail (AP_IS_CALL_BACKEND (self), FALSE);
  return AP_CALL_BACKEND_GET_IFACE (self)->hangup (self, error);
}

gboolean
ap_call_backend_reject (ApCallBackend *self, guint code, GError **error)
{
  g_return_val_if_fail (AP_IS_CALL_BACKEND (self), FALSE);
  return AP_CALL_BACKEND_GET_IFACE (self)->reject (self, code, error);
}

gboolean
ap_call_backend_hold (ApCallBackend *self, gboolean hold, GError **error)
{
  g_return_val_if_fail (AP_IS_CALL_BACKEND (self), FALSE);
  return AP_CALL_BACKEND_GET_IFACE (self)->hold (self, hold, error);
}

gboolean
ap_call_backend_send_dtmf (ApCallBackend *self, char digit, guint duration_ms, GError **error)
{
  g_return_val_if_fail (AP_IS_CALL_BACKEND (self), FALSE);
  return AP_CALL_BACKEND_GET_IFACE (self)->send_dtmf (self, digit, duration_ms, error);
}

gboolean
ap_call_backend_transfer (ApCallBackend *self, const char *target, GError **error)
{
  g_return_val_if_fail (AP_IS_CALL_BACKEND (self), FALSE);
  return AP_CALL_BACKEND_GET_IFACE (self)->transfer (self, target, error);
}

gboolean
ap_call_backend_transfer_to (ApCallBackend *self, ApCallBackend *other, GError **error)
{
  g_return_val_if_fail (AP_IS_CALL_BACKEND (self), FALSE);
  return AP_CALL_BACKEND_GET_IFACE (self)->transfer_to (self, other, error);
}
