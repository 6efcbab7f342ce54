/* test-keymap.c: key names and the bind/unbind/source grammar, without
 * curses or the action table (a small checker stands in for it). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <cmocka.h>
#include "../tui/keymap.h"

static const char *const contexts[] = { "global", "list", "pager", NULL };

static bool
checker (const char *context, const char *action, int argc, char **args, char **why, void *data)
{
	static const char *const known[] = { "down", "up", "quit", "limit", "close", NULL };

	for (int i = 0; known[i]; i++)
		if (strcmp (known[i], action) == 0) {
			if (strcmp (action, "close") == 0 && strcmp (context, "list") == 0) {
				*why = g_strdup ("close is not for the list");
				return false;
			}
			return true;
		}
	return false;
}

static bt_keymap_t *
km_new (void)
{
	return bt_keymap_new (contexts, checker, NULL);
}

static void
test_key_parse (void **state)
{
	assert_int_equal (bt_key_parse ("j"), 'j');
	assert_int_equal (bt_key_parse ("G"), 'G');
	assert_int_equal (bt_key_parse ("C-n"), BT_KEY_CTRL | 'n');
	assert_int_equal (bt_key_parse ("C-N"), BT_KEY_CTRL | 'n');
	assert_int_equal (bt_key_parse ("M-x"), BT_KEY_META | 'x');
	assert_int_equal (bt_key_parse ("C-M-x"), BT_KEY_CTRL | BT_KEY_META | 'x');
	assert_int_equal (bt_key_parse ("<Down>"), BT_KEY_DOWN);
	assert_int_equal (bt_key_parse ("Down"), BT_KEY_DOWN);
	assert_int_equal (bt_key_parse ("<PageDown>"), BT_KEY_PAGEDOWN);
	assert_int_equal (bt_key_parse ("<NPage>"), BT_KEY_PAGEDOWN);
	assert_int_equal (bt_key_parse ("<Enter>"), BT_KEY_ENTER);
	assert_int_equal (bt_key_parse ("C-m"), BT_KEY_ENTER);
	assert_int_equal (bt_key_parse ("<Tab>"), BT_KEY_TAB);
	assert_int_equal (bt_key_parse ("C-i"), BT_KEY_TAB);
	assert_int_equal (bt_key_parse ("<Space>"), ' ');
	assert_int_equal (bt_key_parse ("C-<Space>"), BT_KEY_CTRL | ' ');
	assert_int_equal (bt_key_parse ("<Hash>"), '#');
	assert_int_equal (bt_key_parse ("<F1>"), BT_KEY_F1);
	assert_int_equal (bt_key_parse ("<F12>"), BT_KEY_F12);
	assert_int_equal (bt_key_parse ("M-<Down>"), BT_KEY_META | BT_KEY_DOWN);
	assert_int_equal (bt_key_parse ("<M-Down>"), BT_KEY_META | BT_KEY_DOWN);
	assert_int_equal (bt_key_parse ("é"), 0xe9);
	assert_int_equal (bt_key_parse ("-"), '-');
	assert_int_equal (bt_key_parse ("M--"), BT_KEY_META | '-');
}

static void
test_key_parse_rejects (void **state)
{
	const char *bad[] = { "", "jk", "<F13>", "<F0>", "<Nope>", "S-g", "C-1", "C-",
			      "<>", "\x01", "\xff", "C-<", NULL };

	assert_int_equal (bt_key_parse (NULL), BT_KEY_NONE);
	for (int i = 0; bad[i]; i++)
		assert_int_equal (bt_key_parse (bad[i]), BT_KEY_NONE);
}

static void
test_key_names_round_trip (void **state)
{
	const char *names[] = { "j", "G", "C-n", "M-x", "<Down>", "<PageDown>", "<Enter>", "<Space>",
				"<Tab>", "<F1>", "<Hash>", "M-<Down>", "C-M-a", "?", "%", "<Escape>", NULL };

	for (int i = 0; names[i]; i++) {
		bt_key_t k = bt_key_parse (names[i]);
		char *n = bt_key_name (k);

		assert_string_equal (n, names[i]);
		assert_int_equal (bt_key_parse (n), k);
		g_free (n);
	}
}

static void
test_bind_lookup (void **state)
{
	bt_keymap_t *km = km_new ();
	GPtrArray *problems = g_ptr_array_new_with_free_func (g_free);
	const bt_binding_t *b;

	assert_int_equal (bt_keymap_load_string (km,
		"# comment\n"
		"bind global j down   # trailing comment\n"
		"\n"
		"bind list H limit hard\n"
		"bind list '#' quit\n"
		"bind list \"\\\"\" up\n"
		"bind pager <Space> close\r\n", -1, "t", problems), BT_OK);
	assert_int_equal (problems->len, 0);
	b = bt_keymap_lookup (km, "global", 'j');
	assert_non_null (b);
	assert_string_equal (bt_binding_action (b), "down");
	assert_int_equal (bt_binding_argc (b), 0);
	b = bt_keymap_lookup (km, "list", 'H');
	assert_string_equal (bt_binding_action (b), "limit");
	assert_int_equal (bt_binding_argc (b), 1);
	assert_string_equal (bt_binding_args (b)[0], "hard");
	assert_string_equal (bt_binding_action (bt_keymap_lookup (km, "list", '#')), "quit");
	assert_string_equal (bt_binding_action (bt_keymap_lookup (km, "list", '"')), "up");
	assert_string_equal (bt_binding_action (bt_keymap_lookup (km, "pager", ' ')), "close");
	/* no fallback inside the keymap: the caller chains contexts */
	assert_null (bt_keymap_lookup (km, "list", 'j'));
	assert_null (bt_keymap_lookup (km, "nope", 'j'));
	assert_int_equal (bt_keymap_key_for (km, "list", "limit"), 'H');
	assert_int_equal (bt_keymap_key_for (km, "list", "down"), BT_KEY_NONE);
	bt_keymap_free (km);
	g_ptr_array_free (problems, TRUE);
}

