/* ap-screen-share.c: sharing a screen or window in a video call (the
 * ScreenShare interface). The media engine lists the sources and does the
 * capture; this decides which call shares what, and when:
 * - `enabled` is the share switch. Start() turns it on and must share at
 *   once (it fails without a video call); turning the switch on by itself
 *   may also wait for the next video call.
 * - `active`: a call is sending the source instead of its camera now.
 * - The share follows the switch: the camera comes back when it is turned
 *   off, when the call drops its video, and when the share ends on its own
 *   (a shared window closed). When the shared call ends, the switch turns
 *   off, so a later call never shares without being asked. */
#define G_LOG_DOMAIN "Agentphone-core"

#include "ap-screen-share.h"

#include <glib/gi18n.h>

#include "ap-call-private.h"
#include "ap-error.h"
#include "ap-phone-private.h"

struct _ApScreenShare {
  GObject parent_instance;

  ApPhone *phone; /* owns us */
  guint64 source; /* 0: none chosen yet (the first screen is used) */
  gboolean enabled;
  ApCall *call;    /* the call sharing now, or NULL */
  guint shared_id; /* the call that shared last (its video may have gone first) */
};

enum { PROP_0, PROP_ENABLED, PROP_ACTIVE, PROP_SOURCE, N_PROPS };

static GParamSpec *props[N_PROPS];

G_DEFINE_FINAL_TYPE (ApScreenShare, ap_screen_share, G_TYPE_OBJECT)

static void reconcile (ApScreenShare *self);

/* A call that can carry a share: it has video and is up. Held counts, so
 * holding a shared call keeps its share. */
static gboolean
can_share (ApCall *call)
{
  return call->media != NULL && call->video != NULL && ap_call_video_get_active (call->video)
         && (call->state == AP_CALL_STATE_CONNECTED || call->state == AP_CALL_STATE_HELD);
}

static ApCall *
find_video_call (ApScreenShare *self)
{
  GListModel *calls = G_LIST_MODEL (self->phone->calls);

  if (self->call != NULL && can_share (self->call))
    return self->call;
  for (guint i = 0; i < g_list_model_get_n_items (calls); i++)
    {
      g_autoptr (ApCall) call = g_list_model_get_item (calls, i);

      if (can_share (call) && call->state == AP_CALL_STATE_CONNECTED)
        return call;
    }
  return NULL;
}

static void
set_call (ApScreenShare *self, ApCall *call)
{
  gboolean was_active = self->call != NULL;

  g_set_object (&self->call, call);
  if (was_active != (call != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ACTIVE]);
}

static void
set_enabled (ApScreenShare *self, gboolean enabled)
{
  if (self->enabled == !!enabled)
    return;
  self->enabled = !!enabled;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ENABLED]);
}

/* The media ended the share by itself; its camera is back. */
static void
on_share_ended (const char *message, gpointer user_data)
{
  ApScreenShare *self = user_data;

  g_warning ("The screen share ended: %s", message);
  set_call (self, NULL);
  set_enabled (self, FALSE);
}

/* The source to share: the chosen one, else the first screen. */
static guint64
pick_source (ApScreenShare *self, GError **error)
{
  g_autoptr (GPtrArray) sources = NULL;

  if (self->source != 0)
    return self->source;
  sources = ap_screen_share_list_sources (self, error);
  if (sources == NULL)
    return 0;
  for (guint i = 0; i < sources->len; i++)
    {
      ApScreenSource *source = g_ptr_array_index (sources, i);

      if (g_str_equal (source->kind, "screen"))
        {
          self->source = source->id;
          g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SOURCE]);
          return self->source;
        }
    }
  g_set_error (error, AP_ERROR, AP_ERROR_NO_SUCH_DEVICE,
               _ ("There is no screen to share: choose a window with SetSource"));
  return 0;
}

static gboolean
share_in (ApScreenShare *self, ApCall *call, GError **error)
{
  guint64 source = pick_source (self, error);

  if (source == 0
      || !ap_media_session_set_screen_source (call->media, source, on_share_ended, self, error))
    return FALSE;
  g_message ("Call %u shares the screen source %" G_GUINT64_FORMAT, call->id, source);
  self->shared_id = call->id;
  set_call (self, call);
  return TRUE;
}

