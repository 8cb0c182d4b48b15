/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "crm-bench.h"
#include "crm-company.h"
#include "crm-contact.h"
#include "crm-contacts.h"
#include "crm-demo.h"
#include "crm-key.h"
#include "crm-keyring.h"
#include "crm-normalize.h"
#include "crm-search.h"
#include "crm-sqlcipher.h"
#include "crm-store.h"

/* Exit codes shared by every command. */
enum {
  EXIT_OK = 0,
  EXIT_BAD_INPUT = 1,
  EXIT_CANNOT_UNLOCK = 2,
  EXIT_DAMAGED = 3,
};

/* Options every command that opens a workspace takes. */
static char *opt_workspace;
static char *opt_recovery_key_file;
static char *opt_passphrase_file;

static const GOptionEntry workspace_entries[] = {
  { "workspace", 'w', 0, G_OPTION_ARG_FILENAME, &opt_workspace,
    N_("The workspace directory (default: the one the application uses)"), N_("DIR") },
  { "recovery-key-file", 0, 0, G_OPTION_ARG_FILENAME, &opt_recovery_key_file,
    N_("Unlock with the recovery key in FILE instead of the keyring"), N_("FILE") },
  { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &opt_passphrase_file,
    N_("Unlock with the passphrase in FILE instead of the keyring"), N_("FILE") },
  { NULL }
};

static int
fail (int         code,
      const char *format,
      ...) G_GNUC_PRINTF (2, 3);

/* Every error is one line: what went wrong and where. */
static int
fail (int         code,
      const char *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_strdelimit (message, "\n", ' ');
  g_printerr ("rapport-cli: %s\n", message);
  return code;
}

static int
exit_code_for (const GError *error)
{
  if (error->domain == CRM_STORE_ERROR)
    {
      switch (error->code)
        {
        case CRM_STORE_ERROR_WRONG_KEY:
          return EXIT_CANNOT_UNLOCK;
        case CRM_STORE_ERROR_DAMAGED:
        case CRM_STORE_ERROR_NOT_ENCRYPTED:
        case CRM_STORE_ERROR_TOO_NEW:
          return EXIT_DAMAGED;
        case CRM_STORE_ERROR_FAILED:
          return EXIT_DAMAGED;
        default:
          return EXIT_BAD_INPUT;
        }
    }

  return EXIT_BAD_INPUT;
}

static char *
workspace_directory (void)
{
  if (opt_workspace != NULL)
    return g_canonicalize_filename (opt_workspace, NULL);

  return crm_store_default_directory ();
}

/* Reads a secret from a file: its first line, without surrounding space. */
static char *
read_secret_file (const char  *path,
                  GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  char *newline;
  char *secret;

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;

  newline = strchr (contents, '\n');
  if (newline != NULL)
    *newline = '\0';
  secret = g_strdup (g_strstrip (contents));
  explicit_bzero (contents, length);

  return secret;
}

/* The recovery key in a file: the key alone, as init writes it, or the page
 * the application's Save to File writes, with a title and notes around the
 * key line. Sets *code to EXIT_BAD_INPUT when the file cannot be read. */
static GBytes *
read_recovery_key_file (const char  *path,
                        int         *code,
                        GError     **error)
{
  g_autofree char *contents = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GError) first_error = NULL;
  gsize length = 0;
  GBytes *key = NULL;

  *code = EXIT_CANNOT_UNLOCK;
  if (!g_file_get_contents (path, &contents, &length, error))
    {
      *code = EXIT_BAD_INPUT;
      return NULL;
    }

  /* Each paragraph (a key laid out over several lines), then each line. */
  {
    g_auto (GStrv) paragraphs = g_strsplit (contents, "\n\n", -1);
    g_autoptr (GPtrArray) candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_secret_free);

    lines = g_strsplit (contents, "\n", -1);
    explicit_bzero (contents, length);
    for (guint i = 0; paragraphs[i] != NULL; i++)
      {
        g_ptr_array_add (candidates, g_strdup (g_strdelimit (paragraphs[i], "\n", ' ')));
        explicit_bzero (paragraphs[i], strlen (paragraphs[i]));
      }
    for (guint i = 0; lines[i] != NULL; i++)
      {
        g_ptr_array_add (candidates, g_strdup (lines[i]));
        explicit_bzero (lines[i], strlen (lines[i]));
      }

    for (guint i = 0; i < candidates->len && key == NULL; i++)
      {
        char *candidate = g_strstrip ((char *) g_ptr_array_index (candidates, i));
        g_autoptr (GError) line_error = NULL;

        if (*candidate == '\0')
          continue;

        key = crm_key_from_recovery (candidate, &line_error);
        /* A mistyped key says more than text that is no key at all. */
        if (key == NULL && (first_error == NULL || g_error_matches (line_error, CRM_KEY_ERROR,
                                                                    CRM_KEY_ERROR_CHECKSUM)))
          {
            g_clear_error (&first_error);
            first_error = g_steal_pointer (&line_error);
          }
      }
  }

  if (key == NULL && first_error == NULL)
    g_set_error_literal (&first_error, CRM_KEY_ERROR, CRM_KEY_ERROR_MALFORMED,
                         _("The file holds no recovery key"));
  if (key == NULL)
    g_propagate_error (error, g_steal_pointer (&first_error));

  return key;
}

/* Opens the workspace with the secret the options name, or through the
 * keyring. Returns NULL after printing the error; *code says how to exit. */
