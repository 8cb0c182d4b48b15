/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-initials"

#include "config.h"

#include <adwaita.h>
#include <math.h>

#include "crm-initials.h"

/* A person's initials on a round colored background, as AdwAvatar draws
 * them: a list row's avatar. AdwAvatar fits its initials with a Pango
 * layout and switches a "colorN" style class each time its text changes,
 * which restyles it; GTK 4.8's list view rebinds some 200 rows whenever it
 * jumps, and could not pay that for each. These initials have one size,
 * AdwAvatar's for two capitals in 40 px, are laid out only when drawn, and
 * are drawn here with libadwaita 1.2's avatar colors (the same in every
 * style variant). */

#define SIZE 40
#define FONT_SIZE 15

/* libadwaita's avatar.color1 … color14: background gradient, top to
 * bottom, and the color of the initials. */
static const struct
{
  guint32 top;
  guint32 bottom;
  guint32 text;
} palette[] = {
  { 0x83b6ec, 0x337fdc, 0xcfe1f5 },
  { 0x7ad9f1, 0x0f9ac8, 0xcaeaf2 },
  { 0x8de6b1, 0x29ae74, 0xcef8d8 },
  { 0xb5e98a, 0x6ab85b, 0xe6f9d7 },
  { 0xf8e359, 0xd29d09, 0xf9f4e1 },
  { 0xffcb62, 0xd68400, 0xffead1 },
  { 0xffa95a, 0xed5b00, 0xffe5c5 },
  { 0xf78773, 0xe62d42, 0xf8d2ce },
  { 0xe973ab, 0xe33b6a, 0xfac7de },
  { 0xcb78d4, 0x9945b5, 0xe7c2e8 },
  { 0x9e91e8, 0x7a59ca, 0xd5d2f5 },
  { 0xe3cf9c, 0xb08952, 0xf2eade },
  { 0xbe916d, 0x785336, 0xe5d6ca },
  { 0xc0bfbc, 0x6e6d71, 0xd8d7d3 },
};

struct _CrmInitials
{
  GtkWidget    parent_instance;

  char        *text;
  char        *initials;
  PangoLayout *layout;         /* made when first drawn; NULL after the text changes */
  guint        layout_serial;  /* of the widget's Pango context when it was made */
};

G_DEFINE_FINAL_TYPE (CrmInitials, crm_initials, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

guint
crm_initials_color (const char *text)
{
  if (text == NULL || *text == '\0')
    return 1;

  return g_str_hash (text) % G_N_ELEMENTS (palette) + 1;
}

static GdkRGBA
rgba (guint32 rgb)
{
  return (GdkRGBA) { ((rgb >> 16) & 0xff) / 255.f, ((rgb >> 8) & 0xff) / 255.f,
                     (rgb & 0xff) / 255.f, 1.f };
}

char *
crm_initials_of (const char *text)
{
  g_autofree char *upper = NULL;
  g_autofree char *composed = NULL;
  GString *initials;
  const char *last_space;

  if (text == NULL)
    return NULL;

  upper = g_utf8_strup (text, -1);
  composed = g_utf8_normalize (g_strstrip (upper), -1, G_NORMALIZE_DEFAULT_COMPOSE);
  if (composed == NULL || *composed == '\0')
    return NULL;

  initials = g_string_new (NULL);
  g_string_append_unichar (initials, g_utf8_get_char (composed));
  last_space = strrchr (composed, ' ');
  if (last_space != NULL && last_space[1] != '\0')
    g_string_append_unichar (initials, g_utf8_get_char (last_space + 1));

  return g_string_free (initials, FALSE);
}

static PangoLayout *
ensure_layout (CrmInitials *self)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  guint serial = pango_context_get_serial (context);

  if (self->layout == NULL)
    {
      g_autoptr (PangoAttrList) attributes = pango_attr_list_new ();

      pango_attr_list_insert (attributes, pango_attr_size_new_absolute (FONT_SIZE * PANGO_SCALE));
      self->layout = pango_layout_new (context);
      pango_layout_set_attributes (self->layout, attributes);
      pango_layout_set_text (self->layout, self->initials != NULL ? self->initials : "", -1);
    }
  else if (self->layout_serial != serial)
    {
      pango_layout_context_changed (self->layout);
    }
  self->layout_serial = serial;

  return self->layout;
}

