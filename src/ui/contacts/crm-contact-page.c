/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-contact-page"

#include "config.h"
#include "crm-text.h"

#include <glib/gi18n.h>
#include <string.h>

#include "crm-contact-page.h"
#include "crm-format.h"
#include "crm-normalize.h"

struct _CrmContactPage
{
  GtkWidget            parent_instance;

  /* template widgets */
  GtkStack            *stack;
  AdwStatusPage       *empty_page;
  AdwStatusPage       *missing_page;
  AdwStatusPage       *erased_page;
  GtkScrolledWindow   *scrolled_window;
  AdwAvatar           *avatar;
  GtkLabel            *name_label;
  GtkLabel            *subtitle_label;
  GtkFlowBox          *pills_box;
  GtkButton           *edit_button;
  GtkButton           *archive_button;
  GtkMenuButton       *more_button;
  AdwPreferencesGroup *identity_group;
  GtkListBox          *identity_list;
  AdwPreferencesGroup *description_group;
  GtkListBox          *description_list;
  AdwPreferencesGroup *figures_group;
  GtkFlowBox          *figures_box;
  AdwPreferencesGroup *qualitative_group;
  GtkListBox          *qualitative_list;
  AdwPreferencesGroup *sales_group;
  GtkListBox          *sales_list;
  GtkWidget           *new_deal_button;
  AdwPreferencesGroup *custom_group;
  GtkListBox          *custom_list;

  /* owned references */
  CrmStore            *store;
  CrmContact          *contact;

  /* state */
  gint64               contact_id;
  guint                reload_source;
  gboolean             erased;
};

G_DEFINE_FINAL_TYPE (CrmContactPage, crm_contact_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_CONTACT_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Pills and figure cards have no style of their own in libadwaita 1.2. */
static const char page_css[] =
  ".crm-pill {"
  "  padding: 2px 10px;"
  "  border-radius: 9999px;"
  "  background-color: alpha(currentColor, 0.1);"
  "  font-size: smaller;"
  "  font-weight: bold;"
  "}"
  ".crm-pill.accent {"
  "  background-color: alpha(@accent_bg_color, 0.2);"
  "  color: @accent_color;"
  "}"
  ".crm-pill.warning {"
  "  background-color: alpha(@warning_bg_color, 0.2);"
  "  color: @warning_color;"
  "}"
  ".crm-figure {"
  "  padding: 12px;"
  "}";

/* Shared with the company page */

/* Rows are made once and used again on every load: an AdwActionRow costs
 * far more to make (it builds its template) than to fill. Each row has a
 * suffix label and a suffix icon, hidden until a row needs them. */

static GtkWidget *
make_row (void)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *image = gtk_image_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_label_set_xalign (GTK_LABEL (label), 1.0);
  gtk_widget_set_visible (label, FALSE);
  gtk_widget_set_visible (image, FALSE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), image);
  g_object_set_data (G_OBJECT (row), "crm-suffix-label", label);
  g_object_set_data (G_OBJECT (row), "crm-suffix-image", image);

  return row;
}

static void
set_tooltip (GtkWidget  *widget,
             const char *tooltip)
{
  /* Setting a tooltip is costly even when it does not change. */
  if (g_strcmp0 (gtk_widget_get_tooltip_text (widget), tooltip) != 0)
    gtk_widget_set_tooltip_text (widget, tooltip);
}

/* What the previous pass left on a row that this one did not set again. */
static void
finish_row (CrmRows *rows)
{
  GtkWidget *row = rows->last;

  if (row == NULL)
    return;

  if (g_object_get_data (G_OBJECT (row), "crm-tooltip-set") == NULL)
    set_tooltip (row, NULL);
  g_object_set_data (G_OBJECT (row), "crm-tooltip-set", NULL);
  rows->last = NULL;
}

void
crm_page_rows_begin (CrmRows    *rows,
                     GtkListBox *list)
{
  rows->list = list;
  rows->next = gtk_widget_get_first_child (GTK_WIDGET (list));
  rows->last = NULL;
  rows->n_rows = 0;
}

/**
 * crm_page_rows_add:
 * @title: the value shown, as it is (no markup)
 * @subtitle: (nullable): what the value is
 *
 * Shows the next row of the list with these texts, and nothing else: no
 * action, no suffix.
 *
 * Returns: (transfer none): the #AdwActionRow
 */
GtkWidget *
crm_page_rows_add (CrmRows    *rows,
                   const char *title,
                   const char *subtitle)
{
  GtkWidget *row = rows->next;
  GtkWidget *label;
  GtkWidget *image;

  finish_row (rows);

  if (row == NULL)
    {
      row = make_row ();
      gtk_list_box_append (rows->list, row);
    }
  rows->next = gtk_widget_get_next_sibling (row);
  rows->last = row;
  rows->n_rows++;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle != NULL ? subtitle : "");
  gtk_widget_remove_css_class (row, "dim-label");
  g_object_set_data (G_OBJECT (row), "crm-action", NULL);
  g_object_set_data (G_OBJECT (row), "crm-target", NULL);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);

  label = g_object_get_data (G_OBJECT (row), "crm-suffix-label");
  image = g_object_get_data (G_OBJECT (row), "crm-suffix-image");
  gtk_widget_set_visible (label, FALSE);
  gtk_widget_set_visible (image, FALSE);
  gtk_widget_set_visible (row, TRUE);

  return row;
}

/* A row for a stored value, or none when it is blank. */
GtkWidget *
crm_page_rows_add_text (CrmRows    *rows,
                        const char *value,
                        const char *what)
{
  if (crm_text_is_blank (value))
    return NULL;

  return crm_page_rows_add (rows, value, what);
}

/**
 * crm_page_rows_end:
 *
 * Hides the rows that this pass did not use.
 *
 * Returns: how many rows show
 */
