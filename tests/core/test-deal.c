/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "crm-contacts.h"
#include "crm-deal.h"
#include "crm-fields.h"
#include "crm-key.h"
#include "crm-test-util.h"

#define NOW G_GINT64_CONSTANT (1795000000)

typedef struct
{
  char     *dir;
  CrmStore *store;
  guint     n_changed;
} Fixture;

static void
on_changed (CrmStore   *store,
            const char *entity,
            gint64      id,
            Fixture    *f)
{
  if (g_strcmp0 (entity, "deal") == 0)
    f->n_changed++;
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
  g_signal_connect (f->store, "changed", G_CALLBACK (on_changed), f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  crm_test_remove_tree (f->dir);
  g_free (f->dir);
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
stage_id (Fixture    *f,
          const char *name)
{
  g_autofree char *sql = g_strdup_printf ("SELECT id FROM stage WHERE name = '%s'", name);

  return query_int (f, sql);
}

static gboolean
has_problem (GPtrArray  *problems,
             const char *field)
{
  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      CrmFieldProblem *problem = g_ptr_array_index (problems, i);

      if (g_strcmp0 (problem->field, field) == 0)
        {
          g_assert_nonnull (problem->message);
          return TRUE;
        }
    }
  return FALSE;
}

static void
test_parse_value (void)
{
  static const struct
  {
    const char *text;
    const char *currency;
    gint64      minor;
  } good[] = {
    { "12.500.000", "VND", 12500000 },
    { "12,500,000", "VND", 12500000 },
    { "12 500 000", "VND", 12500000 },
    { "", "VND", 0 },
    { "1,234.50", "USD", 123450 },
    { "1.234,5", "EUR", 123450 },
    { "1,234", "USD", 123400 },
    { "0.99", "USD", 99 },
    { "15000", "JPY", 15000 },
  };
  static const struct
  {
    const char *text;
    const char *currency;
  } bad[] = {
    { "12abc", "VND" },
    { "-5", "VND" },
    { "1.2.3x", "USD" },
    { ".", "USD" },
    { "9999999999999999", "VND" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr (GError) error = NULL;
      gint64 minor = -1;

      g_assert_true (crm_deal_parse_value (good[i].text, good[i].currency, &minor, &error));
      g_assert_no_error (error);
      g_assert_cmpint (minor, ==, good[i].minor);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      gint64 minor = -1;

      g_assert_false (crm_deal_parse_value (bad[i].text, bad[i].currency, &minor, &error));
      g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, bad[i].text));
      g_assert_cmpint (minor, ==, -1);
    }
}

static void
test_validate (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr (CrmDealDraft) draft = crm_deal_draft_new ();
  g_autoptr (GPtrArray) problems = NULL;
  g_autoptr (GError) error = NULL;

  draft->title = g_strdup ("   ");
  draft->value = g_strdup ("abc");
  draft->expected_close = g_strdup ("31/02/2027");
  draft->stage_id = stage_id (f, "Lost");

  g_assert_false (crm_deal_draft_validate (draft, f->store, NULL));
  g_assert_cmpint (crm_deal_save (f->store, draft, NOW, &problems, &error), ==, 0);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_assert_nonnull (problems);
  g_assert_true (has_problem (problems, "title"));
  g_assert_true (has_problem (problems, "value"));
  g_assert_true (has_problem (problems, "expected_close"));
  g_assert_true (has_problem (problems, "lost_reason"));
  g_assert_false (has_problem (problems, "stage"));
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM deal"), ==, 0);
  g_assert_cmpuint (f->n_changed, ==, 0);

  g_clear_pointer (&problems, g_ptr_array_unref);
  g_free (draft->currency);
  draft->currency = g_strdup ("usd");
  draft->stage_id = 999999;
  g_assert_false (crm_deal_draft_validate (draft, f->store, &problems));
  g_assert_true (has_problem (problems, "currency"));
  g_assert_true (has_problem (problems, "stage"));
}

