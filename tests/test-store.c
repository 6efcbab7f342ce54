/* test-store.c: the notmuch store on temporary databases built from our
 * fixtures (tests/corpus) through libnotmuch. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <glib/gstdio.h>
#include <notmuch.h>
#include "bouncetriage/demo.h"
#include "bouncetriage/history.h"
#include "bouncetriage/kb.h"
#include "bouncetriage/parse.h"
#include "bouncetriage/store.h"
#include "nm-count.h"

/* The fixtures every database gets: one of each lane, a multi-recipient
 * bounce, and two messages that are not bounces. */
static const char *const fixtures[] = {
	"postfix-01-userunknown.eml",
	"postfix-04-multirecipient.eml",
	"postfix-05-delayed-connectiontimedout.eml",
	"postfix-06-delivered.eml",
	"sendmail-01-userunknown.eml",
	"vacation-01-outofoffice.eml",
	"arf-01-feedback-abuse.eml",
};
#define N_BOUNCES 7

/* Matches the query (subject) but is a person writing. */
static const char not_bounce[] =
	"From: Ana Ruiz <ana.ruiz@example.org>\n"
	"To: demo@example.org\n"
	"Subject: Undeliverable ideas for the newsletter\n"
	"Date: Mon, 13 Jan 2025 10:00:00 +0000\n"
	"Message-ID: <idea-1@example.org>\n"
	"\n"
	"Some ideas are undeliverable, some are not.\n";

/* The message postfix-01 bounced, as sent. */
static const char original[] =
	"From: Nadia Okafor <nadia.okafor@example.com>\n"
	"To: Bruno Castellan <bruno.castellan@example.net>\n"
	"Subject: Reading group: February title\n"
	"Date: Tue, 14 Jan 2025 08:12:00 +0000\n"
	"Message-ID: <7d1e0b3a-52c4-4f0e-9a61-c2f58e0d11aa@example.com>\n"
	"\n"
	"Hello Bruno.\n";

typedef struct {
	char *root, *config, *journal, *msgdir;
	bt_kb_t *kb;
	bt_settings_t *settings;
} fx_t;

static void
rm_rf (const char *path)
{
	char *cmd[] = { "rm", "-rf", (char *) path, NULL };
	g_spawn_sync (NULL, cmd, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
}

static char *
srcpath (const char *a, const char *b)
{
	const char *top = g_getenv ("BT_SRCDIR");
	return g_build_filename (top ? top : BT_SRCDIR, a, b, NULL);
}

static void
copy_file (const char *from, const char *to)
{
	char *data;
	gsize len;

	assert_true (g_file_get_contents (from, &data, &len, NULL));
	assert_true (g_file_set_contents (to, data, (gssize) len, NULL));
	g_free (data);
}

static int
setup (void **state)
{
	fx_t *fx = g_new0 (fx_t, 1);
	char *p, *kbdir;
	GError *e = NULL;

	fx->root = g_dir_make_tmp ("bt-store-XXXXXX", NULL);
	fx->msgdir = g_build_filename (fx->root, "fixtures", NULL);
	g_mkdir (fx->msgdir, 0700);
	for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++) {
		char *from = srcpath ("tests/corpus", fixtures[i]);
		char *to = g_build_filename (fx->msgdir, fixtures[i], NULL);
		copy_file (from, to);
		g_free (from);
		g_free (to);
	}
	p = g_build_filename (fx->msgdir, "zz-not-bounce.eml", NULL);
	g_file_set_contents (p, not_bounce, -1, NULL);
	g_free (p);
	p = g_build_filename (fx->msgdir, "zz-sent-original.eml", NULL);
	g_file_set_contents (p, original, -1, NULL);
	g_free (p);
	p = g_build_filename (fx->root, "db", NULL);
	g_mkdir (p, 0700);
	if (bt_demo_create (fx->msgdir, p, &fx->config, &e) != BT_OK) {
		fprintf (stderr, "demo: %s\n", e->message);
		return -1;
	}
	g_free (p);
	fx->journal = g_build_filename (fx->root, "state", "bouncetriage", "journal", NULL);
	fx->kb = bt_kb_new ();
	kbdir = srcpath ("kb", NULL);
	bt_kb_load_dir (fx->kb, kbdir, NULL, NULL);
	g_free (kbdir);
	fx->settings = bt_settings_new ();
	*state = fx;
	return 0;
}

static int
teardown (void **state)
{
	fx_t *fx = *state;

	rm_rf (fx->root);
	bt_kb_free (fx->kb);
	bt_settings_free (fx->settings);
	g_free (fx->root);
	g_free (fx->config);
	g_free (fx->journal);
	g_free (fx->msgdir);
	g_free (fx);
	return 0;
}

static bt_store_t *
open_store (fx_t *fx)
{
	bt_store_options_t o = { fx->config, NULL, fx->journal, fx->settings, fx->kb, false };
	GError *e = NULL;
	bt_store_t *s = bt_store_open (&o, &e);

	if (s == NULL)
		fail_msg ("open: %s", e->message);
	return s;
}

/* Every bounce of the default query, in a GPtrArray. */
static GPtrArray *
scan_all (bt_store_t *s, const char *query, unsigned flags, bt_scan_stats_t *stats,
	  GPtrArray *errors)
{
	GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) bt_bounce_free);
	bt_scan_t *scan = bt_scan_new (s, query, flags, NULL);

	assert_non_null (scan);
	while (!bt_scan_done (scan)) {
		GError *e = NULL;
		bt_bounce_t *b = bt_scan_next (scan, &e);
		if (e) {
			if (errors)
				g_ptr_array_add (errors, g_strdup (e->message));
			else
				fail_msg ("scan: %s", e->message);
			g_error_free (e);
		}
		if (b)
			g_ptr_array_add (out, b);
	}
	if (stats)
		*stats = *bt_scan_stats (scan);
	bt_scan_free (scan);
	return out;
}

/* The bounce whose file name contains name. */
static const bt_bounce_t *
by_file (GPtrArray *bounces, const char *name)
{
	for (guint i = 0; i < bounces->len; i++) {
		const bt_bounce_t *b = bounces->pdata[i];
		if (b->filename && strstr (b->filename, name))
			return b;
	}
	fail_msg ("no bounce from %s", name);
	return NULL;
}

static bool
has_tag (char **tags, const char *tag)
{
	return tags && g_strv_contains ((const char *const *) tags, tag);
}

static char **
tags_of (bt_store_t *s, const char *id)
{
	char **t = bt_store_message_tags (s, id, NULL);
	assert_non_null (t);
	return t;
}

/* ---- configuration ---- */

