/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-security-page"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-keyring.h"
#include "crm-preferences-util.h"
#include "crm-security-page.h"
#include "crm-workspace-loader.h"

#define MIN_PASSPHRASE_LENGTH 8

struct _CrmSecurityPage
{
  AdwPreferencesPage parent_instance;

  /* template widgets */
  AdwActionRow *protection_row;
  GtkLabel     *protection_label;
  GtkSpinner   *spinner;
  AdwActionRow *use_passphrase_row;
  AdwActionRow *use_keyring_row;
  AdwActionRow *show_recovery_row;

  /* owned references */
  CrmStore     *store;
  GCancellable *cancellable;

  /* state */
  gboolean busy;
};

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CrmSecurityPage, crm_security_page, ADW_TYPE_PREFERENCES_PAGE)

/* What a dialog that asks for a passphrase keeps. */
typedef struct {
  CrmSecurityPage  *self;
  AdwMessageDialog *dialog;
  GtkEditable      *first;
  GtkEditable      *second;
  GtkLabel         *hint;
} PassphraseDialog;

/* What the dialog that shows a recovery key keeps. */
typedef struct {
  AdwMessageDialog     *dialog;
  CrmSecret            *recovery_key;
  char                 *uuid;
  AdwButtonContent     *copy_content;
  AdwButtonContent     *save_content;
  GtkLabel             *error_label;
  GtkFileChooserNative *chooser;
} RecoveryDialog;

/* Helpers */

static void
show_toast (CrmSecurityPage *self,
            const char      *title)
{
  /* Escaped: a message may carry a path or an error with "&" or "<". */
  crm_preferences_show_toast (GTK_WIDGET (self), title);
}

static void show_toast_printf (CrmSecurityPage *self,
                               const char      *format,
                               ...) G_GNUC_PRINTF (2, 3);

static void
show_toast_printf (CrmSecurityPage *self,
                   const char      *format,
                   ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_debug ("%s", message);
  show_toast (self, message);
}

/* After the page went away, a callback has nothing left to update. */
static gboolean
is_disposed (CrmSecurityPage *self)
{
  return self->spinner == NULL;
}

static void
update_rows (CrmSecurityPage *self)
{
  gboolean passphrase = crm_store_get_protection (self->store) == CRM_PROTECTION_PASSPHRASE;

  gtk_label_set_label (self->protection_label, passphrase ? _("Passphrase") : _("Keyring"));
  adw_action_row_set_subtitle (self->protection_row,
                               passphrase
                               ? _("You type the passphrase each time Rapport starts")
                               : _("The key is kept in your keyring, and the workspace opens "
                                   "without a prompt"));

  gtk_widget_set_visible (GTK_WIDGET (self->use_passphrase_row), !passphrase);
  gtk_widget_set_visible (GTK_WIDGET (self->use_keyring_row), passphrase);

  adw_action_row_set_subtitle (self->show_recovery_row,
                               passphrase
                               ? _("A workspace protected by a passphrase has no recovery key")
                               : _("The way in when the keyring cannot give the key"));

  gtk_widget_set_sensitive (GTK_WIDGET (self->use_passphrase_row), !self->busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->use_keyring_row), !self->busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->show_recovery_row), !self->busy && !passphrase);
}

static void
set_busy (CrmSecurityPage *self,
          gboolean         busy)
{
  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  update_rows (self);
}

static GtkWidget *
new_password_row (const char *title,
                  const char *name)
{
  GtkWidget *row = adw_password_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (row), TRUE);
  gtk_widget_set_name (row, name);

  return row;
}

/* The recovery key dialog */

static void
recovery_dialog_free (RecoveryDialog *data)
{
  if (data->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (data->chooser));
  g_clear_object (&data->chooser);
  g_clear_pointer (&data->recovery_key, crm_secret_free);
  g_clear_pointer (&data->uuid, g_free);
  g_free (data);
}

static void
on_recovery_copy_clicked (RecoveryDialog *data)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (data->dialog)),
                          data->recovery_key);
  adw_button_content_set_label (data->copy_content, _("Copied"));
  adw_button_content_set_icon_name (data->copy_content, "object-select-symbolic");
}

