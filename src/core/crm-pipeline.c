/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-pipeline"

#include "config.h"
#include "crm-text.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "crm-pipeline.h"

/* Exact money arithmetic: an amount times a rate's scaled integer needs
 * more than 64 bits before it is divided back down. */
__extension__ typedef __int128 CrmInt128;

/* The most significant digits a rate may have, so that its scaled integer
 * and its power of ten fit in 64 bits. */
#define MAX_RATE_DIGITS 18

struct _CrmDealMoveUndo
{
  gint64  deal_id;
  gint64  moved_to;        /* the stage the move put the deal in */

  /* The deal's row before the move */
  gint64  stage_id;
  gint64  position;
  char   *status;
  gboolean has_closed;
  gint64  closed;
  char   *lost_reason;
  gint64  stage_entered;
  gint64  updated;

  /* (id, old position) of every other deal the move renumbered, in the
   * order they were changed; restored backwards so the oldest value wins. */
  GArray *positions;
};

typedef struct
{
  gint64 id;
  gint64 position;
} PositionEntry;

typedef struct
{
  guint64 mantissa;
  int     scale;        /* the rate is mantissa / 10^scale */
  int     minor_digits; /* of the currency the rate is for */
} ParsedRate;

/* The built-in rows are stored in English (crm-schema.c) and shown
 * translated while the user keeps their names. */
static const char *const builtin_names[] = {
  N_("Sales"),
  N_("New lead"), N_("Qualified"), N_("Proposal sent"), N_("Negotiation"), N_("Won"),
  N_("Lost"),
};

/* Helpers */

static void
finalize_stmt (sqlite3_stmt *stmt)
{
  sqlite3_finalize (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, finalize_stmt)

static const char *
shown_name (const char *name)
{
  if (name == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (builtin_names); i++)
    {
      if (g_str_equal (name, builtin_names[i]))
        return _(name);
    }

  return name;
}

static char *
trimmed (const char *text)
{
  return g_strstrip (g_strdup (text));
}

/* Steps a query: 1 for a row, 0 when done, -1 with @error set. */
static int
next_row (CrmStore      *store,
          sqlite3_stmt  *stmt,
          GError       **error)
{
  return crm_store_next_row (store, stmt, _("Cannot read the pipeline"), error);
}

static gboolean
step_done (CrmStore      *store,
           sqlite3_stmt  *stmt,
           const char    *doing,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (store, error, rc, doing);
      return FALSE;
    }

  return TRUE;
}

/* Runs @stmt in a transaction of its own and says what it changed. */
static gboolean
step_alone (CrmStore      *store,
            sqlite3_stmt  *stmt,
            const char    *doing,
            const char    *entity,
            gint64         id,
            GError       **error)
{
  if (!crm_store_begin (store, error))
    return FALSE;
  if (!step_done (store, stmt, doing, error))
    {
      crm_store_rollback (store);
      return FALSE;
    }
  if (!crm_store_commit (store, error))
    return FALSE;

  crm_store_emit_changed (store, entity, id);
  return TRUE;
}

static gboolean
exec_bound (CrmStore    *store,
            const char  *sql,
            gint64       a,
            gint64       b,
            const char  *doing,
            GError     **error)
{
  g_autoptr (sqlite3_stmt) stmt = crm_store_prepare (store, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, a);
  sqlite3_bind_int64 (stmt, 2, b);

  return step_done (store, stmt, doing, error);
}

static CrmStageKind
kind_from_string (const char *kind)
{
  if (g_strcmp0 (kind, "won") == 0)
    return CRM_STAGE_WON;
  if (g_strcmp0 (kind, "lost") == 0)
    return CRM_STAGE_LOST;

  return CRM_STAGE_OPEN;
}

static const char *
kind_to_string (CrmStageKind kind)
{
  switch (kind)
    {
    case CRM_STAGE_WON:
      return "won";
    case CRM_STAGE_LOST:
      return "lost";
    case CRM_STAGE_OPEN:
    default:
      return "open";
    }
}

#define STAGE_COLUMNS "id, pipeline_id, name, position, probability, kind, ifnull(idle_days, 0)"

static CrmStage *
stage_from_row (sqlite3_stmt *stmt)
{
  CrmStage *stage = g_new0 (CrmStage, 1);

  stage->id = sqlite3_column_int64 (stmt, 0);
  stage->pipeline_id = sqlite3_column_int64 (stmt, 1);
  stage->name = g_strdup (shown_name ((const char *) sqlite3_column_text (stmt, 2)));
  stage->position = sqlite3_column_int64 (stmt, 3);
  stage->probability = sqlite3_column_int (stmt, 4);
  stage->kind = kind_from_string ((const char *) sqlite3_column_text (stmt, 5));
  stage->idle_days = sqlite3_column_int (stmt, 6);

  return stage;
}

/* One stage, or NULL with @error set (CRM_STORE_ERROR_NOT_FOUND when there
 * is none). */
static CrmStage *
stage_load (CrmStore  *store,
            gint64     id,
            GError   **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = crm_store_prepare (store, "SELECT " STAGE_COLUMNS " FROM stage WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = next_row (store, stmt, error);
  if (rc < 0)
    return NULL;
  if (rc == 0)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                   _("There is no stage %lld"), (long long) id);
      return NULL;
    }

  return stage_from_row (stmt);
}

static gboolean
pipeline_exists (CrmStore  *store,
                 gint64     id,
                 GError   **error)
{
  g_autoptr (sqlite3_stmt) stmt = crm_store_prepare (store, "SELECT 1 FROM pipeline WHERE id = ?1",
                                                     error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = next_row (store, stmt, error);
  if (rc < 0)
    return FALSE;
  if (rc == 0)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                   _("There is no pipeline %lld"), (long long) id);
      return FALSE;
    }

  return TRUE;
}

static gboolean
load_stages (CrmStore     *store,
             CrmPipeline  *pipeline,
             GError      **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = crm_store_prepare (store,
                            "SELECT " STAGE_COLUMNS " FROM stage WHERE pipeline_id = ?1 "
                            "ORDER BY position, id",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, pipeline->id);
  while ((rc = next_row (store, stmt, error)) > 0)
    g_ptr_array_add (pipeline->stages, stage_from_row (stmt));

  return rc == 0;
}

static CrmPipeline *
pipeline_new_from_row (sqlite3_stmt *stmt)
{
  CrmPipeline *pipeline = g_new0 (CrmPipeline, 1);

  pipeline->id = sqlite3_column_int64 (stmt, 0);
  pipeline->name = g_strdup (shown_name ((const char *) sqlite3_column_text (stmt, 1)));
  pipeline->is_default = sqlite3_column_int (stmt, 2) != 0;
  pipeline->stages = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_stage_free);

  return pipeline;
}

/* Renumbers a pipeline's stages 0, 1, 2, … in their current order. */
static gboolean
renumber_stages (CrmStore  *store,
                 gint64     pipeline_id,
                 GError   **error)
{
  return exec_bound (store,
                     "UPDATE stage SET position = r.rank FROM "
                     "(SELECT id, row_number () OVER (ORDER BY position, id) - 1 AS rank "
                     "FROM stage WHERE pipeline_id = ?1) AS r "
                     "WHERE stage.id = r.id AND stage.position <> r.rank",
                     pipeline_id, 0, _("Cannot save the stage"), error);
}

static gboolean
validate_stage_values (int        probability,
                       int        idle_days,
                       GError   **error)
{
  if (probability < 0 || probability > 100)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                   _("Win probability %d is outside 0–100"), probability);
      return FALSE;
    }
  if (idle_days < 0)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                   _("Idle days cannot be negative (%d)"), idle_days);
      return FALSE;
    }

  return TRUE;
}

static void
bind_idle_days (sqlite3_stmt *stmt,
                int           column,
                int           idle_days)
{
  if (idle_days > 0)
    sqlite3_bind_int (stmt, column, idle_days);
  else
    sqlite3_bind_null (stmt, column);
}

/* Money helpers */

static gboolean
valid_currency_code (const char *code)
{
  if (code == NULL || strlen (code) != 3)
    return FALSE;

  for (guint i = 0; i < 3; i++)
    {
      if (!g_ascii_isupper (code[i]))
        return FALSE;
    }

  return TRUE;
}

/* "usd " → "USD", or NULL with @error set. */
static char *
normalize_currency (const char  *currency,
                    GError     **error)
{
  g_autofree char *code = g_ascii_strup (currency != NULL ? currency : "", -1);

  g_strstrip (code);
  if (!valid_currency_code (code))
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                   _("“%s” is not a currency code: use three letters such as VND"),
                   currency != NULL ? currency : "");
      return NULL;
    }

  return g_steal_pointer (&code);
}

