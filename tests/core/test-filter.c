/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "crm-bulk.h"
#include "crm-contacts.h"
#include "crm-filter.h"
#include "crm-key.h"
#include "crm-segment.h"
#include "crm-store.h"
#include "crm-test-util.h"

/* "Now" for the fixture: 15 May 2026, noon UTC, the middle of the month in
 * every time zone. */
#define NOW G_GINT64_CONSTANT (1778846400)
#define DAY 86400

typedef struct
{
  char     *dir;
  CrmStore *store;
  sqlite3  *db;
  gint64    id[9];          /* id[1] … id[8]: the contacts of the table below */
  gint64    customer;       /* lifecycle stage ids */
  gint64    lead;
  gint64    other;
  gint64    status_new;     /* lead status ids */
  gint64    status_open;
  gint64    vip;            /* tag ids */
  gint64    dealer;
  gint64    fair;
} Fixture;

/* The fixture's contacts. Contact 5 is archived; contact 7's primary
 * address is in Huế, with a second one in Hà Nội. Custom fields: 1 industry
 * (choice), 2 score (number), 3 signed (date), 4 wholesale (bool), 5 note
 * (text). */
typedef struct
{
  const char *family, *middle, *given;
  const char *stage;        /* lifecycle stage key */
  const char *status;       /* lead status key */
  const char *owner;        /* "" stored as an empty string, NULL as NULL */
  const char *source;
  const char *province;
  int         consent;
  const char *birthday;
  int         days_since_contact;  /* -1: never */
  int         archived;
  const char *tags;         /* tag names separated by '|' */
  const char *industry, *score, *signed_on, *wholesale, *note;
} Person;

static const Person people[] = {
  { NULL, },
  { "Nguyễn", "Văn", "An", "customer", NULL, "lan", "Website", "Hà Nội", 1, "1990-05-10", 5, 0,
    "VIP", "Bán lẻ", "15", "2024-03-01", "1", "Khách quen lâu năm" },
  { "Trần", "Thị", "Bình", "lead", "new", "minh", "Referral", "Hồ Chí Minh", 0, "1985-06-02", 40,
    0, "Đại lý", "Sản xuất", "50", NULL, NULL, NULL },
  { "Lê", "Hoàng", "Cường", "customer", NULL, NULL, "Website", "Hà Nội", 0, "1970-05-31", -1, 0,
    "VIP|Đại lý", NULL, NULL, NULL, "0", NULL },
  { "Phạm", "Minh", "Dũng", "lead", "open", "lan", "Facebook", "Đà Nẵng", 1, NULL, 100, 0,
    "", NULL, "8.5", "2025-01-15", NULL, NULL },
  { "Võ", "Thanh", "Em", "customer", NULL, "lan", "Website", "Hà Nội", 1, "2000-05-05", 2, 1,
    "VIP", "Bán lẻ", NULL, NULL, NULL, NULL },
  { "Hoàng", "Văn", "Giang", "other", NULL, "", NULL, NULL, 1, "1999-12-24", 1, 0,
    "", NULL, NULL, NULL, NULL, "Đối tác mới" },
  { "Đặng", "Thu", "Hà", NULL, NULL, "minh", "Referral", "Huế", 0, "1995-05-01", 31, 0,
    "Hội chợ", "Dịch vụ", NULL, NULL, "true", NULL },
  { "Bùi", "Quốc", "Khánh", "customer", NULL, "minh", "Website", "Hồ Chí Minh", 1, "1980-11-11",
    29, 0, "VIP|Hội chợ", NULL, "100", "2023-12-31", NULL, "khach QUEN" },
};

static void
exec_ok (Fixture    *f,
         const char *sql)
{
  g_autoptr (GError) error = NULL;

  if (!crm_store_exec (f->store, sql, &error))
    g_error ("%s: %s", sql, error->message);
}

