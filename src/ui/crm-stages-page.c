/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-stages-page"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-fields.h"
#include "crm-preferences-util.h"
#include "crm-stages-page.h"

#define N_KINDS (CRM_STATUS_LEAD_STATUS + 1)

struct _CrmStagesPage
{
  AdwPreferencesPage parent_instance;

  /* template widgets */
  GtkListBox  *lifecycle_list;
  GtkListBox  *lead_list;
  AdwEntryRow *lifecycle_add_row;
  AdwEntryRow *lead_add_row;
  GtkButton   *lifecycle_add_button;
  GtkButton   *lead_add_button;

  /* owned references */
  CrmStore  *store;
  GPtrArray *rows[N_KINDS];   /* the rows of each list, in order */
};

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CrmStagesPage, crm_stages_page, ADW_TYPE_PREFERENCES_PAGE)

/* Helpers */

static GtkListBox *
get_list (CrmStagesPage *self,
          CrmStatusKind  kind)
{
  return kind == CRM_STATUS_LIFECYCLE_STAGE ? self->lifecycle_list : self->lead_list;
}

/* Rows */

static void
on_row_applied (AdwEntryRow   *row,
                CrmStagesPage *self)
{
  g_autoptr (GError) error = NULL;
  CrmStatusKind kind = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "crm-kind"));
  const char *shown = g_object_get_data (G_OBJECT (row), "crm-name");

  if (crm_status_rename (self->store, kind, crm_preferences_get_id (row),
                         gtk_editable_get_text (GTK_EDITABLE (row)), &error))
    return;

  crm_preferences_show_error (GTK_WIDGET (self), error);
  gtk_editable_set_text (GTK_EDITABLE (row), shown);
}

static GtkWidget *
new_status_row (CrmStagesPage   *self,
                CrmStatusKind    kind,
                const CrmStatus *status,
                guint            index,
                gboolean         last)
{
  const char *name = crm_status_get_display_name (status);
  GtkWidget *row = adw_entry_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  g_autofree char *title = NULL;
  g_autofree char *prefix = g_strdup_printf ("%s:%" G_GINT64_FORMAT,
                                             crm_status_kind_to_table (kind), status->id);
  g_autofree char *key = g_strconcat (prefix, ":name", NULL);
  g_autofree char *remove = g_strdup_printf (_("Remove “%s”"), name);

  /* Translators: the title of the n-th row of a list of lifecycle stages or lead statuses. */
  title = kind == CRM_STATUS_LIFECYCLE_STAGE ? g_strdup_printf (_("Stage %u"), index + 1)
                                             : g_strdup_printf (_("Status %u"), index + 1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), name);
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (row), TRUE);
  gtk_widget_set_name (row, "status-row");
  crm_preferences_set_focus_key (row, key);
  crm_preferences_set_id (row, status->id);
  g_object_set_data (G_OBJECT (row), "crm-kind", GUINT_TO_POINTER (kind));
  g_object_set_data_full (G_OBJECT (row), "crm-name", g_strdup (name), g_free);
  g_signal_connect (row, "apply", G_CALLBACK (on_row_applied), self);

  crm_preferences_append_move_buttons (GTK_BOX (box), prefix, name, index == 0, last,
                                       "stages.move-up", "stages.move-down",
                                       g_variant_new ("(ux)", kind, status->id));
  gtk_box_append (GTK_BOX (box),
                  crm_preferences_new_row_button (prefix, "user-trash-symbolic", _("Remove"),
                                                  remove, "remove-button", "stages.remove",
                                                  g_variant_new ("(ux)", kind, status->id)));
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), box);

  return row;
}

static void
reload_kind (CrmStagesPage *self,
             CrmStatusKind  kind)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) statuses = NULL;
  GtkListBox *list = get_list (self, kind);
  GPtrArray *rows = self->rows[kind];

  crm_preferences_clear_rows (list, rows);

  statuses = crm_statuses_list (self->store, kind, &error);
  if (statuses == NULL)
    {
      g_warning ("Cannot list the %s rows: %s", crm_status_kind_to_table (kind), error->message);
      return;
    }

  for (guint i = 0; i < statuses->len; i++)
    {
      GtkWidget *row = new_status_row (self, kind, g_ptr_array_index (statuses, i), i,
                                       i + 1 == statuses->len);

      gtk_list_box_insert (list, row, i);
      g_ptr_array_add (rows, row);
    }
}

static void
reload (CrmStagesPage *self,
        CrmStatusKind  kind)
{
  g_autofree char *focus = crm_preferences_remember_focus (GTK_WIDGET (self));

  reload_kind (self, kind);
  crm_preferences_restore_focus (GTK_WIDGET (self), focus);
}

static void
on_lifecycle_changed (CrmStagesPage *self)
{
  reload (self, CRM_STATUS_LIFECYCLE_STAGE);
}

static void
on_lead_status_changed (CrmStagesPage *self)
{
  reload (self, CRM_STATUS_LEAD_STATUS);
}

/* Adding */

