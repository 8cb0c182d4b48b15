/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "crm-test-util.h"
#include "crm-company.h"
#include "crm-company-editor.h"
#include "crm-company-list.h"
#include "crm-contact.h"
#include "crm-contact-editor.h"
#include "crm-contacts.h"
#include "crm-fields.h"
#include "crm-key.h"
#include "crm-normalize.h"

typedef struct
{
  char      *dir;
  CrmStore  *store;
  GtkWindow *window;
  GtkWindow *editor;     /* a weak pointer: NULL once the editor is gone */
  guint      n_saved;
  gint64     saved_id;
  CrmUndo   *saved_undo;
  gint64     opened_id;
} Fixture;

/* Runs the main loop until @condition holds or five seconds have passed. */
#define WAIT_FOR(condition) CRM_TEST_WAIT_FOR_MS (condition, 5000)

/* Runs the main loop past the editor's pause before it checks the form. */
#define settle() crm_test_run_ms (400)

static gpointer
child (Fixture    *f,
       const char *name)
{
  GType type = CRM_IS_CONTACT_EDITOR (f->editor) ? CRM_TYPE_CONTACT_EDITOR
                                                 : CRM_TYPE_COMPANY_EDITOR;

  return gtk_widget_get_template_child (GTK_WIDGET (f->editor), type, name);
}

static void
set_text (Fixture    *f,
          const char *name,
          const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (f, name)), text);
}

static gboolean
has_class (GtkWidget  *widget,
           const char *name)
{
  return gtk_widget_has_css_class (widget, name);
}

static GtkWidget *
find_descendant (GtkWidget  *widget,
                 GType       type,
                 const char *css_class)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type)
      && (css_class == NULL || has_class (widget, css_class)))
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

/* The message row under a field's row. */
static GtkWidget *
message_row (GtkWidget *row)
{
  GtkWidget *next = gtk_widget_get_next_sibling (row);

  g_assert_nonnull (next);
  g_assert_true (has_class (next, "crm-field-message"));
  return next;
}

/* The text of the message of that style ("error", "dim-label" for the
 * preview, "warning" for a duplicate) under @row, or NULL when it is not
 * shown. */
static const char *
message (GtkWidget  *row,
         const char *style)
{
  GtkWidget *next = message_row (row);
  GtkWidget *label = find_descendant (next, GTK_TYPE_LABEL, style);

  g_assert_nonnull (label);
  if (!gtk_widget_get_visible (next) || !gtk_widget_get_visible (label)
      || !gtk_widget_get_visible (gtk_widget_get_parent (label)))
    return NULL;

  return gtk_label_get_text (GTK_LABEL (label));
}

static const char *
field_message (Fixture    *f,
               const char *name,
               const char *style)
{
  return message (child (f, name), style);
}

/* The entry rows of a list (phones, emails, …), above its "Add" row. */
static GPtrArray *
list_rows (Fixture    *f,
           const char *add_row)
{
  GPtrArray *rows = g_ptr_array_new ();
  GtkWidget *list = gtk_widget_get_parent (child (f, add_row));

  for (GtkWidget *c = gtk_widget_get_first_child (list); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      if (ADW_IS_ENTRY_ROW (c) || ADW_IS_EXPANDER_ROW (c))
        g_ptr_array_add (rows, c);
    }

  return rows;
}

static GtkWidget *
list_row (Fixture    *f,
          const char *add_row,
          guint       index)
{
  g_autoptr (GPtrArray) rows = list_rows (f, add_row);

  g_assert_cmpuint (index, <, rows->len);
  return rows->pdata[index];
}

/* The row of tag pills, under the tags' entry. */
static GtkFlowBox *
tags_flow_box (Fixture *f)
{
  GtkWidget *row = gtk_widget_get_next_sibling (child (f, "tags_row"));

  g_assert_true (GTK_IS_LIST_BOX_ROW (row));
  return GTK_FLOW_BOX (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row)));
}

static gboolean
can_save (Fixture *f)
{
  return gtk_widget_is_sensitive (child (f, "save_button"));
}

