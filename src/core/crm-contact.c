/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-contact"

#include "config.h"
#include "crm-record.h"
#include "crm-text.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "crm-contact.h"
#include "crm-contacts.h"
#include "crm-normalize.h"
#include "crm-vcard.h"

/* How many notes the single customer view shows. */
#define RECENT_NOTES 5

/* The built-in rows are stored in English (crm-schema.c) and shown
 * translated; this list only makes their names known to xgettext. */
static const char *const builtin_names[] G_GNUC_UNUSED = {
  /* Lifecycle stages */
  N_("Subscriber"), N_("Lead"), N_("Marketing-qualified lead"), N_("Sales-qualified lead"),
  N_("Opportunity"), N_("Customer"), N_("Loyal customer"), N_("Other"),
  /* Lead statuses */
  N_("New"), N_("Open"), N_("In progress"), N_("Open deal"), N_("Unqualified"),
  N_("Attempted to contact"), N_("Connected"), N_("Bad timing"),
  /* The default pipeline's stages */
  N_("New lead"), N_("Qualified"), N_("Proposal sent"), N_("Negotiation"), N_("Won"),
  N_("Lost"),
};

struct _CrmContact
{
  GObject parent_instance;

  /* contact columns */
  gint64    id;
  char     *display_name;
  char     *given_name;
  char     *middle_name;
  char     *family_name;
  gint64    company_id;
  char     *job_title;
  char     *birthday;
  char     *gender;
  char     *preferred_channel;
  char     *interests;
  char     *education;
  char     *occupation;
  char     *income_band;
  char     *family_status;
  char     *lifestyle;
  char     *notes;
  gint64    lifecycle_stage_id;
  gint64    lead_status_id;
  char     *source;
  char     *owner;
  gboolean  consent;
  char     *consent_date;
  char     *consent_source;
  gint64    created;
  gint64    updated;
  gint64    last_interaction;
  gboolean  archived;

  /* joined and derived */
  char     *company_name;
  char     *lifecycle_stage_key;
  char     *lifecycle_stage;
  char     *lead_status_key;
  char     *lead_status;
  gboolean  given_name_first;
  char     *primary_email;
  char     *primary_phone;

  /* children */
  GPtrArray *emails;
  GPtrArray *phones;
  GPtrArray *addresses;
  GPtrArray *links;
  GStrv      tags;
  GPtrArray *custom_values;

  /* figures */
  guint                  n_interactions;
  guint                  n_purchases;
  guint                  n_support_requests;
  GPtrArray             *spending;
  int                    days_since_contact;
  CrmInteractionSummary *latest_feedback;
  GPtrArray             *recent_notes;
  GPtrArray             *open_deals;
  CrmTaskSummary        *next_task;
};

G_DEFINE_FINAL_TYPE (CrmContact, crm_contact, G_TYPE_OBJECT)

/* Every property is read-only and described by this table: its type, where
 * it lives in the struct and, for contact columns, the column it is read
 * from. */
#define STRING_COLUMN(prop, field) { prop, #field, CRM_RECORD_STRING, G_STRUCT_OFFSET (CrmContact, field) }
#define INT64_COLUMN(prop, field) { prop, #field, CRM_RECORD_INT64, G_STRUCT_OFFSET (CrmContact, field) }
#define BOOLEAN_COLUMN(prop, field) { prop, #field, CRM_RECORD_BOOLEAN, G_STRUCT_OFFSET (CrmContact, field) }
#define DERIVED(prop, type, field) { prop, NULL, type, G_STRUCT_OFFSET (CrmContact, field) }

static const CrmRecordField prop_info[] = {
  INT64_COLUMN ("id", id),
  STRING_COLUMN ("display-name", display_name),
  STRING_COLUMN ("given-name", given_name),
  STRING_COLUMN ("middle-name", middle_name),
  STRING_COLUMN ("family-name", family_name),
  INT64_COLUMN ("company-id", company_id),
  STRING_COLUMN ("job-title", job_title),
  STRING_COLUMN ("birthday", birthday),
  STRING_COLUMN ("gender", gender),
  STRING_COLUMN ("preferred-channel", preferred_channel),
  STRING_COLUMN ("interests", interests),
  STRING_COLUMN ("education", education),
  STRING_COLUMN ("occupation", occupation),
  STRING_COLUMN ("income-band", income_band),
  STRING_COLUMN ("family-status", family_status),
  STRING_COLUMN ("lifestyle", lifestyle),
  STRING_COLUMN ("notes", notes),
  INT64_COLUMN ("lifecycle-stage-id", lifecycle_stage_id),
  INT64_COLUMN ("lead-status-id", lead_status_id),
  STRING_COLUMN ("source", source),
  STRING_COLUMN ("owner", owner),
  BOOLEAN_COLUMN ("consent", consent),
  STRING_COLUMN ("consent-date", consent_date),
  STRING_COLUMN ("consent-source", consent_source),
  INT64_COLUMN ("created", created),
  INT64_COLUMN ("updated", updated),
  INT64_COLUMN ("last-interaction", last_interaction),
  BOOLEAN_COLUMN ("archived", archived),
  DERIVED ("company-name", CRM_RECORD_STRING, company_name),
  DERIVED ("lifecycle-stage-key", CRM_RECORD_STRING, lifecycle_stage_key),
  DERIVED ("lifecycle-stage", CRM_RECORD_STRING, lifecycle_stage),
  DERIVED ("lead-status-key", CRM_RECORD_STRING, lead_status_key),
  DERIVED ("lead-status", CRM_RECORD_STRING, lead_status),
  DERIVED ("given-name-first", CRM_RECORD_BOOLEAN, given_name_first),
  DERIVED ("primary-email", CRM_RECORD_STRING, primary_email),
  DERIVED ("primary-phone", CRM_RECORD_STRING, primary_phone),
  DERIVED ("n-interactions", CRM_RECORD_UINT, n_interactions),
  DERIVED ("n-purchases", CRM_RECORD_UINT, n_purchases),
  DERIVED ("n-support-requests", CRM_RECORD_UINT, n_support_requests),
  DERIVED ("days-since-contact", CRM_RECORD_INT, days_since_contact),
};

static GParamSpec *properties[G_N_ELEMENTS (prop_info) + 1];

/* Small helpers */

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text != NULL && *text != '\0')
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static void
bind_id (sqlite3_stmt *stmt,
         int           index,
         gint64        id)
{
  if (id > 0)
    sqlite3_bind_int64 (stmt, index, id);
  else
    sqlite3_bind_null (stmt, index);
}

static void
finalize_stmt (sqlite3_stmt *stmt)
{
  sqlite3_finalize (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, finalize_stmt)

/* Runs a statement that returns no rows. */
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

/* Prepares, binds the id to ?1 and runs one statement. */
static gboolean
run_with_id (CrmStore    *store,
             const char  *sql,
             gint64       id,
             const char  *doing,
             GError     **error)
{
  g_autoptr (sqlite3_stmt) stmt = crm_store_prepare (store, sql, error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  return run_stmt (store, stmt, doing, error);
}

/* Steps a query: 1 for a row, 0 when done, -1 with @error set. */
static int
next_row (CrmStore      *store,
          sqlite3_stmt  *stmt,
          GError       **error)
{
  return crm_store_next_row (store, stmt, _("Cannot read the workspace"), error);
}

/* Trimmed text, or NULL when there is nothing but space. */
static char *
trimmed_or_null (const char *text)
{
  if (crm_text_is_blank (text))
    return NULL;

  return g_strstrip (g_strdup (text));
}

/**
 * crm_translate_builtin:
 * @builtin: whether the row is one Rapport made (its name an English msgid)
 *
 * Returns: (transfer none): the name to show
 */
const char *
crm_translate_builtin (const char *name,
                       gboolean    builtin)
{
  if (name == NULL)
    return NULL;

  return builtin ? _(name) : name;
}

/* Summaries */

CrmContactDetail *
crm_contact_detail_new (const char *value,
                        const char *label,
                        gboolean    primary)
{
  CrmContactDetail *detail = g_new0 (CrmContactDetail, 1);

  detail->value = g_strdup (value);
  detail->label = g_strdup (label);
  detail->primary = primary;

  return detail;
}

CrmContactDetail *
crm_contact_detail_new_address (const char *street,
                                const char *ward,
                                const char *district,
                                const char *province,
                                const char *country,
                                const char *label,
                                gboolean    primary)
{
  CrmContactDetail *detail = crm_contact_detail_new (NULL, label, primary);

  detail->street = g_strdup (street);
  detail->ward = g_strdup (ward);
  detail->district = g_strdup (district);
  detail->province = g_strdup (province);
  detail->country = g_strdup (country);

  return detail;
}

CrmContactDetail *
crm_contact_detail_copy (const CrmContactDetail *detail)
{
  CrmContactDetail *copy = crm_contact_detail_new_address (detail->street, detail->ward,
                                                           detail->district, detail->province,
                                                           detail->country, detail->label,
                                                           detail->primary);

  copy->value = g_strdup (detail->value);
  copy->raw = g_strdup (detail->raw);

  return copy;
}

void
crm_contact_detail_free (CrmContactDetail *detail)
{
  if (detail == NULL)
    return;

  g_free (detail->value);
  g_free (detail->raw);
  g_free (detail->label);
  g_free (detail->street);
  g_free (detail->ward);
  g_free (detail->district);
  g_free (detail->province);
  g_free (detail->country);
  g_free (detail);
}

/**
 * crm_contact_detail_format_address:
 *
 * The address on one line, the Vietnamese way: street, ward, district,
 * province, country.
 *
 * Returns: (transfer full): the address
 */
char *
crm_contact_detail_format_address (const CrmContactDetail *detail)
{
  const char *parts[] = {
    detail->street, detail->ward, detail->district, detail->province, detail->country,
  };
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      if (crm_text_is_blank (parts[i]))
        continue;
      if (text->len > 0)
        g_string_append (text, ", ");
      g_string_append (text, parts[i]);
    }

  return g_string_free (text, FALSE);
}

void
crm_custom_value_free (CrmCustomValue *value)
{
  if (value == NULL)
    return;

  g_free (value->key);
  g_free (value->label);
  g_free (value->type);
  g_free (value->options);
  g_free (value->value);
  g_free (value);
}

void
crm_interaction_summary_free (CrmInteractionSummary *summary)
{
  if (summary == NULL)
    return;

  g_free (summary->contact_name);
  g_free (summary->kind);
  g_free (summary->subject);
  g_free (summary->body);
  g_free (summary->sentiment);
  g_free (summary->currency);
  g_free (summary);
}

void
crm_deal_summary_free (CrmDealSummary *summary)
{
  if (summary == NULL)
    return;

  g_free (summary->title);
  g_free (summary->currency);
  g_free (summary->stage);
  g_free (summary->status);
  g_free (summary->contact_name);
  g_free (summary->expected_close);
  g_free (summary);
}

void
crm_task_summary_free (CrmTaskSummary *summary)
{
  if (summary == NULL)
    return;

  g_free (summary->title);
  g_free (summary);
}

void
crm_field_problem_free (CrmFieldProblem *problem)
{
  if (problem == NULL)
    return;

  g_free (problem->field);
  g_free (problem->value);
  g_free (problem->message);
  g_free (problem);
}

/* GObject */

static void
crm_contact_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CrmContact *self = CRM_CONTACT (object);

  if (prop_id == 0 || prop_id > G_N_ELEMENTS (prop_info))
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }

  crm_record_field_get_value (&prop_info[prop_id - 1], self, value);
}

static void
crm_contact_finalize (GObject *object)
{
  CrmContact *self = CRM_CONTACT (object);

  crm_record_fields_free_strings (prop_info, G_N_ELEMENTS (prop_info), self);

  g_clear_pointer (&self->emails, g_ptr_array_unref);
  g_clear_pointer (&self->phones, g_ptr_array_unref);
  g_clear_pointer (&self->addresses, g_ptr_array_unref);
  g_clear_pointer (&self->links, g_ptr_array_unref);
  g_clear_pointer (&self->tags, g_strfreev);
  g_clear_pointer (&self->custom_values, g_ptr_array_unref);
  g_clear_pointer (&self->spending, g_ptr_array_unref);
  g_clear_pointer (&self->latest_feedback, crm_interaction_summary_free);
  g_clear_pointer (&self->recent_notes, g_ptr_array_unref);
  g_clear_pointer (&self->open_deals, g_ptr_array_unref);
  g_clear_pointer (&self->next_task, crm_task_summary_free);

  G_OBJECT_CLASS (crm_contact_parent_class)->finalize (object);
}

static void
crm_contact_class_init (CrmContactClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = crm_contact_get_property;
  object_class->finalize = crm_contact_finalize;

  for (guint i = 0; i < G_N_ELEMENTS (prop_info); i++)
    properties[i + 1] = crm_record_field_pspec (&prop_info[i]);

  g_object_class_install_properties (object_class, G_N_ELEMENTS (properties), properties);
}

static void
crm_contact_init (CrmContact *self)
{
  self->emails = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_contact_detail_free);
  self->phones = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_contact_detail_free);
  self->addresses = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_contact_detail_free);
  self->links = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_contact_detail_free);
  self->custom_values = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_custom_value_free);
  self->spending = g_ptr_array_new_with_free_func (g_free);
  self->recent_notes =
    g_ptr_array_new_with_free_func ((GDestroyNotify) crm_interaction_summary_free);
  self->open_deals = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_deal_summary_free);
  self->days_since_contact = -1;
}

/* Loading */

