/* The history page with a full history (10 000 calls, the cap) under Xvfb:
 * only a screenful of rows exists, a new call changes the list by one row
 * at the top and the oldest at the bottom (not a rebuild), and scrolling to
 * the end shows the oldest call kept. */
#include <adwaita.h>
#include <locale.h>
#include <string.h>

#include "config.h"

#include "ap-history-panel.h"
#include "ap-memory-secret-store.h"
#include "ap-phone.h"
#include "ap-test-harness.h"
#include "ap-ui-test.h"

#define N_CALLS 10000
/* GTK keeps rows around the visible ones too; far below one per call. */
#define MAX_ROWS 300

typedef struct {
  guint position, removed, added;
} Change;

static gboolean
mapped (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0;
}

static char *
peer_of (guint i)
{
  return g_strdup_printf ("sip:%05u@pbx.example.com", i);
}

/* Call i started i minutes after the first; every fourth an unanswered
 * incoming one (missed). Newest first, as the phone writes the file. */
static void
write_history (const char *path, gint64 first_start)
{
  g_autoptr (GString) json = g_string_new ("{\"version\": 1, \"entries\": [");
  g_autoptr (GError) error = NULL;

  for (guint i = N_CALLS; i > 0; i--)
    {
      guint n = i - 1;
      gboolean missed = n % 4 == 0;
      g_autofree char *peer = peer_of (n);

      g_string_append_printf (
        json,
        "%s{\"id\": \"call-%05u\", \"direction\": \"%s\", \"peer\": \"%s\", \"peer-name\": \"\", "
        "\"start\": %" G_GINT64_FORMAT ", \"duration\": %u, \"answered\": %s, \"end-code\": %u, "
        "\"end-reason\": \"%s\", \"recording\": \"\"}",
        i == N_CALLS ? "" : ", ", n, missed ? "incoming" : "outgoing", peer,
        first_start + (gint64) n * 60 * G_USEC_PER_SEC, missed ? 0 : 30, missed ? "false" : "true",
        missed ? 487 : 200, missed ? "Request Terminated" : "OK");
    }
  g_string_append (json, "]}");
  g_assert_true (g_file_set_contents (path, json->str, -1, &error));
}

static GPtrArray *
rows_of (GtkWidget *panel)
{
  GPtrArray *rows = g_ptr_array_new ();

  ap_ui_test_collect_rows (panel, rows);
  return rows;
}

static gboolean
has_row (GtkWidget *panel, const char *title)
{
  g_autoptr (GPtrArray) rows = rows_of (panel);

  for (guint i = 0; i < rows->len; i++)
    if (g_str_equal (adw_preferences_row_get_title (rows->pdata[i]), title))
      return TRUE;
  return FALSE;
}

static const char *
first_row_title (GtkWidget *panel)
{
  g_autoptr (GPtrArray) rows = rows_of (panel);

  g_assert_cmpuint (rows->len, >, 0);
  return adw_preferences_row_get_title (rows->pdata[0]);
}

static const char *
summary_of (GtkWidget *panel)
{
  GtkWidget *label = ap_ui_test_find (panel, GTK_TYPE_LABEL, "history-summary");

  g_assert_nonnull (label);
  return gtk_label_get_text (GTK_LABEL (label));
}

static void
on_items_changed (GListModel *model, guint position, guint removed, guint added, GArray *changes)
{
  Change change = { position, removed, added };

  g_array_append_val (changes, change);
}

