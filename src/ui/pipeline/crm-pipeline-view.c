/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-pipeline-view"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "crm-deal.h"
#include "crm-deal-card.h"
#include "crm-deal-editor.h"
#include "crm-deal-page.h"
#include "crm-fields.h"
#include "crm-format.h"
#include "crm-pipeline.h"
#include "crm-pipeline-view.h"
#include "crm-scroll-measure.h"
#include "crm-tags.h"
#include "crm-text.h"

/* The filter grid's row where the rows of deal custom fields begin: after
 * the tag's. */
#define CUSTOM_FIRST_ROW 5

/* How wide a column is, and how close to an edge a drag scrolls. */
#define COLUMN_WIDTH     280
#define SCROLL_EDGE      48
#define SCROLL_MAX_STEP  24.0

/* The rows of the close period drop-down. */
enum {
  PERIOD_ANY,
  PERIOD_THIS_MONTH,
  PERIOD_NEXT_MONTH,
  PERIOD_THIS_QUARTER,
  PERIOD_OVERDUE,
};

typedef struct _Column Column;

struct _CrmPipelineView
{
  AdwBin             parent_instance;

  /* template widgets */
  GtkDropDown       *pipeline_dropdown;
  GtkLabel          *filter_label;
  GtkMenuButton     *filter_button;
  GtkStack          *stack;
  GtkScrolledWindow *board_scroller;
  GtkBox            *columns_box;
  AdwStatusPage     *error_page;
  GtkLabel          *open_label;
  GtkLabel          *weighted_label;
  GtkLabel          *idle_label;
  GtkLabel          *unconverted_label;
  GtkDropDown       *owner_dropdown;
  GtkDropDown       *period_dropdown;
  GtkEntry          *min_entry;
  GtkEntry          *max_entry;
  GtkDropDown       *tag_dropdown;
  GtkCheckButton    *idle_check;
  GtkGrid           *filter_grid;

  /* owned references */
  CrmStore          *store;
  GSettings         *settings;
  GPtrArray         *columns;          /* (element-type Column) */
  GPtrArray         *pipeline_ids;     /* (element-type gint64) as the drop-down lists them */
  GtkStringList     *owners;           /* "Any owner", then every owner seen */
  GtkStringList     *tags;             /* "Any tag", then the tags */
  GArray            *tag_ids;          /* gint64, parallel to tags from its second row */
  GPtrArray         *custom_controls;  /* (element-type CustomControl): one per deal field */
  CrmDealMoveUndo   *undo;
  char              *base_currency;
  CrmBoardFilter     filter;

  /* state */
  gint64             pipeline_id;      /* the shown pipeline */
  gint64             chosen_pipeline;  /* 0: the default */
  guint              reload_source;
  gboolean           dirty;
  gboolean           updating_filter;
  gint64             focus_deal_id;
  guint              focus_tries;
  guint              focus_tick;
  guint              first_fill_tick;
  guint              board_scroll_source;
  double             board_scroll_step;
};

struct _Column
{
  CrmPipelineView   *view;
  CrmStage          *stage;

  GtkWidget         *box;
  GtkLabel          *title_label;
  GtkLabel          *count_label;
  GtkLabel          *total_label;
  GtkLabel          *weighted_label;
  GtkScrolledWindow *scroller;
  GtkListView       *list_view;
  GtkWidget         *indicator;
  GtkDropTarget     *drop_target;
  GListStore        *items;

  guint              scroll_source;
  double             scroll_step;
};

G_DEFINE_FINAL_TYPE (CrmPipelineView, crm_pipeline_view, ADW_TYPE_BIN)

static void on_filter_changed    (CrmPipelineView *self);
static void load_custom_controls (CrmPipelineView *self);

enum {
  PROP_0,
  PROP_STORE,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void focus_pending_deal (CrmPipelineView *self);

static gint64
now_utc (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* Toasts */

static void
show_toast (CrmPipelineView *self,
            const char      *title,
            gboolean         with_undo)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  g_autofree char *escaped = NULL;
  AdwToast *toast;

  if (overlay == NULL)
    return;

  /* A toast's title is markup in libadwaita 1.2; titles may hold "&". */
  escaped = g_markup_escape_text (title, -1);
  toast = adw_toast_new (escaped);
  if (with_undo)
    {
      adw_toast_set_button_label (toast, _("_Undo"));
      adw_toast_set_action_name (toast, "board.undo");
      adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
    }
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

/* Columns */

static void
column_free (Column *column)
{
  g_clear_handle_id (&column->scroll_source, g_source_remove);
  g_clear_object (&column->items);
  g_clear_pointer (&column->stage, crm_stage_free);
  g_free (column);
}

static Column *
find_column (CrmPipelineView *self,
             gint64           stage_id,
             guint           *index)
{
  for (guint i = 0; self->columns != NULL && i < self->columns->len; i++)
    {
      Column *column = g_ptr_array_index (self->columns, i);

      if (column->stage->id == stage_id)
        {
          if (index != NULL)
            *index = i;
          return column;
        }
    }
  return NULL;
}

/* The column and position of @deal_id's card, if the board shows it. */
static Column *
find_deal (CrmPipelineView *self,
           gint64           deal_id,
           guint           *position)
{
  for (guint i = 0; self->columns != NULL && i < self->columns->len; i++)
    {
      Column *column = g_ptr_array_index (self->columns, i);
      guint n = g_list_model_get_n_items (G_LIST_MODEL (column->items));

      for (guint j = 0; j < n; j++)
        {
          g_autoptr (CrmDealItem) item = g_list_model_get_item (G_LIST_MODEL (column->items), j);

          if (crm_deal_item_get_id (item) == deal_id)
            {
              *position = j;
              return column;
            }
        }
    }
  return NULL;
}

static const char *
deal_title (CrmPipelineView *self,
            gint64           deal_id,
            char           **owned)
{
  guint position;
  Column *column = find_deal (self, deal_id, &position);
  g_autoptr (CrmDealItem) item = NULL;

  if (column == NULL)
    return "";
  item = g_list_model_get_item (G_LIST_MODEL (column->items), position);
  *owned = g_strdup (crm_deal_item_get_card (item)->title);
  return *owned;
}

/* The card row under the keyboard focus: the list's row widget holds the
 * focus and the card is its child. */
static CrmDealCardRow *
focused_card (CrmPipelineView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self)))
    return NULL;

  for (GtkWidget *widget = focus; widget != NULL && widget != GTK_WIDGET (self);
       widget = gtk_widget_get_parent (widget))
    {
      GtkWidget *child = gtk_widget_get_first_child (widget);

      if (CRM_IS_DEAL_CARD_ROW (widget))
        return CRM_DEAL_CARD_ROW (widget);
      if (child != NULL && CRM_IS_DEAL_CARD_ROW (child))
        return CRM_DEAL_CARD_ROW (child);
    }
  return NULL;
}

/* The card row showing @deal_id among @column's realised rows. */
static CrmDealCardRow *
row_for_deal (Column *column,
              gint64  deal_id)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (column->list_view));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *card = gtk_widget_get_first_child (child);
      CrmDealItem *item;

      if (card == NULL || !CRM_IS_DEAL_CARD_ROW (card) || !gtk_widget_get_visible (child))
        continue;
      item = crm_deal_card_row_get_item (CRM_DEAL_CARD_ROW (card));
      if (item != NULL && crm_deal_item_get_id (item) == deal_id)
        return CRM_DEAL_CARD_ROW (card);
    }
  return NULL;
}

/* Moving */

static void
do_move (CrmPipelineView *self,
         gint64           deal_id,
         gint64           stage_id,
         guint            index,
         const char      *lost_reason)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *title_owned = NULL;
  g_autofree char *toast = NULL;
  g_autofree char *title = g_strdup (deal_title (self, deal_id, &title_owned));
  CrmDealMoveUndo *undo = NULL;
  Column *to = find_column (self, stage_id, NULL);

  if (to == NULL)
    return;

  if (!crm_deal_move (self->store, deal_id, stage_id, index, lost_reason, now_utc (), &undo,
                      &error))
    {
      show_toast (self, error->message, FALSE);
      crm_pipeline_view_reload (self);
      return;
    }

  g_clear_pointer (&self->undo, crm_deal_move_undo_free);
  self->undo = undo;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "board.undo", undo != NULL);

  /* Translators: a toast after a deal moved on the board: “Title” to Stage. */
  toast = g_strdup_printf (_("Moved “%s” to %s"), title, to->stage->name);
  crm_pipeline_view_reload (self);
  crm_pipeline_view_focus_deal (self, deal_id);
  show_toast (self, toast, undo != NULL);
}

typedef struct
{
  CrmPipelineView *view;
  gint64           deal_id;
  gint64           stage_id;
  guint            index;
} LostMove;

static void
on_lost_reason_changed (GtkEditable      *entry,
                        AdwMessageDialog *dialog)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "move", *text != '\0');
}

static void
on_lost_dialog_response (AdwMessageDialog *dialog,
                         const char       *response,
                         LostMove         *move)
{
  GtkWidget *entry = adw_message_dialog_get_extra_child (dialog);
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));

  if (g_strcmp0 (response, "move") == 0 && *reason != '\0')
    do_move (move->view, move->deal_id, move->stage_id, move->index, reason);
  else
    crm_pipeline_view_focus_deal (move->view, move->deal_id);
}

