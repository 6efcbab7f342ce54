/* test-engines-services.c: the engines for mail services and appliances
 * (lib/engines/services.def), each against our own fixture in that
 * service's style (tests/corpus/<service>-2N-*.eml).
 *
 * Each engine is called directly, through the engine table by its name, so
 * the fields checked are that engine's own; the parse of the whole message
 * then checks that the engine is the one the table picks.  Every engine must also refuse a
 * plain Postfix DSN, a non-bounce, and every other service's fixture. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bouncetriage/parse.h"
#include "engines/engine.h"
#include "mail.h"

typedef struct {
	const char *fixture;
	const char *engine;         /* the name in the engine table */
	const char *recipient, *action, *status, *replycode;
	const char *diagnostic;
	const char *remote_mta;     /* NULL: the notice names none */
	const char *hint;           /* reason_hint, NULL when the engine sets none */
	const char *command;        /* SMTP command, NULL when the notice names none */
} svc_case_t;

static const svc_case_t cases[] = {
	{ "gmail-21-userunknown.eml", "Gmail",
	  "p.lindgren@example.net", "failed", "5.1.1", "550",
	  "550 5.1.1 <p.lindgren@example.net>: Recipient address rejected: No such user",
	  "mx2.example.net", NULL, NULL },
	{ "gmail-22-expired-delayed.eml", "Gmail",
	  "bookings@lakeside-cabins.test", "delayed", NULL, NULL,
	  "The recipient server did not accept our requests to connect. Learn more at "
	  "https://support.google.com/mail/answer/7720 [lakeside-cabins.test 192.0.2.44: timed out]",
	  "lakeside-cabins.test", "expired", NULL },
	{ "googlegroups-21-rejected.eml", "GoogleGroups",
	  "allotment-news@googlegroups.com", "failed", NULL, NULL,
	  "Hello arno.keller@example.org, We're writing to let you know that the group you tried to "
	  "contact (allotment-news) may not exist, or you may not have permission to post messages to "
	  "the group. A few more details on why you weren't able to post: * You might have spelled or "
	  "formatted the group name incorrectly. * The owner of the group may have removed this group. "
	  "* You may need to join the group before receiving permission to post. * This group may not "
	  "be open to posting. If you have questions related to this or any other Google Group, visit "
	  "the Help Center at https://groups.google.com/support/. Thanks, Google Groups",
	  NULL, "rejected", NULL },
	{ "gsuite-21-userunknown.eml", "GSuite",
	  "r.osei@example.org", "failed", "5.1.1", "550",
	  "550 5.1.1 <r.osei@example.org>: Recipient address rejected: User unknown in virtual mailbox table",
	  "mail.example.org", NULL, NULL },
	{ "yahoo-21-userunknown.eml", "Yahoo",
	  "tomas.richter@example.net", "failed", "5.1.1", "550",
	  "Remote host said: 550 5.1.1 <tomas.richter@example.net>: Recipient address rejected: "
	  "User unknown [RCPT_TO]",
	  NULL, NULL, "RCPT" },
	/* The remote server's answer quoted inside SES's own summary wins. */
	{ "amazonses-21-expired.eml", "AmazonSES",
	  "orders@harbour-bakery.test", "failed", "4.4.2", "421",
	  "554 4.4.7 Message expired: unable to deliver in 840 minutes.<421 4.4.2 Connection timed out>",
	  NULL, NULL, NULL },
	{ "amazonses-22-userunknown-sns.eml", "AmazonSES",
	  "leo.marchetti@example.org", "failed", "5.1.1", "550",
	  "550 5.1.1 <leo.marchetti@example.org>: Recipient address rejected: User unknown",
	  NULL, NULL, NULL },
	/* A complaint event: no failure fields at all, a feedback type. */
	{ "amazonses-23-feedback-complaint-sns.eml", "AmazonSES",
	  "noor.haddad@example.net", NULL, NULL, NULL,
	  NULL,
	  NULL, "feedback", NULL },
	{ "amazonworkmail-21-userunknown.eml", "AmazonWorkMail",
	  "greta.lind@example.net", "failed", "5.1.1", "550",
	  "550 5.1.1 <greta.lind@example.net>: Recipient address rejected: User unknown in local recipient table",
	  NULL, NULL, NULL },
	{ "receivingses-21-mailboxfull.eml", "ReceivingSES",
	  "archive-box@inbound.example.org", "failed", "5.2.2", "552",
	  "552 5.2.2 Mailbox full",
	  NULL, NULL, NULL },
	/* Exchange Online's NDR in Exchange 2007's layout: the service engine
	 * comes first in the table. */
	{ "office365-21-userunknown.eml", "Office365",
	  "marta.fiore@contoso-example.onmicrosoft.com", "failed", "5.1.1", "550",
	  "550 5.1.1 RESOLVER.ADR.RecipNotFound; not found",
	  NULL, NULL, NULL },
	{ "outlook-21-userunknown.eml", "Outlook",
	  "sam.okafor@hotmail.example.com", "failed", "5.5.0", "550",
	  "550 Requested action not taken: mailbox unavailable",
	  NULL, "userunknown", NULL },
	{ "aol-21-hostunknown.eml", "Aol",
	  "events@willow-hall.test", "failed", "5.4.4", NULL,
	  "Host or domain name not found. Name service error for name=willow-hall.test type=A: Host not found",
	  NULL, NULL, NULL },
	/* Diagnostic-Code and Status come before Final-Recipient. */
	{ "facebook-21-userunknown.eml", "Facebook",
	  "old.page.admin@facebook.com", "failed", "5.1.1", "550",
	  "550 5.1.1 RCP-P1 http://postmaster.facebook.com/response_codes?ip=192.0.2.80#rcp "
	  "Recipient address does not exist",
	  NULL, "userunknown", NULL },
	{ "messagelabs-21-userunknown.eml", "MessageLabs",
	  "hr-desk@example.net", "failed", "5.0.0", "550",
	  "550 hr-desk@example.net... No such user",
	  "mail.example.net", NULL, NULL },
	{ "mimecast-21-norelaying.eml", "Mimecast",
	  "billing@old-supplier.example.net", "failed", "5.7.54", NULL,
	  "5.7.54 SMTP; Unable to relay recipient in non-accepted domain",
	  NULL, NULL, NULL },
	{ "barracuda-21-spamdetected.eml", "Barracuda",
	  "l.martin@example.org", "failed", "5.7.1", NULL,
	  "550 5.7.1 Message content rejected, UBE, id=12345-01-21",
	  NULL, "spamdetected", NULL },
	/* Bigfoot writes sendmail's layout. */
	{ "bigfoot-21-userunknown.eml", "Bigfoot",
	  "alumni-1999@example.org", "failed", "5.1.1", "553",
	  "553 Invalid recipient alumni-1999@example.org",
	  "mx.example.org", NULL, "RCPT" },
	{ "sendgrid-21-userunknown.eml", "SendGrid",
	  "f.nakamura@example.org", "failed", "5.1.1", "550",
	  "550 5.1.1 <f.nakamura@example.org>: Recipient address rejected: User unknown",
	  NULL, NULL, "RCPT" },
	{ "mxlogic-21-userunknown.eml", "MXLogic",
	  "quotes@example.org", "failed", "5.1.1", "550",
	  "550 5.1.1 <quotes@example.org>: Recipient address rejected: User unknown in local recipient table",
	  NULL, NULL, NULL },
	{ "verizon-21-userunknown.eml", "Verizon",
	  "5550100199@vzwpix.com", "failed", NULL, NULL,
	  "No valid recipients for this MM",
	  NULL, "userunknown", NULL },
	{ "gmx-21-expired.eml", "GMX",
	  "kontakt@ferienhof-berg.test", "failed", NULL, NULL,
	  "delivery retry timeout exceeded",
	  NULL, "expired", NULL },
	{ "einsundeins-21-mailboxfull.eml", "EinsUndEins",
	  "m.weber@example.net", "failed", "5.2.2", "552",
	  "SMTP error from remote server for RCPT TO command, host: mx01.example.net (203.0.113.80) "
	  "reason: 552 5.2.2 Mailbox full",
	  "mx01.example.net", NULL, "RCPT" },
	{ "mailru-21-hostunknown.eml", "MailRu",
	  "sales@nowhere-shop.test", "failed", NULL, NULL,
	  "Unrouteable address",
	  NULL, "hostunknown", NULL },
	/* Yandex relays through Postfix. */
	{ "yandex-21-userunknown.eml", "Yandex",
	  "a.kuznetsova@example.org", "failed", "5.1.1", "550",
	  "550 5.1.1 <a.kuznetsova@example.org>: Recipient address rejected: User unknown",
	  "mx.example.org", NULL, NULL },
	{ "zoho-21-expired-delayed.eml", "Zoho",
	  "desk@slow-host.example.net", "delayed", NULL, "421",
	  "[Status: Error, Address: <desk@slow-host.example.net>, ResponseCode 421, , Host not reachable.]",
	  NULL, "expired", NULL },
	{ "kddi-21-mailboxfull.eml", "KDDI",
	  "m.kobayashi@example21.dion.ne.jp", "failed", NULL, NULL,
	  "As their mailbox is full.",
	  NULL, "mailboxfull", NULL },
	/* The notice's own sentence names the reason, whatever the reply. */
	{ "ezweb-21-suspend.eml", "EZweb",
	  "sakura-21-old@ezweb.ne.jp", "failed", NULL, "550",
	  "550 user unknown",
	  NULL, "suspend", NULL },
};

