/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crm-key.h"
#include "crm-schema.h"
#include "crm-store.h"

#define DATABASE_NAME "rapport.db"
#define WORKSPACE_FILE "workspace.ini"
#define PLAINTEXT_HEADER "SQLite format 3"

/* How each page's authentication code is made. SQLCipher 4 defaults to
 * HMAC-SHA512, and the workspaces Rapport made first use it; new ones use
 * HMAC-SHA256, which current processors compute with their SHA
 * instructions in half the time (1.7 against 0.84 GB/s here), and which
 * every page read from disk or written pays. Both are sound. The key derivation for a
 * passphrase stays PBKDF2-HMAC-SHA512. A workspace keeps the HMAC it was
 * made with, through a change of key too, and workspace.ini records it. */
typedef enum
{
  PAGE_HMAC_SHA256,
  PAGE_HMAC_SHA512,
} PageHmac;

static const char *const page_hmac_names[] = {
  [PAGE_HMAC_SHA256] = "sha256",
  [PAGE_HMAC_SHA512] = "sha512",
};

struct _CrmStore
{
  GObject parent_instance;

  /* owned */
  sqlite3 *db;
  char    *directory;
  char    *path;
  char    *uuid;
  char    *key_string;   /* what SQLCipher was keyed with, for more connections; wiped */

  /* state */
  gboolean      deferred;   /* read by the crm_deferred() SQL function */
  CrmProtection protection;
  PageHmac      page_hmac;
  int           schema_version;
};

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CrmStore, crm_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (crm-store-error-quark, crm_store_error)

/* Helpers */

static gboolean
exec_sql (sqlite3     *db,
          const char  *sql,
          GError     **error)
{
  char *message = NULL;
  int rc = sqlite3_exec (db, sql, NULL, NULL, &message);

  if (rc != SQLITE_OK)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_FAILED, "%s", message);
      sqlite3_free (message);
      return FALSE;
    }

  return TRUE;
}

/* The first result of a single-value query, or NULL. */
static char *
query_text (sqlite3    *db,
            const char *sql,
            int        *rc_out)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
          rc = SQLITE_OK;
        }
      else if (rc == SQLITE_DONE)
        {
          rc = SQLITE_OK;
        }
    }
  sqlite3_finalize (stmt);

  if (rc_out != NULL)
    *rc_out = rc;

  return value;
}

static gboolean
file_is_plaintext_sqlite (const char *path)
{
  char header[sizeof PLAINTEXT_HEADER] = { 0, };
  gboolean plaintext = FALSE;
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0)
    return FALSE;

  if (read (fd, header, sizeof header - 1) == (ssize_t) (sizeof header - 1))
    plaintext = memcmp (header, PLAINTEXT_HEADER, sizeof header - 1) == 0;
  close (fd);

  return plaintext;
}

static gboolean
apply_key_string (sqlite3     *db,
                  const char  *key_string,
                  gsize        length,
                  GError     **error)
{
  if (sqlite3_key_v2 (db, "main", key_string, length) != SQLITE_OK)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_FAILED,
                   _("Cannot give the key to the database: %s"), sqlite3_errmsg (db));
      return FALSE;
    }

  return TRUE;
}

/* SQLCipher takes a raw key as the text x'<64 hex digits>'. */
static char *
raw_key_string (GBytes *key)
{
  g_autoptr (CrmSecret) hex = crm_key_to_hex (key);

  return g_strdup_printf ("x'%s'", hex);
}

/* The text SQLCipher is keyed with: x'<hex>' for a raw key, or the
 * passphrase itself. NULL only for the benchmark's unencrypted twin. */
static char *
key_string_for (GBytes      *key,
                const char  *passphrase,
                GError     **error)
{
  if (key != NULL)
    {
      if (g_bytes_get_size (key) != CRM_KEY_LENGTH)
        {
          g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                       _("A workspace key has %d bytes"), CRM_KEY_LENGTH);
          return NULL;
        }
      return raw_key_string (key);
    }

  return g_strdup (passphrase);
}

/* A plain libsqlite3 loaded into the process could shadow SQLCipher and
 * write plaintext; only SQLCipher answers this pragma. */
static gboolean
check_cipher (sqlite3     *db,
              GError     **error)
{
  g_autofree char *version = query_text (db, "PRAGMA cipher_version", NULL);

  if (version == NULL || *version == '\0')
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_ENCRYPTED,
                           _("The database library in use cannot encrypt; "
                             "Rapport refuses to open the workspace with it"));
      return FALSE;
    }

  return TRUE;
}

