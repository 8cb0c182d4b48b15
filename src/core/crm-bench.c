/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-bench"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "crm-bench.h"
#include "crm-bulk.h"
#include "crm-contact.h"
#include "crm-contact-list.h"
#include "crm-contacts.h"
#include "crm-filter.h"
#include "crm-pipeline-bench.h"
#include "crm-key.h"
#include "crm-search.h"
#include "crm-store.h"

/* The figures of issue "The encrypted workspace", measured the same way on an
 * encrypted workspace and on an unencrypted twin, so the cost of encryption
 * shows as a ratio. */

#define BATCH 50000
#define RANDOM_READS 20000
#define PAGE_LOADS 2000
#define BULK_TAGGED 100000
#define INTERACTIONS 200000
#define OPEN_DEALS 10000
/* Opening and the first page are timed on this many fresh opens, each with
 * a cold page cache, and the median is kept: one sample of a fraction of a
 * millisecond says more about the machine's mood than about the work. */
#define OPEN_RUNS 9

typedef enum {
  HIGHER_IS_BETTER,
  LOWER_IS_BETTER,
} Direction;

typedef struct
{
  const char *key;
  const char *label;
  const char *unit;
  double      target;
  Direction   direction;
  gboolean    in_ratio;  /* one of the encrypted workspace's figures, whose ratio counts */
  double      value[2];  /* encrypted, plain */
} Figure;

enum {
  FIGURE_CREATE,
  FIGURE_OPEN,
  FIGURE_SEARCH_P95,
  FIGURE_FIRST_PAGE,
  FIGURE_GET_ITEM_P95,
  FIGURE_CONTACT_PAGE_P95,
  FIGURE_FILTER_FIRST_PAGE,
  FIGURE_BULK_TAG,
  FIGURE_BOARD,
  FIGURE_DEAL_MOVE,
  N_FIGURES
};

static const char *const families[] = {
  "Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần", "Lê", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan",
  "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Smith", "Brown",
};
static const char *const middles[] = {
  "Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quang", "Xuân", "Hoàng", "Thu", "",
};
static const char *const givens[] = {
  "An", "Anh", "Ánh", "Bình", "Châu", "Chi", "Cường", "Dũng", "Dung", "Đạt", "Đức", "Giang",
  "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng", "Hương", "Khánh", "Lan", "Linh", "Long", "Mai",
  "Minh", "Nam", "Ngọc", "Nhung", "Phong", "Phương", "Quân", "Quỳnh", "Sơn", "Tâm", "Thảo",
  "Thắng", "Trang", "Trinh", "Tuấn", "Uyên", "Vân", "Việt", "Yến", "John", "Mary",
};
static const char *const mobile_prefixes[] = {
  "32", "33", "34", "35", "36", "37", "38", "39", "86", "96", "97", "98", "81", "82", "83",
  "84", "85", "88", "91", "94", "70", "76", "77", "78", "79", "89", "90", "93",
};

static const char *const domains[] = {
  "gmail.com", "gmail.com", "gmail.com", "yahoo.com.vn", "outlook.com", "hotmail.com",
  "fpt.vn", "vnpt.vn", "minhphat.vn", "hoabinh.com.vn", "viettel.com.vn", "sgtrading.vn",
};

static const char *const queries[] = {
  "nguyen van duc", "Nguyễn Văn Đức", "NGUYỄN THỊ LAN", "tran minh", "le thu ha", "pham",
  "hoang ngoc anh", "duc", "đức", "lan", "yen", "mai", "an", "anh", "binh", "nguyen",
  "tran", "vu", "dang", "bui thanh", "ho xuan huong", "ngo", "duong", "ly", "smith", "john",
  "du", "ng", "th", "ph", "qu", "h", "0903", "0912 3", "+8490", "90312", "0988",
  "gmail", "duc.nguyen", "lan.tran", "khong co ai", "quynh", "phuong thao", "cuong",
  "dung", "tuan anh", "viet", "hai", "long", "trinh",
};

