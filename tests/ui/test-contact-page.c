/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/stat.h>

#include "crm-company-page.h"
#include "crm-company.h"
#include "crm-contact-page.h"
#include "crm-contact.h"
#include "crm-contacts.h"
#include "crm-format.h"
#include "crm-key.h"
#include "crm-test-util.h"

#define DAY (24 * 60 * 60)

typedef struct
{
  char       *dir;
  CrmStore   *store;
  GtkWindow  *window;
  GtkWidget  *page;
  GPtrArray  *toasts;
  GPtrArray  *activated;   /* "action-name target" of the contacts.* actions */
  gint64      contact_id;
  gint64      company_id;
  gint64      deal_id;
} Fixture;

/* Runs the main loop until @condition holds or five seconds have passed. */
#define WAIT_FOR(condition) CRM_TEST_WAIT_FOR_MS (condition, 5000)

static void
run_pending (void)
{
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

static gpointer
template_child (Fixture    *f,
                const char *name)
{
  return gtk_widget_get_template_child (f->page, G_OBJECT_TYPE (f->page), name);
}

static void
exec (Fixture    *f,
      const char *sql)
{
  g_autoptr (GError) error = NULL;

  crm_store_exec (f->store, sql, &error);
  g_assert_no_error (error);
}

static void
execf (Fixture    *f,
       const char *format,
       ...) G_GNUC_PRINTF (2, 3);

static void
execf (Fixture    *f,
       const char *format,
       ...)
{
  g_autofree char *sql = NULL;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  exec (f, sql);
}

static gint64
query_int (Fixture    *f,
           const char *sql)
{
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt = crm_store_prepare (f->store, sql, &error);
  gint64 value;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

/* Whether @widget would be drawn: it and every parent visible, and shown
 * by its parent (a stack shows one page). */
static gboolean
is_shown (GtkWidget *widget)
{
  for (; widget != NULL; widget = gtk_widget_get_parent (widget))
    {
      if (!gtk_widget_get_visible (widget) || !gtk_widget_get_child_visible (widget))
        return FALSE;
    }

  return TRUE;
}

static GtkWidget *
find_label_in (GtkWidget  *widget,
               const char *text)
{
  if (GTK_IS_LABEL (widget) && is_shown (widget)
      && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label_in (child, text);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
find_label (Fixture    *f,
            const char *text)
{
  return find_label_in (f->page, text);
}

static guint
count_labels_in (GtkWidget  *widget,
                 const char *text)
{
  guint n = GTK_IS_LABEL (widget) && is_shown (widget)
            && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_labels_in (child, text);

  return n;
}

/* The row around the label that shows @title. */
static GtkWidget *
find_row (Fixture    *f,
          const char *title)
{
  GtkWidget *label = find_label (f, title);

  g_assert_nonnull (label);
  return gtk_widget_get_ancestor (label, ADW_TYPE_ACTION_ROW);
}

/* The figure whose caption is @caption: the label above it. */
static const char *
figure (Fixture    *f,
        const char *caption)
{
  GtkWidget *label = find_label_in (template_child (f, "figures_box"), caption);

  g_assert_nonnull (label);
  return gtk_label_get_text (GTK_LABEL (gtk_widget_get_prev_sibling (label)));
}

static const char *
visible_page (Fixture *f)
{
  return gtk_stack_get_visible_child_name (template_child (f, "stack"));
}

static gboolean
has_toast (Fixture    *f,
           const char *message)
{
  for (guint i = 0; i < f->toasts->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (f->toasts, i), message))
        return TRUE;
    }

  return FALSE;
}

static gboolean
has_activated (Fixture    *f,
               const char *what)
{
  return g_ptr_array_find_with_equal_func (f->activated, what, g_str_equal, NULL);
}

static void
on_page_toast (GtkWidget  *page,
               const char *message,
               Fixture    *f)
{
  g_ptr_array_add (f->toasts, g_strdup (message));
}

static void
record_action_cb (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  Fixture *f = user_data;

  g_ptr_array_add (f->activated,
                   g_strdup_printf ("%s %" G_GINT64_FORMAT, g_action_get_name (G_ACTION (action)),
                                    g_variant_get_int64 (parameter)));
}

/* The actions the Contacts view provides, recording what they are asked. */
static void
add_view_actions (Fixture *f)
{
  static const char *const names[] = {
    "edit", "archive", "unarchive", "open-company", "open-deal", "open-contact",
    "edit-company", "archive-company", "unarchive-company",
  };
  g_autoptr (GSimpleActionGroup) group = g_simple_action_group_new ();

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr (GSimpleAction) action = g_simple_action_new (names[i], G_VARIANT_TYPE_INT64);

      g_signal_connect (action, "activate", G_CALLBACK (record_action_cb), f);
      g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (action));
    }

  gtk_widget_insert_action_group (GTK_WIDGET (f->window), "contacts", G_ACTION_GROUP (group));
}

