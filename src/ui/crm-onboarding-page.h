/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CRM_TYPE_ONBOARDING_PAGE (crm_onboarding_page_get_type ())

G_DECLARE_FINAL_TYPE (CrmOnboardingPage, crm_onboarding_page, CRM, ONBOARDING_PAGE, AdwBin)

CrmOnboardingPage *crm_onboarding_page_new           (const char        *directory);
const char        *crm_onboarding_page_get_directory (CrmOnboardingPage *self);

G_END_DECLS
