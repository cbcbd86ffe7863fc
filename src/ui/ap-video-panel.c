/* ap-video-panel.c: the "video" page. The core has no video interface yet
 * (it is being built on its own branch), so the page says so plainly
 * instead of showing controls that would do nothing. */
#define G_LOG_DOMAIN "Agentphone-ui"

#include "config.h"

#include "ap-video-panel.h"

struct _ApVideoPanel {
  AdwBin parent_instance;
};

G_DEFINE_FINAL_TYPE (ApVideoPanel, ap_video_panel, ADW_TYPE_BIN)

static void
ap_video_panel_class_init (ApVideoPanelClass *klass)
{
  gtk_widget_class_set_template_from_resource (
    GTK_WIDGET_CLASS (klass), "/io/github/agentphone/Agentphone/ap-video-panel.ui");
}

static void
ap_video_panel_init (ApVideoPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/** ap_video_panel_new: the video page */
GtkWidget *
ap_video_panel_new (void)
{
  return g_object_new (AP_TYPE_VIDEO_PANEL, NULL);
}
