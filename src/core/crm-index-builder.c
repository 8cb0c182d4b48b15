/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-index-builder"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "crm-index-builder.h"

/* A large import into an empty workspace spends two fifths of its time on
 * the search index: folding and cutting the text into words, sorting them,
 * writing and merging segments. SQLite lets one connection write to the
 * workspace, and that one is busy with the rows; so another thread builds
 * the index of the new contacts in a scratch database of its own, from the
 * same text the index's triggers would take, while the rows go in. At the
 * end, in the import's transaction, the index's tables are copied into the
 * workspace's, which were empty: a copy of the finished pages, not the work
 * of making them.
 *
 * The scratch database is encrypted with a key that only its connection
 * knows, and its file is gone from the directory from the start
 * (crm_store_open_scratch()). */

#define SCRATCH_NAME "import-index.db"

/* Contacts handed to the other thread at once, and how many such batches
 * may wait for it before the import waits in turn. The thread falls
 * behind while it merges segments and catches up while the import builds
 * its indexes; with room for 200,000 contacts (some 30 MB at most) the
 * import never waits for it, where with 65,000 it waited 0.4 s of a
 * million. */
#define BATCH_SIZE 8192
#define QUEUE_MAX 24

enum
{
  FIELD_DISPLAY_NAME,
  FIELD_GIVEN_NAME,
  FIELD_MIDDLE_NAME,
  FIELD_FAMILY_NAME,
  FIELD_EMAIL,
  FIELD_PHONE,
  FIELD_COMPANY,
  N_FIELDS
};

typedef struct
{
  gint64      id;
  const char *fields[N_FIELDS];
} Entry;

typedef struct
{
  GArray       *entries;
  GStringChunk *strings;
} Batch;

/* The index's tables, in the order they are copied. */
static const char *const index_tables[] = {
  "contact_fts_data",
  "contact_fts_idx",
  "contact_fts_docsize",
};

struct _CrmIndexBuilder
{
  CrmStore *store;
  sqlite3  *db;       /* the scratch database: the thread's alone until it ends */
  GThread  *thread;
  Batch    *filling;  /* the importing thread's */

  GMutex    lock;     /* guards what follows */
  GCond     changed;
  GQueue    waiting;  /* of Batch */
  gboolean  ended;    /* no more batches will come */
  gboolean  cancelled;
  gboolean  stopped;  /* the thread has returned */
  GError   *error;    /* why it stopped early */
};

static Batch *
batch_new (void)
{
  Batch *batch = g_new0 (Batch, 1);

  batch->entries = g_array_sized_new (FALSE, FALSE, sizeof (Entry), BATCH_SIZE);
  batch->strings = g_string_chunk_new (BATCH_SIZE * 64);
  return batch;
}

static void
batch_free (Batch *batch)
{
  g_array_unref (batch->entries);
  g_string_chunk_free (batch->strings);
  g_free (batch);
}

/* What the scratch database's last failure was. */
static void
set_scratch_error (sqlite3  *db,
                   GError  **error)
{
  g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_FAILED,
               _("Cannot index the new contacts for search: %s"), sqlite3_errmsg (db));
}

static gboolean
exec_sql (sqlite3     *db,
          const char  *sql,
          GError     **error)
{
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      set_scratch_error (db, error);
      return FALSE;
    }

  return TRUE;
}

/* The workspace's index as it is declared and configured, made empty in
 * the scratch database, with the settings a large import writes under
 * (crm_contact_import_begin()). */
