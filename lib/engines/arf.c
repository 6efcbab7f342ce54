/* arf.c: RFC 5965 abuse feedback reports (reason "feedback"). */
#include "config.h"

#include <string.h>
#include "engine.h"

/* The first paragraph of the human-readable part is the report's summary. */
static char *
arf_summary (const bt_mail_t *mail)
{
	const char *end = strstr (mail->body, "\n\n");
	size_t n = end ? (size_t) (end - mail->body) : mail->body_len;

	return n ? g_strndup (mail->body, n) : NULL;
}

static GPtrArray *
arf_recipients (bt_mail_t *mail)
{
	static const char *const fields[] = { "Original-Rcpt-To", "Removal-Recipient" };
	GPtrArray *r;

	for (size_t i = 0; i < G_N_ELEMENTS (fields); i++) {
		r = bt_engine_fields (mail->feedback, -1, fields[i]);
		if (r->len)
			return r;
		g_ptr_array_free (r, TRUE);
	}
	r = bt_engine_fields (mail->orig_headers, -1, "To");
	return r;
}

/* The recipient of a report whose copy names nobody ("To: <Undisclosed
 * Recipients>"): the complaint still counts, against an address in the
 * reserved .invalid domain that no one can mail. */
#define ARF_UNDISCLOSED "undisclosed-recipient@undisclosed.invalid"

/* Apple Mail's "unsubscribe" message: an automatic opt-out request sent by
 * the recipient's mail program, a feedback report without the format. */
static bool
arf_apple_unsubscribe (bt_mail_t *mail, bt_report_t *report)
{
	const char *v = bt_mail_header (mail, "X-Apple-Unsubscribe");
	bt_record_t *rec;

	if (v == NULL || g_ascii_strncasecmp (v, "true", 4) != 0)
		return false;
	rec = bt_engine_add (report, mail->from, -1, mail->body, (gssize) mail->body_len);
	if (rec == NULL)
		return false;
	rec->f[BT_F_FEEDBACK_TYPE] = "opt-out";
	rec->reason_hint = "feedback";
	return true;
}

bool
bt_engine_arf (bt_mail_t *mail, bt_report_t *report)
{
	char *type, *source, *summary, *agent;
	GPtrArray *rcpts;
	int n = 0;

	if (mail->feedback == NULL)
		return arf_apple_unsubscribe (mail, report);
	type = bt_engine_field (mail->feedback, -1, "Feedback-Type");
	source = bt_engine_field (mail->feedback, -1, "Source-IP");
	agent = bt_engine_field (mail->feedback, -1, "Reporting-MTA");
	summary = arf_summary (mail);
	rcpts = arf_recipients (mail);
	for (guint i = 0; i < rcpts->len; i++) {
		bt_record_t *rec = bt_engine_add (report, rcpts->pdata[i], -1, summary, -1);
		if (rec == NULL)
			continue;
		bt_record_set (report, rec, BT_F_FEEDBACK_TYPE, type ? type : "other", -1);
		bt_record_set (report, rec, BT_F_REMOTE_MTA, source, -1);
		if (agent)
			bt_record_set (report, rec, BT_F_REPORTING_MTA, strchr (agent, ';') ? strchr (agent, ';') + 1 : agent, -1);
		rec->reason_hint = "feedback";
		n++;
	}
	if (n == 0) {
		bt_record_t *rec = bt_engine_add (report, ARF_UNDISCLOSED, -1, summary, -1);
		bt_record_set (report, rec, BT_F_FEEDBACK_TYPE, type ? type : "other", -1);
		bt_record_set (report, rec, BT_F_REMOTE_MTA, source, -1);
		rec->reason_hint = "feedback";
		n++;
	}
	g_ptr_array_free (rcpts, TRUE);
	g_free (type);
	g_free (source);
	g_free (agent);
	g_free (summary);
	return n > 0;
}