static guint64
power_of_ten (int n)
{
  guint64 value = 1;

  for (int i = 0; i < n; i++)
    value *= 10;

  return value;
}

/* A positive decimal "25400" or "0.0039" as mantissa / 10^scale. */
static gboolean
parse_rate (const char *text,
            guint64    *mantissa,
            int        *scale)
{
  guint64 value = 0;
  int digits = 0;
  int decimals = 0;
  gboolean point = FALSE;
  const char *p;

  if (text == NULL)
    return FALSE;
  while (g_ascii_isspace (*text))
    text++;
  if (*text == '\0')
    return FALSE;

  for (p = text; *p != '\0' && !g_ascii_isspace (*p); p++)
    {
      if (*p == '.')
        {
          if (point)
            return FALSE;
          point = TRUE;
          continue;
        }
      if (!g_ascii_isdigit (*p))
        return FALSE;
      /* Leading zeros carry no precision; trailing decimals beyond what
       * fits are refused rather than silently dropped. */
      if (value == 0 && *p == '0')
        {
          if (point)
            decimals++;
          continue;
        }
      if (++digits > MAX_RATE_DIGITS)
        return FALSE;
      value = value * 10 + (guint64) (*p - '0');
      if (point)
        decimals++;
    }
  while (g_ascii_isspace (*p))
    p++;
  if (*p != '\0' || value == 0 || decimals > MAX_RATE_DIGITS)
    return FALSE;

  *mantissa = value;
  *scale = decimals;
  return TRUE;
}

/* @num / @den rounded half away from zero. */
static CrmInt128
round_div (CrmInt128 num,
           CrmInt128 den)
{
  CrmInt128 q = num / den;
  CrmInt128 r = num % den;

  if (r < 0)
    r = -r;
  if (2 * r >= den)
    q += num < 0 ? -1 : 1;

  return q;
}

static gboolean
convert_parsed (const ParsedRate *rate,
                gint64            amount,
                gint64           *converted)
{
  CrmInt128 num = (CrmInt128) amount * (CrmInt128) rate->mantissa;
  CrmInt128 den = (CrmInt128) power_of_ten (rate->scale) *
                  (CrmInt128) power_of_ten (rate->minor_digits);
  CrmInt128 result = round_div (num, den);

  if (result > G_MAXINT64 || result < G_MININT64)
    return FALSE;

  *converted = (gint64) result;
  return TRUE;
}

/* Parsed rates, keyed by currency, for converting many amounts. */
static GHashTable *
parse_rates (GHashTable *rates)
{
  GHashTable *parsed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, rates);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      ParsedRate rate = { 0 };

      if (!parse_rate (value, &rate.mantissa, &rate.scale))
        continue;
      rate.minor_digits = crm_currency_minor_digits (key);
      g_hash_table_insert (parsed, g_strdup (key), g_memdup2 (&rate, sizeof rate));
    }

  return parsed;
}

static gboolean
convert_with (GHashTable *parsed,
              const char *base,
              gint64      amount,
              const char *currency,
              gint64     *converted)
{
  const ParsedRate *rate;

  if (g_strcmp0 (currency, base) == 0)
    {
      *converted = amount;
      return TRUE;
    }

  rate = currency != NULL ? g_hash_table_lookup (parsed, currency) : NULL;
  if (rate == NULL)
    return FALSE;

  return convert_parsed (rate, amount, converted);
}

static void
append_grouped (GString *out,
                guint64  value,
                char     separator)
{
  char digits[32];
  int n = g_snprintf (digits, sizeof digits, "%" G_GUINT64_FORMAT, value);

  for (int i = 0; i < n; i++)
    {
      if (i > 0 && (n - i) % 3 == 0)
        g_string_append_c (out, separator);
      g_string_append_c (out, digits[i]);
    }
}

/* Dates */

static gint64
local_day_number (gint64     time,
                  GTimeZone *tz)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (time);
  g_autoptr (GDateTime) local = NULL;
  GDate date;
  int y, m, d;

  if (utc == NULL)
    return 0;
  local = g_date_time_to_timezone (utc, tz);
  g_date_time_get_ymd (local, &y, &m, &d);
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, d, m, y);

  return g_date_get_julian (&date);
}

/* The first instant of the local day @days before today (the day of
 * @now in @tz): a deal that entered its stage earlier has spent more
 * than @days whole days there. */
static gint64
idle_cutoff (GDateTime *today,
             int        days,
             GTimeZone *tz)
{
  g_autoptr (GDateTime) start = NULL;
  GDate date;
  int y, m, d;

  g_date_time_get_ymd (today, &y, &m, &d);
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, d, m, y);
  g_date_subtract_days (&date, days);
  start = g_date_time_new (tz, g_date_get_year (&date), g_date_get_month (&date),
                           g_date_get_day (&date), 0, 0, 0);

  return start != NULL ? g_date_time_to_unix (start) : G_MININT64;
}

/* Positions */

/* Spreads a stage's board cards CRM_DEAL_POSITION_GAP apart in their
 * board order, recording the old position of each deal it changes. Moves
 * need this only when two neighbours have no room left between them. The
 * deal @skip_id is left for its caller to place (its move then writes one
 * audit row). */
static gboolean
respace_positions (CrmStore  *store,
                   gint64     stage_id,
                   gint64     skip_id,
                   GArray    *changed,
                   GError   **error)
{
  g_autoptr (sqlite3_stmt) find = NULL;
  g_autoptr (sqlite3_stmt) set = NULL;
  g_autoptr (GArray) fixes = g_array_new (FALSE, FALSE, sizeof (PositionEntry));
  gboolean ok;
  int rc;

  find = crm_store_prepare (store,
                            "SELECT id, position, rank FROM "
                            "(SELECT id, position, row_number () OVER (ORDER BY position, id) "
                            "* ?3 AS rank FROM deal WHERE stage_id = ?1 AND archived = 0 "
                            "AND id <> ?2) WHERE position <> rank",
                            error);
  if (find == NULL)
    return FALSE;
  sqlite3_bind_int64 (find, 1, stage_id);
  sqlite3_bind_int64 (find, 2, skip_id);
  sqlite3_bind_int64 (find, 3, CRM_DEAL_POSITION_GAP);
  while ((rc = next_row (store, find, error)) > 0)
    {
      PositionEntry old = { sqlite3_column_int64 (find, 0), sqlite3_column_int64 (find, 1) };
      PositionEntry fix = { old.id, sqlite3_column_int64 (find, 2) };

      g_array_append_val (changed, old);
      g_array_append_val (fixes, fix);
    }
  if (rc < 0)
    return FALSE;
  if (fixes->len == 0)
    return TRUE;

  set = crm_store_prepare (store, "UPDATE deal SET position = ?2 WHERE id = ?1", error);
  if (set == NULL)
    return FALSE;
  /* Renumbering is bookkeeping, not a change anyone made: only the moved
   * deal's own row goes to the audit log. */
  crm_store_set_deferred (store, TRUE);
  ok = TRUE;
  for (guint i = 0; ok && i < fixes->len; i++)
    {
      const PositionEntry *fix = &g_array_index (fixes, PositionEntry, i);

      sqlite3_bind_int64 (set, 1, fix->id);
      sqlite3_bind_int64 (set, 2, fix->position);
      ok = step_done (store, set, _("Cannot move the deal"), error);
    }
  crm_store_set_deferred (store, FALSE);

  return ok;
}

/* The positions of the cards that will sit just before and after the
 * deal @deal_id once it is the @index-th card of the stage (counting the
 * cards other than itself); a missing neighbour's flag is FALSE. */
