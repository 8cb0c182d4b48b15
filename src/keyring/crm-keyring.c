/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-keyring"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "crm-keyring.h"

/* Only the simple secret_password_* API is used: inside the Flatpak it goes
 * through the Secret portal, which never exposes the rest of the user's
 * keyring to the sandbox. Nothing else in Rapport may talk to libsecret. */

#define HEX_LENGTH (CRM_KEYRING_KEY_LENGTH * 2)

static const SecretSchema workspace_schema = {
  .name = "io.github.rapport_crm.Rapport.Workspace",
  .flags = SECRET_SCHEMA_NONE,
  .attributes = {
    { "uuid", SECRET_SCHEMA_ATTRIBUTE_STRING },
  },
};

static void
wipe_and_free_key (gpointer data)
{
  explicit_bzero (data, CRM_KEYRING_KEY_LENGTH);
  g_free (data);
}

static void
encode_key (const guint8 *key,
            char         *hex)
{
  static const char digits[] = "0123456789abcdef";

  for (gsize i = 0; i < CRM_KEYRING_KEY_LENGTH; i++)
    {
      hex[2 * i] = digits[key[i] >> 4];
      hex[2 * i + 1] = digits[key[i] & 0x0f];
    }
  hex[HEX_LENGTH] = '\0';
}

/* The secret comes from outside the process (another program may have written
 * under our schema, or the keyring file may be damaged), so it is checked
 * before use. Error messages give the workspace and the shape of the problem,
 * never the characters of the secret itself. */
static GBytes *
decode_key (const char  *workspace_uuid,
            const char  *hex,
            GError     **error)
{
  gsize length = strnlen (hex, HEX_LENGTH + 1);
  guint8 *key;

  if (length != HEX_LENGTH)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The keyring entry of workspace %s is malformed: "
                     "it is not %d hexadecimal digits long"),
                   workspace_uuid, HEX_LENGTH);
      return NULL;
    }

  key = g_malloc (CRM_KEYRING_KEY_LENGTH);

  for (gsize i = 0; i < CRM_KEYRING_KEY_LENGTH; i++)
    {
      int high = g_ascii_xdigit_value (hex[2 * i]);
      int low = g_ascii_xdigit_value (hex[2 * i + 1]);

      if (high < 0 || low < 0)
        {
          wipe_and_free_key (key);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("The keyring entry of workspace %s is malformed: "
                         "it holds characters that are not hexadecimal digits"),
                       workspace_uuid);
          return NULL;
        }

      key[i] = (guint8) ((high << 4) | low);
    }

  return g_bytes_new_with_free_func (key, CRM_KEYRING_KEY_LENGTH, wipe_and_free_key, key);
}

/* Turns what secret_password_lookup_nonpageable_*() gave into the key, and
 * wipes and frees the password string whatever the outcome. */
static GBytes *
key_from_password (const char  *workspace_uuid,
                   char        *password,
                   GError     **error)
{
  GBytes *key;

  if (password == NULL)
    {
      /* libsecret returns NULL without an error both when there is no entry
       * and when the keyring is locked and the unlock prompt could not be
       * shown or was dismissed. The caller must not take this for a first
       * run. */
      g_debug ("No usable keyring entry for workspace %s", workspace_uuid);
      return NULL;
    }

  key = decode_key (workspace_uuid, password, error);
  secret_password_free (password);

  return key;
}

/* The finish functions of libsecret should set an error whenever they report
 * failure; this keeps our own contract ("FALSE or NULL with an error") even if
 * one of them does not. */
typedef enum {
  OPERATION_STORE,
  OPERATION_LOOKUP,
  OPERATION_CLEAR,
} Operation;

static void
propagate_secret_error (GError      **error,
                        GError       *secret_error,
                        Operation     operation,
                        const char   *workspace_uuid)
{
  if (secret_error == NULL)
    secret_error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED,
                                        _("The Secret Service reported a failure without a reason"));

  switch (operation)
    {
    case OPERATION_STORE:
      g_propagate_prefixed_error (error, secret_error,
                                  _("Cannot store the key of workspace %s in the keyring: "),
                                  workspace_uuid);
      break;

    case OPERATION_LOOKUP:
      g_propagate_prefixed_error (error, secret_error,
                                  _("Cannot look up the key of workspace %s in the keyring: "),
                                  workspace_uuid);
      break;

    case OPERATION_CLEAR:
    default:
      g_propagate_prefixed_error (error, secret_error,
                                  _("Cannot remove the key of workspace %s from the keyring: "),
                                  workspace_uuid);
      break;
    }
}

