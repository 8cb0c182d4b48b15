/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-contact-facets"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "crm-contact-facets.h"
#include "crm-store.h"

#define SECONDS_PER_DAY 86400

/* A text or id column's values, interned: 0 stands for NULL, and at most
 * G_MAXUINT16 distinct values fit; past that the facet is not used. */
typedef struct
{
  GHashTable *index;      /* value → its number; text or an id as a string */
  guint16     n_values;
  gboolean    overflow;
} Interned;

struct _CrmContactFacets
{
  guint     n_ranks;
  guint16  *stage;        /* lifecycle stage, interned id */
  guint16  *status;       /* lead status, interned id */
  guint16  *owner;        /* interned text; NULL and '' are both 0 */
  guint16  *source;       /* interned text; NULL is 0 */
  guint8   *consent;      /* 0 or 1 */
  guint8   *month;        /* the birthday's month, 1–12; 0 without one */
  guint32  *last;         /* last interaction, UTC seconds; 0 for none or before 1970 */
  Interned  stages;
  Interned  statuses;
  Interned  owners;
  Interned  sources;

  /* Tags: which ranks have a tag, read when a filter first asks. */
  const guint32 *rank_by_id;  /* the caller's, which outlives the facets */
  gint64         rank_size;
  GHashTable    *tag_bits;    /* tag id → guint64 bitmap of ranks */
};

/* At most this many tags' bitmaps are kept (125 kB each at a million). */
#define MAX_TAG_BITS 64

static void
interned_init (Interned *interned)
{
  interned->index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  interned->n_values = 0;
  interned->overflow = FALSE;
}

static guint16
intern (Interned   *interned,
        const char *value)
{
  gpointer number;

  if (value == NULL)
    return 0;
  if (g_hash_table_lookup_extended (interned->index, value, NULL, &number))
    return GPOINTER_TO_UINT (number);
  if (interned->n_values == G_MAXUINT16)
    {
      interned->overflow = TRUE;
      return 0;
    }

  interned->n_values++;
  g_hash_table_insert (interned->index, g_strdup (value), GUINT_TO_POINTER (interned->n_values));
  return interned->n_values;
}

/* The number of @value, or 0 when no listed contact has it. */
static guint16
lookup (const Interned *interned,
        const char     *value)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (interned->index, value));
}

static guint16
intern_id (Interned      *interned,
           sqlite3_stmt  *stmt,
           int            column)
{
  char text[24];

  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return 0;
  g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, column));
  return intern (interned, text);
}

static guint16
lookup_id (const Interned *interned,
           gint64          id)
{
  char text[24];

  g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, id);
  return lookup (interned, text);
}

void
crm_contact_facets_free (CrmContactFacets *facets)
{
  if (facets == NULL)
    return;

  g_free (facets->stage);
  g_free (facets->status);
  g_free (facets->owner);
  g_free (facets->source);
  g_free (facets->consent);
  g_free (facets->month);
  g_free (facets->last);
  g_clear_pointer (&facets->stages.index, g_hash_table_unref);
  g_clear_pointer (&facets->statuses.index, g_hash_table_unref);
  g_clear_pointer (&facets->owners.index, g_hash_table_unref);
  g_clear_pointer (&facets->sources.index, g_hash_table_unref);
  g_clear_pointer (&facets->tag_bits, g_hash_table_unref);
  g_free (facets);
}

guint
crm_contact_facets_get_n_ranks (const CrmContactFacets *facets)
{
  g_return_val_if_fail (facets != NULL, 0);

  return facets->n_ranks;
}

/**
 * crm_contact_facets_load:
 * @cancellable: (nullable): stops the reading
 *
 * Reads the table in its own order, the fastest way through it, and puts
 * each contact's values at its rank.
 *
 * Returns: (transfer full): the facets, or %NULL with @error set
 */
