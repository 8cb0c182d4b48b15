/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "crm-contacts.h"
#include "crm-demo.h"
#include "crm-key.h"
#include "crm-search.h"

/* 2026-01-01 00:00 UTC: a fixed "today" so that runs compare. */
#define NOW_SQL "1767225600"
#define NOW G_GINT64_CONSTANT (1767225600)

typedef struct
{
  char     *dir;
  CrmStore *store;
} Workspace;

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_remove (path);
      return;
    }

  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      remove_tree (child);
    }
  g_rmdir (path);
}

static Workspace *
workspace_new (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *ws = NULL;
  g_autoptr (GBytes) key = NULL;
  Workspace *workspace = g_new0 (Workspace, 1);

  workspace->dir = g_dir_make_tmp ("rapport-demo-XXXXXX", &error);
  g_assert_no_error (error);
  ws = g_build_filename (workspace->dir, "ws", NULL);
  key = crm_key_generate (&error);
  g_assert_no_error (error);
  workspace->store = crm_store_create (ws, key, &error);
  g_assert_no_error (error);
  g_assert_nonnull (workspace->store);

  return workspace;
}

static void
workspace_free (Workspace *workspace)
{
  g_assert_finalize_object (workspace->store);
  remove_tree (workspace->dir);
  g_free (workspace->dir);
  g_free (workspace);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Workspace, workspace_free)

static void
fill_ok (Workspace            *workspace,
         const CrmDemoOptions *options)
{
  g_autoptr (GError) error = NULL;
  gboolean ok = crm_demo_fill (workspace->store, options, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
}

static gint64
query_int (Workspace  *workspace,
           const char *sql)
{
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt = crm_store_prepare (workspace->store, sql, &error);
  gint64 value;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

/* Every row of a query, its columns joined by '|'; NULL shows as "∅". */
static GPtrArray *
query_rows (Workspace  *workspace,
            const char *sql)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = crm_store_prepare (workspace->store, sql, &error);
  int rc;

  g_assert_no_error (error);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GString *row = g_string_new (NULL);

      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        {
          const char *text = (const char *) sqlite3_column_text (stmt, i);

          if (i > 0)
            g_string_append_c (row, '|');
          g_string_append (row, text != NULL ? text : "∅");
        }
      g_ptr_array_add (rows, g_string_free (row, FALSE));
    }
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);

  return rows;
}

static gboolean
rows_equal (GPtrArray *a,
            GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;

  for (guint i = 0; i < a->len; i++)
    if (strcmp (g_ptr_array_index (a, i), g_ptr_array_index (b, i)) != 0)
      return FALSE;

  return TRUE;
}

static void
assert_nfc (const char *text)
{
  g_autofree char *nfc = NULL;

  g_assert_true (g_utf8_validate (text, -1, NULL));
  nfc = g_utf8_normalize (text, -1, G_NORMALIZE_NFC);
  g_assert_cmpstr (text, ==, nfc);
}

static void
assert_no_problems (Workspace *workspace)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) problems = NULL;

  g_assert_true (crm_store_verify (workspace->store, &problems, &error));
  g_assert_no_error (error);
  if (problems[0] != NULL)
    g_error ("workspace problem: %s", problems[0]);
}

static void
demo_options (CrmDemoOptions *options,
              guint64         seed)
{
  crm_demo_options_init (options);
  options->seed = seed;
  options->now = NOW;
}

static const char *const identity_sql =
  "SELECT c.display_name, c.given_name, c.middle_name, c.family_name, e.email, p.e164, p.raw "
  "FROM contact c "
  "LEFT JOIN contact_email e ON e.contact_id = c.id "
  "LEFT JOIN contact_phone p ON p.contact_id = c.id ORDER BY c.id";

static const char *const *
other_tables_sql (void)
{
  static const char *const sql[] = {
    "SELECT name, tax_code, phone, email, website FROM company ORDER BY id",
    "SELECT title, value, currency, stage_id, status, expected_close, position, contact_id "
    "FROM deal ORDER BY id",
    "SELECT kind, contact_id, deal_id, happened, subject, body, amount, satisfaction "
    "FROM interaction ORDER BY id",
    "SELECT title, due, done, priority, contact_id, deal_id FROM task ORDER BY id",
    "SELECT c.created, c.company_id, c.job_title, c.source, c.owner, c.lifecycle_stage_id, "
    "c.lead_status_id, a.province FROM contact c "
    "LEFT JOIN contact_address a ON a.contact_id = c.id ORDER BY c.id",
    NULL
  };

  return sql;
}

