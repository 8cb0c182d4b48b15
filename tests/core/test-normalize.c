/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "crm-demo.h"
#include "crm-key.h"
#include "crm-normalize.h"
#include "crm-store.h"
#include "crm-test-util.h"

/* One input and what comes out: the normalised value, or NULL and the error
 * code with a piece of the message that says what is wrong. */
typedef struct
{
  const char *input;
  const char *expected;
  int         code;
  const char *message_part;
} Case;

#define EMPTY   CRM_NORMALIZE_ERROR_EMPTY
#define INVALID CRM_NORMALIZE_ERROR_INVALID

static char *
escaped (const char *text)
{
  /* The C locale prints "?" for what is not ASCII. */
  return text != NULL ? g_strescape (text, NULL) : g_strdup ("(null)");
}

static void
assert_error_message (const GError *error,
                      int           code,
                      const char   *message_part)
{
  g_assert_error (error, CRM_NORMALIZE_ERROR, code);
  g_assert_nonnull (error->message);
  g_assert_cmpuint (strlen (error->message), >, 0);
  g_assert_null (strchr (error->message, '\n'));
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  if (message_part != NULL && strstr (error->message, message_part) == NULL)
    g_error ("message \"%s\" lacks \"%s\"", error->message, message_part);
}

typedef char *(*NormalizeFunc) (const char  *text,
                                GError     **error);

static void
check_cases (NormalizeFunc  func,
             const Case    *cases,
             gsize          n_cases)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *result = func (cases[i].input, &error);
      g_autofree char *input = escaped (cases[i].input);

      g_test_message ("input \"%s\"", input);
      if (cases[i].expected != NULL)
        {
          g_assert_no_error (error);
          g_assert_cmpstr (result, ==, cases[i].expected);
        }
      else
        {
          g_assert_null (result);
          assert_error_message (error, cases[i].code, cases[i].message_part);
        }
    }
}

/* Phone numbers */