static void
test_create_and_update (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr (CrmDealDraft) draft = crm_deal_draft_new ();
  g_autoptr (CrmDealDraft) loaded = NULL;
  g_autoptr (CrmDealDraft) second = crm_deal_draft_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *changes = NULL;
  gint64 new_lead = stage_id (f, "New lead");
  gint64 won = stage_id (f, "Won");
  gint64 id, id2;

  draft->title = g_strdup (" Phần mềm kế toán ");
  draft->value = g_strdup ("1,234.50");
  g_free (draft->currency);
  draft->currency = g_strdup ("USD");
  draft->stage_id = new_lead;
  draft->expected_close = g_strdup ("15/12/2026");
  draft->owner = g_strdup ("Lan");
  draft->notes = g_strdup ("Gọi lại thứ Hai");

  id = crm_deal_save (f->store, draft, NOW, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpuint (f->n_changed, ==, 1);

  second->title = g_strdup ("Second");
  second->stage_id = new_lead;
  id2 = crm_deal_save (f->store, second, NOW, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f, "SELECT count(DISTINCT position) FROM deal"), ==, 2);

  loaded = crm_deal_draft_load (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->title, ==, "Phần mềm kế toán");
  g_assert_cmpstr (loaded->value, ==, "1234.50");
  g_assert_cmpstr (loaded->currency, ==, "USD");
  g_assert_cmpstr (loaded->expected_close, ==, "2026-12-15");
  g_assert_cmpstr (loaded->owner, ==, "Lan");
  g_assert_cmpint (loaded->stage_id, ==, new_lead);
  g_assert_cmpint (query_int (f, "SELECT value FROM deal ORDER BY id LIMIT 1"), ==, 123450);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM audit_log WHERE entity = 'deal' "
                                 "AND action = 'insert'"), ==, 2);

  /* Saving the loaded draft to a won stage closes it, audited as one update. */
  loaded->stage_id = won;
  g_free (loaded->value);
  loaded->value = g_strdup ("2000");
  g_assert_cmpint (crm_deal_save (f->store, loaded, NOW + 60, NULL, &error), ==, id);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f, "SELECT closed FROM deal ORDER BY id LIMIT 1"), ==, NOW + 60);
  g_assert_cmpint (query_int (f, "SELECT stage_entered FROM deal ORDER BY id LIMIT 1"), ==,
                   NOW + 60);
  g_assert_cmpint (query_int (f, "SELECT value FROM deal ORDER BY id LIMIT 1"), ==, 200000);
  changes = query_text (f, "SELECT status FROM deal ORDER BY id LIMIT 1");
  g_assert_cmpstr (changes, ==, "won");
  g_clear_pointer (&changes, g_free);
  changes = query_text (f, "SELECT changes FROM audit_log WHERE entity = 'deal' "
                           "AND action = 'update' ORDER BY id DESC LIMIT 1");
  g_assert_nonnull (strstr (changes, "stage_id"));
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM audit_log WHERE entity = 'deal' "
                                 "AND action = 'update'"), ==, 1);
  g_assert_cmpuint (f->n_changed, ==, 3);

  /* A deal removed meanwhile is an error, not a new row. */
  crm_store_exec (f->store, "DELETE FROM deal WHERE id = (SELECT max(id) FROM deal)", &error);
  g_assert_no_error (error);
  second->id = id2;
  g_assert_cmpint (crm_deal_save (f->store, second, NOW, NULL, &error), ==, 0);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM deal"), ==, 1);
}

/* Makes a deal custom field and returns its key. */
static char *
make_field (Fixture           *f,
            CrmFieldEntity     entity,
            const char        *label,
            CrmFieldType       type,
            const char *const *options)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmCustomField) field = NULL;
  gint64 id = crm_custom_field_create (f->store, entity, label, type, options, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  field = crm_custom_field_load (f->store, id, &error);
  g_assert_no_error (error);
  return g_strdup (field->key);
}

