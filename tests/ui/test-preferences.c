/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "crm-test-util.h"
#include "crm-fields.h"
#include "crm-fields-page.h"
#include "crm-key.h"
#include "crm-pipeline.h"
#include "crm-pipeline-page.h"
#include "crm-preferences-window.h"
#include "crm-security-page.h"
#include "crm-stages-page.h"

typedef struct
{
  char          *dir;
  CrmStore      *store;
  GSettings     *settings;
  GtkWindow     *window;
  CrmFieldsPage *fields;
  CrmStagesPage *stages;
  CrmPipelinePage *pipeline;
} Fixture;

/* Runs the main loop until @condition holds or five seconds have passed. */
#define WAIT_FOR(condition) CRM_TEST_WAIT_FOR_MS (condition, 5000)

static void
spin (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
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

static void
collect_named (GtkWidget  *widget,
               const char *name,
               GPtrArray  *found)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    g_ptr_array_add (found, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_named (child, name, found);
}

/* The text of each row named @name under @widget, joined with '|': the
 * title of action rows, the text of entry rows. */
static char *
row_texts (gpointer    widget,
           const char *name)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new ();
  GString *out = g_string_new (NULL);

  collect_named (GTK_WIDGET (widget), name, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);
      const char *text = ADW_IS_ENTRY_ROW (row)
                         ? gtk_editable_get_text (GTK_EDITABLE (row))
                         : adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));

      g_string_append_printf (out, "%s%s", i > 0 ? "|" : "", text);
    }

  return g_string_free (out, FALSE);
}

/* The row named @name under @widget whose title or text is @text. */
static GtkWidget *
find_row (gpointer    widget,
          const char *name,
          const char *text)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new ();

  collect_named (GTK_WIDGET (widget), name, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);
      const char *row_text = ADW_IS_ENTRY_ROW (row)
                             ? gtk_editable_get_text (GTK_EDITABLE (row))
                             : adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));

      if (g_strcmp0 (row_text, text) == 0)
        return row;
    }

  return NULL;
}

static GtkWindow *
find_toplevel_named (const char *name)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (g_strcmp0 (gtk_widget_get_name (GTK_WIDGET (window)), name) == 0
          && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

static void
destroy_window (GtkWindow *window)
{
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (window);
  WAIT_FOR (window == NULL);
}

static void
click (GtkWidget *button)
{
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static void
exec (Fixture    *f,
      const char *sql)
{
  g_autoptr (GError) error = NULL;

  crm_store_exec (f->store, sql, &error);
  g_assert_no_error (error);
}

static gint64
query_int (Fixture    *f,
           const char *sql)
{
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt = crm_store_prepare (f->store, sql, &error);
  gint64 value;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

static GPtrArray *
list_fields (Fixture        *f,
             CrmFieldEntity  entity)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *fields = crm_custom_fields_list (f->store, entity, &error);

  g_assert_no_error (error);
  return fields;
}

static char *
stored_status_names (Fixture       *f,
                     CrmStatusKind  kind)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) statuses = crm_statuses_list (f->store, kind, &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < statuses->len; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? "|" : "",
                            crm_status_get_display_name (g_ptr_array_index (statuses, i)));

  return g_string_free (out, FALSE);
}

static void
open_window (Fixture  *f,
             CrmStore *store)
{
  f->window = GTK_WINDOW (crm_preferences_window_new (f->settings, store));
  gtk_window_set_default_size (f->window, 640, 720);
  gtk_window_present (f->window);
  spin ();
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) key = crm_key_generate (&error);
  g_autofree char *workspace = NULL;

  g_assert_no_error (error);
  f->dir = crm_test_make_dir ();
  workspace = g_build_filename (f->dir, "workspace", NULL);
  f->store = crm_store_create (workspace, key, &error);
  g_assert_no_error (error);
  f->settings = g_settings_new (APPLICATION_ID);

  open_window (f, f->store);
  f->fields = CRM_FIELDS_PAGE (find_widget_of_type (GTK_WIDGET (f->window),
                                                    CRM_TYPE_FIELDS_PAGE));
  f->stages = CRM_STAGES_PAGE (find_widget_of_type (GTK_WIDGET (f->window),
                                                    CRM_TYPE_STAGES_PAGE));
  f->pipeline = CRM_PIPELINE_PAGE (find_widget_of_type (GTK_WIDGET (f->window),
                                                        CRM_TYPE_PIPELINE_PAGE));
  g_assert_nonnull (f->fields);
  g_assert_nonnull (f->stages);
  g_assert_nonnull (f->pipeline);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  GtkWindow *dialog;

  while ((dialog = find_toplevel_named ("field-editor")) != NULL)
    destroy_window (dialog);
  while ((dialog = find_toplevel_named ("stage-editor")) != NULL)
    destroy_window (dialog);
  while ((dialog = find_toplevel_named ("rate-editor")) != NULL)
    destroy_window (dialog);
  if (f->window != NULL)
    destroy_window (f->window);
  spin ();

  g_assert_finalize_object (f->store);
  g_clear_object (&f->settings);
  crm_test_remove_tree (f->dir);
  g_free (f->dir);
}

/* Fills and saves the field editor that is open. */
static void
fill_editor (const char        *label,
             CrmFieldType       type,
             const char *const *options)
{
  GtkWindow *editor = find_toplevel_named ("field-editor");
  GtkWidget *option_entry;

  g_assert_nonnull (editor);
  gtk_editable_set_text (GTK_EDITABLE (find_named (GTK_WIDGET (editor), "label-row")), label);
  adw_combo_row_set_selected (ADW_COMBO_ROW (find_named (GTK_WIDGET (editor), "type-row")), type);
  option_entry = find_named (GTK_WIDGET (editor), "option-entry");
  g_assert_cmpint (gtk_widget_get_visible (gtk_widget_get_ancestor (option_entry,
                                                                    ADW_TYPE_PREFERENCES_GROUP)),
                   ==, type == CRM_FIELD_TYPE_CHOICE);
  for (guint i = 0; options != NULL && options[i] != NULL; i++)
    {
      gtk_editable_set_text (GTK_EDITABLE (option_entry), options[i]);
      click (find_named (GTK_WIDGET (editor), "add-option-button"));
      g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (option_entry)), ==, "");
    }
}

static void
save_editor (void)
{
  GtkWindow *editor = find_toplevel_named ("field-editor");

  g_assert_nonnull (editor);
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
  click (find_named (GTK_WIDGET (editor), "save-button"));
  WAIT_FOR (editor == NULL);
}

/* The pages */

static void
test_pages (Fixture       *f,
            gconstpointer  data)
{
  GtkWindow *without;

  g_assert_true (crm_fields_page_get_store (f->fields) == f->store);
  g_assert_true (crm_stages_page_get_store (f->stages) == f->store);
  g_assert_cmpstr (adw_preferences_page_get_title (ADW_PREFERENCES_PAGE (f->fields)), ==,
                   "Fields");
  g_assert_cmpstr (adw_preferences_page_get_title (ADW_PREFERENCES_PAGE (f->stages)), ==,
                   "Stages");

  /* Without a workspace there is nothing to edit. */
  without = GTK_WINDOW (crm_preferences_window_new (f->settings, NULL));
  g_assert_null (find_widget_of_type (GTK_WIDGET (without), CRM_TYPE_FIELDS_PAGE));
  g_assert_null (find_widget_of_type (GTK_WIDGET (without), CRM_TYPE_STAGES_PAGE));
  g_assert_null (find_widget_of_type (GTK_WIDGET (without), CRM_TYPE_SECURITY_PAGE));
  gtk_window_destroy (without);
}

