/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-company"

#include "config.h"
#include "crm-record.h"
#include "crm-text.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "crm-company.h"
#include "crm-fields.h"
#include "crm-normalize.h"

struct _CrmCompany
{
  GObject parent_instance;

  /* company columns */
  gint64    id;
  char     *name;
  char     *tax_code;
  char     *industry;
  char     *size;
  char     *website;
  char     *street;
  char     *ward;
  char     *district;
  char     *province;
  char     *country;
  char     *phone;
  char     *email;
  char     *owner;
  gint64    created;
  gint64    updated;
  gboolean  archived;

  /* related rows */
  GPtrArray *people;
  GPtrArray *deals;
  GPtrArray *recent_interactions;
  GPtrArray *custom_values;
};

G_DEFINE_FINAL_TYPE (CrmCompany, crm_company, G_TYPE_OBJECT)

/* Every property is a company column of the same name, read-only. */
#define STRING_COLUMN(prop, field) { prop, #field, CRM_RECORD_STRING, G_STRUCT_OFFSET (CrmCompany, field) }
#define INT64_COLUMN(prop, field) { prop, #field, CRM_RECORD_INT64, G_STRUCT_OFFSET (CrmCompany, field) }

static const CrmRecordField prop_info[] = {
  INT64_COLUMN ("id", id),
  STRING_COLUMN ("name", name),
  STRING_COLUMN ("tax-code", tax_code),
  STRING_COLUMN ("industry", industry),
  STRING_COLUMN ("size", size),
  STRING_COLUMN ("website", website),
  STRING_COLUMN ("street", street),
  STRING_COLUMN ("ward", ward),
  STRING_COLUMN ("district", district),
  STRING_COLUMN ("province", province),
  STRING_COLUMN ("country", country),
  STRING_COLUMN ("phone", phone),
  STRING_COLUMN ("email", email),
  STRING_COLUMN ("owner", owner),
  INT64_COLUMN ("created", created),
  INT64_COLUMN ("updated", updated),
  { "archived", "archived", CRM_RECORD_BOOLEAN, G_STRUCT_OFFSET (CrmCompany, archived) },
};

static GParamSpec *properties[G_N_ELEMENTS (prop_info) + 1];

/* The text fields of a draft, which are also the company's columns. */
typedef struct
{
  const char *name;
  gsize       offset;
} DraftText;

#define DRAFT_TEXT(field) { #field, G_STRUCT_OFFSET (CrmCompanyDraft, field) }

static const DraftText draft_texts[] = {
  DRAFT_TEXT (name),
  DRAFT_TEXT (tax_code),
  DRAFT_TEXT (industry),
  DRAFT_TEXT (size),
  DRAFT_TEXT (website),
  DRAFT_TEXT (street),
  DRAFT_TEXT (ward),
  DRAFT_TEXT (district),
  DRAFT_TEXT (province),
  DRAFT_TEXT (country),
  DRAFT_TEXT (phone),
  DRAFT_TEXT (email),
  DRAFT_TEXT (owner),
};

/* A save touches the company's row and its custom values, an archive
 * only the first part. */
static const CrmUndoPart company_parts[] = {
  { CRM_UNDO_PART_MAIN, "company", "id = ?1", NULL },
  { CRM_UNDO_PART_OWNED, "custom_value",
    "entity_id = ?1 AND field_id IN (SELECT id FROM custom_field WHERE entity = 'company')",
    NULL },
};

#define ARCHIVE_PARTS 1

/* Helpers */

static void
finalize_stmt (sqlite3_stmt *stmt)
{
  sqlite3_finalize (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, finalize_stmt)

/* Steps a query: 1 for a row, 0 when done, -1 with @error set. */
static int
next_row (CrmStore      *store,
          sqlite3_stmt  *stmt,
          GError       **error)
{
  return crm_store_next_row (store, stmt, _("Cannot read the workspace"), error);
}

static gboolean
run_stmt (CrmStore      *store,
          sqlite3_stmt  *stmt,
          const char    *doing,
          GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (store, error, rc, doing);
      return FALSE;
    }

  return TRUE;
}

