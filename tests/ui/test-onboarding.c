/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-onboarding"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "crm-test-util.h"
#include "crm-key.h"
#include "crm-keyring.h"
#include "crm-onboarding-page.h"
#include "crm-security-page.h"
#include "crm-unlock-page.h"
#include "crm-workspace-loader.h"

#define PASSPHRASE "mật khẩu của văn phòng"

/* Key derivation and the keyring take their time, more so under the
 * sanitizers. */
#define TIMEOUT_MS 30000

/* Runs the main loop until @condition holds or the timeout has passed. */
#define WAIT_FOR(condition) CRM_TEST_WAIT_FOR_MS (condition, TIMEOUT_MS)

/* Fixture: a temporary directory, and the workspace directory inside it
 * that does not exist yet. */
typedef struct {
  char *base;
  char *directory;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;

  f->base = g_dir_make_tmp ("rapport-onboarding-XXXXXX", &error);
  g_assert_no_error (error);
  f->directory = g_build_filename (f->base, "workspace", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *uuid = crm_store_read_uuid (f->directory, NULL, NULL);

  /* Leave nothing behind in the throw-away keyring either. */
  if (uuid != NULL)
    crm_keyring_clear_sync (uuid, NULL, NULL);

  crm_test_remove_tree (f->base);
  g_clear_pointer (&f->base, g_free);
  g_clear_pointer (&f->directory, g_free);
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

static gpointer
template_child (gpointer    widget,
                const char *type_name,
                const char *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (widget), g_type_from_name (type_name), name);
}

static GtkWidget *
find_named (GtkWidget  *widget,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkButton *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return GTK_BUTTON (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkButton *found = find_button (child, label);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The visible message dialog that holds a widget called @name, if any. */
static AdwMessageDialog *
find_dialog (const char *name)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (window)
          && (name == NULL || find_named (window, name) != NULL))
        return ADW_MESSAGE_DIALOG (window);
    }

  return NULL;
}

static void
click (GtkButton *button)
{
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (button)));
  g_signal_emit_by_name (button, "clicked");
}

static GtkWindow *
show_in_window (GtkWidget *page)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  gtk_window_set_default_size (window, 800, 700);
  gtk_window_set_child (window, page);
  gtk_window_present (window);
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (window)));

  return window;
}

static void
destroy_window (GtkWindow *window)
{
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (window);
  WAIT_FOR (window == NULL);
}

static GBytes *
read_file (const char *directory,
           const char *name)
{
  g_autofree char *path = g_build_filename (directory, name, NULL);
  g_autoptr (GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, length);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* The names in @directory, sorted, joined by spaces. */
static char *
list_directory (const char *directory)
{
  g_autoptr (GDir) dir = g_dir_open (directory, 0, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);

  return g_strjoinv (" ", (char **) names->pdata);
}

/* What the workspace directory holds, byte for byte. */
typedef struct {
  GBytes *database;
  GBytes *description;
  char   *names;
} Snapshot;

static void
snapshot_clear (Snapshot *snapshot)
{
  g_clear_pointer (&snapshot->database, g_bytes_unref);
  g_clear_pointer (&snapshot->description, g_bytes_unref);
  g_clear_pointer (&snapshot->names, g_free);
}

static void
take_snapshot (const char *directory,
               Snapshot   *snapshot)
{
  snapshot->database = read_file (directory, "rapport.db");
  snapshot->description = read_file (directory, "workspace.ini");
  snapshot->names = list_directory (directory);
}

static void
assert_unchanged (const char     *directory,
                  const Snapshot *before)
{
  Snapshot now = { 0, };

  take_snapshot (directory, &now);
  g_assert_cmpstr (now.names, ==, before->names);
  g_assert_true (g_bytes_equal (now.database, before->database));
  g_assert_true (g_bytes_equal (now.description, before->description));
  snapshot_clear (&now);
}

static void
result_ready_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static CrmWorkspaceResult *
open_workspace (const char  *directory,
                GError     **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  crm_workspace_loader_open_async (directory, NULL, result_ready_cb, &result);
  WAIT_FOR (result != NULL);

  return crm_workspace_loader_open_finish (result, error);
}

static CrmWorkspaceResult *
create_workspace (const char  *directory,
                  GError     **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  crm_workspace_loader_create_async (directory, FALSE, NULL, NULL, NULL,
                                     result_ready_cb, &result);
  WAIT_FOR (result != NULL);

  return crm_workspace_loader_create_finish (result, error);
}

/* Creates a workspace with the loader, closes it, and returns its recovery
 * key and UUID. */
static CrmSecret *
create_closed_workspace (const char  *directory,
                         char       **uuid)
{
  g_autoptr (CrmWorkspaceResult) created = NULL;
  g_autoptr (GError) error = NULL;
  CrmSecret *recovery_key;

  created = create_workspace (directory, &error);
  g_assert_no_error (error);
  g_assert_nonnull (created);
  g_assert_cmpint (created->state, ==, CRM_WORKSPACE_OPENED);
  g_assert_false (created->keyring_failed);

  recovery_key = g_steal_pointer (&created->recovery_key);
  if (uuid != NULL)
    *uuid = g_strdup (crm_store_get_uuid (created->store));
  g_assert_finalize_object (g_steal_pointer (&created->store));

  return recovery_key;
}

static void
clear_keyring_entry (const char *uuid)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) key = NULL;

  g_assert_true (crm_keyring_clear_sync (uuid, NULL, &error));
  g_assert_no_error (error);
  key = crm_keyring_lookup_sync (uuid, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (key);
}

