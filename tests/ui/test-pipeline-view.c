/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "crm-deal.h"
#include "crm-deal-card.h"
#include "crm-deal-editor.h"
#include "crm-fields.h"
#include "crm-key.h"
#include "crm-pipeline.h"
#include "crm-pipeline-view.h"
#include "crm-test-util.h"

typedef struct
{
  char            *dir;
  CrmStore        *store;
  GSettings       *settings;
  GtkWindow       *window;
  CrmPipelineView *view;
  gint64           stages[6];   /* New lead, Qualified, Proposal sent, Negotiation, Won, Lost */
} Fixture;

enum { NEW_LEAD, QUALIFIED, PROPOSAL, NEGOTIATION, WON, LOST };

/* Runs the main loop until @condition holds or five seconds have passed. */
#define WAIT_FOR(condition) CRM_TEST_WAIT_FOR_MS (condition, 5000)

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) key = crm_key_generate (&error);
  g_autoptr (CrmPipeline) pipeline = NULL;
  g_autofree char *workspace = NULL;

  g_assert_no_error (error);
  f->dir = crm_test_make_dir ();
  workspace = g_build_filename (f->dir, "workspace", NULL);
  f->store = crm_store_create (workspace, key, &error);
  g_assert_no_error (error);
  f->settings = g_settings_new (APPLICATION_ID);

  pipeline = crm_pipeline_load (f->store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pipeline->stages->len, ==, 6);
  for (guint i = 0; i < 6; i++)
    f->stages[i] = ((CrmStage *) g_ptr_array_index (pipeline->stages, i))->id;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (f->window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (f->store);
  g_clear_object (&f->settings);
  crm_test_remove_tree (f->dir);
  g_free (f->dir);
}

static gint64
add_deal (Fixture    *f,
          const char *title,
          const char *value,
          const char *currency,
          int         stage)
{
  g_autoptr (CrmDealDraft) draft = crm_deal_draft_new ();
  g_autoptr (GError) error = NULL;
  gint64 id;

  draft->title = g_strdup (title);
  draft->value = g_strdup (value);
  g_free (draft->currency);
  draft->currency = g_strdup (currency);
  draft->stage_id = f->stages[stage];
  draft->owner = g_strdup ("Lan");
  id = crm_deal_save (f->store, draft, g_get_real_time () / G_USEC_PER_SEC, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static gint64
query_int (Fixture    *f,
           const char *sql,
           gint64      param)
{
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt = crm_store_prepare (f->store, sql, &error);
  gint64 value;

  g_assert_no_error (error);
  sqlite3_bind_int64 (stmt, 1, param);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static char *
query_text (Fixture    *f,
            const char *sql,
            gint64      param)
{
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt = crm_store_prepare (f->store, sql, &error);
  char *value;

  g_assert_no_error (error);
  sqlite3_bind_int64 (stmt, 1, param);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

static void wait_for_frames (Fixture *f);

static void
show_view (Fixture *f,
           int      width,
           int      height)
{
  GtkWidget *overlay = adw_toast_overlay_new ();

  f->view = crm_pipeline_view_new (f->store, f->settings);
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), GTK_WIDGET (f->view));
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, width, height);
  gtk_window_set_child (f->window, overlay);
  gtk_window_present (f->window);

  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (f->view)));
  /* The columns fill at the first frame after the view shows. */
  wait_for_frames (f);
  g_assert_nonnull (crm_pipeline_view_get_list_view (f->view, f->stages[NEW_LEAD]));
}

static char *
header (Fixture *f,
        int      stage)
{
  return crm_pipeline_view_dup_header (f->view, f->stages[stage]);
}

#define assert_header(f, stage, expected)                        \
  G_STMT_START {                                                 \
    g_autofree char *text_ = header ((f), (stage));              \
    g_assert_cmpstr (text_, ==, (expected));                     \
  } G_STMT_END

