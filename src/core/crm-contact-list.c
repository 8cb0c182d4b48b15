/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-contact-list"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "crm-contact-facets.h"
#include "crm-contact-list.h"
#include "crm-filter.h"

/* How the list stays fast at a million contacts (DESIGN.md, "Scale and
 * speed"): it holds the ids of the whole list in display order, never the
 * contacts. The first page is read at once; the rest of the ids load on a
 * worker thread with its own connection. Each id's rank lets a search order
 * its matches by marking them in a bitmap of ranks and reading it back in
 * order. Rows are made only for the positions asked for, and a few
 * thousand are kept. Beside the ids, the worker reads each contact's
 * facets (stage, status, owner, …) so that the common filters are answered
 * from memory. */
#define FIRST_PAGE 200
#define CACHE_LIMIT 4096

/* How long the main thread may look for a filter's first page. */
#define FILTER_FIRST_PAGE_BUDGET (40 * G_TIME_SPAN_MILLISECOND)

/* Below this many contacts one core searches fast enough. */
#define PARALLEL_SEARCH_MIN 20000

struct _CrmContactList
{
  GObject parent_instance;

  /* owned references */
  CrmStore     *store;
  sqlite3_stmt *row_stmt;
  sqlite3      *search_db;    /* a reader for the second half of a search */
  GHashTable   *cache;        /* id -> CrmContactRow */
  GCancellable *loading_cancellable;
  GError       *error;

  /* state */
  CrmSortOrder  order;
  char         *query;
  GArray       *all_ids;      /* gint64, every contact in display order */
  guint32      *rank_by_id;   /* id -> rank + 1; 0 when not listed */
  gint64        rank_size;
  CrmContactFacets *facets;   /* of all_ids, once complete; NULL while loading */
  GArray       *ids;          /* gint64, what the list shows: all_ids or the matches */
  gboolean      complete;     /* all_ids holds every contact */
  guint         materialized;
  gulong        changed_handler;

  /* a filter, whose matches load on a worker thread after a first page */
  CrmFilter    *filter;
  GCancellable *filter_cancellable;
  gboolean      filter_loading;
};

enum {
  PROP_0,
  PROP_LOADING,
  PROP_TOTAL,
  PROP_QUERY,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void crm_contact_list_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CrmContactList, crm_contact_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      crm_contact_list_list_model_init))

static const char *
sort_column (CrmSortOrder order)
{
  return order == CRM_SORT_FAMILY_NAME ? "sort_family" : "sort_given";
}

static GArray *
read_ids (sqlite3       *db,
          CrmSortOrder   order,
          gint64         limit,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT id FROM contact WHERE archived = 0 "
                                          "ORDER BY %s, id LIMIT ?1",
                                          sort_column (order));
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_int64 (stmt, 1, limit);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          gint64 id = sqlite3_column_int64 (stmt, 0);

          g_array_append_val (ids, id);
          if ((ids->len & 0xffff) == 0 && g_cancellable_is_cancelled (cancellable))
            break;
        }
    }
  sqlite3_finalize (stmt);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      g_array_unref (ids);
      return NULL;
    }

  if (rc != SQLITE_DONE)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_FAILED,
                   _("Cannot list the contacts: %s"), sqlite3_errmsg (db));
      g_array_unref (ids);
      return NULL;
    }

  return ids;
}

static void
set_ids (CrmContactList *self,
         GArray         *ids,
         guint           unchanged_prefix)
{
  guint removed = self->ids != NULL ? self->ids->len : 0;
  guint added = ids->len;

  g_clear_pointer (&self->ids, g_array_unref);
  self->ids = g_array_ref (ids);

  if (unchanged_prefix > MIN (removed, added))
    unchanged_prefix = MIN (removed, added);

  if (removed != unchanged_prefix || added != unchanged_prefix)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), unchanged_prefix,
                                  removed - unchanged_prefix, added - unchanged_prefix);
      if (removed != added)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }
}

