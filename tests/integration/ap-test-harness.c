/* ap-test-harness.c: real peers for the integration tests. */
#define _GNU_SOURCE
#include "ap-test-harness.h"

#include <errno.h>
#include <ftw.h>
#include <gio/gunixoutputstream.h>
#include <glib/gstdio.h>
#include <netinet/in.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define START_TIMEOUT_MS 15000
#define STOP_TIMEOUT_MS 10000

/* ---- waiting ---------------------------------------------------------- */

/**
 * ap_test_run_until:
 *
 * Runs the default main context until @predicate holds or @timeout_ms pass.
 * Returns: whether @predicate held.
 */
gboolean
ap_test_run_until (ApTestPredicate predicate, gpointer data, guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!predicate (data))
    {
      if (g_get_monotonic_time () >= end)
        return predicate (data);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
  return TRUE;
}

/** ap_test_file_exists: a predicate for ap_test_run_until(); @path a file name */
gboolean
ap_test_file_exists (gpointer path)
{
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

/** ap_test_sleep: waits while still serving the main context */
void
ap_test_sleep (guint ms)
{
  ap_test_run_until (never, NULL, ms);
}

/* A port free for both UDP and TCP on 127.0.0.1 right now. */
guint
ap_test_free_port (void)
{
  for (guint attempt = 0; attempt < 50; attempt++)
    {
      struct sockaddr_in addr = { .sin_family = AF_INET };
      socklen_t len = sizeof addr;
      int tcp = socket (AF_INET, SOCK_STREAM, 0);
      int udp = socket (AF_INET, SOCK_DGRAM, 0);
      guint port = 0;

      addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
      if (bind (tcp, (struct sockaddr *) &addr, sizeof addr) == 0
          && getsockname (tcp, (struct sockaddr *) &addr, &len) == 0
          && bind (udp, (struct sockaddr *) &addr, sizeof addr) == 0)
        port = ntohs (addr.sin_port);
      close (tcp);
      close (udp);
      /* Keep away from port+1, which TLS may take. */
      if (port != 0 && port < 65000)
        return port;
    }
  g_error ("No free port on 127.0.0.1");
  return 0;
}

static GPtrArray *made_dirs; /* scratch folders to remove at exit */

/* What will not go stays: a scratch file is no reason to fail a test. */
static int
remove_entry (const char *path, const struct stat *info, int flag, struct FTW *ftw)
{
  remove (path);
  return 0;
}

/* At a normal exit of a test program: a failed assertion aborts before
 * this runs, so a failure keeps every log and recording where the
 * messages said (these tests use no non-fatal assertions, and
 * g_test_failed() only means something inside a test). AP_TEST_KEEP keeps
 * them anyway. */
static void
remove_made_dirs (void)
{
  if (g_getenv ("AP_TEST_KEEP") != NULL)
    return;
  for (guint i = 0; i < made_dirs->len; i++)
    nftw (made_dirs->pdata[i], remove_entry, 16, FTW_DEPTH | FTW_PHYS);
  g_clear_pointer (&made_dirs, g_ptr_array_unref);
}

char *
ap_test_make_dir (const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *template = g_strdup_printf ("agentphone-%s-XXXXXX", name);
  char *dir = g_dir_make_tmp (template, &error);

  g_assert_no_error (error);
  if (made_dirs == NULL)
    {
      made_dirs = g_ptr_array_new_with_free_func (g_free);
      atexit (remove_made_dirs);
    }
  g_ptr_array_add (made_dirs, g_strdup (dir));
  return dir;
}

const char *
ap_test_source_dir (void)
{
  const char *dir = g_getenv ("AP_SOURCE_DIR");

  g_assert_nonnull (dir);
  return dir;
}

static gboolean
file_contains (const char *path, const char *needle)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, NULL))
    return FALSE;
  return memmem (contents, len, needle, strlen (needle)) != NULL;
}

/**
 * ap_test_tree_contains:
 * @where: (out) (optional): the first file that contains @needle
 *
 * Whether any regular file under @dir contains @needle.
 */
gboolean
ap_test_tree_contains (const char *dir, const char *needle, char **where)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return FALSE;
  while ((name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          if (ap_test_tree_contains (path, needle, where))
            return TRUE;
        }
      else if (g_file_test (path, G_FILE_TEST_IS_REGULAR) && file_contains (path, needle))
        {
          if (where)
            *where = g_steal_pointer (&path);
          return TRUE;
        }
    }
  return FALSE;
}

