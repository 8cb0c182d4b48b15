/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "crm-test-util.h"
#include "crm-contact-list-row.h"
#include "crm-initials.h"
#include "crm-row-text.h"
#include "crm-contacts-view.h"
#include "crm-contact.h"
#include "crm-contact-editor.h"
#include "crm-contacts.h"
#include "crm-deal-page.h"
#include "crm-fields.h"
#include "crm-segment.h"
#include "crm-key.h"

typedef struct
{
  char            *dir;
  CrmStore        *store;
  GSettings       *settings;
  GtkWindow       *window;
  CrmContactsView *view;
  guint            n_rows_made;
} Fixture;

/* Runs the main loop until @condition holds or five seconds have passed. */
#define WAIT_FOR(condition) CRM_TEST_WAIT_FOR_MS (condition, 5000)

static gpointer
template_child (gpointer    widget,
                GType       type,
                const char *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);
}

#define VIEW_CHILD(f, name) template_child ((f)->view, CRM_TYPE_CONTACTS_VIEW, (name))

static void
add_contacts (Fixture             *f,
              const CrmNewContact *contacts,
              gsize                n_contacts)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (crm_contacts_add_many (f->store, contacts, n_contacts, NULL, &error));
  g_assert_no_error (error);
}

/* @n contacts with made-up Vietnamese names, every tenth a Nguyễn. */
static void
add_generated_contacts (Fixture *f,
                        guint    n)
{
  static const char *const families[] = { "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng",
                                          "Bùi", "Đỗ", "Hồ" };
  static const char *const middles[] = { "Văn", "Thị", "Minh", "Thanh", "Quốc" };
  static const char *const givens[] = { "An", "Bình", "Châu", "Dũng", "Giang", "Hải", "Khánh",
                                        "Linh", "Mai", "Phúc", "Quân", "Tâm", "Uyên", "Vy" };
  g_autoptr (GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  g_autofree CrmNewContact *contacts = g_new0 (CrmNewContact, n);

  for (guint i = 0; i < n; i++)
    {
      char *email = g_strdup_printf ("contact%u@example.vn", i);
      char *phone = g_strdup_printf ("+8490%07u", i);

      g_ptr_array_add (strings, email);
      g_ptr_array_add (strings, phone);
      contacts[i].family_name = i % 10 == 0 ? "Nguyễn" : families[i % G_N_ELEMENTS (families)];
      contacts[i].middle_name = middles[i % G_N_ELEMENTS (middles)];
      contacts[i].given_name = givens[(i / 3) % G_N_ELEMENTS (givens)];
      contacts[i].email = email;
      contacts[i].phone_e164 = phone;
    }

  add_contacts (f, contacts, n);
}

static void
on_factory_setup (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  Fixture                  *f)
{
  f->n_rows_made++;
}

/* Makes the view in a window, counting the rows its list makes. */
static void
show_view (Fixture *f,
           int      height)
{
  GtkListView *list_view;

  f->view = crm_contacts_view_new (f->store, f->settings);
  list_view = VIEW_CHILD (f, "list_view");
  g_signal_connect (gtk_list_view_get_factory (list_view), "setup",
                    G_CALLBACK (on_factory_setup), f);

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 480, height);
  gtk_window_set_child (f->window, GTK_WIDGET (f->view));
  gtk_window_present (f->window);

  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (f->view)));
}

static GListModel *
model (Fixture *f)
{
  return G_LIST_MODEL (crm_contacts_view_get_model (f->view));
}

static gboolean
loaded (Fixture *f)
{
  return !crm_contact_list_get_loading (crm_contacts_view_get_model (f->view));
}

static const char *
visible_page (Fixture *f)
{
  return gtk_stack_get_visible_child_name (VIEW_CHILD (f, "stack"));
}

static const char *
count_text (Fixture *f)
{
  return gtk_label_get_text (VIEW_CHILD (f, "count_label"));
}

static char *
display_name_at (Fixture *f,
                 guint    position)
{
  g_autoptr (CrmContactRow) row = g_list_model_get_item (model (f), position);

  return row != NULL ? g_strdup (crm_contact_row_get_display_name (row)) : NULL;
}

static gboolean
first_is (Fixture    *f,
          const char *name)
{
  g_autofree char *first = display_name_at (f, 0);

  return loaded (f) && g_strcmp0 (first, name) == 0;
}

static void
collect_rows (GtkWidget *widget,
              GPtrArray *rows)
{
  if (CRM_IS_CONTACT_LIST_ROW (widget))
    g_ptr_array_add (rows, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_rows (child, rows);
}

/* The rows that show a contact now. */
static GPtrArray *
bound_rows (Fixture *f)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new ();
  GPtrArray *bound = g_ptr_array_new ();

  collect_rows (VIEW_CHILD (f, "list_view"), rows);
  for (guint i = 0; i < rows->len; i++)
    {
      if (crm_contact_list_row_get_contact (rows->pdata[i]) != NULL)
        g_ptr_array_add (bound, rows->pdata[i]);
    }

  return bound;
}

static gboolean
row_shows_id (Fixture *f,
              gint64   id)
{
  g_autoptr (GPtrArray) rows = bound_rows (f);

  for (guint i = 0; i < rows->len; i++)
    {
      if (crm_contact_row_get_id (crm_contact_list_row_get_contact (rows->pdata[i])) == id)
        return TRUE;
    }

  return FALSE;
}

static void
set_search (Fixture    *f,
            const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (VIEW_CHILD (f, "search_entry")), text);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) key = crm_key_generate (&error);
  g_autofree char *workspace = NULL;

  g_assert_no_error (error);
  f->dir = g_dir_make_tmp ("rapport-test-XXXXXX", &error);
  g_assert_no_error (error);
  workspace = g_build_filename (f->dir, "workspace", NULL);
  f->store = crm_store_create (workspace, key, &error);
  g_assert_no_error (error);

  f->settings = g_settings_new (APPLICATION_ID);
  g_settings_reset (f->settings, "contacts-sort");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->window != NULL)
    {
      CrmContactList *list = crm_contacts_view_get_model (f->view);

      /* The list, and so the store, go with the window once its worker is done. */
      g_object_add_weak_pointer (G_OBJECT (list), (gpointer *) &list);
      gtk_window_destroy (f->window);
      WAIT_FOR (list == NULL);
    }

  g_assert_finalize_object (f->store);
  g_clear_object (&f->settings);
  crm_test_remove_tree (f->dir);
  g_free (f->dir);
}

/* The view as the window holds it: wide enough for its three panes, under
 * the overlay its toasts go to. */
