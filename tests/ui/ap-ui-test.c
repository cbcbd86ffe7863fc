/* ap-ui-test.c: what the UI tests share: screenshots saved as artefacts and
 * finding widgets the way a person sees them (by title, label or tooltip). */
#include "ap-ui-test.h"

/** ap_ui_test_screenshot: @widget as AP_ARTEFACT_DIR/@name-LANG.png (LANG: AP_SCREENSHOT_LANG or
 * "en") */
void
ap_ui_test_screenshot (GtkWidget *widget, const char *name)
{
  const char *dir = g_getenv ("AP_ARTEFACT_DIR");
  const char *lang = g_getenv ("AP_SCREENSHOT_LANG");
  g_autofree char *path = NULL;
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr (GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  g_assert_nonnull (dir);
  g_assert_cmpint (width, >, 0);
  g_mkdir_with_parents (dir, 0755);
  path = g_strdup_printf ("%s/%s-%s.png", dir, name, lang ? lang : "en");
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
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