static void
lost_move_free (LostMove *move)
{
  g_object_unref (move->view);
  g_free (move);
}

static void
ask_lost_reason (CrmPipelineView *self,
                 gint64           deal_id,
                 Column          *to,
                 guint            index)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *title_owned = NULL;
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *entry;
  LostMove *move;

  /* Translators: the body of the dialog asking why a deal was lost. */
  body = g_strdup_printf (_("“%s” moves to %s. What made the customer say no?"),
                          deal_title (self, deal_id, &title_owned), to->stage->name);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                           : NULL,
                                                       _("Why Was the Deal Lost?"), body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "move", _("_Move"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "move", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "move");
  adw_message_dialog_set_close_response (dialog, "cancel");
  adw_message_dialog_set_response_enabled (dialog, "move", FALSE);

  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Lost reason, such as price"));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Lost reason"), -1);
  g_signal_connect (entry, "changed", G_CALLBACK (on_lost_reason_changed), dialog);
  adw_message_dialog_set_extra_child (dialog, entry);

  move = g_new0 (LostMove, 1);
  move->view = g_object_ref (self);
  move->deal_id = deal_id;
  move->stage_id = to->stage->id;
  move->index = index;
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_lost_dialog_response), move,
                         (GClosureNotify) lost_move_free, 0);

  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

/* Moves @deal_id from @from to @to at @index among @to's cards as they
 * are without the moved one; a lost stage asks for the reason first. */
static void
move_deal (CrmPipelineView *self,
           gint64           deal_id,
           Column          *from,
           Column          *to,
           guint            index)
{
  if (to->stage->kind == CRM_STAGE_LOST && from != to)
    ask_lost_reason (self, deal_id, to, index);
  else
    do_move (self, deal_id, to->stage->id, index, NULL);
}

static void
move_focused_by (CrmPipelineView *self,
                 int              columns,
                 int              rows)
{
  CrmDealCardRow *card = focused_card (self);
  CrmDealItem *item;
  Column *from, *to;
  guint from_index = 0, position = 0;
  gint64 deal_id;

  if (card == NULL || (item = crm_deal_card_row_get_item (card)) == NULL)
    return;

  deal_id = crm_deal_item_get_id (item);
  from = find_deal (self, deal_id, &position);
  if (from == NULL)
    return;
  find_column (self, from->stage->id, &from_index);

  if (columns != 0)
    {
      int target = (int) from_index + columns;

      if (target < 0 || target >= (int) self->columns->len)
        {
          gtk_widget_error_bell (GTK_WIDGET (self));
          return;
        }
      to = g_ptr_array_index (self->columns, target);
      move_deal (self, deal_id, from, to, 0);
    }
  else
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (from->items));
      int target = (int) position + rows;

      if (target < 0 || target >= (int) n)
        {
          gtk_widget_error_bell (GTK_WIDGET (self));
          return;
        }
      move_deal (self, deal_id, from, from, (guint) target);
    }
}

/* Drag and drop */

static GdkContentProvider *
on_drag_prepare (GtkDragSource  *source,
                 double          x,
                 double          y,
                 CrmDealCardRow *card)
{
  CrmDealItem *item = crm_deal_card_row_get_item (card);

  if (item == NULL)
    return NULL;

  return gdk_content_provider_new_typed (G_TYPE_INT64, crm_deal_item_get_id (item));
}

static void
on_drag_begin (GtkDragSource  *source,
               GdkDrag        *drag,
               CrmDealCardRow *card)
{
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (card));

  gtk_drag_source_set_icon (source, paintable, 16, 16);
}

/* The gap that @y (in the list's coordinates) points at, as an index
 * among the column's cards, and where to draw it in @indicator_y. */
static guint
drop_index (Column *column,
            double  y,
            double *indicator_y)
{
  GtkWidget *list = GTK_WIDGET (column->list_view);
  int before = -1, first = -1;
  double before_bottom = 0, first_top = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (list); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *card = gtk_widget_get_first_child (child);
      graphene_rect_t bounds;
      CrmDealItem *item;
      guint position;

      if (card == NULL || !CRM_IS_DEAL_CARD_ROW (card) || !gtk_widget_get_child_visible (child)
          || !gtk_widget_compute_bounds (child, list, &bounds) || bounds.size.height <= 0)
        continue;
      item = crm_deal_card_row_get_item (CRM_DEAL_CARD_ROW (card));
      if (item == NULL || !g_list_store_find (column->items, item, &position))
        continue;

      if (bounds.origin.y + bounds.size.height / 2 <= y)
        {
          if ((int) position > before)
            {
              before = (int) position;
              before_bottom = bounds.origin.y + bounds.size.height;
            }
        }
      else if (first < 0 || (int) position < first)
        {
          first = (int) position;
          first_top = bounds.origin.y;
        }
    }

  if (before >= 0)
    {
      *indicator_y = before_bottom;
      return (guint) before + 1;
    }
  *indicator_y = first >= 0 ? first_top : 0;
  return first >= 0 ? (guint) first : 0;
}

static gboolean
column_scroll_cb (gpointer user_data)
{
  Column *column = user_data;
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (column->scroller);

  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + column->scroll_step);
  return G_SOURCE_CONTINUE;
}

static void
column_autoscroll (Column *column,
                   double  step)
{
  column->scroll_step = step;
  if (step == 0)
    g_clear_handle_id (&column->scroll_source, g_source_remove);
  else if (column->scroll_source == 0)
    column->scroll_source = g_timeout_add (16, column_scroll_cb, column);
}

static GdkDragAction
on_drop_motion (GtkDropTarget *target,
                double         x,
                double         y,
                Column        *column)
{
  GtkWidget *list = GTK_WIDGET (column->list_view);
  GtkWidget *overlay = gtk_widget_get_parent (column->indicator);
  double height = gtk_widget_get_height (list);
  double indicator_y = 0, ox = 0, oy = 0;
  double step = 0;

  drop_index (column, y, &indicator_y);
  if (gtk_widget_translate_coordinates (list, overlay, 0, indicator_y, &ox, &oy))
    {
      gtk_widget_set_margin_top (column->indicator, MAX (0, (int) oy - 1));
      gtk_widget_set_visible (column->indicator, TRUE);
    }

  /* Near the top or bottom edge the column scrolls, faster nearer. */
  if (y < SCROLL_EDGE)
    step = -SCROLL_MAX_STEP * (SCROLL_EDGE - y) / SCROLL_EDGE;
  else if (y > height - SCROLL_EDGE)
    step = SCROLL_MAX_STEP * (y - (height - SCROLL_EDGE)) / SCROLL_EDGE;
  column_autoscroll (column, step);

  return GDK_ACTION_MOVE;
}

static void
on_drop_leave (GtkDropTarget *target,
               Column        *column)
{
  gtk_widget_set_visible (column->indicator, FALSE);
  column_autoscroll (column, 0);
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         Column        *column)
{
  CrmPipelineView *self = column->view;
  double indicator_y;
  guint index, position;
  gint64 deal_id;
  Column *from;

  on_drop_leave (target, column);
  if (!G_VALUE_HOLDS_INT64 (value))
    return FALSE;

  deal_id = g_value_get_int64 (value);
  from = find_deal (self, deal_id, &position);
  if (from == NULL)
    return FALSE;

  index = drop_index (column, y, &indicator_y);
  /* The index counts the cards as shown, the moved one among them. */
  if (from == column)
    {
      if (position < index)
        index--;
      if (index == position)
        return TRUE;
    }

  move_deal (self, deal_id, from, column, index);
  return TRUE;
}

static gboolean
board_scroll_cb (gpointer user_data)
{
  CrmPipelineView *self = user_data;
  GtkAdjustment *adjustment = gtk_scrolled_window_get_hadjustment (self->board_scroller);

  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment)
                                        + self->board_scroll_step);
  return G_SOURCE_CONTINUE;
}

static void
board_autoscroll (CrmPipelineView *self,
                  double           step)
{
  self->board_scroll_step = step;
  if (step == 0)
    g_clear_handle_id (&self->board_scroll_source, g_source_remove);
  else if (self->board_scroll_source == 0)
    self->board_scroll_source = g_timeout_add (16, board_scroll_cb, self);
}

static void
on_board_drag_motion (GtkDropControllerMotion *motion,
                      double                   x,
                      double                   y,
                      CrmPipelineView         *self)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self->board_scroller));
  double step = 0;

  if (x < SCROLL_EDGE)
    step = -SCROLL_MAX_STEP * (SCROLL_EDGE - x) / SCROLL_EDGE;
  else if (x > width - SCROLL_EDGE)
    step = SCROLL_MAX_STEP * (x - (width - SCROLL_EDGE)) / SCROLL_EDGE;
  board_autoscroll (self, step);
}

static void
on_board_drag_leave (GtkDropControllerMotion *motion,
                     CrmPipelineView         *self)
{
  board_autoscroll (self, 0);
}

/* The card's menu */

