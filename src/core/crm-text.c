/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-text"

#include <string.h>

#include "crm-text.h"

/* Byte values of a sort key. Level 1 holds one token per letter or digit and
 * ends every part with KEY_PART_END; KEY_LEVEL_SEP then introduces level 2,
 * one tone byte per level-1 token. Both separators sit below every token so
 * that a shorter part, and a key with fewer parts, sorts first. */
#define KEY_LEVEL_SEP 0x00
#define KEY_PART_END  0x01
#define KEY_DIGIT_0   0x02
#define KEY_LETTER_A  0x10
/* A letter outside the Vietnamese alphabet (Greek, Cyrillic, CJK, ø, æ…) is
 * KEY_OTHER + plane, then the low 16 bits of its code point, big-endian. The
 * lead byte tells a three-byte token from a one-byte rank, so the encoding is
 * prefix-free and memcmp keeps code point order among these letters. */
#define KEY_OTHER     0x40

/* The Vietnamese alphabet, with f j w z at their Latin places for foreign
 * names. */
enum
{
  L_A, L_A_BREVE, L_A_CIRCUMFLEX, L_B, L_C, L_D, L_D_STROKE, L_E, L_E_CIRCUMFLEX,
  L_F, L_G, L_H, L_I, L_J, L_K, L_L, L_M, L_N, L_O, L_O_CIRCUMFLEX, L_O_HORN,
  L_P, L_Q, L_R, L_S, L_T, L_U, L_U_HORN, L_V, L_W, L_X, L_Y, L_Z
};

#define RANK(letter) ((guint8) (KEY_LETTER_A + (letter)))

/* Tones in dictionary order; ngang must stay 0 because trailing ngang tones
 * are trimmed from the key. */
enum
{
  TONE_NGANG, /* a */
  TONE_HUYEN, /* à */
  TONE_HOI,   /* ả */
  TONE_NGA,   /* ã */
  TONE_SAC,   /* á */
  TONE_NANG,  /* ạ */
};

#define ASCII_LETTER(lower, letter) \
  [lower] = RANK (letter), [(lower) - 'a' + 'A'] = RANK (letter)

/* Level-1 rank of every ASCII byte; 0 means the byte carries no weight
 * (spaces, punctuation, controls). */
static const guint8 ascii_rank[128] = {
  ['0'] = KEY_DIGIT_0 + 0, ['1'] = KEY_DIGIT_0 + 1, ['2'] = KEY_DIGIT_0 + 2,
  ['3'] = KEY_DIGIT_0 + 3, ['4'] = KEY_DIGIT_0 + 4, ['5'] = KEY_DIGIT_0 + 5,
  ['6'] = KEY_DIGIT_0 + 6, ['7'] = KEY_DIGIT_0 + 7, ['8'] = KEY_DIGIT_0 + 8,
  ['9'] = KEY_DIGIT_0 + 9,
  ASCII_LETTER ('a', L_A), ASCII_LETTER ('b', L_B), ASCII_LETTER ('c', L_C),
  ASCII_LETTER ('d', L_D), ASCII_LETTER ('e', L_E), ASCII_LETTER ('f', L_F),
  ASCII_LETTER ('g', L_G), ASCII_LETTER ('h', L_H), ASCII_LETTER ('i', L_I),
  ASCII_LETTER ('j', L_J), ASCII_LETTER ('k', L_K), ASCII_LETTER ('l', L_L),
  ASCII_LETTER ('m', L_M), ASCII_LETTER ('n', L_N), ASCII_LETTER ('o', L_O),
  ASCII_LETTER ('p', L_P), ASCII_LETTER ('q', L_Q), ASCII_LETTER ('r', L_R),
  ASCII_LETTER ('s', L_S), ASCII_LETTER ('t', L_T), ASCII_LETTER ('u', L_U),
  ASCII_LETTER ('v', L_V), ASCII_LETTER ('w', L_W), ASCII_LETTER ('x', L_X),
  ASCII_LETTER ('y', L_Y), ASCII_LETTER ('z', L_Z),
};