static gint64
query_int (sqlite3    *db,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

static gint64
key_id (Fixture    *f,
        const char *table,
        const char *key)
{
  g_autofree char *sql = g_strdup_printf ("SELECT id FROM %s WHERE key = '%s'", table, key);

  return query_int (f->db, sql);
}

static void
add_custom_value (GString    *sql,
                  int         field,
                  gint64      contact,
                  const char *value)
{
  char *quoted;

  if (value == NULL)
    return;

  quoted = sqlite3_mprintf ("%Q", value);
  g_string_append_printf (sql, "INSERT INTO custom_value VALUES (%d, %" G_GINT64_FORMAT ", %s);\n",
                          field, contact, quoted);
  sqlite3_free (quoted);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) key = crm_key_generate (NULL);
  g_autofree char *workspace = NULL;
  g_autoptr (GString) sql = g_string_new ("BEGIN;\n");
  CrmNewContact contacts[G_N_ELEMENTS (people) - 1] = { { NULL, }, };
  gint64 first = 0;

  f->dir = crm_test_make_dir ();
  workspace = g_build_filename (f->dir, "workspace", NULL);
  f->store = crm_store_create (workspace, key, &error);
  g_assert_no_error (error);
  f->db = crm_store_get_db (f->store);

  f->customer = key_id (f, "lifecycle_stage", "customer");
  f->lead = key_id (f, "lifecycle_stage", "lead");
  f->other = key_id (f, "lifecycle_stage", "other");
  f->status_new = key_id (f, "lead_status", "new");
  f->status_open = key_id (f, "lead_status", "open");

  for (guint i = 1; i < G_N_ELEMENTS (people); i++)
    {
      const Person *p = &people[i];
      CrmNewContact *c = &contacts[i - 1];

      c->family_name = p->family;
      c->middle_name = p->middle;
      c->given_name = p->given;
      c->province = p->province;
      c->source = p->source;
      c->owner = p->owner != NULL && *p->owner != '\0' ? p->owner : NULL;
      c->lifecycle_stage_id = p->stage != NULL ? key_id (f, "lifecycle_stage", p->stage) : 0;
      c->lead_status_id = p->status != NULL ? key_id (f, "lead_status", p->status) : 0;
    }
  g_assert_true (crm_contacts_add_many (f->store, contacts, G_N_ELEMENTS (contacts), &first,
                                        &error));
  g_assert_no_error (error);

  g_string_append (sql,
                   "INSERT INTO tag (name) VALUES ('VIP'), ('Đại lý'), ('Hội chợ');\n"
                   "INSERT INTO custom_field (id, entity, key, label, type, options) VALUES "
                   "(1, 'contact', 'industry', 'Industry', 'choice', "
                   "'[\"Bán lẻ\", \"Sản xuất\", \"Dịch vụ\"]'), "
                   "(2, 'contact', 'score', 'Score', 'number', NULL), "
                   "(3, 'contact', 'signed', 'Signed', 'date', NULL), "
                   "(4, 'contact', 'wholesale', 'Wholesale', 'bool', NULL), "
                   "(5, 'contact', 'note', 'Note', 'text', NULL);\n");

  for (guint i = 1; i < G_N_ELEMENTS (people); i++)
    {
      const Person *p = &people[i];
      gint64 id = f->id[i] = first + i - 1;
      g_auto (GStrv) tags = g_strsplit (p->tags, "|", -1);
      char *birthday = sqlite3_mprintf ("%Q", p->birthday);
      g_autofree char *last = p->days_since_contact < 0
                              ? g_strdup ("NULL")
                              : g_strdup_printf ("%" G_GINT64_FORMAT,
                                                 NOW - (gint64) p->days_since_contact * DAY);

      g_string_append_printf (sql,
                              "UPDATE contact SET consent = %d, birthday = %s, archived = %d, "
                              "owner = %s, last_interaction = %s WHERE id = %" G_GINT64_FORMAT ";\n",
                              p->consent, birthday, p->archived,
                              p->owner == NULL ? "NULL" : p->owner[0] == '\0' ? "''" : "owner",
                              last, id);
      sqlite3_free (birthday);

      for (guint t = 0; tags[t] != NULL; t++)
        {
          if (*tags[t] != '\0')
            g_string_append_printf (sql, "INSERT INTO contact_tag SELECT %" G_GINT64_FORMAT
                                         ", id FROM tag WHERE name = '%s';\n", id, tags[t]);
        }

      add_custom_value (sql, 1, id, p->industry);
      add_custom_value (sql, 2, id, p->score);
      add_custom_value (sql, 3, id, p->signed_on);
      add_custom_value (sql, 4, id, p->wholesale);
      add_custom_value (sql, 5, id, p->note);
    }

  /* A second, not primary, address in Hà Nội for contact 7. */
  g_string_append_printf (sql, "INSERT INTO contact_address (contact_id, province, is_primary) "
                               "VALUES (%" G_GINT64_FORMAT ", 'Hà Nội', 0);\n", f->id[7]);
  g_string_append (sql, "COMMIT;");
  exec_ok (f, sql->str);

  f->vip = query_int (f->db, "SELECT id FROM tag WHERE name = 'VIP'");
  f->dealer = query_int (f->db, "SELECT id FROM tag WHERE name = 'Đại lý'");
  f->fair = query_int (f->db, "SELECT id FROM tag WHERE name = 'Hội chợ'");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  crm_test_remove_tree (f->dir);
  g_free (f->dir);
}

static CrmFilter *
new_filter (void)
{
  CrmFilter *filter = crm_filter_new ();

  crm_filter_set_now (filter, NOW);
  return filter;
}

/* The fixture numbers (1 … 8) of the contacts the filter keeps, as "1 3 8",
 * checked three ways: collected, counted and through the public SQL. */
static char *
matches (Fixture         *f,
         const CrmFilter *filter)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) ids = crm_filter_collect_ids (f->db, filter, NULL, &error);
  g_autoptr (GString) numbers = g_string_new (NULL);
  g_autoptr (GString) where = g_string_new (NULL);
  g_autoptr (CrmFilterBinds) binds = crm_filter_binds_new ();
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (crm_filter_count (f->db, filter, &error), ==, ids->len);
  g_assert_no_error (error);

  g_assert_true (crm_filter_build_sql (filter, where, binds, &error));
  sql = g_strdup_printf ("SELECT count(*) FROM contact c WHERE c.id > ? AND %s", where->str);
  g_assert_cmpint (sqlite3_prepare_v2 (f->db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, 0);
  g_assert_cmpint (crm_filter_bind (stmt, 2, binds), ==, 2 + (int) crm_filter_binds_get_length (binds));
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 0), ==, ids->len);
  sqlite3_finalize (stmt);

  for (guint n = 1; n < G_N_ELEMENTS (people); n++)
    {
      for (guint i = 0; i < ids->len; i++)
        {
          if (g_array_index (ids, gint64, i) == f->id[n])
            g_string_append_printf (numbers, "%s%u", numbers->len > 0 ? " " : "", n);
        }
    }

  return g_strdup (numbers->str);
}

#define assert_matches(f, filter, expected) \
  G_STMT_START { \
    g_autofree char *_got = matches ((f), (filter)); \
    g_assert_cmpstr (_got, ==, (expected)); \
  } G_STMT_END