/* splitmix64: the same sequence on every machine. */
static guint64
next_random (guint64 *state)
{
  guint64 z = (*state += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return z ^ (z >> 31);
}

#define PICK(array, state) ((array)[next_random (state) % G_N_ELEMENTS (array)])

/* Milliseconds on the monotonic clock, to the nanosecond: reading a row
 * takes a few microseconds, which g_get_monotonic_time() would round. */
static double
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
percentile (GArray *samples,
            double  fraction)
{
  guint index;

  if (samples->len == 0)
    return 0;

  g_array_sort (samples, compare_doubles);
  index = MIN (samples->len - 1, (guint) (fraction * samples->len));
  return g_array_index (samples, double, index);
}

static gboolean
wait_loaded (CrmContactList *list)
{
  while (crm_contact_list_get_loading (list))
    g_main_context_iteration (NULL, TRUE);

  return crm_contact_list_get_error (list) == NULL;
}

static gboolean
fill (CrmStore  *store,
      guint      n,
      guint64    seed,
      double    *per_second,
      GError   **error)
{
  g_autofree CrmNewContact *batch = g_new0 (CrmNewContact, BATCH);
  g_autoptr (GStringChunk) strings = g_string_chunk_new (1 << 20);
  g_autoptr (CrmContactImport) import = NULL;
  guint64 state = seed;
  gint64 started = g_get_monotonic_time ();

  import = crm_contact_import_begin (store, n, error);
  if (import == NULL)
    return FALSE;

  for (guint done = 0; done < n; )
    {
      guint count = MIN (BATCH, n - done);

      g_string_chunk_clear (strings);
      for (guint i = 0; i < count; i++)
        {
          const char *family = PICK (families, &state);
          const char *given = PICK (givens, &state);
          guint64 r = next_random (&state);
          char buffer[96];

          batch[i].family_name = family;
          batch[i].middle_name = PICK (middles, &state);
          batch[i].given_name = given;
          g_snprintf (buffer, sizeof buffer, "+84%s%07u", PICK (mobile_prefixes, &state),
                      (guint) (r % 10000000));
          batch[i].phone_e164 = g_string_chunk_insert (strings, buffer);
          g_snprintf (buffer, sizeof buffer, "kh%u.%u@%s", done + i, (guint) (r >> 40),
                      PICK (domains, &state));
          batch[i].email = g_string_chunk_insert (strings, buffer);
        }

      if (!crm_contact_import_add (import, batch, count, NULL, error))
        return FALSE;
      done += count;
    }

  if (!crm_contact_import_finish (import, error))
    return FALSE;

  *per_second = n / ((g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);
  return TRUE;
}

/* What a working office adds to the contacts: stages, statuses, owners,
 * birthdays, and interactions of every kind, so that a contact's page has
 * figures to compute and filters have something to find. */
static gboolean
add_office_data (CrmStore  *store,
                 guint64    seed,
                 GError   **error)
{
  static const char *const kinds[] = { "call", "email", "meeting", "purchase", "purchase",
                                       "feedback", "complaint", "support", "note", "visit" };
  guint64 state = seed ^ G_GUINT64_CONSTANT (0x5EED);
  gint64 max_id = 0;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  sqlite3_stmt *stmt;
  int rc = SQLITE_DONE;

  if (!crm_store_exec (store,
                       "UPDATE contact SET "
                       " lifecycle_stage_id = (SELECT s.id FROM lifecycle_stage s WHERE s.position = "
                       "   contact.id % (SELECT count(*) FROM lifecycle_stage)), "
                       " lead_status_id = (SELECT s.id FROM lead_status s WHERE s.position = "
                       "   contact.id % (SELECT count(*) FROM lead_status)), "
                       " owner = CASE contact.id % 4 WHEN 0 THEN 'lan' WHEN 1 THEN 'minh' "
                       "   WHEN 2 THEN 'thao' ELSE NULL END, "
                       " birthday = CASE WHEN contact.id % 3 = 0 THEN printf('%04d-%02d-%02d', "
                       "   1960 + contact.id % 45, 1 + contact.id % 12, 1 + contact.id % 28) END",
                       error))
    return FALSE;

  stmt = crm_store_prepare (store, "SELECT max(id) FROM contact", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    max_id = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  if (max_id <= 0)
    return TRUE;

  if (!crm_store_begin (store, error))
    return FALSE;
  stmt = crm_store_prepare (store,
                            "INSERT INTO interaction (contact_id, kind, happened, subject, "
                            "amount, currency, sentiment, satisfaction) "
                            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                            error);
  if (stmt == NULL)
    {
      crm_store_rollback (store);
      return FALSE;
    }

  for (guint i = 0; i < INTERACTIONS && rc == SQLITE_DONE; i++)
    {
      const char *kind = PICK (kinds, &state);
      gboolean purchase = g_str_equal (kind, "purchase");
      gboolean feedback = g_str_equal (kind, "feedback");

      sqlite3_bind_int64 (stmt, 1, 1 + next_random (&state) % max_id);
      sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, now - (gint64) (next_random (&state) % (730 * 86400)));
      sqlite3_bind_text (stmt, 4, purchase ? "Đơn hàng" : feedback ? "Góp ý" : "Liên hệ", -1,
                         SQLITE_STATIC);
      if (purchase)
        {
          sqlite3_bind_int64 (stmt, 5, 100000 * (1 + next_random (&state) % 500));
          sqlite3_bind_text (stmt, 6, "VND", -1, SQLITE_STATIC);
        }
      if (feedback)
        {
          sqlite3_bind_text (stmt, 7, "positive", -1, SQLITE_STATIC);
          sqlite3_bind_int (stmt, 8, 1 + next_random (&state) % 5);
        }
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (store, error, rc, _("Cannot add the benchmark’s interactions"));
      crm_store_rollback (store);
      return FALSE;
    }

  return crm_store_commit (store, error);
}

static gboolean
wait_first_page (CrmContactList *list)
{
  while (crm_contact_list_get_loading (list)
         && g_list_model_get_n_items (G_LIST_MODEL (list)) < 200)
    g_main_context_iteration (NULL, TRUE);

  return crm_contact_list_get_error (list) == NULL;
}

/* The figures of issue "Contacts and companies": a contact's page, a
 * filter's first page and a bulk tag. */
static gboolean
measure_contacts_work (CrmStore        *store,
                       CrmContactList  *list,
                       guint64          seed,
                       int              k,
                       Figure          *figures,
                       GError         **error)
{
  g_autoptr (GArray) page_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (CrmBulkUndo) undo = NULL;
  guint64 state = seed ^ G_GUINT64_CONSTANT (0xC0FFEE);
  guint n;
  gint64 tag_id;
  gint64 stage_ids[2] = { 0, };
  double worst_filter = 0;
  gint64 t;

  /* Set-up, not measured: the office's data, written and checkpointed. */
  if (!add_office_data (store, seed, error))
    return FALSE;
  crm_store_emit_changed (store, "contact", 0);
  if (!wait_loaded (list))
    {
      g_propagate_error (error, g_error_copy (crm_contact_list_get_error (list)));
      return FALSE;
    }
  if (!crm_store_exec (store, "PRAGMA wal_checkpoint(TRUNCATE)", error))
    return FALSE;

  /* A contact's page: everything about a person, figures computed. */
  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  for (guint i = 0; i < PAGE_LOADS && n > 0; i++)
    {
      gint64 id = crm_contact_list_get_id (list, next_random (&state) % n);
      g_autoptr (CrmContact) contact = NULL;
      double ms;

      t = g_get_monotonic_time ();
      contact = crm_contact_load (store, id, error);
      ms = (g_get_monotonic_time () - t) / 1000.0;
      if (contact == NULL)
        return FALSE;
      g_array_append_val (page_ms, ms);
    }
  figures[FIGURE_CONTACT_PAGE_P95].value[k] = percentile (page_ms, 0.95);

  /* Tag 100,000 contacts in list order, in one change. */
  tag_id = crm_tags_ensure (store, "Khách VIP", error);
  if (tag_id <= 0)
    return FALSE;
  for (guint i = 0; i < MIN (BULK_TAGGED, n); i++)
    {
      gint64 id = crm_contact_list_get_id (list, (guint) ((guint64) i * n / MIN (BULK_TAGGED, n)));

      g_array_append_val (ids, id);
    }
  t = g_get_monotonic_time ();
  undo = crm_bulk_tag (store, ids, tag_id, NULL, NULL, NULL, error);
  if (undo == NULL)
    return FALSE;
  figures[FIGURE_BULK_TAG].value[k] = (g_get_monotonic_time () - t) / (double) G_USEC_PER_SEC;
  if (!wait_loaded (list))
    {
      g_propagate_error (error, g_error_copy (crm_contact_list_get_error (list)));
      return FALSE;
    }

  /* Filters and a segment (a filter with a search): until the list shows
   * its first page. */
  {
    sqlite3_stmt *stmt = crm_store_prepare (store,
                                            "SELECT id FROM lifecycle_stage "
                                            "WHERE key IN ('customer', 'lead') ORDER BY key",
                                            error);

    if (stmt == NULL)
      return FALSE;
    for (guint i = 0; i < G_N_ELEMENTS (stage_ids) && sqlite3_step (stmt) == SQLITE_ROW; i++)
      stage_ids[i] = sqlite3_column_int64 (stmt, 0);
    sqlite3_finalize (stmt);
  }

  for (guint f = 0; f < 6; f++)
    {
      g_autoptr (CrmFilter) filter = crm_filter_new ();
      const char *query = NULL;
      double ms;

      switch (f)
        {
        case 0:
          crm_filter_set_lifecycle_stages (filter, stage_ids, 1);
          break;
        case 1:
          crm_filter_set_tags (filter, CRM_FILTER_TAGS_ANY, &tag_id, 1);
          break;
        case 2:
          crm_filter_set_no_contact_days (filter, 90);
          break;
        case 3:
          crm_filter_set_birthday_this_month (filter, TRUE);
          break;
        case 4:
          crm_filter_set_lifecycle_stages (filter, stage_ids, 2);
          crm_filter_set_owner (filter, "lan");
          break;
        default:
          crm_filter_set_tags (filter, CRM_FILTER_TAGS_ANY, &tag_id, 1);
          query = "nguyen";
          break;
        }

      crm_contact_list_set_filter (list, NULL);
      crm_contact_list_set_query (list, "");
      wait_loaded (list);
      t = g_get_monotonic_time ();
      crm_contact_list_set_query (list, query);
      crm_contact_list_set_filter (list, filter);
      if (!wait_first_page (list))
        {
          g_propagate_error (error, g_error_copy (crm_contact_list_get_error (list)));
          return FALSE;
        }
      ms = (g_get_monotonic_time () - t) / 1000.0;
      g_debug ("filter %u: first page in %.1f ms", f, ms);
      worst_filter = MAX (worst_filter, ms);
      wait_loaded (list);
    }
  crm_contact_list_set_filter (list, NULL);
  crm_contact_list_set_query (list, "");
  figures[FIGURE_FILTER_FIRST_PAGE].value[k] = worst_filter;

  /* The pipeline board of the same workspace, with its open deals. */
  return crm_pipeline_bench (store, OPEN_DEALS, seed, &figures[FIGURE_BOARD].value[k],
                             &figures[FIGURE_DEAL_MOVE].value[k], error);
}

static gboolean
measure (const CrmBenchOptions *options,
         const char            *directory,
         gboolean               encrypted,
         Figure                *figures,
         GError               **error)
{
  int k = encrypted ? 0 : 1;
  g_autoptr (GBytes) key = NULL;
  g_autoptr (CrmStore) store = NULL;
  g_autoptr (CrmContactList) list = NULL;
  g_autoptr (GArray) search_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) read_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) open_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) first_page_ms = g_array_new (FALSE, FALSE, sizeof (double));
  guint64 state = options->seed;

  if (encrypted)
    {
      key = crm_key_generate (error);
      if (key == NULL)
        return FALSE;
      store = crm_store_create (directory, key, error);
    }
  else
    {
      store = crm_store_create_unencrypted (directory, error);
    }
  if (store == NULL)
    return FALSE;

  if (!fill (store, options->contacts, options->seed, &figures[FIGURE_CREATE].value[k], error))
    return FALSE;

  /* Reopen: what starting the application costs once the key is known,
   * then the list's first page; the last list then loads whole in the
   * background. */
  if (!crm_store_exec (store, "PRAGMA wal_checkpoint(TRUNCATE)", error))
    return FALSE;
  for (guint run = 0; run < OPEN_RUNS; run++)
    {
      double start;
      double ms;

      g_clear_object (&list);
      crm_store_wait_for_workers (10000);
      g_clear_object (&store);

      start = now_ms ();
      store = encrypted ? crm_store_open (directory, key, error)
                        : crm_store_open_unencrypted (directory, error);
      if (store == NULL)
        return FALSE;
      ms = now_ms () - start;
      g_array_append_val (open_ms, ms);

      start = now_ms ();
      list = crm_contact_list_new (store, CRM_SORT_GIVEN_NAME);
      ms = now_ms () - start;
      g_array_append_val (first_page_ms, ms);
    }
  figures[FIGURE_OPEN].value[k] = percentile (open_ms, 0.5);
  figures[FIGURE_FIRST_PAGE].value[k] = percentile (first_page_ms, 0.5);
  if (!wait_loaded (list))
    {
      g_propagate_error (error, g_error_copy (crm_contact_list_get_error (list)));
      return FALSE;
    }

  /* Random rows, as scrolling far asks for them. */
  for (guint i = 0; i < RANDOM_READS; i++)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (list));
      guint position = next_random (&state) % n;
      g_autoptr (GObject) row = NULL;
      double start;
      double ms;

      start = now_ms ();
      row = g_list_model_get_item (G_LIST_MODEL (list), position);
      ms = now_ms () - start;
      g_array_append_val (read_ms, ms);
    }
  figures[FIGURE_GET_ITEM_P95].value[k] = percentile (read_ms, 0.95);

  /* Searches: the matches in display order and their first 200 rows. */
  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      guint n;
      double start;
      double ms;

      crm_contact_list_set_query (list, "");
      start = now_ms ();
      crm_contact_list_set_query (list, queries[q]);
      n = g_list_model_get_n_items (G_LIST_MODEL (list));
      for (guint i = 0; i < MIN (n, 200); i++)
        g_object_unref (g_list_model_get_item (G_LIST_MODEL (list), i));
      ms = now_ms () - start;
      g_debug ("search “%s”: %u matches, %.1f ms", queries[q], n, ms);
      g_array_append_val (search_ms, ms);
    }
  figures[FIGURE_SEARCH_P95].value[k] = percentile (search_ms, 0.95);
  crm_contact_list_set_query (list, "");

  return measure_contacts_work (store, list, options->seed, k, figures, error);
}

