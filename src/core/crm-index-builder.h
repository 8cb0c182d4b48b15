/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "crm-store.h"

G_BEGIN_DECLS

/* The search index of a large import into an empty workspace, built on
 * another thread. */
typedef struct _CrmIndexBuilder CrmIndexBuilder;

CrmIndexBuilder *crm_index_builder_new    (CrmStore         *store,
                                           GError          **error);
gboolean         crm_index_builder_add    (CrmIndexBuilder  *builder,
                                           gint64            id,
                                           const char       *display_name,
                                           const char       *given_name,
                                           const char       *middle_name,
                                           const char       *family_name,
                                           const char       *email,
                                           const char       *phone_e164,
                                           const char       *company_name,
                                           GError          **error);
gboolean         crm_index_builder_finish (CrmIndexBuilder  *builder,
                                           GError          **error);
void             crm_index_builder_free   (CrmIndexBuilder  *builder);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmIndexBuilder, crm_index_builder_free)

G_END_DECLS
