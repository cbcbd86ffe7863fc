/* The agent's desk under Xvfb: the real window, registered at a real
 * Kamailio, takes a call from a second (headless) agentphone and is driven
 * through its own widgets, its keyboard shortcuts and its notification.
 * The core (and the other instance, over DBus) confirms every step; the tone
 * the window's phone sends is measured at the far end. Screenshots of each
 * state are saved under AP_ARTEFACT_DIR. */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "ap-call-row.h"
#include "ap-dial-pad.h"
#include "ap-error.h"
#include "ap-media-engine.h"
#include "ap-memory-secret-store.h"
#include "ap-phone.h"
#include "ap-sip-engine.h"
#include "ap-sip-registration.h"
#include "ap-test-calls.h"
#include "ap-test-harness.h"
#include "ap-window.h"
#include "ap-ui-test.h"

static GtkApplication *app; /* one per process: GApplication registers once */
static ApTestBus *bus;      /* the session bus of this process and of the far end */

static ApFakeNotifications notifications;

typedef struct {
  ApTestKamailio *kamailio;
  ApSettings *settings;
  ApSipEngine *engine;
  ApRegistrationBackend *registration;
  ApPhone *phone;
  ApMediaEngine *media;
  ApWindow *window;
  char *dir;
  ApTestPhone *far;    /* the caller, user 1002 */
  char *far_wav;       /* what the caller hears */
  GPtrArray *far_dtmf; /* digits the caller received */
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
registered (gpointer data)
{
  Fixture *f = data;

  return ap_account_get_state (ap_phone_get_account (f->phone)) == AP_REGISTRATION_STATE_REGISTERED;
}

static void
on_far_dtmf (ApDbusCall *call, const char *digit, Fixture *f)
{
  g_ptr_array_add (f->far_dtmf, g_strdup (digit));
}

/* The phone as ApApplication wires it, in this process so the window can
 * show it; registered as 1001. */
static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL;
  g_autofree char *history = NULL;
  g_autofree char *server = NULL;
  g_autoptr (ApSecretStore) secrets = ap_memory_secret_store_new ();
  g_autoptr (ApHistory) store = NULL;
  g_autoptr (GError) error = NULL;

  g_setenv ("AGENTPHONE_AUDIO_INPUT",
            "audiotestsrc is-live=true freq=440 volume=0.5 samplesperbuffer=480", TRUE);
  g_setenv ("AGENTPHONE_AUDIO_OUTPUT", "fakesink sync=true", TRUE);
  f->kamailio = ap_test_kamailio_new (FALSE);
  ap_test_kamailio_start (f->kamailio);
  f->dir = ap_test_make_dir ("desk");
  path = g_build_filename (f->dir, "settings.json", NULL);
  f->settings = ap_settings_new (path);
  g_assert_true (ap_settings_merge (f->settings,
                                    g_variant_new_parsed ("{'local-address': <'127.0.0.1'>, "
                                                          "'noise-suppression': <@u 0>, "
                                                          "'auto-gain': <false>}"),
                                    &error));
  g_assert_no_error (error);
  f->engine = ap_sip_engine_new (f->settings);
  f->registration = ap_sip_registration_new (f->engine);
  f->phone = ap_phone_new (f->settings, secrets);
  history = g_build_filename (f->dir, "history.json", NULL);
  store = ap_history_new (history, 100);
  ap_phone_set_history (f->phone, store);
  ap_account_set_backend (ap_phone_get_account (f->phone), f->registration);
  f->media = ap_media_engine_new ();
  ap_media_engine_set_settings (f->media, f->settings);
  ap_sip_engine_set_media_factory (f->engine, AP_MEDIA_FACTORY (f->media));
  ap_phone_set_media_factory (f->phone, AP_MEDIA_FACTORY (f->media));
  ap_sip_engine_set_account (f->engine, ap_phone_get_account (f->phone));
  ap_phone_set_signaling (f->phone, AP_SIGNALING (f->engine));
  g_assert_true (ap_sip_engine_start (f->engine, &error));
  g_assert_true (ap_test_run_until (engine_bound, f->engine, 5000));
  ap_phone_set_listen_port (f->phone, ap_sip_engine_get_port (f->engine));

  f->window = ap_window_new (app, f->phone);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (ap_test_run_until (window_mapped, f->window, 5000));

  server
    = g_strdup_printf ("{'server': <'127.0.0.1:%u'>}", ap_test_kamailio_get_port (f->kamailio));
  g_assert_true (ap_phone_configure (f->phone, g_variant_new_parsed (server), &error));
  g_assert_true (ap_phone_register (f->phone, "sip:1001@127.0.0.1", "", "pass1001", &error));
  g_assert_no_error (error);
  g_assert_true (ap_test_run_until (registered, f, 10000));

  f->far = ap_test_phone_start_with_tone (bus, 880, &f->far_wav);
  ap_test_phone_register (f->far, f->kamailio, "1002");
  f->far_dtmf = g_ptr_array_new_with_free_func (g_free);
  ap_test_sleep (300);
}

