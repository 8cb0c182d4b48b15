/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-record"

#include "config.h"

#include "crm-record.h"

/**
 * crm_record_field_pspec:
 *
 * Returns: (transfer floating): the read-only property @field describes
 */
GParamSpec *
crm_record_field_pspec (const CrmRecordField *field)
{
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  switch (field->type)
    {
    case CRM_RECORD_STRING:
      return g_param_spec_string (field->name, NULL, NULL, NULL, flags);
    case CRM_RECORD_INT64:
      return g_param_spec_int64 (field->name, NULL, NULL, 0, G_MAXINT64, 0, flags);
    case CRM_RECORD_BOOLEAN:
      return g_param_spec_boolean (field->name, NULL, NULL, FALSE, flags);
    case CRM_RECORD_UINT:
      return g_param_spec_uint (field->name, NULL, NULL, 0, G_MAXUINT, 0, flags);
    case CRM_RECORD_INT:
      return g_param_spec_int (field->name, NULL, NULL, -1, G_MAXINT, -1, flags);
    default:
      g_assert_not_reached ();
    }
}

void
crm_record_field_get_value (const CrmRecordField *field,
                            gpointer              instance,
                            GValue               *value)
{
  switch (field->type)
    {
    case CRM_RECORD_STRING:
      g_value_set_string (value, G_STRUCT_MEMBER (char *, instance, field->offset));
      break;
    case CRM_RECORD_INT64:
      g_value_set_int64 (value, G_STRUCT_MEMBER (gint64, instance, field->offset));
      break;
    case CRM_RECORD_BOOLEAN:
      g_value_set_boolean (value, G_STRUCT_MEMBER (gboolean, instance, field->offset));
      break;
    case CRM_RECORD_UINT:
      g_value_set_uint (value, G_STRUCT_MEMBER (guint, instance, field->offset));
      break;
    case CRM_RECORD_INT:
      g_value_set_int (value, G_STRUCT_MEMBER (int, instance, field->offset));
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Stores @column of the current row of @stmt in the instance's member. */
void
crm_record_field_read (const CrmRecordField *field,
                       gpointer              instance,
                       sqlite3_stmt         *stmt,
                       int                   column)
{
  switch (field->type)
    {
    case CRM_RECORD_STRING:
      G_STRUCT_MEMBER (char *, instance, field->offset) =
        g_strdup ((const char *) sqlite3_column_text (stmt, column));
      break;
    case CRM_RECORD_INT64:
      G_STRUCT_MEMBER (gint64, instance, field->offset) = sqlite3_column_int64 (stmt, column);
      break;
    case CRM_RECORD_BOOLEAN:
      G_STRUCT_MEMBER (gboolean, instance, field->offset) = sqlite3_column_int (stmt, column) != 0;
      break;
    case CRM_RECORD_UINT:
      G_STRUCT_MEMBER (guint, instance, field->offset) = (guint) sqlite3_column_int64 (stmt, column);
      break;
    case CRM_RECORD_INT:
      G_STRUCT_MEMBER (int, instance, field->offset) = sqlite3_column_int (stmt, column);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Frees the string members of the instance, as its finalize does. */
void
crm_record_fields_free_strings (const CrmRecordField *fields,
                                gsize                 n_fields,
                                gpointer              instance)
{
  for (gsize i = 0; i < n_fields; i++)
    {
      if (fields[i].type == CRM_RECORD_STRING)
        g_free (G_STRUCT_MEMBER (char *, instance, fields[i].offset));
    }
}