static GMenuModel *
create_card_menu (CrmPipelineView *self,
                  CrmDealItem     *item)
{
  g_autoptr (GMenu) menu = g_menu_new ();
  g_autoptr (GMenu) stages = g_menu_new ();
  g_autoptr (GMenu) edit = g_menu_new ();
  gint64 deal_id = crm_deal_item_get_id (item);

  for (guint i = 0; i < self->columns->len; i++)
    {
      Column *column = g_ptr_array_index (self->columns, i);
      g_autoptr (GMenuItem) menu_item = NULL;

      if (column->stage->id == crm_deal_item_get_stage (item))
        continue;
      menu_item = g_menu_item_new (column->stage->name, NULL);
      g_menu_item_set_action_and_target_value (menu_item, "board.move-to",
                                               g_variant_new ("(xx)", deal_id, column->stage->id));
      g_menu_append_item (stages, menu_item);
    }
  g_menu_append_section (menu, _("Move to"), G_MENU_MODEL (stages));

  {
    g_autoptr (GMenuItem) menu_item = g_menu_item_new (_("_Edit Deal…"), NULL);

    g_menu_item_set_action_and_target_value (menu_item, "board.edit",
                                             g_variant_new_int64 (deal_id));
    g_menu_append_item (edit, menu_item);
  }
  g_menu_append_section (menu, NULL, G_MENU_MODEL (edit));

  return G_MENU_MODEL (g_steal_pointer (&menu));
}

static void
popup_card_menu (CrmPipelineView *self,
                 CrmDealCardRow  *card)
{
  CrmDealItem *item = crm_deal_card_row_get_item (card);
  g_autoptr (GMenuModel) menu = NULL;

  if (item == NULL)
    return;
  menu = create_card_menu (self, item);
  crm_deal_card_row_popup_menu (card, menu);
}

static void
on_card_pressed (GtkGestureClick *gesture,
                 int              n_press,
                 double           x,
                 double           y,
                 CrmDealCardRow  *card)
{
  GtkWidget *self = gtk_widget_get_ancestor (GTK_WIDGET (card), CRM_TYPE_PIPELINE_VIEW);

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  if (self != NULL)
    popup_card_menu (CRM_PIPELINE_VIEW (self), card);
}

/* The list factory */

static void
on_factory_setup (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  Column                   *column)
{
  GtkWidget *card = crm_deal_card_row_new ();
  GtkDragSource *source = gtk_drag_source_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_drag_source_set_actions (source, GDK_ACTION_MOVE);
  g_signal_connect (source, "prepare", G_CALLBACK (on_drag_prepare), card);
  g_signal_connect (source, "drag-begin", G_CALLBACK (on_drag_begin), card);
  gtk_widget_add_controller (card, GTK_EVENT_CONTROLLER (source));

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_card_pressed), card);
  gtk_widget_add_controller (card, GTK_EVENT_CONTROLLER (click));

  gtk_list_item_set_child (list_item, card);
}

static void
on_factory_bind (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 Column                   *column)
{
  crm_deal_card_row_bind (CRM_DEAL_CARD_ROW (gtk_list_item_get_child (list_item)),
                          gtk_list_item_get_item (list_item), column->stage->name);
}

static void
on_factory_unbind (GtkSignalListItemFactory *factory,
                   GtkListItem              *list_item,
                   Column                   *column)
{
  crm_deal_card_row_unbind (CRM_DEAL_CARD_ROW (gtk_list_item_get_child (list_item)));
}

static void open_page (CrmPipelineView *self,
                       gint64           deal_id);

static void
on_list_activate (GtkListView *list_view,
                  guint        position,
                  Column      *column)
{
  g_autoptr (CrmDealItem) item = g_list_model_get_item (G_LIST_MODEL (column->items), position);

  if (item != NULL)
    open_page (column->view, crm_deal_item_get_id (item));
}

static GtkWidget *
header_label (const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static Column *
column_new (CrmPipelineView *self,
            CrmStage        *stage)
{
  Column *column = g_new0 (Column, 1);
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkNoSelection *selection;
  GtkWidget *header, *counts, *overlay;

  column->view = self;
  column->stage = stage;
  column->items = g_list_store_new (CRM_TYPE_DEAL_ITEM);

  column->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_size_request (column->box, COLUMN_WIDTH, -1);
  gtk_widget_add_css_class (column->box, "board-column");

  header = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_margin_top (header, 6);
  gtk_widget_set_margin_start (header, 6);
  gtk_widget_set_margin_end (header, 6);
  column->title_label = GTK_LABEL (header_label ("heading"));
  gtk_label_set_text (column->title_label, stage->name);
  gtk_box_append (GTK_BOX (header), GTK_WIDGET (column->title_label));
  counts = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  column->count_label = GTK_LABEL (header_label ("dim-label"));
  gtk_widget_set_hexpand (GTK_WIDGET (column->count_label), TRUE);
  column->total_label = GTK_LABEL (header_label ("numeric"));
  gtk_box_append (GTK_BOX (counts), GTK_WIDGET (column->count_label));
  gtk_box_append (GTK_BOX (counts), GTK_WIDGET (column->total_label));
  gtk_box_append (GTK_BOX (header), counts);
  column->weighted_label = GTK_LABEL (header_label ("caption"));
  gtk_widget_add_css_class (GTK_WIDGET (column->weighted_label), "dim-label");
  gtk_box_append (GTK_BOX (header), GTK_WIDGET (column->weighted_label));
  gtk_box_append (GTK_BOX (column->box), header);

  g_signal_connect (factory, "setup", G_CALLBACK (on_factory_setup), column);
  g_signal_connect (factory, "bind", G_CALLBACK (on_factory_bind), column);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_factory_unbind), column);
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (column->items)));
  column->list_view = GTK_LIST_VIEW (gtk_list_view_new (GTK_SELECTION_MODEL (selection), factory));
  gtk_list_view_set_single_click_activate (column->list_view, FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (column->list_view), "board-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (column->list_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, stage->name, -1);
  g_signal_connect (column->list_view, "activate", G_CALLBACK (on_list_activate), column);

  column->drop_target = gtk_drop_target_new (G_TYPE_INT64, GDK_ACTION_MOVE);
  g_signal_connect (column->drop_target, "motion", G_CALLBACK (on_drop_motion), column);
  g_signal_connect (column->drop_target, "enter", G_CALLBACK (on_drop_motion), column);
  g_signal_connect (column->drop_target, "leave", G_CALLBACK (on_drop_leave), column);
  g_signal_connect (column->drop_target, "drop", G_CALLBACK (on_drop), column);
  gtk_widget_add_controller (GTK_WIDGET (column->list_view),
                             GTK_EVENT_CONTROLLER (column->drop_target));

  column->scroller = GTK_SCROLLED_WINDOW (gtk_scrolled_window_new ());
  gtk_scrolled_window_set_policy (column->scroller, GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (column->scroller, GTK_WIDGET (column->list_view));
  gtk_widget_set_vexpand (GTK_WIDGET (column->scroller), TRUE);

  column->indicator = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (column->indicator, "drop-indicator");
  gtk_widget_set_valign (column->indicator, GTK_ALIGN_START);
  gtk_widget_set_can_target (column->indicator, FALSE);
  gtk_widget_set_visible (column->indicator, FALSE);

  overlay = gtk_overlay_new ();
  gtk_overlay_set_child (GTK_OVERLAY (overlay), GTK_WIDGET (column->scroller));
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), column->indicator);
  gtk_box_append (GTK_BOX (column->box), overlay);

  return column;
}

/* Loading */

static char *
money (CrmPipelineView *self,
       gint64           amount)
{
  return crm_money_format (amount, self->base_currency);
}

static void
update_header (Column         *column,
               CrmBoardColumn *data)
{
  CrmPipelineView *self = column->view;
  g_autofree char *count = NULL;
  g_autofree char *total = money (self, data->total);
  g_autofree char *weighted = money (self, data->weighted);
  g_autofree char *weighted_text = NULL;

  /* Translators: how many deals a board column holds. */
  count = g_strdup_printf (ngettext ("%'u deal", "%'u deals", data->count), data->count);
  /* Translators: a column's total weighted by the stage's win probability. */
  weighted_text = g_strdup_printf (_("Weighted %s (%d %%)"), weighted, data->stage->probability);

  gtk_label_set_text (column->title_label, data->stage->name);
  gtk_label_set_text (column->count_label, count);
  gtk_label_set_text (column->total_label, total);
  gtk_label_set_text (column->weighted_label, weighted_text);
}

static void
fill_column (Column         *column,
             CrmBoardColumn *data)
{
  guint n_old = g_list_model_get_n_items (G_LIST_MODEL (column->items));
  g_autoptr (GPtrArray) items = g_ptr_array_new_full (data->cards->len, g_object_unref);
  gsize n_cards = 0;
  gpointer *cards;

  /* The items take the cards over from the board. */
  cards = g_ptr_array_steal (data->cards, &n_cards);
  for (gsize i = 0; i < n_cards; i++)
    g_ptr_array_add (items, crm_deal_item_new (cards[i], column->stage->id));
  g_free (cards);

  g_list_store_splice (column->items, 0, n_old, items->pdata, items->len);
}

static gboolean
columns_match (CrmPipelineView *self,
               CrmBoard        *board)
{
  if (self->columns == NULL || self->columns->len != board->columns->len)
    return FALSE;

  for (guint i = 0; i < board->columns->len; i++)
    {
      Column *column = g_ptr_array_index (self->columns, i);
      CrmBoardColumn *data = g_ptr_array_index (board->columns, i);

      if (column->stage->id != data->stage->id)
        return FALSE;
    }
  return TRUE;
}