/* Code points whose fold and sort weights are computed once, from the same
 * slow path that handles everything else, so both paths always agree. The
 * ranges hold every precomposed Vietnamese letter (Latin-1 Supplement, Latin
 * Extended-A/B, Latin Extended Additional), the combining marks that
 * decomposed input carries, and Greek and Cyrillic names. */
#define TABLE_LOW_START  0x0080
#define TABLE_LOW_END    0x0530
#define TABLE_HIGH_START 0x1E00
#define TABLE_HIGH_END   0x1F00
#define TABLE_SIZE       ((TABLE_LOW_END - TABLE_LOW_START) + (TABLE_HIGH_END - TABLE_HIGH_START))

#define FOLD_MAX  7
#define FOLD_SLOW 0xFF

typedef enum
{
  SORT_SLOW,
  SORT_IGNORE,
  SORT_MARK,
  SORT_LETTERS,
} SortKind;

typedef struct
{
  guint8 fold_len;
  char   fold[FOLD_MAX];
  guint8 sort_kind;
  guint8 n_letters;
  guint8 rank[2];
  guint8 tone[2];
} TextEntry;

/* Built on first use, published once, read-only afterwards, never freed. */
static TextEntry *text_table;

/* Names fit the inline buffer, so a key costs one allocation: the one
 * returned to the caller. */
typedef struct
{
  guint8 *data;
  gsize   len;
  gsize   allocated;
  guint8  stack[128];
} KeyBuf;

typedef struct
{
  KeyBuf   level1;
  KeyBuf   level2;
  /* Whether a combining mark that follows may still modify the last token:
   * marks never reach across a part, a space or punctuation. */
  gboolean has_last;
  gboolean last_is_rank;
} KeyBuilder;

static inline gssize
table_index (gunichar cp)
{
  if (cp >= TABLE_LOW_START && cp < TABLE_LOW_END)
    return cp - TABLE_LOW_START;
  if (cp >= TABLE_HIGH_START && cp < TABLE_HIGH_END)
    return (TABLE_LOW_END - TABLE_LOW_START) + (cp - TABLE_HIGH_START);
  return -1;
}

static inline const TextEntry *
table_lookup (const TextEntry *table,
              gunichar         cp)
{
  gssize slot = table_index (cp);

  return slot >= 0 ? &table[slot] : NULL;
}

/* A strict UTF-8 decoder that never fails: overlong forms, surrogates and
 * stray bytes become U+FFFD one byte at a time, so callers fed bad data from
 * an import still produce valid UTF-8. It never reads past the NUL, because
 * a continuation byte is only read after the previous one matched 10xxxxxx. */
static inline gunichar
decode_utf8 (const guchar **pp)
{
  const guchar *p = *pp;
  guchar c = p[0];
  gunichar cp;

  if (c < 0x80)
    {
      *pp = p + 1;
      return c;
    }

  if (c >= 0xC2 && c <= 0xDF)
    {
      if ((p[1] & 0xC0) == 0x80)
        {
          *pp = p + 2;
          return ((gunichar) (c & 0x1F) << 6) | (p[1] & 0x3F);
        }
    }
  else if (c >= 0xE0 && c <= 0xEF)
    {
      if ((p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80)
        {
          cp = ((gunichar) (c & 0x0F) << 12) | ((gunichar) (p[1] & 0x3F) << 6) | (p[2] & 0x3F);
          if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF))
            {
              *pp = p + 3;
              return cp;
            }
        }
    }
  else if (c >= 0xF0 && c <= 0xF4)
    {
      if ((p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80 && (p[3] & 0xC0) == 0x80)
        {
          cp = ((gunichar) (c & 0x07) << 18) | ((gunichar) (p[1] & 0x3F) << 12)
               | ((gunichar) (p[2] & 0x3F) << 6) | (p[3] & 0x3F);
          if (cp >= 0x10000 && cp <= 0x10FFFF)
            {
              *pp = p + 4;
              return cp;
            }
        }
    }

  *pp = p + 1;
  return 0xFFFD;
}

static inline char
ascii_lower (char c)
{
  return (c >= 'A' && c <= 'Z') ? (char) (c + ('a' - 'A')) : c;
}

