/* ap-call-export-video.c: the video part of a call on the bus: the Video
 * and VideoCodec properties, VideoRequested, and RequestVideo, Snapshot,
 * SnapshotBase64 and RecordClip, each calling the core like the window
 * would. */
#define G_LOG_DOMAIN "Agentphone-dbus"

#include "ap-call-export-video.h"

#include <glib/gi18n.h>

#include "ap-call-video.h"
#include "ap-error.h"

static ApCallVideo *
video_of (ApCallExport *self)
{
  return ap_call_get_video (ap_call_export_get_call (self));
}

static gboolean
on_request_video (ApCallExport *self, GDBusMethodInvocation *invocation, gboolean enable)
{
  g_autoptr (GError) error = NULL;

  if (!ap_call_video_request (video_of (self), enable, &error))
    g_dbus_method_invocation_return_gerror (invocation, error);
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_snapshot (ApCallExport *self, GDBusMethodInvocation *invocation, const char *path)
{
  ApSettings *settings = ap_phone_get_settings (ap_call_export_get_phone (self));
  const char *dir = settings ? ap_settings_get_string (settings, "recordings-dir") : NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *saved = ap_call_video_snapshot_to_file (video_of (self), path, dir, &error);

  if (saved == NULL)
    g_dbus_method_invocation_return_gerror (invocation, error);
  else
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(s)", saved));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_snapshot_base64 (ApCallExport *self, GDBusMethodInvocation *invocation)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *png = ap_call_video_snapshot_base64 (video_of (self), &error);

  if (png == NULL)
    g_dbus_method_invocation_return_gerror (invocation, error);
  else
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(s)", png));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
on_clip_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GDBusMethodInvocation) invocation = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *clip = ap_call_video_record_clip_finish (AP_CALL_VIDEO (source), result, &error);

  if (clip == NULL)
    g_dbus_method_invocation_return_gerror (invocation, error);
  else
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(s)", clip));
}

static gboolean
on_record_clip (ApCallExport *self, GDBusMethodInvocation *invocation, guint seconds)
{
  ap_call_video_record_clip_async (video_of (self), seconds, NULL, on_clip_done,
                                   g_object_ref (invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
on_video_requested (ApCallVideo *video, ApDbusCall *skeleton)
{
  ap_dbus_call_emit_video_requested (skeleton);
}

/**
 * ap_call_export_video_connect:
 *
 * Binds the call's video to @skeleton and handles its video methods; the
 * handlers go with @self (the export disconnects what it owns).
 */
void
ap_call_export_video_connect (ApCallExport *self, ApDbusCall *skeleton)
{
  ApCallVideo *video = video_of (self);

  g_object_bind_property (video, "active", skeleton, "video", G_BINDING_SYNC_CREATE);
  g_object_bind_property (video, "codec", skeleton, "video-codec", G_BINDING_SYNC_CREATE);
  g_signal_connect_object (video, "requested", G_CALLBACK (on_video_requested), skeleton, 0);
  g_signal_connect_swapped (skeleton, "handle-request-video", G_CALLBACK (on_request_video), self);
  g_signal_connect_swapped (skeleton, "handle-snapshot", G_CALLBACK (on_snapshot), self);
  g_signal_connect_swapped (skeleton, "handle-snapshot-base64", G_CALLBACK (on_snapshot_base64),
                            self);
  g_signal_connect_swapped (skeleton, "handle-record-clip", G_CALLBACK (on_record_clip), self);
}