/* Custom fields */

static void
test_add_field (Fixture       *f,
                gconstpointer  data)
{
  static const char *const options[] = { "Vàng", "Bạc", NULL };
  g_autoptr (GPtrArray) fields = NULL;
  g_autofree char *texts = NULL;
  CrmCustomField *field;
  GtkWindow *editor;
  GtkWidget *option_entry, *row, *add_row;
  GtkLabel *error_label;

  /* The Add row opens the editor, as Enter on it does. */
  add_row = find_named (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (f->fields),
                                                                   CRM_TYPE_FIELDS_PAGE,
                                                                   "contact_list")),
                        "add-field-row");
  g_assert_true (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (add_row)));
  g_signal_emit_by_name (add_row, "activate");
  editor = find_toplevel_named ("field-editor");
  g_assert_nonnull (editor);
  g_assert_true (gtk_window_get_transient_for (editor) == f->window);
  g_assert_true (gtk_window_get_modal (editor));
  /* Nothing to save without a label. */
  g_assert_false (gtk_widget_get_sensitive (find_named (GTK_WIDGET (editor), "save-button")));
  g_assert_true (gtk_window_get_default_widget (editor)
                 == find_named (GTK_WIDGET (editor), "save-button"));

  fill_editor ("  Hạng thành viên ", CRM_FIELD_TYPE_CHOICE, options);
  g_assert_true (gtk_widget_get_sensitive (find_named (GTK_WIDGET (editor), "save-button")));
  texts = row_texts (editor, "option-row");
  g_assert_cmpstr (texts, ==, "Vàng|Bạc");
  g_clear_pointer (&texts, g_free);

  /* The same option twice is refused on the spot. */
  option_entry = find_named (GTK_WIDGET (editor), "option-entry");
  gtk_editable_set_text (GTK_EDITABLE (option_entry), "vàng");
  g_signal_emit_by_name (option_entry, "entry-activated");
  error_label = GTK_LABEL (find_named (GTK_WIDGET (editor), "error-label"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (error_label)));
  g_assert_cmpstr (gtk_label_get_label (error_label), ==, "The option “vàng” is listed twice");

  /* An option removed, and one typed but not added, which the save takes. */
  click (find_named (find_row (editor, "option-row", "Bạc"), "remove-option-button"));
  texts = row_texts (editor, "option-row");
  g_assert_cmpstr (texts, ==, "Vàng");
  g_clear_pointer (&texts, g_free);
  gtk_editable_set_text (GTK_EDITABLE (option_entry), "Kim cương");
  save_editor ();

  fields = list_fields (f, CRM_FIELD_ENTITY_CONTACT);
  g_assert_cmpuint (fields->len, ==, 1);
  field = g_ptr_array_index (fields, 0);
  g_assert_cmpstr (field->label, ==, "Hạng thành viên");
  g_assert_cmpstr (field->key, ==, "hang_thanh_vien");
  g_assert_cmpint (field->type, ==, CRM_FIELD_TYPE_CHOICE);
  g_assert_cmpuint (g_strv_length (field->options), ==, 2);
  g_assert_cmpstr (field->options[0], ==, "Vàng");
  g_assert_cmpstr (field->options[1], ==, "Kim cương");

  /* The page shows it, with its type and options. */
  row = find_row (f->fields, "field-row", "Hạng thành viên");
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "Choice list: Vàng, Kim cương");
  g_assert_true ((GObject *) gtk_widget_get_ancestor (row, GTK_TYPE_LIST_BOX)
                 == gtk_widget_get_template_child (GTK_WIDGET (f->fields), CRM_TYPE_FIELDS_PAGE,
                                                   "contact_list"));

  /* A label the entity has already keeps the editor open with the reason. */
  gtk_widget_activate_action (GTK_WIDGET (f->fields), "fields.add", "s", "contact");
  editor = find_toplevel_named ("field-editor");
  fill_editor ("HẠNG THÀNH VIÊN", CRM_FIELD_TYPE_TEXT, NULL);
  click (find_named (GTK_WIDGET (editor), "save-button"));
  spin ();
  g_assert_true (find_toplevel_named ("field-editor") == editor);
  error_label = GTK_LABEL (find_named (GTK_WIDGET (editor), "error-label"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (error_label)));
  g_assert_cmpstr (gtk_label_get_label (error_label), ==,
                   "There is a custom field named “HẠNG THÀNH VIÊN” already");
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
  click (find_named (GTK_WIDGET (editor), "cancel-button"));
  WAIT_FOR (editor == NULL);
  g_clear_pointer (&fields, g_ptr_array_unref);
  fields = list_fields (f, CRM_FIELD_ENTITY_CONTACT);
  g_assert_cmpuint (fields->len, ==, 1);

  /* The same label is fine on deals. */
  gtk_widget_activate_action (GTK_WIDGET (f->fields), "fields.add", "s", "deal");
  fill_editor ("Hạng thành viên", CRM_FIELD_TYPE_NUMBER, NULL);
  save_editor ();
  g_clear_pointer (&fields, g_ptr_array_unref);
  fields = list_fields (f, CRM_FIELD_ENTITY_DEAL);
  g_assert_cmpuint (fields->len, ==, 1);
  g_assert_cmpint (((CrmCustomField *) g_ptr_array_index (fields, 0))->type, ==,
                   CRM_FIELD_TYPE_NUMBER);
}

static void
test_edit_field (Fixture       *f,
                 gconstpointer  data)
{
  static const char *const options[] = { "Zalo", "Facebook", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmCustomField) field = NULL;
  g_autofree char *sql = NULL;
  GtkWindow *editor;
  GtkWidget *type_row;
  gint64 id;

  id = crm_custom_field_create (f->store, CRM_FIELD_ENTITY_COMPANY, "Kênh", CRM_FIELD_TYPE_CHOICE,
                                options, &error);
  g_assert_no_error (error);
  spin ();

  click (find_named (find_row (f->fields, "field-row", "Kênh"), "edit-button"));
  editor = find_toplevel_named ("field-editor");
  g_assert_nonnull (editor);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_named (GTK_WIDGET (editor),
                                                                    "label-row"))), ==, "Kênh");
  type_row = find_named (GTK_WIDGET (editor), "type-row");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (type_row)), ==,
                    CRM_FIELD_TYPE_CHOICE);
  g_assert_true (gtk_widget_get_sensitive (type_row));
  fill_editor ("Kênh liên hệ", CRM_FIELD_TYPE_CHOICE, NULL);
  save_editor ();

  field = crm_custom_field_load (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (field->label, ==, "Kênh liên hệ");
  g_assert_cmpstr (field->key, ==, "kenh");
  g_assert_cmpuint (g_strv_length (field->options), ==, 2);
  g_assert_nonnull (find_row (f->fields, "field-row", "Kênh liên hệ"));
  g_assert_null (find_row (f->fields, "field-row", "Kênh"));

  /* With values, the type is fixed. */
  sql = g_strdup_printf ("INSERT INTO custom_value (field_id, entity_id, value) "
                         "VALUES (%" G_GINT64_FORMAT ", 1, 'Zalo')", id);
  exec (f, sql);
  click (find_named (find_row (f->fields, "field-row", "Kênh liên hệ"), "edit-button"));
  editor = find_toplevel_named ("field-editor");
  type_row = find_named (GTK_WIDGET (editor), "type-row");
  g_assert_false (gtk_widget_get_sensitive (type_row));
  destroy_window (editor);
}

