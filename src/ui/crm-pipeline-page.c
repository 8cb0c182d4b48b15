/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-pipeline-page"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "crm-pipeline.h"
#include "crm-pipeline-page.h"
#include "crm-preferences-util.h"

struct _CrmPipelinePage
{
  AdwPreferencesPage parent_instance;

  /* template widgets */
  AdwComboRow   *pipeline_row;
  AdwEntryRow   *pipeline_name_row;
  AdwActionRow  *add_pipeline_row;
  GtkListBox    *stage_list;
  AdwActionRow  *add_stage_row;
  AdwComboRow   *base_currency_row;
  GtkListBox    *rate_list;
  AdwActionRow  *add_rate_row;

  /* owned references */
  CrmStore      *store;
  GtkStringList *pipeline_names;
  GArray        *pipeline_ids;    /* gint64, in the order of pipeline_names */
  GtkStringList *base_names;
  GPtrArray     *base_codes;      /* (element-type utf8), in the order of base_names */
  GPtrArray     *stage_rows;
  GPtrArray     *rate_rows;
  char          *removed_code;    /* the rate that Undo brings back */
  char          *removed_rate;
  AdwToast      *undo_toast;

  /* state */
  gint64         pipeline_id;     /* the pipeline shown */
  char          *pipeline_name;   /* its name as shown */
  char          *base;            /* the base currency */
  gboolean       updating;        /* combo rows being filled by code, not chosen */
};

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CrmPipelinePage, crm_pipeline_page, ADW_TYPE_PREFERENCES_PAGE)

typedef struct
{
  const char *code;
  const char *name;
} Currency;

/* The currencies an office in Vietnam meets most, offered first. */
static const Currency common_currencies[] = {
  { "VND", N_("Vietnamese đồng") },
  { "USD", N_("US dollar") },
  { "EUR", N_("Euro") },
  { "JPY", N_("Japanese yen") },
  { "CNY", N_("Chinese yuan") },
  { "KRW", N_("South Korean won") },
  { "SGD", N_("Singapore dollar") },
  { "THB", N_("Thai baht") },
  { "GBP", N_("British pound") },
  { "AUD", N_("Australian dollar") },
};

/* The parts a dialog made by new_dialog() has. */
typedef struct
{
  GtkWindow *window;
  GtkWidget *save_button;
  GtkWidget *list;           /* the boxed list of its rows */
  GtkLabel  *message_label;  /* an error, or what the input means */
} Dialog;

/* What the dialog that adds or edits a stage keeps. */
typedef struct
{
  CrmPipelinePage *self;
  gint64           id;            /* 0 for a new stage */
  gint64           pipeline_id;
  Dialog           dialog;
  AdwEntryRow     *name_row;
  AdwComboRow     *kind_row;      /* only for a new stage */
  CrmStageKind     kind;
  GtkSpinButton   *probability_spin;
  GtkSpinButton   *idle_spin;
  GtkWidget       *idle_row;
} StageEditor;

/* What the dialog that removes a stage with deals keeps. */
typedef struct
{
  CrmPipelinePage *self;
  gint64           id;
  char            *name;
  GPtrArray       *targets;       /* (element-type CrmStage), the other stages */
  gint64           without_reason;
  AdwComboRow     *move_row;
  GtkLabel        *warning_label;
} StageRemoval;

/* What the dialog that adds or edits an exchange rate keeps. */
typedef struct
{
  CrmPipelinePage *self;
  char            *code;          /* the currency edited, NULL for a new rate */
  Dialog           dialog;
  AdwComboRow     *currency_row;
  GPtrArray       *codes;         /* (element-type utf8), the currency row's */
  AdwEntryRow     *rate_row;
} RateEditor;

/* Helpers */

static void
set_message (GtkLabel   *label,
             const char *message,
             gboolean    is_error)
{
  gtk_label_set_label (label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
}

/* Currencies and numbers */

static const char *
currency_name (const char *code)
{
  for (guint i = 0; i < G_N_ELEMENTS (common_currencies); i++)
    {
      if (g_strcmp0 (code, common_currencies[i].code) == 0)
        return _(common_currencies[i].name);
    }

  return NULL;
}

static char *
currency_label (const char *code)
{
  const char *name = currency_name (code);

  /* Translators: a currency in a list, "USD — US dollar". */
  return name != NULL ? g_strdup_printf (_("%s — %s"), code, name) : g_strdup (code);
}

/* Moves the point of the plain decimal @text ("25.4") @shift places to the
 * right, or to the left when negative, and drops the zeros that carry
 * nothing: "1.08", 2 → "108"; "25400", -2 → "254". */
static char *
decimal_shift (const char *text,
               int         shift)
{
  g_autoptr (GString) digits = g_string_new (NULL);
  const char *point = strchr (text, '.');
  GString *out;
  int decimals = 0;
  gsize int_len;

  if (point != NULL)
    {
      g_string_append_len (digits, text, point - text);
      g_string_append (digits, point + 1);
      decimals = (int) strlen (point + 1);
    }
  else
    {
      g_string_append (digits, text);
    }

  decimals -= shift;
  for (; decimals < 0; decimals++)
    g_string_append_c (digits, '0');
  while (digits->len <= (gsize) decimals)
    g_string_prepend_c (digits, '0');

  int_len = digits->len - (gsize) decimals;
  out = g_string_new_len (digits->str, (gssize) int_len);
  while (out->len > 1 && out->str[0] == '0')
    g_string_erase (out, 0, 1);
  while (decimals > 0 && digits->str[int_len + (gsize) decimals - 1] == '0')
    decimals--;
  if (decimals > 0)
    {
      g_string_append_c (out, '.');
      g_string_append_len (out, digits->str + int_len, decimals);
    }

  return g_string_free (out, FALSE);
}

/* A positive number as the user typed it, with a decimal comma or point
 * and thousands separators if they like ("25400", "1,5", "25.400.000",
 * "1.234,5"), as a plain decimal with a point ("1234.5"); NULL when it is
 * not one. A lone separator is the decimal one; one that repeats, or
 * comes before the other kind, groups thousands. */
static char *
parse_typed_number (const char *typed)
{
  g_autoptr (GString) plain = g_string_new (NULL);
  guint n_points = 0, n_commas = 0;
  char decimal = 0;
  gboolean nonzero = FALSE;
  gboolean grouped = FALSE;   /* a thousands separator came before */
  int group = 0;              /* digits since the last separator */

  if (typed == NULL)
    return NULL;

  for (const char *p = typed; *p != '\0'; p++)
    {
      if (*p == '.')
        n_points++;
      else if (*p == ',')
        n_commas++;
      else if (!g_ascii_isdigit (*p) && *p != ' ')
        return NULL;
    }

  if (n_points > 0 && n_commas > 0)
    decimal = strrchr (typed, '.') > strrchr (typed, ',') ? '.' : ',';
  else if (n_points == 1)
    decimal = '.';
  else if (n_commas == 1)
    decimal = ',';
  if ((decimal == '.' && n_points > 1) || (decimal == ',' && n_commas > 1))
    return NULL;

  /* Thousands separators must group by three: "1,5,0" is a typo. */
  for (const char *p = typed; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        {
          g_string_append_c (plain, *p);
          nonzero = nonzero || *p != '0';
          group++;
        }
      else if (*p == decimal)
        {
          if (grouped && group != 3)
            return NULL;
          g_string_append_c (plain, '.');
          grouped = FALSE;
          group = 0;
        }
      else if (*p == '.' || *p == ',')
        {
          if (group == 0 || group > 3 || (grouped && group != 3))
            return NULL;
          grouped = TRUE;
          group = 0;
        }
    }
  if (grouped && group != 3)
    return NULL;

  if (!nonzero)
    return NULL;
  if (plain->str[0] == '.')
    g_string_prepend_c (plain, '0');

  return decimal_shift (plain->str, 0);
}

/* A plain decimal written with the decimal separator of the language. */
static char *
decimal_for_display (const char *plain)
{
  const char *point = localeconv ()->decimal_point;
  g_autoptr (GString) out = g_string_new (plain);

  if (point != NULL && *point != '\0' && !g_str_equal (point, "."))
    g_string_replace (out, ".", point, 1);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* "1 USD = 25.400 ₫" for @rate, the stored minor units of @base that one
 * @code is worth. A rate with decimals is shown for enough units to keep
 * the figure exact: "10.000 VND = $0.39". */
static char *
format_rate (const char *code,
             const char *rate,
             const char *base)
{
  g_autoptr (GHashTable) rates = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *plain = decimal_shift (rate, 0);
  g_autofree char *units = NULL;
  g_autofree char *worth = NULL;
  const char *point = strchr (plain, '.');
  int places = point != NULL ? MIN ((int) strlen (point + 1), 9) : 0;
  gint64 amount = 1, minor = 1, converted;

  for (int i = 0; i < places; i++)
    amount *= 10;
  minor = amount;
  for (int i = 0; i < crm_currency_minor_digits (code); i++)
    minor *= 10;

  g_hash_table_insert (rates, (gpointer) code, (gpointer) rate);
  if (!crm_currency_convert (rates, base, minor, code, &converted))
    return g_strdup_printf ("%s %s", rate, code);

  units = g_strdup_printf ("%'" G_GINT64_FORMAT, amount);
  worth = crm_money_format (converted, base);

  /* Translators: an exchange rate, "1 USD = 25.400 ₫": a number of units,
   * their currency code, and what they are worth in the base currency. */
  return g_strdup_printf (_("%s %s = %s"), units, code, worth);
}

/* Puts @strings (NULL-terminated) in @list unless it holds them already:
 * replacing the items of a combo row's model while the user's choice is
 * being handled makes the row choose again. */
static void
set_strings (GtkStringList     *list,
             const char *const *strings)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (list));
  gboolean same = g_strv_length ((char **) strings) == n;

  for (guint i = 0; same && i < n; i++)
    same = g_str_equal (gtk_string_list_get_string (list, i), strings[i]);

  if (!same)
    gtk_string_list_splice (list, 0, n, strings);
}

