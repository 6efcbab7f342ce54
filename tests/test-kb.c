/* test-kb.c: loading the knowledge base, its problems, overrides, code
 * meanings and the digest; the real kb/ is checked for coverage. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <glib/gstdio.h>
#include "bouncetriage/kb.h"
#include "bouncetriage/reason.h"

static char *
fixture (const char *name)
{
	const char *top = g_getenv ("BT_SRCDIR");

	return g_build_filename (top ? top : BT_SRCDIR, "tests", "kb", name, NULL);
}

static char *
real_kb_dir (void)
{
	const char *top = g_getenv ("BT_SRCDIR");

	return g_build_filename (top ? top : BT_SRCDIR, "kb", NULL);
}

/* Load one fixture into kb; returns its status, problems in *out. */
static bt_status_t
load (bt_kb_t *kb, const char *name, GPtrArray **out)
{
	char *path = fixture (name);
	GPtrArray *problems = g_ptr_array_new_with_free_func (g_free);
	GError *error = NULL;
	bt_status_t st = bt_kb_load_file (kb, path, problems, &error);

	assert_null (error);
	g_free (path);
	if (out)
		*out = problems;
	else
		g_ptr_array_unref (problems);
	return st;
}

static void
test_empty (void **state)
{
	bt_kb_t *kb = bt_kb_new ();

	(void) state;
	assert_int_equal (bt_kb_count (kb), 0);
	assert_null (bt_kb_entry_at (kb, 0));
	assert_null (bt_kb_get (kb, "anything"));
	assert_null (bt_kb_status_meaning (kb, "5.1.1"));
	assert_null (bt_kb_reply_meaning (kb, "550"));
	assert_null (bt_kb_match_status (kb, "5.1.1", NULL));
	assert_null (bt_kb_match_replycode (kb, "550"));
	assert_int_equal (bt_kb_match_text (kb, "no such user", -1, NULL, 0), 0);
	assert_int_equal (strlen (bt_kb_digest (kb)), 16);
	bt_kb_free (kb);
}

static void
test_valid (void **state)
{
	bt_kb_t *kb = bt_kb_new ();
	const bt_kb_entry_t *e;
	char *path = fixture ("valid.kb");

	(void) state;
	assert_int_equal (load (kb, "valid.kb", NULL), BT_OK);
	assert_int_equal (bt_kb_count (kb), 2);
	e = bt_kb_get (kb, "test-user");
	assert_non_null (e);
	assert_ptr_equal (bt_kb_entry_at (kb, 0), e);
	assert_string_equal (bt_kb_entry_id (e), "test-user");
	assert_string_equal (bt_kb_entry_reason (e), "userunknown");
	assert_string_equal (bt_kb_entry_title (e), "No such user");
	assert_string_equal (bt_kb_entry_explanation (e), "The mailbox does not exist.");
	assert_string_equal (bt_kb_entry_advice (e), "Check the address.");
	/* Defaults: tags from the reason, hard from the reason's verdict. */
	assert_string_equal (bt_kb_entry_tags (e), "+bounce/userunknown");
	assert_true (bt_kb_entry_hard (e));
	assert_int_equal (bt_kb_entry_priority (e), 5);
	assert_string_equal (bt_kb_entry_file (e), path);
	e = bt_kb_get (kb, "test-full");
	assert_string_equal (bt_kb_entry_tags (e), "+bounce/full -inbox");
	assert_false (bt_kb_entry_hard (e));
	assert_string_equal (bt_kb_entry_title (e), "Mailbox full");
	g_free (path);
	bt_kb_free (kb);
}

static void
test_meanings (void **state)
{
	bt_kb_t *kb = bt_kb_new ();

	(void) state;
	assert_int_equal (load (kb, "valid.kb", NULL), BT_OK);
	assert_string_equal (bt_kb_status_meaning (kb, "5.1.1"),
			     "Permanent failure: Bad destination mailbox address — The mailbox does not exist.");
	assert_string_equal (bt_kb_status_meaning (kb, "4.1.1"),
			     "Temporary failure: Bad destination mailbox address — The mailbox does not exist.");
	/* An unknown detail reads as X.S.0. */
	assert_string_equal (bt_kb_status_meaning (kb, "5.1.99"), "Permanent failure: Other address status");
	/* No class 2 and no X.0.0 here. */
	assert_null (bt_kb_status_meaning (kb, "2.1.1"));
	assert_null (bt_kb_status_meaning (kb, "5.7.1"));
	assert_null (bt_kb_status_meaning (kb, "not a code"));
	assert_null (bt_kb_status_meaning (kb, NULL));
	assert_string_equal (bt_kb_reply_meaning (kb, "550"), "Mailbox unavailable — Refused for good.");
	assert_null (bt_kb_reply_meaning (kb, "554"));
	bt_kb_free (kb);
}

