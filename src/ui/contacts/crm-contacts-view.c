/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-contacts-view"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>

#include "crm-bulk.h"
#include "crm-company-editor.h"
#include "crm-company-filter.h"
#include "crm-company-list.h"
#include "crm-company-page.h"
#include "crm-contact.h"
#include "crm-contact-editor.h"
#include "crm-contact-list-row.h"
#include "crm-contact-page.h"
#include "crm-contacts-view.h"
#include "crm-deal.h"
#include "crm-deal-editor.h"
#include "crm-deal-page.h"
#include "crm-fields.h"
#include "crm-filter.h"
#include "crm-initials.h"
#include "crm-pipeline.h"
#include "crm-row-text.h"
#include "crm-segment.h"
#include "crm-tags.h"

/* What the list pane shows, as picked in the sidebar. */
typedef enum {
  MODE_CONTACTS,
  MODE_COMPANIES,
  MODE_ARCHIVED,
  MODE_SEGMENT,
} Mode;

/* The one change that Undo takes back: the latest. */
typedef struct
{
  CrmUndo     *undo;
  CrmBulkUndo *bulk;
} PendingUndo;

struct _CrmContactsView
{
  AdwBin             parent_instance;

  /* template widgets */
  AdwLeaflet        *leaflet;
  GtkListBox        *sidebar_list;
  GtkButton         *sidebar_button;
  GtkMenuButton     *filter_button;
  GtkBox            *filter_box;
  GtkButton         *new_button;
  GtkRevealer       *filter_revealer;
  GtkLabel          *filter_label;
  GtkButton         *save_segment_button;
  GtkButton         *delete_segment_button;
  GtkButton         *rename_segment_button;
  GtkListView       *company_view;
  GtkRevealer       *selection_revealer;
  GtkLabel          *selection_label;
  GtkRevealer       *progress_revealer;
  GtkProgressBar    *progress_bar;
  GtkRevealer       *back_revealer;
  GtkStack          *detail_stack;
  AdwStatusPage     *none_page;
  AdwStatusPage     *selection_page;
  GtkSearchEntry    *search_entry;
  GtkLabel          *count_label;
  GtkStack          *stack;
  GtkSpinner        *spinner;
  GtkScrolledWindow *scrolled_window;
  GtkListView       *list_view;
  AdwStatusPage     *empty_page;
  AdwStatusPage     *no_matches_page;

  /* owned references */
  CrmStore          *store;
  GSettings         *settings;
  CrmContactList    *model;
  GtkMultiSelection *selection;
  CrmCompanyList    *companies;
  CrmFilter         *filter;        /* what the filter popover set */
  CrmCompanyFilter  *company_filter; /* what it set on the companies; NULL: none */
  PendingUndo        pending;
  GCancellable      *counts_cancellable;

  /* widgets made as needed */
  CrmContactPage    *contact_page;
  CrmCompanyPage    *company_page;
  GtkWidget         *segment_menu;  /* a segment row's context menu, parented to the view */

  /* state */
  Mode               mode;
  gint64             segment_id;
  gboolean           busy;
  GtkWidget         *busy_focus;    /* weak: where the focus was before a change */
  gboolean           sidebar_requested;
  guint              counts_source;
};

G_DEFINE_FINAL_TYPE (CrmContactsView, crm_contacts_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SETTINGS,
  PROP_MODEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void on_sidebar_row_selected (GtkListBox      *list,
                                     GtkListBoxRow   *row,
                                     CrmContactsView *self);
static void add_segment_row_controllers (CrmContactsView *self,
                                         GtkWidget       *row,
                                         gint64           segment_id);

/* Toasts and undo */

static void
pending_clear (CrmContactsView *self)
{
  g_clear_pointer (&self->pending.undo, crm_undo_free);
  g_clear_pointer (&self->pending.bulk, crm_bulk_undo_free);
}

static AdwToastOverlay *
find_toast_overlay (CrmContactsView *self)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  return overlay != NULL ? ADW_TOAST_OVERLAY (overlay) : NULL;
}

static void
show_toast (CrmContactsView *self,
            const char      *title,
            gboolean         with_undo)
{
  AdwToastOverlay *overlay = find_toast_overlay (self);
  g_autofree char *escaped = NULL;
  AdwToast *toast;

  if (overlay == NULL)
    return;

  /* A toast's title is markup in libadwaita 1.2; names may hold "&". */
  escaped = g_markup_escape_text (title, -1);
  toast = adw_toast_new (escaped);
  if (with_undo)
    {
      adw_toast_set_button_label (toast, _("_Undo"));
      adw_toast_set_action_name (toast, "contacts.undo");
      adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
    }
  adw_toast_overlay_add_toast (overlay, toast);
}

static void
show_error (CrmContactsView *self,
            const GError    *error)
{
  show_toast (self, error->message, FALSE);
}

static void
take_undo (CrmContactsView *self,
           CrmUndo         *undo,
           const char      *title)
{
  pending_clear (self);
  self->pending.undo = undo;
  show_toast (self, title, undo != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "contacts.undo", undo != NULL);
}

/* The count under the search entry */

static gboolean
is_searching (CrmContactsView *self)
{
  const char *query = crm_contact_list_get_query (self->model);

  return query != NULL && *query != '\0';
}

static gboolean
is_filtering (CrmContactsView *self)
{
  const CrmFilter *filter = crm_contact_list_get_filter (self->model);

  return is_searching (self)
         || (filter != NULL && !crm_filter_is_empty (filter) && self->mode != MODE_ARCHIVED)
         || (filter != NULL && self->mode == MODE_ARCHIVED && self->filter != NULL
             && !crm_filter_is_empty (self->filter));
}

static void
update_count (CrmContactsView *self,
              guint            n_items,
              guint            total,
              gboolean         loading)
{
  g_autofree char *text = NULL;

  if (self->mode == MODE_COMPANIES)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->companies));
      guint all = crm_company_list_get_total (self->companies);
      const char *query = crm_company_list_get_query (self->companies);

      if (self->company_filter != NULL || (query != NULL && *query != '\0'))
        /* Translators: how many companies a search or filter kept, of how
         * many there are: "3 of 40 companies". */
        text = g_strdup_printf (ngettext ("%'u of %'u company", "%'u of %'u companies", all),
                                n, all);
      else
        /* Translators: how many companies the list shows; %'u is the number,
         * written with the thousands separator of the language. */
        text = g_strdup_printf (ngettext ("%'u company", "%'u companies", n), n);
    }
  else if (is_filtering (self) || self->mode == MODE_ARCHIVED || self->mode == MODE_SEGMENT)
    {
      if (loading)
        {
          /* Translators: a search or filter is still counting its matches;
           * %'u is how many it found so far. */
          text = g_strdup_printf (ngettext ("%'u match so far…", "%'u matches so far…", n_items),
                                  n_items);
        }
      else
        {
          /* Translators: how many contacts the search found; %'u is the number,
           * written with the thousands separator of the language. */
          text = g_strdup_printf (ngettext ("%'u match", "%'u matches", n_items), n_items);
        }
    }
  else
    {
      /* While the list loads, the total counts only what has loaded so far:
       * keep the last count (none at first) rather than show a wrong one. */
      if (loading)
        return;
      /* Translators: how many contacts the workspace holds; %'u is the
       * number, written with the thousands separator of the language. */
      text = g_strdup_printf (ngettext ("%'u contact", "%'u contacts", total), total);
    }

  gtk_label_set_text (self->count_label, text);
}

static void
update_state (CrmContactsView *self)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  guint total = crm_contact_list_get_total (self->model);
  gboolean loading = crm_contact_list_get_loading (self->model);
  const char *page;

  if (self->mode == MODE_COMPANIES)
    page = g_list_model_get_n_items (G_LIST_MODEL (self->companies)) > 0 ? "companies"
           : crm_company_list_get_total (self->companies) == 0 ? "empty" : "no-matches";
  else if (n_items > 0)
    page = "list";
  else if (loading)
    page = "loading";
  else if (total == 0 && self->mode == MODE_CONTACTS)
    page = "empty";
  else
    page = "no-matches";

  gtk_stack_set_visible_child_name (self->stack, page);
  gtk_spinner_set_spinning (self->spinner, g_str_equal (page, "loading"));
  update_count (self, n_items, total, loading);
}

static gboolean
clear_search (CrmContactsView *self)
{
  if (*gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) == '\0')
    return FALSE;

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  return TRUE;
}

/* Selection */

static guint
n_selected (CrmContactsView *self)
{
  g_autoptr (GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));

  return (guint) MIN (gtk_bitset_get_size (selected), G_MAXUINT);
}

/* The ids of the selected contacts, in list order. */
static GArray *
selected_ids (CrmContactsView *self)
{
  g_autoptr (GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  GArray *ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64),
                                   (guint) gtk_bitset_get_size (selected));
  GtkBitsetIter iter;
  guint position;

  if (gtk_bitset_iter_init_first (&iter, selected, &position))
    {
      do
        {
          gint64 id = crm_contact_list_get_id (self->model, position);

          if (id > 0)
            g_array_append_val (ids, id);
        }
      while (gtk_bitset_iter_next (&iter, &position));
    }

  return ids;
}

/* The detail pane */

static void
on_page_toast (CrmContactsView *self,
               const char      *message)
{
  show_toast (self, message, FALSE);
}

static void
show_contact (CrmContactsView *self,
              gint64           id)
{
  if (self->contact_page == NULL)
    {
      self->contact_page = CRM_CONTACT_PAGE (crm_contact_page_new (self->store));
      if (g_signal_lookup ("toast", CRM_TYPE_CONTACT_PAGE) != 0)
        g_signal_connect_object (self->contact_page, "toast", G_CALLBACK (on_page_toast), self,
                                 G_CONNECT_SWAPPED);
      gtk_stack_add_named (self->detail_stack, GTK_WIDGET (self->contact_page), "contact");
    }

  crm_contact_page_set_contact_id (self->contact_page, id);
  gtk_stack_set_visible_child_name (self->detail_stack, "contact");
}

static void
show_company (CrmContactsView *self,
              gint64           id)
{
  if (self->company_page == NULL)
    {
      self->company_page = CRM_COMPANY_PAGE (crm_company_page_new (self->store));
      if (g_signal_lookup ("toast", CRM_TYPE_COMPANY_PAGE) != 0)
        g_signal_connect_object (self->company_page, "toast", G_CALLBACK (on_page_toast), self,
                                 G_CONNECT_SWAPPED);
      gtk_stack_add_named (self->detail_stack, GTK_WIDGET (self->company_page), "company");
    }

  crm_company_page_set_company_id (self->company_page, id);
  gtk_stack_set_visible_child_name (self->detail_stack, "company");
}

/* Moves a folded view to another pane. The focus goes first: a focused
 * entry that is hidden under it would never hear that it lost it. */
static void
show_pane (CrmContactsView *self,
           const char      *name)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (g_strcmp0 (adw_leaflet_get_visible_child_name (self->leaflet), name) == 0)
    return;

  if (root != NULL && adw_leaflet_get_folded (self->leaflet))
    gtk_root_set_focus (root, NULL);
  adw_leaflet_set_visible_child_name (self->leaflet, name);
}

static void
show_detail_pane (CrmContactsView *self)
{
  show_pane (self, "detail");
}