static void
assert_keyring_holds (const char *uuid,
                      const char *recovery_key)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) stored = crm_keyring_lookup_sync (uuid, NULL, &error);
  g_autoptr (GBytes) expected = crm_key_from_recovery (recovery_key, &error);

  g_assert_no_error (error);
  g_assert_nonnull (stored);
  g_assert_nonnull (expected);
  g_assert_true (g_bytes_equal (stored, expected));
}

/* A recovery key that is well formed but belongs to no workspace here. */
static CrmSecret *
foreign_recovery_key (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) key = crm_key_generate (&error);

  g_assert_no_error (error);
  return crm_key_to_recovery (key);
}

static void
store_received_cb (GObject  *page,
                   CrmStore *store,
                   gpointer  user_data)
{
  CrmStore **out = user_data;

  g_assert_true (CRM_IS_STORE (store));
  g_assert_null (*out);
  *out = g_object_ref (store);
}

static gint64
count_rows (CrmStore   *store,
            const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", table);
  sqlite3_stmt *stmt = NULL;
  gint64 count;

  g_assert_cmpint (sqlite3_prepare_v2 (crm_store_get_db (store), sql, -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return count;
}

/* The loader */

static void
test_loader_no_workspace (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr (CrmWorkspaceResult) opened = NULL;
  g_autoptr (GError) error = NULL;

  opened = open_workspace (f->directory, &error);
  g_assert_no_error (error);
  g_assert_cmpint (opened->state, ==, CRM_WORKSPACE_NO_WORKSPACE);
  g_assert_null (opened->store);

  /* Looking made nothing. */
  g_assert_false (g_file_test (f->directory, G_FILE_TEST_EXISTS));
}

static void
test_loader_opens_with_keyring (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr (CrmWorkspaceResult) opened = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmSecret) recovery_key = NULL;
  g_autofree char *uuid = NULL;

  if (!have_session_bus ())
    return;

  recovery_key = create_closed_workspace (f->directory, &uuid);
  assert_keyring_holds (uuid, recovery_key);

  opened = open_workspace (f->directory, &error);
  g_assert_no_error (error);
  g_assert_cmpint (opened->state, ==, CRM_WORKSPACE_OPENED);
  g_assert_true (CRM_IS_STORE (opened->store));
  g_assert_cmpstr (crm_store_get_uuid (opened->store), ==, uuid);
  g_assert_cmpint (opened->protection, ==, CRM_PROTECTION_KEYRING);
}

static void
test_loader_needs_unlock (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr (CrmWorkspaceResult) opened = NULL;
  g_autoptr (CrmWorkspaceResult) again = NULL;
  g_autoptr (CrmWorkspaceResult) created = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmSecret) recovery_key = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *description = NULL;
  Snapshot before = { 0, };

  if (!have_session_bus ())
    return;

  recovery_key = create_closed_workspace (f->directory, &uuid);
  clear_keyring_entry (uuid);
  take_snapshot (f->directory, &before);

  /* The keyring gives nothing: the file exists, so it is never a first run. */
  opened = open_workspace (f->directory, &error);
  g_assert_no_error (error);
  g_assert_cmpint (opened->state, ==, CRM_WORKSPACE_NEEDS_UNLOCK);
  g_assert_null (opened->store);
  g_assert_cmpint (opened->protection, ==, CRM_PROTECTION_KEYRING);
  g_assert_true (opened->protection_known);

  /* And creating refuses to make a new key over it. */
  created = create_workspace (f->directory, &error);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_EXISTS);
  g_assert_null (created);
  g_clear_error (&error);
  assert_unchanged (f->directory, &before);

  /* Without its description, the workspace still needs unlocking, by either
   * secret. */
  description = g_build_filename (f->directory, "workspace.ini", NULL);
  g_assert_cmpint (g_unlink (description), ==, 0);
  again = open_workspace (f->directory, &error);
  g_assert_no_error (error);
  g_assert_cmpint (again->state, ==, CRM_WORKSPACE_NEEDS_UNLOCK);
  g_assert_false (again->protection_known);

  snapshot_clear (&before);
}

