/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-contacts"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "crm-contacts.h"
#include "crm-index-builder.h"
#include "crm-schema.h"

/**
 * crm_contact_display_name:
 *
 * The name as Vietnamese write it, family name first ("Nguyễn Văn Đức"),
 * or given name first as most foreign names are written ("John Smith").
 *
 * Returns: (transfer full): the display name
 */
char *
crm_contact_display_name (const char *given_name,
                          const char *middle_name,
                          const char *family_name,
                          gboolean    given_name_first)
{
  const char *vietnamese[] = { family_name, middle_name, given_name };
  const char *western[] = { given_name, middle_name, family_name };
  const char *const *parts = given_name_first ? western : vietnamese;
  GString *name = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (vietnamese); i++)
    {
      g_autofree char *part = NULL;

      if (parts[i] == NULL)
        continue;

      part = g_strstrip (g_strdup (parts[i]));
      if (*part == '\0')
        continue;

      if (name->len > 0)
        g_string_append_c (name, ' ');
      g_string_append (name, part);
    }

  return g_string_free (name, FALSE);
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text != NULL && *text != '\0')
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static void
bind_id (sqlite3_stmt *stmt,
         int           index,
         gint64        id)
{
  if (id > 0)
    sqlite3_bind_int64 (stmt, index, id);
  else
    sqlite3_bind_null (stmt, index);
}

typedef struct
{
  sqlite3_stmt *index;
  sqlite3_stmt *audit;
  sqlite3_stmt *next_id;
  sqlite3_stmt *contact;
  sqlite3_stmt *email;
  sqlite3_stmt *phone;
  sqlite3_stmt *address;
  sqlite3_stmt *company;
} Statements;

static void
statements_clear (Statements *s)
{
  g_clear_pointer (&s->index, sqlite3_finalize);
  g_clear_pointer (&s->audit, sqlite3_finalize);
  g_clear_pointer (&s->next_id, sqlite3_finalize);
  g_clear_pointer (&s->contact, sqlite3_finalize);
  g_clear_pointer (&s->email, sqlite3_finalize);
  g_clear_pointer (&s->phone, sqlite3_finalize);
  g_clear_pointer (&s->address, sqlite3_finalize);
  g_clear_pointer (&s->company, sqlite3_finalize);
}

static gboolean
statements_prepare (CrmStore    *store,
                    Statements  *s,
                    GError     **error)
{
  g_autofree char *audit = crm_schema_bulk_audit_sql ("contact");

  s->index = crm_store_prepare (store,
                                "INSERT INTO contact_fts (rowid, name, emails, phones, company) "
                                "SELECT * FROM contact_fts_source "
                                "WHERE id BETWEEN ?1 AND ?2",
                                error);
  if (s->index == NULL)
    return FALSE;
  s->audit = crm_store_prepare (store, audit, error);
  if (s->audit == NULL)
    return FALSE;
  s->next_id = crm_store_prepare (store, "SELECT ifnull(max(id), 0) + 1 FROM contact", error);
  if (s->next_id == NULL)
    return FALSE;
  s->contact = crm_store_prepare (store,
                                  "INSERT INTO contact (id, given_name, middle_name, family_name, "
                                  "display_name, company_id, job_title, source, owner, "
                                  "lifecycle_stage_id, lead_status_id, created, updated, "
                                  "primary_email, primary_phone) "
                                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                                  "ifnull(?12, unixepoch()), ifnull(?12, unixepoch()), ?13, ?14)",
                                  error);
  if (s->contact == NULL)
    return FALSE;
  s->email = crm_store_prepare (store,
                                "INSERT INTO contact_email (contact_id, email, is_primary) "
                                "VALUES (?1, ?2, 1)",
                                error);
  if (s->email == NULL)
    return FALSE;
  s->phone = crm_store_prepare (store,
                                "INSERT INTO contact_phone (contact_id, e164, raw, is_primary) "
                                "VALUES (?1, ?2, ?3, 1)",
                                error);
  if (s->phone == NULL)
    return FALSE;
  s->address = crm_store_prepare (store,
                                  "INSERT INTO contact_address (contact_id, province, country, "
                                  "is_primary) VALUES (?1, ?2, 'VN', 1)",
                                  error);
  if (s->address == NULL)
    return FALSE;
  s->company = crm_store_prepare (store, "SELECT name FROM company WHERE id = ?1", error);
  return s->company != NULL;
}

