/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "crm-company.h"
#include "crm-contact.h"
#include "crm-fields.h"
#include "crm-key.h"
#include "crm-normalize.h"
#include "crm-store.h"
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
  g_autoptr (GBytes) key = crm_key_generate (&error);
  g_autofree char *workspace = NULL;

  g_assert_no_error (error);
  f->dir = crm_test_make_dir ();
  workspace = g_build_filename (f->dir, "workspace", NULL);
  f->store = crm_store_create (workspace, key, &error);
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

/* A whole company row as text, to compare states. */
static char *
dump_company (Fixture *f,
              gint64   id)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT * FROM company WHERE id = %lld",
                                          (long long) id);
  sqlite3_stmt *stmt = crm_store_prepare (f->store, sql, &error);
  GString *dump = g_string_new (NULL);

  g_assert_no_error (error);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int c = 0; c < sqlite3_column_count (stmt); c++)
        g_string_append_printf (dump, "%s=%d:%s ", sqlite3_column_name (stmt, c),
                                sqlite3_column_type (stmt, c),
                                (const char *) sqlite3_column_text (stmt, c));
    }
  sqlite3_finalize (stmt);

  return g_string_free (dump, FALSE);
}

static gint64
save (Fixture          *f,
      CrmCompanyDraft  *draft,
      CrmUndo         **undo)
{
  g_autoptr (GError) error = NULL;
  gint64 id = crm_company_save (f->store, draft, undo, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static const CrmFieldProblem *
find_problem (GPtrArray  *problems,
              const char *field)
{
  for (guint i = 0; i < problems->len; i++)
    {
      const CrmFieldProblem *problem = g_ptr_array_index (problems, i);

      if (g_str_equal (problem->field, field))
        return problem;
    }

  return NULL;
}

static void
test_save_normalises (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr (CrmCompanyDraft) draft = crm_company_draft_new ();
  g_autoptr (CrmCompany) company = NULL;
  g_autoptr (GError) error = NULL;
  gint64 id;

  crm_company_draft_set_text (draft, "name", "  Công ty   TNHH Minh Phát ");
  crm_company_draft_set_text (draft, "tax_code", "0100 109 106");
  crm_company_draft_set_text (draft, "phone", "(028) 3822 1234");
  crm_company_draft_set_text (draft, "email", " Info@MinhPhat.VN ");
  crm_company_draft_set_text (draft, "website", "  https://minhphat.vn  ");
  crm_company_draft_set_text (draft, "province", " TP Hồ Chí Minh");
  crm_company_draft_set_text (draft, "industry", "");
  g_assert_false (crm_company_draft_set_text (draft, "no_such_field", "x"));
  id = save (f, draft, NULL);

  company = crm_company_load (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_company_get_id (company), ==, id);
  g_assert_cmpstr (crm_company_get_name (company), ==, "Công ty TNHH Minh Phát");
  g_assert_cmpstr (crm_company_get_tax_code (company), ==, "0100109106");
  g_assert_cmpstr (crm_company_get_phone (company), ==, "+842838221234");
  g_assert_cmpstr (crm_company_get_email (company), ==, "Info@minhphat.vn");
  g_assert_cmpstr (crm_company_get_website (company), ==, "https://minhphat.vn");
  g_assert_cmpstr (crm_company_get_province (company), ==, "TP Hồ Chí Minh");
  g_assert_null (crm_company_get_industry (company));
  g_assert_false (crm_company_get_archived (company));
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM audit_log WHERE entity = 'company' "
                                 "AND action = 'insert'"), ==, 1);

  /* A branch: 13 digits, typed without the dash. */
  crm_company_draft_set_text (draft, "name", "Minh Phát chi nhánh Hà Nội");
  crm_company_draft_set_text (draft, "tax_code", "0100109106001");
  id = save (f, draft, NULL);
  g_clear_object (&company);
  company = crm_company_load (f->store, id, &error);
  g_assert_cmpstr (crm_company_get_tax_code (company), ==, "0100109106-001");

  /* Duplicates by tax code. */
  {
    g_autofree char *name = NULL;

    g_assert_cmpint (crm_companies_find_by_tax_code (f->store, "0100109106", 0, &name, &error),
                     ==, 1);
    g_assert_cmpstr (name, ==, "Công ty TNHH Minh Phát");
    g_assert_cmpint (crm_companies_find_by_tax_code (f->store, "0100109106", 1, NULL, &error),
                     ==, 0);
    g_assert_no_error (error);
  }
}

