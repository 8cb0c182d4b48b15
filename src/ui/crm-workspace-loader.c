/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-workspace-loader"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "crm-demo.h"
#include "crm-keyring.h"
#include "crm-workspace-loader.h"

/* Opening, creating and unlocking the workspace, off the GUI thread.
 *
 * The rule that matters most: a directory that holds a database is never a
 * first run. Whatever the keyring says (no daemon, locked, entry gone), an
 * existing file leads to the unlock page, and creation refuses to make a new
 * key over it. */

typedef struct {
  char                     *directory;
  char                     *uuid;
  GBytes                   *key;
  CrmSecret                *passphrase;
  gboolean                  from_recovery_key;
  gboolean                  fill_with_sample_data;
  CrmWorkspaceProgressFunc  progress;
  gpointer                  progress_data;
  GMainContext             *context;
  CrmWorkspaceResult       *result;
} LoaderData;

typedef struct {
  CrmWorkspaceProgressFunc  progress;
  gpointer                  progress_data;
  double                    fraction;
  char                     *text;
} ProgressReport;

static void
loader_data_free (LoaderData *data)
{
  g_clear_pointer (&data->directory, g_free);
  g_clear_pointer (&data->uuid, g_free);
  g_clear_pointer (&data->key, g_bytes_unref);
  g_clear_pointer (&data->passphrase, crm_secret_free);
  g_clear_pointer (&data->context, g_main_context_unref);
  g_clear_pointer (&data->result, crm_workspace_result_free);
  g_free (data);
}

static LoaderData *
loader_data_new (const char *directory)
{
  LoaderData *data = g_new0 (LoaderData, 1);

  data->directory = g_strdup (directory);
  data->result = g_new0 (CrmWorkspaceResult, 1);
  data->result->protection = CRM_PROTECTION_KEYRING;
  data->context = g_main_context_ref_thread_default ();

  return data;
}

static void
return_result (GTask *task)
{
  LoaderData *data = g_task_get_task_data (task);

  g_task_return_pointer (task, g_steal_pointer (&data->result),
                         (GDestroyNotify) crm_workspace_result_free);
}

static void
return_state (GTask             *task,
              CrmWorkspaceState  state)
{
  LoaderData *data = g_task_get_task_data (task);

  data->result->state = state;
  return_result (task);
}

/* Reads how the workspace is protected from its plaintext description. A
 * missing or damaged description leaves the protection unknown. */
static void
read_description (LoaderData *data)
{
  g_autoptr (GError) error = NULL;
  CrmProtection protection = CRM_PROTECTION_KEYRING;

  data->uuid = crm_store_read_uuid (data->directory, &protection, &error);
  if (data->uuid == NULL)
    {
      g_debug ("No workspace description in %s: %s", data->directory, error->message);
      data->result->protection_known = FALSE;
      return;
    }

  data->result->protection = protection;
  data->result->protection_known = TRUE;
}

/* A store opened on a worker thread; the GUI thread takes it over. */
static CrmStore *
open_store (LoaderData  *data,
            GError     **error)
{
  if (data->passphrase != NULL)
    return crm_store_open_with_passphrase (data->directory, data->passphrase, error);

  return crm_store_open (data->directory, data->key, error);
}

/* Open */

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoaderData *data = task_data;
  g_autoptr (GError) error = NULL;

  data->result->store = open_store (data, &error);
  if (data->result->store != NULL)
    {
      data->result->protection = crm_store_get_protection (data->result->store);
      data->result->protection_known = TRUE;
      return_state (task, CRM_WORKSPACE_OPENED);
      return;
    }

  /* The keyring holds a key that no longer opens the workspace, for example
   * after a restore: the recovery key is the way in. */
  if (g_error_matches (error, CRM_STORE_ERROR, CRM_STORE_ERROR_WRONG_KEY))
    {
      /* Or the protection changed and its description was not written:
       * offer both ways in. */
      data->result->protection_known = FALSE;
      data->result->keyring_message = g_strdup (error->message);
      return_state (task, CRM_WORKSPACE_NEEDS_UNLOCK);
      return;
    }

  g_task_return_error (task, g_steal_pointer (&error));
}

