/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "crm-filter.h"
#include "crm-store.h"

G_BEGIN_DECLS

/* A saved segment of the contact list: a named filter plus search text,
 * shown in the sidebar with its live count (the `segment` table, entity
 * 'contact'). */
typedef struct
{
  gint64  id;
  char   *name;
  char   *query;     /* search text; "" for none */
  char   *filter;    /* JSON that crm_filter_new_from_json() reads */
  gint64  position;
} CrmSegment;

#define CRM_TYPE_SEGMENT (crm_segment_get_type ())

GType       crm_segment_get_type    (void) G_GNUC_CONST;
CrmSegment *crm_segment_copy        (const CrmSegment  *segment);
void        crm_segment_free        (CrmSegment        *segment);

GPtrArray  *crm_segments_list       (CrmStore          *store,
                                     GError           **error);
CrmSegment *crm_segment_load        (CrmStore          *store,
                                     gint64             id,
                                     GError           **error);
gint64      crm_segment_create      (CrmStore          *store,
                                     const char        *name,
                                     const char        *query,
                                     const CrmFilter   *filter,
                                     GError           **error);
gboolean    crm_segment_rename      (CrmStore          *store,
                                     gint64             id,
                                     const char        *name,
                                     GError           **error);
gboolean    crm_segment_update      (CrmStore          *store,
                                     gint64             id,
                                     const char        *query,
                                     const CrmFilter   *filter,
                                     GError           **error);
gboolean    crm_segment_delete      (CrmStore          *store,
                                     gint64             id,
                                     GError           **error);
gboolean    crm_segments_reorder    (CrmStore          *store,
                                     const gint64      *ids,
                                     gsize              n_ids,
                                     GError           **error);
gint64      crm_segment_count       (sqlite3           *db,
                                     const CrmSegment  *segment,
                                     GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmSegment, crm_segment_free)

G_END_DECLS
