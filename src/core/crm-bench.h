/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint       contacts;    /* default 1,000,000 */
  const char *directory;   /* where to make the two workspaces; NULL: a temporary one */
  guint64     seed;
} CrmBenchOptions;

void     crm_bench_options_init (CrmBenchOptions       *options);
gboolean crm_bench_run          (const CrmBenchOptions *options,
                                 gboolean               json,
                                 GError               **error);

G_END_DECLS