static void
test_loader_stale_keyring_key (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr (CrmWorkspaceResult) opened = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmSecret) recovery_key = NULL;
  g_autoptr (GBytes) other = NULL;
  g_autofree char *uuid = NULL;
  Snapshot before = { 0, };

  if (!have_session_bus ())
    return;

  /* The keyring holds a key that does not open the workspace, as after a
   * restore from another machine. */
  recovery_key = create_closed_workspace (f->directory, &uuid);
  other = crm_key_generate (&error);
  g_assert_no_error (error);
  g_assert_true (crm_keyring_store_sync (uuid, "test", g_bytes_get_data (other, NULL), NULL,
                                         &error));
  g_assert_no_error (error);
  take_snapshot (f->directory, &before);

  opened = open_workspace (f->directory, &error);
  g_assert_no_error (error);
  g_assert_cmpint (opened->state, ==, CRM_WORKSPACE_NEEDS_UNLOCK);
  assert_unchanged (f->directory, &before);

  snapshot_clear (&before);
}

/* The first-run page */

static void
clipboard_read_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  char **text = user_data;
  g_autoptr (GError) error = NULL;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, &error);
  g_assert_no_error (error);
}

static void
assert_recovery_groups (const char *text)
{
  g_auto (GStrv) groups = g_strsplit_set (text, " \n", -1);

  g_assert_cmpuint (g_strv_length (groups), ==, 11);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_assert_cmpuint (strlen (groups[i]), ==, 5);
      for (const char *p = groups[i]; *p != '\0'; p++)
        g_assert_true ((*p >= 'A' && *p <= 'Z') || (*p >= '2' && *p <= '7'));
    }
}

static void
test_onboarding_create (Fixture       *f,
                        gconstpointer  data)
{
  const char *type = "CrmOnboardingPage";
  CrmOnboardingPage *page;
  GtkWindow *window;
  GtkStack *stack;
  GtkLabel *recovery_label;
  GtkCheckButton *saved_check;
  GtkWidget *continue_button;
  g_autoptr (CrmStore) store = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *copied = NULL;
  g_autoptr (GBytes) key = NULL;
  g_autoptr (GError) error = NULL;

  if (!have_session_bus ())
    return;

  page = crm_onboarding_page_new (f->directory);
  g_signal_connect (page, "finished", G_CALLBACK (store_received_cb), &store);
  window = show_in_window (GTK_WIDGET (page));
  stack = template_child (page, type, "stack");
  recovery_label = template_child (page, type, "recovery_label");
  saved_check = template_child (page, type, "saved_check");
  continue_button = template_child (page, type, "continue_button");

  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "welcome");
  g_assert_false (gtk_switch_get_active (template_child (page, type, "sample_switch")));
  g_assert_false (g_file_test (f->directory, G_FILE_TEST_EXISTS));

  click (template_child (page, type, "create_button"));
  WAIT_FOR (g_str_equal (gtk_stack_get_visible_child_name (stack), "recovery"));

  /* The recovery key: eleven groups of five base32 characters. */
  shown = g_strdup (gtk_label_get_label (recovery_label));
  assert_recovery_groups (shown);
  g_assert_true (gtk_label_get_selectable (recovery_label));
  g_assert_false (gtk_widget_get_visible (template_child (page, type, "keyring_warning_label")));

  /* Copy puts it on the clipboard, in a form that reads back as the key. */
  click (template_child (page, type, "copy_button"));
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (page)), NULL,
                                 clipboard_read_cb, &copied);
  WAIT_FOR (copied != NULL);
  {
    g_autoptr (GBytes) from_copy = crm_key_from_recovery (copied, &error);
    g_autoptr (GBytes) from_label = crm_key_from_recovery (shown, &error);

    g_assert_no_error (error);
    g_assert_true (g_bytes_equal (from_copy, from_label));
  }

  /* Continue waits for the user to say the key is saved. */
  g_assert_false (gtk_widget_get_sensitive (continue_button));
  g_signal_emit_by_name (continue_button, "clicked");
  g_assert_null (store);
  gtk_check_button_set_active (saved_check, TRUE);
  g_assert_true (gtk_widget_get_sensitive (continue_button));
  gtk_check_button_set_active (saved_check, FALSE);
  g_assert_false (gtk_widget_get_sensitive (continue_button));
  gtk_check_button_set_active (saved_check, TRUE);

  click (GTK_BUTTON (continue_button));
  g_assert_nonnull (store);
  g_assert_true (g_uuid_string_is_valid (crm_store_get_uuid (store)));
  g_assert_cmpstr (crm_store_get_directory (store), ==, f->directory);
  g_assert_cmpint (crm_store_get_protection (store), ==, CRM_PROTECTION_KEYRING);

  /* The key is in the keyring, and it is the one shown. */
  assert_keyring_holds (crm_store_get_uuid (store), shown);

  /* The page no longer shows the key. */
  g_assert_cmpstr (gtk_label_get_label (recovery_label), ==, "");

  destroy_window (window);
  g_assert_finalize_object (g_steal_pointer (&store));
}

