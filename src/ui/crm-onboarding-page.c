/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-onboarding-page"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-onboarding-page.h"
#include "crm-workspace-loader.h"

struct _CrmOnboardingPage
{
  AdwBin parent_instance;

  /* template widgets */
  AdwToastOverlay *toast_overlay;   /* the bin's child */
  GtkStack        *stack;
  AdwStatusPage   *welcome_page;
  GtkSwitch       *sample_switch;
  GtkLabel        *error_label;
  GtkButton       *create_button;
  GtkProgressBar  *progress_bar;
  GtkLabel        *keyring_warning_label;
  GtkLabel        *recovery_label;
  GtkButton       *copy_button;
  GtkButton       *save_button;
  GtkCheckButton  *saved_check;
  GtkButton       *continue_button;

  /* owned references */
  CrmStore             *store;
  CrmSecret            *recovery_key;
  GtkFileChooserNative *chooser;

  /* state */
  char     *directory;
  gboolean  creating;
};

enum {
  PROP_0,
  PROP_DIRECTORY,
  N_PROPS
};

enum {
  FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CrmOnboardingPage, crm_onboarding_page, ADW_TYPE_BIN)

static void
show_toast (CrmOnboardingPage *self,
            const char        *title)
{
  AdwToast *toast = adw_toast_new (title);

  adw_toast_set_timeout (toast, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
show_error (CrmOnboardingPage *self,
            const char        *message)
{
  gtk_label_set_label (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
forget_recovery_key (CrmOnboardingPage *self)
{
  /* The label keeps its own copy; empty it so it does not linger. */
  if (self->recovery_label != NULL)
    gtk_label_set_label (self->recovery_label, "");
  g_clear_pointer (&self->recovery_key, crm_secret_free);
}

static void
created_progress_cb (double      fraction,
                     const char *text,
                     gpointer    user_data)
{
  CrmOnboardingPage *self = user_data;

  if (self->progress_bar == NULL)
    return;

  gtk_progress_bar_set_fraction (self->progress_bar, fraction);
  gtk_progress_bar_set_text (self->progress_bar, text);
}

static void
workspace_created_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr (CrmOnboardingPage) self = user_data;
  g_autoptr (CrmWorkspaceResult) created = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmSecret) display = NULL;

  created = crm_workspace_loader_create_finish (result, &error);
  self->creating = FALSE;

  /* The page went away meanwhile; the workspace opens from the keyring
   * next time. */
  if (self->stack == NULL)
    return;

  gtk_widget_set_sensitive (GTK_WIDGET (self->create_button), TRUE);
  if (created == NULL)
    {
      g_autofree char *message = NULL;

      g_debug ("Could not create the workspace: %s", error->message);
      if (g_error_matches (error, CRM_STORE_ERROR, CRM_STORE_ERROR_EXISTS))
        message = g_strdup (_("A workspace exists already; Rapport never replaces one. "
                              "Start Rapport again to unlock it."));
      else
        /* Translators: %s says what went wrong. */
        message = g_strdup_printf (_("Could not create the workspace: %s"), error->message);

      show_error (self, message);
      gtk_stack_set_visible_child_name (self->stack, "welcome");
      gtk_widget_grab_focus (GTK_WIDGET (self->create_button));
      return;
    }

  g_set_object (&self->store, created->store);
  g_clear_pointer (&self->recovery_key, crm_secret_free);
  self->recovery_key = g_steal_pointer (&created->recovery_key);

  if (created->keyring_message != NULL)
    g_debug ("Keyring: %s", created->keyring_message);
  gtk_widget_set_visible (GTK_WIDGET (self->keyring_warning_label), created->keyring_failed);

  display = crm_workspace_loader_format_recovery_key (self->recovery_key);
  gtk_label_set_label (self->recovery_label, display);
  gtk_check_button_set_active (self->saved_check, FALSE);
  gtk_stack_set_visible_child_name (self->stack, "recovery");
  gtk_widget_grab_focus (GTK_WIDGET (self->copy_button));

  if (created->sample_data_message != NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: %s says what went wrong. */
      message = g_strdup_printf (_("Could not add all the sample data: %s"),
                                 created->sample_data_message);
      show_toast (self, message);
    }
}

static void
on_create_button_clicked (CrmOnboardingPage *self)
{
  gboolean fill = gtk_switch_get_active (self->sample_switch);

  if (self->creating || self->store != NULL)
    return;

  self->creating = TRUE;
  show_error (self, NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->create_button), FALSE);
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_progress_bar_set_text (self->progress_bar, NULL);
  gtk_stack_set_visible_child_name (self->stack, "creating");

  /* Not cancelled when the page goes away: once the workspace exists its
   * key must reach the keyring; the reference keeps the page until then. */
  crm_workspace_loader_create_async (self->directory, fill,
                                     created_progress_cb, self,
                                     NULL, workspace_created_cb, g_object_ref (self));
}

static void
on_copy_button_clicked (CrmOnboardingPage *self)
{
  if (self->recovery_key == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), self->recovery_key);
  show_toast (self, _("Recovery key copied"));
}

