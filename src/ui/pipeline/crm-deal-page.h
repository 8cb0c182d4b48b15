/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "crm-deal-detail.h"
#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_DEAL_PAGE (crm_deal_page_get_type ())

G_DECLARE_FINAL_TYPE (CrmDealPage, crm_deal_page, CRM, DEAL_PAGE, AdwWindow)

/* A window that shows one deal: its figures, tags, details, custom
 * fields, stage history, interactions and tasks. It reloads when the store says the deal changed
 * and closes once the deal is gone. Its Edit button opens the deal editor.
 * The contact and company rows emit "open-contact" and "open-company"
 * (gint64 id); they are activatable only when the page has a handler for
 * them by the time it is shown. */
CrmDealPage         *crm_deal_page_new          (CrmStore     *store,
                                                 gint64        deal_id,
                                                 GError      **error);
gint64               crm_deal_page_get_deal_id  (CrmDealPage  *self);
/* The deal as the page shows it now. */
const CrmDealDetail *crm_deal_page_get_detail   (CrmDealPage  *self);
/* Reads the deal again; closes the page when it is gone. */
void                 crm_deal_page_reload       (CrmDealPage  *self);
/* Writes crm_deal_export_json() to @file, as "Export as JSON…" does. */
void                 crm_deal_page_export_json  (CrmDealPage  *self,
                                                 GFile        *file);

G_END_DECLS