static const Case phone_cases[] = {
  /* Mobiles, written every way an office writes them. */
  { "0903 123 456", "+84903123456" },
  { "0903.123.456", "+84903123456" },
  { "0903-123-456", "+84903123456" },
  { "(090) 312 3456", "+84903123456" },
  { "+84 903 123 456", "+84903123456" },
  { "+84903123456", "+84903123456" },
  { "0084 903 123 456", "+84903123456" },
  { "84903123456", "+84903123456" },
  { "+84 (0) 903 123 456", "+84903123456" },
  { "(+84) 903-123-456", "+84903123456" },
  { "903123456", "+84903123456" },
  { "  0912 345 678\t", "+84912345678" },
  { "0903\u00a0123\u00a0456", "+84903123456" },
  { "0903\u2013123\u2013456", "+84903123456" },
  { "\uff10\uff19\uff10\uff13\uff11\uff12\uff13\uff14\uff15\uff16", "+84903123456" },
  { "0321 234 567", "+84321234567" },
  { "0523 456 789", "+84523456789" },
  { "0559 123 456", "+84559123456" },
  { "0587 654 321", "+84587654321" },
  { "0599 000 111", "+84599000111" },
  { "0703 111 222", "+84703111222" },
  { "0878 123 456", "+84878123456" },
  { "0921 222 333", "+84921222333" },
  { "0993 444 555", "+84993444555" },
  /* Every prefix the 2018 renumbering moved. */
  { "0162 345 6789", "+84323456789" },
  { "0163 345 6789", "+84333456789" },
  { "0164 345 6789", "+84343456789" },
  { "0165 345 6789", "+84353456789" },
  { "0166 345 6789", "+84363456789" },
  { "0167 345 6789", "+84373456789" },
  { "01683.456.789", "+84383456789" },
  { "0169 345 6789", "+84393456789" },
  { "0120 345 6789", "+84703456789" },
  { "0121 345 6789", "+84793456789" },
  { "0122 345 6789", "+84773456789" },
  { "0126 345 6789", "+84763456789" },
  { "0128 345 6789", "+84783456789" },
  { "0123 345 6789", "+84833456789" },
  { "0124 345 6789", "+84843456789" },
  { "0125 345 6789", "+84853456789" },
  { "0127 345 6789", "+84813456789" },
  { "0129 345 6789", "+84823456789" },
  { "0186 345 6789", "+84563456789" },
  { "0188 345 6789", "+84583456789" },
  { "0199 345 6789", "+84593456789" },
  { "+84 162 345 6789", "+84323456789" },
  { "0084 1683 456 789", "+84383456789" },
  { "841683456789", "+84383456789" },
  /* Landlines since 2017, and Hà Nội's old 04. */
  { "024 3826 1234", "+842438261234" },
  { "(028) 3822 1234", "+842838221234" },
  { "+84 28 3822 1234", "+842838221234" },
  { "0236 382 2123", "+842363822123" },
  { "0225.3842.123", "+842253842123" },
  { "0203 382 5123", "+842033825123" },
  { "0299 382 1234", "+842993821234" },
  { "2438261234", "+842438261234" },
  { "04 3826 1234", "+842438261234" },
  { "(04) 3826-1234", "+842438261234" },
  /* Toll-free and premium service numbers. */
  { "1800 1234", "+8418001234" },
  { "1900 123 456", "+841900123456" },
  { "1800 599 920", "+841800599920" },
  /* Foreign numbers. */
  { "+1 (415) 555-0100", "+14155550100" },
  { "+44 20 7946 0958", "+442079460958" },
  { "0065 6123 4567", "+6561234567" },
  { "+86 138 0013 8000", "+8613800138000" },
  /* Errors. */
  { NULL, NULL, EMPTY, "empty" },
  { "", NULL, EMPTY, "empty" },
  { "  \t ", NULL, EMPTY, "empty" },
  { "0903 ABC 456", NULL, INVALID, "contains letters" },
  { "Tel 0903123456", NULL, INVALID, "contains letters" },
  { "0903 123", NULL, INVALID, "too few digits" },
  { "0", NULL, INVALID, "too short" },
  { "03 1234 567", NULL, INVALID, "031, which is not a Vietnamese mobile prefix" },
  { "0903 123 4567", NULL, INVALID, "too many digits" },
  { "024 3826 123", NULL, INVALID, "too few digits for a Vietnamese landline" },
  { "024 3826 12345", NULL, INVALID, "too many digits for a Vietnamese landline" },
  { "0217 382 1234", NULL, INVALID, "area code 0217" },
  { "0231 382 1234", NULL, INVALID, "area code 0231" },
  { "031 234 5678", NULL, INVALID, "031" },
  { "0612 345 678", NULL, INVALID, "061" },
  { "0951 234 567", NULL, INVALID, "095" },
  { "0130 123 4567", NULL, INVALID, "0130" },
  { "0162 345 678", NULL, INVALID, "old 11-digit" },
  { "04 3826 123", NULL, INVALID, "old Hà Nội" },
  { "1800 12", NULL, INVALID, "1800 or 1900" },
  { "0903 123 456 ext 12", NULL, INVALID, "extension" },
  { "0903123456 x12", NULL, INVALID, "extension" },
  { "0903 123 456 #12", NULL, INVALID, "extension" },
  { "0903 123 456 máy lẻ 12", NULL, INVALID, "extension" },
  { "0903 123 456 / 0912 345 678", NULL, INVALID, "more than one number" },
  { "09+03 123 456", NULL, INVALID, "“+”" },
  { "0903*123*456", NULL, INVALID, "“*”" },
  { "+", NULL, INVALID, "no digits" },
  { "+1 234", NULL, INVALID, "too short" },
  { "+1234 5678 9012 3456", NULL, INVALID, "more than 15 digits" },
  { "+0 123 456 789", NULL, INVALID, "country code" },
};

static void
test_phone_table (void)
{
  gsize valid = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (phone_cases); i++)
    valid += phone_cases[i].expected != NULL;
  g_assert_cmpuint (valid, >=, 45);

  check_cases (crm_normalize_phone, phone_cases, G_N_ELEMENTS (phone_cases));
}

/* The message quotes what the user typed, on one line and not endlessly. */
static void
test_phone_error_quotes (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) longer = g_string_new ("0903 123 456 ");
  g_autofree char *result = crm_normalize_phone ("0903\n123 ABC", &error);

  g_assert_null (result);
  assert_error_message (error, INVALID, "“0903 123 ABC”");
  g_clear_error (&error);

  for (guint i = 0; i < 50; i++)
    g_string_append (longer, "abc ");
  result = crm_normalize_phone (longer->str, &error);
  g_assert_null (result);
  assert_error_message (error, INVALID, "…”");
  g_assert_cmpuint (g_utf8_strlen (error->message, -1), <, 120);
  g_clear_error (&error);

  /* Invalid UTF-8 is an error, not a crash. */
  result = crm_normalize_phone ("0903 \xff\xfe 123", &error);
  g_assert_null (result);
  assert_error_message (error, INVALID, NULL);
}

