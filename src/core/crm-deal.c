/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-deal"

#include "config.h"
#include "crm-text.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "crm-deal.h"
#include "crm-pipeline.h"

CrmDealDraft *
crm_deal_draft_new (void)
{
  CrmDealDraft *draft = g_new0 (CrmDealDraft, 1);

  draft->currency = g_strdup ("VND");
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
  g_free (draft);
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
      draft = g_new0 (CrmDealDraft, 1);
      draft->id = id;
      draft->title = text_or_null (stmt, 0);
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

gboolean
crm_deal_draft_validate (CrmDealDraft  *draft,
                         CrmStore      *store,
                         GPtrArray    **problems)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_field_problem_free);
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

gint64
crm_deal_save (CrmStore      *store,
               CrmDealDraft  *draft,
               gint64         now,
               GPtrArray    **problems,
               GError       **error)
{
  g_autofree char *expected = NULL;
  g_autofree char *reason = NULL;
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
                              "(SELECT coalesce(max(position), 0) + 1 FROM deal "
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
                              "position = (SELECT coalesce(max(position), 0) + 1 FROM deal "
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

  if (!crm_store_commit (store, error))
    return 0;

  crm_store_emit_changed (store, "deal", id);
  return id;

fail:
  crm_store_rollback (store);
  return 0;
}
