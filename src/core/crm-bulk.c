/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-bulk"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "crm-bulk.h"

/* How a bulk change stays fast at a hundred thousand contacts: the ids go
 * into a temporary table once, and every step is one statement over it
 * (a set), run in a few chunks of ids for progress and cancel. The search
 * index of re-tagged contacts is rebuilt the same way in deferred mode
 * (crm_store_set_deferred()), rather than by the per-row triggers, which
 * flush the index at every row; so are the audit rows of updated contacts,
 * once the audit trigger lets deferred mode skip it. Until a trigger does,
 * it does its work itself and the set-based step is left out. */
#define N_CHUNKS 10
#define FILL_CHECK_EVERY 16384
#define PROGRESS_STEP 0.05
/* Steps that take longer than this are traced with g_debug(). */
#define SLOW_STEP_USEC 250000

typedef enum {
  COLUMN_INT,
  COLUMN_TEXT,
} ColumnType;

typedef struct
{
  gboolean  is_null;
  gint64    i;
  char     *s;
} Value;

/* Contacts that had the same value before the change. */
typedef struct
{
  Value   value;
  GArray *ids;  /* gint64, ascending */
} Group;

struct _CrmBulkUndo
{
  CrmBulkKind  kind;
  gint64       tag_id;
  Value        new_value;  /* what the change set */
  GPtrArray   *groups;     /* Group; for tags, one group of the contacts changed */
  guint        n_changed;
  gboolean     done;
};

typedef struct
{
  CrmStore        *store;
  sqlite3         *db;
  CrmBulkProgress  progress;
  gpointer         user_data;
  GCancellable    *cancellable;
  double           reported;
  guint            changed;   /* contacts changed so far */
} Run;

/* Helpers */

static void
value_clear (Value *value)
{
  g_clear_pointer (&value->s, g_free);
}

static void
group_free (gpointer data)
{
  Group *group = data;

  value_clear (&group->value);
  g_array_unref (group->ids);
  g_free (group);
}

static Group *
group_new (const Value *value)
{
  Group *group = g_new0 (Group, 1);

  group->value = *value;
  group->value.s = g_strdup (value->s);
  group->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  return group;
}

static CrmBulkUndo *
undo_new (CrmBulkKind kind)
{
  CrmBulkUndo *undo = g_new0 (CrmBulkUndo, 1);

  undo->kind = kind;
  undo->groups = g_ptr_array_new_with_free_func (group_free);
  return undo;
}

static const char *
column_for (CrmBulkKind  kind,
            ColumnType  *type)
{
  *type = COLUMN_INT;

  switch (kind)
    {
    case CRM_BULK_SET_LIFECYCLE_STAGE:
      return "lifecycle_stage_id";
    case CRM_BULK_SET_LEAD_STATUS:
      return "lead_status_id";
    case CRM_BULK_SET_OWNER:
      *type = COLUMN_TEXT;
      return "owner";
    case CRM_BULK_ARCHIVE:
    case CRM_BULK_UNARCHIVE:
      return "archived";
    case CRM_BULK_TAG:
    case CRM_BULK_UNTAG:
    default:
      g_assert_not_reached ();
    }
}

static void
bind_value (sqlite3_stmt *stmt,
            int           index,
            const Value  *value,
            ColumnType    type)
{
  if (value->is_null)
    sqlite3_bind_null (stmt, index);
  else if (type == COLUMN_TEXT)
    sqlite3_bind_text (stmt, index, value->s, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_int64 (stmt, index, value->i);
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* The ids ascending, without repeats or impossible ids. */
static GArray *
sorted_ids (GArray *ids)
{
  GArray *sorted = g_array_sized_new (FALSE, FALSE, sizeof (gint64), ids->len);
  guint kept = 0;

  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);

      if (id > 0)
        g_array_append_val (sorted, id);
    }

  g_array_sort (sorted, compare_ids);
  for (guint i = 0; i < sorted->len; i++)
    {
      if (kept == 0 || g_array_index (sorted, gint64, kept - 1) != g_array_index (sorted, gint64, i))
        g_array_index (sorted, gint64, kept++) = g_array_index (sorted, gint64, i);
    }
  g_array_set_size (sorted, kept);

  return sorted;
}