static gboolean
load_main (CrmContact  *self,
           CrmStore    *store,
           GError     **error)
{
  g_autoptr (GString) sql = g_string_new ("SELECT ");
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autofree char *western = NULL;
  int rc;
  int n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (prop_info); i++)
    {
      if (prop_info[i].column != NULL)
        g_string_append_printf (sql, "%sc.%s", n++ > 0 ? ", " : "", prop_info[i].column);
    }
  g_string_append (sql, ", co.name, ls.key, ls.name, ls.builtin, st.key, st.name, st.builtin, "
                        "(SELECT email FROM contact_email WHERE contact_id = c.id "
                        " ORDER BY is_primary DESC, id LIMIT 1), "
                        "(SELECT e164 FROM contact_phone WHERE contact_id = c.id "
                        " ORDER BY is_primary DESC, id LIMIT 1) "
                        "FROM contact c "
                        "LEFT JOIN company co ON co.id = c.company_id "
                        "LEFT JOIN lifecycle_stage ls ON ls.id = c.lifecycle_stage_id "
                        "LEFT JOIN lead_status st ON st.id = c.lead_status_id "
                        "WHERE c.id = ?1");

  stmt = crm_store_prepare (store, sql->str, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, self->id);
  if ((rc = next_row (store, stmt, error)) < 0)
    return FALSE;
  if (rc == 0)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                   _("There is no contact %lld"), (long long) self->id);
      return FALSE;
    }

  n = 0;
  for (guint i = 0; i < G_N_ELEMENTS (prop_info); i++)
    {
      if (prop_info[i].column != NULL)
        crm_record_field_read (&prop_info[i], self, stmt, n++);
    }

  self->company_name = crm_column_dup (stmt, n);
  self->lifecycle_stage_key = crm_column_dup (stmt, n + 1);
  self->lifecycle_stage = g_strdup (crm_translate_builtin ((const char *) sqlite3_column_text (stmt, n + 2),
                                                          sqlite3_column_int (stmt, n + 3)));
  self->lead_status_key = crm_column_dup (stmt, n + 4);
  self->lead_status = g_strdup (crm_translate_builtin ((const char *) sqlite3_column_text (stmt, n + 5),
                                                      sqlite3_column_int (stmt, n + 6)));
  self->primary_email = crm_column_dup (stmt, n + 7);
  self->primary_phone = crm_column_dup (stmt, n + 8);

  /* Whether the name is written given name first is not stored: it shows
   * in the display name. */
  western = crm_contact_display_name (self->given_name, self->middle_name, self->family_name,
                                      TRUE);
  self->given_name_first = g_strcmp0 (western, self->display_name) == 0
    && !crm_text_is_blank (self->family_name) && !crm_text_is_blank (self->given_name);

  return TRUE;
}

static gboolean
load_details (CrmContact  *self,
              CrmStore    *store,
              GError     **error)
{
  static const char *const queries[] = {
    "SELECT email, NULL, label, is_primary FROM contact_email "
    "WHERE contact_id = ?1 ORDER BY is_primary DESC, id",
    "SELECT e164, raw, label, is_primary FROM contact_phone "
    "WHERE contact_id = ?1 ORDER BY is_primary DESC, id",
    "SELECT NULL, NULL, label, is_primary, street, ward, district, province, country "
    "FROM contact_address WHERE contact_id = ?1 ORDER BY is_primary DESC, id",
    "SELECT url, NULL, label, is_primary FROM contact_link "
    "WHERE contact_id = ?1 ORDER BY is_primary DESC, id",
  };
  GPtrArray *lists[] = { self->emails, self->phones, self->addresses, self->links };

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autoptr (sqlite3_stmt) stmt = crm_store_prepare (store, queries[i], error);
      int rc;

      if (stmt == NULL)
        return FALSE;

      sqlite3_bind_int64 (stmt, 1, self->id);
      while ((rc = next_row (store, stmt, error)) > 0)
        {
          CrmContactDetail *detail = g_new0 (CrmContactDetail, 1);

          detail->value = crm_column_dup (stmt, 0);
          detail->raw = crm_column_dup (stmt, 1);
          detail->label = crm_column_dup (stmt, 2);
          detail->primary = sqlite3_column_int (stmt, 3) != 0;
          if (sqlite3_column_count (stmt) > 4)
            {
              detail->street = crm_column_dup (stmt, 4);
              detail->ward = crm_column_dup (stmt, 5);
              detail->district = crm_column_dup (stmt, 6);
              detail->province = crm_column_dup (stmt, 7);
              detail->country = crm_column_dup (stmt, 8);
            }
          g_ptr_array_add (lists[i], detail);
        }
      if (rc < 0)
        return FALSE;
    }

  return TRUE;
}

static gboolean
load_tags_and_custom (CrmContact  *self,
                      CrmStore    *store,
                      GError     **error)
{
  g_autoptr (GPtrArray) custom = NULL;

  self->tags = crm_record_load_tags (store, "contact_tag", "contact_id", self->id,
                                     CRM_RECORD_TAGS_BY_NAME,
                                     _("Cannot read the workspace"), error);
  if (self->tags == NULL)
    return FALSE;

  custom = crm_record_load_custom_values (store, CRM_FIELD_ENTITY_CONTACT, self->id,
                                          _("Cannot read the workspace"), error);
  if (custom == NULL)
    return FALSE;
  g_ptr_array_extend_and_steal (self->custom_values, g_steal_pointer (&custom));

  return TRUE;
}

/* An interaction from a row of INTERACTION_COLUMNS, with the contact's
 * name as an eleventh column when there is one. */
CrmInteractionSummary *
crm_interaction_summary_from_row (sqlite3_stmt *stmt)
{
  CrmInteractionSummary *summary = g_new0 (CrmInteractionSummary, 1);

  /* id, contact_id, kind, subject, body, happened, sentiment, satisfaction,
   * amount, currency[, contact name] */
  summary->id = sqlite3_column_int64 (stmt, 0);
  summary->contact_id = sqlite3_column_int64 (stmt, 1);
  summary->kind = crm_column_dup (stmt, 2);
  summary->subject = crm_column_dup (stmt, 3);
  summary->body = crm_column_dup (stmt, 4);
  summary->happened = sqlite3_column_int64 (stmt, 5);
  summary->sentiment = crm_column_dup (stmt, 6);
  summary->satisfaction = sqlite3_column_int (stmt, 7);
  summary->amount = sqlite3_column_int64 (stmt, 8);
  summary->currency = crm_column_dup (stmt, 9);
  if (sqlite3_column_count (stmt) > 10)
    summary->contact_name = crm_column_dup (stmt, 10);

  return summary;
}

#define INTERACTION_COLUMNS \
  "id, contact_id, kind, subject, body, happened, sentiment, satisfaction, amount, currency"

static gboolean
load_figures (CrmContact  *self,
              CrmStore    *store,
              gint64       now,
              GError     **error)
{
  g_autoptr (sqlite3_stmt) counts = NULL;
  g_autoptr (sqlite3_stmt) spending = NULL;
  g_autoptr (sqlite3_stmt) feedback = NULL;
  g_autoptr (sqlite3_stmt) notes = NULL;
  int rc;

  counts = crm_store_prepare (store,
                              "SELECT count(*), total(kind = 'purchase'), "
                              "total(kind IN ('support', 'complaint')) "
                              "FROM interaction WHERE contact_id = ?1",
                              error);
  if (counts == NULL)
    return FALSE;
  sqlite3_bind_int64 (counts, 1, self->id);
  if ((rc = next_row (store, counts, error)) < 0)
    return FALSE;
  self->n_interactions = sqlite3_column_int (counts, 0);
  self->n_purchases = sqlite3_column_int (counts, 1);
  self->n_support_requests = sqlite3_column_int (counts, 2);

  /* A purchase without a currency is in the workspace's base currency. */
  spending = crm_store_prepare (store,
                                "SELECT ifnull(currency, (SELECT value FROM meta "
                                "WHERE key = 'base_currency')) AS cur, count(*), sum(amount) "
                                "FROM interaction WHERE contact_id = ?1 AND kind = 'purchase' "
                                "AND amount IS NOT NULL GROUP BY cur "
                                "ORDER BY count(*) DESC, cur",
                                error);
  if (spending == NULL)
    return FALSE;
  sqlite3_bind_int64 (spending, 1, self->id);
  while ((rc = next_row (store, spending, error)) > 0)
    {
      CrmSpend *spend = g_new0 (CrmSpend, 1);
      const char *currency = (const char *) sqlite3_column_text (spending, 0);
      gint64 total = sqlite3_column_int64 (spending, 2);
      gint64 count = sqlite3_column_int64 (spending, 1);

      g_strlcpy (spend->currency, currency != NULL ? currency : "", sizeof spend->currency);
      spend->count = count;
      spend->total = total;
      /* Rounded half away from zero, in integers: money is never a float. */
      spend->average = total >= 0 ? (2 * total + count) / (2 * count)
                                  : -((-2 * total + count) / (2 * count));
      g_ptr_array_add (self->spending, spend);
    }
  if (rc < 0)
    return FALSE;

  if (self->last_interaction > 0)
    self->days_since_contact = MAX (0, (now - self->last_interaction) / (24 * 60 * 60));

  feedback = crm_store_prepare (store,
                                "SELECT " INTERACTION_COLUMNS " FROM interaction "
                                "WHERE contact_id = ?1 AND kind = 'feedback' "
                                "ORDER BY happened DESC LIMIT 1",
                                error);
  if (feedback == NULL)
    return FALSE;
  sqlite3_bind_int64 (feedback, 1, self->id);
  if ((rc = next_row (store, feedback, error)) < 0)
    return FALSE;
  if (rc > 0)
    self->latest_feedback = crm_interaction_summary_from_row (feedback);

  notes = crm_store_prepare (store,
                             "SELECT " INTERACTION_COLUMNS " FROM interaction "
                             "WHERE contact_id = ?1 AND kind = 'note' "
                             "ORDER BY happened DESC LIMIT " G_STRINGIFY (RECENT_NOTES),
                             error);
  if (notes == NULL)
    return FALSE;
  sqlite3_bind_int64 (notes, 1, self->id);
  while ((rc = next_row (store, notes, error)) > 0)
    g_ptr_array_add (self->recent_notes, crm_interaction_summary_from_row (notes));

  return rc == 0;
}

static gboolean
load_deals_and_task (CrmContact  *self,
                     CrmStore    *store,
                     GError     **error)
{
  g_autoptr (sqlite3_stmt) deals = NULL;
  g_autoptr (sqlite3_stmt) task = NULL;
  int rc;

  deals = crm_store_prepare (store,
                             "SELECT d.id, d.title, d.value, d.currency, s.name, d.status, "
                             "d.expected_close FROM deal d JOIN stage s ON s.id = d.stage_id "
                             "WHERE d.contact_id = ?1 AND d.status = 'open' AND d.archived = 0 "
                             "ORDER BY d.expected_close IS NULL, d.expected_close, d.id",
                             error);
  if (deals == NULL)
    return FALSE;
  sqlite3_bind_int64 (deals, 1, self->id);
  while ((rc = next_row (store, deals, error)) > 0)
    {
      CrmDealSummary *deal = g_new0 (CrmDealSummary, 1);

      deal->id = sqlite3_column_int64 (deals, 0);
      deal->title = crm_column_dup (deals, 1);
      deal->value = sqlite3_column_int64 (deals, 2);
      deal->currency = crm_column_dup (deals, 3);
      /* Stages are the user's; the default pipeline's names are msgids. */
      deal->stage = g_strdup (crm_translate_builtin ((const char *) sqlite3_column_text (deals, 4),
                                                    TRUE));
      deal->status = crm_column_dup (deals, 5);
      deal->expected_close = crm_column_dup (deals, 6);
      deal->contact_id = self->id;
      deal->contact_name = g_strdup (self->display_name);
      g_ptr_array_add (self->open_deals, deal);
    }
  if (rc < 0)
    return FALSE;

  /* The earliest due first; tasks without a due time after them. */
  task = crm_store_prepare (store,
                            "SELECT id, title, due, priority FROM task "
                            "WHERE contact_id = ?1 AND done = 0 "
                            "ORDER BY due IS NULL, due, priority DESC, id LIMIT 1",
                            error);
  if (task == NULL)
    return FALSE;
  sqlite3_bind_int64 (task, 1, self->id);
  if ((rc = next_row (store, task, error)) < 0)
    return FALSE;
  if (rc > 0)
    {
      self->next_task = g_new0 (CrmTaskSummary, 1);
      self->next_task->id = sqlite3_column_int64 (task, 0);
      self->next_task->title = crm_column_dup (task, 1);
      self->next_task->due = sqlite3_column_int64 (task, 2);
      self->next_task->priority = sqlite3_column_int (task, 3);
    }

  return TRUE;
}

/**
 * crm_contact_load_at:
 * @now: the time "days since last contact" counts to, in UTC seconds
 *
 * Reads one contact with everything about them: details, tags, custom
 * values, company, stage and status, and the figures computed from their
 * interactions, deals and tasks. Every query is a lookup by an index on
 * the contact's id.
 *
 * Returns: (transfer full): the contact, or %NULL with @error set
 *   (CRM_STORE_ERROR_NOT_FOUND when there is no such contact)
 */
CrmContact *
crm_contact_load_at (CrmStore  *store,
                     gint64     id,
                     gint64     now,
                     GError   **error)
{
  g_autoptr (CrmContact) self = NULL;

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);

  self = g_object_new (CRM_TYPE_CONTACT, NULL);
  self->id = id;

  if (!load_main (self, store, error)
      || !load_details (self, store, error)
      || !load_tags_and_custom (self, store, error)
      || !load_figures (self, store, now, error)
      || !load_deals_and_task (self, store, error))
    return NULL;

  return g_steal_pointer (&self);
}

CrmContact *
crm_contact_load (CrmStore  *store,
                  gint64     id,
                  GError   **error)
{
  return crm_contact_load_at (store, id, g_get_real_time () / G_USEC_PER_SEC, error);
}

/* Getters */

#define STRING_GETTER(field) \
  const char * \
  crm_contact_get_##field (CrmContact *self) \
  { \
    g_return_val_if_fail (CRM_IS_CONTACT (self), NULL); \
    return self->field; \
  }

