/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

#include "crm-filter.h"

G_BEGIN_DECLS

/* What the most common filters ask of each listed contact (lifecycle stage,
 * lead status, owner, source, consent, birthday month, last interaction),
 * a few bytes each, indexed by the contact's rank in the list. A filter made
 * of these conditions alone is answered by one pass over memory, in list
 * order, instead of reading a million rows (DESIGN.md, "Scale and speed").
 * A snapshot: the list loads a new one whenever it reloads its ids. */
typedef struct _CrmContactFacets CrmContactFacets;

/* @rank_by_id: id → rank + 1 (0: not listed), @rank_size entries, which
 * must outlive the facets; @n_ranks contacts are listed. Reads the listed
 * contacts (archived = 0) of @db. */
CrmContactFacets *crm_contact_facets_load       (sqlite3                 *db,
                                                 const guint32           *rank_by_id,
                                                 gint64                   rank_size,
                                                 guint                    n_ranks,
                                                 GCancellable            *cancellable,
                                                 GError                 **error);
void              crm_contact_facets_free       (CrmContactFacets        *facets);
guint             crm_contact_facets_get_n_ranks (const CrmContactFacets *facets);

/* Whether crm_contact_facets_match() can answer @filter: listed contacts
 * only, and no condition on province or custom fields. */
gboolean          crm_contact_facets_can_answer (const CrmFilter         *filter);
/* The ranks of the contacts @filter keeps, the same contacts
 * crm_filter_collect_ids() finds: among @candidates (guint32 ranks) when
 * given, else among all, ascending. Tags are read from @db the first time
 * a filter asks for them, and kept. */
GArray           *crm_contact_facets_match      (CrmContactFacets        *facets,
                                                 const CrmFilter         *filter,
                                                 GArray                  *candidates,
                                                 sqlite3                 *db,
                                                 GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmContactFacets, crm_contact_facets_free)

G_END_DECLS