/* ---- processes -------------------------------------------------------- */

typedef struct {
  GSubprocess *process;
  gboolean exited;
  int status;
} ApTestProcess;

static void
on_process_exit (GObject *source, GAsyncResult *result, gpointer data)
{
  ApTestProcess *proc = data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  proc->status = g_subprocess_get_if_exited (G_SUBPROCESS (source))
                   ? g_subprocess_get_exit_status (G_SUBPROCESS (source))
                   : 128 + g_subprocess_get_term_sig (G_SUBPROCESS (source));
  proc->exited = TRUE;
}

static ApTestProcess *
process_spawn (GSubprocessLauncher *launcher, const char *log, const char *const *argv)
{
  ApTestProcess *proc = g_new0 (ApTestProcess, 1);
  g_autoptr (GError) error = NULL;

  if (log)
    {
      g_subprocess_launcher_set_stdout_file_path (launcher, log);
      g_subprocess_launcher_set_flags (launcher, G_SUBPROCESS_FLAGS_STDERR_MERGE);
    }
  proc->process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_wait_async (proc->process, NULL, on_process_exit, proc);
  return proc;
}

static gboolean
process_exited (gpointer data)
{
  return ((ApTestProcess *) data)->exited;
}

static gboolean
process_wait (ApTestProcess *proc, guint timeout_ms)
{
  return ap_test_run_until (process_exited, proc, timeout_ms);
}

/* SIGTERM, then SIGKILL if it will not go; always reaps. */
static void
process_stop (ApTestProcess *proc)
{
  if (proc == NULL)
    return;
  if (!proc->exited)
    {
      g_subprocess_send_signal (proc->process, SIGTERM);
      if (!process_wait (proc, STOP_TIMEOUT_MS))
        {
          g_subprocess_force_exit (proc->process);
          process_wait (proc, STOP_TIMEOUT_MS);
        }
    }
}

static void
process_free (ApTestProcess *proc)
{
  if (proc == NULL)
    return;
  process_stop (proc);
  g_clear_object (&proc->process);
  g_free (proc);
}

/* A test that crashes must not leave registrars and buses behind: children
 * die with the test process. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static GSubprocessLauncher *
launcher_new_with_flags (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  return launcher;
}

static GSubprocessLauncher *
launcher_new (void)
{
  return launcher_new_with_flags (G_SUBPROCESS_FLAGS_NONE);
}

/* ---- bus -------------------------------------------------------------- */

struct _ApTestBus {
  char *dir;
  ApTestProcess *proc;
  char *address;
  GDBusConnection *connection;
};

static const char bus_config[]
  = "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
    " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
    "<busconfig>\n"
    "  <type>session</type>\n"
    "  <listen>unix:dir=%s</listen>\n"
    "  <auth>EXTERNAL</auth>\n"
    "  <policy context=\"default\">\n"
    "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n"
    "    <allow eavesdrop=\"true\"/>\n"
    "    <allow own=\"*\"/>\n"
    "  </policy>\n"
    "</busconfig>\n";

/** ap_test_bus_new: a dbus-daemon of our own, with no service activation */
ApTestBus *
ap_test_bus_new (void)
{
  ApTestBus *bus = g_new0 (ApTestBus, 1);
  g_autoptr (GSubprocessLauncher) launcher
    = launcher_new_with_flags (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autofree char *config_path = NULL;
  g_autofree char *config = NULL;
  g_autoptr (GDataInputStream) out = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *config_arg = NULL;

  bus->dir = ap_test_make_dir ("bus");
  config_path = g_build_filename (bus->dir, "bus.conf", NULL);
  config = g_strdup_printf (bus_config, bus->dir);
  g_assert_true (g_file_set_contents (config_path, config, -1, NULL));
  config_arg = g_strdup_printf ("--config-file=%s", config_path);
  bus->proc = g_new0 (ApTestProcess, 1);
  bus->proc->process = g_subprocess_launcher_spawn (launcher, &error, "dbus-daemon", config_arg,
                                                    "--nofork", "--print-address=1", NULL);
  g_assert_no_error (error);
  g_subprocess_wait_async (bus->proc->process, NULL, on_process_exit, bus->proc);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (bus->proc->process));
  bus->address = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (bus->address);
  g_strstrip (bus->address);
  bus->connection = g_dbus_connection_new_for_address_sync (
    bus->address,
    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
    NULL, NULL, &error);
  g_assert_no_error (error);
  return bus;
}