void
crm_company_person_free (CrmCompanyPerson *person)
{
  if (person == NULL)
    return;

  g_free (person->display_name);
  g_free (person->job_title);
  g_free (person->email);
  g_free (person->phone);
  g_free (person);
}

/* GObject */

static void
crm_company_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CrmCompany *self = CRM_COMPANY (object);

  if (prop_id == 0 || prop_id > G_N_ELEMENTS (prop_info))
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }

  crm_record_field_get_value (&prop_info[prop_id - 1], self, value);
}

static void
crm_company_finalize (GObject *object)
{
  CrmCompany *self = CRM_COMPANY (object);

  crm_record_fields_free_strings (prop_info, G_N_ELEMENTS (prop_info), self);

  g_clear_pointer (&self->people, g_ptr_array_unref);
  g_clear_pointer (&self->deals, g_ptr_array_unref);
  g_clear_pointer (&self->recent_interactions, g_ptr_array_unref);
  g_clear_pointer (&self->custom_values, g_ptr_array_unref);

  G_OBJECT_CLASS (crm_company_parent_class)->finalize (object);
}

static void
crm_company_class_init (CrmCompanyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = crm_company_get_property;
  object_class->finalize = crm_company_finalize;

  for (guint i = 0; i < G_N_ELEMENTS (prop_info); i++)
    properties[i + 1] = crm_record_field_pspec (&prop_info[i]);

  g_object_class_install_properties (object_class, G_N_ELEMENTS (properties), properties);
}

static void
crm_company_init (CrmCompany *self)
{
  self->people = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_company_person_free);
  self->deals = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_deal_summary_free);
  self->recent_interactions =
    g_ptr_array_new_with_free_func ((GDestroyNotify) crm_interaction_summary_free);
  self->custom_values = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_custom_value_free);
}

/* Loading */

static gboolean
load_main (CrmCompany  *self,
           CrmStore    *store,
           GError     **error)
{
  g_autoptr (GString) sql = g_string_new ("SELECT ");
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  for (guint i = 0; i < G_N_ELEMENTS (prop_info); i++)
    g_string_append_printf (sql, "%s%s", i > 0 ? ", " : "", prop_info[i].column);
  g_string_append (sql, " FROM company WHERE id = ?1");

  stmt = crm_store_prepare (store, sql->str, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, self->id);
  if ((rc = next_row (store, stmt, error)) < 0)
    return FALSE;
  if (rc == 0)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                   _("There is no company %lld"), (long long) self->id);
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (prop_info); i++)
    crm_record_field_read (&prop_info[i], self, stmt, i);

  return TRUE;
}

static gboolean
load_people (CrmCompany  *self,
             CrmStore    *store,
             GError     **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = crm_store_prepare (store,
                            "SELECT c.id, c.display_name, c.job_title, "
                            "(SELECT email FROM contact_email WHERE contact_id = c.id "
                            " ORDER BY is_primary DESC, id LIMIT 1), "
                            "(SELECT e164 FROM contact_phone WHERE contact_id = c.id "
                            " ORDER BY is_primary DESC, id LIMIT 1), c.archived "
                            "FROM contact c WHERE c.company_id = ?1 "
                            "ORDER BY c.archived, c.sort_given, c.id",
                            error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, self->id);
  while ((rc = next_row (store, stmt, error)) > 0)
    {
      CrmCompanyPerson *person = g_new0 (CrmCompanyPerson, 1);

      person->id = sqlite3_column_int64 (stmt, 0);
      person->display_name = crm_column_dup (stmt, 1);
      person->job_title = crm_column_dup (stmt, 2);
      person->email = crm_column_dup (stmt, 3);
      person->phone = crm_column_dup (stmt, 4);
      person->archived = sqlite3_column_int (stmt, 5) != 0;
      g_ptr_array_add (self->people, person);
    }

  return rc == 0;
}