/* What a measurement in a child process hands back. */
typedef struct
{
  double   value[N_FIGURES];
  gboolean ok;
  char     message[1024];
} Outcome;

/* mmap() or fork() failed: errno says why. */
static void
set_start_error (GError **error)
{
  int saved = errno;

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
               _("Cannot start the benchmark’s measurement: %s"), g_strerror (saved));
}

/* The signals that stop a benchmark (Ctrl+C, kill, a closed terminal):
 * the measuring child is stopped with it, the workspaces are removed, and
 * then the benchmark dies of the signal, as the shell expects. */
static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };
static struct sigaction previous_actions[G_N_ELEMENTS (stop_signals)];
static volatile sig_atomic_t measuring_pid;
static volatile sig_atomic_t stopped_by;

static void
on_stop_signal (int signum)
{
  stopped_by = signum;
  if (measuring_pid > 0)
    kill (measuring_pid, signum);
}

/* Measures one workspace in a child process of its own, so that the
 * encrypted and the plain one start alike: measured in one process, the
 * second ran faster, on a heap and in caches the first had grown. */
static gboolean
measure_apart (const CrmBenchOptions *options,
               const char            *directory,
               gboolean               encrypted,
               Figure                *figures,
               GError               **error)
{
  int k = encrypted ? 0 : 1;
  Outcome *outcome;
  pid_t pid;
  pid_t waited;
  int status = 0;
  gboolean ok = FALSE;

  outcome = mmap (NULL, sizeof *outcome, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                  -1, 0);
  if (outcome == MAP_FAILED)
    {
      set_start_error (error);
      return FALSE;
    }
  memset (outcome, 0, sizeof *outcome);

  fflush (stdout);
  fflush (stderr);
  pid = fork ();
  if (pid == 0)
    {
      g_autoptr (GError) local_error = NULL;

      for (guint i = 0; i < G_N_ELEMENTS (stop_signals); i++)
        sigaction (stop_signals[i], &previous_actions[i], NULL);
      outcome->ok = measure (options, directory, encrypted, figures, &local_error);
      for (guint i = 0; i < N_FIGURES; i++)
        outcome->value[i] = figures[i].value[k];
      if (local_error != NULL)
        g_strlcpy (outcome->message, local_error->message, sizeof outcome->message);
      _exit (0);
    }

  if (pid < 0)
    {
      set_start_error (error);
      munmap (outcome, sizeof *outcome);
      return FALSE;
    }

  measuring_pid = pid;
  if (stopped_by != 0)
    kill (pid, stopped_by);
  while ((waited = waitpid (pid, &status, 0)) < 0 && errno == EINTR)
    ;
  measuring_pid = 0;

  if (waited != pid || !WIFEXITED (status) || WEXITSTATUS (status) != 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("The benchmark’s measurement stopped unexpectedly"));
    }
  else if (!outcome->ok)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, outcome->message);
    }
  else
    {
      for (guint i = 0; i < N_FIGURES; i++)
        figures[i].value[k] = outcome->value[i];
      ok = TRUE;
    }

  munmap (outcome, sizeof *outcome);
  return ok;
}