/* Several recipients in one notice: each gets its own record, in order,
 * with its own diagnostic where the notice gives one per recipient. */
typedef struct {
	const char *fixture;
	const char *engine;
	const char *recipient[2], *status[2], *remote_mta[2];
} svc_multi_t;

static const svc_multi_t multi[] = {
	{ "gmail-23-userunknown-multirecipient.eml", "Gmail",
	  { "d.oyelaran@example.org", "m.quist@example.org" }, { "5.1.1", "5.1.1" },
	  { "mx.example.org", "mx.example.org" } },
	{ "yahoo-22-multirecipient.eml", "Yahoo",
	  { "wanda.ito@example.net", "pieter.dekker@example.org" }, { "5.2.2", "5.1.1" },
	  { NULL, NULL } },
	{ "office365-22-multirecipient.eml", "Office365",
	  { "j.berg@example.net", "h.aalto@example.org" }, { "5.1.1", "5.2.2" },
	  { "mx1.example.net", "mail.example.org" } },
};

/* Mail that no service engine may claim. */
static const char *const foreign[] = {
	"postfix-01-userunknown.eml",
	"nonbounce-01-human.eml",
	"nonbounce-02-newsletter.eml",
};

static char *
fixture_path (const char *name)
{
	const char *src = getenv ("BT_SRCDIR");

	return g_build_filename (src ? src : BT_SRCDIR, "tests", "corpus", name, NULL);
}

