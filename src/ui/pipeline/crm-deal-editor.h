/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_DEAL_EDITOR (crm_deal_editor_get_type ())

G_DECLARE_FINAL_TYPE (CrmDealEditor, crm_deal_editor, CRM, DEAL_EDITOR, AdwWindow)

/* Edits @deal_id, or makes a new deal in @stage_id (0: the pipeline's
 * first stage) when @deal_id is 0. Emits "saved" (gint64 id) and closes
 * once the deal is saved. */
CrmDealEditor *crm_deal_editor_new         (CrmStore       *store,
                                            gint64          pipeline_id,
                                            gint64          deal_id,
                                            gint64          stage_id,
                                            GError        **error);
/* Makes a new deal in the first stage of @pipeline_id (0: the default
 * pipeline) for @contact_id and/or @company_id (0: none); a contact's
 * company fills the company when @company_id is 0. */
CrmDealEditor *crm_deal_editor_new_for     (CrmStore       *store,
                                            gint64          pipeline_id,
                                            gint64          contact_id,
                                            gint64          company_id,
                                            GError        **error);
/* Saves as the Save button does; FALSE with the problems shown. */
gboolean       crm_deal_editor_save        (CrmDealEditor  *self);

G_END_DECLS
