/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "crm-filter.h"
#include "crm-store.h"

G_BEGIN_DECLS

/* The pipeline board: pipelines and their stages, deals on them, money in
 * each deal's own currency with totals in the workspace's base currency.
 * Times are UTC seconds; "now" is given by the caller so that tests use a
 * fixed clock. Every write is one transaction and emits CrmStore::changed
 * ("deal" | "stage" | "pipeline" | "currency", id). */

typedef enum {
  CRM_STAGE_OPEN,
  CRM_STAGE_WON,
  CRM_STAGE_LOST,
} CrmStageKind;

typedef struct
{
  gint64        id;
  gint64        pipeline_id;
  char         *name;         /* as shown: translated while it is a built-in name */
  gint64        position;
  int           probability;  /* 0–100 */
  CrmStageKind  kind;
  int           idle_days;    /* 0: never idle */
} CrmStage;

typedef struct
{
  gint64      id;
  char       *name;           /* as shown */
  gboolean    is_default;
  GPtrArray  *stages;         /* (element-type CrmStage), by position */
} CrmPipeline;

void         crm_stage_free              (CrmStage     *stage);
void         crm_pipeline_free           (CrmPipeline  *pipeline);

GPtrArray   *crm_pipelines_list          (CrmStore     *store,
                                          GError      **error);
CrmPipeline *crm_pipeline_load           (CrmStore     *store,
                                          gint64        id,      /* 0: the default one */
                                          GError      **error);
gint64       crm_pipeline_create         (CrmStore     *store,
                                          const char   *name,
                                          GError      **error);
gboolean     crm_pipeline_rename         (CrmStore     *store,
                                          gint64        id,
                                          const char   *name,
                                          GError      **error);

gint64       crm_stage_add               (CrmStore     *store,
                                          gint64        pipeline_id,
                                          const char   *name,
                                          int           probability,
                                          CrmStageKind  kind,
                                          int           idle_days,
                                          GError      **error);
gboolean     crm_stage_update            (CrmStore     *store,
                                          gint64        id,
                                          const char   *name,
                                          int           probability,
                                          int           idle_days,
                                          GError      **error);
gboolean     crm_stages_reorder          (CrmStore     *store,
                                          gint64        pipeline_id,
                                          const gint64 *ids,
                                          gsize         n_ids,
                                          GError      **error);
/* Moves the stage's deals to @move_to (another stage of the same
 * pipeline) and removes the stage, in one transaction. */
gboolean     crm_stage_remove            (CrmStore     *store,
                                          gint64        id,
                                          gint64        move_to,
                                          GError      **error);

/* The deals in a stage, archived ones too (those crm_stage_remove()
 * moves), and how many of them have no lost reason; -1 with @error set. */
gint64       crm_stage_count_deals       (CrmStore     *store,
                                          gint64        id,
                                          gint64       *without_lost_reason,
                                          GError      **error);

/* Money: amounts in minor units of their ISO 4217 currency. */
int          crm_currency_minor_digits   (const char   *currency);   /* VND 0, USD 2, … */
char        *crm_money_format            (gint64        amount,
                                          const char   *currency);   /* "12.500.000 ₫", "$1,234.50" */
char        *crm_base_currency           (CrmStore     *store);      /* meta, "VND" by default */
gboolean     crm_set_base_currency       (CrmStore     *store,
                                          const char   *currency,
                                          GError      **error);
/* How many minor units of the base currency one major unit of @currency
 * is worth, as a decimal string the user typed ("25400" for USD in VND). */
gboolean     crm_currency_set_rate       (CrmStore     *store,
                                          const char   *currency,
                                          const char   *rate,
                                          GError      **error);
GHashTable  *crm_currency_rates          (CrmStore     *store,       /* code → char * rate */
                                          GError      **error);
/* Makes @currency the base and forgets every rate (they were worth minor
 * units of the old base), in one transaction. */
gboolean     crm_currency_change_base    (CrmStore     *store,
                                          const char   *currency,
                                          GError      **error);
/* @amount of @currency in minor units of the base currency; FALSE when no
 * rate is known. */
gboolean     crm_currency_convert        (GHashTable   *rates,
                                          const char   *base,
                                          gint64        amount,
                                          const char   *currency,
                                          gint64       *converted);

/* The board */