static CrmStage *
stage_copy (const CrmStage *stage)
{
  CrmStage *copy = g_new0 (CrmStage, 1);

  *copy = *stage;
  copy->name = g_strdup (stage->name);
  return copy;
}

static void
rebuild_columns (CrmPipelineView *self,
                 CrmBoard        *board)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->columns_box))) != NULL)
    gtk_box_remove (self->columns_box, child);
  g_clear_pointer (&self->columns, g_ptr_array_unref);

  self->columns = g_ptr_array_new_with_free_func ((GDestroyNotify) column_free);
  for (guint i = 0; i < board->columns->len; i++)
    {
      CrmBoardColumn *data = g_ptr_array_index (board->columns, i);
      Column *column = column_new (self, stage_copy (data->stage));

      g_ptr_array_add (self->columns, column);
      gtk_box_append (self->columns_box, column->box);
    }
}

static void
remember_owners (CrmPipelineView *self,
                 CrmBoard        *board)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->owners));
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) added = g_ptr_array_new ();

  for (guint i = 1; i < n; i++)
    g_hash_table_add (seen, (gpointer) gtk_string_list_get_string (self->owners, i));

  for (guint i = 0; i < board->columns->len; i++)
    {
      CrmBoardColumn *data = g_ptr_array_index (board->columns, i);

      for (guint j = 0; j < data->cards->len; j++)
        {
          CrmDealCard *card = g_ptr_array_index (data->cards, j);

          if (card->owner != NULL && *card->owner != '\0' && g_hash_table_add (seen, card->owner))
            g_ptr_array_add (added, card->owner);
        }
    }

  for (guint i = 0; i < added->len; i++)
    gtk_string_list_append (self->owners, g_ptr_array_index (added, i));
}

static void
update_summary (CrmPipelineView *self,
                CrmBoard        *board)
{
  g_autofree char *total = money (self, board->open_total);
  g_autofree char *weighted = money (self, board->open_weighted);
  g_autofree char *open_text = NULL;
  g_autofree char *weighted_text = NULL;
  g_autofree char *idle_text = NULL;
  g_autofree char *unconverted = NULL;

  /* Translators: the summary bar: the open deals' total value. */
  open_text = g_strdup_printf (_("Open %s"), total);
  /* Translators: the summary bar: the open deals' probability-weighted value. */
  weighted_text = g_strdup_printf (_("Weighted %s"), weighted);
  idle_text = g_strdup_printf (ngettext ("%'u idle deal", "%'u idle deals", board->n_idle),
                               board->n_idle);
  gtk_label_set_text (self->open_label, open_text);
  gtk_label_set_text (self->weighted_label, weighted_text);
  gtk_label_set_text (self->idle_label, idle_text);

  if (board->n_unconverted > 0)
    unconverted = g_strdup_printf (ngettext ("%'u deal has no exchange rate and is left out",
                                             "%'u deals have no exchange rate and are left out",
                                             board->n_unconverted),
                                   board->n_unconverted);
  gtk_label_set_text (self->unconverted_label, unconverted != NULL ? unconverted : "");
  gtk_widget_set_visible (GTK_WIDGET (self->unconverted_label), unconverted != NULL);
}

static void
load_pipelines (CrmPipelineView *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) pipelines = crm_pipelines_list (self->store, &error);
  g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);
  guint selected = 0;

  if (pipelines == NULL)
    {
      g_debug ("Cannot list the pipelines: %s", error->message);
      return;
    }

  g_ptr_array_set_size (self->pipeline_ids, 0);
  for (guint i = 0; i < pipelines->len; i++)
    {
      CrmPipeline *pipeline = g_ptr_array_index (pipelines, i);
      gint64 *id = g_new (gint64, 1);

      *id = pipeline->id;
      g_ptr_array_add (self->pipeline_ids, id);
      gtk_string_list_append (names, pipeline->name);
      if (pipeline->id == self->pipeline_id)
        selected = i;
    }

  self->updating_filter = TRUE;
  gtk_drop_down_set_model (self->pipeline_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->pipeline_dropdown, selected);
  self->updating_filter = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->pipeline_dropdown), pipelines->len > 1);
}

static void
load_tags (CrmPipelineView *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) tags = crm_tags_list (self->store, &error);
  guint selected = gtk_drop_down_get_selected (self->tag_dropdown);
  gint64 selected_id = 0;
  guint n_old = g_list_model_get_n_items (G_LIST_MODEL (self->tags));
  g_autoptr (GPtrArray) names = g_ptr_array_new ();

  if (tags == NULL)
    {
      g_debug ("Cannot list the tags: %s", error->message);
      return;
    }
  if (selected != GTK_INVALID_LIST_POSITION && selected > 0 && selected - 1 < self->tag_ids->len)
    selected_id = g_array_index (self->tag_ids, gint64, selected - 1);

  g_array_set_size (self->tag_ids, 0);
  selected = 0;
  for (guint i = 0; i < tags->len; i++)
    {
      CrmTag *tag = g_ptr_array_index (tags, i);

      g_array_append_val (self->tag_ids, tag->id);
      g_ptr_array_add (names, tag->name);
      if (tag->id == selected_id)
        selected = i + 1;
    }
  g_ptr_array_add (names, NULL);

  self->updating_filter = TRUE;
  gtk_string_list_splice (self->tags, 1, n_old - 1, (const char *const *) names->pdata);
  gtk_drop_down_set_selected (self->tag_dropdown, selected);
  self->updating_filter = FALSE;
}

void
crm_pipeline_view_reload (CrmPipelineView *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmBoard) board = NULL;
  CrmDealCardRow *focused;

  g_return_if_fail (CRM_IS_PIPELINE_VIEW (self));

  g_clear_handle_id (&self->reload_source, g_source_remove);
  self->dirty = FALSE;

  board = crm_board_load (self->store, self->chosen_pipeline, &self->filter, now_utc (), &error);
  if (board == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  /* Keep the focused card focused across the reload, whichever row shows it. */
  focused = focused_card (self);
  if (focused != NULL && crm_deal_card_row_get_item (focused) != NULL && self->focus_deal_id == 0)
    self->focus_deal_id = crm_deal_item_get_id (crm_deal_card_row_get_item (focused));

  g_free (self->base_currency);
  self->base_currency = g_strdup (board->base_currency);
  if (self->pipeline_id != board->pipeline_id)
    {
      self->pipeline_id = board->pipeline_id;
      load_pipelines (self);
    }

  if (!columns_match (self, board))
    rebuild_columns (self, board);

  remember_owners (self, board);
  for (guint i = 0; i < board->columns->len; i++)
    {
      Column *column = g_ptr_array_index (self->columns, i);
      CrmBoardColumn *data = g_ptr_array_index (board->columns, i);

      g_free (column->stage->name);
      *column->stage = *data->stage;
      column->stage->name = g_strdup (data->stage->name);
      update_header (column, data);
      fill_column (column, data);
    }
  update_summary (self, board);
  gtk_stack_set_visible_child_name (self->stack, "board");

  if (self->focus_deal_id != 0)
    focus_pending_deal (self);
}

static gboolean
reload_cb (gpointer user_data)
{
  CrmPipelineView *self = user_data;

  self->reload_source = 0;
  crm_pipeline_view_reload (self);
  return G_SOURCE_REMOVE;
}

static void
on_store_changed (CrmStore        *store,
                  const char      *entity,
                  gint64           id,
                  CrmPipelineView *self)
{
  if (g_strcmp0 (entity, "pipeline") == 0)
    load_pipelines (self);
  else if (g_strcmp0 (entity, "tag") == 0)
    load_tags (self);
  else if (g_strcmp0 (entity, "custom_field") == 0)
    load_custom_controls (self);

  if (g_strcmp0 (entity, "deal") != 0 && g_strcmp0 (entity, "stage") != 0
      && g_strcmp0 (entity, "pipeline") != 0 && g_strcmp0 (entity, "currency") != 0)
    return;

  /* A hidden board reads again when it shows. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->dirty = TRUE;
      return;
    }
  if (self->reload_source == 0)
    self->reload_source = g_idle_add (reload_cb, self);
}

/* Focus */

static gboolean
focus_tick_cb (GtkWidget     *widget,
               GdkFrameClock *clock,
               gpointer       user_data)
{
  CrmPipelineView *self = user_data;
  guint position;
  Column *column = find_deal (self, self->focus_deal_id, &position);
  CrmDealCardRow *card = column != NULL ? row_for_deal (column, self->focus_deal_id) : NULL;

  if (card != NULL)
    gtk_widget_grab_focus (gtk_widget_get_parent (GTK_WIDGET (card)));

  if (card != NULL || column == NULL || ++self->focus_tries > 10)
    {
      self->focus_deal_id = 0;
      self->focus_tick = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
focus_pending_deal (CrmPipelineView *self)
{
  guint position;
  Column *column = find_deal (self, self->focus_deal_id, &position);
  CrmDealCardRow *card;

  if (column == NULL)
    {
      self->focus_deal_id = 0;
      return;
    }

  gtk_widget_activate_action (GTK_WIDGET (column->list_view), "list.scroll-to-item", "u",
                              position);
  card = row_for_deal (column, self->focus_deal_id);
  if (card != NULL && gtk_widget_get_parent (GTK_WIDGET (card)) != NULL)
    {
      GtkWidget *row = gtk_widget_get_parent (GTK_WIDGET (card));

      /* The row of a recycled list may show another deal than it did. */
      gtk_widget_grab_focus (row);
      self->focus_deal_id = 0;
      return;
    }

  /* The row is made at the next layout. */
  self->focus_tries = 0;
  if (self->focus_tick == 0)
    self->focus_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), focus_tick_cb, self,
                                                     NULL);
}

/* Filter */

static void
month_bounds (GDateTime *day,
              int        months_ahead,
              int        n_months,
              char     **from,
              char     **to)
{
  g_autoptr (GDateTime) first = g_date_time_new_local (g_date_time_get_year (day),
                                                       g_date_time_get_month (day), 1, 0, 0, 0);
  g_autoptr (GDateTime) start = g_date_time_add_months (first, months_ahead);
  g_autoptr (GDateTime) after = g_date_time_add_months (start, n_months);
  g_autoptr (GDateTime) last = g_date_time_add_days (after, -1);

  *from = g_date_time_format (start, "%Y-%m-%d");
  *to = g_date_time_format (last, "%Y-%m-%d");
}

static gboolean
parse_bound (CrmPipelineView *self,
             GtkEntry        *entry,
             gint64          *bound)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autoptr (GError) error = NULL;
  gint64 minor;

  *bound = -1;
  gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
  gtk_widget_set_tooltip_text (GTK_WIDGET (entry), NULL);
  if (text == NULL || *text == '\0')
    return TRUE;

  if (!crm_deal_parse_value (text, self->base_currency, &minor, &error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (entry), error->message);
      return FALSE;
    }
  *bound = minor;
  return TRUE;
}

