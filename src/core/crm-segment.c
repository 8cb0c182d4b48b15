/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-segment"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "crm-segment.h"

G_DEFINE_BOXED_TYPE (CrmSegment, crm_segment, crm_segment_copy, crm_segment_free)

/* Helpers */

static gboolean
step_done (CrmStore      *store,
           sqlite3_stmt  *stmt,
           const char    *doing,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (store, error, rc, doing);
      return FALSE;
    }

  return TRUE;
}

static CrmSegment *
segment_from_row (sqlite3_stmt *stmt)
{
  CrmSegment *segment = g_new0 (CrmSegment, 1);

  segment->id = sqlite3_column_int64 (stmt, 0);
  segment->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  segment->query = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  segment->filter = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  segment->position = sqlite3_column_int64 (stmt, 4);

  return segment;
}

static void
set_not_found (GError **error,
               gint64   id)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
               _("There is no segment %s"), text);
}

/* Names compare without regard to case or to how their letters are
 * composed: "Khách VIP" and "khách vip" are the same segment. */
static char *
name_key (const char *name)
{
  g_autofree char *normalized = g_utf8_normalize (name, -1, G_NORMALIZE_ALL_COMPOSE);

  return g_utf8_casefold (normalized, -1);
}

/* The trimmed name, or NULL with @error set when it is empty or another
 * contact segment than @except_id has it. */
static char *
check_name (CrmStore    *store,
            const char  *name,
            gint64       except_id,
            GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *key = NULL;
  sqlite3_stmt *stmt;
  gboolean taken = FALSE;
  int rc = SQLITE_DONE;

  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                           _("A segment needs a name"));
      return NULL;
    }

  trimmed = g_strstrip (g_strdup (name));
  if (*trimmed == '\0')
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                           _("A segment needs a name"));
      return NULL;
    }

  stmt = crm_store_prepare (store,
                            "SELECT name FROM segment WHERE entity = 'contact' AND id IS NOT ?1",
                            error);
  if (stmt == NULL)
    return NULL;

  key = name_key (trimmed);
  sqlite3_bind_int64 (stmt, 1, except_id);
  while (!taken && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *other = name_key ((const char *) sqlite3_column_text (stmt, 0));

      taken = g_str_equal (key, other);
    }
  if (!taken && rc != SQLITE_DONE)
    {
      crm_store_set_error (store, error, rc, _("Cannot read the segments"));
      sqlite3_finalize (stmt);
      return NULL;
    }
  sqlite3_finalize (stmt);

  if (taken)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                   _("There is a segment named “%s” already"), trimmed);
      return NULL;
    }

  return g_steal_pointer (&trimmed);
}

/* Runs @sql on segment @id with @text bound as ?2 (and ?3), in its own
 * transaction; a segment that is not there is an error. */
static gboolean
update_segment (CrmStore    *store,
                gint64       id,
                const char  *sql,
                const char  *text,
                const char  *text2,
                GError     **error)
{
  sqlite3_stmt *stmt = crm_store_prepare (store, sql, error);
  gboolean ok;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  if (text != NULL)
    sqlite3_bind_text (stmt, 2, text, -1, SQLITE_TRANSIENT);
  if (text2 != NULL)
    sqlite3_bind_text (stmt, 3, text2, -1, SQLITE_TRANSIENT);
  ok = step_done (store, stmt, _("Cannot save the segment"), error);
  sqlite3_finalize (stmt);

  if (ok && sqlite3_changes (crm_store_get_db (store)) == 0)
    {
      set_not_found (error, id);
      return FALSE;
    }

  return ok;
}

/* Public API */

CrmSegment *
crm_segment_copy (const CrmSegment *segment)
{
  CrmSegment *copy;

  g_return_val_if_fail (segment != NULL, NULL);

  copy = g_memdup2 (segment, sizeof *segment);
  copy->name = g_strdup (segment->name);
  copy->query = g_strdup (segment->query);
  copy->filter = g_strdup (segment->filter);

  return copy;
}

void
crm_segment_free (CrmSegment *segment)
{
  if (segment == NULL)
    return;

  g_free (segment->name);
  g_free (segment->query);
  g_free (segment->filter);
  g_free (segment);
}