/* Unicode decomposition leaves đ/Đ whole, so they are folded by hand. The
 * Icelandic eth (ð/Ð) looks the same and legacy Vietnamese encodings
 * (VNI, TCVN3 converted through Windows-1252) often produce it for Đ. */
static inline gboolean
is_d_stroke (gunichar c)
{
  return c == 0x0110 || c == 0x0111 || c == 0x00D0 || c == 0x00F0;
}

/* Spacing marks (Mc) are kept: in Indic scripts they are vowels, and
 * dropping them would merge words that look different. */
static inline gboolean
is_dropped_mark_type (GUnicodeType type)
{
  return type == G_UNICODE_NON_SPACING_MARK || type == G_UNICODE_ENCLOSING_MARK;
}

/* Full case folding differs from g_unichar_tolower(), which leaves all but
 * letters alone, for cased letters (ß -> ss, final sigma), Roman numerals and
 * circled letters; only those pay for g_utf8_casefold()'s allocation. */
static inline gboolean
needs_casefold (GUnicodeType type)
{
  return type == G_UNICODE_UPPERCASE_LETTER || type == G_UNICODE_LOWERCASE_LETTER
         || type == G_UNICODE_TITLECASE_LETTER || type == G_UNICODE_LETTER_NUMBER
         || type == G_UNICODE_OTHER_SYMBOL;
}

static char *
casefold_char (gunichar c)
{
  char buf[8];
  int len = g_unichar_to_utf8 (c, buf);

  return g_utf8_casefold (buf, len);
}

/* Canonical decomposition of one code point is what g_utf8_normalize(NFD)
 * does to it, without the allocation; reordering of marks across code points
 * does not matter because every mark it could move is dropped. */
