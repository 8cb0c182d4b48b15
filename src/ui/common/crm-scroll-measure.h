/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Scrolls @scroller from its top by @pixels_per_frame each frame (0: the
 * whole of it over the frames) for @n_frames frames, running the main
 * loop, and gives the longest frame's work (from the frame clock's
 * "before-paint" to its "after-paint", so the rows read and laid out for
 * it too) in milliseconds and the mean. FALSE when @scroller is not shown
 * or the frames did not come within 30 seconds. */
gboolean crm_measure_scroll (GtkScrolledWindow *scroller,
                             guint              n_frames,
                             double             pixels_per_frame,
                             double            *worst_frame_ms,
                             double            *mean_frame_ms);

G_END_DECLS
