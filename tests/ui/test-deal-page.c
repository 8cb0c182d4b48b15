/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "crm-deal.h"
#include "crm-deal-editor.h"
#include "crm-deal-page.h"
#include "crm-fields.h"
#include "crm-format.h"
#include "crm-key.h"
#include "crm-pipeline.h"
#include "crm-pipeline-view.h"
#include "crm-test-util.h"

#define DAY (24 * 60 * 60)

/* Audit and interaction times, UTC: 2026-05-01 08:00, 05-02 09:15,
 * 05-03 10:30. */
#define T_CREATED   G_GINT64_CONSTANT (1777622400)
#define T_QUALIFIED G_GINT64_CONSTANT (1777713300)
#define T_PROPOSAL  G_GINT64_CONSTANT (1777804200)
/* 2100-01-01 00:00 and 2026-01-01 00:00 UTC */
#define T_FUTURE    G_GINT64_CONSTANT (4102444800)
#define T_PAST      G_GINT64_CONSTANT (1767225600)

enum { NEW_LEAD, QUALIFIED, PROPOSAL, NEGOTIATION, WON, LOST };

typedef struct
{
  char        *dir;
  CrmStore    *store;
  gint64       stages[6];
  gint64       contact_id;
  gint64       company_id;
  gint64       deal_id;
  gint64       now;
  CrmDealPage *page;
  GPtrArray   *opened;      /* "open-contact 12" */
} Fixture;

/* Runs the main loop until @condition holds or five seconds have passed. */
#define WAIT_FOR(condition) CRM_TEST_WAIT_FOR_MS (condition, 5000)

static void
exec (Fixture    *f,
      const char *sql)
{
  g_autoptr (GError) error = NULL;

  crm_store_exec (f->store, sql, &error);
  g_assert_no_error (error);
}

static void
execf (Fixture    *f,
       const char *format,
       ...) G_GNUC_PRINTF (2, 3);

static void
execf (Fixture    *f,
       const char *format,
       ...)
{
  g_autofree char *sql = NULL;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  exec (f, sql);
}

