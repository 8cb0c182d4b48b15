/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "crm-contact.h"
#include "crm-pipeline.h"
#include "crm-store.h"

G_BEGIN_DECLS

/* The deal page: one deal with its stage history, interactions and tasks,
 * read at once. An immutable snapshot; load it again on CrmStore::changed. */

/* One entry of a deal's stage history, from the audit log. The first
 * entry is the deal's creation: it has no from-stage. Stage names are the
 * stages' current names (translated while built-in), or "Removed stage"
 * for a stage that no longer exists. */
typedef struct
{
  gint64  time;            /* UTC seconds */
  char   *user;            /* the OS user who made the change; NULL when unknown */
  gint64  from_stage_id;   /* 0 for the creation entry */
  char   *from_stage;      /* NULL for the creation entry */
  gint64  to_stage_id;     /* 0 when the audit log no longer says */
  char   *to_stage;
} CrmStageChange;

void crm_stage_change_free (CrmStageChange *change);

typedef struct
{
  gint64    id;
  char     *title;
  gint64    due;           /* UTC seconds, 0 when it has no due time */
  gboolean  done;
  gint64    done_at;       /* 0 when not done or not known */
  int       priority;      /* 0–3 */
} CrmDealTask;

void crm_deal_task_free (CrmDealTask *task);

typedef struct
{
  gint64        id;
  char         *title;
  gint64        value;            /* minor units of @currency */
  char         *currency;
  gint64        stage_id;
  char         *stage;            /* as shown */
  CrmStageKind  stage_kind;
  int           probability;      /* 0–100, the stage's */
  gint64        pipeline_id;
  char         *pipeline;         /* as shown */
  char         *status;           /* open, won, lost */
  gint64        stage_entered;    /* UTC seconds */
  gboolean      idle;             /* crm_deal_is_idle() in an open stage */
  char         *expected_close;   /* YYYY-MM-DD or NULL */
  gboolean      overdue;          /* open, and expected to close before today */
  char         *owner;
  char         *notes;
  char         *lost_reason;
  gint64        closed;           /* UTC seconds, 0 while open */
  gint64        contact_id;       /* 0: none */
  char         *contact_name;
  gint64        company_id;       /* 0: none */
  char         *company_name;
  gint64        created;
  gint64        updated;
  gboolean      archived;
  GPtrArray    *history;          /* (element-type CrmStageChange), oldest first */
  GPtrArray    *interactions;     /* (element-type CrmInteractionSummary), newest first */
  GPtrArray    *tasks;            /* (element-type CrmDealTask): open ones by due, then done */
  GStrv         tags;             /* names, in folded order; empty when none */
  GPtrArray    *custom_values;    /* (element-type CrmCustomValue): every custom field of
                                   * deals in the fields' order, value NULL when unset */
} CrmDealDetail;

/* CRM_STORE_ERROR_NOT_FOUND when there is no such deal. */
CrmDealDetail *crm_deal_detail_load     (CrmStore       *store,
                                         gint64          deal_id,
                                         GError        **error);
/* The same with the idle and overdue flags taken at @now in @tz. */
CrmDealDetail *crm_deal_detail_load_at  (CrmStore       *store,
                                         gint64          deal_id,
                                         gint64          now,
                                         GTimeZone      *tz,
                                         GError        **error);
void           crm_deal_detail_free     (CrmDealDetail  *detail);

/* The deal for export, as JSON (format "rapport-deal", version 1): every
 * column of the deal; its stage, pipeline, contact and company with their
 * names; its tags; its set custom fields (key, label, type, value); its
 * stage history; its interactions and tasks. CRM_STORE_ERROR_NOT_FOUND
 * when there is no such deal. */
char          *crm_deal_export_json     (CrmStore       *store,
                                         gint64          deal_id,
                                         GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmStageChange, crm_stage_change_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmDealTask, crm_deal_task_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmDealDetail, crm_deal_detail_free)

G_END_DECLS
