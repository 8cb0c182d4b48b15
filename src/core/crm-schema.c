/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-schema"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "crm-core-resources.h"
#include "crm-schema.h"
#include "crm-store.h"
#include "crm-text.h"

/* The entities whose every insert, update and delete the audit log keeps,
 * with the columns it records. Bookkeeping columns (created, updated,
 * last_interaction) are left out: they change on their own. */
typedef struct
{
  const char *table;
  const char *const *columns;
} AuditedTable;

static const char *const contact_columns[] = {
  "given_name", "middle_name", "family_name", "display_name", "company_id", "job_title",
  "birthday", "gender", "preferred_channel", "interests", "education", "occupation",
  "income_band", "family_status", "lifestyle", "notes", "lifecycle_stage_id",
  "lead_status_id", "source", "owner", "consent", "consent_date", "consent_source",
  "archived", NULL
};

static const char *const company_columns[] = {
  "name", "tax_code", "industry", "size", "website", "street", "ward", "district",
  "province", "country", "phone", "email", "owner", "archived", NULL
};

static const char *const deal_columns[] = {
  "title", "contact_id", "company_id", "stage_id", "value", "currency", "expected_close",
  "owner", "status", "lost_reason", "position", "closed", "notes", "archived", NULL
};

static const char *const interaction_columns[] = {
  "contact_id", "deal_id", "kind", "channel", "direction", "happened", "duration", "subject",
  "body", "amount", "currency", "sentiment", "satisfaction", "outcome", NULL
};

static const char *const task_columns[] = {
  "title", "due", "remind_at", "done", "done_at", "priority", "contact_id", "deal_id",
  "owner", "notes", NULL
};

static const AuditedTable audited_tables[] = {
  { "contact", contact_columns },
  { "company", company_columns },
  { "deal", deal_columns },
  { "interaction", interaction_columns },
  { "task", task_columns },
};

/* Child tables whose rows are part of a contact's search text; the tags
 * were until version 4. */
static const char *const contact_fts_children[] = {
  "contact_email", "contact_phone", "contact_tag",
};

/* The search index's columns, and the view that gives them. */
static const char *
fts_columns (gboolean with_tags)
{
  return with_tags ? "rowid, name, emails, phones, company, tags"
                   : "rowid, name, emails, phones, company";
}

/* SQL functions */

static void
fold_func (sqlite3_context  *context,
           int               argc,
           sqlite3_value   **argv)
{
  const char *text = (const char *) sqlite3_value_text (argv[0]);
  GString *folded;

  if (text == NULL)
    {
      sqlite3_result_null (context);
      return;
    }

  folded = g_string_sized_new (sqlite3_value_bytes (argv[0]) + 8);
  crm_fold_append (folded, text);
  sqlite3_result_text (context, folded->str, folded->len, g_free);
  g_string_free (folded, FALSE);
}

static void
phone_digits_func (sqlite3_context  *context,
                   int               argc,
                   sqlite3_value   **argv)
{
  const char *text = (const char *) sqlite3_value_text (argv[0]);
  char *digits = text != NULL ? crm_phone_digits (text) : NULL;

  if (digits == NULL)
    sqlite3_result_null (context);
  else
    sqlite3_result_text (context, digits, -1, g_free);
}

/* crm_sort_key(first, second, third, fallback): the Vietnamese sort key of
 * three name parts in that order, or of the fallback (the display name)
 * when the three are empty. */
static void
sort_key_func (sqlite3_context  *context,
               int               argc,
               sqlite3_value   **argv)
{
  const char *parts[4] = { NULL, };
  int n = 0;
  guint8 *key;
  gsize length = 0;

  for (int i = 0; i < 3; i++)
    {
      const char *text = (const char *) sqlite3_value_text (argv[i]);

      if (text != NULL && *text != '\0')
        parts[n++] = text;
    }

  if (n == 0)
    {
      const char *fallback = (const char *) sqlite3_value_text (argv[3]);

      parts[n++] = fallback != NULL ? fallback : "";
    }

  key = crm_sort_key (parts, &length);
  sqlite3_result_blob (context, key, length, g_free);
}