static void
report (Run    *run,
        double  fraction)
{
  if (run->progress == NULL)
    return;

  fraction = CLAMP (fraction, 0.0, 1.0);
  if (fraction >= run->reported + PROGRESS_STEP || (fraction >= 1.0 && run->reported < 1.0))
    {
      run->reported = fraction;
      run->progress (fraction, run->user_data);
    }
}

static gboolean
check_cancelled (Run     *run,
                 GError **error)
{
  return g_cancellable_set_error_if_cancelled (run->cancellable, error);
}

/* A statement stopped by the progress handler fails with SQLITE_INTERRUPT;
 * the error then says the change was cancelled. */
static gboolean
step_done (Run           *run,
           sqlite3_stmt  *stmt,
           const char    *doing,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;

  if (!check_cancelled (run, error))
    crm_store_set_error (run->store, error, rc, doing);
  return FALSE;
}

static gboolean
exec (Run         *run,
      const char  *sql,
      GError     **error)
{
  sqlite3_stmt *stmt = crm_store_prepare (run->store, sql, error);
  gint64 start = g_get_monotonic_time ();
  gboolean ok;

  if (stmt == NULL)
    return FALSE;

  ok = step_done (run, stmt, _("Cannot change the contacts"), error);
  sqlite3_finalize (stmt);
  if (g_get_monotonic_time () - start > SLOW_STEP_USEC)
    g_debug ("%.0f ms: %s", (g_get_monotonic_time () - start) / 1000.0, sql);
  return ok;
}

static int
cancel_cb (void *user_data)
{
  return g_cancellable_is_cancelled (user_data);
}

static gboolean
run_begin (Run     *run,
           GError **error)
{
  if (check_cancelled (run, error) || !crm_store_begin (run->store, error))
    return FALSE;

  if (run->cancellable != NULL)
    sqlite3_progress_handler (run->db, 4096, cancel_cb, run->cancellable);

  if (!exec (run, "CREATE TEMP TABLE IF NOT EXISTS crm_bulk_ids (id INTEGER PRIMARY KEY)", error)
      || !exec (run, "CREATE TEMP TABLE IF NOT EXISTS crm_bulk_changed "
                     "(id INTEGER PRIMARY KEY, old)", error))
    {
      sqlite3_progress_handler (run->db, 0, NULL, NULL);
      crm_store_rollback (run->store);
      return FALSE;
    }

  report (run, 0.0);
  return TRUE;
}

static gboolean
clear_temp (Run     *run,
            GError **error)
{
  return exec (run, "DELETE FROM temp.crm_bulk_ids", error)
         && exec (run, "DELETE FROM temp.crm_bulk_changed", error);
}

/* Commits, or rolls back when @ok is FALSE or the change was cancelled in
 * the meantime: cancel leaves everything as it was. */
static gboolean
run_end (Run       *run,
         gboolean   ok,
         GError   **error)
{
  crm_store_set_deferred (run->store, FALSE);

  if (ok)
    ok = clear_temp (run, error) && !check_cancelled (run, error);
  sqlite3_progress_handler (run->db, 0, NULL, NULL);

  if (ok && crm_store_commit (run->store, error))
    {
      report (run, 1.0);
      if (run->changed > 0)
        crm_store_emit_changed (run->store, "contact", 0);
      return TRUE;
    }

  crm_store_rollback (run->store);
  return FALSE;
}

/* Whether @trigger stands aside in deferred mode, so that the caller does
 * its work for the whole set in one statement. */
static gboolean
trigger_defers (Run        *run,
                const char *trigger)
{
  sqlite3_stmt *stmt = crm_store_prepare (run->store,
                                          "SELECT sql FROM sqlite_schema "
                                          "WHERE type = 'trigger' AND name = ?1",
                                          NULL);
  gboolean defers = FALSE;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, trigger, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *sql = (const char *) sqlite3_column_text (stmt, 0);
      const char *begin = sql != NULL ? strstr (sql, " BEGIN ") : NULL;
      const char *deferred = sql != NULL ? strstr (sql, "NOT crm_deferred()") : NULL;

      /* In the trigger's WHEN clause, not in its body. */
      defers = deferred != NULL && (begin == NULL || deferred < begin);
    }
  sqlite3_finalize (stmt);

  return defers;
}