/* With a wrong key PRAGMA key succeeds; the first read fails. */
static gboolean
check_readable (sqlite3     *db,
                const char  *path,
                GError     **error)
{
  int rc = SQLITE_OK;
  g_autofree char *count = query_text (db, "SELECT count(*) FROM sqlite_schema", &rc);

  if (rc == SQLITE_OK)
    return TRUE;

  if (file_is_plaintext_sqlite (path))
    g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_ENCRYPTED,
                 _("%s is an unencrypted SQLite database, not a Rapport workspace"), path);
  else if (rc == SQLITE_NOTADB)
    g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_WRONG_KEY,
                 _("The key does not open the workspace in %s"), path);
  else if ((rc & 0xff) == SQLITE_CORRUPT)
    g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_DAMAGED,
                 _("The workspace in %s is damaged: %s"), path, sqlite3_errstr (rc));
  else
    g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_FAILED,
                 _("Cannot read the workspace in %s: %s"), path, sqlite3_errstr (rc));

  return FALSE;
}

static gboolean
configure_connection (sqlite3     *db,
                      gboolean    *deferred,
                      GError     **error)
{
  g_autofree char *mode = NULL;

  /* WAL with synchronous=NORMAL is durable across application crashes and
   * loses at most the last transactions on power loss; secure_delete and
   * temp_store=MEMORY keep deleted and temporary plaintext off the disk. */
  if (!exec_sql (db,
                 "PRAGMA foreign_keys = ON;"
                 "PRAGMA secure_delete = ON;"
                 "PRAGMA temp_store = MEMORY;"
                 "PRAGMA synchronous = NORMAL;"
                 "PRAGMA cache_size = -114688;"
                 /* A bulk write leaves a large log; keep no more than this
                  * of it on disk once it is checkpointed. */
                 "PRAGMA journal_size_limit = 67108864;",
                 error))
    return FALSE;

  mode = query_text (db, "PRAGMA journal_mode = WAL", NULL);
  if (g_strcmp0 (mode, "wal") != 0)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_FAILED,
                   _("Cannot switch the workspace to write-ahead logging"));
      return FALSE;
    }

  sqlite3_busy_timeout (db, 5000);

  return crm_schema_register_functions (db, deferred, error);
}

static int
read_schema_version (sqlite3 *db)
{
  g_autofree char *version = query_text (db, "PRAGMA user_version", NULL);

  return version != NULL ? atoi (version) : 0;
}

static char *
workspace_file (const char *directory)
{
  return g_build_filename (directory, WORKSPACE_FILE, NULL);
}

static gboolean
write_workspace_file (const char     *directory,
                      const char     *uuid,
                      CrmProtection   protection,
                      PageHmac        page_hmac,
                      GError        **error)
{
  g_autoptr (GKeyFile) keyfile = g_key_file_new ();
  g_autofree char *path = workspace_file (directory);
  g_autofree char *data = NULL;
  gsize length = 0;

  g_key_file_set_string (keyfile, "Workspace", "UUID", uuid);
  g_key_file_set_string (keyfile, "Workspace", "Protection",
                         protection == CRM_PROTECTION_PASSPHRASE ? "passphrase" : "keyring");
  g_key_file_set_integer (keyfile, "Workspace", "Format", 1);
  g_key_file_set_string (keyfile, "Workspace", "PageHmac", page_hmac_names[page_hmac]);
  data = g_key_file_to_data (keyfile, &length, NULL);

  return g_file_set_contents_full (path, data, length,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

/* What workspace.ini says: the workspace's identity, its protection, and
 * the page HMAC it records (@page_hmac_recorded), if it records one. A file
 * that records none was written before new workspaces took HMAC-SHA256:
 * its workspace most likely has SQLCipher's default, which @page_hmac is
 * then set to; with no file at all, it is set to the HMAC of new
 * workspaces. */
static char *
read_workspace_file (const char     *directory,
                     CrmProtection  *protection,
                     PageHmac       *page_hmac,
                     gboolean       *page_hmac_recorded,
                     GError        **error)
{
  g_autoptr (GKeyFile) keyfile = g_key_file_new ();
  g_autofree char *path = workspace_file (directory);
  g_autofree char *mode = NULL;
  g_autofree char *hmac = NULL;
  char *uuid;

  if (page_hmac != NULL)
    {
      *page_hmac = PAGE_HMAC_SHA256;
      *page_hmac_recorded = FALSE;
    }

  if (!g_key_file_load_from_file (keyfile, path, G_KEY_FILE_NONE, error))
    return NULL;

  if (page_hmac != NULL)
    {
      hmac = g_key_file_get_string (keyfile, "Workspace", "PageHmac", NULL);
      *page_hmac = PAGE_HMAC_SHA512;
      for (guint i = 0; hmac != NULL && i < G_N_ELEMENTS (page_hmac_names); i++)
        {
          if (g_strcmp0 (hmac, page_hmac_names[i]) == 0)
            {
              *page_hmac = i;
              *page_hmac_recorded = TRUE;
            }
        }
    }

  uuid = g_key_file_get_string (keyfile, "Workspace", "UUID", error);
  if (uuid == NULL)
    return NULL;

  if (!g_uuid_string_is_valid (uuid))
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_DAMAGED,
                   _("%s does not hold a valid workspace identity"), path);
      g_free (uuid);
      return NULL;
    }

  mode = g_key_file_get_string (keyfile, "Workspace", "Protection", NULL);
  if (protection != NULL)
    *protection = g_strcmp0 (mode, "passphrase") == 0 ? CRM_PROTECTION_PASSPHRASE
                                                      : CRM_PROTECTION_KEYRING;

  return uuid;
}

