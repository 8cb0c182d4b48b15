/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-contacts-view"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-contact-list-row.h"
#include "crm-contacts-view.h"

struct _CrmContactsView
{
  AdwBin             parent_instance;

  /* template widgets */
  GtkSearchEntry    *search_entry;
  GtkLabel          *count_label;
  GtkStack          *stack;
  GtkSpinner        *spinner;
  GtkScrolledWindow *scrolled_window;
  GtkListView       *list_view;
  AdwStatusPage     *empty_page;
  AdwStatusPage     *no_matches_page;

  /* owned references */
  CrmStore          *store;
  GSettings         *settings;
  CrmContactList    *model;
};

G_DEFINE_FINAL_TYPE (CrmContactsView, crm_contacts_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SETTINGS,
  PROP_MODEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
is_searching (CrmContactsView *self)
{
  const char *query = crm_contact_list_get_query (self->model);

  return query != NULL && *query != '\0';
}

static void
update_count (CrmContactsView *self,
              guint            n_items,
              guint            total,
              gboolean         loading)
{
  g_autofree char *text = NULL;

  if (is_searching (self))
    {
      /* Translators: how many contacts the search found; %'u is the number,
       * written with the thousands separator of the language. */
      text = g_strdup_printf (ngettext ("%'u match", "%'u matches", n_items), n_items);
    }
  else
    {
      /* While the list loads, the total counts only what has loaded so far:
       * keep the last count (none at first) rather than show a wrong one. */
      if (loading)
        return;
      /* Translators: how many contacts the workspace holds; %'u is the
       * number, written with the thousands separator of the language. */
      text = g_strdup_printf (ngettext ("%'u contact", "%'u contacts", total), total);
    }

  gtk_label_set_text (self->count_label, text);
}

static void
update_state (CrmContactsView *self)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  guint total = crm_contact_list_get_total (self->model);
  gboolean loading = crm_contact_list_get_loading (self->model);
  const char *page;

  if (n_items > 0)
    page = "list";
  else if (loading)
    page = "loading";
  else if (total == 0)
    page = "empty";
  else
    page = "no-matches";

  gtk_stack_set_visible_child_name (self->stack, page);
  gtk_spinner_set_spinning (self->spinner, g_str_equal (page, "loading"));
  update_count (self, n_items, total, loading);
}

static gboolean
clear_search (CrmContactsView *self)
{
  if (*gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) == '\0')
    return FALSE;

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  return TRUE;
}

static void
on_model_items_changed (CrmContactsView *self,
                        guint            position,
                        guint            removed,
                        guint            added,
                        GListModel      *model)
{
  update_state (self);
}

static void
on_model_notify (CrmContactsView *self,
                 GParamSpec      *pspec,
                 CrmContactList  *model)
{
  update_state (self);
}

static void
on_settings_contacts_sort_changed (CrmContactsView *self,
                                   const char      *key,
                                   GSettings       *settings)
{
  crm_contact_list_set_sort_order (self->model, g_settings_get_enum (settings, key));
}

static void
on_search_entry_search_changed (GtkSearchEntry  *entry,
                                CrmContactsView *self)
{
  /* Spaces around the words find nothing more; only spaces, everybody. */
  g_autofree char *query = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));

  if (g_strcmp0 (query, crm_contact_list_get_query (self->model)) == 0)
    return;

  crm_contact_list_set_query (self->model, query);
  update_state (self);
}

static void
on_search_entry_stop_search (GtkSearchEntry  *entry,
                             CrmContactsView *self)
{
  clear_search (self);
}

static void
on_search_entry_activate (GtkSearchEntry  *entry,
                          CrmContactsView *self)
{
  /* Enter takes the keyboard to the results, where the arrows move. */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->model)) > 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

static void
on_factory_setup (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  CrmContactsView          *self)
{
  gtk_list_item_set_child (item, crm_contact_list_row_new ());
}

static void
on_factory_bind (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 CrmContactsView          *self)
{
  crm_contact_list_row_set_contact (CRM_CONTACT_LIST_ROW (gtk_list_item_get_child (item)),
                                    gtk_list_item_get_item (item));
}

static void
on_factory_unbind (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   CrmContactsView          *self)
{
  /* Let go of the row, so that the model may forget what scrolled away. */
  crm_contact_list_row_set_contact (CRM_CONTACT_LIST_ROW (gtk_list_item_get_child (item)), NULL);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  crm_contacts_view_focus_search (CRM_CONTACTS_VIEW (widget));
}

