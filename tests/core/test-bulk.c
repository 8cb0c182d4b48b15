/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "crm-bulk.h"
#include "crm-contacts.h"
#include "crm-key.h"
#include "crm-search.h"
#include "crm-store.h"
#include "crm-test-util.h"

/* One workspace of 100,000 contacts for all the tests: making it takes a
 * few seconds. Every test leaves it as it found it, and checks that. */
#define N_CONTACTS 100000
#define N_PRETAGGED (N_CONTACTS / 10)

typedef struct
{
  char     *dir;
  CrmStore *store;
  sqlite3  *db;
  GArray   *all;        /* every contact id */
  gint64    vip;        /* tag on every tenth contact */
  gint64    customer;
  gint64    lead;
  gint64    status_new;
} Workspace;

static Workspace ws;

static gint64
query_int (const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (ws.db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

/* A digest of the query's rows, to compare states of 100,000 rows. */
static char *
digest (const char *sql)
{
  g_autoptr (GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_assert_cmpint (sqlite3_prepare_v2 (ws.db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        {
          const char *text = (const char *) sqlite3_column_text (stmt, i);

          g_checksum_update (checksum, (const guchar *) (text != NULL ? text : "\x01"), -1);
          g_checksum_update (checksum, (const guchar *) "\x02", 1);
        }
    }
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);

  return g_strdup (g_checksum_get_string (checksum));
}

typedef struct
{
  char   *columns;
  char   *tags;
  gint64  audit;
  guint   vip_matches;
} Snapshot;

static guint
search_count (const char *query)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) ids = crm_search_contacts (ws.store, query, &error);

  g_assert_no_error (error);
  return ids->len;
}

static void
snapshot_take (Snapshot *s)
{
  s->columns = digest ("SELECT id, lifecycle_stage_id, lead_status_id, owner, archived "
                       "FROM contact ORDER BY id");
  s->tags = digest ("SELECT contact_id, tag_id FROM contact_tag ORDER BY contact_id, tag_id");
  s->audit = query_int ("SELECT count(*) FROM audit_log");
  s->vip_matches = search_count ("vip");
}

static void
snapshot_clear (Snapshot *s)
{
  g_clear_pointer (&s->columns, g_free);
  g_clear_pointer (&s->tags, g_free);
}

/* The same contacts, tags and search index; @audit_rows more audit rows. */
static void
assert_unchanged (Snapshot *before,
                  gint64    audit_rows)
{
  Snapshot now = { NULL, };

  snapshot_take (&now);
  g_assert_cmpstr (now.columns, ==, before->columns);
  g_assert_cmpstr (now.tags, ==, before->tags);
  g_assert_cmpint (now.audit, ==, before->audit + audit_rows);
  g_assert_cmpuint (now.vip_matches, ==, before->vip_matches);
  snapshot_clear (&now);
}

typedef struct
{
  guint         calls;
  double        last;
  GCancellable *cancel_after_first;
} Progress;

static void
progress_cb (double   fraction,
             gpointer user_data)
{
  Progress *progress = user_data;

  g_assert_cmpfloat (fraction, >=, progress->last);
  g_assert_cmpfloat (fraction, <=, 1.0);
  progress->last = fraction;
  progress->calls++;

  if (progress->cancel_after_first != NULL && fraction > 0.0)
    g_cancellable_cancel (progress->cancel_after_first);
}

static void
assert_progress_done (Progress *progress)
{
  g_assert_cmpuint (progress->calls, >=, 2);
  g_assert_cmpuint (progress->calls, <=, 22);
  g_assert_cmpfloat (progress->last, ==, 1.0);
}

static void
changed_cb (CrmStore   *store,
            const char *entity,
            gint64      id,
            guint      *count)
{
  (*count)++;
}

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

/* Ids of the contacts for which @keep says so. */
static GArray *
pick_ids (gboolean (*keep) (gint64 id))
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < ws.all->len; i++)
    {
      gint64 id = g_array_index (ws.all, gint64, i);

      if (keep (id))
        g_array_append_val (ids, id);
    }

  return ids;
}

