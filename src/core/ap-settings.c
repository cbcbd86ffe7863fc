/* ap-settings.c: validated, persisted settings (versioned JSON under XDG).
 *
 * Every key of the DBus contract's Configure() is described once in a table:
 * its GVariant type, default and check. Merging validates everything before
 * changing anything, so a bad value leaves the settings as they were. */
#define G_LOG_DOMAIN "Agentphone-core"

#include "ap-settings.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ap-error.h"
#include "ap-uri.h"

#define SETTINGS_VERSION 1

typedef struct _ApSettingSpec ApSettingSpec;
typedef gboolean (*ApSettingCheck) (const ApSettingSpec *spec, GVariant *value, GError **error);

struct _ApSettingSpec {
  const char *key;
  const char *type;
  const char *default_text; /* GVariant text format */
  ApSettingCheck check;
  const char *const *choices;
  guint min;
  guint max;
};

enum { SIGNAL_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

struct _ApSettings {
  GObject parent_instance;

  char *path;
  GHashTable *values;   /* key -> GVariant, only keys set explicitly */
  GHashTable *defaults; /* key -> GVariant, parsed once so getters can lend strings */
  char *account_uri;
  char *auth_user;
};

G_DEFINE_FINAL_TYPE (ApSettings, ap_settings, G_TYPE_OBJECT)

static gboolean check_choice (const ApSettingSpec *spec, GVariant *value, GError **error);
static gboolean check_range (const ApSettingSpec *spec, GVariant *value, GError **error);
static gboolean check_choice_list (const ApSettingSpec *spec, GVariant *value, GError **error);
static gboolean check_hostports (const ApSettingSpec *spec, GVariant *value, GError **error);
static gboolean check_hostport (const ApSettingSpec *spec, GVariant *value, GError **error);
static gboolean check_address (const ApSettingSpec *spec, GVariant *value, GError **error);
static gboolean check_proxy (const ApSettingSpec *spec, GVariant *value, GError **error);
static gboolean check_file (const ApSettingSpec *spec, GVariant *value, GError **error);
static gboolean check_text (const ApSettingSpec *spec, GVariant *value, GError **error);

static const char *const transports[] = { "udp", "tcp", "tls", NULL };
static const char *const srtp_modes[] = { "off", "optional", "mandatory", NULL };
static const char *const audio_codecs[] = { "opus", "g722", "pcma", "pcmu", NULL };
static const char *const video_codecs[] = { "vp8", "h264", NULL };
static const char *const dtmf_modes[] = { "rfc4733", "info", "inband", "auto", NULL };
static const char *const channel_modes[] = { "mixed", "stereo", NULL };
static const char *const video_layouts[] = { "picture-in-picture", "side-by-side", NULL };
static const char *const video_display_modes[] = { "letterbox", "crop", NULL };

static const ApSettingSpec specs[] = {
  { "server", "s", "''", check_hostport },
  { "port", "u", "uint32 0", check_range, NULL, 0, 65535 },
  { "transport", "s", "'udp'", check_choice, transports },
  { "local-port", "u", "uint32 0", check_range, NULL, 0, 65535 },
  { "local-address", "s", "''", check_address },
  { "backup-servers", "as", "@as []", check_hostports },
  { "outbound-proxy", "s", "''", check_proxy },
  { "tls-ca-file", "s", "''", check_file },
  { "tls-verify", "b", "true" },
  { "srtp", "s", "'optional'", check_choice, srtp_modes },
  { "audio-codecs", "as", "['opus', 'g722', 'pcma', 'pcmu']", check_choice_list, audio_codecs },
  { "video-codecs", "as", "['vp8', 'h264']", check_choice_list, video_codecs },
  { "video-layout", "s", "'picture-in-picture'", check_choice, video_layouts },
  { "video-display-mode", "s", "'letterbox'", check_choice, video_display_modes },
  { "dtmf-mode", "s", "'auto'", check_choice, dtmf_modes },
  { "echo-cancellation", "b", "true" },
  { "noise-suppression", "u", "uint32 2", check_range, NULL, 0, 4 },
  { "auto-gain", "b", "true" },
  { "register-expires", "u", "uint32 600", check_range, NULL, 10, 86400 },
  { "stun-server", "s", "''", check_hostport },
  { "user-agent", "s", "''", check_text },
  { "recordings-dir", "s", "''", check_text },
  { "auto-record", "b", "false" },
  { "recording-channels", "s", "'mixed'", check_choice, channel_modes },
  { "auto-answer-header", "b", "false" },
  { "auto-answer-trusted", "as", "@as []", check_hostports },
  { "rtp-timeout", "u", "uint32 60", check_range, NULL, 0, 3600 },
  { "ringtone", "s", "''", check_file },
  { "accept-direct-calls", "b", "true" },
  { "failback-interval", "u", "uint32 120", check_range, NULL, 1, 86400 },
  { "ring-timeout", "u", "uint32 120", check_range, NULL, 1, 3600 },
  /* Devices: the chosen ids ("" = the system default), kept while a device
   * is unplugged so it comes back into use when it returns; set by
   * Devices.Select(), which checks the id is present. */
  { "microphone", "s", "''", check_text },
  { "speaker", "s", "''", check_text },
  { "ringer", "s", "''", check_text },
  { "camera", "s", "''", check_text },
  { "microphone-volume", "u", "uint32 100", check_range, NULL, 0, 100 },
  { "speaker-volume", "u", "uint32 100", check_range, NULL, 0, 100 },
};

static const ApSettingSpec *
find_spec (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    if (g_str_equal (specs[i].key, key))
      return &specs[i];
  return NULL;
}

/* Returns a full (non-floating) reference, as g_variant_parse() does. */
static GVariant *
spec_default (const ApSettingSpec *spec)
{
  g_autoptr (GError) error = NULL;
  GVariant *value
    = g_variant_parse (G_VARIANT_TYPE (spec->type), spec->default_text, NULL, NULL, &error);

  g_assert_no_error (error);
  return value;
}

static gboolean
invalid (GError **error, const ApSettingSpec *spec, const char *why)
{
  g_set_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT, _ ("Setting “%s”: %s"), spec->key, why);
  return FALSE;
}

