/* bigfoot.c: Bigfoot's forwarding service (MAILER-DAEMON@bigfoot.com),
 * sendmail-like text with a delivery-status part. */
#include "config.h"

#include "services-util.h"

bool
bt_engine_bigfoot (bt_mail_t *mail, bt_report_t *report)
{
	if (!svc_has (mail->from, "@bigfoot.com"))
		return false;
	if (svc_read_dsn (mail, report) == 0)
		return false;
	svc_done (report);
	return true;
}