static gboolean
create_index (CrmIndexBuilder  *self,
              GError          **error)
{
  sqlite3_stmt *stmt;
  sqlite3_stmt *set = NULL;
  int row;

  stmt = crm_store_prepare (self->store,
                            "SELECT sql FROM sqlite_schema WHERE name = 'contact_fts'", error);
  if (stmt == NULL)
    return FALSE;
  row = crm_store_next_row (self->store, stmt, _("Cannot read the workspace’s schema"), error);
  if (row > 0 && !exec_sql (self->db, (const char *) sqlite3_column_text (stmt, 0), error))
    row = -1;
  sqlite3_finalize (stmt);
  if (row <= 0)
    {
      if (row == 0)
        g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_DAMAGED,
                     _("The workspace has no search index"));
      return FALSE;
    }

  /* Its page size, and anything else set on it that changes what is
   * written; not the version, which FTS5 writes itself. */
  stmt = crm_store_prepare (self->store,
                            "SELECT k, v FROM contact_fts_config WHERE k <> 'version'", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_prepare_v2 (self->db, "INSERT INTO contact_fts (contact_fts, rank) VALUES (?1, ?2)",
                          -1, &set, NULL) != SQLITE_OK)
    {
      set_scratch_error (self->db, error);
      sqlite3_finalize (stmt);
      return FALSE;
    }
  while ((row = crm_store_next_row (self->store, stmt, _("Cannot read the workspace’s schema"),
                                    error)) > 0)
    {
      int rc;

      sqlite3_bind_value (set, 1, sqlite3_column_value (stmt, 0));
      sqlite3_bind_value (set, 2, sqlite3_column_value (stmt, 1));
      rc = sqlite3_step (set);
      sqlite3_reset (set);
      if (rc != SQLITE_DONE)
        {
          set_scratch_error (self->db, error);
          row = -1;
          break;
        }
    }
  sqlite3_finalize (set);
  sqlite3_finalize (stmt);
  if (row < 0)
    return FALSE;

  /* A million contacts make some 320 segments; merging them as they come
   * would write the index many times over. See merge_settings in
   * crm-contacts.c. */
  return exec_sql (self->db,
                   "INSERT INTO contact_fts (contact_fts, rank) VALUES ('automerge', 0);"
                   "INSERT INTO contact_fts (contact_fts, rank) VALUES ('crisismerge', 64);",
                   error);
}

/* The text contact_fts_source gives for a contact with one email, one
 * phone and a company, each optional. */
static gboolean
index_batch (CrmIndexBuilder  *self,
             sqlite3_stmt     *insert,
             Batch            *batch,
             GError          **error)
{
  for (guint i = 0; i < batch->entries->len; i++)
    {
      const Entry *entry = &g_array_index (batch->entries, Entry, i);
      int rc;

      sqlite3_bind_int64 (insert, 1, entry->id);
      for (int f = 0; f < N_FIELDS; f++)
        sqlite3_bind_text (insert, f + 2, entry->fields[f], -1, SQLITE_STATIC);
      rc = sqlite3_step (insert);
      sqlite3_reset (insert);
      if (rc != SQLITE_DONE)
        {
          set_scratch_error (self->db, error);
          return FALSE;
        }
    }

  return TRUE;
}

static gpointer
build_thread (gpointer data)
{
  CrmIndexBuilder *self = data;
  sqlite3_stmt *insert = NULL;
  GError *error = NULL;
  gboolean cancelled = FALSE;

  if (exec_sql (self->db, "BEGIN", &error)
      && sqlite3_prepare_v2 (self->db,
                             "INSERT INTO contact_fts (rowid, name, emails, phones, company) "
                             "VALUES (?1, crm_name_text(?2, ?3, ?4, ?5), crm_fold(?6), "
                             "crm_phone_digits(?7), crm_fold(?8))",
                             -1, &insert, NULL) != SQLITE_OK)
    set_scratch_error (self->db, &error);

  while (error == NULL)
    {
      Batch *batch;

      g_mutex_lock (&self->lock);
      while (g_queue_is_empty (&self->waiting) && !self->ended && !self->cancelled)
        g_cond_wait (&self->changed, &self->lock);
      cancelled = self->cancelled;
      batch = cancelled ? NULL : g_queue_pop_head (&self->waiting);
      g_cond_broadcast (&self->changed);
      g_mutex_unlock (&self->lock);

      if (batch == NULL)
        break;
      index_batch (self, insert, batch, &error);
      batch_free (batch);
    }
  sqlite3_finalize (insert);

  if (error == NULL && !cancelled)
    exec_sql (self->db, "COMMIT", &error);

  g_mutex_lock (&self->lock);
  self->error = error;
  self->stopped = TRUE;
  g_cond_broadcast (&self->changed);
  g_mutex_unlock (&self->lock);

  return NULL;
}

