/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "crm-company.h"
#include "crm-contact.h"
#include "crm-key.h"
#include "crm-search.h"
#include "crm-store.h"
#include "crm-test-util.h"
#include "crm-vcard.h"

/* 2026-11-22 12:00:00 UTC */
#define NOW G_GINT64_CONSTANT (1795348800)
#define DAY (24 * 60 * 60)

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

/* Helpers */

static void
exec (Fixture    *f,
      const char *sql)
{
  g_autoptr (GError) error = NULL;

  crm_store_exec (f->store, sql, &error);
  g_assert_no_error (error);
}

static void
execf (Fixture    *f,
       const char *format,
       ...) G_GNUC_PRINTF (2, 3);

static void
execf (Fixture    *f,
       const char *format,
       ...)
{
  g_autofree char *sql = NULL;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  exec (f, sql);
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

static gint64
query_intf (Fixture    *f,
            const char *format,
            ...) G_GNUC_PRINTF (2, 3);

static gint64
query_intf (Fixture    *f,
            const char *format,
            ...)
{
  g_autofree char *sql = NULL;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  return query_int (f, sql);
}

static CrmContact *
load (Fixture *f,
      gint64   id)
{
  g_autoptr (GError) error = NULL;
  CrmContact *contact = crm_contact_load_at (f->store, id, NOW, &error);

  g_assert_no_error (error);
  g_assert_nonnull (contact);
  return contact;
}

static gint64
save (Fixture          *f,
      CrmContactDraft  *draft,
      CrmUndo         **undo)
{
  g_autoptr (GError) error = NULL;
  gint64 id = crm_contact_save (f->store, draft, undo, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static CrmContactDraft *
draft_named (const char *family,
             const char *middle,
             const char *given)
{
  CrmContactDraft *draft = crm_contact_draft_new ();

  crm_contact_draft_set_text (draft, "family_name", family);
  crm_contact_draft_set_text (draft, "middle_name", middle);
  crm_contact_draft_set_text (draft, "given_name", given);
  return draft;
}

static gint64
make_company (Fixture    *f,
              const char *name)
{
  g_autoptr (CrmCompanyDraft) draft = crm_company_draft_new ();
  g_autoptr (GError) error = NULL;
  gint64 id;

  crm_company_draft_set_text (draft, "name", name);
  id = crm_company_save (f->store, draft, NULL, &error);
  g_assert_no_error (error);
  return id;
}

static const CrmContactDetail *
detail_at (GPtrArray *details,
           guint      index)
{
  g_assert_cmpuint (index, <, details->len);
  return g_ptr_array_index (details, index);
}

static const CrmFieldProblem *
find_problem (GPtrArray  *problems,
              const char *field,
              int         index)
{
  for (guint i = 0; i < problems->len; i++)
    {
      const CrmFieldProblem *problem = g_ptr_array_index (problems, i);

      if (g_str_equal (problem->field, field) && problem->index == index)
        return problem;
    }

  return NULL;
}

/* Every row the contact owns, and the deals that point at them, as text:
 * two dumps are equal when the state is exactly the same. */
static char *
dump_contact (Fixture *f,
              gint64   id)
{
  static const char *const queries[] = {
    "SELECT * FROM contact WHERE id = ?1",
    "SELECT * FROM contact_email WHERE contact_id = ?1 ORDER BY id",
    "SELECT * FROM contact_phone WHERE contact_id = ?1 ORDER BY id",
    "SELECT * FROM contact_address WHERE contact_id = ?1 ORDER BY id",
    "SELECT * FROM contact_link WHERE contact_id = ?1 ORDER BY id",
    "SELECT * FROM contact_tag WHERE contact_id = ?1 ORDER BY tag_id",
    "SELECT * FROM custom_value WHERE entity_id = ?1 ORDER BY field_id",
    "SELECT * FROM interaction WHERE contact_id = ?1 ORDER BY id",
    "SELECT * FROM task WHERE contact_id = ?1 ORDER BY id",
    "SELECT id FROM deal WHERE contact_id = ?1 ORDER BY id",
  };
  GString *dump = g_string_new (NULL);

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      g_autoptr (GError) error = NULL;
      sqlite3_stmt *stmt = crm_store_prepare (f->store, queries[q], &error);

      g_assert_no_error (error);
      sqlite3_bind_int64 (stmt, 1, id);
      g_string_append_printf (dump, "%s\n", queries[q]);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            {
              const guint8 *bytes = sqlite3_column_blob (stmt, c);
              int n = sqlite3_column_bytes (stmt, c);

              g_string_append_printf (dump, "%s=%d:", sqlite3_column_name (stmt, c),
                                      sqlite3_column_type (stmt, c));
              for (int i = 0; i < n; i++)
                g_string_append_printf (dump, "%02x", bytes[i]);
              g_string_append_c (dump, ' ');
            }
          g_string_append_c (dump, '\n');
        }
      sqlite3_finalize (stmt);
    }

  return g_string_free (dump, FALSE);
}

static gint64
lifecycle_id (Fixture    *f,
              const char *key)
{
  return query_intf (f, "SELECT id FROM lifecycle_stage WHERE key = '%s'", key);
}

/* A contact with a bit of everything, for the tests that read. */
static gint64
make_full_contact (Fixture *f,
                   gint64  *company_id)
{
  g_autoptr (CrmContactDraft) draft = draft_named ("Nguyễn", "Văn", "Đức");
  gint64 id;

  *company_id = make_company (f, "Công ty Minh Phát");
  draft->company_id = *company_id;
  draft->lifecycle_stage_id = lifecycle_id (f, "customer");
  draft->lead_status_id = query_int (f, "SELECT id FROM lead_status WHERE key = 'open_deal'");
  crm_contact_draft_set_text (draft, "job_title", "Giám đốc");
  crm_contact_draft_set_text (draft, "birthday", "1985-03-09");
  crm_contact_draft_set_text (draft, "notes", "Thích trà xanh");
  crm_contact_draft_add_email (draft, "duc@minhphat.vn", "work");
  crm_contact_draft_add_email (draft, "duc.nguyen@gmail.com", "home");
  crm_contact_draft_add_phone (draft, "0903 123 456", "mobile");
  crm_contact_draft_add_phone (draft, "028 3822 1234", "work");
  g_ptr_array_add (draft->addresses,
                   crm_contact_detail_new_address ("12 Lê Lợi", "Phường Bến Nghé", "Quận 1",
                                                   "TP Hồ Chí Minh", "VN", "work", TRUE));
  crm_contact_draft_add_link (draft, "https://zalo.me/0903123456", "Zalo");
  crm_contact_draft_add_tag (draft, "VIP");
  crm_contact_draft_add_tag (draft, "Đối tác");
  exec (f, "INSERT INTO custom_field (entity, key, label, type) "
           "VALUES ('contact', 'budget', 'Budget', 'number')");
  crm_contact_draft_set_custom (draft, "budget", "5000000");
  id = save (f, draft, NULL);

  /* Interactions: 3 purchases in VND and 1 in USD, a support request, a
   * complaint, two feedbacks, two notes, a call (the latest). */
  execf (f,
         "INSERT INTO interaction (contact_id, kind, happened, amount, currency, subject) VALUES "
         "(%1$lld, 'purchase', %2$lld - 90 * 86400, 1000000, 'VND', 'Đơn 1'), "
         "(%1$lld, 'purchase', %2$lld - 60 * 86400, 2500000, 'VND', 'Đơn 2'), "
         "(%1$lld, 'purchase', %2$lld - 30 * 86400, 2500001, 'VND', 'Đơn 3'), "
         "(%1$lld, 'purchase', %2$lld - 20 * 86400, 1999, 'USD', 'Order'), "
         "(%1$lld, 'support', %2$lld - 15 * 86400, NULL, NULL, 'Lỗi đăng nhập'), "
         "(%1$lld, 'complaint', %2$lld - 14 * 86400, NULL, NULL, 'Giao hàng chậm')",
         (long long) id, (long long) NOW);
  execf (f,
         "INSERT INTO interaction (contact_id, kind, happened, subject, body, sentiment, "
         "satisfaction) VALUES "
         "(%1$lld, 'feedback', %2$lld - 40 * 86400, 'Cũ', 'Tạm được', 'neutral', 3), "
         "(%1$lld, 'feedback', %2$lld - 10 * 86400, 'Hài lòng', 'Dịch vụ tốt', 'positive', 5), "
         "(%1$lld, 'note', %2$lld - 9 * 86400, 'Ghi chú 1', 'Có con nhỏ', NULL, NULL), "
         "(%1$lld, 'note', %2$lld - 8 * 86400, 'Ghi chú 2', 'Thích golf', NULL, NULL), "
         "(%1$lld, 'call', %2$lld - 3 * 86400 - 3600, 'Gọi lại', NULL, NULL, NULL)",
         (long long) id, (long long) NOW);

  /* Deals: two open, one won. */
  execf (f,
         "INSERT INTO deal (title, contact_id, company_id, stage_id, value, currency, status, "
         "expected_close) VALUES "
         "('Hợp đồng bảo trì', %1$lld, %2$lld, (SELECT id FROM stage WHERE name = 'Negotiation'), "
         " 120000000, 'VND', 'open', '2026-12-15'), "
         "('Phần mềm kế toán', %1$lld, %2$lld, (SELECT id FROM stage WHERE name = 'New lead'), "
         " 45000000, 'VND', 'open', '2026-12-01'), "
         "('Đơn cũ', %1$lld, %2$lld, (SELECT id FROM stage WHERE name = 'Won'), "
         " 9000000, 'VND', 'won', NULL)",
         (long long) id, (long long) *company_id);

  /* Tasks: the earliest is done; one open has no due time. */
  execf (f,
         "INSERT INTO task (title, due, done, contact_id) VALUES "
         "('Đã gọi', %2$lld - 86400, 1, %1$lld), "
         "('Gửi báo giá', %2$lld + 2 * 86400, 0, %1$lld), "
         "('Hẹn gặp', %2$lld + 5 * 86400, 0, %1$lld), "
         "('Khi nào rảnh', NULL, 0, %1$lld)",
         (long long) id, (long long) NOW);

  return id;
}

/* Loading */

static void
test_load_everything (Fixture       *f,
                      gconstpointer  data)
{
  gint64 company_id;
  gint64 id = make_full_contact (f, &company_id);
  g_autoptr (CrmContact) contact = load (f, id);
  const CrmSpend *vnd, *usd;
  const CrmInteractionSummary *feedback;
  const CrmTaskSummary *task;
  const CrmDealSummary *deal;
  GPtrArray *notes, *custom;
  g_autofree char *display_name = NULL;
  guint n_purchases = 0;
  int days = 0;

  /* Identification */
  g_assert_cmpint (crm_contact_get_id (contact), ==, id);
  g_assert_cmpstr (crm_contact_get_display_name (contact), ==, "Nguyễn Văn Đức");
  g_assert_cmpstr (crm_contact_get_given_name (contact), ==, "Đức");
  g_assert_cmpstr (crm_contact_get_family_name (contact), ==, "Nguyễn");
  g_assert_false (crm_contact_get_given_name_first (contact));
  g_assert_cmpint (crm_contact_get_company_id (contact), ==, company_id);
  g_assert_cmpstr (crm_contact_get_company_name (contact), ==, "Công ty Minh Phát");
  g_assert_cmpstr (crm_contact_get_job_title (contact), ==, "Giám đốc");
  g_assert_cmpstr (crm_contact_get_birthday (contact), ==, "1985-03-09");
  g_assert_cmpstr (crm_contact_get_notes (contact), ==, "Thích trà xanh");
  g_assert_null (crm_contact_get_gender (contact));
  g_assert_false (crm_contact_get_archived (contact));

  /* Stage and status: key and (here untranslated) name. */
  g_assert_cmpstr (crm_contact_get_lifecycle_stage_key (contact), ==, "customer");
  g_assert_cmpstr (crm_contact_get_lifecycle_stage (contact), ==, "Customer");
  g_assert_cmpstr (crm_contact_get_lead_status_key (contact), ==, "open_deal");
  g_assert_cmpstr (crm_contact_get_lead_status (contact), ==, "Open deal");

  /* Details, primary first */
  g_assert_cmpuint (crm_contact_get_emails (contact)->len, ==, 2);
  g_assert_cmpstr (detail_at (crm_contact_get_emails (contact), 0)->value, ==, "duc@minhphat.vn");
  g_assert_true (detail_at (crm_contact_get_emails (contact), 0)->primary);
  g_assert_cmpstr (detail_at (crm_contact_get_emails (contact), 1)->label, ==, "home");
  g_assert_false (detail_at (crm_contact_get_emails (contact), 1)->primary);
  g_assert_cmpstr (detail_at (crm_contact_get_phones (contact), 0)->value, ==, "+84903123456");
  g_assert_cmpstr (detail_at (crm_contact_get_phones (contact), 0)->raw, ==, "0903 123 456");
  g_assert_cmpstr (detail_at (crm_contact_get_phones (contact), 1)->value, ==, "+842838221234");
  g_assert_cmpstr (crm_contact_get_primary_email (contact), ==, "duc@minhphat.vn");
  g_assert_cmpstr (crm_contact_get_primary_phone (contact), ==, "+84903123456");
  g_assert_cmpuint (crm_contact_get_addresses (contact)->len, ==, 1);
  {
    g_autofree char *address = crm_contact_detail_format_address (detail_at (crm_contact_get_addresses (contact), 0));

    g_assert_cmpstr (address, ==, "12 Lê Lợi, Phường Bến Nghé, Quận 1, TP Hồ Chí Minh, VN");
  }
  g_assert_cmpstr (detail_at (crm_contact_get_links (contact), 0)->value, ==,
                   "https://zalo.me/0903123456");
  g_assert_cmpuint (g_strv_length ((GStrv) crm_contact_get_tags (contact)), ==, 2);
  g_assert_cmpstr (crm_contact_get_tags (contact)[0], ==, "VIP");
  g_assert_cmpstr (crm_contact_get_tags (contact)[1], ==, "Đối tác");
  custom = crm_contact_get_custom_values (contact);
  g_assert_cmpuint (custom->len, ==, 1);
  g_assert_cmpstr (((CrmCustomValue *) g_ptr_array_index (custom, 0))->label, ==, "Budget");
  g_assert_cmpstr (crm_contact_get_custom_value (contact, "budget"), ==, "5000000");

  /* Quantitative data */
  g_assert_cmpuint (crm_contact_get_n_interactions (contact), ==, 11);
  g_assert_cmpuint (crm_contact_get_n_purchases (contact), ==, 4);
  g_assert_cmpuint (crm_contact_get_n_support_requests (contact), ==, 2);
  g_assert_cmpuint (crm_contact_get_spending (contact)->len, ==, 2);
  vnd = crm_contact_get_spend (contact, "VND");
  g_assert_nonnull (vnd);
  g_assert_cmpuint (vnd->count, ==, 3);
  g_assert_cmpint (vnd->total, ==, 6000001);
  /* 6000001 / 3 = 2000000.33 */
  g_assert_cmpint (vnd->average, ==, 2000000);
  usd = crm_contact_get_spend (contact, "USD");
  g_assert_nonnull (usd);
  g_assert_cmpint (usd->total, ==, 1999);
  g_assert_cmpint (usd->average, ==, 1999);
  g_assert_null (crm_contact_get_spend (contact, "EUR"));
  /* The call was 3 days and an hour ago. */
  g_assert_cmpint (crm_contact_get_last_interaction (contact), ==, NOW - 3 * DAY - 3600);
  g_assert_cmpint (crm_contact_get_days_since_contact (contact), ==, 3);

  /* Qualitative data */
  feedback = crm_contact_get_latest_feedback (contact);
  g_assert_nonnull (feedback);
  g_assert_cmpstr (feedback->subject, ==, "Hài lòng");
  g_assert_cmpstr (feedback->body, ==, "Dịch vụ tốt");
  g_assert_cmpstr (feedback->sentiment, ==, "positive");
  g_assert_cmpint (feedback->satisfaction, ==, 5);
  g_assert_cmpint (feedback->happened, ==, NOW - 10 * DAY);
  notes = crm_contact_get_recent_notes (contact);
  g_assert_cmpuint (notes->len, ==, 2);
  g_assert_cmpstr (((CrmInteractionSummary *) g_ptr_array_index (notes, 0))->body, ==,
                   "Thích golf");

  /* Open deals, the soonest to close first; the won one is not there. */
  g_assert_cmpuint (crm_contact_get_open_deals (contact)->len, ==, 2);
  deal = g_ptr_array_index (crm_contact_get_open_deals (contact), 0);
  g_assert_cmpstr (deal->title, ==, "Phần mềm kế toán");
  g_assert_cmpint (deal->value, ==, 45000000);
  g_assert_cmpstr (deal->currency, ==, "VND");
  g_assert_cmpstr (deal->stage, ==, "New lead");
  deal = g_ptr_array_index (crm_contact_get_open_deals (contact), 1);
  g_assert_cmpstr (deal->stage, ==, "Negotiation");

  task = crm_contact_get_next_task (contact);
  g_assert_nonnull (task);
  g_assert_cmpstr (task->title, ==, "Gửi báo giá");
  g_assert_cmpint (task->due, ==, NOW + 2 * DAY);

  /* The same figures as properties, for binding. */
  g_object_get (contact, "display-name", &display_name, "n-purchases", &n_purchases,
                "days-since-contact", &days, NULL);
  g_assert_cmpstr (display_name, ==, "Nguyễn Văn Đức");
  g_assert_cmpuint (n_purchases, ==, 4);
  g_assert_cmpint (days, ==, 3);
}

static void
test_load_empty_figures (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr (CrmContactDraft) draft = draft_named (NULL, NULL, "Lan");
  g_autoptr (CrmContact) contact = load (f, save (f, draft, NULL));

  g_assert_cmpstr (crm_contact_get_display_name (contact), ==, "Lan");
  g_assert_cmpuint (crm_contact_get_n_interactions (contact), ==, 0);
  g_assert_cmpuint (crm_contact_get_spending (contact)->len, ==, 0);
  g_assert_cmpint (crm_contact_get_days_since_contact (contact), ==, -1);
  g_assert_null (crm_contact_get_latest_feedback (contact));
  g_assert_null (crm_contact_get_next_task (contact));
  g_assert_null (crm_contact_get_company_name (contact));
  g_assert_null (crm_contact_get_lifecycle_stage (contact));
  g_assert_null (crm_contact_get_primary_phone (contact));
  g_assert_cmpuint (g_strv_length ((GStrv) crm_contact_get_tags (contact)), ==, 0);
}

static void
test_load_missing (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmContact) contact = crm_contact_load (f->store, 4242, &error);

  g_assert_null (contact);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "4242"));
}

