/* The window's panels under Xvfb: a screenshot of every page (run once in
 * English and once in Chinese), the account page's inline validation, the
 * history page filled by real calls and still there after a restart, the
 * window remembering its size and page, and the question before closing
 * with calls up. The core's own state is the proof of every step. */
#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "config.h"

#include "ap-media-engine.h"
#include "ap-memory-secret-store.h"
#include "ap-phone.h"
#include "ap-sip-engine.h"
#include "ap-sip-registration.h"
#include "ap-test-calls.h"
#include "ap-test-sound.h"
#include "ap-window.h"
#include "ap-window-state.h"
#include "ap-sidebar.h"
#include "ap-ui-test.h"

#define CALL_TIMEOUT_MS 10000

static GtkApplication *app;

typedef struct {
  ApTestKamailio *kamailio;
  char *dir;
  ApSettings *settings;
  ApSipEngine *engine;
  ApRegistrationBackend *registration;
  ApMediaEngine *media;
  ApPhone *phone;
  ApWindow *window;
} Fixture;

static gboolean
window_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0;
}

static gboolean
engine_bound (gpointer data)
{
  return ap_sip_engine_get_port (data) != 0;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

/* The phone as ApApplication builds it, with its history in f->dir: a
 * second call after phone_stop() is a restart. */
static void
phone_start (Fixture *f)
{
  g_autofree char *settings_path = g_build_filename (f->dir, "settings.json", NULL);
  g_autofree char *history_path = g_build_filename (f->dir, "history.json", NULL);
  g_autoptr (ApSecretStore) secrets = ap_memory_secret_store_new ();
  g_autoptr (ApHistory) history = ap_history_new (history_path, 0);
  g_autoptr (GError) error = NULL;

  f->settings = ap_settings_new (settings_path);
  g_assert_true (ap_settings_load (f->settings, &error));
  g_assert_true (ap_settings_merge (
    f->settings, g_variant_new_parsed ("{'local-address': <'127.0.0.1'>}"), &error));
  g_assert_no_error (error);
  f->engine = ap_sip_engine_new (f->settings);
  g_assert_true (ap_sip_engine_start (f->engine, &error));
  g_assert_true (ap_test_run_until (engine_bound, f->engine, 5000));
  f->registration = ap_sip_registration_new (f->engine);
  f->phone = ap_phone_new (f->settings, secrets);
  g_assert_true (ap_history_load (history, &error));
  ap_phone_set_history (f->phone, history);
  ap_account_set_backend (ap_phone_get_account (f->phone), f->registration);
  f->media = ap_media_engine_new ();
  ap_media_engine_set_settings (f->media, f->settings);
  ap_phone_set_devices (f->phone, AP_DEVICE_BACKEND (ap_media_engine_get_devices (f->media)));
  ap_sip_engine_set_media_factory (f->engine, AP_MEDIA_FACTORY (f->media));
  ap_phone_set_media_factory (f->phone, AP_MEDIA_FACTORY (f->media));
  ap_sip_engine_set_account (f->engine, ap_phone_get_account (f->phone));
  ap_phone_set_signaling (f->phone, AP_SIGNALING (f->engine));
}

static void
engine_shut_down (GObject *source, GAsyncResult *result, gpointer data)
{
  *(gboolean *) data = ap_sip_engine_shutdown_finish (AP_SIP_ENGINE (source), result, NULL);
}

static void
phone_shut_down (GObject *source, GAsyncResult *result, gpointer data)
{
  *(gboolean *) data = ap_phone_shutdown_finish (AP_PHONE (source), result, NULL);
}

static void
phone_stop (Fixture *f)
{
  gboolean done = FALSE;

  ap_phone_shutdown_async (f->phone, 3000, phone_shut_down, &done);
  g_assert_true (ap_test_run_until (flag_set, &done, 5000));
  done = FALSE;
  ap_sip_engine_shutdown_async (f->engine, 3000, engine_shut_down, &done);
  g_assert_true (ap_test_run_until (flag_set, &done, 5000));
  g_clear_object (&f->phone);
  g_clear_object (&f->media);
  g_clear_object (&f->registration);
  g_clear_object (&f->engine);
  g_clear_object (&f->settings);
}

static void
window_open (Fixture *f)
{
  f->window = ap_window_new (app, f->phone);
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (ap_test_run_until (window_mapped, f->window, 5000));
  ap_test_sleep (300);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autofree char *state = ap_window_state_path ();

  g_remove (state); /* each test starts from the default size and page */
  f->kamailio = ap_test_kamailio_new (FALSE);
  ap_test_kamailio_start (f->kamailio);
  f->dir = ap_test_make_dir ("panels");
  phone_start (f);
  window_open (f);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  if (f->window)
    gtk_window_destroy (GTK_WINDOW (f->window));
  phone_stop (f);
  ap_test_kamailio_free (f->kamailio);
  g_free (f->dir);
}

static GtkStack *
main_stack (Fixture *f)
{
  return ap_ui_test_main_stack (GTK_WIDGET (f->window));
}

/* As a click in the sidebar does. */
static GtkWidget *
show_page (Fixture *f, const char *name)
{
  GtkStack *stack = main_stack (f);
  GtkWidget *page = gtk_stack_get_child_by_name (stack, name);

  g_assert_nonnull (page);
  gtk_stack_set_visible_child_name (stack, name);
  ap_test_sleep (400);
  return page;
}

static GtkWidget *
entry_row (GtkWidget *page, const char *title)
{
  GtkWidget *row = ap_ui_test_find (page, ADW_TYPE_ENTRY_ROW, title);

  g_assert_nonnull (row);
  return row;
}

static void
type_into (GtkWidget *page, const char *title, const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (entry_row (page, title)), text);
}