static guint32 *
ranks_of (GArray *ids,
          gint64 *rank_size)
{
  gint64 max_id = 0;
  guint32 *rank_by_id;

  for (guint i = 0; i < ids->len; i++)
    max_id = MAX (max_id, g_array_index (ids, gint64, i));

  *rank_size = max_id + 1;
  rank_by_id = g_new0 (guint32, *rank_size);
  for (guint i = 0; i < ids->len; i++)
    rank_by_id[g_array_index (ids, gint64, i)] = i + 1;

  return rank_by_id;
}

static void
build_ranks (CrmContactList *self)
{
  g_clear_pointer (&self->rank_by_id, g_free);
  self->rank_by_id = ranks_of (self->all_ids, &self->rank_size);
}

/* The matches of the query in display order, through the rank bitmap. */
static GArray *
order_matches (CrmContactList *self,
               GArray         *matches)
{
  guint n = self->all_ids->len;
  g_autofree guint64 *bits = g_new0 (guint64, (n + 63) / 64);
  GArray *ordered = g_array_sized_new (FALSE, FALSE, sizeof (gint64), matches->len);

  for (guint i = 0; i < matches->len; i++)
    {
      gint64 id = g_array_index (matches, gint64, i);
      guint32 rank;

      if (id <= 0 || id >= self->rank_size)
        continue;
      rank = self->rank_by_id[id];
      if (rank == 0)
        continue;  /* archived, or added since the list loaded */
      rank--;
      bits[rank / 64] |= G_GUINT64_CONSTANT (1) << (rank % 64);
    }

  for (guint word = 0; word < (n + 63) / 64; word++)
    {
      guint64 w = bits[word];

      while (w != 0)
        {
          guint bit = __builtin_ctzll (w);
          gint64 id = g_array_index (self->all_ids, gint64, word * 64 + bit);

          g_array_append_val (ordered, id);
          w &= w - 1;
        }
    }

  return ordered;
}


/* The search's matches in display order, once the list is complete. */
static GArray *
search_ordered (CrmContactList  *self,
                GError         **error)
{
  g_autoptr (GArray) matches = NULL;

  /* A large list searches on both cores; a reader that cannot open
   * leaves the search to this connection alone. */
  if (self->search_db == NULL && self->all_ids->len >= PARALLEL_SEARCH_MIN)
    self->search_db = crm_store_open_reader (self->store, NULL);

  if (self->search_db != NULL && self->all_ids->len >= PARALLEL_SEARCH_MIN)
    matches = crm_search_contacts_parallel (self->store, self->search_db, self->query,
                                            self->rank_size / 2, NULL);

  /* The reader may be stale (the workspace was rekeyed): search here. */
  if (matches == NULL)
    {
      g_clear_pointer (&self->search_db, sqlite3_close);
      matches = crm_search_contacts (self->store, self->query, error);
    }

  return matches != NULL ? order_matches (self, matches) : NULL;
}

/* The filter's matches (and the search's, when there is one) in display
 * order, from the facets in memory; NULL when they cannot answer it. */
static GArray *
filter_from_facets (CrmContactList  *self,
                    GError         **error)
{
  g_autoptr (GArray) candidates = NULL;
  g_autoptr (GArray) ranks = NULL;
  GArray *ids;

  if (!self->complete || self->facets == NULL
      || crm_contact_facets_get_n_ranks (self->facets) != self->all_ids->len
      || !crm_contact_facets_can_answer (self->filter))
    return NULL;

  if (self->query != NULL && *self->query != '\0')
    {
      g_autoptr (GArray) found = search_ordered (self, error);

      if (found == NULL)
        return NULL;
      candidates = g_array_sized_new (FALSE, FALSE, sizeof (guint32), found->len);
      for (guint i = 0; i < found->len; i++)
        {
          guint32 rank = self->rank_by_id[g_array_index (found, gint64, i)] - 1;

          g_array_append_val (candidates, rank);
        }
    }

  ranks = crm_contact_facets_match (self->facets, self->filter, candidates,
                                    crm_store_get_db (self->store), error);
  if (ranks == NULL)
    return NULL;

  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), ranks->len);
  for (guint i = 0; i < ranks->len; i++)
    g_array_append_val (ids, g_array_index (self->all_ids, gint64,
                                            g_array_index (ranks, guint32, i)));
  return ids;
}

