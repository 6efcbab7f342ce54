/* test-parse.c: the parser core: GMime reading, line ends, the RFC 3464
 * reader field by field, original headers, nesting, sources (file, mbox,
 * maildir) and hostile input. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <cmocka.h>
#include "bouncetriage/parse.h"
#include "mail.h"
#include "text.h"

/* A standard report with two recipients; @E@ is replaced by the line end. */
static const char dsn_msg[] =
	"From: Mail Delivery System <MAILER-DAEMON@mx.example.org>@E@"
	"To: ines@example.org@E@"
	"Subject: Undelivered Mail Returned to Sender@E@"
	"Message-ID: <bounce-1@mx.example.org>@E@"
	"MIME-Version: 1.0@E@"
	"Content-Type: multipart/report; report-type=delivery-status;@E@"
	"\tboundary=\"BND\"@E@@E@"
	"--BND@E@Content-Type: text/plain@E@@E@This is the mail system at host mx.example.org.@E@@E@"
	"--BND@E@Content-Type: message/delivery-status@E@@E@"
	"Reporting-MTA: dns; mx.example.org@E@"
	"X-Postfix-Queue-ID: 4ABCDEF@E@"
	"Arrival-Date: Mon, 3 Feb 2025 10:00:00 +0000@E@@E@"
	"Final-Recipient: rfc822; one@example.net@E@"
	"Original-Recipient: rfc822;first+2Btag@example.net@E@"
	"Action: failed@E@"
	"Status: 5.1.1@E@"
	"Remote-MTA: dns; mx.example.net@E@"
	"Diagnostic-Code: smtp; 550 5.1.1 <one@example.net>: Recipient address@E@"
	"    rejected: User unknown (in reply to RCPT TO command)@E@"
	"Last-Attempt-Date: Mon, 3 Feb 2025 10:00:01 +0000@E@@E@"
	"Final-Recipient: rfc822; two@example.net@E@"
	"Action: delayed@E@"
	"Status: 4.4.1@E@"
	"Diagnostic-Code: X-Postfix; connect to mx.example.net: Connection timed out@E@@E@"
	"--BND@E@Content-Type: text/rfc822-headers@E@@E@"
	"From: Ines <ines@example.org>@E@To: one@example.net, two@example.net@E@"
	"Subject: =?UTF-8?Q?R=C3=A9union?=@E@Message-ID: <orig-1@example.org>@E@"
	"Date: Mon, 3 Feb 2025 09:59:00 +0000@E@@E@--BND--@E@";

static char *
with_line_end (const char *eol)
{
	GString *s = g_string_new (NULL);

	for (const char *p = dsn_msg; *p; p++) {
		if (strncmp (p, "@E@", 3) == 0) {
			g_string_append (s, eol);
			p += 2;
		} else {
			g_string_append_c (s, *p);
		}
	}
	return g_string_free (s, FALSE);
}

static bt_report_t *
parse_str (const char *text)
{
	GError *error = NULL;
	bt_report_t *r = bt_parse_bytes (text, strlen (text), "test", &error);

	assert_null (error);
	assert_non_null (r);
	return r;
}

static void
check_dsn (bt_report_t *r)
{
	bt_record_t *a, *b;

	assert_string_equal (r->engine, "Postfix");
	assert_int_equal (r->records->len, 2);
	a = r->records->pdata[0];
	b = r->records->pdata[1];
	assert_string_equal (a->f[BT_F_RECIPIENT], "one@example.net");
	assert_string_equal (a->f[BT_F_ORIGINAL_RECIPIENT], "first+tag@example.net");
	assert_string_equal (a->f[BT_F_ACTION], "failed");
	assert_string_equal (a->f[BT_F_STATUS], "5.1.1");
	assert_false (a->status_derived);
	assert_string_equal (a->f[BT_F_REPLYCODE], "550");
	assert_string_equal (a->f[BT_F_COMMAND], "RCPT");
	assert_string_equal (a->f[BT_F_DIAGNOSTIC_TYPE], "smtp");
	/* Unfolded into one line. */
	assert_string_equal (a->f[BT_F_DIAGNOSTIC],
			     "550 5.1.1 <one@example.net>: Recipient address rejected: User unknown (in reply to RCPT TO command)");
	assert_string_equal (a->f[BT_F_REMOTE_MTA], "mx.example.net");
	assert_string_equal (a->f[BT_F_REPORTING_MTA], "mx.example.org");
	assert_string_equal (a->f[BT_F_LAST_ATTEMPT], "Mon, 3 Feb 2025 10:00:01 +0000");
	assert_non_null (strstr (a->f[BT_F_EXTENSIONS], "X-Postfix-Queue-ID: 4ABCDEF"));
	assert_string_equal (b->f[BT_F_RECIPIENT], "two@example.net");
	assert_string_equal (b->f[BT_F_ACTION], "delayed");
	assert_string_equal (b->f[BT_F_STATUS], "4.4.1");
	assert_null (b->f[BT_F_REPLYCODE]);
	assert_string_equal (b->f[BT_F_REPORTING_MTA], "mx.example.org");
	assert_string_equal (r->orig_message_id, "orig-1@example.org");
	assert_string_equal (r->orig_subject, "Réunion");
	assert_non_null (strstr (r->orig_from, "ines@example.org"));
	assert_non_null (strstr (r->orig_to, "two@example.net"));
	assert_string_equal (r->orig_date, "Mon, 3 Feb 2025 09:59:00 +0000");
	assert_string_equal (r->message_id, "bounce-1@mx.example.org");
}

