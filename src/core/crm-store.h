/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

G_BEGIN_DECLS

#define CRM_STORE_ERROR (crm_store_error_quark ())

typedef enum {
  CRM_STORE_ERROR_NOT_FOUND,      /* no workspace in that directory */
  CRM_STORE_ERROR_EXISTS,         /* a workspace is there already: never made anew */
  CRM_STORE_ERROR_WRONG_KEY,      /* the key or passphrase does not open it */
  CRM_STORE_ERROR_DAMAGED,        /* a damaged or foreign file */
  CRM_STORE_ERROR_NOT_ENCRYPTED,  /* SQLCipher is not the library in use, or the file is plaintext */
  CRM_STORE_ERROR_TOO_NEW,        /* written by a newer Rapport */
  CRM_STORE_ERROR_INVALID,        /* bad input: a value that cannot be stored */
  CRM_STORE_ERROR_FAILED,         /* the database refused: disk full, read-only, … */
} CrmStoreError;

typedef enum {
  CRM_PROTECTION_KEYRING,
  CRM_PROTECTION_PASSPHRASE,
} CrmProtection;

#define CRM_STORE_SCHEMA_VERSION 5

#define CRM_TYPE_STORE (crm_store_get_type ())

G_DECLARE_FINAL_TYPE (CrmStore, crm_store, CRM, STORE, GObject)

GQuark         crm_store_error_quark            (void);

char          *crm_store_default_directory      (void);
gboolean       crm_store_exists                 (const char   *directory);
char          *crm_store_read_uuid              (const char   *directory,
                                                 CrmProtection *protection,
                                                 GError      **error);

CrmStore      *crm_store_create                 (const char   *directory,
                                                 GBytes       *key,
                                                 GError      **error);
CrmStore      *crm_store_open                   (const char   *directory,
                                                 GBytes       *key,
                                                 GError      **error);
CrmStore      *crm_store_open_with_passphrase   (const char   *directory,
                                                 const char   *passphrase,
                                                 GError      **error);
CrmStore      *crm_store_create_unencrypted     (const char   *directory,
                                                 GError      **error);
CrmStore      *crm_store_open_unencrypted       (const char   *directory,
                                                 GError      **error);
sqlite3       *crm_store_open_reader            (CrmStore     *self,
                                                 GError      **error);
sqlite3       *crm_store_open_scratch           (CrmStore     *self,
                                                 const char   *name,
                                                 GError      **error);
gboolean       crm_store_rekey                  (CrmStore     *self,
                                                 GBytes       *key,
                                                 GError      **error);
gboolean       crm_store_rekey_to_passphrase    (CrmStore     *self,
                                                 const char   *passphrase,
                                                 GError      **error);
void           crm_store_close                  (CrmStore     *self);

const char    *crm_store_get_directory          (CrmStore     *self);
const char    *crm_store_get_path               (CrmStore     *self);
const char    *crm_store_get_uuid               (CrmStore     *self);
CrmProtection  crm_store_get_protection         (CrmStore     *self);
int            crm_store_get_schema_version     (CrmStore     *self);
sqlite3       *crm_store_get_db                 (CrmStore     *self);

gboolean       crm_store_begin                  (CrmStore     *self,
                                                 GError      **error);
gboolean       crm_store_commit                 (CrmStore     *self,
                                                 GError      **error);
void           crm_store_rollback               (CrmStore     *self);
gboolean       crm_store_exec                   (CrmStore     *self,
                                                 const char   *sql,
                                                 GError      **error);
sqlite3_stmt  *crm_store_prepare                (CrmStore     *self,
                                                 const char   *sql,
                                                 GError      **error);
void           crm_store_set_error              (CrmStore     *self,
                                                 GError      **error,
                                                 int           rc,
                                                 const char   *doing);
int            crm_store_next_row               (CrmStore     *self,
                                                 sqlite3_stmt *stmt,
                                                 const char   *doing,
                                                 GError      **error);
char          *crm_column_dup                   (sqlite3_stmt *stmt,
                                                 int           column);
void           crm_store_set_deferred           (CrmStore     *self,
                                                 gboolean      deferred);
void           crm_store_emit_changed           (CrmStore     *self,
                                                 const char   *entity,
                                                 gint64        id);

gboolean       crm_store_verify                 (CrmStore     *self,
                                                 GStrv        *problems,
                                                 GError      **error);

/* Worker threads: run a GTask's work in a thread, counted until its
 * callback has run, so that the application can let them finish before the
 * process ends (a thread still inside SQLCipher when the libraries are torn
 * down at exit would crash it). */
void           crm_store_run_worker             (GTask            *task,
                                                 GTaskThreadFunc   func);
gboolean       crm_store_wait_for_workers       (guint             timeout_ms);

G_END_DECLS
