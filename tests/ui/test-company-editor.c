/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "crm-test-util.h"
#include "crm-company.h"
#include "crm-company-editor.h"
#include "crm-company-page.h"
#include "crm-fields.h"
#include "crm-key.h"

typedef struct
{
  char      *dir;
  CrmStore  *store;
  GtkWindow *window;
  GtkWindow *editor;     /* a weak pointer: NULL once the editor is gone */
  guint      n_saved;
  gint64     saved_id;
  CrmUndo   *saved_undo;
  /* the custom fields of companies */
  char      *text_key;
  char      *number_key;
  char      *date_key;
  char      *choice_key;
  char      *bool_key;
} Fixture;

/* Runs the main loop until @condition holds or five seconds have passed. */
#define WAIT_FOR(condition) CRM_TEST_WAIT_FOR_MS (condition, 5000)

static char *
add_field (Fixture            *f,
           CrmFieldEntity      entity,
           const char         *label,
           CrmFieldType        type,
           const char *const  *options)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmCustomField) field = NULL;
  gint64 id = crm_custom_field_create (f->store, entity, label, type, options, &error);

  g_assert_no_error (error);
  field = crm_custom_field_load (f->store, id, &error);
  g_assert_no_error (error);
  return g_strdup (field->key);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const char *const tiers[] = { "Vàng", "Bạc", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) key = crm_key_generate (&error);
  g_autofree char *workspace = NULL;
  g_autofree char *contact_key = NULL;

  g_assert_no_error (error);
  f->dir = g_dir_make_tmp ("rapport-test-XXXXXX", &error);
  g_assert_no_error (error);
  workspace = g_build_filename (f->dir, "workspace", NULL);
  f->store = crm_store_create (workspace, key, &error);
  g_assert_no_error (error);

  f->text_key = add_field (f, CRM_FIELD_ENTITY_COMPANY, "Ghi chú đối tác", CRM_FIELD_TYPE_TEXT,
                           NULL);
  f->number_key = add_field (f, CRM_FIELD_ENTITY_COMPANY, "Doanh thu năm", CRM_FIELD_TYPE_NUMBER,
                             NULL);
  f->date_key = add_field (f, CRM_FIELD_ENTITY_COMPANY, "Ngày ký hợp đồng", CRM_FIELD_TYPE_DATE,
                           NULL);
  f->choice_key = add_field (f, CRM_FIELD_ENTITY_COMPANY, "Hạng", CRM_FIELD_TYPE_CHOICE, tiers);
  f->bool_key = add_field (f, CRM_FIELD_ENTITY_COMPANY, "Đã xác minh", CRM_FIELD_TYPE_BOOL, NULL);
  /* A field of contacts, which the company forms do not show. */
  contact_key = add_field (f, CRM_FIELD_ENTITY_CONTACT, "Sở thích", CRM_FIELD_TYPE_TEXT, NULL);

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_present (f->window);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->editor != NULL)
    gtk_window_destroy (f->editor);
  g_assert_null (f->editor);
  gtk_window_destroy (f->window);
  g_clear_pointer (&f->saved_undo, crm_undo_free);

  g_assert_finalize_object (f->store);
  crm_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->text_key);
  g_free (f->number_key);
  g_free (f->date_key);
  g_free (f->choice_key);
  g_free (f->bool_key);
}

static gpointer
child (Fixture    *f,
       const char *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (f->editor), CRM_TYPE_COMPANY_EDITOR, name);
}

static GtkWidget *
find_descendant (GtkWidget  *widget,
                 GType       type,
                 const char *css_class)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type)
      && (css_class == NULL || gtk_widget_has_css_class (widget, css_class)))
    return widget;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_descendant (c, type, css_class);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The text of the message of that style ("error", "dim-label" for how the
 * value will be stored) under @row, or NULL when it is not shown. */
