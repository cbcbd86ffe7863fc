#pragma once

/* Sofia's magic pointers, fixed once for the whole SIP layer: every NUA
 * callback gets the engine, and each handle the ApSipHandler of whoever owns
 * it. Include this instead of <sofia-sip/nua.h>. */
typedef struct _ApSipEngine ApSipEngine;
typedef struct _ApSipHandler ApSipHandler;

#define NUA_MAGIC_T  ApSipEngine
#define NUA_HMAGIC_T ApSipHandler
#define SU_ROOT_MAGIC_T ApSipEngine

#include <sofia-sip/nua.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/su_glib.h>
#include <sofia-sip/su_tag_io.h>
#include <sofia-sip/tport_tag.h>
#include <sofia-sip/nta_tag.h>
#include <sofia-sip/msg_header.h>

typedef void (*ApSipHandlerFunc) (gpointer      owner,
                                  nua_event_t   event,
                                  int           status,
                                  const char   *phrase,
                                  nua_handle_t *nh,
                                  const sip_t  *sip,
                                  tagi_t        tags[]);

/* Embedded in the object that owns a handle; the engine routes that handle's
 * events to @func. */
struct _ApSipHandler {
  ApSipHandlerFunc func;
  gpointer owner;
};

nua_t *ap_sip_engine_get_nua (ApSipEngine *self);

/* ap-sip-tls-dir.c */
gboolean ap_sip_tls_dir_prepare (char       **dir,
                                 const char  *ca_file,
                                 GError     **error);
void     ap_sip_tls_dir_remove  (char       **dir);