static void
engine_shut_down (GObject *source, GAsyncResult *result, gpointer data)
{
  *(gboolean *) data = ap_sip_engine_shutdown_finish (AP_SIP_ENGINE (source), result, NULL);
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  gboolean done = FALSE;

  ap_test_phone_free (f->far);
  gtk_window_destroy (GTK_WINDOW (f->window));
  ap_sip_engine_shutdown_async (f->engine, 3000, engine_shut_down, &done);
  g_assert_true (ap_test_run_until (flag_set, &done, 5000));
  g_clear_object (&f->phone);
  g_clear_object (&f->media);
  g_clear_object (&f->registration);
  g_clear_object (&f->engine);
  g_clear_object (&f->settings);
  ap_test_kamailio_free (f->kamailio);
  g_ptr_array_unref (f->far_dtmf);
  g_free (f->far_wav);
  g_free (f->dir);
  g_unsetenv ("AGENTPHONE_AUDIO_INPUT");
  g_unsetenv ("AGENTPHONE_AUDIO_OUTPUT");
}

static ApCall *
window_call (Fixture *f)
{
  GListModel *calls = ap_phone_get_calls (f->phone);
  g_autoptr (ApCall) call = NULL;

  if (g_list_model_get_n_items (calls) == 0)
    return NULL;
  call = g_list_model_get_item (calls, 0);
  return call; /* the model keeps it alive */
}

typedef struct {
  Fixture *f;
  ApCallState state;
} StateWait;

static gboolean
call_in_state (gpointer data)
{
  StateWait *wait = data;
  ApCall *call = window_call (wait->f);

  return call && ap_call_get_state (call) == wait->state;
}

static void
wait_window_call (Fixture *f, ApCallState state)
{
  StateWait wait = { f, state };

  g_assert_true (ap_test_run_until (call_in_state, &wait, 10000));
}

static gboolean
no_window_calls (gpointer data)
{
  return g_list_model_get_n_items (ap_phone_get_calls (((Fixture *) data)->phone)) == 0;
}

/* The far end dials 1001 with the caller data a CRM would send. */
static ApDbusCall *
far_dials (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  ApDbusCall *call;

  ap_dbus_phone_call_dial_sync (
    ap_test_phone_get_proxy (f->far), "1001",
    g_variant_new_parsed ("{'headers': <{'X-Business-Id': '42', 'Subject': 'Refund'}>}"), &path,
    NULL, &error);
  g_assert_no_error (error);
  call = ap_test_phone_get_call (f->far, path);
  g_signal_connect (call, "dtmf-received", G_CALLBACK (on_far_dtmf), f);
  wait_window_call (f, AP_CALL_STATE_INCOMING);
  return call;
}

static GtkWidget *
call_row (Fixture *f)
{
  g_autofree char *name = g_strdup_printf ("call-%u", ap_call_get_id (window_call (f)));
  GtkWidget *row = ap_ui_find_named (GTK_WIDGET (f->window), name);

  g_assert_nonnull (row);
  return row;
}

