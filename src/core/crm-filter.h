/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

#include "crm-search.h"

G_BEGIN_DECLS

/* A filter of the contact list: conditions that must all hold. Every
 * condition is optional; a new filter keeps the contacts that are not
 * archived, as the list does.
 *
 * Saved as a JSON object (the `filter` column of `segment`):
 *
 *   { "stages": [6, 7],              lifecycle stage ids, any of
 *     "lead_statuses": [1],          lead status ids, any of
 *     "tags": [3, 4],                tag ids …
 *     "tag_match": "all",            … "all" of them (the default) or "any"
 *     "tags_none": [9],              tag ids the contact has none of
 *     "owner": "lan",                "" for contacts without an owner
 *     "province": "Hà Nội",          of the primary address
 *     "source": "Website",
 *     "consent": true,               marketing consent given or not
 *     "custom": [ { "field": 2, "op": "between", "min": 1, "max": 5 } ],
 *     "no_contact_days": 30,         no interaction for that many days
 *     "birthday_this_month": true,
 *     "archived": "only" }           "exclude" (the default), "only", "include"
 *
 * Custom conditions: "op" is "equals" or "contains" with "text"; "between"
 * with "min" and/or "max"; "before" or "after" with "date" (YYYY-MM-DD);
 * "is" with "value" (true/false); "any_of" with "choices" (a list of text).
 * Members this version does not know are kept and written back. */

#define CRM_FILTER_ERROR (crm_filter_error_quark ())

typedef enum {
  CRM_FILTER_ERROR_INVALID,  /* a filter that cannot be read or used */
} CrmFilterError;

typedef enum {
  CRM_FILTER_ARCHIVED_EXCLUDE,  /* the default: contacts that are not archived */
  CRM_FILTER_ARCHIVED_ONLY,
  CRM_FILTER_ARCHIVED_INCLUDE,
} CrmFilterArchived;

typedef enum {
  CRM_FILTER_TAGS_ALL,
  CRM_FILTER_TAGS_ANY,
} CrmFilterTagMatch;

typedef enum {
  CRM_FILTER_CONSENT_ANY,
  CRM_FILTER_CONSENT_YES,
  CRM_FILTER_CONSENT_NO,
} CrmFilterConsent;

typedef enum {
  CRM_CUSTOM_EQUALS,    /* text: the same, ignoring case and diacritics */
  CRM_CUSTOM_CONTAINS,  /* text: contains, ignoring case and diacritics */
  CRM_CUSTOM_BETWEEN,   /* number: min <= value <= max; a NAN bound is open */
  CRM_CUSTOM_BEFORE,    /* date: strictly before */
  CRM_CUSTOM_AFTER,     /* date: strictly after */
  CRM_CUSTOM_IS,        /* bool; "false" includes contacts with no value */
  CRM_CUSTOM_ANY_OF,    /* choice: one of the choices */
} CrmCustomOp;

/* One condition on a custom field (read-only for callers). */
typedef struct
{
  gint64       field_id;
  CrmCustomOp  op;
  char        *text;      /* EQUALS, CONTAINS; the YYYY-MM-DD date of BEFORE, AFTER */
  double       min;       /* BETWEEN */
  double       max;
  gboolean     value;     /* IS */
  GStrv        choices;   /* ANY_OF */
} CrmFilterCustom;

/* How crm_filter_first_page_full() reads a page; all give the same ids. */
typedef enum {
  CRM_FILTER_PLAN_AUTO,          /* the fastest of the two below */
  CRM_FILTER_PLAN_LIST_ORDER,    /* walk the list's sort index, testing each contact */
  CRM_FILTER_PLAN_SMALLEST_SET,  /* sort the matches from the smallest indexed set */
} CrmFilterPlan;

typedef struct _CrmFilter CrmFilter;
typedef struct _CrmFilterBinds CrmFilterBinds;

#define CRM_TYPE_FILTER (crm_filter_get_type ())

GType              crm_filter_get_type                (void) G_GNUC_CONST;
GQuark             crm_filter_error_quark             (void);

CrmFilter         *crm_filter_new                     (void);
CrmFilter         *crm_filter_ref                     (CrmFilter          *self);
void               crm_filter_unref                   (CrmFilter          *self);
CrmFilter         *crm_filter_copy                    (const CrmFilter    *self);
gboolean           crm_filter_equal                   (const CrmFilter    *a,
                                                       const CrmFilter    *b);
gboolean           crm_filter_is_empty                (const CrmFilter    *self);

void               crm_filter_set_lifecycle_stages    (CrmFilter          *self,
                                                       const gint64       *ids,
                                                       gsize               n_ids);
const gint64      *crm_filter_get_lifecycle_stages    (const CrmFilter    *self,
                                                       gsize              *n_ids);
void               crm_filter_set_lead_statuses       (CrmFilter          *self,
                                                       const gint64       *ids,
                                                       gsize               n_ids);
const gint64      *crm_filter_get_lead_statuses       (const CrmFilter    *self,
                                                       gsize              *n_ids);
void               crm_filter_set_tags                (CrmFilter          *self,
                                                       CrmFilterTagMatch   match,
                                                       const gint64       *ids,
                                                       gsize               n_ids);