/* Stages */

static const char *
stage_kind_label (CrmStageKind kind)
{
  switch (kind)
    {
    case CRM_STAGE_WON:
      return C_("stage kind", "Won");
    case CRM_STAGE_LOST:
      return C_("stage kind", "Lost");
    case CRM_STAGE_OPEN:
    default:
      return C_("stage kind", "Open");
    }
}

static char *
describe_stage (const CrmStage *stage)
{
  g_autofree char *probability = g_strdup_printf (_("Win probability %d %%"),
                                                  stage->probability);
  g_autofree char *idle = NULL;

  if (stage->kind != CRM_STAGE_OPEN)
    /* Translators: a stage's subtitle, "Won · Win probability 100 %". */
    return g_strdup_printf (_("%s · %s"), stage_kind_label (stage->kind), probability);

  if (stage->idle_days > 0)
    idle = g_strdup_printf (ngettext ("Idle after %d day", "Idle after %d days",
                                      stage->idle_days),
                            stage->idle_days);
  else
    idle = g_strdup (_("Never idle"));

  /* Translators: a stage's subtitle, "Open · Win probability 20 % · Idle after 14 days". */
  return g_strdup_printf (_("%s · %s · %s"), stage_kind_label (stage->kind), probability, idle);
}

static void
on_stage_row_activated (AdwActionRow *row,
                        gpointer      user_data)
{
  GtkWidget *self = gtk_widget_get_ancestor (GTK_WIDGET (row), CRM_TYPE_PIPELINE_PAGE);

  gtk_widget_activate_action (self, "pipeline-page.edit-stage", "x", crm_preferences_get_id (row));
}

static GtkWidget *
new_stage_row (const CrmStage *stage,
               gboolean        first,
               gboolean        last,
               gboolean        only)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *button;
  g_autofree char *subtitle = describe_stage (stage);
  g_autofree char *key = g_strdup_printf ("stage:%" G_GINT64_FORMAT, stage->id);
  g_autofree char *edit = g_strdup_printf (_("Edit “%s”"), stage->name);
  g_autofree char *remove = g_strdup_printf (_("Remove “%s”"), stage->name);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), stage->name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_widget_set_name (row, "stage-row");
  crm_preferences_set_focus_key (row, key);
  crm_preferences_set_id (row, stage->id);
  g_signal_connect (row, "activated", G_CALLBACK (on_stage_row_activated), NULL);

  crm_preferences_append_move_buttons (GTK_BOX (box), key, stage->name, first, last,
                                       "pipeline-page.move-stage-up",
                                       "pipeline-page.move-stage-down",
                                       g_variant_new_int64 (stage->id));
  gtk_box_append (GTK_BOX (box),
                  crm_preferences_new_row_button (key, "document-edit-symbolic", _("Edit"), edit,
                                                  "edit-button", "pipeline-page.edit-stage",
                                                  g_variant_new_int64 (stage->id)));
  button = crm_preferences_new_row_button (key, "user-trash-symbolic",
                                           only ? _("A pipeline keeps at least one stage")
                                                : _("Remove"),
                                           remove, "remove-button", "pipeline-page.remove-stage",
                                           g_variant_new_int64 (stage->id));
  gtk_widget_set_sensitive (button, !only);
  gtk_box_append (GTK_BOX (box), button);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);

  return row;
}

static void
show_stages (CrmPipelinePage   *self,
             const CrmPipeline *pipeline)
{
  guint n = pipeline != NULL ? pipeline->stages->len : 0;

  crm_preferences_clear_rows (self->stage_list, self->stage_rows);

  for (guint i = 0; i < n; i++)
    {
      GtkWidget *row = new_stage_row (g_ptr_array_index (pipeline->stages, i), i == 0,
                                      i + 1 == n, n == 1);

      gtk_list_box_insert (self->stage_list, row, i);
      g_ptr_array_add (self->stage_rows, row);
    }

  gtk_widget_set_sensitive (GTK_WIDGET (self->add_stage_row), pipeline != NULL);
}