static void
test_remove_field_with_values (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) fields = NULL;
  g_autofree char *sql = NULL;
  GtkWindow *dialog;
  GtkWidget *remove_button;
  gint64 id;

  id = crm_custom_field_create (f->store, CRM_FIELD_ENTITY_CONTACT, "Hạng thành viên",
                                CRM_FIELD_TYPE_TEXT, NULL, &error);
  g_assert_no_error (error);
  exec (f, "INSERT INTO contact (display_name) VALUES ('Nguyễn Văn An')");
  sql = g_strdup_printf ("INSERT INTO custom_value (field_id, entity_id, value) "
                         "VALUES (%" G_GINT64_FORMAT ", last_insert_rowid (), 'Vàng')", id);
  exec (f, sql);
  spin ();

  remove_button = find_named (find_row (f->fields, "field-row", "Hạng thành viên"),
                              "remove-button");
  gtk_test_accessible_assert_property (remove_button, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Remove “Hạng thành viên”");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (remove_button), ==, "Remove");

  /* Cancel keeps the field and its values. */
  click (remove_button);
  dialog = find_toplevel_named ("remove-field-dialog");
  g_assert_nonnull (dialog);
  g_assert_true (ADW_IS_MESSAGE_DIALOG (dialog));
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "Remove “Hạng thành viên”?");
  g_assert_cmpstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "1 contact has a value in it. The values are deleted with the field.");
  g_assert_cmpstr (adw_message_dialog_get_default_response (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "cancel");
  g_assert_cmpint (adw_message_dialog_get_response_appearance (ADW_MESSAGE_DIALOG (dialog),
                                                               "remove"),
                   ==, ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  destroy_window (dialog);
  fields = list_fields (f, CRM_FIELD_ENTITY_CONTACT);
  g_assert_cmpuint (fields->len, ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM custom_value"), ==, 1);

  /* Remove deletes both. */
  click (find_named (find_row (f->fields, "field-row", "Hạng thành viên"), "remove-button"));
  dialog = find_toplevel_named ("remove-field-dialog");
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "remove");
  destroy_window (dialog);

  g_clear_pointer (&fields, g_ptr_array_unref);
  fields = list_fields (f, CRM_FIELD_ENTITY_CONTACT);
  g_assert_cmpuint (fields->len, ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM custom_value"), ==, 0);
  g_assert_null (find_row (f->fields, "field-row", "Hạng thành viên"));
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM contact"), ==, 1);
}

static void
test_remove_field_and_undo (Fixture       *f,
                            gconstpointer  data)
{
  static const char *const options[] = { "Có", "Không rõ", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) fields = NULL;
  g_autofree char *texts = NULL;
  CrmCustomField *field;

  crm_custom_field_create (f->store, CRM_FIELD_ENTITY_CONTACT, "A", CRM_FIELD_TYPE_TEXT, NULL,
                           &error);
  crm_custom_field_create (f->store, CRM_FIELD_ENTITY_CONTACT, "Quan tâm", CRM_FIELD_TYPE_CHOICE,
                           options, &error);
  crm_custom_field_create (f->store, CRM_FIELD_ENTITY_CONTACT, "C", CRM_FIELD_TYPE_TEXT, NULL,
                           &error);
  g_assert_no_error (error);

  /* Without values there is nothing to ask. */
  click (find_named (find_row (f->fields, "field-row", "Quan tâm"), "remove-button"));
  g_assert_null (find_toplevel_named ("remove-field-dialog"));
  texts = row_texts (f->fields, "field-row");
  g_assert_cmpstr (texts, ==, "A|C");
  g_clear_pointer (&texts, g_free);

  /* Undo brings it back where it was. */
  gtk_widget_activate_action (GTK_WIDGET (f->fields), "fields.undo-remove", NULL);
  texts = row_texts (f->fields, "field-row");
  g_assert_cmpstr (texts, ==, "A|Quan tâm|C");
  fields = list_fields (f, CRM_FIELD_ENTITY_CONTACT);
  field = g_ptr_array_index (fields, 1);
  g_assert_cmpstr (field->key, ==, "quan_tam");
  g_assert_cmpint (field->type, ==, CRM_FIELD_TYPE_CHOICE);
  g_assert_cmpstr (field->options[1], ==, "Không rõ");

  /* Only once. */
  gtk_widget_activate_action (GTK_WIDGET (f->fields), "fields.undo-remove", NULL);
  g_clear_pointer (&fields, g_ptr_array_unref);
  fields = list_fields (f, CRM_FIELD_ENTITY_CONTACT);
  g_assert_cmpuint (fields->len, ==, 3);

  /* Only the latest removal comes back. */
  click (find_named (find_row (f->fields, "field-row", "A"), "remove-button"));
  click (find_named (find_row (f->fields, "field-row", "C"), "remove-button"));
  gtk_widget_activate_action (GTK_WIDGET (f->fields), "fields.undo-remove", NULL);
  gtk_widget_activate_action (GTK_WIDGET (f->fields), "fields.undo-remove", NULL);
  g_clear_pointer (&texts, g_free);
  texts = row_texts (f->fields, "field-row");
  g_assert_cmpstr (texts, ==, "Quan tâm|C");
}

static void
test_reorder_fields (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) fields = NULL;
  g_autofree char *texts = NULL;
  GtkWidget *row, *up, *down, *focus;

  crm_custom_field_create (f->store, CRM_FIELD_ENTITY_COMPANY, "Quy mô", CRM_FIELD_TYPE_NUMBER,
                           NULL, &error);
  crm_custom_field_create (f->store, CRM_FIELD_ENTITY_COMPANY, "Ngành", CRM_FIELD_TYPE_TEXT,
                           NULL, &error);
  crm_custom_field_create (f->store, CRM_FIELD_ENTITY_COMPANY, "Ngày thành lập",
                           CRM_FIELD_TYPE_DATE, NULL, &error);
  g_assert_no_error (error);

  /* The first row cannot go up, the last cannot go down. */
  row = find_row (f->fields, "field-row", "Quy mô");
  g_assert_false (gtk_widget_get_sensitive (find_named (row, "move-up-button")));
  g_assert_true (gtk_widget_get_sensitive (find_named (row, "move-down-button")));
  row = find_row (f->fields, "field-row", "Ngày thành lập");
  g_assert_false (gtk_widget_get_sensitive (find_named (row, "move-down-button")));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "Date");

  /* The focus stays on the button that moved the field. */
  row = find_row (f->fields, "field-row", "Ngành");
  up = find_named (row, "move-up-button");
  gtk_test_accessible_assert_property (up, GTK_ACCESSIBLE_PROPERTY_LABEL, "Move “Ngành” Up");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (up), ==, "Move Up");
  gtk_widget_grab_focus (find_named (row, "move-down-button"));
  click (find_named (row, "move-down-button"));
  texts = row_texts (f->fields, "field-row");
  g_assert_cmpstr (texts, ==, "Quy mô|Ngày thành lập|Ngành");
  g_clear_pointer (&texts, g_free);
  fields = list_fields (f, CRM_FIELD_ENTITY_COMPANY);
  g_assert_cmpstr (((CrmCustomField *) g_ptr_array_index (fields, 2))->label, ==, "Ngành");

  /* Now last, its Move Down is off: the focus goes to its row. */
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_nonnull (focus);
  row = find_row (f->fields, "field-row", "Ngành");
  g_assert_true (focus == row);

  down = find_named (find_row (f->fields, "field-row", "Quy mô"), "move-down-button");
  gtk_widget_grab_focus (down);
  click (down);
  texts = row_texts (f->fields, "field-row");
  g_assert_cmpstr (texts, ==, "Ngày thành lập|Quy mô|Ngành");
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_true (focus == find_named (find_row (f->fields, "field-row", "Quy mô"),
                                      "move-down-button"));
}