static void
update_selection (CrmContactsView *self)
{
  guint n = self->mode == MODE_COMPANIES ? 0 : n_selected (self);

  gtk_revealer_set_reveal_child (self->selection_revealer, n > 1);

  if (n > 1)
    {
      g_autofree char *title = NULL;

      /* Translators: %'u is how many contacts are selected. */
      title = g_strdup_printf (ngettext ("%'u selected", "%'u selected", n), n);
      gtk_label_set_text (self->selection_label, title);
      g_free (title);
      /* Translators: %'u is how many contacts are selected. */
      title = g_strdup_printf (ngettext ("%'u Contact Selected", "%'u Contacts Selected", n), n);
      adw_status_page_set_title (self->selection_page, title);
      gtk_stack_set_visible_child_name (self->detail_stack, "selection");
    }
  else if (n == 1)
    {
      g_autoptr (GArray) ids = selected_ids (self);

      if (ids->len == 1)
        {
          show_contact (self, g_array_index (ids, gint64, 0));
          /* One pane at a time: picking a contact opens it. */
          if (adw_leaflet_get_folded (self->leaflet))
            show_detail_pane (self);
        }
    }
  else if (g_strcmp0 (gtk_stack_get_visible_child_name (self->detail_stack), "selection") == 0)
    {
      gtk_stack_set_visible_child_name (self->detail_stack, "none");
    }
}

static void
on_selection_changed (CrmContactsView *self,
                      guint            position,
                      guint            n_items,
                      GtkSelectionModel *model)
{
  update_selection (self);
}

static void
on_list_view_activate (GtkListView     *list_view,
                       guint            position,
                       CrmContactsView *self)
{
  gint64 id = crm_contact_list_get_id (self->model, position);

  if (id <= 0)
    return;

  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
  show_contact (self, id);
  show_detail_pane (self);
}

static void
on_company_view_activate (GtkListView     *list_view,
                          guint            position,
                          CrmContactsView *self)
{
  g_autoptr (CrmCompanyRow) row = g_list_model_get_item (G_LIST_MODEL (self->companies), position);

  if (row == NULL)
    return;

  show_company (self, crm_company_row_get_id (row));
  show_detail_pane (self);
}

static void
on_company_selection_changed (CrmContactsView   *self,
                              guint              position,
                              guint              n_items,
                              GtkSelectionModel *model)
{
  gpointer row = gtk_single_selection_get_selected_item (GTK_SINGLE_SELECTION (model));

  if (row != NULL)
    {
      show_company (self, crm_company_row_get_id (row));
      if (adw_leaflet_get_folded (self->leaflet))
        show_detail_pane (self);
    }
}

/* Filters and segments */

/* The bar under the search: what the list is narrowed to, to save as a
 * segment or clear. */
static void
update_filter_bar (CrmContactsView *self)
{
  gboolean companies = self->mode == MODE_COMPANIES;
  const char *query = companies ? crm_company_list_get_query (self->companies)
                                : crm_contact_list_get_query (self->model);
  gboolean searching = query != NULL && *query != '\0';
  gboolean filtered = companies ? self->company_filter != NULL
                                : self->filter != NULL && !crm_filter_is_empty (self->filter);
  /* Companies have no segments: their bar only says what filters them. */
  gboolean shown = self->mode == MODE_SEGMENT || filtered || (!companies && searching);

  gtk_revealer_set_reveal_child (self->filter_revealer, shown);
  if (shown)
    {
      g_autoptr (GString) text = g_string_new (NULL);

      if (searching)
        /* Translators: the search text, in the bar that describes a filter. */
        g_string_printf (text, _("“%s”"), query);
      if (filtered)
        {
          sqlite3 *db = crm_store_get_db (self->store);
          g_autofree char *described = companies
                                       ? crm_company_filter_describe (self->company_filter, db)
                                       : crm_filter_describe (self->filter, db);

          if (text->len > 0)
            g_string_append (text, " · ");
          g_string_append (text, described);
        }
      gtk_label_set_text (self->filter_label, text->str);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->save_segment_button), !companies);
  gtk_widget_set_visible (GTK_WIDGET (self->delete_segment_button), self->mode == MODE_SEGMENT);
  gtk_widget_set_visible (GTK_WIDGET (self->rename_segment_button), self->mode == MODE_SEGMENT);
  if (self->mode == MODE_SEGMENT)
    {
      /* The target first: an action with a parameter never sees none. */
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->rename_segment_button),
                                              g_variant_new_int64 (self->segment_id));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->rename_segment_button),
                                      "contacts.rename-segment");
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "contacts.save-segment",
                                 self->mode == MODE_CONTACTS || self->mode == MODE_SEGMENT);
}

/* The list's filter: the popover's conditions, on the archived contacts in
 * the Archived list. */
static void
apply_filter (CrmContactsView *self)
{
  g_autoptr (CrmFilter) filter = self->filter != NULL ? crm_filter_copy (self->filter)
                                                      : crm_filter_new ();

  if (self->mode == MODE_ARCHIVED)
    crm_filter_set_archived (filter, CRM_FILTER_ARCHIVED_ONLY);

  crm_contact_list_set_filter (self->model, filter);
  update_filter_bar (self);
  update_state (self);
}

static void
set_filter (CrmContactsView *self,
            CrmFilter       *filter)
{
  g_clear_pointer (&self->filter, crm_filter_unref);
  if (filter != NULL)
    self->filter = crm_filter_ref (filter);
  apply_filter (self);
}

/* The filter of the Companies list; NULL or an empty one for none. */
static void
set_company_filter (CrmContactsView  *self,
                    CrmCompanyFilter *filter)
{
  const GError *error;

  g_clear_pointer (&self->company_filter, crm_company_filter_unref);
  if (filter != NULL && !crm_company_filter_is_empty (filter))
    self->company_filter = crm_company_filter_ref (filter);

  crm_company_list_set_filter (self->companies, self->company_filter);
  if ((error = crm_company_list_get_error (self->companies)) != NULL)
    show_error (self, error);
  update_filter_bar (self);
  update_state (self);
}

static void
set_mode (CrmContactsView *self,
          Mode             mode,
          gint64           segment_id)
{
  gboolean companies = mode == MODE_COMPANIES;

  self->mode = mode;
  self->segment_id = segment_id;

  g_object_set (self->search_entry, "placeholder-text",
                companies ? _("Search companies") : _("Search contacts"), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->search_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  companies ? _("Search companies") : _("Search contacts"), -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->new_button),
                               companies ? _("New Company") : _("New Contact"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->filter_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  companies ? _("Filter Companies") : _("Filter Contacts"), -1);
  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));

  if (mode == MODE_SEGMENT)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (CrmSegment) segment = crm_segment_load (self->store, segment_id, &error);
      g_autoptr (CrmFilter) filter = NULL;

      if (segment == NULL)
        {
          show_error (self, error);
          return;
        }

      filter = crm_filter_new_from_json (segment->filter, &error);
      if (filter == NULL)
        {
          show_error (self, error);
          filter = crm_filter_new ();
        }
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), segment->query);
      set_filter (self, filter);
    }
  else if (companies)
    {
      clear_search (self);
      set_company_filter (self, NULL);
    }
  else
    {
      clear_search (self);
      set_filter (self, NULL);
    }

  adw_status_page_set_title (self->none_page,
                             companies ? _("No Company Selected") : _("No Contact Selected"));
  adw_status_page_set_description (self->none_page,
                                   companies ? _("Pick a company from the list, or press Ctrl+N to add one")
                                             : _("Pick a contact from the list, or press Ctrl+N to add one"));
  adw_status_page_set_icon_name (self->none_page,
                                 companies ? "system-users-symbolic" : "avatar-default-symbolic");
  gtk_stack_set_visible_child_name (self->detail_stack, "none");
  update_state (self);
}

/* Live counts of the segments, read on a worker thread. */

typedef struct
{
  gint64  id;
  gint64  count;
} SegmentCount;

static void
count_segments_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  CrmStore *store = task_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) segments = crm_segments_list (store, &error);
  GArray *counts = g_array_new (FALSE, FALSE, sizeof (SegmentCount));
  sqlite3 *db;

  if (segments == NULL || (db = crm_store_open_reader (store, &error)) == NULL)
    {
      g_array_unref (counts);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (guint i = 0; i < segments->len && !g_cancellable_is_cancelled (cancellable); i++)
    {
      const CrmSegment *segment = g_ptr_array_index (segments, i);
      SegmentCount count = { segment->id, crm_segment_count (db, segment, NULL) };

      g_array_append_val (counts, count);
    }
  sqlite3_close (db);

  g_task_return_pointer (task, counts, (GDestroyNotify) g_array_unref);
}

static void
counts_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  CrmContactsView *self = CRM_CONTACTS_VIEW (source);
  g_autoptr (GArray) counts = g_task_propagate_pointer (G_TASK (result), NULL);

  if (counts == NULL)
    return;

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar_list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "segment-id"));
      GtkLabel *label = g_object_get_data (G_OBJECT (row), "count-label");

      if (id == 0 || label == NULL)
        continue;

      for (guint i = 0; i < counts->len; i++)
        {
          const SegmentCount *count = &g_array_index (counts, SegmentCount, i);

          if (count->id == id && count->count >= 0)
            {
              g_autofree char *text = g_strdup_printf ("%'" G_GINT64_FORMAT, count->count);

              gtk_label_set_text (label, text);
            }
        }
    }
}

static gboolean
count_segments (gpointer user_data)
{
  CrmContactsView *self = user_data;
  g_autoptr (GTask) task = NULL;

  self->counts_source = 0;
  if (self->counts_cancellable != NULL)
    g_cancellable_cancel (self->counts_cancellable);
  g_clear_object (&self->counts_cancellable);
  self->counts_cancellable = g_cancellable_new ();

  task = g_task_new (self, self->counts_cancellable, counts_done_cb, NULL);
  g_task_set_task_data (task, g_object_ref (self->store), g_object_unref);
  crm_store_run_worker (task, count_segments_thread);

  return G_SOURCE_REMOVE;
}

static void
queue_count_segments (CrmContactsView *self)
{
  if (self->counts_source == 0)
    self->counts_source = g_timeout_add (500, count_segments, self);
}

static GtkWidget *
make_sidebar_row (const char *icon_name,
                  const char *title,
                  GtkLabel  **count_label)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new (title);

  if (icon_name != NULL)
    gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name (icon_name));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);

  if (count_label != NULL)
    {
      GtkWidget *count = gtk_label_new (NULL);

      gtk_widget_add_css_class (count, "dim-label");
      gtk_widget_add_css_class (count, "numeric");
      gtk_box_append (GTK_BOX (box), count);
      *count_label = GTK_LABEL (count);
      g_object_set_data (G_OBJECT (row), "count-label", count);
    }

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);

  return row;
}

static void
rebuild_sidebar (CrmContactsView *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) segments = crm_segments_list (self->store, &error);
  GtkWidget *child;
  GtkWidget *row;
  GtkWidget *select = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar_list))) != NULL)
    gtk_list_box_remove (self->sidebar_list, child);

  row = make_sidebar_row ("avatar-default-symbolic", _("All Contacts"), NULL);
  g_object_set_data (G_OBJECT (row), "mode", GINT_TO_POINTER (MODE_CONTACTS));
  gtk_list_box_append (self->sidebar_list, row);
  if (self->mode == MODE_CONTACTS)
    select = row;

  row = make_sidebar_row ("system-users-symbolic", _("Companies"), NULL);
  g_object_set_data (G_OBJECT (row), "mode", GINT_TO_POINTER (MODE_COMPANIES));
  gtk_list_box_append (self->sidebar_list, row);
  if (self->mode == MODE_COMPANIES)
    select = row;

  row = make_sidebar_row ("folder-symbolic", _("Archived"), NULL);
  g_object_set_data (G_OBJECT (row), "mode", GINT_TO_POINTER (MODE_ARCHIVED));
  gtk_list_box_append (self->sidebar_list, row);
  if (self->mode == MODE_ARCHIVED)
    select = row;

  if (segments != NULL && segments->len > 0)
    {
      GtkWidget *heading = gtk_label_new (_("Segments"));

      gtk_label_set_xalign (GTK_LABEL (heading), 0);
      gtk_widget_add_css_class (heading, "heading");
      gtk_widget_add_css_class (heading, "dim-label");
      gtk_widget_set_margin_top (heading, 12);
      gtk_widget_set_margin_start (heading, 6);
      row = gtk_list_box_row_new ();
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), heading);
      gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_widget_set_focusable (row, FALSE);
      gtk_list_box_append (self->sidebar_list, row);

      for (guint i = 0; i < segments->len; i++)
        {
          const CrmSegment *segment = g_ptr_array_index (segments, i);
          GtkLabel *count = NULL;

          row = make_sidebar_row (NULL, segment->name, &count);
          g_object_set_data (G_OBJECT (row), "mode", GINT_TO_POINTER (MODE_SEGMENT));
          g_object_set_data (G_OBJECT (row), "segment-id", GSIZE_TO_POINTER (segment->id));
          add_segment_row_controllers (self, row, segment->id);
          gtk_list_box_append (self->sidebar_list, row);
          if (self->mode == MODE_SEGMENT && self->segment_id == segment->id)
            select = row;
        }
      queue_count_segments (self);
    }

  if (select != NULL)
    {
      g_signal_handlers_block_by_func (self->sidebar_list, on_sidebar_row_selected, self);
      gtk_list_box_select_row (self->sidebar_list, GTK_LIST_BOX_ROW (select));
      g_signal_handlers_unblock_by_func (self->sidebar_list, on_sidebar_row_selected, self);
    }
}

