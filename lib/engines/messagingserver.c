/* messagingserver.c: Oracle (Sun ONE, iPlanet) Messaging Server and PMDF:
 * "Recipient address:", "Original address:", "Reason:", "Diagnostic
 * code:" blocks, usually with a message/delivery-status part. */
#include "config.h"

#include <string.h>
#include "engine.h"

static const char *const ms_marks[] = {
	"this report relates to a message you sent with the following header fields",
	NULL,
};

/* The text blocks: "Recipient address: x" starts one; "Original address"
 * names the recipient better when the first is a route address. */
static int
ms_text (bt_mail_t *mail, bt_report_t *report)
{
	size_t pos = 0, len;
	const char *line;
	bt_record_t *rec = NULL;

	while (bt_text_next_line (mail->body, mail->body_len, &pos, &line, &len)) {
		const char *p = line;
		size_t l = len;
		while (l > 0 && (*p == ' ' || *p == '\t')) {
			p++;
			l--;
		}
		if (bt_text_starts (p, l, "recipient address:")) {
			rec = bt_engine_add (report, p + 18, (gssize) (l - 18), NULL, 0);
			if (rec)
				rec->f[BT_F_ACTION] = "failed";
		} else if (rec && bt_text_starts (p, l, "original address:")) {
			char *a = bt_text_address (p + 17, (gssize) (l - 17));
			if (a)
				bt_record_set (report, rec, BT_F_RECIPIENT, a, -1);
			g_free (a);
		} else if (rec && bt_text_starts (p, l, "diagnostic code:")) {
			const char *v = memchr (p, ';', l);
			v = v ? v + 1 : p + 16;
			bt_record_set (report, rec, BT_F_DIAGNOSTIC, v, (gssize) (l - (size_t) (v - p)));
		} else if (rec && bt_text_starts (p, l, "remote system:")) {
			const char *v = memchr (p, ';', l);
			v = v ? v + 1 : p + 14;
			bt_record_set (report, rec, BT_F_REMOTE_MTA, v, (gssize) strcspn (v, " (\n"));
		}
	}
	return (int) report->records->len;
}

bool
bt_engine_messagingserver (bt_mail_t *mail, bt_report_t *report)
{
	bt_report_t *text;
	int n = 0;

	if (!bt_engine_body_any (mail, ms_marks))
		return false;
	for (guint i = 0; i < mail->dsn->len; i++)
		n += bt_rfc3464_read (mail, report, mail->dsn->pdata[i]);
	if (n == 0)
		n = bt_rfc3464_read_body (mail, report);
	text = bt_report_new ("");
	if (ms_text (mail, text) > 0)
		bt_engine_merge (report, text, n == 0);
	bt_report_free (text);
	return report->records->len > 0;
}