static void
add_from_row (CrmStagesPage *self,
              CrmStatusKind  kind)
{
  g_autoptr (GError) error = NULL;
  AdwEntryRow *row = kind == CRM_STATUS_LIFECYCLE_STAGE ? self->lifecycle_add_row
                                                        : self->lead_add_row;
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  if (*name == '\0')
    return;

  if (crm_status_add (self->store, kind, name, &error) == 0)
    {
      crm_preferences_show_error (GTK_WIDGET (self), error);
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (row), "");
}

static void
on_add_row_activated (CrmStagesPage *self,
                      AdwEntryRow   *row)
{
  add_from_row (self, row == self->lifecycle_add_row ? CRM_STATUS_LIFECYCLE_STAGE
                                                     : CRM_STATUS_LEAD_STATUS);
}

static void
on_add_button_clicked (CrmStagesPage *self,
                       GtkButton     *button)
{
  add_from_row (self, button == self->lifecycle_add_button ? CRM_STATUS_LIFECYCLE_STAGE
                                                           : CRM_STATUS_LEAD_STATUS);
}

/* Removing */

static void
remove_status (CrmStagesPage *self,
               CrmStatusKind  kind,
               gint64         id,
               const char    *name)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;

  if (!crm_status_delete (self->store, kind, id, &error))
    {
      crm_preferences_show_error (GTK_WIDGET (self), error);
      return;
    }

  message = g_strdup_printf (_("Removed “%s”"), name);
  crm_preferences_show_toast (GTK_WIDGET (self), message);
}

static void
on_remove_response (AdwMessageDialog *dialog,
                    const char       *response,
                    CrmStagesPage    *self)
{
  if (!g_str_equal (response, "remove"))
    return;

  remove_status (self,
                 GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (dialog), "crm-kind")),
                 crm_preferences_get_id (dialog),
                 g_object_get_data (G_OBJECT (dialog), "crm-name"));
}

static void
ask_remove_status (CrmStagesPage *self,
                   CrmStatusKind  kind,
                   gint64         id,
                   const char    *name,
                   gint64         n_contacts)
{
  g_autofree char *heading = g_strdup_printf (_("Remove “%s”?"), name);
  g_autofree char *body = NULL;
  guint n = (guint) MIN (n_contacts, G_MAXUINT);
  GtkWidget *dialog;

  if (kind == CRM_STATUS_LIFECYCLE_STAGE)
    /* Translators: %'u is a number, written with the thousands separator of the language. */
    body = g_strdup_printf (ngettext ("%'u contact is at this stage. It will have no lifecycle "
                                      "stage.",
                                      "%'u contacts are at this stage. They will have no "
                                      "lifecycle stage.",
                                      n),
                            n);
  else
    /* Translators: %'u is a number, written with the thousands separator of the language. */
    body = g_strdup_printf (ngettext ("%'u contact has this lead status. It will have none.",
                                      "%'u contacts have this lead status. They will have none.",
                                      n),
                            n);

  dialog = crm_preferences_new_confirm_dialog (GTK_WIDGET (self), "remove-status-dialog",
                                               heading, body, "remove", _("_Remove"),
                                               ADW_RESPONSE_DESTRUCTIVE);
  crm_preferences_set_id (dialog, id);
  g_object_set_data (G_OBJECT (dialog), "crm-kind", GUINT_TO_POINTER (kind));
  g_object_set_data_full (G_OBJECT (dialog), "crm-name", g_strdup (name), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Actions */

/* The row of @kind with @id, or NULL with a toast saying why. */
static CrmStatus *
find_status (CrmStagesPage  *self,
             CrmStatusKind   kind,
             gint64          id,
             GPtrArray     **statuses_out,
             guint          *index_out)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) statuses = crm_statuses_list (self->store, kind, &error);

  if (statuses == NULL)
    {
      crm_preferences_show_error (GTK_WIDGET (self), error);
      return NULL;
    }

  for (guint i = 0; i < statuses->len; i++)
    {
      CrmStatus *status = g_ptr_array_index (statuses, i);

      if (status->id == id)
        {
          if (index_out != NULL)
            *index_out = i;
          if (statuses_out != NULL)
            *statuses_out = g_ptr_array_ref (statuses);
          return crm_status_copy (status);
        }
    }

  return NULL;
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CrmStagesPage *self = CRM_STAGES_PAGE (widget);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmStatus) status = NULL;
  CrmStatusKind kind;
  guint32 kind_number;
  gint64 id, n_contacts;

  g_variant_get (parameter, "(ux)", &kind_number, &id);
  if (kind_number >= N_KINDS)
    return;
  kind = kind_number;

  status = find_status (self, kind, id, NULL, NULL);
  if (status == NULL)
    return;

  n_contacts = crm_status_count_contacts (self->store, kind, id, &error);
  if (n_contacts < 0)
    crm_preferences_show_error (GTK_WIDGET (self), error);
  else if (n_contacts > 0)
    ask_remove_status (self, kind, id, crm_status_get_display_name (status), n_contacts);
  else
    remove_status (self, kind, id, crm_status_get_display_name (status));
}