static gint64
query_int (Fixture    *f,
           const char *sql)
{
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt = crm_store_prepare (f->store, sql, &error);
  gint64 value;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static gint64
save_deal (Fixture    *f,
           const char *title,
           gboolean    with_parties)
{
  g_autoptr (CrmDealDraft) draft = crm_deal_draft_new ();
  g_autoptr (GError) error = NULL;
  gint64 id;

  draft->title = g_strdup (title);
  draft->value = g_strdup ("12.500.000");
  draft->stage_id = f->stages[NEW_LEAD];
  draft->owner = g_strdup ("Lan");
  if (with_parties)
    {
      draft->notes = g_strdup ("Cần báo giá trước thứ Sáu");
      draft->expected_close = g_strdup ("2026-06-30");
      draft->contact_id = f->contact_id;
      draft->company_id = f->company_id;
    }
  id = crm_deal_save (f->store, draft, f->now - 40 * DAY, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static void
move (Fixture *f,
      gint64   deal_id,
      int      stage,
      gint64   now)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (crm_deal_move (f->store, deal_id, f->stages[stage], 0, NULL, now, NULL, &error));
  g_assert_no_error (error);
}

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
  f->opened = g_ptr_array_new_with_free_func (g_free);
  f->now = g_get_real_time () / G_USEC_PER_SEC;

  pipeline = crm_pipeline_load (f->store, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 6; i++)
    f->stages[i] = ((CrmStage *) g_ptr_array_index (pipeline->stages, i))->id;

  exec (f, "INSERT INTO company (name) VALUES ('Công ty TNHH Hoa Sen')");
  f->company_id = query_int (f, "SELECT max(id) FROM company");
  exec (f, "INSERT INTO contact (display_name) VALUES ('Nguyễn Văn Đức'), ('Trần Thị Mai')");
  f->contact_id = query_int (f, "SELECT min(id) FROM contact");

  /* Made forty days ago, qualified, then sent a proposal thirty days ago:
   * idle in Proposal sent (14 days), and past its close date. The audit
   * log's times and second user are set to known values. */
  f->deal_id = save_deal (f, "Phần mềm CRM cho Hoa Sen", TRUE);
  move (f, f->deal_id, QUALIFIED, f->now - 35 * DAY);
  move (f, f->deal_id, PROPOSAL, f->now - 30 * DAY);
  execf (f, "UPDATE audit_log SET at = CASE action WHEN 'insert' THEN %1$lld "
            "ELSE CASE WHEN json_extract(changes, '$.new.stage_id') = %3$lld THEN %2$lld "
            "ELSE %4$lld END END "
            "WHERE entity = 'deal' AND entity_id = %5$lld",
         (long long) T_CREATED, (long long) T_QUALIFIED, (long long) f->stages[QUALIFIED],
         (long long) T_PROPOSAL, (long long) f->deal_id);
  execf (f, "UPDATE audit_log SET who = 'minh' WHERE entity = 'deal' AND entity_id = %lld "
            "AND json_extract(changes, '$.new.stage_id') = %lld",
         (long long) f->deal_id, (long long) f->stages[PROPOSAL]);

  execf (f, "INSERT INTO interaction (contact_id, deal_id, kind, happened, subject, body) VALUES "
            "(%1$lld, %2$lld, 'call', %3$lld, 'Gọi lần đầu', NULL), "
            "(%1$lld + 1, %2$lld, 'meeting', %4$lld, 'Họp demo', 'Khách thích báo cáo')",
         (long long) f->contact_id, (long long) f->deal_id, (long long) T_CREATED,
         (long long) T_PROPOSAL);
  execf (f, "INSERT INTO task (title, due, done, done_at, deal_id) VALUES "
            "('Gửi hợp đồng', %1$lld, 0, NULL, %3$lld), "
            "('Gọi lại', %2$lld, 0, NULL, %3$lld), "
            "('Gửi tài liệu', NULL, 1, %2$lld, %3$lld)",
         (long long) T_PAST, (long long) T_FUTURE, (long long) f->deal_id);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  while (g_list_model_get_n_items (toplevels) > 0)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, 0);

      gtk_window_destroy (window);
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (f->store);
  g_ptr_array_unref (f->opened);
  crm_test_remove_tree (f->dir);
  g_free (f->dir);
}

static void
on_open (CrmDealPage *page,
         gint64       id,
         Fixture     *f)
{
  g_ptr_array_add (f->opened, g_strdup_printf ("%s %" G_GINT64_FORMAT,
                                               g_signal_name (g_signal_get_invocation_hint (page)->signal_id),
                                               id));
}

static void
show_page (Fixture  *f,
           gboolean  with_handlers)
{
  g_autoptr (GError) error = NULL;

  f->page = crm_deal_page_new (f->store, f->deal_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->page);
  if (with_handlers)
    {
      g_signal_connect (f->page, "open-contact", G_CALLBACK (on_open), f);
      g_signal_connect (f->page, "open-company", G_CALLBACK (on_open), f);
    }
  gtk_window_present (GTK_WINDOW (f->page));
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (f->page)));
}

static gpointer
page_child (Fixture    *f,
            const char *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (f->page), CRM_TYPE_DEAL_PAGE, name);
}

static const char *
label_text (Fixture    *f,
            const char *name)
{
  return gtk_label_get_text (page_child (f, name));
}

/* The visible rows of a list as "title | subtitle", and " [suffix]" when
 * a row shows one; NULL-terminated. */
