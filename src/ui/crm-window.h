/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "crm-application.h"
#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_WINDOW (crm_window_get_type ())

G_DECLARE_FINAL_TYPE (CrmWindow, crm_window, CRM, WINDOW, AdwApplicationWindow)

CrmWindow  *crm_window_new            (CrmApplication *application);
void        crm_window_add_view       (CrmWindow      *self,
                                       GtkWidget      *view,
                                       const char     *name,
                                       const char     *title,
                                       const char     *icon_name);
const char *crm_window_get_view_name  (CrmWindow      *self);
void        crm_window_show_toast     (CrmWindow      *self,
                                       const char     *title);
void        crm_window_set_store      (CrmWindow      *self,
                                       CrmStore       *store);
CrmStore   *crm_window_get_store      (CrmWindow      *self);

G_END_DECLS
