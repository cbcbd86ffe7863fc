/* ap-window-panels.c: the window's pages beside the phone page, one widget
 * class each (ap-*-panel.c), plus what the window does around them: the
 * missed-call count on the history page's title, remembering the size and
 * the last page, and asking before closing with calls up. */
#define G_LOG_DOMAIN "Agentphone-ui"

#include "config.h"

#include "ap-window-panels.h"

#include <glib/gi18n.h>

#include "ap-account-panel.h"
#include "ap-devices-panel.h"
#include "ap-history-panel.h"
#include "ap-screen-share-panel.h"
#include "ap-video-panel.h"
#include "ap-volume-panel.h"
#include "ap-window-private.h"
#include "ap-window-quit.h"
#include "ap-window-state.h"

/** ap_panel_toast: show @text in the window's toast overlay above @panel */
void
ap_panel_toast (GtkWidget *panel, const char *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (panel, ADW_TYPE_TOAST_OVERLAY);

  if (overlay == NULL)
    {
      g_warning ("%s", text);
      return;
    }
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
}

/* The count of new missed calls: a badge beside "History" in the sidebar,
 * and the page's needs-attention flag. */
static void
update_history_badge (GtkStackPage *page)
{
  ApHistoryPanel *panel = AP_HISTORY_PANEL (gtk_stack_page_get_child (page));
  GtkRoot *window = gtk_widget_get_root (GTK_WIDGET (panel));
  guint unseen = ap_history_panel_get_unseen_missed (panel);
  g_autofree char *description = NULL;

  if (!AP_IS_WINDOW (window))
    return; /* being taken down */
  /* TRANSLATORS: the badge beside History in the sidebar, for screen readers */
  description = g_strdup_printf (
    g_dngettext (GETTEXT_PACKAGE, "%u new missed call", "%u new missed calls", unseen), unseen);
  ap_sidebar_set_badge (AP_WINDOW (window)->sidebar, "history", unseen, description);
  gtk_stack_page_set_needs_attention (page, unseen > 0);
}

static void
on_visible_page (GtkStack *stack, GParamSpec *pspec, gpointer data)
{
  GtkWidget *child = gtk_stack_get_visible_child (stack);

  if (AP_IS_HISTORY_PANEL (child))
    ap_history_panel_mark_seen (AP_HISTORY_PANEL (child));
}

static gboolean
on_close_request (GtkWindow *window, GtkStack *stack)
{
  g_autoptr (GError) error = NULL;

  if (!ap_window_state_save (window, stack, &error))
    g_warning ("The window's size and page were not saved: %s", error->message);
  return FALSE;
}

static void
add_page (GtkStack *stack, GtkWidget *panel, const char *name, const char *title, const char *icon)
{
  GtkStackPage *page = gtk_stack_add_titled (stack, panel, name, title);

  gtk_stack_page_set_icon_name (page, icon);
}

/**
 * ap_window_add_panels:
 * @stack: the window's page stack, whose first page is "phone"
 *
 * Adds the account, devices, volume, video, screen-share and history pages,
 * restores the last size and page, and guards closing with calls up.
 */
void
ap_window_add_panels (ApWindow *window, GtkStack *stack, ApPhone *phone)
{
  GtkWidget *history = ap_history_panel_new (phone);
  GtkStackPage *history_page;

  g_return_if_fail (AP_IS_WINDOW (window));
  g_return_if_fail (GTK_IS_STACK (stack));
  g_return_if_fail (AP_IS_PHONE (phone));

  add_page (stack, ap_account_panel_new (phone), "account", _ ("Account"), "system-users-symbolic");
  add_page (stack, ap_devices_panel_new (phone), "devices", _ ("Devices"),
            "audio-headset-symbolic");
  add_page (stack, ap_volume_panel_new (phone), "volume", _ ("Volume"),
            "audio-volume-high-symbolic");
  add_page (stack, ap_video_panel_new (phone), "video", _ ("Video"), "camera-video-symbolic");
  add_page (stack, ap_screen_share_panel_new (phone), "screen-share", _ ("Screen Share"),
            "screen-shared-symbolic");
  add_page (stack, history, "history", _ ("History"), "document-open-recent-symbolic");
  history_page = gtk_stack_get_page (stack, history);
  g_signal_connect_object (history, "notify::unseen-missed", G_CALLBACK (update_history_badge),
                           history_page, G_CONNECT_SWAPPED);
  update_history_badge (history_page);
  g_signal_connect (stack, "notify::visible-child", G_CALLBACK (on_visible_page), NULL);

  ap_window_state_restore (GTK_WINDOW (window), stack);
  g_signal_connect_object (window, "close-request", G_CALLBACK (on_close_request), stack, 0);
  ap_window_quit_guard (GTK_WINDOW (window), phone);
}
