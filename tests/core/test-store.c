/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "crm-contacts.h"
#include "crm-key.h"
#include "crm-schema.h"
#include "crm-search.h"
#include "crm-store.h"
#include "crm-test-util.h"

typedef struct
{
  char     *dir;
  char     *workspace;
  GBytes   *key;
  CrmStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;

  f->dir = crm_test_make_dir ();
  f->workspace = g_build_filename (f->dir, "workspace", NULL);
  f->key = crm_key_generate (&error);
  g_assert_no_error (error);
  f->store = crm_store_create (f->workspace, f->key, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->store);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  g_clear_pointer (&f->key, g_bytes_unref);
  crm_test_remove_tree (f->dir);
  g_free (f->workspace);
  g_free (f->dir);
}

static char *
db_path (Fixture *f)
{
  return g_build_filename (f->workspace, "rapport.db", NULL);
}

static gint64
add_contact (CrmStore   *store,
             const char *family,
             const char *middle,
             const char *given,
             const char *email,
             const char *phone)
{
  g_autoptr (GError) error = NULL;
  CrmNewContact contact = {
    .family_name = family,
    .middle_name = middle,
    .given_name = given,
    .email = email,
    .phone_e164 = phone,
  };
  gint64 id = crm_contacts_add (store, &contact, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static gint64
db_query_int (sqlite3    *db,
              const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static gint64
query_int (CrmStore   *store,
           const char *sql)
{
  return db_query_int (crm_store_get_db (store), sql);
}

static char *
query_string (CrmStore   *store,
              const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value;

  g_assert_cmpint (sqlite3_prepare_v2 (crm_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

static void
test_create_and_open (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = db_path (f);
  g_autofree char *uuid = g_strdup (crm_store_get_uuid (f->store));
  g_autofree char *read_uuid = NULL;
  g_autoptr (CrmStore) again = NULL;
  CrmProtection protection;
  GStatBuf st;

  g_assert_true (g_uuid_string_is_valid (uuid));
  g_assert_cmpint (crm_store_get_schema_version (f->store), ==, CRM_STORE_SCHEMA_VERSION);
  g_assert_cmpint (crm_store_get_protection (f->store), ==, CRM_PROTECTION_KEYRING);

  /* The directory is private to the user, the file too. */
  g_assert_cmpint (g_stat (f->workspace, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  read_uuid = crm_store_read_uuid (f->workspace, &protection, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (read_uuid, ==, uuid);
  g_assert_cmpint (protection, ==, CRM_PROTECTION_KEYRING);

  g_clear_object (&f->store);
  again = crm_store_open (f->workspace, f->key, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (crm_store_get_uuid (again), ==, uuid);

  /* Every pragma DESIGN.md asks for. */
  g_assert_cmpint (query_int (again, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (query_int (again, "PRAGMA secure_delete"), ==, 1);
  g_assert_cmpint (query_int (again, "PRAGMA temp_store"), ==, 2);
  {
    g_autofree char *mode = query_string (again, "PRAGMA journal_mode");
    g_autofree char *currency = query_string (again,
                                              "SELECT value FROM meta WHERE key = 'base_currency'");

    g_assert_cmpstr (mode, ==, "wal");
    g_assert_cmpstr (currency, ==, "VND");
  }

  /* The built-in rows of schema v1. */
  g_assert_cmpint (query_int (again, "SELECT count(*) FROM lifecycle_stage"), ==, 8);
  g_assert_cmpint (query_int (again, "SELECT count(*) FROM lead_status"), ==, 8);
  g_assert_cmpint (query_int (again, "SELECT count(*) FROM stage WHERE pipeline_id = 1"), ==, 6);
}

static void
test_create_refuses_existing (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) other_key = crm_key_generate (NULL);
  g_autofree char *path = db_path (f);
  g_autoptr (GBytes) before = NULL;
  g_autoptr (CrmStore) second = NULL;

  g_clear_object (&f->store);
  before = crm_test_read_file (path);

  second = crm_store_create (f->workspace, other_key, &error);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_EXISTS);
  g_assert_null (second);
  g_assert_true (crm_test_file_equal (path, before));
}

static void
test_wrong_key (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) wrong = crm_key_generate (NULL);
  g_autofree char *path = db_path (f);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autoptr (GBytes) before = NULL;
  g_autoptr (GBytes) wal_before = NULL;
  g_autoptr (GBytes) shm_before = NULL;
  g_autoptr (CrmStore) opened = NULL;

  add_contact (f->store, "Nguyễn", "Văn", "Đức", "duc@example.com", "+84903123456");
  g_clear_object (&f->store);
  before = crm_test_read_file (path);
  wal_before = crm_test_read_file (wal);
  shm_before = crm_test_read_file (shm);
  g_assert_nonnull (before);

  opened = crm_store_open (f->workspace, wrong, &error);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_WRONG_KEY);
  g_assert_null (opened);
  g_clear_error (&error);

  opened = crm_store_open_with_passphrase (f->workspace, "not the passphrase", &error);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_WRONG_KEY);
  g_assert_null (opened);

  g_assert_true (crm_test_file_equal (path, before));
  g_assert_true (crm_test_file_equal (wal, wal_before));
  g_assert_true (crm_test_file_equal (shm, shm_before));
}

static gboolean
bytes_contain (GBytes     *bytes,
               const char *needle)
{
  gsize length = 0;
  const char *data;

  if (bytes == NULL)
    return FALSE;

  data = g_bytes_get_data (bytes, &length);
  return memmem (data, length, needle, strlen (needle)) != NULL;
}

static void
assert_no_plaintext (Fixture     *f,
                     GPtrArray   *needles)
{
  g_autofree char *path = db_path (f);
  const char *suffixes[] = { "", "-wal", "-shm" };

  for (guint s = 0; s < G_N_ELEMENTS (suffixes); s++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[s], NULL);
      g_autoptr (GBytes) bytes = crm_test_read_file (file);

      if (s == 0)
        g_assert_nonnull (bytes);
      for (guint i = 0; i < needles->len; i++)
        {
          if (bytes_contain (bytes, g_ptr_array_index (needles, i)))
            g_error ("%s holds “%s” in plaintext", file, (char *) g_ptr_array_index (needles, i));
        }
    }
}

static void
test_no_plaintext_on_disk (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) needles = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  g_autofree CrmNewContact *contacts = g_new0 (CrmNewContact, 1000);

  for (guint i = 0; i < 1000; i++)
    {
      char *given = g_strdup_printf ("Lựu%04u", i);
      char *email = g_strdup_printf ("luu.pham%04u@example.vn", i);
      char *phone = g_strdup_printf ("+849031%05u", i);

      contacts[i].family_name = "Phạm";
      contacts[i].middle_name = "Thị";
      contacts[i].given_name = given;
      contacts[i].email = email;
      contacts[i].phone_e164 = phone;
      g_ptr_array_add (strings, given);
      g_ptr_array_add (strings, email);
      g_ptr_array_add (strings, phone);

      g_ptr_array_add (needles, g_strdup (given));
      g_ptr_array_add (needles, g_strdup (email));
      /* The phone as stored, and its digits as the search index keeps them. */
      g_ptr_array_add (needles, g_strdup (phone));
      g_ptr_array_add (needles, g_strdup_printf ("9031%05u", i));
      g_ptr_array_add (needles, g_strdup_printf ("luu%04u", i));
    }

  g_assert_true (crm_contacts_add_many (f->store, contacts, 1000, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (crm_contacts_count (f->store, NULL), ==, 1000);

  /* Before a checkpoint the rows are in the write-ahead log. */
  assert_no_plaintext (f, needles);

  g_assert_true (crm_store_exec (f->store, "PRAGMA wal_checkpoint(TRUNCATE)", &error));
  g_assert_no_error (error);
  assert_no_plaintext (f, needles);

  g_clear_object (&f->store);
  assert_no_plaintext (f, needles);
}

static void
test_rekey (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) new_key = crm_key_generate (NULL);
  g_autoptr (CrmStore) store = NULL;

  add_contact (f->store, "Trần", "Thị", "Mai", "mai@example.com", NULL);

  /* Raw key to raw key. */
  g_assert_true (crm_store_rekey (f->store, new_key, &error));
  g_assert_no_error (error);
  g_clear_object (&f->store);

  store = crm_store_open (f->workspace, f->key, &error);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_WRONG_KEY);
  g_clear_error (&error);

  store = crm_store_open (f->workspace, new_key, &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_contacts_count (store, NULL), ==, 1);

  /* Raw key to passphrase, recorded in the workspace file. */
  g_assert_true (crm_store_rekey_to_passphrase (store, "short", &error) == FALSE);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (crm_store_rekey_to_passphrase (store, "chìa khóa bí mật", &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  store = crm_store_open (f->workspace, new_key, &error);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_WRONG_KEY);
  g_clear_error (&error);

  store = crm_store_open_with_passphrase (f->workspace, "chìa khóa bí mật", &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_store_get_protection (store), ==, CRM_PROTECTION_PASSPHRASE);
  g_assert_cmpint (crm_contacts_count (store, NULL), ==, 1);
  {
    CrmProtection protection = CRM_PROTECTION_KEYRING;
    g_autofree char *uuid = crm_store_read_uuid (f->workspace, &protection, &error);

    g_assert_no_error (error);
    g_assert_cmpint (protection, ==, CRM_PROTECTION_PASSPHRASE);
  }

  /* And back to a raw key. */
  g_assert_true (crm_store_rekey (store, f->key, &error));
  g_assert_no_error (error);
  g_clear_object (&store);
  store = crm_store_open (f->workspace, f->key, &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_store_get_protection (store), ==, CRM_PROTECTION_KEYRING);
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) source = g_file_new_for_path (from);
  g_autoptr (GFile) destination = g_file_new_for_path (to);

  g_assert_true (g_file_copy (source, destination, G_FILE_COPY_NONE, NULL, NULL, NULL,
                              &error));
  g_assert_no_error (error);
}

static void
test_recovery_key_on_a_copy (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmSecret) recovery = crm_key_to_recovery (f->key);
  g_autofree char *copy = g_build_filename (f->dir, "restored", NULL);
  g_autofree char *from = db_path (f);
  g_autofree char *to = g_build_filename (copy, "rapport.db", NULL);
  g_autoptr (GBytes) key = NULL;
  g_autoptr (CrmStore) store = NULL;
  g_autoptr (GArray) found = NULL;

  add_contact (f->store, "Lê", "Hoàng", "Yến", "yen@example.com", "+84912345678");
  g_assert_true (crm_store_exec (f->store, "PRAGMA wal_checkpoint(TRUNCATE)", NULL));
  g_clear_object (&f->store);

  /* Only the database travels: no workspace file, no keyring entry. */
  g_assert_cmpint (g_mkdir (copy, 0700), ==, 0);
  copy_file (from, to);

  /* Typed by a person: lower case, spaces instead of dashes. */
  {
    g_autofree char *typed = g_ascii_strdown (recovery, -1);

    g_strdelimit (typed, "-", ' ');
    key = crm_key_from_recovery (typed, &error);
    g_assert_no_error (error);
  }
  g_assert_true (g_bytes_equal (key, f->key));

  store = crm_store_open (copy, key, &error);
  g_assert_no_error (error);
  found = crm_search_contacts (store, "yen", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);

  /* The workspace file was made again from the database. */
  {
    g_autofree char *uuid = crm_store_read_uuid (copy, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (uuid, ==, crm_store_get_uuid (store));
  }
}

static void
test_recovery_key_format (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) key = crm_key_generate (&error);
  g_autoptr (CrmSecret) recovery = crm_key_to_recovery (key);
  g_autoptr (GBytes) back = NULL;
  g_autofree char *typo = g_strdup (recovery);
  g_auto (GStrv) groups = g_strsplit (recovery, "-", -1);

  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (groups), ==, 11);
  for (guint i = 0; groups[i] != NULL; i++)
    g_assert_cmpuint (strlen (groups[i]), ==, 5);

  back = crm_key_from_recovery (recovery, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (key, back));

  /* One changed letter is a typo, not another key. */
  typo[3] = typo[3] == 'A' ? 'B' : 'A';
  g_clear_pointer (&back, g_bytes_unref);
  back = crm_key_from_recovery (typo, &error);
  g_assert_error (error, CRM_KEY_ERROR, CRM_KEY_ERROR_CHECKSUM);
  g_assert_null (back);
  g_clear_error (&error);

  back = crm_key_from_recovery ("ABCDE-FGHIJ", &error);
  g_assert_error (error, CRM_KEY_ERROR, CRM_KEY_ERROR_MALFORMED);
  g_clear_error (&error);

  back = crm_key_from_recovery ("", &error);
  g_assert_error (error, CRM_KEY_ERROR, CRM_KEY_ERROR_MALFORMED);
}

static void
test_audit (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  gint64 id = add_contact (f->store, "Đặng", "Minh", "Khôi", NULL, NULL);
  g_autofree char *sql = NULL;
  g_autofree char *who = NULL;

  sql = g_strdup_printf ("SELECT json_extract(changes, '$.new.display_name') FROM audit_log "
                         "WHERE entity = 'contact' AND entity_id = %" G_GINT64_FORMAT
                         " AND action = 'insert'", id);
  {
    g_autofree char *inserted = query_string (f->store, sql);

    g_assert_cmpstr (inserted, ==, "Đặng Minh Khôi");
  }
  who = query_string (f->store, "SELECT who FROM audit_log ORDER BY id DESC LIMIT 1");
  g_assert_cmpstr (who, ==, g_get_user_name ());
  g_assert_cmpint (query_int (f->store, "SELECT abs(at - unixepoch()) < 60 FROM audit_log "
                                        "ORDER BY id DESC LIMIT 1"), ==, 1);

  /* An update records only what changed, old and new. */
  g_free (sql);
  sql = g_strdup_printf ("UPDATE contact SET job_title = 'Kế toán trưởng', owner = 'lan' "
                         "WHERE id = %" G_GINT64_FORMAT, id);
  crm_store_exec (f->store, sql, &error);
  g_assert_no_error (error);
  g_free (sql);
  sql = g_strdup_printf ("SELECT changes FROM audit_log WHERE entity_id = %" G_GINT64_FORMAT
                         " AND action = 'update'", id);
  {
    g_autofree char *changes = query_string (f->store, sql);

    g_assert_cmpstr (changes, ==,
                     "{\"old\":{\"job_title\":null,\"owner\":null},"
                     "\"new\":{\"job_title\":\"Kế toán trưởng\",\"owner\":\"lan\"}}");
  }

  /* An update that changes nothing audited writes nothing. */
  g_free (sql);
  sql = g_strdup_printf ("UPDATE contact SET updated = updated + 1 WHERE id = %" G_GINT64_FORMAT,
                         id);
  g_assert_true (crm_store_exec (f->store, sql, &error));
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM audit_log WHERE action = 'update'"),
                   ==, 1);

  /* A delete keeps the old values. */
  g_free (sql);
  sql = g_strdup_printf ("DELETE FROM contact WHERE id = %" G_GINT64_FORMAT, id);
  g_assert_true (crm_store_exec (f->store, sql, &error));
  g_free (sql);
  sql = g_strdup_printf ("SELECT json_extract(changes, '$.old.job_title') FROM audit_log "
                         "WHERE entity_id = %" G_GINT64_FORMAT " AND action = 'delete'", id);
  {
    g_autofree char *old = query_string (f->store, sql);

    g_assert_cmpstr (old, ==, "Kế toán trưởng");
  }

  /* The other audited entities have their triggers too. */
  g_assert_true (crm_store_exec (f->store,
                                 "INSERT INTO company (name) VALUES ('Công ty TNHH Minh Phát');"
                                 "INSERT INTO deal (title, stage_id) VALUES ('Máy tính', 1);"
                                 "INSERT INTO task (title) VALUES ('Gọi lại');",
                                 &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f->store, "SELECT count(DISTINCT entity) FROM audit_log "
                                        "WHERE action = 'insert'"), ==, 4);

  /* Inserts keep only the columns that are set, as valid JSON, whatever the
   * text holds. */
  g_assert_true (crm_store_exec (f->store,
                                 "INSERT INTO task (title, notes) "
                                 "VALUES ('Báo giá \"gấp\"', 'dòng 1' || char(10) || '\\ dòng 2' "
                                 "|| char(9) || char(1) || 'hết')",
                                 &error));
  g_assert_no_error (error);
  {
    g_autofree char *changes = query_string (f->store,
                                             "SELECT changes FROM audit_log WHERE entity = 'task' "
                                             "ORDER BY id DESC LIMIT 1");

    g_assert_cmpstr (changes, ==,
                     "{\"new\":{\"title\":\"Báo giá \\\"gấp\\\"\",\"done\":0,"
                     "\"priority\":1,\"notes\":\"dòng 1\\n\\\\ dòng 2\\t\\u0001hết\"}}");
  }
}

static void
test_primary_email_and_phone (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  gint64 id = add_contact (f->store, "Trần", "Thị", "Lan", "lan@minhphat.vn", "+84903123456");
  g_autofree char *sql = NULL;
  g_autofree char *email = NULL;
  g_autofree char *phone = NULL;

  /* The bulk path writes them with the row. */
  sql = g_strdup_printf ("SELECT primary_email || ' ' || primary_phone FROM contact "
                         "WHERE id = %" G_GINT64_FORMAT, id);
  email = query_string (f->store, sql);
  g_assert_cmpstr (email, ==, "lan@minhphat.vn +84903123456");

  /* The triggers follow later changes: a new primary, then its removal. */
  g_free (sql);
  sql = g_strdup_printf ("UPDATE contact_email SET is_primary = 0 WHERE contact_id = %" G_GINT64_FORMAT ";"
                         "INSERT INTO contact_email (contact_id, email, is_primary) "
                         "VALUES (%" G_GINT64_FORMAT ", 'lan.tran@gmail.com', 1);"
                         "INSERT INTO contact_phone (contact_id, e164, raw, is_primary) "
                         "VALUES (%" G_GINT64_FORMAT ", '+842838221234', '028 3822 1234', 0)",
                         id, id, id);
  g_assert_true (crm_store_exec (f->store, sql, &error));
  g_assert_no_error (error);
  g_free (sql);
  sql = g_strdup_printf ("SELECT primary_email || ' ' || primary_phone FROM contact "
                         "WHERE id = %" G_GINT64_FORMAT, id);
  g_free (email);
  email = query_string (f->store, sql);
  g_assert_cmpstr (email, ==, "lan.tran@gmail.com +84903123456");

  g_free (sql);
  sql = g_strdup_printf ("DELETE FROM contact_email WHERE contact_id = %" G_GINT64_FORMAT ";"
                         "DELETE FROM contact_phone WHERE e164 = '+84903123456'", id);
  g_assert_true (crm_store_exec (f->store, sql, &error));
  g_free (sql);
  sql = g_strdup_printf ("SELECT ifnull(primary_email, 'none') || ' ' || primary_phone "
                         "FROM contact WHERE id = %" G_GINT64_FORMAT, id);
  phone = query_string (f->store, sql);
  g_assert_cmpstr (phone, ==, "none +842838221234");
}

static void
test_failed_migration_leaves_file_intact (Fixture       *f,
                                          gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = db_path (f);
  g_autoptr (GBytes) before = NULL;
  g_autoptr (CrmStore) store = NULL;

  /* Pretend the file predates schema v1: migration 1 then runs again over
   * tables that exist and fails half-way. */
  add_contact (f->store, "Vũ", "Thu", "Hà", NULL, NULL);
  g_assert_true (crm_store_exec (f->store, "PRAGMA user_version = 0;"
                                           "PRAGMA wal_checkpoint(TRUNCATE)", &error));
  g_assert_no_error (error);
  g_clear_object (&f->store);
  before = crm_test_read_file (path);

  store = crm_store_open (f->workspace, f->key, &error);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_FAILED);
  g_assert_null (store);
  g_assert_true (crm_test_file_equal (path, before));
}

static void
test_verify (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) problems = NULL;

  add_contact (f->store, "Hồ", "Ngọc", "Hà", "ha@example.com", "+84987654321");
  g_assert_true (crm_store_verify (f->store, &problems, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (problems), ==, 0);
}

typedef struct
{
  char   *entity;
  gint64  id;
  guint   count;
} ChangedRecord;

static void
on_changed (CrmStore      *store,
            const char    *entity,
            gint64         id,
            ChangedRecord *record)
{
  g_free (record->entity);
  record->entity = g_strdup (entity);
  record->id = id;
  record->count++;
}

static void
test_changed_signal (Fixture       *f,
                     gconstpointer  data)
{
  ChangedRecord record = { NULL, 0, 0 };
  gint64 id;

  g_signal_connect (f->store, "changed::contact", G_CALLBACK (on_changed), &record);
  id = add_contact (f->store, "Bùi", "Xuân", "Phái", NULL, NULL);

  g_assert_cmpuint (record.count, ==, 1);
  g_assert_cmpstr (record.entity, ==, "contact");
  g_assert_cmpint (record.id, ==, id);
  g_free (record.entity);
}

/* Every index and trigger of the workspace and its SQL, in one string; and
 * each table's insert triggers in the order they fire. */
static char *
schema_objects (CrmStore *store)
{
  return query_string (store, "SELECT group_concat(name || ': ' || sql, char(10)) "
                              "|| char(10) || (SELECT group_concat(name, ' ') FROM "
                              "  (SELECT name FROM sqlite_schema WHERE type = 'trigger' "
                              "   AND sql LIKE '%AFTER INSERT%' ORDER BY tbl_name, rowid)) FROM "
                              "(SELECT name, sql FROM sqlite_schema WHERE type IN ('index', "
                              " 'trigger') AND sql IS NOT NULL ORDER BY name)");
}

static gboolean
has_object (CrmStore   *store,
            const char *name)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM sqlite_schema "
                                          "WHERE name = '%s'", name);

  return query_int (store, sql) == 1;
}

