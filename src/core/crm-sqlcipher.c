/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-sqlcipher"

#include "config.h"

#include <gio/gio.h>
#include <sqlite3.h>

#include "crm-sqlcipher.h"

/**
 * crm_sqlcipher_version:
 * @error: return location for a #GError
 *
 * Asks the linked SQLite library for `PRAGMA cipher_version`. Only SQLCipher
 * answers it: a plain libsqlite3 that shadowed SQLCipher's symbols would
 * return no row, and then nothing may be written through it.
 *
 * Returns: (transfer full): the SQLCipher version, or %NULL with @error set
 */
char *
crm_sqlcipher_version (GError **error)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *version = NULL;
  int rc;

  rc = sqlite3_open_v2 (":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "Cannot open an in-memory database: %s", sqlite3_errstr (rc));
      sqlite3_close (db);
      return NULL;
    }

  rc = sqlite3_prepare_v2 (db, "PRAGMA cipher_version", -1, &stmt, NULL);
  if (rc == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    version = g_strdup ((const char *) sqlite3_column_text (stmt, 0));

  sqlite3_finalize (stmt);
  sqlite3_close (db);

  if (version == NULL || *version == '\0')
    {
      g_free (version);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "The SQLite library in use is not SQLCipher: "
                           "PRAGMA cipher_version gave no answer");
      return NULL;
    }

  return version;
}
