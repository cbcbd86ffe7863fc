#pragma once

#include "ap-test-harness.h"

G_BEGIN_DECLS

/* A real PulseAudio sound server with no hardware: null sinks and sources
 * stand in for speakers and microphones; loading and unloading their
 * modules is plugging and unplugging. */
typedef struct _ApTestSound ApTestSound;

ApTestSound *ap_test_sound_new    (void);
const char  *ap_test_sound_env    (ApTestSound  *sound);
char        *ap_test_sound_pactl  (ApTestSound  *sound,
                                   const char   *args);
void         ap_test_sound_record (ApTestSound  *sound,
                                   const char   *source,
                                   guint         ms,
                                   const char   *wav);
GSubprocess *ap_test_sound_play   (ApTestSound  *sound,
                                   const char   *sink,
                                   guint         freq);
void         ap_test_sound_free   (ApTestSound  *sound);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ApTestSound, ap_test_sound_free)

G_END_DECLS