static void
fold_char_slow (GString  *out,
                gunichar  cp)
{
  gunichar decomposed[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
  gsize n = g_unichar_fully_decompose (cp, FALSE, decomposed, G_N_ELEMENTS (decomposed));

  for (gsize i = 0; i < n; i++)
    {
      gunichar c = decomposed[i];
      GUnicodeType type = g_unichar_type (c);

      if (is_dropped_mark_type (type))
        continue;

      if (is_d_stroke (c))
        {
          g_string_append_c (out, 'd');
        }
      else if (needs_casefold (type))
        {
          g_autofree char *folded = casefold_char (c);

          for (const char *q = folded; *q != '\0'; q = g_utf8_next_char (q))
            {
              gunichar f = g_utf8_get_char (q);

              if (!is_dropped_mark_type (g_unichar_type (f)))
                g_string_append_unichar (out, f);
            }
        }
      else
        {
          g_string_append_unichar (out, g_unichar_tolower (c));
        }
    }
}

static inline void
key_buf_init (KeyBuf *buf)
{
  buf->data = buf->stack;
  buf->len = 0;
  buf->allocated = sizeof buf->stack;
}

static void
key_buf_grow (KeyBuf *buf,
              gsize   extra)
{
  gsize allocated = buf->allocated;

  while (allocated < buf->len + extra)
    allocated *= 2;

  if (buf->data == buf->stack)
    {
      buf->data = g_malloc (allocated);
      memcpy (buf->data, buf->stack, buf->len);
    }
  else
    {
      buf->data = g_realloc (buf->data, allocated);
    }
  buf->allocated = allocated;
}

static inline void
key_buf_push (KeyBuf *buf,
              guint8  byte)
{
  if (G_UNLIKELY (buf->len == buf->allocated))
    key_buf_grow (buf, 1);
  buf->data[buf->len++] = byte;
}

static inline void
key_buf_clear (KeyBuf *buf)
{
  if (buf->data != buf->stack)
    g_free (buf->data);
  key_buf_init (buf);
}

static inline void
key_builder_init (KeyBuilder *kb)
{
  key_buf_init (&kb->level1);
  key_buf_init (&kb->level2);
  kb->has_last = FALSE;
  kb->last_is_rank = FALSE;
}

static inline void
key_builder_clear (KeyBuilder *kb)
{
  key_buf_clear (&kb->level1);
  key_buf_clear (&kb->level2);
}

static inline void
key_builder_push_rank (KeyBuilder *kb,
                       guint8      rank,
                       guint8      tone)
{
  key_buf_push (&kb->level1, rank);
  key_buf_push (&kb->level2, tone);
  kb->has_last = TRUE;
  kb->last_is_rank = TRUE;
}

static void
key_builder_push_other (KeyBuilder *kb,
                        gunichar    c)
{
  key_buf_push (&kb->level1, (guint8) (KEY_OTHER + (c >> 16)));
  key_buf_push (&kb->level1, (guint8) ((c >> 8) & 0xFF));
  key_buf_push (&kb->level1, (guint8) (c & 0xFF));
  key_buf_push (&kb->level2, TONE_NGANG);
  kb->has_last = TRUE;
  kb->last_is_rank = FALSE;
}

static inline void
set_tone (guint8 *tone,
          guint8  value)
{
  /* A second tone on one letter is a typing slip. The higher one wins, not
   * the first, so that the result does not depend on the order of the marks,
   * which canonical reordering changes (dot below sorts before the others). */
  *tone = MAX (*tone, value);
}

/* Applies a combining mark to the token before it. Marks may come
 * precomposed, decomposed, or mixed (some input methods type a precomposed
 * "ô" followed by a combining acute), and in any order, so the letter rank
 * and the tone are changed independently. Marks Vietnamese does not use
 * (diaeresis, cedilla, caron…) carry no weight. */
static void
key_builder_apply_mark (KeyBuilder *kb,
                        gunichar    mark)
{
  guint8 *rank;
  guint8 *tone;

  if (!kb->has_last)
    return;

  rank = &kb->level1.data[kb->level1.len - 1];
  tone = &kb->level2.data[kb->level2.len - 1];

  switch (mark)
    {
    case 0x0300: /* grave */
      set_tone (tone, TONE_HUYEN);
      break;

    case 0x0309: /* hook above */
      set_tone (tone, TONE_HOI);
      break;

    case 0x0303: /* tilde */
      set_tone (tone, TONE_NGA);
      break;

    case 0x0301: /* acute */
      set_tone (tone, TONE_SAC);
      break;

    case 0x0323: /* dot below */
      set_tone (tone, TONE_NANG);
      break;

    case 0x0306: /* breve */
      if (kb->last_is_rank && *rank == RANK (L_A))
        *rank = RANK (L_A_BREVE);
      break;

    case 0x0302: /* circumflex */
      if (!kb->last_is_rank)
        break;
      if (*rank == RANK (L_A))
        *rank = RANK (L_A_CIRCUMFLEX);
      else if (*rank == RANK (L_E))
        *rank = RANK (L_E_CIRCUMFLEX);
      else if (*rank == RANK (L_O))
        *rank = RANK (L_O_CIRCUMFLEX);
      break;

    case 0x031B: /* horn */
      /* Horn and circumflex may come in either order (their canonical
       * combining classes differ), so horn wins over a circumflex either way. */
      if (!kb->last_is_rank)
        break;
      if (*rank == RANK (L_O) || *rank == RANK (L_O_CIRCUMFLEX))
        *rank = RANK (L_O_HORN);
      else if (*rank == RANK (L_U))
        *rank = RANK (L_U_HORN);
      break;

    default:
      break;
    }
}

/* @c is already case folded. */
static void
key_builder_push_char (KeyBuilder *kb,
                       gunichar    c)
{
  int digit;

  if (c < 0x80)
    {
      guint8 rank = ascii_rank[c];

      if (rank != 0)
        key_builder_push_rank (kb, rank, TONE_NGANG);
      else
        kb->has_last = FALSE;
      return;
    }

  if (is_d_stroke (c))
    {
      key_builder_push_rank (kb, RANK (L_D_STROKE), TONE_NGANG);
      return;
    }

  /* Digits of other scripts (Arabic-Indic, fullwidth…) sort as their value. */
  digit = g_unichar_digit_value (c);
  if (digit >= 0)
    {
      key_builder_push_rank (kb, (guint8) (KEY_DIGIT_0 + digit), TONE_NGANG);
      return;
    }

  if (g_unichar_isalnum (c) || g_unichar_type (c) == G_UNICODE_SPACING_MARK)
    key_builder_push_other (kb, c);
  else
    kb->has_last = FALSE;
}

static void
sort_char_slow (KeyBuilder *kb,
                gunichar    cp)
{
  gunichar decomposed[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
  gsize n = g_unichar_fully_decompose (cp, FALSE, decomposed, G_N_ELEMENTS (decomposed));

  for (gsize i = 0; i < n; i++)
    {
      gunichar c = decomposed[i];
      GUnicodeType type = g_unichar_type (c);

      if (is_dropped_mark_type (type))
        {
          key_builder_apply_mark (kb, c);
        }
      else if (needs_casefold (type))
        {
          g_autofree char *folded = casefold_char (c);

          for (const char *q = folded; *q != '\0'; q = g_utf8_next_char (q))
            {
              gunichar f = g_utf8_get_char (q);

              if (is_dropped_mark_type (g_unichar_type (f)))
                key_builder_apply_mark (kb, f);
              else
                key_builder_push_char (kb, f);
            }
        }
      else
        {
          key_builder_push_char (kb, g_unichar_tolower (c));
        }
    }
}

static void
fill_entry (TextEntry *entry,
            gunichar   cp,
            GString   *scratch)
{
  KeyBuilder kb;

  g_string_truncate (scratch, 0);
  fold_char_slow (scratch, cp);
  if (scratch->len <= FOLD_MAX)
    {
      entry->fold_len = (guint8) scratch->len;
      memcpy (entry->fold, scratch->str, scratch->len);
    }
  else
    {
      entry->fold_len = FOLD_SLOW;
    }

  /* A mark's effect depends on the token before it, so it is applied at run
   * time; a mark that decomposes into several takes the slow path. */
  if (is_dropped_mark_type (g_unichar_type (cp)))
    {
      gunichar decomposed[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
      gsize n = g_unichar_fully_decompose (cp, FALSE, decomposed, G_N_ELEMENTS (decomposed));

      entry->sort_kind = (n == 1 && decomposed[0] == cp) ? SORT_MARK : SORT_SLOW;
      return;
    }

  key_builder_init (&kb);
  sort_char_slow (&kb, cp);

  if (kb.level1.len == 0)
    {
      entry->sort_kind = SORT_IGNORE;
    }
  else if (kb.level1.len <= G_N_ELEMENTS (entry->rank) && kb.level1.len == kb.level2.len)
    {
      /* As many level-1 bytes as tones: every token is a one-byte rank. */
      entry->sort_kind = SORT_LETTERS;
      entry->n_letters = (guint8) kb.level1.len;
      for (gsize i = 0; i < kb.level1.len; i++)
        {
          entry->rank[i] = kb.level1.data[i];
          entry->tone[i] = kb.level2.data[i];
        }
    }
  else
    {
      entry->sort_kind = SORT_SLOW;
    }

  key_builder_clear (&kb);
}

/* Threads that race on first use each build a table and the first one to
 * publish it wins; the others free theirs. Unlike g_once_init_enter(), whose
 * release happens inside GLib, both sides of this hand-over are visible to
 * ThreadSanitizer, and building the table costs only tens of microseconds. */
static const TextEntry *
get_table (void)
{
  TextEntry *table = g_atomic_pointer_get (&text_table);
  GString *scratch;

  if (G_LIKELY (table != NULL))
    return table;

  table = g_new0 (TextEntry, TABLE_SIZE);
  scratch = g_string_new (NULL);
  for (gunichar cp = TABLE_LOW_START; cp < TABLE_LOW_END; cp++)
    fill_entry (&table[table_index (cp)], cp, scratch);
  for (gunichar cp = TABLE_HIGH_START; cp < TABLE_HIGH_END; cp++)
    fill_entry (&table[table_index (cp)], cp, scratch);
  g_string_free (scratch, TRUE);

  if (!g_atomic_pointer_compare_and_exchange (&text_table, NULL, table))
    {
      g_free (table);
      table = g_atomic_pointer_get (&text_table);
    }

  return table;
}

/* The part of a number after a bare "84" is a Vietnamese national number
 * only when it has 9 or 10 digits, written with or without the trunk 0;
 * a shorter rest means "84" begins the national number itself. */
static gboolean
is_plausible_national (const char *digits,
                       gsize       n)
{
  if (n > 0 && digits[0] == '0')
    n--;
  return n >= 9 && n <= 10;
}

/**
 * crm_fold_append:
 * @out: the string to append to
 * @text: (nullable): UTF-8 text
 *
 * Appends the search form of @text to @out, as crm_fold() returns it, so
 * that a loop over many strings can reuse one buffer.
 */
void
crm_fold_append (GString    *out,
                 const char *text)
{
  const TextEntry *table;
  const guchar *p;

  g_return_if_fail (out != NULL);

  if (text == NULL)
    return;

  table = get_table ();
  p = (const guchar *) text;
  while (*p != '\0')
    {
      const TextEntry *entry;
      gunichar cp;

      if (*p < 0x80)
        {
          const guchar *run = p;
          gsize start = out->len;

          while (*p != '\0' && *p < 0x80)
            p++;
          g_string_append_len (out, (const char *) run, p - run);
          for (gsize i = start; i < out->len; i++)
            out->str[i] = ascii_lower (out->str[i]);
          continue;
        }

      cp = decode_utf8 (&p);
      entry = table_lookup (table, cp);
      if (entry != NULL && entry->fold_len != FOLD_SLOW)
        g_string_append_len (out, entry->fold, entry->fold_len);
      else
        fold_char_slow (out, cp);
    }
}

/**
 * crm_fold:
 * @text: (nullable): UTF-8 text
 *
 * Folds @text for diacritic- and case-insensitive search: canonical
 * decomposition, every non-spacing combining mark dropped, đ/Đ turned into
 * d, then case folding. "NGUYỄN VĂN ĐỨC" becomes "nguyen van duc". Invalid
 * UTF-8 bytes become U+FFFD, so the result is always valid UTF-8.
 *
 * Returns: (transfer full) (nullable): the folded text, or %NULL for %NULL
 */
char *
crm_fold (const char *text)
{
  GString *out;

  if (text == NULL)
    return NULL;

  out = g_string_sized_new (strlen (text) + 8);
  crm_fold_append (out, text);
  return g_string_free (out, FALSE);
}

/**
 * crm_sort_key:
 * @parts: (array zero-terminated=1) (nullable): name components in the
 *   order they are compared, for example given, family, middle
 * @length: (out): return location for the key's length
 *
 * Computes a binary key whose memcmp() order (a shorter key that is a prefix
 * of a longer one first) is the Vietnamese dictionary order of @parts,
 * whatever the process locale is.
 *
 * Level 1 is the letters of every part, ranked in the Vietnamese alphabet
 * (digits first, then a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư
 * v w x y z, then other scripts in code point order), case and punctuation
 * ignored, each part ended by a byte below every letter. Level 2, reached
 * only when level 1 is equal, is the tone of each letter: ngang, huyền, hỏi,
 * ngã, sắc, nặng.
 *
 * Returns: (transfer full) (array length=length): the key, which may contain
 *   zero bytes
 */
guint8 *
crm_sort_key (const char *const *parts,
              gsize             *length)
{
  const TextEntry *table;
  KeyBuilder kb;
  gsize level2_len;
  gsize key_len;
  guint8 *key;

  g_return_val_if_fail (length != NULL, NULL);

  table = get_table ();
  key_builder_init (&kb);

  for (gsize i = 0; parts != NULL && parts[i] != NULL; i++)
    {
      const guchar *p = (const guchar *) parts[i];

      kb.has_last = FALSE;
      while (*p != '\0')
        {
          const TextEntry *entry;
          gunichar cp;

          if (*p < 0x80)
            {
              guint8 rank = ascii_rank[*p++];

              if (rank != 0)
                key_builder_push_rank (&kb, rank, TONE_NGANG);
              else
                kb.has_last = FALSE;
              continue;
            }

          cp = decode_utf8 (&p);
          entry = table_lookup (table, cp);
          if (entry == NULL)
            {
              sort_char_slow (&kb, cp);
              continue;
            }

          switch ((SortKind) entry->sort_kind)
            {
            case SORT_LETTERS:
              for (guint j = 0; j < entry->n_letters; j++)
                key_builder_push_rank (&kb, entry->rank[j], entry->tone[j]);
              break;

            case SORT_MARK:
              key_builder_apply_mark (&kb, cp);
              break;

            case SORT_IGNORE:
              kb.has_last = FALSE;
              break;

            case SORT_SLOW:
            default:
              sort_char_slow (&kb, cp);
              break;
            }
        }

      key_buf_push (&kb.level1, KEY_PART_END);
    }

  /* Trailing ngang tones are the lowest value, and level 2 of keys with the
   * same level 1 has the same length, so dropping them keeps the order while
   * most unaccented names lose their whole level 2. */
  level2_len = kb.level2.len;
  while (level2_len > 0 && kb.level2.data[level2_len - 1] == TONE_NGANG)
    level2_len--;

  key_len = kb.level1.len + (level2_len > 0 ? 1 + level2_len : 0);
  key = g_malloc (MAX (key_len, 1));
  if (kb.level1.len > 0)
    memcpy (key, kb.level1.data, kb.level1.len);
  if (level2_len > 0)
    {
      key[kb.level1.len] = KEY_LEVEL_SEP;
      memcpy (key + kb.level1.len + 1, kb.level2.data, level2_len);
    }

  key_builder_clear (&kb);
  *length = key_len;
  return key;
}

/**
 * crm_phone_digits:
 * @text: (nullable): a phone number as typed, possibly partial
 *
 * Reduces a phone number to the digits that phone search compares: the
 * national significant number. "+84 90 312 3456", "0903 123 456" and
 * "84903123456" all give "903123456". With an explicit international prefix
 * ("+" or "00") the Vietnamese country code is always removed, so that a
 * partial "+84 90" already gives "90"; a bare "84" only when 9–10 digits
 * follow it. Numbers of other countries keep their country code.
 *
 * Returns: (transfer full) (nullable): the digits, possibly empty when only
 *   a prefix was typed, or %NULL when @text has no digit
 */
char *
crm_phone_digits (const char *text)
{
  GString *digits;
  gboolean international = FALSE;
  const guchar *p;
  const char *s;
  gsize n;
  gsize skip = 0;

  if (text == NULL)
    return NULL;

  digits = g_string_sized_new (16);
  p = (const guchar *) text;
  while (*p != '\0')
    {
      gunichar c = decode_utf8 (&p);
      int value;

      if (c >= '0' && c <= '9')
        value = (int) (c - '0');
      else if (c >= 0x80)
        value = g_unichar_digit_value (c);
      else
        value = -1;

      if (value >= 0)
        g_string_append_c (digits, (char) ('0' + value));
      else if ((c == '+' || c == 0xFF0B) && digits->len == 0)
        international = TRUE;
    }

  if (digits->len == 0)
    {
      g_string_free (digits, TRUE);
      return NULL;
    }

  s = digits->str;
  n = digits->len;

  /* No Vietnamese national number begins with 0 after the trunk 0, so a
   * leading "00" is always the international prefix. */
  if (!international && n >= 2 && s[0] == '0' && s[1] == '0')
    {
      international = TRUE;
      skip = 2;
    }

  if (international)
    {
      if (n - skip >= 2 && s[skip] == '8' && s[skip + 1] == '4')
        {
          skip += 2;
          /* "+84 (0) 903…" is written often enough. */
          if (s[skip] == '0')
            skip++;
        }
    }
  else if (n >= 2 && s[0] == '8' && s[1] == '4' && is_plausible_national (s + 2, n - 2))
    {
      skip = 2;
      if (s[skip] == '0')
        skip++;
    }
  else if (s[0] == '0')
    {
      skip = 1;
    }

  g_string_erase (digits, 0, skip);
  return g_string_free (digits, FALSE);
}

/**
 * crm_text_is_blank:
 * @text: (nullable): text as typed
 *
 * Returns: whether @text is %NULL, empty or nothing but white space
 */
gboolean
crm_text_is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (!g_unichar_isspace (g_utf8_get_char (p)))
        return FALSE;
    }

  return TRUE;
}
