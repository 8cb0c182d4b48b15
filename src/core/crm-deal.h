/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "crm-contact.h"
#include "crm-store.h"

G_BEGIN_DECLS

/* The editable fields of a deal, as typed. Moving a deal between stages on
 * the board goes through crm_deal_move() (crm-pipeline.h); saving a draft
 * whose stage changed moves it to the end of the new stage. A save replaces
 * the deal's tags and custom values with @tags and @custom; when either is
 * NULL, what is stored stays. */
typedef struct
{
  gint64      id;               /* 0 for a new deal */
  char       *title;
  char       *value;            /* major units as typed: "12.500.000", "1,234.50" */
  char       *currency;         /* ISO 4217, "VND" when NULL */
  gint64      stage_id;
  char       *expected_close;   /* DD/MM/YYYY or YYYY-MM-DD, NULL or "" for none */
  char       *owner;
  char       *notes;
  char       *lost_reason;      /* needed when the stage is a lost one */
  gint64      contact_id;       /* 0: none */
  gint64      company_id;       /* 0: none */
  GPtrArray  *tags;             /* (element-type utf8): names */
  GHashTable *custom;           /* custom field key → text; "" clears */
} CrmDealDraft;

CrmDealDraft *crm_deal_draft_new       (void);
void          crm_deal_draft_free      (CrmDealDraft  *draft);
/* The stored deal as a draft, its value written in its currency's digits,
 * with its tags (by name) and the custom values it has (by field key). */
CrmDealDraft *crm_deal_draft_load      (CrmStore      *store,
                                        gint64         id,
                                        GError       **error);
void          crm_deal_draft_add_tag   (CrmDealDraft  *draft,
                                        const char    *name);
void          crm_deal_draft_set_custom (CrmDealDraft *draft,
                                         const char   *key,
                                         const char   *text);

/* @text in major units of @currency to minor units: "12.500.000" VND →
 * 12500000, "1,234.5" USD → 123450. Dots, commas and spaces group
 * thousands; the last dot or comma is the decimal point when at most the
 * currency's minor digits follow it. Blank text is 0. */
gboolean      crm_deal_parse_value     (const char    *text,
                                        const char    *currency,
                                        gint64        *minor,
                                        GError       **error);

/* @problems: (element-type CrmFieldProblem) with @field one of "title",
 * "value", "currency", "stage", "expected_close", "lost_reason",
 * "contact", "company" or "custom:KEY" */
gboolean      crm_deal_draft_validate  (CrmDealDraft  *draft,
                                        CrmStore      *store,
                                        GPtrArray    **problems);
/* Validates and saves in one transaction (audited by the schema's
 * triggers), tags and custom values included (both replaced); emits
 * CrmStore::changed ("deal", id). Returns the deal's id, or 0 with
 * @problems or @error set. */
gint64        crm_deal_save            (CrmStore      *store,
                                        CrmDealDraft  *draft,
                                        gint64         now,
                                        GPtrArray    **problems,
                                        GError       **error);

/* A contact or a company a deal can be linked to, as a chooser lists it. */
typedef struct
{
  gint64  id;
  char   *name;
  char   *detail;       /* a contact's company, a company's tax code or province; NULL */
  gint64  company_id;   /* a contact's company, 0 for none and for companies */
} CrmDealParty;

void          crm_deal_party_free          (CrmDealParty  *party);
/* Contacts that are not archived and match @query as the contact search
 * does, in list order; none for a blank query. (element-type CrmDealParty) */
GPtrArray    *crm_deal_find_contacts       (CrmStore      *store,
                                            const char    *query,
                                            guint          limit,
                                            GError       **error);
/* Companies that are not archived whose name holds @query (with or without
 * its accents) or whose tax code starts with it, by name; every company for
 * a blank query. (element-type CrmDealParty) */
GPtrArray    *crm_deal_find_companies      (CrmStore      *store,
                                            const char    *query,
                                            guint          limit,
                                            GError       **error);
/* One contact or company, archived or not; %NULL with @error when gone. */
CrmDealParty *crm_deal_party_load_contact  (CrmStore      *store,
                                            gint64         id,
                                            GError       **error);
CrmDealParty *crm_deal_party_load_company  (CrmStore      *store,
                                            gint64         id,
                                            GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmDealDraft, crm_deal_draft_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmDealParty, crm_deal_party_free)

G_END_DECLS
