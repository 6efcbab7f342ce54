/* sendgrid.c: SendGrid ("This is an automatically generated message from
 * SendGrid."), with a delivery-status part and a one-line summary per
 * recipient: "user:id:<a@b> : ip : mx:[ip] : 550 5.1.1 ... in RCPT TO". */
#include "config.h"

#include <string.h>
#include "services-util.h"

bool
bt_engine_sendgrid (bt_mail_t *mail, bt_report_t *report)
{
	if (!svc_body_has (mail, "This is an automatically generated message from SendGrid"))
		return false;
	if (svc_read_dsn (mail, report) == 0)
		return false;
	/* The summary line ends with the stage: "... in RCPT TO". */
	for (guint i = 0; i < report->records->len; i++) {
		bt_record_t *rec = report->records->pdata[i];
		const char *at = bt_text_find (mail->body, mail->body_len, rec->f[BT_F_RECIPIENT]);
		const char *eol = at ? memchr (at, '\n', mail->body_len - (size_t) (at - mail->body)) : NULL;
		size_t n = at ? (size_t) ((eol ? eol : mail->body + mail->body_len) - at) : 0;
		if (at == NULL)
			continue;
		if (bt_text_find (at, n, " in RCPT TO"))
			rec->f[BT_F_COMMAND] = "RCPT";
		else if (bt_text_find (at, n, " in MAIL FROM"))
			rec->f[BT_F_COMMAND] = "MAIL";
		else if (bt_text_find (at, n, " in DATA"))
			rec->f[BT_F_COMMAND] = "DATA";
	}
	svc_done (report);
	return true;
}
