/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-deal"

#include "config.h"
#include "crm-text.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "crm-deal.h"
#include "crm-fields.h"
#include "crm-pipeline.h"
#include "crm-record.h"
#include "crm-search.h"

/* A new deal, or one saved into another stage, goes one gap after the
 * stage's last card (see CRM_DEAL_POSITION_GAP). */
#define DEAL_POSITION_GAP "65536"
G_STATIC_ASSERT (CRM_DEAL_POSITION_GAP == 65536);

static void
finalize_stmt (sqlite3_stmt *stmt)
{
  sqlite3_finalize (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, finalize_stmt)

CrmDealDraft *
crm_deal_draft_new (void)
{
  CrmDealDraft *draft = g_new0 (CrmDealDraft, 1);

  draft->currency = g_strdup ("VND");
  draft->tags = g_ptr_array_new_with_free_func (g_free);
  draft->custom = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return draft;
}

void
crm_deal_draft_free (CrmDealDraft *draft)
{
  if (draft == NULL)
    return;

  g_free (draft->title);
  g_free (draft->value);
  g_free (draft->currency);
  g_free (draft->expected_close);
  g_free (draft->owner);
  g_free (draft->notes);
  g_free (draft->lost_reason);
  g_clear_pointer (&draft->tags, g_ptr_array_unref);
  g_clear_pointer (&draft->custom, g_hash_table_unref);
  g_free (draft);
}

void
crm_deal_draft_add_tag (CrmDealDraft *draft,
                        const char   *name)
{
  g_return_if_fail (draft != NULL);
  g_return_if_fail (name != NULL);

  if (draft->tags == NULL)
    draft->tags = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (draft->tags, g_strdup (name));
}

void
crm_deal_draft_set_custom (CrmDealDraft *draft,
                           const char   *key,
                           const char   *text)
{
  g_return_if_fail (draft != NULL);
  g_return_if_fail (key != NULL);

  if (draft->custom == NULL)
    draft->custom = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_replace (draft->custom, g_strdup (key), g_strdup (text != NULL ? text : ""));
}

static char *
text_or_null (sqlite3_stmt *stmt,
              int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

/* @minor in major units with a plain point: 12500000 VND → "12500000",
 * 123450 USD → "1234.50"; what crm_deal_parse_value() reads back. */
static char *
value_to_text (gint64      minor,
               const char *currency)
{
  int digits = crm_currency_minor_digits (currency);
  gint64 scale = 1;
  guint64 magnitude = minor < 0 ? (guint64) (-(minor + 1)) + 1 : (guint64) minor;

  for (int i = 0; i < digits; i++)
    scale *= 10;

  if (digits == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT, minor);

  return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%0*" G_GUINT64_FORMAT, minor < 0 ? "-" : "",
                          magnitude / (guint64) scale, digits, magnitude % (guint64) scale);
}

/* The deal's tags, by folded name, and the values its custom fields have. */
static gboolean
load_tags_and_custom (CrmStore      *store,
                      CrmDealDraft  *draft,
                      GError       **error)
{
  g_autoptr (sqlite3_stmt) tags = NULL;
  g_autoptr (sqlite3_stmt) custom = NULL;
  int rc;

  tags = crm_store_prepare (store,
                            "SELECT t.name FROM deal_tag dt JOIN tag t ON t.id = dt.tag_id "
                            "WHERE dt.deal_id = ?1 ORDER BY crm_fold(t.name), t.id",
                            error);
  if (tags == NULL)
    return FALSE;
  sqlite3_bind_int64 (tags, 1, draft->id);
  while ((rc = sqlite3_step (tags)) == SQLITE_ROW)
    crm_deal_draft_add_tag (draft, (const char *) sqlite3_column_text (tags, 0));
  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (store, error, rc, _("Cannot read the deal’s tags"));
      return FALSE;
    }

  custom = crm_store_prepare (store,
                              "SELECT f.key, v.value FROM custom_value v "
                              "JOIN custom_field f ON f.id = v.field_id "
                              "WHERE f.entity = 'deal' AND v.entity_id = ?1 "
                              "AND v.value IS NOT NULL AND v.value != ''",
                              error);
  if (custom == NULL)
    return FALSE;
  sqlite3_bind_int64 (custom, 1, draft->id);
  while ((rc = sqlite3_step (custom)) == SQLITE_ROW)
    crm_deal_draft_set_custom (draft, (const char *) sqlite3_column_text (custom, 0),
                               (const char *) sqlite3_column_text (custom, 1));
  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (store, error, rc, _("Cannot read the deal’s custom fields"));
      return FALSE;
    }

  return TRUE;
}