static void
test_onboarding_sample_data (Fixture       *f,
                             gconstpointer  data)
{
  const char *type = "CrmOnboardingPage";
  CrmOnboardingPage *page;
  GtkWindow *window;
  GtkStack *stack;
  g_autoptr (CrmStore) store = NULL;

  if (!have_session_bus ())
    return;

  page = crm_onboarding_page_new (f->directory);
  g_signal_connect (page, "finished", G_CALLBACK (store_received_cb), &store);
  window = show_in_window (GTK_WIDGET (page));
  stack = template_child (page, type, "stack");

  gtk_switch_set_active (template_child (page, type, "sample_switch"), TRUE);
  click (template_child (page, type, "create_button"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "creating");
  WAIT_FOR (g_str_equal (gtk_stack_get_visible_child_name (stack), "recovery"));

  gtk_check_button_set_active (template_child (page, type, "saved_check"), TRUE);
  click (template_child (page, type, "continue_button"));
  g_assert_nonnull (store);
  g_assert_cmpint (count_rows (store, "contact"), ==, 200);

  destroy_window (window);
  g_assert_finalize_object (g_steal_pointer (&store));
}

static void
test_onboarding_existing_workspace (Fixture       *f,
                                    gconstpointer  data)
{
  const char *type = "CrmOnboardingPage";
  g_autoptr (CrmSecret) recovery_key = NULL;
  CrmOnboardingPage *page;
  GtkWindow *window;
  GtkStack *stack;
  GtkWidget *error_label;
  g_autoptr (CrmStore) store = NULL;
  Snapshot before = { 0, };

  if (!have_session_bus ())
    return;

  recovery_key = create_closed_workspace (f->directory, NULL);
  take_snapshot (f->directory, &before);

  page = crm_onboarding_page_new (f->directory);
  g_signal_connect (page, "finished", G_CALLBACK (store_received_cb), &store);
  window = show_in_window (GTK_WIDGET (page));
  stack = template_child (page, type, "stack");
  error_label = template_child (page, type, "error_label");

  click (template_child (page, type, "create_button"));
  WAIT_FOR (gtk_widget_get_visible (error_label));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "welcome");
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (error_label)), "exists already"));
  g_assert_null (store);
  assert_unchanged (f->directory, &before);

  destroy_window (window);
  snapshot_clear (&before);
}

/* The unlock page */