const char *
ap_test_bus_get_address (ApTestBus *bus)
{
  return bus->address;
}

GDBusConnection *
ap_test_bus_get_connection (ApTestBus *bus)
{
  return bus->connection;
}

gboolean
ap_test_bus_has_owner (ApTestBus *bus, const char *name)
{
  g_autoptr (GVariant) reply = NULL;
  gboolean has = FALSE;

  reply = g_dbus_connection_call_sync (
    bus->connection, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
    "NameHasOwner", g_variant_new ("(s)", name), G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE,
    5000, NULL, NULL);
  if (reply)
    g_variant_get (reply, "(b)", &has);
  return has;
}

void
ap_test_bus_free (ApTestBus *bus)
{
  if (bus == NULL)
    return;
  if (bus->connection)
    g_dbus_connection_close_sync (bus->connection, NULL, NULL);
  g_clear_object (&bus->connection);
  process_free (bus->proc);
  g_free (bus->address);
  g_free (bus->dir);
  g_free (bus);
}

/* ---- keyring ---------------------------------------------------------- */

struct _ApTestKeyring {
  char *dir;
  ApTestProcess *proc;
};

typedef struct {
  ApTestBus *bus;
  const char *name;
} OwnerWait;

static gboolean
name_owned (gpointer data)
{
  OwnerWait *w = data;

  return ap_test_bus_has_owner (w->bus, w->name);
}