static void
test_config_discovery (void **state)
{
	fx_t *fx = *state;
	char *home = g_build_filename (fx->root, "home", NULL);
	char *xdg = g_build_filename (fx->root, "xdg", NULL);
	char *profdir = g_build_filename (xdg, "notmuch", "work", NULL);
	char *profcfg = g_build_filename (profdir, "config", NULL);
	char *saved_cfg = g_strdup (g_getenv ("NOTMUCH_CONFIG"));
	char *saved_xdg = g_strdup (g_getenv ("XDG_CONFIG_HOME"));
	char *saved_home = g_strdup (g_getenv ("HOME"));
	bt_store_options_t o = { NULL, NULL, fx->journal, fx->settings, fx->kb, true };
	GError *e = NULL;
	bt_store_t *s;
	char *want_db = g_build_filename (fx->root, "db", "mail", NULL);

	g_mkdir_with_parents (home, 0700);
	g_mkdir_with_parents (profdir, 0700);
	g_setenv ("HOME", home, TRUE);
	g_setenv ("XDG_CONFIG_HOME", xdg, TRUE);
	g_unsetenv ("NOTMUCH_PROFILE");

	/* NOTMUCH_CONFIG */
	g_setenv ("NOTMUCH_CONFIG", fx->config, TRUE);
	s = bt_store_open (&o, &e);
	assert_non_null (s);
	assert_string_equal (bt_store_database_path (s), want_db);
	assert_string_equal (bt_store_config_path (s), fx->config);
	assert_true (bt_store_sync_flags (s));
	bt_store_close (s);

	/* --config wins over NOTMUCH_CONFIG */
	g_setenv ("NOTMUCH_CONFIG", "/nonexistent/notmuch-config", TRUE);
	o.notmuch_config = fx->config;
	s = bt_store_open (&o, &e);
	assert_non_null (s);
	bt_store_close (s);

	/* A profile: $XDG_CONFIG_HOME/notmuch/PROFILE/config */
	g_unsetenv ("NOTMUCH_CONFIG");
	o.notmuch_config = NULL;
	copy_file (fx->config, profcfg);
	g_setenv ("NOTMUCH_PROFILE", "work", TRUE);
	s = bt_store_open (&o, &e);
	assert_non_null (s);
	assert_string_equal (bt_store_config_path (s), profcfg);
	bt_store_close (s);
	o.profile = "work";
	g_unsetenv ("NOTMUCH_PROFILE");
	s = bt_store_open (&o, &e);
	assert_non_null (s);
	bt_store_close (s);
	o.profile = NULL;

	/* Nothing anywhere: one clear message. */
	s = bt_store_open (&o, &e);
	assert_null (s);
	assert_int_equal (e->code, BT_ERR_NOTFOUND);
	assert_non_null (strstr (e->message, "--config"));
	assert_non_null (strstr (e->message, "NOTMUCH_CONFIG"));
	assert_non_null (strstr (e->message, "bouncetriage --demo"));
	g_clear_error (&e);

	if (saved_cfg)
		g_setenv ("NOTMUCH_CONFIG", saved_cfg, TRUE);
	g_setenv ("HOME", saved_home ? saved_home : "/", TRUE);
	if (saved_xdg)
		g_setenv ("XDG_CONFIG_HOME", saved_xdg, TRUE);
	else
		g_unsetenv ("XDG_CONFIG_HOME");
	g_free (saved_cfg);
	g_free (saved_xdg);
	g_free (saved_home);
	g_free (want_db);
	g_free (home);
	g_free (xdg);
	g_free (profdir);
	g_free (profcfg);
}

/* ---- reading ---- */

static void
test_lanes (void **state)
{
	fx_t *fx = *state;
	bt_store_t *s = open_store (fx);
	bt_scan_stats_t st;
	GPtrArray *all = scan_all (s, NULL, 0, &st, NULL);
	const bt_bounce_t *b;

	assert_int_equal (all->len, N_BOUNCES);
	assert_int_equal (by_file (all, "postfix-01")->lane, BT_LANE_FAILURE);
	assert_int_equal (by_file (all, "postfix-05")->lane, BT_LANE_DELAY);
	assert_int_equal (by_file (all, "postfix-06")->lane, BT_LANE_DELIVERED);
	assert_int_equal (by_file (all, "vacation-01")->lane, BT_LANE_VACATION);
	assert_int_equal (by_file (all, "arf-01")->lane, BT_LANE_FEEDBACK);
	assert_int_equal (st.lanes[BT_LANE_FAILURE], 3);
	/* The person's message matched the query and was left out, counted. */
	assert_int_equal (st.not_bounces, 1);
	assert_int_equal (st.matched, N_BOUNCES + 1);
	b = by_file (all, "postfix-01");
	assert_int_equal (b->n_rcpt, 1);
	assert_string_equal (b->rcpt[0].recipient, "bruno.castellan@example.net");
	assert_string_equal (b->rcpt[0].reason, "userunknown");
	assert_true (b->rcpt[0].hard);
	assert_string_equal (b->rcpt[0].domain, "example.net");
	assert_string_equal (b->orig_message_id, "7d1e0b3a-52c4-4f0e-9a61-c2f58e0d11aa@example.com");
	/* Newest first. */
	for (guint i = 1; i < all->len; i++)
		assert_true (((bt_bounce_t *) all->pdata[i - 1])->date >= ((bt_bounce_t *) all->pdata[i])->date);
	g_ptr_array_unref (all);
	bt_store_close (s);
}

static void
test_paging (void **state)
{
	fx_t *fx = *state;
	bt_store_t *s = open_store (fx);
	bt_scan_t *scan = bt_scan_new (s, NULL, BT_SCAN_NO_CACHE, NULL);
	GPtrArray *got = g_ptr_array_new_with_free_func ((GDestroyNotify) bt_bounce_free);
	guint total = bt_scan_total (scan), takes = 0;
	bt_loader_t *l;
	bool end = false;

	/* The first rows come before the result set is read through. */
	for (int i = 0; i < 2; i++)
		g_ptr_array_add (got, bt_scan_next (scan, NULL));
	assert_non_null (got->pdata[1]);
	assert_true (bt_scan_stats (scan)->matched < total);
	assert_false (bt_scan_done (scan));
	bt_scan_free (scan);
	g_ptr_array_set_size (got, 0);

	/* The loader delivers in batches on its own thread. */
	l = bt_loader_start (s, NULL, BT_SCAN_NO_CACHE, 2, NULL);
	assert_non_null (l);
	while (!end) {
		struct pollfd p = { bt_loader_fd (l), POLLIN, 0 };
		guint before = got->len;
		assert_true (poll (&p, 1, -1) >= 0);
		end = bt_loader_take (l, got, NULL);
		if (got->len > before)
			takes++;
	}
	assert_int_equal (got->len, N_BOUNCES);
	assert_null (bt_loader_error (l));
	bt_loader_free (l);
	assert_true (takes >= 1);

	/* A bad query is refused at once. */
	assert_null (bt_loader_start (s, "date:nonsense..x", BT_SCAN_RAW_QUERY, 2, NULL));
	g_ptr_array_unref (got);
	bt_store_close (s);
}

/* Remove every mail file under the demo maildir. */
static void
remove_mail_files (fx_t *fx)
{
	char *cur = g_build_filename (fx->root, "db", "mail", "cur", NULL);
	GDir *d = g_dir_open (cur, 0, NULL);
	const char *n;

	while ((n = g_dir_read_name (d)) != NULL) {
		char *p = g_build_filename (cur, n, NULL);
		g_unlink (p);
		g_free (p);
	}
	g_dir_close (d);
	g_free (cur);
}

