/* test-cli-store.c: the store commands of the real program (scan, tag,
 * undo, suppressions, reactivate, config) on a temporary database. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <cmocka.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <notmuch.h>
#include "bouncetriage/demo.h"
#include "nm-count.h"

static const char *const fixtures[] = {
	"postfix-01-userunknown.eml",
	"postfix-04-multirecipient.eml",
	"postfix-05-delayed-connectiontimedout.eml",
	"postfix-06-delivered.eml",
	"sendmail-01-userunknown.eml",
	"vacation-01-outofoffice.eml",
	"arf-01-feedback-abuse.eml",
};

typedef struct {
	char *root, *config, *program;
	char **env;
} fx_t;

typedef struct {
	int status;
	char *out, *err;
} run_t;

static void
run_free (run_t *r)
{
	g_free (r->out);
	g_free (r->err);
}

static char *
top (const char *env, const char *fallback, const char *sub)
{
	const char *t = g_getenv (env);
	return g_build_filename (t ? t : fallback, sub, NULL);
}

static int
setup (void **state)
{
	fx_t *fx = g_new0 (fx_t, 1);
	char *msgs, *db, *xdgc, *xdgs, *xdgk;

	fx->program = top ("BT_BUILDDIR", ".", "tui/bouncetriage");
	if (!g_file_test (fx->program, G_FILE_TEST_IS_EXECUTABLE)) {
		print_message ("no program at %s\n", fx->program);
		return -1;
	}
	fx->root = g_dir_make_tmp ("bt-cli-XXXXXX", NULL);
	msgs = g_build_filename (fx->root, "msgs", NULL);
	db = g_build_filename (fx->root, "db", NULL);
	g_mkdir (msgs, 0700);
	g_mkdir (db, 0700);
	for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++) {
		char *src = top ("BT_SRCDIR", BT_SRCDIR, "tests/corpus"), *from, *to, *data;
		gsize len;
		from = g_build_filename (src, fixtures[i], NULL);
		to = g_build_filename (msgs, fixtures[i], NULL);
		assert_true (g_file_get_contents (from, &data, &len, NULL));
		assert_true (g_file_set_contents (to, data, (gssize) len, NULL));
		g_free (data);
		g_free (from);
		g_free (to);
		g_free (src);
	}
	assert_int_equal (bt_demo_create (msgs, db, &fx->config, NULL), BT_OK);
	xdgc = g_build_filename (fx->root, "config", NULL);
	xdgs = g_build_filename (fx->root, "state", NULL);
	xdgk = g_build_filename (fx->root, "cache", NULL);
	fx->env = g_get_environ ();
	fx->env = g_environ_setenv (fx->env, "XDG_CONFIG_HOME", xdgc, TRUE);
	fx->env = g_environ_setenv (fx->env, "XDG_STATE_HOME", xdgs, TRUE);
	fx->env = g_environ_setenv (fx->env, "XDG_CACHE_HOME", xdgk, TRUE);
	fx->env = g_environ_setenv (fx->env, "HOME", fx->root, TRUE);
	fx->env = g_environ_unsetenv (fx->env, "NOTMUCH_CONFIG");
	fx->env = g_environ_unsetenv (fx->env, "NOTMUCH_PROFILE");
	g_free (xdgc);
	g_free (xdgs);
	g_free (xdgk);
	g_free (msgs);
	g_free (db);
	*state = fx;
	return 0;
}

static int
teardown (void **state)
{
	fx_t *fx = *state;
	char *rm[] = { "rm", "-rf", fx->root, NULL };

	g_spawn_sync (NULL, rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
	g_strfreev (fx->env);
	g_free (fx->root);
	g_free (fx->config);
	g_free (fx->program);
	g_free (fx);
	return 0;
}

/* Run the program with args (NULL-terminated); "@" stands for "--config FILE". */
static run_t
run (fx_t *fx, ...)
{
	GPtrArray *argv = g_ptr_array_new ();
	GError *e = NULL;
	run_t r = { 0 };
	va_list ap;
	const char *a;

	g_ptr_array_add (argv, fx->program);
	va_start (ap, fx);
	while ((a = va_arg (ap, const char *)) != NULL) {
		if (strcmp (a, "@") == 0) {
			g_ptr_array_add (argv, "--config");
			g_ptr_array_add (argv, fx->config);
		} else
			g_ptr_array_add (argv, (char *) a);
	}
	va_end (ap);
	g_ptr_array_add (argv, NULL);
	if (!g_spawn_sync (NULL, (char **) argv->pdata, fx->env, 0, NULL, NULL,
			   &r.out, &r.err, &r.status, &e))
		fail_msg ("spawn: %s", e->message);
	r.status = WEXITSTATUS (r.status);
	g_ptr_array_free (argv, TRUE);
	return r;
}

