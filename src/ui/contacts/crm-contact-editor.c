/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-contact-editor"

#include "config.h"
#include "crm-text.h"

#include <glib/gi18n.h>
#include <string.h>

#include "crm-company.h"
#include "crm-company-list.h"
#include "crm-contact.h"
#include "crm-contact-editor.h"
#include "crm-contacts.h"
#include "crm-custom-rows.h"
#include "crm-fields.h"
#include "crm-normalize.h"

/* How long typing pauses before the form is checked again. */
#define VALIDATE_DELAY_MS 250

/* One entry of a list to choose from: a lifecycle stage, a lead status, or
 * no company; id 0 means none. */
#define CRM_TYPE_EDITOR_CHOICE (crm_editor_choice_get_type ())

G_DECLARE_FINAL_TYPE (CrmEditorChoice, crm_editor_choice, CRM, EDITOR_CHOICE, GObject)

struct _CrmEditorChoice
{
  GObject  parent_instance;

  gint64   id;
  char    *name;
};

G_DEFINE_FINAL_TYPE (CrmEditorChoice, crm_editor_choice, G_TYPE_OBJECT)

enum {
  CHOICE_PROP_0,
  CHOICE_PROP_NAME,
  N_CHOICE_PROPS
};

static GParamSpec *choice_properties[N_CHOICE_PROPS];

typedef enum {
  DETAIL_PHONE,
  DETAIL_EMAIL,
  DETAIL_ADDRESS,
  DETAIL_LINK,
  N_DETAIL_KINDS
} DetailKind;

typedef enum {
  PART_STREET,
  PART_WARD,
  PART_DISTRICT,
  PART_PROVINCE,
  PART_COUNTRY,
  N_PARTS
} AddressPart;

/* A text field of the draft and the row that edits it. */
typedef struct
{
  CrmContactEditor *self;
  const char       *name;      /* the draft's field name */
  GtkWidget        *row;
  CrmEditorMessage *message;
  gboolean          touched;   /* the user changed it */
} Field;

/* One phone number, email address, postal address or profile. */
typedef struct
{
  CrmContactEditor *self;
  DetailKind        kind;
  GtkWidget        *row;                 /* AdwEntryRow, or AdwExpanderRow for an address */
  GtkEditable      *parts[N_PARTS];      /* an address's rows; no district unless it had one */
  GtkDropDown      *label_drop_down;
  GPtrArray        *label_keys;          /* (element-type utf8): what each label stores */
  GtkToggleButton  *primary_button;
  CrmEditorMessage *message;             /* none for addresses */
  gboolean          touched;
} Detail;

struct _CrmContactEditor
{
  AdwWindow             parent_instance;

  /* template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkWidget            *save_button;
  AdwPreferencesPage   *page;
  AdwPreferencesGroup  *general_group;
  GtkLabel             *general_label;
  AdwPreferencesGroup  *name_group;
  AdwEntryRow          *family_row;
  AdwEntryRow          *middle_row;
  AdwEntryRow          *given_row;
  GtkSwitch            *given_first_switch;
  AdwActionRow         *add_phone_row;
  AdwActionRow         *add_email_row;
  AdwActionRow         *add_address_row;
  AdwActionRow         *add_link_row;
  AdwActionRow         *company_row;
  GtkMenuButton        *company_button;
  GtkLabel             *company_label;
  GtkPopover           *company_popover;
  GtkSearchEntry       *company_search;
  GtkListView          *company_list;
  AdwEntryRow          *job_title_row;
  AdwEntryRow          *birthday_row;
  AdwComboRow          *gender_row;
  AdwComboRow          *channel_row;
  AdwEntryRow          *interests_row;
  AdwEntryRow          *education_row;
  AdwEntryRow          *occupation_row;
  AdwEntryRow          *income_band_row;
  AdwEntryRow          *family_status_row;
  AdwEntryRow          *lifestyle_row;
  AdwComboRow          *lifecycle_row;
  AdwComboRow          *lead_status_row;
  AdwEntryRow          *owner_row;
  AdwEntryRow          *source_row;
  AdwEntryRow          *tags_row;
  GtkSwitch            *consent_switch;
  AdwEntryRow          *consent_date_row;
  AdwEntryRow          *consent_source_row;
  GtkTextView          *notes_view;
  AdwPreferencesGroup  *custom_group;

  /* widgets made in code */
  GtkWidget            *tags_flow_row;
  GtkFlowBox           *tags_flow_box;

  /* owned references */
  CrmStore             *store;
  CrmCompanyList       *companies;
  GtkFlattenListModel  *company_choices; /* "No company", then the companies */
  GHashTable           *fields;         /* draft field name → Field */
  GPtrArray            *details[N_DETAIL_KINDS];
  GPtrArray            *custom_fields;  /* (element-type CrmCustomRow) */
  GPtrArray            *tags;           /* (element-type utf8): the pills */
  char                 *company_name;
  char                 *initial_signature;

  /* state */
  gint64                contact_id;
  gint64                company_id;
  guint                 validate_id;
  gboolean              loading;
  gboolean              load_failed;
  gboolean              show_all_problems;
  gboolean              splitting_tags;
  gboolean              modified;
  gboolean              valid;
};

G_DEFINE_FINAL_TYPE (CrmContactEditor, crm_contact_editor, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_CONTACT_ID,
  PROP_COMPANY_ID,
  PROP_MODIFIED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SAVED,
  OPEN_CONTACT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The text fields of a draft that an entry row edits, in the order of the
 * form. Dates are shown day first, the way a Vietnamese office writes them. */
typedef struct
{
  const char *name;
  gsize       offset;       /* of the row in CrmContactEditor */
  gboolean    normalized;   /* stored as something else than the trimmed text */
  gboolean    date;
} TextField;

#define TEXT_FIELD(name, row, normalized, date) \
  { name, G_STRUCT_OFFSET (CrmContactEditor, row), normalized, date }

static const TextField text_fields[] = {
  TEXT_FIELD ("family_name", family_row, TRUE, FALSE),
  TEXT_FIELD ("middle_name", middle_row, TRUE, FALSE),
  TEXT_FIELD ("given_name", given_row, TRUE, FALSE),
  TEXT_FIELD ("job_title", job_title_row, FALSE, FALSE),
  TEXT_FIELD ("birthday", birthday_row, TRUE, TRUE),
  TEXT_FIELD ("interests", interests_row, FALSE, FALSE),
  TEXT_FIELD ("education", education_row, FALSE, FALSE),
  TEXT_FIELD ("occupation", occupation_row, FALSE, FALSE),
  TEXT_FIELD ("income_band", income_band_row, FALSE, FALSE),
  TEXT_FIELD ("family_status", family_status_row, FALSE, FALSE),
  TEXT_FIELD ("lifestyle", lifestyle_row, FALSE, FALSE),
  TEXT_FIELD ("owner", owner_row, FALSE, FALSE),
  TEXT_FIELD ("source", source_row, FALSE, FALSE),
  TEXT_FIELD ("consent_date", consent_date_row, TRUE, TRUE),
  TEXT_FIELD ("consent_source", consent_source_row, FALSE, FALSE),
};

/* The rows of the gender and channel lists, after "Not set". */
static const char *const genders[] = { "female", "male", "other", NULL };
static const char *const channels[] = {
  "phone", "email", "zalo", "sms", "facebook", "in_person", NULL
};

/* The labels a detail may have: stored in English, shown translated. */
typedef struct
{
  const char *key;
  const char *name;   /* NC_("detail label", …) */
} DetailLabel;

static const DetailLabel phone_labels[] = {
  { "mobile", NC_("detail label", "Mobile") },
  { "work", NC_("detail label", "Work") },
  { "home", NC_("detail label", "Home") },
  { "zalo", NC_("detail label", "Zalo") },
  { "fax", NC_("detail label", "Fax") },
  { "other", NC_("detail label", "Other") },
  { NULL, NULL },
};

static const DetailLabel email_labels[] = {
  { "work", NC_("detail label", "Work") },
  { "personal", NC_("detail label", "Personal") },
  { "other", NC_("detail label", "Other") },
  { NULL, NULL },
};

static const DetailLabel address_labels[] = {
  { "home", NC_("detail label", "Home") },
  { "work", NC_("detail label", "Work") },
  { "other", NC_("detail label", "Other") },
  { NULL, NULL },
};

static const DetailLabel link_labels[] = {
  { "facebook", NC_("detail label", "Facebook") },
  { "zalo", NC_("detail label", "Zalo") },
  { "linkedin", NC_("detail label", "LinkedIn") },
  { "website", NC_("detail label", "Website") },
  { "other", NC_("detail label", "Other") },
  { NULL, NULL },
};

typedef struct
{
  const char        *field;          /* of a CrmFieldProblem */
  gsize              add_row_offset;
  const char        *title;
  const char        *label_name;     /* the accessible name of the label drop-down */
  const char        *primary;        /* the star when it is on */
  const char        *make_primary;   /* the star when it is off */
  const char        *remove;
  GtkInputPurpose    purpose;
  const DetailLabel *labels;
} DetailInfo;

static const DetailInfo detail_info[N_DETAIL_KINDS] = {
  [DETAIL_PHONE] = { "phone", G_STRUCT_OFFSET (CrmContactEditor, add_phone_row),
                     N_("Phone"), N_("Kind of phone"), N_("Primary phone"),
                     N_("Make this the primary phone"), N_("Remove phone"),
                     GTK_INPUT_PURPOSE_PHONE, phone_labels },
  [DETAIL_EMAIL] = { "email", G_STRUCT_OFFSET (CrmContactEditor, add_email_row),
                     N_("Email"), N_("Kind of email"), N_("Primary email"),
                     N_("Make this the primary email"), N_("Remove email"),
                     GTK_INPUT_PURPOSE_EMAIL, email_labels },
  [DETAIL_ADDRESS] = { "address", G_STRUCT_OFFSET (CrmContactEditor, add_address_row),
                       N_("Address"), N_("Kind of address"), N_("Primary address"),
                       N_("Make this the primary address"), N_("Remove address"),
                       GTK_INPUT_PURPOSE_FREE_FORM, address_labels },
  [DETAIL_LINK] = { "link", G_STRUCT_OFFSET (CrmContactEditor, add_link_row),
                    N_("Profile address"), N_("Kind of profile"), N_("Primary profile"),
                    N_("Make this the primary profile"), N_("Remove profile"),
                    GTK_INPUT_PURPOSE_URL, link_labels },
};

static const char *const part_titles[N_PARTS] = {
  N_("Street and number"),
  N_("Ward or commune"),
  N_("District"),
  N_("Province or city"),
  N_("Country"),
};

static void schedule_validate (CrmContactEditor *self);
static gboolean validate (CrmContactEditor *self);

/* CrmEditorChoice */

static void
crm_editor_choice_finalize (GObject *object)
{
  CrmEditorChoice *self = CRM_EDITOR_CHOICE (object);

  g_free (self->name);

  G_OBJECT_CLASS (crm_editor_choice_parent_class)->finalize (object);
}

static void
crm_editor_choice_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CrmEditorChoice *self = CRM_EDITOR_CHOICE (object);

  switch (prop_id)
    {
    case CHOICE_PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_editor_choice_class_init (CrmEditorChoiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = crm_editor_choice_finalize;
  object_class->get_property = crm_editor_choice_get_property;

  choice_properties[CHOICE_PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_CHOICE_PROPS, choice_properties);
}

static void
crm_editor_choice_init (CrmEditorChoice *self)
{
}

static CrmEditorChoice *
crm_editor_choice_new (gint64      id,
                       const char *name)
{
  CrmEditorChoice *self = g_object_new (CRM_TYPE_EDITOR_CHOICE, NULL);

  self->id = id;
  self->name = g_strdup (name != NULL ? name : "");

  return self;
}

/* Messages under the rows: shared with the company editor */

struct _CrmEditorMessage
{
  GtkWidget *field_row;
  GtkWidget *row;
  GtkLabel  *error_label;
  GtkLabel  *preview_label;
  GtkWidget *duplicate_box;
  GtkLabel  *duplicate_label;
  GtkWidget *open_button;
  gint64     duplicate_id;
};

static GtkLabel *
message_label (const char *style)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_visible (label, FALSE);
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, style);

  return GTK_LABEL (label);
}