const gint64      *crm_filter_get_tags                (const CrmFilter    *self,
                                                       CrmFilterTagMatch  *match,
                                                       gsize              *n_ids);
void               crm_filter_set_tags_none           (CrmFilter          *self,
                                                       const gint64       *ids,
                                                       gsize               n_ids);
const gint64      *crm_filter_get_tags_none           (const CrmFilter    *self,
                                                       gsize              *n_ids);
void               crm_filter_set_owner               (CrmFilter          *self,
                                                       const char         *owner);
const char        *crm_filter_get_owner               (const CrmFilter    *self);
void               crm_filter_set_province            (CrmFilter          *self,
                                                       const char         *province);
const char        *crm_filter_get_province            (const CrmFilter    *self);
void               crm_filter_set_source              (CrmFilter          *self,
                                                       const char         *source);
const char        *crm_filter_get_source              (const CrmFilter    *self);
void               crm_filter_set_consent             (CrmFilter          *self,
                                                       CrmFilterConsent    consent);
CrmFilterConsent   crm_filter_get_consent             (const CrmFilter    *self);
void               crm_filter_set_no_contact_days     (CrmFilter          *self,
                                                       guint               days);
guint              crm_filter_get_no_contact_days     (const CrmFilter    *self);
void               crm_filter_set_birthday_this_month (CrmFilter          *self,
                                                       gboolean            birthday_this_month);
gboolean           crm_filter_get_birthday_this_month (const CrmFilter    *self);
void               crm_filter_set_archived            (CrmFilter          *self,
                                                       CrmFilterArchived   archived);
CrmFilterArchived  crm_filter_get_archived            (const CrmFilter    *self);
void               crm_filter_set_now                 (CrmFilter          *self,
                                                       gint64              now);
gint64             crm_filter_get_now                 (const CrmFilter    *self);

void               crm_filter_add_custom_text         (CrmFilter          *self,
                                                       gint64              field_id,
                                                       CrmCustomOp         op,
                                                       const char         *text);
void               crm_filter_add_custom_between      (CrmFilter          *self,
                                                       gint64              field_id,
                                                       double              min,
                                                       double              max);
void               crm_filter_add_custom_date         (CrmFilter          *self,
                                                       gint64              field_id,
                                                       CrmCustomOp         op,
                                                       const char         *date);
void               crm_filter_add_custom_bool         (CrmFilter          *self,
                                                       gint64              field_id,
                                                       gboolean            value);
void               crm_filter_add_custom_choices      (CrmFilter          *self,
                                                       gint64              field_id,
                                                       const char *const  *choices);
void               crm_filter_add_custom              (CrmFilter          *self,
                                                       const CrmFilterCustom *custom);
guint              crm_filter_get_n_custom            (const CrmFilter    *self);
const CrmFilterCustom *crm_filter_get_custom          (const CrmFilter    *self,
                                                       guint               index);
void               crm_filter_remove_custom           (CrmFilter          *self,
                                                       guint               index);

char              *crm_filter_to_json                 (const CrmFilter    *self);
CrmFilter         *crm_filter_new_from_json           (const char         *json,
                                                       GError            **error);
char              *crm_filter_describe                (const CrmFilter    *self,
                                                       sqlite3            *db);

CrmFilterBinds    *crm_filter_binds_new               (void);
void               crm_filter_binds_free              (CrmFilterBinds     *binds);
guint              crm_filter_binds_get_length        (const CrmFilterBinds *binds);
gboolean           crm_filter_build_sql               (const CrmFilter    *self,
                                                       GString            *where,
                                                       CrmFilterBinds     *binds,
                                                       GError            **error);
int                crm_filter_bind                    (sqlite3_stmt       *stmt,
                                                       int                 first_index,
                                                       const CrmFilterBinds *binds);

GArray            *crm_filter_collect_ids             (sqlite3            *db,
                                                       const CrmFilter    *self,
                                                       GCancellable       *cancellable,
                                                       GError            **error);
GArray            *crm_filter_collect_ids_matching    (sqlite3            *db,
                                                       const CrmFilter    *self,
                                                       const char         *query,
                                                       GCancellable       *cancellable,
                                                       GError            **error);
gint64             crm_filter_count                   (sqlite3            *db,
                                                       const CrmFilter    *self,
                                                       GError            **error);
gint64             crm_filter_count_matching          (sqlite3            *db,
                                                       const CrmFilter    *self,
                                                       const char         *query,
                                                       GError            **error);
GArray            *crm_filter_first_page              (sqlite3            *db,
                                                       const CrmFilter    *self,
                                                       CrmSortOrder        order,
                                                       guint               limit,
                                                       GError            **error);
GArray            *crm_filter_first_page_full         (sqlite3            *db,
                                                       const CrmFilter    *self,
                                                       const char         *query,
                                                       CrmSortOrder        order,
                                                       guint               limit,
                                                       CrmFilterPlan       plan,
                                                       gint64              budget_usec,
                                                       GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmFilter, crm_filter_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmFilterBinds, crm_filter_binds_free)

G_END_DECLS
