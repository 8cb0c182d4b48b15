/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-row-text"

#include "config.h"

#include <math.h>

#include "crm-row-text.h"

/* One line of text in a list row, ellipsized at its end, styled like a
 * label (it is a "label" node, so .heading, .caption and .dim-label apply).
 *
 * Unlike GtkLabel it lays its text out only when it is drawn: its height
 * is the line height of its font, whatever the text, and its width is
 * what the row gives it. GTK 4.8's list view binds, measures and
 * allocates some 200 rows around the one it scrolls to, and draws only
 * the dozen on screen; a GtkLabel would shape the text of all of them. */

struct _CrmRowText
{
  GtkWidget    parent_instance;

  char        *text;
  float        xalign;

  PangoLayout *layout;         /* made when first drawn; NULL after the text changes */
  guint        layout_serial;  /* of the widget's Pango context when the layout was made */
  int          line_height;    /* of an empty line in the widget's font; -1: not known */
  guint        line_serial;
};

G_DEFINE_FINAL_TYPE (CrmRowText, crm_row_text, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TEXT,
  PROP_XALIGN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The widget's Pango context changes (its serial with it) when its font
 * does: a new style, text scaling, another screen. */
static int
line_height (CrmRowText *self)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  guint serial = pango_context_get_serial (context);

  if (self->line_height < 0 || self->line_serial != serial)
    {
      g_autoptr (PangoLayout) empty = pango_layout_new (context);

      pango_layout_get_pixel_size (empty, NULL, &self->line_height);
      self->line_serial = serial;
    }

  return self->line_height;
}

static PangoLayout *
ensure_layout (CrmRowText *self,
               int         width)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  guint serial = pango_context_get_serial (context);

  if (self->layout == NULL)
    {
      self->layout = pango_layout_new (context);
      pango_layout_set_text (self->layout, self->text != NULL ? self->text : "", -1);
      pango_layout_set_ellipsize (self->layout, PANGO_ELLIPSIZE_END);
      pango_layout_set_single_paragraph_mode (self->layout, TRUE);
    }
  else if (self->layout_serial != serial)
    {
      pango_layout_context_changed (self->layout);
    }
  self->layout_serial = serial;

  if (pango_layout_get_width (self->layout) != width * PANGO_SCALE)
    pango_layout_set_width (self->layout, width * PANGO_SCALE);

  return self->layout;
}

static void
crm_row_text_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  CrmRowText *self = CRM_ROW_TEXT (widget);

  if (orientation == GTK_ORIENTATION_VERTICAL)
    *minimum = *natural = line_height (self);
  else
    *minimum = *natural = 0;
}

static void
crm_row_text_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  CrmRowText *self = CRM_ROW_TEXT (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  PangoLayout *layout;
  PangoRectangle extents;
  GdkRGBA color;
  float xalign = self->xalign;

  if (self->text == NULL || *self->text == '\0' || width <= 0)
    return;

  layout = ensure_layout (self, width);
  pango_layout_get_pixel_extents (layout, NULL, &extents);
  if (gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL)
    xalign = 1.f - xalign;

#if GTK_CHECK_VERSION (4, 10, 0)
  gtk_widget_get_color (widget, &color);
#else
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
#endif

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot,
                          &GRAPHENE_POINT_INIT (floorf ((width - extents.width) * xalign) - extents.x,
                                                floorf ((height - extents.height) / 2.f)
                                                - extents.y));
  gtk_snapshot_append_layout (snapshot, layout, &color);
  gtk_snapshot_restore (snapshot);
}

const char *
crm_row_text_get_text (CrmRowText *self)
{
  g_return_val_if_fail (CRM_IS_ROW_TEXT (self), NULL);

  return self->text != NULL ? self->text : "";
}

/* Rebinding a row costs no layout: the text is laid out when drawn. */
void
crm_row_text_set_text (CrmRowText *self,
                       const char *text)
{
  g_return_if_fail (CRM_IS_ROW_TEXT (self));

  if (g_strcmp0 (self->text, text) == 0)
    return;

  g_free (self->text);
  self->text = g_strdup (text);
  g_clear_object (&self->layout);
  gtk_widget_queue_draw (GTK_WIDGET (self));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
}

float
crm_row_text_get_xalign (CrmRowText *self)
{
  g_return_val_if_fail (CRM_IS_ROW_TEXT (self), 0.f);

  return self->xalign;
}

void
crm_row_text_set_xalign (CrmRowText *self,
                         float       xalign)
{
  g_return_if_fail (CRM_IS_ROW_TEXT (self));

  xalign = CLAMP (xalign, 0.f, 1.f);
  if (self->xalign == xalign)
    return;

  self->xalign = xalign;
  gtk_widget_queue_draw (GTK_WIDGET (self));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_XALIGN]);
}

static void
crm_row_text_finalize (GObject *object)
{
  CrmRowText *self = CRM_ROW_TEXT (object);

  g_clear_object (&self->layout);
  g_free (self->text);

  G_OBJECT_CLASS (crm_row_text_parent_class)->finalize (object);
}

static void
crm_row_text_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CrmRowText *self = CRM_ROW_TEXT (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      g_value_set_string (value, crm_row_text_get_text (self));
      break;

    case PROP_XALIGN:
      g_value_set_float (value, self->xalign);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_row_text_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  CrmRowText *self = CRM_ROW_TEXT (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      crm_row_text_set_text (self, g_value_get_string (value));
      break;

    case PROP_XALIGN:
      crm_row_text_set_xalign (self, g_value_get_float (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_row_text_class_init (CrmRowTextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = crm_row_text_finalize;
  object_class->get_property = crm_row_text_get_property;
  object_class->set_property = crm_row_text_set_property;

  widget_class->measure = crm_row_text_measure;
  widget_class->snapshot = crm_row_text_snapshot;

  /**
   * CrmRowText:text:
   *
   * The line shown, ellipsized when it does not fit.
   */
  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * CrmRowText:xalign:
   *
   * Where the line sits across the width, 0 at the start and 1 at the end.
   */
  properties[PROP_XALIGN] =
    g_param_spec_float ("xalign", NULL, NULL, 0.f, 1.f, 0.f,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "label");
  /* The row names the person and says the details for screen readers. */
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_PRESENTATION);
}

static void
crm_row_text_init (CrmRowText *self)
{
  self->line_height = -1;
}

GtkWidget *
crm_row_text_new (void)
{
  return g_object_new (CRM_TYPE_ROW_TEXT, NULL);
}