static void
message_update_visible (CrmEditorMessage *message)
{
  gtk_widget_set_visible (message->row,
                          gtk_widget_get_visible (GTK_WIDGET (message->error_label))
                          || gtk_widget_get_visible (GTK_WIDGET (message->preview_label))
                          || gtk_widget_get_visible (message->duplicate_box));
}

static void
message_label_set (GtkLabel   *label,
                   const char *text)
{
  gboolean show = text != NULL && *text != '\0';

  if (g_strcmp0 (gtk_label_get_text (label), show ? text : "") != 0)
    gtk_label_set_text (label, show ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), show);
}

/**
 * crm_editor_message_new:
 * @field_row: a row in a #GtkListBox (an #AdwPreferencesGroup's too)
 *
 * Puts a hidden row under @field_row to tell what is wrong with its value,
 * how it will be stored and which other record has it already; the row
 * describes @field_row to assistive technologies.
 *
 * Returns: (transfer full): the message, freed with crm_editor_message_remove()
 */
CrmEditorMessage *
crm_editor_message_new (GtkWidget *field_row)
{
  CrmEditorMessage *message = g_new0 (CrmEditorMessage, 1);
  GtkWidget *list = gtk_widget_get_parent (field_row);
  GtkWidget *box;

  g_return_val_if_fail (GTK_IS_LIST_BOX (list), message);

  message->field_row = field_row;
  message->error_label = message_label ("error");
  message->preview_label = message_label ("dim-label");
  message->duplicate_label = message_label ("warning");
  gtk_widget_set_visible (GTK_WIDGET (message->duplicate_label), TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (message->duplicate_label), TRUE);

  /* Opening the other record is the caller's to do, on "activate-link". */
  message->open_button = gtk_link_button_new_with_label ("about:blank", _("Open"));
  gtk_widget_set_valign (message->open_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (message->open_button, NULL);

  message->duplicate_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_visible (message->duplicate_box, FALSE);
  gtk_box_append (GTK_BOX (message->duplicate_box), GTK_WIDGET (message->duplicate_label));
  gtk_box_append (GTK_BOX (message->duplicate_box), message->open_button);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (message->error_label));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (message->preview_label));
  gtk_box_append (GTK_BOX (box), message->duplicate_box);

  message->row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (message->row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (message->row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (message->row), FALSE);
  gtk_widget_set_focusable (message->row, FALSE);
  gtk_widget_add_css_class (message->row, "crm-field-message");
  gtk_widget_set_visible (message->row, FALSE);
  gtk_list_box_insert (GTK_LIST_BOX (list), message->row,
                       gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (field_row)) + 1);

  gtk_accessible_update_relation (GTK_ACCESSIBLE (field_row),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY,
                                  message->error_label, message->preview_label,
                                  message->duplicate_label, NULL,
                                  -1);

  return message;
}

/**
 * crm_editor_message_remove:
 *
 * Takes the message's row out of its list and frees @message.
 */
void
crm_editor_message_remove (CrmEditorMessage *message)
{
  GtkWidget *list;

  if (message == NULL)
    return;

  list = gtk_widget_get_parent (message->row);
  if (list != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (list), message->row);
  g_free (message);
}

/**
 * crm_editor_message_set_error:
 * @error: (nullable): what is wrong, or %NULL when nothing is
 *
 * Shows @error under the row and marks the row with the "error" style.
 */
void
crm_editor_message_set_error (CrmEditorMessage *message,
                              const char       *error)
{
  g_return_if_fail (message != NULL);

  message_label_set (message->error_label, error);
  if (error != NULL && *error != '\0')
    gtk_widget_add_css_class (message->field_row, "error");
  else
    gtk_widget_remove_css_class (message->field_row, "error");
  message_update_visible (message);
}

/**
 * crm_editor_message_set_preview:
 * @value: (nullable): the value as it will be stored, or %NULL
 */
void
crm_editor_message_set_preview (CrmEditorMessage *message,
                                const char       *value)
{
  g_autofree char *text = NULL;

  g_return_if_fail (message != NULL);

  if (value != NULL && *value != '\0')
    {
      /* Translators: under a field, what a value typed in it becomes, as
       * in “Will be saved as 0383 456 789”. */
      text = g_strdup_printf (_("Will be saved as %s"), value);
    }
  message_label_set (message->preview_label, text);
  message_update_visible (message);
}

/**
 * crm_editor_message_set_duplicate:
 * @text: (nullable): which other record has the value, or %NULL
 * @uri: (nullable): the address of the "Open" link, for its tooltip
 * @id: that record's id
 */
void
crm_editor_message_set_duplicate (CrmEditorMessage *message,
                                  const char       *text,
                                  const char       *uri,
                                  gint64            id)
{
  gboolean show = text != NULL && *text != '\0';

  g_return_if_fail (message != NULL);

  message->duplicate_id = show ? id : 0;
  message_label_set (message->duplicate_label, text);
  gtk_widget_set_visible (GTK_WIDGET (message->duplicate_label), TRUE);
  gtk_widget_set_visible (message->duplicate_box, show);
  if (show && uri != NULL)
    {
      gtk_link_button_set_uri (GTK_LINK_BUTTON (message->open_button), uri);
      /* The link's address means nothing to the user. */
      gtk_widget_set_tooltip_text (message->open_button, NULL);
    }
  message_update_visible (message);
}

gboolean
crm_editor_message_has_error (CrmEditorMessage *message)
{
  g_return_val_if_fail (message != NULL, FALSE);

  return gtk_widget_get_visible (GTK_WIDGET (message->error_label));
}

gint64
crm_editor_message_get_duplicate_id (CrmEditorMessage *message)
{
  g_return_val_if_fail (message != NULL, 0);

  return message->duplicate_id;
}

/**
 * crm_editor_message_get_open_button:
 *
 * Returns: (transfer none): the "Open" link of a duplicate; connect to its
 *   #GtkLinkButton::activate-link and return %TRUE from the handler
 */
GtkLinkButton *
crm_editor_message_get_open_button (CrmEditorMessage *message)
{
  g_return_val_if_fail (message != NULL, NULL);

  return GTK_LINK_BUTTON (message->open_button);
}

GtkWidget *
crm_editor_message_get_field_row (CrmEditorMessage *message)
{
  g_return_val_if_fail (message != NULL, NULL);

  return message->field_row;
}

static gboolean
destroy_window_cb (gpointer user_data)
{
  gtk_window_destroy (GTK_WINDOW (user_data));

  return G_SOURCE_REMOVE;
}

static void
on_discard_response (AdwMessageDialog *dialog,
                     const char       *response,
                     GtkWindow        *editor)
{
  /* The dialog is done with its parent only once it has closed. */
  if (g_str_equal (response, "discard"))
    g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, destroy_window_cb, g_object_ref (editor),
                     g_object_unref);
}

/**
 * crm_editor_ask_discard:
 * @editor: the editor's window
 * @body: what will be lost
 *
 * Asks whether to throw the changes away; closes @editor when so.
 */