CrmContactFacets *
crm_contact_facets_load (sqlite3        *db,
                         const guint32  *rank_by_id,
                         gint64          rank_size,
                         guint           n_ranks,
                         GCancellable   *cancellable,
                         GError        **error)
{
  g_autoptr (CrmContactFacets) facets = g_new0 (CrmContactFacets, 1);
  sqlite3_stmt *stmt = NULL;
  guint64 seen = 0;
  int rc;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (rank_by_id != NULL || rank_size == 0, NULL);

  facets->n_ranks = n_ranks;
  facets->rank_by_id = rank_by_id;
  facets->rank_size = rank_size;
  facets->tag_bits = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  facets->stage = g_new0 (guint16, n_ranks);
  facets->status = g_new0 (guint16, n_ranks);
  facets->owner = g_new0 (guint16, n_ranks);
  facets->source = g_new0 (guint16, n_ranks);
  facets->consent = g_new0 (guint8, n_ranks);
  facets->month = g_new0 (guint8, n_ranks);
  facets->last = g_new0 (guint32, n_ranks);
  interned_init (&facets->stages);
  interned_init (&facets->statuses);
  interned_init (&facets->owners);
  interned_init (&facets->sources);
  /* The owner '' is no owner, as the filter's SQL has it. */
  g_hash_table_insert (facets->owners.index, g_strdup (""), GUINT_TO_POINTER (0));

  /* NOT INDEXED: every row is wanted, and reading them in table order costs
   * a tenth of fetching each one through the name index (archived = 0
   * would otherwise choose it). */
  rc = sqlite3_prepare_v2 (db,
                           "SELECT id, lifecycle_stage_id, lead_status_id, owner, source, "
                           "consent, substr (birthday, 6, 2), last_interaction "
                           "FROM contact NOT INDEXED WHERE archived = 0",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          gint64 id = sqlite3_column_int64 (stmt, 0);
          const char *month = (const char *) sqlite3_column_text (stmt, 6);
          guint32 rank;

          if ((++seen & 0xffff) == 0 && g_cancellable_is_cancelled (cancellable))
            break;
          /* Contacts added after the ids were read are not listed yet. */
          if (id <= 0 || id >= rank_size || (rank = rank_by_id[id]) == 0 || rank > n_ranks)
            continue;
          rank--;

          facets->stage[rank] = intern_id (&facets->stages, stmt, 1);
          facets->status[rank] = intern_id (&facets->statuses, stmt, 2);
          facets->owner[rank] = intern (&facets->owners,
                                        (const char *) sqlite3_column_text (stmt, 3));
          facets->source[rank] = intern (&facets->sources,
                                         (const char *) sqlite3_column_text (stmt, 4));
          facets->consent[rank] = sqlite3_column_int (stmt, 5) == 1;
          /* The schema keeps birthdays as YYYY-MM-DD. */
          if (month != NULL && g_ascii_isdigit (month[0]) && g_ascii_isdigit (month[1])
              && month[2] == '\0')
            facets->month[rank] = (guint8) ((month[0] - '0') * 10 + (month[1] - '0'));
          if (sqlite3_column_type (stmt, 7) != SQLITE_NULL)
            facets->last[rank] = (guint32) CLAMP (sqlite3_column_int64 (stmt, 7), 0,
                                                  (gint64) G_MAXUINT32);
        }
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      sqlite3_finalize (stmt);
      return NULL;
    }
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_FAILED,
                   _("Cannot read the contacts for filtering: %s"), sqlite3_errmsg (db));
      sqlite3_finalize (stmt);
      return NULL;
    }
  sqlite3_finalize (stmt);

  return g_steal_pointer (&facets);
}

gboolean
crm_contact_facets_can_answer (const CrmFilter *filter)
{
  g_return_val_if_fail (filter != NULL, FALSE);

  if (crm_filter_get_archived (filter) != CRM_FILTER_ARCHIVED_EXCLUDE)
    return FALSE;

  return crm_filter_get_province (filter) == NULL && crm_filter_get_n_custom (filter) == 0;
}

/* The bitmap of the ranks that have tag @tag_id, read from contact_tag's
 * index the first time. */
