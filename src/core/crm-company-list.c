/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-company-list"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "crm-company-filter.h"
#include "crm-company-list.h"
#include "crm-text.h"

/* Companies are counted in thousands, not millions: the list reads them
 * all, in Vietnamese alphabetical order, each with its number of people. */

struct _CrmCompanyRow
{
  GObject parent_instance;

  gint64  id;
  char   *name;
  char   *tax_code;
  char   *province;
  guint   n_people;
};

G_DEFINE_FINAL_TYPE (CrmCompanyRow, crm_company_row, G_TYPE_OBJECT)

static void
crm_company_row_finalize (GObject *object)
{
  CrmCompanyRow *self = CRM_COMPANY_ROW (object);

  g_free (self->name);
  g_free (self->tax_code);
  g_free (self->province);

  G_OBJECT_CLASS (crm_company_row_parent_class)->finalize (object);
}

static void
crm_company_row_class_init (CrmCompanyRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = crm_company_row_finalize;
}

static void
crm_company_row_init (CrmCompanyRow *self)
{
}

gint64
crm_company_row_get_id (CrmCompanyRow *self)
{
  g_return_val_if_fail (CRM_IS_COMPANY_ROW (self), 0);
  return self->id;
}

const char *
crm_company_row_get_name (CrmCompanyRow *self)
{
  g_return_val_if_fail (CRM_IS_COMPANY_ROW (self), NULL);
  return self->name;
}

const char *
crm_company_row_get_tax_code (CrmCompanyRow *self)
{
  g_return_val_if_fail (CRM_IS_COMPANY_ROW (self), NULL);
  return self->tax_code;
}

const char *
crm_company_row_get_province (CrmCompanyRow *self)
{
  g_return_val_if_fail (CRM_IS_COMPANY_ROW (self), NULL);
  return self->province;
}

guint
crm_company_row_get_n_people (CrmCompanyRow *self)
{
  g_return_val_if_fail (CRM_IS_COMPANY_ROW (self), 0);
  return self->n_people;
}

struct _CrmCompanyList
{
  GObject    parent_instance;

  CrmStore  *store;
  GPtrArray *rows;      /* CrmCompanyRow */
  char      *query;
  CrmCompanyFilter *filter;  /* NULL: none */
  gboolean   archived;
  guint      total;
  GError    *error;
  gulong     changed_handler;
};

static void crm_company_list_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CrmCompanyList, crm_company_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      crm_company_list_list_model_init))

static GType
crm_company_list_get_item_type (GListModel *model)
{
  return CRM_TYPE_COMPANY_ROW;
}

static guint
crm_company_list_get_n_items (GListModel *model)
{
  return CRM_COMPANY_LIST (model)->rows->len;
}

static gpointer
crm_company_list_get_item (GListModel *model,
                           guint       position)
{
  CrmCompanyList *self = CRM_COMPANY_LIST (model);

  if (position >= self->rows->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->rows, position));
}

static void
crm_company_list_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = crm_company_list_get_item_type;
  iface->get_n_items = crm_company_list_get_n_items;
  iface->get_item = crm_company_list_get_item;
}

static void
reload (CrmCompanyList *self)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *folded = NULL;
  g_autoptr (GString) sql = g_string_new (NULL);
  g_autoptr (CrmFilterBinds) binds = crm_filter_binds_new ();
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_object_unref);
  guint removed = self->rows->len;
  sqlite3_stmt *stmt;
  int rc = SQLITE_OK;

  if (self->query != NULL && *self->query != '\0')
    folded = crm_fold (self->query);

  g_string_append (sql, "SELECT c.id, c.name, c.tax_code, c.province, "
                        "(SELECT count(*) FROM contact p WHERE p.company_id = c.id "
                        " AND p.archived = 0) "
                        "FROM company c WHERE c.archived = ?1 AND (?2 IS NULL "
                        " OR instr(c.name_folded, ?2) > 0 OR c.tax_code LIKE ?2 || '%')");
  /* The filter's parameters come last in the statement. */
  if (self->filter != NULL)
    {
      g_string_append (sql, " AND ");
      crm_company_filter_build_sql (self->filter, sql, binds, &error);
    }
  g_string_append (sql, " ORDER BY crm_sort_key(c.name, '', '', c.name), c.id");

  stmt = error == NULL ? crm_store_prepare (self->store, sql->str, &error) : NULL;
  if (stmt != NULL)
    {
      sqlite3_bind_int (stmt, 1, self->archived);
      if (folded != NULL)
        sqlite3_bind_text (stmt, 2, folded, -1, SQLITE_STATIC);
      if (self->filter != NULL)
        crm_company_filter_bind (self->filter, stmt, binds);

      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          CrmCompanyRow *row = g_object_new (CRM_TYPE_COMPANY_ROW, NULL);

          row->id = sqlite3_column_int64 (stmt, 0);
          row->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
          row->tax_code = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
          row->province = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
          row->n_people = sqlite3_column_int (stmt, 4);
          g_ptr_array_add (rows, row);
        }
      if (rc != SQLITE_DONE)
        crm_store_set_error (self->store, &error, rc, _("Cannot list the companies"));
      sqlite3_finalize (stmt);
    }

  stmt = error == NULL ? crm_store_prepare (self->store,
                                            "SELECT count(*) FROM company WHERE archived = ?1",
                                            &error)
                       : NULL;
  if (stmt != NULL)
    {
      sqlite3_bind_int (stmt, 1, self->archived);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        self->total = sqlite3_column_int (stmt, 0);
      sqlite3_finalize (stmt);
    }

  g_clear_error (&self->error);
  if (error != NULL)
    self->error = g_steal_pointer (&error);

  g_ptr_array_unref (self->rows);
  self->rows = rows;
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, rows->len);
}

