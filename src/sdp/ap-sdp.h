#pragma once

#include <glib.h>

#include "ap-media-params.h"

G_BEGIN_DECLS

/**
 * ApSdpLocal:
 * @address: our media address for `c=` and `o=` (an IPv4 or IPv6 literal)
 * @port: our RTP port (RTCP on @port + 1)
 * @codecs: (nullable): codec names in priority order, as in the settings:
 *   `opus`, `g722`, `pcma`, `pcmu`; unknown names are skipped, and %NULL or a
 *   list without a known name means all four in that order
 * @direction: what we want: sendrecv normally, sendonly while we hold
 * @session_id: the `o=` session id, stable for the call
 * @version: the `o=` version, one more on each offer or answer we send
 * @telephone_event: offer, or accept, RFC 4733 DTMF events
 *
 * Our side of an offer/answer exchange for one audio stream (plain RTP/AVP).
 */
typedef struct {
  const char *address;
  guint port;
  const char *const *codecs;
  ApMediaDirection direction;
  guint64 session_id;
  guint64 version;
  gboolean telephone_event;
} ApSdpLocal;

char     *ap_sdp_make_offer   (const ApSdpLocal  *local);
gboolean  ap_sdp_answer       (const char        *remote_offer,
                               const ApSdpLocal  *local,
                               char             **answer,
                               ApMediaParams    **params,
                               GError           **error);
gboolean  ap_sdp_read_answer  (const char        *remote_answer,
                               const ApSdpLocal  *local,
                               ApMediaParams    **params,
                               GError           **error);

G_END_DECLS
