/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-fields"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "crm-fields.h"
#include "crm-text.h"

G_DEFINE_QUARK (crm-fields-error-quark, crm_fields_error)
G_DEFINE_BOXED_TYPE (CrmCustomField, crm_custom_field, crm_custom_field_copy,
                     crm_custom_field_free)
G_DEFINE_BOXED_TYPE (CrmStatus, crm_status, crm_status_copy, crm_status_free)

static const char *const entity_names[] = { "contact", "company", "deal", NULL };
static const char *const type_names[] = { "text", "number", "date", "choice", "bool", NULL };

/* Helpers */

static gboolean
step_done (CrmStore      *store,
           sqlite3_stmt  *stmt,
           const char    *doing,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (store, error, rc, doing);
      return FALSE;
    }

  return TRUE;
}

/* Labels, names and options compare without regard to case or to how their
 * letters are composed: "Vàng" and "VÀNG" are the same option. */
static char *
name_key (const char *name)
{
  g_autofree char *normalized = g_utf8_normalize (name, -1, G_NORMALIZE_ALL_COMPOSE);

  return g_utf8_casefold (normalized != NULL ? normalized : name, -1);
}

/* The text trimmed and composed (NFC), or NULL with @error set to @message
 * when it is blank or not UTF-8. */
static char *
clean_name (const char  *text,
            const char  *message,
            GError     **error)
{
  g_autofree char *trimmed = NULL;

  if (text == NULL || !g_utf8_validate (text, -1, NULL) || crm_text_is_blank (text))
    {
      g_set_error_literal (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_INVALID, message);
      return NULL;
    }

  trimmed = g_strstrip (g_strdup (text));
  return g_utf8_normalize (trimmed, -1, G_NORMALIZE_DEFAULT_COMPOSE);
}

/* A key made of the folded text: "Hạng thành viên" → "hang_thanh_vien".
 * Every run of characters that are neither letters nor digits becomes one
 * '_'. */
static char *
slug (const char *text,
      const char *fallback)
{
  g_autofree char *folded = crm_fold (text);
  GString *out = g_string_new (NULL);

  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c))
        g_string_append_unichar (out, g_unichar_tolower (c));
      else if (out->len > 0 && out->str[out->len - 1] != '_')
        g_string_append_c (out, '_');
    }

  while (out->len > 0 && out->str[out->len - 1] == '_')
    g_string_truncate (out, out->len - 1);
  if (out->len == 0)
    g_string_append (out, fallback);

  return g_string_free (out, FALSE);
}

/* @base, or @base with the first free suffix "_2", "_3", … that @taken
 * (a query with the key as ?1, and ?2 bound by the caller) finds no row for. */
static char *
unique_key (CrmStore      *store,
            sqlite3_stmt  *taken,
            const char    *base,
            const char    *doing,
            GError       **error)
{
  for (guint n = 1;; n++)
    {
      g_autofree char *key = n == 1 ? g_strdup (base) : g_strdup_printf ("%s_%u", base, n);
      int rc;

      sqlite3_bind_text (taken, 1, key, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (taken);
      sqlite3_reset (taken);
      if (rc == SQLITE_DONE)
        return g_steal_pointer (&key);
      if (rc != SQLITE_ROW)
        {
          crm_store_set_error (store, error, rc, doing);
          return NULL;
        }
    }
}

static char *
format_id (gint64 id)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, id);
}

/* Options: a JSON array of the choice labels. Objects with a "label" member,
 * which an import may have written, are read as their label. */
static GStrv
options_from_json (const char *json)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr (JsonNode) root = NULL;

  if (json != NULL)
    root = json_from_string (json, NULL);

  if (root != NULL && JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *array = json_node_get_array (root);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *node = json_array_get_element (array, i);
          const char *label = NULL;

          if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
            label = json_node_get_string (node);
          else if (JSON_NODE_HOLDS_OBJECT (node))
            label = json_object_get_string_member_with_default (json_node_get_object (node),
                                                                "label", NULL);
          if (label != NULL)
            g_strv_builder_add (builder, label);
        }
    }

  return g_strv_builder_end (builder);
}

static char *
options_to_json (const char *const *options)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; options[i] != NULL; i++)
    json_builder_add_string_value (builder, options[i]);
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

/* The options as they will be stored: trimmed, blanks left out, none
 * twice; a choice list needs one at least. */
static GStrv
clean_options (const char *const  *options,
               GError            **error)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n = 0;

  for (guint i = 0; options != NULL && options[i] != NULL; i++)
    {
      g_autofree char *option = NULL;
      char *key;

      if (!g_utf8_validate (options[i], -1, NULL))
        {
          g_set_error_literal (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_INVALID,
                               _("An option of the choice list is not valid text"));
          return NULL;
        }
      if (crm_text_is_blank (options[i]))
        continue;

      option = clean_name (options[i], "", NULL);
      key = name_key (option);
      if (g_hash_table_contains (seen, key))
        {
          g_free (key);
          g_set_error (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_INVALID,
                       _("The option “%s” is listed twice"), option);
          return NULL;
        }
      g_hash_table_add (seen, key);
      g_strv_builder_add (builder, option);
      n++;
    }

  if (n == 0)
    {
      g_set_error_literal (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_INVALID,
                           _("A choice list needs at least one option"));
      return NULL;
    }

  return g_strv_builder_end (builder);
}

/* Custom fields */

#define FIELD_COLUMNS "id, entity, key, label, type, options, position"

static CrmCustomField *
field_from_row (sqlite3_stmt *stmt)
{
  CrmCustomField *field = g_new0 (CrmCustomField, 1);

  field->id = sqlite3_column_int64 (stmt, 0);
  crm_field_entity_from_string ((const char *) sqlite3_column_text (stmt, 1), &field->entity);
  field->key = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  field->label = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  crm_field_type_from_string ((const char *) sqlite3_column_text (stmt, 4), &field->type);
  if (field->type == CRM_FIELD_TYPE_CHOICE)
    field->options = options_from_json ((const char *) sqlite3_column_text (stmt, 5));
  else
    field->options = g_new0 (char *, 1);
  field->position = sqlite3_column_int64 (stmt, 6);

  return field;
}