/**
 * crm_deal_draft_load:
 *
 * Returns: (transfer full): the deal as a draft, or %NULL with @error set
 */
CrmDealDraft *
crm_deal_draft_load (CrmStore  *store,
                     gint64     id,
                     GError   **error)
{
  g_autoptr (CrmDealDraft) draft = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);

  stmt = crm_store_prepare (store,
                            "SELECT title, value, currency, stage_id, expected_close, owner, "
                            "notes, lost_reason, contact_id, company_id FROM deal WHERE id = ?1",
                            error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      draft = crm_deal_draft_new ();
      draft->id = id;
      draft->title = text_or_null (stmt, 0);
      g_free (draft->currency);
      draft->currency = text_or_null (stmt, 2);
      draft->value = value_to_text (sqlite3_column_int64 (stmt, 1), draft->currency);
      draft->stage_id = sqlite3_column_int64 (stmt, 3);
      draft->expected_close = text_or_null (stmt, 4);
      draft->owner = text_or_null (stmt, 5);
      draft->notes = text_or_null (stmt, 6);
      draft->lost_reason = text_or_null (stmt, 7);
      draft->contact_id = sqlite3_column_int64 (stmt, 8);
      draft->company_id = sqlite3_column_int64 (stmt, 9);
    }
  sqlite3_finalize (stmt);

  if (rc == SQLITE_DONE)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                   _("The deal no longer exists"));
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      crm_store_set_error (store, error, rc, _("Cannot read the deal"));
      return NULL;
    }

  if (!load_tags_and_custom (store, draft, error))
    return NULL;

  return g_steal_pointer (&draft);
}

gboolean
crm_deal_parse_value (const char  *text,
                      const char  *currency,
                      gint64      *minor,
                      GError     **error)
{
  int digits = crm_currency_minor_digits (currency != NULL ? currency : "VND");
  g_autofree char *clean = g_strstrip (g_strdup (text != NULL ? text : ""));
  g_autoptr (GString) whole = g_string_new (NULL);
  const char *last_sep = NULL;
  const char *start = clean;
  const char *fraction = "";
  guint64 result = 0;
  int n_fraction;

  g_return_val_if_fail (minor != NULL, FALSE);

  if (*clean == '\0')
    {
      *minor = 0;
      return TRUE;
    }

  for (const char *p = clean; *p != '\0'; p++)
    if (*p == '.' || *p == ',')
      last_sep = p;

  n_fraction = last_sep != NULL ? (int) strlen (last_sep + 1) : 0;
  if (last_sep != NULL && n_fraction <= digits && n_fraction > 0)
    fraction = last_sep + 1;
  else
    last_sep = NULL;

  for (const char *p = start; *p != '\0' && p != last_sep; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (whole, *p);
      else if (*p != '.' && *p != ',' && *p != ' ')
        goto invalid;
    }
  for (const char *p = fraction; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      goto invalid;

  if (whole->len == 0 && *fraction == '\0')
    goto invalid;
  if (whole->len > 15)
    goto invalid;

  for (gsize i = 0; i < whole->len; i++)
    result = result * 10 + (guint64) (whole->str[i] - '0');
  for (int i = 0; i < digits; i++)
    result = result * 10 + (guint64) (i < (int) strlen (fraction) ? fraction[i] - '0' : 0);

  *minor = (gint64) result;
  return TRUE;

invalid:
  if (digits == 0)
    g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                 _("“%s” is not an amount in %s; write whole numbers like 12.500.000"),
                 clean, currency != NULL ? currency : "VND");
  else
    g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                 _("“%s” is not an amount in %s; write it like 1,234.50"),
                 clean, currency);
  return FALSE;
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
  problem->value = g_strdup (value);
  problem->message = g_strdup (message);
  g_ptr_array_add (problems, problem);
}

