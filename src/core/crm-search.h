/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "crm-store.h"

G_BEGIN_DECLS

typedef enum {
  CRM_SORT_GIVEN_NAME,   /* "Nguyễn Văn An" under A, as Vietnamese lists sort */
  CRM_SORT_FAMILY_NAME,  /* under N */
} CrmSortOrder;

char    *crm_search_match_expression (const char    *query);
gboolean crm_search_sql              (sqlite3       *db,
                                      const char    *query,
                                      char         **sql,
                                      GError       **error);
GArray  *crm_search_contacts         (CrmStore      *store,
                                      const char    *query,
                                      GError       **error);
GArray  *crm_search_contacts_parallel (CrmStore     *store,
                                       sqlite3      *helper,
                                       const char   *query,
                                       gint64        split_id,
                                       GError      **error);
GArray  *crm_search_contacts_sorted  (CrmStore      *store,
                                      const char    *query,
                                      CrmSortOrder   order,
                                      guint          limit,
                                      GError       **error);

G_END_DECLS
