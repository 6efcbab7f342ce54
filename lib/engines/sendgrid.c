/* sendgrid.c: SendGrid ("This is an automatically generated message from
 * SendGrid."), with a delivery-status part and a one-line summary per
 * recipient: "user:id:<a@b> : ip : mx:[ip] : 550 5.1.1 ... in RCPT TO". */
#include "config.h"

#include "services-util.h"

bool
bt_engine_sendgrid (bt_mail_t *mail, bt_report_t *report)
{
	if (!svc_body_has (mail, "This is an automatically generated message from SendGrid"))
		return false;
	if (svc_read_dsn (mail, report) == 0)
		return false;
	svc_done (report);
	return true;
}