/* The kind of @stage_id, or -1 when there is no such stage. */
static int
stage_kind (CrmStore *store,
            gint64    stage_id)
{
  sqlite3_stmt *stmt = crm_store_prepare (store, "SELECT kind FROM stage WHERE id = ?1", NULL);
  int kind = -1;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, stage_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *text = (const char *) sqlite3_column_text (stmt, 0);

      kind = g_strcmp0 (text, "won") == 0    ? CRM_STAGE_WON
             : g_strcmp0 (text, "lost") == 0 ? CRM_STAGE_LOST
                                              : CRM_STAGE_OPEN;
    }
  sqlite3_finalize (stmt);
  return kind;
}

static gboolean
is_currency_code (const char *code)
{
  if (code == NULL || strlen (code) != 3)
    return FALSE;
  for (int i = 0; i < 3; i++)
    if (!g_ascii_isupper (code[i]))
      return FALSE;
  return TRUE;
}

static gboolean
row_exists (CrmStore   *store,
            const char *sql,
            gint64      id)
{
  g_autoptr (sqlite3_stmt) stmt = crm_store_prepare (store, sql, NULL);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

/* A tag name: surrounding blanks dropped, inner runs of blanks made one
 * space. */
static char *
normalize_tag (const char *text)
{
  g_auto (GStrv) words = g_strsplit_set (text != NULL ? text : "", " \t\r\n", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (*words[i] == '\0')
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, words[i]);
    }
  return g_string_free (out, FALSE);
}

/* The tags as they will be stored: blank ones dropped, and the same tag
 * twice, whatever its case, kept once. */
static GPtrArray *
clean_tags (CrmDealDraft *draft)
{
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *tags = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; draft->tags != NULL && i < draft->tags->len; i++)
    {
      char *tag = normalize_tag (g_ptr_array_index (draft->tags, i));

      if (*tag == '\0' || !g_hash_table_add (seen, g_utf8_casefold (tag, -1)))
        g_free (tag);
      else
        g_ptr_array_add (tags, tag);
    }
  return tags;
}

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  return strcmp (a, b);
}

/* The custom values as they will be stored (field key → normalised text,
 * "" for none), each problem noted on "custom:KEY". */
static GHashTable *
clean_custom (CrmDealDraft *draft,
              CrmStore     *store,
              GPtrArray    *problems)
{
  g_autoptr (GError) list_error = NULL;
  g_autoptr (GPtrArray) fields = NULL;
  g_autoptr (GList) keys = NULL;
  GHashTable *clean = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  if (draft->custom == NULL || g_hash_table_size (draft->custom) == 0)
    return clean;

  fields = crm_custom_fields_list (store, CRM_FIELD_ENTITY_DEAL, &list_error);
  keys = g_list_sort (g_hash_table_get_keys (draft->custom), compare_keys);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      const char *key = l->data;
      const char *text = g_hash_table_lookup (draft->custom, key);
      g_autofree char *field_name = g_strconcat ("custom:", key, NULL);
      const CrmCustomField *field = NULL;
      g_autoptr (GError) error = NULL;
      char *value;

      if (crm_text_is_blank (text))
        {
          g_hash_table_replace (clean, g_strdup (key), g_strdup (""));
          continue;
        }

      if (fields == NULL)
        {
          add_problem (problems, field_name, text, list_error->message);
          continue;
        }

      for (guint i = 0; i < fields->len && field == NULL; i++)
        {
          const CrmCustomField *candidate = g_ptr_array_index (fields, i);

          if (g_strcmp0 (candidate->key, key) == 0)
            field = candidate;
        }
      if (field == NULL)
        {
          g_autofree char *message = g_strdup_printf (_("There is no custom field “%s”"), key);

          add_problem (problems, field_name, text, message);
          continue;
        }

      value = crm_custom_field_normalize_value (field, text, &error);
      if (value == NULL)
        add_problem (problems, field_name, text, error->message);
      else
        g_hash_table_replace (clean, g_strdup (key), value);
    }

  return clean;
}