static void
test_conditions (Fixture       *f,
                 gconstpointer  data)
{
  {
    g_autoptr (CrmFilter) filter = new_filter ();

    g_assert_true (crm_filter_is_empty (filter));
    assert_matches (f, filter, "1 2 3 4 6 7 8");
  }

  {
    g_autoptr (CrmFilter) filter = new_filter ();
    gint64 stages[] = { f->customer, f->customer };

    crm_filter_set_lifecycle_stages (filter, stages, G_N_ELEMENTS (stages));
    g_assert_false (crm_filter_is_empty (filter));
    assert_matches (f, filter, "1 3 8");
    stages[1] = f->lead;
    crm_filter_set_lifecycle_stages (filter, stages, G_N_ELEMENTS (stages));
    assert_matches (f, filter, "1 2 3 4 8");
  }

  {
    g_autoptr (CrmFilter) filter = new_filter ();
    gint64 statuses[] = { f->status_new, f->status_open };

    crm_filter_set_lead_statuses (filter, statuses, 1);
    assert_matches (f, filter, "2");
    crm_filter_set_lead_statuses (filter, statuses, 2);
    assert_matches (f, filter, "2 4");
  }

  {
    g_autoptr (CrmFilter) filter = new_filter ();
    gint64 tags[] = { f->vip, f->dealer };
    gint64 any[] = { f->dealer, f->fair };
    gint64 none[] = { f->vip };
    gint64 fair[] = { f->fair };

    crm_filter_set_tags (filter, CRM_FILTER_TAGS_ALL, tags, 1);
    assert_matches (f, filter, "1 3 8");
    crm_filter_set_tags (filter, CRM_FILTER_TAGS_ALL, tags, 2);
    assert_matches (f, filter, "3");
    crm_filter_set_tags (filter, CRM_FILTER_TAGS_ANY, any, 2);
    assert_matches (f, filter, "2 3 7 8");
    crm_filter_set_tags (filter, CRM_FILTER_TAGS_ANY, NULL, 0);
    crm_filter_set_tags_none (filter, none, 1);
    assert_matches (f, filter, "2 4 6 7");
    crm_filter_set_tags (filter, CRM_FILTER_TAGS_ALL, tags, 1);
    crm_filter_set_tags_none (filter, fair, 1);
    assert_matches (f, filter, "1 3");
  }

  {
    g_autoptr (CrmFilter) filter = new_filter ();

    crm_filter_set_owner (filter, "lan");
    assert_matches (f, filter, "1 4");
    crm_filter_set_owner (filter, "");
    assert_matches (f, filter, "3 6");
    crm_filter_set_owner (filter, NULL);
    g_assert_true (crm_filter_is_empty (filter));
  }

  {
    g_autoptr (CrmFilter) filter = new_filter ();

    crm_filter_set_province (filter, "Hà Nội");
    assert_matches (f, filter, "1 3");
    crm_filter_set_province (filter, "Huế");
    assert_matches (f, filter, "7");
  }

  {
    g_autoptr (CrmFilter) filter = new_filter ();

    crm_filter_set_source (filter, "Website");
    assert_matches (f, filter, "1 3 8");
  }

  {
    g_autoptr (CrmFilter) filter = new_filter ();

    crm_filter_set_consent (filter, CRM_FILTER_CONSENT_YES);
    assert_matches (f, filter, "1 4 6 8");
    crm_filter_set_consent (filter, CRM_FILTER_CONSENT_NO);
    assert_matches (f, filter, "2 3 7");
  }

  {
    g_autoptr (CrmFilter) filter = new_filter ();

    crm_filter_set_no_contact_days (filter, 30);
    assert_matches (f, filter, "2 3 4 7");
    crm_filter_set_no_contact_days (filter, 3);
    assert_matches (f, filter, "1 2 3 4 7 8");
  }

  {
    g_autoptr (CrmFilter) filter = new_filter ();

    crm_filter_set_birthday_this_month (filter, TRUE);
    assert_matches (f, filter, "1 3 7");
    /* A month later: June. */
    crm_filter_set_now (filter, NOW + 31 * DAY);
    assert_matches (f, filter, "2");
  }

  {
    g_autoptr (CrmFilter) filter = new_filter ();

    crm_filter_set_archived (filter, CRM_FILTER_ARCHIVED_ONLY);
    g_assert_false (crm_filter_is_empty (filter));
    assert_matches (f, filter, "5");
    crm_filter_set_archived (filter, CRM_FILTER_ARCHIVED_INCLUDE);
    assert_matches (f, filter, "1 2 3 4 5 6 7 8");
  }
}

