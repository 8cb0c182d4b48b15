/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CRM_TYPE_CONTACT_ROW (crm_contact_row_get_type ())

G_DECLARE_FINAL_TYPE (CrmContactRow, crm_contact_row, CRM, CONTACT_ROW, GObject)

CrmContactRow *crm_contact_row_new              (gint64         id,
                                                 const char    *display_name,
                                                 const char    *given_name,
                                                 const char    *family_name,
                                                 const char    *email,
                                                 const char    *phone,
                                                 const char    *company);
gint64         crm_contact_row_get_id           (CrmContactRow *self);
const char    *crm_contact_row_get_display_name (CrmContactRow *self);
const char    *crm_contact_row_get_given_name   (CrmContactRow *self);
const char    *crm_contact_row_get_family_name  (CrmContactRow *self);
const char    *crm_contact_row_get_email        (CrmContactRow *self);
const char    *crm_contact_row_get_phone        (CrmContactRow *self);
const char    *crm_contact_row_get_company      (CrmContactRow *self);

G_END_DECLS
