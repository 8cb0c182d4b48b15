/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-filter"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "crm-contact.h"
#include "crm-filter.h"
#include "crm-search.h"
#include "crm-store.h"
#include "crm-text.h"

/* A first page starts from an indexed set of candidates when it has at
 * most this many; else it walks the list in order (see list_drivers()).
 * Reading a contact whose page is not in the cache costs about 15 µs. */
#define FIRST_PAGE_DRIVER_CAP 2000
/* Larger sets of candidates are not worth counting further for a first
 * page. */
#define FIRST_PAGE_DRIVER_MAX 50000
/* About how many SQLite operations walking the list costs per contact. */
#define WALK_OPS_PER_CONTACT 8
/* How long crm_filter_first_page() may take. */
#define FIRST_PAGE_BUDGET_USEC 40000
/* A whole set starts from an indexed set of candidates when it holds at
 * most this share of the contacts (or SET_DRIVER_MIN_CAP). */
#define SET_DRIVER_SHARE 4
#define SET_DRIVER_MIN_CAP 10000

#define MAX_NO_CONTACT_DAYS 36500
#define SECONDS_PER_DAY 86400

struct _CrmFilter
{
  gatomicrefcount    ref_count;

  GArray            *stages;        /* gint64, sorted, unique */
  GArray            *statuses;
  GArray            *tags;
  GArray            *tags_none;
  CrmFilterTagMatch  tag_match;
  char              *owner;         /* NULL: any; "": no owner */
  char              *province;
  char              *source;
  CrmFilterConsent   consent;
  GPtrArray         *custom;        /* CrmFilterCustom */
  guint              no_contact_days;
  gboolean           birthday_this_month;
  CrmFilterArchived  archived;
  gint64             now;           /* UTC seconds; 0: the clock */
  JsonObject        *unknown;       /* members of a newer version, written back */
};

typedef enum {
  BIND_INT,
  BIND_DOUBLE,
  BIND_TEXT,
} BindType;

typedef struct
{
  BindType  type;
  gint64    i;
  double    d;
  char     *text;
} Bind;

struct _CrmFilterBinds
{
  GArray *values;  /* Bind */
};

/* How the conditions on other tables are written. SET: uncorrelated
 * "c.id IN (SELECT …)" that SQLite evaluates once and may start the query
 * from, for crm_filter_build_sql(), whose caller leaves the plan to SQLite.
 * PROBE: correlated EXISTS that costs one index lookup per contact, for
 * this file's own queries, which choose where to start (list_drivers()). */
typedef enum {
  STYLE_SET,
  STYLE_PROBE,
} Style;

static const char *const custom_op_names[] = {
  [CRM_CUSTOM_EQUALS] = "equals",
  [CRM_CUSTOM_CONTAINS] = "contains",
  [CRM_CUSTOM_BETWEEN] = "between",
  [CRM_CUSTOM_BEFORE] = "before",
  [CRM_CUSTOM_AFTER] = "after",
  [CRM_CUSTOM_IS] = "is",
  [CRM_CUSTOM_ANY_OF] = "any_of",
};

static const char *const archived_names[] = {
  [CRM_FILTER_ARCHIVED_EXCLUDE] = "exclude",
  [CRM_FILTER_ARCHIVED_ONLY] = "only",
  [CRM_FILTER_ARCHIVED_INCLUDE] = "include",
};

G_DEFINE_BOXED_TYPE (CrmFilter, crm_filter, crm_filter_ref, crm_filter_unref)

G_DEFINE_QUARK (crm-filter-error-quark, crm_filter_error)

/* Helpers */

static void
custom_free (gpointer data)
{
  CrmFilterCustom *custom = data;

  g_free (custom->text);
  g_strfreev (custom->choices);
  g_free (custom);
}

static CrmFilterCustom *
custom_copy (const CrmFilterCustom *custom)
{
  CrmFilterCustom *copy = g_memdup2 (custom, sizeof *custom);

  copy->text = g_strdup (custom->text);
  copy->choices = g_strdupv (custom->choices);
  return copy;
}

