/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "crm-company-list.h"
#include "crm-contacts.h"
#include "crm-key.h"
#include "crm-store.h"
#include "crm-tags.h"
#include "crm-test-util.h"

typedef struct
{
  char     *dir;
  CrmStore *store;
} Fixture;

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

  g_assert_true (crm_store_exec (f->store,
                                 "INSERT INTO company (id, name, tax_code, province) VALUES "
                                 "(1, 'Công ty TNHH Đông Dương', '0101234567', 'Hà Nội'),"
                                 "(2, 'Công ty Cổ phần Ánh Dương', NULL, 'TP. Hồ Chí Minh'),"
                                 "(3, 'Công ty TNHH An Phát', '0301444753', NULL),"
                                 "(4, 'Doanh nghiệp tư nhân Bình Minh', NULL, 'Đà Nẵng');"
                                 "UPDATE company SET archived = 1 WHERE id = 4;",
                                 &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  crm_test_remove_tree (f->dir);
  g_free (f->dir);
}

static const char *
name_at (CrmCompanyList *list,
         guint           position)
{
  g_autoptr (CrmCompanyRow) row = g_list_model_get_item (G_LIST_MODEL (list), position);

  g_assert_nonnull (row);
  return crm_company_row_get_name (row);
}

static void
test_order_search_and_people (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr (CrmCompanyList) list = crm_company_list_new (f->store);
  g_autoptr (GError) error = NULL;
  CrmNewContact person = { .family_name = "Lê", .given_name = "Hoa", .company_id = 3 };

  /* Vietnamese order, archived ones left out: "Ánh" after "An", "Đông" after "Cổ". */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);
  g_assert_cmpuint (crm_company_list_get_total (list), ==, 3);
  g_assert_cmpstr (name_at (list, 0), ==, "Công ty Cổ phần Ánh Dương");
  g_assert_cmpstr (name_at (list, 1), ==, "Công ty TNHH An Phát");
  g_assert_cmpstr (name_at (list, 2), ==, "Công ty TNHH Đông Dương");

  /* Search without accents, or by the start of the tax code. */
  crm_company_list_set_query (list, "dong duong");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  g_assert_cmpstr (name_at (list, 0), ==, "Công ty TNHH Đông Dương");
  crm_company_list_set_query (list, "0301");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  g_assert_cmpstr (name_at (list, 0), ==, "Công ty TNHH An Phát");
  crm_company_list_set_query (list, "khong co");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  g_assert_cmpuint (crm_company_list_get_total (list), ==, 3);
  crm_company_list_set_query (list, NULL);

  /* People are counted, and the list follows the store. */
  g_assert_cmpint (crm_contacts_add (f->store, &person, &error), >, 0);
  g_assert_no_error (error);
  {
    g_autoptr (CrmCompanyRow) row = g_list_model_get_item (G_LIST_MODEL (list), 1);

    g_assert_cmpuint (crm_company_row_get_n_people (row), ==, 1);
  }

  crm_company_list_set_archived (list, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  g_assert_cmpstr (name_at (list, 0), ==, "Doanh nghiệp tư nhân Bình Minh");
}

static void
test_tags (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) tags = NULL;
  CrmNewContact person = { .family_name = "Lê", .given_name = "Hoa" };
  gint64 id = crm_contacts_add (f->store, &person, &error);
  g_autofree char *sql = g_strdup_printf ("INSERT INTO tag (id, name) VALUES (1, 'Đại lý'), "
                                          "(2, 'VIP'), (3, 'Bán buôn');"
                                          "INSERT INTO contact_tag VALUES (%" G_GINT64_FORMAT
                                          ", 2)", id);

  g_assert_true (crm_store_exec (f->store, sql, &error));
  g_assert_no_error (error);
  tags = crm_tags_list (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tags->len, ==, 3);
  g_assert_cmpstr (((CrmTag *) tags->pdata[0])->name, ==, "Bán buôn");
  g_assert_cmpstr (((CrmTag *) tags->pdata[1])->name, ==, "Đại lý");
  g_assert_cmpstr (((CrmTag *) tags->pdata[2])->name, ==, "VIP");
  g_assert_cmpuint (((CrmTag *) tags->pdata[2])->n_contacts, ==, 1);
  g_assert_cmpuint (((CrmTag *) tags->pdata[0])->n_contacts, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/company-list/order-search-and-people", test_order_search_and_people);
  ADD ("/company-list/tags", test_tags);

  return g_test_run ();
}