static gboolean
load_deals (CrmCompany  *self,
            CrmStore    *store,
            GError     **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = crm_store_prepare (store,
                            "SELECT d.id, d.title, d.value, d.currency, s.name, d.status, "
                            "d.contact_id, c.display_name, d.expected_close "
                            "FROM deal d JOIN stage s ON s.id = d.stage_id "
                            "LEFT JOIN contact c ON c.id = d.contact_id "
                            "WHERE d.company_id = ?1 AND d.archived = 0 "
                            "ORDER BY d.status = 'open' DESC, d.updated DESC, d.id DESC",
                            error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, self->id);
  while ((rc = next_row (store, stmt, error)) > 0)
    {
      CrmDealSummary *deal = g_new0 (CrmDealSummary, 1);

      deal->id = sqlite3_column_int64 (stmt, 0);
      deal->title = crm_column_dup (stmt, 1);
      deal->value = sqlite3_column_int64 (stmt, 2);
      deal->currency = crm_column_dup (stmt, 3);
      deal->stage = g_strdup (crm_translate_builtin ((const char *) sqlite3_column_text (stmt, 4),
                                                    TRUE));
      deal->status = crm_column_dup (stmt, 5);
      deal->contact_id = sqlite3_column_int64 (stmt, 6);
      deal->contact_name = crm_column_dup (stmt, 7);
      deal->expected_close = crm_column_dup (stmt, 8);
      g_ptr_array_add (self->deals, deal);
    }

  return rc == 0;
}

static gboolean
load_interactions (CrmCompany  *self,
                   CrmStore    *store,
                   GError     **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = crm_store_prepare (store,
                            "SELECT i.id, i.contact_id, i.kind, i.subject, i.body, i.happened, "
                            "i.sentiment, i.satisfaction, i.amount, i.currency, c.display_name "
                            "FROM contact c JOIN interaction i ON i.contact_id = c.id "
                            "WHERE c.company_id = ?1 ORDER BY i.happened DESC, i.id DESC "
                            "LIMIT " G_STRINGIFY (CRM_COMPANY_RECENT_INTERACTIONS),
                            error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, self->id);
  while ((rc = next_row (store, stmt, error)) > 0)
    g_ptr_array_add (self->recent_interactions, crm_interaction_summary_from_row (stmt));

  return rc == 0;
}

static gboolean
load_custom (CrmCompany  *self,
             CrmStore    *store,
             GError     **error)
{
  g_autoptr (GPtrArray) custom = NULL;

  custom = crm_record_load_custom_values (store, CRM_FIELD_ENTITY_COMPANY, self->id,
                                          _("Cannot read the workspace"), error);
  if (custom == NULL)
    return FALSE;
  g_ptr_array_extend_and_steal (self->custom_values, g_steal_pointer (&custom));

  return TRUE;
}

/**
 * crm_company_load:
 *
 * Reads a company with its people, its deals, its people's latest
 * interactions and its custom values.
 *
 * Returns: (transfer full): the company, or %NULL with @error set
 *   (CRM_STORE_ERROR_NOT_FOUND when there is no such company)
 */
CrmCompany *
crm_company_load (CrmStore  *store,
                  gint64     id,
                  GError   **error)
{
  g_autoptr (CrmCompany) self = NULL;

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);

  self = g_object_new (CRM_TYPE_COMPANY, NULL);
  self->id = id;

  if (!load_main (self, store, error)
      || !load_people (self, store, error)
      || !load_deals (self, store, error)
      || !load_interactions (self, store, error)
      || !load_custom (self, store, error))
    return NULL;

  return g_steal_pointer (&self);
}

#define STRING_GETTER(field) \
  const char * \
  crm_company_get_##field (CrmCompany *self) \
  { \
    g_return_val_if_fail (CRM_IS_COMPANY (self), NULL); \
    return self->field; \
  }

#define VALUE_GETTER(type, field) \
  type \
  crm_company_get_##field (CrmCompany *self) \
  { \
    g_return_val_if_fail (CRM_IS_COMPANY (self), 0); \
    return self->field; \
  }

