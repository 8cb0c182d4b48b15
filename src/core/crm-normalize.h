/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Clean data: the rules every write path (the editor, rapport-cli, import)
 * applies before a value is stored. Each function returns the normalised
 * value, or NULL with @error set to a translated, one-line message that says
 * what is wrong with the value (CRM_NORMALIZE_ERROR). */

#define CRM_NORMALIZE_ERROR (crm_normalize_error_quark ())

typedef enum {
  CRM_NORMALIZE_ERROR_EMPTY,
  CRM_NORMALIZE_ERROR_INVALID,
} CrmNormalizeError;

GQuark    crm_normalize_error_quark  (void);

/* "nguyễn  văn đức" → "Nguyễn Văn Đức"; spaces collapsed, diacritics kept,
 * particles such as "van der" or "de" stay as typed after the first word. */
char     *crm_normalize_name         (const char  *text);

/* Any way a Vietnamese office writes a number ("0903 123 456", "(028) 3822
 * 1234", "+84 903.123.456", "0084903123456", "01683 456 789" from before the
 * 2018 renumbering, foreign numbers with +) to E.164 ("+84903123456").
 * @default_region is "VN" for now. */
char     *crm_normalize_phone        (const char  *text,
                                      GError     **error);

/* E.164 to the national way of writing it: "0903 123 456",
 * "028 3822 1234"; foreign numbers stay international ("+1 415 555 0100"
 * may be given as "+14155550100"). */
char     *crm_phone_format_national  (const char  *e164);

/* Whether @e164 is a Vietnamese mobile number (one that gets SMS and Zalo). */
gboolean  crm_phone_is_vietnamese_mobile (const char  *e164);

/* Trimmed, domain lowercased ("An.Nguyen@Gmail.COM " →
 * "An.Nguyen@gmail.com"); malformed addresses are an error. */
char     *crm_normalize_email        (const char  *text,
                                      GError     **error);

/* Vietnamese tax code (mã số thuế): 10 digits, or 10 + "-" + 3 for a branch
 * (13 digits, typed with or without the dash or spaces), with the check
 * digit verified. Returns "0101234567" or "0101234567-001". */
char     *crm_normalize_tax_code     (const char  *text,
                                      GError     **error);

/* The check digit (0–9) of the first nine digits of a tax code, or -1 when
 * no code can be issued with them (or they are not nine digits). */
int       crm_tax_code_check_digit   (const char  *digits);

G_END_DECLS
