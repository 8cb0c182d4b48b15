/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-unlock-page"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-unlock-page.h"
#include "crm-workspace-loader.h"

struct _CrmUnlockPage
{
  AdwBin parent_instance;

  /* template widgets */
  AdwStatusPage *status_page;   /* the bin's child */
  AdwEntryRow   *recovery_row;
  AdwEntryRow   *passphrase_row;
  GtkLabel      *error_label;
  GtkButton     *unlock_button;
  GtkSpinner    *spinner;
  GtkButton     *mode_button;

  /* owned references */
  GCancellable *cancellable;

  /* state */
  char          *directory;
  CrmProtection  protection;
  gboolean       protection_known;
  gboolean       use_passphrase;
  gboolean       unlocking;
  gboolean       keyring_failed;
};

enum {
  PROP_0,
  PROP_DIRECTORY,
  PROP_PROTECTION,
  PROP_PROTECTION_KNOWN,
  N_PROPS
};

enum {
  UNLOCKED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CrmUnlockPage, crm_unlock_page, ADW_TYPE_BIN)

static AdwEntryRow *
get_active_row (CrmUnlockPage *self)
{
  return self->use_passphrase ? self->passphrase_row : self->recovery_row;
}

static void
show_error (CrmUnlockPage *self,
            const char    *message)
{
  AdwEntryRow *row = get_active_row (self);

  gtk_label_set_label (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);

  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

static void
update_sensitivity (CrmUnlockPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (get_active_row (self)));

  gtk_widget_set_sensitive (GTK_WIDGET (self->unlock_button),
                            !self->unlocking && text != NULL && *text != '\0');
}

static void
update_mode (CrmUnlockPage *self)
{
  const char *description;

  gtk_widget_set_visible (GTK_WIDGET (self->recovery_row), !self->use_passphrase);
  gtk_widget_set_visible (GTK_WIDGET (self->passphrase_row), self->use_passphrase);

  if (!self->protection_known)
    description = _("Rapport could not get the key of this workspace from the keyring. "
                    "Enter the recovery key you saved when you created the workspace, "
                    "or its passphrase if you set one.");
  else if (self->protection == CRM_PROTECTION_PASSPHRASE)
    description = _("This workspace is protected by a passphrase. Enter it to open the "
                    "workspace.");
  else
    description = _("Rapport could not get the key of this workspace from the keyring: "
                    "the keyring may be locked, or the key was removed. Enter the recovery "
                    "key you saved when you created the workspace.");
  adw_status_page_set_description (self->status_page, description);

  /* Both ways in are offered only when the workspace does not say which
   * one it uses. */
  gtk_widget_set_visible (GTK_WIDGET (self->mode_button), !self->protection_known);
  gtk_button_set_label (self->mode_button,
                        self->use_passphrase ? _("Use the _Recovery Key Instead")
                                             : _("Use a _Passphrase Instead"));

  show_error (self, NULL);
  update_sensitivity (self);
}

static void
focus_entry (CrmUnlockPage *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (get_active_row (self)));
}

static void
set_unlocking (CrmUnlockPage *self,
               gboolean       unlocking)
{
  self->unlocking = unlocking;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), unlocking);
  gtk_spinner_set_spinning (self->spinner, unlocking);
  update_sensitivity (self);
}

static void
workspace_unlocked_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr (CrmUnlockPage) self = user_data;
  g_autoptr (CrmWorkspaceResult) unlocked = NULL;
  g_autoptr (GError) error = NULL;
  AdwEntryRow *row;

  unlocked = crm_workspace_loader_unlock_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_unlocking (self, FALSE);
  row = get_active_row (self);

  if (unlocked == NULL)
    {
      g_autofree char *message = NULL;

      g_debug ("Could not unlock the workspace: %s", error->message);
      if (g_error_matches (error, CRM_STORE_ERROR, CRM_STORE_ERROR_WRONG_KEY))
        message = g_strdup (self->use_passphrase
                            ? _("This passphrase does not open the workspace")
                            : _("This recovery key does not open the workspace"));
      else if (error->domain == CRM_KEY_ERROR)
        /* The key module says what is wrong with what was typed. */
        message = g_strdup (error->message);
      else
        /* Translators: %s says what went wrong. */
        message = g_strdup_printf (_("Could not open the workspace: %s"), error->message);

      show_error (self, message);

      /* The user tries again where they typed: a passphrase is typed anew,
       * a recovery key is corrected where the mistake is. */
      focus_entry (self);
      if (self->use_passphrase)
        gtk_editable_select_region (GTK_EDITABLE (row), 0, -1);
      else
        gtk_editable_set_position (GTK_EDITABLE (row), -1);
      return;
    }

  self->keyring_failed = unlocked->keyring_failed;
  if (unlocked->keyring_message != NULL)
    g_debug ("Keyring: %s", unlocked->keyring_message);

  /* Nothing of the secret stays in the entry. */
  gtk_editable_set_text (GTK_EDITABLE (self->recovery_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_row), "");

  g_signal_emit (self, signals[UNLOCKED], 0, unlocked->store);
}

static void
unlock (CrmUnlockPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (get_active_row (self)));

  if (self->unlocking || text == NULL || *text == '\0')
    return;

  set_unlocking (self, TRUE);
  crm_workspace_loader_unlock_async (self->directory,
                                     self->use_passphrase ? NULL : text,
                                     self->use_passphrase ? text : NULL,
                                     self->cancellable,
                                     workspace_unlocked_cb, g_object_ref (self));
}

static void
on_entry_activated (CrmUnlockPage *self)
{
  unlock (self);
}

static void
on_entry_changed (CrmUnlockPage *self)
{
  show_error (self, NULL);
  update_sensitivity (self);
}

static void
on_unlock_button_clicked (CrmUnlockPage *self)
{
  unlock (self);
}