static void
show_wide_view (Fixture *f)
{
  GtkWidget *overlay = adw_toast_overlay_new ();

  f->view = crm_contacts_view_new (f->store, f->settings);
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), GTK_WIDGET (f->view));
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1200, 700);
  gtk_window_set_child (f->window, overlay);
  gtk_window_present (f->window);

  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (f->view)));
  /* Under a window manager the window is placed a moment after it maps;
   * the filter popover needs to know its monitor. */
  WAIT_FOR (gdk_display_get_monitor_at_surface (gtk_widget_get_display (GTK_WIDGET (f->window)),
                                                gtk_native_get_surface (GTK_NATIVE (f->window)))
            != NULL);
}

static gint64
query_int (Fixture    *f,
           const char *sql)
{
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt = crm_store_prepare (f->store, sql, &error);
  gint64 value = -1;

  g_assert_no_error (error);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

static void
editor_set (GtkWindow  *editor,
            const char *row,
            const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (editor),
                                                                      CRM_TYPE_CONTACT_EDITOR,
                                                                      row)),
                         text);
}

static char *
name_of (Fixture *f,
         gint64   id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmContact) contact = crm_contact_load (f->store, id, &error);

  return contact != NULL ? g_strdup (crm_contact_get_display_name (contact)) : NULL;
}

/* Ctrl+N's action makes a contact through the editor, clean; Undo takes
 * it back; editing and its Undo go the same way. */
static void
test_create_edit_undo (Fixture       *f,
                       gconstpointer  data)
{
  GtkWindow *editor;
  gint64 id;

  show_wide_view (f);
  WAIT_FOR (loaded (f));
  g_assert_cmpstr (visible_page (f), ==, "empty");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "contacts.new", NULL));
  WAIT_FOR ((editor = find_toplevel (CRM_TYPE_CONTACT_EDITOR)) != NULL);
  editor_set (editor, "family_row", "nguyễn");
  editor_set (editor, "middle_row", "văn");
  editor_set (editor, "given_row", "đức");
  crm_test_run_ms (400);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  WAIT_FOR (find_toplevel (CRM_TYPE_CONTACT_EDITOR) == NULL);
  WAIT_FOR (loaded (f) && g_list_model_get_n_items (model (f)) == 1);
  WAIT_FOR (first_is (f, "Nguyễn Văn Đức"));
  id = crm_contact_list_get_id (crm_contacts_view_get_model (f->view), 0);

  /* The page of the new contact is on show. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (VIEW_CHILD (f, "detail_stack")), ==,
                   "contact");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "contacts.undo", NULL));
  WAIT_FOR (loaded (f) && g_list_model_get_n_items (model (f)) == 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM contact"), ==, 0);

  /* Edit an existing contact, then undo the edit. */
  {
    CrmNewContact contact = { .family_name = "Trần", .middle_name = "Thị", .given_name = "Lan" };

    add_contacts (f, &contact, 1);
  }
  WAIT_FOR (loaded (f) && g_list_model_get_n_items (model (f)) == 1);
  id = crm_contact_list_get_id (crm_contacts_view_get_model (f->view), 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "contacts.edit", "x", id));
  WAIT_FOR ((editor = find_toplevel (CRM_TYPE_CONTACT_EDITOR)) != NULL);
  editor_set (editor, "given_row", "hương");
  crm_test_run_ms (400);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  WAIT_FOR (find_toplevel (CRM_TYPE_CONTACT_EDITOR) == NULL);
  {
    g_autofree char *name = name_of (f, id);

    g_assert_cmpstr (name, ==, "Trần Thị Hương");
  }
  WAIT_FOR (first_is (f, "Trần Thị Hương"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "contacts.undo", NULL));
  {
    g_autofree char *name = name_of (f, id);

    g_assert_cmpstr (name, ==, "Trần Thị Lan");
  }
  WAIT_FOR (first_is (f, "Trần Thị Lan"));
}

/* Archiving takes a contact out of the list and into Archived; Undo puts
 * it back. Delete archives the selected contact. */
static void
test_archive (Fixture       *f,
              gconstpointer  data)
{
  gint64 id;

  add_generated_contacts (f, 20);
  show_wide_view (f);
  WAIT_FOR (loaded (f) && g_list_model_get_n_items (model (f)) == 20);

  id = crm_contact_list_get_id (crm_contacts_view_get_model (f->view), 3);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "contacts.archive", "x", id));
  WAIT_FOR (loaded (f) && g_list_model_get_n_items (model (f)) == 19);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM contact WHERE archived = 1"), ==, 1);

  /* The Archived list shows it. */
  gtk_list_box_select_row (VIEW_CHILD (f, "sidebar_list"),
                           gtk_list_box_get_row_at_index (VIEW_CHILD (f, "sidebar_list"), 2));
  WAIT_FOR (loaded (f) && g_list_model_get_n_items (model (f)) == 1);
  g_assert_cmpint (crm_contact_list_get_id (crm_contacts_view_get_model (f->view), 0), ==, id);

  gtk_list_box_select_row (VIEW_CHILD (f, "sidebar_list"),
                           gtk_list_box_get_row_at_index (VIEW_CHILD (f, "sidebar_list"), 0));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "contacts.undo", NULL));
  WAIT_FOR (loaded (f) && g_list_model_get_n_items (model (f)) == 20);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM contact WHERE archived = 1"), ==, 0);

  /* Delete, on the one selected contact. */
  gtk_selection_model_select_item (gtk_list_view_get_model (VIEW_CHILD (f, "list_view")), 5, TRUE);
  id = crm_contact_list_get_id (crm_contacts_view_get_model (f->view), 5);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "contacts.archive-selected",
                                             NULL));
  WAIT_FOR (loaded (f) && g_list_model_get_n_items (model (f)) == 19);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT archived FROM contact WHERE id = %"
                                            G_GINT64_FORMAT, id);

    g_assert_cmpint (query_int (f, sql), ==, 1);
  }
}

static AdwMessageDialog *
find_message_dialog (void)
{
  return (AdwMessageDialog *) find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
}

/* Select All takes the whole list; a tag goes on every contact in one
 * change, and one Undo takes it off again. */
