/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "crm-store.h"

G_BEGIN_DECLS

/* One email address, phone number, postal address or link of a contact. In
 * a loaded contact @value is the stored email, E.164 number or URL and @raw
 * the phone number as it was typed; in a draft @value is what the user
 * typed. Addresses use the five parts and leave @value NULL. */
typedef struct
{
  char     *value;
  char     *raw;
  char     *label;
  gboolean  primary;
  char     *street;
  char     *ward;
  char     *district;
  char     *province;
  char     *country;
} CrmContactDetail;

CrmContactDetail *crm_contact_detail_new            (const char             *value,
                                                     const char             *label,
                                                     gboolean                primary);
CrmContactDetail *crm_contact_detail_new_address    (const char             *street,
                                                     const char             *ward,
                                                     const char             *district,
                                                     const char             *province,
                                                     const char             *country,
                                                     const char             *label,
                                                     gboolean                primary);
CrmContactDetail *crm_contact_detail_copy           (const CrmContactDetail *detail);
void              crm_contact_detail_free           (CrmContactDetail       *detail);
char             *crm_contact_detail_format_address (const CrmContactDetail *detail);

/* A custom field (custom_field) with this entity's value, NULL when unset. */
typedef struct
{
  gint64  field_id;
  char   *key;
  char   *label;
  char   *type;      /* text, number, date, choice, bool */
  char   *options;   /* JSON, for choices */
  char   *value;
} CrmCustomValue;

void crm_custom_value_free (CrmCustomValue *value);

/* Purchases in one currency: amounts in its minor units. */
typedef struct
{
  char   currency[4];
  guint  count;
  gint64 total;
  gint64 average;   /* rounded to the nearest minor unit */
} CrmSpend;

/* One interaction as a summary shows it. */
typedef struct
{
  gint64  id;
  gint64  contact_id;
  char   *contact_name;
  char   *kind;
  char   *subject;
  char   *body;
  gint64  happened;
  char   *sentiment;      /* positive, neutral, negative or NULL */
  int     satisfaction;   /* 1–5, or 0 when not given */
  gint64  amount;
  char   *currency;       /* NULL without an amount */
} CrmInteractionSummary;

void crm_interaction_summary_free (CrmInteractionSummary *summary);
CrmInteractionSummary *crm_interaction_summary_from_row (sqlite3_stmt *stmt);

typedef struct
{
  gint64  id;
  char   *title;
  gint64  value;
  char   *currency;
  char   *stage;          /* translated when it is a built-in stage */
  char   *status;         /* open, won, lost */
  gint64  contact_id;
  char   *contact_name;
  char   *expected_close;
} CrmDealSummary;

void crm_deal_summary_free (CrmDealSummary *summary);

typedef struct
{
  gint64  id;
  char   *title;
  gint64  due;            /* 0 when it has no due time */
  int     priority;
} CrmTaskSummary;

void crm_task_summary_free (CrmTaskSummary *summary);

/* The single customer view: one contact with everything about them, read
 * at once. An immutable snapshot; load it again on CrmStore::changed. */

#define CRM_TYPE_CONTACT (crm_contact_get_type ())

G_DECLARE_FINAL_TYPE (CrmContact, crm_contact, CRM, CONTACT, GObject)

CrmContact   *crm_contact_load                    (CrmStore    *store,
                                                   gint64       id,
                                                   GError     **error);
CrmContact   *crm_contact_load_at                 (CrmStore    *store,
                                                   gint64       id,
                                                   gint64       now,
                                                   GError     **error);

gint64        crm_contact_get_id                  (CrmContact  *self);
const char   *crm_contact_get_display_name        (CrmContact  *self);
const char   *crm_contact_get_given_name          (CrmContact  *self);
const char   *crm_contact_get_middle_name         (CrmContact  *self);
const char   *crm_contact_get_family_name         (CrmContact  *self);
gboolean      crm_contact_get_given_name_first    (CrmContact  *self);
gint64        crm_contact_get_company_id          (CrmContact  *self);
const char   *crm_contact_get_company_name        (CrmContact  *self);
const char   *crm_contact_get_job_title           (CrmContact  *self);
const char   *crm_contact_get_birthday            (CrmContact  *self);
const char   *crm_contact_get_gender              (CrmContact  *self);
const char   *crm_contact_get_preferred_channel   (CrmContact  *self);
const char   *crm_contact_get_interests           (CrmContact  *self);
const char   *crm_contact_get_education           (CrmContact  *self);
const char   *crm_contact_get_occupation          (CrmContact  *self);
const char   *crm_contact_get_income_band         (CrmContact  *self);
const char   *crm_contact_get_family_status       (CrmContact  *self);
const char   *crm_contact_get_lifestyle           (CrmContact  *self);
const char   *crm_contact_get_notes               (CrmContact  *self);
gint64        crm_contact_get_lifecycle_stage_id  (CrmContact  *self);
const char   *crm_contact_get_lifecycle_stage_key (CrmContact  *self);
const char   *crm_contact_get_lifecycle_stage     (CrmContact  *self);
gint64        crm_contact_get_lead_status_id      (CrmContact  *self);
const char   *crm_contact_get_lead_status_key     (CrmContact  *self);
const char   *crm_contact_get_lead_status         (CrmContact  *self);
const char   *crm_contact_get_source              (CrmContact  *self);
const char   *crm_contact_get_owner               (CrmContact  *self);
gboolean      crm_contact_get_consent             (CrmContact  *self);
const char   *crm_contact_get_consent_date        (CrmContact  *self);
const char   *crm_contact_get_consent_source      (CrmContact  *self);
gint64        crm_contact_get_created             (CrmContact  *self);
gint64        crm_contact_get_updated             (CrmContact  *self);
gint64        crm_contact_get_last_interaction    (CrmContact  *self);
gboolean      crm_contact_get_archived            (CrmContact  *self);
const char   *crm_contact_get_primary_email       (CrmContact  *self);
const char   *crm_contact_get_primary_phone       (CrmContact  *self);