/* Creates @path, which must not exist, readable and writable by the user
 * alone. */
static gboolean
create_private_file (const char  *path,
                     GError     **error)
{
  int fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);

  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot create %s: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);

  return TRUE;
}

/* Opens the database file and unlocks it, without writing anything. */
static sqlite3 *
open_database (const char  *path,
               gboolean     create,
               gboolean     read_only,
               const char  *key_string,
               PageHmac     page_hmac,
               GError     **error)
{
  sqlite3 *db = NULL;
  int flags = SQLITE_OPEN_EXRESCODE | SQLITE_OPEN_NOFOLLOW;
  int rc;

  /* A reader belongs to one thread at a time (see
   * crm_store_open_reader()): it needs no lock of its own around every
   * call, which a million rows would pay for twice each. */
  if (read_only)
    flags |= SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX;
  else
    flags |= SQLITE_OPEN_READWRITE;
  if (create)
    flags |= SQLITE_OPEN_CREATE;

  rc = sqlite3_open_v2 (path, &db, flags, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, CRM_STORE_ERROR,
                   rc == SQLITE_CANTOPEN ? CRM_STORE_ERROR_NOT_FOUND : CRM_STORE_ERROR_FAILED,
                   _("Cannot open %s: %s"), path, sqlite3_errstr (rc));
      sqlite3_close (db);
      return NULL;
    }

  if (!check_cipher (db, error))
    goto fail;

  /* SQLCipher would print its own lines on stderr for a wrong key; the
   * error we return says it better. */
  sqlite3_exec (db, "PRAGMA cipher_log_level = NONE", NULL, NULL, NULL);

  if (key_string != NULL && !apply_key_string (db, key_string, strlen (key_string), error))
    goto fail;

  if (key_string != NULL && page_hmac == PAGE_HMAC_SHA256
      && sqlite3_exec (db, "PRAGMA cipher_hmac_algorithm = HMAC_SHA256", NULL, NULL, NULL)
           != SQLITE_OK)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_FAILED,
                   _("Cannot give the key to the database: %s"), sqlite3_errmsg (db));
      goto fail;
    }

  if (!create && !check_readable (db, path, error))
    goto fail;

  return db;

fail:
  sqlite3_close (db);
  return NULL;
}

static CrmStore *
store_new (sqlite3       *db,
           const char    *directory,
           const char    *path,
           const char    *uuid,
           CrmProtection  protection,
           PageHmac       page_hmac,
           char          *key_string)
{
  CrmStore *self = g_object_new (CRM_TYPE_STORE, NULL);

  self->key_string = key_string;
  /* The functions again, now that crm_deferred() has its flag to read. */
  crm_schema_register_functions (db, &self->deferred, NULL);

  self->db = db;
  self->directory = g_strdup (directory);
  self->path = g_strdup (path);
  self->uuid = g_strdup (uuid);
  self->protection = protection;
  self->page_hmac = page_hmac;
  self->schema_version = read_schema_version (db);

  return self;
}

