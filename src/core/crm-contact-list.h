/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "crm-contact-row.h"
#include "crm-filter.h"
#include "crm-search.h"
#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_CONTACT_LIST (crm_contact_list_get_type ())

G_DECLARE_FINAL_TYPE (CrmContactList, crm_contact_list, CRM, CONTACT_LIST, GObject)

CrmContactList *crm_contact_list_new               (CrmStore       *store,
                                                    CrmSortOrder    order);
CrmStore       *crm_contact_list_get_store         (CrmContactList *self);
CrmSortOrder    crm_contact_list_get_sort_order    (CrmContactList *self);
void            crm_contact_list_set_sort_order    (CrmContactList *self,
                                                    CrmSortOrder    order);
const char     *crm_contact_list_get_query         (CrmContactList *self);
void            crm_contact_list_set_query         (CrmContactList *self,
                                                    const char     *query);
void            crm_contact_list_set_filter        (CrmContactList  *self,
                                                    const CrmFilter *filter);
const CrmFilter *crm_contact_list_get_filter       (CrmContactList *self);
gboolean        crm_contact_list_get_loading       (CrmContactList *self);
guint           crm_contact_list_get_total         (CrmContactList *self);
gint64          crm_contact_list_get_id            (CrmContactList *self,
                                                    guint           position);
guint           crm_contact_list_get_n_materialized (CrmContactList *self);
const GError   *crm_contact_list_get_error         (CrmContactList *self);

G_END_DECLS
