/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "crm-contact.h"
#include "crm-store.h"

G_BEGIN_DECLS

typedef enum {
  CRM_CONTACT_EXPORT_JSON,
  CRM_CONTACT_EXPORT_VCARD,
} CrmContactExportFormat;

#define CRM_TYPE_CONTACT_PAGE (crm_contact_page_get_type ())

G_DECLARE_FINAL_TYPE (CrmContactPage, crm_contact_page, CRM, CONTACT_PAGE, GtkWidget)

GtkWidget  *crm_contact_page_new            (CrmStore               *store);
CrmStore   *crm_contact_page_get_store      (CrmContactPage         *self);
void        crm_contact_page_set_store      (CrmContactPage         *self,
                                             CrmStore               *store);
gint64      crm_contact_page_get_contact_id (CrmContactPage         *self);
void        crm_contact_page_set_contact_id (CrmContactPage         *self,
                                             gint64                  contact_id);
CrmContact *crm_contact_page_get_contact    (CrmContactPage         *self);
void        crm_contact_page_export         (CrmContactPage         *self,
                                             CrmContactExportFormat  format,
                                             GFile                  *file);

/* What the contact and company pages share: rows that activate an action
 * with a target, toasts, the clipboard, links and writing an export. */

/* Rows of a GtkListBox, filled again in place on each load. */
typedef struct
{
  GtkListBox *list;
  GtkWidget  *next;
  GtkWidget  *last;
  guint       n_rows;
} CrmRows;

void        crm_page_rows_begin             (CrmRows                *rows,
                                             GtkListBox             *list);
GtkWidget  *crm_page_rows_add               (CrmRows                *rows,
                                             const char             *title,
                                             const char             *subtitle);
GtkWidget  *crm_page_rows_add_text          (CrmRows                *rows,
                                             const char             *value,
                                             const char             *what);
guint       crm_page_rows_end               (CrmRows                *rows);
void        crm_page_row_set_action         (GtkWidget              *row,
                                             const char             *action_name,
                                             GVariant               *target,
                                             const char             *icon_name,
                                             const char             *tooltip);
void        crm_page_row_set_tooltip        (GtkWidget              *row,
                                             const char             *tooltip);
GtkWidget  *crm_page_row_set_suffix         (GtkWidget              *row,
                                             const char             *text,
                                             const char             *css_class);
void        crm_page_activate_row           (GtkWidget              *page,
                                             GtkListBoxRow          *row);
void        crm_page_clear_flow_box         (GtkFlowBox             *box);
void        crm_page_add_pill               (GtkFlowBox             *box,
                                             const char             *text,
                                             const char             *css_class);
void        crm_page_ensure_style           (GtkWidget              *page);
void        crm_page_show_toast             (GtkWidget              *page,
                                             const char             *message);
void        crm_page_copy                   (GtkWidget              *page,
                                             const char             *text);
void        crm_page_open_uri               (GtkWidget              *page,
                                             const char             *uri);
void        crm_page_write_file             (GtkWidget              *page,
                                             GFile                  *file,
                                             char                   *contents);
void        crm_page_choose_export_file     (GtkWidget              *page,
                                             const char             *title,
                                             const char             *suggested_name,
                                             char                   *contents);

G_END_DECLS