static const char *
message (GtkWidget  *row,
         const char *style)
{
  GtkWidget *next = gtk_widget_get_next_sibling (row);
  GtkWidget *label;

  g_assert_nonnull (next);
  g_assert_true (gtk_widget_has_css_class (next, "crm-field-message"));
  label = find_descendant (next, GTK_TYPE_LABEL, style);
  g_assert_nonnull (label);
  if (!gtk_widget_get_visible (next) || !gtk_widget_get_visible (label)
      || !gtk_widget_get_visible (gtk_widget_get_parent (label)))
    return NULL;

  return gtk_label_get_text (GTK_LABEL (label));
}

static gboolean
can_save (Fixture *f)
{
  return gtk_widget_is_sensitive (child (f, "save_button"));
}

static void
on_saved (GtkWindow *editor,
          gint64     id,
          gpointer   undo,
          Fixture   *f)
{
  f->n_saved++;
  f->saved_id = id;
  g_clear_pointer (&f->saved_undo, crm_undo_free);
  f->saved_undo = undo;
}

static void
show_editor (Fixture *f,
             gint64   id)
{
  f->editor = GTK_WINDOW (crm_company_editor_new (f->window, f->store, id));
  g_object_add_weak_pointer (G_OBJECT (f->editor), (gpointer *) &f->editor);
  g_signal_connect (f->editor, "saved", G_CALLBACK (on_saved), f);
  gtk_window_present (f->editor);
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (f->editor)));
  /* Under a window manager the window is placed a moment after it maps;
   * a popover needs to know its monitor. */
  WAIT_FOR (gdk_display_get_monitor_at_surface (gtk_widget_get_display (GTK_WIDGET (f->editor)),
                                                gtk_native_get_surface (GTK_NATIVE (f->editor)))
            != NULL);
}

static void
save (Fixture *f)
{
  guint n_saved = f->n_saved;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->editor), "editor.save", NULL));
  g_assert_cmpuint (f->n_saved, ==, n_saved + 1);
  g_assert_nonnull (f->saved_undo);
  g_assert_null (f->editor);
}

/* The rows of the custom fields group, in order. */
static GPtrArray *
custom_rows (Fixture *f)
{
  GtkWidget *group = child (f, "custom_group");
  GtkWidget *first = find_descendant (group, ADW_TYPE_PREFERENCES_ROW, NULL);
  GPtrArray *rows = g_ptr_array_new ();

  g_assert_nonnull (first);
  for (GtkWidget *c = gtk_widget_get_first_child (gtk_widget_get_parent (first)); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      if (ADW_IS_PREFERENCES_ROW (c))
        g_ptr_array_add (rows, c);
    }

  return rows;
}