/* ---- screenshots ---- */

static void
add_history (Fixture *f, const char *direction, const char *peer, const char *name, gint64 ago_s,
             guint duration, gboolean answered, guint code, const char *reason)
{
  ApHistoryEntry entry = { .id = "",
                           .direction = (char *) direction,
                           .peer = (char *) peer,
                           .peer_name = (char *) name,
                           .start = g_get_real_time () - ago_s * G_USEC_PER_SEC,
                           .duration = duration,
                           .answered = answered,
                           .end_code = code,
                           .end_reason = (char *) reason,
                           .recording = "" };

  ap_history_append (ap_phone_get_history_store (f->phone), &entry);
}

static void
test_screenshots (Fixture *f, gconstpointer data)
{
  const char *pages[]
    = { "phone", "account", "devices", "volume", "video", "screen-share", "history" };
  GtkWidget *account;

  gtk_window_set_default_size (GTK_WINDOW (f->window), 900, 680);
  ap_test_sleep (300);
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *name = g_strdup_printf ("panel-%s", pages[i]);

      show_page (f, pages[i]);
      ap_ui_test_screenshot (GTK_WIDGET (f->window), name);
    }
  /* The history with calls in it, one missed. */
  add_history (f, "outgoing", "sip:1002@pbx.example.com", "Li Wei", 3600, 185, TRUE, 200, "OK");
  add_history (f, "incoming", "sip:+861012345678@pbx.example.com", "", 600, 0, FALSE, 487,
               "Request Terminated");
  add_history (f, "incoming", "sip:1003@pbx.example.com", "Anna Schmidt", 120, 42, TRUE, 200, "OK");
  show_page (f, "history");
  ap_ui_test_screenshot (GTK_WIDGET (f->window), "panel-history-calls");

  /* The account page showing a mistake. */
  account = show_page (f, "account");
  type_into (account, _ ("Port (0: the usual one)"), "99999"); /* in either language */
  ap_test_sleep (200);
  ap_ui_test_screenshot (GTK_WIDGET (f->window), "panel-account-error");
}

/* ---- devices ---- */

static ApTestSound *sound; /* for the devices test only */

static void
devices_setup (Fixture *f, gconstpointer data)
{
  g_auto (GStrv) env = NULL;

  sound = ap_test_sound_new ();
  env = g_strsplit (ap_test_sound_env (sound), "=", 2);
  g_setenv (env[0], env[1], TRUE);
  g_free (ap_test_sound_pactl (sound, "load-module module-null-sink sink_name=spk1 "
                                      "sink_properties=device.description=Headset"));
  fixture_setup (f, data);
}

