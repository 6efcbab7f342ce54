/* test-tui-screen.c: the real program in a pseudo-terminal (TERM
 * xterm-256color, fixed size), its screen read back with libvterm and
 * checked the way a person would look at it after each key. */
#include "config.h"

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <notmuch.h>
#include <cmocka.h>
#include "bouncetriage/demo.h"
#include "test-tui-term.h"
#include "nm-count.h"

static char *prog, *srcdir, *scratch;

/* The environment of a run: a clean config and state folder of its own. */
static char **
screen_env (const char *config_home, bool no_color)
{
	char **env = g_get_environ ();
	char *state = g_build_filename (scratch, "state", NULL);
	char *cache = g_build_filename (scratch, "cache", NULL);

	env = g_environ_setenv (env, "TERM", "xterm-256color", TRUE);
	env = g_environ_setenv (env, "LANG", "C.UTF-8", TRUE);
	env = g_environ_setenv (env, "LC_ALL", "C.UTF-8", TRUE);
	env = g_environ_setenv (env, "TZ", "UTC", TRUE);
	env = g_environ_setenv (env, "BOUNCETRIAGE_DATADIR", srcdir, TRUE);
	env = g_environ_setenv (env, "XDG_CONFIG_HOME", config_home ? config_home : scratch, TRUE);
	env = g_environ_setenv (env, "XDG_STATE_HOME", state, TRUE);
	env = g_environ_setenv (env, "XDG_CACHE_HOME", cache, TRUE);
	env = g_environ_unsetenv (env, "TMUX");
	env = g_environ_unsetenv (env, "NOTMUCH_CONFIG");
	env = no_color ? g_environ_setenv (env, "NO_COLOR", "1", TRUE) : g_environ_unsetenv (env, "NO_COLOR");
	g_free (state);
	g_free (cache);
	return env;
}

static bt_term_t *
screen_start (int rows, int cols, const char *config_home, int no_color, ...)
{
	GPtrArray *argv = g_ptr_array_new ();
	char **env = screen_env (config_home, no_color);
	const char *a;
	va_list ap;
	bt_term_t *t;

	g_ptr_array_add (argv, prog);
	va_start (ap, no_color);
	while ((a = va_arg (ap, const char *)) != NULL)
		g_ptr_array_add (argv, (gpointer) a);
	va_end (ap);
	g_ptr_array_add (argv, NULL);
	t = bt_term_spawn (rows, cols, (char **) argv->pdata, env);
	g_ptr_array_free (argv, TRUE);
	g_strfreev (env);
	return t;
}

static char *
corpus (void)
{
	return g_build_filename (srcdir, "tests", "corpus", NULL);
}

static void
screen_quit (bt_term_t *t)
{
	bt_term_send (t, "q");
	assert_int_equal (bt_term_wait_exit (t), 0);
	bt_term_free (t);
}

/* The recipient shown on a list row (the column after the date). */
static char *
row_recipient (bt_term_t *t, int row)
{
	char *line = bt_term_row (t, row);
	char **words = g_strsplit_set (line, " ", -1);
	char *out = NULL;

	/* a cut address ends in '~': keep what is shown of it */
	for (char **w = words; *w && out == NULL; w++)
		if (strchr (*w, '@'))
			out = g_strndup (*w, strcspn (*w, "~|"));
	g_strfreev (words);
	g_free (line);
	return out;
}