/* The filter's controls for one custom field of deals, in one row of the
 * popover: text contains, a number range, a date range, one choice, yes
 * or no. Conditions mean what they mean in the contact filter. */
typedef struct
{
  CrmCustomField *field;
  GtkWidget      *control;   /* entry (text, number from, date after); drop-down (choice, yes/no) */
  GtkWidget      *to;        /* entry: number up to, date before; NULL otherwise */
} CustomControl;

static void
custom_control_free (CustomControl *control)
{
  crm_custom_field_free (control->field);
  g_free (control);
}

static const CrmFilterCustom *
find_custom (const CrmBoardFilter *filter,
             gint64                field_id,
             CrmCustomOp           op)
{
  for (guint i = 0; filter->custom != NULL && i < filter->custom->len; i++)
    {
      const CrmFilterCustom *custom = g_ptr_array_index (filter->custom, i);

      if (custom->field_id == field_id && custom->op == op)
        return custom;
    }

  return NULL;
}

static GtkWidget *
make_custom_entry (const char *placeholder,
                   const char *accessible_label,
                   const char *name)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_widget_set_name (entry, name);
  gtk_widget_set_hexpand (entry, TRUE);
  gtk_editable_set_width_chars (GTK_EDITABLE (entry), 8);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), placeholder);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible_label, -1);
  return entry;
}

/* An entry that shows a condition's date as the user writes dates. */
static void
set_date_text (GtkWidget             *entry,
               const CrmFilterCustom *custom)
{
  g_autoptr (GDate) date = g_date_new ();
  char text[16];

  if (custom == NULL || custom->text == NULL)
    return;
  g_date_set_parse (date, custom->text);
  if (!g_date_valid (date))
    return;
  g_snprintf (text, sizeof text, "%02d/%02d/%04d", g_date_get_day (date),
              g_date_get_month (date), g_date_get_year (date));
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
}

static void
set_number_text (GtkWidget *entry,
                 double     number)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isnan (number))
    gtk_editable_set_text (GTK_EDITABLE (entry), g_ascii_dtostr (buffer, sizeof buffer, number));
}

/* An entry's tooltip when its text is fine; a problem replaces it. */
static void
set_hint (GtkWidget  *entry,
          const char *hint)
{
  g_object_set_data_full (G_OBJECT (entry), "crm-hint", g_strdup (hint), g_free);
  gtk_widget_set_tooltip_text (entry, hint);
}

/* The controls for @field, showing what @current holds for it. */
static CustomControl *
custom_control_new (CrmPipelineView      *self,
                    const CrmCustomField *field,
                    const CrmBoardFilter *current)
{
  CustomControl *c = g_new0 (CustomControl, 1);
  g_autofree char *name = g_strconcat ("custom-", field->key, NULL);
  g_autofree char *to_name = g_strconcat (name, "-to", NULL);
  const CrmFilterCustom *custom;

  c->field = crm_custom_field_copy (field);
  switch (field->type)
    {
    case CRM_FIELD_TYPE_NUMBER:
      {
        /* Translators: the accessible name of the second entry of a
         * number range in the board's filter; %s is the field. */
        g_autofree char *to_label = g_strdup_printf (_("%s up to"), field->label);

        c->control = make_custom_entry (C_("number range", "From"), field->label, name);
        c->to = make_custom_entry (C_("number range", "Up to"), to_label, to_name);
        gtk_entry_set_input_purpose (GTK_ENTRY (c->control), GTK_INPUT_PURPOSE_NUMBER);
        gtk_entry_set_input_purpose (GTK_ENTRY (c->to), GTK_INPUT_PURPOSE_NUMBER);
        if ((custom = find_custom (current, field->id, CRM_CUSTOM_BETWEEN)) != NULL)
          {
            set_number_text (c->control, custom->min);
            set_number_text (c->to, custom->max);
          }
      }
      break;

    case CRM_FIELD_TYPE_DATE:
      {
        /* Translators: the accessible names of a date range's entries in
         * the board's filter; %s is the field. */
        g_autofree char *after_label = g_strdup_printf (_("%s after"), field->label);
        g_autofree char *before_label = g_strdup_printf (_("%s before"), field->label);

        c->control = make_custom_entry (C_("date range", "After"), after_label, name);
        c->to = make_custom_entry (C_("date range", "Before"), before_label, to_name);
        set_hint (c->control, _("A date as DD/MM/YYYY"));
        set_hint (c->to, _("A date as DD/MM/YYYY"));
        set_date_text (c->control, find_custom (current, field->id, CRM_CUSTOM_AFTER));
        set_date_text (c->to, find_custom (current, field->id, CRM_CUSTOM_BEFORE));
      }
      break;

    case CRM_FIELD_TYPE_CHOICE:
      {
        g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);
        guint selected = 0;

        custom = find_custom (current, field->id, CRM_CUSTOM_ANY_OF);
        gtk_string_list_append (names, C_("custom filter", "Any"));
        for (guint k = 0; field->options != NULL && field->options[k] != NULL; k++)
          {
            gtk_string_list_append (names, field->options[k]);
            if (custom != NULL && g_strv_contains ((const char *const *) custom->choices,
                                                   field->options[k]))
              selected = k + 1;
          }
        c->control = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&names)), NULL);
        gtk_drop_down_set_selected (GTK_DROP_DOWN (c->control), selected);
      }
      break;

    case CRM_FIELD_TYPE_BOOL:
      {
        const char *const answers[] = { C_("custom filter", "Any"), _("Yes"), _("No"), NULL };

        c->control = gtk_drop_down_new_from_strings (answers);
        if ((custom = find_custom (current, field->id, CRM_CUSTOM_IS)) != NULL)
          gtk_drop_down_set_selected (GTK_DROP_DOWN (c->control), custom->value ? 1 : 2);
      }
      break;

    case CRM_FIELD_TYPE_TEXT:
    default:
      c->control = make_custom_entry (_("Contains"), field->label, name);
      if ((custom = find_custom (current, field->id, CRM_CUSTOM_CONTAINS)) != NULL)
        gtk_editable_set_text (GTK_EDITABLE (c->control), custom->text);
      break;
    }

  if (GTK_IS_DROP_DOWN (c->control))
    {
      gtk_widget_set_name (c->control, name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (c->control), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      field->label, -1);
      g_signal_connect_swapped (c->control, "notify::selected", G_CALLBACK (on_filter_changed),
                                self);
    }
  else
    {
      g_signal_connect_swapped (c->control, "changed", G_CALLBACK (on_filter_changed), self);
    }
  if (c->to != NULL)
    g_signal_connect_swapped (c->to, "changed", G_CALLBACK (on_filter_changed), self);

  return c;
}

/* A row in the filter popover for each custom field of deals, made again
 * when the fields change; the values set for fields that remain stay. */
static void
load_custom_controls (CrmPipelineView *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) fields = crm_custom_fields_list (self->store, CRM_FIELD_ENTITY_DEAL,
                                                         &error);

  if (fields == NULL)
    {
      g_debug ("Cannot list the deal fields: %s", error->message);
      return;
    }

  self->updating_filter = TRUE;
  for (guint i = 0; i < self->custom_controls->len; i++)
    gtk_grid_remove_row (self->filter_grid, CUSTOM_FIRST_ROW);
  g_ptr_array_set_size (self->custom_controls, 0);

  for (guint i = 0; i < fields->len; i++)
    {
      const CrmCustomField *field = g_ptr_array_index (fields, i);
      CustomControl *c = custom_control_new (self, field, &self->filter);
      int row = CUSTOM_FIRST_ROW + (int) i;
      GtkWidget *label = gtk_label_new (field->label);
      GtkWidget *value = c->control;

      gtk_label_set_xalign (GTK_LABEL (label), 1.0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 20);
      gtk_label_set_mnemonic_widget (GTK_LABEL (label), c->control);
      if (c->to != NULL)
        {
          value = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
          gtk_box_set_homogeneous (GTK_BOX (value), TRUE);
          gtk_box_append (GTK_BOX (value), c->control);
          gtk_box_append (GTK_BOX (value), c->to);
        }
      gtk_grid_insert_row (self->filter_grid, row);
      gtk_grid_attach (self->filter_grid, label, 0, row, 1, 1);
      gtk_grid_attach (self->filter_grid, value, 1, row, 1, 1);
      g_ptr_array_add (self->custom_controls, c);
    }
  self->updating_filter = FALSE;

  /* A condition on a field that went is dropped. */
  if (self->filter.custom != NULL)
    on_filter_changed (self);
}