static void
show_page (Fixture   *f,
           GtkWidget *page)
{
  f->page = page;
  g_signal_connect (f->page, "toast", G_CALLBACK (on_page_toast), f);

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 480, 800);
  gtk_window_set_child (f->window, f->page);
  add_view_actions (f);
  gtk_window_present (f->window);

  WAIT_FOR (gtk_widget_get_mapped (f->page));
}

/* A contact with something in every group of the page, as of now. */
static void
make_contact (Fixture *f)
{
  g_autoptr (CrmContactDraft) draft = crm_contact_draft_new ();
  g_autoptr (CrmCompanyDraft) company = crm_company_draft_new ();
  g_autoptr (GError) error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  crm_company_draft_set_text (company, "name", "Công ty Minh Phát");
  crm_company_draft_set_text (company, "tax_code", "0100109106");
  crm_company_draft_set_text (company, "phone", "028 3822 1234");
  crm_company_draft_set_text (company, "website", "minhphat.vn");
  crm_company_draft_set_text (company, "province", "TP Hồ Chí Minh");
  f->company_id = crm_company_save (f->store, company, NULL, &error);
  g_assert_no_error (error);

  crm_contact_draft_set_text (draft, "family_name", "Nguyễn");
  crm_contact_draft_set_text (draft, "middle_name", "Văn");
  crm_contact_draft_set_text (draft, "given_name", "Đức");
  draft->company_id = f->company_id;
  draft->lifecycle_stage_id = query_int (f, "SELECT id FROM lifecycle_stage "
                                            "WHERE key = 'customer'");
  crm_contact_draft_set_text (draft, "job_title", "Giám đốc kinh doanh");
  crm_contact_draft_set_text (draft, "birthday", "1985-03-09");
  crm_contact_draft_set_text (draft, "preferred_channel", "zalo");
  crm_contact_draft_set_text (draft, "education", "Đại học Kinh tế");
  crm_contact_draft_set_text (draft, "owner", "Lan");
  crm_contact_draft_add_email (draft, "duc@minhphat.vn", "work");
  crm_contact_draft_add_phone (draft, "+84 903.123.456", "mobile");
  g_ptr_array_add (draft->addresses,
                   crm_contact_detail_new_address ("12 Lê Lợi", "Phường Bến Nghé", "Quận 1",
                                                   "TP Hồ Chí Minh", NULL, "work", TRUE));
  crm_contact_draft_add_link (draft, "https://zalo.me/0903123456", NULL);
  crm_contact_draft_add_tag (draft, "Đối tác");
  exec (f, "INSERT INTO custom_field (entity, key, label, type) "
           "VALUES ('contact', 'vip', 'Khách VIP', 'bool'), "
           "('contact', 'unset', 'Never set', 'text')");
  crm_contact_draft_set_custom (draft, "vip", "yes");
  f->contact_id = crm_contact_save (f->store, draft, NULL, &error);
  g_assert_no_error (error);

  /* A purchase twelve days ago is the last contact; a feedback and a
   * complaint before it. */
  execf (f,
         "INSERT INTO interaction (contact_id, kind, happened, amount, currency, subject, body, "
         "sentiment, satisfaction) VALUES "
         "(%1$lld, 'purchase', %2$lld - 12 * 86400, 12500000, 'VND', 'Đơn hàng 1', NULL, NULL, "
         " NULL), "
         "(%1$lld, 'feedback', %2$lld - 20 * 86400, NULL, NULL, 'Giao hàng nhanh', "
         " 'Nhân viên nhiệt tình', 'positive', 4), "
         "(%1$lld, 'complaint', %2$lld - 30 * 86400, NULL, NULL, 'Hoá đơn sai', NULL, "
         " 'negative', NULL)",
         (long long) f->contact_id, (long long) now);
  execf (f,
         "INSERT INTO deal (title, contact_id, company_id, stage_id, value, currency, status) "
         "VALUES ('Hợp đồng bảo trì', %lld, %lld, (SELECT min(id) FROM stage WHERE kind = 'open'), "
         "50000000, 'VND', 'open')",
         (long long) f->contact_id, (long long) f->company_id);
  f->deal_id = query_int (f, "SELECT max(id) FROM deal");
  execf (f,
         "INSERT INTO task (title, due, done, contact_id) "
         "VALUES ('Gọi lại báo giá', %lld, 0, %lld)",
         (long long) (now - 2 * DAY), (long long) f->contact_id);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) key = crm_key_generate (&error);
  g_autofree char *workspace = NULL;

  g_assert_no_error (error);
  f->dir = crm_test_make_dir ();
  workspace = g_build_filename (f->dir, "workspace", NULL);
  f->store = crm_store_create (workspace, key, &error);
  g_assert_no_error (error);
  f->toasts = g_ptr_array_new_with_free_func (g_free);
  f->activated = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->window != NULL)
    {
      GtkWidget *page = f->page;

      /* The page goes with the window, and lets go of the store. */
      g_object_add_weak_pointer (G_OBJECT (page), (gpointer *) &page);
      gtk_window_destroy (f->window);
      WAIT_FOR (page == NULL);
    }

  g_assert_finalize_object (f->store);
  g_ptr_array_unref (f->toasts);
  g_ptr_array_unref (f->activated);
  crm_test_remove_tree (f->dir);
  g_free (f->dir);
}

