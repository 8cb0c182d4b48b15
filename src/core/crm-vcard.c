/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-vcard"

#include "config.h"

#include <string.h>

#include "crm-vcard.h"

#define FOLD_OCTETS 75

/**
 * crm_vcard_escape:
 * @text: (nullable): a text value
 *
 * Escapes a text value (RFC 6350, 3.4): backslash, comma and semicolon get a
 * backslash, a newline (CRLF, CR or LF) becomes "\n".
 *
 * Returns: (transfer full): the escaped text
 */
char *
crm_vcard_escape (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text != NULL ? text : ""; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '\\':
        case ',':
        case ';':
          g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
          break;

        case '\r':
          if (p[1] == '\n')
            p++;
          g_string_append (out, "\\n");
          break;

        case '\n':
          g_string_append (out, "\\n");
          break;

        default:
          g_string_append_c (out, *p);
        }
    }

  return g_string_free (out, FALSE);
}

/**
 * crm_vcard_append_line:
 * @line: one unfolded content line, without its line break
 *
 * Appends the line folded so that no physical line is longer than 75
 * octets; a continuation line begins with a space, and a UTF-8 character is
 * never split.
 */
void
crm_vcard_append_line (GString    *card,
                       const char *line)
{
  gsize column = 0;
  const char *p = line;

  while (*p != '\0')
    {
      const char *next = g_utf8_next_char (p);
      gsize octets = next - p;

      /* Invalid UTF-8 is never written: the callers hold database text. */
      if (column + octets > FOLD_OCTETS)
        {
          g_string_append (card, "\r\n ");
          column = 1;
        }

      g_string_append_len (card, p, octets);
      column += octets;
      p = next;
    }

  g_string_append (card, "\r\n");
}

static void
append_property (GString    *card,
                 const char *name,
                 const char *params,
                 const char *value)
{
  g_autofree char *line = g_strconcat (name, params != NULL && *params != '\0' ? ";" : "",
                                       params != NULL ? params : "", ":", value, NULL);

  crm_vcard_append_line (card, line);
}

/* Appends NAME;PARAMS:VALUE with the value escaped; nothing for no value. */
void
crm_vcard_append_text (GString    *card,
                       const char *name,
                       const char *params,
                       const char *value)
{
  g_autofree char *escaped = NULL;

  if (value == NULL || *value == '\0')
    return;

  escaped = crm_vcard_escape (value);
  append_property (card, name, params, escaped);
}

/* A URI value is written as it is, but a line break cannot be part of it. */
void
crm_vcard_append_uri (GString    *card,
                      const char *name,
                      const char *params,
                      const char *uri)
{
  g_autofree char *clean = NULL;

  if (uri == NULL || *uri == '\0')
    return;

  clean = g_strdelimit (g_strdup (uri), "\r\n", ' ');
  append_property (card, name, params, clean);
}

/* N, ADR: components separated by semicolons, each escaped; a NULL
 * component is empty. Nothing is written when every component is empty. */
void
crm_vcard_append_structured (GString           *card,
                             const char        *name,
                             const char        *params,
                             const char *const *components,
                             gsize              n_components)
{
  g_autoptr (GString) value = g_string_new (NULL);
  gboolean any = FALSE;

  for (gsize i = 0; i < n_components; i++)
    {
      g_autofree char *escaped = crm_vcard_escape (components[i]);

      if (i > 0)
        g_string_append_c (value, ';');
      g_string_append (value, escaped);
      any |= *escaped != '\0';
    }

  if (any)
    append_property (card, name, params, value->str);
}

/* CATEGORIES: a comma-separated list of escaped text values. */
void
crm_vcard_append_list (GString           *card,
                       const char        *name,
                       const char *const *values)
{
  g_autoptr (GString) value = g_string_new (NULL);

  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    {
      g_autofree char *escaped = crm_vcard_escape (values[i]);

      if (*escaped == '\0')
        continue;
      if (value->len > 0)
        g_string_append_c (value, ',');
      g_string_append (value, escaped);
    }

  if (value->len > 0)
    append_property (card, name, NULL, value->str);
}