VALUE_GETTER (gint64, id)
STRING_GETTER (name)
STRING_GETTER (tax_code)
STRING_GETTER (industry)
STRING_GETTER (size)
STRING_GETTER (website)
STRING_GETTER (street)
STRING_GETTER (ward)
STRING_GETTER (district)
STRING_GETTER (province)
STRING_GETTER (country)
STRING_GETTER (phone)
STRING_GETTER (email)
STRING_GETTER (owner)
VALUE_GETTER (gint64, created)
VALUE_GETTER (gint64, updated)
VALUE_GETTER (gboolean, archived)
VALUE_GETTER (GPtrArray *, people)
VALUE_GETTER (GPtrArray *, deals)
VALUE_GETTER (GPtrArray *, recent_interactions)
VALUE_GETTER (GPtrArray *, custom_values)

/**
 * crm_company_get_custom_value:
 * @key: a custom field's key
 *
 * Returns: (nullable): the stored value, or %NULL when it is not set or
 *   companies have no such field
 */
const char *
crm_company_get_custom_value (CrmCompany *self,
                              const char *key)
{
  g_return_val_if_fail (CRM_IS_COMPANY (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  for (guint i = 0; i < self->custom_values->len; i++)
    {
      CrmCustomValue *value = g_ptr_array_index (self->custom_values, i);

      if (g_str_equal (value->key, key))
        return value->value;
    }

  return NULL;
}

/* Drafts */

static const DraftText *
find_draft_text (const char *field)
{
  for (guint i = 0; i < G_N_ELEMENTS (draft_texts); i++)
    {
      if (g_str_equal (draft_texts[i].name, field))
        return &draft_texts[i];
    }

  return NULL;
}

CrmCompanyDraft *
crm_company_draft_new (void)
{
  CrmCompanyDraft *draft = g_new0 (CrmCompanyDraft, 1);

  draft->custom = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  return draft;
}

CrmCompanyDraft *
crm_company_draft_new_from_company (CrmCompany *company)
{
  CrmCompanyDraft *draft = crm_company_draft_new ();

  g_return_val_if_fail (CRM_IS_COMPANY (company), draft);

  draft->id = company->id;
  for (guint i = 0; i < G_N_ELEMENTS (draft_texts); i++)
    {
      const CrmRecordField *info = NULL;

      for (guint j = 0; j < G_N_ELEMENTS (prop_info) && info == NULL; j++)
        {
          if (g_str_equal (prop_info[j].column, draft_texts[i].name))
            info = &prop_info[j];
        }
      g_assert (info != NULL);

      G_STRUCT_MEMBER (char *, draft, draft_texts[i].offset) =
        g_strdup (G_STRUCT_MEMBER (char *, company, info->offset));
    }

  for (guint i = 0; i < company->custom_values->len; i++)
    {
      CrmCustomValue *value = g_ptr_array_index (company->custom_values, i);

      if (value->value != NULL)
        crm_company_draft_set_custom (draft, value->key, value->value);
    }

  return draft;
}

void
crm_company_draft_free (CrmCompanyDraft *draft)
{
  if (draft == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (draft_texts); i++)
    g_free (G_STRUCT_MEMBER (char *, draft, draft_texts[i].offset));
  g_clear_pointer (&draft->custom, g_hash_table_unref);
  g_free (draft);
}

/**
 * crm_company_draft_set_text:
 * @field: a column: "name", "tax_code", "website", …
 *
 * Returns: %FALSE when the draft has no such field
 */
gboolean
crm_company_draft_set_text (CrmCompanyDraft *draft,
                            const char      *field,
                            const char      *text)
{
  const DraftText *info = find_draft_text (field);
  char **slot;

  g_return_val_if_fail (draft != NULL, FALSE);

  if (info == NULL)
    return FALSE;

  slot = &G_STRUCT_MEMBER (char *, draft, info->offset);
  g_free (*slot);
  *slot = g_strdup (text);

  return TRUE;
}

const char *
crm_company_draft_get_text (CrmCompanyDraft *draft,
                            const char      *field)
{
  const DraftText *info = find_draft_text (field);

  g_return_val_if_fail (draft != NULL, NULL);

  return info != NULL ? G_STRUCT_MEMBER (char *, draft, info->offset) : NULL;
}

/**
 * crm_company_draft_set_custom:
 * @key: a custom field of companies
 * @text: (nullable): the value as typed; %NULL or "" clears it
 */
void
crm_company_draft_set_custom (CrmCompanyDraft *draft,
                              const char      *key,
                              const char      *text)
{
  g_return_if_fail (draft != NULL);
  g_return_if_fail (key != NULL);

  g_hash_table_replace (draft->custom, g_strdup (key), g_strdup (text != NULL ? text : ""));
}

/**
 * crm_company_normalize_value:
 * @field: a draft field: "name", "tax_code", "phone", "email", …
 *
 * The value as it will be stored, to show before it is saved. Blank text
 * gives "".
 *
 * Returns: (transfer full): the value, or %NULL with @error set to a
 *   one-line message
 */
char *
crm_company_normalize_value (const char  *field,
                             const char  *text,
                             GError     **error)
{
  g_return_val_if_fail (field != NULL, NULL);

  if (crm_text_is_blank (text))
    return g_strdup ("");

  if (g_str_equal (field, "tax_code"))
    return crm_normalize_tax_code (text, error);
  if (g_str_equal (field, "phone"))
    return crm_normalize_phone (text, error);
  if (g_str_equal (field, "email"))
    return crm_normalize_email (text, error);
  if (g_str_equal (field, "name"))
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (text));
      g_auto (GStrv) words = g_regex_split_simple ("\\s+", trimmed, 0, 0);

      return g_strjoinv (" ", words);
    }

  return g_strstrip (g_strdup (text));
}

