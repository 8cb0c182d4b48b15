/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-record"

#include "config.h"

#include "crm-record.h"
#include "crm-contact.h"

static void
finalize_stmt (sqlite3_stmt *stmt)
{
  sqlite3_finalize (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, finalize_stmt)

/* Runs one statement that returns no rows, ready to be bound again. */
static gboolean
run_stmt (CrmStore      *store,
          sqlite3_stmt  *stmt,
          const char    *doing,
          GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      crm_store_set_error (store, error, rc, doing);
      return FALSE;
    }

  return TRUE;
}

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

/**
 * crm_record_load_tags:
 * @link_table: the table that links the entity to its tags, as
 *   contact_tag or deal_tag
 * @owner_column: its column of the entity's id, as contact_id
 * @doing: the error message when the tags cannot be read
 *
 * Returns: (transfer full): the names of the tags of entity @id, in @order
 *   (empty when it has none), or %NULL with @error set
 */
GStrv
crm_record_load_tags (CrmStore           *store,
                      const char         *link_table,
                      const char         *owner_column,
                      gint64              id,
                      CrmRecordTagOrder   order,
                      const char         *doing,
                      GError            **error)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autofree char *sql = NULL;
  int rc;

  g_return_val_if_fail (link_table != NULL && owner_column != NULL, NULL);

  sql = g_strdup_printf ("SELECT t.name FROM %s l JOIN tag t ON t.id = l.tag_id "
                         "WHERE l.%s = ?1 ORDER BY %s",
                         link_table, owner_column,
                         order == CRM_RECORD_TAGS_BY_FOLDED_NAME ? "crm_fold(t.name), t.id"
                                                                 : "t.name");
  stmt = crm_store_prepare (store, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = crm_store_next_row (store, stmt, doing, error)) > 0)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  if (rc < 0)
    return NULL;

  return g_strv_builder_end (builder);
}

/**
 * crm_record_load_custom_values:
 * @doing: the error message when the values cannot be read
 *
 * Every custom field of @entity, set or not (an editor shows them all), in
 * the fields' order, with the value entity @id has for it.
 *
 * Returns: (transfer full) (element-type CrmCustomValue): the values, or
 *   %NULL with @error set
 */
GPtrArray *
crm_record_load_custom_values (CrmStore        *store,
                               CrmFieldEntity   entity,
                               gint64           id,
                               const char      *doing,
                               GError         **error)
{
  g_autoptr (GPtrArray) values = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = crm_store_prepare (store,
                            "SELECT f.id, f.key, f.label, f.type, f.options, v.value "
                            "FROM custom_field f LEFT JOIN custom_value v "
                            "ON v.field_id = f.id AND v.entity_id = ?1 "
                            "WHERE f.entity = ?2 ORDER BY f.position, f.id",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, crm_field_entity_to_string (entity), -1, SQLITE_STATIC);

  values = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_custom_value_free);
  while ((rc = crm_store_next_row (store, stmt, doing, error)) > 0)
    {
      CrmCustomValue *value = g_new0 (CrmCustomValue, 1);

      value->field_id = sqlite3_column_int64 (stmt, 0);
      value->key = crm_column_dup (stmt, 1);
      value->label = crm_column_dup (stmt, 2);
      value->type = crm_column_dup (stmt, 3);
      value->options = crm_column_dup (stmt, 4);
      value->value = crm_column_dup (stmt, 5);
      g_ptr_array_add (values, value);
    }
  if (rc < 0)
    return NULL;

  return g_steal_pointer (&values);
}

/**
 * crm_record_write_custom_values:
 * @custom: (element-type utf8 utf8): each custom field's key to its value as
 *   stored; an empty value is not written
 * @doing: the error message when the values cannot be written
 *
 * Replaces the custom values of entity @id with @custom; a key that is no
 * field of @entity is left out. The entity's id may be one a deleted
 * entity had, whose values must not show up on it: all go first.
 *
 * Returns: whether the values were written; %FALSE with @error set
 */
gboolean
crm_record_write_custom_values (CrmStore        *store,
                                CrmFieldEntity   entity,
                                gint64           id,
                                GHashTable      *custom,
                                const char      *doing,
                                GError         **error)
{
  g_autoptr (sqlite3_stmt) clear = NULL;
  g_autoptr (sqlite3_stmt) insert = NULL;
  const char *entity_name = crm_field_entity_to_string (entity);
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (custom != NULL, FALSE);

  clear = crm_store_prepare (store,
                             "DELETE FROM custom_value WHERE entity_id = ?1 AND field_id IN "
                             "(SELECT id FROM custom_field WHERE entity = ?2)",
                             error);
  if (clear == NULL)
    return FALSE;
  sqlite3_bind_int64 (clear, 1, id);
  sqlite3_bind_text (clear, 2, entity_name, -1, SQLITE_STATIC);
  if (!run_stmt (store, clear, doing, error))
    return FALSE;

  insert = crm_store_prepare (store,
                              "INSERT INTO custom_value (field_id, entity_id, value) "
                              "SELECT id, ?1, ?3 FROM custom_field "
                              "WHERE entity = ?4 AND key = ?2",
                              error);
  if (insert == NULL)
    return FALSE;
  g_hash_table_iter_init (&iter, custom);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (*(const char *) value == '\0')
        continue;
      sqlite3_bind_int64 (insert, 1, id);
      sqlite3_bind_text (insert, 2, key, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (insert, 3, value, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (insert, 4, entity_name, -1, SQLITE_STATIC);
      if (!run_stmt (store, insert, doing, error))
        return FALSE;
    }

  return TRUE;
}
