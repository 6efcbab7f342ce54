/* cli.c: what the commands share: data paths, the knowledge base, errors. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "cli.h"

void
bt_cli_error (const char *fmt, ...)
{
	va_list ap;

	fputs ("bouncetriage: ", stderr);
	va_start (ap, fmt);
	vfprintf (stderr, fmt, ap);
	va_end (ap);
	fputc ('\n', stderr);
}

int
bt_cli_usage (const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf (stderr, "bouncetriage %s: ", cmd);
	va_start (ap, fmt);
	vfprintf (stderr, fmt, ap);
	va_end (ap);
	fprintf (stderr, " (see 'bouncetriage --help')\n");
	return 2;
}

/* The folder that holds the data of an uninstalled build: the source tree
 * beside the program (tui/bouncetriage -> ..). */
static char *
cli_exe_datadir (void)
{
	char *exe = g_file_read_link ("/proc/self/exe", NULL);
	char *dir, *top;

	if (exe == NULL)
		return NULL;
	dir = g_path_get_dirname (exe);
	top = g_path_get_dirname (dir);
	g_free (exe);
	g_free (dir);
	return top;
}

char *
bt_cli_data_path (const char *sub)
{
	const char *env = g_getenv ("BOUNCETRIAGE_DATADIR");
	char *path, *top;

	if (env && *env)
		return g_build_filename (env, sub, NULL);
	path = g_build_filename (BT_PKGDATADIR, sub, NULL);
	if (g_file_test (path, G_FILE_TEST_EXISTS))
		return path;
	g_free (path);
	top = cli_exe_datadir ();
	if (top) {
		path = g_build_filename (top, sub, NULL);
		g_free (top);
		if (g_file_test (path, G_FILE_TEST_EXISTS))
			return path;
		g_free (path);
	}
	return g_build_filename (BT_SRCDIR, sub, NULL);
}

/* $VAR/bouncetriage/SUB, or ~/FALLBACK/bouncetriage/SUB when VAR is unset
 * or relative (the XDG base directory rule). */
static char *
cli_xdg_path (const char *var, const char *fallback, const char *sub)
{
	const char *dir = g_getenv (var);

	if (dir && g_path_is_absolute (dir))
		return g_build_filename (dir, "bouncetriage", sub, NULL);
	return g_build_filename (g_get_home_dir (), fallback, "bouncetriage", sub, NULL);
}

char *
bt_cli_state_path (const char *sub)
{
	return cli_xdg_path ("XDG_STATE_HOME", ".local/state", sub);
}

char *
bt_cli_cache_path (const char *sub)
{
	return cli_xdg_path ("XDG_CACHE_HOME", ".cache", sub);
}

char *
bt_cli_config_path (const char *sub)
{
	return g_build_filename (g_get_user_config_dir (), "bouncetriage", sub, NULL);
}

bt_kb_t *
bt_cli_kb_load (void)
{
	bt_kb_t *kb = bt_kb_new ();
	GPtrArray *problems = g_ptr_array_new_with_free_func (g_free);
	char *dirs[2] = { bt_cli_data_path ("kb"), bt_cli_config_path ("kb") };
	GError *error = NULL;
	bool ok = true;

	for (int i = 0; i < 2 && ok; i++) {
		if (bt_kb_load_dir (kb, dirs[i], problems, &error) != BT_OK)
			ok = false;
		if (error) {
			bt_cli_error ("%s", error->message);
			g_clear_error (&error);
		}
	}
	for (guint i = 0; i < problems->len; i++)
		fprintf (stderr, "%s\n", (char *) problems->pdata[i]);
	if (problems->len > 0)
		ok = false;
	if (ok && bt_kb_count (kb) == 0) {
		bt_cli_error ("no knowledge base found in %s (set BOUNCETRIAGE_DATADIR?)", dirs[0]);
		ok = false;
	}
	g_ptr_array_free (problems, TRUE);
	g_free (dirs[0]);
	g_free (dirs[1]);
	if (!ok) {
		bt_kb_free (kb);
		return NULL;
	}
	return kb;
}