static const struct
{
  const char *e164;
  const char *national;
} formats[] = {
  { "+84903123456", "0903 123 456" },
  { "+84323456789", "0323 456 789" },
  { "+84599000111", "0599 000 111" },
  { "+842438261234", "024 3826 1234" },
  { "+842838221234", "028 3822 1234" },
  { "+842363822123", "0236 382 2123" },
  { "+842033825123", "0203 382 5123" },
  { "+8418001234", "1800 1234" },
  { "+841900123456", "1900 123 456" },
  { "+14155550100", "+14155550100" },
  { "+442079460958", "+442079460958" },
  { "+6561234567", "+6561234567" },
  /* Not what crm_normalize_phone() returns: shown as it is. */
  { "abc", "abc" },
  { "", "" },
  { "+", "+" },
  { "0903123456", "0903123456" },
  { "+84 903 123 456", "+84 903 123 456" },
  { "+8490312345", "+8490312345" },
  { "+84951234567", "+84951234567" },
  { "+842171234567", "+842171234567" },
  { "+84903123456x", "+84903123456x" },
};

static void
test_phone_format_national (void)
{
  g_assert_null (crm_phone_format_national (NULL));

  for (gsize i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *national = crm_phone_format_national (formats[i].e164);

      g_assert_cmpstr (national, ==, formats[i].national);
    }
}

/* Every valid number of the table, written nationally, reads back the same. */
static void
test_phone_round_trip (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (phone_cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *national = NULL;
      g_autofree char *again = NULL;

      if (phone_cases[i].expected == NULL)
        continue;

      national = crm_phone_format_national (phone_cases[i].expected);
      g_assert_nonnull (national);
      if (g_str_has_prefix (phone_cases[i].expected, "+84"))
        {
          g_assert_false (g_str_has_prefix (national, "+"));
          g_assert_cmpstr (national, !=, phone_cases[i].expected);
        }
      again = crm_normalize_phone (national, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (again, ==, phone_cases[i].expected);
    }
}

static void
test_phone_is_vietnamese_mobile (void)
{
  g_assert_true (crm_phone_is_vietnamese_mobile ("+84903123456"));
  g_assert_true (crm_phone_is_vietnamese_mobile ("+84323456789"));
  g_assert_true (crm_phone_is_vietnamese_mobile ("+84599000111"));
  g_assert_false (crm_phone_is_vietnamese_mobile ("+842438261234"));
  g_assert_false (crm_phone_is_vietnamese_mobile ("+8418001234"));
  g_assert_false (crm_phone_is_vietnamese_mobile ("+84951234567"));
  g_assert_false (crm_phone_is_vietnamese_mobile ("+8490312345"));
  g_assert_false (crm_phone_is_vietnamese_mobile ("+849031234567"));
  g_assert_false (crm_phone_is_vietnamese_mobile ("+14155550100"));
  g_assert_false (crm_phone_is_vietnamese_mobile ("0903123456"));
  g_assert_false (crm_phone_is_vietnamese_mobile ("+84903 12345"));
  g_assert_false (crm_phone_is_vietnamese_mobile (""));
  g_assert_false (crm_phone_is_vietnamese_mobile (NULL));
}

/* Names */

static void
test_name (void)
{
  static const struct
  {
    const char *input;
    const char *expected;
  } names[] = {
    { "nguyễn văn đức", "Nguyễn Văn Đức" },
    { "NGUYỄN VĂN ĐỨC", "Nguyễn Văn Đức" },
    { "  trần   thị   lan ", "Trần Thị Lan" },
    { "phạm thị ngọc ánh", "Phạm Thị Ngọc Ánh" },
    { "ƯNG HOÀNG PHÚC", "Ưng Hoàng Phúc" },
    { "lê thị ơn", "Lê Thị Ơn" },
    { "đặng\tthu\u00a0thảo", "Đặng Thu Thảo" },
    { "nGUYỄN vĂN đỨC", "Nguyễn Văn Đức" },
    { "Nguyễn Văn Đức", "Nguyễn Văn Đức" },
    { "nguyen van duc", "Nguyen Van Duc" },
    { "o'brien", "O'Brien" },
    { "O'BRIEN", "O'Brien" },
    { "jean-pierre", "Jean-Pierre" },
    { "JEAN-PIERRE dupont", "Jean-Pierre Dupont" },
    { "d\u2019arcy", "D\u2019Arcy" },
    { "j.r.r. tolkien", "J.R.R. Tolkien" },
    { "Ronald McDonald", "Ronald McDonald" },
    { "danny DeVito", "Danny DeVito" },
    { "Ludwig van Beethoven", "Ludwig van Beethoven" },
    { "ludwig van beethoven", "Ludwig Van Beethoven" },
    { "van Gogh", "Van Gogh" },
    { "", "" },
    { " \t\n ", "" },
  };
  g_autofree char *null_name = crm_normalize_name (NULL);

  g_assert_cmpstr (null_name, ==, "");

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *result = crm_normalize_name (names[i].input);

      if (g_strcmp0 (result, names[i].expected) != 0)
        {
          g_autofree char *input = escaped (names[i].input);
          g_autofree char *got = escaped (result);

          g_error ("\"%s\" became \"%s\"", input, got);
        }
    }
}

