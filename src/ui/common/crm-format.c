/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-format"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "crm-format.h"
#include "crm-text.h"

typedef struct
{
  const char *code;
  const char *symbol;
  gboolean    prefix;   /* "$1.00" rather than "1.00 X" */
  char        group;    /* thousands separator */
  char        point;    /* decimal separator */
} CurrencyStyle;

/* The currencies an office in Vietnam meets most, written the way their
 * own country writes them; any other is written with its code. */
static const CurrencyStyle currency_styles[] = {
  { "VND", "₫", FALSE, '.', ',' },
  { "USD", "$", TRUE, ',', '.' },
  { "EUR", "€", TRUE, ',', '.' },
  { "GBP", "£", TRUE, ',', '.' },
  { "JPY", "¥", TRUE, ',', '.' },
  { "KRW", "₩", TRUE, ',', '.' },
};

static const char *const zero_digit_currencies[] = {
  "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND",
  "VUV", "XAF", "XOF", "XPF", NULL,
};

static const char *const three_digit_currencies[] = {
  "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND", NULL,
};

static gboolean
code_in (const char        *code,
         const char *const *codes)
{
  for (guint i = 0; codes[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (code, codes[i]) == 0)
        return TRUE;
    }

  return FALSE;
}

static void
append_grouped (GString *out,
                guint64  number,
                char     separator)
{
  char digits[24];
  int n = g_snprintf (digits, sizeof digits, "%" G_GUINT64_FORMAT, number);

  for (int i = 0; i < n; i++)
    {
      if (i > 0 && (n - i) % 3 == 0)
        g_string_append_c (out, separator);
      g_string_append_c (out, digits[i]);
    }
}

/* Parses "YYYY-MM-DD" strictly. */
static gboolean
parse_iso_date (const char *text,
                int        *year,
                int        *month,
                int        *day)
{
  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;

  for (guint i = 0; i < 10; i++)
    {
      if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
        return FALSE;
    }

  *year = g_ascii_digit_value (text[0]) * 1000 + g_ascii_digit_value (text[1]) * 100
          + g_ascii_digit_value (text[2]) * 10 + g_ascii_digit_value (text[3]);
  *month = g_ascii_digit_value (text[5]) * 10 + g_ascii_digit_value (text[6]);
  *day = g_ascii_digit_value (text[8]) * 10 + g_ascii_digit_value (text[9]);

  return *year >= 1 && g_date_valid_dmy (*day, *month, *year);
}

static char *
format_date_time (GDateTime *date_time)
{
  /* Translators: how a date is written, for g_date_time_format(): "Nov 22,
   * 2026" in English. Write it the way your language does; Vietnamese
   * writes "%d/%m/%Y" (22/11/2026). */
  return g_date_time_format (date_time, C_("date", "%b %-d, %Y"));
}

guint
crm_format_currency_digits (const char *currency)
{
  if (currency == NULL || code_in (currency, zero_digit_currencies))
    return 0;
  if (code_in (currency, three_digit_currencies))
    return 3;
  return 2;
}

char *
crm_format_money (gint64      amount,
                  const char *currency)
{
  const CurrencyStyle *style = NULL;
  g_autofree char *code = g_ascii_strup (currency != NULL ? currency : "VND", -1);
  guint digits = crm_format_currency_digits (code);
  guint64 magnitude = amount < 0 ? -(guint64) amount : (guint64) amount;
  guint64 scale = 1;
  char group = ',';
  char point = '.';
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (currency_styles); i++)
    {
      if (g_str_equal (code, currency_styles[i].code))
        {
          style = &currency_styles[i];
          group = style->group;
          point = style->point;
          break;
        }
    }

  for (guint i = 0; i < digits; i++)
    scale *= 10;

  if (amount < 0)
    g_string_append_c (out, '-');
  if (style != NULL && style->prefix)
    g_string_append (out, style->symbol);

  append_grouped (out, magnitude / scale, group);
  if (digits > 0)
    g_string_append_printf (out, "%c%0*" G_GUINT64_FORMAT, point, (int) digits,
                            magnitude % scale);

  if (style == NULL)
    g_string_append_printf (out, " %s", code);
  else if (!style->prefix)
    g_string_append_printf (out, " %s", style->symbol);

  return g_string_free (out, FALSE);
}