static void
make_contacts (CrmNewContact *contacts,
               GStringChunk  *strings,
               guint          first,
               guint          n,
               gint64         company_id)
{
  static const char *const families[] = { "Nguyễn", "Trần", "Lê", "Phạm", "Đặng", "Smith" };
  static const char *const givens[] = { "Đức", "An", "Ánh", "Yến", "Bình", "Mary", "Quỳnh" };

  for (guint i = 0; i < n; i++)
    {
      guint k = first + i;
      char buffer[64];

      contacts[i] = (CrmNewContact) {
        .family_name = families[k % G_N_ELEMENTS (families)],
        .middle_name = k % 3 == 0 ? "Văn" : "Thị",
        .given_name = givens[(k / 7) % G_N_ELEMENTS (givens)],
        .company_id = k % 5 == 1 ? company_id : 0,
      };
      g_snprintf (buffer, sizeof buffer, "khach%u.%u@example.vn", k, (k * 7919) % 10007);
      contacts[i].email = g_string_chunk_insert (strings, buffer);
      g_snprintf (buffer, sizeof buffer, "+8490%07u", (k * 104729) % 10000000);
      contacts[i].phone_e164 = g_string_chunk_insert (strings, buffer);
    }
}

#define IMPORT_SIZE 25000
#define IMPORT_BATCH 5000