/* The deal ids of a column, as its list shows them, "1,2,3". */
static char *
column_ids (Fixture *f,
            int      stage)
{
  GtkListView *list = crm_pipeline_view_get_list_view (f->view, f->stages[stage]);
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (list));
  GString *ids = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (GObject) item = g_list_model_get_item (model, i);
      gint64 id = 0;

      /* The items are CrmDealItem; their ids are what the board moves. */
      id = crm_deal_item_get_id ((CrmDealItem *) item);
      g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", id);
    }
  return g_string_free (ids, FALSE);
}

#define assert_ids(f, stage, expected)                           \
  G_STMT_START {                                                 \
    g_autofree char *ids_ = column_ids ((f), (stage));           \
    g_assert_cmpstr (ids_, ==, (expected));                      \
  } G_STMT_END

static char *
ids (gint64 a,
     gint64 b,
     gint64 c)
{
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, "%" G_GINT64_FORMAT, a);
  if (b > 0)
    g_string_append_printf (text, ",%" G_GINT64_FORMAT, b);
  if (c > 0)
    g_string_append_printf (text, ",%" G_GINT64_FORMAT, c);
  return g_string_free (text, FALSE);
}

/* The realised card row of @deal_id in @stage's column. */
static CrmDealCardRow *
card_row (Fixture *f,
          int      stage,
          gint64   deal_id)
{
  GtkWidget *list = GTK_WIDGET (crm_pipeline_view_get_list_view (f->view, f->stages[stage]));

  for (GtkWidget *child = gtk_widget_get_first_child (list); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *card = gtk_widget_get_first_child (child);
      CrmDealItem *item;

      if (card == NULL || !CRM_IS_DEAL_CARD_ROW (card))
        continue;
      item = crm_deal_card_row_get_item (CRM_DEAL_CARD_ROW (card));
      if (item != NULL && crm_deal_item_get_id (item) == deal_id)
        return CRM_DEAL_CARD_ROW (card);
    }
  return NULL;
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static CrmDealEditor *
find_editor (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) window = g_list_model_get_item (toplevels, i);

      if (CRM_IS_DEAL_EDITOR (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return CRM_DEAL_EDITOR (window);
    }
  return NULL;
}

static void
on_frame_painted (GdkFrameClock *clock,
                  guint         *n_painted)
{
  (*n_painted)++;
}

/* Lets the board lay its rows out, as it has by the time a pointer drags. */
static void
wait_for_frames (Fixture *f)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (f->window));
  guint n_painted = 0;
  gulong handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_frame_painted),
                                     &n_painted);

  gtk_widget_queue_draw (GTK_WIDGET (f->window));
  WAIT_FOR (n_painted >= 2);
  g_signal_handler_disconnect (clock, handler);
}

static void
drop (Fixture *f,
      int      stage,
      gint64   deal_id,
      double   y)
{
  GtkDropTarget *target = crm_pipeline_view_get_drop_target (f->view, f->stages[stage]);
  GValue value = G_VALUE_INIT;
  gboolean handled = FALSE;

  g_assert_nonnull (target);
  wait_for_frames (f);
  g_value_init (&value, G_TYPE_INT64);
  g_value_set_int64 (&value, deal_id);
  g_signal_emit_by_name (target, "drop", &value, 20.0, y, &handled);
  g_value_unset (&value);
  g_assert_true (handled);
}