static gboolean
find_neighbours (CrmStore  *store,
                 gint64     stage_id,
                 gint64     deal_id,
                 guint      index,
                 gboolean  *has_before,
                 gint64    *before,
                 gboolean  *has_after,
                 gint64    *after,
                 GError   **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  *has_before = *has_after = FALSE;
  stmt = crm_store_prepare (store,
                            "SELECT position FROM deal INDEXED BY deal_board "
                            "WHERE stage_id = ?1 AND archived = 0 AND id <> ?2 "
                            "ORDER BY position, id LIMIT ?4 OFFSET ?3",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, stage_id);
  sqlite3_bind_int64 (stmt, 2, deal_id);
  sqlite3_bind_int64 (stmt, 3, index > 0 ? index - 1 : 0);
  sqlite3_bind_int64 (stmt, 4, index > 0 ? 2 : 1);

  if (index > 0)
    {
      rc = next_row (store, stmt, error);
      if (rc < 0)
        return FALSE;
      if (rc == 0)
        {
          /* Past the end: after the last card, if there is one. */
          g_autoptr (sqlite3_stmt) last = NULL;

          last = crm_store_prepare (store,
                                    "SELECT position FROM deal INDEXED BY deal_board "
                                    "WHERE stage_id = ?1 AND archived = 0 AND id <> ?2 "
                                    "ORDER BY position DESC, id DESC LIMIT 1",
                                    error);
          if (last == NULL)
            return FALSE;
          sqlite3_bind_int64 (last, 1, stage_id);
          sqlite3_bind_int64 (last, 2, deal_id);
          rc = next_row (store, last, error);
          if (rc < 0)
            return FALSE;
          if (rc > 0)
            {
              *has_before = TRUE;
              *before = sqlite3_column_int64 (last, 0);
            }
          return TRUE;
        }
      *has_before = TRUE;
      *before = sqlite3_column_int64 (stmt, 0);
    }
  rc = next_row (store, stmt, error);
  if (rc < 0)
    return FALSE;
  if (rc > 0)
    {
      *has_after = TRUE;
      *after = sqlite3_column_int64 (stmt, 0);
    }

  return TRUE;
}

/* A position that puts the deal @deal_id @index-th among the stage's other
 * cards: halfway between its neighbours, which are respaced first when
 * they have no room between them. */
static gboolean
place_position (CrmStore  *store,
                gint64     stage_id,
                gint64     deal_id,
                guint      index,
                GArray    *changed,
                gint64    *position,
                GError   **error)
{
  gboolean has_before, has_after;
  gint64 before = 0, after = 0;

  if (!find_neighbours (store, stage_id, deal_id, index, &has_before, &before, &has_after,
                        &after, error))
    return FALSE;

  if (has_before && has_after && after - before < 2)
    {
      if (!respace_positions (store, stage_id, deal_id, changed, error))
        return FALSE;
      if (!find_neighbours (store, stage_id, deal_id, index, &has_before, &before, &has_after,
                            &after, error))
        return FALSE;
    }

  if (has_before && has_after)
    *position = before + (after - before) / 2;
  else if (has_before)
    *position = before + CRM_DEAL_POSITION_GAP;
  else if (has_after)
    *position = after - CRM_DEAL_POSITION_GAP;
  else
    *position = CRM_DEAL_POSITION_GAP;

  return TRUE;
}

/* The highest position in the stage, 0 when it has no deals, or
 * G_MININT64 with @error set. */
static gint64
last_position (CrmStore  *store,
               gint64     stage_id,
               GError   **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  stmt = crm_store_prepare (store,
                            "SELECT ifnull (max (position), 0) FROM deal WHERE stage_id = ?1",
                            error);
  if (stmt == NULL)
    return G_MININT64;
  sqlite3_bind_int64 (stmt, 1, stage_id);
  if (next_row (store, stmt, error) <= 0)
    return G_MININT64;

  return sqlite3_column_int64 (stmt, 0);
}

/* Public API: pipelines and stages */

void
crm_stage_free (CrmStage *stage)
{
  if (stage == NULL)
    return;

  g_free (stage->name);
  g_free (stage);
}

void
crm_pipeline_free (CrmPipeline *pipeline)
{
  if (pipeline == NULL)
    return;

  g_free (pipeline->name);
  g_clear_pointer (&pipeline->stages, g_ptr_array_unref);
  g_free (pipeline);
}

/**
 * crm_pipelines_list:
 *
 * Returns: (transfer full) (element-type CrmPipeline): every pipeline with
 *   its stages, in the order the user keeps them
 */
GPtrArray *
crm_pipelines_list (CrmStore  *store,
                    GError   **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autoptr (GPtrArray) pipelines = NULL;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);

  stmt = crm_store_prepare (store,
                            "SELECT id, name, is_default FROM pipeline ORDER BY position, id",
                            error);
  if (stmt == NULL)
    return NULL;

  pipelines = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_pipeline_free);
  while ((rc = next_row (store, stmt, error)) > 0)
    g_ptr_array_add (pipelines, pipeline_new_from_row (stmt));
  if (rc < 0)
    return NULL;

  for (guint i = 0; i < pipelines->len; i++)
    {
      if (!load_stages (store, g_ptr_array_index (pipelines, i), error))
        return NULL;
    }

  return g_steal_pointer (&pipelines);
}

/**
 * crm_pipeline_load:
 * @id: a pipeline, or 0 for the default one
 *
 * Returns: (transfer full): the pipeline with its stages by position
 */
CrmPipeline *
crm_pipeline_load (CrmStore  *store,
                   gint64     id,
                   GError   **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autoptr (CrmPipeline) pipeline = NULL;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);

  if (id > 0)
    stmt = crm_store_prepare (store, "SELECT id, name, is_default FROM pipeline WHERE id = ?1",
                              error);
  else
    stmt = crm_store_prepare (store,
                              "SELECT id, name, is_default FROM pipeline "
                              "ORDER BY is_default DESC, position, id LIMIT 1",
                              error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = next_row (store, stmt, error);
  if (rc < 0)
    return NULL;
  if (rc == 0)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                   _("There is no pipeline %lld"), (long long) id);
      return NULL;
    }

  pipeline = pipeline_new_from_row (stmt);
  if (!load_stages (store, pipeline, error))
    return NULL;

  return g_steal_pointer (&pipeline);
}

/**
 * crm_pipeline_create:
 *
 * Makes a pipeline without stages after the others.
 *
 * Returns: its id, or 0 with @error set
 */
gint64
crm_pipeline_create (CrmStore    *store,
                     const char  *name,
                     GError     **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autofree char *clean = NULL;
  gint64 id;

  g_return_val_if_fail (CRM_IS_STORE (store), 0);

  if (crm_text_is_blank (name))
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                           _("A pipeline needs a name"));
      return 0;
    }
  clean = trimmed (name);

  if (!crm_store_begin (store, error))
    return 0;
  stmt = crm_store_prepare (store,
                            "INSERT INTO pipeline (name, position, is_default) VALUES "
                            "(?1, (SELECT ifnull(max(position) + 1, 0) FROM pipeline), 0)",
                            error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, clean, -1, SQLITE_STATIC);
  if (!step_done (store, stmt, _("Cannot save the pipeline"), error))
    goto fail;
  id = sqlite3_last_insert_rowid (crm_store_get_db (store));
  if (!crm_store_commit (store, error))
    return 0;

  crm_store_emit_changed (store, "pipeline", id);
  return id;

fail:
  crm_store_rollback (store);
  return 0;
}

gboolean
crm_pipeline_rename (CrmStore    *store,
                     gint64       id,
                     const char  *name,
                     GError     **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autofree char *clean = NULL;

  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);

  if (crm_text_is_blank (name))
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                           _("A pipeline needs a name"));
      return FALSE;
    }
  if (!pipeline_exists (store, id, error))
    return FALSE;
  clean = trimmed (name);

  stmt = crm_store_prepare (store, "UPDATE pipeline SET name = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, clean, -1, SQLITE_STATIC);
  return step_alone (store, stmt, _("Cannot save the pipeline"), "pipeline", id, error);
}

/**
 * crm_stage_add:
 *
 * Adds a stage to a pipeline: an open stage goes before the pipeline's
 * first won or lost stage, a won or lost stage at the end.
 *
 * Returns: its id, or 0 with @error set
 */
