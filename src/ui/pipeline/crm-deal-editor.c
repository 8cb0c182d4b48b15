/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-deal-editor"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "crm-deal.h"
#include "crm-deal-editor.h"
#include "crm-fields.h"
#include "crm-pipeline.h"
#include "crm-text.h"

/* How many matches a contact or company chooser lists. */
#define N_MATCHES 8
/* Typing pauses this long before a chooser searches. */
#define SEARCH_DELAY_MS 120

/* A search-as-you-type chooser of the deal's contact or company: an entry
 * row, a popover of matches under it, and a button that clears it. */
typedef struct
{
  CrmDealEditor *self;
  AdwEntryRow   *row;
  GtkWidget     *clear_button;
  GtkPopover    *popover;
  GtkListBox    *list;
  gboolean       companies;
  gint64         id;          /* the chosen one, 0 for none */
  char          *name;        /* as the entry shows it once chosen */
  gint64         company_id;  /* a chosen contact's company */
  GPtrArray     *matches;     /* (element-type CrmDealParty) */
  guint          search_source;
  gboolean       setting;     /* the text is being set by the code */
} Chooser;

/* A custom field of deals and the row that edits it. */
typedef struct
{
  CrmCustomField *info;
  GtkWidget      *row;
  GtkSwitch      *bool_switch;
  GPtrArray      *choice_keys;  /* (element-type utf8): what follows "Not set" */
  gboolean        bool_set;     /* a yes/no field has a value */
} CustomField;

struct _CrmDealEditor
{
  AdwWindow            parent_instance;

  /* template widgets */
  AdwWindowTitle      *window_title;
  GtkWidget           *save_button;
  GtkLabel            *error_label;
  AdwEntryRow         *title_row;
  AdwEntryRow         *value_row;
  AdwComboRow         *currency_row;
  AdwEntryRow         *contact_row;
  GtkWidget           *contact_clear_button;
  AdwEntryRow         *company_row;
  GtkWidget           *company_clear_button;
  AdwComboRow         *stage_row;
  AdwEntryRow         *lost_row;
  AdwEntryRow         *close_row;
  AdwEntryRow         *owner_row;
  AdwEntryRow         *tags_row;
  AdwPreferencesGroup *custom_group;
  GtkTextView         *notes_view;

  /* owned references */
  CrmStore            *store;
  CrmPipeline         *pipeline;
  CrmDealDraft        *draft;
  GPtrArray           *custom_fields;  /* (element-type CustomField) */

  /* state */
  Chooser              contact;
  Chooser              company;
};