static void
add_problem (GPtrArray  *problems,
             const char *field,
             const char *value,
             const char *message)
{
  CrmFieldProblem *problem = g_new0 (CrmFieldProblem, 1);

  problem->field = g_strdup (field);
  problem->index = -1;
  problem->value = g_strdup (value != NULL ? value : "");
  problem->message = g_strdup (message);
  g_ptr_array_add (problems, problem);
}

static const CrmCustomField *
find_custom_field (GPtrArray  *fields,
                   const char *key)
{
  for (guint i = 0; i < fields->len; i++)
    {
      const CrmCustomField *field = g_ptr_array_index (fields, i);

      if (g_str_equal (field->key, key))
        return field;
    }

  return NULL;
}

/* Each custom value as stored for its field's type, a problem "custom:KEY"
 * for each one that cannot be. Without the store the types are not known
 * and the text is kept. */
static void
normalize_custom (CrmCompanyDraft *draft,
                  CrmStore        *store,
                  CrmCompanyDraft *clean,
                  GPtrArray       *problems)
{
  g_autoptr (GList) keys = g_list_sort (g_hash_table_get_keys (draft->custom),
                                        (GCompareFunc) strcmp);
  g_autoptr (GPtrArray) fields = NULL;
  g_autoptr (GError) error = NULL;

  if (store != NULL && keys != NULL)
    {
      fields = crm_custom_fields_list (store, CRM_FIELD_ENTITY_COMPANY, &error);
      if (fields == NULL)
        {
          add_problem (problems, "custom", NULL, error->message);
          return;
        }
    }

  for (GList *l = keys; l != NULL; l = l->next)
    {
      const char *key = l->data;
      const char *text = g_hash_table_lookup (draft->custom, key);
      g_autofree char *field = g_strconcat ("custom:", key, NULL);
      const CrmCustomField *info;
      char *value;

      if (crm_text_is_blank (text))
        continue;

      if (fields == NULL)
        {
          g_hash_table_replace (clean->custom, g_strdup (key), g_strstrip (g_strdup (text)));
          continue;
        }

      info = find_custom_field (fields, key);
      if (info == NULL)
        {
          g_autofree char *message = g_strdup_printf (_("There is no custom field “%s”"), key);

          add_problem (problems, field, text, message);
          continue;
        }

      g_clear_error (&error);
      value = crm_custom_field_normalize_value (info, text, &error);
      if (value == NULL)
        add_problem (problems, field, text, error->message);
      else
        g_hash_table_replace (clean->custom, g_strdup (key), value);
    }
}

