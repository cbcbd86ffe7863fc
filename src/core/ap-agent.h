#pragma once

#include <glib-object.h>

#include "ap-types.h"

G_BEGIN_DECLS

/**
 * ApIncomingAction:
 * @AP_INCOMING_RING: let it ring for a person to answer
 * @AP_INCOMING_REFUSE: refuse at once with the given code
 * @AP_INCOMING_AUTO_ANSWER: answer after the delay
 * @AP_INCOMING_AUTO_REJECT: refuse after the delay
 */
typedef enum {
  AP_INCOMING_RING,
  AP_INCOMING_REFUSE,
  AP_INCOMING_AUTO_ANSWER,
  AP_INCOMING_AUTO_REJECT,
} ApIncomingAction;

typedef struct {
  ApIncomingAction action;
  guint code;     /* for REFUSE and AUTO_REJECT */
  guint delay_s;  /* for AUTO_ANSWER and AUTO_REJECT */
} ApIncomingDecision;

#define AP_TYPE_AGENT (ap_agent_get_type ())
G_DECLARE_FINAL_TYPE (ApAgent, ap_agent, AP, AGENT, GObject)

ApAgent            *ap_agent_new             (void);
gboolean            ap_agent_set_state       (ApAgent     *self,
                                              const char  *state,
                                              guint        seconds,
                                              GError     **error);
gboolean            ap_agent_set_answer_mode (ApAgent     *self,
                                              const char  *mode,
                                              guint        delay,
                                              GError     **error);
ApAgentState        ap_agent_get_state       (ApAgent     *self);
ApAnswerMode        ap_agent_get_answer_mode (ApAgent     *self);
guint               ap_agent_get_answer_delay (ApAgent    *self);
guint               ap_agent_get_wrap_up_left (ApAgent    *self);
ApIncomingDecision  ap_agent_decide          (ApAgent     *self,
                                              gboolean     busy_with_call);

G_END_DECLS
