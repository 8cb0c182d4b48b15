/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "crm-text.h"

static void
assert_fold (const char *text,
             const char *expected)
{
  g_autofree char *folded = crm_fold (text);

  g_assert_cmpstr (folded, ==, expected);
}

/* memcmp order with a shorter prefix first, as SQLite compares BLOBs. */
static int
compare_keys (const char *const *a,
              const char *const *b)
{
  gsize a_len = 0;
  gsize b_len = 0;
  g_autofree guint8 *a_key = crm_sort_key (a, &a_len);
  g_autofree guint8 *b_key = crm_sort_key (b, &b_len);
  int cmp = memcmp (a_key, b_key, MIN (a_len, b_len));

  if (cmp != 0)
    return cmp < 0 ? -1 : 1;
  return (a_len > b_len) - (a_len < b_len);
}

static int
compare_names (const char *a,
               const char *b)
{
  const char *a_parts[] = { a, NULL };
  const char *b_parts[] = { b, NULL };

  return compare_keys (a_parts, b_parts);
}

/* Checks every pair, not only neighbours, so a broken transitivity shows. */
static void
assert_ascending (const char *const *names)
{
  for (gsize i = 0; names[i] != NULL; i++)
    for (gsize j = i + 1; names[j] != NULL; j++)
      {
        if (compare_names (names[i], names[j]) >= 0)
          {
            /* Escaped, because the C locale would print "?" for them. */
            g_autofree char *a = g_strescape (names[i], NULL);
            g_autofree char *b = g_strescape (names[j], NULL);

            g_error ("expected \"%s\" < \"%s\"", a, b);
          }
        g_assert_cmpint (compare_names (names[j], names[i]), >, 0);
      }
}

static void
test_fold_vietnamese (void)
{
  assert_fold ("Nguyễn Văn Đức", "nguyen van duc");
  assert_fold ("NGUYỄN VĂN ĐỨC", "nguyen van duc");
  assert_fold ("nguyen van duc", "nguyen van duc");
  assert_fold ("NGUYEN VAN DUC", "nguyen van duc");
  assert_fold ("Đà Nẵng", "da nang");
  assert_fold ("Thừa Thiên Huế", "thua thien hue");
  assert_fold ("Phạm Thị Ngọc Ánh", "pham thi ngoc anh");
  assert_fold ("Ưng Hoàng Phúc", "ung hoang phuc");
  assert_fold ("Trương Mỹ Lan, Ơn, Ông, Ấn", "truong my lan, on, ong, an");
  /* Every tone on every vowel of the alphabet. */
  assert_fold ("àảãáạ ằẳẵắặ ầẩẫấậ èẻẽéẹ ềểễếệ ìỉĩíị òỏõóọ ồổỗốộ ờởỡớợ ùủũúụ ừửữứự ỳỷỹýỵ",
               "aaaaa aaaaa aaaaa eeeee eeeee iiiii ooooo ooooo ooooo uuuuu uuuuu yyyyy");
  assert_fold ("ÀẢÃÁẠ ẰẲẴẮẶ ẦẨẪẤẬ ÈẺẼÉẸ ỀỂỄẾỆ ÌỈĨÍỊ ÒỎÕÓỌ ỒỔỖỐỘ ỜỞỠỚỢ ÙỦŨÚỤ ỪỬỮỨỰ ỲỶỸÝỴ",
               "aaaaa aaaaa aaaaa eeeee eeeee iiiii ooooo ooooo ooooo uuuuu uuuuu yyyyy");
  /* Legacy encodings often turn Đ into the look-alike eth. */
  assert_fold ("Ðặng", "dang");
}

static void
test_fold_other (void)
{
  assert_fold ("O'Brien", "o'brien");
  assert_fold ("", "");
  assert_fold ("José Müller-Çelik", "jose muller-celik");
  assert_fold ("Straße", "strasse");
  assert_fold ("ΑΘΉΝΑ", "αθηνα");
  assert_fold ("Москва Ёлка", "москва елка");
  assert_fold ("東京 123", "東京 123");
  g_assert_null (crm_fold (NULL));
}