/* crm_deferred(): whether the connection is in a bulk write that indexes and
 * audits its rows in one statement at the end (see crm_store_set_deferred).
 * Statement by statement, FTS5 would flush its pending index at every
 * trigger's savepoint and spend most of a bulk insert merging tiny segments. */
static void
deferred_func (sqlite3_context  *context,
               int               argc,
               sqlite3_value   **argv)
{
  const gboolean *deferred = sqlite3_user_data (context);

  sqlite3_result_int (context, deferred != NULL && *deferred);
}

/* Appends @text as a JSON string. Audit rows are written by the million in
 * an import, and most of their text needs no escape: it goes in runs. */
static void
append_json_string (GString    *out,
                    const char *text)
{
  const guchar *run = (const guchar *) text;
  const guchar *p;

  g_string_append_c (out, '"');
  for (p = run; *p != '\0'; p++)
    {
      const char *escape;

      if (*p >= 0x20 && *p != '"' && *p != '\\')
        continue;

      g_string_append_len (out, (const char *) run, p - run);
      run = p + 1;
      switch (*p)
        {
        case '"':
          escape = "\\\"";
          break;
        case '\\':
          escape = "\\\\";
          break;
        case '\n':
          escape = "\\n";
          break;
        case '\r':
          escape = "\\r";
          break;
        case '\t':
          escape = "\\t";
          break;
        default:
          g_string_append_printf (out, "\\u%04x", *p);
          continue;
        }
      g_string_append (out, escape);
    }
  g_string_append_len (out, (const char *) run, p - run);
  g_string_append_c (out, '"');
}

/* crm_json_set(key, value, …): a JSON object of the pairs whose value is
 * set. The audit log keeps what a row holds, not a list of its empty
 * columns, which would make up most of its size. */
static void
json_set_func (sqlite3_context  *context,
               int               argc,
               sqlite3_value   **argv)
{
  GString *out = g_string_sized_new (128);
  gboolean first = TRUE;

  g_string_append_c (out, '{');
  for (int i = 0; i + 1 < argc; i += 2)
    {
      const char *key = (const char *) sqlite3_value_text (argv[i]);
      sqlite3_value *value = argv[i + 1];
      int type = sqlite3_value_type (value);

      if (key == NULL || type == SQLITE_NULL || type == SQLITE_BLOB)
        continue;

      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;
      append_json_string (out, key);
      g_string_append_c (out, ':');

      if (type == SQLITE_INTEGER)
        g_string_append (out, (const char *) sqlite3_value_text (value));
      else if (type == SQLITE_FLOAT)
        {
          char buffer[G_ASCII_DTOSTR_BUF_SIZE];

          g_string_append (out, g_ascii_dtostr (buffer, sizeof buffer,
                                                sqlite3_value_double (value)));
        }
      else
        append_json_string (out, (const char *) sqlite3_value_text (value));
    }
  g_string_append_c (out, '}');

  sqlite3_result_text (context, out->str, out->len, g_free);
  g_string_free (out, FALSE);
}

/* Whether @word is one of the space-separated words of the first @length
 * bytes of @text: "quan" is one of "huynh quang quan", though it starts
 * "quang" first. */
static gboolean
contains_word (const char *text,
               gsize       length,
               const char *word,
               gsize       word_length)
{
  const char *end = text + length;

  for (const char *found = g_strstr_len (text, length, word);
       found != NULL;
       found = g_strstr_len (found + 1, end - (found + 1), word))
    {
      if ((found == text || found[-1] == ' ')
          && (found + word_length == end || found[word_length] == ' '))
        return TRUE;
    }

  return FALSE;
}

/* crm_name_text(display, given, middle, family): the folded words a contact
 * is found by: the display name, and any name part it does not contain. */