static void apply_filter (CrmContactList *self);

static gboolean
filter_active (CrmContactList *self)
{
  return self->filter != NULL && !crm_filter_is_empty (self->filter);
}

static void
apply_query (CrmContactList *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) shown = NULL;

  if (filter_active (self))
    {
      apply_filter (self);
      return;
    }

  if (self->query == NULL || *self->query == '\0')
    {
      set_ids (self, self->all_ids, 0);
      return;
    }

  if (self->complete)
    shown = search_ordered (self, &error);
  else
    {
      shown = crm_search_contacts_sorted (self->store, self->query, self->order, 0, &error);
    }

  if (shown == NULL)
    {
      g_clear_error (&self->error);
      self->error = g_steal_pointer (&error);
      shown = g_array_new (FALSE, FALSE, sizeof (gint64));
    }

  set_ids (self, shown, 0);
}

static void
set_complete (CrmContactList *self,
              gboolean        complete)
{
  if (self->complete == complete)
    return;

  self->complete = complete;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

typedef struct
{
  GArray           *ids;
  guint32          *rank_by_id;
  gint64            rank_size;
  CrmContactFacets *facets;
} Loaded;

static void
loaded_free (Loaded *loaded)
{
  g_clear_pointer (&loaded->ids, g_array_unref);
  g_free (loaded->rank_by_id);
  crm_contact_facets_free (loaded->facets);
  g_free (loaded);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Loaded, loaded_free)

static void
load_all_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  CrmStore *store = task_data;
  CrmContactList *self = source_object;
  g_autoptr (GError) error = NULL;
  g_autoptr (Loaded) loaded = g_new0 (Loaded, 1);
  sqlite3 *db = crm_store_open_reader (store, &error);

  if (db == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* One read transaction, so that the facets are of the same contacts. */
  sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
  loaded->ids = read_ids (db, self->order, -1, cancellable, &error);
  if (loaded->ids != NULL)
    {
      loaded->rank_by_id = ranks_of (loaded->ids, &loaded->rank_size);
      loaded->facets = crm_contact_facets_load (db, loaded->rank_by_id, loaded->rank_size,
                                                loaded->ids->len, cancellable, &error);
    }
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  sqlite3_close (db);

  if (loaded->facets == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_steal_pointer (&loaded), (GDestroyNotify) loaded_free);
}

static void
all_loaded_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  CrmContactList *self = CRM_CONTACT_LIST (source);
  g_autoptr (GError) error = NULL;
  g_autoptr (Loaded) loaded = g_task_propagate_pointer (G_TASK (result), &error);
  guint shown_prefix;

  if (loaded == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_warning ("Cannot load the contact list: %s", error->message);
          g_clear_error (&self->error);
          self->error = g_steal_pointer (&error);
          set_complete (self, TRUE);
        }
      return;
    }

  g_clear_object (&self->loading_cancellable);
  shown_prefix = self->all_ids->len;
  g_clear_pointer (&self->all_ids, g_array_unref);
  g_clear_pointer (&self->rank_by_id, g_free);
  g_clear_pointer (&self->facets, crm_contact_facets_free);
  self->all_ids = g_steal_pointer (&loaded->ids);
  self->rank_by_id = g_steal_pointer (&loaded->rank_by_id);
  self->rank_size = loaded->rank_size;
  self->facets = g_steal_pointer (&loaded->facets);
  set_complete (self, TRUE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);

  /* A filter or a search is applied again, now over the whole list. */
  if ((self->query == NULL || *self->query == '\0') && !filter_active (self))
    set_ids (self, self->all_ids, shown_prefix);
  else
    apply_query (self);
}

