/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-fields-page"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-fields.h"
#include "crm-fields-page.h"

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

static GtkWindow *
get_parent_window (CrmFieldsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static AdwToast *
show_toast (CrmFieldsPage *self,
            const char    *title)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *markup = g_markup_escape_text (title, -1);
  /* Toast titles are markup; labels are the user's text. */
  AdwToast *toast = adw_toast_new (markup);

  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root), g_object_ref (toast));
  else
    g_debug ("%s", title);

  return toast;
}

static void
show_error (CrmFieldsPage *self,
            const GError  *error)
{
  g_object_unref (show_toast (self, error->message));
}

/* Each control that can hold the focus has a key, "<entity>:<id>:<part>"
 * or "<entity>:add", so that the focus can go back to the same control
 * once the rows are made anew. */
static void
set_focus_key (GtkWidget  *widget,
               const char *key)
{
  g_object_set_data_full (G_OBJECT (widget), "crm-focus-key", g_strdup (key), g_free);
}

static GtkWidget *
find_focus_key (GtkWidget  *widget,
                const char *key)
{
  if (g_strcmp0 (g_object_get_data (G_OBJECT (widget), "crm-focus-key"), key) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_focus_key (child, key);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The key of the control inside the page that has the focus, or NULL. */
static char *
remember_focus (CrmFieldsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  for (GtkWidget *widget = focus; widget != NULL && widget != GTK_WIDGET (self);
       widget = gtk_widget_get_parent (widget))
    {
      const char *key = g_object_get_data (G_OBJECT (widget), "crm-focus-key");

      if (key != NULL)
        return g_strdup (key);
    }

  return NULL;
}

/* Puts the focus back on the control with @key; a button that is now
 * insensitive (Move Up on the first row) hands it to its row, and a row
 * that is gone to the list's Add row. */
static void
restore_focus (CrmFieldsPage *self,
               const char    *key)
{
  GtkWidget *widget;

  if (key == NULL)
    return;

  widget = find_focus_key (GTK_WIDGET (self), key);
  if (widget != NULL && gtk_widget_is_sensitive (widget) && gtk_widget_grab_focus (widget))
    return;

  if (widget != NULL)
    {
      GtkWidget *row = gtk_widget_get_ancestor (widget, GTK_TYPE_LIST_BOX_ROW);

      if (row != NULL && gtk_widget_grab_focus (row))
        return;
    }

  {
    g_auto (GStrv) parts = g_strsplit (key, ":", 2);
    g_autofree char *add_key = g_strconcat (parts[0], ":add", NULL);

    widget = find_focus_key (GTK_WIDGET (self), add_key);
    if (widget != NULL)
      gtk_widget_grab_focus (widget);
  }
}

static GtkWidget *
new_icon_button (const char *icon_name,
                 const char *tooltip,
                 const char *accessible_label,
                 const char *name)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_set_name (button, name);
  gtk_widget_add_css_class (button, "flat");
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_label,
                                  -1);

  return button;
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

static void
on_row_button_clicked (GtkButton *button,
                       gpointer   user_data)
{
  CrmFieldsPage *self = CRM_FIELDS_PAGE (gtk_widget_get_ancestor (GTK_WIDGET (button),
                                                                  CRM_TYPE_FIELDS_PAGE));
  const char *action = user_data;
  gint64 id = *(gint64 *) g_object_get_data (G_OBJECT (button), "crm-id");

  gtk_widget_activate_action (GTK_WIDGET (self), action, "x", id);
}

static GtkWidget *
new_row_button (const CrmCustomField *field,
                const char           *icon_name,
                const char           *tooltip,
                const char           *accessible_label,
                const char           *name,
                const char           *action)
{
  GtkWidget *button = new_icon_button (icon_name, tooltip, accessible_label, name);
  g_autofree char *key = g_strdup_printf ("%s:%" G_GINT64_FORMAT ":%s",
                                          crm_field_entity_to_string (field->entity),
                                          field->id, name);

  set_focus_key (button, key);
  g_object_set_data_full (G_OBJECT (button), "crm-id", g_memdup2 (&field->id, sizeof field->id),
                          g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (on_row_button_clicked), (gpointer) action);

  return button;
}

static GtkWidget *
new_field_row (const CrmCustomField *field,
               gboolean              first,
               gboolean              last)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *button;
  g_autofree char *subtitle = describe_field (field);
  g_autofree char *key = g_strdup_printf ("%s:%" G_GINT64_FORMAT,
                                          crm_field_entity_to_string (field->entity), field->id);
  g_autofree char *up = g_strdup_printf (_("Move “%s” Up"), field->label);
  g_autofree char *down = g_strdup_printf (_("Move “%s” Down"), field->label);
  g_autofree char *edit = g_strdup_printf (_("Edit “%s”"), field->label);
  g_autofree char *remove = g_strdup_printf (_("Remove “%s”"), field->label);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), field->label);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  gtk_widget_set_name (row, "field-row");
  set_focus_key (row, key);
  g_object_set_data_full (G_OBJECT (row), "crm-id", g_memdup2 (&field->id, sizeof field->id),
                          g_free);

  button = new_row_button (field, "go-up-symbolic", _("Move Up"), up, "move-up-button",
                           "fields.move-up");
  gtk_widget_set_sensitive (button, !first);
  gtk_box_append (GTK_BOX (box), button);
  button = new_row_button (field, "go-down-symbolic", _("Move Down"), down, "move-down-button",
                           "fields.move-down");
  gtk_widget_set_sensitive (button, !last);
  gtk_box_append (GTK_BOX (box), button);
  button = new_row_button (field, "document-edit-symbolic", _("Edit"), edit, "edit-button",
                           "fields.edit");
  gtk_box_append (GTK_BOX (box), button);
  button = new_row_button (field, "user-trash-symbolic", _("Remove"), remove, "remove-button",
                           "fields.remove");
  gtk_box_append (GTK_BOX (box), button);
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

  for (guint i = 0; i < rows->len; i++)
    gtk_list_box_remove (list, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);

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
  g_autofree char *focus = remember_focus (self);

  for (CrmFieldEntity entity = 0; entity < N_ENTITIES; entity++)
    reload_entity (self, entity);

  restore_focus (self, focus);
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
  for (guint i = 0; i < data->option_rows->len; i++)
    gtk_list_box_remove (data->options_list, g_ptr_array_index (data->option_rows, i));
  g_ptr_array_set_size (data->option_rows, 0);

  for (guint i = 0; i < data->options->len; i++)
    {
      const char *option = g_ptr_array_index (data->options, i);
      g_autofree char *remove = g_strdup_printf (_("Remove “%s”"), option);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button;

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), option);
      gtk_widget_set_name (row, "option-row");
      button = new_icon_button ("list-remove-symbolic", _("Remove Option"), remove,
                                "remove-option-button");
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