void
crm_editor_ask_discard (GtkWindow  *editor,
                        const char *body)
{
  GtkWidget *dialog;

  g_return_if_fail (GTK_IS_WINDOW (editor));

  dialog = adw_message_dialog_new (editor, _("Discard Changes?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Keep Editing"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_discard_response), editor, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
crm_editor_add_toast (AdwToastOverlay *overlay,
                      const char      *title)
{
  AdwToast *toast = adw_toast_new (title);

  /* An error stays until it is read and dismissed. */
  adw_toast_set_timeout (toast, 0);
  adw_toast_overlay_add_toast (overlay, toast);
}

/**
 * crm_editor_date_to_display:
 * @iso: (nullable): a date as YYYY-MM-DD
 *
 * Returns: (transfer full): the date as DD/MM/YYYY, the way an editor's
 *   entry shows it; other text as it is
 */
char *
crm_editor_date_to_display (const char *iso)
{
  if (iso == NULL)
    return g_strdup ("");

  if (strlen (iso) == 10 && g_ascii_isdigit (iso[0]) && iso[4] == '-' && iso[7] == '-')
    return g_strdup_printf ("%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);

  return g_strdup (iso);
}

/* Helpers */

static char *
trimmed (const char *text)
{
  return g_strstrip (g_strdup (text != NULL ? text : ""));
}

static void
ensure_style (void)
{
  static gboolean done = FALSE;
  g_autoptr (GtkCssProvider) provider = NULL;
  GdkDisplay *display = gdk_display_get_default ();

  if (done || display == NULL)
    return;

  /* A tag is a pill with a remove button: rounded and lightly filled, so
   * that it reads in the light and the dark style alike. The label of a
   * phone or an email is a flat drop-down, like the row's other buttons. */
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_data (provider,
                                   ".crm-tag { border-radius: 999px;"
                                   "  padding: 2px 2px 2px 10px;"
                                   "  background-color: alpha(currentColor, 0.1); }"
                                   ".crm-tag button { min-width: 24px; min-height: 24px;"
                                   "  padding: 0; }"
                                   "dropdown.flat > button:not(:hover):not(:active):not(:checked) {"
                                   "  background: none; box-shadow: none; }",
                                   -1);
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  done = TRUE;
}

static void
set_accessible_label (GtkWidget  *widget,
                      const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static const char *
label_name (const DetailLabel *label)
{
  return g_dpgettext2 (NULL, "detail label", label->name);
}

static guint
choice_position (GListModel *model,
                 gint64      id)
{
  guint n = model != NULL ? g_list_model_get_n_items (model) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (CrmEditorChoice) choice = g_list_model_get_item (model, i);

      if (choice->id == id)
        return i;
    }

  return 0;
}

static gint64
selected_choice_id (AdwComboRow *row)
{
  CrmEditorChoice *choice = adw_combo_row_get_selected_item (row);

  return choice != NULL ? choice->id : 0;
}

static guint
strv_position (const char *const *values,
               const char        *value)
{
  for (guint i = 0; value != NULL && values[i] != NULL; i++)
    {
      if (g_str_equal (values[i], value))
        return i + 1;
    }

  return 0;
}

static Field *
get_field (CrmContactEditor *self,
           const char       *name)
{
  return g_hash_table_lookup (self->fields, name);
}

static GtkEditable *
text_row (CrmContactEditor *self,
          guint             i)
{
  return G_STRUCT_MEMBER (GtkEditable *, self, text_fields[i].offset);
}

static char *
notes_text (CrmContactEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->notes_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* Everything the form holds, as typed. */
static CrmContactDraft *
collect_draft (CrmContactEditor *self)
{
  CrmContactDraft *draft = crm_contact_draft_new ();
  gboolean consent = gtk_switch_get_active (self->consent_switch);
  guint selected;

  draft->id = self->contact_id;
  for (guint i = 0; i < G_N_ELEMENTS (text_fields); i++)
    {
      const char *name = text_fields[i].name;

      /* Without consent, when and where it was given means nothing. */
      if (!consent && g_str_has_prefix (name, "consent_"))
        continue;
      crm_contact_draft_set_text (draft, name, gtk_editable_get_text (text_row (self, i)));
    }

  draft->given_name_first = gtk_switch_get_active (self->given_first_switch);
  draft->company_id = self->company_id;
  draft->consent = consent;
  draft->lifecycle_stage_id = selected_choice_id (self->lifecycle_row);
  draft->lead_status_id = selected_choice_id (self->lead_status_row);

  selected = adw_combo_row_get_selected (self->gender_row);
  if (selected > 0 && selected <= g_strv_length ((char **) genders))
    crm_contact_draft_set_text (draft, "gender", genders[selected - 1]);
  selected = adw_combo_row_get_selected (self->channel_row);
  if (selected > 0 && selected <= g_strv_length ((char **) channels))
    crm_contact_draft_set_text (draft, "preferred_channel", channels[selected - 1]);

  draft->notes = notes_text (self);

  for (guint kind = 0; kind < N_DETAIL_KINDS; kind++)
    {
      GPtrArray *list = kind == DETAIL_PHONE ? draft->phones
                        : kind == DETAIL_EMAIL ? draft->emails
                        : kind == DETAIL_ADDRESS ? draft->addresses
                        : draft->links;

      for (guint i = 0; i < self->details[kind]->len; i++)
        {
          Detail *detail = g_ptr_array_index (self->details[kind], i);
          guint label = gtk_drop_down_get_selected (detail->label_drop_down);
          const char *key = label < detail->label_keys->len
                            ? g_ptr_array_index (detail->label_keys, label) : NULL;
          gboolean primary = gtk_toggle_button_get_active (detail->primary_button);

          if (kind == DETAIL_ADDRESS)
            {
              const char *parts[N_PARTS] = { NULL };

              for (guint p = 0; p < N_PARTS; p++)
                parts[p] = detail->parts[p] != NULL ? gtk_editable_get_text (detail->parts[p])
                                                    : NULL;
              g_ptr_array_add (list, crm_contact_detail_new_address (parts[PART_STREET],
                                                                     parts[PART_WARD],
                                                                     parts[PART_DISTRICT],
                                                                     parts[PART_PROVINCE],
                                                                     parts[PART_COUNTRY],
                                                                     key, primary));
            }
          else
            {
              const char *value = gtk_editable_get_text (GTK_EDITABLE (detail->row));

              g_ptr_array_add (list, crm_contact_detail_new (value, key, primary));
            }
        }
    }

  for (guint i = 0; i < self->tags->len; i++)
    crm_contact_draft_add_tag (draft, g_ptr_array_index (self->tags, i));
  {
    /* What is still being typed is a tag too. */
    g_auto (GStrv) pending = g_strsplit (gtk_editable_get_text (GTK_EDITABLE (self->tags_row)),
                                         ",", -1);

    for (guint i = 0; pending[i] != NULL; i++)
      {
        if (!crm_text_is_blank (pending[i]))
          crm_contact_draft_add_tag (draft, g_strstrip (pending[i]));
      }
  }

  for (guint i = 0; i < self->custom_fields->len; i++)
    {
      CrmCustomRow *row = g_ptr_array_index (self->custom_fields, i);
      const char *value = crm_custom_row_get_value (row);

      /* A yes/no field nobody set stays unset. */
      if (value != NULL)
        crm_contact_draft_set_custom (draft, crm_custom_row_get_field (row)->key, value);
    }

  return draft;
}

static void
append_value (GString    *out,
              const char *value)
{
  /* Blank and unset are the same to the user. */
  if (!crm_text_is_blank (value))
    g_string_append (out, value);
  g_string_append_c (out, '\x1f');
}

/* A text that two drafts share when they say the same thing, to tell
 * whether the form was changed. */
static char *
draft_signature (CrmContactDraft *draft)
{
  GString *out = g_string_new (NULL);
  g_autoptr (GList) keys = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (text_fields); i++)
    append_value (out, crm_contact_draft_get_text (draft, text_fields[i].name));
  append_value (out, draft->gender);
  append_value (out, draft->preferred_channel);
  append_value (out, draft->notes);
  g_string_append_printf (out, "%d %d %" G_GINT64_FORMAT " %" G_GINT64_FORMAT
                          " %" G_GINT64_FORMAT "\x1e",
                          draft->given_name_first, draft->consent, draft->company_id,
                          draft->lifecycle_stage_id, draft->lead_status_id);

  for (guint kind = 0; kind < N_DETAIL_KINDS; kind++)
    {
      GPtrArray *list = kind == DETAIL_PHONE ? draft->phones
                        : kind == DETAIL_EMAIL ? draft->emails
                        : kind == DETAIL_ADDRESS ? draft->addresses
                        : draft->links;

      for (guint i = 0; i < list->len; i++)
        {
          CrmContactDetail *detail = g_ptr_array_index (list, i);

          append_value (out, detail->value);
          append_value (out, detail->label);
          append_value (out, detail->street);
          append_value (out, detail->ward);
          append_value (out, detail->district);
          append_value (out, detail->province);
          append_value (out, detail->country);
          g_string_append_printf (out, "%d\x1e", detail->primary);
        }
      g_string_append_c (out, '\x1d');
    }

  for (guint i = 0; i < draft->tags->len; i++)
    append_value (out, g_ptr_array_index (draft->tags, i));
  g_string_append_c (out, '\x1d');

  keys = g_list_sort (g_hash_table_get_keys (draft->custom), (GCompareFunc) strcmp);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      const char *value = g_hash_table_lookup (draft->custom, l->data);

      if (!crm_text_is_blank (value))
        g_string_append_printf (out, "%s=%s\x1f", (const char *) l->data, value);
    }

  return g_string_free (out, FALSE);
}

static void
set_modified (CrmContactEditor *self,
              gboolean          modified)
{
  if (self->modified == modified)
    return;

  self->modified = modified;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
}

/* Changes */

static void
changed (CrmContactEditor *self)
{
  if (self->loading)
    return;

  schedule_validate (self);
}

static void
on_field_changed (GtkWidget *row,
                  Field     *field)
{
  if (field->self->loading)
    return;

  field->touched = TRUE;
  changed (field->self);
}

static void
on_field_notify (GtkWidget  *row,
                 GParamSpec *pspec,
                 Field      *field)
{
  on_field_changed (row, field);
}

/* Leaving a field shows the value the way it will be stored. */
static void
on_field_focus_leave (GtkEventControllerFocus *controller,
                      Field                   *field)
{
  CrmContactEditor *self = field->self;
  GtkEditable *editable = GTK_EDITABLE (field->row);
  const char *text = gtk_editable_get_text (editable);
  g_autofree char *value = NULL;
  g_autofree char *shown = NULL;

  if (self->loading || crm_text_is_blank (text))
    return;

  value = crm_contact_normalize_value (field->name, text, NULL);
  if (value == NULL)
    return;

  if (g_str_equal (field->name, "birthday") || g_str_equal (field->name, "consent_date"))
    shown = crm_editor_date_to_display (value);
  else if (g_str_has_suffix (field->name, "_name"))
    shown = g_steal_pointer (&value);
  else
    return;

  if (!g_str_equal (shown, text))
    gtk_editable_set_text (editable, shown);
}

static void
on_detail_focus_leave (GtkEventControllerFocus *controller,
                       Detail                  *detail)
{
  GtkEditable *editable = GTK_EDITABLE (detail->row);
  const char *text = gtk_editable_get_text (editable);
  g_autofree char *value = NULL;
  g_autofree char *shown = NULL;

  if (detail->self->loading || crm_text_is_blank (text))
    return;

  value = crm_contact_normalize_value (detail_info[detail->kind].field, text, NULL);
  if (value == NULL || *value == '\0')
    return;

  /* A number is kept as it was typed too: show it the national way. */
  if (detail->kind == DETAIL_PHONE)
    shown = crm_phone_format_national (value);
  else
    shown = g_steal_pointer (&value);

  if (!g_str_equal (shown, text))
    gtk_editable_set_text (editable, shown);
}

static void
watch_focus_leave (GtkWidget *row,
                   GCallback  callback,
                   gpointer   data)
{
  GtkEventController *controller = gtk_event_controller_focus_new ();

  g_signal_connect (controller, "leave", callback, data);
  gtk_widget_add_controller (row, controller);
}

/* Details */

/* The message's row goes with its list. */
static void
detail_free (Detail *detail)
{
  g_free (detail->message);
  g_clear_pointer (&detail->label_keys, g_ptr_array_unref);
  g_free (detail);
}

static void
update_primary_buttons (CrmContactEditor *self,
                        DetailKind        kind)
{
  const DetailInfo *info = &detail_info[kind];

  for (guint i = 0; i < self->details[kind]->len; i++)
    {
      Detail *detail = g_ptr_array_index (self->details[kind], i);
      gboolean active = gtk_toggle_button_get_active (detail->primary_button);

      gtk_button_set_icon_name (GTK_BUTTON (detail->primary_button),
                                active ? "starred-symbolic" : "non-starred-symbolic");
      gtk_widget_set_tooltip_text (GTK_WIDGET (detail->primary_button),
                                   active ? _(info->primary) : _(info->make_primary));
    }
}

static void
on_primary_toggled (GtkToggleButton *button,
                    Detail          *detail)
{
  update_primary_buttons (detail->self, detail->kind);
  if (gtk_toggle_button_get_active (button))
    changed (detail->self);
}

static void
on_detail_changed (GtkWidget *row,
                   Detail    *detail)
{
  if (detail->self->loading)
    return;

  detail->touched = TRUE;
  changed (detail->self);
}

static void
on_detail_label_notify (GtkDropDown *drop_down,
                        GParamSpec  *pspec,
                        Detail      *detail)
{
  changed (detail->self);
}

static void
update_address_subtitle (Detail *detail)
{
  g_autoptr (CrmContactDetail) address = NULL;
  g_autofree char *text = NULL;
  const char *parts[N_PARTS] = { NULL };

  for (guint p = 0; p < N_PARTS; p++)
    parts[p] = detail->parts[p] != NULL ? gtk_editable_get_text (detail->parts[p]) : NULL;
  address = crm_contact_detail_new_address (parts[PART_STREET], parts[PART_WARD],
                                            parts[PART_DISTRICT], parts[PART_PROVINCE],
                                            parts[PART_COUNTRY], NULL, FALSE);
  text = crm_contact_detail_format_address (address);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (detail->row), text != NULL ? text : "");
}

static void
on_address_part_changed (GtkEditable *part,
                         Detail      *detail)
{
  update_address_subtitle (detail);
  on_detail_changed (GTK_WIDGET (part), detail);
}

static GtkWidget *
add_row_of (CrmContactEditor *self,
            DetailKind        kind)
{
  return G_STRUCT_MEMBER (GtkWidget *, self, detail_info[kind].add_row_offset);
}

static gboolean
on_detail_activate_link (GtkLinkButton *button,
                         Detail        *detail)
{
  gint64 id = crm_editor_message_get_duplicate_id (detail->message);

  if (id > 0)
    g_signal_emit (detail->self, signals[OPEN_CONTACT], 0, id);

  /* The link is no address to open outside. */
  return TRUE;
}

static void
remove_detail (Detail *detail)
{
  CrmContactEditor *self = detail->self;
  DetailKind kind = detail->kind;
  GPtrArray *details = self->details[kind];
  gboolean was_primary = gtk_toggle_button_get_active (detail->primary_button);
  GtkWidget *list = gtk_widget_get_parent (detail->row);

  crm_editor_message_remove (g_steal_pointer (&detail->message));
  gtk_list_box_remove (GTK_LIST_BOX (list), detail->row);
  g_ptr_array_remove (details, detail);

  if (was_primary && details->len > 0)
    {
      Detail *first = g_ptr_array_index (details, 0);

      gtk_toggle_button_set_active (first->primary_button, TRUE);
    }
  update_primary_buttons (self, kind);

  /* The keyboard stays in the list rather than going back to the top. */
  gtk_widget_grab_focus (add_row_of (self, kind));
  changed (self);
}

static void
on_remove_clicked (GtkButton *button,
                   Detail    *detail)
{
  remove_detail (detail);
}

static GtkDropDown *
make_label_drop_down (Detail     *detail,
                      const char *current)
{
  const DetailInfo *info = &detail_info[detail->kind];
  g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);
  GtkWidget *drop_down;
  guint selected = 0;

  detail->label_keys = g_ptr_array_new_with_free_func (g_free);

  /* A detail stored without a label keeps having none. */
  if (current == NULL && detail->self->loading)
    {
      gtk_string_list_append (names, C_("detail label", "No label"));
      g_ptr_array_add (detail->label_keys, NULL);
    }

  for (guint i = 0; info->labels[i].key != NULL; i++)
    {
      if (g_strcmp0 (current, info->labels[i].key) == 0)
        selected = detail->label_keys->len;
      gtk_string_list_append (names, label_name (&info->labels[i]));
      g_ptr_array_add (detail->label_keys, g_strdup (info->labels[i].key));
    }

  /* A label typed elsewhere (an import, the CLI) is kept as it is. */
  if (current != NULL && !g_ptr_array_find_with_equal_func (detail->label_keys, current,
                                                            g_str_equal, NULL))
    {
      selected = detail->label_keys->len;
      gtk_string_list_append (names, current);
      g_ptr_array_add (detail->label_keys, g_strdup (current));
    }

  drop_down = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&names)), NULL);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (drop_down), selected);
  gtk_widget_set_valign (drop_down, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (drop_down, "flat");
  gtk_widget_set_tooltip_text (drop_down, _(info->label_name));
  set_accessible_label (drop_down, _(info->label_name));
  g_signal_connect (drop_down, "notify::selected", G_CALLBACK (on_detail_label_notify), detail);

  return GTK_DROP_DOWN (drop_down);
}

