/* receivingses.c: Amazon SES receiving (inbound-smtp.*.amazonaws.com)
 * refusing mail for a domain that receives through SES: a multipart/report
 * saying only "This message could not be delivered." with the reason in the
 * delivery-status part, and X-SES-Outgoing on the notice. */
#include "config.h"

#include "services-util.h"

bool
bt_engine_receivingses (bt_mail_t *mail, bt_report_t *report)
{
	if (bt_mail_header (mail, "X-SES-Outgoing") == NULL || mail->dsn->len == 0
	    || !svc_body_has (mail, "This message could not be delivered."))
		return false;
	if (svc_read_dsn (mail, report) == 0)
		return false;
	svc_done (report);
	return true;
}