static GMimeMessage *
load_message (const char *name)
{
	char *path = fixture_path (name), *data = NULL;
	gsize len = 0;
	GMimeStream *stream;
	GMimeParser *parser;
	GMimeMessage *msg;

	assert_true (g_file_get_contents (path, &data, &len, NULL));
	stream = g_mime_stream_mem_new_with_buffer (data, len);
	parser = g_mime_parser_new_with_stream (stream);
	msg = g_mime_parser_construct_message (parser, NULL);
	assert_non_null (msg);
	g_object_unref (parser);
	g_object_unref (stream);
	g_free (data);
	g_free (path);
	return msg;
}

static const bt_engine_t *
engine_named (const char *name)
{
	for (const bt_engine_t *e = bt_engines; e->name; e++)
		if (strcmp (e->name, name) == 0)
			return e;
	fail_msg ("no engine named %s in the table", name);
	return NULL;
}

/* Run engine name on fixture; the report is returned (free it). */
static bt_report_t *
run_engine (const char *name, const char *fixture, bool *accepted)
{
	GMimeMessage *msg = load_message (fixture);
	bt_mail_t *mail = bt_mail_new (GMIME_OBJECT (msg));
	bt_report_t *report = bt_report_new (fixture);

	*accepted = engine_named (name)->parse (mail, report);
	bt_mail_free (mail);
	g_object_unref (msg);
	return report;
}