static void
test_list_and_pane (void **state)
{
	char *dir = corpus ();
	bt_term_t *t = screen_start (30, 130, NULL, true, "--files", dir, NULL);
	char *first, *second, *pane;

	assert_true (bt_term_wait (t, "Recipient"));
	bt_term_settle (t);
	assert_true (bt_term_wait (t, "1/"));
	/* header, list, the pane beside it with the verdict and the kb entry */
	assert_int_equal (bt_term_find (t, "Date"), 0);
	assert_true (bt_term_find (t, "Reason") >= 0);
	assert_true (bt_term_find (t, "Status") >= 0);
	assert_true (bt_term_find (t, "History") >= 0);
	assert_true (bt_term_find (t, "| failures | hard ") == 28);
	assert_true (bt_term_reverse (t, 1, 3));    /* the first row is selected */
	assert_false (bt_term_reverse (t, 2, 3));
	first = row_recipient (t, 1);
	second = row_recipient (t, 2);
	assert_non_null (first);
	assert_non_null (second);
	pane = bt_term_row (t, 0);
	assert_non_null (strstr (pane, first));     /* the pane shows the selected bounce */
	g_free (pane);
	/* the pane scrolls down to the knowledge base's advice */
	for (int i = 0; i < 10 && bt_term_find (t, "What to do:") < 0; i++) {
		bt_term_send (t, "J");
		bt_term_pump (t, 100);
	}
	assert_true (bt_term_find (t, "What to do:") >= 0);

	bt_term_send (t, "j");
	assert_true (bt_term_wait (t, "2/"));
	assert_true (bt_term_reverse (t, 2, 3));
	assert_false (bt_term_reverse (t, 1, 3));
	pane = bt_term_row (t, 0);
	assert_non_null (strstr (pane, second));
	g_free (pane);

	/* stacked layout, then back */
	bt_term_send (t, "|");
	assert_true (bt_term_wait (t, "-- Classifier"));
	bt_term_send (t, "|");
	assert_true (bt_term_wait_gone (t, "-- Classifier"));

	/* limit to hard bounces: every row left is hard */
	bt_term_send (t, "H");
	assert_true (bt_term_wait (t, "hard only"));
	assert_true (bt_term_find (t, "soft 0 |") >= 0);

	/* files are read-only: tagging says so in the status line */
	bt_term_send (t, "t");
	assert_true (bt_term_wait (t, "read-only"));
	g_free (first);
	g_free (second);
	g_free (dir);
	screen_quit (t);
}

/* Sort, marks, export and lanes on the files feed. */
static void
test_sort_mark_export_lane (void **state)
{
	char *dir = corpus ();
	char *out = g_build_filename (scratch, "export.csv", NULL);
	char *typed = g_strdup_printf ("\025%s\r", out);
	bt_term_t *t = screen_start (30, 130, NULL, true, "--files", dir, NULL);
	char *a, *b, *csv = NULL;
	int marked = 0;

	assert_true (bt_term_wait (t, "| failures"));
	bt_term_settle (t);
	bt_term_send (t, "s");
	assert_true (bt_term_wait (t, "sorted by recipient"));
	a = row_recipient (t, 1);
	b = row_recipient (t, 2);
	assert_true (strcmp (a, b) <= 0);
	g_free (a);
	g_free (b);

	/* mark every bounce with the selected one's reason */
	bt_term_send (t, "%");
	assert_true (bt_term_wait (t, "with reason"));
	{
		char *line = bt_term_row (t, 29);

		assert_int_equal (sscanf (line, "marked %d bounce", &marked), 1);
		g_free (line);
	}
	assert_true (marked >= 1);
	assert_true (bt_term_find (t, " marked |") == 28);
	assert_int_equal (bt_term_cell (t, 1, 0), '*');

	/* export the marked ones */
	bt_term_send (t, "e");
	assert_true (bt_term_wait (t, "Export marked to:"));
	bt_term_send (t, typed);
	assert_true (bt_term_wait (t, "exported"));
	assert_true (g_file_get_contents (out, &csv, NULL, NULL));
	assert_true (g_str_has_prefix (csv, "address,reason,status,date,count\r\n"));
	g_free (csv);

	bt_term_send (t, "U");
	assert_true (bt_term_wait_gone (t, " marked |"));
	assert_true (bt_term_cell (t, 1, 0) != '*');

	/* the delays lane */
	bt_term_send (t, "\t");
	assert_true (bt_term_wait (t, "lane: delays"));
	assert_true (bt_term_find (t, "| delays") == 28);
	g_unlink (out);
	g_free (typed);
	g_free (out);
	g_free (dir);
	screen_quit (t);
}