gboolean
crm_deal_draft_validate (CrmDealDraft  *draft,
                         CrmStore      *store,
                         GPtrArray    **problems)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_field_problem_free);
  g_autoptr (GHashTable) custom = NULL;
  gboolean currency_ok;
  gboolean ok;
  int kind;

  g_return_val_if_fail (draft != NULL, FALSE);
  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);

  if (crm_text_is_blank (draft->title))
    add_problem (found, "title", draft->title, _("A deal needs a title"));

  currency_ok = is_currency_code (draft->currency);
  if (!currency_ok)
    add_problem (found, "currency", draft->currency,
                 _("The currency must be a three-letter code such as VND or USD"));
  else
    {
      g_autoptr (GError) error = NULL;
      gint64 minor;

      if (!crm_deal_parse_value (draft->value, draft->currency, &minor, &error))
        add_problem (found, "value", draft->value, error->message);
    }

  kind = stage_kind (store, draft->stage_id);
  if (kind < 0)
    add_problem (found, "stage", NULL, _("Choose a stage for the deal"));
  else if (kind == CRM_STAGE_LOST && crm_text_is_blank (draft->lost_reason))
    add_problem (found, "lost_reason", draft->lost_reason,
                 _("A lost deal needs the reason it was lost"));

  if (!crm_text_is_blank (draft->expected_close))
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *date = crm_date_normalize (draft->expected_close, &error);

      if (date == NULL)
        add_problem (found, "expected_close", draft->expected_close, error->message);
    }

  if (draft->contact_id != 0
      && !row_exists (store, "SELECT 1 FROM contact WHERE id = ?1", draft->contact_id))
    add_problem (found, "contact", NULL, _("The chosen contact no longer exists"));
  if (draft->company_id != 0
      && !row_exists (store, "SELECT 1 FROM company WHERE id = ?1", draft->company_id))
    add_problem (found, "company", NULL, _("The chosen company no longer exists"));

  custom = clean_custom (draft, store, found);

  ok = found->len == 0;
  if (problems != NULL)
    *problems = ok ? NULL : g_steal_pointer (&found);
  return ok;
}

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           index,
                   const char   *text)
{
  if (crm_text_is_blank (text))
    sqlite3_bind_null (stmt, index);
  else
    {
      g_autofree char *clean = g_strstrip (g_strdup (text));

      sqlite3_bind_text (stmt, index, clean, -1, SQLITE_TRANSIENT);
    }
}

static gboolean
step_done (CrmStore      *store,
           sqlite3_stmt  *stmt,
           const char    *doing,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (store, error, rc, doing);
      return FALSE;
    }
  return TRUE;
}

/* The id of the tag with this name, whatever its case; made when there is
 * none. */
static gint64
find_or_make_tag (CrmStore    *store,
                  const char  *name,
                  GError     **error)
{
  g_autoptr (sqlite3_stmt) find = NULL;
  g_autoptr (sqlite3_stmt) make = NULL;
  g_autofree char *folded = g_utf8_casefold (name, -1);
  gint64 id = 0;
  int rc;

  /* The exact name first; then the same name in another case. */
  find = crm_store_prepare (store, "SELECT id, name FROM tag ORDER BY name = ?1 DESC, id", error);
  if (find == NULL)
    return 0;
  sqlite3_bind_text (find, 1, name, -1, SQLITE_TRANSIENT);
  while (id == 0 && (rc = sqlite3_step (find)) == SQLITE_ROW)
    {
      g_autofree char *other = g_utf8_casefold ((const char *) sqlite3_column_text (find, 1), -1);

      if (g_str_equal (folded, other))
        id = sqlite3_column_int64 (find, 0);
    }
  if (id > 0)
    return id;
  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (store, error, rc, _("Cannot save a tag"));
      return 0;
    }

  make = crm_store_prepare (store, "INSERT INTO tag (name) VALUES (?1)", error);
  if (make == NULL)
    return 0;
  sqlite3_bind_text (make, 1, name, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (make);
  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (store, error, rc, _("Cannot save a tag"));
      return 0;
    }
  return sqlite3_last_insert_rowid (crm_store_get_db (store));
}