static void
test_headers_and_moves (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *order = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *summary = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *entry;
  gint64 server, license, advice;

  crm_currency_set_rate (f->store, "USD", "25000", &error);
  g_assert_no_error (error);
  server = add_deal (f, "Máy chủ & lưu trữ", "12.500.000", "VND", NEW_LEAD);
  license = add_deal (f, "License", "1,000.00", "USD", NEW_LEAD);
  advice = add_deal (f, "Tư vấn", "5.000.000", "VND", QUALIFIED);
  crm_store_exec (f->store, "UPDATE deal SET expected_close = '2020-01-31' "
                            "WHERE title = 'License'", &error);
  g_assert_no_error (error);

  show_view (f, 1366, 768);

  /* The cards: value in its own currency, owner, an overdue close. */
  g_assert_nonnull (card_row (f, NEW_LEAD, server));
  g_assert_cmpstr (crm_deal_card_row_get_text (card_row (f, NEW_LEAD, server), "value"), ==,
                   "12.500.000 ₫");
  g_assert_cmpstr (crm_deal_card_row_get_text (card_row (f, NEW_LEAD, server), "owner"), ==,
                   "Lan");
  g_assert_false (crm_deal_card_row_get_overdue (card_row (f, NEW_LEAD, server)));
  g_assert_cmpstr (crm_deal_card_row_get_text (card_row (f, NEW_LEAD, license), "value"), ==,
                   "$1,000.00");
  g_assert_cmpstr (crm_deal_card_row_get_text (card_row (f, NEW_LEAD, license), "close"), ==,
                   "Closes Jan 31, 2020");
  g_assert_true (crm_deal_card_row_get_overdue (card_row (f, NEW_LEAD, license)));
  g_assert_false (crm_deal_card_row_get_idle (card_row (f, NEW_LEAD, license)));

  assert_header (f, NEW_LEAD, "2 deals\n37.500.000 ₫\nWeighted 3.750.000 ₫ (10 %)");
  assert_header (f, QUALIFIED, "1 deal\n5.000.000 ₫\nWeighted 1.250.000 ₫ (25 %)");
  assert_header (f, WON, "0 deals\n0 ₫\nWeighted 0 ₫ (100 %)");
  summary = crm_pipeline_view_dup_summary (f->view);
  g_assert_cmpstr (summary, ==, "Open 42.500.000 ₫\nWeighted 5.000.000 ₫\n0 idle deals");
  order = ids (server, license, 0);
  assert_ids (f, NEW_LEAD, order);
  g_clear_pointer (&order, g_free);

  /* The keyboard path: focus the card, move it one stage to the right. */
  g_assert_true (crm_pipeline_view_focus_deal (f->view, server));
  WAIT_FOR (crm_pipeline_view_get_focused_deal (f->view) == server);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "board.move-right", NULL));
  assert_header (f, NEW_LEAD, "1 deal\n25.000.000 ₫\nWeighted 2.500.000 ₫ (10 %)");
  assert_header (f, QUALIFIED, "2 deals\n17.500.000 ₫\nWeighted 4.375.000 ₫ (25 %)");
  order = ids (server, advice, 0);
  assert_ids (f, QUALIFIED, order);
  g_clear_pointer (&order, g_free);
  /* The focus follows the card, and the move is audited as a stage change. */
  WAIT_FOR (crm_pipeline_view_get_focused_deal (f->view) == server);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM audit_log WHERE entity = 'deal' "
                                 "AND entity_id = ?1 AND action = 'update' "
                                 "AND changes LIKE '%stage_id%'", server), ==, 1);

  /* Alt+Down: one place down within the column. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "board.move-down", NULL));
  order = ids (advice, server, 0);
  assert_ids (f, QUALIFIED, order);
  g_clear_pointer (&order, g_free);
  WAIT_FOR (crm_pipeline_view_get_focused_deal (f->view) == server);

  /* Undo takes the latest move back. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "board.undo", NULL));
  order = ids (server, advice, 0);
  assert_ids (f, QUALIFIED, order);
  g_clear_pointer (&order, g_free);

  /* The drag-and-drop path: below every card, then above the first. */
  drop (f, QUALIFIED, license, 10000);
  order = ids (server, advice, license);
  assert_ids (f, QUALIFIED, order);
  g_clear_pointer (&order, g_free);
  assert_header (f, NEW_LEAD, "0 deals\n0 ₫\nWeighted 0 ₫ (10 %)");
  assert_header (f, QUALIFIED, "3 deals\n42.500.000 ₫\nWeighted 10.625.000 ₫ (25 %)");
  drop (f, QUALIFIED, license, 1);
  order = ids (license, server, advice);
  assert_ids (f, QUALIFIED, order);
  g_clear_pointer (&order, g_free);
  drop (f, NEGOTIATION, advice, 1);
  assert_header (f, NEGOTIATION, "1 deal\n5.000.000 ₫\nWeighted 3.750.000 ₫ (75 %)");
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM audit_log WHERE entity = 'deal' "
                                 "AND entity_id = ?1 AND action = 'update' "
                                 "AND changes LIKE '%stage_id%'", advice),
                   ==, 1);

  /* A lost stage asks for the reason; Cancel leaves the deal where it was. */
  drop (f, LOST, advice, 1);
  WAIT_FOR (find_message_dialog () != NULL);
  dialog = find_message_dialog ();
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "move"));
  adw_message_dialog_response (dialog, "cancel");
  /* Its buttons close the dialog after the response; the call does not. */
  gtk_window_destroy (GTK_WINDOW (dialog));
  WAIT_FOR (find_message_dialog () == NULL);
  assert_header (f, NEGOTIATION, "1 deal\n5.000.000 ₫\nWeighted 3.750.000 ₫ (75 %)");
  assert_header (f, LOST, "0 deals\n0 ₫\nWeighted 0 ₫ (0 %)");

  /* The "Move to" menu's action, then a reason. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "board.move-to", "(xx)",
                                             advice, f->stages[LOST]));
  WAIT_FOR (find_message_dialog () != NULL);
  dialog = find_message_dialog ();
  entry = adw_message_dialog_get_extra_child (dialog);
  gtk_editable_set_text (GTK_EDITABLE (entry), "  ");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "move"));
  gtk_editable_set_text (GTK_EDITABLE (entry), "Giá cao hơn đối thủ");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "move"));
  adw_message_dialog_response (dialog, "move");
  gtk_window_destroy (GTK_WINDOW (dialog));
  WAIT_FOR (find_message_dialog () == NULL);
  assert_header (f, LOST, "1 deal\n5.000.000 ₫\nWeighted 0 ₫ (0 %)");
  assert_header (f, NEGOTIATION, "0 deals\n0 ₫\nWeighted 0 ₫ (75 %)");
  reason = query_text (f, "SELECT status || ':' || lost_reason FROM deal WHERE id = ?1", advice);
  g_assert_cmpstr (reason, ==, "lost:Giá cao hơn đối thủ");
  g_assert_cmpint (query_int (f, "SELECT closed IS NOT NULL FROM deal WHERE id = ?1", advice),
                   ==, 1);

  /* Undo restores the deal as it was, open in Negotiation. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "board.undo", NULL));
  assert_header (f, NEGOTIATION, "1 deal\n5.000.000 ₫\nWeighted 3.750.000 ₫ (75 %)");
  assert_header (f, LOST, "0 deals\n0 ₫\nWeighted 0 ₫ (0 %)");
  g_clear_pointer (&reason, g_free);
  reason = query_text (f, "SELECT status FROM deal WHERE id = ?1", advice);
  g_assert_cmpstr (reason, ==, "open");

  /* Won needs no reason and records the close. */
  drop (f, WON, server, 1);
  g_assert_null (find_message_dialog ());
  assert_header (f, WON, "1 deal\n12.500.000 ₫\nWeighted 12.500.000 ₫ (100 %)");
  g_assert_cmpint (query_int (f, "SELECT closed IS NOT NULL FROM deal WHERE id = ?1", server),
                   ==, 1);

  /* Moving past the last stage is refused without a change. */
  g_assert_true (crm_pipeline_view_focus_deal (f->view, advice));
  WAIT_FOR (crm_pipeline_view_get_focused_deal (f->view) == advice);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "board.move-up", NULL));
  assert_header (f, NEGOTIATION, "1 deal\n5.000.000 ₫\nWeighted 3.750.000 ₫ (75 %)");
}

