/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "crm-deal.h"
#include "crm-deal-detail.h"
#include "crm-fields.h"
#include "crm-key.h"
#include "crm-pipeline.h"
#include "crm-test-util.h"

/* The default pipeline's stages, by position. */
enum {
  NEW_LEAD,
  QUALIFIED,
  PROPOSAL,
  NEGOTIATION,
  WON,
  LOST,
  N_DEFAULT_STAGES
};

/* 2026-06-15 12:00:00 UTC */
#define NOW G_GINT64_CONSTANT (1781524800)
#define DAY (24 * 60 * 60)

typedef struct
{
  char      *dir;
  CrmStore  *store;
  GTimeZone *utc;
  gint64     pipeline_id;
  gint64     stage[N_DEFAULT_STAGES];
  gint64     contact_id;
  gint64     company_id;
} Fixture;

static void
exec (Fixture    *f,
      const char *sql)
{
  g_autoptr (GError) error = NULL;

  crm_store_exec (f->store, sql, &error);
  g_assert_no_error (error);
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
  f->utc = g_time_zone_new_utc ();

  pipeline = crm_pipeline_load (f->store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pipeline->stages->len, ==, N_DEFAULT_STAGES);
  f->pipeline_id = pipeline->id;
  for (guint i = 0; i < N_DEFAULT_STAGES; i++)
    f->stage[i] = ((CrmStage *) g_ptr_array_index (pipeline->stages, i))->id;

  exec (f, "INSERT INTO company (name) VALUES ('Công ty TNHH Hoa Sen')");
  f->company_id = query_int (f, "SELECT max(id) FROM company");
  exec (f, "INSERT INTO contact (given_name, family_name, display_name) "
           "VALUES ('Đức', 'Nguyễn', 'Nguyễn Văn Đức')");
  f->contact_id = query_int (f, "SELECT max(id) FROM contact");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  g_clear_pointer (&f->utc, g_time_zone_unref);
  crm_test_remove_tree (f->dir);
  g_free (f->dir);
}