static gint64
save_ok (Fixture      *f,
         CrmDealDraft *draft)
{
  g_autoptr (GPtrArray) problems = NULL;
  g_autoptr (GError) error = NULL;
  gint64 id = crm_deal_save (f->store, draft, NOW, &problems, &error);

  g_assert_no_error (error);
  g_assert_null (problems);
  g_assert_cmpint (id, >, 0);
  return id;
}

static CrmDealDraft *
load_ok (Fixture *f,
         gint64   id)
{
  g_autoptr (GError) error = NULL;
  CrmDealDraft *draft = crm_deal_draft_load (f->store, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (draft);
  return draft;
}

static gint64
add_company (Fixture    *f,
             const char *name,
             const char *tax_code)
{
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt = crm_store_prepare (f->store, "INSERT INTO company (name, tax_code) "
                                                    "VALUES (?1, ?2)", &error);

  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, tax_code, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  return sqlite3_last_insert_rowid (crm_store_get_db (f->store));
}

static void
test_custom_values (Fixture       *f,
                    gconstpointer  data)
{
  static const char *const tiers[] = { "Vàng", "Bạc", NULL };
  g_autofree char *text_key = make_field (f, CRM_FIELD_ENTITY_DEAL, "Nguồn vốn",
                                          CRM_FIELD_TYPE_TEXT, NULL);
  g_autofree char *number_key = make_field (f, CRM_FIELD_ENTITY_DEAL, "Số lượng",
                                            CRM_FIELD_TYPE_NUMBER, NULL);
  g_autofree char *date_key = make_field (f, CRM_FIELD_ENTITY_DEAL, "Ngày ký",
                                          CRM_FIELD_TYPE_DATE, NULL);
  g_autofree char *choice_key = make_field (f, CRM_FIELD_ENTITY_DEAL, "Hạng",
                                            CRM_FIELD_TYPE_CHOICE, tiers);
  g_autofree char *bool_key = make_field (f, CRM_FIELD_ENTITY_DEAL, "Đã ký",
                                          CRM_FIELD_TYPE_BOOL, NULL);
  /* A contact field with the same key as a deal one stays apart. */
  g_autofree char *contact_key = make_field (f, CRM_FIELD_ENTITY_CONTACT, "Nguồn vốn",
                                             CRM_FIELD_TYPE_TEXT, NULL);
  g_autoptr (CrmDealDraft) draft = crm_deal_draft_new ();
  g_autoptr (CrmDealDraft) loaded = NULL;
  g_autoptr (CrmDealDraft) again = NULL;
  g_autoptr (CrmDealDraft) reused = NULL;
  g_autoptr (CrmDealDraft) fresh = crm_deal_draft_new ();
  g_autoptr (GError) error = NULL;
  gint64 id, reused_id;

  g_assert_cmpstr (contact_key, ==, text_key);

  draft->title = g_strdup ("Máy lọc nước");
  draft->stage_id = stage_id (f, "New lead");
  crm_deal_draft_set_custom (draft, text_key, "  Vay ngân hàng ");
  crm_deal_draft_set_custom (draft, number_key, "1.234,5");
  crm_deal_draft_set_custom (draft, date_key, "15/12/2026");
  crm_deal_draft_set_custom (draft, choice_key, "vang");
  crm_deal_draft_set_custom (draft, bool_key, "có");
  id = save_ok (f, draft);

  loaded = load_ok (f, id);
  g_assert_cmpuint (g_hash_table_size (loaded->custom), ==, 5);
  g_assert_cmpstr (g_hash_table_lookup (loaded->custom, text_key), ==, "Vay ngân hàng");
  g_assert_cmpstr (g_hash_table_lookup (loaded->custom, number_key), ==, "1234.5");
  g_assert_cmpstr (g_hash_table_lookup (loaded->custom, date_key), ==, "2026-12-15");
  g_assert_cmpstr (g_hash_table_lookup (loaded->custom, choice_key), ==, "Vàng");
  g_assert_cmpstr (g_hash_table_lookup (loaded->custom, bool_key), ==, "1");
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM custom_value"), ==, 5);

  /* "" clears a value; a loaded draft saved as it is keeps the rest. */
  crm_deal_draft_set_custom (loaded, text_key, "");
  crm_deal_draft_set_custom (loaded, bool_key, "không");
  g_assert_cmpint (save_ok (f, loaded), ==, id);
  again = load_ok (f, id);
  g_assert_cmpuint (g_hash_table_size (again->custom), ==, 4);
  g_assert_null (g_hash_table_lookup (again->custom, text_key));
  g_assert_cmpstr (g_hash_table_lookup (again->custom, bool_key), ==, "0");
  g_assert_cmpstr (g_hash_table_lookup (again->custom, date_key), ==, "2026-12-15");

  /* A draft without a custom table leaves the stored values alone. */
  g_clear_pointer (&again->custom, g_hash_table_unref);
  g_assert_cmpint (save_ok (f, again), ==, id);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM custom_value"), ==, 4);

  /* A new deal that gets the id of a deleted one starts without values. */
  g_assert_true (crm_store_exec (f->store, "DELETE FROM deal", &error));
  g_assert_no_error (error);
  fresh->title = g_strdup ("Bình nóng lạnh");
  fresh->stage_id = stage_id (f, "New lead");
  reused_id = save_ok (f, fresh);
  g_assert_cmpint (reused_id, ==, id);
  reused = load_ok (f, reused_id);
  g_assert_cmpuint (g_hash_table_size (reused->custom), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM custom_value"), ==, 0);
}

static void
test_custom_invalid (Fixture       *f,
                     gconstpointer  data)
{
  static const char *const tiers[] = { "Vàng", "Bạc", NULL };
  g_autofree char *number_key = make_field (f, CRM_FIELD_ENTITY_DEAL, "Số lượng",
                                            CRM_FIELD_TYPE_NUMBER, NULL);
  g_autofree char *date_key = make_field (f, CRM_FIELD_ENTITY_DEAL, "Ngày ký",
                                          CRM_FIELD_TYPE_DATE, NULL);
  g_autofree char *choice_key = make_field (f, CRM_FIELD_ENTITY_DEAL, "Hạng",
                                            CRM_FIELD_TYPE_CHOICE, tiers);
  g_autofree char *bool_key = make_field (f, CRM_FIELD_ENTITY_DEAL, "Đã ký",
                                          CRM_FIELD_TYPE_BOOL, NULL);
  g_autofree char *contact_only = make_field (f, CRM_FIELD_ENTITY_CONTACT, "Sở thích",
                                              CRM_FIELD_TYPE_TEXT, NULL);
  g_autoptr (CrmDealDraft) draft = crm_deal_draft_new ();
  g_autoptr (GPtrArray) problems = NULL;
  g_autoptr (GError) error = NULL;
  static const struct
  {
    const char *label;
    const char *text;
  } expected[] = {
    { "Số lượng", "mười" },
    { "Ngày ký", "31/02/2027" },
    { "Hạng", "Kim cương" },
    { "Đã ký", "có lẽ" },
  };
  const char *keys[G_N_ELEMENTS (expected)];

  keys[0] = number_key;
  keys[1] = date_key;
  keys[2] = choice_key;
  keys[3] = bool_key;

  draft->title = g_strdup ("Máy lọc nước");
  draft->stage_id = stage_id (f, "New lead");
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    crm_deal_draft_set_custom (draft, keys[i], expected[i].text);
  /* A contact's field is not a deal's. */
  crm_deal_draft_set_custom (draft, contact_only, "Đọc sách");

  g_assert_cmpint (crm_deal_save (f->store, draft, NOW, &problems, &error), ==, 0);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_assert_nonnull (problems);
  g_assert_cmpuint (problems->len, ==, G_N_ELEMENTS (expected) + 1);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *field = g_strconcat ("custom:", keys[i], NULL);
      gboolean found = FALSE;

      for (guint k = 0; k < problems->len; k++)
        {
          CrmFieldProblem *problem = g_ptr_array_index (problems, k);

          if (g_strcmp0 (problem->field, field) != 0)
            continue;
          found = TRUE;
          g_assert_cmpstr (problem->value, ==, expected[i].text);
          g_assert_nonnull (strstr (problem->message, expected[i].label));
          g_assert_nonnull (strstr (problem->message, expected[i].text));
        }
      g_assert_true (found);
    }
  {
    g_autofree char *field = g_strconcat ("custom:", contact_only, NULL);

    g_assert_true (has_problem (problems, field));
  }
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM deal"), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM custom_value"), ==, 0);
  g_assert_cmpuint (f->n_changed, ==, 0);
}

