/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "crm-fields.h"
#include "crm-key.h"
#include "crm-pipeline.h"
#include "crm-pipeline-bench.h"
#include "crm-store.h"
#include "crm-test-util.h"

/* The default pipeline's stages, by position. */
enum {
  NEW_LEAD,
  QUALIFIED,
  PROPOSAL,
  NEGOTIATION,
  WON,
  LOST,
  N_DEFAULT_STAGES
};

typedef struct
{
  char     *dir;
  CrmStore *store;
  gint64    stage[N_DEFAULT_STAGES];
} Fixture;

/* 2026-06-15 12:00:00 UTC */
#define NOW_TEXT "1781524800"
#define NOW G_GINT64_CONSTANT (1781524800)
#define DAY (24 * 60 * 60)

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) key = crm_key_generate (&error);
  g_autoptr (CrmPipeline) pipeline = NULL;
  g_autofree char *workspace = NULL;

  g_assert_no_error (error);
  f->dir = crm_test_make_dir ();
  workspace = g_build_filename (f->dir, "workspace", NULL);
  f->store = crm_store_create (workspace, key, &error);
  g_assert_no_error (error);

  pipeline = crm_pipeline_load (f->store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pipeline->stages->len, ==, N_DEFAULT_STAGES);
  for (guint i = 0; i < N_DEFAULT_STAGES; i++)
    f->stage[i] = ((CrmStage *) g_ptr_array_index (pipeline->stages, i))->id;
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

/* Every deal row as text, to compare whole states. */
static char *
dump_deals (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt = crm_store_prepare (f->store, "SELECT * FROM deal ORDER BY id", &error);
  GString *dump = g_string_new (NULL);

  g_assert_no_error (error);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        g_string_append_printf (dump, "%s|", (const char *) sqlite3_column_text (stmt, i));
      g_string_append_c (dump, '\n');
    }
  sqlite3_finalize (stmt);

  return g_string_free (dump, FALSE);
}

static gint64
add_deal (Fixture    *f,
          gint64      stage_id,
          const char *title,
          gint64      value,
          const char *currency,
          const char *owner,
          const char *close,
          gint64      entered,
          gint64      position)
{
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt;

  stmt = crm_store_prepare (f->store,
                            "INSERT INTO deal (title, stage_id, value, currency, owner, "
                            "expected_close, stage_entered, position, status) VALUES "
                            "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
                            "(SELECT kind FROM stage WHERE id = ?2))",
                            &error);
  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, title, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, stage_id);
  sqlite3_bind_int64 (stmt, 3, value);
  sqlite3_bind_text (stmt, 4, currency, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, owner, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, close, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 7, entered);
  sqlite3_bind_int64 (stmt, 8, position);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);

  return sqlite3_last_insert_rowid (crm_store_get_db (f->store));
}

static gint64
add_simple (Fixture    *f,
            gint64      stage_id,
            const char *title,
            gint64      position)
{
  return add_deal (f, stage_id, title, 1000000, "VND", "an", NULL, NOW - DAY, position);
}

/* The stage's board cards are exactly @ids in this order (positions may
 * tie where other code saved them so; the id breaks the tie). */
static void
assert_column (Fixture      *f,
               gint64        stage_id,
               const gint64 *ids,
               guint         n_ids)
{
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt;
  guint i = 0;
  gint64 last = G_MININT64;

  stmt = crm_store_prepare (f->store,
                            "SELECT id, position FROM deal WHERE stage_id = ?1 AND archived = 0 "
                            "ORDER BY position, id",
                            &error);
  g_assert_no_error (error);
  sqlite3_bind_int64 (stmt, 1, stage_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_assert_cmpuint (i, <, n_ids);
      g_assert_cmpint (sqlite3_column_int64 (stmt, 0), ==, ids[i]);
      g_assert_cmpint (sqlite3_column_int64 (stmt, 1), >=, last);
      last = sqlite3_column_int64 (stmt, 1);
      i++;
    }
  sqlite3_finalize (stmt);
  g_assert_cmpuint (i, ==, n_ids);
}

#define ASSERT_COLUMN(f, stage, ...) \
  G_STMT_START { \
    const gint64 expected_[] = { __VA_ARGS__ }; \
    assert_column ((f), (stage), expected_, G_N_ELEMENTS (expected_)); \
  } G_STMT_END

static gint64
unix_in (const char *zone,
         int         year,
         int         month,
         int         day,
         int         hour,
         int         minute)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier (zone);
  g_autoptr (GDateTime) time = NULL;

  g_assert_nonnull (tz);
  time = g_date_time_new (tz, year, month, day, hour, minute, 0);
  g_assert_nonnull (time);

  return g_date_time_to_unix (time);
}

/* Money */

