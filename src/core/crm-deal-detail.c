/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-deal-detail"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "crm-deal-detail.h"
#include "crm-record.h"

/* Where a stage id leads: the stage as shown and its pipeline. Both are
 * borrowed from the pipelines list that the load keeps alive. */
typedef struct
{
  const CrmStage    *stage;
  const CrmPipeline *pipeline;
} StageEntry;

static void
finalize_stmt (sqlite3_stmt *stmt)
{
  sqlite3_finalize (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, finalize_stmt)

/* Steps a query: 1 for a row, 0 when done, -1 with @error set. */
static int
next_row (CrmStore      *store,
          sqlite3_stmt  *stmt,
          GError       **error)
{
  return crm_store_next_row (store, stmt, _("Cannot read the deal"), error);
}

/* Every stage of every pipeline by id: a history names stages of any
 * pipeline the deal went through. */
static GHashTable *
index_stages (GPtrArray *pipelines)
{
  GHashTable *stages = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);

  for (guint i = 0; i < pipelines->len; i++)
    {
      const CrmPipeline *pipeline = g_ptr_array_index (pipelines, i);

      for (guint k = 0; k < pipeline->stages->len; k++)
        {
          CrmStage *stage = g_ptr_array_index (pipeline->stages, k);
          StageEntry *entry = g_new0 (StageEntry, 1);

          entry->stage = stage;
          entry->pipeline = pipeline;
          g_hash_table_insert (stages, &stage->id, entry);
        }
    }

  return stages;
}

static char *
stage_name (GHashTable *stages,
            gint64      id)
{
  const StageEntry *entry = g_hash_table_lookup (stages, &id);

  if (entry == NULL)
    return g_strdup (_("Removed stage"));

  return g_strdup (entry->stage->name);
}

static CrmStageChange *
stage_change_new (GHashTable *stages,
                  gint64      time,
                  const char *user,
                  gint64      from_stage_id,
                  gint64      to_stage_id)
{
  CrmStageChange *change = g_new0 (CrmStageChange, 1);

  change->time = time;
  change->user = g_strdup (user);
  change->from_stage_id = from_stage_id;
  if (from_stage_id != 0)
    change->from_stage = stage_name (stages, from_stage_id);
  change->to_stage_id = to_stage_id;
  if (to_stage_id != 0)
    change->to_stage = stage_name (stages, to_stage_id);

  return change;
}

static gboolean
load_main (CrmDealDetail  *detail,
           CrmStore       *store,
           GError        **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = crm_store_prepare (store,
                            "SELECT d.title, d.value, d.currency, d.stage_id, d.status, "
                            "d.stage_entered, d.expected_close, d.owner, d.notes, d.lost_reason, "
                            "d.closed, d.contact_id, c.display_name, d.company_id, co.name, "
                            "d.created, d.updated, d.archived "
                            "FROM deal d LEFT JOIN contact c ON c.id = d.contact_id "
                            "LEFT JOIN company co ON co.id = d.company_id WHERE d.id = ?1",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, detail->id);
  rc = next_row (store, stmt, error);
  if (rc < 0)
    return FALSE;
  if (rc == 0)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                   _("There is no deal %lld"), (long long) detail->id);
      return FALSE;
    }

  detail->title = crm_column_dup (stmt, 0);
  detail->value = sqlite3_column_int64 (stmt, 1);
  detail->currency = crm_column_dup (stmt, 2);
  detail->stage_id = sqlite3_column_int64 (stmt, 3);
  detail->status = crm_column_dup (stmt, 4);
  detail->stage_entered = sqlite3_column_int64 (stmt, 5);
  detail->expected_close = crm_column_dup (stmt, 6);
  detail->owner = crm_column_dup (stmt, 7);
  detail->notes = crm_column_dup (stmt, 8);
  detail->lost_reason = crm_column_dup (stmt, 9);
  detail->closed = sqlite3_column_int64 (stmt, 10);
  detail->contact_id = sqlite3_column_int64 (stmt, 11);
  detail->contact_name = crm_column_dup (stmt, 12);
  detail->company_id = sqlite3_column_int64 (stmt, 13);
  detail->company_name = crm_column_dup (stmt, 14);
  detail->created = sqlite3_column_int64 (stmt, 15);
  detail->updated = sqlite3_column_int64 (stmt, 16);
  detail->archived = sqlite3_column_int (stmt, 17) != 0;

  return TRUE;
}