/* Lifecycle stages and lead statuses */

static gpointer
stages_child (Fixture    *f,
              const char *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (f->stages), CRM_TYPE_STAGES_PAGE, name);
}

static GtkWidget *
stage_row (Fixture    *f,
           const char *list_name,
           const char *text)
{
  GtkWidget *list = stages_child (f, list_name);

  return find_row (list, "status-row", text);
}

static void
test_stages_rename (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *names = NULL;
  g_autofree char *texts = NULL;
  GtkWidget *list, *row;

  list = stages_child (f, "lifecycle_list");
  texts = row_texts (list, "status-row");
  g_assert_cmpstr (texts, ==, "Subscriber|Lead|Marketing-qualified lead|Sales-qualified lead|"
                              "Opportunity|Customer|Loyal customer|Other");
  g_clear_pointer (&texts, g_free);
  row = stage_row (f, "lifecycle_list", "Customer");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Stage 6");

  gtk_editable_set_text (GTK_EDITABLE (row), "  Khách hàng ");
  g_signal_emit_by_name (row, "apply");
  names = stored_status_names (f, CRM_STATUS_LIFECYCLE_STAGE);
  g_assert_cmpstr (names, ==, "Subscriber|Lead|Marketing-qualified lead|Sales-qualified lead|"
                              "Opportunity|Khách hàng|Loyal customer|Other");
  g_assert_cmpint (query_int (f, "SELECT builtin FROM lifecycle_stage WHERE key = 'customer'"),
                   ==, 0);
  texts = row_texts (list, "status-row");
  g_assert_cmpstr (texts, ==, "Subscriber|Lead|Marketing-qualified lead|Sales-qualified lead|"
                              "Opportunity|Khách hàng|Loyal customer|Other");
  g_clear_pointer (&texts, g_free);

  /* A name another stage has is refused; the row shows the name it keeps. */
  row = stage_row (f, "lifecycle_list", "Other");
  gtk_editable_set_text (GTK_EDITABLE (row), "lead");
  g_signal_emit_by_name (row, "apply");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "Other");
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM lifecycle_stage WHERE name = 'lead'"),
                   ==, 0);

  /* Adding one through the New row. */
  row = stages_child (f, "lifecycle_add_row");
  gtk_editable_set_text (GTK_EDITABLE (row), "Khách VIP");
  g_signal_emit_by_name (row, "entry-activated");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "");
  texts = row_texts (list, "status-row");
  g_assert_true (g_str_has_suffix (texts, "|Other|Khách VIP"));
  g_clear_pointer (&texts, g_free);
  g_assert_cmpint (query_int (f, "SELECT position FROM lifecycle_stage WHERE name = 'Khách VIP'"),
                   ==, 8);

  /* And a lead status through its button. */
  row = stages_child (f, "lead_add_row");
  gtk_editable_set_text (GTK_EDITABLE (row), "Chờ báo giá");
  click (stages_child (f, "lead_add_button"));
  g_assert_nonnull (stage_row (f, "lead_list", "Chờ báo giá"));
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM lead_status"), ==, 9);
}

static void
test_stages_reorder (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *names = NULL;
  g_autofree char *texts = NULL;
  GtkWidget *row, *down;

  row = stage_row (f, "lifecycle_list", "Subscriber");
  g_assert_false (gtk_widget_get_sensitive (find_named (row, "move-up-button")));
  down = find_named (row, "move-down-button");
  gtk_test_accessible_assert_property (down, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Move “Subscriber” Down");
  gtk_widget_grab_focus (down);
  click (down);

  names = stored_status_names (f, CRM_STATUS_LIFECYCLE_STAGE);
  g_assert_cmpstr (names, ==, "Lead|Subscriber|Marketing-qualified lead|Sales-qualified lead|"
                              "Opportunity|Customer|Loyal customer|Other");
  g_assert_cmpint (query_int (f, "SELECT position FROM lifecycle_stage WHERE key = 'subscriber'"),
                   ==, 1);
  texts = row_texts (stages_child (f, "lifecycle_list"),
                     "status-row");
  g_assert_cmpstr (texts, ==, names);
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f->window))
                 == find_named (stage_row (f, "lifecycle_list", "Subscriber"),
                                "move-down-button"));

  /* Up on a lead status. */
  click (find_named (stage_row (f, "lead_list", "Bad timing"), "move-up-button"));
  g_clear_pointer (&names, g_free);
  names = stored_status_names (f, CRM_STATUS_LEAD_STATUS);
  g_assert_true (g_str_has_suffix (names, "|Bad timing|Connected"));
}

static void
test_stages_remove (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *names = NULL;
  GtkWindow *dialog;

  exec (f, "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1234) "
           "INSERT INTO contact (display_name, lifecycle_stage_id) "
           "SELECT 'Khách ' || i, (SELECT id FROM lifecycle_stage WHERE key = 'customer') FROM n");
  spin ();

  /* In use: it asks, saying how many. */
  click (find_named (stage_row (f, "lifecycle_list", "Customer"), "remove-button"));
  dialog = find_toplevel_named ("remove-status-dialog");
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "Remove “Customer”?");
  g_assert_cmpstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "1234 contacts are at this stage. They will have no lifecycle stage.");
  g_assert_cmpstr (adw_message_dialog_get_default_response (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "cancel");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "remove");
  destroy_window (dialog);

  g_assert_null (stage_row (f, "lifecycle_list", "Customer"));
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM lifecycle_stage WHERE key = 'customer'"),
                   ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM contact WHERE lifecycle_stage_id IS NULL"),
                   ==, 1234);

  /* Not in use: it goes at once. */
  click (find_named (stage_row (f, "lead_list", "Unqualified"), "remove-button"));
  g_assert_null (find_toplevel_named ("remove-status-dialog"));
  names = stored_status_names (f, CRM_STATUS_LEAD_STATUS);
  g_assert_cmpstr (names, ==, "New|Open|In progress|Open deal|Attempted to contact|Connected|"
                              "Bad timing");
  g_assert_null (stage_row (f, "lead_list", "Unqualified"));
}