static GStrv
rows_of (Fixture    *f,
         const char *list_name)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  for (GtkWidget *row = gtk_widget_get_first_child (page_child (f, list_name));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      g_autoptr (GString) text = NULL;
      GtkWidget *suffix;

      if (!ADW_IS_ACTION_ROW (row) || !gtk_widget_get_visible (row))
        continue;
      text = g_string_new (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
      if (*adw_action_row_get_subtitle (ADW_ACTION_ROW (row)) != '\0')
        g_string_append_printf (text, " | %s", adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
      suffix = g_object_get_data (G_OBJECT (row), "crm-suffix-label");
      if (suffix != NULL && gtk_widget_get_visible (suffix))
        g_string_append_printf (text, " [%s]", gtk_label_get_text (GTK_LABEL (suffix)));
      g_strv_builder_add (builder, text->str);
    }

  return g_strv_builder_end (builder);
}

static void
assert_rows (Fixture           *f,
             const char        *list_name,
             const char *const *expected)
{
  g_auto (GStrv) rows = rows_of (f, list_name);

  for (guint i = 0; rows[i] != NULL || expected[i] != NULL; i++)
    g_assert_cmpstr (rows[i], ==, expected[i]);
}

static GtkListBoxRow *
find_row (Fixture    *f,
          const char *list_name,
          const char *title)
{
  for (GtkWidget *row = gtk_widget_get_first_child (page_child (f, list_name));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      if (ADW_IS_ACTION_ROW (row) && gtk_widget_get_visible (row)
          && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), title) == 0)
        return GTK_LIST_BOX_ROW (row);
    }

  return NULL;
}

static gboolean
has_pill (Fixture    *f,
          const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (page_child (f, "pills_box"));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *label = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child));

      if (g_strcmp0 (gtk_label_get_text (GTK_LABEL (label)), text) == 0)
        return TRUE;
    }

  return FALSE;
}

static gpointer
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

static void
test_shows_everything (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *entered = crm_format_timestamp_date (f->now - 30 * DAY);
  g_autofree char *created = crm_format_timestamp_date (f->now - 40 * DAY);
  g_autofree char *entered_row = g_strdup_printf ("%s | In this stage since", entered);
  g_autofree char *created_row = g_strdup_printf ("%s | Created", created);
  g_autofree char *qualified_row = g_strdup_printf ("New lead → Qualified | May 2, 2026 at 09:15 · %s",
                                                    g_get_user_name ());
  g_autofree char *created_history = g_strdup_printf ("Created in New lead | May 1, 2026 at 08:00 · %s",
                                                      g_get_user_name ());
  const char *const details[] = {
    "Nguyễn Văn Đức | Contact", "Công ty TNHH Hoa Sen | Company", "Lan | Owner",
    "Cần báo giá trước thứ Sáu | Notes", entered_row, created_row, NULL,
  };
  const char *const history[] = {
    "Qualified → Proposal sent | May 3, 2026 at 10:30 · minh", qualified_row, created_history,
    NULL,
  };
  const char *const interactions[] = {
    "Họp demo | Khách thích báo cáo\nMeeting · Trần Thị Mai · May 3, 2026",
    "Gọi lần đầu | Call · Nguyễn Văn Đức · May 1, 2026",
    NULL,
  };
  const char *const tasks[] = {
    "Gửi hợp đồng | Due Jan 1, 2026 at 00:00 [Overdue]",
    "Gọi lại | Due Jan 1, 2100 at 00:00",
    "Gửi tài liệu | No due date [Done]",
    NULL,
  };
  g_autofree char *open_contact = g_strdup_printf ("open-contact %" G_GINT64_FORMAT,
                                                   f->contact_id);
  g_autofree char *open_company = g_strdup_printf ("open-company %" G_GINT64_FORMAT,
                                                   f->company_id);
  GtkListBoxRow *row;

  show_page (f, TRUE);

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (f->page)), ==, "Phần mềm CRM cho Hoa Sen");
  g_assert_cmpstr (label_text (f, "title_label"), ==, "Phần mềm CRM cho Hoa Sen");
  g_assert_cmpstr (label_text (f, "value_label"), ==, "12.500.000 ₫");
  g_assert_cmpstr (label_text (f, "stage_label"), ==, "Proposal sent · 50 %");
  g_assert_cmpstr (adw_window_title_get_subtitle (page_child (f, "window_title")), ==, "Sales");
  g_assert_cmpstr (label_text (f, "close_label"), ==, "Expected to close Jun 30, 2026, overdue");
  g_assert_true (gtk_widget_has_css_class (page_child (f, "close_label"), "error"));
  g_assert_true (has_pill (f, "Idle"));
  g_assert_false (gtk_window_get_modal (GTK_WINDOW (f->page)));

  assert_rows (f, "details_list", details);
  assert_rows (f, "history_list", history);
  assert_rows (f, "interactions_list", interactions);
  assert_rows (f, "tasks_list", tasks);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (find_row (f, "tasks_list", "Gửi tài liệu")),
                                           "dim-label"));

  /* The contact and company rows open them. */
  row = find_row (f, "details_list", "Nguyễn Văn Đức");
  g_assert_true (gtk_list_box_row_get_activatable (row));
  g_signal_emit_by_name (page_child (f, "details_list"), "row-activated", row);
  row = find_row (f, "details_list", "Công ty TNHH Hoa Sen");
  g_signal_emit_by_name (page_child (f, "details_list"), "row-activated", row);
  g_assert_cmpuint (f->opened->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (f->opened, 0), ==, open_contact);
  g_assert_cmpstr (g_ptr_array_index (f->opened, 1), ==, open_company);
  g_assert_false (gtk_list_box_row_get_activatable (find_row (f, "details_list", "Lan")));
}

