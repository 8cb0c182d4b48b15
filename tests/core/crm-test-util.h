/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "crm-store.h"

G_BEGIN_DECLS

char     *crm_test_make_dir      (void);
void      crm_test_remove_tree   (const char *path);
GBytes   *crm_test_read_file     (const char *path);
gboolean  crm_test_file_equal    (const char *path,
                                  GBytes     *expected);
gboolean  crm_test_timed_out_cb  (gpointer    user_data);
void      crm_test_run_ms        (guint       ms);
void      crm_test_wait_for_workers (gpointer  object);

/* Runs the main loop until @condition holds or @ms milliseconds have
 * passed, then asserts @condition. */
#define CRM_TEST_WAIT_FOR_MS(condition, ms)                                         \
  G_STMT_START {                                                                    \
    gboolean timed_out_ = FALSE;                                                    \
    guint timeout_id_ = g_timeout_add ((ms), crm_test_timed_out_cb, &timed_out_);   \
    while (!(condition) && !timed_out_)                                             \
      g_main_context_iteration (NULL, TRUE);                                        \
    if (!timed_out_)                                                                \
      g_source_remove (timeout_id_);                                                \
    g_assert_true (condition);                                                      \
  } G_STMT_END

G_END_DECLS