static void
set_stage (CrmDealDetail *detail,
           GHashTable    *stages,
           gint64         now,
           GTimeZone     *tz)
{
  const StageEntry *entry = g_hash_table_lookup (stages, &detail->stage_id);
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (now);
  g_autoptr (GDateTime) local = NULL;
  g_autofree char *today = NULL;
  int idle_days = 0;

  detail->stage = stage_name (stages, detail->stage_id);
  detail->stage_kind = CRM_STAGE_OPEN;
  if (entry != NULL)
    {
      detail->stage_kind = entry->stage->kind;
      detail->probability = entry->stage->probability;
      detail->pipeline_id = entry->pipeline->id;
      detail->pipeline = g_strdup (entry->pipeline->name);
      idle_days = entry->stage->idle_days;
    }

  if (detail->stage_kind != CRM_STAGE_OPEN)
    return;

  detail->idle = crm_deal_is_idle (detail->stage_entered, idle_days, now, tz);

  /* Overdue as the board counts it: the close date is before today. */
  if (utc != NULL && detail->expected_close != NULL)
    {
      local = g_date_time_to_timezone (utc, tz);
      today = g_date_time_format (local, "%Y-%m-%d");
      detail->overdue = strcmp (detail->expected_close, today) < 0;
    }
}

/* The stage changes the audit log keeps for the deal: its insert and the
 * updates whose changes hold a new stage_id. Rows written before the last
 * delete of this id belong to an earlier deal that had the same id. */
static gboolean
load_history (CrmDealDetail  *detail,
              CrmStore       *store,
              GHashTable     *stages,
              GError        **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  CrmStageChange *first;
  int rc;

  stmt = crm_store_prepare (store,
                            "SELECT at, who, json_extract(changes, '$.old.stage_id'), "
                            "json_extract(changes, '$.new.stage_id') "
                            "FROM audit_log WHERE entity = 'deal' AND entity_id = ?1 "
                            "AND id > ifnull((SELECT max(id) FROM audit_log "
                            "WHERE entity = 'deal' AND entity_id = ?1 AND action = 'delete'), 0) "
                            "AND json_extract(changes, '$.new.stage_id') IS NOT NULL "
                            "ORDER BY id",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, detail->id);
  while ((rc = next_row (store, stmt, error)) > 0)
    {
      /* An insert has no old stage_id: 0, the creation entry. */
      g_ptr_array_add (detail->history,
                       stage_change_new (stages, sqlite3_column_int64 (stmt, 0),
                                         (const char *) sqlite3_column_text (stmt, 1),
                                         sqlite3_column_int64 (stmt, 2),
                                         sqlite3_column_int64 (stmt, 3)));
    }
  if (rc < 0)
    return FALSE;

  /* When the audit row of the creation is gone (erased, or written by an
   * older Rapport), the deal was still made somewhere: in the stage its
   * first recorded move left, else the one it is in. */
  first = detail->history->len > 0 ? g_ptr_array_index (detail->history, 0) : NULL;
  if (first == NULL || first->from_stage_id != 0)
    g_ptr_array_insert (detail->history, 0,
                        stage_change_new (stages, detail->created, NULL, 0,
                                          first != NULL ? first->from_stage_id
                                                        : detail->stage_id));

  return TRUE;
}

static gboolean
load_interactions (CrmDealDetail  *detail,
                   CrmStore       *store,
                   GError        **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = crm_store_prepare (store,
                            "SELECT i.id, i.contact_id, i.kind, i.subject, i.body, i.happened, "
                            "i.sentiment, i.satisfaction, i.amount, i.currency, c.display_name "
                            "FROM interaction i LEFT JOIN contact c ON c.id = i.contact_id "
                            "WHERE i.deal_id = ?1 ORDER BY i.happened DESC, i.id DESC",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, detail->id);
  while ((rc = next_row (store, stmt, error)) > 0)
    g_ptr_array_add (detail->interactions, crm_interaction_summary_from_row (stmt));

  return rc == 0;
}

/* Open tasks first, the earliest due first and those without a due time
 * after them; then the done ones, the last done first. */