static void
name_text_func (sqlite3_context  *context,
                int               argc,
                sqlite3_value   **argv)
{
  GString *out = g_string_sized_new (64);
  const char *display = (const char *) sqlite3_value_text (argv[0]);
  gsize display_len;

  crm_fold_append (out, display != NULL ? display : "");
  display_len = out->len;

  for (int i = 1; i < argc; i++)
    {
      const char *part = (const char *) sqlite3_value_text (argv[i]);
      g_autofree char *folded = NULL;
      gsize length;

      if (part == NULL || *part == '\0')
        continue;

      folded = crm_fold (part);
      length = strlen (folded);
      if (length == 0 || contains_word (out->str, display_len, folded, length))
        continue;

      g_string_append_c (out, ' ');
      g_string_append (out, folded);
    }

  sqlite3_result_text (context, out->str, out->len, g_free);
  g_string_free (out, FALSE);
}

static void
user_func (sqlite3_context  *context,
           int               argc,
           sqlite3_value   **argv)
{
  sqlite3_result_text (context, g_get_user_name (), -1, SQLITE_STATIC);
}

/* crm_collect_ids(id, array): appends each id to the GArray of gint64 bound
 * as a pointer of type "crm-ids" (sqlite3_bind_pointer()), and gives their
 * number. A search's matches reach the caller in one step of the statement
 * instead of one step, one column read and two mutex round trips each. */
static void
collect_ids_step (sqlite3_context  *context,
                  int               argc,
                  sqlite3_value   **argv)
{
  GArray *ids = sqlite3_value_pointer (argv[1], "crm-ids");
  gint64 *count = sqlite3_aggregate_context (context, sizeof (gint64));
  gint64 id;

  if (ids == NULL || count == NULL)
    {
      sqlite3_result_error (context, "crm_collect_ids() needs an array", -1);
      return;
    }

  id = sqlite3_value_int64 (argv[0]);
  g_array_append_val (ids, id);
  (*count)++;
}

static void
collect_ids_final (sqlite3_context *context)
{
  gint64 *count = sqlite3_aggregate_context (context, 0);

  sqlite3_result_int64 (context, count != NULL ? *count : 0);
}

gboolean
crm_schema_register_functions (sqlite3   *db,
                               gboolean  *deferred,
                               GError   **error)
{
  const int pure = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
  int rc = SQLITE_OK;

  rc |= sqlite3_create_function (db, "crm_fold", 1, pure, NULL, fold_func, NULL, NULL);
  rc |= sqlite3_create_function (db, "crm_phone_digits", 1, pure, NULL, phone_digits_func,
                                 NULL, NULL);
  rc |= sqlite3_create_function (db, "crm_sort_key", 4, pure, NULL, sort_key_func, NULL, NULL);
  rc |= sqlite3_create_function (db, "crm_json_set", -1, pure, NULL, json_set_func, NULL, NULL);
  rc |= sqlite3_create_function (db, "crm_name_text", 4, pure, NULL, name_text_func, NULL, NULL);
  rc |= sqlite3_create_function (db, "crm_collect_ids", 2, SQLITE_UTF8 | SQLITE_DIRECTONLY, NULL,
                                 NULL, collect_ids_step, collect_ids_final);
  rc |= sqlite3_create_function (db, "crm_user", 0, SQLITE_UTF8 | SQLITE_INNOCUOUS, NULL,
                                 user_func, NULL, NULL);
  rc |= sqlite3_create_function (db, "crm_deferred", 0, SQLITE_UTF8 | SQLITE_INNOCUOUS, deferred,
                                 deferred_func, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_FAILED,
                   _("Cannot register the database functions: %s"), sqlite3_errmsg (db));
      return FALSE;
    }

  return TRUE;
}

/* Generated parts of schema v1 */

/* Every audited column of the row that is set, as one JSON object. */
static void
append_columns_object (GString           *sql,
                       const char        *row,
                       const char *const *columns)
{
  g_string_append (sql, "crm_json_set(");
  for (guint i = 0; columns[i] != NULL; i++)
    g_string_append_printf (sql, "%s'%s', %s.%s", i > 0 ? ", " : "", columns[i], row, columns[i]);
  g_string_append (sql, ")");
}

/* The changed fields as a JSON object of their old or new values. (A VALUES
 * list would read better, but its columnN names do not resolve inside a
 * trigger.) */