static void
on_chooser_response (CrmOnboardingPage    *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  g_autoptr (GFile) file = NULL;
  g_autoptr (GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);

  if (file == NULL || self->recovery_key == NULL)
    return;

  if (!crm_workspace_loader_save_recovery_key (file, self->recovery_key,
                                               crm_store_get_uuid (self->store), &error))
    {
      g_autofree char *message = NULL;

      /* Translators: %s says what went wrong. */
      message = g_strdup_printf (_("Could not save the recovery key: %s"), error->message);
      show_toast (self, message);
      return;
    }

  show_toast (self, _("Recovery key saved"));
}

static void
on_save_button_clicked (CrmOnboardingPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->recovery_key == NULL || self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Save Recovery Key"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  /* Translators: the name of the file the recovery key is saved to. */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser),
                                     _("Rapport recovery key.txt"));
  g_signal_connect_object (self->chooser, "response",
                           G_CALLBACK (on_chooser_response), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_continue_button_clicked (CrmOnboardingPage *self)
{
  g_autoptr (CrmStore) store = NULL;

  if (self->store == NULL || !gtk_check_button_get_active (self->saved_check))
    return;

  forget_recovery_key (self);
  store = g_steal_pointer (&self->store);
  g_signal_emit (self, signals[FINISHED], 0, store);
}

static void
crm_onboarding_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  CrmOnboardingPage *self = CRM_ONBOARDING_PAGE (object);

  switch (prop_id)
    {
    case PROP_DIRECTORY:
      self->directory = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_onboarding_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  CrmOnboardingPage *self = CRM_ONBOARDING_PAGE (object);

  switch (prop_id)
    {
    case PROP_DIRECTORY:
      g_value_set_string (value, self->directory);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_onboarding_page_dispose (GObject *object)
{
  CrmOnboardingPage *self = CRM_ONBOARDING_PAGE (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  forget_recovery_key (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_ONBOARDING_PAGE);

  G_OBJECT_CLASS (crm_onboarding_page_parent_class)->dispose (object);
}

static void
crm_onboarding_page_finalize (GObject *object)
{
  CrmOnboardingPage *self = CRM_ONBOARDING_PAGE (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->recovery_key, crm_secret_free);
  g_clear_pointer (&self->directory, g_free);

  G_OBJECT_CLASS (crm_onboarding_page_parent_class)->finalize (object);
}

static void
crm_onboarding_page_class_init (CrmOnboardingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->set_property = crm_onboarding_page_set_property;
  object_class->get_property = crm_onboarding_page_get_property;
  object_class->dispose = crm_onboarding_page_dispose;
  object_class->finalize = crm_onboarding_page_finalize;

  properties[PROP_DIRECTORY] =
    g_param_spec_string ("directory", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CrmOnboardingPage::finished:
   * @store: the new workspace, open
   *
   * Emitted when the user has seen the recovery key and goes on.
   */
  signals[FINISHED] = g_signal_new ("finished",
                                    G_TYPE_FROM_CLASS (klass),
                                    G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL,
                                    G_TYPE_NONE, 1, CRM_TYPE_STORE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/crm-onboarding-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmOnboardingPage, stack);
  gtk_widget_class_bind_template_child (widget_class, CrmOnboardingPage, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, CrmOnboardingPage, sample_switch);
  gtk_widget_class_bind_template_child (widget_class, CrmOnboardingPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, CrmOnboardingPage, create_button);
  gtk_widget_class_bind_template_child (widget_class, CrmOnboardingPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CrmOnboardingPage, keyring_warning_label);
  gtk_widget_class_bind_template_child (widget_class, CrmOnboardingPage, recovery_label);
  gtk_widget_class_bind_template_child (widget_class, CrmOnboardingPage, copy_button);
  gtk_widget_class_bind_template_child (widget_class, CrmOnboardingPage, save_button);
  gtk_widget_class_bind_template_child (widget_class, CrmOnboardingPage, saved_check);
  gtk_widget_class_bind_template_child (widget_class, CrmOnboardingPage, continue_button);
  gtk_widget_class_bind_template_callback (widget_class, on_create_button_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_copy_button_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_save_button_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_continue_button_clicked);
}

static void
crm_onboarding_page_init (CrmOnboardingPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The bin's own child is not bound: AdwBin unparents it itself, and a
   * bound child would be unparented twice on dispose. */
  self->toast_overlay = ADW_TOAST_OVERLAY (adw_bin_get_child (ADW_BIN (self)));

  adw_status_page_set_icon_name (self->welcome_page, APPLICATION_ID);
}

/**
 * crm_onboarding_page_new:
 * @directory: where the new workspace goes
 *
 * The first-run page: creates the workspace and shows its recovery key once.
 */
CrmOnboardingPage *
crm_onboarding_page_new (const char *directory)
{
  g_return_val_if_fail (directory != NULL, NULL);

  return g_object_new (CRM_TYPE_ONBOARDING_PAGE,
                       "directory", directory,
                       NULL);
}

const char *
crm_onboarding_page_get_directory (CrmOnboardingPage *self)
{
  g_return_val_if_fail (CRM_IS_ONBOARDING_PAGE (self), NULL);

  return self->directory;
}
