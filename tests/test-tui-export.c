/* test-tui-export.c: CSV export, the clipboard paths and the files feed:
 * the TUI modules that need no terminal. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <cmocka.h>
#include "bouncetriage/kb.h"
#include "bouncetriage/parse.h"
#include "../tui/clipboard.h"
#include "../tui/export.h"
#include "../tui/feed.h"

static bt_row_t *
row (bt_msg_t *m, const char *rcpt, const char *reason, const char *status)
{
	bt_row_t *r = g_new0 (bt_row_t, 1);

	r->msg = m;
	r->recipient = rcpt;
	r->reason = reason;
	r->status = status;
	return r;
}

static void
test_csv (void **state)
{
	bt_msg_t old = { .date = 1700000000 }, new = { .date = 1700086400 };
	GPtrArray *rows = g_ptr_array_new_with_free_func (g_free);
	GString *out = g_string_new (NULL);

	g_ptr_array_add (rows, row (&old, "A@example.org", "mailboxfull", "4.2.2"));
	g_ptr_array_add (rows, row (&new, "a@example.org", "userunknown", "5.1.1"));
	g_ptr_array_add (rows, row (&old, "=cmd|' /C calc'!A0", "filtered", NULL));
	g_ptr_array_add (rows, row (&old, "x\033]0;t\a\"q\"@e.test", "blocked", "5.7.1"));
	assert_int_equal (bt_export_csv (rows, out), 3);
	assert_string_equal (out->str,
		"address,reason,status,date,count\r\n"
		"a@example.org,userunknown,5.1.1,2023-11-15T22:13:20Z,2\r\n"
		"'=cmd|' /c calc'!a0,filtered,,2023-11-14T22:13:20Z,1\r\n"
		"\"x^[]0;t^G\"\"q\"\"@e.test\",blocked,5.7.1,2023-11-14T22:13:20Z,1\r\n");
	g_string_free (out, TRUE);
	g_ptr_array_free (rows, TRUE);
}

static void
test_csv_file (void **state)
{
	char *dir = g_dir_make_tmp ("bt-export-XXXXXX", NULL);
	char *path = g_build_filename (dir, "out.csv", NULL);
	char *bad = g_build_filename (dir, "no", "such", "out.csv", NULL);
	bt_msg_t m = { .date = 0 };
	GPtrArray *rows = g_ptr_array_new_with_free_func (g_free);
	GError *error = NULL;
	char *text = NULL;
	guint n = 0;

	g_ptr_array_add (rows, row (&m, "b@example.org", "hostunknown", "5.1.2"));
	assert_int_equal (bt_export_csv_file (rows, path, &n, &error), BT_OK);
	assert_int_equal (n, 1);
	assert_true (g_file_get_contents (path, &text, NULL, NULL));
	assert_string_equal (text, "address,reason,status,date,count\r\nb@example.org,hostunknown,5.1.2,,1\r\n");
	assert_int_equal (bt_export_csv_file (rows, bad, &n, &error), BT_ERR_IO);
	assert_non_null (error);
	g_clear_error (&error);
	g_unlink (path);
	g_rmdir (dir);
	g_free (text);
	g_free (path);
	g_free (bad);
	g_free (dir);
	g_ptr_array_free (rows, TRUE);
}

static void
test_osc52_payload (void **state)
{
	char *seq = bt_clipboard_osc52 ("user@example.org");

	assert_string_equal (seq, "\033]52;c;dXNlckBleGFtcGxlLm9yZw==\a");
	g_free (seq);
}

static void
test_method (void **state)
{
	g_unsetenv ("TMUX");
	assert_int_equal (bt_clipboard_method (NULL), BT_CLIP_OSC52);
	assert_int_equal (bt_clipboard_method ("wl-copy"), BT_CLIP_COMMAND);
	g_setenv ("TMUX", "/tmp/tmux-0/default,1,0", TRUE);
	assert_int_equal (bt_clipboard_method (""), BT_CLIP_TMUX);
	assert_int_equal (bt_clipboard_method ("xclip -selection clipboard"), BT_CLIP_COMMAND);
	g_unsetenv ("TMUX");
}

/* The command runs without a shell: text with shell syntax only reaches
 * its standard input. */
static void
test_command_without_shell (void **state)
{
	char *dir = g_dir_make_tmp ("bt-clip-XXXXXX", NULL);
	char *out = g_build_filename (dir, "clip", NULL);
	char *pwned = g_build_filename (dir, "pwned", NULL);
	char *cmd = g_strdup_printf ("tee '%s'", out);
	char *text = g_strdup_printf ("a@b.test; touch %s $(touch %s)", pwned, pwned);
	char *how = NULL, *got = NULL;
	GError *error = NULL;

	assert_int_equal (bt_clipboard_copy (text, cmd, stdout, &how, &error), BT_OK);
	assert_non_null (strstr (how, "tee"));
	assert_true (g_file_get_contents (out, &got, NULL, NULL));
	assert_string_equal (got, text);
	assert_false (g_file_test (pwned, G_FILE_TEST_EXISTS));
	g_free (how);
	assert_int_equal (bt_clipboard_copy ("x", "false", stdout, &how, &error), BT_ERR_IO);
	g_clear_error (&error);
	assert_int_equal (bt_clipboard_copy ("x", "/nonexistent/copy", stdout, &how, &error), BT_ERR_IO);
	g_clear_error (&error);
	assert_int_equal (bt_clipboard_copy ("x", "'unclosed", stdout, &how, &error), BT_ERR_INVALID);
	g_clear_error (&error);
	g_unlink (out);
	g_rmdir (dir);
	g_free (got); g_free (text); g_free (cmd); g_free (pwned); g_free (out); g_free (dir);
}