/* Pipelines, stages and currencies */

static gpointer
pipeline_child (Fixture    *f,
                const char *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (f->pipeline), CRM_TYPE_PIPELINE_PAGE, name);
}

static GtkWidget *
pipeline_stage_row (Fixture    *f,
                    const char *name)
{
  return find_row (pipeline_child (f, "stage_list"), "stage-row", name);
}

static CrmPipeline *
load_pipeline (Fixture *f,
               gint64   id)
{
  g_autoptr (GError) error = NULL;
  CrmPipeline *pipeline = crm_pipeline_load (f->store, id, &error);

  g_assert_no_error (error);
  return pipeline;
}

static char *
stored_stage_names (Fixture *f,
                    gint64   pipeline_id)
{
  g_autoptr (CrmPipeline) pipeline = load_pipeline (f, pipeline_id);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < pipeline->stages->len; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? "|" : "",
                            ((CrmStage *) g_ptr_array_index (pipeline->stages, i))->name);

  return g_string_free (out, FALSE);
}

static CrmStage *
stored_stage (CrmPipeline *pipeline,
              const char  *name)
{
  for (guint i = 0; i < pipeline->stages->len; i++)
    {
      CrmStage *stage = g_ptr_array_index (pipeline->stages, i);

      if (g_str_equal (stage->name, name))
        return stage;
    }

  return NULL;
}

static void
save_dialog (const char *name)
{
  GtkWindow *dialog = find_toplevel_named (name);

  g_assert_nonnull (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  click (find_named (GTK_WIDGET (dialog), "save-button"));
  WAIT_FOR (dialog == NULL);
}

static void
set_spin (GtkWindow  *dialog,
          const char *name,
          int         value)
{
  GtkWidget *spin = find_named (GTK_WIDGET (dialog), name);

  g_assert_true (GTK_IS_SPIN_BUTTON (spin));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
}

static int
get_spin (GtkWindow  *dialog,
          const char *name)
{
  return gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (find_named (GTK_WIDGET (dialog),
                                                                         name)));
}

/* Selects the item of @combo whose text is @text. */
static void
select_item (GtkWidget  *combo,
             const char *text)
{
  GListModel *model = adw_combo_row_get_model (ADW_COMBO_ROW (combo));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_str_equal (gtk_string_object_get_string (item), text))
        {
          adw_combo_row_set_selected (ADW_COMBO_ROW (combo), i);
          return;
        }
    }

  g_assert_not_reached ();
}

static const char *
selected_item (GtkWidget *combo)
{
  GObject *item = adw_combo_row_get_selected_item (ADW_COMBO_ROW (combo));

  return gtk_string_object_get_string (GTK_STRING_OBJECT (item));
}

static void
test_pipeline_edit_stage (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr (CrmPipeline) pipeline = NULL;
  g_autofree char *texts = NULL;
  GtkWindow *editor;
  GtkWidget *row, *edit;
  CrmStage *stage;

  g_assert_cmpstr (adw_preferences_page_get_title (ADW_PREFERENCES_PAGE (f->pipeline)), ==,
                   "Pipeline");
  g_assert_true (crm_pipeline_page_get_store (f->pipeline) == f->store);
  texts = row_texts (pipeline_child (f, "stage_list"), "stage-row");
  g_assert_cmpstr (texts, ==, "New lead|Qualified|Proposal sent|Negotiation|Won|Lost");
  row = pipeline_stage_row (f, "Proposal sent");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "Open · Win probability 50 % · Idle after 14 days");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (pipeline_stage_row (f, "Won"))),
                   ==, "Won · Win probability 100 %");

  edit = find_named (row, "edit-button");
  gtk_test_accessible_assert_property (edit, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Edit “Proposal sent”");
  click (edit);
  editor = find_toplevel_named ("stage-editor");
  g_assert_nonnull (editor);
  g_assert_true (gtk_window_get_transient_for (editor) == f->window);
  g_assert_true (gtk_window_get_modal (editor));
  g_assert_true (gtk_window_get_default_widget (editor)
                 == find_named (GTK_WIDGET (editor), "save-button"));
  /* A stage keeps its kind. */
  g_assert_null (find_named (GTK_WIDGET (editor), "kind-row"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_named (GTK_WIDGET (editor),
                                                                     "name-row"))),
                   ==, "Proposal sent");
  g_assert_cmpint (get_spin (editor, "probability-spin"), ==, 50);
  g_assert_cmpint (get_spin (editor, "idle-spin"), ==, 14);

  /* Nothing to save without a name. */
  gtk_editable_set_text (GTK_EDITABLE (find_named (GTK_WIDGET (editor), "name-row")), "  ");
  g_assert_false (gtk_widget_get_sensitive (find_named (GTK_WIDGET (editor), "save-button")));
  gtk_editable_set_text (GTK_EDITABLE (find_named (GTK_WIDGET (editor), "name-row")),
                         " Đã gửi báo giá ");
  set_spin (editor, "probability-spin", 45);
  set_spin (editor, "idle-spin", 0);
  save_dialog ("stage-editor");

  pipeline = load_pipeline (f, 0);
  stage = g_ptr_array_index (pipeline->stages, 2);
  g_assert_cmpstr (stage->name, ==, "Đã gửi báo giá");
  g_assert_cmpint (stage->probability, ==, 45);
  g_assert_cmpint (stage->idle_days, ==, 0);
  row = pipeline_stage_row (f, "Đã gửi báo giá");
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "Open · Win probability 45 % · Never idle");

  /* Only numbers changed: the built-in name stays built in. Enter on the
   * row opens the editor too. */
  g_signal_emit_by_name (pipeline_stage_row (f, "Qualified"), "activated");
  editor = find_toplevel_named ("stage-editor");
  g_assert_nonnull (editor);
  set_spin (editor, "probability-spin", 30);
  set_spin (editor, "idle-spin", 10);
  save_dialog ("stage-editor");
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM stage WHERE name = 'Qualified' AND "
                                 "probability = 30 AND idle_days = 10"), ==, 1);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (pipeline_stage_row (f,
                                                                                   "Qualified"))),
                   ==, "Open · Win probability 30 % · Idle after 10 days");

  /* Escape closes the editor and saves nothing. */
  click (find_named (pipeline_stage_row (f, "Negotiation"), "edit-button"));
  editor = find_toplevel_named ("stage-editor");
  set_spin (editor, "probability-spin", 99);
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
  gtk_widget_activate_action (GTK_WIDGET (editor), "window.close", NULL);
  WAIT_FOR (editor == NULL);
  g_assert_cmpint (query_int (f, "SELECT probability FROM stage WHERE name = 'Negotiation'"),
                   ==, 75);
}