static const guint64 *
tag_bits (CrmContactFacets  *facets,
          sqlite3           *db,
          gint64             tag_id,
          GError           **error)
{
  guint64 *bits = g_hash_table_lookup (facets->tag_bits, &tag_id);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (bits != NULL)
    return bits;

  if (g_hash_table_size (facets->tag_bits) >= MAX_TAG_BITS)
    g_hash_table_remove_all (facets->tag_bits);

  bits = g_new0 (guint64, (facets->n_ranks + 63) / 64);
  rc = sqlite3_prepare_v2 (db, "SELECT contact_id FROM contact_tag WHERE tag_id = ?1", -1,
                           &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_int64 (stmt, 1, tag_id);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          gint64 id = sqlite3_column_int64 (stmt, 0);
          guint32 rank;

          if (id <= 0 || id >= facets->rank_size || (rank = facets->rank_by_id[id]) == 0
              || rank > facets->n_ranks)
            continue;
          rank--;
          bits[rank / 64] |= G_GUINT64_CONSTANT (1) << (rank % 64);
        }
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      g_set_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_FAILED,
                   _("Cannot read the contacts for filtering: %s"), sqlite3_errmsg (db));
      g_free (bits);
      return NULL;
    }

  g_hash_table_insert (facets->tag_bits, g_memdup2 (&tag_id, sizeof tag_id), bits);
  return bits;
}

/* The ranks the filter's tag conditions keep, as a bitmap, or NULL when it
 * has none. */
static guint64 *
tags_bitmap (CrmContactFacets  *facets,
             const CrmFilter   *filter,
             sqlite3           *db,
             GError           **error)
{
  gsize words = (facets->n_ranks + 63) / 64;
  CrmFilterTagMatch match = CRM_FILTER_TAGS_ALL;
  gsize n_tags = 0, n_none = 0;
  const gint64 *tags = crm_filter_get_tags (filter, &match, &n_tags);
  const gint64 *none = crm_filter_get_tags_none (filter, &n_none);
  g_autofree guint64 *kept = NULL;

  if (n_tags == 0 && n_none == 0)
    return NULL;

  kept = g_new (guint64, words);
  /* Any of no tags keeps no one; all of no tags keeps everyone. */
  memset (kept, n_tags > 0 && match == CRM_FILTER_TAGS_ANY ? 0x00 : 0xff, words * sizeof (guint64));

  for (gsize i = 0; i < n_tags; i++)
    {
      const guint64 *bits = tag_bits (facets, db, tags[i], error);

      if (bits == NULL)
        return NULL;
      for (gsize w = 0; w < words; w++)
        kept[w] = match == CRM_FILTER_TAGS_ANY ? kept[w] | bits[w] : kept[w] & bits[w];
    }

  for (gsize i = 0; i < n_none; i++)
    {
      const guint64 *bits = tag_bits (facets, db, none[i], error);

      if (bits == NULL)
        return NULL;
      for (gsize w = 0; w < words; w++)
        kept[w] &= ~bits[w];
    }

  return g_steal_pointer (&kept);
}

/* Which interned numbers of a column the filter accepts: a table of
 * G_MAXUINT16 + 1 flags, or NULL when it accepts any. */
static guint8 *
accepted_ids (const Interned *interned,
              const gint64   *ids,
              gsize           n_ids)
{
  guint8 *accepted;

  if (n_ids == 0)
    return NULL;

  accepted = g_new0 (guint8, G_MAXUINT16 + 1);
  for (gsize i = 0; i < n_ids; i++)
    {
      guint16 number = lookup_id (interned, ids[i]);

      if (number != 0)
        accepted[number] = 1;
    }

  return accepted;
}

/**
 * crm_contact_facets_match:
 * @db: a connection to read which contacts have the filter's tags, the
 *   first time a tag is asked for
 * @candidates: (nullable) (element-type guint32): ranks to test, in the
 *   order wanted; %NULL for every listed contact
 *
 * Returns: (transfer full) (nullable): a #GArray of guint32 ranks, in the
 *   order of @candidates (ascending without them), or %NULL
 *   when the facets cannot answer @filter (see
 *   crm_contact_facets_can_answer(), or a column with more distinct values
 *   than the facets keep) or with @error set when the tags cannot be read
 */