static GtkWidget *
new_boxed_list (void)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");

  return list;
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
  GtkShortcutController *shortcuts;
  GtkWidget *window, *box, *header, *page, *group, *button, *list, *title;
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
          show_error (self, error);
          field_editor_free (data);
          return;
        }
    }

  window = adw_window_new ();
  data->window = GTK_WINDOW (window);
  gtk_widget_set_name (window, "field-editor");
  gtk_window_set_title (data->window, field != NULL ? _("Edit Field") : _("New Field"));
  gtk_window_set_modal (data->window, TRUE);
  gtk_window_set_transient_for (data->window, get_parent_window (self));
  gtk_window_set_destroy_with_parent (data->window, TRUE);
  gtk_window_set_default_size (data->window, 420, 520);
  g_object_set_data_full (G_OBJECT (window), "crm-field-editor", data,
                          (GDestroyNotify) field_editor_free);

  /* Escape cancels. */
  shortcuts = GTK_SHORTCUT_CONTROLLER (gtk_shortcut_controller_new ());
  gtk_shortcut_controller_add_shortcut (shortcuts,
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_named_action_new ("window.close")));
  gtk_widget_add_controller (window, GTK_EVENT_CONTROLLER (shortcuts));

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = gtk_header_bar_new ();
  gtk_header_bar_set_show_title_buttons (GTK_HEADER_BAR (header), FALSE);
  title = adw_window_title_new (gtk_window_get_title (data->window), NULL);
  gtk_header_bar_set_title_widget (GTK_HEADER_BAR (header), title);

  button = gtk_button_new_with_mnemonic (_("_Cancel"));
  gtk_widget_set_name (button, "cancel-button");
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (gtk_window_close), window);
  gtk_header_bar_pack_start (GTK_HEADER_BAR (header), button);

  button = gtk_button_new_with_mnemonic (field != NULL ? _("_Save") : _("_Add"));
  gtk_widget_set_name (button, "save-button");
  gtk_widget_add_css_class (button, "suggested-action");
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (on_save_clicked), data);
  gtk_header_bar_pack_end (GTK_HEADER_BAR (header), button);
  gtk_window_set_default_widget (data->window, button);
  data->save_button = button;
  gtk_box_append (GTK_BOX (box), header);

  page = adw_preferences_page_new ();
  gtk_widget_set_vexpand (page, TRUE);

  group = adw_preferences_group_new ();
  list = new_boxed_list ();
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
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));

  group = adw_preferences_group_new ();
  data->options_group = group;
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Options"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("The choices offered, in this order"));
  list = new_boxed_list ();
  data->options_list = GTK_LIST_BOX (list);
  gtk_accessible_update_property (GTK_ACCESSIBLE (list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Options"),
                                  -1);
  data->option_entry = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (data->option_entry), _("New Option"));
  gtk_widget_set_name (GTK_WIDGET (data->option_entry), "option-entry");
  g_signal_connect_swapped (data->option_entry, "entry-activated", G_CALLBACK (on_add_option),
                            data);
  button = new_icon_button ("list-add-symbolic", _("Add Option"), _("Add Option"),
                            "add-option-button");
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (on_add_option), data);
  adw_entry_row_add_suffix (data->option_entry, button);
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (data->option_entry));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), list);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));

  group = adw_preferences_group_new ();
  data->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (data->error_label, TRUE);
  gtk_label_set_xalign (data->error_label, 0);
  gtk_widget_set_name (GTK_WIDGET (data->error_label), "error-label");
  gtk_widget_add_css_class (GTK_WIDGET (data->error_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (data->error_label), FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (data->error_label));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));

  gtk_box_append (GTK_BOX (box), page);
  adw_window_set_content (ADW_WINDOW (window), box);

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
  if (self->undo_toast != NULL)
    adw_toast_dismiss (self->undo_toast);
  g_clear_object (&self->undo_toast);
  g_clear_pointer (&self->removed, crm_custom_field_free);
  g_clear_pointer (&self->removed_order, g_array_unref);
}

