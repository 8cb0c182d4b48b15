/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "crm-contact.h"
#include "crm-store.h"

G_BEGIN_DECLS

/* One of the company's people, as its page lists them. */
typedef struct
{
  gint64    id;
  char     *display_name;
  char     *job_title;
  char     *email;      /* primary */
  char     *phone;      /* primary, E.164 */
  gboolean  archived;
} CrmCompanyPerson;

void crm_company_person_free (CrmCompanyPerson *person);

#define CRM_COMPANY_RECENT_INTERACTIONS 20

#define CRM_TYPE_COMPANY (crm_company_get_type ())

G_DECLARE_FINAL_TYPE (CrmCompany, crm_company, CRM, COMPANY, GObject)

CrmCompany *crm_company_load                    (CrmStore    *store,
                                                 gint64       id,
                                                 GError     **error);

gint64      crm_company_get_id                  (CrmCompany  *self);
const char *crm_company_get_name                (CrmCompany  *self);
const char *crm_company_get_tax_code            (CrmCompany  *self);
const char *crm_company_get_industry            (CrmCompany  *self);
const char *crm_company_get_size                (CrmCompany  *self);
const char *crm_company_get_website             (CrmCompany  *self);
const char *crm_company_get_street              (CrmCompany  *self);
const char *crm_company_get_ward                (CrmCompany  *self);
const char *crm_company_get_district            (CrmCompany  *self);
const char *crm_company_get_province            (CrmCompany  *self);
const char *crm_company_get_country             (CrmCompany  *self);
const char *crm_company_get_phone               (CrmCompany  *self);
const char *crm_company_get_email               (CrmCompany  *self);
const char *crm_company_get_owner               (CrmCompany  *self);
gint64      crm_company_get_created             (CrmCompany  *self);
gint64      crm_company_get_updated             (CrmCompany  *self);
gboolean    crm_company_get_archived            (CrmCompany  *self);
/* (element-type CrmCompanyPerson): its contacts, by name */
GPtrArray  *crm_company_get_people              (CrmCompany  *self);
/* (element-type CrmDealSummary): open deals first, then the newest */
GPtrArray  *crm_company_get_deals               (CrmCompany  *self);
/* (element-type CrmInteractionSummary): its people's latest interactions */
GPtrArray  *crm_company_get_recent_interactions (CrmCompany  *self);
/* (element-type CrmCustomValue): every custom field of companies, set or not */
GPtrArray  *crm_company_get_custom_values       (CrmCompany  *self);
const char *crm_company_get_custom_value        (CrmCompany  *self,
                                                 const char  *key);

/* The editable fields of a company, as typed. */
typedef struct
{
  gint64  id;        /* 0 for a new company */
  char   *name;
  char   *tax_code;
  char   *industry;
  char   *size;
  char   *website;
  char   *street;
  char   *ward;
  char   *district;
  char   *province;
  char   *country;
  char   *phone;
  char   *email;
  char   *owner;
  GHashTable *custom;  /* custom field key → text; "" clears */
} CrmCompanyDraft;

CrmCompanyDraft *crm_company_draft_new              (void);
CrmCompanyDraft *crm_company_draft_new_from_company (CrmCompany       *company);
void             crm_company_draft_free             (CrmCompanyDraft  *draft);
gboolean         crm_company_draft_set_text         (CrmCompanyDraft  *draft,
                                                     const char       *field,
                                                     const char       *text);
const char      *crm_company_draft_get_text         (CrmCompanyDraft  *draft,
                                                     const char       *field);
void             crm_company_draft_set_custom       (CrmCompanyDraft  *draft,
                                                     const char       *key,
                                                     const char       *text);
/* @problems: (element-type CrmFieldProblem); without the store, custom
 * values are not checked */
gboolean         crm_company_draft_validate         (CrmCompanyDraft  *draft,
                                                     GPtrArray       **problems);
gboolean         crm_company_draft_validate_in      (CrmCompanyDraft  *draft,
                                                     CrmStore         *store,
                                                     GPtrArray       **problems);
char            *crm_company_normalize_value        (const char       *field,
                                                     const char       *text,
                                                     GError          **error);

gint64      crm_company_save          (CrmStore         *store,
                                       CrmCompanyDraft  *draft,
                                       CrmUndo         **undo,
                                       GError          **error);
gboolean    crm_company_set_archived  (CrmStore         *store,
                                       gint64            id,
                                       gboolean          archived,
                                       CrmUndo         **undo,
                                       GError          **error);
char       *crm_company_export_json   (CrmStore         *store,
                                       gint64            id,
                                       GError          **error);
gint64      crm_companies_find_by_tax_code (CrmStore    *store,
                                            const char  *tax_code,
                                            gint64       exclude_id,
                                            char       **name,
                                            GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmCompanyDraft, crm_company_draft_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmCompanyPerson, crm_company_person_free)

G_END_DECLS