/** ap_test_keyring_new: a real Secret Service on @bus, its keyring unlocked */
ApTestKeyring *
ap_test_keyring_new (ApTestBus *bus)
{
  ApTestKeyring *keyring = g_new0 (ApTestKeyring, 1);
  g_autoptr (GSubprocessLauncher) launcher
    = launcher_new_with_flags (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                               | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autofree char *run = NULL;
  g_autofree char *data = NULL;
  g_autoptr (GError) error = NULL;
  OwnerWait wait = { bus, "org.freedesktop.secrets" };
  const char *argv[]
    = { "gnome-keyring-daemon", "--foreground", "--components=secrets", "--unlock", NULL };
  GOutputStream *in;

  keyring->dir = ap_test_make_dir ("keyring");
  run = g_build_filename (keyring->dir, "run", NULL);
  data = g_build_filename (keyring->dir, "data", NULL);
  g_mkdir_with_parents (run, 0700);
  g_mkdir_with_parents (data, 0700);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", bus->address, TRUE);
  g_subprocess_launcher_setenv (launcher, "HOME", keyring->dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", run, TRUE);
  keyring->proc = g_new0 (ApTestProcess, 1);
  keyring->proc->process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_wait_async (keyring->proc->process, NULL, on_process_exit, keyring->proc);
  in = g_subprocess_get_stdin_pipe (keyring->proc->process);
  g_output_stream_write_all (in, "keyring-test-password", 21, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (in, NULL, NULL);
  if (!ap_test_run_until (name_owned, &wait, START_TIMEOUT_MS))
    g_error ("gnome-keyring-daemon did not take org.freedesktop.secrets");
  return keyring;
}

void
ap_test_keyring_free (ApTestKeyring *keyring)
{
  if (keyring == NULL)
    return;
  process_free (keyring->proc);
  g_free (keyring->dir);
  g_free (keyring);
}

/* ---- Kamailio --------------------------------------------------------- */

struct _ApTestKamailio {
  char *dir;
  gboolean tls;
  guint port;
  guint tls_port;
  char *ca_file;
  ApTestProcess *proc;
  guint starts;
};

static void
write_file (const char *dir, const char *name, const char *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
}

static void
run_checked (const char *const *argv, const char *cwd)
{
  g_autoptr (GError) error = NULL;
  int status = 0;

  g_spawn_sync (cwd, (char **) argv, NULL,
                G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);
}

/* A CA and a server certificate for CN=127.0.0.1 with no SAN: the one shape
 * sofia-sip's subject check accepts for a server reached by IP. */
static void
make_certificates (ApTestKamailio *kam)
{
  const char *ca[] = { "openssl", "req",    "-x509", "-newkey", "rsa:2048",
                       "-nodes",  "-days",  "2",     "-subj",   "/CN=Agentphone Test CA",
                       "-keyout", "ca.key", "-out",  "ca.pem",  NULL };
  const char *csr[] = { "openssl",       "req",     "-newkey",    "rsa:2048", "-nodes",     "-subj",
                        "/CN=127.0.0.1", "-keyout", "server.key", "-out",     "server.csr", NULL };
  const char *sign[] = { "openssl", "x509",   "-req",   "-in",        "server.csr",
                         "-CA",     "ca.pem", "-CAkey", "ca.key",     "-CAcreateserial",
                         "-days",   "2",      "-out",   "server.pem", NULL };
  g_autofree char *tls_cfg = NULL;

  run_checked (ca, kam->dir);
  run_checked (csr, kam->dir);
  run_checked (sign, kam->dir);
  kam->ca_file = g_build_filename (kam->dir, "ca.pem", NULL);
  tls_cfg = g_strdup_printf ("[server:default]\nmethod = TLSv1.2+\nverify_certificate = no\n"
                             "require_certificate = no\nprivate_key = %s/server.key\n"
                             "certificate = %s/server.pem\n\n[client:default]\n"
                             "method = TLSv1.2+\nverify_certificate = no\n"
                             "require_certificate = no\n",
                             kam->dir, kam->dir);
  write_file (kam->dir, "tls.cfg", tls_cfg);
}

/** ap_test_kamailio_new: a registrar (not yet started) with test users */
ApTestKamailio *
ap_test_kamailio_new (gboolean tls)
{
  ApTestKamailio *kam = g_new0 (ApTestKamailio, 1);
  g_autofree char *db = NULL;
  g_autoptr (GString) users = g_string_new (
    "id(int,auto) username(string) domain(string) password(string) ha1(string,null) "
    "ha1b(string,null)\n");

  kam->dir = ap_test_make_dir ("kamailio");
  kam->tls = tls;
  db = g_build_filename (kam->dir, "db", NULL);
  g_mkdir (db, 0700);
  write_file (db, "version", "table_name(string) table_version(int)\nsubscriber:7\n");
  for (guint i = 1; i <= 5; i++)
    g_string_append_printf (users, "%u:100%u:127.0.0.1:pass100%u::\n", i, i, i);
  write_file (db, "subscriber", users->str);
  if (tls)
    make_certificates (kam);
  return kam;
}

static gboolean
tcp_accepts (gpointer data)
{
  ApTestKamailio *kam = data;
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons (kam->port) };
  int fd = socket (AF_INET, SOCK_STREAM, 0);
  gboolean ok;
  g_autofree char *ctl = g_build_filename (kam->dir, "ctl.sock", NULL);

  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  ok = connect (fd, (struct sockaddr *) &addr, sizeof addr) == 0;
  close (fd);
  return ok && g_file_test (ctl, G_FILE_TEST_EXISTS);
}

/** ap_test_kamailio_start_on: starts (again) on @port, or a free port when 0 */
void
ap_test_kamailio_start_on (ApTestKamailio *kam, guint port)
{
  g_autoptr (GSubprocessLauncher) launcher = launcher_new ();
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *log = NULL;
  g_autofree char *ctl = g_build_filename (kam->dir, "ctl.sock", NULL);

  g_assert_null (kam->proc);
  if (port)
    kam->port = port;
  if (kam->port == 0)
    kam->port = ap_test_free_port ();
  if (kam->tls && kam->tls_port == 0)
    kam->tls_port = ap_test_free_port ();
  g_unlink (ctl);
  g_ptr_array_add (argv, g_strdup ("kamailio"));
  g_ptr_array_add (argv,
                   g_strdup_printf ("-f%s/tests/kamailio/kamailio.cfg", ap_test_source_dir ()));
  g_ptr_array_add (argv, g_strdup ("-DD"));
  g_ptr_array_add (argv, g_strdup ("-E"));
  g_ptr_array_add (argv, g_strdup_printf ("-Y%s", kam->dir));
  g_ptr_array_add (argv, g_strdup_printf ("-ludp:127.0.0.1:%u", kam->port));
  g_ptr_array_add (argv, g_strdup_printf ("-ltcp:127.0.0.1:%u", kam->port));
  if (kam->tls)
    {
      g_ptr_array_add (argv, g_strdup_printf ("-ltls:127.0.0.1:%u", kam->tls_port));
      g_ptr_array_add (argv, g_strdup ("-AWITH_TLS"));
      g_ptr_array_add (argv, g_strdup_printf ("-ATLS_CFG=\"%s/tls.cfg\"", kam->dir));
    }
  g_ptr_array_add (argv, g_strdup_printf ("-ADBURL=\"text://%s/db\"", kam->dir));
  g_ptr_array_add (argv, g_strdup_printf ("-ACTL_SOCK=\"unix:%s\"", ctl));
  g_ptr_array_add (argv, NULL);
  log = g_strdup_printf ("%s/kamailio-%u.log", kam->dir, ++kam->starts);
  kam->proc = process_spawn (launcher, log, (const char *const *) argv->pdata);
  if (!ap_test_run_until (tcp_accepts, kam, START_TIMEOUT_MS))
    g_error ("Kamailio did not start on 127.0.0.1:%u; see %s", kam->port, log);
}

void
ap_test_kamailio_start (ApTestKamailio *kam)
{
  ap_test_kamailio_start_on (kam, 0);
}

void
ap_test_kamailio_stop (ApTestKamailio *kam)
{
  process_free (kam->proc);
  kam->proc = NULL;
}

guint
ap_test_kamailio_get_port (ApTestKamailio *kam)
{
  return kam->port;
}

guint
ap_test_kamailio_get_tls_port (ApTestKamailio *kam)
{
  return kam->tls_port;
}

const char *
ap_test_kamailio_get_ca_file (ApTestKamailio *kam)
{
  return kam->ca_file;
}

/** ap_test_kamailio_count_contacts: bindings of @user in the location table */
guint
ap_test_kamailio_count_contacts (ApTestKamailio *kam, const char *user)
{
  g_autofree char *ctl = g_strdup_printf ("unix:%s/ctl.sock", kam->dir);
  const char *argv[] = { "timeout", "5", "kamcmd", "-s", ctl, "ul.dump", NULL };
  g_autofree char *out = NULL;
  g_auto (GStrv) lines = NULL;
  gboolean in_aor = FALSE;
  guint count = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &out, NULL, NULL, NULL))
    return 0;
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      const char *line = g_strstrip (lines[i]);

      if (g_str_has_prefix (line, "AoR:"))
        {
          const char *name = line + strlen ("AoR:");

          while (*name == ' ')
            name++;
          in_aor = g_str_equal (name, user);
        }
      else if (in_aor && g_str_has_prefix (line, "Address:"))
        count++;
    }
  return count;
}