static void
test_help_and_pager (void **state)
{
	char *dir = corpus ();
	bt_term_t *t = screen_start (30, 100, NULL, true, "--files", dir, NULL);
	int row;

	assert_true (bt_term_wait (t, "Recipient"));
	bt_term_send (t, "?");
	assert_true (bt_term_wait (t, "Help: keys"));
	assert_true (bt_term_find (t, "toggle-layout") >= 0);
	/* the end of the help: every action is bound to some key */
	bt_term_send (t, "G");
	assert_true (bt_term_wait (t, "Not bound to a key"));
	row = bt_term_find (t, "Not bound to a key");
	{
		char *next = bt_term_row (t, row + 1);

		assert_string_equal (next, "");
		g_free (next);
	}
	bt_term_send (t, "q");
	assert_true (bt_term_wait_gone (t, "Help: keys"));
	assert_true (bt_term_wait (t, "Recipient"));

	/* the raw message, then back */
	bt_term_send (t, "\r");
	assert_true (bt_term_wait (t, "Raw message"));
	assert_true (bt_term_wait (t, "Content-Type"));
	bt_term_send (t, "q");
	assert_true (bt_term_wait_gone (t, "Raw message"));

	/* grouped view by reason, Enter limits the list to the group */
	bt_term_send (t, "=");
	assert_true (bt_term_wait (t, "Count  Hard First"));
	assert_true (bt_term_find (t, "userunknown") >= 0);
	bt_term_send (t, "\r");
	assert_true (bt_term_wait (t, "limited to reason"));
	g_free (dir);
	screen_quit (t);
}

static void
test_resize (void **state)
{
	char *dir = corpus ();
	bt_term_t *t = screen_start (30, 130, NULL, true, "--files", dir, NULL);
	char *line;

	assert_true (bt_term_wait (t, "| failures"));
	bt_term_resize (t, 20, 60);
	assert_true (bt_term_wait (t, "-- Classifier"));   /* too narrow for side by side */
	assert_true (bt_term_wait (t, "| failures"));
	assert_int_equal (bt_term_find (t, "| failures"), 18);
	assert_int_equal (bt_term_find (t, "Date"), 0);
	bt_term_resize (t, 12, 40);
	assert_true (bt_term_wait (t, "Classifier"));
	assert_int_equal (bt_term_find (t, "| fai"), 10);
	bt_term_resize (t, 10, 30);
	assert_true (bt_term_wait (t, "Terminal too small"));
	bt_term_resize (t, 30, 130);
	assert_true (bt_term_wait_gone (t, "Terminal too small"));
	assert_true (bt_term_wait (t, "| failures"));
	assert_int_equal (bt_term_find (t, "| failures"), 28);
	/* nothing of the small layouts is left over */
	assert_int_equal (bt_term_find (t, "Classifier"), -1);
	line = bt_term_row (t, 5);
	assert_non_null (strstr (line, "|"));
	g_free (line);
	g_free (dir);
	screen_quit (t);
}

static void
test_hostile_text_is_inert (void **state)
{
	char *file = g_build_filename (srcdir, "tests", "tui", "hostile.eml", NULL);
	bt_term_t *t = screen_start (30, 120, NULL, true, "--files", file, NULL);
	const GString *raw;
	char *b64, *osc;

	assert_true (bt_term_wait (t, "victim@example.test"));
	assert_true (bt_term_wait (t, "^[]0;retitled^G"));
	assert_true (bt_term_find (t, "<U+202E>") >= 0);
	assert_true (bt_term_find (t, "<U+200B>") >= 0);
	assert_true (bt_term_find (t, "<U+009B>") >= 0);
	assert_int_equal (bt_term_titles (t), 0);
	raw = bt_term_raw (t);
	assert_null (g_strstr_len (raw->str, (gssize) raw->len, "\033]0;"));
	assert_null (g_strstr_len (raw->str, (gssize) raw->len, "\xe2\x80\xae"));
	assert_null (g_strstr_len (raw->str, (gssize) raw->len, "\xc2\x9b"));

	/* the raw message shows the escapes as text too */
	bt_term_send (t, "\r");
	assert_true (bt_term_wait (t, "^[[2J^[]0;pwned^G"));
	assert_int_equal (bt_term_titles (t), 0);
	bt_term_send (t, "q");
	assert_true (bt_term_wait_gone (t, "Raw message"));

	/* copy the address: one OSC 52, holding exactly the address */
	bt_term_send (t, "y");
	assert_true (bt_term_wait (t, "OSC 52"));
	raw = bt_term_raw (t);
	b64 = g_base64_encode ((const guchar *) "victim@example.test", strlen ("victim@example.test"));
	osc = g_strdup_printf ("\033]52;c;%s\a", b64);
	assert_non_null (g_strstr_len (raw->str, (gssize) raw->len, osc));
	/* the diagnostic's own "OSC 52" was shown as text, never sent */
	{
		const char *p = raw->str, *end = raw->str + raw->len;
		int n = 0;

		while ((p = g_strstr_len (p, end - p, "\033]52;")) != NULL) {
			n++;
			p++;
		}
		assert_int_equal (n, 1);
	}
	/* the diagnostic: its sanitised text, nothing a terminal would run */
	bt_term_send (t, "Y");
	assert_true (bt_term_wait (t, "diagnostic sent"));
	{
		const char *p = g_strrstr_len (raw->str, (gssize) raw->len, "\033]52;c;");
		const char *end;
		char *payload;
		guchar *text;
		gsize len;

		assert_non_null (p);
		p += strlen ("\033]52;c;");
		end = strchr (p, '\a');
		assert_non_null (end);
		payload = g_strndup (p, end - p);
		text = g_base64_decode (payload, &len);
		assert_true (len > 10);
		for (gsize i = 0; i < len; i++)
			assert_true (text[i] >= 0x20 && text[i] != 0x7f);
		assert_non_null (g_strstr_len ((char *) text, (gssize) len, "user unknown"));
		g_free (text);
		g_free (payload);
	}
	g_free (osc);
	g_free (b64);
	g_free (file);
	screen_quit (t);
}