static void
test_bulk_tag (Fixture       *f,
               gconstpointer  data)
{
  AdwMessageDialog *dialog;

  add_generated_contacts (f, 60);
  show_wide_view (f);
  WAIT_FOR (loaded (f) && g_list_model_get_n_items (model (f)) == 60);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "contacts.select-all", NULL));
  WAIT_FOR (gtk_revealer_get_reveal_child (VIEW_CHILD (f, "selection_revealer")));
  g_assert_cmpstr (gtk_label_get_text (VIEW_CHILD (f, "selection_label")), ==, "60 selected");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (VIEW_CHILD (f, "detail_stack")), ==,
                   "selection");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "contacts.bulk-tag", NULL));
  WAIT_FOR ((dialog = find_message_dialog ()) != NULL);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "apply"));
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), "Khách VIP");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "apply"));
  adw_message_dialog_response (dialog, "apply");
  gtk_window_destroy (GTK_WINDOW (dialog));

  WAIT_FOR (query_int (f, "SELECT count(*) FROM contact_tag") == 60);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM tag WHERE name = 'Khách VIP'"), ==, 1);
  /* Search finds them by their tag. */
  set_search (f, "khach vip");
  WAIT_FOR (loaded (f) && g_list_model_get_n_items (model (f)) == 60);
  set_search (f, "");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "contacts.undo", NULL));
  WAIT_FOR (query_int (f, "SELECT count(*) FROM contact_tag") == 0);
}

/* A search saved as a segment shows in the sidebar, and opening it
 * lists its contacts. */
static void
test_save_segment (Fixture       *f,
                   gconstpointer  data)
{
  AdwMessageDialog *dialog;
  g_autoptr (GPtrArray) segments = NULL;
  g_autoptr (GError) error = NULL;
  GtkListBox *sidebar;
  guint n_rows = 0;

  add_generated_contacts (f, 50);
  show_wide_view (f);
  WAIT_FOR (loaded (f) && g_list_model_get_n_items (model (f)) == 50);
  set_search (f, "nguyen");
  WAIT_FOR (loaded (f) && g_list_model_get_n_items (model (f)) == 5);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "contacts.save-segment", NULL));
  WAIT_FOR ((dialog = find_message_dialog ()) != NULL);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "save"));
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), "Họ Nguyễn");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "save"));
  adw_message_dialog_response (dialog, "save");
  gtk_window_destroy (GTK_WINDOW (dialog));

  segments = crm_segments_list (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (segments->len, ==, 1);
  g_assert_cmpstr (((CrmSegment *) segments->pdata[0])->name, ==, "Họ Nguyễn");
  g_assert_cmpstr (((CrmSegment *) segments->pdata[0])->query, ==, "nguyen");

  /* All, Companies, Archived, the heading, the segment. */
  sidebar = VIEW_CHILD (f, "sidebar_list");
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (sidebar)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    n_rows++;
  g_assert_cmpuint (n_rows, ==, 5);

  /* Back to everybody, then into the segment. */
  gtk_list_box_select_row (sidebar, gtk_list_box_get_row_at_index (sidebar, 0));
  WAIT_FOR (loaded (f) && g_list_model_get_n_items (model (f)) == 50);
  gtk_list_box_select_row (sidebar, gtk_list_box_get_row_at_index (sidebar, 4));
  WAIT_FOR (loaded (f) && g_list_model_get_n_items (model (f)) == 5);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (VIEW_CHILD (f, "search_entry"))), ==,
                   "nguyen");

  /* Its live count comes from a worker thread. */
  {
    GtkLabel *count = g_object_get_data (G_OBJECT (gtk_list_box_get_row_at_index (sidebar, 4)),
                                         "count-label");

    WAIT_FOR (g_strcmp0 (gtk_label_get_text (count), "5") == 0);
  }
}

/* The Companies list, searched without accents; picking one shows its
 * page. */
static void
test_companies (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  GtkListBox *sidebar;
  GtkSelectionModel *companies;

  g_assert_true (crm_store_exec (f->store,
                                 "INSERT INTO company (name, province) VALUES "
                                 "('Công ty TNHH Đông Dương', 'Hà Nội'), "
                                 "('Công ty Cổ phần Ánh Dương', 'Đà Nẵng')",
                                 &error));
  g_assert_no_error (error);
  show_wide_view (f);
  sidebar = VIEW_CHILD (f, "sidebar_list");
  gtk_list_box_select_row (sidebar, gtk_list_box_get_row_at_index (sidebar, 1));
  WAIT_FOR (g_strcmp0 (visible_page (f), "companies") == 0);
  g_assert_cmpstr (count_text (f), ==, "2 companies");
  g_assert_cmpstr (adw_status_page_get_title (VIEW_CHILD (f, "none_page")), ==,
                   "No Company Selected");

  set_search (f, "dong duong");
  companies = gtk_list_view_get_model (VIEW_CHILD (f, "company_view"));
  WAIT_FOR (g_list_model_get_n_items (G_LIST_MODEL (companies)) == 1);
  gtk_selection_model_select_item (companies, 0, TRUE);
  WAIT_FOR (g_strcmp0 (gtk_stack_get_visible_child_name (VIEW_CHILD (f, "detail_stack")),
                       "company") == 0);
}

static GtkWidget *
find_button_with_label (GtkWidget  *widget,
                        const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_with_label (child, label);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The drop-down among @widget's descendants that offers @item. */
static GtkDropDown *
find_drop_down_with (GtkWidget  *widget,
                     const char *item)
{
  if (GTK_IS_DROP_DOWN (widget))
    {
      GListModel *items = gtk_drop_down_get_model (GTK_DROP_DOWN (widget));

      for (guint i = 0; GTK_IS_STRING_LIST (items) && i < g_list_model_get_n_items (items); i++)
        {
          if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (items), i), item) == 0)
            return GTK_DROP_DOWN (widget);
        }
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkDropDown *found = find_drop_down_with (child, item);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The filter popover offers the custom fields; a choice narrows the list,
 * the filter saves as a segment, and deleting the segment keeps its
 * contacts. */
