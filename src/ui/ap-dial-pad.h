#pragma once

#include <adwaita.h>

#include "ap-phone.h"

G_BEGIN_DECLS

#define AP_TYPE_DIAL_PAD (ap_dial_pad_get_type ())
G_DECLARE_FINAL_TYPE (ApDialPad, ap_dial_pad, AP, DIAL_PAD, GtkBox)

void        ap_dial_pad_set_phone    (ApDialPad  *self,
                                      ApPhone    *phone);
void        ap_dial_pad_focus_entry  (ApDialPad  *self);
void        ap_dial_pad_press_digit  (ApDialPad  *self,
                                      char        digit);
ApCall     *ap_dial_pad_dial         (ApDialPad  *self,
                                      GError    **error);
const char *ap_dial_pad_get_redial   (ApDialPad  *self);
char       *ap_dial_pad_normalize    (const char *text);

G_END_DECLS