/* Without a handler the contact row leads nowhere, and is not offered as
 * a row that does. A deal with nothing else says so. */
static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  const char *const details[] = { "Lan | Owner", NULL };
  const char *const interactions[] = { "No interactions yet", NULL };
  const char *const tasks[] = { "No tasks yet", NULL };
  g_auto (GStrv) history = NULL;

  f->deal_id = save_deal (f, "Máy lọc nước", FALSE);
  show_page (f, FALSE);

  {
    g_auto (GStrv) rows = rows_of (f, "details_list");

    /* Owner, then the two dates. */
    g_assert_cmpuint (g_strv_length (rows), ==, 3);
    g_assert_cmpstr (rows[0], ==, details[0]);
  }
  assert_rows (f, "interactions_list", interactions);
  assert_rows (f, "tasks_list", tasks);
  history = rows_of (f, "history_list");
  g_assert_cmpuint (g_strv_length (history), ==, 1);
  g_assert_true (g_str_has_prefix (history[0], "Created in New lead | "));
  g_assert_false (gtk_widget_get_visible (page_child (f, "close_label")));
  /* Forty days in New lead (7 idle days), and open: idle, no status. */
  g_assert_true (has_pill (f, "Idle"));
  g_assert_false (has_pill (f, "Won"));

  f->deal_id = query_int (f, "SELECT min(id) FROM deal");
  show_page (f, FALSE);
  g_assert_false (gtk_list_box_row_get_activatable (find_row (f, "details_list",
                                                              "Nguyễn Văn Đức")));
}

static void
test_edit (Fixture       *f,
           gconstpointer  data)
{
  CrmDealEditor *editor;
  GtkWidget *title_row;

  show_page (f, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "deal.edit", NULL));
  WAIT_FOR ((editor = find_toplevel (CRM_TYPE_DEAL_EDITOR)) != NULL);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (editor)) == GTK_WINDOW (f->page));

  title_row = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (editor),
                                                           CRM_TYPE_DEAL_EDITOR, "title_row");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (title_row)), ==,
                   "Phần mềm CRM cho Hoa Sen");
  gtk_editable_set_text (GTK_EDITABLE (title_row), "Phần mềm CRM, gói năm");
  g_assert_true (crm_deal_editor_save (editor));
  WAIT_FOR (find_toplevel (CRM_TYPE_DEAL_EDITOR) == NULL);
  WAIT_FOR (g_str_equal (label_text (f, "title_label"), "Phần mềm CRM, gói năm"));
  g_assert_cmpstr (crm_deal_page_get_detail (f->page)->title, ==, "Phần mềm CRM, gói năm");
}

