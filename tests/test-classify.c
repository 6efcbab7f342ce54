/* test-classify.c: the classifier's rules and their order, the entries the
 * fourteen families of errors land on, status refinement and explain. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "bouncetriage/classify.h"
#include "bouncetriage/kb.h"

static const char *
srcdir (void)
{
	const char *top = g_getenv ("BT_SRCDIR");

	return top ? top : BT_SRCDIR;
}

static bt_kb_t *
kb_from (const char *path, bool dir)
{
	bt_kb_t *kb = bt_kb_new ();
	GPtrArray *problems = g_ptr_array_new_with_free_func (g_free);
	bt_status_t st = dir ? bt_kb_load_dir (kb, path, problems, NULL)
		: bt_kb_load_file (kb, path, problems, NULL);

	for (guint i = 0; i < problems->len; i++)
		print_error ("%s\n", (char *) problems->pdata[i]);
	assert_int_equal (st, BT_OK);
	g_ptr_array_unref (problems);
	return kb;
}

static int
setup_real (void **state)
{
	char *dir = g_build_filename (srcdir (), "kb", NULL);

	*state = kb_from (dir, true);
	g_free (dir);
	return 0;
}

static int
setup_rules (void **state)
{
	char *path = g_build_filename (srcdir (), "tests", "kb", "rules.kb", NULL);

	*state = kb_from (path, false);
	g_free (path);
	return 0;
}

static int
teardown (void **state)
{
	bt_kb_free (*state);
	return 0;
}

/* A one-record report; NULL fields stay unset. */
static bt_report_t *
record (const char *action, const char *status, const char *reply, const char *command,
	const char *diag, bt_record_t **rec)
{
	bt_report_t *r = bt_report_new ("test");

	*rec = bt_report_add (r);
	bt_record_set (r, *rec, BT_F_RECIPIENT, "someone@example.org", -1);
	bt_record_set (r, *rec, BT_F_ACTION, action, -1);
	bt_record_set (r, *rec, BT_F_STATUS, status, -1);
	bt_record_set (r, *rec, BT_F_REPLYCODE, reply, -1);
	bt_record_set (r, *rec, BT_F_COMMAND, command, -1);
	bt_record_set (r, *rec, BT_F_DIAGNOSTIC, diag, -1);
	return r;
}

/* ---- the fourteen families (reasons.md) on the shipped kb ---- */

static const struct {
	const char *text;
	const char *status;     /* as a report would give it, or NULL */
	const char *entry;
	const char *reason;
} families[] = {
	{ "550 5.1.1 <bob@example.org>: No such user here", "5.1.1", "no-such-user", "userunknown" },
	{ "550 User not found", "5.1.1", "no-such-user", "userunknown" },
	{ "554 5.1.3 No correct recipients", "5.1.3", "no-such-user", "userunknown" },
	{ "501 5.1.3 Bad recipient address syntax", "5.1.3", "no-such-user", "userunknown" },
	{ "553 5.1.3 Bad address mailbox syntax", "5.1.3", "no-such-user", "userunknown" },
	{ "554 5.7.1 Message rejected under suspicion of SPAM", "5.7.1", "spam-suspected", "spamdetected" },
	{ "550 Message rejected. Blocked by spam statistics", NULL, "spam-suspected", "spamdetected" },
	{ "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using a spam source list",
	  "5.7.1", "spam-source-listed", "blocked" },
	{ "550 spam message discarded", NULL, "spam-message-rejected", "spamdetected" },
	{ "550 Spam message rejected", NULL, "spam-message-rejected", "spamdetected" },
	{ "550 5.7.1 Relay not permitted", "5.7.1", "relay-not-permitted", "norelaying" },
	{ "connect to mx.example.org[192.0.2.1]:25: Connection timed out", "4.4.1",
	  "connection-timed-out", "expired" },
	{ "retry time not reached for any host after a long failure period", NULL,
	  "connection-timed-out", "expired" },
	{ "connect to mx.example.org[192.0.2.1]:25: Connection refused", "4.4.1",
	  "connection-refused", "networkerror" },
	{ "552 5.2.2 Mailbox full", "5.2.2", "mailbox-full", "mailboxfull" },
	{ "452 4.2.2 User quota exceeded", "4.2.2", "mailbox-full", "mailboxfull" },
	{ "552 Mailbox size exceeded", NULL, "mailbox-full", "mailboxfull" },
	{ "550 5.2.1 Access to this account is disabled", "5.2.1", "account-disabled", "suspend" },
	{ "550 Mailbox is disabled", NULL, "account-disabled", "suspend" },
	{ "550 Access from IP address 192.0.2.1 blocked", NULL, "ip-blocked", "blocked" },
	{ "Your server has reported an error 0x800CCC0E: the connection to the server failed", NULL,
	  "client-error-0x800ccc", "networkerror" },
	{ "554 5.7.0 Message infected by virus Eicar-Test-Signature", "5.7.0", "virus-infected",
	  "virusdetected" },
	{ "450 4.2.1 The recipient has exceeded their message rate limit. Try again later.", "4.2.1",
	  "rate-limited", "speeding" },
	{ "552 5.3.4 Message size exceeds fixed limit", "5.3.4", "message-too-big", "mesgtoobig" },
	{ "552 message file too big", NULL, "message-too-big", "mesgtoobig" },
	{ "421 4.7.0 Too many connections from your host", "4.7.0", "too-many-connections",
	  "toomanyconn" },
	{ "452 4.5.3 Too many recipients", "4.5.3", "too-many-recipients", "exceedlimit" },
};