static void
test_cache (void **state)
{
	fx_t *fx = *state;
	bt_store_t *s = open_store (fx);
	bt_scan_stats_t st;
	GPtrArray *first, *second, *errors = g_ptr_array_new_with_free_func (g_free);
	const bt_bounce_t *multi;
	char *multi_id;
	notmuch_database_t *db;
	notmuch_message_t *m;

	first = scan_all (s, NULL, 0, &st, NULL);
	assert_int_equal (st.parsed, N_BOUNCES + 1);
	assert_int_equal (st.cached, 0);
	assert_int_equal (bt_store_wait (s, 0, NULL), BT_OK);
	bt_store_close (s);

	/* notmuch itself can search the verdicts. */
	assert_int_equal (bt_test_nm_count (fx->config, "property:bouncetriage.reason=userunknown"), 3);
	assert_int_equal (bt_test_nm_count (fx->config, "property:bouncetriage.lane=none"), 1);

	/* A second open reads no mail file: there are none left. */
	remove_mail_files (fx);
	s = open_store (fx);
	second = scan_all (s, NULL, 0, &st, errors);
	assert_int_equal (errors->len, 0);
	assert_int_equal (st.parsed, 0);
	assert_int_equal (st.cached, N_BOUNCES + 1);
	assert_int_equal (st.not_bounces, 1);
	assert_int_equal (second->len, N_BOUNCES);
	/* Multi-recipient bounce comes back whole, in order. */
	multi = by_file (second, "postfix-04");
	assert_true (multi->from_cache);
	assert_int_equal (multi->n_rcpt, by_file (first, "postfix-04")->n_rcpt);
	for (guint i = 0; i < multi->n_rcpt; i++) {
		const bt_bounce_rcpt_t *a = &by_file (first, "postfix-04")->rcpt[i], *b = &multi->rcpt[i];
		assert_string_equal (a->recipient, b->recipient);
		assert_string_equal (a->reason, b->reason);
		assert_int_equal (a->hard, b->hard);
		assert_int_equal (a->lane, b->lane);
		if (a->status)
			assert_string_equal (a->status, b->status);
	}
	assert_string_equal (by_file (second, "postfix-01")->orig_subject,
			     by_file (first, "postfix-01")->orig_subject);
	multi_id = g_strdup (multi->message_id);
	bt_store_close (s);

	/* A stale version is parsed again (here: the file is gone, so it is
	 * reported unreadable, naming the message). */
	assert_int_equal (notmuch_database_open_with_config (NULL, NOTMUCH_DATABASE_MODE_READ_WRITE,
							     fx->config, NULL, &db, NULL), 0);
	assert_int_equal (notmuch_database_find_message (db, multi_id, &m), 0);
	notmuch_message_remove_all_properties (m, "bouncetriage.version");
	notmuch_message_add_property (m, "bouncetriage.version", "0.0.0+old");
	notmuch_message_destroy (m);
	notmuch_database_destroy (db);
	s = open_store (fx);
	g_ptr_array_unref (second);
	second = scan_all (s, NULL, 0, &st, errors);
	assert_int_equal (st.cached, N_BOUNCES);
	assert_int_equal (st.unreadable, 1);
	assert_int_equal (errors->len, 1);
	assert_non_null (strstr (errors->pdata[0], multi_id));
	assert_int_equal (second->len, N_BOUNCES - 1);
	bt_store_close (s);
	g_ptr_array_unref (first);
	g_ptr_array_unref (second);
	g_ptr_array_unref (errors);
	g_free (multi_id);
}

static void
test_stale_reparsed (void **state)
{
	fx_t *fx = *state;
	bt_store_t *s = open_store (fx);
	bt_scan_stats_t st;
	GPtrArray *a = scan_all (s, NULL, 0, &st, NULL);
	char *id = g_strdup (by_file (a, "postfix-06")->message_id);
	notmuch_database_t *db;
	notmuch_message_t *m;

	assert_int_equal (st.parsed, N_BOUNCES + 1);
	bt_store_close (s);
	g_ptr_array_unref (a);
	/* One verdict made by an older parser, classifier or knowledge base. */
	assert_int_equal (notmuch_database_open_with_config (NULL, NOTMUCH_DATABASE_MODE_READ_WRITE,
							     fx->config, NULL, &db, NULL), 0);
	assert_int_equal (notmuch_database_find_message (db, id, &m), 0);
	notmuch_message_remove_all_properties (m, "bouncetriage.version");
	notmuch_message_add_property (m, "bouncetriage.version", "0.0.0+old");
	notmuch_message_destroy (m);
	notmuch_database_destroy (db);
	s = open_store (fx);
	a = scan_all (s, NULL, 0, &st, NULL);
	assert_int_equal (st.parsed, 1);
	assert_int_equal (st.cached, N_BOUNCES);
	assert_int_equal (a->len, N_BOUNCES);
	assert_int_equal (bt_store_wait (s, 0, NULL), BT_OK);
	bt_store_close (s);
	g_ptr_array_unref (a);
	/* Re-cached under the current version. */
	s = open_store (fx);
	a = scan_all (s, NULL, 0, &st, NULL);
	assert_int_equal (st.parsed, 0);
	bt_store_close (s);
	g_ptr_array_unref (a);

	/* A current version with a lane we do not know: parsed, not trusted. */
	assert_int_equal (notmuch_database_open_with_config (NULL, NOTMUCH_DATABASE_MODE_READ_WRITE,
							     fx->config, NULL, &db, NULL), 0);
	assert_int_equal (notmuch_database_find_message (db, id, &m), 0);
	notmuch_message_remove_all_properties (m, "bouncetriage.lane");
	notmuch_message_add_property (m, "bouncetriage.lane", "bogus");
	notmuch_message_destroy (m);
	notmuch_database_destroy (db);
	s = open_store (fx);
	a = scan_all (s, NULL, 0, &st, NULL);
	assert_int_equal (st.parsed, 1);
	assert_int_equal (a->len, N_BOUNCES);
	assert_int_equal (by_file (a, "postfix-06")->lane, BT_LANE_DELIVERED);
	bt_store_close (s);
	g_ptr_array_unref (a);
	g_free (id);
}

static void
test_vanished_file (void **state)
{
	fx_t *fx = *state;
	bt_store_t *s = open_store (fx);
	GPtrArray *all = scan_all (s, NULL, BT_SCAN_NO_CACHE, NULL, NULL);
	GPtrArray *errors = g_ptr_array_new_with_free_func (g_free), *again;
	const bt_bounce_t *gone = by_file (all, "sendmail-01");
	bt_scan_stats_t st;

	assert_int_equal (g_unlink (gone->filename), 0);
	again = scan_all (s, NULL, BT_SCAN_NO_CACHE, &st, errors);
	assert_int_equal (again->len, N_BOUNCES - 1);
	assert_int_equal (errors->len, 1);
	assert_non_null (strstr (errors->pdata[0], gone->message_id));
	assert_non_null (strstr (errors->pdata[0], "sendmail-01"));
	assert_int_equal (st.unreadable, 1);
	g_ptr_array_unref (again);
	g_ptr_array_unref (errors);
	g_ptr_array_unref (all);
	bt_store_close (s);
}

static void
test_original (void **state)
{
	fx_t *fx = *state;
	bt_store_t *s = open_store (fx);
	GPtrArray *all = scan_all (s, NULL, 0, NULL, NULL);
	GError *e = NULL;
	bt_original_t *o = bt_store_find_original (s, by_file (all, "postfix-01"), &e);
	bt_report_t *r;

	assert_non_null (o);
	assert_string_equal (o->message_id, "7d1e0b3a-52c4-4f0e-9a61-c2f58e0d11aa@example.com");
	assert_non_null (strstr (o->filename, "zz-sent-original"));
	bt_original_free (o);
	assert_null (bt_store_find_original (s, by_file (all, "sendmail-01"), &e));
	assert_int_equal (e->code, BT_ERR_NOTFOUND);
	g_clear_error (&e);
	r = bt_store_report (s, by_file (all, "postfix-04")->message_id, NULL);
	assert_non_null (r);
	assert_int_equal (r->records->len, 3);
	bt_report_free (r);
	g_ptr_array_unref (all);
	bt_store_close (s);
}

/* ---- writing ---- */

static char *
first_file (fx_t *fx, const char *id)
{
	notmuch_database_t *db;
	notmuch_message_t *m;
	char *f;

	assert_int_equal (notmuch_database_open_with_config (NULL, NOTMUCH_DATABASE_MODE_READ_ONLY,
							     fx->config, NULL, &db, NULL), 0);
	assert_int_equal (notmuch_database_find_message (db, id, &m), 0);
	f = g_strdup (notmuch_message_get_filename (m));
	notmuch_database_destroy (db);
	return f;
}

