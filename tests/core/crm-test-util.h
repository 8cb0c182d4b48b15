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

G_END_DECLS