static void
test_store_changes (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *summary = NULL;

  show_view (f, 1366, 768);
  assert_header (f, NEW_LEAD, "0 deals\n0 ₫\nWeighted 0 ₫ (10 %)");

  /* A deal added elsewhere shows at the next idle. */
  add_deal (f, "Hợp đồng bảo trì", "100", "USD", NEW_LEAD);
  WAIT_FOR (({ g_autofree char *h = header (f, NEW_LEAD);
               g_str_has_prefix (h, "1 deal\n"); }));
  /* No rate yet: left out of the totals, and said so. */
  assert_header (f, NEW_LEAD, "1 deal\n0 ₫\nWeighted 0 ₫ (10 %)");

  crm_currency_set_rate (f->store, "USD", "26000", &error);
  g_assert_no_error (error);
  WAIT_FOR (({ g_autofree char *h = header (f, NEW_LEAD);
               g_strcmp0 (h, "1 deal\n2.600.000 ₫\nWeighted 260.000 ₫ (10 %)") == 0; }));
  summary = crm_pipeline_view_dup_summary (f->view);
  g_assert_cmpstr (summary, ==, "Open 2.600.000 ₫\nWeighted 260.000 ₫\n0 idle deals");
}

static void
test_new_deal (Fixture       *f,
               gconstpointer  data)
{
  CrmDealEditor *editor;
  GtkWidget *title_row, *value_row;

  show_view (f, 1366, 768);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "board.new-deal", NULL));
  WAIT_FOR (find_editor () != NULL);
  editor = find_editor ();
  title_row = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (editor), CRM_TYPE_DEAL_EDITOR,
                                             "title_row");
  value_row = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (editor), CRM_TYPE_DEAL_EDITOR,
                                             "value_row");

  /* A blank title and a bad amount stay in the editor, marked. */
  gtk_editable_set_text (GTK_EDITABLE (value_row), "12 triệu");
  g_assert_false (crm_deal_editor_save (editor));
  g_assert_true (gtk_widget_has_css_class (title_row, "error"));
  g_assert_true (gtk_widget_has_css_class (value_row, "error"));
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM deal WHERE id > ?1", 0), ==, 0);

  gtk_editable_set_text (GTK_EDITABLE (title_row), "Phần mềm CRM");
  gtk_editable_set_text (GTK_EDITABLE (value_row), "12.500.000");
  g_assert_true (crm_deal_editor_save (editor));
  WAIT_FOR (find_editor () == NULL);
  assert_header (f, NEW_LEAD, "1 deal\n12.500.000 ₫\nWeighted 1.250.000 ₫ (10 %)");
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM audit_log WHERE entity = 'deal' "
                                 "AND action = 'insert' AND entity_id > ?1", 0), ==, 1);
}