static CrmStore *
unlock_workspace (int *code)
{
  g_autofree char *directory = workspace_directory ();
  g_autoptr (GError) error = NULL;
  CrmStore *store = NULL;

  if (!crm_store_exists (directory))
    {
      *code = fail (EXIT_BAD_INPUT, _("There is no workspace in %s (create one with “rapport-cli init”)"),
                    directory);
      return NULL;
    }

  if (opt_recovery_key_file != NULL)
    {
      g_autoptr (GBytes) key = read_recovery_key_file (opt_recovery_key_file, code, &error);

      if (key == NULL && *code == EXIT_BAD_INPUT)
        {
          *code = fail (EXIT_BAD_INPUT, "%s", error->message);
          return NULL;
        }

      if (key == NULL)
        {
          *code = fail (EXIT_CANNOT_UNLOCK, "%s: %s", opt_recovery_key_file, error->message);
          return NULL;
        }

      store = crm_store_open (directory, key, &error);
    }
  else if (opt_passphrase_file != NULL)
    {
      g_autoptr (CrmSecret) passphrase = read_secret_file (opt_passphrase_file, &error);

      if (passphrase == NULL)
        {
          *code = fail (EXIT_BAD_INPUT, "%s", error->message);
          return NULL;
        }

      store = crm_store_open_with_passphrase (directory, passphrase, &error);
    }
  else
    {
      g_autofree char *uuid = NULL;
      g_autoptr (GBytes) key = NULL;
      CrmProtection protection = CRM_PROTECTION_KEYRING;

      uuid = crm_store_read_uuid (directory, &protection, &error);
      if (uuid == NULL)
        {
          *code = fail (EXIT_CANNOT_UNLOCK,
                        _("Cannot tell which keyring entry unlocks %s: %s; "
                          "use --recovery-key-file"),
                        directory, error->message);
          return NULL;
        }

      if (protection == CRM_PROTECTION_PASSPHRASE)
        {
          *code = fail (EXIT_CANNOT_UNLOCK,
                        _("The workspace in %s is protected by a passphrase: "
                          "use --passphrase-file"),
                        directory);
          return NULL;
        }

      key = crm_keyring_lookup_sync (uuid, NULL, &error);
      if (key == NULL)
        {
          if (error != NULL)
            *code = fail (EXIT_CANNOT_UNLOCK, "%s; %s", error->message,
                          _("use --recovery-key-file"));
          else
            *code = fail (EXIT_CANNOT_UNLOCK,
                          _("The keyring has no key for the workspace in %s, or it is locked: "
                            "use --recovery-key-file"),
                          directory);
          return NULL;
        }

      store = crm_store_open (directory, key, &error);
    }

  if (store == NULL)
    *code = fail (exit_code_for (error), "%s", error->message);

  return store;
}

static gboolean
parse_options (GOptionContext  *context,
               int             *argc,
               char          ***argv,
               int             *code)
{
  g_autoptr (GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *code = fail (EXIT_BAD_INPUT, "%s", error->message);
      return FALSE;
    }

  return TRUE;
}

static GOptionContext *
command_context (const char         *parameters,
                 const char         *summary,
                 const GOptionEntry *entries,
                 gboolean            opens_workspace)
{
  GOptionContext *context = g_option_context_new (parameters);

  g_option_context_set_summary (context, summary);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (opens_workspace)
    {
      GOptionGroup *group = g_option_group_new ("workspace", _("Workspace options:"),
                                                _("Show the workspace options"), NULL, NULL);

      g_option_group_add_entries (group, workspace_entries);
      g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
      g_option_context_add_group (context, group);
    }

  return context;
}

/* init */

static gboolean opt_no_keyring;

static int
write_recovery_key (const char *path,
                    const char *recovery)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = g_strconcat (recovery, "\n", NULL);
  int code = EXIT_OK;

  if (!g_file_set_contents_full (path, contents, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                 &error))
    code = fail (EXIT_BAD_INPUT, "%s", error->message);

  explicit_bzero (contents, strlen (contents));
  return code;
}

/* Creates the workspace, stores its key in the keyring unless told not to,
 * and gives the recovery key to the user. NULL after printing the error. */
static CrmStore *
create_workspace (const char *directory,
                  int        *code)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) key = NULL;
  g_autoptr (CrmStore) store = NULL;
  g_autoptr (CrmSecret) recovery = NULL;

  if (crm_store_exists (directory))
    {
      *code = fail (EXIT_BAD_INPUT, _("A workspace exists in %s already"), directory);
      return NULL;
    }

  key = crm_key_generate (&error);
  if (key == NULL)
    {
      *code = fail (EXIT_DAMAGED, "%s", error->message);
      return NULL;
    }

  store = crm_store_create (directory, key, &error);
  if (store == NULL)
    {
      *code = fail (exit_code_for (error), "%s", error->message);
      return NULL;
    }

  recovery = crm_key_to_recovery (key);

  if (!opt_no_keyring
      && !crm_keyring_store_sync (crm_store_get_uuid (store), _("Rapport workspace key"),
                                  g_bytes_get_data (key, NULL), NULL, &error))
    {
      g_printerr ("rapport-cli: %s; %s\n", error->message,
                  _("the workspace was created; keep its recovery key, which opens it"));
      g_clear_error (&error);
    }

  if (opt_recovery_key_file != NULL)
    {
      *code = write_recovery_key (opt_recovery_key_file, recovery);
      if (*code != EXIT_OK)
        {
          /* The key is the only way in: never lose it. */
          g_print ("%s\n", recovery);
          return NULL;
        }
      g_print (_("Created the workspace %s; its recovery key is in %s\n"), directory,
               opt_recovery_key_file);
    }
  else
    {
      g_print (_("Created the workspace %s\n"), directory);
      g_print (_("Recovery key (shown once; keep it somewhere safe):\n%s\n"), recovery);
    }

  *code = EXIT_OK;
  return g_steal_pointer (&store);
}