/* Reads the pipelines again and shows the chosen one's stages. */
static void
reload_pipelines (CrmPipelinePage *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) pipelines = NULL;
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  g_autofree char *focus = crm_preferences_remember_focus (GTK_WIDGET (self));
  CrmPipeline *shown = NULL;
  guint selected = 0;

  pipelines = crm_pipelines_list (self->store, &error);
  if (pipelines == NULL)
    {
      g_warning ("Cannot list the pipelines: %s", error->message);
      return;
    }

  g_array_set_size (self->pipeline_ids, 0);
  for (guint i = 0; i < pipelines->len; i++)
    {
      CrmPipeline *pipeline = g_ptr_array_index (pipelines, i);

      if (pipeline->id == self->pipeline_id || (shown == NULL && pipeline->is_default))
        {
          shown = pipeline;
          selected = i;
        }
      g_array_append_val (self->pipeline_ids, pipeline->id);
      g_ptr_array_add (names, pipeline->name);
    }
  g_ptr_array_add (names, NULL);
  if (shown == NULL && pipelines->len > 0)
    shown = g_ptr_array_index (pipelines, 0);

  self->updating = TRUE;
  set_strings (self->pipeline_names, (const char *const *) names->pdata);
  if (adw_combo_row_get_selected (self->pipeline_row) != selected)
    adw_combo_row_set_selected (self->pipeline_row, selected);
  self->updating = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->pipeline_row), pipelines->len > 1);

  /* The name the user is typing stays until the pipeline or its name changes. */
  if (shown == NULL)
    {
      self->pipeline_id = 0;
      g_clear_pointer (&self->pipeline_name, g_free);
      gtk_editable_set_text (GTK_EDITABLE (self->pipeline_name_row), "");
    }
  else if (shown->id != self->pipeline_id || g_strcmp0 (shown->name, self->pipeline_name) != 0)
    {
      self->pipeline_id = shown->id;
      g_free (self->pipeline_name);
      self->pipeline_name = g_strdup (shown->name);
      gtk_editable_set_text (GTK_EDITABLE (self->pipeline_name_row), shown->name);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->pipeline_name_row), shown != NULL);

  show_stages (self, shown);
  crm_preferences_restore_focus (GTK_WIDGET (self), focus);
}

static void
on_pipeline_selected (CrmPipelinePage *self)
{
  guint selected = adw_combo_row_get_selected (self->pipeline_row);

  if (self->updating || selected >= self->pipeline_ids->len)
    return;

  self->pipeline_id = g_array_index (self->pipeline_ids, gint64, selected);
  reload_pipelines (self);
}

static void
on_pipeline_name_applied (CrmPipelinePage *self)
{
  g_autoptr (GError) error = NULL;
  GtkEditable *row = GTK_EDITABLE (self->pipeline_name_row);
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (row)));

  /* The built-in name given back as shown stays the translated one. */
  if (self->pipeline_id == 0 || g_strcmp0 (name, self->pipeline_name) == 0)
    return;

  if (!crm_pipeline_rename (self->store, self->pipeline_id, name, &error))
    {
      crm_preferences_show_error (GTK_WIDGET (self), error);
      gtk_editable_set_text (GTK_EDITABLE (self->pipeline_name_row),
                             self->pipeline_name != NULL ? self->pipeline_name : "");
    }
}

/* Currencies */

static void
on_rate_row_activated (AdwActionRow *row,
                       gpointer      user_data)
{
  GtkWidget *self = gtk_widget_get_ancestor (GTK_WIDGET (row), CRM_TYPE_PIPELINE_PAGE);

  gtk_widget_activate_action (self, "pipeline-page.edit-rate", "s",
                              g_object_get_data (G_OBJECT (row), "crm-code"));
}

static GtkWidget *
new_rate_row (const char *code,
              const char *rate,
              const char *base)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  g_autofree char *title = format_rate (code, rate, base);
  g_autofree char *key = g_strdup_printf ("rate:%s", code);
  /* Translators: the accessible labels of the buttons of an exchange rate, "Edit the USD Rate". */
  g_autofree char *edit = g_strdup_printf (_("Edit the %s Rate"), code);
  g_autofree char *remove = g_strdup_printf (_("Remove the %s Rate"), code);
  const char *name = currency_name (code);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (name != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), name);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_widget_set_name (row, "rate-row");
  crm_preferences_set_focus_key (row, key);
  g_object_set_data_full (G_OBJECT (row), "crm-code", g_strdup (code), g_free);
  g_signal_connect (row, "activated", G_CALLBACK (on_rate_row_activated), NULL);

  gtk_box_append (GTK_BOX (box),
                  crm_preferences_new_row_button (key, "document-edit-symbolic", _("Edit"), edit,
                                                  "edit-button", "pipeline-page.edit-rate",
                                                  g_variant_new_string (code)));
  gtk_box_append (GTK_BOX (box),
                  crm_preferences_new_row_button (key, "user-trash-symbolic", _("Remove"), remove,
                                                  "remove-button", "pipeline-page.remove-rate",
                                                  g_variant_new_string (code)));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);

  return row;
}

static int
compare_codes (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* The stored rates' currencies other than the base, sorted. */
static GPtrArray *
rated_codes (GHashTable *rates,
             const char *base)
{
  GPtrArray *codes = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, rates);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      if (g_strcmp0 (key, base) != 0)
        g_ptr_array_add (codes, key);
    }
  g_ptr_array_sort (codes, compare_codes);

  return codes;
}

static void
reload_currencies (CrmPipelinePage *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) rates = NULL;
  g_autoptr (GPtrArray) codes = NULL;
  g_autoptr (GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *focus = crm_preferences_remember_focus (GTK_WIDGET (self));
  guint selected = 0;

  g_free (self->base);
  self->base = crm_base_currency (self->store);

  g_ptr_array_set_size (self->base_codes, 0);
  for (guint i = 0; i < G_N_ELEMENTS (common_currencies); i++)
    g_ptr_array_add (self->base_codes, g_strdup (common_currencies[i].code));
  if (!g_ptr_array_find_with_equal_func (self->base_codes, self->base, g_str_equal, &selected))
    {
      selected = self->base_codes->len;
      g_ptr_array_add (self->base_codes, g_strdup (self->base));
    }
  for (guint i = 0; i < self->base_codes->len; i++)
    g_ptr_array_add (labels, currency_label (g_ptr_array_index (self->base_codes, i)));
  g_ptr_array_add (labels, NULL);

  self->updating = TRUE;
  set_strings (self->base_names, (const char *const *) labels->pdata);
  if (adw_combo_row_get_selected (self->base_currency_row) != selected)
    adw_combo_row_set_selected (self->base_currency_row, selected);
  self->updating = FALSE;

  crm_preferences_clear_rows (self->rate_list, self->rate_rows);

  rates = crm_currency_rates (self->store, &error);
  if (rates == NULL)
    {
      g_warning ("Cannot read the exchange rates: %s", error->message);
      return;
    }
  codes = rated_codes (rates, self->base);
  for (guint i = 0; i < codes->len; i++)
    {
      const char *code = g_ptr_array_index (codes, i);
      GtkWidget *row = new_rate_row (code, g_hash_table_lookup (rates, code), self->base);

      gtk_list_box_insert (self->rate_list, row, i);
      g_ptr_array_add (self->rate_rows, row);
    }

  crm_preferences_restore_focus (GTK_WIDGET (self), focus);
}

