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

/* @text as an SQL string literal. */
static char *
sql_quote (const char *text)
{
  GString *quoted = g_string_new ("'");

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\'')
        g_string_append_c (quoted, '\'');
      g_string_append_c (quoted, *p);
    }
  g_string_append_c (quoted, '\'');

  return g_string_free (quoted, FALSE);
}

/* The words of a query, folded and split the way unicode61 splits the
 * index's text: on anything that is not a letter or digit. */
static GPtrArray *
query_words (const char *query)
{
  g_autofree char *folded = crm_fold (query);
  g_auto (GStrv) words = NULL;
  GPtrArray *found = g_ptr_array_new_with_free_func (g_free);

  for (char *p = folded; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && !((guchar) *p & 0x80))
        *p = ' ';
    }

  words = g_strsplit (folded, " ", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (*words[i] != '\0')
        g_ptr_array_add (found, g_strdup (words[i]));
    }

  return found;
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
  g_autoptr (GPtrArray) words = NULL;
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

  words = query_words (query);
  for (guint i = 0; i < words->len; i++)
    append_token (match, NULL, g_ptr_array_index (words, i));

  return g_string_free (match, match->len == 0);
}

/* The ids of the tags with a word that starts with @word, as "1, 2", or
 * NULL when there is none. Workspaces have tens of tags, not thousands. */
static char *
tags_starting_with (GPtrArray  *tags,
                    const char *word)
{
  GString *ids = NULL;

  for (guint i = 0; i < tags->len; i += 2)
    {
      const char *words = g_ptr_array_index (tags, i + 1);

      /* The tag's folded words, each with a space before it */
      for (const char *p = strstr (words, word); p != NULL; p = strstr (p + 1, word))
        {
          if (p > words && p[-1] == ' ')
            {
              if (ids == NULL)
                ids = g_string_new (NULL);
              else
                g_string_append (ids, ", ");
              g_string_append (ids, g_ptr_array_index (tags, i));
              break;
            }
        }
    }

  return ids != NULL ? g_string_free (ids, FALSE) : NULL;
}

/* Every tag as (id, " word word…"), folded and split like a query. */
static GPtrArray *
read_tags (sqlite3  *db,
           GError  **error)
{
  GPtrArray *tags = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, "SELECT id, name FROM tag", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          g_autoptr (GPtrArray) words = query_words ((const char *) sqlite3_column_text (stmt, 1));
          GString *text = g_string_new (NULL);

          for (guint i = 0; i < words->len; i++)
            g_string_append_printf (text, " %s", (char *) g_ptr_array_index (words, i));
          g_ptr_array_add (tags, g_strdup_printf ("%" G_GINT64_FORMAT,
                                                  (gint64) sqlite3_column_int64 (stmt, 0)));
          g_ptr_array_add (tags, g_string_free (text, FALSE));
        }
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_FAILED,
                   _("Cannot search the contacts: %s"), sqlite3_errmsg (db));
      g_ptr_array_unref (tags);
      return NULL;
    }

  return tags;
}

/**
 * crm_search_sql:
 * @db: a connection of the workspace
 * @query: what the user typed
 * @sql: (out) (transfer full) (nullable): a query whose one column, "id",
 *   lists the matching contacts (archived ones too); %NULL when @query has
 *   nothing to search for
 *
 * A word of the query matches the start of a word of a contact's name,
 * emails, phone digits or company in the search index, or of one of the
 * contact's tags. Tags are not in the index, so that tagging many contacts
 * does not rewrite it: a word that starts a tag's name turns into "in the
 * index, or has one of these tags". The SQL takes no parameters.
 *
 * Returns: %FALSE with @error set when the tags cannot be read
 */