static CrmCompanyDraft *
normalize_draft (CrmCompanyDraft *draft,
                 CrmStore        *store,
                 GPtrArray       *problems)
{
  g_autoptr (CrmCompanyDraft) clean = crm_company_draft_new ();

  clean->id = draft->id;
  for (guint i = 0; i < G_N_ELEMENTS (draft_texts); i++)
    {
      const char *name = draft_texts[i].name;
      const char *text = G_STRUCT_MEMBER (char *, draft, draft_texts[i].offset);
      g_autoptr (GError) error = NULL;
      char *value = crm_company_normalize_value (name, text, &error);

      if (value == NULL)
        {
          CrmFieldProblem *problem = g_new0 (CrmFieldProblem, 1);

          problem->field = g_strdup (name);
          problem->index = -1;
          problem->value = g_strdup (text);
          problem->message = g_strdup (error->message);
          g_ptr_array_add (problems, problem);
        }
      G_STRUCT_MEMBER (char *, clean, draft_texts[i].offset) = value;
    }

  if (crm_text_is_blank (clean->name))
    {
      CrmFieldProblem *problem = g_new0 (CrmFieldProblem, 1);

      problem->field = g_strdup ("name");
      problem->index = -1;
      problem->value = g_strdup (draft->name != NULL ? draft->name : "");
      problem->message = g_strdup (_("A company needs a name"));
      g_ptr_array_insert (problems, 0, problem);
    }

  normalize_custom (draft, store, clean, problems);

  return g_steal_pointer (&clean);
}

/**
 * crm_company_draft_validate:
 * @problems: (out) (optional) (element-type CrmFieldProblem): every problem
 *
 * Checks the draft without the workspace: custom values are taken as
 * typed. crm_company_draft_validate_in() checks them too.
 *
 * Returns: %TRUE when the draft can be saved
 */
gboolean
crm_company_draft_validate (CrmCompanyDraft  *draft,
                            GPtrArray       **problems)
{
  return crm_company_draft_validate_in (draft, NULL, problems);
}

/**
 * crm_company_draft_validate_in:
 * @store: (nullable): the workspace, to check the custom values against
 *   the custom fields of companies
 * @problems: (out) (optional) (element-type CrmFieldProblem): every
 *   problem; a custom value's field is "custom:KEY"
 *
 * Returns: %TRUE when the draft can be saved
 */
gboolean
crm_company_draft_validate_in (CrmCompanyDraft  *draft,
                               CrmStore         *store,
                               GPtrArray       **problems)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_field_problem_free);
  g_autoptr (CrmCompanyDraft) clean = NULL;
  gboolean valid;

  g_return_val_if_fail (draft != NULL, FALSE);
  g_return_val_if_fail (store == NULL || CRM_IS_STORE (store), FALSE);

  clean = normalize_draft (draft, store, found);
  valid = found->len == 0;
  if (problems != NULL)
    *problems = g_steal_pointer (&found);

  return valid;
}