static gboolean
check_choice (const ApSettingSpec *spec, GVariant *value, GError **error)
{
  const char *text = g_variant_get_string (value, NULL);

  if (g_strv_contains (spec->choices, text))
    return TRUE;
  g_autofree char *list = g_strjoinv (", ", (char **) spec->choices);
  g_autofree char *why = g_strdup_printf (_ ("“%s” is not one of %s"), text, list);
  return invalid (error, spec, why);
}

static gboolean
check_range (const ApSettingSpec *spec, GVariant *value, GError **error)
{
  guint v = g_variant_get_uint32 (value);

  if (v >= spec->min && v <= spec->max)
    return TRUE;
  g_autofree char *why = g_strdup_printf (_ ("%u is outside %u…%u"), v, spec->min, spec->max);
  return invalid (error, spec, why);
}

static gboolean
check_choice_list (const ApSettingSpec *spec, GVariant *value, GError **error)
{
  g_autofree const char **items = g_variant_get_strv (value, NULL);

  if (items[0] == NULL)
    return invalid (error, spec, _ ("the list must not be empty"));
  for (guint i = 0; items[i]; i++)
    {
      if (!g_strv_contains (spec->choices, items[i]))
        {
          g_autofree char *list = g_strjoinv (", ", (char **) spec->choices);
          g_autofree char *why = g_strdup_printf (_ ("“%s” is not one of %s"), items[i], list);
          return invalid (error, spec, why);
        }
      for (guint j = 0; j < i; j++)
        if (g_str_equal (items[i], items[j]))
          return invalid (error, spec, _ ("a codec is listed twice"));
    }
  return TRUE;
}

static gboolean
check_hostport_text (const ApSettingSpec *spec, const char *text, gboolean allow_empty,
                     GError **error)
{
  if (*text == '\0' && allow_empty)
    return TRUE;
  if (!ap_uri_parse_hostport (text, NULL, NULL))
    {
      g_autofree char *why = g_strdup_printf (_ ("“%s” is not a host or host:port"), text);
      return invalid (error, spec, why);
    }
  return TRUE;
}