static void
stored_cb (GObject      *source_object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const char *workspace_uuid = g_task_get_task_data (task);
  GError *secret_error = NULL;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &secret_error))
    {
      propagate_secret_error (&error, secret_error, OPERATION_STORE, workspace_uuid);
      g_task_return_error (task, error);
      return;
    }

  g_debug ("Stored the key of workspace %s", workspace_uuid);
  g_task_return_boolean (task, TRUE);
}

static void
looked_up_cb (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const char *workspace_uuid = g_task_get_task_data (task);
  GError *secret_error = NULL;
  GError *error = NULL;
  char *password;
  GBytes *key;

  password = secret_password_lookup_nonpageable_finish (result, &secret_error);
  if (secret_error != NULL)
    {
      if (password != NULL)
        secret_password_free (password);
      propagate_secret_error (&error, secret_error, OPERATION_LOOKUP, workspace_uuid);
      g_task_return_error (task, error);
      return;
    }

  key = key_from_password (workspace_uuid, password, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, key, (GDestroyNotify) g_bytes_unref);
}

static void
cleared_cb (GObject      *source_object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const char *workspace_uuid = g_task_get_task_data (task);
  GError *secret_error = NULL;
  GError *error = NULL;
  gboolean removed;

  /* FALSE without an error means that nothing unlocked matched. */
  removed = secret_password_clear_finish (result, &secret_error);
  if (secret_error != NULL)
    {
      propagate_secret_error (&error, secret_error, OPERATION_CLEAR, workspace_uuid);
      g_task_return_error (task, error);
      return;
    }

  g_debug ("%s the key of workspace %s", removed ? "Removed" : "There was no entry for",
           workspace_uuid);
  g_task_return_boolean (task, TRUE);
}

/**
 * crm_keyring_store:
 * @workspace_uuid: the UUID of the workspace
 * @label: the label shown in Passwords and Keys, e.g. "Rapport workspace “Office”"
 * @key: (array fixed-size=32): the %CRM_KEYRING_KEY_LENGTH bytes of the key
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the key is stored
 * @user_data: data for @callback
 *
 * Stores the key of a workspace in the default keyring collection, replacing
 * any key stored for the same workspace. @key is not referenced after this
 * function returns.
 */
void
crm_keyring_store (const char          *workspace_uuid,
                   const char          *label,
                   const guint8        *key,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  char hex[HEX_LENGTH + 1];

  g_return_if_fail (workspace_uuid != NULL && *workspace_uuid != '\0');
  g_return_if_fail (label != NULL);
  g_return_if_fail (key != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, crm_keyring_store);
  g_task_set_task_data (task, g_strdup (workspace_uuid), g_free);

  /* secret_password_store() copies the password into a SecretValue (which
   * libsecret wipes itself) before it returns, so our copy can go now. */
  encode_key (key, hex);
  secret_password_store (&workspace_schema, SECRET_COLLECTION_DEFAULT, label, hex,
                         cancellable, stored_cb, g_steal_pointer (&task),
                         "uuid", workspace_uuid,
                         NULL);
  explicit_bzero (hex, sizeof hex);
}

/**
 * crm_keyring_store_finish:
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the key was stored, %FALSE with @error set otherwise
 */
gboolean
crm_keyring_store_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == crm_keyring_store, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * crm_keyring_lookup:
 * @workspace_uuid: the UUID of the workspace
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the lookup is done
 * @user_data: data for @callback
 *
 * Looks up the key of a workspace. If the keyring is locked the Secret Service
 * may show its unlock prompt first.
 */
void
crm_keyring_lookup (const char          *workspace_uuid,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (workspace_uuid != NULL && *workspace_uuid != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, crm_keyring_lookup);
  g_task_set_task_data (task, g_strdup (workspace_uuid), g_free);

  secret_password_lookup (&workspace_schema, cancellable, looked_up_cb, g_steal_pointer (&task),
                          "uuid", workspace_uuid,
                          NULL);
}

/**
 * crm_keyring_lookup_finish:
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * A %NULL result with no error means that no key is available: either there
 * is no entry, or the keyring is locked and could not be unlocked (no prompt
 * could be shown, or the user dismissed it). The two cannot be told apart, so
 * callers must never treat this as a new workspace.
 *
 * Returns: (transfer full) (nullable): the %CRM_KEYRING_KEY_LENGTH bytes of
 *   the key, wiped when the last reference goes; %NULL with @error set when
 *   the Secret Service is unavailable or the stored secret is malformed
 *   (%G_IO_ERROR_INVALID_DATA)
 */
