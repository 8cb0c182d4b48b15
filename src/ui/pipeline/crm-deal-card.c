/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-deal-card"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-deal-card.h"
#include "crm-format.h"

/* CrmDealItem */

struct _CrmDealItem
{
  GObject      parent_instance;

  CrmDealCard *card;
  gint64       stage_id;
};

G_DEFINE_FINAL_TYPE (CrmDealItem, crm_deal_item, G_TYPE_OBJECT)

static void
crm_deal_card_clear (CrmDealCard *card)
{
  g_free (card->title);
  g_free (card->party);
  g_free (card->currency);
  g_free (card->owner);
  g_free (card->expected_close);
  g_free (card);
}

static void
crm_deal_item_finalize (GObject *object)
{
  CrmDealItem *self = CRM_DEAL_ITEM (object);

  g_clear_pointer (&self->card, crm_deal_card_clear);

  G_OBJECT_CLASS (crm_deal_item_parent_class)->finalize (object);
}

static void
crm_deal_item_class_init (CrmDealItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = crm_deal_item_finalize;
}

static void
crm_deal_item_init (CrmDealItem *self)
{
}

/**
 * crm_deal_item_new:
 * @card: (transfer full): a card of a loaded board, freed with the item
 */
CrmDealItem *
crm_deal_item_new (CrmDealCard *card,
                   gint64       stage_id)
{
  CrmDealItem *self = g_object_new (CRM_TYPE_DEAL_ITEM, NULL);

  self->card = card;
  self->stage_id = stage_id;
  return self;
}

const CrmDealCard *
crm_deal_item_get_card (CrmDealItem *self)
{
  g_return_val_if_fail (CRM_IS_DEAL_ITEM (self), NULL);

  return self->card;
}

gint64
crm_deal_item_get_id (CrmDealItem *self)
{
  g_return_val_if_fail (CRM_IS_DEAL_ITEM (self), 0);

  return self->card->id;
}

gint64
crm_deal_item_get_stage (CrmDealItem *self)
{
  g_return_val_if_fail (CRM_IS_DEAL_ITEM (self), 0);

  return self->stage_id;
}

/* CrmDealCardRow: drawn with Pango layouts rather than a dozen child
 * widgets, as every column of GTK 4.8 keeps up to two hundred rows. */

#define PAD_X      10
#define PAD_Y      8
#define SPACING    3
#define ICON_SIZE  16

struct _CrmDealCardRow
{
  GtkWidget    parent_instance;

  /* layouts, one a line */
  PangoLayout *title;
  PangoLayout *party;
  PangoLayout *value;
  PangoLayout *owner;
  PangoLayout *close;
  PangoLayout *idle;

  /* owned references */
  CrmDealItem *item;
  GtkPopover  *menu;

  /* state */
  gboolean     has_party;
  gboolean     has_owner;
  gboolean     has_close;
  gboolean     overdue;
  gboolean     is_idle;
};

G_DEFINE_FINAL_TYPE (CrmDealCardRow, crm_deal_card_row, GTK_TYPE_WIDGET)

static PangoLayout *
make_layout (CrmDealCardRow *self,
             gboolean        bold,
             gboolean        small)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  PangoAttrList *attrs = pango_attr_list_new ();

  if (bold)
    pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  if (small)
    pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_SMALL));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  return layout;
}

static int
layout_height (PangoLayout *layout)
{
  int height;

  pango_layout_get_pixel_size (layout, NULL, &height);
  return height;
}

