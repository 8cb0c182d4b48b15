/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "crm-contact-list.h"
#include "crm-contacts.h"
#include "crm-key.h"
#include "crm-store.h"
#include "crm-test-util.h"

#define N_CONTACTS 100000

static const char *const families[] = { "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng" };
static const char *const middles[] = { "Văn", "Thị", "Minh", "Ngọc", "Hữu" };
static const char *const givens[] = {
  "An", "Ánh", "Bình", "Châu", "Dung", "Đức", "Giang", "Hà", "Hạnh", "Khôi", "Linh", "Mai",
  "Nam", "Phương", "Quân", "Sơn", "Tâm", "Uyên", "Việt", "Yến",
};

static char *workspace_dir;
static CrmStore *store;

static void
wait_until_loaded (CrmContactList *list)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (crm_contact_list_get_loading (list) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (crm_contact_list_get_loading (list));
}

static gint64
id_at_sql (const char *order_by,
           guint       position)
{
  g_autofree char *sql = g_strdup_printf ("SELECT id FROM contact WHERE archived = 0 "
                                          "ORDER BY %s, id LIMIT 1 OFFSET %u",
                                          order_by, position);
  sqlite3_stmt *stmt = NULL;
  gint64 id;

  g_assert_cmpint (sqlite3_prepare_v2 (crm_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  id = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return id;
}

static void
test_pages_and_random_access (void)
{
  g_autoptr (CrmContactList) list = crm_contact_list_new (store, CRM_SORT_GIVEN_NAME);
  static const guint positions[] = { 0, 1, 199, 200, 4242, 50000, 77777, N_CONTACTS - 1 };

  /* The first page is there at once; nothing is materialised yet. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 200);
  g_assert_true (crm_contact_list_get_loading (list));
  g_assert_cmpuint (crm_contact_list_get_n_materialized (list), ==, 0);

  wait_until_loaded (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, N_CONTACTS);
  g_assert_cmpuint (crm_contact_list_get_total (list), ==, N_CONTACTS);
  g_assert_cmpuint (crm_contact_list_get_n_materialized (list), ==, 0);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (list)) == CRM_TYPE_CONTACT_ROW);

  for (guint i = 0; i < G_N_ELEMENTS (positions); i++)
    {
      g_autoptr (CrmContactRow) row = g_list_model_get_item (G_LIST_MODEL (list), positions[i]);

      g_assert_nonnull (row);
      g_assert_cmpint (crm_contact_row_get_id (row), ==, id_at_sql ("sort_given", positions[i]));
      g_assert_cmpstr (crm_contact_row_get_display_name (row), !=, "");
    }

  /* Only what was asked for was read; asking again reads nothing more. */
  g_assert_cmpuint (crm_contact_list_get_n_materialized (list), ==, G_N_ELEMENTS (positions));
  {
    g_autoptr (CrmContactRow) again = g_list_model_get_item (G_LIST_MODEL (list), 4242);

    g_assert_cmpuint (crm_contact_list_get_n_materialized (list), ==, G_N_ELEMENTS (positions));
  }
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), N_CONTACTS));

  /* The first contacts by given name are the Ans. */
  {
    g_autoptr (CrmContactRow) first = g_list_model_get_item (G_LIST_MODEL (list), 0);

    g_assert_cmpstr (crm_contact_row_get_given_name (first), ==, "An");
  }
}

static void
test_sort_order_switch (void)
{
  g_autoptr (CrmContactList) list = crm_contact_list_new (store, CRM_SORT_GIVEN_NAME);

  wait_until_loaded (list);
  crm_contact_list_set_sort_order (list, CRM_SORT_FAMILY_NAME);
  wait_until_loaded (list);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, N_CONTACTS);
  for (guint p = 0; p < N_CONTACTS; p += 9973)
    g_assert_cmpint (crm_contact_list_get_id (list, p), ==, id_at_sql ("sort_family", p));
}

static guint items_changed_count;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added)
{
  items_changed_count++;
}

static void
test_search_in_display_order (void)
{
  g_autoptr (CrmContactList) list = crm_contact_list_new (store, CRM_SORT_GIVEN_NAME);
  g_autoptr (GArray) expected = NULL;
  g_autoptr (GError) error = NULL;
  guint n;

  wait_until_loaded (list);
  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed), NULL);
  items_changed_count = 0;

  crm_contact_list_set_query (list, "duc nguyen");
  g_assert_cmpuint (items_changed_count, ==, 1);
  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  expected = crm_search_contacts_sorted (store, "duc nguyen", CRM_SORT_GIVEN_NAME, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n, >, 0);
  g_assert_cmpuint (n, ==, expected->len);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (crm_contact_list_get_id (list, i), ==, g_array_index (expected, gint64, i));
  g_assert_cmpuint (crm_contact_list_get_total (list), ==, N_CONTACTS);

  crm_contact_list_set_query (list, "khong co ai ten nay");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);

  crm_contact_list_set_query (list, "");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, N_CONTACTS);
}