/* Wide characters (CJK, emoji) take two columns and the columns after
 * them stay aligned: the separator of the side-by-side layout is in the
 * same column on every row. */
static void
test_wide_characters_aligned (void **state)
{
	char *wide = g_build_filename (srcdir, "tests", "tui", "wide.eml", NULL);
	char *hostile = g_build_filename (srcdir, "tests", "tui", "hostile.eml", NULL);
	bt_term_t *t = screen_start (20, 160, NULL, true, "--files", wide, hostile, NULL);
	int sep = 160 * 55 / 100;

	assert_true (bt_term_wait (t, "会議の資料 🎉"));
	bt_term_settle (t);
	assert_int_equal (bt_term_find (t, "会議の資料"), 1);
	for (int row = 0; row < 18; row++)
		assert_int_equal (bt_term_cell (t, row, sep), '|');
	/* the pane wraps the subject without breaking a character */
	assert_true (bt_term_find (t, "東京都") >= 0);
	g_free (wide);
	g_free (hostile);
	screen_quit (t);
}

/* Another shipped keymap, chosen by name. */
static void
test_emacs_keymap (void **state)
{
	char *dir = corpus ();
	bt_term_t *t = screen_start (30, 130, NULL, true, "--keymap", "emacs", "--files", dir, NULL);

	assert_true (bt_term_wait (t, "| failures"));
	bt_term_settle (t);
	bt_term_send (t, "\016");   /* C-n */
	assert_true (bt_term_wait (t, "2/"));
	bt_term_send (t, "j");      /* not bound in emacs.keys */
	assert_true (bt_term_wait (t, "j is not bound"));
	bt_term_send (t, "\010");   /* C-h */
	assert_true (bt_term_wait (t, "Help: keys"));
	assert_true (bt_term_find (t, "C-n") >= 0);
	bt_term_send (t, "q");
	assert_true (bt_term_wait_gone (t, "Help: keys"));
	bt_term_send (t, "\021");   /* C-q quits: no XON/XOFF in the way */
	assert_int_equal (bt_term_wait_exit (t), 0);
	bt_term_free (t);
	g_free (dir);
}

static void
test_keymap_error_refuses_to_start (void **state)
{
	char *home = g_build_filename (scratch, "badkeys", NULL);
	char *dir = g_build_filename (home, "bouncetriage", NULL);
	char *keys = g_build_filename (dir, "keys", NULL);
	char *want = g_strdup_printf ("%s:2: unknown action 'frobnicate'", keys);
	char *corp = corpus ();
	bt_term_t *t;

	g_mkdir_with_parents (dir, 0700);
	assert_true (g_file_set_contents (keys, "bind list x quit\nbind list y frobnicate\n", -1, NULL));
	t = screen_start (24, 100, home, true, "--files", corp, NULL);
	assert_true (bt_term_wait (t, "unknown action 'frobnicate'"));
	assert_int_equal (bt_term_wait_exit (t), 1);
	{
		char *screen = bt_term_text (t);
		char **lines = g_strsplit (screen, "\n", -1);
		char *flat = g_strjoinv ("", lines);

		/* the path may wrap at the edge: compare without line breaks */
		assert_non_null (strstr (flat, want));
		g_strfreev (lines);
		g_free (flat);
		g_free (screen);
	}
	bt_term_free (t);
	g_unlink (keys);
	g_rmdir (dir);
	g_rmdir (home);
	g_free (corp);
	g_free (want);
	g_free (keys);
	g_free (dir);
	g_free (home);
}