static void
assert_field (const bt_record_t *rec, bt_field_t field, const char *want, const char *fixture)
{
	const char *got = rec->f[field];

	if (want == NULL && got == NULL)
		return;
	if (want == NULL || got == NULL || strcmp (want, got) != 0)
		fail_msg ("%s: %s is \"%s\", expected \"%s\"", fixture, bt_record_fields[field].name,
			  got ? got : "(none)", want ? want : "(none)");
}

static void
test_engine (void **state)
{
	const svc_case_t *c = *state;
	bool accepted = false;
	bt_report_t *report = run_engine (c->engine, c->fixture, &accepted);
	const bt_record_t *rec;
	GError *error = NULL;
	char *path;

	assert_true (accepted);
	assert_int_equal (report->records->len, 1);
	rec = report->records->pdata[0];
	assert_field (rec, BT_F_RECIPIENT, c->recipient, c->fixture);
	assert_field (rec, BT_F_ACTION, c->action, c->fixture);
	assert_field (rec, BT_F_STATUS, c->status, c->fixture);
	assert_field (rec, BT_F_REPLYCODE, c->replycode, c->fixture);
	assert_field (rec, BT_F_DIAGNOSTIC, c->diagnostic, c->fixture);
	assert_field (rec, BT_F_REMOTE_MTA, c->remote_mta, c->fixture);
	assert_field (rec, BT_F_COMMAND, c->command, c->fixture);
	if (c->hint != NULL && strcmp (c->hint, "feedback") == 0)
		assert_string_equal (rec->f[BT_F_FEEDBACK_TYPE], "abuse");
	if (c->hint == NULL)
		assert_null (rec->reason_hint);
	else
		assert_string_equal (rec->reason_hint, c->hint);
	bt_report_free (report);

	/* The whole parse: services come before the MTA software they run
	 * on, so the engine is named in the report. */
	path = fixture_path (c->fixture);
	report = bt_parse_file (path, &error);
	assert_non_null (report);
	assert_non_null (report->engine);
	assert_string_equal (report->engine, c->engine);
	assert_int_equal (report->records->len, 1);
	assert_string_equal (((bt_record_t *) report->records->pdata[0])->f[BT_F_RECIPIENT], c->recipient);
	bt_report_free (report);
	g_free (path);
}

/* Every service engine refuses mail of other styles and leaves nothing. */
static void
test_refuses_foreign (void **state)
{
	const svc_case_t *c = *state;

	for (size_t i = 0; i < G_N_ELEMENTS (foreign); i++) {
		bool accepted = true;
		bt_report_t *report = run_engine (c->engine, foreign[i], &accepted);
		if (accepted || report->records->len != 0)
			fail_msg ("%s claimed %s", c->engine, foreign[i]);
		bt_report_free (report);
	}
	for (size_t i = 0; i < G_N_ELEMENTS (cases); i++) {
		bool accepted = true;
		bt_report_t *report;
		if (strcmp (cases[i].engine, c->engine) == 0)
			continue;
		report = run_engine (c->engine, cases[i].fixture, &accepted);
		if (accepted)
			fail_msg ("%s claimed %s, %s's fixture", c->engine, cases[i].fixture, cases[i].engine);
		bt_report_free (report);
	}
	for (size_t i = 0; i < G_N_ELEMENTS (multi); i++) {
		bool accepted = true;
		bt_report_t *report;
		if (strcmp (multi[i].engine, c->engine) == 0)
			continue;
		report = run_engine (c->engine, multi[i].fixture, &accepted);
		if (accepted)
			fail_msg ("%s claimed %s, %s's fixture", c->engine, multi[i].fixture, multi[i].engine);
		bt_report_free (report);
	}
}