static void
on_store_changed (CrmStore       *store,
                  const char     *entity,
                  gint64          id,
                  CrmCompanyList *self)
{
  if (g_str_equal (entity, "company") || g_str_equal (entity, "contact"))
    reload (self);
}

static void
crm_company_list_dispose (GObject *object)
{
  CrmCompanyList *self = CRM_COMPANY_LIST (object);

  if (self->changed_handler != 0)
    g_clear_signal_handler (&self->changed_handler, self->store);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (crm_company_list_parent_class)->dispose (object);
}

static void
crm_company_list_finalize (GObject *object)
{
  CrmCompanyList *self = CRM_COMPANY_LIST (object);

  g_ptr_array_unref (self->rows);
  g_free (self->query);
  g_clear_pointer (&self->filter, crm_company_filter_unref);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (crm_company_list_parent_class)->finalize (object);
}

static void
crm_company_list_class_init (CrmCompanyListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = crm_company_list_dispose;
  object_class->finalize = crm_company_list_finalize;
}

static void
crm_company_list_init (CrmCompanyList *self)
{
  self->rows = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * crm_company_list_new:
 *
 * The companies of @store that are not archived, kept current as the store
 * changes.
 */
CrmCompanyList *
crm_company_list_new (CrmStore *store)
{
  CrmCompanyList *self;

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);

  self = g_object_new (CRM_TYPE_COMPANY_LIST, NULL);
  self->store = g_object_ref (store);
  self->changed_handler = g_signal_connect (store, "changed",
                                            G_CALLBACK (on_store_changed), self);
  reload (self);

  return self;
}

/**
 * crm_company_list_set_query:
 * @query: (nullable): part of a name, written with or without its accents,
 *   or the start of a tax code
 */
void
crm_company_list_set_query (CrmCompanyList *self,
                            const char     *query)
{
  g_return_if_fail (CRM_IS_COMPANY_LIST (self));

  if (g_strcmp0 (self->query, query) == 0)
    return;

  g_free (self->query);
  self->query = g_strdup (query);
  reload (self);
}

const char *
crm_company_list_get_query (CrmCompanyList *self)
{
  g_return_val_if_fail (CRM_IS_COMPANY_LIST (self), NULL);

  return self->query;
}

/**
 * crm_company_list_set_filter:
 * @filter: (nullable): the conditions the companies meet; NULL or an empty
 *   filter for all of them. The list keeps a copy.
 *
 * A filter that cannot be used empties the list and sets the list's error.
 */
void
crm_company_list_set_filter (CrmCompanyList         *self,
                             const CrmCompanyFilter *filter)
{
  g_return_if_fail (CRM_IS_COMPANY_LIST (self));

  if (filter != NULL && crm_company_filter_is_empty (filter))
    filter = NULL;
  if (crm_company_filter_equal (self->filter, filter))
    return;

  g_clear_pointer (&self->filter, crm_company_filter_unref);
  if (filter != NULL)
    self->filter = crm_company_filter_copy (filter);
  reload (self);
}

/**
 * crm_company_list_get_filter:
 *
 * Returns: (nullable) (transfer none): the filter; NULL when there is none
 */
const CrmCompanyFilter *
crm_company_list_get_filter (CrmCompanyList *self)
{
  g_return_val_if_fail (CRM_IS_COMPANY_LIST (self), NULL);

  return self->filter;
}

/**
 * crm_company_list_set_archived:
 * @archived: list the archived companies instead of the others
 */
void
crm_company_list_set_archived (CrmCompanyList *self,
                               gboolean        archived)
{
  g_return_if_fail (CRM_IS_COMPANY_LIST (self));

  if (self->archived == !!archived)
    return;

  self->archived = !!archived;
  reload (self);
}

/**
 * crm_company_list_get_total:
 *
 * How many companies there are, whatever the query and the filter.
 */
guint
crm_company_list_get_total (CrmCompanyList *self)
{
  g_return_val_if_fail (CRM_IS_COMPANY_LIST (self), 0);

  return self->total;
}

const GError *
crm_company_list_get_error (CrmCompanyList *self)
{
  g_return_val_if_fail (CRM_IS_COMPANY_LIST (self), NULL);

  return self->error;
}
