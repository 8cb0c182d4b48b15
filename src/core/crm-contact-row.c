/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-contact-row"

#include "config.h"

#include "crm-contact-row.h"

/* One contact as a list shows it: an immutable snapshot the list model makes
 * only for the rows that are on screen. */
struct _CrmContactRow
{
  GObject parent_instance;

  gint64  id;
  char   *display_name;
  char   *given_name;
  char   *family_name;
  char   *email;
  char   *phone;
  char   *company;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_DISPLAY_NAME,
  PROP_EMAIL,
  PROP_PHONE,
  PROP_COMPANY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CrmContactRow, crm_contact_row, G_TYPE_OBJECT)

static void
crm_contact_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CrmContactRow *self = CRM_CONTACT_ROW (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;
    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;
    case PROP_PHONE:
      g_value_set_string (value, self->phone);
      break;
    case PROP_COMPANY:
      g_value_set_string (value, self->company);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_contact_row_finalize (GObject *object)
{
  CrmContactRow *self = CRM_CONTACT_ROW (object);

  g_free (self->display_name);
  g_free (self->given_name);
  g_free (self->family_name);
  g_free (self->email);
  g_free (self->phone);
  g_free (self->company);

  G_OBJECT_CLASS (crm_contact_row_parent_class)->finalize (object);
}

static void
crm_contact_row_class_init (CrmContactRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = crm_contact_row_get_property;
  object_class->finalize = crm_contact_row_finalize;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_EMAIL] =
    g_param_spec_string ("email", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PHONE] =
    g_param_spec_string ("phone", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMPANY] =
    g_param_spec_string ("company", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
crm_contact_row_init (CrmContactRow *self)
{
}

CrmContactRow *
crm_contact_row_new (gint64      id,
                     const char *display_name,
                     const char *given_name,
                     const char *family_name,
                     const char *email,
                     const char *phone,
                     const char *company)
{
  CrmContactRow *self = g_object_new (CRM_TYPE_CONTACT_ROW, NULL);

  self->id = id;
  self->display_name = g_strdup (display_name);
  self->given_name = g_strdup (given_name);
  self->family_name = g_strdup (family_name);
  self->email = g_strdup (email);
  self->phone = g_strdup (phone);
  self->company = g_strdup (company);

  return self;
}

gint64
crm_contact_row_get_id (CrmContactRow *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT_ROW (self), 0);

  return self->id;
}

const char *
crm_contact_row_get_display_name (CrmContactRow *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT_ROW (self), NULL);

  return self->display_name;
}

const char *
crm_contact_row_get_given_name (CrmContactRow *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT_ROW (self), NULL);

  return self->given_name;
}

const char *
crm_contact_row_get_family_name (CrmContactRow *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT_ROW (self), NULL);

  return self->family_name;
}

const char *
crm_contact_row_get_email (CrmContactRow *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT_ROW (self), NULL);

  return self->email;
}

const char *
crm_contact_row_get_phone (CrmContactRow *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT_ROW (self), NULL);

  return self->phone;
}

const char *
crm_contact_row_get_company (CrmContactRow *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT_ROW (self), NULL);

  return self->company;
}
