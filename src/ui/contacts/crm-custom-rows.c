/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-custom-rows"

#include "config.h"
#include "crm-text.h"

#include <glib/gi18n.h>
#include <string.h>

#include "crm-contact.h"
#include "crm-custom-rows.h"

struct _CrmCustomRow
{
  CrmCustomField      *field;
  GtkWidget           *widget;        /* owned reference */
  GtkSwitch           *bool_switch;   /* a yes/no field's switch */
  GPtrArray           *choice_keys;   /* (element-type utf8): what follows "Not set" */
  CrmEditorMessage    *message;
  CrmCustomRowChanged  changed;
  gpointer             user_data;
  gboolean             bool_set;      /* a yes/no field has a value */
  gboolean             touched;       /* the user changed it */
};

static void
on_changed (GtkWidget    *widget,
            CrmCustomRow *row)
{
  row->touched = TRUE;
  row->changed (row, row->user_data);
}

static void
on_notify (GtkWidget    *widget,
           GParamSpec   *pspec,
           CrmCustomRow *row)
{
  on_changed (widget, row);
}

static void
on_switch_notify (GtkSwitch    *widget,
                  GParamSpec   *pspec,
                  CrmCustomRow *row)
{
  row->bool_set = TRUE;
  on_changed (GTK_WIDGET (widget), row);
}

/**
 * crm_custom_row_new:
 * @group: where the row goes, after the rows it has
 * @field: the custom field
 * @value: (nullable): its stored value, or %NULL when it is not set
 * @changed: called each time the user changes the value
 *
 * Returns: (transfer full): the row; free it with crm_custom_row_free()
 *   before the editor goes
 */
CrmCustomRow *
crm_custom_row_new (AdwPreferencesGroup  *group,
                    const CrmCustomField *field,
                    const char           *value,
                    CrmCustomRowChanged   changed,
                    gpointer              user_data)
{
  CrmCustomRow *row;

  g_return_val_if_fail (ADW_IS_PREFERENCES_GROUP (group), NULL);
  g_return_val_if_fail (field != NULL, NULL);
  g_return_val_if_fail (changed != NULL, NULL);

  row = g_new0 (CrmCustomRow, 1);
  row->field = crm_custom_field_copy (field);
  row->changed = changed;
  row->user_data = user_data;

  /* Each value goes in before the handlers: only the user's changes count. */
  switch (field->type)
    {
    case CRM_FIELD_TYPE_BOOL:
      row->widget = adw_action_row_new ();
      row->bool_switch = GTK_SWITCH (gtk_switch_new ());
      gtk_widget_set_valign (GTK_WIDGET (row->bool_switch), GTK_ALIGN_CENTER);
      row->bool_set = value != NULL && *value != '\0';
      gtk_switch_set_active (row->bool_switch, g_strcmp0 (value, "1") == 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row->widget), GTK_WIDGET (row->bool_switch));
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row->widget),
                                             GTK_WIDGET (row->bool_switch));
      gtk_accessible_update_property (GTK_ACCESSIBLE (row->bool_switch),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, field->label, -1);
      g_signal_connect (row->bool_switch, "notify::active", G_CALLBACK (on_switch_notify), row);
      break;

    case CRM_FIELD_TYPE_CHOICE:
      {
        g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);
        guint selected = 0;

        gtk_string_list_append (names, C_("custom field", "Not set"));
        row->choice_keys = g_ptr_array_new_with_free_func (g_free);
        for (guint i = 0; field->options != NULL && field->options[i] != NULL; i++)
          {
            if (g_strcmp0 (value, field->options[i]) == 0)
              selected = i + 1;
            gtk_string_list_append (names, field->options[i]);
            g_ptr_array_add (row->choice_keys, g_strdup (field->options[i]));
          }
        /* A value the options no longer list is kept. */
        if (selected == 0 && value != NULL && *value != '\0')
          {
            gtk_string_list_append (names, value);
            g_ptr_array_add (row->choice_keys, g_strdup (value));
            selected = row->choice_keys->len;
          }
        row->widget = adw_combo_row_new ();
        adw_combo_row_set_model (ADW_COMBO_ROW (row->widget), G_LIST_MODEL (names));
        adw_combo_row_set_selected (ADW_COMBO_ROW (row->widget), selected);
        g_signal_connect (row->widget, "notify::selected", G_CALLBACK (on_notify), row);
      }
      break;

    case CRM_FIELD_TYPE_TEXT:
    case CRM_FIELD_TYPE_NUMBER:
    case CRM_FIELD_TYPE_DATE:
    default:
      {
        g_autofree char *text = field->type == CRM_FIELD_TYPE_DATE
                                ? crm_editor_date_to_display (value)
                                : g_strdup (value != NULL ? value : "");

        row->widget = adw_entry_row_new ();
        if (field->type == CRM_FIELD_TYPE_NUMBER)
          adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row->widget), GTK_INPUT_PURPOSE_NUMBER);
        gtk_editable_set_text (GTK_EDITABLE (row->widget), text);
        g_signal_connect (row->widget, "changed", G_CALLBACK (on_changed), row);
      }
      break;
    }
  g_object_ref_sink (row->widget);

  if (field->type == CRM_FIELD_TYPE_DATE)
    {
      /* Translators: the title of a custom date field: its name and the
       * way to write the date. */
      g_autofree char *title = g_strdup_printf (_("%s (DD/MM/YYYY)"), field->label);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row->widget), title);
    }
  else
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row->widget), field->label);
    }

  adw_preferences_group_add (group, row->widget);
  row->message = crm_editor_message_new (row->widget);
  gtk_widget_set_visible (GTK_WIDGET (group), TRUE);

  return row;
}

