/* The screen-share page under Xvfb, driven through its widgets over a real
 * phone and media engine (no SIP: no call is needed to check what the page
 * does without one). It lists the Xvfb screen and a window the test opens;
 * Start without a video call shows the core's error; the switch and the
 * source radio buttons change the core's state, and the core's changes
 * show on the page. */
#include <X11/Xlib.h>
#include <adwaita.h>
#include <locale.h>
#include <string.h>

#include "config.h"

#include "ap-media-engine.h"
#include "ap-memory-secret-store.h"
#include "ap-phone.h"
#include "ap-screen-share-panel.h"
#include "ap-screen-share.h"
#include "ap-test-harness.h"
#include "ap-ui-test.h"

#define TITLE "Panel share test window"

static gboolean
mapped (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0;
}

static gboolean
row_listed (gpointer data)
{
  return ap_ui_test_find (data, ADW_TYPE_ACTION_ROW, TITLE) != NULL;
}

static void
test_panel (void)
{
  g_autofree char *dir = g_dir_make_tmp ("agentphone-share-panel-XXXXXX", NULL);
  g_autofree char *settings_path = g_build_filename (dir, "settings.json", NULL);
  g_autoptr (ApSettings) settings = ap_settings_new (settings_path);
  g_autoptr (ApSecretStore) secrets = ap_memory_secret_store_new ();
  g_autoptr (ApMediaEngine) media = ap_media_engine_new ();
  g_autoptr (ApPhone) phone = ap_phone_new (settings, secrets);
  ApScreenShare *share;
  Display *display = XOpenDisplay (NULL);
  Window window;
  GtkWidget *toplevel, *panel, *row, *check, *button, *error_label, *share_switch;

  g_assert_nonnull (display);
  window = XCreateSimpleWindow (display, DefaultRootWindow (display), 700, 500, 200, 100, 0, 0,
                                0x3060c0);
  XStoreName (display, window, TITLE);
  XMapWindow (display, window);
  XSync (display, False);

  ap_phone_set_media_factory (phone, AP_MEDIA_FACTORY (media));
  share = ap_phone_get_screen_share (phone);
  panel = ap_screen_share_panel_new (phone);
  toplevel = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (toplevel), 720, 640);
  gtk_window_set_child (GTK_WINDOW (toplevel), panel);
  gtk_window_present (GTK_WINDOW (toplevel));
  g_assert_true (ap_test_run_until (mapped, panel, 5000));

  /* Listed when the page shows: the screen, and the window by title. */
  g_assert_nonnull (ap_ui_test_find (panel, ADW_TYPE_ACTION_ROW, "Screen 1 ("));
  if (!row_listed (panel))
    {
      /* Opened after the page: Refresh finds it. */
      button = ap_ui_test_find (panel, GTK_TYPE_BUTTON, "Look for screens and windows again");
      g_assert_nonnull (button);
      g_signal_emit_by_name (button, "clicked");
    }
  g_assert_true (ap_test_run_until (row_listed, panel, 5000));

  /* Start with no call: the core's error, and nothing on. */
  button = ap_ui_test_find (panel, GTK_TYPE_BUTTON, "_Start");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  error_label = ap_ui_test_find (panel, GTK_TYPE_LABEL, "error");
  g_assert_nonnull (error_label);
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error_label)), "video call"));
  g_assert_false (ap_screen_share_get_enabled (share));

  /* Choosing the window's row chooses it in the core. */
  row = ap_ui_test_find (panel, ADW_TYPE_ACTION_ROW, TITLE);
  check = ap_ui_test_find (row, GTK_TYPE_CHECK_BUTTON, NULL);
  g_assert_nonnull (check);
  gtk_widget_activate (row);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  g_assert_cmpuint (ap_screen_share_get_source (share), ==, window);

  /* The switch is the core's switch, both ways. */
  share_switch = ap_ui_test_find (panel, GTK_TYPE_SWITCH, NULL);
  g_assert_nonnull (share_switch);
  gtk_switch_set_active (GTK_SWITCH (share_switch), TRUE);
  g_assert_true (ap_screen_share_get_enabled (share));
  g_assert_false (ap_screen_share_get_active (share));
  g_assert_nonnull (
    ap_ui_test_find (panel, ADW_TYPE_ACTION_ROW, "Share")); /* subtitle: waits for a call */
  ap_ui_test_screenshot (toplevel, "panel-screen-share-armed");
  ap_screen_share_stop (share);
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (share_switch)));

  gtk_window_destroy (GTK_WINDOW (toplevel));
  XDestroyWindow (display, window);
  XCloseDisplay (display);
}

int
main (int argc, char **argv)
{
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  setlocale (LC_ALL, "");
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/screen-share-panel/drive", test_panel);
  return g_test_run ();
}