static gboolean
row_exists (Run         *run,
            const char  *sql,
            gint64       id,
            GError     **error)
{
  sqlite3_stmt *stmt = crm_store_prepare (run->store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      crm_store_set_error (run->store, error, rc, _("Cannot change the contacts"));
      return FALSE;
    }

  return rc == SQLITE_ROW;
}

/* Whether row @id of @table (tag, lifecycle_stage, lead_status) exists;
 * when it does not, @error says so. */
static gboolean
check_exists (Run         *run,
              const char  *table,
              gint64       id,
              GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT 1 FROM %s WHERE id = ?1", table);
  g_autofree char *text = NULL;
  g_autoptr (GError) local_error = NULL;

  if (row_exists (run, sql, id, &local_error))
    return TRUE;

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  if (g_str_equal (table, "tag"))
    g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID, _("There is no tag %s"), text);
  else if (g_str_equal (table, "lifecycle_stage"))
    g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                 _("There is no lifecycle stage %s"), text);
  else
    g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                 _("There is no lead status %s"), text);

  return FALSE;
}

/* Puts @ids into temp.crm_bulk_ids, reporting progress from @from to @to. */
static gboolean
fill_ids (Run      *run,
          GArray   *ids,
          double    from,
          double    to,
          GError  **error)
{
  sqlite3_stmt *stmt;
  gboolean ok = TRUE;

  if (!clear_temp (run, error))
    return FALSE;

  stmt = crm_store_prepare (run->store, "INSERT INTO temp.crm_bulk_ids (id) VALUES (?1)", error);
  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; ok && i < ids->len; i++)
    {
      sqlite3_bind_int64 (stmt, 1, g_array_index (ids, gint64, i));
      ok = step_done (run, stmt, _("Cannot change the contacts"), error);

      if (ok && (i + 1) % FILL_CHECK_EVERY == 0)
        {
          ok = !check_cancelled (run, error);
          report (run, from + (to - from) * (i + 1) / ids->len);
        }
    }
  sqlite3_finalize (stmt);

  return ok;
}

/* Runs @sql once for each chunk of the sorted ids, with the chunk's lowest
 * and highest id bound as ?2 and ?3 (and @value as ?1 when given). */
static gboolean
run_chunked (Run          *run,
             const char   *sql,
             GArray       *ids,
             const Value  *value,
             ColumnType    type,
             double        from,
             double        to,
             GError      **error)
{
  sqlite3_stmt *stmt = crm_store_prepare (run->store, sql, error);
  guint n_chunks = MIN (N_CHUNKS, ids->len);
  gint64 start = g_get_monotonic_time ();
  gboolean ok = TRUE;

  if (stmt == NULL)
    return FALSE;

  for (guint k = 0; ok && k < n_chunks; k++)
    {
      guint first = (guint) ((guint64) k * ids->len / n_chunks);
      guint next = (guint) ((guint64) (k + 1) * ids->len / n_chunks);

      if (value != NULL)
        bind_value (stmt, 1, value, type);
      sqlite3_bind_int64 (stmt, 2, g_array_index (ids, gint64, first));
      sqlite3_bind_int64 (stmt, 3, g_array_index (ids, gint64, next - 1));
      ok = step_done (run, stmt, _("Cannot change the contacts"), error)
           && !check_cancelled (run, error);
      report (run, from + (to - from) * (k + 1) / n_chunks);
    }
  sqlite3_finalize (stmt);
  if (g_get_monotonic_time () - start > SLOW_STEP_USEC)
    g_debug ("%.0f ms in %u chunks: %s", (g_get_monotonic_time () - start) / 1000.0, n_chunks,
             sql);

  return ok;
}

static gboolean
read_changed_ids (Run     *run,
                  GArray  *into,
                  GError **error)
{
  sqlite3_stmt *stmt = crm_store_prepare (run->store,
                                          "SELECT id FROM temp.crm_bulk_changed ORDER BY id",
                                          error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (into, id);
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (run->store, error, rc, _("Cannot change the contacts"));
      return FALSE;
    }

  return TRUE;
}