static gint64
write_company (CrmStore         *store,
               CrmCompanyDraft  *clean,
               GError          **error)
{
  g_autoptr (GString) sql = g_string_new (NULL);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  const guint n = G_N_ELEMENTS (draft_texts);

  if (clean->id > 0)
    {
      g_string_append (sql, "UPDATE company SET ");
      for (guint i = 0; i < n; i++)
        g_string_append_printf (sql, "%s = ?%u, ", draft_texts[i].name, i + 1);
      g_string_append_printf (sql, "updated = unixepoch() WHERE id = ?%u", n + 1);
    }
  else
    {
      g_string_append (sql, "INSERT INTO company (");
      for (guint i = 0; i < n; i++)
        g_string_append_printf (sql, "%s%s", i > 0 ? ", " : "", draft_texts[i].name);
      g_string_append (sql, ") VALUES (");
      for (guint i = 0; i < n; i++)
        g_string_append_printf (sql, "%s?%u", i > 0 ? ", " : "", i + 1);
      g_string_append (sql, ")");
    }

  stmt = crm_store_prepare (store, sql->str, error);
  if (stmt == NULL)
    return 0;

  for (guint i = 0; i < n; i++)
    {
      const char *value = G_STRUCT_MEMBER (char *, clean, draft_texts[i].offset);

      if (value != NULL && *value != '\0')
        sqlite3_bind_text (stmt, i + 1, value, -1, SQLITE_TRANSIENT);
    }
  if (clean->id > 0)
    sqlite3_bind_int64 (stmt, n + 1, clean->id);

  if (!run_stmt (store, stmt, _("Cannot save the company"), error))
    return 0;

  if (clean->id == 0)
    return sqlite3_last_insert_rowid (crm_store_get_db (store));

  if (sqlite3_changes (crm_store_get_db (store)) == 0)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                   _("There is no company %lld"), (long long) clean->id);
      return 0;
    }

  return clean->id;
}

/* Replaces the company's custom values with the draft's. */
static gboolean
write_custom (CrmStore         *store,
              gint64            id,
              CrmCompanyDraft  *clean,
              GError          **error)
{
  return crm_record_write_custom_values (store, CRM_FIELD_ENTITY_COMPANY, id, clean->custom,
                                         _("Cannot save the company"), error);
}

/**
 * crm_company_save:
 * @undo: (out) (optional): how to put back what was there before
 *
 * Validates and normalises the draft (the name is required; the tax code,
 * phone number, email address and custom values are checked and
 * normalised) and writes it with its custom values (all replaced) in one
 * transaction.
 *
 * Returns: the company's id, or 0 with @error set
 */
gint64
crm_company_save (CrmStore         *store,
                  CrmCompanyDraft  *draft,
                  CrmUndo         **undo,
                  GError          **error)
{
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_field_problem_free);
  g_autoptr (CrmCompanyDraft) clean = NULL;
  g_autoptr (CrmUndo) before = NULL;
  gint64 id = 0;

  g_return_val_if_fail (CRM_IS_STORE (store), 0);
  g_return_val_if_fail (draft != NULL, 0);

  clean = normalize_draft (draft, store, problems);
  if (problems->len > 0)
    {
      CrmFieldProblem *first = g_ptr_array_index (problems, 0);

      g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID, first->message);
      return 0;
    }

  if (!crm_store_begin (store, error))
    return 0;

  before = crm_undo_capture (store, "company", clean->id, company_parts,
                             G_N_ELEMENTS (company_parts), error);
  if (before == NULL
      || (id = write_company (store, clean, error)) == 0
      || !write_custom (store, id, clean, error))
    {
      crm_store_rollback (store);
      return 0;
    }

  if (!crm_store_commit (store, error))
    return 0;

  crm_undo_set_id (before, id);
  if (undo != NULL)
    *undo = g_steal_pointer (&before);
  crm_store_emit_changed (store, "company", id);

  return id;
}

/**
 * crm_company_set_archived:
 * @undo: (out) (optional): how to put the company back as it was
 */
gboolean
crm_company_set_archived (CrmStore  *store,
                          gint64     id,
                          gboolean   archived,
                          CrmUndo  **undo,
                          GError   **error)
{
  g_autoptr (CrmUndo) before = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);

  if (!crm_store_begin (store, error))
    return FALSE;

  before = crm_undo_capture (store, "company", id, company_parts, ARCHIVE_PARTS, error);
  if (before == NULL)
    goto fail;

  stmt = crm_store_prepare (store, "UPDATE company SET archived = ?2, updated = unixepoch() "
                                   "WHERE id = ?1",
                            error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int (stmt, 2, archived ? 1 : 0);
  if (!run_stmt (store, stmt, _("Cannot archive the company"), error))
    goto fail;
  if (sqlite3_changes (crm_store_get_db (store)) == 0)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                   _("There is no company %lld"), (long long) id);
      goto fail;
    }

  g_clear_pointer (&stmt, sqlite3_finalize);
  if (!crm_store_commit (store, error))
    return FALSE;

  if (undo != NULL)
    *undo = g_steal_pointer (&before);
  crm_store_emit_changed (store, "company", id);
  return TRUE;

