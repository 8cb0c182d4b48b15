/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-fields-page"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-fields.h"
#include "crm-fields-page.h"
#include "crm-preferences-util.h"

#define N_ENTITIES (CRM_FIELD_ENTITY_DEAL + 1)

struct _CrmFieldsPage
{
  AdwPreferencesPage parent_instance;

  /* template widgets */
  GtkListBox *contact_list;
  GtkListBox *company_list;
  GtkListBox *deal_list;

  /* owned references */
  CrmStore       *store;
  GPtrArray      *rows[N_ENTITIES];   /* the field rows of each list, in order */
  CrmCustomField *removed;            /* the field that Undo brings back */
  GArray         *removed_order;      /* its entity's ids then, 0 where it was */
  AdwToast       *undo_toast;         /* the toast that offers it */
};

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CrmFieldsPage, crm_fields_page, ADW_TYPE_PREFERENCES_PAGE)

/* What the dialog that adds or edits a field keeps. */
typedef struct
{
  CrmFieldsPage  *self;
  gint64          id;          /* 0 for a new field */
  CrmFieldEntity  entity;
  GtkWindow      *window;
  AdwEntryRow    *label_row;
  AdwComboRow    *type_row;
  GtkWidget      *options_group;
  GtkListBox     *options_list;
  AdwEntryRow    *option_entry;
  GtkWidget      *save_button;
  GtkLabel       *error_label;
  GPtrArray      *options;     /* (element-type utf8) */
  GPtrArray      *option_rows;
} FieldEditor;

/* Helpers */

static GtkListBox *
get_list (CrmFieldsPage  *self,
          CrmFieldEntity  entity)
{
  GtkListBox *lists[] = { self->contact_list, self->company_list, self->deal_list };

  return lists[entity];
}

static char *
describe_field (const CrmCustomField *field)
{
  g_autofree char *options = NULL;

  if (field->type != CRM_FIELD_TYPE_CHOICE || field->options[0] == NULL)
    return g_strdup (crm_field_type_get_label (field->type));

  options = g_strjoinv (", ", field->options);
  /* Translators: a choice field's subtitle: "Choice list: Vàng, Bạc, Kim cương". */
  return g_strdup_printf (_("%s: %s"), crm_field_type_get_label (field->type), options);
}

/* Rows */

static GtkWidget *
new_field_row (const CrmCustomField *field,
               gboolean              first,
               gboolean              last)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  g_autofree char *subtitle = describe_field (field);
  g_autofree char *key = g_strdup_printf ("%s:%" G_GINT64_FORMAT,
                                          crm_field_entity_to_string (field->entity), field->id);
  g_autofree char *edit = g_strdup_printf (_("Edit “%s”"), field->label);
  g_autofree char *remove = g_strdup_printf (_("Remove “%s”"), field->label);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), field->label);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  gtk_widget_set_name (row, "field-row");
  crm_preferences_set_focus_key (row, key);
  crm_preferences_set_id (row, field->id);

  crm_preferences_append_move_buttons (GTK_BOX (box), key, field->label, first, last,
                                       "fields.move-up", "fields.move-down",
                                       g_variant_new_int64 (field->id));
  gtk_box_append (GTK_BOX (box),
                  crm_preferences_new_row_button (key, "document-edit-symbolic", _("Edit"), edit,
                                                  "edit-button", "fields.edit",
                                                  g_variant_new_int64 (field->id)));
  gtk_box_append (GTK_BOX (box),
                  crm_preferences_new_row_button (key, "user-trash-symbolic", _("Remove"), remove,
                                                  "remove-button", "fields.remove",
                                                  g_variant_new_int64 (field->id)));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);

  return row;
}

static void
reload_entity (CrmFieldsPage  *self,
               CrmFieldEntity  entity)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) fields = NULL;
  GtkListBox *list = get_list (self, entity);
  GPtrArray *rows = self->rows[entity];

  crm_preferences_clear_rows (list, rows);

  fields = crm_custom_fields_list (self->store, entity, &error);
  if (fields == NULL)
    {
      g_warning ("Cannot list the custom fields: %s", error->message);
      return;
    }

  for (guint i = 0; i < fields->len; i++)
    {
      GtkWidget *row = new_field_row (g_ptr_array_index (fields, i), i == 0,
                                      i + 1 == fields->len);

      gtk_list_box_insert (list, row, i);
      g_ptr_array_add (rows, row);
    }
}