static void
change_base (CrmPipelinePage *self,
             const char      *code)
{
  g_autoptr (GError) error = NULL;

  if (!crm_currency_change_base (self->store, code, &error))
    {
      crm_preferences_show_error (GTK_WIDGET (self), error);
      reload_currencies (self);
    }
}

static void
on_change_base_response (AdwMessageDialog *dialog,
                         const char       *response,
                         CrmPipelinePage  *self)
{
  if (g_str_equal (response, "change"))
    change_base (self, g_object_get_data (G_OBJECT (dialog), "crm-code"));
  else
    reload_currencies (self);
}

static void
on_base_currency_selected (CrmPipelinePage *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) rates = NULL;
  g_autoptr (GPtrArray) codes = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  guint selected = adw_combo_row_get_selected (self->base_currency_row);
  const char *code;
  GtkWidget *dialog;

  if (self->updating || selected >= self->base_codes->len)
    return;
  code = g_ptr_array_index (self->base_codes, selected);
  if (g_strcmp0 (code, self->base) == 0)
    return;

  rates = crm_currency_rates (self->store, &error);
  if (rates == NULL)
    {
      crm_preferences_show_error (GTK_WIDGET (self), error);
      reload_currencies (self);
      return;
    }
  codes = rated_codes (rates, self->base);
  if (codes->len == 0)
    {
      change_base (self, code);
      return;
    }

  /* The rates are worth minor units of the base: they cannot stay. */
  heading = g_strdup_printf (_("Change the Base Currency to %s?"), code);
  body = g_strdup_printf (ngettext ("The %2$u exchange rate to %1$s is removed: rates are kept "
                                    "against the base currency. Enter it again against the new "
                                    "one.",
                                    "The %2$u exchange rates to %1$s are removed: rates are kept "
                                    "against the base currency. Enter them again against the new "
                                    "one.",
                                    codes->len),
                          self->base, codes->len);
  dialog = crm_preferences_new_confirm_dialog (GTK_WIDGET (self), "change-base-dialog", heading,
                                               body, "change", _("C_hange"),
                                               ADW_RESPONSE_DESTRUCTIVE);
  g_object_set_data_full (G_OBJECT (dialog), "crm-code", g_strdup (code), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_change_base_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Dialogs */

/* A dialog made by crm_preferences_new_dialog(), with a boxed list for its
 * rows and a label under it. */
static void
new_dialog (CrmPipelinePage *self,
            Dialog          *dialog,
            const char      *name,
            const char      *title,
            const char      *save_label,
            GCallback        on_save,
            gpointer         data)
{
  AdwPreferencesPage *page;
  GtkWidget *group;

  dialog->window = crm_preferences_new_dialog (GTK_WIDGET (self), name, title, save_label, -1,
                                               on_save, data, &dialog->save_button, &page);
  group = adw_preferences_group_new ();
  dialog->list = crm_preferences_new_boxed_list (title);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), dialog->list);

  dialog->message_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (dialog->message_label, TRUE);
  gtk_label_set_xalign (dialog->message_label, 0);
  gtk_widget_set_margin_top (GTK_WIDGET (dialog->message_label), 12);
  gtk_widget_set_name (GTK_WIDGET (dialog->message_label), "message-label");
  gtk_widget_set_visible (GTK_WIDGET (dialog->message_label), FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (dialog->message_label));
  adw_preferences_page_add (page, ADW_PREFERENCES_GROUP (group));
}

static GtkSpinButton *
add_spin_row (GtkWidget  *list,
              const char *title,
              const char *subtitle,
              const char *accessible_label,
              const char *name,
              double      upper,
              int         value,
              GtkWidget **row_out)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (0, upper, 1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  gtk_widget_set_name (spin, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_label,
                                  -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  gtk_list_box_append (GTK_LIST_BOX (list), row);

  if (row_out != NULL)
    *row_out = row;

  return GTK_SPIN_BUTTON (spin);
}

/* The stage editor */

static void
stage_editor_free (StageEditor *editor)
{
  g_clear_object (&editor->self);
  g_free (editor);
}

static void
stage_editor_update (StageEditor *editor)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (
                                                                         editor->name_row))));

  gtk_widget_set_sensitive (editor->dialog.save_button, *name != '\0');
  gtk_widget_set_sensitive (editor->idle_row, editor->kind == CRM_STAGE_OPEN);
}

static void
on_stage_kind_selected (StageEditor *editor)
{
  editor->kind = (CrmStageKind) adw_combo_row_get_selected (editor->kind_row);

  /* What a won or lost stage is worth is known. */
  if (editor->kind == CRM_STAGE_WON)
    gtk_spin_button_set_value (editor->probability_spin, 100);
  else if (editor->kind == CRM_STAGE_LOST)
    gtk_spin_button_set_value (editor->probability_spin, 0);
  stage_editor_update (editor);
}

static void
on_stage_save_clicked (StageEditor *editor)
{
  g_autoptr (GError) error = NULL;
  const char *name = gtk_editable_get_text (GTK_EDITABLE (editor->name_row));
  int probability, idle_days;
  gboolean ok;

  /* A number typed but not yet entered counts. */
  gtk_spin_button_update (editor->probability_spin);
  gtk_spin_button_update (editor->idle_spin);
  probability = gtk_spin_button_get_value_as_int (editor->probability_spin);
  idle_days = editor->kind == CRM_STAGE_OPEN ? gtk_spin_button_get_value_as_int (editor->idle_spin)
                                             : 0;

  if (editor->id == 0)
    ok = crm_stage_add (editor->self->store, editor->pipeline_id, name, probability, editor->kind,
                        idle_days, &error) > 0;
  else
    ok = crm_stage_update (editor->self->store, editor->id, name, probability, idle_days, &error);

  if (!ok)
    {
      set_message (editor->dialog.message_label, error->message, TRUE);
      return;
    }

  gtk_window_destroy (editor->dialog.window);
}

/* Opens the dialog that adds a stage to the pipeline shown (@stage NULL)
 * or edits @stage. */