static gint64
save_deal (Fixture    *f,
           const char *title,
           int         stage,
           gint64      now)
{
  g_autoptr (CrmDealDraft) draft = crm_deal_draft_new ();
  g_autoptr (GError) error = NULL;
  gint64 id;

  draft->title = g_strdup (title);
  draft->value = g_strdup ("12.500.000");
  draft->stage_id = f->stage[stage];
  draft->owner = g_strdup ("Lan");
  draft->notes = g_strdup ("Cần báo giá trước thứ Sáu");
  draft->expected_close = g_strdup ("2026-06-30");
  draft->contact_id = f->contact_id;
  draft->company_id = f->company_id;
  id = crm_deal_save (f->store, draft, now, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static void
move (Fixture    *f,
      gint64      deal_id,
      gint64      stage_id,
      const char *lost_reason,
      gint64      now)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (crm_deal_move (f->store, deal_id, stage_id, 0, lost_reason, now, NULL, &error));
  g_assert_no_error (error);
}

static CrmDealDetail *
load (Fixture *f,
      gint64   deal_id,
      gint64   now)
{
  g_autoptr (GError) error = NULL;
  CrmDealDetail *detail = crm_deal_detail_load_at (f->store, deal_id, now, f->utc, &error);

  g_assert_no_error (error);
  g_assert_nonnull (detail);
  return detail;
}

static void
assert_change (CrmDealDetail *detail,
               guint          index,
               const char    *from,
               const char    *to,
               const char    *user)
{
  const CrmStageChange *change;

  g_assert_cmpuint (index, <, detail->history->len);
  change = g_ptr_array_index (detail->history, index);
  g_assert_cmpstr (change->from_stage, ==, from);
  g_assert_cmpstr (change->to_stage, ==, to);
  g_assert_cmpstr (change->user, ==, user);
  g_assert_cmpint (change->from_stage_id == 0, ==, from == NULL);
}

static void
test_fields (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr (CrmDealDetail) detail = NULL;
  gint64 id = save_deal (f, "Phần mềm CRM cho Hoa Sen", NEW_LEAD, NOW - 30 * DAY);

  move (f, id, f->stage[PROPOSAL], NULL, NOW - 3 * DAY);
  detail = load (f, id, NOW);

  g_assert_cmpint (detail->id, ==, id);
  g_assert_cmpstr (detail->title, ==, "Phần mềm CRM cho Hoa Sen");
  g_assert_cmpint (detail->value, ==, 12500000);
  g_assert_cmpstr (detail->currency, ==, "VND");
  g_assert_cmpint (detail->stage_id, ==, f->stage[PROPOSAL]);
  g_assert_cmpstr (detail->stage, ==, "Proposal sent");
  g_assert_cmpint (detail->stage_kind, ==, CRM_STAGE_OPEN);
  g_assert_cmpint (detail->probability, ==, 50);
  g_assert_cmpint (detail->pipeline_id, ==, f->pipeline_id);
  g_assert_cmpstr (detail->pipeline, ==, "Sales");
  g_assert_cmpstr (detail->status, ==, "open");
  g_assert_cmpint (detail->stage_entered, ==, NOW - 3 * DAY);
  g_assert_cmpstr (detail->expected_close, ==, "2026-06-30");
  g_assert_false (detail->overdue);
  g_assert_cmpstr (detail->owner, ==, "Lan");
  g_assert_cmpstr (detail->notes, ==, "Cần báo giá trước thứ Sáu");
  g_assert_null (detail->lost_reason);
  g_assert_cmpint (detail->closed, ==, 0);
  g_assert_cmpint (detail->contact_id, ==, f->contact_id);
  g_assert_cmpstr (detail->contact_name, ==, "Nguyễn Văn Đức");
  g_assert_cmpint (detail->company_id, ==, f->company_id);
  g_assert_cmpstr (detail->company_name, ==, "Công ty TNHH Hoa Sen");
  g_assert_cmpint (detail->created, ==, NOW - 30 * DAY);
  g_assert_cmpint (detail->updated, ==, NOW - 3 * DAY);
  g_assert_false (detail->archived);
  g_assert_cmpuint (detail->interactions->len, ==, 0);
  g_assert_cmpuint (detail->tasks->len, ==, 0);
}

/* Proposal sent counts a deal idle after 14 days in it; an open deal is
 * overdue once its close date has passed. */
static void
test_idle_and_overdue (Fixture       *f,
                       gconstpointer  data)
{
  gint64 id = save_deal (f, "Máy lọc nước", NEW_LEAD, NOW - 30 * DAY);

  move (f, id, f->stage[PROPOSAL], NULL, NOW - 3 * DAY);

  {
    g_autoptr (CrmDealDetail) detail = load (f, id, NOW);

    g_assert_false (detail->idle);
    g_assert_false (detail->overdue);
  }
  {
    /* 2026-07-02: 20 days in the stage, two days past the close date. */
    g_autoptr (CrmDealDetail) detail = load (f, id, NOW + 17 * DAY);

    g_assert_true (detail->idle);
    g_assert_true (detail->overdue);
  }

  /* A won deal is neither idle nor overdue, and says when it closed. */
  move (f, id, f->stage[WON], NULL, NOW);
  {
    g_autoptr (CrmDealDetail) detail = load (f, id, NOW + 60 * DAY);

    g_assert_cmpint (detail->stage_kind, ==, CRM_STAGE_WON);
    g_assert_cmpstr (detail->status, ==, "won");
    g_assert_cmpint (detail->probability, ==, 100);
    g_assert_cmpint (detail->closed, ==, NOW);
    g_assert_false (detail->idle);
    g_assert_false (detail->overdue);
  }
}

static void
test_history (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  const char *user = g_get_user_name ();
  gint64 id = save_deal (f, "Phần mềm CRM", NEW_LEAD, NOW - 30 * DAY);
  gint64 other = save_deal (f, "Deal khác", NEW_LEAD, NOW - 30 * DAY);
  gint64 demo_stage;

  move (f, id, f->stage[QUALIFIED], NULL, NOW - 20 * DAY);
  move (f, other, f->stage[NEGOTIATION], NULL, NOW - 20 * DAY);
  move (f, id, f->stage[PROPOSAL], NULL, NOW - 3 * DAY);
  /* Another owner made the second move on their own account. */
  exec (f, "UPDATE audit_log SET who = 'minh' WHERE id = (SELECT max(id) FROM audit_log "
           "WHERE entity = 'deal' AND action = 'update')");

  {
    g_autoptr (CrmDealDetail) detail = load (f, id, NOW);
    const CrmStageChange *created;

    g_assert_cmpuint (detail->history->len, ==, 3);
    assert_change (detail, 0, NULL, "New lead", user);
    assert_change (detail, 1, "New lead", "Qualified", user);
    assert_change (detail, 2, "Qualified", "Proposal sent", "minh");
    created = g_ptr_array_index (detail->history, 0);
    g_assert_cmpint (created->to_stage_id, ==, f->stage[NEW_LEAD]);
    for (guint i = 1; i < detail->history->len; i++)
      g_assert_cmpint (((CrmStageChange *) g_ptr_array_index (detail->history, i))->time, >=,
                       ((CrmStageChange *) g_ptr_array_index (detail->history, i - 1))->time);
  }

  /* Other edits are no stage changes; a renamed stage shows its new name. */
  exec (f, "UPDATE deal SET notes = 'Gọi lại sau Tết' WHERE title = 'Phần mềm CRM'");
  g_assert_true (crm_stage_update (f->store, f->stage[QUALIFIED], "Đã xác minh", 25, 14, &error));
  g_assert_no_error (error);
  {
    g_autoptr (CrmDealDetail) detail = load (f, id, NOW);

    g_assert_cmpuint (detail->history->len, ==, 3);
    assert_change (detail, 1, "New lead", "Đã xác minh", user);
    assert_change (detail, 2, "Đã xác minh", "Proposal sent", "minh");
  }

  /* A stage that was removed since is named as such. */
  demo_stage = crm_stage_add (f->store, f->pipeline_id, "Demo", 60, CRM_STAGE_OPEN, 0, &error);
  g_assert_no_error (error);
  move (f, id, demo_stage, NULL, NOW - 2 * DAY);
  g_assert_true (crm_stage_remove (f->store, demo_stage, f->stage[NEGOTIATION], &error));
  g_assert_no_error (error);
  {
    g_autoptr (CrmDealDetail) detail = load (f, id, NOW);

    g_assert_cmpuint (detail->history->len, ==, 5);
    assert_change (detail, 3, "Proposal sent", "Removed stage", user);
    assert_change (detail, 4, "Removed stage", "Negotiation", user);
    g_assert_cmpstr (detail->stage, ==, "Negotiation");
  }

  /* The other deal's history is its own. */
  {
    g_autoptr (CrmDealDetail) detail = load (f, other, NOW);

    g_assert_cmpuint (detail->history->len, ==, 2);
    assert_change (detail, 0, NULL, "New lead", user);
    assert_change (detail, 1, "New lead", "Negotiation", user);
  }
}

/* Without the audit row of its creation (erased values), a deal was
 * still created: when it was, in the stage its first move left. */
static void
test_history_without_creation (Fixture       *f,
                               gconstpointer  data)
{
  gint64 id = save_deal (f, "Phần mềm CRM", NEW_LEAD, NOW - 30 * DAY);
  g_autofree char *sql = NULL;

  move (f, id, f->stage[QUALIFIED], NULL, NOW - 20 * DAY);
  sql = g_strdup_printf ("UPDATE audit_log SET changes = NULL WHERE entity = 'deal' "
                         "AND entity_id = %" G_GINT64_FORMAT " AND action = 'insert'", id);
  exec (f, sql);

  {
    g_autoptr (CrmDealDetail) detail = load (f, id, NOW);
    const CrmStageChange *created;

    g_assert_cmpuint (detail->history->len, ==, 2);
    assert_change (detail, 0, NULL, "New lead", NULL);
    assert_change (detail, 1, "New lead", "Qualified", g_get_user_name ());
    created = g_ptr_array_index (detail->history, 0);
    g_assert_cmpint (created->time, ==, NOW - 30 * DAY);
  }

  /* A deleted deal's id given to a new one does not bring its history. */
  exec (f, "DELETE FROM deal");
  g_assert_cmpint (save_deal (f, "Deal mới", WON, NOW), ==, id);
  {
    g_autoptr (CrmDealDetail) detail = load (f, id, NOW);

    g_assert_cmpuint (detail->history->len, ==, 1);
    assert_change (detail, 0, NULL, "Won", g_get_user_name ());
  }
}

static void
test_interactions_and_tasks (Fixture       *f,
                             gconstpointer  data)
{
  gint64 id = save_deal (f, "Phần mềm CRM", NEW_LEAD, NOW - 30 * DAY);
  gint64 other = save_deal (f, "Deal khác", NEW_LEAD, NOW - 30 * DAY);
  g_autofree char *sql = NULL;
  g_autoptr (CrmDealDetail) detail = NULL;
  static const char *const interactions[] = { "Họp demo", "Gửi báo giá", "Gọi lần đầu" };
  static const char *const tasks[] = {
    "Gửi hợp đồng", "Gọi lại", "Chuẩn bị demo", "Hỏi ngân sách", "Gửi tài liệu",
  };

  exec (f, "INSERT INTO contact (display_name) VALUES ('Trần Thị Mai')");
  sql = g_strdup_printf (
    "INSERT INTO interaction (contact_id, deal_id, kind, happened, subject, body) VALUES "
    "(%1$" G_GINT64_FORMAT ", %3$" G_GINT64_FORMAT ", 'call', %4$" G_GINT64_FORMAT ", "
    "'Gọi lần đầu', NULL), "
    "(%2$" G_GINT64_FORMAT ", %3$" G_GINT64_FORMAT ", 'meeting', %6$" G_GINT64_FORMAT ", "
    "'Họp demo', 'Khách thích báo cáo'), "
    "(%1$" G_GINT64_FORMAT ", %3$" G_GINT64_FORMAT ", 'email', %5$" G_GINT64_FORMAT ", "
    "'Gửi báo giá', NULL), "
    "(%1$" G_GINT64_FORMAT ", %7$" G_GINT64_FORMAT ", 'call', %6$" G_GINT64_FORMAT ", "
    "'Deal khác', NULL), "
    "(%1$" G_GINT64_FORMAT ", NULL, 'note', %6$" G_GINT64_FORMAT ", 'Không thuộc deal', NULL); "
    "INSERT INTO task (title, due, done, done_at, priority, deal_id) VALUES "
    "('Gửi tài liệu', %4$" G_GINT64_FORMAT ", 1, %5$" G_GINT64_FORMAT ", 1, %3$" G_GINT64_FORMAT "), "
    "('Chuẩn bị demo', NULL, 0, NULL, 1, %3$" G_GINT64_FORMAT "), "
    "('Gọi lại', %6$" G_GINT64_FORMAT " + 86400 * 5, 0, NULL, 1, %3$" G_GINT64_FORMAT "), "
    "('Hỏi ngân sách', %4$" G_GINT64_FORMAT ", 1, %6$" G_GINT64_FORMAT ", 1, %3$" G_GINT64_FORMAT "), "
    "('Gửi hợp đồng', %6$" G_GINT64_FORMAT " + 86400, 0, NULL, 2, %3$" G_GINT64_FORMAT "), "
    "('Deal khác', %6$" G_GINT64_FORMAT ", 0, NULL, 1, %7$" G_GINT64_FORMAT ")",
    f->contact_id, f->contact_id + 1, id, NOW - 20 * DAY, NOW - 10 * DAY, NOW - DAY, other);
  exec (f, sql);

  detail = load (f, id, NOW);

  /* Newest first, with who they were with. */
  g_assert_cmpuint (detail->interactions->len, ==, G_N_ELEMENTS (interactions));
  for (guint i = 0; i < G_N_ELEMENTS (interactions); i++)
    {
      const CrmInteractionSummary *interaction = g_ptr_array_index (detail->interactions, i);

      g_assert_cmpstr (interaction->subject, ==, interactions[i]);
    }
  {
    const CrmInteractionSummary *meeting = g_ptr_array_index (detail->interactions, 0);
    const CrmInteractionSummary *call = g_ptr_array_index (detail->interactions, 2);

    g_assert_cmpstr (meeting->kind, ==, "meeting");
    g_assert_cmpstr (meeting->body, ==, "Khách thích báo cáo");
    g_assert_cmpstr (meeting->contact_name, ==, "Trần Thị Mai");
    g_assert_cmpint (meeting->contact_id, ==, f->contact_id + 1);
    g_assert_cmpint (meeting->happened, ==, NOW - DAY);
    g_assert_cmpstr (call->kind, ==, "call");
    g_assert_cmpstr (call->contact_name, ==, "Nguyễn Văn Đức");
  }

  /* Open ones by due, those without one after them; then the done ones,
   * the last done first. */
  g_assert_cmpuint (detail->tasks->len, ==, G_N_ELEMENTS (tasks));
  for (guint i = 0; i < G_N_ELEMENTS (tasks); i++)
    {
      const CrmDealTask *task = g_ptr_array_index (detail->tasks, i);

      g_assert_cmpstr (task->title, ==, tasks[i]);
      g_assert_cmpint (task->done, ==, i >= 3);
    }
  g_assert_cmpint (((CrmDealTask *) g_ptr_array_index (detail->tasks, 0))->due, ==, NOW);
  g_assert_cmpint (((CrmDealTask *) g_ptr_array_index (detail->tasks, 0))->priority, ==, 2);
  g_assert_cmpint (((CrmDealTask *) g_ptr_array_index (detail->tasks, 2))->due, ==, 0);
  g_assert_cmpint (((CrmDealTask *) g_ptr_array_index (detail->tasks, 3))->done_at, ==, NOW - DAY);
}

static void
test_lost_and_missing (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmDealDetail) detail = NULL;
  CrmDealDetail *missing;
  gint64 id = save_deal (f, "Phần mềm CRM", NEW_LEAD, NOW - 30 * DAY);

  move (f, id, f->stage[LOST], "Giá cao hơn đối thủ", NOW - DAY);
  exec (f, "UPDATE deal SET contact_id = NULL, company_id = NULL");
  detail = load (f, id, NOW);
  g_assert_cmpstr (detail->status, ==, "lost");
  g_assert_cmpstr (detail->stage, ==, "Lost");
  g_assert_cmpint (detail->stage_kind, ==, CRM_STAGE_LOST);
  g_assert_cmpstr (detail->lost_reason, ==, "Giá cao hơn đối thủ");
  g_assert_cmpint (detail->closed, ==, NOW - DAY);
  g_assert_false (detail->overdue);
  g_assert_cmpint (detail->contact_id, ==, 0);
  g_assert_null (detail->contact_name);
  g_assert_cmpint (detail->company_id, ==, 0);
  g_assert_null (detail->company_name);
  assert_change (detail, 1, "New lead", "Lost", g_get_user_name ());

  missing = crm_deal_detail_load_at (f->store, id + 100, NOW, f->utc, &error);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  g_assert_null (missing);
}

