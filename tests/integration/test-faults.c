/* Faults around a running agentphone: SIGTERM with calls up. */
#include <signal.h>
#include <string.h>

#include "ap-test-hostile.h"

#define CALL_TIMEOUT_MS 10000
#define N_CALLS 3

/* SIGTERM while registered and in three calls: every far end gets its
 * BYE, the binding is removed, the process exits 0 in bounded time, and
 * the history keeps all three calls. */
static void
test_sigterm_during_calls (ApHostile *h, gconstpointer data)
{
  g_autoptr (ApTestKamailio) kamailio = ap_test_kamailio_new (FALSE);
  g_autofree char *history_path = g_build_filename (ap_test_phone_get_home (h->phone), "data",
                                                    "agentphone", "history.json", NULL);
  g_autofree char *history = NULL;
  ApRawSip *raws[N_CALLS];
  ApHostileDialog *dialogs[N_CALLS];
  ApDbusCall *calls[N_CALLS];
  int status = -1;
  gint64 start;

  ap_test_kamailio_start (kamailio);
  ap_test_phone_register (h->phone, kamailio, "1003");
  g_assert_true (ap_test_kamailio_wait_contacts (kamailio, "1003", 1, 5000));
  for (guint i = 0; i < N_CALLS; i++)
    {
      /* Answered one by one (Answer() puts the others on hold). */
      raws[i] = ap_raw_sip_new (FALSE, h->port);
      dialogs[i] = ap_hostile_connect (h, raws[i], &calls[i]);
    }
  start = g_get_monotonic_time ();
  ap_test_phone_signal (h->phone, SIGTERM);
  for (guint i = 0; i < N_CALLS; i++)
    {
      g_autofree char *bye = ap_raw_sip_wait_request (raws[i], "BYE", 5000);

      if (bye == NULL)
        g_error ("call %u got no BYE after SIGTERM", i);
    }
  g_assert_true (ap_test_phone_wait_exit (h->phone, 10000, &status));
  g_test_message ("SIGTERM with %u calls: BYEs sent, exit %d after %.2f s", N_CALLS, status,
                  (g_get_monotonic_time () - start) / 1e6);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpuint (ap_test_kamailio_count_contacts (kamailio, "1003"), ==, 0);
  g_assert_true (g_file_get_contents (history_path, &history, NULL, NULL));
  for (guint i = 0; i < N_CALLS; i++)
    {
      g_assert_nonnull (strstr (history, "sip:hostile@127.0.0.1"));
      ap_hostile_dialog_free (dialogs[i]);
      ap_raw_sip_free (raws[i]);
      g_object_unref (calls[i]);
    }
  {
    guint entries = 0;

    for (const char *p = history; (p = strstr (p, "\"direction\"")); p++)
      entries++;
    g_assert_cmpuint (entries, ==, N_CALLS);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  signal (SIGPIPE, SIG_IGN);

  g_test_add ("/faults/sigterm-during-calls", ApHostile, NULL, ap_hostile_setup,
              test_sigterm_during_calls, ap_hostile_teardown);
  return g_test_run ();
}
