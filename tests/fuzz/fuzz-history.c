/* history.json as the phone loads it at start: any content is read or set
 * aside, never a crash; what loads is listed and saves again. */
#include "ap-fuzz.h"
#include "ap-history.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *path = NULL;
  g_autoptr (ApHistory) history = NULL;
  g_autoptr (GVariant) entries = NULL;

  ap_fuzz_quiet ();
  path = ap_fuzz_write_file ("history.json", data, size);
  history = ap_history_new (path, 100);
  ap_history_load (history, NULL);
  entries = ap_history_dup_entries (history, 0);
  g_assert (entries != NULL);
  g_assert (ap_history_save (history, NULL));
  return 0;
}
