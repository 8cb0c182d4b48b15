/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "crm-test-util.h"
#include "crm-application.h"
#include "crm-company.h"
#include "crm-company-page.h"
#include "crm-contact-page.h"
#include "crm-contacts.h"
#include "crm-keyring.h"
#include "crm-onboarding-page.h"
#include "crm-preferences-window.h"
#include "crm-security-page.h"
#include "crm-unlock-page.h"
#include "crm-window.h"
#include "crm-workspace-loader.h"

static CrmApplication *app;

/* The workspace the windows open: $RAPPORT_WORKSPACE, a temporary
 * directory, so that no test touches the user's data. */
static char *workspace_base;
static char *workspace_directory;

/* Runs the main loop until @condition holds or @ms milliseconds have
 * passed. */
#define WAIT_FOR_MS(condition, ms) CRM_TEST_WAIT_FOR_MS (condition, ms)

#define WAIT_FOR(condition) WAIT_FOR_MS (condition, 2000)

/* Creating a workspace and the keyring take longer, more so under the
 * sanitizers. */
#define WAIT_LONG_FOR(condition) WAIT_FOR_MS (condition, 30000)

static void
spin (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return window;
    }

  return NULL;
}

static gpointer
template_child (gpointer    widget,
                const char *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (widget), G_OBJECT_TYPE (widget), name);
}

static void
close_window (GtkWindow *window)
{
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_close (window);
  WAIT_FOR (window == NULL);
}

static void
reset_settings (void)
{
  GSettings *settings = crm_application_get_settings (app);
  g_autoptr (GSettingsSchema) schema = NULL;
  g_auto (GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);
}

static void
assert_setting_string (const char *key,
                       const char *expected)
{
  g_autofree char *value = g_settings_get_string (crm_application_get_settings (app), key);

  g_assert_cmpstr (value, ==, expected);
}

static const char *
content_state (CrmWindow *window)
{
  return gtk_stack_get_visible_child_name (template_child (window, "content_stack"));
}

/* A new window, once it knows what to show for the workspace. */
static CrmWindow *
new_window (void)
{
  CrmWindow *window = crm_window_new (app);

  gtk_window_present (GTK_WINDOW (window));
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (window)));
  WAIT_LONG_FOR (!g_str_equal (content_state (window), "loading"));

  return window;
}

/* Asks for a new size until @condition holds. The page for the workspace
 * arrives after the window is mapped, and the window manager's answer to
 * the resize that caused can come after a size the test asks for; GTK then
 * takes the answer for a size the user chose, and the request is lost. */
#define RESIZE_UNTIL(window, width, height, condition)                      \
  G_STMT_START {                                                           \
    gboolean timed_out = FALSE;                                            \
    guint timeout_id = g_timeout_add (5000, crm_test_timed_out_cb, &timed_out);     \
    while (!(condition) && !timed_out)                                     \
      {                                                                    \
        int default_width, default_height;                                 \
                                                                           \
        gtk_window_get_default_size (window, &default_width, &default_height); \
        if (default_width != (width) || default_height != (height))        \
          gtk_window_set_default_size (window, width, height);             \
        g_main_context_iteration (NULL, TRUE);                             \
      }                                                                    \
    if (!timed_out)                                                        \
      g_source_remove (timeout_id);                                        \
    g_assert_true (condition);                                             \
  } G_STMT_END

/* Back to a first run: no workspace, nothing in the keyring. */
static void
remove_workspace (void)
{
  g_autofree char *uuid = crm_store_read_uuid (workspace_directory, NULL, NULL);

  if (uuid != NULL)
    crm_keyring_clear_sync (uuid, NULL, NULL);
  crm_test_remove_tree (workspace_directory);
  g_assert_false (g_file_test (workspace_directory, G_FILE_TEST_EXISTS));
}

static gboolean
have_session_bus (void)
{
  const char *address = g_getenv ("DBUS_SESSION_BUS_ADDRESS");

  if (address != NULL && *address != '\0')
    return TRUE;

  g_test_skip ("needs a D-Bus session with a keyring (build-aux/dev.sh test starts one)");
  return FALSE;
}