static void
devices_teardown (Fixture *f, gconstpointer data)
{
  g_auto (GStrv) env = g_strsplit (ap_test_sound_env (sound), "=", 2);

  fixture_teardown (f, data);
  g_unsetenv (env[0]);
  g_clear_pointer (&sound, ap_test_sound_free);
}

/* The position of @name in @row's list, or -1. */
static int
combo_position (GtkWidget *row, const char *name)
{
  GListModel *model = adw_combo_row_get_model (ADW_COMBO_ROW (row));

  for (guint i = 0; model && i < g_list_model_get_n_items (model); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (model), i), name) == 0)
      return (int) i;
  return -1;
}

static gboolean
combo_lists (gpointer data)
{
  gpointer *args = data;

  return (combo_position (args[0], args[1]) >= 0) == GPOINTER_TO_INT (args[2]);
}

static void
wait_listed (GtkWidget *row, const char *name, gboolean listed)
{
  gpointer args[] = { row, (gpointer) name, GINT_TO_POINTER (listed) };

  g_assert_true (ap_test_run_until (combo_lists, args, 10000));
}

/* Plugging and unplugging shows at once; a choice here is the core's, and
 * the core's choice (Devices.Select()) shows here. */
static void
test_devices_hotplug (Fixture *f, gconstpointer data)
{
  GtkWidget *page = show_page (f, "devices");
  GtkWidget *speaker = ap_ui_test_find (page, ADW_TYPE_COMBO_ROW, "Speaker");
  ApDeviceBackend *devices = ap_phone_get_devices (f->phone);
  g_autofree char *module = NULL;
  g_autofree char *unload = NULL;
  g_autofree char *selected = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (speaker);
  wait_listed (speaker, "Headset", TRUE);
  g_assert_cmpint (combo_position (speaker, "System default"), ==, 0);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (speaker)), ==, 0);

  module = ap_test_sound_pactl (sound, "load-module module-null-sink sink_name=spk2 "
                                       "sink_properties=device.description=Speakers");
  wait_listed (speaker, "Speakers", TRUE);

  adw_combo_row_set_selected (ADW_COMBO_ROW (speaker), combo_position (speaker, "Speakers"));
  selected = ap_device_backend_dup_selected (devices, AP_DEVICE_KIND_SPEAKER);
  g_assert_cmpstr (selected, ==, "spk2");

  g_assert_true (ap_device_backend_select (devices, AP_DEVICE_KIND_SPEAKER, "spk1", &error));
  g_assert_no_error (error);
  g_assert_cmpint (adw_combo_row_get_selected (ADW_COMBO_ROW (speaker)), ==,
                   combo_position (speaker, "Headset"));

  unload = g_strdup_printf ("unload-module %s", g_strstrip (module));
  g_free (ap_test_sound_pactl (sound, unload));
  wait_listed (speaker, "Speakers", FALSE);
  g_assert_true (combo_position (speaker, "Headset") > 0);
}

/* ---- account validation ---- */

static void
assert_invalid (GtkWidget *page, const char *row_title, const char *message_part)
{
  GtkWidget *label = ap_ui_test_find (page, GTK_TYPE_LABEL, "error");

  g_assert_true (gtk_widget_has_css_class (entry_row (page, row_title), "error"));
  g_assert_nonnull (label);
  g_assert_true (gtk_widget_get_visible (label));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), message_part));
  g_assert_false (gtk_widget_get_sensitive (ap_ui_test_find (page, GTK_TYPE_BUTTON, "Sa_ve")));
  g_assert_false (gtk_widget_get_sensitive (ap_ui_test_find (page, GTK_TYPE_BUTTON, "_Register")));
}

