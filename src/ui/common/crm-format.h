/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How the views write money, dates and other stored values for people.
 * Every function returns a new string and accepts NULL or empty input where
 * noted, returning NULL then, so that a caller can hide what is not set. */

/* Minor units of @currency (ISO 4217) in the currency's own convention:
 * 12500000 VND → "12.500.000 ₫", 123450 USD → "$1,234.50",
 * 99900 CNY → "999.00 CNY". A NULL currency is taken as VND. */
char       *crm_format_money              (gint64       amount,
                                           const char  *currency);
/* How many digits after the point @currency has (VND 0, USD 2, KWD 3). */
guint       crm_format_currency_digits    (const char  *currency);

/* "2026-11-22" → "Nov 22, 2026" in English, "22/11/2026" in Vietnamese.
 * NULL for NULL, empty or malformed text. */
char       *crm_format_date               (const char  *iso_date);
/* The local date of a UTC time in seconds, written as crm_format_date(). */
char       *crm_format_timestamp_date     (gint64       utc);

/* "Never" for -1, "Today", "Yesterday", "12 days ago". */
char       *crm_format_days_ago           (int          days);

/* Whole years from @iso_birthday to @today (local), or -1 when the text
 * is not a date or lies in the future. */
int         crm_format_age                (const char  *iso_birthday,
                                           GDateTime   *today);

/* "★★★★☆" for 4; NULL outside 1–5. */
char       *crm_format_stars              (int          satisfaction);

/* Translated names of stored keys; unknown keys come back as they are. */
const char *crm_format_interaction_kind   (const char  *kind);
const char *crm_format_channel            (const char  *channel);
const char *crm_format_gender             (const char  *gender);
const char *crm_format_sentiment          (const char  *sentiment);
const char *crm_format_detail_label       (const char  *label);
const char *crm_format_deal_status        (const char  *status);

/* A custom value as its field's type shows it: bool → "Yes"/"No", date →
 * crm_format_date(), choice → the label of its option. NULL when unset. */
char       *crm_format_custom_value       (const char  *type,
                                           const char  *options,
                                           const char  *value);

/* A file name made of @name without marks, lower case, words joined by
 * dashes ("Nguyễn Văn Đức", "json" → "nguyen-van-duc.json"); @fallback
 * when nothing of @name is left. */
char       *crm_format_file_name          (const char  *name,
                                           const char  *fallback,
                                           const char  *extension);

G_END_DECLS