static void
test_pipeline_reorder_stages (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *names = NULL;
  g_autofree char *texts = NULL;
  GtkWidget *row, *up;

  row = pipeline_stage_row (f, "New lead");
  g_assert_false (gtk_widget_get_sensitive (find_named (row, "move-up-button")));
  g_assert_false (gtk_widget_get_sensitive (find_named (pipeline_stage_row (f, "Lost"),
                                                        "move-down-button")));

  up = find_named (pipeline_stage_row (f, "Qualified"), "move-up-button");
  gtk_test_accessible_assert_property (up, GTK_ACCESSIBLE_PROPERTY_LABEL, "Move “Qualified” Up");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (up), ==, "Move Up");
  gtk_widget_grab_focus (up);
  click (up);

  names = stored_stage_names (f, 0);
  g_assert_cmpstr (names, ==, "Qualified|New lead|Proposal sent|Negotiation|Won|Lost");
  texts = row_texts (pipeline_child (f, "stage_list"), "stage-row");
  g_assert_cmpstr (texts, ==, names);
  /* First now: its Move Up is off, and the focus goes to its row. */
  row = pipeline_stage_row (f, "Qualified");
  g_assert_false (gtk_widget_get_sensitive (find_named (row, "move-up-button")));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f->window)) == row);

  click (find_named (pipeline_stage_row (f, "Won"), "move-down-button"));
  g_clear_pointer (&names, g_free);
  names = stored_stage_names (f, 0);
  g_assert_cmpstr (names, ==, "Qualified|New lead|Proposal sent|Negotiation|Lost|Won");
}

static void
test_pipeline_add_stage (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr (CrmPipeline) pipeline = NULL;
  g_autofree char *names = NULL;
  GtkWindow *editor;
  GtkWidget *add_row, *kind_row, *row;
  CrmStage *stage;

  add_row = pipeline_child (f, "add_stage_row");
  g_assert_true (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (add_row)));
  g_signal_emit_by_name (add_row, "activate");
  editor = find_toplevel_named ("stage-editor");
  g_assert_nonnull (editor);
  g_assert_cmpstr (gtk_window_get_title (editor), ==, "New Stage");
  g_assert_false (gtk_widget_get_sensitive (find_named (GTK_WIDGET (editor), "save-button")));

  /* A won stage is sure, and no deal idles in it. */
  kind_row = find_named (GTK_WIDGET (editor), "kind-row");
  g_assert_cmpstr (selected_item (kind_row), ==, "Open");
  select_item (kind_row, "Won");
  g_assert_cmpint (get_spin (editor, "probability-spin"), ==, 100);
  g_assert_false (gtk_widget_get_sensitive (gtk_widget_get_ancestor (
                                              find_named (GTK_WIDGET (editor), "idle-spin"),
                                              ADW_TYPE_ACTION_ROW)));
  select_item (kind_row, "Open");
  g_assert_true (gtk_widget_get_sensitive (gtk_widget_get_ancestor (
                                             find_named (GTK_WIDGET (editor), "idle-spin"),
                                             ADW_TYPE_ACTION_ROW)));

  gtk_editable_set_text (GTK_EDITABLE (find_named (GTK_WIDGET (editor), "name-row")),
                         "Trình diễn sản phẩm");
  set_spin (editor, "probability-spin", 60);
  set_spin (editor, "idle-spin", 5);
  save_dialog ("stage-editor");

  /* An open stage goes before Won and Lost. */
  names = stored_stage_names (f, 0);
  g_assert_cmpstr (names, ==, "New lead|Qualified|Proposal sent|Negotiation|"
                              "Trình diễn sản phẩm|Won|Lost");
  pipeline = load_pipeline (f, 0);
  stage = stored_stage (pipeline, "Trình diễn sản phẩm");
  g_assert_cmpint (stage->kind, ==, CRM_STAGE_OPEN);
  g_assert_cmpint (stage->probability, ==, 60);
  g_assert_cmpint (stage->idle_days, ==, 5);
  g_assert_nonnull (pipeline_stage_row (f, "Trình diễn sản phẩm"));

  /* A lost one, at the end. */
  gtk_widget_activate_action (GTK_WIDGET (f->pipeline), "pipeline-page.add-stage", NULL);
  editor = find_toplevel_named ("stage-editor");
  select_item (find_named (GTK_WIDGET (editor), "kind-row"), "Lost");
  g_assert_cmpint (get_spin (editor, "probability-spin"), ==, 0);
  gtk_editable_set_text (GTK_EDITABLE (find_named (GTK_WIDGET (editor), "name-row")),
                         "Thua đối thủ");
  save_dialog ("stage-editor");
  g_clear_pointer (&pipeline, crm_pipeline_free);
  pipeline = load_pipeline (f, 0);
  stage = g_ptr_array_index (pipeline->stages, pipeline->stages->len - 1);
  g_assert_cmpstr (stage->name, ==, "Thua đối thủ");
  g_assert_cmpint (stage->kind, ==, CRM_STAGE_LOST);
  row = pipeline_stage_row (f, "Thua đối thủ");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "Lost · Win probability 0 %");
}

static gint64
stage_id (Fixture    *f,
          const char *name)
{
  g_autoptr (CrmPipeline) pipeline = load_pipeline (f, 0);
  CrmStage *stage = stored_stage (pipeline, name);

  g_assert_nonnull (stage);
  return stage->id;
}

static void
test_pipeline_remove_stage (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *sql = NULL;
  g_autofree char *names = NULL;
  gint64 proposal = stage_id (f, "Proposal sent");
  gint64 negotiation = stage_id (f, "Negotiation");
  GtkWindow *dialog;
  GtkWidget *move_row, *warning;

  sql = g_strdup_printf ("INSERT INTO deal (title, stage_id, position, lost_reason) VALUES "
                         "('Máy lạnh', %1$lld, 1, NULL), ('Máy giặt', %1$lld, 2, 'Giá cao'), "
                         "('Tủ lạnh', %1$lld, 3, ' '), ('Bếp từ', %2$lld, 1, NULL)",
                         (long long) proposal, (long long) negotiation);
  exec (f, sql);

  /* In use: it asks where the deals go, saying how many. */
  click (find_named (pipeline_stage_row (f, "Proposal sent"), "remove-button"));
  dialog = find_toplevel_named ("remove-stage-dialog");
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "Remove “Proposal sent”?");
  g_assert_cmpstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "3 deals are in this stage. Choose the stage they move to.");
  g_assert_cmpstr (adw_message_dialog_get_default_response (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "cancel");
  move_row = find_named (GTK_WIDGET (dialog), "move-to-row");
  g_assert_cmpstr (selected_item (move_row), ==, "Qualified");
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (ADW_COMBO_ROW (move_row))),
                    ==, 5);

  /* Two have no lost reason: Lost refuses them, and the dialog says so. */
  select_item (move_row, "Lost");
  warning = find_named (GTK_WIDGET (dialog), "move-warning");
  g_assert_true (gtk_widget_get_visible (warning));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (warning)), ==,
                   "2 deals here have no lost reason, and lost stage “Lost” takes only deals "
                   "with one. Choose another stage.");
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog),
                                                           "remove"));

  select_item (move_row, "Negotiation");
  g_assert_false (gtk_widget_get_visible (warning));
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog),
                                                          "remove"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "remove");
  destroy_window (dialog);

  g_assert_null (pipeline_stage_row (f, "Proposal sent"));
  names = stored_stage_names (f, 0);
  g_assert_cmpstr (names, ==, "New lead|Qualified|Negotiation|Won|Lost");
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM deal WHERE stage_id = %lld",
                         (long long) negotiation);
  g_assert_cmpint (query_int (f, sql), ==, 4);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM stage WHERE name = 'Proposal sent'"),
                   ==, 0);

  /* Cancel keeps the stage and its deals. */
  click (find_named (pipeline_stage_row (f, "Negotiation"), "remove-button"));
  dialog = find_toplevel_named ("remove-stage-dialog");
  g_assert_cmpstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "4 deals are in this stage. Choose the stage they move to.");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  destroy_window (dialog);
  g_assert_cmpint (query_int (f, sql), ==, 4);

  /* Without deals it goes at once. */
  click (find_named (pipeline_stage_row (f, "Qualified"), "remove-button"));
  g_assert_null (find_toplevel_named ("remove-stage-dialog"));
  g_clear_pointer (&names, g_free);
  names = stored_stage_names (f, 0);
  g_assert_cmpstr (names, ==, "New lead|Negotiation|Won|Lost");
}