static void
test_custom_field_filter_and_segment (Fixture       *f,
                                      gconstpointer  data)
{
  static const char *const options[] = { "Vàng", "Bạc", NULL };
  g_autoptr (GError) error = NULL;
  GtkWidget *box;
  GPtrArray *controls;
  AdwMessageDialog *dialog;
  gint64 field;

  add_generated_contacts (f, 30);
  field = crm_custom_field_create (f->store, CRM_FIELD_ENTITY_CONTACT, "Hạng thành viên",
                                   CRM_FIELD_TYPE_CHOICE, options, &error);
  g_assert_no_error (error);
  {
    g_autofree char *sql = g_strdup_printf ("INSERT INTO custom_value (field_id, entity_id, value) "
                                            "SELECT %" G_GINT64_FORMAT ", id, CASE WHEN id %% 3 = 0 "
                                            "THEN 'Vàng' ELSE 'Bạc' END FROM contact",
                                            field);

    g_assert_true (crm_store_exec (f->store, sql, &error));
    g_assert_no_error (error);
  }
  show_wide_view (f);
  WAIT_FOR (loaded (f) && g_list_model_get_n_items (model (f)) == 30);

  gtk_menu_button_popup (VIEW_CHILD (f, "filter_button"));
  box = VIEW_CHILD (f, "filter_box");
  WAIT_FOR ((controls = g_object_get_data (G_OBJECT (box), "custom-controls")) != NULL);
  g_assert_cmpuint (controls->len, ==, 1);
  /* Any, Vàng, Bạc */
  {
    GtkDropDown *choice = find_drop_down_with (box, "Vàng");

    g_assert_nonnull (choice);
    gtk_drop_down_set_selected (choice, 1);
  }
  g_signal_emit_by_name (find_button_with_label (box, "_Apply"), "clicked");
  WAIT_FOR (loaded (f) && g_list_model_get_n_items (model (f)) == 10);
  g_assert_true (gtk_revealer_get_reveal_child (VIEW_CHILD (f, "filter_revealer")));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "contacts.save-segment", NULL));
  WAIT_FOR ((dialog = find_message_dialog ()) != NULL);
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), "Hạng Vàng");
  adw_message_dialog_response (dialog, "save");
  gtk_window_destroy (GTK_WINDOW (dialog));
  WAIT_FOR (gtk_widget_get_visible (VIEW_CHILD (f, "delete_segment_button")));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "contacts.delete-segment", NULL));
  WAIT_FOR ((dialog = find_message_dialog ()) != NULL);
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "delete"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_response (dialog, "delete");
  gtk_window_destroy (GTK_WINDOW (dialog));
  WAIT_FOR (loaded (f) && g_list_model_get_n_items (model (f)) == 30);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM segment"), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM contact"), ==, 30);
}

/* A deal listed on a contact's page opens on the deal page. */
static void
test_open_deal (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  GtkWindow *editor;
  gint64 deal;

  g_assert_true (crm_store_exec (f->store,
                                 "INSERT INTO deal (title, stage_id, value, currency) "
                                 "SELECT 'Máy lọc nước', min(id), 12500000, 'VND' FROM stage",
                                 &error));
  g_assert_no_error (error);
  deal = query_int (f, "SELECT max(id) FROM deal");
  show_wide_view (f);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "contacts.open-deal", "x", deal));
  WAIT_FOR ((editor = find_toplevel (CRM_TYPE_DEAL_PAGE)) != NULL);
  g_assert_true (gtk_window_get_transient_for (editor) == f->window);
  g_assert_cmpint (crm_deal_page_get_deal_id (CRM_DEAL_PAGE (editor)), ==, deal);
  gtk_window_destroy (editor);

  /* A deal that is gone says so and opens nothing. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "contacts.open-deal", "x",
                                             (gint64) 987654));
  g_assert_null (find_toplevel (CRM_TYPE_DEAL_PAGE));
}

static void
test_empty_workspace (Fixture       *f,
                      gconstpointer  data)
{
  show_view (f, 600);

  WAIT_FOR (loaded (f) && g_str_equal (visible_page (f), "empty"));
  g_assert_cmpuint (g_list_model_get_n_items (model (f)), ==, 0);
  g_assert_cmpstr (count_text (f), ==, "0 contacts");
  g_assert_cmpstr (adw_status_page_get_title (VIEW_CHILD (f, "empty_page")), ==,
                   "No Contacts Yet");

  /* A search in an empty workspace still says there is nobody at all. */
  set_search (f, "nguyen");
  WAIT_FOR (g_strcmp0 (crm_contact_list_get_query (crm_contacts_view_get_model (f->view)),
                       "nguyen") == 0);
  g_assert_cmpstr (visible_page (f), ==, "empty");
  g_assert_cmpstr (count_text (f), ==, "0 matches");
}

static void
test_lists_and_counts (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr (GPtrArray) rows = NULL;

  add_generated_contacts (f, 50);
  show_view (f, 600);

  WAIT_FOR (loaded (f) && g_list_model_get_n_items (model (f)) == 50);
  g_assert_cmpstr (visible_page (f), ==, "list");
  g_assert_nonnull (strstr (count_text (f), "50"));
  g_assert_cmpstr (count_text (f), ==, "50 contacts");

  /* Nobody is selected before the user picks someone. */
  {
    g_autoptr (GtkBitset) selected =
      gtk_selection_model_get_selection (gtk_list_view_get_model (VIEW_CHILD (f, "list_view")));

    g_assert_true (gtk_bitset_is_empty (selected));
  }

  /* The rows on screen show contacts of the list. */
  WAIT_FOR (row_shows_id (f, crm_contact_list_get_id (crm_contacts_view_get_model (f->view), 0)));
  rows = bound_rows (f);
  g_assert_cmpuint (rows->len, >, 0);
  g_assert_cmpuint (rows->len, <=, 50);
}

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  guint n_items;

  add_generated_contacts (f, 50);
  show_view (f, 600);
  WAIT_FOR (loaded (f) && g_list_model_get_n_items (model (f)) == 50);

  /* Without marks, in lower case, the search finds the Nguyễns, and only them. */
  set_search (f, "nguyen");
  WAIT_FOR (g_list_model_get_n_items (model (f)) == 5);
  n_items = g_list_model_get_n_items (model (f));
  for (guint i = 0; i < n_items; i++)
    {
      g_autofree char *name = display_name_at (f, i);

      g_assert_true (g_str_has_prefix (name, "Nguyễn "));
    }
  g_assert_cmpstr (visible_page (f), ==, "list");
  g_assert_cmpstr (count_text (f), ==, "5 matches");

  set_search (f, "khongcoai");
  WAIT_FOR (g_str_equal (visible_page (f), "no-matches"));
  g_assert_cmpuint (g_list_model_get_n_items (model (f)), ==, 0);
  g_assert_cmpstr (count_text (f), ==, "0 matches");

  /* Escape in the entry clears the search: everybody is back. */
  g_signal_emit_by_name (VIEW_CHILD (f, "search_entry"), "stop-search");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (VIEW_CHILD (f, "search_entry"))), ==, "");
  g_assert_true (gtk_widget_is_visible (VIEW_CHILD (f, "search_entry")));
  WAIT_FOR (g_list_model_get_n_items (model (f)) == 50);
  g_assert_cmpstr (visible_page (f), ==, "list");
  g_assert_cmpstr (count_text (f), ==, "50 contacts");

  /* A phone number as the list shows it finds its contact; clearing the
   * text by hand brings everybody back too. */
  set_search (f, "0900 000 012");
  WAIT_FOR (g_list_model_get_n_items (model (f)) == 1);
  g_assert_cmpstr (count_text (f), ==, "1 match");
  set_search (f, "");
  WAIT_FOR (g_list_model_get_n_items (model (f)) == 50);

  /* Spaces around words change nothing; spaces alone are no search. */
  set_search (f, "  nguyen ");
  WAIT_FOR (g_list_model_get_n_items (model (f)) == 5);
  set_search (f, "   ");
  WAIT_FOR (g_list_model_get_n_items (model (f)) == 50);
  g_assert_cmpstr (crm_contact_list_get_query (crm_contacts_view_get_model (f->view)), ==, "");
  g_assert_cmpstr (visible_page (f), ==, "list");
  g_assert_cmpstr (count_text (f), ==, "50 contacts");
}

