/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_PIPELINE_PAGE (crm_pipeline_page_get_type ())

G_DECLARE_FINAL_TYPE (CrmPipelinePage, crm_pipeline_page, CRM, PIPELINE_PAGE, AdwPreferencesPage)

CrmPipelinePage *crm_pipeline_page_new             (CrmStore        *store);
CrmStore        *crm_pipeline_page_get_store       (CrmPipelinePage *self);
/* The pipeline whose stages the page shows. */
gint64           crm_pipeline_page_get_pipeline_id (CrmPipelinePage *self);

G_END_DECLS