typedef struct {
  ApTestKamailio *kam;
  const char *user;
  guint count;
} ContactWait;

static gboolean
contacts_are (gpointer data)
{
  ContactWait *w = data;

  return ap_test_kamailio_count_contacts (w->kam, w->user) == w->count;
}

gboolean
ap_test_kamailio_wait_contacts (ApTestKamailio *kam, const char *user, guint count,
                                guint timeout_ms)
{
  ContactWait w = { kam, user, count };

  return ap_test_run_until (contacts_are, &w, timeout_ms);
}

void
ap_test_kamailio_free (ApTestKamailio *kam)
{
  if (kam == NULL)
    return;
  ap_test_kamailio_stop (kam);
  g_free (kam->ca_file);
  g_free (kam->dir);
  g_free (kam);
}

/* ---- sipp ------------------------------------------------------------- */

struct _ApTestSipp {
  char *dir;
  ApTestProcess *proc;
};

/**
 * ap_test_sipp_start:
 * @scenario: a file in tests/sipp/
 * @port: where sipp listens
 * @remote: (nullable): `host:port` to call (UAC scenarios)
 * @timeout_s: sipp's own global timeout
 */
ApTestSipp *
ap_test_sipp_start (const char *scenario, guint port, const char *remote, guint timeout_s)
{
  ApTestSipp *sipp = g_new0 (ApTestSipp, 1);
  g_autoptr (GSubprocessLauncher) launcher = launcher_new ();
  g_autofree char *sf = g_build_filename (ap_test_source_dir (), "tests", "sipp", scenario, NULL);
  g_autofree char *p = g_strdup_printf ("%u", port);
  g_autofree char *timeout = g_strdup_printf ("%us", timeout_s);
  g_autofree char *log = NULL;
  g_autofree char *errors = NULL;
  const char *argv[32]
    = { "sipp",        "-sf", sf,         "-i",    "127.0.0.1",      "-p",       p,
        "-m",          "1",   "-timeout", timeout, "-timeout_error", "-nostdin", "-trace_err",
        "-error_file", NULL };
  guint n = 15;

  sipp->dir = ap_test_make_dir ("sipp");
  errors = g_build_filename (sipp->dir, "errors.log", NULL);
  argv[n++] = errors;
  if (remote)
    argv[n++] = remote;
  argv[n] = NULL;
  log = g_build_filename (sipp->dir, "sipp.log", NULL);
  g_subprocess_launcher_set_cwd (launcher, sipp->dir);
  sipp->proc = process_spawn (launcher, log, argv);
  /* sipp binds its port before anything else: give it a moment. */
  ap_test_sleep (300);
  return sipp;
}