static int
collect_sql (unsigned  type,
             void     *context,
             void     *statement,
             void     *text)
{
  GPtrArray *queries = context;
  const char *sql = sqlite3_sql (statement);

  if (!g_ptr_array_find_with_equal_func (queries, sql, g_str_equal, NULL))
    g_ptr_array_add (queries, g_strdup (sql));

  return 0;
}

/* Every query the single customer view runs finds its rows through an
 * index: none scans a table that grows with the workspace. */
static void
test_load_uses_indexes (Fixture       *f,
                        gconstpointer  data)
{
  static const char *const small_tables[] = { "custom_field", NULL };
  g_autoptr (GPtrArray) queries = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *db = crm_store_get_db (f->store);
  gint64 company_id;
  gint64 id = make_full_contact (f, &company_id);
  g_autoptr (CrmContact) contact = NULL;
  g_autoptr (CrmCompany) company = NULL;
  guint searches = 0;

  sqlite3_trace_v2 (db, SQLITE_TRACE_STMT, collect_sql, queries);
  contact = load (f, id);
  company = crm_company_load (f->store, company_id, NULL);
  sqlite3_trace_v2 (db, 0, NULL, NULL);
  g_assert_nonnull (company);
  g_assert_cmpuint (queries->len, >=, 10);

  for (guint i = 0; i < queries->len; i++)
    {
      g_autofree char *explain = g_strconcat ("EXPLAIN QUERY PLAN ",
                                              (const char *) g_ptr_array_index (queries, i),
                                              NULL);
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (db, explain, -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *detail = (const char *) sqlite3_column_text (stmt, 3);

          if (g_str_has_prefix (detail, "SEARCH "))
            searches++;
          if (g_str_has_prefix (detail, "SCAN ") && !g_str_has_prefix (detail, "SCAN CONSTANT"))
            {
              g_auto (GStrv) words = g_strsplit (detail, " ", 3);

              if (!g_strv_contains (small_tables, words[1]))
                g_error ("%s scans: %s", (const char *) g_ptr_array_index (queries, i), detail);
            }
        }
      sqlite3_finalize (stmt);
    }

  g_assert_cmpuint (searches, >=, queries->len);
}