static void
test_fold_decomposed (void)
{
  const char *samples[] = {
    "Nguyễn Văn Đức", "NGUYỄN VĂN ĐỨC", "Đà Nẵng", "Thừa Thiên Huế",
    "Phạm Thị Ngọc Ánh", "Trương Mỹ Lan", "Ưng Ơn Ông",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      g_autofree char *nfd = g_utf8_normalize (samples[i], -1, G_NORMALIZE_NFD);
      g_autofree char *folded = crm_fold (samples[i]);
      g_autofree char *folded_nfd = crm_fold (nfd);

      g_assert_cmpstr (nfd, !=, samples[i]);
      g_assert_cmpstr (folded_nfd, ==, folded);
    }

  /* e + circumflex + tilde, and a precomposed ô followed by a combining
   * acute, as some input methods type it. */
  assert_fold ("Nguye\xcc\x82\xcc\x83n", "nguyen");
  assert_fold ("\xc3\xb4\xcc\x81ng", "ong");
}

static void
test_fold_invalid (void)
{
  const char *inputs[] = {
    "\xff\xfeNguy\xe1\xbb",     /* stray bytes and a truncated sequence */
    "\xc0\xaf",                 /* overlong "/" */
    "\xed\xa0\x80",             /* UTF-16 surrogate */
    "\xf4\x90\x80\x80",         /* above U+10FFFF */
    "\xc3",                     /* lead byte at the end */
    "\xe1\xbb\x85\x80 \xc4",    /* valid ễ, stray continuation, lone lead */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autofree char *folded = crm_fold (inputs[i]);

      g_assert_nonnull (folded);
      g_assert_true (g_utf8_validate (folded, -1, NULL));
      g_assert_nonnull (g_utf8_strchr (folded, -1, 0xFFFD));
    }

  assert_fold ("\xff\xfeNguy\xe1\xbb", "\xef\xbf\xbd\xef\xbf\xbdnguy\xef\xbf\xbd\xef\xbf\xbd");
  assert_fold ("\xe1\xbb\x85\x80 \xc4", "e\xef\xbf\xbd \xef\xbf\xbd");
}

static void
test_fold_append (void)
{
  g_autoptr (GString) out = g_string_new ("id:");

  crm_fold_append (out, "Lê Thị ");
  crm_fold_append (out, NULL);
  crm_fold_append (out, "HỒNG");
  g_assert_cmpstr (out->str, ==, "id:le thi hong");
}

static void
test_sort_key_alphabet (void)
{
  const char *names[] = { "An", "Ánh", "Bình", "Đức", "Yến", NULL };
  const char *letters[] = {
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m",
    "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z", NULL
  };
  const char *digits_first[] = { "0", "9", "A", NULL };

  assert_ascending (names);
  assert_ascending (letters);
  assert_ascending (digits_first);
  g_assert_cmpint (compare_names ("Dung", "Đào"), <, 0);
  g_assert_cmpint (compare_names ("Uyên", "Ưng"), <, 0);
  g_assert_cmpint (compare_names ("Oanh", "Ông"), <, 0);
  g_assert_cmpint (compare_names ("Ông", "Ơn"), <, 0);
  g_assert_cmpint (compare_names ("Châu", "Chi"), <, 0);
  g_assert_cmpint (compare_names ("An", "Anh"), <, 0);
  g_assert_cmpint (compare_names ("Ăn", "Âm"), <, 0);
  g_assert_cmpint (compare_names ("Zoe", "Анна"), <, 0);
  g_assert_cmpint (compare_names ("Анна", "Борис"), <, 0);
}

static void
test_sort_key_tones (void)
{
  const char *tones[] = { "a", "à", "ả", "ã", "á", "ạ", NULL };
  const char *anh[] = { "Anh", "Ảnh", "Ánh", "Ạnh", NULL };

  assert_ascending (tones);
  assert_ascending (anh);
  g_assert_cmpint (compare_names ("Hà", "Hạ"), <, 0);
  /* Tones only break ties: a later letter outweighs an earlier tone. */
  g_assert_cmpint (compare_names ("Ạn", "Anh"), <, 0);
  g_assert_cmpint (compare_names ("Hạ", "Hai"), <, 0);
}