static void
result_ready_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Creates the workspace the window opens, closes it, and returns its
 * recovery key. */
static CrmSecret *
create_workspace (char **uuid)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (CrmWorkspaceResult) created = NULL;
  g_autoptr (GError) error = NULL;

  crm_workspace_loader_create_async (workspace_directory, FALSE, NULL, NULL, NULL,
                                     result_ready_cb, &result);
  WAIT_LONG_FOR (result != NULL);
  created = crm_workspace_loader_create_finish (result, &error);
  g_assert_no_error (error);
  g_assert_false (created->keyring_failed);
  if (uuid != NULL)
    *uuid = g_strdup (crm_store_get_uuid (created->store));
  g_assert_finalize_object (g_steal_pointer (&created->store));

  return g_steal_pointer (&created->recovery_key);
}

static GtkWidget *
find_widget_of_type (GtkWidget *widget,
                     GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget_of_type (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
menu_has_action (GMenuModel *menu,
                 const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *item_action = NULL;
      g_autoptr (GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      if (section != NULL && menu_has_action (section, action))
        return TRUE;
      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &item_action)
          && g_str_equal (item_action, action))
        return TRUE;
    }

  return FALSE;
}

static gboolean
has_accel (const char *action,
           const char *accel)
{
  g_auto (GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), action);

  return g_strv_contains ((const char *const *) accels, accel);
}

static void
test_header_bar_and_menu (void)
{
  CrmWindow *window;
  GtkMenuButton *menu_button;
  GMenuModel *menu;
  static const char *const actions[] = {
    "app.preferences", "win.show-help-overlay", "app.help", "app.about",
  };

  reset_settings ();
  window = new_window ();

  g_assert_true (ADW_IS_HEADER_BAR (template_child (window, "header_bar")));
  g_assert_true (gtk_widget_get_visible (template_child (window, "header_bar")));

  menu_button = template_child (window, "primary_menu_button");
  g_assert_true (GTK_IS_MENU_BUTTON (menu_button));
  g_assert_true (gtk_menu_button_get_primary (menu_button));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (menu_button)), ==, "Main Menu");

  menu = gtk_menu_button_get_menu_model (menu_button);
  g_assert_nonnull (menu);
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      const char *name = strchr (actions[i], '.') + 1;
      GActionGroup *group = g_str_has_prefix (actions[i], "app.") ? G_ACTION_GROUP (app)
                                                                   : G_ACTION_GROUP (window);

      g_assert_true (menu_has_action (menu, actions[i]));
      g_assert_true (g_action_group_has_action (group, name));
      g_assert_true (g_action_group_get_action_enabled (group, name));
    }

  g_assert_true (has_accel ("app.preferences", "<Control>comma"));
  g_assert_true (has_accel ("app.help", "F1"));
  g_assert_true (has_accel ("app.quit", "<Control>q"));
  g_assert_true (has_accel ("window.close", "<Control>w"));
  g_assert_true (has_accel ("win.show-help-overlay", "<Control>question"));

  /* No workspace exists yet: the first-run page, and no view switcher. */
  g_assert_cmpstr (content_state (window), ==, "onboarding");
  g_assert_null (crm_window_get_view_name (window));
  /* The bar at the bottom shows nothing without views, even where the
   * header bar shows the title rather than the switcher. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (adw_view_stack_get_pages (
                      template_child (window, "view_stack")))), ==, 0);
  g_assert_false (gtk_revealer_get_child_revealed (GTK_REVEALER (find_widget_of_type (
                    template_child (window, "switcher_bar"), GTK_TYPE_REVEALER))));

  close_window (GTK_WINDOW (window));
}

static void
test_about (void)
{
  CrmWindow *window;
  AdwAboutWindow *about;

  reset_settings ();
  window = new_window ();

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  WAIT_FOR (find_toplevel (ADW_TYPE_ABOUT_WINDOW) != NULL);
  about = ADW_ABOUT_WINDOW (find_toplevel (ADW_TYPE_ABOUT_WINDOW));

  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (about)) == GTK_WINDOW (window));
  g_assert_cmpstr (adw_about_window_get_application_name (about), ==, "Rapport");
  g_assert_cmpstr (adw_about_window_get_application_icon (about), ==, APPLICATION_ID);
  g_assert_cmpstr (adw_about_window_get_version (about), ==, PACKAGE_VERSION);
  g_assert_cmpint (adw_about_window_get_license_type (about), ==, GTK_LICENSE_GPL_3_0);
  g_assert_nonnull (adw_about_window_get_developers (about));
  g_assert_nonnull (adw_about_window_get_developers (about)[0]);
  g_assert_cmpstr (adw_about_window_get_translator_credits (about), !=, "");
  g_assert_nonnull (adw_about_window_get_translator_credits (about));

  close_window (GTK_WINDOW (about));
  close_window (GTK_WINDOW (window));
}

static void
test_shortcuts_window (void)
{
  CrmWindow *window;

  reset_settings ();
  window = new_window ();

  /* GtkApplication builds the window with the main window, hidden. */
  g_assert_nonnull (find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW))));
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-help-overlay", NULL);
  WAIT_FOR (find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW) != NULL
            && gtk_widget_get_visible (GTK_WIDGET (find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW))));

  gtk_widget_set_visible (GTK_WIDGET (find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW)), FALSE);
  close_window (GTK_WINDOW (window));
}