static void
test_deterministic (void)
{
  g_autoptr (Workspace) first = workspace_new ();
  g_autoptr (Workspace) second = workspace_new ();
  g_autoptr (Workspace) third = workspace_new ();
  g_autoptr (GPtrArray) rows1 = NULL;
  g_autoptr (GPtrArray) rows2 = NULL;
  g_autoptr (GPtrArray) rows3 = NULL;
  CrmDemoOptions options;

  demo_options (&options, 7);
  fill_ok (first, &options);
  fill_ok (second, &options);
  options.seed = 8;
  fill_ok (third, &options);

  rows1 = query_rows (first, identity_sql);
  rows2 = query_rows (second, identity_sql);
  rows3 = query_rows (third, identity_sql);

  g_assert_cmpuint (rows1->len, ==, 200);
  g_assert_true (rows_equal (rows1, rows2));
  g_assert_cmpuint (rows3->len, ==, 200);
  g_assert_false (rows_equal (rows1, rows3));

  /* Not only the names: every table comes out the same. */
  for (const char *const *sql = other_tables_sql (); *sql != NULL; sql++)
    {
      g_autoptr (GPtrArray) a = query_rows (first, *sql);
      g_autoptr (GPtrArray) b = query_rows (second, *sql);
      g_autoptr (GPtrArray) c = query_rows (third, *sql);

      g_assert_cmpuint (a->len, >, 0);
      g_assert_true (rows_equal (a, b));
      g_assert_false (rows_equal (a, c));
    }

  /* A different seed makes different people, not a shuffle of a few. */
  {
    guint same = 0;

    for (guint i = 0; i < rows1->len; i++)
      if (strcmp (g_ptr_array_index (rows1, i), g_ptr_array_index (rows3, i)) == 0)
        same++;
    g_assert_cmpuint (same, <, 10);
  }
}

typedef struct
{
  guint  calls;
  double last;
  gboolean monotonic;
} ProgressLog;

static void
progress_logged (double   fraction,
                 gpointer user_data)
{
  ProgressLog *log = user_data;

  if (fraction < log->last || fraction < 0.0 || fraction > 1.0)
    log->monotonic = FALSE;
  log->last = fraction;
  log->calls++;
}

static void
assert_counts (Workspace            *workspace,
               const CrmDemoOptions *options)
{
  g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM contact"), ==, options->contacts);
  g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM contact_email"), ==,
                   options->contacts);
  g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM contact_phone"), ==,
                   options->contacts);
  g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM contact_address"), ==,
                   options->contacts);
  g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM company"), ==, options->companies);
  g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM deal"), ==, options->deals);
  /* Dollar deals count in dong on the board: the sample has a rate. */
  g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM currency_rate "
                                         "WHERE currency = 'USD' AND rate = '25400'"),
                   ==, options->deals > 0 ? 1 : 0);
  g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM interaction"), ==,
                   options->interactions);
  g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM task"), ==,
                   crm_demo_count_tasks (options));
}

