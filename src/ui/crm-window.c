/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-window"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-window.h"

struct _CrmWindow
{
  AdwApplicationWindow parent_instance;

  /* template widgets */
  AdwToastOverlay    *toast_overlay;
  AdwHeaderBar       *header_bar;
  AdwViewSwitcherTitle *switcher_title;
  GtkMenuButton      *primary_menu_button;
  GtkStack           *content_stack;
  AdwStatusPage      *welcome_page;
  AdwViewStack       *view_stack;
  AdwViewSwitcherBar *switcher_bar;

  /* owned references */
  GSettings *settings;

  /* state */
  char *restored_view;
};

G_DEFINE_FINAL_TYPE (CrmWindow, crm_window, ADW_TYPE_APPLICATION_WINDOW)

static void
restore_window_state (CrmWindow *self)
{
  int width = g_settings_get_int (self->settings, "window-width");
  int height = g_settings_get_int (self->settings, "window-height");

  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  self->restored_view = g_settings_get_string (self->settings, "last-view");
}

static void
save_window_state (CrmWindow *self)
{
  const char *view;
  int width = 0;
  int height = 0;

  /* The default size follows the size the user gave the window, but not
   * while it is maximized, so it is the size to come back to. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));

  view = adw_view_stack_get_visible_child_name (self->view_stack);
  if (view != NULL)
    g_settings_set_string (self->settings, "last-view", view);
}

static void
crm_window_constructed (GObject *object)
{
  CrmWindow *self = CRM_WINDOW (object);

  G_OBJECT_CLASS (crm_window_parent_class)->constructed (object);

  restore_window_state (self);
}

static gboolean
crm_window_close_request (GtkWindow *window)
{
  CrmWindow *self = CRM_WINDOW (window);

  save_window_state (self);

  return GTK_WINDOW_CLASS (crm_window_parent_class)->close_request (window);
}

static void
crm_window_dispose (GObject *object)
{
  CrmWindow *self = CRM_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_WINDOW);

  G_OBJECT_CLASS (crm_window_parent_class)->dispose (object);
}

static void
crm_window_finalize (GObject *object)
{
  CrmWindow *self = CRM_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_pointer (&self->restored_view, g_free);

  G_OBJECT_CLASS (crm_window_parent_class)->finalize (object);
}

static void
crm_window_class_init (CrmWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = crm_window_constructed;
  object_class->dispose = crm_window_dispose;
  object_class->finalize = crm_window_finalize;

  window_class->close_request = crm_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/crm-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, switcher_bar);
}

static void
crm_window_init (CrmWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  adw_status_page_set_icon_name (self->welcome_page, APPLICATION_ID);

#if DEVELOPMENT_PROFILE
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif

  self->settings = g_settings_new (APPLICATION_ID);
}

CrmWindow *
crm_window_new (CrmApplication *application)
{
  return g_object_new (CRM_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

/**
 * crm_window_add_view:
 * @self: a #CrmWindow
 * @view: the view's widget
 * @name: a name that stays the same across versions, saved as the last view
 * @title: the translated title shown in the view switcher
 * @icon_name: the symbolic icon shown in the view switcher
 *
 * Adds one of Rapport's views. The window shows its view switcher once there
 * are two views, and comes back to the view that was shown when it closed.
 */
void
crm_window_add_view (CrmWindow  *self,
                     GtkWidget  *view,
                     const char *name,
                     const char *title,
                     const char *icon_name)
{
  g_return_if_fail (CRM_IS_WINDOW (self));
  g_return_if_fail (GTK_IS_WIDGET (view));
  g_return_if_fail (name != NULL);

  adw_view_stack_add_titled (self->view_stack, view, name, title);
  adw_view_stack_page_set_icon_name (adw_view_stack_get_page (self->view_stack, view),
                                     icon_name);
  gtk_stack_set_visible_child_name (self->content_stack, "views");

  if (self->restored_view != NULL && g_str_equal (self->restored_view, name))
    {
      adw_view_stack_set_visible_child (self->view_stack, view);
      g_clear_pointer (&self->restored_view, g_free);
    }
}

/**
 * crm_window_get_view_name:
 *
 * Returns: (nullable): the name of the view shown, or %NULL when there is none
 */
const char *
crm_window_get_view_name (CrmWindow *self)
{
  g_return_val_if_fail (CRM_IS_WINDOW (self), NULL);

  return adw_view_stack_get_visible_child_name (self->view_stack);
}

void
crm_window_show_toast (CrmWindow  *self,
                       const char *title)
{
  g_return_if_fail (CRM_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}
