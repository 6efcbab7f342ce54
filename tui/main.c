/* main.c: option parsing and the subcommand table. */
#include "config.h"

#include <locale.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bouncetriage/parse.h"
#include "cli.h"

const bt_command_t bt_commands[] = {
	{ "classify", cmd_classify, "[--json] [--explain] PATH... | -",
	  "parse and classify bounces in files, mboxes or maildirs" },
	{ "scan", cmd_scan, "[--json] [QUERY]", "list the bounces of the notmuch database" },
	{ "tag", cmd_tag, "[--dry-run] [--new] [QUERY]", "apply each bounce's default tags" },
	{ "undo", cmd_undo, "[--dry-run] [N]", "undo the last N tag changes (default 1)" },
	{ "suppressions", cmd_suppressions, "[--csv]", "print the hard-bounced addresses" },
	{ "reactivate", cmd_reactivate, "[--dry-run] ADDRESS", "take an address off the suppression list" },
	{ "kb", cmd_kb, "list | show ID | check FILE...", "read and check the knowledge base" },
	{ "keys", cmd_keys, "[--keymap FILE]", "print the key bindings" },
	{ "config", cmd_config, "", "print the settings and their values" },
	{ NULL, NULL, NULL, NULL },
};

static void
main_help (FILE *out)
{
	fprintf (out, "Usage: bouncetriage [--demo] [--config FILE] [--keymap FILE] [QUERY]\n"
		 "       bouncetriage COMMAND [ARGS]\n\n"
		 "Triage bounces (non-delivery reports) in a notmuch mail store.\n"
		 "Without a command, opens the full-screen triage view.\n\n"
		 "Commands:\n");
	for (const bt_command_t *c = bt_commands; c->name; c++)
		fprintf (out, "  %-13s %-34s %s\n", c->name, c->args, c->help);
	fprintf (out, "\nOptions:\n"
		 "  --demo          open the bundled demo store in a temporary database\n"
		 "  --config FILE   notmuch configuration file (as notmuch --config)\n"
		 "  --keymap FILE   key bindings to load instead of the default\n"
		 "                  (or a shipped keymap by name: emacs, mutt)\n"
		 "  --files PATH... browse bounces in files, mboxes or maildirs (read-only)\n"
		 "  --no-color      no colours (as NO_COLOR=1)\n"
		 "  -h, --help      show this help\n"
		 "  --version       show the version\n\n"
		 "See bouncetriage(1) for the knowledge base, key bindings and settings.\n");
}

int
main (int argc, char **argv)
{
	setlocale (LC_ALL, "");
	bt_parse_init ();
	if (argc > 1 && (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 || strcmp (argv[1], "help") == 0)) {
		main_help (stdout);
		return 0;
	}
	if (argc > 1 && strcmp (argv[1], "--version") == 0) {
		printf ("bouncetriage %s\n", PACKAGE_VERSION);
		return 0;
	}
	/* The global --config FILE may come before the command: move it after
	 * the command name, where every command parses it. */
	if (argc > 3 && strcmp (argv[1], "--config") == 0 && argv[3][0] != '-') {
		for (const bt_command_t *c = bt_commands; c->name; c++)
			if (strcmp (c->name, argv[3]) == 0) {
				char *opt = argv[1], *file = argv[2];
				argv[1] = argv[3];
				argv[2] = opt;
				argv[3] = file;
				break;
			}
	} else if (argc > 2 && g_str_has_prefix (argv[1], "--config=") && argv[2][0] != '-') {
		for (const bt_command_t *c = bt_commands; c->name; c++)
			if (strcmp (c->name, argv[2]) == 0) {
				char *opt = argv[1];
				argv[1] = argv[2];
				argv[2] = opt;
				break;
			}
	}
	if (argc > 1 && argv[1][0] != '-') {
		for (const bt_command_t *c = bt_commands; c->name; c++)
			if (strcmp (c->name, argv[1]) == 0)
				return c->run (argc - 1, argv + 1);
		/* Anything else that is not an option is a notmuch query for the
		 * TUI only when it looks like one (has a colon or a space). */
		if (strchr (argv[1], ':') == NULL && strchr (argv[1], ' ') == NULL) {
			fprintf (stderr, "bouncetriage: '%s' is not a bouncetriage command. See 'bouncetriage --help'.\n", argv[1]);
			return 2;
		}
	}
	return cmd_tui (argc, argv);
}
