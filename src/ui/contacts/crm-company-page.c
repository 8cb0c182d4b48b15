/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-company-page"

#include "config.h"
#include "crm-text.h"

#include <glib/gi18n.h>
#include <string.h>

#include "crm-company-page.h"
#include "crm-contact-page.h"
#include "crm-format.h"
#include "crm-normalize.h"

struct _CrmCompanyPage
{
  GtkWidget            parent_instance;

  /* template widgets */
  GtkStack            *stack;
  AdwStatusPage       *empty_page;
  AdwStatusPage       *missing_page;
  GtkScrolledWindow   *scrolled_window;
  AdwAvatar           *avatar;
  GtkLabel            *name_label;
  GtkLabel            *subtitle_label;
  GtkFlowBox          *pills_box;
  GtkButton           *edit_button;
  GtkButton           *archive_button;
  GtkMenuButton       *more_button;
  AdwPreferencesGroup *details_group;
  GtkListBox          *details_list;
  AdwPreferencesGroup *custom_group;
  GtkListBox          *custom_list;
  AdwPreferencesGroup *people_group;
  GtkListBox          *people_list;
  AdwPreferencesGroup *deals_group;
  GtkListBox          *deals_list;
  GtkWidget           *new_deal_button;
  AdwPreferencesGroup *interactions_group;
  GtkListBox          *interactions_list;

  /* owned references */
  CrmStore            *store;
  CrmCompany          *company;

  /* state */
  gint64               company_id;
  guint                reload_source;
};

G_DEFINE_FINAL_TYPE (CrmCompanyPage, crm_company_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_COMPANY_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
rebuild_header (CrmCompanyPage *self)
{
  CrmCompany *company = self->company;
  const char *name = crm_company_get_name (company);
  const char *industry = crm_company_get_industry (company);
  const char *size = crm_company_get_size (company);
  gboolean archived = crm_company_get_archived (company);
  g_autoptr (GString) subtitle = g_string_new (NULL);
  GVariant *id = g_variant_ref_sink (g_variant_new_int64 (self->company_id));

  adw_avatar_set_text (self->avatar, name);
  gtk_label_set_text (self->name_label, name);

  if (!crm_text_is_blank (industry))
    g_string_append (subtitle, industry);
  if (!crm_text_is_blank (size))
    {
      if (subtitle->len > 0)
        g_string_append (subtitle, " · ");
      /* Translators: how many people a company employs, "50–200 people". */
      g_string_append_printf (subtitle, _("%s people"), size);
    }
  gtk_label_set_text (self->subtitle_label, subtitle->str);
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle_label), subtitle->len > 0);

  crm_page_clear_flow_box (self->pills_box);
  if (archived)
    crm_page_add_pill (self->pills_box, _("Archived"), "warning");
  gtk_widget_set_visible (GTK_WIDGET (self->pills_box), archived);

  /* The target first: an action with a parameter never sees none. */
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->edit_button), id);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->edit_button), "contacts.edit-company");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->archive_button), id);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->archive_button),
                                  archived ? "contacts.unarchive-company"
                                           : "contacts.archive-company");
  gtk_button_set_label (self->archive_button, archived ? _("_Unarchive") : _("_Archive"));
  g_variant_unref (id);
}