static gboolean
check_hostport (const ApSettingSpec *spec, GVariant *value, GError **error)
{
  return check_hostport_text (spec, g_variant_get_string (value, NULL), TRUE, error);
}

static gboolean
check_hostports (const ApSettingSpec *spec, GVariant *value, GError **error)
{
  g_autofree const char **items = g_variant_get_strv (value, NULL);

  for (guint i = 0; items[i]; i++)
    if (!check_hostport_text (spec, items[i], FALSE, error))
      return FALSE;
  return TRUE;
}

static gboolean
check_address (const ApSettingSpec *spec, GVariant *value, GError **error)
{
  const char *text = g_variant_get_string (value, NULL);

  if (*text == '\0' || g_hostname_is_ip_address (text))
    return TRUE;
  return invalid (error, spec, _ ("must be an IP address of this machine, or empty for all"));
}

static gboolean
check_proxy (const ApSettingSpec *spec, GVariant *value, GError **error)
{
  const char *text = g_variant_get_string (value, NULL);

  if (*text == '\0' || ap_uri_is_sip (text))
    return TRUE;
  return check_hostport_text (spec, text, FALSE, error);
}

static gboolean
check_file (const ApSettingSpec *spec, GVariant *value, GError **error)
{
  const char *text = g_variant_get_string (value, NULL);

  if (*text == '\0')
    return TRUE;
  if (!g_path_is_absolute (text))
    return invalid (error, spec, _ ("the path must be absolute"));
  if (!g_file_test (text, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *why = g_strdup_printf (_ ("“%s” is not a readable file"), text);
      return invalid (error, spec, why);
    }
  return TRUE;
}

static gboolean
check_text (const ApSettingSpec *spec, GVariant *value, GError **error)
{
  const char *text = g_variant_get_string (value, NULL);

  for (const char *p = text; *p; p++)
    if ((guchar) *p < 0x20)
      return invalid (error, spec, _ ("control characters are not allowed"));
  return TRUE;
}

static gboolean
validate (const char *key, GVariant *value, GError **error)
{
  const ApSettingSpec *spec = find_spec (key);

  if (spec == NULL)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT, _ ("Unknown setting “%s”"), key);
      return FALSE;
    }
  if (!g_variant_is_of_type (value, G_VARIANT_TYPE (spec->type)))
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT,
                   _ ("Setting “%s” must have type “%s”, not “%s”"), key, spec->type,
                   g_variant_get_type_string (value));
      return FALSE;
    }
  return spec->check == NULL || spec->check (spec, value, error);
}

static void
ap_settings_finalize (GObject *object)
{
  ApSettings *self = AP_SETTINGS (object);

  g_free (self->path);
  g_hash_table_unref (self->values);
  g_hash_table_unref (self->defaults);
  g_free (self->account_uri);
  g_free (self->auth_user);
  G_OBJECT_CLASS (ap_settings_parent_class)->finalize (object);
}

static void
ap_settings_class_init (ApSettingsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ap_settings_finalize;

  /**
   * ApSettings::changed:
   * @keys: the keys whose values changed (a %NULL-terminated array)
   */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRV);
}

static void
ap_settings_init (ApSettings *self)
{
  self->values
    = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_variant_unref);
  self->defaults
    = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_variant_unref);
  self->account_uri = g_strdup ("");
  self->auth_user = g_strdup ("");
}

/**
 * ap_settings_new:
 * @path: (nullable): the JSON file, or %NULL to keep settings in memory
 */
ApSettings *
ap_settings_new (const char *path)
{
  ApSettings *self = g_object_new (AP_TYPE_SETTINGS, NULL);

  self->path = g_strdup (path);
  return self;
}

const char *
ap_settings_get_path (ApSettings *self)
{
  g_return_val_if_fail (AP_IS_SETTINGS (self), NULL);
  return self->path;
}

