/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Writing vCard 4.0 (RFC 6350): lines end in CRLF and are folded at 75
 * octets without splitting a UTF-8 character; text values escape
 * backslash, comma, semicolon and newlines. */

char *crm_vcard_escape              (const char        *text);
void  crm_vcard_append_line         (GString           *card,
                                     const char        *line);
void  crm_vcard_append_text         (GString           *card,
                                     const char        *name,
                                     const char        *params,
                                     const char        *value);
void  crm_vcard_append_uri          (GString           *card,
                                     const char        *name,
                                     const char        *params,
                                     const char        *uri);
void  crm_vcard_append_structured   (GString           *card,
                                     const char        *name,
                                     const char        *params,
                                     const char *const *components,
                                     gsize              n_components);
void  crm_vcard_append_list         (GString           *card,
                                     const char        *name,
                                     const char *const *values);

G_END_DECLS