static void
test_families (void **state)
{
	const bt_kb_t *kb = *state;

	for (guint i = 0; i < G_N_ELEMENTS (families); i++) {
		bt_record_t *rec;
		bt_report_t *r = record ("failed", families[i].status, NULL, "RCPT", families[i].text, &rec);

		bt_classify_record (kb, r, rec);
		if (rec->kb == NULL || strcmp (rec->kb, families[i].entry) != 0
		    || strcmp (rec->reason, families[i].reason) != 0)
			fail_msg ("'%s': got %s [%s], want %s [%s]", families[i].text, rec->reason,
				  rec->kb ? rec->kb : "none", families[i].reason, families[i].entry);
		assert_int_equal (rec->rule, BT_RULE_TEXT);
		assert_non_null (rec->evidence);
		assert_non_null (strstr (families[i].text, rec->evidence));
		bt_report_free (r);
	}
}

/* Hard only for the reasons that say the address is bad. */
static void
test_hard (void **state)
{
	const bt_kb_t *kb = *state;
	bt_record_t *rec;
	bt_report_t *r = record ("failed", "5.1.1", "550", "RCPT", "550 5.1.1 User unknown", &rec);

	bt_classify_record (kb, r, rec);
	assert_string_equal (rec->reason, "userunknown");
	assert_true (rec->hard);
	bt_report_free (r);
	r = record ("failed", "5.7.1", "554", "DATA", "554 5.7.1 Client host [192.0.2.1] blocked using zen.spamhaus.org", &rec);
	bt_classify_record (kb, r, rec);
	assert_string_equal (rec->reason, "blocked");
	assert_false (rec->hard);
	bt_report_free (r);
}

/* "User unknown" not in reply to RCPT is a filter speaking (soft), unless
 * the status says the mailbox does not exist. */
static void
test_not_at_rcpt (void **state)
{
	const bt_kb_t *kb = *state;
	bt_record_t *rec;
	bt_report_t *r = record ("failed", "5.0.0", "550", "DATA", "550 Unknown user bob@example.org", &rec);

	bt_classify_record (kb, r, rec);
	assert_string_equal (rec->reason, "filtered");
	assert_false (rec->hard);
	bt_report_free (r);
	r = record ("failed", "5.1.1", "550", "DATA", "550 5.1.1 Unknown user bob@example.org", &rec);
	bt_classify_record (kb, r, rec);
	assert_string_equal (rec->reason, "userunknown");
	assert_true (rec->hard);
	bt_report_free (r);
	r = record ("failed", NULL, "550", NULL, "550 Unknown user bob@example.org", &rec);
	bt_classify_record (kb, r, rec);
	assert_string_equal (rec->reason, "filtered");
	assert_string_equal (rec->kb, "filtered");
	bt_report_free (r);
	/* Any X.1.x status is about the address (Exchange's 5.1.351). */
	r = record ("failed", "5.1.351", "550", NULL, "550 5.1.351 unknown recipient", &rec);
	bt_classify_record (kb, r, rec);
	assert_string_equal (rec->reason, "userunknown");
	bt_report_free (r);
	/* A status derived from the reply code says nothing. */
	r = record ("failed", "5.1.1", "550", NULL, "550 Unknown user bob@example.org", &rec);
	rec->status_derived = true;
	bt_classify_record (kb, r, rec);
	assert_string_equal (rec->reason, "filtered");
	bt_report_free (r);
}