static gboolean
has_focus_within (GtkWindow *window,
                  GtkWidget *widget)
{
  GtkWidget *focus = gtk_window_get_focus (window);

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

static void
try_unlock (CrmUnlockPage *page,
            AdwEntryRow   *row,
            const char    *text)
{
  GtkWidget *spinner = template_child (page, "CrmUnlockPage", "spinner");

  gtk_editable_set_text (GTK_EDITABLE (row), text);
  /* Enter in the entry unlocks. */
  g_signal_emit_by_name (row, "entry-activated");
  g_assert_true (gtk_widget_get_visible (spinner));
  WAIT_FOR (!gtk_widget_get_visible (spinner));
}

static void
test_unlock_recovery_key (Fixture       *f,
                          gconstpointer  data)
{
  const char *type = "CrmUnlockPage";
  g_autoptr (CrmSecret) recovery_key = NULL;
  g_autoptr (CrmSecret) foreign = NULL;
  g_autoptr (CrmSecret) typo = NULL;
  g_autoptr (CrmWorkspaceResult) opened = NULL;
  g_autoptr (CrmStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) nothing = NULL;
  g_autofree char *uuid = NULL;
  CrmUnlockPage *page;
  GtkWindow *window;
  AdwEntryRow *row;
  GtkLabel *error_label;
  Snapshot before = { 0, };

  if (!have_session_bus ())
    return;

  recovery_key = create_closed_workspace (f->directory, &uuid);
  clear_keyring_entry (uuid);
  take_snapshot (f->directory, &before);

  opened = open_workspace (f->directory, &error);
  g_assert_no_error (error);
  g_assert_cmpint (opened->state, ==, CRM_WORKSPACE_NEEDS_UNLOCK);

  page = crm_unlock_page_new (f->directory, opened->protection, opened->protection_known);
  g_signal_connect (page, "unlocked", G_CALLBACK (store_received_cb), &store);
  window = show_in_window (GTK_WIDGET (page));
  row = template_child (page, type, "recovery_row");
  error_label = template_child (page, type, "error_label");

  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (row)));
  g_assert_false (gtk_widget_get_visible (template_child (page, type, "passphrase_row")));
  g_assert_false (gtk_widget_get_visible (template_child (page, type, "mode_button")));
  g_assert_false (gtk_widget_get_sensitive (template_child (page, type, "unlock_button")));
  gtk_widget_grab_focus (GTK_WIDGET (page));
  g_assert_true (has_focus_within (window, GTK_WIDGET (row)));

  /* A key of another workspace. */
  foreign = foreign_recovery_key ();
  try_unlock (page, row, foreign);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (error_label)));
  g_assert_cmpstr (gtk_label_get_label (error_label), ==,
                   "This recovery key does not open the workspace");
  g_assert_null (store);
  g_assert_true (has_focus_within (window, GTK_WIDGET (row)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, foreign);

  /* Typing clears the message. */
  gtk_editable_set_text (GTK_EDITABLE (row), "A");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (error_label)));

  /* A typing mistake: the checksum says so. */
  typo = g_strdup (recovery_key);
  typo[2] = typo[2] == 'A' ? 'B' : 'A';
  nothing = crm_key_from_recovery (typo, &error);
  g_assert_error (error, CRM_KEY_ERROR, CRM_KEY_ERROR_CHECKSUM);
  try_unlock (page, row, typo);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (error_label)));
  g_assert_cmpstr (gtk_label_get_label (error_label), ==, error->message);
  g_assert_null (store);
  g_assert_true (has_focus_within (window, GTK_WIDGET (row)));
  g_clear_error (&error);

  /* Not a recovery key at all. */
  try_unlock (page, row, "hello");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (error_label)));
  g_assert_null (store);

  /* Nothing was written by the failed attempts. */
  assert_unchanged (f->directory, &before);

  /* The right key, typed in lowercase with spaces. */
  {
    g_autofree char *typed = g_ascii_strdown (recovery_key, -1);

    g_strdelimit (typed, "-", ' ');
    try_unlock (page, row, typed);
  }
  g_assert_nonnull (store);
  g_assert_cmpstr (crm_store_get_uuid (store), ==, uuid);
  g_assert_false (crm_unlock_page_get_keyring_failed (page));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "");

  /* The key went back into the keyring. */
  assert_keyring_holds (uuid, recovery_key);

  destroy_window (window);
  g_assert_finalize_object (g_steal_pointer (&store));
  snapshot_clear (&before);
}

static CrmSecret *
create_passphrase_workspace (const char *directory)
{
  g_autoptr (CrmWorkspaceResult) created = NULL;
  g_autoptr (GError) error = NULL;
  CrmSecret *recovery_key;

  created = create_workspace (directory, &error);
  g_assert_no_error (error);
  g_assert_true (crm_store_rekey_to_passphrase (created->store, PASSPHRASE, &error));
  g_assert_no_error (error);
  crm_keyring_clear_sync (crm_store_get_uuid (created->store), NULL, NULL);
  recovery_key = g_steal_pointer (&created->recovery_key);
  g_assert_finalize_object (g_steal_pointer (&created->store));

  return recovery_key;
}

static void
test_unlock_passphrase (Fixture       *f,
                        gconstpointer  data)
{
  const char *type = "CrmUnlockPage";
  g_autoptr (CrmSecret) old_recovery_key = NULL;
  g_autoptr (CrmWorkspaceResult) opened = NULL;
  g_autoptr (CrmStore) store = NULL;
  g_autoptr (GError) error = NULL;
  CrmUnlockPage *page;
  GtkWindow *window;
  AdwEntryRow *row;
  GtkLabel *error_label;
  Snapshot before = { 0, };

  if (!have_session_bus ())
    return;

  old_recovery_key = create_passphrase_workspace (f->directory);
  take_snapshot (f->directory, &before);

  opened = open_workspace (f->directory, &error);
  g_assert_no_error (error);
  g_assert_cmpint (opened->state, ==, CRM_WORKSPACE_NEEDS_UNLOCK);
  g_assert_cmpint (opened->protection, ==, CRM_PROTECTION_PASSPHRASE);
  g_assert_true (opened->protection_known);

  page = crm_unlock_page_new (f->directory, opened->protection, opened->protection_known);
  g_signal_connect (page, "unlocked", G_CALLBACK (store_received_cb), &store);
  window = show_in_window (GTK_WIDGET (page));
  row = template_child (page, type, "passphrase_row");
  error_label = template_child (page, type, "error_label");

  g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (row));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (row)));
  g_assert_false (gtk_widget_get_visible (template_child (page, type, "recovery_row")));

  try_unlock (page, row, "not the passphrase");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (error_label)));
  g_assert_cmpstr (gtk_label_get_label (error_label), ==,
                   "This passphrase does not open the workspace");
  g_assert_null (store);
  g_assert_true (has_focus_within (window, GTK_WIDGET (row)));
  assert_unchanged (f->directory, &before);

  try_unlock (page, row, PASSPHRASE);
  g_assert_nonnull (store);
  g_assert_cmpint (crm_store_get_protection (store), ==, CRM_PROTECTION_PASSPHRASE);

  destroy_window (window);
  g_assert_finalize_object (g_steal_pointer (&store));
  snapshot_clear (&before);
}