static void
mark_entry (GtkWidget  *entry,
            const char *problem)
{
  if (problem != NULL)
    gtk_widget_add_css_class (entry, "error");
  else
    gtk_widget_remove_css_class (entry, "error");
  gtk_widget_set_tooltip_text (entry, problem != NULL ? problem
                                                      : g_object_get_data (G_OBJECT (entry),
                                                                           "crm-hint"));
}

/* The number in @entry, with a comma or a point before the decimals;
 * FALSE when it is empty or marked as not a number. */
static gboolean
read_number (GtkWidget *entry,
             double    *number)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
  char *end = NULL;

  *number = NAN;
  mark_entry (entry, NULL);
  if (*text == '\0')
    return FALSE;

  g_strdelimit (text, ",", '.');
  *number = g_ascii_strtod (text, &end);
  if (end == NULL || *end != '\0' || !isfinite (*number))
    {
      *number = NAN;
      mark_entry (entry, _("Not a number"));
      return FALSE;
    }
  return TRUE;
}

/* The date in @entry as YYYY-MM-DD; NULL when empty or marked as wrong. */
static char *
read_date (GtkWidget            *entry,
           const CrmCustomField *field)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autoptr (GError) error = NULL;
  g_autofree char *iso = NULL;

  mark_entry (entry, NULL);
  if (crm_text_is_blank (text))
    return NULL;

  iso = crm_custom_field_normalize_value (field, text, &error);
  if (iso == NULL)
    {
      mark_entry (entry, error->message);
      return NULL;
    }
  return *iso != '\0' ? g_steal_pointer (&iso) : NULL;
}

/* Whether @custom went into the filter; it always does when it is
 * complete, which the controls make sure of. */
static gboolean
add_condition (CrmPipelineView *self,
               CrmFilterCustom *custom)
{
  g_autoptr (GError) error = NULL;

  if (crm_board_filter_add_custom (&self->filter, custom, &error))
    return TRUE;

  g_debug ("%s", error->message);
  return FALSE;
}

/* The conditions the custom controls hold; each field with one adds its
 * label to @parts. */
static void
read_custom_controls (CrmPipelineView *self,
                      GPtrArray       *parts)
{
  for (guint i = 0; i < self->custom_controls->len; i++)
    {
      CustomControl *c = g_ptr_array_index (self->custom_controls, i);
      CrmFilterCustom custom = { .field_id = c->field->id, .min = NAN, .max = NAN };
      gboolean used = FALSE;

      switch (c->field->type)
        {
        case CRM_FIELD_TYPE_NUMBER:
          {
            gboolean has_min = read_number (c->control, &custom.min);
            gboolean has_max = read_number (c->to, &custom.max);

            custom.op = CRM_CUSTOM_BETWEEN;
            if (has_min && has_max && custom.min > custom.max)
              mark_entry (c->to, _("Lower than the lowest number"));
            else if (has_min || has_max)
              used = add_condition (self, &custom);
          }
          break;

        case CRM_FIELD_TYPE_DATE:
          {
            g_autofree char *after = read_date (c->control, c->field);
            g_autofree char *before = read_date (c->to, c->field);

            if (after != NULL)
              {
                custom.op = CRM_CUSTOM_AFTER;
                custom.text = after;
                used = add_condition (self, &custom);
              }
            if (before != NULL)
              {
                custom.op = CRM_CUSTOM_BEFORE;
                custom.text = before;
                used = add_condition (self, &custom) || used;
              }
          }
          break;

        case CRM_FIELD_TYPE_CHOICE:
          {
            guint n = gtk_drop_down_get_selected (GTK_DROP_DOWN (c->control));

            if (n != GTK_INVALID_LIST_POSITION && n > 0 && c->field->options != NULL
                && n <= g_strv_length (c->field->options))
              {
                char *chosen[] = { c->field->options[n - 1], NULL };

                custom.op = CRM_CUSTOM_ANY_OF;
                custom.choices = chosen;
                used = add_condition (self, &custom);
              }
          }
          break;

        case CRM_FIELD_TYPE_BOOL:
          {
            guint n = gtk_drop_down_get_selected (GTK_DROP_DOWN (c->control));

            if (n == 1 || n == 2)
              {
                custom.op = CRM_CUSTOM_IS;
                custom.value = n == 1;
                used = add_condition (self, &custom);
              }
          }
          break;

        case CRM_FIELD_TYPE_TEXT:
        default:
          {
            g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (
                                                  GTK_EDITABLE (c->control))));

            if (*text != '\0')
              {
                custom.op = CRM_CUSTOM_CONTAINS;
                custom.text = text;
                used = add_condition (self, &custom);
              }
          }
          break;
        }

      if (used)
        g_ptr_array_add (parts, g_strdup (c->field->label));
    }
}

static void
clear_custom_controls (CrmPipelineView *self)
{
  for (guint i = 0; i < self->custom_controls->len; i++)
    {
      CustomControl *c = g_ptr_array_index (self->custom_controls, i);

      if (GTK_IS_DROP_DOWN (c->control))
        gtk_drop_down_set_selected (GTK_DROP_DOWN (c->control), 0);
      else
        gtk_editable_set_text (GTK_EDITABLE (c->control), "");
      if (c->to != NULL)
        gtk_editable_set_text (GTK_EDITABLE (c->to), "");
    }
}

static void
read_filter (CrmPipelineView *self)
{
  guint owner = gtk_drop_down_get_selected (self->owner_dropdown);
  guint tag = gtk_drop_down_get_selected (self->tag_dropdown);
  guint period = gtk_drop_down_get_selected (self->period_dropdown);
  g_autoptr (GDateTime) today = g_date_time_new_now_local ();
  g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *summary = NULL;
  g_autofree char *joined = NULL;

  crm_board_filter_clear (&self->filter);
  crm_board_filter_init (&self->filter);

  if (owner != GTK_INVALID_LIST_POSITION && owner > 0)
    {
      const char *name = gtk_string_list_get_string (self->owners, owner);

      self->filter.owners_n = 1;
      self->filter.owners = g_new0 (char *, 2);
      self->filter.owners[0] = g_strdup (name);
      g_ptr_array_add (parts, g_strdup (name));
    }

  switch (period)
    {
    case PERIOD_THIS_MONTH:
      month_bounds (today, 0, 1, &self->filter.close_from, &self->filter.close_to);
      break;
    case PERIOD_NEXT_MONTH:
      month_bounds (today, 1, 1, &self->filter.close_from, &self->filter.close_to);
      break;
    case PERIOD_THIS_QUARTER:
      month_bounds (today, -((g_date_time_get_month (today) - 1) % 3), 3,
                    &self->filter.close_from, &self->filter.close_to);
      break;
    case PERIOD_OVERDUE:
      {
        g_autoptr (GDateTime) yesterday = g_date_time_add_days (today, -1);

        self->filter.close_to = g_date_time_format (yesterday, "%Y-%m-%d");
      }
      break;
    default:
      break;
    }
  if (period != GTK_INVALID_LIST_POSITION && period != PERIOD_ANY)
    {
      GtkStringObject *item = g_list_model_get_item (gtk_drop_down_get_model (self->period_dropdown),
                                                     period);

      g_ptr_array_add (parts, g_strdup (gtk_string_object_get_string (item)));
      g_object_unref (item);
    }

  parse_bound (self, self->min_entry, &self->filter.value_min);
  parse_bound (self, self->max_entry, &self->filter.value_max);
  if (self->filter.value_min >= 0 || self->filter.value_max >= 0)
    /* Translators: the filter summary above the board: a value range. */
    g_ptr_array_add (parts, g_strdup (C_("filter", "value range")));

  if (tag != GTK_INVALID_LIST_POSITION && tag > 0 && tag - 1 < self->tag_ids->len)
    {
      self->filter.tag_id = g_array_index (self->tag_ids, gint64, tag - 1);
      g_ptr_array_add (parts, g_strdup (gtk_string_list_get_string (self->tags, tag)));
    }

  read_custom_controls (self, parts);

  self->filter.idle_only = gtk_check_button_get_active (self->idle_check);
  if (self->filter.idle_only)
    g_ptr_array_add (parts, g_strdup (C_("filter", "idle")));

  g_ptr_array_add (parts, NULL);
  joined = g_strjoinv (", ", (char **) parts->pdata);
  if (parts->len > 1)
    /* Translators: above the board while a filter is set; %s lists its parts. */
    summary = g_strdup_printf (_("Filtered: %s"), joined);
  gtk_label_set_text (self->filter_label, summary != NULL ? summary : "");
  if (summary != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->filter_button), "suggested-action");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->filter_button), "suggested-action");
}

