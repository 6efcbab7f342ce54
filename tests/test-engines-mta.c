/* test-engines-mta.c: each MTA engine against our own fixtures
 * (tests/corpus/, written in each MTA's style): which engine reads the
 * bounce and the exact fields of every record. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "bouncetriage/parse.h"

typedef struct {
	const char *file;
	const char *engine;
	const char *recipient;
	const char *status;       /* NULL: none */
	bool derived;
	const char *replycode;
	const char *command;
	const char *action;
	const char *diag;         /* a substring of the diagnostic, or NULL */
} expect_t;

static const expect_t expects[] = {
	{ "amavis-02-virusdetected.eml", "Amavis", "joao.almeida@example.net", "5.7.0", false, "554", NULL, "failed", "INFECTED: Eicar-Signature" },
	{ "amavis-01-spamdetected.eml", "Amavis", "clara.jensen@example.net", "5.7.0", false, "554", NULL, "failed", "spam" },
	{ "courier-01-rejected.eml", "Courier", "fund-office@example.net", "5.1.8", false, "553", "MAIL", "failed", "Sender address rejected" },
	{ "domino-01-networkerror-routingloop.eml", "Domino", "sales-team@example.org", "5.0.0", true, NULL, NULL, "failed", "routing loop" },
	{ "dragonfly-01-authfailure.eml", "DragonFly", "circulation@example.net", "5.7.1", false, "550", "DATA", "failed", "did not like our final DATA" },
	{ "dragonfly-02-hostunknown.eml", "DragonFly", "ops@backup-host.test", "5.0.0", true, NULL, NULL, "failed", "DNS lookup failure" },
	{ "exchange2003-01-userunknown.eml", "Exchange2003", "liam.brennan@corp.example.net", "5.0.0", true, NULL, NULL, "failed", "The recipient name is not recognized" },
	{ "exchange2003-02-filtered.eml", "Exchange2003", "claire.dubois@example.org", "5.7.1", false, "550", NULL, "failed", "content filter" },
	{ "exchange2007-01-userunknown.eml", "Exchange2007", "oskar.lindqvist@corp.example.net", "5.1.1", false, "550", NULL, "failed", "RESOLVER.ADR.RecipNotFound" },
	{ "exchange2007-02-exceedlimit-toomanyrecipients.eml", "Exchange2007", "frontdesk@corp.example.net", "5.5.3", false, "550", NULL, "failed", "RecipLimit" },
	{ "exchange2007-02-exceedlimit-toomanyrecipients.eml", "Exchange2007", "sales@corp.example.net", "5.5.3", false, "550", NULL, "failed", "RecipLimit" },
	{ "exim-01-mailboxfull.eml", "Exim", "greta.holm@example.net", "5.2.2", false, "552", "RCPT", "failed", "SMTP error from remote mail server" },
	{ "exim-02-expired-retrytime.eml", "Exim", "bookings@harbourview-hotel.example.org", "5.0.0", true, NULL, NULL, "failed", "retry time not reached" },
	{ "exim-03-norelaying.eml", "Exim", "rafael.ortega@example.net", "5.0.0", true, "550", "RCPT", "failed", NULL },
	{ "exim-04-blocked-spamsourcelist.eml", "Exim", "anke.vogt@example.org", "5.7.1", false, "554", "RCPT", "failed", NULL },
	{ "exim-05-systemerror.eml", "Exim", "archive@example.org", "5.3.0", false, "554", "DATA", "failed", NULL },
	{ "mcafee-01-norelaying.eml", "McAfee", "mira.castell@example.net", "5.7.1", false, "550", NULL, "failed", "Relaying denied" },
	{ "messagingserver-01-hasmoved.eml", "MessagingServer", "a.fairweather@example.org", "5.1.6", false, "551", NULL, "failed", "User has moved" },
	{ "mfilter-01-userunknown.eml", "mFILTER", "kenta.ishida@example.net", "5.1.1", false, "550", "RCPT", "failed", "Recipient address rejected" },
	{ "notes-01-userunknown.eml", "Notes", "w.achterberg@notesgw.example.net", "5.0.0", true, NULL, NULL, "failed", "not listed in public Name & Address Book" },
	{ "opensmtpd-01-networkerror.eml", "OpenSMTPD", "layout@studio.example.net", "5.0.0", true, NULL, NULL, "failed", "Network error on destination MXs" },
	{ "postfix-01-userunknown.eml", "Postfix", "bruno.castellan@example.net", "5.1.1", false, "550", "RCPT", "failed", "No such user here" },
	{ "postfix-03-hostunknown-plain.eml", "Postfix", "accounts@brightwater-supplies.test", "5.0.0", true, NULL, NULL, "failed", "Host or domain name not found" },
	{ "postfix-04-multirecipient.eml", "Postfix", "pia.lindholm@example.net", "5.1.1", false, "550", "RCPT", "failed", NULL },
	{ "postfix-04-multirecipient.eml", "Postfix", "omar.haddad@example.org", "5.2.2", false, "552", "RCPT", "failed", "Mailbox full" },
	{ "postfix-04-multirecipient.eml", "Postfix", "guests@venue.example.org", "5.7.1", false, "554", "RCPT", "failed", "Relay access denied" },
	{ "postfix-05-delayed-connectiontimedout.eml", "Postfix", "tove.berglund@example.net", "4.4.1", false, NULL, NULL, "delayed", "Connection timed out" },
	{ "postfix-06-delivered.eml", "Postfix", "legal@example.org", "2.0.0", false, "250", NULL, "delivered", NULL },
	{ "postfix-08-spamdetected-crlf.eml", "Postfix", "sveta.orlova@example.org", "5.7.1", false, "554", "DATA", "failed", "suspicion of SPAM" },
	{ "postfix-09-userunknown-utf8global.eml", "Postfix", "josé.pérez@example.org", "5.1.1", false, "550", "RCPT", "failed", NULL },
	{ "postfix-10-notaccept-nullmx.eml", "Postfix", "noreply@parked.example.net", "5.1.10", false, NULL, NULL, "failed", "nullMX" },
	{ "powermta-01-hostunknown.eml", "PowerMTA", "subscriptions@oldshop.example.net", "5.4.4", false, "554", NULL, "failed", NULL },
	{ "qmail-01-userunknown.eml", "qmail", "ada.whitcombe@example.org", "5.1.1", false, NULL, NULL, "failed", "no mailbox here by that name" },
	{ "qmail-02-spamdetected-spamrejected.eml", "qmail", "yusuf.demir@example.net", "5.0.0", true, "550", "RCPT", "failed", "does not like recipient" },
	{ "qmail-03-hostunknown.eml", "qmail", "orders@paperandpress.test", "5.1.2", false, NULL, NULL, "failed", "couldn't find any host" },
	{ "sendmail-01-userunknown.eml", "Sendmail", "kaito.mori@example.org", "5.1.1", false, "550", "RCPT", "failed", "User unknown" },
	{ "sendmail-03-expired.eml", "Sendmail", "samir.benali@example.org", "4.4.7", false, NULL, NULL, "failed", NULL },
	{ "sendmail-04-blocked-accessfromip.eml", "Sendmail", "dmitri.volkov@example.net", "5.7.1", false, "550", "MAIL", "failed", NULL },
	{ "sendmailv5-01-expired.eml", "V5sendmail", "reading-room@example.org", "4.0.0", true, "421", NULL, "failed", "Deferred" },
	{ "sendmailv5-02-userunknown.eml", "V5sendmail", "m.quist@oldhost.example.net", "5.0.0", true, "550", "RCPT", "failed", "User unknown" },
	{ "trendmicro-01-virusdetected.eml", "TrendMicro", "takeshi.ono@example.org", "5.7.1", false, "554", "DATA", "failed", "infected by virus" },
	{ "activehunter-31-userunknown.eml", "Activehunter", "yui.sato@example.net", "5.1.1", false, "550", NULL, "failed", "User unknown in local recipient table" },
	{ "apachejames-31-userunknown.eml", "ApacheJames", "5550100131@mms.example.net", "5.0.0", true, "550", NULL, "failed", "no such user here" },
	{ "fml-31-systemerror-loop.eml", "FML", "trail-news@lists.example.org", "5.0.0", true, NULL, NULL, "failed", "Duplicated Message-ID" },
	{ "imailserver-31-userunknown.eml", "IMailServer", "front.office@example.net", "5.0.0", true, NULL, NULL, "failed", "Unknown user" },
	{ "mailfoundry-31-mailboxfull.eml", "MailFoundry", "archive@records.example.net", "5.2.2", false, "552", NULL, "failed", "over quota" },
	{ "mailmarshal-31-userunknown.eml", "MailMarshal", "board-secretary@example.net", "5.1.1", false, "550", NULL, "failed", "User unknown" },
	{ "surfcontrol-31-userunknown.eml", "SurfControl", "guests@venue.example.net", "5.0.0", true, "550", NULL, "failed", "No such user" },
	{ "x1-31-userunknown.eml", "X1", "support-desk@example.net", "5.0.0", true, NULL, NULL, "failed", "User unknown" },
	{ "x2-31-mailboxfull.eml", "X2", "club.news@portal.example.net", "5.0.0", true, NULL, NULL, "failed", "over quota" },
	{ "x3-31-userunknown.eml", "X3", "orders@shop.example.net", "5.1.1", false, "553", "RCPT", "failed", "No such user here" },
	{ "x4-31-mailboxfull.eml", "X4", "ticket-desk@example.net", "5.0.0", true, NULL, NULL, "failed", "mailfolder is full" },
	{ "x6-31-userunknown.eml", "X6", "bookings@tour.example.net", "5.1.1", false, "550", "RCPT", "failed", "Recipient address rejected" },
};