/* A click as GTK does it; buttons act once their activation has shown. */
static void
click (GtkWidget *root, const char *name)
{
  GtkWidget *button = ap_ui_find_named (root, name);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_activate (button));
}

static gboolean
quality_shown (gpointer data)
{
  return gtk_widget_get_visible (data);
}

static gboolean
far_not_held (gpointer data)
{
  return !ap_dbus_call_get_remote_held (data);
}

static gboolean
far_got_digit (gpointer data)
{
  return ((Fixture *) data)->far_dtmf->len > 0;
}

static gboolean
name_owned (gpointer data)
{
  return ap_test_bus_has_owner (bus, data);
}

static void
test_call_cycle (Fixture *f, gconstpointer data)
{
  g_autoptr (ApDbusCall) far = NULL;
  GtkWidget *status = ap_ui_find_named (GTK_WIDGET (f->window), "registration-label");
  GtkWidget *row, *label, *quality;
  ApCall *call;

  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (status)), ==, "Registered");
  g_assert_true (gtk_widget_get_visible (ap_ui_find_named (GTK_WIDGET (f->window), "no-calls")));
  ap_ui_save_screenshot (GTK_WIDGET (f->window), "desk-idle");

  far = far_dials (f);
  call = window_call (f);
  row = call_row (f);
  ap_test_sleep (200);
  label = ap_ui_find_named (row, "caller-data");
  g_assert_true (gtk_widget_get_visible (label));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), "Subject: Refund"));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), "X-Business-Id: 42"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (ap_ui_find_named (row, "state"))), ==,
                   "Incoming call");
  g_assert_false (gtk_widget_get_visible (ap_ui_find_named (row, "hold")));
  ap_ui_save_screenshot (GTK_WIDGET (f->window), "desk-ringing");

  click (row, "answer");
  wait_window_call (f, AP_CALL_STATE_CONNECTED);
  g_assert_true (ap_test_call_wait_state (far, "connected", 5000));
  g_assert_false (gtk_widget_get_visible (ap_ui_find_named (row, "answer")));
  quality = ap_ui_find_named (row, "quality");
  /* Stats come at least every 2 s: the indicator follows. */
  g_assert_true (ap_test_run_until (quality_shown, quality, 8000));
  g_assert_true (gtk_widget_has_css_class (quality, "success"));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (quality), "jitter"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (ap_ui_find_named (row, "timer"))), !=, "");
  ap_ui_assert_buttons_named (row);
  ap_ui_save_screenshot (GTK_WIDGET (f->window), "desk-connected");

  /* A dial-pad key while connected is a tone to the caller, not a typed digit. */
  click (GTK_WIDGET (f->window), "7");
  g_assert_true (ap_test_run_until (far_got_digit, f, 5000));
  g_assert_cmpstr (g_ptr_array_index (f->far_dtmf, 0), ==, "7");
  g_assert_cmpstr (
    gtk_editable_get_text (GTK_EDITABLE (ap_ui_find_named (GTK_WIDGET (f->window), "number"))), ==,
    "");

  click (row, "hold");
  wait_window_call (f, AP_CALL_STATE_HELD);
  g_assert_true (ap_call_get_held (call));
  g_assert_true (ap_test_run_until ((ApTestPredicate) ap_dbus_call_get_remote_held, far, 5000));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (ap_ui_find_named (row, "state"))), ==, "On hold");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (ap_ui_find_named (row, "hold")), ==,
                   "Resume (Ctrl+Shift+H)");
  ap_ui_save_screenshot (GTK_WIDGET (f->window), "desk-held");

  click (row, "hold");
  wait_window_call (f, AP_CALL_STATE_CONNECTED);
  g_assert_false (ap_call_get_held (call));
  g_assert_true (ap_test_run_until (far_not_held, far, 5000));

  click (row, "mute");
  ap_test_sleep (300);
  g_assert_true (ap_call_get_muted (call));
  g_assert_true (gtk_widget_has_css_class (ap_ui_find_named (row, "mute"), "error"));
  click (row, "mute");
  ap_test_sleep (300);
  g_assert_false (ap_call_get_muted (call));

  click (row, "hangup");
  g_assert_true (ap_test_call_wait_state (far, "ended", 5000));
  g_assert_true (ap_test_run_until (no_window_calls, f, 5000));
  g_assert_true (gtk_widget_get_visible (ap_ui_find_named (GTK_WIDGET (f->window), "no-calls")));
  /* What the caller heard: the window phone's 440 Hz, before the hold. */
  ap_test_sleep (500);
  ap_test_assert_tone (f->far_wav, 440, 0.5, 1.5);
}