static void
set_field_not_found (GError **error,
                     gint64   id)
{
  g_autofree char *text = format_id (id);

  g_set_error (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_NOT_FOUND,
               _("There is no custom field %s"), text);
}

/* The trimmed label, or NULL with @error set when it is blank or another
 * field of @entity than @except_id has it. */
static char *
check_label (CrmStore        *store,
             CrmFieldEntity   entity,
             const char      *label,
             gint64           except_id,
             GError         **error)
{
  g_autofree char *clean = NULL;
  g_autofree char *key = NULL;
  sqlite3_stmt *stmt;
  gboolean taken = FALSE;
  int rc = SQLITE_DONE;

  clean = clean_name (label, _("A custom field needs a label"), error);
  if (clean == NULL)
    return NULL;

  stmt = crm_store_prepare (store,
                            "SELECT label FROM custom_field WHERE entity = ?1 AND id IS NOT ?2",
                            error);
  if (stmt == NULL)
    return NULL;

  key = name_key (clean);
  sqlite3_bind_text (stmt, 1, crm_field_entity_to_string (entity), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, except_id);
  while (!taken && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *other = name_key ((const char *) sqlite3_column_text (stmt, 0));

      taken = g_str_equal (key, other);
    }
  sqlite3_finalize (stmt);

  if (!taken && rc != SQLITE_DONE)
    {
      crm_store_set_error (store, error, rc, _("Cannot read the custom fields"));
      return NULL;
    }
  if (taken)
    {
      g_set_error (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_EXISTS,
                   _("There is a custom field named “%s” already"), clean);
      return NULL;
    }

  return g_steal_pointer (&clean);
}

/* Refuses, with @error set, to drop an option of @old that stored values
 * still hold. */
static gboolean
check_options_in_use (CrmStore              *store,
                      const CrmCustomField  *old,
                      const char *const     *options,
                      GError               **error)
{
  sqlite3_stmt *stmt;
  gboolean ok = TRUE;
  int rc = SQLITE_DONE;

  stmt = crm_store_prepare (store,
                            "SELECT value, count(*) FROM custom_value "
                            "WHERE field_id = ?1 AND value IS NOT NULL AND value <> '' "
                            "GROUP BY value",
                            error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, old->id);
  while (ok && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *value = (const char *) sqlite3_column_text (stmt, 0);
      guint count = sqlite3_column_int64 (stmt, 1);

      if (g_strv_contains ((const char *const *) old->options, value)
          && !g_strv_contains (options, value))
        {
          g_set_error (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_HAS_VALUES,
                       /* Translators: %s is the option, %'u how many values hold it. */
                       ngettext ("The option “%s” cannot be removed: %'u value uses it",
                                 "The option “%s” cannot be removed: %'u values use it",
                                 count),
                       value, count);
          ok = FALSE;
        }
    }
  if (ok && rc != SQLITE_DONE)
    {
      crm_store_set_error (store, error, rc, _("Cannot read the custom fields"));
      ok = FALSE;
    }
  sqlite3_finalize (stmt);

  return ok;
}

/* The entities a list of ids is reordered within, by a query that gives
 * the ids in their present order with ?1 bound to @entity (or unbound). */
static gboolean
reorder_rows (CrmStore      *store,
              const char    *list_sql,
              const char    *entity,
              const char    *update_sql,
              const gint64  *ids,
              gsize          n_ids,
              GError       **error)
{
  g_autoptr (GArray) present = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) order = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int rc;

  stmt = crm_store_prepare (store, list_sql, error);
  if (stmt == NULL)
    return FALSE;
  if (entity != NULL)
    sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (present, id);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (store, error, rc, _("Cannot read the list to reorder"));
      return FALSE;
    }

  /* The rows listed first, in that order; any others after them. */
  for (gsize i = 0; i < n_ids; i++)
    {
      gboolean known = FALSE;

      for (guint j = 0; j < present->len && !known; j++)
        known = g_array_index (present, gint64, j) == ids[i];
      for (guint j = 0; j < order->len && known; j++)
        known = g_array_index (order, gint64, j) != ids[i];
      if (!known)
        {
          g_autofree char *text = format_id (ids[i]);

          g_set_error (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_INVALID,
                       _("Row %s is not in this list, or is listed twice"), text);
          return FALSE;
        }
      g_array_append_val (order, ids[i]);
    }
  for (guint j = 0; j < present->len; j++)
    {
      gint64 id = g_array_index (present, gint64, j);
      gboolean listed = FALSE;

      for (gsize i = 0; i < n_ids && !listed; i++)
        listed = ids[i] == id;
      if (!listed)
        g_array_append_val (order, id);
    }

  stmt = crm_store_prepare (store, update_sql, error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < order->len; i++)
    {
      sqlite3_bind_int64 (stmt, 1, g_array_index (order, gint64, i));
      sqlite3_bind_int64 (stmt, 2, i);
      if (!step_done (store, stmt, _("Cannot save the new order"), error))
        {
          sqlite3_finalize (stmt);
          return FALSE;
        }
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);

  return TRUE;
}

/* Values */

static gboolean
is_digits (const char *text,
           gsize       length)
{
  for (gsize i = 0; i < length; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
    }

  return TRUE;
}

/* The integer part of a number with @group as its thousands separator
 * (and spaces): groups of three digits after a first group of one to
 * three. Appends the digits to @out. */
static gboolean
append_grouped (GString    *out,
                const char *text,
                gsize       length,
                char        group)
{
  gsize start = 0;
  gboolean first = TRUE;

  for (gsize i = 0; i <= length; i++)
    {
      gsize n;

      if (i < length && text[i] != group && text[i] != ' ')
        continue;

      n = i - start;
      if (!is_digits (text + start, n) || n == 0 || n > 3 || (!first && n != 3))
        return FALSE;
      g_string_append_len (out, text + start, n);
      first = FALSE;
      start = i + 1;
    }

  return TRUE;
}