gboolean
ap_test_sipp_wait (ApTestSipp *sipp, guint timeout_ms, int *exit_status)
{
  if (!process_wait (sipp->proc, timeout_ms))
    return FALSE;
  if (exit_status)
    *exit_status = sipp->proc->status;
  if (sipp->proc->status != 0)
    {
      g_autofree char *errors = g_build_filename (sipp->dir, "errors.log", NULL);
      g_autofree char *text = NULL;

      if (g_file_get_contents (errors, &text, NULL, NULL))
        g_test_message ("sipp errors:\n%s", text);
    }
  return TRUE;
}

void
ap_test_sipp_free (ApTestSipp *sipp)
{
  if (sipp == NULL)
    return;
  process_free (sipp->proc);
  g_free (sipp->dir);
  g_free (sipp);
}

/* ---- agentphone ------------------------------------------------------- */

struct _ApTestPhone {
  ApTestBus *bus;
  char *home;
  char *log;
  ApTestProcess *proc;
  ApDbusPhone *proxy;
  GPtrArray *events;
  GPtrArray *forced;
  GPtrArray *added;    /* call paths, in order */
  guint added_taken;   /* how many ap_test_phone_wait_call_added() returned */
  GPtrArray *removed;  /* call paths */
  GPtrArray *messages; /* "from\ntext" */
};

static void
event_free (ApTestRegistrationEvent *ev)
{
  g_free (ev->state);
  g_free (ev->reason);
  g_free (ev);
}

static void
on_registration_changed (ApDbusPhone *proxy, const char *state, guint code, const char *reason,
                         ApTestPhone *phone)
{
  ApTestRegistrationEvent *ev = g_new0 (ApTestRegistrationEvent, 1);

  ev->state = g_strdup (state);
  ev->code = code;
  ev->reason = g_strdup (reason);
  ev->time_us = g_get_monotonic_time ();
  g_test_message ("RegistrationChanged %s %u %s", state, code, reason);
  g_ptr_array_add (phone->events, ev);
}

static void
on_forced_unregistration (ApDbusPhone *proxy, guint code, const char *reason, ApTestPhone *phone)
{
  ApTestRegistrationEvent *ev = g_new0 (ApTestRegistrationEvent, 1);

  ev->code = code;
  ev->reason = g_strdup (reason);
  ev->time_us = g_get_monotonic_time ();
  g_test_message ("ForcedUnregistration %u %s", code, reason);
  g_ptr_array_add (phone->forced, ev);
}

static void
on_call_added (ApDbusPhone *proxy, const char *path, const char *direction, const char *peer,
               ApTestPhone *phone)
{
  g_test_message ("CallAdded %s %s %s", path, direction, peer);
  g_ptr_array_add (phone->added, g_strdup (path));
}

static void
on_message_received (ApDbusPhone *proxy, const char *from, const char *text, ApTestPhone *phone)
{
  g_test_message ("MessageReceived %s: %s", from, text);
  g_ptr_array_add (phone->messages, g_strdup_printf ("%s\n%s", from, text));
}

static void
on_call_removed (ApDbusPhone *proxy, const char *path, ApTestPhone *phone)
{
  g_test_message ("CallRemoved %s", path);
  g_ptr_array_add (phone->removed, g_strdup (path));
}

/**
 * ap_test_phone_start:
 * @home: (nullable): the folder for its XDG dirs; a new one when %NULL, the
 *   same one to restart "the same installation"
 * @extra_env: (nullable): `NAME=value` strings
 */
