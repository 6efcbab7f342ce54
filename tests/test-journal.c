/* test-journal.c: the tag-change journal and the settings table, without
 * a database. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <glib/gstdio.h>
#include "bouncetriage/journal.h"
#include "bouncetriage/settings.h"

static char *tmpdir;

static int
setup (void **state)
{
	tmpdir = g_dir_make_tmp ("bt-journal-XXXXXX", NULL);
	return tmpdir ? 0 : -1;
}

static int
teardown (void **state)
{
	char *cmd[] = { "rm", "-rf", tmpdir, NULL };
	g_spawn_sync (NULL, cmd, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
	g_free (tmpdir);
	return 0;
}

static bt_journal_entry_t *
entry_with (const char *kind, const char *label, const char *id,
	    const char *const *before, const char *const *after)
{
	bt_journal_entry_t *e = bt_journal_entry_new (kind, label);
	bt_journal_entry_add (e, id, before, after);
	return e;
}

static GPtrArray *
read_all (const char *path, GPtrArray *problems)
{
	GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify) bt_journal_entry_free);
	assert_int_equal (bt_journal_read (path, entries, problems, NULL), BT_OK);
	return entries;
}

static void
test_roundtrip (void **state)
{
	char *path = g_build_filename (tmpdir, "state", "bouncetriage", "journal", NULL);
	const char *before[] = { "inbox", "bounce", NULL };
	const char *after[] = { "bounce/triaged", "bounce", "inbox", NULL };
	bt_journal_entry_t *e = entry_with ("tag", "triage \"1\"\tbounce", "a@b", before, after);
	GPtrArray *entries;
	bt_journal_entry_t *r;

	assert_int_equal (bt_journal_append (path, e, NULL), BT_OK);
	entries = read_all (path, NULL);
	assert_int_equal (entries->len, 1);
	r = entries->pdata[0];
	assert_string_equal (r->id, e->id);
	assert_string_equal (r->kind, "tag");
	assert_string_equal (r->label, "triage \"1\"\tbounce");
	assert_int_equal (r->lineno, 1);
	assert_int_equal (r->changes->len, 1);
	/* Stored sorted. */
	bt_journal_change_t *c = r->changes->pdata[0];
	assert_string_equal (c->message_id, "a@b");
	assert_int_equal (g_strv_length (c->before), 2);
	assert_string_equal (c->before[0], "bounce");
	assert_string_equal (c->after[1], "bounce/triaged");
	g_ptr_array_unref (entries);
	bt_journal_entry_free (e);
	g_free (path);
}

/* Undoing "+inbox" on a message that already had inbox keeps inbox. */
static void
test_reverse_exact (void **state)
{
	const char *before[] = { "inbox", "unread", NULL };
	const char *after[] = { "inbox", "bounce", NULL };
	bt_journal_entry_t *e = entry_with ("tag", "x", "m", before, after);
	char **add, **rem;

	bt_journal_change_reverse (e->changes->pdata[0], &add, &rem);
	assert_int_equal (g_strv_length (add), 1);
	assert_string_equal (add[0], "unread");
	assert_int_equal (g_strv_length (rem), 1);
	assert_string_equal (rem[0], "bounce");
	g_strfreev (add);
	g_strfreev (rem);
	bt_journal_entry_free (e);
}

static void
test_corrupt_line_skipped (void **state)
{
	char *path = g_build_filename (tmpdir, "journal", NULL);
	const char *t[] = { "x", NULL };
	const char *none[] = { NULL };
	bt_journal_entry_t *a = entry_with ("tag", "first", "m1", none, t);
	bt_journal_entry_t *b = entry_with ("tag", "second", "m2", none, t);
	GPtrArray *problems = g_ptr_array_new_with_free_func (g_free);
	GPtrArray *entries, *undo = g_ptr_array_new ();
	FILE *f;

	assert_int_equal (bt_journal_append (path, a, NULL), BT_OK);
	/* A crash left half a line, without its newline. */
	f = fopen (path, "a");
	fputs ("{\"v\":1,\"id\":\"broken", f);
	fclose (f);
	assert_int_equal (bt_journal_append (path, b, NULL), BT_OK);
	entries = read_all (path, problems);
	assert_int_equal (entries->len, 2);
	assert_int_equal (problems->len, 1);
	assert_non_null (strstr (problems->pdata[0], ":2:"));
	/* Both good actions stay undoable, most recent first. */
	bt_journal_undoable (entries, 5, undo);
	assert_int_equal (undo->len, 2);
	assert_string_equal (((bt_journal_entry_t *) undo->pdata[0])->label, "second");
	g_ptr_array_unref (undo);
	g_ptr_array_unref (entries);
	g_ptr_array_unref (problems);
	bt_journal_entry_free (a);
	bt_journal_entry_free (b);
	g_free (path);
}