/* (element-type CrmContactDetail), primary first */
GPtrArray    *crm_contact_get_emails              (CrmContact  *self);
GPtrArray    *crm_contact_get_phones              (CrmContact  *self);
GPtrArray    *crm_contact_get_addresses           (CrmContact  *self);
GPtrArray    *crm_contact_get_links               (CrmContact  *self);
const char *const *crm_contact_get_tags           (CrmContact  *self);
/* (element-type CrmCustomValue): every custom field of contacts */
GPtrArray    *crm_contact_get_custom_values       (CrmContact  *self);
const char   *crm_contact_get_custom_value        (CrmContact  *self,
                                                   const char  *key);

/* Quantitative data */
guint         crm_contact_get_n_interactions      (CrmContact  *self);
guint         crm_contact_get_n_purchases         (CrmContact  *self);
guint         crm_contact_get_n_support_requests  (CrmContact  *self);
/* (element-type CrmSpend): one per currency, the most purchases first */
GPtrArray    *crm_contact_get_spending            (CrmContact  *self);
const CrmSpend *crm_contact_get_spend             (CrmContact  *self,
                                                   const char  *currency);
/* Whole days since the last interaction, or -1 when there was none. */
int           crm_contact_get_days_since_contact  (CrmContact  *self);

/* Qualitative data */
const CrmInteractionSummary *crm_contact_get_latest_feedback (CrmContact *self);
/* (element-type CrmInteractionSummary): the latest notes, newest first */
GPtrArray    *crm_contact_get_recent_notes        (CrmContact  *self);
/* (element-type CrmDealSummary) */
GPtrArray    *crm_contact_get_open_deals          (CrmContact  *self);
const CrmTaskSummary *crm_contact_get_next_task   (CrmContact  *self);

/* Editing: a draft holds what the editor shows, as typed; saving validates
 * and normalises it and writes it in one transaction. */

typedef struct
{
  gint64      id;                  /* 0 for a new contact */
  char       *given_name;
  char       *middle_name;
  char       *family_name;
  gboolean    given_name_first;    /* "John Smith" rather than "Nguyễn Văn Đức" */
  gint64      company_id;          /* 0: none */
  char       *job_title;
  char       *birthday;            /* YYYY-MM-DD or DD/MM/YYYY */
  char       *gender;              /* female, male, other */
  char       *preferred_channel;   /* phone, email, zalo, sms, facebook, in_person */
  char       *interests;
  char       *education;
  char       *occupation;
  char       *income_band;
  char       *family_status;
  char       *lifestyle;
  char       *notes;
  gint64      lifecycle_stage_id;  /* 0: none */
  gint64      lead_status_id;      /* 0: none */
  char       *source;
  char       *owner;
  gboolean    consent;
  char       *consent_date;        /* today when consent is given without a date */
  char       *consent_source;
  GPtrArray  *emails;              /* (element-type CrmContactDetail) */
  GPtrArray  *phones;
  GPtrArray  *addresses;
  GPtrArray  *links;
  GPtrArray  *tags;                /* (element-type utf8): names */
  GHashTable *custom;              /* custom field key → text; "" clears */
} CrmContactDraft;

CrmContactDraft *crm_contact_draft_new              (void);
CrmContactDraft *crm_contact_draft_new_from_contact (CrmContact        *contact);
void             crm_contact_draft_free             (CrmContactDraft   *draft);
gboolean         crm_contact_draft_set_text         (CrmContactDraft   *draft,
                                                     const char        *field,
                                                     const char        *text);
const char      *crm_contact_draft_get_text         (CrmContactDraft   *draft,
                                                     const char        *field);
void             crm_contact_draft_add_email        (CrmContactDraft   *draft,
                                                     const char        *email,
                                                     const char        *label);
void             crm_contact_draft_add_phone        (CrmContactDraft   *draft,
                                                     const char        *phone,
                                                     const char        *label);
void             crm_contact_draft_add_link         (CrmContactDraft   *draft,
                                                     const char        *url,
                                                     const char        *label);
void             crm_contact_draft_add_tag          (CrmContactDraft   *draft,
                                                     const char        *name);
