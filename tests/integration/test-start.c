/* What a headless phone loads at start, and that what it defers is still
 * right when asked for: no GTK at all (the window is a module), and no
 * GStreamer device monitor (nor the sound server's client library) until
 * the devices are first used; then the Devices properties, read first
 * thing by a raw Properties.Get, already say what is plugged in, and plug
 * events follow. */
#include <string.h>

#include "ap-test-calls.h"
#include "ap-test-sound.h"

#define DEVICES "io.github.agentphone.Devices"

static char *
read_maps (ApTestPhone *phone)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/maps", (int) ap_test_phone_get_pid (phone));
  g_autoptr (GError) error = NULL;
  char *maps = NULL;

  g_file_get_contents (path, &maps, NULL, &error);
  g_assert_no_error (error);
  return maps;
}

static char *
get_string (ApTestBus *bus, const char *property)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) reply = g_dbus_connection_call_sync (
    ap_test_bus_get_connection (bus), "io.github.agentphone.Agentphone",
    "/io/github/agentphone/Agentphone", "org.freedesktop.DBus.Properties", "Get",
    g_variant_new ("(ss)", DEVICES, property), G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, 5000,
    NULL, &error);
  g_autoptr (GVariant) value = NULL;

  g_assert_no_error (error);
  g_variant_get (reply, "(v)", &value);
  return g_variant_dup_string (value, NULL);
}

static void
on_devices_changed (ApDbusDevices *proxy, guint *changed)
{
  (*changed)++;
}

static gboolean
counted (gpointer data)
{
  return *(guint *) data > 0;
}

/* The chosen speaker, plugged in, is used again. */
static gboolean
speaker_back (gpointer data)
{
  return g_strcmp0 (ap_dbus_devices_get_speaker (data), "unplugged-speaker") == 0;
}

/* A sound server with a microphone "mic1", and a phone that chose it and a
 * speaker that is not plugged in; settled, with nothing asked of it yet. */
static ApTestPhone *
start_idle_phone (ApTestSound *sound, ApTestBus *bus)
{
  g_autofree char *home = ap_test_make_dir ("phone");
  g_autofree char *config = g_build_filename (home, "config", "agentphone", NULL);
  g_autofree char *settings = g_build_filename (config, "settings.json", NULL);
  const char *env[] = { ap_test_sound_env (sound), NULL };
  ApTestPhone *phone;
  g_autofree char *maps = NULL;

  g_free (ap_test_sound_pactl (sound, "load-module module-null-sink sink_name=feed1"));
  g_free (ap_test_sound_pactl (sound, "load-module module-remap-source source_name=mic1 "
                                      "master=feed1.monitor"));
  g_mkdir_with_parents (config, 0700);
  g_assert_true (
    g_file_set_contents (settings,
                         "{\"version\": 1, \"settings\": {\"local-address\": \"127.0.0.1\", "
                         "\"microphone\": \"mic1\", \"speaker\": \"unplugged-speaker\"}}",
                         -1, NULL));
  phone = ap_test_phone_start (bus, home, env);
  g_assert_cmpuint (ap_test_phone_get_listen_port (phone), >, 0);
  ap_test_sleep (500);

  /* Serving the bus and SIP needs neither the window nor the devices. */
  maps = read_maps (phone);
  g_assert_null (strstr (maps, "libgtk-4"));
  g_assert_null (strstr (maps, "libadwaita"));
  g_assert_null (strstr (maps, "libpulse"));
  g_assert_null (strstr (maps, "libgstpulseaudio"));
  return phone;
}

static void
test_devices_deferred (void)
{
  g_autoptr (ApTestSound) sound = ap_test_sound_new ();
  g_autoptr (ApTestBus) bus = ap_test_bus_new ();
  g_autoptr (ApTestPhone) phone = start_idle_phone (sound, bus);
  g_autoptr (ApDbusDevices) devices = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *maps = NULL;
  g_autofree char *microphone = NULL;
  g_autofree char *speaker = NULL;
  guint changed = 0;

  /* The first read of all: already what is plugged in. */
  microphone = get_string (bus, "Microphone");
  g_assert_cmpstr (microphone, ==, "mic1");
  speaker = get_string (bus, "Speaker");
  g_assert_cmpstr (speaker, ==, "");
  maps = read_maps (phone);
  g_assert_nonnull (strstr (maps, "libpulse"));

  /* Watching from then on: a plugged device is announced. */
  devices = ap_dbus_devices_proxy_new_sync (
    ap_test_bus_get_connection (bus), G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START,
    "io.github.agentphone.Agentphone", "/io/github/agentphone/Agentphone", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ap_dbus_devices_get_microphone (devices), ==, "mic1");
  g_signal_connect (devices, "devices-changed", G_CALLBACK (on_devices_changed), &changed);
  g_free (ap_test_sound_pactl (sound, "load-module module-null-sink sink_name=unplugged-speaker"));
  g_assert_true (ap_test_run_until (counted, &changed, 5000));
  g_assert_true (ap_test_run_until (speaker_back, devices, 5000));
}

/* GetAll (what a proxy reads first) is a first read too. */
static void
test_devices_get_all_first (void)
{
  g_autoptr (ApTestSound) sound = ap_test_sound_new ();
  g_autoptr (ApTestBus) bus = ap_test_bus_new ();
  g_autoptr (ApTestPhone) phone = start_idle_phone (sound, bus);
  g_autoptr (GError) error = NULL;
  g_autoptr (ApDbusDevices) devices = ap_dbus_devices_proxy_new_sync (
    ap_test_bus_get_connection (bus), G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START,
    "io.github.agentphone.Agentphone", "/io/github/agentphone/Agentphone", NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (ap_dbus_devices_get_microphone (devices), ==, "mic1");
  g_assert_cmpstr (ap_dbus_devices_get_speaker (devices), ==, "");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/start/devices-deferred", test_devices_deferred);
  g_test_add_func ("/start/devices-get-all-first", test_devices_get_all_first);
  return g_test_run ();
}
