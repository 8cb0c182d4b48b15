/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "crm-pipeline.h"

G_BEGIN_DECLS

/* One deal on the board, as an item of a column's list model: it owns a
 * CrmDealCard taken from a loaded CrmBoard. */
#define CRM_TYPE_DEAL_ITEM (crm_deal_item_get_type ())

G_DECLARE_FINAL_TYPE (CrmDealItem, crm_deal_item, CRM, DEAL_ITEM, GObject)

CrmDealItem       *crm_deal_item_new        (CrmDealCard *card,      /* (transfer full) */
                                             gint64       stage_id);
const CrmDealCard *crm_deal_item_get_card   (CrmDealItem *self);
gint64             crm_deal_item_get_id     (CrmDealItem *self);
gint64             crm_deal_item_get_stage  (CrmDealItem *self);

/* The widget that shows a CrmDealItem in a column; rows are recycled, so
 * it is bound and unbound as the column scrolls. */
#define CRM_TYPE_DEAL_CARD_ROW (crm_deal_card_row_get_type ())

G_DECLARE_FINAL_TYPE (CrmDealCardRow, crm_deal_card_row, CRM, DEAL_CARD_ROW, GtkWidget)

GtkWidget   *crm_deal_card_row_new        (void);
void         crm_deal_card_row_bind       (CrmDealCardRow *self,
                                           CrmDealItem    *item,
                                           const char     *stage_name);
void         crm_deal_card_row_unbind     (CrmDealCardRow *self);
CrmDealItem *crm_deal_card_row_get_item   (CrmDealCardRow *self);
/* What the card shows: @part is "title", "party", "value", "owner" or
 * "close" (the expected close as written); "" when unset. */
const char  *crm_deal_card_row_get_text    (CrmDealCardRow *self,
                                            const char     *part);
gboolean     crm_deal_card_row_get_overdue (CrmDealCardRow *self);
gboolean     crm_deal_card_row_get_idle    (CrmDealCardRow *self);
/* Pops up @model (the board's "Move to…" menu) from the card. */
void         crm_deal_card_row_popup_menu (CrmDealCardRow *self,
                                           GMenuModel     *model);

G_END_DECLS
