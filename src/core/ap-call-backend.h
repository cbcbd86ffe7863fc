#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define AP_TYPE_CALL_BACKEND (ap_call_backend_get_type ())
G_DECLARE_INTERFACE (ApCallBackend, ap_call_backend, AP, CALL_BACKEND, GObject)

/**
 * ApCallBackendInterface:
 * @answer: accept an incoming call (200 with our SDP)
 * @hangup: end the call as fits its state: CANCEL before an answer to our
 *   INVITE, 603 Decline for an incoming call not yet answered, BYE after
 * @reject: refuse an incoming call with @code (486, 603 …)
 * @hold: put the far end on hold (re-INVITE `sendonly`) or take it off
 *   (`sendrecv`); the outcome comes back as ap_call_hold_changed()
 * @send_dtmf: send one digit the way `dtmf-mode` and the negotiation say
 * @transfer: blind transfer to the complete URI @target (REFER); progress
 *   comes back as ap_call_transfer_progress()
 * @transfer_to: attended transfer: the far end is connected to the far end
 *   of @other (REFER with Replaces), progress as for @transfer
 * @request_video: (optional): add video to the call or drop it (re-INVITE);
 *   the outcome comes back as ap_call_video_set_active()
 *
 * The network side of one #ApCall. The call checks that an operation is
 * legal in its state before it asks; the backend reports what happens by
 * calling the ap_call_*() event functions.
 */
struct _ApCallBackendInterface {
  GTypeInterface parent_iface;

  gboolean (*answer) (ApCallBackend  *self,
                      GError        **error);
  gboolean (*hangup) (ApCallBackend  *self,
                      GError        **error);
  gboolean (*reject) (ApCallBackend  *self,
                      guint           code,
                      GError        **error);
  gboolean (*hold)   (ApCallBackend  *self,
                      gboolean        hold,
                      GError        **error);
  gboolean (*send_dtmf) (ApCallBackend *self,
                         char           digit,
                         guint          duration_ms,
                         GError       **error);
  gboolean (*transfer)  (ApCallBackend *self,
                         const char    *target,
                         GError       **error);
  gboolean (*transfer_to) (ApCallBackend *self,
                           ApCallBackend *other,
                           GError       **error);
  gboolean (*request_video) (ApCallBackend *self,
                             gboolean       enable,
                             GError       **error);
};

gboolean ap_call_backend_answer (ApCallBackend  *self,
                                 GError        **error);
gboolean ap_call_backend_hangup (ApCallBackend  *self,
                                 GError        **error);
gboolean ap_call_backend_reject (ApCallBackend  *self,
                                 guint           code,
                                 GError        **error);
gboolean ap_call_backend_hold   (ApCallBackend  *self,
                                 gboolean        hold,
                                 GError        **error);
gboolean ap_call_backend_transfer_to (ApCallBackend *self,
                                      ApCallBackend *other,
                                      GError       **error);
gboolean ap_call_backend_transfer (ApCallBackend *self,
                                   const char    *target,
                                   GError       **error);
gboolean ap_call_backend_send_dtmf (ApCallBackend *self,
                                    char           digit,
                                    guint          duration_ms,
                                    GError       **error);

G_END_DECLS