static void
test_account_validation (Fixture *f, gconstpointer data)
{
  GtkWidget *page = show_page (f, "account");
  GtkWidget *save = ap_ui_test_find (page, GTK_TYPE_BUTTON, "Sa_ve");
  GtkWidget *label = ap_ui_test_find (page, GTK_TYPE_LABEL, "error");
  ApSettings *settings = ap_phone_get_settings (f->phone);
  g_auto (GStrv) codecs = NULL;

  /* The defaults are valid; Register waits for an address. */
  g_assert_true (gtk_widget_get_sensitive (save));
  g_assert_false (gtk_widget_get_visible (label));
  g_assert_false (gtk_widget_get_sensitive (ap_ui_test_find (page, GTK_TYPE_BUTTON, "_Register")));

  /* The core's own messages, the ones Configure() answers with. */
  type_into (page, "Port", "99999");
  assert_invalid (page, "Port", "99999 is outside 0…65535");
  type_into (page, "Port", "fifty");
  assert_invalid (page, "Port", "“fifty” is not a number");
  type_into (page, "Port", "5080");
  g_assert_false (gtk_widget_has_css_class (entry_row (page, "Port"), "error"));
  type_into (page, "Codec priority", "opus, mp3");
  assert_invalid (page, "Codec priority", "“mp3” is not one of");
  type_into (page, "Codec priority", "PCMA opus");
  type_into (page, "Server", "bad host:1");
  assert_invalid (page, "Server", "is not a host or host:port");
  type_into (page, "Server", "");
  type_into (page, "SIP address", "not an address");
  assert_invalid (page, "SIP address", "is not an account address");
  type_into (page, "SIP address", "sip:1001@127.0.0.1");
  g_assert_false (gtk_widget_get_visible (label));
  g_assert_true (gtk_widget_get_sensitive (ap_ui_test_find (page, GTK_TYPE_BUTTON, "_Register")));

  /* Save hands the values to the core as Configure() would. */
  g_assert_true (gtk_widget_get_sensitive (save));
  g_assert_true (gtk_widget_activate (save));
  ap_test_sleep (400);
  g_assert_cmpuint (ap_settings_get_uint (settings, "port"), ==, 5080);
  codecs = ap_settings_get_strv (settings, "audio-codecs");
  g_assert_cmpstrv (codecs, ((const char *const[]){ "pcma", "opus", NULL }));
}

/* ---- history ---- */

static gboolean
call_in_state (gpointer data)
{
  gpointer *args = data;
  GListModel *calls = ap_phone_get_calls (args[0]);

  for (guint i = 0; i < g_list_model_get_n_items (calls); i++)
    {
      g_autoptr (ApCall) call = g_list_model_get_item (calls, i);

      if ((int) ap_call_get_state (call) == GPOINTER_TO_INT (args[1]))
        return TRUE;
    }
  return FALSE;
}

static ApCall *
wait_call (Fixture *f, ApCallState state)
{
  gpointer args[] = { f->phone, GINT_TO_POINTER (state) };
  GListModel *calls = ap_phone_get_calls (f->phone);

  g_assert_true (ap_test_run_until (call_in_state, args, CALL_TIMEOUT_MS));
  for (guint i = 0; i < g_list_model_get_n_items (calls); i++)
    {
      g_autoptr (ApCall) call = g_list_model_get_item (calls, i);

      if (ap_call_get_state (call) == state)
        return g_steal_pointer (&call);
    }
  g_assert_not_reached ();
}

static gboolean
call_ended (gpointer call)
{
  return ap_call_get_state (call) == AP_CALL_STATE_ENDED;
}

static gboolean
registered (gpointer data)
{
  return ap_account_get_state (data) == AP_REGISTRATION_STATE_REGISTERED;
}

static GPtrArray *
history_rows (Fixture *f)
{
  GPtrArray *rows = g_ptr_array_new ();

  ap_ui_test_collect_rows (gtk_stack_get_child_by_name (main_stack (f), "history"), rows);
  return rows;
}

static gboolean
history_has (gpointer data)
{
  gpointer *args = data;
  g_autoptr (GPtrArray) rows = history_rows (args[0]);

  return rows->len == GPOINTER_TO_UINT (args[1]);
}

static void
wait_history_rows (Fixture *f, guint n)
{
  gpointer args[] = { f, GUINT_TO_POINTER (n) };

  g_assert_true (ap_test_run_until (history_has, args, 5000));
}