#define VALUE_GETTER(type, field) \
  type \
  crm_contact_get_##field (CrmContact *self) \
  { \
    g_return_val_if_fail (CRM_IS_CONTACT (self), 0); \
    return self->field; \
  }

VALUE_GETTER (gint64, id)
STRING_GETTER (display_name)
STRING_GETTER (given_name)
STRING_GETTER (middle_name)
STRING_GETTER (family_name)
VALUE_GETTER (gboolean, given_name_first)
VALUE_GETTER (gint64, company_id)
STRING_GETTER (company_name)
STRING_GETTER (job_title)
STRING_GETTER (birthday)
STRING_GETTER (gender)
STRING_GETTER (preferred_channel)
STRING_GETTER (interests)
STRING_GETTER (education)
STRING_GETTER (occupation)
STRING_GETTER (income_band)
STRING_GETTER (family_status)
STRING_GETTER (lifestyle)
STRING_GETTER (notes)
VALUE_GETTER (gint64, lifecycle_stage_id)
STRING_GETTER (lifecycle_stage_key)
STRING_GETTER (lifecycle_stage)
VALUE_GETTER (gint64, lead_status_id)
STRING_GETTER (lead_status_key)
STRING_GETTER (lead_status)
STRING_GETTER (source)
STRING_GETTER (owner)
VALUE_GETTER (gboolean, consent)
STRING_GETTER (consent_date)
STRING_GETTER (consent_source)
VALUE_GETTER (gint64, created)
VALUE_GETTER (gint64, updated)
VALUE_GETTER (gint64, last_interaction)
VALUE_GETTER (gboolean, archived)
STRING_GETTER (primary_email)
STRING_GETTER (primary_phone)
VALUE_GETTER (GPtrArray *, emails)
VALUE_GETTER (GPtrArray *, phones)
VALUE_GETTER (GPtrArray *, addresses)
VALUE_GETTER (GPtrArray *, links)
VALUE_GETTER (GPtrArray *, custom_values)
VALUE_GETTER (guint, n_interactions)
VALUE_GETTER (guint, n_purchases)
VALUE_GETTER (guint, n_support_requests)
VALUE_GETTER (GPtrArray *, spending)
VALUE_GETTER (GPtrArray *, recent_notes)
VALUE_GETTER (GPtrArray *, open_deals)

const char *const *
crm_contact_get_tags (CrmContact *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT (self), NULL);

  return (const char *const *) self->tags;
}

const char *
crm_contact_get_custom_value (CrmContact *self,
                              const char *key)
{
  g_return_val_if_fail (CRM_IS_CONTACT (self), NULL);

  for (guint i = 0; i < self->custom_values->len; i++)
    {
      CrmCustomValue *value = g_ptr_array_index (self->custom_values, i);

      if (g_str_equal (value->key, key))
        return value->value;
    }

  return NULL;
}

/* The purchases in one currency, or NULL when there were none. */
const CrmSpend *
crm_contact_get_spend (CrmContact *self,
                       const char *currency)
{
  g_return_val_if_fail (CRM_IS_CONTACT (self), NULL);

  for (guint i = 0; i < self->spending->len; i++)
    {
      const CrmSpend *spend = g_ptr_array_index (self->spending, i);

      if (g_str_equal (spend->currency, currency))
        return spend;
    }

  return NULL;
}

int
crm_contact_get_days_since_contact (CrmContact *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT (self), -1);

  return self->days_since_contact;
}

const CrmInteractionSummary *
crm_contact_get_latest_feedback (CrmContact *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT (self), NULL);

  return self->latest_feedback;
}

const CrmTaskSummary *
crm_contact_get_next_task (CrmContact *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT (self), NULL);

  return self->next_task;
}

/* Drafts */

typedef struct
{
  const char *name;
  gsize       offset;
} DraftText;

#define DRAFT_TEXT(field) { #field, G_STRUCT_OFFSET (CrmContactDraft, field) }

static const DraftText draft_texts[] = {
  DRAFT_TEXT (given_name),
  DRAFT_TEXT (middle_name),
  DRAFT_TEXT (family_name),
  DRAFT_TEXT (job_title),
  DRAFT_TEXT (birthday),
  DRAFT_TEXT (gender),
  DRAFT_TEXT (preferred_channel),
  DRAFT_TEXT (interests),
  DRAFT_TEXT (education),
  DRAFT_TEXT (occupation),
  DRAFT_TEXT (income_band),
  DRAFT_TEXT (family_status),
  DRAFT_TEXT (lifestyle),
  DRAFT_TEXT (notes),
  DRAFT_TEXT (source),
  DRAFT_TEXT (owner),
  DRAFT_TEXT (consent_date),
  DRAFT_TEXT (consent_source),
};

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

CrmContactDraft *
crm_contact_draft_new (void)
{
  CrmContactDraft *draft = g_new0 (CrmContactDraft, 1);

  draft->emails = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_contact_detail_free);
  draft->phones = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_contact_detail_free);
  draft->addresses = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_contact_detail_free);
  draft->links = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_contact_detail_free);
  draft->tags = g_ptr_array_new_with_free_func (g_free);
  draft->custom = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  return draft;
}

void
crm_contact_draft_free (CrmContactDraft *draft)
{
  if (draft == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (draft_texts); i++)
    g_free (G_STRUCT_MEMBER (char *, draft, draft_texts[i].offset));
  g_clear_pointer (&draft->emails, g_ptr_array_unref);
  g_clear_pointer (&draft->phones, g_ptr_array_unref);
  g_clear_pointer (&draft->addresses, g_ptr_array_unref);
  g_clear_pointer (&draft->links, g_ptr_array_unref);
  g_clear_pointer (&draft->tags, g_ptr_array_unref);
  g_clear_pointer (&draft->custom, g_hash_table_unref);
  g_free (draft);
}

/**
 * crm_contact_draft_set_text:
 * @field: a text field's name: "given_name", "job_title", "birthday", …
 * @text: (nullable): the text as typed
 *
 * Returns: %FALSE when the draft has no such text field
 */
gboolean
crm_contact_draft_set_text (CrmContactDraft *draft,
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
crm_contact_draft_get_text (CrmContactDraft *draft,
                            const char      *field)
{
  const DraftText *info = find_draft_text (field);

  g_return_val_if_fail (draft != NULL, NULL);

  return info != NULL ? G_STRUCT_MEMBER (char *, draft, info->offset) : NULL;
}

void
crm_contact_draft_add_email (CrmContactDraft *draft,
                             const char      *email,
                             const char      *label)
{
  g_ptr_array_add (draft->emails, crm_contact_detail_new (email, label, draft->emails->len == 0));
}

void
crm_contact_draft_add_phone (CrmContactDraft *draft,
                             const char      *phone,
                             const char      *label)
{
  g_ptr_array_add (draft->phones, crm_contact_detail_new (phone, label, draft->phones->len == 0));
}

void
crm_contact_draft_add_link (CrmContactDraft *draft,
                            const char      *url,
                            const char      *label)
{
  g_ptr_array_add (draft->links, crm_contact_detail_new (url, label, draft->links->len == 0));
}

void
crm_contact_draft_add_tag (CrmContactDraft *draft,
                           const char      *name)
{
  g_ptr_array_add (draft->tags, g_strdup (name));
}

void
crm_contact_draft_set_custom (CrmContactDraft *draft,
                              const char      *key,
                              const char      *text)
{
  g_hash_table_replace (draft->custom, g_strdup (key), g_strdup (text != NULL ? text : ""));
}

static GPtrArray *
copy_details (GPtrArray *details)
{
  GPtrArray *copy = g_ptr_array_new_full (details->len,
                                          (GDestroyNotify) crm_contact_detail_free);

  for (guint i = 0; i < details->len; i++)
    g_ptr_array_add (copy, crm_contact_detail_copy (g_ptr_array_index (details, i)));

  return copy;
}

/**
 * crm_contact_draft_new_from_contact:
 *
 * A draft to edit @contact with: its fields and lists as stored, phone
 * numbers as they were typed.
 *
 * Returns: (transfer full): the draft
 */
CrmContactDraft *
crm_contact_draft_new_from_contact (CrmContact *contact)
{
  CrmContactDraft *draft = crm_contact_draft_new ();

  g_return_val_if_fail (CRM_IS_CONTACT (contact), draft);

  draft->id = contact->id;
  draft->given_name = g_strdup (contact->given_name);
  draft->middle_name = g_strdup (contact->middle_name);
  draft->family_name = g_strdup (contact->family_name);
  draft->given_name_first = contact->given_name_first;
  draft->company_id = contact->company_id;
  draft->job_title = g_strdup (contact->job_title);
  draft->birthday = g_strdup (contact->birthday);
  draft->gender = g_strdup (contact->gender);
  draft->preferred_channel = g_strdup (contact->preferred_channel);
  draft->interests = g_strdup (contact->interests);
  draft->education = g_strdup (contact->education);
  draft->occupation = g_strdup (contact->occupation);
  draft->income_band = g_strdup (contact->income_band);
  draft->family_status = g_strdup (contact->family_status);
  draft->lifestyle = g_strdup (contact->lifestyle);
  draft->notes = g_strdup (contact->notes);
  draft->lifecycle_stage_id = contact->lifecycle_stage_id;
  draft->lead_status_id = contact->lead_status_id;
  draft->source = g_strdup (contact->source);
  draft->owner = g_strdup (contact->owner);
  draft->consent = contact->consent;
  draft->consent_date = g_strdup (contact->consent_date);
  draft->consent_source = g_strdup (contact->consent_source);

  g_clear_pointer (&draft->emails, g_ptr_array_unref);
  g_clear_pointer (&draft->phones, g_ptr_array_unref);
  g_clear_pointer (&draft->addresses, g_ptr_array_unref);
  g_clear_pointer (&draft->links, g_ptr_array_unref);
  draft->emails = copy_details (contact->emails);
  draft->phones = copy_details (contact->phones);
  draft->addresses = copy_details (contact->addresses);
  draft->links = copy_details (contact->links);

  /* A phone number is edited as it was typed. */
  for (guint i = 0; i < draft->phones->len; i++)
    {
      CrmContactDetail *phone = g_ptr_array_index (draft->phones, i);

      if (!crm_text_is_blank (phone->raw))
        {
          g_free (phone->value);
          phone->value = g_steal_pointer (&phone->raw);
        }
      g_clear_pointer (&phone->raw, g_free);
    }

  for (guint i = 0; contact->tags[i] != NULL; i++)
    g_ptr_array_add (draft->tags, g_strdup (contact->tags[i]));

  for (guint i = 0; i < contact->custom_values->len; i++)
    {
      CrmCustomValue *value = g_ptr_array_index (contact->custom_values, i);

      if (value->value != NULL)
        crm_contact_draft_set_custom (draft, value->key, value->value);
    }

  return draft;
}

/* Normalisation of single values */

static gboolean
parse_number (const char *text,
              guint       digits,
              int        *value)
{
  int n = 0;

  if (strlen (text) < 1 || (digits > 0 && strlen (text) != digits) || strlen (text) > 4)
    return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      n = n * 10 + (*p - '0');
    }

  *value = n;
  return TRUE;
}

/**
 * crm_date_normalize:
 * @text: a date as YYYY-MM-DD, or the Vietnamese way DD/MM/YYYY
 *   (also with dots or dashes)
 *
 * Returns: (transfer full): the date as YYYY-MM-DD, "" for blank text, or
 *   %NULL with @error set when it is not a real date
 */
char *
crm_date_normalize (const char  *text,
                    GError     **error)
{
  g_autofree char *clean = trimmed_or_null (text);
  g_auto (GStrv) parts = NULL;
  int year = 0, month = 0, day = 0;
  gboolean ok = FALSE;

  if (clean == NULL)
    return g_strdup ("");

  parts = g_regex_split_simple ("[-/.]", clean, 0, 0);
  if (g_strv_length (parts) == 3)
    {
      if (strlen (parts[0]) == 4)
        ok = parse_number (parts[0], 4, &year) && parse_number (parts[1], 0, &month)
             && parse_number (parts[2], 0, &day);
      else
        ok = parse_number (parts[2], 4, &year) && parse_number (parts[1], 0, &month)
             && parse_number (parts[0], 0, &day);
    }

  if (!ok || year < 1000 || month < 1 || month > 12 || day < 1 || day > 31
      || !g_date_valid_dmy (day, month, year))
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                   _("“%s” is not a date; write it as DD/MM/YYYY or YYYY-MM-DD"), clean);
      return NULL;
    }

  return g_strdup_printf ("%04d-%02d-%02d", year, month, day);
}

static char *
today (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%Y-%m-%d");
}

static char *
normalize_birthday (const char  *text,
                    GError     **error)
{
  g_autofree char *date = crm_date_normalize (text, NULL);
  g_autofree char *clean = g_strstrip (g_strdup (text));
  g_autofree char *now = NULL;

  if (date == NULL)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                   _("The birthday “%s” is not a date; write it as DD/MM/YYYY or YYYY-MM-DD"),
                   clean);
      return NULL;
    }

  /* ISO dates compare as text. */
  now = today ();
  if (strcmp (date, now) > 0)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                   _("The birthday “%s” is in the future"), clean);
      return NULL;
    }

  return g_steal_pointer (&date);
}

static char *
normalize_consent_date (const char  *text,
                        GError     **error)
{
  char *date = crm_date_normalize (text, NULL);
  g_autofree char *clean = NULL;

  if (date != NULL)
    return date;

  clean = g_strstrip (g_strdup (text));
  g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
               _("The consent date “%s” is not a date; write it as DD/MM/YYYY or YYYY-MM-DD"),
               clean);
  return NULL;
}

