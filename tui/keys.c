/* keys.c: the session's key bindings and `bouncetriage keys` (keys.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include "actions.h"
#include "cli.h"
#include "keys.h"
#include "sanitize.h"

/* keymaps/default.keys as a C string, made by the build (tui.mk). */
const char bt_keys_default[] =
#include "default-keys.inc"
	;

bt_keymap_t *
bt_keys_new (void)
{
	return bt_keymap_new (bt_contexts, bt_action_check, NULL);
}

char *
bt_keys_resolve (const char *keymap)
{
	char *name, *path;

	if (strchr (keymap, '/') || g_str_has_suffix (keymap, ".keys"))
		return g_strdup (keymap);
	name = g_strdup_printf ("keymaps/%s.keys", keymap);
	path = bt_cli_data_path (name);
	g_free (name);
	return path;
}

bt_keymap_t *
bt_keys_load (const char *keymap, GPtrArray *problems)
{
	bt_keymap_t *km = bt_keys_new ();
	char *user = bt_cli_config_path ("keys");

	if (keymap && *keymap) {
		char *path = bt_keys_resolve (keymap);

		bt_keymap_load_file (km, path, problems);
		g_free (path);
	} else if (bt_keymap_load_string (km, bt_keys_default, -1, "default.keys", problems) != BT_OK) {
		/* the defaults are ours: failing to parse them is a bug */
		g_error ("built-in key bindings do not parse");
	}
	if (g_file_test (user, G_FILE_TEST_EXISTS))
		bt_keymap_load_file (km, user, problems);
	g_free (user);
	return km;
}

int
cmd_keys (int argc, char **argv)
{
	const char *keymap = NULL;
	GPtrArray *problems = g_ptr_array_new_with_free_func (g_free);
	bt_keymap_t *km;
	GString *out;
	int status = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp (argv[i], "--keymap") == 0 && i + 1 < argc)
			keymap = argv[++i];
		else if (g_str_has_prefix (argv[i], "--keymap="))
			keymap = argv[i] + strlen ("--keymap=");
		else {
			g_ptr_array_free (problems, TRUE);
			return bt_cli_usage ("keys", "unexpected argument '%s'", argv[i]);
		}
	}
	km = bt_keys_load (keymap, problems);
	for (guint i = 0; i < problems->len; i++) {
		char *clean = bt_sanitize (problems->pdata[i], -1, BT_SANITIZE_LINE);

		fprintf (stderr, "%s\n", clean);
		g_free (clean);
	}
	if (problems->len)
		status = 1;
	out = g_string_new (NULL);
	bt_action_list_bindings (km, out);
	fputs (out->str, stdout);
	g_string_free (out, TRUE);
	bt_keymap_free (km);
	g_ptr_array_free (problems, TRUE);
	return status;
}