static void
test_custom_fields (Fixture       *f,
                    gconstpointer  data)
{
  static const struct {
    CrmCustomOp  op;
    gint64       field;
    const char  *text;
    double       min, max;
    gboolean     value;
    const char  *expected;
  } cases[] = {
    { CRM_CUSTOM_EQUALS, 1, "ban le", 0, 0, FALSE, "1" },
    { CRM_CUSTOM_EQUALS, 5, "KHÁCH QUEN", 0, 0, FALSE, "8" },
    { CRM_CUSTOM_CONTAINS, 5, "quen", 0, 0, FALSE, "1 8" },
    { CRM_CUSTOM_CONTAINS, 5, "đối", 0, 0, FALSE, "6" },
    { CRM_CUSTOM_BETWEEN, 2, NULL, 10, 60, FALSE, "1 2" },
    { CRM_CUSTOM_BETWEEN, 2, NULL, 50, NAN, FALSE, "2 8" },
    { CRM_CUSTOM_BETWEEN, 2, NULL, NAN, 10, FALSE, "4" },
    { CRM_CUSTOM_BEFORE, 3, "2024-01-01", 0, 0, FALSE, "8" },
    { CRM_CUSTOM_AFTER, 3, "2024-06-01", 0, 0, FALSE, "4" },
    { CRM_CUSTOM_AFTER, 3, "2024-03-01", 0, 0, FALSE, "4" },
    { CRM_CUSTOM_IS, 4, NULL, 0, 0, TRUE, "1 7" },
    { CRM_CUSTOM_IS, 4, NULL, 0, 0, FALSE, "2 3 4 6 8" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (CrmFilter) filter = new_filter ();

      switch (cases[i].op)
        {
        case CRM_CUSTOM_EQUALS:
        case CRM_CUSTOM_CONTAINS:
          crm_filter_add_custom_text (filter, cases[i].field, cases[i].op, cases[i].text);
          break;
        case CRM_CUSTOM_BETWEEN:
          crm_filter_add_custom_between (filter, cases[i].field, cases[i].min, cases[i].max);
          break;
        case CRM_CUSTOM_BEFORE:
        case CRM_CUSTOM_AFTER:
          crm_filter_add_custom_date (filter, cases[i].field, cases[i].op, cases[i].text);
          break;
        case CRM_CUSTOM_IS:
          crm_filter_add_custom_bool (filter, cases[i].field, cases[i].value);
          break;
        case CRM_CUSTOM_ANY_OF:
        default:
          g_assert_not_reached ();
        }

      g_test_message ("custom case %u", i);
      assert_matches (f, filter, cases[i].expected);
    }

  {
    g_autoptr (CrmFilter) filter = new_filter ();
    const char *choices[] = { "Bán lẻ", "Dịch vụ", NULL };

    crm_filter_add_custom_choices (filter, 1, choices);
    assert_matches (f, filter, "1 7");
    g_assert_cmpuint (crm_filter_get_n_custom (filter), ==, 1);
    g_assert_cmpstr (crm_filter_get_custom (filter, 0)->choices[1], ==, "Dịch vụ");

    /* Two conditions on custom fields hold together. */
    crm_filter_add_custom_bool (filter, 4, TRUE);
    crm_filter_add_custom_text (filter, 5, CRM_CUSTOM_CONTAINS, "quen");
    assert_matches (f, filter, "1");
    crm_filter_remove_custom (filter, 2);
    assert_matches (f, filter, "1 7");
  }
}

/* A condition carried over with crm_filter_add_custom() is a copy of the
 * one the typed functions made, whatever its op. */
static void
test_add_custom (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr (CrmFilter) source = new_filter ();
  g_autoptr (CrmFilter) copy = new_filter ();
  const char *choices[] = { "Bán lẻ", "Dịch vụ", NULL };
  g_autofree char *source_json = NULL;
  g_autofree char *copy_json = NULL;

  crm_filter_add_custom_text (source, 5, CRM_CUSTOM_CONTAINS, "quen");
  crm_filter_add_custom_between (source, 2, 10, NAN);
  crm_filter_add_custom_date (source, 3, CRM_CUSTOM_AFTER, "2024-03-01");
  crm_filter_add_custom_bool (source, 4, TRUE);
  crm_filter_add_custom_choices (source, 1, choices);
  crm_filter_add_custom_text (source, 1, CRM_CUSTOM_EQUALS, "ban le");

  for (guint i = 0; i < crm_filter_get_n_custom (source); i++)
    crm_filter_add_custom (copy, crm_filter_get_custom (source, i));

  g_assert_cmpuint (crm_filter_get_n_custom (copy), ==, 6);
  g_assert_true (crm_filter_equal (source, copy));
  source_json = crm_filter_to_json (source);
  copy_json = crm_filter_to_json (copy);
  g_assert_cmpstr (copy_json, ==, source_json);
  for (guint i = 0; i < 6; i++)
    {
      const CrmFilterCustom *a = crm_filter_get_custom (source, i);
      const CrmFilterCustom *b = crm_filter_get_custom (copy, i);

      g_assert_cmpint (b->op, ==, a->op);
      g_assert_cmpint (b->field_id, ==, a->field_id);
      g_assert_true (a->text == NULL || b->text != a->text);
      g_assert_true (a->choices == NULL || b->choices != a->choices);
    }
  g_assert_cmpstr (crm_filter_get_custom (copy, 4)->choices[1], ==, "Dịch vụ");

  /* The copy keeps what the source keeps and outlives it. */
  g_clear_pointer (&source, crm_filter_unref);
  assert_matches (f, copy, "");
  crm_filter_remove_custom (copy, 2);
  assert_matches (f, copy, "1");
  crm_filter_remove_custom (copy, 4);
  crm_filter_remove_custom (copy, 3);
  crm_filter_remove_custom (copy, 2);
  assert_matches (f, copy, "1 8");
}

static void
test_combinations (Fixture       *f,
                   gconstpointer  data)
{
  {
    g_autoptr (CrmFilter) filter = new_filter ();
    gint64 stages[] = { f->customer };
    gint64 tags[] = { f->vip };

    crm_filter_set_lifecycle_stages (filter, stages, 1);
    crm_filter_set_tags (filter, CRM_FILTER_TAGS_ALL, tags, 1);
    crm_filter_set_consent (filter, CRM_FILTER_CONSENT_YES);
    assert_matches (f, filter, "1 8");
    crm_filter_set_archived (filter, CRM_FILTER_ARCHIVED_INCLUDE);
    assert_matches (f, filter, "1 5 8");
    crm_filter_set_source (filter, "Website");
    crm_filter_set_owner (filter, "minh");
    assert_matches (f, filter, "8");
  }

  {
    g_autoptr (CrmFilter) filter = new_filter ();

    crm_filter_set_birthday_this_month (filter, TRUE);
    crm_filter_set_no_contact_days (filter, 30);
    assert_matches (f, filter, "3 7");
    crm_filter_set_province (filter, "Hà Nội");
    assert_matches (f, filter, "3");
  }

  {
    g_autoptr (CrmFilter) filter = new_filter ();

    crm_filter_set_owner (filter, "lan");
    crm_filter_set_archived (filter, CRM_FILTER_ARCHIVED_INCLUDE);
    assert_matches (f, filter, "1 4 5");
    crm_filter_set_archived (filter, CRM_FILTER_ARCHIVED_ONLY);
    crm_filter_set_province (filter, "Hà Nội");
    assert_matches (f, filter, "5");
    crm_filter_add_custom_choices (filter, 1, (const char *[]) { "Sản xuất", NULL });
    assert_matches (f, filter, "");
  }
}

static void
test_search_query (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmFilter) filter = new_filter ();
  g_autoptr (GArray) ids = NULL;
  gint64 stages[] = { f->customer };

  g_assert_cmpint (crm_filter_count_matching (f->db, filter, "nguyen", &error), ==, 1);
  g_assert_cmpint (crm_filter_count_matching (f->db, filter, "vip", &error), ==, 3);
  g_assert_cmpint (crm_filter_count_matching (f->db, filter, "   ", &error), ==, 7);
  g_assert_cmpint (crm_filter_count_matching (f->db, filter, "!!!", &error), ==, 0);
  crm_filter_set_lifecycle_stages (filter, stages, 1);
  crm_filter_set_consent (filter, CRM_FILTER_CONSENT_NO);
  g_assert_cmpint (crm_filter_count_matching (f->db, filter, "vip", &error), ==, 1);
  g_assert_no_error (error);

  ids = crm_filter_collect_ids_matching (f->db, filter, "vip", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, f->id[3]);
}