static void
test_sizes (void)
{
  CrmDemoOptions options;

  /* The defaults. */
  {
    g_autoptr (Workspace) workspace = workspace_new ();
    g_autoptr (GError) error = NULL;
    ProgressLog log = { 0, 0.0, TRUE };

    crm_demo_options_init (&options);
    g_assert_cmpuint (options.contacts, ==, 200);
    g_assert_cmpuint (options.companies, ==, 40);
    g_assert_cmpuint (options.deals, ==, 60);
    g_assert_cmpuint (options.interactions, ==, 600);
    g_assert_cmpuint (options.seed, ==, 1);
    g_assert_cmpint (options.now, ==, 0);
    g_assert_cmpuint (crm_demo_count_tasks (&options), ==, 90);

    g_assert_true (crm_demo_fill (workspace->store, &options, progress_logged, &log, NULL,
                                  &error));
    g_assert_no_error (error);
    assert_counts (workspace, &options);

    g_assert_true (log.monotonic);
    g_assert_cmpfloat (log.last, ==, 1.0);
    g_assert_cmpuint (log.calls, >=, 2);
    g_assert_cmpuint (log.calls, <=, 102);

    /* About 60 % of the people work at one of the companies. */
    {
      gint64 linked = query_int (workspace,
                                 "SELECT count(*) FROM contact WHERE company_id IS NOT NULL");

      g_assert_cmpint (linked, >=, 90);
      g_assert_cmpint (linked, <=, 150);
    }
  }

  /* Odd sizes, more than one batch of other rows, into a workspace that has
   * data already. */
  {
    g_autoptr (Workspace) workspace = workspace_new ();
    CrmDemoOptions first;
    CrmDemoOptions total;

    demo_options (&first, 3);
    fill_ok (workspace, &first);

    demo_options (&options, 4);
    options.contacts = 345;
    options.companies = 17;
    options.deals = 23;
    options.interactions = CRM_DEMO_ROW_BATCH + 250;
    fill_ok (workspace, &options);

    total = options;
    total.contacts += first.contacts;
    total.companies += first.companies;
    total.deals += first.deals;
    total.interactions += first.interactions;
    g_assert_cmpuint (crm_demo_count_tasks (&total), ==,
                      crm_demo_count_tasks (&first) + crm_demo_count_tasks (&options));
    assert_counts (workspace, &total);

    /* Positions go on after the deals already in each stage. */
    g_assert_cmpint (query_int (workspace,
                                "SELECT count(*) FROM (SELECT stage_id, position FROM deal "
                                "GROUP BY stage_id, position HAVING count(*) > 1)"), ==, 0);
    assert_no_problems (workspace);
  }

  /* Nothing at all. */
  {
    g_autoptr (Workspace) workspace = workspace_new ();
    g_autoptr (GError) error = NULL;
    ProgressLog log = { 0, 0.0, TRUE };

    memset (&options, 0, sizeof options);
    g_assert_true (crm_demo_fill (workspace->store, &options, progress_logged, &log, NULL,
                                  &error));
    g_assert_no_error (error);
    assert_counts (workspace, &options);
    g_assert_cmpuint (log.calls, ==, 1);
    g_assert_cmpfloat (log.last, ==, 1.0);
  }
}

static gboolean
is_ascii (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p >= 0x80)
      return FALSE;

  return TRUE;
}