/* Tests */

static AdwMessageDialog *
find_message_dialog (void)
{
  g_autoptr (GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    {
      if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
        return l->data;
    }

  return NULL;
}

static void
test_format (void)
{
  static const struct {
    gint64      amount;
    const char *currency;
    const char *text;
  } money[] = {
    { 12500000, "VND", "12.500.000 ₫" },
    { 0, "VND", "0 ₫" },
    { 999, "vnd", "999 ₫" },
    { -4166667, "VND", "-4.166.667 ₫" },
    { 123450, "USD", "$1,234.50" },
    { 5, "USD", "$0.05" },
    { -100, "USD", "-$1.00" },
    { 1999, "EUR", "€19.99" },
    { 1500, "JPY", "¥1,500" },
    { 99900, "CNY", "999.00 CNY" },
    { 1234567, "KWD", "1,234.567 KWD" },
    { 1000, NULL, "1.000 ₫" },
  };
  g_autoptr (GDateTime) today = g_date_time_new_local (2026, 11, 22, 12, 0, 0);
  g_autofree char *date = crm_format_date ("2026-11-22");
  g_autofree char *bad_date = crm_format_date ("2026-02-30");
  g_autofree char *stars = crm_format_stars (4);
  g_autofree char *never = crm_format_days_ago (-1);
  g_autofree char *today_text = crm_format_days_ago (0);
  g_autofree char *twelve = crm_format_days_ago (12);
  g_autofree char *file_name = crm_format_file_name ("Nguyễn Văn Đức", "contact", "json");
  g_autofree char *odd_name = crm_format_file_name (" Công ty & Cộng sự! ", "company", "vcf");
  g_autofree char *no_name = crm_format_file_name ("!!!", "contact", "json");
  g_autofree char *yes = crm_format_custom_value ("bool", NULL, "1");
  g_autofree char *choice = crm_format_custom_value ("choice",
                                                     "[{\"key\":\"gold\",\"label\":\"Vàng\"}]",
                                                     "gold");
  g_autofree char *custom_date = crm_format_custom_value ("date", NULL, "2026-01-05");
  g_autofree char *unset = crm_format_custom_value ("text", NULL, "");

  for (guint i = 0; i < G_N_ELEMENTS (money); i++)
    {
      g_autofree char *text = crm_format_money (money[i].amount, money[i].currency);

      g_assert_cmpstr (text, ==, money[i].text);
    }

  /* The tests run in the C locale: English dates. */
  g_assert_cmpstr (date, ==, "Nov 22, 2026");
  g_assert_null (bad_date);
  g_assert_cmpstr (custom_date, ==, "Jan 5, 2026");
  g_assert_cmpstr (stars, ==, "★★★★☆");
  g_assert_null (crm_format_stars (0));
  g_assert_cmpstr (never, ==, "Never");
  g_assert_cmpstr (today_text, ==, "Today");
  g_assert_cmpstr (twelve, ==, "12 days ago");
  g_assert_cmpint (crm_format_age ("1985-03-09", today), ==, 41);
  g_assert_cmpint (crm_format_age ("1985-11-23", today), ==, 40);
  g_assert_cmpint (crm_format_age ("1985-11-22", today), ==, 41);
  g_assert_cmpint (crm_format_age ("2027-01-01", today), ==, -1);
  g_assert_cmpstr (file_name, ==, "nguyen-van-duc.json");
  g_assert_cmpstr (odd_name, ==, "cong-ty-cong-su.vcf");
  g_assert_cmpstr (no_name, ==, "contact.json");
  g_assert_cmpstr (yes, ==, "Yes");
  g_assert_cmpstr (choice, ==, "Vàng");
  g_assert_null (unset);
  g_assert_cmpstr (crm_format_channel ("in_person"), ==, "In person");
  g_assert_cmpstr (crm_format_detail_label ("mobile"), ==, "Mobile");
  g_assert_cmpstr (crm_format_detail_label ("Zalo cá nhân"), ==, "Zalo cá nhân");
  g_assert_cmpstr (crm_format_interaction_kind ("support"), ==, "Support request");
}

static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  show_page (f, crm_contact_page_new (f->store));

  g_assert_cmpint (crm_contact_page_get_contact_id (CRM_CONTACT_PAGE (f->page)), ==, 0);
  g_assert_cmpstr (visible_page (f), ==, "empty");
  g_assert_nonnull (find_label (f, "No Contact Selected"));
  /* Nothing to erase or export. */
  gtk_widget_activate_action (f->page, "page.erase", NULL);
  run_pending ();
  g_assert_null (find_message_dialog ());

  /* Someone who is not there. */
  crm_contact_page_set_contact_id (CRM_CONTACT_PAGE (f->page), 4242);
  g_assert_cmpstr (visible_page (f), ==, "missing");
  g_assert_nonnull (find_label (f, "Contact Not Found"));
  g_assert_null (crm_contact_page_get_contact (CRM_CONTACT_PAGE (f->page)));

  crm_contact_page_set_contact_id (CRM_CONTACT_PAGE (f->page), 0);
  g_assert_cmpstr (visible_page (f), ==, "empty");
}