fail:
  crm_store_rollback (store);
  return FALSE;
}

/**
 * crm_company_export_json:
 *
 * The company with every column, its custom values, its people, its deals
 * and its people's latest interactions, as rapport-cli company show --json
 * prints it.
 *
 * Returns: (transfer full): the JSON text, or %NULL with @error set
 */
char *
crm_company_export_json (CrmStore  *store,
                         gint64     id,
                         GError   **error)
{
  g_autoptr (CrmCompany) company = NULL;
  g_autoptr (JsonBuilder) builder = NULL;

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);

  company = crm_company_load (store, id, error);
  if (company == NULL)
    return NULL;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, "rapport-company");
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, 1);

  json_builder_set_member_name (builder, "company");
  if (!crm_export_rows (store, builder, NULL, "SELECT * FROM company WHERE id = ?1", id, error))
    return NULL;

  crm_export_custom_values (builder, company->custom_values);

  if (!crm_export_rows (store, builder, "people",
                           "SELECT c.id, c.display_name, c.job_title, c.archived, "
                           "(SELECT email FROM contact_email WHERE contact_id = c.id "
                           " ORDER BY is_primary DESC, id LIMIT 1) AS email, "
                           "(SELECT e164 FROM contact_phone WHERE contact_id = c.id "
                           " ORDER BY is_primary DESC, id LIMIT 1) AS phone "
                           "FROM contact c WHERE c.company_id = ?1 "
                           "ORDER BY c.archived, c.sort_given, c.id",
                           id, error)
      || !crm_export_rows (store, builder, "deals",
                           "SELECT d.*, s.name AS stage FROM deal d "
                           "JOIN stage s ON s.id = d.stage_id "
                           "WHERE d.company_id = ?1 ORDER BY d.id",
                           id, error)
      || !crm_export_rows (store, builder, "recent_interactions",
                           "SELECT i.*, c.display_name AS contact_name "
                           "FROM contact c JOIN interaction i ON i.contact_id = c.id "
                           "WHERE c.company_id = ?1 ORDER BY i.happened DESC, i.id DESC "
                           "LIMIT " G_STRINGIFY (CRM_COMPANY_RECENT_INTERACTIONS),
                           id, error))
    return NULL;

  json_builder_end_object (builder);
  return crm_json_to_string (builder);
}

/**
 * crm_companies_find_by_tax_code:
 * @tax_code: a normalised tax code
 * @exclude_id: the company being edited, or 0
 * @name: (out) (optional): the other company's name
 *
 * Returns: the id of another company with this tax code, or 0
 */
gint64
crm_companies_find_by_tax_code (CrmStore    *store,
                                const char  *tax_code,
                                gint64       exclude_id,
                                char       **name,
                                GError     **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gint64 id = 0;

  g_return_val_if_fail (CRM_IS_STORE (store), 0);

  if (name != NULL)
    *name = NULL;

  stmt = crm_store_prepare (store,
                            "SELECT id, name FROM company WHERE tax_code = ?1 AND id IS NOT ?2 "
                            "ORDER BY archived, id LIMIT 1",
                            error);
  if (stmt == NULL)
    return 0;

  sqlite3_bind_text (stmt, 1, tax_code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, exclude_id);
  if (next_row (store, stmt, error) > 0)
    {
      id = sqlite3_column_int64 (stmt, 0);
      if (name != NULL)
        *name = crm_column_dup (stmt, 1);
    }

  return id;
}