static void
test_valid_data (void)
{
  g_autoptr (Workspace) workspace = workspace_new ();
  g_autoptr (GRegex) mobile = NULL;
  g_autoptr (GRegex) email_re = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GError) error = NULL;
  CrmDemoOptions options;

  demo_options (&options, 11);
  fill_ok (workspace, &options);
  assert_no_problems (workspace);

  mobile = g_regex_new ("^\\+84(3[2-9]|5[2689]|7[06-9]|8[1-689]|9[0-46-9])[0-9]{7}$", 0, 0,
                        &error);
  g_assert_no_error (error);
  email_re = g_regex_new ("^[a-z0-9._]+@[a-z0-9.-]+\\.[a-z]+$", 0, 0, &error);
  g_assert_no_error (error);

  /* Phones: E.164 mobiles, and the raw text holds the same digits. */
  rows = query_rows (workspace, "SELECT e164, raw FROM contact_phone");
  g_assert_cmpuint (rows->len, ==, options.contacts);
  for (guint i = 0; i < rows->len; i++)
    {
      g_auto (GStrv) parts = g_strsplit (g_ptr_array_index (rows, i), "|", 2);
      GString *digits = g_string_new (NULL);
      g_autofree char *national = NULL;

      if (!g_regex_match (mobile, parts[0], 0, NULL))
        g_error ("not a Vietnamese mobile number: %s", parts[0]);

      for (const char *p = parts[1]; *p != '\0'; p++)
        if (g_ascii_isdigit (*p))
          g_string_append_c (digits, *p);
      if (g_str_has_prefix (digits->str, "84"))
        g_string_erase (digits, 0, 2);
      else
        g_string_erase (digits, 0, 1);  /* the trunk 0 */
      national = g_string_free (digits, FALSE);
      g_assert_cmpstr (national, ==, parts[0] + 3);
    }
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* No two contacts share a mobile number. */
  g_assert_cmpint (query_int (workspace, "SELECT count(DISTINCT e164) FROM contact_phone"), ==,
                   options.contacts);

  /* Emails: one @, plain ASCII. */
  rows = query_rows (workspace, "SELECT email FROM contact_email UNION ALL "
                                "SELECT email FROM company");
  g_assert_cmpuint (rows->len, ==, options.contacts + options.companies);
  for (guint i = 0; i < rows->len; i++)
    {
      const char *email = g_ptr_array_index (rows, i);
      const char *at = strchr (email, '@');

      g_assert_nonnull (at);
      g_assert_null (strchr (at + 1, '@'));
      g_assert_true (is_ascii (email));
      if (!g_regex_match (email_re, email, 0, NULL))
        g_error ("odd email address: %s", email);
    }
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* Tax codes: ten digits with a valid check digit, unique, from a province
   * code. */
  rows = query_rows (workspace, "SELECT tax_code FROM company");
  for (guint i = 0; i < rows->len; i++)
    {
      static const guint weights[] = { 31, 29, 23, 19, 17, 13, 7, 5, 3 };
      const char *code = g_ptr_array_index (rows, i);
      guint sum = 0;

      g_assert_cmpuint (strlen (code), ==, 10);
      for (guint j = 0; j < 10; j++)
        g_assert_true (g_ascii_isdigit (code[j]));
      for (guint j = 0; j < 9; j++)
        sum += weights[j] * (guint) (code[j] - '0');
      g_assert_cmpuint (10 - sum % 11, ==, (guint) (code[9] - '0'));
    }
  g_assert_cmpuint (rows->len, ==, options.companies);
  g_clear_pointer (&rows, g_ptr_array_unref);
  g_assert_cmpint (query_int (workspace, "SELECT count(DISTINCT tax_code) FROM company"), ==,
                   options.companies);
  g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM company WHERE "
                                         "substr(tax_code, 1, 2) NOT IN ('01', '02', '03', '04', "
                                         "'09', '14', '15', '16', '18', '20', '23', '26', '27', "
                                         "'28', '29', '30', '32', '33', '36', '39', '42', '43', "
                                         "'46', '48', '49', '50', '53', '55', '56', '57', '58', "
                                         "'59', '60', '62')"), ==, 0);

  /* Company phones: a landline (+84 2x, ten digits after the country code)
   * or a mobile. */
  rows = query_rows (workspace, "SELECT phone FROM company");
  for (guint i = 0; i < rows->len; i++)
    {
      const char *phone = g_ptr_array_index (rows, i);

      if (!g_regex_match (mobile, phone, 0, NULL)
          && !g_regex_match_simple ("^\\+842[0-9]{9}$", phone, 0, 0))
        g_error ("not a Vietnamese phone number: %s", phone);
    }
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* Deals: every stage of the default pipeline, statuses that match. */
  g_assert_cmpint (query_int (workspace,
                              "SELECT count(*) FROM stage s WHERE s.pipeline_id = 1 AND NOT "
                              "EXISTS (SELECT 1 FROM deal d WHERE d.stage_id = s.id)"), ==, 0);
  g_assert_cmpint (query_int (workspace,
                              "SELECT count(*) FROM deal d JOIN stage s ON s.id = d.stage_id "
                              "WHERE d.status IS NOT s.kind"), ==, 0);
  g_assert_cmpint (query_int (workspace,
                              "SELECT count(*) FROM deal WHERE status IN ('won', 'lost') AND "
                              "(closed IS NULL OR closed > " NOW_SQL ")"), ==, 0);
  g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM deal WHERE status = 'open' AND "
                                         "closed IS NOT NULL"), ==, 0);
  g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM deal WHERE (status = 'lost') "
                                         "IS NOT (lost_reason IS NOT NULL)"), ==, 0);
  g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM deal WHERE currency = 'VND' AND "
                                         "value NOT BETWEEN 5000000 AND 2000000000"), ==, 0);
  g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM deal WHERE currency NOT IN "
                                         "('VND', 'USD') OR value <= 0"), ==, 0);
  g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM deal WHERE expected_close IS NULL "
                                         "OR date(expected_close) IS NOT expected_close"), ==, 0);
  g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM deal WHERE status = 'open' AND "
                                         "expected_close < '2026-01-01'"), >, 0);
  g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM deal WHERE contact_id IS NOT NULL "
                                         "AND company_id IS NOT NULL"), >, options.deals / 2);
  g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM deal d JOIN contact c ON "
                                         "c.id = d.contact_id WHERE d.company_id IS NOT "
                                         "c.company_id"), ==, 0);
  g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM (SELECT stage_id, position FROM "
                                         "deal GROUP BY stage_id, position HAVING count(*) > 1)"),
                   ==, 0);

  /* Interactions: every kind, all in the two years before now, with the
   * fields each kind needs. */
  g_assert_cmpint (query_int (workspace, "SELECT count(DISTINCT kind) FROM interaction"), ==, 11);
  g_assert_cmpint (query_int (workspace,
                              "SELECT count(*) FROM interaction WHERE happened > "
                              NOW_SQL " OR happened <= " NOW_SQL
                              " - 730 * 86400"), ==, 0);
  g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM interaction i JOIN contact c ON "
                                         "c.id = i.contact_id WHERE i.happened < c.created"),
                   ==, 0);
  g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM interaction WHERE kind IN "
                                         "('call', 'meeting') AND duration IS NULL"), ==, 0);
  g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM interaction WHERE kind = "
                                         "'purchase' AND (amount IS NULL OR amount <= 0 OR "
                                         "currency IS NULL)"), ==, 0);
  g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM interaction WHERE kind IN "
                                         "('feedback', 'complaint', 'survey') AND (sentiment IS "
                                         "NULL OR satisfaction IS NULL)"), ==, 0);
  g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM interaction WHERE subject IS NULL "
                                         "OR body IS NULL OR subject LIKE '%{%' OR body LIKE "
                                         "'%{%'"), ==, 0);
  g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM interaction WHERE deal_id IS NOT "
                                         "NULL"), >, 0);
  g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM interaction i JOIN deal d ON "
                                         "d.id = i.deal_id WHERE i.contact_id IS NOT "
                                         "d.contact_id"), ==, 0);
  /* The trigger kept each contact's last interaction. */
  g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM contact c WHERE last_interaction "
                                         "IS NOT (SELECT max(happened) FROM interaction i WHERE "
                                         "i.contact_id = c.id)"), ==, 0);

  /* Tasks: open and done, some open ones overdue. */
  g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM task WHERE done = 1 AND "
                                         "done_at IS NOT NULL"), >, 0);
  g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM task WHERE done = 0 AND "
                                         "done_at IS NULL"), >, 0);
  g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM task WHERE done = 0 AND due < "
                                         NOW_SQL), >, 0);
  g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM task WHERE done = 0 AND due > "
                                         NOW_SQL), >, 0);
  g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM task WHERE title LIKE '%{%' OR "
                                         "(done = 1 AND done_at > " NOW_SQL ")"), ==, 0);

  /* Contacts: every field the brief lists is filled in. */
  g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM contact WHERE lifecycle_stage_id "
                                         "IS NULL OR source IS NULL OR owner IS NULL"), ==, 0);
  g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM contact WHERE company_id IS NOT "
                                         "NULL AND job_title IS NULL"), ==, 0);
  g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM contact WHERE created > "
                                         NOW_SQL " OR created <= " NOW_SQL
                                         " - 730 * 86400"), ==, 0);
  g_assert_cmpint (query_int (workspace, "SELECT count(DISTINCT lifecycle_stage_id) FROM "
                                         "contact"), >=, 5);
  g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM contact WHERE lead_status_id IS "
                                         "NOT NULL"), >, 0);
  g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM contact WHERE source NOT IN "
                                         "('Website', 'Facebook', 'Zalo', 'Giới thiệu', "
                                         "'Hội chợ', 'Gọi điện')"), ==, 0);
}