static void
test_scan (void **state)
{
	fx_t *fx = *state;
	run_t r = run (fx, "scan", "@", NULL);
	run_t g = run (fx, "--config", fx->config, "scan", NULL);

	assert_int_equal (r.status, 0);
	assert_non_null (strstr (r.out, "bruno.castellan@example.net userunknown (hard) 5.1.1"));
	assert_non_null (strstr (r.out, "7 bounces: 3 failures, 1 delays, 1 auto-replies, 1 feedback, 1 delivered"));
	/* --config before the command works the same. */
	assert_int_equal (g.status, 0);
	assert_non_null (strstr (g.out, "7 bounces"));
	run_free (&r);
	run_free (&g);
}

static void
test_scan_json (void **state)
{
	fx_t *fx = *state;
	run_t r = run (fx, "scan", "--json", "@", "from:mailer-daemon", NULL);
	char **lines = g_strsplit (r.out, "\n", -1);
	JsonParser *p = json_parser_new ();
	guint n = 0;

	assert_int_equal (r.status, 0);
	for (char **l = lines; *l; l++) {
		JsonObject *o;
		if (**l == '\0')
			continue;
		assert_true (json_parser_load_from_data (p, *l, -1, NULL));
		o = json_node_get_object (json_parser_get_root (p));
		assert_non_null (json_object_get_string_member (o, "lane"));
		assert_true (json_array_get_length (json_object_get_array_member (o, "recipients")) >= 1);
		n++;
	}
	/* Five from MAILER-DAEMON: two postfix failures, a delay, a delivery report, sendmail. */
	assert_int_equal (n, 5);
	assert_non_null (strstr (r.err, "5 bounces"));
	g_object_unref (p);
	g_strfreev (lines);
	run_free (&r);
}

static void
test_tag_undo (void **state)
{
	fx_t *fx = *state;
	run_t r;

	r = run (fx, "tag", "--dry-run", "@", NULL);
	assert_int_equal (r.status, 0);
	assert_non_null (strstr (r.out, "+bounce/userunknown"));
	assert_non_null (strstr (r.out, "7 messages would change"));
	assert_int_equal (bt_test_nm_count (fx->config, "tag:bounce"), 0);
	run_free (&r);

	r = run (fx, "tag", "@", NULL);
	assert_int_equal (r.status, 0);
	assert_int_equal (bt_test_nm_count (fx->config, "tag:bounce"), 7);
	assert_int_equal (bt_test_nm_count (fx->config, "tag:bounce/userunknown"), 3);
	assert_int_equal (bt_test_nm_count (fx->config, "property:bouncetriage.reason=userunknown"), 3);
	run_free (&r);

	/* Nothing more to do the second time. */
	r = run (fx, "tag", "@", NULL);
	assert_non_null (strstr (r.out, "nothing to change"));
	run_free (&r);

	r = run (fx, "undo", "--dry-run", "@", NULL);
	assert_int_equal (r.status, 0);
	assert_non_null (strstr (r.out, "would undo tag 7 bounces"));
	assert_int_equal (bt_test_nm_count (fx->config, "tag:bounce"), 7);
	run_free (&r);

	r = run (fx, "undo", "@", NULL);
	assert_int_equal (r.status, 0);
	assert_int_equal (bt_test_nm_count (fx->config, "tag:bounce"), 0);
	assert_int_equal (bt_test_nm_count (fx->config, "tag:inbox"), 7);   /* all of them again */
	run_free (&r);

	r = run (fx, "undo", "@", NULL);
	assert_int_equal (r.status, 0);
	assert_non_null (strstr (r.out, "nothing to undo"));
	run_free (&r);

	r = run (fx, "undo", "@", "zero", NULL);
	assert_int_equal (r.status, 2);
	run_free (&r);
}