/* The benchmark made @directory for one workspace and owns all it holds:
 * the database and its log, workspace.ini, and whatever a measurement
 * stopped halfway left (a journal, a half-written workspace.ini, the
 * import's scratch index). */
static void
remove_workspace (const char *directory)
{
  g_autoptr (GDir) dir = g_dir_open (directory, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (directory, name, NULL);

      g_remove (path);
    }
  g_rmdir (directory);
}

/* @text padded with spaces to @width characters, not bytes. */
static const char *
padded (const char *text,
        glong       width)
{
  static char buffer[256];
  glong length = g_utf8_strlen (text, -1);

  g_snprintf (buffer, sizeof buffer, "%s%*s", text, (int) MAX (0, width - length), "");
  return buffer;
}

static gboolean
meets (const Figure *figure)
{
  if (figure->direction == HIGHER_IS_BETTER)
    return figure->value[0] >= figure->target;
  return figure->value[0] <= figure->target;
}

/* Encrypted over plain, as a cost: above 1 means encryption is slower. */
static double
ratio (const Figure *figure)
{
  if (figure->direction == HIGHER_IS_BETTER)
    return figure->value[0] > 0 ? figure->value[1] / figure->value[0] : 0;
  return figure->value[1] > 0 ? figure->value[0] / figure->value[1] : 0;
}

