/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_CONTACT_EDITOR (crm_contact_editor_get_type ())

G_DECLARE_FINAL_TYPE (CrmContactEditor, crm_contact_editor, CRM, CONTACT_EDITOR, AdwWindow)

CrmContactEditor *crm_contact_editor_new              (GtkWindow        *parent,
                                                       CrmStore         *store,
                                                       gint64            id);
CrmContactEditor *crm_contact_editor_new_with_company (GtkWindow        *parent,
                                                       CrmStore         *store,
                                                       gint64            company_id);
gint64            crm_contact_editor_get_contact_id   (CrmContactEditor *self);
gint64            crm_contact_editor_get_company_id   (CrmContactEditor *self);
void              crm_contact_editor_set_company_id   (CrmContactEditor *self,
                                                       gint64            company_id);
gboolean          crm_contact_editor_get_modified     (CrmContactEditor *self);

/* The pieces both editors are made of, shared with crm-company-editor.c;
 * not meant for other callers. */

/* A row shown under a field's row, with what is wrong with the value, how
 * it will be stored, and whether another record has it already. */
typedef struct _CrmEditorMessage CrmEditorMessage;

CrmEditorMessage *crm_editor_message_new            (GtkWidget        *field_row);
void              crm_editor_message_remove         (CrmEditorMessage *message);
void              crm_editor_message_set_error      (CrmEditorMessage *message,
                                                     const char       *error);
void              crm_editor_message_set_preview    (CrmEditorMessage *message,
                                                     const char       *value);
void              crm_editor_message_set_duplicate  (CrmEditorMessage *message,
                                                     const char       *text,
                                                     const char       *uri,
                                                     gint64            id);
gboolean          crm_editor_message_has_error      (CrmEditorMessage *message);
gint64            crm_editor_message_get_duplicate_id (CrmEditorMessage *message);
GtkLinkButton    *crm_editor_message_get_open_button  (CrmEditorMessage *message);
GtkWidget        *crm_editor_message_get_field_row    (CrmEditorMessage *message);

void              crm_editor_ask_discard            (GtkWindow        *editor,
                                                     const char       *body);
void              crm_editor_add_toast              (AdwToastOverlay  *overlay,
                                                     const char       *title);
char             *crm_editor_date_to_display        (const char       *iso);

G_END_DECLS
