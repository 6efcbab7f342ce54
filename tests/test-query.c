/* test-query.c: quoting mail-derived strings for notmuch queries, checked
 * by string and against a real temporary notmuch database. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <cmocka.h>
#include <notmuch.h>
#include "bouncetriage/query.h"
#include "bouncetriage/demo.h"

static void
check_quote (const char *in, const char *want)
{
	char *got = bt_query_quote (in);
	assert_string_equal (got, want);
	g_free (got);
}

static void
test_quote_plain (void **state)
{
	(void) state;
	check_quote ("user@example.com", "\"user@example.com\"");
	check_quote ("", "\"\"");
	check_quote (NULL, "\"\"");
}

static void
test_quote_doubles_quotes (void **state)
{
	(void) state;
	check_quote ("a\"b", "\"a\"\"b\"");
	check_quote ("\"", "\"\"\"\"");
	check_quote ("\"john doe\"@example.com", "\"\"\"john doe\"\"@example.com\"");
	/* Backslashes are not escapes in notmuch's syntax: kept as they are. */
	check_quote ("\"a\\\"b\"@x", "\"\"\"a\\\"\"b\"\"@x\"");
}

static void
test_quote_keeps_operators_inside (void **state)
{
	(void) state;
	check_quote ("(a) or tag:inbox *", "\"(a) or tag:inbox *\"");
	check_quote ("x\" or \"", "\"x\"\" or \"\"\"");
}

static void
test_quote_invalid_utf8 (void **state)
{
	char *q = bt_query_quote ("a\xff\xfe" "b\xc3");

	(void) state;
	assert_true (g_utf8_validate (q, -1, NULL));
	assert_string_equal (q, "\"a\xef\xbf\xbd\xef\xbf\xbd" "b\xef\xbf\xbd\"");
	g_free (q);
}

static void
test_term_and_recipient (void **state)
{
	char *t = bt_query_term ("id", "a\"b@x");
	char *r = bt_query_recipient ("  \"John Q\"@Example.COM ");
	char *k = bt_query_address_key ("\xc3\x9c" "Ser@Example.com");

	(void) state;
	assert_string_equal (t, "id:\"a\"\"b@x\"");
	assert_string_equal (r, "property:\"bouncetriage.recipient=\"\"john q\"\"@example.com\"");
	/* Only ASCII is folded, as the store folds what it caches. */
	assert_string_equal (k, "\xc3\x9c" "ser@example.com");
	g_free (t);
	g_free (r);
	g_free (k);
}

/* ---- against a real notmuch database ---- */

/* Addresses a bounce can name, several close to one another, some hostile.
 * Each gets a message of its own with the recipient property the store
 * caches; the recipient query of each must find its message and no other. */
static const char *const addresses[] = {
	"plain@example.com",
	"\"john (q) doe\"@example.com",
	"john.q.doe@example.com",
	"\"john q doe\"@example.com",
	"\"a\\\"b\"@example.com",
	"\"a\"\"b\"@example.com",
	"x\" or property:bouncetriage.recipient=plain@example.com or \"@example.com",
	"\"(tag:inbox) and *\"@example.com",
	"\"foo NEAR bar\"@example.com",
	"Mixed.Case@Example.COM",
	"\xc3\xbcnic\xc3\xb6" "de@ex\xc3\xa4mple.de",
	"\"white space\"@example.com",
};

typedef struct {
	char *dir;
	notmuch_database_t *db;
} nm_fixture_t;

static char *
write_bounce (const char *maildir, guint i, const char *address)
{
	char *name = g_strdup_printf ("%u.bounce:2,", i);
	char *path = g_build_filename (maildir, "cur", name, NULL);
	char *text = g_strdup_printf (
		"From: MAILER-DAEMON@mx.example.org\n"
		"To: sender@example.net\n"
		"Subject: Undelivered Mail Returned to Sender\n"
		"Message-ID: <bounce-%u@mx.example.org>\n"
		"Date: Sat, 28 Nov 2026 12:00:00 +0000\n"
		"MIME-Version: 1.0\n"
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n"
		"\n--B\nContent-Type: text/plain\n\nDelivery failed.\n"
		"\n--B\nContent-Type: message/delivery-status\n\n"
		"Reporting-MTA: dns; mx.example.org\n\n"
		"Final-Recipient: rfc822; %s\nAction: failed\nStatus: 5.1.1\n"
		"\n--B--\n", i, address);

	assert_true (g_file_set_contents (path, text, -1, NULL));
	g_free (text);
	g_free (name);
	return path;
}