static void
test_preferences_color_scheme (void)
{
  GSettings *settings = crm_application_get_settings (app);
  AdwStyleManager *style_manager = adw_style_manager_get_default ();
  CrmWindow *window;
  GtkWindow *preferences;
  AdwComboRow *style_row;

  reset_settings ();
  window = new_window ();
  g_assert_cmpint (adw_style_manager_get_color_scheme (style_manager), ==,
                   ADW_COLOR_SCHEME_DEFAULT);

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  WAIT_FOR (find_toplevel (CRM_TYPE_PREFERENCES_WINDOW) != NULL);
  preferences = find_toplevel (CRM_TYPE_PREFERENCES_WINDOW);
  g_assert_true (gtk_window_get_transient_for (preferences) == GTK_WINDOW (window));

  style_row = template_child (preferences, "style_row");
  g_assert_cmpuint (adw_combo_row_get_selected (style_row), ==, 0);

  /* Choosing Dark in the window changes the setting and the style. */
  adw_combo_row_set_selected (style_row, 2);
  g_assert_cmpint (g_settings_get_enum (settings, "color-scheme"), ==, 2);
  g_assert_cmpint (adw_style_manager_get_color_scheme (style_manager), ==,
                   ADW_COLOR_SCHEME_FORCE_DARK);
  g_assert_true (adw_style_manager_get_dark (style_manager));

  /* A change of the setting shows in the window. */
  g_settings_set_string (settings, "color-scheme", "light");
  g_assert_cmpuint (adw_combo_row_get_selected (style_row), ==, 1);
  g_assert_cmpint (adw_style_manager_get_color_scheme (style_manager), ==,
                   ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_assert_false (adw_style_manager_get_dark (style_manager));

  adw_combo_row_set_selected (style_row, 0);
  assert_setting_string ("color-scheme", "default");
  g_assert_cmpint (adw_style_manager_get_color_scheme (style_manager), ==,
                   ADW_COLOR_SCHEME_DEFAULT);

  close_window (preferences);
  close_window (GTK_WINDOW (window));
}

static void
test_window_size_persists (void)
{
  GSettings *settings = crm_application_get_settings (app);
  CrmWindow *window;
  int width, height;
  int allocated;

  reset_settings ();
  g_settings_set_int (settings, "window-width", 900);
  g_settings_set_int (settings, "window-height", 650);

  window = new_window ();
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 650);
  g_assert_false (gtk_window_is_maximized (GTK_WINDOW (window)));

  /* The allocation leaves out what the window frame takes, so compare sizes
   * against the first allocation rather than against the numbers. */
  WAIT_FOR (gtk_widget_get_width (GTK_WIDGET (window)) > 0);
  allocated = gtk_widget_get_width (GTK_WIDGET (window));
  g_assert_cmpint (allocated, >, 850);
  g_assert_cmpint (allocated, <=, 900);

  RESIZE_UNTIL (GTK_WINDOW (window), 1000, 700,
                gtk_widget_get_width (GTK_WIDGET (window)) == allocated + 100);
  close_window (GTK_WINDOW (window));

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1000);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 700);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  window = new_window ();
  WAIT_FOR (gtk_widget_get_width (GTK_WIDGET (window)) == allocated + 100);
  close_window (GTK_WINDOW (window));
}