static void
open_looked_up_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  LoaderData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  data->key = crm_keyring_lookup_finish (result, &error);
  if (g_task_return_error_if_cancelled (task))
    return;

  if (data->key == NULL)
    {
      /* No entry, a locked keyring, no Secret Service at all: libsecret
       * cannot always tell these apart, and all of them mean the same here. */
      if (error != NULL)
        {
          g_debug ("The keyring gave no key: %s", error->message);
          data->result->keyring_message = g_strdup (error->message);
        }
      return_state (task, CRM_WORKSPACE_NEEDS_UNLOCK);
      return;
    }

  crm_store_run_worker (task, open_thread);
}

/**
 * crm_workspace_loader_open_async:
 * @directory: the workspace directory
 *
 * Opens the workspace in @directory with the key from the keyring. The result
 * says whether it opened, whether there is no workspace yet, or whether the
 * user must unlock it.
 */
void
crm_workspace_loader_open_async (const char          *directory,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  LoaderData *data;

  g_return_if_fail (directory != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, crm_workspace_loader_open_async);
  data = loader_data_new (directory);
  g_task_set_task_data (task, data, (GDestroyNotify) loader_data_free);

  if (!crm_store_exists (directory))
    {
      return_state (task, CRM_WORKSPACE_NO_WORKSPACE);
      return;
    }

  read_description (data);
  if (data->uuid == NULL || data->result->protection == CRM_PROTECTION_PASSPHRASE)
    {
      return_state (task, CRM_WORKSPACE_NEEDS_UNLOCK);
      return;
    }

  crm_keyring_lookup (data->uuid, cancellable, open_looked_up_cb, g_steal_pointer (&task));
}

/**
 * crm_workspace_loader_open_finish:
 *
 * Returns: (transfer full): the result, or %NULL with @error set when the
 *   workspace is damaged, too new, or cannot be read
 */
CrmWorkspaceResult *
crm_workspace_loader_open_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == crm_workspace_loader_open_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Create */

static gboolean
report_progress_cb (gpointer user_data)
{
  ProgressReport *report = user_data;

  report->progress (report->fraction, report->text, report->progress_data);

  return G_SOURCE_REMOVE;
}

static void
progress_report_free (ProgressReport *report)
{
  g_free (report->text);
  g_free (report);
}

/* Hands a progress report to the thread that started the operation. */
static void
report_progress (LoaderData *data,
                 double      fraction,
                 const char *text)
{
  ProgressReport *report;

  if (data->progress == NULL)
    return;

  report = g_new0 (ProgressReport, 1);
  report->progress = data->progress;
  report->progress_data = data->progress_data;
  report->fraction = fraction;
  report->text = g_strdup (text);
  g_main_context_invoke_full (data->context, G_PRIORITY_DEFAULT, report_progress_cb,
                              report, (GDestroyNotify) progress_report_free);
}

/* The first step is only creating the database; the sample data takes the
 * rest of the bar. */
#define CREATED_FRACTION 0.1

static void
demo_progress_cb (double   fraction,
                  gpointer user_data)
{
  LoaderData *data = user_data;

  report_progress (data, CREATED_FRACTION + (1.0 - CREATED_FRACTION) * fraction,
                   _("Adding sample data…"));
}

static void
fill_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoaderData *data = task_data;
  g_autoptr (GError) error = NULL;
  CrmDemoOptions options;

  crm_demo_options_init (&options);
  if (!crm_demo_fill (data->result->store, &options, demo_progress_cb, data, cancellable, &error))
    {
      g_debug ("Could not add the sample data: %s", error->message);
      data->result->sample_data_message = g_strdup (error->message);
    }

  /* The workspace exists now whatever happened to the sample data: it is
   * returned, never an error, so that its recovery key is shown. */
  return_state (task, CRM_WORKSPACE_OPENED);
}