/* Saving */

static void
test_save_normalises (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr (CrmContactDraft) draft = draft_named ("nguyễn", "  văn ", "đức");
  g_autoptr (CrmContact) contact = NULL;
  g_autofree char *today = NULL;
  GPtrArray *phones;
  gint64 id;

  crm_contact_draft_add_phone (draft, "0903 123 456", NULL);
  crm_contact_draft_add_phone (draft, "01683 456 789", "mobile");
  crm_contact_draft_add_phone (draft, "   ", NULL);
  ((CrmContactDetail *) g_ptr_array_index (draft->phones, 1))->primary = TRUE;
  crm_contact_draft_add_email (draft, "An.Nguyen@Gmail.COM ", NULL);
  crm_contact_draft_add_link (draft, "facebook.com/duc.nguyen", NULL);
  crm_contact_draft_add_tag (draft, "  Khách   VIP ");
  crm_contact_draft_add_tag (draft, "khách vip");
  crm_contact_draft_add_tag (draft, "");
  crm_contact_draft_set_text (draft, "birthday", "15/01/1990");
  crm_contact_draft_set_text (draft, "gender", "Male");
  crm_contact_draft_set_text (draft, "preferred_channel", "in person");
  crm_contact_draft_set_text (draft, "job_title", "  Kế toán trưởng ");
  draft->consent = TRUE;

  id = save (f, draft, NULL);
  contact = load (f, id);

  g_assert_cmpstr (crm_contact_get_family_name (contact), ==, "Nguyễn");
  g_assert_cmpstr (crm_contact_get_middle_name (contact), ==, "Văn");
  g_assert_cmpstr (crm_contact_get_given_name (contact), ==, "Đức");
  g_assert_cmpstr (crm_contact_get_display_name (contact), ==, "Nguyễn Văn Đức");
  g_assert_cmpstr (crm_contact_get_job_title (contact), ==, "Kế toán trưởng");
  g_assert_cmpstr (crm_contact_get_birthday (contact), ==, "1990-01-15");
  g_assert_cmpstr (crm_contact_get_gender (contact), ==, "male");
  g_assert_cmpstr (crm_contact_get_preferred_channel (contact), ==, "in_person");

  /* The blank row is dropped; the old 11-digit mobile is renumbered; the
   * one marked primary stays so and comes first. */
  phones = crm_contact_get_phones (contact);
  g_assert_cmpuint (phones->len, ==, 2);
  g_assert_cmpstr (detail_at (phones, 0)->value, ==, "+84383456789");
  g_assert_cmpstr (detail_at (phones, 0)->raw, ==, "01683 456 789");
  g_assert_cmpstr (detail_at (phones, 0)->label, ==, "mobile");
  g_assert_true (detail_at (phones, 0)->primary);
  g_assert_cmpstr (detail_at (phones, 1)->value, ==, "+84903123456");
  g_assert_false (detail_at (phones, 1)->primary);
  g_assert_cmpint (query_intf (f, "SELECT count(*) FROM contact_phone WHERE contact_id = %lld "
                                  "AND is_primary = 1", (long long) id), ==, 1);

  g_assert_cmpstr (crm_contact_get_primary_email (contact), ==, "An.Nguyen@gmail.com");
  g_assert_cmpstr (detail_at (crm_contact_get_links (contact), 0)->value, ==,
                   "https://facebook.com/duc.nguyen");
  g_assert_cmpuint (g_strv_length ((GStrv) crm_contact_get_tags (contact)), ==, 1);
  g_assert_cmpstr (crm_contact_get_tags (contact)[0], ==, "Khách VIP");

  /* Consent without a date was given today. */
  {
    g_autoptr (GDateTime) now = g_date_time_new_now_local ();

    today = g_date_time_format (now, "%Y-%m-%d");
  }
  g_assert_true (crm_contact_get_consent (contact));
  g_assert_cmpstr (crm_contact_get_consent_date (contact), ==, today);

  /* Searchable by the normalised values, and audited. */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (GArray) found = crm_search_contacts (f->store, "duc", &error);

    g_assert_no_error (error);
    g_assert_cmpuint (found->len, ==, 1);
    g_clear_pointer (&found, g_array_unref);
    found = crm_search_contacts (f->store, "0383 456 789", &error);
    g_assert_no_error (error);
    g_assert_cmpuint (found->len, ==, 1);
  }
  g_assert_cmpint (query_intf (f, "SELECT count(*) FROM audit_log WHERE entity = 'contact' "
                                  "AND entity_id = %lld AND action = 'insert'", (long long) id),
                   ==, 1);
}