static guint
match (const bt_kb_t *kb, const char *text, bt_kb_hit_t *hit)
{
	bt_kb_hit_t hits[4];
	guint n = bt_kb_match_text (kb, text, -1, hits, G_N_ELEMENTS (hits));

	if (n > 0 && hit)
		*hit = hits[0];
	return n;
}

/* Patterns are read raw (\s is a regex class, not GKeyFile's space) and
 * the literal prefilter never hides a real match. */
static void
test_patterns (void **state)
{
	bt_kb_t *kb = bt_kb_new ();
	bt_kb_hit_t hit;
	const char *text = "550 No\tSuch   User here";

	(void) state;
	assert_int_equal (load (kb, "valid.kb", NULL), BT_OK);
	assert_int_equal (match (kb, text, &hit), 1);
	assert_string_equal (bt_kb_entry_id (hit.entry), "test-user");
	assert_string_equal (hit.pattern, "no\\s+such\\s+user");
	assert_int_equal (hit.start, 4);
	assert_int_equal (hit.end, 18);
	assert_int_equal (match (kb, "a semi;colon here", &hit), 1);
	assert_string_equal (hit.pattern, "semi;colon");
	assert_int_equal (match (kb, "USER.UNKNOWN", NULL), 1);
	assert_int_equal (match (kb, "userXunknown", NULL), 0);
	assert_int_equal (match (kb, "Color Full", &hit), 1);
	assert_string_equal (bt_kb_entry_id (hit.entry), "test-full");
	assert_int_equal (match (kb, "colour full", NULL), 1);
	assert_int_equal (match (kb, "HUE FULL", NULL), 1);
	assert_int_equal (match (kb, "xabbcdx", NULL), 1);
	assert_int_equal (match (kb, "abcd", NULL), 0);
	assert_int_equal (match (kb, "CaseLess", NULL), 1);
	assert_int_equal (match (kb, "nothing to see", NULL), 0);
	/* Both entries match: the higher priority comes first. */
	assert_int_equal (match (kb, "no such user, colour full", &hit), 2);
	assert_string_equal (bt_kb_entry_id (hit.entry), "test-user");
	/* A long text (the prefilter's buffers go to the heap). */
	{
		GString *s = g_string_new (NULL);
		for (int i = 0; i < 400; i++)
			g_string_append (s, "padding ");
		g_string_append (s, "hue full");
		assert_int_equal (match (kb, s->str, &hit), 1);
		assert_int_equal (hit.start, 3200);
		g_string_free (s, TRUE);
	}
	bt_kb_free (kb);
}

static void
test_codes (void **state)
{
	bt_kb_t *kb = bt_kb_new ();
	const char *rule = NULL;

	(void) state;
	assert_int_equal (load (kb, "valid.kb", NULL), BT_OK);
	assert_string_equal (bt_kb_entry_id (bt_kb_match_status (kb, "5.1.1", &rule)), "test-user");
	assert_string_equal (rule, "5.1.1");
	assert_string_equal (bt_kb_entry_id (bt_kb_match_status (kb, "4.1.1", &rule)), "test-user");
	assert_string_equal (rule, "*.1.1");
	assert_null (bt_kb_match_status (kb, "5.2.2", &rule));
	assert_null (rule);
	assert_null (bt_kb_match_status (kb, "garbage", NULL));
	assert_string_equal (bt_kb_entry_id (bt_kb_match_replycode (kb, "550")), "test-user");
	assert_null (bt_kb_match_replycode (kb, "551"));
	bt_kb_free (kb);
}

/* The CLI loads the system kb, then the user's: same id replaces in
 * place, a new id is added. */
