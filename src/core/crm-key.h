/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The workspace key: 32 random bytes, given to SQLCipher as a raw key. */
#define CRM_KEY_LENGTH 32

#define CRM_KEY_ERROR (crm_key_error_quark ())

typedef enum {
  CRM_KEY_ERROR_MALFORMED,  /* not a recovery key at all: wrong length or characters */
  CRM_KEY_ERROR_CHECKSUM,   /* looks like one, but a character is mistyped */
  CRM_KEY_ERROR_RANDOM,     /* the system gave no random bytes */
} CrmKeyError;

GQuark  crm_key_error_quark         (void);

GBytes *crm_key_generate            (GError      **error);
GBytes *crm_key_new_secure          (const guint8 *data,
                                     gsize         length);
char   *crm_key_to_hex              (GBytes       *key);
char   *crm_key_to_recovery         (GBytes       *key);
GBytes *crm_key_from_recovery       (const char   *text,
                                     GError      **error);
void    crm_secret_free             (char         *secret);

/* A string that holds key material: wiped before it is freed. */
typedef char CrmSecret;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrmSecret, crm_secret_free)

G_END_DECLS