GArray *
crm_contact_facets_match (CrmContactFacets  *facets,
                          const CrmFilter   *filter,
                          GArray            *candidates,
                          sqlite3           *db,
                          GError           **error)
{
  g_autoptr (GError) tag_error = NULL;
  g_autofree guint64 *tagged = NULL;
  g_autofree guint8 *stages = NULL;
  g_autofree guint8 *statuses = NULL;
  const gint64 *ids;
  const char *owner;
  const char *source;
  gboolean by_owner, by_source, by_month, by_last;
  guint16 owner_number = 0, source_number = 0;
  guint8 month = 0;
  guint32 cutoff = 0;
  int consent = -1;
  gsize n_ids = 0;
  GArray *ranks;

  g_return_val_if_fail (facets != NULL, NULL);
  g_return_val_if_fail (filter != NULL, NULL);

  if (!crm_contact_facets_can_answer (filter))
    return NULL;

  ids = crm_filter_get_lifecycle_stages (filter, &n_ids);
  if (n_ids > 0 && facets->stages.overflow)
    return NULL;
  stages = accepted_ids (&facets->stages, ids, n_ids);

  ids = crm_filter_get_lead_statuses (filter, &n_ids);
  if (n_ids > 0 && facets->statuses.overflow)
    return NULL;
  statuses = accepted_ids (&facets->statuses, ids, n_ids);

  owner = crm_filter_get_owner (filter);
  by_owner = owner != NULL;
  if (by_owner && facets->owners.overflow)
    return NULL;
  if (by_owner && *owner != '\0')
    {
      owner_number = lookup (&facets->owners, owner);
      if (owner_number == 0)
        return g_array_new (FALSE, FALSE, sizeof (guint32));
    }

  source = crm_filter_get_source (filter);
  by_source = source != NULL;
  if (by_source && facets->sources.overflow)
    return NULL;
  if (by_source)
    {
      source_number = lookup (&facets->sources, source);
      if (source_number == 0)
        return g_array_new (FALSE, FALSE, sizeof (guint32));
    }

  if (crm_filter_get_consent (filter) != CRM_FILTER_CONSENT_ANY)
    consent = crm_filter_get_consent (filter) == CRM_FILTER_CONSENT_YES;

  by_month = crm_filter_get_birthday_this_month (filter);
  if (by_month)
    {
      g_autoptr (GDateTime) now = g_date_time_new_from_unix_local (crm_filter_get_now (filter));

      month = (guint8) g_date_time_get_month (now);
    }

  by_last = crm_filter_get_no_contact_days (filter) > 0;
  if (by_last)
    {
      gint64 limit = crm_filter_get_now (filter)
                     - (gint64) crm_filter_get_no_contact_days (filter) * SECONDS_PER_DAY;

      /* Before 1970 no stored time is older; past 2106 every one is. */
      if (limit <= 0)
        return g_array_new (FALSE, FALSE, sizeof (guint32));
      if (limit > (gint64) G_MAXUINT32)
        return NULL;
      cutoff = (guint32) limit;
    }

  tagged = tags_bitmap (facets, filter, db, &tag_error);
  if (tag_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&tag_error));
      return NULL;
    }

  ranks = g_array_new (FALSE, FALSE, sizeof (guint32));
  for (guint i = 0, n = candidates != NULL ? candidates->len : facets->n_ranks; i < n; i++)
    {
      guint32 rank = candidates != NULL ? g_array_index (candidates, guint32, i) : i;

      if (rank >= facets->n_ranks)
        continue;
      if (tagged != NULL && !(tagged[rank / 64] & (G_GUINT64_CONSTANT (1) << (rank % 64))))
        continue;
      if (stages != NULL && !stages[facets->stage[rank]])
        continue;
      if (statuses != NULL && !statuses[facets->status[rank]])
        continue;
      if (by_owner && facets->owner[rank] != owner_number)
        continue;
      if (by_source && facets->source[rank] != source_number)
        continue;
      if (consent >= 0 && facets->consent[rank] != consent)
        continue;
      if (by_month && facets->month[rank] != month)
        continue;
      /* No interaction (0) counts as none for that long. */
      if (by_last && facets->last[rank] >= cutoff)
        continue;
      g_array_append_val (ranks, rank);
    }

  return ranks;
}