ApTestPhone *
ap_test_phone_start (ApTestBus *bus, const char *home, const char *const *extra_env)
{
  ApTestPhone *phone = g_new0 (ApTestPhone, 1);
  g_autoptr (GSubprocessLauncher) launcher = launcher_new ();
  const char *binary = g_getenv ("AGENTPHONE_BIN");
  const char *argv[] = { binary, "--headless", NULL };
  const char *dirs[][2] = { { "XDG_CONFIG_HOME", "config" },
                            { "XDG_DATA_HOME", "data" },
                            { "XDG_CACHE_HOME", "cache" },
                            { "XDG_RUNTIME_DIR", "run" } };
  OwnerWait wait = { bus, "io.github.agentphone.Agentphone" };
  g_autoptr (GError) error = NULL;
  static guint starts;

  g_assert_nonnull (binary);
  phone->bus = bus;
  phone->home = home ? g_strdup (home) : ap_test_make_dir ("phone");
  phone->events = g_ptr_array_new_with_free_func ((GDestroyNotify) event_free);
  phone->forced = g_ptr_array_new_with_free_func ((GDestroyNotify) event_free);
  phone->added = g_ptr_array_new_with_free_func (g_free);
  phone->removed = g_ptr_array_new_with_free_func (g_free);
  phone->messages = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *dir = g_build_filename (phone->home, dirs[i][1], NULL);

      g_mkdir_with_parents (dir, 0700);
      g_subprocess_launcher_setenv (launcher, dirs[i][0], dir, TRUE);
    }
  g_subprocess_launcher_setenv (launcher, "HOME", phone->home, TRUE);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", bus->address, TRUE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  for (guint i = 0; extra_env && extra_env[i]; i++)
    {
      g_auto (GStrv) kv = g_strsplit (extra_env[i], "=", 2);

      g_subprocess_launcher_setenv (launcher, kv[0], kv[1] ? kv[1] : "", TRUE);
    }
  phone->log = g_strdup_printf ("%s/agentphone-%u.log", phone->home, ++starts);
  phone->proc = process_spawn (launcher, phone->log, argv);
  if (!ap_test_run_until (name_owned, &wait, START_TIMEOUT_MS))
    g_error ("agentphone did not take its bus name; see %s", phone->log);
  phone->proxy = ap_dbus_phone_proxy_new_sync (
    bus->connection, G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START, "io.github.agentphone.Agentphone",
    "/io/github/agentphone/Agentphone", NULL, &error);
  g_assert_no_error (error);
  g_dbus_proxy_set_default_timeout (G_DBUS_PROXY (phone->proxy), 10000);
  g_signal_connect (phone->proxy, "registration-changed", G_CALLBACK (on_registration_changed),
                    phone);
  g_signal_connect (phone->proxy, "forced-unregistration", G_CALLBACK (on_forced_unregistration),
                    phone);
  g_signal_connect (phone->proxy, "call-added", G_CALLBACK (on_call_added), phone);
  g_signal_connect (phone->proxy, "call-removed", G_CALLBACK (on_call_removed), phone);
  g_signal_connect (phone->proxy, "message-received", G_CALLBACK (on_message_received), phone);
  g_test_message ("agentphone %s: home %s, log %s", binary, phone->home, phone->log);
  return phone;
}

ApDbusPhone *
ap_test_phone_get_proxy (ApTestPhone *phone)
{
  return phone->proxy;
}

const char *
ap_test_phone_get_home (ApTestPhone *phone)
{
  return phone->home;
}

const char *
ap_test_phone_get_log (ApTestPhone *phone)
{
  return phone->log;
}

/** ap_test_phone_get_pid: its process id (0 once it has exited), for benchmarks */
GPid
ap_test_phone_get_pid (ApTestPhone *phone)
{
  const char *id = g_subprocess_get_identifier (phone->proc->process);

  return id ? (GPid) g_ascii_strtoll (id, NULL, 10) : 0;
}

GPtrArray *
ap_test_phone_get_events (ApTestPhone *phone)
{
  return phone->events;
}

GPtrArray *
ap_test_phone_get_forced (ApTestPhone *phone)
{
  return phone->forced;
}

typedef struct {
  ApTestPhone *phone;
  const char *state;
} StateWait;

static gboolean
state_is (gpointer data)
{
  StateWait *w = data;
  const char *state = ap_dbus_phone_get_registration_state (w->phone->proxy);

  return g_strcmp0 (state, w->state) == 0;
}

gboolean
ap_test_phone_wait_registration (ApTestPhone *phone, const char *state, guint timeout_ms)
{
  StateWait w = { phone, state };
  gboolean ok = ap_test_run_until (state_is, &w, timeout_ms);

  if (!ok)
    g_test_message ("registration is %s (%u %s), expected %s",
                    ap_dbus_phone_get_registration_state (phone->proxy),
                    ap_dbus_phone_get_registration_code (phone->proxy),
                    ap_dbus_phone_get_registration_reason (phone->proxy), state);
  return ok;
}

/** ap_test_phone_configure: Configure() with a GVariant text `{'key': <value>}` */
void
ap_test_phone_configure (ApTestPhone *phone, const char *text)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) settings
    = g_variant_parse (G_VARIANT_TYPE_VARDICT, text, NULL, NULL, &error);

  g_assert_no_error (error);
  ap_dbus_phone_call_configure_sync (phone->proxy, settings, NULL, &error);
  g_assert_no_error (error);
}