static void
crm_initials_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  CrmInitials *self = CRM_INITIALS (widget);
  guint color = crm_initials_color (self->text);
  float width = gtk_widget_get_width (widget);
  float height = gtk_widget_get_height (widget);
  GskColorStop stops[2] = {
    { 0.f, rgba (palette[color - 1].top) },
    { 1.f, rgba (palette[color - 1].bottom) },
  };
  GskRoundedRect circle;

  gsk_rounded_rect_init_from_rect (&circle, &GRAPHENE_RECT_INIT (0, 0, width, height),
                                   MIN (width, height) / 2.f);
  gtk_snapshot_push_rounded_clip (snapshot, &circle);
  gtk_snapshot_append_linear_gradient (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height),
                                       &GRAPHENE_POINT_INIT (0, 0),
                                       &GRAPHENE_POINT_INIT (0, height), stops, 2);
  gtk_snapshot_pop (snapshot);

  if (self->initials != NULL)
    {
      PangoLayout *layout = ensure_layout (self);
      GdkRGBA foreground = rgba (palette[color - 1].text);
      PangoRectangle extents;

      pango_layout_get_pixel_extents (layout, NULL, &extents);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot,
                              &GRAPHENE_POINT_INIT (floorf ((width - extents.width) / 2.f) - extents.x,
                                                    floorf ((height - extents.height) / 2.f)
                                                    - extents.y));
      gtk_snapshot_append_layout (snapshot, layout, &foreground);
      gtk_snapshot_restore (snapshot);
    }
}

const char *
crm_initials_get_text (CrmInitials *self)
{
  g_return_val_if_fail (CRM_IS_INITIALS (self), NULL);

  return self->text;
}

void
crm_initials_set_text (CrmInitials *self,
                       const char  *text)
{
  g_return_if_fail (CRM_IS_INITIALS (self));

  if (g_strcmp0 (self->text, text) == 0)
    return;

  g_free (self->text);
  self->text = g_strdup (text);

  g_free (self->initials);
  self->initials = crm_initials_of (text);
  g_clear_object (&self->layout);
  gtk_widget_queue_draw (GTK_WIDGET (self));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
}

static void
crm_initials_finalize (GObject *object)
{
  CrmInitials *self = CRM_INITIALS (object);

  g_clear_object (&self->layout);
  g_free (self->initials);
  g_free (self->text);

  G_OBJECT_CLASS (crm_initials_parent_class)->finalize (object);
}

static void
crm_initials_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CrmInitials *self = CRM_INITIALS (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_initials_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  CrmInitials *self = CRM_INITIALS (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      crm_initials_set_text (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_initials_class_init (CrmInitialsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = crm_initials_finalize;
  object_class->get_property = crm_initials_get_property;
  object_class->set_property = crm_initials_set_property;

  /**
   * CrmInitials:text:
   *
   * The name whose initials are shown, and whose hash picks the color.
   */
  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  widget_class->snapshot = crm_initials_snapshot;

  /* libadwaita's avatar node: round, initials in bold. */
  gtk_widget_class_set_css_name (widget_class, "avatar");
  /* The row around it names the person; the initials add nothing. */
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_PRESENTATION);
}

static void
crm_initials_init (CrmInitials *self)
{
  gtk_widget_set_size_request (GTK_WIDGET (self), SIZE, SIZE);
  gtk_widget_set_halign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
}

GtkWidget *
crm_initials_new (void)
{
  return g_object_new (CRM_TYPE_INITIALS, NULL);
}
