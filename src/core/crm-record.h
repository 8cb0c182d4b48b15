/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <sqlite3.h>

#include "crm-fields.h"
#include "crm-store.h"

G_BEGIN_DECLS

/* A read-only GObject record described by a table: each property's type,
 * where it lives in the instance struct and, when it is stored as is, the
 * column it is read from. CrmContact and CrmCompany are made this way. */

typedef enum {
  CRM_RECORD_STRING,
  CRM_RECORD_INT64,
  CRM_RECORD_BOOLEAN,
  CRM_RECORD_UINT,
  CRM_RECORD_INT,
} CrmRecordType;

typedef struct
{
  const char    *name;     /* the property */
  const char    *column;   /* NULL: computed, not read from a column */
  CrmRecordType  type;
  gsize          offset;
} CrmRecordField;

GParamSpec *crm_record_field_pspec          (const CrmRecordField *field);
void        crm_record_field_get_value      (const CrmRecordField *field,
                                             gpointer              instance,
                                             GValue               *value);
void        crm_record_field_read           (const CrmRecordField *field,
                                             gpointer              instance,
                                             sqlite3_stmt         *stmt,
                                             int                   column);
void        crm_record_fields_free_strings  (const CrmRecordField *fields,
                                             gsize                 n_fields,
                                             gpointer              instance);

/* The rows an entity owns beside its record: its tags and its custom
 * values. @doing is the error message when a row cannot be read. */

typedef enum {
  CRM_RECORD_TAGS_BY_NAME,         /* ORDER BY name */
  CRM_RECORD_TAGS_BY_FOLDED_NAME,  /* ORDER BY crm_fold(name), id */
} CrmRecordTagOrder;

GStrv       crm_record_load_tags            (CrmStore             *store,
                                             const char           *link_table,
                                             const char           *owner_column,
                                             gint64                id,
                                             CrmRecordTagOrder     order,
                                             const char           *doing,
                                             GError              **error);
GPtrArray  *crm_record_load_custom_values   (CrmStore             *store,
                                             CrmFieldEntity        entity,
                                             gint64                id,
                                             const char           *doing,
                                             GError              **error);
gboolean    crm_record_write_custom_values  (CrmStore             *store,
                                             CrmFieldEntity        entity,
                                             gint64                id,
                                             GHashTable           *custom,
                                             const char           *doing,
                                             GError              **error);

G_END_DECLS