/* Groups the changed contacts by the value they had, reading them in id
 * order so that each group's ids are ascending. */
static gboolean
read_previous_values (Run         *run,
                      ColumnType   type,
                      GPtrArray   *groups,
                      GError     **error)
{
  g_autoptr (GHashTable) by_value = NULL;
  Group *null_group = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = crm_store_prepare (run->store, "SELECT old, id FROM temp.crm_bulk_changed ORDER BY id",
                            error);
  if (stmt == NULL)
    return FALSE;

  by_value = type == COLUMN_TEXT ? g_hash_table_new (g_str_hash, g_str_equal)
                                 : g_hash_table_new (g_int64_hash, g_int64_equal);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 1);
      Group *group;

      if (sqlite3_column_type (stmt, 0) == SQLITE_NULL)
        {
          if (null_group == NULL)
            {
              Value value = { TRUE, 0, NULL };

              null_group = group_new (&value);
              g_ptr_array_add (groups, null_group);
            }
          group = null_group;
        }
      else if (type == COLUMN_TEXT)
        {
          const char *text = (const char *) sqlite3_column_text (stmt, 0);

          group = g_hash_table_lookup (by_value, text);
          if (group == NULL)
            {
              Value value = { FALSE, 0, (char *) text };

              group = group_new (&value);
              g_ptr_array_add (groups, group);
              g_hash_table_insert (by_value, group->value.s, group);
            }
        }
      else
        {
          gint64 old = sqlite3_column_int64 (stmt, 0);

          group = g_hash_table_lookup (by_value, &old);
          if (group == NULL)
            {
              Value value = { FALSE, old, NULL };

              group = group_new (&value);
              g_ptr_array_add (groups, group);
              g_hash_table_insert (by_value, &group->value.i, group);
            }
        }

      g_array_append_val (group->ids, id);
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (run->store, error, rc, _("Cannot change the contacts"));
      return FALSE;
    }

  return TRUE;
}

static guint
count_changed (Run *run)
{
  return sqlite3_changes (run->db);
}

/* Sets @column of the contacts @ids (ascending) to @value, only where it is
 * @only_if when that is given. Collects the previous values in @groups
 * when given. The audit log gets one row for each contact changed. */
static gboolean
apply_column (Run          *run,
              const char   *column,
              ColumnType    type,
              GArray       *ids,
              const Value  *value,
              const Value  *only_if,
              GPtrArray    *groups,
              guint        *n_changed,
              double        from,
              double        to,
              GError      **error)
{
  g_autofree char *select = NULL;
  g_autofree char *update = NULL;
  g_autofree char *audit = NULL;
  double span = to - from;
  gboolean audit_deferred;
  guint changed;
  sqlite3_stmt *stmt;
  gboolean ok;

  if (ids->len == 0)
    return TRUE;

  if (!fill_ids (run, ids, from, from + span * 0.3, error))
    return FALSE;

  if (only_if != NULL)
    select = g_strdup_printf ("INSERT INTO temp.crm_bulk_changed (id, old) "
                              "SELECT c.id, c.%s FROM temp.crm_bulk_ids b "
                              "CROSS JOIN contact c ON c.id = b.id "
                              "WHERE c.%s IS NOT ?1 AND c.%s IS ?2",
                              column, column, column);
  else
    select = g_strdup_printf ("INSERT INTO temp.crm_bulk_changed (id, old) "
                              "SELECT c.id, c.%s FROM temp.crm_bulk_ids b "
                              "CROSS JOIN contact c ON c.id = b.id "
                              "WHERE c.%s IS NOT ?1",
                              column, column);

  stmt = crm_store_prepare (run->store, select, error);
  if (stmt == NULL)
    return FALSE;
  bind_value (stmt, 1, value, type);
  if (only_if != NULL)
    bind_value (stmt, 2, only_if, type);
  ok = step_done (run, stmt, _("Cannot change the contacts"), error);
  sqlite3_finalize (stmt);
  if (!ok)
    return FALSE;

  changed = count_changed (run);
  *n_changed += changed;
  run->changed += changed;
  report (run, from + span * 0.4);

  audit_deferred = trigger_defers (run, "contact_audit_update");
  crm_store_set_deferred (run->store, audit_deferred);

  update = g_strdup_printf ("UPDATE contact SET %s = ?1, updated = unixepoch() "
                            "WHERE id IN (SELECT id FROM temp.crm_bulk_changed "
                            "WHERE id BETWEEN ?2 AND ?3)",
                            column);
  if (!run_chunked (run, update, ids, value, type, from + span * 0.4, from + span * 0.9, error))
    return FALSE;

  if (audit_deferred)
    {
      /* The row the trigger would have written: the changed field, old and
       * new. */
      audit = g_strdup_printf ("INSERT INTO audit_log (at, who, entity, entity_id, action, "
                               "changes) SELECT unixepoch(), crm_user(), 'contact', id, 'update', "
                               "json_object('old', json_object('%s', old), "
                               "'new', json_object('%s', ?1)) "
                               "FROM temp.crm_bulk_changed",
                               column, column);
      stmt = crm_store_prepare (run->store, audit, error);
      if (stmt == NULL)
        return FALSE;
      bind_value (stmt, 1, value, type);
      ok = step_done (run, stmt, _("Cannot write the audit log"), error);
      sqlite3_finalize (stmt);
      if (!ok)
        return FALSE;
    }
  crm_store_set_deferred (run->store, FALSE);

  if (groups != NULL && !read_previous_values (run, type, groups, error))
    return FALSE;

  report (run, to);
  return TRUE;
}