/* Decomposed input (as macOS and some keyboards send it) comes out composed. */
static void
test_name_nfc (void)
{
  g_autofree char *decomposed = g_utf8_normalize ("nguyễn thị ửng", -1, G_NORMALIZE_NFD);
  g_autofree char *result = crm_normalize_name (decomposed);

  g_assert_cmpstr (decomposed, !=, "nguyễn thị ửng");
  g_assert_cmpstr (result, ==, "Nguyễn Thị Ửng");
}

/* Emails */

static const Case email_cases[] = {
  { "An.Nguyen@Gmail.COM ", "An.Nguyen@gmail.com" },
  { "an@fpt.com.vn", "an@fpt.com.vn" },
  { "  tran.thi.lan@VNPT.VN", "tran.thi.lan@vnpt.vn" },
  { "user+tag@example.org", "user+tag@example.org" },
  { "o'brien@example.ie", "o'brien@example.ie" },
  { "a_b-c@sub-domain.example.co", "a_b-c@sub-domain.example.co" },
  { "!#$%&'*+-/=?^_`{|}~@example.com", "!#$%&'*+-/=?^_`{|}~@example.com" },
  { "info@CÔNG-TY.VN", "info@công-ty.vn" },
  { "x@example.xn--p1ai", "x@example.xn--p1ai" },
  { "Lan@123.example.vn", "Lan@123.example.vn" },
  { NULL, NULL, EMPTY, "empty" },
  { " ", NULL, EMPTY, "empty" },
  { "an.nguyen.gmail.com", NULL, INVALID, "has no @" },
  { "an@@gmail.com", NULL, INVALID, "more than one @" },
  { "a@b@c.com", NULL, INVALID, "more than one @" },
  { "@gmail.com", NULL, INVALID, "nothing before the @" },
  { "an@", NULL, INVALID, "nothing after the @" },
  { ".an@gmail.com", NULL, INVALID, "starts or ends with a dot" },
  { "an.@gmail.com", NULL, INVALID, "starts or ends with a dot" },
  { "an..nguyen@gmail.com", NULL, INVALID, "two dots in a row" },
  { "an nguyen@gmail.com", NULL, INVALID, "contains a space" },
  { "nguyễn@gmail.com", NULL, INVALID, "contains “ễ”" },
  { "\"an\"@gmail.com", NULL, INVALID, "contains “\"”" },
  { "an@gmail", NULL, INVALID, "The domain “gmail” has no dot" },
  { "an@gmail,com", NULL, INVALID, "has no dot" },
  { "an@gmail.com,", NULL, INVALID, "contains “,”" },
  { "an@exa_mple.com", NULL, INVALID, "contains “_”" },
  { "an@gmail.c", NULL, INVALID, "top-level domain" },
  { "an@gmail.123", NULL, INVALID, "top-level domain" },
  { "an@-gmail.com", NULL, INVALID, "The domain “-gmail.com” is not valid" },
  { "an@gmail..com", NULL, INVALID, "is not valid" },
  { "an@gmail.com.", NULL, INVALID, "is not valid" },
};