static void
test_save_update (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr (CrmContactDraft) draft = draft_named ("Trần", "Thị", "Mai");
  g_autoptr (CrmContactDraft) edit = NULL;
  g_autoptr (CrmContact) before = NULL;
  g_autoptr (CrmContact) after = NULL;
  gint64 id;

  crm_contact_draft_add_phone (draft, "0912 345 678", "mobile");
  crm_contact_draft_add_phone (draft, "0987 654 321", "home");
  crm_contact_draft_add_tag (draft, "Mới");
  id = save (f, draft, NULL);
  before = load (f, id);

  edit = crm_contact_draft_new_from_contact (before);
  g_assert_cmpint (edit->id, ==, id);
  /* Phone numbers are edited as typed. */
  g_assert_cmpstr (detail_at (edit->phones, 0)->value, ==, "0912 345 678");
  g_ptr_array_remove_index (edit->phones, 1);
  crm_contact_draft_add_email (edit, "mai.tran@example.vn", NULL);
  crm_contact_draft_set_text (edit, "job_title", "Trưởng phòng");
  g_ptr_array_set_size (edit->tags, 0);
  crm_contact_draft_add_tag (edit, "Thân thiết");
  g_assert_cmpint (save (f, edit, NULL), ==, id);

  after = load (f, id);
  g_assert_cmpstr (crm_contact_get_job_title (after), ==, "Trưởng phòng");
  g_assert_cmpuint (crm_contact_get_phones (after)->len, ==, 1);
  g_assert_cmpstr (detail_at (crm_contact_get_phones (after), 0)->value, ==, "+84912345678");
  g_assert_cmpstr (crm_contact_get_primary_email (after), ==, "mai.tran@example.vn");
  g_assert_cmpstr (crm_contact_get_tags (after)[0], ==, "Thân thiết");
  g_assert_null (crm_contact_get_tags (after)[1]);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM contact"), ==, 1);
  g_assert_cmpint (query_intf (f, "SELECT count(*) FROM audit_log WHERE entity = 'contact' "
                                  "AND entity_id = %lld AND action = 'update' "
                                  "AND changes ->> '$.new.job_title' = 'Trưởng phòng'",
                               (long long) id), ==, 1);
}

static void
test_save_given_name_first (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr (CrmContactDraft) draft = draft_named ("smith", NULL, "john");
  g_autoptr (CrmContactDraft) edit = NULL;
  g_autoptr (CrmContact) contact = NULL;
  g_autoptr (CrmContact) again = NULL;
  gint64 id;

  draft->given_name_first = TRUE;
  id = save (f, draft, NULL);
  contact = load (f, id);
  g_assert_cmpstr (crm_contact_get_display_name (contact), ==, "John Smith");
  g_assert_true (crm_contact_get_given_name_first (contact));

  /* An edit keeps the order. */
  edit = crm_contact_draft_new_from_contact (contact);
  crm_contact_draft_set_text (edit, "given_name", "Jane");
  save (f, edit, NULL);
  again = load (f, id);
  g_assert_cmpstr (crm_contact_get_display_name (again), ==, "Jane Smith");
}

static void
test_save_problems (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr (CrmContactDraft) draft = crm_contact_draft_new ();
  g_autoptr (GPtrArray) problems = NULL;
  g_autoptr (GError) error = NULL;
  const CrmFieldProblem *problem;
  g_autofree char *future = NULL;

  exec (f, "INSERT INTO custom_field (entity, key, label, type, options) VALUES "
           "('contact', 'budget', 'Budget', 'number', NULL), "
           "('contact', 'size', 'Size', 'choice', '[\"S\", \"M\", \"L\"]'), "
           "('contact', 'met', 'Met on', 'date', NULL)");

  crm_contact_draft_add_phone (draft, "0903 123 456", NULL);
  crm_contact_draft_add_phone (draft, "0123", NULL);
  crm_contact_draft_add_phone (draft, "+84 903 123 456", NULL);
  crm_contact_draft_add_email (draft, "an@", NULL);
  crm_contact_draft_add_link (draft, "not a link", NULL);
  crm_contact_draft_set_text (draft, "birthday", "31/02/1990");
  crm_contact_draft_set_text (draft, "gender", "x");
  crm_contact_draft_set_text (draft, "consent_date", "soon");
  crm_contact_draft_set_custom (draft, "budget", "nhiều");
  crm_contact_draft_set_custom (draft, "size", "XL");
  crm_contact_draft_set_custom (draft, "met", "22/11/2026");
  crm_contact_draft_set_custom (draft, "nope", "1");
  draft->company_id = 77;

  g_assert_false (crm_contact_draft_validate (draft, f->store, &problems));
  g_assert_nonnull (find_problem (problems, "given_name", -1));
  problem = find_problem (problems, "phone", 1);
  g_assert_nonnull (problem);
  g_assert_cmpstr (problem->value, ==, "0123");
  g_assert_nonnull (strstr (problem->message, "0123"));
  g_assert_null (strchr (problem->message, '\n'));
  /* The same number written another way is a repeat. */
  g_assert_nonnull (find_problem (problems, "phone", 2));
  g_assert_null (find_problem (problems, "phone", 0));
  g_assert_nonnull (find_problem (problems, "email", 0));
  g_assert_nonnull (find_problem (problems, "link", 0));
  problem = find_problem (problems, "birthday", -1);
  g_assert_nonnull (problem);
  g_assert_nonnull (strstr (problem->message, "31/02/1990"));
  g_assert_nonnull (find_problem (problems, "gender", -1));
  g_assert_nonnull (find_problem (problems, "consent_date", -1));
  g_assert_nonnull (find_problem (problems, "custom:budget", -1));
  g_assert_nonnull (find_problem (problems, "custom:size", -1));
  g_assert_null (find_problem (problems, "custom:met", -1));
  g_assert_nonnull (find_problem (problems, "custom:nope", -1));
  g_assert_nonnull (find_problem (problems, "company_id", -1));
  g_assert_cmpuint (problems->len, ==, 12);

  /* Saving says the first problem and writes nothing. */
  g_assert_cmpint (crm_contact_save (f->store, draft, NULL, &error), ==, 0);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM contact"), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM contact_phone"), ==, 0);

  /* A birthday in the future. */
  {
    g_autoptr (GDateTime) now = g_date_time_new_now_local ();
    g_autoptr (GDateTime) next_year = g_date_time_add_years (now, 1);

    future = g_date_time_format (next_year, "%Y-%m-%d");
  }
  g_clear_pointer (&problems, g_ptr_array_unref);
  g_clear_pointer (&draft, crm_contact_draft_free);
  draft = draft_named (NULL, NULL, "An");
  crm_contact_draft_set_text (draft, "birthday", future);
  g_assert_false (crm_contact_draft_validate (draft, NULL, &problems));
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_nonnull (find_problem (problems, "birthday", -1));

  crm_contact_draft_set_text (draft, "birthday", "1990-2-1");
  g_clear_pointer (&problems, g_ptr_array_unref);
  g_assert_true (crm_contact_draft_validate (draft, f->store, &problems));
  g_assert_cmpuint (problems->len, ==, 0);
}

