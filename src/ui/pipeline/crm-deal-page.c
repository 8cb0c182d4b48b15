/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-deal-page"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-contact-page.h"
#include "crm-deal-editor.h"
#include "crm-deal-page.h"
#include "crm-format.h"
#include "crm-pipeline.h"
#include "crm-text.h"

struct _CrmDealPage
{
  AdwWindow        parent_instance;

  /* template widgets */
  AdwWindowTitle  *window_title;
  GtkWidget       *edit_button;
  GtkWidget       *more_button;
  AdwToastOverlay *toast_overlay;
  GtkLabel        *title_label;
  GtkLabel        *value_label;
  GtkLabel        *stage_label;
  GtkLabel        *close_label;
  GtkFlowBox      *pills_box;
  GtkListBox      *details_list;
  GtkWidget       *custom_group;
  GtkListBox      *custom_list;
  GtkWidget       *scrolled_window;
  GtkListBox      *history_list;
  GtkListBox      *interactions_list;
  GtkListBox      *tasks_list;

  /* owned references */
  CrmStore        *store;
  CrmDealDetail   *detail;

  /* state */
  gint64           deal_id;
  guint            reload_source;
};

G_DEFINE_FINAL_TYPE (CrmDealPage, crm_deal_page, ADW_TYPE_WINDOW)

enum {
  OPEN_CONTACT,
  OPEN_COMPANY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Helpers */

/* "Jun 15, 2026 at 14:05" in English, "15/06/2026 lúc 14:05" in Vietnamese. */
static char *
format_date_time (gint64 utc)
{
  g_autoptr (GDateTime) local = g_date_time_new_from_unix_local (utc);
  g_autofree char *date = crm_format_timestamp_date (utc);
  g_autofree char *time = NULL;

  if (local == NULL || date == NULL)
    return NULL;
  time = g_date_time_format (local, "%H:%M");

  /* Translators: a date, then a time of day: "Jun 15, 2026 at 14:05". */
  return g_strdup_printf (_("%1$s at %2$s"), date, time);
}

static void
rebuild_header (CrmDealPage *self)
{
  const CrmDealDetail *detail = self->detail;
  g_autofree char *value = crm_money_format (detail->value, detail->currency);
  g_autofree char *stage = NULL;
  g_autofree char *probability = NULL;
  g_autofree char *close = crm_format_date (detail->expected_close);
  gboolean has_pills = FALSE;

  gtk_window_set_title (GTK_WINDOW (self), detail->title);
  adw_window_title_set_subtitle (self->window_title,
                                 detail->pipeline != NULL ? detail->pipeline : "");
  gtk_label_set_text (self->title_label, detail->title);
  gtk_label_set_text (self->value_label, value);

  /* Translators: a deal's stage and the stage's win probability,
   * "Proposal sent · 50 %". */
  stage = g_strdup_printf (_("%s · %d %%"), detail->stage, detail->probability);
  gtk_label_set_text (self->stage_label, stage);
  /* Translators: the tooltip of "Proposal sent · 50 %". */
  probability = g_strdup_printf (_("Win probability %d %%"), detail->probability);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->stage_label), probability);

  if (close != NULL)
    {
      g_autofree char *text = NULL;

      if (detail->overdue)
        /* Translators: a deal's expected close date that has passed. */
        text = g_strdup_printf (_("Expected to close %s, overdue"), close);
      else
        text = g_strdup_printf (_("Expected to close %s"), close);
      gtk_label_set_text (self->close_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->close_label), close != NULL);
  if (detail->overdue)
    gtk_widget_add_css_class (GTK_WIDGET (self->close_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->close_label), "error");

  crm_page_clear_flow_box (self->pills_box);
  if (detail->stage_kind != CRM_STAGE_OPEN)
    {
      crm_page_add_pill (self->pills_box, crm_format_deal_status (detail->status),
                         detail->stage_kind == CRM_STAGE_WON ? "accent" : NULL);
      has_pills = TRUE;
    }
  if (detail->idle)
    {
      crm_page_add_pill (self->pills_box, _("Idle"), "warning");
      has_pills = TRUE;
    }
  if (detail->archived)
    {
      crm_page_add_pill (self->pills_box, _("Archived"), "warning");
      has_pills = TRUE;
    }
  for (guint i = 0; detail->tags != NULL && detail->tags[i] != NULL; i++)
    {
      crm_page_add_pill (self->pills_box, detail->tags[i], NULL);
      has_pills = TRUE;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->pills_box), has_pills);
}