void
ap_test_phone_signal (ApTestPhone *phone, int signum)
{
  g_subprocess_send_signal (phone->proc->process, signum);
}

gboolean
ap_test_phone_wait_exit (ApTestPhone *phone, guint timeout_ms, int *exit_status)
{
  if (!process_wait (phone->proc, timeout_ms))
    return FALSE;
  if (exit_status)
    *exit_status = phone->proc->status;
  return TRUE;
}

void
ap_test_phone_free (ApTestPhone *phone)
{
  if (phone == NULL)
    return;
  g_clear_object (&phone->proxy);
  process_free (phone->proc);
  g_ptr_array_unref (phone->events);
  g_ptr_array_unref (phone->forced);
  g_ptr_array_unref (phone->added);
  g_ptr_array_unref (phone->removed);
  g_ptr_array_unref (phone->messages);
  g_free (phone->log);
  g_free (phone->home);
  g_free (phone);
}

static gboolean
call_added (gpointer data)
{
  ApTestPhone *phone = data;

  return phone->added->len > phone->added_taken;
}

/**
 * ap_test_phone_wait_call_added:
 *
 * Returns: (transfer full) (nullable): the path of the next call that
 * CallAdded announced, or %NULL after @timeout_ms
 */
char *
ap_test_phone_wait_call_added (ApTestPhone *phone, guint timeout_ms)
{
  if (!ap_test_run_until (call_added, phone, timeout_ms))
    return NULL;
  return g_strdup (phone->added->pdata[phone->added_taken++]);
}

typedef struct {
  ApTestPhone *phone;
  const char *path;
} RemovedWait;

static gboolean
call_removed (gpointer data)
{
  RemovedWait *w = data;

  for (guint i = 0; i < w->phone->removed->len; i++)
    if (g_str_equal (w->phone->removed->pdata[i], w->path))
      return TRUE;
  return FALSE;
}

gboolean
ap_test_phone_wait_call_removed (ApTestPhone *phone, const char *path, guint timeout_ms)
{
  RemovedWait w = { phone, path };

  return ap_test_run_until (call_removed, &w, timeout_ms);
}

/** ap_test_phone_get_call: (transfer full): a proxy for the call at @path */
ApDbusCall *
ap_test_phone_get_call (ApTestPhone *phone, const char *path)
{
  g_autoptr (GError) error = NULL;
  ApDbusCall *call
    = ap_dbus_call_proxy_new_sync (phone->bus->connection, G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START,
                                   "io.github.agentphone.Agentphone", path, NULL, &error);

  g_assert_no_error (error);
  g_dbus_proxy_set_default_timeout (G_DBUS_PROXY (call), 10000);
  return call;
}

typedef struct {
  ApDbusCall *call;
  const char *state;
} CallStateWait;

static gboolean
call_state_is (gpointer data)
{
  CallStateWait *w = data;

  return g_strcmp0 (ap_dbus_call_get_state (w->call), w->state) == 0;
}

gboolean
ap_test_call_wait_state (ApDbusCall *call, const char *state, guint timeout_ms)
{
  CallStateWait w = { call, state };
  gboolean ok = ap_test_run_until (call_state_is, &w, timeout_ms);

  if (!ok)
    g_test_message ("call is %s (%u %s), expected %s", ap_dbus_call_get_state (call),
                    ap_dbus_call_get_end_code (call), ap_dbus_call_get_end_reason (call), state);
  return ok;
}

static gboolean
media_active (gpointer data)
{
  return ap_dbus_call_get_media_active (data);
}

gboolean
ap_test_call_wait_media_active (ApDbusCall *call, guint timeout_ms)
{
  return ap_test_run_until (media_active, call, timeout_ms);
}

static gboolean
listening (gpointer data)
{
  return ap_dbus_phone_get_listen_port (data) != 0;
}

/** ap_test_phone_get_listen_port: its SIP port, once it listens (bounded wait) */
guint
ap_test_phone_get_listen_port (ApTestPhone *phone)
{
  g_assert_true (ap_test_run_until (listening, phone->proxy, 5000));
  return ap_dbus_phone_get_listen_port (phone->proxy);
}

/** ap_test_phone_get_messages: MessageReceived so far, each "from\ntext" */
GPtrArray *
ap_test_phone_get_messages (ApTestPhone *phone)
{
  return phone->messages;
}
