/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "crm-contact-page.h"
#include "crm-contacts.h"
#include "crm-contacts-view.h"
#include "crm-company-page.h"
#include "crm-contact-list.h"
#include "crm-deal.h"
#include "crm-deal-editor.h"
#include "crm-fields.h"
#include "crm-key.h"
#include "crm-test-util.h"

typedef struct
{
  char            *dir;
  CrmStore        *store;
  GSettings       *settings;
  GtkWindow       *window;
  CrmContactsView *view;
  gint64           company;
  gint64           other_company;
  gint64           contact;
  gint64           saved_id;
} Fixture;

/* Runs the main loop until @condition holds or five seconds have passed. */
#define WAIT_FOR(condition) CRM_TEST_WAIT_FOR_MS (condition, 5000)

static const char *const tiers[] = { "Vàng", "Bạc", NULL };

static gint64
add_company (Fixture    *f,
             const char *name)
{
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt = crm_store_prepare (f->store, "INSERT INTO company (name) VALUES (?1)",
                                          &error);

  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  return sqlite3_last_insert_rowid (crm_store_get_db (f->store));
}

static void
add_field (Fixture      *f,
           const char   *label,
           CrmFieldType  type)
{
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (crm_custom_field_create (f->store, CRM_FIELD_ENTITY_DEAL, label, type,
                                            type == CRM_FIELD_TYPE_CHOICE ? tiers : NULL, &error),
                   >, 0);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) key = crm_key_generate (&error);
  g_autofree char *workspace = NULL;
  CrmNewContact contacts[] = {
    { .given_name = "Đức", .middle_name = "Văn", .family_name = "Nguyễn" },
    { .given_name = "An", .middle_name = "Thị", .family_name = "Trần" },
  };

  g_assert_no_error (error);
  f->dir = crm_test_make_dir ();
  workspace = g_build_filename (f->dir, "workspace", NULL);
  f->store = crm_store_create (workspace, key, &error);
  g_assert_no_error (error);
  f->settings = g_settings_new (APPLICATION_ID);

  f->company = add_company (f, "Công ty Cổ phần Ánh Dương");
  f->other_company = add_company (f, "Hải Âu Logistics");
  contacts[0].company_id = f->company;
  g_assert_true (crm_contacts_add_many (f->store, contacts, G_N_ELEMENTS (contacts), &f->contact,
                                        &error));
  g_assert_no_error (error);

  add_field (f, "Nguồn vốn", CRM_FIELD_TYPE_TEXT);
  add_field (f, "Số lượng", CRM_FIELD_TYPE_NUMBER);
  add_field (f, "Ngày ký", CRM_FIELD_TYPE_DATE);
  add_field (f, "Hạng", CRM_FIELD_TYPE_CHOICE);
  add_field (f, "Đã ký", CRM_FIELD_TYPE_BOOL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->view != NULL)
    {
      CrmContactList *list = crm_contacts_view_get_model (f->view);

      /* The list, and so the store, go with the window once its worker is done. */
      g_object_add_weak_pointer (G_OBJECT (list), (gpointer *) &list);
      gtk_window_destroy (f->window);
      WAIT_FOR (list == NULL);
    }
  else if (f->window != NULL)
    gtk_window_destroy (f->window);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  g_assert_finalize_object (f->store);
  g_clear_object (&f->settings);
  crm_test_remove_tree (f->dir);
  g_free (f->dir);
}

static gpointer
editor_child (CrmDealEditor *editor,
              const char    *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (editor), CRM_TYPE_DEAL_EDITOR, name);
}

static const char *
row_text (CrmDealEditor *editor,
          const char    *name)
{
  return gtk_editable_get_text (GTK_EDITABLE (editor_child (editor, name)));
}

static void
set_row_text (CrmDealEditor *editor,
              const char    *name,
              const char    *text)
{
  gtk_editable_set_text (GTK_EDITABLE (editor_child (editor, name)), text);
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type,
                 const char *name)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type)
      && (name == NULL || g_strcmp0 (gtk_widget_get_name (widget), name) == 0))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The row that edits the deal custom field with this label. */
static GtkWidget *
custom_row (Fixture       *f,
            CrmDealEditor *editor,
            const char    *label)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) fields = crm_custom_fields_list (f->store, CRM_FIELD_ENTITY_DEAL, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < fields->len; i++)
    {
      const CrmCustomField *field = g_ptr_array_index (fields, i);

      if (g_str_equal (field->label, label))
        return find_descendant (editor_child (editor, "custom_group"), G_TYPE_OBJECT, field->key);
    }
  g_assert_not_reached ();
}