/* Deal custom fields of every type, in this order; the last stays unset. */
enum { F_SOURCE, F_USERS, F_SIGNED, F_PLAN, F_VAT, F_UNSET, N_FIELDS };

static void
make_custom_fields (Fixture *f,
                    char    *keys[N_FIELDS])
{
  static const struct {
    const char   *label;
    CrmFieldType  type;
  } fields[N_FIELDS] = {
    { "Nguồn vốn", CRM_FIELD_TYPE_TEXT },
    { "Số người dùng", CRM_FIELD_TYPE_NUMBER },
    { "Ngày ký", CRM_FIELD_TYPE_DATE },
    { "Gói dịch vụ", CRM_FIELD_TYPE_CHOICE },
    { "Có VAT", CRM_FIELD_TYPE_BOOL },
    { "Ghi chú nội bộ", CRM_FIELD_TYPE_TEXT },
  };
  const char *const plans[] = { "Cơ bản", "Doanh nghiệp", NULL };

  for (guint i = 0; i < N_FIELDS; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (CrmCustomField) field = NULL;
      gint64 id;

      id = crm_custom_field_create (f->store, CRM_FIELD_ENTITY_DEAL, fields[i].label,
                                    fields[i].type,
                                    fields[i].type == CRM_FIELD_TYPE_CHOICE ? plans : NULL,
                                    &error);
      g_assert_no_error (error);
      field = crm_custom_field_load (f->store, id, &error);
      g_assert_no_error (error);
      keys[i] = g_strdup (field->key);
    }

  /* A contact field with a value under the same number as the deal: not
   * the deal's. */
  {
    g_autoptr (GError) error = NULL;

    crm_custom_field_create (f->store, CRM_FIELD_ENTITY_CONTACT, "Sở thích",
                             CRM_FIELD_TYPE_TEXT, NULL, &error);
    g_assert_no_error (error);
  }
}

