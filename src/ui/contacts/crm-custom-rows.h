/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "crm-contact-editor.h"
#include "crm-fields.h"

G_BEGIN_DECLS

/* The row that edits one custom field in an editor, by the field's type:
 * an entry row for text, numbers and dates, a combo row with "Not set"
 * first for a choice list, a switch for yes/no; with its message row for
 * what is wrong and how a date will be stored. The contact and company
 * editors share it. */
typedef struct _CrmCustomRow CrmCustomRow;

/* Called when the user changed the row's value. */
typedef void (*CrmCustomRowChanged) (CrmCustomRow *row,
                                     gpointer      user_data);

CrmCustomRow         *crm_custom_row_new           (AdwPreferencesGroup  *group,
                                                    const CrmCustomField *field,
                                                    const char           *value,
                                                    CrmCustomRowChanged   changed,
                                                    gpointer              user_data);
void                  crm_custom_row_free          (CrmCustomRow         *row);
const CrmCustomField *crm_custom_row_get_field     (CrmCustomRow         *row);
GtkWidget            *crm_custom_row_get_widget    (CrmCustomRow         *row);
CrmEditorMessage     *crm_custom_row_get_message   (CrmCustomRow         *row);
gboolean              crm_custom_row_get_touched   (CrmCustomRow         *row);
const char           *crm_custom_row_get_value     (CrmCustomRow         *row);
void                  crm_custom_row_show_problems (CrmCustomRow         *row,
                                                    GPtrArray            *problems,
                                                    gboolean              show_all);

CrmCustomRow         *crm_custom_rows_find         (GPtrArray            *rows,
                                                    const char           *key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmCustomRow, crm_custom_row_free)

G_END_DECLS