/* @doing is untranslated (N_()): an import steps millions of times and
 * fails once at most. */
static gboolean
step_done (CrmStore      *store,
           sqlite3_stmt  *stmt,
           const char    *doing,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (store, error, rc, _(doing));
      return FALSE;
    }

  return TRUE;
}

/* Inserts one contact, then its email, phone and address. The search index
 * and the audit log of the whole batch are written at its end; the primary
 * email and phone go into the contact's row here, as the triggers on the
 * child tables would have put them. */
static gint64
insert_one (CrmStore             *store,
            Statements           *s,
            const CrmNewContact  *c,
            const char           *display_name,
            gint64                id,
            GError              **error)
{
  if (*display_name == '\0')
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                           _("A contact needs a name"));
      return 0;
    }

  sqlite3_bind_int64 (s->contact, 1, id);
  sqlite3_bind_text (s->contact, 2, c->given_name != NULL ? c->given_name : "", -1,
                     SQLITE_TRANSIENT);
  sqlite3_bind_text (s->contact, 3, c->middle_name != NULL ? c->middle_name : "", -1,
                     SQLITE_TRANSIENT);
  sqlite3_bind_text (s->contact, 4, c->family_name != NULL ? c->family_name : "", -1,
                     SQLITE_TRANSIENT);
  sqlite3_bind_text (s->contact, 5, display_name, -1, SQLITE_TRANSIENT);
  bind_id (s->contact, 6, c->company_id);
  bind_text (s->contact, 7, c->job_title);
  bind_text (s->contact, 8, c->source);
  bind_text (s->contact, 9, c->owner);
  bind_id (s->contact, 10, c->lifecycle_stage_id);
  bind_id (s->contact, 11, c->lead_status_id);
  if (c->created > 0)
    sqlite3_bind_int64 (s->contact, 12, c->created);
  bind_text (s->contact, 13, c->email);
  bind_text (s->contact, 14, c->phone_e164);
  if (!step_done (store, s->contact, N_("Cannot save the contact"), error))
    return 0;

  if (c->email != NULL && *c->email != '\0')
    {
      sqlite3_bind_int64 (s->email, 1, id);
      bind_text (s->email, 2, c->email);
      if (!step_done (store, s->email, N_("Cannot save an email address"), error))
        return 0;
    }

  if (c->phone_e164 != NULL && *c->phone_e164 != '\0')
    {
      sqlite3_bind_int64 (s->phone, 1, id);
      bind_text (s->phone, 2, c->phone_e164);
      bind_text (s->phone, 3, c->phone_raw != NULL ? c->phone_raw : c->phone_e164);
      if (!step_done (store, s->phone, N_("Cannot save a phone number"), error))
        return 0;
    }

  if (c->province != NULL && *c->province != '\0')
    {
      sqlite3_bind_int64 (s->address, 1, id);
      bind_text (s->address, 2, c->province);
      if (!step_done (store, s->address, N_("Cannot save an address"), error))
        return 0;
    }

  return id;
}

static gint64
next_id (CrmStore    *store,
         Statements  *s,
         GError     **error)
{
  gint64 id = 0;
  int rc = sqlite3_step (s->next_id);

  if (rc == SQLITE_ROW)
    id = sqlite3_column_int64 (s->next_id, 0);
  else
    crm_store_set_error (store, error, rc, _("Cannot number a new contact"));
  sqlite3_reset (s->next_id);

  return id;
}

/* What a large import sets aside and makes again at its end:
 *
 * - the indexes whose entries it would write in random order, built again
 *   from sorted rows at a fraction of the cost of a million scattered
 *   inserts (the indexes on contact ids are appended to and stay);
 * - the insert triggers of the tables it writes, which do nothing during
 *   an import (crm_deferred()) but make each insert a statement that may
 *   write several tables, and so one that SQLite journals page by page in
 *   case it fails halfway. Without them an insert checks its constraints
 *   before it writes anything.
 */