static void
set_sync_flags (fx_t *fx, bool on)
{
	char *text;
	GString *t;

	assert_true (g_file_get_contents (fx->config, &text, NULL, NULL));
	t = g_string_new (text);
	g_string_replace (t, on ? "synchronize_flags=false" : "synchronize_flags=true",
			  on ? "synchronize_flags=true" : "synchronize_flags=false", 0);
	assert_true (g_file_set_contents (fx->config, t->str, -1, NULL));
	g_string_free (t, TRUE);
	g_free (text);
}

static void
tag_and_check_flags (fx_t *fx, bool sync)
{
	bt_store_t *s;
	GPtrArray *all;
	const char *id;
	char **tags, *before, *after;
	guint w;

	set_sync_flags (fx, sync);
	s = open_store (fx);
	assert_int_equal (bt_store_sync_flags (s), sync);
	all = scan_all (s, NULL, 0, NULL, NULL);
	id = by_file (all, "postfix-01")->message_id;
	before = first_file (fx, id);
	assert_true (g_str_has_suffix (before, ":2,"));
	w = bt_store_tag (s, &id, 1, "+bounce/triaged -unread", "triage 1", NULL);
	assert_true (w > 0);
	assert_int_equal (bt_store_wait (s, w, NULL), BT_OK);
	tags = tags_of (s, id);
	assert_true (has_tag (tags, "bounce/triaged"));
	assert_false (has_tag (tags, "unread"));
	assert_true (has_tag (tags, "inbox"));
	after = first_file (fx, id);
	/* Read now: the maildir "S" flag follows the unread tag only when asked. */
	if (sync)
		assert_true (g_str_has_suffix (after, ":2,S"));
	else
		assert_string_equal (after, before);
	/* The triaged message leaves the default list. */
	g_ptr_array_unref (all);
	all = scan_all (s, NULL, 0, NULL, NULL);
	assert_int_equal (all->len, N_BOUNCES - 1);
	g_strfreev (tags);
	g_free (before);
	g_free (after);
	g_ptr_array_unref (all);
	bt_store_close (s);
}

static void test_tag_sync_flags (void **state) { tag_and_check_flags (*state, true); }
static void test_tag_no_sync_flags (void **state) { tag_and_check_flags (*state, false); }

static void
test_undo_across_restart (void **state)
{
	fx_t *fx = *state;
	bt_store_t *s = open_store (fx);
	GPtrArray *all = scan_all (s, NULL, 0, NULL, NULL);
	GPtrArray *problems = g_ptr_array_new_with_free_func (g_free);
	char *id = g_strdup (by_file (all, "postfix-04")->message_id);
	char *id2 = g_strdup (by_file (all, "postfix-01")->message_id);
	char **orig = tags_of (s, id), **orig2 = tags_of (s, id2), **t;
	const char *ids[] = { id, id2 };
	GError *e = NULL;
	guint w;
	FILE *f;

	assert_true (has_tag (orig, "inbox"));
	/* +inbox on a message that has it already. */
	w = bt_store_tag (s, ids, 2, "+inbox +bounce/x -unread", "act 1", NULL);
	assert_int_equal (bt_store_wait (s, w, NULL), BT_OK);
	w = bt_store_tag (s, ids, 1, "+second", "act 2", NULL);
	assert_int_equal (bt_store_wait (s, w, NULL), BT_OK);
	bt_store_close (s);
	g_ptr_array_unref (all);

	/* Corrupt line in the middle: named and skipped. */
	f = fopen (fx->journal, "a");
	fputs ("this is not json\n", f);
	fclose (f);

	/* A new handle, as after a restart. */
	s = open_store (fx);
	w = bt_store_undo (s, 2, problems, &e);
	assert_true (w > 0);
	assert_int_equal (problems->len, 1);
	assert_non_null (strstr (problems->pdata[0], ":3:"));
	assert_int_equal (bt_store_wait (s, w, NULL), BT_OK);
	t = tags_of (s, id);
	assert_true (g_strv_equal ((const char *const *) t, (const char *const *) orig));
	g_strfreev (t);
	t = tags_of (s, id2);
	assert_true (g_strv_equal ((const char *const *) t, (const char *const *) orig2));
	g_strfreev (t);
	/* Nothing left to undo: an undo is not undone. */
	assert_int_equal (bt_store_undo (s, 1, NULL, &e), 0);
	assert_int_equal (e->code, BT_ERR_NOTFOUND);
	g_clear_error (&e);
	bt_store_close (s);
	g_strfreev (orig);
	g_strfreev (orig2);
	g_free (id);
	g_free (id2);
	g_ptr_array_unref (problems);
}

/* A copy of a fixture under a new Message-ID. */
static char *
fresh_bounce (fx_t *fx, const char *fixture, const char *newid)
{
	char *src = srcpath ("tests/corpus", fixture), *text, *out;
	char *dest = g_build_filename (fx->root, "arrival.eml", NULL);
	GString *t;

	assert_true (g_file_get_contents (src, &text, NULL, NULL));
	t = g_string_new (text);
	/* The bounce's own Message-Id (the first one; the inner one is the original's). */
	{
		char *at = strstr (t->str, "\nMessage-Id: <");
		char *end = at ? strchr (at + 1, '\n') : NULL;
		char *hdr = g_strdup_printf ("\nMessage-Id: <%s>", newid);
		assert_non_null (end);
		g_string_erase (t, at - t->str, end - at);
		g_string_insert (t, at - t->str, hdr);
		g_free (hdr);
	}
	out = g_string_free (t, FALSE);
	assert_true (g_file_set_contents (dest, out, -1, NULL));
	g_free (out);
	g_free (text);
	g_free (src);
	return dest;
}

static void
test_bulk_seen_ids (void **state)
{
	fx_t *fx = *state;
	bt_store_t *s = open_store (fx);
	GPtrArray *seen = scan_all (s, NULL, 0, NULL, NULL);
	const char **ids = g_new0 (const char *, seen->len);
	char *file = fresh_bounce (fx, "postfix-01-userunknown.eml", "late-arrival@example.com");
	char *newid = NULL, *dbroot = g_build_filename (fx->root, "db", NULL);
	char **t;
	guint w;

	for (guint i = 0; i < seen->len; i++)
		ids[i] = ((bt_bounce_t *) seen->pdata[i])->message_id;
	/* New mail arrives between what the user saw and the action (once the
	 * verdict cache is written: this process has one writer at a time). */
	assert_int_equal (bt_store_wait (s, 0, NULL), BT_OK);
	assert_int_equal (bt_demo_add (dbroot, file, &newid, NULL), BT_OK);
	assert_string_equal (newid, "late-arrival@example.com");
	w = bt_store_tag (s, ids, seen->len, "+bounce/triaged", "triage all", NULL);
	assert_int_equal (bt_store_wait (s, w, NULL), BT_OK);
	for (guint i = 0; i < seen->len; i++) {
		t = tags_of (s, ids[i]);
		assert_true (has_tag (t, "bounce/triaged"));
		g_strfreev (t);
	}
	t = tags_of (s, newid);
	assert_false (has_tag (t, "bounce/triaged"));
	g_strfreev (t);
	g_free (ids);
	g_free (newid);
	g_free (dbroot);
	g_free (file);
	g_ptr_array_unref (seen);
	bt_store_close (s);
}