typedef struct
{
  guint        owners_n;
  char       **owners;           /* NULL: any owner */
  char        *close_from;       /* YYYY-MM-DD or NULL */
  char        *close_to;
  gint64       value_min;        /* in base minor units; -1: no bound */
  gint64       value_max;
  gint64       tag_id;           /* 0: any */
  gboolean     idle_only;
  GPtrArray   *custom;           /* (element-type CrmFilterCustom): conditions on deal
                                  * custom fields, as the contact filter has them;
                                  * NULL: none. Add with crm_board_filter_add_custom(). */
} CrmBoardFilter;

void         crm_board_filter_init       (CrmBoardFilter *filter);
void         crm_board_filter_clear      (CrmBoardFilter *filter);
/* Adds a copy of @custom, a condition on a custom field of deals, with the
 * contact filter's meaning: EQUALS and CONTAINS ignore case and accents;
 * BETWEEN has a NAN bound open; BEFORE and AFTER are strict; IS FALSE
 * holds for deals without a true value; ANY_OF is one of the choices.
 * CRM_STORE_ERROR_INVALID when the condition misses what its op needs. */
gboolean     crm_board_filter_add_custom (CrmBoardFilter        *filter,
                                          const CrmFilterCustom *custom,
                                          GError               **error);

typedef struct
{
  gint64   id;
  char    *title;
  char    *party;            /* company name, else contact name, else NULL */
  gint64   contact_id;
  gint64   company_id;
  gint64   value;
  char    *currency;
  char    *owner;
  char    *expected_close;   /* YYYY-MM-DD or NULL */
  gboolean overdue;          /* expected close before today (local date of now) */
  gboolean idle;             /* in its stage longer than the stage's idle days */
  gint64   stage_entered;
  gint64   position;
} CrmDealCard;

typedef struct
{
  CrmStage  *stage;
  guint      count;
  gint64     total;          /* base minor units */
  gint64     weighted;       /* total × probability, rounded */
  GPtrArray *cards;          /* (element-type CrmDealCard), by position */
} CrmBoardColumn;

typedef struct
{
  gint64     pipeline_id;
  char      *base_currency;
  GPtrArray *columns;        /* (element-type CrmBoardColumn), by stage position */
  gint64     open_total;     /* open stages only */
  gint64     open_weighted;
  guint      n_idle;
  guint      n_unconverted;  /* deals whose currency has no rate: left out of totals */
} CrmBoard;

CrmBoard    *crm_board_load              (CrmStore              *store,
                                          gint64                 pipeline_id,
                                          const CrmBoardFilter  *filter,   /* nullable */
                                          gint64                 now,
                                          GError               **error);
void         crm_board_free              (CrmBoard              *board);
/* The same in a given time zone (crm_board_load() uses the local one). */
CrmBoard    *crm_board_load_in_zone      (CrmStore              *store,
                                          gint64                 pipeline_id,
                                          const CrmBoardFilter  *filter,   /* nullable */
                                          gint64                 now,
                                          GTimeZone             *tz,
                                          GError               **error);
/* The query run for each column (?1: the stage), to check its plan. */
char        *crm_board_sql               (const CrmBoardFilter  *filter);

/* A stage's cards are ordered by (position, id). Positions are kept this
 * far apart so that a move writes only the moved deal's row: it takes the
 * midpoint of its new neighbours, and the stage is respaced only when two
 * neighbours have no room left between them. New deals go one gap after
 * the last. */
#define CRM_DEAL_POSITION_GAP ((gint64) 65536)

/* Moving a deal: to @stage_id at @index among that stage's cards (their
 * order as the board shows it). A move to a lost stage needs
 * @lost_reason; won and lost record the close time (now). */
typedef struct _CrmDealMoveUndo CrmDealMoveUndo;

gboolean     crm_deal_move               (CrmStore              *store,
                                          gint64                 deal_id,
                                          gint64                 stage_id,
                                          guint                  index,
                                          const char            *lost_reason,
                                          gint64                 now,
                                          CrmDealMoveUndo      **undo,
                                          GError               **error);
gboolean     crm_deal_move_undo          (CrmStore              *store,
                                          CrmDealMoveUndo       *undo,
                                          GError               **error);
void         crm_deal_move_undo_free     (CrmDealMoveUndo       *undo);

/* Idle: a deal in an open stage with idle_days > 0 is idle when more than
 * idle_days whole days, counted in @tz (local calendar days, so daylight
 * saving does not shift them), lie between the day it entered the stage
 * and the day of @now. */
gboolean     crm_deal_is_idle            (gint64                 stage_entered,
                                          int                    idle_days,
                                          gint64                 now,
                                          GTimeZone             *tz);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmStage, crm_stage_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmPipeline, crm_pipeline_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmBoard, crm_board_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmDealMoveUndo, crm_deal_move_undo_free)

G_END_DECLS
