/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-company-editor"

#include "config.h"
#include "crm-text.h"

#include <glib/gi18n.h>
#include <string.h>

#include "crm-company.h"
#include "crm-company-editor.h"
#include "crm-contact-editor.h"
#include "crm-custom-rows.h"
#include "crm-fields.h"
#include "crm-normalize.h"

/* How long typing pauses before the form is checked again. */
#define VALIDATE_DELAY_MS 250

/* A field of the draft and the row that edits it. */
typedef struct
{
  CrmCompanyEditor *self;
  const char       *name;
  GtkEditable      *row;
  CrmEditorMessage *message;
  gboolean          touched;   /* the user changed it */
} Field;

struct _CrmCompanyEditor
{
  AdwWindow             parent_instance;

  /* template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkWidget            *save_button;
  AdwPreferencesGroup  *general_group;
  GtkLabel             *general_label;
  AdwEntryRow          *name_row;
  AdwEntryRow          *tax_code_row;
  AdwEntryRow          *industry_row;
  AdwEntryRow          *size_row;
  AdwEntryRow          *website_row;
  AdwEntryRow          *street_row;
  AdwEntryRow          *ward_row;
  AdwEntryRow          *district_row;
  AdwEntryRow          *province_row;
  AdwEntryRow          *country_row;
  AdwEntryRow          *phone_row;
  AdwEntryRow          *email_row;
  AdwEntryRow          *owner_row;
  AdwPreferencesGroup  *custom_group;

  /* owned references */
  CrmStore             *store;
  GPtrArray            *fields;   /* (element-type Field), in the order of the form */
  GPtrArray            *custom_rows;  /* (element-type CrmCustomRow), in the fields' order */
  char                 *initial_signature;

  /* state */
  gint64                company_id;
  guint                 validate_id;
  gboolean              loading;
  gboolean              load_failed;
  gboolean              show_all_problems;
  gboolean              modified;
};

G_DEFINE_FINAL_TYPE (CrmCompanyEditor, crm_company_editor, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_COMPANY_ID,
  PROP_MODIFIED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SAVED,
  OPEN_COMPANY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The draft's fields, in the order of the form. */
typedef struct
{
  const char *name;
  gsize       offset;   /* of the row in CrmCompanyEditor */
} FieldInfo;

#define FIELD(name) { #name, G_STRUCT_OFFSET (CrmCompanyEditor, name##_row) }

static const FieldInfo field_info[] = {
  FIELD (name),
  FIELD (tax_code),
  FIELD (industry),
  FIELD (size),
  FIELD (website),
  FIELD (street),
  FIELD (ward),
  FIELD (district),
  FIELD (province),
  FIELD (country),
  FIELD (phone),
  FIELD (email),
  FIELD (owner),
};

static gboolean validate (CrmCompanyEditor *self);

/* Helpers */

/* The values whose stored form may differ from the text beyond spaces. */
static gboolean
is_normalized (const char *field)
{
  return g_str_equal (field, "tax_code") || g_str_equal (field, "phone")
         || g_str_equal (field, "email");
}

/* The value as the form shows it once stored: numbers the national way. */
static char *
shown_value (const char *field,
             const char *text)
{
  g_autofree char *value = crm_company_normalize_value (field, text, NULL);

  if (value == NULL || *value == '\0')
    return NULL;

  if (g_str_equal (field, "phone"))
    return crm_phone_format_national (value);

  return g_steal_pointer (&value);
}

static CrmCompanyDraft *
collect_draft (CrmCompanyEditor *self)
{
  CrmCompanyDraft *draft = crm_company_draft_new ();

  draft->id = self->company_id;
  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);

      crm_company_draft_set_text (draft, field->name, gtk_editable_get_text (field->row));
    }

  for (guint i = 0; i < self->custom_rows->len; i++)
    {
      CrmCustomRow *row = g_ptr_array_index (self->custom_rows, i);
      const char *value = crm_custom_row_get_value (row);

      /* A yes/no field nobody set stays unset. */
      if (value != NULL)
        crm_company_draft_set_custom (draft, crm_custom_row_get_field (row)->key, value);
    }

  return draft;
}