static void
append_changed_values (GString           *sql,
                       const char        *select_column,
                       const char *const *columns)
{
  g_string_append_printf (sql, "(SELECT json_group_object(k, %s) FROM (", select_column);
  for (guint i = 0; columns[i] != NULL; i++)
    g_string_append_printf (sql, "%sSELECT '%s' AS k, OLD.%s AS o, NEW.%s AS n",
                            i > 0 ? " UNION ALL " : "", columns[i], columns[i], columns[i]);
  g_string_append (sql, ") WHERE o IS NOT n)");
}

/* INSERT INTO audit_log … <open> unixepoch(), …, <row>.id, 'insert', {"new": …} <close>
 *
 * The bulk statement (@wrap_as_text) writes the same text as the trigger
 * without parsing it again: crm_json_set() already gives the compact JSON
 * that json() would give back, so it is wrapped by concatenation, which
 * halves the cost of auditing a large import. */
static void
append_audit_insert (GString           *sql,
                     const char        *table,
                     const char *const *columns,
                     const char        *open,
                     const char        *row,
                     const char        *close,
                     gboolean           wrap_as_text)
{
  g_string_append_printf (sql,
                          "INSERT INTO audit_log (at, who, entity, entity_id, action, changes) "
                          "%sunixepoch(), crm_user(), '%s', %s.id, 'insert', %s",
                          open, table, row,
                          wrap_as_text ? "'{\"new\":' || " : "json_object('new', json(");
  append_columns_object (sql, row, columns);
  g_string_append_printf (sql, "%s%s", wrap_as_text ? " || '}'" : "))", close);
}

static void
append_audit_triggers (GString            *sql,
                       const AuditedTable *audited)
{
  const char *table = audited->table;

  /* Insert: the new values that are set. */
  g_string_append_printf (sql,
                          "CREATE TRIGGER %s_audit_insert AFTER INSERT ON %s "
                          "WHEN NOT crm_deferred() BEGIN ",
                          table, table);
  append_audit_insert (sql, table, audited->columns, "VALUES (", "NEW", ")", FALSE);
  g_string_append (sql, "; END;\n");

  /* Update: only the fields that changed, old and new. */
  /* A bulk change (crm_deferred()) audits its rows in one statement. */
  g_string_append_printf (sql, "CREATE TRIGGER %s_audit_update AFTER UPDATE ON %s "
                               "WHEN NOT crm_deferred() AND (",
                          table, table);
  for (guint i = 0; audited->columns[i] != NULL; i++)
    g_string_append_printf (sql, "%sOLD.%s IS NOT NEW.%s", i > 0 ? " OR " : "",
                            audited->columns[i], audited->columns[i]);
  g_string_append (sql, ")");
  g_string_append_printf (sql,
                          " BEGIN INSERT INTO audit_log (at, who, entity, entity_id, action, "
                          "changes) VALUES (unixepoch(), crm_user(), '%s', NEW.id, 'update', "
                          "json_object('old', json(",
                          table);
  append_changed_values (sql, "o", audited->columns);
  g_string_append (sql, "), 'new', json(");
  append_changed_values (sql, "n", audited->columns);
  g_string_append (sql, "))); END;\n");

  /* Delete: the values that were set. */
  g_string_append_printf (sql,
                          "CREATE TRIGGER %s_audit_delete AFTER DELETE ON %s BEGIN "
                          "INSERT INTO audit_log (at, who, entity, entity_id, action, changes) "
                          "VALUES (unixepoch(), crm_user(), '%s', OLD.id, 'delete', "
                          "json_object('old', json(",
                          table, table, table);
  append_columns_object (sql, "OLD", audited->columns);
  g_string_append (sql, "))); END;\n");
}

static void
append_reindex (GString    *sql,
                const char *contact_id,
                gboolean    with_tags)
{
  g_string_append_printf (sql,
                          "DELETE FROM contact_fts WHERE rowid = %s; "
                          "INSERT INTO contact_fts (%s) "
                          "SELECT * FROM contact_fts_source WHERE id = %s; ",
                          contact_id, fts_columns (with_tags), contact_id);
}

/* A child row's delete reindexes its contact. Bulk untagging (crm_deferred())
 * reindexes its contacts in one statement instead; the other children are
 * never deleted in bulk. */