static gint64
save_custom_deal (Fixture *f,
                  char    *keys[N_FIELDS])
{
  g_autoptr (CrmDealDraft) draft = crm_deal_draft_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) problems = NULL;
  gint64 id;

  draft->title = g_strdup ("Phần mềm CRM");
  draft->value = g_strdup ("12.500.000");
  draft->stage_id = f->stage[NEW_LEAD];
  draft->contact_id = f->contact_id;
  draft->company_id = f->company_id;
  crm_deal_draft_add_tag (draft, "VIP");
  crm_deal_draft_add_tag (draft, "Ưu tiên");
  crm_deal_draft_add_tag (draft, "an toàn");
  crm_deal_draft_set_custom (draft, keys[F_SOURCE], "Ngân sách 2026");
  crm_deal_draft_set_custom (draft, keys[F_USERS], "25");
  crm_deal_draft_set_custom (draft, keys[F_SIGNED], "30/06/2026");
  crm_deal_draft_set_custom (draft, keys[F_PLAN], "Doanh nghiệp");
  crm_deal_draft_set_custom (draft, keys[F_VAT], "1");
  id = crm_deal_save (f->store, draft, NOW - 3 * DAY, &problems, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  {
    g_autofree char *sql = g_strdup_printf ("INSERT INTO custom_value (field_id, entity_id, value) "
                                            "SELECT id, %lld, 'đọc sách' FROM custom_field "
                                            "WHERE entity = 'contact'", (long long) id);
    exec (f, sql);
  }
  return id;
}