static void
on_recovery_chooser_response (RecoveryDialog       *data,
                              int                   response,
                              GtkFileChooserNative *chooser)
{
  g_autoptr (GFile) file = NULL;
  g_autoptr (GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&data->chooser);

  if (file == NULL)
    return;

  if (!crm_workspace_loader_save_recovery_key (file, data->recovery_key, data->uuid, &error))
    {
      g_autofree char *message = NULL;

      /* Translators: %s says what went wrong. */
      message = g_strdup_printf (_("Could not save the recovery key: %s"), error->message);
      gtk_label_set_label (data->error_label, message);
      gtk_widget_set_visible (GTK_WIDGET (data->error_label), TRUE);
      return;
    }

  gtk_widget_set_visible (GTK_WIDGET (data->error_label), FALSE);
  adw_button_content_set_label (data->save_content, _("Saved"));
  adw_button_content_set_icon_name (data->save_content, "object-select-symbolic");
}

static void
on_recovery_save_clicked (RecoveryDialog *data)
{
  if (data->chooser != NULL)
    return;

  data->chooser = gtk_file_chooser_native_new (_("Save Recovery Key"),
                                               GTK_WINDOW (data->dialog),
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (data->chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (data->chooser),
                                     _("Rapport recovery key.txt"));
  g_signal_connect_swapped (data->chooser, "response",
                            G_CALLBACK (on_recovery_chooser_response), data);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (data->chooser));
}

static void
on_recovery_saved_toggled (AdwMessageDialog *dialog,
                           GtkCheckButton   *check)
{
  adw_message_dialog_set_response_enabled (dialog, "close", gtk_check_button_get_active (check));
}

static GtkWidget *
new_content_button (const char        *icon_name,
                    const char        *label,
                    AdwButtonContent **content_out)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *content = adw_button_content_new ();

  adw_button_content_set_icon_name (ADW_BUTTON_CONTENT (content), icon_name);
  adw_button_content_set_label (ADW_BUTTON_CONTENT (content), label);
  adw_button_content_set_use_underline (ADW_BUTTON_CONTENT (content), TRUE);
  gtk_button_set_child (GTK_BUTTON (button), content);
  *content_out = ADW_BUTTON_CONTENT (content);

  return button;
}

/* Shows a recovery key once. A new key must be confirmed as saved before
 * the dialog can be dismissed with its button. */
static void
show_recovery_dialog (CrmSecurityPage *self,
                      GBytes          *key,
                      gboolean         is_new)
{
  RecoveryDialog *data = g_new0 (RecoveryDialog, 1);
  g_autoptr (CrmSecret) display = NULL;
  GtkWidget *dialog;
  GtkWidget *box;
  GtkWidget *label;
  GtkWidget *buttons;
  GtkWidget *button;

  data->recovery_key = crm_key_to_recovery (key);
  data->uuid = g_strdup (crm_store_get_uuid (self->store));
  display = crm_workspace_loader_format_recovery_key (data->recovery_key);

  dialog = adw_message_dialog_new (crm_preferences_get_parent_window (GTK_WIDGET (self)),
                                   is_new ? _("Save Your New Recovery Key") : _("Recovery Key"),
                                   is_new
                                   ? _("The workspace has a new key, kept in your keyring. This "
                                       "new recovery key opens it when the keyring cannot; any "
                                       "recovery key you saved before no longer works. It is "
                                       "shown only once.")
                                   : _("The recovery key opens your workspace when the keyring "
                                       "cannot: on another computer, after restoring a backup, "
                                       "or if the keyring loses the key. Keep it somewhere safe."));
  data->dialog = ADW_MESSAGE_DIALOG (dialog);
  g_object_set_data_full (G_OBJECT (dialog), "crm-recovery-dialog", data,
                          (GDestroyNotify) recovery_dialog_free);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  label = gtk_label_new (display);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
  gtk_widget_set_halign (label, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (label, "card");
  gtk_widget_add_css_class (label, "recovery-key");
  gtk_widget_set_name (label, "recovery-label");
  gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Recovery key"),
                                  -1);
  gtk_box_append (GTK_BOX (box), label);

  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_box_set_homogeneous (GTK_BOX (buttons), TRUE);
  gtk_widget_set_halign (buttons, GTK_ALIGN_CENTER);
  button = new_content_button ("edit-copy-symbolic", _("_Copy"), &data->copy_content);
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (on_recovery_copy_clicked), data);
  gtk_box_append (GTK_BOX (buttons), button);
  button = new_content_button ("document-save-symbolic", _("_Save to File…"),
                               &data->save_content);
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (on_recovery_save_clicked), data);
  gtk_box_append (GTK_BOX (buttons), button);
  gtk_box_append (GTK_BOX (box), buttons);

  data->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (data->error_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (data->error_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (data->error_label), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (data->error_label));

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Done"));
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");

  if (is_new)
    {
      GtkWidget *check = gtk_check_button_new_with_mnemonic (_("_I have saved my recovery key"));

      gtk_widget_set_halign (check, GTK_ALIGN_CENTER);
      gtk_widget_set_name (check, "saved-check");
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (on_recovery_saved_toggled), dialog);
      gtk_box_append (GTK_BOX (box), check);
      adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "close", FALSE);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "close",
                                                  ADW_RESPONSE_SUGGESTED);
    }

  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Passphrase dialogs */

