/* cmd-config.c: bouncetriage config: every setting with its value, or
 * (--man) the settings section of the manual page. */
#include "config.h"

#include <stdio.h>
#include "cli.h"
#include "cmd-store.h"

int
cmd_config (int argc, char **argv)
{
	store_opts_t o = { 0 };
	bt_settings_t *s;
	GString *out;
	int status = store_cli_parse_opts (argc, argv, &o);

	if (status >= 0)
		goto out;
	status = 1;
	if (o.args->len) {
		status = bt_cli_usage ("config", "takes no argument");
		goto out;
	}
	out = g_string_new (NULL);
	if (o.man) {
		bt_settings_man (out);
		status = 0;
	} else {
		char *path = bt_cli_config_path ("config");
		s = store_cli_settings ();
		if (s) {
			if (bt_settings_path (s) == NULL)
				g_string_append_printf (out, "# %s does not exist: every setting has its default\n",
							path);
			bt_settings_describe (s, out);
			bt_settings_free (s);
			status = 0;
		}
		g_free (path);
	}
	fwrite (out->str, 1, out->len, stdout);
	g_string_free (out, TRUE);
out:
	g_ptr_array_unref (o.args);
	return status;
}