static gint64
add_company (Fixture    *f,
             const char *name,
             const char *choice)
{
  g_autoptr (CrmCompanyDraft) draft = crm_company_draft_new ();
  g_autoptr (GError) error = NULL;
  gint64 id;

  crm_company_draft_set_text (draft, "name", name);
  crm_company_draft_set_custom (draft, f->choice_key, choice);
  id = crm_company_save (f->store, draft, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  return id;
}

/* Each custom field of companies is a row of its kind in the editor; what
 * is typed there is checked, shown as it will be stored, and saved. */
static void
test_custom_fields (Fixture       *f,
                    gconstpointer  data)
{
  gint64 id = add_company (f, "Công ty Sao Mai", "Vàng");
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (CrmCompany) company = NULL;
  g_autoptr (GError) error = NULL;
  GtkWidget *yes_no;

  show_editor (f, id);
  g_assert_true (gtk_widget_get_visible (child (f, "custom_group")));
  rows = custom_rows (f);
  g_assert_cmpuint (rows->len, ==, 5);
  g_assert_true (ADW_IS_ENTRY_ROW (rows->pdata[0]));
  g_assert_true (ADW_IS_ENTRY_ROW (rows->pdata[1]));
  g_assert_true (ADW_IS_ENTRY_ROW (rows->pdata[2]));
  g_assert_true (ADW_IS_COMBO_ROW (rows->pdata[3]));
  g_assert_true (ADW_IS_ACTION_ROW (rows->pdata[4]) && !ADW_IS_COMBO_ROW (rows->pdata[4]));
  g_assert_cmpstr (adw_preferences_row_get_title (rows->pdata[1]), ==, "Doanh thu năm");
  g_assert_cmpstr (adw_preferences_row_get_title (rows->pdata[2]), ==,
                   "Ngày ký hợp đồng (DD/MM/YYYY)");
  /* "Not set", then the choices: the stored one is picked. */
  g_assert_cmpuint (adw_combo_row_get_selected (rows->pdata[3]), ==, 1);
  yes_no = find_descendant (rows->pdata[4], GTK_TYPE_SWITCH, NULL);
  g_assert_nonnull (yes_no);
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (yes_no)));
  g_assert_false (crm_company_editor_get_modified (CRM_COMPANY_EDITOR (f->editor)));

  /* A bad number is said under its row, naming the field. */
  gtk_editable_set_text (rows->pdata[1], "nhiều");
  WAIT_FOR (message (rows->pdata[1], "error") != NULL);
  g_assert_cmpstr (message (rows->pdata[1], "error"), ==,
                   "The field “Doanh thu năm” needs a number, not “nhiều”");
  g_assert_false (can_save (f));
  g_assert_false (gtk_widget_get_visible (child (f, "general_group")));

  gtk_editable_set_text (rows->pdata[0], "Đối tác chiến lược");
  gtk_editable_set_text (rows->pdata[1], "1.500.000");
  gtk_editable_set_text (rows->pdata[2], "3/4/2024");
  adw_combo_row_set_selected (rows->pdata[3], 2);
  gtk_switch_set_active (GTK_SWITCH (yes_no), TRUE);
  WAIT_FOR (can_save (f));
  g_assert_null (message (rows->pdata[1], "error"));
  g_assert_cmpstr (message (rows->pdata[2], "dim-label"), ==, "Will be saved as 03/04/2024");
  g_assert_true (crm_company_editor_get_modified (CRM_COMPANY_EDITOR (f->editor)));
  save (f);

  company = crm_company_load (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (crm_company_get_custom_value (company, f->text_key), ==, "Đối tác chiến lược");
  g_assert_cmpstr (crm_company_get_custom_value (company, f->number_key), ==, "1500000");
  g_assert_cmpstr (crm_company_get_custom_value (company, f->date_key), ==, "2024-04-03");
  g_assert_cmpstr (crm_company_get_custom_value (company, f->choice_key), ==, "Bạc");
  g_assert_cmpstr (crm_company_get_custom_value (company, f->bool_key), ==, "1");
  g_clear_object (&company);

  /* "Not set" clears the choice; the others keep their values. */
  show_editor (f, id);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = custom_rows (f);
  g_assert_cmpstr (gtk_editable_get_text (rows->pdata[2]), ==, "03/04/2024");
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (find_descendant (rows->pdata[4],
                                                                     GTK_TYPE_SWITCH, NULL))));
  adw_combo_row_set_selected (rows->pdata[3], 0);
  WAIT_FOR (crm_company_editor_get_modified (CRM_COMPANY_EDITOR (f->editor)));
  save (f);
  company = crm_company_load (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_null (crm_company_get_custom_value (company, f->choice_key));
  g_assert_cmpstr (crm_company_get_custom_value (company, f->number_key), ==, "1500000");
  g_clear_object (&company);

  /* Undo puts the choice back. */
  g_assert_true (crm_undo_apply (f->saved_undo, f->store, &error));
  g_assert_no_error (error);
  company = crm_company_load (f->store, id, &error);
  g_assert_cmpstr (crm_company_get_custom_value (company, f->choice_key), ==, "Bạc");
}

/* A bad value typed just before Ctrl+Enter stops the save and takes the
 * keyboard to its row. */