static void
unshare (ApScreenShare *self)
{
  if (self->call == NULL)
    return;
  if (self->call->media != NULL)
    ap_media_session_set_screen_source (self->call->media, 0, NULL, NULL, NULL);
  g_message ("Call %u sends its camera again", self->call->id);
  set_call (self, NULL);
}

/* Makes the share follow the switch and the calls. */
static void
reconcile (ApScreenShare *self)
{
  g_autoptr (GError) error = NULL;
  ApCall *target = self->enabled ? find_video_call (self) : NULL;

  if (target == self->call)
    return;
  unshare (self);
  if (target != NULL && !share_in (self, target, &error))
    g_warning ("Cannot share the screen in call %u: %s", target->id, error->message);
}

static void
on_call_state_changed (ApCall *call, ApCallState state, guint code, const char *reason,
                       ApScreenShare *self)
{
  if (state == AP_CALL_STATE_ENDED && (call == self->call || call->id == self->shared_id))
    {
      /* Its media is gone; a later call must be asked again. */
      self->shared_id = 0;
      set_call (self, NULL);
      set_enabled (self, FALSE);
      return;
    }
  reconcile (self);
}

static void
on_call_video_changed (GObject *video, GParamSpec *pspec, ApScreenShare *self)
{
  reconcile (self);
}

static void
watch_call (ApScreenShare *self, ApCall *call)
{
  g_signal_connect_object (call, "state-changed", G_CALLBACK (on_call_state_changed), self, 0);
  g_signal_connect_object (ap_call_get_video (call), "notify::active",
                           G_CALLBACK (on_call_video_changed), self, 0);
}

static void
on_call_added (ApPhone *phone, ApCall *call, ApScreenShare *self)
{
  watch_call (self, call);
}

/**
 * ap_screen_share_list_sources:
 *
 * Returns: (transfer full) (element-type ApScreenSource): the screens and
 *   windows that can be shared now
 */
GPtrArray *
ap_screen_share_list_sources (ApScreenShare *self, GError **error)
{
  g_return_val_if_fail (AP_IS_SCREEN_SHARE (self), NULL);

  if (self->phone->media_factory == NULL)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_NOT_SUPPORTED,
                   _ ("There is no media engine to share the screen with"));
      return NULL;
    }
  return ap_media_factory_list_screen_sources (self->phone->media_factory, error);
}

static gboolean
is_listed (GPtrArray *sources, guint64 id)
{
  for (guint i = 0; i < sources->len; i++)
    if (((ApScreenSource *) g_ptr_array_index (sources, i))->id == id)
      return TRUE;
  return FALSE;
}

/**
 * ap_screen_share_set_source:
 * @id: one of ListSources' ids
 *
 * What to share; a share under way switches to it at once.
 */
gboolean
ap_screen_share_set_source (ApScreenShare *self, guint64 id, GError **error)
{
  g_autoptr (GPtrArray) sources = NULL;

  g_return_val_if_fail (AP_IS_SCREEN_SHARE (self), FALSE);

  if (id == 0)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT,
                   _ ("0 is not a screen or window: use an id from ListSources"));
      return FALSE;
    }
  sources = ap_screen_share_list_sources (self, error);
  if (sources == NULL)
    return FALSE;
  if (!is_listed (sources, id))
    {
      g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT, id);

      g_set_error (error, AP_ERROR, AP_ERROR_NO_SUCH_DEVICE,
                   _ ("There is no screen or window with the id %s (it may have closed): list "
                      "them again with ListSources"),
                   text);
      return FALSE;
    }
  if (self->call != NULL
      && !ap_media_session_set_screen_source (self->call->media, id, on_share_ended, self, error))
    return FALSE;
  if (self->source != id)
    {
      self->source = id;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SOURCE]);
    }
  return TRUE;
}

guint64
ap_screen_share_get_source (ApScreenShare *self)
{
  g_return_val_if_fail (AP_IS_SCREEN_SHARE (self), 0);
  return self->source;
}

/**
 * ap_screen_share_start:
 *
 * Shares the chosen source (by default the first screen) in the current
 * video call now, and turns the share switch on.
 */
