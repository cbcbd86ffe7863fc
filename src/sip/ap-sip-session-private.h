#pragma once

#include "ap-sip-private.h"

#include "ap-sip-session.h"

/* For the engine: an INVITE that no session owns yet. */
void ap_sip_session_incoming (ApSipEngine  *engine,
                              nua_handle_t *nh,
                              const sip_t  *sip);

int  ap_sip_engine_trusted_answer_after (ApSipEngine  *engine,
                                         const sip_t  *sip);