static void
test_dsn_line_ends (void **state)
{
	static const char *const eols[] = { "\n", "\r\n", "\r" };

	(void) state;
	for (size_t i = 0; i < G_N_ELEMENTS (eols); i++) {
		char *text = with_line_end (eols[i]);
		bt_report_t *r = parse_str (text);
		check_dsn (r);
		bt_report_free (r);
		g_free (text);
	}
}

/* A file is read as its top part, without a GMimeMessage (lib/mail.c):
 * From, Subject and Message-ID must still be what a GMimeMessage reads
 * (every From header's mailboxes, the last Subject and Message-ID), and a
 * leading "From " line, which GMime reads only as a message, still parses. */
static void
test_top_headers (void **state)
{
	char *dsn = with_line_end ("\n");
	char *text = g_strconcat ("From: Relay <relay@example.com>\nSubject: =?UTF-8?Q?caf=C3=A9?=\n"
				  "Message-ID: <first@example.com>\n", dsn, NULL);
	char *boxed = g_strconcat ("From MAILER-DAEMON Mon Feb  3 10:00:00 2025\n", text, NULL);
	GMimeStream *stream = g_mime_stream_mem_new_with_buffer (text, strlen (text));
	GMimeParser *parser = g_mime_parser_new_with_stream (stream);
	GMimeMessage *msg = g_mime_parser_construct_message (parser, NULL);
	bt_report_t *as_part, *as_message, *after_line;
	GError *error = NULL;

	(void) state;
	as_part = parse_str (text);
	as_message = bt_parse_message (msg, "test", &error);
	assert_null (error);
	after_line = parse_str (boxed);
	check_dsn (as_part);
	check_dsn (after_line);
	assert_string_equal (as_part->from, "Relay <relay@example.com>, Mail Delivery System <MAILER-DAEMON@mx.example.org>");
	assert_string_equal (as_part->subject, "Undelivered Mail Returned to Sender");
	assert_string_equal (as_part->message_id, "bounce-1@mx.example.org");
	for (bt_report_t *const *r = (bt_report_t *const[]) { as_message, after_line }, *const *end = r + 2; r < end; r++) {
		assert_string_equal ((*r)->from, as_part->from);
		assert_string_equal ((*r)->subject, as_part->subject);
		assert_string_equal ((*r)->message_id, as_part->message_id);
		assert_string_equal ((*r)->engine, as_part->engine);
	}
	bt_report_free (as_part);
	bt_report_free (as_message);
	bt_report_free (after_line);
	g_object_unref (msg);
	g_object_unref (parser);
	g_object_unref (stream);
	g_free (boxed);
	g_free (text);
	g_free (dsn);
}

static void
test_global_dsn_utf8 (void **state)
{
	(void) state;
	bt_report_t *r = parse_str (
		"From: MAILER-DAEMON@mx.example.org\nSubject: Undelivered\nMIME-Version: 1.0\n"
		"Content-Type: multipart/report; report-type=global-delivery-status; boundary=\"B\"\n\n"
		"--B\nContent-Type: text/plain; charset=utf-8\n\nfailed\n"
		"--B\nContent-Type: message/global-delivery-status\n\n"
		"Reporting-MTA: dns; mx.example.org\n\n"
		"Final-Recipient: utf-8; jos\\x{E9}@example.org\nAction: failed\nStatus: 5.1.1\n\n--B--\n");

	assert_int_equal (r->records->len, 1);
	assert_string_equal (((bt_record_t *) r->records->pdata[0])->f[BT_F_RECIPIENT], "josé@example.org");
	bt_report_free (r);
}