static void
test_normalize_preview (Fixture       *f,
                        gconstpointer  data)
{
  static const struct {
    const char *field;
    const char *typed;
    const char *stored;
  } cases[] = {
    { "phone", "0903 123 456", "+84903123456" },
    { "phone", "01683 456 789", "+84383456789" },
    { "email", " An@Example.VN", "An@example.vn" },
    { "given_name", "đức", "Đức" },
    { "birthday", "1/2/1990", "1990-02-01" },
    { "birthday", "1990-02-01", "1990-02-01" },
    { "consent_date", "22.11.2026", "2026-11-22" },
    { "link", "zalo.me/an", "https://zalo.me/an" },
    { "tag", "  khách   sỉ ", "khách sỉ" },
    { "job_title", "  Kế toán ", "Kế toán" },
    { "phone", "   ", "" },
  };
  static const struct {
    const char *field;
    const char *typed;
  } wrong[] = {
    { "phone", "0123" }, { "email", "an at example" }, { "birthday", "2000-13-01" },
    { "birthday", "29/02/2023" }, { "link", "http://localhost" }, { "gender", "unknown" },
    { "preferred_channel", "pigeon" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *value = crm_contact_normalize_value (cases[i].field, cases[i].typed,
                                                            &error);

      g_assert_no_error (error);
      g_assert_cmpstr (value, ==, cases[i].stored);
    }

  for (guint i = 0; i < G_N_ELEMENTS (wrong); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *value = crm_contact_normalize_value (wrong[i].field, wrong[i].typed,
                                                            &error);

      g_assert_null (value);
      g_assert_nonnull (error);
      g_assert_null (strchr (error->message, '\n'));
    }
}

static void
test_duplicates (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr (CrmContactDraft) first = draft_named ("Lê", NULL, "Hoa");
  g_autoptr (CrmContactDraft) second = draft_named ("Phạm", NULL, "Bình");
  g_autofree char *name = NULL;
  g_autoptr (GError) error = NULL;
  gint64 a, b;

  crm_contact_draft_add_phone (first, "0903 111 222", NULL);
  crm_contact_draft_add_email (first, "hoa@Example.com", NULL);
  a = save (f, first, NULL);
  crm_contact_draft_add_phone (second, "+84 903 111 222", NULL);
  b = save (f, second, NULL);

  g_assert_cmpint (crm_contacts_find_by_phone (f->store, "+84903111222", 0, &name, &error), ==,
                   a);
  g_assert_no_error (error);
  g_assert_cmpstr (name, ==, "Lê Hoa");
  g_clear_pointer (&name, g_free);
  g_assert_cmpint (crm_contacts_find_by_phone (f->store, "+84903111222", a, &name, &error), ==,
                   b);
  g_assert_cmpstr (name, ==, "Phạm Bình");
  g_clear_pointer (&name, g_free);
  g_assert_cmpint (crm_contacts_find_by_phone (f->store, "+84903999999", 0, &name, &error), ==,
                   0);
  g_assert_null (name);

  /* The domain compares without regard to case. */
  g_assert_cmpint (crm_contacts_find_by_email (f->store, "hoa@EXAMPLE.COM", 0, &name, &error),
                   ==, a);
  g_assert_cmpstr (name, ==, "Lê Hoa");
  g_clear_pointer (&name, g_free);
  g_assert_cmpint (crm_contacts_find_by_email (f->store, "hoa@example.com", a, NULL, &error),
                   ==, 0);
  g_assert_cmpint (crm_contacts_find_by_email (f->store, "Hoa@example.com", 0, NULL, &error),
                   ==, 0);
  g_assert_no_error (error);
}

/* Undo */

static void
apply (Fixture *f,
       CrmUndo *undo)
{
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (undo);
  g_assert_true (crm_undo_apply (undo, f->store, &error));
  g_assert_no_error (error);
}

static void
test_undo_create (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr (CrmContactDraft) draft = draft_named ("Võ", NULL, "Nam");
  g_autoptr (CrmUndo) undo = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) found = NULL;
  gint64 id;

  exec (f, "INSERT INTO tag (name) VALUES ('Cũ')");
  exec (f, "INSERT INTO custom_field (entity, key, label, type) "
           "VALUES ('contact', 'note', 'Note', 'text')");
  crm_contact_draft_add_phone (draft, "0903 000 111", NULL);
  crm_contact_draft_add_tag (draft, "cũ");
  crm_contact_draft_add_tag (draft, "Hoàn toàn mới");
  crm_contact_draft_set_custom (draft, "note", "x");
  id = save (f, draft, &undo);
  g_assert_cmpstr (crm_undo_get_entity (undo), ==, "contact");
  g_assert_cmpint (crm_undo_get_id (undo), ==, id);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM tag"), ==, 2);

  apply (f, undo);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM contact"), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM contact_phone"), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM custom_value"), ==, 0);
  /* The tag the save made is gone; the one that was there stays. */
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM tag"), ==, 1);
  found = crm_search_contacts (f->store, "nam", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);
}

static void
test_undo_update (Fixture       *f,
                  gconstpointer  data)
{
  gint64 company_id;
  gint64 id = make_full_contact (f, &company_id);
  g_autoptr (CrmContact) contact = load (f, id);
  g_autoptr (CrmContactDraft) edit = crm_contact_draft_new_from_contact (contact);
  g_autoptr (CrmUndo) undo = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *restored = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) found = NULL;

  /* A second apart, so that "updated" differs. */
  exec (f, "UPDATE contact SET updated = updated - 10");
  before = dump_contact (f, id);

  crm_contact_draft_set_text (edit, "family_name", "Hoàng");
  crm_contact_draft_set_text (edit, "birthday", NULL);
  g_ptr_array_remove_index (edit->emails, 0);
  g_ptr_array_set_size (edit->addresses, 0);
  crm_contact_draft_add_phone (edit, "0911 222 333", NULL);
  crm_contact_draft_add_tag (edit, "Mới toanh");
  crm_contact_draft_set_custom (edit, "budget", "");
  edit->company_id = 0;
  save (f, edit, &undo);
  after = dump_contact (f, id);
  g_assert_cmpstr (before, !=, after);

  apply (f, undo);
  restored = dump_contact (f, id);
  g_assert_cmpstr (restored, ==, before);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM tag WHERE name = 'Mới toanh'"), ==, 0);

  /* The search index follows. */
  found = crm_search_contacts (f->store, "hoang", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_array_unref);
  found = crm_search_contacts (f->store, "nguyen duc", &error);
  g_assert_cmpuint (found->len, ==, 1);
}