static void
on_mode_button_clicked (CrmUnlockPage *self)
{
  if (self->unlocking)
    return;

  self->use_passphrase = !self->use_passphrase;
  update_mode (self);
  focus_entry (self);
}

static gboolean
crm_unlock_page_grab_focus (GtkWidget *widget)
{
  CrmUnlockPage *self = CRM_UNLOCK_PAGE (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (get_active_row (self)));
}

static void
crm_unlock_page_constructed (GObject *object)
{
  CrmUnlockPage *self = CRM_UNLOCK_PAGE (object);

  G_OBJECT_CLASS (crm_unlock_page_parent_class)->constructed (object);

  self->use_passphrase = self->protection_known
                         && self->protection == CRM_PROTECTION_PASSPHRASE;
  update_mode (self);
}

static void
crm_unlock_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  CrmUnlockPage *self = CRM_UNLOCK_PAGE (object);

  switch (prop_id)
    {
    case PROP_DIRECTORY:
      self->directory = g_value_dup_string (value);
      break;

    case PROP_PROTECTION:
      self->protection = g_value_get_int (value);
      break;

    case PROP_PROTECTION_KNOWN:
      self->protection_known = g_value_get_boolean (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_unlock_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CrmUnlockPage *self = CRM_UNLOCK_PAGE (object);

  switch (prop_id)
    {
    case PROP_DIRECTORY:
      g_value_set_string (value, self->directory);
      break;

    case PROP_PROTECTION:
      g_value_set_int (value, self->protection);
      break;

    case PROP_PROTECTION_KNOWN:
      g_value_set_boolean (value, self->protection_known);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_unlock_page_dispose (GObject *object)
{
  CrmUnlockPage *self = CRM_UNLOCK_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_UNLOCK_PAGE);

  G_OBJECT_CLASS (crm_unlock_page_parent_class)->dispose (object);
}

static void
crm_unlock_page_finalize (GObject *object)
{
  CrmUnlockPage *self = CRM_UNLOCK_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->directory, g_free);

  G_OBJECT_CLASS (crm_unlock_page_parent_class)->finalize (object);
}

static void
crm_unlock_page_class_init (CrmUnlockPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = crm_unlock_page_constructed;
  object_class->set_property = crm_unlock_page_set_property;
  object_class->get_property = crm_unlock_page_get_property;
  object_class->dispose = crm_unlock_page_dispose;
  object_class->finalize = crm_unlock_page_finalize;

  widget_class->grab_focus = crm_unlock_page_grab_focus;

  properties[PROP_DIRECTORY] =
    g_param_spec_string ("directory", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* A CrmProtection; core registers no enum type for it. */
  properties[PROP_PROTECTION] =
    g_param_spec_int ("protection", NULL, NULL,
                      CRM_PROTECTION_KEYRING, CRM_PROTECTION_PASSPHRASE, CRM_PROTECTION_KEYRING,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROTECTION_KNOWN] =
    g_param_spec_boolean ("protection-known", NULL, NULL,
                          TRUE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CrmUnlockPage::unlocked:
   * @store: the workspace, open
   *
   * Emitted once what the user typed opened the workspace.
   */
  signals[UNLOCKED] = g_signal_new ("unlocked",
                                    G_TYPE_FROM_CLASS (klass),
                                    G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL,
                                    G_TYPE_NONE, 1, CRM_TYPE_STORE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/crm-unlock-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmUnlockPage, recovery_row);
  gtk_widget_class_bind_template_child (widget_class, CrmUnlockPage, passphrase_row);
  gtk_widget_class_bind_template_child (widget_class, CrmUnlockPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, CrmUnlockPage, unlock_button);
  gtk_widget_class_bind_template_child (widget_class, CrmUnlockPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, CrmUnlockPage, mode_button);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_unlock_button_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_mode_button_clicked);
}

static void
crm_unlock_page_init (CrmUnlockPage *self)
{
  g_autoptr (PangoAttrList) attributes = pango_attr_list_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  /* The bin's own child is not bound: AdwBin unparents it itself, and a
   * bound child would be unparented twice on dispose. */
  self->status_page = ADW_STATUS_PAGE (adw_bin_get_child (ADW_BIN (self)));

  self->cancellable = g_cancellable_new ();

  /* A recovery key is read and typed group by group. */
  pango_attr_list_insert (attributes, pango_attr_family_new ("monospace"));
  adw_entry_row_set_attributes (self->recovery_row, attributes);
}

/**
 * crm_unlock_page_new:
 * @directory: the workspace to unlock
 * @protection: how it is protected
 * @protection_known: %FALSE when the workspace does not say; the page then
 *   offers both the recovery key and a passphrase
 *
 * The page shown when a workspace exists but did not open silently.
 */
CrmUnlockPage *
crm_unlock_page_new (const char    *directory,
                     CrmProtection  protection,
                     gboolean       protection_known)
{
  g_return_val_if_fail (directory != NULL, NULL);

  return g_object_new (CRM_TYPE_UNLOCK_PAGE,
                       "directory", directory,
                       "protection", protection,
                       "protection-known", protection_known,
                       NULL);
}

const char *
crm_unlock_page_get_directory (CrmUnlockPage *self)
{
  g_return_val_if_fail (CRM_IS_UNLOCK_PAGE (self), NULL);

  return self->directory;
}

/**
 * crm_unlock_page_get_keyring_failed:
 *
 * Whether the last unlock with a recovery key could not put the key back
 * into the keyring, so that the next start asks again.
 */
gboolean
crm_unlock_page_get_keyring_failed (CrmUnlockPage *self)
{
  g_return_val_if_fail (CRM_IS_UNLOCK_PAGE (self), FALSE);

  return self->keyring_failed;
}
