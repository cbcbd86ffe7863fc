/* ap-ui-test.c: helpers shared by the window tests. */
#include "ap-ui-test.h"
#include "ap-sidebar.h"

#include "ap-test-harness.h"

static const char notifications_xml[]
  = "<node><interface name='org.freedesktop.Notifications'>"
    "<method name='Notify'><arg type='s' direction='in'/><arg type='u' direction='in'/>"
    "<arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='s' direction='in'/>"
    "<arg type='as' direction='in'/><arg type='a{sv}' direction='in'/>"
    "<arg type='i' direction='in'/><arg type='u' direction='out'/></method>"
    "<method name='CloseNotification'><arg type='u' direction='in'/></method>"
    "<method name='GetCapabilities'><arg type='as' direction='out'/></method>"
    "<signal name='ActionInvoked'><arg type='u'/><arg type='s'/></signal>"
    "</interface></node>";

static void
on_notifications_call (GDBusConnection *connection, const char *sender, const char *path,
                       const char *interface, const char *method, GVariant *parameters,
                       GDBusMethodInvocation *invocation, gpointer data)
{
  ApFakeNotifications *n = data;

  if (g_str_equal (method, "Notify"))
    {
      g_clear_pointer (&n->last_summary, g_free);
      g_clear_pointer (&n->last_body, g_free);
      g_clear_pointer (&n->last_actions, g_strfreev);
      g_variant_get (parameters, "(&su&sss^as@a{sv}i)", NULL, NULL, NULL, &n->last_summary,
                     &n->last_body, &n->last_actions, NULL, NULL);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", ++n->last_id));
    }
  else if (g_str_equal (method, "CloseNotification"))
    {
      n->closed++;
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else
    g_dbus_method_invocation_return_value (invocation, g_variant_new_parsed ("(@as ['actions'],)"));
}

void
ap_fake_notifications_start (ApFakeNotifications *n, const char *address)
{
  static const GDBusInterfaceVTable vtable = { on_notifications_call };
  g_autoptr (GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (notifications_xml, NULL);
  g_autoptr (GError) error = NULL;

  n->connection = g_dbus_connection_new_for_address_sync (
    address,
    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
    NULL, NULL, &error);
  g_assert_no_error (error);
  n->object_id = g_dbus_connection_register_object (n->connection, "/org/freedesktop/Notifications",
                                                    info->interfaces[0], &vtable, n, NULL, &error);
  g_assert_no_error (error);
  n->owner_id = g_bus_own_name_on_connection (n->connection, "org.freedesktop.Notifications",
                                              G_BUS_NAME_OWNER_FLAGS_NONE, NULL, NULL, NULL, NULL);
}

void
ap_fake_notifications_press (ApFakeNotifications *n, const char *label)
{
  for (guint i = 0; n->last_actions && n->last_actions[i] && n->last_actions[i + 1]; i += 2)
    if (g_str_equal (n->last_actions[i + 1], label))
      {
        g_dbus_connection_emit_signal (
          n->connection, NULL, "/org/freedesktop/Notifications", "org.freedesktop.Notifications",
          "ActionInvoked", g_variant_new ("(us)", n->last_id, n->last_actions[i]), NULL);
        return;
      }
  g_assert_not_reached ();
}

void
ap_ui_save_screenshot (GtkWidget *widget, const char *name)
{
  const char *dir = g_getenv ("AP_ARTEFACT_DIR");
  g_autofree char *path = NULL;
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr (GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  /* Let a frame lay out and draw what just changed. */
  ap_test_sleep (300);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  g_assert_nonnull (dir);
  g_assert_cmpint (width, >, 0);
  g_mkdir_with_parents (dir, 0755);
  path = g_strdup_printf ("%s/%s.png", dir, name);
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

/* Depth-first search for a widget by its name (gtk_widget_set_name). */
GtkWidget *
ap_ui_find_named (GtkWidget *root, const char *name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (g_strcmp0 (gtk_widget_get_name (child), name) == 0)
        return child;
      found = ap_ui_find_named (child, name);
      if (found)
        return found;
    }
  return NULL;
}

static gboolean
has_text (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && *gtk_label_get_text (GTK_LABEL (widget)))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    if (has_text (child))
      return TRUE;
  return FALSE;
}

/* Every visible control says what it does, in words: icon-only buttons
 * through their tooltip (and accessible label). */
void
ap_ui_assert_buttons_named (GtkWidget *root)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    {
      /* A menu button's inner toggle is named by the menu button. */
      if ((GTK_IS_BUTTON (child) || GTK_IS_MENU_BUTTON (child)) && gtk_widget_get_visible (child)
          && !GTK_IS_MENU_BUTTON (root) && !has_text (child))
        {
          const char *tooltip = gtk_widget_get_tooltip_text (child);

          if (tooltip == NULL || *tooltip == '\0')
            g_error ("Button “%s” says nothing of what it does", gtk_widget_get_name (child));
        }
      ap_ui_assert_buttons_named (child);
    }
}

static gboolean
trigger_matches (GtkShortcutTrigger *trigger, guint keyval, GdkModifierType mods)
{
  if (GTK_IS_ALTERNATIVE_TRIGGER (trigger))
    return trigger_matches (gtk_alternative_trigger_get_first (GTK_ALTERNATIVE_TRIGGER (trigger)),
                            keyval, mods)
           || trigger_matches (
             gtk_alternative_trigger_get_second (GTK_ALTERNATIVE_TRIGGER (trigger)), keyval, mods);
  return GTK_IS_KEYVAL_TRIGGER (trigger)
         && gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval
         && gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == mods;
}

/* GTK 4 has no public way to inject key events: find the window's shortcut
 * for @accel in its own controllers (the table a real key press is matched
 * against) and run its action. */
void
ap_ui_press (GtkWidget *window, const char *accel)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (window);
  guint keyval;
  GdkModifierType mods;

  g_assert_true (gtk_accelerator_parse (accel, &keyval, &mods));
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr (GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (trigger_matches (gtk_shortcut_get_trigger (shortcut), keyval, mods))
            {
              g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0,
                                                           window,
                                                           gtk_shortcut_get_arguments (shortcut)));
              return;
            }
        }
    }
  g_error ("No shortcut for %s", accel);
}