static void
move_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CrmStagesPage *self = CRM_STAGES_PAGE (widget);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmStatus) status = NULL;
  g_autoptr (GPtrArray) statuses = NULL;
  g_autoptr (GArray) order = g_array_new (FALSE, FALSE, sizeof (gint64));
  int delta = g_str_equal (action_name, "stages.move-up") ? -1 : 1;
  CrmStatusKind kind;
  guint32 kind_number;
  guint index = 0;
  gint64 id;

  g_variant_get (parameter, "(ux)", &kind_number, &id);
  if (kind_number >= N_KINDS)
    return;
  kind = kind_number;

  status = find_status (self, kind, id, &statuses, &index);
  if (status == NULL || (int) index + delta < 0 || index + delta >= statuses->len)
    return;

  for (guint i = 0; i < statuses->len; i++)
    g_array_append_val (order, ((CrmStatus *) g_ptr_array_index (statuses, i))->id);
  g_array_index (order, gint64, index) = g_array_index (order, gint64, index + delta);
  g_array_index (order, gint64, index + delta) = id;

  if (!crm_statuses_reorder (self->store, kind, (const gint64 *) order->data, order->len,
                             &error))
    crm_preferences_show_error (GTK_WIDGET (self), error);
}

/* GObject */

static void
crm_stages_page_constructed (GObject *object)
{
  CrmStagesPage *self = CRM_STAGES_PAGE (object);

  G_OBJECT_CLASS (crm_stages_page_parent_class)->constructed (object);

  g_signal_connect_object (self->store, "changed::lifecycle_stage",
                           G_CALLBACK (on_lifecycle_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "changed::lead_status",
                           G_CALLBACK (on_lead_status_changed), self, G_CONNECT_SWAPPED);
  reload_kind (self, CRM_STATUS_LIFECYCLE_STAGE);
  reload_kind (self, CRM_STATUS_LEAD_STATUS);
}

static void
crm_stages_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  CrmStagesPage *self = CRM_STAGES_PAGE (object);

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
crm_stages_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CrmStagesPage *self = CRM_STAGES_PAGE (object);

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
crm_stages_page_dispose (GObject *object)
{
  CrmStagesPage *self = CRM_STAGES_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CRM_TYPE_STAGES_PAGE);
  for (guint i = 0; i < N_KINDS; i++)
    g_clear_pointer (&self->rows[i], g_ptr_array_unref);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (crm_stages_page_parent_class)->dispose (object);
}

static void
crm_stages_page_class_init (CrmStagesPageClass *klass)
{
  /* The parameter is (kind, id): CrmStatusKind and the row's id. */
  static const CrmPreferencesAction actions[] = {
    { "stages.remove", "(ux)", remove_action },
    { "stages.move-up", "(ux)", move_action },
    { "stages.move-down", "(ux)", move_action },
  };
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = crm_stages_page_constructed;
  object_class->set_property = crm_stages_page_set_property;
  object_class->get_property = crm_stages_page_get_property;
  object_class->dispose = crm_stages_page_dispose;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         CRM_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/crm-stages-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrmStagesPage, lifecycle_list);
  gtk_widget_class_bind_template_child (widget_class, CrmStagesPage, lead_list);
  gtk_widget_class_bind_template_child (widget_class, CrmStagesPage, lifecycle_add_row);
  gtk_widget_class_bind_template_child (widget_class, CrmStagesPage, lead_add_row);
  gtk_widget_class_bind_template_child (widget_class, CrmStagesPage, lifecycle_add_button);
  gtk_widget_class_bind_template_child (widget_class, CrmStagesPage, lead_add_button);
  gtk_widget_class_bind_template_callback (widget_class, on_add_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_add_button_clicked);

  crm_preferences_install_actions (widget_class, actions, G_N_ELEMENTS (actions));
}

static void
crm_stages_page_init (CrmStagesPage *self)
{
  g_autofree char *lifecycle_key = g_strconcat (crm_status_kind_to_table (CRM_STATUS_LIFECYCLE_STAGE),
                                                ":add", NULL);
  g_autofree char *lead_key = g_strconcat (crm_status_kind_to_table (CRM_STATUS_LEAD_STATUS),
                                           ":add", NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < N_KINDS; i++)
    self->rows[i] = g_ptr_array_new ();
  crm_preferences_set_focus_key (GTK_WIDGET (self->lifecycle_add_row), lifecycle_key);
  crm_preferences_set_focus_key (GTK_WIDGET (self->lead_add_row), lead_key);
}

/**
 * crm_stages_page_new:
 * @store: the open workspace
 *
 * The preferences page that edits the lifecycle stages and lead statuses.
 */
CrmStagesPage *
crm_stages_page_new (CrmStore *store)
{
  g_return_val_if_fail (CRM_IS_STORE (store), NULL);

  return g_object_new (CRM_TYPE_STAGES_PAGE, "store", store, NULL);
}

CrmStore *
crm_stages_page_get_store (CrmStagesPage *self)
{
  g_return_val_if_fail (CRM_IS_STAGES_PAGE (self), NULL);

  return self->store;
}