static CrmStore *
open_store (const char  *directory,
            GBytes      *key,
            const char  *passphrase,
            gboolean     encrypted,
            GError     **error)
{
  g_autofree char *path = g_build_filename (directory, DATABASE_NAME, NULL);
  g_autofree char *uuid = NULL;
  g_autoptr (CrmSecret) key_string = NULL;
  g_autoptr (GError) local_error = NULL;
  CrmProtection protection = key != NULL ? CRM_PROTECTION_KEYRING : CRM_PROTECTION_PASSPHRASE;
  CrmProtection recorded_protection = protection;
  PageHmac recorded_page_hmac;
  gboolean page_hmac_recorded;
  g_autofree char *recorded_uuid = read_workspace_file (directory, &recorded_protection,
                                                        &recorded_page_hmac,
                                                        &page_hmac_recorded, NULL);
  PageHmac page_hmac = recorded_page_hmac;
  sqlite3 *db;
  int version;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                   _("There is no workspace in %s"), directory);
      return NULL;
    }

  if (encrypted)
    {
      key_string = key_string_for (key, passphrase, error);
      if (key_string == NULL)
        return NULL;
    }

  /* The page HMAC workspace.ini records or suggests, then the other, as
   * the file may be missing or older than the database; a passphrase is
   * derived into a key again for each. A wrong key fails with both. */
  db = open_database (path, FALSE, FALSE, key_string, page_hmac, &local_error);
  if (db == NULL && encrypted
      && g_error_matches (local_error, CRM_STORE_ERROR, CRM_STORE_ERROR_WRONG_KEY))
    {
      g_clear_error (&local_error);
      page_hmac = page_hmac == PAGE_HMAC_SHA256 ? PAGE_HMAC_SHA512 : PAGE_HMAC_SHA256;
      db = open_database (path, FALSE, FALSE, key_string, page_hmac, &local_error);
    }
  if (db == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  version = read_schema_version (db);
  if (version > CRM_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_TOO_NEW,
                   _("The workspace in %s was written by a newer version of Rapport"),
                   directory);
      sqlite3_close (db);
      return NULL;
    }

  if (!configure_connection (db, NULL, error))
    {
      sqlite3_close (db);
      return NULL;
    }

  if (version < CRM_STORE_SCHEMA_VERSION)
    {
      if (!exec_sql (db, "BEGIN IMMEDIATE", &local_error)
          || !crm_schema_migrate (db, version, &local_error)
          || !exec_sql (db, "COMMIT", &local_error))
        {
          exec_sql (db, "ROLLBACK", NULL);
          sqlite3_close (db);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }

  uuid = query_text (db, "SELECT value FROM meta WHERE key = 'uuid'", NULL);
  if (uuid == NULL)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_DAMAGED,
                   _("The workspace in %s has no identity"), directory);
      sqlite3_close (db);
      return NULL;
    }

  /* The plaintext workspace file only helps to find the key; the database
   * is the truth. Mend it when it is missing or out of date. */
  if (g_strcmp0 (recorded_uuid, uuid) != 0 || recorded_protection != protection
      || !page_hmac_recorded || recorded_page_hmac != page_hmac)
    write_workspace_file (directory, uuid, protection, page_hmac, NULL);

  return store_new (db, directory, path, uuid, protection, page_hmac,
                    g_steal_pointer (&key_string));
}

/* GObject */

static void
crm_store_finalize (GObject *object)
{
  CrmStore *self = CRM_STORE (object);

  crm_store_close (self);
  g_clear_pointer (&self->directory, g_free);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->uuid, g_free);
  g_clear_pointer (&self->key_string, crm_secret_free);

  G_OBJECT_CLASS (crm_store_parent_class)->finalize (object);
}

static void
crm_store_class_init (CrmStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = crm_store_finalize;

  /**
   * CrmStore::changed:
   * @entity: the table that changed, such as "contact"
   * @id: the row that changed, or 0 when many did
   *
   * Emitted after a write has been committed.
   */
  signals[CHANGED] = g_signal_new ("changed",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_INT64);
}

static void
crm_store_init (CrmStore *self)
{
}

/* Public API */

/**
 * crm_store_default_directory:
 *
 * Returns: (transfer full): where the workspace lives unless told otherwise
 */
char *
crm_store_default_directory (void)
{
  const char *base = g_getenv ("RAPPORT_WORKSPACE");

  if (base != NULL && *base != '\0')
    return g_strdup (base);

  /* The development build keeps its own data apart from a release's. */
  return g_build_filename (g_get_user_data_dir (),
                           *PROFILE != '\0' ? "rapport-devel" : "rapport",
                           "default", NULL);
}

/**
 * crm_store_exists:
 *
 * Whether @directory holds a workspace database. A workspace that exists must
 * be unlocked, never created anew.
 */
