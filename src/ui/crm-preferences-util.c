/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-preferences-util"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-preferences-util.h"

#define FOCUS_KEY "crm-focus-key"

void
crm_preferences_install_actions (GtkWidgetClass             *widget_class,
                                 const CrmPreferencesAction *actions,
                                 gsize                       n_actions)
{
  for (gsize i = 0; i < n_actions; i++)
    gtk_widget_class_install_action (widget_class, actions[i].name, actions[i].parameter_type,
                                     actions[i].activate);
}

GtkWindow *
crm_preferences_get_parent_window (GtkWidget *page)
{
  GtkRoot *root = gtk_widget_get_root (page);

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/* Toasts */

AdwToast *
crm_preferences_add_toast (GtkWidget  *page,
                           const char *title)
{
  GtkRoot *root = gtk_widget_get_root (page);
  g_autofree char *markup = g_markup_escape_text (title, -1);
  /* Toast titles are markup; names and labels are the user's text. */
  AdwToast *toast = adw_toast_new (markup);

  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root), g_object_ref (toast));
  else
    g_debug ("%s", title);

  return toast;
}

void
crm_preferences_show_toast (GtkWidget  *page,
                            const char *title)
{
  g_object_unref (crm_preferences_add_toast (page, title));
}

void
crm_preferences_show_error (GtkWidget    *page,
                            const GError *error)
{
  crm_preferences_show_toast (page, error->message);
}

static void
on_undo_toast_clicked (AdwToast  *toast,
                       GtkWidget *page)
{
  gtk_widget_activate_action (page, g_object_get_data (G_OBJECT (toast), "crm-undo-action"),
                              NULL);
}

AdwToast *
crm_preferences_add_undo_toast (GtkWidget  *page,
                                const char *title,
                                const char *undo_action)
{
  AdwToast *toast = crm_preferences_add_toast (page, title);

  adw_toast_set_button_label (toast, _("_Undo"));
  g_object_set_data_full (G_OBJECT (toast), "crm-undo-action", g_strdup (undo_action), g_free);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_undo_toast_clicked), page, 0);

  return toast;
}

void
crm_preferences_dismiss_toast (AdwToast **toast)
{
  if (*toast != NULL)
    adw_toast_dismiss (*toast);
  g_clear_object (toast);
}

/* The focus */

void
crm_preferences_set_focus_key (GtkWidget  *widget,
                               const char *key)
{
  g_object_set_data_full (G_OBJECT (widget), FOCUS_KEY, g_strdup (key), g_free);
}

static GtkWidget *
find_focus_key (GtkWidget  *widget,
                const char *key)
{
  if (g_strcmp0 (g_object_get_data (G_OBJECT (widget), FOCUS_KEY), key) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_focus_key (child, key);

      if (found != NULL)
        return found;
    }

  return NULL;
}

char *
crm_preferences_remember_focus (GtkWidget *page)
{
  GtkRoot *root = gtk_widget_get_root (page);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  for (GtkWidget *widget = focus; widget != NULL && widget != page;
       widget = gtk_widget_get_parent (widget))
    {
      const char *key = g_object_get_data (G_OBJECT (widget), FOCUS_KEY);

      if (key != NULL)
        return g_strdup (key);
    }

  return NULL;
}

void
crm_preferences_restore_focus (GtkWidget  *page,
                               const char *key)
{
  GtkWidget *widget;

  if (key == NULL)
    return;

  widget = find_focus_key (page, key);
  if (widget != NULL && gtk_widget_is_sensitive (widget) && gtk_widget_grab_focus (widget))
    return;

  /* An entry row puts the focus in its text. */
  if (widget != NULL)
    {
      GtkWidget *row = gtk_widget_get_ancestor (widget, GTK_TYPE_LIST_BOX_ROW);

      if (row != NULL && gtk_widget_grab_focus (row))
        return;
    }

  {
    g_auto (GStrv) parts = g_strsplit (key, ":", 2);
    g_autofree char *add_key = g_strconcat (parts[0], ":add", NULL);

    widget = find_focus_key (page, add_key);
    if (widget != NULL)
      gtk_widget_grab_focus (widget);
  }
}

/* Rows and buttons */

void
crm_preferences_set_id (gpointer object,
                        gint64   id)
{
  g_object_set_data_full (G_OBJECT (object), "crm-id", g_memdup2 (&id, sizeof id), g_free);
}

gint64
crm_preferences_get_id (gpointer object)
{
  gint64 *id = g_object_get_data (G_OBJECT (object), "crm-id");

  return id != NULL ? *id : 0;
}

GtkWidget *
crm_preferences_new_boxed_list (const char *accessible_label)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  if (accessible_label != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (list),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_label,
                                    -1);

  return list;
}

void
crm_preferences_clear_rows (GtkListBox *list,
                            GPtrArray  *rows)
{
  for (guint i = 0; i < rows->len; i++)
    gtk_list_box_remove (list, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

GtkWidget *
crm_preferences_new_icon_button (const char *icon_name,
                                 const char *tooltip,
                                 const char *accessible_label,
                                 const char *name)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_set_name (button, name);
  gtk_widget_add_css_class (button, "flat");
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_label,
                                  -1);

  return button;
}