static char *
scratch_path (Fixture *f)
{
  return g_build_filename (f->workspace, "import-index.db", NULL);
}

/* The files of the workspace directory that are not the workspace's own. */
static guint
stray_files (Fixture *f)
{
  g_autoptr (GDir) dir = g_dir_open (f->workspace, 0, NULL);
  const char *name;
  guint stray = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (!g_str_has_prefix (name, "rapport.db") && g_strcmp0 (name, "workspace.ini") != 0)
        stray++;
    }

  return stray;
}

/* How many of this process's open files are the scratch database, removed
 * from the directory while open. */
static guint
open_scratch_files (Fixture *f)
{
  g_autoptr (GDir) fds = g_dir_open ("/proc/self/fd", 0, NULL);
  g_autofree char *scratch = scratch_path (f);
  g_autofree char *deleted = g_strconcat (scratch, " (deleted)", NULL);
  const char *name;
  guint found = 0;

  g_assert_nonnull (fds);
  while ((name = g_dir_read_name (fds)) != NULL)
    {
      g_autofree char *link = g_build_filename ("/proc/self/fd", name, NULL);
      g_autofree char *target = g_file_read_link (link, NULL);

      if (g_strcmp0 (target, deleted) == 0)
        found++;
    }

  return found;
}

/* A large import drops the indexes written in random order and builds them
 * again at its end, and leaves out the insert triggers: the workspace ends
 * with the same indexes and triggers, a search index equal to what the
 * triggers would have made, and every audit row. Into an empty workspace
 * (@data) another thread builds the search index in a scratch database
 * whose file is never seen in the directory, and is gone once the import
 * ends. */
