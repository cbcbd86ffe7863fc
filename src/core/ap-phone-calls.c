/* ap-phone-calls.c: the phone's calls and the seat state they make.
 *
 * Dialling turns what a person typed into a SIP URI and checks the options;
 * the SIP engine (an #ApSignaling) does the rest. Ended calls leave the list
 * shortly after, so observers still see their final state. */
#define G_LOG_DOMAIN "Agentphone-core"

#include "ap-phone-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ap-echo-test.h"
#include "ap-error.h"
#include "ap-uri.h"

#define REMOVE_ENDED_AFTER_MS 300

static void
remove_call (ApPhone *self, ApCall *call)
{
  guint position;

  if (!g_list_store_find (self->calls, call, &position))
    return;
  g_object_ref (call);
  g_list_store_remove (self->calls, position);
  ap_phone_emit_call_removed (self, call);
  ap_phone_update_seat (self);
  g_object_unref (call);
}

typedef struct {
  ApPhone *phone;
  ApCall *call;
} Removal;

static gboolean
on_remove_timeout (gpointer data)
{
  Removal *r = data;

  remove_call (r->phone, r->call);
  return G_SOURCE_REMOVE;
}

static void
removal_free (gpointer data)
{
  Removal *r = data;

  g_object_unref (r->phone);
  g_object_unref (r->call);
  g_free (r);
}

static void
on_call_state (ApCall *call, ApCallState state, guint code, const char *reason, ApPhone *self)
{
  ap_phone_update_seat (self);
  if (state == AP_CALL_STATE_ENDED)
    {
      Removal *r = g_new0 (Removal, 1);

      r->phone = g_object_ref (self);
      r->call = g_object_ref (call);
      g_signal_handlers_disconnect_by_data (call, self);
      g_timeout_add_full (G_PRIORITY_DEFAULT, REMOVE_ENDED_AFTER_MS, on_remove_timeout, r,
                          removal_free);
    }
}

/* Call waiting: answering a second call puts the one in progress on hold,
 * so the agent never speaks to two parties at once. */
static void
hold_others (ApPhone *self, ApCall *except)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->calls)); i++)
    {
      g_autoptr (ApCall) call = g_list_model_get_item (G_LIST_MODEL (self->calls), i);
      g_autoptr (GError) error = NULL;

      if (call == except || ap_call_get_state (call) != AP_CALL_STATE_CONNECTED)
        continue;
      if (!ap_call_hold (call, &error))
        g_warning ("Could not hold call %u: %s", ap_call_get_id (call), error->message);
    }
}

static void
on_call_answering (ApCall *call, ApPhone *self)
{
  hold_others (self, call);
}

static void
add_call (ApPhone *self, ApCall *call)
{
  g_list_store_append (self->calls, call);
  ap_call_set_rtp_timeout (call, ap_settings_get_uint (self->settings, "rtp-timeout"));
  g_signal_connect (call, "state-changed", G_CALLBACK (on_call_state), self);
  g_signal_connect (call, "answering", G_CALLBACK (on_call_answering), self);
  ap_phone_devices_track (self, call);
  ap_phone_emit_call_added (self, call);
  ap_phone_update_seat (self);
}

typedef struct {
  ApCall *call;
  ApIncomingDecision decision;
} AutoAction;

static void
auto_action_free (gpointer data)
{
  AutoAction *a = data;

  g_object_unref (a->call);
  g_free (a);
}

/* Auto modes act only if nobody did anything in the meantime. */
static gboolean
on_auto_action (gpointer data)
{
  AutoAction *a = data;
  g_autoptr (GError) error = NULL;

  if (ap_call_get_state (a->call) != AP_CALL_STATE_INCOMING)
    return G_SOURCE_REMOVE;
  if (a->decision.action == AP_INCOMING_AUTO_ANSWER)
    ap_call_answer (a->call, &error);
  else
    ap_call_reject (a->call, a->decision.code, &error);
  if (error)
    g_warning ("Call %u: %s", ap_call_get_id (a->call), error->message);
  return G_SOURCE_REMOVE;
}

static gboolean
in_a_call (ApPhone *self)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->calls)); i++)
    {
      g_autoptr (ApCall) call = g_list_model_get_item (G_LIST_MODEL (self->calls), i);
      ApCallState state = ap_call_get_state (call);

      if (state == AP_CALL_STATE_CONNECTED || state == AP_CALL_STATE_HELD)
        return TRUE;
    }
  return FALSE;
}

