/* bigfoot.c: Bigfoot's forwarding service (MAILER-DAEMON@bigfoot.com),
 * sendmail-like text with a delivery-status part; the SMTP command the
 * remote refused is only in the text's transcript (">>> RCPT TO:<...>"). */
#include "config.h"

#include "services-util.h"

static const struct {
	const char *line;
	const char *command;
} bigfoot_transcript[] = {
	{ ">>> RCPT TO", "RCPT" }, { ">>> MAIL FROM", "MAIL" }, { ">>> DATA", "DATA" },
};

bool
bt_engine_bigfoot (bt_mail_t *mail, bt_report_t *report)
{
	if (!svc_has (mail->from, "@bigfoot.com"))
		return false;
	if (svc_read_dsn (mail, report) == 0)
		return false;
	for (size_t i = 0; i < G_N_ELEMENTS (bigfoot_transcript); i++)
		if (svc_body_has (mail, bigfoot_transcript[i].line)) {
			for (guint r = 0; r < report->records->len; r++) {
				bt_record_t *rec = report->records->pdata[r];
				if (rec->f[BT_F_COMMAND] == NULL)
					rec->f[BT_F_COMMAND] = bigfoot_transcript[i].command;
			}
			break;
		}
	svc_done (report);
	return true;
}
