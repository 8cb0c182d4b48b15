/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-normalize"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "crm-normalize.h"

G_DEFINE_QUARK (crm-normalize-error-quark, crm_normalize_error)

/* Mobile prefixes in use (the two digits after +84 or the 0), 2025:
 * Viettel 32–39, 86, 96–98; Vinaphone 81–85, 88, 91, 94; MobiFone 70,
 * 76–79, 89, 90, 93; Vietnamobile 52, 56, 58, 92; Reddi 55; Itelecom 87;
 * Gmobile 59, 99. */
static const char *const mobile_prefixes[] = {
  "32", "33", "34", "35", "36", "37", "38", "39",
  "52", "55", "56", "58", "59",
  "70", "76", "77", "78", "79",
  "81", "82", "83", "84", "85", "86", "87", "88", "89",
  "90", "91", "92", "93", "94", "96", "97", "98", "99",
};

/* The 2018 move of 11-digit mobile numbers to 10 digits: the old prefix
 * after the 0 and the new one that replaced it, subscriber digits unchanged. */
static const struct
{
  const char *old_prefix;
  const char *new_prefix;
} renumbered[] = {
  { "162", "32" }, { "163", "33" }, { "164", "34" }, { "165", "35" },
  { "166", "36" }, { "167", "37" }, { "168", "38" }, { "169", "39" },
  { "120", "70" }, { "121", "79" }, { "122", "77" }, { "126", "76" }, { "128", "78" },
  { "123", "83" }, { "124", "84" }, { "125", "85" }, { "127", "81" }, { "129", "82" },
  { "186", "56" }, { "188", "58" },
  { "199", "59" },
};

/* Landline area codes since 2017 (Circular 15/2017/TT-BTTTT) after the 0:
 * Hà Nội 24 and Thành phố Hồ Chí Minh 28 have two digits, every other
 * province three. The provinces merged in 2025 kept their codes. */
static const char *const area_codes[] = {
  "24", "28",
  "203", "204", "205", "206", "207", "208", "209", "210", "211", "212", "213", "214",
  "215", "216", "218", "219", "220", "221", "222", "225", "226", "227", "228", "229",
  "232", "233", "234", "235", "236", "237", "238", "239",
  "251", "252", "254", "255", "256", "257", "258", "259",
  "260", "261", "262", "263", "269",
  "270", "271", "272", "273", "274", "275", "276", "277",
  "290", "291", "292", "293", "294", "296", "297", "299",
};

static const guint tax_weights[] = { 31, 29, 23, 19, 17, 13, 7, 5, 3 };

/* Words that join a family name and stay as typed after the first word
 * ("Ludwig van Beethoven", "Jean de La Fontaine"). */
static const char *const name_particles[] = {
  "al", "bin", "da", "das", "de", "del", "della", "den", "der", "di", "do", "dos", "du",
  "la", "le", "ten", "ter", "van", "von",
};

static gboolean
is_space (gunichar c)
{
  /* Zero-width space and BOM arrive with text copied from web pages. */
  return g_unichar_isspace (c) || c == 0x200B || c == 0xFEFF;
}

static gboolean
is_dash (gunichar c)
{
  return c == '-' || c == 0x2212 || g_unichar_type (c) == G_UNICODE_DASH_PUNCTUATION;
}

static gboolean
all_digits (const char *text)
{
  if (*text == '\0')
    return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
    }

  return TRUE;
}

/* Valid UTF-8 in the normalisation form given, without the white space
 * around it; NULL becomes "". */
static char *
prepare (const char     *text,
         GNormalizeMode  mode)
{
  g_autofree char *valid = NULL;
  g_autofree char *normal = NULL;
  const char *start;
  const char *end;

  if (text == NULL)
    return g_strdup ("");

  valid = g_utf8_make_valid (text, -1);
  normal = g_utf8_normalize (valid, -1, mode);

  start = normal;
  while (*start != '\0' && is_space (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);

  end = start + strlen (start);
  while (end > start)
    {
      const char *prev = g_utf8_prev_char (end);

      if (!is_space (g_utf8_get_char (prev)))
        break;
      end = prev;
    }

  return g_strndup (start, (gsize) (end - start));
}

/* The value as an error message quotes it: on one line and not endless. */
static char *
quote (const char *text)
{
  GString *out = g_string_new (NULL);
  const char *p = text;

  for (guint n = 0; *p != '\0' && n < 40; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029)
        g_string_append_c (out, ' ');
      else
        g_string_append_unichar (out, c);
    }
  if (*p != '\0')
    g_string_append (out, "…");

  return g_string_free (out, FALSE);
}