/* A web address; "facebook.com/an" means https://facebook.com/an. */
static char *
normalize_link (const char  *text,
                GError     **error)
{
  g_autofree char *clean = trimmed_or_null (text);
  g_autofree char *url = NULL;
  g_autoptr (GUri) uri = NULL;

  if (clean == NULL)
    return g_strdup ("");

  if (g_uri_peek_scheme (clean) == NULL)
    url = g_strconcat ("https://", clean, NULL);
  else
    url = g_steal_pointer (&clean);

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || strchr (url, ' ') != NULL
      || ((g_str_equal (g_uri_get_scheme (uri), "http")
           || g_str_equal (g_uri_get_scheme (uri), "https"))
          && (g_uri_get_host (uri) == NULL || strchr (g_uri_get_host (uri), '.') == NULL)))
    {
      g_autofree char *typed = g_strstrip (g_strdup (text));

      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                   _("“%s” is not a web address"), typed);
      return NULL;
    }

  return g_steal_pointer (&url);
}

/* A tag name: spaces collapsed. */
static char *
normalize_tag (const char *text)
{
  g_auto (GStrv) words = NULL;
  g_autofree char *clean = trimmed_or_null (text);

  if (clean == NULL)
    return g_strdup ("");

  words = g_regex_split_simple ("\\s+", clean, 0, 0);
  return g_strjoinv (" ", words);
}

static const char *const genders[] = { "female", "male", "other", NULL };
static const char *const channels[] = {
  "phone", "email", "zalo", "sms", "facebook", "in_person", NULL
};

/* gender and preferred_channel: one of the words the schema allows. */
static char *
normalize_choice (const char  *text,
                  gboolean     gender,
                  GError     **error)
{
  g_autofree char *clean = trimmed_or_null (text);
  g_autofree char *lower = NULL;

  if (clean == NULL)
    return g_strdup ("");

  lower = g_ascii_strdown (clean, -1);
  g_strdelimit (lower, " -", '_');
  if (g_strv_contains (gender ? genders : channels, lower))
    return g_steal_pointer (&lower);

  if (gender)
    g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                 _("The gender “%s” is not one of female, male or other"), clean);
  else
    g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                 _("The preferred channel “%s” is not one of phone, email, zalo, sms, "
                   "facebook or in_person"),
                 clean);
  return NULL;
}

/**
 * crm_contact_normalize_value:
 * @field: "given_name", "middle_name", "family_name", "phone", "email",
 *   "birthday", "consent_date", "link", "tag", "gender", "preferred_channel"
 *   or any other text field of a draft
 * @text: (nullable): the value as typed
 *
 * The value as it will be stored, to show before it is saved ("0903 123
 * 456" → "+84903123456"). Blank text gives "".
 *
 * Returns: (transfer full): the normalised value, or %NULL with @error set
 *   to a one-line message that says what is wrong with it
 */
char *
crm_contact_normalize_value (const char  *field,
                             const char  *text,
                             GError     **error)
{
  g_return_val_if_fail (field != NULL, NULL);

  if (crm_text_is_blank (text))
    return g_strdup ("");

  if (g_str_equal (field, "given_name") || g_str_equal (field, "middle_name")
      || g_str_equal (field, "family_name"))
    return crm_normalize_name (text);
  if (g_str_equal (field, "phone"))
    return crm_normalize_phone (text, error);
  if (g_str_equal (field, "email"))
    return crm_normalize_email (text, error);
  if (g_str_equal (field, "birthday"))
    return normalize_birthday (text, error);
  if (g_str_equal (field, "consent_date"))
    return normalize_consent_date (text, error);
  if (g_str_equal (field, "link"))
    return normalize_link (text, error);
  if (g_str_equal (field, "tag"))
    return normalize_tag (text);
  if (g_str_equal (field, "gender"))
    return normalize_choice (text, TRUE, error);
  if (g_str_equal (field, "preferred_channel"))
    return normalize_choice (text, FALSE, error);

  return g_strstrip (g_strdup (text));
}

/* Custom values by their field's type. */
static gboolean
choice_matches (JsonNode   *option,
                const char *value)
{
  if (JSON_NODE_HOLDS_VALUE (option) && json_node_get_value_type (option) == G_TYPE_STRING)
    return g_strcmp0 (json_node_get_string (option), value) == 0;

  if (JSON_NODE_HOLDS_OBJECT (option))
    {
      JsonObject *object = json_node_get_object (option);

      return g_strcmp0 (json_object_get_string_member_with_default (object, "key", NULL),
                        value) == 0
             || g_strcmp0 (json_object_get_string_member_with_default (object, "label", NULL),
                           value) == 0;
    }

  return FALSE;
}

static char *
normalize_custom (const char  *type,
                  const char  *options,
                  const char  *label,
                  const char  *text,
                  GError     **error)
{
  g_autofree char *clean = trimmed_or_null (text);

  if (clean == NULL)
    return g_strdup ("");

  if (g_str_equal (type, "number"))
    {
      char *end = NULL;

      g_ascii_strtod (clean, &end);
      if (end == clean || *end != '\0' || strpbrk (clean, "xXnNiI") != NULL)
        {
          g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                       _("The field “%s” needs a number, not “%s”"), label, clean);
          return NULL;
        }
      return g_steal_pointer (&clean);
    }

  if (g_str_equal (type, "date"))
    {
      char *date = crm_date_normalize (clean, NULL);

      if (date == NULL)
        g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                     _("The field “%s” needs a date such as 22/11/2026, not “%s”"), label,
                     clean);
      return date;
    }

  if (g_str_equal (type, "bool"))
    {
      static const char *const yes[] = { "1", "true", "yes", "có", NULL };
      static const char *const no[] = { "0", "false", "no", "không", NULL };
      g_autofree char *lower = g_utf8_strdown (clean, -1);

      if (g_strv_contains (yes, lower))
        return g_strdup ("1");
      if (g_strv_contains (no, lower))
        return g_strdup ("0");
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                   _("The field “%s” needs yes or no, not “%s”"), label, clean);
      return NULL;
    }

  if (g_str_equal (type, "choice"))
    {
      g_autoptr (JsonNode) root = options != NULL ? json_from_string (options, NULL) : NULL;

      if (root != NULL && JSON_NODE_HOLDS_ARRAY (root))
        {
          JsonArray *array = json_node_get_array (root);

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              if (choice_matches (json_array_get_element (array, i), clean))
                return g_steal_pointer (&clean);
            }
        }
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID,
                   _("“%s” is not one of the choices of the field “%s”"), clean, label);
      return NULL;
    }

  return g_steal_pointer (&clean);
}

/* Whole drafts */

static void
add_problem (GPtrArray  *problems,
             const char *field,
             int         index,
             const char *value,
             const char *message)
{
  CrmFieldProblem *problem = g_new0 (CrmFieldProblem, 1);

  problem->field = g_strdup (field);
  problem->index = index;
  problem->value = g_strdup (value != NULL ? value : "");
  problem->message = g_strdup (message);
  g_ptr_array_add (problems, problem);
}

/* Normalises one value, noting its problem. NULL for a problem. */
static char *
normalize_noting (GPtrArray  *problems,
                  const char *field,
                  int         index,
                  const char *text)
{
  g_autoptr (GError) error = NULL;
  char *value = crm_contact_normalize_value (field, text, &error);

  if (value == NULL)
    add_problem (problems, field, index, text, error->message);

  return value;
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

/* Exactly one primary row in a list that is not empty: the last one
 * marked (the first row is marked when it is added; marking another one
 * later means that one), or else the first. */
static void
settle_primary (GPtrArray *details)
{
  gboolean seen = FALSE;

  for (guint i = details->len; i > 0; i--)
    {
      CrmContactDetail *detail = g_ptr_array_index (details, i - 1);

      if (detail->primary && !seen)
        seen = TRUE;
      else
        detail->primary = FALSE;
    }

  if (!seen && details->len > 0)
    ((CrmContactDetail *) g_ptr_array_index (details, 0))->primary = TRUE;
}

/* Emails, phones and links: each value normalised; blank rows dropped. */
static GPtrArray *
normalize_values (GPtrArray  *details,
                  const char *field,
                  GPtrArray  *problems)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_contact_detail_free);
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < details->len; i++)
    {
      CrmContactDetail *detail = g_ptr_array_index (details, i);
      g_autofree char *value = NULL;
      CrmContactDetail *clean;

      if (crm_text_is_blank (detail->value))
        continue;

      value = normalize_noting (problems, field, i, detail->value);
      if (value == NULL)
        continue;

      if (g_hash_table_contains (seen, value))
        {
          g_autofree char *typed = g_strstrip (g_strdup (detail->value));
          g_autofree char *message = g_strdup_printf (_("“%s” is listed twice"), typed);

          add_problem (problems, field, i, detail->value, message);
          continue;
        }

      clean = crm_contact_detail_new (value, NULL, detail->primary);
      clean->label = trimmed_or_null (detail->label);
      if (g_str_equal (field, "phone"))
        clean->raw = g_strstrip (g_strdup (detail->value));
      g_ptr_array_add (out, clean);
      g_hash_table_add (seen, clean->value);
    }

  settle_primary (out);
  return out;
}

static GPtrArray *
normalize_addresses (GPtrArray *details)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_contact_detail_free);

  for (guint i = 0; i < details->len; i++)
    {
      CrmContactDetail *detail = g_ptr_array_index (details, i);
      g_autoptr (CrmContactDetail) clean = NULL;

      clean = crm_contact_detail_new (NULL, NULL, detail->primary);
      clean->label = trimmed_or_null (detail->label);
      clean->street = trimmed_or_null (detail->street);
      clean->ward = trimmed_or_null (detail->ward);
      clean->district = trimmed_or_null (detail->district);
      clean->province = trimmed_or_null (detail->province);
      clean->country = trimmed_or_null (detail->country);

      if (clean->street != NULL || clean->ward != NULL || clean->district != NULL
          || clean->province != NULL || clean->country != NULL)
        g_ptr_array_add (out, g_steal_pointer (&clean));
    }

  settle_primary (out);
  return out;
}

static void
check_custom (CrmStore         *store,
              CrmContactDraft  *draft,
              CrmContactDraft  *clean,
              GPtrArray        *problems)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autoptr (GList) keys = g_hash_table_get_keys (draft->custom);

  if (store != NULL)
    stmt = crm_store_prepare (store,
                              "SELECT type, options, label FROM custom_field "
                              "WHERE entity = 'contact' AND key = ?1",
                              NULL);

  keys = g_list_sort (keys, (GCompareFunc) strcmp);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      const char *key = l->data;
      const char *text = g_hash_table_lookup (draft->custom, key);
      g_autofree char *field = g_strconcat ("custom:", key, NULL);
      g_autofree char *value = NULL;
      g_autoptr (GError) error = NULL;

      if (crm_text_is_blank (text))
        continue;

      /* Without the store the type is not known: the text is kept. */
      if (stmt == NULL)
        {
          g_hash_table_replace (clean->custom, g_strdup (key), g_strstrip (g_strdup (text)));
          continue;
        }

      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) != SQLITE_ROW)
        {
          g_autofree char *message = g_strdup_printf (_("There is no custom field “%s”"), key);

          add_problem (problems, field, -1, text, message);
        }
      else
        {
          value = normalize_custom ((const char *) sqlite3_column_text (stmt, 0),
                                    (const char *) sqlite3_column_text (stmt, 1),
                                    (const char *) sqlite3_column_text (stmt, 2), text, &error);
          if (value == NULL)
            add_problem (problems, field, -1, text, error->message);
          else
            g_hash_table_replace (clean->custom, g_strdup (key), g_steal_pointer (&value));
        }
      sqlite3_reset (stmt);
    }
}

/* The draft as it will be stored, with every problem noted; the same code
 * checks as the user types and before a save. */
static CrmContactDraft *
normalize_draft (CrmContactDraft *draft,
                 CrmStore        *store,
                 GPtrArray       *problems)
{
  g_autoptr (CrmContactDraft) clean = crm_contact_draft_new ();
  g_autoptr (GHashTable) tags_seen = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                            g_free, NULL);

  clean->id = draft->id;
  clean->given_name_first = draft->given_name_first;
  clean->company_id = draft->company_id;
  clean->lifecycle_stage_id = draft->lifecycle_stage_id;
  clean->lead_status_id = draft->lead_status_id;
  clean->consent = draft->consent;

  for (guint i = 0; i < G_N_ELEMENTS (draft_texts); i++)
    {
      const char *name = draft_texts[i].name;
      const char *text = G_STRUCT_MEMBER (char *, draft, draft_texts[i].offset);
      char *value = normalize_noting (problems, name, -1, text);

      G_STRUCT_MEMBER (char *, clean, draft_texts[i].offset) = value;
    }

  if (crm_text_is_blank (clean->given_name) && crm_text_is_blank (clean->middle_name)
      && crm_text_is_blank (clean->family_name))
    add_problem (problems, "given_name", -1, draft->given_name, _("A contact needs a name"));

  /* Consent given today unless the draft says when. */
  if (clean->consent && crm_text_is_blank (clean->consent_date))
    {
      g_free (clean->consent_date);
      clean->consent_date = today ();
    }

  g_clear_pointer (&clean->emails, g_ptr_array_unref);
  g_clear_pointer (&clean->phones, g_ptr_array_unref);
  g_clear_pointer (&clean->addresses, g_ptr_array_unref);
  g_clear_pointer (&clean->links, g_ptr_array_unref);
  clean->emails = normalize_values (draft->emails, "email", problems);
  clean->phones = normalize_values (draft->phones, "phone", problems);
  clean->links = normalize_values (draft->links, "link", problems);
  clean->addresses = normalize_addresses (draft->addresses);

  for (guint i = 0; i < draft->tags->len; i++)
    {
      char *tag = normalize_tag (g_ptr_array_index (draft->tags, i));

      /* The same tag twice, whatever its case, is one tag. */
      if (*tag == '\0' || !g_hash_table_add (tags_seen, g_utf8_casefold (tag, -1)))
        g_free (tag);
      else
        g_ptr_array_add (clean->tags, tag);
    }

  check_custom (store, draft, clean, problems);

  if (store != NULL)
    {
      g_autofree char *message = NULL;

      if (draft->company_id > 0
          && !row_exists (store, "SELECT 1 FROM company WHERE id = ?1", draft->company_id))
        {
          message = g_strdup_printf (_("There is no company %lld"), (long long) draft->company_id);
          add_problem (problems, "company_id", -1, NULL, message);
          g_clear_pointer (&message, g_free);
        }
      if (draft->lifecycle_stage_id > 0
          && !row_exists (store, "SELECT 1 FROM lifecycle_stage WHERE id = ?1",
                          draft->lifecycle_stage_id))
        {
          message = g_strdup_printf (_("There is no lifecycle stage %lld"),
                                     (long long) draft->lifecycle_stage_id);
          add_problem (problems, "lifecycle_stage_id", -1, NULL, message);
          g_clear_pointer (&message, g_free);
        }
      if (draft->lead_status_id > 0
          && !row_exists (store, "SELECT 1 FROM lead_status WHERE id = ?1", draft->lead_status_id))
        {
          message = g_strdup_printf (_("There is no lead status %lld"),
                                     (long long) draft->lead_status_id);
          add_problem (problems, "lead_status_id", -1, NULL, message);
          g_clear_pointer (&message, g_free);
        }
      if (draft->id > 0 && !row_exists (store, "SELECT 1 FROM contact WHERE id = ?1", draft->id))
        {
          message = g_strdup_printf (_("There is no contact %lld"), (long long) draft->id);
          add_problem (problems, "id", -1, NULL, message);
        }
    }

  return g_steal_pointer (&clean);
}