guint
crm_page_rows_end (CrmRows *rows)
{
  finish_row (rows);

  for (GtkWidget *row = rows->next; row != NULL; row = gtk_widget_get_next_sibling (row))
    gtk_widget_set_visible (row, FALSE);
  rows->next = NULL;

  return rows->n_rows;
}

/**
 * crm_page_row_set_action:
 * @action_name: a detailed action name such as "page.copy"
 * @target: (nullable): its parameter; a floating reference is taken
 * @icon_name: (nullable): a suffix icon that says what activating does
 * @tooltip: (nullable): the same in words
 *
 * Makes a row activatable. The action is looked up when the row is
 * activated rather than bound to it, so a row whose action the view does
 * not provide yet does nothing instead of turning insensitive.
 */
void
crm_page_row_set_action (GtkWidget  *row,
                         const char *action_name,
                         GVariant   *target,
                         const char *icon_name,
                         const char *tooltip)
{
  GtkWidget *image = g_object_get_data (G_OBJECT (row), "crm-suffix-image");

  g_object_set_data_full (G_OBJECT (row), "crm-action", g_strdup (action_name), g_free);
  if (target != NULL)
    g_object_set_data_full (G_OBJECT (row), "crm-target", g_variant_ref_sink (target),
                            (GDestroyNotify) g_variant_unref);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

  if (icon_name != NULL)
    {
      gtk_image_set_from_icon_name (GTK_IMAGE (image), icon_name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (image),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip,
                                      -1);
      gtk_widget_set_visible (image, TRUE);
    }

  crm_page_row_set_tooltip (row, tooltip);
}

void
crm_page_row_set_tooltip (GtkWidget  *row,
                          const char *tooltip)
{
  set_tooltip (row, tooltip);
  g_object_set_data (G_OBJECT (row), "crm-tooltip-set", GINT_TO_POINTER (TRUE));
}

/**
 * crm_page_row_set_suffix:
 * @text: a value shown at the end of the row ("50.000.000 ₫", "Overdue")
 * @css_class: (nullable): "numeric", "error", "accent" or "dim-label"
 *
 * Returns: (transfer none): the suffix label
 */
GtkWidget *
crm_page_row_set_suffix (GtkWidget  *row,
                         const char *text,
                         const char *css_class)
{
  static const char *const classes[] = { "numeric", "error", "accent", "dim-label" };
  GtkWidget *label = g_object_get_data (G_OBJECT (row), "crm-suffix-label");

  gtk_label_set_text (GTK_LABEL (label), text);
  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    {
      if (g_strcmp0 (classes[i], css_class) == 0)
        gtk_widget_add_css_class (label, classes[i]);
      else
        gtk_widget_remove_css_class (label, classes[i]);
    }
  gtk_accessible_reset_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL);
  gtk_widget_set_visible (label, TRUE);

  return label;
}

void
crm_page_activate_row (GtkWidget     *page,
                       GtkListBoxRow *row)
{
  const char *action_name = g_object_get_data (G_OBJECT (row), "crm-action");
  GVariant *target = g_object_get_data (G_OBJECT (row), "crm-target");

  if (action_name == NULL)
    return;

  if (!gtk_widget_activate_action_variant (page, action_name, target))
    g_debug ("No action %s here yet", action_name);
}

void
crm_page_clear_flow_box (GtkFlowBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_flow_box_remove (box, child);
}

void
crm_page_add_pill (GtkFlowBox *box,
                   const char *text,
                   const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);
  GtkWidget *child;

  gtk_widget_add_css_class (label, "crm-pill");
  /* A line of pills shares its width out; each pill keeps its own. */
  gtk_widget_set_halign (label, GTK_ALIGN_START);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);

  child = gtk_flow_box_child_new ();
  gtk_flow_box_child_set_child (GTK_FLOW_BOX_CHILD (child), label);
  /* Read out, not stopped at: there is nothing to do with a pill. */
  gtk_widget_set_focusable (child, FALSE);
  gtk_flow_box_append (box, child);
}

void
crm_page_ensure_style (GtkWidget *page)
{
  GdkDisplay *display = gtk_widget_get_display (page);
  g_autoptr (GtkCssProvider) provider = NULL;

  if (display == NULL || g_object_get_data (G_OBJECT (display), "crm-page-style") != NULL)
    return;

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_data (provider, page_css, -1);
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_set_data_full (G_OBJECT (display), "crm-page-style", g_steal_pointer (&provider),
                          g_object_unref);
}

/**
 * crm_page_show_toast:
 * @message: plain text
 *
 * Emits the page's "toast" signal; without a handler, shows the message in
 * the nearest #AdwToastOverlay around the page.
 */
void
crm_page_show_toast (GtkWidget  *page,
                     const char *message)
{
  guint signal_id = g_signal_lookup ("toast", G_OBJECT_TYPE (page));
  GtkWidget *overlay;

  g_debug ("%s", message);

  if (signal_id != 0 && g_signal_has_handler_pending (page, signal_id, 0, FALSE))
    {
      g_signal_emit (page, signal_id, 0, message);
      return;
    }

  overlay = gtk_widget_get_ancestor (page, ADW_TYPE_TOAST_OVERLAY);
  if (overlay != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (message, -1);

      adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (escaped));
    }
}

void
crm_page_copy (GtkWidget  *page,
               const char *text)
{
  g_autofree char *message = NULL;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (page), text);
  /* Translators: shown after a phone number, address or code was copied
   * to the clipboard; %s is what was copied. */
  message = g_strdup_printf (_("Copied %s"), text);
  crm_page_show_toast (page, message);
}