/* Not failures: decided by the record itself, before any rule. */
static void
test_kinds (void **state)
{
	const bt_kb_t *kb = *state;
	bt_record_t *rec;
	bt_report_t *r = record ("relayed", "2.0.0", "250", NULL, "250 no such user (a lie)", &rec);

	bt_classify_record (kb, r, rec);
	assert_string_equal (rec->reason, "delivered");
	assert_string_equal (rec->kb, "delivered");
	assert_int_equal (rec->rule, BT_RULE_ENGINE);
	assert_false (rec->hard);
	bt_report_free (r);
	r = record (NULL, NULL, NULL, NULL, "This is an email abuse report", &rec);
	bt_record_set (r, rec, BT_F_FEEDBACK_TYPE, "abuse", -1);
	bt_classify_record (kb, r, rec);
	assert_string_equal (rec->reason, "feedback");
	assert_string_equal (rec->evidence, "abuse");
	bt_report_free (r);
	/* The engine's hint beats the text. */
	r = record ("failed", "5.0.0", NULL, NULL, "mailbox full", &rec);
	rec->reason_hint = "hostunknown";
	bt_classify_record (kb, r, rec);
	assert_string_equal (rec->reason, "hostunknown");
	assert_int_equal (rec->rule, BT_RULE_ENGINE);
	assert_string_equal (rec->kb, "hostunknown");
	bt_report_free (r);
	/* An unknown hint is ignored. */
	r = record ("failed", "5.0.0", NULL, "RCPT", "mailbox full", &rec);
	rec->reason_hint = "not-a-reason";
	bt_classify_record (kb, r, rec);
	assert_string_equal (rec->reason, "mailboxfull");
	bt_report_free (r);
}

/* ---- rule order, on tests/kb/rules.kb ---- */

static void
test_text_beats_status (void **state)
{
	const bt_kb_t *kb = *state;
	bt_record_t *rec;
	bt_report_t *r = record ("failed", "5.1.1", "501", "RCPT", "550 box is full", &rec);

	bt_classify_record (kb, r, rec);
	assert_string_equal (rec->reason, "mailboxfull");
	assert_string_equal (rec->kb, "text-low");
	assert_int_equal (rec->rule, BT_RULE_TEXT);
	assert_string_equal (rec->evidence, "full");
	bt_report_free (r);
}

static void
test_priority_wins (void **state)
{
	const bt_kb_t *kb = *state;
	bt_record_t *rec;
	bt_report_t *r = record ("failed", NULL, NULL, "RCPT", "full, and disabled", &rec);

	bt_classify_record (kb, r, rec);
	assert_string_equal (rec->reason, "suspend");
	assert_string_equal (rec->kb, "text-high");
	assert_string_equal (rec->evidence, "disabled");
	bt_report_free (r);
}

static void
test_status_rules (void **state)
{
	static const struct {
		const char *status, *reason, *entry;
	} cases[] = {
		{ "5.1.1", "userunknown", "status-exact" },   /* exact beats 5.1.* */
		{ "5.1.2", "hostunknown", "status-class" },   /* one '*' beats two (*.*.2) */
		{ "5.1.21", "hostunknown", "status-class" },
		{ "4.2.2", "systemerror", "status-wide" },
	};
	const bt_kb_t *kb = *state;

	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		bt_record_t *rec;
		bt_report_t *r = record ("failed", cases[i].status, "501", "RCPT", "nothing matches", &rec);
		bt_classify_record (kb, r, rec);
		assert_string_equal (rec->reason, cases[i].reason);
		assert_int_equal (rec->rule, BT_RULE_STATUS);
		assert_string_equal (rec->evidence, cases[i].status);
		/* The entry whose rule decided, not the reason's generic one. */
		assert_string_equal (rec->kb, cases[i].entry);
		bt_report_free (r);
	}
}

static void
test_reply_then_default (void **state)
{
	const bt_kb_t *kb = *state;
	bt_record_t *rec;
	bt_report_t *r = record ("failed", "5.9.9", "501", NULL, "nothing matches", &rec);

	bt_classify_record (kb, r, rec);
	assert_string_equal (rec->reason, "syntaxerror");
	assert_string_equal (rec->kb, "reply-rule");
	assert_int_equal (rec->rule, BT_RULE_REPLYCODE);
	assert_string_equal (rec->evidence, "501");
	bt_report_free (r);
	r = record ("failed", "5.9.9", "550", NULL, "nothing matches", &rec);
	bt_classify_record (kb, r, rec);
	assert_string_equal (rec->reason, "onhold");
	assert_int_equal (rec->rule, BT_RULE_DEFAULT);
	assert_null (rec->evidence);
	assert_null (rec->kb);
	bt_report_free (r);
	r = record (NULL, NULL, NULL, NULL, NULL, &rec);
	bt_classify_record (kb, r, rec);
	assert_string_equal (rec->reason, "undefined");
	assert_false (rec->hard);
	bt_report_free (r);
}

/* A derived or missing status becomes the reason's pseudo code C.0.9NN,
 * keeping a temporary failure in class 4; a status the report gave stays. */