static void
on_sidebar_row_selected (GtkListBox      *list,
                         GtkListBoxRow   *row,
                         CrmContactsView *self)
{
  Mode mode;
  gint64 segment_id;

  if (row == NULL)
    return;

  mode = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "mode"));
  segment_id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "segment-id"));
  if (mode == self->mode && segment_id == self->segment_id)
    return;

  set_mode (self, mode, segment_id);
}

static void
on_sidebar_row_activated (GtkListBox      *list,
                          GtkListBoxRow   *row,
                          CrmContactsView *self)
{
  self->sidebar_requested = FALSE;
  show_pane (self, "list");
}

static void
on_store_changed (CrmContactsView *self,
                  const char      *entity,
                  gint64           id,
                  CrmStore        *store)
{
  if (g_str_equal (entity, "segment"))
    rebuild_sidebar (self);
  else if (g_str_equal (entity, "contact") || g_str_equal (entity, "tag"))
    queue_count_segments (self);

  update_state (self);
}

/* The filter popover: rebuilt each time it opens, from the current filter
 * and what the workspace holds (stages, statuses, tags). */

typedef struct
{
  CrmContactsView *self;
  GPtrArray       *ids;     /* gint64 *, parallel to the drop-down's items; NULL for "Any" */
} Choices;

static GtkWidget *
add_filter_row (GtkBox     *box,
                const char *title,
                GtkWidget  *control)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new_with_mnemonic (title);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), control);
  gtk_widget_set_size_request (control, 150, -1);
  gtk_box_append (GTK_BOX (row), label);
  gtk_box_append (GTK_BOX (row), control);
  gtk_box_append (box, row);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (control), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  label, NULL, -1);

  return control;
}

static GtkDropDown *
make_choice (const char *any,
             GPtrArray  *names,
             guint       selected)
{
  GtkStringList *list = gtk_string_list_new (NULL);
  GtkWidget *dropdown;

  gtk_string_list_append (list, any);
  for (guint i = 0; i < names->len; i++)
    gtk_string_list_append (list, g_ptr_array_index (names, i));

  dropdown = gtk_drop_down_new (G_LIST_MODEL (list), NULL);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), selected);
  gtk_drop_down_set_enable_search (GTK_DROP_DOWN (dropdown), names->len > 12);

  return GTK_DROP_DOWN (dropdown);
}

/* The popover's control for one custom field of contacts or companies. */
typedef struct
{
  gint64        field_id;
  CrmFieldType  type;
  GStrv         options;
  GtkWidget    *control;   /* entry (text, number from), drop-down (choice, yes/no, date) */
  GtkWidget    *to;        /* number: entry "to"; date: the date's entry */
} CustomControl;

static void
custom_control_free (CustomControl *control)
{
  g_strfreev (control->options);
  g_free (control);
}

static gboolean
parse_number (GtkWidget *entry,
              double    *number)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
  char *end = NULL;

  g_strdelimit (text, ",", '.');
  if (*text == '\0')
    return FALSE;
  *number = g_ascii_strtod (text, &end);
  return end != NULL && *end == '\0';
}

/* The date written in @entry as YYYY-MM-DD: the ISO form, or the way the
 * language writes dates ("31/12/2024" in Vietnamese). NULL if none. */
static char *
parse_date (GtkWidget *entry)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
  g_autoptr (GDate) date = g_date_new ();
  char iso[16];
  int year, month, day;
  char end;

  if (sscanf (text, "%4d-%2d-%2d%c", &year, &month, &day, &end) == 3)
    g_date_set_dmy (date, g_date_valid_dmy (day, month, year) ? day : 0, month, year);
  else
    g_date_set_parse (date, text);
  if (!g_date_valid (date))
    return NULL;

  g_date_strftime (iso, sizeof iso, "%Y-%m-%d", date);
  return g_strdup (iso);
}

/* Adds the popover's custom conditions to @filter. A date that cannot be
 * read is marked and stops the filter. */
static gboolean
apply_custom_controls (GPtrArray *controls,
                       CrmFilter *filter)
{
  gboolean ok = TRUE;

  for (guint i = 0; controls != NULL && i < controls->len; i++)
    {
      CustomControl *c = g_ptr_array_index (controls, i);

      switch (c->type)
        {
        case CRM_FIELD_TYPE_TEXT:
          {
            g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (c->control))));

            if (*text != '\0')
              crm_filter_add_custom_text (filter, c->field_id, CRM_CUSTOM_CONTAINS, text);
          }
          break;

        case CRM_FIELD_TYPE_NUMBER:
          {
            double min = NAN;
            double max = NAN;
            gboolean has_min = parse_number (c->control, &min);
            gboolean has_max = parse_number (c->to, &max);

            if (has_min || has_max)
              crm_filter_add_custom_between (filter, c->field_id, has_min ? min : NAN,
                                             has_max ? max : NAN);
          }
          break;

        case CRM_FIELD_TYPE_CHOICE:
          {
            guint n = gtk_drop_down_get_selected (GTK_DROP_DOWN (c->control));

            if (n > 0 && c->options != NULL && n <= g_strv_length (c->options))
              {
                const char *chosen[] = { c->options[n - 1], NULL };

                crm_filter_add_custom_choices (filter, c->field_id, chosen);
              }
          }
          break;

        case CRM_FIELD_TYPE_BOOL:
          {
            guint n = gtk_drop_down_get_selected (GTK_DROP_DOWN (c->control));

            if (n > 0)
              crm_filter_add_custom_bool (filter, c->field_id, n == 1);
          }
          break;

        case CRM_FIELD_TYPE_DATE:
          {
            guint n = gtk_drop_down_get_selected (GTK_DROP_DOWN (c->control));
            g_autofree char *date = n > 0 ? parse_date (c->to) : NULL;

            gtk_widget_remove_css_class (c->to, "error");
            if (n > 0 && date == NULL)
              {
                gtk_widget_add_css_class (c->to, "error");
                ok = FALSE;
              }
            else if (date != NULL)
              {
                crm_filter_add_custom_date (filter, c->field_id,
                                            n == 1 ? CRM_CUSTOM_BEFORE : CRM_CUSTOM_AFTER, date);
              }
          }
          break;

        default:
          break;
        }
    }

  return ok;
}

static const CrmFilterCustom *
find_custom (const CrmFilter *filter,
             gint64           field_id)
{
  for (guint i = 0; i < crm_filter_get_n_custom (filter); i++)
    {
      const CrmFilterCustom *custom = crm_filter_get_custom (filter, i);

      if (custom->field_id == field_id)
        return custom;
    }

  return NULL;
}

/* A row in the popover for each custom field of @entity that a filter can
 * use: text contains, a number range, a date before or after, one choice,
 * yes or no. */
static void
add_custom_controls (CrmContactsView *self,
                     GtkBox          *box,
                     CrmFieldEntity   entity,
                     const CrmFilter *current)
{
  g_autoptr (GPtrArray) fields = crm_custom_fields_list (self->store, entity, NULL);
  GPtrArray *controls = g_ptr_array_new_with_free_func ((GDestroyNotify) custom_control_free);

  g_object_set_data_full (G_OBJECT (box), "custom-controls", controls,
                          (GDestroyNotify) g_ptr_array_unref);

  for (guint i = 0; fields != NULL && i < fields->len; i++)
    {
      const CrmCustomField *field = g_ptr_array_index (fields, i);
      const CrmFilterCustom *custom = find_custom (current, field->id);
      CustomControl *c = g_new0 (CustomControl, 1);

      c->field_id = field->id;
      c->type = field->type;
      c->options = g_strdupv (field->options);

      switch (field->type)
        {
        case CRM_FIELD_TYPE_TEXT:
          c->control = gtk_entry_new ();
          if (custom != NULL && custom->text != NULL)
            gtk_editable_set_text (GTK_EDITABLE (c->control), custom->text);
          break;

        case CRM_FIELD_TYPE_NUMBER:
          {
            GtkWidget *range = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

            c->control = gtk_entry_new ();
            c->to = gtk_entry_new ();
            gtk_entry_set_placeholder_text (GTK_ENTRY (c->control), _("From"));
            gtk_entry_set_placeholder_text (GTK_ENTRY (c->to), _("To"));
            gtk_editable_set_width_chars (GTK_EDITABLE (c->control), 6);
            gtk_editable_set_width_chars (GTK_EDITABLE (c->to), 6);
            gtk_accessible_update_property (GTK_ACCESSIBLE (c->to), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                            _("To"), -1);
            if (custom != NULL && custom->op == CRM_CUSTOM_BETWEEN)
              {
                char buffer[G_ASCII_DTOSTR_BUF_SIZE];

                if (!isnan (custom->min))
                  gtk_editable_set_text (GTK_EDITABLE (c->control),
                                         g_ascii_dtostr (buffer, sizeof buffer, custom->min));
                if (!isnan (custom->max))
                  gtk_editable_set_text (GTK_EDITABLE (c->to),
                                         g_ascii_dtostr (buffer, sizeof buffer, custom->max));
              }
            gtk_box_append (GTK_BOX (range), c->control);
            gtk_box_append (GTK_BOX (range), c->to);
            add_filter_row (box, field->label, range);
            gtk_accessible_update_property (GTK_ACCESSIBLE (c->control),
                                            GTK_ACCESSIBLE_PROPERTY_LABEL, field->label, -1);
            g_ptr_array_add (controls, c);
            continue;
          }

        case CRM_FIELD_TYPE_CHOICE:
          {
            g_autoptr (GPtrArray) names = g_ptr_array_new ();
            guint selected = 0;

            for (guint k = 0; c->options != NULL && c->options[k] != NULL; k++)
              {
                g_ptr_array_add (names, c->options[k]);
                if (custom != NULL && custom->choices != NULL
                    && g_strv_contains ((const char *const *) custom->choices, c->options[k]))
                  selected = k + 1;
              }
            c->control = GTK_WIDGET (make_choice (_("Any"), names, selected));
          }
          break;

        case CRM_FIELD_TYPE_BOOL:
          {
            const char *const answers[] = { _("Any"), _("Yes"), _("No"), NULL };

            c->control = gtk_drop_down_new_from_strings (answers);
            if (custom != NULL && custom->op == CRM_CUSTOM_IS)
              gtk_drop_down_set_selected (GTK_DROP_DOWN (c->control), custom->value ? 1 : 2);
          }
          break;

        case CRM_FIELD_TYPE_DATE:
          {
            const char *const when[] = { _("Any"), _("Before"), _("After"), NULL };
            GtkWidget *range = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
            g_autoptr (GDateTime) today = g_date_time_new_now_local ();
            g_autofree char *example = g_date_time_format (today, "%x");

            c->control = gtk_drop_down_new_from_strings (when);
            c->to = gtk_entry_new ();
            gtk_editable_set_width_chars (GTK_EDITABLE (c->to), 10);
            gtk_entry_set_placeholder_text (GTK_ENTRY (c->to), example);
            gtk_accessible_update_property (GTK_ACCESSIBLE (c->to), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                            _("Date"), -1);
            if (custom != NULL && (custom->op == CRM_CUSTOM_BEFORE || custom->op == CRM_CUSTOM_AFTER))
              {
                gtk_drop_down_set_selected (GTK_DROP_DOWN (c->control),
                                            custom->op == CRM_CUSTOM_BEFORE ? 1 : 2);
                gtk_editable_set_text (GTK_EDITABLE (c->to), custom->text);
              }
            gtk_box_append (GTK_BOX (range), c->control);
            gtk_box_append (GTK_BOX (range), c->to);
            add_filter_row (box, field->label, range);
            gtk_accessible_update_property (GTK_ACCESSIBLE (c->control),
                                            GTK_ACCESSIBLE_PROPERTY_LABEL, field->label, -1);
            g_ptr_array_add (controls, c);
            continue;
          }

        default:
          custom_control_free (c);
          continue;
        }

      add_filter_row (box, field->label, c->control);
      g_ptr_array_add (controls, c);
    }
}