static Detail *
add_detail (CrmContactEditor       *self,
            DetailKind              kind,
            const CrmContactDetail *value)
{
  const DetailInfo *info = &detail_info[kind];
  GPtrArray *details = self->details[kind];
  GtkWidget *add_row = add_row_of (self, kind);
  GtkListBox *list = GTK_LIST_BOX (gtk_widget_get_parent (add_row));
  Detail *detail = g_new0 (Detail, 1);
  GtkWidget *primary;
  GtkWidget *remove;

  detail->self = self;
  detail->kind = kind;
  detail->label_drop_down = make_label_drop_down (detail, value != NULL ? value->label : NULL);

  primary = gtk_toggle_button_new ();
  gtk_widget_set_valign (primary, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (primary, "flat");
  set_accessible_label (primary, _(info->primary));
  detail->primary_button = GTK_TOGGLE_BUTTON (primary);
  if (details->len > 0)
    {
      Detail *first = g_ptr_array_index (details, 0);

      gtk_toggle_button_set_group (detail->primary_button, first->primary_button);
    }
  /* The first is the primary one unless another one is. */
  gtk_toggle_button_set_active (detail->primary_button,
                                details->len == 0 || (value != NULL && value->primary));

  remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, _(info->remove));
  set_accessible_label (remove, _(info->remove));
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_clicked), detail);

  if (kind == DETAIL_ADDRESS)
    {
      detail->row = adw_expander_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (detail->row), _(info->title));
      for (guint p = 0; p < N_PARTS; p++)
        {
          const char *text = NULL;
          GtkWidget *part;

          if (value != NULL)
            text = p == PART_STREET ? value->street
                   : p == PART_WARD ? value->ward
                   : p == PART_DISTRICT ? value->district
                   : p == PART_PROVINCE ? value->province
                   : value->country;

          /* Districts were abolished in July 2025: only an address that
           * still has one shows it. */
          if (p == PART_DISTRICT && crm_text_is_blank (text))
            continue;

          part = adw_entry_row_new ();
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (part), _(part_titles[p]));
          gtk_editable_set_text (GTK_EDITABLE (part), text != NULL ? text : "");
          g_signal_connect (part, "changed", G_CALLBACK (on_address_part_changed), detail);
          adw_expander_row_add_row (ADW_EXPANDER_ROW (detail->row), part);
          detail->parts[p] = GTK_EDITABLE (part);
        }
      /* Each action goes before the others: the same order as the other
       * lists' rows. */
      adw_expander_row_add_action (ADW_EXPANDER_ROW (detail->row), remove);
      adw_expander_row_add_action (ADW_EXPANDER_ROW (detail->row), primary);
      adw_expander_row_add_action (ADW_EXPANDER_ROW (detail->row),
                                   GTK_WIDGET (detail->label_drop_down));
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (detail->row), value == NULL);
      update_address_subtitle (detail);
    }
  else
    {
      detail->row = adw_entry_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (detail->row), _(info->title));
      adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (detail->row), info->purpose);
      gtk_editable_set_text (GTK_EDITABLE (detail->row),
                             value != NULL && value->value != NULL ? value->value : "");
      adw_entry_row_add_suffix (ADW_ENTRY_ROW (detail->row), GTK_WIDGET (detail->label_drop_down));
      adw_entry_row_add_suffix (ADW_ENTRY_ROW (detail->row), primary);
      adw_entry_row_add_suffix (ADW_ENTRY_ROW (detail->row), remove);
      g_signal_connect (detail->row, "changed", G_CALLBACK (on_detail_changed), detail);
      watch_focus_leave (detail->row, G_CALLBACK (on_detail_focus_leave), detail);
    }

  gtk_list_box_insert (list, detail->row, gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (add_row)));
  if (kind != DETAIL_ADDRESS)
    {
      detail->message = crm_editor_message_new (detail->row);
      g_signal_connect (crm_editor_message_get_open_button (detail->message), "activate-link",
                        G_CALLBACK (on_detail_activate_link), detail);
    }

  g_ptr_array_add (details, detail);
  g_signal_connect (primary, "toggled", G_CALLBACK (on_primary_toggled), detail);
  update_primary_buttons (self, kind);

  return detail;
}

