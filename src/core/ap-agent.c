/* ap-agent.c: the agent at the desk: availability and answer mode, and so
 * what happens to an incoming call. Only an available agent is rung; other
 * states refuse with 486 Busy Here (480 Temporarily Unavailable when away);
 * do-not-disturb refuses at once; auto modes act after a delay. Wrap-up
 * returns to available by itself after its seconds. */
#define G_LOG_DOMAIN "Agentphone-core"

#include "ap-agent.h"

#include <glib/gi18n.h>

#include "ap-enums.h"
#include "ap-error.h"

#define MAX_DELAY_S 3600

enum { PROP_0, PROP_STATE, PROP_ANSWER_MODE, PROP_ANSWER_DELAY, PROP_WRAP_UP_LEFT, N_PROPS };
static GParamSpec *props[N_PROPS];

struct _ApAgent {
  GObject parent_instance;

  ApAgentState state;
  ApAnswerMode answer_mode;
  guint answer_delay;
  guint wrap_up_left;
  guint wrap_up_id;
};

G_DEFINE_FINAL_TYPE (ApAgent, ap_agent, G_TYPE_OBJECT)

/* Looks up a contract string among an enum's nicks. */
static gboolean
parse_nick (GType type, const char *text, int *value, const char *what, GError **error)
{
  g_autoptr (GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *v = text ? g_enum_get_value_by_nick (klass, text) : NULL;
  g_autoptr (GString) names = g_string_new (NULL);

  if (v)
    {
      *value = v->value;
      return TRUE;
    }
  for (guint i = 0; i < klass->n_values; i++)
    g_string_append_printf (names, "%s%s", i ? ", " : "", klass->values[i].value_nick);
  g_set_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT, _ ("“%s” is not %s: use one of %s"),
               text ? text : "", what, names->str);
  return FALSE;
}

static void
set_wrap_up_left (ApAgent *self, guint left)
{
  if (self->wrap_up_left == left)
    return;
  self->wrap_up_left = left;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_WRAP_UP_LEFT]);
}

static void
set_state (ApAgent *self, ApAgentState state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATE]);
}

static gboolean
on_wrap_up_tick (gpointer data)
{
  ApAgent *self = data;

  set_wrap_up_left (self, self->wrap_up_left - 1);
  if (self->wrap_up_left > 0)
    return G_SOURCE_CONTINUE;
  self->wrap_up_id = 0;
  set_state (self, AP_AGENT_STATE_AVAILABLE);
  return G_SOURCE_REMOVE;
}

/**
 * ap_agent_set_state:
 * @state: `available`, `busy`, `resting`, `away` or `wrap-up`
 * @seconds: for `wrap-up`: back to `available` after this long (0: until changed)
 */
gboolean
ap_agent_set_state (ApAgent *self, const char *state, guint seconds, GError **error)
{
  int value;

  g_return_val_if_fail (AP_IS_AGENT (self), FALSE);

  if (!parse_nick (AP_TYPE_AGENT_STATE, state, &value, _ ("an agent state"), error))
    return FALSE;
  if (seconds > 24 * 3600)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT,
                   _ ("A wrap-up of %u seconds is longer than a day"), seconds);
      return FALSE;
    }
  g_clear_handle_id (&self->wrap_up_id, g_source_remove);
  set_wrap_up_left (self, 0);
  if (value == AP_AGENT_STATE_WRAP_UP && seconds > 0)
    {
      set_wrap_up_left (self, seconds);
      self->wrap_up_id = g_timeout_add_seconds (1, on_wrap_up_tick, self);
    }
  set_state (self, value);
  return TRUE;
}

/**
 * ap_agent_set_answer_mode:
 * @mode: `manual`, `auto-answer`, `auto-reject` or `do-not-disturb`
 * @delay: seconds before an auto mode acts
 */