/**
 * crm_contact_draft_validate:
 * @store: (nullable): the store, to check custom fields and the company,
 *   stage and status the draft points at
 * @problems: (out) (optional) (element-type CrmFieldProblem): every problem,
 *   in the order of the editor's fields
 *
 * Checks a draft without saving it.
 *
 * Returns: %TRUE when it can be saved
 */
gboolean
crm_contact_draft_validate (CrmContactDraft  *draft,
                            CrmStore         *store,
                            GPtrArray       **problems)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_field_problem_free);
  g_autoptr (CrmContactDraft) clean = NULL;
  gboolean valid;

  g_return_val_if_fail (draft != NULL, FALSE);

  clean = normalize_draft (draft, store, found);
  valid = found->len == 0;
  if (problems != NULL)
    *problems = g_steal_pointer (&found);

  return valid;
}

/* Undo */

typedef struct
{
  const CrmUndoPart *part;
  GPtrArray         *columns;   /* (element-type utf8) */
  GPtrArray         *rows;      /* (element-type GPtrArray of sqlite3_value) */
} UndoTable;

struct _CrmUndo
{
  char      *entity;
  gint64     id;
  GPtrArray *tables;     /* (element-type UndoTable) */
  GArray    *new_tags;   /* tags the change created: gone again when unused */
};

static void
undo_table_free (UndoTable *table)
{
  g_ptr_array_unref (table->columns);
  g_ptr_array_unref (table->rows);
  g_free (table);
}

void
crm_undo_free (CrmUndo *undo)
{
  if (undo == NULL)
    return;

  g_free (undo->entity);
  g_ptr_array_unref (undo->tables);
  g_array_unref (undo->new_tags);
  g_free (undo);
}

const char *
crm_undo_get_entity (CrmUndo *undo)
{
  g_return_val_if_fail (undo != NULL, NULL);

  return undo->entity;
}

/* The id of the contact or company the undo restores. */
gint64
crm_undo_get_id (CrmUndo *undo)
{
  g_return_val_if_fail (undo != NULL, 0);

  return undo->id;
}

void
crm_undo_set_id (CrmUndo *undo,
                 gint64   id)
{
  undo->id = id;
}

void
crm_undo_add_new_tag (CrmUndo *undo,
                      gint64   tag_id)
{
  g_array_append_val (undo->new_tags, tag_id);
}

/* The columns a row is written with: all but the generated ones. */
static GPtrArray *
table_columns (CrmStore    *store,
               const char  *table,
               GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT name FROM pragma_table_xinfo('%s') "
                                          "WHERE hidden = 0 ORDER BY cid",
                                          table);
  g_autoptr (sqlite3_stmt) stmt = crm_store_prepare (store, sql, error);
  g_autoptr (GPtrArray) columns = g_ptr_array_new_with_free_func (g_free);
  int rc;

  if (stmt == NULL)
    return NULL;

  while ((rc = next_row (store, stmt, error)) > 0)
    g_ptr_array_add (columns, crm_column_dup (stmt, 0));
  if (rc < 0)
    return NULL;

  return g_steal_pointer (&columns);
}

static void
value_array_free (GPtrArray *values)
{
  g_ptr_array_unref (values);
}

/**
 * crm_undo_capture:
 * @entity: "contact" or "company", for the change signal
 * @id: the entity's id, or 0 for one that does not exist yet
 * @parts: (array length=n_parts): the rows to keep, the main row first
 *
 * Keeps the rows a change is about to touch, inside the change's
 * transaction, so that crm_undo_apply() can put them back exactly.
 *
 * Returns: (transfer full): the undo, or %NULL with @error set
 */
CrmUndo *
crm_undo_capture (CrmStore           *store,
                  const char         *entity,
                  gint64              id,
                  const CrmUndoPart  *parts,
                  gsize               n_parts,
                  GError            **error)
{
  g_autoptr (CrmUndo) undo = g_new0 (CrmUndo, 1);

  undo->entity = g_strdup (entity);
  undo->id = id;
  undo->tables = g_ptr_array_new_with_free_func ((GDestroyNotify) undo_table_free);
  undo->new_tags = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (gsize i = 0; i < n_parts; i++)
    {
      const CrmUndoPart *part = &parts[i];
      UndoTable *table = g_new0 (UndoTable, 1);
      g_autoptr (GString) sql = g_string_new ("SELECT ");
      g_autoptr (sqlite3_stmt) stmt = NULL;
      int rc;

      table->part = part;
      table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) value_array_free);
      g_ptr_array_add (undo->tables, table);

      if (part->kind == CRM_UNDO_PART_LINKED)
        {
          table->columns = g_ptr_array_new_with_free_func (g_free);
          g_ptr_array_add (table->columns, g_strdup ("id"));
        }
      else
        {
          table->columns = table_columns (store, part->table, error);
          if (table->columns == NULL)
            return NULL;
        }

      for (guint c = 0; c < table->columns->len; c++)
        g_string_append_printf (sql, "%s%s", c > 0 ? ", " : "",
                                (const char *) g_ptr_array_index (table->columns, c));
      g_string_append_printf (sql, " FROM %s WHERE %s", part->table, part->where);

      stmt = crm_store_prepare (store, sql->str, error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_int64 (stmt, 1, id);
      while ((rc = next_row (store, stmt, error)) > 0)
        {
          GPtrArray *row = g_ptr_array_new_with_free_func ((GDestroyNotify) sqlite3_value_free);

          for (guint c = 0; c < table->columns->len; c++)
            g_ptr_array_add (row, sqlite3_value_dup (sqlite3_column_value (stmt, c)));
          g_ptr_array_add (table->rows, row);
        }
      if (rc < 0)
        return NULL;
    }

  return g_steal_pointer (&undo);
}

static char *
insert_sql (UndoTable *table,
            gboolean   upsert)
{
  GString *sql = g_string_new (NULL);
  GPtrArray *columns = table->columns;

  g_string_append_printf (sql, "INSERT INTO %s (", table->part->table);
  for (guint c = 0; c < columns->len; c++)
    g_string_append_printf (sql, "%s%s", c > 0 ? ", " : "",
                            (const char *) g_ptr_array_index (columns, c));
  g_string_append (sql, ") VALUES (");
  for (guint c = 0; c < columns->len; c++)
    g_string_append_printf (sql, "%s?%u", c > 0 ? ", " : "", c + 1);
  g_string_append (sql, ")");

  if (upsert)
    {
      gboolean first = TRUE;

      g_string_append (sql, " ON CONFLICT (id) DO UPDATE SET ");
      for (guint c = 0; c < columns->len; c++)
        {
          const char *column = g_ptr_array_index (columns, c);

          if (g_str_equal (column, "id"))
            continue;
          g_string_append_printf (sql, "%s%s = excluded.%s", first ? "" : ", ", column, column);
          first = FALSE;
        }
    }

  return g_string_free (sql, FALSE);
}