static void
test_window_maximized_persists (void)
{
  GSettings *settings = crm_application_get_settings (app);
  CrmWindow *window;

  /* Without a window manager an X11 window cannot be maximized. */
  if (g_getenv ("RAPPORT_TEST_WINDOW_MANAGER") == NULL)
    {
      g_test_skip ("needs a window manager (build-aux/dev.sh test starts one)");
      return;
    }

  reset_settings ();
  g_settings_set_int (settings, "window-width", 800);
  g_settings_set_int (settings, "window-height", 600);
  g_settings_set_boolean (settings, "window-maximized", TRUE);

  window = new_window ();
  WAIT_FOR (gtk_window_is_maximized (GTK_WINDOW (window)));
  close_window (GTK_WINDOW (window));

  /* Still maximized, and the size to come back to is the unmaximized one. */
  g_assert_true (g_settings_get_boolean (settings, "window-maximized"));
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 800);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 600);
}

static void
add_views (CrmWindow *window)
{
  crm_window_add_view (window, gtk_label_new ("one"), "first", "First", "view-list-symbolic");
  crm_window_add_view (window, gtk_label_new ("two"), "second", "Second", "view-grid-symbolic");
}

static void
test_views_and_last_view (void)
{
  CrmWindow *window;
  AdwViewStack *stack;

  reset_settings ();
  window = new_window ();
  add_views (window);

  g_assert_cmpstr (gtk_stack_get_visible_child_name (template_child (window, "content_stack")),
                   ==, "views");
  g_assert_cmpstr (crm_window_get_view_name (window), ==, "first");
  stack = template_child (window, "view_stack");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (adw_view_stack_get_pages (stack))),
                    ==, 2);

  adw_view_stack_set_visible_child_name (stack, "second");
  close_window (GTK_WINDOW (window));
  assert_setting_string ("last-view", "second");

  window = new_window ();
  add_views (window);
  g_assert_cmpstr (crm_window_get_view_name (window), ==, "second");
  close_window (GTK_WINDOW (window));
}

static void
test_switcher_adapts_to_width (void)
{
  GSettings *settings = crm_application_get_settings (app);
  CrmWindow *window;
  AdwViewSwitcherTitle *title;
  AdwViewSwitcherBar *bar;

  reset_settings ();
  g_settings_set_int (settings, "window-width", 1200);
  window = new_window ();
  add_views (window);
  title = template_child (window, "switcher_title");
  bar = template_child (window, "switcher_bar");

  /* Wide: the switcher sits in the header bar. */
  WAIT_FOR (!adw_view_switcher_title_get_title_visible (title));
  g_assert_true (adw_view_switcher_title_get_view_switcher_enabled (title));
  g_assert_false (adw_view_switcher_bar_get_reveal (bar));

  /* Narrow: it moves to the bar at the bottom. */
  RESIZE_UNTIL (GTK_WINDOW (window), 360, 600, adw_view_switcher_title_get_title_visible (title));
  g_assert_true (adw_view_switcher_bar_get_reveal (bar));

  close_window (GTK_WINDOW (window));
}