static GStrv
row_texts (Fixture *f)
{
  g_autoptr (GPtrArray) rows = history_rows (f);
  g_autoptr (GStrvBuilder) texts = g_strv_builder_new ();

  for (guint i = 0; i < rows->len; i++)
    {
      g_autofree char *text
        = g_strdup_printf ("%s | %s", adw_preferences_row_get_title (rows->pdata[i]),
                           adw_action_row_get_subtitle (rows->pdata[i]));

      g_strv_builder_add (texts, text);
    }
  return g_strv_builder_end (texts);
}

static void
test_history (Fixture *f, gconstpointer data)
{
  g_autoptr (ApTestBus) bus = ap_test_bus_new ();
  g_autofree char *wav = NULL;
  g_autoptr (ApTestPhone) b = ap_test_phone_start_with_tone (bus, 880, &wav);
  g_autofree char *server
    = g_strdup_printf ("{'server': <'127.0.0.1:%u'>}", ap_test_kamailio_get_port (f->kamailio));
  g_autoptr (GError) error = NULL;
  g_autoptr (ApCall) missed = NULL;
  g_autoptr (ApCall) outgoing = NULL;
  g_autoptr (ApCall) called_back = NULL;
  g_autoptr (ApDbusCall) at_b = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  ApSidebar *sidebar;
  g_autoptr (GVariant) entries = NULL;
  g_auto (GStrv) before = NULL;
  g_auto (GStrv) after = NULL;
  g_autofree char *b_call = NULL;
  g_autofree char *path = NULL;
  GtkStackPage *page;
  GtkWidget *button;

  /* This window's phone is 1001, the other instance 1002. */
  g_assert_true (ap_phone_configure (f->phone, g_variant_new_parsed (server), &error));
  g_assert_true (ap_phone_register (f->phone, "sip:1001@127.0.0.1", "", "pass1001", &error));
  g_assert_no_error (error);
  g_assert_true (ap_test_run_until (registered, ap_phone_get_account (f->phone), CALL_TIMEOUT_MS));
  ap_test_phone_register (b, f->kamailio, "1002");
  wait_history_rows (f, 0);
  g_assert_true (gtk_widget_get_visible (ap_ui_test_find (
    gtk_stack_get_child_by_name (main_stack (f), "history"), ADW_TYPE_STATUS_PAGE, NULL)));

  /* 1002 calls and gives up: a missed call here. */
  ap_dbus_phone_call_dial_sync (ap_test_phone_get_proxy (b), "sip:1001@127.0.0.1",
                                g_variant_new ("a{sv}", NULL), &b_call, NULL, &error);
  g_assert_no_error (error);
  missed = wait_call (f, AP_CALL_STATE_INCOMING);
  g_free (path); /* B announces its own call too */
  path = ap_test_phone_wait_call_added (b, CALL_TIMEOUT_MS);
  g_assert_cmpstr (path, ==, b_call);
  g_clear_pointer (&path, g_free);
  at_b = ap_test_phone_get_call (b, b_call);
  ap_test_call_hangup (at_b);
  g_assert_true (ap_test_run_until (call_ended, missed, CALL_TIMEOUT_MS));
  g_clear_object (&at_b);

  /* This phone calls 1002, who answers: a call of about a second. */
  g_assert_nonnull (ap_phone_dial (f->phone, "sip:1002@127.0.0.1", NULL, &error));
  g_assert_no_error (error);
  path = ap_test_phone_wait_call_added (b, CALL_TIMEOUT_MS);
  g_assert_nonnull (path);
  at_b = ap_test_phone_get_call (b, path);
  ap_test_call_answer (at_b);
  outgoing = wait_call (f, AP_CALL_STATE_CONNECTED);
  ap_test_sleep (1200);
  g_assert_true (ap_call_hangup (outgoing, &error));
  g_assert_true (ap_test_run_until (call_ended, outgoing, CALL_TIMEOUT_MS));
  g_clear_object (&at_b);

  /* The sidebar counts the missed call until the page is looked at. */
  wait_history_rows (f, 2);
  page
    = gtk_stack_get_page (main_stack (f), gtk_stack_get_child_by_name (main_stack (f), "history"));
  sidebar = AP_SIDEBAR (ap_ui_test_find (GTK_WIDGET (f->window), AP_TYPE_SIDEBAR, NULL));
  g_assert_cmpstr (gtk_stack_page_get_title (page), ==, "History");
  g_assert_cmpuint (ap_sidebar_get_badge (sidebar, "history"), ==, 1);
  g_assert_true (gtk_stack_page_get_needs_attention (page));
  ap_ui_test_screenshot (GTK_WIDGET (f->window), "history-missed-badge");
  show_page (f, "history");
  g_assert_cmpuint (ap_sidebar_get_badge (sidebar, "history"), ==, 0);
  g_assert_false (gtk_stack_page_get_needs_attention (page));
  ap_ui_test_screenshot (GTK_WIDGET (f->window), "history-real-calls");

  /* Newest first, as GetHistory returns them. */
  entries = ap_phone_get_history (f->phone, 0);
  g_assert_cmpuint (g_variant_n_children (entries), ==, 2);
  rows = history_rows (f);
  g_assert_true (
    g_str_has_prefix (adw_preferences_row_get_title (rows->pdata[0]), "sip:1002@127.0.0.1"));
  {
    g_autoptr (GVariant) newest = g_variant_get_child_value (entries, 0);
    g_autofree char *talked = NULL;
    guint duration = 0;

    g_assert_true (g_variant_lookup (newest, "duration", "u", &duration));
    g_assert_cmpuint (duration, >=, 1);
    g_assert_cmpuint (duration, <=, 3);
    talked = g_strdup_printf ("Talked 0:%02u", duration);
    g_assert_nonnull (strstr (adw_action_row_get_subtitle (rows->pdata[0]), talked));
  }
  g_assert_false (gtk_widget_has_css_class (rows->pdata[0], "missed"));
  g_assert_true (gtk_widget_has_css_class (rows->pdata[1], "missed"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (rows->pdata[1]), "Missed"));
  g_assert_cmpstr (
    gtk_label_get_text (GTK_LABEL (ap_ui_test_find (
      gtk_stack_get_child_by_name (main_stack (f), "history"), GTK_TYPE_LABEL, "history-summary"))),
    ==, "2 calls, 1 missed");

  /* Call back, in one click, the missed caller. */
  button = ap_ui_test_find (rows->pdata[1], GTK_TYPE_BUTTON, "Call back");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_activate (button));
  g_free (path);
  path = ap_test_phone_wait_call_added (b, CALL_TIMEOUT_MS);
  g_assert_nonnull (path);
  called_back = wait_call (f, AP_CALL_STATE_RINGING_BACK);
  g_assert_true (g_str_has_prefix (ap_call_get_peer (called_back), "sip:1002@127.0.0.1"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (main_stack (f)), ==, "phone");
  g_assert_true (ap_call_hangup (called_back, &error));
  g_assert_true (ap_test_run_until (call_ended, called_back, CALL_TIMEOUT_MS));
  wait_history_rows (f, 3);
  before = row_texts (f);

  /* A restart: a new phone reads the file, a new window shows the same. */
  gtk_window_destroy (GTK_WINDOW (f->window));
  phone_stop (f);
  phone_start (f);
  window_open (f);
  show_page (f, "history");
  wait_history_rows (f, 3);
  after = row_texts (f);
  g_assert_cmpstrv (after, before);
  ap_ui_test_screenshot (GTK_WIDGET (f->window), "history-after-restart");
}