static void
test_sort_setting (Fixture       *f,
                   gconstpointer  data)
{
  /* By given name An, Bình, Yến; by family name Lê, Phạm, Trần. */
  const CrmNewContact contacts[] = {
    { .family_name = "Lê", .middle_name = "Thị", .given_name = "Yến" },
    { .family_name = "Trần", .middle_name = "Văn", .given_name = "An" },
    { .family_name = "Phạm", .middle_name = "Minh", .given_name = "Bình" },
  };

  add_contacts (f, contacts, G_N_ELEMENTS (contacts));
  show_view (f, 600);

  WAIT_FOR (first_is (f, "Trần Văn An"));
  g_assert_cmpint (crm_contact_list_get_sort_order (crm_contacts_view_get_model (f->view)), ==,
                   CRM_SORT_GIVEN_NAME);
  {
    g_autofree char *second = display_name_at (f, 1);

    g_assert_cmpstr (second, ==, "Phạm Minh Bình");
  }

  g_settings_set_string (f->settings, "contacts-sort", "family-name");
  WAIT_FOR (first_is (f, "Lê Thị Yến"));
  g_assert_cmpint (crm_contact_list_get_sort_order (crm_contacts_view_get_model (f->view)), ==,
                   CRM_SORT_FAMILY_NAME);
  {
    g_autofree char *last = display_name_at (f, 2);

    g_assert_cmpstr (last, ==, "Trần Văn An");
  }

  g_settings_set_string (f->settings, "contacts-sort", "given-name");
  WAIT_FOR (first_is (f, "Trần Văn An"));
}

static void
test_sort_setting_at_start (Fixture       *f,
                            gconstpointer  data)
{
  const CrmNewContact contacts[] = {
    { .family_name = "Trần", .middle_name = "Văn", .given_name = "An" },
    { .family_name = "Lê", .middle_name = "Thị", .given_name = "Yến" },
  };

  add_contacts (f, contacts, G_N_ELEMENTS (contacts));
  g_settings_set_string (f->settings, "contacts-sort", "family-name");
  show_view (f, 600);

  WAIT_FOR (first_is (f, "Lê Thị Yến"));
}

static gboolean
scrolled_to_end (Fixture *f)
{
  GtkAdjustment *adjustment =
    gtk_scrolled_window_get_vadjustment (VIEW_CHILD (f, "scrolled_window"));
  CrmContactList *list = crm_contacts_view_get_model (f->view);
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (list));

  /* The list estimates the heights of rows it has not seen, so the end
   * moves as it measures: keep going to it until the last row shows. */
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  return row_shows_id (f, crm_contact_list_get_id (list, n_items - 1));
}

static void
test_recycles_rows (Fixture       *f,
                    gconstpointer  data)
{
  CrmContactList *list;
  g_autoptr (GPtrArray) rows = g_ptr_array_new ();

  add_generated_contacts (f, 5000);
  show_view (f, 400);
  list = crm_contacts_view_get_model (f->view);

  WAIT_FOR (loaded (f) && g_list_model_get_n_items (model (f)) == 5000);
  g_assert_cmpstr (count_text (f), ==, "5000 contacts");
  WAIT_FOR (row_shows_id (f, crm_contact_list_get_id (list, 0)));

  WAIT_FOR (scrolled_to_end (f));
  g_assert_false (row_shows_id (f, crm_contact_list_get_id (list, 0)));

  collect_rows (VIEW_CHILD (f, "list_view"), rows);
  g_test_message ("%u rows made, %u alive, %u contacts read", f->n_rows_made, rows->len,
                  crm_contact_list_get_n_materialized (list));
  /* GTK 4.8's list view keeps up to 200 rows (GTK_LIST_VIEW_MAX_LIST_ITEMS)
   * around its anchor, plus a few around the focus and the selection, however
   * short the window and however long the list: a fixed number, never one a
   * contact. (GTK 4.12 sizes that to the viewport.) */
  g_assert_cmpuint (f->n_rows_made, >, 0);
  g_assert_cmpuint (f->n_rows_made, <, 250);
  g_assert_cmpuint (rows->len, <, 250);
  g_assert_cmpuint (crm_contact_list_get_n_materialized (list), <, 500);
}