static void
reload (CrmFieldsPage *self)
{
  g_autofree char *focus = crm_preferences_remember_focus (GTK_WIDGET (self));

  for (CrmFieldEntity entity = 0; entity < N_ENTITIES; entity++)
    reload_entity (self, entity);

  crm_preferences_restore_focus (GTK_WIDGET (self), focus);
}

static void
on_store_changed (CrmFieldsPage *self,
                  const char    *entity,
                  gint64         id)
{
  reload (self);
}

/* The field editor */

static void
field_editor_free (FieldEditor *data)
{
  g_clear_object (&data->self);
  g_clear_pointer (&data->options, g_ptr_array_unref);
  g_clear_pointer (&data->option_rows, g_ptr_array_unref);
  g_free (data);
}

static void
field_editor_set_error (FieldEditor *data,
                        const char  *message)
{
  gtk_label_set_label (data->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (data->error_label), message != NULL);
}

static void field_editor_show_options (FieldEditor *data);

static void
on_option_remove_clicked (GtkButton   *button,
                          FieldEditor *data)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "crm-index"));

  if (index >= data->options->len)
    return;

  g_ptr_array_remove_index (data->options, index);
  field_editor_show_options (data);
  field_editor_set_error (data, NULL);

  /* The focus goes to the option that took its place, or to the entry. */
  if (index < data->option_rows->len)
    gtk_widget_grab_focus (g_ptr_array_index (data->option_rows, index));
  else
    gtk_widget_grab_focus (GTK_WIDGET (data->option_entry));
}

static void
field_editor_show_options (FieldEditor *data)
{
  crm_preferences_clear_rows (data->options_list, data->option_rows);

  for (guint i = 0; i < data->options->len; i++)
    {
      const char *option = g_ptr_array_index (data->options, i);
      g_autofree char *remove = g_strdup_printf (_("Remove “%s”"), option);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button;

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), option);
      gtk_widget_set_name (row, "option-row");
      button = crm_preferences_new_icon_button ("list-remove-symbolic", _("Remove Option"),
                                                remove, "remove-option-button");
      g_object_set_data (G_OBJECT (button), "crm-index", GUINT_TO_POINTER (i));
      g_signal_connect (button, "clicked", G_CALLBACK (on_option_remove_clicked), data);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

      gtk_list_box_insert (data->options_list, row, i);
      g_ptr_array_add (data->option_rows, row);
    }
}

static gboolean
option_listed (FieldEditor *data,
               const char  *option)
{
  g_autofree char *key = g_utf8_casefold (option, -1);

  for (guint i = 0; i < data->options->len; i++)
    {
      g_autofree char *other = g_utf8_casefold (g_ptr_array_index (data->options, i), -1);

      if (g_str_equal (key, other))
        return TRUE;
    }

  return FALSE;
}

/* Moves the text of the New Option entry into the list; FALSE when it is
 * already there. */
static gboolean
field_editor_take_option (FieldEditor *data)
{
  g_autofree char *option = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (
                                                                           data->option_entry))));

  if (*option == '\0')
    return TRUE;

  if (option_listed (data, option))
    {
      g_autofree char *message = g_strdup_printf (_("The option “%s” is listed twice"), option);

      field_editor_set_error (data, message);
      return FALSE;
    }

  g_ptr_array_add (data->options, g_steal_pointer (&option));
  gtk_editable_set_text (GTK_EDITABLE (data->option_entry), "");
  field_editor_show_options (data);
  field_editor_set_error (data, NULL);
  return TRUE;
}

static void
on_add_option (FieldEditor *data)
{
  field_editor_take_option (data);
  gtk_widget_grab_focus (GTK_WIDGET (data->option_entry));
}

static void
field_editor_update (FieldEditor *data)
{
  const char *label = gtk_editable_get_text (GTK_EDITABLE (data->label_row));
  g_autofree char *trimmed = g_strstrip (g_strdup (label));

  gtk_widget_set_visible (data->options_group,
                          adw_combo_row_get_selected (data->type_row) == CRM_FIELD_TYPE_CHOICE);
  gtk_widget_set_sensitive (data->save_button, *trimmed != '\0');
}

