/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-tags"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "crm-tags.h"

void
crm_tag_free (CrmTag *tag)
{
  if (tag == NULL)
    return;

  g_free (tag->name);
  g_free (tag);
}

/**
 * crm_tags_list:
 *
 * Every tag, in the order of their folded names, with how many contacts
 * have each.
 *
 * Returns: (transfer full) (element-type CrmTag): the tags, or %NULL with
 *   @error set
 */
GPtrArray *
crm_tags_list (CrmStore  *store,
               GError   **error)
{
  GPtrArray *tags;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);

  stmt = crm_store_prepare (store,
                            "SELECT t.id, t.name, "
                            "(SELECT count(*) FROM contact_tag ct WHERE ct.tag_id = t.id) "
                            "FROM tag t ORDER BY crm_fold(t.name), t.id",
                            error);
  if (stmt == NULL)
    return NULL;

  tags = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_tag_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CrmTag *tag = g_new0 (CrmTag, 1);

      tag->id = sqlite3_column_int64 (stmt, 0);
      tag->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      tag->n_contacts = sqlite3_column_int (stmt, 2);
      g_ptr_array_add (tags, tag);
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (store, error, rc, _("Cannot list the tags"));
      g_clear_pointer (&tags, g_ptr_array_unref);
    }

  return tags;
}