static void
add_record_row (CrmDealPage *self,
                CrmRows     *rows,
                const char  *name,
                const char  *what,
                const char  *action_name,
                gint64       id,
                guint        signal_id,
                const char  *tooltip)
{
  GtkWidget *row;

  if (id == 0 || crm_text_is_blank (name))
    return;

  row = crm_page_rows_add (rows, name, what);
  /* A row that leads nowhere is not offered as one that does. */
  if (g_signal_has_handler_pending (self, signal_id, 0, TRUE))
    crm_page_row_set_action (row, action_name, g_variant_new_int64 (id), "go-next-symbolic",
                             tooltip);
}

static void
add_date_row (CrmRows    *rows,
              gint64      utc,
              const char *what)
{
  g_autofree char *date = utc != 0 ? crm_format_timestamp_date (utc) : NULL;

  crm_page_rows_add_text (rows, date, what);
}

static void
rebuild_details (CrmDealPage *self)
{
  const CrmDealDetail *detail = self->detail;
  CrmRows rows;

  crm_page_rows_begin (&rows, self->details_list);

  add_record_row (self, &rows, detail->contact_name, _("Contact"), "deal.open-contact",
                  detail->contact_id, signals[OPEN_CONTACT], _("Open the contact"));
  add_record_row (self, &rows, detail->company_name, _("Company"), "deal.open-company",
                  detail->company_id, signals[OPEN_COMPANY], _("Open the company"));
  crm_page_rows_add_text (&rows, detail->owner, _("Owner"));
  if (detail->stage_kind == CRM_STAGE_LOST)
    crm_page_rows_add_text (&rows, detail->lost_reason, _("Lost reason"));
  crm_page_rows_add_text (&rows, detail->notes, _("Notes"));
  if (detail->stage_kind == CRM_STAGE_OPEN)
    add_date_row (&rows, detail->stage_entered, _("In this stage since"));
  else
    add_date_row (&rows, detail->closed, _("Closed"));
  add_date_row (&rows, detail->created, _("Created"));

  crm_page_rows_end (&rows);
}

/* The custom fields that have a value, as the contact page shows them;
 * the group hides when none has. */
static void
rebuild_custom (CrmDealPage *self)
{
  GPtrArray *values = self->detail->custom_values;
  CrmRows rows;

  crm_page_rows_begin (&rows, self->custom_list);

  for (guint i = 0; i < values->len; i++)
    {
      const CrmCustomValue *value = g_ptr_array_index (values, i);
      g_autofree char *text = crm_format_custom_value (value->type, value->options,
                                                       value->value);

      if (text == NULL)
        continue;
      crm_page_rows_add (&rows, text, value->label);
    }

  gtk_widget_set_visible (self->custom_group, crm_page_rows_end (&rows) > 0);
}

static void
rebuild_history (CrmDealPage *self)
{
  GPtrArray *history = self->detail->history;
  CrmRows rows;

  crm_page_rows_begin (&rows, self->history_list);

  /* The latest change first, down to the creation. */
  for (guint i = history->len; i > 0; i--)
    {
      const CrmStageChange *change = g_ptr_array_index (history, i - 1);
      g_autofree char *title = NULL;
      g_autofree char *when = format_date_time (change->time);
      g_autoptr (GString) subtitle = g_string_new (when);

      if (change->from_stage == NULL)
        /* Translators: the first entry of a deal's stage history. */
        title = g_strdup_printf (_("Created in %s"), change->to_stage);
      else
        /* Translators: a deal's move between stages, "Qualified → Proposal sent". */
        title = g_strdup_printf (_("%s → %s"), change->from_stage, change->to_stage);

      if (change->user != NULL)
        {
          if (subtitle->len > 0)
            g_string_append (subtitle, " · ");
          g_string_append (subtitle, change->user);
        }
      crm_page_rows_add (&rows, title, subtitle->str);
    }

  crm_page_rows_end (&rows);
}

