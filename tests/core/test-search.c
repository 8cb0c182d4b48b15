/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "crm-contacts.h"
#include "crm-key.h"
#include "crm-search.h"
#include "crm-store.h"
#include "crm-test-util.h"

typedef struct
{
  char     *dir;
  CrmStore *store;
  gint64    duc;
  gint64    dung;
} Fixture;

static gint64
add (CrmStore   *store,
     const char *family,
     const char *middle,
     const char *given,
     const char *email,
     const char *phone)
{
  g_autoptr (GError) error = NULL;
  CrmNewContact contact = {
    .family_name = family, .middle_name = middle, .given_name = given,
    .email = email, .phone_e164 = phone,
  };
  gint64 id = crm_contacts_add (store, &contact, &error);

  g_assert_no_error (error);
  return id;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) key = crm_key_generate (NULL);
  g_autofree char *workspace = NULL;

  f->dir = crm_test_make_dir ();
  workspace = g_build_filename (f->dir, "workspace", NULL);
  f->store = crm_store_create (workspace, key, &error);
  g_assert_no_error (error);

  f->duc = add (f->store, "Nguyễn", "Văn", "Đức", "duc.nguyen@example.vn", "+84903123456");
  f->dung = add (f->store, "Trần", "Thị", "Dung", "dung.tran@example.vn", "+84912000111");
  add (f->store, "Lê", "Hoàng", "Yến", "yen.le@example.vn", "+84987000222");
  add (f->store, "Phạm", "Minh", "Ánh", NULL, "+84933000333");
  add (f->store, "Võ", "Thanh", "Bình", "binh@example.vn", NULL);
  add (f->store, "Hoàng", "Văn", "An", NULL, NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  crm_test_remove_tree (f->dir);
  g_free (f->dir);
}

static gboolean
array_contains (GArray *ids,
                gint64  id)
{
  for (guint i = 0; i < ids->len; i++)
    {
      if (g_array_index (ids, gint64, i) == id)
        return TRUE;
    }

  return FALSE;
}

static GArray *
search (Fixture    *f,
        const char *query)
{
  g_autoptr (GError) error = NULL;
  GArray *ids = crm_search_contacts (f->store, query, &error);

  g_assert_no_error (error);
  g_assert_nonnull (ids);
  return ids;
}

static void
test_finds_duc (Fixture       *f,
                gconstpointer  data)
{
  static const char *const exactly_duc[] = {
    "nguyen van duc", "NGUYỄN VĂN ĐỨC", "Nguyễn Văn Đức", "Đức", "duc", "đức nguyễn",
    "0903 123 456", "0903123456", "+84903123456", "+84 90 312 3456", "903123456", "0903 123",
    "duc.nguyen", "example.vn duc",
  };

  for (guint i = 0; i < G_N_ELEMENTS (exactly_duc); i++)
    {
      g_autoptr (GArray) ids = search (f, exactly_duc[i]);

      if (ids->len != 1 || g_array_index (ids, gint64, 0) != f->duc)
        g_error ("“%s” found %u contacts, not only Nguyễn Văn Đức", exactly_duc[i], ids->len);
    }

  /* A prefix finds Đức and Dung alike. */
  {
    g_autoptr (GArray) ids = search (f, "du");

    g_assert_cmpuint (ids->len, ==, 2);
    g_assert_true (array_contains (ids, f->duc));
    g_assert_true (array_contains (ids, f->dung));
  }
}

static void
test_no_match_and_odd_input (Fixture       *f,
                             gconstpointer  data)
{
  static const char *const nothing[] = {
    "khong co ai", "0123 999 999", "\"", "duc\" OR \"", "*", "NEAR(", "dung AND yen",
  };
  static const char *const empty[] = { "", "   ", "---", "+84", "0", "+" };

  for (guint i = 0; i < G_N_ELEMENTS (nothing); i++)
    {
      g_autoptr (GArray) ids = search (f, nothing[i]);

      g_assert_cmpuint (ids->len, ==, 0);
    }

  for (guint i = 0; i < G_N_ELEMENTS (empty); i++)
    {
      g_autofree char *match = crm_search_match_expression (empty[i]);

      g_assert_null (match);
    }
}