static void
test_json (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmFilter) filter = new_filter ();
  g_autoptr (CrmFilter) back = NULL;
  g_autoptr (CrmFilter) copy = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json_back = NULL;
  gint64 stages[] = { 7, 6, 7 };
  gint64 statuses[] = { 2 };
  gint64 tags[] = { 3, 1 };
  gint64 none[] = { 9 };
  gsize n = 0;

  {
    g_autoptr (CrmFilter) empty = crm_filter_new ();
    g_autofree char *empty_json = crm_filter_to_json (empty);

    g_assert_cmpstr (empty_json, ==, "{}");
  }

  crm_filter_set_lifecycle_stages (filter, stages, G_N_ELEMENTS (stages));
  crm_filter_set_lead_statuses (filter, statuses, 1);
  crm_filter_set_tags (filter, CRM_FILTER_TAGS_ANY, tags, 2);
  crm_filter_set_tags_none (filter, none, 1);
  crm_filter_set_owner (filter, "");
  crm_filter_set_province (filter, "Hà Nội");
  crm_filter_set_source (filter, "Website \"quà\"");
  crm_filter_set_consent (filter, CRM_FILTER_CONSENT_NO);
  crm_filter_add_custom_text (filter, 5, CRM_CUSTOM_CONTAINS, "quen");
  crm_filter_add_custom_text (filter, 5, CRM_CUSTOM_EQUALS, "Khách");
  crm_filter_add_custom_between (filter, 2, 1.5, NAN);
  crm_filter_add_custom_between (filter, 2, 1, 5);
  crm_filter_add_custom_date (filter, 3, CRM_CUSTOM_BEFORE, "2024-02-29");
  crm_filter_add_custom_date (filter, 3, CRM_CUSTOM_AFTER, "2023-01-01");
  crm_filter_add_custom_bool (filter, 4, FALSE);
  crm_filter_add_custom_choices (filter, 1, (const char *[]) { "Bán lẻ", "Dịch vụ", NULL });
  crm_filter_set_no_contact_days (filter, 30);
  crm_filter_set_birthday_this_month (filter, TRUE);
  crm_filter_set_archived (filter, CRM_FILTER_ARCHIVED_INCLUDE);

  /* Ids are kept sorted and without repeats. */
  g_assert_cmpint (crm_filter_get_lifecycle_stages (filter, &n)[0], ==, 6);
  g_assert_cmpuint (n, ==, 2);

  json = crm_filter_to_json (filter);
  back = crm_filter_new_from_json (json, &error);
  g_assert_no_error (error);
  json_back = crm_filter_to_json (back);
  g_assert_cmpstr (json, ==, json_back);
  crm_filter_set_now (back, NOW);
  g_assert_true (crm_filter_equal (filter, back));
  g_assert_cmpstr (crm_filter_get_owner (back), ==, "");
  g_assert_cmpstr (crm_filter_get_source (back), ==, "Website \"quà\"");
  g_assert_cmpint (crm_filter_get_archived (back), ==, CRM_FILTER_ARCHIVED_INCLUDE);
  g_assert_cmpint (crm_filter_get_consent (back), ==, CRM_FILTER_CONSENT_NO);
  g_assert_cmpuint (crm_filter_get_no_contact_days (back), ==, 30);
  g_assert_true (isnan (crm_filter_get_custom (back, 2)->max));
  g_assert_cmpfloat (crm_filter_get_custom (back, 2)->min, ==, 1.5);
  g_assert_cmpstr (crm_filter_get_custom (back, 4)->text, ==, "2024-02-29");

  /* A copy is equal, and changing it leaves the original alone. */
  copy = crm_filter_copy (filter);
  g_assert_true (crm_filter_equal (filter, copy));
  crm_filter_set_province (copy, NULL);
  g_assert_false (crm_filter_equal (filter, copy));
  g_assert_cmpstr (crm_filter_get_province (filter), ==, "Hà Nội");

  /* The filter works as SQL after the round trip. */
  g_assert_cmpint (crm_filter_count (f->db, back, &error), ==, 0);
  g_assert_no_error (error);
}

static void
test_json_unknown_and_errors (Fixture       *f,
                              gconstpointer  data)
{
  static const struct {
    const char *json;
    const char *in_message;
  } bad[] = {
    { "{\"stages\": [1", "not valid JSON" },
    { "[1, 2]", "not a JSON object" },
    { "{\"stages\": \"customer\"}", "“stages”" },
    { "{\"tags\": [1, 0]}", "“tags”" },
    { "{\"lead_statuses\": [1.5]}", "“lead_statuses”" },
    { "{\"owner\": 3}", "“owner”" },
    { "{\"consent\": \"yes\"}", "“consent”" },
    { "{\"birthday_this_month\": 1}", "“birthday_this_month”" },
    { "{\"no_contact_days\": 0}", "“no_contact_days”" },
    { "{\"no_contact_days\": \"30\"}", "“no_contact_days”" },
    { "{\"tag_match\": \"most\"}", "“tag_match”" },
    { "{\"archived\": \"maybe\"}", "“archived”" },
    { "{\"custom\": {}}", "“custom”" },
    { "{\"custom\": [3]}", "custom condition 1 must be an object" },
    { "{\"custom\": [{\"op\": \"equals\", \"text\": \"a\"}]}", "custom condition 1 has no field" },
    { "{\"custom\": [{\"field\": 1, \"op\": \"equals\", \"text\": \"a\"}, "
      "{\"field\": 1, \"op\": \"like\"}]}", "custom condition 2 has an unknown operator" },
    { "{\"custom\": [{\"field\": 1, \"op\": \"contains\", \"text\": \"\"}]}", "needs text" },
    { "{\"custom\": [{\"field\": 1, \"op\": \"before\", \"date\": \"2024-13-01\"}]}",
      "YYYY-MM-DD" },
    { "{\"custom\": [{\"field\": 1, \"op\": \"after\", \"date\": \"2023-02-29\"}]}",
      "YYYY-MM-DD" },
    { "{\"custom\": [{\"field\": 1, \"op\": \"between\"}]}", "number" },
    { "{\"custom\": [{\"field\": 1, \"op\": \"between\", \"min\": 5, \"max\": 1}]}", "number" },
    { "{\"custom\": [{\"field\": 1, \"op\": \"between\", \"min\": \"5\"}]}", "number" },
    { "{\"custom\": [{\"field\": 1, \"op\": \"is\", \"value\": \"yes\"}]}", "true or false" },
    { "{\"custom\": [{\"field\": 1, \"op\": \"any_of\", \"choices\": []}]}", "choice" },
    { "{\"custom\": [{\"field\": 1, \"op\": \"any_of\", \"choices\": [1]}]}", "choice" },
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmFilter) filter = NULL;
  g_autofree char *json = NULL;

  /* Unknown members are kept and written back; known ones are read. */
  filter = crm_filter_new_from_json ("{\"stages\": [2], \"color\": \"blue\", "
                                     "\"later\": {\"x\": [1, 2]}}", &error);
  g_assert_no_error (error);
  json = crm_filter_to_json (filter);
  g_assert_nonnull (strstr (json, "\"color\":\"blue\""));
  g_assert_nonnull (strstr (json, "\"later\":{\"x\":[1,2]}"));
  g_assert_nonnull (strstr (json, "\"stages\":[2]"));
  g_assert_false (crm_filter_is_empty (filter));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (CrmFilter) none = crm_filter_new_from_json (bad[i].json, &error);

      g_assert_null (none);
      g_assert_error (error, CRM_FILTER_ERROR, CRM_FILTER_ERROR_INVALID);
      if (strstr (error->message, bad[i].in_message) == NULL)
        g_error ("%s: “%s” does not say %s", bad[i].json, error->message, bad[i].in_message);
      g_clear_error (&error);
    }
}

