/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-search"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "crm-search.h"
#include "crm-text.h"

/* Whether the query is a phone number as people type them: digits with
 * spaces, dots, dashes, parentheses and a leading plus. */
static gboolean
looks_like_phone (const char *query)
{
  int digits = 0;

  for (const char *p = query; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        digits++;
      else if (!strchr (" .-()+", *p))
        return FALSE;
    }

  return digits > 0;
}

static void
append_token (GString    *match,
              const char *column,
              const char *token)
{
  if (match->len > 0)
    g_string_append (match, " AND ");
  if (column != NULL)
    g_string_append_printf (match, "%s : ", column);

  /* A quoted string is taken literally by FTS5; its quotes are doubled. */
  g_string_append_c (match, '"');
  for (const char *p = token; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (match, '"');
      g_string_append_c (match, *p);
    }
  g_string_append (match, "\" *");
}

/**
 * crm_search_match_expression:
 * @query: what the user typed
 *
 * Turns a query into an FTS5 expression over the folded index: every word a
 * prefix that must match, and a phone number (in any of the ways people
 * write one) matched on its national digits.
 *
 * Returns: (transfer full) (nullable): the expression, or %NULL when the
 *   query has nothing to search for
 */
char *
crm_search_match_expression (const char *query)
{
  g_autofree char *folded = NULL;
  g_auto (GStrv) words = NULL;
  GString *match;

  if (query == NULL)
    return NULL;

  match = g_string_new (NULL);

  if (looks_like_phone (query))
    {
      g_autofree char *digits = crm_phone_digits (query);

      if (digits != NULL && *digits != '\0')
        append_token (match, "phones", digits);
      return g_string_free (match, match->len == 0);
    }

  folded = crm_fold (query);
  /* The index splits text the way unicode61 does: on anything that is not a
   * letter or digit. Split the query the same way. */
  for (char *p = folded; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && !((guchar) *p & 0x80))
        *p = ' ';
    }

  words = g_strsplit (folded, " ", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (*words[i] != '\0')
        append_token (match, NULL, words[i]);
    }

  return g_string_free (match, match->len == 0);
}

/* Steps @stmt, appending its first column to @ids; finalizes @stmt. */
static GArray *
collect_ids (CrmStore      *store,
             sqlite3_stmt  *stmt,
             GArray        *ids,
             GError       **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (store, error, rc, _("Cannot search the contacts"));
      g_array_unref (ids);
      return NULL;
    }

  return ids;
}

/**
 * crm_search_contacts:
 *
 * The contacts that match @query, unranked and unordered: ranking common
 * words over a million rows costs far more than ordering the matches by the
 * list's own sort afterwards.
 *
 * Returns: (transfer full): a #GArray of gint64 ids, or %NULL with @error set
 */
GArray *
crm_search_contacts (CrmStore    *store,
                     const char  *query,
                     GError     **error)
{
  g_autofree char *match = crm_search_match_expression (query);
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;

  if (match == NULL)
    return ids;

  stmt = crm_store_prepare (store, "SELECT rowid FROM contact_fts WHERE contact_fts MATCH ?1",
                            error);
  if (stmt == NULL)
    {
      g_array_unref (ids);
      return NULL;
    }

  sqlite3_bind_text (stmt, 1, match, -1, SQLITE_STATIC);
  return collect_ids (store, stmt, ids, error);
}

typedef struct
{
  sqlite3    *db;
  const char *match;
  gint64      split_id;
  GArray     *ids;
  int         rc;
  char       *message;
} Half;

static int
collect_half (sqlite3    *db,
              const char *sql,
              const char *match,
              gint64      split_id,
              GArray     *ids)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    return rc;

  sqlite3_bind_text (stmt, 1, match, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, split_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  sqlite3_finalize (stmt);

  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static gpointer
upper_half_thread (gpointer data)
{
  Half *half = data;

  half->rc = collect_half (half->db,
                           "SELECT rowid FROM contact_fts WHERE contact_fts MATCH ?1 "
                           "AND rowid > ?2",
                           half->match, half->split_id, half->ids);
  if (half->rc != SQLITE_OK)
    half->message = g_strdup (sqlite3_errmsg (half->db));

  return NULL;
}

/**
 * crm_search_contacts_parallel:
 * @helper: a reader connection of @store (see crm_store_open_reader()) that
 *   no other thread uses meanwhile
 * @split_id: the ids above it are searched on @helper
 *
 * Like crm_search_contacts(), on both processor cores: reading the matches
 * of a common prefix ("h", "ng") row by row is most of a search's time, and
 * the two halves of the id range read independently.
 *
 * Returns: (transfer full): a #GArray of gint64 ids, or %NULL with @error set
 */
GArray *
crm_search_contacts_parallel (CrmStore    *store,
                              sqlite3     *helper,
                              const char  *query,
                              gint64       split_id,
                              GError     **error)
{
  g_autofree char *match = crm_search_match_expression (query);
  Half upper = { helper, match, split_id, NULL, SQLITE_OK, NULL };
  GArray *ids;
  GThread *thread;
  int rc;

  if (match == NULL)
    return g_array_new (FALSE, FALSE, sizeof (gint64));

  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), 4096);
  upper.ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), 4096);
  thread = g_thread_new ("crm-search", upper_half_thread, &upper);
  rc = collect_half (crm_store_get_db (store),
                     "SELECT rowid FROM contact_fts WHERE contact_fts MATCH ?1 AND rowid <= ?2",
                     match, split_id, ids);
  g_thread_join (thread);

  if (rc != SQLITE_OK)
    {
      crm_store_set_error (store, error, rc, _("Cannot search the contacts"));
      g_clear_pointer (&ids, g_array_unref);
    }
  else if (upper.rc != SQLITE_OK)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_FAILED,
                   _("Cannot search the contacts: %s"), upper.message);
      g_clear_pointer (&ids, g_array_unref);
    }
  else
    {
      g_array_append_vals (ids, upper.ids->data, upper.ids->len);
    }

  g_array_unref (upper.ids);
  g_free (upper.message);

  return ids;
}

/**
 * crm_search_contacts_sorted:
 * @limit: how many to return at most, 0 for all
 *
 * The contacts that match @query and are not archived, in list order.
 *
 * Returns: (transfer full): a #GArray of gint64 ids, or %NULL with @error set
 */
GArray *
crm_search_contacts_sorted (CrmStore      *store,
                            const char    *query,
                            CrmSortOrder   order,
                            guint          limit,
                            GError       **error)
{
  g_autofree char *match = crm_search_match_expression (query);
  g_autofree char *sql = NULL;
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  const char *key = order == CRM_SORT_FAMILY_NAME ? "sort_family" : "sort_given";
  sqlite3_stmt *stmt;

  if (match == NULL)
    return ids;

  /* CROSS JOIN keeps the index lookup outermost: probing the index once per
   * contact in sort order would read the whole table. */
  sql = g_strdup_printf ("SELECT c.id FROM contact_fts f CROSS JOIN contact c ON c.id = f.rowid "
                         "WHERE contact_fts MATCH ?1 AND c.archived = 0 "
                         "ORDER BY c.%s, c.id LIMIT ?2",
                         key);
  stmt = crm_store_prepare (store, sql, error);
  if (stmt == NULL)
    {
      g_array_unref (ids);
      return NULL;
    }

  sqlite3_bind_text (stmt, 1, match, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? (gint64) limit : -1);
  return collect_ids (store, stmt, ids, error);
}