static void
test_tags (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr (CrmDealDraft) draft = crm_deal_draft_new ();
  g_autoptr (CrmDealDraft) loaded = NULL;
  g_autoptr (CrmDealDraft) kept = NULL;
  g_autoptr (CrmDealDraft) cleared = NULL;
  g_autoptr (GError) error = NULL;
  gint64 id;

  /* A tag that exists, in another case, is the same tag. */
  g_assert_true (crm_store_exec (f->store, "INSERT INTO tag (name) VALUES ('VIP')", &error));
  g_assert_no_error (error);

  draft->title = g_strdup ("Máy lọc nước");
  draft->stage_id = stage_id (f, "New lead");
  crm_deal_draft_add_tag (draft, " vip ");
  crm_deal_draft_add_tag (draft, "Khách   lớn");
  crm_deal_draft_add_tag (draft, "khách lớn");
  crm_deal_draft_add_tag (draft, "   ");
  crm_deal_draft_add_tag (draft, "Đà Nẵng");
  id = save_ok (f, draft);

  loaded = load_ok (f, id);
  g_assert_cmpuint (loaded->tags->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (loaded->tags, 0), ==, "Đà Nẵng");
  g_assert_cmpstr (g_ptr_array_index (loaded->tags, 1), ==, "Khách lớn");
  g_assert_cmpstr (g_ptr_array_index (loaded->tags, 2), ==, "VIP");
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM tag"), ==, 3);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM deal_tag"), ==, 3);

  /* Without a tag list the tags stay; an empty list clears them. */
  g_clear_pointer (&loaded->tags, g_ptr_array_unref);
  g_assert_cmpint (save_ok (f, loaded), ==, id);
  kept = load_ok (f, id);
  g_assert_cmpuint (kept->tags->len, ==, 3);

  g_ptr_array_set_size (kept->tags, 0);
  g_assert_cmpint (save_ok (f, kept), ==, id);
  cleared = load_ok (f, id);
  g_assert_cmpuint (cleared->tags->len, ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM deal_tag"), ==, 0);
  /* The tags themselves stay for the next deal or contact. */
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM tag"), ==, 3);
}