static void
on_filter_changed (CrmPipelineView *self)
{
  if (self->updating_filter || self->store == NULL)
    return;

  read_filter (self);
  crm_pipeline_view_reload (self);
}

static void
on_clear_clicked (CrmPipelineView *self)
{
  self->updating_filter = TRUE;
  gtk_drop_down_set_selected (self->owner_dropdown, 0);
  gtk_drop_down_set_selected (self->period_dropdown, PERIOD_ANY);
  gtk_drop_down_set_selected (self->tag_dropdown, 0);
  gtk_editable_set_text (GTK_EDITABLE (self->min_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->max_entry), "");
  gtk_check_button_set_active (self->idle_check, FALSE);
  clear_custom_controls (self);
  self->updating_filter = FALSE;
  on_filter_changed (self);
}

static void
on_pipeline_selected (CrmPipelineView *self)
{
  guint selected = gtk_drop_down_get_selected (self->pipeline_dropdown);

  if (self->updating_filter || selected == GTK_INVALID_LIST_POSITION
      || selected >= self->pipeline_ids->len)
    return;

  self->chosen_pipeline = *(gint64 *) g_ptr_array_index (self->pipeline_ids, selected);
  crm_pipeline_view_reload (self);
}

/* Actions */

static void
on_editor_saved (CrmDealEditor   *editor,
                 gint64           deal_id,
                 CrmPipelineView *self)
{
  crm_pipeline_view_reload (self);
  crm_pipeline_view_focus_deal (self, deal_id);
}

static void
open_editor (CrmPipelineView *self,
             gint64           deal_id,
             gint64           stage_id)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr (GError) error = NULL;
  CrmDealEditor *editor;

  editor = crm_deal_editor_new (self->store, self->pipeline_id, deal_id, stage_id, &error);
  if (editor == NULL)
    {
      show_toast (self, error->message, FALSE);
      return;
    }
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (root));
  g_signal_connect_object (editor, "saved", G_CALLBACK (on_editor_saved), self, 0);
  gtk_window_present (GTK_WINDOW (editor));
}

static gboolean
window_has_action (GtkWidget  *window,
                   const char *name)
{
  GtkWidgetClass *klass = GTK_WIDGET_GET_CLASS (window);
  const GVariantType *parameter_type;
  const char *action_name;
  const char *property_name;
  GType owner;

  /* GTK 4.8 writes every out argument: none may be NULL. */
  for (guint i = 0;
       gtk_widget_class_query_action (klass, i, &owner, &action_name, &parameter_type,
                                      &property_name);
       i++)
    {
      if (g_strcmp0 (action_name, name) == 0)
        return TRUE;
    }

  return FALSE;
}

/* The page's contact and company rows lead to the Contacts view. */
static void
on_page_open_contact (CrmPipelineView *self,
                      gint64           id)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.open-contact", "x", id);
}

static void
on_page_open_company (CrmPipelineView *self,
                      gint64           id)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.open-company", "x", id);
}

/* An activated card opens its deal's page, whose Edit opens the editor. */
static void
open_page (CrmPipelineView *self,
           gint64           deal_id)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr (GError) error = NULL;
  CrmDealPage *page = crm_deal_page_new (self->store, deal_id, &error);

  if (page == NULL)
    {
      show_toast (self, error->message, FALSE);
      return;
    }
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (page), GTK_WINDOW (root));
  /* Only a window with a Contacts view has somewhere to lead them. */
  if (root != NULL && window_has_action (GTK_WIDGET (root), "win.open-contact"))
    {
      g_signal_connect_object (page, "open-contact", G_CALLBACK (on_page_open_contact), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (page, "open-company", G_CALLBACK (on_page_open_company), self,
                               G_CONNECT_SWAPPED);
    }
  gtk_window_present (GTK_WINDOW (page));
}

static void
new_deal_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CrmPipelineView *self = CRM_PIPELINE_VIEW (widget);
  CrmDealCardRow *card = focused_card (self);
  gint64 stage_id = 0;

  /* A new deal starts in the focused card's column, else the first. */
  if (card != NULL && crm_deal_card_row_get_item (card) != NULL)
    stage_id = crm_deal_item_get_stage (crm_deal_card_row_get_item (card));
  else if (self->columns != NULL && self->columns->len > 0)
    stage_id = ((Column *) g_ptr_array_index (self->columns, 0))->stage->id;

  open_editor (self, 0, stage_id);
}

static void
edit_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  open_editor (CRM_PIPELINE_VIEW (widget), g_variant_get_int64 (parameter), 0);
}

static void
move_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CrmPipelineView *self = CRM_PIPELINE_VIEW (widget);

  if (g_str_equal (action_name, "board.move-left"))
    move_focused_by (self, -1, 0);
  else if (g_str_equal (action_name, "board.move-right"))
    move_focused_by (self, 1, 0);
  else if (g_str_equal (action_name, "board.move-up"))
    move_focused_by (self, 0, -1);
  else
    move_focused_by (self, 0, 1);
}

static void
move_to_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  CrmPipelineView *self = CRM_PIPELINE_VIEW (widget);
  gint64 deal_id, stage_id;
  guint position;
  Column *from, *to;

  g_variant_get (parameter, "(xx)", &deal_id, &stage_id);
  from = find_deal (self, deal_id, &position);
  to = find_column (self, stage_id, NULL);
  if (from == NULL || to == NULL || from == to)
    return;

  move_deal (self, deal_id, from, to, 0);
}

static void
menu_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CrmDealCardRow *card = focused_card (CRM_PIPELINE_VIEW (widget));

  if (card != NULL)
    popup_card_menu (CRM_PIPELINE_VIEW (widget), card);
}

static void
undo_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CrmPipelineView *self = CRM_PIPELINE_VIEW (widget);
  g_autoptr (CrmDealMoveUndo) undo = g_steal_pointer (&self->undo);
  g_autoptr (GError) error = NULL;

  gtk_widget_action_set_enabled (widget, "board.undo", FALSE);
  if (undo == NULL)
    return;

  if (!crm_deal_move_undo (self->store, undo, &error))
    show_toast (self, error->message, FALSE);
  crm_pipeline_view_reload (self);
}

/* Styling that the board's own widgets need. */
static void
ensure_css (void)
{
  static gboolean done;
  g_autoptr (GtkCssProvider) provider = NULL;
  GdkDisplay *display = gdk_display_get_default ();

  if (done || display == NULL)
    return;
  done = TRUE;

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_data (provider,
                                   ".board-column { border-radius: 12px;"
                                   "  background-color: alpha(currentColor, 0.05); }"
                                   ".board-list { background: none; }"
                                   ".board-list > row { padding: 3px 6px; }"
                                   ".board-list > row:focus-visible dealcard {"
                                   "  outline: 2px solid @accent_color; outline-offset: -2px; }"
                                   ".drop-indicator { min-height: 3px; margin: 0 6px;"
                                   "  background-color: @accent_bg_color; border-radius: 2px; }",
                                   -1);
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

/* GObject */

static gboolean
first_fill_cb (GtkWidget     *widget,
               GdkFrameClock *clock,
               gpointer       user_data)
{
  CrmPipelineView *self = CRM_PIPELINE_VIEW (widget);

  self->first_fill_tick = 0;
  crm_pipeline_view_reload (self);
  return G_SOURCE_REMOVE;
}

static void
crm_pipeline_view_map (GtkWidget *widget)
{
  CrmPipelineView *self = CRM_PIPELINE_VIEW (widget);

  GTK_WIDGET_CLASS (crm_pipeline_view_parent_class)->map (widget);
  /* The cards come at the first frame: a list that gets thousands of
   * items before it knows its height makes rows for far more than it
   * shows. */
  if (self->dirty && self->first_fill_tick == 0)
    self->first_fill_tick = gtk_widget_add_tick_callback (widget, first_fill_cb, NULL, NULL);
}

static void
crm_pipeline_view_constructed (GObject *object)
{
  CrmPipelineView *self = CRM_PIPELINE_VIEW (object);

  G_OBJECT_CLASS (crm_pipeline_view_parent_class)->constructed (object);

  g_signal_connect_object (self->store, "changed", G_CALLBACK (on_store_changed), self, 0);
  self->base_currency = crm_base_currency (self->store);
  load_tags (self);
  load_custom_controls (self);
  /* Read now for the headers, but fill the columns once shown. */
  self->dirty = TRUE;
}

static void
crm_pipeline_view_dispose (GObject *object)
{
  CrmPipelineView *self = CRM_PIPELINE_VIEW (object);

  g_clear_handle_id (&self->reload_source, g_source_remove);
  g_clear_handle_id (&self->board_scroll_source, g_source_remove);
  if (self->first_fill_tick != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->first_fill_tick);
      self->first_fill_tick = 0;
    }
  if (self->focus_tick != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->focus_tick);
      self->focus_tick = 0;
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_PIPELINE_VIEW);
  g_clear_pointer (&self->columns, g_ptr_array_unref);
  g_clear_pointer (&self->undo, crm_deal_move_undo_free);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->owners);
  g_clear_object (&self->tags);

  G_OBJECT_CLASS (crm_pipeline_view_parent_class)->dispose (object);
}