static void
test_shows_everything (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *birthday = NULL;
  GtkWidget *subtitle;
  gint64 start;
  gint64 elapsed;

  make_contact (f);
  show_page (f, crm_contact_page_new (f->store));

  start = g_get_monotonic_time ();
  g_object_set (f->page, "contact-id", f->contact_id, NULL);
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("Loaded and built the page in %.2f ms", elapsed / 1000.0);
  g_assert_cmpstr (visible_page (f), ==, "contact");

  /* The header. */
  g_assert_cmpstr (gtk_label_get_text (template_child (f, "name_label")), ==, "Nguyễn Văn Đức");
  g_assert_cmpstr (adw_avatar_get_text (template_child (f, "avatar")), ==, "Nguyễn Văn Đức");
  subtitle = template_child (f, "subtitle_label");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (subtitle)), ==,
                   "Giám đốc kinh doanh · Công ty Minh Phát");
  g_assert_nonnull (find_label_in (template_child (f, "pills_box"), "Customer"));
  g_assert_nonnull (find_label_in (template_child (f, "pills_box"), "Đối tác"));
  g_assert_null (find_label_in (template_child (f, "pills_box"), "Archived"));

  /* Contact details: the phone written the national way, the address on
   * one line, the birthday with the age. */
  g_assert_nonnull (find_label_in (template_child (f, "identity_list"), "0903 123 456"));
  g_assert_nonnull (find_label_in (template_child (f, "identity_list"), "Mobile"));
  g_assert_nonnull (find_label_in (template_child (f, "identity_list"), "duc@minhphat.vn"));
  g_assert_nonnull (find_label_in (template_child (f, "identity_list"),
                                   "12 Lê Lợi, Phường Bến Nghé, Quận 1, TP Hồ Chí Minh"));
  birthday = g_strdup_printf ("Mar 9, 1985 (%d years old)", crm_format_age ("1985-03-09", now));
  g_assert_nonnull (find_label_in (template_child (f, "identity_list"), birthday));
  g_assert_nonnull (find_label_in (template_child (f, "identity_list"), "Zalo"));
  g_assert_nonnull (find_label_in (template_child (f, "identity_list"),
                                   "https://zalo.me/0903123456"));
  g_assert_null (find_label (f, "No phone or email yet"));

  /* Description. */
  g_assert_nonnull (find_label_in (template_child (f, "description_list"),
                                   "Giám đốc kinh doanh at Công ty Minh Phát"));
  g_assert_nonnull (find_label_in (template_child (f, "description_list"), "Đại học Kinh tế"));

  /* Figures: a complaint counts as a support request. */
  g_assert_cmpstr (figure (f, "Interactions"), ==, "3");
  g_assert_cmpstr (figure (f, "Purchases"), ==, "1");
  g_assert_cmpstr (figure (f, "Total spent"), ==, "12.500.000 ₫");
  g_assert_cmpstr (figure (f, "Average order value"), ==, "12.500.000 ₫");
  g_assert_cmpstr (figure (f, "Support requests"), ==, "1");
  g_assert_cmpstr (figure (f, "Last contact"), ==, "12 days ago");
  g_assert_cmpuint (count_labels_in (f->page, "12.500.000 ₫"), ==, 2);

  /* Notes and feedback: the latest feedback with its stars. */
  g_assert_true (gtk_widget_get_visible (template_child (f, "qualitative_group")));
  g_assert_nonnull (find_label_in (template_child (f, "qualitative_list"), "Giao hàng nhanh"));
  g_assert_nonnull (find_label_in (template_child (f, "qualitative_list"), "★★★★☆"));

  /* Sales: the deal with its value, the overdue task, no consent. */
  g_assert_nonnull (find_label_in (template_child (f, "sales_list"), "Customer"));
  g_assert_nonnull (find_label_in (template_child (f, "sales_list"), "Lan"));
  g_assert_nonnull (find_label_in (template_child (f, "sales_list"), "Hợp đồng bảo trì"));
  g_assert_nonnull (find_label_in (template_child (f, "sales_list"), "50.000.000 ₫"));
  g_assert_nonnull (find_label_in (template_child (f, "sales_list"), "Gọi lại báo giá"));
  g_assert_nonnull (find_label_in (template_child (f, "sales_list"), "Overdue"));
  g_assert_nonnull (find_label_in (template_child (f, "sales_list"), "Marketing consent"));

  /* Custom fields: the one set, as yes or no; the one never set hidden. */
  g_assert_true (gtk_widget_get_visible (template_child (f, "custom_group")));
  g_assert_nonnull (find_label_in (template_child (f, "custom_list"), "Yes"));
  g_assert_nonnull (find_label_in (template_child (f, "custom_list"), "Khách VIP"));
  g_assert_null (find_label (f, "Never set"));

  /* Empty groups hide: this contact has a description, so add one that
   * has nothing but a name. */
  {
    const CrmNewContact bare = { .family_name = "Trần", .given_name = "An" };
    g_autoptr (GError) error = NULL;
    gint64 bare_id = crm_contacts_add (f->store, &bare, &error);

    g_assert_no_error (error);
    crm_contact_page_set_contact_id (CRM_CONTACT_PAGE (f->page), bare_id);
    g_assert_cmpstr (gtk_label_get_text (template_child (f, "name_label")), ==, "Trần An");
    g_assert_nonnull (find_label (f, "No phone or email yet"));
    g_assert_false (gtk_widget_get_visible (template_child (f, "description_group")));
    g_assert_false (gtk_widget_get_visible (template_child (f, "qualitative_group")));
    g_assert_false (gtk_widget_get_visible (template_child (f, "custom_group")));
    g_assert_false (gtk_widget_get_visible (template_child (f, "subtitle_label")));
    g_assert_cmpstr (figure (f, "Last contact"), ==, "Never");
    g_assert_cmpstr (figure (f, "Interactions"), ==, "0");
    g_assert_null (find_label (f, "Total spent"));
    g_assert_nonnull (find_label_in (template_child (f, "sales_list"), "No"));
  }

  /* Back to the first: a second load of a full page stays well inside a
   * frame (the budget is 10 ms at a million contacts). */
  start = g_get_monotonic_time ();
  crm_contact_page_set_contact_id (CRM_CONTACT_PAGE (f->page), f->contact_id);
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("Loaded and rebuilt the page again in %.2f ms", elapsed / 1000.0);
  g_assert_cmpint (elapsed, <, 100 * 1000);
  g_assert_nonnull (find_label (f, "0903 123 456"));
}