static gboolean
restore_rows (CrmStore   *store,
              UndoTable  *table,
              gboolean    upsert,
              GError    **error)
{
  g_autofree char *sql = insert_sql (table, upsert);
  g_autoptr (sqlite3_stmt) stmt = crm_store_prepare (store, sql, error);
  gboolean has_id = g_str_equal (g_ptr_array_index (table->columns, 0), "id");

  if (stmt == NULL)
    return FALSE;

  for (guint r = 0; r < table->rows->len; r++)
    {
      GPtrArray *row = g_ptr_array_index (table->rows, r);
      int rc;

      for (guint c = 0; c < row->len; c++)
        sqlite3_bind_value (stmt, c + 1, g_ptr_array_index (row, c));
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);

      /* A child row's old id may have been taken since: it gets a new one. */
      if (rc == SQLITE_CONSTRAINT_PRIMARYKEY && has_id && !upsert)
        {
          sqlite3_bind_null (stmt, 1);
          rc = sqlite3_step (stmt);
          sqlite3_reset (stmt);
        }

      if (rc != SQLITE_DONE)
        {
          crm_store_set_error (store, error, rc, _("Cannot undo the change"));
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
apply_undo (CrmUndo   *undo,
            CrmStore  *store,
            GError   **error)
{
  /* Rows that belong to the entity go first, custom values included,
   * which no foreign key removes. */
  for (guint i = undo->tables->len; i > 0; i--)
    {
      UndoTable *table = g_ptr_array_index (undo->tables, i - 1);
      g_autofree char *sql = NULL;

      if (table->part->kind != CRM_UNDO_PART_OWNED)
        continue;

      sql = g_strdup_printf ("DELETE FROM %s WHERE %s", table->part->table, table->part->where);
      if (!run_with_id (store, sql, undo->id, _("Cannot undo the change"), error))
        return FALSE;
    }

  for (guint i = 0; i < undo->tables->len; i++)
    {
      UndoTable *table = g_ptr_array_index (undo->tables, i);

      switch (table->part->kind)
        {
        case CRM_UNDO_PART_MAIN:
          /* Nothing was there before: the change made it. */
          if (table->rows->len == 0)
            {
              g_autofree char *sql = g_strdup_printf ("DELETE FROM %s WHERE %s",
                                                      table->part->table, table->part->where);

              if (!run_with_id (store, sql, undo->id, _("Cannot undo the change"), error))
                return FALSE;
            }
          else if (!restore_rows (store, table, TRUE, error))
            {
              return FALSE;
            }
          break;

        case CRM_UNDO_PART_OWNED:
          if (!restore_rows (store, table, FALSE, error))
            return FALSE;
          break;

        case CRM_UNDO_PART_LINKED:
          {
            g_autofree char *sql = g_strdup_printf ("UPDATE %s SET %s = ?1 WHERE id = ?2 "
                                                    "AND %s IS NULL",
                                                    table->part->table, table->part->column,
                                                    table->part->column);
            g_autoptr (sqlite3_stmt) stmt = crm_store_prepare (store, sql, error);

            if (stmt == NULL)
              return FALSE;
            for (guint r = 0; r < table->rows->len; r++)
              {
                GPtrArray *row = g_ptr_array_index (table->rows, r);

                sqlite3_bind_int64 (stmt, 1, undo->id);
                sqlite3_bind_value (stmt, 2, g_ptr_array_index (row, 0));
                if (!run_stmt (store, stmt, _("Cannot undo the change"), error))
                  return FALSE;
              }
          }
          break;

        default:
          g_assert_not_reached ();
        }
    }

  for (guint i = 0; i < undo->new_tags->len; i++)
    {
      if (!run_with_id (store,
                        "DELETE FROM tag WHERE id = ?1 "
                        "AND NOT EXISTS (SELECT 1 FROM contact_tag WHERE tag_id = ?1) "
                        "AND NOT EXISTS (SELECT 1 FROM company_tag WHERE tag_id = ?1) "
                        "AND NOT EXISTS (SELECT 1 FROM deal_tag WHERE tag_id = ?1)",
                        g_array_index (undo->new_tags, gint64, i), _("Cannot undo the change"),
                        error))
        return FALSE;
    }

  return TRUE;
}

/**
 * crm_undo_apply:
 *
 * Puts back what was there before the change, in one transaction. An undo
 * can be applied once; applying it again restores the same state.
 */
gboolean
crm_undo_apply (CrmUndo   *undo,
                CrmStore  *store,
                GError   **error)
{
  g_return_val_if_fail (undo != NULL, FALSE);
  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);

  if (!crm_store_begin (store, error))
    return FALSE;

  if (!apply_undo (undo, store, error))
    {
      crm_store_rollback (store);
      return FALSE;
    }

  if (!crm_store_commit (store, error))
    return FALSE;

  crm_store_emit_changed (store, undo->entity, undo->id);
  return TRUE;
}

/* Writes */

/* What a contact is made of, for undo: a save touches the first
 * SAVE_PARTS, an archive the first, a delete all of them. */
static const CrmUndoPart contact_parts[] = {
  { CRM_UNDO_PART_MAIN, "contact", "id = ?1", NULL },
  { CRM_UNDO_PART_OWNED, "contact_email", "contact_id = ?1", NULL },
  { CRM_UNDO_PART_OWNED, "contact_phone", "contact_id = ?1", NULL },
  { CRM_UNDO_PART_OWNED, "contact_address", "contact_id = ?1", NULL },
  { CRM_UNDO_PART_OWNED, "contact_link", "contact_id = ?1", NULL },
  { CRM_UNDO_PART_OWNED, "contact_tag", "contact_id = ?1", NULL },
  { CRM_UNDO_PART_OWNED, "custom_value",
    "entity_id = ?1 AND field_id IN (SELECT id FROM custom_field WHERE entity = 'contact')",
    NULL },
  { CRM_UNDO_PART_OWNED, "interaction", "contact_id = ?1", NULL },
  { CRM_UNDO_PART_OWNED, "task", "contact_id = ?1", NULL },
  { CRM_UNDO_PART_LINKED, "deal", "contact_id = ?1", "contact_id" },
};

#define SAVE_PARTS 7

static const char *const contact_saved_columns[] = {
  "given_name", "middle_name", "family_name", "display_name", "company_id", "job_title",
  "birthday", "gender", "preferred_channel", "interests", "education", "occupation",
  "income_band", "family_status", "lifestyle", "notes", "lifecycle_stage_id",
  "lead_status_id", "source", "owner", "consent", "consent_date", "consent_source",
};

static void
bind_contact (sqlite3_stmt    *stmt,
              CrmContactDraft *clean,
              const char      *display_name)
{
  /* Names are never NULL in the table. */
  sqlite3_bind_text (stmt, 1, clean->given_name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, clean->middle_name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, clean->family_name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, display_name, -1, SQLITE_TRANSIENT);
  bind_id (stmt, 5, clean->company_id);
  bind_text (stmt, 6, clean->job_title);
  bind_text (stmt, 7, clean->birthday);
  bind_text (stmt, 8, clean->gender);
  bind_text (stmt, 9, clean->preferred_channel);
  bind_text (stmt, 10, clean->interests);
  bind_text (stmt, 11, clean->education);
  bind_text (stmt, 12, clean->occupation);
  bind_text (stmt, 13, clean->income_band);
  bind_text (stmt, 14, clean->family_status);
  bind_text (stmt, 15, clean->lifestyle);
  bind_text (stmt, 16, clean->notes);
  bind_id (stmt, 17, clean->lifecycle_stage_id);
  bind_id (stmt, 18, clean->lead_status_id);
  bind_text (stmt, 19, clean->source);
  bind_text (stmt, 20, clean->owner);
  sqlite3_bind_int (stmt, 21, clean->consent ? 1 : 0);
  bind_text (stmt, 22, clean->consent_date);
  bind_text (stmt, 23, clean->consent_source);
}

static gint64
write_contact_row (CrmStore         *store,
                   CrmContactDraft  *clean,
                   GError          **error)
{
  g_autofree char *display_name = crm_contact_display_name (clean->given_name,
                                                            clean->middle_name,
                                                            clean->family_name,
                                                            clean->given_name_first);
  g_autoptr (GString) sql = g_string_new (NULL);
  g_autoptr (sqlite3_stmt) stmt = NULL;
  const guint n = G_N_ELEMENTS (contact_saved_columns);

  if (clean->id > 0)
    {
      g_string_append (sql, "UPDATE contact SET ");
      for (guint i = 0; i < n; i++)
        g_string_append_printf (sql, "%s = ?%u, ", contact_saved_columns[i], i + 1);
      g_string_append_printf (sql, "updated = unixepoch() WHERE id = ?%u", n + 1);
    }
  else
    {
      g_string_append (sql, "INSERT INTO contact (");
      for (guint i = 0; i < n; i++)
        g_string_append_printf (sql, "%s%s", i > 0 ? ", " : "", contact_saved_columns[i]);
      g_string_append (sql, ") VALUES (");
      for (guint i = 0; i < n; i++)
        g_string_append_printf (sql, "%s?%u", i > 0 ? ", " : "", i + 1);
      g_string_append (sql, ")");
    }

  stmt = crm_store_prepare (store, sql->str, error);
  if (stmt == NULL)
    return 0;

  bind_contact (stmt, clean, display_name);
  if (clean->id > 0)
    sqlite3_bind_int64 (stmt, n + 1, clean->id);
  if (!run_stmt (store, stmt, _("Cannot save the contact"), error))
    return 0;

  if (clean->id > 0)
    return clean->id;

  return sqlite3_last_insert_rowid (crm_store_get_db (store));
}

static gboolean
write_details (CrmStore         *store,
               gint64            id,
               CrmContactDraft  *clean,
               GError          **error)
{
  static const char *const tables[] = {
    "contact_email", "contact_phone", "contact_address", "contact_link",
  };
  static const char *const inserts[] = {
    "INSERT INTO contact_email (contact_id, email, label, is_primary) VALUES (?1, ?2, ?3, ?4)",
    "INSERT INTO contact_phone (contact_id, e164, raw, label, is_primary) "
    "VALUES (?1, ?2, ?5, ?3, ?4)",
    "INSERT INTO contact_address (contact_id, label, is_primary, street, ward, district, "
    "province, country) VALUES (?1, ?3, ?4, ?6, ?7, ?8, ?9, ?10)",
    "INSERT INTO contact_link (contact_id, url, label, is_primary) VALUES (?1, ?2, ?3, ?4)",
  };
  GPtrArray *lists[] = { clean->emails, clean->phones, clean->addresses, clean->links };

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *delete = g_strdup_printf ("DELETE FROM %s WHERE contact_id = ?1",
                                                 tables[i]);
      g_autoptr (sqlite3_stmt) stmt = NULL;

      if (!run_with_id (store, delete, id, _("Cannot save the contact"), error))
        return FALSE;

      stmt = crm_store_prepare (store, inserts[i], error);
      if (stmt == NULL)
        return FALSE;

      for (guint j = 0; j < lists[i]->len; j++)
        {
          CrmContactDetail *detail = g_ptr_array_index (lists[i], j);

          sqlite3_bind_int64 (stmt, 1, id);
          bind_text (stmt, 2, detail->value);
          bind_text (stmt, 3, detail->label);
          sqlite3_bind_int (stmt, 4, detail->primary ? 1 : 0);
          /* The number as typed is never empty. */
          sqlite3_bind_text (stmt, 5, detail->raw != NULL ? detail->raw : "", -1,
                             SQLITE_TRANSIENT);
          bind_text (stmt, 6, detail->street);
          bind_text (stmt, 7, detail->ward);
          bind_text (stmt, 8, detail->district);
          bind_text (stmt, 9, detail->province);
          bind_text (stmt, 10, detail->country);
          if (!run_stmt (store, stmt, _("Cannot save the contact"), error))
            return FALSE;
        }
    }

  return TRUE;
}

/* The id of the tag with this name, whatever its case; made when there is
 * none (and noted in @undo). */
static gint64
find_or_make_tag (CrmStore    *store,
                  const char  *name,
                  CrmUndo     *undo,
                  GError     **error)
{
  g_autoptr (sqlite3_stmt) find = NULL;
  g_autoptr (sqlite3_stmt) make = NULL;
  g_autofree char *folded = g_utf8_casefold (name, -1);
  gint64 id = 0;
  int rc;

  find = crm_store_prepare (store, "SELECT id, name FROM tag ORDER BY name = ?1 DESC, id", error);
  if (find == NULL)
    return 0;
  sqlite3_bind_text (find, 1, name, -1, SQLITE_TRANSIENT);
  while (id == 0 && (rc = next_row (store, find, error)) > 0)
    {
      g_autofree char *other = g_utf8_casefold ((const char *) sqlite3_column_text (find, 1), -1);

      if (g_str_equal (folded, other))
        id = sqlite3_column_int64 (find, 0);
    }
  if (id > 0)
    return id;
  if (rc < 0)
    return 0;

  make = crm_store_prepare (store, "INSERT INTO tag (name) VALUES (?1)", error);
  if (make == NULL)
    return 0;
  sqlite3_bind_text (make, 1, name, -1, SQLITE_TRANSIENT);
  if (!run_stmt (store, make, _("Cannot save a tag"), error))
    return 0;

  id = sqlite3_last_insert_rowid (crm_store_get_db (store));
  crm_undo_add_new_tag (undo, id);
  return id;
}

static gboolean
write_tags_and_custom (CrmStore         *store,
                       gint64            id,
                       CrmContactDraft  *clean,
                       CrmUndo          *undo,
                       GError          **error)
{
  g_autoptr (sqlite3_stmt) tag = NULL;

  if (!run_with_id (store, "DELETE FROM contact_tag WHERE contact_id = ?1", id,
                    _("Cannot save the contact"), error))
    return FALSE;

  tag = crm_store_prepare (store, "INSERT OR IGNORE INTO contact_tag (contact_id, tag_id) "
                                  "VALUES (?1, ?2)",
                           error);
  if (tag == NULL)
    return FALSE;
  for (guint i = 0; i < clean->tags->len; i++)
    {
      gint64 tag_id = find_or_make_tag (store, g_ptr_array_index (clean->tags, i), undo, error);

      if (tag_id == 0)
        return FALSE;
      sqlite3_bind_int64 (tag, 1, id);
      sqlite3_bind_int64 (tag, 2, tag_id);
      if (!run_stmt (store, tag, _("Cannot save the contact"), error))
        return FALSE;
    }

  return crm_record_write_custom_values (store, CRM_FIELD_ENTITY_CONTACT, id, clean->custom,
                                         _("Cannot save the contact"), error);
}

/* Each problem's message names the field and the value. */
static void
set_problem_error (GError          **error,
                   CrmFieldProblem  *problem)
{
  g_set_error_literal (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID, problem->message);
}

/**
 * crm_contact_save:
 * @draft: a new contact (id 0) or an edited one
 * @undo: (out) (optional): how to put back what was there before
 *
 * Validates and normalises the draft as crm_contact_draft_validate() does,
 * then writes the contact, its emails, phones, addresses, links, tags and
 * custom values (all replaced) in one transaction.
 *
 * Returns: the contact's id, or 0 with @error set (CRM_STORE_ERROR_INVALID
 *   naming the first field that is wrong)
 */
gint64
crm_contact_save (CrmStore         *store,
                  CrmContactDraft  *draft,
                  CrmUndo         **undo,
                  GError          **error)
{
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_field_problem_free);
  g_autoptr (CrmContactDraft) clean = NULL;
  g_autoptr (CrmUndo) before = NULL;
  gint64 id;

  g_return_val_if_fail (CRM_IS_STORE (store), 0);
  g_return_val_if_fail (draft != NULL, 0);

  clean = normalize_draft (draft, store, problems);
  if (problems->len > 0)
    {
      set_problem_error (error, g_ptr_array_index (problems, 0));
      return 0;
    }

  if (!crm_store_begin (store, error))
    return 0;

  before = crm_undo_capture (store, "contact", clean->id, contact_parts, SAVE_PARTS, error);
  if (before == NULL
      || (id = write_contact_row (store, clean, error)) == 0
      || !write_details (store, id, clean, error)
      || !write_tags_and_custom (store, id, clean, before, error))
    {
      crm_store_rollback (store);
      return 0;
    }

  if (!crm_store_commit (store, error))
    return 0;

  crm_undo_set_id (before, id);
  if (undo != NULL)
    *undo = g_steal_pointer (&before);
  crm_store_emit_changed (store, "contact", id);

  return id;
}

static gboolean
check_changed_one (CrmStore    *store,
                   const char  *entity,
                   gint64       id,
                   GError     **error)
{
  if (sqlite3_changes (crm_store_get_db (store)) > 0)
    return TRUE;

  if (g_str_equal (entity, "company"))
    g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                 _("There is no company %lld"), (long long) id);
  else
    g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                 _("There is no contact %lld"), (long long) id);
  return FALSE;
}

/**
 * crm_contact_set_archived:
 * @undo: (out) (optional): how to put the contact back as it was
 *
 * Archives a contact (a soft delete that lists no longer show) or brings
 * it back.
 */
gboolean
crm_contact_set_archived (CrmStore  *store,
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

  before = crm_undo_capture (store, "contact", id, contact_parts, 1, error);
  if (before == NULL
      || (stmt = crm_store_prepare (store, "UPDATE contact SET archived = ?2, "
                                           "updated = unixepoch() WHERE id = ?1",
                                    error)) == NULL)
    goto fail;

  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int (stmt, 2, archived ? 1 : 0);
  if (!run_stmt (store, stmt, _("Cannot archive the contact"), error)
      || !check_changed_one (store, "contact", id, error))
    goto fail;

  g_clear_pointer (&stmt, sqlite3_finalize);
  if (!crm_store_commit (store, error))
    return FALSE;

  if (undo != NULL)
    *undo = g_steal_pointer (&before);
  crm_store_emit_changed (store, "contact", id);
  return TRUE;

fail:
  crm_store_rollback (store);
  return FALSE;
}

static gboolean
delete_contact_rows (CrmStore  *store,
                     gint64     id,
                     GError   **error)
{
  /* Custom values have no foreign key to their entity. */
  return run_with_id (store,
                      "DELETE FROM custom_value WHERE entity_id = ?1 AND field_id IN "
                      "(SELECT id FROM custom_field WHERE entity = 'contact')",
                      id, _("Cannot delete the contact"), error)
         && run_with_id (store, "DELETE FROM contact WHERE id = ?1", id,
                         _("Cannot delete the contact"), error)
         && check_changed_one (store, "contact", id, error);
}

/**
 * crm_contact_delete:
 * @undo: (out) (optional): how to bring the contact back with the same id,
 *   details, interactions, tasks and deal links
 *
 * Deletes a contact with their details, interactions and tasks; their
 * deals stay, without the link. The audit log keeps what was deleted.
 */
gboolean
crm_contact_delete (CrmStore  *store,
                    gint64     id,
                    CrmUndo  **undo,
                    GError   **error)
{
  g_autoptr (CrmUndo) before = NULL;

  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);

  if (!crm_store_begin (store, error))
    return FALSE;

  before = crm_undo_capture (store, "contact", id, contact_parts, G_N_ELEMENTS (contact_parts),
                             error);
  if (before == NULL || !delete_contact_rows (store, id, error))
    {
      crm_store_rollback (store);
      return FALSE;
    }

  if (!crm_store_commit (store, error))
    return FALSE;

  if (undo != NULL)
    *undo = g_steal_pointer (&before);
  crm_store_emit_changed (store, "contact", id);
  return TRUE;
}