static const CrmCustomValue *
custom_value (CrmDealDetail *detail,
              guint          index)
{
  g_assert_cmpuint (index, <, detail->custom_values->len);
  return g_ptr_array_index (detail->custom_values, index);
}

static void
test_tags_and_custom (Fixture       *f,
                      gconstpointer  data)
{
  g_auto (GStrv) keys = g_new0 (char *, N_FIELDS + 1);
  g_autoptr (CrmDealDetail) detail = NULL;
  g_autoptr (CrmDealDetail) plain = NULL;
  const char *const tags[] = { "an toàn", "Ưu tiên", "VIP", NULL };
  gint64 id;

  make_custom_fields (f, keys);
  id = save_custom_deal (f, keys);
  detail = load (f, id, NOW);

  /* Tags in folded order: "an toan", "uu tien", "vip" */
  g_assert_cmpstrv (detail->tags, tags);

  /* Every deal field in its order, and no contact field */
  g_assert_cmpuint (detail->custom_values->len, ==, N_FIELDS);
  for (guint i = 0; i < N_FIELDS; i++)
    g_assert_cmpstr (custom_value (detail, i)->key, ==, keys[i]);
  g_assert_cmpstr (custom_value (detail, F_SOURCE)->label, ==, "Nguồn vốn");
  g_assert_cmpstr (custom_value (detail, F_SOURCE)->type, ==, "text");
  g_assert_cmpstr (custom_value (detail, F_SOURCE)->value, ==, "Ngân sách 2026");
  g_assert_cmpstr (custom_value (detail, F_USERS)->type, ==, "number");
  g_assert_cmpstr (custom_value (detail, F_USERS)->value, ==, "25");
  g_assert_cmpstr (custom_value (detail, F_SIGNED)->type, ==, "date");
  g_assert_cmpstr (custom_value (detail, F_SIGNED)->value, ==, "2026-06-30");
  g_assert_cmpstr (custom_value (detail, F_PLAN)->type, ==, "choice");
  g_assert_nonnull (strstr (custom_value (detail, F_PLAN)->options, "Doanh nghiệp"));
  g_assert_cmpstr (custom_value (detail, F_PLAN)->value, ==, "Doanh nghiệp");
  g_assert_cmpstr (custom_value (detail, F_VAT)->type, ==, "bool");
  g_assert_cmpstr (custom_value (detail, F_VAT)->value, ==, "1");
  g_assert_null (custom_value (detail, F_UNSET)->value);

  /* A deal without any: no tags, every field unset */
  plain = load (f, save_deal (f, "Bảo trì", NEW_LEAD, NOW - DAY), NOW);
  g_assert_nonnull (plain->tags);
  g_assert_null (plain->tags[0]);
  g_assert_cmpuint (plain->custom_values->len, ==, N_FIELDS);
  for (guint i = 0; i < N_FIELDS; i++)
    g_assert_null (custom_value (plain, i)->value);
}