static void
open_stage_editor (CrmPipelinePage *self,
                   const CrmStage  *stage)
{
  StageEditor *editor = g_new0 (StageEditor, 1);
  GtkWidget *list;

  editor->self = g_object_ref (self);
  editor->id = stage != NULL ? stage->id : 0;
  editor->pipeline_id = stage != NULL ? stage->pipeline_id : self->pipeline_id;
  editor->kind = stage != NULL ? stage->kind : CRM_STAGE_OPEN;

  new_dialog (self, &editor->dialog, "stage-editor",
              stage != NULL ? _("Edit Stage") : _("New Stage"),
              stage != NULL ? _("_Save") : _("_Add"),
              G_CALLBACK (on_stage_save_clicked), editor);
  g_object_set_data_full (G_OBJECT (editor->dialog.window), "crm-stage-editor", editor,
                          (GDestroyNotify) stage_editor_free);
  list = editor->dialog.list;

  editor->name_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (editor->name_row), _("_Name"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (editor->name_row), TRUE);
  adw_entry_row_set_activates_default (editor->name_row, TRUE);
  gtk_widget_set_name (GTK_WIDGET (editor->name_row), "name-row");
  if (stage != NULL)
    gtk_editable_set_text (GTK_EDITABLE (editor->name_row), stage->name);
  g_signal_connect_swapped (editor->name_row, "changed", G_CALLBACK (stage_editor_update),
                            editor);
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (editor->name_row));

  /* A stage keeps its kind: the deals in it have the kind's status. */
  if (stage == NULL)
    {
      g_autoptr (GtkStringList) kinds = gtk_string_list_new (NULL);

      for (CrmStageKind kind = CRM_STAGE_OPEN; kind <= CRM_STAGE_LOST; kind++)
        gtk_string_list_append (kinds, stage_kind_label (kind));
      editor->kind_row = ADW_COMBO_ROW (adw_combo_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (editor->kind_row), _("_Kind"));
      adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (editor->kind_row), TRUE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (editor->kind_row),
                                   _("Deals in a won or lost stage are closed"));
      adw_combo_row_set_model (editor->kind_row, G_LIST_MODEL (kinds));
      gtk_widget_set_name (GTK_WIDGET (editor->kind_row), "kind-row");
      g_signal_connect_swapped (editor->kind_row, "notify::selected",
                                G_CALLBACK (on_stage_kind_selected), editor);
      gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (editor->kind_row));
    }

  editor->probability_spin = add_spin_row (list, _("_Win Probability (%)"),
                                           _("How likely a deal in this stage is to be won"),
                                           _("Win probability in percent"),
                                           "probability-spin", 100,
                                           stage != NULL ? stage->probability : 10, NULL);
  editor->idle_spin = add_spin_row (list, _("_Idle After (Days)"),
                                    _("0: deals in this stage never count as idle"),
                                    _("Days before a deal counts as idle"),
                                    "idle-spin", 3650, stage != NULL ? stage->idle_days : 0,
                                    &editor->idle_row);

  stage_editor_update (editor);
  gtk_window_present (editor->dialog.window);
  gtk_widget_grab_focus (GTK_WIDGET (editor->name_row));
}

/* Removing a stage */

static void
stage_removal_free (StageRemoval *removal)
{
  g_clear_object (&removal->self);
  g_free (removal->name);
  g_clear_pointer (&removal->targets, g_ptr_array_unref);
  g_free (removal);
}

static void
remove_stage (CrmPipelinePage *self,
              gint64           id,
              const char      *name,
              gint64           move_to)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;

  if (!crm_stage_remove (self->store, id, move_to, &error))
    {
      crm_preferences_show_error (GTK_WIDGET (self), error);
      return;
    }

  message = g_strdup_printf (_("Removed “%s”"), name);
  crm_preferences_show_toast (GTK_WIDGET (self), message);
}

static CrmStage *
removal_target (StageRemoval *removal)
{
  guint selected = adw_combo_row_get_selected (removal->move_row);

  if (selected >= removal->targets->len)
    return NULL;

  return g_ptr_array_index (removal->targets, selected);
}

/* A lost stage takes only deals with a lost reason: the store refuses the
 * others, and the dialog says so before the user tries. */
static void
on_move_target_selected (AdwMessageDialog *dialog)
{
  StageRemoval *removal = g_object_get_data (G_OBJECT (dialog), "crm-removal");
  CrmStage *target = removal_target (removal);
  gboolean refused = target != NULL && target->kind == CRM_STAGE_LOST
                     && removal->without_reason > 0;

  if (refused)
    {
      guint n = (guint) MIN (removal->without_reason, G_MAXUINT);
      g_autofree char *message = NULL;

      /* Translators: %'u is a number, written with the thousands separator of the language. */
      message = g_strdup_printf (ngettext ("%'u deal here has no lost reason, and lost stage "
                                           "“%s” takes only deals with one. Choose another "
                                           "stage.",
                                           "%'u deals here have no lost reason, and lost stage "
                                           "“%s” takes only deals with one. Choose another "
                                           "stage.",
                                           n),
                                 n, target->name);
      set_message (removal->warning_label, message, TRUE);
    }
  else
    {
      set_message (removal->warning_label, NULL, TRUE);
    }

  adw_message_dialog_set_response_enabled (dialog, "remove", target != NULL && !refused);
}

static void
on_remove_stage_response (AdwMessageDialog *dialog,
                          const char       *response,
                          CrmPipelinePage  *self)
{
  StageRemoval *removal = g_object_get_data (G_OBJECT (dialog), "crm-removal");
  CrmStage *target = removal_target (removal);

  if (g_str_equal (response, "remove") && target != NULL)
    remove_stage (self, removal->id, removal->name, target->id);
}

static void
ask_remove_stage (CrmPipelinePage *self,
                  const CrmStage  *stage,
                  GPtrArray       *targets,
                  guint            preferred,
                  gint64           n_deals,
                  gint64           without_reason)
{
  StageRemoval *removal = g_new0 (StageRemoval, 1);
  g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);
  g_autofree char *heading = g_strdup_printf (_("Remove “%s”?"), stage->name);
  g_autofree char *body = NULL;
  guint n = (guint) MIN (n_deals, G_MAXUINT);
  GtkWidget *dialog, *box, *list;

  removal->self = g_object_ref (self);
  removal->id = stage->id;
  removal->name = g_strdup (stage->name);
  removal->targets = g_ptr_array_ref (targets);
  removal->without_reason = without_reason;

  /* Translators: %'u is a number, written with the thousands separator of the language. */
  body = g_strdup_printf (ngettext ("%'u deal is in this stage. Choose the stage it moves to.",
                                    "%'u deals are in this stage. Choose the stage they move to.",
                                    n),
                          n);
  dialog = crm_preferences_new_confirm_dialog (GTK_WIDGET (self), "remove-stage-dialog", heading,
                                               body, "remove", _("_Remove"),
                                               ADW_RESPONSE_DESTRUCTIVE);
  g_object_set_data_full (G_OBJECT (dialog), "crm-removal", removal,
                          (GDestroyNotify) stage_removal_free);

  for (guint i = 0; i < targets->len; i++)
    gtk_string_list_append (names, ((CrmStage *) g_ptr_array_index (targets, i))->name);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  list = crm_preferences_new_boxed_list (_("Where the deals go"));
  removal->move_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (removal->move_row), _("_Move Deals To"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (removal->move_row), TRUE);
  adw_combo_row_set_model (removal->move_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (removal->move_row, preferred);
  gtk_widget_set_name (GTK_WIDGET (removal->move_row), "move-to-row");
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (removal->move_row));
  gtk_box_append (GTK_BOX (box), list);
  removal->warning_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (removal->warning_label, TRUE);
  gtk_label_set_xalign (removal->warning_label, 0);
  gtk_widget_set_name (GTK_WIDGET (removal->warning_label), "move-warning");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (removal->warning_label));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);

  g_signal_connect_swapped (removal->move_row, "notify::selected",
                            G_CALLBACK (on_move_target_selected), dialog);
  on_move_target_selected (ADW_MESSAGE_DIALOG (dialog));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_stage_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The rate editor */