static void
type_rate (GtkWindow  *editor,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (find_named (GTK_WIDGET (editor), "rate-row")), text);
}

static const char *
editor_message (GtkWindow *editor)
{
  GtkWidget *label = find_named (GTK_WIDGET (editor), "message-label");

  return gtk_widget_get_visible (label) ? gtk_label_get_label (GTK_LABEL (label)) : NULL;
}

static char *
stored_rate (Fixture    *f,
             const char *code)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) rates = crm_currency_rates (f->store, &error);

  g_assert_no_error (error);
  return g_strdup (g_hash_table_lookup (rates, code));
}

static void
test_pipeline_currencies (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *rate = NULL;
  g_autofree char *base = NULL;
  g_autofree char *texts = NULL;
  GtkWindow *editor, *dialog;
  GtkWidget *base_row, *save, *rate_row;

  base_row = pipeline_child (f, "base_currency_row");
  g_assert_cmpstr (selected_item (base_row), ==, "VND — Vietnamese đồng");

  /* A new rate: checked as it is typed, a decimal comma or point. */
  g_signal_emit_by_name (pipeline_child (f, "add_rate_row"), "activate");
  editor = find_toplevel_named ("rate-editor");
  g_assert_nonnull (editor);
  g_assert_cmpstr (selected_item (find_named (GTK_WIDGET (editor), "currency-row")), ==,
                   "USD — US dollar");
  rate_row = find_named (GTK_WIDGET (editor), "rate-row");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (rate_row)), ==,
                   "_Value of 1 USD in VND");
  save = find_named (GTK_WIDGET (editor), "save-button");
  g_assert_false (gtk_widget_get_sensitive (save));
  type_rate (editor, "25k");
  g_assert_false (gtk_widget_get_sensitive (save));
  g_assert_true (gtk_widget_has_css_class (rate_row, "error"));
  g_assert_cmpstr (editor_message (editor), ==,
                   "The rate must be a positive number, such as 25400 or 1.5");
  type_rate (editor, "0");
  g_assert_false (gtk_widget_get_sensitive (save));
  type_rate (editor, "1,5,0");
  g_assert_false (gtk_widget_get_sensitive (save));
  type_rate (editor, "25.400.000");
  g_assert_cmpstr (editor_message (editor), ==, "1 USD = 25.400.000 ₫");
  type_rate (editor, " 25400 ");
  g_assert_true (gtk_widget_get_sensitive (save));
  g_assert_false (gtk_widget_has_css_class (rate_row, "error"));
  g_assert_cmpstr (editor_message (editor), ==, "1 USD = 25.400 ₫");
  save_dialog ("rate-editor");
  rate = stored_rate (f, "USD");
  g_assert_cmpstr (rate, ==, "25400");

  /* The next new rate offers the next currency; a decimal comma. */
  gtk_widget_activate_action (GTK_WIDGET (f->pipeline), "pipeline-page.add-rate", NULL);
  editor = find_toplevel_named ("rate-editor");
  g_assert_cmpstr (selected_item (find_named (GTK_WIDGET (editor), "currency-row")), ==,
                   "EUR — Euro");
  type_rate (editor, "27500,5");
  g_assert_cmpstr (editor_message (editor), ==, "10 EUR = 275.005 ₫");
  save_dialog ("rate-editor");
  g_clear_pointer (&rate, g_free);
  rate = stored_rate (f, "EUR");
  g_assert_cmpstr (rate, ==, "27500.5");
  texts = row_texts (pipeline_child (f, "rate_list"), "rate-row");
  g_assert_cmpstr (texts, ==, "10 EUR = 275.005 ₫|1 USD = 25.400 ₫");
  g_clear_pointer (&texts, g_free);

  /* Edit shows the rate as stored and keeps the currency. */
  click (find_named (find_row (pipeline_child (f, "rate_list"), "rate-row", "1 USD = 25.400 ₫"),
                     "edit-button"));
  editor = find_toplevel_named ("rate-editor");
  g_assert_false (gtk_widget_get_sensitive (find_named (GTK_WIDGET (editor), "currency-row")));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_named (GTK_WIDGET (editor),
                                                                     "rate-row"))),
                   ==, "25400");
  type_rate (editor, "26000");
  save_dialog ("rate-editor");
  g_clear_pointer (&rate, g_free);
  rate = stored_rate (f, "USD");
  g_assert_cmpstr (rate, ==, "26000");

  /* Remove, and Undo brings it back. */
  gtk_test_accessible_assert_property (find_named (find_row (pipeline_child (f, "rate_list"),
                                                             "rate-row", "10 EUR = 275.005 ₫"),
                                                   "remove-button"),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Remove the EUR Rate");
  click (find_named (find_row (pipeline_child (f, "rate_list"), "rate-row", "10 EUR = 275.005 ₫"),
                     "remove-button"));
  g_clear_pointer (&rate, g_free);
  rate = stored_rate (f, "EUR");
  g_assert_null (rate);
  gtk_widget_activate_action (GTK_WIDGET (f->pipeline), "pipeline-page.undo-remove-rate", NULL);
  rate = stored_rate (f, "EUR");
  g_assert_cmpstr (rate, ==, "27500.5");

  /* Another base with rates kept: it asks, and Cancel keeps all. */
  select_item (base_row, "USD — US dollar");
  dialog = find_toplevel_named ("change-base-dialog");
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "The 2 exchange rates to VND are removed: rates are kept against the base "
                   "currency. Enter them again against the new one.");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  destroy_window (dialog);
  base = crm_base_currency (f->store);
  g_assert_cmpstr (base, ==, "VND");
  g_assert_cmpstr (selected_item (base_row), ==, "VND — Vietnamese đồng");

  select_item (base_row, "USD — US dollar");
  dialog = find_toplevel_named ("change-base-dialog");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "change");
  destroy_window (dialog);
  g_clear_pointer (&base, g_free);
  base = crm_base_currency (f->store);
  g_assert_cmpstr (base, ==, "USD");
  g_clear_pointer (&rate, g_free);
  rate = stored_rate (f, "EUR");
  g_assert_null (rate);
  texts = row_texts (pipeline_child (f, "rate_list"), "rate-row");
  g_assert_cmpstr (texts, ==, "");
  g_clear_pointer (&texts, g_free);

  /* Typed in dollars, kept in cents; a small rate shows more units. */
  gtk_widget_activate_action (GTK_WIDGET (f->pipeline), "pipeline-page.add-rate", NULL);
  editor = find_toplevel_named ("rate-editor");
  select_item (find_named (GTK_WIDGET (editor), "currency-row"), "VND — Vietnamese đồng");
  type_rate (editor, "0.000039");
  g_assert_cmpstr (editor_message (editor), ==, "10000 VND = $0.39");
  save_dialog ("rate-editor");
  g_clear_pointer (&rate, g_free);
  rate = stored_rate (f, "VND");
  g_assert_cmpstr (rate, ==, "0.0039");
  gtk_widget_activate_action (GTK_WIDGET (f->pipeline), "pipeline-page.add-rate", NULL);
  editor = find_toplevel_named ("rate-editor");
  type_rate (editor, "1,08");
  g_assert_cmpstr (editor_message (editor), ==, "1 EUR = $1.08");
  save_dialog ("rate-editor");
  g_clear_pointer (&rate, g_free);
  rate = stored_rate (f, "EUR");
  g_assert_cmpstr (rate, ==, "108");

  /* Without rates to lose, another base is taken at once. */
  exec (f, "DELETE FROM currency_rate");
  crm_store_emit_changed (f->store, "currency", 0);
  select_item (base_row, "JPY — Japanese yen");
  g_assert_null (find_toplevel_named ("change-base-dialog"));
  g_clear_pointer (&base, g_free);
  base = crm_base_currency (f->store);
  g_assert_cmpstr (base, ==, "JPY");
}

