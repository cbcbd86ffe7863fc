#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

/* Shared by the libFuzzer targets: quiet logs, inputs as text and files. */

int   LLVMFuzzerTestOneInput (const uint8_t *data,
                              size_t         size);
void  ap_fuzz_quiet          (void);
char *ap_fuzz_text           (const uint8_t *data,
                              size_t         size);
char *ap_fuzz_write_file     (const char    *name,
                              const uint8_t *data,
                              size_t         size);
