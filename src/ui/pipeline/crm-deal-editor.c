/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-deal-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-deal.h"
#include "crm-deal-editor.h"
#include "crm-pipeline.h"

struct _CrmDealEditor
{
  AdwWindow       parent_instance;

  /* template widgets */
  AdwWindowTitle *window_title;
  GtkWidget      *save_button;
  GtkLabel       *error_label;
  AdwEntryRow    *title_row;
  AdwEntryRow    *value_row;
  AdwComboRow    *currency_row;
  AdwComboRow    *stage_row;
  AdwEntryRow    *lost_row;
  AdwEntryRow    *close_row;
  AdwEntryRow    *owner_row;
  GtkTextView    *notes_view;

  /* owned references */
  CrmStore       *store;
  CrmPipeline    *pipeline;
  CrmDealDraft   *draft;
};

G_DEFINE_FINAL_TYPE (CrmDealEditor, crm_deal_editor, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static CrmStage *
selected_stage (CrmDealEditor *self)
{
  guint selected = adw_combo_row_get_selected (self->stage_row);

  if (self->pipeline == NULL || selected == GTK_INVALID_LIST_POSITION
      || selected >= self->pipeline->stages->len)
    return NULL;
  return g_ptr_array_index (self->pipeline->stages, selected);
}

static void
on_stage_selected (CrmDealEditor *self)
{
  CrmStage *stage = selected_stage (self);

  gtk_widget_set_visible (GTK_WIDGET (self->lost_row),
                          stage != NULL && stage->kind == CRM_STAGE_LOST);
}

static GtkWidget *
row_for_field (CrmDealEditor *self,
               const char    *field)
{
  if (g_str_equal (field, "title"))
    return GTK_WIDGET (self->title_row);
  if (g_str_equal (field, "value"))
    return GTK_WIDGET (self->value_row);
  if (g_str_equal (field, "currency"))
    return GTK_WIDGET (self->currency_row);
  if (g_str_equal (field, "stage"))
    return GTK_WIDGET (self->stage_row);
  if (g_str_equal (field, "lost_reason"))
    return GTK_WIDGET (self->lost_row);
  if (g_str_equal (field, "expected_close"))
    return GTK_WIDGET (self->close_row);
  return NULL;
}

static void
clear_problems (CrmDealEditor *self)
{
  const char *const fields[] = { "title", "value", "currency", "stage", "lost_reason",
                                 "expected_close" };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      GtkWidget *row = row_for_field (self, fields[i]);

      gtk_widget_remove_css_class (row, "error");
      gtk_widget_set_tooltip_text (row, NULL);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
}

static void
show_problems (CrmDealEditor *self,
               GPtrArray     *problems,
               const GError  *error)
{
  g_autoptr (GString) text = g_string_new (NULL);
  GtkWidget *first = NULL;

  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      CrmFieldProblem *problem = g_ptr_array_index (problems, i);
      GtkWidget *row = row_for_field (self, problem->field);

      if (row != NULL)
        {
          gtk_widget_add_css_class (row, "error");
          gtk_widget_set_tooltip_text (row, problem->message);
          if (first == NULL)
            first = row;
        }
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, problem->message);
    }
  if (text->len == 0 && error != NULL)
    g_string_append (text, error->message);

  gtk_label_set_text (self->error_label, text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text->len > 0);
  /* The first field to correct takes the focus, and a screen reader reads
   * its problem from the tooltip. */
  if (first != NULL)
    gtk_widget_grab_focus (first);
}

static char *
editable_text (gpointer editable)
{
  return g_strdup (gtk_editable_get_text (GTK_EDITABLE (editable)));
}

gboolean
crm_deal_editor_save (CrmDealEditor *self)
{
  g_autoptr (GPtrArray) problems = NULL;
  g_autoptr (GError) error = NULL;
  GtkStringObject *currency = adw_combo_row_get_selected_item (self->currency_row);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->notes_view);
  CrmStage *stage = selected_stage (self);
  GtkTextIter start, end;
  CrmDealDraft *draft = self->draft;
  gint64 id;

  g_return_val_if_fail (CRM_IS_DEAL_EDITOR (self), FALSE);

  g_free (draft->title);
  draft->title = editable_text (self->title_row);
  g_free (draft->value);
  draft->value = editable_text (self->value_row);
  g_free (draft->currency);
  draft->currency = g_strdup (currency != NULL ? gtk_string_object_get_string (currency) : "VND");
  draft->stage_id = stage != NULL ? stage->id : 0;
  g_free (draft->lost_reason);
  draft->lost_reason = editable_text (self->lost_row);
  g_free (draft->expected_close);
  draft->expected_close = editable_text (self->close_row);
  g_free (draft->owner);
  draft->owner = editable_text (self->owner_row);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  g_free (draft->notes);
  draft->notes = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);

  clear_problems (self);
  id = crm_deal_save (self->store, draft, g_get_real_time () / G_USEC_PER_SEC, &problems, &error);
  if (id == 0)
    {
      show_problems (self, problems, error);
      return FALSE;
    }

  draft->id = id;
  g_signal_emit (self, signals[SAVED], 0, id);
  gtk_window_close (GTK_WINDOW (self));
  return TRUE;
}

