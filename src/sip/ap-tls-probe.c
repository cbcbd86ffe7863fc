/* ap-tls-probe.c: why a TLS server was refused, in words. */
#define G_LOG_DOMAIN "Agentphone-sip"

#include "config.h"

#include "ap-tls-probe.h"

#include <glib/gi18n.h>
#include <string.h>

#define PROBE_TIMEOUT_S 5

typedef struct {
  char *host;
  char *ca_file;
  GTlsCertificateFlags refused; /* what the certificate check found, 0 if none */
} Probe;

static void
probe_free (gpointer data)
{
  Probe *probe = data;

  g_free (probe->host);
  g_free (probe->ca_file);
  g_free (probe);
}

/**
 * ap_tls_probe_describe:
 *
 * The certificate problems in @flags, for a person.
 * Returns: (nullable): a sentence fragment, or %NULL when there is none
 */
char *
ap_tls_probe_describe (GTlsCertificateFlags flags)
{
  g_autoptr (GPtrArray) parts = g_ptr_array_new ();

  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    g_ptr_array_add (parts, _ ("it is not signed by a trusted authority (self-signed, or set "
                               "tls-ca-file to the CA that signed it)"));
  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    g_ptr_array_add (parts, _ ("it is made out for another host name"));
  if (flags & G_TLS_CERTIFICATE_EXPIRED)
    g_ptr_array_add (parts, _ ("it has expired"));
  if (flags & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    g_ptr_array_add (parts, _ ("it is not valid yet (check the clock)"));
  if (flags & G_TLS_CERTIFICATE_REVOKED)
    g_ptr_array_add (parts, _ ("it has been revoked"));
  if (flags & G_TLS_CERTIFICATE_GENERIC_ERROR)
    g_ptr_array_add (parts, _ ("it does not verify against the trusted authorities"));
  if (flags & G_TLS_CERTIFICATE_INSECURE)
    g_ptr_array_add (parts, _ ("it uses insecure cryptography"));
  if (parts->len == 0 && flags != 0)
    g_ptr_array_add (parts, _ ("it is not valid"));
  if (parts->len == 0)
    return NULL;
  g_ptr_array_add (parts, NULL);
  {
    g_autofree char *all = g_strjoinv ("; ", (char **) parts->pdata);

    return g_strdup_printf (_ ("its TLS certificate was refused: %s"), all);
  }
}

/* sofia takes a server reached by IP whose subject is CN=<that IP>; GnuTLS
 * matches IPs against subjectAltName only. Judge the name as sofia does. */
static gboolean
cn_is_host (GTlsCertificate *certificate, const char *host)
{
  g_autofree char *subject = NULL;
  g_autofree char *cn = g_strdup_printf ("CN=%s", host);
  const char *at;

  if (!g_hostname_is_ip_address (host))
    return FALSE;
  g_object_get (certificate, "subject-name", &subject, NULL);
  at = subject ? strstr (subject, cn) : NULL;
  return at && (at[strlen (cn)] == '\0' || at[strlen (cn)] == ',');
}

static gboolean
on_accept_certificate (GTlsConnection *connection, GTlsCertificate *certificate,
                       GTlsCertificateFlags errors, Probe *probe)
{
  if ((errors & G_TLS_CERTIFICATE_BAD_IDENTITY) && cn_is_host (certificate, probe->host))
    errors &= ~G_TLS_CERTIFICATE_BAD_IDENTITY;
  probe->refused = errors;
  return FALSE;
}

/* Once the TLS layer exists: our CA file, and note what the check finds. */
static void
on_client_event (GSocketClient *client, GSocketClientEvent event, GSocketConnectable *connectable,
                 GIOStream *connection, GTask *task)
{
  Probe *probe = g_task_get_task_data (task);
  g_autoptr (GTlsDatabase) database = NULL;

  if (event != G_SOCKET_CLIENT_TLS_HANDSHAKING || !G_IS_TLS_CONNECTION (connection))
    return;
  if (probe->ca_file && (database = g_tls_file_database_new (probe->ca_file, NULL)))
    g_tls_connection_set_database (G_TLS_CONNECTION (connection), database);
  g_signal_connect (connection, "accept-certificate", G_CALLBACK (on_accept_certificate), probe);
}

static void
on_connected (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  Probe *probe = g_task_get_task_data (task);
  g_autoptr (GSocketConnection) connection = NULL;
  g_autoptr (GError) error = NULL;
  char *why;

  connection = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (source), result, &error);
  if (connection)
    {
      /* The handshake went through: the certificate is not the problem. */
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  why = ap_tls_probe_describe (probe->refused);
  if (why == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    why = g_strdup_printf (_ ("no TLS connection could be made: %s"), error->message);
  g_task_return_pointer (task, why, g_free);
}

/**
 * ap_tls_probe_async:
 * @ca_file: (nullable): the CA bundle to trust, as sofia does
 *
 * Connects to @host:@port over TLS once, in at most a few seconds, checking
 * the certificate as sofia would (the authority and the host name).
 */
void
ap_tls_probe_async (const char *host, guint port, const char *ca_file, GCancellable *cancellable,
                    GAsyncReadyCallback callback, gpointer data)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  GTask *task = g_task_new (NULL, cancellable, callback, data);
  Probe *probe = g_new0 (Probe, 1);

  probe->host = g_strdup (host);
  probe->ca_file = g_strdup (ca_file);
  g_task_set_task_data (task, probe, probe_free);
  g_socket_client_set_tls (client, TRUE);
  g_socket_client_set_timeout (client, PROBE_TIMEOUT_S);
  g_signal_connect (client, "event", G_CALLBACK (on_client_event), task);
  g_socket_client_connect_to_host_async (client, host, (guint16) port, cancellable, on_connected,
                                         task);
}

/**
 * ap_tls_probe_finish:
 * Returns: (transfer full) (nullable): why the server's TLS is refused, or
 *   %NULL when the probe found nothing wrong
 */
char *
ap_tls_probe_finish (GAsyncResult *result)
{
  return g_task_propagate_pointer (G_TASK (result), NULL);
}