static GtkWindow *
get_parent_window (GtkWidget *page)
{
  GtkRoot *root = gtk_widget_get_root (page);

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/* Inside the Flatpak, gtk_show_uri() goes through the OpenURI portal. */
void
crm_page_open_uri (GtkWidget  *page,
                   const char *uri)
{
  gtk_show_uri (get_parent_window (page), uri, GDK_CURRENT_TIME);
}

typedef struct
{
  GtkWidget *page;
  GFile     *file;
} WriteData;

static void
write_data_free (WriteData *data)
{
  g_clear_object (&data->page);
  g_clear_object (&data->file);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WriteData, write_data_free)

static void
file_written_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr (WriteData) data = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      g_autofree char *where = g_file_get_parse_name (data->file);

      /* Translators: the first %s is a file, the second what went wrong. */
      message = g_strdup_printf (_("Cannot save %s: %s"), where, error->message);
    }
  else
    {
      g_autofree char *name = g_file_get_basename (data->file);

      /* Translators: %s is the name of the file an export went to. */
      message = g_strdup_printf (_("Saved %s"), name);
    }

  crm_page_show_toast (data->page, message);
}

/**
 * crm_page_write_file:
 * @contents: (transfer full): the text to write
 *
 * Writes an export in the background, readable by the user alone since it
 * holds personal data, and says in a toast where it went or what failed.
 */
void
crm_page_write_file (GtkWidget *page,
                     GFile     *file,
                     char      *contents)
{
  g_autoptr (GBytes) bytes = g_bytes_new_take (contents, strlen (contents));
  WriteData *data = g_new0 (WriteData, 1);

  data->page = g_object_ref (page);
  data->file = g_object_ref (file);
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE,
                                       G_FILE_CREATE_PRIVATE
                                       | G_FILE_CREATE_REPLACE_DESTINATION,
                                       NULL, file_written_cb, data);
}

static void
on_export_chooser_response (GtkNativeDialog *chooser,
                            int              response,
                            gpointer         user_data)
{
  GtkWidget *page = g_object_get_data (G_OBJECT (chooser), "crm-page");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      char *contents = g_object_steal_data (G_OBJECT (chooser), "crm-contents");

      if (file != NULL && contents != NULL)
        crm_page_write_file (page, file, contents);
      else
        g_free (contents);
    }

  g_object_unref (chooser);
}

/**
 * crm_page_choose_export_file:
 * @contents: (transfer full): the export, made before asking so that a
 *   failure shows at once
 *
 * Asks where to save an export, then writes it there.
 */
void
crm_page_choose_export_file (GtkWidget  *page,
                             const char *title,
                             const char *suggested_name,
                             char       *contents)
{
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (title, get_parent_window (page),
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), suggested_name);
  g_object_set_data_full (G_OBJECT (chooser), "crm-page", g_object_ref (page), g_object_unref);
  g_object_set_data_full (G_OBJECT (chooser), "crm-contents", contents, g_free);
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_chooser_response), NULL);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Rows */

static void
add_figure (CrmContactPage *self,
            const char     *value,
            const char     *caption)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *value_label = gtk_label_new (value);
  GtkWidget *caption_label = gtk_label_new (caption);
  GtkWidget *child = gtk_flow_box_child_new ();

  gtk_label_set_wrap (GTK_LABEL (value_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (value_label), PANGO_WRAP_WORD);
  gtk_label_set_xalign (GTK_LABEL (value_label), 0.0);
  gtk_widget_add_css_class (value_label, "title-4");
  gtk_widget_add_css_class (value_label, "numeric");
  gtk_label_set_wrap (GTK_LABEL (caption_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (caption_label), 0.0);
  gtk_widget_add_css_class (caption_label, "caption");
  gtk_widget_add_css_class (caption_label, "dim-label");

  gtk_box_append (GTK_BOX (card), value_label);
  gtk_box_append (GTK_BOX (card), caption_label);
  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "crm-figure");

  gtk_flow_box_child_set_child (GTK_FLOW_BOX_CHILD (child), card);
  gtk_widget_set_focusable (child, FALSE);
  gtk_flow_box_append (self->figures_box, child);
}

static void
add_count_figure (CrmContactPage *self,
                  guint           count,
                  const char     *caption)
{
  g_autofree char *value = g_strdup_printf ("%'u", count);

  add_figure (self, value, caption);
}

static void
rebuild_header (CrmContactPage *self)
{
  CrmContact *contact = self->contact;
  const char *name = crm_contact_get_display_name (contact);
  const char *job = crm_contact_get_job_title (contact);
  const char *company = crm_contact_get_company_name (contact);
  const char *const *tags = crm_contact_get_tags (contact);
  gboolean archived = crm_contact_get_archived (contact);
  g_autoptr (GString) subtitle = g_string_new (NULL);
  GVariant *id = g_variant_new_int64 (self->contact_id);

  adw_avatar_set_text (self->avatar, name);
  gtk_label_set_text (self->name_label, name);

  /* Only the link is markup: the names go in escaped. */
  if (!crm_text_is_blank (job))
    {
      g_autofree char *escaped = g_markup_escape_text (job, -1);

      g_string_append (subtitle, escaped);
    }
  if (!crm_text_is_blank (company))
    {
      g_autofree char *text = NULL;

      if (crm_contact_get_company_id (contact) != 0)
        /* The link opens the company's page through contacts.open-company. */
        text = g_markup_printf_escaped ("<a href=\"company\" title=\"%s\">%s</a>",
                                        _("Open the company"), company);
      else
        text = g_markup_escape_text (company, -1);
      if (subtitle->len > 0)
        g_string_append (subtitle, " · ");
      g_string_append (subtitle, text);
    }
  gtk_label_set_markup (self->subtitle_label, subtitle->str);
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle_label), subtitle->len > 0);

  crm_page_clear_flow_box (self->pills_box);
  if (archived)
    crm_page_add_pill (self->pills_box, _("Archived"), "warning");
  if (!crm_text_is_blank (crm_contact_get_lifecycle_stage (contact)))
    crm_page_add_pill (self->pills_box, crm_contact_get_lifecycle_stage (contact), "accent");
  if (!crm_text_is_blank (crm_contact_get_lead_status (contact)))
    crm_page_add_pill (self->pills_box, crm_contact_get_lead_status (contact), "accent");
  for (guint i = 0; tags != NULL && tags[i] != NULL; i++)
    crm_page_add_pill (self->pills_box, tags[i], NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->pills_box),
                          gtk_widget_get_first_child (GTK_WIDGET (self->pills_box)) != NULL);

  /* The target first: an action with a parameter never sees none. */
  g_variant_ref_sink (id);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->edit_button), id);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->edit_button), "contacts.edit");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->archive_button), id);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->archive_button),
                                  archived ? "contacts.unarchive" : "contacts.archive");
  gtk_button_set_label (self->archive_button, archived ? _("_Unarchive") : _("_Archive"));
  g_variant_unref (id);
}