static const char *
field_key (Fixture    *f,
           const char *label,
           GPtrArray  *fields)
{
  for (guint i = 0; i < fields->len; i++)
    {
      const CrmCustomField *field = g_ptr_array_index (fields, i);

      if (g_str_equal (field->label, label))
        return field->key;
    }
  g_assert_not_reached ();
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
on_saved (CrmDealEditor *editor,
          gint64         id,
          Fixture       *f)
{
  f->saved_id = id;
}

/* The popover of matches under a chooser's row. */
static GtkListBox *
matches_of (CrmDealEditor *editor,
            const char    *row)
{
  GtkWidget *popover = find_descendant (editor_child (editor, row), GTK_TYPE_POPOVER, NULL);

  g_assert_nonnull (popover);
  return GTK_LIST_BOX (find_descendant (popover, GTK_TYPE_LIST_BOX, NULL));
}

static gboolean
popover_shown (CrmDealEditor *editor,
               const char    *row)
{
  GtkWidget *popover = find_descendant (editor_child (editor, row), GTK_TYPE_POPOVER, NULL);

  return gtk_widget_get_visible (popover);
}

static guint
n_matches (GtkListBox *list)
{
  guint n = 0;

  while (gtk_list_box_get_row_at_index (list, n) != NULL)
    n++;
  return n;
}

/* A new deal for a contact: the contact and their company are filled in;
 * custom fields and tags go through their rows into the store. */
static void
test_new_for_contact (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmDealDraft) draft = NULL;
  g_autoptr (GPtrArray) fields = crm_custom_fields_list (f->store, CRM_FIELD_ENTITY_DEAL, &error);
  CrmDealEditor *editor = crm_deal_editor_new_for (f->store, 0, f->contact, 0, &error);
  GtkWidget *row;

  g_assert_no_error (error);
  g_assert_nonnull (editor);
  g_signal_connect (editor, "saved", G_CALLBACK (on_saved), f);
  gtk_window_present (GTK_WINDOW (editor));
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (editor)));

  g_assert_cmpstr (row_text (editor, "contact_row"), ==, "Nguyễn Văn Đức");
  g_assert_cmpstr (row_text (editor, "company_row"), ==, "Công ty Cổ phần Ánh Dương");
  g_assert_true (gtk_widget_get_visible (editor_child (editor, "contact_clear_button")));
  g_assert_true (gtk_widget_get_visible (editor_child (editor, "custom_group")));

  set_row_text (editor, "title_row", "Máy lọc nước");
  set_row_text (editor, "value_row", "12.500.000");
  set_row_text (editor, "tags_row", " vip , Khách lớn,, ");

  gtk_editable_set_text (GTK_EDITABLE (custom_row (f, editor, "Nguồn vốn")), "Vay ngân hàng");
  gtk_editable_set_text (GTK_EDITABLE (custom_row (f, editor, "Số lượng")), "1.234,5");
  gtk_editable_set_text (GTK_EDITABLE (custom_row (f, editor, "Ngày ký")), "15/12/2026");
  adw_combo_row_set_selected (ADW_COMBO_ROW (custom_row (f, editor, "Hạng")), 1);
  row = custom_row (f, editor, "Đã ký");
  gtk_switch_set_active (GTK_SWITCH (find_descendant (row, GTK_TYPE_SWITCH, NULL)), TRUE);

  g_assert_true (gtk_widget_activate (editor_child (editor, "save_button")));
  WAIT_FOR (f->saved_id != 0);

  draft = crm_deal_draft_load (f->store, f->saved_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (draft->title, ==, "Máy lọc nước");
  g_assert_cmpstr (draft->value, ==, "12500000");
  g_assert_cmpint (draft->contact_id, ==, f->contact);
  g_assert_cmpint (draft->company_id, ==, f->company);
  g_assert_cmpuint (draft->tags->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (draft->tags, 0), ==, "Khách lớn");
  g_assert_cmpstr (g_ptr_array_index (draft->tags, 1), ==, "vip");
  g_assert_cmpstr (g_hash_table_lookup (draft->custom, field_key (f, "Nguồn vốn", fields)), ==,
                   "Vay ngân hàng");
  g_assert_cmpstr (g_hash_table_lookup (draft->custom, field_key (f, "Số lượng", fields)), ==,
                   "1234.5");
  g_assert_cmpstr (g_hash_table_lookup (draft->custom, field_key (f, "Ngày ký", fields)), ==,
                   "2026-12-15");
  g_assert_cmpstr (g_hash_table_lookup (draft->custom, field_key (f, "Hạng", fields)), ==, "Vàng");
  g_assert_cmpstr (g_hash_table_lookup (draft->custom, field_key (f, "Đã ký", fields)), ==, "1");

  /* The saved editor closed; editing the deal shows what was stored. */
  WAIT_FOR (find_toplevel (CRM_TYPE_DEAL_EDITOR) == NULL);
  editor = crm_deal_editor_new (f->store, 0, f->saved_id, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (row_text (editor, "contact_row"), ==, "Nguyễn Văn Đức");
  g_assert_cmpstr (row_text (editor, "company_row"), ==, "Công ty Cổ phần Ánh Dương");
  g_assert_cmpstr (row_text (editor, "tags_row"), ==, "Khách lớn, vip");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (custom_row (f, editor, "Ngày ký"))), ==,
                   "15/12/2026");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (custom_row (f, editor, "Hạng"))),
                    ==, 1);
  gtk_window_destroy (GTK_WINDOW (editor));
}