/**
 * crm_segments_list:
 *
 * Returns: (transfer full) (element-type CrmSegment): the contact segments in
 *   sidebar order, or %NULL with @error set
 */
GPtrArray *
crm_segments_list (CrmStore  *store,
                   GError   **error)
{
  g_autoptr (GPtrArray) segments = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);

  stmt = crm_store_prepare (store,
                            "SELECT id, name, query, filter, position FROM segment "
                            "WHERE entity = 'contact' ORDER BY position, id",
                            error);
  if (stmt == NULL)
    return NULL;

  segments = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_segment_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (segments, segment_from_row (stmt));
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (store, error, rc, _("Cannot read the segments"));
      return NULL;
    }

  return g_steal_pointer (&segments);
}

/**
 * crm_segment_load:
 *
 * Returns: (transfer full): the segment, or %NULL with @error set
 */
CrmSegment *
crm_segment_load (CrmStore  *store,
                  gint64     id,
                  GError   **error)
{
  CrmSegment *segment = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);

  stmt = crm_store_prepare (store,
                            "SELECT id, name, query, filter, position FROM segment "
                            "WHERE id = ?1 AND entity = 'contact'",
                            error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    segment = segment_from_row (stmt);
  else if (rc == SQLITE_DONE)
    set_not_found (error, id);
  else
    crm_store_set_error (store, error, rc, _("Cannot read the segments"));
  sqlite3_finalize (stmt);

  return segment;
}

/**
 * crm_segment_create:
 * @name: the name; trimmed, and unique among the contact segments whatever
 *   its case
 * @query: (nullable): search text
 * @filter: (nullable): the filter; %NULL for none
 *
 * Adds a segment at the end of the sidebar.
 *
 * Returns: the new segment's id, or 0 with @error set
 */
gint64
crm_segment_create (CrmStore         *store,
                    const char       *name,
                    const char       *query,
                    const CrmFilter  *filter,
                    GError          **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *json = NULL;
  sqlite3_stmt *stmt;
  gint64 id = 0;

  g_return_val_if_fail (CRM_IS_STORE (store), 0);

  if (!crm_store_begin (store, error))
    return 0;

  trimmed = check_name (store, name, 0, error);
  if (trimmed == NULL)
    goto fail;

  json = filter != NULL ? crm_filter_to_json (filter) : g_strdup ("{}");
  stmt = crm_store_prepare (store,
                            "INSERT INTO segment (entity, name, query, filter, position) "
                            "VALUES ('contact', ?1, ?2, ?3, "
                            "(SELECT ifnull(max(position), -1) + 1 FROM segment "
                            " WHERE entity = 'contact'))",
                            error);
  if (stmt == NULL)
    goto fail;

  sqlite3_bind_text (stmt, 1, trimmed, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, query != NULL ? query : "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, json, -1, SQLITE_STATIC);
  if (step_done (store, stmt, _("Cannot save the segment"), error))
    id = sqlite3_last_insert_rowid (crm_store_get_db (store));
  sqlite3_finalize (stmt);

  if (id == 0 || !crm_store_commit (store, error))
    goto fail;

  crm_store_emit_changed (store, "segment", id);
  return id;

fail:
  crm_store_rollback (store);
  return 0;
}

/**
 * crm_segment_rename:
 * @name: the new name; trimmed, and unique among the contact segments
 *   whatever its case
 */
gboolean
crm_segment_rename (CrmStore    *store,
                    gint64       id,
                    const char  *name,
                    GError     **error)
{
  g_autofree char *trimmed = NULL;

  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);

  if (!crm_store_begin (store, error))
    return FALSE;

  trimmed = check_name (store, name, id, error);
  if (trimmed == NULL
      || !update_segment (store, id,
                          "UPDATE segment SET name = ?2, updated = unixepoch() "
                          "WHERE id = ?1 AND entity = 'contact'",
                          trimmed, NULL, error)
      || !crm_store_commit (store, error))
    {
      crm_store_rollback (store);
      return FALSE;
    }

  crm_store_emit_changed (store, "segment", id);
  return TRUE;
}

/**
 * crm_segment_update:
 * @query: (nullable): the new search text; %NULL keeps it
 * @filter: (nullable): the new filter; %NULL keeps it
 */