static void
rebuild_identity (CrmContactPage *self,
                  GDateTime      *now)
{
  CrmContact *contact = self->contact;
  CrmRows rows;
  GPtrArray *phones = crm_contact_get_phones (contact);
  GPtrArray *emails = crm_contact_get_emails (contact);
  GPtrArray *addresses = crm_contact_get_addresses (contact);
  GPtrArray *links = crm_contact_get_links (contact);
  const char *birthday = crm_contact_get_birthday (contact);

  crm_page_rows_begin (&rows, self->identity_list);

  if (phones->len == 0 && emails->len == 0)
    {
      GtkWidget *row = crm_page_rows_add (&rows, _("No phone or email yet"), NULL);

      gtk_widget_add_css_class (row, "dim-label");
    }

  for (guint i = 0; i < phones->len; i++)
    {
      const CrmContactDetail *phone = g_ptr_array_index (phones, i);
      const char *stored = phone->value != NULL ? phone->value : phone->raw;
      g_autofree char *national = NULL;
      GtkWidget *row;

      if (crm_text_is_blank (stored))
        continue;
      national = crm_phone_format_national (stored);
      row = crm_page_rows_add (&rows, national,
                              phone->label != NULL ? crm_format_detail_label (phone->label)
                                                   : _("Phone"));
      crm_page_row_set_action (row, "page.copy", g_variant_new_string (national),
                               "edit-copy-symbolic", _("Copy the number"));
    }

  for (guint i = 0; i < emails->len; i++)
    {
      const CrmContactDetail *email = g_ptr_array_index (emails, i);
      g_autofree char *escaped = NULL;
      g_autofree char *uri = NULL;
      GtkWidget *row;

      if (crm_text_is_blank (email->value))
        continue;
      escaped = g_uri_escape_string (email->value, "@+", FALSE);
      uri = g_strconcat ("mailto:", escaped, NULL);
      row = crm_page_rows_add (&rows, email->value,
                              email->label != NULL ? crm_format_detail_label (email->label)
                                                   : _("Email"));
      crm_page_row_set_action (row, "page.open-uri", g_variant_new_string (uri),
                               "adw-mail-send-symbolic", _("Write an email"));
    }

  for (guint i = 0; i < addresses->len; i++)
    {
      const CrmContactDetail *address = g_ptr_array_index (addresses, i);
      g_autofree char *text = crm_contact_detail_format_address (address);
      GtkWidget *row;

      if (crm_text_is_blank (text))
        continue;
      row = crm_page_rows_add (&rows, text,
                              address->label != NULL ? crm_format_detail_label (address->label)
                                                     : _("Address"));
      crm_page_row_set_action (row, "page.copy", g_variant_new_string (text),
                               "edit-copy-symbolic", _("Copy the address"));
    }

  if (!crm_text_is_blank (birthday))
    {
      g_autofree char *date = crm_format_date (birthday);
      g_autofree char *text = NULL;
      int age = crm_format_age (birthday, now);

      if (date == NULL)
        text = g_strdup (birthday);
      else if (age >= 0)
        /* Translators: a birthday and the age it gives, "Nov 22, 1990 (36
         * years old)". */
        text = g_strdup_printf (ngettext ("%s (%d year old)", "%s (%d years old)", age), date,
                                age);
      else
        text = g_steal_pointer (&date);
      crm_page_rows_add (&rows, text, _("Birthday"));
    }

  if (!crm_text_is_blank (crm_contact_get_gender (contact)))
    crm_page_rows_add (&rows, crm_format_gender (crm_contact_get_gender (contact)), _("Gender"));
  if (!crm_text_is_blank (crm_contact_get_preferred_channel (contact)))
    crm_page_rows_add (&rows, crm_format_channel (crm_contact_get_preferred_channel (contact)),
                      _("Preferred channel"));

  for (guint i = 0; i < links->len; i++)
    {
      const CrmContactDetail *link = g_ptr_array_index (links, i);
      GtkWidget *row;

      if (crm_text_is_blank (link->value))
        continue;
      row = crm_page_rows_add (&rows, link->value,
                              link->label != NULL ? crm_format_detail_label (link->label)
                                                  : _("Social profile"));
      crm_page_row_set_action (row, "page.open-uri", g_variant_new_string (link->value),
                               "adw-external-link-symbolic", _("Open the profile"));
    }

  crm_page_rows_add_text (&rows, crm_contact_get_interests (contact), _("Interests"));
  crm_page_rows_end (&rows);
}