static void
on_incoming_call (ApSignaling *signaling, ApCall *call, ApPhone *self)
{
  ApIncomingDecision decision = ap_agent_decide (self->agent, in_a_call (self));
  AutoAction *a;

  ap_phone_history_track (self, call);
  /* A trusted answer-after (a PBX intercom or click-to-dial) answers a call
   * that would ring, never one the agent's state refuses. */
  if (decision.action == AP_INCOMING_RING && ap_call_get_answer_after (call) >= 0
      && !in_a_call (self))
    decision
      = (ApIncomingDecision){ AP_INCOMING_AUTO_ANSWER, 0, (guint) ap_call_get_answer_after (call) };

  if (decision.action == AP_INCOMING_REFUSE)
    {
      g_message ("Refusing call %u from %s with %u (agent state or do-not-disturb)",
                 ap_call_get_id (call), ap_call_get_peer (call), decision.code);
      ap_call_reject (call, decision.code, NULL);
      return;
    }
  g_message ("Incoming call %u from %s", ap_call_get_id (call), ap_call_get_peer (call));
  add_call (self, call);
  /* Answered at once: not a ring, not even a short one. */
  if (decision.action == AP_INCOMING_RING || decision.delay_s > 0)
    ap_phone_devices_ring (self, call);
  if (decision.action == AP_INCOMING_RING)
    return;
  a = g_new0 (AutoAction, 1);
  a->call = g_object_ref (call);
  a->decision = decision;
  if (decision.delay_s == 0)
    {
      /* At once, not on the next main-loop turn: the 200 then leaves with
       * the 180, in the same turn as the INVITE arrived. */
      on_auto_action (a);
      auto_action_free (a);
      return;
    }
  g_timeout_add_full (G_PRIORITY_DEFAULT, decision.delay_s * 1000, on_auto_action, a,
                      auto_action_free);
}

void
ap_phone_calls_init (ApPhone *self)
{
  self->calls = g_list_store_new (AP_TYPE_CALL);
  self->agent = ap_agent_new ();
  g_signal_connect_swapped (self->agent, "notify::state", G_CALLBACK (ap_phone_update_seat), self);
}

void
ap_phone_calls_dispose (ApPhone *self)
{
  if (self->signaling)
    g_signal_handlers_disconnect_by_data (self->signaling, self);
  g_clear_object (&self->signaling);
  g_clear_object (&self->media_factory);
  if (self->calls)
    {
      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->calls)); i++)
        {
          g_autoptr (ApCall) call = g_list_model_get_item (G_LIST_MODEL (self->calls), i);

          g_signal_handlers_disconnect_by_data (call, self);
        }
    }
  g_clear_object (&self->calls);
  if (self->agent)
    g_signal_handlers_disconnect_by_data (self->agent, self);
  g_clear_object (&self->agent);
}

static ApSeatState
compute_seat (ApPhone *self)
{
  gboolean ringing = FALSE, talking = FALSE, held = FALSE;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->calls));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (ApCall) call = g_list_model_get_item (G_LIST_MODEL (self->calls), i);

      switch (ap_call_get_state (call))
        {
        case AP_CALL_STATE_INCOMING:
          ringing = TRUE;
          break;
        case AP_CALL_STATE_CONNECTED:
        case AP_CALL_STATE_DIALING:
        case AP_CALL_STATE_RINGING_BACK:
          talking = TRUE;
          break;
        case AP_CALL_STATE_HELD:
          held = TRUE;
          break;
        case AP_CALL_STATE_ENDED:
        default:
          break;
        }
    }
  if (ringing)
    return AP_SEAT_STATE_RINGING;
  if (talking)
    return AP_SEAT_STATE_TALKING;
  if (held)
    return AP_SEAT_STATE_HELD;
  if (ap_account_get_state (self->account) != AP_REGISTRATION_STATE_REGISTERED)
    return AP_SEAT_STATE_OFFLINE;
  if (ap_agent_get_state (self->agent) != AP_AGENT_STATE_AVAILABLE)
    return AP_SEAT_STATE_BUSY;
  return AP_SEAT_STATE_IDLE;
}

void
ap_phone_update_seat (ApPhone *self)
{
  ApSeatState seat = compute_seat (self);

  if (seat == self->seat_state)
    return;
  self->seat_state = seat;
  ap_phone_notify_seat (self);
}