static void
on_filter_apply (GtkButton       *button,
                 CrmContactsView *self)
{
  GtkWidget *box = GTK_WIDGET (self->filter_box);
  g_autoptr (CrmFilter) filter = crm_filter_new ();
  GArray *stage_ids = g_object_get_data (G_OBJECT (box), "stage-ids");
  GArray *status_ids = g_object_get_data (G_OBJECT (box), "status-ids");
  GArray *tag_ids = g_object_get_data (G_OBJECT (box), "tag-ids");
  GtkDropDown *stage = g_object_get_data (G_OBJECT (box), "stage");
  GtkDropDown *status = g_object_get_data (G_OBJECT (box), "status");
  GtkDropDown *tag = g_object_get_data (G_OBJECT (box), "tag");
  GtkDropDown *consent = g_object_get_data (G_OBJECT (box), "consent");
  GtkEditable *owner = g_object_get_data (G_OBJECT (box), "owner");
  GtkEditable *province = g_object_get_data (G_OBJECT (box), "province");
  GtkEditable *source = g_object_get_data (G_OBJECT (box), "source");
  GtkSpinButton *days = g_object_get_data (G_OBJECT (box), "days");
  GtkCheckButton *birthday = g_object_get_data (G_OBJECT (box), "birthday");
  guint n;
  g_autofree char *owner_text = g_strstrip (g_strdup (gtk_editable_get_text (owner)));
  g_autofree char *province_text = g_strstrip (g_strdup (gtk_editable_get_text (province)));
  g_autofree char *source_text = g_strstrip (g_strdup (gtk_editable_get_text (source)));

  if ((n = gtk_drop_down_get_selected (stage)) > 0 && n <= stage_ids->len)
    crm_filter_set_lifecycle_stages (filter, &g_array_index (stage_ids, gint64, n - 1), 1);
  if ((n = gtk_drop_down_get_selected (status)) > 0 && n <= status_ids->len)
    crm_filter_set_lead_statuses (filter, &g_array_index (status_ids, gint64, n - 1), 1);
  if ((n = gtk_drop_down_get_selected (tag)) > 0 && n <= tag_ids->len)
    crm_filter_set_tags (filter, CRM_FILTER_TAGS_ANY, &g_array_index (tag_ids, gint64, n - 1), 1);
  if (*owner_text != '\0')
    crm_filter_set_owner (filter, owner_text);
  if (*province_text != '\0')
    crm_filter_set_province (filter, province_text);
  if (*source_text != '\0')
    crm_filter_set_source (filter, source_text);
  switch (gtk_drop_down_get_selected (consent))
    {
    case 1:
      crm_filter_set_consent (filter, CRM_FILTER_CONSENT_YES);
      break;
    case 2:
      crm_filter_set_consent (filter, CRM_FILTER_CONSENT_NO);
      break;
    default:
      break;
    }
  crm_filter_set_no_contact_days (filter, (guint) gtk_spin_button_get_value_as_int (days));
  crm_filter_set_birthday_this_month (filter, gtk_check_button_get_active (birthday));
  if (!apply_custom_controls (g_object_get_data (G_OBJECT (box), "custom-controls"), filter))
    return;

  gtk_popover_popdown (GTK_POPOVER (gtk_widget_get_ancestor (box, GTK_TYPE_POPOVER)));
  set_filter (self, filter);
}

static guint
index_of_id (GArray       *ids,
             const gint64 *wanted,
             gsize         n_wanted)
{
  if (n_wanted != 1)
    return 0;

  for (guint i = 0; i < ids->len; i++)
    {
      if (g_array_index (ids, gint64, i) == wanted[0])
        return i + 1;
    }

  return 0;
}

static void
add_filter_buttons (CrmContactsView *self,
                    GtkBox          *box,
                    GCallback        apply)
{
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *widget;

  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  gtk_widget_set_margin_top (buttons, 6);
  widget = gtk_button_new_with_mnemonic (_("_Clear"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (widget), "contacts.clear-filter");
  gtk_box_append (GTK_BOX (buttons), widget);
  widget = gtk_button_new_with_mnemonic (_("_Apply"));
  gtk_widget_add_css_class (widget, "suggested-action");
  g_signal_connect (widget, "clicked", apply, self);
  gtk_box_append (GTK_BOX (buttons), widget);
  gtk_box_append (box, buttons);
}

static void
on_company_filter_apply (GtkButton       *button,
                         CrmContactsView *self)
{
  GtkWidget *box = GTK_WIDGET (self->filter_box);
  g_autoptr (CrmCompanyFilter) filter = crm_company_filter_new ();
  g_autoptr (CrmFilter) custom = crm_filter_new ();
  GtkEditable *owner = g_object_get_data (G_OBJECT (box), "owner");
  g_autofree char *owner_text = g_strstrip (g_strdup (gtk_editable_get_text (owner)));

  crm_company_filter_set_province (filter,
                                   gtk_editable_get_text (g_object_get_data (G_OBJECT (box),
                                                                             "province")));
  crm_company_filter_set_industry (filter,
                                   gtk_editable_get_text (g_object_get_data (G_OBJECT (box),
                                                                             "industry")));
  if (*owner_text != '\0')
    crm_company_filter_set_owner (filter, owner_text);
  if (!apply_custom_controls (g_object_get_data (G_OBJECT (box), "custom-controls"), custom))
    return;
  for (guint i = 0; i < crm_filter_get_n_custom (custom); i++)
    crm_company_filter_add_custom (filter, crm_filter_get_custom (custom, i));

  gtk_popover_popdown (GTK_POPOVER (gtk_widget_get_ancestor (box, GTK_TYPE_POPOVER)));
  set_company_filter (self, filter);
}

static GtkWidget *
add_filter_entry (GtkBox     *box,
                  const char *title,
                  const char *key,
                  const char *text)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_editable_set_text (GTK_EDITABLE (entry), text != NULL ? text : "");
  add_filter_row (box, title, entry);
  g_object_set_data (G_OBJECT (box), key, entry);

  return entry;
}

/* The popover over the Companies list: the company's own columns, then its
 * custom fields. */
static void
build_company_filter (CrmContactsView *self,
                      GtkBox          *box)
{
  g_autoptr (CrmCompanyFilter) current = self->company_filter != NULL
                                         ? crm_company_filter_ref (self->company_filter)
                                         : crm_company_filter_new ();
  g_autoptr (CrmFilter) custom = crm_filter_new ();
  const char *owner = crm_company_filter_get_owner (current);

  add_filter_entry (box, _("_Province or city"), "province",
                    crm_company_filter_get_province (current));
  add_filter_entry (box, _("_Industry"), "industry", crm_company_filter_get_industry (current));
  add_filter_entry (box, _("_Owner"), "owner", owner);

  for (guint i = 0; i < crm_company_filter_get_n_custom (current); i++)
    crm_filter_add_custom (custom, crm_company_filter_get_custom (current, i));
  add_custom_controls (self, box, CRM_FIELD_ENTITY_COMPANY, custom);
  add_filter_buttons (self, box, G_CALLBACK (on_company_filter_apply));
}

static void
build_contact_filter (CrmContactsView *self,
                      GtkBox          *box)
{
  GtkWidget *widget;
  g_autoptr (CrmFilter) current = self->filter != NULL ? crm_filter_ref (self->filter)
                                                       : crm_filter_new ();
  g_autoptr (GPtrArray) stages = crm_statuses_list (self->store, CRM_STATUS_LIFECYCLE_STAGE, NULL);
  g_autoptr (GPtrArray) statuses = crm_statuses_list (self->store, CRM_STATUS_LEAD_STATUS, NULL);
  g_autoptr (GPtrArray) tags = crm_tags_list (self->store, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  GArray *stage_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GArray *status_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GArray *tag_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  const gint64 *wanted;
  gsize n_wanted;
  CrmFilterTagMatch tag_match;

  g_object_set_data_full (G_OBJECT (box), "stage-ids", stage_ids, (GDestroyNotify) g_array_unref);
  g_object_set_data_full (G_OBJECT (box), "status-ids", status_ids, (GDestroyNotify) g_array_unref);
  g_object_set_data_full (G_OBJECT (box), "tag-ids", tag_ids, (GDestroyNotify) g_array_unref);

  for (guint i = 0; stages != NULL && i < stages->len; i++)
    {
      const CrmStatus *status = g_ptr_array_index (stages, i);

      g_array_append_val (stage_ids, status->id);
      g_ptr_array_add (names, (gpointer) crm_status_get_display_name (status));
    }
  wanted = crm_filter_get_lifecycle_stages (current, &n_wanted);
  widget = add_filter_row (box, _("Lifecycle _stage"),
                           GTK_WIDGET (make_choice (_("Any"), names,
                                                    index_of_id (stage_ids, wanted, n_wanted))));
  g_object_set_data (G_OBJECT (box), "stage", widget);

  g_ptr_array_set_size (names, 0);
  for (guint i = 0; statuses != NULL && i < statuses->len; i++)
    {
      const CrmStatus *status = g_ptr_array_index (statuses, i);

      g_array_append_val (status_ids, status->id);
      g_ptr_array_add (names, (gpointer) crm_status_get_display_name (status));
    }
  wanted = crm_filter_get_lead_statuses (current, &n_wanted);
  widget = add_filter_row (box, _("Lead s_tatus"),
                           GTK_WIDGET (make_choice (_("Any"), names,
                                                    index_of_id (status_ids, wanted, n_wanted))));
  g_object_set_data (G_OBJECT (box), "status", widget);

  g_ptr_array_set_size (names, 0);
  for (guint i = 0; tags != NULL && i < tags->len; i++)
    {
      const CrmTag *tag = g_ptr_array_index (tags, i);

      g_array_append_val (tag_ids, tag->id);
      g_ptr_array_add (names, tag->name);
    }
  wanted = crm_filter_get_tags (current, &tag_match, &n_wanted);
  widget = add_filter_row (box, _("T_ag"),
                           GTK_WIDGET (make_choice (_("Any"), names,
                                                    index_of_id (tag_ids, wanted, n_wanted))));
  g_object_set_data (G_OBJECT (box), "tag", widget);

  widget = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (widget), crm_filter_get_owner (current) ? crm_filter_get_owner (current) : "");
  add_filter_row (box, _("_Owner"), widget);
  g_object_set_data (G_OBJECT (box), "owner", widget);

  widget = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (widget), crm_filter_get_province (current) ? crm_filter_get_province (current) : "");
  add_filter_row (box, _("_Province or city"), widget);
  g_object_set_data (G_OBJECT (box), "province", widget);

  widget = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (widget), crm_filter_get_source (current) ? crm_filter_get_source (current) : "");
  add_filter_row (box, _("So_urce"), widget);
  g_object_set_data (G_OBJECT (box), "source", widget);

  {
    const char *const consent[] = { _("Any"), _("Given"), _("Not given"), NULL };

    widget = gtk_drop_down_new_from_strings (consent);
    gtk_drop_down_set_selected (GTK_DROP_DOWN (widget),
                                crm_filter_get_consent (current) == CRM_FILTER_CONSENT_YES ? 1
                                : crm_filter_get_consent (current) == CRM_FILTER_CONSENT_NO ? 2 : 0);
    add_filter_row (box, _("Marketing _consent"), widget);
    g_object_set_data (G_OBJECT (box), "consent", widget);
  }

  widget = gtk_spin_button_new_with_range (0, 3650, 1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (widget), crm_filter_get_no_contact_days (current));
  gtk_widget_set_tooltip_text (widget, _("0 leaves it out"));
  add_filter_row (box, _("No contact for _days"), widget);
  g_object_set_data (G_OBJECT (box), "days", widget);

  widget = gtk_check_button_new_with_mnemonic (_("_Birthday this month"));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (widget),
                               crm_filter_get_birthday_this_month (current));
  gtk_box_append (box, widget);
  g_object_set_data (G_OBJECT (box), "birthday", widget);

  add_custom_controls (self, box, CRM_FIELD_ENTITY_CONTACT, current);
  add_filter_buttons (self, box, G_CALLBACK (on_filter_apply));
}