static void
rebuild_description (CrmContactPage *self)
{
  CrmContact *contact = self->contact;
  CrmRows rows;
  const char *job = crm_contact_get_job_title (contact);
  const char *company = crm_contact_get_company_name (contact);

  crm_page_rows_begin (&rows, self->description_list);

  if (!crm_text_is_blank (job) && !crm_text_is_blank (company))
    {
      /* Translators: a job title and the company, "Sales Director at Công
       * ty Minh Phát". */
      g_autofree char *text = g_strdup_printf (_("%s at %s"), job, company);

      crm_page_rows_add (&rows, text, _("Job title and company"));
    }
  else
    {
      crm_page_rows_add_text (&rows, job, _("Job title"));
      crm_page_rows_add_text (&rows, company, _("Company"));
    }

  crm_page_rows_add_text (&rows, crm_contact_get_education (contact), _("Education"));
  crm_page_rows_add_text (&rows, crm_contact_get_occupation (contact), _("Occupation"));
  crm_page_rows_add_text (&rows, crm_contact_get_income_band (contact), _("Income band"));
  crm_page_rows_add_text (&rows, crm_contact_get_family_status (contact),
                       _("Family status"));
  crm_page_rows_add_text (&rows, crm_contact_get_lifestyle (contact), _("Lifestyle"));

  gtk_widget_set_visible (GTK_WIDGET (self->description_group), crm_page_rows_end (&rows) > 0);
}

static void
rebuild_figures (CrmContactPage *self)
{
  CrmContact *contact = self->contact;
  GPtrArray *spending = crm_contact_get_spending (contact);
  g_autofree char *last = crm_format_days_ago (crm_contact_get_days_since_contact (contact));

  crm_page_clear_flow_box (self->figures_box);

  add_count_figure (self, crm_contact_get_n_interactions (contact), _("Interactions"));
  add_count_figure (self, crm_contact_get_n_purchases (contact), _("Purchases"));
  for (guint i = 0; i < spending->len; i++)
    {
      const CrmSpend *spend = g_ptr_array_index (spending, i);
      g_autofree char *total = crm_format_money (spend->total, spend->currency);
      g_autofree char *average = crm_format_money (spend->average, spend->currency);

      add_figure (self, total, _("Total spent"));
      add_figure (self, average, _("Average order value"));
    }
  add_count_figure (self, crm_contact_get_n_support_requests (contact), _("Support requests"));
  add_figure (self, last, _("Last contact"));
}

/* The subject when there is one, else the body; the rest goes under it. */
static GtkWidget *
add_interaction_row (CrmRows                     *rows,
                     const CrmInteractionSummary *interaction,
                     const char                  *what)
{
  g_autofree char *date = crm_format_timestamp_date (interaction->happened);
  g_autoptr (GString) subtitle = g_string_new (NULL);
  const char *title = interaction->subject;
  const char *sentiment = NULL;

  if (crm_text_is_blank (title))
    title = interaction->body;
  else if (!crm_text_is_blank (interaction->body))
    g_string_append_printf (subtitle, "%s\n", interaction->body);
  if (crm_text_is_blank (title))
    title = crm_format_interaction_kind (interaction->kind);

  g_string_append (subtitle, what);
  if (date != NULL)
    g_string_append_printf (subtitle, " · %s", date);
  if (interaction->sentiment != NULL)
    sentiment = crm_format_sentiment (interaction->sentiment);
  if (sentiment != NULL)
    g_string_append_printf (subtitle, " · %s", sentiment);

  return crm_page_rows_add (rows, title, subtitle->str);
}

static void
rebuild_qualitative (CrmContactPage *self)
{
  CrmContact *contact = self->contact;
  CrmRows rows;
  const CrmInteractionSummary *feedback = crm_contact_get_latest_feedback (contact);
  GPtrArray *notes = crm_contact_get_recent_notes (contact);

  crm_page_rows_begin (&rows, self->qualitative_list);

  if (feedback != NULL)
    {
      GtkWidget *row = add_interaction_row (&rows, feedback, _("Latest feedback"));
      g_autofree char *stars = crm_format_stars (feedback->satisfaction);

      if (stars != NULL)
        {
          /* Translators: how satisfied a customer said they were. */
          g_autofree char *spoken = g_strdup_printf (_("Satisfaction %d out of 5"),
                                                     feedback->satisfaction);
          GtkWidget *label = crm_page_row_set_suffix (row, stars, "accent");

          gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, spoken,
                                          -1);
          crm_page_row_set_tooltip (row, spoken);
        }
    }

  crm_page_rows_add_text (&rows, crm_contact_get_notes (contact), _("Notes"));

  for (guint i = 0; i < notes->len; i++)
    add_interaction_row (&rows, g_ptr_array_index (notes, i), _("Note"));

  gtk_widget_set_visible (GTK_WIDGET (self->qualitative_group), crm_page_rows_end (&rows) > 0);
}