/* json-glib keeps only the low 32 bits of a too large number: check first. */
static gboolean
json_fits (JsonNode *node, const char *type)
{
  gint64 v;

  if (!g_str_equal (type, "u") || JSON_NODE_TYPE (node) != JSON_NODE_VALUE
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return TRUE;
  v = json_node_get_int (node);
  return v >= 0 && v <= G_MAXUINT32;
}

static void
load_settings_object (ApSettings *self, JsonObject *object)
{
  g_autoptr (GList) members = json_object_get_members (object);

  for (GList *l = members; l; l = l->next)
    {
      const char *key = l->data;
      const ApSettingSpec *spec = find_spec (key);
      g_autoptr (GError) error = NULL;
      g_autoptr (GVariant) value = NULL;

      if (spec == NULL)
        {
          g_warning ("Ignoring unknown setting “%s” in %s", key, self->path);
          continue;
        }
      if (!json_fits (json_object_get_member (object, key), spec->type))
        {
          g_warning ("Ignoring setting “%s” in %s: the number is out of range", key, self->path);
          continue;
        }
      value = json_gvariant_deserialize (json_object_get_member (object, key), spec->type, &error);
      if (value)
        g_variant_ref_sink (value);
      /* json-glib can refuse a value without saying why (found by fuzzing). */
      if (value == NULL || !validate (key, value, &error))
        {
          g_warning ("Ignoring setting “%s” in %s: %s", key, self->path,
                     error ? error->message : "not a value of its type");
          continue;
        }
      g_hash_table_replace (self->values, g_strdup (key), g_steal_pointer (&value));
    }
}

static void
load_account_object (ApSettings *self, JsonObject *object)
{
  const char *uri = json_object_get_string_member_with_default (object, "uri", "");
  const char *user = json_object_get_string_member_with_default (object, "auth-user", "");

  if (*uri && !ap_uri_is_account (uri))
    {
      g_warning ("Ignoring account “%s” in %s: not a sip: address with a user", uri, self->path);
      return;
    }
  g_free (self->account_uri);
  self->account_uri = g_strdup (uri);
  g_free (self->auth_user);
  self->auth_user = g_strdup (user);
}

/* A file we cannot read is moved aside rather than overwritten, so a person
 * can still recover what was in it. */
static void
set_aside (const char *path, const char *why)
{
  g_autofree char *aside
    = g_strdup_printf ("%s.corrupt-%" G_GINT64_FORMAT, path, g_get_real_time () / G_USEC_PER_SEC);

  if (g_rename (path, aside) == 0)
    g_warning ("Settings file %s is unreadable (%s); moved it to %s and started from defaults",
               path, why, aside);
  else
    g_warning ("Settings file %s is unreadable (%s) and could not be moved aside: %s", path, why,
               g_strerror (errno));
}

/**
 * ap_settings_load:
 *
 * Reads the file. A missing file is not an error; a corrupt one is set aside
 * and the defaults are used.
 */
gboolean
ap_settings_load (ApSettings *self, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local_error = NULL;
  JsonNode *root;
  JsonObject *object;

  g_return_val_if_fail (AP_IS_SETTINGS (self), FALSE);

  if (self->path == NULL || !g_file_test (self->path, G_FILE_TEST_EXISTS))
    return TRUE;
  if (!json_parser_load_from_file (parser, self->path, &local_error))
    {
      set_aside (self->path, local_error->message);
      return TRUE;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      set_aside (self->path, "not a JSON object");
      return TRUE;
    }
  object = json_node_get_object (root);
  if (json_object_get_int_member_with_default (object, "version", 0) > SETTINGS_VERSION)
    g_warning ("%s was written by a newer Agentphone; reading what this version knows", self->path);
  if (json_object_has_member (object, "settings")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "settings")))
    load_settings_object (self, json_object_get_object_member (object, "settings"));
  if (json_object_has_member (object, "account")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "account")))
    load_account_object (self, json_object_get_object_member (object, "account"));
  return TRUE;
}