static void
test_index_follows_writes (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *sql = NULL;

  /* A new email, a company, a tag: each becomes searchable. */
  sql = g_strdup_printf ("INSERT INTO contact_email (contact_id, email) VALUES "
                         "(%" G_GINT64_FORMAT ", 'ketoan@minhphat.vn');"
                         "INSERT INTO company (id, name) VALUES (7, 'Công ty TNHH Minh Phát');"
                         "UPDATE contact SET company_id = 7 WHERE id = %" G_GINT64_FORMAT ";"
                         "INSERT INTO tag (id, name) VALUES (3, 'Khách VIP');"
                         "INSERT INTO contact_tag VALUES (%" G_GINT64_FORMAT ", 3);",
                         f->dung, f->dung, f->dung);
  g_assert_true (crm_store_exec (f->store, sql, &error));
  g_assert_no_error (error);

  {
    static const char *const queries[] = { "ketoan", "minh phat", "khach vip", "vip dung" };

    for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
      {
        g_autoptr (GArray) ids = search (f, queries[i]);

        g_assert_cmpuint (ids->len, ==, 1);
        g_assert_cmpint (g_array_index (ids, gint64, 0), ==, f->dung);
      }
  }

  /* Renaming the company and the tag, and removing the email, follow. */
  g_assert_true (crm_store_exec (f->store,
                                 "UPDATE company SET name = 'Công ty Cổ phần Hòa Bình' WHERE id = 7;"
                                 "UPDATE tag SET name = 'Đại lý' WHERE id = 3;"
                                 "DELETE FROM contact_email WHERE email = 'ketoan@minhphat.vn';",
                                 &error));
  g_assert_no_error (error);
  {
    g_autoptr (GArray) old_company = search (f, "minh phat");
    g_autoptr (GArray) new_company = search (f, "hoa binh");
    g_autoptr (GArray) new_tag = search (f, "dai ly");
    g_autoptr (GArray) old_email = search (f, "ketoan");

    g_assert_cmpuint (old_company->len, ==, 0);
    g_assert_cmpuint (new_company->len, ==, 1);
    g_assert_cmpuint (new_tag->len, ==, 1);
    g_assert_cmpuint (old_email->len, ==, 0);
  }

  /* A deleted contact leaves the index. */
  g_free (sql);
  sql = g_strdup_printf ("DELETE FROM contact WHERE id = %" G_GINT64_FORMAT, f->duc);
  g_assert_true (crm_store_exec (f->store, sql, &error));
  {
    g_autoptr (GArray) ids = search (f, "duc");

    g_assert_cmpuint (ids->len, ==, 0);
  }
}

static void
assert_order (Fixture            *f,
              CrmSortOrder        order,
              const char *const  *expected)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) ids = NULL;
  sqlite3_stmt *stmt = NULL;
  guint i = 0;

  g_assert_cmpint (sqlite3_prepare_v2 (crm_store_get_db (f->store),
                                       order == CRM_SORT_GIVEN_NAME
                                       ? "SELECT display_name FROM contact WHERE archived = 0 "
                                         "ORDER BY sort_given, id"
                                       : "SELECT display_name FROM contact WHERE archived = 0 "
                                         "ORDER BY sort_family, id",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_assert_nonnull (expected[i]);
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, expected[i]);
      i++;
    }
  sqlite3_finalize (stmt);
  g_assert_null (expected[i]);

  /* Search results come in the same order. */
  ids = crm_search_contacts_sorted (f->store, "example", order, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 4);
}

/* The function a search collects its matches with takes them only into the
 * array it is given, and refuses without one. */
static void
test_collect_needs_array (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) all = search (f, "example");

  g_assert_cmpuint (all->len, ==, 4);
  g_assert_false (crm_store_exec (f->store, "SELECT crm_collect_ids(id, NULL) FROM contact",
                                  &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "needs an array"));
}

static void
test_sort_orders (Fixture       *f,
                  gconstpointer  data)
{
  static const char *const by_given[] = {
    "Hoàng Văn An", "Phạm Minh Ánh", "Võ Thanh Bình", "Trần Thị Dung", "Nguyễn Văn Đức",
    "Lê Hoàng Yến", NULL
  };
  static const char *const by_family[] = {
    "Hoàng Văn An", "Lê Hoàng Yến", "Nguyễn Văn Đức", "Phạm Minh Ánh", "Trần Thị Dung",
    "Võ Thanh Bình", NULL
  };

  assert_order (f, CRM_SORT_GIVEN_NAME, by_given);
  assert_order (f, CRM_SORT_FAMILY_NAME, by_family);
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/* Both cores together find exactly what one finds, wherever the split. */
static void
test_parallel_matches_serial (Fixture       *f,
                              gconstpointer  data)
{
  static const char *const queries[] = { "nguyen", "d", "an", "0903", "example", "khong co" };
  g_autoptr (GError) error = NULL;
  sqlite3 *helper = crm_store_open_reader (f->store, &error);

  g_assert_no_error (error);
  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      for (gint64 split = 0; split <= f->dung + 5; split++)
        {
          g_autoptr (GArray) serial = crm_search_contacts (f->store, queries[q], &error);
          g_autoptr (GArray) parallel = NULL;

          g_assert_no_error (error);
          parallel = crm_search_contacts_parallel (f->store, helper, queries[q], split, &error);
          g_assert_no_error (error);
          g_array_sort (serial, compare_ids);
          g_array_sort (parallel, compare_ids);
          g_assert_cmpmem (serial->data, serial->len * sizeof (gint64),
                           parallel->data, parallel->len * sizeof (gint64));
        }
    }
  sqlite3_close (helper);

  /* A display name without the name parts still finds the contact by them. */
  g_assert_true (crm_store_exec (f->store, "UPDATE contact SET display_name = 'Chị Út' "
                                           "WHERE given_name = 'Dung'", &error));
  g_assert_no_error (error);
  {
    g_autoptr (GArray) by_part = crm_search_contacts (f->store, "tran dung", &error);
    g_autoptr (GArray) by_display = crm_search_contacts (f->store, "chi ut", &error);

    g_assert_cmpuint (by_part->len, ==, 1);
    g_assert_cmpint (g_array_index (by_part, gint64, 0), ==, f->dung);
    g_assert_cmpuint (by_display->len, ==, 1);
  }
}