gboolean
crm_store_exists (const char *directory)
{
  g_autofree char *path = g_build_filename (directory, DATABASE_NAME, NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

/**
 * crm_store_read_uuid:
 * @protection: (out) (optional): how the workspace is protected
 *
 * Reads the workspace's identity from its plaintext description, which is
 * what the keyring entry is looked up by.
 *
 * Returns: (transfer full): the UUID, or %NULL with @error set
 */
char *
crm_store_read_uuid (const char     *directory,
                     CrmProtection  *protection,
                     GError        **error)
{
  return read_workspace_file (directory, protection, NULL, NULL, error);
}

static CrmStore *
create_store (const char  *directory,
              GBytes      *key,
              GError     **error)
{
  g_autofree char *path = g_build_filename (directory, DATABASE_NAME, NULL);
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *created = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autoptr (CrmSecret) key_string = NULL;
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;

  if (crm_store_exists (directory))
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_EXISTS,
                   _("A workspace exists in %s already"), directory);
      return NULL;
    }

  if (g_mkdir_with_parents (directory, 0700) != 0 || g_chmod (directory, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot create the workspace directory %s: %s"),
                   directory, g_strerror (saved_errno));
      return NULL;
    }

  /* SQLite gives its -wal and -shm files the mode of the database file. */
  if (!create_private_file (path, error))
    return NULL;

  if (key != NULL)
    {
      key_string = key_string_for (key, NULL, &local_error);
      if (key_string == NULL)
        goto fail;
    }

  db = open_database (path, TRUE, FALSE, key_string, PAGE_HMAC_SHA256, &local_error);
  if (db == NULL || !configure_connection (db, NULL, &local_error))
    goto fail;

  if (!exec_sql (db, "BEGIN IMMEDIATE", &local_error)
      || !crm_schema_migrate (db, 0, &local_error))
    goto fail;

  created = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC);
  if (sqlite3_prepare_v2 (db, "INSERT INTO meta (key, value) VALUES "
                              "('uuid', ?1), ('base_currency', 'VND'), ('created', ?2)",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (&local_error, CRM_STORE_ERROR, CRM_STORE_ERROR_FAILED, "%s",
                   sqlite3_errmsg (db));
      goto fail;
    }
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, created, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      g_set_error (&local_error, CRM_STORE_ERROR, CRM_STORE_ERROR_FAILED, "%s",
                   sqlite3_errmsg (db));
      goto fail;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (!exec_sql (db, "COMMIT", &local_error)
      || !exec_sql (db, "PRAGMA wal_checkpoint(TRUNCATE)", &local_error))
    goto fail;

  if (key != NULL && file_is_plaintext_sqlite (path))
    {
      g_set_error (&local_error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_ENCRYPTED,
                   _("The database was written unencrypted; it has been removed"));
      goto fail;
    }

  if (!write_workspace_file (directory, uuid, CRM_PROTECTION_KEYRING, PAGE_HMAC_SHA256,
                             &local_error))
    goto fail;

  return store_new (db, directory, path, uuid, CRM_PROTECTION_KEYRING, PAGE_HMAC_SHA256,
                    g_steal_pointer (&key_string));

fail:
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (db != NULL)
    sqlite3_close (db);
  /* Nothing of a half-made workspace stays behind. */
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_unlink (path);
    g_unlink (wal);
    g_unlink (shm);
  }
  g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                              _("Cannot create the workspace in %s: "), directory);
  return NULL;
}

/**
 * crm_store_create:
 * @directory: the workspace directory; created with mode 0700
 * @key: the 32-byte key
 *
 * Creates a new, empty workspace. Refuses when one exists there already.
 *
 * Returns: (transfer full): the open store, or %NULL with @error set
 */