G_DEFINE_FINAL_TYPE (CrmDealEditor, crm_deal_editor, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static CrmStage *
selected_stage (CrmDealEditor *self)
{
  guint selected = adw_combo_row_get_selected (self->stage_row);

  if (self->pipeline == NULL || selected == GTK_INVALID_LIST_POSITION
      || selected >= self->pipeline->stages->len)
    return NULL;
  return g_ptr_array_index (self->pipeline->stages, selected);
}

static void
on_stage_selected (CrmDealEditor *self)
{
  CrmStage *stage = selected_stage (self);

  gtk_widget_set_visible (GTK_WIDGET (self->lost_row),
                          stage != NULL && stage->kind == CRM_STAGE_LOST);
}

/* "2026-12-15" → "15/12/2026", what the rows ask for. */
static char *
date_for_entry (const char *iso)
{
  int year, month, day;

  if (iso == NULL || sscanf (iso, "%d-%d-%d", &year, &month, &day) != 3)
    return g_strdup (iso != NULL ? iso : "");
  return g_strdup_printf ("%02d/%02d/%04d", day, month, year);
}

/* Custom fields */

static void
custom_field_free (CustomField *field)
{
  g_clear_pointer (&field->info, crm_custom_field_free);
  g_clear_pointer (&field->choice_keys, g_ptr_array_unref);
  g_free (field);
}

static CustomField *
find_custom_field (CrmDealEditor *self,
                   const char    *key)
{
  for (guint i = 0; self->custom_fields != NULL && i < self->custom_fields->len; i++)
    {
      CustomField *field = g_ptr_array_index (self->custom_fields, i);

      if (g_strcmp0 (field->info->key, key) == 0)
        return field;
    }
  return NULL;
}

static void
on_custom_switch_notify (GtkSwitch   *widget,
                         GParamSpec  *pspec,
                         CustomField *field)
{
  field->bool_set = TRUE;
}

static void
add_custom_field (CrmDealEditor        *self,
                  const CrmCustomField *info,
                  const char           *value)
{
  CustomField *field = g_new0 (CustomField, 1);

  field->info = crm_custom_field_copy (info);

  switch (info->type)
    {
    case CRM_FIELD_TYPE_BOOL:
      field->row = adw_action_row_new ();
      field->bool_switch = GTK_SWITCH (gtk_switch_new ());
      gtk_widget_set_valign (GTK_WIDGET (field->bool_switch), GTK_ALIGN_CENTER);
      field->bool_set = value != NULL && *value != '\0';
      gtk_switch_set_active (field->bool_switch, g_strcmp0 (value, "1") == 0);
      gtk_accessible_update_property (GTK_ACCESSIBLE (field->bool_switch),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, info->label, -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (field->row), GTK_WIDGET (field->bool_switch));
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (field->row),
                                             GTK_WIDGET (field->bool_switch));
      g_signal_connect (field->bool_switch, "notify::active",
                        G_CALLBACK (on_custom_switch_notify), field);
      break;

    case CRM_FIELD_TYPE_CHOICE:
      {
        g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);
        guint selected = 0;

        gtk_string_list_append (names, C_("custom field", "Not set"));
        field->choice_keys = g_ptr_array_new_with_free_func (g_free);
        for (guint i = 0; info->options != NULL && info->options[i] != NULL; i++)
          {
            if (g_strcmp0 (value, info->options[i]) == 0)
              selected = i + 1;
            gtk_string_list_append (names, info->options[i]);
            g_ptr_array_add (field->choice_keys, g_strdup (info->options[i]));
          }
        /* A value the options no longer list is kept. */
        if (selected == 0 && value != NULL && *value != '\0')
          {
            gtk_string_list_append (names, value);
            g_ptr_array_add (field->choice_keys, g_strdup (value));
            selected = field->choice_keys->len;
          }
        field->row = adw_combo_row_new ();
        adw_combo_row_set_model (ADW_COMBO_ROW (field->row), G_LIST_MODEL (names));
        adw_combo_row_set_selected (ADW_COMBO_ROW (field->row), selected);
      }
      break;

    case CRM_FIELD_TYPE_TEXT:
    case CRM_FIELD_TYPE_NUMBER:
    case CRM_FIELD_TYPE_DATE:
    default:
      {
        g_autofree char *text = info->type == CRM_FIELD_TYPE_DATE
                                ? date_for_entry (value)
                                : g_strdup (value != NULL ? value : "");

        field->row = adw_entry_row_new ();
        if (info->type == CRM_FIELD_TYPE_NUMBER)
          adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (field->row), GTK_INPUT_PURPOSE_NUMBER);
        adw_entry_row_set_activates_default (ADW_ENTRY_ROW (field->row), TRUE);
        gtk_editable_set_text (GTK_EDITABLE (field->row), text);
      }
      break;
    }

  if (info->type == CRM_FIELD_TYPE_DATE)
    {
      /* Translators: the title of a custom date field: its name and the
       * way to write the date. */
      g_autofree char *title = g_strdup_printf (_("%s (DD/MM/YYYY)"), info->label);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (field->row), title);
    }
  else
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (field->row), info->label);

  gtk_widget_set_name (field->row, info->key);
  adw_preferences_group_add (self->custom_group, field->row);
  g_ptr_array_add (self->custom_fields, field);
  gtk_widget_set_visible (GTK_WIDGET (self->custom_group), TRUE);
}

static void
read_custom_fields (CrmDealEditor *self,
                    CrmDealDraft  *draft)
{
  for (guint i = 0; i < self->custom_fields->len; i++)
    {
      CustomField *field = g_ptr_array_index (self->custom_fields, i);

      if (field->info->type == CRM_FIELD_TYPE_BOOL)
        crm_deal_draft_set_custom (draft, field->info->key,
                                   !field->bool_set ? ""
                                   : gtk_switch_get_active (field->bool_switch) ? "1" : "0");
      else if (field->info->type == CRM_FIELD_TYPE_CHOICE)
        {
          guint choice = adw_combo_row_get_selected (ADW_COMBO_ROW (field->row));

          crm_deal_draft_set_custom (draft, field->info->key,
                                     choice > 0 && choice <= field->choice_keys->len
                                     ? g_ptr_array_index (field->choice_keys, choice - 1)
                                     : "");
        }
      else
        crm_deal_draft_set_custom (draft, field->info->key,
                                   gtk_editable_get_text (GTK_EDITABLE (field->row)));
    }
}