static void
test_filter (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *summary = NULL;
  GtkDropDown *owners;
  GListModel *model;
  guint minh = GTK_INVALID_LIST_POSITION;

  add_deal (f, "Một", "1.000.000", "VND", NEW_LEAD);
  add_deal (f, "Hai", "2.000.000", "VND", NEW_LEAD);
  crm_store_exec (f->store, "UPDATE deal SET owner = 'Minh' WHERE title = 'Hai'", &error);
  g_assert_no_error (error);
  show_view (f, 1366, 768);
  assert_header (f, NEW_LEAD, "2 deals\n3.000.000 ₫\nWeighted 300.000 ₫ (10 %)");

  /* The owners seen on the board are offered in the filter. */
  owners = GTK_DROP_DOWN (gtk_widget_get_template_child (GTK_WIDGET (f->view),
                                                         CRM_TYPE_PIPELINE_VIEW,
                                                         "owner_dropdown"));
  model = gtk_drop_down_get_model (owners);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (gtk_string_object_get_string (item), "Minh") == 0)
        minh = i;
    }
  g_assert_cmpuint (minh, !=, GTK_INVALID_LIST_POSITION);
  gtk_drop_down_set_selected (owners, minh);
  assert_header (f, NEW_LEAD, "1 deal\n2.000.000 ₫\nWeighted 200.000 ₫ (10 %)");
  summary = crm_pipeline_view_dup_summary (f->view);
  g_assert_cmpstr (summary, ==, "Open 2.000.000 ₫\nWeighted 200.000 ₫\n0 idle deals");

  /* Idle only: none has sat long enough. */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (gtk_widget_get_template_child (
                                 GTK_WIDGET (f->view), CRM_TYPE_PIPELINE_VIEW, "idle_check")),
                               TRUE);
  assert_header (f, NEW_LEAD, "0 deals\n0 ₫\nWeighted 0 ₫ (10 %)");

  /* A bad bound is marked and left out. */
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (
                           GTK_WIDGET (f->view), CRM_TYPE_PIPELINE_VIEW, "min_entry")),
                         "abc");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (gtk_widget_get_template_child (
                   GTK_WIDGET (f->view), CRM_TYPE_PIPELINE_VIEW, "min_entry")), "error"));

  g_signal_emit_by_name (gtk_widget_get_template_child (GTK_WIDGET (f->view),
                                                        CRM_TYPE_PIPELINE_VIEW, "clear_button"),
                         "clicked");
  assert_header (f, NEW_LEAD, "2 deals\n3.000.000 ₫\nWeighted 300.000 ₫ (10 %)");
}

