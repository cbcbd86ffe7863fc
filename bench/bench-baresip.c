/* bench-baresip.c: a baresip instance for the benchmarks. Its config keeps
 * only what a call needs (the codec, ausine as the microphone, aubridge as
 * a speaker that plays nowhere, menu for the commands, ctrl_tcp to reach
 * them) so that what it costs is its calls. */
#include "bench-baresip.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "ap-test-harness.h"

#define START_TIMEOUT_MS 5000
#define IO_TIMEOUT_S 10
#define STOP_TIMEOUT_MS 3000

struct _BenchBaresip {
  char *dir;
  GSubprocess *process;
  gboolean exited;
  guint sip_port;
  GSocketConnection *control;
  guint next_token;
  GPtrArray *events; /* types of events read while waiting for a response */
  char *user;        /* registering at registrar_port when set */
  guint registrar_port;
};

static const char config_template[]
  = "poll_method epoll\n"
    "call_local_timeout 120\n"
    "call_max_calls 64\n"
    "sip_listen 127.0.0.1:%u\n"
    "net_interface 127.0.0.1\n"
    "audio_source ausine,%u\n"
    /* ausine makes 48 kHz stereo only: baresip resamples for PCMA. */
    "ausrc_srate 48000\n"
    "ausrc_channels 2\n"
    "audio_player aubridge,speaker\n"
    "audio_alert aubridge,alert\n"
    "audio_level no\n"
    "rtp_stats no\n"
    "module_path /usr/lib/baresip/modules\n"
    "module g711.so\n"
    "module opus.so\n"
    "module ausine.so\n"
    "module aubridge.so\n"
    "module srtp.so\n"
    "module_tmp account.so\n"
    "module_app menu.so\n"
    "module ctrl_tcp.so\n"
    "ctrl_tcp_listen 127.0.0.1:%u\n";

/* baresip's name for our codec names */
static const char *
codec_name (const char *codec)
{
  if (g_str_equal (codec, "opus"))
    return "opus/48000/2";
  if (g_str_equal (codec, "pcma"))
    return "PCMA/8000/1";
  return NULL;
}

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
on_process_exit (GObject *source, GAsyncResult *result, gpointer data)
{
  gboolean *exited = data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *exited = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static gboolean
write_config (BenchBaresip *self, guint freq, const char *codec, gboolean srtp,
              gboolean auto_answer, guint control_port, GError **error)
{
  g_autofree char *config = g_strdup_printf (config_template, self->sip_port, freq, control_port);
  g_autofree char *aor
    = self->user ? g_strdup_printf ("<sip:%s@127.0.0.1>;auth_pass=pass%s;outbound=\"sip:127.0.0.1:"
                                    "%u\";regint=600",
                                    self->user, self->user, self->registrar_port)
                 : g_strdup_printf ("<sip:bench@127.0.0.1:%u>;regint=0", self->sip_port);
  g_autofree char *account
    = g_strdup_printf ("%s;answermode=%s;audio_codecs=%s%s\n", aor, auto_answer ? "auto" : "manual",
                       codec_name (codec), srtp ? ";mediaenc=srtp" : "");
  g_autofree char *config_path = g_build_filename (self->dir, "config", NULL);
  g_autofree char *accounts_path = g_build_filename (self->dir, "accounts", NULL);

  return g_file_set_contents (config_path, config, -1, error)
         && g_file_set_contents (accounts_path, account, -1, error);
}

static gboolean
spawn (BenchBaresip *self, GError **error)
{
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autofree char *log = g_build_filename (self->dir, "baresip.log", NULL);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  g_subprocess_launcher_set_stdout_file_path (launcher, log);
  g_subprocess_launcher_set_flags (launcher, G_SUBPROCESS_FLAGS_STDERR_MERGE);
  self->process = g_subprocess_launcher_spawn (launcher, error, "baresip", "-f", self->dir, NULL);
  if (self->process == NULL)
    {
      g_prefix_error (error, "Cannot start baresip (install the Debian package “baresip”): ");
      return FALSE;
    }
  g_subprocess_wait_async (self->process, NULL, on_process_exit, &self->exited);
  return TRUE;
}

static gboolean
connect_control (BenchBaresip *self, guint port, GError **error)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  gint64 end = g_get_monotonic_time () + START_TIMEOUT_MS * 1000;

  while (self->control == NULL)
    {
      g_autoptr (GError) local_error = NULL;

      self->control
        = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &local_error);
      if (self->control != NULL)
        break;
      if (self->exited || g_get_monotonic_time () > end)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       "baresip did not open its control port %u; see %s/baresip.log: %s", port,
                       self->dir, local_error->message);
          return FALSE;
        }
      ap_test_sleep (50);
    }
  g_socket_set_timeout (g_socket_connection_get_socket (self->control), IO_TIMEOUT_S);
  return TRUE;
}