GBytes *
crm_keyring_lookup_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == crm_keyring_lookup, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * crm_keyring_clear:
 * @workspace_uuid: the UUID of the workspace
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the entry is removed
 * @user_data: data for @callback
 *
 * Removes the key of a workspace from the keyring. See
 * crm_keyring_clear_finish() for a keyring that is locked.
 */
void
crm_keyring_clear (const char          *workspace_uuid,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (workspace_uuid != NULL && *workspace_uuid != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, crm_keyring_clear);
  g_task_set_task_data (task, g_strdup (workspace_uuid), g_free);

  secret_password_clear (&workspace_schema, cancellable, cleared_cb, g_steal_pointer (&task),
                         "uuid", workspace_uuid,
                         NULL);
}

/**
 * crm_keyring_clear_finish:
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * libsecret removes unlocked items only, and reports a locked one the same
 * way as no item at all; so an entry in a locked keyring survives a clear that
 * succeeded.
 *
 * Returns: %TRUE unless the Secret Service failed, whether or not there was
 *   an entry to remove; %FALSE with @error set otherwise
 */
gboolean
crm_keyring_clear_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == crm_keyring_clear, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * crm_keyring_store_sync:
 * @workspace_uuid: the UUID of the workspace
 * @label: the label shown in Passwords and Keys
 * @key: (array fixed-size=32): the %CRM_KEYRING_KEY_LENGTH bytes of the key
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * The blocking form of crm_keyring_store(), for the command-line tool.
 *
 * Returns: %TRUE if the key was stored, %FALSE with @error set otherwise
 */
gboolean
crm_keyring_store_sync (const char    *workspace_uuid,
                        const char    *label,
                        const guint8  *key,
                        GCancellable  *cancellable,
                        GError       **error)
{
  GError *secret_error = NULL;
  char hex[HEX_LENGTH + 1];
  gboolean stored;

  g_return_val_if_fail (workspace_uuid != NULL && *workspace_uuid != '\0', FALSE);
  g_return_val_if_fail (label != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  encode_key (key, hex);
  stored = secret_password_store_sync (&workspace_schema, SECRET_COLLECTION_DEFAULT, label, hex,
                                       cancellable, &secret_error,
                                       "uuid", workspace_uuid,
                                       NULL);
  explicit_bzero (hex, sizeof hex);

  if (!stored)
    {
      propagate_secret_error (error, secret_error, OPERATION_STORE, workspace_uuid);
      return FALSE;
    }

  g_debug ("Stored the key of workspace %s", workspace_uuid);
  return TRUE;
}

/**
 * crm_keyring_lookup_sync:
 * @workspace_uuid: the UUID of the workspace
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * The blocking form of crm_keyring_lookup(), for the command-line tool. See
 * crm_keyring_lookup_finish() for what a %NULL result means.
 *
 * Returns: (transfer full) (nullable): the key, or %NULL
 */
GBytes *
crm_keyring_lookup_sync (const char    *workspace_uuid,
                         GCancellable  *cancellable,
                         GError       **error)
{
  GError *secret_error = NULL;
  char *password;

  g_return_val_if_fail (workspace_uuid != NULL && *workspace_uuid != '\0', NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  password = secret_password_lookup_nonpageable_sync (&workspace_schema, cancellable,
                                                      &secret_error,
                                                      "uuid", workspace_uuid,
                                                      NULL);
  if (secret_error != NULL)
    {
      if (password != NULL)
        secret_password_free (password);
      propagate_secret_error (error, secret_error, OPERATION_LOOKUP, workspace_uuid);
      return NULL;
    }

  return key_from_password (workspace_uuid, password, error);
}

/**
 * crm_keyring_clear_sync:
 * @workspace_uuid: the UUID of the workspace
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * The blocking form of crm_keyring_clear(), for the command-line tool.
 *
 * Returns: %TRUE unless the Secret Service failed (see
 *   crm_keyring_clear_finish()), %FALSE with @error set otherwise
 */
gboolean
crm_keyring_clear_sync (const char    *workspace_uuid,
                        GCancellable  *cancellable,
                        GError       **error)
{
  GError *secret_error = NULL;
  gboolean removed;

  g_return_val_if_fail (workspace_uuid != NULL && *workspace_uuid != '\0', FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  removed = secret_password_clear_sync (&workspace_schema, cancellable, &secret_error,
                                        "uuid", workspace_uuid,
                                        NULL);
  if (secret_error != NULL)
    {
      propagate_secret_error (error, secret_error, OPERATION_CLEAR, workspace_uuid);
      return FALSE;
    }

  g_debug ("%s the key of workspace %s", removed ? "Removed" : "There was no entry for",
           workspace_uuid);
  return TRUE;
}