static gboolean
str_equal0 (const char *a,
            const char *b)
{
  return g_strcmp0 (a, b) == 0;
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
on_open (GtkWindow *editor,
         gint64     id,
         Fixture   *f)
{
  f->opened_id = id;
}

static void
show_editor (Fixture   *f,
             GtkWindow *editor)
{
  f->editor = editor;
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &f->editor);
  g_signal_connect (editor, "saved", G_CALLBACK (on_saved), f);
  g_signal_connect (editor, CRM_IS_CONTACT_EDITOR (editor) ? "open-contact" : "open-company",
                    G_CALLBACK (on_open), f);
  gtk_window_present (editor);
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (editor)));
  /* Under a window manager the window is placed a moment after it maps;
   * a popover needs to know its monitor. */
  WAIT_FOR (gdk_display_get_monitor_at_surface (gtk_widget_get_display (GTK_WIDGET (editor)),
                                                gtk_native_get_surface (GTK_NATIVE (editor)))
            != NULL);
  g_assert_true (gtk_window_get_transient_for (editor) == f->window);
  g_assert_true (gtk_window_get_modal (editor));
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

static gint64
add_contact (Fixture    *f,
             const char *family,
             const char *middle,
             const char *given,
             const char *email,
             const char *phone)
{
  g_autoptr (GError) error = NULL;
  CrmNewContact contact = {
    .family_name = family, .middle_name = middle, .given_name = given,
    .email = email, .phone_e164 = phone, .phone_raw = phone,
  };
  gint64 id = crm_contacts_add (f->store, &contact, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static gint64
add_company (Fixture    *f,
             const char *name,
             const char *tax_code,
             const char *district)
{
  g_autoptr (CrmCompanyDraft) draft = crm_company_draft_new ();
  g_autoptr (GError) error = NULL;
  gint64 id;

  crm_company_draft_set_text (draft, "name", name);
  crm_company_draft_set_text (draft, "tax_code", tax_code);
  crm_company_draft_set_text (draft, "district", district);
  id = crm_company_save (f->store, draft, NULL, &error);
  g_assert_no_error (error);
  return id;
}

static const CrmContactDetail *
detail_at (GPtrArray *details,
           guint      index)
{
  g_assert_cmpuint (index, <, details->len);
  return g_ptr_array_index (details, index);
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
}

static GtkWidget *
find_by_tooltip (GtkWidget  *widget,
                 const char *tooltip)
{
  if (g_strcmp0 (gtk_widget_get_tooltip_text (widget), tooltip) == 0)
    return widget;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_by_tooltip (c, tooltip);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
test_new_contact (Fixture       *f,
                  gconstpointer  data)
{
  gint64 lan = add_contact (f, "Trần", "Thị", "Lan", "lan@example.vn", "+84903123456");
  g_autoptr (CrmContact) contact = NULL;
  g_autoptr (GError) error = NULL;
  GtkWidget *email;
  GtkWidget *phone;
  GtkWidget *second_phone;
  GtkLinkButton *open;
  gboolean handled = FALSE;
  gint64 id;

  show_editor (f, GTK_WINDOW (crm_contact_editor_new (f->window, f->store, 0)));
  g_assert_cmpstr (gtk_window_get_title (f->editor), ==, "New Contact");
  g_assert_true (gtk_window_get_default_widget (f->editor) == child (f, "save_button"));

  /* Without a name there is nothing to save, and nothing is said before
   * the user typed anything. */
  g_assert_false (can_save (f));
  g_assert_null (field_message (f, "given_row", "error"));
  g_assert_false (crm_contact_editor_get_modified (CRM_CONTACT_EDITOR (f->editor)));

  /* Names are written the way they will be stored. */
  set_text (f, "family_row", "nguyễn");
  set_text (f, "middle_row", "văn");
  set_text (f, "given_row", "đức");
  WAIT_FOR (str_equal0 (adw_preferences_group_get_description (child (f, "name_group")),
                        "Shown as: Nguyễn Văn Đức"));
  g_assert_cmpstr (field_message (f, "family_row", "dim-label"), ==, "Will be saved as Nguyễn");
  g_assert_cmpstr (field_message (f, "given_row", "dim-label"), ==, "Will be saved as Đức");
  g_assert_true (can_save (f));
  g_assert_true (crm_contact_editor_get_modified (CRM_CONTACT_EDITOR (f->editor)));

  /* A bad email says what is wrong under its row, and Save waits. */
  email = list_row (f, "add_email_row", 0);
  gtk_editable_set_text (GTK_EDITABLE (email), "duc@@example");
  WAIT_FOR (message (email, "error") != NULL);
  g_assert_nonnull (strstr (message (email, "error"), "duc@@example"));
  g_assert_true (has_class (email, "error"));
  g_assert_null (message (email, "dim-label"));
  g_assert_false (can_save (f));

  gtk_editable_set_text (GTK_EDITABLE (email), "Duc@Example.VN ");
  WAIT_FOR (can_save (f));
  g_assert_null (message (email, "error"));
  g_assert_false (has_class (email, "error"));
  g_assert_cmpstr (message (email, "dim-label"), ==, "Will be saved as Duc@example.vn");

  /* An 11-digit number from before 2018 shows its new form. */
  phone = list_row (f, "add_phone_row", 0);
  gtk_editable_set_text (GTK_EDITABLE (phone), "01683456789");
  WAIT_FOR (str_equal0 (message (phone, "dim-label"), "Will be saved as 0383 456 789"));
  g_assert_null (message (phone, "warning"));

  /* Another contact's number is said, with a way to open that contact,
   * and saving stays allowed. */
  g_signal_emit_by_name (child (f, "add_phone_row"), "activated");
  second_phone = list_row (f, "add_phone_row", 1);
  gtk_editable_set_text (GTK_EDITABLE (second_phone), "0903 123 456");
  WAIT_FOR (message (second_phone, "warning") != NULL);
  g_assert_cmpstr (message (second_phone, "warning"), ==, "Already the phone of Trần Thị Lan");
  g_assert_true (can_save (f));
  open = GTK_LINK_BUTTON (find_descendant (message_row (second_phone), GTK_TYPE_LINK_BUTTON,
                                           NULL));
  g_assert_nonnull (open);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (open)));
  g_signal_emit_by_name (open, "activate-link", &handled);
  g_assert_true (handled);
  g_assert_cmpint (f->opened_id, ==, lan);

  /* Tags typed with commas become pills; what is still typed counts too. */
  set_text (f, "tags_row", "vip, khách sỉ, hà nội");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (f, "tags_row"))), ==, "hà nội");
  g_assert_true (gtk_widget_get_visible (gtk_widget_get_parent (GTK_WIDGET (tags_flow_box (f)))));
  g_assert_nonnull (gtk_flow_box_get_child_at_index (tags_flow_box (f), 1));
  g_assert_null (gtk_flow_box_get_child_at_index (tags_flow_box (f), 2));
  g_signal_emit_by_name (find_by_tooltip (GTK_WIDGET (tags_flow_box (f)), "Remove tag “vip”"),
                         "clicked");
  g_assert_nonnull (gtk_flow_box_get_child_at_index (tags_flow_box (f), 0));
  g_assert_null (gtk_flow_box_get_child_at_index (tags_flow_box (f), 1));

  save (f);
  id = f->saved_id;
  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (id, !=, lan);

  contact = crm_contact_load (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (crm_contact_get_family_name (contact), ==, "Nguyễn");
  g_assert_cmpstr (crm_contact_get_middle_name (contact), ==, "Văn");
  g_assert_cmpstr (crm_contact_get_given_name (contact), ==, "Đức");
  g_assert_cmpstr (crm_contact_get_display_name (contact), ==, "Nguyễn Văn Đức");
  g_assert_cmpuint (crm_contact_get_phones (contact)->len, ==, 2);
  g_assert_cmpstr (detail_at (crm_contact_get_phones (contact), 0)->value, ==, "+84383456789");
  g_assert_true (detail_at (crm_contact_get_phones (contact), 0)->primary);
  g_assert_cmpstr (detail_at (crm_contact_get_phones (contact), 0)->label, ==, "mobile");
  g_assert_cmpstr (crm_contact_get_primary_email (contact), ==, "Duc@example.vn");
  g_assert_cmpuint (g_strv_length ((char **) crm_contact_get_tags (contact)), ==, 2);
  g_assert_true (g_strv_contains (crm_contact_get_tags (contact), "khách sỉ"));
  g_assert_true (g_strv_contains (crm_contact_get_tags (contact), "hà nội"));
  g_clear_object (&contact);

  /* The undo takes the new contact away again. */
  g_assert_cmpstr (crm_undo_get_entity (f->saved_undo), ==, "contact");
  g_assert_true (crm_undo_apply (f->saved_undo, f->store, &error));
  g_assert_no_error (error);
  contact = crm_contact_load (f->store, id, &error);
  g_assert_null (contact);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
}