static void
on_add_row_activated (AdwActionRow     *row,
                      CrmContactEditor *self)
{
  for (guint kind = 0; kind < N_DETAIL_KINDS; kind++)
    {
      if (add_row_of (self, kind) == GTK_WIDGET (row))
        {
          Detail *detail = add_detail (self, kind, NULL);

          gtk_widget_grab_focus (detail->parts[PART_STREET] != NULL
                                 ? GTK_WIDGET (detail->parts[PART_STREET]) : detail->row);
          changed (self);
          return;
        }
    }
}

/* Tags */

static gboolean
has_tag (CrmContactEditor *self,
         const char       *name)
{
  g_autofree char *folded = g_utf8_casefold (name, -1);

  for (guint i = 0; i < self->tags->len; i++)
    {
      g_autofree char *other = g_utf8_casefold (g_ptr_array_index (self->tags, i), -1);

      if (g_str_equal (folded, other))
        return TRUE;
    }

  return FALSE;
}

static void
on_tag_remove_clicked (GtkButton        *button,
                       CrmContactEditor *self)
{
  GtkWidget *child = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_FLOW_BOX_CHILD);
  const char *name = g_object_get_data (G_OBJECT (button), "crm-tag");

  for (guint i = 0; i < self->tags->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (self->tags, i), name))
        {
          g_ptr_array_remove_index (self->tags, i);
          break;
        }
    }

  gtk_flow_box_remove (self->tags_flow_box, child);
  gtk_widget_set_visible (self->tags_flow_row, self->tags->len > 0);
  gtk_widget_grab_focus (GTK_WIDGET (self->tags_row));
  changed (self);
}

static void
add_tag (CrmContactEditor *self,
         const char       *text)
{
  g_autofree char *name = trimmed (text);
  g_autofree char *remove_label = NULL;
  GtkWidget *pill;
  GtkWidget *label;
  GtkWidget *remove;
  GtkWidget *child;

  if (*name == '\0' || has_tag (self, name))
    return;

  g_ptr_array_add (self->tags, g_strdup (name));

  label = gtk_label_new (name);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 24);

  /* Translators: the tooltip of the button that takes a tag off a contact. */
  remove_label = g_strdup_printf (_("Remove tag “%s”"), name);
  remove = gtk_button_new_from_icon_name ("window-close-symbolic");
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_add_css_class (remove, "circular");
  gtk_widget_set_tooltip_text (remove, remove_label);
  set_accessible_label (remove, remove_label);
  g_object_set_data_full (G_OBJECT (remove), "crm-tag", g_strdup (name), g_free);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_tag_remove_clicked), self);

  pill = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  gtk_widget_add_css_class (pill, "crm-tag");
  gtk_box_append (GTK_BOX (pill), label);
  gtk_box_append (GTK_BOX (pill), remove);

  child = gtk_flow_box_child_new ();
  gtk_flow_box_child_set_child (GTK_FLOW_BOX_CHILD (child), pill);
  /* Tab goes straight to the remove buttons. */
  gtk_widget_set_focusable (child, FALSE);
  gtk_flow_box_append (self->tags_flow_box, child);
  gtk_widget_set_visible (self->tags_flow_row, TRUE);
}

/* The pills go in a row of their own under the tags' entry, inside the
 * group's list (a group puts only its preferences rows there). */
static void
make_tags_flow_row (CrmContactEditor *self)
{
  GtkWidget *list = gtk_widget_get_parent (GTK_WIDGET (self->tags_row));
  GtkWidget *flow_box = gtk_flow_box_new ();

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow_box), GTK_SELECTION_NONE);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (flow_box), 6);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (flow_box), 6);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow_box), 30);
  gtk_widget_set_margin_top (flow_box, 8);
  gtk_widget_set_margin_bottom (flow_box, 8);
  gtk_widget_set_margin_start (flow_box, 12);
  gtk_widget_set_margin_end (flow_box, 12);
  set_accessible_label (flow_box, _("Tags"));
  self->tags_flow_box = GTK_FLOW_BOX (flow_box);

  self->tags_flow_row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (self->tags_flow_row), flow_box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self->tags_flow_row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (self->tags_flow_row), FALSE);
  gtk_widget_set_focusable (self->tags_flow_row, FALSE);
  gtk_widget_set_visible (self->tags_flow_row, FALSE);
  gtk_list_box_insert (GTK_LIST_BOX (list), self->tags_flow_row,
                       gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (self->tags_row)) + 1);
}

/* Every name before the last comma becomes a pill; the rest is still being
 * typed. */
static void
on_tags_row_changed (GtkEditable      *editable,
                     CrmContactEditor *self)
{
  const char *text = gtk_editable_get_text (editable);
  const char *last = strrchr (text, ',');
  g_autofree char *rest = NULL;
  g_auto (GStrv) names = NULL;

  if (self->splitting_tags || last == NULL)
    {
      changed (self);
      return;
    }

  names = g_strsplit (text, ",", -1);
  rest = g_strdup (last + 1);
  for (guint i = 0; names[i] != NULL && names[i + 1] != NULL; i++)
    add_tag (self, names[i]);

  self->splitting_tags = TRUE;
  gtk_editable_set_text (editable, g_strchug (rest));
  self->splitting_tags = FALSE;
  changed (self);
}

static void
on_tags_row_entry_activated (AdwEntryRow      *row,
                             CrmContactEditor *self)
{
  GtkEditable *editable = GTK_EDITABLE (row);

  if (crm_text_is_blank (gtk_editable_get_text (editable)))
    return;

  add_tag (self, gtk_editable_get_text (editable));
  self->splitting_tags = TRUE;
  gtk_editable_set_text (editable, "");
  self->splitting_tags = FALSE;
  changed (self);
}

/* The company */

/* The name of a company: from the list when it is there, else (an archived
 * company) from the store. */
static char *
company_name (CrmContactEditor *self,
              gint64            company_id)
{
  g_autoptr (CrmCompany) company = NULL;
  g_autoptr (GError) error = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->companies));

  if (company_id == 0)
    return NULL;

  for (guint i = 0; i < n && crm_company_list_get_query (self->companies) == NULL; i++)
    {
      g_autoptr (CrmCompanyRow) row = g_list_model_get_item (G_LIST_MODEL (self->companies), i);

      if (crm_company_row_get_id (row) == company_id)
        return g_strdup (crm_company_row_get_name (row));
    }

  company = crm_company_load (self->store, company_id, &error);
  if (company == NULL)
    {
      /* The check of the form says that there is no such company. */
      g_debug ("No company %" G_GINT64_FORMAT ": %s", company_id, error->message);
      return NULL;
    }

  return g_strdup (crm_company_get_name (company));
}

static void
set_company (CrmContactEditor *self,
             gint64            company_id,
             const char       *name)
{
  g_autofree char *accessible = NULL;

  g_free (self->company_name);
  self->company_name = name != NULL ? g_strdup (name) : company_name (self, company_id);
  self->company_id = company_id;

  gtk_label_set_text (self->company_label,
                      company_id == 0 ? _("No company")
                      : self->company_name != NULL ? self->company_name : "");
  /* Translators: what a screen reader says for the button that shows the
   * contact's company and opens the list of companies. */
  accessible = g_strdup_printf (_("Company: %s"), gtk_label_get_text (self->company_label));
  set_accessible_label (GTK_WIDGET (self->company_button), accessible);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPANY_ID]);
}

static void
on_company_search_changed (GtkSearchEntry   *entry,
                           CrmContactEditor *self)
{
  g_autofree char *query = trimmed (gtk_editable_get_text (GTK_EDITABLE (entry)));

  crm_company_list_set_query (self->companies, *query != '\0' ? query : NULL);
}

static void
choose_company_at (CrmContactEditor *self,
                   guint             position)
{
  g_autoptr (GObject) item = g_list_model_get_item (G_LIST_MODEL (self->company_choices),
                                                    position);

  if (item == NULL)
    return;

  if (CRM_IS_COMPANY_ROW (item))
    set_company (self, crm_company_row_get_id (CRM_COMPANY_ROW (item)),
                 crm_company_row_get_name (CRM_COMPANY_ROW (item)));
  else
    set_company (self, 0, NULL);
  gtk_popover_popdown (self->company_popover);
  changed (self);
}

static void
on_company_search_activate (GtkSearchEntry   *entry,
                            CrmContactEditor *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->company_choices));

  /* Enter takes the first company found, not "No company". */
  if (crm_company_list_get_query (self->companies) != NULL && n > 1)
    choose_company_at (self, 1);
}

static void
on_company_list_activate (GtkListView      *list,
                          guint             position,
                          CrmContactEditor *self)
{
  choose_company_at (self, position);
}

static void
on_company_popover_show (GtkPopover       *popover,
                         CrmContactEditor *self)
{
  GtkSelectionModel *model = gtk_list_view_get_model (self->company_list);
  guint n;

  gtk_editable_set_text (GTK_EDITABLE (self->company_search), "");
  crm_company_list_set_query (self->companies, NULL);

  /* The list opens on the company chosen now. */
  n = g_list_model_get_n_items (G_LIST_MODEL (self->company_choices));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GObject) item = g_list_model_get_item (G_LIST_MODEL (self->company_choices), i);
      gint64 id = CRM_IS_COMPANY_ROW (item) ? crm_company_row_get_id (CRM_COMPANY_ROW (item)) : 0;

      if (id == self->company_id)
        {
          gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (model), i);
          gtk_widget_activate_action (GTK_WIDGET (self->company_list), "list.scroll-to-item",
                                      "u", i);
          break;
        }
    }

  gtk_widget_grab_focus (GTK_WIDGET (self->company_search));
}

static void
on_company_factory_setup (GtkSignalListItemFactory *factory,
                          GtkListItem              *item,
                          CrmContactEditor         *self)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
on_company_factory_bind (GtkSignalListItemFactory *factory,
                         GtkListItem              *item,
                         CrmContactEditor         *self)
{
  GObject *choice = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);

  if (CRM_IS_COMPANY_ROW (choice))
    {
      gtk_label_set_text (GTK_LABEL (label), crm_company_row_get_name (CRM_COMPANY_ROW (choice)));
      gtk_widget_remove_css_class (label, "dim-label");
    }
  else
    {
      gtk_label_set_text (GTK_LABEL (label), CRM_EDITOR_CHOICE (choice)->name);
      gtk_widget_add_css_class (label, "dim-label");
    }
}

