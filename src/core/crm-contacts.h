/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "crm-store.h"

G_BEGIN_DECLS

/* What a new contact is made of. Strings may be NULL. Phone numbers are
 * given already normalised (E.164) with the text as typed. */
typedef struct
{
  const char *given_name;
  const char *middle_name;
  const char *family_name;
  const char *email;
  const char *phone_e164;
  const char *phone_raw;
  const char *province;
  const char *job_title;
  const char *source;
  const char *owner;
  gint64      company_id;
  gint64      lifecycle_stage_id;
  gint64      lead_status_id;
  gint64      created;
  gboolean    given_name_first;  /* "John Smith" rather than "Nguyễn Văn Đức" */
} CrmNewContact;

char    *crm_contact_display_name (const char           *given_name,
                                   const char           *middle_name,
                                   const char           *family_name,
                                   gboolean              given_name_first);
gint64   crm_contacts_add         (CrmStore             *store,
                                   const CrmNewContact  *contact,
                                   GError              **error);
gboolean crm_contacts_add_many    (CrmStore             *store,
                                   const CrmNewContact  *contacts,
                                   gsize                 n_contacts,
                                   gint64               *first_id,
                                   GError              **error);
gint64   crm_contacts_count       (CrmStore             *store,
                                   GError              **error);

/* Adding contacts in batches, in one transaction. */
typedef struct _CrmContactImport CrmContactImport;

CrmContactImport *crm_contact_import_begin  (CrmStore             *store,
                                             gsize                 expected,
                                             GError              **error);
gboolean          crm_contact_import_add    (CrmContactImport     *import,
                                             const CrmNewContact  *contacts,
                                             gsize                 n_contacts,
                                             gint64               *first_id,
                                             GError              **error);
gboolean          crm_contact_import_finish (CrmContactImport     *import,
                                             GError              **error);
void              crm_contact_import_free   (CrmContactImport     *import);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmContactImport, crm_contact_import_free)

G_END_DECLS