/* Replaces the deal's tags. */
static gboolean
write_tags (CrmStore   *store,
            gint64      id,
            GPtrArray  *tags,
            GError    **error)
{
  g_autoptr (sqlite3_stmt) link = NULL;
  sqlite3_stmt *stmt;

  stmt = crm_store_prepare (store, "DELETE FROM deal_tag WHERE deal_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!step_done (store, stmt, _("Cannot save the deal’s tags"), error))
    return FALSE;

  link = crm_store_prepare (store,
                            "INSERT OR IGNORE INTO deal_tag (deal_id, tag_id) VALUES (?1, ?2)",
                            error);
  if (link == NULL)
    return FALSE;
  for (guint i = 0; i < tags->len; i++)
    {
      gint64 tag_id = find_or_make_tag (store, g_ptr_array_index (tags, i), error);
      int rc;

      if (tag_id == 0)
        return FALSE;
      sqlite3_bind_int64 (link, 1, id);
      sqlite3_bind_int64 (link, 2, tag_id);
      rc = sqlite3_step (link);
      sqlite3_reset (link);
      if (rc != SQLITE_DONE)
        {
          crm_store_set_error (store, error, rc, _("Cannot save the deal’s tags"));
          return FALSE;
        }
    }
  return TRUE;
}

/* Replaces the deal's custom values: a new deal may reuse the id of a
 * deleted one, whose values must not show up on it. */
static gboolean
write_custom (CrmStore    *store,
              gint64       id,
              GHashTable  *custom,
              GError     **error)
{
  return crm_record_write_custom_values (store, CRM_FIELD_ENTITY_DEAL, id, custom,
                                         _("Cannot save the deal’s custom fields"), error);
}

gint64
crm_deal_save (CrmStore      *store,
               CrmDealDraft  *draft,
               gint64         now,
               GPtrArray    **problems,
               GError       **error)
{
  g_autofree char *expected = NULL;
  g_autofree char *reason = NULL;
  g_autoptr (GPtrArray) tags = NULL;
  g_autoptr (GHashTable) custom = NULL;
  sqlite3_stmt *stmt;
  gint64 value = 0;
  gint64 old_stage = 0;
  gint64 id = draft->id;
  int kind;
  const char *status;

  g_return_val_if_fail (CRM_IS_STORE (store), 0);
  g_return_val_if_fail (draft != NULL, 0);

  if (!crm_deal_draft_validate (draft, store, problems))
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                   _("The deal has fields to correct"));
      return 0;
    }

  crm_deal_parse_value (draft->value, draft->currency, &value, NULL);
  if (!crm_text_is_blank (draft->expected_close))
    expected = crm_date_normalize (draft->expected_close, NULL);
  kind = stage_kind (store, draft->stage_id);
  status = kind == CRM_STAGE_WON ? "won" : kind == CRM_STAGE_LOST ? "lost" : "open";
  if (kind == CRM_STAGE_LOST)
    reason = g_strstrip (g_strdup (draft->lost_reason));
  if (draft->tags != NULL)
    tags = clean_tags (draft);
  if (draft->custom != NULL)
    {
      g_autoptr (GPtrArray) ignored = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_field_problem_free);

      custom = clean_custom (draft, store, ignored);
    }

  if (!crm_store_begin (store, error))
    return 0;

  if (id != 0)
    {
      stmt = crm_store_prepare (store, "SELECT stage_id FROM deal WHERE id = ?1", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, id);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        old_stage = sqlite3_column_int64 (stmt, 0);
      sqlite3_finalize (stmt);
      if (old_stage == 0)
        {
          g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                       _("The deal no longer exists"));
          goto fail;
        }
    }

  if (id == 0)
    stmt = crm_store_prepare (store,
                              "INSERT INTO deal (title, value, currency, stage_id, "
                              "expected_close, owner, notes, contact_id, company_id, status, "
                              "lost_reason, closed, stage_entered, created, updated, position) "
                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                              "CASE WHEN ?10 = 'open' THEN NULL ELSE ?12 END, ?12, ?12, ?12, "
                              "(SELECT coalesce(max(position), 0) + " DEAL_POSITION_GAP " FROM deal "
                              "WHERE stage_id = ?4))",
                              error);
  else if (old_stage == draft->stage_id)
    stmt = crm_store_prepare (store,
                              "UPDATE deal SET title = ?1, value = ?2, currency = ?3, "
                              "expected_close = ?5, owner = ?6, notes = ?7, contact_id = ?8, "
                              "company_id = ?9, lost_reason = ?11, updated = ?12 "
                              "WHERE id = ?13",
                              error);
  else
    stmt = crm_store_prepare (store,
                              "UPDATE deal SET title = ?1, value = ?2, currency = ?3, "
                              "stage_id = ?4, expected_close = ?5, owner = ?6, notes = ?7, "
                              "contact_id = ?8, company_id = ?9, status = ?10, "
                              "lost_reason = ?11, "
                              "closed = CASE WHEN ?10 = 'open' THEN NULL ELSE ?12 END, "
                              "stage_entered = ?12, updated = ?12, "
                              "position = (SELECT coalesce(max(position), 0) + " DEAL_POSITION_GAP " FROM deal "
                              "WHERE stage_id = ?4) WHERE id = ?13",
                              error);
  if (stmt == NULL)
    goto fail;

  bind_text_or_null (stmt, 1, draft->title);
  sqlite3_bind_int64 (stmt, 2, value);
  sqlite3_bind_text (stmt, 3, draft->currency, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, draft->stage_id);
  bind_text_or_null (stmt, 5, expected);
  bind_text_or_null (stmt, 6, draft->owner);
  bind_text_or_null (stmt, 7, draft->notes);
  if (draft->contact_id > 0)
    sqlite3_bind_int64 (stmt, 8, draft->contact_id);
  else
    sqlite3_bind_null (stmt, 8);
  if (draft->company_id > 0)
    sqlite3_bind_int64 (stmt, 9, draft->company_id);
  else
    sqlite3_bind_null (stmt, 9);
  sqlite3_bind_text (stmt, 10, status, -1, SQLITE_STATIC);
  bind_text_or_null (stmt, 11, reason);
  sqlite3_bind_int64 (stmt, 12, now);
  sqlite3_bind_int64 (stmt, 13, id);

  if (!step_done (store, stmt, _("Cannot save the deal"), error))
    goto fail;

  if (id == 0)
    id = sqlite3_last_insert_rowid (crm_store_get_db (store));

  if (tags != NULL && !write_tags (store, id, tags, error))
    goto fail;
  if (custom != NULL && !write_custom (store, id, custom, error))
    goto fail;

  if (!crm_store_commit (store, error))
    return 0;

  crm_store_emit_changed (store, "deal", id);
  return id;