static void
add_empty_row (CrmRows    *rows,
               const char *text)
{
  GtkWidget *row = crm_page_rows_add (rows, text, NULL);

  gtk_widget_add_css_class (row, "dim-label");
}

/* The subject when there is one, else the body; the kind, the person and
 * the date under it. */
static void
rebuild_interactions (CrmDealPage *self)
{
  GPtrArray *interactions = self->detail->interactions;
  CrmRows rows;

  crm_page_rows_begin (&rows, self->interactions_list);

  for (guint i = 0; i < interactions->len; i++)
    {
      const CrmInteractionSummary *interaction = g_ptr_array_index (interactions, i);
      const char *kind = crm_format_interaction_kind (interaction->kind);
      g_autofree char *date = crm_format_timestamp_date (interaction->happened);
      g_autoptr (GString) subtitle = g_string_new (NULL);
      const char *title = interaction->subject;

      if (crm_text_is_blank (title))
        title = interaction->body;
      else if (!crm_text_is_blank (interaction->body))
        g_string_append_printf (subtitle, "%s\n", interaction->body);
      if (crm_text_is_blank (title))
        title = kind;

      g_string_append (subtitle, kind);
      if (!crm_text_is_blank (interaction->contact_name))
        g_string_append_printf (subtitle, " · %s", interaction->contact_name);
      if (date != NULL)
        g_string_append_printf (subtitle, " · %s", date);
      crm_page_rows_add (&rows, title, subtitle->str);
    }
  if (interactions->len == 0)
    add_empty_row (&rows, _("No interactions yet"));

  crm_page_rows_end (&rows);
}

static void
rebuild_tasks (CrmDealPage *self)
{
  GPtrArray *tasks = self->detail->tasks;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  CrmRows rows;

  crm_page_rows_begin (&rows, self->tasks_list);

  for (guint i = 0; i < tasks->len; i++)
    {
      const CrmDealTask *task = g_ptr_array_index (tasks, i);
      g_autofree char *due = task->due != 0 ? format_date_time (task->due) : NULL;
      g_autofree char *subtitle = NULL;
      GtkWidget *row;

      if (due != NULL)
        /* Translators: when a task is due, "Due Jun 15, 2026 at 14:05". */
        subtitle = g_strdup_printf (_("Due %s"), due);
      row = crm_page_rows_add (&rows, task->title, subtitle != NULL ? subtitle : _("No due date"));

      if (task->done)
        {
          gtk_widget_add_css_class (row, "dim-label");
          crm_page_row_set_suffix (row, C_("task", "Done"), "dim-label");
        }
      else if (task->due != 0 && task->due < now)
        {
          crm_page_row_set_suffix (row, C_("task", "Overdue"), "error");
        }
    }
  if (tasks->len == 0)
    add_empty_row (&rows, _("No tasks yet"));

  crm_page_rows_end (&rows);
}

static void
rebuild (CrmDealPage *self)
{
  if (self->detail == NULL)
    return;

  rebuild_header (self);
  rebuild_details (self);
  rebuild_custom (self);
  rebuild_history (self);
  rebuild_interactions (self);
  rebuild_tasks (self);
}

static void
show_toast (CrmDealPage *self,
            const char  *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Loads the deal; FALSE with @error set when that fails. */
static gboolean
load (CrmDealPage  *self,
      GError      **error)
{
  CrmDealDetail *detail = crm_deal_detail_load (self->store, self->deal_id, error);

  if (detail == NULL)
    return FALSE;

  g_clear_pointer (&self->detail, crm_deal_detail_free);
  self->detail = detail;
  rebuild (self);
  return TRUE;
}

static gboolean
reload_cb (gpointer user_data)
{
  CrmDealPage *self = user_data;

  self->reload_source = 0;
  crm_deal_page_reload (self);

  return G_SOURCE_REMOVE;
}

static void
queue_reload (CrmDealPage *self)
{
  if (self->reload_source == 0)
    self->reload_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, reload_cb, self, NULL);
}

