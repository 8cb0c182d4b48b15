/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

gboolean crm_schema_register_functions (sqlite3   *db,
                                        gboolean  *deferred,
                                        GError   **error);
char    *crm_schema_bulk_audit_sql     (const char *table);
int      crm_schema_latest_version     (void);
gboolean crm_schema_migrate            (sqlite3  *db,
                                        int       from_version,
                                        GError  **error);

G_END_DECLS
