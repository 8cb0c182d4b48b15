/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>

#include "crm-key.h"
#include "crm-pipeline.h"
#include "crm-pipeline-view.h"
#include "crm-test-util.h"

/* The board's figures of issue "The pipeline board" that only the toolkit
 * can measure: how soon the board shows once the user switches to it, and
 * the longest frame while a 3,000-card column scrolls, from the frame
 * clock's before-paint to its after-paint. Run by `meson test --benchmark`
 * (build-aux/dev.sh bench) in a release build; prints one table, and with
 * --json one JSON object, each figure with its target. Exits 1 when a
 * figure misses its target. */

#define OPEN_DEALS 10000
#define FIRST_COLUMN 3000
#define RUNS 5
/* Long enough for the window to finish what it was doing: pending
 * frames, idle work. */
#define SETTLE_MS 300

static gboolean
painted (gpointer user_data)
{
  return *(gboolean *) user_data;
}

static void
on_after_paint (GdkFrameClock *clock,
                gboolean      *done)
{
  *done = TRUE;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) key = NULL;
  g_autoptr (CrmStore) store = NULL;
  g_autoptr (CrmPipeline) pipeline = NULL;
  g_autoptr (GSettings) settings = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *workspace = NULL;
  g_autofree char *sql = NULL;
  gboolean json = FALSE;
  double shown_ms[RUNS];
  double worst = 0, mean = 0, fling_worst = 0, fling_mean = 0;
  double shown_median;
  GtkWidget *stack;
  GtkWindow *window;
  GdkFrameClock *clock;
  gint64 first_stage;
  gboolean met;

  json = argc > 1 && g_str_equal (argv[1], "--json");
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
  pipeline = crm_pipeline_load (store, 0, &error);
  g_assert_no_error (error);
  first_stage = ((CrmStage *) g_ptr_array_index (pipeline->stages, 0))->id;

  /* 10,000 open deals: 3,000 in the first column, the rest spread over
   * the next three, with owners, values and close dates to show. */
  sql = g_strdup_printf ("WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n "
                         "WHERE i < %d) "
                         "INSERT INTO deal (title, stage_id, value, currency, owner, position, "
                         "expected_close, stage_entered) "
                         "SELECT 'Hợp đồng phần mềm ' || i, CASE WHEN i < %d THEN %" G_GINT64_FORMAT
                         " ELSE %" G_GINT64_FORMAT " + 1 + (i %% 3) END, (i + 1) * 100000, "
                         "CASE WHEN i %% 10 = 0 THEN 'USD' ELSE 'VND' END, 'Người phụ trách ' || (i %% 7), "
                         "i * %" G_GINT64_FORMAT ", CASE WHEN i %% 4 = 0 THEN '2020-01-01' "
                         "ELSE '2030-12-01' END, unixepoch() - (i %% 40) * 86400 FROM n",
                         OPEN_DEALS - 1, FIRST_COLUMN, first_stage, first_stage,
                         CRM_DEAL_POSITION_GAP);
  if (!crm_store_exec (store, sql, &error))
    g_error ("Cannot add the deals: %s", error->message);

  /* The window shows another page first, as the main window does, so that
   * fonts and styles are loaded before the switch. */
  stack = gtk_stack_new ();
  gtk_stack_add_named (GTK_STACK (stack), gtk_label_new ("Liên hệ 12.500.000 ₫"), "contacts");
  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 1366, 768);
  gtk_window_set_child (window, stack);
  gtk_window_present (window);
  CRM_TEST_WAIT_FOR_MS (gtk_widget_get_mapped (GTK_WIDGET (window)), 10000);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));

  for (guint run = 0; run < RUNS; run++)
    {
      GtkWidget *overlay;
      CrmPipelineView *view;
      gboolean done = FALSE;
      gint64 started;

      gtk_stack_set_visible_child_name (GTK_STACK (stack), "contacts");
      crm_test_run_ms (SETTLE_MS);

      /* From making the view and switching to it to its first painted
       * frame. */
      started = g_get_monotonic_time ();
      overlay = adw_toast_overlay_new ();
      view = crm_pipeline_view_new (store, settings);
      adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), GTK_WIDGET (view));
      gtk_stack_add_named (GTK_STACK (stack), overlay, "pipeline");
      gtk_stack_set_visible_child_name (GTK_STACK (stack), "pipeline");
      g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &done);
      CRM_TEST_WAIT_FOR_MS (gtk_widget_get_mapped (GTK_WIDGET (view)) && painted (&done), 10000);
      shown_ms[run] = (g_get_monotonic_time () - started) / 1000.0;
      g_signal_handlers_disconnect_by_func (clock, on_after_paint, &done);

      if (run == RUNS - 1)
        {
          crm_test_run_ms (SETTLE_MS);
          /* A fast wheel or touchpad scroll, 40 px a frame (2,400 px/s)… */
          g_assert_true (crm_pipeline_view_measure_scroll (view, first_stage, 300, 40, &worst,
                                                           &mean));
          /* …and a fling through the whole column in 120 frames, every row
           * new. */
          g_assert_true (crm_pipeline_view_measure_scroll (view, first_stage, 120, 0,
                                                           &fling_worst, &fling_mean));
        }
      else
        {
          gtk_stack_set_visible_child_name (GTK_STACK (stack), "contacts");
          gtk_stack_remove (GTK_STACK (stack), overlay);
        }
    }

  gtk_window_destroy (window);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  qsort (shown_ms, RUNS, sizeof (double), compare_doubles);
  shown_median = shown_ms[RUNS / 2];
  met = shown_median <= 300 && MAX (worst, fling_worst) <= 16;

  if (json)
    {
      g_print ("{\"open_deals\": %d, "
               "\"board_shown_median_ms\": {\"value\": %.1f, \"target\": 300, \"met\": %s}, "
               "\"scroll_worst_frame_ms\": {\"value\": %.2f, \"mean\": %.2f, \"target\": 16, "
               "\"met\": %s}, "
               "\"fling_worst_frame_ms\": {\"value\": %.2f, \"mean\": %.2f, \"target\": 16, "
               "\"met\": %s}}\n",
               OPEN_DEALS, shown_median, shown_median <= 300 ? "true" : "false",
               worst, mean, worst <= 16 ? "true" : "false",
               fling_worst, fling_mean, fling_worst <= 16 ? "true" : "false");
    }
  else
    {
      g_print ("Pipeline board, %d open deals (%d in the first column)\n\n", OPEN_DEALS,
               FIRST_COLUMN);
      g_print ("%-58s %10s %10s  %s\n", "figure", "value", "target", "met");
      g_print ("%-58s %7.1f ms %7s ms  %s\n", "board shown after switching to it, median of 5",
               shown_median, "≤300", shown_median <= 300 ? "yes" : "no");
      g_print ("%-58s %7.2f ms %7s ms  %s\n", "worst frame, scrolling 40 px a frame (300 frames)",
               worst, "≤16", worst <= 16 ? "yes" : "no");
      g_print ("%-58s %7.2f ms %7s    \n", "  mean frame", mean, "");
      g_print ("%-58s %7.2f ms %7s ms  %s\n", "worst frame, flinging the column in 120 frames",
               fling_worst, "≤16", fling_worst <= 16 ? "yes" : "no");
      g_print ("%-58s %7.2f ms %7s    \n", "  mean frame", fling_mean, "");
    }

  g_clear_object (&store);
  crm_test_remove_tree (dir);
  return met ? 0 : 1;
}