static GArray *
id_array_new (void)
{
  return g_array_new (FALSE, FALSE, sizeof (gint64));
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* Sorted and without repeats, so that equal filters write the same JSON. */
static void
set_ids (GArray       *array,
         const gint64 *ids,
         gsize         n_ids)
{
  guint kept = 0;

  g_array_set_size (array, 0);
  for (gsize i = 0; i < n_ids; i++)
    {
      if (ids[i] > 0)
        g_array_append_val (array, ids[i]);
    }

  g_array_sort (array, compare_ids);
  for (guint i = 0; i < array->len; i++)
    {
      if (kept == 0 || g_array_index (array, gint64, kept - 1) != g_array_index (array, gint64, i))
        g_array_index (array, gint64, kept++) = g_array_index (array, gint64, i);
    }
  g_array_set_size (array, kept);
}

static GArray *
id_array_copy (GArray *array)
{
  GArray *copy = id_array_new ();

  g_array_append_vals (copy, array->data, array->len);
  return copy;
}

static void
replace_string (char       **field,
                const char  *value)
{
  char *copy = g_strdup (value);

  g_free (*field);
  *field = copy;
}

/* A valid calendar date written YYYY-MM-DD. */
static gboolean
is_iso_date (const char *text)
{
  static const char pattern[] = "dddd-dd-dd";
  int year, month, day;

  if (text == NULL || strlen (text) != strlen (pattern))
    return FALSE;

  for (guint i = 0; pattern[i] != '\0'; i++)
    {
      if (pattern[i] == 'd' ? !g_ascii_isdigit (text[i]) : text[i] != '-')
        return FALSE;
    }

  year = atoi (text);
  month = atoi (text + 5);
  day = atoi (text + 8);

  return year >= 1 && g_date_valid_dmy (day, month, year);
}

static gboolean
has_text (const char *text)
{
  return text != NULL && *text != '\0';
}

/* Whether a custom condition can be used; the message says which one is
 * wrong, counting from 1. */
static gboolean
validate_custom (const CrmFilterCustom  *custom,
                 guint                   index,
                 GError                **error)
{
  if (custom->field_id <= 0)
    {
      g_set_error (error, CRM_FILTER_ERROR, CRM_FILTER_ERROR_INVALID,
                   _("Filter: custom condition %u has no field"), index + 1);
      return FALSE;
    }

  switch (custom->op)
    {
    case CRM_CUSTOM_EQUALS:
    case CRM_CUSTOM_CONTAINS:
      if (!has_text (custom->text))
        {
          g_set_error (error, CRM_FILTER_ERROR, CRM_FILTER_ERROR_INVALID,
                       _("Filter: custom condition %u needs text"), index + 1);
          return FALSE;
        }
      break;

    case CRM_CUSTOM_BETWEEN:
      if ((isnan (custom->min) && isnan (custom->max))
          || isinf (custom->min) || isinf (custom->max)
          || (!isnan (custom->min) && !isnan (custom->max) && custom->min > custom->max))
        {
          g_set_error (error, CRM_FILTER_ERROR, CRM_FILTER_ERROR_INVALID,
                       _("Filter: custom condition %u needs a lowest and/or highest number"),
                       index + 1);
          return FALSE;
        }
      break;

    case CRM_CUSTOM_BEFORE:
    case CRM_CUSTOM_AFTER:
      if (!is_iso_date (custom->text))
        {
          g_set_error (error, CRM_FILTER_ERROR, CRM_FILTER_ERROR_INVALID,
                       _("Filter: custom condition %u needs a date as YYYY-MM-DD"), index + 1);
          return FALSE;
        }
      break;

    case CRM_CUSTOM_IS:
      break;

    case CRM_CUSTOM_ANY_OF:
      if (custom->choices == NULL || custom->choices[0] == NULL)
        {
          g_set_error (error, CRM_FILTER_ERROR, CRM_FILTER_ERROR_INVALID,
                       _("Filter: custom condition %u needs at least one choice"), index + 1);
          return FALSE;
        }
      break;

    default:
      g_set_error (error, CRM_FILTER_ERROR, CRM_FILTER_ERROR_INVALID,
                   _("Filter: custom condition %u has an unknown operator"), index + 1);
      return FALSE;
    }

  return TRUE;
}

static CrmFilterCustom *
custom_new (gint64      field_id,
            CrmCustomOp op)
{
  CrmFilterCustom *custom = g_new0 (CrmFilterCustom, 1);

  custom->field_id = field_id;
  custom->op = op;
  custom->min = NAN;
  custom->max = NAN;
  return custom;
}

/* Binds */

static void
bind_clear (gpointer data)
{
  Bind *bind = data;

  g_clear_pointer (&bind->text, g_free);
}

static void
binds_add_int (CrmFilterBinds *binds,
               gint64          value)
{
  Bind bind = { BIND_INT, value, 0, NULL };

  g_array_append_val (binds->values, bind);
}

static void
binds_add_double (CrmFilterBinds *binds,
                  double          value)
{
  Bind bind = { BIND_DOUBLE, 0, value, NULL };

  g_array_append_val (binds->values, bind);
}

static void
binds_add_text (CrmFilterBinds *binds,
                const char     *text)
{
  Bind bind = { BIND_TEXT, 0, 0, g_strdup (text) };

  g_array_append_val (binds->values, bind);
}

/* SQL */

static void
append_and (GString *where)
{
  if (where->len > 0)
    g_string_append (where, " AND ");
}

/* "(?, ?, ?)" with the ids bound. */
static void
append_id_list (GString        *where,
                CrmFilterBinds *binds,
                GArray         *ids)
{
  g_string_append_c (where, '(');
  for (guint i = 0; i < ids->len; i++)
    {
      g_string_append (where, i > 0 ? ", ?" : "?");
      binds_add_int (binds, g_array_index (ids, gint64, i));
    }
  g_string_append_c (where, ')');
}

static gint64
filter_now (const CrmFilter *self)
{
  return self->now != 0 ? self->now : g_get_real_time () / G_USEC_PER_SEC;
}

/* The condition on custom_value v's value, with its binds. */
static void
append_custom_value_condition (GString               *where,
                               CrmFilterBinds        *binds,
                               const CrmFilterCustom *custom)
{
  switch (custom->op)
    {
    case CRM_CUSTOM_EQUALS:
      {
        g_autofree char *folded = crm_fold (custom->text);

        g_string_append (where, "crm_fold(v.value) = ?");
        binds_add_text (binds, folded);
      }
      break;

    case CRM_CUSTOM_CONTAINS:
      {
        g_autofree char *folded = crm_fold (custom->text);

        g_string_append (where, "instr(crm_fold(v.value), ?) > 0");
        binds_add_text (binds, folded);
      }
      break;

    case CRM_CUSTOM_BETWEEN:
      /* Values are stored as text; an empty one is no number at all. */
      g_string_append (where, "v.value <> ''");
      if (!isnan (custom->min))
        {
          g_string_append (where, " AND CAST(v.value AS REAL) >= ?");
          binds_add_double (binds, custom->min);
        }
      if (!isnan (custom->max))
        {
          g_string_append (where, " AND CAST(v.value AS REAL) <= ?");
          binds_add_double (binds, custom->max);
        }
      break;

    case CRM_CUSTOM_BEFORE:
    case CRM_CUSTOM_AFTER:
      g_string_append_printf (where,
                              "v.value GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' "
                              "AND substr(v.value, 1, 10) %s ?",
                              custom->op == CRM_CUSTOM_BEFORE ? "<" : ">");
      binds_add_text (binds, custom->text);
      break;

    case CRM_CUSTOM_IS:
      g_string_append (where, "v.value IN ('1', 'true')");
      break;

    case CRM_CUSTOM_ANY_OF:
      g_string_append_c (where, '(');
      g_string_append (where, "v.value IN (");
      for (guint i = 0; custom->choices[i] != NULL; i++)
        {
          g_string_append (where, i > 0 ? ", ?" : "?");
          binds_add_text (binds, custom->choices[i]);
        }
      g_string_append (where, "))");
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
append_custom (GString               *where,
               CrmFilterBinds        *binds,
               const CrmFilterCustom *custom,
               Style                  style)
{
  /* "Is false" holds for every contact without a true value. */
  gboolean negate = custom->op == CRM_CUSTOM_IS && !custom->value;

  if (style == STYLE_SET && !negate)
    g_string_append (where, "c.id IN (SELECT v.entity_id FROM custom_value v "
                            "WHERE v.field_id = ? AND ");
  else
    g_string_append_printf (where, "%sEXISTS (SELECT 1 FROM custom_value v "
                                   "WHERE v.field_id = ? AND v.entity_id = c.id AND ",
                            negate ? "NOT " : "");
  binds_add_int (binds, custom->field_id);
  append_custom_value_condition (where, binds, custom);
  g_string_append_c (where, ')');
}

/* The conditions on the contact's own columns, which cost nothing to test
 * on a row already read, come first. */
static gboolean
append_conditions (const CrmFilter  *self,
                   Style             style,
                   gboolean          with_archived,
                   GString          *out,
                   CrmFilterBinds   *binds,
                   GError          **error)
{
  g_autoptr (GString) where = g_string_new (NULL);

  for (guint i = 0; i < self->custom->len; i++)
    {
      if (!validate_custom (g_ptr_array_index (self->custom, i), i, error))
        return FALSE;
    }

  /* A literal, not a bound value, so that SQLite sees the equality on the
   * first column of the sort indexes. The set style hides it from the
   * index choice: walking a sort index to read a whole set reads the table
   * in random order. */
  if (with_archived && self->archived != CRM_FILTER_ARCHIVED_INCLUDE)
    g_string_append_printf (where, "%sc.archived = %d", style == STYLE_SET ? "+" : "",
                            self->archived == CRM_FILTER_ARCHIVED_ONLY);

  if (self->stages->len > 0)
    {
      append_and (where);
      g_string_append (where, "c.lifecycle_stage_id IN ");
      append_id_list (where, binds, self->stages);
    }

  if (self->statuses->len > 0)
    {
      append_and (where);
      g_string_append (where, "c.lead_status_id IN ");
      append_id_list (where, binds, self->statuses);
    }

  if (self->owner != NULL)
    {
      append_and (where);
      if (*self->owner == '\0')
        {
          g_string_append (where, "(c.owner IS NULL OR c.owner = '')");
        }
      else
        {
          g_string_append (where, "c.owner = ?");
          binds_add_text (binds, self->owner);
        }
    }

  if (self->source != NULL)
    {
      append_and (where);
      g_string_append (where, "c.source = ?");
      binds_add_text (binds, self->source);
    }

  if (self->consent != CRM_FILTER_CONSENT_ANY)
    {
      append_and (where);
      g_string_append_printf (where, "c.consent = %d", self->consent == CRM_FILTER_CONSENT_YES);
    }

  if (self->birthday_this_month)
    {
      g_autoptr (GDateTime) now = g_date_time_new_from_unix_local (filter_now (self));
      g_autofree char *month = g_strdup_printf ("%02d", g_date_time_get_month (now));

      append_and (where);
      g_string_append (where, "substr(c.birthday, 6, 2) = ?");
      binds_add_text (binds, month);
    }

  if (self->no_contact_days > 0)
    {
      append_and (where);
      g_string_append (where, "(c.last_interaction IS NULL OR c.last_interaction < ?)");
      binds_add_int (binds, filter_now (self) - (gint64) self->no_contact_days * SECONDS_PER_DAY);
    }

  if (self->tags->len > 0)
    {
      if (self->tag_match == CRM_FILTER_TAGS_ANY)
        {
          append_and (where);
          if (style == STYLE_SET)
            g_string_append (where, "c.id IN (SELECT t.contact_id FROM contact_tag t "
                                    "WHERE t.tag_id IN ");
          else
            g_string_append (where, "EXISTS (SELECT 1 FROM contact_tag t "
                                    "WHERE t.contact_id = c.id AND t.tag_id IN ");
          append_id_list (where, binds, self->tags);
          g_string_append_c (where, ')');
        }
      else
        {
          for (guint i = 0; i < self->tags->len; i++)
            {
              append_and (where);
              if (style == STYLE_SET)
                g_string_append (where, "c.id IN (SELECT t.contact_id FROM contact_tag t "
                                        "WHERE t.tag_id = ?)");
              else
                g_string_append (where, "EXISTS (SELECT 1 FROM contact_tag t "
                                        "WHERE t.contact_id = c.id AND t.tag_id = ?)");
              binds_add_int (binds, g_array_index (self->tags, gint64, i));
            }
        }
    }

  if (self->tags_none->len > 0)
    {
      append_and (where);
      g_string_append (where, "NOT EXISTS (SELECT 1 FROM contact_tag t "
                              "WHERE t.contact_id = c.id AND t.tag_id IN ");
      append_id_list (where, binds, self->tags_none);
      g_string_append_c (where, ')');
    }

  if (self->province != NULL)
    {
      append_and (where);
      if (style == STYLE_SET)
        g_string_append (where, "c.id IN (SELECT a.contact_id FROM contact_address a "
                                "WHERE a.province = ? AND a.is_primary = 1)");
      else
        /* The unary plus keeps SQLite on the index of contact_id. */
        g_string_append (where, "EXISTS (SELECT 1 FROM contact_address a "
                                "WHERE a.contact_id = c.id AND a.is_primary = 1 "
                                "AND +a.province = ?)");
      binds_add_text (binds, self->province);
    }

  for (guint i = 0; i < self->custom->len; i++)
    {
      append_and (where);
      append_custom (where, binds, g_ptr_array_index (self->custom, i), style);
    }

  g_string_append (out, where->len > 0 ? where->str : "1");
  return TRUE;
}

static void
set_db_error (sqlite3     *db,
              GError     **error,
              const char  *doing)
{
  g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_FAILED, "%s: %s", doing,
               sqlite3_errmsg (db));
}

static sqlite3_stmt *
prepare (sqlite3     *db,
         const char  *sql,
         const char  *doing,
         GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_db_error (db, error, doing);
      sqlite3_finalize (stmt);
      return NULL;
    }

  return stmt;
}

/* Stops a statement through the progress handler, called every
 * INTERRUPT_OPS virtual machine operations. */
#define INTERRUPT_OPS 1000

typedef struct
{
  GCancellable *cancellable;
  gint64        deadline;   /* monotonic µs; 0: none */
  gboolean      timed_out;
  gint64        ops_left;   /* in units of INTERRUPT_OPS; -1: no limit */
  gboolean      cut;        /* stopped when ops_left ran out */
} Interrupt;

static int
interrupt_cb (void *user_data)
{
  Interrupt *interrupt = user_data;

  if (g_cancellable_is_cancelled (interrupt->cancellable))
    return 1;

  if (interrupt->deadline != 0 && g_get_monotonic_time () > interrupt->deadline)
    {
      interrupt->timed_out = TRUE;
      return 1;
    }

  if (interrupt->ops_left >= 0 && interrupt->ops_left-- == 0)
    {
      interrupt->cut = TRUE;
      return 1;
    }

  return 0;
}

/* Steps @stmt to its end, appending the first column of each row to @ids.
 * Returns the last result code. */
static int
step_ids (sqlite3_stmt *stmt,
          GArray       *ids)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }

  return rc;
}

static const char *
sort_column (CrmSortOrder order)
{
  return order == CRM_SORT_FAMILY_NAME ? "sort_family" : "sort_given";
}

static const char *
sort_index (CrmSortOrder order)
{
  return order == CRM_SORT_FAMILY_NAME ? "contact_sort_family" : "contact_sort_given";
}

/* The query listing the contacts that match the search text
 * (crm_search_sql()): NULL for no search text, "" when the text has
 * nothing to search for (then nothing matches, as in the list's search) or
 * with @error set. */
static char *
match_for (sqlite3     *db,
           const char  *query,
           GError     **error)
{
  g_autofree char *trimmed = query != NULL ? g_strstrip (g_strdup (query)) : NULL;
  char *sql = NULL;

  if (trimmed == NULL || *trimmed == '\0')
    return NULL;

  if (!crm_search_sql (db, trimmed, &sql, error))
    return g_strdup ("");
  return sql != NULL ? sql : g_strdup ("");
}