static void
test_unlock_unknown_protection (Fixture       *f,
                                gconstpointer  data)
{
  const char *type = "CrmUnlockPage";
  g_autoptr (CrmSecret) recovery_key = NULL;
  g_autoptr (CrmWorkspaceResult) opened = NULL;
  g_autoptr (CrmStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *description = NULL;
  g_autofree char *uuid = NULL;
  CrmUnlockPage *page;
  GtkWindow *window;
  AdwEntryRow *recovery_row;
  AdwEntryRow *passphrase_row;
  GtkButton *mode_button;

  if (!have_session_bus ())
    return;

  /* The description says how the workspace is protected; without it the
   * page cannot know. */
  recovery_key = create_closed_workspace (f->directory, &uuid);
  clear_keyring_entry (uuid);
  description = g_build_filename (f->directory, "workspace.ini", NULL);
  g_assert_cmpint (g_unlink (description), ==, 0);

  opened = open_workspace (f->directory, &error);
  g_assert_no_error (error);
  g_assert_cmpint (opened->state, ==, CRM_WORKSPACE_NEEDS_UNLOCK);
  g_assert_false (opened->protection_known);

  page = crm_unlock_page_new (f->directory, opened->protection, opened->protection_known);
  g_signal_connect (page, "unlocked", G_CALLBACK (store_received_cb), &store);
  window = show_in_window (GTK_WIDGET (page));
  recovery_row = template_child (page, type, "recovery_row");
  passphrase_row = template_child (page, type, "passphrase_row");
  mode_button = template_child (page, type, "mode_button");

  /* Both ways in are offered, the recovery key first. */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (mode_button)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (recovery_row)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (passphrase_row)));

  click (mode_button);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (recovery_row)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (passphrase_row)));
  g_assert_true (has_focus_within (window, GTK_WIDGET (passphrase_row)));

  click (mode_button);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (recovery_row)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (passphrase_row)));
  g_assert_true (has_focus_within (window, GTK_WIDGET (recovery_row)));

  try_unlock (page, recovery_row, recovery_key);
  g_assert_nonnull (store);

  /* Opening mended the description. */
  g_assert_true (g_file_test (description, G_FILE_TEST_IS_REGULAR));

  destroy_window (window);
  g_assert_finalize_object (g_steal_pointer (&store));
}

/* The Security page */

static GtkWindow *
show_security_page (CrmStore         *store,
                    CrmSecurityPage **page_out)
{
  GtkWidget *window = adw_preferences_window_new ();
  CrmSecurityPage *page = crm_security_page_new (store);

  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (window), ADW_PREFERENCES_PAGE (page));
  gtk_window_present (GTK_WINDOW (window));
  WAIT_FOR (gtk_widget_get_mapped (window));
  *page_out = page;

  return GTK_WINDOW (window);
}

