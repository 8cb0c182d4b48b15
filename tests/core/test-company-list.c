/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include "crm-company-filter.h"
#include "crm-company-list.h"
#include "crm-contacts.h"
#include "crm-fields.h"
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

/* The ids the list shows, in its order: "2,3,1". */
static char *
ids_of (CrmCompanyList *list)
{
  g_autoptr (GString) ids = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    {
      g_autoptr (CrmCompanyRow) row = g_list_model_get_item (G_LIST_MODEL (list), i);

      g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "",
                              crm_company_row_get_id (row));
    }

  return g_string_free (g_steal_pointer (&ids), FALSE);
}

#define assert_ids(list, expected)              \
  G_STMT_START {                                \
    g_autofree char *ids_ = ids_of (list);      \
    g_assert_cmpstr (ids_, ==, (expected));     \
  } G_STMT_END

static gint64
add_field (Fixture            *f,
           CrmFieldEntity      entity,
           const char         *label,
           CrmFieldType        type,
           const char *const  *options)
{
  g_autoptr (GError) error = NULL;
  gint64 id = crm_custom_field_create (f->store, entity, label, type, options, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static void
set_value (Fixture    *f,
           gint64      field_id,
           gint64      company_id,
           const char *value)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *sql = g_strdup_printf ("INSERT INTO custom_value (field_id, entity_id, value) "
                                          "VALUES (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT
                                          ", '%s')", field_id, company_id, value);

  g_assert_true (crm_store_exec (f->store, sql, &error));
  g_assert_no_error (error);
}

static void
test_filter_columns (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr (CrmCompanyList) list = crm_company_list_new (f->store);
  g_autoptr (CrmCompanyFilter) filter = crm_company_filter_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *described = NULL;

  g_assert_true (crm_store_exec (f->store,
                                 "UPDATE company SET industry = 'Bán lẻ', owner = 'lan' "
                                 "WHERE id IN (1, 2);"
                                 "UPDATE company SET industry = 'Xây dựng' WHERE id = 3;"
                                 "UPDATE company SET owner = 'minh' WHERE id = 2;",
                                 &error));
  g_assert_no_error (error);
  assert_ids (list, "2,3,1");

  /* Without accents or case; the plain list again once the filter is empty. */
  crm_company_filter_set_province (filter, "  ha noi ");
  g_assert_cmpstr (crm_company_filter_get_province (filter), ==, "ha noi");
  crm_company_list_set_filter (list, filter);
  assert_ids (list, "1");
  g_assert_cmpuint (crm_company_list_get_total (list), ==, 3);
  g_assert_nonnull (crm_company_list_get_filter (list));

  crm_company_filter_set_province (filter, NULL);
  crm_company_filter_set_industry (filter, "BAN LE");
  crm_company_list_set_filter (list, filter);
  assert_ids (list, "2,1");

  /* With the search, the filter still holds. */
  crm_company_list_set_query (list, "anh duong");
  assert_ids (list, "2");
  crm_company_list_set_query (list, NULL);

  crm_company_filter_set_owner (filter, "Lan");
  crm_company_list_set_filter (list, filter);
  assert_ids (list, "1");

  /* "" is the companies without an owner. */
  crm_company_filter_set_industry (filter, "");
  g_assert_null (crm_company_filter_get_industry (filter));
  crm_company_filter_set_owner (filter, "");
  crm_company_list_set_filter (list, filter);
  assert_ids (list, "3");
  described = crm_company_filter_describe (filter, crm_store_get_db (f->store));
  g_assert_cmpstr (described, ==, "No owner");

  /* The list kept a copy; a change to the filter needs another call. */
  crm_company_filter_set_owner (filter, NULL);
  assert_ids (list, "3");
  g_assert_true (crm_company_filter_is_empty (filter));
  crm_company_list_set_filter (list, filter);
  g_assert_null (crm_company_list_get_filter (list));
  assert_ids (list, "2,3,1");

  /* The list follows the store with its filter on. */
  crm_company_filter_set_industry (filter, "xay dung");
  crm_company_list_set_filter (list, filter);
  assert_ids (list, "3");
  g_assert_true (crm_store_exec (f->store, "UPDATE company SET industry = 'Xây dựng' WHERE id = 1",
                                 &error));
  g_assert_no_error (error);
  crm_store_emit_changed (f->store, "company", 1);
  assert_ids (list, "3,1");
}

static void
test_filter_custom (Fixture       *f,
                    gconstpointer  data)
{
  const char *const regions[] = { "Bắc", "Trung", "Nam", NULL };
  const char *const north_south[] = { "Bắc", "Nam", NULL };
  gint64 rank = add_field (f, CRM_FIELD_ENTITY_COMPANY, "Phân hạng", CRM_FIELD_TYPE_TEXT, NULL);
  gint64 staff = add_field (f, CRM_FIELD_ENTITY_COMPANY, "Số nhân viên", CRM_FIELD_TYPE_NUMBER, NULL);
  gint64 signed_on = add_field (f, CRM_FIELD_ENTITY_COMPANY, "Ngày ký", CRM_FIELD_TYPE_DATE, NULL);
  gint64 partner = add_field (f, CRM_FIELD_ENTITY_COMPANY, "Đối tác", CRM_FIELD_TYPE_BOOL, NULL);
  gint64 region = add_field (f, CRM_FIELD_ENTITY_COMPANY, "Khu vực", CRM_FIELD_TYPE_CHOICE, regions);
  gint64 vip = add_field (f, CRM_FIELD_ENTITY_CONTACT, "VIP", CRM_FIELD_TYPE_BOOL, NULL);
  g_autoptr (CrmCompanyList) list = crm_company_list_new (f->store);
  CrmCompanyFilter *filter;
  g_autofree char *described = NULL;

  set_value (f, rank, 1, "Khách hàng Vàng");
  set_value (f, rank, 2, "khach hang bac");
  set_value (f, staff, 1, "50");
  set_value (f, staff, 2, "120");
  set_value (f, staff, 3, "");
  set_value (f, signed_on, 1, "2023-05-01");
  set_value (f, signed_on, 2, "2024-02-10");
  set_value (f, partner, 1, "1");
  set_value (f, partner, 2, "0");
  set_value (f, region, 1, "Bắc");
  set_value (f, region, 2, "Nam");
  set_value (f, region, 3, "Trung");
  /* The archived company matches everything, and stays out. */
  set_value (f, rank, 4, "Khách hàng Vàng");
  set_value (f, partner, 4, "1");

#define WITH_FILTER(expected, ...)                      \
  G_STMT_START {                                        \
    filter = crm_company_filter_new ();                 \
    __VA_ARGS__;                                        \
    crm_company_list_set_filter (list, filter);         \
    g_assert_null (crm_company_list_get_error (list));  \
    assert_ids (list, expected);                        \
    crm_company_filter_unref (filter);                  \
  } G_STMT_END

  /* Text: equals and contains, ignoring case and diacritics. */
  WITH_FILTER ("1", crm_company_filter_add_custom_text (filter, rank, CRM_CUSTOM_EQUALS,
                                                        "KHACH HANG VANG"));
  WITH_FILTER ("2,1", crm_company_filter_add_custom_text (filter, rank, CRM_CUSTOM_CONTAINS, "hàng"));
  WITH_FILTER ("", crm_company_filter_add_custom_text (filter, rank, CRM_CUSTOM_EQUALS, "hang"));

  /* Number: between, either bound open; an empty value is no number. */
  WITH_FILTER ("1", crm_company_filter_add_custom_between (filter, staff, 40, 100));
  WITH_FILTER ("2", crm_company_filter_add_custom_between (filter, staff, 100, NAN));
  WITH_FILTER ("1", crm_company_filter_add_custom_between (filter, staff, NAN, 60));

  /* Date: strictly before or after. */
  WITH_FILTER ("1", crm_company_filter_add_custom_date (filter, signed_on, CRM_CUSTOM_BEFORE,
                                                        "2024-01-01"));
  WITH_FILTER ("2", crm_company_filter_add_custom_date (filter, signed_on, CRM_CUSTOM_AFTER,
                                                        "2023-05-01"));

  /* Yes or no; "no" keeps the companies without a value. */
  WITH_FILTER ("1", crm_company_filter_add_custom_bool (filter, partner, TRUE));
  WITH_FILTER ("2,3", crm_company_filter_add_custom_bool (filter, partner, FALSE));

  /* Choice: any of. */
  WITH_FILTER ("2,1", crm_company_filter_add_custom_choices (filter, region, north_south));

  /* A field of contacts keeps no company, not even with "no". */
  WITH_FILTER ("", crm_company_filter_add_custom_bool (filter, vip, FALSE));

  /* Conditions add up, with those on the company's columns. */
  WITH_FILTER ("1",
               crm_company_filter_set_province (filter, "Hà Nội");
               crm_company_filter_add_custom_choices (filter, region, north_south));
  WITH_FILTER ("",
               crm_company_filter_add_custom_bool (filter, partner, TRUE);
               crm_company_filter_add_custom_between (filter, staff, 100, NAN));

  /* The archived list has its own matches. */
  crm_company_list_set_archived (list, TRUE);
  WITH_FILTER ("4", crm_company_filter_add_custom_bool (filter, partner, TRUE));
  crm_company_list_set_archived (list, FALSE);

  /* A condition that cannot be used empties the list and says why. */
  filter = crm_company_filter_new ();
  crm_company_filter_add_custom_between (filter, staff, 10, 1);
  crm_company_list_set_filter (list, filter);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  g_assert_error (crm_company_list_get_error (list), CRM_FILTER_ERROR, CRM_FILTER_ERROR_INVALID);
  crm_company_filter_unref (filter);
  crm_company_list_set_filter (list, NULL);
  g_assert_null (crm_company_list_get_error (list));
  assert_ids (list, "2,3,1");

  /* Conditions carried over from a contact filter's popover controls are
   * copies, and keep the same companies. */
  {
    g_autoptr (CrmFilter) controls = crm_filter_new ();
    g_autoptr (CrmCompanyFilter) typed = crm_company_filter_new ();
    g_autoptr (CrmFilter) back = crm_filter_new ();

    crm_filter_add_custom_choices (controls, region, north_south);
    crm_filter_add_custom_between (controls, staff, 40, NAN);
    crm_filter_add_custom_text (controls, rank, CRM_CUSTOM_CONTAINS, "hàng");
    crm_filter_add_custom_date (controls, signed_on, CRM_CUSTOM_BEFORE, "2024-01-01");
    crm_filter_add_custom_bool (controls, partner, TRUE);
    crm_company_filter_add_custom_choices (typed, region, north_south);
    crm_company_filter_add_custom_between (typed, staff, 40, NAN);
    crm_company_filter_add_custom_text (typed, rank, CRM_CUSTOM_CONTAINS, "hàng");
    crm_company_filter_add_custom_date (typed, signed_on, CRM_CUSTOM_BEFORE, "2024-01-01");
    crm_company_filter_add_custom_bool (typed, partner, TRUE);

    filter = crm_company_filter_new ();
    for (guint i = 0; i < crm_filter_get_n_custom (controls); i++)
      crm_company_filter_add_custom (filter, crm_filter_get_custom (controls, i));
    g_clear_pointer (&controls, crm_filter_unref);
    g_assert_cmpuint (crm_company_filter_get_n_custom (filter), ==, 5);
    g_assert_true (crm_company_filter_equal (filter, typed));
    g_assert_cmpstr (crm_company_filter_find_custom (filter, rank)->text, ==, "hàng");
    crm_company_list_set_filter (list, filter);
    g_assert_null (crm_company_list_get_error (list));
    assert_ids (list, "1");

    /* And back, as the popover reads the current filter. */
    for (guint i = 0; i < crm_company_filter_get_n_custom (filter); i++)
      crm_filter_add_custom (back, crm_company_filter_get_custom (filter, i));
    crm_company_filter_unref (filter);
    g_assert_cmpuint (crm_filter_get_n_custom (back), ==, 5);
    g_assert_cmpint (crm_filter_get_custom (back, 1)->op, ==, CRM_CUSTOM_BETWEEN);
    g_assert_cmpfloat (crm_filter_get_custom (back, 1)->min, ==, 40);
    g_assert_true (isnan (crm_filter_get_custom (back, 1)->max));
    g_assert_cmpstr (crm_filter_get_custom (back, 0)->choices[1], ==, "Nam");
    crm_company_list_set_filter (list, NULL);
  }

  /* Copies are equal; the description names the fields. */
  filter = crm_company_filter_new ();
  crm_company_filter_set_industry (filter, "Bán lẻ");
  crm_company_filter_add_custom_bool (filter, partner, TRUE);
  crm_company_filter_add_custom_between (filter, staff, 10, NAN);
  {
    g_autoptr (CrmCompanyFilter) copy = crm_company_filter_copy (filter);

    g_assert_true (crm_company_filter_equal (filter, copy));
    crm_company_filter_set_owner (copy, "lan");
    g_assert_false (crm_company_filter_equal (filter, copy));
  }
  g_assert_cmpuint (crm_company_filter_get_n_custom (filter), ==, 2);
  g_assert_cmpint (crm_company_filter_find_custom (filter, staff)->op, ==, CRM_CUSTOM_BETWEEN);
  g_assert_null (crm_company_filter_find_custom (filter, region));
  described = crm_company_filter_describe (filter, crm_store_get_db (f->store));
  g_assert_cmpstr (described, ==, "Industry Bán lẻ · Đối tác: yes · Số nhân viên at least 10");
  crm_company_filter_unref (filter);

#undef WITH_FILTER
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
  ADD ("/company-list/filter/columns", test_filter_columns);
  ADD ("/company-list/filter/custom", test_filter_custom);

  return g_test_run ();
}