static void
test_tag_new (void **state)
{
	fx_t *fx = *state;
	notmuch_database_t *db;
	notmuch_message_t *m;
	run_t r;

	/* Only one message is still new. */
	assert_int_equal (notmuch_database_open_with_config (NULL, NOTMUCH_DATABASE_MODE_READ_WRITE,
							     fx->config, NULL, &db, NULL), 0);
	{
		notmuch_query_t *q = notmuch_query_create (db, "tag:new");
		notmuch_messages_t *ms;
		assert_int_equal (notmuch_query_search_messages (q, &ms), 0);
		for (; notmuch_messages_valid (ms); notmuch_messages_move_to_next (ms)) {
			m = notmuch_messages_get (ms);
			if (strstr (notmuch_message_get_filename (m), "sendmail-01") == NULL)
				notmuch_message_remove_tag (m, "new");
			notmuch_message_destroy (m);
		}
		notmuch_query_destroy (q);
	}
	notmuch_database_destroy (db);

	r = run (fx, "tag", "--new", "@", NULL);
	assert_int_equal (r.status, 0);
	assert_non_null (strstr (r.out, "1 messages changed"));
	assert_int_equal (bt_test_nm_count (fx->config, "tag:bounce"), 1);
	run_free (&r);

	r = run (fx, "tag", "--help", NULL);
	assert_int_equal (r.status, 0);
	assert_non_null (strstr (r.out, "#!/bin/sh\n    bouncetriage tag --new\n"));
	run_free (&r);
}

static void
test_suppressions_reactivate (void **state)
{
	fx_t *fx = *state;
	run_t r;

	r = run (fx, "suppressions", "--csv", "@", NULL);
	assert_int_equal (r.status, 0);
	assert_true (g_str_has_prefix (r.out, "address,reason,status,first_seen,last_seen,count\r\n"));
	assert_non_null (strstr (r.out, "\r\nbruno.castellan@example.net,userunknown,5.1.1,"));
	assert_null (strstr (r.out, "omar.haddad"));
	run_free (&r);

	r = run (fx, "reactivate", "--dry-run", "@", "bruno.castellan@example.net", NULL);
	assert_int_equal (r.status, 0);
	assert_non_null (strstr (r.out, "+bounce/reactivated"));
	assert_int_equal (bt_test_nm_count (fx->config, "tag:bounce/reactivated"), 0);
	run_free (&r);

	r = run (fx, "reactivate", "@", "bruno.castellan@example.net", NULL);
	assert_int_equal (r.status, 0);
	assert_int_equal (bt_test_nm_count (fx->config, "tag:bounce/reactivated"), 1);
	run_free (&r);

	r = run (fx, "suppressions", "@", NULL);
	assert_int_equal (r.status, 0);
	assert_null (strstr (r.out, "bruno.castellan"));
	assert_non_null (strstr (r.out, "pia.lindholm@example.net\n"));
	run_free (&r);

	r = run (fx, "reactivate", "@", "nobody@example.net", NULL);
	assert_int_equal (r.status, 1);
	assert_non_null (strstr (r.err, "no bounce for nobody@example.net"));
	run_free (&r);
}