static void
test_encoded_and_missing_fields (void **state)
{
	(void) state;
	bt_report_t *r = parse_str (
		"From: MAILER-DAEMON@mx.example.org\nSubject: failure\nMIME-Version: 1.0\n"
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n"
		"--B\nContent-Type: message/delivery-status\n\n"
		"Final-Recipient: rfc822; a@example.net\nAction: failed\n"
		"Remote-MTA: dns; mx.example.net (TCP|192.0.2.1|25)\n (mx.example.net -- ESMTP)\n"
		"Diagnostic-Code: smtp; =?UTF-8?B?NTUwIEJvw650ZSBwbGVpbmU=?=\n\n"
		"Final-Recipient: rfc822;\nAction: failed\n\n"
		"Original-Recipient: rfc822; b@example.net\nStatus: 4.2.2\n\n--B--\n");

	/* The recipient without an address is dropped; the one with only an
	 * Original-Recipient keeps it as its recipient. */
	assert_int_equal (r->records->len, 2);
	bt_record_t *a = bt_report_find (r, "a@example.net");
	assert_non_null (a);
	assert_string_equal (a->f[BT_F_DIAGNOSTIC], "550 Boîte pleine");
	assert_string_equal (a->f[BT_F_REMOTE_MTA], "mx.example.net");
	assert_string_equal (a->f[BT_F_REPLYCODE], "550");
	assert_string_equal (a->f[BT_F_STATUS], "5.0.0");
	assert_true (a->status_derived);
	assert_non_null (bt_report_find (r, "b@example.net"));
	bt_report_free (r);
}

static void
test_many_recipients (void **state)
{
	GString *s = g_string_new ("From: MAILER-DAEMON@mx.example.org\nSubject: failure\nMIME-Version: 1.0\n"
				   "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n"
				   "--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n\n");
	(void) state;
	for (int i = 0; i < 300; i++)
		g_string_append_printf (s, "Final-Recipient: rfc822; user%d@example.net\nAction: failed\nStatus: 5.%d.1\n\n", i, i % 3 + 1);
	g_string_append (s, "--B--\n");
	bt_report_t *r = parse_str (s->str);
	assert_int_equal (r->records->len, 300);
	assert_string_equal (((bt_record_t *) r->records->pdata[299])->f[BT_F_RECIPIENT], "user299@example.net");
	assert_string_equal (((bt_record_t *) r->records->pdata[299])->f[BT_F_STATUS], "5.3.1");
	bt_report_free (r);
	g_string_free (s, TRUE);
}

static void
test_forwarded_bounce (void **state)
{
	(void) state;
	/* A person forwards the bounce as an attachment: the inner one is read. */
	bt_report_t *r = parse_str (
		"From: Ines <ines@example.org>\nTo: help@example.org\nSubject: Fwd: can you look at this\n"
		"MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"O\"\n\n"
		"--O\nContent-Type: text/plain\n\nWhat does this mean?\n"
		"--O\nContent-Type: message/rfc822\n\n"
		"From: MAILER-DAEMON@mx.example.org\nSubject: failure notice\n\n"
		"Hi. This is the qmail-send program at mx.example.org.\n"
		"I'm afraid I wasn't able to deliver your message to the following addresses.\n\n"
		"<gone@example.net>:\nSorry, no mailbox here by that name. (#5.1.1)\n\n"
		"--O--\n");

	assert_string_equal (r->engine, "qmail");
	assert_int_equal (r->records->len, 1);
	assert_string_equal (((bt_record_t *) r->records->pdata[0])->f[BT_F_STATUS], "5.1.1");
	bt_report_free (r);
}

/* A one-recipient report up to its attached original, which each case of
 * test_attached_original supplies. */
#define REPORT_BEFORE_ORIGINAL \
	"From: MAILER-DAEMON@mx.example.org\nSubject: failure\nMIME-Version: 1.0\n" \
	"Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n" \
	"--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n\n" \
	"Final-Recipient: rfc822; gone@example.net\nAction: failed\nStatus: 5.1.1\n\n"

/* An attached original is kept as a leaf part (bt_parse_init): its
 * headers are its header block only, and a forwarded bounce inside it is
 * read even when the attachment is base64. */
static void
test_attached_original (void **state)
{
	static const char qmail[] =
		"From: MAILER-DAEMON@mx.example.org\r\nSubject: failure notice\r\n\r\n"
		"Hi. This is the qmail-send program at mx.example.org.\r\n"
		"I'm afraid I wasn't able to deliver your message to the following addresses.\r\n\r\n"
		"<gone@example.net>:\r\nSorry, no mailbox here by that name. (#5.1.1)\r\n";
	char *b64 = g_base64_encode ((const guchar *) qmail, sizeof qmail - 1);
	char *fwd;
	bt_report_t *r;

	(void) state;
	r = parse_str (REPORT_BEFORE_ORIGINAL
		       "--B\nContent-Type: message/rfc822\n\nFrom: ines@example.org\nSubject: Minutes\n\n"
		       "Quoted in the body, not a header:\nMessage-ID: <body-1@example.org>\n--B--\n");
	assert_int_equal (r->records->len, 1);
	assert_string_equal (r->orig_subject, "Minutes");
	assert_true (r->orig_message_id == NULL || *r->orig_message_id == '\0');
	bt_report_free (r);

	/* An attached original with no content at all (the boundary right
	 * after its headers: GMime gives it no data pointer): the report is
	 * still read, with no original headers. */
	r = parse_str (REPORT_BEFORE_ORIGINAL
		       "--B\nContent-Type: message/rfc822\n--B--\n");
	assert_int_equal (r->records->len, 1);
	assert_string_equal (((bt_record_t *) r->records->pdata[0])->f[BT_F_RECIPIENT], "gone@example.net");
	assert_true (r->orig_subject == NULL || *r->orig_subject == '\0');
	bt_report_free (r);

	fwd = g_strconcat ("From: Ines <ines@example.org>\nSubject: Fwd: what is this\nMIME-Version: 1.0\n"
			   "Content-Type: multipart/mixed; boundary=\"O\"\n\n"
			   "--O\nContent-Type: text/plain\n\nSee attached.\n"
			   "--O\nContent-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n",
			   b64, "\n--O--\n", NULL);
	r = parse_str (fwd);
	assert_string_equal (r->engine, "qmail");
	assert_int_equal (r->records->len, 1);
	assert_string_equal (((bt_record_t *) r->records->pdata[0])->f[BT_F_RECIPIENT], "gone@example.net");
	bt_report_free (r);
	g_free (fwd);
	g_free (b64);
}

