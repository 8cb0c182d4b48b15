/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "crm-store.h"

G_BEGIN_DECLS

/* Fills the store's default pipeline with @n_open_deals open deals (in VND
 * and some USD, with a USD rate) in one transaction, then measures the
 * board's data for all columns (p95 of 20 loads after one warm-up) and a
 * move saved (p95 of 200 moves to a random stage and place, each its own
 * transaction), in milliseconds. */
gboolean crm_pipeline_bench (CrmStore  *store,
                             guint      n_open_deals,
                             guint64    seed,
                             double    *board_ms,
                             double    *move_ms,
                             GError   **error);

G_END_DECLS