/* A number written the Vietnamese way ("1.234,5") or the English way
 * ("1,234.5"), as the C locale writes it ("1234.5").
 *
 * - When both '.' and ',' appear, the last one is the decimal mark and the
 *   other groups thousands.
 * - One of them appearing more than once groups thousands: "1.234.567".
 * - One of them appearing once is a thousands separator when it is followed
 *   by exactly three digits and preceded by one to three digits that do not
 *   begin with 0 ("1.234" and "1,234" are both 1234, as "12.500" is in a
 *   Vietnamese price); otherwise it is the decimal mark ("1,5", "3.25",
 *   "0,125").
 * - Spaces (also no-break ones) may group thousands: "1 234 567".
 *
 * Returns the canonical text: no grouping, '.' for the decimal mark, no
 * leading zeros, no trailing zeros after the mark; NULL when @text is not a
 * number. */
static char *
normalize_number (const char *text)
{
  g_autoptr (GString) clean = g_string_new (NULL);
  g_autoptr (GString) digits = g_string_new (NULL);
  const char *s;
  const char *last_dot, *last_comma;
  gsize n_dots = 0, n_commas = 0;
  char decimal = 0, group = 0;
  const char *mark = NULL;
  gboolean negative = FALSE;
  const char *fraction = "";
  gsize int_length, fraction_length = 0;
  const char *p;

  /* No-break spaces become plain ones; anything else must be ASCII. */
  for (p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == 0x00A0 || c == 0x202F || c == ' ')
        g_string_append_c (clean, ' ');
      else if (c < 0x80)
        g_string_append_c (clean, (char) c);
      else
        return NULL;
    }

  s = clean->str;
  if (*s == '-' || *s == '+')
    {
      negative = *s == '-';
      s++;
    }
  if (*s == '\0' || *s == ' ' || s[strlen (s) - 1] == ' ')
    return NULL;

  for (p = s; *p != '\0'; p++)
    {
      if (*p == '.')
        n_dots++;
      else if (*p == ',')
        n_commas++;
      else if (!g_ascii_isdigit (*p) && *p != ' ')
        return NULL;
    }
  last_dot = strrchr (s, '.');
  last_comma = strrchr (s, ',');

  if (n_dots > 0 && n_commas > 0)
    {
      decimal = last_dot > last_comma ? '.' : ',';
      group = decimal == '.' ? ',' : '.';
      if ((decimal == '.' ? n_dots : n_commas) != 1)
        return NULL;
    }
  else if (n_dots + n_commas > 1)
    group = n_dots > 0 ? '.' : ',';
  else if (n_dots + n_commas == 1)
    {
      const char *sep = last_dot != NULL ? last_dot : last_comma;
      gsize before = sep - s;
      gsize after = strlen (sep + 1);

      if (after == 3 && is_digits (sep + 1, 3) && before >= 1 && before <= 3
          && is_digits (s, before) && s[0] != '0')
        group = *sep;
      else
        decimal = *sep;
    }

  if (decimal != 0)
    {
      mark = strchr (s, decimal);
      fraction = mark + 1;
      fraction_length = strlen (fraction);
      if (fraction_length == 0 || !is_digits (fraction, fraction_length))
        return NULL;
    }
  int_length = mark != NULL ? (gsize) (mark - s) : strlen (s);

  if (int_length > 0)
    {
      if (group != 0 || memchr (s, ' ', int_length) != NULL)
        {
          if (!append_grouped (digits, s, int_length, group != 0 ? group : ' '))
            return NULL;
        }
      else if (is_digits (s, int_length))
        g_string_append_len (digits, s, int_length);
      else
        return NULL;
    }

  /* Leading zeros go; trailing zeros of the fraction too. */
  while (digits->len > 1 && digits->str[0] == '0')
    g_string_erase (digits, 0, 1);
  if (digits->len == 0)
    g_string_append_c (digits, '0');
  while (fraction_length > 0 && fraction[fraction_length - 1] == '0')
    fraction_length--;
  if (fraction_length > 0)
    {
      g_string_append_c (digits, '.');
      g_string_append_len (digits, fraction, fraction_length);
    }

  if (negative && !g_str_equal (digits->str, "0"))
    g_string_prepend_c (digits, '-');

  return g_strdup (digits->str);
}

static gboolean
parse_part (const char *text,
            guint       min_length,
            guint       max_length,
            int        *value)
{
  gsize length = strlen (text);

  if (length < min_length || length > max_length || !is_digits (text, length))
    return FALSE;

  *value = atoi (text);
  return TRUE;
}

/* YYYY-MM-DD, or the Vietnamese DD/MM/YYYY (also with '-' or '.'), as
 * YYYY-MM-DD; NULL when it is not a real day. */
static char *
normalize_date (const char *text)
{
  g_auto (GStrv) parts = g_regex_split_simple ("[-/.]", text, 0, 0);
  int year = 0, month = 0, day = 0;
  gboolean ok = FALSE;

  if (g_strv_length (parts) != 3)
    return NULL;

  if (strlen (parts[0]) == 4)
    ok = parse_part (parts[0], 4, 4, &year) && parse_part (parts[1], 1, 2, &month)
         && parse_part (parts[2], 1, 2, &day);
  else
    ok = parse_part (parts[0], 1, 2, &day) && parse_part (parts[1], 1, 2, &month)
         && parse_part (parts[2], 4, 4, &year);

  if (!ok || year < 1000 || !g_date_valid_dmy (day, month, year))
    return NULL;

  return g_strdup_printf ("%04d-%02d-%02d", year, month, day);
}

/* The option that @text names: the same text, else the only option that is
 * the same but for case, else the only one that is the same once folded
 * ("vang" names "Vàng"). */
static const char *
find_option (const char *const *options,
             const char        *text)
{
  g_autofree char *key = name_key (text);
  g_autofree char *folded = crm_fold (text);
  const char *by_case = NULL, *by_fold = NULL;
  guint n_case = 0, n_fold = 0;

  for (guint i = 0; options != NULL && options[i] != NULL; i++)
    {
      g_autofree char *option_key = NULL;
      g_autofree char *option_folded = NULL;

      if (g_str_equal (options[i], text))
        return options[i];

      option_key = name_key (options[i]);
      option_folded = crm_fold (options[i]);
      if (g_str_equal (option_key, key))
        {
          by_case = options[i];
          n_case++;
        }
      if (g_str_equal (option_folded, folded))
        {
          by_fold = options[i];
          n_fold++;
        }
    }

  if (n_case == 1)
    return by_case;
  if (n_fold == 1)
    return by_fold;

  return NULL;
}