static void
passphrase_dialog_free (PassphraseDialog *data)
{
  /* The entries outlive the dialog by a moment; nothing they emit while
   * they go may reach this data. */
  if (data->first != NULL)
    g_signal_handlers_disconnect_by_data (data->first, data);
  if (data->second != NULL)
    g_signal_handlers_disconnect_by_data (data->second, data);
  g_clear_object (&data->self);
  g_clear_object (&data->first);
  g_clear_object (&data->second);
  g_clear_object (&data->hint);
  g_free (data);
}

static void
on_new_passphrase_changed (PassphraseDialog *data)
{
  const char *first = gtk_editable_get_text (data->first);
  const char *second = gtk_editable_get_text (data->second);
  gboolean long_enough = g_utf8_strlen (first, -1) >= MIN_PASSPHRASE_LENGTH;
  gboolean match = g_str_equal (first, second);

  if (!long_enough)
    gtk_label_set_label (data->hint, _("At least 8 characters"));
  else if (*second != '\0' && !match)
    gtk_label_set_label (data->hint, _("The passphrases do not match"));
  else
    gtk_label_set_label (data->hint, _("Type the passphrase again to confirm it"));

  if (long_enough && *second != '\0' && !match)
    gtk_widget_add_css_class (GTK_WIDGET (data->hint), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (data->hint), "error");

  adw_message_dialog_set_response_enabled (data->dialog, "change", long_enough && match);
}

static void
keyring_cleared_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr (CrmSecurityPage) self = user_data;
  g_autoptr (GError) error = NULL;

  /* The workspace no longer opens with that key; an entry left behind only
   * makes the unlock page show up, it gives nothing away. */
  if (!crm_keyring_clear_finish (result, &error))
    g_debug ("Could not remove the old key from the keyring: %s", error->message);

  if (!is_disposed (self))
    set_busy (self, FALSE);
}

static void
on_new_passphrase_response (PassphraseDialog *data,
                            const char       *response)
{
  CrmSecurityPage *self = data->self;
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmSecret) passphrase = NULL;

  if (!g_str_equal (response, "change") || self->busy)
    return;

  /* The dialog is closing already: its entries are read, never changed. */
  passphrase = g_strdup (gtk_editable_get_text (data->first));

  /* The store is used by the window's views on this thread; re-encrypting
   * it here keeps every other user of its connection out meanwhile. */
  set_busy (self, TRUE);
  if (!crm_store_rekey_to_passphrase (self->store, passphrase, &error))
    {
      set_busy (self, FALSE);
      /* Translators: %s says what went wrong. */
      show_toast_printf (self, _("Could not change the protection: %s"), error->message);
      return;
    }

  show_toast (self, _("The workspace is now protected by a passphrase"));
  crm_keyring_clear (crm_store_get_uuid (self->store), NULL,
                     keyring_cleared_cb, g_object_ref (self));
}

