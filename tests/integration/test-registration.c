/* Registration against a real Kamailio, through agentphone's DBus face. */
#include <signal.h>
#include <string.h>

#include "ap-test-calls.h"

#define REGISTER_TIMEOUT_MS 10000

static ApTestKamailio *kamailio; /* shared by the tests that do not stop it */

typedef struct {
  ApTestBus *bus;
  ApTestKeyring *keyring;
  ApTestPhone *phone;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->bus = ap_test_bus_new ();
  f->keyring = ap_test_keyring_new (f->bus);
  f->phone = ap_test_phone_start (f->bus, NULL, NULL);
}

static void
fixture_setup_no_keyring (Fixture *f, gconstpointer data)
{
  f->bus = ap_test_bus_new ();
  f->phone = ap_test_phone_start (f->bus, NULL, NULL);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  ap_test_phone_free (f->phone);
  ap_test_keyring_free (f->keyring);
  ap_test_bus_free (f->bus);
}

static void
configure_server (ApTestPhone *phone, guint port, const char *transport)
{
  g_autofree char *text = g_strdup_printf ("{'local-address': <'127.0.0.1'>, "
                                           "'server': <'127.0.0.1:%u'>, 'transport': <'%s'>}",
                                           port, transport);

  ap_test_phone_configure (phone, text);
}

static void
register_account (ApTestPhone *phone, const char *user, const char *password)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *uri = g_strdup_printf ("sip:%s@127.0.0.1", user);

  ap_dbus_phone_call_register_sync (ap_test_phone_get_proxy (phone), uri, "", password, NULL,
                                    &error);
  g_assert_no_error (error);
}

static void
assert_registered (ApTestPhone *phone)
{
  ApDbusPhone *proxy = ap_test_phone_get_proxy (phone);

  g_assert_true (ap_test_phone_wait_registration (phone, "registered", REGISTER_TIMEOUT_MS));
  g_assert_cmpuint (ap_dbus_phone_get_registration_code (proxy), ==, 200);
}

static gboolean
password_in_secret_service (gpointer data)
{
  return g_strcmp0 (ap_dbus_phone_get_password_storage (data), "secret-service") == 0;
}

static void
test_register_transport (Fixture *f, gconstpointer data)
{
  const char *transport = data;
  ApDbusPhone *proxy = ap_test_phone_get_proxy (f->phone);
  GPtrArray *events = ap_test_phone_get_events (f->phone);
  ApTestRegistrationEvent *last;

  configure_server (f->phone, ap_test_kamailio_get_port (kamailio), transport);
  register_account (f->phone, "1001", "pass1001");
  assert_registered (f->phone);
  g_assert_cmpstr (ap_dbus_phone_get_account_uri (proxy), ==, "sip:1001@127.0.0.1");
  g_assert_true (ap_test_kamailio_wait_contacts (kamailio, "1001", 1, 5000));
  /* RegistrationChanged went registering -> registered. */
  g_assert_cmpuint (events->len, >=, 2);
  last = events->pdata[events->len - 1];
  g_assert_cmpstr (last->state, ==, "registered");
  g_assert_cmpuint (last->code, ==, 200);
  g_assert_cmpstr (((ApTestRegistrationEvent *) events->pdata[0])->state, ==, "registering");

  g_autoptr (GError) error = NULL;
  ap_dbus_phone_call_unregister_sync (proxy, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ap_test_phone_wait_registration (f->phone, "unregistered", REGISTER_TIMEOUT_MS));
  g_assert_true (ap_test_kamailio_wait_contacts (kamailio, "1001", 0, 5000));
}

static void
test_register_tls (Fixture *f, gconstpointer data)
{
  g_autoptr (ApTestKamailio) kam = ap_test_kamailio_new (TRUE);
  g_autofree char *text = NULL;

  ap_test_kamailio_start (kam);
  text = g_strdup_printf ("{'local-address': <'127.0.0.1'>, 'server': <'127.0.0.1:%u'>, "
                          "'transport': <'tls'>, 'tls-verify': <true>, 'tls-ca-file': <'%s'>}",
                          ap_test_kamailio_get_tls_port (kam), ap_test_kamailio_get_ca_file (kam));
  ap_test_phone_configure (f->phone, text);
  register_account (f->phone, "1002", "pass1002");
  assert_registered (f->phone);
  g_assert_true (ap_test_kamailio_wait_contacts (kam, "1002", 1, 5000));
}