/* Adds tag @tag_id to the contacts @ids (ascending) that lack it, or
 * removes it from those that have it; the contacts changed go to
 * @changed. */
static gboolean
apply_tag (Run      *run,
           gint64    tag_id,
           gboolean  add,
           GArray   *ids,
           GArray   *changed,
           double    from,
           double    to,
           GError  **error)
{
  Value tag = { FALSE, tag_id, NULL };
  double span = to - from;
  sqlite3_stmt *stmt;
  gboolean ok;

  if (ids->len == 0)
    return TRUE;

  if (!fill_ids (run, ids, from, from + span * 0.2, error))
    return FALSE;

  stmt = crm_store_prepare (run->store,
                            add ? "INSERT INTO temp.crm_bulk_changed (id) "
                                  "SELECT b.id FROM temp.crm_bulk_ids b "
                                  "CROSS JOIN contact c ON c.id = b.id "
                                  "WHERE NOT EXISTS (SELECT 1 FROM contact_tag t "
                                  "WHERE t.contact_id = b.id AND t.tag_id = ?1)"
                                : "INSERT INTO temp.crm_bulk_changed (id) "
                                  "SELECT b.id FROM temp.crm_bulk_ids b "
                                  "CROSS JOIN contact_tag t "
                                  "ON t.contact_id = b.id AND t.tag_id = ?1",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, tag_id);
  ok = step_done (run, stmt, _("Cannot change the contacts"), error);
  sqlite3_finalize (stmt);
  if (!ok)
    return FALSE;
  report (run, from + span * 0.3);

  /* Tags are not in the search index (schema version 4): nothing else
   * changes. */
  if (!run_chunked (run,
                    add ? "INSERT INTO contact_tag (contact_id, tag_id) "
                          "SELECT id, ?1 FROM temp.crm_bulk_changed WHERE id BETWEEN ?2 AND ?3"
                        : "DELETE FROM contact_tag WHERE tag_id = ?1 AND contact_id IN "
                          "(SELECT id FROM temp.crm_bulk_changed WHERE id BETWEEN ?2 AND ?3)",
                    ids, &tag, COLUMN_INT, from + span * 0.3, from + span * 0.9, error))
    return FALSE;

  if (!read_changed_ids (run, changed, error))
    return FALSE;
  run->changed += changed->len;

  report (run, to);
  return TRUE;
}