static void
assert_field (const char *what, const char *file, const char *want, const char *got)
{
	if (want == NULL && got == NULL)
		return;
	if (want == NULL || got == NULL || strcmp (want, got) != 0)
		fail_msg ("%s: %s: want '%s', got '%s'", file, what, want ? want : "(none)", got ? got : "(none)");
}

static void
test_expect (void **state)
{
	const expect_t *e = *state;
	const char *srcdir = g_getenv ("BT_SRCDIR");
	char *path = g_build_filename (srcdir ? srcdir : BT_SRCDIR, "tests", "corpus", e->file, NULL);
	GError *error = NULL;
	bt_report_t *r;
	bt_record_t *rec;

	if (!g_file_test (path, G_FILE_TEST_EXISTS)) {
		g_free (path);
		skip ();
	}
	r = bt_parse_file (path, &error);
	assert_non_null (r);
	assert_field ("engine", e->file, e->engine, r->engine);
	rec = bt_report_find (r, e->recipient);
	if (rec == NULL)
		fail_msg ("%s: no record for %s", e->file, e->recipient);
	assert_field ("status", e->file, e->status, rec->f[BT_F_STATUS]);
	assert_int_equal (rec->status_derived, e->derived);
	assert_field ("replycode", e->file, e->replycode, rec->f[BT_F_REPLYCODE]);
	assert_field ("command", e->file, e->command, rec->f[BT_F_COMMAND]);
	assert_field ("action", e->file, e->action, rec->f[BT_F_ACTION]);
	if (e->diag && (rec->f[BT_F_DIAGNOSTIC] == NULL || strstr (rec->f[BT_F_DIAGNOSTIC], e->diag) == NULL))
		fail_msg ("%s: diagnostic '%s' lacks '%s'", e->file, rec->f[BT_F_DIAGNOSTIC], e->diag);
	/* Every record names a recipient and an action. */
	for (guint i = 0; i < r->records->len; i++) {
		bt_record_t *x = r->records->pdata[i];
		assert_non_null (x->f[BT_F_RECIPIENT]);
		assert_non_null (x->f[BT_F_ACTION]);
	}
	bt_report_free (r);
	g_free (path);
}