/* One character of @p, for a message that names it. */
static char *
quote_char (const char *p)
{
  char buf[8] = { 0 };

  g_unichar_to_utf8 (g_utf8_get_char (p), buf);
  return quote (buf);
}

/* Names */

static gboolean
is_name_separator (gunichar c)
{
  return c == '-' || c == 0x2010 || c == '\'' || c == 0x2019 || c == '.';
}

static gboolean
is_particle (const char *word)
{
  for (gsize i = 0; i < G_N_ELEMENTS (name_particles); i++)
    {
      if (g_str_equal (word, name_particles[i]))
        return TRUE;
    }

  return FALSE;
}

/* One part of a name (between spaces, hyphens, apostrophes and dots): "đức"
 * and "ĐỨC" become "Đức"; mixed case with inner capitals ("McDonald") stays
 * as typed, except the caps-lock accident "nGUYỄN". */
static void
append_name_part (GString    *out,
                  const char *start,
                  const char *end)
{
  gboolean upper = FALSE;
  gboolean lower = FALSE;
  gboolean inverted = TRUE;
  gboolean first = TRUE;

  for (const char *p = start; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isalpha (c))
        continue;
      if (g_unichar_isupper (c) || g_unichar_istitle (c))
        {
          upper = TRUE;
          if (first)
            inverted = FALSE;
        }
      else if (g_unichar_islower (c))
        {
          lower = TRUE;
          if (!first)
            inverted = FALSE;
        }
      first = FALSE;
    }

  if (upper && lower && !inverted)
    {
      g_string_append_len (out, start, end - start);
      return;
    }

  first = TRUE;
  for (const char *p = start; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (first && g_unichar_isalpha (c))
        {
          g_string_append_unichar (out, g_unichar_totitle (c));
          first = FALSE;
        }
      else
        {
          g_string_append_unichar (out, g_unichar_tolower (c));
        }
    }
}

static void
append_name_word (GString    *out,
                  const char *word)
{
  const char *start = word;
  const char *p;

  for (p = word; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_name_separator (c))
        {
          const char *next = g_utf8_next_char (p);

          append_name_part (out, start, p);
          g_string_append_len (out, p, next - p);
          start = next;
        }
    }
  append_name_part (out, start, p);
}

static gboolean
has_case (const char *text,
          gboolean    want_upper)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (want_upper ? (g_unichar_isupper (c) || g_unichar_istitle (c)) : g_unichar_islower (c))
        return TRUE;
    }

  return FALSE;
}

/**
 * crm_normalize_name:
 * @text: (nullable): a person's name as typed
 *
 * Collapses white space and recases each word that was typed all in lower
 * or all in upper case: its first letter to title case, the rest to lower
 * case, each part of a hyphenated or apostrophed word on its own ("o'brien"
 * → "O'Brien", "jean-pierre" → "Jean-Pierre"). Words with inner capitals
 * ("McDonald", "DeVito") stay as typed. When the name is typed in mixed
 * case, lower-case particles after the first word ("van", "de") stay lower.
 *
 * Returns: (transfer full): the name in NFC, "" for an empty one
 */