static void
rate_editor_free (RateEditor *editor)
{
  g_clear_object (&editor->self);
  g_free (editor->code);
  g_clear_pointer (&editor->codes, g_ptr_array_unref);
  g_free (editor);
}

static const char *
rate_editor_code (RateEditor *editor)
{
  guint selected = adw_combo_row_get_selected (editor->currency_row);

  return selected < editor->codes->len ? g_ptr_array_index (editor->codes, selected) : NULL;
}

/* The rate as the store keeps it, from what is typed (a value of the base
 * currency), or NULL when it is not a positive number. */
static char *
rate_editor_stored_rate (RateEditor *editor)
{
  const char *base = editor->self->base;
  g_autofree char *plain = parse_typed_number (gtk_editable_get_text (GTK_EDITABLE (
                                                                        editor->rate_row)));

  if (plain == NULL)
    return NULL;

  return decimal_shift (plain, crm_currency_minor_digits (base));
}

static void
rate_editor_update (RateEditor *editor)
{
  const char *code = rate_editor_code (editor);
  const char *base = editor->self->base;
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (editor->rate_row));
  g_autofree char *stored = rate_editor_stored_rate (editor);
  g_autofree char *trimmed = g_strstrip (g_strdup (typed));
  g_autofree char *title = NULL;
  gboolean blank = *trimmed == '\0';

  /* Translators: the title of the entry of an exchange rate, "Value of 1 USD in VND". */
  title = g_strdup_printf (_("_Value of 1 %s in %s"), code != NULL ? code : "", base);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (editor->rate_row), title);

  if (stored != NULL && code != NULL)
    {
      g_autofree char *preview = format_rate (code, stored, base);

      gtk_widget_remove_css_class (GTK_WIDGET (editor->rate_row), "error");
      set_message (editor->dialog.message_label, preview, FALSE);
    }
  else if (!blank)
    {
      gtk_widget_add_css_class (GTK_WIDGET (editor->rate_row), "error");
      set_message (editor->dialog.message_label,
                   _("The rate must be a positive number, such as 25400 or 1.5"), TRUE);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (editor->rate_row), "error");
      set_message (editor->dialog.message_label, NULL, FALSE);
    }

  gtk_widget_set_sensitive (editor->dialog.save_button, stored != NULL && code != NULL);
}

static void
on_rate_save_clicked (RateEditor *editor)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *stored = rate_editor_stored_rate (editor);
  const char *code = rate_editor_code (editor);

  if (stored == NULL || code == NULL)
    return;

  if (!crm_currency_set_rate (editor->self->store, code, stored, &error))
    {
      set_message (editor->dialog.message_label, error->message, TRUE);
      return;
    }

  gtk_window_destroy (editor->dialog.window);
}

/* Opens the dialog that adds a rate (@code NULL) or edits @code's. */
static void
open_rate_editor (CrmPipelinePage *self,
                  const char      *code,
                  const char      *rate)
{
  RateEditor *editor = g_new0 (RateEditor, 1);
  g_autoptr (GtkStringList) labels = gtk_string_list_new (NULL);
  g_autoptr (GHashTable) rates = NULL;
  guint selected = 0;
  gboolean chosen = FALSE;

  editor->self = g_object_ref (self);
  editor->code = g_strdup (code);
  editor->codes = g_ptr_array_new_with_free_func (g_free);

  /* A new rate offers the common currencies, the first without a rate first. */
  if (code != NULL)
    {
      g_ptr_array_add (editor->codes, g_strdup (code));
    }
  else
    {
      rates = crm_currency_rates (self->store, NULL);
      for (guint i = 0; i < G_N_ELEMENTS (common_currencies); i++)
        {
          const char *candidate = common_currencies[i].code;

          if (g_strcmp0 (candidate, self->base) == 0)
            continue;
          if (!chosen && (rates == NULL || !g_hash_table_contains (rates, candidate)))
            {
              selected = editor->codes->len;
              chosen = TRUE;
            }
          g_ptr_array_add (editor->codes, g_strdup (candidate));
        }
    }
  for (guint i = 0; i < editor->codes->len; i++)
    {
      g_autofree char *label = currency_label (g_ptr_array_index (editor->codes, i));

      gtk_string_list_append (labels, label);
    }

  new_dialog (self, &editor->dialog, "rate-editor",
              code != NULL ? _("Edit Exchange Rate") : _("New Exchange Rate"),
              code != NULL ? _("_Save") : _("_Add"),
              G_CALLBACK (on_rate_save_clicked), editor);
  g_object_set_data_full (G_OBJECT (editor->dialog.window), "crm-rate-editor", editor,
                          (GDestroyNotify) rate_editor_free);

  editor->currency_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (editor->currency_row), _("_Currency"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (editor->currency_row), TRUE);
  adw_combo_row_set_model (editor->currency_row, G_LIST_MODEL (labels));
  adw_combo_row_set_selected (editor->currency_row, selected);
  gtk_widget_set_sensitive (GTK_WIDGET (editor->currency_row), code == NULL);
  gtk_widget_set_name (GTK_WIDGET (editor->currency_row), "currency-row");
  g_signal_connect_swapped (editor->currency_row, "notify::selected",
                            G_CALLBACK (rate_editor_update), editor);
  gtk_list_box_append (GTK_LIST_BOX (editor->dialog.list), GTK_WIDGET (editor->currency_row));

  editor->rate_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (editor->rate_row), TRUE);
  adw_entry_row_set_activates_default (editor->rate_row, TRUE);
  gtk_widget_set_name (GTK_WIDGET (editor->rate_row), "rate-row");
  if (rate != NULL)
    {
      g_autofree char *major = decimal_shift (rate, -crm_currency_minor_digits (self->base));
      g_autofree char *shown = decimal_for_display (major);

      gtk_editable_set_text (GTK_EDITABLE (editor->rate_row), shown);
    }
  g_signal_connect_swapped (editor->rate_row, "changed", G_CALLBACK (rate_editor_update), editor);
  gtk_list_box_append (GTK_LIST_BOX (editor->dialog.list), GTK_WIDGET (editor->rate_row));

  rate_editor_update (editor);
  gtk_window_present (editor->dialog.window);
  gtk_widget_grab_focus (GTK_WIDGET (editor->rate_row));
}

/* Removing a rate */

static void
forget_removed_rate (CrmPipelinePage *self)
{
  crm_preferences_dismiss_toast (&self->undo_toast);
  g_clear_pointer (&self->removed_code, g_free);
  g_clear_pointer (&self->removed_rate, g_free);
}