static gboolean
widget_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

/* Blind transfer from the call row: the window's phone (1001) answers the
 * far end (1002) and sends it on to a third instance (1003) through the
 * transfer box; 1002 calls 1003 itself and the window's call ends as
 * transferred once 1003 answered. */
static void
test_transfer (Fixture *f, gconstpointer data)
{
  /* Its own bus: one instance per session bus. Declared first, freed last. */
  g_autoptr (ApTestBus) target_bus = ap_test_bus_new ();
  g_autoptr (ApTestPhone) target = NULL;
  g_autoptr (ApDbusCall) far = NULL;
  g_autoptr (ApDbusCall) far_new = NULL;
  g_autoptr (ApDbusCall) target_call = NULL;
  g_autofree char *target_wav = NULL;
  g_autofree char *far_path = NULL;
  g_autofree char *target_path = NULL;
  g_autoptr (ApCall) call = NULL;
  GtkWidget *row, *entry;

  target = ap_test_phone_start_with_tone (target_bus, 660, &target_wav);
  ap_test_phone_register (target, f->kamailio, "1003");
  far = far_dials (f);
  /* The far end's first CallAdded is that call: the next is the new one. */
  g_free (ap_test_phone_wait_call_added (f->far, 5000));
  call = g_object_ref (window_call (f));
  row = call_row (f);
  click (row, "answer");
  wait_window_call (f, AP_CALL_STATE_CONNECTED);
  g_assert_true (ap_test_call_wait_state (far, "connected", 5000));

  click (row, "transfer");
  entry = ap_ui_find_named (row, "transfer-target");
  g_assert_true (ap_test_run_until (widget_mapped, entry, 2000));
  gtk_editable_set_text (GTK_EDITABLE (entry), "1003");
  ap_ui_save_screenshot (gtk_widget_get_ancestor (entry, GTK_TYPE_POPOVER), "desk-transfer-box");
  click (row, "blind-transfer");

  /* The far end places the new call; it rings at 1003, who answers. */
  far_path = ap_test_phone_wait_call_added (f->far, 10000);
  g_assert_nonnull (far_path);
  far_new = ap_test_phone_get_call (f->far, far_path);
  g_assert_cmpstr (ap_dbus_call_get_peer (far_new), ==, "sip:1003@127.0.0.1");
  target_path = ap_test_phone_wait_call_added (target, 10000);
  g_assert_nonnull (target_path);
  target_call = ap_test_phone_get_call (target, target_path);
  g_assert_cmpstr (ap_dbus_call_get_peer_number (target_call), ==, "1002");
  ap_test_call_answer (target_call);

  g_assert_true (ap_test_run_until (no_window_calls, f, 10000));
  g_assert_cmpint (ap_call_get_state (call), ==, AP_CALL_STATE_ENDED);
  g_assert_cmpstr (ap_call_get_end_reason (call), ==, "Transferred");
  g_assert_true (ap_test_call_wait_state (far, "ended", 5000));
  g_assert_true (ap_test_call_wait_state (far_new, "connected", 5000));
  g_assert_true (ap_test_call_wait_media_active (target_call, 5000));
  ap_test_call_hangup (target_call);
  g_assert_true (ap_test_call_wait_state (far_new, "ended", 5000));
}