/* Statuses */

static const char *const status_tables[] = { "lifecycle_stage", "lead_status" };

static void
set_status_not_found (CrmStatusKind   kind,
                      gint64          id,
                      GError        **error)
{
  g_autofree char *text = format_id (id);

  if (kind == CRM_STATUS_LIFECYCLE_STAGE)
    g_set_error (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_NOT_FOUND,
                 _("There is no lifecycle stage %s"), text);
  else
    g_set_error (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_NOT_FOUND,
                 _("There is no lead status %s"), text);
}

static CrmStatus *
status_from_row (sqlite3_stmt *stmt)
{
  CrmStatus *status = g_new0 (CrmStatus, 1);

  status->id = sqlite3_column_int64 (stmt, 0);
  status->key = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  status->name = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  status->position = sqlite3_column_int64 (stmt, 3);
  status->builtin = sqlite3_column_int (stmt, 4) != 0;

  return status;
}

/* The trimmed name, or NULL with @error set when it is blank or another row
 * of the list than @except_id has it, as stored or as shown. */
static char *
check_status_name (CrmStore       *store,
                   CrmStatusKind   kind,
                   const char     *name,
                   gint64          except_id,
                   GError        **error)
{
  g_autoptr (GPtrArray) statuses = NULL;
  g_autofree char *clean = NULL;
  g_autofree char *key = NULL;

  clean = clean_name (name,
                      kind == CRM_STATUS_LIFECYCLE_STAGE
                      ? _("A lifecycle stage needs a name")
                      : _("A lead status needs a name"),
                      error);
  if (clean == NULL)
    return NULL;

  statuses = crm_statuses_list (store, kind, error);
  if (statuses == NULL)
    return NULL;

  key = name_key (clean);
  for (guint i = 0; i < statuses->len; i++)
    {
      CrmStatus *status = g_ptr_array_index (statuses, i);
      g_autofree char *stored = NULL;
      g_autofree char *shown = NULL;

      if (status->id == except_id)
        continue;

      stored = name_key (status->name);
      shown = name_key (crm_status_get_display_name (status));
      if (g_str_equal (key, stored) || g_str_equal (key, shown))
        {
          if (kind == CRM_STATUS_LIFECYCLE_STAGE)
            g_set_error (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_EXISTS,
                         _("There is a lifecycle stage named “%s” already"), clean);
          else
            g_set_error (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_EXISTS,
                         _("There is a lead status named “%s” already"), clean);
          return NULL;
        }
    }

  return g_steal_pointer (&clean);
}