static void
test_vacation_arf_not_bounce (void **state)
{
	(void) state;
	bt_report_t *r = parse_str ("From: Henrik <henrik@example.org>\nTo: ines@example.org\n"
				    "Subject: Out of office: Minutes\nAuto-Submitted: auto-replied\n\nI am away.\n");
	assert_int_equal (r->records->len, 1);
	assert_string_equal (((bt_record_t *) r->records->pdata[0])->reason_hint, "vacation");
	assert_null (((bt_record_t *) r->records->pdata[0])->f[BT_F_STATUS]);
	bt_report_free (r);

	r = parse_str ("From: Ana <ana@example.org>\nTo: ines@example.org\nSubject: lunch?\n\n"
		       "Write to bob@example.net about it.\n");
	assert_int_equal (r->records->len, 0);
	bt_report_free (r);
}

static void
test_hostile (void **state)
{
	GError *error = NULL;
	bt_report_t *r;
	GRand *rand = g_rand_new_with_seed (42);
	char buf[4096];

	(void) state;
	r = bt_parse_bytes ("", 0, "empty", &error);
	assert_null (r);
	assert_non_null (error);
	g_clear_error (&error);
	/* Random bytes, NUL bytes, truncated reports: any result, no crash. */
	for (int round = 0; round < 200; round++) {
		size_t n = (size_t) g_rand_int_range (rand, 1, sizeof buf);
		for (size_t i = 0; i < n; i++)
			buf[i] = (char) g_rand_int_range (rand, 0, 256);
		if (round % 2 == 0)
			memcpy (buf, "From: MAILER-DAEMON\nSubject: failure\n\n", MIN (n, 38));
		r = bt_parse_bytes (buf, n, "random", &error);
		g_clear_error (&error);
		bt_report_free (r);
	}
	for (size_t cut = 0; cut < sizeof dsn_msg; cut += 37) {
		char *text = with_line_end ("\n");
		text[MIN (cut, strlen (text))] = '\0';
		r = bt_parse_bytes (text, strlen (text), "truncated", &error);
		g_clear_error (&error);
		bt_report_free (r);
		g_free (text);
	}
	{
		static const char nul[] = "From: MAILER-DAEMON@x.example\nSubject: failure notice\n\n"
			"Hi. This is the qmail-send program.\n\n<a\0b@example.net>:\nbad\0 thing (#5.1.1)\n";
		r = bt_parse_bytes (nul, sizeof nul - 1, "nul", &error);
		assert_non_null (r);
		for (guint i = 0; i < r->records->len; i++)
			for (int f = 0; f < BT_F_COUNT; f++) {
				const char *v = ((bt_record_t *) r->records->pdata[i])->f[f];
				for (const char *p = v; p && *p; p++)
					assert_true ((unsigned char) *p >= 0x20);
			}
		bt_report_free (r);
	}
	g_rand_free (rand);
}

static void
test_mangled_reports (void **state)
{
	bt_report_t *r;
	bt_record_t *rec;

	(void) state;
	/* A boundary that never occurs: the parts are read from the prologue,
	 * and the delivery-status fields from the text; the Status comment is
	 * the only explanation. */
	r = parse_str ("From: MAILER-DAEMON@mx.example.org\nSubject: Delivery Notification: Delivery has been delayed\n"
		       "MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"DECLARED\"\n\n"
		       "--USED\nContent-Type: text/plain\n\nStill trying.\n\n--USED\nContent-Type: message/delivery-status\n\n"
		       "Reporting-MTA: dns; mx.example.org\n\nFinal-Recipient: rfc822; late@example.net\nAction: delayed\n"
		       "Status: 4.4.7 (unable to deliver this message after 1 day)\n\n--USED--\n");
	assert_int_equal (r->records->len, 1);
	rec = r->records->pdata[0];
	assert_string_equal (rec->f[BT_F_RECIPIENT], "late@example.net");
	assert_string_equal (rec->f[BT_F_STATUS], "4.4.7");
	assert_string_equal (rec->f[BT_F_DIAGNOSTIC], "unable to deliver this message after 1 day");
	bt_report_free (r);

	/* A bounce forwarded inline with "> " quoting. */
	r = parse_str ("From: Ines <ines@example.org>\nSubject: Fwd: Returned mail: see transcript for details\n\n"
		       "Look at this:\n\n> Reporting-MTA: dns; mx.example.org\n>\n> Final-Recipient: RFC822; q@example.net\n"
		       "> Action: failed\n> Status: 5.2.2\n> Diagnostic-Code: SMTP; 552 5.2.2 Mailbox full\n");
	assert_int_equal (r->records->len, 1);
	rec = r->records->pdata[0];
	assert_string_equal (rec->f[BT_F_RECIPIENT], "q@example.net");
	assert_string_equal (rec->f[BT_F_STATUS], "5.2.2");
	assert_string_equal (rec->f[BT_F_REPLYCODE], "552");
	bt_report_free (r);
}

