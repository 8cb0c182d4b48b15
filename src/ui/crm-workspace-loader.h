/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "crm-key.h"
#include "crm-store.h"

G_BEGIN_DECLS

typedef enum {
  CRM_WORKSPACE_OPENED,        /* the store is open */
  CRM_WORKSPACE_NO_WORKSPACE,  /* no database in the directory: a first run */
  CRM_WORKSPACE_NEEDS_UNLOCK,  /* a database exists, but no key opened it silently */
} CrmWorkspaceState;

typedef struct {
  CrmWorkspaceState  state;

  /* CRM_WORKSPACE_OPENED: the open store. */
  CrmStore          *store;

  /* How the workspace is protected; protection_known is FALSE when its
   * description file is missing or unreadable, so either secret may work. */
  CrmProtection      protection;
  gboolean           protection_known;

  /* Creation only: the recovery key to show once, wiped when freed. */
  CrmSecret         *recovery_key;

  /* The keyring did not store the key (create, unlock with a recovery key);
   * the recovery key is then the only way in next time. */
  gboolean           keyring_failed;

  /* Why the keyring gave no key, or could not store it; for the log. */
  char              *keyring_message;

  /* Creation only: the sample data could not be added (the workspace exists
   * all the same). */
  char              *sample_data_message;
} CrmWorkspaceResult;

void crm_workspace_result_free (CrmWorkspaceResult *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmWorkspaceResult, crm_workspace_result_free)

/* Called on the thread that started the operation. @fraction is between 0
 * and 1; @text says what is being done. */
typedef void (*CrmWorkspaceProgressFunc) (double      fraction,
                                          const char *text,
                                          gpointer    user_data);

void                crm_workspace_loader_open_async     (const char                *directory,
                                                         GCancellable              *cancellable,
                                                         GAsyncReadyCallback        callback,
                                                         gpointer                   user_data);
CrmWorkspaceResult *crm_workspace_loader_open_finish    (GAsyncResult              *result,
                                                         GError                   **error);

void                crm_workspace_loader_create_async   (const char                *directory,
                                                         gboolean                   fill_with_sample_data,
                                                         CrmWorkspaceProgressFunc   progress,
                                                         gpointer                   progress_data,
                                                         GCancellable              *cancellable,
                                                         GAsyncReadyCallback        callback,
                                                         gpointer                   user_data);
CrmWorkspaceResult *crm_workspace_loader_create_finish  (GAsyncResult              *result,
                                                         GError                   **error);

void                crm_workspace_loader_unlock_async   (const char                *directory,
                                                         const char                *recovery_key,
                                                         const char                *passphrase,
                                                         GCancellable              *cancellable,
                                                         GAsyncReadyCallback        callback,
                                                         gpointer                   user_data);
CrmWorkspaceResult *crm_workspace_loader_unlock_finish  (GAsyncResult              *result,
                                                         GError                   **error);

void                crm_workspace_loader_check_async    (const char                *directory,
                                                         GBytes                    *key,
                                                         const char                *passphrase,
                                                         GCancellable              *cancellable,
                                                         GAsyncReadyCallback        callback,
                                                         gpointer                   user_data);
gboolean            crm_workspace_loader_check_finish   (GAsyncResult              *result,
                                                         GError                   **error);

char               *crm_workspace_loader_keyring_label  (void);
CrmSecret          *crm_workspace_loader_format_recovery_key (const char  *recovery_key);
gboolean            crm_workspace_loader_save_recovery_key   (GFile       *file,
                                                              const char  *recovery_key,
                                                              const char  *workspace_uuid,
                                                              GError     **error);

G_END_DECLS
