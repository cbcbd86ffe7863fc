#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* After sofia's TLS connection to a server failed without a word: one TLS
 * handshake of our own, to tell the person why (certificate signed by no
 * trusted authority, made for another host, expired …). */

void  ap_tls_probe_async  (const char           *host,
                           guint                 port,
                           const char           *ca_file,
                           GCancellable         *cancellable,
                           GAsyncReadyCallback   callback,
                           gpointer              data);
char *ap_tls_probe_finish (GAsyncResult         *result);

char *ap_tls_probe_describe (GTlsCertificateFlags  flags);

G_END_DECLS