static void
test_reloads (Fixture       *f,
              gconstpointer  data)
{
  const CrmNewContact other = { .family_name = "Lê", .given_name = "Bình" };
  g_autoptr (GError) error = NULL;
  gint64 other_id;

  make_contact (f);
  other_id = crm_contacts_add (f->store, &other, &error);
  g_assert_no_error (error);
  show_page (f, crm_contact_page_new (f->store));
  crm_contact_page_set_contact_id (CRM_CONTACT_PAGE (f->page), f->contact_id);
  g_assert_cmpstr (figure (f, "Interactions"), ==, "3");

  /* A change to someone else leaves the page alone. */
  execf (f, "UPDATE contact SET display_name = 'Nguyễn Văn Đức Anh' WHERE id = %lld",
         (long long) f->contact_id);
  crm_store_emit_changed (f->store, "contact", other_id);
  run_pending ();
  g_assert_cmpstr (gtk_label_get_text (template_child (f, "name_label")), ==, "Nguyễn Văn Đức");

  /* A change to this contact reloads it. */
  crm_store_emit_changed (f->store, "contact", f->contact_id);
  WAIT_FOR (g_strcmp0 (gtk_label_get_text (template_child (f, "name_label")),
                       "Nguyễn Văn Đức Anh") == 0);
  g_assert_cmpstr (adw_avatar_get_text (template_child (f, "avatar")), ==, "Nguyễn Văn Đức Anh");

  /* So does a new interaction; a burst of changes reloads once. */
  execf (f, "INSERT INTO interaction (contact_id, kind, happened) VALUES (%lld, 'call', %lld)",
         (long long) f->contact_id, (long long) (g_get_real_time () / G_USEC_PER_SEC));
  crm_store_emit_changed (f->store, "interaction", 0);
  crm_store_emit_changed (f->store, "interaction", 0);
  WAIT_FOR (g_strcmp0 (figure (f, "Interactions"), "4") == 0);
  g_assert_cmpstr (figure (f, "Last contact"), ==, "Today");

  /* Archiving shows in the header, and the button undoes it. */
  g_assert_true (crm_contact_set_archived (f->store, f->contact_id, TRUE, NULL, &error));
  g_assert_no_error (error);
  WAIT_FOR (find_label_in (template_child (f, "pills_box"), "Archived") != NULL);
  g_assert_cmpstr (gtk_actionable_get_action_name (template_child (f, "archive_button")), ==,
                   "contacts.unarchive");
  g_assert_cmpstr (gtk_button_get_label (template_child (f, "archive_button")), ==,
                   "_Unarchive");

  /* A contact deleted elsewhere says so. */
  g_assert_true (crm_contact_delete (f->store, f->contact_id, NULL, &error));
  g_assert_no_error (error);
  WAIT_FOR (g_strcmp0 (visible_page (f), "missing") == 0);
  g_assert_nonnull (find_label (f, "Contact Not Found"));
}