static void
test_first_run (void)
{
  CrmWindow *window;
  GtkWindow *preferences;
  GtkWidget *page;

  reset_settings ();
  remove_workspace ();
  window = new_window ();

  g_assert_cmpstr (content_state (window), ==, "onboarding");
  page = find_widget_of_type (GTK_WIDGET (window), CRM_TYPE_ONBOARDING_PAGE);
  g_assert_nonnull (page);
  g_assert_cmpstr (crm_onboarding_page_get_directory (CRM_ONBOARDING_PAGE (page)), ==,
                   workspace_directory);
  g_assert_null (crm_window_get_store (window));

  /* Looking for a workspace made none. */
  g_assert_false (g_file_test (workspace_directory, G_FILE_TEST_EXISTS));

  /* Without a workspace there is nothing to secure. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  WAIT_FOR (find_toplevel (CRM_TYPE_PREFERENCES_WINDOW) != NULL);
  preferences = find_toplevel (CRM_TYPE_PREFERENCES_WINDOW);
  g_assert_null (find_widget_of_type (GTK_WIDGET (preferences), CRM_TYPE_SECURITY_PAGE));
  close_window (preferences);

  close_window (GTK_WINDOW (window));
}

static void
test_create_workspace (void)
{
  const char *type_name = "CrmOnboardingPage";
  CrmWindow *window;
  GtkWidget *page;
  GtkStack *stack;

  if (!have_session_bus ())
    return;

  reset_settings ();
  remove_workspace ();
  window = new_window ();
  page = find_widget_of_type (GTK_WIDGET (window), CRM_TYPE_ONBOARDING_PAGE);
  stack = GTK_STACK (gtk_widget_get_template_child (page, g_type_from_name (type_name), "stack"));

  g_signal_emit_by_name (gtk_widget_get_template_child (page, g_type_from_name (type_name),
                                                        "create_button"), "clicked");
  WAIT_LONG_FOR (g_str_equal (gtk_stack_get_visible_child_name (stack), "recovery"));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (gtk_widget_get_template_child (
                                 page, g_type_from_name (type_name), "saved_check")), TRUE);
  g_signal_emit_by_name (gtk_widget_get_template_child (page, g_type_from_name (type_name),
                                                        "continue_button"), "clicked");

  /* The views of the new workspace; the first-run page is gone. */
  g_assert_cmpstr (content_state (window), ==, "views");
  g_assert_nonnull (crm_window_get_store (window));
  g_assert_true (crm_store_exists (workspace_directory));
  g_assert_null (find_widget_of_type (GTK_WIDGET (window), CRM_TYPE_ONBOARDING_PAGE));
  g_assert_cmpstr (crm_window_get_view_name (window), ==, "contacts");

  close_window (GTK_WINDOW (window));
  remove_workspace ();
}

