/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "crm-store.h"

G_BEGIN_DECLS

/* Changes to many contacts at once (a selection, or the whole filtered list
 * of up to a million): each in one transaction, all or nothing, with
 * progress and cancel, and an undo token that puts back exactly what the
 * change replaced. Ids of contacts that no longer exist are skipped. When
 * a contact changed, the store emits CrmStore::changed ("contact", 0).
 * They run on the store's connection, on the thread that calls them. */

/* Progress: fraction 0..1 of the work done; called at most ~20 times, on
 * the thread that runs the change. */
typedef void (*CrmBulkProgress) (double   fraction,
                                 gpointer user_data);

typedef enum {
  CRM_BULK_TAG,
  CRM_BULK_UNTAG,
  CRM_BULK_SET_LIFECYCLE_STAGE,
  CRM_BULK_SET_LEAD_STATUS,
  CRM_BULK_SET_OWNER,
  CRM_BULK_ARCHIVE,
  CRM_BULK_UNARCHIVE,
} CrmBulkKind;

typedef struct _CrmBulkUndo CrmBulkUndo;

gint64       crm_tags_ensure                (CrmStore           *store,
                                             const char         *name,
                                             GError            **error);

CrmBulkUndo *crm_bulk_tag                   (CrmStore           *store,
                                             GArray             *ids,
                                             gint64              tag_id,
                                             CrmBulkProgress     progress,
                                             gpointer            user_data,
                                             GCancellable       *cancellable,
                                             GError            **error);
CrmBulkUndo *crm_bulk_untag                 (CrmStore           *store,
                                             GArray             *ids,
                                             gint64              tag_id,
                                             CrmBulkProgress     progress,
                                             gpointer            user_data,
                                             GCancellable       *cancellable,
                                             GError            **error);
CrmBulkUndo *crm_bulk_set_lifecycle_stage   (CrmStore           *store,
                                             GArray             *ids,
                                             gint64              stage_id,
                                             CrmBulkProgress     progress,
                                             gpointer            user_data,
                                             GCancellable       *cancellable,
                                             GError            **error);
CrmBulkUndo *crm_bulk_set_lead_status       (CrmStore           *store,
                                             GArray             *ids,
                                             gint64              status_id,
                                             CrmBulkProgress     progress,
                                             gpointer            user_data,
                                             GCancellable       *cancellable,
                                             GError            **error);
CrmBulkUndo *crm_bulk_set_owner             (CrmStore           *store,
                                             GArray             *ids,
                                             const char         *owner,
                                             CrmBulkProgress     progress,
                                             gpointer            user_data,
                                             GCancellable       *cancellable,
                                             GError            **error);
CrmBulkUndo *crm_bulk_archive               (CrmStore           *store,
                                             GArray             *ids,
                                             CrmBulkProgress     progress,
                                             gpointer            user_data,
                                             GCancellable       *cancellable,
                                             GError            **error);
CrmBulkUndo *crm_bulk_unarchive             (CrmStore           *store,
                                             GArray             *ids,
                                             CrmBulkProgress     progress,
                                             gpointer            user_data,
                                             GCancellable       *cancellable,
                                             GError            **error);

gboolean     crm_bulk_undo                  (CrmStore           *store,
                                             CrmBulkUndo        *undo,
                                             CrmBulkProgress     progress,
                                             gpointer            user_data,
                                             GCancellable       *cancellable,
                                             GError            **error);
CrmBulkKind  crm_bulk_undo_get_kind         (const CrmBulkUndo  *undo);
guint        crm_bulk_undo_get_n_changed    (const CrmBulkUndo  *undo);
gboolean     crm_bulk_undo_get_done         (const CrmBulkUndo  *undo);
void         crm_bulk_undo_free             (CrmBulkUndo        *undo);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmBulkUndo, crm_bulk_undo_free)

G_END_DECLS