static void
read_text_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **text = user_data;
  g_autoptr (GError) error = NULL;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, &error);
  g_assert_no_error (error);
}

static void
test_actions (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *clipboard_text = NULL;
  g_autofree char *expected = NULL;
  GtkWidget *row;
  gboolean handled = FALSE;

  make_contact (f);
  show_page (f, crm_contact_page_new (f->store));
  crm_contact_page_set_contact_id (CRM_CONTACT_PAGE (f->page), f->contact_id);

  /* Activating the phone row copies the number and says so. */
  row = find_row (f, "0903 123 456");
  g_assert_true (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (row)));
  g_signal_emit_by_name (row, "activate");
  g_assert_true (has_toast (f, "Copied 0903 123 456"));
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (f->page), NULL, read_text_cb,
                                 &clipboard_text);
  WAIT_FOR (clipboard_text != NULL);
  g_assert_cmpstr (clipboard_text, ==, "0903 123 456");

  /* Rows that only show a value do nothing. */
  g_assert_false (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (find_row (f, "Lan"))));

  /* The company link, the deal and the buttons ask the view, with ids. */
  g_signal_emit_by_name (template_child (f, "subtitle_label"), "activate-link", "company",
                         &handled);
  g_assert_true (handled);
  expected = g_strdup_printf ("open-company %" G_GINT64_FORMAT, f->company_id);
  g_assert_true (has_activated (f, expected));
  g_clear_pointer (&expected, g_free);

  g_signal_emit_by_name (find_row (f, "Hợp đồng bảo trì"), "activate");
  expected = g_strdup_printf ("open-deal %" G_GINT64_FORMAT, f->deal_id);
  g_assert_true (has_activated (f, expected));
  g_clear_pointer (&expected, g_free);

  g_signal_emit_by_name (template_child (f, "edit_button"), "clicked");
  expected = g_strdup_printf ("edit %" G_GINT64_FORMAT, f->contact_id);
  g_assert_true (has_activated (f, expected));
  g_clear_pointer (&expected, g_free);

  g_assert_cmpstr (gtk_button_get_label (template_child (f, "archive_button")), ==, "_Archive");
  g_signal_emit_by_name (template_child (f, "archive_button"), "clicked");
  expected = g_strdup_printf ("archive %" G_GINT64_FORMAT, f->contact_id);
  g_assert_true (has_activated (f, expected));

  /* Keyboard and screen readers: the icon-only menu button has a name. */
  g_assert_cmpstr (gtk_widget_get_tooltip_text (template_child (f, "more_button")), ==,
                   "More Actions");
}