static gboolean
focus_in_entry (gpointer data)
{
  Fixture *f = data;
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->window));
  GtkWidget *entry = ap_ui_find_named (GTK_WIDGET (f->window), "number");

  return focus && (focus == entry || gtk_widget_is_ancestor (focus, entry));
}

/* The same cycle with the keyboard only: answer, a tone, mute, hold, hang up. */
static void
test_keyboard (Fixture *f, gconstpointer data)
{
  g_autoptr (ApDbusCall) far = NULL;
  g_autoptr (ApCall) call = NULL;
  GtkWidget *target;

  ap_ui_press (GTK_WIDGET (f->window), "<Control>l");
  g_assert_true (ap_test_run_until (focus_in_entry, f, 2000));
  far = far_dials (f);
  call = g_object_ref (window_call (f));

  ap_ui_press (GTK_WIDGET (f->window), "<Control>Return");
  wait_window_call (f, AP_CALL_STATE_CONNECTED);
  g_assert_true (ap_test_call_wait_state (far, "connected", 5000));
  ap_test_sleep (500);

  ap_ui_press (GTK_WIDGET (f->window), "5");
  g_assert_true (ap_test_run_until (far_got_digit, f, 5000));
  g_assert_cmpstr (g_ptr_array_index (f->far_dtmf, 0), ==, "5");

  /* Ctrl+T opens the transfer box, focus in its entry; a bad target is
   * refused with a message and the call stays. */
  ap_ui_press (GTK_WIDGET (f->window), "<Control>t");
  target = ap_ui_find_named (GTK_WIDGET (f->window), "transfer-target");
  g_assert_true (ap_test_run_until (widget_mapped, target, 2000));
  gtk_editable_set_text (GTK_EDITABLE (target), "sip:no host");
  g_signal_emit_by_name (target, "activate");
  ap_test_sleep (300);
  g_assert_cmpint (ap_call_get_state (call), ==, AP_CALL_STATE_CONNECTED);
  g_assert_true (gtk_widget_get_mapped (target));
  gtk_popover_popdown (GTK_POPOVER (gtk_widget_get_ancestor (target, GTK_TYPE_POPOVER)));

  ap_ui_press (GTK_WIDGET (f->window), "<Control>m");
  ap_test_sleep (200);
  g_assert_true (ap_call_get_muted (call));
  ap_ui_press (GTK_WIDGET (f->window), "<Control>m");
  ap_test_sleep (200);
  g_assert_false (ap_call_get_muted (call));

  ap_ui_press (GTK_WIDGET (f->window), "<Control><Shift>h");
  wait_window_call (f, AP_CALL_STATE_HELD);
  g_assert_true (ap_test_run_until ((ApTestPredicate) ap_dbus_call_get_remote_held, far, 5000));
  ap_ui_press (GTK_WIDGET (f->window), "<Control><Shift>h");
  wait_window_call (f, AP_CALL_STATE_CONNECTED);

  ap_ui_press (GTK_WIDGET (f->window), "<Control>h");
  g_assert_true (ap_test_call_wait_state (far, "ended", 5000));
  g_assert_true (ap_test_run_until (no_window_calls, f, 5000));

  /* No call: the keys say so instead of failing silently. */
  ap_ui_press (GTK_WIDGET (f->window), "<Control>Return");
  ap_ui_press (GTK_WIDGET (f->window), "<Control>h");
  g_assert_cmpint (ap_call_get_end_code (call), ==, 200);

  /* Idle, digits type the number; Ctrl+? opens the shortcuts window. */
  ap_ui_press (GTK_WIDGET (f->window), "1");
  ap_ui_press (GTK_WIDGET (f->window), "0");
  g_assert_cmpstr (
    gtk_editable_get_text (GTK_EDITABLE (ap_ui_find_named (GTK_WIDGET (f->window), "number"))), ==,
    "10");
  ap_ui_press (GTK_WIDGET (f->window), "<Control>question");
  ap_test_sleep (300);
  g_assert_true (gtk_widget_get_visible (
    GTK_WIDGET (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (f->window)))));
  ap_ui_save_screenshot (
    GTK_WIDGET (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (f->window))),
    "desk-shortcuts");
  gtk_widget_set_visible (
    GTK_WIDGET (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (f->window))),
    FALSE);
}