static void
create_stored_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  LoaderData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  if (!crm_keyring_store_finish (result, &error))
    {
      g_debug ("The keyring did not store the key: %s", error->message);
      data->result->keyring_failed = TRUE;
      data->result->keyring_message = g_strdup (error->message);
    }

  if (!data->fill_with_sample_data)
    {
      return_state (task, CRM_WORKSPACE_OPENED);
      return;
    }

  report_progress (data, CREATED_FRACTION, _("Adding sample data…"));
  crm_store_run_worker (task, fill_thread);
}

static void
create_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  LoaderData *data = task_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) key = NULL;

  key = crm_key_generate (&error);
  if (key == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* crm_store_create() refuses a directory that holds a workspace, so a key
   * is never made over an existing file even if one appeared meanwhile. */
  data->result->store = crm_store_create (data->directory, key, &error);
  if (data->result->store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data->result->recovery_key = crm_key_to_recovery (key);
  data->result->protection = CRM_PROTECTION_KEYRING;
  data->result->protection_known = TRUE;
  data->key = g_steal_pointer (&key);
  g_task_return_boolean (task, TRUE);
}

static void
created_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  LoaderData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autofree char *label = NULL;
  LoaderData *create_data = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The inner task built the result; the outer one returns it. */
  g_clear_pointer (&data->result, crm_workspace_result_free);
  data->result = g_steal_pointer (&create_data->result);
  data->key = g_steal_pointer (&create_data->key);

  /* The key goes to the keyring before anything else happens, so that a
   * crash while the sample data is added leaves a workspace that opens. */
  label = crm_workspace_loader_keyring_label ();
  crm_keyring_store (crm_store_get_uuid (data->result->store), label,
                     g_bytes_get_data (data->key, NULL), NULL,
                     create_stored_cb, g_steal_pointer (&task));
}

/**
 * crm_workspace_loader_create_async:
 * @directory: where to create the workspace; it must not hold one
 * @fill_with_sample_data: whether to add made-up customers to try Rapport with
 * @progress: (nullable): called on the calling thread as the work goes on
 *
 * Creates a workspace with a new random key, stores the key in the keyring
 * and returns the open store with the recovery key to show. Fails with
 * %CRM_STORE_ERROR_EXISTS when @directory holds a workspace already. Once the
 * workspace exists the operation succeeds: a keyring that does not take the
 * key, or sample data that cannot be added, are reported in the result.
 */
void
crm_workspace_loader_create_async (const char               *directory,
                                   gboolean                  fill_with_sample_data,
                                   CrmWorkspaceProgressFunc  progress,
                                   gpointer                  progress_data,
                                   GCancellable             *cancellable,
                                   GAsyncReadyCallback       callback,
                                   gpointer                  user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GTask) create_task = NULL;
  LoaderData *data;

  g_return_if_fail (directory != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, crm_workspace_loader_create_async);
  data = loader_data_new (directory);
  data->fill_with_sample_data = fill_with_sample_data;
  data->progress = progress;
  data->progress_data = progress_data;
  g_task_set_task_data (task, data, (GDestroyNotify) loader_data_free);
  /* Once the workspace exists, its key must reach the keyring and its
   * recovery key the user: cancelling only stops the sample data. */
  g_task_set_check_cancellable (task, FALSE);

  if (crm_store_exists (directory))
    {
      g_task_return_new_error (task, CRM_STORE_ERROR, CRM_STORE_ERROR_EXISTS,
                               _("A workspace exists in %s already"), directory);
      return;
    }

  report_progress (data, 0.0, _("Creating the workspace…"));

  /* A GTask runs in a thread once; creating and filling are two trips. */
  create_task = g_task_new (NULL, cancellable, created_cb, g_steal_pointer (&task));
  g_task_set_check_cancellable (create_task, FALSE);
  g_task_set_task_data (create_task, loader_data_new (directory),
                        (GDestroyNotify) loader_data_free);
  crm_store_run_worker (create_task, create_thread);
}

/**
 * crm_workspace_loader_create_finish:
 *
 * Returns: (transfer full): the result, with the store and the recovery key,
 *   or %NULL with @error set
 */