static void
test_full_history (void)
{
  g_autofree char *dir = g_dir_make_tmp ("agentphone-history-page-XXXXXX", NULL);
  g_autofree char *settings_path = g_build_filename (dir, "settings.json", NULL);
  g_autofree char *history_path = g_build_filename (dir, "history.json", NULL);
  g_autoptr (ApSettings) settings = ap_settings_new (settings_path);
  g_autoptr (ApSecretStore) secrets = ap_memory_secret_store_new ();
  g_autoptr (ApPhone) phone = ap_phone_new (settings, secrets);
  g_autoptr (ApHistory) history = ap_history_new (history_path, 0);
  g_autoptr (GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GError) error = NULL;
  gint64 first_start = g_get_real_time () - (gint64) (N_CALLS + 10) * 60 * G_USEC_PER_SEC;
  g_autofree char *newest = peer_of (N_CALLS - 1);
  g_autofree char *oldest_kept = peer_of (1);
  g_autofree char *dropped = peer_of (0);
  ApHistoryEntry call = { .id = "",
                          .direction = "outgoing",
                          .peer = "sip:new@pbx.example.com",
                          .peer_name = "The newest call",
                          .start = g_get_real_time (),
                          .duration = 5,
                          .answered = TRUE,
                          .end_code = 200,
                          .end_reason = "OK",
                          .recording = "" };
  GtkWidget *toplevel, *panel, *list, *scroller;
  GtkAdjustment *adjustment;
  GListModel *model;

  write_history (history_path, first_start);
  g_assert_true (ap_history_load (history, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ap_history_get_n_entries (history), ==, N_CALLS);
  ap_phone_set_history (phone, history);

  panel = ap_history_panel_new (phone);
  toplevel = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (toplevel), 720, 640);
  gtk_window_set_child (GTK_WINDOW (toplevel), panel);
  gtk_window_present (GTK_WINDOW (toplevel));
  g_assert_true (ap_test_run_until (mapped, panel, 5000));
  ap_test_sleep (300);

  /* A screenful of rows, newest first; the summary counts them all. */
  rows = rows_of (panel);
  g_test_message ("%u rows for %u calls", rows->len, N_CALLS);
  g_assert_cmpuint (rows->len, >, 3);
  g_assert_cmpuint (rows->len, <=, MAX_ROWS);
  g_assert_cmpstr (first_row_title (panel), ==, newest);
  g_assert_cmpstr (summary_of (panel), ==, "10000 calls, 2500 missed");
  ap_ui_test_screenshot (toplevel, "history-page-10000");

  /* One more call: the oldest goes (the cap), the new one comes on top,
   * and the view is told just that. */
  list = ap_ui_test_find (panel, GTK_TYPE_LIST_VIEW, NULL);
  g_assert_nonnull (list);
  model = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (list)));
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), changes);
  ap_history_append (history, &call);
  g_assert_cmpuint (changes->len, ==, 2);
  g_assert_cmpuint (g_array_index (changes, Change, 0).position, ==, N_CALLS - 1);
  g_assert_cmpuint (g_array_index (changes, Change, 0).removed, ==, 1);
  g_assert_cmpuint (g_array_index (changes, Change, 0).added, ==, 0);
  g_assert_cmpuint (g_array_index (changes, Change, 1).position, ==, 0);
  g_assert_cmpuint (g_array_index (changes, Change, 1).removed, ==, 0);
  g_assert_cmpuint (g_array_index (changes, Change, 1).added, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_CALLS);
  ap_test_sleep (200);
  g_assert_cmpstr (first_row_title (panel), ==, "The newest call");
  g_assert_cmpstr (summary_of (panel), ==, "10000 calls, 2499 missed");
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = rows_of (panel);
  g_assert_cmpuint (rows->len, <=, MAX_ROWS);

  /* At the end of the list: the oldest call kept, not the dropped one. */
  scroller = gtk_widget_get_ancestor (list, GTK_TYPE_SCROLLED_WINDOW);
  g_assert_nonnull (scroller);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  for (guint i = 0; i < 20 && !has_row (panel, oldest_kept); i++)
    {
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment)
                                              - gtk_adjustment_get_page_size (adjustment));
      ap_test_sleep (100);
    }
  g_assert_true (has_row (panel, oldest_kept));
  g_assert_false (has_row (panel, dropped));
  g_assert_false (has_row (panel, "The newest call"));
  ap_ui_test_screenshot (toplevel, "history-page-end");
  gtk_window_destroy (GTK_WINDOW (toplevel));
}

int
main (int argc, char **argv)
{
  g_autoptr (GtkCssProvider) css = NULL;

  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  setlocale (LC_ALL, "");
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* The window's style sheet, as the application loads it. */
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, "/io/github/agentphone/Agentphone/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_test_add_func ("/history-page/full-history", test_full_history);
  return g_test_run ();
}