static void
rebuild_details (CrmCompanyPage *self)
{
  CrmCompany *company = self->company;
  CrmRows rows;
  const char *tax_code = crm_company_get_tax_code (company);
  const char *website = crm_company_get_website (company);
  const char *phone = crm_company_get_phone (company);
  const char *email = crm_company_get_email (company);
  CrmContactDetail address = {
    .street = (char *) crm_company_get_street (company),
    .ward = (char *) crm_company_get_ward (company),
    .district = (char *) crm_company_get_district (company),
    .province = (char *) crm_company_get_province (company),
    .country = (char *) crm_company_get_country (company),
  };
  g_autofree char *address_text = crm_contact_detail_format_address (&address);
  GtkWidget *row;

  crm_page_rows_begin (&rows, self->details_list);

  if (!crm_text_is_blank (tax_code))
    {
      row = crm_page_rows_add (&rows, tax_code, _("Tax code"));
      crm_page_row_set_action (row, "page.copy", g_variant_new_string (tax_code),
                               "edit-copy-symbolic", _("Copy the tax code"));
    }

  crm_page_rows_add_text (&rows, crm_company_get_industry (company), _("Industry"));
  crm_page_rows_add_text (&rows, crm_company_get_size (company), _("Size"));

  if (!crm_text_is_blank (website))
    {
      g_autofree char *uri = strstr (website, "://") != NULL
                               ? g_strdup (website)
                               : g_strconcat ("https://", website, NULL);

      row = crm_page_rows_add (&rows, website, _("Website"));
      crm_page_row_set_action (row, "page.open-uri", g_variant_new_string (uri),
                               "adw-external-link-symbolic", _("Open the website"));
    }

  if (!crm_text_is_blank (address_text))
    {
      row = crm_page_rows_add (&rows, address_text, _("Address"));
      crm_page_row_set_action (row, "page.copy", g_variant_new_string (address_text),
                               "edit-copy-symbolic", _("Copy the address"));
    }

  if (!crm_text_is_blank (phone))
    {
      g_autofree char *national = crm_phone_format_national (phone);

      row = crm_page_rows_add (&rows, national, _("Phone"));
      crm_page_row_set_action (row, "page.copy", g_variant_new_string (national),
                               "edit-copy-symbolic", _("Copy the number"));
    }

  if (!crm_text_is_blank (email))
    {
      g_autofree char *escaped = g_uri_escape_string (email, "@+", FALSE);
      g_autofree char *uri = g_strconcat ("mailto:", escaped, NULL);

      row = crm_page_rows_add (&rows, email, _("Email"));
      crm_page_row_set_action (row, "page.open-uri", g_variant_new_string (uri),
                               "adw-mail-send-symbolic", _("Write an email"));
    }

  crm_page_rows_add_text (&rows, crm_company_get_owner (company), _("Owner"));

  gtk_widget_set_visible (GTK_WIDGET (self->details_group), crm_page_rows_end (&rows) > 0);
}

/* The custom fields that have a value, formatted as on a contact's page. */
static void
rebuild_custom (CrmCompanyPage *self)
{
  GPtrArray *values = crm_company_get_custom_values (self->company);
  CrmRows rows;

  crm_page_rows_begin (&rows, self->custom_list);

  for (guint i = 0; i < values->len; i++)
    {
      const CrmCustomValue *value = g_ptr_array_index (values, i);
      g_autofree char *text = crm_format_custom_value (value->type, value->options,
                                                       value->value);

      if (text == NULL)
        continue;
      crm_page_rows_add (&rows, text, value->label);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->custom_group), crm_page_rows_end (&rows) > 0);
}

static void
rebuild_people (CrmCompanyPage *self)
{
  GPtrArray *people = crm_company_get_people (self->company);
  CrmRows rows;

  crm_page_rows_begin (&rows, self->people_list);

  for (guint i = 0; i < people->len; i++)
    {
      const CrmCompanyPerson *person = g_ptr_array_index (people, i);
      g_autoptr (GString) subtitle = g_string_new (NULL);
      const char *parts[3] = { person->job_title, person->email, NULL };
      g_autofree char *phone = NULL;
      GtkWidget *row;

      if (!crm_text_is_blank (person->phone))
        phone = crm_phone_format_national (person->phone);
      parts[2] = phone;
      for (guint j = 0; j < G_N_ELEMENTS (parts); j++)
        {
          if (crm_text_is_blank (parts[j]))
            continue;
          if (subtitle->len > 0)
            g_string_append (subtitle, " · ");
          g_string_append (subtitle, parts[j]);
        }

      row = crm_page_rows_add (&rows, person->display_name,
                              subtitle->len > 0 ? subtitle->str : NULL);
      if (person->archived)
        crm_page_row_set_suffix (row, _("Archived"), "dim-label");
      crm_page_row_set_action (row, "contacts.open-contact", g_variant_new_int64 (person->id),
                               "go-next-symbolic", _("Open the contact"));
    }

  gtk_widget_set_visible (GTK_WIDGET (self->people_group), crm_page_rows_end (&rows) > 0);
}