void
crm_custom_row_free (CrmCustomRow *row)
{
  if (row == NULL)
    return;

  /* The widget may outlive the editor's list of rows. */
  g_signal_handlers_disconnect_by_data (row->widget, row);
  if (row->bool_switch != NULL)
    g_signal_handlers_disconnect_by_data (row->bool_switch, row);
  g_clear_object (&row->widget);
  g_free (row->message);
  g_clear_pointer (&row->field, crm_custom_field_free);
  g_clear_pointer (&row->choice_keys, g_ptr_array_unref);
  g_free (row);
}

const CrmCustomField *
crm_custom_row_get_field (CrmCustomRow *row)
{
  g_return_val_if_fail (row != NULL, NULL);

  return row->field;
}

/**
 * crm_custom_row_get_widget:
 *
 * Returns: (transfer none): the #AdwPreferencesRow: an #AdwEntryRow, an
 *   #AdwComboRow or an #AdwActionRow with a #GtkSwitch
 */
GtkWidget *
crm_custom_row_get_widget (CrmCustomRow *row)
{
  g_return_val_if_fail (row != NULL, NULL);

  return row->widget;
}

CrmEditorMessage *
crm_custom_row_get_message (CrmCustomRow *row)
{
  g_return_val_if_fail (row != NULL, NULL);

  return row->message;
}

gboolean
crm_custom_row_get_touched (CrmCustomRow *row)
{
  g_return_val_if_fail (row != NULL, FALSE);

  return row->touched;
}

/**
 * crm_custom_row_get_value:
 *
 * The value for the draft: the text as typed, the choice ("" for "Not
 * set"), "1" or "0" for yes/no.
 *
 * Returns: (nullable): the value, or %NULL for a yes/no field that has
 *   none and was not touched, which the draft leaves out
 */
const char *
crm_custom_row_get_value (CrmCustomRow *row)
{
  g_return_val_if_fail (row != NULL, NULL);

  switch (row->field->type)
    {
    case CRM_FIELD_TYPE_BOOL:
      if (!row->bool_set)
        return NULL;
      return gtk_switch_get_active (row->bool_switch) ? "1" : "0";

    case CRM_FIELD_TYPE_CHOICE:
      {
        guint choice = adw_combo_row_get_selected (ADW_COMBO_ROW (row->widget));

        return choice > 0 && choice <= row->choice_keys->len
               ? g_ptr_array_index (row->choice_keys, choice - 1)
               : "";
      }

    case CRM_FIELD_TYPE_TEXT:
    case CRM_FIELD_TYPE_NUMBER:
    case CRM_FIELD_TYPE_DATE:
    default:
      return gtk_editable_get_text (GTK_EDITABLE (row->widget));
    }
}

/**
 * crm_custom_row_show_problems:
 * @problems: (element-type CrmFieldProblem): the draft's problems, where
 *   this field's is "custom:KEY"
 * @show_all: whether a save was tried: problems of untouched, empty rows
 *   show too
 *
 * Shows what is wrong with the value, or else how a date will be stored.
 */
void
crm_custom_row_show_problems (CrmCustomRow *row,
                              GPtrArray    *problems,
                              gboolean      show_all)
{
  g_autofree char *name = NULL;
  g_autofree char *preview = NULL;
  const char *text = NULL;
  const char *error = NULL;

  g_return_if_fail (row != NULL);
  g_return_if_fail (problems != NULL);

  name = g_strconcat ("custom:", row->field->key, NULL);
  for (guint i = 0; i < problems->len && error == NULL; i++)
    {
      const CrmFieldProblem *problem = g_ptr_array_index (problems, i);

      if (g_str_equal (problem->field, name))
        error = problem->message;
    }

  if (GTK_IS_EDITABLE (row->widget))
    text = gtk_editable_get_text (GTK_EDITABLE (row->widget));

  /* Not before the user got to the field, unless the value came with the
   * record or a save was tried. */
  if (!show_all && !row->touched && crm_text_is_blank (text))
    error = NULL;

  if (error == NULL && text != NULL && row->field->type == CRM_FIELD_TYPE_DATE)
    {
      g_autofree char *iso = crm_custom_field_normalize_value (row->field, text, NULL);
      g_autofree char *typed = g_strstrip (g_strdup (text));
      g_autofree char *shown = iso != NULL && *iso != '\0'
                               ? crm_editor_date_to_display (iso) : NULL;

      if (shown != NULL && !g_str_equal (shown, typed))
        preview = g_steal_pointer (&shown);
    }

  crm_editor_message_set_error (row->message, error);
  crm_editor_message_set_preview (row->message, preview);
}

/**
 * crm_custom_rows_find:
 * @rows: (element-type CrmCustomRow)
 *
 * Returns: (nullable): the row of the field with this key
 */
CrmCustomRow *
crm_custom_rows_find (GPtrArray  *rows,
                      const char *key)
{
  g_return_val_if_fail (rows != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      CrmCustomRow *row = g_ptr_array_index (rows, i);

      if (g_str_equal (row->field->key, key))
        return row;
    }

  return NULL;
}