static void
on_filter_popover_show (CrmContactsView *self)
{
  GtkBox *box = self->filter_box;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
  g_object_set_data (G_OBJECT (box), "custom-controls", NULL);

  if (self->mode == MODE_COMPANIES)
    build_company_filter (self, box);
  else
    build_contact_filter (self, box);
}

/* Bulk changes, with progress in the list pane and one Undo */

typedef enum {
  BULK_TAG,
  BULK_UNTAG,
  BULK_STAGE,
  BULK_STATUS,
  BULK_OWNER,
  BULK_ARCHIVE,
} BulkAction;

static void
bulk_progress (double   fraction,
               gpointer user_data)
{
  CrmContactsView *self = user_data;

  gtk_progress_bar_set_fraction (self->progress_bar, fraction);
  /* Let the bar draw: the change holds the workspace until it is done. */
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

/* While a change holds the workspace, the view takes no input. The focus
 * leaves first (an entry made insensitive under it would never hear it
 * lost it) and comes back after. */
static void
set_busy (CrmContactsView *self,
          gboolean         busy,
          const char      *text)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  self->busy = busy;
  gtk_progress_bar_set_text (self->progress_bar, text);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_revealer_set_reveal_child (self->progress_revealer, busy);

  if (busy && root != NULL)
    {
      GtkWidget *focus = gtk_root_get_focus (root);

      g_clear_weak_pointer (&self->busy_focus);
      if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self)))
        {
          g_set_weak_pointer (&self->busy_focus, focus);
          gtk_root_set_focus (root, NULL);
        }
    }

  gtk_widget_set_sensitive (GTK_WIDGET (self->leaflet), !busy);

  if (!busy && self->busy_focus != NULL)
    {
      gtk_widget_grab_focus (self->busy_focus);
      g_clear_weak_pointer (&self->busy_focus);
    }
}

static void
run_bulk (CrmContactsView *self,
          BulkAction       action,
          gint64           value,
          const char      *text)
{
  g_autoptr (GArray) ids = selected_ids (self);
  g_autoptr (GError) error = NULL;
  g_autofree char *doing = NULL;
  g_autofree char *done = NULL;
  CrmBulkUndo *undo = NULL;
  guint n = ids->len;

  if (n == 0)
    return;

  /* Translators: shown on the progress bar; %'u is how many contacts. */
  doing = g_strdup_printf (ngettext ("Changing %'u contact…", "Changing %'u contacts…", n), n);
  set_busy (self, TRUE, doing);

  switch (action)
    {
    case BULK_TAG:
      undo = crm_bulk_tag (self->store, ids, value, bulk_progress, self, NULL, &error);
      /* Translators: %'u is how many contacts, %s the tag. */
      done = g_strdup_printf (ngettext ("Tagged %'u contact “%s”", "Tagged %'u contacts “%s”", n), n, text);
      break;

    case BULK_UNTAG:
      undo = crm_bulk_untag (self->store, ids, value, bulk_progress, self, NULL, &error);
      /* Translators: %s is the tag, %'u how many contacts. */
      done = g_strdup_printf (ngettext ("Removed “%s” from %'u contact", "Removed “%s” from %'u contacts", n), text, n);
      break;

    case BULK_STAGE:
      undo = crm_bulk_set_lifecycle_stage (self->store, ids, value, bulk_progress, self, NULL, &error);
      /* Translators: %'u is how many contacts, %s the lifecycle stage. */
      done = g_strdup_printf (ngettext ("Moved %'u contact to “%s”", "Moved %'u contacts to “%s”", n), n, text);
      break;

    case BULK_STATUS:
      undo = crm_bulk_set_lead_status (self->store, ids, value, bulk_progress, self, NULL, &error);
      /* Translators: %'u is how many contacts, %s the lead status. */
      done = g_strdup_printf (ngettext ("Set %'u contact to “%s”", "Set %'u contacts to “%s”", n), n, text);
      break;

    case BULK_OWNER:
      undo = crm_bulk_set_owner (self->store, ids, text, bulk_progress, self, NULL, &error);
      /* Translators: %'u is how many contacts, %s the owner. */
      done = g_strdup_printf (ngettext ("Gave %'u contact to %s", "Gave %'u contacts to %s", n), n, text);
      break;

    case BULK_ARCHIVE:
      undo = crm_bulk_archive (self->store, ids, bulk_progress, self, NULL, &error);
      /* Translators: %'u is how many contacts. */
      done = g_strdup_printf (ngettext ("Archived %'u contact", "Archived %'u contacts", n), n);
      break;

    default:
      g_assert_not_reached ();
    }

  set_busy (self, FALSE, NULL);

  if (undo == NULL)
    {
      show_error (self, error);
      return;
    }

  pending_clear (self);
  self->pending.bulk = undo;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "contacts.undo", TRUE);
  show_toast (self, done, TRUE);
}

/* A bulk change to run once its dialog has closed: it runs the main loop
 * for its progress, which must not find the dialog still on screen. */
typedef struct
{
  CrmContactsView *self;
  BulkAction       action;
  gint64           value;
  char            *text;
} PendingBulk;

static gboolean
run_pending_bulk_cb (gpointer user_data)
{
  PendingBulk *pending = user_data;

  run_bulk (pending->self, pending->action, pending->value, pending->text);
  g_object_unref (pending->self);
  g_free (pending->text);
  g_free (pending);

  return G_SOURCE_REMOVE;
}

static void
queue_bulk (CrmContactsView *self,
            BulkAction       action,
            gint64           value,
            const char      *text)
{
  PendingBulk *pending = g_new0 (PendingBulk, 1);

  pending->self = g_object_ref (self);
  pending->action = action;
  pending->value = value;
  pending->text = g_strdup (text);
  g_idle_add (run_pending_bulk_cb, pending);
}

typedef struct
{
  CrmContactsView *self;
  BulkAction       action;
  GtkWidget       *control;   /* an entry or a drop-down */
  GArray          *ids;       /* the drop-down's ids */
  GPtrArray       *names;
} BulkDialog;

static void
bulk_dialog_free (BulkDialog *dialog)
{
  g_clear_pointer (&dialog->ids, g_array_unref);
  g_clear_pointer (&dialog->names, g_ptr_array_unref);
  g_free (dialog);
}

static void
on_bulk_dialog_response (AdwMessageDialog *message_dialog,
                         const char       *response,
                         BulkDialog       *dialog)
{
  CrmContactsView *self = dialog->self;
  g_autoptr (GError) error = NULL;

  if (!g_str_equal (response, "apply"))
    return;

  if (GTK_IS_DROP_DOWN (dialog->control))
    {
      guint n = gtk_drop_down_get_selected (GTK_DROP_DOWN (dialog->control));

      if (n < dialog->ids->len)
        queue_bulk (self, dialog->action, g_array_index (dialog->ids, gint64, n),
                    g_ptr_array_index (dialog->names, n));
    }
  else
    {
      g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (dialog->control))));
      gint64 id = 0;

      if (*text == '\0')
        return;

      if (dialog->action == BULK_TAG)
        {
          id = crm_tags_ensure (self->store, text, &error);
          if (id <= 0)
            {
              show_error (self, error);
              return;
            }
        }
      queue_bulk (self, dialog->action, id, text);
    }
}

/* A dialog's entry: its response is enabled once it holds some text. */
static void
on_bulk_entry_changed (GtkEditable      *entry,
                       AdwMessageDialog *dialog)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  const char *response = g_object_get_data (G_OBJECT (dialog), "text-response");

  adw_message_dialog_set_response_enabled (dialog, response != NULL ? response : "apply",
                                           *text != '\0');
}

static void
open_bulk_dialog (CrmContactsView *self,
                  BulkAction       action)
{
  GtkWindow *parent = GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self)));
  BulkDialog *dialog = g_new0 (BulkDialog, 1);
  guint n = n_selected (self);
  g_autofree char *body = NULL;
  const char *heading = NULL;
  const char *apply = NULL;
  GtkWidget *message;

  dialog->self = self;
  dialog->action = action;

  /* Translators: %'u is how many contacts the change applies to. */
  body = g_strdup_printf (ngettext ("For the %'u selected contact.", "For the %'u selected contacts.", n), n);

  if (action == BULK_TAG || action == BULK_OWNER)
    {
      dialog->control = gtk_entry_new ();
      gtk_entry_set_activates_default (GTK_ENTRY (dialog->control), TRUE);
      heading = action == BULK_TAG ? _("Add a Tag") : _("Set the Owner");
      apply = action == BULK_TAG ? _("_Add Tag") : _("_Set Owner");
      gtk_accessible_update_property (GTK_ACCESSIBLE (dialog->control),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      action == BULK_TAG ? _("Tag") : _("Owner"), -1);
    }
  else
    {
      g_autoptr (GPtrArray) rows = NULL;

      dialog->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      dialog->names = g_ptr_array_new_with_free_func (g_free);
      if (action == BULK_UNTAG)
        {
          rows = crm_tags_list (self->store, NULL);
          for (guint i = 0; rows != NULL && i < rows->len; i++)
            {
              const CrmTag *tag = g_ptr_array_index (rows, i);

              g_array_append_val (dialog->ids, tag->id);
              g_ptr_array_add (dialog->names, g_strdup (tag->name));
            }
          heading = _("Remove a Tag");
          apply = _("_Remove Tag");
        }
      else
        {
          rows = crm_statuses_list (self->store,
                                    action == BULK_STAGE ? CRM_STATUS_LIFECYCLE_STAGE
                                                         : CRM_STATUS_LEAD_STATUS,
                                    NULL);
          for (guint i = 0; rows != NULL && i < rows->len; i++)
            {
              const CrmStatus *status = g_ptr_array_index (rows, i);

              g_array_append_val (dialog->ids, status->id);
              g_ptr_array_add (dialog->names, g_strdup (crm_status_get_display_name (status)));
            }
          heading = action == BULK_STAGE ? _("Set the Lifecycle Stage") : _("Set the Lead Status");
          apply = action == BULK_STAGE ? _("_Set Stage") : _("_Set Status");
        }

      g_ptr_array_add (dialog->names, NULL);
      dialog->control = gtk_drop_down_new_from_strings ((const char *const *) dialog->names->pdata);
      g_ptr_array_remove_index (dialog->names, dialog->names->len - 1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (dialog->control),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, heading, -1);
    }

  message = adw_message_dialog_new (parent, heading, body);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (message), dialog->control);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (message),
                                    "cancel", _("_Cancel"),
                                    "apply", apply,
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (message), "apply",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (message), "apply");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (message), "cancel");
  if (GTK_IS_EDITABLE (dialog->control))
    {
      adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (message), "apply", FALSE);
      g_signal_connect (dialog->control, "changed", G_CALLBACK (on_bulk_entry_changed), message);
    }
  else if (dialog->ids->len == 0)
    {
      adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (message), "apply", FALSE);
    }
  g_signal_connect_data (message, "response", G_CALLBACK (on_bulk_dialog_response), dialog,
                         (GClosureNotify) (void (*) (void)) bulk_dialog_free, 0);
  gtk_window_present (GTK_WINDOW (message));
}

