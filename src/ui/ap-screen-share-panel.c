/* ap-screen-share-panel.c: the "screen-share" page. The core has no screen share interface yet
 * (it is being built on its own branch), so the page says so plainly
 * instead of showing controls that would do nothing. */
#define G_LOG_DOMAIN "Agentphone-ui"

#include "config.h"

#include "ap-screen-share-panel.h"

struct _ApScreenSharePanel {
  AdwBin parent_instance;
};

G_DEFINE_FINAL_TYPE (ApScreenSharePanel, ap_screen_share_panel, ADW_TYPE_BIN)

static void
ap_screen_share_panel_class_init (ApScreenSharePanelClass *klass)
{
  gtk_widget_class_set_template_from_resource (
    GTK_WIDGET_CLASS (klass), "/io/github/agentphone/Agentphone/ap-screen-share-panel.ui");
}

static void
ap_screen_share_panel_init (ApScreenSharePanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/** ap_screen_share_panel_new: the screen-share page */
GtkWidget *
ap_screen_share_panel_new (void)
{
  return g_object_new (AP_TYPE_SCREEN_SHARE_PANEL, NULL);
}