void             crm_contact_draft_set_custom       (CrmContactDraft   *draft,
                                                     const char        *key,
                                                     const char        *text);

/* What is wrong with one field: @field is a draft field name ("given_name",
 * "birthday", …), "email", "phone", "address", "link" or "tag" with @index
 * the row in that list, or "custom:KEY"; @index is -1 outside lists. */
typedef struct
{
  char *field;
  int   index;
  char *value;     /* as typed */
  char *message;   /* translated, one line */
} CrmFieldProblem;

void     crm_field_problem_free        (CrmFieldProblem  *problem);

gboolean crm_contact_draft_validate    (CrmContactDraft  *draft,
                                        CrmStore         *store,
                                        GPtrArray       **problems);
char    *crm_contact_normalize_value   (const char       *field,
                                        const char       *text,
                                        GError          **error);

/* Undo: restores exactly what was there before a save, an archive or a
 * delete, in one transaction. */
typedef struct _CrmUndo CrmUndo;

gboolean    crm_undo_apply      (CrmUndo    *undo,
                                 CrmStore   *store,
                                 GError    **error);
const char *crm_undo_get_entity (CrmUndo    *undo);
gint64      crm_undo_get_id     (CrmUndo    *undo);
void        crm_undo_free       (CrmUndo    *undo);

gint64   crm_contact_save              (CrmStore         *store,
                                        CrmContactDraft  *draft,
                                        CrmUndo         **undo,
                                        GError          **error);
gboolean crm_contact_set_archived      (CrmStore         *store,
                                        gint64            id,
                                        gboolean          archived,
                                        CrmUndo         **undo,
                                        GError          **error);
gboolean crm_contact_delete            (CrmStore         *store,
                                        gint64            id,
                                        CrmUndo         **undo,
                                        GError          **error);
gboolean crm_contact_erase             (CrmStore         *store,
                                        gint64            id,
                                        GError          **error);
void     crm_contact_erase_async       (CrmStore            *store,
                                        gint64               id,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean crm_contact_erase_finish      (CrmStore         *store,
                                        GAsyncResult     *result,
                                        GError          **error);
gboolean crm_contacts_purge_erased     (CrmStore         *store,
                                        GError          **error);

/* Duplicates: the first other contact with this normalised number or
 * address, or 0. */
gint64   crm_contacts_find_by_phone    (CrmStore         *store,
                                        const char       *e164,
                                        gint64            exclude_id,
                                        char            **display_name,
                                        GError          **error);
gint64   crm_contacts_find_by_email    (CrmStore         *store,
                                        const char       *email,
                                        gint64            exclude_id,
                                        char            **display_name,
                                        GError          **error);

/* Right of access: everything the workspace holds about one person. */
char    *crm_contact_export_json       (CrmStore         *store,
                                        gint64            id,
                                        GError          **error);
char    *crm_contact_export_vcard      (CrmStore         *store,
                                        gint64            id,
                                        GError          **error);

/* For core code: what crm-company.c shares with contacts. */
typedef enum {
  CRM_UNDO_PART_MAIN,    /* the entity's own row, restored in place */
  CRM_UNDO_PART_OWNED,   /* rows that belong to it: replaced */
  CRM_UNDO_PART_LINKED,  /* rows that only point at it: linked again */
} CrmUndoPartKind;

typedef struct
{
  CrmUndoPartKind  kind;
  const char      *table;
  const char      *where;    /* selects the rows, ?1 being the entity's id */
  const char      *column;   /* CRM_UNDO_PART_LINKED: the column to set */
} CrmUndoPart;

CrmUndo    *crm_undo_capture       (CrmStore           *store,
                                    const char         *entity,
                                    gint64              id,
                                    const CrmUndoPart  *parts,
                                    gsize               n_parts,
                                    GError            **error);
void        crm_undo_set_id        (CrmUndo            *undo,
                                    gint64              id);
void        crm_undo_add_new_tag   (CrmUndo            *undo,
                                    gint64              tag_id);
const char *crm_translate_builtin  (const char         *name,
                                    gboolean            builtin);
char       *crm_date_normalize     (const char         *text,
                                    GError            **error);
gboolean    crm_export_rows        (CrmStore           *store,
                                    JsonBuilder        *builder,
                                    const char         *member,
                                    const char         *sql,
                                    gint64              id,
                                    GError            **error);
void        crm_export_custom_values (JsonBuilder      *builder,
                                      GPtrArray        *custom_values);
JsonBuilder *crm_export_begin      (CrmStore           *store,
                                    const char         *format);
void        crm_json_add_string    (JsonBuilder        *builder,
                                    const char         *name,
                                    const char         *value);
void        crm_json_add_named     (JsonBuilder        *builder,
                                    const char         *member,
                                    gint64              id,
                                    const char         *key,
                                    const char         *name);
char       *crm_json_to_string     (JsonBuilder        *builder);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmContactDetail, crm_contact_detail_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmContactDraft, crm_contact_draft_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmFieldProblem, crm_field_problem_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmUndo, crm_undo_free)

G_END_DECLS