static void
test_undo_archive (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr (CrmContactDraft) draft = draft_named ("Đặng", NULL, "Khoa");
  g_autoptr (CrmUndo) undo = NULL;
  g_autoptr (CrmUndo) again = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *restored = NULL;
  gint64 id = save (f, draft, NULL);

  exec (f, "UPDATE contact SET updated = updated - 10");
  before = dump_contact (f, id);

  g_assert_true (crm_contact_set_archived (f->store, id, TRUE, &undo, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_intf (f, "SELECT archived FROM contact WHERE id = %lld",
                               (long long) id), ==, 1);
  apply (f, undo);
  restored = dump_contact (f, id);
  g_assert_cmpstr (restored, ==, before);

  /* Unarchive, and its undo. */
  g_assert_true (crm_contact_set_archived (f->store, id, TRUE, NULL, &error));
  g_assert_true (crm_contact_set_archived (f->store, id, FALSE, &again, &error));
  g_assert_cmpint (query_intf (f, "SELECT archived FROM contact WHERE id = %lld",
                               (long long) id), ==, 0);
  apply (f, again);
  g_assert_cmpint (query_intf (f, "SELECT archived FROM contact WHERE id = %lld",
                               (long long) id), ==, 1);

  g_assert_false (crm_contact_set_archived (f->store, 999, TRUE, NULL, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
}

static void
test_undo_delete (Fixture       *f,
                  gconstpointer  data)
{
  gint64 company_id;
  gint64 id = make_full_contact (f, &company_id);
  g_autoptr (CrmUndo) undo = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) found = NULL;
  g_autofree char *before = dump_contact (f, id);
  g_autofree char *restored = NULL;
  g_autoptr (CrmContact) contact = NULL;

  g_assert_true (crm_contact_delete (f->store, id, &undo, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM contact"), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM interaction"), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM custom_value"), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM deal WHERE contact_id IS NULL"), ==, 3);

  apply (f, undo);
  restored = dump_contact (f, id);
  g_assert_cmpstr (restored, ==, before);

  contact = load (f, id);
  g_assert_cmpuint (crm_contact_get_n_interactions (contact), ==, 11);
  g_assert_cmpuint (crm_contact_get_open_deals (contact)->len, ==, 2);
  g_assert_nonnull (crm_contact_get_next_task (contact));
  found = crm_search_contacts (f->store, "duc@minhphat", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpint (g_array_index (found, gint64, 0), ==, id);

  g_assert_false (crm_contact_delete (f->store, 999, NULL, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
}

/* Erase */

static gboolean
bytes_contain (const void *haystack,
               gsize       length,
               const char *needle)
{
  return memmem (haystack, length, needle, strlen (needle)) != NULL;
}

/* Every value of every column of every table (the audit log included)
 * that holds one of the needles; with @blobs, binary values too: the search
 * index's pages. */
static GPtrArray *
find_anywhere (Fixture           *f,
               const char *const *needles,
               gboolean           blobs)
{
  g_autoptr (GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *found = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *db = crm_store_get_db (f->store);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT name FROM sqlite_schema WHERE type = 'table'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (tables, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  g_assert_cmpuint (tables->len, >, 20);

  for (guint t = 0; t < tables->len; t++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM \"%s\"",
                                              (const char *) g_ptr_array_index (tables, t));

      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            {
              const void *value = sqlite3_column_blob (stmt, c);
              gsize length = sqlite3_column_bytes (stmt, c);

              if (!blobs && sqlite3_column_type (stmt, c) != SQLITE_TEXT)
                continue;

              for (guint n = 0; needles[n] != NULL; n++)
                {
                  if (value != NULL && bytes_contain (value, length, needles[n]))
                    g_ptr_array_add (found, g_strdup_printf ("%s.%s: %s",
                                                             (const char *) g_ptr_array_index (tables, t),
                                                             sqlite3_column_name (stmt, c),
                                                             needles[n]));
                }
            }
        }
      sqlite3_finalize (stmt);
    }

  return found;
}

static void
test_erase (Fixture       *f,
            gconstpointer  data)
{
  /* Distinctive values, and their folded forms as the search index keeps
   * them. */
  static const char *const needles[] = {
    "Xuyến", "Quách", "Thục", "xuyen", "quach", "thuc",
    "xuyen.quach@hoalan.vn", "hoalan", "+84977654321", "977654321", "0977 654 321",
    "+842439998888", "2439998888", "Ngõ Quỳnh", "Ngo Quynh", "quynh",
    "khiếu nại riêng", "Bí mật", "9/9/1979", "1979-09-09", "Sở thích lạ", NULL
  };
  g_autoptr (CrmContactDraft) draft = draft_named ("Quách", "Thục", "Xuyến");
  g_autoptr (CrmContactDraft) other = draft_named ("Lý", NULL, "Tâm");
  g_autoptr (CrmContactDraft) edit = NULL;
  g_autoptr (CrmContact) contact = NULL;
  g_autoptr (GPtrArray) before = NULL;
  g_autoptr (GPtrArray) after = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) found = NULL;
  gint64 id, other_id, company_id;

  company_id = make_company (f, "Hoa Lan");
  exec (f, "INSERT INTO custom_field (entity, key, label, type) "
           "VALUES ('contact', 'hobby', 'Hobby', 'text')");
  draft->company_id = company_id;
  crm_contact_draft_add_email (draft, "xuyen.quach@hoalan.vn", NULL);
  crm_contact_draft_add_phone (draft, "0977 654 321", NULL);
  crm_contact_draft_add_phone (draft, "024 3999 8888", NULL);
  g_ptr_array_add (draft->addresses,
                   crm_contact_detail_new_address ("Ngõ Quỳnh", NULL, "Hai Bà Trưng",
                                                   "Hà Nội", "VN", NULL, TRUE));
  crm_contact_draft_add_tag (draft, "Bí mật");
  crm_contact_draft_set_text (draft, "birthday", "9/9/1979");
  crm_contact_draft_set_custom (draft, "hobby", "Sở thích lạ");
  id = save (f, draft, NULL);

  /* History: an edit, interactions (one deleted before the erase), a
   * task, deals. */
  contact = load (f, id);
  edit = crm_contact_draft_new_from_contact (contact);
  crm_contact_draft_set_text (edit, "job_title", "Bí mật quốc gia");
  save (f, edit, NULL);
  execf (f, "INSERT INTO interaction (contact_id, kind, happened, subject, body) VALUES "
            "(%1$lld, 'complaint', 1700000000, 'Xuyến khiếu nại riêng', 'Quách Thục Xuyến'), "
            "(%1$lld, 'call', 1700000100, 'Gọi Xuyến', NULL)",
         (long long) id);
  execf (f, "DELETE FROM interaction WHERE contact_id = %lld AND kind = 'call'", (long long) id);
  execf (f, "INSERT INTO task (title, contact_id) VALUES ('Gọi lại cho Xuyến', %lld)",
         (long long) id);
  execf (f, "INSERT INTO deal (title, contact_id, company_id, stage_id, notes) VALUES "
            "('Hợp đồng hoa', %lld, %lld, 1, 'Người liên hệ: Xuyến')",
         (long long) id, (long long) company_id);
  exec (f, "UPDATE deal SET notes = 'Đã gặp' WHERE title = 'Hợp đồng hoa'");

  /* Someone else, who stays. */
  crm_contact_draft_add_phone (other, "0988 111 222", NULL);
  other_id = save (f, other, NULL);

  before = find_anywhere (f, needles, TRUE);
  g_assert_cmpuint (before->len, >, 10);

  g_assert_true (crm_contact_erase (f->store, id, &error));
  g_assert_no_error (error);

  after = find_anywhere (f, needles, FALSE);
  for (guint i = 0; i < after->len; i++)
    g_test_message ("left behind: %s", (const char *) g_ptr_array_index (after, i));
  g_assert_cmpuint (after->len, ==, 0);

  /* The search index's pages keep the words until they are merged. */
  g_assert_true (crm_contacts_purge_erased (f->store, &error));
  g_assert_no_error (error);
  g_clear_pointer (&after, g_ptr_array_unref);
  after = find_anywhere (f, needles, TRUE);
  for (guint i = 0; i < after->len; i++)
    g_test_message ("left behind: %s", (const char *) g_ptr_array_index (after, i));
  g_assert_cmpuint (after->len, ==, 0);

  /* One erase row, with nothing personal; no audit row about them keeps
   * any values. */
  g_assert_cmpint (query_intf (f, "SELECT count(*) FROM audit_log WHERE action = 'erase' "
                                  "AND entity = 'contact' AND entity_id = %lld "
                                  "AND changes IS NULL AND who <> ''", (long long) id), ==, 1);
  g_assert_cmpint (query_intf (f, "SELECT count(*) FROM audit_log WHERE entity = 'contact' "
                                  "AND entity_id = %lld AND changes IS NOT NULL",
                               (long long) id), ==, 0);

  /* The deal stays, without the link; everything else is gone. */
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM deal WHERE contact_id IS NULL "
                                 "AND title = 'Hợp đồng hoa'"), ==, 1);
  g_assert_cmpint (query_intf (f, "SELECT count(*) FROM contact WHERE id = %lld",
                               (long long) id), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM interaction"), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM task"), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM custom_value"), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM contact_tag"), ==, 0);

  found = crm_search_contacts (f->store, "xuyen", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_array_unref);
  found = crm_search_contacts (f->store, "0988 111 222", &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpint (g_array_index (found, gint64, 0), ==, other_id);

  /* Search still finds new rows after the index's secure delete. */
  {
    g_autoptr (CrmContactDraft) late = draft_named ("Quách", NULL, "Mới");
    gint64 late_id = save (f, late, NULL);

    g_clear_pointer (&found, g_array_unref);
    found = crm_search_contacts (f->store, "quach", &error);
    g_assert_cmpuint (found->len, ==, 1);
    g_assert_cmpint (g_array_index (found, gint64, 0), ==, late_id);
  }

  g_assert_false (crm_contact_erase (f->store, id, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
}

static void
erased_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GError **error = user_data;
  gboolean erased = crm_contact_erase_finish (CRM_STORE (source), result, error);

  /* TRUE or an error, never both. */
  g_assert_true (erased == (*error == NULL));
  *(gboolean *) g_object_get_data (source, "test-done") = TRUE;
}

static void
erase_async_and_wait (Fixture       *f,
                      gint64         id,
                      GCancellable  *cancellable,
                      GError       **error)
{
  gboolean done = FALSE;

  g_object_set_data (G_OBJECT (f->store), "test-done", &done);
  crm_contact_erase_async (f->store, id, cancellable, erased_cb, error);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_object_set_data (G_OBJECT (f->store), "test-done", NULL);
}

static void
test_erase_async (Fixture       *f,
                  gconstpointer  data)
{
  static const char *const needles[] = { "Thư", "Diệp", "0977 111 333", "+84977111333",
                                         "chuyện riêng", NULL };
  g_autoptr (CrmContactDraft) draft = draft_named ("Diệp", NULL, "Thư");
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GPtrArray) after = NULL;
  g_autoptr (GError) error = NULL;
  gint64 id;

  crm_contact_draft_add_phone (draft, "0977 111 333", NULL);
  id = save (f, draft, NULL);
  execf (f, "INSERT INTO interaction (contact_id, kind, happened, body) VALUES "
            "(%1$lld, 'note', 1700000000, 'Thư kể chuyện riêng'), "
            "(%1$lld, 'note', 1700000001, 'Cũ')", (long long) id);
  /* Edited, then deleted: the delete's audit row names the contact, and
   * then every audit row of that interaction goes blank. */
  exec (f, "UPDATE interaction SET body = 'Thư kể chuyện riêng lần nữa' WHERE body = 'Cũ'");
  execf (f, "DELETE FROM interaction WHERE contact_id = %lld AND body LIKE '%%lần nữa'",
         (long long) id);

  /* Cancelled: nothing happens. */
  g_cancellable_cancel (cancellable);
  erase_async_and_wait (f, id, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpint (query_intf (f, "SELECT count(*) FROM contact WHERE id = %lld",
                               (long long) id), ==, 1);

  erase_async_and_wait (f, id, NULL, &error);
  g_assert_no_error (error);
  after = find_anywhere (f, needles, FALSE);
  for (guint i = 0; i < after->len; i++)
    g_test_message ("left behind: %s", (const char *) g_ptr_array_index (after, i));
  g_assert_cmpuint (after->len, ==, 0);
  g_assert_cmpint (query_intf (f, "SELECT count(*) FROM audit_log WHERE action = 'erase' "
                                  "AND entity_id = %lld", (long long) id), ==, 1);

  /* Gone: a second erase says so. */
  erase_async_and_wait (f, id, NULL, &error);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
}

/* Export */

static void
test_export_json (Fixture       *f,
                  gconstpointer  data)
{
  gint64 company_id;
  gint64 id = make_full_contact (f, &company_id);
  g_autoptr (GError) error = NULL;
  g_autofree char *text = crm_contact_export_json (f->store, id, &error);
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *root, *contact, *object;
  JsonArray *array;
  gboolean saw_insert = FALSE;

  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));

  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, "rapport-contact");
  contact = json_object_get_object_member (root, "contact");
  g_assert_cmpint (json_object_get_int_member (contact, "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (contact, "given_name"), ==, "Đức");
  g_assert_cmpstr (json_object_get_string_member (contact, "display_name"), ==,
                   "Nguyễn Văn Đức");
  g_assert_cmpstr (json_object_get_string_member (contact, "birthday"), ==, "1985-03-09");
  g_assert_true (json_object_has_member (contact, "consent"));
  g_assert_true (json_object_get_null_member (contact, "gender"));
  g_assert_false (json_object_has_member (contact, "sort_given"));

  object = json_object_get_object_member (root, "company");
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "Công ty Minh Phát");
  object = json_object_get_object_member (root, "lifecycle_stage");
  g_assert_cmpstr (json_object_get_string_member (object, "key"), ==, "customer");

  array = json_object_get_array_member (root, "emails");
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0),
                                                  "email"), ==, "duc@minhphat.vn");
  array = json_object_get_array_member (root, "phones");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0),
                                                  "e164"), ==, "+84903123456");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0),
                                                  "raw"), ==, "0903 123 456");
  array = json_object_get_array_member (root, "addresses");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0),
                                                  "ward"), ==, "Phường Bến Nghé");
  array = json_object_get_array_member (root, "links");
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  array = json_object_get_array_member (root, "tags");
  g_assert_cmpstr (json_array_get_string_element (array, 0), ==, "VIP");
  array = json_object_get_array_member (root, "custom_fields");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0),
                                                  "value"), ==, "5000000");
  array = json_object_get_array_member (root, "interactions");
  g_assert_cmpuint (json_array_get_length (array), ==, 11);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (array, 0),
                                               "amount"), ==, 1000000);
  array = json_object_get_array_member (root, "deals");
  g_assert_cmpuint (json_array_get_length (array), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0),
                                                  "stage"), ==, "Negotiation");
  array = json_object_get_array_member (root, "tasks");
  g_assert_cmpuint (json_array_get_length (array), ==, 4);

  /* The audit history, its changes as JSON. */
  array = json_object_get_array_member (root, "audit");
  g_assert_cmpuint (json_array_get_length (array), >=, 1);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *entry = json_array_get_object_element (array, i);

      if (g_str_equal (json_object_get_string_member (entry, "action"), "insert"))
        {
          JsonObject *changes = json_object_get_object_member (entry, "changes");
          JsonObject *values = json_object_get_object_member (changes, "new");

          g_assert_cmpstr (json_object_get_string_member (values, "family_name"), ==, "Nguyễn");
          saw_insert = TRUE;
        }
    }
  g_assert_true (saw_insert);

  g_clear_pointer (&text, g_free);
  text = crm_contact_export_json (f->store, 999, &error);
  g_assert_null (text);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
}

