/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-pipeline-bench"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>

#include "crm-pipeline.h"
#include "crm-pipeline-bench.h"

#define BOARD_RUNS 20
#define MOVE_RUNS 200
#define N_COMPANIES 500
#define DAY (24 * 60 * 60)

static void
finalize_stmt (sqlite3_stmt *stmt)
{
  sqlite3_finalize (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, finalize_stmt)

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

/* The nearest-rank 95th percentile. */
static double
p95 (double *samples,
     guint   n)
{
  guint rank = (95 * n + 99) / 100;

  qsort (samples, n, sizeof *samples, compare_doubles);

  return samples[MAX (rank, 1) - 1];
}

static gboolean
step_done (CrmStore      *store,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (store, error, rc, _("Cannot save the sample deals"));
      return FALSE;
    }

  return TRUE;
}

static gboolean
fill (CrmStore     *store,
      CrmPipeline  *pipeline,
      guint         n_deals,
      GRand        *rand,
      gint64        now,
      GError      **error)
{
  static const char *const owners[] = {
    "an.nguyen", "binh.tran", "chi.le", "dung.pham", "giang.hoang", "hoa.vu", "khanh.do",
    "linh.bui",
  };
  /* Fewer deals further down the pipeline. */
  static const guint weights[] = { 40, 25, 20, 15 };
  g_autoptr (GPtrArray) open = g_ptr_array_new ();
  g_autoptr (sqlite3_stmt) company = NULL;
  g_autoptr (sqlite3_stmt) deal = NULL;
  g_autofree gint64 *next_position = NULL;
  guint weight_sum = 0;
  gint64 first_company;

  for (guint i = 0; i < pipeline->stages->len; i++)
    {
      CrmStage *stage = g_ptr_array_index (pipeline->stages, i);

      if (stage->kind == CRM_STAGE_OPEN)
        g_ptr_array_add (open, stage);
    }
  if (open->len == 0)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                           _("The default pipeline has no open stage for the sample deals"));
      return FALSE;
    }
  next_position = g_new0 (gint64, open->len);
  for (guint i = 0; i < open->len; i++)
    weight_sum += i < G_N_ELEMENTS (weights) ? weights[i] : 10;

  if (!crm_currency_set_rate (store, "USD", "25400", error))
    return FALSE;

  if (!crm_store_begin (store, error))
    return FALSE;

  company = crm_store_prepare (store, "INSERT INTO company (name, owner) VALUES (?1, ?2)", error);
  if (company == NULL)
    goto fail;
  first_company = 0;
  for (guint i = 0; i < N_COMPANIES; i++)
    {
      g_autofree char *name = g_strdup_printf ("Công ty TNHH Mẫu %u", i + 1);

      sqlite3_bind_text (company, 1, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (company, 2, owners[i % G_N_ELEMENTS (owners)], -1, SQLITE_STATIC);
      if (!step_done (store, company, error))
        goto fail;
      if (first_company == 0)
        first_company = sqlite3_last_insert_rowid (crm_store_get_db (store));
    }

  /* Positions are dense from 0 in each stage, in insertion order. */
  deal = crm_store_prepare (store,
                            "INSERT INTO deal (title, company_id, stage_id, value, currency, "
                            "expected_close, owner, status, position, stage_entered, created, "
                            "updated) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'open', ?8, ?9, ?9, ?9)",
                            error);
  if (deal == NULL)
    goto fail;
  for (guint i = 0; i < n_deals; i++)
    {
      g_autofree char *title = g_strdup_printf ("Hợp đồng mẫu %u", i + 1);
      g_autoptr (GDateTime) close_time = NULL;
      g_autofree char *close = NULL;
      guint pick = g_rand_int_range (rand, 0, (gint32) weight_sum);
      guint s = 0;
      CrmStage *stage;
      gboolean usd = g_rand_int_range (rand, 0, 100) < 15;
      gint64 entered = now - g_rand_int_range (rand, 0, 120 * DAY);

      while (s + 1 < open->len && pick >= (s < G_N_ELEMENTS (weights) ? weights[s] : 10))
        {
          pick -= s < G_N_ELEMENTS (weights) ? weights[s] : 10;
          s++;
        }
      stage = g_ptr_array_index (open, s);
      close_time = g_date_time_new_from_unix_utc (now + (gint64) g_rand_int_range (rand, -30, 120) * DAY);
      close = g_date_time_format (close_time, "%Y-%m-%d");

      sqlite3_bind_text (deal, 1, title, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (deal, 2, first_company + g_rand_int_range (rand, 0, N_COMPANIES));
      sqlite3_bind_int64 (deal, 3, stage->id);
      if (usd)
        {
          /* $1,000.00 to $50,000.00 */
          sqlite3_bind_int64 (deal, 4, (gint64) g_rand_int_range (rand, 1000, 50000) * 100);
          sqlite3_bind_text (deal, 5, "USD", -1, SQLITE_STATIC);
        }
      else
        {
          /* 5.000.000 ₫ to 2.000.000.000 ₫ in steps of 100.000 ₫ */
          sqlite3_bind_int64 (deal, 4, (gint64) g_rand_int_range (rand, 50, 20000) * 100000);
          sqlite3_bind_text (deal, 5, "VND", -1, SQLITE_STATIC);
        }
      sqlite3_bind_text (deal, 6, close, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (deal, 7, owners[g_rand_int_range (rand, 0, G_N_ELEMENTS (owners))], -1,
                         SQLITE_STATIC);
      sqlite3_bind_int64 (deal, 8, next_position[s] += CRM_DEAL_POSITION_GAP);
      sqlite3_bind_int64 (deal, 9, entered);
      if (!step_done (store, deal, error))
        goto fail;
    }

  if (!crm_store_commit (store, error))
    return FALSE;

  crm_store_emit_changed (store, "deal", 0);
  return TRUE;

fail:
  crm_store_rollback (store);
  return FALSE;
}

gboolean
crm_pipeline_bench (CrmStore  *store,
                    guint      n_open_deals,
                    guint64    seed,
                    double    *board_ms,
                    double    *move_ms,
                    GError   **error)
{
  g_autoptr (CrmPipeline) pipeline = NULL;
  g_autoptr (GRand) rand = NULL;
  g_autoptr (GArray) deal_ids = NULL;
  g_autoptr (sqlite3_stmt) ids = NULL;
  g_autoptr (sqlite3_stmt) count = NULL;
  double board_samples[BOARD_RUNS];
  double move_samples[MOVE_RUNS];
  guint32 seed_parts[2] = { (guint32) seed, (guint32) (seed >> 32) };
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);
  g_return_val_if_fail (board_ms != NULL && move_ms != NULL, FALSE);

  rand = g_rand_new_with_seed_array (seed_parts, G_N_ELEMENTS (seed_parts));
  pipeline = crm_pipeline_load (store, 0, error);
  if (pipeline == NULL)
    return FALSE;
  if (!fill (store, pipeline, n_open_deals, rand, now, error))
    return FALSE;

  for (guint i = 0; i <= BOARD_RUNS; i++)
    {
      g_autoptr (CrmBoard) board = NULL;
      gint64 start = g_get_monotonic_time ();

      board = crm_board_load (store, pipeline->id, NULL, now, error);
      if (board == NULL)
        return FALSE;
      /* The first load warms the page cache and is not counted. */
      if (i > 0)
        board_samples[i - 1] = (g_get_monotonic_time () - start) / 1000.0;
    }

  ids = crm_store_prepare (store,
                           "SELECT d.id FROM deal d JOIN stage s ON s.id = d.stage_id "
                           "WHERE s.pipeline_id = ?1 AND d.archived = 0 AND d.status = 'open'",
                           error);
  if (ids == NULL)
    return FALSE;
  sqlite3_bind_int64 (ids, 1, pipeline->id);
  deal_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  while ((rc = sqlite3_step (ids)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (ids, 0);

      g_array_append_val (deal_ids, id);
    }
  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (store, error, rc, _("Cannot read the sample deals"));
      return FALSE;
    }
  if (deal_ids->len == 0)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                           _("There are no sample deals to move"));
      return FALSE;
    }

  count = crm_store_prepare (store,
                             "SELECT count(*) FROM deal WHERE stage_id = ?1 AND archived = 0",
                             error);
  if (count == NULL)
    return FALSE;

  for (guint i = 0; i < MOVE_RUNS; i++)
    {
      gint64 deal_id = g_array_index (deal_ids, gint64,
                                      g_rand_int_range (rand, 0, (gint32) deal_ids->len));
      CrmStage *stage = g_ptr_array_index (pipeline->stages,
                                           g_rand_int_range (rand, 0,
                                                             (gint32) pipeline->stages->len));
      guint index;
      gint64 start;

      /* A random place among the target's cards, its end included. */
      sqlite3_bind_int64 (count, 1, stage->id);
      if ((rc = sqlite3_step (count)) != SQLITE_ROW)
        {
          crm_store_set_error (store, error, rc, _("Cannot read the sample deals"));
          return FALSE;
        }
      index = g_rand_int_range (rand, 0, (gint32) sqlite3_column_int64 (count, 0) + 1);
      sqlite3_reset (count);

      start = g_get_monotonic_time ();

      if (!crm_deal_move (store, deal_id, stage->id, index, "Bench", now, NULL, error))
        return FALSE;
      move_samples[i] = (g_get_monotonic_time () - start) / 1000.0;
    }

  *board_ms = p95 (board_samples, BOARD_RUNS);
  *move_ms = p95 (move_samples, MOVE_RUNS);
  return TRUE;
}
