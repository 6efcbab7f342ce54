/* test-tui-keys.c: `bouncetriage keys` prints the live bindings of each
 * shipped keymap, the user's file is read after it, and every mistake in a
 * keymap is reported as FILE:LINE: message. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include <cmocka.h>

static char *config_home;

typedef struct {
	int status;
	char *out, *err;
} run_t;

static run_t
run_keys (const char *keymap)
{
	char *prog = g_build_filename (g_getenv ("BT_BUILDDIR"), "tui", "bouncetriage", NULL);
	char *argv[] = { prog, (char *) "keys", (char *) "--keymap", (char *) keymap, NULL };
	char **env = g_environ_setenv (g_get_environ (), "XDG_CONFIG_HOME", config_home, TRUE);
	run_t r = { 0 };
	GError *error = NULL;

	if (keymap == NULL)
		argv[2] = NULL;
	assert_true (g_spawn_sync (NULL, argv, env, 0, NULL, NULL, &r.out, &r.err, &r.status, &error));
	r.status = WEXITSTATUS (r.status);
	g_strfreev (env);
	g_free (prog);
	return r;
}

static void
run_free (run_t *r)
{
	g_free (r->out);
	g_free (r->err);
}

/* The set of actions bound, from the output's third column. */
static GHashTable *
actions_of (const char *out)
{
	GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
	char **lines = g_strsplit (out, "\n", -1);

	for (char **l = lines; *l; l++) {
		char **f;

		if (**l == '\0')
			continue;
		f = g_strsplit (*l, "\t", -1);
		assert_int_equal (g_strv_length (f), 4);
		assert_true (f[3][0] != '\0');   /* every binding has help */
		{
			char **words = g_strsplit (f[2], " ", 2);

			g_hash_table_add (set, g_strdup (words[0]));
			g_strfreev (words);
		}
		g_strfreev (f);
	}
	g_strfreev (lines);
	return set;
}

static void
write_user_keys (const char *text)
{
	char *dir = g_build_filename (config_home, "bouncetriage", NULL);
	char *path = g_build_filename (dir, "keys", NULL);

	g_mkdir_with_parents (dir, 0700);
	if (text)
		assert_true (g_file_set_contents (path, text, -1, NULL));
	else
		g_unlink (path);
	g_free (path);
	g_free (dir);
}

static void
test_default (void **state)
{
	run_t r = run_keys (NULL);

	assert_int_equal (r.status, 0);
	assert_string_equal (r.err, "");
	assert_non_null (strstr (r.out, "list\t<Space>\ttoggle-mark\t"));
	assert_non_null (strstr (r.out, "global\tj\tdown\tmove down a line\n"));
	assert_non_null (strstr (r.out, "list\tH\tlimit hard\t"));
	run_free (&r);
}

/* Each shipped keymap binds every action the default binds. */
static void
test_shipped_keymaps_are_complete (void **state)
{
	run_t d = run_keys (NULL);
	GHashTable *want = actions_of (d.out);
	const char *names[] = { "emacs", "mutt", "default", NULL };

	assert_true (g_hash_table_size (want) >= 30);
	for (int i = 0; names[i]; i++) {
		run_t r = run_keys (names[i]);
		GHashTable *got;
		GHashTableIter it;
		gpointer k;

		assert_int_equal (r.status, 0);
		assert_string_equal (r.err, "");
		got = actions_of (r.out);
		g_hash_table_iter_init (&it, want);
		while (g_hash_table_iter_next (&it, &k, NULL)) {
			if (!g_hash_table_contains (got, k))
				fail_msg ("%s.keys does not bind %s", names[i], (char *) k);
		}
		g_hash_table_destroy (got);
		run_free (&r);
	}
	g_hash_table_destroy (want);
	run_free (&d);
}

static void
test_user_file_read_after (void **state)
{
	run_t r;

	write_user_keys ("# mine\nbind list x quit\nunbind list <Space>\n");
	r = run_keys (NULL);
	assert_int_equal (r.status, 0);
	assert_non_null (strstr (r.out, "list\tx\tquit\t"));
	assert_null (strstr (r.out, "list\t<Space>\t"));
	run_free (&r);
	write_user_keys (NULL);
}

static void
test_errors (void **state)
{
	char *path = g_build_filename (config_home, "bouncetriage", "keys", NULL);
	char *want1 = g_strdup_printf ("%s:2: unknown action 'frobnicate'", path);
	char *want2 = g_strdup_printf ("%s:3: unknown key '<Nope>'", path);
	run_t r;

	write_user_keys ("bind list x quit\nbind list x frobnicate\nbind list <Nope> quit\nbind pager x limit\n");
	r = run_keys (NULL);
	assert_int_equal (r.status, 1);
	assert_non_null (strstr (r.err, want1));
	assert_non_null (strstr (r.err, want2));
	assert_non_null (strstr (r.err, ":4: action 'limit' cannot be used in context 'pager'"));
	run_free (&r);
	/* the file's bytes are quoted inert */
	write_user_keys ("bind list x \033]0;evil\007\n");
	r = run_keys (NULL);
	assert_int_equal (r.status, 1);
	assert_non_null (strstr (r.err, "unknown action '^[]0;evil^G'"));
	assert_null (strchr (r.err, '\033'));
	run_free (&r);
	write_user_keys (NULL);
	r = run_keys ("/nonexistent/my.keys");
	assert_int_equal (r.status, 1);
	assert_non_null (strstr (r.err, "/nonexistent/my.keys"));
	run_free (&r);
	g_free (want1);
	g_free (want2);
	g_free (path);
}

int
main (void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test (test_default),
		cmocka_unit_test (test_shipped_keymaps_are_complete),
		cmocka_unit_test (test_user_file_read_after),
		cmocka_unit_test (test_errors),
	};
	int status;

	if (g_getenv ("BT_BUILDDIR") == NULL)
		return 77;
	config_home = g_dir_make_tmp ("bt-keys-XXXXXX", NULL);
	status = cmocka_run_group_tests (tests, NULL, NULL);
	{
		char *dir = g_build_filename (config_home, "bouncetriage", NULL);

		g_rmdir (dir);
		g_free (dir);
	}
	g_rmdir (config_home);
	g_free (config_home);
	return status;
}