/* Engines from inline messages: styles our corpus has no file for. */
static bt_report_t *
parse_text (const char *text)
{
	GError *error = NULL;
	bt_report_t *r = bt_parse_bytes (text, strlen (text), "inline", &error);

	assert_non_null (r);
	return r;
}

static void
test_exim_local_delivery (void **state)
{
	(void) state;
	bt_report_t *r = parse_text (
		"From: Mail Delivery System <Mailer-Daemon@relay.example.org>\n"
		"Subject: Mail delivery failed: returning message to sender\n\n"
		"This message was created automatically by mail delivery software.\n\n"
		"A message that you sent could not be delivered to one or more of its\n"
		"recipients. This is a permanent error. The following address(es) failed:\n\n"
		"  pipe to |/usr/local/bin/filter --strict\n"
		"    generated by moira@example.org\n"
		"  tomas@example.net\n"
		"    (generated from sales@example.net)\n"
		"    SMTP error from remote mail server after RCPT TO:<tomas@example.net>:\n"
		"    host mx.example.net [192.0.2.7]: 550 5.1.1 No such mailbox\n\n"
		"------ This is a copy of the message, including all the headers. ------\n\n"
		"Message-Id: <abc@example.org>\nFrom: ines@example.org\nTo: sales@example.net\nSubject: Quote\n\nHi\n");

	assert_string_equal (r->engine, "Exim");
	assert_int_equal (r->records->len, 2);
	assert_non_null (bt_report_find (r, "moira@example.org"));
	bt_record_t *rec = bt_report_find (r, "tomas@example.net");
	assert_non_null (rec);
	assert_string_equal (rec->f[BT_F_STATUS], "5.1.1");
	assert_string_equal (rec->f[BT_F_REPLYCODE], "550");
	assert_string_equal (rec->f[BT_F_COMMAND], "RCPT");
	assert_string_equal (rec->f[BT_F_REMOTE_MTA], "mx.example.net");
	assert_null (strstr (rec->f[BT_F_DIAGNOSTIC], "generated from"));
	/* The quoted copy of the original gives its headers. */
	assert_string_equal (r->orig_message_id, "abc@example.org");
	assert_string_equal (r->orig_subject, "Quote");
	bt_report_free (r);
}