/* Choosers */

static void chooser_choose (Chooser            *chooser,
                            const CrmDealParty *party);

static void
chooser_set_text (Chooser    *chooser,
                  const char *text)
{
  chooser->setting = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (chooser->row), text != NULL ? text : "");
  gtk_editable_set_position (GTK_EDITABLE (chooser->row), -1);
  chooser->setting = FALSE;
}

static void
chooser_update_clear (Chooser *chooser)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (chooser->row));

  gtk_widget_set_visible (chooser->clear_button, chooser->id != 0 || *text != '\0');
}

static void
chooser_popdown (Chooser *chooser)
{
  g_clear_handle_id (&chooser->search_source, g_source_remove);
  if (chooser->popover != NULL)
    gtk_popover_popdown (chooser->popover);
}

static GtkWidget *
make_match_row (const CrmDealParty *party)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (party->name);
  GtkWidget *row = gtk_list_box_row_new ();

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), name);
  if (!crm_text_is_blank (party->detail))
    {
      GtkWidget *detail = gtk_label_new (party->detail);

      gtk_label_set_xalign (GTK_LABEL (detail), 0);
      gtk_label_set_ellipsize (GTK_LABEL (detail), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (detail, "dim-label");
      gtk_widget_add_css_class (detail, "caption");
      gtk_box_append (GTK_BOX (box), detail);
    }
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  /* The entry keeps the focus; the keys move the selection. */
  gtk_widget_set_focusable (row, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  party->name, -1);
  return row;
}

static gboolean
chooser_search_cb (gpointer user_data)
{
  Chooser *chooser = user_data;
  const char *query = gtk_editable_get_text (GTK_EDITABLE (chooser->row));
  g_autoptr (GError) error = NULL;
  GtkWidget *child;

  chooser->search_source = 0;

  g_clear_pointer (&chooser->matches, g_ptr_array_unref);
  if (chooser->companies)
    chooser->matches = crm_deal_find_companies (chooser->self->store, query, N_MATCHES, &error);
  else
    chooser->matches = crm_deal_find_contacts (chooser->self->store, query, N_MATCHES, &error);
  if (chooser->matches == NULL)
    g_warning ("Cannot search for the deal's %s: %s",
               chooser->companies ? "company" : "contact", error->message);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (chooser->list))) != NULL)
    gtk_list_box_remove (chooser->list, child);

  if (chooser->matches == NULL || chooser->matches->len == 0)
    {
      gtk_popover_popdown (chooser->popover);
      return G_SOURCE_REMOVE;
    }

  for (guint i = 0; i < chooser->matches->len; i++)
    gtk_list_box_append (chooser->list, make_match_row (g_ptr_array_index (chooser->matches, i)));
  gtk_list_box_select_row (chooser->list, gtk_list_box_get_row_at_index (chooser->list, 0));

  gtk_widget_set_size_request (GTK_WIDGET (chooser->list),
                               MAX (gtk_widget_get_width (GTK_WIDGET (chooser->row)) - 24, 200),
                               -1);
  if (gtk_widget_get_mapped (GTK_WIDGET (chooser->row)))
    gtk_popover_popup (chooser->popover);

  return G_SOURCE_REMOVE;
}

static void
on_chooser_changed (GtkEditable *editable,
                    Chooser     *chooser)
{
  const char *text = gtk_editable_get_text (editable);

  if (chooser->setting)
    return;

  /* Typing over the chosen name starts a new search. */
  if (chooser->id != 0 && g_strcmp0 (text, chooser->name) != 0)
    {
      chooser->id = 0;
      chooser->company_id = 0;
      g_clear_pointer (&chooser->name, g_free);
    }
  chooser_update_clear (chooser);

  g_clear_handle_id (&chooser->search_source, g_source_remove);
  if (crm_text_is_blank (text))
    {
      chooser_popdown (chooser);
      return;
    }
  chooser->search_source = g_timeout_add (SEARCH_DELAY_MS, chooser_search_cb, chooser);
}