static void
rebuild_deals (CrmCompanyPage *self)
{
  GPtrArray *deals = crm_company_get_deals (self->company);
  CrmRows rows;

  crm_page_rows_begin (&rows, self->deals_list);

  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->new_deal_button),
                                          g_variant_new ("(xx)", (gint64) 0,
                                                         crm_company_get_id (self->company)));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->new_deal_button), "contacts.new-deal");

  for (guint i = 0; i < deals->len; i++)
    {
      const CrmDealSummary *deal = g_ptr_array_index (deals, i);
      g_autofree char *value = crm_format_money (deal->value, deal->currency);
      g_autoptr (GString) subtitle = g_string_new (crm_format_deal_status (deal->status));
      GtkWidget *row;

      if (!crm_text_is_blank (deal->stage) && g_strcmp0 (deal->status, "open") == 0)
        g_string_append_printf (subtitle, " · %s", deal->stage);
      if (!crm_text_is_blank (deal->contact_name))
        g_string_append_printf (subtitle, " · %s", deal->contact_name);

      row = crm_page_rows_add (&rows, deal->title, subtitle->str);
      crm_page_row_set_suffix (row, value, "numeric");
      crm_page_row_set_action (row, "contacts.open-deal", g_variant_new_int64 (deal->id),
                               "go-next-symbolic", _("Open the deal"));
    }

  /* The group stays for its New Deal button; an empty list goes. */
  gtk_widget_set_visible (GTK_WIDGET (self->deals_list), crm_page_rows_end (&rows) > 0);
}

static void
rebuild_interactions (CrmCompanyPage *self)
{
  GPtrArray *interactions = crm_company_get_recent_interactions (self->company);
  CrmRows rows;

  crm_page_rows_begin (&rows, self->interactions_list);

  for (guint i = 0; i < interactions->len; i++)
    {
      const CrmInteractionSummary *interaction = g_ptr_array_index (interactions, i);
      g_autofree char *date = crm_format_timestamp_date (interaction->happened);
      g_autoptr (GString) subtitle = g_string_new (crm_format_interaction_kind (interaction->kind));
      const char *title = interaction->subject;
      GtkWidget *row;

      if (crm_text_is_blank (title))
        title = interaction->body;
      if (crm_text_is_blank (title))
        title = crm_format_interaction_kind (interaction->kind);
      if (!crm_text_is_blank (interaction->contact_name))
        g_string_append_printf (subtitle, " · %s", interaction->contact_name);
      if (date != NULL)
        g_string_append_printf (subtitle, " · %s", date);

      row = crm_page_rows_add (&rows, title, subtitle->str);
      if (interaction->currency != NULL)
        {
          g_autofree char *amount = crm_format_money (interaction->amount,
                                                      interaction->currency);

          crm_page_row_set_suffix (row, amount, "numeric");
        }
      crm_page_row_set_action (row, "contacts.open-contact",
                               g_variant_new_int64 (interaction->contact_id),
                               NULL, _("Open the contact"));
    }

  gtk_widget_set_visible (GTK_WIDGET (self->interactions_group), crm_page_rows_end (&rows) > 0);
}

static void
update_actions (CrmCompanyPage *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.export-json", self->company != NULL);
}

static void
reload (CrmCompanyPage *self)
{
  g_autoptr (CrmCompany) company = NULL;
  g_autoptr (GError) error = NULL;

  g_clear_handle_id (&self->reload_source, g_source_remove);

  if (self->store == NULL || self->company_id == 0)
    {
      g_clear_object (&self->company);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      update_actions (self);
      return;
    }

  company = crm_company_load (self->store, self->company_id, &error);
  if (company == NULL)
    {
      g_clear_object (&self->company);
      if (g_error_matches (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND))
        {
          adw_status_page_set_title (self->missing_page, _("Company Not Found"));
          adw_status_page_set_description (self->missing_page,
                                           _("It may have been deleted, or merged into "
                                             "another company"));
        }
      else
        {
          adw_status_page_set_title (self->missing_page, _("Cannot Show the Company"));
          adw_status_page_set_description (self->missing_page, error->message);
        }
      gtk_stack_set_visible_child_name (self->stack, "missing");
      update_actions (self);
      return;
    }

  g_set_object (&self->company, company);

  rebuild_header (self);
  rebuild_details (self);
  rebuild_custom (self);
  rebuild_people (self);
  rebuild_deals (self);
  rebuild_interactions (self);

  gtk_stack_set_visible_child_name (self->stack, "company");
  update_actions (self);
}