static void
test_keyboard_and_accessibility (Fixture       *f,
                                 gconstpointer  data)
{
  const CrmNewContact contact = {
    .family_name = "Nguyễn", .middle_name = "Văn", .given_name = "Đức",
    .email = "duc@example.vn", .phone_e164 = "+84903123456",
  };
  GtkWidget *entry;
  GtkWidget *focus;
  g_autofree char *placeholder = NULL;
  g_autoptr (GPtrArray) rows = NULL;

  add_contacts (f, &contact, 1);
  show_view (f, 600);
  WAIT_FOR (loaded (f) && g_str_equal (visible_page (f), "list"));
  entry = VIEW_CHILD (f, "search_entry");

  /* Ctrl+F puts the keyboard in the search entry. */
  gtk_widget_grab_focus (VIEW_CHILD (f, "list_view"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "contacts.search", NULL));
  focus = gtk_window_get_focus (f->window);
  g_assert_nonnull (focus);
  g_assert_true (focus == entry || gtk_widget_is_ancestor (focus, entry));

  /* Typing anywhere in the view goes to the search. */
  g_assert_true (gtk_search_entry_get_key_capture_widget (GTK_SEARCH_ENTRY (entry))
                 == GTK_WIDGET (f->view));

  gtk_test_accessible_assert_property (VIEW_CHILD (f, "list_view"),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Contacts");
  g_object_get (entry, "placeholder-text", &placeholder, NULL);
  g_assert_cmpstr (placeholder, ==, "Search contacts");

  /* A row is read out by the contact's name. */
  WAIT_FOR ((rows = bound_rows (f))->len == 1 || (g_ptr_array_unref (rows), rows = NULL, FALSE));
  gtk_test_accessible_assert_property (rows->pdata[0], GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Nguyễn Văn Đức");
}

static void
assert_row (CrmContactRow *contact,
            const char    *name,
            const char    *details)
{
  GtkWidget *row = g_object_ref_sink (crm_contact_list_row_new ());
  CrmRowText *details_label = template_child (row, CRM_TYPE_CONTACT_LIST_ROW, "details_label");

  crm_contact_list_row_set_contact (CRM_CONTACT_LIST_ROW (row), contact);
  g_assert_true (crm_contact_list_row_get_contact (CRM_CONTACT_LIST_ROW (row)) == contact);
  g_assert_cmpstr (crm_row_text_get_text (template_child (row, CRM_TYPE_CONTACT_LIST_ROW,
                                                          "name_label")), ==, name);
  g_assert_cmpstr (crm_initials_get_text (template_child (row, CRM_TYPE_CONTACT_LIST_ROW,
                                                          "avatar")), ==, name);
  g_assert_cmpstr (crm_row_text_get_text (details_label), ==, details);
  g_assert_cmpint (gtk_widget_get_visible (GTK_WIDGET (details_label)), ==, *details != '\0');
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, name);

  /* Unbound, it lets go of the contact. */
  crm_contact_list_row_set_contact (CRM_CONTACT_LIST_ROW (row), NULL);
  g_assert_null (crm_contact_list_row_get_contact (CRM_CONTACT_LIST_ROW (row)));
  g_assert_cmpstr (crm_row_text_get_text (details_label), ==, "");

  g_assert_finalize_object (row);
}

static void
test_row (void)
{
  struct {
    const char *email;
    const char *phone;
    const char *company;
    const char *details;
  } cases[] = {
    { "duc@example.vn", "+84903123456", "Công ty Minh Phát",
      "Công ty Minh Phát · duc@example.vn · 0903 123 456" },
    { NULL, "+84987000222", NULL, "0987 000 222" },
    { "duc@example.vn", NULL, "", "duc@example.vn" },
    /* Landlines group by their area code. */
    { NULL, "+842438251234", NULL, "024 3825 1234" },
    { NULL, "+842838291234", NULL, "028 3829 1234" },
    { NULL, "+842363821234", NULL, "0236 382 1234" },
    /* Foreign and odd numbers stay as stored. */
    { NULL, "+84903123", NULL, "+84903123" },
    { NULL, "+8490312345a", NULL, "+8490312345a" },
    { NULL, "+12025550123", NULL, "+12025550123" },
    { NULL, "+8490312345", NULL, "+8490312345" },
    { NULL, NULL, NULL, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      CrmContactRow *contact = crm_contact_row_new (1, "Nguyễn Văn Đức", "Đức", "Nguyễn",
                                                    cases[i].email, cases[i].phone,
                                                    cases[i].company);

      assert_row (contact, "Nguyễn Văn Đức", cases[i].details);
      g_assert_finalize_object (contact);
    }
}

/* A row's initials are AdwAvatar's, in its color: the same person looks
 * the same in the list and on their page. */
static void
test_initials_as_avatar (void)
{
  static const struct {
    const char *name;
    const char *initials;
  } cases[] = {
    { "Nguyễn Văn Đức", "NĐ" }, { "đặng thu hà", "ĐH" }, { "John Smith", "JS" },
    { "Lan", "L" }, { "  Trần   Bình  ", "TB" }, { "Ánh", "Á" }, { "", NULL }, { "   ", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *initials = crm_initials_of (cases[i].name);
      GtkWidget *avatar = g_object_ref_sink (adw_avatar_new (40, cases[i].name, TRUE));
      g_autofree char *color = g_strdup_printf ("color%u", crm_initials_color (cases[i].name));

      g_assert_cmpstr (initials, ==, cases[i].initials);
      if (*cases[i].name != '\0')
        g_assert_true (gtk_widget_has_css_class (gtk_widget_get_first_child (avatar), color));
      g_object_unref (avatar);
    }
  g_assert_null (crm_initials_of (NULL));
}

/* A row's text is as high as a label of its font, whatever it says, so
 * that rebinding a row lays nothing out. */
static int
height_of (GtkWidget *widget)
{
  int height;

  gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, -1, &height, NULL, NULL, NULL);
  return height;
}

static gboolean
styled_as (GtkWidget  *widget,
           const char *class)
{
  return gtk_widget_has_css_class (widget, class) && gtk_widget_get_mapped (widget);
}

static void
test_row_text_height (void)
{
  static const char *const classes[] = { "heading", "caption", "title-1" };
  const char *details = "Công ty TNHH Vận tải và Dịch vụ Mạnh Hùng · annh@manhhung.vn · 0934 564 221";
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *text = crm_row_text_new ();
  GtkWidget *label = gtk_label_new ("Nguyễn Văn Đức");
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  int empty, width, previous = 0;

  gtk_box_append (GTK_BOX (box), text);
  gtk_box_append (GTK_BOX (box), label);
  gtk_window_set_child (window, box);
  gtk_window_present (window);
  WAIT_FOR (gtk_widget_get_mapped (text));

  empty = height_of (text);
  crm_row_text_set_text (CRM_ROW_TEXT (text), details);
  g_assert_cmpint (empty, >, 0);
  g_assert_cmpint (height_of (text), ==, empty);
  gtk_widget_measure (text, GTK_ORIENTATION_HORIZONTAL, -1, &width, NULL, NULL, NULL);
  g_assert_cmpint (width, ==, 0);
  g_assert_cmpstr (crm_row_text_get_text (CRM_ROW_TEXT (text)), ==, details);

  /* Restyled, it follows its font as a label does. */
  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    {
      if (i > 0)
        {
          gtk_widget_remove_css_class (text, classes[i - 1]);
          gtk_widget_remove_css_class (label, classes[i - 1]);
        }
      gtk_widget_add_css_class (text, classes[i]);
      gtk_widget_add_css_class (label, classes[i]);
      WAIT_FOR (styled_as (text, classes[i]) && height_of (label) != previous);
      previous = height_of (label);
      g_assert_cmpint (height_of (text), ==, previous);
    }

  crm_row_text_set_text (CRM_ROW_TEXT (text), NULL);
  g_assert_cmpstr (crm_row_text_get_text (CRM_ROW_TEXT (text)), ==, "");
  gtk_window_destroy (window);
}

/* The name label of a sidebar row. */
static const char *
sidebar_row_name (GtkListBox *sidebar,
                  int         index)
{
  GtkWidget *row = GTK_WIDGET (gtk_list_box_get_row_at_index (sidebar, index));
  GtkWidget *box = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row));

  for (GtkWidget *c = gtk_widget_get_first_child (box); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      if (GTK_IS_LABEL (c) && gtk_widget_get_hexpand (c))
        return gtk_label_get_text (GTK_LABEL (c));
    }

  return NULL;
}