static void
bulk_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CrmContactsView *self = CRM_CONTACTS_VIEW (widget);

  if (self->busy || n_selected (self) == 0)
    return;

  if (g_str_equal (action_name, "contacts.bulk-tag"))
    open_bulk_dialog (self, BULK_TAG);
  else if (g_str_equal (action_name, "contacts.bulk-untag"))
    open_bulk_dialog (self, BULK_UNTAG);
  else if (g_str_equal (action_name, "contacts.bulk-stage"))
    open_bulk_dialog (self, BULK_STAGE);
  else if (g_str_equal (action_name, "contacts.bulk-status"))
    open_bulk_dialog (self, BULK_STATUS);
  else if (g_str_equal (action_name, "contacts.bulk-owner"))
    open_bulk_dialog (self, BULK_OWNER);
  else if (g_str_equal (action_name, "contacts.bulk-archive"))
    run_bulk (self, BULK_ARCHIVE, 0, NULL);
}

/* Editing */

static void
on_contact_saved (CrmContactsView *self,
                  gint64           id,
                  gpointer         undo)
{
  take_undo (self, undo, _("Contact saved"));
  show_contact (self, id);
}

static void
on_company_saved (CrmContactsView *self,
                  gint64           id,
                  gpointer         undo)
{
  take_undo (self, undo, _("Company saved"));
  show_company (self, id);
}

static void
open_contact_cb (CrmContactsView *self,
                 gint64           id)
{
  show_contact (self, id);
  show_detail_pane (self);
}

static void
open_company_cb (CrmContactsView *self,
                 gint64           id)
{
  show_company (self, id);
  show_detail_pane (self);
}

static void
open_contact_editor (CrmContactsView *self,
                     gint64           id,
                     gint64           company_id)
{
  GtkWindow *parent = GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self)));
  CrmContactEditor *editor = company_id > 0
                             ? crm_contact_editor_new_with_company (parent, self->store, company_id)
                             : crm_contact_editor_new (parent, self->store, id);

  g_signal_connect_object (editor, "saved", G_CALLBACK (on_contact_saved), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (editor, "open-contact", G_CALLBACK (open_contact_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
open_company_editor (CrmContactsView *self,
                     gint64           id)
{
  GtkWindow *parent = GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self)));
  CrmCompanyEditor *editor = crm_company_editor_new (parent, self->store, id);

  g_signal_connect_object (editor, "saved", G_CALLBACK (on_company_saved), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (editor, "open-company", G_CALLBACK (open_company_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  CrmContactsView *self = CRM_CONTACTS_VIEW (widget);

  if (self->mode == MODE_COMPANIES)
    open_company_editor (self, 0);
  else
    open_contact_editor (self, 0, 0);
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CrmContactsView *self = CRM_CONTACTS_VIEW (widget);
  gint64 id = g_variant_get_int64 (parameter);

  if (g_str_equal (action_name, "contacts.edit-company"))
    open_company_editor (self, id);
  else if (g_str_equal (action_name, "contacts.new-person"))
    open_contact_editor (self, 0, id);
  else
    open_contact_editor (self, id, 0);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CrmContactsView *self = CRM_CONTACTS_VIEW (widget);
  gint64 id = g_variant_get_int64 (parameter);

  if (g_str_equal (action_name, "contacts.open-company"))
    open_company_cb (self, id);
  else
    open_contact_cb (self, id);
}

/* A deal on a contact's or company's page opens on its own page, whose
 * contact and company rows lead back here. */
static void
open_deal_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CrmContactsView *self = CRM_CONTACTS_VIEW (widget);
  g_autoptr (GError) error = NULL;
  CrmDealPage *page = crm_deal_page_new (self->store, g_variant_get_int64 (parameter), &error);

  if (page == NULL)
    {
      show_error (self, error);
      return;
    }

  g_signal_connect_object (page, "open-contact", G_CALLBACK (open_contact_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (page, "open-company", G_CALLBACK (open_company_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_set_transient_for (GTK_WINDOW (page), GTK_WINDOW (gtk_widget_get_root (widget)));
  gtk_window_present (GTK_WINDOW (page));
}

static void
on_new_deal_saved (CrmContactsView *self,
                   gint64           id)
{
  show_toast (self, _("Deal created"), FALSE);
}

/* A new deal from a contact's or company's page: "(xx)" is the contact and
 * the company, either 0. The page reloads itself on the store's change. */
static void
new_deal_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CrmContactsView *self = CRM_CONTACTS_VIEW (widget);
  g_autoptr (GError) error = NULL;
  gint64 contact_id, company_id;
  CrmDealEditor *editor;

  g_variant_get (parameter, "(xx)", &contact_id, &company_id);
  editor = crm_deal_editor_new_for (self->store, 0, contact_id, company_id, &error);
  if (editor == NULL)
    {
      show_error (self, error);
      return;
    }

  g_signal_connect_object (editor, "saved", G_CALLBACK (on_new_deal_saved), self,
                           G_CONNECT_SWAPPED);
  gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (gtk_widget_get_root (widget)));
  gtk_window_set_modal (GTK_WINDOW (editor), TRUE);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
archive_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CrmContactsView *self = CRM_CONTACTS_VIEW (widget);
  gint64 id = g_variant_get_int64 (parameter);
  gboolean archive = g_str_has_prefix (action_name, "contacts.archive");
  gboolean company = g_str_has_suffix (action_name, "-company");
  g_autoptr (GError) error = NULL;
  CrmUndo *undo = NULL;
  gboolean ok;

  if (company)
    ok = crm_company_set_archived (self->store, id, archive, &undo, &error);
  else
    ok = crm_contact_set_archived (self->store, id, archive, &undo, &error);

  if (!ok)
    {
      show_error (self, error);
      return;
    }

  if (company)
    take_undo (self, undo, archive ? _("Company archived") : _("Company restored"));
  else
    take_undo (self, undo, archive ? _("Contact archived") : _("Contact restored"));
}

/* Delete: archives what is selected, or the contact on show. */
static void
archive_selected_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  CrmContactsView *self = CRM_CONTACTS_VIEW (widget);
  guint n;

  if (self->busy || self->mode == MODE_COMPANIES || self->mode == MODE_ARCHIVED)
    return;

  n = n_selected (self);
  if (n > 1)
    {
      run_bulk (self, BULK_ARCHIVE, 0, NULL);
    }
  else if (n == 1)
    {
      g_autoptr (GArray) ids = selected_ids (self);

      if (ids->len == 1)
        archive_action (widget, "contacts.archive",
                        g_variant_new_int64 (g_array_index (ids, gint64, 0)));
    }
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CrmContactsView *self = CRM_CONTACTS_VIEW (widget);
  g_autoptr (GError) error = NULL;
  gboolean ok = TRUE;

  if (self->pending.undo != NULL)
    {
      ok = crm_undo_apply (self->pending.undo, self->store, &error);
    }
  else if (self->pending.bulk != NULL)
    {
      set_busy (self, TRUE, _("Undoing…"));
      ok = crm_bulk_undo (self->store, self->pending.bulk, bulk_progress, self, NULL, &error);
      set_busy (self, FALSE, NULL);
    }

  if (!ok)
    {
      show_error (self, error);
      return;
    }

  pending_clear (self);
  gtk_widget_action_set_enabled (widget, "contacts.undo", FALSE);
}

static void
select_all_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  CrmContactsView *self = CRM_CONTACTS_VIEW (widget);

  if (self->mode != MODE_COMPANIES)
    gtk_selection_model_select_all (GTK_SELECTION_MODEL (self->selection));
}

static void
clear_filter_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CrmContactsView *self = CRM_CONTACTS_VIEW (widget);

  gtk_popover_popdown (GTK_POPOVER (gtk_menu_button_get_popover (self->filter_button)));
  clear_search (self);
  if (self->mode == MODE_COMPANIES)
    set_company_filter (self, NULL);
  else
    set_filter (self, NULL);
}

static void
on_save_segment_response (AdwMessageDialog *dialog,
                          const char       *response,
                          CrmContactsView  *self)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmFilter) filter = NULL;
  gint64 id;

  if (!g_str_equal (response, "save"))
    return;

  filter = self->filter != NULL ? crm_filter_ref (self->filter) : crm_filter_new ();
  id = crm_segment_create (self->store, gtk_editable_get_text (entry),
                           crm_contact_list_get_query (self->model) ? crm_contact_list_get_query (self->model) : "",
                           filter, &error);
  if (id <= 0)
    {
      show_error (self, error);
      return;
    }

  self->mode = MODE_SEGMENT;
  self->segment_id = id;
  rebuild_sidebar (self);
  update_filter_bar (self);
  show_toast (self, _("Segment saved"), FALSE);
}

static void
save_segment_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CrmContactsView *self = CRM_CONTACTS_VIEW (widget);
  GtkWindow *parent = GTK_WINDOW (gtk_widget_get_root (widget));
  GtkWidget *entry = gtk_entry_new ();
  GtkWidget *dialog;
  g_autofree char *description = self->filter != NULL ? crm_filter_describe (self->filter, crm_store_get_db (self->store))
                                                       : NULL;

  dialog = adw_message_dialog_new (parent, _("Save as Segment"),
                                   description != NULL && *description != '\0' ? description
                                   : _("The search as a list of its own in the sidebar"));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Name"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Name of the segment"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "save", FALSE);
  g_object_set_data (G_OBJECT (dialog), "text-response", (gpointer) "save");
  g_signal_connect (entry, "changed", G_CALLBACK (on_bulk_entry_changed), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_save_segment_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_delete_segment_response (AdwMessageDialog *dialog,
                            const char       *response,
                            CrmContactsView  *self)
{
  g_autoptr (GError) error = NULL;
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "segment-id"));

  if (!g_str_equal (response, "delete") || id != self->segment_id)
    return;

  if (!crm_segment_delete (self->store, id, &error))
    {
      show_error (self, error);
      return;
    }

  set_mode (self, MODE_CONTACTS, 0);
  rebuild_sidebar (self);
  show_toast (self, _("Segment deleted"), FALSE);
}

/* Deleting a segment deletes the saved search, never its contacts. */
static void
delete_segment_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CrmContactsView *self = CRM_CONTACTS_VIEW (widget);
  g_autoptr (CrmSegment) segment = NULL;
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (self->mode != MODE_SEGMENT)
    return;

  segment = crm_segment_load (self->store, self->segment_id, NULL);
  if (segment == NULL)
    return;

  /* Translators: %s is the name of a saved segment. */
  heading = g_strdup_printf (_("Delete “%s”?"), segment->name);
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), heading,
                                   _("The segment goes from the sidebar; its contacts stay."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "segment-id", GSIZE_TO_POINTER (self->segment_id));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_segment_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Renaming a segment: a name that is empty or that another segment has
 * (whatever its case) is refused before Rename can be pressed. */

static char *
segment_name_key (const char *name)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (name));
  g_autofree char *normalized = g_utf8_normalize (trimmed, -1, G_NORMALIZE_ALL_COMPOSE);

  return g_utf8_casefold (normalized != NULL ? normalized : "", -1);
}