gboolean
crm_search_sql (sqlite3     *db,
                const char  *query,
                char       **sql,
                GError     **error)
{
  g_autoptr (GPtrArray) words = NULL;
  g_autoptr (GPtrArray) tags = NULL;
  g_autoptr (GPtrArray) tag_ids = NULL;
  g_autoptr (GString) indexed = g_string_new (NULL);
  g_autoptr (GString) out = g_string_new (NULL);
  g_autofree char *match = NULL;
  gboolean first_condition = TRUE;
  guint first_tagged = G_MAXUINT;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (sql != NULL, FALSE);

  *sql = NULL;
  if (query == NULL)
    return TRUE;

  /* Phone numbers are only in the index. */
  if (looks_like_phone (query))
    {
      match = crm_search_match_expression (query);
      if (match != NULL)
        {
          g_autofree char *quoted = sql_quote (match);

          *sql = g_strdup_printf ("SELECT rowid AS id FROM contact_fts WHERE contact_fts MATCH %s",
                                  quoted);
        }
      return TRUE;
    }

  words = query_words (query);
  if (words->len == 0)
    return TRUE;

  tags = read_tags (db, error);
  if (tags == NULL)
    return FALSE;

  tag_ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < words->len; i++)
    {
      const char *word = g_ptr_array_index (words, i);
      char *ids = tags->len > 0 ? tags_starting_with (tags, word) : NULL;

      g_ptr_array_add (tag_ids, ids);
      if (ids == NULL)
        append_token (indexed, NULL, word);
      else if (first_tagged == G_MAXUINT)
        first_tagged = i;
    }

  /* The words that only the index can match narrow the candidates; each
   * word a tag starts with is then the index or the tag. */
  if (indexed->len > 0)
    {
      g_autofree char *quoted = sql_quote (indexed->str);

      g_string_append_printf (out, "SELECT rowid AS id FROM contact_fts "
                                   "WHERE contact_fts MATCH %s", quoted);
      first_tagged = G_MAXUINT;
    }
  else
    {
      g_autoptr (GString) token = g_string_new (NULL);
      g_autofree char *quoted = NULL;

      append_token (token, NULL, g_ptr_array_index (words, first_tagged));
      quoted = sql_quote (token->str);
      g_string_append_printf (out, "SELECT rowid AS id FROM contact_fts WHERE contact_fts MATCH %s "
                                   "UNION SELECT contact_id FROM contact_tag WHERE tag_id IN (%s)",
                              quoted, (char *) g_ptr_array_index (tag_ids, first_tagged));
    }

  for (guint i = 0; i < words->len; i++)
    {
      const char *ids = g_ptr_array_index (tag_ids, i);
      g_autoptr (GString) token = NULL;
      g_autofree char *quoted = NULL;

      if (ids == NULL || i == first_tagged)
        continue;

      if (first_condition)
        {
          g_string_prepend (out, "SELECT id FROM (");
          g_string_append (out, ") WHERE ");
          first_condition = FALSE;
        }
      else
        {
          g_string_append (out, " AND ");
        }

      token = g_string_new (NULL);
      append_token (token, NULL, g_ptr_array_index (words, i));
      quoted = sql_quote (token->str);
      /* One IN over a compound, not two INs joined by OR: SQLite cannot
       * use MATCH inside an OR that its optimiser splits. */
      g_string_append_printf (out, "id IN (SELECT rowid FROM contact_fts WHERE contact_fts "
                                   "MATCH %s UNION ALL SELECT contact_id FROM contact_tag "
                                   "WHERE tag_id IN (%s))",
                              quoted, ids);
    }

  *sql = g_string_free (g_steal_pointer (&out), FALSE);
  return TRUE;
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

/* Appends the matches of @search to @ids: all of them (@half 0), those with
 * ids up to @split_id (-1) or those above it (1). They come in one step of
 * the statement, through crm_collect_ids(): row by row, stepping, reading
 * the column and taking the connection's mutex twice for each of half a
 * million matches cost a third of a search's time. */
static int
collect_matches (sqlite3    *db,
                 const char *search,
                 int         half,
                 gint64      split_id,
                 GArray     *ids)
{
  g_autofree char *sql = g_strdup_printf ("SELECT crm_collect_ids(id, ?2) FROM (%s)%s", search,
                                          half < 0 ? " WHERE id <= ?1"
                                          : half > 0 ? " WHERE id > ?1" : "");
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    return rc;

  sqlite3_bind_int64 (stmt, 1, split_id);
  sqlite3_bind_pointer (stmt, 2, ids, "crm-ids", NULL);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);

  return rc == SQLITE_ROW ? SQLITE_OK : rc;
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
  g_autofree char *sql = NULL;
  GArray *ids;
  int rc;

  if (!crm_search_sql (crm_store_get_db (store), query, &sql, error))
    return NULL;
  ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  if (sql == NULL)
    return ids;

  rc = collect_matches (crm_store_get_db (store), sql, 0, 0, ids);
  if (rc != SQLITE_OK)
    {
      crm_store_set_error (store, error, rc, _("Cannot search the contacts"));
      g_clear_pointer (&ids, g_array_unref);
    }

  return ids;
}

typedef struct
{
  sqlite3    *db;
  const char *sql;
  gint64      split_id;
  GArray     *ids;
  int         rc;
  char       *message;
} Half;

static gpointer
upper_half_thread (gpointer data)
{
  Half *half = data;

  half->rc = collect_matches (half->db, half->sql, 1, half->split_id, half->ids);
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
 * of a common prefix ("h", "ng") is most of a search's time, and
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
  g_autofree char *sql = NULL;
  Half upper = { helper, NULL, split_id, NULL, SQLITE_OK, NULL };
  GArray *ids;
  GThread *thread;
  int rc;

  if (!crm_search_sql (crm_store_get_db (store), query, &sql, error))
    return NULL;
  if (sql == NULL)
    return g_array_new (FALSE, FALSE, sizeof (gint64));

  upper.sql = sql;
  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), 4096);
  upper.ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), 4096);
  thread = g_thread_new ("crm-search", upper_half_thread, &upper);
  rc = collect_matches (crm_store_get_db (store), sql, -1, split_id, ids);
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
  g_autofree char *search = NULL;
  g_autofree char *sql = NULL;
  GArray *ids;
  const char *key = order == CRM_SORT_FAMILY_NAME ? "sort_family" : "sort_given";
  sqlite3_stmt *stmt;

  if (!crm_search_sql (crm_store_get_db (store), query, &search, error))
    return NULL;
  ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  if (search == NULL)
    return ids;

  /* CROSS JOIN keeps the index lookup outermost: probing the index once per
   * contact in sort order would read the whole table. */
  sql = g_strdup_printf ("SELECT c.id FROM (%s) f CROSS JOIN contact c ON c.id = f.id "
                         "WHERE c.archived = 0 ORDER BY c.%s, c.id LIMIT ?1",
                         search, key);
  stmt = crm_store_prepare (store, sql, error);
  if (stmt == NULL)
    {
      g_array_unref (ids);
      return NULL;
    }

  sqlite3_bind_int64 (stmt, 1, limit > 0 ? (gint64) limit : -1);
  return collect_ids (store, stmt, ids, error);
}