/**
 * crm_index_builder_new:
 * @store: a workspace inside a transaction, whose search index is empty
 *
 * Starts building the search index of contacts to come. Until
 * crm_index_builder_finish(), nothing of it is in the workspace.
 *
 * Returns: (transfer full): the builder, or %NULL with @error set
 */
CrmIndexBuilder *
crm_index_builder_new (CrmStore  *store,
                       GError   **error)
{
  g_autoptr (CrmIndexBuilder) self = g_new0 (CrmIndexBuilder, 1);

  self->store = g_object_ref (store);
  g_mutex_init (&self->lock);
  g_cond_init (&self->changed);
  g_queue_init (&self->waiting);

  self->db = crm_store_open_scratch (store, SCRATCH_NAME, error);
  if (self->db == NULL || !create_index (self, error))
    return NULL;

  self->filling = batch_new ();
  self->thread = g_thread_new ("crm-index-builder", build_thread, self);
  return g_steal_pointer (&self);
}

/* Hands the batch being filled to the thread; waits while it is behind. */
static gboolean
send_batch (CrmIndexBuilder  *self,
            GError          **error)
{
  GError *failure;

  g_mutex_lock (&self->lock);
  while (!self->stopped && g_queue_get_length (&self->waiting) >= QUEUE_MAX)
    g_cond_wait (&self->changed, &self->lock);
  if (!self->stopped)
    {
      g_queue_push_tail (&self->waiting, g_steal_pointer (&self->filling));
      g_cond_broadcast (&self->changed);
      g_mutex_unlock (&self->lock);
      self->filling = batch_new ();
      return TRUE;
    }

  /* The thread stops early only on a failure, told once. */
  failure = g_steal_pointer (&self->error);
  g_mutex_unlock (&self->lock);
  if (failure != NULL)
    g_propagate_error (error, failure);
  else
    g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_FAILED,
                         _("Cannot index the new contacts for search"));
  return FALSE;
}

static const char *
keep (Batch      *batch,
      const char *text)
{
  return text != NULL && *text != '\0' ? g_string_chunk_insert (batch->strings, text) : NULL;
}

/**
 * crm_index_builder_add:
 *
 * Adds a contact to the index being built, with what the workspace holds
 * of it: its names, its email and phone if it has them, and the name of
 * its company if it has one.
 */
gboolean
crm_index_builder_add (CrmIndexBuilder  *self,
                       gint64            id,
                       const char       *display_name,
                       const char       *given_name,
                       const char       *middle_name,
                       const char       *family_name,
                       const char       *email,
                       const char       *phone_e164,
                       const char       *company_name,
                       GError          **error)
{
  Batch *batch = self->filling;
  Entry entry = { .id = id };

  entry.fields[FIELD_DISPLAY_NAME] = keep (batch, display_name);
  entry.fields[FIELD_GIVEN_NAME] = keep (batch, given_name);
  entry.fields[FIELD_MIDDLE_NAME] = keep (batch, middle_name);
  entry.fields[FIELD_FAMILY_NAME] = keep (batch, family_name);
  entry.fields[FIELD_EMAIL] = keep (batch, email);
  entry.fields[FIELD_PHONE] = keep (batch, phone_e164);
  entry.fields[FIELD_COMPANY] = keep (batch, company_name);
  g_array_append_val (batch->entries, entry);

  return batch->entries->len < BATCH_SIZE || send_batch (self, error);
}

/* Copies one of the index's tables from the scratch database into the
 * workspace's, row for row. */