static const struct
{
  const char *type;
  const char *name;
} set_aside[] = {
  { "index", "contact_sort_given" },
  { "index", "contact_sort_family" },
  { "index", "contact_email_email" },
  { "index", "contact_phone_e164" },
  { "trigger", "contact_audit_insert" },
  { "trigger", "contact_fts_insert" },
  { "trigger", "contact_email_primary_insert" },
  { "trigger", "contact_email_fts_insert" },
  { "trigger", "contact_phone_primary_insert" },
  { "trigger", "contact_phone_fts_insert" },
};

/* How the search index merges its segments, during a large import and
 * when unset (FTS5's defaults).
 *
 * FTS5 writes a new segment each time a megabyte of entries is pending,
 * some 320 of them for a million contacts. Merging them as they pile up
 * (automerge) would rewrite the index again and again; it is off, and the
 * next writes after the import merge what is left. A level that holds
 * crisismerge segments is merged at once, and at FTS5's 16 the import's
 * segments went through two merges, one into each of two levels above.
 * At 64 they go through one, into five segments, which searches read as
 * fast; at 1,000,000 contacts the import takes two seconds less. */
static const struct
{
  const char *name;
  int         unset;
  int         importing;
} merge_settings[] = {
  { "automerge", 4, 0 },
  { "crisismerge", 16, 64 },
};

/* An import is large, and sets things aside and changes how the index
 * merges, when it adds at least this many contacts and at least as many as
 * the workspace holds already. */
#define REBUILD_MIN 20000

struct _CrmContactImport
{
  CrmStore   *store;
  Statements  s;
  gint64      first_id;
  gint64      next_id;
  GPtrArray  *schema_sql;  /* what was set aside, as CREATE statements; NULL when nothing was */
  CrmIndexBuilder *index;  /* builds the search index of a large import into an empty workspace */
  gint64      company_id;  /* the last company looked up for it, and its name */
  char       *company_name;
  int         merging[G_N_ELEMENTS (merge_settings)];  /* their values before a large import */
  gboolean    open;
};