static void
test_override (void **state)
{
	bt_kb_t *kb = bt_kb_new ();
	char *path = fixture ("override.kb");
	const bt_kb_entry_t *e;

	(void) state;
	assert_int_equal (load (kb, "valid.kb", NULL), BT_OK);
	assert_int_equal (load (kb, "override.kb", NULL), BT_OK);
	assert_int_equal (bt_kb_count (kb), 3);
	e = bt_kb_get (kb, "test-user");
	assert_ptr_equal (bt_kb_entry_at (kb, 0), e);
	assert_string_equal (bt_kb_entry_title (e), "Replaced title");
	assert_string_equal (bt_kb_entry_file (e), path);
	/* The replacement has no rules: the old ones are gone. */
	assert_int_equal (match (kb, "no such user", NULL), 0);
	assert_null (bt_kb_match_status (kb, "5.1.1", NULL));
	assert_null (bt_kb_match_replycode (kb, "550"));
	e = bt_kb_get (kb, "test-new");
	assert_ptr_equal (bt_kb_entry_at (kb, 2), e);
	assert_string_equal (bt_kb_entry_reason (e), "suspend");
	assert_int_equal (match (kb, "Frozen Account", NULL), 1);
	/* Untouched entries and meanings stay. */
	assert_string_equal (bt_kb_entry_title (bt_kb_get (kb, "test-full")), "Mailbox full");
	assert_non_null (bt_kb_reply_meaning (kb, "550"));
	g_free (path);
	bt_kb_free (kb);
}

static void
test_digest (void **state)
{
	bt_kb_t *a = bt_kb_new (), *b = bt_kb_new ();
	char *empty;

	(void) state;
	empty = g_strdup (bt_kb_digest (a));
	assert_int_equal (load (a, "valid.kb", NULL), BT_OK);
	assert_string_not_equal (bt_kb_digest (a), empty);
	assert_int_equal (load (b, "valid.kb", NULL), BT_OK);
	assert_string_equal (bt_kb_digest (a), bt_kb_digest (b));
	assert_int_equal (load (b, "override.kb", NULL), BT_OK);
	assert_string_not_equal (bt_kb_digest (a), bt_kb_digest (b));
	/* A refused file changes nothing. */
	{
		char *before = g_strdup (bt_kb_digest (a));
		assert_int_equal (load (a, "bad-status.kb", NULL), BT_ERR_PARSE);
		assert_string_equal (bt_kb_digest (a), before);
		g_free (before);
	}
	assert_true (strspn (bt_kb_digest (a), "0123456789abcdef") == 16);
	g_free (empty);
	bt_kb_free (a);
	bt_kb_free (b);
}

static void
test_io_errors (void **state)
{
	bt_kb_t *kb = bt_kb_new ();
	GError *error = NULL;
	char *missing = fixture ("no-such-file.kb");
	char *nodir = fixture ("no-such-dir");

	(void) state;
	assert_int_equal (bt_kb_load_file (kb, missing, NULL, &error), BT_ERR_IO);
	assert_non_null (error);
	assert_int_equal (error->code, BT_ERR_IO);
	assert_non_null (strstr (error->message, "no-such-file.kb"));
	g_clear_error (&error);
	/* A missing folder is no error: the user's folder often does not exist. */
	assert_int_equal (bt_kb_load_dir (kb, nodir, NULL, &error), BT_OK);
	assert_null (error);
	assert_int_equal (bt_kb_count (kb), 0);
	g_free (missing);
	g_free (nodir);
	bt_kb_free (kb);
}

/* Every malformed case: the exact "FILE:LINE: message", BT_ERR_PARSE, and
 * nothing of the file loaded. */
static const struct {
	const char *file;
	int line;
	const char *message;
} malformed[] = {
	{ "syntax-error.kb", 7, "syntax error: expected [group], key = value or # comment" },
	{ "key-before-group.kb", 2, "syntax error: key 'reason' before any [group]" },
	{ "bad-group-header.kb", 6, "syntax error: bad group header (expected [name])" },
	{ "duplicate-group.kb", 7, "[dup] again (first at line 1)" },
	{ "duplicate-key.kb", 4, "key 'title' in [dup-key] again (first at line 3)" },
	{ "bad-utf8.kb", 3, "not valid UTF-8" },
	{ "bad-id.kb", 1, "bad entry id [Not_Kebab]: use lower-case words joined by '-'" },
	{ "missing-title.kb", 2, "missing required key 'title' in [no-title]" },
	{ "unknown-key.kb", 6, "unknown key 'colour' in [extra-key]" },
	{ "unknown-reason.kb", 2, "unknown reason 'nosuchreason'" },
	{ "bad-regex.kb", 6, "bad regex 'ab(' at char 3: missing terminating )" },
	{ "bad-status.kb", 6, "bad status pattern '6.1.1'" },
	{ "bad-replycode.kb", 6, "bad reply code '55x'" },
	{ "bad-hard.kb", 6, "'hard' must be true or false" },
	{ "bad-priority.kb", 6, "'priority' must be an integer" },
	{ "bad-meaning.kb", 1,
	  "bad group [status 5.1.1]: expected [status X.S.D], [status class N] or [reply NNN]" },
	{ "meaning-no-title.kb", 1, "missing required key 'title' in [status X.1.1]" },
	{ "partly-bad.kb", 14, "bad status pattern 'nonsense'" },
};