/* The action a row's F2 runs, with its arguments. */
static GtkShortcut *
f2_shortcut (GtkWidget *row)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (row);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr (GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger)
              && gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == GDK_KEY_F2)
            return shortcut;
        }
    }

  return NULL;
}

/* A segment is renamed from its row: the dialog offers the current name,
 * refuses an empty or taken one, and the sidebar follows the store. */
static void
test_rename_segment (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr (CrmFilter) filter = crm_filter_new ();
  g_autoptr (CrmSegment) segment = NULL;
  g_autoptr (GError) error = NULL;
  AdwMessageDialog *dialog;
  GtkEditable *entry;
  GtkWidget *message;
  GtkListBox *sidebar;
  GtkShortcut *f2;
  GtkWidget *button;
  gint64 vip, agents;

  vip = crm_segment_create (f->store, "Khách VIP", "", filter, &error);
  g_assert_no_error (error);
  agents = crm_segment_create (f->store, "Đại lý", "", filter, &error);
  g_assert_no_error (error);

  show_wide_view (f);
  sidebar = VIEW_CHILD (f, "sidebar_list");
  /* All, Companies, Archived, the heading, the two segments. */
  g_assert_nonnull (gtk_list_box_get_row_at_index (sidebar, 5));
  g_assert_cmpstr (sidebar_row_name (sidebar, 4), ==, "Khách VIP");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "contacts.rename-segment",
                                             "x", vip));
  WAIT_FOR ((dialog = find_message_dialog ()) != NULL);
  entry = g_object_get_data (G_OBJECT (dialog), "name-entry");
  message = g_object_get_data (G_OBJECT (dialog), "message-label");
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "Khách VIP");
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "rename");
  g_assert_cmpstr (adw_message_dialog_get_close_response (dialog), ==, "cancel");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "rename"));
  g_assert_false (gtk_widget_get_visible (message));

  gtk_editable_set_text (entry, "   ");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "rename"));
  g_assert_true (gtk_widget_get_visible (message));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (message)), ==, "A segment needs a name");

  /* Another segment's name, whatever its case, is taken. */
  gtk_editable_set_text (entry, "ĐẠI LÝ");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "rename"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (message)), ==,
                   "There is a segment named “ĐẠI LÝ” already");

  gtk_editable_set_text (entry, " Khách VIP Hà Nội ");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "rename"));
  g_assert_false (gtk_widget_get_visible (message));
  adw_message_dialog_response (dialog, "rename");
  gtk_window_destroy (GTK_WINDOW (dialog));

  segment = crm_segment_load (f->store, vip, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (segment->name, ==, "Khách VIP Hà Nội");
  WAIT_FOR (g_strcmp0 (sidebar_row_name (sidebar, 4), "Khách VIP Hà Nội") == 0);
  g_assert_cmpstr (sidebar_row_name (sidebar, 5), ==, "Đại lý");

  /* F2 on a segment row asks for its new name; Cancel keeps the old one. */
  f2 = f2_shortcut (GTK_WIDGET (gtk_list_box_get_row_at_index (sidebar, 5)));
  g_assert_nonnull (f2);
  g_assert_null (f2_shortcut (GTK_WIDGET (gtk_list_box_get_row_at_index (sidebar, 0))));
  g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (f2), 0,
                                               GTK_WIDGET (gtk_list_box_get_row_at_index (sidebar, 5)),
                                               gtk_shortcut_get_arguments (f2)));
  WAIT_FOR ((dialog = find_message_dialog ()) != NULL);
  entry = g_object_get_data (G_OBJECT (dialog), "name-entry");
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "Đại lý");
  gtk_editable_set_text (entry, "Nhà phân phối");
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_clear_pointer (&segment, crm_segment_free);
  segment = crm_segment_load (f->store, agents, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (segment->name, ==, "Đại lý");

  /* With a segment open, the filter bar has a Rename button for it. */
  button = VIEW_CHILD (f, "rename_segment_button");
  g_assert_false (gtk_widget_get_visible (button));
  gtk_list_box_select_row (sidebar, gtk_list_box_get_row_at_index (sidebar, 5));
  WAIT_FOR (gtk_widget_get_visible (button));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==,
                   "contacts.rename-segment");
  g_assert_cmpint (g_variant_get_int64 (gtk_actionable_get_action_target_value (GTK_ACTIONABLE (button))),
                   ==, agents);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, "Rename Segment");
}

/* The Companies list has its own filter: the company's columns and its
 * custom fields; the count says how many it kept of how many, and Clear
 * brings them all back. */
