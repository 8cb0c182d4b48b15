/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "crm-store.h"

G_BEGIN_DECLS

#define CRM_TYPE_PIPELINE_VIEW (crm_pipeline_view_get_type ())

G_DECLARE_FINAL_TYPE (CrmPipelineView, crm_pipeline_view, CRM, PIPELINE_VIEW, AdwBin)

CrmPipelineView *crm_pipeline_view_new             (CrmStore        *store,
                                                    GSettings       *settings);
/* Reads the board again now instead of at the next idle. */
void             crm_pipeline_view_reload          (CrmPipelineView *self);

/* For tests and measurements. */

/* The column of @stage_id: its list, its drop target, and its header as
 * shown: "count\ntotal\nweighted". */
GtkListView     *crm_pipeline_view_get_list_view   (CrmPipelineView *self,
                                                    gint64           stage_id);
GtkDropTarget   *crm_pipeline_view_get_drop_target (CrmPipelineView *self,
                                                    gint64           stage_id);
char            *crm_pipeline_view_dup_header      (CrmPipelineView *self,
                                                    gint64           stage_id);
/* The summary bar as shown: "open\nweighted\nidle". */
char            *crm_pipeline_view_dup_summary     (CrmPipelineView *self);
/* The deal whose card has the keyboard focus, or 0. */
gint64           crm_pipeline_view_get_focused_deal (CrmPipelineView *self);
/* Gives the keyboard focus to @deal_id's card, scrolling its column to it;
 * FALSE when the board does not show that deal. */
gboolean         crm_pipeline_view_focus_deal      (CrmPipelineView *self,
                                                    gint64           deal_id);
/* Scrolls the column of @stage_id from its top by @pixels_per_frame each
 * frame (0: the whole column over the frames) for @n_frames frames,
 * running the main loop, and gives the longest frame's work (from the
 * frame clock's "before-paint" to its "after-paint") in milliseconds and
 * the mean. FALSE when the view is not shown. */
gboolean         crm_pipeline_view_measure_scroll  (CrmPipelineView *self,
                                                    gint64           stage_id,
                                                    guint            n_frames,
                                                    double           pixels_per_frame,
                                                    double          *worst_frame_ms,
                                                    double          *mean_frame_ms);

G_END_DECLS