static void
on_chooser_row_activated (GtkListBox    *list,
                          GtkListBoxRow *row,
                          Chooser       *chooser)
{
  int index = gtk_list_box_row_get_index (row);

  if (chooser->matches != NULL && index >= 0 && (guint) index < chooser->matches->len)
    chooser_choose (chooser, g_ptr_array_index (chooser->matches, index));
}

static void
chooser_move (Chooser *chooser,
              int      delta)
{
  GtkListBoxRow *selected = gtk_list_box_get_selected_row (chooser->list);
  int index = selected != NULL ? gtk_list_box_row_get_index (selected) + delta : 0;
  int n = chooser->matches != NULL ? (int) chooser->matches->len : 0;

  if (n == 0)
    return;
  index = CLAMP (index, 0, n - 1);
  gtk_list_box_select_row (chooser->list, gtk_list_box_get_row_at_index (chooser->list, index));
}

static gboolean
on_chooser_key_pressed (GtkEventControllerKey *controller,
                        guint                  keyval,
                        guint                  keycode,
                        GdkModifierType        state,
                        Chooser               *chooser)
{
  gboolean open = gtk_widget_get_visible (GTK_WIDGET (chooser->popover));

  switch (keyval)
    {
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      if (!open)
        {
          if (crm_text_is_blank (gtk_editable_get_text (GTK_EDITABLE (chooser->row))))
            return FALSE;
          g_clear_handle_id (&chooser->search_source, g_source_remove);
          chooser_search_cb (chooser);
          return TRUE;
        }
      chooser_move (chooser, 1);
      return TRUE;

    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      if (!open)
        return FALSE;
      chooser_move (chooser, -1);
      return TRUE;

    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
      if (!open)
        return FALSE;
      {
        GtkListBoxRow *selected = gtk_list_box_get_selected_row (chooser->list);

        if (selected != NULL)
          on_chooser_row_activated (chooser->list, selected, chooser);
      }
      return TRUE;

    case GDK_KEY_Escape:
      /* The first Escape closes the list, the next one the editor. */
      if (!open)
        return FALSE;
      chooser_popdown (chooser);
      return TRUE;

    default:
      return FALSE;
    }
}

/* The list goes when the focus leaves the row; its rows take no focus, so
 * a click on one keeps it. */
static void
on_chooser_focus_leave (GtkEventControllerFocus *controller,
                        Chooser                 *chooser)
{
  chooser_popdown (chooser);
}

static void
chooser_set (Chooser    *chooser,
             gint64      id,
             const char *name,
             gint64      company_id)
{
  chooser->id = id;
  chooser->company_id = company_id;
  g_free (chooser->name);
  chooser->name = g_strdup (id != 0 ? name : NULL);
  chooser_set_text (chooser, chooser->name);
  chooser_update_clear (chooser);
  gtk_widget_remove_css_class (GTK_WIDGET (chooser->row), "error");
  gtk_widget_set_tooltip_text (GTK_WIDGET (chooser->row), NULL);
}

/* Sets the company from a contact's, when none is chosen or typed. */
static void
fill_company (CrmDealEditor *self,
              gint64         company_id)
{
  g_autoptr (CrmDealParty) company = NULL;
  g_autoptr (GError) error = NULL;

  if (company_id == 0 || self->company.id != 0
      || !crm_text_is_blank (gtk_editable_get_text (GTK_EDITABLE (self->company.row))))
    return;

  company = crm_deal_party_load_company (self->store, company_id, &error);
  if (company == NULL)
    {
      g_debug ("The contact's company is gone: %s", error->message);
      return;
    }
  chooser_set (&self->company, company->id, company->name, 0);
}

static void
chooser_choose (Chooser            *chooser,
                const CrmDealParty *party)
{
  CrmDealEditor *self = chooser->self;
  gint64 company_id = party->company_id;

  chooser_popdown (chooser);
  chooser_set (chooser, party->id, party->name, party->company_id);
  if (!chooser->companies)
    fill_company (self, company_id);
  gtk_widget_grab_focus (GTK_WIDGET (chooser->row));
}

static void
on_contact_clear_clicked (CrmDealEditor *self)
{
  chooser_popdown (&self->contact);
  chooser_set (&self->contact, 0, NULL, 0);
  gtk_widget_grab_focus (GTK_WIDGET (self->contact.row));
}

