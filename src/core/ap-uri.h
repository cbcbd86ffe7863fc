#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Small, strict helpers for the addresses people type; the SIP engine does
 * the full parsing. */
gboolean  ap_uri_parse_hostport (const char  *text,
                                 char       **host,
                                 guint       *port);
gboolean  ap_uri_is_sip         (const char  *uri);
gboolean  ap_uri_is_account     (const char  *uri);
char     *ap_uri_get_user       (const char  *uri);
char     *ap_uri_get_host       (const char  *uri);
char     *ap_uri_complete       (const char  *target,
                                 const char  *account,
                                 GError     **error);

G_END_DECLS