gint64
crm_stage_add (CrmStore      *store,
               gint64         pipeline_id,
               const char    *name,
               int            probability,
               CrmStageKind   kind,
               int            idle_days,
               GError       **error)
{
  g_autoptr (sqlite3_stmt) where = NULL;
  g_autoptr (sqlite3_stmt) insert = NULL;
  g_autofree char *clean = NULL;
  gint64 position;
  gint64 id;

  g_return_val_if_fail (CRM_IS_STORE (store), 0);

  if (crm_text_is_blank (name))
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                           _("A stage needs a name"));
      return 0;
    }
  if (!validate_stage_values (probability, idle_days, error))
    return 0;
  if (!pipeline_exists (store, pipeline_id, error))
    return 0;
  clean = trimmed (name);

  if (!crm_store_begin (store, error))
    return 0;
  if (!renumber_stages (store, pipeline_id, error))
    goto fail;

  if (kind == CRM_STAGE_OPEN)
    where = crm_store_prepare (store,
                               "SELECT coalesce ((SELECT min(position) FROM stage "
                               "WHERE pipeline_id = ?1 AND kind <> 'open'), "
                               "(SELECT count(*) FROM stage WHERE pipeline_id = ?1))",
                               error);
  else
    where = crm_store_prepare (store, "SELECT count(*) FROM stage WHERE pipeline_id = ?1", error);
  if (where == NULL)
    goto fail;
  sqlite3_bind_int64 (where, 1, pipeline_id);
  if (next_row (store, where, error) <= 0)
    goto fail;
  position = sqlite3_column_int64 (where, 0);

  if (!exec_bound (store,
                   "UPDATE stage SET position = position + 1 "
                   "WHERE pipeline_id = ?1 AND position >= ?2",
                   pipeline_id, position, _("Cannot save the stage"), error))
    goto fail;

  insert = crm_store_prepare (store,
                              "INSERT INTO stage (pipeline_id, name, position, probability, kind, "
                              "idle_days) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                              error);
  if (insert == NULL)
    goto fail;
  sqlite3_bind_int64 (insert, 1, pipeline_id);
  sqlite3_bind_text (insert, 2, clean, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (insert, 3, position);
  sqlite3_bind_int (insert, 4, probability);
  sqlite3_bind_text (insert, 5, kind_to_string (kind), -1, SQLITE_STATIC);
  bind_idle_days (insert, 6, idle_days);
  if (!step_done (store, insert, _("Cannot save the stage"), error))
    goto fail;
  id = sqlite3_last_insert_rowid (crm_store_get_db (store));

  if (!crm_store_commit (store, error))
    return 0;

  crm_store_emit_changed (store, "stage", id);
  return id;

fail:
  crm_store_rollback (store);
  return 0;
}

/**
 * crm_stage_update:
 * @name: (nullable): the new name, or NULL to keep it
 *
 * Changes a stage's name, win probability and idle days. A built-in name
 * given back as shown (translated) stays the built-in one.
 */
gboolean
crm_stage_update (CrmStore    *store,
                  gint64       id,
                  const char  *name,
                  int          probability,
                  int          idle_days,
                  GError     **error)
{
  g_autoptr (CrmStage) stage = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autofree char *clean = NULL;

  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);

  if (name != NULL && crm_text_is_blank (name))
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                           _("A stage needs a name"));
      return FALSE;
    }
  if (!validate_stage_values (probability, idle_days, error))
    return FALSE;
  stage = stage_load (store, id, error);
  if (stage == NULL)
    return FALSE;

  /* Saving the translated name as shown must not turn a built-in name
   * into the user's own text in one language. */
  if (name != NULL)
    {
      clean = trimmed (name);
      if (g_strcmp0 (clean, stage->name) == 0)
        g_clear_pointer (&clean, g_free);
    }

  stmt = crm_store_prepare (store,
                            "UPDATE stage SET name = coalesce (?2, name), probability = ?3, "
                            "idle_days = ?4 WHERE id = ?1",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (clean != NULL)
    sqlite3_bind_text (stmt, 2, clean, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 2);
  sqlite3_bind_int (stmt, 3, probability);
  bind_idle_days (stmt, 4, idle_days);

  return step_alone (store, stmt, _("Cannot save the stage"), "stage", id, error);
}

/**
 * crm_stages_reorder:
 * @ids: (array length=n_ids): every stage of the pipeline once, in the new order
 */
gboolean
crm_stages_reorder (CrmStore      *store,
                    gint64         pipeline_id,
                    const gint64  *ids,
                    gsize          n_ids,
                    GError       **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autoptr (GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr (CrmPipeline) pipeline = NULL;
  gboolean valid;

  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);
  g_return_val_if_fail (ids != NULL || n_ids == 0, FALSE);

  pipeline = crm_pipeline_load (store, pipeline_id, error);
  if (pipeline == NULL)
    return FALSE;
  if (pipeline_id <= 0)
    pipeline_id = pipeline->id;

  valid = n_ids == pipeline->stages->len;
  for (gsize i = 0; valid && i < n_ids; i++)
    g_hash_table_add (seen, (gpointer) &ids[i]);
  valid = valid && g_hash_table_size (seen) == n_ids;
  for (guint i = 0; valid && i < pipeline->stages->len; i++)
    {
      CrmStage *stage = g_ptr_array_index (pipeline->stages, i);

      valid = g_hash_table_contains (seen, &stage->id);
    }
  if (!valid)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                           _("The new stage order must list each stage of the pipeline once"));
      return FALSE;
    }

  stmt = crm_store_prepare (store, "UPDATE stage SET position = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  if (!crm_store_begin (store, error))
    return FALSE;
  for (gsize i = 0; i < n_ids; i++)
    {
      sqlite3_bind_int64 (stmt, 1, ids[i]);
      sqlite3_bind_int64 (stmt, 2, (gint64) i);
      if (!step_done (store, stmt, _("Cannot save the stage"), error))
        {
          crm_store_rollback (store);
          return FALSE;
        }
    }
  if (!crm_store_commit (store, error))
    return FALSE;

  crm_store_emit_changed (store, "pipeline", pipeline_id);
  return TRUE;
}

gboolean
crm_stage_remove (CrmStore  *store,
                  gint64     id,
                  gint64     move_to,
                  GError   **error)
{
  g_autoptr (CrmStage) stage = NULL;
  g_autoptr (CrmStage) target = NULL;
  g_autoptr (sqlite3_stmt) move = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 first;

  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);

  stage = stage_load (store, id, error);
  if (stage == NULL)
    return FALSE;
  if (move_to == id)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                           _("Choose another stage to take the deals of the removed one"));
      return FALSE;
    }
  target = stage_load (store, move_to, error);
  if (target == NULL)
    return FALSE;
  if (target->pipeline_id != stage->pipeline_id)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                   _("Stage “%s” belongs to another pipeline"), target->name);
      return FALSE;
    }

  if (!crm_store_begin (store, error))
    return FALSE;

  /* A lost stage keeps only deals with a lost reason. */
  if (target->kind == CRM_STAGE_LOST)
    {
      g_autoptr (sqlite3_stmt) check = NULL;

      check = crm_store_prepare (store,
                                 "SELECT count(*) FROM deal WHERE stage_id = ?1 AND "
                                 "(lost_reason IS NULL OR trim (lost_reason) = '')",
                                 error);
      if (check == NULL)
        goto fail;
      sqlite3_bind_int64 (check, 1, id);
      if (next_row (store, check, error) <= 0)
        goto fail;
      if (sqlite3_column_int64 (check, 0) > 0)
        {
          g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                       _("Deals without a lost reason cannot go to lost stage “%s”"),
                       target->name);
          goto fail;
        }
    }

  first = last_position (store, move_to, error);
  if (first == G_MININT64)
    goto fail;

  /* The moved deals follow the target's cards in their own order; they
   * enter the new stage now and take its status. */
  move = crm_store_prepare (store,
                            "UPDATE deal SET stage_id = ?2, "
                            "position = ?5 + r.rank * ?6, "
                            "stage_entered = ?3, updated = ?3, status = ?4, "
                            "closed = CASE ?4 WHEN 'open' THEN NULL "
                            "ELSE coalesce (closed, ?3) END, "
                            "lost_reason = CASE ?4 WHEN 'lost' THEN lost_reason ELSE NULL END "
                            "FROM (SELECT id, row_number () OVER (ORDER BY archived, position, id) "
                            "AS rank FROM deal WHERE stage_id = ?1) AS r "
                            "WHERE deal.id = r.id",
                            error);
  if (move == NULL)
    goto fail;
  sqlite3_bind_int64 (move, 1, id);
  sqlite3_bind_int64 (move, 2, move_to);
  sqlite3_bind_int64 (move, 3, now);
  sqlite3_bind_text (move, 4, kind_to_string (target->kind), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (move, 5, first);
  sqlite3_bind_int64 (move, 6, CRM_DEAL_POSITION_GAP);
  if (!step_done (store, move, _("Cannot move the deals"), error))
    goto fail;

  if (!exec_bound (store, "DELETE FROM stage WHERE id = ?1", id, 0,
                   _("Cannot remove the stage"), error))
    goto fail;
  if (!renumber_stages (store, stage->pipeline_id, error))
    goto fail;
  if (!crm_store_commit (store, error))
    return FALSE;

  crm_store_emit_changed (store, "stage", id);
  crm_store_emit_changed (store, "deal", 0);
  return TRUE;

fail:
  crm_store_rollback (store);
  return FALSE;
}

/* Public API: money */