static void
test_undone_not_undoable (void **state)
{
	char *path = g_build_filename (tmpdir, "journal2", NULL);
	const char *t[] = { "x", NULL };
	const char *none[] = { NULL };
	bt_journal_entry_t *a = entry_with ("tag", "first", "m1", none, t);
	bt_journal_entry_t *b = entry_with ("tag", "second", "m2", none, t);
	bt_journal_entry_t *u = bt_journal_entry_new ("undo", "undo second");
	GPtrArray *entries, *undo = g_ptr_array_new ();

	g_strfreev (u->undoes);
	u->undoes = g_new0 (char *, 2);
	u->undoes[0] = g_strdup (b->id);
	assert_int_equal (bt_journal_append (path, a, NULL), BT_OK);
	assert_int_equal (bt_journal_append (path, b, NULL), BT_OK);
	assert_int_equal (bt_journal_append (path, u, NULL), BT_OK);
	entries = read_all (path, NULL);
	bt_journal_undoable (entries, 5, undo);
	assert_int_equal (undo->len, 1);
	assert_string_equal (((bt_journal_entry_t *) undo->pdata[0])->label, "first");
	g_ptr_array_unref (undo);
	g_ptr_array_unref (entries);
	bt_journal_entry_free (a);
	bt_journal_entry_free (b);
	bt_journal_entry_free (u);
	g_free (path);
}

static void
test_unwritable (void **state)
{
	/* A folder where a file is: nothing can be created under it, even as root. */
	char *file = g_build_filename (tmpdir, "plainfile", NULL);
	char *path = g_build_filename (file, "journal", NULL);
	bt_journal_entry_t *e = bt_journal_entry_new ("tag", "x");
	GError *error = NULL;

	assert_true (g_file_set_contents (file, "x", 1, NULL));
	assert_int_equal (bt_journal_check_writable (path, &error), BT_ERR_IO);
	assert_non_null (strstr (error->message, "journal"));
	g_clear_error (&error);
	assert_int_equal (bt_journal_append (path, e, &error), BT_ERR_IO);
	g_clear_error (&error);
	assert_int_equal (bt_journal_check_writable (NULL, &error), BT_ERR_IO);
	g_clear_error (&error);
	bt_journal_entry_free (e);
	g_free (path);
	g_free (file);
}

static void
test_missing_journal_is_empty (void **state)
{
	char *path = g_build_filename (tmpdir, "nothing-here", NULL);
	GPtrArray *entries = read_all (path, NULL);

	assert_int_equal (entries->len, 0);
	g_ptr_array_unref (entries);
	g_free (path);
}

/* ---- settings ---- */

static void
test_settings_defaults (void **state)
{
	bt_settings_t *s = bt_settings_new ();
	char *q = bt_settings_bounce_query (s, NULL), *q2 = bt_settings_bounce_query (s, "tag:new");

	for (const bt_setting_info_t *i = bt_settings_table; i->name; i++) {
		/* Every default passes its own validation. */
		assert_int_equal (bt_settings_set (s, i->name, i->def, NULL), BT_OK);
		assert_non_null (i->help);
	}
	assert_non_null (strstr (q, "from:mailer-daemon"));
	assert_non_null (strstr (q, "tag:bounce"));
	assert_non_null (strstr (q, "mimetype:message/delivery-status"));
	assert_non_null (strstr (q, "and not (tag:bounce/triaged)"));
	assert_true (g_str_has_suffix (q2, "and (tag:new)"));
	assert_int_equal (bt_settings_get_int (s, "ui.write-warn"), 5);
	assert_true (bt_settings_get_bool (s, "scan.cache"));
	g_free (q);
	g_free (q2);
	bt_settings_free (s);
}