static void
rebuild_sales (CrmContactPage *self,
               GDateTime      *now)
{
  CrmContact *contact = self->contact;
  CrmRows rows;
  GPtrArray *deals = crm_contact_get_open_deals (contact);
  const CrmTaskSummary *task = crm_contact_get_next_task (contact);
  g_autoptr (GString) consent = g_string_new (NULL);

  crm_page_rows_begin (&rows, self->sales_list);

  /* A new deal starts with this contact and their company. */
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->new_deal_button),
                                          g_variant_new ("(xx)", crm_contact_get_id (contact),
                                                         crm_contact_get_company_id (contact)));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->new_deal_button), "contacts.new-deal");

  crm_page_rows_add_text (&rows, crm_contact_get_lifecycle_stage (contact), _("Lifecycle stage"));
  crm_page_rows_add_text (&rows, crm_contact_get_lead_status (contact), _("Lead status"));
  crm_page_rows_add_text (&rows, crm_contact_get_owner (contact), _("Owner"));
  crm_page_rows_add_text (&rows, crm_contact_get_source (contact), _("Source"));

  if (crm_contact_get_consent (contact))
    {
      g_autofree char *date = crm_format_date (crm_contact_get_consent_date (contact));
      const char *source = crm_contact_get_consent_source (contact);

      g_string_append (consent, _("Yes"));
      if (date != NULL)
        /* Translators: after "Yes" for a marketing consent; %s is a date. */
        g_string_append_printf (consent, _(", since %s"), date);
      if (!crm_text_is_blank (source))
        g_string_append_printf (consent, " · %s", source);
    }
  else
    g_string_append (consent, _("No"));
  crm_page_rows_add (&rows, consent->str, _("Marketing consent"));

  for (guint i = 0; i < deals->len; i++)
    {
      const CrmDealSummary *deal = g_ptr_array_index (deals, i);
      g_autofree char *value = crm_format_money (deal->value, deal->currency);
      g_autofree char *subtitle = NULL;
      GtkWidget *row;

      if (!crm_text_is_blank (deal->stage))
        /* Translators: under a deal's title; %s is its stage. */
        subtitle = g_strdup_printf (C_("deal", "Open deal · %s"), deal->stage);
      else
        subtitle = g_strdup (C_("deal", "Open deal"));
      row = crm_page_rows_add (&rows, deal->title, subtitle);
      crm_page_row_set_suffix (row, value, "numeric");
      crm_page_row_set_action (row, "contacts.open-deal", g_variant_new_int64 (deal->id),
                               "go-next-symbolic", _("Open the deal"));
    }

  if (task != NULL)
    {
      g_autofree char *subtitle = NULL;
      GtkWidget *row;

      if (task->due > 0)
        {
          g_autofree char *date = crm_format_timestamp_date (task->due);

          /* Translators: under the title of the next task; %s is a date. */
          subtitle = g_strdup_printf (_("Next task · due %s"), date);
        }
      else
        subtitle = g_strdup (_("Next task"));
      row = crm_page_rows_add (&rows, task->title, subtitle);
      if (task->due > 0 && task->due < g_date_time_to_unix (now))
        crm_page_row_set_suffix (row, _("Overdue"), "error");
    }

  crm_page_rows_end (&rows);
}

static void
rebuild_custom (CrmContactPage *self)
{
  GPtrArray *values = crm_contact_get_custom_values (self->contact);
  CrmRows rows;

  crm_page_rows_begin (&rows, self->custom_list);

  for (guint i = 0; i < values->len; i++)
    {
      const CrmCustomValue *value = g_ptr_array_index (values, i);
      g_autofree char *text = crm_format_custom_value (value->type, value->options,
                                                       value->value);

      if (text == NULL)
        continue;
      crm_page_rows_add (&rows, text, value->label);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->custom_group), crm_page_rows_end (&rows) > 0);
}

static void
update_actions (CrmContactPage *self)
{
  gboolean loaded = self->contact != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.export-json", loaded);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.export-vcard", loaded);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.erase", loaded);
}

static void
show_missing (CrmContactPage *self,
              const char     *title,
              const char     *description)
{
  adw_status_page_set_title (self->missing_page, title);
  adw_status_page_set_description (self->missing_page, description);
  gtk_stack_set_visible_child_name (self->stack, "missing");
}

static void
reload (CrmContactPage *self)
{
  g_autoptr (CrmContact) contact = NULL;
  g_autoptr (GDateTime) now = NULL;
  g_autoptr (GError) error = NULL;

  g_clear_handle_id (&self->reload_source, g_source_remove);

  if (self->erased)
    return;

  if (self->store == NULL || self->contact_id == 0)
    {
      g_clear_object (&self->contact);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      update_actions (self);
      return;
    }

  contact = crm_contact_load (self->store, self->contact_id, &error);
  if (contact == NULL)
    {
      g_clear_object (&self->contact);
      if (g_error_matches (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND))
        show_missing (self, _("Contact Not Found"),
                      _("It may have been deleted, or merged into another contact"));
      else
        show_missing (self, _("Cannot Show the Contact"), error->message);
      update_actions (self);
      return;
    }

  g_set_object (&self->contact, contact);
  now = g_date_time_new_now_local ();

  rebuild_header (self);
  rebuild_identity (self, now);
  rebuild_description (self);
  rebuild_figures (self);
  rebuild_qualitative (self);
  rebuild_sales (self, now);
  rebuild_custom (self);

  gtk_stack_set_visible_child_name (self->stack, "contact");
  update_actions (self);
}

static gboolean
reload_cb (gpointer user_data)
{
  CrmContactPage *self = user_data;

  self->reload_source = 0;
  reload (self);

  return G_SOURCE_REMOVE;
}

/* Callbacks */

static void
on_store_changed (CrmStore       *store,
                  const char     *entity,
                  gint64          id,
                  CrmContactPage *self)
{
  if (self->contact_id == 0 || self->erased)
    return;

  /* Other people and other companies change nothing here; an interaction,
   * a deal, a task or a tag may be this contact's, and a reload is cheap. */
  if (g_str_equal (entity, "contact") && id != 0 && id != self->contact_id)
    return;
  if (g_str_equal (entity, "company") && id != 0
      && (self->contact == NULL || id != crm_contact_get_company_id (self->contact)))
    return;
  if (g_str_equal (entity, "segment"))
    return;

  /* A burst of changes (an import, a bulk edit) reloads once, before the
   * next frame is drawn. */
  if (self->reload_source == 0)
    self->reload_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, reload_cb, self, NULL);
}

static gboolean
on_subtitle_label_activate_link (GtkLabel       *label,
                                 const char     *uri,
                                 CrmContactPage *self)
{
  if (self->contact == NULL)
    return TRUE;

  if (!gtk_widget_activate_action (GTK_WIDGET (self), "contacts.open-company", "x",
                                   crm_contact_get_company_id (self->contact)))
    g_debug ("No action contacts.open-company here yet");

  return TRUE;
}

static void
on_list_row_activated (GtkListBox     *list,
                       GtkListBoxRow  *row,
                       CrmContactPage *self)
{
  crm_page_activate_row (GTK_WIDGET (self), row);
}

/* Actions */

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  crm_page_copy (widget, g_variant_get_string (parameter, NULL));
}

static void
open_uri_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  crm_page_open_uri (widget, g_variant_get_string (parameter, NULL));
}