/* Custom fields */

static void
on_custom_changed (CrmCustomRow *row,
                   gpointer      user_data)
{
  changed (CRM_CONTACT_EDITOR (user_data));
}

static void
add_custom_field (CrmContactEditor     *self,
                  const CrmCustomField *info,
                  const char           *value)
{
  g_ptr_array_add (self->custom_fields,
                   crm_custom_row_new (self->custom_group, info, value, on_custom_changed, self));
}

/* Checking */

static char *
preview_of (const char *field,
            const char *text,
            gboolean    date)
{
  g_autofree char *value = NULL;
  g_autofree char *typed = trimmed (text);
  g_autofree char *shown = NULL;

  if (*typed == '\0')
    return NULL;

  value = crm_contact_normalize_value (field, text, NULL);
  if (value == NULL || *value == '\0')
    return NULL;

  if (date)
    shown = crm_editor_date_to_display (value);
  else if (g_str_equal (field, "phone"))
    shown = crm_phone_format_national (value);
  else
    shown = g_steal_pointer (&value);

  return g_str_equal (shown, typed) ? NULL : g_steal_pointer (&shown);
}

/* Whether another contact has this phone number or address already. */
static void
check_duplicate (CrmContactEditor *self,
                 Detail           *detail)
{
  g_autofree char *value = NULL;
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;
  g_autofree char *uri = NULL;
  g_autoptr (GError) error = NULL;
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (detail->row));
  gint64 other = 0;

  if (detail->kind == DETAIL_PHONE || detail->kind == DETAIL_EMAIL)
    value = crm_contact_normalize_value (detail_info[detail->kind].field, typed, NULL);

  if (value != NULL && *value != '\0')
    {
      if (detail->kind == DETAIL_PHONE)
        other = crm_contacts_find_by_phone (self->store, value, self->contact_id, &name, &error);
      else
        other = crm_contacts_find_by_email (self->store, value, self->contact_id, &name, &error);
    }
  if (error != NULL)
    g_warning ("Cannot look for duplicates: %s", error->message);

  if (other > 0)
    {
      /* Translators: under a phone number or an email address that another
       * contact has; %s is that contact's name. */
      text = g_strdup_printf (detail->kind == DETAIL_PHONE ? _("Already the phone of %s")
                                                           : _("Already the email of %s"),
                              name != NULL ? name : "");
      uri = g_strdup_printf ("rapport:contact/%" G_GINT64_FORMAT, other);
    }
  crm_editor_message_set_duplicate (detail->message, text, uri, other);
}

static void
show_problem (CrmEditorMessage *message,
              const char       *error,
              const char       *preview)
{
  crm_editor_message_set_error (message, error);
  /* A value that cannot be stored has no stored form to show. */
  crm_editor_message_set_preview (message, error == NULL ? preview : NULL);
}

static const char *
find_problem (GPtrArray  *problems,
              const char *field,
              int         index)
{
  for (guint i = 0; i < problems->len; i++)
    {
      CrmFieldProblem *problem = g_ptr_array_index (problems, i);

      if (g_str_equal (problem->field, field) && problem->index == index)
        return problem->message;
    }

  return NULL;
}

/* Whether a problem of a field is shown: not before the user got to it,
 * unless the value came with the record or a save was tried. */
static gboolean
shows_problem (CrmContactEditor *self,
               gboolean          touched,
               const char        *text)
{
  return self->show_all_problems || touched || !crm_text_is_blank (text);
}

static gboolean
problem_has_place (CrmContactEditor *self,
                   CrmFieldProblem  *problem)
{
  if (get_field (self, problem->field) != NULL)
    return TRUE;

  for (guint kind = 0; kind < N_DETAIL_KINDS; kind++)
    {
      if (g_str_equal (problem->field, detail_info[kind].field))
        return problem->index >= 0 && (guint) problem->index < self->details[kind]->len;
    }

  return g_str_has_prefix (problem->field, "custom:")
         && crm_custom_rows_find (self->custom_fields,
                                  problem->field + strlen ("custom:")) != NULL;
}

static void
update_name_description (CrmContactEditor *self)
{
  GtkEditable *given_row = GTK_EDITABLE (self->given_row);
  GtkEditable *middle_row = GTK_EDITABLE (self->middle_row);
  GtkEditable *family_row = GTK_EDITABLE (self->family_row);
  g_autofree char *given = crm_contact_normalize_value ("given_name",
                                                        gtk_editable_get_text (given_row), NULL);
  g_autofree char *middle = crm_contact_normalize_value ("middle_name",
                                                         gtk_editable_get_text (middle_row), NULL);
  g_autofree char *family = crm_contact_normalize_value ("family_name",
                                                         gtk_editable_get_text (family_row), NULL);
  gboolean given_first = gtk_switch_get_active (self->given_first_switch);
  g_autofree char *name = crm_contact_display_name (given, middle, family, given_first);
  g_autofree char *text = NULL;

  if (!crm_text_is_blank (name))
    {
      /* Translators: under the name fields, the contact's name as lists
       * will show it. */
      text = g_strdup_printf (_("Shown as: %s"), name);
    }
  adw_preferences_group_set_description (self->name_group, text);
}

/* Checks the whole form, shows what is wrong and how values will be
 * stored, and lets Save be used when nothing is wrong. */
static gboolean
validate (CrmContactEditor *self)
{
  g_autoptr (CrmContactDraft) draft = collect_draft (self);
  g_autoptr (GPtrArray) problems = NULL;
  g_autoptr (GString) general = g_string_new (NULL);
  g_autofree char *signature = NULL;
  GHashTableIter iter;
  gpointer value;

  g_clear_handle_id (&self->validate_id, g_source_remove);

  self->valid = crm_contact_draft_validate (draft, self->store, &problems);

  g_hash_table_iter_init (&iter, self->fields);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Field *field = value;
      const char *error = find_problem (problems, field->name, -1);
      const char *text = GTK_IS_EDITABLE (field->row)
                         ? gtk_editable_get_text (GTK_EDITABLE (field->row)) : NULL;
      g_autofree char *preview = NULL;

      if (error != NULL && g_str_equal (field->name, "given_name") && crm_text_is_blank (text))
        {
          /* "A contact needs a name" waits until a name was typed and
           * cleared, or a save was tried. */
          Field *family = get_field (self, "family_name");
          Field *middle = get_field (self, "middle_name");

          if (!self->show_all_problems && !field->touched && !family->touched && !middle->touched)
            error = NULL;
        }
      else if (error != NULL && !shows_problem (self, field->touched, text))
        {
          error = NULL;
        }

      if (text != NULL)
        {
          guint i;

          for (i = 0; i < G_N_ELEMENTS (text_fields); i++)
            {
              if (g_str_equal (text_fields[i].name, field->name))
                break;
            }
          if (i < G_N_ELEMENTS (text_fields) && text_fields[i].normalized)
            preview = preview_of (field->name, text, text_fields[i].date);
        }
      show_problem (field->message, error, preview);
    }

  for (guint kind = 0; kind < N_DETAIL_KINDS; kind++)
    {
      const DetailInfo *info = &detail_info[kind];

      if (kind == DETAIL_ADDRESS)
        continue;

      for (guint i = 0; i < self->details[kind]->len; i++)
        {
          Detail *detail = g_ptr_array_index (self->details[kind], i);
          const char *text = gtk_editable_get_text (GTK_EDITABLE (detail->row));
          const char *error = find_problem (problems, info->field, i);
          g_autofree char *preview = preview_of (info->field, text, FALSE);

          if (!shows_problem (self, detail->touched, text))
            error = NULL;
          show_problem (detail->message, error, preview);
          if (error == NULL)
            check_duplicate (self, detail);
          else
            crm_editor_message_set_duplicate (detail->message, NULL, NULL, 0);
        }
    }

  for (guint i = 0; i < self->custom_fields->len; i++)
    crm_custom_row_show_problems (g_ptr_array_index (self->custom_fields, i), problems,
                                  self->show_all_problems);

  /* What belongs to no field still has to be said. */
  for (guint i = 0; i < problems->len; i++)
    {
      CrmFieldProblem *problem = g_ptr_array_index (problems, i);

      if (!problem_has_place (self, problem))
        g_string_append_printf (general, "%s%s", general->len > 0 ? "\n" : "", problem->message);
    }
  gtk_label_set_text (self->general_label, general->str);
  gtk_widget_set_visible (GTK_WIDGET (self->general_group), general->len > 0);

  update_name_description (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save",
                                 self->valid && !self->load_failed);

  signature = draft_signature (draft);
  set_modified (self, self->initial_signature != NULL
                      && !g_str_equal (signature, self->initial_signature));

  return self->valid;
}