static void
on_save_clicked (FieldEditor *data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) options = NULL;
  const char *label = gtk_editable_get_text (GTK_EDITABLE (data->label_row));
  CrmFieldType type = adw_combo_row_get_selected (data->type_row);
  gboolean ok;

  /* An option typed but not yet added counts. */
  if (type == CRM_FIELD_TYPE_CHOICE && !field_editor_take_option (data))
    return;

  /* The strings stay the editor's. */
  options = g_ptr_array_sized_new (data->options->len + 1);
  for (guint i = 0; i < data->options->len; i++)
    g_ptr_array_add (options, g_ptr_array_index (data->options, i));
  g_ptr_array_add (options, NULL);

  if (data->id == 0)
    ok = crm_custom_field_create (data->self->store, data->entity, label, type,
                                  (const char *const *) options->pdata, &error) > 0;
  else
    ok = crm_custom_field_update (data->self->store, data->id, label, type,
                                  (const char *const *) options->pdata, &error);

  if (!ok)
    {
      field_editor_set_error (data, error->message);
      return;
    }

  gtk_window_destroy (data->window);
}

/* Opens the dialog that adds a field to @entity (@field %NULL) or edits
 * @field. */
static void
open_field_editor (CrmFieldsPage        *self,
                   CrmFieldEntity        entity,
                   const CrmCustomField *field)
{
  FieldEditor *data = g_new0 (FieldEditor, 1);
  g_autoptr (GtkStringList) types = gtk_string_list_new (NULL);
  AdwPreferencesPage *page;
  GtkWidget *group, *button, *list;
  gint64 n_values = 0;

  data->self = g_object_ref (self);
  data->id = field != NULL ? field->id : 0;
  data->entity = entity;
  data->options = g_ptr_array_new_with_free_func (g_free);
  data->option_rows = g_ptr_array_new ();
  if (field != NULL)
    {
      g_autoptr (GError) error = NULL;

      for (guint i = 0; field->options[i] != NULL; i++)
        g_ptr_array_add (data->options, g_strdup (field->options[i]));

      n_values = crm_custom_field_count_values (self->store, field->id, &error);
      if (n_values < 0)
        {
          crm_preferences_show_error (GTK_WIDGET (self), error);
          field_editor_free (data);
          return;
        }
    }

  data->window = crm_preferences_new_dialog (GTK_WIDGET (self), "field-editor",
                                             field != NULL ? _("Edit Field") : _("New Field"),
                                             field != NULL ? _("_Save") : _("_Add"), 520,
                                             G_CALLBACK (on_save_clicked), data,
                                             &data->save_button, &page);
  g_object_set_data_full (G_OBJECT (data->window), "crm-field-editor", data,
                          (GDestroyNotify) field_editor_free);

  group = adw_preferences_group_new ();
  list = crm_preferences_new_boxed_list (NULL);
  data->label_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (data->label_row), _("Label"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (data->label_row), FALSE);
  adw_entry_row_set_activates_default (data->label_row, TRUE);
  gtk_widget_set_name (GTK_WIDGET (data->label_row), "label-row");
  if (field != NULL)
    gtk_editable_set_text (GTK_EDITABLE (data->label_row), field->label);
  g_signal_connect_swapped (data->label_row, "changed", G_CALLBACK (field_editor_update), data);
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (data->label_row));

  for (CrmFieldType type = 0; type < CRM_FIELD_N_TYPES; type++)
    gtk_string_list_append (types, crm_field_type_get_label (type));
  data->type_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (data->type_row), _("Type"));
  adw_combo_row_set_model (data->type_row, G_LIST_MODEL (types));
  gtk_widget_set_name (GTK_WIDGET (data->type_row), "type-row");
  if (field != NULL)
    adw_combo_row_set_selected (data->type_row, field->type);
  if (n_values > 0)
    {
      /* The store refuses it too; saying so here spares the user a try. */
      gtk_widget_set_sensitive (GTK_WIDGET (data->type_row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (data->type_row),
                                   _("The type cannot change while records have a value in "
                                     "this field"));
    }
  g_signal_connect_swapped (data->type_row, "notify::selected",
                            G_CALLBACK (field_editor_update), data);
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (data->type_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), list);
  adw_preferences_page_add (page, ADW_PREFERENCES_GROUP (group));

  group = adw_preferences_group_new ();
  data->options_group = group;
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Options"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("The choices offered, in this order"));
  list = crm_preferences_new_boxed_list (_("Options"));
  data->options_list = GTK_LIST_BOX (list);
  data->option_entry = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (data->option_entry), _("New Option"));
  gtk_widget_set_name (GTK_WIDGET (data->option_entry), "option-entry");
  g_signal_connect_swapped (data->option_entry, "entry-activated", G_CALLBACK (on_add_option),
                            data);
  button = crm_preferences_new_icon_button ("list-add-symbolic", _("Add Option"),
                                            _("Add Option"), "add-option-button");
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (on_add_option), data);
  adw_entry_row_add_suffix (data->option_entry, button);
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (data->option_entry));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), list);
  adw_preferences_page_add (page, ADW_PREFERENCES_GROUP (group));

  group = adw_preferences_group_new ();
  data->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (data->error_label, TRUE);
  gtk_label_set_xalign (data->error_label, 0);
  gtk_widget_set_name (GTK_WIDGET (data->error_label), "error-label");
  gtk_widget_add_css_class (GTK_WIDGET (data->error_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (data->error_label), FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (data->error_label));
  adw_preferences_page_add (page, ADW_PREFERENCES_GROUP (group));

  field_editor_show_options (data);
  field_editor_update (data);
  gtk_window_present (data->window);
  gtk_widget_grab_focus (GTK_WIDGET (data->label_row));
}