static CrmBulkUndo *
bulk_tag (CrmStore         *store,
          CrmBulkKind       kind,
          GArray           *ids,
          gint64            tag_id,
          CrmBulkProgress   progress,
          gpointer          user_data,
          GCancellable     *cancellable,
          GError          **error)
{
  Run run = { store, crm_store_get_db (store), progress, user_data, cancellable, -1.0, 0 };
  g_autoptr (CrmBulkUndo) undo = undo_new (kind);
  g_autoptr (GArray) sorted = sorted_ids (ids);
  Value none = { TRUE, 0, NULL };
  Group *group = group_new (&none);
  gboolean ok;

  g_ptr_array_add (undo->groups, group);
  undo->tag_id = tag_id;

  if (!run_begin (&run, error))
    return NULL;

  ok = check_exists (&run, "tag", tag_id, error)
       && apply_tag (&run, tag_id, kind == CRM_BULK_TAG, sorted, group->ids, 0.0, 0.95, error);
  if (!run_end (&run, ok, error))
    return NULL;

  undo->n_changed = group->ids->len;
  return g_steal_pointer (&undo);
}

static CrmBulkUndo *
bulk_column (CrmStore         *store,
             CrmBulkKind       kind,
             GArray           *ids,
             const Value      *value,
             CrmBulkProgress   progress,
             gpointer          user_data,
             GCancellable     *cancellable,
             GError          **error)
{
  Run run = { store, crm_store_get_db (store), progress, user_data, cancellable, -1.0, 0 };
  g_autoptr (CrmBulkUndo) undo = undo_new (kind);
  g_autoptr (GArray) sorted = sorted_ids (ids);
  ColumnType type;
  const char *column = column_for (kind, &type);
  gboolean ok = TRUE;

  undo->new_value = *value;
  undo->new_value.s = g_strdup (value->s);

  if (!run_begin (&run, error))
    return NULL;

  if (!value->is_null && kind == CRM_BULK_SET_LIFECYCLE_STAGE)
    ok = check_exists (&run, "lifecycle_stage", value->i, error);
  else if (!value->is_null && kind == CRM_BULK_SET_LEAD_STATUS)
    ok = check_exists (&run, "lead_status", value->i, error);

  ok = ok && apply_column (&run, column, type, sorted, value, NULL, undo->groups,
                           &undo->n_changed, 0.0, 0.95, error);
  if (!run_end (&run, ok, error))
    return NULL;

  return g_steal_pointer (&undo);
}

static Value
id_value (gint64 id)
{
  Value value = { id <= 0, id, NULL };

  return value;
}

/* Public API */

/**
 * crm_tags_ensure:
 * @name: a tag name; trimmed
 *
 * The tag with that name, whatever its case, made when there is none.
 *
 * Returns: the tag's id, or 0 with @error set
 */
gint64
crm_tags_ensure (CrmStore    *store,
                 const char  *name,
                 GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *key = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 id = 0;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (store), 0);

  trimmed = name != NULL && g_utf8_validate (name, -1, NULL) ? g_strstrip (g_strdup (name))
                                                             : g_strdup ("");
  if (*trimmed == '\0')
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                           _("A tag needs a name"));
      return 0;
    }

  if (!crm_store_begin (store, error))
    return 0;

  stmt = crm_store_prepare (store, "SELECT id, name FROM tag ORDER BY id", error);
  if (stmt == NULL)
    goto fail;

  key = g_utf8_casefold (trimmed, -1);
  while (id == 0 && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *other = g_utf8_casefold ((const char *) sqlite3_column_text (stmt, 1), -1);

      if (g_str_equal (key, other))
        id = sqlite3_column_int64 (stmt, 0);
    }
  if (id == 0 && rc != SQLITE_DONE)
    {
      crm_store_set_error (store, error, rc, _("Cannot read the tags"));
      goto fail;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (id != 0)
    {
      crm_store_rollback (store);
      return id;
    }

  stmt = crm_store_prepare (store, "INSERT INTO tag (name) VALUES (?1)", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, trimmed, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (store, error, rc, _("Cannot save the tag"));
      goto fail;
    }
  id = sqlite3_last_insert_rowid (crm_store_get_db (store));
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (!crm_store_commit (store, error))
    goto fail;

  crm_store_emit_changed (store, "tag", id);
  return id;

fail:
  g_clear_pointer (&stmt, sqlite3_finalize);
  crm_store_rollback (store);
  return 0;
}