/* The page's action is found from the button: actions look up the
 * widget tree. */
static void
on_row_button_clicked (GtkButton  *button,
                       const char *action)
{
  gtk_widget_activate_action_variant (GTK_WIDGET (button), action,
                                      g_object_get_data (G_OBJECT (button), "crm-target"));
}

GtkWidget *
crm_preferences_new_row_button (const char *key_prefix,
                                const char *icon_name,
                                const char *tooltip,
                                const char *accessible_label,
                                const char *name,
                                const char *action,
                                GVariant   *target)
{
  GtkWidget *button = crm_preferences_new_icon_button (icon_name, tooltip, accessible_label, name);
  g_autofree char *key = g_strconcat (key_prefix, ":", name, NULL);

  crm_preferences_set_focus_key (button, key);
  g_object_set_data_full (G_OBJECT (button), "crm-target", g_variant_ref_sink (target),
                          (GDestroyNotify) g_variant_unref);
  g_signal_connect (button, "clicked", G_CALLBACK (on_row_button_clicked), (gpointer) action);

  return button;
}

void
crm_preferences_append_move_buttons (GtkBox     *box,
                                     const char *key_prefix,
                                     const char *label,
                                     gboolean    first,
                                     gboolean    last,
                                     const char *up_action,
                                     const char *down_action,
                                     GVariant   *target)
{
  g_autoptr (GVariant) owned = g_variant_ref_sink (target);
  g_autofree char *up = g_strdup_printf (_("Move “%s” Up"), label);
  g_autofree char *down = g_strdup_printf (_("Move “%s” Down"), label);
  GtkWidget *button;

  button = crm_preferences_new_row_button (key_prefix, "go-up-symbolic", _("Move Up"), up,
                                           "move-up-button", up_action, owned);
  gtk_widget_set_sensitive (button, !first);
  gtk_box_append (box, button);
  button = crm_preferences_new_row_button (key_prefix, "go-down-symbolic", _("Move Down"), down,
                                           "move-down-button", down_action, owned);
  gtk_widget_set_sensitive (button, !last);
  gtk_box_append (box, button);
}

/* Dialogs */

GtkWindow *
crm_preferences_new_dialog (GtkWidget           *page,
                            const char          *name,
                            const char          *title,
                            const char          *save_label,
                            int                  default_height,
                            GCallback            on_save,
                            gpointer             data,
                            GtkWidget          **save_button_out,
                            AdwPreferencesPage **content_out)
{
  GtkShortcutController *shortcuts;
  GtkWidget *window, *box, *header, *content, *button;

  window = adw_window_new ();
  gtk_widget_set_name (window, name);
  gtk_window_set_title (GTK_WINDOW (window), title);
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_transient_for (GTK_WINDOW (window), crm_preferences_get_parent_window (page));
  gtk_window_set_destroy_with_parent (GTK_WINDOW (window), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (window), 420, default_height);

  shortcuts = GTK_SHORTCUT_CONTROLLER (gtk_shortcut_controller_new ());
  gtk_shortcut_controller_add_shortcut (shortcuts,
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape,
                                                                                  0),
                                                          gtk_named_action_new ("window.close")));
  gtk_widget_add_controller (window, GTK_EVENT_CONTROLLER (shortcuts));

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = gtk_header_bar_new ();
  gtk_header_bar_set_show_title_buttons (GTK_HEADER_BAR (header), FALSE);
  gtk_header_bar_set_title_widget (GTK_HEADER_BAR (header), adw_window_title_new (title, NULL));

  button = gtk_button_new_with_mnemonic (_("_Cancel"));
  gtk_widget_set_name (button, "cancel-button");
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (gtk_window_close), window);
  gtk_header_bar_pack_start (GTK_HEADER_BAR (header), button);

  button = gtk_button_new_with_mnemonic (save_label);
  gtk_widget_set_name (button, "save-button");
  gtk_widget_add_css_class (button, "suggested-action");
  g_signal_connect_swapped (button, "clicked", on_save, data);
  gtk_header_bar_pack_end (GTK_HEADER_BAR (header), button);
  gtk_window_set_default_widget (GTK_WINDOW (window), button);
  *save_button_out = button;
  gtk_box_append (GTK_BOX (box), header);

  content = adw_preferences_page_new ();
  gtk_widget_set_vexpand (content, TRUE);
  *content_out = ADW_PREFERENCES_PAGE (content);
  gtk_box_append (GTK_BOX (box), content);
  adw_window_set_content (ADW_WINDOW (window), box);

  return GTK_WINDOW (window);
}

GtkWidget *
crm_preferences_new_confirm_dialog (GtkWidget             *page,
                                    const char            *name,
                                    const char            *heading,
                                    const char            *body,
                                    const char            *response,
                                    const char            *response_label,
                                    AdwResponseAppearance  appearance)
{
  GtkWidget *dialog = adw_message_dialog_new (crm_preferences_get_parent_window (page), heading,
                                              body);

  if (name != NULL)
    gtk_widget_set_name (dialog, name);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    response, response_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), response, appearance);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  return dialog;
}