static JsonObject *
member_object (JsonObject *object,
               const char *member)
{
  g_assert_true (json_object_has_member (object, member));
  g_assert_cmpint (JSON_NODE_TYPE (json_object_get_member (object, member)), ==, JSON_NODE_OBJECT);
  return json_object_get_object_member (object, member);
}

static JsonArray *
member_array (JsonObject *object,
              const char *member)
{
  g_assert_true (json_object_has_member (object, member));
  g_assert_cmpint (JSON_NODE_TYPE (json_object_get_member (object, member)), ==, JSON_NODE_ARRAY);
  return json_object_get_array_member (object, member);
}

static void
test_export_json (Fixture       *f,
                  gconstpointer  data)
{
  g_auto (GStrv) keys = g_new0 (char *, N_FIELDS + 1);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *json = NULL;
  g_autofree char *missing = NULL;
  g_autoptr (CrmDealDetail) detail = NULL;
  JsonObject *root, *deal, *stage, *custom;
  JsonArray *tags, *fields, *history;
  gint64 id;

  make_custom_fields (f, keys);
  id = save_custom_deal (f, keys);
  move (f, id, f->stage[QUALIFIED], NULL, NOW - DAY);
  exec (f, "INSERT INTO interaction (contact_id, deal_id, kind, subject, happened) "
           "SELECT contact_id, id, 'call', 'Gọi tư vấn', 1781000000 FROM deal");
  exec (f, "INSERT INTO task (title, deal_id) SELECT 'Gửi báo giá', id FROM deal");

  detail = load (f, id, NOW);
  json = crm_deal_export_json (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (json);
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));

  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, "rapport-deal");
  g_assert_cmpint (json_object_get_int_member (root, "version"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (root, "workspace"), ==,
                   crm_store_get_uuid (f->store));

  deal = member_object (root, "deal");
  g_assert_cmpint (json_object_get_int_member (deal, "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (deal, "title"), ==, "Phần mềm CRM");
  g_assert_cmpint (json_object_get_int_member (deal, "value"), ==, 12500000);
  g_assert_cmpstr (json_object_get_string_member (deal, "currency"), ==, "VND");

  stage = member_object (root, "stage");
  g_assert_cmpint (json_object_get_int_member (stage, "id"), ==, f->stage[QUALIFIED]);
  g_assert_cmpstr (json_object_get_string_member (stage, "name"), ==, "Qualified");
  g_assert_cmpint (json_object_get_int_member (member_object (root, "pipeline"), "id"), ==,
                   f->pipeline_id);
  g_assert_cmpstr (json_object_get_string_member (member_object (root, "contact"), "name"), ==,
                   "Nguyễn Văn Đức");
  g_assert_cmpstr (json_object_get_string_member (member_object (root, "company"), "name"), ==,
                   "Công ty TNHH Hoa Sen");

  tags = member_array (root, "tags");
  g_assert_cmpuint (json_array_get_length (tags), ==, 3);
  g_assert_cmpstr (json_array_get_string_element (tags, 0), ==, "an toàn");
  g_assert_cmpstr (json_array_get_string_element (tags, 2), ==, "VIP");

  /* The set fields only, with key, label, type and the stored value */
  fields = member_array (root, "custom_fields");
  g_assert_cmpuint (json_array_get_length (fields), ==, N_FIELDS - 1);
  custom = json_array_get_object_element (fields, F_SIGNED);
  g_assert_cmpstr (json_object_get_string_member (custom, "key"), ==, keys[F_SIGNED]);
  g_assert_cmpstr (json_object_get_string_member (custom, "label"), ==, "Ngày ký");
  g_assert_cmpstr (json_object_get_string_member (custom, "type"), ==, "date");
  g_assert_cmpstr (json_object_get_string_member (custom, "value"), ==, "2026-06-30");
  custom = json_array_get_object_element (fields, F_VAT);
  g_assert_cmpstr (json_object_get_string_member (custom, "type"), ==, "bool");
  g_assert_cmpstr (json_object_get_string_member (custom, "value"), ==, "1");

  /* Created in New lead, then moved to Qualified */
  history = member_array (root, "stage_history");
  g_assert_cmpuint (json_array_get_length (history), ==, 2);
  g_assert_true (json_object_get_null_member (json_array_get_object_element (history, 0),
                                              "from_stage"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (history, 0),
                                                  "to_stage"), ==, "New lead");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (history, 1),
                                                  "from_stage"), ==, "New lead");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (history, 1),
                                               "to_stage_id"), ==, f->stage[QUALIFIED]);
  {
    const char *time = json_object_get_string_member (json_array_get_object_element (history, 1),
                                                      "time");
    g_autoptr (GDateTime) parsed = g_date_time_new_from_iso8601 (time, NULL);

    g_assert_nonnull (parsed);
    g_assert_cmpint (g_date_time_to_unix (parsed), ==,
                     ((CrmStageChange *) g_ptr_array_index (detail->history, 1))->time);
  }

  g_assert_cmpuint (json_array_get_length (member_array (root, "interactions")), ==, 1);
  g_assert_cmpuint (json_array_get_length (member_array (root, "tasks")), ==, 1);

  missing = crm_deal_export_json (f->store, id + 100, &error);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  g_assert_null (missing);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD_TEST ("/deal-detail/fields", test_fields);
  ADD_TEST ("/deal-detail/idle-and-overdue", test_idle_and_overdue);
  ADD_TEST ("/deal-detail/history", test_history);
  ADD_TEST ("/deal-detail/history-without-creation", test_history_without_creation);
  ADD_TEST ("/deal-detail/interactions-and-tasks", test_interactions_and_tasks);
  ADD_TEST ("/deal-detail/lost-and-missing", test_lost_and_missing);
  ADD_TEST ("/deal-detail/tags-and-custom", test_tags_and_custom);
  ADD_TEST ("/deal-detail/export-json", test_export_json);

  return g_test_run ();
}
