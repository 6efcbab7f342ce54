/* cmd-kb.c: `bouncetriage kb list | show ID | check FILE...`. */
#include "config.h"

#include <string.h>
#include "bouncetriage/kb.h"
#include "cli.h"

static int
kb_check (int argc, char **argv)
{
	int status = 0;

	if (argc < 2)
		return bt_cli_usage ("kb", "check needs one or more files");
	for (int i = 1; i < argc; i++) {
		bt_kb_t *kb = bt_kb_new ();
		GPtrArray *problems = g_ptr_array_new_with_free_func (g_free);
		GError *error = NULL;

		if (bt_kb_load_file (kb, argv[i], problems, &error) != BT_OK)
			status = 1;
		if (error) {
			bt_cli_error ("%s", error->message);
			g_error_free (error);
		}
		for (guint j = 0; j < problems->len; j++)
			printf ("%s\n", (char *) problems->pdata[j]);
		if (problems->len == 0 && status == 0)
			printf ("%s: %u entries, ok\n", argv[i], bt_kb_count (kb));
		g_ptr_array_free (problems, TRUE);
		bt_kb_free (kb);
	}
	return status;
}

static int
kb_list (const bt_kb_t *kb)
{
	for (guint i = 0; i < bt_kb_count (kb); i++) {
		const bt_kb_entry_t *e = bt_kb_entry_at (kb, i);
		printf ("%-32s %-16s %-4s %s\n", bt_kb_entry_id (e), bt_kb_entry_reason (e),
			bt_kb_entry_hard (e) ? "hard" : "soft", bt_kb_entry_title (e));
	}
	return 0;
}

static int
kb_show (const bt_kb_t *kb, const char *id)
{
	const bt_kb_entry_t *e = bt_kb_get (kb, id);

	if (e == NULL) {
		bt_cli_error ("kb: no entry '%s' (see 'bouncetriage kb list')", id);
		return 1;
	}
	printf ("%s  [%s, %s]  %s\n\n%s\n\nWhat to do:\n%s\n\nTags: %s\nDefined in: %s\n",
		bt_kb_entry_id (e), bt_kb_entry_reason (e), bt_kb_entry_hard (e) ? "hard" : "soft",
		bt_kb_entry_title (e), bt_kb_entry_explanation (e), bt_kb_entry_advice (e),
		bt_kb_entry_tags (e) ? bt_kb_entry_tags (e) : "", bt_kb_entry_file (e));
	return 0;
}

int
cmd_kb (int argc, char **argv)
{
	bt_kb_t *kb;
	int status;

	if (argc < 2)
		return bt_cli_usage ("kb", "give list, show ID or check FILE");
	if (strcmp (argv[1], "check") == 0)
		return kb_check (argc - 1, argv + 1);
	if (strcmp (argv[1], "list") != 0 && strcmp (argv[1], "show") != 0)
		return bt_cli_usage ("kb", "unknown subcommand '%s'", argv[1]);
	if (strcmp (argv[1], "show") == 0 && argc != 3)
		return bt_cli_usage ("kb", "show needs one entry id");
	kb = bt_cli_kb_load ();
	if (kb == NULL)
		return 1;
	status = strcmp (argv[1], "list") == 0 ? kb_list (kb) : kb_show (kb, argv[2]);
	bt_kb_free (kb);
	return status;
}