/* The choosers search as the user types; picking a contact fills an empty
 * company; a name typed but not picked and a bad custom value are shown on
 * their rows. */
static void
test_choosers_and_problems (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmDealDraft) draft = NULL;
  CrmDealEditor *editor = crm_deal_editor_new_for (f->store, 0, 0, f->other_company, &error);
  GtkListBox *list;
  GtkWidget *number;

  g_assert_no_error (error);
  g_signal_connect (editor, "saved", G_CALLBACK (on_saved), f);
  gtk_window_present (GTK_WINDOW (editor));
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (editor)));

  g_assert_cmpstr (row_text (editor, "contact_row"), ==, "");
  g_assert_false (gtk_widget_get_visible (editor_child (editor, "contact_clear_button")));
  g_assert_cmpstr (row_text (editor, "company_row"), ==, "Hải Âu Logistics");

  /* Clearing the company, then picking a contact, fills in theirs. */
  g_assert_true (gtk_widget_activate (editor_child (editor, "company_clear_button")));
  WAIT_FOR (g_str_equal (row_text (editor, "company_row"), ""));
  set_row_text (editor, "contact_row", "nguyen duc");
  WAIT_FOR (popover_shown (editor, "contact_row"));
  list = matches_of (editor, "contact_row");
  g_assert_cmpuint (n_matches (list), ==, 1);
  g_assert_true (gtk_widget_activate (GTK_WIDGET (gtk_list_box_get_row_at_index (list, 0))));
  g_assert_cmpstr (row_text (editor, "contact_row"), ==, "Nguyễn Văn Đức");
  g_assert_cmpstr (row_text (editor, "company_row"), ==, "Công ty Cổ phần Ánh Dương");
  WAIT_FOR (!popover_shown (editor, "contact_row"));

  /* A company is found without its accents. */
  set_row_text (editor, "company_row", "hai au");
  WAIT_FOR (popover_shown (editor, "company_row"));
  list = matches_of (editor, "company_row");
  g_assert_cmpuint (n_matches (list), ==, 1);
  g_assert_true (gtk_widget_activate (GTK_WIDGET (gtk_list_box_get_row_at_index (list, 0))));
  g_assert_cmpstr (row_text (editor, "company_row"), ==, "Hải Âu Logistics");

  /* A typed name nobody was picked for, and a bad number, stop the save. */
  set_row_text (editor, "title_row", "Máy lọc nước");
  set_row_text (editor, "contact_row", "Người lạ");
  number = custom_row (f, editor, "Số lượng");
  gtk_editable_set_text (GTK_EDITABLE (number), "mười");
  g_assert_false (crm_deal_editor_save (editor));
  g_assert_true (gtk_widget_has_css_class (editor_child (editor, "contact_row"), "error"));
  g_assert_true (gtk_widget_has_css_class (number, "error"));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (number), "Số lượng"));
  g_assert_false (gtk_widget_has_css_class (editor_child (editor, "company_row"), "error"));
  g_assert_cmpint (f->saved_id, ==, 0);

  /* Corrected, it saves, without a contact. */
  g_assert_true (gtk_widget_activate (editor_child (editor, "contact_clear_button")));
  WAIT_FOR (g_str_equal (row_text (editor, "contact_row"), ""));
  gtk_editable_set_text (GTK_EDITABLE (number), "10");
  g_assert_true (crm_deal_editor_save (editor));
  g_assert_cmpint (f->saved_id, >, 0);
  draft = crm_deal_draft_load (f->store, f->saved_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (draft->contact_id, ==, 0);
  g_assert_cmpint (draft->company_id, ==, f->other_company);
  g_assert_cmpuint (g_hash_table_size (draft->custom), ==, 1);
}

