/* ap-window-panels.c: the window's panels beside the phone page (account,
 * devices, volume, video, screen share, history). The panels branch fills
 * this in; the phone page calls it once. */
#define G_LOG_DOMAIN "Agentphone-ui"

#include "config.h"

#include "ap-window-panels.h"

/** ap_window_add_panels: adds the panel pages to @stack of @window */
void
ap_window_add_panels (ApWindow *window, GtkStack *stack, ApPhone *phone)
{
}