static void
test_malformed (void **state)
{
	(void) state;
	for (guint i = 0; i < G_N_ELEMENTS (malformed); i++) {
		bt_kb_t *kb = bt_kb_new ();
		GPtrArray *problems;
		char *path = fixture (malformed[i].file);
		char *want = g_strdup_printf ("%s:%d: %s", path, malformed[i].line, malformed[i].message);

		assert_int_equal (load (kb, malformed[i].file, &problems), BT_ERR_PARSE);
		assert_int_equal (problems->len, 1);
		assert_string_equal (problems->pdata[0], want);
		assert_int_equal (bt_kb_count (kb), 0);
		assert_null (bt_kb_status_meaning (kb, "5.1.1"));
		g_ptr_array_unref (problems);
		g_free (want);
		g_free (path);
		bt_kb_free (kb);
	}
}

/* A bad file in a folder is refused alone; the others load. */
static void
test_dir_with_problems (void **state)
{
	bt_kb_t *kb = bt_kb_new ();
	GPtrArray *problems = g_ptr_array_new_with_free_func (g_free);
	char *dir = g_dir_make_tmp ("bt-kb-XXXXXX", NULL);
	char *good = g_build_filename (dir, "a.kb", NULL);
	char *bad = g_build_filename (dir, "b.kb", NULL);
	char *other = g_build_filename (dir, "c.txt", NULL);
	char *want = g_strdup_printf ("%s:1: bad entry id [Bad]: use lower-case words joined by '-'", bad);

	(void) state;
	assert_true (g_file_set_contents (good, "[fine]\nreason = suspend\ntitle = t\nexplanation = e\nadvice = a\n", -1, NULL));
	assert_true (g_file_set_contents (bad, "[Bad]\nreason = suspend\n", -1, NULL));
	assert_true (g_file_set_contents (other, "not a kb file", -1, NULL));
	assert_int_equal (bt_kb_load_dir (kb, dir, problems, NULL), BT_ERR_PARSE);
	assert_int_equal (problems->len, 1);
	assert_string_equal (problems->pdata[0], want);
	assert_int_equal (bt_kb_count (kb), 1);
	assert_non_null (bt_kb_get (kb, "fine"));
	g_remove (good);
	g_remove (bad);
	g_remove (other);
	g_rmdir (dir);
	g_free (want);
	g_free (good);
	g_free (bad);
	g_free (other);
	g_free (dir);
	g_ptr_array_unref (problems);
	bt_kb_free (kb);
}

/* The shipped knowledge base: loads cleanly and covers what it must. */
static bt_kb_t *
real_kb (void)
{
	bt_kb_t *kb = bt_kb_new ();
	GPtrArray *problems = g_ptr_array_new_with_free_func (g_free);
	char *dir = real_kb_dir ();

	bt_status_t st = bt_kb_load_dir (kb, dir, problems, NULL);

	for (guint i = 0; i < problems->len; i++)
		print_error ("%s\n", (char *) problems->pdata[i]);
	assert_int_equal (st, BT_OK);
	assert_int_equal (problems->len, 0);
	g_ptr_array_unref (problems);
	g_free (dir);
	return kb;
}

static void
test_real_reasons (void **state)
{
	bt_kb_t *kb = real_kb ();

	(void) state;
	for (const bt_reason_t *r = bt_reasons; r->name; r++) {
		const bt_kb_entry_t *e = bt_kb_get (kb, r->name);
		if (e == NULL)
			fail_msg ("no generic entry for reason %s", r->name);
		assert_string_equal (bt_kb_entry_reason (e), r->name);
		assert_true (strlen (bt_kb_entry_explanation (e)) > 20);
		assert_true (strlen (bt_kb_entry_advice (e)) > 5);
	}
	bt_kb_free (kb);
}