/* Inside tmux: `tmux load-buffer -w -`, run without a shell, the text on
 * its standard input.  A stand-in tmux on PATH records what it got. */
static void
test_tmux_buffer (void **state)
{
	char *dir = g_dir_make_tmp ("bt-tmux-XXXXXX", NULL);
	char *fake = g_build_filename (dir, "tmux", NULL);
	char *log = g_build_filename (dir, "log", NULL);
	char *script = g_strdup_printf ("#!/bin/sh\necho \"$@\" > '%s'\ncat >> '%s'\n", log, log);
	char *path = g_strdup_printf ("%s:%s", dir, g_getenv ("PATH"));
	char *old_path = g_strdup (g_getenv ("PATH"));
	char *how = NULL, *got = NULL;
	GError *error = NULL;

	assert_true (g_file_set_contents (fake, script, -1, NULL));
	g_chmod (fake, 0755);
	g_setenv ("PATH", path, TRUE);
	g_setenv ("TMUX", "/tmp/tmux-0/default,1,0", TRUE);
	assert_int_equal (bt_clipboard_copy ("a@b.test $(x)", NULL, stdout, &how, &error), BT_OK);
	assert_true (g_file_get_contents (log, &got, NULL, NULL));
	assert_string_equal (got, "load-buffer -w -\na@b.test $(x)");
	g_free (how);
	how = NULL;
	/* an old tmux: the error says what to do */
	assert_true (g_file_set_contents (fake, "#!/bin/sh\nexit 1\n", -1, NULL));
	g_chmod (fake, 0755);   /* set_contents made a new file */
	assert_int_equal (bt_clipboard_copy ("x", NULL, stdout, &how, &error), BT_ERR_IO);
	assert_non_null (strstr (error->message, "ui.clipboard"));
	g_clear_error (&error);
	g_unsetenv ("TMUX");
	g_setenv ("PATH", old_path, TRUE);
	g_unlink (fake);
	g_unlink (log);
	g_rmdir (dir);
	g_free (how); g_free (got); g_free (old_path); g_free (path); g_free (script);
	g_free (log); g_free (fake); g_free (dir);
}

static void
test_files_feed (void **state)
{
	const char *srcdir = g_getenv ("BT_SRCDIR");
	char *kbdir, *corpus;
	char *paths[2] = { NULL, NULL };
	bt_kb_t *kb;
	bt_feed_t *feed;
	GPtrArray *rows = g_ptr_array_new (), *errors = g_ptr_array_new_with_free_func (g_free);
	GError *error = NULL;
	bool done = false;
	int polls = 0;

	if (srcdir == NULL)
		skip ();
	kbdir = g_build_filename (srcdir, "kb", NULL);
	corpus = g_build_filename (srcdir, "tests", "corpus", NULL);
	kb = bt_kb_new ();
	assert_int_equal (bt_kb_load_dir (kb, kbdir, NULL, NULL), BT_OK);
	paths[0] = corpus;
	feed = bt_feed_files_new (paths, kb, &error);
	assert_non_null (feed);
	assert_true (feed->ops->restart (feed, NULL, &error));
	assert_false (feed->ops->restart (feed, "tag:x", &error));   /* queries need notmuch */
	g_clear_error (&error);
	while (!done && polls++ < 10000)
		done = feed->ops->poll (feed, rows, errors);
	assert_true (done);
	assert_true (polls > 2);   /* parsed a few at a time, not all at once */
	assert_true (rows->len > 20);
	for (guint i = 0; i < rows->len; i++) {
		bt_row_t *r = rows->pdata[i];

		assert_true (r->lane != BT_LANE_NONE);
		assert_non_null (r->reason);
		assert_non_null (feed->ops->report (feed, r->msg, NULL));
	}
	assert_null (feed->ops->tag);   /* read-only */
	bt_feed_free (feed);
	bt_kb_free (kb);
	g_ptr_array_free (rows, TRUE);
	g_ptr_array_free (errors, TRUE);
	g_free (kbdir);
	g_free (corpus);
}

int
main (void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test (test_csv),
		cmocka_unit_test (test_csv_file),
		cmocka_unit_test (test_osc52_payload),
		cmocka_unit_test (test_method),
		cmocka_unit_test (test_command_without_shell),
		cmocka_unit_test (test_tmux_buffer),
		cmocka_unit_test (test_files_feed),
	};

	g_setenv ("TZ", "UTC", TRUE);
	bt_parse_init ();
	return cmocka_run_group_tests (tests, NULL, NULL);
}