static void
test_small_terminal (void **state)
{
	char *dir = corpus ();
	bt_term_t *t = screen_start (12, 40, NULL, true, "--files", dir, NULL);

	assert_true (bt_term_wait (t, "-- Classifier"));
	assert_int_equal (bt_term_find (t, "Date"), 0);
	assert_true (bt_term_wait (t, "| fail"));
	assert_int_equal (bt_term_find (t, "| fail"), 10);
	bt_term_send (t, "J");   /* the pane scrolls */
	bt_term_pump (t, 200);
	g_free (dir);
	screen_quit (t);
}

static void
test_colors (void **state)
{
	char *dir = corpus ();
	bt_term_t *t = screen_start (30, 100, NULL, true, "--files", dir, NULL);

	assert_true (bt_term_wait (t, "| failures"));
	bt_term_settle (t);
	assert_int_equal (bt_term_colored_cells (t), 0);   /* NO_COLOR */
	assert_true (bt_term_reverse (t, 28, 2));           /* still usable: status in reverse */
	screen_quit (t);
	t = screen_start (30, 100, NULL, false, "--files", dir, NULL);
	assert_true (bt_term_wait (t, "| failures"));
	bt_term_settle (t);
	assert_true (bt_term_colored_cells (t) > 0);
	g_free (dir);
	screen_quit (t);
}

/* C-c, SIGTERM and SIGHUP end the program cleanly, a fatal signal ends it
 * after curses was left: either way the terminal's normal screen is back
 * (rmcup comes after smcup). */
static void
signal_run (int how, int want_status)
{
	char *dir = corpus ();
	bt_term_t *t = screen_start (24, 80, NULL, true, "--files", dir, NULL);
	const GString *raw;
	const char *enter, *leave;

	assert_true (bt_term_wait (t, "| failures"));
	if (how == 0)
		bt_term_send (t, "\003");   /* C-c */
	else
		bt_term_signal (t, how);
	assert_int_equal (bt_term_wait_exit (t), want_status);
	raw = bt_term_raw (t);
	enter = g_strstr_len (raw->str, (gssize) raw->len, "\033[?1049h");
	leave = g_strrstr_len (raw->str, (gssize) raw->len, "\033[?1049l");
	assert_non_null (enter);
	assert_non_null (leave);
	assert_true (leave > enter);
	bt_term_free (t);
	g_free (dir);
}

static void
test_signal_restores_terminal (void **state)
{
	signal_run (0, 0);
	signal_run (SIGTERM, 0);
	signal_run (SIGHUP, 0);
	/* a fatal signal: the terminal is restored, then the signal kills */
	signal_run (SIGABRT, 128 + SIGABRT);
}

/* ---- with a notmuch database ------------------------------------------ */

