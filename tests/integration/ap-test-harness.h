#pragma once

#include <gio/gio.h>

#include "ap-dbus-generated.h"

G_BEGIN_DECLS

/* Real peers for integration tests: a private bus, a Secret Service, a
 * Kamailio registrar, sipp, and agentphone itself. Everything binds to
 * 127.0.0.1 on ports found free at run time, and every wait is bounded. */

typedef gboolean (*ApTestPredicate) (gpointer data);

gboolean     ap_test_run_until      (ApTestPredicate  predicate,
                                     gpointer         data,
                                     guint            timeout_ms);
void         ap_test_sleep          (guint            ms);
gboolean     ap_test_file_exists    (gpointer         path);
guint        ap_test_free_port      (void);
char        *ap_test_make_dir       (const char      *name);
const char  *ap_test_source_dir     (void);
gboolean     ap_test_tree_contains  (const char      *dir,
                                     const char      *needle,
                                     char           **where);

/* A private dbus-daemon with no activatable services. */
typedef struct _ApTestBus ApTestBus;
ApTestBus       *ap_test_bus_new            (void);
const char      *ap_test_bus_get_address    (ApTestBus       *bus);
GDBusConnection *ap_test_bus_get_connection (ApTestBus       *bus);
gboolean         ap_test_bus_has_owner      (ApTestBus       *bus,
                                             const char      *name);
void             ap_test_bus_free           (ApTestBus       *bus);

/* gnome-keyring-daemon's Secret Service on @bus, unlocked. */
typedef struct _ApTestKeyring ApTestKeyring;
ApTestKeyring *ap_test_keyring_new  (ApTestBus     *bus);
void           ap_test_keyring_free (ApTestKeyring *keyring);

/* Kamailio with users 1001..1005 (password "pass<user>") at 127.0.0.1. */
typedef struct _ApTestKamailio ApTestKamailio;
ApTestKamailio *ap_test_kamailio_new            (gboolean        tls);
void            ap_test_kamailio_start          (ApTestKamailio *kam);
void            ap_test_kamailio_start_on       (ApTestKamailio *kam,
                                                 guint           port);
void            ap_test_kamailio_stop           (ApTestKamailio *kam);
guint           ap_test_kamailio_get_port       (ApTestKamailio *kam);
guint           ap_test_kamailio_get_tls_port   (ApTestKamailio *kam);
const char     *ap_test_kamailio_get_ca_file    (ApTestKamailio *kam);
guint           ap_test_kamailio_count_contacts (ApTestKamailio *kam,
                                                 const char     *user);
gboolean        ap_test_kamailio_wait_contacts  (ApTestKamailio *kam,
                                                 const char     *user,
                                                 guint           count,
                                                 guint           timeout_ms);
void            ap_test_kamailio_free           (ApTestKamailio *kam);

/* sipp running one scenario from tests/sipp/. */
typedef struct _ApTestSipp ApTestSipp;
ApTestSipp *ap_test_sipp_start (const char  *scenario,
                                guint        port,
                                const char  *remote,
                                guint        timeout_s);
gboolean    ap_test_sipp_wait  (ApTestSipp  *sipp,
                                guint        timeout_ms,
                                int         *exit_status);
void        ap_test_sipp_free  (ApTestSipp  *sipp);

/* `agentphone --headless` with its own XDG folders on @bus. */
typedef struct _ApTestPhone ApTestPhone;

typedef struct {
  char *state;
  guint code;
  char *reason;
  gint64 time_us;
} ApTestRegistrationEvent;

ApTestPhone *ap_test_phone_start              (ApTestBus          *bus,
                                               const char         *home,
                                               const char *const  *extra_env);
ApDbusPhone *ap_test_phone_get_proxy          (ApTestPhone        *phone);
const char  *ap_test_phone_get_home           (ApTestPhone        *phone);
const char  *ap_test_phone_get_log            (ApTestPhone        *phone);
GPid         ap_test_phone_get_pid            (ApTestPhone        *phone);
gboolean     ap_test_phone_wait_registration  (ApTestPhone        *phone,
                                               const char         *state,
                                               guint               timeout_ms);
GPtrArray   *ap_test_phone_get_events         (ApTestPhone        *phone);
GPtrArray   *ap_test_phone_get_forced         (ApTestPhone        *phone);
char        *ap_test_phone_wait_call_added    (ApTestPhone        *phone,
                                               guint               timeout_ms);
gboolean     ap_test_phone_wait_call_removed  (ApTestPhone        *phone,
                                               const char         *path,
                                               guint               timeout_ms);
ApDbusCall  *ap_test_phone_get_call           (ApTestPhone        *phone,
                                               const char         *path);
gboolean     ap_test_call_wait_state          (ApDbusCall         *call,
                                               const char         *state,
                                               guint               timeout_ms);
gboolean     ap_test_call_wait_media_active   (ApDbusCall         *call,
                                               guint               timeout_ms);
guint        ap_test_phone_get_listen_port    (ApTestPhone        *phone);
GPtrArray   *ap_test_phone_get_messages       (ApTestPhone        *phone);
void         ap_test_phone_configure          (ApTestPhone        *phone,
                                               const char         *text);
void         ap_test_phone_signal             (ApTestPhone        *phone,
                                               int                 signum);
gboolean     ap_test_phone_wait_exit          (ApTestPhone        *phone,
                                               guint               timeout_ms,
                                               int                *exit_status);
void         ap_test_phone_free               (ApTestPhone        *phone);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ApTestBus, ap_test_bus_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ApTestKeyring, ap_test_keyring_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ApTestKamailio, ap_test_kamailio_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ApTestSipp, ap_test_sipp_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ApTestPhone, ap_test_phone_free)

G_END_DECLS