gboolean
ap_agent_set_answer_mode (ApAgent *self, const char *mode, guint delay, GError **error)
{
  int value;

  g_return_val_if_fail (AP_IS_AGENT (self), FALSE);

  if (!parse_nick (AP_TYPE_ANSWER_MODE, mode, &value, _ ("an answer mode"), error))
    return FALSE;
  if (delay > MAX_DELAY_S)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT,
                   _ ("A delay of %u seconds is too long (at most %u)"), delay, MAX_DELAY_S);
      return FALSE;
    }
  g_object_freeze_notify (G_OBJECT (self));
  if (self->answer_mode != (ApAnswerMode) value)
    {
      self->answer_mode = value;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ANSWER_MODE]);
    }
  if (self->answer_delay != delay)
    {
      self->answer_delay = delay;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ANSWER_DELAY]);
    }
  g_object_thaw_notify (G_OBJECT (self));
  return TRUE;
}

/**
 * ap_agent_decide:
 * @busy_with_call: the agent is already in a call (call waiting)
 *
 * What to do with a new incoming call. Auto-answer never picks up a second
 * call over a running one: that one rings instead.
 */
ApIncomingDecision
ap_agent_decide (ApAgent *self, gboolean busy_with_call)
{
  ApIncomingDecision d = { AP_INCOMING_RING, 0, 0 };

  if (self->answer_mode == AP_ANSWER_MODE_DO_NOT_DISTURB)
    return (ApIncomingDecision){ AP_INCOMING_REFUSE, 486, 0 };
  if (self->state == AP_AGENT_STATE_AWAY)
    return (ApIncomingDecision){ AP_INCOMING_REFUSE, 480, 0 };
  if (self->state != AP_AGENT_STATE_AVAILABLE)
    return (ApIncomingDecision){ AP_INCOMING_REFUSE, 486, 0 };
  if (self->answer_mode == AP_ANSWER_MODE_AUTO_ANSWER && !busy_with_call)
    return (ApIncomingDecision){ AP_INCOMING_AUTO_ANSWER, 0, self->answer_delay };
  if (self->answer_mode == AP_ANSWER_MODE_AUTO_REJECT)
    return (ApIncomingDecision){ AP_INCOMING_AUTO_REJECT, 486, self->answer_delay };
  return d;
}

ApAgentState
ap_agent_get_state (ApAgent *self)
{
  return self->state;
}

ApAnswerMode
ap_agent_get_answer_mode (ApAgent *self)
{
  return self->answer_mode;
}

guint
ap_agent_get_answer_delay (ApAgent *self)
{
  return self->answer_delay;
}

/** ap_agent_get_wrap_up_left: seconds of wrap-up left, for a countdown */
guint
ap_agent_get_wrap_up_left (ApAgent *self)
{
  return self->wrap_up_left;
}

static void
ap_agent_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  ApAgent *self = AP_AGENT (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_ANSWER_MODE:
      g_value_set_enum (value, self->answer_mode);
      break;
    case PROP_ANSWER_DELAY:
      g_value_set_uint (value, self->answer_delay);
      break;
    case PROP_WRAP_UP_LEFT:
      g_value_set_uint (value, self->wrap_up_left);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ap_agent_dispose (GObject *object)
{
  g_clear_handle_id (&AP_AGENT (object)->wrap_up_id, g_source_remove);
  G_OBJECT_CLASS (ap_agent_parent_class)->dispose (object);
}

static void
ap_agent_class_init (ApAgentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->get_property = ap_agent_get_property;
  object_class->dispose = ap_agent_dispose;

  props[PROP_STATE]
    = g_param_spec_enum ("state", NULL, NULL, AP_TYPE_AGENT_STATE, AP_AGENT_STATE_AVAILABLE, flags);
  props[PROP_ANSWER_MODE] = g_param_spec_enum ("answer-mode", NULL, NULL, AP_TYPE_ANSWER_MODE,
                                               AP_ANSWER_MODE_MANUAL, flags);
  props[PROP_ANSWER_DELAY]
    = g_param_spec_uint ("answer-delay", NULL, NULL, 0, MAX_DELAY_S, 0, flags);
  props[PROP_WRAP_UP_LEFT] = g_param_spec_uint ("wrap-up-left", NULL, NULL, 0, G_MAXUINT, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
ap_agent_init (ApAgent *self)
{
}

ApAgent *
ap_agent_new (void)
{
  return g_object_new (AP_TYPE_AGENT, NULL);
}