static gboolean
escape_pressed_cb (GtkWidget *widget,
                   GVariant  *args,
                   gpointer   user_data)
{
  return clear_search (CRM_CONTACTS_VIEW (widget));
}

static void
crm_contacts_view_constructed (GObject *object)
{
  CrmContactsView *self = CRM_CONTACTS_VIEW (object);
  CrmSortOrder order = CRM_SORT_GIVEN_NAME;
  GtkSingleSelection *selection;

  G_OBJECT_CLASS (crm_contacts_view_parent_class)->constructed (object);

  g_assert (CRM_IS_STORE (self->store));

  if (self->settings != NULL)
    {
      order = g_settings_get_enum (self->settings, "contacts-sort");
      g_signal_connect_object (self->settings, "changed::contacts-sort",
                               G_CALLBACK (on_settings_contacts_sort_changed), self,
                               G_CONNECT_SWAPPED);
    }

  self->model = crm_contact_list_new (self->store, order);
  g_signal_connect_object (self->model, "items-changed",
                           G_CALLBACK (on_model_items_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::loading",
                           G_CALLBACK (on_model_notify), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::total",
                           G_CALLBACK (on_model_notify), self, G_CONNECT_SWAPPED);

  /* Nothing is selected until the user picks a contact: selecting the first
   * row by itself would read as a choice nobody made. */
  selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_can_unselect (selection, TRUE);
  gtk_single_selection_set_model (selection, G_LIST_MODEL (self->model));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);

  update_state (self);
}

static void
crm_contacts_view_dispose (GObject *object)
{
  CrmContactsView *self = CRM_CONTACTS_VIEW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_CONTACTS_VIEW);
  g_clear_object (&self->model);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (crm_contacts_view_parent_class)->dispose (object);
}

static void
crm_contacts_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CrmContactsView *self = CRM_CONTACTS_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_contacts_view_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CrmContactsView *self = CRM_CONTACTS_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_contacts_view_class_init (CrmContactsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = crm_contacts_view_constructed;
  object_class->dispose = crm_contacts_view_dispose;
  object_class->get_property = crm_contacts_view_get_property;
  object_class->set_property = crm_contacts_view_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         CRM_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * CrmContactsView:settings:
   *
   * The application's settings, whose "contacts-sort" key orders the list.
   */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL,
                         CRM_TYPE_CONTACT_LIST,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/crm-contacts-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, count_label);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, stack);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, spinner);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, list_view);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, no_matches_page);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_factory_setup);
  gtk_widget_class_bind_template_callback (widget_class, on_factory_bind);
  gtk_widget_class_bind_template_callback (widget_class, on_factory_unbind);

  gtk_widget_class_install_action (widget_class, "contacts.search", NULL, search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "contacts.search", NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, escape_pressed_cb, NULL);

  g_type_ensure (CRM_TYPE_CONTACT_LIST_ROW);
}

static void
crm_contacts_view_init (CrmContactsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Typing anywhere in the view, the list included, starts a search. */
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));
}

/**
 * crm_contacts_view_new:
 * @store: the open workspace
 * @settings: (nullable): the application's settings
 *
 * Makes the Contacts view: a searchable list of every contact in @store,
 * sorted as the "contacts-sort" key of @settings says.
 *
 * Returns: (transfer floating): a new #CrmContactsView
 */
CrmContactsView *
crm_contacts_view_new (CrmStore  *store,
                       GSettings *settings)
{
  g_return_val_if_fail (CRM_IS_STORE (store), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (CRM_TYPE_CONTACTS_VIEW,
                       "store", store,
                       "settings", settings,
                       NULL);
}

/**
 * crm_contacts_view_get_model:
 * @self: a #CrmContactsView
 *
 * Returns: (transfer none): the list of contacts the view shows
 */
CrmContactList *
crm_contacts_view_get_model (CrmContactsView *self)
{
  g_return_val_if_fail (CRM_IS_CONTACTS_VIEW (self), NULL);

  return self->model;
}

/**
 * crm_contacts_view_focus_search:
 * @self: a #CrmContactsView
 *
 * Puts the keyboard in the search entry, its text selected.
 */
void
crm_contacts_view_focus_search (CrmContactsView *self)
{
  g_return_if_fail (CRM_IS_CONTACTS_VIEW (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}