static void
on_use_passphrase_row_activated (CrmSecurityPage *self)
{
  PassphraseDialog *data;
  GtkWidget *dialog;
  GtkWidget *box;
  GtkWidget *list;
  GtkWidget *first;
  GtkWidget *second;
  GtkWidget *hint;

  if (self->busy)
    return;

  dialog = adw_message_dialog_new (crm_preferences_get_parent_window (GTK_WIDGET (self)),
                                   _("Use a Passphrase Instead?"),
                                   _("You will type the passphrase each time Rapport starts. "
                                     "Your recovery key stops working, and nobody can open the "
                                     "workspace without the passphrase: choose one you will "
                                     "remember."));

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  list = crm_preferences_new_boxed_list (NULL);
  first = new_password_row (_("New Passphrase"), "new-passphrase");
  second = new_password_row (_("Confirm Passphrase"), "confirm-passphrase");
  gtk_list_box_append (GTK_LIST_BOX (list), first);
  gtk_list_box_append (GTK_LIST_BOX (list), second);
  gtk_box_append (GTK_BOX (box), list);
  hint = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
  gtk_widget_add_css_class (hint, "dim-label");
  gtk_widget_add_css_class (hint, "caption");
  gtk_box_append (GTK_BOX (box), hint);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "change", _("_Use Passphrase"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "change",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "change");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  data = g_new0 (PassphraseDialog, 1);
  data->self = g_object_ref (self);
  data->dialog = ADW_MESSAGE_DIALOG (dialog);
  data->first = g_object_ref (GTK_EDITABLE (first));
  data->second = g_object_ref (GTK_EDITABLE (second));
  data->hint = g_object_ref (GTK_LABEL (hint));
  g_object_set_data_full (G_OBJECT (dialog), "crm-passphrase-dialog", data,
                          (GDestroyNotify) passphrase_dialog_free);

  g_signal_connect_swapped (first, "changed", G_CALLBACK (on_new_passphrase_changed), data);
  g_signal_connect_swapped (second, "changed", G_CALLBACK (on_new_passphrase_changed), data);
  g_signal_connect_swapped (dialog, "response", G_CALLBACK (on_new_passphrase_response), data);
  on_new_passphrase_changed (data);

  gtk_window_present (GTK_WINDOW (dialog));
}

typedef struct {
  CrmSecurityPage *self;
  GBytes          *key;
} SwitchData;

static void
switch_data_free (SwitchData *data)
{
  g_clear_object (&data->self);
  g_clear_pointer (&data->key, g_bytes_unref);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SwitchData, switch_data_free)

static void
new_key_stored_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr (SwitchData) data = user_data;
  CrmSecurityPage *self = data->self;
  g_autoptr (GError) error = NULL;
  gboolean stored;

  /* When the page went away the workspace stays on its passphrase, and the
   * unused entry in the keyring is never looked up. */
  stored = crm_keyring_store_finish (result, &error);
  if (is_disposed (self))
    return;

  if (!stored)
    {
      set_busy (self, FALSE);
      /* Translators: %s says what went wrong. */
      show_toast_printf (self, _("The keyring could not store the key, so the workspace stays "
                                "protected by its passphrase: %s"), error->message);
      return;
    }

  /* The keyring holds the new key before the workspace is re-encrypted with
   * it, so that no moment exists where neither secret opens it. */
  if (!crm_store_rekey (self->store, data->key, &error))
    {
      show_toast_printf (self, _("Could not change the protection: %s"), error->message);
      crm_keyring_clear (crm_store_get_uuid (self->store), NULL,
                         keyring_cleared_cb, g_object_ref (self));
      return;
    }

  set_busy (self, FALSE);
  show_toast (self, _("The workspace now opens with the keyring"));
  show_recovery_dialog (self, data->key, TRUE);
}

