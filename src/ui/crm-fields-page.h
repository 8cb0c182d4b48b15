/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_FIELDS_PAGE (crm_fields_page_get_type ())

G_DECLARE_FINAL_TYPE (CrmFieldsPage, crm_fields_page, CRM, FIELDS_PAGE, AdwPreferencesPage)

CrmFieldsPage *crm_fields_page_new       (CrmStore      *store);
CrmStore      *crm_fields_page_get_store (CrmFieldsPage *self);

G_END_DECLS