static void
test_save_focuses_problem (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr (GPtrArray) rows = NULL;
  GtkWidget *focus;

  show_editor (f, 0);
  rows = custom_rows (f);
  gtk_editable_set_text (child (f, "name_row"), "Công ty Bình Minh");
  WAIT_FOR (can_save (f));

  gtk_editable_set_text (rows->pdata[2], "31/02/2024");
  g_assert_true (can_save (f));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->editor), "editor.save", NULL));
  g_assert_nonnull (f->editor);
  g_assert_cmpuint (f->n_saved, ==, 0);
  g_assert_nonnull (message (rows->pdata[2], "error"));
  g_assert_nonnull (strstr (message (rows->pdata[2], "error"), "Ngày ký hợp đồng"));
  g_assert_false (can_save (f));
  focus = gtk_root_get_focus (GTK_ROOT (f->editor));
  g_assert_nonnull (focus);
  g_assert_true (focus == rows->pdata[2] || gtk_widget_is_ancestor (focus, rows->pdata[2]));
}

/* The company's page lists the custom fields that have a value. */
static void
test_page (Fixture       *f,
           gconstpointer  data)
{
  gint64 id = add_company (f, "Công ty Sao Mai", "Vàng");
  g_autoptr (CrmCompanyDraft) draft = NULL;
  g_autoptr (CrmCompany) company = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) shown = g_ptr_array_new_with_free_func (g_free);
  CrmCompanyPage *page = CRM_COMPANY_PAGE (crm_company_page_new (f->store));
  GtkWidget *group;
  GtkWidget *list;

  gtk_window_set_child (f->window, GTK_WIDGET (page));
  crm_company_page_set_company_id (page, id);
  group = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (page), CRM_TYPE_COMPANY_PAGE,
                                                     "custom_group"));
  list = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (page), CRM_TYPE_COMPANY_PAGE,
                                                    "custom_list"));
  g_assert_true (gtk_widget_get_visible (group));

  company = crm_company_load (f->store, id, &error);
  g_assert_no_error (error);
  draft = crm_company_draft_new_from_company (company);
  crm_company_draft_set_custom (draft, f->bool_key, "1");
  crm_company_draft_set_custom (draft, f->date_key, "2026-01-05");
  g_assert_cmpint (crm_company_save (f->store, draft, NULL, &error), ==, id);
  g_assert_no_error (error);

  /* The page follows the store. */
  WAIT_FOR (crm_company_get_custom_value (crm_company_page_get_company (page), f->bool_key)
            != NULL);
  for (GtkWidget *c = gtk_widget_get_first_child (list); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      if (ADW_IS_ACTION_ROW (c) && gtk_widget_get_visible (c))
        g_ptr_array_add (shown, g_strdup_printf ("%s: %s",
                                                 adw_action_row_get_subtitle (ADW_ACTION_ROW (c)),
                                                 adw_preferences_row_get_title (ADW_PREFERENCES_ROW (c))));
    }
  g_assert_cmpuint (shown->len, ==, 3);
  g_assert_cmpstr (shown->pdata[0], ==, "Ngày ký hợp đồng: Jan 5, 2026");
  g_assert_cmpstr (shown->pdata[1], ==, "Hạng: Vàng");
  g_assert_cmpstr (shown->pdata[2], ==, "Đã xác minh: Yes");

  /* With nothing set, there is no group. */
  g_clear_pointer (&draft, crm_company_draft_free);
  draft = crm_company_draft_new_from_company (company);
  g_hash_table_remove_all (draft->custom);
  g_assert_cmpint (crm_company_save (f->store, draft, NULL, &error), ==, id);
  WAIT_FOR (!gtk_widget_get_visible (group));
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

  ADD_TEST ("/company-editor/custom-fields", test_custom_fields);
  ADD_TEST ("/company-editor/save-focuses-problem", test_save_focuses_problem);
  ADD_TEST ("/company-page/custom-fields", test_page);

  return g_test_run ();
}