/* ---- window state and quitting ---- */

static void
test_remembers_size_and_page (Fixture *f, gconstpointer data)
{
  int width = 0, height = 0;

  show_page (f, "volume");
  gtk_window_set_default_size (GTK_WINDOW (f->window), 910, 700);
  ap_test_sleep (300);
  gtk_window_close (GTK_WINDOW (f->window));
  ap_test_sleep (300);
  g_assert_null (f->window); /* no calls: it closed without asking */

  window_open (f);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (main_stack (f)), ==, "volume");
  gtk_window_get_default_size (GTK_WINDOW (f->window), &width, &height);
  g_assert_cmpint (width, ==, 910);
  g_assert_cmpint (height, ==, 700);
}

static AdwMessageDialog *
find_dialog (void)
{
  g_autoptr (GList) windows = gtk_window_list_toplevels ();

  for (GList *l = windows; l; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

/* The dialog's own button, as a person presses it. */
static void
click (GtkWidget *dialog, const char *label)
{
  GtkWidget *button = ap_ui_test_find (dialog, GTK_TYPE_BUTTON, label);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_activate (button));
  ap_test_sleep (400);
}

static gboolean
echo_connected (gpointer call)
{
  return ap_call_get_state (call) == AP_CALL_STATE_CONNECTED;
}

static void
on_quit_requested (ApPhone *phone, guint *count)
{
  (*count)++;
}

static void
test_quit_with_calls (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  ApCall *call = ap_phone_start_echo_test (f->phone, &error); /* the phone's */
  AdwMessageDialog *dialog;
  guint quits = 0;

  g_assert_no_error (error);
  g_assert_nonnull (call);
  g_object_ref (call); /* kept past its removal from the list */
  g_assert_true (ap_test_run_until (echo_connected, call, CALL_TIMEOUT_MS));
  g_signal_connect (f->phone, "quit-requested", G_CALLBACK (on_quit_requested), &quits);

  /* Closing asks; Cancel keeps the window and the call. */
  gtk_window_close (GTK_WINDOW (f->window));
  ap_test_sleep (400);
  g_assert_nonnull (f->window);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Hang up and quit?");
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==,
                   "A call is still up. Quitting hangs it up.");
  ap_ui_test_screenshot (GTK_WIDGET (dialog), "quit-with-calls");
  click (GTK_WIDGET (dialog), "_Cancel");
  g_assert_null (find_dialog ());
  g_assert_cmpuint (quits, ==, 0);
  g_assert_cmpint (ap_call_get_state (call), ==, AP_CALL_STATE_CONNECTED);

  /* Agreeing asks the core to quit: it hangs up (the same path as Quit()). */
  gtk_window_close (GTK_WINDOW (f->window));
  ap_test_sleep (400);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  click (GTK_WIDGET (dialog), "_Hang Up and Quit");
  ap_test_sleep (200);
  g_assert_cmpuint (quits, ==, 1);
  g_signal_handlers_disconnect_by_func (f->phone, on_quit_requested, &quits);
  g_assert_true (ap_call_hangup (call, &error));
  g_assert_true (ap_test_run_until (call_ended, call, CALL_TIMEOUT_MS));
  g_object_unref (call);
}