static void
test_save_problems (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr (CrmCompanyDraft) draft = crm_company_draft_new ();
  g_autoptr (GPtrArray) problems = NULL;
  g_autoptr (GError) error = NULL;
  const CrmFieldProblem *problem;

  crm_company_draft_set_text (draft, "name", "   ");
  crm_company_draft_set_text (draft, "tax_code", "0100109107");
  crm_company_draft_set_text (draft, "phone", "0123");
  crm_company_draft_set_text (draft, "email", "info@");

  g_assert_false (crm_company_draft_validate (draft, &problems));
  g_assert_cmpuint (problems->len, ==, 4);
  g_assert_cmpstr (((CrmFieldProblem *) g_ptr_array_index (problems, 0))->field, ==, "name");
  problem = find_problem (problems, "tax_code");
  g_assert_nonnull (problem);
  g_assert_cmpstr (problem->value, ==, "0100109107");
  g_assert_nonnull (strstr (problem->message, "0100109107"));
  g_assert_nonnull (find_problem (problems, "phone"));
  g_assert_nonnull (find_problem (problems, "email"));

  /* Through save: the first problem, nothing written. */
  g_assert_cmpint (crm_company_save (f->store, draft, NULL, &error), ==, 0);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* A wrong check digit alone is still refused. */
  crm_company_draft_set_text (draft, "name", "Minh Phát");
  crm_company_draft_set_text (draft, "phone", NULL);
  crm_company_draft_set_text (draft, "email", NULL);
  g_assert_cmpint (crm_company_save (f->store, draft, NULL, &error), ==, 0);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "0100109107"));
  g_clear_error (&error);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM company"), ==, 0);

  /* Previews, as the editor shows them before saving. */
  {
    g_autofree char *tax = crm_company_normalize_value ("tax_code", "0100109106 - 001", &error);
    g_autofree char *bad = NULL;

    g_assert_no_error (error);
    g_assert_cmpstr (tax, ==, "0100109106-001");
    bad = crm_company_normalize_value ("tax_code", "MST 0100109106", &error);
    g_assert_null (bad);
    g_assert_error (error, CRM_NORMALIZE_ERROR, CRM_NORMALIZE_ERROR_INVALID);
  }

  crm_company_draft_set_text (draft, "tax_code", "0100109106");
  g_assert_true (crm_company_draft_validate (draft, NULL));
  g_assert_cmpint (crm_company_save (f->store, draft, NULL, NULL), >, 0);
}