fail:
  crm_store_rollback (store);
  return 0;
}

/* Contacts and companies to link a deal to */

void
crm_deal_party_free (CrmDealParty *party)
{
  if (party == NULL)
    return;

  g_free (party->name);
  g_free (party->detail);
  g_free (party);
}

static CrmDealParty *
party_from_row (sqlite3_stmt *stmt)
{
  CrmDealParty *party = g_new0 (CrmDealParty, 1);

  party->id = sqlite3_column_int64 (stmt, 0);
  party->name = text_or_null (stmt, 1);
  party->detail = text_or_null (stmt, 2);
  party->company_id = sqlite3_column_int64 (stmt, 3);
  return party;
}

#define CONTACT_PARTY_SQL                                                      \
  "SELECT c.id, c.display_name, co.name, ifnull(c.company_id, 0) FROM contact c " \
  "LEFT JOIN company co ON co.id = c.company_id WHERE c.id = ?1"

/**
 * crm_deal_find_contacts:
 * @limit: how many to return at most, 0 for all
 *
 * Returns: (transfer full) (element-type CrmDealParty): the contacts, or
 *   %NULL with @error set
 */
GPtrArray *
crm_deal_find_contacts (CrmStore    *store,
                        const char  *query,
                        guint        limit,
                        GError     **error)
{
  g_autoptr (GArray) ids = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autoptr (GPtrArray) parties = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_deal_party_free);

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);

  if (crm_text_is_blank (query))
    return g_steal_pointer (&parties);

  ids = crm_search_contacts_sorted (store, query, CRM_SORT_GIVEN_NAME, limit, error);
  if (ids == NULL)
    return NULL;

  stmt = crm_store_prepare (store, CONTACT_PARTY_SQL, error);
  if (stmt == NULL)
    return NULL;
  for (guint i = 0; i < ids->len; i++)
    {
      int rc;

      sqlite3_bind_int64 (stmt, 1, g_array_index (ids, gint64, i));
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        g_ptr_array_add (parties, party_from_row (stmt));
      else if (rc != SQLITE_DONE)
        {
          crm_store_set_error (store, error, rc, _("Cannot search the contacts"));
          return NULL;
        }
      sqlite3_reset (stmt);
    }

  return g_steal_pointer (&parties);
}