/* Callbacks */

static void
on_store_changed (CrmStore    *store,
                  const char  *entity,
                  gint64       id,
                  CrmDealPage *self)
{
  /* Other deals, saved filters, tags and rates change nothing here; a
   * contact's change may be their name or one of their interactions or
   * tasks, and stages and pipelines may have been renamed. */
  if (g_str_equal (entity, "deal") && id != 0 && id != self->deal_id)
    return;
  if (g_str_equal (entity, "segment") || g_str_equal (entity, "tag")
      || g_str_equal (entity, "currency"))
    return;

  queue_reload (self);
}

static void
on_list_row_activated (GtkListBox    *list,
                       GtkListBoxRow *row,
                       CrmDealPage   *self)
{
  crm_page_activate_row (GTK_WIDGET (self), row);
}

static void
on_editor_saved (CrmDealEditor *editor,
                 gint64         deal_id,
                 CrmDealPage   *self)
{
  crm_deal_page_reload (self);
}

/* Actions */

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CrmDealPage *self = CRM_DEAL_PAGE (widget);
  g_autoptr (GError) error = NULL;
  CrmDealEditor *editor;

  if (self->detail == NULL)
    return;

  editor = crm_deal_editor_new (self->store, self->detail->pipeline_id, self->deal_id, 0, &error);
  if (editor == NULL)
    {
      show_toast (self, error->message);
      return;
    }
  gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (self));
  gtk_window_set_modal (GTK_WINDOW (editor), TRUE);
  g_signal_connect_object (editor, "saved", G_CALLBACK (on_editor_saved), self, 0);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
open_record_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  gboolean company = g_str_equal (action_name, "deal.open-company");

  g_signal_emit (widget, signals[company ? OPEN_COMPANY : OPEN_CONTACT], 0,
                 g_variant_get_int64 (parameter));
}

/* The export, made before asking where to save it so that a failure
 * shows at once; NULL after a toast says what went wrong. */
static char *
make_export (CrmDealPage *self)
{
  g_autoptr (GError) error = NULL;
  char *contents = crm_deal_export_json (self->store, self->deal_id, &error);

  if (contents == NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: the first %s is a deal's title, the second what went wrong. */
      message = g_strdup_printf (_("Cannot export %s: %s"), self->detail->title, error->message);
      crm_page_show_toast (self->scrolled_window, message);
    }

  return contents;
}

static void
export_json_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CrmDealPage *self = CRM_DEAL_PAGE (widget);
  g_autofree char *file_name = NULL;
  char *contents;

  if (self->detail == NULL || (contents = make_export (self)) == NULL)
    return;

  file_name = crm_format_file_name (self->detail->title, C_("file name", "deal"), "json");
  /* The scrolled window's toast overlay shows how the writing went. */
  crm_page_choose_export_file (self->scrolled_window, _("Export as JSON"), file_name, contents);
}

/* GObject */

static void
crm_deal_page_show (GtkWidget *widget)
{
  CrmDealPage *self = CRM_DEAL_PAGE (widget);

  /* Whether the contact and company rows lead somewhere is known once
   * the caller has connected to the page, before it shows it. */
  if (self->detail != NULL)
    rebuild_details (self);

  GTK_WIDGET_CLASS (crm_deal_page_parent_class)->show (widget);
}

static void
crm_deal_page_dispose (GObject *object)
{
  CrmDealPage *self = CRM_DEAL_PAGE (object);

  g_clear_handle_id (&self->reload_source, g_source_remove);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (crm_deal_page_parent_class)->dispose (object);
}

static void
crm_deal_page_finalize (GObject *object)
{
  CrmDealPage *self = CRM_DEAL_PAGE (object);

  g_clear_pointer (&self->detail, crm_deal_detail_free);

  G_OBJECT_CLASS (crm_deal_page_parent_class)->finalize (object);
}

