/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "crm-store.h"

G_BEGIN_DECLS

/* Contacts are written in one import (crm_contact_import_begin()), this many
 * at a time; the other tables CRM_DEMO_ROW_BATCH rows to a transaction. */
#define CRM_DEMO_CONTACT_BATCH 20000
#define CRM_DEMO_ROW_BATCH     10000

typedef struct
{
  guint   contacts;      /* default 200 */
  guint   companies;     /* default 40 */
  guint   deals;         /* default 60 */
  guint   interactions;  /* default 600 */
  guint64 seed;          /* same seed, same workspace content */
  gint64  now;           /* UTC seconds "today"; 0 = current time. Interactions spread over the
                          * two years before it. */
} CrmDemoOptions;

/* Progress: fraction 0..1 of the work done; called at most ~100 times. */
typedef void (*CrmDemoProgress) (double   fraction,
                                 gpointer user_data);

void     crm_demo_options_init (CrmDemoOptions        *options);
guint    crm_demo_count_tasks  (const CrmDemoOptions  *options);
gboolean crm_demo_fill         (CrmStore              *store,
                                const CrmDemoOptions  *options,
                                CrmDemoProgress        progress,
                                gpointer               user_data,
                                GCancellable          *cancellable,
                                GError               **error);

G_END_DECLS