static void
test_load_people_deals_interactions (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr (CrmCompanyDraft) draft = crm_company_draft_new ();
  g_autoptr (CrmCompany) company = NULL;
  g_autoptr (GError) error = NULL;
  GPtrArray *people, *deals, *interactions;
  gint64 id, an, binh, other;
  g_autofree char *sql = NULL;

  crm_company_draft_set_text (draft, "name", "Hòa Bình");
  id = save (f, draft, NULL);

  {
    g_autoptr (CrmContactDraft) person = crm_contact_draft_new ();

    crm_contact_draft_set_text (person, "family_name", "Trần");
    crm_contact_draft_set_text (person, "given_name", "Bình");
    crm_contact_draft_set_text (person, "job_title", "Kế toán");
    crm_contact_draft_add_phone (person, "0903 555 666", NULL);
    person->company_id = id;
    binh = crm_contact_save (f->store, person, NULL, &error);
    g_assert_no_error (error);

    crm_contact_draft_set_text (person, "given_name", "An");
    g_ptr_array_set_size (person->phones, 0);
    crm_contact_draft_add_email (person, "an@hoabinh.vn", NULL);
    an = crm_contact_save (f->store, person, NULL, &error);
    g_assert_no_error (error);

    person->company_id = 0;
    crm_contact_draft_set_text (person, "given_name", "Khác");
    other = crm_contact_save (f->store, person, NULL, &error);
    g_assert_no_error (error);
  }

  /* 25 interactions of its people, one of someone else's that is newer. */
  sql = g_strdup_printf ("WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                         "WHERE i < 25) INSERT INTO interaction (contact_id, kind, happened, "
                         "subject) SELECT CASE i %% 2 WHEN 0 THEN %lld ELSE %lld END, 'call', "
                         "1700000000 + i * 100, 'Cuộc gọi ' || i FROM n",
                         (long long) an, (long long) binh);
  exec (f, sql);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("INSERT INTO interaction (contact_id, kind, happened, subject) "
                         "VALUES (%lld, 'call', 1800000000, 'Người khác')", (long long) other);
  exec (f, sql);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("INSERT INTO deal (title, contact_id, company_id, stage_id, value, "
                         "status) VALUES "
                         "('Thắng', %1$lld, %2$lld, (SELECT id FROM stage WHERE name = 'Won'), "
                         " 5000000, 'won'), "
                         "('Đang bàn', %1$lld, %2$lld, "
                         " (SELECT id FROM stage WHERE name = 'Qualified'), 7000000, 'open'), "
                         "('Của công ty khác', %1$lld, NULL, 1, 1, 'open')",
                         (long long) an, (long long) id);
  exec (f, sql);

  company = crm_company_load (f->store, id, &error);
  g_assert_no_error (error);

  people = crm_company_get_people (company);
  g_assert_cmpuint (people->len, ==, 2);
  /* By given name, the Vietnamese way: An before Bình. */
  g_assert_cmpint (((CrmCompanyPerson *) g_ptr_array_index (people, 0))->id, ==, an);
  g_assert_cmpstr (((CrmCompanyPerson *) g_ptr_array_index (people, 0))->email, ==,
                   "an@hoabinh.vn");
  g_assert_cmpstr (((CrmCompanyPerson *) g_ptr_array_index (people, 1))->display_name, ==,
                   "Trần Bình");
  g_assert_cmpstr (((CrmCompanyPerson *) g_ptr_array_index (people, 1))->phone, ==,
                   "+84903555666");
  g_assert_cmpstr (((CrmCompanyPerson *) g_ptr_array_index (people, 1))->job_title, ==,
                   "Kế toán");

  deals = crm_company_get_deals (company);
  g_assert_cmpuint (deals->len, ==, 2);
  g_assert_cmpstr (((CrmDealSummary *) g_ptr_array_index (deals, 0))->title, ==, "Đang bàn");
  g_assert_cmpstr (((CrmDealSummary *) g_ptr_array_index (deals, 0))->stage, ==, "Qualified");
  g_assert_cmpstr (((CrmDealSummary *) g_ptr_array_index (deals, 0))->contact_name, ==,
                   "Trần An");
  g_assert_cmpstr (((CrmDealSummary *) g_ptr_array_index (deals, 1))->status, ==, "won");

  interactions = crm_company_get_recent_interactions (company);
  g_assert_cmpuint (interactions->len, ==, CRM_COMPANY_RECENT_INTERACTIONS);
  g_assert_cmpstr (((CrmInteractionSummary *) g_ptr_array_index (interactions, 0))->subject, ==,
                   "Cuộc gọi 25");
  g_assert_cmpstr (((CrmInteractionSummary *) g_ptr_array_index (interactions, 0))->contact_name,
                   ==, "Trần Bình");
  g_assert_cmpstr (((CrmInteractionSummary *) g_ptr_array_index (interactions, 19))->subject, ==,
                   "Cuộc gọi 6");

  /* The export holds the same. */
  {
    g_autofree char *text = crm_company_export_json (f->store, id, &error);
    g_autoptr (JsonParser) parser = json_parser_new ();
    JsonObject *root;

    g_assert_no_error (error);
    g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
    root = json_node_get_object (json_parser_get_root (parser));
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root,
                                                                                   "company"),
                                                    "name"), ==, "Hòa Bình");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "people")), ==,
                      2);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "deals")), ==,
                      2);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root,
                                                                           "recent_interactions")),
                      ==, CRM_COMPANY_RECENT_INTERACTIONS);
  }

  g_clear_object (&company);
  company = crm_company_load (f->store, 999, &error);
  g_assert_null (company);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
}