static void
test_follows_the_store (void)
{
  g_autoptr (CrmContactList) list = crm_contact_list_new (store, CRM_SORT_GIVEN_NAME);
  g_autoptr (GError) error = NULL;
  CrmNewContact contact = { .family_name = "Âu", .middle_name = "Dương", .given_name = "Aaron" };

  wait_until_loaded (list);
  g_assert_cmpint (crm_contacts_add (store, &contact, &error), >, 0);
  g_assert_no_error (error);
  wait_until_loaded (list);

  g_assert_cmpuint (crm_contact_list_get_total (list), ==, N_CONTACTS + 1);
  {
    g_autoptr (CrmContactRow) first = g_list_model_get_item (G_LIST_MODEL (list), 0);

    g_assert_cmpstr (crm_contact_row_get_display_name (first), ==, "Âu Dương Aaron");
  }
}

/* A filter lists exactly its contacts, in list order, with the search on
 * top; archived contacts have a list of their own. */
static void
test_filter (void)
{
  g_autoptr (CrmContactList) list = crm_contact_list_new (store, CRM_SORT_GIVEN_NAME);
  g_autoptr (CrmFilter) filter = crm_filter_new ();
  g_autoptr (GError) error = NULL;
  gint64 customer;
  guint n;

  wait_until_loaded (list);
  customer = 0;
  {
    sqlite3_stmt *stmt = crm_store_prepare (store, "SELECT id FROM lifecycle_stage "
                                                   "WHERE key = 'customer'", &error);

    g_assert_no_error (error);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    customer = sqlite3_column_int64 (stmt, 0);
    sqlite3_finalize (stmt);
  }

  /* Every 10th contact is a customer; every 1000th is archived. */
  {
    g_autofree char *sql = g_strdup_printf ("UPDATE contact SET lifecycle_stage_id = %"
                                            G_GINT64_FORMAT " WHERE id %% 10 = 0;"
                                            "UPDATE contact SET archived = 1 "
                                            "WHERE id %% 1000 = 7", customer);

    g_assert_true (crm_store_exec (store, sql, &error));
    g_assert_no_error (error);
    crm_store_emit_changed (store, "contact", 0);
  }
  wait_until_loaded (list);
  /* The store holds one more contact, from the test before. */
  g_assert_cmpuint (crm_contact_list_get_total (list), ==, N_CONTACTS + 1 - N_CONTACTS / 1000);

  crm_filter_set_lifecycle_stages (filter, &customer, 1);
  crm_contact_list_set_filter (list, filter);
  wait_until_loaded (list);
  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  g_assert_cmpuint (n, ==, N_CONTACTS / 10);
  {
    g_autofree char *order = g_strdup_printf ("lifecycle_stage_id IS NOT %" G_GINT64_FORMAT
                                              ", sort_given", customer);
    static const guint positions[] = { 0, 1, 2, 199, 200, 5000, N_CONTACTS / 10 - 1 };

    for (guint i = 0; i < G_N_ELEMENTS (positions); i++)
      g_assert_cmpint (crm_contact_list_get_id (list, positions[i]), ==,
                       id_at_sql (order, positions[i]));
  }

  /* With a search: the customers called Yến. */
  crm_contact_list_set_query (list, "yen");
  wait_until_loaded (list);
  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  g_assert_cmpuint (n, >, 0);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (CrmContactRow) row = g_list_model_get_item (G_LIST_MODEL (list), i);

      g_assert_true (g_str_has_suffix (crm_contact_row_get_display_name (row), "Yến"));
      g_assert_cmpint (crm_contact_list_get_id (list, i) % 10, ==, 0);
    }
  crm_contact_list_set_query (list, NULL);

  /* Archived contacts, in list order. */
  crm_filter_set_lifecycle_stages (filter, NULL, 0);
  crm_filter_set_archived (filter, CRM_FILTER_ARCHIVED_ONLY);
  crm_contact_list_set_filter (list, filter);
  wait_until_loaded (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, N_CONTACTS / 1000);
  for (guint i = 0; i < N_CONTACTS / 1000; i++)
    g_assert_cmpint (crm_contact_list_get_id (list, i) % 1000, ==, 7);

  /* No filter: everybody listed again. */
  crm_contact_list_set_filter (list, NULL);
  wait_until_loaded (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==,
                    N_CONTACTS + 1 - N_CONTACTS / 1000);

  g_assert_true (crm_store_exec (store, "UPDATE contact SET lifecycle_stage_id = NULL, "
                                        "archived = 0", &error));
  crm_store_emit_changed (store, "contact", 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) key = NULL;
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
      contacts[i].middle_name = middles[(i / 7) % G_N_ELEMENTS (middles)];
      contacts[i].given_name = givens[(i / 13) % G_N_ELEMENTS (givens)];
    }
  g_assert_true (crm_contacts_add_many (store, contacts, N_CONTACTS, NULL, &error));
  g_assert_no_error (error);

  g_test_add_func ("/contact-list/pages-and-random-access", test_pages_and_random_access);
  g_test_add_func ("/contact-list/sort-order-switch", test_sort_order_switch);
  g_test_add_func ("/contact-list/search-in-display-order", test_search_in_display_order);
  g_test_add_func ("/contact-list/follows-the-store", test_follows_the_store);
  g_test_add_func ("/contact-list/filter", test_filter);

  status = g_test_run ();

  crm_test_wait_for_workers (store);
  g_clear_object (&store);
  crm_test_remove_tree (dir);
  g_free (workspace_dir);
  return status;
}