static void
current_passphrase_checked_cb (GObject      *source,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  g_autoptr (SwitchData) data = user_data;
  CrmSecurityPage *self = data->self;
  g_autoptr (GError) error = NULL;
  g_autofree char *label = NULL;
  GBytes *key;

  if (!crm_workspace_loader_check_finish (result, &error))
    {
      if (is_disposed (self))
        return;
      set_busy (self, FALSE);
      if (g_error_matches (error, CRM_STORE_ERROR, CRM_STORE_ERROR_WRONG_KEY))
        show_toast (self, _("This passphrase does not open the workspace"));
      else
        show_toast_printf (self, _("Could not check the passphrase: %s"), error->message);
      return;
    }

  data->key = crm_key_generate (&error);
  if (data->key == NULL)
    {
      set_busy (self, FALSE);
      show_toast_printf (self, _("Could not change the protection: %s"), error->message);
      return;
    }

  key = data->key;
  label = crm_workspace_loader_keyring_label ();
  crm_keyring_store (crm_store_get_uuid (self->store), label, g_bytes_get_data (key, NULL), NULL,
                     new_key_stored_cb, g_steal_pointer (&data));
}

static void
on_current_passphrase_response (PassphraseDialog *data,
                                const char       *response)
{
  CrmSecurityPage *self = data->self;
  SwitchData *switch_data;
  g_autoptr (CrmSecret) passphrase = NULL;

  if (!g_str_equal (response, "continue") || self->busy)
    return;

  passphrase = g_strdup (gtk_editable_get_text (data->first));

  switch_data = g_new0 (SwitchData, 1);
  switch_data->self = g_object_ref (self);

  set_busy (self, TRUE);
  crm_workspace_loader_check_async (crm_store_get_directory (self->store), NULL, passphrase,
                                    self->cancellable,
                                    current_passphrase_checked_cb, switch_data);
}

static void
on_current_passphrase_changed (PassphraseDialog *data)
{
  const char *text = gtk_editable_get_text (data->first);

  adw_message_dialog_set_response_enabled (data->dialog, "continue", *text != '\0');
}

static void
on_use_keyring_row_activated (CrmSecurityPage *self)
{
  PassphraseDialog *data;
  GtkWidget *dialog;
  GtkWidget *list;
  GtkWidget *row;

  if (self->busy)
    return;

  dialog = adw_message_dialog_new (crm_preferences_get_parent_window (GTK_WIDGET (self)),
                                   _("Use the Keyring?"),
                                   _("Rapport will make a new key for the workspace, keep it in "
                                     "your keyring, and show you a new recovery key to save. "
                                     "Type the current passphrase to go on."));

  list = crm_preferences_new_boxed_list (NULL);
  row = new_password_row (_("Current Passphrase"), "current-passphrase");
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), list);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "continue", _("C_ontinue"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "continue",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "continue", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "continue");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  data = g_new0 (PassphraseDialog, 1);
  data->self = g_object_ref (self);
  data->dialog = ADW_MESSAGE_DIALOG (dialog);
  data->first = g_object_ref (GTK_EDITABLE (row));
  g_object_set_data_full (G_OBJECT (dialog), "crm-passphrase-dialog", data,
                          (GDestroyNotify) passphrase_dialog_free);

  g_signal_connect_swapped (row, "changed", G_CALLBACK (on_current_passphrase_changed), data);
  g_signal_connect_swapped (dialog, "response", G_CALLBACK (on_current_passphrase_response),
                            data);

  gtk_window_present (GTK_WINDOW (dialog));
}

/* Showing the recovery key */

static void
keyring_key_checked_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr (SwitchData) data = user_data;
  CrmSecurityPage *self = data->self;
  g_autoptr (GError) error = NULL;
  gboolean checked;

  checked = crm_workspace_loader_check_finish (result, &error);
  if (is_disposed (self))
    return;

  set_busy (self, FALSE);
  if (!checked)
    {
      if (g_error_matches (error, CRM_STORE_ERROR, CRM_STORE_ERROR_WRONG_KEY))
        show_toast (self, _("The key in the keyring does not open this workspace"));
      else
        show_toast_printf (self, _("Could not check the key: %s"), error->message);
      return;
    }

  show_recovery_dialog (self, data->key, FALSE);
}