static void
test_config_and_errors (void **state)
{
	fx_t *fx = *state;
	char **env = g_strdupv (fx->env);
	run_t r;

	r = run (fx, "config", NULL);
	assert_int_equal (r.status, 0);
	assert_non_null (strstr (r.out, "\nquery.hide = tag:bounce/triaged\n"));
	assert_non_null (strstr (r.out, "\nui.write-warn = 5\n"));
	run_free (&r);

	/* A bad value is named with its line, keeps its default, and the
	 * command goes on. */
	{
		char *dir = g_build_filename (fx->root, "config", "bouncetriage", NULL);
		char *file = g_build_filename (dir, "config", NULL);
		g_mkdir_with_parents (dir, 0700);
		assert_true (g_file_set_contents (file, "[ui]\nwrite-warn = soon\n[query]\nhide = tag:done\n", -1, NULL));
		r = run (fx, "config", NULL);
		assert_int_equal (r.status, 0);
		assert_non_null (strstr (r.err, "config:2: ui.write-warn"));
		assert_non_null (strstr (r.out, "\nui.write-warn = 5\n"));
		assert_non_null (strstr (r.out, "\nquery.hide = tag:done    # changed\n"));
		run_free (&r);
		g_unlink (file);
		g_free (file);
		g_free (dir);
	}

	r = run (fx, "config", "--man", NULL);
	assert_int_equal (r.status, 0);
	assert_true (g_str_has_prefix (r.out, ".SH SETTINGS\n"));
	run_free (&r);

	/* No database anywhere: one message saying what to do. */
	g_strfreev (fx->env);
	fx->env = g_environ_setenv (g_strdupv (env), "NOTMUCH_CONFIG", "/nonexistent/config", TRUE);
	r = run (fx, "scan", NULL);
	assert_int_equal (r.status, 1);
	assert_non_null (strstr (r.err, "--config FILE"));
	assert_non_null (strstr (r.err, "NOTMUCH_CONFIG"));
	assert_non_null (strstr (r.err, "bouncetriage --demo"));
	run_free (&r);
	g_strfreev (fx->env);
	fx->env = env;

	r = run (fx, "scan", "@", "--frobnicate", NULL);
	assert_int_equal (r.status, 2);
	run_free (&r);
}

static void
test_journal_refused (void **state)
{
	fx_t *fx = *state;
	char *state_file = g_build_filename (fx->root, "state", NULL);
	run_t r;

	/* A file where the journal's folder should be. */
	assert_true (g_file_set_contents (state_file, "x", 1, NULL));
	r = run (fx, "tag", "@", NULL);
	assert_int_equal (r.status, 1);
	assert_non_null (strstr (r.err, "journal"));
	assert_int_equal (bt_test_nm_count (fx->config, "tag:bounce"), 0);
	run_free (&r);
	g_free (state_file);
}

/* Mail-derived text in scan --json is escaped: every line parses, the
 * subject with ESC, bidi and C1 characters comes back intact, and no raw
 * control byte reaches the output (it may be a terminal). */
static void
test_scan_json_hostile (void **state)
{
	fx_t *fx = *state;
	char *file = top ("BT_SRCDIR", BT_SRCDIR, "tests/tui/hostile.eml");
	char *db = g_build_filename (fx->root, "db", NULL);
	JsonParser *p = json_parser_new ();
	gboolean found = FALSE;
	run_t r;
	char **lines;

	assert_int_equal (bt_demo_add (db, file, NULL, NULL), BT_OK);
	r = run (fx, "scan", "--json", "@", "id:hostile-bounce-1@mx.example.net", NULL);
	assert_int_equal (r.status, 0);
	assert_true (g_utf8_validate (r.out, -1, NULL));
	for (const char *c = r.out; *c; c++)
		assert_false ((unsigned char) *c < 0x20 && *c != '\n');
	assert_null (strstr (r.out, "\xc2\x9b"));
	lines = g_strsplit (r.out, "\n", -1);
	for (char **l = lines; *l; l++) {
		const char *subject;
		if (**l == '\0')
			continue;
		assert_true (json_parser_load_from_data (p, *l, -1, NULL));
		subject = json_object_get_string_member (json_node_get_object (json_parser_get_root (p)),
							 "original_subject");
		if (subject && strstr (subject, "\033]0;retitled\a") && strstr (subject, "\u202e"))
			found = TRUE;
	}
	assert_true (found);
	g_strfreev (lines);
	g_object_unref (p);
	run_free (&r);
	g_free (db);
	g_free (file);
}

int
main (void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown (test_scan, setup, teardown),
		cmocka_unit_test_setup_teardown (test_scan_json, setup, teardown),
		cmocka_unit_test_setup_teardown (test_scan_json_hostile, setup, teardown),
		cmocka_unit_test_setup_teardown (test_tag_undo, setup, teardown),
		cmocka_unit_test_setup_teardown (test_tag_new, setup, teardown),
		cmocka_unit_test_setup_teardown (test_suppressions_reactivate, setup, teardown),
		cmocka_unit_test_setup_teardown (test_config_and_errors, setup, teardown),
		cmocka_unit_test_setup_teardown (test_journal_refused, setup, teardown),
	};
	return cmocka_run_group_tests (tests, NULL, NULL);
}