/* The filter grid's widget with this name (a custom field's control is
 * "custom-KEY", its second entry "custom-KEY-to"). */
static GtkWidget *
find_named (GtkWidget  *parent,
            const char *name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (parent);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (g_strcmp0 (gtk_widget_get_name (child), name) == 0)
        return child;
      if ((found = find_named (child, name)) != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
custom_control (Fixture *f,
                gint64   field_id,
                gboolean to)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmCustomField) field = crm_custom_field_load (f->store, field_id, &error);
  g_autofree char *name = NULL;

  g_assert_no_error (error);
  name = g_strdup_printf ("custom-%s%s", field->key, to ? "-to" : "");
  return find_named (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (f->view),
                                                                CRM_TYPE_PIPELINE_VIEW,
                                                                "filter_grid")),
                     name);
}

static void
set_custom (Fixture    *f,
            gint64      field_id,
            gint64      deal_id,
            const char *value)
{
  g_autoptr (CrmDealDraft) draft = NULL;
  g_autoptr (CrmCustomField) field = NULL;
  g_autoptr (GError) error = NULL;

  field = crm_custom_field_load (f->store, field_id, &error);
  g_assert_no_error (error);
  draft = crm_deal_draft_load (f->store, deal_id, &error);
  g_assert_no_error (error);
  crm_deal_draft_set_custom (draft, field->key, value);
  crm_deal_save (f->store, draft, g_get_real_time () / G_USEC_PER_SEC, NULL, &error);
  g_assert_no_error (error);
}

/* One row per deal custom field in the filter popover; each keeps only
 * the deals that match, and the headers follow. */