static JsonNode *
build_json (ApSettings *self)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (GList) keys = g_hash_table_get_keys (self->values);

  keys = g_list_sort (keys, (GCompareFunc) g_strcmp0);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, SETTINGS_VERSION);
  json_builder_set_member_name (builder, "settings");
  json_builder_begin_object (builder);
  for (GList *l = keys; l; l = l->next)
    {
      json_builder_set_member_name (builder, l->data);
      json_builder_add_value (
        builder, json_gvariant_serialize (g_hash_table_lookup (self->values, l->data)));
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "account");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "uri");
  json_builder_add_string_value (builder, self->account_uri);
  json_builder_set_member_name (builder, "auth-user");
  json_builder_add_string_value (builder, self->auth_user);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/**
 * ap_settings_save:
 *
 * Writes the file atomically, readable by the user only.
 */
gboolean
ap_settings_save (ApSettings *self, GError **error)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *text = NULL;
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (AP_IS_SETTINGS (self), FALSE);

  if (self->path == NULL)
    return TRUE;
  dir = g_path_get_dirname (self->path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, AP_ERROR, AP_ERROR_FAILED, _ ("Cannot create the settings folder %s: %s"),
                   dir, g_strerror (errno));
      return FALSE;
    }
  root = build_json (self);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  if (!g_file_set_contents_full (self->path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                 &local_error))
    {
      g_set_error (error, AP_ERROR, AP_ERROR_FAILED, _ ("Cannot save settings: %s"),
                   local_error->message);
      return FALSE;
    }
  return TRUE;
}

/**
 * ap_settings_merge:
 * @settings: an `a{sv}` of contract keys
 *
 * Validates every entry, then applies and saves them all; on any error
 * nothing changes. Emits #ApSettings::changed with the keys whose values
 * really changed.
 */
gboolean
ap_settings_merge (ApSettings *self, GVariant *settings, GError **error)
{
  g_autoptr (GHashTable) before = NULL;
  g_autoptr (GPtrArray) changed = g_ptr_array_new_with_free_func (g_free);
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_return_val_if_fail (AP_IS_SETTINGS (self), FALSE);

  if (!g_variant_is_of_type (settings, G_VARIANT_TYPE_VARDICT))
    {
      g_set_error (error, AP_ERROR, AP_ERROR_INVALID_ARGUMENT,
                   _ ("Settings must be a dictionary of type a{sv}"));
      return FALSE;
    }
  g_variant_iter_init (&iter, settings);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      gboolean ok = validate (key, value, error);

      g_variant_unref (value);
      if (!ok)
        return FALSE;
    }

  before
    = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_variant_unref);
  {
    GHashTableIter hi;
    gpointer k, v;

    g_hash_table_iter_init (&hi, self->values);
    while (g_hash_table_iter_next (&hi, &k, &v))
      g_hash_table_insert (before, g_strdup (k), g_variant_ref (v));
  }

  /* A dictionary may repeat a key: the last value wins, and a key counts as
   * changed only if its final value differs from the one before. */
  g_variant_iter_init (&iter, settings);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    g_hash_table_replace (self->values, g_strdup (key), value);
  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    {
      GVariant *old = g_hash_table_lookup (before, specs[i].key);
      GVariant *now = g_hash_table_lookup (self->values, specs[i].key);
      g_autoptr (GVariant) old_default = old ? NULL : spec_default (&specs[i]);

      if (now && !g_variant_equal (old ? old : old_default, now))
        g_ptr_array_add (changed, g_strdup (specs[i].key));
    }

  if (!ap_settings_save (self, error))
    {
      /* Put back what was there: a failed save changes nothing. */
      g_hash_table_unref (self->values);
      self->values = g_steal_pointer (&before);
      return FALSE;
    }
  if (changed->len > 0)
    {
      g_ptr_array_add (changed, NULL);
      g_signal_emit (self, signals[SIGNAL_CHANGED], 0, (GStrv) changed->pdata);
    }
  return TRUE;
}

/**
 * ap_settings_to_variant:
 *
 * Returns: (transfer full): every contract key with its current value, as a
 * floating-free `a{sv}`.
 */
