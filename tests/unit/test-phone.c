/* test-phone.c: ApPhone's account operations over a fake registration
 * backend and an in-memory secret store. */
#include <string.h>

#include "ap-error.h"
#include "ap-fake-backend.h"
#include "ap-memory-secret-store.h"
#include "ap-phone.h"
#include "ap-test-util.h"

#define DOMAIN "Agentphone-core"
#define AOR "sip:1001@example.com"
#define PASSWORD "hunter2-d41d8cd9"

typedef struct {
  char *dir;
  char *path;
  ApSettings *settings;
  ApSecretStore *store;
  ApFakeBackend *backend;
  ApPhone *phone;
} Fixture;

static void
make_phone (Fixture *fx)
{
  g_clear_object (&fx->phone);
  fx->phone = ap_phone_new (fx->settings, fx->store);
  ap_account_set_backend (ap_phone_get_account (fx->phone), AP_REGISTRATION_BACKEND (fx->backend));
}

static void
fixture_set_up (Fixture *fx, gconstpointer data)
{
  fx->dir = ap_test_make_dir ();
  fx->path = g_build_filename (fx->dir, "settings.json", NULL);
  fx->settings = ap_settings_new (fx->path);
  ap_test_merge (fx->settings, "{'server': <'127.0.0.1:5060'>}");
  fx->store = ap_memory_secret_store_new ();
  fx->backend = ap_fake_backend_new ();
  make_phone (fx);
}

static void
fixture_tear_down (Fixture *fx, gconstpointer data)
{
  g_clear_object (&fx->phone);
  g_clear_object (&fx->backend);
  g_clear_object (&fx->store);
  g_clear_object (&fx->settings);
  ap_test_remove_dir (fx->dir);
  g_free (fx->path);
  g_free (fx->dir);
}

typedef struct {
  GAsyncResult *result;
} AsyncWait;

static void
on_async_done (GObject *source, GAsyncResult *result, gpointer data)
{
  AsyncWait *wait = data;

  wait->result = g_object_ref (result);
}

static gboolean
async_done (gpointer data)
{
  return ((AsyncWait *) data)->result != NULL;
}

static void
store_password (ApSecretStore *store, const char *uri, const char *user, const char *password)
{
  AsyncWait wait = { NULL };
  g_autoptr (GError) error = NULL;

  ap_secret_store_store_async (store, uri, user, password, NULL, on_async_done, &wait);
  g_assert_true (ap_test_run_until (async_done, &wait, 1000));
  g_assert_true (ap_secret_store_store_finish (store, wait.result, &error));
  g_assert_no_error (error);
  g_object_unref (wait.result);
}

static char *
lookup_password (ApSecretStore *store, const char *uri, const char *user)
{
  AsyncWait wait = { NULL };
  g_autoptr (GError) error = NULL;
  char *password;

  ap_secret_store_lookup_async (store, uri, user, NULL, on_async_done, &wait);
  g_assert_true (ap_test_run_until (async_done, &wait, 1000));
  password = ap_secret_store_lookup_finish (store, wait.result, &error);
  g_assert_no_error (error);
  g_object_unref (wait.result);
  return password;
}

static guint
n_starts (Fixture *fx)
{
  return ap_fake_backend_count (fx->backend, AP_FAKE_CALL_START);
}

static gboolean
has_started (gpointer data)
{
  return n_starts (data) > 0;
}

static gboolean
has_two_starts (gpointer data)
{
  return n_starts (data) >= 2;
}

static gboolean
is_in_secret_service (gpointer data)
{
  return ap_phone_get_password_storage (data) == AP_PASSWORD_STORAGE_SECRET_SERVICE;
}

static ApRegistrationState
state (Fixture *fx)
{
  return ap_account_get_state (ap_phone_get_account (fx->phone));
}

static void
register_ok (Fixture *fx, const char *password)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (ap_phone_register (fx->phone, AOR, "", password, &error));
  g_assert_no_error (error);
  g_assert_true (ap_test_run_until (has_started, fx, 1000));
  ap_fake_backend_emit (fx->backend, AP_REGISTRATION_EVENT_REGISTERED, 200, FALSE);
  g_assert_cmpint (state (fx), ==, AP_REGISTRATION_STATE_REGISTERED);
}

static void
test_register_no_engine (Fixture *fx, gconstpointer data)
{
  g_autoptr (ApPhone) phone = ap_phone_new (fx->settings, fx->store);
  g_autoptr (GError) error = NULL;

  g_assert_false (ap_phone_register (phone, AOR, "", PASSWORD, &error));
  g_assert_error (error, AP_ERROR, AP_ERROR_FAILED);
  g_assert_cmpstr (ap_settings_get_account_uri (fx->settings), ==, "");
}

