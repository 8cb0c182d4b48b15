/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-company-filter"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "crm-company-filter.h"
#include "crm-text.h"

/* The conditions on custom fields are those of a contact filter: their SQL
 * reads custom_value by field id and `c.id`, whatever the entity, so a
 * CrmFilter that holds only them (and includes archived rows) writes the
 * company's conditions too, with the same meaning. */

struct _CrmCompanyFilter
{
  gatomicrefcount  ref_count;

  char            *province;  /* NULL: any */
  char            *industry;  /* NULL: any */
  char            *owner;     /* NULL: any; "": no owner */
  CrmFilter       *custom;    /* only custom conditions */
};

G_DEFINE_BOXED_TYPE (CrmCompanyFilter, crm_company_filter,
                     crm_company_filter_ref, crm_company_filter_unref)

/* Helpers */

/* NULL for no text at all, else the text without the spaces around it. */
static char *
dup_condition (const char *text)
{
  g_autofree char *stripped = text != NULL ? g_strstrip (g_strdup (text)) : NULL;

  if (stripped == NULL || *stripped == '\0')
    return NULL;
  return g_steal_pointer (&stripped);
}

static void
append_and (GString *where)
{
  if (where->len > 0)
    g_string_append (where, " AND ");
}

static void
bind_folded (sqlite3_stmt *stmt,
             const char   *name,
             const char   *text)
{
  int index = sqlite3_bind_parameter_index (stmt, name);

  g_return_if_fail (index > 0);
  sqlite3_bind_text (stmt, index, crm_fold (text), -1, g_free);
}

/* Public API */