static void
on_company_clear_clicked (CrmDealEditor *self)
{
  chooser_popdown (&self->company);
  chooser_set (&self->company, 0, NULL, 0);
  gtk_widget_grab_focus (GTK_WIDGET (self->company.row));
}

static void
chooser_init (CrmDealEditor *self,
              Chooser       *chooser,
              AdwEntryRow   *row,
              GtkWidget     *clear_button,
              gboolean       companies)
{
  GtkEventController *keys = gtk_event_controller_key_new ();
  GtkEventController *focus = gtk_event_controller_focus_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  chooser->self = self;
  chooser->row = row;
  chooser->clear_button = clear_button;
  chooser->companies = companies;

  chooser->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (chooser->list, GTK_SELECTION_SINGLE);
  gtk_list_box_set_activate_on_single_click (chooser->list, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (chooser->list), "navigation-sidebar");
  gtk_accessible_update_property (GTK_ACCESSIBLE (chooser->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  companies ? _("Matching companies") : _("Matching contacts"),
                                  -1);
  g_signal_connect (chooser->list, "row-activated", G_CALLBACK (on_chooser_row_activated),
                    chooser);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 320);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (chooser->list));

  /* The popover leaves the focus in the entry, as a completion does. */
  chooser->popover = GTK_POPOVER (gtk_popover_new ());
  gtk_popover_set_autohide (chooser->popover, FALSE);
  gtk_popover_set_has_arrow (chooser->popover, FALSE);
  gtk_popover_set_position (chooser->popover, GTK_POS_BOTTOM);
  gtk_widget_set_halign (GTK_WIDGET (chooser->popover), GTK_ALIGN_START);
  gtk_popover_set_child (chooser->popover, scrolled);
  gtk_widget_set_parent (GTK_WIDGET (chooser->popover), GTK_WIDGET (row));

  g_signal_connect (row, "changed", G_CALLBACK (on_chooser_changed), chooser);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_chooser_key_pressed), chooser);
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  gtk_widget_add_controller (GTK_WIDGET (row), keys);
  g_signal_connect (focus, "leave", G_CALLBACK (on_chooser_focus_leave), chooser);
  gtk_widget_add_controller (GTK_WIDGET (row), focus);
}

static void
chooser_clear (Chooser *chooser)
{
  g_clear_handle_id (&chooser->search_source, g_source_remove);
  if (chooser->popover != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (chooser->popover));
      chooser->popover = NULL;
    }
  g_clear_pointer (&chooser->matches, g_ptr_array_unref);
  g_clear_pointer (&chooser->name, g_free);
}

/* A name typed but not picked from the list names nobody yet. */
static void
chooser_check (Chooser   *chooser,
               GPtrArray *problems)
{
  CrmFieldProblem *problem;

  if (chooser->id != 0
      || crm_text_is_blank (gtk_editable_get_text (GTK_EDITABLE (chooser->row))))
    return;

  problem = g_new0 (CrmFieldProblem, 1);
  problem->field = g_strdup (chooser->companies ? "company" : "contact");
  problem->index = -1;
  problem->value = g_strdup (gtk_editable_get_text (GTK_EDITABLE (chooser->row)));
  problem->message = g_strdup (chooser->companies ? _("Pick the company from the list")
                                                  : _("Pick the contact from the list"));
  g_ptr_array_add (problems, problem);
}

/* Problems */

static GtkWidget *
row_for_field (CrmDealEditor *self,
               const char    *field)
{
  if (g_str_equal (field, "title"))
    return GTK_WIDGET (self->title_row);
  if (g_str_equal (field, "value"))
    return GTK_WIDGET (self->value_row);
  if (g_str_equal (field, "currency"))
    return GTK_WIDGET (self->currency_row);
  if (g_str_equal (field, "stage"))
    return GTK_WIDGET (self->stage_row);
  if (g_str_equal (field, "lost_reason"))
    return GTK_WIDGET (self->lost_row);
  if (g_str_equal (field, "expected_close"))
    return GTK_WIDGET (self->close_row);
  if (g_str_equal (field, "contact"))
    return GTK_WIDGET (self->contact_row);
  if (g_str_equal (field, "company"))
    return GTK_WIDGET (self->company_row);
  if (g_str_has_prefix (field, "custom:"))
    {
      CustomField *custom = find_custom_field (self, field + strlen ("custom:"));

      return custom != NULL ? custom->row : NULL;
    }
  return NULL;
}