static void
test_settings_file (void **state)
{
	char *path = g_build_filename (tmpdir, "config", NULL);
	const char *text =
		"# comment\n"
		"[query]\n"
		"hide = tag:done\n"
		"[ui]\n"
		"write-warn = 0\n"
		"nonsense = 1\n"
		"[tags]\n"
		"triaged = +done inbox\n"
		"[colors]\n"
		"hard = white,red,bold\n";
	bt_settings_t *s = bt_settings_new ();
	GPtrArray *problems = g_ptr_array_new_with_free_func (g_free);
	bt_color_t c;

	assert_true (g_file_set_contents (path, text, -1, NULL));
	assert_int_equal (bt_settings_load (s, path, problems, NULL), BT_ERR_PARSE);
	/* Line numbers name each bad line. */
	assert_int_equal (problems->len, 3);
	assert_non_null (strstr (problems->pdata[0], ":5:"));
	assert_non_null (strstr (problems->pdata[1], ":6:"));
	assert_non_null (strstr (problems->pdata[2], ":8:"));
	/* The good ones applied, the bad ones kept their value. */
	assert_string_equal (bt_settings_get (s, "query.hide"), "tag:done");
	assert_int_equal (bt_settings_get_int (s, "ui.write-warn"), 5);
	assert_string_equal (bt_settings_get (s, "tags.triaged"), "+bounce/triaged -inbox -unread");
	assert_true (bt_settings_get_color (s, "colors.hard", &c));
	assert_int_equal (c.fg, 7);
	assert_int_equal (c.bg, 1);
	assert_int_equal (c.attrs, BT_ATTR_BOLD);
	assert_true (bt_settings_is_set (s, "query.hide"));
	assert_false (bt_settings_is_set (s, "query.bounces"));
	g_ptr_array_unref (problems);
	bt_settings_free (s);
	g_free (path);
}

static void
test_settings_missing_file (void **state)
{
	bt_settings_t *s = bt_settings_new ();
	char *path = g_build_filename (tmpdir, "no-config", NULL);

	assert_int_equal (bt_settings_load (s, path, NULL, NULL), BT_OK);
	assert_null (bt_settings_path (s));
	g_free (path);
	bt_settings_free (s);
}

static void
test_settings_tags_colors (void **state)
{
	char **add, **rem;
	bt_color_t c;

	assert_true (bt_settings_parse_tags (" +a  -b +c/d ", &add, &rem, NULL));
	assert_int_equal (g_strv_length (add), 2);
	assert_string_equal (add[1], "c/d");
	assert_string_equal (rem[0], "b");
	g_strfreev (add);
	g_strfreev (rem);
	assert_false (bt_settings_parse_tags ("+", NULL, NULL, NULL));
	assert_false (bt_settings_parse_tags ("tag", NULL, NULL, NULL));
	assert_true (bt_settings_parse_color ("default,236", &c, NULL));
	assert_int_equal (c.fg, -1);
	assert_int_equal (c.bg, 236);
	assert_false (bt_settings_parse_color ("mauve", &c, NULL));
	assert_false (bt_settings_parse_color ("red,green,blue", &c, NULL));
	assert_false (bt_settings_parse_color ("", &c, NULL));
}

static void
test_settings_describe_and_man (void **state)
{
	bt_settings_t *s = bt_settings_new ();
	GString *d = g_string_new (NULL), *m = g_string_new (NULL);

	assert_int_equal (bt_settings_set (s, "ui.write-warn", "9", NULL), BT_OK);
	assert_int_equal (bt_settings_set (s, "nope", "9", NULL), BT_ERR_NOTFOUND);
	bt_settings_describe (s, d);
	bt_settings_man (m);
	assert_true (g_str_has_prefix (m->str, ".SH SETTINGS\n"));
	for (const bt_setting_info_t *i = bt_settings_table; i->name; i++) {
		char *line = g_strdup_printf ("%s = ", i->name);
		char *man = g_strdup_printf (".B %s\n", i->name);
		assert_non_null (strstr (d->str, line));
		/* troff: '-' written as '\-' in names */
		if (strchr (i->name, '-') == NULL)
			assert_non_null (strstr (m->str, man));
		g_free (line);
		g_free (man);
	}
	assert_non_null (strstr (d->str, "ui.write-warn = 9    # changed"));
	/* No line of the man text starts with a stray dot from a value. */
	g_string_free (d, TRUE);
	g_string_free (m, TRUE);
	bt_settings_free (s);
}

int
main (void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test (test_roundtrip),
		cmocka_unit_test (test_reverse_exact),
		cmocka_unit_test (test_corrupt_line_skipped),
		cmocka_unit_test (test_undone_not_undoable),
		cmocka_unit_test (test_unwritable),
		cmocka_unit_test (test_missing_journal_is_empty),
		cmocka_unit_test (test_settings_defaults),
		cmocka_unit_test (test_settings_file),
		cmocka_unit_test (test_settings_missing_file),
		cmocka_unit_test (test_settings_tags_colors),
		cmocka_unit_test (test_settings_describe_and_man),
	};
	return cmocka_run_group_tests (tests, setup, teardown);
}