static int
nm_setup (void **state)
{
	nm_fixture_t *fx = g_new0 (nm_fixture_t, 1);
	char *msg = NULL, *cur;
	notmuch_status_t st;

	fx->dir = g_dir_make_tmp ("bt-test-query-XXXXXX", NULL);
	assert_non_null (fx->dir);
	cur = g_build_filename (fx->dir, "cur", NULL);
	g_mkdir (cur, 0700);
	g_free (cur);
	/* "" as config file: no configuration is read, the user's least of all. */
	st = notmuch_database_create_with_config (fx->dir, "", NULL, &fx->db, &msg);
	if (st != NOTMUCH_STATUS_SUCCESS)
		fail_msg ("notmuch_database_create_with_config: %s (%s)",
			  notmuch_status_to_string (st), msg ? msg : "");
	free (msg);
	for (guint i = 0; i < G_N_ELEMENTS (addresses); i++) {
		char *path = write_bounce (fx->dir, i, addresses[i]);
		char *key = bt_query_address_key (addresses[i]);
		notmuch_message_t *m = NULL;
		st = notmuch_database_index_file (fx->db, path, NULL, &m);
		assert_int_equal (st, NOTMUCH_STATUS_SUCCESS);
		assert_int_equal (notmuch_message_add_property (m, "bouncetriage.recipient", key),
				  NOTMUCH_STATUS_SUCCESS);
		notmuch_message_destroy (m);
		g_free (key);
		g_free (path);
	}
	*state = fx;
	return 0;
}

static int
nm_teardown (void **state)
{
	nm_fixture_t *fx = *state;

	notmuch_database_destroy (fx->db);
	bt_demo_remove (fx->dir);
	g_free (fx->dir);
	g_free (fx);
	return 0;
}

/* Message ids matching query, sorted, joined by spaces. */
static char *
nm_search (notmuch_database_t *db, const char *query_string)
{
	notmuch_query_t *q = NULL;
	notmuch_messages_t *msgs = NULL;
	GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
	char *joined;

	assert_int_equal (notmuch_query_create_with_syntax (db, query_string,
							    NOTMUCH_QUERY_SYNTAX_XAPIAN, &q),
			  NOTMUCH_STATUS_SUCCESS);
	assert_int_equal (notmuch_query_search_messages (q, &msgs), NOTMUCH_STATUS_SUCCESS);
	for (; notmuch_messages_valid (msgs); notmuch_messages_move_to_next (msgs)) {
		notmuch_message_t *m = notmuch_messages_get (msgs);
		g_ptr_array_add (ids, g_strdup (notmuch_message_get_message_id (m)));
		notmuch_message_destroy (m);
	}
	notmuch_query_destroy (q);
	g_ptr_array_sort (ids, (GCompareFunc) (void (*) (void)) strcmp);
	g_ptr_array_add (ids, NULL);
	joined = g_strjoinv (" ", (char **) ids->pdata);
	g_ptr_array_free (ids, TRUE);
	return joined;
}

static void
test_notmuch_recipient_finds_exactly_one (void **state)
{
	nm_fixture_t *fx = *state;

	for (guint i = 0; i < G_N_ELEMENTS (addresses); i++) {
		char *q = bt_query_recipient (addresses[i]);
		char *want = g_strdup_printf ("bounce-%u@mx.example.org", i);
		char *got = nm_search (fx->db, q);
		if (strcmp (got, want) != 0)
			fail_msg ("query %s found [%s], wanted [%s]", q, got, want);
		g_free (got);
		g_free (want);
		g_free (q);
	}
}

/* The same term and-ed into a bigger query, as the list and reactivation
 * build it: the quoted value stays one term. */
static void
test_notmuch_recipient_in_bigger_query (void **state)
{
	nm_fixture_t *fx = *state;
	char *term = bt_query_recipient (addresses[6]);
	char *q = g_strdup_printf ("(from:mailer-daemon or tag:bounce) and (%s)", term);
	char *got = nm_search (fx->db, q);

	assert_string_equal (got, "bounce-6@mx.example.org");
	g_free (got);
	g_free (q);
	g_free (term);
}

/* What quoting prevents: the hostile address pasted unquoted widens the
 * query to another recipient's bounce.  (Proves the database test can
 * tell a bad query from a good one.) */
static void
test_notmuch_unquoted_would_leak (void **state)
{
	nm_fixture_t *fx = *state;
	char *key = bt_query_address_key (addresses[6]);
	char *q = g_strdup_printf ("property:bouncetriage.recipient=%s", key);
	char *got = nm_search (fx->db, q);

	assert_true (strstr (got, "bounce-0@mx.example.org") != NULL);
	g_free (got);
	g_free (q);
	g_free (key);
}

/* A phrase after a probabilistic prefix: operators inside stay words. */
static void
test_notmuch_body_phrase (void **state)
{
	nm_fixture_t *fx = *state;
	char *q = bt_query_term ("body", "(tag:inbox) and *");
	char *got = nm_search (fx->db, q);

	assert_string_equal (got, "bounce-7@mx.example.org");
	g_free (got);
	g_free (q);
}

int
main (void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test (test_quote_plain),
		cmocka_unit_test (test_quote_doubles_quotes),
		cmocka_unit_test (test_quote_keeps_operators_inside),
		cmocka_unit_test (test_quote_invalid_utf8),
		cmocka_unit_test (test_term_and_recipient),
	};
	const struct CMUnitTest db_tests[] = {
		cmocka_unit_test (test_notmuch_recipient_finds_exactly_one),
		cmocka_unit_test (test_notmuch_recipient_in_bigger_query),
		cmocka_unit_test (test_notmuch_unquoted_would_leak),
		cmocka_unit_test (test_notmuch_body_phrase),
	};
	int failed = cmocka_run_group_tests_name ("query quoting", tests, NULL, NULL);

	failed += cmocka_run_group_tests_name ("query on a notmuch database", db_tests,
					       nm_setup, nm_teardown);
	return failed ? 1 : 0;
}