/* Sets the layouts' widths for @width and gives the height they need. */
static int
lay_out (CrmDealCardRow *self,
         int             width)
{
  int inner = MAX (width - 2 * PAD_X, 20);
  int close_width = 0;
  int height = 2 * PAD_Y;

  pango_layout_set_width (self->title, inner * PANGO_SCALE);
  pango_layout_set_wrap (self->title, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_height (self->title, -2);
  height += layout_height (self->title);

  if (self->has_party)
    {
      pango_layout_set_width (self->party, inner * PANGO_SCALE);
      height += SPACING + layout_height (self->party);
    }

  pango_layout_set_width (self->value, inner * PANGO_SCALE);
  height += SPACING + layout_height (self->value);

  if (self->has_owner || self->has_close)
    {
      int row = 0;

      if (self->has_close)
        {
          pango_layout_set_width (self->close, -1);
          pango_layout_get_pixel_size (self->close, &close_width, &row);
          close_width = MIN (close_width, inner);
        }
      if (self->has_owner)
        {
          pango_layout_set_width (self->owner, MAX (inner - close_width - 6, 1) * PANGO_SCALE);
          row = MAX (row, layout_height (self->owner));
        }
      height += SPACING + row;
    }

  if (self->is_idle)
    height += SPACING + MAX (ICON_SIZE, layout_height (self->idle));

  return height;
}

static void
crm_deal_card_row_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  CrmDealCardRow *self = CRM_DEAL_CARD_ROW (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 120;
      *natural = 260;
    }
  else
    *minimum = *natural = lay_out (self, for_size >= 0 ? for_size : 260);
}

static void
crm_deal_card_row_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  CrmDealCardRow *self = CRM_DEAL_CARD_ROW (widget);

  lay_out (self, width);
  if (self->menu != NULL)
    gtk_popover_present (self->menu);
}

static void
draw_layout (GtkSnapshot   *snapshot,
             PangoLayout   *layout,
             int            x,
             int            y,
             const GdkRGBA *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static GdkRGBA
named_color (GtkStyleContext *context,
             const char      *name,
             const char      *fallback)
{
  GdkRGBA color;

  if (!gtk_style_context_lookup_color (context, name, &color))
    gdk_rgba_parse (&color, fallback);
  return color;
}

static void
crm_deal_card_row_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  CrmDealCardRow *self = CRM_DEAL_CARD_ROW (widget);
  GtkStyleContext *context = gtk_widget_get_style_context (widget);
  int width = gtk_widget_get_width (widget);
  int inner = MAX (width - 2 * PAD_X, 20);
  int y = PAD_Y;
  GdkRGBA fg, dim;
  GtkWidget *child;

  if (self->item != NULL)
    {
      gtk_style_context_get_color (context, &fg);
      dim = fg;
      dim.alpha *= 0.6f;

      draw_layout (snapshot, self->title, PAD_X, y, &fg);
      y += layout_height (self->title) + SPACING;

      if (self->has_party)
        {
          draw_layout (snapshot, self->party, PAD_X, y, &dim);
          y += layout_height (self->party) + SPACING;
        }

      draw_layout (snapshot, self->value, PAD_X, y, &fg);
      y += layout_height (self->value) + SPACING;

      if (self->has_owner || self->has_close)
        {
          int row = 0;

          if (self->has_owner)
            {
              draw_layout (snapshot, self->owner, PAD_X, y, &fg);
              row = layout_height (self->owner);
            }
          if (self->has_close)
            {
              GdkRGBA error = named_color (context, "error_color", "#c01c28");
              int close_width, close_height;

              pango_layout_get_pixel_size (self->close, &close_width, &close_height);
              draw_layout (snapshot, self->close, PAD_X + inner - MIN (close_width, inner), y,
                           self->overdue ? &error : &fg);
              row = MAX (row, close_height);
            }
          y += row + SPACING;
        }

      if (self->is_idle)
        {
          GdkRGBA warning = named_color (context, "warning_color", "#9c6e03");
          GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (widget));
          g_autoptr (GtkIconPaintable) icon = NULL;
          int text_height = layout_height (self->idle);
          int line = MAX (ICON_SIZE, text_height);

          icon = gtk_icon_theme_lookup_icon (theme, "alarm-symbolic", NULL, ICON_SIZE,
                                             gtk_widget_get_scale_factor (widget),
                                             gtk_widget_get_direction (widget), 0);
          gtk_snapshot_save (snapshot);
          gtk_snapshot_translate (snapshot,
                                  &GRAPHENE_POINT_INIT (PAD_X, y + (line - ICON_SIZE) / 2));
          gtk_symbolic_paintable_snapshot_symbolic (GTK_SYMBOLIC_PAINTABLE (icon), snapshot,
                                                    ICON_SIZE, ICON_SIZE, &warning, 1);
          gtk_snapshot_restore (snapshot);
          draw_layout (snapshot, self->idle, PAD_X + ICON_SIZE + 4,
                       y + (line - text_height) / 2, &warning);
        }
    }

  /* An open menu. */
  for (child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_widget_snapshot_child (widget, child, snapshot);
}