static void
test_sort_key_parts (void)
{
  const char *an_tran[] = { "An", "Trần", NULL };
  const char *an_vo[] = { "An", "Võ", NULL };
  const char *binh_le[] = { "Bình", "Lê", NULL };
  const char *an[] = { "An", NULL };
  const char *an_b[] = { "An", "B", NULL };
  const char *anh_a[] = { "Anh", "A", NULL };
  const char *an_spaced[] = { "A n", NULL };
  const char *van_an[] = { "Văn An", NULL };
  const char *vanan[] = { "Vănan", NULL };
  const char *none[] = { NULL };
  gsize length = 42;
  g_autofree guint8 *empty_key = crm_sort_key (none, &length);

  g_assert_cmpint (compare_keys (an_tran, an_vo), <, 0);
  g_assert_cmpint (compare_keys (an_vo, binh_le), <, 0);
  g_assert_cmpint (compare_keys (an_tran, binh_le), <, 0);
  g_assert_cmpint (compare_keys (an, an_b), <, 0);
  g_assert_cmpint (compare_keys (an_b, anh_a), <, 0);
  /* Spaces and punctuation inside a part carry no weight. */
  g_assert_cmpint (compare_keys (an, an_spaced), ==, 0);
  g_assert_cmpint (compare_keys (van_an, vanan), ==, 0);
  g_assert_nonnull (empty_key);
  g_assert_cmpuint (length, ==, 0);
}

/* Longer than the builder's inline buffer: 200 letters with a tone each. */
static void
test_sort_key_long (void)
{
  g_autoptr (GString) long_name = g_string_new (NULL);
  const char *parts[] = { NULL, NULL };
  gsize length = 0;
  g_autofree guint8 *key = NULL;

  for (guint i = 0; i < 200; i++)
    g_string_append (long_name, "à");
  parts[0] = long_name->str;
  key = crm_sort_key (parts, &length);

  g_assert_cmpuint (length, ==, 200 + 1 + 1 + 200);
  g_assert_cmpuint (key[199], ==, key[0]);
  g_assert_cmpuint (key[200], ==, 0x01);
  g_assert_cmpuint (key[201], ==, 0x00);
  g_assert_cmpuint (key[length - 1], ==, key[202]);
  g_assert_cmpuint (key[202], !=, 0);
}

static void
test_sort_key_equal (void)
{
  const char *upper[] = { "ĐỨC", NULL };
  const char *lower[] = { "đức", NULL };
  const char *eth[] = { "Ðức", NULL };
  const char *invalid[] = { "A\xffn\xc3", NULL };
  const char *samples[] = {
    "Nguyễn Văn Đức", "Phạm Thị Ngọc Ánh", "Trương Ưng Ơn", "Thừa Thiên Huế",
  };
  const char *valid[] = { "An", NULL };
  gsize upper_len = 0;
  gsize lower_len = 0;
  g_autofree guint8 *upper_key = crm_sort_key (upper, &upper_len);
  g_autofree guint8 *lower_key = crm_sort_key (lower, &lower_len);

  g_assert_cmpmem (upper_key, upper_len, lower_key, lower_len);
  g_assert_cmpint (compare_keys (eth, lower), ==, 0);
  g_assert_cmpint (compare_keys (invalid, valid), ==, 0);

  for (gsize i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      g_autofree char *nfd = g_utf8_normalize (samples[i], -1, G_NORMALIZE_NFD);
      const char *composed[] = { samples[i], NULL };
      const char *decomposed[] = { nfd, NULL };

      g_assert_cmpint (compare_keys (composed, decomposed), ==, 0);
    }
}

/* Canonically equivalent spellings must give the same key whatever order
 * their marks come in: horn (class 216) and dot below (220) may precede or
 * follow circumflex and the other tones (230). */
static void
test_sort_key_mark_order (void)
{
  const char *horn_first[] = { "o\xcc\x9b\xcc\x82", NULL };
  const char *circumflex_first[] = { "o\xcc\x82\xcc\x9b", NULL };
  const char *o_horn[] = { "ơ", NULL };
  const char *dot_first[] = { "a\xcc\xa3\xcc\x81", NULL };
  const char *acute_first[] = { "a\xcc\x81\xcc\xa3", NULL };
  const char *mixed[] = { "\xc3\xb4\xcc\x81ng", NULL };
  const char *composed[] = { "ống", NULL };

  g_assert_cmpint (compare_keys (horn_first, o_horn), ==, 0);
  g_assert_cmpint (compare_keys (circumflex_first, o_horn), ==, 0);
  g_assert_cmpint (compare_keys (dot_first, acute_first), ==, 0);
  g_assert_cmpint (compare_keys (mixed, composed), ==, 0);
}