static int
command_init (int    argc,
              char **argv)
{
  const GOptionEntry entries[] = {
    { "no-keyring", 0, 0, G_OPTION_ARG_NONE, &opt_no_keyring,
      N_("Do not store the key in the keyring; only the recovery key opens the workspace"),
      NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) context =
    command_context (NULL, _("Create a new, empty, encrypted workspace. Its recovery key is "
                             "written to the --recovery-key-file FILE, or shown once."),
                     entries, TRUE);
  g_autofree char *directory = NULL;
  g_autoptr (CrmStore) store = NULL;
  int code = EXIT_OK;

  if (!parse_options (context, &argc, &argv, &code))
    return code;

  directory = workspace_directory ();
  store = create_workspace (directory, &code);

  return code;
}

/* demo */

static void
print_progress (double   fraction,
                gpointer user_data)
{
  if (isatty (STDERR_FILENO))
    g_printerr ("\r%3d %%", (int) (fraction * 100));
}

static int
command_demo (int    argc,
              char **argv)
{
  CrmDemoOptions options;
  int contacts, companies, deals, interactions;
  gint64 seed;
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmStore) store = NULL;
  g_autofree char *directory = NULL;
  int code = EXIT_OK;
  gint64 started;

  crm_demo_options_init (&options);
  contacts = options.contacts;
  companies = options.companies;
  deals = options.deals;
  interactions = options.interactions;
  seed = options.seed;

  {
    const GOptionEntry entries[] = {
      { "contacts", 0, 0, G_OPTION_ARG_INT, &contacts, N_("How many contacts"), N_("N") },
      { "companies", 0, 0, G_OPTION_ARG_INT, &companies, N_("How many companies"), N_("N") },
      { "deals", 0, 0, G_OPTION_ARG_INT, &deals, N_("How many deals"), N_("N") },
      { "interactions", 0, 0, G_OPTION_ARG_INT, &interactions, N_("How many interactions"),
        N_("N") },
      { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, N_("The same seed makes the same data"),
        N_("SEED") },
      { "no-keyring", 0, 0, G_OPTION_ARG_NONE, &opt_no_keyring,
        N_("When creating the workspace, do not store its key in the keyring"), NULL },
      { NULL }
    };

    context = command_context (NULL, _("Fill a workspace with sample data that looks real. "
                                       "A new workspace is created when there is none."),
                               entries, TRUE);
    if (!parse_options (context, &argc, &argv, &code))
      return code;
  }

  if (contacts < 0 || companies < 0 || deals < 0 || interactions < 0)
    return fail (EXIT_BAD_INPUT, _("Sizes cannot be negative"));
  options.contacts = contacts;
  options.companies = companies;
  options.deals = deals;
  options.interactions = interactions;
  options.seed = seed;

  directory = workspace_directory ();
  if (crm_store_exists (directory))
    store = unlock_workspace (&code);
  else
    store = create_workspace (directory, &code);
  if (store == NULL)
    return code;

  started = g_get_monotonic_time ();
  if (!crm_demo_fill (store, &options, print_progress, NULL, NULL, &error))
    {
      if (isatty (STDERR_FILENO))
        g_printerr ("\n");
      return fail (exit_code_for (error), "%s", error->message);
    }
  if (isatty (STDERR_FILENO))
    g_printerr ("\r");

  g_print (_("Added %u contacts, %u companies, %u deals and %u interactions in %.1f s\n"),
           options.contacts, options.companies, options.deals, options.interactions,
           (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);
  return EXIT_OK;
}

/* search */

static int
command_search (int    argc,
                char **argv)
{
  int limit = 20;
  gboolean family_first = FALSE;
  const GOptionEntry entries[] = {
    { "limit", 'n', 0, G_OPTION_ARG_INT, &limit, N_("Show at most N contacts (0: all)"),
      N_("N") },
    { "family-name-first", 0, 0, G_OPTION_ARG_NONE, &family_first,
      N_("Sort by family name instead of given name"), NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) context =
    command_context (_("QUERY"), _("Find contacts by name, email, phone, company or tag, "
                                   "with or without diacritics."),
                     entries, TRUE);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmStore) store = NULL;
  g_autoptr (GArray) ids = NULL;
  g_autofree char *query = NULL;
  sqlite3_stmt *stmt;
  int code = EXIT_OK;

  if (!parse_options (context, &argc, &argv, &code))
    return code;
  if (argc < 2)
    return fail (EXIT_BAD_INPUT, _("search needs a QUERY"));
  if (limit < 0)
    return fail (EXIT_BAD_INPUT, _("--limit cannot be negative"));

  query = g_strjoinv (" ", argv + 1);
  store = unlock_workspace (&code);
  if (store == NULL)
    return code;

  ids = crm_search_contacts_sorted (store, query,
                                    family_first ? CRM_SORT_FAMILY_NAME : CRM_SORT_GIVEN_NAME,
                                    limit, &error);
  if (ids == NULL)
    return fail (exit_code_for (error), "%s", error->message);

  stmt = crm_store_prepare (store,
                            "SELECT c.display_name, "
                            "(SELECT e.email FROM contact_email e WHERE e.contact_id = c.id "
                            " ORDER BY e.is_primary DESC, e.id LIMIT 1), "
                            "(SELECT p.e164 FROM contact_phone p WHERE p.contact_id = c.id "
                            " ORDER BY p.is_primary DESC, p.id LIMIT 1) "
                            "FROM contact c WHERE c.id = ?1",
                            &error);
  if (stmt == NULL)
    return fail (exit_code_for (error), "%s", error->message);

  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);

      sqlite3_bind_int64 (stmt, 1, id);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *email = (const char *) sqlite3_column_text (stmt, 1);
          const char *phone = (const char *) sqlite3_column_text (stmt, 2);

          g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t%s\n", id,
                   (const char *) sqlite3_column_text (stmt, 0),
                   email != NULL ? email : "", phone != NULL ? phone : "");
        }
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);

  return EXIT_OK;
}

