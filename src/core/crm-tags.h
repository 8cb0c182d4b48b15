/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "crm-store.h"

G_BEGIN_DECLS

/* A tag with the number of contacts that have it. */
typedef struct
{
  gint64  id;
  char   *name;
  guint   n_contacts;
} CrmTag;

void       crm_tag_free   (CrmTag    *tag);
GPtrArray *crm_tags_list  (CrmStore  *store,
                           GError   **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmTag, crm_tag_free)

G_END_DECLS