static gpointer
sort_key_thread (gpointer user_data)
{
  const char *const *parts = user_data;
  gsize length = 0;
  g_autofree guint8 *key = crm_sort_key (parts, &length);
  g_autofree char *folded = crm_fold (parts[1]);
  g_autofree char *encoded = g_base64_encode (key, length);

  return g_strdup_printf ("%s %s", folded, encoded);
}

static void
test_threads (void)
{
  static const char *parts[] = { "Đức", "Nguyễn Văn Đức", "Văn", NULL };
  GThread *threads[8];
  g_autofree char *expected = NULL;

  /* A fresh process, so that the threads race to build the table. */
  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("sort-key", sort_key_thread, parts);
  for (gsize i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      g_autofree char *result = g_thread_join (threads[i]);

      g_assert_true (g_str_has_prefix (result, "nguyen van duc "));
      if (expected == NULL)
        expected = sort_key_thread (parts);
      g_assert_cmpstr (result, ==, expected);
    }
}

static void
test_sort_key_layout (void)
{
  const char *an_tran[] = { "An", "Trần", NULL };
  const char *an[] = { "an", NULL };
  const guint8 an_tran_key[] = { 0x10, 0x21, 0x01, 0x29, 0x27, 0x12, 0x21, 0x01,
                                 0x00, 0x00, 0x00, 0x00, 0x00, 0x01 };
  const guint8 an_key[] = { 0x10, 0x21, 0x01 };
  gsize length = 0;
  g_autofree guint8 *key = crm_sort_key (an_tran, &length);
  g_autofree guint8 *plain = NULL;

  /* The layout is stored in the database: changing it needs a migration. */
  g_assert_cmpmem (key, length, an_tran_key, sizeof an_tran_key);
  plain = crm_sort_key (an, &length);
  g_assert_cmpmem (plain, length, an_key, sizeof an_key);
}

static void
assert_phone (const char *text,
              const char *expected)
{
  g_autofree char *digits = crm_phone_digits (text);

  g_assert_cmpstr (digits, ==, expected);
}

static void
test_phone_digits (void)
{
  assert_phone ("0903 123 456", "903123456");
  assert_phone ("+84903123456", "903123456");
  assert_phone ("+84 90 312 3456", "903123456");
  assert_phone ("84903123456", "903123456");
  assert_phone ("903123456", "903123456");
  assert_phone ("0084 903 123 456", "903123456");
  assert_phone ("+84 (0) 903 123 456", "903123456");
  assert_phone ("(028) 3822 1234", "2838221234");
  assert_phone ("+84 28 3822 1234", "2838221234");
  /* 084 is a mobile prefix: a number typed without the trunk 0 keeps it. */
  assert_phone ("0845 123 456", "845123456");
  assert_phone ("845123456", "845123456");
  assert_phone ("+1 (650) 253-0000", "16502530000");
  assert_phone ("001 650 253 0000", "16502530000");
  assert_phone ("０９０３１２３４５６", "903123456");
  assert_phone ("", NULL);
  assert_phone ("abc", NULL);
  assert_phone ("+", NULL);
  assert_phone (NULL, NULL);
}

static void
test_phone_partial (void)
{
  assert_phone ("0903 12", "90312");
  assert_phone ("+84 9", "9");
  assert_phone ("+8", "8");
  assert_phone ("84 9", "849");
  assert_phone ("0", "");
  assert_phone ("+84", "");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/text/fold/vietnamese", test_fold_vietnamese);
  g_test_add_func ("/text/fold/other", test_fold_other);
  g_test_add_func ("/text/fold/decomposed", test_fold_decomposed);
  g_test_add_func ("/text/fold/invalid", test_fold_invalid);
  g_test_add_func ("/text/fold/append", test_fold_append);
  g_test_add_func ("/text/sort-key/alphabet", test_sort_key_alphabet);
  g_test_add_func ("/text/sort-key/tones", test_sort_key_tones);
  g_test_add_func ("/text/sort-key/parts", test_sort_key_parts);
  g_test_add_func ("/text/sort-key/long", test_sort_key_long);
  g_test_add_func ("/text/sort-key/equal", test_sort_key_equal);
  g_test_add_func ("/text/sort-key/mark-order", test_sort_key_mark_order);
  g_test_add_func ("/text/sort-key/layout", test_sort_key_layout);
  g_test_add_func ("/text/sort-key/threads", test_threads);
  g_test_add_func ("/text/phone/digits", test_phone_digits);
  g_test_add_func ("/text/phone/partial", test_phone_partial);

  return g_test_run ();
}