/**
 * crm_currency_minor_digits:
 *
 * Returns: how many digits the currency's minor unit has (ISO 4217)
 */
int
crm_currency_minor_digits (const char *currency)
{
  static const char *const zero[] = {
    "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI",
    "VND", "VUV", "XAF", "XOF", "XPF",
  };
  static const char *const three[] = {
    "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND",
  };
  static const char *const four[] = { "CLF", "UYW" };

  if (currency == NULL)
    return 2;
  for (guint i = 0; i < G_N_ELEMENTS (zero); i++)
    if (g_ascii_strcasecmp (currency, zero[i]) == 0)
      return 0;
  for (guint i = 0; i < G_N_ELEMENTS (three); i++)
    if (g_ascii_strcasecmp (currency, three[i]) == 0)
      return 3;
  for (guint i = 0; i < G_N_ELEMENTS (four); i++)
    if (g_ascii_strcasecmp (currency, four[i]) == 0)
      return 4;

  return 2;
}

/**
 * crm_money_format:
 * @amount: in minor units of @currency
 *
 * Writes an amount the way its currency's users read it: "12.500.000 ₫",
 * "$1,234.50", "€1,234.50", else "1,234.50 XYZ"; negative with a minus.
 *
 * Returns: (transfer full): the text
 */
char *
crm_money_format (gint64      amount,
                  const char *currency)
{
  GString *out = g_string_new (NULL);
  int digits = crm_currency_minor_digits (currency);
  guint64 magnitude = amount < 0 ? (guint64) (-(amount + 1)) + 1 : (guint64) amount;
  guint64 unit = power_of_ten (digits);
  gboolean vnd = g_strcmp0 (currency, "VND") == 0;
  char thousands = vnd ? '.' : ',';
  char point = vnd ? ',' : '.';

  if (amount < 0)
    g_string_append_c (out, '-');
  if (g_strcmp0 (currency, "USD") == 0)
    g_string_append_c (out, '$');
  else if (g_strcmp0 (currency, "EUR") == 0)
    g_string_append (out, "€");

  append_grouped (out, magnitude / unit, thousands);
  if (digits > 0)
    g_string_append_printf (out, "%c%0*" G_GUINT64_FORMAT, point, digits, magnitude % unit);

  if (vnd)
    g_string_append (out, " ₫");
  else if (g_strcmp0 (currency, "USD") != 0 && g_strcmp0 (currency, "EUR") != 0)
    g_string_append_printf (out, " %s", currency != NULL ? currency : "");

  return g_string_free (out, FALSE);
}

/**
 * crm_base_currency:
 *
 * Returns: (transfer full): the currency totals are shown in, "VND" unless
 *   the user chose another
 */
char *
crm_base_currency (CrmStore *store)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  char *code = NULL;

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);

  stmt = crm_store_prepare (store, "SELECT value FROM meta WHERE key = 'base_currency'", NULL);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    code = crm_column_dup (stmt, 0);
  if (!valid_currency_code (code))
    {
      g_free (code);
      code = g_strdup ("VND");
    }

  return code;
}

gboolean
crm_set_base_currency (CrmStore    *store,
                       const char  *currency,
                       GError     **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autofree char *code = NULL;

  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);

  code = normalize_currency (currency, error);
  if (code == NULL)
    return FALSE;

  stmt = crm_store_prepare (store,
                            "INSERT INTO meta (key, value) VALUES ('base_currency', ?1) "
                            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
  return step_alone (store, stmt, _("Cannot save the base currency"), "currency", 0, error);
}

/**
 * crm_currency_set_rate:
 * @rate: (nullable): a positive decimal with a point ("25400", "0.0039"),
 *   or NULL or "" to forget the rate
 */
gboolean
crm_currency_set_rate (CrmStore    *store,
                       const char  *currency,
                       const char  *rate,
                       GError     **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autofree char *code = NULL;
  g_autofree char *clean = NULL;
  guint64 mantissa;
  int scale;

  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);

  code = normalize_currency (currency, error);
  if (code == NULL)
    return FALSE;

  if (crm_text_is_blank (rate))
    {
      stmt = crm_store_prepare (store, "DELETE FROM currency_rate WHERE currency = ?1", error);
    }
  else
    {
      if (!parse_rate (rate, &mantissa, &scale))
        {
          g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                       _("Rate “%s” for %s is not a positive number such as 25400 or 0.5"),
                       rate, code);
          return FALSE;
        }
      clean = trimmed (rate);
      stmt = crm_store_prepare (store,
                                "INSERT INTO currency_rate (currency, rate, updated) "
                                "VALUES (?1, ?2, unixepoch ()) ON CONFLICT (currency) DO UPDATE "
                                "SET rate = excluded.rate, updated = excluded.updated",
                                error);
    }
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
  if (clean != NULL)
    sqlite3_bind_text (stmt, 2, clean, -1, SQLITE_STATIC);

  return step_alone (store, stmt, _("Cannot save the exchange rate"), "currency", 0, error);
}

/**
 * crm_currency_rates:
 *
 * Returns: (transfer full) (element-type utf8 utf8): currency code → rate
 */
GHashTable *
crm_currency_rates (CrmStore  *store,
                    GError   **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autoptr (GHashTable) rates = NULL;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);

  stmt = crm_store_prepare (store, "SELECT currency, rate FROM currency_rate", error);
  if (stmt == NULL)
    return NULL;

  rates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  while ((rc = next_row (store, stmt, error)) > 0)
    g_hash_table_insert (rates, crm_column_dup (stmt, 0), crm_column_dup (stmt, 1));
  if (rc < 0)
    return NULL;

  return g_steal_pointer (&rates);
}

gboolean
crm_currency_convert (GHashTable *rates,
                      const char *base,
                      gint64      amount,
                      const char *currency,
                      gint64     *converted)
{
  ParsedRate rate = { 0 };
  const char *text;

  g_return_val_if_fail (converted != NULL, FALSE);

  if (g_strcmp0 (currency, base) == 0)
    {
      *converted = amount;
      return TRUE;
    }

  text = rates != NULL && currency != NULL ? g_hash_table_lookup (rates, currency) : NULL;
  if (text == NULL || !parse_rate (text, &rate.mantissa, &rate.scale))
    return FALSE;
  rate.minor_digits = crm_currency_minor_digits (currency);

  return convert_parsed (&rate, amount, converted);
}

/* Public API: the board */

void
crm_board_filter_init (CrmBoardFilter *filter)
{
  g_return_if_fail (filter != NULL);

  memset (filter, 0, sizeof *filter);
  filter->value_min = -1;
  filter->value_max = -1;
}

void
crm_board_filter_clear (CrmBoardFilter *filter)
{
  g_return_if_fail (filter != NULL);

  for (guint i = 0; filter->owners != NULL && i < filter->owners_n; i++)
    g_free (filter->owners[i]);
  g_free (filter->owners);
  g_free (filter->close_from);
  g_free (filter->close_to);
  g_clear_pointer (&filter->custom, g_ptr_array_unref);
  crm_board_filter_init (filter);
}

static void
board_custom_free (CrmFilterCustom *custom)
{
  g_free (custom->text);
  g_strfreev (custom->choices);
  g_free (custom);
}

static gboolean
is_iso_date (const char *text)
{
  static const char pattern[] = "dddd-dd-dd";

  if (text == NULL || strlen (text) != 10)
    return FALSE;
  for (guint i = 0; i < 10; i++)
    {
      if (pattern[i] == 'd' ? !g_ascii_isdigit (text[i]) : text[i] != pattern[i])
        return FALSE;
    }

  return g_date_valid_dmy (atoi (text + 8), atoi (text + 5), atoi (text));
}

/**
 * crm_board_filter_add_custom:
 * @custom: a condition on a custom field of deals; copied
 *
 * Returns: whether the condition was added; %FALSE with @error set when it
 *   misses what its op needs
 */