/* Whether testing the filter needs the contact's row; when it does not,
 * the conditions are tested on ids read from the sort index, which is a
 * small fraction of the table. */
static gboolean
needs_row (const CrmFilter *self)
{
  return self->stages->len > 0
         || self->statuses->len > 0
         || self->owner != NULL
         || self->source != NULL
         || self->consent != CRM_FILTER_CONSENT_ANY
         || self->birthday_this_month
         || self->no_contact_days > 0;
}

/* Every condition, each tested contact by contact with at most one index
 * lookup, and the search text. */
static gboolean
append_probe (const CrmFilter  *self,
              const char       *match,
              gboolean          with_archived,
              GString          *where,
              CrmFilterBinds   *binds,
              GError          **error)
{
  if (!append_conditions (self, STYLE_PROBE, with_archived, where, binds, error))
    return FALSE;

  if (match != NULL)
    g_string_append_printf (where, " AND c.id IN (%s)", match);

  return TRUE;
}

/* Reading what a filter keeps at a million contacts, without relying on
 * table statistics (there are none unless ANALYZE ran, and they would not
 * tell a tag on a hundred contacts from one on half of them). A driver is
 * an indexed set of candidates: the contacts with a tag, in some stages or
 * statuses, in a province, archived, or matching the search text. Counting
 * one up to a cap costs no more than the cap. When one is small, the query
 * starts from it; otherwise it reads the list's sort index (for a first
 * page, in list order) or the whole table. */
typedef struct
{
  GString        *sql;        /* SELECT … AS id */
  GString        *count_sql;  /* what to count for the estimate, with the same binds */
  CrmFilterBinds *binds;
} Driver;

static void
driver_free (gpointer data)
{
  Driver *driver = data;

  g_string_free (driver->sql, TRUE);
  g_string_free (driver->count_sql, TRUE);
  crm_filter_binds_free (driver->binds);
  g_free (driver);
}

static Driver *
add_driver (GPtrArray  *drivers,
            const char *sql)
{
  Driver *driver = g_new0 (Driver, 1);

  driver->sql = g_string_new (sql);
  driver->count_sql = g_string_new (NULL);
  driver->binds = crm_filter_binds_new ();
  g_ptr_array_add (drivers, driver);
  return driver;
}

/* Whether the workspace has index @name. The schema has none on a
 * contact's owner or source; where one was added, those conditions become
 * drivers too. */
static gboolean
has_index (sqlite3    *db,
           const char *name)
{
  sqlite3_stmt *stmt = NULL;
  gboolean found = FALSE;

  if (sqlite3_prepare_v2 (db, "SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?1",
                          -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
      found = sqlite3_step (stmt) == SQLITE_ROW;
    }
  sqlite3_finalize (stmt);

  return found;
}

static GPtrArray *
list_drivers (sqlite3         *db,
              const CrmFilter *self,
              const char      *match,
              gboolean         with_custom)
{
  GPtrArray *drivers = g_ptr_array_new_with_free_func (driver_free);
  Driver *driver;

  if (match != NULL)
    add_driver (drivers, match);

  if (self->tags->len > 0 && self->tag_match == CRM_FILTER_TAGS_ANY)
    {
      driver = add_driver (drivers, "SELECT DISTINCT t.contact_id AS id FROM contact_tag t "
                                    "WHERE t.tag_id IN ");
      append_id_list (driver->sql, driver->binds, self->tags);
    }
  else
    {
      for (guint i = 0; i < self->tags->len; i++)
        {
          driver = add_driver (drivers, "SELECT t.contact_id AS id FROM contact_tag t "
                                        "WHERE t.tag_id = ?");
          binds_add_int (driver->binds, g_array_index (self->tags, gint64, i));
        }
    }

  if (self->stages->len > 0)
    {
      driver = add_driver (drivers, "SELECT s.id AS id FROM contact s "
                                    "WHERE s.lifecycle_stage_id IN ");
      append_id_list (driver->sql, driver->binds, self->stages);
    }

  if (self->statuses->len > 0)
    {
      driver = add_driver (drivers, "SELECT s.id AS id FROM contact s WHERE s.lead_status_id IN ");
      append_id_list (driver->sql, driver->binds, self->statuses);
    }

  if (self->province != NULL)
    {
      driver = add_driver (drivers, "SELECT DISTINCT a.contact_id AS id FROM contact_address a "
                                    "WHERE a.province = ? AND a.is_primary = 1");
      /* The addresses in the province, counted on their index alone. */
      g_string_assign (driver->count_sql, "SELECT 1 FROM contact_address a WHERE a.province = ?");
      binds_add_text (driver->binds, self->province);
    }

  if (self->archived == CRM_FILTER_ARCHIVED_ONLY)
    add_driver (drivers, "SELECT s.id AS id FROM contact s WHERE s.archived = 1");

  /* The owner index leaves out the unowned (schema v2), who are found by
   * walking the list. */
  if (self->owner != NULL && *self->owner != '\0' && has_index (db, "contact_owner"))
    {
      driver = add_driver (drivers, "SELECT s.id AS id FROM contact s WHERE s.owner = ?");
      binds_add_text (driver->binds, self->owner);
    }

  if (self->source != NULL && has_index (db, "contact_source"))
    {
      driver = add_driver (drivers, "SELECT s.id AS id FROM contact s WHERE s.source = ?");
      binds_add_text (driver->binds, self->source);
    }

  /* Custom values are read in order of their field, and only those that
   * meet the condition count: up to all the values of the field, which is
   * fine on a worker thread but not for a first page. */
  for (guint i = 0; with_custom && i < self->custom->len; i++)
    {
      const CrmFilterCustom *custom = g_ptr_array_index (self->custom, i);

      if (custom->op == CRM_CUSTOM_IS && !custom->value)
        continue;

      driver = add_driver (drivers, "SELECT v.entity_id AS id FROM custom_value v "
                                    "WHERE v.field_id = ? AND ");
      binds_add_int (driver->binds, custom->field_id);
      append_custom_value_condition (driver->sql, driver->binds, custom);
    }

  return drivers;
}

/* How many candidates @driver has, counting no further than @cap + 1. */
static gint64
driver_estimate (sqlite3       *db,
                 const Driver  *driver,
                 gint64         cap,
                 GError       **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM (%s LIMIT ?)",
                                         driver->count_sql->len > 0 ? driver->count_sql->str
                                                                    : driver->sql->str);
  sqlite3_stmt *stmt = prepare (db, sql, _("Cannot filter the contacts"), error);
  gint64 count = -1;

  if (stmt == NULL)
    return -1;

  sqlite3_bind_int64 (stmt, crm_filter_bind (stmt, 1, driver->binds), cap + 1);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  else
    set_db_error (db, error, _("Cannot filter the contacts"));
  sqlite3_finalize (stmt);

  return count;
}

/* The driver with the fewest candidates if it has at most @cap, else NULL
 * in @picked. */
static gboolean
pick_driver (sqlite3     *db,
             GPtrArray   *drivers,
             gint64       cap,
             Driver     **picked,
             gint64      *estimate,
             GError     **error)
{
  gint64 best = cap + 1;

  *picked = NULL;
  *estimate = 0;
  for (guint i = 0; i < drivers->len && best > 0; i++)
    {
      gint64 count = driver_estimate (db, g_ptr_array_index (drivers, i), best - 1, error);

      if (count < 0)
        return FALSE;
      if (count < best)
        {
          best = count;
          *picked = g_ptr_array_index (drivers, i);
          *estimate = count;
        }
    }

  return TRUE;
}

/* Where a whole set is read from when no driver is small: the sort index
 * when it holds all that the conditions need, else the table, whose pages
 * are then read in order. */
static const char *
full_source (const CrmFilter *self)
{
  return needs_row (self) ? "contact c NOT INDEXED" : "contact c INDEXED BY contact_sort_given";
}

/* "SELECT @what FROM … WHERE …" over every contact the filter keeps, bound
 * and ready to step. */
static sqlite3_stmt *
prepare_set_query (sqlite3          *db,
                   const CrmFilter  *self,
                   const char       *match,
                   const char       *what,
                   GError          **error)
{
  g_autoptr (GPtrArray) drivers = list_drivers (db, self, match, TRUE);
  g_autoptr (GString) where = g_string_new (NULL);
  g_autoptr (CrmFilterBinds) binds = crm_filter_binds_new ();
  g_autofree char *sql = NULL;
  Driver *driver = NULL;
  sqlite3_stmt *stmt;
  gint64 cap = SET_DRIVER_MIN_CAP;
  gint64 estimate = 0;
  int next = 1;

  if (!append_probe (self, match, TRUE, where, binds, error))
    return NULL;

  /* A driver beats reading everything while its random reads cost less
   * than reading the whole table in order. */
  stmt = prepare (db, "SELECT ifnull(max(id), 0) FROM contact", _("Cannot filter the contacts"),
                  error);
  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    cap = MAX (cap, sqlite3_column_int64 (stmt, 0) / SET_DRIVER_SHARE);
  sqlite3_finalize (stmt);

  if (!pick_driver (db, drivers, cap, &driver, &estimate, error))
    return NULL;

  if (driver != NULL)
    sql = g_strdup_printf ("SELECT %s FROM (%s) d CROSS JOIN contact c ON c.id = d.id WHERE %s",
                           what, driver->sql->str, where->str);
  else
    sql = g_strdup_printf ("SELECT %s FROM %s WHERE %s", what, full_source (self), where->str);

  stmt = prepare (db, sql, _("Cannot filter the contacts"), error);
  if (stmt == NULL)
    return NULL;

  if (driver != NULL)
    next = crm_filter_bind (stmt, next, driver->binds);
  crm_filter_bind (stmt, next, binds);

  return stmt;
}

/* The first page by walking the sort index in order, testing each contact,
 * until @limit match. Archived contacts and the others are two runs of the
 * index; when both are wanted, SQLite merges the two runs. */