static gboolean
copy_table (CrmIndexBuilder  *self,
            const char       *table,
            GError          **error)
{
  g_autofree char *select = g_strdup_printf ("SELECT * FROM %s", table);
  g_autoptr (GString) insert_sql = g_string_new (NULL);
  sqlite3_stmt *read = NULL;
  sqlite3_stmt *insert = NULL;
  int columns;
  int rc;

  if (sqlite3_prepare_v2 (self->db, select, -1, &read, NULL) != SQLITE_OK)
    {
      set_scratch_error (self->db, error);
      sqlite3_finalize (read);
      return FALSE;
    }

  columns = sqlite3_column_count (read);
  g_string_append_printf (insert_sql, "INSERT INTO %s VALUES (?", table);
  for (int c = 1; c < columns; c++)
    g_string_append (insert_sql, ", ?");
  g_string_append_c (insert_sql, ')');
  insert = crm_store_prepare (self->store, insert_sql->str, error);
  if (insert == NULL)
    {
      sqlite3_finalize (read);
      return FALSE;
    }

  /* A failed insert leaves the read at SQLITE_ROW; a failed read, at its
   * error. */
  while ((rc = sqlite3_step (read)) == SQLITE_ROW)
    {
      int inserted;

      for (int c = 0; c < columns; c++)
        sqlite3_bind_value (insert, c + 1, sqlite3_column_value (read, c));
      inserted = sqlite3_step (insert);
      sqlite3_reset (insert);
      if (inserted != SQLITE_DONE)
        {
          crm_store_set_error (self->store, error, inserted,
                               _("Cannot index the new contacts for search"));
          break;
        }
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    set_scratch_error (self->db, error);
  sqlite3_finalize (read);
  sqlite3_finalize (insert);

  return rc == SQLITE_DONE;
}

/**
 * crm_index_builder_finish:
 *
 * Waits for the index to be built and puts it in place of the workspace's
 * empty one, in the transaction the workspace is in.
 */
gboolean
crm_index_builder_finish (CrmIndexBuilder  *self,
                          GError          **error)
{
  g_return_val_if_fail (self->thread != NULL, FALSE);

  if (self->filling->entries->len > 0 && !send_batch (self, error))
    return FALSE;

  g_mutex_lock (&self->lock);
  self->ended = TRUE;
  g_cond_broadcast (&self->changed);
  g_mutex_unlock (&self->lock);
  g_thread_join (g_steal_pointer (&self->thread));

  if (self->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&self->error));
      return FALSE;
    }

  if (!crm_store_exec (self->store,
                       "INSERT INTO contact_fts (contact_fts) VALUES ('delete-all');"
                       "DELETE FROM contact_fts_data;",
                       error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (index_tables); i++)
    {
      if (!copy_table (self, index_tables[i], error))
        return FALSE;
    }

  /* FTS5 keeps what it last read of the index's structure on this
   * connection, which is now the empty index's. Going back to a savepoint
   * makes any virtual table forget what it holds of the tables under it,
   * which may have changed; nothing was written since this one. */
  return crm_store_exec (self->store,
                         "SAVEPOINT index_copied;"
                         "ROLLBACK TO index_copied;"
                         "RELEASE index_copied;",
                         error);
}

/**
 * crm_index_builder_free:
 *
 * Stops the thread if it still runs and closes the scratch database, which
 * goes with it.
 */
void
crm_index_builder_free (CrmIndexBuilder *self)
{
  if (self == NULL)
    return;

  if (self->thread != NULL)
    {
      g_mutex_lock (&self->lock);
      self->cancelled = TRUE;
      g_cond_broadcast (&self->changed);
      g_mutex_unlock (&self->lock);
      g_thread_join (self->thread);
    }

  g_queue_clear_full (&self->waiting, (GDestroyNotify) batch_free);
  g_clear_pointer (&self->filling, batch_free);
  g_clear_error (&self->error);
  if (self->db != NULL)
    sqlite3_close (self->db);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->changed);
  g_object_unref (self->store);
  g_free (self);
}