static void
test_reloads (Fixture       *f,
              gconstpointer  data)
{
  g_auto (GStrv) history = NULL;
  CrmDealPage *page;

  show_page (f, TRUE);
  page = f->page;

  /* A move through core shows at once. */
  move (f, f->deal_id, WON, f->now);
  WAIT_FOR (g_str_equal (label_text (f, "stage_label"), "Won · 100 %"));
  history = rows_of (f, "history_list");
  g_assert_true (g_str_has_prefix (history[0], "Proposal sent → Won | "));
  g_assert_cmpuint (g_strv_length (history), ==, 4);
  g_assert_true (has_pill (f, "Won"));
  g_assert_false (has_pill (f, "Idle"));
  g_assert_cmpstr (label_text (f, "close_label"), ==, "Expected to close Jun 30, 2026");
  g_assert_false (gtk_widget_has_css_class (page_child (f, "close_label"), "error"));

  /* A renamed stage is shown by its new name everywhere. */
  {
    g_autoptr (GError) error = NULL;

    g_assert_true (crm_stage_update (f->store, f->stages[QUALIFIED], "Đã xác minh", 25, 14,
                                     &error));
    g_assert_no_error (error);
  }
  WAIT_FOR (find_row (f, "history_list", "Đã xác minh → Proposal sent") != NULL);

  /* Another deal's change is not this page's business. */
  {
    gint64 other = save_deal (f, "Deal khác", FALSE);
    const CrmDealDetail *before = crm_deal_page_get_detail (page);

    move (f, other, QUALIFIED, f->now);
    while (g_main_context_iteration (NULL, FALSE))
      ;
    g_assert_true (crm_deal_page_get_detail (page) == before);
  }

  /* Once the deal is gone, the page closes. */
  execf (f, "DELETE FROM deal WHERE id = %lld", (long long) f->deal_id);
  crm_store_emit_changed (f->store, "deal", f->deal_id);
  WAIT_FOR (find_toplevel (CRM_TYPE_DEAL_PAGE) == NULL);
}

/* A card activated on the board opens the deal's page. */
static void
test_from_board (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr (GSettings) settings = g_settings_new (APPLICATION_ID);
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  CrmPipelineView *view = crm_pipeline_view_new (f->store, settings);
  GtkListView *list;
  CrmDealPage *page;

  /* The deal sits in Proposal sent, the only column with a card. */
  gtk_window_set_default_size (window, 1366, 768);
  gtk_window_set_child (window, GTK_WIDGET (view));
  gtk_window_present (window);
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (view)));

  /* The columns fill at the first frame after the view shows. */
  WAIT_FOR ((list = crm_pipeline_view_get_list_view (view, f->stages[PROPOSAL])) != NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (list))),
                    ==, 1);

  g_signal_emit_by_name (list, "activate", 0);
  WAIT_FOR ((page = find_toplevel (CRM_TYPE_DEAL_PAGE)) != NULL);
  g_assert_cmpint (crm_deal_page_get_deal_id (page), ==, f->deal_id);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (page)) == window);
  g_assert_null (find_toplevel (CRM_TYPE_DEAL_EDITOR));
}

static gint64
add_field (Fixture      *f,
           const char   *label,
           CrmFieldType  type)
{
  g_autoptr (GError) error = NULL;
  const char *const plans[] = { "Cơ bản", "Doanh nghiệp", NULL };
  gint64 id = crm_custom_field_create (f->store, CRM_FIELD_ENTITY_DEAL, label, type,
                                       type == CRM_FIELD_TYPE_CHOICE ? plans : NULL, &error);

  g_assert_no_error (error);
  return id;
}

static char *
field_key (Fixture *f,
           gint64   id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmCustomField) field = crm_custom_field_load (f->store, id, &error);

  g_assert_no_error (error);
  return g_strdup (field->key);
}

/* Whether @path holds a whole JSON document yet: the export is written in
 * the background. */
static gboolean
holds_json (const char *path)
{
  g_autofree char *contents = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();

  return g_file_get_contents (path, &contents, NULL, NULL)
         && json_parser_load_from_data (parser, contents, -1, NULL)
         && json_parser_get_root (parser) != NULL;
}