CrmCompanyFilter *
crm_company_filter_new (void)
{
  CrmCompanyFilter *self = g_new0 (CrmCompanyFilter, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->custom = crm_filter_new ();
  crm_filter_set_archived (self->custom, CRM_FILTER_ARCHIVED_INCLUDE);

  return self;
}

CrmCompanyFilter *
crm_company_filter_ref (CrmCompanyFilter *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
crm_company_filter_unref (CrmCompanyFilter *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->province);
  g_free (self->industry);
  g_free (self->owner);
  crm_filter_unref (self->custom);
  g_free (self);
}

CrmCompanyFilter *
crm_company_filter_copy (const CrmCompanyFilter *self)
{
  CrmCompanyFilter *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (CrmCompanyFilter, 1);
  g_atomic_ref_count_init (&copy->ref_count);
  copy->province = g_strdup (self->province);
  copy->industry = g_strdup (self->industry);
  copy->owner = g_strdup (self->owner);
  copy->custom = crm_filter_copy (self->custom);

  return copy;
}

gboolean
crm_company_filter_equal (const CrmCompanyFilter *a,
                          const CrmCompanyFilter *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;

  return g_strcmp0 (a->province, b->province) == 0
         && g_strcmp0 (a->industry, b->industry) == 0
         && g_strcmp0 (a->owner, b->owner) == 0
         && crm_filter_equal (a->custom, b->custom);
}

/**
 * crm_company_filter_is_empty:
 *
 * Whether the filter has no condition and keeps every company.
 */
gboolean
crm_company_filter_is_empty (const CrmCompanyFilter *self)
{
  g_return_val_if_fail (self != NULL, TRUE);

  return self->province == NULL
         && self->industry == NULL
         && self->owner == NULL
         && crm_filter_get_n_custom (self->custom) == 0;
}

/**
 * crm_company_filter_set_province:
 * @province: (nullable): the province or city of the company's address;
 *   NULL or blank for any
 */
void
crm_company_filter_set_province (CrmCompanyFilter *self,
                                 const char       *province)
{
  g_return_if_fail (self != NULL);

  g_free (self->province);
  self->province = dup_condition (province);
}

const char *
crm_company_filter_get_province (const CrmCompanyFilter *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->province;
}

/**
 * crm_company_filter_set_industry:
 * @industry: (nullable): NULL or blank for any
 */
void
crm_company_filter_set_industry (CrmCompanyFilter *self,
                                 const char       *industry)
{
  g_return_if_fail (self != NULL);

  g_free (self->industry);
  self->industry = dup_condition (industry);
}

const char *
crm_company_filter_get_industry (const CrmCompanyFilter *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->industry;
}

/**
 * crm_company_filter_set_owner:
 * @owner: (nullable): NULL for any owner; "" (or blank) for the companies
 *   without one
 */
void
crm_company_filter_set_owner (CrmCompanyFilter *self,
                              const char       *owner)
{
  g_return_if_fail (self != NULL);

  g_free (self->owner);
  self->owner = owner != NULL ? g_strstrip (g_strdup (owner)) : NULL;
}

const char *
crm_company_filter_get_owner (const CrmCompanyFilter *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->owner;
}

/**
 * crm_company_filter_add_custom_text:
 * @op: %CRM_CUSTOM_EQUALS or %CRM_CUSTOM_CONTAINS
 */
void
crm_company_filter_add_custom_text (CrmCompanyFilter *self,
                                    gint64            field_id,
                                    CrmCustomOp       op,
                                    const char       *text)
{
  g_return_if_fail (self != NULL);

  crm_filter_add_custom_text (self->custom, field_id, op, text);
}

/**
 * crm_company_filter_add_custom_between:
 * @min: the lowest value kept, or NAN for none
 * @max: the highest value kept, or NAN for none
 */
void
crm_company_filter_add_custom_between (CrmCompanyFilter *self,
                                       gint64            field_id,
                                       double            min,
                                       double            max)
{
  g_return_if_fail (self != NULL);

  crm_filter_add_custom_between (self->custom, field_id, min, max);
}

/**
 * crm_company_filter_add_custom_date:
 * @op: %CRM_CUSTOM_BEFORE or %CRM_CUSTOM_AFTER
 * @date: YYYY-MM-DD
 */
void
crm_company_filter_add_custom_date (CrmCompanyFilter *self,
                                    gint64            field_id,
                                    CrmCustomOp       op,
                                    const char       *date)
{
  g_return_if_fail (self != NULL);

  crm_filter_add_custom_date (self->custom, field_id, op, date);
}

/**
 * crm_company_filter_add_custom_bool:
 * @value: %FALSE also keeps the companies without a value
 */
void
crm_company_filter_add_custom_bool (CrmCompanyFilter *self,
                                    gint64            field_id,
                                    gboolean          value)
{
  g_return_if_fail (self != NULL);

  crm_filter_add_custom_bool (self->custom, field_id, value);
}

void
crm_company_filter_add_custom_choices (CrmCompanyFilter  *self,
                                       gint64             field_id,
                                       const char *const *choices)
{
  g_return_if_fail (self != NULL);

  crm_filter_add_custom_choices (self->custom, field_id, choices);
}

/**
 * crm_company_filter_add_custom:
 * @custom: a condition, as crm_company_filter_get_custom() gives it; copied
 *
 * Adds a copy of @custom, as the crm_company_filter_add_custom_*() function
 * of its op would.
 */
void
crm_company_filter_add_custom (CrmCompanyFilter      *self,
                               const CrmFilterCustom *custom)
{
  g_return_if_fail (self != NULL);

  crm_filter_add_custom (self->custom, custom);
}

guint
crm_company_filter_get_n_custom (const CrmCompanyFilter *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return crm_filter_get_n_custom (self->custom);
}

const CrmFilterCustom *
crm_company_filter_get_custom (const CrmCompanyFilter *self,
                               guint                   index)
{
  g_return_val_if_fail (self != NULL, NULL);

  return crm_filter_get_custom (self->custom, index);
}

/**
 * crm_company_filter_find_custom:
 *
 * Returns: (nullable): the first condition on @field_id
 */
const CrmFilterCustom *
crm_company_filter_find_custom (const CrmCompanyFilter *self,
                                gint64                  field_id)
{
  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < crm_filter_get_n_custom (self->custom); i++)
    {
      const CrmFilterCustom *custom = crm_filter_get_custom (self->custom, i);

      if (custom->field_id == field_id)
        return custom;
    }

  return NULL;
}

/**
 * crm_company_filter_describe:
 * @db: (nullable): a connection to read the names of custom fields from
 *
 * A short description for the bar over the list, the conditions separated
 * by " · ": "In Hà Nội · industry Bán lẻ · Hạng: yes".
 *
 * Returns: (transfer full): the description; "" for an empty filter
 */