static gboolean
validate_timeout_cb (gpointer user_data)
{
  CrmContactEditor *self = user_data;

  self->validate_id = 0;
  validate (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_validate (CrmContactEditor *self)
{
  g_clear_handle_id (&self->validate_id, g_source_remove);
  self->validate_id = g_timeout_add (VALIDATE_DELAY_MS, validate_timeout_cb, self);
}

/* The first row that shows a problem, to take the keyboard to. */
static GtkWidget *
first_problem_row (CrmContactEditor *self)
{
  GtkWidget *first = NULL;
  graphene_point_t first_point = GRAPHENE_POINT_INIT (0, G_MAXFLOAT);
  GHashTableIter iter;
  gpointer value;
  g_autoptr (GPtrArray) messages = g_ptr_array_new ();

  g_hash_table_iter_init (&iter, self->fields);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (messages, ((Field *) value)->message);
  for (guint kind = 0; kind < N_DETAIL_KINDS; kind++)
    {
      for (guint i = 0; i < self->details[kind]->len; i++)
        {
          Detail *detail = g_ptr_array_index (self->details[kind], i);

          if (detail->message != NULL)
            g_ptr_array_add (messages, detail->message);
        }
    }
  for (guint i = 0; i < self->custom_fields->len; i++)
    g_ptr_array_add (messages, crm_custom_row_get_message (g_ptr_array_index (self->custom_fields, i)));

  for (guint i = 0; i < messages->len; i++)
    {
      CrmEditorMessage *message = g_ptr_array_index (messages, i);
      GtkWidget *row = crm_editor_message_get_field_row (message);
      graphene_point_t point;

      if (!crm_editor_message_has_error (message)
          || !gtk_widget_compute_point (row, GTK_WIDGET (self->page),
                                        &GRAPHENE_POINT_INIT (0, 0), &point))
        continue;
      if (point.y < first_point.y)
        {
          first = row;
          first_point = point;
        }
    }

  return first;
}

/* Actions */

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CrmContactEditor *self = CRM_CONTACT_EDITOR (widget);
  g_autoptr (CrmContactDraft) draft = NULL;
  g_autoptr (CrmUndo) undo = NULL;
  g_autoptr (GError) error = NULL;
  gint64 id;

  if (self->load_failed)
    return;

  /* What was typed in the last moments is checked too. */
  self->show_all_problems = TRUE;
  if (!validate (self))
    {
      GtkWidget *row = first_problem_row (self);

      if (row != NULL)
        gtk_widget_grab_focus (row);
      return;
    }

  draft = collect_draft (self);
  id = crm_contact_save (self->store, draft, &undo, &error);
  if (id == 0)
    {
      crm_editor_add_toast (self->toast_overlay, error->message);
      return;
    }

  /* The first handler owns the undo; with none, nobody wants it. */
  if (g_signal_has_handler_pending (self, signals[SAVED], 0, FALSE))
    g_signal_emit (self, signals[SAVED], 0, id, (gpointer) g_steal_pointer (&undo));

  gtk_window_destroy (GTK_WINDOW (self));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static gboolean
crm_contact_editor_close_request (GtkWindow *window)
{
  CrmContactEditor *self = CRM_CONTACT_EDITOR (window);

  if (self->validate_id != 0)
    validate (self);

  if (!self->modified)
    return GTK_WINDOW_CLASS (crm_contact_editor_parent_class)->close_request (window);

  crm_editor_ask_discard (window, self->contact_id > 0
                                  ? _("The changes to this contact will be lost.")
                                  : _("The new contact will be lost."));
  return TRUE;
}

/* Loading */

static void
field_free (Field *field)
{
  g_free (field->message);
  g_free (field);
}

static void
watch_text_row (CrmContactEditor *self,
                const char       *name,
                GtkWidget        *row)
{
  Field *field = g_new0 (Field, 1);

  field->self = self;
  field->name = name;
  field->row = row;
  g_hash_table_insert (self->fields, (gpointer) name, field);
}

/* The choices of the lifecycle stage and the lead status, after "Not set". */
static GListStore *
read_statuses (CrmStore       *store,
               CrmStatusKind   kind,
               const char     *none,
               GError        **error)
{
  g_autoptr (GPtrArray) statuses = crm_statuses_list (store, kind, error);
  g_autoptr (GListStore) choices = NULL;
  g_autoptr (CrmEditorChoice) nothing = NULL;

  if (statuses == NULL)
    return NULL;

  choices = g_list_store_new (CRM_TYPE_EDITOR_CHOICE);
  nothing = crm_editor_choice_new (0, none);
  g_list_store_append (choices, nothing);
  for (guint i = 0; i < statuses->len; i++)
    {
      CrmStatus *status = g_ptr_array_index (statuses, i);
      g_autoptr (CrmEditorChoice) choice = NULL;

      choice = crm_editor_choice_new (status->id, crm_status_get_display_name (status));
      g_list_store_append (choices, choice);
    }

  return g_steal_pointer (&choices);
}

static void
load_choices (CrmContactEditor *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GListStore) stages = NULL;
  g_autoptr (GListStore) statuses = NULL;
  g_autoptr (GtkExpression) expression = NULL;
  g_autoptr (GListStore) none = g_list_store_new (CRM_TYPE_EDITOR_CHOICE);
  g_autoptr (CrmEditorChoice) no_company = crm_editor_choice_new (0, _("No company"));
  g_autoptr (GListStore) parts = g_list_store_new (G_TYPE_LIST_MODEL);
  g_autoptr (GtkSingleSelection) selection = NULL;

  /* The list of companies, with a way back to none at its top. */
  self->companies = crm_company_list_new (self->store);
  g_list_store_append (none, no_company);
  g_list_store_append (parts, none);
  g_list_store_append (parts, self->companies);
  self->company_choices = gtk_flatten_list_model_new (G_LIST_MODEL (g_steal_pointer (&parts)));
  selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->company_choices)));
  gtk_list_view_set_model (self->company_list, GTK_SELECTION_MODEL (selection));
  if (crm_company_list_get_error (self->companies) != NULL)
    {
      const GError *list_error = crm_company_list_get_error (self->companies);

      self->load_failed = TRUE;
      crm_editor_add_toast (self->toast_overlay, list_error->message);
    }

  stages = read_statuses (self->store, CRM_STATUS_LIFECYCLE_STAGE,
                          C_("lifecycle stage", "Not set"), &error);
  if (stages != NULL)
    statuses = read_statuses (self->store, CRM_STATUS_LEAD_STATUS,
                              C_("lead status", "Not set"), &error);
  if (statuses == NULL)
    {
      self->load_failed = TRUE;
      crm_editor_add_toast (self->toast_overlay, error->message);
      return;
    }

  expression = gtk_property_expression_new (CRM_TYPE_EDITOR_CHOICE, NULL, "name");
  adw_combo_row_set_expression (self->lifecycle_row, expression);
  adw_combo_row_set_model (self->lifecycle_row, G_LIST_MODEL (stages));
  adw_combo_row_set_expression (self->lead_status_row, expression);
  adw_combo_row_set_model (self->lead_status_row, G_LIST_MODEL (statuses));
}

static void
fill_form (CrmContactEditor *self,
           CrmContactDraft  *draft)
{
  g_autoptr (GPtrArray) custom = NULL;
  g_autoptr (GError) error = NULL;
  GPtrArray *lists[N_DETAIL_KINDS] = {
    [DETAIL_PHONE] = draft->phones,
    [DETAIL_EMAIL] = draft->emails,
    [DETAIL_ADDRESS] = draft->addresses,
    [DETAIL_LINK] = draft->links,
  };

  for (guint i = 0; i < G_N_ELEMENTS (text_fields); i++)
    {
      const char *text = crm_contact_draft_get_text (draft, text_fields[i].name);
      g_autofree char *shown = text_fields[i].date ? crm_editor_date_to_display (text)
                                                   : g_strdup (text != NULL ? text : "");

      gtk_editable_set_text (text_row (self, i), shown);
    }

  gtk_switch_set_active (self->given_first_switch, draft->given_name_first);
  adw_combo_row_set_selected (self->gender_row, strv_position (genders, draft->gender));
  adw_combo_row_set_selected (self->channel_row,
                              strv_position (channels, draft->preferred_channel));
  adw_combo_row_set_selected (self->lifecycle_row,
                              choice_position (adw_combo_row_get_model (self->lifecycle_row),
                                               draft->lifecycle_stage_id));
  adw_combo_row_set_selected (self->lead_status_row,
                              choice_position (adw_combo_row_get_model (self->lead_status_row),
                                               draft->lead_status_id));
  gtk_switch_set_active (self->consent_switch, draft->consent);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->notes_view),
                            draft->notes != NULL ? draft->notes : "", -1);
  set_company (self, draft->company_id, NULL);

  for (guint kind = 0; kind < N_DETAIL_KINDS; kind++)
    {
      for (guint i = 0; i < lists[kind]->len; i++)
        add_detail (self, kind, g_ptr_array_index (lists[kind], i));
    }

  for (guint i = 0; i < draft->tags->len; i++)
    add_tag (self, g_ptr_array_index (draft->tags, i));

  custom = crm_custom_fields_list (self->store, CRM_FIELD_ENTITY_CONTACT, &error);
  if (custom == NULL)
    {
      self->load_failed = TRUE;
      crm_editor_add_toast (self->toast_overlay, error->message);
      return;
    }
  for (guint i = 0; i < custom->len; i++)
    {
      CrmCustomField *info = g_ptr_array_index (custom, i);

      add_custom_field (self, info, g_hash_table_lookup (draft->custom, info->key));
    }
}

static void
on_consent_notify (GtkSwitch        *widget,
                   GParamSpec       *pspec,
                   CrmContactEditor *self)
{
  gboolean consent = gtk_switch_get_active (widget);

  gtk_widget_set_sensitive (GTK_WIDGET (self->consent_date_row), consent);
  gtk_widget_set_sensitive (GTK_WIDGET (self->consent_source_row), consent);
  changed (self);
}

static void
on_notes_changed (GtkTextBuffer    *buffer,
                  CrmContactEditor *self)
{
  changed (self);
}

static void
on_given_first_notify (GtkSwitch        *widget,
                       GParamSpec       *pspec,
                       CrmContactEditor *self)
{
  changed (self);
}

/* GObject */

static void
crm_contact_editor_constructed (GObject *object)
{
  CrmContactEditor *self = CRM_CONTACT_EDITOR (object);
  g_autoptr (CrmContactDraft) draft = NULL;
  g_autoptr (CrmContactDraft) current = NULL;
  g_autoptr (GError) error = NULL;

  G_OBJECT_CLASS (crm_contact_editor_parent_class)->constructed (object);

  g_assert (CRM_IS_STORE (self->store));

  self->loading = TRUE;
  load_choices (self);

  if (self->contact_id > 0)
    {
      g_autoptr (CrmContact) contact = crm_contact_load (self->store, self->contact_id, &error);

      if (contact != NULL)
        {
          draft = crm_contact_draft_new_from_contact (contact);
          adw_window_title_set_subtitle (self->window_title,
                                         crm_contact_get_display_name (contact));
        }
      else
        {
          self->load_failed = TRUE;
          crm_editor_add_toast (self->toast_overlay, error->message);
        }
    }

  if (draft == NULL)
    {
      draft = crm_contact_draft_new ();
      draft->id = self->contact_id;
      draft->company_id = self->company_id;
      if (self->contact_id == 0)
        {
          /* A new contact starts with a place for a phone and an email. */
          crm_contact_draft_add_phone (draft, "", "mobile");
          crm_contact_draft_add_email (draft, "", "work");
        }
    }

  fill_form (self, draft);
  gtk_widget_set_sensitive (GTK_WIDGET (self->consent_date_row), draft->consent);
  gtk_widget_set_sensitive (GTK_WIDGET (self->consent_source_row), draft->consent);

  self->loading = FALSE;

  current = collect_draft (self);
  self->initial_signature = draft_signature (current);
  validate (self);

  gtk_window_set_title (GTK_WINDOW (self),
                        self->contact_id > 0 ? _("Edit Contact") : _("New Contact"));
  adw_window_title_set_title (self->window_title, gtk_window_get_title (GTK_WINDOW (self)));
  gtk_window_set_default_widget (GTK_WINDOW (self), self->save_button);
  gtk_widget_grab_focus (GTK_WIDGET (self->family_row));
}