/* Verification is on by default: a server whose certificate no trusted CA
 * signed is refused (sofia reports it as a timeout); turning verification
 * off lets the same server through. */
static void
test_tls_untrusted (Fixture *f, gconstpointer data)
{
  gboolean verify = GPOINTER_TO_INT (data);
  g_autoptr (ApTestKamailio) kam = ap_test_kamailio_new (TRUE);
  g_autoptr (ApTestKamailio) other = ap_test_kamailio_new (TRUE); /* for its unrelated CA */
  g_autofree char *text = NULL;

  ap_test_kamailio_start (kam);
  text = g_strdup_printf ("{'local-address': <'127.0.0.1'>, 'server': <'127.0.0.1:%u'>, "
                          "'transport': <'tls'>, 'tls-ca-file': <'%s'>%s}",
                          ap_test_kamailio_get_tls_port (kam), ap_test_kamailio_get_ca_file (other),
                          verify ? "" : ", 'tls-verify': <false>");
  ap_test_phone_configure (f->phone, text);
  register_account (f->phone, "1002", "pass1002");
  if (!verify)
    {
      assert_registered (f->phone);
      return;
    }
  g_assert_true (ap_test_phone_wait_registration (f->phone, "failed", 45000));
  g_assert_cmpuint (ap_test_kamailio_count_contacts (kam, "1002"), ==, 0);
}

/* The binding outlives its expiry because it is refreshed in time. */
static void
test_refresh (Fixture *f, gconstpointer data)
{
  g_autofree char *text = g_strdup_printf ("{'local-address': <'127.0.0.1'>, "
                                           "'server': <'127.0.0.1:%u'>, "
                                           "'register-expires': <uint32 10>}",
                                           ap_test_kamailio_get_port (kamailio));

  ap_test_phone_configure (f->phone, text);
  register_account (f->phone, "1003", "pass1003");
  assert_registered (f->phone);
  ap_test_sleep (16000);
  g_assert_cmpstr (ap_dbus_phone_get_registration_state (ap_test_phone_get_proxy (f->phone)), ==,
                   "registered");
  g_assert_cmpuint (ap_test_kamailio_count_contacts (kamailio, "1003"), ==, 1);
}

static void
test_wrong_password (Fixture *f, gconstpointer data)
{
  ApDbusPhone *proxy = ap_test_phone_get_proxy (f->phone);
  guint code;

  configure_server (f->phone, ap_test_kamailio_get_port (kamailio), "udp");
  register_account (f->phone, "1003", "not-the-password");
  g_assert_true (ap_test_phone_wait_registration (f->phone, "failed", REGISTER_TIMEOUT_MS));
  code = ap_dbus_phone_get_registration_code (proxy);
  g_assert_true (code == 401 || code == 403);
  g_assert_nonnull (strstr (ap_dbus_phone_get_registration_reason (proxy), "password"));
  /* A refusal is final: no retry hammers the server. */
  ap_test_sleep (3000);
  g_assert_cmpstr (ap_dbus_phone_get_registration_state (proxy), ==, "failed");
  g_assert_cmpuint (ap_test_kamailio_count_contacts (kamailio, "1003"), ==, 0);
}