static void
test_large_import (Fixture       *f,
                   gconstpointer  data)
{
  gboolean into_empty = GPOINTER_TO_INT (data);
  gint64 company_id;
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmContactImport) import = NULL;
  g_autoptr (GStringChunk) strings = g_string_chunk_new (4096);
  g_autofree CrmNewContact *batch = g_new (CrmNewContact, IMPORT_BATCH);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *fts_sql = NULL;
  g_autofree char *reference_sql = NULL;
  g_autofree char *plan = NULL;
  g_auto (GStrv) problems = NULL;
  g_autoptr (GArray) found = NULL;
  gint64 first_id = 0;
  gint64 id;

  g_assert_true (crm_store_exec (f->store, "INSERT INTO company (name) "
                                           "VALUES ('Công ty TNHH Hoà Bình')", &error));
  g_assert_no_error (error);
  company_id = query_int (f->store, "SELECT max(id) FROM company");
  id = into_empty ? 0 : add_contact (f->store, "Nguyễn", "Văn", "Đức", "duc@example.vn",
                                     "+84903123456");
  before = schema_objects (f->store);

  import = crm_contact_import_begin (f->store, IMPORT_SIZE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (import);
  g_assert_false (has_object (f->store, "contact_sort_given"));
  g_assert_false (has_object (f->store, "contact_email_email"));
  g_assert_false (has_object (f->store, "contact_audit_insert"));
  g_assert_false (has_object (f->store, "contact_phone_fts_insert"));
  g_assert_cmpuint (open_scratch_files (f), ==, into_empty ? 1 : 0);
  g_assert_cmpuint (stray_files (f), ==, 0);
  g_assert_cmpint (query_int (f->store, "SELECT ifnull((SELECT v FROM contact_fts_config "
                                        "WHERE k = 'crisismerge'), 16)"), ==,
                   into_empty ? 16 : 64);

  for (guint done = 0; done < IMPORT_SIZE; done += IMPORT_BATCH)
    {
      gint64 batch_first = 0;

      g_string_chunk_clear (strings);
      make_contacts (batch, strings, done, IMPORT_BATCH, company_id);
      g_assert_true (crm_contact_import_add (import, batch, IMPORT_BATCH, &batch_first, &error));
      g_assert_no_error (error);
      if (done == 0)
        first_id = batch_first;
      g_assert_cmpint (batch_first, ==, first_id + done);
    }
  g_assert_cmpint (first_id, ==, id + 1);
  g_assert_true (crm_contact_import_finish (import, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (open_scratch_files (f), ==, 0);
  g_assert_cmpuint (stray_files (f), ==, 0);

  after = schema_objects (f->store);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM contact"), ==,
                   IMPORT_SIZE + !into_empty);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM contact_email"), ==,
                   IMPORT_SIZE + !into_empty);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM audit_log WHERE entity = 'contact' "
                                        "AND action = 'insert'"), ==, IMPORT_SIZE + !into_empty);
  g_assert_true (crm_store_exec (f->store, "INSERT INTO contact_fts (contact_fts) "
                                           "VALUES ('integrity-check')", &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f->store, "SELECT ifnull((SELECT v FROM contact_fts_config "
                                        "WHERE k = 'automerge'), 4)"), ==, 4);
  g_assert_cmpint (query_int (f->store, "SELECT ifnull((SELECT v FROM contact_fts_config "
                                        "WHERE k = 'crisismerge'), 16)"), ==, 16);

  /* The triggers are back, and the import audited its rows in the very
   * words they use: the first contact again, added through them. */
  crm_store_exec (f->store,
                  "INSERT INTO contact (given_name, middle_name, family_name, "
                  "display_name) VALUES ('Đức', 'Văn', 'Nguyễn', 'Nguyễn Văn Đức')",
                  &error);
  g_assert_no_error (error);
  {
    g_autofree char *imported = NULL;
    g_autofree char *triggered = NULL;
    g_autofree char *sql = NULL;

    sql = g_strdup_printf ("SELECT changes FROM audit_log WHERE entity = 'contact' "
                           "AND entity_id = %" G_GINT64_FORMAT, first_id);
    imported = query_string (f->store, sql);
    triggered = query_string (f->store, "SELECT changes FROM audit_log WHERE entity = 'contact' "
                                        "ORDER BY id DESC LIMIT 1");
    g_assert_nonnull (strstr (imported, "\"display_name\":\"Nguyễn Văn Đức\""));
    g_assert_cmpstr (imported, ==, triggered);
  }
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM contact_fts "
                                        "WHERE contact_fts MATCH 'nguyen van duc'"), ==,
                   query_int (f->store, "SELECT count(*) FROM contact "
                                        "WHERE display_name = 'Nguyễn Văn Đức'"));

  /* The list's order comes from the rebuilt index again. */
  {
    sqlite3_stmt *stmt = crm_store_prepare (f->store,
                                            "EXPLAIN QUERY PLAN SELECT id FROM contact "
                                            "WHERE archived = 0 ORDER BY sort_given, id LIMIT 10",
                                            &error);

    g_assert_no_error (error);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    plan = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
    sqlite3_finalize (stmt);
    g_assert_nonnull (strstr (plan, "contact_sort_given"));
  }

  /* The search index holds what contact_fts_source gives, word for word. */
  fts_sql = query_string (f->store, "SELECT sql FROM sqlite_schema WHERE name = 'contact_fts'");
  g_assert_nonnull (strstr (fts_sql, "CREATE VIRTUAL TABLE contact_fts USING"));
  reference_sql = g_strconcat ("CREATE VIRTUAL TABLE temp.reference USING",
                               fts_sql + strlen ("CREATE VIRTUAL TABLE contact_fts USING"), NULL);
  g_assert_true (crm_store_exec (f->store, reference_sql, &error));
  g_assert_true (crm_store_exec (f->store,
                                 "INSERT INTO temp.reference (rowid, name, emails, phones, company) "
                                 "SELECT * FROM contact_fts_source;"
                                 "CREATE VIRTUAL TABLE temp.words USING "
                                 "  fts5vocab(main, contact_fts, instance);"
                                 "CREATE VIRTUAL TABLE temp.reference_words USING "
                                 "  fts5vocab(temp, reference, instance);",
                                 &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM temp.words"), >, 4 * IMPORT_SIZE);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM temp.words"), ==,
                   query_int (f->store, "SELECT count(*) FROM temp.reference_words"));
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM (SELECT * FROM temp.words "
                                        "EXCEPT SELECT * FROM temp.reference_words)"), ==, 0);

  /* Each leaf of the index fits in an encrypted page (4,096 bytes, 80 of
   * them the IV and HMAC) with its record around it: none takes a second,
   * overflow page. */
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM contact_fts_data"), >, 100);
  g_assert_cmpint (query_int (f->store, "SELECT max(length(block)) FROM contact_fts_data"), <=,
                   4096 - 80 - 35 - 3);

  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM contact_fts "
                                        "WHERE contact_fts MATCH 'company: hoa binh'"), ==,
                   IMPORT_SIZE / 5);
  found = crm_search_contacts (f->store, "khach12345", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpint (g_array_index (found, gint64, 0), ==, first_id + 12345);

  /* The index takes changes after the import as any other. */
  {
    g_autofree char *sql = g_strdup_printf ("DELETE FROM contact WHERE id = %" G_GINT64_FORMAT,
                                            first_id + 12345);

    g_assert_true (crm_store_exec (f->store, sql, &error));
    g_assert_no_error (error);
    g_clear_pointer (&found, g_array_unref);
    found = crm_search_contacts (f->store, "khach12345", &error);
    g_assert_no_error (error);
    g_assert_cmpuint (found->len, ==, 0);
    g_assert_true (crm_store_exec (f->store, "INSERT INTO contact_fts (contact_fts) "
                                             "VALUES ('integrity-check')", &error));
    g_assert_no_error (error);
  }

  g_assert_true (crm_store_verify (f->store, &problems, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (problems), ==, 0);
}

/* An import that is not finished leaves nothing behind, its dropped
 * indexes included; a small one never drops them. */
static void
test_import_rolled_back (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GStringChunk) strings = g_string_chunk_new (4096);
  g_autofree CrmNewContact *batch = g_new (CrmNewContact, IMPORT_BATCH);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  CrmContactImport *import;
  ChangedRecord record = { NULL, 0, 0 };

  add_contact (f->store, "Trần", "Thị", "Yến", NULL, NULL);
  before = schema_objects (f->store);
  g_signal_connect (f->store, "changed::contact", G_CALLBACK (on_changed), &record);

  import = crm_contact_import_begin (f->store, IMPORT_SIZE, &error);
  g_assert_no_error (error);
  make_contacts (batch, strings, 0, IMPORT_BATCH, 0);
  g_assert_true (crm_contact_import_add (import, batch, IMPORT_BATCH, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (has_object (f->store, "contact_sort_family"));
  crm_contact_import_free (import);

  after = schema_objects (f->store);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM contact"), ==, 1);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM audit_log"), ==, 1);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM contact_fts_config "
                                        "WHERE k IN ('automerge', 'crisismerge')"), ==, 0);
  g_assert_cmpuint (record.count, ==, 0);

  /* Fewer contacts than the workspace holds: the indexes stay. */
  import = crm_contact_import_begin (f->store, 1, &error);
  g_assert_no_error (error);
  g_assert_true (has_object (f->store, "contact_sort_family"));
  g_assert_true (crm_contact_import_add (import, batch, 1, NULL, &error));
  g_assert_true (crm_contact_import_finish (import, &error));
  g_assert_no_error (error);
  crm_contact_import_free (import);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM contact"), ==, 2);
  g_assert_cmpuint (record.count, ==, 1);
  g_free (record.entity);
}

