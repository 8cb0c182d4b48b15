/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <sqlite3.h>

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

G_END_DECLS