/* The add-pipeline dialog */

static void
on_pipeline_entry_changed (GtkEditable      *entry,
                           AdwMessageDialog *dialog)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "add", *name != '\0');
}

static void
on_add_pipeline_response (AdwMessageDialog *dialog,
                          const char       *response,
                          CrmPipelinePage  *self)
{
  g_autoptr (GError) error = NULL;
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "crm-entry");
  gint64 id;

  if (!g_str_equal (response, "add"))
    return;

  id = crm_pipeline_create (self->store, gtk_editable_get_text (entry), &error);
  if (id == 0)
    {
      crm_preferences_show_error (GTK_WIDGET (self), error);
      return;
    }

  /* The new pipeline is the one shown, ready for its stages. */
  self->pipeline_id = id;
  reload_pipelines (self);
}

/* Actions */

/* The stage @id of the pipeline shown, or NULL with a toast saying why;
 * the stage belongs to *@pipeline_out. */
static CrmStage *
find_stage (CrmPipelinePage  *self,
            gint64            id,
            CrmPipeline     **pipeline_out,
            guint            *index_out)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmPipeline) pipeline = crm_pipeline_load (self->store, self->pipeline_id, &error);

  if (pipeline == NULL)
    {
      crm_preferences_show_error (GTK_WIDGET (self), error);
      return NULL;
    }

  for (guint i = 0; i < pipeline->stages->len; i++)
    {
      CrmStage *stage = g_ptr_array_index (pipeline->stages, i);

      if (stage->id == id)
        {
          if (index_out != NULL)
            *index_out = i;
          *pipeline_out = g_steal_pointer (&pipeline);
          return stage;
        }
    }

  return NULL;
}

static void
add_pipeline_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CrmPipelinePage *self = CRM_PIPELINE_PAGE (widget);
  GtkWidget *dialog, *entry;

  dialog = adw_message_dialog_new (crm_preferences_get_parent_window (GTK_WIDGET (self)),
                                   _("New Pipeline"),
                                   _("A board of its own, for another kind of sale"));
  gtk_widget_set_name (dialog, "add-pipeline-dialog");
  entry = gtk_entry_new ();
  gtk_widget_set_name (entry, "pipeline-name-entry");
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Name"));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Name of the pipeline"),
                                  -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "add", _("_Add"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "add",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "add", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "add");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "crm-entry", entry);
  g_signal_connect (entry, "changed", G_CALLBACK (on_pipeline_entry_changed), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_add_pipeline_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
add_stage_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CrmPipelinePage *self = CRM_PIPELINE_PAGE (widget);

  if (self->pipeline_id > 0)
    open_stage_editor (self, NULL);
}

static void
edit_stage_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  CrmPipelinePage *self = CRM_PIPELINE_PAGE (widget);
  g_autoptr (CrmPipeline) pipeline = NULL;
  CrmStage *stage = find_stage (self, g_variant_get_int64 (parameter), &pipeline, NULL);

  if (stage != NULL)
    open_stage_editor (self, stage);
}

static void
remove_stage_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CrmPipelinePage *self = CRM_PIPELINE_PAGE (widget);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmPipeline) pipeline = NULL;
  g_autoptr (GPtrArray) targets = NULL;
  CrmStage *stage;
  gint64 n_deals, without_reason = 0;
  guint index = 0, preferred;

  stage = find_stage (self, g_variant_get_int64 (parameter), &pipeline, &index);
  if (stage == NULL || pipeline->stages->len < 2)
    return;

  n_deals = crm_stage_count_deals (self->store, stage->id, &without_reason, &error);
  if (n_deals < 0)
    {
      crm_preferences_show_error (GTK_WIDGET (self), error);
      return;
    }

  /* The stages the deals can go to, the one before it first offered. */
  targets = g_ptr_array_new ();
  for (guint i = 0; i < pipeline->stages->len; i++)
    {
      if (i != index)
        g_ptr_array_add (targets, g_ptr_array_index (pipeline->stages, i));
    }
  preferred = index > 0 ? index - 1 : 0;

  if (n_deals == 0)
    remove_stage (self, stage->id, stage->name,
                  ((CrmStage *) g_ptr_array_index (targets, preferred))->id);
  else
    {
      /* The dialog outlives this pipeline: the stages it offers are its own. */
      GPtrArray *copies = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_stage_free);

      for (guint i = 0; i < targets->len; i++)
        {
          CrmStage *target = g_ptr_array_index (targets, i);
          CrmStage *copy = g_memdup2 (target, sizeof *target);

          copy->name = g_strdup (target->name);
          g_ptr_array_add (copies, copy);
        }
      ask_remove_stage (self, stage, copies, preferred, n_deals, without_reason);
      g_ptr_array_unref (copies);
    }
}

static void
move_stage_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  CrmPipelinePage *self = CRM_PIPELINE_PAGE (widget);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmPipeline) pipeline = NULL;
  g_autoptr (GArray) order = g_array_new (FALSE, FALSE, sizeof (gint64));
  int delta = g_str_equal (action_name, "pipeline-page.move-stage-up") ? -1 : 1;
  guint index = 0;
  CrmStage *stage;

  stage = find_stage (self, g_variant_get_int64 (parameter), &pipeline, &index);
  if (stage == NULL || (int) index + delta < 0 || index + delta >= pipeline->stages->len)
    return;

  for (guint i = 0; i < pipeline->stages->len; i++)
    g_array_append_val (order, ((CrmStage *) g_ptr_array_index (pipeline->stages, i))->id);
  g_array_index (order, gint64, index) = g_array_index (order, gint64, index + delta);
  g_array_index (order, gint64, index + delta) = stage->id;

  if (!crm_stages_reorder (self->store, pipeline->id, (const gint64 *) order->data, order->len,
                           &error))
    crm_preferences_show_error (GTK_WIDGET (self), error);
}

static void
add_rate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  open_rate_editor (CRM_PIPELINE_PAGE (widget), NULL, NULL);
}

/* The stored rate of @code, or NULL with a toast saying why. */
static char *
find_rate (CrmPipelinePage *self,
           const char      *code)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) rates = crm_currency_rates (self->store, &error);

  if (rates == NULL)
    {
      crm_preferences_show_error (GTK_WIDGET (self), error);
      return NULL;
    }

  return g_strdup (g_hash_table_lookup (rates, code));
}

static void
edit_rate_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CrmPipelinePage *self = CRM_PIPELINE_PAGE (widget);
  const char *code = g_variant_get_string (parameter, NULL);
  g_autofree char *rate = find_rate (self, code);

  if (rate != NULL)
    open_rate_editor (self, code, rate);
}