static void
test_security_switch_protection (Fixture       *f,
                                 gconstpointer  data)
{
  const char *type = "CrmSecurityPage";
  g_autoptr (CrmWorkspaceResult) created = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *new_recovery_key = NULL;
  CrmSecurityPage *page;
  GtkWindow *window;
  AdwMessageDialog *dialog;
  GtkEditable *first;
  GtkEditable *second;
  GtkButton *button;

  if (!have_session_bus ())
    return;

  created = create_workspace (f->directory, &error);
  g_assert_no_error (error);
  uuid = g_strdup (crm_store_get_uuid (created->store));
  window = show_security_page (created->store, &page);

  g_assert_cmpstr (gtk_label_get_label (template_child (page, type, "protection_label")), ==,
                   "Keyring");
  g_assert_true (gtk_widget_get_visible (template_child (page, type, "use_passphrase_row")));
  g_assert_false (gtk_widget_get_visible (template_child (page, type, "use_keyring_row")));
  g_assert_true (gtk_widget_get_sensitive (template_child (page, type, "show_recovery_row")));

  /* Keyring to passphrase: asked twice, at least eight characters. */
  g_signal_emit_by_name (template_child (page, type, "use_passphrase_row"), "activated");
  WAIT_FOR (find_dialog ("new-passphrase") != NULL);
  dialog = find_dialog ("new-passphrase");
  first = GTK_EDITABLE (find_named (GTK_WIDGET (dialog), "new-passphrase"));
  second = GTK_EDITABLE (find_named (GTK_WIDGET (dialog), "confirm-passphrase"));
  button = find_button (GTK_WIDGET (dialog), "_Use Passphrase");
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (button)));

  gtk_editable_set_text (first, "short");
  gtk_editable_set_text (second, "short");
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (button)));
  gtk_editable_set_text (first, PASSPHRASE);
  gtk_editable_set_text (second, PASSPHRASE "!");
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (button)));
  gtk_editable_set_text (second, PASSPHRASE);
  click (button);

  WAIT_FOR (!gtk_widget_get_visible (template_child (page, type, "spinner")));
  g_assert_cmpint (crm_store_get_protection (created->store), ==, CRM_PROTECTION_PASSPHRASE);
  g_assert_cmpstr (gtk_label_get_label (template_child (page, type, "protection_label")), ==,
                   "Passphrase");
  g_assert_false (gtk_widget_get_sensitive (template_child (page, type, "show_recovery_row")));
  clear_keyring_entry (uuid);

  /* A workspace on a passphrase has no recovery key to show. */
  g_assert_cmpstr (adw_action_row_get_subtitle (template_child (page, type, "show_recovery_row")),
                   ==, "A workspace protected by a passphrase has no recovery key");
  g_assert_true (gtk_widget_get_visible (template_child (page, type, "use_keyring_row")));
  g_assert_false (gtk_widget_get_visible (template_child (page, type, "use_passphrase_row")));

  /* The old recovery key no longer opens it. (That the passphrase does is
   * checked below, before going back to the keyring: key derivation is
   * slow, under the sanitizers most of all.) */
  {
    g_autoptr (GBytes) old_key = crm_key_from_recovery (created->recovery_key, &error);
    g_autoptr (CrmStore) with_key = NULL;

    g_assert_no_error (error);
    with_key = crm_store_open (f->directory, old_key, &error);
    g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_WRONG_KEY);
    g_clear_error (&error);
  }

  /* Passphrase to keyring: a wrong passphrase changes nothing. */
  g_signal_emit_by_name (template_child (page, type, "use_keyring_row"), "activated");
  WAIT_FOR (find_dialog ("current-passphrase") != NULL);
  dialog = find_dialog ("current-passphrase");
  gtk_editable_set_text (GTK_EDITABLE (find_named (GTK_WIDGET (dialog), "current-passphrase")),
                         "wrong passphrase");
  click (find_button (GTK_WIDGET (dialog), "C_ontinue"));
  g_assert_true (gtk_widget_get_visible (template_child (page, type, "spinner")));
  WAIT_FOR (!gtk_widget_get_visible (template_child (page, type, "spinner")));
  g_assert_cmpint (crm_store_get_protection (created->store), ==, CRM_PROTECTION_PASSPHRASE);
  g_assert_null (find_dialog ("recovery-label"));

  /* The right one opens it: a new key in the keyring, and a new recovery
   * key shown. */
  g_signal_emit_by_name (template_child (page, type, "use_keyring_row"), "activated");
  WAIT_FOR (find_dialog ("current-passphrase") != NULL);
  dialog = find_dialog ("current-passphrase");
  gtk_editable_set_text (GTK_EDITABLE (find_named (GTK_WIDGET (dialog), "current-passphrase")),
                         PASSPHRASE);
  click (find_button (GTK_WIDGET (dialog), "C_ontinue"));
  WAIT_FOR (find_dialog ("recovery-label") != NULL);
  g_assert_cmpint (crm_store_get_protection (created->store), ==, CRM_PROTECTION_KEYRING);

  dialog = find_dialog ("recovery-label");
  new_recovery_key = g_strdup (gtk_label_get_label (GTK_LABEL (find_named (GTK_WIDGET (dialog),
                                                                           "recovery-label"))));
  assert_recovery_groups (new_recovery_key);
  g_assert_cmpstr (new_recovery_key, !=, created->recovery_key);
  assert_keyring_holds (uuid, new_recovery_key);

  button = find_button (GTK_WIDGET (dialog), "_Done");
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (button)));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (find_named (GTK_WIDGET (dialog), "saved-check")),
                               TRUE);
  click (button);
  WAIT_FOR (find_dialog ("recovery-label") == NULL);

  /* The old recovery key stopped working; the new one opens the workspace. */
  {
    g_autoptr (GBytes) old_key = crm_key_from_recovery (created->recovery_key, &error);
    g_autoptr (GBytes) new_key = crm_key_from_recovery (new_recovery_key, &error);
    g_autoptr (CrmStore) with_old = NULL;
    g_autoptr (CrmStore) with_new = NULL;

    g_assert_no_error (error);
    with_old = crm_store_open (f->directory, old_key, &error);
    g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_WRONG_KEY);
    g_clear_error (&error);
    with_new = crm_store_open (f->directory, new_key, &error);
    g_assert_no_error (error);
  }

  destroy_window (window);
}