static void
crm_contact_editor_dispose (GObject *object)
{
  CrmContactEditor *self = CRM_CONTACT_EDITOR (object);

  /* Rows that lose the focus or their model as the window goes tell
   * nothing any more. */
  self->loading = TRUE;
  g_clear_handle_id (&self->validate_id, g_source_remove);
  if (self->company_list != NULL)
    gtk_list_view_set_model (self->company_list, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_CONTACT_EDITOR);
  g_clear_object (&self->company_choices);
  g_clear_object (&self->companies);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (crm_contact_editor_parent_class)->dispose (object);
}

/* What the rows' handlers point at lives until the rows are gone. */
static void
crm_contact_editor_finalize (GObject *object)
{
  CrmContactEditor *self = CRM_CONTACT_EDITOR (object);

  for (guint kind = 0; kind < N_DETAIL_KINDS; kind++)
    g_clear_pointer (&self->details[kind], g_ptr_array_unref);
  g_clear_pointer (&self->custom_fields, g_ptr_array_unref);
  g_clear_pointer (&self->fields, g_hash_table_unref);
  g_clear_pointer (&self->tags, g_ptr_array_unref);
  g_free (self->company_name);
  g_free (self->initial_signature);

  G_OBJECT_CLASS (crm_contact_editor_parent_class)->finalize (object);
}

static void
crm_contact_editor_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CrmContactEditor *self = CRM_CONTACT_EDITOR (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_CONTACT_ID:
      g_value_set_int64 (value, self->contact_id);
      break;

    case PROP_COMPANY_ID:
      g_value_set_int64 (value, self->company_id);
      break;

    case PROP_MODIFIED:
      g_value_set_boolean (value, self->modified);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_contact_editor_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  CrmContactEditor *self = CRM_CONTACT_EDITOR (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_CONTACT_ID:
      self->contact_id = g_value_get_int64 (value);
      break;

    case PROP_COMPANY_ID:
      /* Before construction it picks the company a new contact starts with. */
      if (self->companies == NULL)
        self->company_id = g_value_get_int64 (value);
      else
        crm_contact_editor_set_company_id (self, g_value_get_int64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_contact_editor_class_init (CrmContactEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = crm_contact_editor_constructed;
  object_class->dispose = crm_contact_editor_dispose;
  object_class->finalize = crm_contact_editor_finalize;
  object_class->get_property = crm_contact_editor_get_property;
  object_class->set_property = crm_contact_editor_set_property;
  window_class->close_request = crm_contact_editor_close_request;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         CRM_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * CrmContactEditor:contact-id:
   *
   * The contact being edited, or 0 for a new one.
   */
  properties[PROP_CONTACT_ID] =
    g_param_spec_int64 ("contact-id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * CrmContactEditor:company-id:
   *
   * The company chosen in the form, or 0 for none. Given at construction,
   * the company a new contact starts with.
   */
  properties[PROP_COMPANY_ID] =
    g_param_spec_int64 ("company-id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY
                        | G_PARAM_STATIC_STRINGS);

  /**
   * CrmContactEditor:modified:
   *
   * Whether the form says something else than what was stored.
   */
  properties[PROP_MODIFIED] =
    g_param_spec_boolean ("modified", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CrmContactEditor::saved:
   * @self: the editor
   * @id: the contact's id
   * @undo: (transfer full) (type CrmUndo): how to put back what the save
   *   replaced (for a new contact: to remove it again)
   *
   * Emitted when the contact was stored, just before the editor closes.
   * The handler owns @undo and frees it with crm_undo_free(): connect one
   * handler only. Without a handler, nothing is emitted and the editor
   * frees it.
   */
  signals[SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_POINTER);

  /**
   * CrmContactEditor::open-contact:
   * @self: the editor
   * @id: the other contact
   *
   * Emitted when the user asks to see the contact that has a phone number
   * or an email address typed in the form already. The editor stays open.
   */
  signals[OPEN_CONTACT] =
    g_signal_new ("open-contact",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/crm-contact-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, page);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, general_group);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, general_label);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, name_group);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, family_row);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, middle_row);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, given_row);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, given_first_switch);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, add_phone_row);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, add_email_row);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, add_address_row);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, add_link_row);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, company_row);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, company_button);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, company_label);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, company_popover);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, company_search);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, company_list);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, job_title_row);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, birthday_row);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, gender_row);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, channel_row);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, interests_row);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, education_row);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, occupation_row);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, income_band_row);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, family_status_row);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, lifestyle_row);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, lifecycle_row);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, lead_status_row);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, owner_row);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, source_row);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, tags_row);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, consent_switch);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, consent_date_row);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, consent_source_row);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, notes_view);
  gtk_widget_class_bind_template_child (widget_class, CrmContactEditor, custom_group);
  gtk_widget_class_bind_template_callback (widget_class, on_add_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_tags_row_entry_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_company_popover_show);
  gtk_widget_class_bind_template_callback (widget_class, on_company_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_company_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_company_list_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_company_factory_setup);
  gtk_widget_class_bind_template_callback (widget_class, on_company_factory_bind);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "editor.cancel", NULL);
}

static void
crm_contact_editor_init (CrmContactEditor *self)
{
  ensure_style ();
  gtk_widget_init_template (GTK_WIDGET (self));

  self->fields = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                        (GDestroyNotify) field_free);
  for (guint kind = 0; kind < N_DETAIL_KINDS; kind++)
    self->details[kind] = g_ptr_array_new_with_free_func ((GDestroyNotify) detail_free);
  self->custom_fields = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_custom_row_free);
  self->tags = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < G_N_ELEMENTS (text_fields); i++)
    watch_text_row (self, text_fields[i].name, GTK_WIDGET (text_row (self, i)));
  watch_text_row (self, "company_id", GTK_WIDGET (self->company_row));
  watch_text_row (self, "gender", GTK_WIDGET (self->gender_row));
  watch_text_row (self, "preferred_channel", GTK_WIDGET (self->channel_row));
  watch_text_row (self, "lifecycle_stage_id", GTK_WIDGET (self->lifecycle_row));
  watch_text_row (self, "lead_status_id", GTK_WIDGET (self->lead_status_row));

  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, self->fields);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      {
        Field *field = value;

        field->message = crm_editor_message_new (field->row);
        if (ADW_IS_ENTRY_ROW (field->row))
          {
            g_signal_connect (field->row, "changed", G_CALLBACK (on_field_changed), field);
            watch_focus_leave (field->row, G_CALLBACK (on_field_focus_leave), field);
          }
        else if (ADW_IS_COMBO_ROW (field->row))
          {
            g_signal_connect (field->row, "notify::selected", G_CALLBACK (on_field_notify), field);
          }
      }
  }

  make_tags_flow_row (self);
  g_signal_connect (self->tags_row, "changed", G_CALLBACK (on_tags_row_changed), self);
  g_signal_connect (self->consent_switch, "notify::active", G_CALLBACK (on_consent_notify), self);
  g_signal_connect (self->given_first_switch, "notify::active",
                    G_CALLBACK (on_given_first_notify), self);
  g_signal_connect (gtk_text_view_get_buffer (self->notes_view), "changed",
                    G_CALLBACK (on_notes_changed), self);
}

/* Public API */

static CrmContactEditor *
editor_new (GtkWindow *parent,
            CrmStore  *store,
            gint64     id,
            gint64     company_id)
{
  return g_object_new (CRM_TYPE_CONTACT_EDITOR,
                       "transient-for", parent,
                       "store", store,
                       "contact-id", id,
                       "company-id", company_id,
                       NULL);
}

/**
 * crm_contact_editor_new:
 * @parent: (nullable): the window the dialog belongs to
 * @store: the open workspace
 * @id: the contact to edit, or 0 for a new one
 *
 * Makes the dialog that edits a contact; present it with
 * gtk_window_present(). It checks the form as the user types, saves with
 * crm_contact_save() and emits #CrmContactEditor::saved before it closes.
 *
 * Returns: (transfer none): the editor, owned by GTK's list of toplevels
 */
CrmContactEditor *
crm_contact_editor_new (GtkWindow *parent,
                        CrmStore  *store,
                        gint64     id)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (CRM_IS_STORE (store), NULL);
  g_return_val_if_fail (id >= 0, NULL);

  return editor_new (parent, store, id, 0);
}

/**
 * crm_contact_editor_new_with_company:
 * @company_id: the company the new contact works for
 *
 * Like crm_contact_editor_new() for a new contact, with @company_id chosen.
 *
 * Returns: (transfer none): the editor
 */
CrmContactEditor *
crm_contact_editor_new_with_company (GtkWindow *parent,
                                     CrmStore  *store,
                                     gint64     company_id)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (CRM_IS_STORE (store), NULL);
  g_return_val_if_fail (company_id >= 0, NULL);

  return editor_new (parent, store, 0, company_id);
}

gint64
crm_contact_editor_get_contact_id (CrmContactEditor *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT_EDITOR (self), 0);

  return self->contact_id;
}

gint64
crm_contact_editor_get_company_id (CrmContactEditor *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT_EDITOR (self), 0);

  return self->company_id;
}

/**
 * crm_contact_editor_set_company_id:
 * @company_id: a company of the workspace, or 0 for none
 *
 * Chooses the company in the form, as the user would.
 */
void
crm_contact_editor_set_company_id (CrmContactEditor *self,
                                   gint64            company_id)
{
  g_return_if_fail (CRM_IS_CONTACT_EDITOR (self));

  if (company_id == self->company_id)
    return;

  set_company (self, company_id, NULL);
  changed (self);
}

gboolean
crm_contact_editor_get_modified (CrmContactEditor *self)
{
  g_return_val_if_fail (CRM_IS_CONTACT_EDITOR (self), FALSE);

  return self->modified;
}
