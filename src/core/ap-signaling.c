#include "ap-signaling.h"

enum { SIGNAL_INCOMING_CALL, SIGNAL_OUTGOING_CALL, SIGNAL_MESSAGE_RECEIVED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_INTERFACE (ApSignaling, ap_signaling, G_TYPE_OBJECT)

static void
ap_signaling_default_init (ApSignalingInterface *iface)
{
  signals[SIGNAL_INCOMING_CALL]
    = g_signal_new ("incoming-call", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0, NULL,
                    NULL, NULL, G_TYPE_NONE, 1, AP_TYPE_CALL);
  signals[SIGNAL_OUTGOING_CALL]
    = g_signal_new ("outgoing-call", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0, NULL,
                    NULL, NULL, G_TYPE_NONE, 1, AP_TYPE_CALL);
  signals[SIGNAL_MESSAGE_RECEIVED]
    = g_signal_new ("message-received", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0, NULL,
                    NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

ApCall *
ap_signaling_dial (ApSignaling *self, const char *target, const ApDialOptions *options,
                   GError **error)
{
  g_return_val_if_fail (AP_IS_SIGNALING (self), NULL);
  g_return_val_if_fail (target != NULL, NULL);
  return AP_SIGNALING_GET_IFACE (self)->dial (self, target, options, error);
}

void
ap_signaling_emit_incoming_call (ApSignaling *self, ApCall *call)
{
  g_signal_emit (self, signals[SIGNAL_INCOMING_CALL], 0, call);
}

gboolean
ap_signaling_send_message (ApSignaling *self, const char *target, const char *text, GError **error)
{
  g_return_val_if_fail (AP_IS_SIGNALING (self), FALSE);
  return AP_SIGNALING_GET_IFACE (self)->send_message (self, target, text, error);
}

void
ap_signaling_emit_message (ApSignaling *self, const char *from, const char *text)
{
  g_signal_emit (self, signals[SIGNAL_MESSAGE_RECEIVED], 0, from, text);
}

void
ap_signaling_emit_outgoing_call (ApSignaling *self, ApCall *call)
{
  g_signal_emit (self, signals[SIGNAL_OUTGOING_CALL], 0, call);
}
