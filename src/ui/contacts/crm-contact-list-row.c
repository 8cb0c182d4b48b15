/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-contact-list-row"

#include "config.h"

#include <string.h>

#include "crm-contact-list-row.h"
#include "crm-initials.h"
#include "crm-row-text.h"
#include "crm-normalize.h"

struct _CrmContactListRow
{
  AdwBin         parent_instance;

  /* template widgets */
  CrmInitials   *avatar;
  CrmRowText    *name_label;
  CrmRowText    *details_label;

  /* owned references */
  CrmContactRow *contact;
};

G_DEFINE_FINAL_TYPE (CrmContactListRow, crm_contact_list_row, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CONTACT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
append_detail (GString    *details,
               const char *detail)
{
  if (detail == NULL || *detail == '\0')
    return;

  if (details->len > 0)
    g_string_append (details, " · ");
  g_string_append (details, detail);
}

static void
update_contact (CrmContactListRow *self)
{
  g_autoptr (GString) details = g_string_new (NULL);
  g_autofree char *phone = NULL;
  const char *name = NULL;

  if (self->contact != NULL)
    {
      name = crm_contact_row_get_display_name (self->contact);
      phone = crm_phone_format_national (crm_contact_row_get_phone (self->contact));
      append_detail (details, crm_contact_row_get_company (self->contact));
      append_detail (details, crm_contact_row_get_email (self->contact));
      append_detail (details, phone);
    }

  /* An unbound row keeps its last initials: it is not shown. */
  if (name != NULL)
    crm_initials_set_text (self->avatar, name);
  crm_row_text_set_text (self->name_label, name);
  crm_row_text_set_text (self->details_label, details->str);
  gtk_widget_set_visible (GTK_WIDGET (self->details_label), details->len > 0);

  if (name != NULL)
    {
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, details->str,
                                      -1);
    }
  else
    {
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
}

static void
crm_contact_list_row_dispose (GObject *object)
{
  CrmContactListRow *self = CRM_CONTACT_LIST_ROW (object);

  g_clear_object (&self->contact);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_CONTACT_LIST_ROW);

  G_OBJECT_CLASS (crm_contact_list_row_parent_class)->dispose (object);
}

static void
crm_contact_list_row_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  CrmContactListRow *self = CRM_CONTACT_LIST_ROW (object);

  switch (prop_id)
    {
    case PROP_CONTACT:
      g_value_set_object (value, self->contact);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_contact_list_row_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  CrmContactListRow *self = CRM_CONTACT_LIST_ROW (object);

  switch (prop_id)
    {
    case PROP_CONTACT:
      crm_contact_list_row_set_contact (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_contact_list_row_class_init (CrmContactListRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_contact_list_row_dispose;
  object_class->get_property = crm_contact_list_row_get_property;
  object_class->set_property = crm_contact_list_row_set_property;

  /**
   * CrmContactListRow:contact:
   *
   * The contact the row shows, or %NULL while the row waits to be reused.
   */
  properties[PROP_CONTACT] =
    g_param_spec_object ("contact", NULL, NULL,
                         CRM_TYPE_CONTACT_ROW,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CRM_TYPE_INITIALS);
  g_type_ensure (CRM_TYPE_ROW_TEXT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/crm-contact-list-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmContactListRow, avatar);
  gtk_widget_class_bind_template_child (widget_class, CrmContactListRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, CrmContactListRow, details_label);
}

static void
crm_contact_list_row_init (CrmContactListRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * crm_contact_list_row_new:
 *
 * Makes an empty row for the contact list; the list's factory gives it a
 * contact to show each time it is bound to a position.
 *
 * Returns: (transfer floating): a new #CrmContactListRow
 */
GtkWidget *
crm_contact_list_row_new (void)
{
  return g_object_new (CRM_TYPE_CONTACT_LIST_ROW, NULL);
}

/**
 * crm_contact_list_row_get_contact:
 * @self: a #CrmContactListRow
 *
 * Returns: (transfer none) (nullable): the contact shown
 */
CrmContactRow *
crm_contact_list_row_get_contact (CrmContactListRow *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT_LIST_ROW (self), NULL);

  return self->contact;
}

/**
 * crm_contact_list_row_set_contact:
 * @self: a #CrmContactListRow
 * @contact: (nullable): the contact to show
 *
 * Shows @contact: avatar, name, and company, email and phone on one line.
 */
void
crm_contact_list_row_set_contact (CrmContactListRow *self,
                                  CrmContactRow     *contact)
{
  g_return_if_fail (CRM_IS_CONTACT_LIST_ROW (self));
  g_return_if_fail (contact == NULL || CRM_IS_CONTACT_ROW (contact));

  if (!g_set_object (&self->contact, contact))
    return;

  update_contact (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTACT]);
}