gboolean
crm_board_filter_add_custom (CrmBoardFilter         *filter,
                             const CrmFilterCustom  *custom,
                             GError                **error)
{
  CrmFilterCustom *copy;
  const char *problem = NULL;

  g_return_val_if_fail (filter != NULL, FALSE);
  g_return_val_if_fail (custom != NULL, FALSE);

  switch (custom->op)
    {
    case CRM_CUSTOM_EQUALS:
    case CRM_CUSTOM_CONTAINS:
      if (crm_text_is_blank (custom->text))
        problem = _("Deal filter: a text condition needs text");
      break;
    case CRM_CUSTOM_BETWEEN:
      if ((isnan (custom->min) && isnan (custom->max))
          || isinf (custom->min) || isinf (custom->max)
          || (!isnan (custom->min) && !isnan (custom->max) && custom->min > custom->max))
        problem = _("Deal filter: a number range needs a lowest and/or highest number");
      break;
    case CRM_CUSTOM_BEFORE:
    case CRM_CUSTOM_AFTER:
      if (!is_iso_date (custom->text))
        problem = _("Deal filter: a date condition needs a date as YYYY-MM-DD");
      break;
    case CRM_CUSTOM_IS:
      break;
    case CRM_CUSTOM_ANY_OF:
      if (custom->choices == NULL || custom->choices[0] == NULL)
        problem = _("Deal filter: a choice condition needs at least one choice");
      break;
    default:
      problem = _("Deal filter: a custom condition has an unknown operator");
      break;
    }
  if (problem == NULL && custom->field_id <= 0)
    problem = _("Deal filter: a custom condition has no field");
  if (problem != NULL)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID, problem);
      return FALSE;
    }

  copy = g_memdup2 (custom, sizeof *custom);
  copy->text = g_strdup (custom->text);
  copy->choices = g_strdupv (custom->choices);
  if (filter->custom == NULL)
    filter->custom = g_ptr_array_new_with_free_func ((GDestroyNotify) board_custom_free);
  g_ptr_array_add (filter->custom, copy);

  return TRUE;
}

/* One custom condition with numbered parameters from *@param on, the order
 * bind_custom() follows. A field id that is not a deal field's matches
 * nothing: custom values of contacts share the entity_id numbers. */
static void
append_board_custom (GString               *sql,
                     const CrmFilterCustom *custom,
                     int                   *param)
{
  gboolean negate = custom->op == CRM_CUSTOM_IS && !custom->value;

  g_string_append_printf (sql, " AND %sEXISTS (SELECT 1 FROM custom_value v "
                               "WHERE v.field_id = (SELECT f.id FROM custom_field f "
                               "WHERE f.id = ?%d AND f.entity = 'deal') "
                               "AND v.entity_id = d.id AND ",
                          negate ? "NOT " : "", (*param)++);
  switch (custom->op)
    {
    case CRM_CUSTOM_EQUALS:
      g_string_append_printf (sql, "crm_fold(v.value) = ?%d", (*param)++);
      break;
    case CRM_CUSTOM_CONTAINS:
      g_string_append_printf (sql, "instr(crm_fold(v.value), ?%d) > 0", (*param)++);
      break;
    case CRM_CUSTOM_BETWEEN:
      /* Values are stored as text; an empty one is no number at all. */
      g_string_append (sql, "v.value <> ''");
      if (!isnan (custom->min))
        g_string_append_printf (sql, " AND CAST(v.value AS REAL) >= ?%d", (*param)++);
      if (!isnan (custom->max))
        g_string_append_printf (sql, " AND CAST(v.value AS REAL) <= ?%d", (*param)++);
      break;
    case CRM_CUSTOM_BEFORE:
    case CRM_CUSTOM_AFTER:
      g_string_append_printf (sql, "v.value GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' "
                                   "AND substr(v.value, 1, 10) %s ?%d",
                              custom->op == CRM_CUSTOM_BEFORE ? "<" : ">", (*param)++);
      break;
    case CRM_CUSTOM_IS:
      g_string_append (sql, "v.value IN ('1', 'true')");
      break;
    case CRM_CUSTOM_ANY_OF:
      g_string_append (sql, "v.value IN (");
      for (guint i = 0; custom->choices[i] != NULL; i++)
        g_string_append_printf (sql, "%s?%d", i > 0 ? ", " : "", (*param)++);
      g_string_append_c (sql, ')');
      break;
    default:
      g_assert_not_reached ();
    }
  g_string_append_c (sql, ')');
}

static void
bind_custom (sqlite3_stmt          *stmt,
             const CrmFilterCustom *custom,
             int                   *param)
{
  sqlite3_bind_int64 (stmt, (*param)++, custom->field_id);
  switch (custom->op)
    {
    case CRM_CUSTOM_EQUALS:
    case CRM_CUSTOM_CONTAINS:
      sqlite3_bind_text (stmt, (*param)++, crm_fold (custom->text), -1, g_free);
      break;
    case CRM_CUSTOM_BETWEEN:
      if (!isnan (custom->min))
        sqlite3_bind_double (stmt, (*param)++, custom->min);
      if (!isnan (custom->max))
        sqlite3_bind_double (stmt, (*param)++, custom->max);
      break;
    case CRM_CUSTOM_BEFORE:
    case CRM_CUSTOM_AFTER:
      sqlite3_bind_text (stmt, (*param)++, custom->text, -1, SQLITE_STATIC);
      break;
    case CRM_CUSTOM_ANY_OF:
      for (guint i = 0; custom->choices[i] != NULL; i++)
        sqlite3_bind_text (stmt, (*param)++, custom->choices[i], -1, SQLITE_STATIC);
      break;
    case CRM_CUSTOM_IS:
    default:
      break;
    }
}

static void
deal_card_free (CrmDealCard *card)
{
  g_free (card->title);
  g_free (card->party);
  g_free (card->currency);
  g_free (card->owner);
  g_free (card->expected_close);
  g_free (card);
}

static void
board_column_free (CrmBoardColumn *column)
{
  crm_stage_free (column->stage);
  g_clear_pointer (&column->cards, g_ptr_array_unref);
  g_free (column);
}

void
crm_board_free (CrmBoard *board)
{
  if (board == NULL)
    return;

  g_free (board->base_currency);
  g_clear_pointer (&board->columns, g_ptr_array_unref);
  g_free (board);
}

/**
 * crm_board_sql:
 * @filter: (nullable): the board's filter
 *
 * The query the board runs for each column, with the stage's id as ?1 and
 * the filter's values bound after it, for tests to check its plan.
 *
 * Returns: (transfer full): the SQL text
 */
char *
crm_board_sql (const CrmBoardFilter *filter)
{
  GString *sql = g_string_new ("SELECT d.id, d.title, d.contact_id, d.company_id, d.value, "
                               "d.currency, d.owner, d.expected_close, d.stage_entered, "
                               "d.position, co.name, c.display_name "
                               "FROM deal d "
                               "LEFT JOIN company co ON co.id = d.company_id "
                               "LEFT JOIN contact c ON c.id = d.contact_id "
                               "WHERE d.stage_id = ?1 AND d.archived = 0");
  int param = 2;

  if (filter != NULL && filter->owners != NULL && filter->owners_n > 0)
    {
      g_string_append (sql, " AND d.owner IN (");
      for (guint i = 0; i < filter->owners_n; i++)
        g_string_append_printf (sql, "%s?%d", i > 0 ? ", " : "", param++);
      g_string_append_c (sql, ')');
    }
  if (filter != NULL && filter->close_from != NULL)
    g_string_append_printf (sql, " AND d.expected_close >= ?%d", param++);
  if (filter != NULL && filter->close_to != NULL)
    g_string_append_printf (sql, " AND d.expected_close <= ?%d", param++);
  if (filter != NULL && filter->tag_id > 0)
    g_string_append_printf (sql, " AND EXISTS (SELECT 1 FROM deal_tag t "
                                 "WHERE t.deal_id = d.id AND t.tag_id = ?%d)",
                            param++);
  for (guint i = 0; filter != NULL && filter->custom != NULL && i < filter->custom->len; i++)
    append_board_custom (sql, g_ptr_array_index (filter->custom, i), &param);
  g_string_append (sql, " ORDER BY d.position, d.id");

  return g_string_free (sql, FALSE);
}

static void
bind_filter (sqlite3_stmt         *stmt,
             const CrmBoardFilter *filter)
{
  int param = 2;

  if (filter == NULL)
    return;
  if (filter->owners != NULL)
    {
      for (guint i = 0; i < filter->owners_n; i++)
        sqlite3_bind_text (stmt, param++, filter->owners[i], -1, SQLITE_STATIC);
    }
  if (filter->close_from != NULL)
    sqlite3_bind_text (stmt, param++, filter->close_from, -1, SQLITE_STATIC);
  if (filter->close_to != NULL)
    sqlite3_bind_text (stmt, param++, filter->close_to, -1, SQLITE_STATIC);
  if (filter->tag_id > 0)
    sqlite3_bind_int64 (stmt, param++, filter->tag_id);
  for (guint i = 0; filter->custom != NULL && i < filter->custom->len; i++)
    bind_custom (stmt, g_ptr_array_index (filter->custom, i), &param);
}