static CrmStatus *
load_status (CrmStore       *store,
             CrmStatusKind   kind,
             gint64          id,
             GError        **error)
{
  g_autofree char *sql = NULL;
  CrmStatus *status = NULL;
  sqlite3_stmt *stmt;
  int rc;

  sql = g_strdup_printf ("SELECT id, key, name, position, builtin FROM %s WHERE id = ?1",
                         status_tables[kind]);
  stmt = crm_store_prepare (store, sql, error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    status = status_from_row (stmt);
  else if (rc == SQLITE_DONE)
    set_status_not_found (kind, id, error);
  else
    crm_store_set_error (store, error, rc, _("Cannot read the list"));
  sqlite3_finalize (stmt);

  return status;
}

/* Public API: names */

/**
 * crm_field_entity_to_string:
 *
 * Returns: "contact", "company" or "deal", as the custom_field table writes it
 */
const char *
crm_field_entity_to_string (CrmFieldEntity entity)
{
  g_return_val_if_fail (entity <= CRM_FIELD_ENTITY_DEAL, NULL);

  return entity_names[entity];
}

gboolean
crm_field_entity_from_string (const char     *text,
                              CrmFieldEntity *entity)
{
  for (guint i = 0; text != NULL && entity_names[i] != NULL; i++)
    {
      if (g_str_equal (text, entity_names[i]))
        {
          *entity = i;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * crm_field_type_to_string:
 *
 * Returns: "text", "number", "date", "choice" or "bool", as the
 *   custom_field table writes it
 */
const char *
crm_field_type_to_string (CrmFieldType type)
{
  g_return_val_if_fail (type < CRM_FIELD_N_TYPES, NULL);

  return type_names[type];
}

gboolean
crm_field_type_from_string (const char   *text,
                            CrmFieldType *type)
{
  for (guint i = 0; text != NULL && type_names[i] != NULL; i++)
    {
      if (g_str_equal (text, type_names[i]))
        {
          *type = i;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * crm_field_type_get_label:
 *
 * Returns: (transfer none): the type's name to show: "Text", "Number",
 *   "Date", "Choice list" or "Yes/No", translated
 */
const char *
crm_field_type_get_label (CrmFieldType type)
{
  static const char *const labels[] = {
    N_("Text"), N_("Number"), N_("Date"), N_("Choice list"), N_("Yes/No"),
  };

  g_return_val_if_fail (type < CRM_FIELD_N_TYPES, NULL);

  return _(labels[type]);
}

/* Public API: custom fields */

CrmCustomField *
crm_custom_field_copy (const CrmCustomField *field)
{
  CrmCustomField *copy;

  g_return_val_if_fail (field != NULL, NULL);

  copy = g_memdup2 (field, sizeof *field);
  copy->key = g_strdup (field->key);
  copy->label = g_strdup (field->label);
  copy->options = field->options != NULL ? g_strdupv (field->options) : g_new0 (char *, 1);

  return copy;
}

void
crm_custom_field_free (CrmCustomField *field)
{
  if (field == NULL)
    return;

  g_free (field->key);
  g_free (field->label);
  g_strfreev (field->options);
  g_free (field);
}

/**
 * crm_custom_fields_list:
 *
 * Returns: (transfer full) (element-type CrmCustomField): the custom fields
 *   of @entity in their order, or %NULL with @error set
 */
GPtrArray *
crm_custom_fields_list (CrmStore        *store,
                        CrmFieldEntity   entity,
                        GError         **error)
{
  g_autoptr (GPtrArray) fields = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);
  g_return_val_if_fail (entity <= CRM_FIELD_ENTITY_DEAL, NULL);

  stmt = crm_store_prepare (store,
                            "SELECT " FIELD_COLUMNS " FROM custom_field WHERE entity = ?1 "
                            "ORDER BY position, id",
                            error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, crm_field_entity_to_string (entity), -1, SQLITE_STATIC);
  fields = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_custom_field_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (fields, field_from_row (stmt));
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (store, error, rc, _("Cannot read the custom fields"));
      return NULL;
    }

  return g_steal_pointer (&fields);
}

/**
 * crm_custom_field_load:
 *
 * Returns: (transfer full): the field, or %NULL with @error set
 */
CrmCustomField *
crm_custom_field_load (CrmStore  *store,
                       gint64     id,
                       GError   **error)
{
  CrmCustomField *field = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);

  stmt = crm_store_prepare (store,
                            "SELECT " FIELD_COLUMNS " FROM custom_field WHERE id = ?1",
                            error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    field = field_from_row (stmt);
  else if (rc == SQLITE_DONE)
    set_field_not_found (error, id);
  else
    crm_store_set_error (store, error, rc, _("Cannot read the custom fields"));
  sqlite3_finalize (stmt);

  return field;
}

/**
 * crm_custom_field_create:
 * @label: the label; trimmed, and unique among the fields of @entity
 *   whatever its case
 * @options: (nullable) (array zero-terminated=1): for a choice list, its
 *   options: trimmed, blanks left out, none twice, one at least; ignored
 *   for the other types
 *
 * Adds a field after the others of @entity. Its key comes from the folded
 * label, lowercase, with '_' for each run of spaces and punctuation
 * ("Hạng thành viên" → "hang_thanh_vien"), and a suffix "_2", "_3", … when
 * another field of @entity has that key. The key never changes after.
 *
 * Returns: the new field's id, or 0 with @error set
 */
gint64
crm_custom_field_create (CrmStore           *store,
                         CrmFieldEntity      entity,
                         const char         *label,
                         CrmFieldType        type,
                         const char *const  *options,
                         GError            **error)
{
  g_autofree char *clean = NULL;
  g_autofree char *base = NULL;
  g_autofree char *key = NULL;
  g_autofree char *json = NULL;
  g_auto (GStrv) cleaned = NULL;
  sqlite3_stmt *stmt;
  gint64 id = 0;

  g_return_val_if_fail (CRM_IS_STORE (store), 0);
  g_return_val_if_fail (entity <= CRM_FIELD_ENTITY_DEAL, 0);
  g_return_val_if_fail (type < CRM_FIELD_N_TYPES, 0);

  if (type == CRM_FIELD_TYPE_CHOICE)
    {
      cleaned = clean_options (options, error);
      if (cleaned == NULL)
        return 0;
      json = options_to_json ((const char *const *) cleaned);
    }

  if (!crm_store_begin (store, error))
    return 0;

  clean = check_label (store, entity, label, 0, error);
  if (clean == NULL)
    goto fail;

  stmt = crm_store_prepare (store,
                            "SELECT 1 FROM custom_field WHERE key = ?1 AND entity = ?2", error);
  if (stmt == NULL)
    goto fail;
  base = slug (clean, "field");
  sqlite3_bind_text (stmt, 2, crm_field_entity_to_string (entity), -1, SQLITE_STATIC);
  key = unique_key (store, stmt, base, _("Cannot read the custom fields"), error);
  sqlite3_finalize (stmt);
  if (key == NULL)
    goto fail;

  stmt = crm_store_prepare (store,
                            "INSERT INTO custom_field (entity, key, label, type, options, position) "
                            "VALUES (?1, ?2, ?3, ?4, ?5, "
                            "(SELECT ifnull(max(position), -1) + 1 FROM custom_field "
                            " WHERE entity = ?1))",
                            error);
  if (stmt == NULL)
    goto fail;

  sqlite3_bind_text (stmt, 1, crm_field_entity_to_string (entity), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, clean, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, crm_field_type_to_string (type), -1, SQLITE_STATIC);
  if (json != NULL)
    sqlite3_bind_text (stmt, 5, json, -1, SQLITE_STATIC);
  if (step_done (store, stmt, _("Cannot save the custom field"), error))
    id = sqlite3_last_insert_rowid (crm_store_get_db (store));
  sqlite3_finalize (stmt);

  if (id == 0 || !crm_store_commit (store, error))
    goto fail;

  crm_store_emit_changed (store, "custom_field", id);
  return id;

fail:
  crm_store_rollback (store);
  return 0;
}

/**
 * crm_custom_field_update:
 * @label: the new label; trimmed, and unique among the fields of its
 *   entity whatever its case. The key stays.
 * @type: the new type; it may only change while no record has a value in
 *   the field (%CRM_FIELDS_ERROR_HAS_VALUES otherwise)
 * @options: (nullable) (array zero-terminated=1): for a choice list, the
 *   new options, as crm_custom_field_create() takes them. An option that
 *   stored values hold cannot be left out (%CRM_FIELDS_ERROR_HAS_VALUES).
 */
gboolean
crm_custom_field_update (CrmStore           *store,
                         gint64              id,
                         const char         *label,
                         CrmFieldType        type,
                         const char *const  *options,
                         GError            **error)
{
  g_autoptr (CrmCustomField) old = NULL;
  g_autofree char *clean = NULL;
  g_autofree char *json = NULL;
  g_auto (GStrv) cleaned = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);
  g_return_val_if_fail (type < CRM_FIELD_N_TYPES, FALSE);

  if (type == CRM_FIELD_TYPE_CHOICE)
    {
      cleaned = clean_options (options, error);
      if (cleaned == NULL)
        return FALSE;
      json = options_to_json ((const char *const *) cleaned);
    }

  if (!crm_store_begin (store, error))
    return FALSE;

  old = crm_custom_field_load (store, id, error);
  if (old == NULL)
    goto fail;

  clean = check_label (store, old->entity, label, id, error);
  if (clean == NULL)
    goto fail;

  if (type != old->type)
    {
      gint64 n_values = crm_custom_field_count_values (store, id, error);

      if (n_values < 0)
        goto fail;
      if (n_values > 0)
        {
          g_set_error (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_HAS_VALUES,
                       /* Translators: %s is the field's label, %'u how many values it has. */
                       ngettext ("The type of “%s” cannot change: it has %'u value",
                                 "The type of “%s” cannot change: it has %'u values",
                                 (gulong) n_values),
                       old->label, (guint) n_values);
          goto fail;
        }
    }
  else if (type == CRM_FIELD_TYPE_CHOICE
           && !check_options_in_use (store, old, (const char *const *) cleaned, error))
    goto fail;

  stmt = crm_store_prepare (store,
                            "UPDATE custom_field SET label = ?2, type = ?3, options = ?4 "
                            "WHERE id = ?1",
                            error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, clean, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, crm_field_type_to_string (type), -1, SQLITE_STATIC);
  if (json != NULL)
    sqlite3_bind_text (stmt, 4, json, -1, SQLITE_STATIC);
  ok = step_done (store, stmt, _("Cannot save the custom field"), error);
  sqlite3_finalize (stmt);

  if (!ok || !crm_store_commit (store, error))
    goto fail;

  crm_store_emit_changed (store, "custom_field", id);
  return TRUE;

fail:
  crm_store_rollback (store);
  return FALSE;
}

/**
 * crm_custom_fields_reorder:
 * @ids: (array length=n_ids): ids of fields of @entity in their new order
 *
 * The fields listed come first, in that order; the other fields of @entity
 * follow in the order they had. Positions become 0 … n-1.
 */
gboolean
crm_custom_fields_reorder (CrmStore        *store,
                           CrmFieldEntity   entity,
                           const gint64    *ids,
                           gsize            n_ids,
                           GError         **error)
{
  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);
  g_return_val_if_fail (entity <= CRM_FIELD_ENTITY_DEAL, FALSE);
  g_return_val_if_fail (ids != NULL || n_ids == 0, FALSE);

  if (!crm_store_begin (store, error))
    return FALSE;

  if (!reorder_rows (store,
                     "SELECT id FROM custom_field WHERE entity = ?1 ORDER BY position, id",
                     crm_field_entity_to_string (entity),
                     "UPDATE custom_field SET position = ?2 WHERE id = ?1",
                     ids, n_ids, error)
      || !crm_store_commit (store, error))
    {
      crm_store_rollback (store);
      return FALSE;
    }

  crm_store_emit_changed (store, "custom_field", 0);
  return TRUE;
}

/**
 * crm_custom_field_count_values:
 *
 * Returns: how many records have a value (not blank) in the field, or -1
 *   with @error set
 */
gint64
crm_custom_field_count_values (CrmStore  *store,
                               gint64     id,
                               GError   **error)
{
  sqlite3_stmt *stmt;
  gint64 count = -1;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (store), -1);

  stmt = crm_store_prepare (store,
                            "SELECT (SELECT count(*) FROM custom_value v WHERE v.field_id = f.id "
                            "        AND v.value IS NOT NULL AND v.value <> '') "
                            "FROM custom_field f WHERE f.id = ?1",
                            error);
  if (stmt == NULL)
    return -1;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  else if (rc == SQLITE_DONE)
    set_field_not_found (error, id);
  else
    crm_store_set_error (store, error, rc, _("Cannot read the custom fields"));
  sqlite3_finalize (stmt);

  return count;
}

/**
 * crm_custom_field_delete:
 * @confirmed: whether the user agreed to lose the field's values
 *
 * Deletes the field. When records have a value in it, only with
 * @confirmed: otherwise it fails with %CRM_FIELDS_ERROR_HAS_VALUES, its
 * message saying how many, and nothing changes. The values go with the
 * field in the same transaction (custom_value's ON DELETE CASCADE).
 */
gboolean
crm_custom_field_delete (CrmStore  *store,
                         gint64     id,
                         gboolean   confirmed,
                         GError   **error)
{
  g_autoptr (CrmCustomField) field = NULL;
  sqlite3_stmt *stmt;
  gint64 n_values;
  gboolean ok;

  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);

  if (!crm_store_begin (store, error))
    return FALSE;

  field = crm_custom_field_load (store, id, error);
  if (field == NULL)
    goto fail;

  n_values = crm_custom_field_count_values (store, id, error);
  if (n_values < 0)
    goto fail;
  if (n_values > 0 && !confirmed)
    {
      g_set_error (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_HAS_VALUES,
                   /* Translators: %s is the field's label, %'u how many values it has. */
                   ngettext ("The field “%s” has %'u value; confirm to delete it with the field",
                             "The field “%s” has %'u values; confirm to delete them with the "
                             "field",
                             (gulong) n_values),
                   field->label, (guint) n_values);
      goto fail;
    }

  stmt = crm_store_prepare (store, "DELETE FROM custom_field WHERE id = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  ok = step_done (store, stmt, _("Cannot delete the custom field"), error);
  sqlite3_finalize (stmt);

  if (!ok || !crm_store_commit (store, error))
    goto fail;

  crm_store_emit_changed (store, "custom_field", id);
  if (n_values > 0)
    crm_store_emit_changed (store, crm_field_entity_to_string (field->entity), 0);
  return TRUE;

fail:
  crm_store_rollback (store);
  return FALSE;
}

/**
 * crm_custom_field_normalize_value:
 * @text: (nullable): the value as typed
 *
 * The value as it is stored for the field's type:
 *
 * - text: trimmed;
 * - number: the C locale's form, "1234.5", from the Vietnamese "1.234,5"
 *   or the English "1,234.5" (see normalize_number() for the rule on a
 *   lone separator: "1.234" is 1234, "1,5" is 1.5);
 * - date: YYYY-MM-DD, from YYYY-MM-DD or DD/MM/YYYY;
 * - choice: one of the options, written as the option is (matched exactly,
 *   else whatever the case, else without diacritics when only one option
 *   fits);
 * - bool: "1" or "0", from yes/no, true/false, có/không, 1/0 in any case.
 *
 * Blank text gives "": no value.
 *
 * Returns: (transfer full): the value to store, or %NULL with @error set to
 *   a one-line message that names the field
 */
char *
crm_custom_field_normalize_value (const CrmCustomField  *field,
                                  const char            *text,
                                  GError               **error)
{
  g_autofree char *clean = NULL;
  char *value = NULL;

  g_return_val_if_fail (field != NULL, NULL);

  if (text != NULL && !g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_INVALID,
                   _("The value of the field “%s” is not valid text"), field->label);
      return NULL;
    }
  if (crm_text_is_blank (text))
    return g_strdup ("");

  clean = clean_name (text, "", NULL);

  switch (field->type)
    {
    case CRM_FIELD_TYPE_TEXT:
      return g_steal_pointer (&clean);

    case CRM_FIELD_TYPE_NUMBER:
      value = normalize_number (clean);
      if (value == NULL)
        g_set_error (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_INVALID,
                     _("The field “%s” needs a number, not “%s”"), field->label, clean);
      return value;

    case CRM_FIELD_TYPE_DATE:
      value = normalize_date (clean);
      if (value == NULL)
        g_set_error (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_INVALID,
                     _("The field “%s” needs a date such as 22/11/2026, not “%s”"),
                     field->label, clean);
      return value;

    case CRM_FIELD_TYPE_CHOICE:
      {
        const char *option = find_option ((const char *const *) field->options, clean);

        if (option == NULL)
          {
            g_set_error (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_INVALID,
                         _("“%s” is not one of the choices of the field “%s”"), clean,
                         field->label);
            return NULL;
          }
        return g_strdup (option);
      }

    case CRM_FIELD_TYPE_BOOL:
      {
        static const char *const yes[] = { "1", "yes", "true", "có", NULL };
        static const char *const no[] = { "0", "no", "false", "không", NULL };
        g_autofree char *lower = g_utf8_casefold (clean, -1);

        if (g_strv_contains (yes, lower))
          return g_strdup ("1");
        if (g_strv_contains (no, lower))
          return g_strdup ("0");
        g_set_error (error, CRM_FIELDS_ERROR, CRM_FIELDS_ERROR_INVALID,
                     _("The field “%s” needs yes or no, not “%s”"), field->label, clean);
        return NULL;
      }

    default:
      g_return_val_if_reached (NULL);
    }
}

/* Public API: lifecycle stages and lead statuses */

CrmStatus *
crm_status_copy (const CrmStatus *status)
{
  CrmStatus *copy;

  g_return_val_if_fail (status != NULL, NULL);

  copy = g_memdup2 (status, sizeof *status);
  copy->key = g_strdup (status->key);
  copy->name = g_strdup (status->name);

  return copy;
}

void
crm_status_free (CrmStatus *status)
{
  if (status == NULL)
    return;

  g_free (status->key);
  g_free (status->name);
  g_free (status);
}

/**
 * crm_status_get_display_name:
 *
 * A built-in row's name is an English msgid and shows translated; a row
 * the user added or renamed shows as written. Renaming a built-in row
 * clears its builtin flag, so the new name is never looked up.
 *
 * Returns: (transfer none): the name to show
 */
const char *
crm_status_get_display_name (const CrmStatus *status)
{
  g_return_val_if_fail (status != NULL, NULL);

  return status->builtin ? _(status->name) : status->name;
}

/**
 * crm_status_kind_to_table:
 *
 * Returns: "lifecycle_stage" or "lead_status": the table, and the entity
 *   of CrmStore::changed for the list
 */
const char *
crm_status_kind_to_table (CrmStatusKind kind)
{
  g_return_val_if_fail (kind <= CRM_STATUS_LEAD_STATUS, NULL);

  return status_tables[kind];
}

/**
 * crm_statuses_list:
 *
 * Returns: (transfer full) (element-type CrmStatus): the rows in their
 *   order, or %NULL with @error set
 */
GPtrArray *
crm_statuses_list (CrmStore       *store,
                   CrmStatusKind   kind,
                   GError        **error)
{
  g_autoptr (GPtrArray) statuses = NULL;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);
  g_return_val_if_fail (kind <= CRM_STATUS_LEAD_STATUS, NULL);

  sql = g_strdup_printf ("SELECT id, key, name, position, builtin FROM %s "
                         "ORDER BY position, id",
                         status_tables[kind]);
  stmt = crm_store_prepare (store, sql, error);
  if (stmt == NULL)
    return NULL;

  statuses = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_status_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (statuses, status_from_row (stmt));
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      crm_store_set_error (store, error, rc, _("Cannot read the list"));
      return NULL;
    }

  return g_steal_pointer (&statuses);
}