char *
crm_company_filter_describe (const CrmCompanyFilter *self,
                             sqlite3                *db)
{
  g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *custom = NULL;
  g_autofree char *joined = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->province != NULL)
    /* Translators: a filter condition, "in Hà Nội" */
    g_ptr_array_add (parts, g_strdup_printf (_("in %s"), self->province));
  if (self->industry != NULL)
    /* Translators: a filter condition on companies, "industry Retail" */
    g_ptr_array_add (parts, g_strdup_printf (_("industry %s"), self->industry));
  if (self->owner != NULL && *self->owner == '\0')
    g_ptr_array_add (parts, g_strdup (_("no owner")));
  else if (self->owner != NULL)
    g_ptr_array_add (parts, g_strdup_printf (_("owner %s"), self->owner));

  if (crm_filter_get_n_custom (self->custom) > 0)
    {
      g_autoptr (CrmFilter) only_custom = crm_filter_copy (self->custom);

      /* Companies have no archived condition to describe. */
      crm_filter_set_archived (only_custom, CRM_FILTER_ARCHIVED_EXCLUDE);
      custom = crm_filter_describe (only_custom, db);
      g_ptr_array_add (parts, g_steal_pointer (&custom));
    }

  g_ptr_array_add (parts, NULL);
  joined = g_strjoinv (" · ", (GStrv) parts->pdata);

  /* The first condition starts the sentence. */
  if (*joined != '\0')
    {
      char upper[8] = { 0, };

      g_unichar_to_utf8 (g_unichar_totitle (g_utf8_get_char (joined)), upper);
      return g_strconcat (upper, g_utf8_next_char (joined), NULL);
    }

  return g_steal_pointer (&joined);
}

/**
 * crm_company_filter_build_sql:
 * @where: where to append one SQL condition over `company c`
 * @binds: receives the values of the custom conditions
 *
 * Appends the filter as one condition. Its parameters are named ones
 * (`:company_province` …) followed by anonymous `?` for the custom
 * conditions; the statement must have no parameter after the condition.
 * Bind them with crm_company_filter_bind().
 *
 * Returns: %FALSE with @error set when a condition cannot be used
 */
gboolean
crm_company_filter_build_sql (const CrmCompanyFilter  *self,
                              GString                 *where,
                              CrmFilterBinds          *binds,
                              GError                 **error)
{
  g_autoptr (GString) conditions = g_string_new (NULL);

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (where != NULL, FALSE);
  g_return_val_if_fail (binds != NULL, FALSE);

  if (self->province != NULL)
    g_string_append (conditions, "crm_fold(c.province) = :company_province");

  if (self->industry != NULL)
    {
      append_and (conditions);
      g_string_append (conditions, "crm_fold(c.industry) = :company_industry");
    }

  if (self->owner != NULL)
    {
      append_and (conditions);
      if (*self->owner == '\0')
        g_string_append (conditions, "(c.owner IS NULL OR trim(c.owner) = '')");
      else
        g_string_append (conditions, "crm_fold(c.owner) = :company_owner");
    }

  /* A condition on a field of contacts or deals keeps no company, even
   * "is no", which would otherwise hold for every company. */
  for (guint i = 0; i < crm_filter_get_n_custom (self->custom); i++)
    {
      append_and (conditions);
      g_string_append_printf (conditions,
                              "%" G_GINT64_FORMAT " IN (SELECT f.id FROM custom_field f "
                              "WHERE f.entity = 'company')",
                              crm_filter_get_custom (self->custom, i)->field_id);
    }

  /* The anonymous parameters last, see crm_company_filter_bind(). */
  if (crm_filter_get_n_custom (self->custom) > 0)
    {
      append_and (conditions);
      if (!crm_filter_build_sql (self->custom, conditions, binds, error))
        return FALSE;
    }

  g_string_append_printf (where, "(%s)", conditions->len > 0 ? conditions->str : "1");
  return TRUE;
}

/**
 * crm_company_filter_bind:
 * @stmt: a statement whose last parameters are those of the condition that
 *   crm_company_filter_build_sql() wrote
 * @binds: what crm_company_filter_build_sql() filled
 */
void
crm_company_filter_bind (const CrmCompanyFilter *self,
                         sqlite3_stmt           *stmt,
                         const CrmFilterBinds   *binds)
{
  int n_custom;

  g_return_if_fail (self != NULL);
  g_return_if_fail (stmt != NULL);
  g_return_if_fail (binds != NULL);

  if (self->province != NULL)
    bind_folded (stmt, ":company_province", self->province);
  if (self->industry != NULL)
    bind_folded (stmt, ":company_industry", self->industry);
  if (self->owner != NULL && *self->owner != '\0')
    bind_folded (stmt, ":company_owner", self->owner);

  n_custom = (int) crm_filter_binds_get_length (binds);
  if (n_custom > 0)
    crm_filter_bind (stmt, sqlite3_bind_parameter_count (stmt) - n_custom + 1, binds);
}
