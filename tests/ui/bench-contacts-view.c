/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>

#include "crm-contact-list.h"
#include "crm-contacts-view.h"
#include "crm-demo.h"
#include "crm-key.h"
#include "crm-scroll-measure.h"
#include "crm-test-util.h"

/* Scrolling the contacts list of a large encrypted workspace, which only
 * the toolkit can measure: the longest frame, from the frame clock's
 * before-paint to its after-paint (the rows read from the workspace and
 * laid out included), while the list scrolls as a mouse wheel does, as a
 * held Page Down does, and while it is flung from the first contact to
 * the last, every frame a stretch of rows not seen before. Run by
 * `meson test --benchmark` (build-aux/dev.sh bench) in a release build;
 * prints one table, and with --json one JSON object, each figure with its
 * target. Exits 1 when a figure misses its target. */

#define DEFAULT_CONTACTS 1000000
#define FRAME_TARGET_MS 16
/* Long enough for the window to finish what it was doing: pending
 * frames, idle work. */
#define SETTLE_MS 300

typedef struct
{
  const char *key;
  const char *label;
  guint       n_frames;
  double      pixels_per_frame;  /* 0: the whole list over the frames; -1: a page */
  double      worst;
  double      mean;
} Run;

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) key = NULL;
  g_autoptr (CrmStore) store = NULL;
  g_autoptr (GSettings) settings = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *workspace = NULL;
  Run runs[] = {
    { "wheel_worst_frame_ms", "worst frame, scrolling 40 px a frame (300 frames)", 300, 40 },
    { "page_down_worst_frame_ms", "worst frame, a page a frame (120 frames)", 120, -1 },
    { "fling_worst_frame_ms", "worst frame, flinging the whole list in 120 frames", 120, 0 },
  };
  CrmDemoOptions options;
  CrmContactList *list;
  CrmContactsView *view;
  GtkScrolledWindow *scroller;
  GtkWindow *window;
  gboolean json = FALSE;
  gboolean met = TRUE;
  guint contacts = DEFAULT_CONTACTS;
  guint read_before;
  guint read;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--json"))
        json = TRUE;
      else if (g_str_equal (argv[i], "--contacts") && i + 1 < argc)
        contacts = (guint) g_ascii_strtoull (argv[++i], NULL, 10);
    }
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  dir = crm_test_make_dir ();
  workspace = g_build_filename (dir, "workspace", NULL);
  key = crm_key_generate (&error);
  g_assert_no_error (error);
  store = crm_store_create (workspace, key, &error);
  g_assert_no_error (error);
  settings = g_settings_new (APPLICATION_ID);

  /* Contacts as the sample data makes them: companies, emails and phones
   * to show on every row. */
  crm_demo_options_init (&options);
  options.contacts = contacts;
  options.companies = MAX (contacts / 500, 40);
  options.deals = 0;
  options.interactions = 0;
  options.seed = 1;
  if (!crm_demo_fill (store, &options, NULL, NULL, NULL, &error))
    g_error ("Cannot make the contacts: %s", error->message);

  view = crm_contacts_view_new (store, settings);
  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 1366, 768);
  gtk_window_set_child (window, GTK_WIDGET (view));
  gtk_window_present (window);
  CRM_TEST_WAIT_FOR_MS (gtk_widget_get_mapped (GTK_WIDGET (view)), 10000);

  list = crm_contacts_view_get_model (view);
  CRM_TEST_WAIT_FOR_MS (!crm_contact_list_get_loading (list)
                        && g_list_model_get_n_items (G_LIST_MODEL (list)) == contacts,
                        60000);
  scroller = GTK_SCROLLED_WINDOW (gtk_widget_get_template_child (GTK_WIDGET (view),
                                                                 CRM_TYPE_CONTACTS_VIEW,
                                                                 "scrolled_window"));
  crm_test_run_ms (SETTLE_MS);

  read_before = crm_contact_list_get_n_materialized (list);
  for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      double pixels = runs[i].pixels_per_frame;

      if (pixels < 0)
        pixels = gtk_adjustment_get_page_size (gtk_scrolled_window_get_vadjustment (scroller));
      if (!crm_measure_scroll (scroller, runs[i].n_frames, pixels, &runs[i].worst, &runs[i].mean))
        g_error ("The list did not scroll: %s", runs[i].label);
      met = met && runs[i].worst <= FRAME_TARGET_MS;
      crm_test_run_ms (SETTLE_MS);
    }
  read = crm_contact_list_get_n_materialized (list) - read_before;

  gtk_window_destroy (window);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  if (json)
    {
      g_print ("{\"contacts\": %u, \"rows_read\": %u", contacts, read);
      for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
        g_print (", \"%s\": {\"value\": %.2f, \"mean\": %.2f, \"target\": %d, \"met\": %s}",
                 runs[i].key, runs[i].worst, runs[i].mean, FRAME_TARGET_MS,
                 runs[i].worst <= FRAME_TARGET_MS ? "true" : "false");
      g_print ("}\n");
    }
  else
    {
      g_print ("Contacts list, %u contacts\n\n", contacts);
      g_print ("%-58s %10s %10s  %s\n", "figure", "value", "target", "met");
      for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
        {
          g_print ("%-58s %7.2f ms %7s ms  %s\n", runs[i].label, runs[i].worst, "≤16",
                   runs[i].worst <= FRAME_TARGET_MS ? "yes" : "no");
          g_print ("%-58s %7.2f ms\n", "  mean frame", runs[i].mean);
        }
      g_print ("%-58s %10u\n", "contacts read from the workspace while scrolling", read);
    }

  crm_store_wait_for_workers (10000);
  g_clear_object (&store);
  crm_test_remove_tree (dir);
  return met ? 0 : 1;
}