static void
test_email_table (void)
{
  check_cases (crm_normalize_email, email_cases, G_N_ELEMENTS (email_cases));
}

static void
test_email_lengths (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *local64 = g_strnfill (64, 'a');
  g_autofree char *local65 = g_strnfill (65, 'a');
  g_autofree char *label63 = g_strnfill (63, 'b');
  g_autofree char *label64 = g_strnfill (64, 'b');
  g_autofree char *ok = g_strconcat (local64, "@", label63, ".vn", NULL);
  g_autofree char *long_local = g_strconcat (local65, "@example.vn", NULL);
  g_autofree char *long_label = g_strconcat ("an@", label64, ".vn", NULL);
  g_autofree char *result = crm_normalize_email (ok, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (result, ==, ok);
  g_clear_pointer (&result, g_free);

  result = crm_normalize_email (long_local, &error);
  g_assert_null (result);
  assert_error_message (error, INVALID, "longer than 64 characters");
  g_clear_error (&error);

  result = crm_normalize_email (long_label, &error);
  g_assert_null (result);
  assert_error_message (error, INVALID, "is not valid");
}

/* Tax codes */

/* The check digit the way crm-demo.c computes it for the codes it makes. */
static int
demo_check_digit (const char *code)
{
  static const guint weights[] = { 31, 29, 23, 19, 17, 13, 7, 5, 3 };
  guint sum = 0;

  for (guint i = 0; i < G_N_ELEMENTS (weights); i++)
    sum += weights[i] * (guint) (code[i] - '0');
  if (sum % 11 == 0)
    return -1;
  return (int) (10 - sum % 11);
}

static const Case tax_cases[] = {
  { "0100109106", "0100109106" },
  { "0301444753", "0301444753" },
  { "0101243150", "0101243150" },
  { "0100 109 106", "0100109106" },
  { "0100109106-001", "0100109106-001" },
  { "0100109106001", "0100109106-001" },
  { "0100109106 - 001", "0100109106-001" },
  { " 0301444753-012 ", "0301444753-012" },
  { "\uff10\uff11\uff10\uff10\uff11\uff10\uff19\uff11\uff10\uff16", "0100109106" },
  { NULL, NULL, EMPTY, "empty" },
  { "", NULL, EMPTY, "empty" },
  { "0100109107", NULL, INVALID, "check digit" },
  { "0302128025", NULL, INVALID, "check digit" },
  { "0100109107-001", NULL, INVALID, "check digit" },
  { "010010910", NULL, INVALID, "too short" },
  { "01001091060", NULL, INVALID, "wrong number of digits" },
  { "010010910600", NULL, INVALID, "wrong number of digits" },
  { "01001091060012", NULL, INVALID, "too long" },
  { "01001O9106", NULL, INVALID, "contains letters" },
  { "MST 0100109106", NULL, INVALID, "contains letters" },
  { "0100109106-000", NULL, INVALID, "cannot be 000" },
  { "0100109106000", NULL, INVALID, "cannot be 000" },
  { "010010-9106001", NULL, INVALID, "dash in the wrong place" },
  { "0100109106-0-01", NULL, INVALID, "dash in the wrong place" },
  { "0100109106-", NULL, INVALID, "dash in the wrong place" },
  { "0100109106.001", NULL, INVALID, "contains “.”" },
};

static void
test_tax_code_table (void)
{
  check_cases (crm_normalize_tax_code, tax_cases, G_N_ELEMENTS (tax_cases));
}

/* The formula agrees with the one crm-demo.c uses, and nine digits whose
 * check would be 10 make no valid code, whatever the tenth. */
static void
test_tax_code_check_digit (void)
{
  guint unissuable = 0;

  for (guint serial = 0; serial < 200000; serial += 7)
    {
      char code[16];
      int check;

      g_snprintf (code, sizeof code, "01%07u", serial);
      check = crm_tax_code_check_digit (code);
      g_assert_cmpint (check, ==, demo_check_digit (code));

      if (check >= 0)
        {
          g_autoptr (GError) error = NULL;
          g_autofree char *result = NULL;

          code[9] = (char) ('0' + check);
          code[10] = '\0';
          result = crm_normalize_tax_code (code, &error);
          g_assert_no_error (error);
          g_assert_cmpstr (result, ==, code);
        }
      else if (unissuable++ < 20)
        {
          for (char last = '0'; last <= '9'; last++)
            {
              g_autoptr (GError) error = NULL;
              g_autofree char *result = NULL;

              code[9] = last;
              code[10] = '\0';
              result = crm_normalize_tax_code (code, &error);
              g_assert_null (result);
              assert_error_message (error, INVALID, "check digit");
            }
        }
    }
  g_assert_cmpuint (unissuable, >, 0);

  g_assert_cmpint (crm_tax_code_check_digit ("010010910"), ==, 6);
  g_assert_cmpint (crm_tax_code_check_digit ("030144475"), ==, 3);
  g_assert_cmpint (crm_tax_code_check_digit ("0100"), ==, -1);
  g_assert_cmpint (crm_tax_code_check_digit ("01001091x"), ==, -1);
}

/* What crm-demo.c writes passes the rules unchanged: tax codes, phone
 * numbers (the raw text reads as the stored E.164), emails and names. */
static void
test_demo_data (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = crm_test_make_dir ();
  g_autofree char *ws = g_build_filename (dir, "ws", NULL);
  g_autoptr (GBytes) key = crm_key_generate (&error);
  g_autoptr (CrmStore) store = NULL;
  CrmDemoOptions options;
  const char *queries[] = {
    "SELECT tax_code, tax_code FROM company WHERE tax_code IS NOT NULL",
    "SELECT phone, phone FROM company WHERE phone IS NOT NULL",
    "SELECT raw, e164 FROM contact_phone",
    "SELECT email, email FROM contact_email",
    "SELECT display_name, display_name FROM contact",
  };
  NormalizeFunc funcs[] = {
    crm_normalize_tax_code, crm_normalize_phone, crm_normalize_phone, crm_normalize_email, NULL,
  };

  g_assert_no_error (error);
  store = crm_store_create (ws, key, &error);
  g_assert_no_error (error);

  crm_demo_options_init (&options);
  options.contacts = 300;
  options.companies = 60;
  options.deals = 5;
  options.interactions = 5;
  options.seed = 42;
  g_assert_true (crm_demo_fill (store, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  for (gsize q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      sqlite3_stmt *stmt = crm_store_prepare (store, queries[q], &error);
      guint rows = 0;

      g_assert_no_error (error);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *input = (const char *) sqlite3_column_text (stmt, 0);
          const char *expected = (const char *) sqlite3_column_text (stmt, 1);
          g_autofree char *result = NULL;

          if (funcs[q] != NULL)
            result = funcs[q] (input, &error);
          else
            result = crm_normalize_name (input);
          g_assert_no_error (error);
          g_assert_cmpstr (result, ==, expected);

          if (funcs[q] == crm_normalize_phone)
            {
              g_autofree char *national = crm_phone_format_national (result);
              g_autofree char *again = crm_normalize_phone (national, &error);

              g_assert_no_error (error);
              g_assert_cmpstr (again, ==, expected);
              g_assert_false (g_str_has_prefix (national, "+"));
            }
          rows++;
        }
      sqlite3_finalize (stmt);
      g_assert_cmpuint (rows, >, 0);
    }

  g_assert_finalize_object (g_steal_pointer (&store));
  crm_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/normalize/phone/table", test_phone_table);
  g_test_add_func ("/normalize/phone/error-quotes", test_phone_error_quotes);
  g_test_add_func ("/normalize/phone/format-national", test_phone_format_national);
  g_test_add_func ("/normalize/phone/round-trip", test_phone_round_trip);
  g_test_add_func ("/normalize/phone/is-vietnamese-mobile", test_phone_is_vietnamese_mobile);
  g_test_add_func ("/normalize/name/cases", test_name);
  g_test_add_func ("/normalize/name/nfc", test_name_nfc);
  g_test_add_func ("/normalize/email/table", test_email_table);
  g_test_add_func ("/normalize/email/lengths", test_email_lengths);
  g_test_add_func ("/normalize/tax-code/table", test_tax_code_table);
  g_test_add_func ("/normalize/tax-code/check-digit", test_tax_code_check_digit);
  g_test_add_func ("/normalize/demo-data", test_demo_data);

  return g_test_run ();
}