static void
test_pipeline_pipelines (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr (GPtrArray) pipelines = NULL;
  g_autofree char *texts = NULL;
  GtkWidget *name_row, *pipeline_row, *entry;
  GtkWindow *dialog, *without;
  CrmPipeline *added;

  /* One pipeline: nothing to choose. */
  pipeline_row = pipeline_child (f, "pipeline_row");
  g_assert_false (gtk_widget_get_visible (pipeline_row));
  name_row = pipeline_child (f, "pipeline_name_row");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_row)), ==, "Sales");

  gtk_editable_set_text (GTK_EDITABLE (name_row), "  Bán lẻ ");
  g_signal_emit_by_name (name_row, "apply");
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM pipeline WHERE name = 'Bán lẻ'"), ==, 1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_row)), ==, "Bán lẻ");

  /* A blank name is refused; the row shows the name it keeps. */
  gtk_editable_set_text (GTK_EDITABLE (name_row), " ");
  g_signal_emit_by_name (name_row, "apply");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_row)), ==, "Bán lẻ");

  /* A new pipeline is shown at once, without stages. */
  g_signal_emit_by_name (pipeline_child (f, "add_pipeline_row"), "activate");
  dialog = find_toplevel_named ("add-pipeline-dialog");
  g_assert_nonnull (dialog);
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "add"));
  entry = find_named (GTK_WIDGET (dialog), "pipeline-name-entry");
  gtk_editable_set_text (GTK_EDITABLE (entry), "Dự án");
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "add"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "add");
  destroy_window (dialog);

  pipelines = crm_pipelines_list (f->store, NULL);
  g_assert_cmpuint (pipelines->len, ==, 2);
  added = g_ptr_array_index (pipelines, 1);
  g_assert_cmpstr (added->name, ==, "Dự án");
  g_assert_cmpint (crm_pipeline_page_get_pipeline_id (f->pipeline), ==, added->id);
  g_assert_true (gtk_widget_get_visible (pipeline_row));
  g_assert_cmpstr (selected_item (pipeline_row), ==, "Dự án");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_row)), ==, "Dự án");
  texts = row_texts (pipeline_child (f, "stage_list"), "stage-row");
  g_assert_cmpstr (texts, ==, "");
  g_clear_pointer (&texts, g_free);

  /* Its first stage goes to it. */
  gtk_widget_activate_action (GTK_WIDGET (f->pipeline), "pipeline-page.add-stage", NULL);
  dialog = find_toplevel_named ("stage-editor");
  gtk_editable_set_text (GTK_EDITABLE (find_named (GTK_WIDGET (dialog), "name-row")), "Khảo sát");
  save_dialog ("stage-editor");
  texts = stored_stage_names (f, added->id);
  g_assert_cmpstr (texts, ==, "Khảo sát");
  g_clear_pointer (&texts, g_free);
  /* The only stage cannot go: its deals would have nowhere to move. */
  g_assert_false (gtk_widget_get_sensitive (find_named (pipeline_stage_row (f, "Khảo sát"),
                                                        "remove-button")));

  /* Back to the first. */
  select_item (pipeline_row, "Bán lẻ");
  g_assert_cmpint (crm_pipeline_page_get_pipeline_id (f->pipeline), ==,
                   ((CrmPipeline *) g_ptr_array_index (pipelines, 0))->id);
  texts = row_texts (pipeline_child (f, "stage_list"), "stage-row");
  g_assert_cmpstr (texts, ==, "New lead|Qualified|Proposal sent|Negotiation|Won|Lost");

  /* Without a workspace there is no page. */
  without = GTK_WINDOW (crm_preferences_window_new (f->settings, NULL));
  g_assert_null (find_widget_of_type (GTK_WIDGET (without), CRM_TYPE_PIPELINE_PAGE));
  gtk_window_destroy (without);
}

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

#define ADD_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD_TEST ("/preferences/pages", test_pages);
  ADD_TEST ("/preferences/fields/add", test_add_field);
  ADD_TEST ("/preferences/fields/edit", test_edit_field);
  ADD_TEST ("/preferences/fields/remove-with-values", test_remove_field_with_values);
  ADD_TEST ("/preferences/fields/remove-and-undo", test_remove_field_and_undo);
  ADD_TEST ("/preferences/fields/reorder", test_reorder_fields);
  ADD_TEST ("/preferences/stages/rename-and-add", test_stages_rename);
  ADD_TEST ("/preferences/stages/reorder", test_stages_reorder);
  ADD_TEST ("/preferences/stages/remove", test_stages_remove);
  ADD_TEST ("/preferences/pipeline/edit-stage", test_pipeline_edit_stage);
  ADD_TEST ("/preferences/pipeline/reorder-stages", test_pipeline_reorder_stages);
  ADD_TEST ("/preferences/pipeline/add-stage", test_pipeline_add_stage);
  ADD_TEST ("/preferences/pipeline/remove-stage", test_pipeline_remove_stage);
  ADD_TEST ("/preferences/pipeline/currencies", test_pipeline_currencies);
  ADD_TEST ("/preferences/pipeline/pipelines", test_pipeline_pipelines);

  return g_test_run ();
}