/**
 * crm_status_add:
 * @name: the name; trimmed, and unique in the list whatever its case, as
 *   stored or as shown
 *
 * Adds a row at the end of the list, with a key made from its name as
 * custom fields' keys are.
 *
 * Returns: the new row's id, or 0 with @error set
 */
gint64
crm_status_add (CrmStore       *store,
                CrmStatusKind   kind,
                const char     *name,
                GError        **error)
{
  g_autofree char *clean = NULL;
  g_autofree char *base = NULL;
  g_autofree char *key = NULL;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  gint64 id = 0;

  g_return_val_if_fail (CRM_IS_STORE (store), 0);
  g_return_val_if_fail (kind <= CRM_STATUS_LEAD_STATUS, 0);

  if (!crm_store_begin (store, error))
    return 0;

  clean = check_status_name (store, kind, name, 0, error);
  if (clean == NULL)
    goto fail;

  sql = g_strdup_printf ("SELECT 1 FROM %s WHERE key = ?1", status_tables[kind]);
  stmt = crm_store_prepare (store, sql, error);
  if (stmt == NULL)
    goto fail;
  base = slug (clean, kind == CRM_STATUS_LIFECYCLE_STAGE ? "stage" : "status");
  key = unique_key (store, stmt, base, _("Cannot read the list"), error);
  sqlite3_finalize (stmt);
  if (key == NULL)
    goto fail;

  g_free (sql);
  sql = g_strdup_printf ("INSERT INTO %s (key, name, position, builtin) "
                         "VALUES (?1, ?2, (SELECT ifnull(max(position), -1) + 1 FROM %s), 0)",
                         status_tables[kind], status_tables[kind]);
  stmt = crm_store_prepare (store, sql, error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, clean, -1, SQLITE_STATIC);
  if (step_done (store, stmt, _("Cannot save the list"), error))
    id = sqlite3_last_insert_rowid (crm_store_get_db (store));
  sqlite3_finalize (stmt);

  if (id == 0 || !crm_store_commit (store, error))
    goto fail;

  crm_store_emit_changed (store, status_tables[kind], id);
  return id;

fail:
  crm_store_rollback (store);
  return 0;
}