static void
clear_row_problem (GtkWidget *row)
{
  gtk_widget_remove_css_class (row, "error");
  gtk_widget_set_tooltip_text (row, NULL);
}

static void
clear_problems (CrmDealEditor *self)
{
  const char *const fields[] = { "title", "value", "currency", "stage", "lost_reason",
                                 "expected_close", "contact", "company" };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    clear_row_problem (row_for_field (self, fields[i]));
  for (guint i = 0; i < self->custom_fields->len; i++)
    clear_row_problem (((CustomField *) g_ptr_array_index (self->custom_fields, i))->row);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
}

static void
show_problems (CrmDealEditor *self,
               GPtrArray     *problems,
               const GError  *error)
{
  g_autoptr (GString) text = g_string_new (NULL);
  GtkWidget *first = NULL;

  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      CrmFieldProblem *problem = g_ptr_array_index (problems, i);
      GtkWidget *row = row_for_field (self, problem->field);

      if (row != NULL)
        {
          gtk_widget_add_css_class (row, "error");
          gtk_widget_set_tooltip_text (row, problem->message);
          if (first == NULL)
            first = row;
        }
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, problem->message);
    }
  if (text->len == 0 && error != NULL)
    g_string_append (text, error->message);

  gtk_label_set_text (self->error_label, text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text->len > 0);
  /* The first field to correct takes the focus, and a screen reader reads
   * its problem from the tooltip. */
  if (first != NULL)
    gtk_widget_grab_focus (first);
}

static char *
editable_text (gpointer editable)
{
  return g_strdup (gtk_editable_get_text (GTK_EDITABLE (editable)));
}

gboolean
crm_deal_editor_save (CrmDealEditor *self)
{
  g_autoptr (GPtrArray) problems = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) tags = NULL;
  GtkStringObject *currency;
  GtkTextBuffer *buffer;
  CrmStage *stage;
  GtkTextIter start, end;
  CrmDealDraft *draft;
  gint64 id;

  g_return_val_if_fail (CRM_IS_DEAL_EDITOR (self), FALSE);

  currency = adw_combo_row_get_selected_item (self->currency_row);
  buffer = gtk_text_view_get_buffer (self->notes_view);
  stage = selected_stage (self);
  draft = self->draft;

  g_free (draft->title);
  draft->title = editable_text (self->title_row);
  g_free (draft->value);
  draft->value = editable_text (self->value_row);
  g_free (draft->currency);
  draft->currency = g_strdup (currency != NULL ? gtk_string_object_get_string (currency) : "VND");
  draft->stage_id = stage != NULL ? stage->id : 0;
  g_free (draft->lost_reason);
  draft->lost_reason = editable_text (self->lost_row);
  g_free (draft->expected_close);
  draft->expected_close = editable_text (self->close_row);
  g_free (draft->owner);
  draft->owner = editable_text (self->owner_row);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  g_free (draft->notes);
  draft->notes = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  draft->contact_id = self->contact.id;
  draft->company_id = self->company.id;

  g_ptr_array_set_size (draft->tags, 0);
  tags = g_strsplit (gtk_editable_get_text (GTK_EDITABLE (self->tags_row)), ",", -1);
  for (guint i = 0; tags[i] != NULL; i++)
    crm_deal_draft_add_tag (draft, tags[i]);
  read_custom_fields (self, draft);

  clear_problems (self);
  chooser_popdown (&self->contact);
  chooser_popdown (&self->company);

  /* What the choosers hold is checked first: a save would drop a name
   * that was typed but not picked. */
  problems = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_field_problem_free);
  chooser_check (&self->contact, problems);
  chooser_check (&self->company, problems);
  if (problems->len > 0)
    {
      g_autoptr (GPtrArray) more = NULL;

      crm_deal_draft_validate (draft, self->store, &more);
      for (guint i = 0; more != NULL && i < more->len; i++)
        g_ptr_array_add (problems, g_steal_pointer (&more->pdata[i]));
      show_problems (self, problems, NULL);
      return FALSE;
    }
  g_clear_pointer (&problems, g_ptr_array_unref);

  id = crm_deal_save (self->store, draft, g_get_real_time () / G_USEC_PER_SEC, &problems, &error);
  if (id == 0)
    {
      show_problems (self, problems, error);
      return FALSE;
    }

  draft->id = id;
  g_signal_emit (self, signals[SAVED], 0, id);
  gtk_window_close (GTK_WINDOW (self));
  return TRUE;
}