/** ap_ui_test_screenshot: @widget as AP_ARTEFACT_DIR/@name-LANG.png (LANG:
 * AP_SCREENSHOT_LANG or "en"), for tests that run once per language */
void
ap_ui_test_screenshot (GtkWidget *widget, const char *name)
{
  const char *lang = g_getenv ("AP_SCREENSHOT_LANG");
  g_autofree char *full = g_strdup_printf ("%s-%s", name, lang ? lang : "en");

  ap_ui_save_screenshot (widget, full);
}

/* Depth-first: the first widget of @type whose title (rows), label or
 * tooltip (buttons) is @title, or that has the CSS class @title (labels). */
GtkWidget *
ap_ui_test_find (GtkWidget *root, GType type, const char *title)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type)
          && (title == NULL
              || (ADW_IS_PREFERENCES_ROW (child)
                  && g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)),
                                       title))
              || (GTK_IS_BUTTON (child)
                  && (g_strcmp0 (gtk_button_get_label (GTK_BUTTON (child)), title) == 0
                      || g_strcmp0 (gtk_widget_get_tooltip_text (child), title) == 0))
              || (GTK_IS_LABEL (child) && gtk_widget_has_css_class (child, title))))
        return child;
      found = ap_ui_test_find (child, type, title);
      if (found)
        return found;
    }
  return NULL;
}

void
ap_ui_test_collect_rows (GtkWidget *root, GPtrArray *rows)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    {
      if (ADW_IS_ACTION_ROW (child))
        g_ptr_array_add (rows, child);
      ap_ui_test_collect_rows (child, rows);
    }
}

/** ap_ui_test_main_stack: the stack of pages the window's sidebar switches */
GtkStack *
ap_ui_test_main_stack (GtkWidget *window)
{
  GtkWidget *sidebar = ap_ui_test_find (window, AP_TYPE_SIDEBAR, NULL);

  g_assert_nonnull (sidebar);
  g_assert_nonnull (ap_sidebar_get_stack (AP_SIDEBAR (sidebar)));
  return ap_sidebar_get_stack (AP_SIDEBAR (sidebar));
}
