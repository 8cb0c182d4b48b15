/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "crm-contact-list.h"
#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_CONTACTS_VIEW (crm_contacts_view_get_type ())

G_DECLARE_FINAL_TYPE (CrmContactsView, crm_contacts_view, CRM, CONTACTS_VIEW, AdwBin)

CrmContactsView *crm_contacts_view_new          (CrmStore        *store,
                                                 GSettings       *settings);
CrmContactList  *crm_contacts_view_get_model    (CrmContactsView *self);
void             crm_contacts_view_focus_search (CrmContactsView *self);
void             crm_contacts_view_show_contact (CrmContactsView *self,
                                                 gint64           id);
void             crm_contacts_view_show_company (CrmContactsView *self,
                                                 gint64           id);

G_END_DECLS
