/* yahoo.c: Yahoo! Mail (yahoo.com, yahoo.co.jp, and SES-relayed copies):
 *
 *   Sorry, we were unable to deliver your message to the following address.
 *   <user@example.jp>:
 *   Remote host said: 550 5.1.1 <user@example.jp>... User Unknown [RCPT_TO]
 *   --- Below this line is a copy of the message. */
#include "config.h"

#include <string.h>
#include "services-util.h"

static const char *const yahoo_begin[] = {
	"Sorry, we were unable to deliver your message to the following address", NULL,
};
static const char *const yahoo_end[] = { "--- Below this line is a copy of the message", NULL };

/* Yahoo's own delivery errors ("delivery error: dd This user doesn't have
 * a yahoo.com account"); the remote servers' words are the classifier's. */
static const svc_hint_t yahoo_hints[] = {
	{ "This user doesn't have a", "userunknown" },
	{ NULL, NULL },
};

/* The SMTP stage Yahoo names in brackets. */
static const struct {
	const char *tag;
	const char *command;
} yahoo_stages[] = {
	{ "[RCPT_TO]", "RCPT" }, { "[MAIL_FROM]", "MAIL" }, { "[DATA]", "DATA" },
	{ "[CONNECT]", "CONN" }, { "[HELO]", "HELO" }, { "[EHLO]", "EHLO" },
};

bool
bt_engine_yahoo (bt_mail_t *mail, bt_report_t *report)
{
	const char *notice;
	size_t len;

	if (!svc_has (mail->subject, "Failure Notice") || !svc_has (mail->from, "MAILER-DAEMON@"))
		return false;
	if (!svc_section (mail->body, mail->body_len, yahoo_begin, yahoo_end, &notice, &len))
		return false;
	if (svc_read_blocks (report, notice, len) == 0)
		return false;
	for (guint i = 0; i < report->records->len; i++) {
		bt_record_t *rec = report->records->pdata[i];
		const char *d = rec->f[BT_F_DIAGNOSTIC];
		svc_fill (report, rec, BT_F_ACTION, "failed", -1);
		for (size_t k = 0; d && k < G_N_ELEMENTS (yahoo_stages); k++)
			if (strstr (d, yahoo_stages[k].tag))
				rec->f[BT_F_COMMAND] = yahoo_stages[k].command;
	}
	svc_hint (report, 0, yahoo_hints);
	svc_done (report);
	return true;
}