static GArray *
first_page_ordered (sqlite3          *db,
                    const CrmFilter  *self,
                    const char       *match,
                    CrmSortOrder      order,
                    guint             limit,
                    GError          **error)
{
  g_autoptr (GString) sql = g_string_new (NULL);
  g_autoptr (GString) where = g_string_new (NULL);
  g_autoptr (CrmFilterBinds) binds = crm_filter_binds_new ();
  const char *key = sort_column (order);
  const char *index = sort_index (order);
  sqlite3_stmt *stmt;
  GArray *ids;
  int next = 1;
  int rc;

  if (!append_probe (self, match, FALSE, where, binds, error))
    return NULL;

  if (self->archived == CRM_FILTER_ARCHIVED_INCLUDE)
    g_string_printf (sql,
                     "SELECT c.id, c.%s FROM contact c INDEXED BY %s "
                     "WHERE c.archived = 0 AND %s "
                     "UNION ALL "
                     "SELECT c.id, c.%s FROM contact c INDEXED BY %s "
                     "WHERE c.archived = 1 AND %s "
                     "ORDER BY 2, 1 LIMIT ?",
                     key, index, where->str, key, index, where->str);
  else
    g_string_printf (sql,
                     "SELECT c.id FROM contact c INDEXED BY %s "
                     "WHERE c.archived = %d AND %s ORDER BY c.%s, c.id LIMIT ?",
                     index, self->archived == CRM_FILTER_ARCHIVED_ONLY, where->str, key);

  stmt = prepare (db, sql->str, _("Cannot filter the contacts"), error);
  if (stmt == NULL)
    return NULL;

  next = crm_filter_bind (stmt, next, binds);
  if (self->archived == CRM_FILTER_ARCHIVED_INCLUDE)
    next = crm_filter_bind (stmt, next, binds);
  sqlite3_bind_int64 (stmt, next, limit);

  ids = id_array_new ();
  rc = step_ids (stmt, ids);
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      set_db_error (db, error, _("Cannot filter the contacts"));
      g_array_unref (ids);
      return NULL;
    }

  return ids;
}

/* The first page by reading the candidates of @driver (or of the whole
 * list) and sorting those that match. */
static GArray *
first_page_sorted (sqlite3          *db,
                   const CrmFilter  *self,
                   const char       *match,
                   Driver           *driver,
                   CrmSortOrder      order,
                   guint             limit,
                   GError          **error)
{
  g_autoptr (GString) where = g_string_new (NULL);
  g_autoptr (CrmFilterBinds) binds = crm_filter_binds_new ();
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  GArray *ids;
  int next = 1;
  int rc;

  if (!append_probe (self, match, TRUE, where, binds, error))
    return NULL;

  if (driver != NULL)
    sql = g_strdup_printf ("SELECT c.id FROM (%s) d CROSS JOIN contact c ON c.id = d.id "
                           "WHERE %s ORDER BY c.%s, c.id LIMIT ?",
                           driver->sql->str, where->str, sort_column (order));
  else
    sql = g_strdup_printf ("SELECT c.id FROM contact c NOT INDEXED "
                           "WHERE %s ORDER BY c.%s, c.id LIMIT ?",
                           where->str, sort_column (order));

  stmt = prepare (db, sql, _("Cannot filter the contacts"), error);
  if (stmt == NULL)
    return NULL;

  if (driver != NULL)
    next = crm_filter_bind (stmt, next, driver->binds);
  next = crm_filter_bind (stmt, next, binds);
  sqlite3_bind_int64 (stmt, next, limit);

  ids = id_array_new ();
  rc = step_ids (stmt, ids);
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      set_db_error (db, error, _("Cannot filter the contacts"));
      g_array_unref (ids);
      return NULL;
    }

  return ids;
}

/* JSON */

static void
add_id_member (JsonBuilder *builder,
               const char  *name,
               GArray      *ids)
{
  if (ids->len == 0)
    return;

  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i < ids->len; i++)
    json_builder_add_int_value (builder, g_array_index (ids, gint64, i));
  json_builder_end_array (builder);
}

static void
add_string_member (JsonBuilder *builder,
                   const char  *name,
                   const char  *value)
{
  if (value == NULL)
    return;

  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
add_custom (JsonBuilder           *builder,
            const CrmFilterCustom *custom)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "field");
  json_builder_add_int_value (builder, custom->field_id);
  add_string_member (builder, "op", custom_op_names[custom->op]);

  switch (custom->op)
    {
    case CRM_CUSTOM_EQUALS:
    case CRM_CUSTOM_CONTAINS:
      add_string_member (builder, "text", custom->text);
      break;

    case CRM_CUSTOM_BETWEEN:
      if (!isnan (custom->min))
        {
          json_builder_set_member_name (builder, "min");
          json_builder_add_double_value (builder, custom->min);
        }
      if (!isnan (custom->max))
        {
          json_builder_set_member_name (builder, "max");
          json_builder_add_double_value (builder, custom->max);
        }
      break;

    case CRM_CUSTOM_BEFORE:
    case CRM_CUSTOM_AFTER:
      add_string_member (builder, "date", custom->text);
      break;

    case CRM_CUSTOM_IS:
      json_builder_set_member_name (builder, "value");
      json_builder_add_boolean_value (builder, custom->value);
      break;

    case CRM_CUSTOM_ANY_OF:
      json_builder_set_member_name (builder, "choices");
      json_builder_begin_array (builder);
      for (guint i = 0; custom->choices != NULL && custom->choices[i] != NULL; i++)
        json_builder_add_string_value (builder, custom->choices[i]);
      json_builder_end_array (builder);
      break;

    default:
      g_assert_not_reached ();
    }

  json_builder_end_object (builder);
}

static gboolean set_invalid (GError     **error,
                             const char  *format,
                             ...) G_GNUC_PRINTF (2, 3);

static gboolean
set_invalid (GError     **error,
             const char  *format,
             ...)
{
  va_list args;

  if (error != NULL)
    {
      va_start (args, format);
      *error = g_error_new_valist (CRM_FILTER_ERROR, CRM_FILTER_ERROR_INVALID, format, args);
      va_end (args);
    }

  return FALSE;
}

static gboolean
node_is_integer (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64;
}

static gboolean
node_is_number (JsonNode *node)
{
  GType type;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

static gboolean
node_is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
node_is_boolean (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN;
}

static gboolean
read_ids (JsonNode     *node,
          const char   *member,
          GArray       *into,
          GError      **error)
{
  JsonArray *array;
  g_autoptr (GArray) ids = id_array_new ();

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return set_invalid (error, _("Filter: “%s” must be a list of ids"), member);

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      gint64 id;

      if (!node_is_integer (element) || (id = json_node_get_int (element)) <= 0)
        return set_invalid (error, _("Filter: “%s” must be a list of ids"), member);
      g_array_append_val (ids, id);
    }

  set_ids (into, (const gint64 *) (gpointer) ids->data, ids->len);
  return TRUE;
}

static gboolean
read_string (JsonNode    *node,
             const char  *member,
             char       **into,
             GError     **error)
{
  if (!node_is_string (node))
    return set_invalid (error, _("Filter: “%s” must be text"), member);

  replace_string (into, json_node_get_string (node));
  return TRUE;
}

static gboolean
read_boolean (JsonNode    *node,
              const char  *member,
              gboolean    *into,
              GError     **error)
{
  if (!node_is_boolean (node))
    return set_invalid (error, _("Filter: “%s” must be true or false"), member);

  *into = json_node_get_boolean (node);
  return TRUE;
}

static CrmFilterCustom *
read_custom (JsonNode  *node,
             guint      index,
             GError   **error)
{
  g_autoptr (GPtrArray) choices = NULL;
  CrmFilterCustom *custom;
  JsonObject *object;
  JsonNode *member;
  const char *op_name;
  gint64 field_id;
  int op = -1;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      set_invalid (error, _("Filter: custom condition %u must be an object"), index + 1);
      return NULL;
    }

  object = json_node_get_object (node);
  member = json_object_get_member (object, "field");
  if (member == NULL || !node_is_integer (member) || json_node_get_int (member) <= 0)
    {
      set_invalid (error, _("Filter: custom condition %u has no field"), index + 1);
      return NULL;
    }

  field_id = json_node_get_int (member);

  member = json_object_get_member (object, "op");
  op_name = member != NULL && node_is_string (member) ? json_node_get_string (member) : NULL;
  for (guint i = 0; op_name != NULL && i < G_N_ELEMENTS (custom_op_names); i++)
    {
      if (g_str_equal (custom_op_names[i], op_name))
        op = i;
    }
  if (op < 0)
    {
      set_invalid (error, _("Filter: custom condition %u has an unknown operator"), index + 1);
      return NULL;
    }

  custom = custom_new (field_id, op);

  switch (custom->op)
    {
    case CRM_CUSTOM_EQUALS:
    case CRM_CUSTOM_CONTAINS:
    case CRM_CUSTOM_BEFORE:
    case CRM_CUSTOM_AFTER:
      member = json_object_get_member (object, custom->op == CRM_CUSTOM_BEFORE
                                                 || custom->op == CRM_CUSTOM_AFTER
                                               ? "date" : "text");
      if (member != NULL && node_is_string (member))
        custom->text = g_strdup (json_node_get_string (member));
      break;

    case CRM_CUSTOM_BETWEEN:
      for (guint i = 0; i < 2; i++)
        {
          member = json_object_get_member (object, i == 0 ? "min" : "max");
          if (member == NULL || JSON_NODE_HOLDS_NULL (member))
            continue;
          if (!node_is_number (member))
            {
              set_invalid (error, _("Filter: custom condition %u needs a lowest and/or "
                                       "highest number"), index + 1);
              custom_free (custom);
              return NULL;
            }
          *(i == 0 ? &custom->min : &custom->max) = json_node_get_double (member);
        }
      break;

    case CRM_CUSTOM_IS:
      member = json_object_get_member (object, "value");
      if (member == NULL || !node_is_boolean (member))
        {
          set_invalid (error, _("Filter: custom condition %u needs true or false"), index + 1);
          custom_free (custom);
          return NULL;
        }
      custom->value = json_node_get_boolean (member);
      break;

    case CRM_CUSTOM_ANY_OF:
      member = json_object_get_member (object, "choices");
      choices = g_ptr_array_new_with_free_func (g_free);
      if (member != NULL && JSON_NODE_HOLDS_ARRAY (member))
        {
          JsonArray *array = json_node_get_array (member);

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *element = json_array_get_element (array, i);

              if (!node_is_string (element))
                {
                  g_ptr_array_set_size (choices, 0);
                  break;
                }
              g_ptr_array_add (choices, g_strdup (json_node_get_string (element)));
            }
        }
      g_ptr_array_add (choices, NULL);
      custom->choices = (GStrv) g_ptr_array_free (g_steal_pointer (&choices), FALSE);
      break;

    default:
      g_assert_not_reached ();
    }

  if (!validate_custom (custom, index, error))
    {
      custom_free (custom);
      return NULL;
    }

  return custom;
}