static void
test_register_bad_uri (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *file_before = ap_test_read_file (fx->path);
  g_autofree char *file_after = NULL;

  g_assert_false (ap_phone_register (fx->phone, "example.com", "", PASSWORD, &error));
  g_assert_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT);
  ap_test_run_for (100);
  g_assert_cmpuint (n_starts (fx), ==, 0);
  g_assert_cmpstr (ap_settings_get_account_uri (fx->settings), ==, "");
  g_assert_cmpstr (ap_account_get_uri (ap_phone_get_account (fx->phone)), ==, "");
  g_assert_false (ap_account_has_password (ap_phone_get_account (fx->phone)));
  g_assert_cmpint (ap_phone_get_password_storage (fx->phone), ==, AP_PASSWORD_STORAGE_NONE);
  stored = lookup_password (fx->store, "example.com", "");
  g_assert_null (stored);
  file_after = ap_test_read_file (fx->path);
  g_assert_cmpstr (file_after, ==, file_before);
}

static void
test_register_password (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *stored = NULL;
  const ApFakeCall *start;

  g_assert_true (ap_phone_register (fx->phone, AOR, "", PASSWORD, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_starts (fx), ==, 1);
  start = ap_fake_backend_last (fx->backend, AP_FAKE_CALL_START);
  g_assert_cmpstr (start->aor, ==, AOR);
  g_assert_cmpstr (start->auth_user, ==, "1001");
  g_assert_cmpstr (start->password, ==, PASSWORD);
  g_assert_cmpstr (start->registrar, ==, "sip:127.0.0.1:5060;transport=udp");

  g_assert_true (ap_test_run_until (is_in_secret_service, fx->phone, 1000));
  stored = lookup_password (fx->store, AOR, "1001");
  g_assert_cmpstr (stored, ==, PASSWORD);
  g_assert_cmpstr (ap_settings_get_account_uri (fx->settings), ==, AOR);
  g_assert_cmpstr (ap_settings_get_auth_user (fx->settings), ==, "1001");

  ap_fake_backend_emit (fx->backend, AP_REGISTRATION_EVENT_REGISTERED, 200, FALSE);
  g_assert_cmpint (state (fx), ==, AP_REGISTRATION_STATE_REGISTERED);
}

static void
test_register_stored_password (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  store_password (fx->store, AOR, "auth-1001", "from-the-store");
  g_assert_true (ap_phone_register (fx->phone, AOR, "auth-1001", "", &error));
  g_assert_no_error (error);
  g_assert_true (ap_test_run_until (has_started, fx, 1000));
  g_assert_cmpuint (n_starts (fx), ==, 1);
  g_assert_cmpstr (ap_fake_backend_last (fx->backend, AP_FAKE_CALL_START)->password, ==,
                   "from-the-store");
  g_assert_cmpstr (ap_fake_backend_last (fx->backend, AP_FAKE_CALL_START)->auth_user, ==,
                   "auth-1001");
  g_assert_cmpint (ap_phone_get_password_storage (fx->phone), ==,
                   AP_PASSWORD_STORAGE_SECRET_SERVICE);
}

static void
test_register_no_stored_password (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  g_test_expect_message (DOMAIN, G_LOG_LEVEL_MESSAGE, "No stored password for " AOR "*");
  g_assert_true (ap_phone_register (fx->phone, AOR, "", "", &error));
  g_assert_no_error (error);
  ap_test_run_for (300);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (n_starts (fx), ==, 0);
  g_assert_cmpint (state (fx), ==, AP_REGISTRATION_STATE_UNREGISTERED);
}

static void
test_register_newest_wins (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  /* A lookup still under way must not override a newer Register(). */
  store_password (fx->store, AOR, "1001", "old");
  g_assert_true (ap_phone_register (fx->phone, AOR, "", "", &error));
  g_assert_true (ap_phone_register (fx->phone, AOR, "", "new", &error));
  g_assert_no_error (error);
  ap_test_run_for (300);
  g_assert_cmpuint (n_starts (fx), ==, 1);
  g_assert_cmpstr (ap_fake_backend_last (fx->backend, AP_FAKE_CALL_START)->password, ==, "new");
}

static void
test_register_no_secret_service (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  g_clear_object (&fx->store);
  make_phone (fx);
  g_test_expect_message (DOMAIN, G_LOG_LEVEL_WARNING, "*No Secret Service*memory*");
  register_ok (fx, PASSWORD);
  g_test_assert_expected_messages ();
  g_assert_cmpint (ap_phone_get_password_storage (fx->phone), ==, AP_PASSWORD_STORAGE_MEMORY);

  /* For the rest of this run, an empty password means the one kept in memory. */
  g_assert_true (ap_phone_register (fx->phone, AOR, "", "", &error));
  g_assert_no_error (error);
  g_assert_true (ap_test_run_until (has_two_starts, fx, 1000));
  g_assert_cmpstr (ap_fake_backend_last (fx->backend, AP_FAKE_CALL_START)->password, ==, PASSWORD);
}

static void
test_register_save_fails (Fixture *fx, gconstpointer data)
{
  g_autofree char *blocker = g_build_filename (fx->dir, "not-a-folder", NULL);
  g_autofree char *path = g_build_filename (blocker, "settings.json", NULL);
  g_autoptr (GError) error = NULL;
  ApAccount *account;

  g_assert_true (g_file_set_contents (blocker, "", -1, NULL));
  g_clear_object (&fx->settings);
  fx->settings = ap_settings_new (path);
  make_phone (fx);
  account = ap_phone_get_account (fx->phone);

  g_assert_false (ap_phone_register (fx->phone, AOR, "", PASSWORD, &error));
  g_assert_error (error, AP_ERROR, AP_ERROR_FAILED);
  ap_test_run_for (100);
  g_assert_cmpuint (n_starts (fx), ==, 0);
  g_assert_cmpstr (ap_settings_get_account_uri (fx->settings), ==, "");
  /* A failed Register() changes nothing: not the account either. */
  g_assert_cmpstr (ap_account_get_uri (account), ==, "");
  g_assert_false (ap_account_has_password (account));
}

static void
test_unregister_not_registered (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (ap_phone_unregister (fx->phone, &error));
  g_assert_error (error, AP_ERROR, AP_ERROR_NOT_REGISTERED);
  g_assert_cmpuint (ap_fake_backend_count (fx->backend, AP_FAKE_CALL_STOP), ==, 0);
}

static void
test_unregister (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  register_ok (fx, PASSWORD);
  g_assert_true (ap_phone_unregister (fx->phone, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ap_fake_backend_count (fx->backend, AP_FAKE_CALL_STOP), ==, 1);
  g_assert_cmpint (state (fx), ==, AP_REGISTRATION_STATE_UNREGISTERING);
  /* Already on its way out. */
  g_assert_false (ap_phone_unregister (fx->phone, &error));
  g_assert_error (error, AP_ERROR, AP_ERROR_NOT_REGISTERED);
}

static void
test_settings_never_hold_password (Fixture *fx, gconstpointer data)
{
  g_autoptr (GVariant) settings = NULL;
  g_autofree char *text = NULL;
  g_autofree char *file = NULL;

  register_ok (fx, PASSWORD);
  g_assert_true (ap_test_run_until (is_in_secret_service, fx->phone, 1000));
  settings = ap_phone_dup_settings (fx->phone);
  text = g_variant_print (settings, TRUE);
  g_assert_nonnull (strstr (text, "127.0.0.1:5060"));
  g_assert_null (strstr (text, PASSWORD));
  file = ap_test_read_file (fx->path);
  g_assert_nonnull (strstr (file, AOR));
  g_assert_null (strstr (file, PASSWORD));
}

typedef struct {
  AsyncWait wait;
  gint64 started;
} Shutdown;

static void
start_shutdown (Fixture *fx, Shutdown *shutdown, guint timeout_ms)
{
  shutdown->started = g_get_monotonic_time ();
  ap_phone_shutdown_async (fx->phone, timeout_ms, on_async_done, &shutdown->wait);
}

/* Returns: how long the shutdown took, in ms */
static gint64
finish_shutdown (Fixture *fx, Shutdown *shutdown)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (ap_test_run_until (async_done, &shutdown->wait, 2000));
  g_assert_true (ap_phone_shutdown_finish (fx->phone, shutdown->wait.result, &error));
  g_assert_no_error (error);
  g_clear_object (&shutdown->wait.result);
  return (g_get_monotonic_time () - shutdown->started) / G_TIME_SPAN_MILLISECOND;
}

static void
test_shutdown_answered (Fixture *fx, gconstpointer data)
{
  Shutdown shutdown = { { NULL } };

  register_ok (fx, PASSWORD);
  start_shutdown (fx, &shutdown, 5000);
  g_assert_cmpuint (ap_fake_backend_count (fx->backend, AP_FAKE_CALL_STOP), ==, 1);
  ap_test_run_for (50);
  g_assert_null (shutdown.wait.result);
  ap_fake_backend_emit (fx->backend, AP_REGISTRATION_EVENT_UNREGISTERED, 200, FALSE);
  g_assert_cmpint (finish_shutdown (fx, &shutdown), <, 1000);
  g_assert_cmpint (state (fx), ==, AP_REGISTRATION_STATE_UNREGISTERED);
}

static void
test_shutdown_timeout (Fixture *fx, gconstpointer data)
{
  Shutdown shutdown = { { NULL } };
  gint64 took;

  register_ok (fx, PASSWORD);
  g_test_expect_message (DOMAIN, G_LOG_LEVEL_WARNING, "*did not confirm*in time*");
  start_shutdown (fx, &shutdown, 300);
  g_assert_cmpuint (ap_fake_backend_count (fx->backend, AP_FAKE_CALL_STOP), ==, 1);
  took = finish_shutdown (fx, &shutdown);
  g_test_assert_expected_messages ();
  g_assert_cmpint (took, >=, 300);
  g_assert_cmpint (took, <, 1000);
  /* A late answer after the timeout is harmless. */
  ap_fake_backend_emit (fx->backend, AP_REGISTRATION_EVENT_UNREGISTERED, 200, FALSE);
  g_assert_cmpint (state (fx), ==, AP_REGISTRATION_STATE_UNREGISTERED);
}

static void
test_shutdown_not_registered (Fixture *fx, gconstpointer data)
{
  Shutdown shutdown = { { NULL } };

  start_shutdown (fx, &shutdown, 5000);
  g_assert_cmpint (finish_shutdown (fx, &shutdown), <, 1000);
  g_assert_cmpuint (ap_fake_backend_count (fx->backend, AP_FAKE_CALL_STOP), ==, 0);
}

static void
test_register_saved (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (ap_settings_set_account (fx->settings, AOR, "auth-1001", &error));
  g_assert_no_error (error);
  store_password (fx->store, AOR, "auth-1001", "saved-pw");
  /* A fresh start: settings read back from the file. */
  g_clear_object (&fx->settings);
  fx->settings = ap_settings_new (fx->path);
  g_assert_true (ap_settings_load (fx->settings, &error));
  make_phone (fx);

  ap_phone_register_saved (fx->phone);
  g_assert_true (ap_test_run_until (has_started, fx, 1000));
  g_assert_cmpstr (ap_fake_backend_last (fx->backend, AP_FAKE_CALL_START)->aor, ==, AOR);
  g_assert_cmpstr (ap_fake_backend_last (fx->backend, AP_FAKE_CALL_START)->auth_user, ==,
                   "auth-1001");
  g_assert_cmpstr (ap_fake_backend_last (fx->backend, AP_FAKE_CALL_START)->password, ==,
                   "saved-pw");
}

static void
test_register_saved_without_account (Fixture *fx, gconstpointer data)
{
  ap_phone_register_saved (fx->phone);
  ap_test_run_for (200);
  g_assert_cmpuint (n_starts (fx), ==, 0);
  g_assert_cmpint (state (fx), ==, AP_REGISTRATION_STATE_UNREGISTERED);
}

#define ADD(name, func)                                                                            \
  g_test_add ("/phone/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  ADD ("register/no-engine", test_register_no_engine);
  ADD ("register/bad-uri", test_register_bad_uri);
  ADD ("register/password", test_register_password);
  ADD ("register/stored-password", test_register_stored_password);
  ADD ("register/no-stored-password", test_register_no_stored_password);
  ADD ("register/newest-wins", test_register_newest_wins);
  ADD ("register/no-secret-service", test_register_no_secret_service);
  ADD ("unregister/not-registered", test_unregister_not_registered);
  ADD ("unregister", test_unregister);
  ADD ("dup-settings/no-password", test_settings_never_hold_password);
  ADD ("shutdown/answered", test_shutdown_answered);
  ADD ("shutdown/timeout", test_shutdown_timeout);
  ADD ("shutdown/not-registered", test_shutdown_not_registered);
  ADD ("register-saved", test_register_saved);
  ADD ("register-saved/no-account", test_register_saved_without_account);
  /* Exposes a bug in src/ and is non-fatal; last, so that it hides no other result. */
  ADD ("register-save-fails", test_register_save_fails);
  return g_test_run ();
}