char *
crm_format_date (const char *iso_date)
{
  g_autoptr (GDateTime) date_time = NULL;
  int year, month, day;

  if (!parse_iso_date (iso_date, &year, &month, &day))
    return NULL;

  date_time = g_date_time_new_utc (year, month, day, 0, 0, 0);
  return date_time != NULL ? format_date_time (date_time) : NULL;
}

char *
crm_format_timestamp_date (gint64 utc)
{
  g_autoptr (GDateTime) date_time = g_date_time_new_from_unix_local (utc);

  return date_time != NULL ? format_date_time (date_time) : NULL;
}

char *
crm_format_days_ago (int days)
{
  if (days < 0)
    return g_strdup (C_("last contact", "Never"));
  if (days == 0)
    return g_strdup (_("Today"));
  if (days == 1)
    return g_strdup (_("Yesterday"));

  /* Translators: how long ago the last interaction with a contact was. */
  return g_strdup_printf (ngettext ("%d day ago", "%d days ago", days), days);
}

int
crm_format_age (const char *iso_birthday,
                GDateTime  *today)
{
  int year, month, day;
  int age;

  g_return_val_if_fail (today != NULL, -1);

  if (!parse_iso_date (iso_birthday, &year, &month, &day))
    return -1;

  age = g_date_time_get_year (today) - year;
  if (g_date_time_get_month (today) < month
      || (g_date_time_get_month (today) == month && g_date_time_get_day_of_month (today) < day))
    age--;

  return age >= 0 ? age : -1;
}

char *
crm_format_stars (int satisfaction)
{
  GString *out;

  if (satisfaction < 1 || satisfaction > 5)
    return NULL;

  out = g_string_new (NULL);
  for (int i = 1; i <= 5; i++)
    g_string_append (out, i <= satisfaction ? "★" : "☆");

  return g_string_free (out, FALSE);
}

typedef struct
{
  const char *key;
  const char *context;
  const char *name;
} KeyName;

static const char *
translate_key (const KeyName *names,
               gsize          n_names,
               const char    *key)
{
  if (key == NULL)
    return NULL;

  for (gsize i = 0; i < n_names; i++)
    {
      if (g_ascii_strcasecmp (names[i].key, key) == 0)
        return names[i].context != NULL ? g_dpgettext2 (NULL, names[i].context, names[i].name)
                                         : _(names[i].name);
    }

  return key;
}

const char *
crm_format_interaction_kind (const char *kind)
{
  static const KeyName names[] = {
    { "call", NULL, N_("Call") },
    { "email", NULL, N_("Email") },
    { "meeting", NULL, N_("Meeting") },
    { "note", NULL, N_("Note") },
    { "message", NULL, N_("Message") },
    { "purchase", NULL, N_("Purchase") },
    { "feedback", NULL, N_("Feedback") },
    { "complaint", NULL, N_("Complaint") },
    { "support", NULL, N_("Support request") },
    { "survey", NULL, N_("Survey answer") },
    { "visit", NULL, N_("Visit") },
  };

  return translate_key (names, G_N_ELEMENTS (names), kind);
}

const char *
crm_format_channel (const char *channel)
{
  static const KeyName names[] = {
    { "phone", NULL, N_("Phone") },
    { "email", NULL, N_("Email") },
    { "zalo", NULL, "Zalo" },
    { "sms", NULL, "SMS" },
    { "facebook", NULL, "Facebook" },
    { "in_person", NULL, N_("In person") },
  };

  return translate_key (names, G_N_ELEMENTS (names), channel);
}