void
crm_bench_options_init (CrmBenchOptions *options)
{
  options->contacts = 1000000;
  options->directory = NULL;
  options->seed = 1;
}

/* Measures and prints the figures. Interrupted by SIGINT, SIGTERM or
 * SIGHUP, it removes the workspaces it made and dies of the signal. */
gboolean
crm_bench_run (const CrmBenchOptions  *options,
               gboolean                json,
               GError                **error)
{
  Figure figures[N_FIGURES] = {
    [FIGURE_CREATE] = { "create_contacts_per_second", N_("create contacts (emails, phones, search index)"),
                        "/s", 50000, HIGHER_IS_BETTER, TRUE },
    [FIGURE_OPEN] = { "open_ms", N_("open the workspace, key given"), "ms", 100, LOWER_IS_BETTER,
                      TRUE },
    [FIGURE_SEARCH_P95] = { "search_p95_ms", N_("search, first 200 in display order, p95"), "ms", 30,
                            LOWER_IS_BETTER, TRUE },
    [FIGURE_FIRST_PAGE] = { "list_first_page_ms", N_("contacts list: first page"), "ms", 20,
                            LOWER_IS_BETTER, TRUE },
    [FIGURE_GET_ITEM_P95] = { "list_get_item_p95_ms", N_("contacts list: random get_item, p95"), "ms",
                              1, LOWER_IS_BETTER, TRUE },
    [FIGURE_CONTACT_PAGE_P95] = { "contact_page_p95_ms", N_("open a contact’s page with its figures, p95"),
                                  "ms", 10, LOWER_IS_BETTER, FALSE },
    [FIGURE_FILTER_FIRST_PAGE] = { "filter_first_page_worst_ms",
                                   N_("filter or segment: first page, worst of 6"), "ms", 50,
                                   LOWER_IS_BETTER, FALSE },
    [FIGURE_BULK_TAG] = { "bulk_tag_100k_s", N_("bulk tag of 100,000 contacts"), "s", 3,
                          LOWER_IS_BETTER, FALSE },
    [FIGURE_BOARD] = { "board_10k_deals_p95_ms", N_("pipeline board, 10,000 open deals, p95"), "ms",
                       100, LOWER_IS_BETTER, FALSE },
    [FIGURE_DEAL_MOVE] = { "deal_move_p95_ms", N_("move a deal, saved, p95"), "ms", 5,
                           LOWER_IS_BETTER, FALSE },
  };
  g_autofree char *base = NULL;
  g_autofree char *encrypted_dir = NULL;
  g_autofree char *plain_dir = NULL;
  struct sigaction action = { 0, };
  struct rusage usage;
  double peak_mb;
  double max_ratio = 0;
  gboolean ok;

  if (options->directory != NULL)
    {
      base = g_strdup (options->directory);
      if (g_mkdir_with_parents (base, 0700) != 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot create %s"), base);
          return FALSE;
        }
    }
  else
    {
      base = g_dir_make_tmp ("rapport-bench-XXXXXX", error);
      if (base == NULL)
        return FALSE;
    }

  encrypted_dir = g_build_filename (base, "encrypted", NULL);
  plain_dir = g_build_filename (base, "plain", NULL);
  /* Its own folders, so that it may empty them afterwards. */
  if (g_file_test (encrypted_dir, G_FILE_TEST_EXISTS) || g_file_test (plain_dir, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_EXISTS,
                   _("%s has a folder “encrypted” or “plain” already; the benchmark "
                     "makes its own"), base);
      return FALSE;
    }

  /* A signal the caller ignores (nohup) stays ignored. */
  action.sa_handler = on_stop_signal;
  action.sa_flags = SA_RESTART;
  sigemptyset (&action.sa_mask);
  for (guint i = 0; i < G_N_ELEMENTS (stop_signals); i++)
    {
      sigaction (stop_signals[i], NULL, &previous_actions[i]);
      if (previous_actions[i].sa_handler != SIG_IGN)
        sigaction (stop_signals[i], &action, NULL);
    }

  ok = measure_apart (options, encrypted_dir, TRUE, figures, error)
       && stopped_by == 0
       && measure_apart (options, plain_dir, FALSE, figures, error);

  remove_workspace (encrypted_dir);
  remove_workspace (plain_dir);
  if (options->directory == NULL)
    g_rmdir (base);

  for (guint i = 0; i < G_N_ELEMENTS (stop_signals); i++)
    sigaction (stop_signals[i], &previous_actions[i], NULL);
  if (stopped_by != 0)
    {
      raise (stopped_by);
      g_clear_error (error);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           _("The benchmark was stopped"));
      return FALSE;
    }

  if (!ok)
    return FALSE;

  /* The largest of the measuring processes. */
  getrusage (RUSAGE_CHILDREN, &usage);
  peak_mb = usage.ru_maxrss / 1024.0;

  for (guint i = 0; i < N_FIGURES; i++)
    {
      if (figures[i].in_ratio)
        max_ratio = MAX (max_ratio, ratio (&figures[i]));
    }

  if (json)
    {
      GString *out = g_string_new ("{");

      g_string_append_printf (out, "\"contacts\": %u", options->contacts);
      for (guint i = 0; i < N_FIGURES; i++)
        {
          const Figure *f = &figures[i];

          g_string_append_printf (out,
                                  ", \"%s\": {\"encrypted\": %.3f, \"plain\": %.3f, "
                                  "\"ratio\": %.3f, \"target\": %g, \"met\": %s}",
                                  f->key, f->value[0], f->value[1], ratio (f), f->target,
                                  meets (f) ? "true" : "false");
        }
      g_string_append_printf (out, ", \"ratio_max\": {\"value\": %.3f, \"target\": 1.15, "
                                   "\"met\": %s}",
                              max_ratio, max_ratio <= 1.15 ? "true" : "false");
      g_string_append_printf (out, ", \"peak_memory_mb\": {\"value\": %.1f, \"target\": 300, "
                                   "\"met\": %s}}\n",
                              peak_mb, peak_mb <= 300 ? "true" : "false");
      g_print ("%s", out->str);
      g_string_free (out, TRUE);
      return TRUE;
    }

  g_print (_("Rapport benchmark, %u contacts\n\n"), options->contacts);
  g_print ("%s %12s %12s %7s %10s  %s\n", padded (_("figure"), 46), _("encrypted"), _("plain"),
           _("ratio"), _("target"), _("met"));
  for (guint i = 0; i < N_FIGURES; i++)
    {
      const Figure *f = &figures[i];
      g_autofree char *target = g_strdup_printf ("%s%g %s",
                                                 f->direction == HIGHER_IS_BETTER ? "≥" : "≤",
                                                 f->target, f->unit);

      /* Three decimals below a millisecond, where the ratio is decided. */
      int decimals = f->value[0] < 1 || f->value[1] < 1 ? 3 : 2;

      g_print ("%s %12.*f %12.*f %7.2f %10s  %s\n", padded (_(f->label), 46), decimals,
               f->value[0], decimals, f->value[1], ratio (f), target,
               meets (f) ? _("yes") : _("no"));
    }
  g_print ("%s %12s %12s %7.2f %10s  %s\n", padded (_("encrypted/plain ratio, worst"), 46), "", "",
           max_ratio, "≤1.15", max_ratio <= 1.15 ? _("yes") : _("no"));
  g_print ("%s %12.1f %12s %7s %10s  %s\n", padded (_("peak memory (MB)"), 46), peak_mb, "", "", "≤300 MB",
           peak_mb <= 300 ? _("yes") : _("no"));

  return TRUE;
}