static void
test_charset_and_original (void **state)
{
	bt_report_t *r;
	bt_record_t *rec;

	(void) state;
	/* Latin-1 text converted to UTF-8; the original's headers come from
	 * a text/rfc822-headers part. */
	r = parse_str ("From: MAILER-DAEMON@mx.example.org\nSubject: failure notice\nMIME-Version: 1.0\n"
		       "Content-Type: multipart/mixed; boundary=\"B\"\n\n"
		       "--B\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n"
		       "Hi. This is the qmail-send program at mx.example.org.\n\n"
		       "<andre@example.net>:\nBo=EEte pleine. (#5.2.2)\n\n"
		       "--B\nContent-Type: text/rfc822-headers\n\nMessage-ID: <x-1@example.org>\nSubject: Caf=C3=A9\n"
		       "From: ines@example.org\nTo: andre@example.net\nDate: Mon, 3 Feb 2025 09:00:00 +0000\n\n--B--\n");
	assert_int_equal (r->records->len, 1);
	rec = r->records->pdata[0];
	assert_string_equal (rec->f[BT_F_DIAGNOSTIC], "Boîte pleine. (#5.2.2)");
	assert_string_equal (rec->f[BT_F_STATUS], "5.2.2");
	assert_string_equal (r->orig_message_id, "x-1@example.org");
	assert_string_equal (r->orig_to, "andre@example.net");
	bt_report_free (r);
}

static void
test_feedback (void **state)
{
	bt_report_t *r;
	bt_record_t *rec;

	(void) state;
	r = parse_str ("From: abuse@isp.example.net\nSubject: complaint\nMIME-Version: 1.0\n"
		       "Content-Type: multipart/report; report-type=feedback-report; boundary=\"F\"\n\n"
		       "--F\nContent-Type: text/plain\n\nA complaint.\n\n--F\nContent-Type: message/feedback-report\n\n"
		       "Feedback-Type: abuse\nUser-Agent: Example-FBL/1.0\nVersion: 1\nSource-IP: 192.0.2.9\n\n"
		       "--F\nContent-Type: message/rfc822\n\nFrom: news@example.org\nTo: <Undisclosed Recipients>\n"
		       "Subject: Offer\n\nBuy\n--F--\n");
	assert_int_equal (r->records->len, 1);
	rec = r->records->pdata[0];
	assert_string_equal (rec->reason_hint, "feedback");
	assert_string_equal (rec->f[BT_F_FEEDBACK_TYPE], "abuse");
	assert_non_null (strstr (rec->f[BT_F_RECIPIENT], ".invalid"));
	assert_null (rec->f[BT_F_STATUS]);
	bt_report_free (r);

	r = parse_str ("From: reader@example.net\nTo: list-unsub@example.org\nSubject: unsubscribe\n"
		       "Auto-Submitted: auto-replied\nX-Apple-Unsubscribe: true\n\nMail sent this email to unsubscribe.\n");
	assert_int_equal (r->records->len, 1);
	rec = r->records->pdata[0];
	assert_string_equal (rec->f[BT_F_RECIPIENT], "reader@example.net");
	assert_string_equal (rec->f[BT_F_FEEDBACK_TYPE], "opt-out");
	assert_string_equal (rec->reason_hint, "feedback");
	bt_report_free (r);
}

/* A one-part message with body as its text. */
static bt_mail_t *
mail_of_body (const char *body)
{
	char *raw = g_strconcat ("From: a@example.org\nSubject: t\n\n", body, NULL);
	GMimeStream *stream = g_mime_stream_mem_new_with_buffer (raw, strlen (raw));
	GMimeParser *parser = g_mime_parser_new_with_stream (stream);
	GMimeObject *top = g_mime_parser_construct_part (parser, NULL);
	bt_mail_t *mail;

	assert_non_null (top);
	mail = bt_mail_new (top);
	g_object_unref (top);
	g_object_unref (parser);
	g_object_unref (stream);
	g_free (raw);
	return mail;
}

