/* ap-sip-process.c: what sofia-sip needs once per process.
 *
 * sofia's unique-id code deletes its thread key in a library destructor at
 * exit even when the key was never created: it then deletes key 0, which
 * belongs to GLib, and GLib's DBus thread aborts ("pthread_setspecific:
 * Invalid argument"). A process that never starts the SIP engine (a second
 * instance that only forwards a sip: link) hits this; creating the key
 * first makes the destructor delete sofia's own. */
#define G_LOG_DOMAIN "Agentphone-sip"

#include "config.h"

#include "ap-sip-process.h"

#include <sofia-sip/su_uniqueid.h>

/** ap_sip_process_init: call once at start, before any thread may exit */
void
ap_sip_process_init (void)
{
  (void) su_randint (0, 1);
}
