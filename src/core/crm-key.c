/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-key"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include <glib/gi18n-lib.h>

#include "crm-key.h"

/* A recovery key is the key and a two-byte checksum, in RFC 4648 base32
 * (A–Z, 2–7) written in groups of five: 34 bytes make 55 characters, eleven
 * groups. The checksum tells a typo apart from a key of another workspace. */
#define CHECKSUM_LENGTH 2
#define RECOVERY_BYTES (CRM_KEY_LENGTH + CHECKSUM_LENGTH)
#define RECOVERY_CHARS ((RECOVERY_BYTES * 8 + 4) / 5)
#define GROUP_LENGTH 5

static const char base32_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

G_DEFINE_QUARK (crm-key-error-quark, crm_key_error)

static void
wipe_and_free (gpointer data)
{
  /* The size is not known here; the buffer was allocated by us with its
   * length stored just before it. */
  gsize *block = (gsize *) data - 1;

  explicit_bzero (data, *block);
  g_free (block);
}

/**
 * crm_key_new_secure:
 *
 * Copies key material into a #GBytes whose memory is wiped when freed.
 */
GBytes *
crm_key_new_secure (const guint8 *data,
                    gsize         length)
{
  gsize *block = g_malloc (sizeof (gsize) + MAX (length, 1));
  guint8 *copy = (guint8 *) (block + 1);

  *block = length;
  if (length > 0)
    memcpy (copy, data, length);

  return g_bytes_new_with_free_func (copy, length, wipe_and_free, copy);
}

GBytes *
crm_key_generate (GError **error)
{
  guint8 buffer[CRM_KEY_LENGTH];
  gsize filled = 0;
  GBytes *key;

  while (filled < sizeof buffer)
    {
      ssize_t n = getrandom (buffer + filled, sizeof buffer - filled, 0);

      if (n < 0)
        {
          int saved_errno = errno;

          if (saved_errno == EINTR)
            continue;

          explicit_bzero (buffer, sizeof buffer);
          g_set_error (error, CRM_KEY_ERROR, CRM_KEY_ERROR_RANDOM,
                       _("Cannot read random bytes for a new key: %s"), g_strerror (saved_errno));
          return NULL;
        }
      filled += n;
    }

  key = crm_key_new_secure (buffer, sizeof buffer);
  explicit_bzero (buffer, sizeof buffer);
  return key;
}

/**
 * crm_key_to_hex:
 *
 * Returns: (transfer full): the key as lowercase hex; free with crm_secret_free()
 */
char *
crm_key_to_hex (GBytes *key)
{
  static const char digits[] = "0123456789abcdef";
  gsize length = 0;
  const guint8 *data = g_bytes_get_data (key, &length);
  char *hex = g_malloc (length * 2 + 1);

  for (gsize i = 0; i < length; i++)
    {
      hex[2 * i] = digits[data[i] >> 4];
      hex[2 * i + 1] = digits[data[i] & 0xf];
    }
  hex[length * 2] = '\0';

  return hex;
}

static void
compute_checksum (const guint8 *key,
                  guint8        checksum[CHECKSUM_LENGTH])
{
  g_autoptr (GChecksum) sha = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize digest_length = sizeof digest;

  g_checksum_update (sha, key, CRM_KEY_LENGTH);
  g_checksum_get_digest (sha, digest, &digest_length);
  memcpy (checksum, digest, CHECKSUM_LENGTH);
}

/**
 * crm_key_to_recovery:
 *
 * Returns: (transfer full): the recovery key, eleven groups of five base32
 *   characters joined by dashes; free with crm_secret_free()
 */
char *
crm_key_to_recovery (GBytes *key)
{
  guint8 bytes[RECOVERY_BYTES];
  GString *out;
  guint buffer = 0;
  int bits = 0;
  int written = 0;

  g_return_val_if_fail (g_bytes_get_size (key) == CRM_KEY_LENGTH, NULL);

  memcpy (bytes, g_bytes_get_data (key, NULL), CRM_KEY_LENGTH);
  compute_checksum (bytes, bytes + CRM_KEY_LENGTH);

  out = g_string_sized_new (RECOVERY_CHARS + RECOVERY_CHARS / GROUP_LENGTH + 1);
  for (gsize i = 0; i < RECOVERY_BYTES || bits > 0; )
    {
      if (bits < 5 && i < RECOVERY_BYTES)
        {
          buffer = (buffer << 8) | bytes[i++];
          bits += 8;
        }

      if (bits < 5)
        {
          /* The last group is padded with zero bits. */
          buffer <<= 5 - bits;
          bits = 5;
        }

      if (written > 0 && written % GROUP_LENGTH == 0)
        g_string_append_c (out, '-');
      g_string_append_c (out, base32_alphabet[(buffer >> (bits - 5)) & 0x1f]);
      bits -= 5;
      written++;
    }

  explicit_bzero (bytes, sizeof bytes);
  buffer = 0;

  return g_string_free (out, FALSE);
}

static int
base32_value (gunichar c)
{
  c = g_unichar_toupper (c);

  /* Letters people mistake for digits that base32 leaves out. */
  if (c == '0')
    c = 'O';
  else if (c == '1')
    c = 'I';
  else if (c == '8')
    c = 'B';

  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= '2' && c <= '7')
    return 26 + (c - '2');

  return -1;
}

/**
 * crm_key_from_recovery:
 * @text: a recovery key as the user typed or pasted it: any case, with or
 *   without dashes and spaces
 *
 * Returns: (transfer full): the key, or %NULL with @error set
 */
GBytes *
crm_key_from_recovery (const char  *text,
                       GError     **error)
{
  guint8 bytes[RECOVERY_BYTES + 1];
  guint8 checksum[CHECKSUM_LENGTH];
  guint buffer = 0;
  int bits = 0;
  gsize n_bytes = 0;
  int n_chars = 0;
  GBytes *key = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char_validated (p, -1);
      int value;

      if (c == (gunichar) -1 || c == (gunichar) -2)
        break;
      if (g_unichar_isspace (c) || c == '-')
        continue;

      value = base32_value (c);
      if (value < 0 || n_chars >= RECOVERY_CHARS)
        {
          n_chars = -1;
          break;
        }

      buffer = (buffer << 5) | value;
      bits += 5;
      n_chars++;
      if (bits >= 8)
        {
          bytes[n_bytes++] = (buffer >> (bits - 8)) & 0xff;
          bits -= 8;
        }
    }

  if (n_chars != RECOVERY_CHARS || n_bytes != RECOVERY_BYTES)
    {
      g_set_error (error, CRM_KEY_ERROR, CRM_KEY_ERROR_MALFORMED,
                   _("A recovery key has %d letters and digits (A–Z, 2–7), in groups of %d"),
                   RECOVERY_CHARS, GROUP_LENGTH);
      goto out;
    }

  compute_checksum (bytes, checksum);
  if (memcmp (checksum, bytes + CRM_KEY_LENGTH, CHECKSUM_LENGTH) != 0)
    {
      g_set_error_literal (error, CRM_KEY_ERROR, CRM_KEY_ERROR_CHECKSUM,
                           _("This recovery key has a typing mistake: check each group"));
      goto out;
    }

  key = crm_key_new_secure (bytes, CRM_KEY_LENGTH);

out:
  explicit_bzero (bytes, sizeof bytes);
  buffer = 0;
  return key;
}

/**
 * crm_secret_free:
 *
 * Wipes and frees a string that held key material.
 */
void
crm_secret_free (char *secret)
{
  if (secret == NULL)
    return;

  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}