static void
crm_pipeline_view_finalize (GObject *object)
{
  CrmPipelineView *self = CRM_PIPELINE_VIEW (object);

  crm_board_filter_clear (&self->filter);
  g_clear_pointer (&self->pipeline_ids, g_ptr_array_unref);
  g_clear_pointer (&self->tag_ids, g_array_unref);
  g_clear_pointer (&self->custom_controls, g_ptr_array_unref);
  g_free (self->base_currency);

  G_OBJECT_CLASS (crm_pipeline_view_parent_class)->finalize (object);
}

static void
crm_pipeline_view_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CrmPipelineView *self = CRM_PIPELINE_VIEW (object);

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
crm_pipeline_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CrmPipelineView *self = CRM_PIPELINE_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
add_move_shortcut (GtkShortcutController *controller,
                   const char            *accelerators,
                   const char            *action)
{
  gtk_shortcut_controller_add_shortcut (controller,
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string (accelerators),
                                                          gtk_named_action_new (action)));
}

static void
crm_pipeline_view_class_init (CrmPipelineViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = crm_pipeline_view_constructed;
  object_class->dispose = crm_pipeline_view_dispose;
  object_class->finalize = crm_pipeline_view_finalize;
  object_class->set_property = crm_pipeline_view_set_property;
  object_class->get_property = crm_pipeline_view_get_property;
  widget_class->map = crm_pipeline_view_map;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, CRM_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/crm-pipeline-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmPipelineView, pipeline_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CrmPipelineView, filter_label);
  gtk_widget_class_bind_template_child (widget_class, CrmPipelineView, filter_button);
  gtk_widget_class_bind_template_child (widget_class, CrmPipelineView, filter_grid);
  gtk_widget_class_bind_template_child (widget_class, CrmPipelineView, stack);
  gtk_widget_class_bind_template_child (widget_class, CrmPipelineView, board_scroller);
  gtk_widget_class_bind_template_child (widget_class, CrmPipelineView, columns_box);
  gtk_widget_class_bind_template_child (widget_class, CrmPipelineView, error_page);
  gtk_widget_class_bind_template_child (widget_class, CrmPipelineView, open_label);
  gtk_widget_class_bind_template_child (widget_class, CrmPipelineView, weighted_label);
  gtk_widget_class_bind_template_child (widget_class, CrmPipelineView, idle_label);
  gtk_widget_class_bind_template_child (widget_class, CrmPipelineView, unconverted_label);
  gtk_widget_class_bind_template_child (widget_class, CrmPipelineView, owner_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CrmPipelineView, period_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CrmPipelineView, min_entry);
  gtk_widget_class_bind_template_child (widget_class, CrmPipelineView, max_entry);
  gtk_widget_class_bind_template_child (widget_class, CrmPipelineView, tag_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CrmPipelineView, idle_check);
  /* Bound without a field, so that tests can press it. */
  gtk_widget_class_bind_template_child_full (widget_class, "clear_button", FALSE, 0);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_clear_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_pipeline_selected);

  gtk_widget_class_install_action (widget_class, "board.new-deal", NULL, new_deal_activated);
  gtk_widget_class_install_action (widget_class, "board.edit", "x", edit_activated);
  gtk_widget_class_install_action (widget_class, "board.move-left", NULL, move_activated);
  gtk_widget_class_install_action (widget_class, "board.move-right", NULL, move_activated);
  gtk_widget_class_install_action (widget_class, "board.move-up", NULL, move_activated);
  gtk_widget_class_install_action (widget_class, "board.move-down", NULL, move_activated);
  gtk_widget_class_install_action (widget_class, "board.move-to", "(xx)", move_to_activated);
  gtk_widget_class_install_action (widget_class, "board.menu", NULL, menu_activated);
  gtk_widget_class_install_action (widget_class, "board.undo", NULL, undo_activated);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "board.new-deal", NULL);

  gtk_widget_class_set_css_name (widget_class, "pipelineview");
}

static void
crm_pipeline_view_init (CrmPipelineView *self)
{
  GtkEventController *controller;
  GtkDropControllerMotion *motion;

  ensure_css ();
  gtk_widget_init_template (GTK_WIDGET (self));

  crm_board_filter_init (&self->filter);
  self->pipeline_ids = g_ptr_array_new_with_free_func (g_free);
  self->tag_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->custom_controls = g_ptr_array_new_with_free_func ((GDestroyNotify) custom_control_free);
  self->owners = gtk_string_list_new (NULL);
  gtk_string_list_append (self->owners, _("Any owner"));
  gtk_drop_down_set_model (self->owner_dropdown, G_LIST_MODEL (self->owners));
  self->tags = gtk_string_list_new (NULL);
  gtk_string_list_append (self->tags, _("Any tag"));
  gtk_drop_down_set_model (self->tag_dropdown, G_LIST_MODEL (self->tags));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "board.undo", FALSE);

  /* In the capture phase, so that the lists' own Ctrl+Shift+arrow
   * bindings do not take the moves first. */
  controller = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  add_move_shortcut (GTK_SHORTCUT_CONTROLLER (controller), "<Alt>Left|<Control><Shift>Left",
                     "board.move-left");
  add_move_shortcut (GTK_SHORTCUT_CONTROLLER (controller), "<Alt>Right|<Control><Shift>Right",
                     "board.move-right");
  add_move_shortcut (GTK_SHORTCUT_CONTROLLER (controller), "<Alt>Up", "board.move-up");
  add_move_shortcut (GTK_SHORTCUT_CONTROLLER (controller), "<Alt>Down", "board.move-down");
  add_move_shortcut (GTK_SHORTCUT_CONTROLLER (controller), "Menu|<Shift>F10", "board.menu");
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  motion = GTK_DROP_CONTROLLER_MOTION (gtk_drop_controller_motion_new ());
  g_signal_connect (motion, "motion", G_CALLBACK (on_board_drag_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_board_drag_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self->board_scroller), GTK_EVENT_CONTROLLER (motion));
}

/* Public API */

CrmPipelineView *
crm_pipeline_view_new (CrmStore  *store,
                       GSettings *settings)
{
  g_return_val_if_fail (CRM_IS_STORE (store), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (CRM_TYPE_PIPELINE_VIEW, "store", store, "settings", settings, NULL);
}

GtkListView *
crm_pipeline_view_get_list_view (CrmPipelineView *self,
                                 gint64           stage_id)
{
  Column *column;

  g_return_val_if_fail (CRM_IS_PIPELINE_VIEW (self), NULL);

  column = find_column (self, stage_id, NULL);
  return column != NULL ? column->list_view : NULL;
}

GtkDropTarget *
crm_pipeline_view_get_drop_target (CrmPipelineView *self,
                                   gint64           stage_id)
{
  Column *column;

  g_return_val_if_fail (CRM_IS_PIPELINE_VIEW (self), NULL);

  column = find_column (self, stage_id, NULL);
  return column != NULL ? column->drop_target : NULL;
}

char *
crm_pipeline_view_dup_header (CrmPipelineView *self,
                              gint64           stage_id)
{
  Column *column;

  g_return_val_if_fail (CRM_IS_PIPELINE_VIEW (self), NULL);

  column = find_column (self, stage_id, NULL);
  if (column == NULL)
    return NULL;

  return g_strdup_printf ("%s\n%s\n%s", gtk_label_get_text (column->count_label),
                          gtk_label_get_text (column->total_label),
                          gtk_label_get_text (column->weighted_label));
}

char *
crm_pipeline_view_dup_summary (CrmPipelineView *self)
{
  g_return_val_if_fail (CRM_IS_PIPELINE_VIEW (self), NULL);

  return g_strdup_printf ("%s\n%s\n%s", gtk_label_get_text (self->open_label),
                          gtk_label_get_text (self->weighted_label),
                          gtk_label_get_text (self->idle_label));
}

gint64
crm_pipeline_view_get_focused_deal (CrmPipelineView *self)
{
  CrmDealCardRow *card;

  g_return_val_if_fail (CRM_IS_PIPELINE_VIEW (self), 0);

  card = focused_card (self);
  if (card == NULL || crm_deal_card_row_get_item (card) == NULL)
    return 0;
  return crm_deal_item_get_id (crm_deal_card_row_get_item (card));
}

gboolean
crm_pipeline_view_focus_deal (CrmPipelineView *self,
                              gint64           deal_id)
{
  guint position;

  g_return_val_if_fail (CRM_IS_PIPELINE_VIEW (self), FALSE);

  if (find_deal (self, deal_id, &position) == NULL)
    return FALSE;

  self->focus_deal_id = deal_id;
  focus_pending_deal (self);
  return TRUE;
}

/* Measuring */

gboolean
crm_pipeline_view_measure_scroll (CrmPipelineView *self,
                                  gint64           stage_id,
                                  guint            n_frames,
                                  double           pixels_per_frame,
                                  double          *worst_frame_ms,
                                  double          *mean_frame_ms)
{
  Column *column;

  g_return_val_if_fail (CRM_IS_PIPELINE_VIEW (self), FALSE);

  column = find_column (self, stage_id, NULL);
  if (column == NULL)
    return FALSE;

  return crm_measure_scroll (column->scroller, n_frames, pixels_per_frame, worst_frame_ms,
                             mean_frame_ms);
}