static void
on_outgoing_call (ApSignaling *signaling, ApCall *call, ApPhone *self)
{
  g_message ("Calling %s as the far end asked (transfer)", ap_call_get_peer (call));
  ap_phone_history_track (self, call);
  add_call (self, call);
}

static void
on_message (ApSignaling *signaling, const char *from, const char *text, ApPhone *self)
{
  ap_phone_emit_message (self, from, text);
}

/** ap_phone_set_signaling: hand the phone the SIP engine it dials with */
void
ap_phone_set_signaling (ApPhone *self, ApSignaling *signaling)
{
  g_return_if_fail (AP_IS_PHONE (self));

  if (self->signaling)
    g_signal_handlers_disconnect_by_data (self->signaling, self);
  g_set_object (&self->signaling, signaling);
  if (signaling)
    {
      g_signal_connect (signaling, "incoming-call", G_CALLBACK (on_incoming_call), self);
      g_signal_connect (signaling, "message-received", G_CALLBACK (on_message), self);
      g_signal_connect (signaling, "outgoing-call", G_CALLBACK (on_outgoing_call), self);
    }
}

static gboolean
header_allowed (const char *name, const char *value, GError **error)
{
  gboolean name_ok = (g_ascii_strncasecmp (name, "X-", 2) == 0 && name[2] != '\0')
                     || g_ascii_strcasecmp (name, "Subject") == 0;

  for (const char *p = name; name_ok && *p; p++)
    name_ok = g_ascii_isalnum (*p) || *p == '-' || *p == '_' || *p == '.';
  if (!name_ok)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT,
                   _ ("Header “%s” cannot be set: only X- headers and Subject are allowed"), name);
      return FALSE;
    }
  if (strpbrk (value, "\r\n") != NULL)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT,
                   _ ("Header “%s” must be a single line"), name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_options (GVariant *options, ApDialOptions *out, GError **error)
{
  GVariantIter iter;
  const char *key;
  GVariant *value;

  if (options == NULL)
    return TRUE;
  g_variant_iter_init (&iter, options);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      g_autoptr (GVariant) v = value;

      if (g_str_equal (key, "anonymous") && g_variant_is_of_type (v, G_VARIANT_TYPE_BOOLEAN))
        out->anonymous = g_variant_get_boolean (v);
      else if (g_str_equal (key, "video") && g_variant_is_of_type (v, G_VARIANT_TYPE_BOOLEAN))
        out->video = g_variant_get_boolean (v);
      else if (g_str_equal (key, "headers") && g_variant_is_of_type (v, G_VARIANT_TYPE ("a{ss}")))
        {
          GVariantIter hi;
          const char *name, *text;

          g_variant_iter_init (&hi, v);
          while (g_variant_iter_next (&hi, "{&s&s}", &name, &text))
            {
              if (!header_allowed (name, text, error))
                return FALSE;
              g_hash_table_insert (out->headers, g_strdup (name), g_strdup (text));
            }
        }
      else
        {
          g_set_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT,
                       _ ("Unknown dial option “%s” (or wrong type “%s”): use video b, "
                          "anonymous b, headers a{ss}"),
                       key, g_variant_get_type_string (v));
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * ap_phone_dial:
 * @target: a number (completed with the account's domain), a `sip:`/`sips:`
 *   URI, or a `tel:` URI
 * @options: (nullable): `a{sv}`: `video` b, `anonymous` b, `headers` a{ss}
 *
 * Returns: (transfer none): the new call, in the `dialing` state
 */
ApCall *
ap_phone_dial (ApPhone *self, const char *target, GVariant *options, GError **error)
{
  g_autofree char *uri = NULL;
  g_autoptr (GHashTable) headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  ApDialOptions opts = { .headers = headers };
  g_autoptr (ApCall) call = NULL;

  g_return_val_if_fail (AP_IS_PHONE (self), NULL);

  if (options && !g_variant_is_of_type (options, G_VARIANT_TYPE_VARDICT))
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT, _ ("Options must be an a{sv}"));
      return NULL;
    }
  if (!parse_options (options, &opts, error))
    return NULL;
  uri = ap_uri_complete (target ? target : "", ap_account_get_uri (self->account), error);
  if (uri == NULL)
    return NULL;
  if (self->signaling == NULL)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_FAILED, _ ("The SIP engine is not running"));
      return NULL;
    }
  call = ap_signaling_dial (self->signaling, uri, &opts, error);
  if (call == NULL)
    return NULL;
  ap_phone_history_track (self, call);
  add_call (self, call);
  return call;
}