static void
test_undo (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr (CrmCompanyDraft) draft = crm_company_draft_new ();
  g_autoptr (CrmCompanyDraft) edit = NULL;
  g_autoptr (CrmCompany) company = NULL;
  g_autoptr (CrmUndo) create = NULL;
  g_autoptr (CrmUndo) update = NULL;
  g_autoptr (CrmUndo) archive = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *restored = NULL;
  gint64 id;

  crm_company_draft_set_text (draft, "name", "Sao Mai");
  crm_company_draft_set_text (draft, "tax_code", "0100109106");
  id = save (f, draft, &create);
  exec (f, "UPDATE company SET updated = updated - 10");
  before = dump_company (f, id);

  company = crm_company_load (f->store, id, &error);
  edit = crm_company_draft_new_from_company (company);
  g_assert_cmpstr (edit->tax_code, ==, "0100109106");
  crm_company_draft_set_text (edit, "name", "Sao Mai Group");
  crm_company_draft_set_text (edit, "tax_code", NULL);
  crm_company_draft_set_text (edit, "website", "saomai.vn");
  g_assert_cmpint (save (f, edit, &update), ==, id);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM company WHERE name = 'Sao Mai Group' "
                                 "AND tax_code IS NULL"), ==, 1);

  g_assert_true (crm_undo_apply (update, f->store, &error));
  g_assert_no_error (error);
  restored = dump_company (f, id);
  g_assert_cmpstr (restored, ==, before);

  g_assert_true (crm_company_set_archived (f->store, id, TRUE, &archive, &error));
  g_assert_cmpint (query_int (f, "SELECT archived FROM company"), ==, 1);
  g_assert_true (crm_undo_apply (archive, f->store, &error));
  g_clear_pointer (&restored, g_free);
  restored = dump_company (f, id);
  g_assert_cmpstr (restored, ==, before);

  g_assert_cmpstr (crm_undo_get_entity (create), ==, "company");
  g_assert_true (crm_undo_apply (create, f->store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM company"), ==, 0);

  g_assert_false (crm_company_set_archived (f->store, id, TRUE, NULL, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
}

/* Custom fields of companies */

typedef struct
{
  char *text;
  char *number;
  char *date;
  char *choice;
  char *yes_no;
} CustomKeys;

static char *
add_field (Fixture            *f,
           CrmFieldEntity      entity,
           const char         *label,
           CrmFieldType        type,
           const char *const  *options)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmCustomField) field = NULL;
  gint64 id = crm_custom_field_create (f->store, entity, label, type, options, &error);

  g_assert_no_error (error);
  field = crm_custom_field_load (f->store, id, &error);
  g_assert_no_error (error);
  return g_strdup (field->key);
}

/* One field of each type for companies, and a contact field with the same
 * label that companies must not see. */
static void
add_company_fields (Fixture    *f,
                    CustomKeys *keys)
{
  const char *const tiers[] = { "Vàng", "Bạc", "Đồng", NULL };
  g_autofree char *contact_key = NULL;

  keys->text = add_field (f, CRM_FIELD_ENTITY_COMPANY, "Ghi chú đối tác", CRM_FIELD_TYPE_TEXT,
                          NULL);
  keys->number = add_field (f, CRM_FIELD_ENTITY_COMPANY, "Doanh thu năm", CRM_FIELD_TYPE_NUMBER,
                            NULL);
  keys->date = add_field (f, CRM_FIELD_ENTITY_COMPANY, "Ngày ký hợp đồng", CRM_FIELD_TYPE_DATE,
                          NULL);
  keys->choice = add_field (f, CRM_FIELD_ENTITY_COMPANY, "Hạng", CRM_FIELD_TYPE_CHOICE, tiers);
  keys->yes_no = add_field (f, CRM_FIELD_ENTITY_COMPANY, "Đã xác minh", CRM_FIELD_TYPE_BOOL,
                            NULL);
  contact_key = add_field (f, CRM_FIELD_ENTITY_CONTACT, "Hạng", CRM_FIELD_TYPE_TEXT, NULL);
  g_assert_cmpstr (contact_key, ==, keys->choice);
}

static void
custom_keys_clear (CustomKeys *keys)
{
  g_free (keys->text);
  g_free (keys->number);
  g_free (keys->date);
  g_free (keys->choice);
  g_free (keys->yes_no);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CustomKeys, custom_keys_clear)

static void
test_custom_round_trip (Fixture       *f,
                        gconstpointer  data)
{
  g_auto (CustomKeys) keys = { NULL };
  g_autoptr (CrmCompanyDraft) draft = crm_company_draft_new ();
  g_autoptr (CrmCompanyDraft) again = NULL;
  g_autoptr (CrmCompany) company = NULL;
  g_autoptr (GError) error = NULL;
  GPtrArray *values;
  gint64 id;

  add_company_fields (f, &keys);

  crm_company_draft_set_text (draft, "name", "Công ty Sao Mai");
  crm_company_draft_set_custom (draft, keys.text, "  Đối tác chiến lược  ");
  crm_company_draft_set_custom (draft, keys.number, "1.500.000");
  crm_company_draft_set_custom (draft, keys.date, "22/11/2026");
  crm_company_draft_set_custom (draft, keys.choice, "vang");
  crm_company_draft_set_custom (draft, keys.yes_no, "Có");
  g_assert_true (crm_company_draft_validate_in (draft, f->store, NULL));
  id = save (f, draft, NULL);

  company = crm_company_load (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (crm_company_get_custom_value (company, keys.text), ==, "Đối tác chiến lược");
  g_assert_cmpstr (crm_company_get_custom_value (company, keys.number), ==, "1500000");
  g_assert_cmpstr (crm_company_get_custom_value (company, keys.date), ==, "2026-11-22");
  g_assert_cmpstr (crm_company_get_custom_value (company, keys.choice), ==, "Vàng");
  g_assert_cmpstr (crm_company_get_custom_value (company, keys.yes_no), ==, "1");
  g_assert_null (crm_company_get_custom_value (company, "khong_co"));

  /* Only the fields of companies, in their order, with their types. */
  values = crm_company_get_custom_values (company);
  g_assert_cmpuint (values->len, ==, 5);
  g_assert_cmpstr (((CrmCustomValue *) values->pdata[0])->label, ==, "Ghi chú đối tác");
  g_assert_cmpstr (((CrmCustomValue *) values->pdata[1])->type, ==, "number");
  g_assert_cmpstr (((CrmCustomValue *) values->pdata[3])->type, ==, "choice");
  g_assert_cmpstr (((CrmCustomValue *) values->pdata[4])->type, ==, "bool");
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM custom_value"), ==, 5);

  /* A draft made from the company saves the same values again. */
  again = crm_company_draft_new_from_company (company);
  g_assert_cmpstr (g_hash_table_lookup (again->custom, keys.date), ==, "2026-11-22");
  crm_company_draft_set_custom (again, keys.yes_no, "không");
  g_assert_cmpint (save (f, again, NULL), ==, id);
  g_clear_object (&company);
  company = crm_company_load (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (crm_company_get_custom_value (company, keys.yes_no), ==, "0");
  g_assert_cmpstr (crm_company_get_custom_value (company, keys.choice), ==, "Vàng");
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM custom_value"), ==, 5);
}

static void
test_custom_problems (Fixture       *f,
                      gconstpointer  data)
{
  g_auto (CustomKeys) keys = { NULL };
  g_autoptr (CrmCompanyDraft) draft = crm_company_draft_new ();
  g_autoptr (GPtrArray) problems = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *number_field = NULL;
  g_autofree char *date_field = NULL;
  g_autofree char *choice_field = NULL;
  g_autofree char *yes_no_field = NULL;
  const CrmFieldProblem *problem;

  add_company_fields (f, &keys);
  number_field = g_strconcat ("custom:", keys.number, NULL);
  date_field = g_strconcat ("custom:", keys.date, NULL);
  choice_field = g_strconcat ("custom:", keys.choice, NULL);
  yes_no_field = g_strconcat ("custom:", keys.yes_no, NULL);

  crm_company_draft_set_text (draft, "name", "Công ty Sao Mai");
  crm_company_draft_set_custom (draft, keys.number, "nhiều");
  crm_company_draft_set_custom (draft, keys.date, "31/02/2026");
  crm_company_draft_set_custom (draft, keys.choice, "Kim cương");
  crm_company_draft_set_custom (draft, keys.yes_no, "có lẽ");
  crm_company_draft_set_custom (draft, "khong_co", "gì đó");

  /* Without the workspace the types are not known. */
  g_assert_true (crm_company_draft_validate (draft, NULL));

  g_assert_false (crm_company_draft_validate_in (draft, f->store, &problems));
  g_assert_cmpuint (problems->len, ==, 5);
  problem = find_problem (problems, number_field);
  g_assert_nonnull (problem);
  g_assert_cmpint (problem->index, ==, -1);
  g_assert_cmpstr (problem->value, ==, "nhiều");
  g_assert_cmpstr (problem->message, ==, "The field “Doanh thu năm” needs a number, not “nhiều”");
  problem = find_problem (problems, date_field);
  g_assert_nonnull (problem);
  g_assert_nonnull (strstr (problem->message, "Ngày ký hợp đồng"));
  problem = find_problem (problems, choice_field);
  g_assert_nonnull (problem);
  g_assert_cmpstr (problem->message, ==,
                   "“Kim cương” is not one of the choices of the field “Hạng”");
  problem = find_problem (problems, yes_no_field);
  g_assert_nonnull (problem);
  g_assert_nonnull (strstr (problem->message, "Đã xác minh"));
  problem = find_problem (problems, "custom:khong_co");
  g_assert_nonnull (problem);
  g_assert_cmpstr (problem->message, ==, "There is no custom field “khong_co”");

  /* A save refuses the draft, names the field and writes nothing. */
  g_hash_table_remove_all (draft->custom);
  crm_company_draft_set_custom (draft, keys.number, "nhiều");
  g_assert_cmpint (crm_company_save (f->store, draft, NULL, &error), ==, 0);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Doanh thu năm"));
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM company"), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM custom_value"), ==, 0);
}

static void
test_custom_clear_and_undo (Fixture       *f,
                            gconstpointer  data)
{
  g_auto (CustomKeys) keys = { NULL };
  g_autoptr (CrmCompanyDraft) draft = crm_company_draft_new ();
  g_autoptr (CrmCompanyDraft) edit = NULL;
  g_autoptr (CrmCompany) company = NULL;
  g_autoptr (CrmUndo) create = NULL;
  g_autoptr (CrmUndo) update = NULL;
  g_autoptr (GError) error = NULL;
  gint64 id;

  add_company_fields (f, &keys);
  crm_company_draft_set_text (draft, "name", "Công ty Sao Mai");
  crm_company_draft_set_custom (draft, keys.text, "Đối tác");
  crm_company_draft_set_custom (draft, keys.choice, "Bạc");
  id = save (f, draft, &create);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM custom_value"), ==, 2);

  /* Blank text clears a value; a contact with the same id keeps its own. */
  exec (f, "INSERT INTO contact (id, given_name, display_name) VALUES (1, 'An', 'An')");
  exec (f, "INSERT INTO custom_value (field_id, entity_id, value) "
           "SELECT id, 1, 'Vàng' FROM custom_field WHERE entity = 'contact'");
  company = crm_company_load (f->store, id, &error);
  g_assert_no_error (error);
  edit = crm_company_draft_new_from_company (company);
  crm_company_draft_set_custom (edit, keys.text, "   ");
  crm_company_draft_set_custom (edit, keys.choice, NULL);
  g_assert_cmpint (save (f, edit, &update), ==, id);
  g_clear_object (&company);
  company = crm_company_load (f->store, id, &error);
  g_assert_null (crm_company_get_custom_value (company, keys.text));
  g_assert_null (crm_company_get_custom_value (company, keys.choice));
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM custom_value v "
                                 "JOIN custom_field cf ON cf.id = v.field_id "
                                 "WHERE cf.entity = 'company'"), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM custom_value"), ==, 1);

  /* Undo puts the values back; undoing the creation takes them away. */
  g_assert_true (crm_undo_apply (update, f->store, &error));
  g_assert_no_error (error);
  g_clear_object (&company);
  company = crm_company_load (f->store, id, &error);
  g_assert_cmpstr (crm_company_get_custom_value (company, keys.text), ==, "Đối tác");
  g_assert_cmpstr (crm_company_get_custom_value (company, keys.choice), ==, "Bạc");

  g_assert_true (crm_undo_apply (create, f->store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM company"), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM custom_value"), ==, 1);
}

