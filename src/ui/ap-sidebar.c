/* ap-sidebar.c: the window's list of pages.
 *
 * GtkStackSidebar shows titles only; agents find pages faster by their
 * icons, and the missed-call count belongs beside "History" as a badge.
 * So: a GtkListBox bound to the stack's pages (a row per page, icon, title
 * and an optional badge), following the stack both ways. Arrow keys move
 * between rows and switch pages, as GtkStackSidebar does. */
#define G_LOG_DOMAIN "Agentphone-ui"

#include "config.h"

#include "ap-sidebar.h"

#include <glib/gi18n.h>

enum { PROP_0, PROP_STACK, N_PROPS };
static GParamSpec *props[N_PROPS];

struct _ApSidebar {
  GtkWidget parent_instance;

  GtkListBox *list;
  GtkStack *stack;
  GHashTable *badges; /* page name → GtkLabel (the row's badge) */
  gboolean syncing;
};

G_DEFINE_FINAL_TYPE (ApSidebar, ap_sidebar, GTK_TYPE_WIDGET)

static GtkWidget *
create_row (gpointer item, gpointer data)
{
  ApSidebar *self = data;
  GtkStackPage *page = item;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *badge = gtk_label_new (NULL);
  g_autofree char *name = g_strdup_printf ("page-%s", gtk_stack_page_get_name (page));

  gtk_widget_set_name (row, name);
  g_object_set_data (G_OBJECT (row), "ap-page", page);
  g_object_bind_property (page, "icon-name", icon, "icon-name", G_BINDING_SYNC_CREATE);
  g_object_bind_property (page, "title", title, "label", G_BINDING_SYNC_CREATE);
  g_object_bind_property (page, "visible", row, "visible", G_BINDING_SYNC_CREATE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_RELATION_LABELLED_BY, title,
                                  NULL, -1);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_widget_set_name (badge, "badge");
  gtk_widget_add_css_class (badge, "ap-badge");
  gtk_widget_set_visible (badge, FALSE);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), badge);
  gtk_widget_set_margin_top (box, 9);
  gtk_widget_set_margin_bottom (box, 9);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_hash_table_replace (self->badges, g_strdup (gtk_stack_page_get_name (page)), badge);
  return row;
}

static void
select_visible (ApSidebar *self)
{
  GtkWidget *child = gtk_stack_get_visible_child (self->stack);

  for (int i = 0;; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->list, i);

      if (row == NULL)
        break;
      if (gtk_stack_page_get_child (g_object_get_data (G_OBJECT (row), "ap-page")) == child)
        {
          self->syncing = TRUE;
          gtk_list_box_select_row (self->list, row);
          self->syncing = FALSE;
          return;
        }
    }
}

static void
on_row_selected (GtkListBox *list, GtkListBoxRow *row, ApSidebar *self)
{
  GtkStackPage *page;

  if (row == NULL || self->stack == NULL || self->syncing)
    return;
  page = g_object_get_data (G_OBJECT (row), "ap-page");
  gtk_stack_set_visible_child (self->stack, gtk_stack_page_get_child (page));
}

/* Up and Down pick a page; Tab goes into it. A list box would Tab from row
 * to row, switching pages on the way: a keyboard trial tripped on that. */
static gboolean
on_key_pressed (GtkEventControllerKey *keys, guint keyval, guint keycode, GdkModifierType state,
                ApSidebar *self)
{
  GtkWidget *page;

  if ((keyval != GDK_KEY_Tab && keyval != GDK_KEY_KP_Tab)
      || (state & (GDK_SHIFT_MASK | GDK_CONTROL_MASK | GDK_ALT_MASK)) || self->stack == NULL)
    return FALSE;
  page = gtk_stack_get_visible_child (self->stack);
  return page != NULL && gtk_widget_child_focus (page, GTK_DIR_TAB_FORWARD);
}

static void
ap_sidebar_dispose (GObject *object)
{
  ApSidebar *self = AP_SIDEBAR (object);

  ap_sidebar_set_stack (self, NULL);
  if (self->list)
    {
      gtk_widget_unparent (GTK_WIDGET (self->list));
      self->list = NULL;
    }
  g_clear_pointer (&self->badges, g_hash_table_unref);
  G_OBJECT_CLASS (ap_sidebar_parent_class)->dispose (object);
}