/* stats */

static int
command_stats (int    argc,
               char **argv)
{
  static const char *const tables[] = {
    "contact", "company", "deal", "interaction", "task", "tag", "audit_log",
  };
  g_autoptr (GOptionContext) context =
    command_context (NULL, _("Show what the workspace holds."), NULL, TRUE);
  g_autoptr (CrmStore) store = NULL;
  int code = EXIT_OK;
  GStatBuf st;

  if (!parse_options (context, &argc, &argv, &code))
    return code;

  store = unlock_workspace (&code);
  if (store == NULL)
    return code;

  g_print ("%-14s %s\n", _("workspace"), crm_store_get_directory (store));
  g_print ("%-14s %s\n", _("uuid"), crm_store_get_uuid (store));
  g_print ("%-14s %d\n", _("schema"), crm_store_get_schema_version (store));
  g_print ("%-14s %s\n", _("protection"),
           crm_store_get_protection (store) == CRM_PROTECTION_PASSPHRASE ? _("passphrase")
                                                                         : _("keyring"));
  if (g_stat (crm_store_get_path (store), &st) == 0)
    {
      g_autofree char *size = g_format_size (st.st_size);

      g_print ("%-14s %s\n", _("size"), size);
    }

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", tables[i]);
      g_autoptr (GError) error = NULL;
      sqlite3_stmt *stmt = crm_store_prepare (store, sql, &error);

      if (stmt == NULL)
        return fail (exit_code_for (error), "%s", error->message);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        g_print ("%-14s %" G_GINT64_FORMAT "\n", tables[i],
                 (gint64) sqlite3_column_int64 (stmt, 0));
      sqlite3_finalize (stmt);
    }

  return EXIT_OK;
}

/* verify */

static int
command_verify (int    argc,
                char **argv)
{
  g_autoptr (GOptionContext) context =
    command_context (NULL, _("Check the workspace: SQLite's integrity check, every page's "
                             "authentication code, and the links between records."),
                     NULL, TRUE);
  g_autoptr (GError) error = NULL;
  g_autoptr (CrmStore) store = NULL;
  g_auto (GStrv) problems = NULL;
  int code = EXIT_OK;

  if (!parse_options (context, &argc, &argv, &code))
    return code;

  store = unlock_workspace (&code);
  if (store == NULL)
    return code;

  if (!crm_store_verify (store, &problems, &error))
    return fail (EXIT_DAMAGED, "%s: %s", crm_store_get_path (store), error->message);

  if (problems[0] != NULL)
    {
      for (guint i = 0; problems[i] != NULL; i++)
        g_printerr ("rapport-cli: %s: %s\n", crm_store_get_path (store), problems[i]);
      return EXIT_DAMAGED;
    }

  g_print (_("The workspace in %s is sound\n"), crm_store_get_directory (store));
  return EXIT_OK;
}

/* bench */

static int
command_bench (int    argc,
               char **argv)
{
  CrmBenchOptions options;
  int contacts;
  gboolean json = FALSE;
  g_autofree char *directory = NULL;
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  int code = EXIT_OK;

  crm_bench_options_init (&options);
  contacts = options.contacts;
  {
    const GOptionEntry entries[] = {
      { "contacts", 0, 0, G_OPTION_ARG_INT, &contacts, N_("How many contacts to work with"),
        N_("N") },
      { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the figures as one JSON object"),
        NULL },
      { "directory", 0, 0, G_OPTION_ARG_FILENAME, &directory,
        N_("Where to create the benchmark's workspaces (default: a temporary directory)"),
        N_("DIR") },
      { NULL }
    };

    context = command_context (NULL, _("Measure Rapport's speed on an encrypted workspace and on "
                                       "the same work without encryption."),
                               entries, FALSE);
    if (!parse_options (context, &argc, &argv, &code))
      return code;
  }

  if (contacts <= 0)
    return fail (EXIT_BAD_INPUT, _("--contacts must be positive"));
  options.contacts = contacts;
  options.directory = directory;

  if (!crm_bench_run (&options, json, &error))
    return fail (exit_code_for (error), "%s", error->message);

  return EXIT_OK;
}

/* contact, company */

static gboolean
parse_id (const char  *text,
          gint64      *id,
          int         *code)
{
  guint64 value = 0;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    {
      *code = fail (EXIT_BAD_INPUT, _("“%s” is not a record number"), text != NULL ? text : "");
      return FALSE;
    }

  *id = (gint64) value;
  return TRUE;
}

/* The first problem of a draft, as one line that names the field and its
 * value. */
static int
fail_problems (GPtrArray *problems)
{
  const CrmFieldProblem *problem = g_ptr_array_index (problems, 0);

  return fail (EXIT_BAD_INPUT, "%s", problem->message);
}

/* Money in a currency's minor units, as an office writes it. */
static char *
format_money (gint64      amount,
              const char *currency)
{
  static const char *const no_minor_unit[] = { "VND", "JPY", "KRW", "IDR", NULL };

  if (currency != NULL && g_strv_contains (no_minor_unit, currency))
    return g_strdup_printf ("%" G_GINT64_FORMAT " %s", amount, currency);

  return g_strdup_printf ("%s%" G_GINT64_FORMAT ".%02d %s", amount < 0 ? "-" : "",
                          ABS (amount) / 100, (int) (ABS (amount) % 100),
                          currency != NULL ? currency : "");
}