static void
test_rebind_and_unbind (void **state)
{
	bt_keymap_t *km = km_new ();
	GPtrArray *problems = g_ptr_array_new_with_free_func (g_free);

	bt_keymap_load_string (km, "bind global j down\nbind global k up\nbind global j quit\n", -1,
			       "t", problems);
	assert_int_equal (bt_keymap_bindings (km, "global")->len, 2);
	/* a rebind keeps its place in the listing */
	assert_string_equal (bt_binding_action (bt_keymap_bindings (km, "global")->pdata[0]), "quit");
	bt_keymap_load_string (km, "unbind global j\nunbind global x\n", -1, "t", problems);
	assert_int_equal (problems->len, 0);
	assert_null (bt_keymap_lookup (km, "global", 'j'));
	assert_non_null (bt_keymap_lookup (km, "global", 'k'));
	bt_keymap_free (km);
	g_ptr_array_free (problems, TRUE);
}

static void
test_errors_name_file_and_line (void **state)
{
	bt_keymap_t *km = km_new ();
	GPtrArray *p = g_ptr_array_new_with_free_func (g_free);

	assert_int_equal (bt_keymap_load_string (km,
		"bind global j down\n"
		"frob global j down\n"
		"bind nowhere j down\n"
		"bind global <Nope> down\n"
		"bind global x frobnicate\n"
		"bind global y\n"
		"bind list q close\n"
		"bind global 'z down\n"
		"unbind global\n"
		"bind global k up\n", -1, "my.keys", p), BT_ERR_PARSE);
	assert_int_equal (p->len, 8);
	assert_string_equal (p->pdata[0], "my.keys:2: unknown command 'frob' (bind, unbind or source)");
	assert_string_equal (p->pdata[1], "my.keys:3: unknown context 'nowhere'");
	assert_string_equal (p->pdata[2], "my.keys:4: unknown key '<Nope>'");
	assert_string_equal (p->pdata[3], "my.keys:5: unknown action 'frobnicate'");
	assert_string_equal (p->pdata[4], "my.keys:6: usage: bind CONTEXT KEY ACTION [ARGS...]");
	assert_string_equal (p->pdata[5], "my.keys:7: close is not for the list");
	assert_string_equal (p->pdata[6], "my.keys:8: missing closing '");
	assert_string_equal (p->pdata[7], "my.keys:9: usage: unbind CONTEXT KEY");
	/* the good lines still apply */
	assert_non_null (bt_keymap_lookup (km, "global", 'j'));
	assert_non_null (bt_keymap_lookup (km, "global", 'k'));
	bt_keymap_free (km);
	g_ptr_array_free (p, TRUE);
}

static void
test_hostile_input (void **state)
{
	bt_keymap_t *km = km_new ();
	GPtrArray *p = g_ptr_array_new_with_free_func (g_free);
	char *big = g_strnfill (10000, 'x');
	char nul[] = "bind global j down\n\0bind global k up\n";

	bt_keymap_load_string (km, big, -1, "big", p);
	assert_int_equal (p->len, 1);
	bt_keymap_load_string (km, nul, sizeof nul - 1, "nul", p);
	assert_int_equal (p->len, 2);
	assert_string_equal (p->pdata[1], "nul:2: line too long or holds a NUL byte");
	bt_keymap_load_string (km, "bind global \xff down\nbind \xfe\n", -1, "bad", p);
	assert_true (g_utf8_validate (p->pdata[p->len - 1], -1, NULL));
	g_free (big);
	bt_keymap_free (km);
	g_ptr_array_free (p, TRUE);
}