/* Erase */

/* The audited entities a contact's history runs through, besides their own
 * rows. */
static const char *const history_entities[] = { "interaction", "task", "deal" };

/* One entity whose audit rows go blank. */
typedef struct
{
  guint  entity;   /* index in history_entities */
  gint64 id;
} AuditKey;

typedef struct
{
  CrmStore *store;
  gint64    id;
  GArray   *keys;    /* (element-type AuditKey) found by the history scan */
  gint64    upto;    /* the last audit row the scan read */
} EraseJob;

static void
erase_job_free (EraseJob *job)
{
  g_clear_object (&job->store);
  g_clear_pointer (&job->keys, g_array_unref);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EraseJob, erase_job_free)

static EraseJob *
erase_job_new (CrmStore *store,
               gint64    id)
{
  EraseJob *job = g_new0 (EraseJob, 1);

  job->store = g_object_ref (store);
  job->id = id;
  job->keys = g_array_new (FALSE, FALSE, sizeof (AuditKey));

  return job;
}

static void
add_audit_key (GArray     *keys,
               const char *entity,
               gint64      id)
{
  for (guint i = 0; i < G_N_ELEMENTS (history_entities); i++)
    {
      if (g_str_equal (entity, history_entities[i]))
        {
          AuditKey key = { i, id };

          g_array_append_val (keys, key);
          return;
        }
    }
}

static int
cancelled_cb (void *user_data)
{
  return g_cancellable_is_cancelled (user_data);
}

/* Every interaction, task and deal whose audit rows after @after (and up to
 * @upto, or all when @upto is 0) name the contact: those deleted or moved
 * to someone else before the erase included. Reading these rows takes a
 * scan of the audit log (seconds at a million contacts), so it runs before
 * the erase's write transaction and holds no lock; @db may be a reader
 * connection in another thread. */
static gboolean
find_history (sqlite3       *db,
              gint64         contact_id,
              gint64         after,
              gint64        *upto,
              GArray        *keys,
              GCancellable  *cancellable,
              GError       **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (*upto == 0)
    {
      rc = sqlite3_prepare_v2 (db, "SELECT ifnull(max(id), 0) FROM audit_log", -1, &stmt, NULL);
      if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          *upto = sqlite3_column_int64 (stmt, 0);
          rc = SQLITE_OK;
        }
      sqlite3_finalize (stmt);
      stmt = NULL;
      if (rc != SQLITE_OK)
        goto fail;
    }

  rc = sqlite3_prepare_v2 (db,
                           /* The rowid range, never the entity index: the
                            * check after the scan reads only the newest rows. */
                           "SELECT entity, entity_id FROM audit_log "
                           "WHERE id > ?2 AND id <= ?3 "
                           "AND +entity IN ('interaction', 'task', 'deal') "
                           "AND changes IS NOT NULL "
                           "AND (changes ->> '$.old.contact_id' = ?1 "
                           "OR changes ->> '$.new.contact_id' = ?1)",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    goto fail;

  if (cancellable != NULL)
    sqlite3_progress_handler (db, 10000, cancelled_cb, cancellable);
  sqlite3_bind_int64 (stmt, 1, contact_id);
  sqlite3_bind_int64 (stmt, 2, after);
  sqlite3_bind_int64 (stmt, 3, *upto);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    add_audit_key (keys, (const char *) sqlite3_column_text (stmt, 0),
                   sqlite3_column_int64 (stmt, 1));
  sqlite3_finalize (stmt);
  if (cancellable != NULL)
    sqlite3_progress_handler (db, 0, NULL, NULL);

  if (rc == SQLITE_INTERRUPT && g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (rc == SQLITE_DONE)
    return TRUE;

fail:
  g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_FAILED, "%s: %s",
               _("Cannot read the contact’s history"), sqlite3_errmsg (db));
  return FALSE;
}

static gboolean
collect_keys (CrmStore    *store,
              const char  *sql,
              const char  *entity,
              gint64       id,
              GArray      *keys,
              GError     **error)
{
  g_autoptr (sqlite3_stmt) stmt = crm_store_prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = next_row (store, stmt, error)) > 0)
    add_audit_key (keys, entity, sqlite3_column_int64 (stmt, 0));

  return rc == 0;
}

static gboolean
scrub_audit (CrmStore    *store,
             const char  *entity,
             gint64       id,
             GError     **error)
{
  g_autoptr (sqlite3_stmt) stmt = crm_store_prepare (store,
                                                     "UPDATE audit_log SET changes = NULL "
                                                     "WHERE entity = ?1 AND entity_id = ?2 "
                                                     "AND changes IS NOT NULL",
                                                     error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, id);
  return run_stmt (store, stmt, _("Cannot erase the contact’s history"), error);
}

/* The write transaction of an erase: short, every statement a lookup by
 * an index, but for the audit rows written since the history scan. */
static gboolean
erase_rows (EraseJob  *job,
            GError   **error)
{
  CrmStore *store = job->store;
  gint64 id = job->id;
  g_autoptr (GArray) tags = g_array_new (FALSE, FALSE, sizeof (gint64));

  /* Their interactions, tasks and deals as they are now, and the tags
   * they had. */
  if (!collect_keys (store, "SELECT id FROM interaction WHERE contact_id = ?1", "interaction", id,
                     job->keys, error)
      || !collect_keys (store, "SELECT id FROM task WHERE contact_id = ?1", "task", id,
                        job->keys, error)
      || !collect_keys (store, "SELECT id FROM deal WHERE contact_id = ?1", "deal", id,
                        job->keys, error))
    return FALSE;
  {
    g_autoptr (sqlite3_stmt) stmt = crm_store_prepare (store,
                                                       "SELECT tag_id FROM contact_tag "
                                                       "WHERE contact_id = ?1",
                                                       error);
    int rc;

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, id);
    while ((rc = next_row (store, stmt, error)) > 0)
      {
        gint64 tag = sqlite3_column_int64 (stmt, 0);

        g_array_append_val (tags, tag);
      }
    if (rc < 0)
      return FALSE;
  }

  /* The search index drops the row at once through its trigger; the terms
   * stay in its pages until crm_contacts_purge_erased(). */
  if (!delete_contact_rows (store, id, error))
    return FALSE;

  /* A tag only they had may say something about them. */
  for (guint i = 0; i < tags->len; i++)
    {
      if (!run_with_id (store,
                        "DELETE FROM tag WHERE id = ?1 "
                        "AND NOT EXISTS (SELECT 1 FROM contact_tag WHERE tag_id = ?1) "
                        "AND NOT EXISTS (SELECT 1 FROM company_tag WHERE tag_id = ?1) "
                        "AND NOT EXISTS (SELECT 1 FROM deal_tag WHERE tag_id = ?1)",
                        g_array_index (tags, gint64, i), _("Cannot delete the contact"), error))
        return FALSE;
    }

  /* The deletes were audited with the old values, like every earlier
   * change: all audit rows about the person go blank, theirs and those of
   * their interactions, tasks and deals, the audit rows written since the
   * history scan included. */
  if (!find_history (crm_store_get_db (store), id, job->upto, &(gint64) { G_MAXINT64 },
                     job->keys, NULL, error)
      || !scrub_audit (store, "contact", id, error))
    return FALSE;

  for (guint i = 0; i < job->keys->len; i++)
    {
      const AuditKey *key = &g_array_index (job->keys, AuditKey, i);

      if (!scrub_audit (store, history_entities[key->entity], key->id, error))
        return FALSE;
    }

  return run_with_id (store,
                      "INSERT INTO audit_log (at, who, entity, entity_id, action, changes) "
                      "VALUES (unixepoch(), crm_user(), 'contact', ?1, 'erase', NULL)",
                      id, _("Cannot write the audit log"), error);
}

static gboolean
erase_write (EraseJob  *job,
             GError   **error)
{
  g_autoptr (GError) checkpoint_error = NULL;

  if (!crm_store_begin (job->store, error))
    return FALSE;

  if (!erase_rows (job, error))
    {
      crm_store_rollback (job->store);
      return FALSE;
    }

  if (!crm_store_commit (job->store, error))
    return FALSE;

  /* secure_delete has zeroed the freed space in the pages; the old pages
   * still wait in the write-ahead log until a checkpoint copies over them.
   * A reader can hold the checkpoint back; the next one does it then. */
  if (!crm_store_exec (job->store, "PRAGMA wal_checkpoint(TRUNCATE)", &checkpoint_error))
    g_debug ("Checkpoint after an erase: %s", checkpoint_error->message);

  crm_store_emit_changed (job->store, "contact", job->id);
  return TRUE;
}

static gboolean
check_contact_exists (CrmStore  *store,
                      gint64     id,
                      GError   **error)
{
  if (row_exists (store, "SELECT 1 FROM contact WHERE id = ?1", id))
    return TRUE;

  g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
               _("There is no contact %lld"), (long long) id);
  return FALSE;
}

/**
 * crm_contact_erase:
 *
 * Erases a person at their request: the contact and every row about them
 * (details, tags only they had, custom values, interactions, tasks; their
 * deals stay without the link), and the personal values in the audit log,
 * which keeps one "erase" row with no personal data. It cannot be undone.
 *
 * Finding the audit rows of interactions and tasks deleted before reads
 * the whole audit log: seconds at a million contacts. The application uses
 * crm_contact_erase_async(), which reads it in a thread. Then call
 * crm_contacts_purge_erased() to drop the person's words from the search
 * index's pages.
 */
gboolean
crm_contact_erase (CrmStore  *store,
                   gint64     id,
                   GError   **error)
{
  g_autoptr (EraseJob) job = NULL;

  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);

  if (!check_contact_exists (store, id, error))
    return FALSE;

  job = erase_job_new (store, id);
  return find_history (crm_store_get_db (store), id, 0, &job->upto, job->keys, NULL, error)
         && erase_write (job, error);
}

static void
erase_history_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  EraseJob *job = task_data;
  g_autoptr (GError) error = NULL;
  sqlite3 *db = crm_store_open_reader (job->store, &error);

  if (db == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (find_history (db, job->id, 0, &job->upto, job->keys, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));

  sqlite3_close (db);
}

static void
erase_history_found_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  EraseJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error)
      || g_task_return_error_if_cancelled (task)
      || !erase_write (job, &error))
    {
      if (error != NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * crm_contact_erase_async:
 *
 * crm_contact_erase() for the application: the audit log is read in a
 * thread with its own connection, then the erase itself is written in one
 * short transaction on the store's connection, in the main context.
 */
void
crm_contact_erase_async (CrmStore            *store,
                         gint64               id,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GTask) history = NULL;
  GError *error = NULL;

  g_return_if_fail (CRM_IS_STORE (store));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, crm_contact_erase_async);

  if (!check_contact_exists (store, id, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  history = g_task_new (store, cancellable, erase_history_found_cb, g_steal_pointer (&task));
  g_task_set_task_data (history, erase_job_new (store, id), (GDestroyNotify) erase_job_free);
  crm_store_run_worker (history, erase_history_thread);
}

gboolean
crm_contact_erase_finish (CrmStore      *store,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * crm_contacts_purge_erased:
 *
 * The search index is contentless: when a contact is erased (or deleted,
 * or re-indexed after an edit), the index only marks the row as gone, and
 * its words stay in the index's pages until FTS5 merges them. This merges
 * the whole index into one, which drops them, then checkpoints the log.
 * It rewrites the index: seconds at a million contacts.
 */
gboolean
crm_contacts_purge_erased (CrmStore  *store,
                           GError   **error)
{
  g_autoptr (GError) checkpoint_error = NULL;

  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);

  if (!crm_store_begin (store, error))
    return FALSE;

  if (!crm_store_exec (store, "INSERT INTO contact_fts (contact_fts) VALUES ('optimize')",
                       error))
    {
      crm_store_rollback (store);
      return FALSE;
    }

  if (!crm_store_commit (store, error))
    return FALSE;

  if (!crm_store_exec (store, "PRAGMA wal_checkpoint(TRUNCATE)", &checkpoint_error))
    g_debug ("Checkpoint after purging the search index: %s", checkpoint_error->message);

  return TRUE;
}

/* Duplicates */

static gint64
find_other (CrmStore    *store,
            const char  *sql,
            const char  *value,
            gint64       exclude_id,
            char       **display_name,
            GError     **error)
{
  g_autoptr (sqlite3_stmt) stmt = crm_store_prepare (store, sql, error);
  gint64 id = 0;
  int rc;

  if (display_name != NULL)
    *display_name = NULL;
  if (stmt == NULL)
    return 0;

  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, exclude_id);
  rc = next_row (store, stmt, error);
  if (rc > 0)
    {
      id = sqlite3_column_int64 (stmt, 0);
      if (display_name != NULL)
        *display_name = crm_column_dup (stmt, 1);
    }

  return id;
}

/**
 * crm_contacts_find_by_phone:
 * @e164: a normalised number
 * @exclude_id: the contact being edited, or 0
 * @display_name: (out) (optional): the other contact's name
 *
 * Returns: the id of another contact, archived ones included, with this
 *   number; 0 when there is none (or with @error set)
 */
gint64
crm_contacts_find_by_phone (CrmStore    *store,
                            const char  *e164,
                            gint64       exclude_id,
                            char       **display_name,
                            GError     **error)
{
  g_return_val_if_fail (CRM_IS_STORE (store), 0);

  return find_other (store,
                     "SELECT c.id, c.display_name FROM contact_phone p "
                     "JOIN contact c ON c.id = p.contact_id "
                     "WHERE p.e164 = ?1 AND p.contact_id IS NOT ?2 "
                     "ORDER BY c.archived, c.id LIMIT 1",
                     e164, exclude_id, display_name, error);
}

/**
 * crm_contacts_find_by_email:
 * @email: an address as typed or stored; it is normalised first, so the
 *   domain compares without regard to case
 */
gint64
crm_contacts_find_by_email (CrmStore    *store,
                            const char  *email,
                            gint64       exclude_id,
                            char       **display_name,
                            GError     **error)
{
  g_autofree char *clean = NULL;

  g_return_val_if_fail (CRM_IS_STORE (store), 0);

  if (display_name != NULL)
    *display_name = NULL;
  clean = crm_normalize_email (email, NULL);
  if (clean == NULL)
    return 0;

  return find_other (store,
                     "SELECT c.id, c.display_name FROM contact_email e "
                     "JOIN contact c ON c.id = e.contact_id "
                     "WHERE e.email = ?1 AND e.contact_id IS NOT ?2 "
                     "ORDER BY c.archived, c.id LIMIT 1",
                     clean, exclude_id, display_name, error);
}

/* Export */

/**
 * crm_export_rows:
 * @member: (nullable): the member of the object being built to hold the
 *   rows as an array, or %NULL to add a single row's object as the current
 *   value
 * @sql: a query with the id as ?1
 *
 * Adds every column of every row as JSON: integers, reals, text and null;
 * the audit log's JSON changes as JSON. Binary columns (sort keys) and
 * name_folded, which only serve lookups, are left out.
 */
gboolean
crm_export_rows (CrmStore     *store,
                 JsonBuilder  *builder,
                 const char   *member,
                 const char   *sql,
                 gint64        id,
                 GError      **error)
{
  g_autoptr (sqlite3_stmt) stmt = crm_store_prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  if (member != NULL)
    {
      json_builder_set_member_name (builder, member);
      json_builder_begin_array (builder);
    }

  while ((rc = next_row (store, stmt, error)) > 0)
    {
      json_builder_begin_object (builder);
      for (int c = 0; c < sqlite3_column_count (stmt); c++)
        {
          const char *name = sqlite3_column_name (stmt, c);
          int type = sqlite3_column_type (stmt, c);

          if (type == SQLITE_BLOB || g_str_equal (name, "name_folded"))
            continue;

          json_builder_set_member_name (builder, name);
          switch (type)
            {
            case SQLITE_INTEGER:
              json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, c));
              break;
            case SQLITE_FLOAT:
              json_builder_add_double_value (builder, sqlite3_column_double (stmt, c));
              break;
            case SQLITE_NULL:
              json_builder_add_null_value (builder);
              break;
            case SQLITE_TEXT:
            default:
              {
                const char *text = (const char *) sqlite3_column_text (stmt, c);
                g_autoptr (JsonNode) node = NULL;

                if (g_str_equal (name, "changes"))
                  node = json_from_string (text, NULL);
                if (node != NULL)
                  json_builder_add_value (builder, g_steal_pointer (&node));
                else
                  json_builder_add_string_value (builder, text);
              }
              break;
            }
        }
      json_builder_end_object (builder);

      if (member == NULL)
        break;
    }

  if (member != NULL)
    json_builder_end_array (builder);
  else if (rc == 0)
    json_builder_add_null_value (builder);

  return rc >= 0;
}