static gboolean
read_member (CrmFilter   *self,
             const char  *name,
             JsonNode    *node,
             GError     **error)
{
  if (g_str_equal (name, "stages"))
    return read_ids (node, name, self->stages, error);
  if (g_str_equal (name, "lead_statuses"))
    return read_ids (node, name, self->statuses, error);
  if (g_str_equal (name, "tags"))
    return read_ids (node, name, self->tags, error);
  if (g_str_equal (name, "tags_none"))
    return read_ids (node, name, self->tags_none, error);
  if (g_str_equal (name, "owner"))
    return read_string (node, name, &self->owner, error);
  if (g_str_equal (name, "province"))
    return read_string (node, name, &self->province, error);
  if (g_str_equal (name, "source"))
    return read_string (node, name, &self->source, error);
  if (g_str_equal (name, "birthday_this_month"))
    return read_boolean (node, name, &self->birthday_this_month, error);

  if (g_str_equal (name, "tag_match"))
    {
      const char *match = node_is_string (node) ? json_node_get_string (node) : "";

      if (g_str_equal (match, "all"))
        self->tag_match = CRM_FILTER_TAGS_ALL;
      else if (g_str_equal (match, "any"))
        self->tag_match = CRM_FILTER_TAGS_ANY;
      else
        return set_invalid (error, _("Filter: “%s” must be “all” or “any”"), name);
      return TRUE;
    }

  if (g_str_equal (name, "consent"))
    {
      gboolean consent = FALSE;

      if (!read_boolean (node, name, &consent, error))
        return FALSE;
      self->consent = consent ? CRM_FILTER_CONSENT_YES : CRM_FILTER_CONSENT_NO;
      return TRUE;
    }

  if (g_str_equal (name, "no_contact_days"))
    {
      gint64 days = node_is_integer (node) ? json_node_get_int (node) : 0;

      if (days < 1 || days > MAX_NO_CONTACT_DAYS)
        return set_invalid (error, _("Filter: “%s” must be a number of days from 1 to 36500"),
                               name);
      self->no_contact_days = days;
      return TRUE;
    }

  if (g_str_equal (name, "archived"))
    {
      const char *archived = node_is_string (node) ? json_node_get_string (node) : "";

      for (guint i = 0; i < G_N_ELEMENTS (archived_names); i++)
        {
          if (g_str_equal (archived_names[i], archived))
            {
              self->archived = i;
              return TRUE;
            }
        }
      return set_invalid (error, _("Filter: “%s” must be “exclude”, “only” or “include”"),
                             name);
    }

  if (g_str_equal (name, "custom"))
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (node))
        return set_invalid (error, _("Filter: “%s” must be a list of conditions"), name);

      array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          CrmFilterCustom *custom = read_custom (json_array_get_element (array, i), i, error);

          if (custom == NULL)
            return FALSE;
          g_ptr_array_add (self->custom, custom);
        }
      return TRUE;
    }

  /* A member a newer version wrote: kept, so that saving does not lose it. */
  json_object_set_member (self->unknown, name, json_node_copy (node));
  return TRUE;
}

/* Description */

/* The name of row @id of @table (lifecycle_stage, lead_status, tag,
 * custom_field), translated for built-in stages and statuses, or NULL. */
static char *
lookup_name (sqlite3    *db,
             const char *table,
             gint64      id)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean builtin_column;
  char *name = NULL;

  if (db == NULL)
    return NULL;

  builtin_column = g_str_equal (table, "lifecycle_stage") || g_str_equal (table, "lead_status");
  sql = g_strdup_printf ("SELECT %s, %s FROM %s WHERE id = ?1",
                         g_str_equal (table, "custom_field") ? "label" : "name",
                         builtin_column ? "builtin" : "0", table);
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      sqlite3_finalize (stmt);
      return NULL;
    }

  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *text = (const char *) sqlite3_column_text (stmt, 0);

      name = g_strdup (crm_translate_builtin (text, sqlite3_column_int (stmt, 1) != 0));
    }
  sqlite3_finalize (stmt);

  return name;
}

/* Names of the ids joined by ", "; "#id" where a name is unknown. */
static char *
join_names (sqlite3    *db,
            const char *table,
            GArray     *ids)
{
  GString *names = g_string_new (NULL);

  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      g_autofree char *name = lookup_name (db, table, id);

      if (i > 0)
        g_string_append (names, ", ");
      if (name != NULL)
        g_string_append (names, name);
      else
        g_string_append_printf (names, "#%" G_GINT64_FORMAT, id);
    }

  return g_string_free (names, FALSE);
}

static char *
format_date (const char *iso)
{
  g_autoptr (GDateTime) date = NULL;

  if (is_iso_date (iso))
    date = g_date_time_new_utc (atoi (iso), atoi (iso + 5), atoi (iso + 8), 0, 0, 0);

  return date != NULL ? g_date_time_format (date, "%x") : g_strdup (iso);
}

static char *
describe_custom (sqlite3               *db,
                 const CrmFilterCustom *custom)
{
  g_autofree char *field = lookup_name (db, "custom_field", custom->field_id);
  g_autofree char *date = NULL;
  g_autofree char *choices = NULL;

  if (field == NULL)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, custom->field_id);

      /* Translators: a custom field whose name is not known, by its id */
      field = g_strdup_printf (_("field #%s"), id);
    }

  switch (custom->op)
    {
    case CRM_CUSTOM_EQUALS:
      /* Translators: a filter condition on a custom field, "Industry is “Retail”" */
      return g_strdup_printf (_("%s is “%s”"), field, custom->text);

    case CRM_CUSTOM_CONTAINS:
      return g_strdup_printf (_("%s contains “%s”"), field, custom->text);

    case CRM_CUSTOM_BETWEEN:
      if (isnan (custom->max))
        return g_strdup_printf (_("%s at least %g"), field, custom->min);
      if (isnan (custom->min))
        return g_strdup_printf (_("%s at most %g"), field, custom->max);
      return g_strdup_printf (_("%s from %g to %g"), field, custom->min, custom->max);

    case CRM_CUSTOM_BEFORE:
      date = format_date (custom->text);
      return g_strdup_printf (_("%s before %s"), field, date);

    case CRM_CUSTOM_AFTER:
      date = format_date (custom->text);
      return g_strdup_printf (_("%s after %s"), field, date);

    case CRM_CUSTOM_IS:
      return g_strdup_printf (custom->value ? _("%s: yes") : _("%s: no"), field);

    case CRM_CUSTOM_ANY_OF:
      choices = g_strjoinv (", ", custom->choices);
      return g_strdup_printf (_("%s is %s"), field, choices);

    default:
      g_assert_not_reached ();
    }
}

/* Public API */

