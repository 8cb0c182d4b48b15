/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-fields-page.h"
#include "crm-pipeline-page.h"
#include "crm-preferences-window.h"
#include "crm-security-page.h"
#include "crm-stages-page.h"

struct _CrmPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  /* template widgets */
  AdwComboRow *style_row;
  AdwComboRow *sort_row;

  /* owned references */
  GSettings *settings;
  CrmStore  *store;
};

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CrmPreferencesWindow, crm_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* The rows of the style list, in the order of the color-scheme enum. */
static const char *const color_schemes[] = { "default", "light", "dark", NULL };

/* The rows of the sort list, in the order of the contacts-sort enum. */
static const char *const name_orders[] = { "given-name", "family-name", NULL };

/* Maps an enum setting's nick to the row of a combo row; @user_data is the
 * NULL-terminated list of nicks in the order of the rows. */
static gboolean
nick_to_row (GValue   *value,
             GVariant *variant,
             gpointer  user_data)
{
  const char *const *nicks = user_data;
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; nicks[i] != NULL; i++)
    {
      if (g_str_equal (nick, nicks[i]))
        {
          g_value_set_uint (value, i);
          return TRUE;
        }
    }

  return FALSE;
}

static GVariant *
row_to_nick (const GValue       *value,
             const GVariantType *expected_type,
             gpointer            user_data)
{
  const char *const *nicks = user_data;
  guint row = g_value_get_uint (value);

  if (row >= g_strv_length ((char **) nicks))
    return NULL;

  return g_variant_new_string (nicks[row]);
}

static void
crm_preferences_window_constructed (GObject *object)
{
  CrmPreferencesWindow *self = CRM_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (crm_preferences_window_parent_class)->constructed (object);

  g_settings_bind_with_mapping (self->settings, "color-scheme",
                                self->style_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                nick_to_row, row_to_nick,
                                (gpointer) color_schemes, NULL);
  g_settings_bind_with_mapping (self->settings, "contacts-sort",
                                self->sort_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                nick_to_row, row_to_nick,
                                (gpointer) name_orders, NULL);

  /* The workspace's fields, stages and pipelines, and how it is protected, are only
   * shown once it is open. */
  if (self->store != NULL)
    {
      adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                                  ADW_PREFERENCES_PAGE (crm_fields_page_new (self->store)));
      adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                                  ADW_PREFERENCES_PAGE (crm_stages_page_new (self->store)));
      adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                                  ADW_PREFERENCES_PAGE (crm_pipeline_page_new (self->store)));
      adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                                  ADW_PREFERENCES_PAGE (crm_security_page_new (self->store)));
    }
}

static void
crm_preferences_window_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  CrmPreferencesWindow *self = CRM_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_preferences_window_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  CrmPreferencesWindow *self = CRM_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_preferences_window_dispose (GObject *object)
{
  CrmPreferencesWindow *self = CRM_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (crm_preferences_window_parent_class)->dispose (object);
}

static void
crm_preferences_window_class_init (CrmPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = crm_preferences_window_constructed;
  object_class->set_property = crm_preferences_window_set_property;
  object_class->get_property = crm_preferences_window_get_property;
  object_class->dispose = crm_preferences_window_dispose;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         CRM_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/crm-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmPreferencesWindow, style_row);
  gtk_widget_class_bind_template_child (widget_class, CrmPreferencesWindow, sort_row);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}

static void
crm_preferences_window_init (CrmPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * crm_preferences_window_new:
 * @settings: the application's settings
 * @store: (nullable): the open workspace; without one there is no Security page
 */
CrmPreferencesWindow *
crm_preferences_window_new (GSettings *settings,
                            CrmStore  *store)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (store == NULL || CRM_IS_STORE (store), NULL);

  return g_object_new (CRM_TYPE_PREFERENCES_WINDOW,
                       "settings", settings,
                       "store", store,
                       NULL);
}