/* The first n bytes of needle planted in upper case after at bytes of
 * filler, with reps fillers after it: found there in either case, not from
 * after it nor in a window that ends inside it, and not with its last
 * letter changed. */
static void
mail_find_planted (const char *needle, size_t n, size_t at, size_t reps)
{
	static const char filler[] = "the quick brown fox jumps over the lazy dog ";
	GString *body = g_string_new (NULL);
	char *up = g_ascii_strup (needle, (gssize) n);
	char *lc = g_strndup (needle, n), *wrong = g_strndup (needle, n);
	bt_mail_t *mail;
	const char *hit;

	g_string_append_len (body, filler, (gssize) at);
	g_string_append (body, up);
	g_string_append (body, " ");
	for (size_t r = 0; r < reps; r++)
		g_string_append (body, filler);
	mail = mail_of_body (body->str);
	hit = bt_mail_find (mail, 0, mail->body_len, lc);
	assert_non_null (hit);
	assert_ptr_equal (bt_mail_find (mail, 0, mail->body_len, up), hit);
	/* The filler holds the shortest ones too ("r" of "brown"). */
	if (n > 3) {
		assert_int_equal (hit - mail->body, at);
		assert_null (bt_mail_find (mail, at + 1, mail->body_len, lc));
		assert_null (bt_mail_find (mail, 0, at + n - 1, lc));
	}
	wrong[n - 1] = '#';
	assert_null (bt_mail_find (mail, 0, mail->body_len, wrong));
	bt_mail_free (mail);
	g_free (wrong);
	g_free (lc);
	g_free (up);
	g_string_free (body, TRUE);
}

/* bt_mail_find searches only bodies its set of sequences does not rule
 * out, and the set keeps every fourth position: a needle of each length
 * at every offset, in a short body and in a long one (a larger set). */
static void
test_mail_find (void **state)
{
	static const char needle[] = "recipient address rejected";

	(void) state;
	for (size_t n = 1; n < sizeof needle; n++)
		for (size_t at = 0; at < 12; at++) {
			mail_find_planted (needle, n, at, 1);
			mail_find_planted (needle, n, at, 1000);
		}
}

static void
test_text (void **state)
{
	char buf[256], code[16], reply[4];
	char *a;
	size_t n;
	const char *hay = "Remote host said: 550 5.1.1 <Ana@Example.NET>... User Unknown";

	(void) state;
	/* Case-insensitive search, at the ends and not at all. */
	assert_ptr_equal (bt_text_find (hay, strlen (hay), "remote"), hay);
	assert_ptr_equal (bt_text_find (hay, strlen (hay), "USER UNKNOWN"), hay + strlen (hay) - 12);
	assert_null (bt_text_find (hay, strlen (hay), "user unknownx"));
	assert_null (bt_text_find ("aa", 2, "aaa"));
	{
		const char *t = "xxaab";
		assert_ptr_equal (bt_text_find (t, 5, "aab"), t + 2);
		char *lc = bt_text_lc (hay, -1, buf, sizeof buf, &n);
		assert_int_equal (n, strlen (hay));
		assert_non_null (bt_text_find_lc (lc, n, "User Unknown"));
		bt_text_lc_free (lc, buf);
	}
	/* UTF-8 checks agree with GLib's across the word-at-a-time ASCII run:
	 * a NUL, a bad byte, a cut sequence after it, and a valid one. */
	{
		static const char *const texts[] = {
			"sixteen ascii ok", "sixteen ascii \0k plus", "sixteen ascii ok \xff",
			"sixteen ascii ok caf\xc3\xa9", "sixteen ascii ok caf\xc3", "\xc3\xa9 then ascii for a while",
		};
		static const bool want[] = { true, false, false, true, false, true };
		for (size_t i = 0; i < G_N_ELEMENTS (texts); i++) {
			/* The second one is read on past its NUL. */
			size_t len = i == 1 ? 21 : strlen (texts[i]);
			assert_int_equal (bt_text_utf8 (texts[i], len), want[i]);
			assert_int_equal (g_utf8_validate_len (texts[i], len, NULL), want[i]);
		}
	}
	/* Addresses: brackets first, "rfc822;" prefix, quoted local part,
	 * apostrophes and trailing dots of prose. */
	a = bt_text_address ("Ana <ana@example.net>", -1);
	assert_string_equal (a, "ana@example.net");
	g_free (a);
	a = bt_text_address ("rfc822; bo@example.org", -1);
	assert_string_equal (a, "bo@example.org");
	g_free (a);
	a = bt_text_address ("<\"a b\"@example.org>", -1);
	assert_string_equal (a, "\"a b\"@example.org");
	g_free (a);
	a = bt_text_address ("was 'cy@example.com'.", -1);
	assert_string_equal (a, "cy@example.com");
	g_free (a);
	assert_null (bt_text_address ("no address @ here", -1));
	/* Status codes and reply codes, not IP addresses or versions. */
	assert_true (bt_text_status ("550 5.1.1 <a@b>", -1, code));
	assert_string_equal (code, "5.1.1");
	assert_true (bt_text_status ("(#4.4.1)", -1, code));
	assert_string_equal (code, "4.4.1");
	assert_false (bt_text_status ("host 192.0.2.1 said", -1, code));
	assert_false (bt_text_status ("version 5.1.1.2", -1, code));
	assert_true (bt_text_replycode ("host said: 552-5.2.2 full", -1, reply));
	assert_string_equal (reply, "552");
	assert_false (bt_text_replycode ("id=20250", -1, reply));
	/* Commands and hosts from the wording. */
	assert_string_equal (bt_text_command ("(in reply to end of DATA command)", -1), "DATA");
	assert_string_equal (bt_text_command ("SMTP error after RCPT TO:<a@b>", -1), "RCPT");
	assert_null (bt_text_command ("mailbox full", -1));
	assert_true (bt_text_remote_host ("host mx.example.net[192.0.2.1] said: 550", -1, buf, sizeof buf));
	assert_string_equal (buf, "mx.example.net");
	assert_true (bt_text_remote_host ("... while talking to mail.example.org.:", -1, buf, sizeof buf));
	assert_string_equal (buf, "mail.example.org");
	assert_false (bt_text_remote_host ("the host said no", -1, buf, sizeof buf));
}