static void
reload (CrmContactList *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GTask) task = NULL;
  GArray *first;

  if (self->loading_cancellable != NULL)
    g_cancellable_cancel (self->loading_cancellable);
  g_clear_object (&self->loading_cancellable);
  g_hash_table_remove_all (self->cache);

  /* The first page at once, so the list shows without waiting. */
  first = read_ids (crm_store_get_db (self->store), self->order, FIRST_PAGE, NULL, &error);
  if (first == NULL)
    {
      g_warning ("Cannot list the contacts: %s", error->message);
      g_clear_error (&self->error);
      self->error = g_steal_pointer (&error);
      first = g_array_new (FALSE, FALSE, sizeof (gint64));
    }

  g_clear_pointer (&self->all_ids, g_array_unref);
  g_clear_pointer (&self->rank_by_id, g_free);
  g_clear_pointer (&self->facets, crm_contact_facets_free);
  self->rank_size = 0;
  self->all_ids = first;

  if (first->len < FIRST_PAGE)
    {
      build_ranks (self);
      self->complete = FALSE;
      set_complete (self, TRUE);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
      apply_query (self);
      return;
    }

  set_complete (self, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
  apply_query (self);

  self->loading_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->loading_cancellable, all_loaded_cb, NULL);
  g_task_set_source_tag (task, reload);
  g_task_set_task_data (task, g_object_ref (self->store), g_object_unref);
  crm_store_run_worker (task, load_all_thread);
}

static void
on_store_changed (CrmStore       *store,
                  const char     *entity,
                  gint64          id,
                  CrmContactList *self)
{
  /* What a row shows or where it sorts: the contact, its company's name,
   * its tags (search and filters). Deals, tasks and the like leave it. */
  if (g_str_equal (entity, "contact") || g_str_equal (entity, "company")
      || g_str_equal (entity, "tag"))
    reload (self);
}

typedef struct
{
  CrmStore     *store;
  CrmFilter    *filter;
  char         *query;
  CrmSortOrder  order;
  gboolean      ordered;   /* in list order already, not for the ranks to order */
} FilterJob;

static void
filter_job_free (FilterJob *job)
{
  g_object_unref (job->store);
  crm_filter_unref (job->filter);
  g_free (job->query);
  g_free (job);
}

static void
filter_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  FilterJob *job = task_data;
  g_autoptr (GError) error = NULL;
  sqlite3 *db = crm_store_open_reader (job->store, &error);
  GArray *ids;

  if (db == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (job->ordered)
    ids = crm_filter_first_page_full (db, job->filter, job->query, job->order, G_MAXUINT,
                                      CRM_FILTER_PLAN_AUTO, 0, &error);
  else
    ids = crm_filter_collect_ids_matching (db, job->filter, job->query, cancellable, &error);
  sqlite3_close (db);

  if (ids == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, ids, (GDestroyNotify) g_array_unref);
}

static void
set_filter_loading (CrmContactList *self,
                    gboolean        loading)
{
  gboolean was = crm_contact_list_get_loading (self);

  self->filter_loading = loading;
  if (was != crm_contact_list_get_loading (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
filter_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  CrmContactList *self = CRM_CONTACT_LIST (source);
  FilterJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) ids = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr (GArray) shown = NULL;

  /* A filter that has been replaced since: its answer is not wanted. */
  if (g_task_get_cancellable (G_TASK (result)) != self->filter_cancellable
      || (ids == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)))
    return;

  g_clear_object (&self->filter_cancellable);
  if (ids == NULL)
    {
      g_clear_error (&self->error);
      self->error = g_steal_pointer (&error);
      shown = g_array_new (FALSE, FALSE, sizeof (gint64));
    }
  else if (job->ordered)
    {
      shown = g_steal_pointer (&ids);
    }
  else
    {
      shown = order_matches (self, ids);
    }

  set_ids (self, shown, 0);
  set_filter_loading (self, FALSE);
}

