/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-window"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-contacts-view.h"
#include "crm-pipeline-view.h"
#include "crm-onboarding-page.h"
#include "crm-unlock-page.h"
#include "crm-window.h"
#include "crm-workspace-loader.h"

struct _CrmWindow
{
  AdwApplicationWindow parent_instance;

  /* template widgets */
  AdwToastOverlay    *toast_overlay;
  AdwHeaderBar       *header_bar;
  AdwViewSwitcherTitle *switcher_title;
  GtkMenuButton      *primary_menu_button;
  GtkStack           *content_stack;
  GtkSpinner         *loading_spinner;
  AdwStatusPage      *error_page;
  AdwViewStack       *view_stack;
  AdwViewSwitcherBar *switcher_bar;

  /* owned references */
  GSettings    *settings;
  CrmStore     *store;
  GCancellable *cancellable;

  /* state */
  char      *restored_view;
  char      *directory;
  GtkWidget *onboarding_page;
  GtkWidget *unlock_page;
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
show_state (CrmWindow  *self,
            const char *name)
{
  gtk_spinner_set_spinning (self->loading_spinner, g_str_equal (name, "loading"));
  gtk_stack_set_visible_child_name (self->content_stack, name);
}

static void
remove_page (CrmWindow  *self,
             GtkWidget **page)
{
  if (*page == NULL)
    return;

  gtk_stack_remove (self->content_stack, *page);
  *page = NULL;
}

static void
on_onboarding_page_finished (CrmWindow         *self,
                             CrmStore          *store,
                             CrmOnboardingPage *page)
{
  crm_window_set_store (self, store);
}

static void
on_unlock_page_unlocked (CrmWindow     *self,
                         CrmStore      *store,
                         CrmUnlockPage *page)
{
  gboolean keyring_failed = crm_unlock_page_get_keyring_failed (page);

  crm_window_set_store (self, store);

  if (keyring_failed)
    crm_window_show_toast (self, _("The keyring could not store the key: Rapport will ask for "
                                   "the recovery key again next time"));
}

static void
show_onboarding (CrmWindow *self)
{
  if (self->onboarding_page == NULL)
    {
      self->onboarding_page = GTK_WIDGET (crm_onboarding_page_new (self->directory));
      g_signal_connect_object (self->onboarding_page, "finished",
                               G_CALLBACK (on_onboarding_page_finished), self,
                               G_CONNECT_SWAPPED);
      gtk_stack_add_named (self->content_stack, self->onboarding_page, "onboarding");
    }

  show_state (self, "onboarding");
}

static void
show_unlock (CrmWindow     *self,
             CrmProtection  protection,
             gboolean       protection_known)
{
  remove_page (self, &self->unlock_page);

  self->unlock_page = GTK_WIDGET (crm_unlock_page_new (self->directory, protection,
                                                       protection_known));
  g_signal_connect_object (self->unlock_page, "unlocked",
                           G_CALLBACK (on_unlock_page_unlocked), self, G_CONNECT_SWAPPED);
  gtk_stack_add_named (self->content_stack, self->unlock_page, "unlock");

  show_state (self, "unlock");
  gtk_widget_grab_focus (self->unlock_page);
}

static void
show_error (CrmWindow    *self,
            const GError *error)
{
  g_autofree char *description = NULL;

  /* Translators: the first %s says what went wrong, the second is a folder. */
  description = g_strdup_printf (_("%s\n\nRapport changed nothing in %s."),
                                 error->message, self->directory);
  adw_status_page_set_description (self->error_page, description);
  show_state (self, "error");
}

static void
workspace_opened_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr (CrmWorkspaceResult) opened = NULL;
  g_autoptr (GError) error = NULL;
  CrmWindow *self;

  /* The window cancels when it goes away, so it is only touched after. */
  opened = crm_workspace_loader_open_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CRM_WINDOW (user_data);

  if (opened == NULL)
    {
      g_debug ("Could not open the workspace in %s: %s", self->directory, error->message);
      show_error (self, error);
      return;
    }

  if (opened->keyring_message != NULL)
    g_debug ("Keyring: %s", opened->keyring_message);