/* Into an empty workspace: the scratch database goes with the rest. */
static void
test_import_rolled_back_empty (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GStringChunk) strings = g_string_chunk_new (4096);
  g_autofree CrmNewContact *batch = g_new (CrmNewContact, IMPORT_BATCH);
  g_autofree char *before = schema_objects (f->store);
  g_autofree char *after = NULL;
  g_autoptr (GArray) found = NULL;
  CrmContactImport *import;

  import = crm_contact_import_begin (f->store, IMPORT_SIZE, &error);
  g_assert_no_error (error);
  make_contacts (batch, strings, 0, IMPORT_BATCH, 0);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_true (crm_contact_import_add (import, batch, IMPORT_BATCH, NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpuint (open_scratch_files (f), ==, 1);
  g_assert_cmpuint (stray_files (f), ==, 0);
  crm_contact_import_free (import);

  g_assert_cmpuint (open_scratch_files (f), ==, 0);
  after = schema_objects (f->store);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM contact"), ==, 0);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM contact_fts_docsize"), ==, 0);

  add_contact (f->store, "Nguyễn", "Văn", "Đức", "duc@example.vn", "+84903123456");
  found = crm_search_contacts (f->store, "duc", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
}

/* A scratch database that cannot be made stops the import before it
 * writes anything, and says where. */