char *
crm_normalize_name (const char *text)
{
  g_autofree char *value = prepare (text, G_NORMALIZE_NFC);
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (GPtrArray) words = g_ptr_array_new ();
  gboolean mixed = has_case (value, TRUE) && has_case (value, FALSE);
  char *p = value;

  /* Split in place at runs of white space. */
  while (*p != '\0')
    {
      char *start;

      while (*p != '\0' && is_space (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      if (*p == '\0')
        break;

      start = p;
      while (*p != '\0' && !is_space (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      if (*p != '\0')
        {
          char *next = g_utf8_next_char (p);

          memset (p, '\0', (gsize) (next - p));
          p = next;
        }
      g_ptr_array_add (words, start);
    }

  for (guint i = 0; i < words->len; i++)
    {
      const char *word = g_ptr_array_index (words, i);

      if (i > 0)
        g_string_append_c (out, ' ');

      if (mixed && i > 0 && i + 1 < words->len && is_particle (word))
        g_string_append (out, word);
      else
        append_name_word (out, word);
    }

  return g_utf8_normalize (out->str, -1, G_NORMALIZE_NFC);
}

/* Phone numbers */

static gboolean
is_mobile_prefix (const char *nsn)
{
  for (gsize i = 0; i < G_N_ELEMENTS (mobile_prefixes); i++)
    {
      if (strncmp (nsn, mobile_prefixes[i], 2) == 0)
        return TRUE;
    }

  return FALSE;
}

/* The length of the area code that @nsn (a national number starting with 2)
 * begins with, or 0 when it is not one in use. */
static gsize
area_code_length (const char *nsn)
{
  for (gsize i = 0; i < G_N_ELEMENTS (area_codes); i++)
    {
      if (g_str_has_prefix (nsn, area_codes[i]))
        return strlen (area_codes[i]);
    }

  return 0;
}

static const char *
renumbered_prefix (const char *nsn)
{
  for (gsize i = 0; i < G_N_ELEMENTS (renumbered); i++)
    {
      if (strncmp (nsn, renumbered[i].old_prefix, 3) == 0)
        return renumbered[i].new_prefix;
    }

  return NULL;
}

static gboolean
is_service_number (const char *nsn)
{
  return g_str_has_prefix (nsn, "1800") || g_str_has_prefix (nsn, "1900");
}

/* A marker of an extension ("ext 12", "x12", "#12", "máy lẻ 12") at @p,
 * right after the digits of a number. */
static gboolean
is_extension (const char *p)
{
  static const char *const markers[] = {
    "extension", "extn", "ext", "x", "#", "máy lẻ", "nhánh",
  };
  g_autofree char *rest = g_utf8_strdown (p, -1);

  for (gsize i = 0; i < G_N_ELEMENTS (markers); i++)
    {
      const char *q = rest;
      gboolean digits = FALSE;

      if (!g_str_has_prefix (rest, markers[i]))
        continue;

      q += strlen (markers[i]);
      while (*q == '.' || *q == ':' || *q == ' ')
        q++;
      for (; *q != '\0'; q++)
        {
          if (g_ascii_isdigit (*q))
            digits = TRUE;
          else if (*q != ' ' && *q != '-')
            break;
        }
      if (digits && *q == '\0')
        return TRUE;
    }

  return FALSE;
}

/* Another number after "/", "," or ";" ("0903 123 456 / 0912 345 678"). */
static gboolean
is_second_number (const char *p)
{
  guint digits = 0;

  if (*p != '/' && *p != ',' && *p != ';' && *p != '|')
    return FALSE;

  for (p++; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        digits++;
    }

  return digits >= 7;
}

/* Sets @error to a translated message; returns NULL for the callers' convenience. */
static char *
fail (GError     **error,
      const char  *format,
      ...) G_GNUC_PRINTF (2, 3);

static char *
fail (GError     **error,
      const char  *format,
      ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (CRM_NORMALIZE_ERROR, CRM_NORMALIZE_ERROR_INVALID,
                                                format, args));
  va_end (args);

  return NULL;
}

static char *
foreign_number (const char  *quoted,
                const char  *digits,
                GError     **error)
{
  gsize length = strlen (digits);

  if (digits[0] == '0' || length == 0)
    return fail (error, _("The phone number “%s” has no valid country code"), quoted);
  if (length < 8)
    return fail (error, _("The international number “%s” is too short"), quoted);
  if (length > 15)
    return fail (error, _("The international number “%s” has more than 15 digits"),
                 quoted);

  return g_strconcat ("+", digits, NULL);
}

/* @nsn: the Vietnamese national number, without +84 or the trunk 0. */
static char *
vietnamese_number (const char  *quoted,
                   const char  *nsn,
                   GError     **error)
{
  gsize length = strlen (nsn);
  char prefix[6] = { 0 };

  if (length < 2)
    return fail (error, _("The phone number “%s” is too short"), quoted);

  if (is_service_number (nsn))
    {
      if (length < 8 || length > 10)
        return fail (error,
                     _("The phone number “%s” has the wrong number of digits for a "
                       "1800 or 1900 number"),
                     quoted);
      return g_strconcat ("+84", nsn, NULL);
    }

  switch (nsn[0])
    {
    case '2':
      {
        gsize code = area_code_length (nsn);

        if (code == 0)
          {
            if (length < 3)
              return fail (error, _("The phone number “%s” is too short"), quoted);
            g_snprintf (prefix, sizeof prefix, "0%.3s", nsn);
            return fail (error,
                         _("The phone number “%s” has the area code %s, which is not in "
                           "use in Vietnam"),
                         quoted, prefix);
          }
        if (length < 10)
          return fail (error,
                       _("The phone number “%s” has too few digits for a Vietnamese "
                         "landline (11 with the 0)"),
                       quoted);
        if (length > 10)
          return fail (error,
                       _("The phone number “%s” has too many digits for a Vietnamese "
                         "landline (11 with the 0)"),
                       quoted);
        return g_strconcat ("+84", nsn, NULL);
      }

    case '1':
      {
        const char *new_prefix = length >= 3 ? renumbered_prefix (nsn) : NULL;

        if (new_prefix == NULL)
          {
            g_snprintf (prefix, sizeof prefix, "0%.3s", nsn);
            return fail (error,
                         _("The phone number “%s” starts with %s, which is not a "
                           "Vietnamese mobile prefix"),
                         quoted, prefix);
          }
        if (length != 10)
          return fail (error,
                       _("The phone number “%s” has the wrong number of digits for an "
                         "old 11-digit mobile number"),
                       quoted);
        return g_strconcat ("+84", new_prefix, nsn + 3, NULL);
      }

    case '4':
      /* Hà Nội before 2017: 04 and eight digits; 04x is no mobile prefix. */
      if (length != 9)
        return fail (error,
                     _("The phone number “%s” has the wrong number of digits for an old "
                       "Hà Nội number (04 and 8 digits)"),
                     quoted);
      return g_strconcat ("+8424", nsn + 1, NULL);

    default:
      if (!is_mobile_prefix (nsn))
        {
          g_snprintf (prefix, sizeof prefix, "0%.2s", nsn);
          return fail (error,
                       _("The phone number “%s” starts with %s, which is not a "
                         "Vietnamese mobile prefix or area code"),
                       quoted, prefix);
        }
      if (length < 9)
        return fail (error,
                     _("The phone number “%s” has too few digits for a Vietnamese mobile "
                       "number (10 with the 0)"),
                     quoted);
      if (length > 9)
        return fail (error,
                     _("The phone number “%s” has too many digits for a Vietnamese "
                       "mobile number (10 with the 0)"),
                     quoted);
      return g_strconcat ("+84", nsn, NULL);
    }
}

/**
 * crm_normalize_phone:
 * @text: (nullable): a phone number as typed
 * @error: return location for a #CRM_NORMALIZE_ERROR
 *
 * Reads a number written with spaces, dots, dashes and parentheses, with
 * +84, 0084, 84 or the trunk 0 (or with the 0 lost, as spreadsheets drop it),
 * and returns it in E.164. Vietnamese numbers are checked against the mobile
 * prefixes and area codes in use; 11-digit mobiles are moved to their 2018
 * prefix (0168 → 038), Hà Nội's pre-2017 04 to 024. A 10-digit number that
 * starts with 08 is a mobile, never HCMC's old 08 landline code, since 081–089
 * are mobile prefixes now. The 1800 (toll-free) and 1900 (premium) numbers
 * of four to six more digits are kept as +841800… and +841900…. A + followed
 * by another country code is kept as it is once it has 8 to 15 digits.
 * Extensions are refused.
 *
 * Returns: (transfer full) (nullable): the E.164 number, or %NULL with @error set
 */
char *
crm_normalize_phone (const char  *text,
                     GError     **error)
{
  g_autofree char *value = prepare (text, G_NORMALIZE_NFKC);
  g_autofree char *quoted = quote (value);
  g_autoptr (GString) digits = g_string_new (NULL);
  gboolean plus = FALSE;
  gboolean country_code = FALSE;
  const char *d;
  const char *nsn;

  if (*value == '\0')
    {
      g_set_error_literal (error, CRM_NORMALIZE_ERROR, CRM_NORMALIZE_ERROR_EMPTY,
                           _("The phone number is empty"));
      return NULL;
    }

  for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= '0' && c <= '9')
        {
          g_string_append_c (digits, (char) c);
        }
      else if (c == '+')
        {
          if (plus || digits->len > 0)
            return fail (error, _("The phone number “%s” has a “+” in the wrong place"),
                         quoted);
          plus = TRUE;
        }
      else if (is_space (c) || is_dash (c) || c == '.' || c == '(' || c == ')')
        {
          continue;
        }
      else if (digits->len > 0 && is_extension (p))
        {
          return fail (error,
                       _("The phone number “%s” has an extension; enter the number "
                         "without it"),
                       quoted);
        }
      else if (digits->len > 0 && is_second_number (p))
        {
          return fail (error,
                       _("The phone number “%s” holds more than one number; enter them "
                         "one at a time"),
                       quoted);
        }
      else if (g_unichar_isalpha (c))
        {
          return fail (error, _("The phone number “%s” contains letters"), quoted);
        }
      else
        {
          g_autofree char *what = quote_char (p);

          return fail (error,
                       _("The phone number “%s” contains “%s”, which does not belong in "
                         "a phone number"),
                       quoted, what);
        }
    }

  if (digits->len == 0)
    return fail (error, _("The phone number “%s” has no digits"), quoted);

  d = digits->str;
  if (plus)
    {
      if (!g_str_has_prefix (d, "84"))
        return foreign_number (quoted, d, error);
      nsn = d + 2;
      country_code = TRUE;
    }
  else if (g_str_has_prefix (d, "00"))
    {
      if (!g_str_has_prefix (d, "0084"))
        return foreign_number (quoted, d + 2, error);
      nsn = d + 4;
      country_code = TRUE;
    }
  else if (d[0] == '0')
    {
      nsn = d + 1;
    }
  else if (g_str_has_prefix (d, "84") && (digits->len == 11 || digits->len == 12))
    {
      nsn = d + 2;
      country_code = TRUE;
    }
  else
    {
      /* The 0 lost, as a spreadsheet drops it from a number. */
      nsn = d;
    }

  /* "+84 (0) 903 …": the trunk 0 written after the country code. */
  if (country_code && nsn[0] == '0')
    nsn++;

  return vietnamese_number (quoted, nsn, error);
}

/**
 * crm_phone_format_national:
 * @e164: (nullable): a number as crm_normalize_phone() returns it
 *
 * Writes a Vietnamese number the way it is read out: mobiles "0903 123 456",
 * landlines by their area code ("024 3826 1234", "0236 382 2123"), service
 * numbers "1800 1234" or "1900 123 456". Foreign numbers stay "+" and digits
 * ("+14155550100"), and so does anything that is not a valid Vietnamese number.
 *
 * Returns: (transfer full) (nullable): the number to show, %NULL for %NULL
 */
char *
crm_phone_format_national (const char *e164)
{
  const char *nsn;
  gsize length;

  if (e164 == NULL || e164[0] != '+' || !all_digits (e164 + 1))
    return g_strdup (e164);

  /* Foreign numbers stay in E.164: that is how a Vietnamese office dials them. */
  if (!g_str_has_prefix (e164, "+84"))
    return g_strdup (e164);

  nsn = e164 + 3;
  length = strlen (nsn);

  if (is_service_number (nsn) && length >= 8 && length <= 10)
    {
      if (length == 10)
        return g_strdup_printf ("%.4s %.3s %.3s", nsn, nsn + 4, nsn + 7);
      return g_strdup_printf ("%.4s %s", nsn, nsn + 4);
    }

  if (length == 9 && nsn[0] != '2' && is_mobile_prefix (nsn))
    return g_strdup_printf ("0%.3s %.3s %.3s", nsn, nsn + 3, nsn + 6);

  if (length == 10 && nsn[0] == '2')
    {
      switch (area_code_length (nsn))
        {
        case 2:
          return g_strdup_printf ("0%.2s %.4s %.4s", nsn, nsn + 2, nsn + 6);
        case 3:
          return g_strdup_printf ("0%.3s %.3s %.4s", nsn, nsn + 3, nsn + 6);
        default:
          break;
        }
    }

  return g_strdup (e164);
}

/**
 * crm_phone_is_vietnamese_mobile:
 * @e164: (nullable): a number in E.164
 *
 * Returns: whether @e164 is a Vietnamese mobile number (one that can get
 *   SMS and Zalo messages)
 */
gboolean
crm_phone_is_vietnamese_mobile (const char *e164)
{
  return e164 != NULL
         && g_str_has_prefix (e164, "+84")
         && strlen (e164) == 12
         && all_digits (e164 + 3)
         && e164[3] != '2'
         && is_mobile_prefix (e164 + 3);
}

/* Email addresses */

static gboolean
is_atext (char c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

static gboolean
check_domain (const char  *domain,
              GError     **error)
{
  g_autofree char *quoted = quote (domain);
  g_auto (GStrv) labels = NULL;
  guint n_labels;
  const char *tld;

  if (strchr (domain, '.') == NULL)
    {
      fail (error, _("The domain “%s” has no dot, as in “example.com”"), quoted);
      return FALSE;
    }
  if (g_utf8_strlen (domain, -1) > 253)
    {
      fail (error, _("The domain “%s” is not valid"), quoted);
      return FALSE;
    }

  labels = g_strsplit (domain, ".", -1);
  n_labels = g_strv_length (labels);
  for (guint i = 0; i < n_labels; i++)
    {
      const char *label = labels[i];
      glong length = g_utf8_strlen (label, -1);

      if (length == 0 || length > 63 || label[0] == '-' || g_str_has_suffix (label, "-"))
        {
          fail (error, _("The domain “%s” is not valid"), quoted);
          return FALSE;
        }
      for (const char *p = label; *p != '\0'; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);

          if (c != '-' && !g_unichar_isalnum (c))
            {
              g_autofree char *what = quote_char (p);

              fail (error, _("The domain “%s” contains “%s”"), quoted, what);
              return FALSE;
            }
        }
    }

  tld = labels[n_labels - 1];
  if (g_str_has_prefix (tld, "xn--") && strlen (tld) > 4)
    return TRUE;
  if (g_utf8_strlen (tld, -1) >= 2)
    {
      gboolean letters = TRUE;

      for (const char *p = tld; *p != '\0'; p = g_utf8_next_char (p))
        letters = letters && g_unichar_isalpha (g_utf8_get_char (p));
      if (letters)
        return TRUE;
    }

  fail (error, _("The domain “%s” does not end in a top-level domain such as .vn or .com"),
        quoted);
  return FALSE;
}

/**
 * crm_normalize_email:
 * @text: (nullable): an email address as typed
 * @error: return location for a #CRM_NORMALIZE_ERROR
 *
 * Checks the address the way a mail client would before sending: one @, a
 * part before it of up to 64 letters, digits, dots (not first, last or two
 * in a row) and the other characters RFC 5322 allows unquoted; a domain of
 * dotted labels of letters, digits and hyphens ending in a top-level domain.
 * Domains with Vietnamese letters are accepted as typed. The part before
 * the @ is kept as typed, the domain is lowercased.
 *
 * Returns: (transfer full) (nullable): the address, or %NULL with @error set
 */
char *
crm_normalize_email (const char  *text,
                     GError     **error)
{
  g_autofree char *value = prepare (text, G_NORMALIZE_NFC);
  g_autofree char *quoted = quote (value);
  g_autofree char *local = NULL;
  g_autofree char *domain = NULL;
  const char *at;

  if (*value == '\0')
    {
      g_set_error_literal (error, CRM_NORMALIZE_ERROR, CRM_NORMALIZE_ERROR_EMPTY,
                           _("The email address is empty"));
      return NULL;
    }

  for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (is_space (g_utf8_get_char (p)))
        return fail (error, _("The email address “%s” contains a space"), quoted);
    }

  at = strchr (value, '@');
  if (at == NULL)
    return fail (error, _("The email address “%s” has no @"), quoted);
  if (strchr (at + 1, '@') != NULL)
    return fail (error, _("The email address “%s” has more than one @"), quoted);
  if (g_utf8_strlen (value, -1) > 254)
    return fail (error, _("The email address “%s” is longer than 254 characters"),
                 quoted);

  local = g_strndup (value, (gsize) (at - value));
  if (*local == '\0')
    return fail (error, _("The email address “%s” has nothing before the @"), quoted);
  for (const char *p = local; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (*p != '.' && !is_atext (*p))
        {
          g_autofree char *what = quote_char (p);

          return fail (error, _("The part before the @ in “%s” contains “%s”"),
                       quoted, what);
        }
    }
  if (strlen (local) > 64)
    return fail (error, _("The part before the @ in “%s” is longer than 64 characters"),
                 quoted);
  if (local[0] == '.' || g_str_has_suffix (local, "."))
    return fail (error, _("The part before the @ in “%s” starts or ends with a dot"),
                 quoted);
  if (strstr (local, "..") != NULL)
    return fail (error, _("The part before the @ in “%s” has two dots in a row"),
                 quoted);

  if (at[1] == '\0')
    return fail (error, _("The email address “%s” has nothing after the @"), quoted);
  domain = g_utf8_strdown (at + 1, -1);
  if (!check_domain (domain, error))
    return NULL;

  return g_strconcat (local, "@", domain, NULL);
}