GVariant *
ap_settings_to_variant (ApSettings *self)
{
  GVariantBuilder builder;

  g_return_val_if_fail (AP_IS_SETTINGS (self), NULL);

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    {
      g_autoptr (GVariant) value = ap_settings_get_value (self, specs[i].key);

      g_variant_builder_add (&builder, "{sv}", specs[i].key, value);
    }
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

/**
 * ap_settings_get_value:
 *
 * Returns: (transfer full): the value of @key, or its default.
 */
GVariant *
ap_settings_get_value (ApSettings *self, const char *key)
{
  const ApSettingSpec *spec = find_spec (key);
  GVariant *value;

  g_return_val_if_fail (AP_IS_SETTINGS (self), NULL);
  g_return_val_if_fail (spec != NULL, NULL);

  value = g_hash_table_lookup (self->values, key);
  if (value)
    return g_variant_ref (value);
  return spec_default (spec);
}

static GVariant *
peek_value (ApSettings *self, const char *key, const char *type)
{
  GVariant *value = g_hash_table_lookup (self->values, key);
  const ApSettingSpec *spec = find_spec (key);

  g_return_val_if_fail (spec != NULL && g_str_equal (spec->type, type), NULL);
  if (value == NULL)
    value = g_hash_table_lookup (self->defaults, spec->key);
  if (value == NULL)
    {
      value = spec_default (spec);
      g_hash_table_insert (self->defaults, (gpointer) spec->key, value);
    }
  return value;
}

const char *
ap_settings_get_string (ApSettings *self, const char *key)
{
  g_return_val_if_fail (AP_IS_SETTINGS (self), NULL);
  return g_variant_get_string (peek_value (self, key, "s"), NULL);
}

guint
ap_settings_get_uint (ApSettings *self, const char *key)
{
  g_return_val_if_fail (AP_IS_SETTINGS (self), 0);
  return g_variant_get_uint32 (peek_value (self, key, "u"));
}

gboolean
ap_settings_get_boolean (ApSettings *self, const char *key)
{
  g_return_val_if_fail (AP_IS_SETTINGS (self), FALSE);
  return g_variant_get_boolean (peek_value (self, key, "b"));
}

/**
 * ap_settings_get_strv:
 *
 * Returns: (transfer full): a copy of the list
 */
GStrv
ap_settings_get_strv (ApSettings *self, const char *key)
{
  g_return_val_if_fail (AP_IS_SETTINGS (self), NULL);
  return g_variant_dup_strv (peek_value (self, key, "as"), NULL);
}

const char *
ap_settings_get_account_uri (ApSettings *self)
{
  g_return_val_if_fail (AP_IS_SETTINGS (self), NULL);
  return self->account_uri;
}

const char *
ap_settings_get_auth_user (ApSettings *self)
{
  g_return_val_if_fail (AP_IS_SETTINGS (self), NULL);
  return self->auth_user;
}

/**
 * ap_settings_set_account:
 *
 * Remembers the account (never its password) and saves.
 */
gboolean
ap_settings_set_account (ApSettings *self, const char *uri, const char *auth_user, GError **error)
{
  g_autofree char *old_uri = NULL;
  g_autofree char *old_user = NULL;

  g_return_val_if_fail (AP_IS_SETTINGS (self), FALSE);

  old_uri = g_steal_pointer (&self->account_uri);
  old_user = g_steal_pointer (&self->auth_user);
  self->account_uri = g_strdup (uri ? uri : "");
  self->auth_user = g_strdup (auth_user ? auth_user : "");
  if (!ap_settings_save (self, error))
    {
      g_free (self->account_uri);
      g_free (self->auth_user);
      self->account_uri = g_steal_pointer (&old_uri);
      self->auth_user = g_steal_pointer (&old_user);
      return FALSE;
    }
  return TRUE;
}

gboolean
ap_settings_is_known_key (const char *key)
{
  return find_spec (key) != NULL;
}

/**
 * ap_settings_check:
 * @value: (transfer none): a value for @key, floating or not
 *
 * Validates one value exactly as Configure() would, changing nothing: the
 * window's inline validation uses it so both faces agree on what is valid.
 */
gboolean
ap_settings_check (const char *key, GVariant *value, GError **error)
{
  g_autoptr (GVariant) held = g_variant_ref_sink (value);

  g_return_val_if_fail (key != NULL, FALSE);
  return validate (key, held, error);
}
