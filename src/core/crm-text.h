/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char   *crm_fold          (const char        *text);
void    crm_fold_append   (GString           *out,
                           const char        *text);

guint8 *crm_sort_key      (const char *const *parts,
                           gsize             *length);

char   *crm_phone_digits  (const char        *text);

gboolean crm_text_is_blank (const char       *text);

G_END_DECLS
