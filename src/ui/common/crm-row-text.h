/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CRM_TYPE_ROW_TEXT (crm_row_text_get_type ())

G_DECLARE_FINAL_TYPE (CrmRowText, crm_row_text, CRM, ROW_TEXT, GtkWidget)

GtkWidget  *crm_row_text_new        (void);
const char *crm_row_text_get_text   (CrmRowText *self);
void        crm_row_text_set_text   (CrmRowText *self,
                                     const char *text);
float       crm_row_text_get_xalign (CrmRowText *self);
void        crm_row_text_set_xalign (CrmRowText *self,
                                     float       xalign);

G_END_DECLS