static gboolean
is_even (gint64 id)
{
  return id % 2 == 0;
}

static gboolean
not_one_in_five (gint64 id)
{
  return id % 5 != 1;
}

static gboolean
one_in_four (gint64 id)
{
  return id % 4 == 1;
}

static void
test_tag_and_undo (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmBulkUndo) undo = NULL;
  Snapshot before = { NULL, };
  Progress progress = { 0, 0.0, NULL };
  guint changed = 0;
  gulong handler;
  gint64 tag, start;

  tag = crm_tags_ensure (ws.store, "Khách quen", &error);
  g_assert_no_error (error);
  snapshot_take (&before);
  g_assert_cmpuint (before.vip_matches, ==, N_PRETAGGED);
  g_assert_cmpuint (search_count ("khach quen"), ==, 0);

  handler = g_signal_connect (ws.store, "changed::contact", G_CALLBACK (changed_cb), &changed);
  start = g_get_monotonic_time ();
  undo = crm_bulk_tag (ws.store, ws.all, tag, progress_cb, &progress, NULL, &error);
  g_test_message ("tagged %d contacts in %.2f s", N_CONTACTS, seconds_since (start));
  g_assert_no_error (error);
  g_assert_nonnull (undo);
  g_assert_cmpint (crm_bulk_undo_get_kind (undo), ==, CRM_BULK_TAG);
  g_assert_cmpuint (crm_bulk_undo_get_n_changed (undo), ==, N_CONTACTS);
  g_assert_cmpuint (changed, ==, 1);
  assert_progress_done (&progress);

  /* Every contact has the tag, and the search index knows it. */
  g_assert_cmpint (query_int ("SELECT count(*) FROM contact_tag WHERE tag_id = "
                              "(SELECT id FROM tag WHERE name = 'Khách quen')"), ==, N_CONTACTS);
  g_assert_cmpuint (search_count ("khach quen"), ==, N_CONTACTS);
  g_assert_cmpuint (search_count ("vip khach"), ==, N_PRETAGGED);

  /* Tagging them again changes nothing. */
  {
    g_autoptr (CrmBulkUndo) again = crm_bulk_tag (ws.store, ws.all, tag, NULL, NULL, NULL,
                                                  &error);

    g_assert_no_error (error);
    g_assert_cmpuint (crm_bulk_undo_get_n_changed (again), ==, 0);
  }

  progress = (Progress) { 0, 0.0, NULL };
  start = g_get_monotonic_time ();
  g_assert_true (crm_bulk_undo (ws.store, undo, progress_cb, &progress, NULL, &error));
  g_test_message ("undid it in %.2f s", seconds_since (start));
  g_assert_no_error (error);
  g_assert_true (crm_bulk_undo_get_done (undo));
  /* Tagging again changed nothing and said nothing. */
  g_assert_cmpuint (changed, ==, 2);
  assert_progress_done (&progress);
  assert_unchanged (&before, 0);
  g_assert_cmpuint (search_count ("khach quen"), ==, 0);

  /* A token undoes once. */
  g_assert_false (crm_bulk_undo (ws.store, undo, NULL, NULL, NULL, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);

  g_signal_handler_disconnect (ws.store, handler);
  snapshot_clear (&before);
}

