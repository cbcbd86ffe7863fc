#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Helpers for the window tests: screenshots, finding widgets, pressing
 * shortcuts, and a stand-in desktop notification server. */

/* A stand-in notification server on the private bus: records Notify calls
 * and can press a notification's button the way a desktop shell does. */
typedef struct {
  GDBusConnection *connection;
  guint owner_id;
  guint object_id;
  guint32 last_id;
  char *last_summary;
  char *last_body;
  GStrv last_actions;
  guint closed;
} ApFakeNotifications;

void       ap_fake_notifications_start (ApFakeNotifications *n,
                                        const char          *bus_address);
void       ap_fake_notifications_press (ApFakeNotifications *n,
                                        const char          *label);
void       ap_ui_save_screenshot       (GtkWidget           *widget,
                                        const char          *name);
GtkWidget *ap_ui_find_named            (GtkWidget           *root,
                                        const char          *name);
void       ap_ui_assert_buttons_named  (GtkWidget           *root);
void       ap_ui_press                 (GtkWidget           *window,
                                        const char          *accel);
void       ap_ui_test_screenshot   (GtkWidget  *widget,
                                    const char *name);
GtkWidget *ap_ui_test_find         (GtkWidget  *root,
                                    GType       type,
                                    const char *title);
void       ap_ui_test_collect_rows (GtkWidget  *root,
                                    GPtrArray  *rows);

GtkStack  *ap_ui_test_main_stack   (GtkWidget  *window);

G_END_DECLS