/* Tax codes */

/**
 * crm_tax_code_check_digit:
 * @digits: at least nine ASCII digits
 *
 * The check digit of a mã số thuế: 10 minus the sum of the first nine
 * digits weighted 31 29 23 19 17 13 7 5 3, modulo 11.
 *
 * Returns: the check digit 0–9, or -1 when no code with these nine digits
 *   can be issued (the sum is a multiple of 11) or @digits is not nine digits
 */
int
crm_tax_code_check_digit (const char *digits)
{
  guint sum = 0;

  for (guint i = 0; i < G_N_ELEMENTS (tax_weights); i++)
    {
      if (!g_ascii_isdigit (digits[i]))
        return -1;
      sum += tax_weights[i] * (guint) (digits[i] - '0');
    }

  if (sum % 11 == 0)
    return -1;

  return (int) (10 - sum % 11);
}

/**
 * crm_normalize_tax_code:
 * @text: (nullable): a tax code as typed
 * @error: return location for a #CRM_NORMALIZE_ERROR
 *
 * Returns: (transfer full) (nullable): "0101234567" or "0101234567-001", or
 *   %NULL with @error set
 */
char *
crm_normalize_tax_code (const char  *text,
                        GError     **error)
{
  g_autofree char *value = prepare (text, G_NORMALIZE_NFKC);
  g_autofree char *quoted = quote (value);
  g_autoptr (GString) digits = g_string_new (NULL);
  gssize dash_at = -1;
  gboolean extra_dash = FALSE;

  if (*value == '\0')
    {
      g_set_error_literal (error, CRM_NORMALIZE_ERROR, CRM_NORMALIZE_ERROR_EMPTY,
                           _("The tax code is empty"));
      return NULL;
    }

  for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= '0' && c <= '9')
        {
          g_string_append_c (digits, (char) c);
        }
      else if (is_space (c))
        {
          continue;
        }
      else if (is_dash (c))
        {
          if (dash_at >= 0)
            extra_dash = TRUE;
          dash_at = (gssize) digits->len;
        }
      else if (g_unichar_isalpha (c))
        {
          return fail (error, _("The tax code “%s” contains letters"), quoted);
        }
      else
        {
          g_autofree char *what = quote_char (p);

          return fail (error, _("The tax code “%s” contains “%s”"), quoted, what);
        }
    }

  if (digits->len < 10)
    return fail (error,
                 _("The tax code “%s” is too short: a tax code has 10 digits, or 13 for a "
                   "branch"),
                 quoted);
  if (digits->len > 13)
    return fail (error,
                 _("The tax code “%s” is too long: a tax code has 10 digits, or 13 for a "
                   "branch"),
                 quoted);
  if (digits->len != 10 && digits->len != 13)
    return fail (error,
                 _("The tax code “%s” has the wrong number of digits: a tax code has 10, or "
                   "13 for a branch"),
                 quoted);
  if (dash_at >= 0 && (extra_dash || dash_at != 10 || digits->len != 13))
    return fail (error,
                 _("The tax code “%s” has a dash in the wrong place; write it as "
                   "0101234567-001"),
                 quoted);
  if (crm_tax_code_check_digit (digits->str) != digits->str[9] - '0')
    return fail (error,
                 _("The tax code “%s” is not valid: its check digit does not match"),
                 quoted);

  if (digits->len == 10)
    return g_string_free (g_steal_pointer (&digits), FALSE);

  if (g_str_equal (digits->str + 10, "000"))
    return fail (error, _("The branch number of tax code “%s” cannot be 000"),
                 quoted);

  return g_strdup_printf ("%.10s-%s", digits->str, digits->str + 10);
}