static gint64
save_contact (Fixture *f)
{
  g_autoptr (CrmContactDraft) draft = crm_contact_draft_new ();
  g_autoptr (GError) error = NULL;
  gint64 id;

  crm_contact_draft_set_text (draft, "family_name", "Lê");
  crm_contact_draft_set_text (draft, "given_name", "Minh");
  crm_contact_draft_set_text (draft, "job_title", "Kế toán");
  crm_contact_draft_set_text (draft, "birthday", "1990-05-12");
  crm_contact_draft_add_phone (draft, "0903123456", "work");
  crm_contact_draft_add_email (draft, "minh@example.vn", "work");
  g_ptr_array_add (draft->addresses,
                   crm_contact_detail_new_address ("12 Lý Thường Kiệt", "Phường Cửa Nam",
                                                   "Quận Hoàn Kiếm", "Hà Nội", NULL, "work",
                                                   TRUE));
  crm_contact_draft_add_tag (draft, "vip");
  id = crm_contact_save (f->store, draft, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  return id;
}

static void
test_edit_contact (Fixture       *f,
                   gconstpointer  data)
{
  gint64 id = save_contact (f);
  g_autoptr (CrmContact) contact = NULL;
  g_autoptr (GError) error = NULL;
  GtkWidget *phone;
  GtkWidget *address;

  show_editor (f, GTK_WINDOW (crm_contact_editor_new (f->window, f->store, id)));
  g_assert_cmpstr (gtk_window_get_title (f->editor), ==, "Edit Contact");
  g_assert_cmpint (crm_contact_editor_get_contact_id (CRM_CONTACT_EDITOR (f->editor)), ==, id);

  /* The form shows what is stored, dates day first. */
  g_assert_cmpstr (gtk_editable_get_text (child (f, "family_row")), ==, "Lê");
  g_assert_cmpstr (gtk_editable_get_text (child (f, "job_title_row")), ==, "Kế toán");
  g_assert_cmpstr (gtk_editable_get_text (child (f, "birthday_row")), ==, "12/05/1990");
  g_assert_nonnull (gtk_flow_box_get_child_at_index (tags_flow_box (f), 0));
  g_assert_false (crm_contact_editor_get_modified (CRM_CONTACT_EDITOR (f->editor)));
  g_assert_true (can_save (f));

  /* Its own number is no duplicate. */
  phone = list_row (f, "add_phone_row", 0);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (phone)), ==, "0903123456");
  g_assert_null (message (phone, "warning"));

  /* The address keeps its district, which only such an address shows. */
  address = list_row (f, "add_address_row", 0);
  g_assert_true (ADW_IS_EXPANDER_ROW (address));
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (address)), !=, "");

  set_text (f, "job_title_row", "Trưởng phòng");
  set_text (f, "birthday_row", "1/6/1991");
  WAIT_FOR (str_equal0 (field_message (f, "birthday_row", "dim-label"),
                        "Will be saved as 01/06/1991"));
  g_assert_true (crm_contact_editor_get_modified (CRM_CONTACT_EDITOR (f->editor)));

  /* A date that cannot be is said so, and Save waits. */
  set_text (f, "birthday_row", "31/02/1991");
  WAIT_FOR (field_message (f, "birthday_row", "error") != NULL);
  g_assert_false (can_save (f));
  set_text (f, "birthday_row", "1/6/1991");
  WAIT_FOR (can_save (f));

  save (f);
  g_assert_cmpint (f->saved_id, ==, id);

  contact = crm_contact_load (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (crm_contact_get_job_title (contact), ==, "Trưởng phòng");
  g_assert_cmpstr (crm_contact_get_birthday (contact), ==, "1991-06-01");
  g_assert_cmpstr (crm_contact_get_primary_phone (contact), ==, "+84903123456");
  g_assert_cmpstr (detail_at (crm_contact_get_addresses (contact), 0)->district, ==,
                   "Quận Hoàn Kiếm");
  g_assert_true (g_strv_contains (crm_contact_get_tags (contact), "vip"));
  g_clear_object (&contact);

  /* The undo puts the old values back. */
  g_assert_true (crm_undo_apply (f->saved_undo, f->store, &error));
  g_assert_no_error (error);
  contact = crm_contact_load (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (crm_contact_get_job_title (contact), ==, "Kế toán");
  g_assert_cmpstr (crm_contact_get_birthday (contact), ==, "1990-05-12");
}

static void
test_missing_contact (Fixture       *f,
                      gconstpointer  data)
{
  gint64 id = save_contact (f);
  g_autoptr (GError) error = NULL;

  /* A contact that is not there cannot be edited. */
  show_editor (f, GTK_WINDOW (crm_contact_editor_new (f->window, f->store, id + 100)));
  g_assert_cmpstr (gtk_window_get_title (f->editor), ==, "Edit Contact");
  g_assert_false (can_save (f));
  gtk_widget_activate_action (GTK_WIDGET (f->editor), "editor.save", NULL);
  g_assert_cmpuint (f->n_saved, ==, 0);
  g_assert_nonnull (f->editor);
  gtk_window_destroy (f->editor);
  g_assert_null (f->editor);

  /* One deleted while its editor is open says so, and cannot be saved. */
  show_editor (f, GTK_WINDOW (crm_contact_editor_new (f->window, f->store, id)));
  g_assert_true (can_save (f));
  g_assert_true (crm_contact_delete (f->store, id, NULL, &error));
  g_assert_no_error (error);
  set_text (f, "job_title_row", "Giám đốc");
  WAIT_FOR (!can_save (f));
  g_assert_true (gtk_widget_get_visible (child (f, "general_group")));
  g_assert_nonnull (strstr (gtk_label_get_text (child (f, "general_label")), "no contact"));
}

static AdwMessageDialog *
find_discard_dialog (Fixture *f)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_window_get_transient_for (window) == f->editor
          && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }

  return NULL;
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_button (c, label);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Answers the dialog as a click on its button would. */
static void
click_response (AdwMessageDialog *dialog,
                const char       *label)
{
  GtkWidget *button = find_button (GTK_WIDGET (dialog), label);

  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
}