static void
test_real_families (void **state)
{
	static const char *const families[] = {
		"no-such-user", "spam-suspected", "spam-source-listed", "spam-message-rejected",
		"relay-not-permitted", "connection-timed-out", "connection-refused", "mailbox-full",
		"account-disabled", "ip-blocked", "client-error-0x800ccc", "virus-infected",
		"rate-limited", "message-too-big", "too-many-connections", "too-many-recipients",
	};
	bt_kb_t *kb = real_kb ();

	(void) state;
	for (guint i = 0; i < G_N_ELEMENTS (families); i++) {
		const bt_kb_entry_t *e = bt_kb_get (kb, families[i]);
		if (e == NULL)
			fail_msg ("no family entry %s", families[i]);
		assert_true (strlen (bt_kb_entry_advice (e)) > 80);
	}
	bt_kb_free (kb);
}

/* A family entry must outrank its reason's generic entry, so that when both
 * match the family's more specific explanation is shown. */
static void
test_real_family_priorities (void **state)
{
	bt_kb_t *kb = real_kb ();

	(void) state;
	for (guint i = 0; i < bt_kb_count (kb); i++) {
		const bt_kb_entry_t *e = bt_kb_entry_at (kb, i);
		const bt_kb_entry_t *g = bt_kb_get (kb, bt_kb_entry_reason (e));
		if (!g_str_has_suffix (bt_kb_entry_file (e), "families.kb"))
			continue;
		if (bt_kb_entry_priority (e) <= bt_kb_entry_priority (g))
			fail_msg ("[%s] (priority %d) does not outrank [%s] (%d)", bt_kb_entry_id (e),
				  bt_kb_entry_priority (e), bt_kb_entry_id (g), bt_kb_entry_priority (g));
	}
	bt_kb_free (kb);
}

/* Every code of the IANA registry and every common reply code. */
static void
test_real_codes (void **state)
{
	static const int details[] = { 0, 10, 4, 6, 7, 6, 10, 30 };   /* per subject 0..7 */
	static const char *const replies[] = {
		"211", "214", "220", "221", "250", "251", "252", "354", "421", "450", "451",
		"452", "455", "500", "501", "502", "503", "504", "521", "550", "551", "552",
		"553", "554", "555", "556",
	};
	bt_kb_t *kb = real_kb ();
	char code[16];

	(void) state;
	for (int s = 0; s < 8; s++) {
		for (int d = 0; d <= details[s]; d++) {
			g_snprintf (code, sizeof code, "X.%d.%d", s, d);
			for (const char *c = "245"; *c; c++) {
				const char *m;
				code[0] = *c;
				m = bt_kb_status_meaning (kb, code);
				if (m == NULL)
					fail_msg ("no meaning for %s", code);
			}
			/* Not the X.S.0 fallback: each code has its own line. */
			if (d > 0) {
				char fallback[16];
				g_snprintf (fallback, sizeof fallback, "5.%d.0", s);
				code[0] = '5';
				assert_string_not_equal (bt_kb_status_meaning (kb, code),
							 bt_kb_status_meaning (kb, fallback));
			}
		}
	}
	for (guint i = 0; i < G_N_ELEMENTS (replies); i++)
		if (bt_kb_reply_meaning (kb, replies[i]) == NULL)
			fail_msg ("no meaning for reply %s", replies[i]);
	/* The classifier's derived pseudo codes say so, not "undefined". */
	assert_non_null (strstr (bt_kb_status_meaning (kb, "5.0.911"), "derived"));
	assert_non_null (strstr (bt_kb_status_meaning (kb, "4.0.947"), "derived"));
	assert_string_not_equal (bt_kb_status_meaning (kb, "5.0.0"), bt_kb_status_meaning (kb, "5.0.911"));
	bt_kb_free (kb);
}

int
main (void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test (test_empty),
		cmocka_unit_test (test_valid),
		cmocka_unit_test (test_meanings),
		cmocka_unit_test (test_patterns),
		cmocka_unit_test (test_codes),
		cmocka_unit_test (test_override),
		cmocka_unit_test (test_digest),
		cmocka_unit_test (test_io_errors),
		cmocka_unit_test (test_malformed),
		cmocka_unit_test (test_dir_with_problems),
		cmocka_unit_test (test_real_reasons),
		cmocka_unit_test (test_real_families),
		cmocka_unit_test (test_real_family_priorities),
		cmocka_unit_test (test_real_codes),
	};

	return cmocka_run_group_tests (tests, NULL, NULL);
}