static void
ap_sidebar_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  if (id == PROP_STACK)
    g_value_set_object (value, AP_SIDEBAR (object)->stack);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
}

static void
ap_sidebar_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  if (id == PROP_STACK)
    ap_sidebar_set_stack (AP_SIDEBAR (object), g_value_get_object (value));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
}

static void
ap_sidebar_class_init (ApSidebarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ap_sidebar_dispose;
  object_class->get_property = ap_sidebar_get_property;
  object_class->set_property = ap_sidebar_set_property;
  /** ApSidebar:stack: the stack whose pages are listed */
  props[PROP_STACK]
    = g_param_spec_object ("stack", NULL, NULL, GTK_TYPE_STACK,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "stacksidebar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_NAVIGATION);
}

static void
ap_sidebar_init (ApSidebar *self)
{
  GtkWidget *list = gtk_list_box_new ();
  GtkEventController *keys;

  self->badges = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->list = GTK_LIST_BOX (list);
  gtk_widget_set_name (list, "sidebar");
  gtk_widget_add_css_class (list, "navigation-sidebar");
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_SINGLE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL, _ ("Pages"),
                                  -1);
  g_signal_connect (list, "row-selected", G_CALLBACK (on_row_selected), self);
  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (list, keys);
  gtk_widget_set_parent (list, GTK_WIDGET (self));
}

/** ap_sidebar_new: a sidebar with no stack yet */
GtkWidget *
ap_sidebar_new (void)
{
  return g_object_new (AP_TYPE_SIDEBAR, NULL);
}

/** ap_sidebar_set_stack: list @stack's pages (and follow them), or none */
void
ap_sidebar_set_stack (ApSidebar *self, GtkStack *stack)
{
  g_return_if_fail (AP_IS_SIDEBAR (self));

  if (self->stack == stack)
    return;
  if (self->stack)
    {
      g_signal_handlers_disconnect_by_data (self->stack, self);
      gtk_list_box_bind_model (self->list, NULL, NULL, NULL, NULL);
      g_hash_table_remove_all (self->badges);
    }
  g_set_object (&self->stack, stack);
  if (stack)
    {
      g_autoptr (GtkSelectionModel) pages = gtk_stack_get_pages (stack);

      gtk_list_box_bind_model (self->list, G_LIST_MODEL (pages), create_row, self, NULL);
      g_signal_connect_swapped (stack, "notify::visible-child", G_CALLBACK (select_visible), self);
      select_visible (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STACK]);
}

/** ap_sidebar_get_stack: (transfer none) (nullable): the stack listed */
GtkStack *
ap_sidebar_get_stack (ApSidebar *self)
{
  g_return_val_if_fail (AP_IS_SIDEBAR (self), NULL);
  return self->stack;
}

/**
 * ap_sidebar_set_badge:
 * @count: shown beside the page's title; 0 hides the badge
 * @description: (nullable): what the count means, for screen readers
 */
void
ap_sidebar_set_badge (ApSidebar *self, const char *page, guint count, const char *description)
{
  GtkWidget *badge;
  g_autofree char *text = g_strdup_printf ("%u", count);

  g_return_if_fail (AP_IS_SIDEBAR (self));
  badge = g_hash_table_lookup (self->badges, page);
  g_return_if_fail (badge != NULL);
  gtk_label_set_text (GTK_LABEL (badge), text);
  gtk_widget_set_visible (badge, count > 0);
  gtk_widget_set_tooltip_text (badge, description);
  gtk_accessible_update_property (GTK_ACCESSIBLE (badge), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  description ? description : text, -1);
}

/** ap_sidebar_get_badge: the count beside @page, 0 if none (for tests) */
guint
ap_sidebar_get_badge (ApSidebar *self, const char *page)
{
  GtkWidget *badge;

  g_return_val_if_fail (AP_IS_SIDEBAR (self), 0);
  badge = g_hash_table_lookup (self->badges, page);
  if (badge == NULL || !gtk_widget_get_visible (badge))
    return 0;
  return (guint) g_ascii_strtoull (gtk_label_get_text (GTK_LABEL (badge)), NULL, 10);
}