static gboolean
load_tasks (CrmDealDetail  *detail,
            CrmStore       *store,
            GError        **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = crm_store_prepare (store,
                            "SELECT id, title, due, done, done_at, priority FROM task "
                            "WHERE deal_id = ?1 ORDER BY done, "
                            "CASE WHEN done = 0 THEN due IS NULL END, "
                            "CASE WHEN done = 0 THEN due END, "
                            "CASE WHEN done = 0 THEN -priority ELSE -ifnull(done_at, 0) END, id",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, detail->id);
  while ((rc = next_row (store, stmt, error)) > 0)
    {
      CrmDealTask *task = g_new0 (CrmDealTask, 1);

      task->id = sqlite3_column_int64 (stmt, 0);
      task->title = crm_column_dup (stmt, 1);
      task->due = sqlite3_column_int64 (stmt, 2);
      task->done = sqlite3_column_int (stmt, 3) != 0;
      task->done_at = sqlite3_column_int64 (stmt, 4);
      task->priority = sqlite3_column_int (stmt, 5);
      g_ptr_array_add (detail->tasks, task);
    }

  return rc == 0;
}

/* The tags by folded name; every custom field of deals with the value the
 * deal has, as the contact's are read. */
static gboolean
load_tags_and_custom (CrmDealDetail  *detail,
                      CrmStore       *store,
                      GError        **error)
{
  g_autoptr (GPtrArray) custom = NULL;

  detail->tags = crm_record_load_tags (store, "deal_tag", "deal_id", detail->id,
                                       CRM_RECORD_TAGS_BY_FOLDED_NAME,
                                       _("Cannot read the deal"), error);
  if (detail->tags == NULL)
    return FALSE;

  custom = crm_record_load_custom_values (store, CRM_FIELD_ENTITY_DEAL, detail->id,
                                          _("Cannot read the deal"), error);
  if (custom == NULL)
    return FALSE;
  g_ptr_array_extend_and_steal (detail->custom_values, g_steal_pointer (&custom));

  return TRUE;
}

void
crm_stage_change_free (CrmStageChange *change)
{
  if (change == NULL)
    return;

  g_free (change->user);
  g_free (change->from_stage);
  g_free (change->to_stage);
  g_free (change);
}

void
crm_deal_task_free (CrmDealTask *task)
{
  if (task == NULL)
    return;

  g_free (task->title);
  g_free (task);
}

void
crm_deal_detail_free (CrmDealDetail *detail)
{
  if (detail == NULL)
    return;

  g_free (detail->title);
  g_free (detail->currency);
  g_free (detail->stage);
  g_free (detail->pipeline);
  g_free (detail->status);
  g_free (detail->expected_close);
  g_free (detail->owner);
  g_free (detail->notes);
  g_free (detail->lost_reason);
  g_free (detail->contact_name);
  g_free (detail->company_name);
  g_clear_pointer (&detail->history, g_ptr_array_unref);
  g_clear_pointer (&detail->interactions, g_ptr_array_unref);
  g_clear_pointer (&detail->tasks, g_ptr_array_unref);
  g_strfreev (detail->tags);
  g_clear_pointer (&detail->custom_values, g_ptr_array_unref);
  g_free (detail);
}

/**
 * crm_deal_detail_load_at:
 * @now: the time the idle and overdue flags are taken at, UTC seconds
 * @tz: the time zone whose calendar days they count
 *
 * Reads a deal with its stage history, interactions, tasks, tags and
 * custom values. Every
 * query is a lookup by an index on the deal's id.
 *
 * Returns: (transfer full): the deal, or %NULL with @error set
 *   (CRM_STORE_ERROR_NOT_FOUND when there is no such deal)
 */
CrmDealDetail *
crm_deal_detail_load_at (CrmStore   *store,
                         gint64      deal_id,
                         gint64      now,
                         GTimeZone  *tz,
                         GError    **error)
{
  g_autoptr (CrmDealDetail) detail = NULL;
  g_autoptr (GPtrArray) pipelines = NULL;
  g_autoptr (GHashTable) stages = NULL;

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);
  g_return_val_if_fail (tz != NULL, NULL);

  detail = g_new0 (CrmDealDetail, 1);
  detail->id = deal_id;
  detail->history = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_stage_change_free);
  detail->interactions =
    g_ptr_array_new_with_free_func ((GDestroyNotify) crm_interaction_summary_free);
  detail->tasks = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_deal_task_free);
  detail->custom_values =
    g_ptr_array_new_with_free_func ((GDestroyNotify) crm_custom_value_free);

  if (!load_main (detail, store, error))
    return NULL;

  pipelines = crm_pipelines_list (store, error);
  if (pipelines == NULL)
    return NULL;
  stages = index_stages (pipelines);
  set_stage (detail, stages, now, tz);

  if (!load_history (detail, store, stages, error)
      || !load_interactions (detail, store, error)
      || !load_tasks (detail, store, error)
      || !load_tags_and_custom (detail, store, error))
    return NULL;

  return g_steal_pointer (&detail);
}

