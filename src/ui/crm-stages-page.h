/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_STAGES_PAGE (crm_stages_page_get_type ())

G_DECLARE_FINAL_TYPE (CrmStagesPage, crm_stages_page, CRM, STAGES_PAGE, AdwPreferencesPage)

CrmStagesPage *crm_stages_page_new       (CrmStore      *store);
CrmStore      *crm_stages_page_get_store (CrmStagesPage *self);

G_END_DECLS