/* A contact's name goes into the index once: a name part already among the
 * display name's words is not added again, even where it starts another of
 * them first ("quan" in "huynh quang quan"). */
static void
test_name_words_once (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) found = NULL;
  sqlite3_stmt *stmt;
  gint64 quan = add (f->store, "Huỳnh", "Quang", "Quân", NULL, NULL);

  g_assert_true (crm_store_exec (f->store, "CREATE VIRTUAL TABLE temp.words USING "
                                           "fts5vocab(main, contact_fts, instance)",
                                 &error));
  g_assert_no_error (error);
  stmt = crm_store_prepare (f->store, "SELECT group_concat(term, ' ') FROM "
                                      "(SELECT term FROM temp.words WHERE doc = ?1 "
                                      " AND col = 'name' ORDER BY offset)",
                            &error);
  g_assert_no_error (error);
  sqlite3_bind_int64 (stmt, 1, quan);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "huynh quang quan");
  sqlite3_finalize (stmt);

  found = search (f, "quân huỳnh");
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpint (g_array_index (found, gint64, 0), ==, quan);
}

/* Tags are not in the search index: a word that starts a tag's name
 * matches the index or the tag, whichever way the search reads. */
static void
test_tags (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *sql = NULL;
  g_autoptr (GArray) duc = NULL;
  g_autoptr (GArray) sorted = NULL;
  g_autoptr (GArray) parallel = NULL;
  g_autoptr (GArray) both = NULL;
  g_autoptr (GArray) none = NULL;
  g_autoptr (GArray) odd = NULL;
  sqlite3 *helper;

  /* Dung carries the tag "Đức Phát – đại lý"; Yến carries "Khách VIP". */
  sql = g_strdup_printf ("INSERT INTO tag (id, name) VALUES (1, 'Đức Phát – đại lý'), "
                         "(2, 'Khách VIP'), (3, 'Khách lẻ'); "
                         "INSERT INTO contact_tag (contact_id, tag_id) VALUES "
                         "(%" G_GINT64_FORMAT ", 1), "
                         "((SELECT id FROM contact WHERE given_name = 'Yến'), 2)",
                         f->dung);
  g_assert_true (crm_store_exec (f->store, sql, &error));
  g_assert_no_error (error);
  /* The tags did not go into the index. */
  g_assert_true (crm_store_exec (f->store, "SELECT tags FROM contact_fts", &error) == FALSE);
  g_clear_error (&error);

  /* "duc": Đức by name, Dung by the tag */
  duc = search (f, "duc");
  g_assert_cmpuint (duc->len, ==, 2);
  g_assert_true (array_contains (duc, f->duc));
  g_assert_true (array_contains (duc, f->dung));
  sorted = crm_search_contacts_sorted (f->store, "duc", CRM_SORT_GIVEN_NAME, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sorted->len, ==, 2);
  g_assert_cmpint (g_array_index (sorted, gint64, 0), ==, f->dung);   /* Dung < Đức */
  g_assert_cmpint (g_array_index (sorted, gint64, 1), ==, f->duc);
  helper = crm_store_open_reader (f->store, &error);
  g_assert_no_error (error);
  parallel = crm_search_contacts_parallel (f->store, helper, "duc", f->duc, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (parallel->len, ==, 2);
  sqlite3_close (helper);

  /* Every word must match: a tag word and a name word together, tag words
   * only, a tag word with a word no one has. */
  both = search (f, "dai ly tran");
  g_assert_cmpuint (both->len, ==, 1);
  g_assert_cmpint (g_array_index (both, gint64, 0), ==, f->dung);
  g_clear_pointer (&both, g_array_unref);
  both = search (f, "khach vi");
  g_assert_cmpuint (both->len, ==, 1);
  g_clear_pointer (&both, g_array_unref);
  both = search (f, "KHÁCH");
  g_assert_cmpuint (both->len, ==, 1);
  none = search (f, "vip dung");
  g_assert_cmpuint (none->len, ==, 0);
  /* A quote in a word that starts a tag is taken literally. */
  g_assert_true (crm_store_exec (f->store, "UPDATE tag SET name = 'Nhà O''Brien' WHERE id = 3",
                                 &error));
  odd = search (f, "o'brien");
  g_assert_cmpuint (odd->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/search/finds-duc", test_finds_duc);
  ADD ("/search/no-match-and-odd-input", test_no_match_and_odd_input);
  ADD ("/search/index-follows-writes", test_index_follows_writes);
  ADD ("/search/sort-orders", test_sort_orders);
  ADD ("/search/parallel-matches-serial", test_parallel_matches_serial);
  ADD ("/search/tags", test_tags);
  ADD ("/search/name-words-once", test_name_words_once);
  ADD ("/search/collect-needs-array", test_collect_needs_array);

  return g_test_run ();
}