static char *
make_export (CrmContactPage          *self,
             CrmContactExportFormat   format,
             GError                 **error)
{
  if (format == CRM_CONTACT_EXPORT_VCARD)
    return crm_contact_export_vcard (self->store, self->contact_id, error);

  return crm_contact_export_json (self->store, self->contact_id, error);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CrmContactPage *self = CRM_CONTACT_PAGE (widget);
  gboolean vcard = g_str_equal (action_name, "page.export-vcard");
  CrmContactExportFormat format = vcard ? CRM_CONTACT_EXPORT_VCARD : CRM_CONTACT_EXPORT_JSON;
  g_autoptr (GError) error = NULL;
  g_autofree char *file_name = NULL;
  char *contents;

  if (self->contact == NULL)
    return;

  contents = make_export (self, format, &error);
  if (contents == NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: the first %s is a person, the second what went wrong. */
      message = g_strdup_printf (_("Cannot export %s: %s"),
                                 crm_contact_get_display_name (self->contact), error->message);
      crm_page_show_toast (widget, message);
      return;
    }

  file_name = crm_format_file_name (crm_contact_get_display_name (self->contact),
                                    C_("file name", "contact"), vcard ? "vcf" : "json");
  crm_page_choose_export_file (widget,
                               vcard ? _("Export as vCard") : _("Export as JSON"),
                               file_name, contents);
}

typedef struct
{
  CrmContactPage *self;
  char           *name;
} EraseJob;

static void
erase_job_free (EraseJob *job)
{
  g_object_unref (job->self);
  g_free (job->name);
  g_free (job);
}

/* Once the person is gone, let the search index forget their words too;
 * a full merge of the index, so when the window is idle. */
static gboolean
purge_erased_cb (gpointer user_data)
{
  CrmStore *store = user_data;
  g_autoptr (GError) error = NULL;

  if (!crm_contacts_purge_erased (store, &error))
    g_warning ("Cannot purge the search index: %s", error->message);

  return G_SOURCE_REMOVE;
}

static void
erase_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  EraseJob *job = user_data;
  CrmContactPage *self = job->self;
  g_autoptr (GError) error = NULL;
  g_autofree char *description = NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self), TRUE);

  if (!crm_contact_erase_finish (CRM_STORE (source), result, &error))
    {
      g_autofree char *message = NULL;

      /* Translators: the first %s is a person, the second what went wrong. */
      message = g_strdup_printf (_("Cannot erase %s: %s"), job->name, error->message);
      crm_page_show_toast (GTK_WIDGET (self), message);
      erase_job_free (job);
      return;
    }

  g_idle_add_full (G_PRIORITY_LOW, purge_erased_cb, g_object_ref (source), g_object_unref);

  /* The store's change signal has asked for a reload, which would find
   * nobody: the page says what happened instead. */
  self->erased = TRUE;
  g_clear_handle_id (&self->reload_source, g_source_remove);
  g_clear_object (&self->contact);
  /* Translators: %s is the name of the person whose data was erased. */
  description = g_strdup_printf (_("Everything Rapport held about %s has been removed"), job->name);
  adw_status_page_set_description (self->erased_page, description);
  gtk_stack_set_visible_child_name (self->stack, "erased");
  update_actions (self);
  erase_job_free (job);
}

/* Reading the history to blank takes long in a big workspace: it runs on a
 * worker thread, and the page waits without blocking the window. */
static void
erase (CrmContactPage *self)
{
  EraseJob *job;

  if (self->contact == NULL)
    return;

  job = g_new0 (EraseJob, 1);
  job->self = g_object_ref (self);
  job->name = g_strdup (crm_contact_get_display_name (self->contact));
  gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
  crm_contact_erase_async (self->store, self->contact_id, NULL, erase_done_cb, job);
}

static void
on_erase_dialog_response (AdwMessageDialog *dialog,
                          const char       *response,
                          CrmContactPage   *self)
{
  if (g_str_equal (response, "erase"))
    erase (self);
}