static void
test_qmail_many (void **state)
{
	(void) state;
	bt_report_t *r = parse_text (
		"From: MAILER-DAEMON@mx.example.org\nSubject: failure notice\n\n"
		"Hi. This is the qmail-send program at mx.example.org.\n"
		"I'm afraid I wasn't able to deliver your message to the following addresses.\n"
		"This is a permanent error; I've given up. Sorry it didn't work out.\n\n"
		"<one@example.net>:\n192.0.2.1 does not like recipient.\nRemote host said: 550 5.1.1 unknown\n"
		"Giving up on 192.0.2.1.\n\n"
		"<two@example.net>:\nConnected to 192.0.2.1 but sender was rejected.\n"
		"Remote host said: 553 sorry, your envelope sender is blocked\n\n"
		"<three@example.net>:\nSorry, I couldn't find any host named example.net. (#5.1.2)\n\n"
		"--- Below this line is a copy of the message.\n\nReturn-Path: <x@example.org>\nTo: <one@example.net>\n\nhi\n");

	assert_string_equal (r->engine, "qmail");
	assert_int_equal (r->records->len, 3);
	assert_string_equal (bt_report_find (r, "one@example.net")->f[BT_F_REPORTING_MTA], "mx.example.org");
	assert_string_equal (bt_report_find (r, "one@example.net")->f[BT_F_DIAGNOSTIC_TYPE], "SMTP");
	assert_string_equal (bt_report_find (r, "one@example.net")->f[BT_F_COMMAND], "RCPT");
	assert_string_equal (bt_report_find (r, "two@example.net")->f[BT_F_COMMAND], "MAIL");
	assert_string_equal (bt_report_find (r, "two@example.net")->f[BT_F_STATUS], "5.0.0");
	assert_true (bt_report_find (r, "two@example.net")->status_derived);
	assert_string_equal (bt_report_find (r, "three@example.net")->f[BT_F_STATUS], "5.1.2");
	bt_report_free (r);
}

static void
test_notes_domino (void **state)
{
	(void) state;
	bt_report_t *r = parse_text (
		"From: Postmaster@gw.example.org\nSubject: DELIVERY FAILURE: User Ana not listed\n\n"
		"Your message\n\n  Subject: Minutes\n\nwas not delivered to:\n\n  ana.ruiz@example.org\n\n"
		"because:\n\n  User ana.ruiz (ana.ruiz@example.org) not listed in Domino Directory\n");

	assert_string_equal (r->engine, "Domino");
	assert_int_equal (r->records->len, 1);
	assert_string_equal (((bt_record_t *) r->records->pdata[0])->reason_hint, "userunknown");
	bt_report_free (r);
}

int
main (void)
{
	GArray *tests = g_array_new (FALSE, FALSE, sizeof (struct CMUnitTest));
	int rc;

	bt_parse_init ();
	for (size_t i = 0; i < G_N_ELEMENTS (expects); i++) {
		struct CMUnitTest t = { expects[i].file, test_expect, NULL, NULL, (void *) &expects[i] };
		g_array_append_val (tests, t);
	}
	{
		const struct CMUnitTest more[] = {
			cmocka_unit_test (test_exim_local_delivery),
			cmocka_unit_test (test_qmail_many),
			cmocka_unit_test (test_notes_domino),
		};
		g_array_append_vals (tests, more, G_N_ELEMENTS (more));
	}
	rc = _cmocka_run_group_tests ("engines-mta", (const struct CMUnitTest *) (void *) tests->data,
				      tests->len, NULL, NULL);
	g_array_free (tests, TRUE);
	bt_parse_shutdown ();
	return rc;
}
