/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "crm-company-filter.h"
#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_COMPANY_ROW (crm_company_row_get_type ())

G_DECLARE_FINAL_TYPE (CrmCompanyRow, crm_company_row, CRM, COMPANY_ROW, GObject)

gint64      crm_company_row_get_id          (CrmCompanyRow *self);
const char *crm_company_row_get_name        (CrmCompanyRow *self);
const char *crm_company_row_get_tax_code    (CrmCompanyRow *self);
const char *crm_company_row_get_province    (CrmCompanyRow *self);
guint       crm_company_row_get_n_people    (CrmCompanyRow *self);

#define CRM_TYPE_COMPANY_LIST (crm_company_list_get_type ())

G_DECLARE_FINAL_TYPE (CrmCompanyList, crm_company_list, CRM, COMPANY_LIST, GObject)

CrmCompanyList         *crm_company_list_new          (CrmStore               *store);
void                    crm_company_list_set_query    (CrmCompanyList         *self,
                                                       const char             *query);
const char             *crm_company_list_get_query    (CrmCompanyList         *self);
void                    crm_company_list_set_filter   (CrmCompanyList         *self,
                                                       const CrmCompanyFilter *filter);
const CrmCompanyFilter *crm_company_list_get_filter   (CrmCompanyList         *self);
void                    crm_company_list_set_archived (CrmCompanyList         *self,
                                                       gboolean                archived);
guint                   crm_company_list_get_total    (CrmCompanyList         *self);
const GError           *crm_company_list_get_error    (CrmCompanyList         *self);

G_END_DECLS
