/* ap-sip-library.c: process-wide care of the sofia-sip library.
 *
 * sofia-sip before 1.13.4 (Debian 12 ships 1.12.11) deletes its thread key in
 * a library destructor even when it never created it, so it deletes key 0,
 * which is GLib's. Any run that never touched sofia (--version, --help, a bad
 * option) then aborts at exit inside GLib ("pthread_setspecific: Invalid
 * argument"). Asking sofia for a random number creates its own key, so the
 * destructor deletes that one instead.
 *
 * Environment changes happen here too, before any thread exists: setenv()
 * beside another thread's getenv() (the password lookup, GDBus) can crash. */
#include "ap-sip-library.h"

#include <glib.h>
#include <sofia-sip/su_uniqueid.h>

/** ap_sip_library_prepare: call once, early, in every run of the program */
void
ap_sip_library_prepare (void)
{
  (void) su_random64 ();
  /* su_glib prints a line on every root unless told to be quiet. */
  g_setenv ("SU_DEBUG", "0", FALSE);
}