const char *
crm_format_gender (const char *gender)
{
  static const KeyName names[] = {
    { "female", NULL, N_("Female") },
    { "male", NULL, N_("Male") },
    { "other", "gender", NC_("gender", "Other") },
  };

  return translate_key (names, G_N_ELEMENTS (names), gender);
}

const char *
crm_format_sentiment (const char *sentiment)
{
  static const KeyName names[] = {
    { "positive", NULL, N_("Positive") },
    { "neutral", NULL, N_("Neutral") },
    { "negative", NULL, N_("Negative") },
  };

  return translate_key (names, G_N_ELEMENTS (names), sentiment);
}

const char *
crm_format_detail_label (const char *label)
{
  static const KeyName names[] = {
    { "home", "contact detail", NC_("contact detail", "Home") },
    { "work", "contact detail", NC_("contact detail", "Work") },
    { "mobile", "contact detail", NC_("contact detail", "Mobile") },
    { "personal", "contact detail", NC_("contact detail", "Personal") },
    { "main", "contact detail", NC_("contact detail", "Main") },
    { "fax", "contact detail", NC_("contact detail", "Fax") },
    { "other", "contact detail", NC_("contact detail", "Other") },
    { "billing", "contact detail", NC_("contact detail", "Billing") },
    { "shipping", "contact detail", NC_("contact detail", "Shipping") },
  };

  if (crm_text_is_blank (label))
    return NULL;

  return translate_key (names, G_N_ELEMENTS (names), label);
}

const char *
crm_format_deal_status (const char *status)
{
  static const KeyName names[] = {
    { "open", "deal", NC_("deal", "Open") },
    { "won", "deal", NC_("deal", "Won") },
    { "lost", "deal", NC_("deal", "Lost") },
  };

  return translate_key (names, G_N_ELEMENTS (names), status);
}

static char *
choice_label (const char *options,
              const char *value)
{
  g_autoptr (JsonNode) root = NULL;
  JsonArray *array;

  if (options == NULL)
    return NULL;

  root = json_from_string (options, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return NULL;

  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *option = json_array_get_element (array, i);
      JsonObject *object;
      const char *label;

      if (!JSON_NODE_HOLDS_OBJECT (option))
        continue;

      object = json_node_get_object (option);
      label = json_object_get_string_member_with_default (object, "label", NULL);
      if (label != NULL
          && g_strcmp0 (json_object_get_string_member_with_default (object, "key", NULL),
                        value) == 0)
        return g_strdup (label);
    }

  return NULL;
}

char *
crm_format_custom_value (const char *type,
                         const char *options,
                         const char *value)
{
  char *text = NULL;

  if (crm_text_is_blank (value))
    return NULL;

  if (g_strcmp0 (type, "bool") == 0)
    {
      if (g_str_equal (value, "1"))
        return g_strdup (_("Yes"));
      if (g_str_equal (value, "0"))
        return g_strdup (_("No"));
    }
  else if (g_strcmp0 (type, "date") == 0)
    text = crm_format_date (value);
  else if (g_strcmp0 (type, "choice") == 0)
    text = choice_label (options, value);

  return text != NULL ? text : g_strdup (value);
}

char *
crm_format_file_name (const char *name,
                      const char *fallback,
                      const char *extension)
{
  g_autofree char *folded = name != NULL ? crm_fold (name) : NULL;
  g_autoptr (GString) out = g_string_new (NULL);

  g_return_val_if_fail (fallback != NULL, NULL);
  g_return_val_if_fail (extension != NULL, NULL);

  for (const char *p = folded; p != NULL && *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (out, g_ascii_tolower (*p));
      else if (out->len > 0 && out->str[out->len - 1] != '-')
        g_string_append_c (out, '-');
    }

  while (out->len > 0 && out->str[out->len - 1] == '-')
    g_string_truncate (out, out->len - 1);
  if (out->len == 0)
    g_string_append (out, fallback);

  g_string_append_printf (out, ".%s", extension);
  return g_string_free (g_steal_pointer (&out), FALSE);
}