gboolean
ap_screen_share_start (ApScreenShare *self, GError **error)
{
  ApCall *call;

  g_return_val_if_fail (AP_IS_SCREEN_SHARE (self), FALSE);

  call = find_video_call (self);
  if (call == NULL)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_STATE,
                   _ ("There is no video call to share the screen in: start a video call (or "
                      "add video to this one) first"));
      return FALSE;
    }
  if (call != self->call)
    {
      unshare (self);
      if (!share_in (self, call, error))
        return FALSE;
    }
  set_enabled (self, TRUE);
  return TRUE;
}

/** ap_screen_share_stop: the camera again, and the share switch off */
void
ap_screen_share_stop (ApScreenShare *self)
{
  g_return_if_fail (AP_IS_SCREEN_SHARE (self));
  set_enabled (self, FALSE);
  unshare (self);
}

/**
 * ap_screen_share_set_enabled:
 *
 * The share switch: on shares in the current video call, or in the next
 * call that has video; off brings the camera back.
 */
void
ap_screen_share_set_enabled (ApScreenShare *self, gboolean enabled)
{
  g_return_if_fail (AP_IS_SCREEN_SHARE (self));
  set_enabled (self, enabled);
  reconcile (self);
}

gboolean
ap_screen_share_get_enabled (ApScreenShare *self)
{
  g_return_val_if_fail (AP_IS_SCREEN_SHARE (self), FALSE);
  return self->enabled;
}

gboolean
ap_screen_share_get_active (ApScreenShare *self)
{
  g_return_val_if_fail (AP_IS_SCREEN_SHARE (self), FALSE);
  return self->call != NULL;
}

/**
 * ap_phone_get_screen_share:
 *
 * Returns: (transfer none): the phone's screen sharing, made on first use
 */
ApScreenShare *
ap_phone_get_screen_share (ApPhone *phone)
{
  GListModel *calls;

  g_return_val_if_fail (AP_IS_PHONE (phone), NULL);

  if (phone->screen_share == NULL)
    {
      phone->screen_share = g_object_new (AP_TYPE_SCREEN_SHARE, NULL);
      phone->screen_share->phone = phone;
      g_signal_connect_object (phone, "call-added", G_CALLBACK (on_call_added), phone->screen_share,
                               0);
      calls = G_LIST_MODEL (phone->calls);
      for (guint i = 0; i < g_list_model_get_n_items (calls); i++)
        {
          g_autoptr (ApCall) call = g_list_model_get_item (calls, i);

          watch_call (phone->screen_share, call);
        }
    }
  return phone->screen_share;
}

static void
ap_screen_share_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  ApScreenShare *self = AP_SCREEN_SHARE (object);

  switch (prop_id)
    {
    case PROP_ENABLED:
      g_value_set_boolean (value, self->enabled);
      break;
    case PROP_ACTIVE:
      g_value_set_boolean (value, self->call != NULL);
      break;
    case PROP_SOURCE:
      g_value_set_uint64 (value, self->source);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ap_screen_share_set_property (GObject *object, guint prop_id, const GValue *value,
                              GParamSpec *pspec)
{
  ApScreenShare *self = AP_SCREEN_SHARE (object);

  switch (prop_id)
    {
    case PROP_ENABLED:
      ap_screen_share_set_enabled (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ap_screen_share_dispose (GObject *object)
{
  ApScreenShare *self = AP_SCREEN_SHARE (object);

  g_clear_object (&self->call);
  G_OBJECT_CLASS (ap_screen_share_parent_class)->dispose (object);
}

static void
ap_screen_share_class_init (ApScreenShareClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->get_property = ap_screen_share_get_property;
  object_class->set_property = ap_screen_share_set_property;
  object_class->dispose = ap_screen_share_dispose;
  /** ApScreenShare:enabled: the share switch (ScreenShare.Enabled) */
  props[PROP_ENABLED]
    = g_param_spec_boolean ("enabled", NULL, NULL, FALSE, flags | G_PARAM_WRITABLE);
  /** ApScreenShare:active: a call sends the source instead of its camera now */
  props[PROP_ACTIVE] = g_param_spec_boolean ("active", NULL, NULL, FALSE, flags);
  /** ApScreenShare:source: the chosen source's id; 0: none yet (the first screen) */
  props[PROP_SOURCE] = g_param_spec_uint64 ("source", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
ap_screen_share_init (ApScreenShare *self)
{
}
