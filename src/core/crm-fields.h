/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "crm-store.h"

G_BEGIN_DECLS

/* Custom fields (custom_field, custom_value) and the editable lists of a
 * contact's lifecycle stages and lead statuses. */

#define CRM_FIELDS_ERROR (crm_fields_error_quark ())

typedef enum {
  CRM_FIELDS_ERROR_INVALID,     /* a label, name, option or value that cannot be stored */
  CRM_FIELDS_ERROR_NOT_FOUND,   /* no such field, stage or status */
  CRM_FIELDS_ERROR_EXISTS,      /* the label or name is taken */
  CRM_FIELDS_ERROR_HAS_VALUES,  /* stored values stand in the way; the message says how many */
} CrmFieldsError;

typedef enum {
  CRM_FIELD_ENTITY_CONTACT,
  CRM_FIELD_ENTITY_COMPANY,
  CRM_FIELD_ENTITY_DEAL,
} CrmFieldEntity;

typedef enum {
  CRM_FIELD_TYPE_TEXT,
  CRM_FIELD_TYPE_NUMBER,
  CRM_FIELD_TYPE_DATE,
  CRM_FIELD_TYPE_CHOICE,
  CRM_FIELD_TYPE_BOOL,
} CrmFieldType;

#define CRM_FIELD_N_TYPES (CRM_FIELD_TYPE_BOOL + 1)

/* One custom field of contacts, companies or deals. */
typedef struct
{
  gint64          id;
  CrmFieldEntity  entity;
  char           *key;       /* stable: "hang_thanh_vien"; imports and exports use it */
  char           *label;     /* as the user wrote it: "Hạng thành viên" */
  CrmFieldType    type;
  GStrv           options;   /* the labels of a choice list; empty for other types */
  gint64          position;
} CrmCustomField;

#define CRM_TYPE_CUSTOM_FIELD (crm_custom_field_get_type ())

GQuark          crm_fields_error_quark           (void);

const char     *crm_field_entity_to_string       (CrmFieldEntity          entity);
gboolean        crm_field_entity_from_string     (const char             *text,
                                                  CrmFieldEntity         *entity);
const char     *crm_field_type_to_string         (CrmFieldType            type);
gboolean        crm_field_type_from_string       (const char             *text,
                                                  CrmFieldType           *type);
const char     *crm_field_type_get_label         (CrmFieldType            type);

GType           crm_custom_field_get_type        (void) G_GNUC_CONST;
CrmCustomField *crm_custom_field_copy            (const CrmCustomField   *field);
void            crm_custom_field_free            (CrmCustomField         *field);

GPtrArray      *crm_custom_fields_list           (CrmStore               *store,
                                                  CrmFieldEntity          entity,
                                                  GError                **error);
CrmCustomField *crm_custom_field_load            (CrmStore               *store,
                                                  gint64                  id,
                                                  GError                **error);
gint64          crm_custom_field_create          (CrmStore               *store,
                                                  CrmFieldEntity          entity,
                                                  const char             *label,
                                                  CrmFieldType            type,
                                                  const char *const      *options,
                                                  GError                **error);
gboolean        crm_custom_field_update          (CrmStore               *store,
                                                  gint64                  id,
                                                  const char             *label,
                                                  CrmFieldType            type,
                                                  const char *const      *options,
                                                  GError                **error);
gboolean        crm_custom_fields_reorder        (CrmStore               *store,
                                                  CrmFieldEntity          entity,
                                                  const gint64           *ids,
                                                  gsize                   n_ids,
                                                  GError                **error);
gint64          crm_custom_field_count_values    (CrmStore               *store,
                                                  gint64                  id,
                                                  GError                **error);
gboolean        crm_custom_field_delete          (CrmStore               *store,
                                                  gint64                  id,
                                                  gboolean                confirmed,
                                                  GError                **error);
char           *crm_custom_field_normalize_value (const CrmCustomField   *field,
                                                  const char             *text,
                                                  GError                **error);

/* Lifecycle stages and lead statuses: two lists of the same shape. */
typedef enum {
  CRM_STATUS_LIFECYCLE_STAGE,
  CRM_STATUS_LEAD_STATUS,
} CrmStatusKind;

typedef struct
{
  gint64    id;
  char     *key;       /* stable: "customer" */
  char     *name;      /* as stored; an English msgid while builtin */
  gint64    position;
  gboolean  builtin;   /* one Rapport made and the user did not rename: shown translated */
} CrmStatus;

#define CRM_TYPE_STATUS (crm_status_get_type ())

GType       crm_status_get_type                 (void) G_GNUC_CONST;
CrmStatus  *crm_status_copy                     (const CrmStatus  *status);
void        crm_status_free                     (CrmStatus        *status);
const char *crm_status_get_display_name         (const CrmStatus  *status);
const char *crm_status_kind_to_table            (CrmStatusKind     kind);

GPtrArray  *crm_statuses_list                   (CrmStore         *store,
                                                 CrmStatusKind     kind,
                                                 GError          **error);
gint64      crm_status_add                      (CrmStore         *store,
                                                 CrmStatusKind     kind,
                                                 const char       *name,
                                                 GError          **error);
gboolean    crm_status_rename                   (CrmStore         *store,
                                                 CrmStatusKind     kind,
                                                 gint64            id,
                                                 const char       *name,
                                                 GError          **error);
gboolean    crm_statuses_reorder                (CrmStore         *store,
                                                 CrmStatusKind     kind,
                                                 const gint64     *ids,
                                                 gsize             n_ids,
                                                 GError          **error);
gint64      crm_status_count_contacts           (CrmStore         *store,
                                                 CrmStatusKind     kind,
                                                 gint64            id,
                                                 GError          **error);
gboolean    crm_status_delete                   (CrmStore         *store,
                                                 CrmStatusKind     kind,
                                                 gint64            id,
                                                 GError          **error);

gint64      crm_lifecycle_stage_count_contacts  (CrmStore         *store,
                                                 gint64            id,
                                                 GError          **error);
gint64      crm_lead_status_count_contacts      (CrmStore         *store,
                                                 gint64            id,
                                                 GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmCustomField, crm_custom_field_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmStatus, crm_status_free)

G_END_DECLS