static char *
format_time (gint64 seconds)
{
  g_autoptr (GDateTime) time = g_date_time_new_from_unix_local (seconds);

  return g_date_time_format (time, "%d/%m/%Y %H:%M");
}

static void
print_field (const char *label,
             const char *value)
{
  if (value != NULL && *value != '\0')
    g_print ("%-22s %s\n", label, value);
}

static void
print_details (const char *label,
               GPtrArray  *details,
               gboolean    phones)
{
  for (guint i = 0; i < details->len; i++)
    {
      CrmContactDetail *detail = g_ptr_array_index (details, i);
      g_autofree char *value = NULL;
      g_autofree char *line = NULL;

      if (phones)
        value = crm_phone_format_national (detail->value);
      else if (detail->value == NULL)
        value = crm_contact_detail_format_address (detail);
      else
        value = g_strdup (detail->value);

      if (detail->label != NULL && detail->primary)
        line = g_strdup_printf (_("%s (%s, primary)"), value, detail->label);
      else if (detail->label != NULL)
        line = g_strdup_printf ("%s (%s)", value, detail->label);
      else if (detail->primary && details->len > 1)
        line = g_strdup_printf (_("%s (primary)"), value);
      else
        line = g_steal_pointer (&value);

      print_field (i == 0 ? label : "", line);
    }
}

static void
print_contact (CrmContact *contact)
{
  g_autofree char *tags = g_strjoinv (", ", (GStrv) crm_contact_get_tags (contact));
  const CrmInteractionSummary *feedback = crm_contact_get_latest_feedback (contact);
  const CrmTaskSummary *task = crm_contact_get_next_task (contact);
  GPtrArray *spending = crm_contact_get_spending (contact);
  GPtrArray *deals = crm_contact_get_open_deals (contact);
  GPtrArray *custom = crm_contact_get_custom_values (contact);
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, crm_contact_get_id (contact));

  print_field (_("Contact"), number);
  print_field (_("Name"), crm_contact_get_display_name (contact));
  if (crm_contact_get_archived (contact))
    print_field (_("Archived"), _("yes"));
  print_field (_("Company"), crm_contact_get_company_name (contact));
  print_field (_("Job title"), crm_contact_get_job_title (contact));
  print_details (_("Phone"), crm_contact_get_phones (contact), TRUE);
  print_details (_("Email"), crm_contact_get_emails (contact), FALSE);
  print_details (_("Address"), crm_contact_get_addresses (contact), FALSE);
  print_details (_("Link"), crm_contact_get_links (contact), FALSE);
  print_field (_("Birthday"), crm_contact_get_birthday (contact));
  print_field (_("Tags"), tags);
  print_field (_("Lifecycle stage"), crm_contact_get_lifecycle_stage (contact));
  print_field (_("Lead status"), crm_contact_get_lead_status (contact));
  print_field (_("Source"), crm_contact_get_source (contact));
  print_field (_("Owner"), crm_contact_get_owner (contact));
  print_field (_("Marketing consent"),
               crm_contact_get_consent (contact) ? crm_contact_get_consent_date (contact) : NULL);
  for (guint i = 0; i < custom->len; i++)
    {
      CrmCustomValue *value = g_ptr_array_index (custom, i);

      print_field (value->label, value->value);
    }
  print_field (_("Notes"), crm_contact_get_notes (contact));

  {
    g_autofree char *interactions = g_strdup_printf ("%u", crm_contact_get_n_interactions (contact));
    g_autofree char *purchases = g_strdup_printf ("%u", crm_contact_get_n_purchases (contact));
    g_autofree char *support = g_strdup_printf ("%u",
                                                crm_contact_get_n_support_requests (contact));

    print_field (_("Interactions"), interactions);
    print_field (_("Purchases"), purchases);
    print_field (_("Support requests"), support);
  }

  for (guint i = 0; i < spending->len; i++)
    {
      const CrmSpend *spend = g_ptr_array_index (spending, i);
      g_autofree char *total = format_money (spend->total, spend->currency);
      g_autofree char *average = format_money (spend->average, spend->currency);

      print_field (_("Total spent"), total);
      print_field (_("Average order value"), average);
    }

  if (crm_contact_get_days_since_contact (contact) >= 0)
    {
      g_autofree char *days = g_strdup_printf ("%d", crm_contact_get_days_since_contact (contact));

      print_field (_("Days since last contact"), days);
    }

  if (feedback != NULL)
    {
      g_autofree char *when = format_time (feedback->happened);
      g_autofree char *line = g_strdup_printf ("%s: %s%s%s", when,
                                               feedback->subject != NULL ? feedback->subject : "",
                                               feedback->body != NULL ? " — " : "",
                                               feedback->body != NULL ? feedback->body : "");

      print_field (_("Latest feedback"), line);
    }

  for (guint i = 0; i < deals->len; i++)
    {
      const CrmDealSummary *deal = g_ptr_array_index (deals, i);
      g_autofree char *value = format_money (deal->value, deal->currency);
      g_autofree char *line = g_strdup_printf ("%s, %s, %s", deal->title, value, deal->stage);

      print_field (i == 0 ? _("Open deals") : "", line);
    }

  if (task != NULL)
    {
      g_autofree char *due = task->due > 0 ? format_time (task->due) : NULL;
      g_autofree char *line = due != NULL ? g_strdup_printf ("%s (%s)", task->title, due)
                                          : g_strdup (task->title);

      print_field (_("Next task"), line);
    }
}