gboolean
crm_segment_update (CrmStore         *store,
                    gint64            id,
                    const char       *query,
                    const CrmFilter  *filter,
                    GError          **error)
{
  g_autofree char *json = NULL;

  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);

  if (filter != NULL)
    json = crm_filter_to_json (filter);

  if (!crm_store_begin (store, error))
    return FALSE;

  if (!update_segment (store, id,
                       "UPDATE segment SET query = ifnull(?2, query), "
                       "filter = ifnull(?3, filter), updated = unixepoch() "
                       "WHERE id = ?1 AND entity = 'contact'",
                       query, json, error)
      || !crm_store_commit (store, error))
    {
      crm_store_rollback (store);
      return FALSE;
    }

  crm_store_emit_changed (store, "segment", id);
  return TRUE;
}

gboolean
crm_segment_delete (CrmStore  *store,
                    gint64     id,
                    GError   **error)
{
  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);

  if (!crm_store_begin (store, error))
    return FALSE;

  if (!update_segment (store, id, "DELETE FROM segment WHERE id = ?1 AND entity = 'contact'",
                       NULL, NULL, error)
      || !crm_store_commit (store, error))
    {
      crm_store_rollback (store);
      return FALSE;
    }

  crm_store_emit_changed (store, "segment", id);
  return TRUE;
}

/**
 * crm_segments_reorder:
 * @ids: (array length=n_ids): segment ids in their new sidebar order
 *
 * The segments listed come first, in that order; any others follow in the
 * order they had.
 */
gboolean
crm_segments_reorder (CrmStore      *store,
                      const gint64  *ids,
                      gsize          n_ids,
                      GError       **error)
{
  g_autoptr (GPtrArray) segments = NULL;
  g_autoptr (GArray) order = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt = NULL;

  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);
  g_return_val_if_fail (ids != NULL || n_ids == 0, FALSE);

  if (!crm_store_begin (store, error))
    return FALSE;

  segments = crm_segments_list (store, error);
  if (segments == NULL)
    goto fail;

  for (gsize i = 0; i < n_ids; i++)
    {
      gboolean known = FALSE;

      for (guint j = 0; j < segments->len && !known; j++)
        known = ((CrmSegment *) g_ptr_array_index (segments, j))->id == ids[i];
      for (guint j = 0; j < order->len && known; j++)
        known = g_array_index (order, gint64, j) != ids[i];
      if (!known)
        {
          set_not_found (error, ids[i]);
          goto fail;
        }
      g_array_append_val (order, ids[i]);
    }

  for (guint j = 0; j < segments->len; j++)
    {
      gint64 id = ((CrmSegment *) g_ptr_array_index (segments, j))->id;
      gboolean listed = FALSE;

      for (gsize i = 0; i < n_ids && !listed; i++)
        listed = ids[i] == id;
      if (!listed)
        g_array_append_val (order, id);
    }

  stmt = crm_store_prepare (store, "UPDATE segment SET position = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    goto fail;

  for (guint i = 0; i < order->len; i++)
    {
      sqlite3_bind_int64 (stmt, 1, g_array_index (order, gint64, i));
      sqlite3_bind_int64 (stmt, 2, i);
      if (!step_done (store, stmt, _("Cannot save the segment"), error))
        goto fail;
      sqlite3_reset (stmt);
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (!crm_store_commit (store, error))
    goto fail;

  crm_store_emit_changed (store, "segment", 0);
  return TRUE;

fail:
  g_clear_pointer (&stmt, sqlite3_finalize);
  crm_store_rollback (store);
  return FALSE;
}

/**
 * crm_segment_count:
 * @db: a connection: the store's, or a reader's on a worker thread
 *
 * The live count of the segment: the contacts its filter keeps that also
 * match its search text.
 *
 * Returns: the count, or -1 with @error set
 */
gint64
crm_segment_count (sqlite3           *db,
                   const CrmSegment  *segment,
                   GError           **error)
{
  g_autoptr (CrmFilter) filter = NULL;

  g_return_val_if_fail (db != NULL, -1);
  g_return_val_if_fail (segment != NULL, -1);

  filter = crm_filter_new_from_json (segment->filter != NULL ? segment->filter : "{}", error);
  if (filter == NULL)
    return -1;

  return crm_filter_count_matching (db, filter, segment->query, error);
}