/* Valgrind runs one thread at a time and does not give up that turn while
 * a thread waits for a lock with F_OFD_SETLKW (valgrind 3.19): a write
 * waiting for another writer would then stop the whole process.  The
 * lock tests are skipped under it (they run in make check and ASan). */
static bool
under_valgrind (void)
{
	const char *p = g_getenv ("LD_PRELOAD");
	return p && strstr (p, "vgpreload") != NULL;
}

/* A child that holds the write lock until told to go. */
typedef struct {
	pid_t pid;
	int go;      /* write a byte to release */
} locker_t;

static locker_t
lock_db (fx_t *fx)
{
	int ready[2], go[2];
	locker_t l;
	char c;

	assert_int_equal (pipe (ready), 0);
	assert_int_equal (pipe (go), 0);
	l.pid = fork ();
	assert_true (l.pid >= 0);
	if (l.pid == 0) {
		notmuch_database_t *db;
		close (ready[0]);
		close (go[1]);
		if (notmuch_database_open_with_config (NULL, NOTMUCH_DATABASE_MODE_READ_WRITE,
						       fx->config, NULL, &db, NULL) != 0)
			_exit (1);
		if (write (ready[1], "r", 1) != 1)
			_exit (1);
		if (read (go[0], &c, 1) < 0)
			_exit (1);
		notmuch_database_close (db);
		_exit (0);
	}
	close (ready[1]);
	close (go[0]);
	assert_int_equal (read (ready[0], &c, 1), 1);
	close (ready[0]);
	l.go = go[1];
	return l;
}

static void
unlock_db (locker_t *l)
{
	int status;

	assert_int_equal (write (l->go, "g", 1), 1);
	close (l->go);
	assert_int_equal (waitpid (l->pid, &status, 0), l->pid);
	assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
}

static void
test_write_locked (void **state)
{
	fx_t *fx = *state;
	bt_store_t *s;
	GPtrArray *all, *q, *done;
	const char *id;
	locker_t l;
	char **t;
	guint w;

	if (!notmuch_built_with ("retry_lock") || under_valgrind ())
		skip ();
	s = open_store (fx);
	all = scan_all (s, NULL, BT_SCAN_NO_CACHE, NULL, NULL);
	id = by_file (all, "postfix-01")->message_id;
	l = lock_db (fx);
	/* Returns at once, with the write queued or waiting for the lock. */
	w = bt_store_tag (s, &id, 1, "+bounce/triaged", "triage", NULL);
	assert_true (w > 0);
	q = bt_store_queue (s);
	assert_int_equal (q->len, 1);
	assert_int_equal (((bt_write_info_t *) q->pdata[0])->id, w);
	assert_true (((bt_write_info_t *) q->pdata[0])->state != BT_WRITE_DONE);
	g_ptr_array_unref (q);
	/* Browsing still works while the writer waits. */
	t = tags_of (s, id);
	assert_false (has_tag (t, "bounce/triaged"));
	g_strfreev (t);
	unlock_db (&l);
	assert_int_equal (bt_store_wait (s, w, NULL), BT_OK);
	done = bt_store_finished (s);
	assert_int_equal (done->len, 1);
	assert_int_equal (((bt_write_info_t *) done->pdata[0])->state, BT_WRITE_DONE);
	g_ptr_array_unref (done);
	t = tags_of (s, id);
	assert_true (has_tag (t, "bounce/triaged"));
	g_strfreev (t);
	g_ptr_array_unref (all);
	bt_store_close (s);
}

static void
test_journal_unwritable (void **state)
{
	fx_t *fx = *state;
	bt_store_t *s;
	GPtrArray *all;
	const char *id;
	char *blocker = g_build_filename (fx->root, "state", NULL);
	GError *e = NULL;
	locker_t l;
	char **t;
	guint w;

	/* Refused at once: a file stands where the journal's folder should be. */
	g_file_set_contents (blocker, "x", 1, NULL);
	s = open_store (fx);
	all = scan_all (s, NULL, BT_SCAN_NO_CACHE, NULL, NULL);
	id = by_file (all, "postfix-01")->message_id;
	assert_int_equal (bt_store_tag (s, &id, 1, "+bounce/triaged", "x", &e), 0);
	assert_int_equal (e->code, BT_ERR_IO);
	g_clear_error (&e);
	g_unlink (blocker);

	/* Refused by the worker: the journal became unwritable while queued. */
	if (notmuch_built_with ("retry_lock") && !under_valgrind ()) {
		l = lock_db (fx);
		w = bt_store_tag (s, &id, 1, "+bounce/triaged", "x", &e);
		assert_true (w > 0);
		rm_rf (blocker);
		assert_true (g_file_set_contents (blocker, "x", 1, NULL));
		unlock_db (&l);
		assert_int_equal (bt_store_wait (s, w, &e), BT_ERR_IO);
		assert_non_null (strstr (e->message, "refused"));
		g_clear_error (&e);
	}
	t = tags_of (s, id);
	assert_false (has_tag (t, "bounce/triaged"));
	g_strfreev (t);
	g_unlink (blocker);
	g_free (blocker);
	g_ptr_array_unref (all);
	bt_store_close (s);
}

static void
test_missing_message_named (void **state)
{
	fx_t *fx = *state;
	bt_store_t *s = open_store (fx);
	GPtrArray *all = scan_all (s, NULL, BT_SCAN_NO_CACHE, NULL, NULL);
	const char *ids[] = { by_file (all, "postfix-01")->message_id, "no-such-message@example.com" };
	char *note;
	char **t;
	guint w = bt_store_tag (s, ids, 2, "+x", "x", NULL);

	assert_int_equal (bt_store_wait (s, w, NULL), BT_OK);
	note = bt_store_write_message (s, w);
	assert_non_null (note);
	assert_non_null (strstr (note, "no-such-message@example.com"));
	t = tags_of (s, ids[0]);
	assert_true (has_tag (t, "x"));
	g_strfreev (t);
	g_free (note);
	g_ptr_array_unref (all);
	bt_store_close (s);
}

/* Tagging a message whose file vanished: the tags change, the flag sync
 * that cannot rename the file is named; the other message goes on. */
static void
test_tag_vanished_file (void **state)
{
	fx_t *fx = *state;
	bt_store_t *s = open_store (fx);
	GPtrArray *all = scan_all (s, NULL, BT_SCAN_NO_CACHE, NULL, NULL);
	const bt_bounce_t *gone = by_file (all, "sendmail-01"), *other = by_file (all, "postfix-01");
	const char *ids[] = { gone->message_id, other->message_id };
	char *note, *renamed, **t;
	guint w;

	assert_true (bt_store_sync_flags (s));
	assert_int_equal (g_unlink (gone->filename), 0);
	w = bt_store_tag (s, ids, 2, "-unread", "read", NULL);
	assert_int_equal (bt_store_wait (s, w, NULL), BT_OK);
	note = bt_store_write_message (s, w);
	assert_non_null (note);
	assert_non_null (strstr (note, gone->message_id));
	t = tags_of (s, gone->message_id);
	assert_false (has_tag (t, "unread"));
	g_strfreev (t);
	renamed = first_file (fx, other->message_id);
	assert_true (g_str_has_suffix (renamed, ":2,S"));
	g_free (renamed);
	g_free (note);
	g_ptr_array_unref (all);
	bt_store_close (s);
}

