/* settings.json as the phone loads it at start: any content is read or
 * set aside, never a crash; what loads saves again. */
#include "ap-fuzz.h"
#include "ap-settings.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *path = NULL;
  g_autoptr (ApSettings) settings = NULL;
  g_autoptr (GVariant) all = NULL;

  ap_fuzz_quiet ();
  path = ap_fuzz_write_file ("settings.json", data, size);
  settings = ap_settings_new (path);
  if (!ap_settings_load (settings, NULL))
    return 0;
  all = ap_settings_to_variant (settings);
  g_assert (all != NULL);
  g_assert (ap_settings_save (settings, NULL));
  return 0;
}