static void
append_child_delete_trigger (GString    *sql,
                             const char *table,
                             gboolean    with_tags)
{
  g_string_append_printf (sql,
                          "CREATE TRIGGER %s_fts_delete AFTER DELETE ON %s "
                          "WHEN %sEXISTS (SELECT 1 FROM contact WHERE id = OLD.contact_id) "
                          "BEGIN ",
                          table, table,
                          g_str_equal (table, "contact_tag") ? "NOT crm_deferred() AND " : "");
  append_reindex (sql, "OLD.contact_id", with_tags);
  g_string_append (sql, "END;\n");
}

static void
append_fts_triggers (GString  *sql,
                     gboolean  with_tags)
{
  const char *columns = fts_columns (with_tags);

  for (guint i = 0; i < G_N_ELEMENTS (contact_fts_children); i++)
    {
      const char *table = contact_fts_children[i];

      if (!with_tags && g_str_equal (table, "contact_tag"))
        continue;

      /* While a contact is being created its children may come first; the
       * contact's own insert then indexes everything at once. */
      g_string_append_printf (sql,
                              "CREATE TRIGGER %s_fts_insert AFTER INSERT ON %s "
                              "WHEN NOT crm_deferred() "
                              "AND EXISTS (SELECT 1 FROM contact WHERE id = NEW.contact_id) "
                              "BEGIN ",
                              table, table);
      append_reindex (sql, "NEW.contact_id", with_tags);
      g_string_append (sql, "END;\n");

      append_child_delete_trigger (sql, table, with_tags);

      g_string_append_printf (sql, "CREATE TRIGGER %s_fts_update AFTER UPDATE ON %s BEGIN ",
                              table, table);
      append_reindex (sql, "OLD.contact_id", with_tags);
      g_string_append_printf (sql, "DELETE FROM contact_fts WHERE rowid = NEW.contact_id "
                                   "AND NEW.contact_id IS NOT OLD.contact_id; "
                                   "INSERT INTO contact_fts (%s) "
                                   "SELECT * FROM contact_fts_source WHERE id = NEW.contact_id "
                                   "AND NEW.contact_id IS NOT OLD.contact_id; ",
                              columns);
      g_string_append (sql, "END;\n");
    }

  /* A renamed company (or, before version 4, tag) changes the search text
   * of its contacts. */
  g_string_append_printf (sql,
                          "CREATE TRIGGER company_fts_update AFTER UPDATE OF name ON company BEGIN "
                          "DELETE FROM contact_fts WHERE rowid IN "
                          "(SELECT id FROM contact WHERE company_id = NEW.id); "
                          "INSERT INTO contact_fts (%s) "
                          "SELECT * FROM contact_fts_source WHERE id IN "
                          "(SELECT id FROM contact WHERE company_id = NEW.id); END;\n",
                          columns);
  if (with_tags)
    g_string_append_printf (sql,
                            "CREATE TRIGGER tag_fts_update AFTER UPDATE OF name ON tag BEGIN "
                            "DELETE FROM contact_fts WHERE rowid IN "
                            "(SELECT contact_id FROM contact_tag WHERE tag_id = NEW.id); "
                            "INSERT INTO contact_fts (%s) "
                            "SELECT * FROM contact_fts_source WHERE id IN "
                            "(SELECT contact_id FROM contact_tag WHERE tag_id = NEW.id); END;\n",
                            columns);
}

/* The built-in rows: lifecycle stages, lead statuses and the default
 * pipeline. Their names are stored in English and shown translated. */