static gboolean
reload_cb (gpointer user_data)
{
  CrmCompanyPage *self = user_data;

  self->reload_source = 0;
  reload (self);

  return G_SOURCE_REMOVE;
}

/* Callbacks */

static void
on_store_changed (CrmStore       *store,
                  const char     *entity,
                  gint64          id,
                  CrmCompanyPage *self)
{
  if (self->company_id == 0)
    return;

  /* Any contact may have joined or left the company; other companies and
   * saved filters change nothing here. */
  if (g_str_equal (entity, "company") && id != 0 && id != self->company_id)
    return;
  if (g_str_equal (entity, "segment"))
    return;

  if (self->reload_source == 0)
    self->reload_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, reload_cb, self, NULL);
}

static void
on_list_row_activated (GtkListBox     *list,
                       GtkListBoxRow  *row,
                       CrmCompanyPage *self)
{
  crm_page_activate_row (GTK_WIDGET (self), row);
}

/* Actions */

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  crm_page_copy (widget, g_variant_get_string (parameter, NULL));
}

static void
open_uri_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  crm_page_open_uri (widget, g_variant_get_string (parameter, NULL));
}

static char *
make_export (CrmCompanyPage *self)
{
  g_autoptr (GError) error = NULL;
  char *contents = crm_company_export_json (self->store, self->company_id, &error);

  if (contents == NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: the first %s is a company, the second what went wrong. */
      message = g_strdup_printf (_("Cannot export %s: %s"),
                                 crm_company_get_name (self->company), error->message);
      crm_page_show_toast (GTK_WIDGET (self), message);
    }

  return contents;
}

static void
export_json_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CrmCompanyPage *self = CRM_COMPANY_PAGE (widget);
  g_autofree char *file_name = NULL;
  char *contents;

  if (self->company == NULL || (contents = make_export (self)) == NULL)
    return;

  file_name = crm_format_file_name (crm_company_get_name (self->company),
                                    C_("file name", "company"), "json");
  crm_page_choose_export_file (widget, _("Export as JSON"), file_name, contents);
}

/* GObject */

static void
crm_company_page_dispose (GObject *object)
{
  CrmCompanyPage *self = CRM_COMPANY_PAGE (object);

  g_clear_handle_id (&self->reload_source, g_source_remove);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, on_store_changed, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_COMPANY_PAGE);
  g_clear_object (&self->company);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (crm_company_page_parent_class)->dispose (object);
}

