/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "crm-deal.h"
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

  return g_test_run ();
}
