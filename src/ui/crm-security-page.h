/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_SECURITY_PAGE (crm_security_page_get_type ())

G_DECLARE_FINAL_TYPE (CrmSecurityPage, crm_security_page, CRM, SECURITY_PAGE,
                      AdwPreferencesPage)

CrmSecurityPage *crm_security_page_new       (CrmStore        *store);
CrmStore        *crm_security_page_get_store (CrmSecurityPage *self);

G_END_DECLS