/**
 * crm_board_load_in_zone:
 * @tz: the time zone whose calendar days count for idle and overdue deals
 *
 * Like crm_board_load(), in a given time zone rather than the local one.
 *
 * Returns: (transfer full): the board, or NULL with @error set
 */
CrmBoard *
crm_board_load_in_zone (CrmStore              *store,
                        gint64                 pipeline_id,
                        const CrmBoardFilter  *filter,
                        gint64                 now,
                        GTimeZone             *tz,
                        GError               **error)
{
  g_autoptr (CrmPipeline) pipeline = NULL;
  g_autoptr (CrmBoard) board = NULL;
  g_autoptr (GHashTable) rates = NULL;
  g_autoptr (GHashTable) parsed = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autoptr (GDateTime) utc = NULL;
  g_autoptr (GDateTime) today = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *today_text = NULL;
  gboolean value_bounded;
  CrmInt128 open_weighted = 0;

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);
  g_return_val_if_fail (tz != NULL, NULL);

  pipeline = crm_pipeline_load (store, pipeline_id, error);
  if (pipeline == NULL)
    return NULL;
  rates = crm_currency_rates (store, error);
  if (rates == NULL)
    return NULL;
  parsed = parse_rates (rates);

  utc = g_date_time_new_from_unix_utc (now);
  if (utc == NULL)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                   _("Time %lld is out of range"), (long long) now);
      return NULL;
    }
  today = g_date_time_to_timezone (utc, tz);
  today_text = g_date_time_format (today, "%Y-%m-%d");

  sql = crm_board_sql (filter);
  stmt = crm_store_prepare (store, sql, error);
  if (stmt == NULL)
    return NULL;

  board = g_new0 (CrmBoard, 1);
  board->pipeline_id = pipeline->id;
  board->base_currency = crm_base_currency (store);
  board->columns = g_ptr_array_new_with_free_func ((GDestroyNotify) board_column_free);
  value_bounded = filter != NULL && (filter->value_min >= 0 || filter->value_max >= 0);

  for (guint i = 0; i < pipeline->stages->len; i++)
    {
      CrmStage *stage = g_ptr_array_index (pipeline->stages, i);
      CrmBoardColumn *column = g_new0 (CrmBoardColumn, 1);
      gboolean can_idle = stage->kind == CRM_STAGE_OPEN && stage->idle_days > 0;
      gint64 cutoff = can_idle ? idle_cutoff (today, stage->idle_days, tz) : G_MININT64;
      CrmInt128 total = 0;
      int rc;

      /* The column owns the stage from here on. */
      pipeline->stages->pdata[i] = NULL;
      column->stage = stage;
      column->cards = g_ptr_array_new_with_free_func ((GDestroyNotify) deal_card_free);
      g_ptr_array_add (board->columns, column);

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, stage->id);
      bind_filter (stmt, filter);
      while ((rc = next_row (store, stmt, error)) > 0)
        {
          const char *currency = (const char *) sqlite3_column_text (stmt, 5);
          const char *close = (const char *) sqlite3_column_text (stmt, 7);
          gint64 value = sqlite3_column_int64 (stmt, 4);
          gint64 entered = sqlite3_column_int64 (stmt, 8);
          gboolean idle = can_idle && entered < cutoff;
          gboolean converted_ok;
          gint64 converted = 0;
          CrmDealCard *card;

          if (filter != NULL && filter->idle_only && !idle)
            continue;
          converted_ok = convert_with (parsed, board->base_currency, value, currency, &converted);
          if (value_bounded &&
              (!converted_ok ||
               (filter->value_min >= 0 && converted < filter->value_min) ||
               (filter->value_max >= 0 && converted > filter->value_max)))
            continue;

          card = g_new0 (CrmDealCard, 1);
          card->id = sqlite3_column_int64 (stmt, 0);
          card->title = crm_column_dup (stmt, 1);
          card->contact_id = sqlite3_column_int64 (stmt, 2);
          card->company_id = sqlite3_column_int64 (stmt, 3);
          card->value = value;
          card->currency = g_strdup (currency);
          card->owner = crm_column_dup (stmt, 6);
          card->expected_close = g_strdup (close);
          card->overdue = stage->kind == CRM_STAGE_OPEN && close != NULL &&
                          strcmp (close, today_text) < 0;
          card->idle = idle;
          card->stage_entered = entered;
          card->position = sqlite3_column_int64 (stmt, 9);
          card->party = crm_column_dup (stmt, sqlite3_column_type (stmt, 10) != SQLITE_NULL ? 10 : 11);
          g_ptr_array_add (column->cards, card);

          if (converted_ok)
            total += converted;
          else
            board->n_unconverted++;
          if (idle)
            board->n_idle++;
        }
      if (rc < 0)
        return NULL;

      column->count = column->cards->len;
      column->total = (gint64) total;
      column->weighted = (gint64) round_div (total * stage->probability, 100);
      if (stage->kind == CRM_STAGE_OPEN)
        {
          board->open_total += column->total;
          open_weighted += total * stage->probability;
        }
    }
  board->open_weighted = (gint64) round_div (open_weighted, 100);

  return g_steal_pointer (&board);
}

/**
 * crm_board_load:
 * @pipeline_id: a pipeline, or 0 for the default one
 * @now: the current time, UTC seconds
 *
 * Reads the board's columns with their cards and totals; idle and overdue
 * deals are counted in the local time zone.
 *
 * Returns: (transfer full): the board, or NULL with @error set
 */
CrmBoard *
crm_board_load (CrmStore              *store,
                gint64                 pipeline_id,
                const CrmBoardFilter  *filter,
                gint64                 now,
                GError               **error)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_local ();

  return crm_board_load_in_zone (store, pipeline_id, filter, now, tz, error);
}

/* Public API: moves */

void
crm_deal_move_undo_free (CrmDealMoveUndo *undo)
{
  if (undo == NULL)
    return;

  g_free (undo->status);
  g_free (undo->lost_reason);
  g_clear_pointer (&undo->positions, g_array_unref);
  g_free (undo);
}

/**
 * crm_deal_move:
 * @index: the deal's place among the stage's cards once moved; past the
 *   end puts it last
 * @lost_reason: (nullable): needed when @stage_id is a lost stage
 * @undo: (out) (optional): what crm_deal_move_undo() needs to take the move back
 *
 * Moves a deal on the board in one transaction. Entering another stage
 * sets the time it entered it; a won or lost stage closes the deal, an
 * open one reopens it.
 */
gboolean
crm_deal_move (CrmStore          *store,
               gint64             deal_id,
               gint64             stage_id,
               guint              index,
               const char        *lost_reason,
               gint64             now,
               CrmDealMoveUndo  **undo,
               GError           **error)
{
  g_autoptr (CrmDealMoveUndo) record = NULL;
  g_autoptr (CrmStage) target = NULL;
  g_autoptr (sqlite3_stmt) read = NULL;
  g_autoptr (sqlite3_stmt) update = NULL;
  g_autofree char *reason = NULL;
  gint64 new_position;
  gboolean same_stage;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);
  g_return_val_if_fail (undo == NULL || *undo == NULL, FALSE);

  target = stage_load (store, stage_id, error);
  if (target == NULL)
    return FALSE;

  record = g_new0 (CrmDealMoveUndo, 1);
  record->deal_id = deal_id;
  record->moved_to = stage_id;
  record->positions = g_array_new (FALSE, FALSE, sizeof (PositionEntry));

  if (!crm_store_begin (store, error))
    return FALSE;

  read = crm_store_prepare (store,
                            "SELECT stage_id, position, status, closed, lost_reason, "
                            "stage_entered, updated, archived FROM deal WHERE id = ?1",
                            error);
  if (read == NULL)
    goto fail;
  sqlite3_bind_int64 (read, 1, deal_id);
  rc = next_row (store, read, error);
  if (rc < 0)
    goto fail;
  if (rc == 0)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                   _("There is no deal %lld"), (long long) deal_id);
      goto fail;
    }
  if (sqlite3_column_int (read, 7) != 0)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                   _("Deal %lld is archived and not on the board"), (long long) deal_id);
      goto fail;
    }
  record->stage_id = sqlite3_column_int64 (read, 0);
  record->position = sqlite3_column_int64 (read, 1);
  record->status = crm_column_dup (read, 2);
  record->has_closed = sqlite3_column_type (read, 3) != SQLITE_NULL;
  record->closed = sqlite3_column_int64 (read, 3);
  record->lost_reason = crm_column_dup (read, 4);
  record->stage_entered = sqlite3_column_int64 (read, 5);
  record->updated = sqlite3_column_int64 (read, 6);
  sqlite3_reset (read);

  same_stage = record->stage_id == stage_id;
  if (!same_stage && target->kind == CRM_STAGE_LOST)
    {
      if (crm_text_is_blank (lost_reason))
        {
          g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                       _("Moving a deal to “%s” needs a lost reason"), target->name);
          goto fail;
        }
      reason = trimmed (lost_reason);
    }

  if (!place_position (store, stage_id, deal_id, index, record->positions, &new_position,
                       error))
    goto fail;

  if (same_stage)
    {
      update = crm_store_prepare (store,
                                  "UPDATE deal SET position = ?2, updated = ?3 WHERE id = ?1",
                                  error);
    }
  else
    {
      update = crm_store_prepare (store,
                                  "UPDATE deal SET position = ?2, updated = ?3, stage_id = ?4, "
                                  "stage_entered = ?3, status = ?5, "
                                  "closed = CASE ?5 WHEN 'open' THEN NULL ELSE ?3 END, "
                                  "lost_reason = ?6 WHERE id = ?1",
                                  error);
    }
  if (update == NULL)
    goto fail;
  sqlite3_bind_int64 (update, 1, deal_id);
  sqlite3_bind_int64 (update, 2, new_position);
  sqlite3_bind_int64 (update, 3, now);
  if (!same_stage)
    {
      sqlite3_bind_int64 (update, 4, stage_id);
      sqlite3_bind_text (update, 5, kind_to_string (target->kind), -1, SQLITE_STATIC);
      if (reason != NULL)
        sqlite3_bind_text (update, 6, reason, -1, SQLITE_STATIC);
      else
        sqlite3_bind_null (update, 6);
    }
  if (!step_done (store, update, _("Cannot move the deal"), error))
    goto fail;

  if (!crm_store_commit (store, error))
    return FALSE;

  crm_store_emit_changed (store, "deal", deal_id);
  if (undo != NULL)
    *undo = g_steal_pointer (&record);
  return TRUE;