static gboolean
notified (gpointer data)
{
  return notifications.last_summary != NULL;
}

static gboolean
window_visible (gpointer data)
{
  return gtk_widget_get_visible (data);
}

/* The window is away (hidden behind the CRM): the call shows as a desktop
 * notification, whose Answer button answers and brings the window back. */
static void
test_notification (Fixture *f, gconstpointer data)
{
  g_autoptr (ApDbusCall) far = NULL;
  guint closed;

  gtk_widget_set_visible (GTK_WIDGET (f->window), FALSE);
  g_clear_pointer (&notifications.last_summary, g_free);
  far = far_dials (f);
  g_assert_true (ap_test_run_until (notified, NULL, 5000));
  g_assert_cmpstr (notifications.last_summary, ==, "Incoming call");
  g_assert_nonnull (strstr (notifications.last_body, "1002"));
  g_assert_nonnull (strstr (notifications.last_body, "Refund"));
  g_assert_cmpuint (ap_incoming_notifier_get_shown (ap_window_get_notifier (f->window)), ==, 1);
  closed = notifications.closed;

  ap_fake_notifications_press (&notifications, "Answer");
  wait_window_call (f, AP_CALL_STATE_CONNECTED);
  g_assert_true (ap_test_call_wait_state (far, "connected", 5000));
  g_assert_true (ap_test_run_until (window_visible, f->window, 5000));
  g_assert_cmpuint (ap_incoming_notifier_get_shown (ap_window_get_notifier (f->window)), ==, 0);
  (void) closed;

  ap_test_call_hangup (far);
  g_assert_true (ap_test_run_until (no_window_calls, f, 5000));

  /* Reject from the notification: the caller hears busy (486). */
  gtk_widget_set_visible (GTK_WIDGET (f->window), FALSE);
  g_clear_pointer (&notifications.last_summary, g_free);
  g_clear_object (&far);
  far = far_dials (f);
  g_assert_true (ap_test_run_until (notified, NULL, 5000));
  ap_fake_notifications_press (&notifications, "Reject");
  g_assert_true (ap_test_call_wait_state (far, "ended", 5000));
  g_assert_cmpuint (ap_dbus_call_get_end_code (far), ==, 486);
  g_assert_true (ap_test_run_until (no_window_calls, f, 5000));
  gtk_window_present (GTK_WINDOW (f->window));
}

static gboolean
label_is (GtkWidget *label, const char *text)
{
  return g_strcmp0 (gtk_label_get_text (GTK_LABEL (label)), text) == 0;
}

static gboolean
countdown_moved (gpointer data)
{
  return label_is (data, "Wrap-up 0:29");
}

static gboolean
registration_failed (gpointer data)
{
  return label_is (data, "Failed: 403");
}

/* The header: the agent-state menu calls SetAgentState's core function and
 * shows the wrap-up countdown; a refused registration shows its code and,
 * under the title, the reason. */