static void
test_multi (void **state)
{
	const svc_multi_t *c = *state;
	bool accepted = false;
	bt_report_t *report = run_engine (c->engine, c->fixture, &accepted);

	assert_true (accepted);
	assert_int_equal (report->records->len, 2);
	for (guint i = 0; i < 2; i++) {
		const bt_record_t *rec = report->records->pdata[i];
		assert_field (rec, BT_F_RECIPIENT, c->recipient[i], c->fixture);
		assert_field (rec, BT_F_STATUS, c->status[i], c->fixture);
		assert_field (rec, BT_F_REMOTE_MTA, c->remote_mta[i], c->fixture);
		assert_non_null (rec->f[BT_F_DIAGNOSTIC]);
	}
	bt_report_free (report);
}

/* Hostile input: an empty body and a truncated SNS notification. */
static void
test_degenerate (void **state)
{
	static const char *const inputs[] = {
		"From: mailer-daemon@googlemail.com\nSubject: Delivery Status Notification (Failure)\n\n",
		"From: AWS <no-reply@sns.amazonaws.com>\nSubject: AWS Notification Message\n\n"
		"{\"notificationType\":\"Bounce\",\"bounce\":{\"bouncedRecipients\":[{\"emailAddress\":",
		"From: AWS <no-reply@sns.amazonaws.com>\nSubject: AWS Notification Message\n\n"
		"{\"notificationType\":\"Bounce\",\"bounce\":{\"bouncedRecipients\":[17,{\"emailAddress\":null}]}}\n",
		"From: MAILER-DAEMON@yahoo.com\nSubject: Failure Notice\n\n"
		"Sorry, we were unable to deliver your message to the following address.\n<:\n",
		"From: no-reply@x.dion.ne.jp\nSubject: Mail\n\nYour mail sent on:\nCould not be delivered to:",
	};

	(void) state;
	for (size_t i = 0; i < G_N_ELEMENTS (inputs); i++) {
		GError *error = NULL;
		bt_report_t *report = bt_parse_bytes (inputs[i], strlen (inputs[i]), "degenerate", &error);
		assert_non_null (report);
		assert_int_equal (report->records->len, 0);
		bt_report_free (report);
	}
}

int
main (void)
{
	struct CMUnitTest tests[2 * G_N_ELEMENTS (cases) + G_N_ELEMENTS (multi) + 1];
	size_t n = 0;

	bt_parse_init ();
	for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
		tests[n++] = (struct CMUnitTest) { cases[i].fixture, test_engine, NULL, NULL, (void *) &cases[i] };
	/* One refusal test per engine (Gmail and SES have two fixtures). */
	for (size_t i = 0; i < G_N_ELEMENTS (cases); i++) {
		bool seen = false;
		for (size_t j = 0; j < i; j++)
			seen = seen || strcmp (cases[j].engine, cases[i].engine) == 0;
		if (!seen)
			tests[n++] = (struct CMUnitTest) { cases[i].engine, test_refuses_foreign, NULL, NULL, (void *) &cases[i] };
	}
	for (size_t i = 0; i < G_N_ELEMENTS (multi); i++)
		tests[n++] = (struct CMUnitTest) { multi[i].fixture, test_multi, NULL, NULL, (void *) &multi[i] };
	tests[n++] = (struct CMUnitTest) { "degenerate", test_degenerate, NULL, NULL, NULL };
	return _cmocka_run_group_tests ("engines-services", tests, n, NULL, NULL);
}