CrmStore *
crm_store_create (const char  *directory,
                  GBytes      *key,
                  GError     **error)
{
  g_return_val_if_fail (directory != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  return create_store (directory, key, error);
}

/**
 * crm_store_create_unencrypted:
 *
 * Creates a workspace without encryption. Only the benchmark uses it, to
 * measure what encryption costs; the application never does.
 */
CrmStore *
crm_store_create_unencrypted (const char  *directory,
                              GError     **error)
{
  g_return_val_if_fail (directory != NULL, NULL);

  return create_store (directory, NULL, error);
}

/**
 * crm_store_open_unencrypted:
 *
 * Opens what crm_store_create_unencrypted() made; for the benchmark only.
 */
CrmStore *
crm_store_open_unencrypted (const char  *directory,
                            GError     **error)
{
  g_return_val_if_fail (directory != NULL, NULL);

  return open_store (directory, NULL, NULL, FALSE, error);
}

/**
 * crm_store_open_reader:
 *
 * Opens one more, read-only connection to the workspace, keyed like this
 * one, for work on another thread. It may pass from thread to thread, but
 * two threads must never use it at once: it has no lock of its own. Close
 * it with sqlite3_close().
 *
 * Returns: (transfer full): the connection, or %NULL with @error set
 */
sqlite3 *
crm_store_open_reader (CrmStore  *self,
                       GError   **error)
{
  sqlite3 *db;

  g_return_val_if_fail (CRM_IS_STORE (self), NULL);

  db = open_database (self->path, FALSE, TRUE, self->key_string, self->page_hmac, error);
  if (db == NULL)
    return NULL;

  if (!exec_sql (db, "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -8192;", error)
      || !crm_schema_register_functions (db, NULL, error))
    {
      sqlite3_close (db);
      return NULL;
    }

  return db;
}

static void
remove_scratch (const char *path)
{
  g_autofree char *journal = g_strconcat (path, "-journal", NULL);

  g_unlink (path);
  g_unlink (journal);
}

/**
 * crm_store_open_scratch:
 * @name: a file name in the workspace directory
 *
 * Creates a scratch database, for work another thread does apart from the
 * workspace and hands back to it: encrypted when the workspace is, with a
 * key of its own that only this connection ever knows, and written without
 * a journal. Its file is removed from the directory as soon as it is made;
 * the connection alone keeps it, and it is gone when the connection is
 * closed or the process ends.
 *
 * Returns: (transfer full): the connection, or %NULL with @error set
 */
sqlite3 *
crm_store_open_scratch (CrmStore    *self,
                        const char  *name,
                        GError     **error)
{
  g_autofree char *path = NULL;
  g_autoptr (CrmSecret) key_string = NULL;
  sqlite3 *db = NULL;

  g_return_val_if_fail (CRM_IS_STORE (self), NULL);

  path = g_build_filename (self->directory, name, NULL);
  remove_scratch (path);
  if (!create_private_file (path, error))
    return NULL;

  if (self->key_string != NULL)
    {
      g_autoptr (GBytes) key = crm_key_generate (error);

      if (key == NULL || (key_string = key_string_for (key, NULL, error)) == NULL)
        goto fail;
    }

  /* Something written, to check that it is encrypted (see
   * create_store()); with no journal, on disk at once. */
  db = open_database (path, TRUE, FALSE, key_string, PAGE_HMAC_SHA256, error);
  if (db == NULL
      || !exec_sql (db,
                    "PRAGMA journal_mode = OFF;"
                    "PRAGMA synchronous = OFF;"
                    "PRAGMA temp_store = MEMORY;"
                    "PRAGMA cache_size = -16384;"
                    "PRAGMA user_version = 1;",
                    error)
      || !crm_schema_register_functions (db, NULL, error))
    goto fail;

  if (key_string != NULL && file_is_plaintext_sqlite (path))
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_ENCRYPTED,
                   _("%s was written unencrypted; it has been removed"), path);
      goto fail;
    }

  remove_scratch (path);
  return db;

fail:
  if (db != NULL)
    sqlite3_close (db);
  remove_scratch (path);
  return NULL;
}

/**
 * crm_store_open:
 * @key: the 32-byte workspace key, from the keyring or the recovery key
 *
 * Returns: (transfer full): the open store, or %NULL with @error set
 */
CrmStore *
crm_store_open (const char  *directory,
                GBytes      *key,
                GError     **error)
{
  g_return_val_if_fail (directory != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  return open_store (directory, key, NULL, TRUE, error);
}

/**
 * crm_store_open_with_passphrase:
 *
 * Opens a workspace protected by a passphrase (SQLCipher's PBKDF2 key
 * derivation).
 *
 * Returns: (transfer full): the open store, or %NULL with @error set
 */
CrmStore *
crm_store_open_with_passphrase (const char  *directory,
                                const char  *passphrase,
                                GError     **error)
{
  g_return_val_if_fail (directory != NULL, NULL);
  g_return_val_if_fail (passphrase != NULL, NULL);

  return open_store (directory, NULL, passphrase, TRUE, error);
}

static gboolean
rekey_with_string (CrmStore       *self,
                   const char     *key_string,
                   CrmProtection   protection,
                   GError        **error)
{
  if (sqlite3_rekey_v2 (self->db, "main", key_string, strlen (key_string)) != SQLITE_OK)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_FAILED,
                   _("Cannot change the workspace key: %s"), sqlite3_errmsg (self->db));
      return FALSE;
    }

  self->protection = protection;
  g_clear_pointer (&self->key_string, crm_secret_free);
  self->key_string = g_strdup (key_string);
  return write_workspace_file (self->directory, self->uuid, protection, self->page_hmac, error);
}

