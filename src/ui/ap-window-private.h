#pragma once

#include "ap-dial-pad.h"
#include "ap-incoming-notifier.h"
#include "ap-sidebar.h"
#include "ap-window.h"

G_BEGIN_DECLS

/* Shared by ap-window.c and its parts (keys). */
struct _ApWindow {
  AdwApplicationWindow parent_instance;

  ApPhone *phone;
  ApIncomingNotifier *notifier;
  ApCall *echo_call; /* the running echo test, or NULL */

  AdwToastOverlay *toasts;
  GtkWidget *status_box;
  GtkLabel *status_dot;
  GtkLabel *status_label;
  AdwWindowTitle *window_title;
  GtkMenuButton *agent_button;
  GtkLabel *agent_dot;
  GtkLabel *agent_label;
  ApSidebar *sidebar;
  GtkStack *stack;
  ApDialPad *dial_pad;
  GtkListBox *call_list;
  GtkButton *echo_button;
  AdwButtonContent *echo_content;

};

void    ap_window_show_error          (ApWindow     *self,
                                       const GError *error);
ApCall *ap_window_find_call           (ApWindow     *self,
                                       ApCallState   first,
                                       ApCallState   second);
void    ap_window_keys_init           (ApWindow     *self);

G_END_DECLS