static void
on_save_clicked (CrmDealEditor *self)
{
  crm_deal_editor_save (self);
}

static void
crm_deal_editor_dispose (GObject *object)
{
  CrmDealEditor *self = CRM_DEAL_EDITOR (object);

  chooser_clear (&self->contact);
  chooser_clear (&self->company);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_DEAL_EDITOR);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (crm_deal_editor_parent_class)->dispose (object);
}

static void
crm_deal_editor_finalize (GObject *object)
{
  CrmDealEditor *self = CRM_DEAL_EDITOR (object);

  g_clear_pointer (&self->pipeline, crm_pipeline_free);
  g_clear_pointer (&self->draft, crm_deal_draft_free);
  g_clear_pointer (&self->custom_fields, g_ptr_array_unref);

  G_OBJECT_CLASS (crm_deal_editor_parent_class)->finalize (object);
}

static void
crm_deal_editor_class_init (CrmDealEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_deal_editor_dispose;
  object_class->finalize = crm_deal_editor_finalize;

  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/crm-deal-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, title_row);
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, value_row);
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, currency_row);
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, contact_row);
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, contact_clear_button);
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, company_row);
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, company_clear_button);
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, stage_row);
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, lost_row);
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, close_row);
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, owner_row);
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, tags_row);
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, custom_group);
  gtk_widget_class_bind_template_child (widget_class, CrmDealEditor, notes_view);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_stage_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_contact_clear_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_company_clear_clicked);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
crm_deal_editor_init (CrmDealEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->custom_fields = g_ptr_array_new_with_free_func ((GDestroyNotify) custom_field_free);
  chooser_init (self, &self->contact, self->contact_row, self->contact_clear_button, FALSE);
  chooser_init (self, &self->company, self->company_row, self->company_clear_button, TRUE);
}

/* Shows a contact or company by id; FALSE with @error when it is gone. */
static gboolean
set_party (CrmDealEditor  *self,
           Chooser        *chooser,
           gint64          id,
           GError        **error)
{
  g_autoptr (CrmDealParty) party = NULL;

  if (id == 0)
    return TRUE;

  party = chooser->companies ? crm_deal_party_load_company (self->store, id, error)
                             : crm_deal_party_load_contact (self->store, id, error);
  if (party == NULL)
    return FALSE;
  chooser_set (chooser, party->id, party->name, party->company_id);
  return TRUE;
}