static void
crm_company_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CrmCompanyPage *self = CRM_COMPANY_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_COMPANY_ID:
      g_value_set_int64 (value, self->company_id);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_company_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  CrmCompanyPage *self = CRM_COMPANY_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      crm_company_page_set_store (self, g_value_get_object (value));
      break;

    case PROP_COMPANY_ID:
      crm_company_page_set_company_id (self, g_value_get_int64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_company_page_class_init (CrmCompanyPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_company_page_dispose;
  object_class->get_property = crm_company_page_get_property;
  object_class->set_property = crm_company_page_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         CRM_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * CrmCompanyPage:company-id:
   *
   * The company shown, or 0 for none.
   */
  properties[PROP_COMPANY_ID] =
    g_param_spec_int64 ("company-id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CrmCompanyPage::toast:
   * @message: plain text, not markup
   *
   * Asks the window to show @message in a toast. Without a handler the
   * page looks for an #AdwToastOverlay around it.
   */
  signals[TOAST] = g_signal_new ("toast",
                                 G_TYPE_FROM_CLASS (klass),
                                 G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/crm-company-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmCompanyPage, stack);
  gtk_widget_class_bind_template_child (widget_class, CrmCompanyPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, CrmCompanyPage, missing_page);
  gtk_widget_class_bind_template_child (widget_class, CrmCompanyPage, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, CrmCompanyPage, avatar);
  gtk_widget_class_bind_template_child (widget_class, CrmCompanyPage, name_label);
  gtk_widget_class_bind_template_child (widget_class, CrmCompanyPage, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, CrmCompanyPage, pills_box);
  gtk_widget_class_bind_template_child (widget_class, CrmCompanyPage, edit_button);
  gtk_widget_class_bind_template_child (widget_class, CrmCompanyPage, archive_button);
  gtk_widget_class_bind_template_child (widget_class, CrmCompanyPage, more_button);
  gtk_widget_class_bind_template_child (widget_class, CrmCompanyPage, details_group);
  gtk_widget_class_bind_template_child (widget_class, CrmCompanyPage, details_list);
  gtk_widget_class_bind_template_child (widget_class, CrmCompanyPage, custom_group);
  gtk_widget_class_bind_template_child (widget_class, CrmCompanyPage, custom_list);
  gtk_widget_class_bind_template_child (widget_class, CrmCompanyPage, people_group);
  gtk_widget_class_bind_template_child (widget_class, CrmCompanyPage, people_list);
  gtk_widget_class_bind_template_child (widget_class, CrmCompanyPage, deals_group);
  gtk_widget_class_bind_template_child (widget_class, CrmCompanyPage, deals_list);
  gtk_widget_class_bind_template_child (widget_class, CrmCompanyPage, new_deal_button);
  gtk_widget_class_bind_template_child (widget_class, CrmCompanyPage, interactions_group);
  gtk_widget_class_bind_template_child (widget_class, CrmCompanyPage, interactions_list);
  gtk_widget_class_bind_template_callback (widget_class, on_list_row_activated);

  gtk_widget_class_install_action (widget_class, "page.copy", "s", copy_action);
  gtk_widget_class_install_action (widget_class, "page.open-uri", "s", open_uri_action);
  gtk_widget_class_install_action (widget_class, "page.export-json", NULL, export_json_action);
}

static void
crm_company_page_init (CrmCompanyPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  crm_page_ensure_style (GTK_WIDGET (self));
  update_actions (self);
}

/* Public API */

/**
 * crm_company_page_new:
 * @store: (nullable): the open workspace
 *
 * Makes the page that shows one company with its people, deals and latest
 * interactions.
 *
 * Returns: (transfer floating): a new #CrmCompanyPage
 */
GtkWidget *
crm_company_page_new (CrmStore *store)
{
  g_return_val_if_fail (store == NULL || CRM_IS_STORE (store), NULL);

  return g_object_new (CRM_TYPE_COMPANY_PAGE, "store", store, NULL);
}

CrmStore *
crm_company_page_get_store (CrmCompanyPage *self)
{
  g_return_val_if_fail (CRM_IS_COMPANY_PAGE (self), NULL);

  return self->store;
}

void
crm_company_page_set_store (CrmCompanyPage *self,
                            CrmStore       *store)
{
  g_return_if_fail (CRM_IS_COMPANY_PAGE (self));
  g_return_if_fail (store == NULL || CRM_IS_STORE (store));

  if (self->store == store)
    return;

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, on_store_changed, self);
  g_set_object (&self->store, store);
  if (store != NULL)
    g_signal_connect_object (store, "changed", G_CALLBACK (on_store_changed), self, 0);

  reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

gint64
crm_company_page_get_company_id (CrmCompanyPage *self)
{
  g_return_val_if_fail (CRM_IS_COMPANY_PAGE (self), 0);

  return self->company_id;
}

/**
 * crm_company_page_set_company_id:
 * @company_id: the company to show, or 0 for none
 */
void
crm_company_page_set_company_id (CrmCompanyPage *self,
                                 gint64          company_id)
{
  g_return_if_fail (CRM_IS_COMPANY_PAGE (self));
  g_return_if_fail (company_id >= 0);

  if (self->company_id == company_id)
    return;

  self->company_id = company_id;
  reload (self);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled_window), 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPANY_ID]);
}

/**
 * crm_company_page_get_company:
 *
 * Returns: (transfer none) (nullable): the snapshot shown, or %NULL
 */
CrmCompany *
crm_company_page_get_company (CrmCompanyPage *self)
{
  g_return_val_if_fail (CRM_IS_COMPANY_PAGE (self), NULL);

  return self->company;
}

/**
 * crm_company_page_export_json:
 * @file: where to write
 *
 * Writes the company shown to @file in the background, as "Export as
 * JSON…" does after asking where; the "toast" signal says how it went.
 */
void
crm_company_page_export_json (CrmCompanyPage *self,
                              GFile          *file)
{
  char *contents;

  g_return_if_fail (CRM_IS_COMPANY_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (self->company != NULL);

  if ((contents = make_export (self)) != NULL)
    crm_page_write_file (GTK_WIDGET (self), file, contents);
}