static void
test_import_scratch_fails (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *scratch = scratch_path (f);
  g_autofree char *blocker = g_build_filename (scratch, "file", NULL);
  g_autofree char *before = schema_objects (f->store);
  g_autofree char *after = NULL;
  CrmContactImport *import;

  g_assert_cmpint (g_mkdir (scratch, 0700), ==, 0);
  g_assert_true (g_file_set_contents (blocker, "x", 1, NULL));

  import = crm_contact_import_begin (f->store, IMPORT_SIZE, &error);
  g_assert_null (import);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, scratch));
  g_clear_error (&error);

  after = schema_objects (f->store);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (add_contact (f->store, "Trần", "Thị", "Yến", NULL, NULL), >, 0);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM contact"), ==, 1);

  g_assert_cmpint (g_unlink (blocker), ==, 0);
  g_assert_cmpint (g_rmdir (scratch), ==, 0);
}

static char *
workspace_ini_value (Fixture    *f,
                     const char *key)
{
  g_autoptr (GKeyFile) keyfile = g_key_file_new ();
  g_autofree char *path = g_build_filename (f->workspace, "workspace.ini", NULL);

  g_assert_true (g_key_file_load_from_file (keyfile, path, G_KEY_FILE_NONE, NULL));
  return g_key_file_get_string (keyfile, "Workspace", key, NULL);
}