static void
on_rename_entry_changed (GtkEditable      *entry,
                         AdwMessageDialog *dialog)
{
  GtkLabel *message = g_object_get_data (G_OBJECT (dialog), "message-label");
  GHashTable *taken = g_object_get_data (G_OBJECT (dialog), "taken-names");
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  g_autofree char *key = segment_name_key (name);
  g_autofree char *text = NULL;

  if (*name == '\0')
    text = g_strdup (_("A segment needs a name"));
  else if (g_hash_table_contains (taken, key))
    text = g_strdup_printf (_("There is a segment named “%s” already"), name);

  gtk_label_set_text (message, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (message), text != NULL);
  if (text != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                    text, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  gtk_accessible_update_state (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_STATE_INVALID,
                               text != NULL ? GTK_ACCESSIBLE_INVALID_TRUE
                                            : GTK_ACCESSIBLE_INVALID_FALSE, -1);
  adw_message_dialog_set_response_enabled (dialog, "rename", text == NULL);
}

static void
on_rename_segment_response (AdwMessageDialog *dialog,
                            const char       *response,
                            CrmContactsView  *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "name-entry");
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "segment-id"));
  g_autoptr (GError) error = NULL;

  if (!g_str_equal (response, "rename"))
    return;

  /* The sidebar follows the store's "changed" signal. */
  if (!crm_segment_rename (self->store, id, gtk_editable_get_text (entry), &error))
    {
      show_error (self, error);
      return;
    }

  show_toast (self, _("Segment renamed"), FALSE);
}

static void
rename_segment_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CrmContactsView *self = CRM_CONTACTS_VIEW (widget);
  gint64 id = g_variant_get_int64 (parameter);
  g_autoptr (CrmSegment) segment = NULL;
  g_autoptr (GPtrArray) segments = NULL;
  g_autoptr (GError) error = NULL;
  GHashTable *taken;
  GtkWidget *box;
  GtkWidget *entry;
  GtkWidget *message;
  GtkWidget *dialog;

  segment = crm_segment_load (self->store, id, &error);
  segments = segment != NULL ? crm_segments_list (self->store, &error) : NULL;
  if (segments == NULL)
    {
      show_error (self, error);
      return;
    }

  taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < segments->len; i++)
    {
      const CrmSegment *other = g_ptr_array_index (segments, i);

      if (other->id != id)
        g_hash_table_add (taken, segment_name_key (other->name));
    }

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (entry), segment->name);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Name of the segment"), -1);
  gtk_box_append (GTK_BOX (box), entry);
  message = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (message), 0);
  gtk_label_set_wrap (GTK_LABEL (message), TRUE);
  gtk_widget_add_css_class (message, "error");
  gtk_widget_add_css_class (message, "caption");
  gtk_widget_set_visible (message, FALSE);
  gtk_box_append (GTK_BOX (box), message);

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                   _("Rename Segment"), NULL);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "rename", _("_Rename"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "rename",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "rename");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "segment-id", GSIZE_TO_POINTER (id));
  g_object_set_data (G_OBJECT (dialog), "name-entry", entry);
  g_object_set_data (G_OBJECT (dialog), "message-label", message);
  g_object_set_data_full (G_OBJECT (dialog), "taken-names", taken,
                          (GDestroyNotify) g_hash_table_unref);
  g_signal_connect (entry, "changed", G_CALLBACK (on_rename_entry_changed), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_rename_segment_response), self, 0);
  on_rename_entry_changed (GTK_EDITABLE (entry), ADW_MESSAGE_DIALOG (dialog));
  gtk_window_present (GTK_WINDOW (dialog));

  /* The current name, selected, to be typed over. */
  gtk_widget_grab_focus (entry);
  gtk_editable_select_region (GTK_EDITABLE (entry), 0, -1);
}

/* A segment row's context menu: with the pointer's button 3, a long press,
 * Shift+F10 or the Menu key. It selects the row first, as the menu's
 * Delete is the one of the segment shown. */
static void
popup_segment_menu (CrmContactsView *self,
                    GtkWidget       *row,
                    double           x,
                    double           y)
{
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "segment-id"));
  g_autoptr (GMenu) menu = g_menu_new ();
  g_autoptr (GMenuItem) rename = NULL;
  graphene_point_t point;

  if (self->mode != MODE_SEGMENT || self->segment_id != id)
    gtk_list_box_select_row (self->sidebar_list, GTK_LIST_BOX_ROW (row));

  rename = g_menu_item_new (_("_Rename…"), NULL);
  g_menu_item_set_action_and_target_value (rename, "contacts.rename-segment",
                                           g_variant_new_int64 (id));
  g_menu_append_item (menu, rename);
  g_menu_append (menu, _("_Delete…"), "contacts.delete-segment");

  if (self->segment_menu == NULL)
    {
      self->segment_menu = gtk_popover_menu_new_from_model (NULL);
      gtk_popover_set_has_arrow (GTK_POPOVER (self->segment_menu), FALSE);
      gtk_widget_set_halign (self->segment_menu, GTK_ALIGN_START);
      gtk_widget_set_parent (self->segment_menu, GTK_WIDGET (self));
    }
  gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (self->segment_menu), G_MENU_MODEL (menu));

  if (x < 0 || y < 0)
    {
      x = gtk_widget_get_width (row) / 2.0;
      y = gtk_widget_get_height (row) / 2.0;
    }
  if (!gtk_widget_compute_point (row, GTK_WIDGET (self), &GRAPHENE_POINT_INIT (x, y), &point))
    return;
  gtk_popover_set_pointing_to (GTK_POPOVER (self->segment_menu),
                               &(GdkRectangle) { (int) point.x, (int) point.y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->segment_menu));
}

static void
on_segment_row_pressed (GtkGestureClick *gesture,
                        int              n_press,
                        double           x,
                        double           y,
                        CrmContactsView *self)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  popup_segment_menu (self, row, x, y);
}

static void
on_segment_row_long_pressed (GtkGestureLongPress *gesture,
                             double               x,
                             double               y,
                             CrmContactsView     *self)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));

  popup_segment_menu (self, row, x, y);
}

static gboolean
segment_menu_shortcut_cb (GtkWidget *row,
                          GVariant  *args,
                          gpointer   user_data)
{
  popup_segment_menu (CRM_CONTACTS_VIEW (user_data), row, -1, -1);
  return TRUE;
}

static void
add_segment_row_controllers (CrmContactsView *self,
                             GtkWidget       *row,
                             gint64           segment_id)
{
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();
  GtkGesture *click = gtk_gesture_click_new ();
  GtkGesture *long_press = gtk_gesture_long_press_new ();
  GtkShortcut *rename;

  /* F2 renames the focused segment, as it renames a file. */
  rename = gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_F2, 0),
                             gtk_named_action_new ("contacts.rename-segment"));
  gtk_shortcut_set_arguments (rename, g_variant_new_int64 (segment_id));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), rename);
  gtk_shortcut_controller_add_shortcut (
    GTK_SHORTCUT_CONTROLLER (shortcuts),
    gtk_shortcut_new (gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_F10,
                                                                           GDK_SHIFT_MASK),
                                                   gtk_keyval_trigger_new (GDK_KEY_Menu, 0)),
                      gtk_callback_action_new (segment_menu_shortcut_cb, self, NULL)));
  gtk_widget_add_controller (row, shortcuts);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect_object (click, "pressed", G_CALLBACK (on_segment_row_pressed), self, 0);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (click));

  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (long_press), TRUE);
  g_signal_connect_object (long_press, "pressed", G_CALLBACK (on_segment_row_long_pressed), self,
                           0);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (long_press));

  /* Translators: how to rename a saved segment in the sidebar, read by
   * screen readers. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("Press F2 to rename"), -1);
}

/* The leaflet */

static void
on_leaflet_folded_changed (CrmContactsView *self)
{
  gboolean folded = adw_leaflet_get_folded (self->leaflet);

  gtk_widget_set_visible (GTK_WIDGET (self->sidebar_button), folded);
  gtk_revealer_set_reveal_child (self->back_revealer, folded);

  /* Folded, the view opens on its list, not on the sidebar. */
  if (folded && g_strcmp0 (adw_leaflet_get_visible_child_name (self->leaflet), "sidebar") == 0
      && !self->sidebar_requested)
    adw_leaflet_set_visible_child_name (self->leaflet, "list");
}

static void
on_sidebar_button_clicked (CrmContactsView *self)
{
  self->sidebar_requested = TRUE;
  show_pane (self, "sidebar");
}

static void
on_back_button_clicked (CrmContactsView *self)
{
  show_pane (self, "list");
  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

static void
on_model_items_changed (CrmContactsView *self,
                        guint            position,
                        guint            removed,
                        guint            added,
                        GListModel      *model)
{
  update_state (self);
}

static void
on_model_notify (CrmContactsView *self,
                 GParamSpec      *pspec,
                 CrmContactList  *model)
{
  update_state (self);
}

static void
on_settings_contacts_sort_changed (CrmContactsView *self,
                                   const char      *key,
                                   GSettings       *settings)
{
  crm_contact_list_set_sort_order (self->model, g_settings_get_enum (settings, key));
}

static void
on_search_entry_search_changed (GtkSearchEntry  *entry,
                                CrmContactsView *self)
{
  /* Spaces around the words find nothing more; only spaces, everybody. */
  g_autofree char *query = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));

  if (self->mode == MODE_COMPANIES)
    {
      crm_company_list_set_query (self->companies, query);
      update_filter_bar (self);
      update_state (self);
      return;
    }

  if (g_strcmp0 (query, crm_contact_list_get_query (self->model)) == 0)
    return;

  crm_contact_list_set_query (self->model, query);
  update_filter_bar (self);
  update_state (self);
}

static void
on_search_entry_stop_search (GtkSearchEntry  *entry,
                             CrmContactsView *self)
{
  clear_search (self);
}

static void
on_search_entry_activate (GtkSearchEntry  *entry,
                          CrmContactsView *self)
{
  /* Enter takes the keyboard to the results, where the arrows move. */
  if (self->mode == MODE_COMPANIES)
    {
      if (g_list_model_get_n_items (G_LIST_MODEL (self->companies)) > 0)
        gtk_widget_grab_focus (GTK_WIDGET (self->company_view));
    }
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->model)) > 0)
    {
      /* The first result gets the focus, so Enter opens it at once. */
      gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
      gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", 0);
    }
}

static void
on_factory_setup (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  CrmContactsView          *self)
{
  gtk_list_item_set_child (item, crm_contact_list_row_new ());
}

static void
on_factory_bind (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 CrmContactsView          *self)
{
  crm_contact_list_row_set_contact (CRM_CONTACT_LIST_ROW (gtk_list_item_get_child (item)),
                                    gtk_list_item_get_item (item));
}

static void
on_factory_unbind (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   CrmContactsView          *self)
{
  /* Let go of the row, so that the model may forget what scrolled away. */
  crm_contact_list_row_set_contact (CRM_CONTACT_LIST_ROW (gtk_list_item_get_child (item)), NULL);
}

static void
on_company_factory_setup (GtkSignalListItemFactory *factory,
                          GtkListItem              *item,
                          CrmContactsView          *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  /* Laid out only when drawn, as the contacts' rows (CrmContactListRow). */
  GtkWidget *avatar = crm_initials_new ();
  GtkWidget *name = crm_row_text_new ();
  GtkWidget *details = crm_row_text_new ();

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_valign (text, GTK_ALIGN_CENTER);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_widget_add_css_class (name, "heading");
  gtk_widget_add_css_class (details, "dim-label");
  gtk_widget_add_css_class (details, "caption");
  gtk_box_append (GTK_BOX (text), name);
  gtk_box_append (GTK_BOX (text), details);
  gtk_box_append (GTK_BOX (box), avatar);
  gtk_box_append (GTK_BOX (box), text);
  g_object_set_data (G_OBJECT (box), "avatar", avatar);
  g_object_set_data (G_OBJECT (box), "name", name);
  g_object_set_data (G_OBJECT (box), "details", details);
  gtk_list_item_set_child (item, box);
}

