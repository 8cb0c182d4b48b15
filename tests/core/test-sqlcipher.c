/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "crm-sqlcipher.h"

#define RAW_KEY "PRAGMA key = \"x'000102030405060708090a0b0c0d0e0f" \
                "101112131415161718191a1b1c1d1e1f'\""
#define WRONG_KEY "PRAGMA key = \"x'ff0102030405060708090a0b0c0d0e0f" \
                  "101112131415161718191a1b1c1d1e1f'\""
#define SECRET "Nguyễn Văn Đức 0903123456"

static void
exec_ok (sqlite3    *db,
         const char *sql)
{
  char *message = NULL;
  int rc = sqlite3_exec (db, sql, NULL, NULL, &message);

  if (rc != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static void
test_version (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *version = crm_sqlcipher_version (&error);

  g_assert_no_error (error);
  g_assert_nonnull (version);
  g_assert_true (g_str_has_prefix (version, "4."));
}

static void
test_features (void)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  /* DESIGN.md needs SQLite >= 3.45 for FTS5 and JSON. */
  g_assert_cmpint (sqlite3_libversion_number (), >=, 3045000);

  g_assert_cmpint (sqlite3_open (":memory:", &db), ==, SQLITE_OK);
  exec_ok (db, "CREATE VIRTUAL TABLE t USING fts5(name)");
  exec_ok (db, "INSERT INTO t VALUES ('nguyen van duc')");

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM t WHERE t MATCH 'du*'", -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
  sqlite3_finalize (stmt);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT json_extract('{\"a\":[1,2]}', '$.a[1]')", -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 2);
  sqlite3_finalize (stmt);

  sqlite3_close (db);
}

static void
test_encrypted_at_rest (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rapport-test-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gsize length = 0;

  g_assert_no_error (error);
  path = g_build_filename (dir, "test.db", NULL);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec_ok (db, RAW_KEY);
  exec_ok (db, "CREATE TABLE contact (name TEXT)");
  exec_ok (db, "INSERT INTO contact VALUES ('" SECRET "')");
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 16);
  g_assert_false (memcmp (contents, "SQLite format 3", 15) == 0);
  g_assert_null (memmem (contents, length, SECRET, strlen (SECRET)));
  g_assert_null (memmem (contents, length, "0903123456", 10));

  /* A wrong key is accepted by PRAGMA key; the first read fails. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec_ok (db, WRONG_KEY);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM sqlite_master", -1, &stmt, NULL),
                   ==, SQLITE_NOTADB);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  /* The right key reads the row back. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec_ok (db, RAW_KEY);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT name FROM contact", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, SECRET);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sqlcipher/version", test_version);
  g_test_add_func ("/sqlcipher/features", test_features);
  g_test_add_func ("/sqlcipher/encrypted-at-rest", test_encrypted_at_rest);

  return g_test_run ();
}