/* Undo of an action whose messages left the database: marked undone. */
static void
test_undo_gone_message (void **state)
{
	fx_t *fx = *state;
	bt_store_t *s = open_store (fx);
	GPtrArray *all = scan_all (s, NULL, BT_SCAN_NO_CACHE, NULL, NULL);
	char *id = g_strdup (by_file (all, "postfix-01")->message_id);
	char *file = g_strdup (by_file (all, "postfix-01")->filename);
	const char *ids[] = { id };
	notmuch_database_t *db;
	GError *e = NULL;
	char *note;
	guint w;

	w = bt_store_tag (s, ids, 1, "+x", "x", NULL);
	assert_int_equal (bt_store_wait (s, w, NULL), BT_OK);
	bt_store_close (s);
	g_ptr_array_unref (all);
	assert_int_equal (notmuch_database_open_with_config (NULL, NOTMUCH_DATABASE_MODE_READ_WRITE,
							     fx->config, NULL, &db, NULL), 0);
	assert_int_equal (notmuch_database_remove_message (db, file), NOTMUCH_STATUS_SUCCESS);
	notmuch_database_destroy (db);

	s = open_store (fx);
	w = bt_store_undo (s, 1, NULL, NULL);
	assert_true (w > 0);
	assert_int_equal (bt_store_wait (s, w, NULL), BT_OK);
	note = bt_store_write_message (s, w);
	assert_non_null (note);
	assert_non_null (strstr (note, id));
	assert_int_equal (bt_store_undo (s, 1, NULL, &e), 0);
	assert_int_equal (e->code, BT_ERR_NOTFOUND);
	g_clear_error (&e);
	g_free (note);
	g_free (id);
	g_free (file);
	bt_store_close (s);
}

/* A recipient too long for a Xapian term: listed exactly, never cached
 * (parsed each time), and the other verdicts of the batch are cached. */
static void
test_uncacheable_recipient (void **state)
{
	fx_t *fx = *state;
	char *src = srcpath ("tests/corpus", "postfix-01-userunknown.eml"), *text;
	char *dest = g_build_filename (fx->root, "long.eml", NULL);
	char *dbroot = g_build_filename (fx->root, "db", NULL);
	GString *t, *local = g_string_new (NULL);
	bt_scan_stats_t st;
	GPtrArray *all;
	bt_store_t *s;
	char *addr, *id = NULL;
	bool found = false;

	for (int i = 0; i < 23; i++)
		g_string_append (local, "abcdefghij");
	addr = g_strdup_printf ("%s@example.net", local->str);
	assert_true (g_file_get_contents (src, &text, NULL, NULL));
	t = g_string_new (text);
	g_string_replace (t, "bruno.castellan@example.net", addr, 0);
	g_string_replace (t, "20250114081241.4Qm7Tz2Lk5z9wR@mail.example.com", "long-rcpt@example.com", 0);
	assert_true (g_file_set_contents (dest, t->str, -1, NULL));
	assert_int_equal (bt_demo_add (dbroot, dest, &id, NULL), BT_OK);

	s = open_store (fx);
	all = scan_all (s, NULL, 0, &st, NULL);
	assert_int_equal (all->len, N_BOUNCES + 1);
	for (guint i = 0; i < all->len; i++) {
		const bt_bounce_t *b = all->pdata[i];
		if (strcmp (b->message_id, id) == 0) {
			assert_string_equal (b->rcpt[0].recipient, addr);
			found = true;
		}
	}
	assert_true (found);
	assert_int_equal (bt_store_wait (s, 0, NULL), BT_OK);
	bt_store_close (s);
	g_ptr_array_unref (all);

	s = open_store (fx);
	all = scan_all (s, NULL, 0, &st, NULL);
	assert_int_equal (st.parsed, 1);
	assert_int_equal (st.cached, N_BOUNCES + 1);
	bt_store_close (s);
	g_ptr_array_unref (all);
	g_string_free (t, TRUE);
	g_string_free (local, TRUE);
	g_free (text);
	g_free (src);
	g_free (dest);
	g_free (dbroot);
	g_free (addr);
	g_free (id);
}

/* ---- history, suppressions ---- */

static void
test_history_suppressions (void **state)
{
	fx_t *fx = *state;
	bt_store_t *s = open_store (fx);
	bt_history_t *h = bt_store_history (s, NULL, NULL);
	const bt_history_entry_t *e;
	GString *out = g_string_new (NULL);
	guint w;

	assert_non_null (h);
	e = bt_history_lookup (h, BT_HISTORY_ADDRESS, "Bruno.Castellan@example.net");
	assert_non_null (e);
	assert_int_equal (e->count, 1);
	assert_true (e->suppressed);
	assert_string_equal (e->reasons[0], "userunknown");
	assert_null (e->reasons[1]);
	assert_true (e->first_seen > 0 && e->first_seen == e->last_seen);
	/* Soft failures are counted but not suppressed. */
	e = bt_history_lookup (h, BT_HISTORY_ADDRESS, "omar.haddad@example.org");
	assert_non_null (e);
	assert_false (e->suppressed);
	assert_non_null (bt_history_lookup (h, BT_HISTORY_DOMAIN, "example.net"));
	assert_true (bt_history_count (h, BT_HISTORY_MTA) > 0);
	/* Delays are not failures. */
	assert_null (bt_history_lookup (h, BT_HISTORY_ADDRESS, "tove.berglund@example.net"));
	bt_history_suppressions (h, false, out);
	assert_non_null (strstr (out->str, "bruno.castellan@example.net\n"));
	assert_null (strstr (out->str, "omar.haddad"));
	g_string_truncate (out, 0);
	bt_history_suppressions (h, true, out);
	assert_true (g_str_has_prefix (out->str, "address,reason,status,first_seen,last_seen,count\r\n"));
	assert_non_null (strstr (out->str, "bruno.castellan@example.net,userunknown,5.1.1,"));
	bt_history_free (h);

	w = bt_store_reactivate (s, "BRUNO.castellan@example.net", NULL);
	assert_true (w > 0);
	assert_int_equal (bt_store_wait (s, w, NULL), BT_OK);
	h = bt_store_history (s, NULL, NULL);
	g_string_truncate (out, 0);
	bt_history_suppressions (h, false, out);
	assert_null (strstr (out->str, "bruno.castellan"));
	assert_non_null (strstr (out->str, "pia.lindholm@example.net"));
	bt_history_free (h);
	assert_int_equal (bt_store_reactivate (s, "nobody@example.net", NULL), 0);
	g_string_free (out, TRUE);
	bt_store_close (s);
}

static void
test_plan_and_defaults (void **state)
{
	fx_t *fx = *state;
	bt_store_t *s = open_store (fx);
	GPtrArray *all = scan_all (s, NULL, 0, NULL, NULL);
	const bt_bounce_t *b = by_file (all, "postfix-01");
	char *ch = bt_store_default_changes (s, b);
	bt_tag_op_t op = { b->message_id, ch };
	GPtrArray *plan = g_ptr_array_new_with_free_func ((GDestroyNotify) bt_journal_change_free);
	bt_journal_change_t *c;
	char **t;

	assert_non_null (strstr (ch, "+bounce "));
	assert_non_null (strstr (ch, "+bounce/userunknown"));
	assert_int_equal (bt_store_plan (s, &op, 1, plan, NULL), BT_OK);
	c = plan->pdata[0];
	assert_true (has_tag (c->after, "bounce/userunknown"));
	assert_false (has_tag (c->before, "bounce/userunknown"));
	/* Planning writes nothing. */
	t = tags_of (s, b->message_id);
	assert_false (has_tag (t, "bounce"));
	g_strfreev (t);
	op.changes = "nonsense";
	assert_int_equal (bt_store_apply (s, &op, 1, "x", NULL), 0);
	g_ptr_array_unref (plan);
	g_free (ch);
	g_ptr_array_unref (all);
	bt_store_close (s);
}