static void
test_money_format (void)
{
  static const struct {
    gint64 amount;
    const char *currency;
    const char *text;
  } cases[] = {
    { 12500000, "VND", "12.500.000 ₫" },
    { 0, "VND", "0 ₫" },
    { 999, "VND", "999 ₫" },
    { 1000, "VND", "1.000 ₫" },
    { -1250000, "VND", "-1.250.000 ₫" },
    { 123450, "USD", "$1,234.50" },
    { 5, "USD", "$0.05" },
    { -123450, "USD", "-$1,234.50" },
    { 123450, "EUR", "€1,234.50" },
    { 100000000, "EUR", "€1,000,000.00" },
    { 123450, "GBP", "1,234.50 GBP" },
    { 1234, "JPY", "1,234 JPY" },
    { 1234567, "KWD", "1,234.567 KWD" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = crm_money_format (cases[i].amount, cases[i].currency);

      g_assert_cmpstr (text, ==, cases[i].text);
    }

  {
    g_autofree char *text = crm_money_format (G_MININT64, "USD");

    g_assert_cmpstr (text, ==, "-$92,233,720,368,547,758.08");
  }

  g_assert_cmpint (crm_currency_minor_digits ("VND"), ==, 0);
  g_assert_cmpint (crm_currency_minor_digits ("USD"), ==, 2);
  g_assert_cmpint (crm_currency_minor_digits ("JPY"), ==, 0);
  g_assert_cmpint (crm_currency_minor_digits ("EUR"), ==, 2);
  g_assert_cmpint (crm_currency_minor_digits ("KWD"), ==, 3);
}

static void
test_money_convert (void)
{
  g_autoptr (GHashTable) rates = g_hash_table_new (g_str_hash, g_str_equal);
  gint64 converted = 0;

  g_hash_table_insert (rates, "USD", "25400");
  g_hash_table_insert (rates, "EUR", "27500.5");
  g_hash_table_insert (rates, "JPY", "165.25");
  g_hash_table_insert (rates, "VND", "0.0039");
  g_hash_table_insert (rates, "THB", "0.5");

  g_assert_true (crm_currency_convert (rates, "VND", 123450, "USD", &converted));
  g_assert_cmpint (converted, ==, 31356300);
  g_assert_true (crm_currency_convert (rates, "VND", 1, "EUR", &converted));
  g_assert_cmpint (converted, ==, 275);   /* 275.005 */
  g_assert_true (crm_currency_convert (rates, "VND", 1000, "JPY", &converted));
  g_assert_cmpint (converted, ==, 165250);
  g_assert_true (crm_currency_convert (rates, "VND", 777, "VND", &converted));
  g_assert_cmpint (converted, ==, 777);
  g_assert_false (crm_currency_convert (rates, "VND", 100, "GBP", &converted));

  /* Into a base with cents: 1.000.000 ₫ at 0.0039 cents each */
  g_assert_true (crm_currency_convert (rates, "USD", 1000000, "VND", &converted));
  g_assert_cmpint (converted, ==, 3900);
  /* Halves round away from zero: 0.01 THB × 0.5 = 0.005 base minor units */
  g_assert_true (crm_currency_convert (rates, "VND", 1, "THB", &converted));
  g_assert_cmpint (converted, ==, 0);
  g_assert_true (crm_currency_convert (rates, "VND", 100, "THB", &converted));
  g_assert_cmpint (converted, ==, 1);   /* 0.5 */
  g_assert_true (crm_currency_convert (rates, "VND", -100, "THB", &converted));
  g_assert_cmpint (converted, ==, -1);
  /* Exact beyond what a double holds */
  g_assert_true (crm_currency_convert (rates, "VND", G_GINT64_CONSTANT (9007199254740993),
                                      "USD", &converted));
  g_assert_cmpint (converted, ==, G_GINT64_CONSTANT (2287828610704212222));
  /* Too large for 64 bits */
  g_assert_false (crm_currency_convert (rates, "VND", G_MAXINT64, "USD", &converted));
}

static void
test_money_rates (Fixture       *f,
                  gconstpointer  data)
{
  static const char *const bad[] = { "abc", "-5", "0", "0.000", "1,5", "25.400.5", "1e5", "" };
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) rates = NULL;
  g_autofree char *base = NULL;

  base = crm_base_currency (f->store);
  g_assert_cmpstr (base, ==, "VND");

  g_assert_true (crm_currency_set_rate (f->store, "usd", " 25400 ", &error));
  g_assert_no_error (error);
  g_assert_true (crm_currency_set_rate (f->store, "EUR", "27500.50", &error));
  g_assert_no_error (error);
  rates = crm_currency_rates (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (rates), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (rates, "USD"), ==, "25400");
  g_assert_cmpstr (g_hash_table_lookup (rates, "EUR"), ==, "27500.50");

  /* "" forgets a rate; everything else that is not a positive decimal fails. */
  for (guint i = 0; i + 1 < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (crm_currency_set_rate (f->store, "GBP", bad[i], &error));
      g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
      g_clear_error (&error);
    }
  g_assert_false (crm_currency_set_rate (f->store, "US", "1", &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (crm_currency_set_rate (f->store, "EUR", "", &error));
  g_assert_no_error (error);
  g_clear_pointer (&rates, g_hash_table_unref);
  rates = crm_currency_rates (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (rates), ==, 1);

  g_assert_true (crm_set_base_currency (f->store, "eur", &error));
  g_assert_no_error (error);
  g_clear_pointer (&base, g_free);
  base = crm_base_currency (f->store);
  g_assert_cmpstr (base, ==, "EUR");
  g_assert_false (crm_set_base_currency (f->store, "€", &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
}

/* Weighted totals */

static void
test_board_weighted (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmBoard) board = NULL;
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("Asia/Ho_Chi_Minh");
  CrmBoardColumn *column;
  CrmDealCard *card;
  gint64 company, contact, d;

  g_assert_true (crm_currency_set_rate (f->store, "USD", "25400", &error));
  g_assert_true (crm_currency_set_rate (f->store, "EUR", "27500", &error));
  g_assert_no_error (error);

  exec (f, "INSERT INTO company (name) VALUES ('Công ty Hoa Sen')");
  company = query_int (f, "SELECT max(id) FROM company");
  exec (f, "INSERT INTO contact (display_name, given_name, family_name) "
           "VALUES ('Nguyễn Văn Đức', 'Đức', 'Nguyễn')");
  contact = query_int (f, "SELECT max(id) FROM contact");

  d = add_deal (f, f->stage[NEW_LEAD], "Phần mềm kế toán", 10000000, "VND", "an", "2026-06-14",
                NOW, 0);
  {
    g_autofree char *sql = g_strdup_printf ("UPDATE deal SET company_id = %lld, contact_id = %lld "
                                            "WHERE id = %lld", (long long) company,
                                            (long long) contact, (long long) d);
    exec (f, sql);
  }
  d = add_deal (f, f->stage[NEW_LEAD], "Licences", 100000, "USD", "an", "2026-06-15", NOW, 1);
  {
    g_autofree char *sql = g_strdup_printf ("UPDATE deal SET contact_id = %lld WHERE id = %lld",
                                            (long long) contact, (long long) d);
    exec (f, sql);
  }
  add_deal (f, f->stage[QUALIFIED], "Máy chủ", 50000, "EUR", "binh", NULL, NOW, 0);
  add_deal (f, f->stage[QUALIFIED], "Tư vấn London", 10000, "GBP", "binh", NULL, NOW, 1);
  add_deal (f, f->stage[PROPOSAL], "Đào tạo", 1000001, "VND", "chi", NULL, NOW, 0);
  add_deal (f, f->stage[NEGOTIATION], "Bảo trì", 333333, "VND", "chi", NULL, NOW, 0);
  add_deal (f, f->stage[WON], "Hợp đồng năm", 5000000, "VND", "an", "2026-01-01", NOW, 0);

  board = crm_board_load_in_zone (f->store, 0, NULL, NOW, tz, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (board->base_currency, ==, "VND");
  g_assert_cmpuint (board->columns->len, ==, N_DEFAULT_STAGES);

  column = g_ptr_array_index (board->columns, NEW_LEAD);
  g_assert_cmpstr (column->stage->name, ==, "New lead");
  g_assert_cmpuint (column->count, ==, 2);
  g_assert_cmpint (column->total, ==, 35400000);
  g_assert_cmpint (column->weighted, ==, 3540000);
  card = g_ptr_array_index (column->cards, 0);
  g_assert_cmpstr (card->title, ==, "Phần mềm kế toán");
  g_assert_cmpstr (card->party, ==, "Công ty Hoa Sen");
  g_assert_true (card->overdue);   /* 14 June, and today is 15 June in Hà Nội */
  card = g_ptr_array_index (column->cards, 1);
  g_assert_cmpstr (card->party, ==, "Nguyễn Văn Đức");
  g_assert_cmpstr (card->currency, ==, "USD");
  g_assert_cmpint (card->value, ==, 100000);
  g_assert_false (card->overdue);

  column = g_ptr_array_index (board->columns, QUALIFIED);
  g_assert_cmpuint (column->count, ==, 2);
  g_assert_cmpint (column->total, ==, 13750000);   /* the GBP deal has no rate */
  g_assert_cmpint (column->weighted, ==, 3437500);
  g_assert_null (((CrmDealCard *) g_ptr_array_index (column->cards, 1))->party);

  column = g_ptr_array_index (board->columns, PROPOSAL);
  g_assert_cmpint (column->weighted, ==, 500001);   /* 500.000,5 */
  column = g_ptr_array_index (board->columns, NEGOTIATION);
  g_assert_cmpint (column->weighted, ==, 250000);   /* 249.999,75 */
  column = g_ptr_array_index (board->columns, WON);
  g_assert_cmpint (column->total, ==, 5000000);
  g_assert_false (((CrmDealCard *) g_ptr_array_index (column->cards, 0))->overdue);

  /* Won deals stay out of the open pipeline, and the weighted total is
   * rounded once, at the end (the columns' rounded figures add to one more). */
  g_assert_cmpint (board->open_total, ==, 35400000 + 13750000 + 1000001 + 333333);
  g_assert_cmpint (board->open_weighted, ==, 7727500);
  g_assert_cmpuint (board->n_unconverted, ==, 1);

  /* Once GBP has a rate it counts. */
  g_assert_true (crm_currency_set_rate (f->store, "GBP", "33000", &error));
  g_assert_no_error (error);
  g_clear_pointer (&board, crm_board_free);
  board = crm_board_load_in_zone (f->store, 0, NULL, NOW, tz, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (board->n_unconverted, ==, 0);
  column = g_ptr_array_index (board->columns, QUALIFIED);
  g_assert_cmpint (column->total, ==, 13750000 + 3300000);
}

/* Idle deals */

static void
test_idle_zones (void)
{
  g_autoptr (GTimeZone) hcm = g_time_zone_new_identifier ("Asia/Ho_Chi_Minh");
  g_autoptr (GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr (GTimeZone) ny = g_time_zone_new_identifier ("America/New_York");
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  gint64 entered, now;

  g_assert_nonnull (hcm);
  g_assert_nonnull (berlin);
  g_assert_nonnull (ny);

  /* 1 March 23:30 to 8 March 00:10 in Hồ Chí Minh City: 7 calendar days,
   * though in UTC the same instants are 6 days apart. */
  entered = unix_in ("Asia/Ho_Chi_Minh", 2026, 3, 1, 23, 30);
  now = unix_in ("Asia/Ho_Chi_Minh", 2026, 3, 8, 0, 10);
  g_assert_true (crm_deal_is_idle (entered, 6, now, hcm));
  g_assert_false (crm_deal_is_idle (entered, 7, now, hcm));
  g_assert_true (crm_deal_is_idle (entered, 5, now, utc));
  g_assert_false (crm_deal_is_idle (entered, 6, now, utc));
  g_assert_false (crm_deal_is_idle (entered, 0, now + 365 * DAY, hcm));

  /* Across the clocks going forward in Berlin (29 March 2026): 28 March
   * 00:30 to 4 April 00:15 is 7 calendar days, though less than 7 × 24 h. */
  entered = unix_in ("Europe/Berlin", 2026, 3, 28, 0, 30);
  now = unix_in ("Europe/Berlin", 2026, 4, 4, 0, 15);
  g_assert_cmpint (now - entered, <, 7 * DAY);
  g_assert_true (crm_deal_is_idle (entered, 6, now, berlin));
  g_assert_false (crm_deal_is_idle (entered, 7, now, berlin));
  /* And late on the day before: still 6 days. */
  now = unix_in ("Europe/Berlin", 2026, 4, 3, 23, 59);
  g_assert_false (crm_deal_is_idle (entered, 6, now, berlin));

  /* Across the clocks going back in New York (1 November 2026): the day
   * has 25 hours and still counts once. */
  entered = unix_in ("America/New_York", 2026, 10, 31, 23, 59);
  now = unix_in ("America/New_York", 2026, 11, 1, 23, 59);
  g_assert_cmpint (now - entered, ==, 25 * 60 * 60);
  g_assert_false (crm_deal_is_idle (entered, 1, now, ny));
  now = unix_in ("America/New_York", 2026, 11, 2, 0, 0);
  g_assert_true (crm_deal_is_idle (entered, 1, now, ny));
  /* And forward (8 March 2026). */
  entered = unix_in ("America/New_York", 2026, 3, 7, 0, 0);
  now = unix_in ("America/New_York", 2026, 3, 9, 0, 0);
  g_assert_cmpint (now - entered, ==, 2 * DAY - 60 * 60);
  g_assert_true (crm_deal_is_idle (entered, 1, now, ny));
}

/* The board marks the same deals idle as crm_deal_is_idle(), hour by hour
 * around Berlin's change of clocks. */
static void
test_idle_board (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr (CrmBoard) board = NULL;
  gint64 now = unix_in ("Europe/Berlin", 2026, 4, 2, 0, 30);
  CrmBoardColumn *column;
  guint n_idle = 0;

  /* New lead: idle after 7 days */
  for (int hour = 0; hour < 10 * 24; hour++)
    add_simple (f, f->stage[NEW_LEAD], "Deal", hour);
  /* Hour by hour back from 29 March 2026 12:00 in Berlin */
  exec (f, "UPDATE deal SET stage_entered = 1774778400 - position * 3600");

  board = crm_board_load_in_zone (f->store, 0, NULL, now, berlin, &error);
  g_assert_no_error (error);
  column = g_ptr_array_index (board->columns, NEW_LEAD);
  g_assert_cmpuint (column->count, ==, 10 * 24);
  for (guint i = 0; i < column->cards->len; i++)
    {
      CrmDealCard *card = g_ptr_array_index (column->cards, i);

      g_assert_cmpint (card->idle, ==, crm_deal_is_idle (card->stage_entered, 7, now, berlin));
      n_idle += card->idle;
    }
  g_assert_cmpuint (n_idle, >, 0);
  g_assert_cmpuint (n_idle, <, column->count);
  g_assert_cmpuint (board->n_idle, ==, n_idle);
}

/* Pipelines and stages */

static void
test_pipelines (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) pipelines = NULL;
  g_autoptr (CrmPipeline) loaded = NULL;
  gint64 id;

  pipelines = crm_pipelines_list (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pipelines->len, ==, 1);
  g_assert_cmpstr (((CrmPipeline *) g_ptr_array_index (pipelines, 0))->name, ==, "Sales");
  g_assert_true (((CrmPipeline *) g_ptr_array_index (pipelines, 0))->is_default);

  id = crm_pipeline_create (f->store, "  Dự án  ", &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (crm_pipeline_create (f->store, " ", &error), ==, 0);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (crm_pipeline_rename (f->store, id, "Dự án lớn", &error));
  g_assert_no_error (error);
  g_assert_false (crm_pipeline_rename (f->store, 999, "X", &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  loaded = crm_pipeline_load (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->name, ==, "Dự án lớn");
  g_assert_false (loaded->is_default);
  g_assert_cmpuint (loaded->stages->len, ==, 0);

  g_clear_pointer (&pipelines, g_ptr_array_unref);
  pipelines = crm_pipelines_list (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pipelines->len, ==, 2);
  g_assert_cmpint (((CrmPipeline *) g_ptr_array_index (pipelines, 1))->id, ==, id);
}

static void
assert_stage_order (Fixture      *f,
                    const gint64 *ids,
                    guint         n_ids)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmPipeline) pipeline = crm_pipeline_load (f->store, 0, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (pipeline->stages->len, ==, n_ids);
  for (guint i = 0; i < n_ids; i++)
    {
      CrmStage *stage = g_ptr_array_index (pipeline->stages, i);

      g_assert_cmpint (stage->id, ==, ids[i]);
      g_assert_cmpint (stage->position, ==, i);
    }
}

#define ASSERT_STAGES(f, ...) \
  G_STMT_START { \
    const gint64 expected_[] = { __VA_ARGS__ }; \
    assert_stage_order ((f), expected_, G_N_ELEMENTS (expected_)); \
  } G_STMT_END

static void
test_stages (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmPipeline) pipeline = NULL;
  g_autoptr (CrmPipeline) other = NULL;
  gint64 demo, lost2, other_id, other_stage;
  gint64 a, b, c, x, y;
  CrmStage *stage;

  /* An open stage goes before Won and Lost. */
  demo = crm_stage_add (f->store, 1, "Demo", 60, CRM_STAGE_OPEN, 10, &error);
  g_assert_no_error (error);
  ASSERT_STAGES (f, f->stage[NEW_LEAD], f->stage[QUALIFIED], f->stage[PROPOSAL],
                 f->stage[NEGOTIATION], demo, f->stage[WON], f->stage[LOST]);
  lost2 = crm_stage_add (f->store, 1, "Lost to a competitor", 0, CRM_STAGE_LOST, 0, &error);
  g_assert_no_error (error);
  ASSERT_STAGES (f, f->stage[NEW_LEAD], f->stage[QUALIFIED], f->stage[PROPOSAL],
                 f->stage[NEGOTIATION], demo, f->stage[WON], f->stage[LOST], lost2);

  g_assert_cmpint (crm_stage_add (f->store, 1, "Bad", 101, CRM_STAGE_OPEN, 0, &error), ==, 0);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (crm_stage_add (f->store, 1, "  ", 10, CRM_STAGE_OPEN, 0, &error), ==, 0);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (crm_stage_add (f->store, 77, "X", 10, CRM_STAGE_OPEN, 0, &error), ==, 0);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Update: the built-in name given back as shown stays built in. */
  g_assert_true (crm_stage_update (f->store, f->stage[NEW_LEAD], "New lead", 15, 0, &error));
  g_assert_no_error (error);
  g_assert_true (crm_stage_update (f->store, demo, "Trình diễn", 65, 5, &error));
  g_assert_no_error (error);
  g_assert_true (crm_stage_update (f->store, f->stage[QUALIFIED], NULL, 30, 14, &error));
  g_assert_no_error (error);
  g_assert_false (crm_stage_update (f->store, demo, "X", -1, 5, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (crm_stage_update (f->store, demo, "X", 10, -1, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);

  pipeline = crm_pipeline_load (f->store, 0, &error);
  g_assert_no_error (error);
  stage = g_ptr_array_index (pipeline->stages, 0);
  g_assert_cmpstr (stage->name, ==, "New lead");
  g_assert_cmpint (stage->probability, ==, 15);
  g_assert_cmpint (stage->idle_days, ==, 0);
  stage = g_ptr_array_index (pipeline->stages, 1);
  g_assert_cmpstr (stage->name, ==, "Qualified");
  g_assert_cmpint (stage->probability, ==, 30);
  g_assert_cmpint (stage->idle_days, ==, 14);
  stage = g_ptr_array_index (pipeline->stages, 4);
  g_assert_cmpstr (stage->name, ==, "Trình diễn");
  g_assert_cmpint (stage->kind, ==, CRM_STAGE_OPEN);
  g_assert_cmpint (stage->idle_days, ==, 5);
  stage = g_ptr_array_index (pipeline->stages, 7);
  g_assert_cmpint (stage->kind, ==, CRM_STAGE_LOST);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM stage WHERE name = 'New lead'"), ==, 1);

  /* Reorder: each stage exactly once. */
  {
    const gint64 order[] = { demo, f->stage[NEW_LEAD], f->stage[QUALIFIED], f->stage[PROPOSAL],
                             f->stage[NEGOTIATION], f->stage[WON], lost2, f->stage[LOST] };
    const gint64 twice[] = { demo, demo, f->stage[QUALIFIED], f->stage[PROPOSAL],
                             f->stage[NEGOTIATION], f->stage[WON], lost2, f->stage[LOST] };

    g_assert_true (crm_stages_reorder (f->store, 1, order, G_N_ELEMENTS (order), &error));
    g_assert_no_error (error);
    ASSERT_STAGES (f, demo, f->stage[NEW_LEAD], f->stage[QUALIFIED], f->stage[PROPOSAL],
                   f->stage[NEGOTIATION], f->stage[WON], lost2, f->stage[LOST]);
    g_assert_false (crm_stages_reorder (f->store, 1, twice, G_N_ELEMENTS (twice), &error));
    g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_false (crm_stages_reorder (f->store, 1, order, G_N_ELEMENTS (order) - 1, &error));
    g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
    g_clear_error (&error);
    ASSERT_STAGES (f, demo, f->stage[NEW_LEAD], f->stage[QUALIFIED], f->stage[PROPOSAL],
                   f->stage[NEGOTIATION], f->stage[WON], lost2, f->stage[LOST]);
  }

  /* Remove: the deals move first, after the target's own cards, and enter
   * the target now. Archived deals go along. */
  a = add_simple (f, demo, "A", 3);
  b = add_simple (f, demo, "B", 1);
  c = add_simple (f, demo, "C", 7);
  exec (f, "UPDATE deal SET archived = 1 WHERE title = 'C'");
  x = add_simple (f, f->stage[PROPOSAL], "X", 0);
  y = add_simple (f, f->stage[PROPOSAL], "Y", 1);

  other_id = crm_pipeline_create (f->store, "Khác", &error);
  g_assert_no_error (error);
  other_stage = crm_stage_add (f->store, other_id, "Mới", 10, CRM_STAGE_OPEN, 0, &error);
  g_assert_no_error (error);
  g_assert_false (crm_stage_remove (f->store, demo, other_stage, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (crm_stage_remove (f->store, demo, demo, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (crm_stage_remove (f->store, demo, f->stage[LOST], &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM deal WHERE stage_entered >= unixepoch () - 60"),
                   ==, 0);

  g_assert_true (crm_stage_remove (f->store, demo, f->stage[PROPOSAL], &error));
  g_assert_no_error (error);
  ASSERT_COLUMN (f, f->stage[PROPOSAL], x, y, b, a);
  ASSERT_STAGES (f, f->stage[NEW_LEAD], f->stage[QUALIFIED], f->stage[PROPOSAL],
                 f->stage[NEGOTIATION], f->stage[WON], lost2, f->stage[LOST]);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT stage_id FROM deal WHERE id = %lld",
                                            (long long) c);

    g_assert_cmpint (query_int (f, sql), ==, f->stage[PROPOSAL]);
  }
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM stage WHERE name = 'Trình diễn'"), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM deal WHERE title IN ('A', 'B', 'C') "
                                 "AND stage_entered >= unixepoch () - 60"), ==, 3);

  other = crm_pipeline_load (f->store, other_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (other->stages->len, ==, 1);
}

/* Moves */

static void
move_ok (Fixture *f,
         gint64   deal,
         gint64   stage,
         guint    index)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (crm_deal_move (f->store, deal, stage, index, NULL, NOW, NULL, &error));
  g_assert_no_error (error);
}

static void
test_move_positions (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  gint64 a = f->stage[NEW_LEAD], b = f->stage[QUALIFIED];
  gint64 d0, d1, d2, d3, d4, e0, e1, e2;

  d0 = add_simple (f, a, "d0", 0);
  d1 = add_simple (f, a, "d1", 1);
  d2 = add_simple (f, a, "d2", 2);
  d3 = add_simple (f, a, "d3", 3);
  d4 = add_simple (f, a, "d4", 4);
  /* As other code saves them: gaps and a tie */
  e0 = add_simple (f, b, "e0", 1);
  e1 = add_simple (f, b, "e1", 4);
  e2 = add_simple (f, b, "e2", 4);

  /* Same column, down and up */
  move_ok (f, d0, a, 3);
  ASSERT_COLUMN (f, a, d1, d2, d3, d0, d4);
  move_ok (f, d4, a, 0);
  ASSERT_COLUMN (f, a, d4, d1, d2, d3, d0);
  move_ok (f, d2, a, 2);
  ASSERT_COLUMN (f, a, d4, d1, d2, d3, d0);
  move_ok (f, d1, a, 100);
  ASSERT_COLUMN (f, a, d4, d2, d3, d0, d1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM deal WHERE stage_entered = "
                                 NOW_TEXT), ==, 0);

  /* To another column's start, middle and end */
  move_ok (f, d2, b, 0);
  ASSERT_COLUMN (f, a, d4, d3, d0, d1);
  ASSERT_COLUMN (f, b, d2, e0, e1, e2);
  move_ok (f, d3, b, 2);
  ASSERT_COLUMN (f, a, d4, d0, d1);
  ASSERT_COLUMN (f, b, d2, e0, d3, e1, e2);
  move_ok (f, d4, b, 1000);
  ASSERT_COLUMN (f, a, d0, d1);
  ASSERT_COLUMN (f, b, d2, e0, d3, e1, e2, d4);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM deal WHERE stage_entered = "
                                 NOW_TEXT), ==, 3);

  /* Into an empty column and back */
  move_ok (f, d0, f->stage[PROPOSAL], 5);
  ASSERT_COLUMN (f, f->stage[PROPOSAL], d0);
  ASSERT_COLUMN (f, a, d1);
  move_ok (f, e2, a, 0);
  ASSERT_COLUMN (f, a, e2, d1);

  /* Archived deals are not on the board and do not move. */
  exec (f, "UPDATE deal SET archived = 1 WHERE title = 'd1'");
  g_assert_false (crm_deal_move (f->store, d1, b, 0, NULL, NOW, NULL, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (crm_deal_move (f->store, 9999, b, 0, NULL, NOW, NULL, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (crm_deal_move (f->store, d2, 9999, 0, NULL, NOW, NULL, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
}

/* With room between the neighbours, a move rewrites the moved deal's row
 * only; a long run of moves into the same gap respaces the stage and keeps
 * the order. */
static void
test_move_one_row (Fixture       *f,
                   gconstpointer  data)
{
  gint64 a = f->stage[NEW_LEAD];
  gint64 d[5];
  gint64 other;

  for (guint i = 0; i < G_N_ELEMENTS (d); i++)
    {
      g_autofree char *title = g_strdup_printf ("d%u", i);

      d[i] = add_simple (f, a, title, (i + 1) * CRM_DEAL_POSITION_GAP);
    }

  exec (f, "CREATE TEMP TABLE before AS SELECT id, position FROM deal");
  move_ok (f, d[4], a, 1);
  ASSERT_COLUMN (f, a, d[0], d[4], d[1], d[2], d[3]);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM deal JOIN before USING (id) "
                                 "WHERE deal.position <> before.position"), ==, 1);

  /* Always between d0 and whatever came last: the gap halves each time
   * until the stage has to be respaced. */
  other = d[4];
  for (guint i = 0; i < 40; i++)
    {
      gint64 moving = i % 2 == 0 ? d[3] : d[2];

      move_ok (f, moving, a, 1);
      g_assert_cmpint (query_int (f, "SELECT id FROM deal WHERE stage_id = (SELECT stage_id "
                                     "FROM deal WHERE title = 'd0') AND archived = 0 "
                                     "ORDER BY position, id LIMIT 1 OFFSET 1"), ==, moving);
      other = moving;
    }
  g_assert_cmpint (other, ==, d[2]);
  ASSERT_COLUMN (f, a, d[0], d[2], d[3], d[4], d[1]);
}

static gint64
deal_int (Fixture    *f,
          gint64      id,
          const char *column)
{
  g_autofree char *sql = g_strdup_printf ("SELECT ifnull(%s, -1) FROM deal WHERE id = %lld",
                                          column, (long long) id);

  return query_int (f, sql);
}

static char *
deal_text (Fixture    *f,
           gint64      id,
           const char *column)
{
  g_autofree char *sql = g_strdup_printf ("SELECT ifnull(%s, '(null)') FROM deal WHERE id = %lld",
                                          column, (long long) id);

  return query_text (f, sql);
}

static void
test_move_won_lost (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *text = NULL;
  g_autofree char *sql = NULL;
  gint64 deal, audits, all;

  deal = add_simple (f, f->stage[NEGOTIATION], "Hợp đồng", 0);
  add_simple (f, f->stage[WON], "Đã thắng", 0);
  sql = g_strdup_printf ("SELECT count(*) FROM audit_log WHERE entity = 'deal' AND "
                         "entity_id = %lld AND action = 'update'", (long long) deal);

  /* Won: closed now. The deal that makes room is renumbered without an
   * audit row of its own. */
  audits = query_int (f, sql);
  all = query_int (f, "SELECT count(*) FROM audit_log");
  move_ok (f, deal, f->stage[WON], 0);
  g_assert_cmpint (query_int (f, sql), ==, audits + 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM audit_log"), ==, all + 1);
  g_clear_pointer (&text, g_free);
  text = deal_text (f, deal, "status");
  g_assert_cmpstr (text, ==, "won");
  g_assert_cmpint (deal_int (f, deal, "closed"), ==, NOW);
  g_assert_cmpint (deal_int (f, deal, "stage_entered"), ==, NOW);
  g_assert_cmpint (deal_int (f, deal, "lost_reason IS NULL"), ==, 1);
  {
    g_autofree char *audit = g_strdup_printf (
      "SELECT json_extract (changes, '$.old.stage_id') = %lld AND "
      "json_extract (changes, '$.new.stage_id') = %lld AND "
      "json_extract (changes, '$.new.status') = 'won' AND "
      "json_extract (changes, '$.new.closed') = %lld "
      "FROM audit_log WHERE entity = 'deal' AND entity_id = %lld ORDER BY id DESC LIMIT 1",
      (long long) f->stage[NEGOTIATION], (long long) f->stage[WON], (long long) NOW,
      (long long) deal);

    g_assert_cmpint (query_int (f, audit), ==, 1);
  }

  /* Lost needs a reason; nothing changes without one. */
  before = dump_deals (f);
  audits = query_int (f, sql);
  g_assert_false (crm_deal_move (f->store, deal, f->stage[LOST], 0, "   ", NOW + 60, NULL,
                                 &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Lost"));
  g_clear_error (&error);
  g_assert_false (crm_deal_move (f->store, deal, f->stage[LOST], 0, NULL, NOW + 60, NULL,
                                 &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  after = dump_deals (f);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (query_int (f, sql), ==, audits);

  g_assert_true (crm_deal_move (f->store, deal, f->stage[LOST], 0, "  Giá cao hơn đối thủ ",
                                NOW + 60, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&text, g_free);
  text = deal_text (f, deal, "status");
  g_assert_cmpstr (text, ==, "lost");
  g_clear_pointer (&text, g_free);
  text = deal_text (f, deal, "lost_reason");
  g_assert_cmpstr (text, ==, "Giá cao hơn đối thủ");
  g_assert_cmpint (deal_int (f, deal, "closed"), ==, NOW + 60);
  g_assert_cmpint (query_int (f, sql), ==, audits + 1);

  /* Back to an open stage: open again */
  move_ok (f, deal, f->stage[PROPOSAL], 0);
  g_clear_pointer (&text, g_free);
  text = deal_text (f, deal, "status");
  g_assert_cmpstr (text, ==, "open");
  g_assert_cmpint (deal_int (f, deal, "closed"), ==, -1);
  g_assert_cmpint (deal_int (f, deal, "lost_reason IS NULL"), ==, 1);
  g_assert_cmpint (deal_int (f, deal, "stage_entered"), ==, NOW);
  g_assert_cmpint (query_int (f, sql), ==, audits + 2);
  {
    g_autofree char *audit = g_strdup_printf (
      "SELECT json_extract (changes, '$.old.lost_reason') = 'Giá cao hơn đối thủ' AND "
      "json_extract (changes, '$.new.status') = 'open' AND "
      "json_extract (changes, '$.new.stage_id') = %lld "
      "FROM audit_log WHERE entity = 'deal' AND entity_id = %lld ORDER BY id DESC LIMIT 1",
      (long long) f->stage[PROPOSAL], (long long) deal);

    g_assert_cmpint (query_int (f, audit), ==, 1);
  }
}

static void
test_move_undo (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmDealMoveUndo) undo = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *moved = NULL;
  gint64 a = f->stage[QUALIFIED], won = f->stage[WON];
  gint64 d[6];

  for (guint i = 0; i < 4; i++)
    d[i] = add_deal (f, a, "Open", 1000, "VND", "an", NULL, NOW - 30 * DAY, i * 3 + 1);
  d[4] = add_deal (f, won, "Won", 1000, "VND", "an", NULL, NOW - 40 * DAY, 2);
  d[5] = add_deal (f, won, "Won 2", 1000, "VND", "an", NULL, NOW - 40 * DAY, 2);
  exec (f, "UPDATE deal SET closed = 1700000000 WHERE status = 'won'");
  exec (f, "UPDATE deal SET lost_reason = 'old note' WHERE title = 'Open'");

  /* Across stages, between two deals whose positions leave no room */
  before = dump_deals (f);
  g_assert_true (crm_deal_move (f->store, d[1], won, 1, NULL, NOW, &undo, &error));
  g_assert_no_error (error);
  ASSERT_COLUMN (f, won, d[4], d[1], d[5]);
  ASSERT_COLUMN (f, a, d[0], d[2], d[3]);
  moved = dump_deals (f);
  g_assert_cmpstr (moved, !=, before);
  g_assert_true (crm_deal_move_undo (f->store, undo, &error));
  g_assert_no_error (error);
  after = dump_deals (f);
  g_assert_cmpstr (after, ==, before);
  g_clear_pointer (&undo, crm_deal_move_undo_free);
  g_clear_pointer (&after, g_free);

  /* Within a stage */
  g_assert_true (crm_deal_move (f->store, d[3], a, 0, NULL, NOW, &undo, &error));
  g_assert_no_error (error);
  ASSERT_COLUMN (f, a, d[3], d[0], d[1], d[2]);
  g_assert_true (crm_deal_move_undo (f->store, undo, &error));
  g_assert_no_error (error);
  after = dump_deals (f);
  g_assert_cmpstr (after, ==, before);
  g_clear_pointer (&undo, crm_deal_move_undo_free);
  g_clear_pointer (&after, g_free);

  /* From Won back to an open stage and to Lost */
  g_assert_true (crm_deal_move (f->store, d[4], a, 2, NULL, NOW, &undo, &error));
  g_assert_no_error (error);
  g_assert_true (crm_deal_move_undo (f->store, undo, &error));
  g_assert_no_error (error);
  after = dump_deals (f);
  g_assert_cmpstr (after, ==, before);
  g_clear_pointer (&undo, crm_deal_move_undo_free);
  g_clear_pointer (&after, g_free);

  /* An undo for a deal that moved on since is refused. */
  g_assert_true (crm_deal_move (f->store, d[0], won, 0, NULL, NOW, &undo, &error));
  g_assert_no_error (error);
  g_assert_true (crm_deal_move (f->store, d[0], f->stage[LOST], 0, "Hết ngân sách", NOW, NULL,
                                &error));
  g_assert_no_error (error);
  g_clear_pointer (&moved, g_free);
  moved = dump_deals (f);
  g_assert_false (crm_deal_move_undo (f->store, undo, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  after = dump_deals (f);
  g_assert_cmpstr (after, ==, moved);
}

/* Filters */

static void
test_board_filter (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("Asia/Ho_Chi_Minh");
  CrmBoardFilter filter;
  gint64 tag, d1, d2, d3, d4, d5;

  g_assert_true (crm_currency_set_rate (f->store, "USD", "25000", &error));
  g_assert_no_error (error);

  /* New lead: 10 %, idle after 7 days; Negotiation: 75 %, after 21 days */
  d1 = add_deal (f, f->stage[NEW_LEAD], "d1", 10000000, "VND", "an", "2026-06-10",
                 NOW - 10 * DAY, 0);
  d2 = add_deal (f, f->stage[NEW_LEAD], "d2", 200000, "USD", "binh", "2026-07-05",
                 NOW - 2 * DAY, 1);
  d3 = add_deal (f, f->stage[NEW_LEAD], "d3", 30000000, "VND", "chi", NULL, NOW - 30 * DAY, 2);
  d4 = add_deal (f, f->stage[NEGOTIATION], "d4", 80000000, "VND", "an", "2026-07-20",
                 NOW - 25 * DAY, 0);
  d5 = add_deal (f, f->stage[WON], "d5", 90000000, "VND", "an", "2026-06-01", NOW - 90 * DAY, 0);
  exec (f, "INSERT INTO tag (name) VALUES ('VIP')");
  tag = query_int (f, "SELECT id FROM tag WHERE name = 'VIP'");
  {
    g_autofree char *sql = g_strdup_printf ("INSERT INTO deal_tag (deal_id, tag_id) VALUES "
                                            "(%lld, %lld), (%lld, %lld)",
                                            (long long) d2, (long long) tag,
                                            (long long) d4, (long long) tag);
    exec (f, sql);
  }

#define LOAD(filter_) \
  crm_board_load_in_zone (f->store, 0, (filter_), NOW, tz, &error)
#define CARD_ID(board_, stage_, i_) \
  (((CrmDealCard *) g_ptr_array_index (((CrmBoardColumn *) g_ptr_array_index ((board_)->columns, \
                                                                              (stage_)))->cards, \
                                       (i_)))->id)
#define COUNT(board_, stage_) \
  (((CrmBoardColumn *) g_ptr_array_index ((board_)->columns, (stage_)))->count)

  /* No filter */
  {
    g_autoptr (CrmBoard) board = LOAD (NULL);

    g_assert_no_error (error);
    g_assert_cmpuint (COUNT (board, NEW_LEAD), ==, 3);
    g_assert_cmpint (board->open_total, ==, 10000000 + 50000000 + 30000000 + 80000000);
    g_assert_cmpint (board->open_weighted, ==, 9000000 + 60000000);
    g_assert_cmpuint (board->n_idle, ==, 3);   /* d1, d3, d4 */
    g_assert_cmpuint (COUNT (board, WON), ==, 1);
  }

  /* Owner */
  crm_board_filter_init (&filter);
  filter.owners_n = 1;
  filter.owners = g_new0 (char *, 2);
  filter.owners[0] = g_strdup ("an");
  {
    g_autoptr (CrmBoard) board = LOAD (&filter);

    g_assert_no_error (error);
    g_assert_cmpuint (COUNT (board, NEW_LEAD), ==, 1);
    g_assert_cmpint (CARD_ID (board, NEW_LEAD, 0), ==, d1);
    g_assert_cmpint (CARD_ID (board, NEGOTIATION, 0), ==, d4);
    g_assert_cmpint (CARD_ID (board, WON, 0), ==, d5);
    g_assert_cmpint (board->open_total, ==, 90000000);
    g_assert_cmpint (board->open_weighted, ==, 1000000 + 60000000);
    g_assert_cmpuint (board->n_idle, ==, 2);
  }
  crm_board_filter_clear (&filter);
  g_assert_null (filter.owners);
  g_assert_cmpint (filter.value_min, ==, -1);

  /* Several owners and an expected close period */
  filter.owners_n = 2;
  filter.owners = g_new0 (char *, 3);
  filter.owners[0] = g_strdup ("an");
  filter.owners[1] = g_strdup ("binh");
  filter.close_from = g_strdup ("2026-06-05");
  filter.close_to = g_strdup ("2026-07-10");
  {
    g_autoptr (CrmBoard) board = LOAD (&filter);

    g_assert_no_error (error);
    g_assert_cmpuint (COUNT (board, NEW_LEAD), ==, 2);
    g_assert_cmpint (CARD_ID (board, NEW_LEAD, 0), ==, d1);
    g_assert_cmpint (CARD_ID (board, NEW_LEAD, 1), ==, d2);
    g_assert_cmpuint (COUNT (board, NEGOTIATION), ==, 0);
    g_assert_cmpuint (COUNT (board, WON), ==, 0);
    g_assert_cmpint (board->open_total, ==, 60000000);
    g_assert_cmpint (board->open_weighted, ==, 6000000);
    g_assert_cmpuint (board->n_idle, ==, 1);
  }
  crm_board_filter_clear (&filter);

  /* Value range in the base currency: the USD deal is 50.000.000 ₫ */
  filter.value_min = 20000000;
  filter.value_max = 80000000;
  {
    g_autoptr (CrmBoard) board = LOAD (&filter);

    g_assert_no_error (error);
    g_assert_cmpuint (COUNT (board, NEW_LEAD), ==, 2);
    g_assert_cmpint (CARD_ID (board, NEW_LEAD, 0), ==, d2);
    g_assert_cmpint (CARD_ID (board, NEW_LEAD, 1), ==, d3);
    g_assert_cmpuint (COUNT (board, NEGOTIATION), ==, 1);
    g_assert_cmpuint (COUNT (board, WON), ==, 0);
    g_assert_cmpint (board->open_total, ==, 160000000);
    g_assert_cmpint (board->open_weighted, ==, 8000000 + 60000000);
  }
  crm_board_filter_clear (&filter);

  /* Tag */
  filter.tag_id = tag;
  {
    g_autoptr (CrmBoard) board = LOAD (&filter);

    g_assert_no_error (error);
    g_assert_cmpuint (COUNT (board, NEW_LEAD), ==, 1);
    g_assert_cmpint (CARD_ID (board, NEW_LEAD, 0), ==, d2);
    g_assert_cmpuint (COUNT (board, NEGOTIATION), ==, 1);
    g_assert_cmpint (board->open_total, ==, 130000000);
    g_assert_cmpuint (board->n_idle, ==, 1);
  }
  crm_board_filter_clear (&filter);

  /* Idle only */
  filter.idle_only = TRUE;
  {
    g_autoptr (CrmBoard) board = LOAD (&filter);

    g_assert_no_error (error);
    g_assert_cmpuint (COUNT (board, NEW_LEAD), ==, 2);
    g_assert_cmpint (CARD_ID (board, NEW_LEAD, 0), ==, d1);
    g_assert_cmpint (CARD_ID (board, NEW_LEAD, 1), ==, d3);
    g_assert_true (((CrmDealCard *) g_ptr_array_index (
      ((CrmBoardColumn *) g_ptr_array_index (board->columns, NEW_LEAD))->cards, 0))->idle);
    g_assert_cmpuint (COUNT (board, NEGOTIATION), ==, 1);
    g_assert_cmpuint (COUNT (board, WON), ==, 0);
    g_assert_cmpint (board->open_total, ==, 120000000);
    g_assert_cmpint (board->open_weighted, ==, 4000000 + 60000000);
    g_assert_cmpuint (board->n_idle, ==, 3);
  }
  crm_board_filter_clear (&filter);

#undef LOAD
#undef CARD_ID
#undef COUNT
}

/* The board reads deals through indexes only. */
static void
test_board_plan (Fixture       *f,
                 gconstpointer  data)
{
  CrmBoardFilter filter;
  CrmBoardFilter *filters[2] = { NULL, &filter };

  crm_board_filter_init (&filter);
  filter.owners_n = 2;
  filter.owners = g_new0 (char *, 3);
  filter.owners[0] = g_strdup ("an");
  filter.owners[1] = g_strdup ("binh");
  filter.close_from = g_strdup ("2026-01-01");
  filter.close_to = g_strdup ("2026-12-31");
  filter.tag_id = 1;
  filter.idle_only = TRUE;
  filter.value_min = 5;
  {
    g_autoptr (GError) error = NULL;
    const char *const choices[] = { "a", "b", NULL };
    CrmFilterCustom text = { .field_id = 1, .op = CRM_CUSTOM_CONTAINS, .text = (char *) "x",
                             .min = NAN, .max = NAN };
    CrmFilterCustom no = { .field_id = 2, .op = CRM_CUSTOM_IS, .min = NAN, .max = NAN };
    CrmFilterCustom any = { .field_id = 3, .op = CRM_CUSTOM_ANY_OF, .choices = (GStrv) choices,
                            .min = NAN, .max = NAN };

    g_assert_true (crm_board_filter_add_custom (&filter, &text, &error));
    g_assert_true (crm_board_filter_add_custom (&filter, &no, &error));
    g_assert_true (crm_board_filter_add_custom (&filter, &any, &error));
    g_assert_no_error (error);
  }

  /* Enough rows for the planner to prefer what it would in real use */
  for (int i = 0; i < 200; i++)
    add_simple (f, f->stage[i % 4], "Deal", i);
  exec (f, "ANALYZE");

  for (guint i = 0; i < G_N_ELEMENTS (filters); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *sql = crm_board_sql (filters[i]);
      g_autofree char *explain = g_strconcat ("EXPLAIN QUERY PLAN ", sql, NULL);
      sqlite3_stmt *stmt = crm_store_prepare (f->store, explain, &error);
      gboolean searched = FALSE;

      g_assert_no_error (error);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *detail = (const char *) sqlite3_column_text (stmt, 3);

          g_test_message ("%s", detail);
          g_assert_false (g_str_has_prefix (detail, "SCAN"));
          g_assert_null (strstr (detail, "TEMP B-TREE"));
          if (g_str_has_prefix (detail, "SEARCH d USING INDEX deal_board"))
            searched = TRUE;
        }
      sqlite3_finalize (stmt);
      g_assert_true (searched);
    }
  crm_board_filter_clear (&filter);
}

/* The benchmark keeps the board's invariants: every deal still there, and
 * distinct positions in every stage after its random moves. */
static void
test_bench_small (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  double board_ms = -1, move_ms = -1;

  g_assert_true (crm_pipeline_bench (f->store, 300, 42, &board_ms, &move_ms, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (board_ms, >, 0);
  g_assert_cmpfloat (move_ms, >, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM deal"), ==, 300);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM deal WHERE currency = 'USD'"), >, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM deal WHERE status <> 'open'"), >, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM deal d JOIN stage s ON s.id = d.stage_id "
                                 "WHERE s.kind <> d.status"), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM "
                                 "(SELECT stage_id, count(*) AS n, count(DISTINCT position) AS k "
                                 "FROM deal GROUP BY stage_id) WHERE n <> k"),
                   ==, 0);
}

/* What the preferences need */

static void
test_stage_count_deals (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  gint64 without = -7;
  gint64 a;

  g_assert_cmpint (crm_stage_count_deals (f->store, f->stage[PROPOSAL], &without, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpint (without, ==, 0);

  a = add_simple (f, f->stage[PROPOSAL], "A", 1);
  add_simple (f, f->stage[PROPOSAL], "B", 2);
  add_simple (f, f->stage[PROPOSAL], "C", 3);
  add_simple (f, f->stage[WON], "D", 1);
  exec (f, "UPDATE deal SET archived = 1 WHERE title = 'C'");
  exec (f, "UPDATE deal SET lost_reason = '  ' WHERE title = 'B'");
  {
    g_autofree char *sql = g_strdup_printf ("UPDATE deal SET lost_reason = 'Giá cao' "
                                            "WHERE id = %lld", (long long) a);

    exec (f, sql);
  }

  /* Archived deals count: the removal moves them too. */
  g_assert_cmpint (crm_stage_count_deals (f->store, f->stage[PROPOSAL], &without, &error), ==, 3);
  g_assert_no_error (error);
  g_assert_cmpint (without, ==, 2);
  g_assert_cmpint (crm_stage_count_deals (f->store, f->stage[WON], NULL, &error), ==, 1);
  g_assert_no_error (error);

  /* The same deals the removal to a lost stage refuses. */
  g_assert_false (crm_stage_remove (f->store, f->stage[PROPOSAL], f->stage[LOST], &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  exec (f, "UPDATE deal SET lost_reason = 'Hết ngân sách' WHERE title IN ('B', 'C')");
  g_assert_cmpint (crm_stage_count_deals (f->store, f->stage[PROPOSAL], &without, &error), ==, 3);
  g_assert_cmpint (without, ==, 0);
  g_assert_true (crm_stage_remove (f->store, f->stage[PROPOSAL], f->stage[LOST], &error));
  g_assert_no_error (error);
  g_assert_cmpint (crm_stage_count_deals (f->store, f->stage[LOST], &without, &error), ==, 3);
  g_assert_no_error (error);

  g_assert_cmpint (crm_stage_count_deals (f->store, f->stage[PROPOSAL], &without, &error), ==, -1);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
}

static void
on_changed_count (CrmStore   *store,
                  const char *entity,
                  gint64      id,
                  guint      *count)
{
  (*count)++;
}

static void
test_change_base (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) rates = NULL;
  g_autofree char *base = NULL;
  guint changes = 0;

  g_assert_true (crm_currency_set_rate (f->store, "USD", "25400", &error));
  g_assert_true (crm_currency_set_rate (f->store, "EUR", "27500.5", &error));
  g_assert_no_error (error);
  g_signal_connect (f->store, "changed::currency", G_CALLBACK (on_changed_count), &changes);

  /* The base it is already: nothing changes, the rates stay. */
  g_assert_true (crm_currency_change_base (f->store, " vnd", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes, ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM currency_rate"), ==, 2);

  g_assert_false (crm_currency_change_base (f->store, "US", &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  base = crm_base_currency (f->store);
  g_assert_cmpstr (base, ==, "VND");
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM currency_rate"), ==, 2);

  /* Another base: the rates to the old one go with it. */
  g_assert_true (crm_currency_change_base (f->store, "usd", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes, ==, 1);
  g_clear_pointer (&base, g_free);
  base = crm_base_currency (f->store);
  g_assert_cmpstr (base, ==, "USD");
  rates = crm_currency_rates (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (rates), ==, 0);
  g_signal_handlers_disconnect_by_func (f->store, on_changed_count, &changes);
}

/* Conditions on deal custom fields keep the matching deals, and the
 * columns' counts and the totals follow. */
static gint64
add_deal_field (Fixture        *f,
                CrmFieldEntity  entity,
                const char     *label,
                CrmFieldType    type)
{
  g_autoptr (GError) error = NULL;
  const char *const plans[] = { "Cơ bản", "Doanh nghiệp", "Cao cấp", NULL };
  gint64 id = crm_custom_field_create (f->store, entity, label, type,
                                       type == CRM_FIELD_TYPE_CHOICE ? plans : NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static void
set_value (Fixture    *f,
           gint64      field_id,
           gint64      entity_id,
           const char *value)
{
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt = crm_store_prepare (f->store,
                                          "INSERT INTO custom_value (field_id, entity_id, value) "
                                          "VALUES (?1, ?2, ?3)", &error);

  g_assert_no_error (error);
  sqlite3_bind_int64 (stmt, 1, field_id);
  sqlite3_bind_int64 (stmt, 2, entity_id);
  sqlite3_bind_text (stmt, 3, value, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
}

static void
test_board_custom_filter (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("Asia/Ho_Chi_Minh");
  CrmBoardFilter filter;
  gint64 source, users, signed_on, plan, vat, hobby, d1, d2, d3, d4;
  const char *const chosen[] = { "Doanh nghiệp", "Cao cấp", NULL };

  source = add_deal_field (f, CRM_FIELD_ENTITY_DEAL, "Nguồn vốn", CRM_FIELD_TYPE_TEXT);
  users = add_deal_field (f, CRM_FIELD_ENTITY_DEAL, "Số người dùng", CRM_FIELD_TYPE_NUMBER);
  signed_on = add_deal_field (f, CRM_FIELD_ENTITY_DEAL, "Ngày ký", CRM_FIELD_TYPE_DATE);
  plan = add_deal_field (f, CRM_FIELD_ENTITY_DEAL, "Gói", CRM_FIELD_TYPE_CHOICE);
  vat = add_deal_field (f, CRM_FIELD_ENTITY_DEAL, "Có VAT", CRM_FIELD_TYPE_BOOL);
  hobby = add_deal_field (f, CRM_FIELD_ENTITY_CONTACT, "Sở thích", CRM_FIELD_TYPE_TEXT);

  /* New lead: 10 %; Negotiation: 75 % */
  d1 = add_deal (f, f->stage[NEW_LEAD], "d1", 10000000, "VND", "an", NULL, NOW - DAY, 0);
  d2 = add_deal (f, f->stage[NEW_LEAD], "d2", 20000000, "VND", "an", NULL, NOW - DAY, 1);
  d3 = add_deal (f, f->stage[NEGOTIATION], "d3", 80000000, "VND", "an", NULL, NOW - DAY, 0);
  d4 = add_deal (f, f->stage[NEW_LEAD], "d4", 30000000, "VND", "an", NULL, NOW - DAY, 2);
  set_value (f, source, d1, "Ngân sách Đà Nẵng");
  set_value (f, users, d1, "25");
  set_value (f, signed_on, d1, "2026-06-30");
  set_value (f, plan, d1, "Doanh nghiệp");
  set_value (f, vat, d1, "1");
  set_value (f, source, d2, "ngan sach nha nuoc");
  set_value (f, users, d2, "5");
  set_value (f, signed_on, d2, "2026-05-01");
  set_value (f, plan, d2, "Cơ bản");
  set_value (f, vat, d2, "0");
  set_value (f, users, d3, "100");
  set_value (f, plan, d3, "Cao cấp");
  set_value (f, users, d4, "");
  /* A contact's value under a deal's number */
  set_value (f, hobby, d1, "đọc sách");

#define LOAD(filter_) \
  crm_board_load_in_zone (f->store, 0, (filter_), NOW, tz, &error)
#define COLUMN(board_, stage_) \
  ((CrmBoardColumn *) g_ptr_array_index ((board_)->columns, (stage_)))
#define CARD_ID(board_, stage_, i_) \
  (((CrmDealCard *) g_ptr_array_index (COLUMN (board_, stage_)->cards, (i_)))->id)
#define ADD(...) \
  G_STMT_START { \
    CrmFilterCustom custom_ = { .min = NAN, .max = NAN, __VA_ARGS__ }; \
    g_assert_true (crm_board_filter_add_custom (&filter, &custom_, &error)); \
    g_assert_no_error (error); \
  } G_STMT_END
#define ADD_RANGE(field_, min_, max_) \
  G_STMT_START { \
    CrmFilterCustom custom_ = { .field_id = (field_), .op = CRM_CUSTOM_BETWEEN, \
                                .min = (min_), .max = (max_) }; \
    g_assert_true (crm_board_filter_add_custom (&filter, &custom_, &error)); \
    g_assert_no_error (error); \
  } G_STMT_END

  crm_board_filter_init (&filter);

  /* Text contains, without case or accents */
  ADD (.field_id = source, .op = CRM_CUSTOM_CONTAINS, .text = (char *) "da nang");
  {
    g_autoptr (CrmBoard) board = LOAD (&filter);

    g_assert_no_error (error);
    g_assert_cmpuint (COLUMN (board, NEW_LEAD)->count, ==, 1);
    g_assert_cmpint (CARD_ID (board, NEW_LEAD, 0), ==, d1);
    g_assert_cmpuint (COLUMN (board, NEGOTIATION)->count, ==, 0);
    g_assert_cmpint (COLUMN (board, NEW_LEAD)->total, ==, 10000000);
    g_assert_cmpint (board->open_total, ==, 10000000);
    g_assert_cmpint (board->open_weighted, ==, 1000000);
  }
  crm_board_filter_clear (&filter);
  g_assert_null (filter.custom);

  ADD (.field_id = source, .op = CRM_CUSTOM_CONTAINS, .text = (char *) "NGÂN SÁCH");
  {
    g_autoptr (CrmBoard) board = LOAD (&filter);

    g_assert_no_error (error);
    g_assert_cmpuint (COLUMN (board, NEW_LEAD)->count, ==, 2);
    g_assert_cmpint (CARD_ID (board, NEW_LEAD, 0), ==, d1);
    g_assert_cmpint (CARD_ID (board, NEW_LEAD, 1), ==, d2);
    g_assert_cmpint (board->open_total, ==, 30000000);
  }
  crm_board_filter_clear (&filter);

  /* Number from 10, open above; an empty value is no number */
  ADD_RANGE (users, 10, NAN);
  {
    g_autoptr (CrmBoard) board = LOAD (&filter);

    g_assert_no_error (error);
    g_assert_cmpuint (COLUMN (board, NEW_LEAD)->count, ==, 1);
    g_assert_cmpint (CARD_ID (board, NEW_LEAD, 0), ==, d1);
    g_assert_cmpuint (COLUMN (board, NEGOTIATION)->count, ==, 1);
    g_assert_cmpint (board->open_total, ==, 90000000);
    g_assert_cmpint (board->open_weighted, ==, 1000000 + 60000000);
  }
  crm_board_filter_clear (&filter);

  ADD_RANGE (users, NAN, 50);
  {
    g_autoptr (CrmBoard) board = LOAD (&filter);

    g_assert_no_error (error);
    g_assert_cmpuint (COLUMN (board, NEW_LEAD)->count, ==, 2);
    g_assert_cmpuint (COLUMN (board, NEGOTIATION)->count, ==, 0);
    g_assert_cmpint (board->open_total, ==, 30000000);
  }
  crm_board_filter_clear (&filter);

  /* Dates, strictly before and after */
  ADD (.field_id = signed_on, .op = CRM_CUSTOM_BEFORE, .text = (char *) "2026-06-30");
  {
    g_autoptr (CrmBoard) board = LOAD (&filter);

    g_assert_no_error (error);
    g_assert_cmpuint (COLUMN (board, NEW_LEAD)->count, ==, 1);
    g_assert_cmpint (CARD_ID (board, NEW_LEAD, 0), ==, d2);
  }
  crm_board_filter_clear (&filter);
  ADD (.field_id = signed_on, .op = CRM_CUSTOM_AFTER, .text = (char *) "2026-05-01");
  {
    g_autoptr (CrmBoard) board = LOAD (&filter);

    g_assert_no_error (error);
    g_assert_cmpuint (COLUMN (board, NEW_LEAD)->count, ==, 1);
    g_assert_cmpint (CARD_ID (board, NEW_LEAD, 0), ==, d1);
  }
  crm_board_filter_clear (&filter);

  /* Yes; and no, which takes the deals without a value too */
  ADD (.field_id = vat, .op = CRM_CUSTOM_IS, .value = TRUE);
  {
    g_autoptr (CrmBoard) board = LOAD (&filter);

    g_assert_no_error (error);
    g_assert_cmpuint (COLUMN (board, NEW_LEAD)->count, ==, 1);
    g_assert_cmpint (CARD_ID (board, NEW_LEAD, 0), ==, d1);
    g_assert_cmpint (board->open_total, ==, 10000000);
  }
  crm_board_filter_clear (&filter);
  ADD (.field_id = vat, .op = CRM_CUSTOM_IS, .value = FALSE);
  {
    g_autoptr (CrmBoard) board = LOAD (&filter);

    g_assert_no_error (error);
    g_assert_cmpuint (COLUMN (board, NEW_LEAD)->count, ==, 2);
    g_assert_cmpint (CARD_ID (board, NEW_LEAD, 0), ==, d2);
    g_assert_cmpint (CARD_ID (board, NEW_LEAD, 1), ==, d4);
    g_assert_cmpuint (COLUMN (board, NEGOTIATION)->count, ==, 1);
    g_assert_cmpint (board->open_total, ==, 130000000);
  }
  crm_board_filter_clear (&filter);

  /* Any of the choices, then with a number range too: all must hold */
  ADD (.field_id = plan, .op = CRM_CUSTOM_ANY_OF, .choices = (GStrv) chosen);
  {
    g_autoptr (CrmBoard) board = LOAD (&filter);

    g_assert_no_error (error);
    g_assert_cmpuint (COLUMN (board, NEW_LEAD)->count, ==, 1);
    g_assert_cmpint (CARD_ID (board, NEW_LEAD, 0), ==, d1);
    g_assert_cmpuint (COLUMN (board, NEGOTIATION)->count, ==, 1);
    g_assert_cmpint (board->open_total, ==, 90000000);
  }
  ADD_RANGE (users, NAN, 50);
  filter.owners_n = 1;
  filter.owners = g_new0 (char *, 2);
  filter.owners[0] = g_strdup ("an");
  {
    g_autoptr (CrmBoard) board = LOAD (&filter);

    g_assert_no_error (error);
    g_assert_cmpuint (COLUMN (board, NEW_LEAD)->count, ==, 1);
    g_assert_cmpint (CARD_ID (board, NEW_LEAD, 0), ==, d1);
    g_assert_cmpuint (COLUMN (board, NEGOTIATION)->count, ==, 0);
    g_assert_cmpint (board->open_total, ==, 10000000);
    g_assert_cmpint (board->open_weighted, ==, 1000000);
  }
  crm_board_filter_clear (&filter);

  /* A contact field's values are not the deals' */
  ADD (.field_id = hobby, .op = CRM_CUSTOM_CONTAINS, .text = (char *) "doc");
  {
    g_autoptr (CrmBoard) board = LOAD (&filter);

    g_assert_no_error (error);
    g_assert_cmpuint (COLUMN (board, NEW_LEAD)->count, ==, 0);
    g_assert_cmpint (board->open_total, ==, 0);
  }
  crm_board_filter_clear (&filter);

  /* Conditions that miss what they need are refused and not added */
  {
    CrmFilterCustom bad[] = {
      { .field_id = source, .op = CRM_CUSTOM_CONTAINS, .text = (char *) "  ",
        .min = NAN, .max = NAN },
      { .field_id = users, .op = CRM_CUSTOM_BETWEEN, .min = NAN, .max = NAN },
      { .field_id = users, .op = CRM_CUSTOM_BETWEEN, .min = 5, .max = 1 },
      { .field_id = signed_on, .op = CRM_CUSTOM_BEFORE, .text = (char *) "30/06/2026",
        .min = NAN, .max = NAN },
      { .field_id = signed_on, .op = CRM_CUSTOM_AFTER, .text = (char *) "2026-02-30",
        .min = NAN, .max = NAN },
      { .field_id = plan, .op = CRM_CUSTOM_ANY_OF, .min = NAN, .max = NAN },
      { .field_id = 0, .op = CRM_CUSTOM_IS, .min = NAN, .max = NAN },
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_assert_false (crm_board_filter_add_custom (&filter, &bad[i], &error));
        g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
        g_clear_error (&error);
      }
    g_assert_null (filter.custom);
  }

#undef ADD
#undef ADD_RANGE
#undef LOAD
#undef COLUMN
#undef CARD_ID
}

static void
add (const char *path,
     void (*func) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pipeline/money/format", test_money_format);
  g_test_add_func ("/pipeline/money/convert", test_money_convert);
  add ("/pipeline/money/rates", test_money_rates);
  add ("/pipeline/board/weighted", test_board_weighted);
  g_test_add_func ("/pipeline/idle/zones", test_idle_zones);
  add ("/pipeline/idle/board", test_idle_board);
  add ("/pipeline/pipelines", test_pipelines);
  add ("/pipeline/stages", test_stages);
  add ("/pipeline/move/positions", test_move_positions);
  add ("/pipeline/move/one-row", test_move_one_row);
  add ("/pipeline/move/won-lost", test_move_won_lost);
  add ("/pipeline/move/undo", test_move_undo);
  add ("/pipeline/board/filter", test_board_filter);
  add ("/pipeline/board/custom-filter", test_board_custom_filter);
  add ("/pipeline/board/plan", test_board_plan);
  add ("/pipeline/bench/small", test_bench_small);
  add ("/pipeline/stages/count-deals", test_stage_count_deals);
  add ("/pipeline/money/change-base", test_change_base);

  return g_test_run ();
}