static void
crm_deal_card_row_css_changed (GtkWidget         *widget,
                               GtkCssStyleChange *change)
{
  CrmDealCardRow *self = CRM_DEAL_CARD_ROW (widget);
  PangoLayout *layouts[] = { self->title, self->party, self->value, self->owner, self->close,
                             self->idle };

  GTK_WIDGET_CLASS (crm_deal_card_row_parent_class)->css_changed (widget, change);
  for (guint i = 0; i < G_N_ELEMENTS (layouts); i++)
    pango_layout_context_changed (layouts[i]);
  gtk_widget_queue_resize (widget);
}

static void
crm_deal_card_row_dispose (GObject *object)
{
  CrmDealCardRow *self = CRM_DEAL_CARD_ROW (object);
  GtkWidget *child;

  g_clear_object (&self->item);
  self->menu = NULL;
  /* Menus that are open or about to go. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (crm_deal_card_row_parent_class)->dispose (object);
}

static void
crm_deal_card_row_finalize (GObject *object)
{
  CrmDealCardRow *self = CRM_DEAL_CARD_ROW (object);

  g_clear_object (&self->title);
  g_clear_object (&self->party);
  g_clear_object (&self->value);
  g_clear_object (&self->owner);
  g_clear_object (&self->close);
  g_clear_object (&self->idle);

  G_OBJECT_CLASS (crm_deal_card_row_parent_class)->finalize (object);
}

static void
crm_deal_card_row_class_init (CrmDealCardRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_deal_card_row_dispose;
  object_class->finalize = crm_deal_card_row_finalize;
  widget_class->measure = crm_deal_card_row_measure;
  widget_class->size_allocate = crm_deal_card_row_size_allocate;
  widget_class->snapshot = crm_deal_card_row_snapshot;
  widget_class->css_changed = crm_deal_card_row_css_changed;

  gtk_widget_class_set_css_name (widget_class, "dealcard");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
crm_deal_card_row_init (CrmDealCardRow *self)
{
  gtk_widget_add_css_class (GTK_WIDGET (self), "card");
  self->title = make_layout (self, TRUE, FALSE);
  self->party = make_layout (self, FALSE, FALSE);
  self->value = make_layout (self, FALSE, FALSE);
  self->owner = make_layout (self, FALSE, TRUE);
  self->close = make_layout (self, FALSE, TRUE);
  self->idle = make_layout (self, TRUE, TRUE);
  /* Translators: the marker on a deal that sat in its stage too long. */
  pango_layout_set_text (self->idle, C_("deal", "Idle"), -1);
}

GtkWidget *
crm_deal_card_row_new (void)
{
  return g_object_new (CRM_TYPE_DEAL_CARD_ROW, NULL);
}