static void
test_company_filter (Fixture       *f,
                     gconstpointer  data)
{
  static const char *const regions[] = { "Bắc", "Nam", NULL };
  g_autoptr (GError) error = NULL;
  GtkListBox *sidebar;
  GtkWidget *button;
  GtkWidget *box;
  GtkWidget *date_entry;
  GtkPopover *popover;
  GtkDropDown *drop_down;
  GPtrArray *controls;
  gint64 partner, signed_on;

  g_assert_true (crm_store_exec (f->store,
                                 "INSERT INTO company (id, name, province, industry) VALUES "
                                 "(1, 'Công ty TNHH Đông Dương', 'Hà Nội', 'Bán lẻ'), "
                                 "(2, 'Công ty Cổ phần Ánh Dương', 'Đà Nẵng', 'Bán lẻ'), "
                                 "(3, 'Công ty TNHH An Phát', 'Hà Nội', 'Xây dựng')",
                                 &error));
  g_assert_no_error (error);
  partner = crm_custom_field_create (f->store, CRM_FIELD_ENTITY_COMPANY, "Đối tác",
                                     CRM_FIELD_TYPE_BOOL, NULL, &error);
  g_assert_no_error (error);
  signed_on = crm_custom_field_create (f->store, CRM_FIELD_ENTITY_COMPANY, "Ngày ký",
                                       CRM_FIELD_TYPE_DATE, NULL, &error);
  g_assert_no_error (error);
  crm_custom_field_create (f->store, CRM_FIELD_ENTITY_COMPANY, "Khu vực",
                           CRM_FIELD_TYPE_CHOICE, regions, &error);
  g_assert_no_error (error);
  /* A field of contacts has no place in the companies' filter. */
  crm_custom_field_create (f->store, CRM_FIELD_ENTITY_CONTACT, "Sở thích",
                           CRM_FIELD_TYPE_TEXT, NULL, &error);
  g_assert_no_error (error);
  {
    g_autofree char *sql = g_strdup_printf ("INSERT INTO custom_value (field_id, entity_id, value) "
                                            "VALUES (%1$" G_GINT64_FORMAT ", 1, '1'), "
                                            "(%1$" G_GINT64_FORMAT ", 2, '1'), "
                                            "(%1$" G_GINT64_FORMAT ", 3, '0'), "
                                            "(%2$" G_GINT64_FORMAT ", 1, '2023-05-01'), "
                                            "(%2$" G_GINT64_FORMAT ", 2, '2024-03-01')",
                                            partner, signed_on);

    g_assert_true (crm_store_exec (f->store, sql, &error));
    g_assert_no_error (error);
  }

  show_wide_view (f);
  sidebar = VIEW_CHILD (f, "sidebar_list");
  gtk_list_box_select_row (sidebar, gtk_list_box_get_row_at_index (sidebar, 1));
  WAIT_FOR (g_strcmp0 (visible_page (f), "companies") == 0);
  g_assert_cmpstr (count_text (f), ==, "3 companies");

  /* The filter button is there, read out for what it filters. */
  button = VIEW_CHILD (f, "filter_button");
  g_assert_true (gtk_widget_get_visible (button));
  gtk_test_accessible_assert_property (button, GTK_ACCESSIBLE_PROPERTY_LABEL, "Filter Companies");

  popover = GTK_POPOVER (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button)));
  box = VIEW_CHILD (f, "filter_box");
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  WAIT_FOR ((controls = g_object_get_data (G_OBJECT (box), "custom-controls")) != NULL);
  g_assert_cmpuint (controls->len, ==, 3);
  g_assert_nonnull (g_object_get_data (G_OBJECT (box), "industry"));
  g_assert_null (g_object_get_data (G_OBJECT (box), "stage"));

  /* Yes/no: Any, Yes, No. */
  drop_down = find_drop_down_with (box, "Yes");
  g_assert_nonnull (drop_down);
  gtk_drop_down_set_selected (drop_down, 1);
  g_signal_emit_by_name (find_button_with_label (box, "_Apply"), "clicked");
  WAIT_FOR (g_strcmp0 (count_text (f), "2 of 3 companies") == 0);
  g_assert_true (gtk_revealer_get_reveal_child (VIEW_CHILD (f, "filter_revealer")));
  g_assert_cmpstr (gtk_label_get_text (VIEW_CHILD (f, "filter_label")), ==, "Đối tác: yes");
  g_assert_false (gtk_widget_get_visible (VIEW_CHILD (f, "save_segment_button")));

  /* The popover opens on the filter as it is; a date it cannot read is
   * marked and keeps the list as it was. */
  WAIT_FOR (!gtk_widget_get_mapped (GTK_WIDGET (popover)));
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (popover)));
  g_assert_cmpuint (gtk_drop_down_get_selected (find_drop_down_with (box, "Yes")), ==, 1);
  drop_down = find_drop_down_with (box, "Before");
  g_assert_nonnull (drop_down);
  date_entry = gtk_widget_get_next_sibling (GTK_WIDGET (drop_down));
  g_assert_true (GTK_IS_ENTRY (date_entry));
  gtk_drop_down_set_selected (drop_down, 1);
  gtk_editable_set_text (GTK_EDITABLE (date_entry), "no date");
  gtk_editable_set_text (GTK_EDITABLE (g_object_get_data (G_OBJECT (box), "industry")), "ban le");
  g_signal_emit_by_name (find_button_with_label (box, "_Apply"), "clicked");
  g_assert_true (gtk_widget_has_css_class (date_entry, "error"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popover)));
  g_assert_cmpstr (count_text (f), ==, "2 of 3 companies");

  gtk_editable_set_text (GTK_EDITABLE (date_entry), "2024-01-01");
  g_signal_emit_by_name (find_button_with_label (box, "_Apply"), "clicked");
  WAIT_FOR (g_strcmp0 (count_text (f), "1 of 3 companies") == 0);
  g_assert_true (g_str_has_prefix (gtk_label_get_text (VIEW_CHILD (f, "filter_label")),
                                   "Industry ban le · Đối tác: yes · Ngày ký before "));

  /* The search narrows the filtered list further. */
  set_search (f, "an phat");
  WAIT_FOR (g_strcmp0 (count_text (f), "0 of 3 companies") == 0);
  g_assert_cmpstr (visible_page (f), ==, "no-matches");

  /* Clear takes off the search and the filter. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "contacts.clear-filter", NULL));
  WAIT_FOR (g_strcmp0 (count_text (f), "3 companies") == 0);
  g_assert_false (gtk_revealer_get_reveal_child (VIEW_CHILD (f, "filter_revealer")));
  g_assert_cmpstr (visible_page (f), ==, "companies");

  /* Back in the contacts, the button filters contacts again. */
  gtk_list_box_select_row (sidebar, gtk_list_box_get_row_at_index (sidebar, 0));
  WAIT_FOR (loaded (f) && g_strcmp0 (visible_page (f), "empty") == 0);
  gtk_test_accessible_assert_property (button, GTK_ACCESSIBLE_PROPERTY_LABEL, "Filter Contacts");
}

#define ADD_TEST(path, func) \
  g_test_add ((path), Fixture, NULL, fixture_set_up, (func), fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* GTK's test accessibility backend records the accessible properties
   * without a bus, so that the tests can read them back. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_init ();
  adw_init ();

  ADD_TEST ("/contacts-view/empty-workspace", test_empty_workspace);
  ADD_TEST ("/contacts-view/lists-and-counts", test_lists_and_counts);
  ADD_TEST ("/contacts-view/search", test_search);
  ADD_TEST ("/contacts-view/sort-setting", test_sort_setting);
  ADD_TEST ("/contacts-view/sort-setting-at-start", test_sort_setting_at_start);
  ADD_TEST ("/contacts-view/recycles-rows", test_recycles_rows);
  ADD_TEST ("/contacts-view/keyboard-and-accessibility", test_keyboard_and_accessibility);
  ADD_TEST ("/contacts-view/create-edit-undo", test_create_edit_undo);
  ADD_TEST ("/contacts-view/archive", test_archive);
  ADD_TEST ("/contacts-view/bulk-tag", test_bulk_tag);
  ADD_TEST ("/contacts-view/save-segment", test_save_segment);
  ADD_TEST ("/contacts-view/companies", test_companies);
  ADD_TEST ("/contacts-view/open-deal", test_open_deal);
  ADD_TEST ("/contacts-view/custom-field-filter-and-segment", test_custom_field_filter_and_segment);
  g_test_add_func ("/contacts-view/row", test_row);
  g_test_add_func ("/contacts-view/initials-as-avatar", test_initials_as_avatar);
  g_test_add_func ("/contacts-view/row-text-height", test_row_text_height);
  ADD_TEST ("/contacts-view/rename-segment", test_rename_segment);
  ADD_TEST ("/contacts-view/company-filter", test_company_filter);

  return g_test_run ();
}