/**
 * crm_bulk_tag:
 * @ids: (element-type gint64): the contacts
 * @progress: (nullable): called with the fraction done
 * @cancellable: (nullable): cancelling rolls the change back
 *
 * Tags the contacts that do not have the tag yet.
 *
 * Returns: (transfer full): the undo token, or %NULL with @error set
 *   (%G_IO_ERROR_CANCELLED when cancelled; nothing changed then)
 */
CrmBulkUndo *
crm_bulk_tag (CrmStore         *store,
              GArray           *ids,
              gint64            tag_id,
              CrmBulkProgress   progress,
              gpointer          user_data,
              GCancellable     *cancellable,
              GError          **error)
{
  g_return_val_if_fail (CRM_IS_STORE (store), NULL);
  g_return_val_if_fail (ids != NULL, NULL);

  return bulk_tag (store, CRM_BULK_TAG, ids, tag_id, progress, user_data, cancellable, error);
}

/**
 * crm_bulk_untag:
 *
 * Removes the tag from the contacts that have it. See crm_bulk_tag().
 */
CrmBulkUndo *
crm_bulk_untag (CrmStore         *store,
                GArray           *ids,
                gint64            tag_id,
                CrmBulkProgress   progress,
                gpointer          user_data,
                GCancellable     *cancellable,
                GError          **error)
{
  g_return_val_if_fail (CRM_IS_STORE (store), NULL);
  g_return_val_if_fail (ids != NULL, NULL);

  return bulk_tag (store, CRM_BULK_UNTAG, ids, tag_id, progress, user_data, cancellable, error);
}

/**
 * crm_bulk_set_lifecycle_stage:
 * @stage_id: the stage; 0 for none
 *
 * See crm_bulk_tag().
 */
CrmBulkUndo *
crm_bulk_set_lifecycle_stage (CrmStore         *store,
                              GArray           *ids,
                              gint64            stage_id,
                              CrmBulkProgress   progress,
                              gpointer          user_data,
                              GCancellable     *cancellable,
                              GError          **error)
{
  Value value = id_value (stage_id);

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);
  g_return_val_if_fail (ids != NULL, NULL);

  return bulk_column (store, CRM_BULK_SET_LIFECYCLE_STAGE, ids, &value, progress, user_data,
                      cancellable, error);
}

/**
 * crm_bulk_set_lead_status:
 * @status_id: the lead status; 0 for none
 *
 * See crm_bulk_tag().
 */
CrmBulkUndo *
crm_bulk_set_lead_status (CrmStore         *store,
                          GArray           *ids,
                          gint64            status_id,
                          CrmBulkProgress   progress,
                          gpointer          user_data,
                          GCancellable     *cancellable,
                          GError          **error)
{
  Value value = id_value (status_id);

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);
  g_return_val_if_fail (ids != NULL, NULL);

  return bulk_column (store, CRM_BULK_SET_LEAD_STATUS, ids, &value, progress, user_data,
                      cancellable, error);
}

/**
 * crm_bulk_set_owner:
 * @owner: (nullable): the owner, trimmed; %NULL or "" for none
 *
 * See crm_bulk_tag().
 */
CrmBulkUndo *
crm_bulk_set_owner (CrmStore         *store,
                    GArray           *ids,
                    const char       *owner,
                    CrmBulkProgress   progress,
                    gpointer          user_data,
                    GCancellable     *cancellable,
                    GError          **error)
{
  g_autofree char *trimmed = owner != NULL ? g_strstrip (g_strdup (owner)) : NULL;
  Value value = { trimmed == NULL || *trimmed == '\0', 0, trimmed };

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);
  g_return_val_if_fail (ids != NULL, NULL);

  return bulk_column (store, CRM_BULK_SET_OWNER, ids, &value, progress, user_data, cancellable,
                      error);
}

/**
 * crm_bulk_archive:
 *
 * Archives the contacts (a soft delete that undo takes back). See
 * crm_bulk_tag().
 */