static void
test_diacritics (void)
{
  g_autoptr (Workspace) workspace = workspace_new ();
  g_autoptr (GPtrArray) names = NULL;
  g_autoptr (GPtrArray) texts = NULL;
  g_autoptr (GError) error = NULL;
  guint with_e_tilde = 0, with_u_horn = 0, with_d_stroke = 0, vietnamese = 0;
  CrmDemoOptions options;

  demo_options (&options, 5);
  options.contacts = 1000;
  fill_ok (workspace, &options);

  names = query_rows (workspace, "SELECT display_name, given_name, middle_name, family_name "
                                 "FROM contact");
  for (guint i = 0; i < names->len; i++)
    {
      const char *row = g_ptr_array_index (names, i);
      g_auto (GStrv) parts = g_strsplit (row, "|", 4);
      g_auto (GStrv) words = g_strsplit (parts[0], " ", -1);

      assert_nfc (row);
      if (strstr (parts[0], "ễ") != NULL)
        with_e_tilde++;
      if (strstr (parts[0], "ư") != NULL || strstr (parts[0], "Ư") != NULL)
        with_u_horn++;
      if (strstr (parts[0], "đ") != NULL || strstr (parts[0], "Đ") != NULL)
        with_d_stroke++;
      if (!is_ascii (parts[0]))
        vietnamese++;

      /* Vietnamese names family name first, given name last, middle names
       * between; foreign ones ("John Smith") given name first. */
      if (is_ascii (parts[0]) && *parts[2] == '\0')
        {
          g_assert_cmpstr (words[0], ==, parts[1]);
          g_assert_cmpstr (words[g_strv_length (words) - 1], ==, parts[3]);
        }
      else
        {
          g_assert_cmpstr (words[0], ==, parts[3]);
          g_assert_cmpstr (words[g_strv_length (words) - 1], ==, parts[1]);
        }
      g_assert_cmpuint (g_strv_length (words), >=, 2);
      g_assert_cmpuint (g_strv_length (words), <=, 4);
    }
  g_assert_cmpuint (with_e_tilde, >, 100);  /* Nguyễn alone is a third */
  g_assert_cmpuint (with_u_horn, >, 10);
  g_assert_cmpuint (with_d_stroke, >, 10);
  g_assert_cmpuint (vietnamese, >, 800);

  /* About one in twenty is a foreigner, with no middle name. */
  {
    gint64 foreign = query_int (workspace, "SELECT count(*) FROM contact WHERE middle_name = ''");

    g_assert_cmpint (foreign, >=, 20);
    g_assert_cmpint (foreign, <=, 90);
  }

  /* Women are Thị, men Văn, never the other way round. */
  g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM contact WHERE middle_name LIKE "
                                         "'Thị%'"), >, 100);
  g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM contact WHERE middle_name LIKE "
                                         "'Văn%'"), >, 100);
  g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM contact WHERE middle_name LIKE "
                                         "'Thị%' AND given_name IN ('Dũng', 'Hùng', 'Tuấn', "
                                         "'Cường', 'Thắng', 'Sơn', 'Long', 'Quân')"), ==, 0);
  g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM contact WHERE middle_name = 'Văn' "
                                         "AND given_name IN ('Hương', 'Lan', 'Thảo', 'Trang', "
                                         "'Nhung', 'Yến', 'Uyên', 'Hạnh')"), ==, 0);

  /* Every text the demo writes is valid NFC. */
  texts = query_rows (workspace,
                      "SELECT name || industry || ifnull(street, '') || province FROM company "
                      "UNION ALL SELECT title || ifnull(lost_reason, '') || ifnull(notes, '') "
                      "FROM deal UNION ALL SELECT ifnull(subject, '') || ifnull(body, '') || "
                      "ifnull(outcome, '') FROM interaction UNION ALL SELECT title FROM task "
                      "UNION ALL SELECT ifnull(job_title, '') || province FROM contact c JOIN "
                      "contact_address a ON a.contact_id = c.id");
  g_assert_cmpuint (texts->len, >, 1000);
  for (guint i = 0; i < texts->len; i++)
    assert_nfc (g_ptr_array_index (texts, i));

  /* The search index took the names in: with or without diacritics, the
   * same people. */
  {
    g_autoptr (GArray) with = crm_search_contacts (workspace->store, "Nguyễn", &error);
    g_autoptr (GArray) without = NULL;

    g_assert_no_error (error);
    without = crm_search_contacts (workspace->store, "nguyen", &error);
    g_assert_no_error (error);
    g_assert_cmpuint (with->len, >, 250);
    g_assert_cmpuint (with->len, ==, without->len);
  }
}