fail:
  crm_store_rollback (store);
  return FALSE;
}

/**
 * crm_deal_move_undo:
 *
 * Takes a move back: the deal's stage, position, status, close time, lost
 * reason and the time it entered its stage, and the positions of the deals
 * the move renumbered, as they were.
 */
gboolean
crm_deal_move_undo (CrmStore         *store,
                    CrmDealMoveUndo  *undo,
                    GError          **error)
{
  g_autoptr (sqlite3_stmt) check = NULL;
  g_autoptr (sqlite3_stmt) set = NULL;
  g_autoptr (sqlite3_stmt) restore = NULL;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);
  g_return_val_if_fail (undo != NULL, FALSE);

  if (!crm_store_begin (store, error))
    return FALSE;

  check = crm_store_prepare (store, "SELECT stage_id FROM deal WHERE id = ?1", error);
  if (check == NULL)
    goto fail;
  sqlite3_bind_int64 (check, 1, undo->deal_id);
  rc = next_row (store, check, error);
  if (rc < 0)
    goto fail;
  if (rc == 0 || sqlite3_column_int64 (check, 0) != undo->moved_to)
    {
      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                           _("The deal has changed since it was moved: the move cannot be undone"));
      goto fail;
    }

  set = crm_store_prepare (store, "UPDATE deal SET position = ?2 WHERE id = ?1", error);
  if (set == NULL)
    goto fail;
  crm_store_set_deferred (store, TRUE);
  for (guint i = undo->positions->len; i > 0; i--)
    {
      const PositionEntry *entry = &g_array_index (undo->positions, PositionEntry, i - 1);

      sqlite3_bind_int64 (set, 1, entry->id);
      sqlite3_bind_int64 (set, 2, entry->position);
      if (!step_done (store, set, _("Cannot undo the move"), error))
        {
          crm_store_set_deferred (store, FALSE);
          goto fail;
        }
    }
  crm_store_set_deferred (store, FALSE);

  restore = crm_store_prepare (store,
                               "UPDATE deal SET stage_id = ?2, position = ?3, status = ?4, "
                               "closed = ?5, lost_reason = ?6, stage_entered = ?7, updated = ?8 "
                               "WHERE id = ?1",
                               error);
  if (restore == NULL)
    goto fail;
  sqlite3_bind_int64 (restore, 1, undo->deal_id);
  sqlite3_bind_int64 (restore, 2, undo->stage_id);
  sqlite3_bind_int64 (restore, 3, undo->position);
  sqlite3_bind_text (restore, 4, undo->status, -1, SQLITE_STATIC);
  if (undo->has_closed)
    sqlite3_bind_int64 (restore, 5, undo->closed);
  else
    sqlite3_bind_null (restore, 5);
  if (undo->lost_reason != NULL)
    sqlite3_bind_text (restore, 6, undo->lost_reason, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (restore, 6);
  sqlite3_bind_int64 (restore, 7, undo->stage_entered);
  sqlite3_bind_int64 (restore, 8, undo->updated);
  if (!step_done (store, restore, _("Cannot undo the move"), error))
    goto fail;

  if (!crm_store_commit (store, error))
    return FALSE;

  crm_store_emit_changed (store, "deal", undo->deal_id);
  return TRUE;

fail:
  crm_store_rollback (store);
  return FALSE;
}

/**
 * crm_deal_is_idle:
 *
 * Returns: whether a deal that entered an open stage at @stage_entered
 *   has sat there more than @idle_days local calendar days by @now
 */
gboolean
crm_deal_is_idle (gint64     stage_entered,
                  int        idle_days,
                  gint64     now,
                  GTimeZone *tz)
{
  g_return_val_if_fail (tz != NULL, FALSE);

  if (idle_days <= 0)
    return FALSE;

  return local_day_number (now, tz) - local_day_number (stage_entered, tz) > idle_days;
}

/* Public API: what the preferences need */

/**
 * crm_stage_count_deals:
 * @without_lost_reason: (out) (optional): how many of them have no lost
 *   reason, which a lost stage refuses
 *
 * Counts the deals, archived ones too, in stage @id: those that
 * crm_stage_remove() moves.
 *
 * Returns: the count, or -1 with @error set
 */
gint64
crm_stage_count_deals (CrmStore  *store,
                       gint64     id,
                       gint64    *without_lost_reason,
                       GError   **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (store), -1);

  stmt = crm_store_prepare (store,
                            "SELECT (SELECT count(*) FROM deal WHERE stage_id = s.id), "
                            "(SELECT count(*) FROM deal WHERE stage_id = s.id AND "
                            "(lost_reason IS NULL OR trim (lost_reason) = '')) "
                            "FROM stage s WHERE s.id = ?1",
                            error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = next_row (store, stmt, error);
  if (rc < 0)
    return -1;
  if (rc == 0)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                   _("There is no stage %lld"), (long long) id);
      return -1;
    }

  if (without_lost_reason != NULL)
    *without_lost_reason = sqlite3_column_int64 (stmt, 1);

  return sqlite3_column_int64 (stmt, 0);
}

/**
 * crm_currency_change_base:
 *
 * Makes @currency the base currency and forgets every exchange rate, in
 * one transaction: the rates were worth minor units of the old base and
 * would be read wrongly against the new one. Nothing changes when
 * @currency is the base already.
 */
gboolean
crm_currency_change_base (CrmStore    *store,
                          const char  *currency,
                          GError     **error)
{
  g_autoptr (sqlite3_stmt) set = NULL;
  g_autoptr (sqlite3_stmt) clear = NULL;
  g_autofree char *code = NULL;
  g_autofree char *base = NULL;

  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);

  code = normalize_currency (currency, error);
  if (code == NULL)
    return FALSE;
  base = crm_base_currency (store);
  if (g_str_equal (code, base))
    return TRUE;

  set = crm_store_prepare (store,
                           "INSERT INTO meta (key, value) VALUES ('base_currency', ?1) "
                           "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                           error);
  if (set == NULL)
    return FALSE;
  clear = crm_store_prepare (store, "DELETE FROM currency_rate", error);
  if (clear == NULL)
    return FALSE;
  sqlite3_bind_text (set, 1, code, -1, SQLITE_STATIC);

  if (!crm_store_begin (store, error))
    return FALSE;
  if (!step_done (store, set, _("Cannot save the base currency"), error)
      || !step_done (store, clear, _("Cannot save the exchange rate"), error))
    {
      crm_store_rollback (store);
      return FALSE;
    }
  if (!crm_store_commit (store, error))
    return FALSE;

  crm_store_emit_changed (store, "currency", 0);
  return TRUE;
}