static void
test_custom_export (Fixture       *f,
                    gconstpointer  data)
{
  g_auto (CustomKeys) keys = { NULL };
  g_autoptr (CrmCompanyDraft) draft = crm_company_draft_new ();
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL;
  JsonObject *root;
  JsonArray *custom;
  JsonObject *first;
  gint64 id;

  add_company_fields (f, &keys);
  crm_company_draft_set_text (draft, "name", "Công ty Sao Mai");
  crm_company_draft_set_custom (draft, keys.number, "2500000,5");
  crm_company_draft_set_custom (draft, keys.yes_no, "yes");
  id = save (f, draft, NULL);

  json = crm_company_export_json (f->store, id, &error);
  g_assert_no_error (error);
  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, "rapport-company");

  /* Only the values that are set, each with its field. */
  custom = json_object_get_array_member (root, "custom_fields");
  g_assert_nonnull (custom);
  g_assert_cmpuint (json_array_get_length (custom), ==, 2);
  first = json_array_get_object_element (custom, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "key"), ==, keys.number);
  g_assert_cmpstr (json_object_get_string_member (first, "label"), ==, "Doanh thu năm");
  g_assert_cmpstr (json_object_get_string_member (first, "type"), ==, "number");
  g_assert_cmpstr (json_object_get_string_member (first, "value"), ==, "2500000.5");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (custom, 1),
                                                  "value"), ==, "1");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/company/save/normalises", test_save_normalises);
  ADD ("/company/save/problems", test_save_problems);
  ADD ("/company/load", test_load_people_deals_interactions);
  ADD ("/company/undo", test_undo);
  ADD ("/company/custom/round-trip", test_custom_round_trip);
  ADD ("/company/custom/problems", test_custom_problems);
  ADD ("/company/custom/clear-and-undo", test_custom_clear_and_undo);
  ADD ("/company/custom/export", test_custom_export);

#undef ADD

  return g_test_run ();
}