static gboolean
set_aside_schema (CrmContactImport  *import,
                  GError           **error)
{
  g_autoptr (GString) names = g_string_new (NULL);
  g_autofree char *select = NULL;
  sqlite3_stmt *stmt;
  int row;

  for (guint i = 0; i < G_N_ELEMENTS (set_aside); i++)
    g_string_append_printf (names, "%s'%s'", i > 0 ? ", " : "", set_aside[i].name);

  /* In the order they were made, for triggers on one table to keep
   * firing in the same order. */
  select = g_strdup_printf ("SELECT sql FROM sqlite_schema WHERE name IN (%s) ORDER BY rowid",
                            names->str);
  stmt = crm_store_prepare (import->store, select, error);
  if (stmt == NULL)
    return FALSE;

  import->schema_sql = g_ptr_array_new_with_free_func (g_free);
  while ((row = crm_store_next_row (import->store, stmt, _("Cannot read the workspace’s schema"),
                                    error)) > 0)
    g_ptr_array_add (import->schema_sql, crm_column_dup (stmt, 0));
  sqlite3_finalize (stmt);
  if (row < 0)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (set_aside); i++)
    {
      g_autofree char *drop = g_strdup_printf ("DROP %s IF EXISTS %s",
                                               set_aside[i].type, set_aside[i].name);

      if (!crm_store_exec (import->store, drop, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
set_merge_setting (CrmStore    *store,
                   const char  *name,
                   int          value,
                   GError     **error)
{
  g_autofree char *set = g_strdup_printf ("INSERT INTO contact_fts (contact_fts, rank) "
                                          "VALUES ('%s', %d)",
                                          name, value);

  return crm_store_exec (store, set, error);
}

static gboolean
set_merging_for_import (CrmContactImport  *import,
                        GError           **error)
{
  sqlite3_stmt *stmt = crm_store_prepare (import->store,
                                          "SELECT v FROM contact_fts_config WHERE k = ?1",
                                          error);

  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (merge_settings); i++)
    {
      sqlite3_bind_text (stmt, 1, merge_settings[i].name, -1, SQLITE_STATIC);
      import->merging[i] = sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int (stmt, 0)
                                                              : merge_settings[i].unset;
      sqlite3_reset (stmt);

      if (!set_merge_setting (import->store, merge_settings[i].name,
                              merge_settings[i].importing, error))
        {
          sqlite3_finalize (stmt);
          return FALSE;
        }
    }
  sqlite3_finalize (stmt);

  return TRUE;
}

static gboolean
restore_schema (CrmContactImport  *import,
                GError           **error)
{
  if (import->schema_sql == NULL)
    return TRUE;

  /* With temporary storage in memory SQLite sorts an index's rows in
   * memory, on this thread alone: it never writes them to a temporary
   * file, which SQLCipher would not encrypt. */
  for (guint i = 0; i < import->schema_sql->len; i++)
    {
      if (!crm_store_exec (import->store, g_ptr_array_index (import->schema_sql, i), error))
        return FALSE;
    }

  /* An index built apart (import->index) left them as they were. */
  for (guint i = 0; import->index == NULL && i < G_N_ELEMENTS (merge_settings); i++)
    {
      if (!set_merge_setting (import->store, merge_settings[i].name, import->merging[i], error))
        return FALSE;
    }

  return TRUE;
}

/* The name of a contact's company, for the search index; the contacts of
 * an import often share one. */
static const char *
company_name (CrmContactImport *import,
              gint64            company_id)
{
  sqlite3_stmt *stmt = import->s.company;

  if (company_id <= 0)
    return NULL;

  if (company_id != import->company_id)
    {
      g_clear_pointer (&import->company_name, g_free);
      import->company_id = company_id;
      sqlite3_bind_int64 (stmt, 1, company_id);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        import->company_name = crm_column_dup (stmt, 0);
      sqlite3_reset (stmt);
    }

  return import->company_name;
}

/**
 * crm_contact_import_begin:
 * @store: the workspace
 * @expected: about how many contacts will be added
 *
 * Starts adding contacts in one transaction: nothing of them is seen until
 * crm_contact_import_finish(), and crm_contact_import_free() without it
 * leaves the workspace as it was. A large import (@expected at least 20,000
 * and at least the number of contacts already there) builds the name, email
 * and phone indexes once at its end instead of row by row, and leaves out
 * the insert triggers that an import does the work of. Into an empty
 * workspace, another thread builds its search index meanwhile
 * (#CrmIndexBuilder).
 *
 * Returns: (transfer full): the import, or %NULL with @error set
 */
CrmContactImport *
crm_contact_import_begin (CrmStore  *store,
                          gsize      expected,
                          GError   **error)
{
  g_autoptr (CrmContactImport) import = NULL;

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);

  if (!crm_store_begin (store, error))
    return NULL;

  import = g_new0 (CrmContactImport, 1);
  import->store = g_object_ref (store);
  import->open = TRUE;

  /* The search index and the audit log of the new rows are written in one
   * statement each per batch, in the same transaction. */
  crm_store_set_deferred (store, TRUE);

  if (!crm_store_exec (store, "PRAGMA defer_foreign_keys = ON", error)
      || !statements_prepare (store, &import->s, error))
    return NULL;

  import->first_id = import->next_id = next_id (store, &import->s, error);
  if (import->first_id == 0)
    return NULL;

  if (expected >= REBUILD_MIN && (gint64) expected >= import->first_id - 1)
    {
      if (!set_aside_schema (import, error))
        return NULL;

      /* Into an empty workspace, the search index is built on another
       * thread; into one with contacts, here, as one that is merged
       * into. */
      if (import->first_id == 1)
        {
          import->index = crm_index_builder_new (store, error);
          if (import->index == NULL)
            return NULL;
        }
      else if (!set_merging_for_import (import, error))
        {
          return NULL;
        }
    }

  return g_steal_pointer (&import);
}

/**
 * crm_contact_import_add:
 * @first_id: (out) (optional): the id of the first contact added
 *
 * Adds @n_contacts contacts with their emails, phones and addresses, their
 * search index entries and their audit rows.
 */
gboolean
crm_contact_import_add (CrmContactImport     *import,
                        const CrmNewContact  *contacts,
                        gsize                 n_contacts,
                        gint64               *first_id,
                        GError              **error)
{
  CrmStore *store = import->store;
  gint64 first = import->next_id;

  g_return_val_if_fail (import->open, FALSE);

  if (first_id != NULL)
    *first_id = first;
  if (n_contacts == 0)
    return TRUE;

  for (gsize i = 0; i < n_contacts; i++)
    {
      const CrmNewContact *c = &contacts[i];
      g_autofree char *display_name = crm_contact_display_name (c->given_name, c->middle_name,
                                                                c->family_name,
                                                                c->given_name_first);

      if (insert_one (store, &import->s, c, display_name, import->next_id, error) == 0)
        return FALSE;
      if (import->index != NULL
          && !crm_index_builder_add (import->index, import->next_id, display_name,
                                     c->given_name, c->middle_name, c->family_name, c->email,
                                     c->phone_e164, company_name (import, c->company_id),
                                     error))
        return FALSE;
      import->next_id++;
    }

  /* FTS5 flushes what it holds into a new segment at each statement that
   * opens a savepoint, as one that indexes through a SELECT does: one such
   * statement for the batch, not one for each contact. */
  sqlite3_bind_int64 (import->s.index, 1, first);
  sqlite3_bind_int64 (import->s.index, 2, import->next_id - 1);
  if (import->index == NULL
      && !step_done (store, import->s.index, N_("Cannot index the new contacts for search"),
                     error))
    return FALSE;
  sqlite3_bind_int64 (import->s.audit, 1, first);
  sqlite3_bind_int64 (import->s.audit, 2, import->next_id - 1);
  return step_done (store, import->s.audit, N_("Cannot write the audit log"), error);
}

/**
 * crm_contact_import_finish:
 *
 * Builds what the import put off and commits. After it, whatever it
 * returns, the import can only be freed.
 */
gboolean
crm_contact_import_finish (CrmContactImport  *import,
                           GError           **error)
{
  CrmStore *store = import->store;
  gsize added = import->next_id - import->first_id;

  g_return_val_if_fail (import->open, FALSE);

  /* The indexes are built again while the other thread ends its work. */
  if (!restore_schema (import, error)
      || (import->index != NULL && !crm_index_builder_finish (import->index, error)))
    return FALSE;
  g_clear_pointer (&import->index, crm_index_builder_free);

  crm_store_set_deferred (store, FALSE);
  statements_clear (&import->s);
  import->open = FALSE;
  if (!crm_store_commit (store, error))
    return FALSE;

  if (added > 0)
    crm_store_emit_changed (store, "contact", added == 1 ? import->first_id : 0);
  return TRUE;
}

/**
 * crm_contact_import_free:
 *
 * Frees the import; one that was not finished is rolled back.
 */
void
crm_contact_import_free (CrmContactImport *import)
{
  if (import == NULL)
    return;

  if (import->open)
    {
      crm_store_set_deferred (import->store, FALSE);
      statements_clear (&import->s);
      crm_store_rollback (import->store);
    }

  g_clear_pointer (&import->index, crm_index_builder_free);
  g_clear_pointer (&import->schema_sql, g_ptr_array_unref);
  g_free (import->company_name);
  g_object_unref (import->store);
  g_free (import);
}

/**
 * crm_contacts_add_many:
 * @first_id: (out) (optional): the id of the first contact added
 *
 * Adds @n_contacts contacts in one transaction (see
 * crm_contact_import_begin()).
 */
gboolean
crm_contacts_add_many (CrmStore             *store,
                       const CrmNewContact  *contacts,
                       gsize                 n_contacts,
                       gint64               *first_id,
                       GError              **error)
{
  g_autoptr (CrmContactImport) import = crm_contact_import_begin (store, n_contacts, error);

  return import != NULL
         && crm_contact_import_add (import, contacts, n_contacts, first_id, error)
         && crm_contact_import_finish (import, error);
}

/**
 * crm_contacts_add:
 *
 * Returns: the new contact's id, or 0 with @error set
 */
gint64
crm_contacts_add (CrmStore             *store,
                  const CrmNewContact  *contact,
                  GError              **error)
{
  gint64 id = 0;

  if (!crm_contacts_add_many (store, contact, 1, &id, error))
    return 0;

  return id;
}

gint64
crm_contacts_count (CrmStore  *store,
                    GError   **error)
{
  sqlite3_stmt *stmt = crm_store_prepare (store,
                                          "SELECT count(*) FROM contact WHERE archived = 0",
                                          error);
  gint64 count = -1;
  int rc;

  if (stmt == NULL)
    return -1;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  else
    crm_store_set_error (store, error, rc, _("Cannot count the contacts"));
  sqlite3_finalize (stmt);

  return count;
}