static void
remove_rate_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CrmPipelinePage *self = CRM_PIPELINE_PAGE (widget);
  g_autoptr (GError) error = NULL;
  const char *code = g_variant_get_string (parameter, NULL);
  g_autofree char *rate = find_rate (self, code);
  g_autofree char *title = NULL;

  if (rate == NULL)
    return;

  if (!crm_currency_set_rate (self->store, code, NULL, &error))
    {
      crm_preferences_show_error (GTK_WIDGET (self), error);
      return;
    }

  forget_removed_rate (self);
  self->removed_code = g_strdup (code);
  self->removed_rate = g_steal_pointer (&rate);
  title = g_strdup_printf (_("Removed the %s rate"), code);
  self->undo_toast = crm_preferences_add_undo_toast (GTK_WIDGET (self), title,
                                                     "pipeline-page.undo-remove-rate");
}

static void
undo_remove_rate_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  CrmPipelinePage *self = CRM_PIPELINE_PAGE (widget);
  g_autoptr (GError) error = NULL;
  g_autofree char *code = g_steal_pointer (&self->removed_code);
  g_autofree char *rate = g_steal_pointer (&self->removed_rate);

  forget_removed_rate (self);
  if (code == NULL)
    return;

  if (!crm_currency_set_rate (self->store, code, rate, &error))
    crm_preferences_show_error (GTK_WIDGET (self), error);
}

/* GObject */

static void
on_pipelines_changed (CrmPipelinePage *self)
{
  reload_pipelines (self);
}

static void
on_currency_changed (CrmPipelinePage *self)
{
  reload_currencies (self);
}

static void
crm_pipeline_page_constructed (GObject *object)
{
  CrmPipelinePage *self = CRM_PIPELINE_PAGE (object);

  G_OBJECT_CLASS (crm_pipeline_page_parent_class)->constructed (object);

  g_signal_connect_object (self->store, "changed::pipeline",
                           G_CALLBACK (on_pipelines_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "changed::stage",
                           G_CALLBACK (on_pipelines_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "changed::currency",
                           G_CALLBACK (on_currency_changed), self, G_CONNECT_SWAPPED);
  reload_pipelines (self);
  reload_currencies (self);
}

static void
crm_pipeline_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CrmPipelinePage *self = CRM_PIPELINE_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_pipeline_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CrmPipelinePage *self = CRM_PIPELINE_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_pipeline_page_dispose (GObject *object)
{
  CrmPipelinePage *self = CRM_PIPELINE_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_PIPELINE_PAGE);
  g_clear_pointer (&self->stage_rows, g_ptr_array_unref);
  g_clear_pointer (&self->rate_rows, g_ptr_array_unref);
  g_clear_pointer (&self->pipeline_ids, g_array_unref);
  g_clear_pointer (&self->base_codes, g_ptr_array_unref);
  g_clear_object (&self->pipeline_names);
  g_clear_object (&self->base_names);
  /* The toast goes with the window; it needs no dismissing. */
  g_clear_object (&self->undo_toast);
  forget_removed_rate (self);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (crm_pipeline_page_parent_class)->dispose (object);
}

static void
crm_pipeline_page_finalize (GObject *object)
{
  CrmPipelinePage *self = CRM_PIPELINE_PAGE (object);

  g_free (self->pipeline_name);
  g_free (self->base);

  G_OBJECT_CLASS (crm_pipeline_page_parent_class)->finalize (object);
}

static void
crm_pipeline_page_class_init (CrmPipelinePageClass *klass)
{
  static const CrmPreferencesAction actions[] = {
    { "pipeline-page.add-pipeline", NULL, add_pipeline_action },
    { "pipeline-page.add-stage", NULL, add_stage_action },
    /* The parameter is the stage's id. */
    { "pipeline-page.edit-stage", "x", edit_stage_action },
    { "pipeline-page.remove-stage", "x", remove_stage_action },
    { "pipeline-page.move-stage-up", "x", move_stage_action },
    { "pipeline-page.move-stage-down", "x", move_stage_action },
    { "pipeline-page.add-rate", NULL, add_rate_action },
    /* The parameter is the rate's currency code. */
    { "pipeline-page.edit-rate", "s", edit_rate_action },
    { "pipeline-page.remove-rate", "s", remove_rate_action },
    { "pipeline-page.undo-remove-rate", NULL, undo_remove_rate_action },
  };
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = crm_pipeline_page_constructed;
  object_class->set_property = crm_pipeline_page_set_property;
  object_class->get_property = crm_pipeline_page_get_property;
  object_class->dispose = crm_pipeline_page_dispose;
  object_class->finalize = crm_pipeline_page_finalize;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         CRM_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/crm-pipeline-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmPipelinePage, pipeline_row);
  gtk_widget_class_bind_template_child (widget_class, CrmPipelinePage, pipeline_name_row);
  gtk_widget_class_bind_template_child (widget_class, CrmPipelinePage, add_pipeline_row);
  gtk_widget_class_bind_template_child (widget_class, CrmPipelinePage, stage_list);
  gtk_widget_class_bind_template_child (widget_class, CrmPipelinePage, add_stage_row);
  gtk_widget_class_bind_template_child (widget_class, CrmPipelinePage, base_currency_row);
  gtk_widget_class_bind_template_child (widget_class, CrmPipelinePage, rate_list);
  gtk_widget_class_bind_template_child (widget_class, CrmPipelinePage, add_rate_row);
  gtk_widget_class_bind_template_callback (widget_class, on_pipeline_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_pipeline_name_applied);
  gtk_widget_class_bind_template_callback (widget_class, on_base_currency_selected);

  crm_preferences_install_actions (widget_class, actions, G_N_ELEMENTS (actions));
}

static void
crm_pipeline_page_init (CrmPipelinePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->pipeline_names = gtk_string_list_new (NULL);
  self->pipeline_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->base_names = gtk_string_list_new (NULL);
  self->base_codes = g_ptr_array_new_with_free_func (g_free);
  self->stage_rows = g_ptr_array_new ();
  self->rate_rows = g_ptr_array_new ();
  adw_combo_row_set_model (self->pipeline_row, G_LIST_MODEL (self->pipeline_names));
  adw_combo_row_set_model (self->base_currency_row, G_LIST_MODEL (self->base_names));
  crm_preferences_set_focus_key (GTK_WIDGET (self->add_stage_row), "stage:add");
  crm_preferences_set_focus_key (GTK_WIDGET (self->add_rate_row), "rate:add");
}

/**
 * crm_pipeline_page_new:
 * @store: the open workspace
 *
 * The preferences page that edits the pipelines, their stages, the base
 * currency and the exchange rates.
 */
CrmPipelinePage *
crm_pipeline_page_new (CrmStore *store)
{
  g_return_val_if_fail (CRM_IS_STORE (store), NULL);

  return g_object_new (CRM_TYPE_PIPELINE_PAGE, "store", store, NULL);
}

CrmStore *
crm_pipeline_page_get_store (CrmPipelinePage *self)
{
  g_return_val_if_fail (CRM_IS_PIPELINE_PAGE (self), NULL);

  return self->store;
}

gint64
crm_pipeline_page_get_pipeline_id (CrmPipelinePage *self)
{
  g_return_val_if_fail (CRM_IS_PIPELINE_PAGE (self), 0);

  return self->pipeline_id;
}