/* The first page at once (or nothing, when finding it would hold up the
 * window), then every match from a worker thread. */
static void
apply_filter (CrmContactList *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) first = NULL;
  g_autoptr (GTask) task = NULL;
  FilterJob *job;

  if (self->filter_cancellable != NULL)
    g_cancellable_cancel (self->filter_cancellable);
  g_clear_object (&self->filter_cancellable);

  /* The common filters: every match at once, from memory. */
  first = filter_from_facets (self, &error);
  if (first != NULL || error != NULL)
    {
      if (error != NULL)
        {
          g_clear_error (&self->error);
          self->error = g_steal_pointer (&error);
          first = g_array_new (FALSE, FALSE, sizeof (gint64));
        }
      set_ids (self, first, 0);
      set_filter_loading (self, FALSE);
      return;
    }

  first = crm_filter_first_page_full (crm_store_get_db (self->store), self->filter, self->query,
                                      self->order, FIRST_PAGE, CRM_FILTER_PLAN_AUTO,
                                      FILTER_FIRST_PAGE_BUDGET, &error);
  if (first == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        {
          g_clear_error (&self->error);
          self->error = g_steal_pointer (&error);
        }
      first = g_array_new (FALSE, FALSE, sizeof (gint64));
    }

  set_ids (self, first, 0);
  if (first->len < FIRST_PAGE && error == NULL)
    {
      set_filter_loading (self, FALSE);
      return;
    }

  job = g_new0 (FilterJob, 1);
  job->store = g_object_ref (self->store);
  job->filter = crm_filter_copy (self->filter);
  job->query = g_strdup (self->query);
  job->order = self->order;
  /* Only listed contacts have a rank; archived ones come in list order. */
  job->ordered = !self->complete
                 || crm_filter_get_archived (self->filter) != CRM_FILTER_ARCHIVED_EXCLUDE;

  self->filter_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->filter_cancellable, filter_done_cb, NULL);
  g_task_set_source_tag (task, apply_filter);
  g_task_set_task_data (task, job, (GDestroyNotify) filter_job_free);
  set_filter_loading (self, TRUE);
  crm_store_run_worker (task, filter_thread);
}

static CrmContactRow *
fetch_row (CrmContactList *self,
           gint64          id)
{
  CrmContactRow *row = NULL;

  if (self->row_stmt == NULL)
    {
      g_autoptr (GError) error = NULL;

      self->row_stmt =
        crm_store_prepare (self->store,
                           "SELECT c.display_name, c.given_name, c.family_name, "
                           "c.primary_email, c.primary_phone, "
                           "(SELECT co.name FROM company co WHERE co.id = c.company_id) "
                           "FROM contact c WHERE c.id = ?1",
                           &error);
      if (self->row_stmt == NULL)
        {
          g_warning ("%s", error->message);
          return NULL;
        }
    }

  sqlite3_bind_int64 (self->row_stmt, 1, id);
  if (sqlite3_step (self->row_stmt) == SQLITE_ROW)
    {
#define TEXT(i) ((const char *) sqlite3_column_text (self->row_stmt, (i)))
      row = crm_contact_row_new (id, TEXT (0), TEXT (1), TEXT (2), TEXT (3), TEXT (4), TEXT (5));
#undef TEXT
      self->materialized++;
    }
  sqlite3_reset (self->row_stmt);

  return row;
}

/* GListModel */

static GType
crm_contact_list_get_item_type (GListModel *model)
{
  return CRM_TYPE_CONTACT_ROW;
}

static guint
crm_contact_list_get_n_items (GListModel *model)
{
  CrmContactList *self = CRM_CONTACT_LIST (model);

  return self->ids != NULL ? self->ids->len : 0;
}