static void
on_save_clicked (CrmDealEditor *self)
{
  crm_deal_editor_save (self);
}

static void
crm_deal_editor_dispose (GObject *object)
{
  CrmDealEditor *self = CRM_DEAL_EDITOR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_DEAL_EDITOR);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (crm_deal_editor_parent_class)->dispose (object);
}

static void
crm_deal_editor_finalize (GObject *object)
{
  CrmDealEditor *self = CRM_DEAL_EDITOR (object);

  g_clear_pointer (&self->pipeline, crm_pipeline_free);
  g_clear_pointer (&self->draft, crm_deal_draft_free);

  G_OBJECT_CLASS (crm_deal_editor_parent_class)->finalize (object);
}

static void
crm_deal_editor_class_init (CrmDealEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_deal_editor_dispose;
  object_class->finalize = crm_deal_editor_finalize;

  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/crm-deal-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, title_row);
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, value_row);
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, currency_row);
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, stage_row);
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, lost_row);
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, close_row);
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, owner_row);
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, notes_view);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_stage_selected);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
crm_deal_editor_init (CrmDealEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* "2026-12-15" → "15/12/2026", what the row asks for. */
static char *
date_for_entry (const char *iso)
{
  int year, month, day;

  if (iso == NULL || sscanf (iso, "%d-%d-%d", &year, &month, &day) != 3)
    return g_strdup ("");
  return g_strdup_printf ("%02d/%02d/%04d", day, month, year);
}

CrmDealEditor *
crm_deal_editor_new (CrmStore  *store,
                     gint64     pipeline_id,
                     gint64     deal_id,
                     gint64     stage_id,
                     GError   **error)
{
  CrmDealEditor *self;
  g_autoptr (GtkStringList) stages = gtk_string_list_new (NULL);
  g_autofree char *close = NULL;
  GListModel *currencies;
  guint n_currencies;
  CrmDealDraft *draft;

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);

  /* Like every window, the editor belongs to GTK's list of toplevels. */
  self = g_object_new (CRM_TYPE_DEAL_EDITOR, NULL);
  self->store = g_object_ref (store);
  self->pipeline = crm_pipeline_load (store, pipeline_id, error);
  if (self->pipeline != NULL && deal_id != 0)
    self->draft = crm_deal_draft_load (store, deal_id, error);
  if (self->pipeline == NULL || (deal_id != 0 && self->draft == NULL))
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return NULL;
    }

  if (deal_id == 0)
    {
      g_autofree char *base = crm_base_currency (store);

      self->draft = crm_deal_draft_new ();
      g_free (self->draft->currency);
      self->draft->currency = g_strdup (base);
      self->draft->stage_id = stage_id;
    }
  draft = self->draft;

  adw_window_title_set_title (self->window_title,
                              deal_id != 0 ? _("Edit Deal") : _("New Deal"));
  gtk_window_set_title (GTK_WINDOW (self), deal_id != 0 ? _("Edit Deal") : _("New Deal"));

  for (guint i = 0; i < self->pipeline->stages->len; i++)
    {
      CrmStage *stage = g_ptr_array_index (self->pipeline->stages, i);

      gtk_string_list_append (stages, stage->name);
    }
  adw_combo_row_set_model (self->stage_row, G_LIST_MODEL (stages));
  for (guint i = 0; i < self->pipeline->stages->len; i++)
    {
      CrmStage *stage = g_ptr_array_index (self->pipeline->stages, i);

      if (stage->id == draft->stage_id)
        adw_combo_row_set_selected (self->stage_row, i);
    }
  on_stage_selected (self);

  currencies = adw_combo_row_get_model (self->currency_row);
  n_currencies = g_list_model_get_n_items (currencies);
  for (guint i = 0; i < n_currencies; i++)
    {
      g_autoptr (GtkStringObject) item = g_list_model_get_item (currencies, i);

      if (g_strcmp0 (gtk_string_object_get_string (item), draft->currency) == 0)
        adw_combo_row_set_selected (self->currency_row, i);
    }
  if (draft->currency != NULL
      && g_strcmp0 (gtk_string_object_get_string (adw_combo_row_get_selected_item (self->currency_row)),
                    draft->currency) != 0)
    {
      /* A currency outside the short list stays choosable. */
      gtk_string_list_append (GTK_STRING_LIST (currencies), draft->currency);
      adw_combo_row_set_selected (self->currency_row, n_currencies);
    }

  close = date_for_entry (draft->expected_close);
  gtk_editable_set_text (GTK_EDITABLE (self->title_row), draft->title != NULL ? draft->title : "");
  gtk_editable_set_text (GTK_EDITABLE (self->value_row),
                         draft->value != NULL && deal_id != 0 ? draft->value : "");
  gtk_editable_set_text (GTK_EDITABLE (self->close_row), close);
  gtk_editable_set_text (GTK_EDITABLE (self->owner_row), draft->owner != NULL ? draft->owner : "");
  gtk_editable_set_text (GTK_EDITABLE (self->lost_row),
                         draft->lost_reason != NULL ? draft->lost_reason : "");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->notes_view),
                            draft->notes != NULL ? draft->notes : "", -1);
  gtk_widget_grab_focus (GTK_WIDGET (self->title_row));

  return self;
}