/* The tag comes off only the contacts that did not have it before. */
static void
test_tag_keeps_earlier_tags (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmBulkUndo) undo = NULL;
  g_autoptr (GArray) even = pick_ids (is_even);
  Snapshot before = { NULL, };

  snapshot_take (&before);
  undo = crm_bulk_tag (ws.store, even, ws.vip, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  /* Every tenth contact had it, and those are all even. */
  g_assert_cmpuint (crm_bulk_undo_get_n_changed (undo), ==, even->len - N_PRETAGGED);
  g_assert_cmpuint (search_count ("vip"), ==, even->len);

  g_assert_true (crm_bulk_undo (ws.store, undo, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  assert_unchanged (&before, 0);
  snapshot_clear (&before);
}

static void
test_untag_and_undo (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmBulkUndo) undo = NULL;
  g_autoptr (GArray) even = pick_ids (is_even);
  Snapshot before = { NULL, };
  Progress progress = { 0, 0.0, NULL };
  gint64 start;

  snapshot_take (&before);
  start = g_get_monotonic_time ();
  undo = crm_bulk_untag (ws.store, even, ws.vip, progress_cb, &progress, NULL, &error);
  g_test_message ("untagged %u contacts in %.2f s", even->len, seconds_since (start));
  g_assert_no_error (error);
  g_assert_cmpint (crm_bulk_undo_get_kind (undo), ==, CRM_BULK_UNTAG);
  g_assert_cmpuint (crm_bulk_undo_get_n_changed (undo), ==, N_PRETAGGED);
  g_assert_cmpuint (search_count ("vip"), ==, 0);
  g_assert_cmpint (query_int ("SELECT count(*) FROM contact_tag WHERE contact_id % 2 = 0 "
                              "AND tag_id = (SELECT id FROM tag WHERE name = 'VIP')"), ==, 0);
  assert_progress_done (&progress);

  g_assert_true (crm_bulk_undo (ws.store, undo, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  assert_unchanged (&before, 0);
  snapshot_clear (&before);
}

typedef struct
{
  const char *column;
  const char *value;   /* as SQL */
} ColumnCase;

static CrmBulkUndo *
run_column_op (guint          op,
               GArray        *ids,
               Progress      *progress,
               GCancellable  *cancellable,
               GError       **error)
{
  switch (op)
    {
    case 0:
      return crm_bulk_set_lifecycle_stage (ws.store, ids, ws.lead, progress_cb, progress,
                                           cancellable, error);
    case 1:
      return crm_bulk_set_lifecycle_stage (ws.store, ids, 0, progress_cb, progress, cancellable,
                                           error);
    case 2:
      return crm_bulk_set_lead_status (ws.store, ids, ws.status_new, progress_cb, progress,
                                       cancellable, error);
    case 3:
      return crm_bulk_set_owner (ws.store, ids, " Nguyễn Thu Trang ", progress_cb, progress,
                                 cancellable, error);
    case 4:
      return crm_bulk_set_owner (ws.store, ids, "", progress_cb, progress, cancellable, error);
    case 5:
      return crm_bulk_archive (ws.store, ids, progress_cb, progress, cancellable, error);
    case 6:
      return crm_bulk_unarchive (ws.store, ids, progress_cb, progress, cancellable, error);
    default:
      g_assert_not_reached ();
    }
}

static const ColumnCase column_cases[] = {
  { "lifecycle_stage_id", NULL },        /* set to ws.lead, filled in below */
  { "lifecycle_stage_id", "NULL" },
  { "lead_status_id", NULL },            /* ws.status_new */
  { "owner", "'Nguyễn Thu Trang'" },
  { "owner", "NULL" },
  { "archived", "1" },
  { "archived", "0" },
};

/* The first change goes to 80,000 contacts, the others to 25,000, which
 * keeps the test short. */
static void
test_columns_and_undo (void)
{
  g_autoptr (GArray) most = pick_ids (not_one_in_five);
  g_autoptr (GArray) quarter = pick_ids (one_in_four);

  for (guint op = 0; op < G_N_ELEMENTS (column_cases); op++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (CrmBulkUndo) undo = NULL;
      g_autofree char *value = NULL;
      g_autofree char *sql = NULL;
      g_autofree char *audit_sql = NULL;
      const char *column = column_cases[op].column;
      GArray *ids = op == 0 ? most : quarter;
      const char *which = op == 0 ? "id % 5 != 1" : "id % 4 = 1";
      Snapshot before = { NULL, };
      Progress progress = { 0, 0.0, NULL };
      gint64 to_change, start;

      if (op == 0)
        value = g_strdup_printf ("%" G_GINT64_FORMAT, ws.lead);
      else if (op == 2)
        value = g_strdup_printf ("%" G_GINT64_FORMAT, ws.status_new);
      else
        value = g_strdup (column_cases[op].value);

      snapshot_take (&before);
      sql = g_strdup_printf ("SELECT count(*) FROM contact WHERE %s AND %s IS NOT %s",
                             which, column, value);
      to_change = query_int (sql);
      g_assert_cmpint (to_change, >, 0);

      start = g_get_monotonic_time ();
      undo = run_column_op (op, ids, &progress, NULL, &error);
      g_test_message ("set %s = %s on %u contacts (%" G_GINT64_FORMAT " changed) in %.2f s",
                      column, value, ids->len, to_change, seconds_since (start));
      g_assert_no_error (error);
      g_assert_cmpuint (crm_bulk_undo_get_n_changed (undo), ==, to_change);
      g_assert_cmpint (query_int (sql), ==, 0);
      assert_progress_done (&progress);

      /* One audit row for each contact changed, with the old and new value. */
      g_assert_cmpint (query_int ("SELECT count(*) FROM audit_log"), ==, before.audit + to_change);
      audit_sql = g_strdup_printf ("SELECT count(*) FROM audit_log WHERE id > %" G_GINT64_FORMAT
                                   " AND entity = 'contact' AND action = 'update' "
                                   "AND json_extract(changes, '$.new.%s') IS %s "
                                   "AND json_type(changes, '$.old.%s') IS NOT NULL "
                                   "AND (SELECT count(*) FROM json_each(changes, '$.new')) = 1",
                                   query_int ("SELECT ifnull(max(id), 0) FROM audit_log")
                                   - to_change,
                                   column, value, column);
      g_assert_cmpint (query_int (audit_sql), ==, to_change);

      g_assert_true (crm_bulk_undo (ws.store, undo, NULL, NULL, NULL, &error));
      g_assert_no_error (error);
      assert_unchanged (&before, 2 * to_change);
      snapshot_clear (&before);
    }
}

/* Undo puts back the old values but leaves a contact changed since alone. */
static void
test_undo_keeps_later_edits (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmBulkUndo) undo = NULL;
  g_autofree char *edit = NULL;
  g_autofree char *restore = NULL;
  g_autofree char *read = NULL;
  gint64 edited = g_array_index (ws.all, gint64, 7);   /* made without a stage */
  Snapshot before = { NULL, };
  guint n_changed;

  snapshot_take (&before);
  undo = crm_bulk_set_lifecycle_stage (ws.store, ws.all, ws.customer, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  n_changed = crm_bulk_undo_get_n_changed (undo);

  edit = g_strdup_printf ("UPDATE contact SET lifecycle_stage_id = %" G_GINT64_FORMAT
                          " WHERE id = %" G_GINT64_FORMAT, ws.lead, edited);
  g_assert_true (crm_store_exec (ws.store, edit, &error));
  g_assert_true (crm_bulk_undo (ws.store, undo, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  read = g_strdup_printf ("SELECT lifecycle_stage_id FROM contact WHERE id = %" G_GINT64_FORMAT,
                          edited);
  g_assert_cmpint (query_int (read), ==, ws.lead);

  /* Put it back as the fixture made it: then all is as before. */
  restore = g_strdup_printf ("UPDATE contact SET lifecycle_stage_id = NULL WHERE id = %"
                             G_GINT64_FORMAT, edited);
  g_assert_true (crm_store_exec (ws.store, restore, &error));
  assert_unchanged (&before, n_changed + 1 + (n_changed - 1) + 1);
  snapshot_clear (&before);
}

static void
test_cancel (void)
{
  g_autoptr (GArray) even = pick_ids (is_even);
  Snapshot before = { NULL, };

  snapshot_take (&before);

  /* Cancelled while it runs: everything as it was. */
  for (guint op = 0; op < 3; op++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GCancellable) cancellable = g_cancellable_new ();
      g_autoptr (CrmBulkUndo) undo = NULL;
      Progress progress = { 0, 0.0, cancellable };

      if (op == 0)
        undo = crm_bulk_tag (ws.store, ws.all, crm_tags_ensure (ws.store, "Hủy", NULL),
                             progress_cb, &progress, cancellable, &error);
      else if (op == 1)
        undo = crm_bulk_untag (ws.store, even, ws.vip, progress_cb, &progress, cancellable,
                               &error);
      else
        undo = crm_bulk_archive (ws.store, ws.all, progress_cb, &progress, cancellable, &error);

      g_assert_null (undo);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_cmpfloat (progress.last, <, 1.0);
      assert_unchanged (&before, 0);
    }

  /* Cancelled before it starts. */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (GCancellable) cancellable = g_cancellable_new ();
    g_autoptr (CrmBulkUndo) undo = NULL;

    g_cancellable_cancel (cancellable);
    undo = crm_bulk_set_owner (ws.store, ws.all, "x", NULL, NULL, cancellable, &error);
    g_assert_null (undo);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    assert_unchanged (&before, 0);
  }

  /* A cancelled undo changes nothing and can be tried again. */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (GCancellable) cancellable = g_cancellable_new ();
    g_autoptr (CrmBulkUndo) undo = NULL;
    Progress progress = { 0, 0.0, cancellable };
    g_autofree char *tagged = NULL;

    undo = crm_bulk_untag (ws.store, even, ws.vip, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    tagged = digest ("SELECT contact_id, tag_id FROM contact_tag ORDER BY contact_id, tag_id");

    g_assert_false (crm_bulk_undo (ws.store, undo, progress_cb, &progress, cancellable, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
    g_assert_false (crm_bulk_undo_get_done (undo));
    {
      g_autofree char *still = digest ("SELECT contact_id, tag_id FROM contact_tag "
                                       "ORDER BY contact_id, tag_id");

      g_assert_cmpstr (still, ==, tagged);
    }

    g_assert_true (crm_bulk_undo (ws.store, undo, NULL, NULL, NULL, &error));
    g_assert_no_error (error);
    assert_unchanged (&before, 0);
  }

  snapshot_clear (&before);
}

static void
test_odd_input (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) empty = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (CrmBulkUndo) undo = NULL;
  gint64 odd[] = { 0, -5, 999999999, 0 };
  Snapshot before = { NULL, };

  snapshot_take (&before);

  /* Unknown tags, stages and statuses are errors; nothing changes. */
  g_assert_null (crm_bulk_tag (ws.store, ws.all, 424242, NULL, NULL, NULL, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (crm_bulk_set_lifecycle_stage (ws.store, ws.all, 424242, NULL, NULL, NULL,
                                               &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (crm_bulk_set_lead_status (ws.store, ws.all, 424242, NULL, NULL, NULL, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  assert_unchanged (&before, 0);

  /* Repeated ids count once; impossible and unknown ones are skipped. */
  g_array_append_vals (ids, odd, G_N_ELEMENTS (odd));
  /* Three contacts that are not archived, twice. */
  g_array_append_vals (ids, &g_array_index (ws.all, gint64, 10), 3);
  g_array_append_vals (ids, &g_array_index (ws.all, gint64, 10), 3);
  undo = crm_bulk_archive (ws.store, ids, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (crm_bulk_undo_get_n_changed (undo), ==, 3);
  g_assert_true (crm_bulk_undo (ws.store, undo, NULL, NULL, NULL, &error));
  g_clear_pointer (&undo, crm_bulk_undo_free);

  undo = crm_bulk_tag (ws.store, empty, ws.vip, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (crm_bulk_undo_get_n_changed (undo), ==, 0);
  g_assert_true (crm_bulk_undo (ws.store, undo, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  assert_unchanged (&before, 6);
  snapshot_clear (&before);
}

static void
test_tags_ensure (void)
{
  g_autoptr (GError) error = NULL;
  gint64 dealer = crm_tags_ensure (ws.store, "  Đại lý cấp 1 ", &error);
  gint64 again;

  g_assert_no_error (error);
  g_assert_cmpint (dealer, >, 0);
  again = crm_tags_ensure (ws.store, "đại LÝ cấp 1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (again, ==, dealer);
  g_assert_cmpint (query_int ("SELECT count(*) FROM tag WHERE name = 'Đại lý cấp 1'"), ==, 1);
  g_assert_cmpint (crm_tags_ensure (ws.store, "vip", &error), ==, ws.vip);

  g_assert_cmpint (crm_tags_ensure (ws.store, " \t", &error), ==, 0);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
}

static void
workspace_set_up (void)
{
  static const char *const given[] = { "An", "Bình", "Chi", "Dũng", "Hà", "Khoa", "Lan", "Minh" };
  static const char *const owners[] = { "lan", "minh", NULL, "hùng" };
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) key = crm_key_generate (NULL);
  g_autofree char *workspace = NULL;
  g_autofree CrmNewContact *contacts = g_new0 (CrmNewContact, N_CONTACTS);
  g_autoptr (GArray) tenth = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (CrmBulkUndo) tagged = NULL;
  gint64 stages[4] = { 0, };
  gint64 first = 0;
  gint64 start = g_get_monotonic_time ();

  ws.dir = crm_test_make_dir ();
  workspace = g_build_filename (ws.dir, "workspace", NULL);
  ws.store = crm_store_create (workspace, key, &error);
  g_assert_no_error (error);
  ws.db = crm_store_get_db (ws.store);

  for (guint i = 0; i < 3; i++)
    stages[i] = query_int (i == 0 ? "SELECT id FROM lifecycle_stage WHERE key = 'customer'"
                           : i == 1 ? "SELECT id FROM lifecycle_stage WHERE key = 'lead'"
                           : "SELECT id FROM lifecycle_stage WHERE key = 'subscriber'");
  ws.customer = stages[0];
  ws.lead = stages[1];
  ws.status_new = query_int ("SELECT id FROM lead_status WHERE key = 'new'");

  for (guint i = 0; i < N_CONTACTS; i++)
    {
      contacts[i].given_name = given[i % G_N_ELEMENTS (given)];
      contacts[i].family_name = i % 3 == 0 ? "Nguyễn" : "Trần";
      contacts[i].lifecycle_stage_id = stages[i % 4];
      contacts[i].lead_status_id = i % 2 == 0 ? ws.status_new + 1 : 0;
      contacts[i].owner = owners[i % G_N_ELEMENTS (owners)];
    }
  g_assert_true (crm_contacts_add_many (ws.store, contacts, N_CONTACTS, &first, &error));
  g_assert_no_error (error);

  ws.all = g_array_sized_new (FALSE, FALSE, sizeof (gint64), N_CONTACTS);
  for (gint64 id = first; id < first + N_CONTACTS; id++)
    {
      g_array_append_val (ws.all, id);
      if (id % 10 == 0)
        g_array_append_val (tenth, id);
    }
  g_assert_cmpuint (tenth->len, ==, N_PRETAGGED);

  /* Some archived contacts, every tenth one tagged VIP. */
  g_assert_true (crm_store_exec (ws.store, "UPDATE contact SET archived = 1 WHERE id % 50 = 5",
                                 &error));
  g_assert_no_error (error);
  ws.vip = crm_tags_ensure (ws.store, "VIP", &error);
  g_assert_no_error (error);
  tagged = crm_bulk_tag (ws.store, tenth, ws.vip, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (crm_bulk_undo_get_n_changed (tagged), ==, N_PRETAGGED);

  g_test_message ("made %d contacts in %.1f s", N_CONTACTS, seconds_since (start));
}

static void
workspace_tear_down (void)
{
  g_clear_pointer (&ws.all, g_array_unref);
  g_clear_object (&ws.store);
  crm_test_remove_tree (ws.dir);
  g_free (ws.dir);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bulk/tag-and-undo", test_tag_and_undo);
  g_test_add_func ("/bulk/tag-keeps-earlier-tags", test_tag_keeps_earlier_tags);
  g_test_add_func ("/bulk/untag-and-undo", test_untag_and_undo);
  g_test_add_func ("/bulk/columns-and-undo", test_columns_and_undo);
  g_test_add_func ("/bulk/undo-keeps-later-edits", test_undo_keeps_later_edits);
  g_test_add_func ("/bulk/cancel", test_cancel);
  g_test_add_func ("/bulk/odd-input", test_odd_input);
  g_test_add_func ("/bulk/tags-ensure", test_tags_ensure);

  workspace_set_up ();
  status = g_test_run ();
  workspace_tear_down ();

  return status;
}