CrmBulkUndo *
crm_bulk_archive (CrmStore         *store,
                  GArray           *ids,
                  CrmBulkProgress   progress,
                  gpointer          user_data,
                  GCancellable     *cancellable,
                  GError          **error)
{
  Value value = { FALSE, 1, NULL };

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);
  g_return_val_if_fail (ids != NULL, NULL);

  return bulk_column (store, CRM_BULK_ARCHIVE, ids, &value, progress, user_data, cancellable,
                      error);
}

CrmBulkUndo *
crm_bulk_unarchive (CrmStore         *store,
                    GArray           *ids,
                    CrmBulkProgress   progress,
                    gpointer          user_data,
                    GCancellable     *cancellable,
                    GError          **error)
{
  Value value = { FALSE, 0, NULL };

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);
  g_return_val_if_fail (ids != NULL, NULL);

  return bulk_column (store, CRM_BULK_UNARCHIVE, ids, &value, progress, user_data, cancellable,
                      error);
}

/**
 * crm_bulk_undo:
 *
 * Puts back what the change replaced, in one transaction: a tag comes off
 * only the contacts that did not have it before, a column gets each
 * contact's previous value. A contact changed again since keeps that later
 * change. Cancelling leaves everything as it was, and the token usable.
 *
 * Returns: %FALSE with @error set
 */
gboolean
crm_bulk_undo (CrmStore         *store,
               CrmBulkUndo      *undo,
               CrmBulkProgress   progress,
               gpointer          user_data,
               GCancellable     *cancellable,
               GError          **error)
{
  Run run = { store, crm_store_get_db (store), progress, user_data, cancellable, -1.0, 0 };
  gboolean ok = TRUE;
  guint n_changed = 0;

  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);
  g_return_val_if_fail (undo != NULL, FALSE);

  if (undo->done)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                           _("This change was undone already"));
      return FALSE;
    }

  if (!run_begin (&run, error))
    return FALSE;

  if (undo->kind == CRM_BULK_TAG || undo->kind == CRM_BULK_UNTAG)
    {
      Group *group = g_ptr_array_index (undo->groups, 0);
      g_autoptr (GArray) changed = g_array_new (FALSE, FALSE, sizeof (gint64));

      if (undo->kind == CRM_BULK_UNTAG)
        ok = check_exists (&run, "tag", undo->tag_id, error);
      ok = ok && apply_tag (&run, undo->tag_id, undo->kind == CRM_BULK_UNTAG, group->ids,
                            changed, 0.0, 0.95, error);
    }
  else
    {
      ColumnType type;
      const char *column = column_for (undo->kind, &type);
      double done = 0.0;

      for (guint i = 0; ok && i < undo->groups->len; i++)
        {
          Group *group = g_ptr_array_index (undo->groups, i);
          double share = 0.95 * group->ids->len / MAX (undo->n_changed, 1);

          ok = apply_column (&run, column, type, group->ids, &group->value, &undo->new_value,
                             NULL, &n_changed, done, done + share, error);
          done += share;
        }
    }

  if (!run_end (&run, ok, error))
    return FALSE;

  undo->done = TRUE;
  return TRUE;
}

CrmBulkKind
crm_bulk_undo_get_kind (const CrmBulkUndo *undo)
{
  g_return_val_if_fail (undo != NULL, CRM_BULK_TAG);

  return undo->kind;
}

/**
 * crm_bulk_undo_get_n_changed:
 *
 * How many contacts the change changed: those that had the tag or the value
 * already are not counted.
 */
guint
crm_bulk_undo_get_n_changed (const CrmBulkUndo *undo)
{
  g_return_val_if_fail (undo != NULL, 0);

  return undo->n_changed;
}

/**
 * crm_bulk_undo_get_done:
 *
 * Whether crm_bulk_undo() has taken the change back.
 */
gboolean
crm_bulk_undo_get_done (const CrmBulkUndo *undo)
{
  g_return_val_if_fail (undo != NULL, FALSE);

  return undo->done;
}

void
crm_bulk_undo_free (CrmBulkUndo *undo)
{
  if (undo == NULL)
    return;

  value_clear (&undo->new_value);
  g_ptr_array_unref (undo->groups);
  g_free (undo);
}