/* The tags show as pills and the set custom fields in their group, which
 * hides while none is set; the export writes them. */
static void
test_custom_and_export (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmDealDraft) draft = NULL;
  g_autoptr (GFile) file = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *path = g_build_filename (f->dir, "deal.json", NULL);
  g_autofree char *source = NULL;
  g_autofree char *signed_on = NULL;
  g_autofree char *plan = NULL;
  g_autofree char *vat = NULL;
  g_autofree char *contents = NULL;
  const char *const custom[] = {
    "Ngân sách 2026 | Nguồn vốn", "Jun 30, 2026 | Ngày ký", "Doanh nghiệp | Gói dịch vụ",
    "Yes | Có VAT", NULL,
  };
  JsonObject *root;
  GMenuModel *menu;
  gboolean has_export = FALSE;

  source = field_key (f, add_field (f, "Nguồn vốn", CRM_FIELD_TYPE_TEXT));
  signed_on = field_key (f, add_field (f, "Ngày ký", CRM_FIELD_TYPE_DATE));
  plan = field_key (f, add_field (f, "Gói dịch vụ", CRM_FIELD_TYPE_CHOICE));
  vat = field_key (f, add_field (f, "Có VAT", CRM_FIELD_TYPE_BOOL));
  add_field (f, "Số người dùng", CRM_FIELD_TYPE_NUMBER);

  show_page (f, FALSE);
  g_assert_false (gtk_widget_get_visible (page_child (f, "custom_group")));
  g_assert_false (has_pill (f, "VIP"));

  /* The "More" menu offers the export. */
  menu = gtk_menu_button_get_menu_model (page_child (f, "more_button"));
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autoptr (GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      for (int k = 0; section != NULL && k < g_menu_model_get_n_items (section); k++)
        {
          g_autofree char *action = NULL;

          if (g_menu_model_get_item_attribute (section, k, G_MENU_ATTRIBUTE_ACTION, "s", &action)
              && g_str_equal (action, "deal.export-json"))
            has_export = TRUE;
        }
    }
  g_assert_true (has_export);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (page_child (f, "more_button")), ==, "More Actions");

  /* Saved elsewhere: the page reloads with them. */
  draft = crm_deal_draft_load (f->store, f->deal_id, &error);
  g_assert_no_error (error);
  crm_deal_draft_add_tag (draft, "VIP");
  crm_deal_draft_set_custom (draft, source, "Ngân sách 2026");
  crm_deal_draft_set_custom (draft, signed_on, "30/06/2026");
  crm_deal_draft_set_custom (draft, plan, "Doanh nghiệp");
  crm_deal_draft_set_custom (draft, vat, "1");
  crm_deal_save (f->store, draft, f->now, NULL, &error);
  g_assert_no_error (error);

  WAIT_FOR (gtk_widget_get_visible (page_child (f, "custom_group")));
  assert_rows (f, "custom_list", custom);
  g_assert_true (has_pill (f, "VIP"));

  /* Export as JSON, to a file given */
  file = g_file_new_for_path (path);
  crm_deal_page_export_json (f->page, file);
  WAIT_FOR (holds_json (path));
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_data (parser, contents, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, "rapport-deal");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "deal"),
                                                  "title"), ==, "Phần mềm CRM cho Hoa Sen");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "custom_fields")),
                    ==, 4);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "stage_history")),
                    ==, 3);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (root, "tags"), 0),
                   ==, "VIP");
}

int
main (int   argc,
      char *argv[])
{
  /* Times on the page are local: make them the same everywhere. */
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

#define ADD_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD_TEST ("/deal-page/shows-everything", test_shows_everything);
  ADD_TEST ("/deal-page/empty", test_empty);
  ADD_TEST ("/deal-page/edit", test_edit);
  ADD_TEST ("/deal-page/reloads", test_reloads);
  ADD_TEST ("/deal-page/from-board", test_from_board);
  ADD_TEST ("/deal-page/custom-and-export", test_custom_and_export);

  return g_test_run ();
}
