/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

#include "crm-filter.h"

G_BEGIN_DECLS

/* A filter of the company list: conditions that must all hold, each one
 * optional. Province, industry and owner compare the company's own columns,
 * ignoring case and diacritics ("ha noi" keeps "Hà Nội"); an owner of ""
 * keeps the companies without one. Conditions on custom fields of companies
 * mean what they mean in CrmFilter (see crm-filter.h): text equals or
 * contains, number between, date before or after, yes or no, any of the
 * choices. A condition on a field of contacts or deals keeps no company. */

typedef struct _CrmCompanyFilter CrmCompanyFilter;

#define CRM_TYPE_COMPANY_FILTER (crm_company_filter_get_type ())

GType                  crm_company_filter_get_type         (void) G_GNUC_CONST;

CrmCompanyFilter      *crm_company_filter_new              (void);
CrmCompanyFilter      *crm_company_filter_ref              (CrmCompanyFilter       *self);
void                   crm_company_filter_unref            (CrmCompanyFilter       *self);
CrmCompanyFilter      *crm_company_filter_copy             (const CrmCompanyFilter *self);
gboolean               crm_company_filter_equal            (const CrmCompanyFilter *a,
                                                            const CrmCompanyFilter *b);
gboolean               crm_company_filter_is_empty         (const CrmCompanyFilter *self);

void                   crm_company_filter_set_province     (CrmCompanyFilter       *self,
                                                            const char             *province);
const char            *crm_company_filter_get_province     (const CrmCompanyFilter *self);
void                   crm_company_filter_set_industry     (CrmCompanyFilter       *self,
                                                            const char             *industry);
const char            *crm_company_filter_get_industry     (const CrmCompanyFilter *self);
void                   crm_company_filter_set_owner        (CrmCompanyFilter       *self,
                                                            const char             *owner);
const char            *crm_company_filter_get_owner        (const CrmCompanyFilter *self);

void                   crm_company_filter_add_custom_text    (CrmCompanyFilter   *self,
                                                              gint64              field_id,
                                                              CrmCustomOp         op,
                                                              const char         *text);
void                   crm_company_filter_add_custom_between (CrmCompanyFilter   *self,
                                                              gint64              field_id,
                                                              double              min,
                                                              double              max);
void                   crm_company_filter_add_custom_date    (CrmCompanyFilter   *self,
                                                              gint64              field_id,
                                                              CrmCustomOp         op,
                                                              const char         *date);
void                   crm_company_filter_add_custom_bool    (CrmCompanyFilter   *self,
                                                              gint64              field_id,
                                                              gboolean            value);
void                   crm_company_filter_add_custom_choices (CrmCompanyFilter   *self,
                                                              gint64              field_id,
                                                              const char *const  *choices);
void                   crm_company_filter_add_custom       (CrmCompanyFilter       *self,
                                                            const CrmFilterCustom  *custom);
guint                  crm_company_filter_get_n_custom     (const CrmCompanyFilter *self);
const CrmFilterCustom *crm_company_filter_get_custom       (const CrmCompanyFilter *self,
                                                            guint                   index);
const CrmFilterCustom *crm_company_filter_find_custom      (const CrmCompanyFilter *self,
                                                            gint64                  field_id);

char                  *crm_company_filter_describe         (const CrmCompanyFilter *self,
                                                            sqlite3                *db);

gboolean               crm_company_filter_build_sql        (const CrmCompanyFilter *self,
                                                            GString                *where,
                                                            CrmFilterBinds         *binds,
                                                            GError                **error);
void                   crm_company_filter_bind             (const CrmCompanyFilter *self,
                                                            sqlite3_stmt           *stmt,
                                                            const CrmFilterBinds   *binds);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmCompanyFilter, crm_company_filter_unref)

G_END_DECLS