/**
 * crm_deal_find_companies:
 * @limit: how many to return at most, 0 for all
 *
 * Returns: (transfer full) (element-type CrmDealParty): the companies, or
 *   %NULL with @error set
 */
GPtrArray *
crm_deal_find_companies (CrmStore    *store,
                         const char  *query,
                         guint        limit,
                         GError     **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autoptr (GPtrArray) parties = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_deal_party_free);
  g_autofree char *folded = NULL;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);

  if (!crm_text_is_blank (query))
    {
      g_autofree char *clean = g_strstrip (g_strdup (query));

      folded = crm_fold (clean);
    }

  stmt = crm_store_prepare (store,
                            "SELECT id, name, ifnull(tax_code, province), 0 FROM company "
                            "WHERE archived = 0 AND (?1 IS NULL OR instr(name_folded, ?1) > 0 "
                            "OR tax_code LIKE ?1 || '%') "
                            "ORDER BY name_folded, id LIMIT ?2",
                            error);
  if (stmt == NULL)
    return NULL;
  if (folded != NULL)
    sqlite3_bind_text (stmt, 1, folded, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? (gint64) limit : -1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (parties, party_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (store, error, rc, _("Cannot search the companies"));
      return NULL;
    }

  return g_steal_pointer (&parties);
}

static CrmDealParty *
load_party (CrmStore    *store,
            const char  *sql,
            gint64       id,
            const char  *missing,
            const char  *failed,
            GError     **error)
{
  g_autoptr (sqlite3_stmt) stmt = crm_store_prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return party_from_row (stmt);
  if (rc == SQLITE_DONE)
    g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID, missing);
  else
    crm_store_set_error (store, error, rc, failed);
  return NULL;
}

/**
 * crm_deal_party_load_contact:
 *
 * Returns: (transfer full): the contact with their company, or %NULL with
 *   @error set
 */
CrmDealParty *
crm_deal_party_load_contact (CrmStore  *store,
                             gint64     id,
                             GError   **error)
{
  g_return_val_if_fail (CRM_IS_STORE (store), NULL);

  return load_party (store, CONTACT_PARTY_SQL, id, _("The contact no longer exists"),
                     _("Cannot read the contact"), error);
}

/**
 * crm_deal_party_load_company:
 *
 * Returns: (transfer full): the company, or %NULL with @error set
 */
CrmDealParty *
crm_deal_party_load_company (CrmStore  *store,
                             gint64     id,
                             GError   **error)
{
  g_return_val_if_fail (CRM_IS_STORE (store), NULL);

  return load_party (store,
                     "SELECT id, name, ifnull(tax_code, province), 0 FROM company WHERE id = ?1",
                     id, _("The company no longer exists"), _("Cannot read the company"), error);
}