static void
write_file (const char *path, const char *text)
{
	assert_true (g_file_set_contents (path, text, -1, NULL));
}

static int
count_source (const char *path, guint *records)
{
	GError *error = NULL;
	bt_source_t *src = bt_source_open (path, &error);
	int n = 0;

	assert_non_null (src);
	*records = 0;
	while (!bt_source_done (src)) {
		bt_report_t *r = bt_source_next (src, &error);
		if (r == NULL) {
			g_clear_error (&error);
			continue;
		}
		n++;
		*records += r->records->len;
		bt_report_free (r);
	}
	bt_source_free (src);
	return n;
}

static void
test_sources (void **state)
{
	char *dir = g_dir_make_tmp ("bt-parse-XXXXXX", NULL);
	char *mbox = g_build_filename (dir, "box.mbox", NULL);
	char *md = g_build_filename (dir, "Maildir", NULL);
	char *cur = g_build_filename (md, "cur", NULL);
	char *m1 = g_build_filename (cur, "1:2,S", NULL);
	char *m2 = g_build_filename (cur, "2:2,S", NULL);
	char *text = with_line_end ("\n");
	GString *box = g_string_new (NULL);
	guint recs;

	(void) state;
	for (int i = 0; i < 3; i++)
		g_string_append_printf (box, "From MAILER-DAEMON Mon Feb  3 10:00:00 2025\n%s\n", text);
	write_file (mbox, box->str);
	assert_int_equal (count_source (mbox, &recs), 3);
	assert_int_equal (recs, 6);
	/* The same mbox with CRLF, then bare-CR line ends. */
	for (int i = 0; i < 2; i++) {
		GString *conv = g_string_new (NULL);
		for (const char *p = box->str; *p; p++) {
			if (*p == '\n')
				g_string_append (conv, i == 0 ? "\r\n" : "\r");
			else
				g_string_append_c (conv, *p);
		}
		write_file (mbox, conv->str);
		assert_int_equal (count_source (mbox, &recs), 3);
		assert_int_equal (recs, 6);
		g_string_free (conv, TRUE);
	}
	g_mkdir_with_parents (cur, 0700);
	write_file (m1, text);
	write_file (m2, "From: a@example.org\nSubject: hello\n\nnot a bounce\n");
	assert_int_equal (count_source (md, &recs), 2);
	assert_int_equal (recs, 2);
	g_unlink (m1);
	g_unlink (m2);
	g_rmdir (cur);
	g_rmdir (md);
	g_unlink (mbox);
	g_rmdir (dir);
	g_string_free (box, TRUE);
	g_free (text);
	g_free (m1);
	g_free (m2);
	g_free (cur);
	g_free (md);
	g_free (mbox);
	g_free (dir);
}

static void
test_truncated (void **state)
{
	char *dir = g_dir_make_tmp ("bt-trunc-XXXXXX", NULL);
	char *path = g_build_filename (dir, "big.eml", NULL);
	GString *s = g_string_new ("From: MAILER-DAEMON@mx.example.org\nSubject: failure notice\n\n"
				   "Hi. This is the qmail-send program at mx.example.org.\n\n"
				   "<gone@example.net>:\nSorry, no mailbox here by that name. (#5.1.1)\n\n"
				   "--- Below this line is a copy of the message.\n\n");
	GError *error = NULL;
	bt_report_t *r;

	(void) state;
	while (s->len <= BT_PARSE_LIMIT + 1000)
		g_string_append (s, "filler line of the original message, repeated\n");
	write_file (path, s->str);
	r = bt_parse_file (path, &error);
	assert_non_null (r);
	assert_true (r->truncated);
	assert_int_equal (r->records->len, 1);
	bt_report_free (r);
	g_unlink (path);
	g_rmdir (dir);
	g_free (path);
	g_free (dir);
	g_string_free (s, TRUE);
}