CrmDealEditor *
crm_deal_editor_new (CrmStore  *store,
                     gint64     pipeline_id,
                     gint64     deal_id,
                     gint64     stage_id,
                     GError   **error)
{
  CrmDealEditor *self;
  g_autoptr (GtkStringList) stages = gtk_string_list_new (NULL);
  g_autoptr (GPtrArray) fields = NULL;
  g_autoptr (GError) party_error = NULL;
  g_autofree char *close = NULL;
  g_autoptr (GString) tags = g_string_new (NULL);
  GListModel *currencies;
  guint n_currencies;
  CrmDealDraft *draft;

  g_return_val_if_fail (CRM_IS_STORE (store), NULL);

  /* Like every window, the editor belongs to GTK's list of toplevels. */
  self = g_object_new (CRM_TYPE_DEAL_EDITOR, NULL);
  self->store = g_object_ref (store);
  self->pipeline = crm_pipeline_load (store, pipeline_id, error);
  if (self->pipeline != NULL && deal_id != 0)
    self->draft = crm_deal_draft_load (store, deal_id, error);
  if (self->pipeline != NULL && (deal_id == 0 || self->draft != NULL))
    fields = crm_custom_fields_list (store, CRM_FIELD_ENTITY_DEAL, error);
  if (self->pipeline == NULL || (deal_id != 0 && self->draft == NULL) || fields == NULL)
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return NULL;
    }

  if (deal_id == 0)
    {
      g_autofree char *base = crm_base_currency (store);

      self->draft = crm_deal_draft_new ();
      g_free (self->draft->currency);
      self->draft->currency = g_strdup (base);
      self->draft->stage_id = stage_id;
    }
  draft = self->draft;

  adw_window_title_set_title (self->window_title,
                              deal_id != 0 ? _("Edit Deal") : _("New Deal"));
  gtk_window_set_title (GTK_WINDOW (self), deal_id != 0 ? _("Edit Deal") : _("New Deal"));

  for (guint i = 0; i < self->pipeline->stages->len; i++)
    {
      CrmStage *stage = g_ptr_array_index (self->pipeline->stages, i);

      gtk_string_list_append (stages, stage->name);
    }
  adw_combo_row_set_model (self->stage_row, G_LIST_MODEL (stages));
  for (guint i = 0; i < self->pipeline->stages->len; i++)
    {
      CrmStage *stage = g_ptr_array_index (self->pipeline->stages, i);

      if (stage->id == draft->stage_id)
        adw_combo_row_set_selected (self->stage_row, i);
    }
  on_stage_selected (self);

  currencies = adw_combo_row_get_model (self->currency_row);
  n_currencies = g_list_model_get_n_items (currencies);
  for (guint i = 0; i < n_currencies; i++)
    {
      g_autoptr (GtkStringObject) item = g_list_model_get_item (currencies, i);

      if (g_strcmp0 (gtk_string_object_get_string (item), draft->currency) == 0)
        adw_combo_row_set_selected (self->currency_row, i);
    }
  if (draft->currency != NULL
      && g_strcmp0 (gtk_string_object_get_string (adw_combo_row_get_selected_item (self->currency_row)),
                    draft->currency) != 0)
    {
      /* A currency outside the short list stays choosable. */
      gtk_string_list_append (GTK_STRING_LIST (currencies), draft->currency);
      adw_combo_row_set_selected (self->currency_row, n_currencies);
    }

  /* A contact or company deleted meanwhile leaves its row empty. */
  if (!set_party (self, &self->contact, draft->contact_id, &party_error)
      || !set_party (self, &self->company, draft->company_id, &party_error))
    g_debug ("A party of deal %" G_GINT64_FORMAT " is gone: %s", deal_id, party_error->message);

  for (guint i = 0; i < fields->len; i++)
    {
      const CrmCustomField *info = g_ptr_array_index (fields, i);

      add_custom_field (self, info, g_hash_table_lookup (draft->custom, info->key));
    }

  for (guint i = 0; i < draft->tags->len; i++)
    {
      if (i > 0)
        g_string_append (tags, ", ");
      g_string_append (tags, g_ptr_array_index (draft->tags, i));
    }

  close = date_for_entry (draft->expected_close);
  gtk_editable_set_text (GTK_EDITABLE (self->title_row), draft->title != NULL ? draft->title : "");
  gtk_editable_set_text (GTK_EDITABLE (self->value_row),
                         draft->value != NULL && deal_id != 0 ? draft->value : "");
  gtk_editable_set_text (GTK_EDITABLE (self->close_row), close);
  gtk_editable_set_text (GTK_EDITABLE (self->owner_row), draft->owner != NULL ? draft->owner : "");
  gtk_editable_set_text (GTK_EDITABLE (self->lost_row),
                         draft->lost_reason != NULL ? draft->lost_reason : "");
  gtk_editable_set_text (GTK_EDITABLE (self->tags_row), tags->str);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->notes_view),
                            draft->notes != NULL ? draft->notes : "", -1);
  gtk_widget_grab_focus (GTK_WIDGET (self->title_row));

  return self;
}

/**
 * crm_deal_editor_new_for:
 * @pipeline_id: the pipeline, 0 for the default one
 * @contact_id: the deal's contact, 0 for none
 * @company_id: the deal's company, 0 for the contact's own
 *
 * Makes a new deal in the pipeline's first stage, for a contact, a company
 * or both.
 *
 * Returns: (transfer none): the editor, or %NULL with @error set when the
 *   pipeline, the contact or the company cannot be read
 */
CrmDealEditor *
crm_deal_editor_new_for (CrmStore  *store,
                         gint64     pipeline_id,
                         gint64     contact_id,
                         gint64     company_id,
                         GError   **error)
{
  CrmDealEditor *self = crm_deal_editor_new (store, pipeline_id, 0, 0, error);

  if (self == NULL)
    return NULL;

  if (!set_party (self, &self->contact, contact_id, error)
      || !set_party (self, &self->company, company_id, error))
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return NULL;
    }
  fill_company (self, self->contact.company_id);

  return self;
}