  switch (opened->state)
    {
    case CRM_WORKSPACE_OPENED:
      crm_window_set_store (self, opened->store);
      break;

    case CRM_WORKSPACE_NO_WORKSPACE:
      show_onboarding (self);
      break;

    case CRM_WORKSPACE_NEEDS_UNLOCK:
    default:
      show_unlock (self, opened->protection, opened->protection_known);
      break;
    }
}

static void
crm_window_constructed (GObject *object)
{
  CrmWindow *self = CRM_WINDOW (object);

  G_OBJECT_CLASS (crm_window_parent_class)->constructed (object);

  restore_window_state (self);

  show_state (self, "loading");
  crm_workspace_loader_open_async (self->directory, self->cancellable,
                                   workspace_opened_cb, self);
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

  g_cancellable_cancel (self->cancellable);
  self->onboarding_page = NULL;
  self->unlock_page = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_WINDOW);

  G_OBJECT_CLASS (crm_window_parent_class)->dispose (object);
}

static void
crm_window_finalize (GObject *object)
{
  CrmWindow *self = CRM_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->restored_view, g_free);
  g_clear_pointer (&self->directory, g_free);

  G_OBJECT_CLASS (crm_window_parent_class)->finalize (object);
}

/* Ctrl+F searches the view shown, wherever the focus is in the window. */
static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CrmWindow *self = CRM_WINDOW (widget);
  GtkWidget *view = adw_view_stack_get_visible_child (self->view_stack);

  if (CRM_IS_CONTACTS_VIEW (view))
    crm_contacts_view_focus_search (CRM_CONTACTS_VIEW (view));
}

/* "win.open-contact" and "win.open-company": a link from another view (a
 * deal's page) to a person or a company, shown in the Contacts view. */
static void
open_party_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  CrmWindow *self = CRM_WINDOW (widget);
  GtkWidget *view = adw_view_stack_get_child_by_name (self->view_stack, "contacts");
  gint64 id = g_variant_get_int64 (parameter);

  if (!CRM_IS_CONTACTS_VIEW (view))
    return;

  adw_view_stack_set_visible_child (self->view_stack, view);
  if (g_str_equal (action_name, "win.open-company"))
    crm_contacts_view_show_company (CRM_CONTACTS_VIEW (view), id);
  else
    crm_contacts_view_show_contact (CRM_CONTACTS_VIEW (view), id);
  gtk_window_present (GTK_WINDOW (self));
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

  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.open-contact", "x", open_party_action);
  gtk_widget_class_install_action (widget_class, "win.open-company", "x", open_party_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.search", NULL);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/crm-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, CrmWindow, switcher_bar);
}

static void
crm_window_init (CrmWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

#if DEVELOPMENT_PROFILE
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif

  self->settings = g_settings_new (APPLICATION_ID);
  self->cancellable = g_cancellable_new ();
  self->directory = crm_store_default_directory ();
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

/**
 * crm_window_set_store:
 * @store: the open workspace
 *
 * Shows the views of the workspace, once it has been opened, created or
 * unlocked.
 */
void
crm_window_set_store (CrmWindow *self,
                      CrmStore  *store)
{
  CrmContactsView *contacts;

  g_return_if_fail (CRM_IS_WINDOW (self));
  g_return_if_fail (CRM_IS_STORE (store));

  if (self->store == store)
    return;

  g_set_object (&self->store, store);

  contacts = crm_contacts_view_new (store, self->settings);
  crm_window_add_view (self, GTK_WIDGET (contacts), "contacts", _("Contacts"),
                       "avatar-default-symbolic");
  crm_window_add_view (self, GTK_WIDGET (crm_pipeline_view_new (store, self->settings)),
                       "pipeline", C_("view", "Pipeline"), "view-grid-symbolic");

  show_state (self, "views");

  /* Start where office staff start: typing a name to find someone. */
  crm_contacts_view_focus_search (contacts);

  /* The first-run and unlock pages hold secrets in their entries and
   * labels; they go as soon as they have done their work. */
  remove_page (self, &self->onboarding_page);
  remove_page (self, &self->unlock_page);
}

/**
 * crm_window_get_store:
 *
 * Returns: (nullable) (transfer none): the open workspace, or %NULL while
 *   there is none
 */
CrmStore *
crm_window_get_store (CrmWindow *self)
{
  g_return_val_if_fail (CRM_IS_WINDOW (self), NULL);

  return self->store;
}