/**
 * crm_deal_detail_load:
 *
 * crm_deal_detail_load_at() now, in the local time zone.
 *
 * Returns: (transfer full): the deal, or %NULL with @error set
 */
CrmDealDetail *
crm_deal_detail_load (CrmStore  *store,
                      gint64     deal_id,
                      GError   **error)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_local ();

  return crm_deal_detail_load_at (store, deal_id, g_get_real_time () / G_USEC_PER_SEC, tz,
                                  error);
}

static void
add_time (JsonBuilder *builder,
          const char  *member,
          gint64       utc)
{
  g_autoptr (GDateTime) time = utc != 0 ? g_date_time_new_from_unix_utc (utc) : NULL;
  g_autofree char *text = time != NULL ? g_date_time_format_iso8601 (time) : NULL;

  crm_json_add_string (builder, member, text);
}

/**
 * crm_deal_export_json:
 *
 * The deal with everything the deal page shows, for export or for
 * another program. Stage names are written as shown (built-in ones
 * translated), with their ids beside them.
 *
 * Returns: (transfer full): the JSON text, or %NULL with @error set
 */
char *
crm_deal_export_json (CrmStore  *store,
                      gint64     deal_id,
                      GError   **error)
{
  g_autoptr (CrmDealDetail) detail = NULL;
  g_autoptr (JsonBuilder) builder = NULL;

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);

  detail = crm_deal_detail_load (store, deal_id, error);
  if (detail == NULL)
    return NULL;

  builder = crm_export_begin (store, "rapport-deal");

  json_builder_set_member_name (builder, "deal");
  if (!crm_export_rows (store, builder, NULL, "SELECT * FROM deal WHERE id = ?1", deal_id,
                        error))
    return NULL;

  crm_json_add_named (builder, "pipeline", detail->pipeline_id, NULL, detail->pipeline);
  crm_json_add_named (builder, "stage", detail->stage_id, NULL, detail->stage);
  crm_json_add_named (builder, "contact", detail->contact_id, NULL, detail->contact_name);
  crm_json_add_named (builder, "company", detail->company_id, NULL, detail->company_name);

  json_builder_set_member_name (builder, "tags");
  json_builder_begin_array (builder);
  for (guint i = 0; detail->tags[i] != NULL; i++)
    json_builder_add_string_value (builder, detail->tags[i]);
  json_builder_end_array (builder);

  crm_export_custom_values (builder, detail->custom_values);

  json_builder_set_member_name (builder, "stage_history");
  json_builder_begin_array (builder);
  for (guint i = 0; i < detail->history->len; i++)
    {
      const CrmStageChange *change = g_ptr_array_index (detail->history, i);

      json_builder_begin_object (builder);
      add_time (builder, "time", change->time);
      crm_json_add_string (builder, "user", change->user);
      json_builder_set_member_name (builder, "from_stage_id");
      if (change->from_stage_id != 0)
        json_builder_add_int_value (builder, change->from_stage_id);
      else
        json_builder_add_null_value (builder);
      crm_json_add_string (builder, "from_stage", change->from_stage);
      json_builder_set_member_name (builder, "to_stage_id");
      if (change->to_stage_id != 0)
        json_builder_add_int_value (builder, change->to_stage_id);
      else
        json_builder_add_null_value (builder);
      crm_json_add_string (builder, "to_stage", change->to_stage);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  if (!crm_export_rows (store, builder, "interactions",
                        "SELECT * FROM interaction WHERE deal_id = ?1 ORDER BY happened, id",
                        deal_id, error)
      || !crm_export_rows (store, builder, "tasks",
                           "SELECT * FROM task WHERE deal_id = ?1 ORDER BY id", deal_id, error))
    return NULL;

  json_builder_end_object (builder);
  return crm_json_to_string (builder);
}