static void
test_bad_arguments (Fixture *f, gconstpointer data)
{
  ApDbusPhone *proxy = ap_test_phone_get_proxy (f->phone);
  const char *bad[] = {
    "{'no-such-key': <'x'>}",
    "{'transport': <'carrier-pigeon'>}",
    "{'port': <'5060'>}",
    "{'port': <uint32 70000>}",
    "{'audio-codecs': <['opus', 'mp3']>}",
    "{'backup-servers': <['good.example.com', 'bad host']>}",
    "{'tls-ca-file': <'/no/such/file.pem'>}",
    "{'server': <'127.0.0.1:5060'>, 'srtp': <'sometimes'>}",
  };
  g_autoptr (GVariant) before = NULL;
  g_autoptr (GVariant) after = NULL;
  g_autoptr (GError) error = NULL;

  ap_dbus_phone_call_get_settings_sync (proxy, &before, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GVariant) settings = g_variant_parse (NULL, bad[i], NULL, NULL, NULL);

      g_assert_nonnull (settings);
      ap_dbus_phone_call_configure_sync (proxy, settings, NULL, &error);
      g_test_message ("%s -> %s", bad[i], error ? error->message : "no error");
      g_assert_true (ap_test_dbus_error_is (error, "io.github.agentphone.Error.InvalidArgument"));
      g_clear_error (&error);
    }
  ap_dbus_phone_call_get_settings_sync (proxy, &after, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_variant_equal (before, after));

  ap_dbus_phone_call_register_sync (proxy, "not a uri", "", "x", NULL, &error);
  g_assert_true (ap_test_dbus_error_is (error, "io.github.agentphone.Error.InvalidArgument"));
  g_clear_error (&error);
  ap_dbus_phone_call_register_sync (proxy, "sip:example.com", "", "x", NULL, &error);
  g_assert_true (ap_test_dbus_error_is (error, "io.github.agentphone.Error.InvalidArgument"));
  g_clear_error (&error);
  g_assert_cmpstr (ap_dbus_phone_get_registration_state (proxy), ==, "unregistered");
  g_assert_cmpstr (ap_dbus_phone_get_account_uri (proxy), ==, "");

  ap_dbus_phone_call_unregister_sync (proxy, NULL, &error);
  g_assert_true (ap_test_dbus_error_is (error, "io.github.agentphone.Error.NotRegistered"));
}

/* Quit() and SIGTERM both un-register before the process exits. */
static void
test_clean_exit (Fixture *f, gconstpointer data)
{
  gboolean use_signal = GPOINTER_TO_INT (data);
  int status = -1;
  g_autoptr (GError) error = NULL;

  configure_server (f->phone, ap_test_kamailio_get_port (kamailio), "tcp");
  register_account (f->phone, "1004", "pass1004");
  assert_registered (f->phone);
  g_assert_true (ap_test_kamailio_wait_contacts (kamailio, "1004", 1, 5000));
  if (use_signal)
    ap_test_phone_signal (f->phone, SIGTERM);
  else
    ap_dbus_phone_call_quit_sync (ap_test_phone_get_proxy (f->phone), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ap_test_phone_wait_exit (f->phone, 10000, &status));
  g_assert_cmpint (status, ==, 0);
  /* No waiting here: the binding was gone before the process ended. */
  g_assert_cmpuint (ap_test_kamailio_count_contacts (kamailio, "1004"), ==, 0);
}

/* The password lives in the Secret Service: a restart registers by itself,
 * and the password is in no file, log or reply. */
static void
test_saved_account (Fixture *f, gconstpointer data)
{
  const char *password = "pass1005";
  g_autofree char *home = g_strdup (ap_test_phone_get_home (f->phone));
  g_autoptr (GVariant) settings = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *printed = NULL;
  g_autofree char *where = NULL;
  ApDbusPhone *proxy;

  configure_server (f->phone, ap_test_kamailio_get_port (kamailio), "udp");
  register_account (f->phone, "1005", password);
  assert_registered (f->phone);
  g_assert_true (
    ap_test_run_until (password_in_secret_service, ap_test_phone_get_proxy (f->phone), 5000));
  ap_dbus_phone_call_quit_sync (ap_test_phone_get_proxy (f->phone), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ap_test_phone_wait_exit (f->phone, 10000, NULL));
  g_assert_true (ap_test_kamailio_wait_contacts (kamailio, "1005", 0, 5000));
  ap_test_phone_free (f->phone);

  f->phone = ap_test_phone_start (f->bus, home, NULL);
  proxy = ap_test_phone_get_proxy (f->phone);
  assert_registered (f->phone);
  g_assert_cmpstr (ap_dbus_phone_get_account_uri (proxy), ==, "sip:1005@127.0.0.1");
  g_assert_true (ap_test_kamailio_wait_contacts (kamailio, "1005", 1, 5000));

  ap_dbus_phone_call_get_settings_sync (proxy, &settings, NULL, &error);
  g_assert_no_error (error);
  printed = g_variant_print (settings, FALSE);
  g_assert_null (strstr (printed, password));
  /* Settings, logs (at debug level), everything in its home. */
  if (ap_test_tree_contains (home, password, &where))
    g_error ("The password was written to %s", where);
}