static void
test_header (Fixture *f, gconstpointer data)
{
  ApAgent *agent = ap_phone_get_agent (f->phone);
  GtkWidget *label = ap_ui_find_named (GTK_WIDGET (f->window), "agent-state-label");
  GtkWidget *status = ap_ui_find_named (GTK_WIDGET (f->window), "registration-label");
  g_autoptr (GError) error = NULL;
  AdwWindowTitle *title;

  g_assert_true (label_is (label, "Available"));
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.agent-state", "s", "busy");
  g_assert_cmpint (ap_agent_get_state (agent), ==, AP_AGENT_STATE_BUSY);
  g_assert_true (label_is (label, "Busy"));
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.wrap-up", "u", 30);
  g_assert_cmpint (ap_agent_get_state (agent), ==, AP_AGENT_STATE_WRAP_UP);
  g_assert_true (label_is (label, "Wrap-up 0:30"));
  g_assert_true (ap_test_run_until (countdown_moved, label, 3000));
  ap_ui_save_screenshot (GTK_WIDGET (f->window), "desk-wrap-up");
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.agent-state", "s", "available");
  g_assert_cmpint (ap_agent_get_state (agent), ==, AP_AGENT_STATE_AVAILABLE);
  g_assert_true (label_is (label, "Available"));

  g_assert_true (ap_phone_register (f->phone, "sip:1003@127.0.0.1", "", "wrong", &error));
  g_assert_no_error (error);
  g_assert_true (ap_test_run_until (registration_failed, status, 10000));
  title = ADW_WINDOW_TITLE (ap_ui_find_named (GTK_WIDGET (f->window), "title"));
  g_assert_nonnull (strstr (adw_window_title_get_subtitle (title), "403"));
  g_assert_true (gtk_widget_has_css_class (gtk_widget_get_prev_sibling (status), "error"));
  ap_ui_save_screenshot (GTK_WIDGET (f->window), "desk-registration-failed");
}

/* Run with LANGUAGE=zh_CN: the phone page ringing, in Chinese. */
static void
test_chinese (Fixture *f, gconstpointer data)
{
  g_autoptr (ApDbusCall) far = NULL;

  g_assert_cmpstr (gtk_label_get_text (
                     GTK_LABEL (ap_ui_find_named (GTK_WIDGET (f->window), "registration-label"))),
                   ==, _ ("Registered"));
  g_assert_cmpstr (_ ("Registered"), !=, "Registered");
  ap_ui_save_screenshot (GTK_WIDGET (f->window), "desk-idle-zh_CN");
  far = far_dials (f);
  ap_test_sleep (300);
  ap_ui_save_screenshot (GTK_WIDGET (f->window), "desk-ringing-zh_CN");
  click (call_row (f), "answer");
  wait_window_call (f, AP_CALL_STATE_CONNECTED);
  g_assert_true (
    ap_test_run_until (quality_shown, ap_ui_find_named (call_row (f), "quality"), 8000));
  ap_ui_save_screenshot (GTK_WIDGET (f->window), "desk-connected-zh_CN");
  ap_test_call_hangup (far);
  g_assert_true (ap_test_run_until (no_window_calls, f, 5000));
}