static void
test_export (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *json_path = NULL;
  g_autofree char *vcard_path = NULL;
  g_autofree char *bad_path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *bad_message = NULL;
  g_autoptr (GFile) json_file = NULL;
  g_autoptr (GFile) vcard_file = NULL;
  g_autoptr (GFile) bad_file = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  GStatBuf buf;

  make_contact (f);
  show_page (f, crm_contact_page_new (f->store));
  crm_contact_page_set_contact_id (CRM_CONTACT_PAGE (f->page), f->contact_id);

  json_path = g_build_filename (f->dir, "nguyen-van-duc.json", NULL);
  json_file = g_file_new_for_path (json_path);
  crm_contact_page_export (CRM_CONTACT_PAGE (f->page), CRM_CONTACT_EXPORT_JSON, json_file);
  WAIT_FOR (has_toast (f, "Saved nguyen-van-duc.json"));
  g_assert_true (g_file_get_contents (json_path, &contents, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_data (parser, contents, -1, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (contents, "Nguyễn Văn Đức"));
  g_assert_nonnull (strstr (contents, "Giao hàng nhanh"));
  /* Personal data is for the user's eyes only. */
  g_assert_cmpint (g_stat (json_path, &buf), ==, 0);
  g_assert_cmpint (buf.st_mode & 0777, ==, 0600);
  g_clear_pointer (&contents, g_free);

  vcard_path = g_build_filename (f->dir, "nguyen-van-duc.vcf", NULL);
  vcard_file = g_file_new_for_path (vcard_path);
  crm_contact_page_export (CRM_CONTACT_PAGE (f->page), CRM_CONTACT_EXPORT_VCARD, vcard_file);
  WAIT_FOR (has_toast (f, "Saved nguyen-van-duc.vcf"));
  g_assert_true (g_file_get_contents (vcard_path, &contents, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents, "BEGIN:VCARD"));
  g_assert_nonnull (strstr (contents, "+84903123456"));

  /* A folder that is not there: the toast says where and what. */
  bad_path = g_build_filename (f->dir, "missing", "x.json", NULL);
  bad_file = g_file_new_for_path (bad_path);
  crm_contact_page_export (CRM_CONTACT_PAGE (f->page), CRM_CONTACT_EXPORT_JSON, bad_file);
  bad_message = g_strdup_printf ("Cannot save %s: ", bad_path);
  WAIT_FOR (f->toasts->len == 3);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (f->toasts, 2), bad_message));

  /* The menu's actions are there while a contact is shown. */
  g_assert_true (gtk_widget_is_sensitive (template_child (f, "more_button")));
}

static void
test_erase (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr (CrmContact) gone = NULL;
  g_autoptr (GError) error = NULL;
  AdwMessageDialog *dialog;

  make_contact (f);
  show_page (f, crm_contact_page_new (f->store));
  crm_contact_page_set_contact_id (CRM_CONTACT_PAGE (f->page), f->contact_id);

  /* Cancelling erases nothing. */
  g_assert_true (gtk_widget_activate_action (f->page, "page.erase", NULL));
  WAIT_FOR ((dialog = find_message_dialog ()) != NULL);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Erase Personal Data?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Nguyễn Văn Đức"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "cannot be undone"));
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "erase"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  g_assert_cmpstr (adw_message_dialog_get_close_response (dialog), ==, "cancel");
  /* A click on a response emits it and closes the dialog; responding from
   * code only emits it. */
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_cmpstr (visible_page (f), ==, "contact");
  gone = crm_contact_load (f->store, f->contact_id, &error);
  g_assert_no_error (error);
  g_clear_object (&gone);

  /* The second, explicit click erases the person everywhere. */
  g_assert_true (gtk_widget_activate_action (f->page, "page.erase", NULL));
  WAIT_FOR ((dialog = find_message_dialog ()) != NULL);
  adw_message_dialog_response (dialog, "erase");
  gtk_window_destroy (GTK_WINDOW (dialog));

  WAIT_FOR (g_strcmp0 (visible_page (f), "erased") == 0);
  g_assert_nonnull (find_label (f, "Contact Erased"));
  gone = crm_contact_load (f->store, f->contact_id, &error);
  g_assert_error (error, CRM_STORE_ERROR, CRM_STORE_ERROR_NOT_FOUND);
  g_assert_null (gone);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM interaction"), ==, 0);

  /* The change signal that followed does not turn it into "not found". */
  run_pending ();
  g_assert_cmpstr (visible_page (f), ==, "erased");
  g_assert_null (crm_contact_page_get_contact (CRM_CONTACT_PAGE (f->page)));

  /* Picking someone else shows them again. */
  crm_contact_page_set_contact_id (CRM_CONTACT_PAGE (f->page), 0);
  g_assert_cmpstr (visible_page (f), ==, "empty");
}