/**
 * bench_baresip_start:
 * @codec: `opus` or `pcma`
 * @srtp: SDES-SRTP (`mediaenc=srtp`), as Agentphone offers by default
 * @auto_answer: answer every incoming call at once
 */
BenchBaresip *
bench_baresip_start (guint freq, const char *codec, gboolean srtp, gboolean auto_answer,
                     GError **error)
{
  return bench_baresip_start_registered (freq, codec, srtp, auto_answer, NULL, 0, error);
}

/**
 * bench_baresip_start_registered:
 * @user: (nullable): registers as @user (password `pass<user>`) at the
 *   registrar on 127.0.0.1:@registrar_port, which also routes its calls;
 *   %NULL: no registration, called directly
 */
BenchBaresip *
bench_baresip_start_registered (guint freq, const char *codec, gboolean srtp, gboolean auto_answer,
                                const char *user, guint registrar_port, GError **error)
{
  g_autoptr (BenchBaresip) self = g_new0 (BenchBaresip, 1);
  guint control_port = ap_test_free_port ();

  g_return_val_if_fail (codec_name (codec) != NULL, NULL);
  self->events = g_ptr_array_new_with_free_func (g_free);
  self->user = g_strdup (user);
  self->registrar_port = registrar_port;
  self->dir = ap_test_make_dir ("baresip");
  self->sip_port = ap_test_free_port ();
  if (!write_config (self, freq, codec, srtp, auto_answer, control_port, error)
      || !spawn (self, error) || !connect_control (self, control_port, error))
    return NULL;
  return g_steal_pointer (&self);
}

GPid
bench_baresip_get_pid (BenchBaresip *self)
{
  const char *id = g_subprocess_get_identifier (self->process);

  return id ? (GPid) g_ascii_strtoll (id, NULL, 10) : 0;
}

/** bench_baresip_get_uri: (transfer full): where to call it */
char *
bench_baresip_get_uri (BenchBaresip *self)
{
  return g_strdup_printf ("sip:bench@127.0.0.1:%u", self->sip_port);
}

/* One netstring: "<length>:<bytes>,". */
static char *
read_netstring (GInputStream *in, GError **error)
{
  g_autofree char *payload = NULL;
  char digits[16] = "";
  gsize length, got;

  for (guint i = 0;; i++)
    {
      if (i + 1 >= sizeof digits || !g_input_stream_read_all (in, digits + i, 1, &got, NULL, error))
        return NULL;
      if (got == 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "baresip closed its control port");
          return NULL;
        }
      if (digits[i] == ':')
        {
          digits[i] = '\0';
          break;
        }
    }
  length = g_ascii_strtoull (digits, NULL, 10);
  payload = g_malloc0 (length + 2);
  if (!g_input_stream_read_all (in, payload, length + 1, &got, NULL, error))
    return NULL;
  payload[length] = '\0'; /* the trailing comma */
  return g_steal_pointer (&payload);
}

/**
 * bench_baresip_command:
 * @data: (out) (optional): the command's text output
 *
 * Runs one menu command and waits for its response (events that arrive
 * meanwhile are skipped). Bounded by IO_TIMEOUT_S.
 */