static void
test_security_show_recovery_key (Fixture       *f,
                                 gconstpointer  data)
{
  const char *type = "CrmSecurityPage";
  g_autoptr (CrmWorkspaceResult) created = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmSecret) expected = NULL;
  CrmSecurityPage *page;
  GtkWindow *window;
  AdwMessageDialog *dialog;
  const char *shown;

  if (!have_session_bus ())
    return;

  created = create_workspace (f->directory, &error);
  g_assert_no_error (error);
  window = show_security_page (created->store, &page);

  /* Cancelling the confirmation shows nothing. */
  g_signal_emit_by_name (template_child (page, type, "show_recovery_row"), "activated");
  WAIT_FOR (find_dialog (NULL) != NULL);
  click (find_button (GTK_WIDGET (find_dialog (NULL)), "_Cancel"));
  WAIT_FOR (find_dialog (NULL) == NULL);

  g_signal_emit_by_name (template_child (page, type, "show_recovery_row"), "activated");
  WAIT_FOR (find_dialog (NULL) != NULL);
  click (find_button (GTK_WIDGET (find_dialog (NULL)), "_Show"));
  WAIT_FOR (find_dialog ("recovery-label") != NULL);

  dialog = find_dialog ("recovery-label");
  shown = gtk_label_get_label (GTK_LABEL (find_named (GTK_WIDGET (dialog), "recovery-label")));
  expected = crm_workspace_loader_format_recovery_key (created->recovery_key);
  g_assert_cmpstr (shown, ==, expected);

  /* Seeing it again needs no confirmation that it was saved. */
  click (find_button (GTK_WIDGET (dialog), "_Done"));
  WAIT_FOR (find_dialog (NULL) == NULL);

  destroy_window (window);
}

static void
test_format_recovery_key (void)
{
  const char *key = "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE-FFFFF-GGGGG-HHHHH-IIIII-JJJJJ-KKKKK";
  g_autoptr (CrmSecret) shown = crm_workspace_loader_format_recovery_key (key);

  g_assert_cmpstr (shown, ==,
                   "AAAAA BBBBB CCCCC DDDDD\nEEEEE FFFFF GGGGG HHHHH\nIIIII JJJJJ KKKKK");
}

static void
test_save_recovery_key (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->base, "key.txt", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (CrmSecret) recovery_key = foreign_recovery_key ();
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  GStatBuf info;

  g_assert_true (crm_workspace_loader_save_recovery_key (file, recovery_key,
                                                         "8e0f4f5e-5bf8-4f49-9d0c-1c1e3f9d8a10",
                                                         &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_nonnull (strstr (contents, recovery_key));
  g_assert_nonnull (strstr (contents, "8e0f4f5e-5bf8-4f49-9d0c-1c1e3f9d8a10"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  /* The types the tests look up by name. */
  g_type_ensure (CRM_TYPE_ONBOARDING_PAGE);
  g_type_ensure (CRM_TYPE_UNLOCK_PAGE);
  g_type_ensure (CRM_TYPE_SECURITY_PAGE);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/loader/no-workspace", test_loader_no_workspace);
  ADD ("/loader/opens-with-keyring", test_loader_opens_with_keyring);
  ADD ("/loader/needs-unlock", test_loader_needs_unlock);
  ADD ("/loader/stale-keyring-key", test_loader_stale_keyring_key);
  ADD ("/loader/save-recovery-key", test_save_recovery_key);
  g_test_add_func ("/loader/format-recovery-key", test_format_recovery_key);
  ADD ("/onboarding/create", test_onboarding_create);
  ADD ("/onboarding/sample-data", test_onboarding_sample_data);
  ADD ("/onboarding/existing-workspace", test_onboarding_existing_workspace);
  ADD ("/unlock/recovery-key", test_unlock_recovery_key);
  ADD ("/unlock/passphrase", test_unlock_passphrase);
  ADD ("/unlock/unknown-protection", test_unlock_unknown_protection);
  ADD ("/security/switch-protection", test_security_switch_protection);
  ADD ("/security/show-recovery-key", test_security_show_recovery_key);

  return g_test_run ();
}