static gint64
reader_count (CrmStore *store)
{
  g_autoptr (GError) error = NULL;
  sqlite3 *reader = crm_store_open_reader (store, &error);
  gint64 count;

  g_assert_no_error (error);
  count = db_query_int (reader, "SELECT count(*) FROM contact");
  sqlite3_close (reader);
  return count;
}

/* New workspaces authenticate their pages with HMAC-SHA256; one made with
 * SQLCipher's default HMAC-SHA512, as Rapport made them before, opens as
 * well, with its key and after a change to a passphrase, and keeps it. */
static void
test_page_hmac (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = db_path (f);
  g_autofree char *legacy = g_build_filename (f->dir, "legacy.db", NULL);
  g_autofree char *ini = g_build_filename (f->workspace, "workspace.ini", NULL);
  g_autofree char *name = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *hex = crm_key_to_hex (f->key);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr (GBytes) wrong = crm_key_generate (NULL);
  g_autoptr (CrmStore) again = NULL;
  gsize before_length = 0;
  gsize after_length = 0;
  sqlite3 *db = NULL;

  add_contact (f->store, "Nguyễn", "Văn", "Đức", "duc@example.vn", "+84903123456");
  name = query_string (f->store, "PRAGMA cipher_hmac_algorithm");
  g_assert_cmpstr (name, ==, "HMAC_SHA256");
  g_clear_pointer (&name, g_free);
  name = workspace_ini_value (f, "PageHmac");
  g_assert_cmpstr (name, ==, "sha256");
  g_clear_pointer (&name, g_free);
  g_assert_cmpint (reader_count (f->store), ==, 1);

  /* The same workspace written out with SQLCipher's defaults, in place of
   * the file, and a workspace.ini that says nothing of it. */
  g_assert_true (crm_store_exec (f->store, "PRAGMA wal_checkpoint(TRUNCATE)", &error));
  g_clear_object (&f->store);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_true (crm_schema_register_functions (db, NULL, &error));
  g_assert_no_error (error);
  sql = g_strdup_printf ("PRAGMA key = \"x'%s'\";"
                         "PRAGMA cipher_hmac_algorithm = HMAC_SHA256;"
                         "ATTACH DATABASE '%s' AS legacy KEY \"x'%s'\";"
                         "PRAGMA legacy.cipher_hmac_algorithm = HMAC_SHA512;"
                         "SELECT sqlcipher_export('legacy');"
                         "PRAGMA legacy.user_version = %d;"
                         "DETACH DATABASE legacy;",
                         hex, legacy, hex, CRM_STORE_SCHEMA_VERSION);
  sqlite3_exec (db, sql, NULL, NULL, NULL);
  g_assert_cmpstr (sqlite3_errmsg (db), ==, "not an error");
  sqlite3_close (db);
  g_assert_cmpint (g_rename (legacy, path), ==, 0);
  g_assert_true (g_file_set_contents (ini, "[Workspace]\nFormat=1\n", -1, NULL));

  /* Opened with a workspace.ini that says nothing of the HMAC, as earlier
   * versions wrote it, and with none at all. */
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *recorded = NULL;

      if (i == 1)
        g_assert_cmpint (g_unlink (ini), ==, 0);
      again = crm_store_open (f->workspace, f->key, &error);
      g_assert_no_error (error);
      g_assert_nonnull (again);
      g_assert_cmpint (query_int (again, "SELECT count(*) FROM contact"), ==, 1);
      g_clear_object (&again);
      recorded = workspace_ini_value (f, "PageHmac");
      g_assert_cmpstr (recorded, ==, "sha512");
      g_assert_true (g_file_set_contents (ini, "[Workspace]\nFormat=1\n", -1, NULL));
    }

  /* A wrong key is still wrong, and changes nothing. */
  g_assert_true (g_file_get_contents (path, &before, &before_length, NULL));
  again = crm_store_open (f->workspace, wrong, &error);
  g_assert_null (again);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_WRONG_KEY);
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (path, &after, &after_length, NULL));
  g_assert_cmpmem (before, before_length, after, after_length);

  f->store = crm_store_open (f->workspace, f->key, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->store);
  name = query_string (f->store, "PRAGMA cipher_hmac_algorithm");
  g_assert_cmpstr (name, ==, "HMAC_SHA512");
  g_clear_pointer (&name, g_free);
  name = workspace_ini_value (f, "PageHmac");
  g_assert_cmpstr (name, ==, "sha512");
  g_clear_pointer (&name, g_free);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM contact"), ==, 1);
  g_assert_cmpint (reader_count (f->store), ==, 1);
  add_contact (f->store, "Trần", "Thị", "Yến", NULL, NULL);

  g_assert_true (crm_store_rekey_to_passphrase (f->store, "mật khẩu của phòng kinh doanh",
                                                &error));
  g_assert_no_error (error);
  g_clear_object (&f->store);
  f->store = crm_store_open_with_passphrase (f->workspace, "mật khẩu của phòng kinh doanh",
                                             &error);
  g_assert_no_error (error);
  name = query_string (f->store, "PRAGMA cipher_hmac_algorithm");
  g_assert_cmpstr (name, ==, "HMAC_SHA512");
  g_clear_pointer (&name, g_free);
  name = workspace_ini_value (f, "PageHmac");
  g_assert_cmpstr (name, ==, "sha512");
  g_assert_cmpint (reader_count (f->store), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/store/create-and-open", test_create_and_open);
  ADD ("/store/create-refuses-existing", test_create_refuses_existing);
  ADD ("/store/wrong-key", test_wrong_key);
  ADD ("/store/no-plaintext-on-disk", test_no_plaintext_on_disk);
  ADD ("/store/rekey", test_rekey);
  ADD ("/store/page-hmac", test_page_hmac);
  ADD ("/store/recovery-key-on-a-copy", test_recovery_key_on_a_copy);
  ADD ("/store/audit", test_audit);
  ADD ("/store/primary-email-and-phone", test_primary_email_and_phone);
  ADD ("/store/failed-migration-leaves-file-intact", test_failed_migration_leaves_file_intact);
  ADD ("/store/verify", test_verify);
  ADD ("/store/changed-signal", test_changed_signal);
  g_test_add ("/store/large-import", Fixture, GINT_TO_POINTER (FALSE), fixture_set_up,
              test_large_import, fixture_tear_down);
  g_test_add ("/store/large-import-into-empty", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up,
              test_large_import, fixture_tear_down);
  ADD ("/store/large-import-scratch-fails", test_import_scratch_fails);
  ADD ("/store/import-rolled-back", test_import_rolled_back);
  ADD ("/store/import-rolled-back-empty", test_import_rolled_back_empty);
  g_test_add_func ("/key/recovery-format", test_recovery_key_format);

  return g_test_run ();
}
