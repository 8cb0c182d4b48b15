/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "crm-contact-facets.h"
#include "crm-contact-list.h"
#include "crm-contacts.h"
#include "crm-filter.h"
#include "crm-key.h"
#include "crm-store.h"
#include "crm-test-util.h"

/* The facets must keep exactly the contacts the filter's SQL keeps: every
 * test compares the two over contacts whose values cover the edge cases
 * (NULL and '' owners and sources, no birthday, no interaction, times
 * before 1970, archived contacts). */

#define N_CONTACTS 3000
/* 15 May 2026, noon UTC: mid-month in every time zone. */
#define NOW G_GINT64_CONSTANT (1778846400)
#define DAY 86400

static const char *const owners[] = { NULL, "", "lan", "minh", "Lan", "hùng" };
static const char *const sources[] = { NULL, "", "Website", "Referral", "Facebook" };

static char *workspace_dir;
static CrmStore *store;
static gint64 stage_ids[4];    /* three stages and one no contact has */
static gint64 status_ids[3];
static gint64 tag_ids[3];      /* two tags some contacts have, one no one has */

static void
exec_ok (const char *sql)
{
  g_autoptr (GError) error = NULL;

  if (!crm_store_exec (store, sql, &error))
    g_error ("%s: %s", sql, error->message);
}