CrmWorkspaceResult *
crm_workspace_loader_create_finish (GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == crm_workspace_loader_create_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Unlock */

static void
unlock_stored_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  LoaderData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  if (!crm_keyring_store_finish (result, &error))
    {
      g_debug ("The keyring did not store the key again: %s", error->message);
      data->result->keyring_failed = TRUE;
      data->result->keyring_message = g_strdup (error->message);
    }

  return_state (task, CRM_WORKSPACE_OPENED);
}

static void
unlock_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  LoaderData *data = task_data;
  g_autoptr (GError) error = NULL;

  data->result->store = open_store (data, &error);
  if (data->result->store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data->result->protection = crm_store_get_protection (data->result->store);
  data->result->protection_known = TRUE;
  g_task_return_boolean (task, TRUE);
}

static void
unlocked_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  LoaderData *data = g_task_get_task_data (task);
  LoaderData *unlock_data = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  g_autofree char *label = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_clear_pointer (&data->result, crm_workspace_result_free);
  data->result = g_steal_pointer (&unlock_data->result);

  /* The recovery key opened a workspace whose key belongs in the keyring:
   * put it back, so the next start needs no prompt. */
  if (!data->from_recovery_key
      || crm_store_get_protection (data->result->store) != CRM_PROTECTION_KEYRING)
    {
      return_state (task, CRM_WORKSPACE_OPENED);
      return;
    }

  label = crm_workspace_loader_keyring_label ();
  crm_keyring_store (crm_store_get_uuid (data->result->store), label,
                     g_bytes_get_data (data->key, NULL), NULL,
                     unlock_stored_cb, g_steal_pointer (&task));
}

/**
 * crm_workspace_loader_unlock_async:
 * @recovery_key: (nullable): the recovery key as the user typed it
 * @passphrase: (nullable): the passphrase, when @recovery_key is %NULL
 *
 * Opens the workspace with what the user typed. A recovery key with a typing
 * mistake fails at once with a #CrmKeyError; a secret that does not open the
 * workspace fails with %CRM_STORE_ERROR_WRONG_KEY, and nothing is written to
 * the workspace then. After a recovery key opened a keyring-protected
 * workspace, its key is stored in the keyring again.
 */
void
crm_workspace_loader_unlock_async (const char          *directory,
                                   const char          *recovery_key,
                                   const char          *passphrase,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GTask) unlock_task = NULL;
  g_autoptr (GError) error = NULL;
  LoaderData *data;
  LoaderData *unlock_data;

  g_return_if_fail (directory != NULL);
  g_return_if_fail ((recovery_key == NULL) != (passphrase == NULL));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, crm_workspace_loader_unlock_async);
  data = loader_data_new (directory);
  g_task_set_task_data (task, data, (GDestroyNotify) loader_data_free);

  if (!crm_store_exists (directory))
    {
      g_task_return_new_error (task, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND,
                               _("There is no workspace in %s"), directory);
      return;
    }

  if (recovery_key != NULL)
    {
      data->key = crm_key_from_recovery (recovery_key, &error);
      if (data->key == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      data->from_recovery_key = TRUE;
    }

  unlock_data = loader_data_new (directory);
  if (data->key != NULL)
    unlock_data->key = g_bytes_ref (data->key);
  else
    unlock_data->passphrase = g_strdup (passphrase);

  unlock_task = g_task_new (NULL, cancellable, unlocked_cb, g_steal_pointer (&task));
  g_task_set_task_data (unlock_task, unlock_data, (GDestroyNotify) loader_data_free);
  crm_store_run_worker (unlock_task, unlock_thread);
}

/**
 * crm_workspace_loader_unlock_finish:
 *
 * Returns: (transfer full): the result with the open store, or %NULL with
 *   @error set
 */
CrmWorkspaceResult *
crm_workspace_loader_unlock_finish (GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == crm_workspace_loader_unlock_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Checks */

static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  LoaderData *data = task_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmStore) store = NULL;

  /* A second connection beside the open store: it reads, and writes nothing
   * to a workspace that is up to date. */
  store = open_store (data, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  crm_store_close (store);
  g_task_return_boolean (task, TRUE);
}