static void
keyring_key_looked_up_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr (SwitchData) data = user_data;
  CrmSecurityPage *self = data->self;
  g_autoptr (GError) error = NULL;
  GBytes *key;

  data->key = crm_keyring_lookup_finish (result, &error);
  if (is_disposed (self))
    return;

  if (data->key == NULL)
    {
      set_busy (self, FALSE);
      if (error != NULL)
        show_toast_printf (self, _("Could not get the key from the keyring: %s"), error->message);
      else
        show_toast (self, _("The keyring is locked or does not hold the key of this workspace"));
      return;
    }

  /* The key shown must be the one that opens the workspace: check it with a
   * second connection, which writes nothing. */
  key = data->key;
  crm_workspace_loader_check_async (crm_store_get_directory (self->store), key, NULL,
                                    self->cancellable,
                                    keyring_key_checked_cb, g_steal_pointer (&data));
}

static void
on_show_recovery_response (CrmSecurityPage *self,
                           const char      *response)
{
  SwitchData *data;

  if (!g_str_equal (response, "show") || self->busy)
    return;

  data = g_new0 (SwitchData, 1);
  data->self = g_object_ref (self);

  /* Asking the keyring again lets it prompt for its password when it is
   * locked: that is the confirmation that the user may see the key. */
  set_busy (self, TRUE);
  crm_keyring_lookup (crm_store_get_uuid (self->store), self->cancellable,
                      keyring_key_looked_up_cb, data);
}

static void
on_show_recovery_row_activated (CrmSecurityPage *self)
{
  GtkWidget *dialog;

  if (self->busy || crm_store_get_protection (self->store) != CRM_PROTECTION_KEYRING)
    return;

  dialog = crm_preferences_new_confirm_dialog (GTK_WIDGET (self), NULL,
                                               _("Show the Recovery Key?"),
                                               _("Anyone who sees the recovery key can open your "
                                                 "workspace. Make sure nobody else is looking at "
                                                 "your screen."),
                                               "show", _("_Show"), ADW_RESPONSE_SUGGESTED);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_show_recovery_response), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* GObject */

static void
crm_security_page_constructed (GObject *object)
{
  CrmSecurityPage *self = CRM_SECURITY_PAGE (object);

  G_OBJECT_CLASS (crm_security_page_parent_class)->constructed (object);

  update_rows (self);
}

static void
crm_security_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CrmSecurityPage *self = CRM_SECURITY_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_security_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CrmSecurityPage *self = CRM_SECURITY_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_security_page_dispose (GObject *object)
{
  CrmSecurityPage *self = CRM_SECURITY_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_SECURITY_PAGE);

  G_OBJECT_CLASS (crm_security_page_parent_class)->dispose (object);
}

static void
crm_security_page_finalize (GObject *object)
{
  CrmSecurityPage *self = CRM_SECURITY_PAGE (object);

  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (crm_security_page_parent_class)->finalize (object);
}

static void
crm_security_page_class_init (CrmSecurityPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = crm_security_page_constructed;
  object_class->set_property = crm_security_page_set_property;
  object_class->get_property = crm_security_page_get_property;
  object_class->dispose = crm_security_page_dispose;
  object_class->finalize = crm_security_page_finalize;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         CRM_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/crm-security-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmSecurityPage, protection_row);
  gtk_widget_class_bind_template_child (widget_class, CrmSecurityPage, protection_label);
  gtk_widget_class_bind_template_child (widget_class, CrmSecurityPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, CrmSecurityPage, use_passphrase_row);
  gtk_widget_class_bind_template_child (widget_class, CrmSecurityPage, use_keyring_row);
  gtk_widget_class_bind_template_child (widget_class, CrmSecurityPage, show_recovery_row);
  gtk_widget_class_bind_template_callback (widget_class, on_use_passphrase_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_use_keyring_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_show_recovery_row_activated);
}

static void
crm_security_page_init (CrmSecurityPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
}

/**
 * crm_security_page_new:
 * @store: the open workspace
 *
 * The preferences page that shows how the workspace is protected and lets
 * the user change it.
 */
CrmSecurityPage *
crm_security_page_new (CrmStore *store)
{
  g_return_val_if_fail (CRM_IS_STORE (store), NULL);

  return g_object_new (CRM_TYPE_SECURITY_PAGE,
                       "store", store,
                       NULL);
}

CrmStore *
crm_security_page_get_store (CrmSecurityPage *self)
{
  g_return_val_if_fail (CRM_IS_SECURITY_PAGE (self), NULL);

  return self->store;
}
