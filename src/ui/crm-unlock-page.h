/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_UNLOCK_PAGE (crm_unlock_page_get_type ())

G_DECLARE_FINAL_TYPE (CrmUnlockPage, crm_unlock_page, CRM, UNLOCK_PAGE, AdwBin)

CrmUnlockPage *crm_unlock_page_new                (const char    *directory,
                                                   CrmProtection  protection,
                                                   gboolean       protection_known);
const char    *crm_unlock_page_get_directory      (CrmUnlockPage *self);
gboolean       crm_unlock_page_get_keyring_failed (CrmUnlockPage *self);

G_END_DECLS
