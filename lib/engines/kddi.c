/* kddi.c: KDDI's au one net / DION mail (no-reply@...dion.ne.jp and
 * the au domains):
 *
 *   Your mail sent on: Thu, 29 Apr 2013 00:00:00 +0900
 *        Could not be delivered to: <user@example.dion.ne.jp>
 *        As their mailbox is full. */
#include "config.h"

#include <string.h>
#include "services-util.h"

static const svc_hint_t kddi_hints[] = {
	{ "As their mailbox is full", "mailboxfull" },
	{ "As the remote domain doesnt exist", "hostunknown" },
	{ "As the remote domain doesn't exist", "hostunknown" },
	{ NULL, NULL },
};

bool
bt_engine_kddi (bt_mail_t *mail, bt_report_t *report)
{
	size_t pos = 0, n;
	const char *line;
	bt_record_t *rec = NULL;

	/* The notice's two fixed lines are the mark; the sender is a
	 * no-reply address of the user's au / DION domain. */
	if (!svc_has (mail->from, "no-reply@") && !svc_has (mail->from, ".dion.ne.jp"))
		return false;
	if (!svc_body_has (mail, "Your mail sent on:") || !svc_body_has (mail, "Could not be delivered to:"))
		return false;
	while (bt_text_next_line (mail->body, mail->body_len, &pos, &line, &n)) {
		const char *p = bt_text_find (line, n, "Could not be delivered to:");
		if (p != NULL) {
			rec = bt_engine_add (report, p + 26, line + n - (p + 26), NULL, 0);
			if (rec != NULL)
				bt_record_set (report, rec, BT_F_ACTION, "failed", -1);
		} else if (rec != NULL && n > 0) {
			/* The reason is the next line. */
			bt_record_set (report, rec, BT_F_DIAGNOSTIC, line, (gssize) n);
			rec = NULL;
		}
	}
	if (report->records->len == 0)
		return false;
	svc_hint (report, 0, kddi_hints);
	svc_done (report);
	return true;
}