static void
crm_deal_page_class_init (CrmDealPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_deal_page_dispose;
  object_class->finalize = crm_deal_page_finalize;
  widget_class->show = crm_deal_page_show;

  signals[OPEN_CONTACT] = g_signal_new ("open-contact", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[OPEN_COMPANY] = g_signal_new ("open-company", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/crm-deal-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmDealPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, CrmDealPage, edit_button);
  gtk_widget_class_bind_template_child (widget_class, CrmDealPage, more_button);
  gtk_widget_class_bind_template_child (widget_class, CrmDealPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CrmDealPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, CrmDealPage, value_label);
  gtk_widget_class_bind_template_child (widget_class, CrmDealPage, stage_label);
  gtk_widget_class_bind_template_child (widget_class, CrmDealPage, close_label);
  gtk_widget_class_bind_template_child (widget_class, CrmDealPage, pills_box);
  gtk_widget_class_bind_template_child (widget_class, CrmDealPage, details_list);
  gtk_widget_class_bind_template_child (widget_class, CrmDealPage, custom_group);
  gtk_widget_class_bind_template_child (widget_class, CrmDealPage, custom_list);
  gtk_widget_class_bind_template_child (widget_class, CrmDealPage, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, CrmDealPage, history_list);
  gtk_widget_class_bind_template_child (widget_class, CrmDealPage, interactions_list);
  gtk_widget_class_bind_template_child (widget_class, CrmDealPage, tasks_list);
  gtk_widget_class_bind_template_callback (widget_class, on_list_row_activated);

  gtk_widget_class_install_action (widget_class, "deal.edit", NULL, edit_action);
  gtk_widget_class_install_action (widget_class, "deal.open-contact", "x", open_record_action);
  gtk_widget_class_install_action (widget_class, "deal.open-company", "x", open_record_action);
  gtk_widget_class_install_action (widget_class, "deal.export-json", NULL, export_json_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "deal.edit",
                                       NULL);
}

static void
crm_deal_page_init (CrmDealPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  crm_page_ensure_style (GTK_WIDGET (self));
}

/* Public API */

/**
 * crm_deal_page_new:
 *
 * Returns: (transfer none): the page, a toplevel that GTK keeps until it
 *   is closed; or %NULL with @error set when the deal cannot be read
 */
CrmDealPage *
crm_deal_page_new (CrmStore  *store,
                   gint64     deal_id,
                   GError   **error)
{
  CrmDealPage *self;

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);

  self = g_object_new (CRM_TYPE_DEAL_PAGE, NULL);
  self->store = g_object_ref (store);
  self->deal_id = deal_id;
  if (!load (self, error))
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return NULL;
    }
  g_signal_connect_object (store, "changed", G_CALLBACK (on_store_changed), self, 0);

  return self;
}

gint64
crm_deal_page_get_deal_id (CrmDealPage *self)
{
  g_return_val_if_fail (CRM_IS_DEAL_PAGE (self), 0);

  return self->deal_id;
}

const CrmDealDetail *
crm_deal_page_get_detail (CrmDealPage *self)
{
  g_return_val_if_fail (CRM_IS_DEAL_PAGE (self), NULL);

  return self->detail;
}

void
crm_deal_page_reload (CrmDealPage *self)
{
  g_autoptr (GError) error = NULL;

  g_return_if_fail (CRM_IS_DEAL_PAGE (self));

  g_clear_handle_id (&self->reload_source, g_source_remove);
  if (self->store == NULL || load (self, &error))
    return;

  if (g_error_matches (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND))
    gtk_window_close (GTK_WINDOW (self));
  else
    show_toast (self, error->message);
}

/**
 * crm_deal_page_export_json:
 * @file: where to write
 *
 * Writes the deal to @file in the background, as "Export as JSON…" does
 * after asking where; a toast says how it went.
 */
void
crm_deal_page_export_json (CrmDealPage *self,
                           GFile       *file)
{
  char *contents;

  g_return_if_fail (CRM_IS_DEAL_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->detail != NULL && (contents = make_export (self)) != NULL)
    crm_page_write_file (self->scrolled_window, file, contents);
}