static void
test_opens_workspace (void)
{
  g_autoptr (CrmSecret) recovery_key = NULL;
  g_autofree char *uuid = NULL;
  CrmWindow *window;
  GtkWindow *preferences;
  CrmSecurityPage *security;

  if (!have_session_bus ())
    return;

  reset_settings ();
  remove_workspace ();
  recovery_key = create_workspace (&uuid);

  /* The keyring holds the key: the window opens straight to the views. */
  window = new_window ();
  g_assert_cmpstr (content_state (window), ==, "views");
  g_assert_nonnull (crm_window_get_store (window));
  g_assert_cmpstr (crm_store_get_uuid (crm_window_get_store (window)), ==, uuid);
  g_assert_cmpstr (crm_window_get_view_name (window), ==, "contacts");

  /* Typing finds people at once: the search has the focus, and Ctrl+F
   * brings it back from anywhere in the window. */
  {
    GtkWidget *focus;

    WAIT_FOR ((focus = gtk_root_get_focus (GTK_ROOT (window))) != NULL
              && gtk_widget_get_ancestor (focus, GTK_TYPE_SEARCH_ENTRY) != NULL);
    gtk_root_set_focus (GTK_ROOT (window), NULL);
    g_assert_null (gtk_root_get_focus (GTK_ROOT (window)));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL));
    focus = gtk_root_get_focus (GTK_ROOT (window));
    g_assert_nonnull (gtk_widget_get_ancestor (focus, GTK_TYPE_SEARCH_ENTRY));
  }

  /* A link from another view (a deal's page on the board) to a person or
   * a company shows them in the Contacts view. */
  {
    CrmNewContact person = { .family_name = "Nguyễn", .middle_name = "Văn",
                             .given_name = "Đức" };
    g_autoptr (CrmCompanyDraft) draft = crm_company_draft_new ();
    g_autoptr (GError) error = NULL;
    CrmStore *store = crm_window_get_store (window);
    gint64 contact_id = crm_contacts_add (store, &person, &error);
    gint64 company_id;
    CrmContactPage *contact_page;
    CrmCompanyPage *company_page;

    g_assert_no_error (error);
    draft->name = g_strdup ("Công ty Minh Phát");
    company_id = crm_company_save (store, draft, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (company_id, >, 0);

    adw_view_stack_set_visible_child_name (template_child (window, "view_stack"), "pipeline");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-contact", "x",
                                               contact_id));
    g_assert_cmpstr (crm_window_get_view_name (window), ==, "contacts");
    WAIT_FOR ((contact_page = CRM_CONTACT_PAGE (find_widget_of_type (
                 GTK_WIDGET (window), CRM_TYPE_CONTACT_PAGE))) != NULL
              && crm_contact_page_get_contact_id (contact_page) == contact_id);

    adw_view_stack_set_visible_child_name (template_child (window, "view_stack"), "pipeline");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-company", "x",
                                               company_id));
    g_assert_cmpstr (crm_window_get_view_name (window), ==, "contacts");
    WAIT_FOR ((company_page = CRM_COMPANY_PAGE (find_widget_of_type (
                 GTK_WIDGET (window), CRM_TYPE_COMPANY_PAGE))) != NULL
              && crm_company_page_get_company_id (company_page) == company_id);
  }

  /* With a workspace, the preferences show how it is protected. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  WAIT_FOR (find_toplevel (CRM_TYPE_PREFERENCES_WINDOW) != NULL);
  preferences = find_toplevel (CRM_TYPE_PREFERENCES_WINDOW);
  security = CRM_SECURITY_PAGE (find_widget_of_type (GTK_WIDGET (preferences),
                                                     CRM_TYPE_SECURITY_PAGE));
  g_assert_nonnull (security);
  g_assert_true (crm_security_page_get_store (security) == crm_window_get_store (window));
  close_window (preferences);

  close_window (GTK_WINDOW (window));
  remove_workspace ();
}

static void
test_unlock_workspace (void)
{
  g_autoptr (CrmSecret) recovery_key = NULL;
  g_autofree char *uuid = NULL;
  CrmWindow *window;
  GtkWidget *page;
  GtkWidget *row;

  if (!have_session_bus ())
    return;

  reset_settings ();
  remove_workspace ();
  recovery_key = create_workspace (&uuid);
  g_assert_true (crm_keyring_clear_sync (uuid, NULL, NULL));

  /* No key in the keyring: the unlock page, never the first-run page. */
  window = new_window ();
  g_assert_cmpstr (content_state (window), ==, "unlock");
  g_assert_null (find_widget_of_type (GTK_WIDGET (window), CRM_TYPE_ONBOARDING_PAGE));
  page = find_widget_of_type (GTK_WIDGET (window), CRM_TYPE_UNLOCK_PAGE);
  g_assert_nonnull (page);

  row = GTK_WIDGET (gtk_widget_get_template_child (page, CRM_TYPE_UNLOCK_PAGE, "recovery_row"));
  gtk_editable_set_text (GTK_EDITABLE (row), recovery_key);
  g_signal_emit_by_name (row, "entry-activated");
  WAIT_LONG_FOR (g_str_equal (content_state (window), "views"));
  g_assert_cmpstr (crm_store_get_uuid (crm_window_get_store (window)), ==, uuid);
  g_assert_null (find_widget_of_type (GTK_WIDGET (window), CRM_TYPE_UNLOCK_PAGE));

  close_window (GTK_WINDOW (window));

  /* The key went back into the keyring: the next start needs no prompt. */
  window = new_window ();
  g_assert_cmpstr (content_state (window), ==, "views");
  close_window (GTK_WINDOW (window));

  remove_workspace ();
}

