/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "crm-contact-row.h"

G_BEGIN_DECLS

#define CRM_TYPE_CONTACT_LIST_ROW (crm_contact_list_row_get_type ())

G_DECLARE_FINAL_TYPE (CrmContactListRow, crm_contact_list_row, CRM, CONTACT_LIST_ROW, AdwBin)

GtkWidget     *crm_contact_list_row_new         (void);
CrmContactRow *crm_contact_list_row_get_contact (CrmContactListRow *self);
void           crm_contact_list_row_set_contact (CrmContactListRow *self,
                                                 CrmContactRow     *contact);

G_END_DECLS