static void
test_discard (Fixture       *f,
              gconstpointer  data)
{
  AdwMessageDialog *dialog;

  /* Nothing typed: Escape closes at once. */
  show_editor (f, GTK_WINDOW (crm_contact_editor_new (f->window, f->store, 0)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->editor), "editor.cancel", NULL));
  g_assert_null (f->editor);

  /* Typing and taking it back again is no change either. */
  show_editor (f, GTK_WINDOW (crm_contact_editor_new (f->window, f->store, 0)));
  set_text (f, "given_row", "An");
  settle ();
  set_text (f, "given_row", "");
  settle ();
  g_assert_false (crm_contact_editor_get_modified (CRM_CONTACT_EDITOR (f->editor)));
  gtk_window_close (f->editor);
  g_assert_null (f->editor);

  /* With a change, it asks first. */
  show_editor (f, GTK_WINDOW (crm_contact_editor_new (f->window, f->store, 0)));
  set_text (f, "given_row", "An");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->editor), "editor.cancel", NULL));
  g_assert_nonnull (f->editor);
  WAIT_FOR ((dialog = find_discard_dialog (f)) != NULL);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Discard Changes?");

  click_response (dialog, "_Keep Editing");
  g_assert_nonnull (f->editor);
  WAIT_FOR (find_discard_dialog (f) == NULL);

  gtk_window_close (f->editor);
  WAIT_FOR ((dialog = find_discard_dialog (f)) != NULL);
  click_response (dialog, "_Discard");
  WAIT_FOR (f->editor == NULL);
  WAIT_FOR (find_discard_dialog (f) == NULL);
  g_assert_cmpuint (f->n_saved, ==, 0);
  g_assert_cmpint (crm_contacts_count (f->store, NULL), ==, 0);
}