static void
append_builtin_rows (GString *sql)
{
  static const char *const lifecycle[] = {
    "subscriber", "Subscriber", "lead", "Lead",
    "mql", "Marketing-qualified lead", "sql", "Sales-qualified lead",
    "opportunity", "Opportunity", "customer", "Customer",
    "evangelist", "Loyal customer", "other", "Other",
  };
  static const char *const statuses[] = {
    "new", "New", "open", "Open", "in_progress", "In progress",
    "open_deal", "Open deal", "unqualified", "Unqualified",
    "attempted", "Attempted to contact", "connected", "Connected",
    "bad_timing", "Bad timing",
  };
  static const struct {
    const char *name;
    int probability;
    const char *kind;
    int idle_days;
  } stages[] = {
    { "New lead", 10, "open", 7 },
    { "Qualified", 25, "open", 14 },
    { "Proposal sent", 50, "open", 14 },
    { "Negotiation", 75, "open", 21 },
    { "Won", 100, "won", 0 },
    { "Lost", 0, "lost", 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (lifecycle); i += 2)
    g_string_append_printf (sql, "INSERT INTO lifecycle_stage (key, name, position, builtin) "
                                 "VALUES ('%s', '%s', %u, 1);\n",
                            lifecycle[i], lifecycle[i + 1], i / 2);
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i += 2)
    g_string_append_printf (sql, "INSERT INTO lead_status (key, name, position, builtin) "
                                 "VALUES ('%s', '%s', %u, 1);\n",
                            statuses[i], statuses[i + 1], i / 2);

  g_string_append (sql, "INSERT INTO pipeline (id, name, position, is_default) "
                        "VALUES (1, 'Sales', 0, 1);\n");
  for (guint i = 0; i < G_N_ELEMENTS (stages); i++)
    {
      g_string_append_printf (sql, "INSERT INTO stage (pipeline_id, name, position, probability, "
                                   "kind, idle_days) VALUES (1, '%s', %u, %d, '%s', ",
                              stages[i].name, i, stages[i].probability, stages[i].kind);
      if (stages[i].idle_days > 0)
        g_string_append_printf (sql, "%d);\n", stages[i].idle_days);
      else
        g_string_append (sql, "NULL);\n");
    }
}

