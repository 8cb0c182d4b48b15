/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "crm-scroll-measure.h"

typedef struct
{
  GtkAdjustment *adjustment;
  guint          n_frames;
  guint          frame;
  double         step;
  gint64         started;
  double         worst;
  double         sum;
  guint          measured;
  gboolean       ticking;
  gboolean       timed_out;
} ScrollRun;

static gboolean
scroll_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  ScrollRun *run = user_data;

  run->frame++;
  gtk_adjustment_set_value (run->adjustment, run->step * run->frame);
  if (run->frame < run->n_frames)
    return G_SOURCE_CONTINUE;

  run->ticking = FALSE;
  return G_SOURCE_REMOVE;
}

static gboolean
scroll_timeout_cb (gpointer user_data)
{
  ScrollRun *run = user_data;

  run->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static void
on_before_paint (GdkFrameClock *clock,
                 ScrollRun     *run)
{
  run->started = g_get_monotonic_time ();
}

static void
on_after_paint (GdkFrameClock *clock,
                ScrollRun     *run)
{
  double ms;

  if (run->started == 0 || run->frame == 0)
    return;

  ms = (g_get_monotonic_time () - run->started) / 1000.0;
  run->worst = MAX (run->worst, ms);
  run->sum += ms;
  run->measured++;
  run->started = 0;
}

gboolean
crm_measure_scroll (GtkScrolledWindow *scroller,
                    guint              n_frames,
                    double             pixels_per_frame,
                    double            *worst_frame_ms,
                    double            *mean_frame_ms)
{
  GdkFrameClock *clock;
  ScrollRun run = { 0 };
  gulong before_id, after_id;
  guint tick, timeout;
  double range;

  g_return_val_if_fail (GTK_IS_SCROLLED_WINDOW (scroller), FALSE);
  g_return_val_if_fail (n_frames > 0, FALSE);

  clock = gtk_widget_get_frame_clock (GTK_WIDGET (scroller));
  if (clock == NULL || !gtk_widget_get_mapped (GTK_WIDGET (scroller)))
    return FALSE;

  run.adjustment = gtk_scrolled_window_get_vadjustment (scroller);
  run.n_frames = n_frames;
  range = gtk_adjustment_get_upper (run.adjustment) - gtk_adjustment_get_page_size (run.adjustment);
  run.step = pixels_per_frame > 0 ? pixels_per_frame : MAX (range, 0) / n_frames;
  gtk_adjustment_set_value (run.adjustment, 0);

  before_id = g_signal_connect (clock, "before-paint", G_CALLBACK (on_before_paint), &run);
  after_id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &run);
  run.ticking = TRUE;
  tick = gtk_widget_add_tick_callback (GTK_WIDGET (scroller), scroll_tick_cb, &run, NULL);
  timeout = g_timeout_add_seconds (30, scroll_timeout_cb, &run);

  while (run.measured < n_frames && !run.timed_out && gtk_widget_get_mapped (GTK_WIDGET (scroller)))
    g_main_context_iteration (NULL, TRUE);

  if (!run.timed_out)
    g_source_remove (timeout);
  if (run.ticking)
    gtk_widget_remove_tick_callback (GTK_WIDGET (scroller), tick);
  g_signal_handler_disconnect (clock, before_id);
  g_signal_handler_disconnect (clock, after_id);

  if (worst_frame_ms != NULL)
    *worst_frame_ms = run.worst;
  if (mean_frame_ms != NULL)
    *mean_frame_ms = run.measured > 0 ? run.sum / run.measured : 0;
  return run.measured >= n_frames;
}