static void
test_with_company (Fixture       *f,
                   gconstpointer  data)
{
  gint64 company = add_company (f, "Công ty Minh Phát", NULL, NULL);
  gint64 other = add_company (f, "Hợp tác xã Đồng Tâm", NULL, NULL);
  g_autoptr (CrmContact) contact = NULL;
  g_autoptr (GError) error = NULL;
  GListModel *choices;

  show_editor (f, GTK_WINDOW (crm_contact_editor_new_with_company (f->window, f->store, company)));
  g_assert_cmpint (crm_contact_editor_get_company_id (CRM_CONTACT_EDITOR (f->editor)), ==, company);
  g_assert_cmpstr (gtk_label_get_text (child (f, "company_label")), ==, "Công ty Minh Phát");
  g_assert_false (crm_contact_editor_get_modified (CRM_CONTACT_EDITOR (f->editor)));

  /* The list of companies searches without regard to accents, with a way
   * back to no company at its top. */
  /* The popover itself is GTK's; the test drives what it holds (under a
   * window manager, GTK 4.8 places an X11 popup before it knows its
   * monitor and warns). */
  choices = G_LIST_MODEL (gtk_list_view_get_model (child (f, "company_list")));
  g_assert_cmpuint (g_list_model_get_n_items (choices), ==, 3);
  gtk_editable_set_text (child (f, "company_search"), "dong tam");
  WAIT_FOR (g_list_model_get_n_items (choices) == 2);
  g_signal_emit_by_name (child (f, "company_search"), "activate");
  g_assert_cmpint (crm_contact_editor_get_company_id (CRM_CONTACT_EDITOR (f->editor)), ==, other);
  g_assert_cmpstr (gtk_label_get_text (child (f, "company_label")), ==, "Hợp tác xã Đồng Tâm");
  g_assert_false (gtk_widget_get_visible (child (f, "company_popover")));

  crm_contact_editor_set_company_id (CRM_CONTACT_EDITOR (f->editor), company);
  set_text (f, "given_row", "An");
  WAIT_FOR (can_save (f));
  save (f);

  contact = crm_contact_load (f->store, f->saved_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_contact_get_company_id (contact), ==, company);
}