static char *
draft_signature (CrmCompanyDraft *draft)
{
  GString *out = g_string_new (NULL);
  g_autoptr (GList) keys = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (field_info); i++)
    {
      const char *value = crm_company_draft_get_text (draft, field_info[i].name);

      /* Blank and unset are the same to the user. */
      if (!crm_text_is_blank (value))
        g_string_append (out, value);
      g_string_append_c (out, '\x1f');
    }

  keys = g_list_sort (g_hash_table_get_keys (draft->custom), (GCompareFunc) strcmp);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      const char *value = g_hash_table_lookup (draft->custom, l->data);

      if (!crm_text_is_blank (value))
        g_string_append_printf (out, "%s=%s\x1d", (const char *) l->data, value);
    }

  return g_string_free (out, FALSE);
}

static void
set_modified (CrmCompanyEditor *self,
              gboolean          modified)
{
  if (self->modified == modified)
    return;

  self->modified = modified;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
}

static Field *
find_field (CrmCompanyEditor *self,
            const char       *name)
{
  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);

      if (g_str_equal (field->name, name))
        return field;
    }

  return NULL;
}

/* Checking */

static void
check_duplicate (CrmCompanyEditor *self,
                 Field            *field)
{
  g_autofree char *value = NULL;
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;
  g_autofree char *uri = NULL;
  g_autoptr (GError) error = NULL;
  gint64 other = 0;

  value = crm_company_normalize_value ("tax_code", gtk_editable_get_text (field->row), NULL);
  if (value != NULL && *value != '\0')
    other = crm_companies_find_by_tax_code (self->store, value, self->company_id, &name, &error);
  if (error != NULL)
    g_warning ("Cannot look for duplicates: %s", error->message);

  if (other > 0)
    {
      /* Translators: under a tax code that another company has; %s is
       * that company's name. */
      text = g_strdup_printf (_("Already the tax code of %s"), name != NULL ? name : "");
      uri = g_strdup_printf ("rapport:company/%" G_GINT64_FORMAT, other);
    }
  crm_editor_message_set_duplicate (field->message, text, uri, other);
}

/* Checks the form, shows what is wrong and how values will be stored, and
 * lets Save be used when nothing is wrong. */
static gboolean
validate (CrmCompanyEditor *self)
{
  g_autoptr (CrmCompanyDraft) draft = collect_draft (self);
  g_autoptr (GPtrArray) problems = NULL;
  g_autoptr (GString) general = g_string_new (NULL);
  g_autofree char *signature = NULL;
  gboolean valid;

  g_clear_handle_id (&self->validate_id, g_source_remove);

  valid = crm_company_draft_validate_in (draft, self->store, &problems);

  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);
      const char *text = gtk_editable_get_text (field->row);
      const char *error = NULL;
      g_autofree char *preview = NULL;
      g_autofree char *typed = g_strstrip (g_strdup (text));

      for (guint j = 0; j < problems->len && error == NULL; j++)
        {
          CrmFieldProblem *problem = g_ptr_array_index (problems, j);

          if (g_str_equal (problem->field, field->name))
            error = problem->message;
        }
      /* Not before the user got to the field, unless the value came with
       * the record or a save was tried. */
      if (!self->show_all_problems && !field->touched && crm_text_is_blank (text))
        error = NULL;

      if (error == NULL && is_normalized (field->name))
        {
          preview = shown_value (field->name, text);
          if (preview != NULL && g_str_equal (preview, typed))
            g_clear_pointer (&preview, g_free);
        }

      crm_editor_message_set_error (field->message, error);
      crm_editor_message_set_preview (field->message, preview);
      if (g_str_equal (field->name, "tax_code"))
        {
          if (error == NULL)
            check_duplicate (self, field);
          else
            crm_editor_message_set_duplicate (field->message, NULL, NULL, 0);
        }
    }

  for (guint i = 0; i < self->custom_rows->len; i++)
    crm_custom_row_show_problems (g_ptr_array_index (self->custom_rows, i), problems,
                                  self->show_all_problems);

  /* What belongs to no row still has to be said. */
  for (guint i = 0; i < problems->len; i++)
    {
      CrmFieldProblem *problem = g_ptr_array_index (problems, i);
      gboolean has_row = find_field (self, problem->field) != NULL
                         || (g_str_has_prefix (problem->field, "custom:")
                             && crm_custom_rows_find (self->custom_rows,
                                                      problem->field + strlen ("custom:"))
                                != NULL);

      if (!has_row)
        g_string_append_printf (general, "%s%s", general->len > 0 ? "\n" : "", problem->message);
    }
  gtk_label_set_text (self->general_label, general->str);
  gtk_widget_set_visible (GTK_WIDGET (self->general_group), general->len > 0);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", valid && !self->load_failed);

  signature = draft_signature (draft);
  set_modified (self, self->initial_signature != NULL
                      && !g_str_equal (signature, self->initial_signature));

  return valid;
}