/* A shown row of a page's list with this title. */
static gboolean
has_row_titled (GtkWidget  *list,
                const char *title)
{
  for (GtkWidget *child = gtk_widget_get_first_child (list);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (ADW_IS_ACTION_ROW (child) && gtk_widget_get_visible (child)
          && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)), title) == 0)
        return TRUE;
    }
  return FALSE;
}

/* A label with this text under @widget: how a toast shows its title. */
static gboolean
find_toast_titled (GtkWidget  *widget,
                   const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (find_toast_titled (child, text))
        return TRUE;
    }
  return FALSE;
}

static GtkWidget *
page_button (gpointer    page,
             GType       type)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (page), type, "new_deal_button"));
}

/* "contacts.new-deal" from a contact's page opens the editor for them, and
 * from a company's page for the company. */
static void
test_from_pages (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  GtkWidget *overlay = adw_toast_overlay_new ();
  GtkWidget *page;
  GtkWidget *button;
  CrmDealEditor *editor;

  f->view = crm_contacts_view_new (f->store, f->settings);
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), GTK_WIDGET (f->view));
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1200, 700);
  gtk_window_set_child (f->window, overlay);
  gtk_window_present (f->window);
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (f->view)));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "contacts.open-contact", "x",
                                             f->contact));
  WAIT_FOR ((page = find_descendant (GTK_WIDGET (f->view), CRM_TYPE_CONTACT_PAGE, NULL)) != NULL
            && gtk_widget_get_mapped (page));
  button = page_button (page, CRM_TYPE_CONTACT_PAGE);
  WAIT_FOR (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)) != NULL
            && gtk_widget_is_sensitive (button) && gtk_widget_get_mapped (button));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, "New Deal");

  g_assert_true (gtk_widget_activate (button));
  WAIT_FOR ((editor = CRM_DEAL_EDITOR (find_toplevel (CRM_TYPE_DEAL_EDITOR))) != NULL);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (editor)) == f->window);
  g_assert_cmpstr (row_text (editor, "contact_row"), ==, "Nguyễn Văn Đức");
  g_assert_cmpstr (row_text (editor, "company_row"), ==, "Công ty Cổ phần Ánh Dương");

  /* Saved, the deal is on the contact's page. */
  set_row_text (editor, "title_row", "Bình nóng lạnh");
  g_assert_true (crm_deal_editor_save (editor));
  WAIT_FOR (find_toplevel (CRM_TYPE_DEAL_EDITOR) == NULL);
  WAIT_FOR (has_row_titled (GTK_WIDGET (gtk_widget_get_template_child (page, CRM_TYPE_CONTACT_PAGE,
                                                                     "sales_list")),
                            "Bình nóng lạnh"));
  WAIT_FOR (find_toast_titled (overlay, "Deal created"));

  /* From a company's page, only the company is set. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "contacts.open-company", "x",
                                             f->other_company));
  WAIT_FOR ((page = find_descendant (GTK_WIDGET (f->view), CRM_TYPE_COMPANY_PAGE, NULL)) != NULL
            && gtk_widget_get_mapped (page));
  button = page_button (page, CRM_TYPE_COMPANY_PAGE);
  WAIT_FOR (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)) != NULL
            && gtk_widget_get_mapped (button));
  g_assert_true (gtk_widget_activate (button));
  WAIT_FOR ((editor = CRM_DEAL_EDITOR (find_toplevel (CRM_TYPE_DEAL_EDITOR))) != NULL);
  g_assert_cmpstr (row_text (editor, "contact_row"), ==, "");
  g_assert_cmpstr (row_text (editor, "company_row"), ==, "Hải Âu Logistics");
  gtk_window_destroy (GTK_WINDOW (editor));

  /* A contact that is gone opens nothing. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "contacts.new-deal", "(xx)",
                                             (gint64) 987654, (gint64) 0));
  g_assert_null (find_toplevel (CRM_TYPE_DEAL_EDITOR));
}

#define ADD_TEST(path, func) \
  g_test_add ((path), Fixture, NULL, fixture_set_up, (func), fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_init ();
  adw_init ();

  ADD_TEST ("/deal-editor/new-for-contact", test_new_for_contact);
  ADD_TEST ("/deal-editor/choosers-and-problems", test_choosers_and_problems);
  ADD_TEST ("/deal-editor/from-pages", test_from_pages);

  return g_test_run ();
}