static void
test_custom_filter (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  const char *const plans[] = { "Cơ bản", "Doanh nghiệp", NULL };
  GtkLabel *filter_label;
  gint64 source, users, signed_on, vat, plan, later, one, two;

  source = crm_custom_field_create (f->store, CRM_FIELD_ENTITY_DEAL, "Nguồn vốn",
                                    CRM_FIELD_TYPE_TEXT, NULL, &error);
  users = crm_custom_field_create (f->store, CRM_FIELD_ENTITY_DEAL, "Số người dùng",
                                   CRM_FIELD_TYPE_NUMBER, NULL, &error);
  signed_on = crm_custom_field_create (f->store, CRM_FIELD_ENTITY_DEAL, "Ngày ký",
                                       CRM_FIELD_TYPE_DATE, NULL, &error);
  vat = crm_custom_field_create (f->store, CRM_FIELD_ENTITY_DEAL, "Có VAT",
                                 CRM_FIELD_TYPE_BOOL, NULL, &error);
  plan = crm_custom_field_create (f->store, CRM_FIELD_ENTITY_DEAL, "Gói",
                                  CRM_FIELD_TYPE_CHOICE, plans, &error);
  g_assert_no_error (error);
  one = add_deal (f, "Một", "1.000.000", "VND", NEW_LEAD);
  two = add_deal (f, "Hai", "2.000.000", "VND", NEW_LEAD);
  set_custom (f, source, one, "Ngân sách Đà Nẵng");
  set_custom (f, users, one, "25");
  set_custom (f, signed_on, one, "2026-06-30");
  set_custom (f, vat, one, "1");
  set_custom (f, plan, two, "Doanh nghiệp");
  set_custom (f, users, two, "5");
  show_view (f, 1366, 768);
  filter_label = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (f->view),
                                                           CRM_TYPE_PIPELINE_VIEW, "filter_label"));
  assert_header (f, NEW_LEAD, "2 deals\n3.000.000 ₫\nWeighted 300.000 ₫ (10 %)");

  /* Text contains, without accents */
  gtk_editable_set_text (GTK_EDITABLE (custom_control (f, source, FALSE)), "da nang");
  assert_header (f, NEW_LEAD, "1 deal\n1.000.000 ₫\nWeighted 100.000 ₫ (10 %)");
  g_assert_cmpstr (gtk_label_get_text (filter_label), ==, "Filtered: Nguồn vốn");
  gtk_editable_set_text (GTK_EDITABLE (custom_control (f, source, FALSE)), "");
  assert_header (f, NEW_LEAD, "2 deals\n3.000.000 ₫\nWeighted 300.000 ₫ (10 %)");

  /* A number range; a bad number is marked and left out */
  gtk_editable_set_text (GTK_EDITABLE (custom_control (f, users, TRUE)), "10");
  assert_header (f, NEW_LEAD, "1 deal\n2.000.000 ₫\nWeighted 200.000 ₫ (10 %)");
  gtk_editable_set_text (GTK_EDITABLE (custom_control (f, users, FALSE)), "abc");
  g_assert_true (gtk_widget_has_css_class (custom_control (f, users, FALSE), "error"));
  assert_header (f, NEW_LEAD, "1 deal\n2.000.000 ₫\nWeighted 200.000 ₫ (10 %)");
  gtk_editable_set_text (GTK_EDITABLE (custom_control (f, users, FALSE)), "");
  gtk_editable_set_text (GTK_EDITABLE (custom_control (f, users, TRUE)), "");
  g_assert_false (gtk_widget_has_css_class (custom_control (f, users, FALSE), "error"));

  /* Dates as the user writes them: after 01/06/2026 */
  gtk_editable_set_text (GTK_EDITABLE (custom_control (f, signed_on, FALSE)), "01/06/2026");
  assert_header (f, NEW_LEAD, "1 deal\n1.000.000 ₫\nWeighted 100.000 ₫ (10 %)");
  gtk_editable_set_text (GTK_EDITABLE (custom_control (f, signed_on, TRUE)), "31/05/2026");
  assert_header (f, NEW_LEAD, "0 deals\n0 ₫\nWeighted 0 ₫ (10 %)");
  gtk_editable_set_text (GTK_EDITABLE (custom_control (f, signed_on, TRUE)), "");
  gtk_editable_set_text (GTK_EDITABLE (custom_control (f, signed_on, FALSE)), "");

  /* Yes / no: "No" takes the deal without a value */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (custom_control (f, vat, FALSE)), 2);
  assert_header (f, NEW_LEAD, "1 deal\n2.000.000 ₫\nWeighted 200.000 ₫ (10 %)");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (custom_control (f, vat, FALSE)), 0);

  /* A choice, then the Clear button */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (custom_control (f, plan, FALSE)), 2);
  assert_header (f, NEW_LEAD, "1 deal\n2.000.000 ₫\nWeighted 200.000 ₫ (10 %)");
  g_signal_emit_by_name (gtk_widget_get_template_child (GTK_WIDGET (f->view),
                                                        CRM_TYPE_PIPELINE_VIEW, "clear_button"),
                         "clicked");
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (custom_control (f, plan, FALSE))),
                    ==, 0);
  assert_header (f, NEW_LEAD, "2 deals\n3.000.000 ₫\nWeighted 300.000 ₫ (10 %)");
  g_assert_cmpstr (gtk_label_get_text (filter_label), ==, "");

  /* A field made in Preferences gets its row at once */
  later = crm_custom_field_create (f->store, CRM_FIELD_ENTITY_DEAL, "Khu vực",
                                   CRM_FIELD_TYPE_TEXT, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (custom_control (f, later, FALSE));
  g_assert_nonnull (custom_control (f, source, FALSE));
}