static void
test_custom_fields (Fixture       *f,
                    gconstpointer  data)
{
  const char *const tiers[] = { "Vàng", "Bạc", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmCustomField) budget = NULL;
  g_autoptr (CrmCustomField) tier = NULL;
  g_autoptr (CrmCustomField) member = NULL;
  g_autoptr (CrmCustomField) since = NULL;
  g_autoptr (CrmContact) contact = NULL;
  GtkWidget *group;
  GtkWidget *rows[4] = { NULL };
  guint n = 0;

  budget = crm_custom_field_load (f->store,
                                  crm_custom_field_create (f->store, CRM_FIELD_ENTITY_CONTACT,
                                                           "Ngân sách", CRM_FIELD_TYPE_NUMBER,
                                                           NULL, &error),
                                  &error);
  g_assert_no_error (error);
  tier = crm_custom_field_load (f->store,
                                crm_custom_field_create (f->store, CRM_FIELD_ENTITY_CONTACT,
                                                         "Hạng", CRM_FIELD_TYPE_CHOICE,
                                                         tiers, &error),
                                &error);
  g_assert_no_error (error);
  member = crm_custom_field_load (f->store,
                                  crm_custom_field_create (f->store, CRM_FIELD_ENTITY_CONTACT,
                                                           "Thành viên", CRM_FIELD_TYPE_BOOL,
                                                           NULL, &error),
                                  &error);
  g_assert_no_error (error);
  since = crm_custom_field_load (f->store,
                                 crm_custom_field_create (f->store, CRM_FIELD_ENTITY_CONTACT,
                                                          "Ngày gia nhập", CRM_FIELD_TYPE_DATE,
                                                          NULL, &error),
                                 &error);
  g_assert_no_error (error);

  show_editor (f, GTK_WINDOW (crm_contact_editor_new (f->window, f->store, 0)));
  group = child (f, "custom_group");
  g_assert_true (gtk_widget_get_visible (group));

  /* One row a field, in their order, each of its kind. */
  {
    GtkWidget *list = gtk_widget_get_parent (find_descendant (group, ADW_TYPE_PREFERENCES_ROW,
                                                              NULL));

    for (GtkWidget *c = gtk_widget_get_first_child (list); c != NULL;
         c = gtk_widget_get_next_sibling (c))
      {
        if (ADW_IS_PREFERENCES_ROW (c))
          {
            g_assert_cmpuint (n, <, G_N_ELEMENTS (rows));
            rows[n++] = c;
          }
      }
  }
  g_assert_cmpuint (n, ==, 4);
  g_assert_true (ADW_IS_ENTRY_ROW (rows[0]));
  g_assert_true (ADW_IS_COMBO_ROW (rows[1]));
  g_assert_true (ADW_IS_ACTION_ROW (rows[2]) && !ADW_IS_COMBO_ROW (rows[2]));
  g_assert_true (ADW_IS_ENTRY_ROW (rows[3]));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (rows[0])), ==, "Ngân sách");

  set_text (f, "given_row", "An");
  gtk_editable_set_text (GTK_EDITABLE (rows[0]), "nhiều");
  WAIT_FOR (message (rows[0], "error") != NULL);
  g_assert_nonnull (strstr (message (rows[0], "error"), "Ngân sách"));
  g_assert_false (can_save (f));

  gtk_editable_set_text (GTK_EDITABLE (rows[0]), "1500000");
  adw_combo_row_set_selected (ADW_COMBO_ROW (rows[1]), 2);
  gtk_switch_set_active (GTK_SWITCH (find_descendant (rows[2], GTK_TYPE_SWITCH, NULL)), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (rows[3]), "3/4/2024");
  WAIT_FOR (can_save (f));
  g_assert_cmpstr (message (rows[3], "dim-label"), ==, "Will be saved as 03/04/2024");
  save (f);

  contact = crm_contact_load (f->store, f->saved_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (crm_contact_get_custom_value (contact, budget->key), ==, "1500000");
  g_assert_cmpstr (crm_contact_get_custom_value (contact, tier->key), ==, "Bạc");
  g_assert_cmpstr (crm_contact_get_custom_value (contact, member->key), ==, "1");
  g_assert_cmpstr (crm_contact_get_custom_value (contact, since->key), ==, "2024-04-03");
}