typedef struct
{
  GCancellable *cancellable;
  Workspace    *workspace;
} CancelAfterContacts;

static void
cancel_after_contacts (double   fraction,
                       gpointer user_data)
{
  CancelAfterContacts *data = user_data;

  g_assert_cmpfloat (fraction, >, 0.0);
  if (query_int (data->workspace, "SELECT count(*) FROM contact") > 0)
    g_cancellable_cancel (data->cancellable);
}

static void
test_cancel (void)
{
  /* Cancelled before it starts: nothing is written. */
  {
    g_autoptr (Workspace) workspace = workspace_new ();
    g_autoptr (GCancellable) cancellable = g_cancellable_new ();
    g_autoptr (GError) error = NULL;
    CrmDemoOptions options;

    demo_options (&options, 1);
    g_cancellable_cancel (cancellable);
    g_assert_false (crm_demo_fill (workspace->store, &options, NULL, NULL, cancellable, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

    g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM company"), ==, 0);
    g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM contact"), ==, 0);
    g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM deal"), ==, 0);
  }

  /* Cancelled after the first batch of contacts: the contacts are one
   * import, rolled back whole; the companies written before stay. */
  {
    g_autoptr (Workspace) workspace = workspace_new ();
    g_autoptr (GCancellable) cancellable = g_cancellable_new ();
    g_autoptr (GError) error = NULL;
    CancelAfterContacts data = { cancellable, workspace };
    CrmDemoOptions options;

    demo_options (&options, 1);
    options.contacts = 2 * CRM_DEMO_CONTACT_BATCH + 500;
    options.companies = 10;
    options.deals = 5;
    options.interactions = 20;
    g_assert_false (crm_demo_fill (workspace->store, &options, cancel_after_contacts, &data,
                                   cancellable, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

    g_assert_true (sqlite3_get_autocommit (crm_store_get_db (workspace->store)));
    g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM company"), ==, 10);
    g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM contact"), ==, 0);
    g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM contact_phone"), ==, 0);
    g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM audit_log "
                                           "WHERE entity = 'contact'"), ==, 0);
    g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM deal"), ==, 0);
    g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM interaction"), ==, 0);
    g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM task"), ==, 0);
    assert_no_problems (workspace);
  }
}

static void
test_errors (void)
{
  /* Interactions need someone to have them with; nothing is written. */
  {
    g_autoptr (Workspace) workspace = workspace_new ();
    g_autoptr (GError) error = NULL;
    CrmDemoOptions options;

    demo_options (&options, 1);
    options.contacts = 0;
    g_assert_false (crm_demo_fill (workspace->store, &options, NULL, NULL, NULL, &error));
    g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
    g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM company"), ==, 0);
  }

  /* A write that fails halfway through a batch: that batch is rolled back,
   * the ones before stay, and no transaction is left open. */
  {
    g_autoptr (Workspace) workspace = workspace_new ();
    g_autoptr (GError) error = NULL;
    CrmDemoOptions options;

    g_assert_true (crm_store_exec (workspace->store,
                                   "CREATE TEMP TRIGGER demo_fail "
                                   "BEFORE INSERT ON main.interaction "
                                   "WHEN (SELECT count(*) FROM main.interaction) >= 5 "
                                   "BEGIN SELECT RAISE (ABORT, 'disk on fire'); END",
                                   &error));
    g_assert_no_error (error);

    demo_options (&options, 1);
    g_assert_false (crm_demo_fill (workspace->store, &options, NULL, NULL, NULL, &error));
    g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "disk on fire"));

    g_assert_true (sqlite3_get_autocommit (crm_store_get_db (workspace->store)));
    g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM contact"), ==, options.contacts);
    g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM deal"), ==, options.deals);
    g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM interaction"), ==, 0);
    g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM task"), ==, 0);
    assert_no_problems (workspace);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/demo/deterministic", test_deterministic);
  g_test_add_func ("/demo/sizes", test_sizes);
  g_test_add_func ("/demo/valid-data", test_valid_data);
  g_test_add_func ("/demo/diacritics", test_diacritics);
  g_test_add_func ("/demo/cancel", test_cancel);
  g_test_add_func ("/demo/errors", test_errors);

  return g_test_run ();
}