static gpointer
crm_contact_list_get_item (GListModel *model,
                           guint       position)
{
  CrmContactList *self = CRM_CONTACT_LIST (model);
  CrmContactRow *row;
  gint64 id;

  if (self->ids == NULL || position >= self->ids->len)
    return NULL;

  id = g_array_index (self->ids, gint64, position);
  row = g_hash_table_lookup (self->cache, &id);
  if (row != NULL)
    return g_object_ref (row);

  row = fetch_row (self, id);
  if (row == NULL)
    {
      /* Deleted since the list loaded: an empty row until the reload. */
      return crm_contact_row_new (id, "", NULL, NULL, NULL, NULL, NULL);
    }

  if (g_hash_table_size (self->cache) >= CACHE_LIMIT)
    g_hash_table_remove_all (self->cache);
  g_hash_table_insert (self->cache, g_memdup2 (&id, sizeof id), g_object_ref (row));

  return row;
}

static void
crm_contact_list_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = crm_contact_list_get_item_type;
  iface->get_n_items = crm_contact_list_get_n_items;
  iface->get_item = crm_contact_list_get_item;
}

/* GObject */

static void
crm_contact_list_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CrmContactList *self = CRM_CONTACT_LIST (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, crm_contact_list_get_loading (self));
      break;
    case PROP_TOTAL:
      g_value_set_uint (value, crm_contact_list_get_total (self));
      break;
    case PROP_QUERY:
      g_value_set_string (value, self->query);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, crm_contact_list_get_n_items (G_LIST_MODEL (self)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_contact_list_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  CrmContactList *self = CRM_CONTACT_LIST (object);

  switch (prop_id)
    {
    case PROP_QUERY:
      crm_contact_list_set_query (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_contact_list_dispose (GObject *object)
{
  CrmContactList *self = CRM_CONTACT_LIST (object);

  if (self->loading_cancellable != NULL)
    g_cancellable_cancel (self->loading_cancellable);
  g_clear_object (&self->loading_cancellable);
  if (self->filter_cancellable != NULL)
    g_cancellable_cancel (self->filter_cancellable);
  g_clear_object (&self->filter_cancellable);
  g_clear_pointer (&self->filter, crm_filter_unref);
  if (self->changed_handler != 0)
    g_clear_signal_handler (&self->changed_handler, self->store);
  g_clear_pointer (&self->row_stmt, sqlite3_finalize);
  g_clear_pointer (&self->search_db, sqlite3_close);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (crm_contact_list_parent_class)->dispose (object);
}

static void
crm_contact_list_finalize (GObject *object)
{
  CrmContactList *self = CRM_CONTACT_LIST (object);

  g_hash_table_unref (self->cache);
  g_clear_pointer (&self->all_ids, g_array_unref);
  g_clear_pointer (&self->ids, g_array_unref);
  g_clear_pointer (&self->rank_by_id, g_free);
  g_clear_pointer (&self->facets, crm_contact_facets_free);
  g_clear_pointer (&self->query, g_free);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (crm_contact_list_parent_class)->finalize (object);
}

static void
crm_contact_list_class_init (CrmContactListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = crm_contact_list_get_property;
  object_class->set_property = crm_contact_list_set_property;
  object_class->dispose = crm_contact_list_dispose;
  object_class->finalize = crm_contact_list_finalize;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOTAL] =
    g_param_spec_uint ("total", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_QUERY] =
    g_param_spec_string ("query", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
crm_contact_list_init (CrmContactList *self)
{
  self->cache = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
}

/* Public API */

/**
 * crm_contact_list_new:
 *
 * Returns: (transfer full): the contacts of @store that are not archived, in
 *   @order, as a #GListModel of #CrmContactRow
 */
CrmContactList *
crm_contact_list_new (CrmStore     *store,
                      CrmSortOrder  order)
{
  CrmContactList *self;

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);

  self = g_object_new (CRM_TYPE_CONTACT_LIST, NULL);
  self->store = g_object_ref (store);
  self->order = order;
  self->changed_handler = g_signal_connect (store, "changed::contact",
                                            G_CALLBACK (on_store_changed), self);
  reload (self);

  return self;
}

CrmStore *
crm_contact_list_get_store (CrmContactList *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT_LIST (self), NULL);

  return self->store;
}

CrmSortOrder
crm_contact_list_get_sort_order (CrmContactList *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT_LIST (self), CRM_SORT_GIVEN_NAME);

  return self->order;
}

void
crm_contact_list_set_sort_order (CrmContactList *self,
                                 CrmSortOrder    order)
{
  g_return_if_fail (CRM_IS_CONTACT_LIST (self));

  if (self->order == order)
    return;

  self->order = order;
  reload (self);
}

const char *
crm_contact_list_get_query (CrmContactList *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT_LIST (self), NULL);

  return self->query;
}