/* What agents paste: numbers with separators, tel: and sip: URIs. */
static void
test_normalize (void)
{
  static const char *const cases[][2] = {
    { " +86 10 1234-5678 ", "+861012345678" },
    { "(555) 010.9999", "5550109999" },
    { "tel:+1-555-010-9999", "tel:+15550109999" },
    { "tel:+1-555;phone-context=x-y", "tel:+1555;phone-context=x-y" },
    { " sip:bob@example.com ", "sip:bob@example.com" },
    { "SIPS:alice@example.com:5061", "SIPS:alice@example.com:5061" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = ap_dial_pad_normalize (cases[i][0]);

      g_assert_cmpstr (out, ==, cases[i][1]);
    }
}

/* Bad input in the number entry: a message a person can act on, no call;
 * redial offers the last outgoing call of the history. */
static void
test_dial_errors (void)
{
  g_autofree char *dir = ap_test_make_dir ("desk-dial");
  g_autofree char *path = g_build_filename (dir, "settings.json", NULL);
  g_autofree char *history_path = g_build_filename (dir, "history.json", NULL);
  g_autoptr (ApSettings) settings = ap_settings_new (path);
  g_autoptr (ApSecretStore) secrets = ap_memory_secret_store_new ();
  g_autoptr (ApPhone) phone = ap_phone_new (settings, secrets);
  g_autoptr (ApHistory) history = ap_history_new (history_path, 10);
  ApHistoryEntry entry = { .id = "1",
                           .direction = "outgoing",
                           .peer = "sip:1005@example.com",
                           .peer_name = "",
                           .end_reason = "",
                           .recording = "" };
  ApDialPad *pad = g_object_ref_sink (g_object_new (AP_TYPE_DIAL_PAD, NULL));
  GtkWidget *entry_widget = ap_ui_find_named (GTK_WIDGET (pad), "number");
  g_autoptr (GError) error = NULL;

  ap_history_append (history, &entry);
  ap_phone_set_history (phone, history);
  ap_dial_pad_set_phone (pad, phone);
  g_assert_cmpstr (ap_dial_pad_get_redial (pad), ==, "sip:1005@example.com");
  g_assert_true (gtk_widget_is_sensitive (ap_ui_find_named (GTK_WIDGET (pad), "redial")));
  g_assert_false (gtk_widget_is_sensitive (ap_ui_find_named (GTK_WIDGET (pad), "call")));

  g_assert_null (ap_dial_pad_dial (pad, &error));
  g_assert_nonnull (strstr (error->message, "Type a number"));
  g_clear_error (&error);

  gtk_editable_set_text (GTK_EDITABLE (entry_widget), "555<0100>");
  g_assert_true (gtk_widget_is_sensitive (ap_ui_find_named (GTK_WIDGET (pad), "call")));
  g_assert_null (ap_dial_pad_dial (pad, &error));
  g_assert_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "is not a number"));
  g_clear_error (&error);
  gtk_editable_set_text (GTK_EDITABLE (entry_widget), "sip:no host here");
  g_assert_null (ap_dial_pad_dial (pad, &error));
  g_assert_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "not a valid SIP address"));
  g_clear_error (&error);
  /* A number with no account to complete it: says to register first. */
  gtk_editable_set_text (GTK_EDITABLE (entry_widget), "+1 555 0100");
  g_assert_null (ap_dial_pad_dial (pad, &error));
  g_assert_error (error, AP_ERROR, AP_ERROR_NOT_REGISTERED);
  g_assert_cmpuint (g_list_model_get_n_items (ap_phone_get_calls (phone)), ==, 0);
  /* What failed stays typed, to be corrected. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry_widget)), ==, "+1 555 0100");
  g_object_unref (pad);
}

int
main (int argc, char **argv)
{
  int result;

  /* Translations from the build tree, so a Chinese run needs no install. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("AP_LOCALE_DIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  /* This process's session bus is private: the notification server on it is ours. */
  bus = ap_test_bus_new ();
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", ap_test_bus_get_address (bus), TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  ap_fake_notifications_start (&notifications, ap_test_bus_get_address (bus));
  g_assert_true (ap_test_run_until (name_owned, "org.freedesktop.Notifications", 5000));
  app = GTK_APPLICATION (
    adw_application_new ("io.github.agentphone.AgentphoneTest", G_APPLICATION_NON_UNIQUE));
  /* The real app's resources: its style sheet loads as in the product. */
  g_application_set_resource_base_path (G_APPLICATION (app), "/io/github/agentphone/Agentphone");
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  g_application_hold (G_APPLICATION (app));

  if (g_strcmp0 (g_getenv ("LANGUAGE"), "zh_CN") == 0)
    g_test_add ("/desk/chinese", Fixture, NULL, fixture_setup, test_chinese, fixture_teardown);
  else
    {
      g_test_add_func ("/desk/normalize", test_normalize);
      g_test_add_func ("/desk/dial-errors", test_dial_errors);
      g_test_add ("/desk/call-cycle", Fixture, NULL, fixture_setup, test_call_cycle,
                  fixture_teardown);
      g_test_add ("/desk/keyboard", Fixture, NULL, fixture_setup, test_keyboard, fixture_teardown);
      g_test_add ("/desk/transfer", Fixture, NULL, fixture_setup, test_transfer, fixture_teardown);
      g_test_add ("/desk/header", Fixture, NULL, fixture_setup, test_header, fixture_teardown);
      g_test_add ("/desk/notification", Fixture, NULL, fixture_setup, test_notification,
                  fixture_teardown);
    }
  result = g_test_run ();
  g_application_release (G_APPLICATION (app));
  g_object_unref (app);
  return result;
}
