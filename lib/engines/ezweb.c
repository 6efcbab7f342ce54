/* ezweb.c: KDDI's au (EZweb) mobile mail (Postmaster@ezweb.ne.jp,
 * "Mail System Error - Returned Mail"): a Japanese preface, an English
 * sentence naming the cause, then the recipients, either as "<a@b>: reply"
 * lines or as blocks of "Recipient: <a@b>" with the SMTP transcript
 * (">>> RCPT TO:<...>", "<<< 550 ..."). */
#include "config.h"

#include <string.h>
#include "services-util.h"

/* EZweb's own sentences: they apply to every recipient of the notice. */
static const svc_hint_t ezweb_notices[] = {
	{ "The user(s) account is disabled", "suspend" },
	{ "The user(s) account is temporarily limited", "suspend" },
	{ "The user(s) account is temporarily over quota", "mailboxfull" },
	{ "The following recipients did not receive this message", "userunknown" },
	{ "The recipient's mailbox is full", "mailboxfull" },
	{ "The mail you sent exceeded the size limit", "mesgtoobig" },
	{ NULL, NULL },
};

static const char *const ezweb_end[] = {
	"--- Original message", "------ Original message", "Content-Type: message/rfc822", NULL,
};

bool
bt_engine_ezweb (bt_mail_t *mail, bt_report_t *report)
{
	const char *text;
	size_t len;
	const char *hint = NULL, *hint_at = NULL, *hint_end;

	if (!svc_has (mail->from, "@ezweb.ne.jp") || !svc_has (mail->subject, "Mail System Error"))
		return false;
	if (!svc_section (mail->body, mail->body_len, NULL, ezweb_end, &text, &len))
		return false;
	/* The delivery-status part, when there is one, has the codes; the
	 * text lists the recipients otherwise. */
	if (svc_read_dsn (mail, report) == 0)
		svc_read_blocks (report, text, len);
	if (report->records->len == 0)
		return false;
	for (const svc_hint_t *h = ezweb_notices; h->needle && hint == NULL; h++)
		if ((hint_at = bt_text_find (text, len, h->needle)) != NULL)
			hint = h->reason;
	hint_end = hint_at ? memchr (hint_at, '\n', len - (size_t) (hint_at - text)) : NULL;
	if (hint_at != NULL && hint_end == NULL)
		hint_end = text + len;
	for (guint i = 0; i < report->records->len; i++) {
		bt_record_t *rec = report->records->pdata[i];
		const char *d = rec->f[BT_F_DIAGNOSTIC];
		svc_fill (report, rec, BT_F_ACTION, "failed", -1);
		if (hint != NULL) {
			rec->reason_hint = hint;
			svc_fill (report, rec, BT_F_DIAGNOSTIC, hint_at, hint_end - hint_at);
		}
		/* ">>> MAIL FROM:" in the transcript: the sender was refused. */
		if (d != NULL && strstr (d, ">>> MAIL FROM"))
			rec->f[BT_F_COMMAND] = "MAIL";
		else if (d != NULL && strstr (d, ">>> RCPT TO"))
			rec->f[BT_F_COMMAND] = "RCPT";
	}
	svc_done (report);
	return true;
}