/* @name: @value, or null when @value is NULL. */
void
crm_json_add_string (JsonBuilder *builder,
                     const char  *name,
                     const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* @member: { "id": @id, "key": @key, "name": @name } (no key when @key is
 * NULL), or null when @id is not a row's. */
void
crm_json_add_named (JsonBuilder *builder,
                    const char  *member,
                    gint64       id,
                    const char  *key,
                    const char  *name)
{
  json_builder_set_member_name (builder, member);
  if (id <= 0)
    {
      json_builder_add_null_value (builder);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, id);
  if (key != NULL)
    crm_json_add_string (builder, "key", key);
  crm_json_add_string (builder, "name", name);
  json_builder_end_object (builder);
}

/**
 * crm_export_custom_values:
 * @custom_values: (element-type CrmCustomValue): a record's custom values
 *
 * Writes the member "custom_fields": the values that are set, each with
 * its field's key, label and type.
 */
void
crm_export_custom_values (JsonBuilder *builder,
                          GPtrArray   *custom_values)
{
  json_builder_set_member_name (builder, "custom_fields");
  json_builder_begin_array (builder);
  for (guint i = 0; i < custom_values->len; i++)
    {
      const CrmCustomValue *value = g_ptr_array_index (custom_values, i);

      if (value->value == NULL || *value->value == '\0')
        continue;
      json_builder_begin_object (builder);
      crm_json_add_string (builder, "key", value->key);
      crm_json_add_string (builder, "label", value->label);
      crm_json_add_string (builder, "type", value->type);
      crm_json_add_string (builder, "value", value->value);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

/* A builder with an export's object begun and its header written: format,
 * version, when it was exported and from which workspace. */
JsonBuilder *
crm_export_begin (CrmStore   *store,
                  const char *format)
{
  JsonBuilder *builder = json_builder_new ();
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *exported = g_date_time_format_iso8601 (now);

  json_builder_begin_object (builder);
  crm_json_add_string (builder, "format", format);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, 1);
  crm_json_add_string (builder, "exported", exported);
  crm_json_add_string (builder, "workspace", crm_store_get_uuid (store));
  return builder;
}

char *
crm_json_to_string (JsonBuilder *builder)
{
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  g_autoptr (JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}

/**
 * crm_contact_export_json:
 *
 * Everything the workspace holds about one person, for their right of
 * access: every field, their details, tags and custom values, their
 * company, stage and status, interactions, deals, tasks and the audit
 * history of the contact.
 *
 * Returns: (transfer full): the JSON text, or %NULL with @error set
 */
char *
crm_contact_export_json (CrmStore  *store,
                         gint64     id,
                         GError   **error)
{
  g_autoptr (CrmContact) contact = NULL;
  g_autoptr (JsonBuilder) builder = NULL;

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);

  contact = crm_contact_load (store, id, error);
  if (contact == NULL)
    return NULL;

  builder = crm_export_begin (store, "rapport-contact");

  json_builder_set_member_name (builder, "contact");
  if (!crm_export_rows (store, builder, NULL, "SELECT * FROM contact WHERE id = ?1", id, error))
    return NULL;

  crm_json_add_named (builder, "company", contact->company_id, NULL, contact->company_name);
  crm_json_add_named (builder, "lifecycle_stage", contact->lifecycle_stage_id,
                 contact->lifecycle_stage_key, contact->lifecycle_stage);
  crm_json_add_named (builder, "lead_status", contact->lead_status_id, contact->lead_status_key,
                 contact->lead_status);

  json_builder_set_member_name (builder, "tags");
  json_builder_begin_array (builder);
  for (guint i = 0; contact->tags[i] != NULL; i++)
    json_builder_add_string_value (builder, contact->tags[i]);
  json_builder_end_array (builder);

  crm_export_custom_values (builder, contact->custom_values);

  if (!crm_export_rows (store, builder, "emails",
                        "SELECT * FROM contact_email WHERE contact_id = ?1 "
                        "ORDER BY is_primary DESC, id", id, error)
      || !crm_export_rows (store, builder, "phones",
                           "SELECT * FROM contact_phone WHERE contact_id = ?1 "
                           "ORDER BY is_primary DESC, id", id, error)
      || !crm_export_rows (store, builder, "addresses",
                           "SELECT * FROM contact_address WHERE contact_id = ?1 "
                           "ORDER BY is_primary DESC, id", id, error)
      || !crm_export_rows (store, builder, "links",
                           "SELECT * FROM contact_link WHERE contact_id = ?1 "
                           "ORDER BY is_primary DESC, id", id, error)
      || !crm_export_rows (store, builder, "interactions",
                           "SELECT * FROM interaction WHERE contact_id = ?1 "
                           "ORDER BY happened, id", id, error)
      || !crm_export_rows (store, builder, "deals",
                           "SELECT d.*, s.name AS stage FROM deal d "
                           "JOIN stage s ON s.id = d.stage_id "
                           "WHERE d.contact_id = ?1 ORDER BY d.id", id, error)
      || !crm_export_rows (store, builder, "tasks",
                           "SELECT * FROM task WHERE contact_id = ?1 ORDER BY id", id, error)
      || !crm_export_rows (store, builder, "audit",
                           "SELECT id, at, who, action, changes FROM audit_log "
                           "WHERE entity = 'contact' AND entity_id = ?1 ORDER BY at, id",
                           id, error))
    return NULL;

  json_builder_end_object (builder);
  return crm_json_to_string (builder);
}

/* vCard TYPE for a label people give a phone number or an address. */
static const char *
vcard_type (const char *label,
            gboolean    phone)
{
  static const struct {
    const char *label;
    const char *type;
  } types[] = {
    { "mobile", "cell" }, { "cell", "cell" }, { "di động", "cell" }, { "work", "work" },
    { "office", "work" }, { "công ty", "work" }, { "cơ quan", "work" }, { "home", "home" },
    { "nhà", "home" }, { "nhà riêng", "home" }, { "fax", "fax" },
  };
  g_autofree char *lower = NULL;

  if (label == NULL)
    return phone ? "voice" : NULL;

  lower = g_utf8_strdown (label, -1);
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      if (g_str_equal (lower, types[i].label)
          && (phone || g_str_equal (types[i].type, "work") || g_str_equal (types[i].type, "home")))
        return types[i].type;
    }

  return phone ? "voice" : NULL;
}

static char *
vcard_params (const char *type,
              gboolean    primary,
              const char *extra)
{
  GString *params = g_string_new (extra);

  if (type != NULL)
    g_string_append_printf (params, "%sTYPE=%s", params->len > 0 ? ";" : "", type);
  if (primary)
    g_string_append_printf (params, "%sPREF=1", params->len > 0 ? ";" : "");

  return g_string_free (params, FALSE);
}

/**
 * crm_contact_export_vcard:
 *
 * The contact as a vCard 4.0 (RFC 6350) for address books.
 *
 * Returns: (transfer full): the vCard, CRLF line ends, or %NULL with
 *   @error set
 */
char *
crm_contact_export_vcard (CrmStore  *store,
                          gint64     id,
                          GError   **error)
{
  g_autoptr (CrmContact) contact = NULL;
  GString *card;

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);

  contact = crm_contact_load (store, id, error);
  if (contact == NULL)
    return NULL;

  card = g_string_new (NULL);
  crm_vcard_append_line (card, "BEGIN:VCARD");
  crm_vcard_append_line (card, "VERSION:4.0");
  crm_vcard_append_line (card, "KIND:individual");
  crm_vcard_append_text (card, "FN", NULL, contact->display_name);
  {
    const char *n[] = { contact->family_name, contact->given_name, contact->middle_name,
                        NULL, NULL };

    crm_vcard_append_structured (card, "N", NULL, n, G_N_ELEMENTS (n));
  }

  for (guint i = 0; i < contact->phones->len; i++)
    {
      CrmContactDetail *phone = g_ptr_array_index (contact->phones, i);
      g_autofree char *params = vcard_params (vcard_type (phone->label, TRUE), phone->primary,
                                              "VALUE=uri");
      g_autofree char *uri = g_strconcat ("tel:", phone->value, NULL);

      crm_vcard_append_uri (card, "TEL", params, uri);
    }

  for (guint i = 0; i < contact->emails->len; i++)
    {
      CrmContactDetail *email = g_ptr_array_index (contact->emails, i);
      g_autofree char *params = vcard_params (vcard_type (email->label, FALSE), email->primary,
                                              NULL);

      crm_vcard_append_text (card, "EMAIL", params, email->value);
    }

  for (guint i = 0; i < contact->addresses->len; i++)
    {
      CrmContactDetail *address = g_ptr_array_index (contact->addresses, i);
      g_autofree char *params = vcard_params (vcard_type (address->label, FALSE),
                                              address->primary, NULL);
      g_autofree char *locality = NULL;
      const char *adr[7] = { NULL, };

      /* Vietnamese addresses have a ward and a district where RFC 6350 has
       * one locality. */
      if (!crm_text_is_blank (address->ward) && !crm_text_is_blank (address->district))
        locality = g_strconcat (address->ward, ", ", address->district, NULL);
      else
        locality = g_strdup (!crm_text_is_blank (address->ward) ? address->ward : address->district);

      adr[2] = address->street;
      adr[3] = locality;
      adr[4] = address->province;
      adr[6] = address->country;
      crm_vcard_append_structured (card, "ADR", params, adr, G_N_ELEMENTS (adr));
    }

  if (contact->birthday != NULL)
    {
      g_autofree char *bday = g_strdup (contact->birthday);
      char *out = bday;

      /* vCard dates have no dashes: 19900115. */
      for (const char *p = contact->birthday; *p != '\0'; p++)
        {
          if (*p != '-')
            *out++ = *p;
        }
      *out = '\0';
      crm_vcard_append_text (card, "BDAY", NULL, bday);
    }

  if (contact->gender != NULL)
    crm_vcard_append_text (card, "GENDER", NULL,
                           g_str_equal (contact->gender, "female") ? "F"
                           : g_str_equal (contact->gender, "male") ? "M" : "O");
  crm_vcard_append_text (card, "ORG", NULL, contact->company_name);
  crm_vcard_append_text (card, "TITLE", NULL, contact->job_title);
  crm_vcard_append_text (card, "NOTE", NULL, contact->notes);
  crm_vcard_append_list (card, "CATEGORIES", (const char *const *) contact->tags);

  for (guint i = 0; i < contact->links->len; i++)
    {
      CrmContactDetail *link = g_ptr_array_index (contact->links, i);
      g_autofree char *params = vcard_params (NULL, link->primary, NULL);

      crm_vcard_append_uri (card, "URL", params, link->value);
    }

  {
    g_autoptr (GDateTime) updated = g_date_time_new_from_unix_utc (contact->updated);
    g_autofree char *rev = g_date_time_format (updated, "%Y%m%dT%H%M%SZ");

    crm_vcard_append_text (card, "REV", NULL, rev);
  }
  crm_vcard_append_line (card, "END:VCARD");

  return g_string_free (card, FALSE);
}