static void
test_tag_and_undo_in_database (void **state)
{
	char *root = g_build_filename (scratch, "db", NULL);
	char *dir = corpus ();
	char *config = NULL;
	GError *error = NULL;
	bt_term_t *t;

	g_mkdir_with_parents (root, 0700);
	if (bt_demo_create (dir, root, &config, &error) != BT_OK)
		fail_msg ("demo: %s", error->message);
	assert_int_equal (bt_test_nm_count (config, "tag:bounce/triaged"), 0);
	t = screen_start (30, 100, NULL, true, "--config", config, NULL);
	assert_true (bt_term_wait (t, "| failures"));
	bt_term_settle (t);
	assert_true (bt_term_wait (t, "1/"));

	/* mark triaged and move on: the write is queued, done, in the database */
	bt_term_send (t, "t");
	assert_true (bt_term_wait (t, "done: triage: 1 bounce"));
	assert_true (bt_term_wait (t, "2/"));
	assert_int_equal (bt_test_nm_count (config, "tag:bounce/triaged"), 1);
	bt_term_send (t, "k");
	assert_true (bt_term_wait (t, "bounce/triaged"));   /* the pane's tags */

	/* add a tag at the prompt, with completion from the database */
	bt_term_send (t, "+");
	assert_true (bt_term_wait (t, "Add tag:"));
	bt_term_send (t, "inb\t");
	assert_true (bt_term_wait (t, "Add tag: inbox"));
	bt_term_send (t, "\025later\r");   /* C-u clears the line */
	assert_true (bt_term_wait (t, "done: add tags"));
	assert_int_equal (bt_test_nm_count (config, "tag:later"), 1);

	/* undo twice: both changes are gone from the database */
	bt_term_send (t, "u");
	assert_true (bt_term_wait (t, "done: undo"));
	assert_int_equal (bt_test_nm_count (config, "tag:later"), 0);
	assert_int_equal (bt_test_nm_count (config, "tag:bounce/triaged"), 1);
	bt_term_send (t, "u");
	assert_true (bt_term_wait (t, "done: undo: triage"));
	assert_int_equal (bt_test_nm_count (config, "tag:bounce/triaged"), 0);

	/* mark all with the same reason, then triage them in one action */
	{
		int marked = 0, messages = 0;
		char *line;

		bt_term_send (t, "%");
		assert_true (bt_term_wait (t, "with reason"));
		line = bt_term_row (t, 29);
		assert_int_equal (sscanf (line, "marked %d bounce", &marked), 1);
		g_free (line);
		bt_term_send (t, ";");
		assert_true (bt_term_wait (t, "next action applies"));
		bt_term_send (t, "t");
		/* one change per message: a bounce for two recipients is one */
		assert_true (bt_term_wait (t, "done: triage: "));
		line = bt_term_row (t, 29);
		assert_int_equal (sscanf (line, "done: triage: %d bounce", &messages), 1);
		g_free (line);
		assert_true (messages >= 1 && messages <= marked);
		assert_int_equal (bt_test_nm_count (config, "tag:bounce/triaged"), (guint) messages);
		bt_term_send (t, "u");
		assert_true (bt_term_wait (t, "done: undo: triage"));
		assert_int_equal (bt_test_nm_count (config, "tag:bounce/triaged"), 0);
	}

	/* the knowledge base's default tags */
	bt_term_send (t, "a");
	assert_true (bt_term_wait (t, "done: default tags: 1 bounce"));
	assert_int_equal (bt_test_nm_count (config, "tag:bounce"), 1);
	bt_term_send (t, "u");
	assert_true (bt_term_wait (t, "done: undo: default tags"));
	assert_int_equal (bt_test_nm_count (config, "tag:bounce"), 0);

	/* a notmuch query narrows the list */
	bt_term_send (t, "/");
	assert_true (bt_term_wait (t, "notmuch query:"));
	bt_term_send (t, "Invoice\r");
	assert_true (bt_term_wait (t, "query: Invoice"));
	bt_term_settle (t);
	assert_true (bt_term_find (t, "1/") == 28);
	screen_quit (t);
	bt_demo_remove (root);
	g_free (config);
	g_free (root);
	g_free (dir);
}

/* While another program holds the database's write lock, a tag change
 * waits in the queue (shown with its age) and the screen keeps answering
 * keys; when the lock is released, the change is applied. */
static void
test_writes_never_block_input (void **state)
{
	char *root = g_build_filename (scratch, "lockdb", NULL);
	char *dir = corpus ();
	char *config = NULL, *msg = NULL;
	notmuch_database_t *db = NULL;
	bt_term_t *t;

	if (!notmuch_built_with ("retry_lock"))
		skip ();
	g_mkdir_with_parents (root, 0700);
	assert_int_equal (bt_demo_create (dir, root, &config, NULL), BT_OK);
	t = screen_start (30, 130, NULL, true, "--config", config, NULL);
	assert_true (bt_term_wait (t, "| failures"));
	bt_term_settle (t);
	assert_int_equal (notmuch_database_open_with_config (NULL, NOTMUCH_DATABASE_MODE_READ_WRITE,
							     config, NULL, &db, &msg), NOTMUCH_STATUS_SUCCESS);
	bt_term_send (t, "t");
	assert_true (bt_term_wait (t, "1 write queued, oldest"));
	bt_term_send (t, "j");
	assert_true (bt_term_wait (t, "3/"));   /* t moved to 2, j to 3: input was not held */
	assert_int_equal (bt_test_nm_count (config, "tag:bounce/triaged"), 0);
	notmuch_database_destroy (db);
	assert_true (bt_term_wait (t, "done: triage: 1 bounce"));
	assert_true (bt_term_wait_gone (t, "write queued"));
	assert_int_equal (bt_test_nm_count (config, "tag:bounce/triaged"), 1);
	screen_quit (t);
	free (msg);
	bt_demo_remove (root);
	g_free (config);
	g_free (root);
	g_free (dir);
}