static void
on_undo_clicked (CrmFieldsPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "fields.undo-remove", NULL);
}

static void
remove_field (CrmFieldsPage        *self,
              const CrmCustomField *field,
              gboolean              confirmed)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) fields = NULL;
  g_autoptr (GArray) order = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (AdwToast) toast = NULL;
  g_autofree char *title = NULL;

  /* The order as it was, for Undo: the field comes back where it was. */
  fields = crm_custom_fields_list (self->store, field->entity, &error);
  if (fields == NULL)
    {
      show_error (self, error);
      return;
    }
  for (guint i = 0; i < fields->len; i++)
    {
      gint64 id = ((CrmCustomField *) g_ptr_array_index (fields, i))->id;

      if (id == field->id)
        id = 0;
      g_array_append_val (order, id);
    }

  if (!crm_custom_field_delete (self->store, field->id, confirmed, &error))
    {
      show_error (self, error);
      return;
    }

  /* Undo only brings back a field without values: the values are gone. */
  forget_removed (self);
  title = g_strdup_printf (_("Removed “%s”"), field->label);
  if (confirmed)
    {
      g_object_unref (show_toast (self, title));
      return;
    }

  self->removed = crm_custom_field_copy (field);
  self->removed_order = g_steal_pointer (&order);
  toast = show_toast (self, title);
  adw_toast_set_button_label (toast, _("_Undo"));
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_undo_clicked), self,
                           G_CONNECT_SWAPPED);
  self->undo_toast = g_steal_pointer (&toast);
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

  dialog = adw_message_dialog_new (get_parent_window (self), heading, body);
  gtk_widget_set_name (dialog, "remove-field-dialog");
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
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
    show_error (self, error);

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
    show_error (self, error);
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
  g_autoptr (GPtrArray) fields = NULL;
  g_autoptr (GArray) order = g_array_new (FALSE, FALSE, sizeof (gint64));
  int delta = g_str_equal (action_name, "fields.move-up") ? -1 : 1;
  int index = -1;

  if (field == NULL)
    return;

  fields = crm_custom_fields_list (self->store, field->entity, &error);
  if (fields == NULL)
    {
      show_error (self, error);
      return;
    }

  for (guint i = 0; i < fields->len; i++)
    {
      gint64 id = ((CrmCustomField *) g_ptr_array_index (fields, i))->id;

      if (id == field->id)
        index = i;
      g_array_append_val (order, id);
    }

  if (index < 0 || index + delta < 0 || index + delta >= (int) order->len)
    return;

  g_array_index (order, gint64, index) = g_array_index (order, gint64, index + delta);
  g_array_index (order, gint64, index + delta) = field->id;

  if (!crm_custom_fields_reorder (self->store, field->entity, (const gint64 *) order->data,
                                  order->len, &error))
    show_error (self, error);
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
      show_error (self, error);
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
    show_error (self, error);
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

  gtk_widget_class_install_action (widget_class, "fields.add", "s", add_action);
  gtk_widget_class_install_action (widget_class, "fields.edit", "x", edit_action);
  gtk_widget_class_install_action (widget_class, "fields.remove", "x", remove_action);
  gtk_widget_class_install_action (widget_class, "fields.move-up", "x", move_action);
  gtk_widget_class_install_action (widget_class, "fields.move-down", "x", move_action);
  gtk_widget_class_install_action (widget_class, "fields.undo-remove", NULL,
                                   undo_remove_action);
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
      set_focus_key (GTK_WIDGET (gtk_list_box_get_row_at_index (lists[entity], 0)), key);
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
