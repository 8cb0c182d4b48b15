/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "crm-company.h"
#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_COMPANY_PAGE (crm_company_page_get_type ())

G_DECLARE_FINAL_TYPE (CrmCompanyPage, crm_company_page, CRM, COMPANY_PAGE, GtkWidget)

GtkWidget  *crm_company_page_new             (CrmStore       *store);
CrmStore   *crm_company_page_get_store       (CrmCompanyPage *self);
void        crm_company_page_set_store       (CrmCompanyPage *self,
                                              CrmStore       *store);
gint64      crm_company_page_get_company_id  (CrmCompanyPage *self);
void        crm_company_page_set_company_id  (CrmCompanyPage *self,
                                              gint64          company_id);
CrmCompany *crm_company_page_get_company     (CrmCompanyPage *self);
void        crm_company_page_export_json     (CrmCompanyPage *self,
                                              GFile          *file);

G_END_DECLS