static char *
build_v1 (GError **error)
{
  g_autoptr (GBytes) base = NULL;
  GString *sql;

  base = g_resource_lookup_data (crm_core_get_resource (),
                                 RESOURCE_BASE "/sql/crm-schema-v1.sql",
                                 G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (base == NULL)
    return NULL;

  sql = g_string_new_len (g_bytes_get_data (base, NULL), g_bytes_get_size (base));
  g_string_append_c (sql, '\n');
  for (guint i = 0; i < G_N_ELEMENTS (audited_tables); i++)
    append_audit_triggers (sql, &audited_tables[i]);
  append_fts_triggers (sql, TRUE);
  append_builtin_rows (sql);

  return g_string_free (sql, FALSE);
}

static char *
load_sql (const char  *name,
          GError     **error)
{
  g_autofree char *path = g_strconcat (RESOURCE_BASE "/sql/", name, NULL);
  g_autoptr (GBytes) bytes = g_resource_lookup_data (crm_core_get_resource (), path,
                                                     G_RESOURCE_LOOKUP_FLAGS_NONE, error);

  if (bytes == NULL)
    return NULL;

  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
append_primary_triggers (GString    *sql,
                         const char *table,
                         const char *column,
                         const char *value)
{
  g_autofree char *refresh = g_strdup_printf ("UPDATE contact SET %s = (SELECT x.%s FROM %s x "
                                              "WHERE x.contact_id = contact.id "
                                              "ORDER BY x.is_primary DESC, x.id LIMIT 1) ",
                                              column, value, table);

  g_string_append_printf (sql,
                          "CREATE TRIGGER %s_primary_insert AFTER INSERT ON %s "
                          "WHEN NOT crm_deferred() BEGIN %s WHERE id = NEW.contact_id; END;\n",
                          table, table, refresh);
  g_string_append_printf (sql,
                          "CREATE TRIGGER %s_primary_update AFTER UPDATE ON %s BEGIN "
                          "%s WHERE id IN (OLD.contact_id, NEW.contact_id); END;\n",
                          table, table, refresh);
  g_string_append_printf (sql,
                          "CREATE TRIGGER %s_primary_delete AFTER DELETE ON %s BEGIN "
                          "%s WHERE id = OLD.contact_id; END;\n",
                          table, table, refresh);
}

/* Version 2: segments, the primary email and phone in the contact row,
 * partial indexes, a leaner search index and an audit log without empty
 * columns. */
static char *
build_v2 (GError **error)
{
  g_autofree char *base = load_sql ("crm-schema-v2.sql", error);
  GString *sql;

  if (base == NULL)
    return NULL;

  sql = g_string_new (base);
  g_string_append_c (sql, '\n');
  for (guint i = 0; i < G_N_ELEMENTS (audited_tables); i++)
    {
      const char *table = audited_tables[i].table;

      g_string_append_printf (sql,
                              "DROP TRIGGER %s_audit_insert; DROP TRIGGER %s_audit_update; "
                              "DROP TRIGGER %s_audit_delete;\n",
                              table, table, table);
      append_audit_triggers (sql, &audited_tables[i]);
    }
  g_string_append (sql, "DROP TRIGGER contact_tag_fts_delete;\n");
  append_child_delete_trigger (sql, "contact_tag", TRUE);
  append_primary_triggers (sql, "contact_email", "primary_email", "email");
  append_primary_triggers (sql, "contact_phone", "primary_phone", "e164");

  return g_string_free (sql, FALSE);
}


/* Version 4: tags leave the search index. */
static char *
build_v4 (GError **error)
{
  g_autofree char *base = load_sql ("crm-schema-v4.sql", error);
  GString *sql;

  if (base == NULL)
    return NULL;

  sql = g_string_new (base);
  g_string_append_c (sql, '\n');
  append_fts_triggers (sql, FALSE);

  return g_string_free (sql, FALSE);
}

static const AuditedTable *
find_audited (const char *table)
{
  for (guint i = 0; i < G_N_ELEMENTS (audited_tables); i++)
    {
      if (g_str_equal (audited_tables[i].table, table))
        return &audited_tables[i];
    }

  g_return_val_if_reached (NULL);
}

/**
 * crm_schema_bulk_audit_sql:
 * @table: an audited table
 *
 * The statement a bulk insert runs at its end, instead of the per-row
 * trigger: it audits the rows with ids from ?1 to ?2 exactly as the trigger
 * would have.
 *
 * Returns: (transfer full): the SQL
 */
char *
crm_schema_bulk_audit_sql (const char *table)
{
  const AuditedTable *audited = find_audited (table);
  GString *sql = g_string_new (NULL);
  g_autofree char *from = g_strdup_printf (" FROM %s WHERE id BETWEEN ?1 AND ?2", table);

  append_audit_insert (sql, table, audited->columns, "SELECT ", table, from, TRUE);
  return g_string_free (sql, FALSE);
}

int
crm_schema_latest_version (void)
{
  return CRM_STORE_SCHEMA_VERSION;
}

/**
 * crm_schema_migrate:
 * @db: an open, keyed connection inside a write transaction
 * @from_version: the schema version the file has now (0 for a new file)
 *
 * Applies every numbered migration after @from_version. The caller owns the
 * transaction, so a failure leaves the file as it was.
 */
gboolean
crm_schema_migrate (sqlite3  *db,
                    int       from_version,
                    GError  **error)
{
  for (int version = from_version + 1; version <= CRM_STORE_SCHEMA_VERSION; version++)
    {
      g_autofree char *sql = NULL;
      g_autofree char *pragma = NULL;
      char *message = NULL;

      switch (version)
        {
        case 1:
          sql = build_v1 (error);
          break;

        case 2:
          sql = build_v2 (error);
          break;

        case 3:
          sql = load_sql ("crm-schema-v3.sql", error);
          break;

        case 4:
          sql = build_v4 (error);
          break;

        case 5:
          sql = load_sql ("crm-schema-v5.sql", error);
          break;

        default:
          g_assert_not_reached ();
        }

      if (sql == NULL)
        return FALSE;

      if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
        {
          g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_FAILED,
                       _("Cannot bring the workspace to version %d: %s"), version, message);
          sqlite3_free (message);
          return FALSE;
        }

      pragma = g_strdup_printf ("PRAGMA user_version = %d", version);
      if (sqlite3_exec (db, pragma, NULL, NULL, &message) != SQLITE_OK)
        {
          g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_FAILED,
                       _("Cannot bring the workspace to version %d: %s"), version, message);
          sqlite3_free (message);
          return FALSE;
        }
    }

  return TRUE;
}