/* The vCard's lines, unfolded. */
static GPtrArray *
unfold (const char *card)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) physical = g_strsplit (card, "\r\n", -1);
  guint n = g_strv_length (physical);

  /* The card ends with a line break. */
  g_assert_cmpstr (physical[n - 1], ==, "");
  for (guint i = 0; i + 1 < n; i++)
    {
      g_assert_cmpuint (strlen (physical[i]), <=, 75);
      g_assert_true (g_utf8_validate (physical[i], -1, NULL));
      g_assert_null (strchr (physical[i], '\n'));
      g_assert_null (strchr (physical[i], '\r'));
      if (physical[i][0] == ' ')
        {
          char *last;

          g_assert_cmpuint (lines->len, >, 0);
          last = g_ptr_array_index (lines, lines->len - 1);
          lines->pdata[lines->len - 1] = g_strconcat (last, physical[i] + 1, NULL);
          g_free (last);
        }
      else
        {
          g_ptr_array_add (lines, g_strdup (physical[i]));
        }
    }

  return lines;
}

static gboolean
has_line (GPtrArray  *lines,
          const char *line)
{
  return g_ptr_array_find_with_equal_func (lines, line, g_str_equal, NULL);
}

static void
test_export_vcard (Fixture       *f,
                   gconstpointer  data)
{
  gint64 company_id;
  gint64 id = make_full_contact (f, &company_id);
  g_autoptr (CrmContact) contact = load (f, id);
  g_autoptr (CrmContactDraft) edit = crm_contact_draft_new_from_contact (contact);
  g_autoptr (GError) error = NULL;
  g_autofree char *card = NULL;
  g_autoptr (GPtrArray) lines = NULL;

  crm_contact_draft_set_text (edit, "job_title", "Giám đốc, kinh doanh; miền Nam");
  crm_contact_draft_set_text (edit, "notes",
                              "Khách hàng thân thiết từ năm 2015, thường đặt hàng vào cuối quý.\n"
                              "Đường dẫn nội bộ: C:\\khach\\duc");
  crm_contact_draft_add_tag (edit, "Hà Nội, Sài Gòn");
  save (f, edit, NULL);

  card = crm_contact_export_vcard (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (card, "BEGIN:VCARD\r\nVERSION:4.0\r\n"));
  g_assert_true (g_str_has_suffix (card, "END:VCARD\r\n"));
  /* The note is long enough to be folded. */
  g_assert_nonnull (strstr (card, "\r\n "));

  lines = unfold (card);
  g_assert_true (has_line (lines, "FN:Nguyễn Văn Đức"));
  g_assert_true (has_line (lines, "N:Nguyễn;Đức;Văn;;"));
  g_assert_true (has_line (lines, "TEL;VALUE=uri;TYPE=cell;PREF=1:tel:+84903123456"));
  g_assert_true (has_line (lines, "TEL;VALUE=uri;TYPE=work:tel:+842838221234"));
  g_assert_true (has_line (lines, "EMAIL;TYPE=work;PREF=1:duc@minhphat.vn"));
  g_assert_true (has_line (lines, "EMAIL;TYPE=home:duc.nguyen@gmail.com"));
  g_assert_true (has_line (lines, "ADR;TYPE=work;PREF=1:;;12 Lê Lợi;Phường Bến Nghé\\, Quận 1;"
                                  "TP Hồ Chí Minh;;VN"));
  g_assert_true (has_line (lines, "BDAY:19850309"));
  g_assert_true (has_line (lines, "ORG:Công ty Minh Phát"));
  g_assert_true (has_line (lines, "TITLE:Giám đốc\\, kinh doanh\\; miền Nam"));
  g_assert_true (has_line (lines, "NOTE:Khách hàng thân thiết từ năm 2015\\, thường đặt hàng "
                                  "vào cuối quý.\\nĐường dẫn nội bộ: C:\\\\khach\\\\duc"));
  g_assert_true (has_line (lines, "CATEGORIES:Hà Nội\\, Sài Gòn,VIP,Đối tác"));
  g_assert_true (has_line (lines, "URL;PREF=1:https://zalo.me/0903123456"));
}

