/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rapport-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

#include "crm-sqlcipher.h"

/* Exit codes shared by every command. */
enum {
  EXIT_OK = 0,
  EXIT_BAD_INPUT = 1,
  EXIT_CANNOT_UNLOCK = 2,
  EXIT_DAMAGED = 3,
};

static int
print_version (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *cipher = crm_sqlcipher_version (&error);

  if (cipher == NULL)
    {
      g_printerr ("rapport-cli: %s\n", error->message);
      return EXIT_DAMAGED;
    }

  g_print ("rapport-cli %s (SQLCipher %s)\n", PACKAGE_VERSION, cipher);
  return EXIT_OK;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  gboolean version = FALSE;
  const GOptionEntry entries[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Show the version and exit"), NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (_("COMMAND [ARGUMENT…]"));
  g_option_context_set_summary (context, _("Work with a Rapport workspace from the command line."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("rapport-cli: %s\n", error->message);
      return EXIT_BAD_INPUT;
    }

  if (version)
    return print_version ();

  if (argc < 2)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      g_printerr ("%s", help);
      return EXIT_BAD_INPUT;
    }

  {
    /* Translators: %s is the command the user typed. */
    g_autofree char *message = g_strdup_printf (_("unknown command “%s”"), argv[1]);

    g_printerr ("rapport-cli: %s\n", message);
  }
  return EXIT_BAD_INPUT;
}
