/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CRM_TYPE_INITIALS (crm_initials_get_type ())

G_DECLARE_FINAL_TYPE (CrmInitials, crm_initials, CRM, INITIALS, GtkWidget)

GtkWidget  *crm_initials_new      (void);
const char *crm_initials_get_text (CrmInitials *self);
void        crm_initials_set_text (CrmInitials *self,
                                   const char  *text);
/* The "colorN" style class AdwAvatar gives @text, so that a person's
 * initials have the same color in the list as on their page. */
guint       crm_initials_color    (const char  *text);
/* "Nguyễn Văn An" → "NA", as AdwAvatar shows them; NULL for no text. */
char       *crm_initials_of       (const char  *text);

G_END_DECLS