/**
 * crm_status_rename:
 * @name: the new name, as crm_status_add() takes it
 *
 * A name the row already has, as stored or as shown, changes nothing: a
 * built-in row stays built-in and translated. Any other name is stored as
 * written and clears the builtin flag, so that it is shown as the user
 * wrote it in every language. The key stays.
 */
gboolean
crm_status_rename (CrmStore       *store,
                   CrmStatusKind   kind,
                   gint64          id,
                   const char     *name,
                   GError        **error)
{
  g_autoptr (CrmStatus) status = NULL;
  g_autofree char *clean = NULL;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);
  g_return_val_if_fail (kind <= CRM_STATUS_LEAD_STATUS, FALSE);

  if (!crm_store_begin (store, error))
    return FALSE;

  status = load_status (store, kind, id, error);
  if (status == NULL)
    goto fail;

  clean = check_status_name (store, kind, name, id, error);
  if (clean == NULL)
    goto fail;

  if (g_str_equal (clean, status->name) || g_str_equal (clean, crm_status_get_display_name (status)))
    {
      crm_store_rollback (store);
      return TRUE;
    }

  sql = g_strdup_printf ("UPDATE %s SET name = ?2, builtin = 0 WHERE id = ?1",
                         status_tables[kind]);
  stmt = crm_store_prepare (store, sql, error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, clean, -1, SQLITE_STATIC);
  ok = step_done (store, stmt, _("Cannot save the list"), error);
  sqlite3_finalize (stmt);

  if (!ok || !crm_store_commit (store, error))
    goto fail;

  crm_store_emit_changed (store, status_tables[kind], id);
  return TRUE;