static void
test_company_page (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *expected = NULL;
  g_autofree char *json_path = NULL;
  g_autoptr (GFile) json_file = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  GtkWidget *row;

  make_contact (f);
  show_page (f, crm_company_page_new (f->store));
  g_assert_cmpstr (visible_page (f), ==, "empty");
  crm_company_page_set_company_id (CRM_COMPANY_PAGE (f->page), f->company_id);
  g_assert_cmpstr (visible_page (f), ==, "company");

  g_assert_cmpstr (gtk_label_get_text (template_child (f, "name_label")), ==,
                   "Công ty Minh Phát");
  g_assert_nonnull (find_label_in (template_child (f, "details_list"), "0100109106"));
  g_assert_nonnull (find_label_in (template_child (f, "details_list"), "028 3822 1234"));
  g_assert_nonnull (find_label_in (template_child (f, "details_list"), "TP Hồ Chí Minh"));
  g_assert_nonnull (find_label_in (template_child (f, "people_list"), "Nguyễn Văn Đức"));
  g_assert_nonnull (find_label_in (template_child (f, "deals_list"), "Hợp đồng bảo trì"));
  g_assert_nonnull (find_label_in (template_child (f, "deals_list"), "50.000.000 ₫"));
  g_assert_nonnull (find_label_in (template_child (f, "interactions_list"), "Đơn hàng 1"));
  g_assert_nonnull (find_label_in (template_child (f, "interactions_list"), "12.500.000 ₫"));

  /* The tax code copies; a person opens their page. */
  g_signal_emit_by_name (find_row (f, "0100109106"), "activate");
  g_assert_true (has_toast (f, "Copied 0100109106"));
  row = gtk_widget_get_ancestor (find_label_in (template_child (f, "people_list"),
                                                "Nguyễn Văn Đức"),
                                 ADW_TYPE_ACTION_ROW);
  g_signal_emit_by_name (row, "activate");
  expected = g_strdup_printf ("open-contact %" G_GINT64_FORMAT, f->contact_id);
  g_assert_true (has_activated (f, expected));
  g_clear_pointer (&expected, g_free);

  g_signal_emit_by_name (template_child (f, "edit_button"), "clicked");
  expected = g_strdup_printf ("edit-company %" G_GINT64_FORMAT, f->company_id);
  g_assert_true (has_activated (f, expected));

  /* A person who leaves the company leaves its page. */
  execf (f, "UPDATE contact SET company_id = NULL WHERE id = %lld", (long long) f->contact_id);
  crm_store_emit_changed (f->store, "contact", f->contact_id);
  WAIT_FOR (!gtk_widget_get_visible (template_child (f, "people_group")));

  json_path = g_build_filename (f->dir, "cong-ty-minh-phat.json", NULL);
  json_file = g_file_new_for_path (json_path);
  crm_company_page_export_json (CRM_COMPANY_PAGE (f->page), json_file);
  WAIT_FOR (has_toast (f, "Saved cong-ty-minh-phat.json"));
  g_assert_true (g_file_get_contents (json_path, &contents, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (contents, "0100109106"));
}

#define ADD_TEST(path, func) \
  g_test_add ((path), Fixture, NULL, fixture_set_up, (func), fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add_func ("/contact-page/format", test_format);
  ADD_TEST ("/contact-page/empty", test_empty);
  ADD_TEST ("/contact-page/shows-everything", test_shows_everything);
  ADD_TEST ("/contact-page/reloads", test_reloads);
  ADD_TEST ("/contact-page/actions", test_actions);
  ADD_TEST ("/contact-page/export", test_export);
  ADD_TEST ("/contact-page/erase", test_erase);
  ADD_TEST ("/contact-page/company", test_company_page);

  return g_test_run ();
}