/* bt_parse_read gives a file's bytes whole, whichever read they end in:
 * a regular file read in 32 KiB, then doubling, without fstat; the same
 * file asked of fstat; and through a pipe, where a short read is no end. */
static void
read_sizes (const char *path, bool regular)
{
	static const gsize sizes[] = { 0, 1, 32767, 32768, 32769, 65535, 65536, 65537, 200001 };

	for (size_t i = 0; i < G_N_ELEMENTS (sizes); i++) {
		char *data = g_malloc (sizes[i] + 1);
		bool truncated = false;
		GError *error = NULL;
		GByteArray *buf;
		int fd;
		for (gsize j = 0; j < sizes[i]; j++)
			data[j] = (char) ('a' + j % 23);
		assert_true (g_file_set_contents (path, data, (gssize) sizes[i], NULL));
		fd = open (path, O_RDONLY);
		assert_true (fd >= 0);
		buf = bt_parse_read (fd, path, regular, &truncated, &error);
		close (fd);
		assert_non_null (buf);
		assert_int_equal (buf->len, sizes[i]);
		assert_false (truncated);
		assert_true (sizes[i] == 0 || memcmp (buf->data, data, sizes[i]) == 0);
		g_byte_array_free (buf, TRUE);
		g_free (data);
	}
}

typedef struct {
	int fd;
	const char *data;
	gsize len;
} pipe_writer_t;

/* Writes the data into the pipe in 1,000-byte pieces, then closes it. */
static gpointer
pipe_write (gpointer p)
{
	pipe_writer_t *w = p;
	gsize off = 0;

	while (off < w->len) {
		ssize_t n = write (w->fd, w->data + off, MIN (w->len - off, 1000));
		if (n <= 0)
			break;
		off += (gsize) n;
	}
	close (w->fd);
	return GSIZE_TO_POINTER (off);
}

static void
test_read_whole (void **state)
{
	char *dir = g_dir_make_tmp ("bt-read-XXXXXX", NULL);
	char *path = g_build_filename (dir, "m.eml", NULL);
	gsize len = 100000;
	char *data = g_malloc (len);
	int fds[2];
	pipe_writer_t w;
	GThread *writer;
	bool truncated = false;
	GError *error = NULL;
	GByteArray *buf;

	(void) state;
	read_sizes (path, true);
	read_sizes (path, false);
	/* A pipe hands over at most what is in it per read: 100,000 bytes
	 * come in pieces, written by a thread while this one reads. */
	for (gsize i = 0; i < len; i++)
		data[i] = (char) ('a' + i % 23);
	assert_int_equal (pipe (fds), 0);
	w = (pipe_writer_t) { fds[1], data, len };
	writer = g_thread_new ("pipe-writer", pipe_write, &w);
	buf = bt_parse_read (fds[0], "pipe", false, &truncated, &error);
	close (fds[0]);
	assert_int_equal (GPOINTER_TO_SIZE (g_thread_join (writer)), len);
	assert_non_null (buf);
	assert_int_equal (buf->len, len);
	assert_memory_equal (buf->data, data, len);
	g_byte_array_free (buf, TRUE);
	/* A read that fails (a folder opened as a file) names the path. */
	fds[0] = open (dir, O_RDONLY);
	assert_true (fds[0] >= 0);
	assert_null (bt_parse_read (fds[0], dir, true, &truncated, &error));
	close (fds[0]);
	assert_non_null (error);
	assert_non_null (strstr (error->message, dir));
	g_clear_error (&error);
	g_unlink (path);
	g_rmdir (dir);
	g_free (data);
	g_free (path);
	g_free (dir);
}

int
main (void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test (test_dsn_line_ends),
		cmocka_unit_test (test_top_headers),
		cmocka_unit_test (test_global_dsn_utf8),
		cmocka_unit_test (test_encoded_and_missing_fields),
		cmocka_unit_test (test_many_recipients),
		cmocka_unit_test (test_forwarded_bounce),
		cmocka_unit_test (test_attached_original),
		cmocka_unit_test (test_vacation_arf_not_bounce),
		cmocka_unit_test (test_hostile),
		cmocka_unit_test (test_sources),
		cmocka_unit_test (test_truncated),
		cmocka_unit_test (test_read_whole),
		cmocka_unit_test (test_mangled_reports),
		cmocka_unit_test (test_charset_and_original),
		cmocka_unit_test (test_feedback),
		cmocka_unit_test (test_mail_find),
		cmocka_unit_test (test_text),
	};
	int rc;

	bt_parse_init ();
	rc = cmocka_run_group_tests (tests, NULL, NULL);
	bt_parse_shutdown ();
	return rc;
}