/**
 * crm_workspace_loader_check_async:
 * @key: (nullable): a workspace key to check
 * @passphrase: (nullable): or a passphrase, when @key is %NULL
 *
 * Checks on a worker thread that @key or @passphrase opens the workspace in
 * @directory, which may be open already. Fails with
 * %CRM_STORE_ERROR_WRONG_KEY when it does not.
 */
void
crm_workspace_loader_check_async (const char          *directory,
                                  GBytes              *key,
                                  const char          *passphrase,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  LoaderData *data;

  g_return_if_fail (directory != NULL);
  g_return_if_fail ((key != NULL) != (passphrase != NULL));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, crm_workspace_loader_check_async);
  data = loader_data_new (directory);
  data->key = key != NULL ? g_bytes_ref (key) : NULL;
  data->passphrase = g_strdup (passphrase);
  g_task_set_task_data (task, data, (GDestroyNotify) loader_data_free);
  crm_store_run_worker (task, check_thread);
}

gboolean
crm_workspace_loader_check_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * crm_workspace_loader_keyring_label:
 *
 * Returns: (transfer full): the label of the key's entry, as Passwords and
 *   Keys shows it
 */
char *
crm_workspace_loader_keyring_label (void)
{
  return g_strdup (_("Rapport workspace key"));
}

/**
 * crm_workspace_loader_format_recovery_key:
 * @recovery_key: a recovery key as crm_key_to_recovery() writes it
 *
 * Lays the recovery key out to be read and copied by hand: its groups of
 * five, four to a line, so that it fits a narrow window. crm_key_from_recovery()
 * reads it back as it is.
 *
 * Returns: (transfer full): the text; free with crm_secret_free()
 */
CrmSecret *
crm_workspace_loader_format_recovery_key (const char *recovery_key)
{
  GString *out;
  guint group = 0;

  g_return_val_if_fail (recovery_key != NULL, NULL);

  /* Sized up front, so that no reallocation leaves a copy of the key behind
   * in freed memory; the caller wipes the one buffer. */
  out = g_string_sized_new (strlen (recovery_key) + 1);

  for (const char *p = recovery_key; *p != '\0'; )
    {
      gsize length = strcspn (p, "- ");

      if (length > 0)
        {
          if (group > 0)
            g_string_append_c (out, group % 4 == 0 ? '\n' : ' ');
          g_string_append_len (out, p, length);
          group++;
        }
      p += length;
      if (*p != '\0')
        p++;
    }

  return g_string_free (out, FALSE);
}

/**
 * crm_workspace_loader_save_recovery_key:
 * @file: where to write; replaced when it exists
 *
 * Writes the recovery key with a few lines that say what it is, readable by
 * the user only.
 */
gboolean
crm_workspace_loader_save_recovery_key (GFile       *file,
                                        const char  *recovery_key,
                                        const char  *workspace_uuid,
                                        GError     **error)
{
  g_autofree char *path = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  g_autoptr (CrmSecret) text = NULL;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (recovery_key != NULL, FALSE);

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("The recovery key can only be saved to a local file"));
      return FALSE;
    }

  text = g_strdup_printf ("%s\n\n%s\n\n%s %s\n%s %s\n\n%s\n",
                          _("Rapport recovery key"),
                          recovery_key,
                          _("Workspace:"), workspace_uuid != NULL ? workspace_uuid : "",
                          _("Saved on:"), date,
                          _("This key opens your Rapport workspace when the keyring cannot, "
                            "for example on another computer or after restoring a backup. "
                            "Anyone who has it can read the workspace: keep it somewhere safe."));

  /* Only the user may read the file, from the moment it exists. */
  return g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

void
crm_workspace_result_free (CrmWorkspaceResult *result)
{
  if (result == NULL)
    return;

  g_clear_object (&result->store);
  g_clear_pointer (&result->recovery_key, crm_secret_free);
  g_clear_pointer (&result->keyring_message, g_free);
  g_clear_pointer (&result->sample_data_message, g_free);
  g_free (result);
}