static gboolean
password_in_memory (gpointer data)
{
  return g_strcmp0 (ap_dbus_phone_get_password_storage (data), "memory") == 0;
}

static void
test_memory_fallback (Fixture *f, gconstpointer data)
{
  ApDbusPhone *proxy = ap_test_phone_get_proxy (f->phone);
  g_autofree char *home = g_strdup (ap_test_phone_get_home (f->phone));
  g_autofree char *log = NULL;
  g_autofree char *where = NULL;
  g_autoptr (GError) error = NULL;

  configure_server (f->phone, ap_test_kamailio_get_port (kamailio), "udp");
  register_account (f->phone, "1001", "pass1001");
  assert_registered (f->phone);
  g_assert_true (ap_test_run_until (password_in_memory, proxy, 5000));
  g_assert_true (g_file_get_contents (ap_test_phone_get_log (f->phone), &log, NULL, NULL));
  g_assert_nonnull (strstr (log, "in memory for this run only"));

  ap_dbus_phone_call_quit_sync (proxy, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ap_test_phone_wait_exit (f->phone, 10000, NULL));
  ap_test_phone_free (f->phone);
  f->phone = ap_test_phone_start (f->bus, home, NULL);
  /* Nothing stored: it must not register by itself. */
  ap_test_sleep (2000);
  g_assert_cmpstr (ap_dbus_phone_get_registration_state (ap_test_phone_get_proxy (f->phone)), ==,
                   "unregistered");
  if (ap_test_tree_contains (home, "pass1001", &where))
    g_error ("The password was written to %s", where);
}

int
main (int argc, char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);
  kamailio = ap_test_kamailio_new (FALSE);
  ap_test_kamailio_start (kamailio);

  g_test_add ("/registration/udp", Fixture, "udp", fixture_setup, test_register_transport,
              fixture_teardown);
  g_test_add ("/registration/tcp", Fixture, "tcp", fixture_setup, test_register_transport,
              fixture_teardown);
  g_test_add ("/registration/tls", Fixture, NULL, fixture_setup, test_register_tls,
              fixture_teardown);
  g_test_add ("/registration/tls-untrusted-refused", Fixture, GINT_TO_POINTER (TRUE), fixture_setup,
              test_tls_untrusted, fixture_teardown);
  g_test_add ("/registration/tls-verify-off", Fixture, GINT_TO_POINTER (FALSE), fixture_setup,
              test_tls_untrusted, fixture_teardown);
  g_test_add ("/registration/refresh", Fixture, NULL, fixture_setup, test_refresh,
              fixture_teardown);
  g_test_add ("/registration/wrong-password", Fixture, NULL, fixture_setup, test_wrong_password,
              fixture_teardown);
  g_test_add ("/registration/bad-arguments", Fixture, NULL, fixture_setup, test_bad_arguments,
              fixture_teardown);
  g_test_add ("/registration/quit-unregisters", Fixture, GINT_TO_POINTER (FALSE), fixture_setup,
              test_clean_exit, fixture_teardown);
  g_test_add ("/registration/sigterm-unregisters", Fixture, GINT_TO_POINTER (TRUE), fixture_setup,
              test_clean_exit, fixture_teardown);
  g_test_add ("/registration/saved-account", Fixture, NULL, fixture_setup, test_saved_account,
              fixture_teardown);
  g_test_add ("/registration/memory-fallback", Fixture, NULL, fixture_setup_no_keyring,
              test_memory_fallback, fixture_teardown);

  result = g_test_run ();
  ap_test_kamailio_free (kamailio);
  return result;
}