static int
contact_add (int    argc,
             char **argv)
{
  g_autofree char *given = NULL;
  g_autofree char *family = NULL;
  g_autofree char *middle = NULL;
  g_autofree char *job_title = NULL;
  g_autofree char *birthday = NULL;
  g_autofree char *owner = NULL;
  g_autofree char *source = NULL;
  g_auto (GStrv) phones = NULL;
  g_auto (GStrv) emails = NULL;
  g_auto (GStrv) tags = NULL;
  gint64 company_id = 0;
  gboolean given_first = FALSE;
  const GOptionEntry entries[] = {
    { "given", 0, 0, G_OPTION_ARG_STRING, &given, N_("Given name"), N_("NAME") },
    { "family", 0, 0, G_OPTION_ARG_STRING, &family, N_("Family name"), N_("NAME") },
    { "middle", 0, 0, G_OPTION_ARG_STRING, &middle, N_("Middle name"), N_("NAME") },
    { "given-name-first", 0, 0, G_OPTION_ARG_NONE, &given_first,
      N_("Write the name given name first (“John Smith”)"), NULL },
    { "phone", 0, 0, G_OPTION_ARG_STRING_ARRAY, &phones, N_("A phone number (repeat for more)"),
      N_("NUMBER") },
    { "email", 0, 0, G_OPTION_ARG_STRING_ARRAY, &emails, N_("An email address (repeat for more)"),
      N_("ADDRESS") },
    { "company-id", 0, 0, G_OPTION_ARG_INT64, &company_id, N_("The company’s number"), N_("N") },
    { "job-title", 0, 0, G_OPTION_ARG_STRING, &job_title, N_("Job title"), N_("TITLE") },
    { "birthday", 0, 0, G_OPTION_ARG_STRING, &birthday, N_("Birthday"), N_("YYYY-MM-DD") },
    { "tag", 0, 0, G_OPTION_ARG_STRING_ARRAY, &tags, N_("A tag (repeat for more)"), N_("TAG") },
    { "owner", 0, 0, G_OPTION_ARG_STRING, &owner, N_("Who looks after the contact"),
      N_("OWNER") },
    { "source", 0, 0, G_OPTION_ARG_STRING, &source, N_("Where the contact came from"),
      N_("SOURCE") },
    { NULL }
  };
  g_autoptr (GOptionContext) context =
    command_context (NULL, _("Add a contact, with the same checks as the editor. Prints the new "
                             "contact’s number."),
                     entries, TRUE);
  g_autoptr (CrmContactDraft) draft = crm_contact_draft_new ();
  g_autoptr (GPtrArray) problems = NULL;
  g_autoptr (CrmStore) store = NULL;
  g_autoptr (GError) error = NULL;
  int code = EXIT_OK;
  gint64 id;

  if (!parse_options (context, &argc, &argv, &code))
    return code;
  if (argc > 1)
    return fail (EXIT_BAD_INPUT, _("contact add takes no arguments, only options"));

  crm_contact_draft_set_text (draft, "given_name", given);
  crm_contact_draft_set_text (draft, "family_name", family);
  crm_contact_draft_set_text (draft, "middle_name", middle);
  crm_contact_draft_set_text (draft, "job_title", job_title);
  crm_contact_draft_set_text (draft, "birthday", birthday);
  crm_contact_draft_set_text (draft, "owner", owner);
  crm_contact_draft_set_text (draft, "source", source);
  draft->given_name_first = given_first;
  draft->company_id = company_id;
  for (guint i = 0; phones != NULL && phones[i] != NULL; i++)
    crm_contact_draft_add_phone (draft, phones[i], NULL);
  for (guint i = 0; emails != NULL && emails[i] != NULL; i++)
    crm_contact_draft_add_email (draft, emails[i], NULL);
  for (guint i = 0; tags != NULL && tags[i] != NULL; i++)
    crm_contact_draft_add_tag (draft, tags[i]);

  /* What needs no workspace is checked before unlocking one. */
  if (!crm_contact_draft_validate (draft, NULL, &problems))
    return fail_problems (problems);
  g_clear_pointer (&problems, g_ptr_array_unref);

  store = unlock_workspace (&code);
  if (store == NULL)
    return code;

  if (!crm_contact_draft_validate (draft, store, &problems))
    return fail_problems (problems);

  id = crm_contact_save (store, draft, NULL, &error);
  if (id == 0)
    return fail (exit_code_for (error), "%s", error->message);

  g_print ("%" G_GINT64_FORMAT "\n", id);
  return EXIT_OK;
}