static void
test_describe (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr (CrmFilter) filter = new_filter ();
  g_autofree char *with_names = NULL;
  g_autofree char *with_ids = NULL;
  g_autofree char *expected_ids = NULL;
  g_autofree char *custom = NULL;
  gint64 stages[] = { f->customer };
  gint64 tags[] = { f->vip };

  {
    g_autofree char *empty = crm_filter_describe (filter, f->db);

    g_assert_cmpstr (empty, ==, "");
  }

  crm_filter_set_lifecycle_stages (filter, stages, 1);
  crm_filter_set_tags (filter, CRM_FILTER_TAGS_ALL, tags, 1);
  crm_filter_set_no_contact_days (filter, 30);
  with_names = crm_filter_describe (filter, f->db);
  g_assert_cmpstr (with_names, ==, "Customer · tag VIP · no contact for 30 days");

  with_ids = crm_filter_describe (filter, NULL);
  expected_ids = g_strdup_printf ("#%" G_GINT64_FORMAT " · tag #%" G_GINT64_FORMAT
                                  " · no contact for 30 days", f->customer, f->vip);
  g_assert_cmpstr (with_ids, ==, expected_ids);

  crm_filter_set_lifecycle_stages (filter, NULL, 0);
  crm_filter_set_tags (filter, CRM_FILTER_TAGS_ALL, NULL, 0);
  crm_filter_set_no_contact_days (filter, 1);
  crm_filter_set_owner (filter, "");
  crm_filter_set_consent (filter, CRM_FILTER_CONSENT_YES);
  crm_filter_add_custom_between (filter, 2, 1, 5);
  crm_filter_add_custom_bool (filter, 4, TRUE);
  crm_filter_add_custom_text (filter, 9, CRM_CUSTOM_CONTAINS, "quen");
  crm_filter_set_archived (filter, CRM_FILTER_ARCHIVED_ONLY);
  custom = crm_filter_describe (filter, f->db);
  g_assert_cmpstr (custom, ==, "No owner · consented to marketing · Score from 1 to 5 · "
                               "Wholesale: yes · field #9 contains “quen” · "
                               "no contact for 1 day · archived");
}

/* The full list in @order, with the filter applied afterwards in C: what
 * a first page must be the start of. */
static GArray *
expected_order (Fixture         *f,
                const CrmFilter *filter,
                CrmSortOrder     order)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) kept = crm_filter_collect_ids (f->db, filter, NULL, &error);
  g_autoptr (GHashTable) set = g_hash_table_new (g_int64_hash, g_int64_equal);
  GArray *ordered = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_no_error (error);
  for (guint i = 0; i < kept->len; i++)
    g_hash_table_add (set, &g_array_index (kept, gint64, i));

  sql = g_strdup_printf ("SELECT id FROM contact ORDER BY %s, id",
                         order == CRM_SORT_FAMILY_NAME ? "sort_family" : "sort_given");
  g_assert_cmpint (sqlite3_prepare_v2 (f->db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      if (g_hash_table_contains (set, &id))
        g_array_append_val (ordered, id);
    }
  sqlite3_finalize (stmt);

  return ordered;
}

static void
assert_first_page (Fixture         *f,
                   const CrmFilter *filter,
                   const char      *query,
                   guint            limit)
{
  static const CrmFilterPlan plans[] = {
    CRM_FILTER_PLAN_AUTO, CRM_FILTER_PLAN_LIST_ORDER, CRM_FILTER_PLAN_SMALLEST_SET,
  };

  for (CrmSortOrder order = CRM_SORT_GIVEN_NAME; order <= CRM_SORT_FAMILY_NAME; order++)
    {
      g_autoptr (GArray) expected = expected_order (f, filter, order);

      if (query != NULL)
        {
          g_autoptr (GError) error = NULL;
          g_autoptr (GArray) matching = crm_filter_collect_ids_matching (f->db, filter, query,
                                                                         NULL, &error);
          guint kept = 0;

          g_assert_no_error (error);
          for (guint i = 0; i < expected->len; i++)
            {
              for (guint j = 0; j < matching->len; j++)
                {
                  if (g_array_index (matching, gint64, j) == g_array_index (expected, gint64, i))
                    {
                      g_array_index (expected, gint64, kept++) = g_array_index (expected, gint64, i);
                      break;
                    }
                }
            }
          g_array_set_size (expected, kept);
        }

      for (guint p = 0; p < G_N_ELEMENTS (plans); p++)
        {
          g_autoptr (GError) error = NULL;
          g_autoptr (GArray) page = crm_filter_first_page_full (f->db, filter, query, order,
                                                                limit, plans[p], 0, &error);

          g_assert_no_error (error);
          g_assert_cmpuint (page->len, ==, MIN (limit, expected->len));
          for (guint i = 0; i < page->len; i++)
            g_assert_cmpint (g_array_index (page, gint64, i), ==,
                             g_array_index (expected, gint64, i));
        }
    }
}

static void
test_first_page (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr (CrmFilter) filter = new_filter ();
  gint64 stages[] = { f->customer, f->lead };
  gint64 tags[] = { f->vip };

  assert_first_page (f, filter, NULL, 3);
  assert_first_page (f, filter, NULL, 100);
  crm_filter_set_lifecycle_stages (filter, stages, 2);
  assert_first_page (f, filter, NULL, 2);
  crm_filter_set_tags (filter, CRM_FILTER_TAGS_ALL, tags, 1);
  assert_first_page (f, filter, NULL, 2);
  crm_filter_set_archived (filter, CRM_FILTER_ARCHIVED_INCLUDE);
  assert_first_page (f, filter, NULL, 2);
  assert_first_page (f, filter, NULL, 10);
  crm_filter_set_archived (filter, CRM_FILTER_ARCHIVED_ONLY);
  assert_first_page (f, filter, NULL, 10);
  crm_filter_set_archived (filter, CRM_FILTER_ARCHIVED_EXCLUDE);
  assert_first_page (f, filter, "khanh", 10);
  assert_first_page (f, filter, "zzz", 10);
}

/* 20,000 more contacts, so that the first page has to choose: a tag on a
 * few contacts, one on many at the start of the list, and one on many at
 * its end; a custom value on a few. */