/** ap_phone_set_media_factory: where the echo test's media comes from */
void
ap_phone_set_media_factory (ApPhone *self, ApMediaFactory *factory)
{
  g_return_if_fail (AP_IS_PHONE (self));
  g_set_object (&self->media_factory, factory);
}

/**
 * ap_phone_start_echo_test:
 *
 * A local call, no account or server needed, whose far end plays the
 * microphone back one second later; it is a call like any other (listed,
 * muted, hung up the same way).
 *
 * Returns: (transfer none): the new call, in the `dialing` state
 */
ApCall *
ap_phone_start_echo_test (ApPhone *self, GError **error)
{
  g_autoptr (ApCall) call = NULL;
  g_auto (GStrv) codecs = NULL;

  g_return_val_if_fail (AP_IS_PHONE (self), NULL);

  if (self->media_factory == NULL)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_NOT_SUPPORTED, _ ("The media engine is not running"));
      return NULL;
    }
  codecs = ap_settings_get_strv (self->settings, "audio-codecs");
  call = ap_echo_test_new_call (self->media_factory, (const char *const *) codecs, error);
  if (call == NULL)
    return NULL;
  add_call (self, call);
  return call;
}

/** ap_phone_get_calls: (transfer none): the calls, a model of #ApCall */
GListModel *
ap_phone_get_calls (ApPhone *self)
{
  g_return_val_if_fail (AP_IS_PHONE (self), NULL);
  return G_LIST_MODEL (self->calls);
}

/** ap_phone_find_call: (transfer none) (nullable): the call with @id */
ApCall *
ap_phone_find_call (ApPhone *self, guint id)
{
  g_return_val_if_fail (AP_IS_PHONE (self), NULL);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->calls)); i++)
    {
      g_autoptr (ApCall) call = g_list_model_get_item (G_LIST_MODEL (self->calls), i);

      if (ap_call_get_id (call) == id)
        return call;
    }
  return NULL;
}

ApSeatState
ap_phone_get_seat_state (ApPhone *self)
{
  g_return_val_if_fail (AP_IS_PHONE (self), AP_SEAT_STATE_OFFLINE);
  return self->seat_state;
}

/** ap_phone_hangup_all: end every call (at shutdown): BYE, CANCEL or decline */
void
ap_phone_hangup_all (ApPhone *self)
{
  GListModel *calls = G_LIST_MODEL (self->calls);

  for (guint i = 0; i < g_list_model_get_n_items (calls); i++)
    {
      g_autoptr (ApCall) call = g_list_model_get_item (calls, i);

      if (ap_call_get_state (call) != AP_CALL_STATE_ENDED)
        ap_call_hangup (call, NULL);
    }
}

ApAgent *
ap_phone_get_agent (ApPhone *self)
{
  g_return_val_if_fail (AP_IS_PHONE (self), NULL);
  return self->agent;
}

/**
 * ap_phone_send_message:
 * @target: a number or a SIP/tel URI, completed like ap_phone_dial()
 *
 * Sends a SIP MESSAGE; a delivery failure is logged.
 */
gboolean
ap_phone_send_message (ApPhone *self, const char *target, const char *text, GError **error)
{
  g_autofree char *uri = NULL;

  g_return_val_if_fail (AP_IS_PHONE (self), FALSE);

  if (text == NULL || *text == '\0' || strlen (text) > 60000)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT,
                   _ ("A message must have between 1 and 60000 bytes of text"));
      return FALSE;
    }
  uri = ap_uri_complete (target ? target : "", ap_account_get_uri (self->account), error);
  if (uri == NULL)
    return FALSE;
  if (self->signaling == NULL)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_FAILED, _ ("The SIP engine is not running"));
      return FALSE;
    }
  return ap_signaling_send_message (self->signaling, uri, text, error);
}

/**
 * ap_phone_transfer:
 * @target: a number or a SIP/tel URI, completed like ap_phone_dial()
 *
 * Blind transfer of @call to @target.
 */
gboolean
ap_phone_transfer (ApPhone *self, ApCall *call, const char *target, GError **error)
{
  g_autofree char *uri = NULL;

  g_return_val_if_fail (AP_IS_PHONE (self), FALSE);
  g_return_val_if_fail (AP_IS_CALL (call), FALSE);

  uri = ap_uri_complete (target ? target : "", ap_account_get_uri (self->account), error);
  return uri != NULL && ap_call_transfer (call, uri, error);
}