static gboolean
validate_timeout_cb (gpointer user_data)
{
  CrmCompanyEditor *self = user_data;

  self->validate_id = 0;
  validate (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_validate (CrmCompanyEditor *self)
{
  g_clear_handle_id (&self->validate_id, g_source_remove);
  self->validate_id = g_timeout_add (VALIDATE_DELAY_MS, validate_timeout_cb, self);
}

/* Callbacks */

static void
on_field_changed (GtkEditable *row,
                  Field       *field)
{
  CrmCompanyEditor *self = field->self;

  if (self->loading)
    return;

  field->touched = TRUE;
  schedule_validate (self);
}

static void
on_custom_changed (CrmCustomRow *row,
                   gpointer      user_data)
{
  CrmCompanyEditor *self = CRM_COMPANY_EDITOR (user_data);

  if (self->loading)
    return;

  schedule_validate (self);
}

/* Leaving a field shows the value the way it will be stored. */
static void
on_field_focus_leave (GtkEventControllerFocus *controller,
                      Field                   *field)
{
  const char *text = gtk_editable_get_text (field->row);
  g_autofree char *shown = NULL;

  if (field->self->loading || crm_text_is_blank (text) || !is_normalized (field->name))
    return;

  shown = shown_value (field->name, text);
  if (shown != NULL && !g_str_equal (shown, text))
    gtk_editable_set_text (field->row, shown);
}

static gboolean
on_open_activate_link (GtkLinkButton *button,
                       Field         *field)
{
  gint64 id = crm_editor_message_get_duplicate_id (field->message);

  if (id > 0)
    g_signal_emit (field->self, signals[OPEN_COMPANY], 0, id);

  /* The link is no address to open outside. */
  return TRUE;
}

/* Actions */

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CrmCompanyEditor *self = CRM_COMPANY_EDITOR (widget);
  g_autoptr (CrmCompanyDraft) draft = NULL;
  g_autoptr (CrmUndo) undo = NULL;
  g_autoptr (GError) error = NULL;
  gint64 id;

  if (self->load_failed)
    return;

  /* What was typed in the last moments is checked too. */
  self->show_all_problems = TRUE;
  if (!validate (self))
    {
      GtkWidget *first = NULL;

      /* The fields, then the custom fields: the order of the form. */
      for (guint i = 0; i < self->fields->len && first == NULL; i++)
        {
          Field *field = g_ptr_array_index (self->fields, i);

          if (crm_editor_message_has_error (field->message))
            first = GTK_WIDGET (field->row);
        }
      for (guint i = 0; i < self->custom_rows->len && first == NULL; i++)
        {
          CrmCustomRow *row = g_ptr_array_index (self->custom_rows, i);

          if (crm_editor_message_has_error (crm_custom_row_get_message (row)))
            first = crm_custom_row_get_widget (row);
        }
      if (first != NULL)
        gtk_widget_grab_focus (first);
      return;
    }

  draft = collect_draft (self);
  id = crm_company_save (self->store, draft, &undo, &error);
  if (id == 0)
    {
      crm_editor_add_toast (self->toast_overlay, error->message);
      return;
    }

  /* The first handler owns the undo; with none, nobody wants it. */
  if (g_signal_has_handler_pending (self, signals[SAVED], 0, FALSE))
    g_signal_emit (self, signals[SAVED], 0, id, (gpointer) g_steal_pointer (&undo));

  gtk_window_destroy (GTK_WINDOW (self));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static gboolean
crm_company_editor_close_request (GtkWindow *window)
{
  CrmCompanyEditor *self = CRM_COMPANY_EDITOR (window);

  if (self->validate_id != 0)
    validate (self);

  if (!self->modified)
    return GTK_WINDOW_CLASS (crm_company_editor_parent_class)->close_request (window);

  crm_editor_ask_discard (window, self->company_id > 0
                                  ? _("The changes to this company will be lost.")
                                  : _("The new company will be lost."));
  return TRUE;
}

/* GObject */

static void
field_free (Field *field)
{
  g_free (field->message);
  g_free (field);
}

static void
crm_company_editor_constructed (GObject *object)
{
  CrmCompanyEditor *self = CRM_COMPANY_EDITOR (object);
  g_autoptr (CrmCompanyDraft) draft = NULL;
  g_autoptr (CrmCompanyDraft) current = NULL;
  g_autoptr (GPtrArray) custom = NULL;
  g_autoptr (GError) error = NULL;

  G_OBJECT_CLASS (crm_company_editor_parent_class)->constructed (object);

  g_assert (CRM_IS_STORE (self->store));

  self->loading = TRUE;
  if (self->company_id > 0)
    {
      g_autoptr (CrmCompany) company = crm_company_load (self->store, self->company_id, &error);

      if (company != NULL)
        {
          draft = crm_company_draft_new_from_company (company);
          adw_window_title_set_subtitle (self->window_title, crm_company_get_name (company));
        }
      else
        {
          self->load_failed = TRUE;
          crm_editor_add_toast (self->toast_overlay, error->message);
        }
    }
  if (draft == NULL)
    draft = crm_company_draft_new ();

  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);
      const char *text = crm_company_draft_get_text (draft, field->name);

      gtk_editable_set_text (field->row, text != NULL ? text : "");
    }
  /* Districts were abolished in July 2025: a record that still has one
   * shows it, to be moved to the new ward or cleared. */
  gtk_widget_set_visible (GTK_WIDGET (self->district_row), !crm_text_is_blank (draft->district));

  custom = crm_custom_fields_list (self->store, CRM_FIELD_ENTITY_COMPANY, &error);
  if (custom == NULL)
    {
      self->load_failed = TRUE;
      crm_editor_add_toast (self->toast_overlay, error->message);
    }
  for (guint i = 0; custom != NULL && i < custom->len; i++)
    {
      const CrmCustomField *info = g_ptr_array_index (custom, i);

      g_ptr_array_add (self->custom_rows,
                       crm_custom_row_new (self->custom_group, info,
                                           g_hash_table_lookup (draft->custom, info->key),
                                           on_custom_changed, self));
    }
  self->loading = FALSE;

  current = collect_draft (self);
  self->initial_signature = draft_signature (current);
  validate (self);

  gtk_window_set_title (GTK_WINDOW (self),
                        self->company_id > 0 ? _("Edit Company") : _("New Company"));
  adw_window_title_set_title (self->window_title, gtk_window_get_title (GTK_WINDOW (self)));
  gtk_window_set_default_widget (GTK_WINDOW (self), self->save_button);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
}