static GArray *
listed_ids (void)
{
  sqlite3_stmt *stmt = NULL;
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_assert_cmpint (sqlite3_prepare_v2 (crm_store_get_db (store),
                                       "SELECT id FROM contact WHERE archived = 0 "
                                       "ORDER BY sort_given, id",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  sqlite3_finalize (stmt);
  return ids;
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/* A random filter made of the conditions the facets answer. */
static CrmFilter *
random_filter (GRand *rand)
{
  CrmFilter *filter = crm_filter_new ();

  crm_filter_set_now (filter, NOW);
  if (g_rand_boolean (rand))
    {
      gint64 ids[2] = { stage_ids[g_rand_int_range (rand, 0, 4)],
                        stage_ids[g_rand_int_range (rand, 0, 4)] };

      crm_filter_set_lifecycle_stages (filter, ids, g_rand_int_range (rand, 1, 3));
    }
  if (g_rand_int_range (rand, 0, 3) == 0)
    crm_filter_set_lead_statuses (filter, &status_ids[g_rand_int_range (rand, 0, 3)], 1);
  if (g_rand_int_range (rand, 0, 3) == 0)
    {
      const char *owner = owners[g_rand_int_range (rand, 0, G_N_ELEMENTS (owners))];

      crm_filter_set_owner (filter, owner != NULL ? owner : "nobody");
    }
  if (g_rand_int_range (rand, 0, 4) == 0)
    {
      const char *source = sources[g_rand_int_range (rand, 0, G_N_ELEMENTS (sources))];

      crm_filter_set_source (filter, source != NULL ? source : "Zalo");
    }
  if (g_rand_int_range (rand, 0, 4) == 0)
    crm_filter_set_consent (filter, g_rand_boolean (rand) ? CRM_FILTER_CONSENT_YES
                                                          : CRM_FILTER_CONSENT_NO);
  if (g_rand_int_range (rand, 0, 4) == 0)
    crm_filter_set_birthday_this_month (filter, TRUE);
  if (g_rand_int_range (rand, 0, 3) == 0)
    crm_filter_set_no_contact_days (filter, g_rand_int_range (rand, 1, 800));
  if (g_rand_int_range (rand, 0, 3) == 0)
    {
      gint64 ids[2] = { tag_ids[g_rand_int_range (rand, 0, 3)],
                        tag_ids[g_rand_int_range (rand, 0, 3)] };

      crm_filter_set_tags (filter, g_rand_boolean (rand) ? CRM_FILTER_TAGS_ANY
                                                         : CRM_FILTER_TAGS_ALL,
                           ids, g_rand_int_range (rand, 1, 3));
    }
  if (g_rand_int_range (rand, 0, 5) == 0)
    crm_filter_set_tags_none (filter, &tag_ids[g_rand_int_range (rand, 0, 3)], 1);

  return filter;
}

static void
test_same_as_sql (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  g_autoptr (GArray) ids = listed_ids ();
  g_autoptr (CrmContactFacets) facets = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree guint32 *rank_by_id = NULL;
  gint64 rank_size = 0;
  guint non_empty = 0;

  for (guint i = 0; i < ids->len; i++)
    rank_size = MAX (rank_size, g_array_index (ids, gint64, i) + 1);
  rank_by_id = g_new0 (guint32, rank_size);
  for (guint i = 0; i < ids->len; i++)
    rank_by_id[g_array_index (ids, gint64, i)] = i + 1;

  facets = crm_contact_facets_load (crm_store_get_db (store), rank_by_id, rank_size, ids->len,
                                    NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (crm_contact_facets_get_n_ranks (facets), ==, ids->len);

  for (guint round = 0; round < 400; round++)
    {
      g_autoptr (CrmFilter) filter = random_filter (rand);
      g_autoptr (GArray) ranks = crm_contact_facets_match (facets, filter, NULL,
                                                           crm_store_get_db (store), &error);
      g_autoptr (GArray) expected = crm_filter_collect_ids (crm_store_get_db (store), filter,
                                                            NULL, &error);
      g_autoptr (GArray) got = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autofree char *json = crm_filter_to_json (filter);

      g_assert_no_error (error);
      g_assert_true (crm_contact_facets_can_answer (filter));
      g_assert_nonnull (ranks);
      for (guint i = 0; i < ranks->len; i++)
        {
          guint32 rank = g_array_index (ranks, guint32, i);

          /* In list order */
          if (i > 0)
            g_assert_cmpuint (rank, >, g_array_index (ranks, guint32, i - 1));
          g_array_append_val (got, g_array_index (ids, gint64, rank));
        }
      g_array_sort (got, compare_ids);
      g_array_sort (expected, compare_ids);
      if (got->len != expected->len)
        g_error ("%s: %u from the facets, %u from SQL", json, got->len, expected->len);
      g_assert_cmpmem (got->data, got->len * sizeof (gint64),
                       expected->data, expected->len * sizeof (gint64));
      non_empty += got->len > 0;
    }
  /* The random filters are not all trivially empty. */
  g_assert_cmpuint (non_empty, >, 100);
}

static void
test_candidates_and_limits (void)
{
  g_autoptr (GArray) ids = listed_ids ();
  g_autoptr (CrmContactFacets) facets = NULL;
  g_autoptr (CrmFilter) filter = crm_filter_new ();
  g_autoptr (CrmFilter) tagged = crm_filter_new ();
  g_autoptr (CrmFilter) archived = crm_filter_new ();
  g_autoptr (GArray) all = NULL;
  g_autoptr (GArray) picked = NULL;
  g_autoptr (GArray) candidates = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr (GError) error = NULL;
  g_autofree guint32 *rank_by_id = NULL;
  gint64 rank_size = 0;
  gint64 tag = tag_ids[0];

  for (guint i = 0; i < ids->len; i++)
    rank_size = MAX (rank_size, g_array_index (ids, gint64, i) + 1);
  rank_by_id = g_new0 (guint32, rank_size);
  for (guint i = 0; i < ids->len; i++)
    rank_by_id[g_array_index (ids, gint64, i)] = i + 1;
  facets = crm_contact_facets_load (crm_store_get_db (store), rank_by_id, rank_size, ids->len,
                                    NULL, &error);
  g_assert_no_error (error);

  /* Candidates are tested in their own order. */
  crm_filter_set_owner (filter, "lan");
  all = crm_contact_facets_match (facets, filter, NULL, crm_store_get_db (store), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, >, 10);
  for (guint i = all->len; i > 0; i--)
    {
      guint32 rank = g_array_index (all, guint32, i - 1);
      guint32 next = rank + 1;

      g_array_append_val (candidates, rank);
      if (next < ids->len)
        g_array_append_val (candidates, next);
    }
  picked = crm_contact_facets_match (facets, filter, candidates, crm_store_get_db (store),
                                     &error);
  g_assert_no_error (error);
  {
    g_autofree guint8 *kept = g_new0 (guint8, ids->len);
    guint k = 0;

    for (guint i = 0; i < all->len; i++)
      kept[g_array_index (all, guint32, i)] = 1;
    for (guint i = 0; i < candidates->len; i++)
      {
        guint32 rank = g_array_index (candidates, guint32, i);

        if (kept[rank])
          g_assert_cmpuint (g_array_index (picked, guint32, k++), ==, rank);
      }
    g_assert_cmpuint (k, ==, picked->len);
  }

  /* Tags are read once and kept: a tag added since is not seen by these
   * facets (the list loads new ones when contacts change). */
  crm_filter_set_tags (tagged, CRM_FILTER_TAGS_ANY, &tag, 1);
  g_assert_true (crm_contact_facets_can_answer (tagged));
  {
    g_autoptr (GArray) before = crm_contact_facets_match (facets, tagged, NULL,
                                                          crm_store_get_db (store), &error);
    g_autoptr (GArray) after = NULL;
    g_autofree char *sql = g_strdup_printf ("INSERT OR IGNORE INTO contact_tag (contact_id, tag_id) "
                                            "SELECT id, %" G_GINT64_FORMAT " FROM contact "
                                            "WHERE archived = 0", tag);

    g_assert_no_error (error);
    g_assert_cmpuint (before->len, <, ids->len);
    exec_ok ("SAVEPOINT more_tags");
    exec_ok (sql);
    after = crm_contact_facets_match (facets, tagged, NULL, crm_store_get_db (store), &error);
    g_assert_no_error (error);
    g_assert_cmpuint (after->len, ==, before->len);
    exec_ok ("ROLLBACK TO more_tags; RELEASE more_tags");
  }

  /* What the facets do not hold is left to SQL. */
  crm_filter_set_archived (archived, CRM_FILTER_ARCHIVED_ONLY);
  g_assert_false (crm_contact_facets_can_answer (archived));
  crm_filter_set_archived (archived, CRM_FILTER_ARCHIVED_EXCLUDE);
  crm_filter_set_province (archived, "Hà Nội");
  g_assert_false (crm_contact_facets_can_answer (archived));
}

/* The list answers from its facets once loaded, and after a change. */
static void
test_list_uses_facets (void)
{
  g_autoptr (CrmContactList) list = crm_contact_list_new (store, CRM_SORT_GIVEN_NAME);
  g_autoptr (GRand) rand = g_rand_new_with_seed (11);
  g_autoptr (GError) error = NULL;
  gint64 deadline;

  for (guint round = 0; round < 40; round++)
    {
      g_autoptr (CrmFilter) filter = random_filter (rand);
      g_autoptr (GArray) expected = NULL;
      g_autoptr (GArray) ids = listed_ids ();
      g_autoptr (GArray) ordered = g_array_new (FALSE, FALSE, sizeof (gint64));
      guint n;

      if (round == 20)
        {
          /* A change: the list reloads, facets with it. */
          exec_ok ("UPDATE contact SET owner = 'lan' WHERE id % 7 = 0");
          crm_store_emit_changed (store, "contact", 0);
          g_array_unref (ids);
          ids = listed_ids ();
        }

      deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
      while (crm_contact_list_get_loading (list) && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, TRUE);
      g_assert_false (crm_contact_list_get_loading (list));

      crm_contact_list_set_filter (list, filter);
      /* Answered at once, without a worker. */
      g_assert_false (crm_contact_list_get_loading (list));

      expected = crm_filter_collect_ids (crm_store_get_db (store), filter, NULL, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < ids->len; i++)
        {
          gint64 id = g_array_index (ids, gint64, i);

          for (guint k = 0; k < expected->len; k++)
            if (g_array_index (expected, gint64, k) == id)
              {
                g_array_append_val (ordered, id);
                break;
              }
        }

      n = g_list_model_get_n_items (G_LIST_MODEL (list));
      g_assert_cmpuint (n, ==, ordered->len);
      for (guint i = 0; i < n; i++)
        g_assert_cmpint (crm_contact_list_get_id (list, i), ==, g_array_index (ordered, gint64, i));

      /* With a search as well */
      crm_contact_list_set_query (list, "nguyen");
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), <=, n);
      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
        {
          g_autoptr (CrmContactRow) row = g_list_model_get_item (G_LIST_MODEL (list), i);

          g_assert_true (g_str_has_prefix (crm_contact_row_get_display_name (row), "Nguyễn"));
        }
      crm_contact_list_set_query (list, "");
      crm_contact_list_set_filter (list, NULL);
    }
}

int
main (int   argc,
      char *argv[])
{
  static const char *const families[] = { "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng" };
  static const char *const givens[] = { "An", "Ánh", "Bình", "Đức", "Hà", "Linh", "Yến" };
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) key = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (3);
  g_autoptr (GString) sql = g_string_new (NULL);
  g_autofree char *dir = NULL;
  g_autofree CrmNewContact *contacts = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  dir = crm_test_make_dir ();
  workspace_dir = g_build_filename (dir, "workspace", NULL);
  key = crm_key_generate (&error);
  store = crm_store_create (workspace_dir, key, &error);
  g_assert_no_error (error);

  contacts = g_new0 (CrmNewContact, N_CONTACTS);
  for (guint i = 0; i < N_CONTACTS; i++)
    {
      contacts[i].family_name = families[i % G_N_ELEMENTS (families)];
      contacts[i].given_name = givens[(i / 5) % G_N_ELEMENTS (givens)];
    }
  g_assert_true (crm_contacts_add_many (store, contacts, N_CONTACTS, NULL, &error));
  g_assert_no_error (error);

  exec_ok ("INSERT INTO lifecycle_stage (key, name, position) VALUES ('facet_spare', 'Spare', 99)");
  {
    sqlite3_stmt *stmt = NULL;
    guint n = 0;

    sqlite3_prepare_v2 (crm_store_get_db (store),
                        "SELECT id FROM lifecycle_stage ORDER BY position DESC", -1, &stmt, NULL);
    while (sqlite3_step (stmt) == SQLITE_ROW && n < G_N_ELEMENTS (stage_ids))
      stage_ids[n++] = sqlite3_column_int64 (stmt, 0);
    sqlite3_finalize (stmt);
    g_assert_cmpuint (n, ==, G_N_ELEMENTS (stage_ids));
    n = 0;
    sqlite3_prepare_v2 (crm_store_get_db (store), "SELECT id FROM lead_status", -1, &stmt, NULL);
    while (sqlite3_step (stmt) == SQLITE_ROW && n < G_N_ELEMENTS (status_ids))
      status_ids[n++] = sqlite3_column_int64 (stmt, 0);
    sqlite3_finalize (stmt);
    g_assert_cmpuint (n, ==, G_N_ELEMENTS (status_ids));
  }

  exec_ok ("INSERT INTO tag (name) VALUES ('Khách VIP'), ('Đại lý'), ('Chưa dùng')");
  {
    sqlite3_stmt *stmt = NULL;
    guint n = 0;

    sqlite3_prepare_v2 (crm_store_get_db (store), "SELECT id FROM tag ORDER BY id", -1, &stmt,
                        NULL);
    while (sqlite3_step (stmt) == SQLITE_ROW && n < G_N_ELEMENTS (tag_ids))
      tag_ids[n++] = sqlite3_column_int64 (stmt, 0);
    sqlite3_finalize (stmt);
    g_assert_cmpuint (n, ==, G_N_ELEMENTS (tag_ids));
  }

  /* Every contact gets random values, NULL among them; the first stage id
   * (the spare one) is left to no one. */
  g_string_append (sql, "BEGIN;");
  for (guint i = 1; i <= N_CONTACTS; i++)
    {
      const char *owner = owners[g_rand_int_range (rand, 0, G_N_ELEMENTS (owners))];
      const char *source = sources[g_rand_int_range (rand, 0, G_N_ELEMENTS (sources))];
      g_autofree char *stage = g_rand_int_range (rand, 0, 5) == 0
                               ? g_strdup ("NULL")
                               : g_strdup_printf ("%" G_GINT64_FORMAT,
                                                  stage_ids[g_rand_int_range (rand, 1, 4)]);
      g_autofree char *lead = g_rand_boolean (rand)
                              ? g_strdup ("NULL")
                              : g_strdup_printf ("%" G_GINT64_FORMAT,
                                                 status_ids[g_rand_int_range (rand, 0, 3)]);
      g_autofree char *birthday = g_rand_int_range (rand, 0, 3) == 0
                                  ? g_strdup ("NULL")
                                  : g_strdup_printf ("'19%02d-%02d-%02d'",
                                                     g_rand_int_range (rand, 40, 100),
                                                     g_rand_int_range (rand, 1, 13),
                                                     g_rand_int_range (rand, 1, 29));
      gint64 last_value = NOW - (gint64) g_rand_int_range (rand, 0, 900) * DAY;
      g_autofree char *last = NULL;
      char *owner_sql = owner != NULL ? sqlite3_mprintf ("%Q", owner) : NULL;
      char *source_sql = source != NULL ? sqlite3_mprintf ("%Q", source) : NULL;

      switch (g_rand_int_range (rand, 0, 8))
        {
        case 0:
          last = g_strdup ("NULL");
          break;
        case 1:
          last = g_strdup ("-86400");
          break;
        default:
          last = g_strdup_printf ("%" G_GINT64_FORMAT, last_value);
        }

      g_string_append_printf (sql,
                              "UPDATE contact SET lifecycle_stage_id = %s, lead_status_id = %s, "
                              "owner = %s, source = %s, consent = %d, birthday = %s, "
                              "last_interaction = %s, archived = %d WHERE id = %u;",
                              stage, lead, owner_sql != NULL ? owner_sql : "NULL",
                              source_sql != NULL ? source_sql : "NULL",
                              g_rand_boolean (rand), birthday, last,
                              g_rand_int_range (rand, 0, 20) == 0, i);
      sqlite3_free (owner_sql);
      sqlite3_free (source_sql);
      if (g_rand_int_range (rand, 0, 3) == 0)
        g_string_append_printf (sql, "INSERT INTO contact_tag (contact_id, tag_id) "
                                     "VALUES (%u, %" G_GINT64_FORMAT ");", i, tag_ids[0]);
      if (g_rand_int_range (rand, 0, 4) == 0)
        g_string_append_printf (sql, "INSERT INTO contact_tag (contact_id, tag_id) "
                                     "VALUES (%u, %" G_GINT64_FORMAT ");", i, tag_ids[1]);
    }
  g_string_append (sql, "COMMIT;");
  exec_ok (sql->str);

  g_test_add_func ("/contact-facets/same-as-sql", test_same_as_sql);
  g_test_add_func ("/contact-facets/candidates-and-limits", test_candidates_and_limits);
  g_test_add_func ("/contact-facets/list-uses-facets", test_list_uses_facets);

  status = g_test_run ();

  crm_test_wait_for_workers (store);
  g_clear_object (&store);
  crm_test_remove_tree (dir);
  g_free (workspace_dir);
  return status;
}