static void
test_contact_and_company (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr (CrmDealDraft) draft = crm_deal_draft_new ();
  g_autoptr (CrmDealDraft) loaded = NULL;
  g_autoptr (GPtrArray) problems = NULL;
  g_autoptr (GPtrArray) found = NULL;
  g_autoptr (CrmDealParty) party = NULL;
  g_autoptr (GError) error = NULL;
  CrmNewContact contacts[] = {
    { .given_name = "Đức", .middle_name = "Văn", .family_name = "Nguyễn" },
    { .given_name = "An", .middle_name = "Thị", .family_name = "Trần" },
  };
  gint64 company, other_company, duc, an, id;

  company = add_company (f, "Công ty Cổ phần Ánh Dương", "0312345678");
  other_company = add_company (f, "Hải Âu Logistics", NULL);
  contacts[0].company_id = company;
  g_assert_true (crm_contacts_add_many (f->store, contacts, G_N_ELEMENTS (contacts), NULL,
                                        &error));
  g_assert_no_error (error);
  duc = query_int (f, "SELECT id FROM contact WHERE given_name = 'Đức'");
  an = query_int (f, "SELECT id FROM contact WHERE given_name = 'An'");

  draft->title = g_strdup ("Máy lọc nước");
  draft->stage_id = stage_id (f, "New lead");
  draft->contact_id = 987654;
  draft->company_id = 876543;
  g_assert_false (crm_deal_draft_validate (draft, f->store, &problems));
  g_assert_true (has_problem (problems, "contact"));
  g_assert_true (has_problem (problems, "company"));
  g_assert_cmpuint (problems->len, ==, 2);
  g_clear_pointer (&problems, g_ptr_array_unref);
  g_assert_cmpint (crm_deal_save (f->store, draft, NOW, &problems, &error), ==, 0);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM deal"), ==, 0);

  draft->contact_id = duc;
  draft->company_id = other_company;
  id = save_ok (f, draft);
  loaded = load_ok (f, id);
  g_assert_cmpint (loaded->contact_id, ==, duc);
  g_assert_cmpint (loaded->company_id, ==, other_company);

  /* The choosers' searches: accents optional, a contact with their company. */
  found = crm_deal_find_contacts (f->store, "nguyen duc", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  party = g_steal_pointer (&found->pdata[0]);
  g_assert_cmpint (party->id, ==, duc);
  g_assert_cmpstr (party->name, ==, "Nguyễn Văn Đức");
  g_assert_cmpstr (party->detail, ==, "Công ty Cổ phần Ánh Dương");
  g_assert_cmpint (party->company_id, ==, company);
  g_clear_pointer (&party, crm_deal_party_free);
  g_clear_pointer (&found, g_ptr_array_unref);

  found = crm_deal_find_contacts (f->store, "  ", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);

  found = crm_deal_find_companies (f->store, "anh duong", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpint (((CrmDealParty *) found->pdata[0])->id, ==, company);
  g_assert_cmpstr (((CrmDealParty *) found->pdata[0])->detail, ==, "0312345678");
  g_clear_pointer (&found, g_ptr_array_unref);

  found = crm_deal_find_companies (f->store, "0312", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);

  found = crm_deal_find_companies (f->store, NULL, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (((CrmDealParty *) found->pdata[0])->name, ==, "Công ty Cổ phần Ánh Dương");
  g_clear_pointer (&found, g_ptr_array_unref);

  party = crm_deal_party_load_contact (f->store, an, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (party->name, ==, "Trần Thị An");
  g_assert_null (party->detail);
  g_assert_cmpint (party->company_id, ==, 0);
  g_clear_pointer (&party, crm_deal_party_free);

  party = crm_deal_party_load_company (f->store, other_company, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (party->name, ==, "Hải Âu Logistics");
  g_clear_pointer (&party, crm_deal_party_free);

  g_assert_null (crm_deal_party_load_contact (f->store, 987654, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/deal/parse-value", test_parse_value);
  g_test_add ("/deal/validate", Fixture, NULL, fixture_set_up, test_validate,
              fixture_tear_down);
  g_test_add ("/deal/create-and-update", Fixture, NULL, fixture_set_up, test_create_and_update,
              fixture_tear_down);
  g_test_add ("/deal/custom-values", Fixture, NULL, fixture_set_up, test_custom_values,
              fixture_tear_down);
  g_test_add ("/deal/custom-invalid", Fixture, NULL, fixture_set_up, test_custom_invalid,
              fixture_tear_down);
  g_test_add ("/deal/tags", Fixture, NULL, fixture_set_up, test_tags, fixture_tear_down);
  g_test_add ("/deal/contact-and-company", Fixture, NULL, fixture_set_up,
              test_contact_and_company, fixture_tear_down);

  return g_test_run ();
}