static void
test_preferences_sort_contacts (void)
{
  GSettings *settings = crm_application_get_settings (app);
  CrmWindow *window;
  GtkWindow *preferences;
  AdwComboRow *sort_row;

  reset_settings ();
  window = new_window ();

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  WAIT_FOR (find_toplevel (CRM_TYPE_PREFERENCES_WINDOW) != NULL);
  preferences = find_toplevel (CRM_TYPE_PREFERENCES_WINDOW);
  sort_row = template_child (preferences, "sort_row");
  g_assert_cmpuint (adw_combo_row_get_selected (sort_row), ==, 0);

  adw_combo_row_set_selected (sort_row, 1);
  assert_setting_string ("contacts-sort", "family-name");
  g_settings_set_string (settings, "contacts-sort", "given-name");
  g_assert_cmpuint (adw_combo_row_get_selected (sort_row), ==, 0);

  close_window (preferences);
  close_window (GTK_WINDOW (window));
}

static void
test_color_scheme_at_startup (void)
{
  /* The application applied the stored preference in startup; check that
   * it keeps following the setting without any window open. */
  GSettings *settings = crm_application_get_settings (app);
  AdwStyleManager *style_manager = adw_style_manager_get_default ();

  reset_settings ();
  g_settings_set_string (settings, "color-scheme", "dark");
  g_assert_cmpint (adw_style_manager_get_color_scheme (style_manager), ==,
                   ADW_COLOR_SCHEME_FORCE_DARK);
  reset_settings ();
  g_assert_cmpint (adw_style_manager_get_color_scheme (style_manager), ==,
                   ADW_COLOR_SCHEME_DEFAULT);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  /* Before anything reads it: the windows must never open the user's own
   * workspace. */
  workspace_base = g_dir_make_tmp ("rapport-window-XXXXXX", &error);
  g_assert_no_error (error);
  workspace_directory = g_build_filename (workspace_base, "workspace", NULL);
  g_setenv ("RAPPORT_WORKSPACE", workspace_directory, TRUE);

  gtk_init ();
  adw_init ();

  app = crm_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  /* Keep the application alive between windows, as a running one is. */
  g_application_hold (G_APPLICATION (app));

  g_test_add_func ("/window/header-bar-and-menu", test_header_bar_and_menu);
  g_test_add_func ("/window/about", test_about);
  g_test_add_func ("/window/shortcuts", test_shortcuts_window);
  g_test_add_func ("/window/preferences-color-scheme", test_preferences_color_scheme);
  g_test_add_func ("/window/size-persists", test_window_size_persists);
  g_test_add_func ("/window/maximized-persists", test_window_maximized_persists);
  g_test_add_func ("/window/views-and-last-view", test_views_and_last_view);
  g_test_add_func ("/window/switcher-adapts-to-width", test_switcher_adapts_to_width);
  g_test_add_func ("/window/first-run", test_first_run);
  g_test_add_func ("/window/create-workspace", test_create_workspace);
  g_test_add_func ("/window/opens-workspace", test_opens_workspace);
  g_test_add_func ("/window/unlock-workspace", test_unlock_workspace);
  g_test_add_func ("/window/preferences-sort-contacts", test_preferences_sort_contacts);
  g_test_add_func ("/application/color-scheme", test_color_scheme_at_startup);

  status = g_test_run ();

  g_application_release (G_APPLICATION (app));
  spin ();
  g_clear_object (&app);

  remove_workspace ();
  crm_test_remove_tree (workspace_base);
  g_clear_pointer (&workspace_directory, g_free);
  g_clear_pointer (&workspace_base, g_free);

  return status;
}