/* Removing */

/* Only the latest removal can be undone: an older toast's Undo goes. */
static void
forget_removed (CrmFieldsPage *self)
{
  crm_preferences_dismiss_toast (&self->undo_toast);
  g_clear_pointer (&self->removed, crm_custom_field_free);
  g_clear_pointer (&self->removed_order, g_array_unref);
}

/* The ids of the fields of @field's entity in their order, with where
 * @field stands among them in *@index_out (-1 when it is gone); NULL with
 * a toast saying why. */
static GArray *
list_field_ids (CrmFieldsPage        *self,
                const CrmCustomField *field,
                int                  *index_out)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) fields = crm_custom_fields_list (self->store, field->entity, &error);
  GArray *order;

  *index_out = -1;
  if (fields == NULL)
    {
      crm_preferences_show_error (GTK_WIDGET (self), error);
      return NULL;
    }

  order = g_array_sized_new (FALSE, FALSE, sizeof (gint64), fields->len);
  for (guint i = 0; i < fields->len; i++)
    {
      gint64 id = ((CrmCustomField *) g_ptr_array_index (fields, i))->id;

      if (id == field->id)
        *index_out = (int) i;
      g_array_append_val (order, id);
    }

  return order;
}

static void
remove_field (CrmFieldsPage        *self,
              const CrmCustomField *field,
              gboolean              confirmed)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) order = NULL;
  g_autofree char *title = NULL;
  int index = -1;

  /* The order as it was, for Undo: the field comes back where it was. */
  order = list_field_ids (self, field, &index);
  if (order == NULL)
    return;
  if (index >= 0)
    g_array_index (order, gint64, index) = 0;

  if (!crm_custom_field_delete (self->store, field->id, confirmed, &error))
    {
      crm_preferences_show_error (GTK_WIDGET (self), error);
      return;
    }

  /* Undo only brings back a field without values: the values are gone. */
  forget_removed (self);
  title = g_strdup_printf (_("Removed “%s”"), field->label);
  if (confirmed)
    {
      crm_preferences_show_toast (GTK_WIDGET (self), title);
      return;
    }

  self->removed = crm_custom_field_copy (field);
  self->removed_order = g_steal_pointer (&order);
  self->undo_toast = crm_preferences_add_undo_toast (GTK_WIDGET (self), title,
                                                     "fields.undo-remove");
}

static void
on_remove_response (AdwMessageDialog *dialog,
                    const char       *response,
                    CrmFieldsPage    *self)
{
  CrmCustomField *field = g_object_get_data (G_OBJECT (dialog), "crm-field");

  if (g_str_equal (response, "remove"))
    remove_field (self, field, TRUE);
}