gboolean
bench_baresip_command (BenchBaresip *self, const char *command, const char *params, char **data,
                       GError **error)
{
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (self->control));
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (self->control));
  g_autofree char *token = g_strdup_printf ("%u", ++self->next_token);
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *json = NULL;
  g_autofree char *frame = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "command");
  json_builder_add_string_value (builder, command);
  json_builder_set_member_name (builder, "params");
  json_builder_add_string_value (builder, params ? params : "");
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, token);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json = json_to_string (root, FALSE);
  frame = g_strdup_printf ("%zu:%s,", strlen (json), json);
  if (!g_output_stream_write_all (out, frame, strlen (frame), NULL, NULL, error))
    return FALSE;

  for (;;)
    {
      g_autofree char *message = read_netstring (in, error);
      g_autoptr (JsonParser) parser = json_parser_new ();
      JsonObject *object;

      if (message == NULL || !json_parser_load_from_data (parser, message, -1, error))
        return FALSE;
      object = json_node_get_object (json_parser_get_root (parser));
      if (object != NULL && json_object_get_boolean_member_with_default (object, "event", FALSE))
        g_ptr_array_add (
          self->events, g_strdup (json_object_get_string_member_with_default (object, "type", "")));
      if (object == NULL || !json_object_get_boolean_member_with_default (object, "response", FALSE)
          || g_strcmp0 (json_object_get_string_member_with_default (object, "token", ""), token))
        continue;
      if (data != NULL)
        *data = g_strdup (json_object_get_string_member_with_default (object, "data", ""));
      if (!json_object_get_boolean_member_with_default (object, "ok", FALSE))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "baresip refused “%s %s”: %s", command,
                       params ? params : "",
                       json_object_get_string_member_with_default (object, "data", ""));
          return FALSE;
        }
      return TRUE;
    }
}

static gboolean
take_event (BenchBaresip *self, const char *type)
{
  for (guint i = 0; i < self->events->len; i++)
    if (g_str_equal (self->events->pdata[i], type))
      {
        g_ptr_array_remove_range (self->events, 0, i + 1);
        return TRUE;
      }
  return FALSE;
}

/**
 * bench_baresip_wait_event:
 * @type: e.g. `REGISTER_OK`, `CALL_RTPESTAB`, `CALL_CLOSED`
 *
 * Waits for the next event of @type (earlier ones of other types are
 * dropped); FALSE with @error after @timeout_ms.
 */
gboolean
bench_baresip_wait_event (BenchBaresip *self, const char *type, guint timeout_ms, GError **error)
{
  GSocket *socket = g_socket_connection_get_socket (self->control);
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (self->control));
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!take_event (self, type))
    {
      g_autofree char *message = NULL;
      g_autoptr (JsonParser) parser = json_parser_new ();
      JsonObject *object;
      gint64 left = end - g_get_monotonic_time ();

      if (left <= 0 || !g_socket_condition_timed_wait (socket, G_IO_IN, left, NULL, NULL))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       "baresip sent no %s event within %u ms; see %s/baresip.log", type,
                       timeout_ms, self->dir);
          return FALSE;
        }
      message = read_netstring (in, error);
      if (message == NULL || !json_parser_load_from_data (parser, message, -1, error))
        return FALSE;
      object = json_node_get_object (json_parser_get_root (parser));
      if (object != NULL && json_object_get_boolean_member_with_default (object, "event", FALSE))
        g_ptr_array_add (
          self->events, g_strdup (json_object_get_string_member_with_default (object, "type", "")));
    }
  return TRUE;
}

guint
bench_baresip_get_sip_port (BenchBaresip *self)
{
  return self->sip_port;
}

/** bench_baresip_count_established: calls established now (listcalls) */
guint
bench_baresip_count_established (BenchBaresip *self)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *calls = NULL;
  guint n = 0;

  if (!bench_baresip_command (self, "listcalls", NULL, &calls, &error))
    g_error ("%s", error->message);
  for (const char *p = calls; (p = strstr (p, "ESTABLISHED")) != NULL; p++)
    n++;
  return n;
}

void
bench_baresip_free (BenchBaresip *self)
{
  if (self == NULL)
    return;
  if (self->control != NULL)
    bench_baresip_command (self, "quit", NULL, NULL, NULL);
  g_clear_object (&self->control);
  if (self->process != NULL)
    {
      if (!ap_test_run_until (flag_set, &self->exited, STOP_TIMEOUT_MS))
        {
          g_subprocess_force_exit (self->process);
          ap_test_run_until (flag_set, &self->exited, STOP_TIMEOUT_MS);
        }
      g_clear_object (&self->process);
    }
  g_clear_pointer (&self->events, g_ptr_array_unref);
  g_free (self->user);
  g_free (self->dir);
  g_free (self);
}