CrmFilter *
crm_filter_new (void)
{
  CrmFilter *self = g_new0 (CrmFilter, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->stages = id_array_new ();
  self->statuses = id_array_new ();
  self->tags = id_array_new ();
  self->tags_none = id_array_new ();
  self->custom = g_ptr_array_new_with_free_func (custom_free);
  self->unknown = json_object_new ();

  return self;
}

CrmFilter *
crm_filter_ref (CrmFilter *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
crm_filter_unref (CrmFilter *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_array_unref (self->stages);
  g_array_unref (self->statuses);
  g_array_unref (self->tags);
  g_array_unref (self->tags_none);
  g_free (self->owner);
  g_free (self->province);
  g_free (self->source);
  g_ptr_array_unref (self->custom);
  json_object_unref (self->unknown);
  g_free (self);
}

/**
 * crm_filter_copy:
 *
 * A filter is shared by reference; copy it before changing one that others
 * hold.
 *
 * Returns: (transfer full): a new filter with the same conditions
 */
CrmFilter *
crm_filter_copy (const CrmFilter *self)
{
  CrmFilter *copy;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  g_return_val_if_fail (self != NULL, NULL);

  copy = crm_filter_new ();
  g_array_unref (copy->stages);
  copy->stages = id_array_copy (self->stages);
  g_array_unref (copy->statuses);
  copy->statuses = id_array_copy (self->statuses);
  g_array_unref (copy->tags);
  copy->tags = id_array_copy (self->tags);
  g_array_unref (copy->tags_none);
  copy->tags_none = id_array_copy (self->tags_none);
  copy->tag_match = self->tag_match;
  copy->owner = g_strdup (self->owner);
  copy->province = g_strdup (self->province);
  copy->source = g_strdup (self->source);
  copy->consent = self->consent;
  for (guint i = 0; i < self->custom->len; i++)
    g_ptr_array_add (copy->custom, custom_copy (g_ptr_array_index (self->custom, i)));
  copy->no_contact_days = self->no_contact_days;
  copy->birthday_this_month = self->birthday_this_month;
  copy->archived = self->archived;
  copy->now = self->now;

  json_object_iter_init (&iter, self->unknown);
  while (json_object_iter_next (&iter, &name, &node))
    json_object_set_member (copy->unknown, name, json_node_copy (node));

  return copy;
}

/**
 * crm_filter_equal:
 *
 * Whether two filters keep the same contacts: the same conditions, written
 * the same way.
 */
gboolean
crm_filter_equal (const CrmFilter *a,
                  const CrmFilter *b)
{
  g_autofree char *json_a = NULL;
  g_autofree char *json_b = NULL;

  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;

  json_a = crm_filter_to_json (a);
  json_b = crm_filter_to_json (b);

  return g_str_equal (json_a, json_b) && a->now == b->now;
}

/**
 * crm_filter_is_empty:
 *
 * Whether the filter has no condition: it keeps every contact that is not
 * archived, as the plain list does.
 */
gboolean
crm_filter_is_empty (const CrmFilter *self)
{
  g_return_val_if_fail (self != NULL, TRUE);

  return self->stages->len == 0
         && self->statuses->len == 0
         && self->tags->len == 0
         && self->tags_none->len == 0
         && self->owner == NULL
         && self->province == NULL
         && self->source == NULL
         && self->consent == CRM_FILTER_CONSENT_ANY
         && self->custom->len == 0
         && self->no_contact_days == 0
         && !self->birthday_this_month
         && self->archived == CRM_FILTER_ARCHIVED_EXCLUDE;
}

/**
 * crm_filter_set_lifecycle_stages:
 * @ids: (array length=n_ids): lifecycle stage ids; the contact has any of
 *   them. None: no condition.
 */
void
crm_filter_set_lifecycle_stages (CrmFilter    *self,
                                 const gint64 *ids,
                                 gsize         n_ids)
{
  g_return_if_fail (self != NULL);

  set_ids (self->stages, ids, n_ids);
}

const gint64 *
crm_filter_get_lifecycle_stages (const CrmFilter *self,
                                 gsize           *n_ids)
{
  g_return_val_if_fail (self != NULL, NULL);

  *n_ids = self->stages->len;
  return (const gint64 *) (gpointer) self->stages->data;
}

void
crm_filter_set_lead_statuses (CrmFilter    *self,
                              const gint64 *ids,
                              gsize         n_ids)
{
  g_return_if_fail (self != NULL);

  set_ids (self->statuses, ids, n_ids);
}

const gint64 *
crm_filter_get_lead_statuses (const CrmFilter *self,
                              gsize           *n_ids)
{
  g_return_val_if_fail (self != NULL, NULL);

  *n_ids = self->statuses->len;
  return (const gint64 *) (gpointer) self->statuses->data;
}

/**
 * crm_filter_set_tags:
 * @match: whether the contact has all the tags or any of them
 * @ids: (array length=n_ids): tag ids. None: no condition.
 */
void
crm_filter_set_tags (CrmFilter         *self,
                     CrmFilterTagMatch  match,
                     const gint64      *ids,
                     gsize              n_ids)
{
  g_return_if_fail (self != NULL);

  self->tag_match = match;
  set_ids (self->tags, ids, n_ids);
}

const gint64 *
crm_filter_get_tags (const CrmFilter   *self,
                     CrmFilterTagMatch *match,
                     gsize             *n_ids)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (match != NULL)
    *match = self->tag_match;
  *n_ids = self->tags->len;
  return (const gint64 *) (gpointer) self->tags->data;
}

/**
 * crm_filter_set_tags_none:
 * @ids: (array length=n_ids): tag ids the contact must have none of
 */
void
crm_filter_set_tags_none (CrmFilter    *self,
                          const gint64 *ids,
                          gsize         n_ids)
{
  g_return_if_fail (self != NULL);

  set_ids (self->tags_none, ids, n_ids);
}

const gint64 *
crm_filter_get_tags_none (const CrmFilter *self,
                          gsize           *n_ids)
{
  g_return_val_if_fail (self != NULL, NULL);

  *n_ids = self->tags_none->len;
  return (const gint64 *) (gpointer) self->tags_none->data;
}

/**
 * crm_filter_set_owner:
 * @owner: (nullable): the owner; "" for contacts without one; %NULL for no
 *   condition
 */
void
crm_filter_set_owner (CrmFilter  *self,
                      const char *owner)
{
  g_return_if_fail (self != NULL);

  replace_string (&self->owner, owner);
}

const char *
crm_filter_get_owner (const CrmFilter *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->owner;
}

/**
 * crm_filter_set_province:
 * @province: (nullable): the province of the primary address, as stored;
 *   %NULL or "" for no condition
 */
void
crm_filter_set_province (CrmFilter  *self,
                         const char *province)
{
  g_return_if_fail (self != NULL);

  replace_string (&self->province, has_text (province) ? province : NULL);
}

const char *
crm_filter_get_province (const CrmFilter *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->province;
}

/**
 * crm_filter_set_source:
 * @source: (nullable): the source, as stored; %NULL or "" for no condition
 */
void
crm_filter_set_source (CrmFilter  *self,
                       const char *source)
{
  g_return_if_fail (self != NULL);

  replace_string (&self->source, has_text (source) ? source : NULL);
}

const char *
crm_filter_get_source (const CrmFilter *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->source;
}

void
crm_filter_set_consent (CrmFilter        *self,
                        CrmFilterConsent  consent)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (consent <= CRM_FILTER_CONSENT_NO);

  self->consent = consent;
}

CrmFilterConsent
crm_filter_get_consent (const CrmFilter *self)
{
  g_return_val_if_fail (self != NULL, CRM_FILTER_CONSENT_ANY);

  return self->consent;
}

/**
 * crm_filter_set_no_contact_days:
 * @days: keep contacts with no interaction in the last @days days (or none
 *   ever); 0 for no condition
 */
void
crm_filter_set_no_contact_days (CrmFilter *self,
                                guint      days)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (days <= MAX_NO_CONTACT_DAYS);

  self->no_contact_days = days;
}

guint
crm_filter_get_no_contact_days (const CrmFilter *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->no_contact_days;
}

/**
 * crm_filter_set_birthday_this_month:
 *
 * Keep contacts whose birthday falls in the current month, in local time.
 */
void
crm_filter_set_birthday_this_month (CrmFilter *self,
                                    gboolean   birthday_this_month)
{
  g_return_if_fail (self != NULL);

  self->birthday_this_month = !!birthday_this_month;
}

gboolean
crm_filter_get_birthday_this_month (const CrmFilter *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->birthday_this_month;
}

void
crm_filter_set_archived (CrmFilter         *self,
                         CrmFilterArchived  archived)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (archived <= CRM_FILTER_ARCHIVED_INCLUDE);

  self->archived = archived;
}

CrmFilterArchived
crm_filter_get_archived (const CrmFilter *self)
{
  g_return_val_if_fail (self != NULL, CRM_FILTER_ARCHIVED_EXCLUDE);

  return self->archived;
}

/**
 * crm_filter_set_now:
 * @now: UTC seconds that "now" and "this month" refer to; 0 for the clock
 *
 * For tests. Not saved in the JSON.
 */
void
crm_filter_set_now (CrmFilter *self,
                    gint64     now)
{
  g_return_if_fail (self != NULL);

  self->now = now;
}

/**
 * crm_filter_get_now:
 *
 * Returns: the UTC seconds that "now" and "this month" refer to: the time
 *   crm_filter_set_now() gave, else the clock's
 */
gint64
crm_filter_get_now (const CrmFilter *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return filter_now (self);
}

/**
 * crm_filter_add_custom_text:
 * @op: %CRM_CUSTOM_EQUALS or %CRM_CUSTOM_CONTAINS
 */
void
crm_filter_add_custom_text (CrmFilter   *self,
                            gint64       field_id,
                            CrmCustomOp  op,
                            const char  *text)
{
  CrmFilterCustom *custom;

  g_return_if_fail (self != NULL);
  g_return_if_fail (op == CRM_CUSTOM_EQUALS || op == CRM_CUSTOM_CONTAINS);
  g_return_if_fail (has_text (text));

  custom = custom_new (field_id, op);
  custom->text = g_strdup (text);
  g_ptr_array_add (self->custom, custom);
}

/**
 * crm_filter_add_custom_between:
 * @min: the lowest value kept, or NAN for none
 * @max: the highest value kept, or NAN for none
 */
void
crm_filter_add_custom_between (CrmFilter *self,
                               gint64     field_id,
                               double     min,
                               double     max)
{
  CrmFilterCustom *custom;

  g_return_if_fail (self != NULL);
  g_return_if_fail (!isnan (min) || !isnan (max));

  custom = custom_new (field_id, CRM_CUSTOM_BETWEEN);
  custom->min = min;
  custom->max = max;
  g_ptr_array_add (self->custom, custom);
}

/**
 * crm_filter_add_custom_date:
 * @op: %CRM_CUSTOM_BEFORE or %CRM_CUSTOM_AFTER
 * @date: YYYY-MM-DD
 */
void
crm_filter_add_custom_date (CrmFilter   *self,
                            gint64       field_id,
                            CrmCustomOp  op,
                            const char  *date)
{
  CrmFilterCustom *custom;

  g_return_if_fail (self != NULL);
  g_return_if_fail (op == CRM_CUSTOM_BEFORE || op == CRM_CUSTOM_AFTER);
  g_return_if_fail (is_iso_date (date));

  custom = custom_new (field_id, op);
  custom->text = g_strdup (date);
  g_ptr_array_add (self->custom, custom);
}

void
crm_filter_add_custom_bool (CrmFilter *self,
                            gint64     field_id,
                            gboolean   value)
{
  CrmFilterCustom *custom;

  g_return_if_fail (self != NULL);

  custom = custom_new (field_id, CRM_CUSTOM_IS);
  custom->value = !!value;
  g_ptr_array_add (self->custom, custom);
}

/**
 * crm_filter_add_custom_choices:
 * @choices: (array zero-terminated=1): the value is any of these
 */
void
crm_filter_add_custom_choices (CrmFilter         *self,
                               gint64             field_id,
                               const char *const *choices)
{
  CrmFilterCustom *custom;

  g_return_if_fail (self != NULL);
  g_return_if_fail (choices != NULL && choices[0] != NULL);

  custom = custom_new (field_id, CRM_CUSTOM_ANY_OF);
  custom->choices = g_strdupv ((GStrv) choices);
  g_ptr_array_add (self->custom, custom);
}