static void
ask_remove_field (CrmFieldsPage        *self,
                  const CrmCustomField *field,
                  gint64                n_values)
{
  g_autofree char *heading = g_strdup_printf (_("Remove “%s”?"), field->label);
  g_autofree char *body = NULL;
  guint n = (guint) MIN (n_values, G_MAXUINT);
  GtkWidget *dialog;

  switch (field->entity)
    {
    case CRM_FIELD_ENTITY_CONTACT:
      /* Translators: %'u is a number, written with the thousands separator of the language. */
      body = g_strdup_printf (ngettext ("%'u contact has a value in it. The values are deleted "
                                        "with the field.",
                                        "%'u contacts have a value in it. The values are "
                                        "deleted with the field.",
                                        n),
                              n);
      break;

    case CRM_FIELD_ENTITY_COMPANY:
      /* Translators: %'u is a number, written with the thousands separator of the language. */
      body = g_strdup_printf (ngettext ("%'u company has a value in it. The values are deleted "
                                        "with the field.",
                                        "%'u companies have a value in it. The values are "
                                        "deleted with the field.",
                                        n),
                              n);
      break;

    case CRM_FIELD_ENTITY_DEAL:
    default:
      /* Translators: %'u is a number, written with the thousands separator of the language. */
      body = g_strdup_printf (ngettext ("%'u deal has a value in it. The values are deleted "
                                        "with the field.",
                                        "%'u deals have a value in it. The values are deleted "
                                        "with the field.",
                                        n),
                              n);
      break;
    }

  dialog = crm_preferences_new_confirm_dialog (GTK_WIDGET (self), "remove-field-dialog", heading,
                                               body, "remove", _("_Remove"),
                                               ADW_RESPONSE_DESTRUCTIVE);
  g_object_set_data_full (G_OBJECT (dialog), "crm-field", crm_custom_field_copy (field),
                          (GDestroyNotify) crm_custom_field_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Actions */

static CrmCustomField *
load_field (CrmFieldsPage *self,
            GVariant      *parameter)
{
  g_autoptr (GError) error = NULL;
  CrmCustomField *field = crm_custom_field_load (self->store, g_variant_get_int64 (parameter),
                                                 &error);

  if (field == NULL)
    crm_preferences_show_error (GTK_WIDGET (self), error);

  return field;
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  CrmFieldsPage *self = CRM_FIELDS_PAGE (widget);
  CrmFieldEntity entity;

  if (crm_field_entity_from_string (g_variant_get_string (parameter, NULL), &entity))
    open_field_editor (self, entity, NULL);
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CrmFieldsPage *self = CRM_FIELDS_PAGE (widget);
  g_autoptr (CrmCustomField) field = load_field (self, parameter);

  if (field != NULL)
    open_field_editor (self, field->entity, field);
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CrmFieldsPage *self = CRM_FIELDS_PAGE (widget);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmCustomField) field = load_field (self, parameter);
  gint64 n_values;

  if (field == NULL)
    return;

  n_values = crm_custom_field_count_values (self->store, field->id, &error);
  if (n_values < 0)
    crm_preferences_show_error (GTK_WIDGET (self), error);
  else if (n_values > 0)
    ask_remove_field (self, field, n_values);
  else
    remove_field (self, field, FALSE);
}

static void
move_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CrmFieldsPage *self = CRM_FIELDS_PAGE (widget);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmCustomField) field = load_field (self, parameter);
  g_autoptr (GArray) order = NULL;
  int delta = g_str_equal (action_name, "fields.move-up") ? -1 : 1;
  int index = -1;

  if (field == NULL)
    return;

  order = list_field_ids (self, field, &index);
  if (order == NULL || index < 0 || index + delta < 0 || index + delta >= (int) order->len)
    return;

  g_array_index (order, gint64, index) = g_array_index (order, gint64, index + delta);
  g_array_index (order, gint64, index + delta) = field->id;

  if (!crm_custom_fields_reorder (self->store, field->entity, (const gint64 *) order->data,
                                  order->len, &error))
    crm_preferences_show_error (GTK_WIDGET (self), error);
}