/**
 * crm_store_rekey:
 *
 * Re-encrypts the workspace with a raw key (keyring protection).
 */
gboolean
crm_store_rekey (CrmStore  *self,
                 GBytes    *key,
                 GError   **error)
{
  g_autoptr (CrmSecret) key_string = NULL;

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->db != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  key_string = key_string_for (key, NULL, error);
  if (key_string == NULL)
    return FALSE;

  return rekey_with_string (self, key_string, CRM_PROTECTION_KEYRING, error);
}

/**
 * crm_store_rekey_to_passphrase:
 *
 * Re-encrypts the workspace with a key derived from @passphrase.
 */
gboolean
crm_store_rekey_to_passphrase (CrmStore    *self,
                               const char  *passphrase,
                               GError     **error)
{
  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->db != NULL, FALSE);

  if (passphrase == NULL || g_utf8_strlen (passphrase, -1) < 8)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                   _("A passphrase needs at least 8 characters"));
      return FALSE;
    }

  return rekey_with_string (self, passphrase, CRM_PROTECTION_PASSPHRASE, error);
}

void
crm_store_close (CrmStore *self)
{
  g_return_if_fail (CRM_IS_STORE (self));

  if (self->db != NULL)
    {
      /* Fold the log into the database so the next open reads one file. */
      sqlite3_exec (self->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
      sqlite3_close_v2 (self->db);
      self->db = NULL;
    }
}

const char *
crm_store_get_directory (CrmStore *self)
{
  g_return_val_if_fail (CRM_IS_STORE (self), NULL);

  return self->directory;
}

const char *
crm_store_get_path (CrmStore *self)
{
  g_return_val_if_fail (CRM_IS_STORE (self), NULL);

  return self->path;
}

const char *
crm_store_get_uuid (CrmStore *self)
{
  g_return_val_if_fail (CRM_IS_STORE (self), NULL);

  return self->uuid;
}

CrmProtection
crm_store_get_protection (CrmStore *self)
{
  g_return_val_if_fail (CRM_IS_STORE (self), CRM_PROTECTION_KEYRING);

  return self->protection;
}

int
crm_store_get_schema_version (CrmStore *self)
{
  g_return_val_if_fail (CRM_IS_STORE (self), 0);

  return self->schema_version;
}

/**
 * crm_store_get_db:
 *
 * For core code only: the views never see the connection.
 */
sqlite3 *
crm_store_get_db (CrmStore *self)
{
  g_return_val_if_fail (CRM_IS_STORE (self), NULL);

  return self->db;
}

/**
 * crm_store_set_error:
 * @rc: the SQLite result code
 * @doing: what was being done, for the message
 *
 * Turns a SQLite failure into an error that says what happened.
 */
void
crm_store_set_error (CrmStore    *self,
                     GError     **error,
                     int          rc,
                     const char  *doing)
{
  int code = CRM_STORE_ERROR_FAILED;

  switch (rc & 0xff)
    {
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_TOOBIG:
      code = CRM_STORE_ERROR_INVALID;
      break;

    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      code = CRM_STORE_ERROR_DAMAGED;
      break;

    default:
      break;
    }

  g_set_error (error, CRM_STORE_ERROR, code, "%s: %s", doing,
               self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
}

/**
 * crm_store_next_row:
 * @doing: what the query is for, for the error
 *
 * Steps a query.
 *
 * Returns: 1 for a row, 0 when done, -1 with @error set
 */
int
crm_store_next_row (CrmStore      *self,
                    sqlite3_stmt  *stmt,
                    const char    *doing,
                    GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    return 1;
  if (rc == SQLITE_DONE)
    return 0;

  crm_store_set_error (self, error, rc, doing);
  return -1;
}

/* Column @column of the current row as a new string, NULL for NULL. */
char *
crm_column_dup (sqlite3_stmt *stmt,
                int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

gboolean
crm_store_exec (CrmStore    *self,
                const char  *sql,
                GError     **error)
{
  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);

  return exec_sql (self->db, sql, error);
}

sqlite3_stmt *
crm_store_prepare (CrmStore    *self,
                   const char  *sql,
                   GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (self), NULL);

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      crm_store_set_error (self, error, rc, _("Cannot prepare a query"));
      return NULL;
    }

  return stmt;
}

/**
 * crm_store_begin:
 *
 * Starts a write transaction; every write of core runs inside one.
 */
gboolean
crm_store_begin (CrmStore  *self,
                 GError   **error)
{
  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);

  return exec_sql (self->db, "BEGIN IMMEDIATE", error);
}