static void
crm_company_editor_dispose (GObject *object)
{
  CrmCompanyEditor *self = CRM_COMPANY_EDITOR (object);

  /* Rows that lose the focus as the window goes tell nothing any more. */
  self->loading = TRUE;
  g_clear_handle_id (&self->validate_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_COMPANY_EDITOR);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (crm_company_editor_parent_class)->dispose (object);
}

static void
crm_company_editor_finalize (GObject *object)
{
  CrmCompanyEditor *self = CRM_COMPANY_EDITOR (object);

  g_clear_pointer (&self->fields, g_ptr_array_unref);
  g_clear_pointer (&self->custom_rows, g_ptr_array_unref);
  g_free (self->initial_signature);

  G_OBJECT_CLASS (crm_company_editor_parent_class)->finalize (object);
}

static void
crm_company_editor_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CrmCompanyEditor *self = CRM_COMPANY_EDITOR (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_COMPANY_ID:
      g_value_set_int64 (value, self->company_id);
      break;

    case PROP_MODIFIED:
      g_value_set_boolean (value, self->modified);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_company_editor_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  CrmCompanyEditor *self = CRM_COMPANY_EDITOR (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_COMPANY_ID:
      self->company_id = g_value_get_int64 (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_company_editor_class_init (CrmCompanyEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = crm_company_editor_constructed;
  object_class->dispose = crm_company_editor_dispose;
  object_class->finalize = crm_company_editor_finalize;
  object_class->get_property = crm_company_editor_get_property;
  object_class->set_property = crm_company_editor_set_property;
  window_class->close_request = crm_company_editor_close_request;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         CRM_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * CrmCompanyEditor:company-id:
   *
   * The company being edited, or 0 for a new one.
   */
  properties[PROP_COMPANY_ID] =
    g_param_spec_int64 ("company-id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * CrmCompanyEditor:modified:
   *
   * Whether the form says something else than what was stored.
   */
  properties[PROP_MODIFIED] =
    g_param_spec_boolean ("modified", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CrmCompanyEditor::saved:
   * @self: the editor
   * @id: the company's id
   * @undo: (transfer full) (type CrmUndo): how to put back what the save
   *   replaced (for a new company: to remove it again)
   *
   * Emitted when the company was stored, just before the editor closes.
   * The handler owns @undo and frees it with crm_undo_free(): connect one
   * handler only. Without a handler, nothing is emitted and the editor
   * frees it.
   */
  signals[SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_POINTER);

  /**
   * CrmCompanyEditor::open-company:
   * @self: the editor
   * @id: the other company
   *
   * Emitted when the user asks to see the company that has the tax code
   * typed in the form already. The editor stays open.
   */
  signals[OPEN_COMPANY] =
    g_signal_new ("open-company",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/crm-company-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmCompanyEditor, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CrmCompanyEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, CrmCompanyEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, CrmCompanyEditor, general_group);
  gtk_widget_class_bind_template_child (widget_class, CrmCompanyEditor, general_label);
  gtk_widget_class_bind_template_child (widget_class, CrmCompanyEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, CrmCompanyEditor, tax_code_row);
  gtk_widget_class_bind_template_child (widget_class, CrmCompanyEditor, industry_row);
  gtk_widget_class_bind_template_child (widget_class, CrmCompanyEditor, size_row);
  gtk_widget_class_bind_template_child (widget_class, CrmCompanyEditor, website_row);
  gtk_widget_class_bind_template_child (widget_class, CrmCompanyEditor, street_row);
  gtk_widget_class_bind_template_child (widget_class, CrmCompanyEditor, ward_row);
  gtk_widget_class_bind_template_child (widget_class, CrmCompanyEditor, district_row);
  gtk_widget_class_bind_template_child (widget_class, CrmCompanyEditor, province_row);
  gtk_widget_class_bind_template_child (widget_class, CrmCompanyEditor, country_row);
  gtk_widget_class_bind_template_child (widget_class, CrmCompanyEditor, phone_row);
  gtk_widget_class_bind_template_child (widget_class, CrmCompanyEditor, email_row);
  gtk_widget_class_bind_template_child (widget_class, CrmCompanyEditor, owner_row);
  gtk_widget_class_bind_template_child (widget_class, CrmCompanyEditor, custom_group);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "editor.cancel", NULL);
}

static void
crm_company_editor_init (CrmCompanyEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) field_free);
  self->custom_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_custom_row_free);
  for (guint i = 0; i < G_N_ELEMENTS (field_info); i++)
    {
      Field *field = g_new0 (Field, 1);
      GtkEventController *focus = gtk_event_controller_focus_new ();

      field->self = self;
      field->name = field_info[i].name;
      field->row = G_STRUCT_MEMBER (GtkEditable *, self, field_info[i].offset);
      field->message = crm_editor_message_new (GTK_WIDGET (field->row));
      g_ptr_array_add (self->fields, field);

      g_signal_connect (field->row, "changed", G_CALLBACK (on_field_changed), field);
      g_signal_connect (focus, "leave", G_CALLBACK (on_field_focus_leave), field);
      gtk_widget_add_controller (GTK_WIDGET (field->row), focus);
      g_signal_connect (crm_editor_message_get_open_button (field->message), "activate-link",
                        G_CALLBACK (on_open_activate_link), field);
    }
}

/**
 * crm_company_editor_new:
 * @parent: (nullable): the window the dialog belongs to
 * @store: the open workspace
 * @id: the company to edit, or 0 for a new one
 *
 * Makes the dialog that edits a company; present it with
 * gtk_window_present(). It checks the form as the user types, saves with
 * crm_company_save() and emits #CrmCompanyEditor::saved before it closes.
 *
 * Returns: (transfer none): the editor, owned by GTK's list of toplevels
 */
CrmCompanyEditor *
crm_company_editor_new (GtkWindow *parent,
                        CrmStore  *store,
                        gint64     id)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (CRM_IS_STORE (store), NULL);
  g_return_val_if_fail (id >= 0, NULL);

  return g_object_new (CRM_TYPE_COMPANY_EDITOR,
                       "transient-for", parent,
                       "store", store,
                       "company-id", id,
                       NULL);
}

gint64
crm_company_editor_get_company_id (CrmCompanyEditor *self)
{
  g_return_val_if_fail (CRM_IS_COMPANY_EDITOR (self), 0);

  return self->company_id;
}

gboolean
crm_company_editor_get_modified (CrmCompanyEditor *self)
{
  g_return_val_if_fail (CRM_IS_COMPANY_EDITOR (self), FALSE);

  return self->modified;
}