fail:
  crm_store_rollback (store);
  return FALSE;
}

/**
 * crm_statuses_reorder:
 * @ids: (array length=n_ids): ids of the list's rows in their new order
 *
 * The rows listed come first, in that order; the others follow in the
 * order they had. Positions become 0 … n-1, in one transaction.
 */
gboolean
crm_statuses_reorder (CrmStore       *store,
                      CrmStatusKind   kind,
                      const gint64   *ids,
                      gsize           n_ids,
                      GError        **error)
{
  g_autofree char *list_sql = NULL;
  g_autofree char *update_sql = NULL;

  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);
  g_return_val_if_fail (kind <= CRM_STATUS_LEAD_STATUS, FALSE);
  g_return_val_if_fail (ids != NULL || n_ids == 0, FALSE);

  list_sql = g_strdup_printf ("SELECT id FROM %s ORDER BY position, id", status_tables[kind]);
  update_sql = g_strdup_printf ("UPDATE %s SET position = ?2 WHERE id = ?1",
                                status_tables[kind]);

  if (!crm_store_begin (store, error))
    return FALSE;

  if (!reorder_rows (store, list_sql, NULL, update_sql, ids, n_ids, error)
      || !crm_store_commit (store, error))
    {
      crm_store_rollback (store);
      return FALSE;
    }

  crm_store_emit_changed (store, status_tables[kind], 0);
  return TRUE;
}

/**
 * crm_status_count_contacts:
 *
 * Counts the contacts, archived ones too, whose lifecycle stage or lead
 * status is @id: those that lose it when it is deleted. Ask the user
 * before crm_status_delete() when there are any.
 *
 * Returns: the count, or -1 with @error set
 */
gint64
crm_status_count_contacts (CrmStore       *store,
                           CrmStatusKind   kind,
                           gint64          id,
                           GError        **error)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  gint64 count = -1;
  int rc;

  g_return_val_if_fail (CRM_IS_STORE (store), -1);
  g_return_val_if_fail (kind <= CRM_STATUS_LEAD_STATUS, -1);

  sql = g_strdup_printf ("SELECT (SELECT count(*) FROM contact WHERE %s_id = t.id) "
                         "FROM %s t WHERE t.id = ?1",
                         status_tables[kind], status_tables[kind]);
  stmt = crm_store_prepare (store, sql, error);
  if (stmt == NULL)
    return -1;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  else if (rc == SQLITE_DONE)
    set_status_not_found (kind, id, error);
  else
    crm_store_set_error (store, error, rc, _("Cannot read the list"));
  sqlite3_finalize (stmt);

  return count;
}

gint64
crm_lifecycle_stage_count_contacts (CrmStore  *store,
                                    gint64     id,
                                    GError   **error)
{
  return crm_status_count_contacts (store, CRM_STATUS_LIFECYCLE_STAGE, id, error);
}

gint64
crm_lead_status_count_contacts (CrmStore  *store,
                                gint64     id,
                                GError   **error)
{
  return crm_status_count_contacts (store, CRM_STATUS_LEAD_STATUS, id, error);
}

/**
 * crm_status_delete:
 *
 * Deletes the row; the contacts that had it have none after
 * (ON DELETE SET NULL), in the same transaction. The caller asks first
 * when crm_status_count_contacts() finds any.
 */
gboolean
crm_status_delete (CrmStore       *store,
                   CrmStatusKind   kind,
                   gint64          id,
                   GError        **error)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  gint64 n_contacts;
  gboolean ok;

  g_return_val_if_fail (CRM_IS_STORE (store), FALSE);
  g_return_val_if_fail (kind <= CRM_STATUS_LEAD_STATUS, FALSE);

  if (!crm_store_begin (store, error))
    return FALSE;

  n_contacts = crm_status_count_contacts (store, kind, id, error);
  if (n_contacts < 0)
    goto fail;

  sql = g_strdup_printf ("DELETE FROM %s WHERE id = ?1", status_tables[kind]);
  stmt = crm_store_prepare (store, sql, error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  ok = step_done (store, stmt, _("Cannot save the list"), error);
  sqlite3_finalize (stmt);

  if (!ok || !crm_store_commit (store, error))
    goto fail;

  crm_store_emit_changed (store, status_tables[kind], id);
  if (n_contacts > 0)
    crm_store_emit_changed (store, "contact", 0);
  return TRUE;

fail:
  crm_store_rollback (store);
  return FALSE;
}