gboolean
crm_store_commit (CrmStore  *self,
                  GError   **error)
{
  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);

  if (!exec_sql (self->db, "COMMIT", error))
    {
      crm_store_rollback (self);
      return FALSE;
    }

  return TRUE;
}

void
crm_store_rollback (CrmStore *self)
{
  g_return_if_fail (CRM_IS_STORE (self));

  if (!sqlite3_get_autocommit (self->db))
    exec_sql (self->db, "ROLLBACK", NULL);
}

/**
 * crm_store_set_deferred:
 *
 * Inside a transaction, lets a bulk insert skip the per-row search index
 * and audit triggers; the caller then indexes and audits the new rows in one
 * statement each before it commits (crm_schema_bulk_audit_sql()). Only core
 * bulk writers use it.
 */
void
crm_store_set_deferred (CrmStore *self,
                        gboolean  deferred)
{
  g_return_if_fail (CRM_IS_STORE (self));

  self->deferred = deferred;
}

void
crm_store_emit_changed (CrmStore   *self,
                        const char *entity,
                        gint64      id)
{
  g_return_if_fail (CRM_IS_STORE (self));

  g_signal_emit (self, signals[CHANGED], g_quark_from_string (entity), entity, id);
}

static gboolean
collect_problems (CrmStore    *self,
                  const char  *sql,
                  gboolean     ok_row_means_fine,
                  GPtrArray   *problems,
                  GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      crm_store_set_error (self, error, rc, sql);
      return FALSE;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GString *line = g_string_new (NULL);

      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        {
          const char *text = (const char *) sqlite3_column_text (stmt, i);

          if (i > 0)
            g_string_append (line, " ");
          g_string_append (line, text != NULL ? text : "NULL");
        }

      if (ok_row_means_fine && g_str_equal (line->str, "ok"))
        g_string_free (line, TRUE);
      else
        g_ptr_array_add (problems, g_string_free (line, FALSE));
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (self, error, rc, sql);
      return FALSE;
    }

  return TRUE;
}

/**
 * crm_store_verify:
 * @problems: (out) (transfer full): what is wrong, one line each; empty when
 *   the workspace is sound
 *
 * Runs SQLite's integrity check, SQLCipher's cipher integrity check (every
 * page's authentication code) and the foreign-key check.
 *
 * Returns: %FALSE with @error set when the checks could not run at all
 */
gboolean
crm_store_verify (CrmStore   *self,
                  GStrv      *problems,
                  GError    **error)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (CRM_IS_STORE (self), FALSE);

  if (!collect_problems (self, "PRAGMA integrity_check", TRUE, found, error)
      || !collect_problems (self, "PRAGMA cipher_integrity_check", FALSE, found, error)
      || !collect_problems (self, "PRAGMA foreign_key_check", FALSE, found, error))
    return FALSE;

  g_ptr_array_add (found, NULL);
  *problems = (GStrv) g_ptr_array_free (g_steal_pointer (&found), FALSE);
  return TRUE;
}

/* Workers */

static gint n_workers;

static void
on_worker_completed (GTask      *task,
                     GParamSpec *pspec,
                     gpointer    user_data)
{
  g_atomic_int_dec_and_test (&n_workers);
}

/**
 * crm_store_run_worker:
 *
 * g_task_run_in_thread(), with the task counted until it has completed
 * (its callback has run in the main context).
 */
void
crm_store_run_worker (GTask           *task,
                      GTaskThreadFunc  func)
{
  g_return_if_fail (G_IS_TASK (task));

  g_atomic_int_inc (&n_workers);
  g_signal_connect (task, "notify::completed", G_CALLBACK (on_worker_completed), NULL);
  g_task_run_in_thread (task, func);
}

static gboolean
set_flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/**
 * crm_store_wait_for_workers:
 * @timeout_ms: how long to wait at most
 *
 * Runs the default main context until every worker started with
 * crm_store_run_worker() has completed; their cancellables should have
 * been cancelled first, so that they stop early.
 *
 * Returns: whether they all completed in time
 */
gboolean
crm_store_wait_for_workers (guint timeout_ms)
{
  gboolean timed_out = FALSE;
  guint timeout_id;

  if (g_atomic_int_get (&n_workers) == 0)
    return TRUE;

  timeout_id = g_timeout_add (timeout_ms, set_flag_cb, &timed_out);
  while (g_atomic_int_get (&n_workers) > 0 && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout_id);

  return g_atomic_int_get (&n_workers) == 0;
}