static void
test_accessibility (Fixture       *f,
                    gconstpointer  data)
{
  GtkWidget *phone;
  GtkWidget *remove;

  show_editor (f, GTK_WINDOW (crm_contact_editor_new (f->window, f->store, 0)));

  /* The messages under a row describe it. */
  g_assert_true (gtk_test_accessible_has_relation (child (f, "given_row"),
                                                   GTK_ACCESSIBLE_RELATION_DESCRIBED_BY));
  phone = list_row (f, "add_phone_row", 0);
  g_assert_true (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (phone),
                                                   GTK_ACCESSIBLE_RELATION_DESCRIBED_BY));

  /* Icon buttons say what they do. */
  remove = find_by_tooltip (phone, "Remove phone");
  g_assert_nonnull (remove);
  g_assert_true (GTK_IS_BUTTON (remove));
  gtk_test_accessible_assert_property (remove, GTK_ACCESSIBLE_PROPERTY_LABEL, "Remove phone");

  /* Tab goes from the tags' entry to the buttons that remove them, then
   * on to the consent switch. */
  set_text (f, "tags_row", "vip, sỉ,");
  gtk_widget_grab_focus (child (f, "tags_row"));
  {
    GtkWidget *remove_vip = find_by_tooltip (GTK_WIDGET (tags_flow_box (f)), "Remove tag “vip”");
    GtkWidget *remove_si = find_by_tooltip (GTK_WIDGET (tags_flow_box (f)), "Remove tag “sỉ”");
    GtkWidget *consent = child (f, "consent_switch");
    int seen_vip = -1, seen_si = -1, seen_consent = -1;

    for (int i = 0; i < 12 && seen_consent < 0; i++)
      {
        GtkWidget *focus;

        gtk_widget_child_focus (GTK_WIDGET (f->editor), GTK_DIR_TAB_FORWARD);
        focus = gtk_window_get_focus (f->editor);
        if (focus == remove_vip)
          seen_vip = i;
        else if (focus == remove_si)
          seen_si = i;
        else if (focus == consent)
          seen_consent = i;
      }
    g_assert_cmpint (seen_vip, >=, 0);
    g_assert_cmpint (seen_si, >, seen_vip);
    g_assert_cmpint (seen_consent, >, seen_si);
  }

  /* When the primary phone goes, the star moves to the next one. */
  g_signal_emit_by_name (child (f, "add_phone_row"), "activated");
  {
    g_autoptr (GPtrArray) rows = list_rows (f, "add_phone_row");
    GtkWidget *star = find_by_tooltip (rows->pdata[1], "Make this the primary phone");

    g_assert_cmpuint (rows->len, ==, 2);
    g_assert_nonnull (star);
    g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (star)));
    gtk_test_accessible_assert_property (star, GTK_ACCESSIBLE_PROPERTY_LABEL, "Primary phone");
  }
  g_signal_emit_by_name (remove, "clicked");
  {
    g_autoptr (GPtrArray) rows = list_rows (f, "add_phone_row");
    GtkWidget *star = find_by_tooltip (rows->pdata[0], "Primary phone");

    g_assert_cmpuint (rows->len, ==, 1);
    g_assert_nonnull (star);
    g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (star)));
    g_assert_cmpstr (gtk_widget_get_tooltip_text (star), ==, "Primary phone");
  }
}

