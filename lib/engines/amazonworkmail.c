/* amazonworkmail.c: Amazon WorkMail (X-Mailer: Amazon WorkMail).  The
 * notice is multipart/mixed, not a report: the delivery-status fields are
 * written into the text part after "Technical report:". */
#include "config.h"

#include <string.h>
#include "services-util.h"

static const char *const workmail_report[] = { "Technical report:", NULL };

bool
bt_engine_amazonworkmail (bt_mail_t *mail, bt_report_t *report)
{
	const char *fields;
	size_t len;
	char *copy;
	int n;

	if (!svc_header_has (mail, "X-Mailer", "Amazon WorkMail"))
		return false;
	if (mail->dsn->len > 0)
		n = svc_read_dsn (mail, report);
	else if (svc_section (mail->body, mail->body_len, workmail_report, NULL, &fields, &len)) {
		copy = g_strndup (fields, len);
		n = svc_read_dsn_text (mail, report, copy);
		g_free (copy);
	} else
		n = 0;
	if (n == 0)
		return false;
	/* "554 4.4.7 Message expired: ... <421 4.4.2 Connection timed out>":
	 * the quoted answer is the cause. */
	svc_prefer_quoted_codes (report, 0);
	svc_done (report);
	return true;
}