static int
contact_show (int    argc,
              char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print everything the workspace holds about the person, as JSON"), NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) context =
    command_context (_("ID"), _("Show a contact: details, figures, deals and tasks."), entries,
                     TRUE);
  g_autoptr (CrmStore) store = NULL;
  g_autoptr (GError) error = NULL;
  int code = EXIT_OK;
  gint64 id;

  if (!parse_options (context, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fail (EXIT_BAD_INPUT, _("contact show needs one contact number"));
  if (!parse_id (argv[1], &id, &code))
    return code;

  store = unlock_workspace (&code);
  if (store == NULL)
    return code;

  if (json)
    {
      g_autofree char *text = crm_contact_export_json (store, id, &error);

      if (text == NULL)
        return fail (exit_code_for (error), "%s", error->message);
      g_print ("%s\n", text);
    }
  else
    {
      g_autoptr (CrmContact) contact = crm_contact_load (store, id, &error);

      if (contact == NULL)
        return fail (exit_code_for (error), "%s", error->message);
      print_contact (contact);
    }

  return EXIT_OK;
}

static int
contact_erase (int    argc,
               char **argv)
{
  g_autoptr (GOptionContext) context =
    command_context (_("ID"), _("Erase a person at their request: the contact, every record "
                                "about them and the personal values in the history. It "
                                "cannot be undone."),
                     NULL, TRUE);
  g_autoptr (CrmStore) store = NULL;
  g_autoptr (GError) error = NULL;
  int code = EXIT_OK;
  gint64 id;

  if (!parse_options (context, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fail (EXIT_BAD_INPUT, _("contact erase needs one contact number"));
  if (!parse_id (argv[1], &id, &code))
    return code;

  store = unlock_workspace (&code);
  if (store == NULL)
    return code;

  /* Then the person's words leave the search index's pages too. */
  if (!crm_contact_erase (store, id, &error) || !crm_contacts_purge_erased (store, &error))
    return fail (exit_code_for (error), "%s", error->message);

  g_print (_("Erased contact %lld\n"), (long long) id);
  return EXIT_OK;
}

static void
print_company (CrmCompany *company)
{
  GPtrArray *people = crm_company_get_people (company);
  GPtrArray *deals = crm_company_get_deals (company);
  GPtrArray *interactions = crm_company_get_recent_interactions (company);
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, crm_company_get_id (company));
  g_autofree char *phone = crm_company_get_phone (company) != NULL
                             ? crm_phone_format_national (crm_company_get_phone (company))
                             : NULL;
  g_autoptr (CrmContactDetail) address =
    crm_contact_detail_new_address (crm_company_get_street (company),
                                    crm_company_get_ward (company),
                                    crm_company_get_district (company),
                                    crm_company_get_province (company),
                                    crm_company_get_country (company), NULL, TRUE);
  g_autofree char *address_line = crm_contact_detail_format_address (address);

  print_field (_("Company"), number);
  print_field (_("Name"), crm_company_get_name (company));
  if (crm_company_get_archived (company))
    print_field (_("Archived"), _("yes"));
  print_field (_("Tax code"), crm_company_get_tax_code (company));
  print_field (_("Industry"), crm_company_get_industry (company));
  print_field (_("Size"), crm_company_get_size (company));
  print_field (_("Website"), crm_company_get_website (company));
  print_field (_("Phone"), phone);
  print_field (_("Email"), crm_company_get_email (company));
  print_field (_("Address"), address_line);
  print_field (_("Owner"), crm_company_get_owner (company));

  for (guint i = 0; i < people->len; i++)
    {
      const CrmCompanyPerson *person = g_ptr_array_index (people, i);
      g_autofree char *line = person->job_title != NULL
                                ? g_strdup_printf ("%s (%s)", person->display_name,
                                                   person->job_title)
                                : g_strdup (person->display_name);

      print_field (i == 0 ? _("People") : "", line);
    }

  for (guint i = 0; i < deals->len; i++)
    {
      const CrmDealSummary *deal = g_ptr_array_index (deals, i);
      g_autofree char *value = format_money (deal->value, deal->currency);
      g_autofree char *line = g_strdup_printf ("%s, %s, %s", deal->title, value, deal->stage);

      print_field (i == 0 ? _("Deals") : "", line);
    }

  for (guint i = 0; i < interactions->len; i++)
    {
      const CrmInteractionSummary *interaction = g_ptr_array_index (interactions, i);
      g_autofree char *when = format_time (interaction->happened);
      g_autofree char *line = g_strdup_printf ("%s, %s, %s%s%s", when, interaction->contact_name,
                                               interaction->kind,
                                               interaction->subject != NULL ? ": " : "",
                                               interaction->subject != NULL
                                                 ? interaction->subject : "");

      print_field (i == 0 ? _("Recent interactions") : "", line);
    }
}

static int
company_add (int    argc,
             char **argv)
{
  g_autoptr (CrmCompanyDraft) draft = crm_company_draft_new ();
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &draft->name, N_("The company’s name"), N_("NAME") },
    { "tax-code", 0, 0, G_OPTION_ARG_STRING, &draft->tax_code, N_("Tax code"), N_("CODE") },
    { "industry", 0, 0, G_OPTION_ARG_STRING, &draft->industry, N_("Industry"), N_("TEXT") },
    { "size", 0, 0, G_OPTION_ARG_STRING, &draft->size, N_("Size"), N_("TEXT") },
    { "website", 0, 0, G_OPTION_ARG_STRING, &draft->website, N_("Website"), N_("URL") },
    { "phone", 0, 0, G_OPTION_ARG_STRING, &draft->phone, N_("Phone number"), N_("NUMBER") },
    { "email", 0, 0, G_OPTION_ARG_STRING, &draft->email, N_("Email address"), N_("ADDRESS") },
    { "street", 0, 0, G_OPTION_ARG_STRING, &draft->street, N_("Street"), N_("TEXT") },
    { "ward", 0, 0, G_OPTION_ARG_STRING, &draft->ward, N_("Ward"), N_("TEXT") },
    { "district", 0, 0, G_OPTION_ARG_STRING, &draft->district, N_("District"), N_("TEXT") },
    { "province", 0, 0, G_OPTION_ARG_STRING, &draft->province, N_("Province or city"),
      N_("TEXT") },
    { "country", 0, 0, G_OPTION_ARG_STRING, &draft->country, N_("Country"), N_("TEXT") },
    { "owner", 0, 0, G_OPTION_ARG_STRING, &draft->owner, N_("Who looks after the company"),
      N_("OWNER") },
    { NULL }
  };
  g_autoptr (GOptionContext) context =
    command_context (NULL, _("Add a company, with the same checks as the editor. Prints the new "
                             "company’s number."),
                     entries, TRUE);
  g_autoptr (GPtrArray) problems = NULL;
  g_autoptr (CrmStore) store = NULL;
  g_autoptr (GError) error = NULL;
  int code = EXIT_OK;
  gint64 id;

  if (!parse_options (context, &argc, &argv, &code))
    return code;
  if (argc > 1)
    return fail (EXIT_BAD_INPUT, _("company add takes no arguments, only options"));

  if (!crm_company_draft_validate (draft, &problems))
    return fail_problems (problems);

  store = unlock_workspace (&code);
  if (store == NULL)
    return code;

  id = crm_company_save (store, draft, NULL, &error);
  if (id == 0)
    return fail (exit_code_for (error), "%s", error->message);

  g_print ("%" G_GINT64_FORMAT "\n", id);
  return EXIT_OK;
}

static int
company_show (int    argc,
              char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the company as JSON"), NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) context =
    command_context (_("ID"), _("Show a company with its people, deals and latest "
                                "interactions."),
                     entries, TRUE);
  g_autoptr (CrmStore) store = NULL;
  g_autoptr (GError) error = NULL;
  int code = EXIT_OK;
  gint64 id;

  if (!parse_options (context, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fail (EXIT_BAD_INPUT, _("company show needs one company number"));
  if (!parse_id (argv[1], &id, &code))
    return code;

  store = unlock_workspace (&code);
  if (store == NULL)
    return code;

  if (json)
    {
      g_autofree char *text = crm_company_export_json (store, id, &error);

      if (text == NULL)
        return fail (exit_code_for (error), "%s", error->message);
      g_print ("%s\n", text);
    }
  else
    {
      g_autoptr (CrmCompany) company = crm_company_load (store, id, &error);

      if (company == NULL)
        return fail (exit_code_for (error), "%s", error->message);
      print_company (company);
    }

  return EXIT_OK;
}

typedef struct
{
  const char *name;
  int (*run) (int argc, char **argv);
} Subcommand;

/* "rapport-cli contact add …": the subcommand sees itself as argv[0]. */
static int
run_subcommand (const char       *command,
                const Subcommand *subcommands,
                gsize             n_subcommands,
                int               argc,
                char            **argv)
{
  g_autoptr (GString) names = g_string_new (NULL);

  for (gsize i = 0; i < n_subcommands; i++)
    {
      if (argc >= 2 && g_str_equal (argv[1], subcommands[i].name))
        {
          g_autofree char *program = g_strdup_printf ("rapport-cli %s %s", command,
                                                      subcommands[i].name);

          g_set_prgname (program);
          return subcommands[i].run (argc - 1, argv + 1);
        }
      g_string_append_printf (names, "%s%s", i > 0 ? ", " : "", subcommands[i].name);
    }

  if (argc < 2)
    return fail (EXIT_BAD_INPUT, _("%s needs one of: %s"), command, names->str);

  return fail (EXIT_BAD_INPUT, _("%s has no subcommand “%s”; it has: %s"), command, argv[1],
               names->str);
}

static int
command_contact (int    argc,
                 char **argv)
{
  static const Subcommand subcommands[] = {
    { "add", contact_add },
    { "show", contact_show },
    { "erase", contact_erase },
  };

  return run_subcommand ("contact", subcommands, G_N_ELEMENTS (subcommands), argc, argv);
}

static int
command_company (int    argc,
                 char **argv)
{
  static const Subcommand subcommands[] = {
    { "add", company_add },
    { "show", company_show },
  };

  return run_subcommand ("company", subcommands, G_N_ELEMENTS (subcommands), argc, argv);
}

typedef struct
{
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
} Command;

static const Command commands[] = {
  { "init", command_init, N_("Create a new encrypted workspace") },
  { "demo", command_demo, N_("Fill a workspace with sample data") },
  { "search", command_search, N_("Find contacts") },
  { "contact", command_contact, N_("Add, show or erase a contact") },
  { "company", command_company, N_("Add or show a company") },
  { "stats", command_stats, N_("Show what a workspace holds") },
  { "verify", command_verify, N_("Check a workspace for damage") },
  { "bench", command_bench, N_("Measure speed") },
};

static void
print_usage (void)
{
  g_printerr ("%s\n\n", _("Usage: rapport-cli COMMAND [OPTION…]"));
  g_printerr ("%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_printerr ("  %-8s %s\n", commands[i].name, _(commands[i].summary));
  g_printerr ("\n%s\n", _("“rapport-cli COMMAND --help” shows a command’s options."));
  g_printerr ("%s\n", _("Exit status: 0 done, 1 bad input, 2 cannot unlock, 3 damaged workspace."));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *cipher = NULL;
  g_autoptr (GError) error = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      print_usage ();
      return argc < 2 ? EXIT_BAD_INPUT : EXIT_OK;
    }

  if (g_str_equal (argv[1], "--version"))
    {
      cipher = crm_sqlcipher_version (&error);
      if (cipher == NULL)
        return fail (EXIT_DAMAGED, "%s", error->message);
      g_print ("rapport-cli %s (SQLCipher %s)\n", PACKAGE_VERSION, cipher);
      return EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (g_str_equal (argv[1], commands[i].name))
        {
          g_autofree char *program = g_strdup_printf ("rapport-cli %s", commands[i].name);

          /* The command parses its own options; it sees itself as argv[0]. */
          g_set_prgname (program);
          return commands[i].run (argc - 1, argv + 1);
        }
    }

  return fail (EXIT_BAD_INPUT, _("unknown command “%s”; “rapport-cli --help” lists them"),
               argv[1]);
}