static void
test_first_page_large (Fixture       *f,
                       gconstpointer  data)
{
  static const char *const given[] = { "An", "Bảo", "Chi", "Dung", "Giang", "Hà", "Khoa",
                                       "Lan", "Minh", "Nam", "Phúc", "Quân", "Thảo", "Yến" };
  static const char *const family[] = { "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng" };
  const guint n = 20000;
  g_autofree CrmNewContact *contacts = g_new0 (CrmNewContact, n);
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) few = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) early = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) late = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 first = 0;
  gint64 few_tag, early_tag, late_tag;

  for (guint i = 0; i < n; i++)
    {
      contacts[i].given_name = given[(i * 5) % G_N_ELEMENTS (given)];
      contacts[i].middle_name = "Văn";
      contacts[i].family_name = family[i % G_N_ELEMENTS (family)];
      contacts[i].lifecycle_stage_id = i % 3 == 0 ? f->customer : f->lead;
      contacts[i].owner = i % 500 == 7 ? "Hiếm" : i % 2 == 0 ? "lan" : NULL;
    }
  g_assert_true (crm_contacts_add_many (f->store, contacts, n, &first, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < n; i++)
    {
      gint64 id = first + i;
      const char *name = contacts[i].given_name;

      if (i % 997 == 0)
        g_array_append_val (few, id);
      if (g_str_equal (name, "An") || g_str_equal (name, "Bảo"))
        g_array_append_val (early, id);
      if (g_str_equal (name, "Yến") || g_str_equal (name, "Thảo"))
        g_array_append_val (late, id);
    }

  few_tag = crm_tags_ensure (f->store, "Few", &error);
  early_tag = crm_tags_ensure (f->store, "Early", &error);
  late_tag = crm_tags_ensure (f->store, "Late", &error);
  g_assert_no_error (error);
  crm_bulk_undo_free (crm_bulk_tag (f->store, few, few_tag, NULL, NULL, NULL, &error));
  crm_bulk_undo_free (crm_bulk_tag (f->store, early, early_tag, NULL, NULL, NULL, &error));
  crm_bulk_undo_free (crm_bulk_tag (f->store, late, late_tag, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  /* More than a first page starts from at once, fewer than it counts. */
  g_assert_cmpuint (late->len, >, 2000);
  g_assert_cmpuint (early->len, >, 2000);
  exec_ok (f, "INSERT INTO custom_value SELECT 2, id, id % 1000 FROM contact WHERE id % 10 = 0");

  {
    g_autoptr (CrmFilter) filter = new_filter ();
    gint64 tags[] = { few_tag };

    crm_filter_set_tags (filter, CRM_FILTER_TAGS_ALL, tags, 1);
    assert_first_page (f, filter, NULL, 200);
    tags[0] = early_tag;
    crm_filter_set_tags (filter, CRM_FILTER_TAGS_ALL, tags, 1);
    assert_first_page (f, filter, NULL, 200);
    tags[0] = late_tag;
    crm_filter_set_tags (filter, CRM_FILTER_TAGS_ALL, tags, 1);
    assert_first_page (f, filter, NULL, 200);
    crm_filter_set_tags (filter, CRM_FILTER_TAGS_ANY, tags, 1);
    assert_first_page (f, filter, "yen", 50);
  }

  {
    g_autoptr (CrmFilter) filter = new_filter ();
    gint64 stages[] = { f->customer };

    crm_filter_set_lifecycle_stages (filter, stages, 1);
    crm_filter_add_custom_between (filter, 2, 0, 200);
    assert_first_page (f, filter, NULL, 200);
    crm_filter_set_birthday_this_month (filter, TRUE);
    assert_first_page (f, filter, NULL, 200);
  }

  /* Owners, without and with the index on them the schema makes (a place
   * to start from). */
  for (guint indexed = 0; indexed < 2; indexed++)
    {
      g_autoptr (CrmFilter) filter = new_filter ();

      if (indexed)
        exec_ok (f, "CREATE INDEX contact_owner ON contact (owner) WHERE owner IS NOT NULL");
      else
        exec_ok (f, "DROP INDEX contact_owner");
      crm_filter_set_owner (filter, "Hiếm");
      g_assert_cmpint (crm_filter_count (f->db, filter, &error), ==, 40);
      assert_first_page (f, filter, NULL, 200);
      crm_filter_set_owner (filter, "");
      g_assert_cmpint (crm_filter_count (f->db, filter, &error), ==, 9960 + 2);
      assert_first_page (f, filter, NULL, 200);
      g_assert_no_error (error);
    }

  /* With a budget too small for any walk, the first page gives up and says
   * so; with a fair one, it is the right page or says it gave up. */
  {
    g_autoptr (CrmFilter) filter = new_filter ();
    g_autoptr (GArray) none = NULL;
    g_autoptr (GArray) page = NULL;

    crm_filter_set_owner (filter, "nobody");
    none = crm_filter_first_page_full (f->db, filter, NULL, CRM_SORT_GIVEN_NAME, 200,
                                       CRM_FILTER_PLAN_LIST_ORDER, 1, &error);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
    g_assert_null (none);
    g_clear_error (&error);

    crm_filter_set_owner (filter, NULL);
    page = crm_filter_first_page (f->db, filter, CRM_SORT_GIVEN_NAME, 200, &error);
    if (page == NULL)
      {
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
      }
    else
      {
        g_autoptr (GArray) expected = expected_order (f, filter, CRM_SORT_GIVEN_NAME);

        g_assert_no_error (error);
        g_assert_cmpuint (page->len, ==, 200);
        g_assert_cmpmem (page->data, 200 * sizeof (gint64), expected->data,
                         200 * sizeof (gint64));
      }
  }
}

/* Segments */

static void
count_changed_cb (CrmStore   *store,
                  const char *entity,
                  gint64      id,
                  guint      *count)
{
  (*count)++;
}

static void
test_segment_crud (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmFilter) customers = new_filter ();
  g_autoptr (GPtrArray) list = NULL;
  gint64 stages[] = { f->customer };
  guint changed = 0;
  gint64 a, b, c;

  g_signal_connect (f->store, "changed::segment", G_CALLBACK (count_changed_cb), &changed);
  crm_filter_set_lifecycle_stages (customers, stages, 1);

  a = crm_segment_create (f->store, "  Khách VIP  ", "", customers, &error);
  g_assert_no_error (error);
  g_assert_cmpint (a, >, 0);
  b = crm_segment_create (f->store, "Chưa liên hệ", "nguyen", NULL, &error);
  g_assert_no_error (error);
  c = crm_segment_create (f->store, "Đại lý", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 3);

  /* Names are trimmed, required, and unique whatever their case. */
  g_assert_cmpint (crm_segment_create (f->store, "KHÁCH vip", "", NULL, &error), ==, 0);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "KHÁCH vip"));
  g_clear_error (&error);
  g_assert_cmpint (crm_segment_create (f->store, "   ", "", NULL, &error), ==, 0);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (crm_segment_rename (f->store, b, "đại LÝ", &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (crm_segment_rename (f->store, c, "ĐẠI LÝ ", &error));
  g_assert_no_error (error);
  g_assert_false (crm_segment_rename (f->store, 9999, "Khác", &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (changed, ==, 4);

  list = crm_segments_list (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  {
    CrmSegment *first = g_ptr_array_index (list, 0);
    g_autoptr (CrmFilter) read = crm_filter_new_from_json (first->filter, &error);

    g_assert_no_error (error);
    g_assert_cmpint (first->id, ==, a);
    g_assert_cmpstr (first->name, ==, "Khách VIP");
    g_assert_cmpstr (first->query, ==, "");
    crm_filter_set_now (read, NOW);
    g_assert_true (crm_filter_equal (read, customers));
    g_assert_cmpstr (((CrmSegment *) g_ptr_array_index (list, 1))->query, ==, "nguyen");
    g_assert_cmpstr (((CrmSegment *) g_ptr_array_index (list, 2))->name, ==, "ĐẠI LÝ");
    g_assert_cmpstr (((CrmSegment *) g_ptr_array_index (list, 2))->filter, ==, "{}");
  }
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Reorder: the ones named first, the others after in their order. */
  {
    gint64 order[] = { c };

    g_assert_true (crm_segments_reorder (f->store, order, 1, &error));
    g_assert_no_error (error);
    list = crm_segments_list (f->store, &error);
    g_assert_cmpint (((CrmSegment *) g_ptr_array_index (list, 0))->id, ==, c);
    g_assert_cmpint (((CrmSegment *) g_ptr_array_index (list, 1))->id, ==, a);
    g_assert_cmpint (((CrmSegment *) g_ptr_array_index (list, 2))->id, ==, b);
    g_clear_pointer (&list, g_ptr_array_unref);
    order[0] = 12345;
    g_assert_false (crm_segments_reorder (f->store, order, 1, &error));
    g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
    g_clear_error (&error);
  }

  /* Update: the query alone, then the filter alone. */
  g_assert_true (crm_segment_update (f->store, a, "vip", NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr (CrmSegment) loaded = crm_segment_load (f->store, a, &error);
    g_autoptr (CrmSegment) copy = NULL;

    g_assert_no_error (error);
    g_assert_cmpstr (loaded->query, ==, "vip");
    g_assert_nonnull (strstr (loaded->filter, "\"stages\""));
    copy = crm_segment_copy (loaded);
    g_assert_cmpstr (copy->name, ==, loaded->name);
  }
  {
    g_autoptr (CrmFilter) archived = crm_filter_new ();
    g_autoptr (CrmSegment) loaded = NULL;

    crm_filter_set_archived (archived, CRM_FILTER_ARCHIVED_ONLY);
    g_assert_true (crm_segment_update (f->store, a, NULL, archived, &error));
    loaded = crm_segment_load (f->store, a, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (loaded->query, ==, "vip");
    g_assert_cmpstr (loaded->filter, ==, "{\"archived\":\"only\"}");
  }

  g_assert_true (crm_segment_delete (f->store, b, &error));
  g_assert_no_error (error);
  g_assert_false (crm_segment_delete (f->store, b, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (crm_segment_load (f->store, b, &error));
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  list = crm_segments_list (f->store, &error);
  g_assert_cmpuint (list->len, ==, 2);

  /* A name freed by a delete can be used again. */
  g_assert_cmpint (crm_segment_create (f->store, "chưa LIÊN HỆ", "", NULL, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 9);
}

static void
test_segment_count (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmFilter) customers = new_filter ();
  g_autoptr (CrmSegment) segment = NULL;
  g_autoptr (GPtrArray) list = NULL;
  gint64 stages[] = { f->customer };
  gint64 id;

  crm_filter_set_lifecycle_stages (customers, stages, 1);
  id = crm_segment_create (f->store, "Customers", "", customers, &error);
  g_assert_no_error (error);

  segment = crm_segment_load (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (crm_segment_count (f->db, segment, &error), ==, 3);

  /* The query narrows the filter's contacts. */
  g_assert_true (crm_segment_update (f->store, id, "vip", NULL, &error));
  g_clear_pointer (&segment, crm_segment_free);
  segment = crm_segment_load (f->store, id, &error);
  g_assert_cmpint (crm_segment_count (f->db, segment, &error), ==, 3);
  g_assert_true (crm_segment_update (f->store, id, "nguyen", NULL, &error));
  g_clear_pointer (&segment, crm_segment_free);
  segment = crm_segment_load (f->store, id, &error);
  g_assert_cmpint (crm_segment_count (f->db, segment, &error), ==, 1);
  g_assert_true (crm_segment_update (f->store, id, "binh", NULL, &error));
  g_clear_pointer (&segment, crm_segment_free);
  segment = crm_segment_load (f->store, id, &error);
  g_assert_cmpint (crm_segment_count (f->db, segment, &error), ==, 0);
  g_assert_no_error (error);

  /* A query alone, counted on a reader connection as a worker would. */
  {
    sqlite3 *reader = crm_store_open_reader (f->store, &error);
    CrmSegment alone = { 0, (char *) "Bình", (char *) "binh", (char *) "{}", 0 };
    CrmSegment broken = { 0, (char *) "Broken", (char *) "", (char *) "{\"stages\": 1}", 0 };

    g_assert_no_error (error);
    g_assert_cmpint (crm_segment_count (reader, &alone, &error), ==, 1);
    g_assert_no_error (error);
    g_assert_cmpint (crm_segment_count (reader, &broken, &error), ==, -1);
    g_assert_error (error, CRM_FILTER_ERROR, CRM_FILTER_ERROR_INVALID);
    sqlite3_close (reader);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/filter/conditions", test_conditions);
  ADD ("/filter/custom-fields", test_custom_fields);
  ADD ("/filter/add-custom", test_add_custom);
  ADD ("/filter/combinations", test_combinations);
  ADD ("/filter/search-query", test_search_query);
  ADD ("/filter/json", test_json);
  ADD ("/filter/json-unknown-and-errors", test_json_unknown_and_errors);
  ADD ("/filter/describe", test_describe);
  ADD ("/filter/first-page", test_first_page);
  ADD ("/filter/first-page-large", test_first_page_large);
  ADD ("/segment/crud", test_segment_crud);
  ADD ("/segment/count", test_segment_count);

  return g_test_run ();
}