static void
test_vcard_folding (void)
{
  g_autoptr (GString) card = g_string_new (NULL);
  g_autoptr (GString) long_line = g_string_new ("NOTE:");
  g_autoptr (GPtrArray) lines = NULL;
  g_autofree char *escaped = NULL;

  /* Three-octet characters after a five-octet name: a fold may not split
   * one. */
  for (guint i = 0; i < 100; i++)
    g_string_append (long_line, "ữ");
  crm_vcard_append_line (card, long_line->str);
  crm_vcard_append_line (card, "SHORT:a");

  lines = unfold (card->str);
  g_assert_cmpuint (lines->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (lines, 0), ==, long_line->str);
  g_assert_cmpstr (g_ptr_array_index (lines, 1), ==, "SHORT:a");
  /* 5 + 3 × 23 = 74 octets fit on the first line. */
  g_assert_true (g_str_has_prefix (card->str + 74, "\r\n "));

  escaped = crm_vcard_escape ("a,b;c\\d\r\ne\nf");
  g_assert_cmpstr (escaped, ==, "a\\,b\\;c\\\\d\\ne\\nf");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/contact/load/everything", test_load_everything);
  ADD ("/contact/load/empty-figures", test_load_empty_figures);
  ADD ("/contact/load/missing", test_load_missing);
  ADD ("/contact/load/uses-indexes", test_load_uses_indexes);
  ADD ("/contact/save/normalises", test_save_normalises);
  ADD ("/contact/save/update", test_save_update);
  ADD ("/contact/save/given-name-first", test_save_given_name_first);
  ADD ("/contact/save/problems", test_save_problems);
  ADD ("/contact/save/preview", test_normalize_preview);
  ADD ("/contact/duplicates", test_duplicates);
  ADD ("/contact/undo/create", test_undo_create);
  ADD ("/contact/undo/update", test_undo_update);
  ADD ("/contact/undo/archive", test_undo_archive);
  ADD ("/contact/undo/delete", test_undo_delete);
  ADD ("/contact/erase", test_erase);
  ADD ("/contact/erase-async", test_erase_async);
  ADD ("/contact/export/json", test_export_json);
  ADD ("/contact/export/vcard", test_export_vcard);
  g_test_add_func ("/contact/vcard/folding", test_vcard_folding);

#undef ADD

  return g_test_run ();
}