static gboolean
painted (gpointer user_data)
{
  return *(gboolean *) user_data;
}

static void
on_after_paint (GdkFrameClock *clock,
                gboolean      *done)
{
  *done = TRUE;
}


static void
test_large_board (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *first = NULL;
  gboolean done = FALSE;
  GtkWidget *overlay, *stack;
  GdkFrameClock *clock;
  gint64 started, shown;
  double worst = 0, mean = 0, fling_worst = 0, fling_mean = 0;

  /* 10,000 open deals: 3,000 in the first column, the rest spread. */
  sql = g_strdup_printf ("WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n "
                         "WHERE i < 9999) "
                         "INSERT INTO deal (title, stage_id, value, currency, owner, position, "
                         "expected_close) "
                         "SELECT 'Deal ' || i, CASE WHEN i < 3000 THEN %" G_GINT64_FORMAT
                         " ELSE %" G_GINT64_FORMAT " + (i %% 3) END, (i + 1) * 100000, 'VND', "
                         "'Owner ' || (i %% 7), i, '2026-12-01' FROM n",
                         f->stages[NEW_LEAD], f->stages[QUALIFIED]);
  crm_store_exec (f->store, sql, &error);
  g_assert_no_error (error);

  /* The window shows another page first, as the main window does, so
   * that fonts and styles are loaded before the switch. */
  stack = gtk_stack_new ();
  gtk_stack_add_named (GTK_STACK (stack), gtk_label_new ("Liên hệ 12.500.000 ₫"), "contacts");
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1366, 768);
  gtk_window_set_child (f->window, stack);
  gtk_window_present (f->window);
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (f->window)));
  wait_for_frames (f);

  /* From making the view and switching to it to its first painted frame. */
  started = g_get_monotonic_time ();
  overlay = adw_toast_overlay_new ();
  f->view = crm_pipeline_view_new (f->store, f->settings);
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), GTK_WIDGET (f->view));
  gtk_stack_add_named (GTK_STACK (stack), overlay, "pipeline");
  gtk_stack_set_visible_child_name (GTK_STACK (stack), "pipeline");
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (f->window));
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &done);
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (f->view)) && painted (&done));
  shown = g_get_monotonic_time ();
  g_signal_handlers_disconnect_by_func (clock, on_after_paint, &done);

  first = header (f, NEW_LEAD);
  g_assert_true (g_str_has_prefix (first, "3,000 deals\n") || g_str_has_prefix (first, "3000 deals\n"));
  g_assert_cmpint (shown, >, started);

  /* A short scroll, 40 px a frame, and a short fling through the whole
   * column, every row new: enough to check that measuring works. */
  g_assert_true (crm_pipeline_view_measure_scroll (f->view, f->stages[NEW_LEAD], 30, 40, &worst,
                                                   &mean));
  g_assert_true (crm_pipeline_view_measure_scroll (f->view, f->stages[NEW_LEAD], 20, 0,
                                                   &fling_worst, &fling_mean));

  g_assert_cmpfloat (worst, >, 0);
  g_assert_cmpfloat (mean, <=, worst);
  g_assert_cmpfloat (fling_worst, >, 0);
  g_assert_cmpfloat (fling_mean, <=, fling_worst);
  /* The figures themselves are the benchmark's (tests/ui/bench-pipeline-view.c,
   * `build-aux/dev.sh bench`), measured in a release build: a unit test
   * only checks that the large board shows and that measuring works. */
}

#define ADD_TEST(path, func) \
  g_test_add ((path), Fixture, NULL, fixture_set_up, (func), fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_init ();
  adw_init ();

  ADD_TEST ("/pipeline-view/headers-and-moves", test_headers_and_moves);
  ADD_TEST ("/pipeline-view/store-changes", test_store_changes);
  ADD_TEST ("/pipeline-view/new-deal", test_new_deal);
  ADD_TEST ("/pipeline-view/filter", test_filter);
  ADD_TEST ("/pipeline-view/custom-filter", test_custom_filter);
  ADD_TEST ("/pipeline-view/large-board", test_large_board);

  return g_test_run ();
}
