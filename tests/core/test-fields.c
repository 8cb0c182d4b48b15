/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "crm-contact.h"
#include "crm-fields.h"
#include "crm-key.h"
#include "crm-record.h"
#include "crm-store.h"
#include "crm-test-util.h"

typedef struct
{
  char      *dir;
  CrmStore  *store;
  GPtrArray *changes;   /* "entity:id" of each CrmStore::changed */
} Fixture;

static void
on_changed (CrmStore   *store,
            const char *entity,
            gint64      id,
            Fixture    *f)
{
  g_ptr_array_add (f->changes, g_strdup_printf ("%s:%" G_GINT64_FORMAT, entity, id));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) key = crm_key_generate (&error);
  g_autofree char *workspace = NULL;

  g_assert_no_error (error);
  f->dir = crm_test_make_dir ();
  workspace = g_build_filename (f->dir, "workspace", NULL);
  f->store = crm_store_create (workspace, key, &error);
  g_assert_no_error (error);
  f->changes = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (f->store, "changed", G_CALLBACK (on_changed), f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  g_clear_pointer (&f->changes, g_ptr_array_unref);
  crm_test_remove_tree (f->dir);
  g_free (f->dir);
}

static void
exec (Fixture    *f,
      const char *sql)
{
  g_autoptr (GError) error = NULL;

  crm_store_exec (f->store, sql, &error);
  g_assert_no_error (error);
}

static gint64
query_int (Fixture    *f,
           const char *sql)
{
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt = crm_store_prepare (f->store, sql, &error);
  gint64 value;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

static char *
query_text (Fixture    *f,
            const char *sql)
{
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt = crm_store_prepare (f->store, sql, &error);
  char *value;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  return value;
}

static gint64
add_contact (Fixture    *f,
             const char *name)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO contact (display_name) VALUES ('%s')",
                                          name);

  exec (f, sql);
  return sqlite3_last_insert_rowid (crm_store_get_db (f->store));
}

static void
set_value (Fixture    *f,
           gint64      field_id,
           gint64      entity_id,
           const char *value)
{
  g_autofree char *sql = NULL;

  sql = g_strdup_printf ("INSERT OR REPLACE INTO custom_value (field_id, entity_id, value) "
                         "VALUES (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", %s%s%s)",
                         field_id, entity_id, value != NULL ? "'" : "",
                         value != NULL ? value : "NULL", value != NULL ? "'" : "");
  exec (f, sql);
}

static gint64
create_field (Fixture            *f,
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

static CrmCustomField *
load_field (Fixture *f,
            gint64   id)
{
  g_autoptr (GError) error = NULL;
  CrmCustomField *field = crm_custom_field_load (f->store, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (field);
  return field;
}

/* The labels of @entity's fields in their order, joined with '|'. */
static char *
field_labels (Fixture        *f,
              CrmFieldEntity  entity)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) fields = crm_custom_fields_list (f->store, entity, &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < fields->len; i++)
    {
      CrmCustomField *field = g_ptr_array_index (fields, i);

      g_assert_cmpint (field->position, ==, i);
      g_assert_cmpint (field->entity, ==, entity);
      g_string_append_printf (out, "%s%s", i > 0 ? "|" : "", field->label);
    }

  return g_string_free (out, FALSE);
}

static void
assert_changes (Fixture    *f,
                const char *expected)
{
  g_autofree char *joined = NULL;

  g_ptr_array_add (f->changes, NULL);
  joined = g_strjoinv (" ", (char **) f->changes->pdata);
  g_ptr_array_set_size (f->changes, 0);
  g_assert_cmpstr (joined, ==, expected);
}

/* Names */

static void
test_names (void)
{
  CrmFieldEntity entity = CRM_FIELD_ENTITY_CONTACT;
  CrmFieldType type = CRM_FIELD_TYPE_TEXT;

  g_assert_cmpstr (crm_field_entity_to_string (CRM_FIELD_ENTITY_COMPANY), ==, "company");
  g_assert_true (crm_field_entity_from_string ("deal", &entity));
  g_assert_cmpint (entity, ==, CRM_FIELD_ENTITY_DEAL);
  g_assert_false (crm_field_entity_from_string ("task", &entity));
  g_assert_cmpint (entity, ==, CRM_FIELD_ENTITY_DEAL);

  g_assert_cmpstr (crm_field_type_to_string (CRM_FIELD_TYPE_BOOL), ==, "bool");
  g_assert_true (crm_field_type_from_string ("choice", &type));
  g_assert_cmpint (type, ==, CRM_FIELD_TYPE_CHOICE);
  g_assert_false (crm_field_type_from_string ("Choice", &type));

  g_assert_cmpstr (crm_field_type_get_label (CRM_FIELD_TYPE_TEXT), ==, "Text");
  g_assert_cmpstr (crm_field_type_get_label (CRM_FIELD_TYPE_NUMBER), ==, "Number");
  g_assert_cmpstr (crm_field_type_get_label (CRM_FIELD_TYPE_DATE), ==, "Date");
  g_assert_cmpstr (crm_field_type_get_label (CRM_FIELD_TYPE_CHOICE), ==, "Choice list");
  g_assert_cmpstr (crm_field_type_get_label (CRM_FIELD_TYPE_BOOL), ==, "Yes/No");

  g_assert_cmpstr (crm_status_kind_to_table (CRM_STATUS_LEAD_STATUS), ==, "lead_status");
}

/* Custom fields */