static void
undo_remove_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CrmFieldsPage *self = CRM_FIELDS_PAGE (widget);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmCustomField) field = g_steal_pointer (&self->removed);
  g_autoptr (GArray) order = g_steal_pointer (&self->removed_order);
  gint64 id;

  forget_removed (self);
  if (field == NULL)
    return;

  id = crm_custom_field_create (self->store, field->entity, field->label, field->type,
                                (const char *const *) field->options, &error);
  if (id == 0)
    {
      crm_preferences_show_error (GTK_WIDGET (self), error);
      return;
    }

  for (guint i = 0; i < order->len; i++)
    {
      if (g_array_index (order, gint64, i) == 0)
        g_array_index (order, gint64, i) = id;
    }

  /* Fields removed since are left out of the order; the store keeps the rest. */
  for (guint i = order->len; i > 0; i--)
    {
      g_autoptr (CrmCustomField) still = crm_custom_field_load (self->store,
                                                                g_array_index (order, gint64,
                                                                               i - 1),
                                                                NULL);

      if (still == NULL)
        g_array_remove_index (order, i - 1);
    }

  if (!crm_custom_fields_reorder (self->store, field->entity, (const gint64 *) order->data,
                                  order->len, &error))
    crm_preferences_show_error (GTK_WIDGET (self), error);
}

/* GObject */

static void
crm_fields_page_constructed (GObject *object)
{
  CrmFieldsPage *self = CRM_FIELDS_PAGE (object);

  G_OBJECT_CLASS (crm_fields_page_parent_class)->constructed (object);

  g_signal_connect_object (self->store, "changed::custom_field",
                           G_CALLBACK (on_store_changed), self, G_CONNECT_SWAPPED);
  reload (self);
}

static void
crm_fields_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  CrmFieldsPage *self = CRM_FIELDS_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_fields_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CrmFieldsPage *self = CRM_FIELDS_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_fields_page_dispose (GObject *object)
{
  CrmFieldsPage *self = CRM_FIELDS_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_FIELDS_PAGE);
  for (guint i = 0; i < N_ENTITIES; i++)
    g_clear_pointer (&self->rows[i], g_ptr_array_unref);
  /* The toast goes with the window; it needs no dismissing. */
  g_clear_object (&self->undo_toast);
  forget_removed (self);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (crm_fields_page_parent_class)->dispose (object);
}

static void
crm_fields_page_class_init (CrmFieldsPageClass *klass)
{
  static const CrmPreferencesAction actions[] = {
    /* The parameter is the entity: "contact", "company" or "deal". */
    { "fields.add", "s", add_action },
    /* The parameter is the field's id. */
    { "fields.edit", "x", edit_action },
    { "fields.remove", "x", remove_action },
    { "fields.move-up", "x", move_action },
    { "fields.move-down", "x", move_action },
    { "fields.undo-remove", NULL, undo_remove_action },
  };
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = crm_fields_page_constructed;
  object_class->set_property = crm_fields_page_set_property;
  object_class->get_property = crm_fields_page_get_property;
  object_class->dispose = crm_fields_page_dispose;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         CRM_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/crm-fields-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmFieldsPage, contact_list);
  gtk_widget_class_bind_template_child (widget_class, CrmFieldsPage, company_list);
  gtk_widget_class_bind_template_child (widget_class, CrmFieldsPage, deal_list);

  crm_preferences_install_actions (widget_class, actions, G_N_ELEMENTS (actions));
}

static void
crm_fields_page_init (CrmFieldsPage *self)
{
  GtkListBox *lists[N_ENTITIES];

  gtk_widget_init_template (GTK_WIDGET (self));

  lists[CRM_FIELD_ENTITY_CONTACT] = self->contact_list;
  lists[CRM_FIELD_ENTITY_COMPANY] = self->company_list;
  lists[CRM_FIELD_ENTITY_DEAL] = self->deal_list;
  for (CrmFieldEntity entity = 0; entity < N_ENTITIES; entity++)
    {
      g_autofree char *key = g_strconcat (crm_field_entity_to_string (entity), ":add", NULL);

      self->rows[entity] = g_ptr_array_new ();
      /* The Add row is the list's last row. */
      crm_preferences_set_focus_key (GTK_WIDGET (gtk_list_box_get_row_at_index (lists[entity], 0)),
                                     key);
    }
}

/**
 * crm_fields_page_new:
 * @store: the open workspace
 *
 * The preferences page that edits the custom fields of contacts, companies
 * and deals.
 */
CrmFieldsPage *
crm_fields_page_new (CrmStore *store)
{
  g_return_val_if_fail (CRM_IS_STORE (store), NULL);

  return g_object_new (CRM_TYPE_FIELDS_PAGE, "store", store, NULL);
}

CrmStore *
crm_fields_page_get_store (CrmFieldsPage *self)
{
  g_return_val_if_fail (CRM_IS_FIELDS_PAGE (self), NULL);

  return self->store;
}