static void
erase_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  CrmContactPage *self = CRM_CONTACT_PAGE (widget);
  GtkWidget *dialog;

  if (self->contact == NULL)
    return;

  dialog = adw_message_dialog_new (get_parent_window (widget), _("Erase Personal Data?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  /* Translators: %s is the person's name. */
                                  _("Everything Rapport holds about %s will be removed "
                                    "permanently, everywhere: their details, interactions, "
                                    "tasks and notes, and their personal data in the change "
                                    "history. Their deals stay, without their name. This "
                                    "cannot be undone."),
                                  crm_contact_get_display_name (self->contact));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "erase", _("_Erase"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "erase",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_erase_dialog_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* GObject */

static void
crm_contact_page_dispose (GObject *object)
{
  CrmContactPage *self = CRM_CONTACT_PAGE (object);

  g_clear_handle_id (&self->reload_source, g_source_remove);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, on_store_changed, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_CONTACT_PAGE);
  g_clear_object (&self->contact);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (crm_contact_page_parent_class)->dispose (object);
}

static void
crm_contact_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CrmContactPage *self = CRM_CONTACT_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_CONTACT_ID:
      g_value_set_int64 (value, self->contact_id);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_contact_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  CrmContactPage *self = CRM_CONTACT_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      crm_contact_page_set_store (self, g_value_get_object (value));
      break;

    case PROP_CONTACT_ID:
      crm_contact_page_set_contact_id (self, g_value_get_int64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_contact_page_class_init (CrmContactPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = crm_contact_page_dispose;
  object_class->get_property = crm_contact_page_get_property;
  object_class->set_property = crm_contact_page_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         CRM_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * CrmContactPage:contact-id:
   *
   * The contact shown, or 0 for none.
   */
  properties[PROP_CONTACT_ID] =
    g_param_spec_int64 ("contact-id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CrmContactPage::toast:
   * @message: plain text, not markup
   *
   * Asks the window to show @message in a toast ("Copied 0903 123 456").
   * Without a handler the page looks for an #AdwToastOverlay around it.
   */
  signals[TOAST] = g_signal_new ("toast",
                                 G_TYPE_FROM_CLASS (klass),
                                 G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/crm-contact-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmContactPage, stack);
  gtk_widget_class_bind_template_child (widget_class, CrmContactPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, CrmContactPage, missing_page);
  gtk_widget_class_bind_template_child (widget_class, CrmContactPage, erased_page);
  gtk_widget_class_bind_template_child (widget_class, CrmContactPage, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, CrmContactPage, avatar);
  gtk_widget_class_bind_template_child (widget_class, CrmContactPage, name_label);
  gtk_widget_class_bind_template_child (widget_class, CrmContactPage, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, CrmContactPage, pills_box);
  gtk_widget_class_bind_template_child (widget_class, CrmContactPage, edit_button);
  gtk_widget_class_bind_template_child (widget_class, CrmContactPage, archive_button);
  gtk_widget_class_bind_template_child (widget_class, CrmContactPage, more_button);
  gtk_widget_class_bind_template_child (widget_class, CrmContactPage, identity_group);
  gtk_widget_class_bind_template_child (widget_class, CrmContactPage, identity_list);
  gtk_widget_class_bind_template_child (widget_class, CrmContactPage, description_group);
  gtk_widget_class_bind_template_child (widget_class, CrmContactPage, description_list);
  gtk_widget_class_bind_template_child (widget_class, CrmContactPage, figures_group);
  gtk_widget_class_bind_template_child (widget_class, CrmContactPage, figures_box);
  gtk_widget_class_bind_template_child (widget_class, CrmContactPage, qualitative_group);
  gtk_widget_class_bind_template_child (widget_class, CrmContactPage, qualitative_list);
  gtk_widget_class_bind_template_child (widget_class, CrmContactPage, sales_group);
  gtk_widget_class_bind_template_child (widget_class, CrmContactPage, sales_list);
  gtk_widget_class_bind_template_child (widget_class, CrmContactPage, new_deal_button);
  gtk_widget_class_bind_template_child (widget_class, CrmContactPage, custom_group);
  gtk_widget_class_bind_template_child (widget_class, CrmContactPage, custom_list);
  gtk_widget_class_bind_template_callback (widget_class, on_subtitle_label_activate_link);
  gtk_widget_class_bind_template_callback (widget_class, on_list_row_activated);

  gtk_widget_class_install_action (widget_class, "page.copy", "s", copy_action);
  gtk_widget_class_install_action (widget_class, "page.open-uri", "s", open_uri_action);
  gtk_widget_class_install_action (widget_class, "page.export-json", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "page.export-vcard", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "page.erase", NULL, erase_action);
}

static void
crm_contact_page_init (CrmContactPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  crm_page_ensure_style (GTK_WIDGET (self));
  update_actions (self);
}

/* Public API */

/**
 * crm_contact_page_new:
 * @store: (nullable): the open workspace
 *
 * Makes the page that shows one contact with everything about them: the
 * single customer view.
 *
 * Returns: (transfer floating): a new #CrmContactPage
 */
GtkWidget *
crm_contact_page_new (CrmStore *store)
{
  g_return_val_if_fail (store == NULL || CRM_IS_STORE (store), NULL);

  return g_object_new (CRM_TYPE_CONTACT_PAGE, "store", store, NULL);
}

CrmStore *
crm_contact_page_get_store (CrmContactPage *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT_PAGE (self), NULL);

  return self->store;
}

void
crm_contact_page_set_store (CrmContactPage *self,
                            CrmStore       *store)
{
  g_return_if_fail (CRM_IS_CONTACT_PAGE (self));
  g_return_if_fail (store == NULL || CRM_IS_STORE (store));

  if (self->store == store)
    return;

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, on_store_changed, self);
  g_set_object (&self->store, store);
  if (store != NULL)
    g_signal_connect_object (store, "changed", G_CALLBACK (on_store_changed), self, 0);

  self->erased = FALSE;
  reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

gint64
crm_contact_page_get_contact_id (CrmContactPage *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT_PAGE (self), 0);

  return self->contact_id;
}

/**
 * crm_contact_page_set_contact_id:
 * @contact_id: the contact to show, or 0 for none
 *
 * Shows a contact, read at once from the store.
 */
void
crm_contact_page_set_contact_id (CrmContactPage *self,
                                 gint64          contact_id)
{
  g_return_if_fail (CRM_IS_CONTACT_PAGE (self));
  g_return_if_fail (contact_id >= 0);

  if (self->contact_id == contact_id)
    return;

  self->contact_id = contact_id;
  self->erased = FALSE;
  reload (self);
  /* Another person starts at the top of their page. */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled_window), 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTACT_ID]);
}

/**
 * crm_contact_page_get_contact:
 *
 * Returns: (transfer none) (nullable): the snapshot shown, or %NULL
 */
CrmContact *
crm_contact_page_get_contact (CrmContactPage *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT_PAGE (self), NULL);

  return self->contact;
}

/**
 * crm_contact_page_export:
 * @file: where to write
 *
 * Writes everything the workspace holds about the contact shown to @file
 * in the background, as the "Export as…" menu items do after asking where;
 * the "toast" signal says where it went or what failed.
 */
void
crm_contact_page_export (CrmContactPage         *self,
                         CrmContactExportFormat  format,
                         GFile                  *file)
{
  g_autoptr (GError) error = NULL;
  char *contents;

  g_return_if_fail (CRM_IS_CONTACT_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (self->contact != NULL);

  contents = make_export (self, format, &error);
  if (contents == NULL)
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("Cannot export %s: %s"),
                                 crm_contact_get_display_name (self->contact), error->message);
      crm_page_show_toast (GTK_WIDGET (self), message);
      return;
    }

  crm_page_write_file (GTK_WIDGET (self), file, contents);
}