static void
test_company_editor (Fixture       *f,
                     gconstpointer  data)
{
  gint64 taken = add_company (f, "Công ty Sao Mai", "0100109106", "Quận 1");
  g_autoptr (CrmCompany) company = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *good = NULL;
  gboolean handled = FALSE;
  int check;

  /* A good code made from nine digits and their check digit. */
  check = crm_tax_code_check_digit ("031234567");
  g_assert_cmpint (check, >=, 0);
  good = g_strdup_printf ("031234567%d", check);

  show_editor (f, GTK_WINDOW (crm_company_editor_new (f->window, f->store, 0)));
  g_assert_cmpstr (gtk_window_get_title (f->editor), ==, "New Company");
  g_assert_false (can_save (f));
  g_assert_null (field_message (f, "name_row", "error"));
  g_assert_false (gtk_widget_get_visible (child (f, "district_row")));

  set_text (f, "name_row", "Công ty  Bình Minh");
  set_text (f, "tax_code_row", "0100109107");
  WAIT_FOR (field_message (f, "tax_code_row", "error") != NULL);
  g_assert_nonnull (strstr (field_message (f, "tax_code_row", "error"), "check digit"));
  g_assert_false (can_save (f));

  /* Another company's code is said, with a way to open that company. */
  set_text (f, "tax_code_row", "0100 109 106");
  WAIT_FOR (field_message (f, "tax_code_row", "warning") != NULL);
  g_assert_cmpstr (field_message (f, "tax_code_row", "warning"), ==,
                   "Already the tax code of Công ty Sao Mai");
  g_assert_cmpstr (field_message (f, "tax_code_row", "dim-label"), ==,
                   "Will be saved as 0100109106");
  g_signal_emit_by_name (find_descendant (message_row (child (f, "tax_code_row")),
                                          GTK_TYPE_LINK_BUTTON, NULL),
                         "activate-link", &handled);
  g_assert_true (handled);
  g_assert_cmpint (f->opened_id, ==, taken);

  set_text (f, "tax_code_row", good);
  set_text (f, "phone_row", "02838221234");
  WAIT_FOR (can_save (f) && field_message (f, "tax_code_row", "warning") == NULL);
  g_assert_cmpstr (field_message (f, "phone_row", "dim-label"), ==,
                   "Will be saved as 028 3822 1234");
  save (f);

  company = crm_company_load (f->store, f->saved_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (crm_company_get_name (company), ==, "Công ty Bình Minh");
  g_assert_cmpstr (crm_company_get_tax_code (company), ==, good);
  g_assert_cmpstr (crm_company_get_phone (company), ==, "+842838221234");
  g_clear_object (&company);

  g_assert_true (crm_undo_apply (f->saved_undo, f->store, &error));
  g_assert_no_error (error);
  company = crm_company_load (f->store, f->saved_id, &error);
  g_assert_null (company);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A company that still has a district shows it; a name is required. */
  show_editor (f, GTK_WINDOW (crm_company_editor_new (f->window, f->store, taken)));
  g_assert_cmpstr (gtk_window_get_title (f->editor), ==, "Edit Company");
  g_assert_true (gtk_widget_get_visible (child (f, "district_row")));
  g_assert_cmpstr (gtk_editable_get_text (child (f, "district_row")), ==, "Quận 1");
  g_assert_null (field_message (f, "tax_code_row", "warning"));
  set_text (f, "name_row", " ");
  WAIT_FOR (field_message (f, "name_row", "error") != NULL);
  g_assert_false (can_save (f));
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

  ADD_TEST ("/contact-editor/new-contact", test_new_contact);
  ADD_TEST ("/contact-editor/edit-contact", test_edit_contact);
  ADD_TEST ("/contact-editor/missing-contact", test_missing_contact);
  ADD_TEST ("/contact-editor/discard", test_discard);
  ADD_TEST ("/contact-editor/with-company", test_with_company);
  ADD_TEST ("/contact-editor/custom-fields", test_custom_fields);
  ADD_TEST ("/contact-editor/accessibility", test_accessibility);
  ADD_TEST ("/company-editor/tax-code", test_company_editor);

  return g_test_run ();
}