static void
on_company_factory_bind (GtkSignalListItemFactory *factory,
                         GtkListItem              *item,
                         CrmContactsView          *self)
{
  CrmCompanyRow *row = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  g_autoptr (GString) details = g_string_new (NULL);
  guint people = crm_company_row_get_n_people (row);

  crm_initials_set_text (g_object_get_data (G_OBJECT (box), "avatar"), crm_company_row_get_name (row));
  crm_row_text_set_text (g_object_get_data (G_OBJECT (box), "name"), crm_company_row_get_name (row));

  /* Translators: how many people of a company are contacts; %'u is the number. */
  g_string_printf (details, ngettext ("%'u person", "%'u people", people), people);
  if (crm_company_row_get_province (row) != NULL)
    g_string_append_printf (details, " · %s", crm_company_row_get_province (row));
  if (crm_company_row_get_tax_code (row) != NULL)
    g_string_append_printf (details, " · %s", crm_company_row_get_tax_code (row));
  crm_row_text_set_text (g_object_get_data (G_OBJECT (box), "details"), details->str);
  gtk_accessible_update_property (GTK_ACCESSIBLE (box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, crm_company_row_get_name (row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, details->str,
                                  -1);
}

/* Down in the search entry goes on to the results, as Enter does. */
static gboolean
on_search_key_pressed (GtkEventControllerKey *controller,
                       guint                  keyval,
                       guint                  keycode,
                       GdkModifierType        state,
                       CrmContactsView       *self)
{
  if (keyval != GDK_KEY_Down && keyval != GDK_KEY_KP_Down)
    return FALSE;

  on_search_entry_activate (self->search_entry, self);
  return TRUE;
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  crm_contacts_view_focus_search (CRM_CONTACTS_VIEW (widget));
}

static gboolean
escape_pressed_cb (GtkWidget *widget,
                   GVariant  *args,
                   gpointer   user_data)
{
  CrmContactsView *self = CRM_CONTACTS_VIEW (widget);

  if (clear_search (self))
    return TRUE;

  if (self->mode != MODE_COMPANIES && n_selected (self) > 1)
    {
      gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
      return TRUE;
    }

  return FALSE;
}

static void
crm_contacts_view_constructed (GObject *object)
{
  CrmContactsView *self = CRM_CONTACTS_VIEW (object);
  CrmSortOrder order = CRM_SORT_GIVEN_NAME;
  GtkSingleSelection *company_selection;

  G_OBJECT_CLASS (crm_contacts_view_parent_class)->constructed (object);

  g_assert (CRM_IS_STORE (self->store));

  if (self->settings != NULL)
    {
      order = g_settings_get_enum (self->settings, "contacts-sort");
      g_signal_connect_object (self->settings, "changed::contacts-sort",
                               G_CALLBACK (on_settings_contacts_sort_changed), self,
                               G_CONNECT_SWAPPED);
    }

  self->model = crm_contact_list_new (self->store, order);
  g_signal_connect_object (self->model, "items-changed",
                           G_CALLBACK (on_model_items_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::loading",
                           G_CALLBACK (on_model_notify), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::total",
                           G_CALLBACK (on_model_notify), self, G_CONNECT_SWAPPED);

  /* Click picks one contact; Ctrl and Shift add more; Ctrl+A takes the
   * whole list, however long. */
  self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (on_selection_changed), self, G_CONNECT_SWAPPED);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  self->companies = crm_company_list_new (self->store);
  company_selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->companies)));
  gtk_single_selection_set_autoselect (company_selection, FALSE);
  gtk_single_selection_set_can_unselect (company_selection, TRUE);
  g_signal_connect_object (company_selection, "selection-changed",
                           G_CALLBACK (on_company_selection_changed), self, G_CONNECT_SWAPPED);
  gtk_list_view_set_model (self->company_view, GTK_SELECTION_MODEL (company_selection));
  g_object_unref (company_selection);

  g_signal_connect_object (self->store, "changed", G_CALLBACK (on_store_changed), self,
                           G_CONNECT_SWAPPED);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "contacts.undo", FALSE);
  adw_leaflet_set_visible_child_name (self->leaflet, "list");
  rebuild_sidebar (self);
  update_filter_bar (self);
  on_leaflet_folded_changed (self);
  update_state (self);
}

static void
crm_contacts_view_dispose (GObject *object)
{
  CrmContactsView *self = CRM_CONTACTS_VIEW (object);

  g_clear_weak_pointer (&self->busy_focus);
  g_clear_handle_id (&self->counts_source, g_source_remove);
  if (self->counts_cancellable != NULL)
    g_cancellable_cancel (self->counts_cancellable);
  g_clear_object (&self->counts_cancellable);
  /* The leaflet is both the bin's child and a template child: let the bin
   * drop it first, or both would unparent it. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  g_clear_pointer (&self->segment_menu, gtk_widget_unparent);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_CONTACTS_VIEW);
  pending_clear (self);
  g_clear_pointer (&self->filter, crm_filter_unref);
  g_clear_pointer (&self->company_filter, crm_company_filter_unref);
  g_clear_object (&self->selection);
  g_clear_object (&self->companies);
  g_clear_object (&self->model);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (crm_contacts_view_parent_class)->dispose (object);
}

static void
crm_contacts_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CrmContactsView *self = CRM_CONTACTS_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_contacts_view_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CrmContactsView *self = CRM_CONTACTS_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_contacts_view_class_init (CrmContactsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = crm_contacts_view_constructed;
  object_class->dispose = crm_contacts_view_dispose;
  object_class->get_property = crm_contacts_view_get_property;
  object_class->set_property = crm_contacts_view_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         CRM_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * CrmContactsView:settings:
   *
   * The application's settings, whose "contacts-sort" key orders the list.
   */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL,
                         CRM_TYPE_CONTACT_LIST,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/crm-contacts-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, leaflet);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, sidebar_list);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, sidebar_button);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, filter_button);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, filter_box);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, new_button);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, filter_revealer);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, filter_label);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, save_segment_button);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, delete_segment_button);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, rename_segment_button);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, company_view);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, selection_revealer);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, selection_label);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, back_revealer);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, none_page);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, selection_page);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, count_label);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, stack);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, spinner);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, list_view);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, CrmContactsView, no_matches_page);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_factory_setup);
  gtk_widget_class_bind_template_callback (widget_class, on_factory_bind);
  gtk_widget_class_bind_template_callback (widget_class, on_factory_unbind);
  gtk_widget_class_bind_template_callback (widget_class, on_company_factory_setup);
  gtk_widget_class_bind_template_callback (widget_class, on_company_factory_bind);
  gtk_widget_class_bind_template_callback (widget_class, on_list_view_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_company_view_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_row_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_button_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_back_button_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_leaflet_folded_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_popover_show);

  gtk_widget_class_install_action (widget_class, "contacts.search", NULL, search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "contacts.search", NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, escape_pressed_cb, NULL);

  gtk_widget_class_install_action (widget_class, "contacts.new", NULL, new_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "contacts.new", NULL);
  gtk_widget_class_install_action (widget_class, "contacts.edit", "x", edit_action);
  gtk_widget_class_install_action (widget_class, "contacts.edit-company", "x", edit_action);
  gtk_widget_class_install_action (widget_class, "contacts.new-person", "x", edit_action);
  gtk_widget_class_install_action (widget_class, "contacts.open-contact", "x", open_action);
  gtk_widget_class_install_action (widget_class, "contacts.open-company", "x", open_action);
  gtk_widget_class_install_action (widget_class, "contacts.open-deal", "x", open_deal_action);
  gtk_widget_class_install_action (widget_class, "contacts.new-deal", "(xx)", new_deal_action);
  gtk_widget_class_install_action (widget_class, "contacts.archive", "x", archive_action);
  gtk_widget_class_install_action (widget_class, "contacts.unarchive", "x", archive_action);
  gtk_widget_class_install_action (widget_class, "contacts.archive-company", "x", archive_action);
  gtk_widget_class_install_action (widget_class, "contacts.unarchive-company", "x",
                                   archive_action);
  gtk_widget_class_install_action (widget_class, "contacts.archive-selected", NULL,
                                   archive_selected_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0,
                                       "contacts.archive-selected", NULL);
  gtk_widget_class_install_action (widget_class, "contacts.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "contacts.select-all", NULL, select_all_action);
  gtk_widget_class_install_action (widget_class, "contacts.clear-filter", NULL,
                                   clear_filter_action);
  gtk_widget_class_install_action (widget_class, "contacts.save-segment", NULL,
                                   save_segment_action);
  gtk_widget_class_install_action (widget_class, "contacts.delete-segment", NULL,
                                   delete_segment_action);
  gtk_widget_class_install_action (widget_class, "contacts.rename-segment", "x",
                                   rename_segment_action);
  gtk_widget_class_install_action (widget_class, "contacts.bulk-tag", NULL, bulk_action);
  gtk_widget_class_install_action (widget_class, "contacts.bulk-untag", NULL, bulk_action);
  gtk_widget_class_install_action (widget_class, "contacts.bulk-stage", NULL, bulk_action);
  gtk_widget_class_install_action (widget_class, "contacts.bulk-status", NULL, bulk_action);
  gtk_widget_class_install_action (widget_class, "contacts.bulk-owner", NULL, bulk_action);
  gtk_widget_class_install_action (widget_class, "contacts.bulk-archive", NULL, bulk_action);

  g_type_ensure (CRM_TYPE_CONTACT_LIST_ROW);
}

static void
crm_contacts_view_init (CrmContactsView *self)
{
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  /* Typing anywhere in the view, the list included, starts a search. */
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_search_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->search_entry), keys);
}

/**
 * crm_contacts_view_new:
 * @store: the open workspace
 * @settings: (nullable): the application's settings
 *
 * Makes the Contacts view: a searchable list of every contact in @store,
 * sorted as the "contacts-sort" key of @settings says.
 *
 * Returns: (transfer floating): a new #CrmContactsView
 */
CrmContactsView *
crm_contacts_view_new (CrmStore  *store,
                       GSettings *settings)
{
  g_return_val_if_fail (CRM_IS_STORE (store), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (CRM_TYPE_CONTACTS_VIEW,
                       "store", store,
                       "settings", settings,
                       NULL);
}

/**
 * crm_contacts_view_get_model:
 * @self: a #CrmContactsView
 *
 * Returns: (transfer none): the list of contacts the view shows
 */
CrmContactList *
crm_contacts_view_get_model (CrmContactsView *self)
{
  g_return_val_if_fail (CRM_IS_CONTACTS_VIEW (self), NULL);

  return self->model;
}

/**
 * crm_contacts_view_focus_search:
 * @self: a #CrmContactsView
 *
 * Puts the keyboard in the search entry, its text selected.
 */
void
crm_contacts_view_focus_search (CrmContactsView *self)
{
  g_return_if_fail (CRM_IS_CONTACTS_VIEW (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

/**
 * crm_contacts_view_show_contact:
 *
 * Shows the contact @id on its page, as following a link to them does.
 */
void
crm_contacts_view_show_contact (CrmContactsView *self,
                                gint64           id)
{
  g_return_if_fail (CRM_IS_CONTACTS_VIEW (self));

  open_contact_cb (self, id);
}

/**
 * crm_contacts_view_show_company:
 *
 * Shows the company @id on its page.
 */
void
crm_contacts_view_show_company (CrmContactsView *self,
                                gint64           id)
{
  g_return_if_fail (CRM_IS_CONTACTS_VIEW (self));

  open_company_cb (self, id);
}
