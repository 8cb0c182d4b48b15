/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Entries live under the Secret Service schema
 * "io.github.rapport_crm.Rapport.Workspace" with one string attribute, "uuid".
 * The secret is the workspace key written as 64 lowercase hex characters. */
#define CRM_KEYRING_KEY_LENGTH 32

/* @label is shown in Passwords and Keys, e.g. "Rapport workspace “Office”";
 * @key is CRM_KEYRING_KEY_LENGTH bytes. */
void     crm_keyring_store         (const char          *workspace_uuid,
                                    const char          *label,
                                    const guint8        *key,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
gboolean crm_keyring_store_finish  (GAsyncResult        *result,
                                    GError             **error);

void     crm_keyring_lookup        (const char          *workspace_uuid,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
/* Returns the key in a GBytes whose memory is wiped when freed; or NULL with
 * no error when there is no entry OR the keyring is locked and could not be
 * unlocked (libsecret cannot tell these apart); or NULL with an error when the
 * Secret Service is unavailable, or G_IO_ERROR_INVALID_DATA when the stored
 * secret is malformed. */
GBytes  *crm_keyring_lookup_finish (GAsyncResult        *result,
                                    GError             **error);

void     crm_keyring_clear         (const char          *workspace_uuid,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
/* TRUE unless the Secret Service failed, also when there was no entry. An
 * entry in a locked keyring is left in place and still reported as TRUE:
 * libsecret only removes unlocked items. */
gboolean crm_keyring_clear_finish  (GAsyncResult        *result,
                                    GError             **error);

/* These block on D-Bus, and on a keyring prompt if one is shown: they are for
 * the command-line tool only and must never run on the GUI thread. */
gboolean crm_keyring_store_sync    (const char          *workspace_uuid,
                                    const char          *label,
                                    const guint8        *key,
                                    GCancellable        *cancellable,
                                    GError             **error);
GBytes  *crm_keyring_lookup_sync   (const char          *workspace_uuid,
                                    GCancellable        *cancellable,
                                    GError             **error);
gboolean crm_keyring_clear_sync    (const char          *workspace_uuid,
                                    GCancellable        *cancellable,
                                    GError             **error);

G_END_DECLS