int
main (int argc, char **argv)
{
  g_autofree char *home = g_dir_make_tmp ("agentphone-panels-home-XXXXXX", NULL);
  g_autofree char *config = g_build_filename (home, "config", NULL);
  int result;

  /* Before anything asks GLib for them: the window state goes here. */
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("AGENTPHONE_AUDIO_INPUT", "audiotestsrc is-live=true freq=440 volume=0.5", TRUE);
  g_setenv ("AGENTPHONE_AUDIO_OUTPUT", "fakesink sync=true", TRUE);
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  /* The build tree's translations, so LANGUAGE=zh_CN shows Chinese. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("AP_LOCALE_DIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  app = GTK_APPLICATION (
    adw_application_new ("io.github.agentphone.AgentphonePanels", G_APPLICATION_NON_UNIQUE));
  /* The window's style sheet, as the real application's id loads it. */
  g_application_set_resource_base_path (G_APPLICATION (app), "/io/github/agentphone/Agentphone");
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));

  g_test_add ("/panels/screenshots", Fixture, NULL, fixture_setup, test_screenshots,
              fixture_teardown);
  g_test_add ("/panels/devices-hotplug", Fixture, NULL, devices_setup, test_devices_hotplug,
              devices_teardown);
  g_test_add ("/panels/account-validation", Fixture, NULL, fixture_setup, test_account_validation,
              fixture_teardown);
  g_test_add ("/panels/history", Fixture, NULL, fixture_setup, test_history, fixture_teardown);
  g_test_add ("/panels/remembers-size-and-page", Fixture, NULL, fixture_setup,
              test_remembers_size_and_page, fixture_teardown);
  g_test_add ("/panels/quit-with-calls", Fixture, NULL, fixture_setup, test_quit_with_calls,
              fixture_teardown);
  result = g_test_run ();
  g_object_unref (app);
  return result;
}