/**
 * crm_filter_add_custom:
 * @custom: a condition, as crm_filter_get_custom() gives it; copied
 *
 * Adds a copy of @custom, as the crm_filter_add_custom_*() function of its
 * op would.
 */
void
crm_filter_add_custom (CrmFilter             *self,
                       const CrmFilterCustom *custom)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (custom != NULL);

  switch (custom->op)
    {
    case CRM_CUSTOM_EQUALS:
    case CRM_CUSTOM_CONTAINS:
      crm_filter_add_custom_text (self, custom->field_id, custom->op, custom->text);
      break;
    case CRM_CUSTOM_BETWEEN:
      crm_filter_add_custom_between (self, custom->field_id, custom->min, custom->max);
      break;
    case CRM_CUSTOM_BEFORE:
    case CRM_CUSTOM_AFTER:
      crm_filter_add_custom_date (self, custom->field_id, custom->op, custom->text);
      break;
    case CRM_CUSTOM_IS:
      crm_filter_add_custom_bool (self, custom->field_id, custom->value);
      break;
    case CRM_CUSTOM_ANY_OF:
      crm_filter_add_custom_choices (self, custom->field_id,
                                     (const char *const *) custom->choices);
      break;
    default:
      g_return_if_reached ();
    }
}

guint
crm_filter_get_n_custom (const CrmFilter *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->custom->len;
}

const CrmFilterCustom *
crm_filter_get_custom (const CrmFilter *self,
                       guint            index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->custom->len, NULL);

  return g_ptr_array_index (self->custom, index);
}

void
crm_filter_remove_custom (CrmFilter *self,
                          guint      index)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (index < self->custom->len);

  g_ptr_array_remove_index (self->custom, index);
}

/**
 * crm_filter_to_json:
 *
 * Returns: (transfer full): the filter as a JSON object, conditions that
 *   are not set left out; "{}" for an empty filter
 */
char *
crm_filter_to_json (const CrmFilter *self)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (builder);
  add_id_member (builder, "stages", self->stages);
  add_id_member (builder, "lead_statuses", self->statuses);
  add_id_member (builder, "tags", self->tags);
  if (self->tags->len > 0 && self->tag_match == CRM_FILTER_TAGS_ANY)
    add_string_member (builder, "tag_match", "any");
  add_id_member (builder, "tags_none", self->tags_none);
  add_string_member (builder, "owner", self->owner);
  add_string_member (builder, "province", self->province);
  add_string_member (builder, "source", self->source);
  if (self->consent != CRM_FILTER_CONSENT_ANY)
    {
      json_builder_set_member_name (builder, "consent");
      json_builder_add_boolean_value (builder, self->consent == CRM_FILTER_CONSENT_YES);
    }
  if (self->custom->len > 0)
    {
      json_builder_set_member_name (builder, "custom");
      json_builder_begin_array (builder);
      for (guint i = 0; i < self->custom->len; i++)
        add_custom (builder, g_ptr_array_index (self->custom, i));
      json_builder_end_array (builder);
    }
  if (self->no_contact_days > 0)
    {
      json_builder_set_member_name (builder, "no_contact_days");
      json_builder_add_int_value (builder, self->no_contact_days);
    }
  if (self->birthday_this_month)
    {
      json_builder_set_member_name (builder, "birthday_this_month");
      json_builder_add_boolean_value (builder, TRUE);
    }
  if (self->archived != CRM_FILTER_ARCHIVED_EXCLUDE)
    add_string_member (builder, "archived", archived_names[self->archived]);

  json_object_iter_init (&iter, self->unknown);
  while (json_object_iter_next (&iter, &name, &node))
    {
      json_builder_set_member_name (builder, name);
      json_builder_add_value (builder, json_node_copy (node));
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/**
 * crm_filter_new_from_json:
 * @json: a filter as crm_filter_to_json() writes it
 *
 * Members this version does not know are kept (and written back by
 * crm_filter_to_json()); a known member with a wrong value is an error.
 *
 * Returns: (transfer full): the filter, or %NULL with @error set
 *   (%CRM_FILTER_ERROR_INVALID)
 */
CrmFilter *
crm_filter_new_from_json (const char  *json,
                          GError     **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) parse_error = NULL;
  g_autoptr (CrmFilter) self = NULL;
  JsonObjectIter iter;
  JsonNode *root;
  const char *name;
  JsonNode *node;

  g_return_val_if_fail (json != NULL, NULL);

  if (!json_parser_load_from_data (parser, json, -1, &parse_error))
    {
      g_set_error (error, CRM_FILTER_ERROR, CRM_FILTER_ERROR_INVALID,
                   _("Filter: not valid JSON: %s"), parse_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, CRM_FILTER_ERROR, CRM_FILTER_ERROR_INVALID,
                           _("Filter: not a JSON object"));
      return NULL;
    }

  self = crm_filter_new ();
  json_object_iter_init (&iter, json_node_get_object (root));
  while (json_object_iter_next (&iter, &name, &node))
    {
      if (!read_member (self, name, node, error))
        return NULL;
    }

  return g_steal_pointer (&self);
}

/**
 * crm_filter_describe:
 * @db: (nullable): a connection to read the names of stages, statuses, tags
 *   and custom fields from; without one, they are shown by id
 *
 * A short description for a chip or a tooltip, the conditions separated
 * by " · ": "Customer · tag VIP · no contact for 30 days".
 *
 * Returns: (transfer full): the description; "" for an empty filter
 */
char *
crm_filter_describe (const CrmFilter *self,
                     sqlite3         *db)
{
  g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *joined = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->stages->len > 0)
    g_ptr_array_add (parts, join_names (db, "lifecycle_stage", self->stages));

  if (self->statuses->len > 0)
    {
      g_autofree char *names = join_names (db, "lead_status", self->statuses);

      /* Translators: a filter on lead statuses, "status New, Open" */
      g_ptr_array_add (parts, g_strdup_printf (_("status %s"), names));
    }

  if (self->tags->len > 0)
    {
      g_autofree char *names = join_names (db, "tag", self->tags);

      if (self->tags->len == 1)
        g_ptr_array_add (parts, g_strdup_printf (_("tag %s"), names));
      else if (self->tag_match == CRM_FILTER_TAGS_ALL)
        g_ptr_array_add (parts, g_strdup_printf (_("all tags %s"), names));
      else
        g_ptr_array_add (parts, g_strdup_printf (_("any tag of %s"), names));
    }

  if (self->tags_none->len > 0)
    {
      g_autofree char *names = join_names (db, "tag", self->tags_none);

      g_ptr_array_add (parts, g_strdup_printf (_("without tag %s"), names));
    }

  if (self->owner != NULL && *self->owner == '\0')
    g_ptr_array_add (parts, g_strdup (_("no owner")));
  else if (self->owner != NULL)
    g_ptr_array_add (parts, g_strdup_printf (_("owner %s"), self->owner));

  if (self->province != NULL)
    /* Translators: a filter on the province of the address, "in Hà Nội" */
    g_ptr_array_add (parts, g_strdup_printf (_("in %s"), self->province));

  if (self->source != NULL)
    g_ptr_array_add (parts, g_strdup_printf (_("source %s"), self->source));

  if (self->consent == CRM_FILTER_CONSENT_YES)
    g_ptr_array_add (parts, g_strdup (_("consented to marketing")));
  else if (self->consent == CRM_FILTER_CONSENT_NO)
    g_ptr_array_add (parts, g_strdup (_("no marketing consent")));

  for (guint i = 0; i < self->custom->len; i++)
    g_ptr_array_add (parts, describe_custom (db, g_ptr_array_index (self->custom, i)));

  if (self->no_contact_days > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("no contact for %u day",
                                                       "no contact for %u days",
                                                       self->no_contact_days),
                                             self->no_contact_days));

  if (self->birthday_this_month)
    g_ptr_array_add (parts, g_strdup (_("birthday this month")));

  if (self->archived == CRM_FILTER_ARCHIVED_ONLY)
    g_ptr_array_add (parts, g_strdup (_("archived")));
  else if (self->archived == CRM_FILTER_ARCHIVED_INCLUDE)
    g_ptr_array_add (parts, g_strdup (_("archived included")));

  g_ptr_array_add (parts, NULL);
  joined = g_strjoinv (" · ", (GStrv) parts->pdata);

  /* The first condition starts the sentence. */
  if (*joined != '\0')
    {
      gunichar first = g_utf8_get_char (joined);
      char upper[8] = { 0, };
      const char *rest = g_utf8_next_char (joined);

      g_unichar_to_utf8 (g_unichar_totitle (first), upper);
      return g_strconcat (upper, rest, NULL);
    }

  return g_steal_pointer (&joined);
}

CrmFilterBinds *
crm_filter_binds_new (void)
{
  CrmFilterBinds *binds = g_new0 (CrmFilterBinds, 1);

  binds->values = g_array_new (FALSE, TRUE, sizeof (Bind));
  g_array_set_clear_func (binds->values, bind_clear);
  return binds;
}

void
crm_filter_binds_free (CrmFilterBinds *binds)
{
  if (binds == NULL)
    return;

  g_array_unref (binds->values);
  g_free (binds);
}

guint
crm_filter_binds_get_length (const CrmFilterBinds *binds)
{
  g_return_val_if_fail (binds != NULL, 0);

  return binds->values->len;
}

/**
 * crm_filter_build_sql:
 * @where: where the condition is appended
 * @binds: where the values to bind are appended
 *
 * Appends the filter as one SQL condition over `contact c` (archived or not
 * included), with anonymous `?` parameters for the values in @binds; bind
 * them with crm_filter_bind(). The condition is written for reading the
 * whole matching set: it leaves SQLite free to start from an index of
 * the conditions and keeps it away from the list's sort index. Without
 * table statistics SQLite cannot tell a narrow condition from a broad one;
 * crm_filter_collect_ids(), crm_filter_count() and crm_filter_first_page()
 * measure that and are faster at a million contacts.
 *
 * Returns: %FALSE with @error set when a condition cannot be used
 */