static void
test_status_refined (void **state)
{
	const bt_kb_t *kb = *state;
	bt_record_t *rec;
	bt_report_t *r = record ("failed", "5.0.0", "550", "RCPT", "550 No such user", &rec);

	rec->status_derived = true;
	bt_classify_record (kb, r, rec);
	assert_string_equal (rec->f[BT_F_STATUS], "5.0.911");
	assert_true (rec->status_derived);
	bt_report_free (r);
	r = record ("failed", NULL, "452", "RCPT", "452 mailbox full", &rec);
	bt_classify_record (kb, r, rec);
	assert_string_equal (rec->reason, "mailboxfull");
	assert_string_equal (rec->f[BT_F_STATUS], "4.0.922");
	assert_true (rec->status_derived);
	bt_report_free (r);
	r = record ("failed", "5.0.0", "550", "RCPT", "550 mailbox full", &rec);
	bt_classify_record (kb, r, rec);
	assert_string_equal (rec->f[BT_F_STATUS], "5.0.0");
	assert_false (rec->status_derived);
	bt_report_free (r);
}

/* GRegex needs UTF-8: a broken diagnostic still matches, and its evidence
 * is valid. */
static void
test_invalid_utf8 (void **state)
{
	const bt_kb_t *kb = *state;
	bt_record_t *rec;
	bt_report_t *r = record ("failed", NULL, NULL, "RCPT", "box \xff\xfe is full", &rec);

	bt_classify_record (kb, r, rec);
	assert_string_equal (rec->reason, "mailboxfull");
	assert_true (g_utf8_validate (rec->evidence, -1, NULL));
	bt_report_free (r);
}

static void
test_explain (void **state)
{
	const bt_kb_t *kb = *state;
	bt_record_t *rec;
	bt_report_t *r = record ("failed", "5.1.1", NULL, "RCPT", "box full, disabled", &rec);
	GString *out = g_string_new (NULL);

	bt_classify_record (kb, r, rec);
	bt_classify_explain (kb, rec, out);
	assert_string_equal (out->str,
			     "engine: no hint\n"
			     "text: [text-high] (suspend, priority 20) matches 'disabled' by /disabled/: decides\n"
			     "text: [text-low] (mailboxfull, priority 10) matches 'full' by /full/\n"
			     "verdict: suspend (soft), entry [text-high], evidence 'disabled'\n");
	g_string_truncate (out, 0);
	bt_report_free (r);
	r = record ("failed", "5.1.2", "501", NULL, "nothing", &rec);
	bt_classify_record (kb, r, rec);
	bt_classify_explain (kb, rec, out);
	assert_string_equal (out->str,
			     "engine: no hint\n"
			     "text: no pattern matches the diagnostic\n"
			     "status: 5.1.2 fits rule '5.1.*' of [status-class]: hostunknown\n"
			     "verdict: hostunknown (hard), entry [status-class], evidence '5.1.2'\n");
	g_string_free (out, TRUE);
	bt_report_free (r);
}

static void
test_report (void **state)
{
	const bt_kb_t *kb = *state;
	bt_report_t *r = bt_report_new ("two");
	bt_record_t *a = bt_report_add (r), *b = bt_report_add (r);

	bt_record_set (r, a, BT_F_DIAGNOSTIC, "disabled", -1);
	bt_record_set (r, b, BT_F_DIAGNOSTIC, "full", -1);
	bt_classify_report (kb, r);
	assert_string_equal (a->reason, "suspend");
	assert_string_equal (b->reason, "mailboxfull");
	bt_report_free (r);
}

int
main (void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown (test_families, setup_real, teardown),
		cmocka_unit_test_setup_teardown (test_hard, setup_real, teardown),
		cmocka_unit_test_setup_teardown (test_not_at_rcpt, setup_real, teardown),
		cmocka_unit_test_setup_teardown (test_kinds, setup_real, teardown),
		cmocka_unit_test_setup_teardown (test_text_beats_status, setup_rules, teardown),
		cmocka_unit_test_setup_teardown (test_priority_wins, setup_rules, teardown),
		cmocka_unit_test_setup_teardown (test_status_rules, setup_rules, teardown),
		cmocka_unit_test_setup_teardown (test_reply_then_default, setup_rules, teardown),
		cmocka_unit_test_setup_teardown (test_status_refined, setup_real, teardown),
		cmocka_unit_test_setup_teardown (test_invalid_utf8, setup_rules, teardown),
		cmocka_unit_test_setup_teardown (test_explain, setup_rules, teardown),
		cmocka_unit_test_setup_teardown (test_report, setup_rules, teardown),
	};

	return cmocka_run_group_tests (tests, NULL, NULL);
}