static char *
write_file (const char *dir, const char *name, const char *text)
{
	char *path = g_build_filename (dir, name, NULL);

	assert_true (g_file_set_contents (path, text, -1, NULL));
	return path;
}

static void
test_source (void **state)
{
	char *dir = g_dir_make_tmp ("bt-keymap-XXXXXX", NULL);
	char *a = write_file (dir, "a.keys", "bind global j down\nsource b.keys\nsource missing.keys\n");
	char *b = write_file (dir, "b.keys", "bind global k up\nbind global z zap\n");
	char *loop = write_file (dir, "loop.keys", "source loop.keys\n");
	char *c = g_build_filename (dir, "c.keys", NULL), *m = g_build_filename (dir, "missing.keys", NULL);
	char *want;
	bt_keymap_t *km = km_new ();
	GPtrArray *p = g_ptr_array_new_with_free_func (g_free);

	assert_int_equal (bt_keymap_load_file (km, a, p), BT_ERR_PARSE);
	assert_non_null (bt_keymap_lookup (km, "global", 'j'));
	assert_non_null (bt_keymap_lookup (km, "global", 'k'));
	assert_int_equal (p->len, 2);
	want = g_strdup_printf ("%s:2: unknown action 'zap'", b);
	assert_string_equal (p->pdata[0], want);
	g_free (want);
	assert_non_null (strstr (p->pdata[1], "missing.keys"));
	g_ptr_array_set_size (p, 0);
	/* A file that sources itself is refused at once, not loaded 8 deep. */
	assert_int_equal (bt_keymap_load_file (km, loop, p), BT_ERR_PARSE);
	assert_int_equal (p->len, 1);
	assert_non_null (strstr (p->pdata[0], "already being read"));
	g_ptr_array_set_size (p, 0);
	/* Only regular files are sourced (never a device that reads forever). */
	assert_int_equal (bt_keymap_load_string (km, "source /dev/zero\n", -1, "z.keys", p), BT_ERR_PARSE);
	assert_int_equal (p->len, 1);
	assert_string_equal (p->pdata[0], "z.keys:1: source: '/dev/zero' is not a regular file");
	g_ptr_array_set_size (p, 0);
	assert_int_equal (bt_keymap_load_file (km, c, p), BT_ERR_IO);
	assert_int_equal (p->len, 1);
	for (const char *f[] = { a, b, loop, NULL }, **q = f; *q; q++)
		g_unlink (*q);
	g_rmdir (dir);
	g_free (a); g_free (b); g_free (c); g_free (m); g_free (loop); g_free (dir);
	bt_keymap_free (km);
	g_ptr_array_free (p, TRUE);
}

/* The shipped keymaps parse against a checker that knows nothing of
 * actions but rejects nothing that is well-formed grammar. */
static bool
any_action (const char *context, const char *action, int argc, char **args, char **why, void *data)
{
	return true;
}

static void
test_shipped_keymaps_parse (void **state)
{
	const char *srcdir = g_getenv ("BT_SRCDIR");
	const char *names[] = { "default.keys", "emacs.keys", "mutt.keys", NULL };
	static const char *const all[] = { "global", "list", "group", "pager", NULL };

	if (srcdir == NULL)
		skip ();
	for (int i = 0; names[i]; i++) {
		char *path = g_build_filename (srcdir, "keymaps", names[i], NULL);
		bt_keymap_t *km = bt_keymap_new (all, any_action, NULL);
		GPtrArray *p = g_ptr_array_new_with_free_func (g_free);

		assert_int_equal (bt_keymap_load_file (km, path, p), BT_OK);
		assert_int_equal (p->len, 0);
		assert_true (bt_keymap_bindings (km, "list")->len > 20);
		bt_keymap_free (km);
		g_ptr_array_free (p, TRUE);
		g_free (path);
	}
}

int
main (void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test (test_key_parse),
		cmocka_unit_test (test_key_parse_rejects),
		cmocka_unit_test (test_key_names_round_trip),
		cmocka_unit_test (test_bind_lookup),
		cmocka_unit_test (test_rebind_and_unbind),
		cmocka_unit_test (test_errors_name_file_and_line),
		cmocka_unit_test (test_hostile_input),
		cmocka_unit_test (test_source),
		cmocka_unit_test (test_shipped_keymaps_parse),
	};

	return cmocka_run_group_tests (tests, NULL, NULL);
}
