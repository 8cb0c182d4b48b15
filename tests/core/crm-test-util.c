/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "crm-test-util.h"

/* A fresh temporary directory for one test. */
char *
crm_test_make_dir (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("rapport-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
crm_test_remove_tree (const char *path)
{
  g_autoptr (GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_remove (path);
      return;
    }

  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      crm_test_remove_tree (child);
    }
  g_rmdir (path);
}

/* The whole file, or NULL when it does not exist. */
GBytes *
crm_test_read_file (const char *path)
{
  char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return NULL;

  return g_bytes_new_take (contents, length);
}

gboolean
crm_test_file_equal (const char *path,
                     GBytes     *expected)
{
  g_autoptr (GBytes) actual = crm_test_read_file (path);

  if (actual == NULL || expected == NULL)
    return actual == expected;

  return g_bytes_equal (actual, expected);
}

/* A timeout callback that sets the gboolean it is given. */
gboolean
crm_test_timed_out_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop for @ms milliseconds: for what the code under test
 * does after a pause, or for a window to finish its pending frames. */
void
crm_test_run_ms (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, crm_test_timed_out_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* Runs the main loop until only the caller holds @object: the worker threads
 * of contact lists hold the store until their answer is delivered, and a
 * test that returns while one still reads would tear the process down
 * under it. */
void
crm_test_wait_for_workers (gpointer object)
{
  gboolean timed_out = FALSE;
  guint timeout_id = g_timeout_add (30000, crm_test_timed_out_cb, &timed_out);

  while (G_OBJECT (object)->ref_count > 1 && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout_id);
  g_assert_cmpuint (G_OBJECT (object)->ref_count, ==, 1);
}
