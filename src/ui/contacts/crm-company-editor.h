/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_COMPANY_EDITOR (crm_company_editor_get_type ())

G_DECLARE_FINAL_TYPE (CrmCompanyEditor, crm_company_editor, CRM, COMPANY_EDITOR, AdwWindow)

CrmCompanyEditor *crm_company_editor_new            (GtkWindow        *parent,
                                                     CrmStore         *store,
                                                     gint64            id);
gint64            crm_company_editor_get_company_id (CrmCompanyEditor *self);
gboolean          crm_company_editor_get_modified   (CrmCompanyEditor *self);

G_END_DECLS