gboolean
crm_filter_build_sql (const CrmFilter  *self,
                      GString          *where,
                      CrmFilterBinds   *binds,
                      GError          **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (where != NULL, FALSE);
  g_return_val_if_fail (binds != NULL, FALSE);

  g_string_append_c (where, '(');
  if (!append_conditions (self, STYLE_SET, TRUE, where, binds, error))
    return FALSE;
  g_string_append_c (where, ')');

  return TRUE;
}

/**
 * crm_filter_bind:
 * @first_index: the number of the condition's first parameter: one more
 *   than the parameters before it in the statement
 *
 * Returns: the number of the next parameter after the condition's
 */
int
crm_filter_bind (sqlite3_stmt         *stmt,
                 int                   first_index,
                 const CrmFilterBinds *binds)
{
  int index = first_index;

  g_return_val_if_fail (stmt != NULL, first_index);
  g_return_val_if_fail (binds != NULL, first_index);
  g_return_val_if_fail (first_index >= 1, first_index);
  g_return_val_if_fail (first_index - 1 + (int) binds->values->len
                        <= sqlite3_bind_parameter_count (stmt), first_index);

  for (guint i = 0; i < binds->values->len; i++, index++)
    {
      const Bind *bind = &g_array_index (binds->values, Bind, i);

      switch (bind->type)
        {
        case BIND_INT:
          sqlite3_bind_int64 (stmt, index, bind->i);
          break;
        case BIND_DOUBLE:
          sqlite3_bind_double (stmt, index, bind->d);
          break;
        case BIND_TEXT:
          sqlite3_bind_text (stmt, index, bind->text, -1, SQLITE_TRANSIENT);
          break;
        default:
          g_assert_not_reached ();
        }
    }

  return index;
}

/**
 * crm_filter_collect_ids:
 * @db: a connection: the store's, or a reader's on a worker thread
 * @cancellable: (nullable): stops the query
 *
 * Every contact the filter keeps, in no particular order. Meant for a
 * worker thread at a million contacts.
 *
 * Returns: (transfer full): a #GArray of gint64 ids, or %NULL with @error set
 */
GArray *
crm_filter_collect_ids (sqlite3          *db,
                        const CrmFilter  *self,
                        GCancellable     *cancellable,
                        GError          **error)
{
  return crm_filter_collect_ids_matching (db, self, NULL, cancellable, error);
}

/**
 * crm_filter_collect_ids_matching:
 * @query: (nullable): search text, as the list's search box takes it
 *
 * crm_filter_collect_ids() of the contacts that also match @query.
 *
 * Returns: (transfer full): a #GArray of gint64 ids, or %NULL with @error set
 */
GArray *
crm_filter_collect_ids_matching (sqlite3          *db,
                                 const CrmFilter  *self,
                                 const char       *query,
                                 GCancellable     *cancellable,
                                 GError          **error)
{
  g_autoptr (GError) search_error = NULL;
  g_autofree char *match = NULL;
  Interrupt interrupt = { cancellable, 0, FALSE, -1, FALSE };
  sqlite3_stmt *stmt;
  GArray *ids;
  int rc;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (self != NULL, NULL);

  match = match_for (db, query, &search_error);
  if (search_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&search_error));
      return NULL;
    }
  if (match != NULL && *match == '\0')
    return id_array_new ();

  if (cancellable != NULL)
    sqlite3_progress_handler (db, 10000, interrupt_cb, &interrupt);

  stmt = prepare_set_query (db, self, match, "c.id", error);
  if (stmt == NULL)
    {
      sqlite3_progress_handler (db, 0, NULL, NULL);
      if (g_cancellable_is_cancelled (cancellable))
        {
          g_clear_error (error);
          g_cancellable_set_error_if_cancelled (cancellable, error);
        }
      return NULL;
    }

  ids = id_array_new ();
  rc = step_ids (stmt, ids);
  sqlite3_progress_handler (db, 0, NULL, NULL);
  sqlite3_finalize (stmt);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      g_array_unref (ids);
      return NULL;
    }

  if (rc != SQLITE_DONE)
    {
      set_db_error (db, error, _("Cannot filter the contacts"));
      g_array_unref (ids);
      return NULL;
    }

  return ids;
}

/**
 * crm_filter_count:
 *
 * Returns: how many contacts the filter keeps, or -1 with @error set
 */
gint64
crm_filter_count (sqlite3          *db,
                  const CrmFilter  *self,
                  GError          **error)
{
  return crm_filter_count_matching (db, self, NULL, error);
}

/**
 * crm_filter_count_matching:
 * @query: (nullable): search text, as the list's search box takes it
 *
 * Returns: how many contacts the filter keeps that match @query, or -1
 *   with @error set
 */
gint64
crm_filter_count_matching (sqlite3          *db,
                           const CrmFilter  *self,
                           const char       *query,
                           GError          **error)
{
  g_autoptr (GError) search_error = NULL;
  g_autofree char *match = NULL;
  sqlite3_stmt *stmt;
  gint64 count = -1;

  g_return_val_if_fail (db != NULL, -1);
  g_return_val_if_fail (self != NULL, -1);

  match = match_for (db, query, &search_error);
  if (search_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&search_error));
      return -1;
    }
  if (match != NULL && *match == '\0')
    return 0;

  stmt = prepare_set_query (db, self, match, "count(*)", error);
  if (stmt == NULL)
    return -1;

  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  else
    set_db_error (db, error, _("Cannot count the contacts"));
  sqlite3_finalize (stmt);

  return count;
}

/**
 * crm_filter_first_page:
 * @limit: how many ids at most
 *
 * The first @limit contacts the filter keeps, in list order, for the main
 * thread: it gives up after 40 ms with %G_IO_ERROR_TIMED_OUT, and the
 * caller then waits for crm_filter_collect_ids() on a worker thread. See
 * crm_filter_first_page_full().
 *
 * Returns: (transfer full): a #GArray of gint64 ids, or %NULL with @error set
 */
GArray *
crm_filter_first_page (sqlite3          *db,
                       const CrmFilter  *self,
                       CrmSortOrder      order,
                       guint             limit,
                       GError          **error)
{
  return crm_filter_first_page_full (db, self, NULL, order, limit, CRM_FILTER_PLAN_AUTO,
                                     FIRST_PAGE_BUDGET_USEC, error);
}

/**
 * crm_filter_first_page_full:
 * @query: (nullable): search text, as the list's search box takes it
 * @plan: how to read them; every plan gives the same ids
 * @budget_usec: how long it may take before it gives up with
 *   %G_IO_ERROR_TIMED_OUT; 0 for no limit
 *
 * The first @limit contacts the filter keeps that match @query, in list
 * order. %CRM_FILTER_PLAN_AUTO starts from the smallest indexed set of
 * candidates (a tag, stages, statuses, a province, archived contacts, the
 * search matches; the owner or source where an index "contact_owner" or
 * "contact_source" exists) when one has at most 2,000 contacts. Otherwise it walks
 * the list in order until @limit match, as far as the smallest such set
 * has candidates, and then sorts that set instead; so it costs at most
 * about twice the faster way. Either way its time grows with the contacts
 * it reads (10–20 µs each when their page is not cached): a filter that
 * keeps a few percent of the contacts, or that has a narrow indexed
 * condition, is fast; one that keeps few contacts through conditions
 * without an index (owner, consent, birthday, custom values) reads them
 * all, which takes seconds at a million contacts.
 *
 * Returns: (transfer full): a #GArray of gint64 ids, or %NULL with @error set
 */
GArray *
crm_filter_first_page_full (sqlite3          *db,
                            const CrmFilter  *self,
                            const char       *query,
                            CrmSortOrder      order,
                            guint             limit,
                            CrmFilterPlan     plan,
                            gint64            budget_usec,
                            GError          **error)
{
  g_autofree char *match = NULL;
  g_autoptr (GPtrArray) drivers = NULL;
  g_autoptr (GError) local_error = NULL;
  Interrupt interrupt = { NULL, 0, FALSE, -1, FALSE };
  Driver *driver = NULL;
  gint64 estimate = 0;
  GArray *ids = NULL;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (self != NULL, NULL);

  match = match_for (db, query, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (limit == 0 || (match != NULL && *match == '\0'))
    return id_array_new ();

  if (budget_usec > 0)
    interrupt.deadline = g_get_monotonic_time () + budget_usec;
  sqlite3_progress_handler (db, INTERRUPT_OPS, interrupt_cb, &interrupt);

  if (plan == CRM_FILTER_PLAN_LIST_ORDER)
    {
      ids = first_page_ordered (db, self, match, order, limit, &local_error);
      goto out;
    }

  drivers = list_drivers (db, self, match, FALSE);
  if (!pick_driver (db, drivers,
                    plan == CRM_FILTER_PLAN_AUTO ? FIRST_PAGE_DRIVER_MAX : G_MAXINT64 - 1,
                    &driver, &estimate, &local_error))
    goto out;

  /* Which is faster, sorting the candidates of the driver or walking the
   * list until enough match, depends on how many match, which nothing
   * tells in advance. So the walk goes first, as far as the driver has
   * candidates, which costs at most twice the faster of the two. */
  if (plan == CRM_FILTER_PLAN_AUTO && (driver == NULL || estimate > FIRST_PAGE_DRIVER_CAP))
    {
      if (driver != NULL)
        interrupt.ops_left = estimate * WALK_OPS_PER_CONTACT / INTERRUPT_OPS;
      ids = first_page_ordered (db, self, match, order, limit, &local_error);
      interrupt.ops_left = -1;
      if (ids != NULL || !interrupt.cut)
        goto out;
      g_clear_error (&local_error);
      g_debug ("First page: the walk found too few; sorting %" G_GINT64_FORMAT " candidates",
               estimate);
    }

  ids = first_page_sorted (db, self, match, driver, order, limit, &local_error);

out:
  sqlite3_progress_handler (db, 0, NULL, NULL);

  if (interrupt.timed_out)
    {
      g_clear_pointer (&ids, g_array_unref);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                           _("The filtered list takes longer to read; it is read in the "
                             "background"));
      return NULL;
    }

  if (ids == NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));

  return ids;
}