static void
test_create (Fixture       *f,
             gconstpointer  data)
{
  static const char *const options[] = { "  Vàng ", "", "Bạc", "  ", "Kim cương", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmCustomField) rank = NULL;
  g_autoptr (CrmCustomField) goods = NULL;
  g_autoptr (CrmCustomField) odd = NULL;
  g_autoptr (CrmCustomField) company = NULL;
  g_autoptr (CrmCustomField) note = NULL;
  g_autoptr (CrmCustomField) copy = NULL;
  g_autofree char *json = NULL;
  g_autofree char *labels = NULL;
  g_autofree char *expected = NULL;
  gint64 rank_id, goods_id, odd_id, company_id, note_id;

  rank_id = create_field (f, CRM_FIELD_ENTITY_CONTACT, "  Hạng thành viên ",
                          CRM_FIELD_TYPE_CHOICE, options);
  expected = g_strdup_printf ("custom_field:%" G_GINT64_FORMAT, rank_id);
  assert_changes (f, expected);

  rank = load_field (f, rank_id);
  g_assert_cmpint (rank->entity, ==, CRM_FIELD_ENTITY_CONTACT);
  g_assert_cmpstr (rank->label, ==, "Hạng thành viên");
  g_assert_cmpstr (rank->key, ==, "hang_thanh_vien");
  g_assert_cmpint (rank->type, ==, CRM_FIELD_TYPE_CHOICE);
  g_assert_cmpuint (g_strv_length (rank->options), ==, 3);
  g_assert_cmpstr (rank->options[0], ==, "Vàng");
  g_assert_cmpstr (rank->options[1], ==, "Bạc");
  g_assert_cmpstr (rank->options[2], ==, "Kim cương");
  g_assert_cmpint (rank->position, ==, 0);
  json = query_text (f, "SELECT options FROM custom_field WHERE key = 'hang_thanh_vien'");
  g_assert_cmpstr (json, ==, "[\"Vàng\",\"Bạc\",\"Kim cương\"]");

  copy = crm_custom_field_copy (rank);
  g_assert_cmpstr (copy->options[2], ==, "Kim cương");
  g_assert_true (copy->options != rank->options);

  /* Another label that folds the same gets the next free key. */
  goods_id = create_field (f, CRM_FIELD_ENTITY_CONTACT, "Hàng thành viên",
                           CRM_FIELD_TYPE_NUMBER, NULL);
  goods = load_field (f, goods_id);
  g_assert_cmpstr (goods->key, ==, "hang_thanh_vien_2");
  g_assert_cmpint (goods->position, ==, 1);
  g_assert_cmpuint (g_strv_length (goods->options), ==, 0);

  /* Punctuation runs become one '_'; a label with no letters gets "field". */
  odd_id = create_field (f, CRM_FIELD_ENTITY_CONTACT, "Ngày  mua (lần đầu)/Đơn",
                         CRM_FIELD_TYPE_DATE, NULL);
  odd = load_field (f, odd_id);
  g_assert_cmpstr (odd->key, ==, "ngay_mua_lan_dau_don");
  g_clear_pointer (&odd, crm_custom_field_free);
  odd_id = create_field (f, CRM_FIELD_ENTITY_CONTACT, "???", CRM_FIELD_TYPE_TEXT, NULL);
  odd = load_field (f, odd_id);
  g_assert_cmpstr (odd->key, ==, "field");

  /* Keys and labels are per entity; options of other types are not kept. */
  company_id = create_field (f, CRM_FIELD_ENTITY_COMPANY, "Hạng thành viên",
                             CRM_FIELD_TYPE_BOOL, options);
  company = load_field (f, company_id);
  g_assert_cmpstr (company->key, ==, "hang_thanh_vien");
  g_assert_cmpint (company->position, ==, 0);
  g_assert_cmpuint (g_strv_length (company->options), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT options IS NULL FROM custom_field WHERE entity = "
                                 "'company'"), ==, 1);

  note_id = create_field (f, CRM_FIELD_ENTITY_DEAL, "Ghi chú giao hàng", CRM_FIELD_TYPE_TEXT,
                          NULL);
  note = load_field (f, note_id);
  g_assert_cmpint (note->entity, ==, CRM_FIELD_ENTITY_DEAL);

  labels = field_labels (f, CRM_FIELD_ENTITY_CONTACT);
  g_assert_cmpstr (labels, ==, "Hạng thành viên|Hàng thành viên|Ngày  mua (lần đầu)/Đơn|???");

  /* Refusals change nothing. */
  g_ptr_array_set_size (f->changes, 0);
  g_assert_cmpint (crm_custom_field_create (f->store, CRM_FIELD_ENTITY_CONTACT, "HẠNG THÀNH VIÊN",
                                            CRM_FIELD_TYPE_TEXT, NULL, &error), ==, 0);
  g_assert_error (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "HẠNG THÀNH VIÊN"));
  g_clear_error (&error);

  g_assert_cmpint (crm_custom_field_create (f->store, CRM_FIELD_ENTITY_CONTACT, "  \t",
                                            CRM_FIELD_TYPE_TEXT, NULL, &error), ==, 0);
  g_assert_error (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (crm_custom_field_create (f->store, CRM_FIELD_ENTITY_CONTACT, NULL,
                                            CRM_FIELD_TYPE_TEXT, NULL, &error), ==, 0);
  g_assert_error (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_INVALID);
  g_clear_error (&error);

  {
    static const char *const blank[] = { " ", "", NULL };
    static const char *const twice[] = { "Vàng", "Bạc", " VÀNG ", NULL };

    g_assert_cmpint (crm_custom_field_create (f->store, CRM_FIELD_ENTITY_CONTACT, "Nhóm",
                                              CRM_FIELD_TYPE_CHOICE, NULL, &error), ==, 0);
    g_assert_error (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_cmpint (crm_custom_field_create (f->store, CRM_FIELD_ENTITY_CONTACT, "Nhóm",
                                              CRM_FIELD_TYPE_CHOICE, blank, &error), ==, 0);
    g_assert_error (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_cmpint (crm_custom_field_create (f->store, CRM_FIELD_ENTITY_CONTACT, "Nhóm",
                                              CRM_FIELD_TYPE_CHOICE, twice, &error), ==, 0);
    g_assert_error (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "VÀNG"));
    g_clear_error (&error);
  }

  g_assert_cmpint (query_int (f, "SELECT count(*) FROM custom_field"), ==, 6);
  g_assert_cmpuint (f->changes->len, ==, 0);
}

static void
test_update (Fixture       *f,
             gconstpointer  data)
{
  static const char *const options[] = { "Vàng", "Bạc", "Đồng", NULL };
  static const char *const without_gold[] = { "Bạc", "Đồng", NULL };
  static const char *const without_bronze[] = { "Vàng", " Bạc ", "Bạch kim", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmCustomField) field = NULL;
  g_autofree char *expected = NULL;
  gint64 rank_id, other_id, contact_id;

  rank_id = create_field (f, CRM_FIELD_ENTITY_CONTACT, "Hạng", CRM_FIELD_TYPE_CHOICE, options);
  other_id = create_field (f, CRM_FIELD_ENTITY_CONTACT, "Nguồn khác", CRM_FIELD_TYPE_TEXT, NULL);
  g_ptr_array_set_size (f->changes, 0);

  /* Without values: a new label, type and options; the key stays. */
  g_assert_true (crm_custom_field_update (f->store, other_id, " Kênh  ", CRM_FIELD_TYPE_CHOICE,
                                          options, &error));
  g_assert_no_error (error);
  expected = g_strdup_printf ("custom_field:%" G_GINT64_FORMAT, other_id);
  assert_changes (f, expected);
  field = load_field (f, other_id);
  g_assert_cmpstr (field->label, ==, "Kênh");
  g_assert_cmpstr (field->key, ==, "nguon_khac");
  g_assert_cmpint (field->type, ==, CRM_FIELD_TYPE_CHOICE);
  g_assert_cmpuint (g_strv_length (field->options), ==, 3);
  g_clear_pointer (&field, crm_custom_field_free);

  g_assert_true (crm_custom_field_update (f->store, other_id, "Kênh", CRM_FIELD_TYPE_NUMBER,
                                          options, &error));
  g_assert_no_error (error);
  field = load_field (f, other_id);
  g_assert_cmpint (field->type, ==, CRM_FIELD_TYPE_NUMBER);
  g_assert_cmpuint (g_strv_length (field->options), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM custom_field WHERE options IS NULL"), ==, 1);
  g_clear_pointer (&field, crm_custom_field_free);

  /* The label of another field is taken, whatever its case. */
  g_assert_false (crm_custom_field_update (f->store, other_id, "hạng", CRM_FIELD_TYPE_NUMBER,
                                           NULL, &error));
  g_assert_error (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_EXISTS);
  g_clear_error (&error);

  /* Its own label in another case is fine. */
  g_assert_true (crm_custom_field_update (f->store, rank_id, "HẠNG", CRM_FIELD_TYPE_CHOICE,
                                          options, &error));
  g_assert_no_error (error);

  /* With values, the type cannot change. */
  contact_id = add_contact (f, "An");
  set_value (f, rank_id, contact_id, "Vàng");
  set_value (f, rank_id, add_contact (f, "Bình"), "Vàng");
  set_value (f, rank_id, add_contact (f, "Chi"), "Bạc");
  g_ptr_array_set_size (f->changes, 0);

  g_assert_false (crm_custom_field_update (f->store, rank_id, "Hạng", CRM_FIELD_TYPE_TEXT, NULL,
                                           &error));
  g_assert_error (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_HAS_VALUES);
  g_assert_cmpstr (error->message, ==, "The type of “HẠNG” cannot change: it has 3 values");
  g_clear_error (&error);

  /* An option that values hold cannot go; one that none holds can. */
  g_assert_false (crm_custom_field_update (f->store, rank_id, "Hạng", CRM_FIELD_TYPE_CHOICE,
                                           without_gold, &error));
  g_assert_error (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_HAS_VALUES);
  g_assert_cmpstr (error->message, ==, "The option “Vàng” cannot be removed: 2 values use it");
  g_clear_error (&error);
  g_assert_cmpuint (f->changes->len, ==, 0);
  field = load_field (f, rank_id);
  g_assert_cmpstr (field->label, ==, "HẠNG");
  g_assert_cmpuint (g_strv_length (field->options), ==, 3);
  g_clear_pointer (&field, crm_custom_field_free);

  g_assert_true (crm_custom_field_update (f->store, rank_id, "Hạng", CRM_FIELD_TYPE_CHOICE,
                                          without_bronze, &error));
  g_assert_no_error (error);
  field = load_field (f, rank_id);
  g_assert_cmpstr (field->label, ==, "Hạng");
  g_assert_cmpstr (field->options[0], ==, "Vàng");
  g_assert_cmpstr (field->options[1], ==, "Bạc");
  g_assert_cmpstr (field->options[2], ==, "Bạch kim");
  g_assert_null (field->options[3]);
  g_clear_pointer (&field, crm_custom_field_free);

  /* Blank values do not count: the type may change once they are all blank. */
  exec (f, "UPDATE custom_value SET value = ''");
  set_value (f, rank_id, contact_id, NULL);
  g_assert_true (crm_custom_field_update (f->store, rank_id, "Hạng", CRM_FIELD_TYPE_TEXT, NULL,
                                          &error));
  g_assert_no_error (error);

  g_assert_false (crm_custom_field_update (f->store, 9999, "X", CRM_FIELD_TYPE_TEXT, NULL,
                                           &error));
  g_assert_error (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_false (crm_custom_field_update (f->store, rank_id, "", CRM_FIELD_TYPE_TEXT, NULL,
                                           &error));
  g_assert_error (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_INVALID);
  g_clear_error (&error);
}

static void
test_reorder (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *labels = NULL;
  gint64 a, b, c, d, deal;

  a = create_field (f, CRM_FIELD_ENTITY_CONTACT, "A", CRM_FIELD_TYPE_TEXT, NULL);
  b = create_field (f, CRM_FIELD_ENTITY_CONTACT, "B", CRM_FIELD_TYPE_TEXT, NULL);
  c = create_field (f, CRM_FIELD_ENTITY_CONTACT, "C", CRM_FIELD_TYPE_TEXT, NULL);
  d = create_field (f, CRM_FIELD_ENTITY_CONTACT, "D", CRM_FIELD_TYPE_TEXT, NULL);
  deal = create_field (f, CRM_FIELD_ENTITY_DEAL, "E", CRM_FIELD_TYPE_TEXT, NULL);
  g_ptr_array_set_size (f->changes, 0);

  {
    const gint64 order[] = { d, b, a, c };

    g_assert_true (crm_custom_fields_reorder (f->store, CRM_FIELD_ENTITY_CONTACT, order,
                                              G_N_ELEMENTS (order), &error));
    g_assert_no_error (error);
    labels = field_labels (f, CRM_FIELD_ENTITY_CONTACT);
    g_assert_cmpstr (labels, ==, "D|B|A|C");
    g_clear_pointer (&labels, g_free);
    assert_changes (f, "custom_field:0");
  }

  /* The fields not listed keep their order after the listed ones. */
  {
    const gint64 order[] = { c };

    g_assert_true (crm_custom_fields_reorder (f->store, CRM_FIELD_ENTITY_CONTACT, order,
                                              G_N_ELEMENTS (order), &error));
    g_assert_no_error (error);
    labels = field_labels (f, CRM_FIELD_ENTITY_CONTACT);
    g_assert_cmpstr (labels, ==, "C|D|B|A");
    g_clear_pointer (&labels, g_free);
  }

  /* A field of another entity, an unknown one or one listed twice. */
  {
    const gint64 other[] = { a, deal };
    const gint64 unknown[] = { 9999 };
    const gint64 twice[] = { a, b, a };

    g_assert_false (crm_custom_fields_reorder (f->store, CRM_FIELD_ENTITY_CONTACT, other, 2,
                                               &error));
    g_assert_error (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_false (crm_custom_fields_reorder (f->store, CRM_FIELD_ENTITY_CONTACT, unknown, 1,
                                               &error));
    g_assert_error (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_false (crm_custom_fields_reorder (f->store, CRM_FIELD_ENTITY_CONTACT, twice, 3,
                                               &error));
    g_assert_error (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_INVALID);
    g_clear_error (&error);
    labels = field_labels (f, CRM_FIELD_ENTITY_CONTACT);
    g_assert_cmpstr (labels, ==, "C|D|B|A");
  }

  /* A new field goes last. */
  g_clear_pointer (&labels, g_free);
  create_field (f, CRM_FIELD_ENTITY_CONTACT, "F", CRM_FIELD_TYPE_TEXT, NULL);
  labels = field_labels (f, CRM_FIELD_ENTITY_CONTACT);
  g_assert_cmpstr (labels, ==, "C|D|B|A|F");
}

static void
test_count_and_delete (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *expected = NULL;
  gint64 empty_id, rank_id, big_id, a, b, c;

  empty_id = create_field (f, CRM_FIELD_ENTITY_CONTACT, "Trống", CRM_FIELD_TYPE_TEXT, NULL);
  rank_id = create_field (f, CRM_FIELD_ENTITY_CONTACT, "Hạng", CRM_FIELD_TYPE_TEXT, NULL);
  big_id = create_field (f, CRM_FIELD_ENTITY_COMPANY, "Quy mô", CRM_FIELD_TYPE_NUMBER, NULL);
  a = add_contact (f, "An");
  b = add_contact (f, "Bình");
  c = add_contact (f, "Chi");
  set_value (f, rank_id, a, "Vàng");
  set_value (f, rank_id, b, "Bạc");
  set_value (f, rank_id, c, "");
  set_value (f, empty_id, a, NULL);
  exec (f, "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1234) "
           "INSERT INTO custom_value (field_id, entity_id, value) "
           "SELECT (SELECT id FROM custom_field WHERE entity = 'company'), i, 'x' FROM n");
  g_ptr_array_set_size (f->changes, 0);

  /* Blank values do not count. */
  g_assert_cmpint (crm_custom_field_count_values (f->store, empty_id, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpint (crm_custom_field_count_values (f->store, rank_id, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_cmpint (crm_custom_field_count_values (f->store, big_id, &error), ==, 1234);
  g_assert_no_error (error);
  g_assert_cmpint (crm_custom_field_count_values (f->store, 9999, &error), ==, -1);
  g_assert_error (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A field without values goes at once, with its blank rows. */
  g_assert_true (crm_custom_field_delete (f->store, empty_id, FALSE, &error));
  g_assert_no_error (error);
  expected = g_strdup_printf ("custom_field:%" G_GINT64_FORMAT, empty_id);
  assert_changes (f, expected);
  g_clear_pointer (&expected, g_free);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM custom_value WHERE value IS NULL"), ==, 0);

  /* One with values asks first, and keeps them until confirmed. */
  g_assert_false (crm_custom_field_delete (f->store, rank_id, FALSE, &error));
  g_assert_error (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_HAS_VALUES);
  g_assert_cmpstr (error->message, ==,
                   "The field “Hạng” has 2 values; confirm to delete them with the field");
  g_clear_error (&error);
  g_assert_false (crm_custom_field_delete (f->store, big_id, FALSE, &error));
  g_assert_error (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_HAS_VALUES);
  g_assert_nonnull (strstr (error->message, "1234 values"));
  g_clear_error (&error);
  g_assert_cmpuint (f->changes->len, ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM custom_field"), ==, 2);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM custom_value"), ==, 3 + 1234);

  g_assert_true (crm_custom_field_delete (f->store, rank_id, TRUE, &error));
  g_assert_no_error (error);
  expected = g_strdup_printf ("custom_field:%" G_GINT64_FORMAT " contact:0", rank_id);
  assert_changes (f, expected);
  g_clear_pointer (&expected, g_free);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM custom_value"), ==, 1234);

  g_assert_true (crm_custom_field_delete (f->store, big_id, TRUE, &error));
  g_assert_no_error (error);
  expected = g_strdup_printf ("custom_field:%" G_GINT64_FORMAT " company:0", big_id);
  assert_changes (f, expected);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM custom_value"), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM custom_field"), ==, 0);
  /* The contacts stay. */
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM contact"), ==, 3);

  g_assert_false (crm_custom_field_delete (f->store, rank_id, TRUE, &error));
  g_assert_error (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_NOT_FOUND);
}

typedef struct
{
  const char *text;
  const char *expected;   /* NULL: refused */
} ValueCase;

static void
check_values (CrmCustomField  *field,
              const ValueCase *cases,
              gsize            n_cases)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *value = crm_custom_field_normalize_value (field, cases[i].text, &error);

      g_test_message ("%s: “%s”", crm_field_type_to_string (field->type), cases[i].text);
      g_assert_cmpstr (value, ==, cases[i].expected);
      if (cases[i].expected == NULL)
        {
          g_assert_error (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_INVALID);
          g_assert_nonnull (strstr (error->message, field->label));
        }
      else
        g_assert_no_error (error);
    }
}

static void
test_normalize_value (void)
{
  static const ValueCase numbers[] = {
    { "1234", "1234" },
    { " 1.234,5 ", "1234.5" },
    { "1,234.5", "1234.5" },
    { "1.234.567,89", "1234567.89" },
    { "1,234,567.89", "1234567.89" },
    { "12.500.000", "12500000" },
    { "1.234", "1234" },
    { "1,234", "1234" },
    { "1,5", "1.5" },
    { "3.25", "3.25" },
    { "0,125", "0.125" },
    { "1234.567", "1234.567" },
    { ",5", "0.5" },
    { "-1.234,50", "-1234.5" },
    { "+7", "7" },
    { "-0", "0" },
    { "007", "7" },
    { "2,0", "2" },
    { "1 234 567", "1234567" },
    { "1\u00a0234,5", "1234.5" },
    { "", "" },
    { "   ", "" },
    { NULL, "" },
    { "abc", NULL },
    { "1e5", NULL },
    { "5.", NULL },
    { "1,2,3", NULL },
    { "1.23.456", NULL },
    { "1.234,5.6", NULL },
    { "12 34", NULL },
    { "--1", NULL },
    { "-", NULL },
    { "1,5,000", NULL },
    { "12 ₫", NULL },
  };
  static const ValueCase dates[] = {
    { "2026-11-22", "2026-11-22" },
    { "22/11/2026", "2026-11-22" },
    { "2/3/2026", "2026-03-02" },
    { "22.11.2026", "2026-11-22" },
    { "29/02/2024", "2024-02-29" },
    { "29/02/2026", NULL },
    { "31/04/2026", NULL },
    { "11/22/2026", NULL },
    { "22/11/26", NULL },
    { "2026-11", NULL },
    { "hôm nay", NULL },
  };
  static const ValueCase choices[] = {
    { "Vàng", "Vàng" },
    { " VÀNG ", "Vàng" },
    { "kim cuong", "Kim cương" },
    { "Bạc", "Bạc" },
    { "bac", NULL },     /* "Bạc" and "Bắc" both fold to it */
    { "Đồng", NULL },
  };
  static const ValueCase bools[] = {
    { "yes", "1" }, { "TRUE", "1" }, { "Có", "1" }, { "1", "1" },
    { "no", "0" }, { "False", "0" }, { "KHÔNG", "0" }, { "0", "0" },
    { "maybe", NULL }, { "2", NULL },
  };
  static const ValueCase texts[] = {
    { "  Thích cà phê  ", "Thích cà phê" },
    { "\t", "" },
  };
  char *options[] = { "Vàng", "Bạc", "Bắc", "Kim cương", NULL };
  char *no_options[] = { NULL };
  CrmCustomField field = { .label = "Trường thử", .options = no_options };

  field.type = CRM_FIELD_TYPE_NUMBER;
  check_values (&field, numbers, G_N_ELEMENTS (numbers));
  field.type = CRM_FIELD_TYPE_DATE;
  check_values (&field, dates, G_N_ELEMENTS (dates));
  field.type = CRM_FIELD_TYPE_BOOL;
  check_values (&field, bools, G_N_ELEMENTS (bools));
  field.type = CRM_FIELD_TYPE_TEXT;
  check_values (&field, texts, G_N_ELEMENTS (texts));
  field.type = CRM_FIELD_TYPE_CHOICE;
  field.options = options;
  check_values (&field, choices, G_N_ELEMENTS (choices));
}

/* Lifecycle stages and lead statuses */

static char *
status_names (Fixture       *f,
              CrmStatusKind  kind)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) statuses = crm_statuses_list (f->store, kind, &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < statuses->len; i++)
    {
      CrmStatus *status = g_ptr_array_index (statuses, i);

      g_string_append_printf (out, "%s%s%s", i > 0 ? "|" : "",
                              crm_status_get_display_name (status), status->builtin ? "*" : "");
    }

  return g_string_free (out, FALSE);
}

static gint64
status_id (Fixture       *f,
           CrmStatusKind  kind,
           const char    *key)
{
  g_autofree char *sql = g_strdup_printf ("SELECT id FROM %s WHERE key = '%s'",
                                          crm_status_kind_to_table (kind), key);

  return query_int (f, sql);
}

static void
test_statuses_list (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) stages = crm_statuses_list (f->store, CRM_STATUS_LIFECYCLE_STAGE, &error);
  g_autofree char *names = NULL;
  CrmStatus *first;
  g_autoptr (CrmStatus) copy = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (stages->len, ==, 8);
  first = g_ptr_array_index (stages, 0);
  g_assert_cmpstr (first->key, ==, "subscriber");
  g_assert_cmpstr (first->name, ==, "Subscriber");
  g_assert_true (first->builtin);
  g_assert_cmpint (first->position, ==, 0);
  copy = crm_status_copy (first);
  g_assert_cmpstr (copy->key, ==, "subscriber");
  g_assert_true (copy->key != first->key);

  names = status_names (f, CRM_STATUS_LIFECYCLE_STAGE);
  g_assert_cmpstr (names, ==, "Subscriber*|Lead*|Marketing-qualified lead*|Sales-qualified lead*|"
                              "Opportunity*|Customer*|Loyal customer*|Other*");
  g_clear_pointer (&names, g_free);
  names = status_names (f, CRM_STATUS_LEAD_STATUS);
  g_assert_cmpstr (names, ==, "New*|Open*|In progress*|Open deal*|Unqualified*|"
                              "Attempted to contact*|Connected*|Bad timing*");
}

static void
test_statuses_add_rename (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *names = NULL;
  g_autofree char *key = NULL;
  g_autofree char *expected = NULL;
  gint64 vip, customer, again;

  vip = crm_status_add (f->store, CRM_STATUS_LIFECYCLE_STAGE, "  Khách VIP ", &error);
  g_assert_no_error (error);
  g_assert_cmpint (vip, >, 0);
  expected = g_strdup_printf ("lifecycle_stage:%" G_GINT64_FORMAT, vip);
  assert_changes (f, expected);
  g_clear_pointer (&expected, g_free);
  key = query_text (f, "SELECT key FROM lifecycle_stage WHERE name = 'Khách VIP'");
  g_assert_cmpstr (key, ==, "khach_vip");
  g_assert_cmpint (query_int (f, "SELECT position FROM lifecycle_stage WHERE key = 'khach_vip'"),
                   ==, 8);

  /* A different name whose key is taken gets a suffix. */
  again = crm_status_add (f->store, CRM_STATUS_LIFECYCLE_STAGE, "Customer!", &error);
  g_assert_no_error (error);
  g_clear_pointer (&key, g_free);
  key = query_text (f, "SELECT key FROM lifecycle_stage WHERE name = 'Customer!'");
  g_assert_cmpstr (key, ==, "customer_2");
  g_assert_cmpint (again, >, vip);

  /* Names are unique whatever their case, as stored and as shown. */
  g_assert_cmpint (crm_status_add (f->store, CRM_STATUS_LIFECYCLE_STAGE, "CUSTOMER", &error), ==,
                   0);
  g_assert_error (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_cmpint (crm_status_add (f->store, CRM_STATUS_LIFECYCLE_STAGE, "khách vip", &error), ==,
                   0);
  g_assert_error (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_cmpint (crm_status_add (f->store, CRM_STATUS_LEAD_STATUS, " ", &error), ==, 0);
  g_assert_error (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_INVALID);
  g_clear_error (&error);
  /* The other list has its own names. */
  g_assert_cmpint (crm_status_add (f->store, CRM_STATUS_LEAD_STATUS, "Customer", &error), >, 0);
  g_assert_no_error (error);
  g_ptr_array_set_size (f->changes, 0);

  /* Renaming a built-in row stores the name as written; it is no longer
   * translated. */
  customer = status_id (f, CRM_STATUS_LIFECYCLE_STAGE, "customer");
  g_assert_true (crm_status_rename (f->store, CRM_STATUS_LIFECYCLE_STAGE, customer,
                                    " Khách hàng ", &error));
  g_assert_no_error (error);
  expected = g_strdup_printf ("lifecycle_stage:%" G_GINT64_FORMAT, customer);
  assert_changes (f, expected);
  names = status_names (f, CRM_STATUS_LIFECYCLE_STAGE);
  g_assert_cmpstr (names, ==, "Subscriber*|Lead*|Marketing-qualified lead*|Sales-qualified lead*|"
                              "Opportunity*|Khách hàng|Loyal customer*|Other*|Khách VIP|"
                              "Customer!");
  g_clear_pointer (&names, g_free);
  g_clear_pointer (&key, g_free);
  key = query_text (f, "SELECT key FROM lifecycle_stage WHERE name = 'Khách hàng'");
  g_assert_cmpstr (key, ==, "customer");

  /* The name it has already changes nothing: a built-in row stays one. */
  g_assert_true (crm_status_rename (f->store, CRM_STATUS_LIFECYCLE_STAGE,
                                    status_id (f, CRM_STATUS_LIFECYCLE_STAGE, "lead"), "Lead",
                                    &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->changes->len, ==, 0);
  g_assert_cmpint (query_int (f, "SELECT builtin FROM lifecycle_stage WHERE key = 'lead'"), ==, 1);

  /* Its own name in another case is a rename; another row's is refused. */
  g_assert_true (crm_status_rename (f->store, CRM_STATUS_LIFECYCLE_STAGE, vip, "KHÁCH VIP",
                                    &error));
  g_assert_no_error (error);
  g_assert_false (crm_status_rename (f->store, CRM_STATUS_LIFECYCLE_STAGE, vip, "other",
                                     &error));
  g_assert_error (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_false (crm_status_rename (f->store, CRM_STATUS_LIFECYCLE_STAGE, vip, "", &error));
  g_assert_error (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (crm_status_rename (f->store, CRM_STATUS_LEAD_STATUS, vip + 100, "X", &error));
  g_assert_error (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_NOT_FOUND);
  g_clear_error (&error);

  names = status_names (f, CRM_STATUS_LIFECYCLE_STAGE);
  g_assert_cmpstr (names, ==, "Subscriber*|Lead*|Marketing-qualified lead*|Sales-qualified lead*|"
                              "Opportunity*|Khách hàng|Loyal customer*|Other*|KHÁCH VIP|"
                              "Customer!");
}

static void
test_statuses_reorder (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *names = NULL;
  const gint64 order[] = {
    status_id (f, CRM_STATUS_LEAD_STATUS, "bad_timing"),
    status_id (f, CRM_STATUS_LEAD_STATUS, "new"),
  };
  const gint64 wrong[] = { status_id (f, CRM_STATUS_LIFECYCLE_STAGE, "other") + 1000 };

  g_assert_true (crm_statuses_reorder (f->store, CRM_STATUS_LEAD_STATUS, order, 2, &error));
  g_assert_no_error (error);
  assert_changes (f, "lead_status:0");
  names = status_names (f, CRM_STATUS_LEAD_STATUS);
  g_assert_cmpstr (names, ==, "Bad timing*|New*|Open*|In progress*|Open deal*|Unqualified*|"
                              "Attempted to contact*|Connected*");
  g_assert_cmpint (query_int (f, "SELECT min(position) = 0 AND max(position) = 7 AND "
                                 "count(DISTINCT position) = 8 FROM lead_status"), ==, 1);

  g_assert_false (crm_statuses_reorder (f->store, CRM_STATUS_LEAD_STATUS, wrong, 1, &error));
  g_assert_error (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_pointer (&names, g_free);
  names = status_names (f, CRM_STATUS_LEAD_STATUS);
  g_assert_true (g_str_has_prefix (names, "Bad timing*|New*|Open*"));
}

static void
test_statuses_delete (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *expected = NULL;
  gint64 customer = status_id (f, CRM_STATUS_LIFECYCLE_STAGE, "customer");
  gint64 other = status_id (f, CRM_STATUS_LIFECYCLE_STAGE, "other");
  gint64 connected = status_id (f, CRM_STATUS_LEAD_STATUS, "connected");
  gint64 new_id = status_id (f, CRM_STATUS_LEAD_STATUS, "new");
  gint64 a = add_contact (f, "An");

  add_contact (f, "Bình");
  add_contact (f, "Chi");
  sql = g_strdup_printf ("UPDATE contact SET lifecycle_stage_id = %" G_GINT64_FORMAT ", "
                         "lead_status_id = %" G_GINT64_FORMAT,
                         customer, connected);
  exec (f, sql);
  exec (f, "UPDATE contact SET archived = 1 WHERE display_name = 'Chi'");
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("UPDATE contact SET lifecycle_stage_id = %" G_GINT64_FORMAT
                         " WHERE id = %" G_GINT64_FORMAT,
                         other, a);
  exec (f, sql);
  g_ptr_array_set_size (f->changes, 0);

  g_assert_cmpint (crm_lifecycle_stage_count_contacts (f->store, customer, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_cmpint (crm_lifecycle_stage_count_contacts (f->store, other, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (crm_lead_status_count_contacts (f->store, connected, &error), ==, 3);
  g_assert_no_error (error);
  g_assert_cmpint (crm_lead_status_count_contacts (f->store, new_id, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpint (crm_lead_status_count_contacts (f->store, 9999, &error), ==, -1);
  g_assert_error (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (crm_status_delete (f->store, CRM_STATUS_LIFECYCLE_STAGE, customer, &error));
  g_assert_no_error (error);
  expected = g_strdup_printf ("lifecycle_stage:%" G_GINT64_FORMAT " contact:0", customer);
  assert_changes (f, expected);
  g_clear_pointer (&expected, g_free);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM contact WHERE lifecycle_stage_id IS NULL"),
                   ==, 2);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM lifecycle_stage"), ==, 7);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM contact"), ==, 3);

  g_assert_true (crm_status_delete (f->store, CRM_STATUS_LEAD_STATUS, connected, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM contact WHERE lead_status_id IS NULL"),
                   ==, 3);

  /* Without contacts, only the list changes. */
  g_ptr_array_set_size (f->changes, 0);
  g_assert_true (crm_status_delete (f->store, CRM_STATUS_LEAD_STATUS, new_id, &error));
  g_assert_no_error (error);
  expected = g_strdup_printf ("lead_status:%" G_GINT64_FORMAT, new_id);
  assert_changes (f, expected);

  g_assert_false (crm_status_delete (f->store, CRM_STATUS_LEAD_STATUS, connected, &error));
  g_assert_error (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_NOT_FOUND);
}

static void
assert_strv (GStrv       strv,
             const char *expected)
{
  g_autofree char *joined = NULL;

  g_assert_nonnull (strv);
  joined = g_strjoinv (",", strv);
  g_assert_cmpstr (joined, ==, expected);
}

static void
test_record_tags (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  gint64 lan = add_contact (f, "Lan");
  gint64 binh = add_contact (f, "Bình");
  g_auto (GStrv) tags = NULL;
  g_autofree char *sql = NULL;

  exec (f, "INSERT INTO tag (id, name) VALUES (1, 'banana'), (2, 'Ấn'), (3, 'Apple'), (4, 'Zoo')");
  sql = g_strdup_printf ("INSERT INTO contact_tag (contact_id, tag_id) VALUES "
                         "(%" G_GINT64_FORMAT ", 1), (%" G_GINT64_FORMAT ", 2), "
                         "(%" G_GINT64_FORMAT ", 3), (%" G_GINT64_FORMAT ", 4)",
                         lan, lan, lan, binh);
  exec (f, sql);

  /* By name as stored; by folded name, case and diacritics aside. */
  tags = crm_record_load_tags (f->store, "contact_tag", "contact_id", lan,
                               CRM_RECORD_TAGS_BY_NAME, "reading", &error);
  g_assert_no_error (error);
  assert_strv (tags, "Apple,banana,Ấn");
  g_clear_pointer (&tags, g_strfreev);
  tags = crm_record_load_tags (f->store, "contact_tag", "contact_id", lan,
                               CRM_RECORD_TAGS_BY_FOLDED_NAME, "reading", &error);
  g_assert_no_error (error);
  assert_strv (tags, "Ấn,Apple,banana");
  g_clear_pointer (&tags, g_strfreev);

  /* No tags is an empty list, not an error. */
  tags = crm_record_load_tags (f->store, "contact_tag", "contact_id", lan + binh + 1,
                               CRM_RECORD_TAGS_BY_NAME, "reading", &error);
  g_assert_no_error (error);
  g_assert_nonnull (tags);
  g_assert_cmpuint (g_strv_length (tags), ==, 0);
  g_clear_pointer (&tags, g_strfreev);

  tags = crm_record_load_tags (f->store, "no_such_tag", "contact_id", lan,
                               CRM_RECORD_TAGS_BY_NAME, "reading", &error);
  g_assert_null (tags);
  g_assert_nonnull (error);
}

static void
test_record_custom_values (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) values = NULL;
  g_autoptr (GHashTable) custom = g_hash_table_new (g_str_hash, g_str_equal);
  gint64 lan = add_contact (f, "Lan");
  gint64 rank = create_field (f, CRM_FIELD_ENTITY_CONTACT, "Hạng", CRM_FIELD_TYPE_TEXT, NULL);
  gint64 score = create_field (f, CRM_FIELD_ENTITY_CONTACT, "Điểm", CRM_FIELD_TYPE_NUMBER, NULL);
  gint64 region = create_field (f, CRM_FIELD_ENTITY_COMPANY, "Khu vực", CRM_FIELD_TYPE_TEXT, NULL);
  const CrmCustomValue *value;
  g_autofree char *rank_key = NULL;
  g_autofree char *score_key = NULL;
  g_autofree char *kept = NULL;

  set_value (f, rank, lan, "Vàng");
  set_value (f, score, lan + 1, "7");
  set_value (f, region, lan, "Bắc");

  /* Every field of the entity, in order, set or not; no other entity's. */
  values = crm_record_load_custom_values (f->store, CRM_FIELD_ENTITY_CONTACT, lan,
                                          "reading", &error);
  g_assert_no_error (error);
  g_assert_nonnull (values);
  g_assert_cmpuint (values->len, ==, 2);
  value = g_ptr_array_index (values, 0);
  g_assert_cmpint (value->field_id, ==, rank);
  g_assert_cmpstr (value->label, ==, "Hạng");
  g_assert_cmpstr (value->type, ==, "text");
  g_assert_cmpstr (value->value, ==, "Vàng");
  rank_key = g_strdup (value->key);
  value = g_ptr_array_index (values, 1);
  g_assert_cmpint (value->field_id, ==, score);
  g_assert_null (value->value);
  score_key = g_strdup (value->key);
  g_clear_pointer (&values, g_ptr_array_unref);

  /* Writing replaces them all; an empty value or an unknown key is not
   * written, and the values of companies stay. */
  g_hash_table_insert (custom, score_key, (gpointer) "42");
  g_hash_table_insert (custom, rank_key, (gpointer) "");
  g_hash_table_insert (custom, (gpointer) "no_such_field", (gpointer) "x");
  g_assert_true (crm_record_write_custom_values (f->store, CRM_FIELD_ENTITY_CONTACT, lan,
                                                 custom, "writing", &error));
  g_assert_no_error (error);
  values = crm_record_load_custom_values (f->store, CRM_FIELD_ENTITY_CONTACT, lan,
                                          "reading", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (values->len, ==, 2);
  g_assert_null (((CrmCustomValue *) g_ptr_array_index (values, 0))->value);
  g_assert_cmpstr (((CrmCustomValue *) g_ptr_array_index (values, 1))->value, ==, "42");
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM custom_value"), ==, 3);
  kept = query_text (f, "SELECT value FROM custom_value v JOIN custom_field f "
                        "ON f.id = v.field_id WHERE f.entity = 'company'");
  g_assert_cmpstr (kept, ==, "Bắc");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/fields/names", test_names);
  g_test_add_func ("/fields/normalize-value", test_normalize_value);
  ADD_TEST ("/fields/create", test_create);
  ADD_TEST ("/fields/update", test_update);
  ADD_TEST ("/fields/reorder", test_reorder);
  ADD_TEST ("/fields/count-and-delete", test_count_and_delete);
  ADD_TEST ("/fields/statuses/list", test_statuses_list);
  ADD_TEST ("/fields/statuses/add-rename", test_statuses_add_rename);
  ADD_TEST ("/fields/statuses/reorder", test_statuses_reorder);
  ADD_TEST ("/fields/statuses/delete", test_statuses_delete);
  ADD_TEST ("/fields/record/tags", test_record_tags);
  ADD_TEST ("/fields/record/custom-values", test_record_custom_values);

  return g_test_run ();
}