/**
 * crm_contact_list_set_query:
 * @query: (nullable): what to search for; %NULL or "" lists every contact
 */
void
crm_contact_list_set_query (CrmContactList *self,
                            const char     *query)
{
  g_return_if_fail (CRM_IS_CONTACT_LIST (self));

  if (g_strcmp0 (self->query, query) == 0)
    return;

  g_free (self->query);
  self->query = g_strdup (query);
  apply_query (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUERY]);
}

/**
 * crm_contact_list_set_filter:
 * @filter: (nullable): the conditions a contact must meet to be listed, on
 *   top of the query; %NULL for none
 *
 * The list keeps a copy of @filter.
 */
void
crm_contact_list_set_filter (CrmContactList  *self,
                             const CrmFilter *filter)
{
  g_return_if_fail (CRM_IS_CONTACT_LIST (self));

  if (filter == NULL && self->filter == NULL)
    return;
  if (filter != NULL && self->filter != NULL && crm_filter_equal (filter, self->filter))
    return;

  g_clear_pointer (&self->filter, crm_filter_unref);
  if (filter != NULL)
    self->filter = crm_filter_copy (filter);

  if (!filter_active (self))
    {
      if (self->filter_cancellable != NULL)
        g_cancellable_cancel (self->filter_cancellable);
      g_clear_object (&self->filter_cancellable);
      set_filter_loading (self, FALSE);
    }
  apply_query (self);
}

/**
 * crm_contact_list_get_filter:
 *
 * Returns: (transfer none) (nullable): the list's filter
 */
const CrmFilter *
crm_contact_list_get_filter (CrmContactList *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT_LIST (self), NULL);

  return self->filter;
}

/**
 * crm_contact_list_get_loading:
 *
 * Whether the rest of the list is still loading; the first page is there.
 */
gboolean
crm_contact_list_get_loading (CrmContactList *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT_LIST (self), FALSE);

  return !self->complete || self->filter_loading;
}

/**
 * crm_contact_list_get_total:
 *
 * How many contacts the workspace lists, whatever the query; while loading,
 * how many have loaded.
 */
guint
crm_contact_list_get_total (CrmContactList *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT_LIST (self), 0);

  return self->all_ids != NULL ? self->all_ids->len : 0;
}

gint64
crm_contact_list_get_id (CrmContactList *self,
                         guint           position)
{
  g_return_val_if_fail (CRM_IS_CONTACT_LIST (self), 0);

  if (self->ids == NULL || position >= self->ids->len)
    return 0;

  return g_array_index (self->ids, gint64, position);
}

/**
 * crm_contact_list_get_n_materialized:
 *
 * How many rows the list has read from the store so far.
 */
guint
crm_contact_list_get_n_materialized (CrmContactList *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT_LIST (self), 0);

  return self->materialized;
}

const GError *
crm_contact_list_get_error (CrmContactList *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT_LIST (self), NULL);

  return self->error;
}