void
crm_deal_card_row_bind (CrmDealCardRow *self,
                        CrmDealItem    *item,
                        const char     *stage_name)
{
  const CrmDealCard *card;
  g_autofree char *value = NULL;
  g_autofree char *close = NULL;
  g_autofree char *close_text = NULL;
  g_autoptr (GString) label = g_string_new (NULL);

  g_return_if_fail (CRM_IS_DEAL_CARD_ROW (self));
  g_return_if_fail (CRM_IS_DEAL_ITEM (item));

  g_set_object (&self->item, item);
  card = item->card;

  value = crm_money_format (card->value, card->currency);
  close = crm_format_date (card->expected_close);
  if (close != NULL)
    /* Translators: on a deal's card: when the deal is expected to close. */
    close_text = g_strdup_printf (_("Closes %s"), close);

  self->has_party = card->party != NULL && *card->party != '\0';
  self->has_owner = card->owner != NULL && *card->owner != '\0';
  self->has_close = close_text != NULL;
  self->overdue = card->overdue;
  self->is_idle = card->idle;
  pango_layout_set_text (self->title, card->title != NULL ? card->title : "", -1);
  pango_layout_set_text (self->party, self->has_party ? card->party : "", -1);
  pango_layout_set_text (self->value, value, -1);
  pango_layout_set_text (self->owner, self->has_owner ? card->owner : "", -1);
  pango_layout_set_text (self->close, close_text != NULL ? close_text : "", -1);
  gtk_widget_queue_resize (GTK_WIDGET (self));

  /* What a screen reader says, as the card draws its text itself; it also
   * tells where a moved card landed. */
  g_string_append (label, card->title);
  if (self->has_party)
    g_string_append_printf (label, ", %s", card->party);
  g_string_append_printf (label, ", %s", value);
  if (stage_name != NULL)
    /* Translators: part of a deal card's spoken label; %s is the stage. */
    g_string_append_printf (label, _(", in %s"), stage_name);
  if (self->has_owner)
    /* Translators: part of a deal card's spoken label; %s is a person. */
    g_string_append_printf (label, _(", owner %s"), card->owner);
  if (close_text != NULL)
    g_string_append_printf (label, ", %s", close_text);
  if (card->overdue)
    g_string_append_printf (label, ", %s", _("overdue"));
  if (card->idle)
    g_string_append_printf (label, ", %s", C_("deal", "idle"));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label->str,
                                  -1);
}

void
crm_deal_card_row_unbind (CrmDealCardRow *self)
{
  g_return_if_fail (CRM_IS_DEAL_CARD_ROW (self));

  g_clear_object (&self->item);
}

const char *
crm_deal_card_row_get_text (CrmDealCardRow *self,
                            const char     *part)
{
  g_return_val_if_fail (CRM_IS_DEAL_CARD_ROW (self), NULL);

  if (g_str_equal (part, "title"))
    return pango_layout_get_text (self->title);
  if (g_str_equal (part, "party"))
    return pango_layout_get_text (self->party);
  if (g_str_equal (part, "value"))
    return pango_layout_get_text (self->value);
  if (g_str_equal (part, "owner"))
    return pango_layout_get_text (self->owner);
  if (g_str_equal (part, "close"))
    return pango_layout_get_text (self->close);
  return NULL;
}

gboolean
crm_deal_card_row_get_overdue (CrmDealCardRow *self)
{
  g_return_val_if_fail (CRM_IS_DEAL_CARD_ROW (self), FALSE);

  return self->overdue;
}

gboolean
crm_deal_card_row_get_idle (CrmDealCardRow *self)
{
  g_return_val_if_fail (CRM_IS_DEAL_CARD_ROW (self), FALSE);

  return self->is_idle;
}

CrmDealItem *
crm_deal_card_row_get_item (CrmDealCardRow *self)
{
  g_return_val_if_fail (CRM_IS_DEAL_CARD_ROW (self), NULL);

  return self->item;
}

static gboolean
unparent_cb (gpointer data)
{
  GtkWidget *popover = data;

  gtk_widget_unparent (popover);
  g_object_unref (popover);
  return G_SOURCE_REMOVE;
}

static void
on_menu_closed (GtkPopover     *popover,
                CrmDealCardRow *self)
{
  if (self->menu == popover)
    self->menu = NULL;
  /* Later, so that the chosen item's action runs first. */
  g_idle_add (unparent_cb, g_object_ref (popover));
}

void
crm_deal_card_row_popup_menu (CrmDealCardRow *self,
                              GMenuModel     *model)
{
  GtkWidget *popover;

  g_return_if_fail (CRM_IS_DEAL_CARD_ROW (self));
  g_return_if_fail (G_IS_MENU_MODEL (model));

  if (self->menu != NULL)
    gtk_popover_popdown (self->menu);

  /* Made for each opening, as the row may show another deal next time. */
  popover = gtk_popover_menu_new_from_model (model);
  gtk_widget_set_parent (popover, GTK_WIDGET (self));
  gtk_popover_set_position (GTK_POPOVER (popover), GTK_POS_BOTTOM);
  g_signal_connect (popover, "closed", G_CALLBACK (on_menu_closed), self);
  self->menu = GTK_POPOVER (popover);
  gtk_popover_popup (self->menu);
}