/* At most scan.cache-queue verdicts wait for the writer: a screen's scan
 * leaves the others uncached, a command's waits for room. */
static void
test_cache_queue_bounded (void **state)
{
	fx_t *fx = *state;
	bt_scan_stats_t st;
	bt_store_t *s;

	assert_int_equal (bt_settings_set (fx->settings, "scan.cache-queue", "3", NULL), BT_OK);
	s = open_store (fx);
	g_ptr_array_unref (scan_all (s, NULL, BT_SCAN_CACHE_SOME, &st, NULL));
	assert_int_equal (st.parsed, N_BOUNCES + 1);
	assert_int_equal (st.uncached, N_BOUNCES + 1 - 3);
	assert_int_equal (bt_store_wait (s, 0, NULL), BT_OK);
	bt_store_close (s);

	s = open_store (fx);
	g_ptr_array_unref (scan_all (s, NULL, 0, &st, NULL));
	assert_int_equal (st.cached, 3);
	assert_int_equal (st.parsed, N_BOUNCES + 1 - 3);
	assert_int_equal (st.uncached, 0);
	assert_int_equal (bt_store_wait (s, 0, NULL), BT_OK);
	bt_store_close (s);

	s = open_store (fx);
	g_ptr_array_unref (scan_all (s, NULL, 0, &st, NULL));
	assert_int_equal (st.cached, N_BOUNCES + 1);
	bt_store_close (s);
}

/* ---- the list cache ---- */

static bt_store_t *
open_store_listed (fx_t *fx, const char *cache_dir)
{
	bt_store_options_t o = { fx->config, NULL, fx->journal, fx->settings, fx->kb, false,
				 cache_dir };
	GError *e = NULL;
	bt_store_t *s = bt_store_open (&o, &e);

	if (s == NULL)
		fail_msg ("open: %s", e->message);
	return s;
}

/* Scan with the list cache in dir, wait for the verdict writes, close. */
static GPtrArray *
listed_scan (fx_t *fx, const char *dir, const char *query, bt_scan_stats_t *st,
	     GPtrArray *errors)
{
	bt_store_t *s = open_store_listed (fx, dir);
	GPtrArray *a = scan_all (s, query, 0, st, errors);

	assert_int_equal (bt_store_wait (s, 0, NULL), BT_OK);
	bt_store_close (s);
	return a;
}

/* The one list file in dir (g_free), or NULL when there is none. */
static char *
rows_file (const char *dir)
{
	GDir *d = g_dir_open (dir, 0, NULL);
	const char *n;
	char *found = NULL;
	guint count = 0;

	while (d && (n = g_dir_read_name (d)) != NULL)
		if (g_str_has_prefix (n, "rows-") && strchr (n, '.') == NULL) {
			g_free (found);
			found = g_build_filename (dir, n, NULL);
			count++;
		}
	if (d)
		g_dir_close (d);
	assert_true (count <= 1);
	return found;
}

static void
assert_same_str (const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		assert_ptr_equal (a, b);
	else
		assert_string_equal (a, b);
}

/* a and b list the same bounces, field by field, in the same order. */
static void
assert_same_list (GPtrArray *a, GPtrArray *b)
{
	assert_int_equal (a->len, b->len);
	for (guint i = 0; i < a->len; i++) {
		const bt_bounce_t *x = a->pdata[i], *y = b->pdata[i];
		assert_string_equal (x->message_id, y->message_id);
		assert_same_str (x->filename, y->filename);
		assert_int_equal (x->date, y->date);
		assert_same_str (x->from, y->from);
		assert_same_str (x->subject, y->subject);
		assert_same_str (x->orig_message_id, y->orig_message_id);
		assert_same_str (x->orig_subject, y->orig_subject);
		assert_same_str (x->orig_to, y->orig_to);
		assert_int_equal (x->lane, y->lane);
		assert_int_equal (g_strv_length (x->tags), g_strv_length (y->tags));
		for (guint t = 0; x->tags[t]; t++)
			assert_string_equal (x->tags[t], y->tags[t]);
		assert_int_equal (x->n_rcpt, y->n_rcpt);
		for (guint r = 0; r < x->n_rcpt; r++) {
			const bt_bounce_rcpt_t *p = &x->rcpt[r], *q = &y->rcpt[r];
			assert_same_str (p->recipient, q->recipient);
			assert_same_str (p->domain, q->domain);
			assert_same_str (p->reason, q->reason);
			assert_same_str (p->status, q->status);
			assert_same_str (p->replycode, q->replycode);
			assert_same_str (p->kb, q->kb);
			assert_same_str (p->remote_mta, q->remote_mta);
			assert_int_equal (p->hard, q->hard);
			assert_int_equal (p->lane, q->lane);
		}
	}
}

/* Replace the first occurrence of from in path by to. */
static void
edit_file (const char *path, const char *from, const char *to)
{
	char *data, *at;
	GString *out;

	assert_true (g_file_get_contents (path, &data, NULL, NULL));
	at = strstr (data, from);
	assert_non_null (at);
	out = g_string_new_len (data, at - data);
	g_string_append (out, to);
	g_string_append (out, at + strlen (from));
	assert_true (g_file_set_contents (path, out->str, (gssize) out->len, NULL));
	g_string_free (out, TRUE);
	g_free (data);
}

/* notmuch tag +tag on id, as another program would. */
static int
notmuch_tag_one (fx_t *fx, const char *id, const char *tag)
{
	notmuch_database_t *db;
	notmuch_message_t *m = NULL;
	int rc;

	if (notmuch_database_open_with_config (NULL, NOTMUCH_DATABASE_MODE_READ_WRITE, fx->config,
					       NULL, &db, NULL) != NOTMUCH_STATUS_SUCCESS)
		return -1;
	rc = notmuch_database_find_message (db, id, &m) == NOTMUCH_STATUS_SUCCESS && m
		? (int) notmuch_message_add_tag (m, tag) : -1;
	if (m)
		notmuch_message_destroy (m);
	notmuch_database_destroy (db);
	return rc;
}

/* A list with the verdicts in properties, then its list file: the
 * properties' list and the file's are the same, and the file is what a
 * scan with nothing changed reads. */
static void
test_list_cache (void **state)
{
	fx_t *fx = *state;
	char *dir = g_build_filename (fx->root, "cache", NULL), *file;
	bt_scan_stats_t st;
	GPtrArray *parsed, *props, *served;

	parsed = listed_scan (fx, dir, NULL, &st, NULL);
	assert_int_equal (st.parsed, N_BOUNCES + 1);
	/* written at the revision before the verdicts were: stale already */
	props = listed_scan (fx, dir, NULL, &st, NULL);
	assert_int_equal (st.cached, N_BOUNCES + 1);
	assert_same_list (parsed, props);
	file = rows_file (dir);
	assert_non_null (file);

	served = listed_scan (fx, dir, NULL, &st, NULL);
	assert_int_equal (st.matched, N_BOUNCES + 1);
	assert_int_equal (st.cached, N_BOUNCES + 1);
	assert_int_equal (st.not_bounces, 1);
	assert_int_equal (st.bounces, N_BOUNCES);
	assert_int_equal (st.lanes[BT_LANE_DELIVERED], 1);
	assert_same_list (props, served);
	assert_true (((bt_bounce_t *) served->pdata[0])->from_cache);
	g_ptr_array_unref (served);

	/* Served from the file indeed: an edit in it shows... */
	edit_file (file, "Reading group: February title", "Edited in the list file");
	served = listed_scan (fx, dir, NULL, &st, NULL);
	assert_string_equal (by_file (served, "postfix-01")->orig_subject, "Edited in the list file");
	g_ptr_array_unref (served);

	/* ...until the database changes: a tag, and the list is read again. */
	assert_int_equal (notmuch_tag_one (fx, by_file (props, "sendmail-01")->message_id, "zz-new"), 0);
	served = listed_scan (fx, dir, NULL, &st, NULL);
	assert_string_equal (by_file (served, "postfix-01")->orig_subject, "Reading group: February title");
	assert_true (has_tag (by_file (served, "sendmail-01")->tags, "zz-new"));
	g_ptr_array_unref (served);

	/* A limit is not the main list: no file of its own. */
	g_ptr_array_unref (listed_scan (fx, dir, "tag:zz-new", &st, NULL));
	g_free (rows_file (dir));
	g_ptr_array_unref (parsed);
	g_ptr_array_unref (props);
	g_free (file);
	g_free (dir);
}

