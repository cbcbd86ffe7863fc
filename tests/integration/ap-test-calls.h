#pragma once

#include "ap-test-harness.h"

G_BEGIN_DECLS

/* settings.json of a phone whose audio a test measures: bound to loopback
 * (ListenPort final at once), and no noise suppression or automatic gain,
 * which exist to change a steady tone's level (a tone is what a noise
 * suppressor takes for noise). Echo cancellation stays on, as agents use
 * it; its own effect is measured in tests/media/test-echo-cancel.c. */
#define AP_TEST_TONE_SETTINGS                                                                  \
  "{\"version\": 1, \"settings\": {\"local-address\": \"127.0.0.1\", "                         \
  "\"noise-suppression\": 0, \"auto-gain\": false}}"

/* Call helpers shared by the call suites: instances with a tone in and a
 * WAV out, registration at the test Kamailio, dialling and measuring. */

/* Two instances on their own buses, A with 440 Hz in, B with 880 Hz. */
typedef struct {
  ApTestBus *bus_a, *bus_b;
  ApTestPhone *a, *b;
  char *wav_a, *wav_b; /* what each hears */
} ApTestPair;

void         ap_test_pair_start            (ApTestPair      *pair);
void         ap_test_pair_clear            (ApTestPair      *pair);
ApTestPhone *ap_test_phone_start_with_tone (ApTestBus       *bus,
                                            guint            freq,
                                            char           **wav);
void         ap_test_phone_register        (ApTestPhone     *phone,
                                            ApTestKamailio  *kamailio,
                                            const char      *user);
ApDbusCall  *ap_test_dial                  (ApTestPhone     *from,
                                            ApTestPhone     *to,
                                            const char      *target,
                                            GVariant        *options,
                                            ApDbusCall     **incoming);
void         ap_test_connect_many          (ApTestPhone     *from,
                                            ApTestPhone     *to,
                                            guint            n,
                                            ApDbusCall     **calls_from,
                                            ApDbusCall     **calls_to);
void         ap_test_call_answer           (ApDbusCall      *call);
void         ap_test_call_hangup           (ApDbusCall      *call);
double       ap_test_call_stat_double      (ApDbusCall      *call,
                                            const char      *key);
guint64      ap_test_call_stat_uint        (ApDbusCall      *call,
                                            const char      *key);
void         ap_test_assert_tone           (const char      *wav,
                                            double           freq,
                                            double           start_s,
                                            double           end_s);
void         ap_test_assert_silence        (const char      *wav,
                                            double           start_s,
                                            double           end_s);
gboolean     ap_test_dbus_error_is         (const GError    *error,
                                            const char      *name);

G_END_DECLS
