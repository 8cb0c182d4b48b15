/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* What the pages of the Preferences window share: toasts, dialogs, the
 * rows' buttons and the focus that stays on "the same control" while a
 * list's rows are made anew. @page is the AdwPreferencesPage. */

/* An action a page installs: crm_preferences_install_actions() takes a
 * table of them. */
typedef struct
{
  const char                  *name;
  const char                  *parameter_type;
  GtkWidgetActionActivateFunc  activate;
} CrmPreferencesAction;

void       crm_preferences_install_actions     (GtkWidgetClass             *widget_class,
                                                const CrmPreferencesAction *actions,
                                                gsize                       n_actions);

/* The window @page is in, or NULL. */
GtkWindow *crm_preferences_get_parent_window   (GtkWidget                  *page);

/* Shows @title, plain text, as a toast of the Preferences window, or only
 * logs it when @page is not in one. add_toast() gives the caller a
 * reference to the toast; show_toast() and show_error() keep none. */
AdwToast  *crm_preferences_add_toast           (GtkWidget                  *page,
                                                const char                 *title);
void       crm_preferences_show_toast          (GtkWidget                  *page,
                                                const char                 *title);
void       crm_preferences_show_error          (GtkWidget                  *page,
                                                const GError               *error);
/* A toast with an Undo button that activates @undo_action on @page. */
AdwToast  *crm_preferences_add_undo_toast      (GtkWidget                  *page,
                                                const char                 *title,
                                                const char                 *undo_action);
/* Dismisses *@toast, if any, and clears it. */
void       crm_preferences_dismiss_toast       (AdwToast                  **toast);

/* Each control that can hold the focus has a key, "<list>:<id>:<part>" or
 * "<list>:add", so that the focus can go back to the same control once the
 * rows are made anew: remember it before, restore it after. */
void       crm_preferences_set_focus_key       (GtkWidget                  *widget,
                                                const char                 *key);
/* The key of the control inside @page that has the focus, or NULL. */
char      *crm_preferences_remember_focus      (GtkWidget                  *page);
/* Puts the focus back on the control with @key; one that cannot take it
 * (Move Up, insensitive on the first row) hands it to the row that holds
 * it, and a row that is gone to its list's "<list>:add" control. */
void       crm_preferences_restore_focus       (GtkWidget                  *page,
                                                const char                 *key);

/* The stored id of a row or dialog, 0 when it has none. */
void       crm_preferences_set_id              (gpointer                    object,
                                                gint64                      id);
gint64     crm_preferences_get_id              (gpointer                    object);

/* A list box styled as a boxed list, without selection; @accessible_label
 * may be NULL. */
GtkWidget *crm_preferences_new_boxed_list      (const char                 *accessible_label);
/* Removes @rows, the rows the page added, from @list and empties @rows. */
void       crm_preferences_clear_rows          (GtkListBox                 *list,
                                                GPtrArray                  *rows);

/* A flat icon button named @name, with a tooltip and an accessible label. */
GtkWidget *crm_preferences_new_icon_button     (const char                 *icon_name,
                                                const char                 *tooltip,
                                                const char                 *accessible_label,
                                                const char                 *name);
/* An icon button of a row, with the focus key "<key_prefix>:<name>", that
 * activates @action with @target (sunk if floating) when clicked. */
GtkWidget *crm_preferences_new_row_button      (const char                 *key_prefix,
                                                const char                 *icon_name,
                                                const char                 *tooltip,
                                                const char                 *accessible_label,
                                                const char                 *name,
                                                const char                 *action,
                                                GVariant                   *target);
/* Appends the Move Up and Move Down buttons of the row titled @label to
 * @box, off on the @first and the @last row. */
void       crm_preferences_append_move_buttons (GtkBox                     *box,
                                                const char                 *key_prefix,
                                                const char                 *label,
                                                gboolean                    first,
                                                gboolean                    last,
                                                const char                 *up_action,
                                                const char                 *down_action,
                                                GVariant                   *target);

/* A modal window named @name over @page's, 420 pixels wide and
 * @default_height high (-1 for its natural height), with Cancel and
 * @save_label in its header bar and an empty preferences page as its
 * content. The save button is the default widget and calls @on_save with
 * @data; Escape closes the window. */
GtkWindow *crm_preferences_new_dialog          (GtkWidget                  *page,
                                                const char                 *name,
                                                const char                 *title,
                                                const char                 *save_label,
                                                int                         default_height,
                                                GCallback                   on_save,
                                                gpointer                    data,
                                                GtkWidget                 **save_button_out,
                                                AdwPreferencesPage        **content_out);
/* An AdwMessageDialog over @page's window that asks Cancel or @response
 * (@response_label, shown with @appearance); Cancel is the default and
 * the close response. @name may be NULL. */
GtkWidget *crm_preferences_new_confirm_dialog  (GtkWidget                  *page,
                                                const char                 *name,
                                                const char                 *heading,
                                                const char                 *body,
                                                const char                 *response,
                                                const char                 *response_label,
                                                AdwResponseAppearance       appearance);

G_END_DECLS