/* data (a list file of 8 rows) with a row that is not one after its
 * first `after` rows (owned by the function until the next call). */
static const char *
insert_bad_row (const char *data, guint after)
{
	static GString *out;
	char **lines = g_strsplit (data, "\n", -1);

	if (out == NULL)
		out = g_string_new (NULL);
	g_string_truncate (out, 0);
	for (guint i = 0; lines[i] && lines[i + 1]; i++) {
		if (i == 3 + after)
			g_string_append (out, "b\tbroken\\q\n");
		if (g_str_has_prefix (lines[i], "end "))
			g_string_append (out, "end 9\n");
		else
			g_string_append_printf (out, "%s\n", lines[i]);
	}
	assert_non_null (strstr (out->str, "\nend 9\n"));
	g_strfreev (lines);
	return out->str;
}

/* A file cut short or damaged is ignored, and the list is the same. */
static void
test_list_cache_damaged (void **state)
{
	fx_t *fx = *state;
	char *dir = g_build_filename (fx->root, "cache", NULL), *file, *data;
	bt_scan_stats_t st;
	GPtrArray *want, *got;
	gsize len;

	g_ptr_array_unref (listed_scan (fx, dir, NULL, &st, NULL));
	want = listed_scan (fx, dir, NULL, &st, NULL);
	file = rows_file (dir);
	assert_non_null (file);
	assert_true (g_file_get_contents (file, &data, &len, NULL));

	/* cut in the middle of a row: no trailer */
	assert_true (g_file_set_contents (file, data, (gssize) len / 2, NULL));
	got = listed_scan (fx, dir, NULL, &st, NULL);
	assert_same_list (want, got);
	g_ptr_array_unref (got);

	/* a row broken after rows were served: the scan goes on from there */
	assert_true (g_file_set_contents (file, insert_bad_row (data, 3), -1, NULL));
	got = listed_scan (fx, dir, NULL, &st, NULL);
	assert_same_list (want, got);
	assert_int_equal (st.matched, N_BOUNCES + 1);
	g_ptr_array_unref (got);
	/* dropped, and the next scan writes a good one */
	got = listed_scan (fx, dir, NULL, &st, NULL);
	assert_same_list (want, got);
	g_ptr_array_unref (got);
	got = listed_scan (fx, dir, NULL, &st, NULL);
	assert_same_list (want, got);
	g_ptr_array_unref (got);

	g_ptr_array_unref (want);
	g_free (data);
	g_free (file);
	g_free (dir);
}

/* A bounce query that depends on the clock is never kept: its answer
 * changes with no change to the database. */
static void
test_list_cache_clock (void **state)
{
	fx_t *fx = *state;
	char *dir = g_build_filename (fx->root, "cache", NULL), *file;
	bt_scan_stats_t st;

	assert_int_equal (bt_settings_set (fx->settings, "query.hide", "date:..2000-01-01", NULL), BT_OK);
	g_ptr_array_unref (listed_scan (fx, dir, NULL, &st, NULL));
	assert_int_equal (st.bounces, N_BOUNCES);
	assert_null (rows_file (dir));
	assert_int_equal (bt_settings_set (fx->settings, "query.hide", "", NULL), BT_OK);
	g_ptr_array_unref (listed_scan (fx, dir, NULL, &st, NULL));
	file = rows_file (dir);
	assert_non_null (file);
	g_free (file);
	g_free (dir);
}

/* No file while a message cannot be read (the list would hide it), nor
 * with the setting off. */
static void
test_list_cache_not_written (void **state)
{
	fx_t *fx = *state;
	char *dir = g_build_filename (fx->root, "cache", NULL);
	GPtrArray *errors = g_ptr_array_new_with_free_func (g_free), *a;
	bt_scan_stats_t st;

	remove_mail_files (fx);
	a = listed_scan (fx, dir, NULL, &st, errors);
	assert_int_equal (st.unreadable, N_BOUNCES + 1);
	assert_int_equal (errors->len, N_BOUNCES + 1);
	assert_null (rows_file (dir));
	g_ptr_array_unref (a);

	assert_int_equal (bt_settings_set (fx->settings, "scan.list-cache", "false", NULL), BT_OK);
	g_ptr_array_set_size (errors, 0);
	a = listed_scan (fx, dir, NULL, &st, errors);
	assert_null (rows_file (dir));
	g_ptr_array_unref (a);
	g_ptr_array_unref (errors);
	g_free (dir);
}

int
main (void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown (test_config_discovery, setup, teardown),
		cmocka_unit_test_setup_teardown (test_lanes, setup, teardown),
		cmocka_unit_test_setup_teardown (test_paging, setup, teardown),
		cmocka_unit_test_setup_teardown (test_cache, setup, teardown),
		cmocka_unit_test_setup_teardown (test_stale_reparsed, setup, teardown),
		cmocka_unit_test_setup_teardown (test_vanished_file, setup, teardown),
		cmocka_unit_test_setup_teardown (test_original, setup, teardown),
		cmocka_unit_test_setup_teardown (test_tag_sync_flags, setup, teardown),
		cmocka_unit_test_setup_teardown (test_tag_no_sync_flags, setup, teardown),
		cmocka_unit_test_setup_teardown (test_undo_across_restart, setup, teardown),
		cmocka_unit_test_setup_teardown (test_bulk_seen_ids, setup, teardown),
		cmocka_unit_test_setup_teardown (test_write_locked, setup, teardown),
		cmocka_unit_test_setup_teardown (test_journal_unwritable, setup, teardown),
		cmocka_unit_test_setup_teardown (test_missing_message_named, setup, teardown),
		cmocka_unit_test_setup_teardown (test_tag_vanished_file, setup, teardown),
		cmocka_unit_test_setup_teardown (test_undo_gone_message, setup, teardown),
		cmocka_unit_test_setup_teardown (test_uncacheable_recipient, setup, teardown),
		cmocka_unit_test_setup_teardown (test_history_suppressions, setup, teardown),
		cmocka_unit_test_setup_teardown (test_plan_and_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown (test_cache_queue_bounded, setup, teardown),
		cmocka_unit_test_setup_teardown (test_list_cache, setup, teardown),
		cmocka_unit_test_setup_teardown (test_list_cache_damaged, setup, teardown),
		cmocka_unit_test_setup_teardown (test_list_cache_not_written, setup, teardown),
		cmocka_unit_test_setup_teardown (test_list_cache_clock, setup, teardown),
	};

	bt_parse_init ();
	g_unsetenv ("NOTMUCH_PROFILE");
	/* BT_TEST_FILTER=test_cache runs one test (or a glob). */
	if (g_getenv ("BT_TEST_FILTER"))
		cmocka_set_test_filter (g_getenv ("BT_TEST_FILTER"));
	return cmocka_run_group_tests (tests, NULL, NULL);
}