/* The message that bounced, when the database has it. */
static void
test_goto_original (void **state)
{
	char *root = g_build_filename (scratch, "origdb", NULL);
	char *dir = g_build_filename (srcdir, "tests", "tui", NULL);
	char *config = NULL;
	bt_term_t *t;

	g_mkdir_with_parents (root, 0700);
	assert_int_equal (bt_demo_create (dir, root, &config, NULL), BT_OK);
	t = screen_start (30, 130, NULL, true, "--config", config, NULL);
	assert_true (bt_term_wait (t, "| failures"));
	bt_term_settle (t);
	bt_term_send (t, "s");   /* by recipient: tanaka, then victim */
	assert_true (bt_term_wait (t, "sorted by recipient"));
	bt_term_send (t, "o");   /* tanaka's original is not in the database */
	bt_term_pump (t, 300);
	assert_int_equal (bt_term_find (t, "Original message"), -1);
	bt_term_send (t, "jo");
	assert_true (bt_term_wait (t, "Original message"));
	assert_true (bt_term_wait (t, "Subject: The original message that bounced"));
	bt_term_send (t, "q");
	assert_true (bt_term_wait_gone (t, "Original message"));
	screen_quit (t);
	bt_demo_remove (root);
	g_free (config);
	g_free (root);
	g_free (dir);
}

static void
test_demo (void **state)
{
	bt_term_t *t = screen_start (30, 100, NULL, true, "--demo", NULL);

	assert_true (bt_term_wait (t, "DEMO"));
	assert_true (bt_term_wait (t, "This is the demo"));
	assert_true (bt_term_wait (t, "| failures"));
	screen_quit (t);
}

int
main (void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test (test_list_and_pane),
		cmocka_unit_test (test_sort_mark_export_lane),
		cmocka_unit_test (test_help_and_pager),
		cmocka_unit_test (test_resize),
		cmocka_unit_test (test_hostile_text_is_inert),
		cmocka_unit_test (test_wide_characters_aligned),
		cmocka_unit_test (test_emacs_keymap),
		cmocka_unit_test (test_keymap_error_refuses_to_start),
		cmocka_unit_test (test_small_terminal),
		cmocka_unit_test (test_colors),
		cmocka_unit_test (test_signal_restores_terminal),
		cmocka_unit_test (test_tag_and_undo_in_database),
		cmocka_unit_test (test_writes_never_block_input),
		cmocka_unit_test (test_goto_original),
		cmocka_unit_test (test_demo),
	};
	int status;

	if (g_getenv ("BT_BUILDDIR") == NULL || g_getenv ("BT_SRCDIR") == NULL)
		return 77;
	/* Under valgrind (tests/valgrind-check) only this harness would be
	 * checked, not the program it drives, and valgrind warns about the
	 * pseudo-terminal's ioctls: nothing to learn there. */
	if (g_getenv ("LD_PRELOAD") && strstr (g_getenv ("LD_PRELOAD"), "vgpreload")) {
		fprintf (stderr, "test-tui-screen: skipped under valgrind\n");
		return 77;
	}
	prog = g_build_filename (g_getenv ("BT_BUILDDIR"), "tui", "bouncetriage", NULL);
	srcdir = g_strdup (g_getenv ("BT_SRCDIR"));
	scratch = g_dir_make_tmp ("bt-screen-XXXXXX", NULL);
	status = cmocka_run_group_tests (tests, NULL, NULL);
	bt_demo_remove (scratch);
	g_free (scratch);
	g_free (srcdir);
	g_free (prog);
	return status;
}
